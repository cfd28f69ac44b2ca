/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The rules, in the order they are checked for fattach (illumos
 * namefs nm_mount, reference/illumos-doors.md §1.5i):
 *   the descriptor must be a live door (EINVAL);
 *   the file must exist, have a path and not be a door itself (ENOENT, EINVAL);
 *   not under /dev/pts or /dev/vt (ENOTSUP);
 *   the caller owns the file or is privileged (EPERM), and the owner
 *   may write it (EACCES);
 *   one door per file (EBUSY);
 *   then doord's own policy (EACCES) and limits (EDQUOT, ENOSPC).
 * "Privileged" is uid 0 as seen by the socket.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>

#include "denial.h"
#include "doorfd.h"
#include "fdstore.h"
#include "log.h"
#include "namespace.h"
#include "server.h"
#include "bus-error.h"
#include "util.h"

#define WATCH_MASK (IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF)

static bool privileged(const struct caller *c)
{
	return c->uid == 0;
}

static int on_door_event(sd_event_source *s, int fd, uint32_t revents, void *userdata);

/* A readable description of a descriptor a client passed, for messages. */
static void describe_fd(int fd, char *buf, size_t size)
{
	_cleanup_free_ char *path = NULL;

	if (fd_get_path(fd, &path) >= 0)
		snprintf(buf, size, "%s", path);
	else
		snprintf(buf, size, "descriptor %d", fd);
}

static void add_watches(struct daemon *d, struct name_entry *e)
{
	char proc[64];
	int wd;

	if (d->inotify_fd < 0)
		return;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", e->file_fd);
	wd = inotify_add_watch(d->inotify_fd, proc, WATCH_MASK);
	if (wd < 0) {
		/* Out of watches (fs.inotify.max_user_watches) or no read
		 * access: the unlink is then noticed on the next lookup. */
		if (errno == ENOSPC && !d->inotify_full_logged) {
			log_warning("Out of inotify watches: unlinked names are detached on their next lookup");
			d->inotify_full_logged = true;
		} else if (errno != ENOSPC) {
			log_debug_errno(errno, "Cannot watch '%s' for unlink: %m", e->path);
		}
		return;
	}
	if (name_table_set_wd(d->names, e, wd) < 0)
		log_debug("inotify watch %d already in use, not watching '%s'", wd, e->path);
}

static int watch_door(struct daemon *d, struct name_entry *e)
{
	sd_event_source *s = NULL;
	int r;

	/* EPOLLHUP is reported whatever the mask: that is revocation or
	 * server death. */
	r = sd_event_add_io(d->event, &s, e->door_fd, EPOLLHUP, on_door_event, e);
	if (r < 0)
		return r;
	e->door_source = s;
	return 0;
}

void ns_remove(struct daemon *d, struct name_entry *e, const char *reason)
{
	_cleanup_free_ char *path = e->path;
	uint64_t id = e->door_id;
	bool last;

	e->path = NULL;
	sd_event_source_disable_unref(e->door_source);
	e->door_source = NULL;
	if (e->watch_wd >= 0 && d->inotify_fd >= 0)
		(void)inotify_rm_watch(d->inotify_fd, e->watch_wd);
	if (d->fdstore)
		fdstore_remove(e);
	accounting_detach(d->accounting, e->attacher_uid);
	/* Closes doord's reference: if it was the last besides the
	 * server's own, the server gets its unreferenced invocation. */
	name_table_remove(d->names, e);
	last = name_table_door_names(d->names, id) == 0;
	d->n_detaches++;

	log_info("Detached '%s' (door %llu): %s", path ? path : "?", (unsigned long long)id, reason);
	if (strcmp(reason, "revoked") == 0 || strcmp(reason, "server-exited") == 0)
		server_emit(d, "Revoked", path ? path : "", id, NULL);
	server_emit(d, "Detached", path ? path : "", id, reason);
	if (last)
		server_emit(d, "Unreferenced", path ? path : "", id, NULL);
	daemon_notify_status(d);
}

static int on_door_event(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	struct name_entry *e = userdata;
	struct daemon *d = e->context;
	struct door_info info;
	const char *reason = "revoked";

	if (doorfd_info(e->door_fd, &info) >= 0 && doorfd_dead_reason(&info))
		reason = doorfd_dead_reason(&info);
	ns_remove(d, e, reason);
	return 0;
}

static int on_inotify(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	struct daemon *d = userdata;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n;

	for (;;) {
		const struct inotify_event *ev;
		size_t off;

		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			break;
		for (off = 0; off < (size_t)n; off += sizeof(*ev) + ev->len) {
			struct name_entry *e;
			struct stat st;

			ev = (const struct inotify_event *)(buf + off);
			e = name_table_find_wd(d->names, ev->wd);
			if (!e)
				continue;
			if (ev->mask & IN_IGNORED) {
				(void)name_table_set_wd(d->names, e, -1);
				continue;
			}
			if (fstat(e->file_fd, &st) == 0 && st.st_nlink == 0) {
				ns_remove(d, e, "unlinked");
				continue;
			}
			if (ev->mask & IN_MOVE_SELF) {
				char *path = NULL;

				/* The name follows the inode: only its spelling changed. */
				if (fd_get_path(e->file_fd, &path) >= 0) {
					free(e->path);
					e->path = path;
				}
			}
		}
	}
	return 0;
}

int ns_watch_init(struct daemon *d)
{
	int r;

	d->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (d->inotify_fd < 0) {
		log_warning_errno(errno, "inotify is unavailable, unlinks are noticed on lookup: %m");
		return 0;
	}
	r = sd_event_add_io(d->event, &d->inotify_source, d->inotify_fd, EPOLLIN, on_inotify, d);
	if (r < 0)
		return log_error_errno(r, "Failed to watch inotify: %m");
	return 0;
}

void ns_watch_done(struct daemon *d)
{
	d->inotify_source = sd_event_source_disable_unref(d->inotify_source);
	d->inotify_fd = safe_close(d->inotify_fd);
}

static void rule_text(const struct policy_decision *dec, char *buf, size_t size)
{
	if (dec->file)
		snprintf(buf, size, "rule %s#%d", dec->file, dec->rule_index);
	else
		snprintf(buf, size, "no rule matched, default deny");
}

static struct policy_subject subject_of(const struct caller *c)
{
	return (struct policy_subject){
		.uid = c->uid, .gid = c->gid, .groups = c->groups, .n_groups = c->n_groups,
	};
}

/* Policy for op on path; denials are logged and answered EACCES. */
static int check_policy(struct daemon *d, const struct caller *c, enum policy_op op,
			const char *path, sd_bus_error *error)
{
	struct policy_subject s = subject_of(c);
	struct policy_decision dec;
	char rule[4200];
	int r;

	r = policy_check(d->policy, op, &s, path, &dec);
	if (r < 0)
		return bus_error_errnof(error, -r, "Cannot evaluate the policy for '%s'", path);
	if (dec.allow)
		return 0;
	d->n_denials++;
	rule_text(&dec, rule, sizeof(rule));
	denial_log(DOORD_MESSAGE_DENIED, policy_op_to_string(op), path, c, rule, "policy");
	return bus_error_errnof(error, EACCES, "Policy does not allow uid %u to %s '%s' (%s)",
				       (unsigned)c->uid, policy_op_to_string(op), path, rule);
}

static int check_attach_file(const struct caller *c, int file_fd, const struct stat *st,
			     const char *path, sd_bus_error *error)
{
	if ((st->st_mode & S_IFMT) == 0)
		return bus_error_errnof(error, EINVAL,
					       "Cannot attach to a door or an anonymous file");
	if (policy_path_has_prefix(path, "/dev/pts") || policy_path_has_prefix(path, "/dev/vt"))
		return bus_error_errnof(error, ENOTSUP, "Cannot attach under '/dev/pts' or '/dev/vt': '%s'",
					       path);
	if (privileged(c))
		return 0;
	if (st->st_uid != c->uid)
		return bus_error_errnof(error, EPERM, "uid %u does not own '%s'",
					       (unsigned)c->uid, path);
	if (!(st->st_mode & S_IWUSR))
		return bus_error_errnof(error, EACCES, "The owner of '%s' has no write permission on it",
					       path);
	return 0;
}

static int check_attach_limits(struct daemon *d, const struct caller *c, const char *path,
			       sd_bus_error *error)
{
	struct policy_subject s = subject_of(c);
	struct policy_limits lim;
	char rule[4200];

	if (name_table_size(d->names) >= NAME_TABLE_MAX)
		return bus_error_errnof(error, ENOSPC, "doord holds the most names it can (%d)",
					       NAME_TABLE_MAX);
	policy_get_limits(d->policy, &s, &lim);
	if (lim.attachments == POLICY_UNLIMITED ||
	    accounting_attachments(d->accounting, c->uid) < lim.attachments)
		return 0;
	d->n_denials++;
	if (lim.file)
		snprintf(rule, sizeof(rule), "limit attachments=%llu, %s#%d",
			 (unsigned long long)lim.attachments, lim.file, lim.index);
	else
		snprintf(rule, sizeof(rule), "built-in limit attachments=%llu",
			 (unsigned long long)lim.attachments);
	denial_log(DOORD_MESSAGE_LIMIT, "attach", path, c, rule, "limit reached");
	return bus_error_errnof(error, EDQUOT, "uid %u has attached its limit of %llu names (%s)",
				       (unsigned)c->uid, (unsigned long long)lim.attachments, rule);
}

/* Builds the entry's descriptors: a fresh door reference (so the name
 * counts as a reference of its own) and an O_PATH copy of the file. */
static int make_entry_fds(int door_fd, int file_fd, struct name_entry *e, sd_bus_error *error)
{
	e->door_fd = doorfd_newref(door_fd);
	if (e->door_fd < 0)
		return bus_error_errnof(error, -e->door_fd, "Cannot take a reference to the door: %s",
					       strerror(-e->door_fd));
	e->file_fd = fd_reopen_path(file_fd);
	if (e->file_fd < 0) {
		int r = e->file_fd;

		e->door_fd = safe_close(e->door_fd);
		return bus_error_errnof(error, -r, "Cannot reopen the file: %s", strerror(-r));
	}
	return 0;
}

/* Everything after the entry is in the table: watches, store, counts. */
static int activate_entry(struct daemon *d, struct name_entry *e, bool push)
{
	int r;

	e->context = d;
	r = watch_door(d, e);
	if (r < 0)
		return r;
	add_watches(d, e);
	if (d->fdstore && push) {
		r = fdstore_push(e);
		if (r < 0)
			log_warning_errno(r, "Failed to keep '%s' in the fd store, it will not survive a restart: %m",
					  e->path);
	}
	return accounting_attach(d->accounting, e->attacher_uid);
}

int ns_attach(struct daemon *d, const struct caller *c, int door_fd, int file_fd,
	      sd_bus_error *error, const char **ret_path)
{
	struct name_entry init = { .door_fd = -1, .file_fd = -1, .watch_wd = -1 }, *e;
	_cleanup_free_ char *path = NULL;
	struct door_info info;
	const char *dead;
	struct stat st;
	int r;

	r = doorfd_info(door_fd, &info);
	if (r == -EINVAL)
		return bus_error_errnof(error, EINVAL, "The first descriptor is not a door");
	if (r < 0)
		return bus_error_errnof(error, -r, "Cannot query the door: %s", strerror(-r));
	dead = doorfd_dead_reason(&info);
	if (dead)
		return bus_error_errnof(error, EINVAL, "The door cannot be attached: %s", dead);
	if (fstat(file_fd, &st) < 0)
		return bus_error_errnof(error, errno, "Cannot examine the file: %m");
	if (st.st_nlink == 0)
		return bus_error_errnof(error, ENOENT, "The file has been removed");
	r = fd_get_path(file_fd, &path);
	if (r < 0)
		return bus_error_errnof(error, r == -EINVAL ? EINVAL : -r,
					       "The file has no path doord can see");
	r = check_attach_file(c, file_fd, &st, path, error);
	if (r < 0)
		return r;
	if (name_table_find(d->names, st.st_dev, st.st_ino))
		return bus_error_errnof(error, EBUSY, "A door is already attached to '%s'", path);
	r = check_policy(d, c, POLICY_OP_ATTACH, path, error);
	if (r < 0)
		return r;
	r = check_attach_limits(d, c, path, error);
	if (r < 0)
		return r;

	init.dev = st.st_dev;
	init.ino = st.st_ino;
	init.door_id = info.id;
	init.owner_uid = st.st_uid;
	init.attacher_uid = c->uid;
	init.mode = st.st_mode & 07777;
	init.attach_usec = now_realtime_usec();
	r = make_entry_fds(door_fd, file_fd, &init, error);
	if (r < 0)
		return r;
	init.path = path;
	r = name_table_add(d->names, &init, &e);
	if (r < 0) {
		safe_close(init.door_fd);
		safe_close(init.file_fd);
		return bus_error_errnof(error, -r, "Cannot add the name: %s", strerror(-r));
	}
	path = NULL;	/* the table owns it */
	r = activate_entry(d, e, true);
	if (r < 0) {
		bus_error_errnof(error, -r, "Cannot watch the door: %s", strerror(-r));
		sd_event_source_disable_unref(e->door_source);
		if (e->watch_wd >= 0)
			(void)inotify_rm_watch(d->inotify_fd, e->watch_wd);
		if (d->fdstore)
			fdstore_remove(e);
		name_table_remove(d->names, e);
		return r;
	}
	d->n_attaches++;
	log_info("Attached door %llu at '%s' for uid %u", (unsigned long long)e->door_id, e->path,
		 (unsigned)c->uid);
	server_emit(d, "Attached", e->path, e->door_id, NULL);
	daemon_notify_status(d);
	*ret_path = e->path;
	return 0;
}

int ns_find(struct daemon *d, int file_fd, sd_bus_error *error, struct name_entry **ret)
{
	struct name_entry *e;
	struct stat st;
	char what[4200];

	if (fstat(file_fd, &st) < 0)
		return bus_error_errnof(error, errno, "Cannot examine the file: %m");
	e = name_table_find(d->names, st.st_dev, st.st_ino);
	if (e && fstat(e->file_fd, &st) == 0 && st.st_nlink == 0) {
		/* inotify may be behind, or not watching this file. */
		ns_remove(d, e, "unlinked");
		e = NULL;
	}
	if (!e) {
		describe_fd(file_fd, what, sizeof(what));
		return bus_error_errnof(error, ENOENT, "No door is attached to '%s'", what);
	}
	*ret = e;
	return 0;
}

int ns_detach(struct daemon *d, const struct caller *c, int file_fd, sd_bus_error *error)
{
	struct name_entry *e;
	int r;

	r = ns_find(d, file_fd, error, &e);
	if (r == -ENOENT) {
		/* fdetach(3C): EINVAL when nothing is attached. */
		sd_bus_error_free(error);
		return bus_error_errnof(error, EINVAL, "No door is attached there");
	}
	if (r < 0)
		return r;
	if (!privileged(c) && c->uid != e->owner_uid)
		return bus_error_errnof(error, EPERM, "uid %u does not own the name '%s'",
					       (unsigned)c->uid, e->path);
	ns_remove(d, e, "detached");
	return 0;
}

/* O_PATH opens check only search permission on the way; stand in for
 * the read permission a real open would have checked. */
static bool may_read(const struct caller *c, const struct stat *st)
{
	size_t i;

	if (privileged(c))
		return true;
	if (st->st_uid == c->uid)
		return st->st_mode & S_IRUSR;
	if (st->st_gid == c->gid)
		return st->st_mode & S_IRGRP;
	for (i = 0; i < c->n_groups; i++)
		if (c->groups[i] == st->st_gid)
			return st->st_mode & S_IRGRP;
	return st->st_mode & S_IROTH;
}

static int check_lookup_rate(struct daemon *d, const struct caller *c, const char *path,
			     sd_bus_error *error)
{
	struct policy_subject s = subject_of(c);
	struct policy_limits lim;
	char rule[4200];
	int r;

	policy_get_limits(d->policy, &s, &lim);
	r = accounting_take_lookup(d->accounting, c->uid, lim.lookups_per_second,
				   now_monotonic_usec());
	if (r != -EAGAIN)
		return r < 0 ? bus_error_errnof(error, -r, "Out of memory") : 0;
	d->n_denials++;
	snprintf(rule, sizeof(rule), "limit lookups_per_second=%llu%s%s#%d",
		 (unsigned long long)lim.lookups_per_second, lim.file ? ", " : " (built in)",
		 lim.file ? lim.file : "", lim.file ? lim.index : 0);
	denial_log(DOORD_MESSAGE_LIMIT, "lookup", path, c, rule, "rate limit");
	return bus_error_errnof(error, EAGAIN, "uid %u exceeded %llu lookups per second",
				       (unsigned)c->uid, (unsigned long long)lim.lookups_per_second);
}

int ns_lookup(struct daemon *d, const struct caller *c, int file_fd, sd_bus_error *error)
{
	struct name_entry *e;
	struct door_info info;
	struct stat st;
	int fl, r, fd;

	r = ns_find(d, file_fd, error, &e);
	if (r < 0)
		return r;
	fl = fcntl(file_fd, F_GETFL);
	if (fl < 0)
		return bus_error_errnof(error, errno, "Cannot examine the descriptor: %m");
	if ((fl & O_PATH) && (fstat(file_fd, &st) < 0 || !may_read(c, &st)))
		return bus_error_errnof(error, EACCES, "uid %u may not read '%s'",
					       (unsigned)c->uid, e->path);
	r = check_policy(d, c, POLICY_OP_LOOKUP, e->path, error);
	if (r < 0)
		return r;
	r = check_lookup_rate(d, c, e->path, error);
	if (r < 0)
		return r;
	/* The poll event may still be queued behind this request. */
	if (doorfd_info(e->door_fd, &info) >= 0 && doorfd_dead_reason(&info)) {
		ns_remove(d, e, doorfd_dead_reason(&info));
		return bus_error_errnof(error, ENOENT, "The door was revoked or its server exited");
	}
	fd = doorfd_newref(e->door_fd);
	if (fd < 0)
		return bus_error_errnof(error, -fd, "Cannot take a new reference to the door: %s",
					       strerror(-fd));
	d->n_lookups++;
	return fd;
}

int ns_adopt(struct daemon *d, const struct name_entry *init)
{
	struct name_entry *e;
	int r;

	r = name_table_add(d->names, init, &e);
	if (r < 0)
		return r;
	r = activate_entry(d, e, false);
	if (r < 0) {
		/* The caller still owns the descriptors on failure. */
		sd_event_source_disable_unref(e->door_source);
		if (e->watch_wd >= 0)
			(void)inotify_rm_watch(d->inotify_fd, e->watch_wd);
		e->door_fd = e->file_fd = -1;
		e->path = NULL;
		name_table_remove(d->names, e);
		return r;
	}
	return 0;
}
