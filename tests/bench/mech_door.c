// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * door_call through door.ko, on the raw uapi (no library): the server
 * process opens a context, creates a door, hands it to the client over
 * SCM_RIGHTS and parks its threads with DOOR_IOC_RETURN, each returning
 * an empty result. Arguments land in the buffer the thread offered;
 * passed descriptors are closed, as a real server would.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/door.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define DOOR_DEV	"/dev/door"
#define DOOR_MAX_DESC_BENCH 16
#define DOOR_MAX_SERVERS 64

struct door_state {
	int sv[2];		/* door hand-over: [0] client, [1] server */
	int ctx;		/* server: context */
	int door;		/* both: the door */
	size_t len;
	unsigned int ndesc;
	unsigned int nservers;
	char *arg;		/* client: the argument */
	struct door_desc desc[DOOR_MAX_DESC_BENCH];
	int desc_fd;		/* client: what it passes */
};

static int door_probe(char *why, size_t len)
{
	struct door_handshake hs = {
		.size = sizeof(hs), .api_version = DOOR_API_VERSION,
	};
	int fd, err = 0;

	fd = open(DOOR_DEV, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		snprintf(why, len, "not available: open %s: %s", DOOR_DEV,
			 strerror(errno));
		return err;
	}
	if (ioctl(fd, DOOR_IOC_HANDSHAKE, &hs) < 0) {
		err = -errno;
		snprintf(why, len, "not available: handshake: %s",
			 strerror(errno));
	} else if (!(hs.features & DOOR_FEAT_CALL)) {
		err = -EOPNOTSUPP;
		snprintf(why, len, "not available: module lacks DOOR_FEAT_CALL");
	}
	close(fd);
	return err;
}

static void door_cleanup(void *state)
{
	struct door_state *s = state;
	int i;

	for (i = 0; i < 2; i++)
		if (s->sv[i] >= 0)
			close(s->sv[i]);
	if (s->door >= 0)
		close(s->door);
	if (s->ctx >= 0)
		close(s->ctx);
	if (s->desc_fd >= 0)
		close(s->desc_fd);
	free(s->arg);
	free(s);
}

static int door_setup(void **state, const struct bench_params *p)
{
	struct door_state *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->sv[0] = s->sv[1] = s->ctx = s->door = s->desc_fd = -1;
	s->len = p->payload;
	s->ndesc = p->ndesc;
	s->nservers = p->threads ? p->threads : 1;
	if (s->nservers > DOOR_MAX_SERVERS)
		s->nservers = DOOR_MAX_SERVERS;
	if (s->ndesc > DOOR_MAX_DESC_BENCH ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, s->sv) < 0) {
		door_cleanup(s);
		return s->ndesc > DOOR_MAX_DESC_BENCH ? -EINVAL : -errno;
	}
	*state = s;
	return 0;
}

/* One server thread: park, serve, repeat. Never returns on success. */
static int door_server_loop(struct door_state *s)
{
	size_t bsize = s->len + 4096 +
		       DOOR_MAX_DESC_BENCH * sizeof(struct door_desc);
	void *unmap_ptr = NULL;
	size_t unmap_len = 0;
	struct door_return r;
	char *buf = malloc(bsize);
	unsigned int i;

	if (!buf)
		return -ENOMEM;
	memset(&r, 0, sizeof(r));
	for (;;) {
		r.buf_ptr = (uintptr_t)buf;
		r.buf_size = bsize;
		if (ioctl(s->ctx, DOOR_IOC_RETURN, &r) < 0) {
			if (errno != EINTR)
				break;
			memset(&r, 0, sizeof(r));
			continue;
		}
		if (unmap_ptr)
			munmap(unmap_ptr, unmap_len);
		unmap_ptr = NULL;
		if (r.inv.flags & DOOR_INV_F_MAPPED) {
			unmap_ptr = (void *)(uintptr_t)r.inv.buf_ptr;
			unmap_len = r.inv.buf_size;
		}
		for (i = 0; i < r.inv.desc_num; i++) {
			struct door_desc *d = (struct door_desc *)
				(uintptr_t)r.inv.desc_ptr + i;

			if (d->attributes & DOOR_DESCRIPTOR)
				close(d->fd);
		}
		memset(&r, 0, sizeof(r));
	}
	free(buf);
	return -errno;
}

static void *door_server_thread(void *arg)
{
	int err = door_server_loop(arg);

	fprintf(stderr, "doorbench: door server thread: %s\n", strerror(-err));
	return NULL;
}

/* Let every server thread park before the first call. */
static void wait_parked(struct door_state *s)
{
	struct timespec pause = { 0, 5 * 1000 * 1000 };
	struct door_stats st;
	int tries;

	for (tries = 0; tries < 200; tries++) {
		memset(&st, 0, sizeof(st));
		st.size = sizeof(st);
		if (ioctl(s->door, DOOR_IOC_STATS, &st) < 0) {
			/* No statistics: give the threads a moment. */
			pause.tv_nsec = 200 * 1000 * 1000;
			nanosleep(&pause, NULL);
			return;
		}
		if (st.threads_parked >= s->nservers - 1)
			return;
		nanosleep(&pause, NULL);
	}
}

static int door_serve(void *state, const struct bench_params *p, int ready_fd)
{
	struct door_state *s = state;
	struct door_create dc = { .proc = 0x1000, .cookie = 0xd00d };
	pthread_t tid;
	unsigned int i;
	int err;

	close(s->sv[0]);
	s->sv[0] = -1;
	s->ctx = open(DOOR_DEV, O_RDWR | O_CLOEXEC);
	if (s->ctx < 0)
		return -errno;
	s->door = ioctl(s->ctx, DOOR_IOC_CREATE, &dc);
	if (s->door < 0)
		return -errno;
	err = send_fds(s->sv[1], &s->door, 1, "D", 1);
	if (err)
		return err;
	for (i = 1; i < s->nservers; i++) {
		err = -pthread_create(&tid, NULL, door_server_thread, s);
		if (err)
			return err;
	}
	wait_parked(s);
	err = signal_ready(ready_fd);
	if (err)
		return err;
	/* This thread parks last; calls that come first wait for it. */
	return door_server_loop(s);
}

static int door_client(void *state, const struct bench_params *p)
{
	struct door_state *s = state;
	unsigned int n, i;
	char c;
	ssize_t got;

	close(s->sv[1]);
	s->sv[1] = -1;
	got = recv_fds(s->sv[0], &s->door, 1, &n, &c, 1);
	if (got < 0)
		return (int)got;
	if (got == 0 || n != 1)
		return -EPROTO;
	s->arg = calloc(1, s->len + 1);
	if (!s->arg)
		return -ENOMEM;
	if (s->ndesc) {
		s->desc_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (s->desc_fd < 0)
			return -errno;
	}
	for (i = 0; i < s->ndesc; i++)
		s->desc[i] = (struct door_desc){ .attributes = DOOR_DESCRIPTOR,
						 .fd = s->desc_fd };
	return 0;
}

static int door_call_once(void *state)
{
	struct door_state *s = state;
	static __thread char rbuf[256];
	struct door_call c = {
		.data_ptr = (uintptr_t)s->arg,
		.data_size = s->len,
		.desc_ptr = s->ndesc ? (uintptr_t)s->desc : 0,
		.desc_num = s->ndesc,
		.rbuf = (uintptr_t)rbuf,
		.rsize = sizeof(rbuf),
	};

	if (ioctl(s->door, DOOR_IOC_CALL, &c) < 0)
		return -errno;
	if (c.rbuf != (uintptr_t)rbuf)
		munmap((void *)(uintptr_t)c.rbuf, c.rsize);
	return 0;
}

const struct mech mech_door = {
	.name = "door",
	.label = "door_call",
	.flags = MECH_PAYLOAD | MECH_DESC | MECH_THREADS,
	.probe = door_probe,
	.setup = door_setup,
	.serve = door_serve,
	.client = door_client,
	.call = door_call_once,
	.cleanup = door_cleanup,
};

static int door_info_once(void *arg)
{
	struct door_info info;

	if (ioctl(*(int *)arg, DOOR_IOC_INFO, &info) < 0)
		return -errno;
	return 0;
}

/*
 * The cost of entering door.ko at all: one DOOR_IOC_INFO on a door
 * (syscall, descriptor lookup, copy-out), for the round-trip breakdown.
 */
int door_info_measure(const struct sample_plan *plan, struct sample_result *r)
{
	struct door_create dc = { .proc = 0x1000 };
	int ctx, door, err;

	memset(r, 0, sizeof(*r));
	err = door_probe(r->why, sizeof(r->why));
	if (err)
		return r->status = err;
	ctx = open(DOOR_DEV, O_RDWR | O_CLOEXEC);
	if (ctx < 0)
		return r->status = -errno;
	door = ioctl(ctx, DOOR_IOC_CREATE, &dc);
	if (door < 0) {
		err = -errno;
		snprintf(r->why, sizeof(r->why), "DOOR_IOC_CREATE: %s",
			 strerror(errno));
		close(ctx);
		return r->status = err;
	}
	err = op_measure(door_info_once, &door, plan, r);
	close(door);
	close(ctx);
	return err;
}

#define HANDOFF_PARAM "/sys/module/door/parameters/handoff"

int door_handoff_get(unsigned int *mode)
{
	FILE *f = fopen(HANDOFF_PARAM, "r");
	int ok;

	if (!f)
		return -errno;
	ok = fscanf(f, "%u", mode) == 1;
	fclose(f);
	return ok ? 0 : -EIO;
}

/* The module reads the parameter at every call: no reload needed. */
int door_handoff_set(unsigned int mode)
{
	FILE *f = fopen(HANDOFF_PARAM, "w");
	int err = 0;

	if (!f)
		return -errno;
	if (fprintf(f, "%u\n", mode) < 0)
		err = -EIO;
	if (fclose(f) != 0 && !err)
		err = -errno;
	return err;
}
