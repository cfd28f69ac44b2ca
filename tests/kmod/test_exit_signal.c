/*
 * door.ko: exit notification (door_create.exit_signal): the server
 * process gets a signal (si_code SI_ASYNCIO, the door's cookie in
 * si_addr) after every call whose results reached its caller.
 *
 * The server runs in a child process of its own, so that every thread
 * in it blocks the signal and its main thread can take them all with
 * sigwaitinfo (the test process has threads it does not control).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <criterion/criterion.h>

#include "kdoor.h"
#include "../module-features.h"

#define COOKIE_SIG	0x1122334455667788ull
#define COOKIE_QUIET	0x99aabbccddeeff00ull

/* One signal the server took, as it reports it to the test. */
struct seen {
	int32_t signo;
	int32_t code;
	uint64_t addr;
};

static int exit_sig(void)
{
	return SIGRTMIN + 1;
}

static int create_with_signal(int ctx, uint64_t cookie, int32_t sig)
{
	struct door_create dc = { .cookie = cookie, .exit_signal = sig };

	return (int)kd_ioctl(ctx, DOOR_IOC_CREATE, &dc);
}

static bool read_all(int fd, void *p, size_t n)
{
	while (n) {
		ssize_t got = read(fd, p, n);

		if (got <= 0)
			return false;
		p = (char *)p + got;
		n -= (size_t)got;
	}
	return true;
}

/*
 * In the server: for each count @n the test sends, waits for @n
 * signals and reports them, then whether one more was pending
 * (0, or its number).
 */
static void report_signals(int sock, const sigset_t *set)
{
	struct timespec zero = { 0, 0 };
	siginfo_t si;
	int32_t n, extra;

	while (read_all(sock, &n, sizeof(n))) {
		for (int32_t i = 0; i < n; i++) {
			struct seen s = { 0 };

			if (sigwaitinfo(set, &si) > 0)
				s = (struct seen){ si.si_signo, si.si_code,
						   KD_PTR(si.si_addr) };
			if (write(sock, &s, sizeof(s)) != sizeof(s))
				_exit(5);
		}
		extra = sigtimedwait(set, &si, &zero);
		if (extra < 0)
			extra = errno == EAGAIN ? 0 : -errno;
		if (write(sock, &extra, sizeof(extra)) != sizeof(extra))
			_exit(5);
	}
	_exit(0);
}

static void serve(int sock)
{
	struct kd_server s;
	sigset_t set;
	int ctx, sig_door, quiet_door;

	sigemptyset(&set);
	sigaddset(&set, exit_sig());
	sigprocmask(SIG_BLOCK, &set, NULL);	/* before any thread exists */
	ctx = kd_open();
	if (ctx < 0)
		_exit(2);
	sig_door = create_with_signal(ctx, COOKIE_SIG, exit_sig());
	quiet_door = create_with_signal(ctx, COOKIE_QUIET, 0);
	if (sig_door < 0 || quiet_door < 0)
		_exit(3);
	memset(&s, 0, sizeof(s));
	kd_server_start(&s, ctx, 1, NULL);
	if (kd_send_fd(sock, sig_door) || kd_send_fd(sock, quiet_door))
		_exit(4);
	report_signals(sock, &set);
}

static pid_t server_pid = -1;
static int sock = -1, sig_door = -1, quiet_door = -1;

static void start_server(void)
{
	int sv[2];

	cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	server_pid = fork();
	cr_assert_geq(server_pid, 0);
	if (server_pid == 0) {
		close(sv[0]);
		serve(sv[1]);
	}
	close(sv[1]);
	sock = sv[0];
	sig_door = kd_recv_fd(sock);
	quiet_door = kd_recv_fd(sock);
	cr_assert_geq(sig_door, 0, "the server could not start");
	cr_assert_geq(quiet_door, 0);
}

static void teardown(void)
{
	if (sock >= 0)
		close(sock);
	close(sig_door);
	close(quiet_door);
	kd_kill_wait(server_pid);
}

/* Asks the server for @n signals; returns the one pending after them. */
static int32_t collect(struct seen *s, int32_t n)
{
	int32_t extra = -1;

	cr_assert_eq(write(sock, &n, sizeof(n)), sizeof(n));
	cr_assert(read_all(sock, s, sizeof(*s) * (size_t)n), "server died");
	cr_assert(read_all(sock, &extra, sizeof(extra)), "server died");
	return extra;
}

static void call(int d)
{
	cr_assert_eq(kd_call_data(d, NULL, 0, NULL, 0, NULL), 0);
}

TestSuite(exit_signal, .fini = teardown, .timeout = 60);

Test(exit_signal, a_call_sends_the_signal_with_the_cookie)
{
	struct seen s;

	require_module_feature(DOOR_FEAT_EXIT_SIGNAL);
	start_server();
	call(sig_door);
	collect(&s, 1);
	cr_assert_eq(s.signo, exit_sig());
	cr_assert_eq(s.code, SI_ASYNCIO);
	cr_assert_eq(s.addr, COOKIE_SIG, "si_addr %#llx", (unsigned long long)s.addr);
}

Test(exit_signal, n_calls_send_n_signals)
{
	struct seen s[8];

	require_module_feature(DOOR_FEAT_EXIT_SIGNAL);
	start_server();
	for (int i = 0; i < 8; i++)
		call(sig_door);
	cr_assert_eq(collect(s, 8), 0, "more signals than calls");
	for (int i = 0; i < 8; i++) {
		cr_assert_eq(s[i].signo, exit_sig(), "signal %d", i);
		cr_assert_eq(s[i].code, SI_ASYNCIO, "signal %d", i);
		cr_assert_eq(s[i].addr, COOKIE_SIG, "signal %d", i);
	}
}

Test(exit_signal, a_door_without_exit_signal_sends_nothing)
{
	struct seen s;

	require_module_feature(DOOR_FEAT_EXIT_SIGNAL);
	start_server();
	call(quiet_door);
	call(sig_door);
	cr_assert_eq(collect(&s, 1), 0, "a signal for the door without one");
	cr_assert_eq(s.addr, COOKIE_SIG, "the signal carries the other door's cookie");
}

Test(exit_signal, out_of_range_signal_numbers_are_einval)
{
	static const int32_t bad[] = { -1, 65, 1000 };
	int ctx;

	require_module_feature(DOOR_FEAT_EXIT_SIGNAL);
	ctx = kd_open();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(create_with_signal(ctx, 0, bad[i]), -EINVAL,
			     "exit_signal %d", bad[i]);
	close(ctx);
}

Test(exit_signal, signal_numbers_1_to_64_are_accepted)
{
	int ctx, d;

	require_module_feature(DOOR_FEAT_EXIT_SIGNAL);
	ctx = kd_open();
	d = create_with_signal(ctx, 0, 1);
	cr_assert_geq(d, 0, "exit_signal 1: %d", d);
	close(d);
	d = create_with_signal(ctx, 0, 64);
	cr_assert_geq(d, 0, "exit_signal 64: %d", d);
	close(d);
	close(ctx);
}
