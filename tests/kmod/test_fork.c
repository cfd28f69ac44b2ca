/*
 * door.ko across fork: the child is a client of its parent's doors, but
 * neither its context nor its server threads.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <criterion/criterion.h>

#include "kdoor.h"

/* Invocations served by each process, in memory both of them see. */
struct tally {
	atomic_long served;
};

static struct tally *tally;

/* Results: the pid of the process that served the call. */
static void report_pid(struct kd_server *s, const struct door_invocation *inv,
		       struct door_return *ret, void *scratch)
{
	int32_t pid = getpid();

	(void)s;
	(void)inv;
	atomic_fetch_add(&tally->served, 1);
	memcpy(scratch, &pid, sizeof(pid));
	ret->data_ptr = KD_PTR(scratch);
	ret->data_size = sizeof(pid);
}

/* The pid of the process that served a call to @d, or -errno. */
static long call_pid(int d)
{
	int32_t pid = 0;
	long rc = kd_call_data(d, NULL, 0, &pid, sizeof(pid), NULL);

	return rc < 0 ? rc : pid;
}

static void *call_pid_thread(void *arg)
{
	return (void *)call_pid(*(int *)arg);
}

/* Exit status of a child, or 100 + signal. */
static int wait_child(pid_t pid)
{
	int st;

	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st);
}

static struct kd_server srv;
static int ctx, door;
static bool started;
static pid_t child = -1;

static void setup(void)
{
	tally = mmap(NULL, sizeof(*tally), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	cr_assert_neq(tally, MAP_FAILED);
	ctx = kd_open();
	cr_assert_geq(ctx, 0);
	door = kd_create(ctx, 0, 0, 0);
	cr_assert_geq(door, 0);
	started = false;
	child = -1;
}

static void teardown(void)
{
	kd_kill_wait(child);
	if (started)
		kd_server_stop(&srv);
	close(door);
	close(ctx);
	munmap(tally, sizeof(*tally));
}

static void start(int nthreads)
{
	kd_server_start(&srv, ctx, nthreads, report_pid);
	started = true;
}

TestSuite(fork, .init = setup, .fini = teardown, .timeout = 60);

/* In the child: the first context ioctl that did not fail with EBADF, or 0. */
static int context_ioctls_in_child(void)
{
	struct door_return r = { 0 };
	struct door_ucred uc = { .size = sizeof(uc) };
	struct door_info di;
	int32_t fd = door;

	if (kd_ioctl(ctx, DOOR_IOC_RETURN, &r) != -EBADF)
		return 1;
	if (kd_ioctl(ctx, DOOR_IOC_UCRED, &uc) != -EBADF)
		return 2;
	if (kd_ioctl(ctx, DOOR_IOC_REPLY, &r) != -EBADF)
		return 3;
	if (kd_ioctl(ctx, DOOR_IOC_BIND, &fd) != -EBADF)
		return 4;
	if (kd_ioctl(ctx, DOOR_IOC_UNBIND, NULL) != -EBADF)
		return 5;
	if (kd_ioctl(ctx, DOOR_IOC_QUERY, &di) != -EBADF)
		return 6;
	return 0;
}

Test(fork, the_childs_ioctls_on_the_parents_context_are_ebadf)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(context_ioctls_in_child());
	cr_assert_eq(wait_child(pid), 0,
		     "1 RETURN, 2 UCRED, 3 REPLY, 4 BIND, 5 UNBIND, 6 QUERY did not fail with EBADF");
}

Test(fork, the_childs_calls_to_the_parents_doors_are_served_by_the_parent)
{
	pid_t parent = getpid(), pid;

	start(1);
	pid = fork();
	if (pid == 0)
		_exit(call_pid(door) == parent ? 0 : 1);
	cr_assert_eq(wait_child(pid), 0);
	cr_assert_eq(atomic_load(&tally->served), 1);
}

/*
 * In the child: a call to a door of its own context waits while only the
 * parent has threads, and is served once the child starts one.
 */
static int own_door_in_child(void)
{
	struct kd_server mine;
	pthread_t caller;
	void *res;
	int c2 = kd_open(), d2;

	if (c2 < 0)
		return 2;
	d2 = kd_create(c2, 0, 0, 0);
	if (d2 < 0)
		return 3;
	pthread_create(&caller, NULL, call_pid_thread, &d2);
	usleep(100000);	/* let the call reach the kernel and wait there */
	if (atomic_load(&tally->served) != 0)
		return 4;	/* a thread of the parent took it */
	memset(&mine, 0, sizeof(mine));
	kd_server_start(&mine, c2, 1, report_pid);
	pthread_join(caller, &res);
	if ((long)res != getpid())
		return 5;
	return 0;
}

Test(fork, the_parents_parked_threads_do_not_serve_the_childs_doors)
{
	pid_t pid;

	start(2);
	pid = fork();
	if (pid == 0)
		_exit(own_door_in_child());
	cr_assert_eq(wait_child(pid), 0,
		     "2-3 setup failed, 4 the parent served it, 5 not served by the child");
}

Test(fork, the_childs_parked_threads_do_not_serve_the_parents_doors)
{
	pthread_t caller;
	void *res;

	child = fork();
	if (child == 0) {
		/* a server thread of the child's own, parked for good */
		struct kd_server mine;
		int c2 = kd_open();

		memset(&mine, 0, sizeof(mine));
		kd_server_start(&mine, c2, 1, report_pid);
		for (;;)
			pause();
	}
	usleep(100000);	/* let the child's thread park */
	pthread_create(&caller, NULL, call_pid_thread, &door);
	usleep(100000);	/* let the call reach the kernel and wait there */
	cr_assert_eq(atomic_load(&tally->served), 0, "the child served the parent's door");
	start(1);
	pthread_join(caller, &res);
	cr_assert_eq((long)res, getpid());
}

Test(fork, the_childs_exit_leaves_the_parents_doors_working)
{
	struct door_info di;
	pid_t pid;

	start(1);
	pid = fork();
	if (pid == 0)
		_exit(call_pid(door) > 0 ? 0 : 1);
	cr_assert_eq(wait_child(pid), 0);
	cr_assert_eq(call_pid(door), getpid());
	cr_assert_eq(kd_info(door, &di), 0);
	cr_assert_not(di.attributes & DOOR_REVOKED);
}
