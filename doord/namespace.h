/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef DOORD_NAMESPACE_H
#define DOORD_NAMESPACE_H

/*
 * fattach, fdetach and lookup with Solaris rules (DESIGN.md §4), and
 * the life of names: a door that is revoked or whose server dies (its
 * descriptor polls EPOLLHUP) and a file that is unlinked (inotify, and
 * st_nlink on every lookup) lose their names, and peers hear of it.
 */

#include <stdbool.h>
#include <sys/types.h>
#include <systemd/sd-bus.h>

#include "daemon.h"

/* Who is asking: only ever from the socket's credentials. */
struct caller {
	uid_t uid;
	gid_t gid;
	pid_t pid;
	const gid_t *groups;
	size_t n_groups;
	const char *comm;
};

/* Each returns 0 or a negative errno with error set to a sentence. */
int ns_attach(struct daemon *d, const struct caller *c, int door_fd, int file_fd,
	      sd_bus_error *error, const char **ret_path);
int ns_detach(struct daemon *d, const struct caller *c, int file_fd, sd_bus_error *error);
/* Returns a fresh door reference the caller closes. */
int ns_lookup(struct daemon *d, const struct caller *c, int file_fd, sd_bus_error *error);
/* The live entry for file_fd (no policy check: the open file proves
 * the caller could reach it). */
int ns_find(struct daemon *d, int file_fd, sd_bus_error *error, struct name_entry **ret);

/* Removes a name and tells every peer why: "detached", "revoked",
 * "server-exited", "unlinked". */
void ns_remove(struct daemon *d, struct name_entry *e, const char *reason);

/* Adopts an entry restored from the fd store (watches, accounting). */
int ns_adopt(struct daemon *d, const struct name_entry *init);

int ns_watch_init(struct daemon *d);
void ns_watch_done(struct daemon *d);

#endif
