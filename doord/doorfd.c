/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "doorfd.h"
#include "util.h"

int doorfd_info(int fd, struct door_info *ret)
{
	struct door_info info;
	struct stat st;

	if (fd < 0)
		return -EBADF;
	if (fstat(fd, &st) < 0)
		return negative_errno();
	switch (st.st_mode & S_IFMT) {
	case S_IFCHR: case S_IFBLK: case S_IFDIR: case S_IFIFO: case S_IFSOCK: case S_IFLNK:
		return -EINVAL;
	}
	memset(&info, 0, sizeof(info));
	if (ioctl(fd, DOOR_IOC_INFO, &info) < 0) {
		int r = negative_errno();

		/* Other files answer our ioctl with one of these. */
		if (r == -ENOTTY || r == -EINVAL || r == -EBADF || r == -EOPNOTSUPP)
			return -EINVAL;
		return r;
	}
	*ret = info;
	return 0;
}

int doorfd_newref(int fd)
{
	__u32 flags = O_CLOEXEC;
	int r;

	r = ioctl(fd, DOOR_IOC_NEWREF, &flags);
	if (r < 0)
		return negative_errno();
	return r;
}

int doorfd_stats(int fd, struct door_stats *ret)
{
	struct door_stats st;

	memset(&st, 0, sizeof(st));
	st.size = sizeof(st);
	if (ioctl(fd, DOOR_IOC_STATS, &st) < 0)
		return negative_errno();
	*ret = st;
	return 0;
}

const char *doorfd_dead_reason(const struct door_info *info)
{
	/* A dead server's doors also read as revoked: check that first. */
	if (info->target < 0)
		return "server-exited";
	if (info->attributes & DOOR_REVOKED)
		return "revoked";
	return NULL;
}
