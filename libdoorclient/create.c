/*
 * Creating doors: door_create and door_create_notify. door_xcreate,
 * which adds a private creation function, is in xcreate.c.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "internal.h"
#include "create.h"

static int check_features(uint_t attributes, int signo)
{
	if ((attributes & (DOOR_UNREF | DOOR_UNREF_MULTI)) &&
	    !(door_ctx_features() & DOOR_FEAT_UNREF))
		return door_ctx_need(DOOR_FEAT_UNREF, "unreferenced notifications");
	if ((attributes & DOOR_PRIVATE) &&
	    !(door_ctx_features() & DOOR_FEAT_PRIVATE))
		return door_ctx_need(DOOR_FEAT_PRIVATE, "private server pools");
	if (signo && !(door_ctx_features() & DOOR_FEAT_EXIT_SIGNAL))
		return door_ctx_need(DOOR_FEAT_EXIT_SIGNAL, "exit notification");
	return 0;
}

int door_create_common(door_server_procedure_t *proc, void *cookie,
		       uint_t attributes, int signo, door_info_t *info)
{
	struct door_create c;
	struct door_kinfo ki;
	int ctx, fd, r;

	if ((attributes & ~DOOR_CREATE_MASK) ||
	    (attributes & (DOOR_UNREF | DOOR_UNREF_MULTI)) ==
	    (DOOR_UNREF | DOOR_UNREF_MULTI)) {
		door_detail_set("door_create: invalid attributes 0x%x", attributes);
		return -EINVAL;
	}
	ctx = door_ctx_fd();
	if (ctx < 0)
		return ctx;
	r = check_features(attributes, signo);
	if (r < 0)
		return r;
	memset(&c, 0, sizeof(c));
	c.proc = (uintptr_t)proc;
	c.cookie = (uintptr_t)cookie;
	c.attributes = attributes;
	c.exit_signal = signo;
	fd = ioctl(ctx, DOOR_IOC_CREATE, &c);
	if (fd < 0) {
		r = -errno;
		door_detail_set("door_create: %s", strerror(-r));
		return r;
	}
	if (ioctl(fd, KDOOR_IOC_INFO, &ki) < 0) {
		r = -errno;
		close(fd);
		door_detail_set("door_info on a new door: %s", strerror(-r));
		return r;
	}
	door_kinfo_to_info(&ki, info);
	return fd;
}

static int create_and_start(door_server_procedure_t *proc, void *cookie,
			    uint_t attributes, int signo)
{
	door_info_t info;
	int fd;

	door_detail_clear();
	if (attributes & (DOOR_NO_DEPLETION_CB | DOOR_PRIVCREATE))
		return door_fail(EINVAL, "door_create: DOOR_NO_DEPLETION_CB and DOOR_PRIVCREATE are for door_xcreate");
	fd = door_create_common(proc, cookie, attributes, signo, &info);
	if (fd < 0) {
		errno = -fd;
		return -1;
	}
	door_pool_created(attributes, &info);
	return fd;
}

DOOR_EXPORT int door_create(door_server_procedure_t *proc, void *cookie,
			    uint_t attributes)
{
	return create_and_start(proc, cookie, attributes, 0);
}

DOOR_EXPORT int door_create_notify(door_server_procedure_t *proc, void *cookie,
				   uint_t attributes, int signo)
{
	if (signo <= 0) {
		door_detail_clear();
		return door_fail(EINVAL, "door_create_notify: bad signal %d", signo);
	}
	return create_and_start(proc, cookie, attributes, signo);
}
