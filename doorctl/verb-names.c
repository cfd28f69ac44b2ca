/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* doorctl attach, doorctl detach: names in doord's table. */
#include <errno.h>
#include <stdio.h>
#include <sys/pidfd.h>
#include <unistd.h>

#include "bus.h"
#include "common.h"
#include "exit-codes.h"
#include "log.h"
#include "verbs.h"

/* A door a running process holds, duplicated into this process
 * (the kernel's ptrace access rules decide whether we may). */
static int door_from_process(pid_t pid, int target_fd)
{
	char what[64];
	int pidfd, fd;

	snprintf(what, sizeof(what), "%d", (int)pid);
	pidfd = pidfd_open(pid, 0);
	if (pidfd < 0)
		return log_failed(-errno, NULL, "open process", what);
	fd = pidfd_getfd(pidfd, target_fd, 0);
	if (fd < 0) {
		snprintf(what, sizeof(what), "%d of process %d", target_fd, (int)pid);
		fd = log_failed(-errno, NULL, "take descriptor", what);
		/* No such descriptor in that process: "no such name" (3). */
		if (fd == -EBADF)
			fd = -ENOENT;
	}
	close(pidfd);
	return fd;
}

/* The name doord recorded: {"path": ...} in JSON, else one line. */
static void show_attached(const struct args *a, const char *name)
{
	struct output o = output_for(a);
	json_t *m;

	if (a->json == JSON_MODE_OFF) {
		if (!a->quiet)
			printf("Attached '%s'.\n", name);
		return;
	}
	m = json_pack("{s:s}", "path", name);
	if (m)
		output_json(&o, m);
	json_decref(m);
}

static int attach(sd_bus *bus, int door, const char *path, const struct args *a)
{
	sd_bus_message *reply = NULL;
	const char *name;
	int file, r;

	file = open_name(path);
	if (file < 0)
		return file;
	r = bus_call(bus, "Attach", &reply, "attach a door to", path, "hh",
		     door, file);
	close(file);
	if (r >= 0 && sd_bus_message_read(reply, "s", &name) > 0)
		show_attached(a, name);
	sd_bus_message_unref(reply);
	return r;
}

int verb_attach(const struct args *a)
{
	const char *path = a->argv[0];
	sd_bus *bus = NULL;
	int door, r;

	if (a->from) {
		r = bus_connect(&bus);
		if (r < 0)
			return exit_code_from_connect_errno(r);
		door = bus_lookup(bus, a->from);
	} else {
		door = door_from_process(a->pid, a->fd);
		if (door < 0)
			return exit_code_from_errno(door);
		r = bus_connect(&bus);
		if (r < 0) {
			close(door);
			return exit_code_from_connect_errno(r);
		}
	}
	r = door;
	if (door >= 0) {
		r = attach(bus, door, path, a);
		close(door);
	}
	sd_bus_flush_close_unref(bus);
	return exit_code_from_errno(r);
}

int verb_detach(const struct args *a)
{
	const char *path = a->argv[0];
	sd_bus_message *reply = NULL;
	sd_bus *bus = NULL;
	int file, r;

	file = open_name(path);
	if (file < 0)
		return exit_code_from_errno(file);
	r = bus_connect(&bus);
	if (r < 0) {
		close(file);
		return exit_code_from_connect_errno(r);
	}
	r = bus_call(bus, "Detach", &reply, "detach", path, "h", file);
	close(file);
	sd_bus_message_unref(reply);
	sd_bus_flush_close_unref(bus);
	/* doord answers fdetach's EINVAL when nothing is attached there:
	 * for doorctl that is "not attached" (3). */
	return r == -EINVAL ? DOORCTL_EXIT_NOT_FOUND : exit_code_from_errno(r);
}
