/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef DOORD_MANAGER_H
#define DOORD_MANAGER_H

/* org.doors.door1.Manager: the D-Bus face of the namespace (see
 * org.doors.door1.Manager.xml). Method handlers unpack arguments, take
 * the caller's identity from the connection and call namespace.c. */

#include <systemd/sd-bus.h>

extern const sd_bus_vtable manager_vtable[];

#endif
