/*
 * door.ko: thread migration. With one caller on an idle system the
 * server runs on the caller's CPU, with the caller's nice value, and
 * gets its own back afterwards. Needs at least two CPUs (--cpus 2).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <criterion/criterion.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include "kdoor.h"

struct shared {
	atomic_int cpu;
	atomic_int nice;
	atomic_int tid;
};

static struct shared *sh;

static void where(struct kd_server *s, const struct door_invocation *inv,
		  struct door_return *ret, void *scratch)
{
	(void)s; (void)inv; (void)ret; (void)scratch;
	atomic_store(&sh->cpu, sched_getcpu());
	atomic_store(&sh->nice, getpriority(PRIO_PROCESS, 0));
	atomic_store(&sh->tid, (int)syscall(SYS_gettid));
}

static void init_shared(void)
{
	sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	cr_assert_neq(sh, MAP_FAILED);
}

TestSuite(handoff, .init = init_shared, .timeout = 600);

Test(handoff, server_runs_on_the_callers_cpu_in_95_percent_of_10000_calls)
{
	pid_t pid;
	int door = kd_fork_server(where, 1, 0, 0, &pid);
	int same = 0, back = 0, n = 10000;

	cr_assert_geq(door, 0);
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		cr_log_warn("only one CPU: the placement is trivially the same");
	for (int i = 0; i < n; i++) {
		int before = sched_getcpu();

		atomic_store(&sh->cpu, -1);
		cr_assert_eq(kd_call_data(door, NULL, 0, NULL, 0, NULL), 0);
		same += atomic_load(&sh->cpu) == before;
		back += sched_getcpu() == before;
	}
	kd_kill_wait(pid);
	close(door);
	fprintf(stderr, "handoff: server on the caller's CPU in %d/%d calls, caller back on its CPU in %d/%d\n",
		same, n, back, n);
	cr_assert_geq(same, n * 95 / 100, "same CPU in %d of %d calls", same, n);
	cr_assert_geq(back, n * 95 / 100, "caller back on its CPU in %d of %d calls", back, n);
}

Test(handoff, server_sees_the_callers_nice_and_gets_its_own_back)
{
	pid_t pid;
	int door = kd_fork_server(where, 1, 0, 0, &pid);

	cr_assert_geq(door, 0);
	cr_assert_eq(kd_call_data(door, NULL, 0, NULL, 0, NULL), 0);
	cr_assert_eq(atomic_load(&sh->nice), 0);
	cr_assert_eq(setpriority(PRIO_PROCESS, 0, 7), 0);
	cr_assert_eq(kd_call_data(door, NULL, 0, NULL, 0, NULL), 0);
	cr_assert_eq(atomic_load(&sh->nice), 7, "server ran at nice %d", atomic_load(&sh->nice));
	usleep(50000);
	cr_assert_eq(getpriority(PRIO_PROCESS, atomic_load(&sh->tid)), 0,
		     "the server thread is back at its own nice");
	kd_kill_wait(pid);
	close(door);
}

static atomic_int seen_policy = -1;

static void policy_of(struct kd_server *s, const struct door_invocation *inv,
		      struct door_return *ret, void *scratch)
{
	(void)s; (void)inv; (void)ret; (void)scratch;
	atomic_store(&seen_policy, sched_getscheduler(0));
}

Test(handoff, server_sees_the_callers_realtime_policy)
{
	struct sched_param sp = { .sched_priority = 10 };
	int ctx = kd_open();
	int d = kd_create(ctx, 0, 0, 0);
	struct kd_server srv;

	kd_server_start(&srv, ctx, 1, policy_of);
	cr_assert_eq(sched_setscheduler(0, SCHED_FIFO, &sp), 0);
	long rc = kd_call_data(d, NULL, 0, NULL, 0, NULL);

	sp.sched_priority = 0;
	sched_setscheduler(0, SCHED_OTHER, &sp);
	cr_assert_eq(rc, 0);
	cr_assert_eq(atomic_load(&seen_policy), SCHED_FIFO);
	kd_server_stop(&srv);
	close(d);
	close(ctx);
}
