/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "bus-error.h"
#include "log.h"
#include "manager.h"
#include "server.h"
#include "util.h"

struct connection {
	struct daemon *d;
	sd_bus *bus;
	uid_t uid;
	pid_t pid;		/* at connect time, for log lines */
	sd_event_source *drop_source;	/* set once the peer is to be dropped */
	struct connection *prev, *next;
};

/* Closes without flushing: a peer that does not read its replies must
 * not block the daemon, at exit or ever. */
static struct connection *connection_free(struct connection *c)
{
	if (!c)
		return NULL;
	if (c->d) {
		if (c->prev)
			c->prev->next = c->next;
		else
			c->d->connections = c->next;
		if (c->next)
			c->next->prev = c->prev;
		c->d->n_connections--;
	}
	c->drop_source = sd_event_source_disable_unref(c->drop_source);
	sd_bus_close_unref(c->bus);
	free(c);
	return NULL;
}

static int on_disconnected(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	struct connection *c = userdata;
	struct daemon *d = c->d;

	log_debug("Peer with uid %u disconnected", (unsigned)c->uid);
	connection_free(c);
	daemon_notify_status(d);
	return 0;
}

static int on_drop(sd_event_source *s, void *userdata)
{
	struct connection *c = userdata;
	struct daemon *d = c->d;

	connection_free(c);
	daemon_notify_status(d);
	return 0;
}

/* Freed from the event loop, not from inside the bus's own dispatch. */
static void connection_drop(struct connection *c, size_t queued)
{
	if (c->drop_source)
		return;
	log_warning("Disconnecting uid %u pid %d: %zu messages unread (limit %u)",
		    (unsigned)c->uid, (int)c->pid, queued, DOORD_CONNECTION_DROP_QUEUED);
	if (sd_event_add_defer(c->d->event, &c->drop_source, on_drop, c) < 0) {
		/* Out of memory: at least stop serving it. */
		c->drop_source = NULL;
		sd_bus_close(c->bus);
	}
}

static size_t queued_replies(sd_bus *bus)
{
	uint64_t n = 0;

	if (sd_bus_get_n_queued_write(bus, &n) < 0)
		return 0;
	return (size_t)n;
}

/*
 * Runs before every request is dispatched. Replies pile up in doord
 * (each Lookup reply holds a door descriptor) when a peer sends
 * requests without reading the answers: past a first bound its new
 * requests are refused without doing the work, past a second it is
 * disconnected, so it cannot exhaust doord's memory or descriptors.
 */
static int on_message(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	struct connection *c = userdata;
	size_t queued;

	if (c->drop_source)
		return 1;	/* being dropped: ignore what it still sends */
	if (!sd_bus_message_is_method_call(m, NULL, NULL))
		return 0;
	queued = queued_replies(c->bus);
	if (queued >= DOORD_CONNECTION_DROP_QUEUED) {
		connection_drop(c, queued);
		return 1;
	}
	if (queued >= DOORD_CONNECTION_MAX_QUEUED)
		return bus_error_errnof(error, ENOBUFS,
					"Too many unread replies on this connection (%zu, limit %u): "
					"read the replies before sending more requests",
					queued, DOORD_CONNECTION_MAX_QUEUED);
	return 0;
}

static size_t connections_of(struct daemon *d, uid_t uid)
{
	struct connection *c;
	size_t n = 0;

	for (c = d->connections; c; c = c->next)
		n += c->uid == uid;
	return n;
}

int server_add_object(struct daemon *d, sd_bus *bus)
{
	int r;

	r = sd_bus_add_object_vtable(bus, NULL, DOORD_OBJECT_PATH, DOORD_INTERFACE,
				     manager_vtable, d);
	if (r < 0)
		return r;
	return 0;
}

static int connection_start(struct daemon *d, int fd, const struct ucred *cred)
{
	struct connection *c;
	int r;

	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->uid = cred->uid;
	c->pid = cred->pid;
	r = sd_bus_new(&c->bus);
	if (r < 0)
		goto fail;
	r = sd_bus_set_fd(c->bus, fd, fd);
	if (r < 0)
		goto fail;
	fd = -1;	/* the bus owns it now */
	if ((r = sd_bus_set_server(c->bus, 1, d->server_id)) < 0 ||
	    (r = sd_bus_set_anonymous(c->bus, 1)) < 0 ||
	    (r = sd_bus_negotiate_fds(c->bus, 1)) < 0 ||
	    (r = sd_bus_set_description(c->bus, "doord-peer")) < 0)
		goto fail;
	r = server_add_object(d, c->bus);
	if (r < 0)
		goto fail;
	r = sd_bus_add_filter(c->bus, NULL, on_message, c);
	if (r < 0)
		goto fail;
	r = sd_bus_match_signal(c->bus, NULL, "org.freedesktop.DBus.Local",
				"/org/freedesktop/DBus/Local", "org.freedesktop.DBus.Local",
				"Disconnected", on_disconnected, c);
	if (r < 0)
		goto fail;
	r = sd_bus_start(c->bus);
	if (r < 0)
		goto fail;
	/*
	 * Fairness: every connection has its own event sources at the same
	 * priority, sd-bus handles one message per dispatch, and sd-event
	 * dispatches ready sources of equal priority oldest first. So each
	 * ready peer gets one request served per round, however much a
	 * single peer sends.
	 */
	r = sd_bus_attach_event(c->bus, d->event, SD_EVENT_PRIORITY_NORMAL);
	if (r < 0)
		goto fail;
	c->d = d;
	c->next = d->connections;
	if (c->next)
		c->next->prev = c;
	d->connections = c;
	d->n_connections++;
	return 0;
fail:
	safe_close(fd);
	connection_free(c);
	return r;
}

/* Accepts one connection; false when the backlog is empty or accept
 * fails for a reason that another try now would not fix. */
static bool accept_one(struct daemon *d, int fd)
{
	_cleanup_close_ int cfd = -1;
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int r;

	cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (cfd < 0) {
		if (errno == ECONNABORTED || errno == EINTR)
			return true;
		if (errno != EAGAIN)
			/* EMFILE and friends: keep serving the peers we have. */
			log_warning_errno(errno, "Failed to accept a connection: %m");
		return false;
	}
	if (getsockopt(cfd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
		log_warning_errno(errno, "Failed to read peer credentials, refusing connection: %m");
		return true;
	}
	if (d->n_connections >= DOORD_CONNECTIONS_MAX ||
	    connections_of(d, cred.uid) >= DOORD_CONNECTIONS_PER_UID_MAX) {
		log_warning("Refusing connection from uid %u pid %d: too many connections",
			    (unsigned)cred.uid, (int)cred.pid);
		return true;
	}
	r = connection_start(d, take_fd(&cfd), &cred);
	if (r < 0)
		log_warning_errno(r, "Failed to set up a connection from pid %d: %m", (int)cred.pid);
	return true;
}

/*
 * The listening socket is one source among all the connections: taking
 * one peer per turn would leave the last of many simultaneous clients
 * waiting while every earlier one is served again and again. A batch
 * per turn lets newcomers in at once; the bound keeps a connect storm
 * from holding up the peers already served.
 */
static int on_accept(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	struct daemon *d = userdata;
	int i;

	for (i = 0; i < DOORD_ACCEPT_BATCH && accept_one(d, fd); i++)
		;
	return 0;
}

/* A socket file at path: stale (nobody listening) is removed, live
 * means another doord serves it. */
static int clear_stale_socket(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	_cleanup_close_ int fd = -1;
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : negative_errno();
	if (!S_ISSOCK(st.st_mode))
		return log_error_errno(EEXIST, "'%s' exists and is not a socket", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return negative_errno();
	strncpy(sa.sun_path, path, sizeof(sa.sun_path) - 1);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		return log_error_errno(EADDRINUSE, "Another doord is already serving '%s'", path);
	if (unlink(path) < 0 && errno != ENOENT)
		return log_error_errno(errno, "Failed to remove stale socket '%s': %m", path);
	return 0;
}

static int make_parent_dir(const char *path)
{
	_cleanup_free_ char *dir = strdup(path);
	char *slash;

	if (!dir)
		return -ENOMEM;
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return log_error_errno(errno, "Failed to create directory '%s': %m", dir);
	return 0;
}

static int bind_socket(struct daemon *d, const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	_cleanup_close_ int fd = -1;
	int r;

	if (strlen(path) >= sizeof(sa.sun_path))
		return log_error_errno(ENAMETOOLONG, "Socket path '%s' is too long", path);
	strcpy(sa.sun_path, path);
	r = make_parent_dir(path);
	if (r < 0)
		return r;
	r = clear_stale_socket(path);
	if (r < 0)
		return r;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return log_error_errno(errno, "Failed to create socket: %m");
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return log_error_errno(errno, "Failed to bind '%s': %m", path);
	d->socket_created = true;
	/* Anyone may connect; the policy decides what they may do. */
	if (chmod(path, 0666) < 0)
		return log_error_errno(errno, "Failed to make '%s' accessible: %m", path);
	if (listen(fd, SOMAXCONN) < 0)
		return log_error_errno(errno, "Failed to listen on '%s': %m", path);
	d->listen_fd = take_fd(&fd);
	return 0;
}

int server_listen(struct daemon *d, int listen_fd, const char *path)
{
	int r;

	d->socket_path = strdup(path);
	if (!d->socket_path)
		return -ENOMEM;
	if (listen_fd >= 0) {
		int fl = fcntl(listen_fd, F_GETFL);

		if (fl < 0 || fcntl(listen_fd, F_SETFL, fl | O_NONBLOCK) < 0)
			return log_error_errno(errno, "Failed to set up the activation socket: %m");
		d->listen_fd = listen_fd;
	} else {
		r = bind_socket(d, path);
		if (r < 0)
			return r;
	}
	r = sd_event_add_io(d->event, &d->listen_source, d->listen_fd, EPOLLIN, on_accept, d);
	if (r < 0)
		return log_error_errno(r, "Failed to watch the listening socket: %m");
	return 0;
}

void server_close(struct daemon *d)
{
	while (d->connections)
		connection_free(d->connections);
	d->listen_source = sd_event_source_disable_unref(d->listen_source);
	d->listen_fd = safe_close(d->listen_fd);
	if (d->socket_created && d->socket_path)
		(void)unlink(d->socket_path);
	d->system_bus = sd_bus_flush_close_unref(d->system_bus);
}

int server_connect_system_bus(struct daemon *d)
{
	sd_bus *bus = NULL;
	int r;

	if (access("/run/dbus/system_bus_socket", F_OK) < 0 && !getenv("DBUS_SYSTEM_BUS_ADDRESS"))
		return 0;
	r = sd_bus_open_system(&bus);
	if (r < 0) {
		log_debug_errno(r, "No system bus, serving the private socket only: %m");
		return 0;
	}
	r = server_add_object(d, bus);
	if (r >= 0)
		r = sd_bus_request_name_async(bus, NULL, DOORD_BUS_NAME, 0, NULL, NULL);
	if (r >= 0)
		r = sd_bus_attach_event(bus, d->event, SD_EVENT_PRIORITY_NORMAL);
	if (r < 0) {
		log_warning_errno(r, "Failed to register on the system bus, ignoring: %m");
		sd_bus_flush_close_unref(bus);
		return 0;
	}
	d->system_bus = bus;
	return 0;
}

static void emit_on(sd_bus *bus, const char *member, const char *path, uint64_t id,
		    const char *reason)
{
	int r;

	if (reason)
		r = sd_bus_emit_signal(bus, DOORD_OBJECT_PATH, DOORD_INTERFACE, member, "sts",
				       path, id, reason);
	else
		r = sd_bus_emit_signal(bus, DOORD_OBJECT_PATH, DOORD_INTERFACE, member, "st",
				       path, id);
	if (r < 0)
		log_debug_errno(r, "Failed to send %s signal: %m", member);
}

void server_emit(struct daemon *d, const char *member, const char *path, uint64_t id,
		 const char *reason)
{
	struct connection *c;

	for (c = d->connections; c; c = c->next) {
		size_t queued = queued_replies(c->bus);

		/* A monitor that stops reading is dropped, not buffered for. */
		if (queued >= DOORD_CONNECTION_DROP_QUEUED)
			connection_drop(c, queued);
		if (!c->drop_source)
			emit_on(c->bus, member, path, id, reason);
	}
	if (d->system_bus)
		emit_on(d->system_bus, member, path, id, reason);
}
