// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `perf bench sched pipe`, the yardstick kernel developers use: two
 * processes ping-ponging one word over a pair of pipes. We run it and
 * read its "usecs/op" (one op is one round trip).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static int perf_version(char *version, size_t vlen)
{
	FILE *f = popen("perf --version 2>&1", "r");
	char line[160] = "";
	int st;

	if (!f)
		return -errno;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	st = pclose(f);
	line[strcspn(line, "\n")] = '\0';
	snprintf(version, vlen, "%s", line);
	return st == 0 && strncmp(line, "perf version", 12) == 0 ? 0 : -ENOENT;
}

static int perf_pipe_once(unsigned long loops, bool pin_same, double *ns)
{
	char cmd[160], line[256];
	double usecs = -1;
	FILE *f;
	int st;

	snprintf(cmd, sizeof(cmd), "%sperf bench sched pipe -l %lu 2>&1",
		 pin_same ? "taskset -c 0 " : "", loops);
	f = popen(cmd, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		double v;

		if (strstr(line, "usecs/op") && sscanf(line, " %lf", &v) == 1)
			usecs = v;
	}
	st = pclose(f);
	if (st != 0 || usecs < 0)
		return -EIO;
	*ns = usecs * 1000.0;
	return 0;
}

int perf_pipe_measure(unsigned long loops, unsigned int repeats, bool pin_same,
		      char *version, size_t vlen, struct sample_result *r)
{
	double sum = 0, ns;
	unsigned int i;
	int err;

	memset(r, 0, sizeof(*r));
	if (perf_version(version, vlen) < 0) {
		snprintf(r->why, sizeof(r->why), "not available: perf: %s",
			 version[0] ? version : "not found");
		return r->status = -ENOENT;
	}
	r->min_ns = 1e300;
	for (i = 0; i < repeats; i++) {
		err = perf_pipe_once(loops, pin_same, &ns);
		if (err) {
			snprintf(r->why, sizeof(r->why),
				 "perf bench sched pipe failed: %s",
				 strerror(-err));
			return r->status = err;
		}
		sum += ns;
		if (ns < r->min_ns)
			r->min_ns = ns;
		if (ns > r->max_ns)
			r->max_ns = ns;
	}
	r->calls = loops;
	r->repeats = repeats;
	r->mean_ns = sum / repeats;
	r->calls_per_sec = 1e9 / r->mean_ns;
	return 0;
}
