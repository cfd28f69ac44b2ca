/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus.h"
#include "common.h"
#include "log.h"

const char *bus_socket_path(void)
{
	const char *p = getenv("DOORD_SOCKET");

	return p && *p ? p : DOORD_SOCKET_DEFAULT;
}

static bool address_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr("-_/.\\", c);
}

char *bus_address_for_path(const char *path)
{
	static const char prefix[] = "unix:path=";
	static const char hex[] = "0123456789abcdef";
	size_t n = strlen(path);
	char *a, *p;

	a = malloc(sizeof(prefix) + 3 * n);
	if (!a)
		return NULL;
	p = stpcpy(a, prefix);
	for (; *path; path++) {
		unsigned char c = (unsigned char)*path;

		if (address_char_ok((char)c)) {
			*p++ = (char)c;
			continue;
		}
		*p++ = '%';
		*p++ = hex[c >> 4];
		*p++ = hex[c & 15];
	}
	*p = '\0';
	return a;
}

/*
 * sd_bus_start() only connects; authentication completes during the
 * first exchange. Ping the peer so that a socket nobody serves, or a
 * server that rejects us, fails here with a clear message.
 */
static int bus_handshake(sd_bus *bus)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	int r;

	r = sd_bus_call_method(bus, NULL, DOORD_OBJECT_PATH,
			       "org.freedesktop.DBus.Peer", "Ping", &e, &reply,
			       "");
	sd_bus_message_unref(reply);
	/* An old server without Peer.Ping still answered: that is enough. */
	if (r < 0 && sd_bus_error_is_set(&e) &&
	    !sd_bus_error_has_name(&e, SD_BUS_ERROR_NO_REPLY) &&
	    !sd_bus_error_has_name(&e, SD_BUS_ERROR_DISCONNECTED))
		r = 0;
	sd_bus_error_free(&e);
	return r;
}

int bus_connect(sd_bus **ret)
{
	const char *path = bus_socket_path();
	sd_bus *bus = NULL;
	char *address;
	int r;

	address = bus_address_for_path(path);
	if (!address)
		return log_failed(-ENOMEM, NULL, "connect to doord at", path);

	r = sd_bus_new(&bus);
	if (r >= 0)
		r = sd_bus_set_address(bus, address);
	if (r >= 0)
		r = sd_bus_negotiate_fds(bus, true);
	if (r >= 0)
		r = sd_bus_start(bus);
	if (r >= 0)
		r = bus_handshake(bus);
	free(address);
	if (r < 0) {
		sd_bus_flush_close_unref(bus);
		return log_failed(r, NULL, "connect to doord at", path);
	}
	*ret = bus;
	return 0;
}

int bus_call(sd_bus *bus, const char *method, sd_bus_message **reply,
	     const char *what, const char *object, const char *types, ...)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	va_list ap;
	int r;

	va_start(ap, types);
	r = sd_bus_call_methodv(bus, NULL, DOORD_OBJECT_PATH, DOORD_INTERFACE,
				method, &e, reply, types, ap);
	va_end(ap);
	if (r < 0)
		log_failed(r, &e, what, object);
	sd_bus_error_free(&e);
	return r < 0 ? r : 0;
}

int bus_lookup(sd_bus *bus, const char *path)
{
	sd_bus_message *reply = NULL;
	int name, door, r;

	name = open_name(path);
	if (name < 0)
		return name;
	r = bus_call(bus, "Lookup", &reply, "look up", path, "h", name);
	close(name);
	if (r < 0)
		return r;
	r = sd_bus_message_read(reply, "h", &door);
	if (r <= 0) {
		r = log_failed(r < 0 ? r : -EBADMSG, NULL,
			       "parse doord's reply to", "Lookup");
	} else {
		/* The reply owns the descriptor it carries: keep our own. */
		r = fcntl(door, F_DUPFD_CLOEXEC, 3);
		if (r < 0)
			r = log_failed(-errno, NULL, "keep the door of", path);
	}
	sd_bus_message_unref(reply);
	return r;
}
