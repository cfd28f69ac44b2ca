// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Runs one mechanism at one measurement point: fork the server, wait
 * until it is ready, calibrate, then time batches of round trips from
 * one or more client threads.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

struct worker {
	pthread_t tid;
	const struct mech *m;
	void *state;
	pthread_barrier_t *start;
	unsigned long calls;
	uint64_t *samples;	/* calls entries, or NULL */
	uint64_t start_ns, end_ns;
	uint64_t budget_ns;	/* 0, or the batch's time limit */
	unsigned long done;
	int err;
};

/*
 * n calls; with samples, each one timed, and the batch cut short once the
 * clock passes deadline (0: none), so that a point whose calls turn slow
 * (an overloaded host under plain emulation) cannot run for minutes.
 */
static int timed_calls(const struct mech *m, void *st, unsigned long n,
		       uint64_t *samples, uint64_t deadline,
		       unsigned long *done)
{
	unsigned long i;
	int err = 0;

	for (i = 0; i < n; i++) {
		if (samples) {
			uint64_t t = now_ns(), end;

			err = m->call(st);
			end = now_ns();
			samples[i] = end - t;
			if (err)
				break;
			if (deadline && end > deadline) {
				i++;
				break;
			}
		} else {
			err = m->call(st);
			if (err)
				break;
		}
	}
	*done = i;
	return err;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	pthread_barrier_wait(w->start);
	w->start_ns = now_ns();
	w->err = timed_calls(w->m, w->state, w->calls, w->samples,
			     w->budget_ns ? w->start_ns + w->budget_ns : 0,
			     &w->done);
	w->end_ns = now_ns();
	return NULL;
}

/*
 * One batch: nthreads threads making calls/nthreads calls each. *done
 * tells how many were made (fewer when the time budget ran out).
 */
static int run_batch(const struct mech *m, void *st, unsigned int nthreads,
		     unsigned long calls, uint64_t *samples, uint64_t budget,
		     uint64_t *elapsed, unsigned long *done)
{
	struct worker w[64];
	pthread_barrier_t start;
	unsigned long per = calls / nthreads;
	unsigned int i, started = 0;
	uint64_t t0, t1;
	int err = 0;

	if (nthreads == 1) {
		t0 = now_ns();
		err = timed_calls(m, st, calls, samples,
				  budget && samples ? t0 + budget : 0, done);
		*elapsed = now_ns() - t0;
		return err;
	}
	if (nthreads > 64)
		return -EINVAL;
	pthread_barrier_init(&start, NULL, nthreads + 1);
	for (i = 0; i < nthreads; i++) {
		w[i] = (struct worker){ .m = m, .state = st, .start = &start,
					.calls = per, .budget_ns = samples ? budget : 0,
					.samples = samples ? samples + i * per : NULL };
		err = -pthread_create(&w[i].tid, NULL, worker_main, &w[i]);
		if (err)
			break;
		started++;
	}
	if (started < nthreads) {
		/* The barrier can never fill: the threads cannot be stopped
		 * cleanly, so give up on the whole process. */
		fprintf(stderr, "doorbench: cannot start thread %u: %s\n",
			started, strerror(-err));
		exit(1);
	}
	/*
	 * The batch runs from the first worker's start to the last one's
	 * end: whoever releases the barrier runs on, and this thread may
	 * be scheduled long after the workers began.
	 */
	pthread_barrier_wait(&start);
	t0 = UINT64_MAX;
	t1 = 0;
	*done = 0;
	for (i = 0; i < nthreads; i++) {
		pthread_join(w[i].tid, NULL);
		*done += w[i].done;
		if (w[i].err && !err)
			err = w[i].err;
		if (w[i].start_ns < t0)
			t0 = w[i].start_ns;
		if (w[i].end_ns > t1)
			t1 = w[i].end_ns;
	}
	*elapsed = t1 - t0;
	pthread_barrier_destroy(&start);
	return err;
}

/* Warm up and find how many calls fill one batch of plan->batch_ns. */
static int calibrate(const struct mech *m, void *st, unsigned int nthreads,
		     const struct sample_plan *plan, unsigned long *calls)
{
	unsigned long n = nthreads * 4UL, done;
	uint64_t el = 0;
	double est;
	int err;

	for (;;) {
		err = run_batch(m, st, nthreads, n, NULL, 0, &el, &done);
		if (err)
			return err;
		if ((double)el >= plan->batch_ns / 8 || n >= plan->max_calls)
			break;
		n *= 2;
	}
	est = (double)el / (double)n;
	/*
	 * The first calls can be slow for reasons that do not last (a
	 * freshly forked peer catching up in the scheduler, first faults):
	 * estimate again from a second batch and keep the lower figure.
	 */
	err = run_batch(m, st, nthreads, n, NULL, 0, &el, &done);
	if (err)
		return err;
	if ((double)el / (double)n < est)
		est = (double)el / (double)n;
	n = (unsigned long)(plan->batch_ns / (est > 1 ? est : 1));
	if (n < plan->min_calls)
		n = plan->min_calls;
	if (n > plan->max_calls)
		n = plan->max_calls;
	n -= n % nthreads;
	*calls = n ? n : nthreads;
	return 0;
}

/*
 * Discarded batches: the first full batches after the server started (or
 * after door.ko's handoff mode changed) differ from the steady state by a
 * few percent under -icount, where later batches agree to 0.2%. In batch
 * mode, warm up until two batches agree within 0.5% (at most four);
 * with per-call timing (plain emulation, noisy anyway) one batch.
 */
static int warm_up(const struct mech *m, void *st, unsigned int nthreads,
		   unsigned long calls, uint64_t *samples, uint64_t budget,
		   bool until_steady)
{
	double prev = 0, cur;
	unsigned long done;
	unsigned int i;
	uint64_t el;
	int err;

	for (i = 0; i < (until_steady ? 4 : 1); i++) {
		err = run_batch(m, st, nthreads, calls, samples, budget, &el,
				&done);
		if (err)
			return err;
		cur = (double)el / (double)(done ? done : 1);
		if (prev > 0 && cur <= prev * 1.005 && cur >= prev * 0.995)
			break;
		prev = cur;
	}
	return 0;
}

static int measure(const struct mech *m, void *st, const struct bench_params *p,
		   const struct sample_plan *plan, struct sample_result *r)
{
	unsigned int nthreads = p->threads ? p->threads : 1;
	bool per_call = plan->per_call || p->per_call || nthreads > 1;
	uint64_t *samples = NULL;
	/* A batch may take at most four times its planned length. */
	uint64_t budget = (uint64_t)(4 * plan->batch_ns), el;
	unsigned long calls, done;
	double sum = 0;
	unsigned int i;
	int err;

	err = calibrate(m, st, nthreads, plan, &calls);
	if (err)
		return err;
	/* Every thread must make enough calls to reach a steady state. */
	if (nthreads > 1 && calls < 50UL * nthreads)
		calls = 50UL * nthreads;
	if (per_call) {
		samples = calloc(calls * plan->repeats, sizeof(*samples));
		if (!samples)
			return -ENOMEM;
	}
	err = warm_up(m, st, nthreads, calls, samples, budget, !per_call);
	if (err)
		goto out;
	r->calls = calls;
	r->repeats = plan->repeats;
	r->min_ns = 1e300;
	r->max_ns = 0;
	for (i = 0; i < plan->repeats; i++) {
		double per;

		err = run_batch(m, st, nthreads, calls,
				samples ? samples + i * calls : NULL,
				budget, &el, &done);
		if (err)
			goto out;
		if (!done)
			done = 1;
		per = (double)el / (double)done;
		r->batch_ns[i] = per;
		sum += per;
		if (per < r->min_ns)
			r->min_ns = per;
		if (per > r->max_ns)
			r->max_ns = per;
	}
	r->mean_ns = sum / plan->repeats;
	r->calls_per_sec = 1e9 / r->mean_ns;
	if (samples) {
		size_t n = 0, k;

		/* Calls a time budget cut off left zeros behind. */
		for (k = 0; k < (size_t)calls * plan->repeats; k++)
			if (samples[k])
				samples[n++] = samples[k];
		qsort(samples, n, sizeof(*samples), cmp_u64);
		r->p50_ns = percentile(samples, n, 0.50);
		r->p99_ns = percentile(samples, n, 0.99);
	}
out:
	free(samples);
	return err;
}

static int start_server(const struct mech *m, void *st,
			const struct bench_params *p, pid_t *pid)
{
	int rp[2], err;

	if (pipe2(rp, O_CLOEXEC) < 0)
		return -errno;
	*pid = fork();
	if (*pid < 0) {
		err = -errno;
		close(rp[0]);
		close(rp[1]);
		return err;
	}
	if (*pid == 0) {
		close(rp[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		err = pin_to_cpu(p->server_cpu);
		if (!err)
			err = m->serve(st, p, rp[1]);
		if (err)
			fprintf(stderr, "doorbench: %s server: %s\n", m->name,
				strerror(-err));
		_exit(err ? 1 : 0);
	}
	close(rp[1]);
	err = wait_ready(rp[0]);
	close(rp[0]);
	return err;
}

static void stop_server(pid_t pid)
{
	int status;

	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
}

int peer_measure(const struct mech *m, const struct bench_params *p,
		 const struct sample_plan *plan, struct sample_result *r)
{
	cpu_set_t saved;
	void *st = NULL;
	pid_t pid = -1;
	int err;

	memset(r, 0, sizeof(*r));
	if (m->probe) {
		err = m->probe(r->why, sizeof(r->why));
		if (err)
			goto out_status;
	}
	sched_getaffinity(0, sizeof(saved), &saved);
	err = m->setup(&st, p);
	if (err) {
		snprintf(r->why, sizeof(r->why), "setup: %s", strerror(-err));
		goto out_status;
	}
	err = start_server(m, st, p, &pid);
	if (err) {
		snprintf(r->why, sizeof(r->why), "server did not start: %s",
			 strerror(-err));
		goto out;
	}
	err = pin_to_cpu(p->client_cpu);
	if (!err)
		err = m->client(st, p);
	if (!err)
		err = measure(m, st, p, plan, r);
	if (err)
		snprintf(r->why, sizeof(r->why), "call failed: %s",
			 strerror(-err));
out:
	if (pid > 0)
		stop_server(pid);
	m->cleanup(st);
	sched_setaffinity(0, sizeof(saved), &saved);
out_status:
	r->status = err;
	return err;
}
