// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Baselines measured in the same guest: a plain memcpy() of each payload
 * size (the bandwidth a one-copy transfer should approach) and the cost
 * of reading the clock itself.
 */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"

/* Keep the compiler from dropping or merging the copies. */
static void clobber(void *p)
{
	__asm__ __volatile__("" : : "r"(p) : "memory");
}

/*
 * The copy the kernel's copy_{to,from}_user does on CPUs with ERMS/FSRM.
 * Under qemu -icount every iteration of a rep-prefixed instruction counts
 * as one instruction, so this is the fair one-copy reference there.
 */
static void *copy_rep_movsb(void *dst, const void *src, size_t n)
{
	void *d = dst;

	__asm__ __volatile__("rep movsb"
			     : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	return dst;
}

typedef void *(*copy_fn)(void *, const void *, size_t);

static double batch_per_op(copy_fn copy, size_t size, unsigned long n,
			   char *dst, const char *src)
{
	uint64_t t0 = now_ns();
	unsigned long i;

	for (i = 0; i < n; i++) {
		copy(dst, src, size);
		clobber(dst);
	}
	return (double)(now_ns() - t0) / (double)n;
}

static void summarize(struct sample_result *r, const double *per,
		      unsigned int repeats)
{
	double sum = 0;
	unsigned int i;

	r->min_ns = 1e300;
	for (i = 0; i < repeats; i++) {
		r->batch_ns[i] = per[i];
		sum += per[i];
		if (per[i] < r->min_ns)
			r->min_ns = per[i];
		if (per[i] > r->max_ns)
			r->max_ns = per[i];
	}
	r->repeats = repeats;
	r->mean_ns = sum / repeats;
	r->calls_per_sec = 1e9 / r->mean_ns;
}

static unsigned long plan_calls(const struct sample_plan *plan, double est)
{
	unsigned long n = (unsigned long)(plan->batch_ns / (est > 1 ? est : 1));

	if (n < plan->min_calls)
		n = plan->min_calls;
	if (n > 50UL * plan->max_calls)
		n = 50UL * plan->max_calls;
	return n;
}

int memcpy_measure(size_t size, bool rep_movsb,
		   const struct sample_plan *plan, struct sample_result *r)
{
	copy_fn copy = rep_movsb ? copy_rep_movsb : memcpy;
	char *src = malloc(size + 64), *dst = malloc(size + 64);
	double per[64];
	unsigned int i, repeats = plan->repeats > 64 ? 64 : plan->repeats;
	unsigned long n;

	memset(r, 0, sizeof(*r));
	if (!src || !dst) {
		free(src);
		free(dst);
		return r->status = -ENOMEM;
	}
	memset(src, 0x5a, size + 64);
	memset(dst, 0, size + 64);
	batch_per_op(copy, size, 4, dst, src);
	n = plan_calls(plan, batch_per_op(copy, size, 16, dst, src));
	/* A full discarded batch: the first one ran 18% slow at 1 MiB. */
	batch_per_op(copy, size, n, dst, src);
	for (i = 0; i < repeats; i++)
		per[i] = batch_per_op(copy, size, n, dst, src);
	r->calls = n;
	summarize(r, per, repeats);
	free(src);
	free(dst);
	return 0;
}

int clock_measure(const struct sample_plan *plan, struct sample_result *r)
{
	double per[64];
	unsigned int i, repeats = plan->repeats > 64 ? 64 : plan->repeats;
	unsigned long n = 20000, k;
	uint64_t t0 = now_ns();

	memset(r, 0, sizeof(*r));
	/* Batches as long as everyone else's, so timer ticks average out. */
	for (k = 0; k < n; k++)
		now_ns();
	n = plan_calls(plan, (double)(now_ns() - t0) / (double)n);
	for (i = 0; i < repeats; i++) {
		t0 = now_ns();
		for (k = 0; k < n; k++)
			now_ns();
		per[i] = (double)(now_ns() - t0) / (double)n;
	}
	r->calls = n;
	summarize(r, per, repeats);
	return 0;
}

static double op_batch(int (*op)(void *), void *arg, unsigned long n, int *err)
{
	uint64_t t0 = now_ns();
	unsigned long i;

	for (i = 0; i < n && !*err; i++)
		*err = op(arg);
	return (double)(now_ns() - t0) / (double)n;
}

/* Any in-process operation (a syscall, an ioctl), timed in batches. */
int op_measure(int (*op)(void *), void *arg, const struct sample_plan *plan,
	       struct sample_result *r)
{
	double per[64];
	unsigned int i, repeats = plan->repeats > 64 ? 64 : plan->repeats;
	unsigned long n;
	int err = 0;

	memset(r, 0, sizeof(*r));
	op_batch(op, arg, 16, &err);
	n = plan_calls(plan, op_batch(op, arg, 64, &err));
	for (i = 0; i < repeats && !err; i++)
		per[i] = op_batch(op, arg, n, &err);
	if (err) {
		snprintf(r->why, sizeof(r->why), "failed: %s", strerror(-err));
		return r->status = err;
	}
	r->calls = n;
	summarize(r, per, repeats);
	return 0;
}
