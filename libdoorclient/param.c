/*
 * door_getparam and door_setparam.
 */
#include <errno.h>
#include <stdint.h>

#include "internal.h"

DOOR_EXPORT int door_getparam(int d, int param, size_t *out)
{
	struct door_param p = { .param = (__u32)param };
	int r;

	if (!out) {
		errno = EFAULT;
		return -1;
	}
	r = door_fd_ioctl(d, DOOR_IOC_GETPARAM, &p);
	if (r == 0 && p.value > SIZE_MAX)
		r = -EOVERFLOW;
	if (r < 0) {
		errno = -r;
		return -1;
	}
	*out = (size_t)p.value;
	return 0;
}

DOOR_EXPORT int door_setparam(int d, int param, size_t val)
{
	struct door_param p = { .param = (__u32)param, .value = val };
	int r = door_fd_ioctl(d, DOOR_IOC_SETPARAM, &p);

	if (r < 0) {
		errno = -r;
		return -1;
	}
	return 0;
}
