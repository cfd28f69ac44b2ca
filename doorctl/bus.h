/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The connection to doord's private D-Bus socket. */
#ifndef DOORCTL_BUS_H
#define DOORCTL_BUS_H

#include <systemd/sd-bus.h>

#define DOORD_SOCKET_DEFAULT	"/run/doord/bus"
#define DOORD_OBJECT_PATH	"/org/doors/door1"
#define DOORD_INTERFACE		"org.doors.door1.Manager"

/* $DOORD_SOCKET when set and not empty, else the default. */
const char *bus_socket_path(void);

/* "unix:path=..." with the path escaped as D-Bus addresses require;
 * NULL on allocation failure. */
char *bus_address_for_path(const char *path);

/*
 * Connect to doord and finish authentication, so a missing or deaf
 * daemon is reported here and not by the first method call. Logs the
 * failure; returns 0 or a negative errno (see
 * exit_code_from_connect_errno()).
 */
int bus_connect(sd_bus **ret);

/*
 * Call METHOD on doord's manager object. On failure, logs
 * "Failed to WHAT 'OBJECT': reason" with the daemon's message and
 * returns the negative errno it sent; 0 on success.
 */
int bus_call(sd_bus *bus, const char *method, sd_bus_message **reply,
	     const char *what, const char *object, const char *types, ...);

/*
 * Look PATH up: open it, hand it to doord, and return a fresh door
 * reference (owned by the caller) or a negative errno (logged).
 */
int bus_lookup(sd_bus *bus, const char *path);

#endif
