/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * doord as a process: starts, answers Status on its private socket,
 * reloads its policy, refuses bad input with readable errors, and
 * exits cleanly on SIGTERM and SIGINT. No kernel module needed.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helper.h"

#define OBJ "/org/doors/door1"
#define IFACE "org.doors.door1.Manager"

static struct doord_proc p;

static void teardown(void)
{
	doord_cleanup(&p);
}

/* Reads the Status dictionary into the interesting fields. */
struct status {
	char version[64], state[32], socket[300];
	unsigned names, rules, connections;
	unsigned long long start_time;
	unsigned n_policy_files;
	char policy_files[4][400];
};

static int get_status(sd_bus *bus, struct status *st)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	const char *key;
	int r;

	memset(st, 0, sizeof(*st));
	r = sd_bus_call_method(bus, NULL, OBJ, IFACE, "Status", &err, &reply, "");
	if (r < 0) {
		sd_bus_error_free(&err);
		return r;
	}
	r = sd_bus_message_enter_container(reply, 'a', "{sv}");
	while (r >= 0 && (r = sd_bus_message_enter_container(reply, 'e', "sv")) > 0) {
		const char *s;

		sd_bus_message_read(reply, "s", &key);
		if (!strcmp(key, "Version") && sd_bus_message_read(reply, "v", "s", &s) > 0)
			snprintf(st->version, sizeof(st->version), "%s", s);
		else if (!strcmp(key, "State") && sd_bus_message_read(reply, "v", "s", &s) > 0)
			snprintf(st->state, sizeof(st->state), "%s", s);
		else if (!strcmp(key, "Socket") && sd_bus_message_read(reply, "v", "s", &s) > 0)
			snprintf(st->socket, sizeof(st->socket), "%s", s);
		else if (!strcmp(key, "Names"))
			sd_bus_message_read(reply, "v", "u", &st->names);
		else if (!strcmp(key, "Rules"))
			sd_bus_message_read(reply, "v", "u", &st->rules);
		else if (!strcmp(key, "Connections"))
			sd_bus_message_read(reply, "v", "u", &st->connections);
		else if (!strcmp(key, "StartTime"))
			sd_bus_message_read(reply, "v", "t", &st->start_time);
		else if (!strcmp(key, "PolicyFiles")) {
			sd_bus_message_enter_container(reply, 'v', "as");
			sd_bus_message_enter_container(reply, 'a', "s");
			while (sd_bus_message_read(reply, "s", &s) > 0)
				if (st->n_policy_files < 4)
					snprintf(st->policy_files[st->n_policy_files++], 400, "%s", s);
			sd_bus_message_exit_container(reply);
			sd_bus_message_exit_container(reply);
		} else
			sd_bus_message_skip(reply, "v");
		r = sd_bus_message_exit_container(reply);
	}
	sd_bus_message_unref(reply);
	return r;
}

TestSuite(daemon, .fini = teardown, .timeout = 60);

Test(daemon, status_reports_version_state_names_and_policy_files)
{
	struct status st;
	sd_bus *bus;
	struct timespec ts;

	cr_assert_eq(doord_start_default(&p), 0);
	bus = doord_connect(&p);
	cr_assert_not_null(bus);
	cr_assert_eq(get_status(bus, &st), 0);
	cr_expect_str_eq(st.version, PACKAGE_VERSION);
	cr_expect_str_eq(st.state, "running");
	cr_expect_eq(st.names, 0);
	cr_expect_eq(st.rules, 1);
	cr_expect_str_eq(st.socket, p.socket);
	cr_expect_eq(st.connections, 1);
	cr_assert_eq(st.n_policy_files, 1);
	cr_expect(strstr(st.policy_files[0], "/conf/doord.json") != NULL);
	clock_gettime(CLOCK_REALTIME, &ts);
	cr_expect(st.start_time > 0 && st.start_time <= (unsigned long long)(ts.tv_sec + 1) * 1000000ULL);
	sd_bus_flush_close_unref(bus);
}

Test(daemon, external_and_anonymous_authentication_are_both_accepted)
{
	struct status st;
	sd_bus *a, *b;

	cr_assert_eq(doord_start_default(&p), 0);
	a = doord_connect_auth(&p, false);
	b = doord_connect_auth(&p, true);
	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_expect_eq(get_status(a, &st), 0);
	cr_expect_eq(get_status(b, &st), 0);
	cr_expect_eq(st.connections, 2);
}

Test(daemon, sigterm_exits_zero_and_removes_the_socket)
{
	struct stat sb;
	int status;

	cr_assert_eq(doord_start_default(&p), 0);
	cr_assert_eq(stat(p.socket, &sb), 0);
	cr_expect(S_ISSOCK(sb.st_mode));
	cr_expect_eq(sb.st_mode & 0777, 0666);
	status = doord_stop(&p);
	cr_assert(WIFEXITED(status), "doord did not exit normally (status 0x%x)", status);
	cr_expect_eq(WEXITSTATUS(status), 0);
	cr_expect_eq(stat(p.socket, &sb), -1);
}

Test(daemon, sigint_exits_zero)
{
	int status;

	cr_assert_eq(doord_start_default(&p), 0);
	kill(p.pid, SIGINT);
	status = doord_wait_exit(&p, 10000);
	cr_assert(status != -1 && WIFEXITED(status));
	cr_expect_eq(WEXITSTATUS(status), 0);
}

Test(daemon, second_instance_on_same_socket_is_refused)
{
	struct doord_proc q;
	char *log;
	int r;

	cr_assert_eq(doord_start_default(&p), 0);
	cr_assert_eq(doord_prepare(&q, NULL), 0);
	strcpy(q.socket, p.socket);
	r = doord_start(&q, NULL);
	cr_expect_eq(r, -ECHILD);
	cr_expect(WIFEXITED(q.exit_status) && WEXITSTATUS(q.exit_status) == 1);
	log = doord_read_log(&q);
	cr_expect(strstr(log, "Another doord is already serving") != NULL, "log: %s", log);
	free(log);
	doord_cleanup(&q);
}

Test(daemon, stale_socket_file_is_replaced)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	cr_assert_eq(doord_prepare(&p, NULL), 0);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	strcpy(sa.sun_path, p.socket);
	cr_assert_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);	/* bound, never listening: stale */
	cr_assert_eq(doord_start(&p, NULL), 0);
	cr_assert_not_null(doord_connect(&p));
}

Test(daemon, bad_policy_at_start_exits_one_naming_file_line_column)
{
	char *log;

	cr_assert_eq(doord_prepare(&p, "{\n  \"rules\": [\n    { \"operations\": [\"attach\"], \"action\": \"maybe\" }\n  ]\n}\n"), 0);
	cr_assert_eq(doord_start(&p, NULL), -ECHILD);
	cr_expect(WIFEXITED(p.exit_status) && WEXITSTATUS(p.exit_status) == 1);
	log = doord_read_log(&p);
	cr_expect(strstr(log, "conf/doord.json:3:") != NULL, "log: %s", log);
	cr_expect(strstr(log, "\"action\" must be \"allow\" or \"deny\"") != NULL, "log: %s", log);
	free(log);
}

Test(daemon, usage_errors_exit_two)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 2);
		execl(doord_binary(), "doord", "--no-such-option", (char *)NULL);
		_exit(127);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 2);
}

static int call_reload(sd_bus *bus, sd_bus_error *err)
{
	return sd_bus_call_method(bus, NULL, OBJ, IFACE, "Reload", err, NULL, "");
}

Test(daemon, reload_method_is_a_barrier_for_new_rules)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	struct status st;
	sd_bus *bus;

	if (geteuid() != 0)
		cr_skip_test("Reload needs root");
	cr_assert_eq(doord_start_default(&p), 0);
	bus = doord_connect(&p);
	cr_assert_eq(doord_write_policy(&p, "doord.json.d/50-more.json",
		"{ \"rules\": [ { \"operations\": [\"lookup\"], \"action\": \"deny\" },"
		" { \"operations\": [\"attach\"], \"paths\": [\"/srv\"], \"action\": \"allow\" } ] }"), 0);
	cr_assert_geq(call_reload(bus, &err), 0, "%s", err.message);
	cr_assert_eq(get_status(bus, &st), 0);
	cr_expect_eq(st.rules, 3);
	cr_expect_eq(st.n_policy_files, 2);
	cr_expect(strstr(st.policy_files[1], "doord.json.d/50-more.json") != NULL);
}

Test(daemon, reload_with_bad_file_fails_and_keeps_old_policy)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	struct status st;
	sd_bus *bus;

	if (geteuid() != 0)
		cr_skip_test("Reload needs root");
	cr_assert_eq(doord_start_default(&p), 0);
	bus = doord_connect(&p);
	cr_assert_eq(doord_write_policy(&p, "doord.json.d/10-bad.json",
					 "{ \"rules\": [ { \"operations\": [\"attach\"],\n"
					 "  \"action\": \"allow\", \"pathz\": [\"/x\"] } ] }"), 0);
	cr_assert_lt(call_reload(bus, &err), 0);
	cr_expect_eq(sd_bus_error_get_errno(&err), EINVAL);
	cr_expect(strstr(err.message, "doord.json.d/10-bad.json:2:31: unknown key 'pathz'") != NULL,
		  "message: %s", err.message);
	sd_bus_error_free(&err);
	cr_assert_eq(get_status(bus, &st), 0);
	cr_expect_eq(st.rules, 1);
	cr_expect_eq(st.n_policy_files, 1);
}

Test(daemon, sighup_reloads_and_keeps_old_policy_on_error)
{
	struct status st;
	sd_bus *bus;
	char *log;
	int i;

	cr_assert_eq(doord_start_default(&p), 0);
	bus = doord_connect(&p);
	cr_assert_eq(doord_write_policy(&p, "doord.json", "{ \"rules\": [ 42 ] }"), 0);
	kill(p.pid, SIGHUP);
	free(doord_notify_wait(&p, "READY=1", 5000));
	log = doord_read_log(&p);
	cr_expect(strstr(log, "keeping the previous one") != NULL, "log: %s", log);
	cr_expect(strstr(log, "conf/doord.json:1:14: a rule must be an object") != NULL, "log: %s", log);
	free(log);
	cr_assert_eq(get_status(bus, &st), 0);
	cr_expect_eq(st.rules, 1);

	cr_assert_eq(doord_write_policy(&p, "doord.json", "{ \"rules\": [] }"), 0);
	kill(p.pid, SIGHUP);
	free(doord_notify_wait(&p, "READY=1", 5000));
	for (i = 0; i < 100; i++) {
		cr_assert_eq(get_status(bus, &st), 0);
		if (st.rules == 0)
			break;
		usleep(10000);
	}
	cr_expect_eq(st.rules, 0);
}

/* Runs fn as an unprivileged uid in a child; returns its exit code. */
static int as_nobody(int (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 ||
		    setresuid(65534, 65534, 65534) < 0)
			_exit(99);
		_exit(fn());
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 100;
}

static int reload_as_nobody(void)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	sd_bus *bus = doord_connect(&p);

	if (!bus)
		return 10;
	if (call_reload(bus, &err) >= 0)
		return 11;
	return sd_bus_error_get_errno(&err) == EPERM ? 0 : 12;
}

Test(daemon, reload_by_unprivileged_caller_is_eperm)
{
	if (geteuid() != 0)
		cr_skip_test("needs root to switch to another uid");
	cr_assert_eq(doord_start_default(&p), 0);
	int r = as_nobody(reload_as_nobody);

	cr_expect_eq(r, 0, "child failed with %d", r);
}

Test(daemon, attach_of_a_non_door_is_einval_with_message)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	int fake, file;
	sd_bus *bus;

	cr_assert_eq(doord_start_default(&p), 0);
	bus = doord_connect(&p);
	fake = open("/dev/null", O_RDONLY | O_CLOEXEC);
	file = open(p.confdir, O_PATH | O_CLOEXEC);
	cr_assert_lt(sd_bus_call_method(bus, NULL, OBJ, IFACE, "Attach", &err, NULL, "hh", fake, file), 0);
	cr_expect_eq(sd_bus_error_get_errno(&err), EINVAL);
	cr_expect(strstr(err.message, "not a door") != NULL, "message: %s", err.message);
	sd_bus_error_free(&err);
	/* A socket is not a door either, and doord keeps serving. */
	int sv[2];

	cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	cr_assert_lt(sd_bus_call_method(bus, NULL, OBJ, IFACE, "Attach", &err, NULL, "hh", sv[0], file), 0);
	cr_expect_eq(sd_bus_error_get_errno(&err), EINVAL);
	sd_bus_error_free(&err);
	struct status st;

	cr_expect_eq(get_status(bus, &st), 0);
}

Test(daemon, lookup_detach_info_of_unattached_file_fail_with_errno)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	sd_bus *bus;
	int file;

	cr_assert_eq(doord_start_default(&p), 0);
	bus = doord_connect(&p);
	file = open(p.confdir, O_RDONLY | O_CLOEXEC);
	cr_assert_lt(sd_bus_call_method(bus, NULL, OBJ, IFACE, "Lookup", &err, NULL, "h", file), 0);
	cr_expect_eq(sd_bus_error_get_errno(&err), ENOENT);
	cr_expect(strstr(err.message, "No door is attached to") != NULL, "message: %s", err.message);
	sd_bus_error_free(&err);
	cr_assert_lt(sd_bus_call_method(bus, NULL, OBJ, IFACE, "Detach", &err, NULL, "h", file), 0);
	cr_expect_eq(sd_bus_error_get_errno(&err), EINVAL);
	sd_bus_error_free(&err);
	cr_assert_lt(sd_bus_call_method(bus, NULL, OBJ, IFACE, "Info", &err, NULL, "h", file), 0);
	cr_expect_eq(sd_bus_error_get_errno(&err), ENOENT);
	sd_bus_error_free(&err);
}

Test(daemon, wrong_argument_types_get_an_error_and_service_continues)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	struct status st;
	sd_bus *bus;

	cr_assert_eq(doord_start_default(&p), 0);
	bus = doord_connect(&p);
	cr_assert_lt(sd_bus_call_method(bus, NULL, OBJ, IFACE, "Lookup", &err, NULL, "s", "/etc/passwd"), 0);
	cr_expect(sd_bus_error_has_name(&err, SD_BUS_ERROR_INVALID_ARGS), "error %s", err.name);
	sd_bus_error_free(&err);
	cr_assert_lt(sd_bus_call_method(bus, NULL, OBJ, IFACE, "NoSuchMethod", &err, NULL, ""), 0);
	cr_expect(sd_bus_error_has_name(&err, SD_BUS_ERROR_UNKNOWN_METHOD), "error %s", err.name);
	sd_bus_error_free(&err);
	cr_expect_eq(get_status(bus, &st), 0);
}

Test(daemon, many_connections_are_served_at_once)
{
	sd_bus *bus[64];
	struct status st;
	int i;

	cr_assert_eq(doord_start_default(&p), 0);
	for (i = 0; i < 64; i++) {
		bus[i] = doord_connect(&p);
		cr_assert_not_null(bus[i]);
	}
	for (i = 0; i < 64; i++)
		cr_assert_eq(get_status(bus[i], &st), 0);
	cr_expect_eq(st.connections, 64);
	for (i = 0; i < 32; i++)
		sd_bus_flush_close_unref(bus[i]);
	for (i = 0; i < 100; i++) {
		cr_assert_eq(get_status(bus[63], &st), 0);
		if (st.connections == 32)
			break;
		usleep(10000);
	}
	cr_expect_eq(st.connections, 32);
}

/* Every method and signal of the shipped interface file is what the
 * daemon serves. */
Test(daemon, introspection_matches_the_shipped_interface_file)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	const char *xml;
	char *file = NULL, *line = NULL;
	size_t len = 0, n = 0;
	FILE *f;
	sd_bus *bus;

	cr_assert_eq(doord_start_default(&p), 0);
	bus = doord_connect(&p);
	cr_assert_geq(sd_bus_call_method(bus, NULL, OBJ, "org.freedesktop.DBus.Introspectable",
					 "Introspect", &err, &reply, ""), 0);
	cr_assert_gt(sd_bus_message_read(reply, "s", &xml), 0);
	f = fopen(DOORD_SRCDIR "/org.doors.door1.Manager.xml", "re");
	cr_assert_not_null(f);
	while (getline(&line, &len, f) > 0) {
		char *a = strstr(line, "<method name=\""), *b = strstr(line, "<signal name=\"");
		char *start = a ? a : b, want[128];

		if (!start)
			continue;
		start = strchr(start, '"') + 1;
		snprintf(want, sizeof(want), "%.*s", (int)(strchr(start, '"') - start), start);
		cr_expect(strstr(xml, want) != NULL, "'%s' missing from introspection", want);
		n++;
	}
	cr_expect_eq(n, 11);
	free(line);
	free(file);
	fclose(f);
	sd_bus_message_unref(reply);
}

/* Reads "Name:\tHEX" from /proc/PID/status. */
static unsigned long long status_field(pid_t pid, const char *name)
{
	char path[64], line[256];
	unsigned long long v = ~0ULL;
	size_t n = strlen(name);
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, name, n) == 0 && line[n] == ':')
			v = strtoull(line + n + 1, NULL, strcmp(name, "NoNewPrivs") ? 16 : 10);
	fclose(f);
	return v;
}

/* CAP_DAC_READ_SEARCH is 2, CAP_SYS_ADMIN is 21 (linux/capability.h). */
Test(daemon, capabilities_are_dropped_to_the_documented_set)
{
	const unsigned long long dac = 1ULL << 2, admin = 1ULL << 21;

	if (geteuid() != 0)
		cr_skip_test("doord keeps capabilities only when started as root");
	cr_assert_eq(doord_start_default(&p), 0);
	cr_expect_eq(status_field(p.pid, "CapEff"), dac, "CapEff %llx", status_field(p.pid, "CapEff"));
	cr_expect_eq(status_field(p.pid, "CapPrm"), dac | admin);
	cr_expect_eq(status_field(p.pid, "CapInh"), 0);
	cr_expect_eq(status_field(p.pid, "CapAmb"), 0);
	cr_expect_eq(status_field(p.pid, "CapBnd"), dac | admin);
	cr_expect_eq(status_field(p.pid, "NoNewPrivs"), 1);
}
