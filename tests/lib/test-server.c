/*
 * Server threads: the shared pool, door_server_create, depletion, the
 * default thread cap, door_reply (needs door.ko).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include "common.h"

TestSuite(server, .timeout = 60);

static void echo(void *cookie, char *argp, size_t n, door_desc_t *dp, uint_t nd)
{
	door_return(argp, n, NULL, 0);
}

Test(server, door_server_create_returns_the_previous_function)
{
	door_server_func_t *def = door_server_create(NULL);

	cr_assert_not_null(def, "no default creation function");
	cr_assert_null(door_server_create(def));
	cr_assert_eq(door_server_create(def), def);
}

static int created_null, created_private;
static door_info_t private_info;
static pthread_mutex_t created_lock = PTHREAD_MUTEX_INITIALIZER;
static int private_fd = -1;

static void *bound_thread(void *arg)
{
	if (door_bind(private_fd) == 0)
		door_return(NULL, 0, NULL, 0);
	return NULL;
}

static void *shared_thread(void *arg)
{
	door_return(NULL, 0, NULL, 0);
	return NULL;
}

static void my_create(door_info_t *dip)
{
	pthread_t t;

	pthread_mutex_lock(&created_lock);
	if (dip) {
		created_private++;
		private_info = *dip;
	} else {
		created_null++;
	}
	pthread_mutex_unlock(&created_lock);
	if (!dip)
		pthread_create(&t, NULL, shared_thread, NULL);
	else if (private_fd >= 0)
		pthread_create(&t, NULL, bound_thread, NULL);
}

Test(server, the_creation_function_runs_once_for_the_first_shared_door)
{
	door_server_create(my_create);
	int d1 = door_create(echo, NULL, 0);
	int d2 = door_create(echo, NULL, 0);

	cr_assert_geq(d1, 0);
	cr_assert_geq(d2, 0);
	pthread_mutex_lock(&created_lock);
	cr_assert_eq(created_null, 1);
	cr_assert_eq(created_private, 0);
	pthread_mutex_unlock(&created_lock);
	cr_assert_eq(door_call(d1, NULL), 0, "%s", strerror(errno));
	/* That call took the only parked thread: a depletion callback. */
	pthread_mutex_lock(&created_lock);
	cr_assert_eq(created_null, 2, "creation function called %d times", created_null);
	pthread_mutex_unlock(&created_lock);
	cr_assert_eq(door_call(d2, NULL), 0, "%s", strerror(errno));
}

Test(server, the_creation_function_gets_a_private_doors_info)
{
	require_module_feature(DOOR_FEAT_PRIVATE);
	door_info_t info;
	int d;

	door_server_create(my_create);
	d = door_create(echo, &created_lock, DOOR_PRIVATE);
	cr_assert_geq(d, 0, "%s (%s)", strerror(errno), door_strerror_detail());
	cr_assert_eq(door_info(d, &info), 0);
	pthread_mutex_lock(&created_lock);
	cr_assert_eq(created_private, 1);
	cr_assert_eq(created_null, 0);
	cr_assert_eq(private_info.di_uniquifier, info.di_uniquifier);
	cr_assert_eq(private_info.di_proc, (door_ptr_t)(uintptr_t)echo);
	cr_assert_eq(private_info.di_data, (door_ptr_t)(uintptr_t)&created_lock);
	cr_assert(!(private_info.di_attributes & DOOR_DEPLETION_CB));
	pthread_mutex_unlock(&created_lock);
}

/* Holds every caller until `want` were inside at once (or release). */
static pthread_mutex_t inside_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t inside_cond = PTHREAD_COND_INITIALIZER;
static int inside, inside_peak, want, released;

static void gather(void *cookie, char *argp, size_t n, door_desc_t *dp, uint_t nd)
{
	char ok;

	pthread_mutex_lock(&inside_lock);
	inside++;
	if (inside > inside_peak)
		inside_peak = inside;
	pthread_cond_broadcast(&inside_cond);
	while (!released && inside < want)
		pthread_cond_wait(&inside_cond, &inside_lock);
	ok = inside_peak >= want || released;
	pthread_mutex_unlock(&inside_lock);
	pthread_mutex_lock(&inside_lock);
	inside--;
	pthread_mutex_unlock(&inside_lock);
	door_return(&ok, 1, NULL, 0);
}

struct caller {
	pthread_t t;
	int d;
	int rc;
	char ok;
};

static void *caller_main(void *arg)
{
	struct caller *c = arg;
	door_arg_t a;

	c->rc = call_bytes(c->d, NULL, 0, &c->ok, 1, &a);
	return NULL;
}

static void start_callers(struct caller *c, int n, int d)
{
	for (int i = 0; i < n; i++) {
		c[i].d = d;
		c[i].ok = 0;
		cr_assert_eq(pthread_create(&c[i].t, NULL, caller_main, &c[i]), 0);
	}
}

static void release_and_join(struct caller *c, int n)
{
	pthread_mutex_lock(&inside_lock);
	released = 1;
	pthread_cond_broadcast(&inside_cond);
	pthread_mutex_unlock(&inside_lock);
	for (int i = 0; i < n; i++)
		pthread_join(c[i].t, NULL);
}

static int wait_inside(int n, int seconds)
{
	uint64_t end = now_ms() + (uint64_t)seconds * 1000;
	int got;

	pthread_mutex_lock(&inside_lock);
	while (inside_peak < n && now_ms() < end) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 50 * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&inside_cond, &inside_lock, &ts);
	}
	got = inside_peak;
	pthread_mutex_unlock(&inside_lock);
	return got;
}

Test(server, depletion_creates_a_thread_for_each_concurrent_caller)
{
	struct caller c[6];
	int d = door_create(gather, NULL, 0);

	want = 6;
	start_callers(c, 6, d);
	cr_assert_eq(wait_inside(6, 20), 6, "only %d callers were served at once", inside_peak);
	release_and_join(c, 6);
	for (int i = 0; i < 6; i++) {
		cr_assert_eq(c[i].rc, 0);
		cr_assert_eq(c[i].ok, 1);
	}
}

Test(server, the_default_creation_function_stops_at_the_thread_cap)
{
	struct caller c[3];
	int d;

	cr_assert_eq(door_server_threads_max(2), 64);
	cr_assert_eq(door_server_threads_max(0), 2);
	d = door_create(gather, NULL, 0);
	want = 3;
	start_callers(c, 3, d);
	cr_assert_eq(wait_inside(2, 20), 2);
	/* The third caller waits for a thread: none may be made for it. */
	cr_assert_eq(wait_inside(3, 1), 2);
	release_and_join(c, 3);
	cr_assert_eq(inside_peak, 2);
	for (int i = 0; i < 3; i++)
		cr_assert_eq(c[i].rc, 0, "caller %d: %s", i, strerror(errno));
}

Test(server, the_thread_cap_comes_from_the_environment)
{
	setenv("DOOR_SERVER_THREADS_MAX", "7", 1);
	cr_assert_eq(door_server_threads_max(0), 7);
}

static void cancel_state(void *cookie, char *argp, size_t n, door_desc_t *dp, uint_t nd)
{
	int old = -1;

	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
	door_return((char *)&old, sizeof(old), NULL, 0);
}

Test(server, default_server_threads_have_cancellation_disabled)
{
	int state = -1;
	door_arg_t a;
	int d = door_create(cancel_state, NULL, 0);

	cr_assert_eq(call_bytes(d, NULL, 0, &state, sizeof(state), &a), 0);
	cr_assert_eq(state, PTHREAD_CANCEL_DISABLE);
}

static sem_t client_back;
static int reply_rc = -1, second_reply_errno, post_reply_saw_client;
static sem_t procedure_done;

static void replier(void *cookie, char *argp, size_t n, door_desc_t *dp, uint_t nd)
{
	char msg[] = "early";

	if (n > 0)
		door_return(NULL, 0, NULL, 0);
	reply_rc = door_reply(msg, sizeof(msg), NULL, 0);
	if (door_reply(msg, sizeof(msg), NULL, 0) < 0)
		second_reply_errno = errno;
	/* The client must be running again before this procedure ends. */
	post_reply_saw_client = reply_rc == 0 && sem_wait_s(&client_back, 20) == 0;
	sem_post(&procedure_done);
	door_return(NULL, 0, NULL, 0);
}

Test(server, door_reply_resumes_the_caller_while_the_procedure_runs_on)
{
	require_module_feature(DOOR_FEAT_REPLY);
	char rbuf[16];
	door_arg_t a;
	int d;

	sem_init(&client_back, 0, 0);
	sem_init(&procedure_done, 0, 0);
	d = door_create(replier, NULL, 0);
	cr_assert_eq(call_bytes(d, NULL, 0, rbuf, sizeof(rbuf), &a), 0, "%s", strerror(errno));
	cr_assert_eq(a.data_size, 6, "no early reply (door_reply failed?)");
	cr_assert_str_eq(rbuf, "early");
	sem_post(&client_back);
	cr_assert_eq(sem_wait_s(&procedure_done, 20), 0);
	cr_assert_eq(reply_rc, 0);
	cr_assert_eq(second_reply_errno, EINVAL);
	cr_assert(post_reply_saw_client);
	/* The thread parked again and serves the next call. */
	cr_assert_eq(call_bytes(d, "x", 1, rbuf, sizeof(rbuf), &a), 0, "%s", strerror(errno));
}

Test(server, door_reply_outside_an_invocation_is_EINVAL)
{
	cr_assert_eq(door_reply(NULL, 0, NULL, 0), -1);
	cr_assert_eq(errno, EINVAL);
}

struct hammer {
	pthread_t t;
	int d, id, bad;
};

static void *hammer_main(void *arg)
{
	struct hammer *h = arg;
	char in[64], out[64];
	door_arg_t a;

	for (int i = 0; i < 300; i++) {
		int n = snprintf(in, sizeof(in), "caller %d call %d", h->id, i);

		if (call_bytes(h->d, in, (size_t)n, out, sizeof(out), &a) != 0 ||
		    a.data_size != (size_t)n || memcmp(a.data_ptr, in, (size_t)n) != 0)
			h->bad++;
	}
	return NULL;
}

Test(server, concurrent_callers_each_get_their_own_results)
{
	struct hammer h[8];
	int d = door_create(echo, NULL, 0);

	for (int i = 0; i < 8; i++) {
		h[i].d = d;
		h[i].id = i;
		h[i].bad = 0;
		cr_assert_eq(pthread_create(&h[i].t, NULL, hammer_main, &h[i]), 0);
	}
	for (int i = 0; i < 8; i++) {
		pthread_join(h[i].t, NULL);
		cr_assert_eq(h[i].bad, 0, "caller %d: %d bad calls", i, h[i].bad);
	}
}
