/*
 * door.ko: DOOR_IOC_REPLY, results sent while the server thread keeps
 * running, and DOOR_RETURN_F_NORESULT, the park that follows it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <criterion/criterion.h>
#include <sys/eventfd.h>

#include "kdoor.h"
#include "../module-features.h"

static int ctx, door;
static char recv_buf[4096];

/* Sends @n bytes of results (if any) and parks until the next invocation. */
static long park_with(struct door_return *r, const void *data, size_t n,
		      uint32_t flags)
{
	memset(r, 0, sizeof(*r));
	r->data_ptr = KD_PTR(data);
	r->data_size = n;
	r->flags = flags;
	r->buf_ptr = KD_PTR(recv_buf);
	r->buf_size = sizeof(recv_buf);
	return kd_ioctl(ctx, DOOR_IOC_RETURN, r);
}

static long reply(const void *data, size_t n, struct door_desc *d, uint32_t nd,
		  uint32_t flags)
{
	struct door_return r = {
		.data_ptr = KD_PTR(data), .data_size = n,
		.desc_ptr = KD_PTR(d), .desc_num = nd, .flags = flags,
	};

	return kd_ioctl(ctx, DOOR_IOC_REPLY, &r);
}

/* A call expecting @want as its results. */
static void call_expect(const char *want)
{
	char buf[64] = "";
	struct door_call out;
	long rc = kd_call_data(door, NULL, 0, buf, sizeof(buf), &out);

	cr_assert_eq(rc, 0, "DOOR_IOC_CALL: %ld", rc);
	cr_assert_eq(out.data_size, strlen(want) + 1);
	cr_assert_str_eq(buf, want);
}

/* What a scripted server thread saw, step by step. */
static struct {
	atomic_long park, reply1, reply2, noresult;
	atomic_bool past_gate;
	int gate;		/* eventfd the test writes once the caller is back */
	int pipe_w;		/* descriptor the server hands back */
} st;

/* Stops a server thread parked in DOOR_IOC_RETURN (EINTR ends it). */
static void stop_thread(pthread_t t)
{
	for (;;) {
		struct timespec ts;

		pthread_kill(t, SIGUSR1);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 20 * 1000 * 1000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		if (pthread_timedjoin_np(t, NULL, &ts) == 0)
			return;
	}
}

static void setup(void)
{
	memset(&st, 0, sizeof(st));
	kd_install_sigusr1();
	ctx = kd_open();
	cr_assert_geq(ctx, 0);
	door = kd_create(ctx, 0, 0, 0);
	cr_assert_geq(door, 0);
}

static void teardown(void)
{
	close(door);
	close(ctx);
}

TestSuite(reply, .init = setup, .fini = teardown, .timeout = 60);

/*
 * Replies, then waits for the test's word (given only once the caller
 * is back), parks with NORESULT and answers one more call normally.
 */
static void *reply_then_block(void *arg)
{
	struct door_return r;
	uint64_t v;

	(void)arg;
	atomic_store(&st.park, park_with(&r, NULL, 0, 0));
	atomic_store(&st.reply1, reply("pong", 5, NULL, 0, 0));
	while (read(st.gate, &v, sizeof(v)) < 0 && errno == EINTR)
		;
	atomic_store(&st.past_gate, true);
	atomic_store(&st.noresult, park_with(&r, NULL, 0, DOOR_RETURN_F_NORESULT));
	park_with(&r, "two", 4, 0);
	return NULL;
}

Test(reply, caller_resumes_while_the_server_is_still_in_its_invocation)
{
	uint64_t one = 1;
	pthread_t t;

	require_module_feature(DOOR_FEAT_REPLY);
	st.gate = eventfd(0, EFD_CLOEXEC);
	pthread_create(&t, NULL, reply_then_block, NULL);
	call_expect("pong");
	cr_assert_not(atomic_load(&st.past_gate),
		      "the caller waited for the server to finish");
	cr_assert_eq(write(st.gate, &one, sizeof(one)), sizeof(one));
	/* served by the same thread once it parked with NORESULT */
	call_expect("two");
	cr_assert_eq(atomic_load(&st.park), 0);
	cr_assert_eq(atomic_load(&st.reply1), 0);
	cr_assert_eq(atomic_load(&st.noresult), 0);
	stop_thread(t);
	close(st.gate);
}

static void *reply_twice(void *arg)
{
	struct door_return r;

	(void)arg;
	atomic_store(&st.park, park_with(&r, NULL, 0, 0));
	atomic_store(&st.reply1, reply("one", 4, NULL, 0, 0));
	atomic_store(&st.reply2, reply("two", 4, NULL, 0, 0));
	atomic_store(&st.noresult, park_with(&r, NULL, 0, DOOR_RETURN_F_NORESULT));
	park_with(&r, "three", 6, 0);
	return NULL;
}

Test(reply, second_reply_in_one_invocation_is_einval)
{
	pthread_t t;

	require_module_feature(DOOR_FEAT_REPLY);
	pthread_create(&t, NULL, reply_twice, NULL);
	call_expect("one");
	call_expect("three");	/* the server has moved on: reply2 is known */
	cr_assert_eq(atomic_load(&st.reply1), 0);
	cr_assert_eq(atomic_load(&st.reply2), -EINVAL);
	cr_assert_eq(atomic_load(&st.noresult), 0);
	stop_thread(t);
}

Test(reply, reply_from_a_thread_serving_nothing_is_einval)
{
	require_module_feature(DOOR_FEAT_REPLY);
	cr_assert_eq(reply("x", 2, NULL, 0, 0), -EINVAL);
	cr_assert_eq(reply(NULL, 0, NULL, 0, 0), -EINVAL);
}

static void *noresult_first(void *arg)
{
	struct door_return r;

	(void)arg;
	atomic_store(&st.park, park_with(&r, NULL, 0, 0));
	/* nothing replied yet: the caller is still owed its results */
	atomic_store(&st.noresult, park_with(&r, NULL, 0, DOOR_RETURN_F_NORESULT));
	park_with(&r, "late", 5, 0);
	return NULL;
}

Test(reply, noresult_while_still_owing_results_is_einval)
{
	pthread_t t;

	require_module_feature(DOOR_FEAT_REPLY);
	pthread_create(&t, NULL, noresult_first, NULL);
	call_expect("late");
	cr_assert_eq(atomic_load(&st.noresult), -EINVAL);
	stop_thread(t);
}

static void *reply_with_flags(void *arg)
{
	struct door_return r;

	(void)arg;
	atomic_store(&st.park, park_with(&r, NULL, 0, 0));
	atomic_store(&st.reply1, reply("bad", 4, NULL, 0, DOOR_RETURN_F_NORESULT));
	park_with(&r, "good", 5, 0);
	return NULL;
}

Test(reply, reply_with_flags_is_einval_and_the_caller_still_waits)
{
	pthread_t t;

	require_module_feature(DOOR_FEAT_REPLY);
	pthread_create(&t, NULL, reply_with_flags, NULL);
	call_expect("good");
	cr_assert_eq(atomic_load(&st.reply1), -EINVAL);
	stop_thread(t);
}

static void *reply_with_fd(void *arg)
{
	struct door_desc d = { .attributes = DOOR_DESCRIPTOR, .fd = st.pipe_w };
	struct door_return r;

	(void)arg;
	atomic_store(&st.park, park_with(&r, NULL, 0, 0));
	atomic_store(&st.reply1, reply("fd", 3, &d, 1, 0));
	atomic_store(&st.noresult, park_with(&r, NULL, 0, DOOR_RETURN_F_NORESULT));
	return NULL;
}

Test(reply, reply_carrying_a_descriptor_gives_the_caller_a_working_fd)
{
	char rbuf[256], c = 0;
	struct door_call out;
	struct door_desc *d;
	pthread_t t;
	int p[2];

	require_module_feature(DOOR_FEAT_REPLY);
	cr_assert_eq(pipe2(p, O_CLOEXEC), 0);
	st.pipe_w = p[1];
	pthread_create(&t, NULL, reply_with_fd, NULL);
	cr_assert_eq(kd_call_data(door, NULL, 0, rbuf, sizeof(rbuf), &out), 0);
	cr_assert_eq(out.data_size, 3);
	cr_assert_str_eq((char *)(uintptr_t)out.data_ptr, "fd");
	cr_assert_eq(out.desc_num, 1);
	d = (struct door_desc *)(uintptr_t)out.desc_ptr;
	cr_assert(d->attributes & DOOR_DESCRIPTOR);
	cr_assert_neq(d->fd, p[1], "a new descriptor, not the server's");
	cr_assert_eq(write(d->fd, "x", 1), 1);
	cr_assert_eq(read(p[0], &c, 1), 1);
	cr_assert_eq(c, 'x');
	close(d->fd);
	stop_thread(t);
	cr_assert_eq(atomic_load(&st.reply1), 0);
	close(p[0]);
	close(p[1]);
}
