/* door.ko: the invocation path (DOOR_IOC_CALL / DOOR_IOC_RETURN) with data. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <criterion/criterion.h>

#include "kdoor.h"

static void fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 31 + seed);
}

static bool check(const unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(i * 31 + seed))
			return false;
	return true;
}

/* Results: the arguments, each byte + 1 (so results differ from arguments). */
static void plus_one(struct kd_server *s, const struct door_invocation *inv,
		     struct door_return *ret, void *scratch)
{
	unsigned char *src = (unsigned char *)(uintptr_t)inv->data_ptr;
	unsigned char *dst = scratch;

	(void)s;
	if (inv->data_size > KD_SCRATCH)
		return;
	for (uint64_t i = 0; i < inv->data_size; i++)
		dst[i] = src[i] + 1;
	ret->data_ptr = KD_PTR(dst);
	ret->data_size = inv->data_size;
}

static struct kd_server srv;
static int ctx, door;

static void setup_plus_one(void)
{
	ctx = kd_open();
	cr_assert_geq(ctx, 0);
	door = kd_create(ctx, 0x10, 0x20, 0);
	cr_assert_geq(door, 0);
	kd_server_start(&srv, ctx, 2, plus_one);
}

static void teardown_server(void)
{
	kd_server_stop(&srv);
	close(door);
	close(ctx);
}

static void round_trip(size_t n)
{
	unsigned char *a = malloc(n + 1), *r = malloc(n + 1);
	struct door_call out;

	fill(a, n, 3);
	cr_assert_eq(kd_call_data(door, a, n, r, n, &out), 0);
	cr_assert_eq(out.data_size, n);
	cr_assert_eq(out.rbuf, KD_PTR(r), "results must land in rbuf");
	cr_assert_eq(out.data_ptr, KD_PTR(r));
	cr_assert(check(r, n, 4), "results corrupted at size %zu", n);
	free(a);
	free(r);
}

TestSuite(call, .init = setup_plus_one, .fini = teardown_server, .timeout = 60);
TestSuite(nested, .init = setup_plus_one, .fini = teardown_server, .timeout = 60);
TestSuite(concurrency, .init = setup_plus_one, .fini = teardown_server, .timeout = 120);
TestSuite(pool, .init = setup_plus_one, .fini = teardown_server, .timeout = 60);
TestSuite(server, .init = setup_plus_one, .fini = teardown_server, .timeout = 60);

Test(call, round_trip_0_bytes) { round_trip(0); }
Test(call, round_trip_1_byte) { round_trip(1); }
Test(call, round_trip_16k) { round_trip(16384); }
Test(call, round_trip_16k_plus_1) { round_trip(16385); }
Test(call, round_trip_1m) { round_trip(1 << 20); }

Test(call, round_trip_at_the_limit)
{
	struct door_handshake hs = { .size = sizeof(hs) };

	cr_assert_eq(kd_ioctl(ctx, DOOR_IOC_HANDSHAKE, &hs), 0);
	round_trip(hs.max_data);
}

Test(call, above_the_limit_is_e2big)
{
	struct door_handshake hs = { .size = sizeof(hs) };

	cr_assert_eq(kd_ioctl(ctx, DOOR_IOC_HANDSHAKE, &hs), 0);
	cr_assert_eq(kd_call_data(door, (void *)4096, hs.max_data + 1, NULL, 0, NULL), -E2BIG);
}

Test(call, server_sees_cookie_proc_and_id)
{
	static atomic_ulong seen_cookie, seen_proc, seen_id;
	struct door_info di;

	void h(struct kd_server *s, const struct door_invocation *inv,
	       struct door_return *ret, void *scratch)
	{
		(void)s; (void)ret; (void)scratch;
		seen_cookie = inv->cookie;
		seen_proc = inv->proc;
		seen_id = inv->door_id;
	}
	srv.handler = h;
	cr_assert_eq(kd_call_data(door, NULL, 0, NULL, 0, NULL), 0);
	kd_info(door, &di);
	cr_assert_eq(seen_cookie, 0x20);
	cr_assert_eq(seen_proc, 0x10);
	cr_assert_eq(seen_id, di.id);
}

Test(call, null_rbuf_with_no_results)
{
	struct door_call out;

	cr_assert_eq(kd_call_data(door, NULL, 0, NULL, 0, &out), 0);
	cr_assert_eq(out.data_size, 0);
	cr_assert_eq(out.rbuf, 0);
}

Test(call, results_overflow_into_a_new_mapping)
{
	unsigned char a[100], r[16];
	struct door_call out;

	fill(a, sizeof(a), 9);
	cr_assert_eq(kd_call_data(door, a, sizeof(a), r, sizeof(r), &out), 0);
	cr_assert_neq(out.rbuf, KD_PTR(r));
	cr_assert_geq(out.rsize, 100);
	cr_assert_eq(out.rsize % 4096, 0);
	cr_assert_eq(out.data_ptr, out.rbuf);
	cr_assert(check((void *)(uintptr_t)out.rbuf, 100, 10));
	cr_assert_eq(munmap((void *)(uintptr_t)out.rbuf, out.rsize), 0);
}

Test(call, null_rbuf_with_results_gets_a_mapping)
{
	size_t n = 200000;
	unsigned char *a = malloc(n);
	struct door_call out;

	fill(a, n, 1);
	cr_assert_eq(kd_call_data(door, a, n, NULL, 0, &out), 0);
	cr_assert_neq(out.rbuf, 0);
	cr_assert_geq(out.rsize, n);
	cr_assert(check((void *)(uintptr_t)out.rbuf, n, 2));
	munmap((void *)(uintptr_t)out.rbuf, out.rsize);
	free(a);
}

Test(call, arguments_bigger_than_receive_buffer_are_mapped_in_server)
{
	static atomic_uint flags;
	size_t n = KD_RECV_BUF + 1;
	unsigned char *a = malloc(n), *r = malloc(n);

	void h(struct kd_server *s, const struct door_invocation *inv,
	       struct door_return *ret, void *scratch)
	{
		flags = inv->flags;
		plus_one(s, inv, ret, scratch);
	}
	srv.handler = h;
	fill(a, n, 5);
	cr_assert_eq(kd_call_data(door, a, n, r, n, NULL), 0);
	cr_assert(flags & DOOR_INV_F_MAPPED);
	cr_assert(check(r, n, 6));
	free(a);
	free(r);
}

Test(call, same_buffer_for_arguments_and_results)
{
	unsigned char b[5000];

	fill(b, sizeof(b), 0);
	cr_assert_eq(kd_call_data(door, b, sizeof(b), b, sizeof(b), NULL), 0);
	cr_assert(check(b, sizeof(b), 1));
}

Test(call, reserved_and_flags_are_einval)
{
	struct door_call dc = { .flags = ~(__u32)DOOR_CALL_F_NORESULTS };

	cr_assert_eq(kd_ioctl(door, DOOR_IOC_CALL, &dc), -EINVAL);
	dc.flags = 0;
	dc.reserved = 1;
	cr_assert_eq(kd_ioctl(door, DOOR_IOC_CALL, &dc), -EINVAL);
}

Test(call, bad_argument_pointer_is_efault)
{
	cr_assert_eq(kd_call_data(door, (void *)8, 100, NULL, 0, NULL), -EFAULT);
	cr_assert_eq(kd_call_data(door, (void *)8, 100000, NULL, 0, NULL), -EFAULT);
	cr_assert_eq(kd_ioctl(door, DOOR_IOC_CALL, (void *)8), -EFAULT);
}

Test(call, bad_result_buffer_is_efault)
{
	char a[10] = "hello";

	cr_assert_eq(kd_call_data(door, a, sizeof(a), (void *)8, 100, NULL), -EFAULT);
	/* the server was not harmed: the next call works */
	round_trip(10);
}

Test(call, too_many_descriptors_is_e2big)
{
	struct door_call dc = { .desc_num = 1025 };

	cr_assert_eq(kd_ioctl(door, DOOR_IOC_CALL, &dc), -E2BIG);
}

Test(call, call_on_a_context_is_enotty)
{
	struct door_call dc = { 0 };

	cr_assert_eq(kd_ioctl(ctx, DOOR_IOC_CALL, &dc), -ENOTTY);
}

/* Nested: the server calls a second door of its own process while serving. */
static int inner_door;

static void outer(struct kd_server *s, const struct door_invocation *inv,
		  struct door_return *ret, void *scratch)
{
	unsigned char v = 0, r = 0;

	if (inv->cookie == 2) {		/* inner: +1 */
		plus_one(s, inv, ret, scratch);
		return;
	}
	memcpy(&v, (void *)(uintptr_t)inv->data_ptr, 1);
	if (kd_call_data(inner_door, &v, 1, &r, 1, NULL) == 0) {
		*(unsigned char *)scratch = r + 100;
		ret->data_ptr = KD_PTR(scratch);
		ret->data_size = 1;
	}
}

Test(nested, server_thread_calls_another_door)
{
	unsigned char v = 5, r = 0;

	srv.handler = outer;
	inner_door = kd_create(ctx, 0, 2, 0);
	long rc = kd_call_data(door, &v, 1, &r, 1, NULL);

	cr_assert_eq(rc, 0, "rc %ld", rc);
	cr_assert_eq(r, 106);
	close(inner_door);
}

/* 64 callers, 8 server threads, each caller checks its own results. */
static void *caller(void *arg)
{
	unsigned seed = (unsigned)(uintptr_t)arg;
	unsigned char a[300], r[300];

	for (int i = 0; i < 100; i++) {
		long rc;

		fill(a, sizeof(a), seed + i);
		rc = kd_call_data(door, a, sizeof(a), r, sizeof(r), NULL);
		if (rc)
			return (void *)(1000 - rc);
		if (!check(r, sizeof(r), seed + i + 1))
			return (void *)2;
	}
	return NULL;
}

Test(concurrency, sixty_four_callers_one_door)
{
	struct kd_server more;
	pthread_t t[64];
	void *res;

	kd_server_start(&more, ctx, 6, plus_one);
	for (int i = 0; i < 64; i++)
		pthread_create(&t[i], NULL, caller, (void *)(uintptr_t)(i * 7));
	for (int i = 0; i < 64; i++) {
		pthread_join(t[i], &res);
		cr_assert_null(res, "caller %d failed (%p)", i, res);
	}
	kd_server_stop(&more);
}

/* A server that blocks until told to go on. */
static atomic_int gate, entered;

static void blocker(struct kd_server *s, const struct door_invocation *inv,
		    struct door_return *ret, void *scratch)
{
	(void)s; (void)inv; (void)ret; (void)scratch;
	atomic_fetch_add(&entered, 1);
	while (!atomic_load(&gate))
		usleep(1000);
}

static void *blocked_call(void *arg)
{
	long rc = kd_call_data(*(int *)arg, NULL, 0, NULL, 0, NULL);

	return (void *)rc;
}

Test(pool, signal_while_waiting_for_a_thread_is_eagain)
{
	pthread_t a, b;
	void *ra, *rb;

	srv.handler = blocker;
	atomic_store(&gate, 0);
	atomic_store(&entered, 0);
	/* two server threads: occupy both, then a third caller waits */
	pthread_create(&a, NULL, blocked_call, &door);
	pthread_create(&b, NULL, blocked_call, &door);
	while (atomic_load(&entered) < 2)
		usleep(1000);
	pthread_t c;
	void *rc;

	pthread_create(&c, NULL, blocked_call, &door);
	usleep(100000);
	pthread_kill(c, SIGUSR1);
	pthread_join(c, &rc);
	cr_assert_eq((long)rc, -EAGAIN);
	atomic_store(&gate, 1);
	pthread_join(a, &ra);
	pthread_join(b, &rb);
	cr_assert_eq((long)ra, 0);
	cr_assert_eq((long)rb, 0);
}

Test(pool, revoke_while_waiting_for_a_thread_is_ebadf_and_active_calls_finish)
{
	pthread_t a, b, c;
	void *ra, *rb, *rc;

	srv.handler = blocker;
	atomic_store(&gate, 0);
	atomic_store(&entered, 0);
	pthread_create(&a, NULL, blocked_call, &door);
	pthread_create(&b, NULL, blocked_call, &door);
	while (atomic_load(&entered) < 2)
		usleep(1000);
	pthread_create(&c, NULL, blocked_call, &door);
	usleep(100000);
	cr_assert_eq(kd_ioctl(door, DOOR_IOC_REVOKE, NULL), 0);
	pthread_join(c, &rc);
	cr_assert_eq((long)rc, -EBADF);
	atomic_store(&gate, 1);
	pthread_join(a, &ra);
	pthread_join(b, &rb);
	cr_assert_eq((long)ra, 0, "calls in progress finish after revoke");
	cr_assert_eq((long)rb, 0);
}

Test(server, return_with_no_invocation_discards_results)
{
	int c2 = kd_open();
	struct door_return r = { .data_size = 10, .data_ptr = KD_PTR("xxxxxxxxxx") };
	pthread_t self = pthread_self();

	(void)self;
	/* no door, nobody will call: a signal ends the park */
	alarm(1);
	signal(SIGALRM, kd_noop_signal);
	struct sigaction sa = { .sa_handler = kd_noop_signal };

	sigaction(SIGALRM, &sa, NULL);
	cr_assert_eq(kd_ioctl(c2, DOOR_IOC_RETURN, &r), -EINTR);
	close(c2);
}

Test(server, ucred_without_invocation_is_einval)
{
	struct door_ucred uc = { .size = sizeof(uc) };

	cr_assert_eq(kd_ioctl(ctx, DOOR_IOC_UCRED, &uc), -EINVAL);
}

Test(server, return_with_unknown_flags_is_einval)
{
	struct door_return r = { .flags = 0x80 };

	cr_assert_eq(kd_ioctl(ctx, DOOR_IOC_RETURN, &r), -EINVAL);
}
