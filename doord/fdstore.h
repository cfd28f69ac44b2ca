/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef DOORD_FDSTORE_H
#define DOORD_FDSTORE_H

/*
 * The service manager's file-descriptor store keeps every name across
 * a restart or upgrade of doord: each name is two descriptors, the door
 * reference and the O_PATH file, pushed with stable FDNAMEs that also
 * carry what the name table needs to rebuild the entry:
 *
 *   door-<dev>-<ino>-<owner uid>-<attacher uid>-<mode>-<attach usec>
 *   file-<dev>-<ino>
 *
 * (dev, ino in hex, mode in octal). Removed with FDSTOREREMOVE=1 on
 * detach. On start, pairs are matched back by (dev, ino) and checked
 * with fstat; anything unknown or stale is removed and closed.
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "names.h"

#define FDSTORE_NAME_MAX 256

struct fdstore_key {
	bool is_door;
	dev_t dev;
	ino_t ino;
	uid_t owner_uid, attacher_uid;
	mode_t mode;
	uint64_t attach_usec;
};

void fdstore_door_name(const struct name_entry *e, char *buf, size_t size);
void fdstore_file_name(dev_t dev, ino_t ino, char *buf, size_t size);
/* -EINVAL for names that are not ours. */
int fdstore_parse_name(const char *name, struct fdstore_key *ret);

int fdstore_push(const struct name_entry *e);
void fdstore_remove(const struct name_entry *e);
void fdstore_remove_name(const char *name);

/*
 * Takes the descriptors passed at start (sd_listen_fds_with_names):
 * returns the listening socket in *ret_listen_fd (-1 when none) and
 * gives each stored door/file pair to adopt(). Everything else is
 * closed (and dropped from the store).
 */
int fdstore_collect(int *ret_listen_fd,
		    int (*adopt)(void *userdata, const struct fdstore_key *key, int door_fd,
				 int file_fd),
		    void *userdata);

#endif
