/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef DOORD_PEER_H
#define DOORD_PEER_H

#include <stdbool.h>
#include <sys/types.h>
#include <systemd/sd-bus.h>

/*
 * 0 when the process at the other end of @bus's socket still lives (or
 * the kernel cannot tell: no SO_PEERPIDFD before Linux 6.5, or a bus
 * daemon in between), -ESRCH once it has exited.
 */
int peer_check_alive(sd_bus *bus);

#endif
