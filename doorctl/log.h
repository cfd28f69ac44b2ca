/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One-line diagnostics on stderr, all prefixed "doorctl: ". */
#ifndef DOORCTL_LOG_H
#define DOORCTL_LOG_H

#include <systemd/sd-bus.h>

#include <stdarg.h>

__attribute__((format(printf, 1, 2)))
void log_error(const char *fmt, ...);

__attribute__((format(printf, 1, 0)))
void log_errorv(const char *fmt, va_list ap);

/*
 * Print "doorctl: Failed to WHAT 'OBJECT': REASON" (without the quoted
 * part when @object is NULL). REASON is the bus error's message when
 * @e is set, else strerror(@err). Returns @err so callers can
 * "return log_failed(...)".
 */
int log_failed(int err, const sd_bus_error *e, const char *what,
	       const char *object);

#endif
