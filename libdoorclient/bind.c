/*
 * door_bind and door_unbind: a thread joins or leaves a private pool.
 * The binding takes effect at the thread's next door_return.
 */
#include <errno.h>
#include <sys/ioctl.h>

#include "internal.h"

static int ctx_ioctl(unsigned long req, void *arg)
{
	int ctx = door_ctx_fd();

	if (ctx < 0)
		return ctx;
	if (!(door_ctx_features() & DOOR_FEAT_PRIVATE))
		return door_ctx_need(DOOR_FEAT_PRIVATE, "private server pools");
	return ioctl(ctx, req, arg) < 0 ? -errno : 0;
}

DOOR_EXPORT int door_bind(int did)
{
	__s32 fd = did;
	int r = ctx_ioctl(DOOR_IOC_BIND, &fd);

	if (r < 0) {
		errno = -r;
		return -1;
	}
	return 0;
}

DOOR_EXPORT int door_unbind(void)
{
	int r = ctx_ioctl(DOOR_IOC_UNBIND, NULL);

	if (r < 0) {
		errno = -r;
		return -1;
	}
	return 0;
}
