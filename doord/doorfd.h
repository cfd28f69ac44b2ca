/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef DOORD_DOORFD_H
#define DOORD_DOORFD_H

/*
 * What doord asks of door.ko, all through ioctls on door descriptors
 * that clients handed over (doord never opens /dev/door).
 */

#include <linux/door.h>

/* -EINVAL when fd is not a door (devices, directories, pipes, sockets
 * never get the ioctl: an unknown driver could give our number another
 * meaning). */
int doorfd_info(int fd, struct door_info *ret);

/* A fresh reference (a new file) to the same door, close-on-exec. */
int doorfd_newref(int fd);

/* Statistics; needs ownership of the door or CAP_SYS_ADMIN, which
 * callers raise around their calls (caps_raise_stats()). */
int doorfd_stats(int fd, struct door_stats *ret);

/* "revoked" or "server-exited" for a door that can no longer be
 * called, NULL while it is alive. */
const char *doorfd_dead_reason(const struct door_info *info);

#endif
