/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "caps.h"
#include "daemon.h"
#include "doorfd.h"
#include "log.h"
#include "manager.h"
#include "namespace.h"
#include "peer.h"
#include "bus-error.h"
#include "util.h"

#define CALLER_CREDS (SD_BUS_CREDS_PID | SD_BUS_CREDS_EUID | SD_BUS_CREDS_UID | \
		      SD_BUS_CREDS_EGID | SD_BUS_CREDS_GID | \
		      SD_BUS_CREDS_SUPPLEMENTARY_GIDS | SD_BUS_CREDS_COMM | \
		      SD_BUS_CREDS_AUGMENT)

static void creds_unrefp(sd_bus_creds **c)
{
	sd_bus_creds_unref(*c);
}

/* The caller from the connection's credentials; never from the message. */
/* For log lines only: racy by nature (the pid may be gone). */
static int read_comm(pid_t pid, char *buf, size_t size)
{
	char proc[64];
	FILE *f;

	snprintf(proc, sizeof(proc), "/proc/%d/comm", (int)pid);
	f = fopen(proc, "re");
	if (!f)
		return -errno;
	if (!fgets(buf, (int)size, f)) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int get_caller(sd_bus_message *m, sd_bus_creds **ret_creds, struct caller *c,
		      char *comm, size_t comm_size, sd_bus_error *error)
{
	sd_bus_creds *creds = NULL;
	const gid_t *groups = NULL;
	int r, n;

	r = sd_bus_query_sender_creds(m, CALLER_CREDS, &creds);
	if (r < 0)
		return bus_error_errnof(error, EPERM, "Cannot determine the caller's identity");
	memset(c, 0, sizeof(*c));
	if (sd_bus_creds_get_euid(creds, &c->uid) < 0 && sd_bus_creds_get_uid(creds, &c->uid) < 0) {
		sd_bus_creds_unref(creds);
		return bus_error_errnof(error, EPERM, "Cannot determine the caller's uid");
	}
	if (sd_bus_creds_get_egid(creds, &c->gid) < 0 && sd_bus_creds_get_gid(creds, &c->gid) < 0)
		c->gid = (gid_t)-1;
	if (sd_bus_creds_get_pid(creds, &c->pid) < 0)
		c->pid = 0;
	n = sd_bus_creds_get_supplementary_gids(creds, &groups);
	if (n > 0) {
		c->groups = groups;
		c->n_groups = (size_t)n;
	}
	if (sd_bus_creds_get_comm(creds, &c->comm) < 0)
		c->comm = NULL;
	if (!c->comm && c->pid > 0 && read_comm(c->pid, comm, comm_size) == 0)
		c->comm = comm;
	/* after reading: what came from /proc/PID was the caller's only if it lives */
	if (peer_check_alive(sd_bus_message_get_bus(m)) < 0) {
		log_warning("Ignoring %s from pid %d: the process has exited, its pid may name another process now",
			    sd_bus_message_get_member(m) ?: "a request", (int)c->pid);
		sd_bus_creds_unref(creds);
		return bus_error_errnof(error, ESRCH, "The calling process has exited");
	}
	*ret_creds = creds;
	return 0;
}

static int read_fd(sd_bus_message *m, int *fd, sd_bus_error *error)
{
	int r = sd_bus_message_read(m, "h", fd);

	if (r < 0)
		return bus_error_errnof(error, EBADF, "Missing or invalid file descriptor argument");
	return 0;
}

static int method_attach(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	struct daemon *d = userdata;
	_cleanup_(creds_unrefp) sd_bus_creds *creds = NULL;
	char comm[32];
	struct caller c;
	const char *path;
	int door_fd, file_fd, r;

	r = read_fd(m, &door_fd, error);
	if (r < 0)
		return r;
	r = read_fd(m, &file_fd, error);
	if (r < 0)
		return r;
	r = get_caller(m, &creds, &c, comm, sizeof(comm), error);
	if (r < 0)
		return r;
	r = ns_attach(d, &c, door_fd, file_fd, error, &path);
	if (r < 0)
		return r;
	return sd_bus_reply_method_return(m, "s", path);
}

static int method_detach(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	struct daemon *d = userdata;
	_cleanup_(creds_unrefp) sd_bus_creds *creds = NULL;
	char comm[32];
	struct caller c;
	int fd, r;

	r = read_fd(m, &fd, error);
	if (r < 0)
		return r;
	r = get_caller(m, &creds, &c, comm, sizeof(comm), error);
	if (r < 0)
		return r;
	r = ns_detach(d, &c, fd, error);
	if (r < 0)
		return r;
	return sd_bus_reply_method_return(m, NULL);
}

static int method_lookup(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	struct daemon *d = userdata;
	_cleanup_(creds_unrefp) sd_bus_creds *creds = NULL;
	_cleanup_close_ int door = -1;
	char comm[32];
	struct caller c;
	int fd, r;

	r = read_fd(m, &fd, error);
	if (r < 0)
		return r;
	r = get_caller(m, &creds, &c, comm, sizeof(comm), error);
	if (r < 0)
		return r;
	door = ns_lookup(d, &c, fd, error);
	if (door < 0)
		return door;
	/* The reply duplicates the descriptor; ours closes on return. */
	return sd_bus_reply_method_return(m, "h", door);
}

static int append_list_entry(sd_bus_message *reply, const struct name_entry *e, bool stats)
{
	struct door_info info = { .target = -1 };
	struct door_stats st = { 0 };

	(void)doorfd_info(e->door_fd, &info);
	if (stats)
		(void)doorfd_stats(e->door_fd, &st);
	return sd_bus_message_append(reply, "(stiuuutt)", e->path, e->door_id, (int32_t)info.target,
				     (uint32_t)info.attributes, (uint32_t)e->owner_uid,
				     (uint32_t)e->mode, e->attach_usec, (uint64_t)st.calls);
}

static int method_list(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	struct daemon *d = userdata;
	sd_bus_message *reply = NULL;
	struct name_entry *e;
	int r, raised;

	r = sd_bus_message_new_method_return(m, &reply);
	if (r < 0)
		return r;
	r = sd_bus_message_open_container(reply, 'a', "(stiuuutt)");
	raised = caps_raise_stats();
	for (e = name_table_first(d->names); e && r >= 0; e = name_table_next(d->names, e))
		r = append_list_entry(reply, e, true);
	if (raised > 0)
		caps_lower_stats();
	if (r >= 0)
		r = sd_bus_message_close_container(reply);
	if (r >= 0)
		r = sd_bus_send(NULL, reply, NULL);
	sd_bus_message_unref(reply);
	return r;
}

static int append_stats(sd_bus_message *reply, const struct door_stats *st)
{
	int r;

	r = sd_bus_message_append(reply, "{sv}{sv}{sv}{sv}{sv}",
				  "Calls", "t", (uint64_t)st->calls,
				  "Errors", "t", (uint64_t)st->errors,
				  "Active", "t", (uint64_t)st->active,
				  "PeakActive", "t", (uint64_t)st->peak_active,
				  "ThreadsParked", "t", (uint64_t)st->threads_parked);
	if (r < 0)
		return r;
	r = sd_bus_message_open_container(reply, 'e', "sv");
	if (r >= 0)
		r = sd_bus_message_append(reply, "s", "LatencyHistogram");
	if (r >= 0)
		r = sd_bus_message_open_container(reply, 'v', "at");
	if (r >= 0)
		r = sd_bus_message_append_array(reply, 't', st->latency, sizeof(st->latency));
	if (r >= 0)
		r = sd_bus_message_close_container(reply);
	if (r >= 0)
		r = sd_bus_message_close_container(reply);
	return r;
}

static int method_info(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	struct daemon *d = userdata;
	sd_bus_message *reply = NULL;
	struct door_info info = { .target = -1 };
	struct door_stats st;
	struct name_entry *e;
	int fd, r, raised, have_stats;

	r = read_fd(m, &fd, error);
	if (r < 0)
		return r;
	r = ns_find(d, fd, error, &e);
	if (r < 0)
		return r;
	(void)doorfd_info(e->door_fd, &info);
	raised = caps_raise_stats();
	have_stats = doorfd_stats(e->door_fd, &st) >= 0;
	if (raised > 0)
		caps_lower_stats();

	r = sd_bus_message_new_method_return(m, &reply);
	if (r < 0)
		return r;
	r = sd_bus_message_open_container(reply, 'a', "{sv}");
	if (r >= 0)
		r = sd_bus_message_append(reply, "{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}",
					  "Path", "s", e->path,
					  "Id", "t", e->door_id,
					  "ServerPid", "i", (int32_t)info.target,
					  "Attributes", "u", (uint32_t)info.attributes,
					  "Owner", "u", (uint32_t)e->owner_uid,
					  "AttachedBy", "u", (uint32_t)e->attacher_uid,
					  "Mode", "u", (uint32_t)e->mode,
					  "AttachTime", "t", e->attach_usec,
					  "Names", "u", (uint32_t)name_table_door_names(d->names, e->door_id));
	if (r >= 0 && have_stats)
		r = append_stats(reply, &st);
	if (r >= 0)
		r = sd_bus_message_close_container(reply);
	if (r >= 0)
		r = sd_bus_send(NULL, reply, NULL);
	sd_bus_message_unref(reply);
	return r;
}

static int append_policy_files(sd_bus_message *reply, const struct policy *p)
{
	size_t i;
	int r;

	r = sd_bus_message_open_container(reply, 'e', "sv");
	if (r >= 0)
		r = sd_bus_message_append(reply, "s", "PolicyFiles");
	if (r >= 0)
		r = sd_bus_message_open_container(reply, 'v', "as");
	if (r >= 0)
		r = sd_bus_message_open_container(reply, 'a', "s");
	for (i = 0; r >= 0 && p && i < policy_n_files(p); i++)
		r = sd_bus_message_append(reply, "s", policy_file(p, i));
	if (r >= 0)
		r = sd_bus_message_close_container(reply);
	if (r >= 0)
		r = sd_bus_message_close_container(reply);
	if (r >= 0)
		r = sd_bus_message_close_container(reply);
	return r;
}

static int method_status(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	struct daemon *d = userdata;
	sd_bus_message *reply = NULL;
	int r;

	r = sd_bus_message_new_method_return(m, &reply);
	if (r < 0)
		return r;
	r = sd_bus_message_open_container(reply, 'a', "{sv}");
	if (r >= 0)
		r = sd_bus_message_append(reply, "{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}",
					  "Version", "s", PACKAGE_VERSION,
					  "State", "s", d->state,
					  "Names", "u", (uint32_t)name_table_size(d->names),
					  "StartTime", "t", d->start_usec,
					  "Connections", "u", (uint32_t)d->n_connections,
					  "Lookups", "t", d->n_lookups,
					  "Attaches", "t", d->n_attaches,
					  "Detaches", "t", d->n_detaches,
					  "Denials", "t", d->n_denials,
					  "Socket", "s", d->socket_path ? d->socket_path : "",
					  "FDStore", "b", (int)d->fdstore,
					  "NameTableBytes", "t", (uint64_t)name_table_memory(d->names));
	if (r >= 0)
		r = sd_bus_message_append(reply, "{sv}{sv}", "ConfigDirectory", "s", d->config_dir,
					  "Rules", "u", (uint32_t)(d->policy ? policy_n_rules(d->policy) : 0));
	if (r >= 0)
		r = append_policy_files(reply, d->policy);
	if (r >= 0)
		r = sd_bus_message_close_container(reply);
	if (r >= 0)
		r = sd_bus_send(NULL, reply, NULL);
	sd_bus_message_unref(reply);
	return r;
}

static int method_reload(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	struct daemon *d = userdata;
	_cleanup_(creds_unrefp) sd_bus_creds *creds = NULL;
	char comm[32];
	struct caller c;
	int r;

	r = get_caller(m, &creds, &c, comm, sizeof(comm), error);
	if (r < 0)
		return r;
	if (c.uid != 0)
		return bus_error_errnof(error, EPERM, "Only root may reload the policy");
	/* Handled synchronously: the reply leaves after the new policy is
	 * in force, so it is a barrier for the caller. */
	r = daemon_reload(d, error);
	if (r < 0)
		return r;
	return sd_bus_reply_method_return(m, NULL);
}

const sd_bus_vtable manager_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD_WITH_ARGS("Attach", SD_BUS_ARGS("h", door, "h", file), SD_BUS_RESULT("s", path),
				method_attach, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("Detach", SD_BUS_ARGS("h", file), SD_BUS_NO_RESULT,
				method_detach, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("Lookup", SD_BUS_ARGS("h", file), SD_BUS_RESULT("h", door),
				method_lookup, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("List", SD_BUS_NO_ARGS, SD_BUS_RESULT("a(stiuuutt)", names),
				method_list, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("Info", SD_BUS_ARGS("h", file), SD_BUS_RESULT("a{sv}", info),
				method_info, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("Status", SD_BUS_NO_ARGS, SD_BUS_RESULT("a{sv}", status),
				method_status, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("Reload", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT,
				method_reload, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_SIGNAL_WITH_ARGS("Attached", SD_BUS_ARGS("s", path, "t", id), 0),
	SD_BUS_SIGNAL_WITH_ARGS("Detached", SD_BUS_ARGS("s", path, "t", id, "s", reason), 0),
	SD_BUS_SIGNAL_WITH_ARGS("Revoked", SD_BUS_ARGS("s", path, "t", id), 0),
	SD_BUS_SIGNAL_WITH_ARGS("Unreferenced", SD_BUS_ARGS("s", path, "t", id), 0),
	SD_BUS_VTABLE_END
};
