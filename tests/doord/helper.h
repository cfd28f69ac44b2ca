/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef TESTS_DOORD_HELPER_H
#define TESTS_DOORD_HELPER_H

/*
 * Runs a real doord for a test: its own temporary directory (socket,
 * policy), and the service manager's side of sd_notify (a datagram
 * socket named by NOTIFY_SOCKET), so a test knows when doord is ready
 * and sees every notification it sends.
 */

#include <pthread.h>
#include <stdbool.h>
#include <sys/types.h>
#include <systemd/sd-bus.h>

/* The service manager's fd store, played by the test. */
#define FAKE_STORE_MAX 4096
struct fake_store {
	int n;
	int fds[FAKE_STORE_MAX];
	char names[FAKE_STORE_MAX][256];
};

struct doord_proc {
	pid_t pid;
	char dir[256];
	char socket[300];
	char confdir[300];
	char notify_path[300];
	int notify_fd;
	int exit_status;	/* when start failed with -ECHILD */
	char seen[65536];	/* notifications passed over while waiting */
	struct fake_store *store;	/* when set, FDSTORE=1 keeps descriptors */
	pthread_t thread;		/* reads the notify socket, as a manager does */
	bool thread_running;
	volatile bool stop;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	void *head, *tail;		/* received notifications, oldest first */
};

/* Writes DIR/conf/doord.json (policy may be NULL: allow everything). */
int doord_write_policy(struct doord_proc *p, const char *name, const char *json);

/* Prepares the directory; start runs doord and waits for READY=1.
 * extra_env: "NAME=VALUE" or NULL. */
int doord_prepare(struct doord_proc *p, const char *policy);
int doord_start(struct doord_proc *p, const char *extra_env);
int doord_start_default(struct doord_proc *p);
/* Passes fds[0..n) as socket-activation/fd-store descriptors with the
 * colon-separated names (LISTEN_FDS, LISTEN_FDNAMES). */
int doord_start_fds(struct doord_proc *p, const char *extra_env, const int *fds,
		    const char *names, int n);
/* doord's stderr so far (never NULL unless out of memory). */
char *doord_read_log(const struct doord_proc *p);
/* Wait status once doord exits, -1 after timeout_ms. */
int doord_wait_exit(struct doord_proc *p, int timeout_ms);

/* Next notification datagram (with its descriptors closed), or NULL
 * after timeout_ms. The caller frees it. */
char *doord_notify_recv(struct doord_proc *p, int timeout_ms);
/* Waits for a datagram containing needle; returns it or NULL. */
char *doord_notify_wait(struct doord_proc *p, const char *needle, int timeout_ms);

/* Reads every pending notification within timeout_ms (for the store). */
void doord_notify_drain(struct doord_proc *p, int timeout_ms);
/* Passes the store's descriptors to a new doord, as systemd does. */
int doord_start_from_store(struct doord_proc *p);

sd_bus *doord_connect(const struct doord_proc *p);
/* anonymous false: SASL EXTERNAL, as libdoorclient connects. */
sd_bus *doord_connect_auth(const struct doord_proc *p, bool anonymous);

/* SIGTERM and wait: returns the wait status. */
int doord_stop(struct doord_proc *p);
void doord_cleanup(struct doord_proc *p);

/* Path of the doord binary under test. */
const char *doord_binary(void);

#endif
