/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Run the built doorctl program and capture what it prints. */
#ifndef RUN_DOORCTL_H
#define RUN_DOORCTL_H

#include <stddef.h>
#include <sys/types.h>

struct run_result {
	int status;	/* exit code, or 128 + signal */
	char *out;	/* stdout, NUL-terminated */
	char *err;	/* stderr */
};

/*
 * Run DOORCTL_PATH with the NULL-terminated @args (after argv[0]) and
 * DOORD_SOCKET=@socket (unset when NULL), stdin from @input (may be
 * NULL: /dev/null). Returns 0 or a negative errno.
 */
int run_doorctl(const char *socket, const char *input, struct run_result *res,
		const char *const *args);

/* Same, but sends SIGINT after @ms milliseconds (for monitor). */
int run_doorctl_interrupted(const char *socket, unsigned ms,
			    struct run_result *res, const char *const *args);

/* Same as run_doorctl(), as user @uid (its groups dropped, its
 * primary group @gid). */
int run_doorctl_as(uid_t uid, gid_t gid, const char *socket, struct run_result *res,
		   const char *const *args);

/* With standard output on a terminal (a pty); what it printed, with
 * the terminal's CR LF line ends, lands in res->out. */
int run_doorctl_tty(const char *socket, struct run_result *res, const char *const *args);

/* Running in the background: spawn, then finish (sending @sig first
 * unless it is 0) to wait and collect. */
struct run_proc {
	pid_t pid;
	int in, out, err;
};

int run_doorctl_spawn(const char *socket, const char *input, struct run_proc *p,
		      const char *const *args);
int run_doorctl_finish(struct run_proc *p, int sig, struct run_result *res);

void run_result_free(struct run_result *res);

#endif
