/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The service manager's side of the sd_notify protocol (sd_notify(3)):
 * the test binds the NOTIFY_SOCKET datagram socket itself and checks
 * what doord says and when, plus socket activation and fd-store
 * clean-up through LISTEN_FDS/LISTEN_FDNAMES.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helper.h"

static struct doord_proc p;

static void teardown(void)
{
	doord_cleanup(&p);
}

TestSuite(notify, .fini = teardown, .timeout = 60);

Test(notify, ready_comes_with_a_status_line)
{
	char *m;

	cr_assert_eq(doord_prepare(&p, NULL), 0);
	/* Start by hand to see the READY datagram itself. */
	p.pid = fork();
	if (p.pid == 0) {
		setenv("NOTIFY_SOCKET", p.notify_path, 1);
		execl(doord_binary(), "doord", "--socket", p.socket, "--config-dir", p.confdir,
		      (char *)NULL);
		_exit(127);
	}
	m = doord_notify_wait(&p, "READY=1", 20000);
	cr_assert_not_null(m);
	cr_expect(strstr(m, "STATUS=running: 0 names, 0 peers") != NULL, "got '%s'", m);
	free(m);
}

Test(notify, sigterm_sends_stopping_before_exit)
{
	char *m;
	int status;

	cr_assert_eq(doord_start_default(&p), 0);
	kill(p.pid, SIGTERM);
	m = doord_notify_wait(&p, "STOPPING=1", 10000);
	cr_assert_not_null(m);
	free(m);
	status = doord_wait_exit(&p, 10000);
	cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

Test(notify, sighup_sends_reloading_then_ready)
{
	char *m;

	cr_assert_eq(doord_start_default(&p), 0);
	kill(p.pid, SIGHUP);
	m = doord_notify_wait(&p, "RELOADING=1", 10000);
	cr_assert_not_null(m);
	cr_expect(strstr(m, "MONOTONIC_USEC=") != NULL, "got '%s'", m);
	free(m);
	m = doord_notify_wait(&p, "READY=1", 10000);
	cr_assert_not_null(m);
	free(m);
}

Test(notify, watchdog_keepalives_when_watchdog_usec_is_set)
{
	char *m;
	int i;

	cr_assert_eq(doord_prepare(&p, NULL), 0);
	cr_assert_eq(doord_start(&p, "WATCHDOG_USEC=200000"), 0);
	/* sd-event pings at a quarter to half of the interval. */
	for (i = 0; i < 3; i++) {
		m = doord_notify_wait(&p, "WATCHDOG=1", 2000);
		cr_assert_not_null(m, "keep-alive %d missing", i);
		free(m);
	}
}

Test(notify, no_watchdog_keepalives_without_watchdog_usec)
{
	cr_assert_eq(doord_start_default(&p), 0);
	cr_expect_null(doord_notify_wait(&p, "WATCHDOG=1", 1000));
}

Test(notify, status_line_counts_peers)
{
	sd_bus *bus;
	char *m;

	cr_assert_eq(doord_start_default(&p), 0);
	bus = doord_connect(&p);
	cr_assert_not_null(bus);
	sd_bus_flush_close_unref(bus);
	/* The disconnect is reported with the count back at 0. */
	m = doord_notify_wait(&p, "STATUS=running: 0 names, 0 peers", 5000);
	cr_assert_not_null(m);
	free(m);
}

static int listening_socket(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	strcpy(sa.sun_path, path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 16) < 0)
		return -1;
	return fd;
}

Test(notify, socket_activation_uses_the_passed_socket)
{
	char other[400];
	sd_bus *bus;
	int fd;

	cr_assert_eq(doord_prepare(&p, NULL), 0);
	/* The passed socket lives elsewhere than --socket: doord must use it. */
	snprintf(other, sizeof(other), "%s/activated", p.dir);
	fd = listening_socket(other);
	cr_assert_geq(fd, 0);
	cr_assert_eq(doord_start_fds(&p, NULL, &fd, "doord.socket", 1), 0);
	close(fd);
	cr_expect_neq(access(p.socket, F_OK), 0, "doord bound its own socket anyway");
	strcpy(p.socket, other);
	bus = doord_connect(&p);
	cr_assert_not_null(bus);
	cr_expect_eq(sd_bus_call_method(bus, NULL, "/org/doors/door1", "org.doors.door1.Manager",
					"Status", NULL, NULL, ""), 1);
	sd_bus_flush_close_unref(bus);
}

Test(notify, stale_fd_store_entries_are_removed_and_closed)
{
	int fds[3];
	char names[300], *log;

	cr_assert_eq(doord_prepare(&p, NULL), 0);
	fds[0] = open("/dev/null", O_RDONLY);
	fds[1] = open(p.confdir, O_PATH);
	fds[2] = open("/dev/null", O_RDONLY);
	/* A file with no door, a door that is not one, and a stranger. */
	snprintf(names, sizeof(names), "door-1-2-0-0-644-5:file-aa-bb:mystery");
	cr_assert_eq(doord_start_fds(&p, NULL, fds, names, 3), 0);
	/* Sent before READY=1, so among what start passed over. */
	log = doord_read_log(&p);
	cr_expect(strstr(p.seen, "FDSTOREREMOVE=1\nFDNAME=door-1-2-0-0-644-5") != NULL,
		  "seen: %s", p.seen);
	cr_expect(strstr(p.seen, "FDSTOREREMOVE=1\nFDNAME=file-aa-bb") != NULL, "seen: %s", p.seen);
	cr_expect(strstr(p.seen, "FDNAME=mystery") == NULL, "seen: %s", p.seen);
	cr_expect(strstr(log, "Closing unknown passed descriptor 'mystery'") != NULL, "log: %s", log);
	cr_expect(strstr(log, "Dropping stale fd store entry 'door-1-2-0-0-644-5'") != NULL, "log: %s", log);
	cr_expect(strstr(log, "Dropping stale fd store entry 'file-aa-bb'") != NULL, "log: %s", log);
	free(log);
}
