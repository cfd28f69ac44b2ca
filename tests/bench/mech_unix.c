// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unix socket ping-pong over a socketpair: stream, seqpacket, and
 * seqpacket carrying descriptors with every request (SCM_RIGHTS; the
 * server closes what it receives, as a door server would). The reply is
 * one byte. Socket buffers are forced large enough for a 1 MiB message.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"

#define UNIX_MAX_FDS 16

struct unix_state {
	int sv[2];		/* [0] client, [1] server */
	int type;
	size_t len;
	unsigned int ndesc;
	int fds[UNIX_MAX_FDS];	/* client: what it sends */
	char *buf;
};

static void unix_cleanup(void *state)
{
	struct unix_state *s = state;
	unsigned int i;

	for (i = 0; i < 2; i++)
		if (s->sv[i] >= 0)
			close(s->sv[i]);
	for (i = 0; i < UNIX_MAX_FDS; i++)
		if (s->fds[i] >= 0)
			close(s->fds[i]);
	free(s->buf);
	free(s);
}

/* Root may exceed net.core.[rw]mem_max; others keep the default. */
static void grow_buffers(int fd, size_t len)
{
	int sz = (int)(2 * len + 65536);

	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
}

static int unix_setup_type(void **state, const struct bench_params *p,
			   int type, unsigned int ndesc)
{
	struct unix_state *s = calloc(1, sizeof(*s));
	unsigned int i;
	int err;

	if (!s)
		return -ENOMEM;
	s->sv[0] = s->sv[1] = -1;
	for (i = 0; i < UNIX_MAX_FDS; i++)
		s->fds[i] = -1;
	s->type = type;
	s->ndesc = ndesc;
	s->len = p->payload ? p->payload : 1;
	if (ndesc > UNIX_MAX_FDS) {
		err = -EINVAL;
		goto fail;
	}
	s->buf = calloc(1, s->len);
	if (!s->buf) {
		err = -ENOMEM;
		goto fail;
	}
	if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, s->sv) < 0) {
		err = -errno;
		goto fail;
	}
	grow_buffers(s->sv[0], s->len);
	grow_buffers(s->sv[1], s->len);
	for (i = 0; i < ndesc; i++) {
		s->fds[i] = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (s->fds[i] < 0) {
			err = -errno;
			goto fail;
		}
	}
	*state = s;
	return 0;
fail:
	unix_cleanup(s);
	return err;
}

static int unix_setup_stream(void **state, const struct bench_params *p)
{
	return unix_setup_type(state, p, SOCK_STREAM, 0);
}

static int unix_setup_seqpacket(void **state, const struct bench_params *p)
{
	return unix_setup_type(state, p, SOCK_SEQPACKET, 0);
}

static int unix_setup_seqpacket_fd(void **state, const struct bench_params *p)
{
	return unix_setup_type(state, p, SOCK_SEQPACKET,
			       p->ndesc ? p->ndesc : 1);
}

/* One request: a whole message (seqpacket) or len bytes (stream). */
static int unix_recv_request(struct unix_state *s)
{
	int fds[UNIX_MAX_FDS];
	unsigned int nfds, i;
	ssize_t n;

	if (s->type == SOCK_STREAM)
		return read_all(s->sv[1], s->buf, s->len);
	n = recv_fds(s->sv[1], fds, UNIX_MAX_FDS, &nfds, s->buf, s->len);
	for (i = 0; i < nfds; i++)
		close(fds[i]);
	if (n < 0)
		return (int)n;
	if (n == 0)
		return -EPIPE;
	return (size_t)n == s->len && nfds == s->ndesc ? 0 : -EPROTO;
}

static int unix_serve(void *state, const struct bench_params *p, int ready_fd)
{
	struct unix_state *s = state;
	char tok = 'r';
	int err;

	close(s->sv[0]);
	s->sv[0] = -1;
	err = signal_ready(ready_fd);
	while (!err) {
		err = unix_recv_request(s);
		if (!err)
			err = write_all(s->sv[1], &tok, 1);
	}
	return err == -EPIPE ? 0 : err;
}

static int unix_client(void *state, const struct bench_params *p)
{
	return 0;
}

static int unix_call(void *state)
{
	struct unix_state *s = state;
	char tok;
	int err;

	if (s->type == SOCK_STREAM)
		err = write_all(s->sv[0], s->buf, s->len);
	else
		err = send_fds(s->sv[0], s->fds, s->ndesc, s->buf, s->len);
	if (!err)
		err = read_all(s->sv[0], &tok, 1);
	return err;
}

const struct mech mech_unix_stream = {
	.name = "unix_stream",
	.label = "unix stream",
	.flags = MECH_PAYLOAD,
	.setup = unix_setup_stream,
	.serve = unix_serve,
	.client = unix_client,
	.call = unix_call,
	.cleanup = unix_cleanup,
};

const struct mech mech_unix_seqpacket = {
	.name = "unix_seqpacket",
	.label = "unix seqpacket",
	.flags = MECH_PAYLOAD,
	.setup = unix_setup_seqpacket,
	.serve = unix_serve,
	.client = unix_client,
	.call = unix_call,
	.cleanup = unix_cleanup,
};

const struct mech mech_unix_seqpacket_fd = {
	.name = "unix_seqpacket_fd",
	.label = "seqpacket+fd",
	.flags = MECH_PAYLOAD | MECH_DESC,
	.setup = unix_setup_seqpacket_fd,
	.serve = unix_serve,
	.client = unix_client,
	.call = unix_call,
	.cleanup = unix_cleanup,
};
