/*
 * Starting a private doord for a test: its own socket and a policy that
 * lets everybody attach and look up, in a fresh directory under /tmp.
 */
#ifndef DOOR_TEST_DOORD_H
#define DOOR_TEST_DOORD_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define DOORD_BINARY TESTS_BUILDDIR "/doord/doord"
#define OPEN_POLICY \
	"{ \"rules\": [ { \"operations\": [ \"attach\", \"lookup\" ], \"action\": \"allow\" } ] }\n"

struct test_doord {
	pid_t pid;
	char dir[64];
	char socket[128];
};

static inline bool doord_listening(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool ok;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	ok = fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	if (fd >= 0)
		close(fd);
	return ok;
}

/* 0, or -1 with the reason in why. Sets DOORD_SOCKET for the library. */
static inline int doord_start(struct test_doord *d, char *why, size_t len)
{
	char policy[128];
	FILE *f;

	if (access(DOORD_BINARY, X_OK) != 0) {
		snprintf(why, len, "%s is not built", DOORD_BINARY);
		return -1;
	}
	snprintf(d->dir, sizeof(d->dir), "/tmp/doord-test.XXXXXX");
	if (!mkdtemp(d->dir)) {
		snprintf(why, len, "mkdtemp: %s", strerror(errno));
		return -1;
	}
	chmod(d->dir, 0755);
	snprintf(policy, sizeof(policy), "%s/doord.json", d->dir);
	snprintf(d->socket, sizeof(d->socket), "%s/bus", d->dir);
	f = fopen(policy, "w");
	if (!f || fputs(OPEN_POLICY, f) < 0 || fclose(f) != 0) {
		snprintf(why, len, "cannot write %s", policy);
		return -1;
	}
	d->pid = fork();
	if (d->pid < 0) {
		snprintf(why, len, "fork: %s", strerror(errno));
		return -1;
	}
	if (d->pid == 0) {
		execl(DOORD_BINARY, "doord", "--socket", d->socket, "--config-dir",
		      d->dir, "--foreground", (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 500 && !doord_listening(d->socket); i++) {
		if (waitpid(d->pid, NULL, WNOHANG) == d->pid) {
			snprintf(why, len, "doord exited at start");
			return -1;
		}
		usleep(20000);
	}
	if (!doord_listening(d->socket)) {
		snprintf(why, len, "doord is not listening on %s", d->socket);
		return -1;
	}
	setenv("DOORD_SOCKET", d->socket, 1);
	return 0;
}

static inline void doord_stop(struct test_doord *d)
{
	char path[160];

	if (d->pid > 0) {
		kill(d->pid, SIGTERM);
		waitpid(d->pid, NULL, 0);
		d->pid = 0;
	}
	snprintf(path, sizeof(path), "%s/doord.json", d->dir);
	unlink(path);
	unlink(d->socket);
	rmdir(d->dir);
}

#endif /* DOOR_TEST_DOORD_H */
