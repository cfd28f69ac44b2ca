// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * doorlookupbench: doord name lookups per second and their p50/p99 with
 * 1,000 and 100,000 names attached and many concurrent clients. Starts
 * its own doord (private socket, allow-all policy with no limits) in a
 * scratch folder, attaches one door under N file names over D-Bus, then
 * lets client threads, each on its own bus connection, open a random
 * name and call Lookup(h) on it; only the Lookup call is timed.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/door.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <systemd/sd-bus.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define OBJ	"/org/doors/door1"
#define IFACE	"org.doors.door1.Manager"
#define POLICY	"{ \"rules\": [ { \"operations\": [\"attach\", \"lookup\"], " \
		"\"action\": \"allow\" } ], \"limits\": [ { \"attachments\": " \
		"\"infinity\", \"lookups_per_second\": \"infinity\" } ] }\n"
#define MAX_POINTS 8

struct lookup_run {
	const char *doord;
	char dir[64];
	char sock[100];
	pid_t pid;
	int door;
	unsigned long attached;		/* names 0 .. attached-1 */
	double attach_ns;		/* mean Attach call, last stage */
};

struct lookup_point {
	unsigned long names;
	unsigned int clients;
	unsigned long lookups;		/* total */
	double per_sec, p50, p99, mean;
	int status;
	char why[160];
	double attach_ns;
};

struct client {
	pthread_t tid;
	const struct lookup_run *run;
	pthread_barrier_t *start;
	unsigned long n;
	unsigned int seed;
	uint64_t *samples;
	uint64_t start_ns, end_ns;
	int err;
};

static int bus_connect(const char *sock, sd_bus **ret)
{
	char addr[160];
	sd_bus *bus = NULL;
	int r;

	snprintf(addr, sizeof(addr), "unix:path=%s", sock);
	r = sd_bus_new(&bus);
	if (r >= 0)
		r = sd_bus_set_address(bus, addr);
	if (r >= 0)
		r = sd_bus_negotiate_fds(bus, 1);
	if (r >= 0)
		r = sd_bus_start(bus);
	if (r < 0) {
		sd_bus_unref(bus);
		return r;
	}
	*ret = bus;
	return 0;
}

static int call(sd_bus *bus, const char *method, sd_bus_message **reply,
		const char *types, int fd1, int fd2, char *why, size_t wlen)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	int r;

	if (fd2 >= 0)
		r = sd_bus_call_method(bus, NULL, OBJ, IFACE, method, &e, reply,
				       types, fd1, fd2);
	else
		r = sd_bus_call_method(bus, NULL, OBJ, IFACE, method, &e, reply,
				       types, fd1);
	if (r < 0 && why)
		snprintf(why, wlen, "%s: %s", method,
			 e.message ? e.message : strerror(-r));
	sd_bus_error_free(&e);
	return r;
}

static void name_path(const struct lookup_run *run, unsigned long i, char *buf,
		      size_t len)
{
	snprintf(buf, len, "%s/n/%lu/%lu", run->dir, i / 1000, i);
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "we");

	if (!f)
		return -errno;
	fputs(text, f);
	return fclose(f) == 0 ? 0 : -errno;
}

/* Up once its socket accepts connections. */
static int wait_doord(struct lookup_run *run)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timespec pause = { 0, 20 * 1000 * 1000 };
	int i, fd, status;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", run->sock);
	for (i = 0; i < 1500; i++) {
		if (waitpid(run->pid, &status, WNOHANG) == run->pid) {
			run->pid = -1;
			return -ECHILD;
		}
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
			close(fd);
			return 0;
		}
		close(fd);
		nanosleep(&pause, NULL);
	}
	return -ETIMEDOUT;
}

static int start_doord(struct lookup_run *run)
{
	char conf[96], path[128], log[96];
	int fd;

	snprintf(run->dir, sizeof(run->dir), "/tmp/doorlookup-XXXXXX");
	if (!mkdtemp(run->dir))
		return -errno;
	snprintf(conf, sizeof(conf), "%s/conf", run->dir);
	snprintf(path, sizeof(path), "%s/doord.json", conf);
	snprintf(log, sizeof(log), "%s/doord.log", run->dir);
	snprintf(run->sock, sizeof(run->sock), "%s/bus", run->dir);
	if (mkdir(conf, 0755) < 0 || write_file(path, POLICY) < 0)
		return -errno;
	snprintf(path, sizeof(path), "%s/n", run->dir);
	if (mkdir(path, 0755) < 0)
		return -errno;
	run->pid = fork();
	if (run->pid < 0)
		return -errno;
	if (run->pid == 0) {
		fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (fd >= 0)
			dup2(fd, STDERR_FILENO);
		execl(run->doord, "doord", "--socket", run->sock, "--config-dir",
		      conf, (char *)NULL);
		_exit(127);
	}
	return wait_doord(run);
}

/*
 * doord keeps two files per name (the attached file and a door
 * reference): 100,000 names need more than the default fs.file-max of a
 * 2 GiB guest. Raised when needed (we are root in the VM).
 */
static void ensure_file_max(unsigned long names)
{
	unsigned long cur = 0, want = 4 * names + 65536;
	FILE *f = fopen("/proc/sys/fs/file-max", "r");

	if (f) {
		if (fscanf(f, "%lu", &cur) != 1)
			cur = 0;
		fclose(f);
	}
	if (cur >= want)
		return;
	f = fopen("/proc/sys/fs/file-max", "w");
	if (f) {
		bool ok = fprintf(f, "%lu\n", want) > 0;

		if (fclose(f) == 0 && ok)
			return;
	}
	fprintf(stderr, "doorlookupbench: cannot raise fs.file-max to %lu\n", want);
}

static int make_door(struct lookup_run *run)
{
	struct door_create dc = { .proc = 0x1000 };
	int ctx = open("/dev/door", O_RDWR | O_CLOEXEC);

	if (ctx < 0)
		return -errno;
	/* The context stays open: closing it would revoke the door. */
	run->door = ioctl(ctx, DOOR_IOC_CREATE, &dc);
	return run->door < 0 ? -errno : 0;
}

#define ATTACH_INFLIGHT 32

struct attach_batch {
	unsigned long pending;
	int err;
	char *why;
	size_t wlen;
};

static int attach_done(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	struct attach_batch *b = userdata;
	const sd_bus_error *err = sd_bus_message_get_error(m);

	b->pending--;
	if (err && !b->err) {
		b->err = -sd_bus_error_get_errno(err);
		if (!b->err)
			b->err = -EIO;
		snprintf(b->why, b->wlen, "Attach: %s",
			 err->message ? err->message : err->name);
	}
	return 0;
}

static int attach_wait(sd_bus *bus, struct attach_batch *b, unsigned long upto)
{
	int r;

	while (b->pending > upto && !b->err) {
		r = sd_bus_process(bus, NULL);
		if (r < 0)
			return r;
		if (r == 0 && (r = sd_bus_wait(bus, UINT64_MAX)) < 0)
			return r;
	}
	return b->err;
}

/*
 * Create and attach names up to @names. Attach calls are pipelined (up
 * to ATTACH_INFLIGHT in flight) so that filling doord with 100,000
 * names is bounded by doord's work, not by round trips.
 */
static int attach_up_to(struct lookup_run *run, sd_bus *bus,
			unsigned long names, char *why, size_t wlen)
{
	struct attach_batch b = { .why = why, .wlen = wlen };
	unsigned long i, first = run->attached;
	uint64_t t0 = now_ns();
	char path[160];
	int fd, r = 0;

	for (i = run->attached; i < names && r >= 0; i++) {
		if (i % 1000 == 0) {
			snprintf(path, sizeof(path), "%s/n/%lu", run->dir,
				 i / 1000);
			if (mkdir(path, 0755) < 0 && errno != EEXIST)
				return -errno;
		}
		name_path(run, i, path, sizeof(path));
		fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
		if (fd < 0) {
			snprintf(why, wlen, "create %.100s: %s", path, strerror(errno));
			return -errno;
		}
		r = sd_bus_call_method_async(bus, NULL, NULL, OBJ, IFACE, "Attach",
					     attach_done, &b, "hh", run->door, fd);
		close(fd);
		if (r < 0) {
			snprintf(why, wlen, "Attach: %s", strerror(-r));
			return r;
		}
		b.pending++;
		r = attach_wait(bus, &b, ATTACH_INFLIGHT - 1);
	}
	if (r >= 0)
		r = attach_wait(bus, &b, 0);
	if (r < 0) {
		if (!why[0])
			snprintf(why, wlen, "Attach: %s", strerror(-r));
		return r;
	}
	run->attached = names;
	run->attach_ns = names > first ?
		(double)(now_ns() - t0) / (double)(names - first) : 0;
	return 0;
}

static int lookup_one(sd_bus *bus, const struct lookup_run *run,
		      unsigned int *seed, uint64_t *ns)
{
	sd_bus_message *reply = NULL;
	char path[160];
	uint64_t t0;
	int fd, door, r;

	name_path(run, (unsigned long)rand_r(seed) % run->attached, path,
		  sizeof(path));
	fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	t0 = now_ns();
	r = call(bus, "Lookup", &reply, "h", fd, -1, NULL, 0);
	*ns = now_ns() - t0;
	close(fd);
	if (r >= 0)
		r = sd_bus_message_read(reply, "h", &door);
	/* The reply owns the received door descriptor: this closes it. */
	sd_bus_message_unref(reply);
	return r < 0 ? r : 0;
}

static void *client_main(void *arg)
{
	struct client *c = arg;
	sd_bus *bus = NULL;
	unsigned long i;

	c->err = bus_connect(c->run->sock, &bus);
	pthread_barrier_wait(c->start);
	c->start_ns = now_ns();
	for (i = 0; i < c->n && !c->err; i++)
		c->err = lookup_one(bus, c->run, &c->seed, &c->samples[i]);
	c->end_ns = now_ns();
	sd_bus_flush_close_unref(bus);
	return NULL;
}

static void measure_lookups(const struct lookup_run *run, unsigned int nclients,
			    unsigned long per_client, struct lookup_point *pt)
{
	struct client *c = calloc(nclients, sizeof(*c));
	uint64_t *samples = calloc(nclients * per_client, sizeof(*samples));
	pthread_barrier_t start;
	unsigned long total = nclients * per_client;
	unsigned int i, started = 0;
	double sum = 0;
	uint64_t t0, t1, el;

	pt->clients = nclients;
	pt->names = run->attached;
	if (!c || !samples) {
		pt->status = -ENOMEM;
		goto out;
	}
	pthread_barrier_init(&start, NULL, nclients + 1);
	for (i = 0; i < nclients; i++) {
		c[i] = (struct client){ .run = run, .start = &start,
					.n = per_client, .seed = i * 7919 + 1,
					.samples = samples + i * per_client };
		if (pthread_create(&c[i].tid, NULL, client_main, &c[i]) != 0) {
			fprintf(stderr, "doorlookupbench: cannot start client %u\n", i);
			exit(1);
		}
		started++;
	}
	/* From the first client's start to the last one's end (see peer.c). */
	pthread_barrier_wait(&start);
	t0 = UINT64_MAX;
	t1 = 0;
	for (i = 0; i < started; i++) {
		pthread_join(c[i].tid, NULL);
		if (c[i].err && !pt->status)
			pt->status = c[i].err;
		if (c[i].start_ns < t0)
			t0 = c[i].start_ns;
		if (c[i].end_ns > t1)
			t1 = c[i].end_ns;
	}
	el = t1 - t0;
	pthread_barrier_destroy(&start);
	if (pt->status) {
		snprintf(pt->why, sizeof(pt->why), "lookup failed: %s",
			 strerror(-pt->status));
		goto out;
	}
	for (i = 0; i < total; i++)
		sum += (double)samples[i];
	qsort(samples, total, sizeof(*samples), cmp_u64);
	pt->lookups = total;
	pt->per_sec = (double)total / ((double)el / 1e9);
	pt->mean = sum / (double)total;
	pt->p50 = percentile(samples, total, 0.50);
	pt->p99 = percentile(samples, total, 0.99);
out:
	free(samples);
	free(c);
}

static void emit_json(FILE *f, const struct lookup_point *pts, size_t n,
		      double elapsed_s)
{
	size_t i;

	fprintf(f, "{\n  \"suite\": \"doorlookupbench\",\n  \"unit\": \"ns\",\n"
		"  \"guest_elapsed_s\": %.1f,\n  \"results\": [\n", elapsed_s);
	for (i = 0; i < n; i++) {
		const struct lookup_point *p = &pts[i];

		fprintf(f, "    {\"names\": %lu, \"clients\": %u, ", p->names,
			p->clients);
		if (p->status) {
			const char *w;

			fputs("\"status\": \"error\", \"why\": \"", f);
			for (w = p->why; *w; w++)
				if (*w != '"' && *w != '\\' && (unsigned char)*w >= 0x20)
					fputc(*w, f);
			fputs("\"}", f);
		}
		else
			fprintf(f, "\"status\": \"ok\", \"lookups\": %lu, \"lookups_per_sec\": %.1f, "
				"\"mean\": %.0f, \"p50\": %.0f, \"p99\": %.0f, \"attach_mean\": %.0f}",
				p->lookups, p->per_sec, p->mean, p->p50, p->p99,
				p->attach_ns);
		fputs(i + 1 < n ? ",\n" : "\n", f);
	}
	fputs("  ]\n}\n", f);
}

static void emit_md(FILE *f, const struct lookup_point *pts, size_t n,
		    int cpus)
{
	const struct lookup_point *target = NULL;
	size_t i;

	fprintf(f, "## doord lookups: qemu TCG, %d CPUs\n\n", cpus);
	fputs("One door attached under N names; each client thread keeps one "
	      "bus connection, opens a random name (O_PATH) and calls "
	      "Lookup(h); only the call is timed.\n\n", f);
	fputs("| names | clients | lookups/s | p50 µs | p99 µs | Attach µs/name (pipelined) |\n", f);
	fputs("|---:|---:|---:|---:|---:|---:|\n", f);
	for (i = 0; i < n; i++) {
		const struct lookup_point *p = &pts[i];

		if (p->status) {
			fprintf(f, "| %lu | %u | %s | | | |\n", p->names,
				p->clients, p->why);
			continue;
		}
		fprintf(f, "| %lu | %u | %.0f | %.0f | %.0f | %.0f |\n", p->names,
			p->clients, p->per_sec, p->p50 / 1e3, p->p99 / 1e3,
			p->attach_ns / 1e3);
		if (p->names >= 100000 && p->clients >= 200)
			target = p;
	}
	fputs("\n| target | measured | status |\n|---|---:|---|\n", f);
	if (target)
		fprintf(f, "| doord lookup p99 <= 1 ms, 100,000 names, 200 clients | %.3f ms | **%s** |\n\n",
			target->p99 / 1e6, target->p99 <= 1e6 ? "met" : "missed");
	else
		fputs("| doord lookup p99 <= 1 ms, 100,000 names, 200 clients | – | **not measured** |\n\n", f);
}

static int parse_list(const char *s, unsigned long *v, size_t max)
{
	size_t n = 0;
	char *end;

	while (*s && n < max) {
		v[n++] = strtoul(s, &end, 10);
		if (end == s || (*end && *end != ','))
			return -EINVAL;
		s = *end ? end + 1 : end;
	}
	return (int)n;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "doord", required_argument, NULL, 'd' },
		{ "names", required_argument, NULL, 'n' },
		{ "clients", required_argument, NULL, 'c' },
		{ "lookups", required_argument, NULL, 'l' },
		{ "name", required_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct lookup_run run = { .pid = -1, .door = -1 };
	struct lookup_point pts[MAX_POINTS] = { 0 };
	unsigned long names[4] = { 1000, 100000 }, clients[3] = { 1, 200 };
	unsigned long total = 2000;
	int nnames = 2, nclients = 2, c, err, i, j;
	const char *name = "lookup";
	size_t npts = 0;
	sd_bus *bus = NULL;
	char why[160] = "";

	uint64_t start = now_ns();

	run.doord = getenv("DOORD_BINARY");
	while ((c = getopt_long(argc, argv, "d:n:c:l:N:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': run.doord = optarg; break;
		case 'n': nnames = parse_list(optarg, names, 4); break;
		case 'c': nclients = parse_list(optarg, clients, 3); break;
		case 'l': total = strtoul(optarg, NULL, 10); break;
		case 'N': name = optarg; break;
		case 'h':
		default:
			fprintf(c == 'h' ? stdout : stderr,
				"usage: doorlookupbench --doord PATH [--names 1000,100000] [--clients 1,200]\n"
				"                       [--lookups TOTAL] [--name NAME]\n");
			return c == 'h' ? 0 : 2;
		}
	}
	if (!run.doord || nnames < 1 || nclients < 1 || !total) {
		fprintf(stderr, "doorlookupbench: --doord PATH is required\n");
		return 2;
	}
	ensure_file_max(names[nnames - 1]);
	err = start_doord(&run);
	if (!err)
		err = make_door(&run);
	if (!err)
		err = bus_connect(run.sock, &bus);
	if (err) {
		fprintf(stderr, "doorlookupbench: cannot start doord or a door: %s\n",
			strerror(-err));
		if (run.pid > 0)
			kill(run.pid, SIGTERM);
		return 1;
	}
	for (i = 0; i < nnames && npts < MAX_POINTS; i++) {
		uint64_t t0 = now_ns();

		err = attach_up_to(&run, bus, names[i], why, sizeof(why));
		fprintf(stderr, "doorlookupbench: %lu names attached in %.1f s%s%s\n",
			run.attached, (double)(now_ns() - t0) / 1e9,
			err ? ": " : "", err ? why : "");
		for (j = 0; j < nclients && npts < MAX_POINTS; j++) {
			struct lookup_point *p = &pts[npts++];

			if (err) {
				p->names = names[i];
				p->clients = (unsigned int)clients[j];
				p->status = err;
				snprintf(p->why, sizeof(p->why), "%s", why);
				continue;
			}
			/* About TOTAL lookups per point, at least 5 per client. */
			measure_lookups(&run, (unsigned int)clients[j],
					total / clients[j] > 5 ? total / clients[j] : 5, p);
			p->attach_ns = run.attach_ns;
			fprintf(stderr, "doorlookupbench: %lu names, %u clients: %.0f lookups/s, p50 %.0f us, p99 %.0f us %s\n",
				p->names, p->clients, p->per_sec, p->p50 / 1e3,
				p->p99 / 1e3, p->why);
		}
	}
	sd_bus_flush_close_unref(bus);
	kill(run.pid, SIGTERM);
	waitpid(run.pid, NULL, 0);
	printf("@@doorbench-file %s.json\n", name);
	emit_json(stdout, pts, npts, (double)(now_ns() - start) / 1e9);
	printf("@@doorbench-end\n@@doorbench-file %s.md\n", name);
	emit_md(stdout, pts, npts, online_cpus());
	printf("@@doorbench-end\n");
	return 0;
}
