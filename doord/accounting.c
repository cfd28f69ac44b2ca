/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>

#include "accounting.h"

#define BUCKETS 256

struct usage {
	struct usage *next;
	uid_t uid;
	size_t attachments;
	double tokens;
	uint64_t refilled_usec;
	uint64_t rate;		/* the rate tokens was computed for */
};

struct accounting {
	struct usage *b[BUCKETS];
};

int accounting_new(struct accounting **ret)
{
	*ret = calloc(1, sizeof(struct accounting));
	return *ret ? 0 : -ENOMEM;
}

struct accounting *accounting_free(struct accounting *a)
{
	size_t i;

	if (!a)
		return NULL;
	for (i = 0; i < BUCKETS; i++) {
		struct usage *u = a->b[i], *next;

		for (; u; u = next) {
			next = u->next;
			free(u);
		}
	}
	free(a);
	return NULL;
}

static struct usage *find(struct accounting *a, uid_t uid, int create)
{
	struct usage **head = &a->b[uid % BUCKETS], *u;

	for (u = *head; u; u = u->next)
		if (u->uid == uid)
			return u;
	if (!create)
		return NULL;
	u = calloc(1, sizeof(*u));
	if (!u)
		return NULL;
	u->uid = uid;
	u->next = *head;
	*head = u;
	return u;
}

size_t accounting_attachments(struct accounting *a, uid_t uid)
{
	struct usage *u = find(a, uid, 0);

	return u ? u->attachments : 0;
}

int accounting_attach(struct accounting *a, uid_t uid)
{
	struct usage *u = find(a, uid, 1);

	if (!u)
		return -ENOMEM;
	u->attachments++;
	return 0;
}

void accounting_detach(struct accounting *a, uid_t uid)
{
	struct usage *u = find(a, uid, 0);

	if (u && u->attachments > 0)
		u->attachments--;
}

int accounting_take_lookup(struct accounting *a, uid_t uid, uint64_t rate, uint64_t now_usec)
{
	struct usage *u;
	double elapsed;

	if (rate == UINT64_MAX)
		return 0;
	if (rate == 0)
		return -EAGAIN;
	u = find(a, uid, 1);
	if (!u)
		return -ENOMEM;
	/* A new uid, or a policy reload that changed the rate: full bucket. */
	if (u->rate != rate || u->refilled_usec == 0) {
		u->rate = rate;
		u->tokens = (double)rate;
		u->refilled_usec = now_usec;
	}
	if (now_usec > u->refilled_usec) {
		elapsed = (double)(now_usec - u->refilled_usec) / 1e6;
		u->tokens += elapsed * (double)rate;
		if (u->tokens > (double)rate)
			u->tokens = (double)rate;
		u->refilled_usec = now_usec;
	}
	if (u->tokens < 1.0)
		return -EAGAIN;
	u->tokens -= 1.0;
	return 0;
}
