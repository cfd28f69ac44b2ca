// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The scheduler floor: two processes on one CPU pass a token through
 * shared memory and give the CPU to each other with sched_yield(). A
 * round trip is two syscalls and two context switches, with no wake-up
 * and no copy: a handoff design cannot do much better.
 */
#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "bench.h"

struct yield_state {
	_Atomic uint32_t *token;	/* 1: the server's turn, 0: the client's */
};

static void yield_cleanup(void *state)
{
	struct yield_state *s = state;

	if (s->token)
		munmap((void *)s->token, 4096);
	free(s);
}

static int yield_setup(void **state, const struct bench_params *p)
{
	struct yield_state *s = calloc(1, sizeof(*s));
	void *m;

	if (!s)
		return -ENOMEM;
	if (p->client_cpu < 0 || p->client_cpu != p->server_cpu) {
		/* With a CPU each, sched_yield() would just spin. */
		if (online_cpus() > 1) {
			free(s);
			return -EINVAL;
		}
	}
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		free(s);
		return -ENOMEM;
	}
	s->token = m;
	*state = s;
	return 0;
}

static int yield_serve(void *state, const struct bench_params *p, int ready_fd)
{
	struct yield_state *s = state;
	int err = signal_ready(ready_fd);

	while (!err) {
		while (atomic_load_explicit(s->token, memory_order_acquire) != 1)
			sched_yield();
		atomic_store_explicit(s->token, 0, memory_order_release);
	}
	return err;
}

static int yield_client(void *state, const struct bench_params *p)
{
	return 0;
}

static int yield_call(void *state)
{
	struct yield_state *s = state;

	atomic_store_explicit(s->token, 1, memory_order_release);
	while (atomic_load_explicit(s->token, memory_order_acquire) != 0)
		sched_yield();
	return 0;
}

const struct mech mech_yield = {
	.name = "sched_yield",
	.label = "sched_yield floor",
	.flags = MECH_SAMECPU,
	.setup = yield_setup,
	.serve = yield_serve,
	.client = yield_client,
	.call = yield_call,
	.cleanup = yield_cleanup,
};
