/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * TEST FIXTURE, not doord: a small peer-to-peer sd-bus server that
 * speaks a subset of doord's org.doors.door1.Manager API (Status, List,
 * Info, Detach, Reload and the Attached/Detached signals) with known
 * answers, so host tests can check what doorctl prints and which exit
 * code it chooses without door.ko. The end-to-end tests against the
 * real doord are in vm-doorctl.c.
 */
#ifndef FIXTURE_DOORD_H
#define FIXTURE_DOORD_H

#include <stdint.h>
#include <sys/types.h>

/* What the fixture reports; List() gives both entries. */
#define FIXTURE_VERSION		"fixture-1"
#define FIXTURE_STATE		"running"
#define FIXTURE_POLICY_FILE	"/etc/doord/doord.json"
#define FIXTURE_START_TIME	1700000000000000ULL
#define FIXTURE_PATH_A		"/run/doors/alpha"
#define FIXTURE_ID_A		41ULL
#define FIXTURE_PATH_B		"/run/doors/beta"
#define FIXTURE_ID_B		42ULL
#define FIXTURE_CALLS_B		123456ULL
/* Sent to every client shortly after it connects. */
#define FIXTURE_SIGNAL_PATH	"/run/doors/gamma"
#define FIXTURE_SIGNAL_ID	77ULL
#define FIXTURE_DETACH_REASON	"server exited"

struct fixture {
	char dir[64];		/* private temporary directory */
	char socket[128];	/* DIR/bus */
	char attached[128];	/* DIR/attached: Info() knows this file */
	pid_t pid;		/* the serving process */
};

/* Start serving in a child process; 0 or a negative errno. */
int fixture_start(struct fixture *f);

/* Stop the server (if running) and remove its files. */
void fixture_stop(struct fixture *f);

/* Kill the server but keep the files (doord crashed). */
void fixture_kill(struct fixture *f);

#endif
