/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef DOORD_UTIL_H
#define DOORD_UTIL_H

/*
 * Small helpers shared by doord's files: cleanup attributes in the
 * style of libsystemd's public *_unrefp helpers, and a few
 * descriptor utilities.
 */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_close_ _cleanup_(closep)

#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define USEC_PER_SEC ((uint64_t)1000000)

static inline void freep(void *p)
{
	free(*(void **)p);
}

static inline int safe_close(int fd)
{
	if (fd >= 0) {
		int saved = errno;

		(void)close(fd);
		errno = saved;
	}
	return -1;
}

static inline void closep(int *fd)
{
	safe_close(*fd);
}

/* Hand an owned descriptor over: returns it and leaves -1 behind. */
static inline int take_fd(int *fd)
{
	int r = *fd;

	*fd = -1;
	return r;
}

static inline void *take_ptr_(void **p)
{
	void *r = *p;

	*p = NULL;
	return r;
}
#define TAKE_PTR(p) take_ptr_((void **)&(p))

/* errno as a negative value, never 0 (for paths where errno may be unset). */
static inline int negative_errno(void)
{
	return errno > 0 ? -errno : -EIO;
}

uint64_t now_realtime_usec(void);
uint64_t now_monotonic_usec(void);

/* The path of an open file as this process sees it (readlink of
 * /proc/self/fd/N). -EINVAL when it has no path (sockets, pipes,
 * anonymous inodes). An unlinked file reads as its last name plus
 * " (deleted)": callers check st_nlink first. */
int fd_get_path(int fd, char **ret);

/* Re-open an open file as O_PATH|O_CLOEXEC: a reference to the inode
 * that grants no read or write access. */
int fd_reopen_path(int fd);

#endif
