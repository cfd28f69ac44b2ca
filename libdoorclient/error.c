/*
 * The one-line reason behind a thread's last failed door function.
 * errno carries the Solaris error; this says what failed and why
 * (doord's message, a missing module, ...). Per thread, so concurrent
 * callers never see each other's reasons.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "internal.h"

static __thread char detail[256];

void door_detail_clear(void)
{
	detail[0] = '\0';
}

static void detail_vset(const char *fmt, va_list ap)
{
	(void)vsnprintf(detail, sizeof(detail), fmt, ap);
}

void door_detail_set(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	detail_vset(fmt, ap);
	va_end(ap);
}

int door_fail(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	detail_vset(fmt, ap);
	va_end(ap);
	errno = err;
	return -1;
}

DOOR_EXPORT const char *door_strerror_detail(void)
{
	return detail;
}
