/*
 * Unreferenced notifications, parameters, exit notification and
 * statistics (needs door.ko with those features).
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>

#include "common.h"

TestSuite(lifecycle, .timeout = 60);

static void echo(void *cookie, char *argp, size_t n, door_desc_t *dp, uint_t nd)
{
	door_return(argp, n, NULL, 0);
}

static sem_t unref_sem;
static int unref_count, unref_bad_args;

static void unref_counter(void *cookie, char *argp, size_t n, door_desc_t *dp, uint_t nd)
{
	if (argp == DOOR_UNREF_DATA) {
		if (n != 0 || dp != NULL || nd != 0)
			unref_bad_args++;
		__atomic_add_fetch(&unref_count, 1, __ATOMIC_SEQ_CST);
		sem_post(&unref_sem);
	}
	door_return(NULL, 0, NULL, 0);
}

static int target = -1;
/* Hands out a new reference to `target` (a descriptor in a reply is a
 * reference of its own, unlike a dup). */
static void hand_out(void *cookie, char *argp, size_t n, door_desc_t *dp, uint_t nd)
{
	door_desc_t desc;

	memset(&desc, 0, sizeof(desc));
	desc.d_attributes = DOOR_DESCRIPTOR;
	desc.d_data.d_desc.d_descriptor = target;
	door_return(NULL, 0, &desc, 1);
}

static int new_reference(int giver)
{
	char rbuf[64];
	door_arg_t a;

	if (call_bytes(giver, NULL, 0, rbuf, sizeof(rbuf), &a) != 0 || a.desc_num != 1)
		return -1;
	return a.desc_ptr[0].d_data.d_desc.d_descriptor;
}

static void unref_setup(uint_t attributes, int *giver)
{
	sem_init(&unref_sem, 0, 0);
	target = door_create(unref_counter, NULL, attributes);
	cr_assert_geq(target, 0, "%s (%s)", strerror(errno), door_strerror_detail());
	*giver = door_create(hand_out, NULL, 0);
	cr_assert_geq(*giver, 0);
}

Test(lifecycle, DOOR_UNREF_fires_once_when_the_last_client_closes)
{
	require_module_feature(DOOR_FEAT_UNREF);
	int giver, ref;
	door_info_t info;

	unref_setup(DOOR_UNREF, &giver);
	ref = new_reference(giver);
	cr_assert_geq(ref, 0, "%s", strerror(errno));
	cr_assert_eq(door_info(target, &info), 0);
	cr_assert(!(info.di_attributes & DOOR_IS_UNREF));
	close(ref);
	cr_assert_eq(sem_wait_s(&unref_sem, 20), 0, "no unreferenced invocation");
	cr_assert_eq(unref_bad_args, 0);
	cr_assert_eq(door_info(target, &info), 0);
	cr_assert(info.di_attributes & DOOR_IS_UNREF);
	/* One-shot: a second round brings nothing. */
	ref = new_reference(giver);
	close(ref);
	cr_assert_eq(sem_wait_s(&unref_sem, 2), -1, "DOOR_UNREF fired twice");
	cr_assert_eq(unref_count, 1);
}

Test(lifecycle, DOOR_UNREF_MULTI_fires_each_time)
{
	require_module_feature(DOOR_FEAT_UNREF);
	int giver, ref;

	unref_setup(DOOR_UNREF_MULTI, &giver);
	for (int i = 1; i <= 3; i++) {
		ref = new_reference(giver);
		cr_assert_geq(ref, 0);
		close(ref);
		cr_assert_eq(sem_wait_s(&unref_sem, 20), 0, "round %d: no unref", i);
		cr_assert_eq(unref_count, i);
	}
}

Test(lifecycle, DOOR_UNREF_fires_when_the_last_client_process_dies)
{
	require_module_feature(DOOR_FEAT_UNREF);
	int giver, ref, status;
	pid_t pid;

	unref_setup(DOOR_UNREF, &giver);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		ref = new_reference(giver);
		_exit(ref < 0);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert_eq(status, 0);
	cr_assert_eq(sem_wait_s(&unref_sem, 20), 0, "no unreferenced invocation");
}

Test(lifecycle, DOOR_UNREF_with_DOOR_UNREF_MULTI_is_EINVAL)
{
	cr_assert_eq(door_create(echo, NULL, DOOR_UNREF | DOOR_UNREF_MULTI), -1);
	cr_assert_eq(errno, EINVAL);
}

Test(lifecycle, parameters_have_the_solaris_defaults)
{
	size_t v;
	int d = door_create(echo, NULL, 0), r = door_create(echo, NULL, DOOR_REFUSE_DESC);

	cr_assert_eq(door_getparam(d, DOOR_PARAM_DATA_MAX, &v), 0, "%s", strerror(errno));
	cr_assert_eq(v, SIZE_MAX);
	cr_assert_eq(door_getparam(d, DOOR_PARAM_DATA_MIN, &v), 0);
	cr_assert_eq(v, 0);
	cr_assert_eq(door_getparam(d, DOOR_PARAM_DESC_MAX, &v), 0);
	cr_assert_eq(v, INT_MAX);
	cr_assert_eq(door_getparam(r, DOOR_PARAM_DESC_MAX, &v), 0);
	cr_assert_eq(v, 0);
}

Test(lifecycle, DATA_MAX_and_DATA_MIN_are_enforced_with_ENOBUFS)
{
	char buf[32], rbuf[32];
	door_arg_t a;
	size_t v;
	int d = door_create(echo, NULL, 0);

	memset(buf, 'x', sizeof(buf));
	cr_assert_eq(door_setparam(d, DOOR_PARAM_DATA_MAX, 10), 0, "%s", strerror(errno));
	cr_assert_eq(door_setparam(d, DOOR_PARAM_DATA_MIN, 5), 0, "%s", strerror(errno));
	cr_assert_eq(door_getparam(d, DOOR_PARAM_DATA_MAX, &v), 0);
	cr_assert_eq(v, 10);
	cr_assert_eq(call_bytes(d, buf, 10, rbuf, sizeof(rbuf), &a), 0);
	cr_assert_eq(call_bytes(d, buf, 5, rbuf, sizeof(rbuf), &a), 0);
	cr_assert_eq(call_bytes(d, buf, 11, rbuf, sizeof(rbuf), &a), -1);
	cr_assert_eq(errno, ENOBUFS);
	cr_assert_eq(call_bytes(d, buf, 4, rbuf, sizeof(rbuf), &a), -1);
	cr_assert_eq(errno, ENOBUFS);
}

Test(lifecycle, DESC_MAX_is_enforced_with_ENFILE)
{
	door_desc_t desc[2];
	door_arg_t a;
	int d = door_create(echo, NULL, 0);

	memset(desc, 0, sizeof(desc));
	desc[0].d_attributes = desc[1].d_attributes = DOOR_DESCRIPTOR;
	desc[0].d_data.d_desc.d_descriptor = desc[1].d_data.d_desc.d_descriptor = 0;
	cr_assert_eq(door_setparam(d, DOOR_PARAM_DESC_MAX, 1), 0, "%s", strerror(errno));
	memset(&a, 0, sizeof(a));
	a.desc_ptr = desc;
	a.desc_num = 2;
	cr_assert_eq(door_call(d, &a), -1);
	cr_assert_eq(errno, ENFILE);
}

Test(lifecycle, descriptors_to_a_DOOR_REFUSE_DESC_door_are_ENOTSUP)
{
	door_desc_t desc;
	door_arg_t a;
	int d = door_create(echo, NULL, DOOR_REFUSE_DESC);

	memset(&desc, 0, sizeof(desc));
	desc.d_attributes = DOOR_DESCRIPTOR;
	desc.d_data.d_desc.d_descriptor = 0;
	memset(&a, 0, sizeof(a));
	a.desc_ptr = &desc;
	a.desc_num = 1;
	cr_assert_eq(door_call(d, &a), -1);
	cr_assert_eq(errno, ENOTSUP);
	cr_assert_eq(door_setparam(d, DOOR_PARAM_DESC_MAX, 1), -1);
	cr_assert_eq(errno, ENOTSUP);
}

Test(lifecycle, bad_parameters_are_EINVAL)
{
	size_t v;
	int d = door_create(echo, NULL, 0);

	cr_assert_eq(door_getparam(d, 99, &v), -1);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(door_setparam(d, 99, 1), -1);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(door_setparam(d, DOOR_PARAM_DATA_MAX, 10), 0);
	cr_assert_eq(door_setparam(d, DOOR_PARAM_DATA_MIN, 11), -1);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(door_setparam(d, DOOR_PARAM_DESC_MAX, (size_t)INT_MAX + 1), -1);
	cr_assert_eq(errno, ERANGE);
	cr_assert_eq(door_getparam(d, DOOR_PARAM_DATA_MAX, NULL), -1);
	cr_assert_eq(errno, EFAULT);
}

Test(lifecycle, parameters_of_a_pipe_are_EBADF)
{
	size_t v;
	int p[2];

	setenv("DOORD_SOCKET", "/nonexistent/doord-bus", 1);
	cr_assert_eq(pipe(p), 0);
	cr_assert_eq(door_getparam(p[0], DOOR_PARAM_DATA_MAX, &v), -1);
	cr_assert_eq(errno, EBADF);
	cr_assert_eq(door_setparam(p[0], DOOR_PARAM_DATA_MAX, 1), -1);
	cr_assert_eq(errno, EBADF);
}

static int setparam_in_child(void *arg)
{
	return door_setparam(*(int *)arg, DOOR_PARAM_DATA_MAX, 1) == -1 &&
	       errno == EPERM ? 0 : 1;
}

Test(lifecycle, only_the_creator_sets_parameters)
{
	int d = door_create(echo, NULL, 0);

	cr_assert_eq(in_child(setparam_in_child, &d, false), 0);
}

Test(lifecycle, exit_notification_delivers_the_cookie)
{
	require_module_feature(DOOR_FEAT_EXIT_SIGNAL);
	static int cookie;
	siginfo_t si;
	sigset_t set;
	struct timespec ts = { 20, 0 };
	int d;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	/* Blocked before any server thread exists, so all inherit it. */
	cr_assert_eq(pthread_sigmask(SIG_BLOCK, &set, NULL), 0);
	d = door_create_notify(echo, &cookie, 0, SIGUSR1);
	cr_assert_geq(d, 0, "%s (%s)", strerror(errno), door_strerror_detail());
	cr_assert_eq(door_call(d, NULL), 0, "%s", strerror(errno));
	cr_assert_eq(sigtimedwait(&set, &si, &ts), SIGUSR1, "no exit notification");
	cr_assert_eq(si.si_code, SI_ASYNCIO);
	cr_assert_eq(si.si_addr, &cookie);
}

Test(lifecycle, exit_notification_needs_a_signal)
{
	cr_assert_eq(door_create_notify(echo, NULL, 0, 0), -1);
	cr_assert_eq(errno, EINVAL);
}

Test(lifecycle, statistics_count_the_calls)
{
	require_module_feature(DOOR_FEAT_STATS);
	door_stats_t st;
	size_t sum = 0;
	int d = door_create(echo, NULL, 0);

	for (int i = 0; i < 5; i++)
		cr_assert_eq(door_call(d, NULL), 0);
	cr_assert_eq(door_getstats(d, &st), 0, "%s (%s)", strerror(errno), door_strerror_detail());
	cr_assert_eq(st.ds_calls, 5);
	cr_assert_eq(st.ds_errors, 0);
	cr_assert_eq(st.ds_active, 0);
	cr_assert_geq(st.ds_peak_active, 1);
	for (int i = 0; i < DOOR_STATS_BUCKETS; i++)
		sum += st.ds_latency[i];
	cr_assert_eq(sum, 5);
	cr_assert_eq(door_getstats(d, NULL), -1);
	cr_assert_eq(errno, EFAULT);
}
