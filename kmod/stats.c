// SPDX-License-Identifier: GPL-2.0
/*
 * Per-door statistics (DOOR_IOC_STATS): always on, so they must stay
 * cheap. Counters live in the door under ctx->lock, which the call path
 * takes anyway; a call costs one extra lock round and two clock reads.
 */
#include <linux/capability.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/sched/clock.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "door_internal.h"

/* An invocation was handed to a server thread. Called with ctx->lock held. */
void door_stats_dispatched(struct door *door)
{
	struct door_counters *c = &door->stats;

	if (++c->active > c->peak_active)
		c->peak_active = c->active;
}

/* Bucket i counts latencies below 2^i microseconds; the last the rest. */
static unsigned int door_latency_bucket(u64 ns)
{
	u64 us = div_u64(ns, NSEC_PER_USEC);

	return min_t(unsigned int, us ? fls64(us) : 0, DOOR_STATS_BUCKETS - 1);
}

/* A call that began at @start (local_clock()) has ended with @err. */
void door_stats_end(struct door *door, int err, u64 start)
{
	struct door_ctx *ctx = door->ctx;
	struct door_counters *c = &door->stats;
	u64 now = local_clock();
	unsigned int bucket;

	/* local_clock() may step back a little when the caller migrated */
	bucket = door_latency_bucket(now > start ? now - start : 0);
	spin_lock(&ctx->lock);
	c->calls++;
	if (err)
		c->errors++;
	c->latency[bucket]++;
	spin_unlock(&ctx->lock);
}

/* DOOR_IOC_STATS: the owner, or CAP_SYS_ADMIN (doord), only. */
long door_ioc_stats(struct door *door, void __user *uarg)
{
	struct door_ctx *ctx = door->ctx;
	struct door_stats st;
	int err;

	err = door_copy_sized(&st, sizeof(st), uarg);
	if (err)
		return err;
	if (st.pad || memchr_inv(st.reserved, 0, sizeof(st.reserved)))
		return -EINVAL;
	if (!door_is_owner(ctx) && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	memset(&st, 0, sizeof(st));
	st.size = sizeof(st);
	spin_lock(&ctx->lock);
	st.calls = door->stats.calls;
	st.errors = door->stats.errors;
	st.active = door->stats.active;
	st.peak_active = door->stats.peak_active;
	st.threads_parked = door->pool->nparked;
	memcpy(st.latency, door->stats.latency, sizeof(st.latency));
	spin_unlock(&ctx->lock);
	return copy_to_user(uarg, &st, sizeof(st)) ? -EFAULT : 0;
}
