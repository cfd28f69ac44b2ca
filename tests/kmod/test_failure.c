/* door.ko: the other side fails: interrupted and killed clients and servers. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <criterion/criterion.h>
#include <poll.h>
#include <time.h>

#include "kdoor.h"

KD_ONE_TEST_AT_A_TIME

struct shared {
	atomic_int entered;
	atomic_int release;
	atomic_long ucred_rc;
	atomic_int finished;
};

static struct shared *sh;

static void init_shared(void)
{
	sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	cr_assert_neq(sh, MAP_FAILED);
}

TestSuite(failure, .init = init_shared, .timeout = 60);

/* Serves slowly: waits for 'release', then checks whether it was cancelled. */
static void slow(struct kd_server *s, const struct door_invocation *inv,
		 struct door_return *ret, void *scratch)
{
	struct door_ucred uc = { .size = sizeof(uc) };

	(void)inv; (void)scratch;
	atomic_fetch_add(&sh->entered, 1);
	while (!atomic_load(&sh->release))
		usleep(1000);
	atomic_store(&sh->ucred_rc, kd_ioctl(s->ctx, DOOR_IOC_UCRED, &uc));
	ret->data_ptr = KD_PTR("late");
	ret->data_size = 4;
	atomic_fetch_add(&sh->finished, 1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *call_thread(void *arg)
{
	char r[16];

	return (void *)kd_call_data(*(int *)arg, NULL, 0, r, sizeof(r), NULL);
}

Test(failure, interrupted_client_gets_eintr_and_server_is_told)
{
	long invs = kd_live("invocations");
	int ctx = kd_open(), door = kd_create(ctx, 0, 0, 0);
	struct kd_server srv;
	pthread_t t;
	void *rc;

	kd_server_start(&srv, ctx, 1, slow);
	pthread_create(&t, NULL, call_thread, &door);
	while (!atomic_load(&sh->entered))
		usleep(1000);
	pthread_kill(t, SIGUSR1);
	pthread_join(t, &rc);
	cr_assert_eq((long)rc, -EINTR);
	atomic_store(&sh->release, 1);
	while (!atomic_load(&sh->finished))
		usleep(1000);
	cr_assert_eq(atomic_load(&sh->ucred_rc), -ECANCELED);
	/* the late results were dropped; the server serves the next call */
	atomic_store(&sh->entered, 0);
	cr_assert_eq(kd_call_data(door, NULL, 0, NULL, 0, NULL) <= 0, true);
	kd_server_stop(&srv);
	close(door);
	close(ctx);
	cr_assert_eq(kd_live_settle("invocations", invs), invs);
}

Test(failure, no_cancel_door_server_is_not_told)
{
	int ctx = kd_open(), door = kd_create(ctx, 0, 0, DOOR_NO_CANCEL);
	struct kd_server srv;
	pthread_t t;
	void *rc;

	kd_server_start(&srv, ctx, 1, slow);
	pthread_create(&t, NULL, call_thread, &door);
	while (!atomic_load(&sh->entered))
		usleep(1000);
	pthread_kill(t, SIGUSR1);
	pthread_join(t, &rc);
	cr_assert_eq((long)rc, -EINTR);
	atomic_store(&sh->release, 1);
	while (!atomic_load(&sh->finished))
		usleep(1000);
	cr_assert_eq(atomic_load(&sh->ucred_rc), 0);
	kd_server_stop(&srv);
	close(door);
	close(ctx);
}

Test(failure, killed_server_gives_eintr_promptly_then_ebadf)
{
	pid_t pid;
	int door = kd_fork_server(slow, 1, 0, 0, &pid);
	pthread_t t;
	void *rc;
	struct door_info di;
	double t0;

	pthread_create(&t, NULL, call_thread, &door);
	while (!atomic_load(&sh->entered))
		usleep(1000);
	t0 = now();
	kill(pid, SIGKILL);
	pthread_join(t, &rc);
	cr_assert_eq((long)rc, -EINTR);
	/* How long is the machine's business (no timed assertions); a hang
	 * is caught by the suite's timeout. */
	cr_log_info("EINTR %.3f s after the kill", now() - t0);
	waitpid(pid, NULL, 0);
	cr_assert_eq(kd_call_data(door, NULL, 0, NULL, 0, NULL), -EBADF);
	cr_assert_eq(kd_info(door, &di), 0);
	cr_assert_eq(di.target, -1);
	close(door);
}

static void abandoner(struct kd_server *s, const struct door_invocation *inv,
		      struct door_return *ret, void *scratch)
{
	struct door_return r = { .flags = DOOR_RETURN_F_ABANDON };

	(void)inv; (void)ret; (void)scratch;
	atomic_store(&sh->ucred_rc, kd_ioctl(s->ctx, DOOR_IOC_RETURN, &r));
}

Test(failure, abandoning_server_thread_gives_eintr)
{
	int ctx = kd_open(), door = kd_create(ctx, 0, 0, 0);
	struct kd_server srv;

	kd_server_start(&srv, ctx, 1, abandoner);
	cr_assert_eq(kd_call_data(door, NULL, 0, NULL, 0, NULL), -EINTR);
	cr_assert_eq(atomic_load(&sh->ucred_rc), 0);
	kd_server_stop(&srv);
	close(door);
	close(ctx);
}

Test(failure, killed_client_lets_the_server_finish_and_leaks_nothing)
{
	long invs = kd_live("invocations"), files = kd_live("files");
	int ctx = kd_open(), door = kd_create(ctx, 0, 0, 0);
	struct kd_server srv;
	pid_t pid;

	kd_server_start(&srv, ctx, 1, slow);
	pid = fork();
	if (pid == 0) {
		char big[100000];

		memset(big, 1, sizeof(big));
		kd_call_data(door, big, sizeof(big), NULL, 0, NULL);
		_exit(0);
	}
	while (!atomic_load(&sh->entered))
		usleep(1000);
	kd_kill_wait(pid);
	atomic_store(&sh->release, 1);
	while (!atomic_load(&sh->finished))
		usleep(1000);
	atomic_store(&sh->entered, 0);
	/* the server goes on serving */
	cr_assert_eq(kd_call_data(door, NULL, 0, NULL, 0, NULL), 0);
	kd_server_stop(&srv);
	close(door);
	close(ctx);
	cr_assert_eq(kd_live_settle("invocations", invs), invs);
	cr_assert_eq(kd_live_settle("files", files), files);
}

Test(failure, poll_reports_hup_after_revoke)
{
	int ctx = kd_open(), door = kd_create(ctx, 0, 0, 0);
	struct pollfd p = { .fd = door, .events = POLLIN };

	cr_assert_eq(poll(&p, 1, 0), 0);
	kd_ioctl(door, DOOR_IOC_REVOKE, NULL);
	cr_assert_eq(poll(&p, 1, 1000), 1);
	cr_assert(p.revents & POLLHUP);
	close(door);
	close(ctx);
}

Test(failure, poll_wakes_with_hup_when_the_server_dies)
{
	pid_t pid;
	int door = kd_fork_server(NULL, 1, 0, 0, &pid);
	struct pollfd p = { .fd = door, .events = POLLIN };
	pid_t killer = fork();

	if (killer == 0) {
		usleep(200000);
		kill(pid, SIGKILL);
		_exit(0);
	}
	cr_assert_eq(poll(&p, 1, 5000), 1);
	cr_assert(p.revents & POLLHUP);
	waitpid(killer, NULL, 0);
	waitpid(pid, NULL, 0);
	close(door);
}

Test(failure, exec_revokes_the_doors_of_the_old_image)
{
	int sv[2];
	pid_t pid;
	int d;
	struct door_info di;

	cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	pid = fork();
	if (pid == 0) {
		int ctx = kd_open();
		int door = kd_create(ctx, 0, 0, 0);
		char c;

		kd_send_fd(sv[1], door);
		if (read(sv[1], &c, 1) != 1)
			_exit(1);
		execl("/bin/sleep", "sleep", "5", (char *)NULL);
		_exit(2);
	}
	d = kd_recv_fd(sv[0]);
	cr_assert_geq(d, 0);
	cr_assert_eq(kd_info(d, &di), 0);
	cr_assert_eq(di.attributes & DOOR_REVOKED, 0);
	cr_assert_eq(write(sv[0], "x", 1), 1);
	for (int i = 0; i < 300; i++) {
		kd_info(d, &di);
		if (di.attributes & DOOR_REVOKED)
			break;
		usleep(10000);
	}
	cr_assert(di.attributes & DOOR_REVOKED, "exec closed the context and revoked");
	kd_kill_wait(pid);
	close(d);
}
