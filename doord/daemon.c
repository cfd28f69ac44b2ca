/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>

#include "caps.h"
#include "daemon.h"
#include "doorfd.h"
#include "fdstore.h"
#include "log.h"
#include "namespace.h"
#include "server.h"
#include "bus-error.h"
#include "util.h"

static void policy_warning(const char *file, int line, int column, const char *text, void *userdata)
{
	log_warning("%s:%d:%d: %s", file, line, column, text);
}

/* Loads the policy; on error the old one (if any) stays. */
static int load_policy(struct daemon *d, sd_bus_error *error)
{
	struct policy_error err = { 0 };
	struct policy *p = NULL;
	char msg[5000];
	int r;

	r = policy_load(d->config_dir, &p, &err, policy_warning, NULL);
	if (r < 0) {
		if (err.file[0])
			policy_error_format(&err, msg, sizeof(msg));
		else
			snprintf(msg, sizeof(msg), "%s: %s", d->config_dir, strerror(-r));
		log_error("Rejected policy%s: %s", d->policy ? ", keeping the previous one" : "", msg);
		if (error)
			bus_error_errnof(error, -r, "Policy rejected: %s", msg);
		return r;
	}
	policy_free(d->policy);
	d->policy = p;
	log_info("Loaded policy: %zu rules from %zu files in '%s'", policy_n_rules(p),
		 policy_n_files(p), d->config_dir);
	return 0;
}

static int on_status_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct daemon *d = userdata;

	d->status_source = sd_event_source_unref(d->status_source);
	(void)sd_notifyf(0, "STATUS=%s: %zu names, %zu peers", d->state,
			 name_table_size(d->names), d->n_connections);
	return 0;
}

/* Coalesced: a burst of attaches sends one STATUS= (sd_notify blocks
 * when the manager's socket is full, so never one per request). */
void daemon_notify_status(struct daemon *d)
{
	if (!d || !d->fdstore || d->status_source)
		return;
	if (sd_event_add_time_relative(d->event, &d->status_source, CLOCK_MONOTONIC,
				       DOORD_STATUS_INTERVAL_USEC, 0, on_status_timer, d) < 0)
		d->status_source = NULL;
}

int daemon_reload(struct daemon *d, sd_bus_error *error)
{
	int r;

	d->state = "reloading";
	(void)sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu\nSTATUS=reloading the policy",
			 (unsigned long long)now_monotonic_usec());
	r = load_policy(d, error);
	d->state = "running";
	(void)sd_notifyf(0, "READY=1\nSTATUS=%s: %zu names, %zu peers%s", d->state,
			 name_table_size(d->names), d->n_connections,
			 r < 0 ? " (policy reload failed, previous policy in force)" : "");
	return r;
}

static int on_exit_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
	struct daemon *d = userdata;

	log_info("Received %s, exiting", strsignal((int)si->ssi_signo));
	return sd_event_exit(d->event, 0);
}

static int on_hup(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
	(void)daemon_reload(userdata, NULL);
	return 0;
}

/* Rebuilds a name from the fd store after checking that the pair still
 * describes a live door and an existing file. */
static int adopt_stored(void *userdata, const struct fdstore_key *key, int door_fd, int file_fd)
{
	struct daemon *d = userdata;
	struct name_entry init = { .door_fd = door_fd, .file_fd = file_fd, .watch_wd = -1 };
	struct door_info info;
	struct stat st;
	char *path = NULL;
	int r;

	if (fstat(file_fd, &st) < 0 || st.st_dev != key->dev || st.st_ino != key->ino ||
	    st.st_nlink == 0)
		return -ESTALE;
	if (doorfd_info(door_fd, &info) < 0 || doorfd_dead_reason(&info))
		return -ESTALE;
	r = fd_get_path(file_fd, &path);
	if (r < 0)
		return r;
	init.dev = key->dev;
	init.ino = key->ino;
	init.path = path;
	init.door_id = info.id;
	init.owner_uid = key->owner_uid;
	init.attacher_uid = key->attacher_uid;
	init.mode = key->mode;
	init.attach_usec = key->attach_usec;
	r = ns_adopt(d, &init);
	if (r < 0)
		free(path);
	return r;
}

/* 100,000 names are 200,000 descriptors: raise both limits to the
 * kernel's nr_open while CAP_SYS_RESOURCE is still ours, else take
 * the hard limit. */
static void bump_nofile(void)
{
	struct rlimit rl;
	unsigned long nr_open = 0;
	FILE *f;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return;
	f = fopen("/proc/sys/fs/nr_open", "re");
	if (f) {
		if (fscanf(f, "%lu", &nr_open) != 1)
			nr_open = 0;
		fclose(f);
	}
	if (nr_open > rl.rlim_max) {
		struct rlimit want = { nr_open, nr_open };

		if (setrlimit(RLIMIT_NOFILE, &want) == 0)
			return;
	}
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

int daemon_new(const struct daemon_options *o, struct daemon **ret)
{
	struct daemon *d;
	int r;

	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->listen_fd = -1;
	d->inotify_fd = -1;
	d->state = "starting";
	d->start_usec = now_realtime_usec();
	d->fdstore = getenv("NOTIFY_SOCKET") != NULL;
	d->config_dir = strdup(o->config_dir);
	if (!d->config_dir) {
		r = -ENOMEM;
		goto fail;
	}
	r = sd_event_new(&d->event);
	if (r < 0)
		goto fail;
	r = sd_id128_randomize(&d->server_id);
	if (r < 0)
		goto fail;
	r = name_table_new(NAME_TABLE_MAX, &d->names);
	if (r < 0)
		goto fail;
	r = accounting_new(&d->accounting);
	if (r < 0)
		goto fail;
	*ret = d;
	return 0;
fail:
	daemon_free(d);
	return r;
}

struct daemon *daemon_free(struct daemon *d)
{
	struct name_entry *e;

	if (!d)
		return NULL;
	server_close(d);
	d->status_source = sd_event_source_disable_unref(d->status_source);
	/* Stopping is not detaching: the fd store keeps the names for the
	 * next start, so only our descriptors go. */
	if (d->names)
		for (e = name_table_first(d->names); e; e = name_table_next(d->names, e))
			e->door_source = sd_event_source_disable_unref(e->door_source);
	d->names = name_table_free(d->names);
	ns_watch_done(d);
	d->accounting = accounting_free(d->accounting);
	d->policy = policy_free(d->policy);
	d->event = sd_event_unref(d->event);
	free(d->socket_path);
	free(d->config_dir);
	free(d);
	return NULL;
}

static int setup_signals(struct daemon *d)
{
	sigset_t ss;
	int r;

	sigemptyset(&ss);
	sigaddset(&ss, SIGTERM);
	sigaddset(&ss, SIGINT);
	sigaddset(&ss, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &ss, NULL) < 0)
		return -errno;
	(void)signal(SIGPIPE, SIG_IGN);
	if ((r = sd_event_add_signal(d->event, NULL, SIGTERM, on_exit_signal, d)) < 0 ||
	    (r = sd_event_add_signal(d->event, NULL, SIGINT, on_exit_signal, d)) < 0 ||
	    (r = sd_event_add_signal(d->event, NULL, SIGHUP, on_hup, d)) < 0)
		return r;
	return 0;
}

int daemon_run(struct daemon *d, const struct daemon_options *o)
{
	int listen_fd = -1, r;

	bump_nofile();
	r = setup_signals(d);
	if (r < 0)
		return log_error_errno(r, "Failed to set up signal handling: %m");
	/* WATCHDOG=1 keep-alives whenever WATCHDOG_USEC asks for them. */
	r = sd_event_set_watchdog(d->event, 1);
	if (r < 0)
		return log_error_errno(r, "Failed to set up the watchdog: %m");
	r = load_policy(d, NULL);
	if (r < 0)
		return r;
	r = ns_watch_init(d);
	if (r < 0)
		return r;
	r = fdstore_collect(&listen_fd, adopt_stored, d);
	if (r < 0)
		return r;
	if (name_table_size(d->names) > 0)
		log_info("Restored %zu names from the fd store", name_table_size(d->names));
	r = server_listen(d, listen_fd, o->socket_path);
	if (r < 0)
		return r;
	r = server_connect_system_bus(d);
	if (r < 0)
		return r;
	if (o->drop_caps) {
		r = caps_drop();
		if (r < 0)
			return r;
	}
	d->state = "running";
	log_info("Serving '%s' (%zu names)", d->socket_path, name_table_size(d->names));
	(void)sd_notifyf(0, "READY=1\nSTATUS=%s: %zu names, %zu peers", d->state,
			 name_table_size(d->names), d->n_connections);
	r = sd_event_loop(d->event);
	d->state = "stopping";
	(void)sd_notify(0, "STOPPING=1\nSTATUS=stopping");
	if (r < 0)
		return log_error_errno(r, "Event loop failed: %m");
	return 0;
}
