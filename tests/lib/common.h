/*
 * Helpers shared by the libdoorclient tests.
 */
#ifndef DOOR_TEST_COMMON_H
#define DOOR_TEST_COMMON_H

#include <door.h>
#include <errno.h>
#include <grp.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <criterion/criterion.h>
/* The uapi's tags door_desc and door_info are Solaris's too: rename them. */
#define door_desc door_kdesc
#define door_info door_kinfo
#include <linux/door.h>
#undef door_desc
#undef door_info
#include "../module-features.h"

#define NOBODY 65534

/* Calls d with the bytes in/n; the results land in out (or a mapping). */
static inline int call_bytes(int d, const void *in, size_t n, void *out,
			     size_t outsz, door_arg_t *arg)
{
	memset(arg, 0, sizeof(*arg));
	arg->data_ptr = (char *)in;
	arg->data_size = n;
	arg->rbuf = out;
	arg->rsize = outsz;
	return door_call(d, arg);
}

/* sem_wait with a deadline in seconds: 0, or -1 on timeout. */
static inline int sem_wait_s(sem_t *s, int seconds)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += seconds;
	while (sem_timedwait(s, &ts) < 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

/* Drops to uid/gid NOBODY for good (the forked test process only). */
static inline int become_nobody(void)
{
	if (setgroups(0, NULL) < 0 || setresgid(NOBODY, NOBODY, NOBODY) < 0 ||
	    setresuid(NOBODY, NOBODY, NOBODY) < 0)
		return -1;
	return 0;
}

/* Runs fn(arg) in a child process; its exit status (fn's return), or -1. */
static inline int in_child(int (*fn)(void *), void *arg, bool as_nobody)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (as_nobody && become_nobody() < 0)
			_exit(125);
		_exit(fn(arg));
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static inline uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

#endif /* DOOR_TEST_COMMON_H */
