/*
 * The Solaris-style example programs and the libdoor(3) example, built
 * unchanged from their sources, run to their documented results (needs
 * door.ko; the naming examples need doord too).
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>

#include "common.h"
#include "doord.h"

#define PROG(name) TESTS_BUILDDIR "/tests/lib/" name

TestSuite(examples, .timeout = 120);

/* Starts argv with stdout on a pipe; returns the pid, *out the read end. */
static pid_t spawn(char *const argv[], int *out)
{
	int p[2];
	pid_t pid;

	cr_assert_eq(pipe(p), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	*out = p[0];
	return pid;
}

/* Reads one line (without the newline) from fd. */
static void read_line(int fd, char *buf, size_t len)
{
	size_t n = 0;

	while (n + 1 < len && read(fd, buf + n, 1) == 1 && buf[n] != '\n')
		n++;
	buf[n] = '\0';
}

/* Runs argv to completion: its exit status, first output line in out. */
static int run(char *const argv[], char *out, size_t len)
{
	int fd, status;
	pid_t pid = spawn(argv, &fd);

	read_line(fd, out, len);
	close(fd);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

Test(examples, the_libdoor_3_example_runs)
{
	char *argv[] = { PROG("man-example"), NULL };
	char out[256];

	cr_assert_eq(run(argv, out, sizeof(out)), 0, "output: %s", out);
	cr_assert_str_eq(out, "server says: hello, door");
}

Test(examples, a_server_hands_out_a_descriptor)
{
	char *argv[] = { PROG("solaris/desc-server"), NULL };
	char out[256];

	cr_assert_eq(run(argv, out, sizeof(out)), 0, "output: %s", out);
	cr_assert_str_eq(out, "client read: from the server");
}

Test(examples, a_private_pool_with_its_own_creation_function)
{
	require_module_feature(DOOR_FEAT_PRIVATE);
	char *argv[] = { PROG("solaris/private-pool"), NULL };
	char out[256];
	int threads = 0, failed = -1, calls = 0;

	cr_assert_eq(run(argv, out, sizeof(out)), 0, "output: %s", out);
	cr_assert_eq(sscanf(out, "%d calls, %d failed, %d server threads", &calls, &failed,
			    &threads), 3, "output: %s", out);
	cr_assert_eq(calls, 400);
	cr_assert_eq(failed, 0);
	cr_assert(threads >= 1 && threads <= 4);
}

static struct test_doord doord;
static char name[128];

static void start_doord(void)
{
	char why[256];
	int fd;

	cr_assert_eq(doord_start(&doord, why, sizeof(why)), 0, "cannot start doord: %s", why);
	snprintf(name, sizeof(name), "%s/service", doord.dir);
	fd = open(name, O_CREAT | O_RDWR, 0644);
	cr_assert_geq(fd, 0);
	close(fd);
}

static pid_t start_server(const char *prog, int *out)
{
	char *argv[] = { (char *)prog, name, NULL };
	char line[64];
	pid_t pid = spawn(argv, out);

	read_line(*out, line, sizeof(line));
	cr_assert_str_eq(line, "ready", "%s did not start", prog);
	return pid;
}

Test(examples, an_attaching_server_and_an_opening_client)
{
	char *client[] = { PROG("solaris/open-client"), name, "3", NULL };
	char out[256], want[64];
	pid_t first, second;
	int fd1, fd2;

	start_doord();
	first = start_server(PROG("solaris/attach-server"), &fd1);
	cr_assert_eq(run(client, out, sizeof(out)), 0, "client: %s", out);
	snprintf(want, sizeof(want), "count 3 from pid %d", (int)first);
	cr_assert_str_eq(out, want);
	/* A second instance takes the name over (EBUSY, fdetach, fattach). */
	second = start_server(PROG("solaris/attach-server"), &fd2);
	cr_assert_eq(run(client, out, sizeof(out)), 0, "client: %s", out);
	snprintf(want, sizeof(want), "count 3 from pid %d", (int)second);
	cr_assert_str_eq(out, want);
	kill(first, SIGTERM);
	kill(second, SIGTERM);
	waitpid(first, NULL, 0);
	waitpid(second, NULL, 0);
	doord_stop(&doord);
}

Test(examples, an_unreferenced_server_exits_when_forgotten)
{
	require_module_feature(DOOR_FEAT_UNREF);
	char *client[] = { PROG("solaris/open-client"), name, "2", NULL };
	char out[256];
	int fd, status;
	pid_t server;

	start_doord();
	server = start_server(PROG("solaris/unref-server"), &fd);
	cr_assert_eq(run(client, out, sizeof(out)), 0, "client: %s", out);
	cr_assert_eq(fdetach(name), 0, "%s (%s)", strerror(errno), door_strerror_detail());
	read_line(fd, out, sizeof(out));
	cr_assert_eq(waitpid(server, &status, 0), server);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	cr_assert_str_eq(out, "unreferenced after 2 calls, exiting");
	doord_stop(&doord);
}
