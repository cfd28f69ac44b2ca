/*
 * Server thread creation (Solaris door_server_create semantics).
 *
 * The creation function is called once when the process creates its
 * first door served by the shared pool (with NULL), once per private
 * door created by door_create (with that door's door_info_t), and on
 * depletion: when an invocation takes the last parked thread of a pool,
 * the thread that got it calls the function before running the
 * procedure. door_xcreate doors have their own function (xcreate.c).
 *
 * The default function makes one detached thread with cancellation
 * disabled that parks in door_return, like Solaris's, but keeps at most
 * door_server_threads_max() of them alive (Solaris has no cap): callers
 * beyond that wait for a thread, interruptibly.
 */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "server.h"

#define DEFAULT_THREADS_MAX	64
#define THREADS_MAX_ENV		"DOOR_SERVER_THREADS_MAX"

static void default_create(door_info_t *info);

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static door_server_func_t *server_func = default_create;
static bool shared_started;	/* the shared pool got its first thread */
static unsigned int threads_max;	/* 0: not read from the environment yet */
static unsigned int threads_alive;

static unsigned int threads_max_locked(void)
{
	const char *env;
	char *end;
	unsigned long v;

	if (threads_max)
		return threads_max;
	threads_max = DEFAULT_THREADS_MAX;
	env = getenv(THREADS_MAX_ENV);
	if (env && *env) {
		errno = 0;
		v = strtoul(env, &end, 10);
		if (!errno && !*end && v > 0 && v <= UINT_MAX)
			threads_max = (unsigned int)v;
	}
	return threads_max;
}

DOOR_EXPORT unsigned int door_server_threads_max(unsigned int max)
{
	unsigned int old;

	pthread_mutex_lock(&pool_lock);
	old = threads_max_locked();
	if (max)
		threads_max = max;
	pthread_mutex_unlock(&pool_lock);
	return old;
}

void door_pool_thread_exit(void)
{
	pthread_mutex_lock(&pool_lock);
	if (threads_alive)
		threads_alive--;
	pthread_mutex_unlock(&pool_lock);
}

static void *default_thread(void *arg)
{
	(void)arg;
	(void)pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
	if (!door_server_mark_default()) {
		door_pool_thread_exit();
		return NULL;
	}
	/* Returns only on failure; the thread's state then goes with it. */
	(void)door_return(NULL, 0, NULL, 0);
	return NULL;
}

static void default_create(door_info_t *info)
{
	pthread_attr_t attr;
	pthread_t tid;
	int r;

	(void)info;
	pthread_mutex_lock(&pool_lock);
	if (threads_alive >= threads_max_locked()) {
		pthread_mutex_unlock(&pool_lock);
		return;
	}
	threads_alive++;
	pthread_mutex_unlock(&pool_lock);

	r = pthread_attr_init(&attr);
	if (r == 0) {
		(void)pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		r = pthread_create(&tid, &attr, default_thread, NULL);
		pthread_attr_destroy(&attr);
	}
	if (r != 0) {
		door_pool_thread_exit();
		return;
	}
	/* Let the new thread reach door_return (Solaris does the same). */
	sched_yield();
}

DOOR_EXPORT door_server_func_t *door_server_create(door_server_func_t *create_proc)
{
	door_server_func_t *old;

	pthread_mutex_lock(&pool_lock);
	old = server_func;
	server_func = create_proc;
	pthread_mutex_unlock(&pool_lock);
	return old;
}

static void call_server_func(door_info_t *info)
{
	door_server_func_t *f;

	pthread_mutex_lock(&pool_lock);
	f = server_func;
	pthread_mutex_unlock(&pool_lock);
	if (f)
		f(info);
}

void door_pool_created(uint_t attributes, const door_info_t *info)
{
	door_info_t copy;
	bool first;

	if (attributes & DOOR_PRIVATE) {
		copy = *info;
		call_server_func(&copy);
		return;
	}
	pthread_mutex_lock(&pool_lock);
	first = !shared_started;
	shared_started = true;
	pthread_mutex_unlock(&pool_lock);
	if (first)
		call_server_func(NULL);
}

void door_pool_depleted(const struct door_invocation *inv)
{
	door_info_t info;

	if (!(inv->attributes & DOOR_PRIVATE)) {
		call_server_func(NULL);
		return;
	}
	if (inv->attributes & DOOR_NO_DEPLETION_CB)
		return;
	memset(&info, 0, sizeof(info));
	info.di_target = getpid();
	info.di_proc = inv->proc;
	info.di_data = inv->cookie;
	info.di_attributes = inv->attributes | DOOR_LOCAL;
	info.di_uniquifier = inv->door_id;
	info.di_attributes |= DOOR_DEPLETION_CB;
	if (inv->attributes & DOOR_PRIVCREATE)
		(void)door_xcreate_depleted(&info);
	else
		call_server_func(&info);
}

void door_pool_forked_child(void)
{
	/* Only the forking thread survives: no server threads, no lock holder. */
	pthread_mutex_init(&pool_lock, NULL);
	shared_started = false;
	threads_alive = 0;
}
