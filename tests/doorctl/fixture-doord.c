/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* TEST FIXTURE: see fixture-doord.h. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <systemd/sd-bus.h>
#include <unistd.h>

#include "fixture-doord.h"

#define OBJECT "/org/doors/door1"
#define INTERFACE "org.doors.door1.Manager"

static const char *attached_file;

static int same_file(int fd, const char *path)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 && stat(path, &b) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static int method_status(sd_bus_message *m, void *ud, sd_bus_error *e)
{
	return sd_bus_reply_method_return(m, "a{sv}", 5,
		"Version", "s", FIXTURE_VERSION,
		"State", "s", FIXTURE_STATE,
		"Names", "u", 2,
		"PolicyFiles", "as", 1, FIXTURE_POLICY_FILE,
		"StartTime", "t", FIXTURE_START_TIME);
}

static int method_list(sd_bus_message *m, void *ud, sd_bus_error *e)
{
	return sd_bus_reply_method_return(m, "a(stiuuutt)", 2,
		FIXTURE_PATH_A, FIXTURE_ID_A, (int32_t)1, (uint32_t)0x01,
		(uint32_t)0, (uint32_t)0600, FIXTURE_START_TIME, (uint64_t)0,
		FIXTURE_PATH_B, FIXTURE_ID_B, (int32_t)999999, (uint32_t)0x0a,
		(uint32_t)65534, (uint32_t)0644, FIXTURE_START_TIME + 1000000,
		FIXTURE_CALLS_B);
}

static int method_info(sd_bus_message *m, void *ud, sd_bus_error *e)
{
	int fd, r;

	r = sd_bus_message_read(m, "h", &fd);
	if (r < 0)
		return r;
	if (!same_file(fd, attached_file))
		return sd_bus_error_set_errnof(e, ENOENT, "No door is attached there");
	return sd_bus_reply_method_return(m, "a{sv}", 6,
		"Path", "s", attached_file,
		"Id", "t", FIXTURE_ID_A,
		"ServerPid", "i", (int32_t)1,
		"Attributes", "u", (uint32_t)0x11,
		"Owner", "u", (uint32_t)0,
		"LatencyHistogram", "at", 3, (uint64_t)0, (uint64_t)5, (uint64_t)2);
}

static int method_detach(sd_bus_message *m, void *ud, sd_bus_error *e)
{
	int fd, r;

	r = sd_bus_message_read(m, "h", &fd);
	if (r < 0)
		return r;
	/* doord answers fdetach's EINVAL when nothing is attached */
	if (!same_file(fd, attached_file))
		return sd_bus_error_set_errnof(e, EINVAL, "No door is attached there");
	return sd_bus_error_set_errnof(e, EPERM, "Only the owner may detach this name");
}

static int method_reload(sd_bus_message *m, void *ud, sd_bus_error *e)
{
	return sd_bus_reply_method_return(m, "");
}

static const sd_bus_vtable vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD("Status", "", "a{sv}", method_status, 0),
	SD_BUS_METHOD("List", "", "a(stiuuutt)", method_list, 0),
	SD_BUS_METHOD("Info", "h", "a{sv}", method_info, 0),
	SD_BUS_METHOD("Detach", "h", "", method_detach, 0),
	SD_BUS_METHOD("Reload", "", "", method_reload, 0),
	SD_BUS_SIGNAL("Attached", "st", 0),
	SD_BUS_SIGNAL("Detached", "sts", 0),
	SD_BUS_VTABLE_END,
};

static void emit_events(sd_bus *bus)
{
	sd_bus_emit_signal(bus, OBJECT, INTERFACE, "Attached", "st",
			   FIXTURE_SIGNAL_PATH, FIXTURE_SIGNAL_ID);
	sd_bus_emit_signal(bus, OBJECT, INTERFACE, "Detached", "sts",
			   FIXTURE_SIGNAL_PATH, FIXTURE_SIGNAL_ID,
			   FIXTURE_DETACH_REASON);
}

/* Serve one client until it hangs up. */
static void serve(int fd)
{
	sd_id128_t id = SD_ID128_MAKE(d0,0c,71,f1,78,75,4e,d0,a0,11,fe,ed,00,00,00,01);
	sd_bus *bus = NULL;
	int r, sent = 0;

	if (sd_bus_new(&bus) < 0 || sd_bus_set_fd(bus, fd, fd) < 0 ||
	    sd_bus_set_server(bus, 1, id) < 0 || sd_bus_set_anonymous(bus, 1) < 0 ||
	    sd_bus_negotiate_fds(bus, 1) < 0 ||
	    sd_bus_add_object_vtable(bus, NULL, OBJECT, INTERFACE, vtable, NULL) < 0 ||
	    sd_bus_start(bus) < 0)
		_exit(1);
	for (;;) {
		r = sd_bus_process(bus, NULL);
		if (r < 0)
			break;
		if (r > 0)
			continue;
		/* After the client's first request: it is listening now. */
		if (!sent && sd_bus_is_ready(bus) > 0) {
			emit_events(bus);
			sent = 1;
			continue;
		}
		if (sd_bus_wait(bus, UINT64_MAX) < 0)
			break;
	}
	sd_bus_flush_close_unref(bus);
	_exit(0);
}

static void accept_loop(int listener)
{
	signal(SIGCHLD, SIG_IGN);
	for (;;) {
		int fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC);

		if (fd < 0)
			continue;
		if (fork() == 0) {
			close(listener);
			serve(fd);
		}
		close(fd);
	}
}

int fixture_start(struct fixture *f)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int listener, fd;

	strcpy(f->dir, "/tmp/doorctl-fixture-XXXXXX");
	if (!mkdtemp(f->dir))
		return -errno;
	snprintf(f->socket, sizeof(f->socket), "%s/bus", f->dir);
	snprintf(f->attached, sizeof(f->attached), "%s/attached", f->dir);
	fd = open(f->attached, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	close(fd);
	listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (listener < 0)
		return -errno;
	strcpy(sa.sun_path, f->socket);
	if (bind(listener, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(listener, 16) < 0) {
		close(listener);
		return -errno;
	}
	f->pid = fork();
	if (f->pid < 0) {
		close(listener);
		return -errno;
	}
	if (f->pid == 0) {
		attached_file = f->attached;
		/* Die with the test so no server outlives it. */
		setpgid(0, 0);
		accept_loop(listener);
	}
	/* Also here: the child may not have run yet when we kill it. */
	setpgid(f->pid, f->pid);
	close(listener);
	return 0;
}

void fixture_kill(struct fixture *f)
{
	if (f->pid > 0) {
		kill(-f->pid, SIGKILL);
		kill(f->pid, SIGKILL);
		waitpid(f->pid, NULL, 0);
		f->pid = 0;
	}
}

void fixture_stop(struct fixture *f)
{
	fixture_kill(f);
	unlink(f->socket);
	unlink(f->attached);
	rmdir(f->dir);
}
