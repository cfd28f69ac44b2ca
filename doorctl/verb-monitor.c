/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* doorctl monitor: doord's signals, one event a line, until interrupted. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <systemd/sd-event.h>
#include <time.h>
#include <unistd.h>

#include "bus.h"
#include "common.h"
#include "exit-codes.h"
#include "format.h"
#include "log.h"
#include "verbs.h"

struct monitor {
	struct output out;
	sd_event *event;
	int exit_code;
};

static uint64_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000;
}

/* Attached/Revoked/Unreferenced carry (s path, t id); Detached adds
 * (s reason). */
static json_t *event_model(sd_bus_message *m)
{
	const char *member = sd_bus_message_get_member(m), *path, *reason;
	json_t *e = json_object();
	char *event = member ? strdup(member) : NULL;
	uint64_t id;
	int r;

	if (!e || !event || sd_bus_message_read(m, "st", &path, &id) <= 0)
		goto fail;
	event[0] = (char)(event[0] | 0x20);	/* "Attached" -> "attached" */
	r = json_set(e, "time", json_integer((json_int_t)now_usec()));
	if (!r)
		r = json_set(e, "event", json_string(event));
	if (!r)
		r = json_set(e, "path", json_string(path));
	if (!r)
		r = json_set(e, "id", json_integer((json_int_t)id));
	if (!r && sd_bus_message_at_end(m, false) == 0 &&
	    sd_bus_message_read(m, "s", &reason) > 0)
		r = json_set(e, "reason", json_string(reason));
	if (r)
		goto fail;
	free(event);
	return e;
fail:
	free(event);
	json_decref(e);
	return NULL;
}

/* "05:13:10.123456 attached     42 /run/x (reason)" */
static void print_event(FILE *f, const json_t *e)
{
	json_int_t usec = json_integer_value(json_object_get(e, "time"));
	const char *reason = json_string_value(json_object_get(e, "reason"));
	time_t t = (time_t)(usec / 1000000);
	char when[32] = "?";
	struct tm tm;

	if (localtime_r(&t, &tm))
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
	fprintf(f, "%s.%06lld %-12s %6" JSON_INTEGER_FORMAT " %s", when,
		(long long)(usec % 1000000),
		json_string_value(json_object_get(e, "event")),
		json_integer_value(json_object_get(e, "id")),
		json_string_value(json_object_get(e, "path")));
	if (reason)
		fprintf(f, " (%s)", reason);
	fputc('\n', f);
	fflush(f);
}

static int on_signal(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	struct monitor *mon = userdata;
	json_t *e;

	(void)error;
	e = event_model(m);
	if (!e) {
		log_error("Ignoring a malformed %s signal from doord.",
			  sd_bus_message_get_member(m) ?: "?");
		return 0;
	}
	if (mon->out.json != JSON_MODE_OFF)
		output_json(&mon->out, e);
	else
		print_event(mon->out.f, e);
	json_decref(e);
	return 0;
}

static int on_disconnect(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	struct monitor *mon = userdata;

	(void)error;
	log_error("Failed to monitor '%s': doord closed the connection",
		  bus_socket_path());
	mon->exit_code = DOORCTL_EXIT_UNAVAILABLE;
	sd_event_exit(mon->event, 0);
	return 0;
}

static int setup(sd_event **ret_event, sd_bus *bus, struct monitor *mon)
{
	sd_event *event = NULL;
	sigset_t mask;
	int r;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		return -errno;
	r = sd_event_default(&event);
	if (r >= 0)
		r = sd_event_add_signal(event, NULL, SIGINT, NULL, NULL);
	if (r >= 0)
		r = sd_event_add_signal(event, NULL, SIGTERM, NULL, NULL);
	if (r >= 0)
		r = sd_bus_attach_event(bus, event, SD_EVENT_PRIORITY_NORMAL);
	if (r >= 0)
		r = sd_bus_match_signal(bus, NULL, NULL, DOORD_OBJECT_PATH,
					DOORD_INTERFACE, NULL, on_signal, mon);
	if (r >= 0)
		r = sd_bus_match_signal(bus, NULL, NULL, "/org/freedesktop/DBus/Local",
					"org.freedesktop.DBus.Local", "Disconnected",
					on_disconnect, mon);
	if (r < 0) {
		sd_event_unref(event);
		return r;
	}
	mon->event = event;
	*ret_event = event;
	return 0;
}

int verb_monitor(const struct args *a)
{
	struct monitor mon = { .out = output_for(a), .exit_code = DOORCTL_EXIT_OK };
	sd_event *event = NULL;
	sd_bus *bus = NULL;
	int r;

	r = bus_connect(&bus);
	if (r < 0)
		return exit_code_from_connect_errno(r);
	r = setup(&event, bus, &mon);
	if (r < 0) {
		log_failed(r, NULL, "watch doord's events", NULL);
		sd_bus_flush_close_unref(bus);
		return exit_code_from_errno(r);
	}
	if (!a->quiet && isatty(STDERR_FILENO))
		fprintf(stderr, "Monitoring door events; press Ctrl+C to stop.\n");
	r = sd_event_loop(event);
	if (r < 0) {
		log_failed(r, NULL, "watch doord's events", NULL);
		mon.exit_code = exit_code_from_errno(r);
	}
	sd_bus_detach_event(bus);
	sd_bus_flush_close_unref(bus);
	sd_event_unref(event);
	return mon.exit_code;
}
