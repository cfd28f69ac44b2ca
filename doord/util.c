/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util.h"

static uint64_t timespec_usec(clockid_t clock)
{
	struct timespec ts;

	if (clock_gettime(clock, &ts) < 0)
		return 0;
	return (uint64_t)ts.tv_sec * USEC_PER_SEC + (uint64_t)ts.tv_nsec / 1000;
}

uint64_t now_realtime_usec(void)
{
	return timespec_usec(CLOCK_REALTIME);
}

uint64_t now_monotonic_usec(void)
{
	return timespec_usec(CLOCK_MONOTONIC);
}

int fd_get_path(int fd, char **ret)
{
	char proc[64], buf[PATH_MAX + 1];
	ssize_t n;
	char *p;

	if (fd < 0)
		return -EBADF;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, buf, sizeof(buf));
	if (n < 0)
		return negative_errno();
	if ((size_t)n >= sizeof(buf))
		return -ENAMETOOLONG;
	buf[n] = '\0';
	/* Sockets, pipes and anonymous inodes read as "type:[...]". */
	if (buf[0] != '/')
		return -EINVAL;
	p = strdup(buf);
	if (!p)
		return -ENOMEM;
	*ret = p;
	return 0;
}

int fd_reopen_path(int fd)
{
	char proc[64];
	int r;

	if (fd < 0)
		return -EBADF;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	r = open(proc, O_PATH | O_CLOEXEC);
	if (r < 0)
		return negative_errno();
	return r;
}
