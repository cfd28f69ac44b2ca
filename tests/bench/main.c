// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * doorbench: runs the whole suite in one process (inside the VM) and
 * writes JSON, a Markdown table and gnuplot data, either into a folder
 * or, for the VM runner, to stdout between marker lines.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bench.h"

#define MAX_RECORDS 512

static const struct mech *const mechs[] = {
	&mech_door, &mech_pipe, &mech_unix_stream, &mech_unix_seqpacket,
	&mech_unix_seqpacket_fd, &mech_futex, &mech_binder, &mech_yield,
};
static const size_t payloads[] = { 0, 64, 4 * KIB, 64 * KIB, MIB };
static const unsigned int desc_counts[] = { 1, 16 };
static const unsigned int thread_counts[] = { 1, 2, 8, 64 };

struct pin_mode {
	const char *name;
	int client_cpu, server_cpu;
};

static const struct pin_mode pins_smp[] = {
	{ "same", 0, 0 }, { "cross", 0, 1 }, { "none", -1, -1 },
};
static const struct pin_mode pin_one = { "-", -1, -1 };

struct suite {
	struct run_info info;
	const char *only;	/* comma-separated mechanism names, or NULL */
	bool null_only;		/* just the null calls (for profiling) */
	struct record rec[MAX_RECORDS];
	size_t n;
};

static bool selected(const struct suite *s, const char *name)
{
	const char *p = s->only;
	size_t len = strlen(name);

	if (!p)
		return true;
	while (p && *p) {
		if (!strncmp(p, name, len) && (p[len] == ',' || !p[len]))
			return true;
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return false;
}

static struct record *new_record(struct suite *s, const char *group,
				 const char *mech, const char *label)
{
	struct record *r;

	if (s->n >= MAX_RECORDS) {
		fprintf(stderr, "doorbench: too many results\n");
		exit(1);
	}
	r = &s->rec[s->n++];
	memset(r, 0, sizeof(*r));
	r->group = group;
	r->mech = mech;
	r->label = label;
	r->pin = "-";
	r->threads = 1;
	r->handoff = -1;
	return r;
}

static void progress(const struct suite *s, const struct record *r)
{
	const char *unit = s->info.icount ? "instr" : "ns";

	char handoff[24] = "";

	if (r->handoff >= 0)
		snprintf(handoff, sizeof(handoff), " handoff 0x%02x", r->handoff);
	if (r->r.status) {
		fprintf(stderr, "doorbench: %-8s %-18s %8zu B %2u fd %2u thr %-5s%s %s\n",
			r->group, r->mech, r->payload, r->ndesc, r->threads,
			r->pin, handoff, r->r.why);
		return;
	}
	fprintf(stderr,
		"doorbench: %-8s %-18s %8zu B %2u fd %2u thr %-5s%s mean %.0f %s, spread %.2f%%, p99 %.0f (%lu calls x %u)\n",
		r->group, r->mech, r->payload, r->ndesc, r->threads, r->pin,
		handoff, r->r.mean_ns, unit,
		100.0 * (r->r.max_ns - r->r.min_ns) / r->r.min_ns,
		r->r.p99_ns, r->r.calls, r->r.repeats);
}

static void run_point_handoff(struct suite *s, const char *group,
			      const struct mech *m, size_t payload,
			      unsigned int ndesc, unsigned int threads,
			      const struct pin_mode *pin, int handoff)
{
	struct record *r = new_record(s, group, m->name, m->label);
	struct bench_params p = {
		.payload = payload, .ndesc = ndesc, .threads = threads,
		.client_cpu = pin->client_cpu, .server_cpu = pin->server_cpu,
		.per_call = !strcmp(group, "threads"),
	};

	r->payload = payload;
	r->ndesc = ndesc;
	r->threads = threads;
	r->pin = pin->name;
	r->handoff = handoff;
	peer_measure(m, &p, &s->info.plan, &r->r);
	progress(s, r);
}

static void run_point(struct suite *s, const char *group, const struct mech *m,
		      size_t payload, unsigned int ndesc, unsigned int threads,
		      const struct pin_mode *pin)
{
	run_point_handoff(s, group, m, payload, ndesc, threads, pin, -1);
}

/* Null calls (and the payload sweep) for every mechanism and pinning. */
static void run_calls(struct suite *s, const struct pin_mode *pin,
		      bool sweep)
{
	size_t i, k;

	for (i = 0; i < sizeof(mechs) / sizeof(mechs[0]); i++) {
		const struct mech *m = mechs[i];
		unsigned int nd = (m->flags & MECH_DESC) && m != &mech_door;

		if (!selected(s, m->name))
			continue;
		if ((m->flags & MECH_SAMECPU) &&
		    (pin->client_cpu != pin->server_cpu ||
		     (pin->client_cpu < 0 && s->info.cpus > 1)))
			continue;
		for (k = 0; k < sizeof(payloads) / sizeof(payloads[0]); k++) {
			if (k && (!sweep || !(m->flags & MECH_PAYLOAD)))
				break;
			run_point(s, "call", m, payloads[k], nd, 1, pin);
			if (s->rec[s->n - 1].r.status && !strncmp(
				    s->rec[s->n - 1].r.why, "not available", 13))
				break;
		}
	}
}

static void run_desc(struct suite *s, const struct pin_mode *pin)
{
	const struct mech *dm[] = { &mech_door, &mech_unix_seqpacket_fd };
	size_t i, k;

	for (i = 0; i < 2; i++) {
		if (!selected(s, dm[i]->name))
			continue;
		for (k = 0; k < sizeof(desc_counts) / sizeof(desc_counts[0]); k++)
			run_point(s, "desc", dm[i], 0, desc_counts[k], 1, pin);
	}
}

static void run_threads(struct suite *s, const struct pin_mode *pin)
{
	size_t k;

	if (!selected(s, mech_door.name))
		return;
	for (k = 0; k < sizeof(thread_counts) / sizeof(thread_counts[0]); k++)
		run_point(s, "threads", &mech_door, 0, 0, thread_counts[k], pin);
}

static int getppid_once(void *arg)
{
	syscall(SYS_getppid);
	return 0;
}

/*
 * door_call under each handoff strategy of door.ko, adding one bit at a
 * time, so that the report shows what each costs and buys.
 */
static void run_handoff(struct suite *s, const struct pin_mode *pin)
{
	static const unsigned int modes[] = { 0x00, 0x01, 0x03, 0x07, 0x0f, 0x1f };
	unsigned int saved;
	size_t k;

	if (!selected(s, mech_door.name) || door_handoff_get(&saved) < 0)
		return;
	for (k = 0; k < sizeof(modes) / sizeof(modes[0]); k++) {
		if (door_handoff_set(modes[k]) < 0)
			break;
		run_point_handoff(s, "handoff", &mech_door, 0, 0, 1, pin,
				  (int)modes[k]);
	}
	if (door_handoff_set(saved) < 0)
		fprintf(stderr, "doorbench: cannot restore door.ko handoff=%u\n",
			saved);
}

static void run_baselines(struct suite *s)
{
	struct record *r;
	size_t k;

	r = new_record(s, "baseline", "clock_gettime", "clock_gettime()");
	clock_measure(&s->info.plan, &r->r);
	progress(s, r);
	r = new_record(s, "baseline", "syscall", "null syscall (getppid)");
	op_measure(getppid_once, NULL, &s->info.plan, &r->r);
	progress(s, r);
	if (selected(s, mech_door.name)) {
		r = new_record(s, "baseline", "door_info",
			       "DOOR_IOC_INFO ioctl");
		door_info_measure(&s->info.plan, &r->r);
		progress(s, r);
	}
	for (k = 1; k < sizeof(payloads) / sizeof(payloads[0]); k++) {
		r = new_record(s, "memcpy", "memcpy", "memcpy");
		r->payload = payloads[k];
		memcpy_measure(payloads[k], false, &s->info.plan, &r->r);
		progress(s, r);
		r = new_record(s, "memcpy", "rep_movsb", "rep movsb");
		r->payload = payloads[k];
		memcpy_measure(payloads[k], true, &s->info.plan, &r->r);
		progress(s, r);
	}
}

static void run_perf(struct suite *s, bool pin_same, const char *pin)
{
	/* Enough loops for a steady figure, few enough to stay short. */
	unsigned long loops = s->info.icount ? 20000 : 10000;
	struct record *r;

	if (!selected(s, "perf_sched_pipe"))
		return;
	r = new_record(s, "call", "perf_sched_pipe", "perf bench sched pipe");
	r->pin = pin;
	perf_pipe_measure(loops, s->info.icount ? s->info.plan.repeats : 1,
			  pin_same, s->info.perf_version,
			  sizeof(s->info.perf_version), &r->r);
	progress(s, r);
}

static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (!f)
		return;
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

/* door.ko's parameters, "name=value ...", so a run records its setup. */
static void read_door_params(char *buf, size_t len)
{
	const char *dir = "/sys/module/door/parameters";
	struct dirent *de;
	size_t used = 0;
	DIR *d = opendir(dir);

	buf[0] = '\0';
	if (!d)
		return;
	while ((de = readdir(d)) && used + 1 < len) {
		char path[512], val[64];
		int w;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		read_line(path, val, sizeof(val));
		w = snprintf(buf + used, len - used, "%s%s=%s", used ? " " : "",
			     de->d_name, val);
		if (w < 0 || (size_t)w >= len - used)
			break;
		used += (size_t)w;
	}
	closedir(d);
}

/* "cpu MHz" of the first CPU: the TSC rate the guest kernel settled on. */
static void read_cpu_mhz(char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[256];

	buf[0] = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!strncmp(line, "cpu MHz", 7) && colon) {
			snprintf(buf, len, "%s", colon + 2);
			buf[strcspn(buf, "\n")] = '\0';
			break;
		}
	}
	fclose(f);
}

static void collect_info(struct run_info *ri)
{
	struct utsname u;

	read_cpu_mhz(ri->cpu_mhz, sizeof(ri->cpu_mhz));
	ri->cpus = online_cpus();
	if (uname(&u) == 0)
		snprintf(ri->kernel, sizeof(ri->kernel), "%s", u.release);
	read_line("/sys/devices/system/clocksource/clocksource0/current_clocksource",
		  ri->clocksource, sizeof(ri->clocksource));
	read_door_params(ri->door_params, sizeof(ri->door_params));
}

typedef int (*writer_fn)(FILE *, const struct run_info *,
			 const struct record *, size_t);

/* To a file in outdir, or to stdout between markers the runner splits on. */
static int emit(const struct suite *s, const char *outdir, const char *name,
		const char *ext, writer_fn fn)
{
	char path[4096];
	FILE *f = stdout;
	int err;

	if (outdir) {
		snprintf(path, sizeof(path), "%s/%s.%s", outdir, name, ext);
		f = fopen(path, "w");
		if (!f) {
			fprintf(stderr, "doorbench: cannot write %s: %s\n", path,
				strerror(errno));
			return -errno;
		}
	} else {
		printf("@@doorbench-file %s.%s\n", name, ext);
	}
	err = fn(f, &s->info, s->rec, s->n);
	if (outdir) {
		if (fclose(f) != 0 && !err)
			err = -errno;
	} else {
		printf("@@doorbench-end\n");
		fflush(stdout);
	}
	return err;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: doorbench [--icount] [--outdir DIR] [--name NAME] [--only MECH,...]\n"
		"                 [--batch-ms N] [--repeats N] [--quick] [--null-only]\n"
		"Measures door_call and its peers; see tests/bench/README.md.\n"
		"  --icount      the guest runs under qemu -icount shift=0 (times are\n"
		"                instruction counts; batch means, no percentiles)\n"
		"  --outdir DIR  write NAME.json, NAME.md and NAME.dat there (default:\n"
		"                stdout, between @@doorbench-file/@@doorbench-end lines)\n"
		"  --only LIST   mechanisms: door pipe unix_stream unix_seqpacket\n"
		"                unix_seqpacket_fd futex binder sched_yield perf_sched_pipe\n");
}

static int parse_args(int argc, char **argv, struct suite *s,
		      const char **outdir, const char **name)
{
	static const struct option opts[] = {
		{ "icount", no_argument, NULL, 'i' },
		{ "outdir", required_argument, NULL, 'o' },
		{ "name", required_argument, NULL, 'n' },
		{ "only", required_argument, NULL, 'O' },
		{ "batch-ms", required_argument, NULL, 'b' },
		{ "repeats", required_argument, NULL, 'r' },
		{ "quick", no_argument, NULL, 'q' },
		{ "null-only", no_argument, NULL, 'z' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sample_plan *pl = &s->info.plan;
	int c;

	bool quick = false;
	double batch_ms = 0;

	pl->repeats = 5;
	pl->min_calls = 8;
	pl->max_calls = 200000;
	while ((c = getopt_long(argc, argv, "io:n:O:b:r:qzh", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			s->info.icount = true;
			break;
		case 'o':
			*outdir = optarg;
			break;
		case 'n':
			*name = optarg;
			break;
		case 'O':
			s->only = optarg;
			break;
		case 'b':
			batch_ms = atof(optarg);
			if (batch_ms <= 0) {
				usage(stderr);
				return -EINVAL;
			}
			break;
		case 'r':
			pl->repeats = (unsigned int)atoi(optarg);
			break;
		case 'q':
			quick = true;
			break;
		case 'z':
			s->null_only = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind != argc || pl->repeats < 1 || pl->repeats > 64) {
		usage(stderr);
		return -EINVAL;
	}
	/*
	 * 20 ms of guest time is 20 million instructions under -icount
	 * (about a third of a second of emulation); without -icount the
	 * clock is real time and percentiles want more samples.
	 */
	if (!batch_ms)
		batch_ms = s->info.icount ? 20 : 100;
	if (quick) {
		batch_ms /= 10;
		pl->repeats = 3;
	}
	pl->batch_ns = batch_ms * 1e6;
	pl->per_call = !s->info.icount;
	return 0;
}

int main(int argc, char **argv)
{
	static struct suite s;
	const char *outdir = NULL, *name = NULL;
	const struct pin_mode *sweep_pin;
	size_t i;
	int err;

	uint64_t start = now_ns();

	if (parse_args(argc, argv, &s, &outdir, &name) < 0)
		return 2;
	collect_info(&s.info);
	if (!name)
		name = s.info.icount ? "icount" : "smp";
	if (s.null_only) {
		run_calls(&s, s.info.icount || s.info.cpus < 2 ? &pin_one :
			  &pins_smp[0], false);
		goto report;
	}
	if (s.info.icount || s.info.cpus < 2) {
		sweep_pin = &pin_one;
		run_calls(&s, &pin_one, true);
		run_perf(&s, false, "-");
	} else {
		for (i = 0; i < 2; i++)
			run_calls(&s, &pins_smp[i], false);
		sweep_pin = &pins_smp[2];	/* unpinned */
		run_calls(&s, sweep_pin, true);
		run_perf(&s, true, "same");
		run_perf(&s, false, "none");
	}
	run_baselines(&s);
	run_desc(&s, sweep_pin);
	run_threads(&s, sweep_pin);
	run_handoff(&s, sweep_pin);
	if (!s.info.icount && s.info.cpus > 1)
		run_handoff(&s, &pins_smp[1]);
report:
	s.info.elapsed_s = (double)(now_ns() - start) / 1e9;
	err = emit(&s, outdir, name, "json", report_json);
	if (!err)
		err = emit(&s, outdir, name, "md", report_markdown);
	if (!err)
		err = emit(&s, outdir, name, "dat", report_plot_data);
	return err ? 1 : 0;
}
