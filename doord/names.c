/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Three chained hash indexes over the same entries (intrusive nodes,
 * so an entry is one allocation plus its path). Buckets double when
 * the load factor passes 1, so every operation stays O(1) on average.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "util.h"

struct htab {
	struct hnode **b;
	size_t nb;		/* power of two */
	size_t n;
};

struct name_table {
	struct htab inode, wd, door;
	size_t max;
};

/* splitmix64 finaliser: cheap and well spread for integer keys. */
static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

static uint64_t inode_hash(dev_t dev, ino_t ino)
{
	return mix64((uint64_t)ino ^ mix64((uint64_t)dev));
}

static int htab_init(struct htab *h, size_t nb)
{
	h->b = calloc(nb, sizeof(*h->b));
	if (!h->b)
		return -ENOMEM;
	h->nb = nb;
	h->n = 0;
	return 0;
}

static int htab_grow(struct htab *h)
{
	size_t nb = h->nb * 2, i;
	struct hnode **b = calloc(nb, sizeof(*b));

	if (!b)
		return -ENOMEM;
	for (i = 0; i < h->nb; i++) {
		struct hnode *n = h->b[i], *next;

		for (; n; n = next) {
			next = n->next;
			n->next = b[n->hash & (nb - 1)];
			b[n->hash & (nb - 1)] = n;
		}
	}
	free(h->b);
	h->b = b;
	h->nb = nb;
	return 0;
}

/* Growing is best effort: a table that cannot grow still works. */
static void htab_insert(struct htab *h, struct hnode *n, uint64_t hash)
{
	if (h->n >= h->nb)
		(void)htab_grow(h);
	n->hash = hash;
	n->next = h->b[hash & (h->nb - 1)];
	h->b[hash & (h->nb - 1)] = n;
	h->n++;
}

static void htab_unlink(struct htab *h, struct hnode *n)
{
	struct hnode **p = &h->b[n->hash & (h->nb - 1)];

	for (; *p; p = &(*p)->next) {
		if (*p == n) {
			*p = n->next;
			n->next = NULL;
			h->n--;
			return;
		}
	}
}

static struct hnode *htab_bucket(const struct htab *h, uint64_t hash)
{
	return h->b[hash & (h->nb - 1)];
}

int name_table_new(size_t max_names, struct name_table **ret)
{
	struct name_table *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->max = max_names ? max_names : NAME_TABLE_MAX;
	if (htab_init(&t->inode, 64) < 0 || htab_init(&t->wd, 64) < 0 ||
	    htab_init(&t->door, 64) < 0) {
		name_table_free(t);
		return -ENOMEM;
	}
	*ret = t;
	return 0;
}

static void entry_free(struct name_entry *e)
{
	safe_close(e->door_fd);
	safe_close(e->file_fd);
	free(e->path);
	free(e);
}

struct name_table *name_table_free(struct name_table *t)
{
	struct name_entry *e, *next;

	if (!t)
		return NULL;
	if (t->inode.b) {
		for (e = name_table_first(t); e; e = next) {
			next = name_table_next(t, e);
			entry_free(e);
		}
	}
	free(t->inode.b);
	free(t->wd.b);
	free(t->door.b);
	free(t);
	return NULL;
}

int name_table_add(struct name_table *t, const struct name_entry *init,
		   struct name_entry **ret)
{
	struct name_entry *e;

	if (name_table_find(t, init->dev, init->ino))
		return -EBUSY;
	if (t->inode.n >= t->max)
		return -ENOSPC;
	e = malloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	*e = *init;
	e->watch_wd = -1;
	htab_insert(&t->inode, &e->by_inode, inode_hash(e->dev, e->ino));
	htab_insert(&t->door, &e->by_door, mix64(e->door_id));
	if (init->watch_wd >= 0)
		(void)name_table_set_wd(t, e, init->watch_wd);
	if (ret)
		*ret = e;
	return 0;
}

void name_table_remove(struct name_table *t, struct name_entry *e)
{
	htab_unlink(&t->inode, &e->by_inode);
	htab_unlink(&t->door, &e->by_door);
	if (e->watch_wd >= 0)
		htab_unlink(&t->wd, &e->by_wd);
	entry_free(e);
}

struct name_entry *name_table_find(const struct name_table *t, dev_t dev, ino_t ino)
{
	uint64_t hash = inode_hash(dev, ino);
	struct hnode *n;

	for (n = htab_bucket(&t->inode, hash); n; n = n->next) {
		struct name_entry *e = container_of(n, struct name_entry, by_inode);

		if (n->hash == hash && e->dev == dev && e->ino == ino)
			return e;
	}
	return NULL;
}

struct name_entry *name_table_find_wd(const struct name_table *t, int wd)
{
	uint64_t hash = mix64((uint64_t)wd);
	struct hnode *n;

	if (wd < 0)
		return NULL;
	for (n = htab_bucket(&t->wd, hash); n; n = n->next) {
		struct name_entry *e = container_of(n, struct name_entry, by_wd);

		if (e->watch_wd == wd)
			return e;
	}
	return NULL;
}

int name_table_set_wd(struct name_table *t, struct name_entry *e, int wd)
{
	if (e->watch_wd >= 0) {
		htab_unlink(&t->wd, &e->by_wd);
		e->watch_wd = -1;
	}
	if (wd < 0)
		return 0;
	/* inotify returns the same wd for the same inode; one entry per
	 * inode means one entry per wd. */
	if (name_table_find_wd(t, wd))
		return -EBUSY;
	e->watch_wd = wd;
	htab_insert(&t->wd, &e->by_wd, mix64((uint64_t)wd));
	return 0;
}

size_t name_table_door_names(const struct name_table *t, uint64_t door_id)
{
	uint64_t hash = mix64(door_id);
	struct hnode *n;
	size_t count = 0;

	for (n = htab_bucket(&t->door, hash); n; n = n->next) {
		struct name_entry *e = container_of(n, struct name_entry, by_door);

		if (e->door_id == door_id)
			count++;
	}
	return count;
}

size_t name_table_size(const struct name_table *t)
{
	return t->inode.n;
}

static struct name_entry *first_from(const struct name_table *t, size_t i)
{
	for (; i < t->inode.nb; i++)
		if (t->inode.b[i])
			return container_of(t->inode.b[i], struct name_entry, by_inode);
	return NULL;
}

struct name_entry *name_table_first(const struct name_table *t)
{
	return first_from(t, 0);
}

struct name_entry *name_table_next(const struct name_table *t, const struct name_entry *e)
{
	if (e->by_inode.next)
		return container_of(e->by_inode.next, struct name_entry, by_inode);
	return first_from(t, (e->by_inode.hash & (t->inode.nb - 1)) + 1);
}

size_t name_table_longest_chain(const struct name_table *t)
{
	size_t i, len, longest = 0;
	struct hnode *n;

	for (i = 0; i < t->inode.nb; i++) {
		for (len = 0, n = t->inode.b[i]; n; n = n->next)
			len++;
		if (len > longest)
			longest = len;
	}
	return longest;
}

size_t name_table_memory(const struct name_table *t)
{
	return sizeof(*t) + t->inode.n * sizeof(struct name_entry) +
	       (t->inode.nb + t->wd.nb + t->door.nb) * sizeof(struct hnode *);
}
