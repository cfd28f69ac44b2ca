/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Lookup latency and throughput with many names attached (run in the VM
 * as root): attaches one door at N files, then measures Lookup round
 * trips over one connection at 1,000 names and at N names.
 *
 *   bench-names [N [LOOKUPS]]     (defaults: 100000, 20000)
 */
#include <door.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "helper.h"

#define OBJ "/org/doors/door1"
#define IFACE "org.doors.door1.Manager"

static struct doord_proc p;

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void serve(void *c, char *a, size_t n, door_desc_t *d, uint_t nd)
{
	door_return(NULL, 0, NULL, 0);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static long vm_rss_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* Every name is two open files in doord: 100,000 names need more than
 * the default fs.file-max of a 2 GiB guest. */
static void raise_file_max(long want)
{
	long cur = 0;
	FILE *f = fopen("/proc/sys/fs/file-max", "re");

	if (f) {
		if (fscanf(f, "%ld", &cur) != 1)
			cur = 0;
		fclose(f);
	}
	if (cur >= want)
		return;
	f = fopen("/proc/sys/fs/file-max", "we");
	if (f) {
		fprintf(f, "%ld\n", want);
		fclose(f);
	}
}

static void file_name(char *buf, size_t size, long i)
{
	snprintf(buf, size, "%s/names/%ld", p.dir, i);
}

static int measure(sd_bus *bus, long names, long lookups)
{
	double *lat = calloc((size_t)lookups, sizeof(double)), total = 0;
	char f[400];
	long i;

	if (!lat)
		return -ENOMEM;
	srand(42);
	for (i = 0; i < lookups; i++) {
		sd_bus_error err = SD_BUS_ERROR_NULL;
		sd_bus_message *reply = NULL;
		double t0;
		int fd, r;

		file_name(f, sizeof(f), rand() % names);
		fd = open(f, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		t0 = now_us();
		r = sd_bus_call_method(bus, NULL, OBJ, IFACE, "Lookup", &err, &reply, "h", fd);
		lat[i] = now_us() - t0;
		total += lat[i];
		close(fd);
		if (r < 0) {
			fprintf(stderr, "lookup %ld: %s\n", i, err.message);
			return r;
		}
		sd_bus_message_unref(reply);	/* closes the received door */
	}
	qsort(lat, (size_t)lookups, sizeof(double), cmp_double);
	printf("names=%ld lookups=%ld p50=%.1fus p99=%.1fus max=%.1fus lookups/s=%.0f\n", names, lookups,
	       lat[lookups / 2], lat[lookups * 99 / 100], lat[lookups - 1], lookups / (total / 1e6));
	free(lat);
	return 0;
}

static int attach_range(sd_bus *bus, int door, long from, long to)
{
	char f[400];
	long i;

	for (i = from; i < to; i++) {
		sd_bus_error err = SD_BUS_ERROR_NULL;
		int fd;

		file_name(f, sizeof(f), i);
		fd = open(f, O_CREAT | O_RDONLY | O_CLOEXEC, 0644);
		if (fd < 0)
			return -errno;
		if (sd_bus_call_method(bus, NULL, OBJ, IFACE, "Attach", &err, NULL, "hh", door, fd) < 0) {
			fprintf(stderr, "attach %ld: %s\n", i, err.message);
			return -EIO;
		}
		close(fd);
	}
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000, lookups = argc > 2 ? atol(argv[2]) : 20000;
	long rss0, rss1;
	double t0, t;
	char dir[400];
	sd_bus *bus;
	int door, r;

	if (n < 1000)
		n = 1000;
	raise_file_max(4 * n + 65536);
	r = doord_prepare(&p, NULL);
	if (r >= 0)
		r = doord_start(&p, NULL);
	if (r < 0) {
		fprintf(stderr, "cannot start doord: %s\n", strerror(-r));
		return 1;
	}
	snprintf(dir, sizeof(dir), "%s/names", p.dir);
	mkdir(dir, 0755);
	bus = doord_connect(&p);
	door = door_create(serve, NULL, 0);
	if (!bus || door < 0) {
		fprintf(stderr, "setup failed\n");
		goto fail;
	}
	rss0 = vm_rss_kb(p.pid);
	if (attach_range(bus, door, 0, 1000) < 0 || measure(bus, 1000, lookups) < 0)
		goto fail;
	t0 = now_us();
	if (attach_range(bus, door, 1000, n) < 0)
		goto fail;
	t = now_us() - t0;
	rss1 = vm_rss_kb(p.pid);
	printf("attached %ld names: %.0f attaches/s; doord VmRSS %ld kB -> %ld kB (%.0f bytes/name)\n",
	       n, (n - 1000) / (t / 1e6), rss0, rss1, (rss1 - rss0) * 1024.0 / n);
	if (measure(bus, n, lookups) < 0)
		goto fail;
	doord_cleanup(&p);
	return 0;
fail:
	{
		char *log = doord_read_log(&p);

		fprintf(stderr, "doord log (tail): %s\n", log ? log + (strlen(log) > 2000 ? strlen(log) - 2000 : 0) : "");
	}
	doord_cleanup(&p);
	return 1;
}
