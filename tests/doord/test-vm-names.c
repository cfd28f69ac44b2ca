/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * doord through the kernel module (run in the VM, as root): attach,
 * lookup and detach with Solaris rules across uids, policy denials,
 * limits, names following their doors (revoke, server death, unlink),
 * unreferenced notification after the last detach, hostile requests,
 * the fd store across a restart, and many concurrent clients.
 */
#include <criterion/criterion.h>
#include <door.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <linux/kcmp.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helper.h"

#define OBJ "/org/doors/door1"
#define IFACE "org.doors.door1.Manager"
#define NOBODY 65534

static struct doord_proc p;
static char path[400], path2[400];

static void serve(void *cookie, char *argp, size_t n, door_desc_t *dp, uint_t nd)
{
	if (argp == DOOR_UNREF_DATA)
		sem_post(cookie);
	door_return(NULL, 0, NULL, 0);
}

static sem_t unref_sem;

static void start(const char *policy)
{
	cr_assert_eq(doord_prepare(&p, policy), 0);
	cr_assert_eq(doord_start(&p, NULL), 0, "doord did not start: %s", doord_read_log(&p));
	setenv("DOORD_SOCKET", p.socket, 1);
	snprintf(path, sizeof(path), "%s/name", p.dir);
	snprintf(path2, sizeof(path2), "%s/name2", p.dir);
	sem_init(&unref_sem, 0, 0);
}

static void make_file(const char *f, mode_t mode, uid_t uid)
{
	int fd = open(f, O_CREAT | O_WRONLY | O_CLOEXEC, mode);

	cr_assert_geq(fd, 0);
	cr_assert_eq(fchmod(fd, mode), 0);
	cr_assert_eq(fchown(fd, uid, uid), 0);
	close(fd);
}

static int new_door(void)
{
	int d = door_create(serve, &unref_sem, 0);

	cr_assert_geq(d, 0, "door_create: %s", strerror(errno));
	return d;
}

static int new_unref_door(void)
{
	int d = door_create(serve, &unref_sem, DOOR_UNREF);

	cr_assert_geq(d, 0, "door_create(DOOR_UNREF): %s (%s)", strerror(errno),
		      door_strerror_detail());
	return d;
}

static void teardown(void)
{
	doord_cleanup(&p);
}

TestSuite(vm_names, .fini = teardown, .timeout = 120);

static int call_fd(sd_bus *bus, const char *method, int fd, sd_bus_error *err, sd_bus_message **reply)
{
	return sd_bus_call_method(bus, NULL, OBJ, IFACE, method, err, reply, "h", fd);
}

Test(vm_names, lookup_returns_a_fresh_reference_to_the_attached_door)
{
	door_info_t a, b;
	int d, r;

	start(NULL);
	make_file(path, 0644, 0);
	d = new_door();
	cr_assert_eq(fattach(d, path), 0, "fattach: %s (%s)", strerror(errno), door_strerror_detail());
	r = door_open(path, O_RDONLY);
	cr_assert_geq(r, 0, "door_open: %s", strerror(errno));
	cr_assert_eq(door_info(d, &a), 0);
	cr_assert_eq(door_info(r, &b), 0);
	cr_expect_eq(a.di_uniquifier, b.di_uniquifier);
	/* A new open file, not a shared one: it counts as its own reference. */
	cr_expect_neq(syscall(SYS_kcmp, getpid(), getpid(), KCMP_FILE, d, r), 0);
	close(r);
}

Test(vm_names, attach_reports_the_path_and_list_and_info_show_the_name)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	const char *got, *lpath;
	uint64_t id, when, calls;
	uint32_t attrs, owner, mode;
	int32_t pid;
	int d, file;
	sd_bus *bus;
	door_info_t di;

	start(NULL);
	make_file(path, 0640, 0);
	d = new_door();
	cr_assert_eq(door_info(d, &di), 0);
	bus = doord_connect(&p);
	file = open(path, O_PATH | O_CLOEXEC);
	cr_assert_geq(sd_bus_call_method(bus, NULL, OBJ, IFACE, "Attach", &err, &reply, "hh", d, file), 0,
		      "%s", err.message);
	cr_assert_gt(sd_bus_message_read(reply, "s", &got), 0);
	cr_expect_str_eq(got, path);
	sd_bus_message_unref(reply);
	reply = NULL;
	cr_assert_geq(sd_bus_call_method(bus, NULL, OBJ, IFACE, "List", &err, &reply, ""), 0);
	cr_assert_gt(sd_bus_message_enter_container(reply, 'a', "(stiuuutt)"), 0);
	cr_assert_gt(sd_bus_message_read(reply, "(stiuuutt)", &lpath, &id, &pid, &attrs, &owner, &mode,
					 &when, &calls), 0);
	cr_expect_str_eq(lpath, path);
	cr_expect_eq(id, di.di_uniquifier);
	cr_expect_eq(pid, getpid());
	cr_expect_eq(attrs & (DOOR_REVOKED | DOOR_UNREF), 0);
	cr_expect_eq(owner, 0);
	cr_expect_eq(mode, 0640);
	cr_expect_gt(when, 0);
	sd_bus_message_unref(reply);
	reply = NULL;
	cr_assert_geq(call_fd(bus, "Info", file, &err, &reply), 0, "%s", err.message);
	cr_expect_gt(sd_bus_message_has_signature(reply, "a{sv}"), 0);
	sd_bus_message_unref(reply);
}

Test(vm_names, second_door_on_the_same_file_is_ebusy)
{
	int a, b;

	start(NULL);
	make_file(path, 0644, 0);
	a = new_door();
	b = new_door();
	cr_assert_eq(fattach(a, path), 0);
	cr_expect_eq(fattach(b, path), -1);
	cr_expect_eq(errno, EBUSY);
	/* The Solaris idiom: fdetach, then attach again. */
	cr_assert_eq(fdetach(path), 0);
	cr_expect_eq(fattach(b, path), 0);
}

Test(vm_names, one_door_may_be_attached_at_several_paths)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	uint32_t names = 0;
	const char *key;
	int d, file;
	sd_bus *bus;

	start(NULL);
	make_file(path, 0644, 0);
	make_file(path2, 0644, 0);
	d = new_door();
	cr_assert_eq(fattach(d, path), 0);
	cr_assert_eq(fattach(d, path2), 0);
	bus = doord_connect(&p);
	file = open(path2, O_RDONLY | O_CLOEXEC);
	cr_assert_geq(call_fd(bus, "Info", file, &err, &reply), 0, "%s", err.message);
	sd_bus_message_enter_container(reply, 'a', "{sv}");
	while (sd_bus_message_enter_container(reply, 'e', "sv") > 0) {
		sd_bus_message_read(reply, "s", &key);
		if (!strcmp(key, "Names"))
			sd_bus_message_read(reply, "v", "u", &names);
		else
			sd_bus_message_skip(reply, "v");
		sd_bus_message_exit_container(reply);
	}
	cr_expect_eq(names, 2);
	sd_bus_message_unref(reply);
}

/* Child bodies: return 0 for the expected outcome. */
static int attach_foreign_file(void)
{
	int d = door_create(serve, NULL, 0);

	if (d < 0)
		return 10;
	if (fattach(d, path) == 0)
		return 11;
	return errno == EPERM ? 0 : 12;
}

static int run_as_nobody(int (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (setgroups(0, NULL) < 0 || setresgid(NOBODY, NOBODY, NOBODY) < 0 ||
		    setresuid(NOBODY, NOBODY, NOBODY) < 0)
			_exit(99);
		_exit(fn());
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 100;
}

Test(vm_names, attach_to_a_file_of_another_user_is_eperm)
{
	start(NULL);
	make_file(path, 0666, 0);
	cr_expect_eq(run_as_nobody(attach_foreign_file), 0);
}

static int attach_readonly_own_file(void)
{
	int d = door_create(serve, NULL, 0);

	if (d < 0)
		return 10;
	if (fattach(d, path) == 0)
		return 11;
	return errno == EACCES ? 0 : 12;
}

Test(vm_names, owner_without_write_permission_gets_eacces)
{
	start(NULL);
	make_file(path, 0444, NOBODY);
	cr_expect_eq(run_as_nobody(attach_readonly_own_file), 0);
}

static int detach_foreign_name(void)
{
	if (fdetach(path) == 0)
		return 11;
	return errno == EPERM ? 0 : 12;
}

Test(vm_names, detach_by_someone_else_is_eperm_by_owner_works)
{
	int d;

	start(NULL);
	make_file(path, 0644, 0);
	d = new_door();
	cr_assert_eq(fattach(d, path), 0);
	cr_expect_eq(run_as_nobody(detach_foreign_name), 0);
	cr_expect_eq(fdetach(path), 0);
	cr_expect_eq(fdetach(path), -1);
	cr_expect_eq(errno, EINVAL);
}

static int lookup_expect_eacces(void)
{
	int r = door_open(path, O_RDONLY);

	if (r >= 0)
		return 11;
	return errno == EACCES ? 0 : 12;
}

Test(vm_names, policy_denied_lookup_is_eacces_and_logged_with_the_rule)
{
	char *log, want[1400];
	int d;

	start("{ \"rules\": [\n"
	      " { \"operations\": [\"attach\", \"lookup\"], \"action\": \"allow\" },\n"
	      " { \"operations\": [\"lookup\"], \"users\": [65534], \"action\": \"deny\" } ] }");
	make_file(path, 0644, 0);
	d = new_door();
	cr_assert_eq(fattach(d, path), 0);
	cr_expect_eq(run_as_nobody(lookup_expect_eacces), 0);
	log = doord_read_log(&p);
	snprintf(want, sizeof(want), "Denied lookup of '%s' to uid=65534 pid=", path);
	cr_expect(strstr(log, want) != NULL, "log: %s", log);
	snprintf(want, sizeof(want), "policy (rule %s/doord.json#1)", p.confdir);
	cr_expect(strstr(log, want) != NULL, "log: %s", log);
	cr_expect(strstr(log, "comm='test-vm-names'") != NULL, "log: %s", log);
	free(log);
}

Test(vm_names, attach_outside_allowed_paths_is_eacces)
{
	int d;

	start("{ \"rules\": [ { \"operations\": [\"attach\"], \"paths\": [\"/nowhere\"], \"action\": \"allow\" } ] }");
	make_file(path, 0644, 0);
	d = new_door();
	cr_expect_eq(fattach(d, path), -1);
	cr_expect_eq(errno, EACCES);
}

Test(vm_names, attachments_beyond_the_limit_are_edquot)
{
	char f[500];
	int d, i;

	start("{ \"rules\": [ { \"operations\": [\"attach\", \"lookup\"], \"action\": \"allow\" } ],"
	      " \"limits\": [ { \"attachments\": 3 } ] }");
	d = new_door();
	for (i = 0; i < 4; i++) {
		snprintf(f, sizeof(f), "%s/n%d", p.dir, i);
		make_file(f, 0644, 0);
		if (i < 3)
			cr_expect_eq(fattach(d, f), 0, "attach %d: %s", i, strerror(errno));
		else
			cr_expect(fattach(d, f) == -1 && errno == EDQUOT, "4th attach: %s", strerror(errno));
	}
	/* Detaching frees a slot. */
	snprintf(f, sizeof(f), "%s/n0", p.dir);
	cr_assert_eq(fdetach(f), 0);
	snprintf(f, sizeof(f), "%s/n3", p.dir);
	cr_expect_eq(fattach(d, f), 0);
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/*
 * The bucket holds 5 lookups and refills at 5 a second. How many of 20
 * back-to-back lookups may pass depends on how long they took (a slow
 * debug kernel takes seconds), so the bound is computed from the time
 * they took rather than assumed: never more than 5 + 5 per elapsed
 * second, and the rest refused with EAGAIN.
 */
Test(vm_names, lookups_beyond_the_rate_are_eagain)
{
	int d, i, ok = 0, again = 0;
	struct timespec t0;
	double allowed;

	start("{ \"rules\": [ { \"operations\": [\"attach\", \"lookup\"], \"action\": \"allow\" } ],"
	      " \"limits\": [ { \"attachments\": 10, \"lookups_per_second\": 5 } ] }");
	make_file(path, 0644, 0);
	d = new_door();
	cr_assert_eq(fattach(d, path), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < 20; i++) {
		int r = door_open(path, O_RDONLY);

		if (r >= 0) {
			ok++;
			close(r);
		} else if (errno == EAGAIN) {
			again++;
		}
	}
	allowed = 5 + 5 * seconds_since(&t0) + 1;
	cr_expect_geq(ok, 5);
	cr_expect_leq(ok, allowed, "%d lookups passed, at most %.1f may", ok, allowed);
	cr_expect_eq(ok + again, 20);
	if (allowed < 20)
		cr_expect_geq(again, 1);
}

/* Collects name signals from a monitoring connection. */
struct seen {
	char text[4096];
};

static int on_signal(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	struct seen *s = userdata;
	const char *path_arg, *reason = "";
	uint64_t id;
	char line[600];

	if (sd_bus_message_read(m, "st", &path_arg, &id) < 0)
		return 0;
	(void)sd_bus_message_read(m, "s", &reason);
	snprintf(line, sizeof(line), "%s %s %s;", sd_bus_message_get_member(m), path_arg, reason);
	if (strlen(s->text) + strlen(line) < sizeof(s->text))
		strcat(s->text, line);
	return 0;
}

static sd_bus *monitor(struct seen *s)
{
	sd_bus *bus = doord_connect(&p);

	cr_assert_not_null(bus);
	memset(s, 0, sizeof(*s));
	cr_assert_geq(sd_bus_match_signal(bus, NULL, NULL, OBJ, IFACE, NULL, on_signal, s), 0);
	return bus;
}

/* Processes signals until needle shows up or 10 s pass. */
static bool wait_for(sd_bus *bus, struct seen *s, const char *needle)
{
	int i;

	for (i = 0; i < 1000 && !strstr(s->text, needle); i++) {
		while (sd_bus_process(bus, NULL) > 0)
			;
		if (!strstr(s->text, needle))
			sd_bus_wait(bus, 10000);
	}
	return strstr(s->text, needle) != NULL;
}

Test(vm_names, revoke_detaches_the_name_with_signals)
{
	char want[1400];
	struct seen s;
	sd_bus *bus;
	int d;

	start(NULL);
	make_file(path, 0644, 0);
	bus = monitor(&s);
	d = new_door();
	cr_assert_eq(fattach(d, path), 0);
	snprintf(want, sizeof(want), "Attached %s ;", path);
	cr_expect(wait_for(bus, &s, want), "signals: %s", s.text);
	cr_assert_eq(door_revoke(d), 0);
	snprintf(want, sizeof(want), "Revoked %s ;Detached %s revoked;Unreferenced %s ;", path, path, path);
	cr_expect(wait_for(bus, &s, want), "signals: %s", s.text);
	cr_expect_eq(door_open(path, O_RDONLY), -1);
	cr_expect_eq(errno, ENOENT);
}

Test(vm_names, server_exit_detaches_the_name)
{
	char want[1400];
	struct seen s;
	sd_bus *bus;
	int status, go[2];
	pid_t pid;

	start(NULL);
	make_file(path, 0644, 0);
	bus = monitor(&s);
	cr_assert_eq(pipe(go), 0);
	pid = fork();
	if (pid == 0) {
		int d = door_create(serve, NULL, 0);
		char c;

		if (d < 0 || fattach(d, path) < 0)
			_exit(1);
		close(go[1]);
		(void)!read(go[0], &c, 1);	/* until the parent lets go */
		_exit(0);
	}
	close(go[0]);
	snprintf(want, sizeof(want), "Attached %s ;", path);
	cr_assert(wait_for(bus, &s, want), "signals: %s", s.text);
	close(go[1]);
	waitpid(pid, &status, 0);
	cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	snprintf(want, sizeof(want), "Detached %s server-exited;", path);
	cr_expect(wait_for(bus, &s, want), "signals: %s", s.text);
}

Test(vm_names, unlink_detaches_the_name)
{
	char want[1400];
	struct seen s;
	sd_bus *bus;
	int d;

	start(NULL);
	make_file(path, 0644, 0);
	bus = monitor(&s);
	d = new_door();
	cr_assert_eq(fattach(d, path), 0);
	cr_assert_eq(unlink(path), 0);
	snprintf(want, sizeof(want), "Detached %s unlinked;", path);
	cr_expect(wait_for(bus, &s, want), "signals: %s", s.text);
	(void)d;
}

Test(vm_names, unref_fires_after_the_last_detach_not_before)
{
	int d;

	start(NULL);
	make_file(path, 0644, 0);
	make_file(path2, 0644, 0);
	d = new_unref_door();
	cr_assert_eq(fattach(d, path), 0);
	cr_assert_eq(fattach(d, path2), 0);
	cr_assert_eq(fdetach(path), 0);
	usleep(300000);
	cr_expect_neq(sem_trywait(&unref_sem), 0, "unref while a name remained");
	cr_assert_eq(fdetach(path2), 0);
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 10;
	cr_expect_eq(sem_timedwait(&unref_sem, &ts), 0, "no unref after the last detach");
	(void)d;
}

Test(vm_names, hostile_descriptors_get_errors_and_doord_keeps_serving)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	int d, ctx, file;
	sd_bus *bus;

	start(NULL);
	make_file(path, 0644, 0);
	d = new_door();
	bus = doord_connect(&p);
	ctx = open("/dev/door", O_RDWR | O_CLOEXEC);
	cr_assert_geq(ctx, 0);
	file = open(path, O_PATH | O_CLOEXEC);
	/* A door context is not a door. */
	cr_expect_lt(sd_bus_call_method(bus, NULL, OBJ, IFACE, "Attach", &err, NULL, "hh", ctx, file), 0);
	cr_expect_eq(sd_bus_error_get_errno(&err), EINVAL);
	sd_bus_error_free(&err);
	/* A door cannot be the file a name is attached to. */
	cr_expect_lt(sd_bus_call_method(bus, NULL, OBJ, IFACE, "Attach", &err, NULL, "hh", d, d), 0);
	cr_expect_eq(sd_bus_error_get_errno(&err), EINVAL);
	sd_bus_error_free(&err);
	/* The descriptors in the wrong order. */
	cr_expect_lt(sd_bus_call_method(bus, NULL, OBJ, IFACE, "Attach", &err, NULL, "hh", file, d), 0);
	cr_expect_eq(sd_bus_error_get_errno(&err), EINVAL);
	sd_bus_error_free(&err);
	/* Looking up a door descriptor itself: nothing is attached to it. */
	cr_expect_lt(call_fd(bus, "Lookup", d, &err, NULL), 0);
	cr_expect_eq(sd_bus_error_get_errno(&err), ENOENT);
	sd_bus_error_free(&err);
	/* A revoked door cannot be attached (door_revoke closes d, so keep
	 * another descriptor of it). */
	int kept = dup(d);

	cr_assert_eq(door_revoke(d), 0);
	cr_expect_lt(sd_bus_call_method(bus, NULL, OBJ, IFACE, "Attach", &err, NULL, "hh", kept, file), 0);
	cr_expect_eq(sd_bus_error_get_errno(&err), EINVAL, "%s: %s", err.name, err.message);
	sd_bus_error_free(&err);
	cr_expect_geq(sd_bus_call_method(bus, NULL, OBJ, IFACE, "Status", &err, NULL, ""), 0);
}

static int lookup_o_path_without_read(void)
{
	int fd = open(path, O_PATH | O_CLOEXEC), r;
	sd_bus_error err = SD_BUS_ERROR_NULL;
	sd_bus *bus = doord_connect(&p);

	if (fd < 0 || !bus)
		return 10;
	r = call_fd(bus, "Lookup", fd, &err, NULL);
	if (r >= 0)
		return 11;
	return sd_bus_error_get_errno(&err) == EACCES ? 0 : 12;
}

Test(vm_names, o_path_lookup_needs_read_permission)
{
	int d;

	start(NULL);
	make_file(path, 0600, 0);
	d = new_door();
	cr_assert_eq(fattach(d, path), 0);
	cr_expect_eq(run_as_nobody(lookup_o_path_without_read), 0);
}

Test(vm_names, names_survive_a_restart_through_the_fd_store)
{
	static struct fake_store store;
	char *m;
	int d, r, i, status;

	cr_assert_eq(doord_prepare(&p, NULL), 0);
	p.store = &store;
	cr_assert_eq(doord_start(&p, NULL), 0);
	setenv("DOORD_SOCKET", p.socket, 1);
	snprintf(path, sizeof(path), "%s/name", p.dir);
	snprintf(path2, sizeof(path2), "%s/name2", p.dir);
	make_file(path, 0644, 0);
	make_file(path2, 0644, 0);
	d = new_door();
	cr_assert_eq(fattach(d, path), 0);
	cr_assert_eq(fattach(d, path2), 0);
	cr_assert_eq(fdetach(path2), 0);
	doord_notify_drain(&p, 300);
	cr_expect_eq(store.n, 2, "store holds %d descriptors", store.n);
	for (i = 0; i < store.n; i++)
		cr_expect(strncmp(store.names[i], "door-", 5) == 0 || strncmp(store.names[i], "file-", 5) == 0,
			  "name %s", store.names[i]);
	status = doord_stop(&p);
	cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* What the service manager does on restart. */
	cr_assert_eq(doord_start_from_store(&p), 0);
	r = door_open(path, O_RDONLY);
	cr_expect_geq(r, 0, "lookup after restart: %s", strerror(errno));
	cr_expect_eq(door_open(path2, O_RDONLY), -1);
	m = doord_read_log(&p);
	cr_expect(strstr(m, "Restored 1 names from the fd store") != NULL, "log: %s", m);
	free(m);
}

Test(vm_names, two_hundred_concurrent_clients_look_up_without_error, .timeout = 300)
{
	enum { CLIENTS = 200, LOOKUPS = 10 };
	pid_t pids[CLIENTS];
	int d, i, failed = 0;

	start(NULL);
	make_file(path, 0644, 0);
	d = new_door();
	cr_assert_eq(fattach(d, path), 0);
	for (i = 0; i < CLIENTS; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			int k;

			for (k = 0; k < LOOKUPS; k++) {
				int r = door_open(path, O_RDONLY);

				if (r < 0) {
					fprintf(stderr, "client %d lookup %d: %s (%s)\n", i, k,
						strerror(errno), door_strerror_detail());
					_exit(1);
				}
				close(r);
			}
			_exit(0);
		}
	}
	for (i = 0; i < CLIENTS; i++) {
		int status;

		waitpid(pids[i], &status, 0);
		failed += !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	cr_expect_eq(failed, 0, "%d of %d clients failed; doord: %s", failed, CLIENTS, doord_read_log(&p));
}

/* Waits until doord takes more from the flooder's socket; false once
 * doord has hung up on it. */
static bool wait_writable(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };

	if (poll(&pfd, 1, 60 * 1000) <= 0)
		return true;	/* try the send; it reports what happened */
	return !(pfd.revents & (POLLHUP | POLLERR));
}

static int send_lookup(sd_bus *bus, int file)
{
	sd_bus_message *m = NULL;
	uint64_t cookie;
	int r;

	r = sd_bus_message_new_method_call(bus, &m, NULL, OBJ, IFACE, "Lookup");
	if (r >= 0)
		r = sd_bus_message_append(m, "h", file);
	/* With a cookie to fill in the request asks for a reply. */
	if (r >= 0)
		r = sd_bus_send(bus, m, &cookie);
	/* Written now, not queued here: the backlog must pile up in doord. */
	if (r >= 0)
		r = sd_bus_flush(bus);
	sd_bus_message_unref(m);
	return r;
}

enum { FLOOD_DROPPED = 0, FLOOD_SERVED = 1, FLOOD_BROKEN = 2 };

/*
 * In a child: sends FLOOD requests for @file and never reads a reply;
 * writes a byte on @ready once the flood is under way. Exits with
 * FLOOD_DROPPED when doord hangs up on it.
 */
static void flood(const char *file, int ready)
{
	enum { FLOOD = 2000, UNDER_WAY = 100 };
	struct pollfd pfd;
	sd_bus *bus = doord_connect(&p);
	int fd = open(file, O_RDONLY | O_CLOEXEC), i;

	/* The handshake first, so that only Lookups are left unanswered. */
	if (!bus || fd < 0 ||
	    sd_bus_call_method(bus, NULL, OBJ, IFACE, "Status", NULL, NULL, "") < 0)
		_exit(FLOOD_BROKEN);
	for (i = 0; i < FLOOD; i++) {
		if (i == UNDER_WAY && write(ready, "x", 1) != 1)
			_exit(FLOOD_BROKEN);
		if (!wait_writable(sd_bus_get_fd(bus)) || send_lookup(bus, fd) < 0)
			_exit(FLOOD_DROPPED);
	}
	pfd = (struct pollfd){ .fd = sd_bus_get_fd(bus), .events = POLLRDHUP };
	if (poll(&pfd, 1, 60 * 1000) == 1 && (pfd.revents & POLLHUP))
		_exit(FLOOD_DROPPED);
	_exit(FLOOD_SERVED);
}

static pid_t start_flood(void)
{
	int fds[2];
	pid_t pid;
	char c;

	cr_assert_eq(pipe2(fds, O_CLOEXEC), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		close(fds[0]);
		flood(path, fds[1]);
	}
	close(fds[1]);
	cr_assert_eq(read(fds[0], &c, 1), 1, "the flooding client failed before flooding");
	close(fds[0]);
	return pid;
}

static void attach_one(void)
{
	start(NULL);
	make_file(path, 0644, 0);
	cr_assert_eq(fattach(new_door(), path), 0, "fattach: %s (%s)", strerror(errno),
		     door_strerror_detail());
}

Test(vm_names, a_flooding_client_does_not_stop_another_clients_lookup, .timeout = 300)
{
	pid_t flooder;
	int r;

	attach_one();
	flooder = start_flood();
	r = door_open(path, O_RDONLY);
	cr_expect_geq(r, 0, "lookup during the flood: %s (%s)", strerror(errno),
		      door_strerror_detail());
	if (r >= 0)
		close(r);
	kill(flooder, SIGKILL);
	waitpid(flooder, NULL, 0);
}

Test(vm_names, a_client_that_never_reads_its_replies_is_disconnected, .timeout = 300)
{
	int status;
	pid_t flooder;
	char *log;

	attach_one();
	flooder = start_flood();
	cr_assert_eq(waitpid(flooder, &status, 0), flooder);
	cr_assert(WIFEXITED(status), "the flooding client was killed");
	log = doord_read_log(&p);
	cr_expect_eq(WEXITSTATUS(status), FLOOD_DROPPED,
		     "doord kept serving a client that reads nothing; doord: %s", log);
	cr_expect_not_null(strstr(log, "messages unread"), "doord: %s", log);
	free(log);
}

/* Whether this kernel gives a socket peer's pidfd (Linux 6.5 and later). */
static bool kernel_has_peer_pidfd(void)
{
	int sv[2], pidfd = -1;
	socklen_t len = sizeof(pidfd);
	bool ok;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return false;
	ok = getsockopt(sv[0], SOL_SOCKET, 77 /* SO_PEERPIDFD */, &pidfd, &len) == 0;
	if (ok)
		close(pidfd);
	close(sv[0]);
	close(sv[1]);
	return ok;
}

/* A process with @pid (the next pid the kernel hands out is forced). */
static pid_t fork_with_pid(pid_t pid, const char *comm)
{
	FILE *f = fopen("/proc/sys/kernel/ns_last_pid", "w");
	pid_t child;

	if (!f)
		return -1;
	fprintf(f, "%d", (int)pid - 1);
	fclose(f);
	child = fork();
	if (child == 0) {
		prctl(PR_SET_NAME, comm);
		pause();
		_exit(0);
	}
	return child;
}

Test(vm_names, a_request_whose_sender_has_exited_and_pid_was_reused_is_ignored)
{
	int ready[2], go[2], d;
	pid_t client, impostor;
	char c, *log = NULL;

	if (!kernel_has_peer_pidfd())
		cr_skip_test("the kernel gives no SO_PEERPIDFD (Linux 6.5 and later)");
	start(NULL);
	make_file(path, 0644, 0);
	d = new_door();
	cr_assert_eq(fattach(d, path), 0, "fattach: %s", strerror(errno));
	cr_assert_eq(pipe(ready), 0);
	cr_assert_eq(pipe(go), 0);
	client = fork();
	if (client == 0) {
		sd_bus *bus = doord_connect(&p);
		int fd = open(path, O_RDONLY | O_CLOEXEC);

		if (!bus || fd < 0 ||
		    sd_bus_call_method(bus, NULL, OBJ, IFACE, "Status", NULL, NULL, "") < 0 ||
		    write(ready[1], "r", 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(1);
		_exit(send_lookup(bus, fd) < 0);	/* and gone before doord reads it */
	}
	cr_assert_eq(read(ready[0], &c, 1), 1, "the client could not reach doord");
	cr_assert_eq(kill(p.pid, SIGSTOP), 0);
	cr_assert_eq(write(go[1], "g", 1), 1);
	cr_assert_eq(waitpid(client, NULL, 0), client);
	impostor = fork_with_pid(client, "impostor");
	cr_assert_eq(impostor, client, "could not give the client's pid to another process");
	cr_assert_eq(kill(p.pid, SIGCONT), 0);
	for (int i = 0; i < 200; i++) {
		free(log);
		log = doord_read_log(&p);
		if (log && strstr(log, "Ignoring Lookup from pid"))
			break;
		usleep(50000);
	}
	kill(impostor, SIGKILL);
	waitpid(impostor, NULL, 0);
	cr_assert(log && strstr(log, "Ignoring Lookup from pid"), "doord log:\n%s", log ? log : "");
	cr_assert_null(strstr(log, "impostor"), "doord took the new process for the caller:\n%s", log);
	free(log);
}
