/*
 * Private pools: door_xcreate, door_bind, door_unbind, DOOR_QUERY
 * (needs door.ko with private pools).
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "common.h"

TestSuite(private, .timeout = 60);

struct served {
	door_id_t query_id;
	int query_ok;
	pthread_t thread;
};

static void who_serves(void *cookie, char *argp, size_t n, door_desc_t *dp, uint_t nd)
{
	struct served s;
	door_info_t info;

	memset(&s, 0, sizeof(s));
	s.query_ok = door_info(DOOR_QUERY, &info) == 0;
	s.query_id = info.di_uniquifier;
	s.thread = pthread_self();
	door_return((char *)&s, sizeof(s), NULL, 0);
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int crf_calls, crf_depletion_calls, setup_calls;
static int crf_answer = 1;
static void *setup_cookie;

static int crf(door_info_t *dip, void *(*startf)(void *), void *arg, void *cookie)
{
	pthread_t t;
	pthread_attr_t attr;

	pthread_mutex_lock(&lock);
	crf_calls++;
	if (dip->di_attributes & DOOR_DEPLETION_CB)
		crf_depletion_calls++;
	pthread_mutex_unlock(&lock);
	if (crf_answer != 1)
		return crf_answer;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &attr, startf, arg) != 0)
		return -1;
	return 1;
}

static void setup(void *cookie)
{
	pthread_mutex_lock(&lock);
	setup_calls++;
	setup_cookie = cookie;
	pthread_mutex_unlock(&lock);
}

Test(private, door_xcreate_makes_nthread_bound_threads_first)
{
	require_module_feature(DOOR_FEAT_PRIVATE);
	int cookie;
	int d = door_xcreate(who_serves, NULL, DOOR_NO_CANCEL, crf, setup, &cookie, 3);
	door_info_t info;
	struct served s;
	door_arg_t a;

	cr_assert_geq(d, 0, "%s (%s)", strerror(errno), door_strerror_detail());
	pthread_mutex_lock(&lock);
	cr_assert_eq(crf_calls, 3);
	cr_assert_eq(setup_calls, 3, "door_xcreate returned before its threads were set up");
	cr_assert_eq(setup_cookie, &cookie);
	pthread_mutex_unlock(&lock);
	cr_assert_eq(door_info(d, &info), 0);
	cr_assert(info.di_attributes & DOOR_PRIVATE);
	cr_assert(info.di_attributes & DOOR_NO_CANCEL);
	cr_assert_eq(call_bytes(d, NULL, 0, &s, sizeof(s), &a), 0, "%s", strerror(errno));
	cr_assert(s.query_ok, "DOOR_QUERY failed in a bound thread");
	cr_assert_eq(s.query_id, info.di_uniquifier);
}

Test(private, depletion_asks_the_creation_function_for_one_more_thread)
{
	require_module_feature(DOOR_FEAT_PRIVATE);
	int d = door_xcreate(who_serves, NULL, 0, crf, NULL, NULL, 1);
	struct served s;
	door_arg_t a;

	cr_assert_geq(d, 0, "%s (%s)", strerror(errno), door_strerror_detail());
	cr_assert_eq(call_bytes(d, NULL, 0, &s, sizeof(s), &a), 0);
	pthread_mutex_lock(&lock);
	cr_assert_eq(crf_calls, 2);
	cr_assert_eq(crf_depletion_calls, 1);
	pthread_mutex_unlock(&lock);
}

Test(private, DOOR_NO_DEPLETION_CB_keeps_the_pool_fixed)
{
	require_module_feature(DOOR_FEAT_PRIVATE);
	int d = door_xcreate(who_serves, NULL, DOOR_NO_DEPLETION_CB, crf, NULL, NULL, 2);
	struct served s;
	door_arg_t a;

	cr_assert_geq(d, 0, "%s (%s)", strerror(errno), door_strerror_detail());
	for (int i = 0; i < 5; i++)
		cr_assert_eq(call_bytes(d, NULL, 0, &s, sizeof(s), &a), 0);
	pthread_mutex_lock(&lock);
	cr_assert_eq(crf_calls, 2);
	pthread_mutex_unlock(&lock);
}

Test(private, a_declining_creation_function_fails_door_xcreate_with_EINVAL)
{
	require_module_feature(DOOR_FEAT_PRIVATE);
	crf_answer = 0;
	cr_assert_eq(door_xcreate(who_serves, NULL, 0, crf, NULL, NULL, 1), -1);
	cr_assert_eq(errno, EINVAL);
}

Test(private, a_failing_creation_function_fails_door_xcreate_with_EPIPE)
{
	require_module_feature(DOOR_FEAT_PRIVATE);
	crf_answer = -1;
	cr_assert_eq(door_xcreate(who_serves, NULL, 0, crf, NULL, NULL, 1), -1);
	cr_assert_eq(errno, EPIPE);
}

Test(private, door_xcreate_rejects_bad_arguments_with_EINVAL)
{
	cr_assert_eq(door_xcreate(who_serves, NULL, 0, NULL, NULL, NULL, 1), -1);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(door_xcreate(who_serves, NULL, 0, crf, NULL, NULL, 0), -1);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(door_xcreate(who_serves, NULL, DOOR_PRIVCREATE, crf, NULL, NULL, 1), -1);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(crf_calls, 0);
}

static void echo(void *cookie, char *argp, size_t n, door_desc_t *dp, uint_t nd)
{
	door_return(argp, n, NULL, 0);
}

static int private_door = -1;
static void *bind_and_serve(void *arg)
{
	if (door_bind(private_door) == 0)
		door_return(NULL, 0, NULL, 0);
	return NULL;
}

Test(private, a_private_pool_never_serves_another_door)
{
	require_module_feature(DOOR_FEAT_PRIVATE);
	door_info_t pinfo;
	struct served s;
	door_arg_t a;
	pthread_t t;
	int shared;

	private_door = door_create(who_serves, NULL, DOOR_PRIVATE);
	cr_assert_geq(private_door, 0, "%s (%s)", strerror(errno), door_strerror_detail());
	cr_assert_eq(door_info(private_door, &pinfo), 0);
	cr_assert_eq(pthread_create(&t, NULL, bind_and_serve, NULL), 0);
	shared = door_create(who_serves, NULL, 0);
	for (int i = 0; i < 5; i++) {
		cr_assert_eq(call_bytes(private_door, NULL, 0, &s, sizeof(s), &a), 0);
		cr_assert(pthread_equal(s.thread, t), "a private call ran outside the bound thread");
		cr_assert_eq(s.query_id, pinfo.di_uniquifier);
		cr_assert_eq(call_bytes(shared, NULL, 0, &s, sizeof(s), &a), 0);
		cr_assert(!pthread_equal(s.thread, t), "the bound thread served a shared door");
		cr_assert(!s.query_ok, "DOOR_QUERY succeeded in a shared-pool thread");
	}
}

static int bind_errno_check(int d, int want)
{
	return door_bind(d) == -1 && errno == want;
}

Test(private, door_bind_to_a_shared_door_is_EINVAL)
{
	require_module_feature(DOOR_FEAT_PRIVATE);
	int d = door_create(echo, NULL, 0);

	cr_assert(bind_errno_check(d, EINVAL), "%s", strerror(errno));
}

Test(private, door_bind_to_a_non_door_is_EBADF)
{
	require_module_feature(DOOR_FEAT_PRIVATE);
	int p[2];

	cr_assert_eq(pipe(p), 0);
	cr_assert(bind_errno_check(p[0], EBADF), "%s", strerror(errno));
	cr_assert(bind_errno_check(-1, EBADF), "%s", strerror(errno));
}

Test(private, door_unbind_of_an_unbound_thread_is_EBADF)
{
	require_module_feature(DOOR_FEAT_PRIVATE);
	cr_assert_eq(door_unbind(), -1);
	cr_assert_eq(errno, EBADF, "%s", strerror(errno));
}

Test(private, door_unbind_after_door_bind_succeeds)
{
	require_module_feature(DOOR_FEAT_PRIVATE);
	int d = door_create(echo, NULL, DOOR_PRIVATE);
	door_info_t info;

	cr_assert_geq(d, 0);
	cr_assert_eq(door_bind(d), 0, "%s", strerror(errno));
	cr_assert_eq(door_unbind(), 0, "%s", strerror(errno));
	cr_assert_eq(door_unbind(), -1);
	cr_assert_eq(errno, EBADF);
	cr_assert_eq(door_info(DOOR_QUERY, &info), -1);
}
