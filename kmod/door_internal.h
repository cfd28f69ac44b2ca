/* SPDX-License-Identifier: GPL-2.0 */
/*
 * door.ko internal types shared by the module's source files.
 * The locking rules are described at the top of main.c.
 */
#ifndef DOOR_INTERNAL_H
#define DOOR_INTERNAL_H

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/list.h>
#include <linux/pid.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/xarray.h>
#include <linux/door.h>

#include "compat.h"

#define DOOR_SMALL_DATA		(16 * 1024)	/* staged in a kernel buffer */
#define DOOR_MAX_DESC		1024		/* per transfer, as Solaris */
#define DOOR_DESC_SIZE		sizeof(struct door_desc)

/* Masks out the size field, for the size-extensible ioctls. */
#define DOOR_IOC_NOSIZE(cmd)	((cmd) & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT))

/* Limits, tunable as read-only module parameters (main.c). */
extern unsigned long door_max_data;	/* largest argument or result */
extern unsigned int door_max_waiting;	/* callers waiting per pool */
extern unsigned int door_max_threads;	/* thread records per context */
extern unsigned int door_handoff;	/* DOOR_HANDOFF_* (handoff.c) */

/* Live-object counters, exported read-only through sysfs (main.c). */
extern atomic_t door_live_ctx;
extern atomic_t door_live_doors;
extern atomic_t door_live_files;
extern atomic_t door_live_invs;
extern atomic_t door_live_threads;

/*
 * A pool of parked server threads: a context's shared pool, or the
 * private pool of a DOOR_PRIVATE door (threads join it with DOOR_IOC_BIND).
 */
struct door_pool {
	struct list_head threads;	/* parked door_thread, LIFO */
	unsigned int nparked;
	unsigned int nwaiting;		/* callers waiting for a thread */
	wait_queue_head_t waitq;	/* those callers */
	struct list_head unrefs;	/* doors owing an unref invocation */
};

/* Per-door statistics (DOOR_IOC_STATS), under ctx->lock. */
struct door_counters {
	u64 calls;			/* calls ended, successful or not */
	u64 errors;
	u64 active;			/* invocations a thread serves */
	u64 peak_active;
	u64 latency[DOOR_STATS_BUCKETS];
};

/* A process's door context: one per open of /dev/door. */
struct door_ctx {
	refcount_t ref;
	struct pid *owner;		/* thread group; immutable */
	spinlock_t lock;		/* see main.c */
	bool dead;
	struct door_pool pool;
	struct list_head doors;		/* doors not yet revoked */
	struct xarray threads;		/* door_thread by global tid */
	unsigned int nthreads;		/* records in @threads */
};

/* A door: owned by the context that created it. */
struct door {
	refcount_t ref;
	struct door_ctx *ctx;		/* holds a reference; immutable */
	struct inode *inode;		/* one per door, i_private = door */
	u64 id;
	u64 proc;
	u64 cookie;
	u32 attributes;			/* creation attributes; immutable */
	bool revoked;			/* ctx->lock; read with READ_ONCE */
	struct list_head ctx_node;	/* ctx->doors, under ctx->lock */
	atomic_t nfiles;		/* open door files */
	wait_queue_head_t pollwq;	/* poll: revocation */
	u64 data_min;			/* DOOR_PARAM_* */
	u64 data_max;
	u32 desc_max;
	struct list_head unref_node;	/* pool->unrefs, under ctx->lock */
	bool unref_queued;		/* ctx->lock */
	bool unref_done;		/* ctx->lock: DOOR_UNREF fired */
	bool unref_delayed;		/* ctx->lock: waits for stats.active 0 */
	int exit_signal;		/* 0, or sent after each call */
	struct door_pool *pool;		/* &ctx->pool or &private_pool */
	struct door_pool private_pool;	/* DOOR_PRIVATE doors only */
	struct door_counters stats;	/* ctx->lock */
};

/* Saved scheduling attributes (handoff.c). */
struct door_sched {
	int policy;
	int nice;
	unsigned int rt_priority;
	bool reset_on_fork;
};

/* A server thread's state, kept between its DOOR_IOC_RETURN calls. */
struct door_thread {
	struct door_ctx *ctx;
	struct pid *pid;		/* the thread; ctx->lock */
	struct task_struct *task;	/* valid while parked */
	struct list_head pool_node;	/* ctx->lock */
	bool parked;			/* ctx->lock */
	bool dispatching;		/* caller still preparing the handoff */
	struct door_inv *inv;		/* ctx->lock: assigned or served */
	wait_queue_head_t wq;		/* parked thread sleeps here */
	/* DOOR_IOC_BIND: a private door (a reference); only the thread's own
	 * ioctls and the context's teardown touch it
	 */
	struct door *bound;
	/* handoff.c; only the thread itself and its dispatcher touch these */
	int pinned_cpu;			/* -1 unless we narrowed its affinity */
	cpumask_var_t saved_mask;
	struct door_sched saved_sched;
	bool sched_changed;
};

/* Bytes in transit: a kernel copy, or the sender's pinned pages. */
struct door_data {
	u64 size;
	void *kbuf;
	struct page **pages;
	unsigned int npages;
	unsigned int offset;		/* of the data in pages[0] */
};

/* Descriptors in transit: one held file per entry. */
struct door_xfer {
	unsigned int n;
	struct file **files;
	struct door_desc *descs;	/* what the receiver is told */
	int *fds;			/* reserved in the receiver */
};

enum door_inv_state {
	DOOR_INV_ACTIVE,	/* handed to a server thread */
	DOOR_INV_DONE,		/* results posted */
	DOOR_INV_FAILED,	/* ended with @error for the caller */
	DOOR_INV_CANCELLED,	/* caller left; results are dropped */
};

/* One invocation: shared by the caller and the serving thread. */
struct door_inv {
	refcount_t ref;
	struct door *door;		/* holds a reference */
	enum door_inv_state state;	/* door->ctx->lock */
	int error;			/* with DOOR_INV_FAILED */
	struct door_thread *server;	/* door->ctx->lock */
	wait_queue_head_t wq;		/* the caller sleeps here */
	const struct cred *cred;	/* caller's, at call time */
	struct pid *caller_tgid;
	struct door_sched caller_sched;
	int caller_cpu;
	struct door_data args;
	struct door_xfer args_desc;
	bool noresults;			/* DOOR_CALL_F_NORESULTS */
	struct door_data res;
	struct door_xfer res_desc;
	/* results the caller must acknowledge (pinned or descriptors) */
	bool need_ack;
	bool acked;			/* door->ctx->lock */
	int ack_error;
	wait_queue_head_t ackwq;	/* the server sleeps here */
};

/* main.c */
bool door_is_owner(struct door_ctx *ctx);
int door_copy_sized(void *dst, size_t size, void __user *uarg);

/* context.c */
extern const struct file_operations door_ctx_fops;
void door_ctx_put(struct door_ctx *ctx);
struct door_thread *door_thread_get(struct door_ctx *ctx, bool create);

/* object.c */
extern const struct file_operations door_fops;
int door_fs_init(void);
void door_fs_exit(void);
int door_create(struct door_ctx *ctx, const struct door_create *dc);
struct file *door_new_file(struct door *door, int flags);
void door_put(struct door *door);
void door_revoke(struct door *door);
void door_wake_pollers(struct door *door);
void door_fill_info(struct door *door, struct door_info *di);
static inline struct door *door_from_file(struct file *file)
{
	return file->f_op == &door_fops ? file->private_data : NULL;
}

/* call.c */
long door_call(struct door *door, struct door_call __user *uarg);
struct door_inv *door_inv_alloc(struct door *door);
void door_inv_put(struct door_inv *inv);
void door_inv_finish(struct door_inv *inv, enum door_inv_state state,
		     int error);

/* server.c */
long door_return(struct door_ctx *ctx, struct door_return __user *uarg);
long door_reply(struct door_ctx *ctx, struct door_return __user *uarg);
void door_ctx_slam(struct door_ctx *ctx);
void door_ctx_drop_threads(struct door_ctx *ctx);
int door_park(struct door_ctx *ctx, struct door_thread *thr,
	      struct door_inv **invp, struct door **unrefp);

/* notify.c */
struct door *door_unref_take(struct door_pool *pool);
void door_unref_drop(struct door *door);
int door_unref_deliver(struct door *door, struct door_invocation __user *uinv);
void door_unref_trigger(struct door *door);
void door_unref_delayed(struct door *door);
void door_exit_notify(struct door_inv *inv);

/* pool.c */
void door_pool_init(struct door_pool *pool);
long door_bind(struct door_ctx *ctx, int __user *ufd);
long door_unbind(struct door_ctx *ctx);
long door_query(struct door_ctx *ctx, struct door_info __user *uarg);
void door_thread_unbind(struct door_thread *thr);
struct door_pool *door_thread_pool(struct door_thread *thr);
void door_pool_wake_threads(struct door_pool *pool);

/* stats.c */
void door_stats_dispatched(struct door *door);
void door_stats_end(struct door *door, int err, u64 start);
struct door_inv *door_thread_clear(struct door_thread *thr);
long door_ioc_stats(struct door *door, void __user *uarg);

/* data.c */
int door_data_in(struct door_data *d, u64 uptr, u64 size);
int door_data_out(const struct door_data *d, void __user *dst);
void door_data_release(struct door_data *d);
int door_map_anon(u64 size, unsigned long *addr);

/* desc.c */
int door_xfer_in(struct door_xfer *x, u64 uptr, u32 n);
void door_xfer_close_released(struct door_xfer *x);
void door_xfer_release_fds(u64 uptr, u32 n, int error);
int door_xfer_reserve(struct door_xfer *x);
void door_xfer_unreserve(struct door_xfer *x);
int door_xfer_publish(struct door_xfer *x, void __user *dst);
void door_xfer_commit(struct door_xfer *x);
void door_xfer_drop(struct door_xfer *x);

/* land.c */
struct door_landing {
	unsigned long buf;	/* the data */
	unsigned long desc;	/* the door_desc array */
	unsigned long mapped;	/* size of a new mapping, 0 if none */
};

int door_land(struct door_data *d, struct door_xfer *x, unsigned long buf,
	      u64 bufsize, int nomap_err, struct door_landing *l);
void door_land_undo(struct door_xfer *x, const struct door_landing *l);

/* cred.c */
long door_ucred(struct door_ctx *ctx, void __user *uarg);

/* handoff.c */
#define DOOR_HANDOFF_SYNC	0x1	/* WF_SYNC wake-ups */
#define DOOR_HANDOFF_CALLER_PIN	0x2	/* migrate_disable() while waiting */
#define DOOR_HANDOFF_SERVER_PIN	0x4	/* server affinity = caller's CPU */
#define DOOR_HANDOFF_STICKY	0x8	/* keep that affinity while serving */
#define DOOR_HANDOFF_PRIO	0x10	/* caller's policy/priority/nice */
#define DOOR_HANDOFF_ALL	0x1f
void door_sched_save(struct door_sched *s, struct task_struct *p);
void door_handoff_dispatch(struct door_inv *inv, struct door_thread *thr,
			   struct task_struct *task);
void door_handoff_serving(struct door_thread *thr);
void door_handoff_done(struct door_thread *thr);
void door_handoff_leave(struct door_thread *thr);
void door_wake(wait_queue_head_t *wq);

#endif /* DOOR_INTERNAL_H */
