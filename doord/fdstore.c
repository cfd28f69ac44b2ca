/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <systemd/sd-daemon.h>

#include "fdstore.h"
#include "log.h"
#include "util.h"

void fdstore_door_name(const struct name_entry *e, char *buf, size_t size)
{
	snprintf(buf, size, "door-%" PRIx64 "-%" PRIx64 "-%u-%u-%o-%" PRIu64,
		 (uint64_t)e->dev, (uint64_t)e->ino, (unsigned)e->owner_uid,
		 (unsigned)e->attacher_uid, (unsigned)e->mode, e->attach_usec);
}

void fdstore_file_name(dev_t dev, ino_t ino, char *buf, size_t size)
{
	snprintf(buf, size, "file-%" PRIx64 "-%" PRIx64, (uint64_t)dev, (uint64_t)ino);
}

int fdstore_parse_name(const char *name, struct fdstore_key *ret)
{
	uint64_t dev, ino, usec;
	unsigned owner, attacher, mode;
	int n = 0;

	memset(ret, 0, sizeof(*ret));
	if (sscanf(name, "door-%" SCNx64 "-%" SCNx64 "-%u-%u-%o-%" SCNu64 "%n",
		   &dev, &ino, &owner, &attacher, &mode, &usec, &n) == 6 && name[n] == '\0') {
		ret->is_door = true;
		ret->owner_uid = owner;
		ret->attacher_uid = attacher;
		ret->mode = mode;
		ret->attach_usec = usec;
	} else if (n = 0, sscanf(name, "file-%" SCNx64 "-%" SCNx64 "%n", &dev, &ino, &n) == 2 &&
		   name[n] == '\0') {
		ret->is_door = false;
	} else {
		return -EINVAL;
	}
	ret->dev = (dev_t)dev;
	ret->ino = (ino_t)ino;
	return 0;
}

/* poll false: the manager must not epoll the descriptor. O_PATH files
 * cannot be polled at all (epoll_ctl() fails with EBADF, and systemd
 * then refuses to store them); doors are polled, so a door revoked while
 * doord is down leaves the store by itself. */
static int push_one(int fd, const char *name, bool poll)
{
	char msg[FDSTORE_NAME_MAX + 48];

	snprintf(msg, sizeof(msg), "FDSTORE=1\nFDNAME=%s%s", name, poll ? "" : "\nFDPOLL=0");
	return sd_pid_notify_with_fds(0, 0, msg, &fd, 1);
}

int fdstore_push(const struct name_entry *e)
{
	char name[FDSTORE_NAME_MAX];
	int r;

	fdstore_door_name(e, name, sizeof(name));
	r = push_one(e->door_fd, name, true);
	if (r <= 0)
		return r < 0 ? r : -ENOTCONN;
	fdstore_file_name(e->dev, e->ino, name, sizeof(name));
	r = push_one(e->file_fd, name, false);
	if (r <= 0) {
		fdstore_door_name(e, name, sizeof(name));
		fdstore_remove_name(name);
		return r < 0 ? r : -ENOTCONN;
	}
	return 0;
}

void fdstore_remove_name(const char *name)
{
	char msg[FDSTORE_NAME_MAX + 32];
	int r;

	snprintf(msg, sizeof(msg), "FDSTOREREMOVE=1\nFDNAME=%s", name);
	r = sd_notify(0, msg);
	if (r < 0)
		log_warning_errno(r, "Failed to remove '%s' from the fd store: %m", name);
}

void fdstore_remove(const struct name_entry *e)
{
	char name[FDSTORE_NAME_MAX];

	fdstore_door_name(e, name, sizeof(name));
	fdstore_remove_name(name);
	fdstore_file_name(e->dev, e->ino, name, sizeof(name));
	fdstore_remove_name(name);
}

struct pending {
	struct fdstore_key key;
	int fd;
	char *name;
};

static int cmp_key(const void *a, const void *b)
{
	const struct fdstore_key *x = &(*(struct pending *const *)a)->key;
	const struct fdstore_key *y = &(*(struct pending *const *)b)->key;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return 0;
}

static int is_listening_stream(int fd)
{
	return sd_is_socket_unix(fd, SOCK_STREAM, 1, NULL, 0);
}

static void drop(struct pending *p)
{
	log_warning("Dropping stale fd store entry '%s'", p->name);
	fdstore_remove_name(p->name);
	p->fd = safe_close(p->fd);
}

int fdstore_collect(int *ret_listen_fd,
		    int (*adopt)(void *userdata, const struct fdstore_key *key, int door_fd,
				 int file_fd),
		    void *userdata)
{
	char **names = NULL;
	struct pending *p = NULL, **files = NULL;
	size_t n_files = 0;
	int n, i, listen_fd = -1, r = 0;

	n = sd_listen_fds_with_names(1, &names);
	if (n < 0)
		return log_error_errno(n, "Failed to read passed file descriptors: %m");
	if (n > 0) {
		p = calloc((size_t)n, sizeof(*p));
		files = calloc((size_t)n, sizeof(*files));
		if (!p || !files) {
			r = -ENOMEM;
			for (i = 0; i < n; i++)
				close(SD_LISTEN_FDS_START + i);
			goto out;
		}
	}
	for (i = 0; i < n; i++) {
		int fd = SD_LISTEN_FDS_START + i;
		const char *name = names && names[i] ? names[i] : "unknown";

		p[i].fd = fd;
		p[i].name = (char *)name;
		if (fdstore_parse_name(name, &p[i].key) == 0)
			continue;
		if (listen_fd < 0 && is_listening_stream(fd) > 0) {
			listen_fd = fd;
			p[i].fd = -1;
			continue;
		}
		/* Unknown names may come from another version: close them so a
		 * downgrade does not keep what it cannot interpret. */
		log_warning("Closing unknown passed descriptor '%s'", name);
		if (strncmp(name, "door-", 5) == 0 || strncmp(name, "file-", 5) == 0)
			fdstore_remove_name(name);
		p[i].fd = safe_close(fd);
	}
	/* Files sorted by (dev, ino) so each door finds its file in
	 * O(log n): a store may hold 100,000 names. */
	for (i = 0; i < n; i++)
		if (p[i].fd >= 0 && !p[i].key.is_door)
			files[n_files++] = &p[i];
	if (n_files > 1)
		qsort(files, n_files, sizeof(*files), cmp_key);
	for (i = 0; i < n; i++) {
		struct pending *key = &p[i], **hit, *file;

		if (p[i].fd < 0 || !p[i].key.is_door)
			continue;
		hit = bsearch(&key, files, n_files, sizeof(*files), cmp_key);
		file = hit ? *hit : NULL;
		if (!file || file->fd < 0) {
			drop(&p[i]);
			continue;
		}
		if (adopt(userdata, &p[i].key, p[i].fd, file->fd) < 0) {
			drop(&p[i]);
			drop(file);
			continue;
		}
		p[i].fd = file->fd = -1;
	}
	for (i = 0; i < n; i++)
		if (p[i].fd >= 0)
			drop(&p[i]);
out:
	if (names)
		for (i = 0; i < n; i++)
			free(names[i]);
	free(names);
	free(p);
	free(files);
	*ret_listen_fd = listen_fd;
	return r;
}
