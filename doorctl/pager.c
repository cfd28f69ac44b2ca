/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pager.h"

static pid_t pager_pid;

static void run_pager(int fds[2], const char *pager)
{
	if (dup2(fds[0], STDIN_FILENO) < 0)
		_exit(EXIT_FAILURE);
	close(fds[0]);
	close(fds[1]);
	/* less: quit if one screen, keep colours, no init, allow keys */
	setenv("LESS", "FRSXMK", 0);
	execlp("/bin/sh", "sh", "-c", pager, (char *)NULL);
	_exit(EXIT_FAILURE);
}

/* Is PROG an executable on $PATH? */
static bool on_path(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[4096];
	size_t n;

	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		n = strcspn(path, ":");
		if (n && snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, path, prog) <
				 (int)sizeof(buf) &&
		    access(buf, X_OK) == 0)
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

/* $PAGER as given, else less or more when installed, else none:
 * output must never vanish into a pager that cannot start. */
static const char *choose_pager(void)
{
	const char *pager = getenv("PAGER");

	if (pager)
		return *pager && strcmp(pager, "cat") ? pager : NULL;
	if (on_path("less"))
		return "less";
	if (on_path("more"))
		return "more";
	return NULL;
}

void pager_open(void)
{
	const char *pager;
	int fds[2];
	pid_t pid;

	if (pager_pid > 0 || !isatty(STDOUT_FILENO))
		return;
	pager = choose_pager();
	if (!pager)
		return;
	if (pipe2(fds, O_CLOEXEC) < 0)
		return;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (pid == 0)
		run_pager(fds, pager);
	if (dup2(fds[1], STDOUT_FILENO) < 0) {
		close(fds[0]);
		close(fds[1]);
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
		return;
	}
	close(fds[0]);
	close(fds[1]);
	/* A user quitting the pager early must not kill us with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	pager_pid = pid;
}

void pager_close(void)
{
	if (pager_pid <= 0)
		return;
	fflush(stdout);
	fclose(stdout);
	while (waitpid(pager_pid, NULL, 0) < 0 && errno == EINTR)
		;
	pager_pid = 0;
}
