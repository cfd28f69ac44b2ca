/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * doorbench: door_call measured side by side with the IPC mechanisms a
 * kernel developer would compare it with. One client process, one server
 * process, one round trip per "call"; see tests/bench/README.md.
 */
#ifndef DOORBENCH_H
#define DOORBENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define KIB (1024UL)
#define MIB (1024UL * 1024UL)

/* The largest argument any sweep uses: the buffers are sized for it. */
#define BENCH_MAX_PAYLOAD MIB

/* What one measurement point asks of a mechanism. */
struct bench_params {
	size_t payload;		/* argument bytes per call (result is empty) */
	unsigned int ndesc;	/* descriptors passed with each call */
	unsigned int threads;	/* client threads calling concurrently */
	int client_cpu;		/* -1: not pinned */
	int server_cpu;
	bool per_call;		/* time every call, even in batch mode */
};

/* mech flags */
#define MECH_PAYLOAD	0x1	/* takes part in the payload sweep */
#define MECH_DESC	0x2	/* can pass descriptors */
#define MECH_THREADS	0x4	/* one server serves many client threads */
#define MECH_SAMECPU	0x8	/* only meaningful with both on one CPU */

/*
 * A mechanism. setup() runs before fork and returns the shared state;
 * serve() runs in the server child, writes one byte to ready_fd once it
 * can take calls and serves until it is killed; client() runs in the
 * parent once the server is ready; call() is one round trip (thread-safe
 * for MECH_THREADS); cleanup() runs in the parent after the server died.
 */
struct mech {
	const char *name;	/* key in the JSON output */
	const char *label;	/* row name in tables and plots */
	unsigned int flags;
	/* 0 when usable here, else -errno and a reason in why */
	int (*probe)(char *why, size_t len);
	int (*setup)(void **state, const struct bench_params *p);
	int (*serve)(void *state, const struct bench_params *p, int ready_fd);
	int (*client)(void *state, const struct bench_params *p);
	int (*call)(void *state);
	void (*cleanup)(void *state);
};

extern const struct mech mech_pipe;
extern const struct mech mech_unix_stream;
extern const struct mech mech_unix_seqpacket;
extern const struct mech mech_unix_seqpacket_fd;
extern const struct mech mech_futex;
extern const struct mech mech_yield;
extern const struct mech mech_binder;
extern const struct mech mech_door;

/* How long to measure and how. */
struct sample_plan {
	bool per_call;		/* time every call (percentiles) */
	unsigned int repeats;	/* batches */
	double batch_ns;	/* target duration of one batch */
	unsigned int min_calls;
	unsigned int max_calls;
};

/* What a measurement produced. Times in nanoseconds of the guest clock. */
struct sample_result {
	int status;		/* 0, or -errno when the point failed */
	char why[160];
	unsigned long calls;	/* per batch */
	unsigned int repeats;
	double mean_ns;		/* mean over batches of the per-call mean */
	double min_ns;		/* lowest batch mean */
	double max_ns;		/* highest batch mean */
	double p50_ns, p99_ns;	/* per_call only */
	double calls_per_sec;	/* aggregate, all client threads */
	double batch_ns[64];	/* per-call mean of each batch */
};

/* One measured point, as reported. */
struct record {
	const char *group;	/* "call", "desc", "threads", "memcpy", ... */
	const char *mech;	/* JSON key */
	const char *label;	/* for people */
	size_t payload;
	unsigned int ndesc;
	unsigned int threads;
	const char *pin;	/* "same", "cross", "none", or "-" (one CPU) */
	int handoff;		/* door.ko handoff bits in force, -1: default */
	struct sample_result r;
};

/* What the run was, for the report's header. */
struct run_info {
	bool icount;		/* times are instruction counts */
	int cpus;
	char kernel[80];
	char clocksource[40];
	char perf_version[80];
	char door_params[256];
	char cpu_mhz[32];	/* the guest kernel's TSC calibration */
	double elapsed_s;	/* guest clock, whole run */
	struct sample_plan plan;
};

/* report.c */
int report_json(FILE *f, const struct run_info *ri, const struct record *rec,
		size_t n);
int report_markdown(FILE *f, const struct run_info *ri,
		    const struct record *rec, size_t n);
int report_plot_data(FILE *f, const struct run_info *ri,
		     const struct record *rec, size_t n);
const struct record *find_record(const struct record *rec, size_t n,
				 const char *group, const char *mech,
				 size_t payload, unsigned int ndesc,
				 unsigned int threads, const char *pin);

/* timing.c */
uint64_t now_ns(void);
int pin_to_cpu(int cpu);
int online_cpus(void);
int cmp_u64(const void *a, const void *b);
double percentile(const uint64_t *sorted, size_t n, double q);

/* peer.c: run one mechanism at one point */
int peer_measure(const struct mech *m, const struct bench_params *p,
		 const struct sample_plan *plan, struct sample_result *r);

/* fdpass.c: SCM_RIGHTS helpers */
int send_fds(int sock, const int *fds, unsigned int nfds, const void *buf,
	     size_t len);
ssize_t recv_fds(int sock, int *fds, unsigned int maxfds, unsigned int *nfds,
		 void *buf, size_t len);

/* io.c: whole reads and writes */
int write_all(int fd, const void *buf, size_t len);
int read_all(int fd, void *buf, size_t len);
int wait_ready(int fd);
int signal_ready(int fd);

/* memcpy_bw.c */
int memcpy_measure(size_t size, bool rep_movsb,
		   const struct sample_plan *plan, struct sample_result *r);
int clock_measure(const struct sample_plan *plan, struct sample_result *r);
int op_measure(int (*op)(void *), void *arg, const struct sample_plan *plan,
	       struct sample_result *r);

/* mech_door.c: door.ko outside a call */
int door_info_measure(const struct sample_plan *plan, struct sample_result *r);
int door_handoff_get(unsigned int *mode);
int door_handoff_set(unsigned int mode);

/* perf_pipe.c: `perf bench sched pipe` */
int perf_pipe_measure(unsigned long loops, unsigned int repeats, bool pin_same,
		      char *version, size_t vlen, struct sample_result *r);

#endif
