/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The doorctl program against a TEST FIXTURE server (fixture-doord.c)
 * that answers part of doord's API with known values: what each verb
 * prints, its JSON parsed back, and its exit codes and error lines.
 * The same checks against the real doord and door.ko are in
 * vm-doorctl.c.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixture-doord.h"
#include "run-doorctl.h"

static struct fixture fx;

static void setup(void)
{
	cr_assert_eq(fixture_start(&fx), 0);
	setenv("TZ", "UTC", 1);
}

static void teardown(void)
{
	fixture_stop(&fx);
}

#define RUN(res, ...) do { \
	const char *const args_[] = { __VA_ARGS__, NULL }; \
	cr_assert_eq(run_doorctl(fx.socket, NULL, (res), args_), 0); \
} while (0)

static json_t *parse(const char *s)
{
	json_error_t err;
	json_t *v = json_loads(s, 0, &err);

	cr_assert_not_null(v, "not JSON (%s): %s", err.text, s);
	return v;
}

TestSuite(fixture, .init = setup, .fini = teardown, .timeout = 30);

Test(fixture, status_prints_the_daemon_fields)
{
	struct run_result r;

	RUN(&r, "status");
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert_str_eq(r.err, "");
	cr_assert_not_null(strstr(r.out, "Version: " FIXTURE_VERSION "\n"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "State: " FIXTURE_STATE "\n"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "Policy files: " FIXTURE_POLICY_FILE "\n"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "Started: Tue 2023-11-14 22:13:20 UTC\n"), "%s", r.out);
	run_result_free(&r);
}

Test(fixture, status_json_carries_the_same_values)
{
	struct run_result r;
	json_t *v;

	RUN(&r, "status", "--json=short");
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	v = parse(r.out);
	cr_assert_str_eq(json_string_value(json_object_get(v, "version")), FIXTURE_VERSION);
	cr_assert_str_eq(json_string_value(json_object_get(v, "state")), FIXTURE_STATE);
	cr_assert_eq(json_integer_value(json_object_get(v, "names")), 2);
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(v, "policy_files"), 0)),
			 FIXTURE_POLICY_FILE);
	cr_assert_eq(json_integer_value(json_object_get(v, "start_time")),
		     (json_int_t)FIXTURE_START_TIME);
	cr_assert_str_eq(json_string_value(json_object_get(v, "socket")), fx.socket);
	json_decref(v);
	run_result_free(&r);
}

Test(fixture, list_json_has_every_entry_with_named_attributes)
{
	struct run_result r;
	json_t *v, *a, *b, *want;

	RUN(&r, "list", "--json=short");
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	v = parse(r.out);
	cr_assert_eq(json_array_size(v), 2);
	a = json_array_get(v, 0);
	b = json_array_get(v, 1);
	cr_assert_str_eq(json_string_value(json_object_get(a, "path")), FIXTURE_PATH_A);
	cr_assert_eq(json_integer_value(json_object_get(a, "id")), (json_int_t)FIXTURE_ID_A);
	cr_assert_eq(json_integer_value(json_object_get(a, "pid")), 1);
	cr_assert_str_eq(json_string_value(json_object_get(b, "path")), FIXTURE_PATH_B);
	cr_assert_eq(json_integer_value(json_object_get(b, "calls")), (json_int_t)FIXTURE_CALLS_B);
	cr_assert_eq(json_integer_value(json_object_get(b, "owner_uid")), 65534);
	cr_assert_eq(json_integer_value(json_object_get(b, "mode")), 0644);
	cr_assert_eq(json_integer_value(json_object_get(b, "attach_time")),
		     (json_int_t)FIXTURE_START_TIME + 1000000);
	want = json_pack("[s,s]", "private", "revoked");
	cr_assert(json_equal(json_object_get(b, "attributes"), want));
	/* pid 999999 does not exist here: no command to show */
	cr_assert(json_is_null(json_object_get(b, "command")));
	json_decref(want);
	json_decref(v);
	run_result_free(&r);
}

Test(fixture, list_is_the_default_verb)
{
	struct run_result r1, r2;

	RUN(&r1, "--json=short");
	RUN(&r2, "list", "--json=short");
	cr_assert_eq(r1.status, 0);
	cr_assert_str_eq(r1.out, r2.out);
	run_result_free(&r1);
	run_result_free(&r2);
}

Test(fixture, list_table_has_header_rows_and_footer)
{
	struct run_result r;

	RUN(&r, "list");
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert_eq(strncmp(r.out, "PATH ", 5), 0, "%s", r.out);
	cr_assert_not_null(strstr(r.out, "\n" FIXTURE_PATH_A " "), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "private,revoked"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, " 0644 "), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "\n\n2 doors listed.\n"), "%s", r.out);
	run_result_free(&r);
}

Test(fixture, list_without_legend_prints_one_line_per_door)
{
	struct run_result r;
	int lines = 0;
	char *p;

	RUN(&r, "list", "--no-legend");
	cr_assert_eq(r.status, 0);
	for (p = r.out; *p; p++)
		lines += *p == '\n';
	cr_assert_eq(lines, 2, "%s", r.out);
	cr_assert_eq(strncmp(r.out, FIXTURE_PATH_A " ", strlen(FIXTURE_PATH_A) + 1), 0);
	run_result_free(&r);
}

Test(fixture, info_shows_attributes_and_latency_histogram)
{
	struct run_result r;
	json_t *v, *want;

	RUN(&r, "info", fx.attached, "--json=short");
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	v = parse(r.out);
	cr_assert_str_eq(json_string_value(json_object_get(v, "path")), fx.attached);
	cr_assert_eq(json_integer_value(json_object_get(v, "id")), (json_int_t)FIXTURE_ID_A);
	want = json_pack("[s,s]", "unref", "unref_multi");
	cr_assert(json_equal(json_object_get(v, "attributes"), want));
	json_decref(want);
	want = json_pack("[i,i,i]", 0, 5, 2);
	cr_assert(json_equal(json_object_get(v, "latency_histogram"), want));
	cr_assert_eq(json_integer_value(json_object_get(v, "server_pid")), 1);
	/* pid 1 is visible here, so its command is added */
	cr_assert(json_is_string(json_object_get(v, "command")));
	json_decref(want);
	json_decref(v);
	run_result_free(&r);

	RUN(&r, "info", fx.attached);
	cr_assert_eq(r.status, 0);
	cr_assert_not_null(strstr(r.out, "Attributes: unref,unref_multi\n"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "Latency: < 2us: 5\n"), "%s", r.out);
	run_result_free(&r);
}

Test(fixture, info_on_a_file_nothing_is_attached_to_exits_3)
{
	struct run_result r;
	char want[256];

	RUN(&r, "info", fx.dir);
	cr_assert_eq(r.status, 3);
	snprintf(want, sizeof(want),
		 "doorctl: Failed to get information on '%s': No door is attached there\n", fx.dir);
	cr_assert_str_eq(r.err, want);
	cr_assert_str_eq(r.out, "");
	run_result_free(&r);
}

Test(fixture, info_on_a_missing_file_exits_3)
{
	struct run_result r;

	RUN(&r, "info", "/nonexistent/door");
	cr_assert_eq(r.status, 3);
	cr_assert_str_eq(r.err,
		"doorctl: Failed to open '/nonexistent/door': No such file or directory\n");
	run_result_free(&r);
}

Test(fixture, detach_refused_by_doord_exits_4_with_its_reason)
{
	struct run_result r;
	char want[256];

	RUN(&r, "detach", fx.attached);
	cr_assert_eq(r.status, 4);
	snprintf(want, sizeof(want),
		 "doorctl: Failed to detach '%s': Only the owner may detach this name\n",
		 fx.attached);
	cr_assert_str_eq(r.err, want);
	run_result_free(&r);
}

Test(fixture, detach_of_a_file_nothing_is_attached_to_exits_3)
{
	struct run_result r;
	char want[256];

	RUN(&r, "detach", fx.dir);
	cr_assert_eq(r.status, 3);
	snprintf(want, sizeof(want),
		 "doorctl: Failed to detach '%s': No door is attached there\n", fx.dir);
	cr_assert_str_eq(r.err, want);
	run_result_free(&r);
}

Test(fixture, reload_succeeds_silently)
{
	struct run_result r;

	RUN(&r, "reload");
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert_str_eq(r.out, "");
	cr_assert_str_eq(r.err, "");
	run_result_free(&r);
}

Test(fixture, method_doord_lacks_exits_1)
{
	struct run_result r;

	/* The fixture has no Lookup: an unexpected D-Bus error is a plain
	 * failure, reported with the bus's message. */
	RUN(&r, "call", fx.attached, "--data", "x");
	cr_assert_eq(r.status, 1);
	cr_assert_eq(strncmp(r.err, "doorctl: Failed to look up '", 28), 0, "%s", r.err);
	run_result_free(&r);
}

Test(fixture, call_with_a_missing_argument_file_exits_3)
{
	struct run_result r;

	RUN(&r, "call", fx.attached, "--file", "/nonexistent/args");
	cr_assert_eq(r.status, 3);
	cr_assert_str_eq(r.err, "doorctl: Failed to open '/nonexistent/args': "
			 "No such file or directory\n");
	run_result_free(&r);
}

Test(fixture, call_with_a_missing_descriptor_file_exits_3)
{
	struct run_result r;

	RUN(&r, "call", fx.attached, "--fd", "/etc/hostname", "--fd", "/nonexistent/fd");
	cr_assert_eq(r.status, 3);
	cr_assert_str_eq(r.err, "doorctl: Failed to open '/nonexistent/fd': "
			 "No such file or directory\n");
	run_result_free(&r);
}

Test(fixture, monitor_streams_events_until_interrupted)
{
	const char *const args[] = { "monitor", "--json=short", NULL };
	struct run_result r;
	json_t *a, *d;
	char *nl;

	cr_assert_eq(run_doorctl_interrupted(fx.socket, 1500, &r, args), 0);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	nl = strchr(r.out, '\n');
	cr_assert_not_null(nl, "%s", r.out);
	*nl = '\0';
	a = parse(r.out);
	d = parse(nl + 1);
	cr_assert_str_eq(json_string_value(json_object_get(a, "event")), "attached");
	cr_assert_str_eq(json_string_value(json_object_get(a, "path")), FIXTURE_SIGNAL_PATH);
	cr_assert_eq(json_integer_value(json_object_get(a, "id")), (json_int_t)FIXTURE_SIGNAL_ID);
	cr_assert_gt(json_integer_value(json_object_get(a, "time")), 0);
	cr_assert_str_eq(json_string_value(json_object_get(d, "event")), "detached");
	cr_assert_str_eq(json_string_value(json_object_get(d, "reason")), FIXTURE_DETACH_REASON);
	json_decref(a);
	json_decref(d);
	run_result_free(&r);
}

Test(fixture, monitor_table_prints_one_line_per_event)
{
	const char *const args[] = { "monitor", NULL };
	struct run_result r;

	cr_assert_eq(run_doorctl_interrupted(fx.socket, 1500, &r, args), 0);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert_not_null(strstr(r.out, " attached         77 " FIXTURE_SIGNAL_PATH "\n"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, " detached         77 " FIXTURE_SIGNAL_PATH
				  " (" FIXTURE_DETACH_REASON ")\n"), "%s", r.out);
	run_result_free(&r);
}

Test(fixture, monitor_exits_5_when_doord_goes_away)
{
	const char *const args[] = { "monitor", NULL };
	struct run_result r;
	pid_t killer;

	killer = fork();
	cr_assert_geq(killer, 0);
	if (killer == 0) {
		usleep(700 * 1000);
		kill(-fx.pid, SIGKILL);
		_exit(0);
	}
	cr_assert_eq(run_doorctl(fx.socket, NULL, &r, args), 0);
	waitpid(killer, NULL, 0);
	cr_assert_eq(r.status, 5, "stderr: %s", r.err);
	cr_assert_not_null(strstr(r.err, "doord closed the connection"), "%s", r.err);
	run_result_free(&r);
}

Test(fixture, doord_not_running_exits_5)
{
	const char *const args[] = { "status", NULL };
	struct run_result r;
	char sock[160], want[256];

	snprintf(sock, sizeof(sock), "%s/none", fx.dir);
	cr_assert_eq(run_doorctl(sock, NULL, &r, args), 0);
	cr_assert_eq(r.status, 5);
	snprintf(want, sizeof(want),
		 "doorctl: Failed to connect to doord at '%s': No such file or directory\n", sock);
	cr_assert_str_eq(r.err, want);
	run_result_free(&r);
}

Test(fixture, socket_nobody_serves_exits_5)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *const args[] = { "list", NULL };
	struct run_result r;
	int fd;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/dead", fx.dir);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	cr_assert_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);	/* bound, never listening: connection refused */
	cr_assert_eq(run_doorctl(sa.sun_path, NULL, &r, args), 0);
	cr_assert_eq(r.status, 5);
	cr_assert_not_null(strstr(r.err, "Connection refused"), "%s", r.err);
	unlink(sa.sun_path);
	run_result_free(&r);
}

Test(fixture, unknown_verb_exits_2_with_one_line)
{
	struct run_result r;

	RUN(&r, "frobnicate");
	cr_assert_eq(r.status, 2);
	cr_assert_str_eq(r.err, "doorctl: Unknown command 'frobnicate'.\n");
	cr_assert_str_eq(r.out, "");
	run_result_free(&r);
}

Test(fixture, help_lists_exit_codes)
{
	struct run_result r;

	RUN(&r, "--help");
	cr_assert_eq(r.status, 0);
	cr_assert_not_null(strstr(r.out, "  5  doord or door.ko not available\n"));
	run_result_free(&r);
	RUN(&r, "call", "--help");
	cr_assert_eq(r.status, 0);
	cr_assert_not_null(strstr(r.out, "doorctl [OPTIONS...] call PATH"));
	run_result_free(&r);
}

Test(fixture, attach_from_a_process_that_does_not_exist_exits_3)
{
	struct run_result r;
	char pid[16], want[256];
	pid_t child = fork();

	cr_assert_geq(child, 0);
	if (child == 0)
		_exit(0);
	waitpid(child, NULL, 0);	/* reaped: the pid is free now */
	snprintf(pid, sizeof(pid), "%d", (int)child);
	RUN(&r, "attach", fx.attached, "--pid", pid, "--fd", "3");
	cr_assert_eq(r.status, 3, "stderr: %s", r.err);
	snprintf(want, sizeof(want), "doorctl: Failed to open process '%s': No such process\n", pid);
	cr_assert_str_eq(r.err, want);
	run_result_free(&r);
}

Test(fixture, attach_of_a_descriptor_the_process_lacks_exits_3)
{
	struct run_result r;
	char pid[16], want[256];
	pid_t child = fork();

	cr_assert_geq(child, 0);
	if (child == 0) {
		pause();
		_exit(0);
	}
	snprintf(pid, sizeof(pid), "%d", (int)child);
	RUN(&r, "attach", fx.attached, "--pid", pid, "--fd", "999");
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	cr_assert_eq(r.status, 3, "stderr: %s", r.err);
	snprintf(want, sizeof(want),
		 "doorctl: Failed to take descriptor '999 of process %s': Bad file descriptor\n", pid);
	cr_assert_str_eq(r.err, want);
	run_result_free(&r);
}
