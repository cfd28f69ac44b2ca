/* Test helpers for door.ko: the raw uapi, nothing from libdoorclient. */
#ifndef KDOOR_H
#define KDOOR_H

#include <errno.h>
#include <fcntl.h>
#include <linux/door.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define KD_PTR(p) ((uint64_t)(uintptr_t)(p))

/*
 * The module's live_* counters and its refcnt are global: a test that
 * compares them before and after sees the objects of every test running
 * beside it. A program with such tests says KD_ONE_TEST_AT_A_TIME once, and
 * criterion then runs its tests one after the other unless --jobs or
 * CRITERION_JOBS asks otherwise.
 */
#define KD_ONE_TEST_AT_A_TIME							\
	int main(int argc, char *argv[])					\
	{									\
		struct criterion_test_set *tests = criterion_initialize();	\
		int rc = 0;							\
										\
		criterion_options.jobs = 1;					\
		if (criterion_handle_args(argc, argv, true))			\
			rc = !criterion_run_all_tests(tests);			\
		criterion_finalize(tests);					\
		return rc;							\
	}

static inline int kd_open(void)
{
	return open("/dev/door", O_RDWR | O_CLOEXEC);
}

/* ioctl that returns -errno instead of -1. */
static inline long kd_ioctl(int fd, unsigned long cmd, void *arg)
{
	long rc = ioctl(fd, cmd, arg);

	return rc < 0 ? -errno : rc;
}

static inline int kd_create(int ctx, uint64_t proc, uint64_t cookie, uint32_t attrs)
{
	struct door_create dc = { .proc = proc, .cookie = cookie, .attributes = attrs };

	return (int)kd_ioctl(ctx, DOOR_IOC_CREATE, &dc);
}

static inline long kd_info(int d, struct door_info *di)
{
	memset(di, 0, sizeof(*di));
	return kd_ioctl(d, DOOR_IOC_INFO, di);
}

/* A call with data only: returns -errno or 0; results land in rbuf. */
static inline long kd_call_data(int d, const void *arg, size_t asize, void *rbuf,
				size_t rsize, struct door_call *out)
{
	struct door_call dc = {
		.data_ptr = KD_PTR(arg), .data_size = asize,
		.rbuf = KD_PTR(rbuf), .rsize = rsize,
	};
	long rc = kd_ioctl(d, DOOR_IOC_CALL, &dc);

	if (out)
		*out = dc;
	return rc;
}

static inline long kd_live(const char *what)
{
	char path[128], buf[32];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/door/parameters/live_%s", what);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fgets(buf, sizeof(buf), f))
		v = strtol(buf, NULL, 10);
	fclose(f);
	return v;
}

/*
 * A server: threads parked on a context, each running @handler for every
 * invocation. The handler fills in the results (@ret data/desc fields);
 * by default they are empty.
 */
struct kd_server;
typedef void (*kd_handler)(struct kd_server *s, const struct door_invocation *inv,
			   struct door_return *ret, void *scratch);

#define KD_MAX_THREADS 128
#define KD_SCRATCH (4u << 20)
#define KD_RECV_BUF (64u << 10)

struct kd_server {
	int ctx;
	kd_handler handler;
	void *priv;
	int nthreads;
	pthread_t threads[KD_MAX_THREADS];
	atomic_int parked_once;
	atomic_bool stop;
	atomic_long served;
	atomic_long last_error;	/* last failed DOOR_IOC_RETURN */
};

/* Where forked servers also report their last failed return (optional). */
static atomic_long *kd_shared_last_error;

static void kd_noop_signal(int sig)
{
	(void)sig;
}

static inline void kd_install_sigusr1(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = kd_noop_signal;	/* no SA_RESTART: ioctls see EINTR */
	sigaction(SIGUSR1, &sa, NULL);
}

static void *kd_server_thread(void *arg)
{
	struct kd_server *s = arg;
	struct door_return r;
	char *recv = malloc(KD_RECV_BUF);
	char *scratch = malloc(KD_SCRATCH);
	uint64_t unmap_ptr = 0, unmap_size = 0;
	long rc;

	memset(&r, 0, sizeof(r));
	atomic_fetch_add(&s->parked_once, 1);
	for (;;) {
		r.buf_ptr = KD_PTR(recv);
		r.buf_size = KD_RECV_BUF;
		r.flags = 0;
		rc = kd_ioctl(s->ctx, DOOR_IOC_RETURN, &r);
		if (unmap_size) {
			munmap((void *)(uintptr_t)unmap_ptr, unmap_size);
			unmap_size = 0;
		}
		memset(&r, 0, offsetof(struct door_return, buf_ptr));
		if (rc == -EBADF || (rc < 0 && atomic_load(&s->stop)))
			break;
		if (rc < 0) {	/* EINTR, or results refused: park again empty */
			if (rc != -EINTR) {
				atomic_store(&s->last_error, rc);
				if (kd_shared_last_error)
					atomic_store(kd_shared_last_error, rc);
			}
			continue;
		}
		if (r.inv.flags & DOOR_INV_F_MAPPED) {
			unmap_ptr = r.inv.buf_ptr;
			unmap_size = r.inv.buf_size;
		}
		atomic_fetch_add(&s->served, 1);
		if (s->handler)
			s->handler(s, &r.inv, &r, scratch);
	}
	free(recv);
	free(scratch);
	return NULL;
}

static inline void kd_server_start(struct kd_server *s, int ctx, int nthreads,
				   kd_handler h)
{
	kd_install_sigusr1();
	s->ctx = ctx;
	s->handler = h;
	s->nthreads = nthreads;
	atomic_init(&s->parked_once, 0);
	atomic_init(&s->stop, false);
	atomic_init(&s->served, 0);
	atomic_init(&s->last_error, 0);
	for (int i = 0; i < nthreads; i++)
		pthread_create(&s->threads[i], NULL, kd_server_thread, s);
	while (atomic_load(&s->parked_once) < nthreads)
		usleep(1000);
	usleep(20000);	/* let the last one reach the kernel */
}

static inline void kd_server_stop(struct kd_server *s)
{
	atomic_store(&s->stop, true);
	for (int i = 0; i < s->nthreads; i++) {
		for (;;) {
			pthread_kill(s->threads[i], SIGUSR1);
			struct timespec ts;

			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 20 * 1000 * 1000;
			if (ts.tv_nsec >= 1000000000) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000;
			}
			if (pthread_timedjoin_np(s->threads[i], NULL, &ts) == 0)
				break;
		}
	}
}

/* Echo handler: results = arguments. */
static inline void kd_echo(struct kd_server *s, const struct door_invocation *inv,
			   struct door_return *ret, void *scratch)
{
	(void)s;
	(void)scratch;
	ret->data_ptr = inv->data_ptr;
	ret->data_size = inv->data_size;
}

/* Descriptor passing over a socketpair, for handing doors to other processes. */
static inline int kd_send_fd(int sock, int fd)
{
	char c = 'f';
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static inline int kd_recv_fd(int sock)
{
	char c;
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/*
 * A server in a child process: opens its own context, creates a door
 * with @attrs, sends it to the parent, serves with @nthreads threads
 * until killed. Returns the door in the parent, the child's pid in *pid.
 */
static inline int kd_fork_server(kd_handler h, int nthreads, uint32_t attrs,
				 uint64_t cookie, pid_t *pid)
{
	int sv[2], d;

	*pid = -1;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return -1;
	*pid = fork();
	if (*pid < 0)
		return -1;
	if (*pid == 0) {
		struct kd_server s;
		int ctx = kd_open();

		close(sv[0]);
		if (ctx < 0)
			_exit(2);
		d = kd_create(ctx, 0x1234, cookie, attrs);
		if (d < 0)
			_exit(3);
		memset(&s, 0, sizeof(s));
		kd_server_start(&s, ctx, nthreads, h);
		if (kd_send_fd(sv[1], d))
			_exit(4);
		for (;;)
			pause();
	}
	close(sv[1]);
	d = kd_recv_fd(sv[0]);
	close(sv[0]);
	return d;
}

static inline void kd_kill_wait(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* Waits (bounded) until a live counter drops to @want; returns its value. */
static inline long kd_live_settle(const char *what, long want)
{
	long v = kd_live(what);

	for (int i = 0; i < 300 && v != want; i++) {
		usleep(10000);
		v = kd_live(what);
	}
	return v;
}

#endif /* KDOOR_H */
