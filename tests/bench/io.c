// SPDX-License-Identifier: GPL-2.0-or-later
/* Whole reads and writes, and the server's "ready" handshake. */
#include <errno.h>
#include <unistd.h>

#include "bench.h"

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* -EPIPE when the other side went away before len bytes came. */
int read_all(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EPIPE;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int signal_ready(int fd)
{
	char c = 'R';

	return write_all(fd, &c, 1);
}

/* A server that failed before getting ready closes the pipe: -EPIPE. */
int wait_ready(int fd)
{
	char c;

	return read_all(fd, &c, 1);
}
