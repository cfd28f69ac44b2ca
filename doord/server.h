/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef DOORD_SERVER_H
#define DOORD_SERVER_H

/*
 * The private socket: a peer-to-peer D-Bus server (no bus daemon).
 * Each accepted connection becomes its own sd_bus in server mode with
 * anonymous authentication; who the peer is comes from the socket's
 * credentials (SO_PEERCRED, SO_PEERGROUPS), which sd-bus reads when
 * the connection starts. The system bus, when one runs, serves the
 * same object.
 */

#include "daemon.h"

/* Takes the listening socket from socket activation if one was passed
 * (listen_fd >= 0), else binds path. */
int server_listen(struct daemon *d, int listen_fd, const char *path);
void server_close(struct daemon *d);

/* Connects to the system bus and requests the name; its absence is not
 * an error. */
int server_connect_system_bus(struct daemon *d);

/* Registers the Manager object on a bus (each connection, system bus). */
int server_add_object(struct daemon *d, sd_bus *bus);

/* Broadcasts a name signal to every peer: "st" or, with reason, "sts". */
void server_emit(struct daemon *d, const char *member, const char *path, uint64_t id,
		 const char *reason);

#endif
