// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Pipe ping-pong: the argument goes down one pipe, a one-byte reply
 * comes back up another. A null call still carries one token byte (a
 * zero-byte write wakes nobody). The pipes are sized to hold the whole
 * argument, the best case for pipes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench.h"

struct pipe_state {
	int req[2];
	int rsp[2];
	size_t len;
	char *buf;
};

static void pipe_cleanup(void *state)
{
	struct pipe_state *s = state;
	int i;

	for (i = 0; i < 2; i++) {
		if (s->req[i] >= 0)
			close(s->req[i]);
		if (s->rsp[i] >= 0)
			close(s->rsp[i]);
	}
	free(s->buf);
	free(s);
}

static int pipe_setup(void **state, const struct bench_params *p)
{
	struct pipe_state *s = calloc(1, sizeof(*s));
	int err;

	if (!s)
		return -ENOMEM;
	s->req[0] = s->req[1] = s->rsp[0] = s->rsp[1] = -1;
	s->len = p->payload ? p->payload : 1;
	s->buf = calloc(1, s->len);
	if (!s->buf || pipe2(s->req, O_CLOEXEC) < 0 ||
	    pipe2(s->rsp, O_CLOEXEC) < 0) {
		err = s->buf ? -errno : -ENOMEM;
		pipe_cleanup(s);
		return err;
	}
	if (s->len > 4096 && fcntl(s->req[1], F_SETPIPE_SZ, (int)s->len) < 0) {
		/* Not fatal: the transfer then takes several wake-ups. */
	}
	*state = s;
	return 0;
}

static int pipe_serve(void *state, const struct bench_params *p, int ready_fd)
{
	struct pipe_state *s = state;
	char tok = 'r';
	int err;

	err = signal_ready(ready_fd);
	while (!err) {
		err = read_all(s->req[0], s->buf, s->len);
		if (!err)
			err = write_all(s->rsp[1], &tok, 1);
	}
	return err == -EPIPE ? 0 : err;
}

static int pipe_client(void *state, const struct bench_params *p)
{
	return 0;
}

static int pipe_call(void *state)
{
	struct pipe_state *s = state;
	char tok;
	int err;

	err = write_all(s->req[1], s->buf, s->len);
	if (!err)
		err = read_all(s->rsp[0], &tok, 1);
	return err;
}

const struct mech mech_pipe = {
	.name = "pipe",
	.label = "pipe",
	.flags = MECH_PAYLOAD,
	.setup = pipe_setup,
	.serve = pipe_serve,
	.client = pipe_client,
	.call = pipe_call,
	.cleanup = pipe_cleanup,
};
