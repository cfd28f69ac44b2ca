/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef DOORD_NAMES_H
#define DOORD_NAMES_H

/*
 * The name table: every attached door, keyed by the device and inode
 * number of the file it is attached to. A name is the inode, not its
 * spelling, so lookups match an open file by (st_dev, st_ino) in O(1)
 * whatever the number of names. Two more indexes answer "which entry
 * does this inotify watch belong to" and "how many names does this
 * door still have" in O(1).
 *
 * The table owns each entry's descriptors (the door reference and the
 * O_PATH file) and closes them when the entry is removed. It knows
 * nothing about doors, policy or D-Bus, so it is tested on plain files.
 */

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct hnode {
	struct hnode *next;
	uint64_t hash;
};

struct name_entry {
	dev_t dev;
	ino_t ino;
	int door_fd;		/* doord's own reference to the door */
	int file_fd;		/* O_PATH: keeps the inode from being reused */
	char *path;		/* as doord sees it */
	uint64_t door_id;
	uid_t owner_uid;	/* the file's owner when attached (fdetach rights) */
	uid_t attacher_uid;	/* who attached it (limits) */
	mode_t mode;		/* the file's mode when attached */
	uint64_t attach_usec;	/* CLOCK_REALTIME */
	int watch_wd;		/* inotify watch, -1 when none */
	void *door_source;	/* the poll source watching door_fd */
	void *context;		/* the table user's, for callbacks */

	struct hnode by_inode, by_wd, by_door;
};

struct name_table;

/* The most names one table holds; adding more fails with -ENOSPC. */
#define NAME_TABLE_MAX 1048576

int name_table_new(size_t max_names, struct name_table **ret);
struct name_table *name_table_free(struct name_table *t);

/*
 * Takes ownership of door_fd, file_fd and path on success only.
 * -EBUSY when the inode already has a name, -ENOSPC when the table is
 * full, -ENOMEM.
 */
int name_table_add(struct name_table *t, const struct name_entry *init,
		   struct name_entry **ret);

/* Unlinks the entry from every index, closes its descriptors, frees it. */
void name_table_remove(struct name_table *t, struct name_entry *e);

struct name_entry *name_table_find(const struct name_table *t, dev_t dev, ino_t ino);
struct name_entry *name_table_find_wd(const struct name_table *t, int wd);
int name_table_set_wd(struct name_table *t, struct name_entry *e, int wd);

/* How many names the door with this id has. */
size_t name_table_door_names(const struct name_table *t, uint64_t door_id);

size_t name_table_size(const struct name_table *t);

/* Iteration in no particular order; removing the current entry is fine
 * once the next one has been fetched. */
struct name_entry *name_table_first(const struct name_table *t);
struct name_entry *name_table_next(const struct name_table *t, const struct name_entry *e);

/* Bytes used by the table's own structures for n names (entries and
 * bucket arrays, not the path strings), for the documentation of
 * memory per name. */
size_t name_table_memory(const struct name_table *t);
/* Entries in the longest inode bucket: what a lookup may walk. */
size_t name_table_longest_chain(const struct name_table *t);

#endif
