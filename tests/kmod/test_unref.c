/* door.ko: unreferenced notifications (DOOR_UNREF, DOOR_UNREF_MULTI). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <criterion/criterion.h>
#include <sys/eventfd.h>

#include "kdoor.h"

KD_ONE_TEST_AT_A_TIME

static atomic_int unrefs;
static atomic_ullong unref_data, unref_cookie;

static void count_unref(struct kd_server *s, const struct door_invocation *inv,
			struct door_return *ret, void *scratch)
{
	(void)s; (void)ret; (void)scratch;
	if (inv->flags & DOOR_INV_F_UNREF) {
		atomic_store(&unref_data, inv->data_ptr);
		atomic_store(&unref_cookie, inv->cookie);
		atomic_fetch_add(&unrefs, 1);
	}
}

static int wait_unrefs(int want)
{
	for (int i = 0; i < 200 && atomic_load(&unrefs) < want; i++)
		usleep(5000);
	usleep(50000);	/* and no more than that */
	return atomic_load(&unrefs);
}

static int newref(int d)
{
	uint32_t flags = O_CLOEXEC;

	return (int)kd_ioctl(d, DOOR_IOC_NEWREF, &flags);
}

static struct kd_server srv;
static int ctx;

static void setup(void)
{
	atomic_store(&unrefs, 0);
	ctx = kd_open();
	kd_server_start(&srv, ctx, 2, count_unref);
}

static void teardown(void)
{
	kd_server_stop(&srv);
	close(ctx);
}

TestSuite(unref, .init = setup, .fini = teardown, .timeout = 60);

Test(unref, fires_once_when_the_last_client_reference_closes)
{
	int d = kd_create(ctx, 0, 0x77, DOOR_UNREF);
	int a = newref(d), b = newref(d);
	struct door_info di;

	close(a);
	cr_assert_eq(wait_unrefs(0), 0, "a reference is still open");
	close(b);
	cr_assert_eq(wait_unrefs(1), 1);
	cr_assert_eq(atomic_load(&unref_data), DOOR_UNREF_DATA_PTR);
	cr_assert_eq(atomic_load(&unref_cookie), 0x77);
	kd_info(d, &di);
	cr_assert(di.attributes & DOOR_IS_UNREF);
	close(newref(d));
	cr_assert_eq(wait_unrefs(2), 1, "DOOR_UNREF fires only once");
	close(d);
}

Test(unref, multi_fires_each_time)
{
	int d = kd_create(ctx, 0, 0, DOOR_UNREF_MULTI);

	close(newref(d));
	cr_assert_eq(wait_unrefs(1), 1);
	close(newref(d));
	cr_assert_eq(wait_unrefs(2), 2);
	close(d);
}

Test(unref, fires_when_the_last_client_process_dies)
{
	int d = kd_create(ctx, 0, 0, DOOR_UNREF);
	int c = newref(d);
	pid_t pid = fork();

	if (pid == 0) {
		pause();
		_exit(0);
	}
	close(c);	/* the child still holds it (same file, counted once) */
	cr_assert_eq(wait_unrefs(0), 0);
	kd_kill_wait(pid);
	cr_assert_eq(wait_unrefs(1), 1);
	close(d);
}

Test(unref, door_without_unref_gets_none)
{
	int d = kd_create(ctx, 0, 0, 0);

	close(newref(d));
	cr_assert_eq(wait_unrefs(0), 0);
	close(d);
}

Test(unref, queued_unref_is_dropped_with_the_context_and_nothing_leaks)
{
	long doors = kd_live("doors");
	int c2 = kd_open();	/* no threads: the unref stays queued */
	int d = kd_create(c2, 0, 0, DOOR_UNREF);

	close(newref(d));
	close(d);
	close(c2);
	cr_assert_eq(kd_live_settle("doors", doors), doors);
}

/* DOOR_DELAY: an unref waits for the door's running invocations. */
static atomic_int delay_seq, delay_started, delay_ended, delay_unref;
static int delay_release;	/* eventfd the blocked invocation waits on */

static void delay_handler(struct kd_server *s, const struct door_invocation *inv,
			  struct door_return *ret, void *scratch)
{
	uint64_t v;

	(void)s; (void)ret; (void)scratch;
	if (inv->flags & DOOR_INV_F_UNREF) {
		atomic_store(&delay_unref, atomic_fetch_add(&delay_seq, 1) + 1);
		return;
	}
	atomic_store(&delay_started, 1);
	if (read(delay_release, &v, sizeof(v)) != sizeof(v))
		return;
	atomic_store(&delay_ended, atomic_fetch_add(&delay_seq, 1) + 1);
}

Test(unref, waits_for_an_invocation_its_caller_abandoned)
{
	struct kd_server s2 = { 0 };
	int c2 = kd_open();
	int d, c;
	pid_t pid;
	uint64_t one = 1;

	delay_release = eventfd(0, EFD_CLOEXEC);
	cr_assert_geq(delay_release, 0);
	kd_server_start(&s2, c2, 2, delay_handler);
	d = kd_create(c2, 0, 0, DOOR_UNREF);
	c = newref(d);
	pid = fork();
	if (pid == 0) {
		char buf[8];

		kd_call_data(c, "x", 1, buf, sizeof(buf), NULL);
		_exit(0);
	}
	close(c);
	for (int i = 0; i < 1000 && !atomic_load(&delay_started); i++)
		usleep(5000);
	cr_assert(atomic_load(&delay_started), "the call never reached the server");
	kd_kill_wait(pid);	/* the last client reference goes mid-call */
	usleep(100000);
	cr_assert_eq(atomic_load(&delay_unref), 0,
		     "unref delivered while the invocation still runs");
	cr_assert_eq(write(delay_release, &one, sizeof(one)), sizeof(one));
	for (int i = 0; i < 1000 && !atomic_load(&delay_unref); i++)
		usleep(5000);
	cr_assert_gt(atomic_load(&delay_unref), 0, "no unref after the invocation ended");
	cr_assert_gt(atomic_load(&delay_unref), atomic_load(&delay_ended));
	kd_server_stop(&s2);
	close(d);
	close(c2);
	close(delay_release);
}
