/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"
#include "manager.h"
#include "server.h"
#include "util.h"

struct connection {
	struct daemon *d;
	sd_bus *bus;
	uid_t uid;
	struct connection *prev, *next;
};

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
	sd_bus_flush_close_unref(c->bus);
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

static int connection_start(struct daemon *d, int fd, uid_t uid)
{
	struct connection *c;
	int r;

	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->uid = uid;
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
	r = sd_bus_match_signal(c->bus, NULL, "org.freedesktop.DBus.Local",
				"/org/freedesktop/DBus/Local", "org.freedesktop.DBus.Local",
				"Disconnected", on_disconnected, c);
	if (r < 0)
		goto fail;
	r = sd_bus_start(c->bus);
	if (r < 0)
		goto fail;
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

static int on_accept(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	struct daemon *d = userdata;
	_cleanup_close_ int cfd = -1;
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int r;

	cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (cfd < 0) {
		if (errno == EAGAIN || errno == EINTR || errno == ECONNABORTED)
			return 0;
		/* EMFILE and friends: keep serving the peers we have. */
		log_warning_errno(errno, "Failed to accept a connection: %m");
		return 0;
	}
	if (getsockopt(cfd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
		log_warning_errno(errno, "Failed to read peer credentials, refusing connection: %m");
		return 0;
	}
	if (d->n_connections >= DOORD_CONNECTIONS_MAX ||
	    connections_of(d, cred.uid) >= DOORD_CONNECTIONS_PER_UID_MAX) {
		log_warning("Refusing connection from uid %u pid %d: too many connections",
			    (unsigned)cred.uid, (int)cred.pid);
		return 0;
	}
	r = connection_start(d, take_fd(&cfd), cred.uid);
	if (r < 0)
		log_warning_errno(r, "Failed to set up a connection from pid %d: %m", (int)cred.pid);
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

	for (c = d->connections; c; c = c->next)
		emit_on(c->bus, member, path, id, reason);
	if (d->system_bus)
		emit_on(d->system_bus, member, path, id, reason);
}
