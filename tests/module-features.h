/*
 * Tests of a feature the loaded door.ko does not report in its handshake
 * are skipped, naming the feature: they run as soon as the module has it.
 * Include after <linux/door.h> and <criterion/criterion.h>.
 */
#ifndef DOOR_TESTS_MODULE_FEATURES_H
#define DOOR_TESTS_MODULE_FEATURES_H

#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <unistd.h>

static inline bool module_has(uint64_t feature)
{
	struct door_handshake hs = { .size = sizeof(hs),
				     .api_version = DOOR_API_VERSION };
	int fd = open("/dev/door", O_RDWR | O_CLOEXEC);
	bool ok;

	if (fd < 0)
		return false;
	ok = ioctl(fd, DOOR_IOC_HANDSHAKE, &hs) == 0 &&
	     (hs.features & feature) == feature;
	close(fd);
	return ok;
}

#define require_module_feature(feature) \
	do { \
		if (!module_has(feature)) \
			cr_skip_test("door.ko does not implement " #feature " yet"); \
	} while (0)

#endif
