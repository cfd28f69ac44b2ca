/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

void log_errorv(const char *fmt, va_list ap)
{
	fflush(stdout);
	fputs("doorctl: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_errorv(fmt, ap);
	va_end(ap);
}

int log_failed(int err, const sd_bus_error *e, const char *what,
	       const char *object)
{
	const char *reason;

	if (e && sd_bus_error_is_set(e) && e->message && e->message[0])
		reason = e->message;
	else
		reason = strerror(abs(err));

	if (object)
		log_error("Failed to %s '%s': %s", what, object, reason);
	else
		log_error("Failed to %s: %s", what, reason);
	return err;
}
