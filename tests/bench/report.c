// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The three outputs of a run: JSON (everything), a Markdown report with
 * the targets evaluated, and gnuplot data (latency by payload).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"

static const size_t sweep[] = { 0, 64, 4 * KIB, 64 * KIB, MIB };
#define NSWEEP (sizeof(sweep) / sizeof(sweep[0]))

/* Mechanisms in the payload sweep, in table and plot order. */
static const char *const sweep_mechs[] = {
	"door", "pipe", "unix_stream", "unix_seqpacket", "unix_seqpacket_fd",
	"futex", "binder",
};
#define NSWEEP_MECHS (sizeof(sweep_mechs) / sizeof(sweep_mechs[0]))

/* Rows of the null-call table. */
static const char *const null_mechs[] = {
	"door", "sched_yield", "futex", "pipe", "perf_sched_pipe",
	"unix_stream", "unix_seqpacket", "unix_seqpacket_fd", "binder",
};
#define NNULL_MECHS (sizeof(null_mechs) / sizeof(null_mechs[0]))

static double plot_value(const struct run_info *ri, const struct record *r);

struct target {
	const char *name;
	double measured;
	double limit;
	const char *status;	/* "met", "missed", "not measured", "pending" */
	char detail[200];
};

#define MAX_TARGETS 10

const struct record *find_record(const struct record *rec, size_t n,
				 const char *group, const char *mech,
				 size_t payload, unsigned int ndesc,
				 unsigned int threads, const char *pin)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct record *r = &rec[i];

		if (strcmp(r->group, group) || strcmp(r->mech, mech) ||
		    r->payload != payload || r->threads != threads)
			continue;
		if (ndesc != (unsigned int)-1 && r->ndesc != ndesc)
			continue;
		if (pin && strcmp(r->pin, pin))
			continue;
		return r;
	}
	return NULL;
}

static const struct record *ok(const struct record *r)
{
	return r && !r->r.status ? r : NULL;
}

/* The null call of a mechanism at the pinning the report leads with. */
static const struct record *null_call(const struct run_info *ri,
				      const struct record *rec, size_t n,
				      const char *mech, const char *pin)
{
	return ok(find_record(rec, n, "call", mech, 0, (unsigned int)-1, 1,
			      pin));
}

static double spread_pct(const struct sample_result *r)
{
	return r->min_ns > 0 ? 100.0 * (r->max_ns - r->min_ns) / r->min_ns : 0;
}

static double mb_per_s(size_t bytes, double ns)
{
	return ns > 0 ? (double)bytes / ns * 1e9 / 1e6 : 0;
}

static const char *unit_name(const struct run_info *ri)
{
	return ri->icount ? "instructions" : "ns";
}

static const char *lead_pin(const struct run_info *ri)
{
	return ri->icount || ri->cpus < 2 ? "-" : "same";
}

static const char *sweep_pin(const struct run_info *ri)
{
	return ri->icount || ri->cpus < 2 ? "-" : "none";
}

static void set_ratio(struct target *t, const char *name, double a, double b,
		      double limit, bool strict, const char *what)
{
	t->name = name;
	t->limit = limit;
	if (a <= 0 || b <= 0) {
		t->status = "not measured";
		t->measured = NAN;
		snprintf(t->detail, sizeof(t->detail), "%s", what);
		return;
	}
	t->measured = a / b;
	t->status = (strict ? t->measured < limit : t->measured <= limit) ?
		    "met" : "missed";
	snprintf(t->detail, sizeof(t->detail), "%s: %.0f / %.0f", what, a, b);
}

static double mean_of(const struct record *r)
{
	return r ? r->r.mean_ns : 0;
}

static void threads_target(struct target *t, const struct record *rec,
			   size_t n, const char *pin)
{
	static const unsigned int counts[] = { 1, 2, 8, 64 };
	const struct record *r64 = NULL;
	double best = 0;
	unsigned int i, best_t = 0;

	for (i = 0; i < 4; i++) {
		const struct record *r = ok(find_record(rec, n, "threads",
						"door", 0, 0, counts[i], pin));

		if (r && r->r.calls_per_sec > best) {
			best = r->r.calls_per_sec;
			best_t = counts[i];
		}
		if (counts[i] == 64)
			r64 = r;
	}
	t->name = "64 callers: calls/s >= 0.9 x best thread count";
	t->limit = 0.9;
	if (!r64 || best <= 0) {
		t->measured = NAN;
		t->status = "not measured";
		snprintf(t->detail, sizeof(t->detail), "door threads sweep missing");
		return;
	}
	t->measured = r64->r.calls_per_sec / best;
	t->status = t->measured >= 0.9 ? "met" : "missed";
	snprintf(t->detail, sizeof(t->detail),
		 "64 threads %.0f calls/s, best %.0f calls/s (%u threads)",
		 r64->r.calls_per_sec, best, best_t);
}

static void bandwidth_target(struct target *t, const struct run_info *ri,
			     const struct record *rec, size_t n)
{
	const struct record *d = ok(find_record(rec, n, "call", "door", MIB,
						0, 1, sweep_pin(ri)));
	const struct record *m = ok(find_record(rec, n, "memcpy", "memcpy",
						MIB, 0, 1, NULL));
	const struct record *rm = ok(find_record(rec, n, "memcpy", "rep_movsb",
						 MIB, 0, 1, NULL));

	t->name = "1 MiB argument: >= 0.5 x memcpy bandwidth";
	t->limit = 0.5;
	if (!d || !m) {
		t->status = "not measured";
		t->measured = NAN;
		snprintf(t->detail, sizeof(t->detail), "door or memcpy missing");
		return;
	}
	/* The door's typical call (p50 under plain emulation) */
	t->measured = m->r.mean_ns / plot_value(ri, d);
	t->status = t->measured >= 0.5 ? "met" : "missed";
	snprintf(t->detail, sizeof(t->detail),
		 "door %.0f MB/s, memcpy %.0f MB/s, rep movsb %.0f MB/s",
		 mb_per_s(MIB, plot_value(ri, d)), mb_per_s(MIB, m->r.mean_ns),
		 rm ? mb_per_s(MIB, rm->r.mean_ns) : 0.0);
}

/*
 * Under -icount a rep movsb iteration counts as an instruction, so the
 * kernel's copy can never approach glibc's vector memcpy there: the
 * one-copy claim is checked against the kernel's own copy as well.
 */
static void movsb_target(struct target *t, const struct run_info *ri,
			 const struct record *rec, size_t n)
{
	const struct record *d = ok(find_record(rec, n, "call", "door", MIB,
						0, 1, sweep_pin(ri)));
	const struct record *m = ok(find_record(rec, n, "memcpy", "rep_movsb",
						MIB, 0, 1, NULL));

	t->name = "1 MiB argument: >= 0.5 x rep movsb (the kernel's copy)";
	t->limit = 0.5;
	if (!d || !m) {
		t->status = "not measured";
		t->measured = NAN;
		snprintf(t->detail, sizeof(t->detail), "door or rep movsb missing");
		return;
	}
	t->measured = m->r.mean_ns / d->r.mean_ns;
	t->status = t->measured >= 0.5 ? "met" : "missed";
	snprintf(t->detail, sizeof(t->detail),
		 "informational (icount artefact): door %.0f, rep movsb %.0f instructions",
		 d->r.mean_ns, m->r.mean_ns);
}

/*
 * Spread without the highest batch. Under -icount, work of other guest
 * tasks (a kworker, RCU) that lands inside a batch can only add
 * instructions, so one high batch marks interference, not a measurement
 * that fails to repeat; the raw spread is reported next to it.
 */
static double trimmed_spread_pct(const struct sample_result *r)
{
	double hi = 0, second = 0;
	unsigned int i;

	if (r->repeats < 3 || r->repeats > 64 || r->batch_ns[0] <= 0)
		return spread_pct(r);
	for (i = 0; i < r->repeats; i++) {
		double v = r->batch_ns[i];

		if (v > hi) {
			second = hi;
			hi = v;
		} else if (v > second) {
			second = v;
		}
	}
	return r->min_ns > 0 ? 100.0 * (second - r->min_ns) / r->min_ns : 0;
}

static void repeat_target(struct target *t, const struct record *rec, size_t n)
{
	const struct record *worst = NULL, *worst_raw = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct record *r = ok(&rec[i]);

		if (!r || !strcmp(r->group, "threads"))
			continue;
		if (!worst || trimmed_spread_pct(&r->r) > trimmed_spread_pct(&worst->r))
			worst = r;
		if (!worst_raw || spread_pct(&r->r) > spread_pct(&worst_raw->r))
			worst_raw = r;
	}
	t->name = "instruction counts repeat within 1% (max-min)/min, highest batch left out";
	t->limit = 1.0;
	if (!worst) {
		t->status = "not measured";
		t->measured = NAN;
		return;
	}
	t->measured = trimmed_spread_pct(&worst->r);
	t->status = t->measured <= 1.0 ? "met" : "missed";
	snprintf(t->detail, sizeof(t->detail),
		 "worst: %s %s %zu B; with every batch: %.2f%% (%s %s %zu B)",
		 worst->group, worst->mech, worst->payload,
		 spread_pct(&worst_raw->r), worst_raw->group, worst_raw->mech,
		 worst_raw->payload);
}

static size_t compute_targets(const struct run_info *ri,
			      const struct record *rec, size_t n,
			      struct target *t)
{
	const char *pin = lead_pin(ri);
	double door = mean_of(null_call(ri, rec, n, "door", pin));
	size_t k = 0;

	if (ri->icount) {
		set_ratio(&t[k++], "null door_call <= 0.5 x pipe ping-pong", door,
			  mean_of(null_call(ri, rec, n, "pipe", pin)), 0.5,
			  false, "door/pipe");
		set_ratio(&t[k++], "null door_call <= 1.3 x sched_yield floor",
			  door, mean_of(null_call(ri, rec, n, "sched_yield", pin)),
			  1.3, false, "door/floor");
		set_ratio(&t[k++], "null door_call < futex ping-pong", door,
			  mean_of(null_call(ri, rec, n, "futex", pin)), 1.0,
			  true, "door/futex");
		set_ratio(&t[k++], "null door_call < binder", door,
			  mean_of(null_call(ri, rec, n, "binder", pin)), 1.0,
			  true, "door/binder");
	}
	bandwidth_target(&t[k++], ri, rec, n);
	if (ri->icount)
		movsb_target(&t[k++], ri, rec, n);
	threads_target(&t[k++], rec, n, sweep_pin(ri));
	if (ri->icount)
		repeat_target(&t[k++], rec, n);
	return k;
}

/* --- JSON --- */

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void json_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.3f", v);
	else
		fputs("null", f);
}

static void json_record(FILE *f, const struct record *r, bool last)
{
	const struct sample_result *s = &r->r;

	fputs("    {\"group\": ", f);
	json_str(f, r->group);
	fputs(", \"mech\": ", f);
	json_str(f, r->mech);
	fputs(", \"label\": ", f);
	json_str(f, r->label);
	fprintf(f, ", \"payload\": %zu, \"ndesc\": %u, \"threads\": %u, \"pin\": ",
		r->payload, r->ndesc, r->threads);
	json_str(f, r->pin);
	if (r->handoff >= 0)
		fprintf(f, ", \"handoff\": %d", r->handoff);
	fputs(", \"status\": ", f);
	json_str(f, s->status ? "error" : "ok");
	if (s->status) {
		fputs(", \"why\": ", f);
		json_str(f, s->why);
		fprintf(f, "}%s\n", last ? "" : ",");
		return;
	}
	fprintf(f, ", \"calls\": %lu, \"repeats\": %u, \"mean\": ", s->calls,
		s->repeats);
	json_num(f, s->mean_ns);
	fputs(", \"min\": ", f);
	json_num(f, s->min_ns);
	fputs(", \"max\": ", f);
	json_num(f, s->max_ns);
	fputs(", \"spread_pct\": ", f);
	json_num(f, spread_pct(s));
	if (s->p50_ns > 0) {
		fputs(", \"p50\": ", f);
		json_num(f, s->p50_ns);
		fputs(", \"p99\": ", f);
		json_num(f, s->p99_ns);
	}
	fputs(", \"calls_per_sec\": ", f);
	json_num(f, s->calls_per_sec);
	if (s->repeats > 1 && s->repeats <= 64 && s->batch_ns[0] > 0) {
		unsigned int i;

		fputs(", \"batches\": [", f);
		for (i = 0; i < s->repeats; i++) {
			fputs(i ? ", " : "", f);
			json_num(f, s->batch_ns[i]);
		}
		fputc(']', f);
	}
	if (r->payload) {
		fputs(", \"mb_per_s\": ", f);
		json_num(f, mb_per_s(r->payload, s->mean_ns));
	}
	fprintf(f, "}%s\n", last ? "" : ",");
}

int report_json(FILE *f, const struct run_info *ri, const struct record *rec,
		size_t n)
{
	struct target t[MAX_TARGETS];
	size_t i, nt = compute_targets(ri, rec, n, t);

	fputs("{\n  \"suite\": \"doorbench\",\n  \"mode\": ", f);
	json_str(f, ri->icount ? "icount" : "smp");
	fputs(",\n  \"unit\": ", f);
	json_str(f, unit_name(ri));
	fputs(",\n  \"kernel\": ", f);
	json_str(f, ri->kernel);
	fprintf(f, ",\n  \"cpus\": %d,\n  \"clocksource\": ", ri->cpus);
	json_str(f, ri->clocksource);
	fputs(",\n  \"perf\": ", f);
	json_str(f, ri->perf_version);
	fputs(",\n  \"door_params\": ", f);
	json_str(f, ri->door_params);
	fputs(",\n  \"cpu_mhz\": ", f);
	json_str(f, ri->cpu_mhz);
	fprintf(f, ",\n  \"guest_elapsed_s\": %.1f", ri->elapsed_s);
	fprintf(f, ",\n  \"plan\": {\"repeats\": %u, \"batch_ns\": %.0f, \"per_call\": %s},\n",
		ri->plan.repeats, ri->plan.batch_ns,
		ri->plan.per_call ? "true" : "false");
	fputs("  \"results\": [\n", f);
	for (i = 0; i < n; i++)
		json_record(f, &rec[i], i + 1 == n);
	fputs("  ],\n  \"targets\": [\n", f);
	for (i = 0; i < nt; i++) {
		fputs("    {\"target\": ", f);
		json_str(f, t[i].name);
		fputs(", \"measured\": ", f);
		json_num(f, t[i].measured);
		fputs(", \"limit\": ", f);
		json_num(f, t[i].limit);
		fputs(", \"status\": ", f);
		json_str(f, t[i].status);
		fputs(", \"detail\": ", f);
		json_str(f, t[i].detail);
		fprintf(f, "}%s\n", i + 1 == nt ? "" : ",");
	}
	fputs("  ]\n}\n", f);
	return ferror(f) ? -5 : 0;
}

/* --- Markdown --- */

static const char *size_name(size_t b, char *buf, size_t len)
{
	if (b >= MIB && b % MIB == 0)
		snprintf(buf, len, "%zu MiB", b / MIB);
	else if (b >= KIB && b % KIB == 0)
		snprintf(buf, len, "%zu KiB", b / KIB);
	else
		snprintf(buf, len, "%zu B", b);
	return buf;
}

static const char *label_of(const struct record *rec, size_t n,
			    const char *mech)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(rec[i].mech, mech))
			return rec[i].label;
	return mech;
}

/* A table cell: the value, or why there is none. */
static void md_cell(FILE *f, const struct record *r, double v)
{
	if (!r)
		fputs(" – |", f);
	else if (r->r.status)
		fprintf(f, " %s |", strstr(r->r.why, "not available") ?
			"n/a" : "error");
	else
		fprintf(f, " %.0f |", v);
}

static void md_null_icount(FILE *f, const struct run_info *ri,
			   const struct record *rec, size_t n)
{
	const struct record *door = null_call(ri, rec, n, "door", "-");
	size_t i;

	fprintf(f, "### Null round trip (%s per call)\n\n", unit_name(ri));
	fputs("| mechanism | mean | min | max | spread | × door_call |\n", f);
	fputs("|---|---:|---:|---:|---:|---:|\n", f);
	for (i = 0; i < NNULL_MECHS; i++) {
		const struct record *r = find_record(rec, n, "call",
						     null_mechs[i], 0,
						     (unsigned int)-1, 1, "-");

		if (!r)
			continue;
		fprintf(f, "| %s |", r->label);
		if (r->r.status) {
			fputs(" n/a | | | | |\n", f);
			continue;
		}
		fprintf(f, " %.0f | %.0f | %.0f | %.2f%% |", r->r.mean_ns,
			r->r.min_ns, r->r.max_ns, spread_pct(&r->r));
		if (door && door != r)
			fprintf(f, " %.2f |\n", r->r.mean_ns / door->r.mean_ns);
		else
			fputs(door ? " 1.00 |\n" : " – |\n", f);
	}
	fputc('\n', f);
}

static void md_null_smp(FILE *f, const struct run_info *ri,
			const struct record *rec, size_t n)
{
	static const char *const pins[] = { "same", "cross", "none" };
	size_t i, k;

	fputs("### Null round trip, ns (p50 / p99)\n\n", f);
	fputs("| mechanism | pinned, same CPU | pinned, cross-CPU | unpinned |\n", f);
	fputs("|---|---:|---:|---:|\n", f);
	for (i = 0; i < NNULL_MECHS; i++) {
		bool any = false;

		for (k = 0; k < 3; k++)
			any |= find_record(rec, n, "call", null_mechs[i], 0,
					   (unsigned int)-1, 1, pins[k]) != NULL;
		if (!any)
			continue;
		fprintf(f, "| %s |", label_of(rec, n, null_mechs[i]));
		for (k = 0; k < 3; k++) {
			const struct record *r = find_record(rec, n, "call",
					null_mechs[i], 0, (unsigned int)-1, 1,
					pins[k]);

			if (!r)
				fputs(" – |", f);
			else if (r->r.status)
				md_cell(f, r, 0);
			else if (r->r.p50_ns > 0)
				fprintf(f, " %.0f / %.0f |", r->r.p50_ns,
					r->r.p99_ns);
			else
				fprintf(f, " %.0f (mean) |", r->r.mean_ns);
		}
		fputc('\n', f);
	}
	fputc('\n', f);
}

static void md_copy_row(FILE *f, const struct record *rec, size_t n,
			const char *mech, const char *label)
{
	size_t k;

	fprintf(f, "| %s | – |", label);
	for (k = 1; k < NSWEEP; k++) {
		const struct record *r = find_record(rec, n, "memcpy", mech,
						     sweep[k], 0, 1, NULL);

		if (r && !r->r.status)
			fprintf(f, " %.0f (%.0f) |", r->r.mean_ns,
				mb_per_s(sweep[k], r->r.mean_ns));
		else
			md_cell(f, r, 0);
	}
	fputc('\n', f);
}

static void md_sweep(FILE *f, const struct run_info *ri,
		     const struct record *rec, size_t n)
{
	const char *pin = sweep_pin(ri);
	char sz[32];
	size_t i, k;

	fprintf(f, "### Payload sweep: %s %s per call (MB/s)\n\n",
		ri->icount ? "mean" : "p50", unit_name(ri));
	fputs("Argument of the given size, empty reply (pipes and sockets carry a "
	      "one-byte token for the null call and the reply).\n\n", f);
	fputs("| mechanism |", f);
	for (k = 0; k < NSWEEP; k++)
		fprintf(f, " %s |", size_name(sweep[k], sz, sizeof(sz)));
	fputs("\n|---|", f);
	for (k = 0; k < NSWEEP; k++)
		fputs("---:|", f);
	fputc('\n', f);
	for (i = 0; i < NSWEEP_MECHS; i++) {
		if (!find_record(rec, n, "call", sweep_mechs[i], 0,
				 (unsigned int)-1, 1, pin))
			continue;
		fprintf(f, "| %s |", label_of(rec, n, sweep_mechs[i]));
		for (k = 0; k < NSWEEP; k++) {
			const struct record *r = find_record(rec, n, "call",
				sweep_mechs[i], sweep[k], (unsigned int)-1, 1, pin);

			double v = r ? plot_value(ri, r) : 0;

			if (r && !r->r.status && sweep[k])
				fprintf(f, " %.0f (%.0f) |", v,
					mb_per_s(sweep[k], v));
			else
				md_cell(f, r, v);
		}
		fputc('\n', f);
	}
	md_copy_row(f, rec, n, "memcpy", "memcpy (glibc)");
	md_copy_row(f, rec, n, "rep_movsb", "rep movsb (kernel copy)");
	fputc('\n', f);
}

static void md_desc(FILE *f, const struct run_info *ri,
		    const struct record *rec, size_t n)
{
	static const char *const dm[] = { "door", "unix_seqpacket_fd" };
	const char *pin = sweep_pin(ri);
	size_t i;

	fprintf(f, "### Descriptor passing: mean %s per null call\n\n",
		unit_name(ri));
	fputs("| mechanism | 1 per call | 16 per call |\n|---|---:|---:|\n", f);
	for (i = 0; i < 2; i++) {
		const struct record *a = find_record(rec, n, "desc", dm[i], 0,
						     1, 1, pin);
		const struct record *b = find_record(rec, n, "desc", dm[i], 0,
						     16, 1, pin);

		if (!a && !b)
			continue;
		fprintf(f, "| %s |", label_of(rec, n, dm[i]));
		md_cell(f, a, a ? a->r.mean_ns : 0);
		md_cell(f, b, b ? b->r.mean_ns : 0);
		fputc('\n', f);
	}
	fputc('\n', f);
}

static void md_threads(FILE *f, const struct run_info *ri,
		       const struct record *rec, size_t n)
{
	static const unsigned int counts[] = { 1, 2, 8, 64 };
	const char *pin = sweep_pin(ri);
	size_t k;

	fprintf(f, "### Client threads on one door (null calls; %s)\n\n",
		ri->icount ? "per-call times include two clock reads" :
			     "unpinned");
	fprintf(f, "| threads | calls/s | p50 %s | p99 %s |\n|---:|---:|---:|---:|\n",
		unit_name(ri), unit_name(ri));
	for (k = 0; k < 4; k++) {
		const struct record *r = find_record(rec, n, "threads", "door",
						     0, 0, counts[k], pin);

		if (!r)
			continue;
		fprintf(f, "| %u |", counts[k]);
		if (r->r.status)
			fputs(" n/a | | |\n", f);
		else
			fprintf(f, " %.0f | %.0f | %.0f |\n",
				r->r.calls_per_sec, r->r.p50_ns, r->r.p99_ns);
	}
	fputc('\n', f);
}

static const struct record *handoff_record(const struct record *rec, size_t n,
					    int mode, const char *pin)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(rec[i].group, "handoff") && rec[i].handoff == mode &&
		    !strcmp(rec[i].pin, pin))
			return &rec[i];
	return NULL;
}

/* door.ko's handoff strategies, one bit added per row (handoff.c). */
static void md_handoff(FILE *f, const struct run_info *ri,
		       const struct record *rec, size_t n)
{
	static const struct { int mode; const char *what; } rows[] = {
		{ 0x00, "plain wake-ups" },
		{ 0x01, "+ SYNC (WF_SYNC wake-ups)" },
		{ 0x03, "+ CALLER_PIN (migrate_disable while waiting)" },
		{ 0x07, "+ SERVER_PIN (server affinity = caller's CPU)" },
		{ 0x0f, "+ STICKY (keep that affinity)" },
		{ 0x1f, "+ PRIO (caller's scheduling attributes)" },
	};
	const struct record *floor = null_call(ri, rec, n, "sched_yield",
					       lead_pin(ri));
	size_t i;

	if (!handoff_record(rec, n, 0x1f, sweep_pin(ri)))
		return;
	fputs("### door_call by door.ko handoff strategy (null calls)\n\n", f);
	if (ri->icount) {
		fputs("| handoff | strategy | mean | spread | × sched_yield floor |\n", f);
		fputs("|---:|---|---:|---:|---:|\n", f);
	} else {
		fputs("| handoff | strategy | unpinned p50 / p99 | cross-CPU p50 / p99 |\n", f);
		fputs("|---:|---|---:|---:|\n", f);
	}
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct record *r = handoff_record(rec, n, rows[i].mode,
							sweep_pin(ri));
		const struct record *c = handoff_record(rec, n, rows[i].mode,
							"cross");

		if (!r)
			continue;
		fprintf(f, "| 0x%02x | %s |", rows[i].mode, rows[i].what);
		if (r->r.status) {
			fputs(ri->icount ? " error | | |\n" : " error | |\n", f);
			continue;
		}
		if (ri->icount) {
			fprintf(f, " %.0f | %.2f%% |", r->r.mean_ns,
				spread_pct(&r->r));
			if (floor)
				fprintf(f, " %.2f |\n",
					r->r.mean_ns / floor->r.mean_ns);
			else
				fputs(" – |\n", f);
			continue;
		}
		fprintf(f, " %.0f / %.0f |", r->r.p50_ns, r->r.p99_ns);
		if (c && !c->r.status)
			fprintf(f, " %.0f / %.0f |\n", c->r.p50_ns, c->r.p99_ns);
		else
			fputs(" – |\n", f);
	}
	fputc('\n', f);
}

/* Where a null door_call's instructions go, from the baselines. */
static void md_breakdown(FILE *f, const struct run_info *ri,
			 const struct record *rec, size_t n)
{
	const struct record *door = null_call(ri, rec, n, "door", "-");
	const struct record *floor = null_call(ri, rec, n, "sched_yield", "-");
	const struct record *sys = ok(find_record(rec, n, "baseline", "syscall",
						  0, 0, 1, NULL));
	const struct record *info = ok(find_record(rec, n, "baseline",
						   "door_info", 0, 0, 1, NULL));
	const struct record *plain = handoff_record(rec, n, 0x00, "-");

	if (!ri->icount || !door || !floor || !sys)
		return;
	fputs("### Breakdown of a null door_call (instructions)\n\n", f);
	fputs("| part | instructions |\n|---|---:|\n", f);
	fprintf(f, "| door_call round trip | %.0f |\n", door->r.mean_ns);
	fprintf(f, "| sched_yield floor: 2 syscalls + 2 context switches | %.0f |\n",
		floor->r.mean_ns);
	fprintf(f, "| null syscall (getppid) | %.0f |\n", sys->r.mean_ns);
	if (info)
		fprintf(f, "| DOOR_IOC_INFO (syscall + door fd lookup + copy-out) | %.0f |\n",
			info->r.mean_ns);
	fprintf(f, "| door_call − floor: wake-ups, sleeping, argument and result handling, handoff | %.0f |\n",
		door->r.mean_ns - floor->r.mean_ns);
	if (plain && !plain->r.status)
		fprintf(f, "| of which the handoff strategy (default − plain wake-ups) | %.0f |\n",
			door->r.mean_ns - plain->r.mean_ns);
	fputc('\n', f);
}

static void md_targets(FILE *f, const struct run_info *ri,
		       const struct record *rec, size_t n)
{
	struct target t[MAX_TARGETS];
	size_t i, nt = compute_targets(ri, rec, n, t);

	fputs("### Targets (issue 8)\n\n", f);
	fputs("| target | measured | limit | status | detail |\n", f);
	fputs("|---|---:|---:|---|---|\n", f);
	for (i = 0; i < nt; i++) {
		fprintf(f, "| %s |", t[i].name);
		if (isfinite(t[i].measured))
			fprintf(f, " %.3f |", t[i].measured);
		else
			fputs(" – |", f);
		fprintf(f, " %.2f | **%s** | %s |\n", t[i].limit, t[i].status,
			t[i].detail);
	}
	fputc('\n', f);
}

/* Why some cells are empty: each distinct reason once. */
static void md_notes(FILE *f, const struct record *rec, size_t n)
{
	bool any = false;
	size_t i, j;

	for (i = 0; i < n; i++) {
		bool seen = false;

		if (!rec[i].r.status)
			continue;
		for (j = 0; j < i && !seen; j++)
			seen = rec[j].r.status && !strcmp(rec[j].mech, rec[i].mech) &&
			       !strcmp(rec[j].r.why, rec[i].r.why);
		if (seen)
			continue;
		if (!any)
			fputs("### Not measured (n/a) or failed\n\n", f);
		any = true;
		fprintf(f, "- %s (%s, %zu B, %u fd, %u threads, pin %s): %s\n",
			rec[i].label, rec[i].group, rec[i].payload, rec[i].ndesc,
			rec[i].threads, rec[i].pin, rec[i].r.why);
	}
	if (any)
		fputc('\n', f);
}

int report_markdown(FILE *f, const struct run_info *ri,
		    const struct record *rec, size_t n)
{
	const struct record *clk = find_record(rec, n, "baseline",
					       "clock_gettime", 0, 0, 1, NULL);

	if (ri->icount)
		fprintf(f, "## Instruction counts: qemu -icount shift=0, 1 CPU, Linux %s\n\n",
			ri->kernel);
	else
		fprintf(f, "## Latency: qemu TCG, %d CPUs, Linux %s\n\n", ri->cpus,
			ri->kernel);
	fprintf(f, "Clock source `%s`; %u repeats per point, batches of about %.0f ms of guest time",
		ri->clocksource, ri->plan.repeats, ri->plan.batch_ns / 1e6);
	if (clk && !clk->r.status)
		fprintf(f, "; one clock_gettime() costs %.0f %s", clk->r.mean_ns,
			unit_name(ri));
	fputs(".", f);
	if (ri->door_params[0])
		fprintf(f, " door.ko parameters: `%s`.", ri->door_params);
	if (ri->perf_version[0])
		fprintf(f, " %s.", ri->perf_version);
	fprintf(f, " The guest clock counted %.0f s for the run (TSC %s MHz).",
		ri->elapsed_s, ri->cpu_mhz[0] ? ri->cpu_mhz : "?");
	fputs("\n\n", f);
	if (ri->icount)
		md_null_icount(f, ri, rec, n);
	else
		md_null_smp(f, ri, rec, n);
	md_sweep(f, ri, rec, n);
	md_desc(f, ri, rec, n);
	md_threads(f, ri, rec, n);
	md_handoff(f, ri, rec, n);
	md_breakdown(f, ri, rec, n);
	md_targets(f, ri, rec, n);
	md_notes(f, rec, n);
	return ferror(f) ? -5 : 0;
}

/* --- gnuplot data: one row per payload size, one column per mechanism --- */

static double plot_value(const struct run_info *ri, const struct record *r)
{
	if (!r)
		return NAN;
	return ri->icount || r->r.p50_ns <= 0 ? r->r.mean_ns : r->r.p50_ns;
}

static const struct record *plot_record(const struct record *rec, size_t n,
					const char *mech, size_t payload,
					const char *pin)
{
	if (!strcmp(mech, "memcpy") || !strcmp(mech, "rep_movsb"))
		return ok(find_record(rec, n, "memcpy", mech, payload, 0, 1,
				      NULL));
	return ok(find_record(rec, n, "call", mech, payload, (unsigned int)-1,
			      1, pin));
}

/* Columns with no value at all are left out so the plot stays clean. */
int report_plot_data(FILE *f, const struct run_info *ri,
		     const struct record *rec, size_t n)
{
	const char *cols[NSWEEP_MECHS + 2];
	const char *pin = sweep_pin(ri);
	size_t i, k, ncols = 0;
	char sz[32];

	for (i = 0; i < NSWEEP_MECHS + 2; i++) {
		const char *m = i < NSWEEP_MECHS ? sweep_mechs[i] :
				i == NSWEEP_MECHS ? "memcpy" : "rep_movsb";

		for (k = 0; k < NSWEEP; k++)
			if (plot_record(rec, n, m, sweep[k], pin)) {
				cols[ncols++] = m;
				break;
			}
	}
	fputs("size x", f);
	for (i = 0; i < ncols; i++)
		fprintf(f, " \"%s\"", label_of(rec, n, cols[i]));
	fputc('\n', f);
	for (k = 0; k < NSWEEP; k++) {
		fprintf(f, "\"%s\" %zu", size_name(sweep[k], sz, sizeof(sz)), k);
		for (i = 0; i < ncols; i++) {
			double v = plot_value(ri, plot_record(rec, n, cols[i],
							      sweep[k], pin));

			if (isfinite(v))
				fprintf(f, " %.1f", v);
			else
				fputs(" NaN", f);
		}
		fputc('\n', f);
	}
	return ferror(f) ? -5 : 0;
}
