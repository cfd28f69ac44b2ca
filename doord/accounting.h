/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef DOORD_ACCOUNTING_H
#define DOORD_ACCOUNTING_H

/*
 * Per-uid usage that the policy limits: names attached, and a token
 * bucket for lookups (refilled at the allowed rate, holding at most one
 * second's worth, so short bursts pass and floods do not).
 */

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct accounting;

int accounting_new(struct accounting **ret);
struct accounting *accounting_free(struct accounting *a);

size_t accounting_attachments(struct accounting *a, uid_t uid);
/* -ENOMEM only; the count is not checked against a limit here. */
int accounting_attach(struct accounting *a, uid_t uid);
void accounting_detach(struct accounting *a, uid_t uid);

/* Takes one lookup token at now_usec (CLOCK_MONOTONIC). 0 on success,
 * -EAGAIN when the uid exceeded rate lookups per second, -ENOMEM. A
 * rate of UINT64_MAX means unlimited. */
int accounting_take_lookup(struct accounting *a, uid_t uid, uint64_t rate, uint64_t now_usec);

#endif
