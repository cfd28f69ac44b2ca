/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The caller's identity on a direct connection is its SO_PEERCRED pid,
 * and sd-bus reads its groups and command from /proc/PID when asked.
 * Once that process has exited, the pid may name another process, whose
 * groups would then decide the request. The peer's pidfd pins the
 * process itself: if it is still alive after the credentials were read,
 * they were the caller's.
 */
#include <errno.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "peer.h"

#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD 77
#endif

int peer_check_alive(sd_bus *bus)
{
	socklen_t len = sizeof(int);
	int fd, pidfd, r;

	/* Through a bus daemon the socket's peer is the daemon. */
	if (sd_bus_is_bus_client(bus) > 0)
		return 0;
	fd = sd_bus_get_fd(bus);
	if (fd < 0)
		return 0;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERPIDFD, &pidfd, &len) < 0)
		/* the kernel refuses a pidfd for a process already reaped */
		return errno == EINVAL || errno == ESRCH ? -ESRCH : 0;
	r = (int)syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0);
	close(pidfd);
	return r < 0 && errno == ESRCH ? -ESRCH : 0;
}
