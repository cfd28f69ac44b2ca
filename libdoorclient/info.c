/*
 * door_info and door_revoke.
 */
#include <errno.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "internal.h"

static int query_bound(struct door_kinfo *ki)
{
	int ctx = door_ctx_fd();

	if (ctx < 0)
		return ctx;
	/* Without private pools no thread can be bound. */
	if (!(door_ctx_features() & DOOR_FEAT_PRIVATE))
		return -EBADF;
	return ioctl(ctx, KDOOR_IOC_QUERY, ki) < 0 ? -errno : 0;
}

DOOR_EXPORT int door_info(int d, door_info_t *info)
{
	struct door_kinfo ki;
	int r;

	if (!info) {
		errno = EFAULT;
		return -1;
	}
	if (d == DOOR_QUERY)
		r = query_bound(&ki);
	else
		r = door_fd_ioctl(d, KDOOR_IOC_INFO, &ki);
	if (r < 0) {
		errno = -r;
		return -1;
	}
	door_kinfo_to_info(&ki, info);
	return 0;
}

DOOR_EXPORT int door_revoke(int d)
{
	int r = door_fd_ioctl(d, DOOR_IOC_REVOKE, NULL);

	if (r < 0) {
		errno = -r;
		return -1;
	}
	/* Solaris closes the revoking descriptor too. */
	close(d);
	return 0;
}
