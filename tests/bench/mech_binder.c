// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Binder synchronous transactions: the server is the context manager
 * (handle 0) with one looper thread; the client sends BC_TRANSACTION
 * and waits for BR_REPLY; the server frees the request buffer and
 * replies with an empty BC_REPLY in the same BINDER_WRITE_READ that
 * waits for the next request. Binder copies the argument once, straight
 * into the server's mapping.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/android/binder.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define BINDER_DEV	"/dev/binder"
#define BINDER_MAP	(4 * MIB)	/* the driver's limit */
#define BINDER_RBUF	256

extern char **environ;

struct binder_state {
	int fd;
	void *map;
	size_t len;
	char *buf;
	binder_uintptr_t reply_buf;	/* to free with the next call */
};

/* Debian builds binder as a module with no binderfs: load it on demand. */
static int binder_probe(char *why, size_t len)
{
	char *argv[] = { "modprobe", "binder_linux", "devices=binder", NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st;

	if (access(BINDER_DEV, R_OK | W_OK) == 0)
		return 0;
	if (posix_spawn_file_actions_init(&fa) == 0) {
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
		if (posix_spawnp(&pid, "modprobe", &fa, NULL, argv, environ) == 0)
			waitpid(pid, &st, 0);
		posix_spawn_file_actions_destroy(&fa);
	}
	if (access(BINDER_DEV, R_OK | W_OK) == 0)
		return 0;
	snprintf(why, len, "not available: %s missing after modprobe binder_linux",
		 BINDER_DEV);
	return -ENODEV;
}

static void binder_close(struct binder_state *s)
{
	if (s->map)
		munmap(s->map, BINDER_MAP);
	if (s->fd >= 0)
		close(s->fd);
	s->map = NULL;
	s->fd = -1;
}

static void binder_cleanup(void *state)
{
	struct binder_state *s = state;

	binder_close(s);
	free(s->buf);
	free(s);
}

static int binder_setup(void **state, const struct bench_params *p)
{
	struct binder_state *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->fd = -1;
	s->len = p->payload;
	s->buf = calloc(1, s->len + 1);
	if (!s->buf) {
		free(s);
		return -ENOMEM;
	}
	*state = s;
	return 0;
}

/* Each process needs its own binder file and mapping. */
static int binder_open(struct binder_state *s)
{
	struct binder_version v;

	s->fd = open(BINDER_DEV, O_RDWR | O_CLOEXEC);
	if (s->fd < 0)
		return -errno;
	if (ioctl(s->fd, BINDER_VERSION, &v) < 0 ||
	    v.protocol_version != BINDER_CURRENT_PROTOCOL_VERSION)
		return -EPROTO;
	s->map = mmap(NULL, BINDER_MAP, PROT_READ, MAP_PRIVATE, s->fd, 0);
	if (s->map == MAP_FAILED) {
		s->map = NULL;
		return -errno;
	}
	return 0;
}

static int binder_rw(int fd, const void *wbuf, size_t wlen, void *rbuf,
		     size_t rlen, size_t *got)
{
	struct binder_write_read bwr = {
		.write_size = wlen,
		.write_buffer = (binder_uintptr_t)wbuf,
		.read_size = rlen,
		.read_buffer = (binder_uintptr_t)rbuf,
	};

	while (ioctl(fd, BINDER_WRITE_READ, &bwr) < 0) {
		if (errno != EINTR)
			return -errno;
		/* Resume where the interrupted call stopped. */
		bwr.write_buffer += bwr.write_consumed;
		bwr.write_size -= bwr.write_consumed;
		bwr.write_consumed = 0;
	}
	*got = bwr.read_consumed;
	return 0;
}

static size_t put_cmd(char *out, size_t off, uint32_t cmd, const void *arg,
		      size_t alen)
{
	memcpy(out + off, &cmd, sizeof(cmd));
	if (alen)
		memcpy(out + off + sizeof(cmd), arg, alen);
	return off + sizeof(cmd) + alen;
}

/*
 * Walk the driver's returns. On BR_TRANSACTION/BR_REPLY the
 * transaction is copied to *tr and 1 is returned; 0 when none came.
 */
static int parse_returns(const char *rbuf, size_t got, uint32_t want,
			 struct binder_transaction_data *tr)
{
	size_t off = 0;
	int found = 0;

	while (off + sizeof(uint32_t) <= got) {
		uint32_t cmd;
		size_t sz;

		memcpy(&cmd, rbuf + off, sizeof(cmd));
		off += sizeof(cmd);
		sz = _IOC_SIZE(cmd);
		if (cmd == want && off + sizeof(*tr) <= got) {
			memcpy(tr, rbuf + off, sizeof(*tr));
			found = 1;
		} else if (cmd == BR_DEAD_REPLY || cmd == BR_FAILED_REPLY ||
			   cmd == BR_ERROR) {
			return -EPIPE;
		}
		off += sz;
	}
	return found;
}

static int become_context_manager(int fd)
{
	struct timespec pause = { 0, 10 * 1000 * 1000 };
	int tries, zero = 0;

	/* The previous server's release is deferred to a workqueue. */
	for (tries = 0; tries < 300; tries++) {
		if (ioctl(fd, BINDER_SET_CONTEXT_MGR, &zero) == 0)
			return 0;
		if (errno != EBUSY)
			return -errno;
		nanosleep(&pause, NULL);
	}
	return -EBUSY;
}

static int binder_serve(void *state, const struct bench_params *p, int ready_fd)
{
	struct binder_state *s = state;
	struct binder_transaction_data tr, reply;
	char out[128], rbuf[BINDER_RBUF];
	size_t olen, got;
	int err, found;

	err = binder_open(s);
	if (!err)
		err = become_context_manager(s->fd);
	if (err)
		return err;
	olen = put_cmd(out, 0, BC_ENTER_LOOPER, NULL, 0);
	err = binder_rw(s->fd, out, olen, NULL, 0, &got);
	if (!err)
		err = signal_ready(ready_fd);
	olen = 0;
	while (!err) {
		err = binder_rw(s->fd, out, olen, rbuf, sizeof(rbuf), &got);
		olen = 0;
		if (err)
			break;
		found = parse_returns(rbuf, got, BR_TRANSACTION, &tr);
		if (found < 0)
			continue;	/* a client died: keep serving */
		if (!found)
			continue;
		memset(&reply, 0, sizeof(reply));
		olen = put_cmd(out, 0, BC_FREE_BUFFER, &tr.data.ptr.buffer,
			       sizeof(tr.data.ptr.buffer));
		olen = put_cmd(out, olen, BC_REPLY, &reply, sizeof(reply));
	}
	return err;
}

static int binder_client(void *state, const struct bench_params *p)
{
	return binder_open(state);
}

static int binder_call(void *state)
{
	struct binder_state *s = state;
	struct binder_transaction_data tr = {
		.target.handle = 0,
		.code = 1,
		.data_size = s->len,
		.data.ptr.buffer = (binder_uintptr_t)s->buf,
	};
	char out[128], rbuf[BINDER_RBUF];
	size_t olen = 0, got;
	int err, found;

	if (s->reply_buf)
		olen = put_cmd(out, olen, BC_FREE_BUFFER, &s->reply_buf,
			       sizeof(s->reply_buf));
	s->reply_buf = 0;
	olen = put_cmd(out, olen, BC_TRANSACTION, &tr, sizeof(tr));
	do {
		err = binder_rw(s->fd, out, olen, rbuf, sizeof(rbuf), &got);
		if (err)
			return err;
		olen = 0;
		found = parse_returns(rbuf, got, BR_REPLY, &tr);
	} while (found == 0);
	if (found < 0)
		return found;
	s->reply_buf = tr.data.ptr.buffer;
	return 0;
}

const struct mech mech_binder = {
	.name = "binder",
	.label = "binder",
	.flags = MECH_PAYLOAD,
	.probe = binder_probe,
	.setup = binder_setup,
	.serve = binder_serve,
	.client = binder_client,
	.call = binder_call,
	.cleanup = binder_cleanup,
};
