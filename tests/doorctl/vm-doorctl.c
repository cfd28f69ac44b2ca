/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * doorctl end to end, inside the VM: the real doord on a private
 * socket, real doors from door.ko (served by this test process through
 * the raw uapi, echo-door.c), and the doorctl program. Every verb, the
 * documented exit codes, JSON parsed back, and hostile arguments.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <linux/door.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "echo-door.h"
#include "run-doorctl.h"
#include "../module-features.h"

#define NOBODY 65534

/* Everybody may attach and look up, except that nobody may not look
 * up "secret"; no limits get in the way. */
#define POLICY \
	"{ \"rules\": [\n" \
	"  { \"operations\": [\"attach\", \"lookup\"], \"action\": \"allow\" },\n" \
	"  { \"operations\": [\"lookup\"], \"users\": [65534], \"paths\": [\"%s/secret\"],\n" \
	"    \"action\": \"deny\" }\n" \
	"], \"limits\": [ { \"attachments\": \"infinity\", \"lookups_per_second\": \"infinity\" } ] }\n"

static struct {
	char dir[64];
	char socket[128];
	char conf[128];
	pid_t doord;
	struct echo_door door;
	char echo[160];		/* a name for the door */
	char second[160];	/* another name */
	char secret[160];	/* a name nobody may look up */
	char plain[160];	/* a file nothing is attached to */
	char pid[16];		/* our pid, as doorctl attach --pid wants it */
	char fd[16];		/* the door's descriptor number */
} t;

static void make_file(const char *path, mode_t mode)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, mode);

	cr_assert_geq(fd, 0, "%s: %s", path, strerror(errno));
	fchmod(fd, mode);
	close(fd);
}

static bool listening(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool ok;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		close(fd);
		return false;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	ok = fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	if (fd >= 0)
		close(fd);
	return ok;
}

static void start_doord(void)
{
	char path[200];
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "%s/doord.json", t.conf);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f, POLICY, t.dir);
	cr_assert_eq(fclose(f), 0);
	t.doord = fork();
	cr_assert_geq(t.doord, 0);
	if (t.doord == 0) {
		int log = open("/dev/null", O_WRONLY);

		dup2(log, STDERR_FILENO);
		/* $DOORD_BINARY: another build's doord, as tests/doord allow */
		const char *doord = getenv("DOORD_BINARY");

		execl(doord ? doord : DOORD_PATH, "doord", "--socket", t.socket,
		      "--config-dir", t.conf, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 1000 && !listening(t.socket); i++) {
		cr_assert_eq(waitpid(t.doord, NULL, WNOHANG), 0, "doord exited at start");
		usleep(10000);
	}
	cr_assert(listening(t.socket), "doord does not listen on %s", t.socket);
}

static void setup(void)
{
	cr_assert_eq(access("/dev/door", R_OK | W_OK), 0, "door.ko is not loaded");
	setenv("TZ", "UTC", 1);
	strcpy(t.dir, "/tmp/doorctl-vm-XXXXXX");
	cr_assert_not_null(mkdtemp(t.dir));
	chmod(t.dir, 0755);
	snprintf(t.socket, sizeof(t.socket), "%s/bus", t.dir);
	snprintf(t.conf, sizeof(t.conf), "%s/conf", t.dir);
	cr_assert_eq(mkdir(t.conf, 0755), 0);
	snprintf(t.echo, sizeof(t.echo), "%s/echo", t.dir);
	snprintf(t.second, sizeof(t.second), "%s/second", t.dir);
	snprintf(t.secret, sizeof(t.secret), "%s/secret", t.dir);
	snprintf(t.plain, sizeof(t.plain), "%s/plain", t.dir);
	make_file(t.echo, 0644);
	make_file(t.second, 0644);
	make_file(t.secret, 0644);
	make_file(t.plain, 0644);
	start_doord();
	cr_assert_eq(echo_door_start(&t.door), 0);
	snprintf(t.pid, sizeof(t.pid), "%d", (int)getpid());
	snprintf(t.fd, sizeof(t.fd), "%d", t.door.door);
}

static void teardown(void)
{
	char path[200];

	if (t.doord > 0) {
		kill(t.doord, SIGTERM);
		waitpid(t.doord, NULL, 0);
	}
	unlink(t.echo);
	unlink(t.second);
	unlink(t.secret);
	unlink(t.plain);
	snprintf(path, sizeof(path), "%s/doord.json", t.conf);
	unlink(path);
	rmdir(t.conf);
	unlink(t.socket);
	rmdir(t.dir);
}

TestSuite(vm, .init = setup, .fini = teardown, .timeout = 120);

#define RUN(res, ...) do { \
	const char *const args_[] = { __VA_ARGS__, NULL }; \
	cr_assert_eq(run_doorctl(t.socket, NULL, (res), args_), 0); \
} while (0)

#define RUN_IN(res, input, ...) do { \
	const char *const args_[] = { __VA_ARGS__, NULL }; \
	cr_assert_eq(run_doorctl(t.socket, (input), (res), args_), 0); \
} while (0)

#define RUN_AS_NOBODY(res, ...) do { \
	const char *const args_[] = { __VA_ARGS__, NULL }; \
	cr_assert_eq(run_doorctl_as(NOBODY, NOBODY, t.socket, (res), args_), 0); \
} while (0)

static json_t *parse(const char *s)
{
	json_error_t err;
	json_t *v = json_loads(s, 0, &err);

	cr_assert_not_null(v, "not JSON (%s): %s", err.text, s);
	return v;
}

/* Attach our door at PATH with doorctl attach --pid --fd. */
static void attach(const char *path)
{
	struct run_result r;
	char want[256];

	RUN(&r, "attach", path, "--pid", t.pid, "--fd", t.fd);
	cr_assert_eq(r.status, 0, "attach: %s", r.err);
	snprintf(want, sizeof(want), "Attached '%s'.\n", path);
	cr_assert_str_eq(r.out, want);
	run_result_free(&r);
}

static json_t *list_entry(const char *path)
{
	struct run_result r;
	json_t *v, *e, *found = NULL;
	size_t i;

	RUN(&r, "list", "--json=short");
	cr_assert_eq(r.status, 0, "%s", r.err);
	v = parse(r.out);
	json_array_foreach(v, i, e)
		if (!strcmp(json_string_value(json_object_get(e, "path")) ?: "", path))
			found = json_incref(e);
	json_decref(v);
	run_result_free(&r);
	return found;
}

/* Until doord counts @n connections (a monitor has connected). */
static void wait_for_connections(int n)
{
	struct run_result r;
	json_int_t c = 0;
	int i;

	for (i = 0; i < 100 && c < n; i++) {
		json_t *v;

		RUN(&r, "status", "--json=short");
		v = json_loads(r.out, 0, NULL);
		c = json_integer_value(json_object_get(v, "connections"));
		json_decref(v);
		run_result_free(&r);
		if (c < n)
			usleep(100 * 1000);
	}
	cr_assert_geq(c, n, "doord never saw %d connections", n);
}

Test(vm, status_shows_doord_and_the_module)
{
	struct run_result r;
	json_t *v;

	RUN(&r, "status", "--json=short");
	cr_assert_eq(r.status, 0, "%s", r.err);
	v = parse(r.out);
	cr_assert_str_eq(json_string_value(json_object_get(v, "state")) ?: "", "running");
	cr_assert_str_eq(json_string_value(json_object_get(v, "socket")) ?: "", t.socket);
	cr_assert_str_eq(json_string_value(json_object_get(v, "config_directory")) ?: "", t.conf);
	cr_assert_eq(json_integer_value(json_object_get(v, "rules")), 2);
	cr_assert_eq(json_integer_value(json_object_get(v, "module_api_version")), DOOR_API_VERSION);
	json_decref(v);
	run_result_free(&r);

	RUN(&r, "status");
	cr_assert_eq(r.status, 0);
	cr_assert_not_null(strstr(r.out, "State: running\n"), "%s", r.out);
	run_result_free(&r);
}

Test(vm, attach_by_process_and_descriptor_then_list)
{
	json_t *e, *want;

	attach(t.echo);
	e = list_entry(t.echo);
	cr_assert_not_null(e, "%s not listed", t.echo);
	cr_assert_eq(json_integer_value(json_object_get(e, "id")), (json_int_t)t.door.id);
	cr_assert_eq(json_integer_value(json_object_get(e, "pid")), getpid());
	cr_assert_eq(json_integer_value(json_object_get(e, "owner_uid")), 0);
	cr_assert_eq(json_integer_value(json_object_get(e, "mode")), 0644);
	cr_assert_gt(json_integer_value(json_object_get(e, "attach_time")), 0);
	want = json_pack("[]");
	cr_assert(json_is_array(json_object_get(e, "attributes")));
	json_decref(want);
	cr_assert(json_is_string(json_object_get(e, "command")));
	json_decref(e);
}

Test(vm, list_table_shows_the_name)
{
	struct run_result r;

	attach(t.echo);
	RUN(&r, "list");
	cr_assert_eq(r.status, 0);
	cr_assert_eq(strncmp(r.out, "PATH", 4), 0, "%s", r.out);
	cr_assert_not_null(strstr(r.out, t.echo), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "\n1 door listed.\n"), "%s", r.out);
	run_result_free(&r);
}

Test(vm, call_with_data_writes_the_raw_reply_to_a_pipe)
{
	struct run_result r;

	attach(t.echo);
	RUN(&r, "call", t.echo, "--data", "hello");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, "echo:hello");
	cr_assert_not_null(strstr(r.err, "Round trip: "), "%s", r.err);
	cr_assert_not_null(strstr(r.err, "Reply size: 10\n"), "%s", r.err);
	run_result_free(&r);
}

Test(vm, call_shows_a_hexdump_and_summary_on_a_terminal)
{
	const char *const args[] = { "call", t.echo, "--data", "terminal", NULL };
	struct run_result r;

	attach(t.echo);
	cr_assert_eq(run_doorctl_tty(t.socket, &r, args), 0);
	cr_assert_eq(r.status, 0, "%s", r.err);
	/* "echo:terminal" */
	cr_assert_not_null(strstr(r.out, "00000000  65 63 68 6f 3a 74 65 72  6d 69 6e 61 6c"
				  "           |echo:terminal|\r\n"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "Reply size: 13\r\n"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "Round trip: "), "%s", r.out);
	cr_assert_str_eq(r.err, "");
	run_result_free(&r);
}

Test(vm, call_json_has_hex_data_ids_and_round_trip)
{
	struct run_result r;
	json_t *v;

	attach(t.echo);
	RUN(&r, "call", t.echo, "--data", "hi", "--json=short");
	cr_assert_eq(r.status, 0, "%s", r.err);
	v = parse(r.out);
	/* "echo:hi" */
	cr_assert_str_eq(json_string_value(json_object_get(v, "data_hex")), "6563686f3a6869");
	cr_assert_eq(json_integer_value(json_object_get(v, "data_size")), 7);
	cr_assert_eq(json_integer_value(json_object_get(v, "door_id")), (json_int_t)t.door.id);
	cr_assert_eq(json_integer_value(json_object_get(v, "server_pid")), getpid());
	cr_assert_gt(json_integer_value(json_object_get(v, "round_trip_nsec")), 0);
	cr_assert_eq(json_array_size(json_object_get(v, "descriptors")), 0);
	json_decref(v);
	run_result_free(&r);
}

Test(vm, call_reads_arguments_from_stdin_and_files)
{
	struct run_result r;

	attach(t.echo);
	RUN_IN(&r, "from stdin", "call", t.echo, "-");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, "echo:from stdin");
	run_result_free(&r);

	RUN(&r, "call", t.echo, "--file", "/proc/sys/kernel/ostype", "-q");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, "echo:Linux\n");
	cr_assert_str_eq(r.err, "");
	run_result_free(&r);
}

Test(vm, call_passes_descriptors)
{
	struct run_result r;

	attach(t.echo);
	RUN(&r, "call", t.echo, "--data", "x", "--fd", "/etc/hostname", "--fd", t.plain);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, "echo:x:desc=2");
	run_result_free(&r);
}

Test(vm, call_shows_descriptors_received)
{
	struct run_result r;
	json_t *v, *d;

	attach(t.echo);
	RUN(&r, "call", t.echo, "--data", "fd", "--json=short");
	cr_assert_eq(r.status, 0, "%s", r.err);
	v = parse(r.out);
	d = json_array_get(json_object_get(v, "descriptors"), 0);
	cr_assert_not_null(d, "%s", r.out);
	cr_assert_str_eq(json_string_value(json_object_get(d, "file")) ?: "", "/etc/hostname");
	json_decref(v);
	run_result_free(&r);
}

Test(vm, info_shows_the_door)
{
	struct run_result r;
	json_t *v;

	attach(t.echo);
	RUN(&r, "info", t.echo, "--json=short");
	cr_assert_eq(r.status, 0, "%s", r.err);
	v = parse(r.out);
	cr_assert_str_eq(json_string_value(json_object_get(v, "path")), t.echo);
	cr_assert_eq(json_integer_value(json_object_get(v, "id")), (json_int_t)t.door.id);
	cr_assert_eq(json_integer_value(json_object_get(v, "server_pid")), getpid());
	cr_assert(json_is_string(json_object_get(v, "command")), "%s", r.out);
	cr_assert_eq(json_integer_value(json_object_get(v, "owner")), 0);
	cr_assert_eq(json_integer_value(json_object_get(v, "names")), 1);
	cr_assert(json_is_array(json_object_get(v, "attributes")), "%s", r.out);
	json_decref(v);
	run_result_free(&r);

	RUN(&r, "info", t.echo);
	cr_assert_eq(r.status, 0);
	cr_assert_not_null(strstr(r.out, "Door ID: "), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "Owner: root\n"), "%s", r.out);
	run_result_free(&r);
}

/* Needs DOOR_IOC_STATS from door.ko: calls counted, latency histogram. */
Test(vm, info_shows_call_statistics)
{
	struct run_result r;
	json_t *v;

	require_module_feature(DOOR_FEAT_STATS);

	attach(t.echo);
	RUN(&r, "call", t.echo, "--data", "count me", "-q");
	cr_assert_eq(r.status, 0);
	run_result_free(&r);
	RUN(&r, "info", t.echo, "--json=short");
	cr_assert_eq(r.status, 0, "%s", r.err);
	v = parse(r.out);
	cr_assert_geq(json_integer_value(json_object_get(v, "calls")), 1, "%s", r.out);
	cr_assert_eq(json_array_size(json_object_get(v, "latency_histogram")), DOOR_STATS_BUCKETS,
		     "%s", r.out);
	json_decref(v);
	run_result_free(&r);

	RUN(&r, "info", t.echo);
	cr_assert_eq(r.status, 0);
	cr_assert_not_null(strstr(r.out, "Latency: <"), "%s", r.out);
	run_result_free(&r);
}

Test(vm, attach_from_another_name_gives_the_same_door)
{
	struct run_result r;
	json_t *a, *b;
	char want[256];

	attach(t.echo);
	RUN(&r, "attach", t.second, "--from", t.echo, "--json=short");
	cr_assert_eq(r.status, 0, "%s", r.err);
	snprintf(want, sizeof(want), "{\"path\":\"%s\"}\n", t.second);
	cr_assert_str_eq(r.out, want);
	run_result_free(&r);
	a = list_entry(t.echo);
	b = list_entry(t.second);
	cr_assert_not_null(b);
	cr_assert(json_equal(json_object_get(a, "id"), json_object_get(b, "id")));
	json_decref(a);
	json_decref(b);
	RUN(&r, "call", t.second, "--data", "2");
	cr_assert_str_eq(r.out, "echo:2");
	run_result_free(&r);
}

Test(vm, detach_removes_the_name)
{
	struct run_result r;
	char want[256];

	attach(t.echo);
	RUN(&r, "detach", t.echo);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, "");
	run_result_free(&r);
	cr_assert_null(list_entry(t.echo));
	RUN(&r, "info", t.echo);
	cr_assert_eq(r.status, 3);
	snprintf(want, sizeof(want), "doorctl: Failed to get information on '%s': ", t.echo);
	cr_assert_eq(strncmp(r.err, want, strlen(want)), 0, "%s", r.err);
	run_result_free(&r);
}

Test(vm, detach_of_a_file_nothing_is_attached_to_exits_3)
{
	struct run_result r;
	char want[256];

	RUN(&r, "detach", t.plain);
	cr_assert_eq(r.status, 3);
	snprintf(want, sizeof(want), "doorctl: Failed to detach '%s': ", t.plain);
	cr_assert_eq(strncmp(r.err, want, strlen(want)), 0, "%s", r.err);
	run_result_free(&r);
}

Test(vm, call_of_a_file_nothing_is_attached_to_exits_3)
{
	struct run_result r;
	char want[256];

	RUN(&r, "call", t.plain, "--data", "x");
	cr_assert_eq(r.status, 3, "%s", r.err);
	snprintf(want, sizeof(want), "doorctl: Failed to look up '%s': ", t.plain);
	cr_assert_eq(strncmp(r.err, want, strlen(want)), 0, "%s", r.err);
	cr_assert_str_eq(r.out, "");
	run_result_free(&r);
}

Test(vm, missing_file_exits_3)
{
	struct run_result r;

	RUN(&r, "info", "/nonexistent/door");
	cr_assert_eq(r.status, 3);
	cr_assert_str_eq(r.err, "doorctl: Failed to open '/nonexistent/door': "
			 "No such file or directory\n");
	run_result_free(&r);
}

Test(vm, attaching_something_that_is_not_a_door_fails_with_1)
{
	struct run_result r;
	char fd[16], want[256];
	int plain = open("/etc/hostname", O_RDONLY | O_CLOEXEC);

	cr_assert_geq(plain, 0);
	snprintf(fd, sizeof(fd), "%d", plain);
	RUN(&r, "attach", t.echo, "--pid", t.pid, "--fd", fd);
	cr_assert_eq(r.status, 1, "%s", r.err);
	snprintf(want, sizeof(want), "doorctl: Failed to attach a door to '%s': ", t.echo);
	cr_assert_eq(strncmp(r.err, want, strlen(want)), 0, "%s", r.err);
	close(plain);
	run_result_free(&r);
}

Test(vm, attaching_to_a_taken_name_fails_with_1)
{
	struct run_result r;

	attach(t.echo);
	RUN(&r, "attach", t.echo, "--pid", t.pid, "--fd", t.fd);
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert_not_null(strstr(r.err, "already attached"), "%s", r.err);
	run_result_free(&r);
}

Test(vm, nobody_may_not_detach_roots_name)
{
	struct run_result r;
	json_t *e;

	attach(t.echo);
	RUN_AS_NOBODY(&r, "detach", t.echo);
	cr_assert_eq(r.status, 4, "%s", r.err);
	cr_assert_not_null(strstr(r.err, "does not own"), "%s", r.err);
	run_result_free(&r);
	e = list_entry(t.echo);
	cr_assert_not_null(e);
	json_decref(e);
}

Test(vm, policy_denial_exits_4)
{
	struct run_result r;
	char want[256];

	attach(t.secret);
	RUN_AS_NOBODY(&r, "call", t.secret, "--data", "x");
	cr_assert_eq(r.status, 4, "%s", r.err);
	snprintf(want, sizeof(want), "doorctl: Failed to look up '%s': Policy does not allow", t.secret);
	cr_assert_eq(strncmp(r.err, want, strlen(want)), 0, "%s", r.err);
	run_result_free(&r);
	/* the same user may call a door the policy lets it look up */
	attach(t.echo);
	RUN_AS_NOBODY(&r, "call", t.echo, "--data", "ok");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, "echo:ok");
	run_result_free(&r);
}

Test(vm, nobody_may_not_take_roots_descriptors)
{
	struct run_result r;
	char want[256];

	RUN_AS_NOBODY(&r, "attach", t.plain, "--pid", t.pid, "--fd", t.fd);
	cr_assert_eq(r.status, 4, "%s", r.err);
	snprintf(want, sizeof(want), "doorctl: Failed to take descriptor '%s of process %s': "
		 "Operation not permitted\n", t.fd, t.pid);
	cr_assert_str_eq(r.err, want);
	run_result_free(&r);
}

Test(vm, reload_needs_root)
{
	struct run_result r;

	RUN(&r, "reload");
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_result_free(&r);
	RUN_AS_NOBODY(&r, "reload");
	cr_assert_eq(r.status, 4, "%s", r.err);
	cr_assert_str_eq(r.err, "doorctl: Failed to reload doord's policy: "
			 "Only root may reload the policy\n");
	run_result_free(&r);
}

Test(vm, reload_of_a_broken_policy_fails_and_keeps_the_old_one)
{
	struct run_result r;
	char path[200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/doord.json", t.conf);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("{ \"rules\": [ { \"action\": \"allow\" } ] }\n", f);
	fclose(f);
	RUN(&r, "reload");
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert_not_null(strstr(r.err, "Policy rejected: "), "%s", r.err);
	run_result_free(&r);
	/* check-policy says the same about the file */
	RUN(&r, "check-policy", path);
	cr_assert_eq(r.status, 1);
	cr_assert_not_null(strstr(r.err, "Policy rejected: "), "%s", r.err);
	run_result_free(&r);
	RUN(&r, "status", "--json=short");
	cr_assert_eq(r.status, 0);
	cr_assert_not_null(strstr(r.out, "\"rules\":2"), "%s", r.out);
	run_result_free(&r);
}

Test(vm, monitor_streams_attach_and_detach_events)
{
	const char *const args[] = { "monitor", "--json=short", NULL };
	struct run_result r, m;
	struct run_proc p;
	json_t *a, *d;
	char *nl, *next;

	cr_assert_eq(run_doorctl_spawn(t.socket, NULL, &p, args), 0);
	wait_for_connections(2);	/* the monitor, and the status asking */
	attach(t.echo);
	RUN(&r, "detach", t.echo);
	cr_assert_eq(r.status, 0);
	run_result_free(&r);
	usleep(500 * 1000);
	cr_assert_eq(run_doorctl_finish(&p, SIGINT, &m), 0);
	cr_assert_eq(m.status, 0, "%s", m.err);
	/* one JSON object a line: attached, detached, then (our process
	 * still holds the door, the name was the other reference) an
	 * unreferenced notification may follow */
	nl = strchr(m.out, '\n');
	cr_assert_not_null(nl, "%s", m.out);
	*nl = '\0';
	a = parse(m.out);
	next = strchr(nl + 1, '\n');
	cr_assert_not_null(next, "%s", nl + 1);
	*next = '\0';
	d = parse(nl + 1);
	cr_assert_str_eq(json_string_value(json_object_get(a, "event")), "attached");
	cr_assert_str_eq(json_string_value(json_object_get(a, "path")), t.echo);
	cr_assert_eq(json_integer_value(json_object_get(a, "id")), (json_int_t)t.door.id);
	cr_assert_str_eq(json_string_value(json_object_get(d, "event")), "detached");
	cr_assert_eq(json_integer_value(json_object_get(d, "id")), (json_int_t)t.door.id);
	cr_assert_str_eq(json_string_value(json_object_get(d, "reason")) ?: "", "detached");
	json_decref(a);
	json_decref(d);
	run_result_free(&m);
}

Test(vm, monitor_exits_5_when_doord_stops)
{
	const char *const args[] = { "monitor", NULL };
	struct run_result m;
	struct run_proc p;

	cr_assert_eq(run_doorctl_spawn(t.socket, NULL, &p, args), 0);
	wait_for_connections(2);
	kill(t.doord, SIGTERM);
	waitpid(t.doord, NULL, 0);
	t.doord = 0;
	cr_assert_eq(run_doorctl_finish(&p, 0, &m), 0);
	cr_assert_eq(m.status, 5, "%s", m.err);
	run_result_free(&m);
}

Test(vm, revoked_door_is_detached_and_calls_fail)
{
	struct run_result r;

	attach(t.echo);
	echo_door_revoke(&t.door);
	usleep(300 * 1000);
	RUN(&r, "call", t.echo, "--data", "x");
	/* doord drops the name of a revoked door (3); if it has not noticed
	 * yet, the call itself fails on the revoked door (1) */
	cr_assert(r.status == 3 || r.status == 1, "status %d: %s", r.status, r.err);
	cr_assert_str_eq(r.out, "");
	run_result_free(&r);
}

Test(vm, doord_not_running_exits_5)
{
	const char *const args[] = { "list", NULL };
	struct run_result r;
	char sock[200];

	snprintf(sock, sizeof(sock), "%s/nobody-listens", t.dir);
	cr_assert_eq(run_doorctl(sock, NULL, &r, args), 0);
	cr_assert_eq(r.status, 5);
	cr_assert_not_null(strstr(r.err, "Failed to connect to doord at"), "%s", r.err);
	run_result_free(&r);
}
