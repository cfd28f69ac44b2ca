// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Futex ping-pong over shared memory: the client copies the argument
 * into a shared page, flips the state word and wakes the server, then
 * sleeps on the word until the server flips it back. The server copies
 * the argument out (two copies, like a pipe). Shared futexes, since the
 * two sides are separate processes.
 */
#include <errno.h>
#include <linux/futex.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"

enum { FX_IDLE, FX_REQUEST };

struct futex_shared {
	_Atomic uint32_t state;
	char pad[60];
	char data[];
};

struct futex_state {
	struct futex_shared *shm;
	size_t map_len;
	size_t len;
	char *priv;		/* the side's own copy of the argument */
};

static long futex_op(_Atomic uint32_t *uaddr, int op, uint32_t val)
{
	return syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}

/* Sleep while *w == val. */
static int futex_wait_while(_Atomic uint32_t *w, uint32_t val)
{
	while (atomic_load_explicit(w, memory_order_acquire) == val) {
		if (futex_op(w, FUTEX_WAIT, val) < 0 &&
		    errno != EAGAIN && errno != EINTR)
			return -errno;
	}
	return 0;
}

static void futex_cleanup(void *state)
{
	struct futex_state *s = state;

	if (s->shm)
		munmap(s->shm, s->map_len);
	free(s->priv);
	free(s);
}

static int futex_setup(void **state, const struct bench_params *p)
{
	struct futex_state *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->len = p->payload;
	s->map_len = sizeof(*s->shm) + s->len;
	s->shm = mmap(NULL, s->map_len, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (s->shm == MAP_FAILED) {
		s->shm = NULL;
		futex_cleanup(s);
		return -ENOMEM;
	}
	s->priv = calloc(1, s->len + 1);
	if (!s->priv) {
		futex_cleanup(s);
		return -ENOMEM;
	}
	memset(s->shm->data, 0, s->len);
	*state = s;
	return 0;
}

static int futex_serve(void *state, const struct bench_params *p, int ready_fd)
{
	struct futex_state *s = state;
	int err;

	err = signal_ready(ready_fd);
	while (!err) {
		err = futex_wait_while(&s->shm->state, FX_IDLE);
		if (err)
			break;
		memcpy(s->priv, s->shm->data, s->len);
		atomic_store_explicit(&s->shm->state, FX_IDLE,
				      memory_order_release);
		if (futex_op(&s->shm->state, FUTEX_WAKE, 1) < 0)
			err = -errno;
	}
	return err;
}

static int futex_client(void *state, const struct bench_params *p)
{
	return 0;
}

static int futex_call(void *state)
{
	struct futex_state *s = state;

	memcpy(s->shm->data, s->priv, s->len);
	atomic_store_explicit(&s->shm->state, FX_REQUEST, memory_order_release);
	if (futex_op(&s->shm->state, FUTEX_WAKE, 1) < 0)
		return -errno;
	return futex_wait_while(&s->shm->state, FX_REQUEST);
}

const struct mech mech_futex = {
	.name = "futex",
	.label = "futex",
	.flags = MECH_PAYLOAD,
	.setup = futex_setup,
	.serve = futex_serve,
	.client = futex_client,
	.call = futex_call,
	.cleanup = futex_cleanup,
};
