/* door.ko: passing descriptors with DOOR_DESCRIPTOR / DOOR_RELEASE. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <criterion/criterion.h>
#include <sys/resource.h>

#include "kdoor.h"

KD_ONE_TEST_AT_A_TIME

static struct kd_server srv;
static int ctx, door;
static atomic_int got_fd = -1, got_num, got_attr;
static atomic_ullong got_id;

/* Writes "ok" into each received descriptor, keeps the first open. */
static void writer(struct kd_server *s, const struct door_invocation *inv,
		   struct door_return *ret, void *scratch)
{
	struct door_desc *d = (void *)(uintptr_t)inv->desc_ptr;

	(void)s; (void)ret; (void)scratch;
	got_num = inv->desc_num;
	if (inv->desc_num) {
		got_attr = d[0].attributes;
		got_id = d[0].id;
		got_fd = d[0].fd;
	}
	for (uint32_t i = 0; i < inv->desc_num; i++)
		if (write(d[i].fd, "ok", 2) != 2)
			got_num = -1;
}

/* Returns one new pipe's read end, released after the transfer. */
static int pipe_w = -1;
static void giver(struct kd_server *s, const struct door_invocation *inv,
		  struct door_return *ret, void *scratch)
{
	static struct door_desc d;
	int p[2];

	(void)s; (void)inv; (void)scratch;
	if (pipe(p))
		return;
	pipe_w = p[1];
	/* a high number, so the receiver's new descriptor cannot reuse it */
	got_fd = fcntl(p[0], F_DUPFD, 300);
	close(p[0]);
	memset(&d, 0, sizeof(d));
	d.attributes = DOOR_DESCRIPTOR | DOOR_RELEASE;
	d.fd = got_fd;
	ret->desc_ptr = KD_PTR(&d);
	ret->desc_num = 1;
}

static void setup(void)
{
	ctx = kd_open();
	door = kd_create(ctx, 0, 0, 0);
	cr_assert_geq(door, 0);
	kd_server_start(&srv, ctx, 2, writer);
}

static void teardown(void)
{
	kd_server_stop(&srv);
	close(door);
	close(ctx);
}

TestSuite(desc, .init = setup, .fini = teardown, .timeout = 60);

static long call_with(int fd, uint32_t attrs, struct door_call *out, void *rbuf, size_t rsize)
{
	struct door_desc d = { .attributes = attrs, .fd = fd };
	struct door_call dc = { .desc_ptr = KD_PTR(&d), .desc_num = 1,
				.rbuf = KD_PTR(rbuf), .rsize = rsize };
	long rc = kd_ioctl(door, DOOR_IOC_CALL, &dc);

	if (out)
		*out = dc;
	return rc;
}

Test(desc, caller_passes_a_pipe_to_the_server)
{
	int p[2];
	char buf[4] = { 0 };

	cr_assert_eq(pipe(p), 0);
	cr_assert_eq(call_with(p[1], DOOR_DESCRIPTOR, NULL, NULL, 0), 0);
	cr_assert_eq(got_num, 1);
	cr_assert_eq(got_attr, DOOR_DESCRIPTOR, "a plain file is only DOOR_DESCRIPTOR");
	cr_assert_eq(read(p[0], buf, 2), 2);
	cr_assert_str_eq(buf, "ok");
	cr_assert_geq(fcntl(p[1], F_GETFD), 0, "without DOOR_RELEASE the caller keeps it");
	close(got_fd);
	close(p[0]);
	close(p[1]);
}

Test(desc, door_release_closes_the_callers_descriptor)
{
	int p[2];

	cr_assert_eq(pipe(p), 0);
	/* a high number, so the server's new descriptor cannot reuse it */
	p[1] = fcntl(p[1], F_DUPFD, 300);
	cr_assert_eq(call_with(p[1], DOOR_DESCRIPTOR | DOOR_RELEASE, NULL, NULL, 0), 0);
	cr_assert_eq(fcntl(p[1], F_GETFD), -1);
	cr_assert_eq(errno, EBADF);
	close(got_fd);
	close(p[0]);
}

Test(desc, passed_door_becomes_a_new_file_for_the_same_door)
{
	int other = kd_create(ctx, 0, 7, 0);
	long files = kd_live("files");
	struct door_info di;
	struct stat a, b;

	kd_info(other, &di);
	cr_assert_eq(call_with(other, DOOR_DESCRIPTOR, NULL, NULL, 0), -0);
	/* writer() could not write to a door: it reports -1 */
	cr_assert_eq(got_id, di.id);
	cr_assert(got_attr & DOOR_DESCRIPTOR);
	cr_assert(got_attr & DOOR_LOCAL, "received by its owner: DOOR_LOCAL");
	cr_assert_neq(got_fd, other);
	fstat(other, &a);
	fstat(got_fd, &b);
	cr_assert_eq(a.st_ino, b.st_ino);
	cr_assert_eq(kd_live("files"), files + 1, "a new open file, not a shared one");
	cr_assert(fcntl(got_fd, F_GETFD) & FD_CLOEXEC);
	close(got_fd);
	close(other);
}

Test(desc, server_returns_a_descriptor)
{
	struct door_call out;
	char rbuf[256], buf[4] = { 0 };
	struct door_desc *d;

	srv.handler = giver;
	cr_assert_eq(kd_call_data(door, NULL, 0, rbuf, sizeof(rbuf), &out), 0);
	cr_assert_eq(out.desc_num, 1);
	d = (void *)(uintptr_t)out.desc_ptr;
	cr_assert_eq(out.desc_ptr, KD_PTR(rbuf), "no data: descriptors at offset 0");
	cr_assert_eq(d->attributes, DOOR_DESCRIPTOR);
	cr_assert_eq(fcntl(got_fd, F_GETFD), -1, "DOOR_RELEASE closed it in the server");
	cr_assert_eq(write(pipe_w, "hi", 2), 2);
	cr_assert_eq(read(d->fd, buf, 2), 2);
	cr_assert_str_eq(buf, "hi");
	close(d->fd);
	close(pipe_w);
}

Test(desc, results_descriptors_follow_the_data_aligned)
{
	struct door_call out;
	char rbuf[256];

	void h(struct kd_server *s, const struct door_invocation *inv,
	       struct door_return *ret, void *scratch)
	{
		giver(s, inv, ret, scratch);
		ret->data_ptr = KD_PTR("abcde");
		ret->data_size = 5;
	}
	srv.handler = h;
	cr_assert_eq(kd_call_data(door, NULL, 0, rbuf, sizeof(rbuf), &out), 0);
	cr_assert_eq(out.data_size, 5);
	cr_assert_eq(out.desc_num, 1);
	cr_assert_eq(out.desc_ptr, KD_PTR(rbuf) + 24);
	close(((struct door_desc *)(uintptr_t)out.desc_ptr)->fd);
	close(pipe_w);
}

Test(desc, caller_without_fd_slots_makes_the_server_see_emfile)
{
	struct door_call out;
	struct rlimit old, rl;
	char rbuf[256];
	int fds[64], n = 0, d2, maxfd = dup(0);
	pid_t pid;

	/* the server in another process: the descriptor limit is per process */
	kd_shared_last_error = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	d2 = kd_fork_server(giver, 1, 0, 0, &pid);
	cr_assert_geq(d2, 0);
	close(maxfd);
	getrlimit(RLIMIT_NOFILE, &old);
	rl = old;
	rl.rlim_cur = maxfd + 8;
	setrlimit(RLIMIT_NOFILE, &rl);
	while (n < 64 && (fds[n] = dup(0)) >= 0)
		n++;
	long rc = kd_call_data(d2, NULL, 0, rbuf, sizeof(rbuf), &out);

	for (int i = 0; i < n; i++)
		close(fds[i]);
	setrlimit(RLIMIT_NOFILE, &old);
	kd_kill_wait(pid);
	close(d2);
	cr_assert_eq(rc, 0, "the server's second, empty return completes the call");
	cr_assert_eq(out.desc_num, 0);
	cr_assert_eq(atomic_load(kd_shared_last_error), -EMFILE);
}

Test(desc, refuse_desc_door_is_enotsup_and_releases)
{
	int d2 = kd_create(ctx, 0, 0, DOOR_REFUSE_DESC);
	int p[2];
	struct door_desc d;
	struct door_call dc = { .desc_ptr = KD_PTR(&d), .desc_num = 1 };

	cr_assert_eq(pipe(p), 0);
	d = (struct door_desc){ .attributes = DOOR_DESCRIPTOR | DOOR_RELEASE, .fd = p[1] };
	cr_assert_eq(kd_ioctl(d2, DOOR_IOC_CALL, &dc), -ENOTSUP);
	cr_assert_eq(fcntl(p[1], F_GETFD), -1, "released on ENOTSUP");
	close(p[0]);
	close(d2);
}

Test(desc, invalid_fd_is_einval_and_others_released)
{
	int p[2];
	struct door_desc d[2];
	struct door_call dc = { .desc_ptr = KD_PTR(d), .desc_num = 2 };

	cr_assert_eq(pipe(p), 0);
	d[0] = (struct door_desc){ .attributes = DOOR_DESCRIPTOR | DOOR_RELEASE, .fd = p[1] };
	d[1] = (struct door_desc){ .attributes = DOOR_DESCRIPTOR, .fd = 999 };
	cr_assert_eq(kd_ioctl(door, DOOR_IOC_CALL, &dc), -EINVAL);
	cr_assert_eq(fcntl(p[1], F_GETFD), -1, "released on EINVAL");
	close(p[0]);
}

Test(desc, entry_without_door_descriptor_is_einval)
{
	int p[2];

	cr_assert_eq(pipe(p), 0);
	cr_assert_eq(call_with(p[1], DOOR_RELEASE, NULL, NULL, 0), -EINVAL);
	close(p[0]);
}

Test(desc, bad_desc_pointer_is_efault_and_nothing_released)
{
	struct door_call dc = { .desc_ptr = 8, .desc_num = 1 };

	cr_assert_eq(kd_ioctl(door, DOOR_IOC_CALL, &dc), -EFAULT);
}

Test(desc, many_descriptors_round_trip_without_leaks)
{
	long files = kd_live("files");
	int n = 100, p[2];
	struct door_desc d[100];
	struct door_call dc = { .desc_ptr = KD_PTR(d), .desc_num = n };

	void h(struct kd_server *s, const struct door_invocation *inv,
	       struct door_return *ret, void *scratch)
	{
		struct door_desc *dd = (void *)(uintptr_t)inv->desc_ptr;

		(void)s; (void)ret; (void)scratch;
		got_num = inv->desc_num;
		for (uint32_t i = 0; i < inv->desc_num; i++)
			close(dd[i].fd);
	}
	srv.handler = h;
	cr_assert_eq(pipe(p), 0);
	for (int i = 0; i < n; i++)
		d[i] = (struct door_desc){ .attributes = DOOR_DESCRIPTOR, .fd = i % 2 ? p[0] : door };
	cr_assert_eq(kd_ioctl(door, DOOR_IOC_CALL, &dc), 0);
	cr_assert_eq(got_num, n);
	cr_assert_eq(kd_live_settle("files", files), files);
	close(p[0]);
	close(p[1]);
}
