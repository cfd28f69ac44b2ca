/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A real door server for doorctl's VM tests, on door.ko's raw uapi:
 * one door served by two threads of the calling process.
 *   "fd"   -> reply "here" with one descriptor (read-only /etc/hostname)
 *   other  -> reply "echo:" + the data, then ":desc=N" when N
 *             descriptors came with the call (they are closed)
 */
#ifndef ECHO_DOOR_H
#define ECHO_DOOR_H

#include <pthread.h>
#include <stdint.h>

#define ECHO_DOOR_THREADS 2

struct echo_door {
	int ctx;		/* /dev/door context */
	int door;		/* the door descriptor */
	uint64_t id;		/* its id */
	pthread_t threads[ECHO_DOOR_THREADS];
};

/* 0 or a negative errno. */
int echo_door_start(struct echo_door *e);

/* Revoke the door. The parked threads stay until the test process
 * exits (each criterion test runs in a process of its own). */
void echo_door_revoke(struct echo_door *e);

#endif
