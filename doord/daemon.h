/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef DOORD_DAEMON_H
#define DOORD_DAEMON_H

/*
 * The daemon's context: one event loop, the listening socket and its
 * connections, the name table, the policy in force and the per-uid
 * accounting. Every part of doord takes this struct.
 */

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>
#include <systemd/sd-id128.h>

#include "accounting.h"
#include "names.h"
#include "policy.h"

#define DOORD_OBJECT_PATH "/org/doors/door1"
#define DOORD_INTERFACE "org.doors.door1.Manager"
#define DOORD_BUS_NAME "org.doors.door1"
#define DOORD_DEFAULT_SOCKET "/run/doord/bus"

/* Hard limits on what clients can make doord allocate. */
#define DOORD_CONNECTIONS_MAX 4096
#define DOORD_CONNECTIONS_PER_UID_MAX 1024
/* Messages queued in doord for a peer that does not read them: past
 * the first, its requests are refused; at the second it is dropped. */
#define DOORD_CONNECTION_MAX_QUEUED 64
#define DOORD_CONNECTION_DROP_QUEUED 256
/* Connections accepted per turn of the listening socket. */
#define DOORD_ACCEPT_BATCH 64

/* At most one STATUS= update per interval. */
#define DOORD_STATUS_INTERVAL_USEC (200 * 1000)

struct connection;

struct daemon {
	sd_event *event;
	sd_bus *system_bus;
	sd_id128_t server_id;

	int listen_fd;
	sd_event_source *listen_source;
	char *socket_path;
	bool socket_created;	/* we bound it, so we unlink it at exit */
	struct connection *connections;
	size_t n_connections;

	struct name_table *names;
	struct accounting *accounting;
	struct policy *policy;
	char *config_dir;

	int inotify_fd;
	sd_event_source *inotify_source;
	bool inotify_full_logged;

	sd_event_source *status_source;	/* pending STATUS= update */
	bool fdstore;		/* running under a service manager's notify socket */
	const char *state;	/* "starting", "running", "reloading", "stopping" */
	uint64_t start_usec;	/* CLOCK_REALTIME */
	uint64_t n_lookups, n_attaches, n_detaches, n_denials;
};

struct daemon_options {
	const char *socket_path;
	const char *config_dir;
	bool drop_caps;
};

int daemon_new(const struct daemon_options *o, struct daemon **ret);
struct daemon *daemon_free(struct daemon *d);
int daemon_run(struct daemon *d, const struct daemon_options *o);

/* Loads the policy again; on error keeps the old one and fills error
 * with the file, line, column and reason. */
int daemon_reload(struct daemon *d, sd_bus_error *error);

/* STATUS= line for the service manager. */
void daemon_notify_status(struct daemon *d);

#endif
