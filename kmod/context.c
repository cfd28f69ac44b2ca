// SPDX-License-Identifier: GPL-2.0
/*
 * Door contexts: /dev/door opened by a server process, its ioctls, and
 * the per-thread records of its server threads.
 */
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "door_internal.h"

static int door_ctx_open(struct inode *inode, struct file *file)
{
	struct door_ctx *ctx;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	refcount_set(&ctx->ref, 1);
	ctx->owner = get_pid(task_tgid(current));
	spin_lock_init(&ctx->lock);
	door_pool_init(&ctx->pool);
	INIT_LIST_HEAD(&ctx->doors);
	xa_init(&ctx->threads);
	file->private_data = ctx;
	atomic_inc(&door_live_ctx);
	return 0;
}

static void door_thread_free(struct door_thread *thr)
{
	WARN_ON_ONCE(thr->inv || thr->bound);
	put_pid(thr->pid);
	free_cpumask_var(thr->saved_mask);
	kfree(thr);
	atomic_dec(&door_live_threads);
}

void door_ctx_put(struct door_ctx *ctx)
{
	struct door_thread *thr;
	unsigned long tid;

	if (!refcount_dec_and_test(&ctx->ref))
		return;
	xa_for_each(&ctx->threads, tid, thr)
		door_thread_free(thr);
	xa_destroy(&ctx->threads);
	put_pid(ctx->owner);
	kfree(ctx);
	atomic_dec(&door_live_ctx);
}

/*
 * A record left by a thread that died (its tid now names another
 * thread): end whatever it was serving and reuse it for @pid.
 */
static void door_thread_recycle(struct door_ctx *ctx, struct door_thread *thr,
				struct pid *pid)
{
	struct door_inv *inv;

	spin_lock(&ctx->lock);
	inv = thr->inv;
	door_thread_clear(thr);
	if (inv && inv->state == DOOR_INV_ACTIVE)
		door_inv_finish(inv, DOOR_INV_FAILED, -EINTR);
	put_pid(thr->pid);
	thr->pid = get_pid(pid);
	spin_unlock(&ctx->lock);
	if (inv)
		door_inv_put(inv);
	door_thread_unbind(thr);
	thr->pinned_cpu = -1;
	thr->sched_changed = false;
}

static bool door_thread_dead(struct door_thread *thr)
{
	bool dead;

	rcu_read_lock();
	dead = !pid_task(thr->pid, PIDTYPE_PID);
	rcu_read_unlock();
	return dead;
}

/*
 * Frees the records of threads that have exited while idle, so a server
 * that keeps replacing its threads does not run into max_threads.
 * A record is referenced only by its own thread, by the pool (parked)
 * and through the invocation it serves: idle and dead means unused.
 */
static void door_thread_sweep(struct door_ctx *ctx)
{
	struct door_thread *thr;
	unsigned long tid;
	LIST_HEAD(dead);

	spin_lock(&ctx->lock);
	xa_for_each(&ctx->threads, tid, thr) {
		if (thr->parked || thr->inv || !door_thread_dead(thr))
			continue;
		xa_erase(&ctx->threads, tid);
		ctx->nthreads--;
		list_add(&thr->pool_node, &dead);
	}
	spin_unlock(&ctx->lock);
	while (!list_empty(&dead)) {
		thr = list_first_entry(&dead, struct door_thread, pool_node);
		list_del(&thr->pool_node);
		door_thread_unbind(thr);
		door_thread_free(thr);
	}
}

/* The calling thread's record in @ctx, created on first use. */
struct door_thread *door_thread_get(struct door_ctx *ctx, bool create)
{
	struct pid *pid = task_pid(current);
	unsigned long tid = pid_nr(pid);
	struct door_thread *thr;
	int err;

	thr = xa_load(&ctx->threads, tid);
	if (thr) {
		if (READ_ONCE(thr->pid) != pid)
			door_thread_recycle(ctx, thr, pid);
		return thr;
	}
	if (!create)
		return ERR_PTR(-EINVAL);
	if (READ_ONCE(ctx->nthreads) >= door_max_threads)
		door_thread_sweep(ctx);
	if (READ_ONCE(ctx->nthreads) >= door_max_threads)
		return ERR_PTR(-EAGAIN);
	thr = kzalloc(sizeof(*thr), GFP_KERNEL);
	if (!thr)
		return ERR_PTR(-ENOMEM);
	if (!zalloc_cpumask_var(&thr->saved_mask, GFP_KERNEL)) {
		kfree(thr);
		return ERR_PTR(-ENOMEM);
	}
	atomic_inc(&door_live_threads);
	thr->ctx = ctx;
	thr->pid = get_pid(pid);
	thr->pinned_cpu = -1;
	INIT_LIST_HEAD(&thr->pool_node);
	init_waitqueue_head(&thr->wq);
	err = xa_insert(&ctx->threads, tid, thr, GFP_KERNEL);
	if (err) {
		door_thread_free(thr);
		return ERR_PTR(err);
	}
	spin_lock(&ctx->lock);
	ctx->nthreads++;
	spin_unlock(&ctx->lock);
	return thr;
}

/*
 * DOOR_IOC_HANDSHAKE. Size-extensible: the size field, not the one in
 * the ioctl number, says how much the caller passed.
 */
static long door_handshake(void __user *uarg)
{
	struct door_handshake hs;
	int err;

	err = door_copy_sized(&hs, sizeof(hs), uarg);
	if (err)
		return err;
	if (memchr_inv(hs.reserved, 0, sizeof(hs.reserved)))
		return -EINVAL;
	hs.size = sizeof(hs);
	hs.api_version = DOOR_API_VERSION;
	hs.features = DOOR_FEAT_CALL | DOOR_FEAT_DESC | DOOR_FEAT_OVERFLOW |
		      DOOR_FEAT_NEWREF | DOOR_FEAT_PARAM | DOOR_FEAT_UNREF |
		      DOOR_FEAT_PRIVATE | DOOR_FEAT_REPLY |
		      DOOR_FEAT_EXIT_SIGNAL | DOOR_FEAT_STATS;
	hs.max_data = door_max_data;
	hs.max_desc = DOOR_MAX_DESC;
	hs.small_data = DOOR_SMALL_DATA;
	if (copy_to_user(uarg, &hs, sizeof(hs)))
		return -EFAULT;
	return 0;
}

static long door_ioc_create(struct door_ctx *ctx, void __user *uarg)
{
	struct door_create dc;

	if (copy_from_user(&dc, uarg, sizeof(dc)))
		return -EFAULT;
	return door_create(ctx, &dc);
}

static long door_ctx_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct door_ctx *ctx = file->private_data;
	void __user *uarg = (void __user *)arg;

	if (!door_is_owner(ctx))
		return -EBADF;
	if (_IOC_TYPE(cmd) != DOOR_IOC_MAGIC)
		return -ENOTTY;
	switch (DOOR_IOC_NOSIZE(cmd)) {
	case DOOR_IOC_NOSIZE(DOOR_IOC_HANDSHAKE):
		return door_handshake(uarg);
	case DOOR_IOC_NOSIZE(DOOR_IOC_UCRED):
		return door_ucred(ctx, uarg);
	}
	switch (cmd) {
	case DOOR_IOC_CREATE:
		return door_ioc_create(ctx, uarg);
	case DOOR_IOC_RETURN:
		return door_return(ctx, uarg);
	case DOOR_IOC_REPLY:
		return door_reply(ctx, uarg);
	case DOOR_IOC_BIND:
		return door_bind(ctx, uarg);
	case DOOR_IOC_UNBIND:
		return door_unbind(ctx);
	case DOOR_IOC_QUERY:
		return door_query(ctx, uarg);
	}
	return -ENOTTY;
}

/*
 * The owner's doors die with it: at exit (PF_EXITING), at exec or an
 * explicit close of its last descriptor (the file's last reference).
 * Other processes that inherited the descriptor change nothing.
 */
static int door_ctx_flush(struct file *file, fl_owner_t id)
{
	struct door_ctx *ctx = file->private_data;

	if (door_is_owner(ctx) &&
	    ((current->flags & PF_EXITING) || file_count(file) == 1))
		door_ctx_slam(ctx);
	return 0;
}

static int door_ctx_release(struct inode *inode, struct file *file)
{
	struct door_ctx *ctx = file->private_data;

	door_ctx_slam(ctx);
	door_ctx_drop_threads(ctx);
	door_ctx_put(ctx);
	return 0;
}

const struct file_operations door_ctx_fops = {
	.owner = THIS_MODULE,
	.open = door_ctx_open,
	.flush = door_ctx_flush,
	.release = door_ctx_release,
	.unlocked_ioctl = door_ctx_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};
