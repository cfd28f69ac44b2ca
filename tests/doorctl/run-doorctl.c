/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run-doorctl.h"

/* Who runs doorctl: -1 for ourselves. */
static uid_t run_uid = (uid_t)-1;
static gid_t run_gid = (gid_t)-1;

static char *slurp(int fd)
{
	off_t size = lseek(fd, 0, SEEK_END);
	char *buf;

	if (size < 0 || lseek(fd, 0, SEEK_SET) < 0)
		return NULL;
	buf = calloc(1, (size_t)size + 1);
	if (buf && read(fd, buf, (size_t)size) != size) {
		free(buf);
		return NULL;
	}
	return buf;
}

static void drop_privileges(void)
{
	if (run_uid == (uid_t)-1)
		return;
	if (setgroups(0, NULL) < 0 || setresgid(run_gid, run_gid, run_gid) < 0 ||
	    setresuid(run_uid, run_uid, run_uid) < 0)
		_exit(125);
}

static void close_proc_fds(struct run_proc *p)
{
	if (p->in >= 0)
		close(p->in);
	if (p->out >= 0)
		close(p->out);
	if (p->err >= 0)
		close(p->err);
	p->in = p->out = p->err = -1;
}

static void child(const char *socket, int in, int out, int err,
		  const char *const *args)
{
	const char *argv[64] = { DOORCTL_PATH };
	size_t i;

	for (i = 0; args[i] && i + 2 < 64; i++)
		argv[i + 1] = args[i];
	if (socket)
		setenv("DOORD_SOCKET", socket, 1);
	else
		unsetenv("DOORD_SOCKET");
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		_exit(126);
	drop_privileges();
	execv(DOORCTL_PATH, (char *const *)argv);
	_exit(127);
}

/* Standard output goes to @tty when it is >= 0, else to a memfd. */
static int spawn(const char *socket, const char *input, int tty, struct run_proc *p,
		 const char *const *args)
{
	int r;

	p->pid = -1;
	p->in = p->out = p->err = -1;
	p->in = memfd_create("stdin", MFD_CLOEXEC);
	p->out = memfd_create("stdout", MFD_CLOEXEC);
	p->err = memfd_create("stderr", MFD_CLOEXEC);
	if (p->in < 0 || p->out < 0 || p->err < 0)
		goto fail;
	if (input && (write(p->in, input, strlen(input)) < 0 || lseek(p->in, 0, SEEK_SET) < 0))
		goto fail;
	p->pid = fork();
	if (p->pid < 0)
		goto fail;
	if (p->pid == 0)
		child(socket, p->in, tty >= 0 ? tty : p->out, p->err, args);
	return 0;
fail:
	r = -errno;
	close_proc_fds(p);
	return r;
}

int run_doorctl_spawn(const char *socket, const char *input, struct run_proc *p,
		      const char *const *args)
{
	return spawn(socket, input, -1, p, args);
}

int run_doorctl_finish(struct run_proc *p, int sig, struct run_result *res)
{
	int status, r = 0;

	memset(res, 0, sizeof(*res));
	if (sig)
		kill(p->pid, sig);
	if (waitpid(p->pid, &status, 0) < 0) {
		r = -errno;
		goto out;
	}
	res->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	res->out = slurp(p->out);
	res->err = slurp(p->err);
	if (!res->out || !res->err)
		r = -ENOMEM;
out:
	close_proc_fds(p);
	return r;
}

static int run(const char *socket, const char *input, unsigned interrupt_ms,
	       struct run_result *res, const char *const *args)
{
	struct timespec ts = { interrupt_ms / 1000, (interrupt_ms % 1000) * 1000000L };
	struct run_proc p;
	int r;

	r = run_doorctl_spawn(socket, input, &p, args);
	if (r < 0)
		return r;
	if (interrupt_ms)
		nanosleep(&ts, NULL);
	return run_doorctl_finish(&p, interrupt_ms ? SIGINT : 0, res);
}

int run_doorctl(const char *socket, const char *input, struct run_result *res,
		const char *const *args)
{
	return run(socket, input, 0, res, args);
}

int run_doorctl_interrupted(const char *socket, unsigned ms,
			    struct run_result *res, const char *const *args)
{
	return run(socket, NULL, ms, res, args);
}

int run_doorctl_as(uid_t uid, gid_t gid, const char *socket, struct run_result *res,
		   const char *const *args)
{
	int r;

	run_uid = uid;
	run_gid = gid;
	r = run(socket, NULL, 0, res, args);
	run_uid = (uid_t)-1;
	run_gid = (gid_t)-1;
	return r;
}

int run_doorctl_tty(const char *socket, struct run_result *res, const char *const *args)
{
	char chunk[4096], *buf = NULL;
	struct run_proc p;
	int master, slave, r;
	size_t len = 0;
	ssize_t n;
	FILE *f;

	if (openpty(&master, &slave, NULL, NULL, NULL) < 0)
		return -errno;
	r = spawn(socket, NULL, slave, &p, args);
	close(slave);
	if (r < 0) {
		close(master);
		return r;
	}
	f = open_memstream(&buf, &len);
	/* until EIO: the child has closed the terminal */
	while (f && (n = read(master, chunk, sizeof(chunk))) > 0)
		fwrite(chunk, 1, (size_t)n, f);
	close(master);
	if (f)
		fclose(f);
	r = run_doorctl_finish(&p, 0, res);
	free(res->out);
	res->out = buf;
	if (r == 0 && !buf)
		r = -ENOMEM;
	return r;
}

void run_result_free(struct run_result *res)
{
	free(res->out);
	free(res->err);
	res->out = res->err = NULL;
}
