/* door.ko: per-door statistics (DOOR_IOC_STATS). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <criterion/criterion.h>
#include <linux/capability.h>
#include <sys/syscall.h>

#include "kdoor.h"
#include "../module-features.h"

static long stats(int d, struct door_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	return kd_ioctl(d, DOOR_IOC_STATS, st);
}

static uint64_t latency_sum(const struct door_stats *st)
{
	uint64_t sum = 0;

	for (int i = 0; i < DOOR_STATS_BUCKETS; i++)
		sum += st->latency[i];
	return sum;
}

/* Waits (bounded) until @want threads are parked; returns the count. */
static uint64_t settle_parked(int d, uint64_t want)
{
	struct door_stats st;

	for (int i = 0; i < 300; i++) {
		if (stats(d, &st) == 0 && st.threads_parked == want)
			break;
		usleep(10000);
	}
	return st.threads_parked;
}

static struct kd_server srv;
static int ctx, door;
static bool started;

static void setup(void)
{
	ctx = kd_open();
	cr_assert_geq(ctx, 0);
	door = kd_create(ctx, 0, 0, 0);
	cr_assert_geq(door, 0);
	started = false;
}

static void teardown(void)
{
	if (started)
		kd_server_stop(&srv);
	close(door);
	close(ctx);
}

static void start(int nthreads, kd_handler h)
{
	kd_server_start(&srv, ctx, nthreads, h);
	started = true;
}

TestSuite(stats, .init = setup, .fini = teardown, .timeout = 60);

Test(stats, a_new_door_without_threads_is_all_zero)
{
	struct door_stats st;

	require_module_feature(DOOR_FEAT_STATS);
	cr_assert_eq(stats(door, &st), 0);
	cr_assert_eq(st.size, sizeof(st));
	cr_assert_eq(st.calls, 0);
	cr_assert_eq(st.errors, 0);
	cr_assert_eq(st.active, 0);
	cr_assert_eq(st.peak_active, 0);
	cr_assert_eq(st.threads_parked, 0);
	cr_assert_eq(latency_sum(&st), 0);
}

Test(stats, n_successful_calls_are_counted)
{
	struct door_stats st;
	char a[16] = "abc", r[16];

	require_module_feature(DOOR_FEAT_STATS);
	start(1, kd_echo);
	for (int i = 0; i < 10; i++)
		cr_assert_eq(kd_call_data(door, a, sizeof(a), r, sizeof(r), NULL), 0);
	cr_assert_eq(stats(door, &st), 0);
	cr_assert_eq(st.calls, 10);
	cr_assert_eq(st.errors, 0);
	cr_assert_eq(st.active, 0);
	cr_assert_eq(latency_sum(&st), 10, "one latency sample per call");
}

static atomic_long in_call_rc;
static struct door_stats in_call;

/* Reads the door's statistics from inside an invocation. */
static void stats_inside(struct kd_server *s, const struct door_invocation *inv,
			 struct door_return *ret, void *scratch)
{
	(void)s; (void)inv; (void)ret; (void)scratch;
	atomic_store(&in_call_rc, stats(door, &in_call));
}

Test(stats, threads_parked_counts_threads_waiting_in_the_pool)
{
	require_module_feature(DOOR_FEAT_STATS);
	start(3, stats_inside);
	cr_assert_eq(settle_parked(door, 3), 3);
	cr_assert_eq(kd_call_data(door, NULL, 0, NULL, 0, NULL), 0);
	cr_assert_eq(atomic_load(&in_call_rc), 0);
	cr_assert_eq(in_call.threads_parked, 2, "one thread is serving");
	cr_assert_eq(in_call.active, 1);
	cr_assert_eq(in_call.calls, 0, "calls counts ended calls");
}

/* Both invocations wait here until two are in progress and the test says go. */
static atomic_int entered, gate;

static void hold(struct kd_server *s, const struct door_invocation *inv,
		 struct door_return *ret, void *scratch)
{
	(void)s; (void)inv; (void)ret; (void)scratch;
	atomic_fetch_add(&entered, 1);
	while (!atomic_load(&gate))
		usleep(1000);
}

static void *plain_call(void *arg)
{
	(void)arg;
	return (void *)kd_call_data(door, NULL, 0, NULL, 0, NULL);
}

Test(stats, peak_active_reaches_two_with_two_calls_in_progress)
{
	struct door_stats st;
	pthread_t t[2];
	void *rc;

	require_module_feature(DOOR_FEAT_STATS);
	start(2, hold);
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, plain_call, NULL);
	while (atomic_load(&entered) < 2)
		usleep(1000);
	cr_assert_eq(stats(door, &st), 0);
	cr_assert_eq(st.active, 2);
	cr_assert_eq(st.peak_active, 2);
	atomic_store(&gate, 1);
	for (int i = 0; i < 2; i++) {
		pthread_join(t[i], &rc);
		cr_assert_eq((long)rc, 0);
	}
	cr_assert_eq(stats(door, &st), 0);
	cr_assert_eq(st.active, 0);
	cr_assert_eq(st.peak_active, 2, "the peak stays");
	cr_assert_eq(st.calls, 2);
}

/* Takes one invocation and abandons it, as a dying server thread would. */
static void *abandon_one(void *arg)
{
	struct door_return r;

	(void)arg;
	memset(&r, 0, sizeof(r));
	if (kd_ioctl(ctx, DOOR_IOC_RETURN, &r) == 0) {
		memset(&r, 0, sizeof(r));
		r.flags = DOOR_RETURN_F_ABANDON;
		kd_ioctl(ctx, DOOR_IOC_RETURN, &r);
	}
	return NULL;
}

Test(stats, an_abandoned_call_counts_as_an_error)
{
	struct door_stats st;
	pthread_t t;

	require_module_feature(DOOR_FEAT_STATS);
	pthread_create(&t, NULL, abandon_one, NULL);
	cr_assert_eq(kd_call_data(door, NULL, 0, NULL, 0, NULL), -EINTR);
	pthread_join(t, NULL);
	cr_assert_eq(stats(door, &st), 0);
	cr_assert_eq(st.calls, 1);
	cr_assert_eq(st.errors, 1);
	cr_assert_eq(st.active, 0);
}

/* Binds to a private door and parks until it is revoked. */
static void *park_bound(void *arg)
{
	int32_t fd = *(int *)arg;
	struct door_return r;

	memset(&r, 0, sizeof(r));
	if (kd_ioctl(ctx, DOOR_IOC_BIND, &fd) == 0)
		kd_ioctl(ctx, DOOR_IOC_RETURN, &r);
	return NULL;
}

Test(stats, threads_parked_of_a_private_door_counts_its_own_pool)
{
	struct door_stats st;
	pthread_t t[2];
	int pdoor;

	require_module_feature(DOOR_FEAT_STATS);
	require_module_feature(DOOR_FEAT_PRIVATE);
	pdoor = kd_create(ctx, 0, 0, DOOR_PRIVATE);
	cr_assert_geq(pdoor, 0);
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, park_bound, &pdoor);
	cr_assert_eq(settle_parked(pdoor, 2), 2);
	cr_assert_eq(stats(door, &st), 0);
	cr_assert_eq(st.threads_parked, 0, "bound threads are not in the shared pool");
	cr_assert_eq(kd_ioctl(pdoor, DOOR_IOC_REVOKE, NULL), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	close(pdoor);
}

static bool has_cap(int cap)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return false;
	return d[cap / 32].effective & (1u << (cap % 32));
}

static int drop_cap(int cap)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	d[cap / 32].effective &= ~(1u << (cap % 32));
	return (int)syscall(SYS_capset, &h, d);
}

/* In a child (not the door's owner): exit 0 when DOOR_IOC_STATS gives @want. */
static int child_stats(bool keep_admin, long want)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		struct door_stats st;

		if (!keep_admin && drop_cap(CAP_SYS_ADMIN))
			_exit(2);
		_exit(stats(door, &st) == want ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 100;
}

Test(stats, a_non_owner_without_cap_sys_admin_gets_eperm)
{
	require_module_feature(DOOR_FEAT_STATS);
	if (!has_cap(CAP_SYS_ADMIN))
		cr_skip_test("needs CAP_SYS_ADMIN to drop");
	cr_assert_eq(child_stats(false, -EPERM), 0);
}

Test(stats, a_non_owner_with_cap_sys_admin_may_read_them)
{
	require_module_feature(DOOR_FEAT_STATS);
	if (!has_cap(CAP_SYS_ADMIN))
		cr_skip_test("needs CAP_SYS_ADMIN");
	cr_assert_eq(child_stats(true, 0), 0);
}

Test(stats, the_owner_without_cap_sys_admin_may_read_them)
{
	struct door_stats st;

	require_module_feature(DOOR_FEAT_STATS);
	if (has_cap(CAP_SYS_ADMIN))
		cr_assert_eq(drop_cap(CAP_SYS_ADMIN), 0);
	cr_assert_eq(stats(door, &st), 0);
}

Test(stats, size_below_the_structure_is_e2big)
{
	struct door_stats st = { .size = 8 };

	require_module_feature(DOOR_FEAT_STATS);
	cr_assert_eq(kd_ioctl(door, DOOR_IOC_STATS, &st), -E2BIG);
	st.size = 0;
	cr_assert_eq(kd_ioctl(door, DOOR_IOC_STATS, &st), -E2BIG);
	st.size = sizeof(st) - 1;
	cr_assert_eq(kd_ioctl(door, DOOR_IOC_STATS, &st), -E2BIG);
}

Test(stats, nonzero_pad_or_reserved_is_einval)
{
	struct door_stats st = { .size = sizeof(st), .pad = 1 };

	require_module_feature(DOOR_FEAT_STATS);
	cr_assert_eq(kd_ioctl(door, DOOR_IOC_STATS, &st), -EINVAL);
	memset(&st, 0, sizeof(st));
	st.size = sizeof(st);
	st.reserved[3] = 1;
	cr_assert_eq(kd_ioctl(door, DOOR_IOC_STATS, &st), -EINVAL);
}

Test(stats, calls_rejected_before_the_pool_are_not_counted)
{
	struct door_stats st;
	struct door_call dc = { .reserved = 1 };

	require_module_feature(DOOR_FEAT_STATS);
	cr_assert_eq(kd_ioctl(door, DOOR_IOC_CALL, &dc), -EINVAL);
	cr_assert_eq(kd_call_data(door, (void *)8, 100, NULL, 0, NULL), -EFAULT);
	cr_assert_eq(stats(door, &st), 0);
	cr_assert_eq(st.calls, 0);
	cr_assert_eq(st.errors, 0);
}

struct bigger {
	struct door_stats st;
	uint64_t tail[2];
};

Test(stats, bigger_size_with_a_zero_tail_is_accepted)
{
	struct bigger b;

	require_module_feature(DOOR_FEAT_STATS);
	memset(&b, 0, sizeof(b));
	b.st.size = sizeof(b);
	cr_assert_eq(kd_ioctl(door, DOOR_IOC_STATS, &b), 0);
	cr_assert_eq(b.tail[0], 0);
	cr_assert_eq(b.tail[1], 0);
}

Test(stats, bigger_size_with_a_nonzero_tail_is_e2big)
{
	struct bigger b;

	require_module_feature(DOOR_FEAT_STATS);
	memset(&b, 0, sizeof(b));
	b.st.size = sizeof(b);
	b.tail[1] = 1;
	cr_assert_eq(kd_ioctl(door, DOOR_IOC_STATS, &b), -E2BIG);
}

Test(stats, stats_on_a_context_is_enotty)
{
	struct door_stats st = { .size = sizeof(st) };

	require_module_feature(DOOR_FEAT_STATS);
	cr_assert_eq(kd_ioctl(ctx, DOOR_IOC_STATS, &st), -ENOTTY);
}
