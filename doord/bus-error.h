/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef DOORD_BUS_ERROR_H
#define DOORD_BUS_ERROR_H

/*
 * D-Bus errors that carry the exact errno. sd-bus maps both EPERM and
 * EACCES to org.freedesktop.DBus.Error.AccessDenied, which decodes as
 * EACCES, but fdetach(3C) callers must tell EPERM from EACCES. Errors
 * named "System.Error.<ERRNO>" are decoded by sd_bus_error_get_errno()
 * in any sd-bus client without extra tables, so doord names every
 * errno it returns that way.
 */

#include <systemd/sd-bus.h>

/* Sets error and returns -err (err is a positive or negative errno). */
int bus_error_errnof(sd_bus_error *error, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
