/* door.ko: DOOR_IOC_UCRED, the immediate caller's identity. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <criterion/criterion.h>
#include <grp.h>
#include <sched.h>

#include "kdoor.h"

struct seen {
	long rc;
	struct door_ucred uc;
	uint32_t groups[16];
};

static struct seen *seen;	/* shared with the forked callers */
static struct kd_server srv;
static int ctx, door;

static void record(struct kd_server *s, const struct door_invocation *inv,
		   struct door_return *ret, void *scratch)
{
	(void)inv; (void)ret; (void)scratch;
	memset(&seen->uc, 0, sizeof(seen->uc));
	seen->uc.size = sizeof(seen->uc);
	seen->uc.groups_ptr = KD_PTR(seen->groups);
	seen->uc.groups_max = 16;
	seen->rc = kd_ioctl(s->ctx, DOOR_IOC_UCRED, &seen->uc);
}

static void setup(void)
{
	seen = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ctx = kd_open();
	door = kd_create(ctx, 0, 0, 0);
	kd_server_start(&srv, ctx, 1, record);
}

static void teardown(void)
{
	kd_server_stop(&srv);
	close(door);
	close(ctx);
}

TestSuite(ucred, .init = setup, .fini = teardown, .timeout = 60);

Test(ucred, root_caller_has_its_pid_uids_and_capabilities)
{
	cr_assert_eq(kd_call_data(door, NULL, 0, NULL, 0, NULL), 0);
	cr_assert_eq(seen->rc, 0);
	cr_assert_eq(seen->uc.pid, getpid());
	cr_assert_eq(seen->uc.euid, 0);
	cr_assert_eq(seen->uc.ruid, 0);
	cr_assert_neq(seen->uc.cap_effective, 0);
	cr_assert_eq(seen->uc.size, sizeof(struct door_ucred));
}

Test(ucred, unprivileged_caller_in_another_process)
{
	gid_t groups[] = { 11, 12, 13 };
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		if (setgroups(3, groups) || setresgid(5678, 5679, 5680) ||
		    setresuid(1234, 1235, 1236))
			_exit(10);
		_exit(kd_call_data(door, NULL, 0, NULL, 0, NULL) == 0 ? 0 : 11);
	}
	waitpid(pid, &st, 0);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %d", st);
	cr_assert_eq(seen->rc, 0);
	cr_assert_eq(seen->uc.pid, pid);
	cr_assert_eq(seen->uc.ruid, 1234);
	cr_assert_eq(seen->uc.euid, 1235);
	cr_assert_eq(seen->uc.suid, 1236);
	cr_assert_eq(seen->uc.rgid, 5678);
	cr_assert_eq(seen->uc.egid, 5679);
	cr_assert_eq(seen->uc.sgid, 5680);
	cr_assert_eq(seen->uc.ngroups, 3);
	cr_assert_eq(seen->groups[0], 11);
	cr_assert_eq(seen->groups[2], 13);
	cr_assert_eq(seen->uc.cap_effective, 0);
	cr_assert_eq(seen->uc.cap_permitted, 0);
}

Test(ucred, identity_is_the_immediate_callers_in_nested_calls)
{
	static int inner;
	pid_t pid;

	/* the server (another process) calls back into our door */
	void relay(struct kd_server *s, const struct door_invocation *inv,
		   struct door_return *ret, void *scratch)
	{
		(void)s; (void)inv; (void)ret; (void)scratch;
		kd_call_data(inner, NULL, 0, NULL, 0, NULL);
	}
	inner = door;
	int outer = kd_fork_server(relay, 1, 0, 0, &pid);

	cr_assert_geq(outer, 0);
	/* the forked server inherited 'door' (fd number) from us: it's ours */
	cr_assert_eq(kd_call_data(outer, NULL, 0, NULL, 0, NULL), 0);
	cr_assert_eq(seen->rc, 0);
	cr_assert_eq(seen->uc.pid, pid, "the immediate caller is the relay process");
	kd_kill_wait(pid);
	close(outer);
}

Test(ucred, short_size_is_e2big_reserved_is_einval)
{
	struct door_ucred uc = { .size = 8 };

	cr_assert_eq(kd_ioctl(ctx, DOOR_IOC_UCRED, &uc), -E2BIG);
	memset(&uc, 0, sizeof(uc));
	uc.size = sizeof(uc);
	uc.reserved[0] = 1;
	cr_assert_eq(kd_ioctl(ctx, DOOR_IOC_UCRED, &uc), -EINVAL);
}

Test(ucred, caller_invisible_in_the_servers_pid_namespace_is_pid_0)
{
	int sv[2], d;
	pid_t c;
	char go = 'x';

	cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	c = fork();
	if (c == 0) {
		pid_t server;
		int sd;

		if (unshare(CLONE_NEWPID))
			_exit(10);
		sd = kd_fork_server(record, 1, 0, 0, &server);	/* pid 1 in the new namespace */
		if (sd < 0 || kd_send_fd(sv[1], sd))
			_exit(11);
		if (read(sv[1], &go, 1) != 1)
			_exit(12);
		kd_kill_wait(server);
		_exit(0);
	}
	d = kd_recv_fd(sv[0]);
	cr_assert_geq(d, 0);
	seen->rc = -1;
	cr_assert_eq(kd_call_data(d, NULL, 0, NULL, 0, NULL), 0);
	cr_assert_eq(seen->rc, 0);
	cr_assert_eq(seen->uc.pid, 0, "the caller is not visible from the server's namespace");
	cr_assert_eq(write(sv[0], &go, 1), 1);
	waitpid(c, NULL, 0);
	close(d);
}
