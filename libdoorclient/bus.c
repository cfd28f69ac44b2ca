/*
 * The connection to doord: peer-to-peer D-Bus on doord's private socket
 * ($DOORD_SOCKET, default /run/doord/bus). One short-lived connection per
 * naming operation: naming is rare and never on the call path, and a
 * connection of our own cannot be shared by accident across threads or
 * inherited across fork.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "bus.h"

#define DOORD_DEFAULT_SOCKET	"/run/doord/bus"
#define DOORD_OBJECT		"/org/doors/door1"
#define DOORD_INTERFACE		"org.doors.door1.Manager"

const char *door_bus_socket(void)
{
	const char *path = getenv("DOORD_SOCKET");

	return path && *path ? path : DOORD_DEFAULT_SOCKET;
}

/* D-Bus addresses escape every byte outside a small safe set as %XX. */
static char *bus_address(const char *path)
{
	static const char safe[] = "-_/.\\";
	size_t len = strlen(path);
	char *addr = malloc(sizeof("unix:path=") + 3 * len);
	char *p;

	if (!addr)
		return NULL;
	p = stpcpy(addr, "unix:path=");
	for (; *path; path++) {
		unsigned char c = (unsigned char)*path;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr(safe, c))
			*p++ = (char)c;
		else
			p += sprintf(p, "%%%02x", c);
	}
	*p = '\0';
	return addr;
}

static int bus_open(sd_bus **ret)
{
	sd_bus *bus = NULL;
	char *addr;
	int r;

	addr = bus_address(door_bus_socket());
	if (!addr)
		return -ENOMEM;
	r = sd_bus_new(&bus);
	if (r >= 0)
		r = sd_bus_set_address(bus, addr);
	if (r >= 0)
		r = sd_bus_negotiate_fds(bus, 1);
	if (r >= 0)
		r = sd_bus_start(bus);
	free(addr);
	if (r < 0) {
		sd_bus_unref(bus);
		return r;
	}
	*ret = bus;
	return 0;
}

int door_bus_call(const char *method, sd_bus_message **reply,
		  const char *types, ...)
{
	sd_bus_error error = SD_BUS_ERROR_NULL;
	sd_bus *bus = NULL;
	va_list ap;
	int r;

	r = bus_open(&bus);
	if (r < 0) {
		door_detail_set("doord is not reachable at %s: %s",
				door_bus_socket(), strerror(-r));
		return -EAGAIN;
	}
	va_start(ap, types);
	r = sd_bus_call_methodv(bus, NULL, DOORD_OBJECT, DOORD_INTERFACE, method,
				&error, reply, types, ap);
	va_end(ap);
	if (r < 0) {
		if (sd_bus_error_is_set(&error)) {
			door_detail_set("doord: %s: %s", method,
					error.message ? error.message : error.name);
			r = -sd_bus_error_get_errno(&error);
		} else {
			door_detail_set("doord at %s: %s failed: %s",
					door_bus_socket(), method, strerror(-r));
			r = -EAGAIN;
		}
	}
	sd_bus_error_free(&error);
	sd_bus_flush_close_unref(bus);
	return r < 0 ? r : 0;
}
