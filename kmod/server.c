// SPDX-License-Identifier: GPL-2.0
/*
 * The server's side: DOOR_IOC_RETURN delivers a thread's results, parks
 * it in its pool and hands it the next invocation; the death of a
 * context slams every invocation it serves.
 */
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "door_internal.h"

/*
 * @thr no longer serves its invocation (results posted, abandoned, its
 * caller gone and the thread back, or the thread dead): the reference
 * it held is the caller's to drop. The last invocation of a door to end
 * delivers an unref that waited for it. Called with ctx->lock held.
 */
struct door_inv *door_thread_clear(struct door_thread *thr)
{
	struct door_inv *inv = thr->inv;

	if (!inv)
		return NULL;
	WRITE_ONCE(thr->inv, NULL);
	if (!--inv->door->stats.active)
		door_unref_delayed(inv->door);
	return inv;
}

/*
 * The owner is gone (exit, exec, last close): revoke its doors, end the
 * invocations its threads serve with EINTR, send parked threads and
 * waiting callers away.
 */
void door_ctx_slam(struct door_ctx *ctx)
{
	struct door_thread *thr;
	struct door_inv *inv;
	struct door *door, *tmp;
	LIST_HEAD(revoked);
	LIST_HEAD(unrefs);
	unsigned long tid;

	spin_lock(&ctx->lock);
	if (ctx->dead) {
		spin_unlock(&ctx->lock);
		return;
	}
	WRITE_ONCE(ctx->dead, true);
	while ((door = door_unref_take(&ctx->pool)))
		list_add(&door->unref_node, &unrefs);
	list_for_each_entry_safe(door, tmp, &ctx->doors, ctx_node) {
		WRITE_ONCE(door->revoked, true);
		if (door->unref_queued && door->pool != &ctx->pool) {
			list_del(&door->unref_node);
			door->unref_queued = false;
			list_add(&door->unref_node, &unrefs);
		}
		/* keep it alive until its pollers are told */
		refcount_inc(&door->ref);
		list_move(&door->ctx_node, &revoked);
	}
	spin_unlock(&ctx->lock);

	xa_for_each(&ctx->threads, tid, thr) {
		spin_lock(&ctx->lock);
		inv = thr->inv;
		if (inv && inv->state == DOOR_INV_ACTIVE && !thr->dispatching) {
			door_thread_clear(thr);
			door_inv_finish(inv, DOOR_INV_FAILED, -EINTR);
		} else {
			inv = NULL;
		}
		spin_unlock(&ctx->lock);
		wake_up(&thr->wq);
		if (inv)
			door_inv_put(inv);
	}
	wake_up_interruptible_all(&ctx->pool.waitq);

	list_for_each_entry_safe(door, tmp, &unrefs, unref_node) {
		list_del_init(&door->unref_node);
		door_put(door);
	}
	list_for_each_entry_safe(door, tmp, &revoked, ctx_node) {
		spin_lock(&ctx->lock);
		list_del_init(&door->ctx_node);
		spin_unlock(&ctx->lock);
		if (door->pool != &ctx->pool)
			wake_up_interruptible_all(&door->pool->waitq);
		door_wake_pollers(door);
		door_put(door);
	}
}

/* Ends (EINTR for its caller) and drops the invocation @thr holds, if @inv. */
static void door_thread_end(struct door_ctx *ctx, struct door_thread *thr,
			    struct door_inv *inv)
{
	bool mine;

	spin_lock(&ctx->lock);
	mine = thr->inv == inv;
	if (mine) {
		door_thread_clear(thr);
		if (inv->state == DOOR_INV_ACTIVE)
			door_inv_finish(inv, DOOR_INV_FAILED, -EINTR);
	}
	spin_unlock(&ctx->lock);
	if (mine)
		door_inv_put(inv);
}

/*
 * The context's last file is gone, so no thread is inside one of its
 * ioctls: whatever a thread still holds (it died serving) is ended and
 * dropped, which also breaks the invocation -> door -> context cycle.
 */
void door_ctx_drop_threads(struct door_ctx *ctx)
{
	struct door_thread *thr;
	struct door_inv *inv;
	unsigned long tid;

	xa_for_each(&ctx->threads, tid, thr) {
		/* only compared under the lock in door_thread_end() */
		inv = READ_ONCE(thr->inv);
		if (inv)
			door_thread_end(ctx, thr, inv);
		door_thread_unbind(thr);
	}
}

static bool door_thread_ready(struct door_thread *thr, struct door_pool *pool)
{
	return (READ_ONCE(thr->inv) && !READ_ONCE(thr->dispatching)) ||
	       READ_ONCE(thr->ctx->dead) ||
	       !list_empty_careful(&pool->unrefs) ||
	       (thr->bound && READ_ONCE(thr->bound->revoked));
}

/* The private door this thread is bound to has been revoked. */
static bool door_bound_revoked(struct door_thread *thr)
{
	return thr->bound && READ_ONCE(thr->bound->revoked);
}

/*
 * Parks the calling thread in its pool (its bound door's, or the shared
 * one) until an invocation is handed to it. Returns 0 with that
 * invocation in *@invp (a reference the caller drops) or an
 * unreferenced door in *@unrefp (likewise), -EINTR on a signal, -EBADF
 * once the context is dead or the bound door revoked.
 */
int door_park(struct door_ctx *ctx, struct door_thread *thr,
	      struct door_inv **invp, struct door **unrefp)
{
	struct door_pool *pool = door_thread_pool(thr);
	struct door_inv *inv;
	int err;

again:
	spin_lock(&ctx->lock);
	if (ctx->dead || door_bound_revoked(thr)) {
		spin_unlock(&ctx->lock);
		return -EBADF;
	}
	*unrefp = door_unref_take(pool);
	if (*unrefp) {
		spin_unlock(&ctx->lock);
		return 0;
	}
	thr->task = current;
	thr->parked = true;
	list_add(&thr->pool_node, &pool->threads);
	pool->nparked++;
	if (pool->nwaiting)
		wake_up_interruptible(&pool->waitq);
	spin_unlock(&ctx->lock);

	err = wait_event_interruptible(thr->wq, door_thread_ready(thr, pool));

	spin_lock(&ctx->lock);
	if (thr->parked) {
		list_del_init(&thr->pool_node);
		pool->nparked--;
		thr->parked = false;
	}
	inv = thr->inv;
	if (!inv) {
		*unrefp = ctx->dead ? NULL : door_unref_take(pool);
		spin_unlock(&ctx->lock);
		if (*unrefp)
			return 0;
		if (ctx->dead || door_bound_revoked(thr))
			return -EBADF;
		if (err)
			return -EINTR;
		goto again;	/* woken for an unref another thread took */
	}
	refcount_inc(&inv->ref);
	spin_unlock(&ctx->lock);
	/* a signal woke us while a caller was still preparing the handoff */
	wait_event(thr->wq, !READ_ONCE(thr->dispatching));
	if (READ_ONCE(ctx->dead)) {
		/* handed over just as the context died: the caller gets EINTR */
		door_thread_end(ctx, thr, inv);
		door_inv_put(inv);
		return -EBADF;
	}
	*invp = inv;
	return 0;
}

/* Removes thr->inv when it is still @inv. Returns true if it was. */
static bool door_thread_drop(struct door_ctx *ctx, struct door_thread *thr,
			     struct door_inv *inv)
{
	bool mine;

	spin_lock(&ctx->lock);
	mine = thr->inv == inv;
	if (mine)
		door_thread_clear(thr);
	spin_unlock(&ctx->lock);
	if (mine)
		door_inv_put(inv);
	return mine;
}

/*
 * Lays the invocation out in the server: data at the receive buffer
 * (or a new mapping when it does not fit), descriptors after it, then
 * the invocation record. All or nothing.
 */
static int door_receive(struct door_inv *inv, const struct door_return *kr,
			struct door_invocation __user *uinv)
{
	struct door *door = inv->door;
	struct door_xfer *x = &inv->args_desc;
	struct door_invocation ki;
	struct door_landing l;
	int err;

	err = door_land(&inv->args, x, kr->buf_ptr, kr->buf_size, -E2BIG, &l);
	if (err)
		return err;
	memset(&ki, 0, sizeof(ki));
	if (l.mapped) {
		ki.flags |= DOOR_INV_F_MAPPED;
		ki.buf_ptr = l.buf;
		ki.buf_size = l.mapped;
	}
	ki.proc = door->proc;
	ki.cookie = door->cookie;
	ki.data_ptr = l.buf;
	ki.data_size = inv->args.size;
	ki.desc_ptr = l.desc;
	ki.desc_num = x->n;
	ki.nservers = READ_ONCE(door->pool->nparked);
	ki.door_id = door->id;
	ki.attributes = door->attributes;
	if (copy_to_user(uinv, &ki, sizeof(ki))) {
		door_land_undo(x, &l);
		return -EFAULT;
	}
	door_xfer_commit(x);
	return 0;
}

/* Results this thread cannot deliver: honour DOOR_RELEASE all the same. */
static void door_discard_results(const struct door_return *kr)
{
	struct door_xfer x = {};

	if (!kr->desc_num || kr->desc_num > DOOR_MAX_DESC)
		return;
	if (door_xfer_in(&x, kr->desc_ptr, kr->desc_num) == 0)
		door_xfer_close_released(&x);
	door_xfer_drop(&x);
}

/*
 * Posts the results of the invocation @thr serves. Errors leave the
 * caller blocked (Solaris door_return rules).
 */
static int door_post_results(struct door_ctx *ctx, struct door_thread *thr,
			     struct door_inv *inv, const struct door_return *kr)
{
	struct door_data res = {};
	struct door_xfer x = {};
	bool need_ack;
	int err;

	if (kr->data_size > door_max_data || kr->desc_num > DOOR_MAX_DESC ||
	    (inv->noresults && (kr->data_size || kr->desc_num))) {
		err = -E2BIG;
		goto out_release;
	}
	err = door_data_in(&res, kr->data_ptr, kr->data_size);
	if (err)
		goto out_release;
	err = door_xfer_in(&x, kr->desc_ptr, kr->desc_num);
	if (err)
		goto out_release;
	door_xfer_close_released(&x);
	need_ack = res.pages || x.n;

	spin_lock(&ctx->lock);
	if (thr->inv != inv || inv->state != DOOR_INV_ACTIVE) {
		/* the caller left (or the context died): drop the results */
		if (thr->inv == inv)
			door_thread_clear(thr);
		else
			inv = NULL;
		spin_unlock(&ctx->lock);
		err = 0;
		goto out_drop;
	}
	inv->res = res;
	inv->res_desc = x;
	inv->need_ack = need_ack;
	inv->acked = false;
	if (!need_ack)
		door_thread_clear(thr);
	door_inv_finish(inv, DOOR_INV_DONE, 0);
	spin_unlock(&ctx->lock);
	door_handoff_done(thr);
	door_exit_notify(inv);
	if (!need_ack) {
		door_inv_put(inv);
		return 0;
	}
	/* the caller copies from our pinned pages, or may lack fd slots */
	if (wait_event_killable(inv->ackwq, READ_ONCE(inv->acked))) {
		door_thread_drop(ctx, thr, inv);
		return -EINTR;
	}
	err = inv->ack_error;
	if (!err || READ_ONCE(inv->state) != DOOR_INV_ACTIVE)
		door_thread_drop(ctx, thr, inv);
	return err;

out_drop:
	door_handoff_done(thr);
	door_data_release(&res);
	door_xfer_drop(&x);
	if (inv)
		door_inv_put(inv);
	return err;
out_release:
	door_data_release(&res);
	door_xfer_drop(&x);
	door_xfer_release_fds(kr->desc_ptr, kr->desc_num, err);
	return err;
}

/* DOOR_RETURN_F_ABANDON: the thread is going away mid-invocation. */
static long door_abandon(struct door_ctx *ctx, struct door_thread *thr)
{
	struct door_inv *inv;

	spin_lock(&ctx->lock);
	inv = thr->inv;
	door_thread_clear(thr);
	if (inv && inv->state == DOOR_INV_ACTIVE)
		door_inv_finish(inv, DOOR_INV_FAILED, -EINTR);
	spin_unlock(&ctx->lock);
	if (inv)
		door_inv_put(inv);
	door_handoff_leave(thr);
	return 0;
}

/* Parks until an invocation is received; dispatch errors go to callers. */
static long door_serve_next(struct door_ctx *ctx, struct door_thread *thr,
			    const struct door_return *kr,
			    struct door_return __user *uarg)
{
	struct door_inv *inv, *drop;
	struct door *unref;
	bool live;
	int err;

	for (;;) {
		err = door_park(ctx, thr, &inv, &unref);
		if (err) {
			door_handoff_leave(thr);
			return err;
		}
		if (unref)
			return door_unref_deliver(unref, &uarg->inv);
		spin_lock(&ctx->lock);
		live = thr->inv == inv && inv->state == DOOR_INV_ACTIVE;
		spin_unlock(&ctx->lock);
		err = -EINTR;
		if (live) {
			door_handoff_serving(thr);
			err = door_receive(inv, kr, &uarg->inv);
			/* only this thread reads the arguments; unpin them now */
			door_data_release(&inv->args);
			if (!err) {
				door_inv_put(inv);
				return 0;
			}
		}
		drop = NULL;
		spin_lock(&ctx->lock);
		if (thr->inv == inv) {
			door_thread_clear(thr);
			drop = inv;
			if (inv->state == DOOR_INV_ACTIVE)
				door_inv_finish(inv, DOOR_INV_FAILED, err);
		}
		spin_unlock(&ctx->lock);
		if (drop)
			door_inv_put(drop);
		door_inv_put(inv);
	}
}

/*
 * DOOR_RETURN_F_NORESULT: park without sending anything, after a
 * DOOR_IOC_REPLY. -EINVAL while the invocation still waits for results.
 */
static int door_noresult(struct door_ctx *ctx, struct door_thread *thr,
			 const struct door_return *kr)
{
	struct door_inv *inv;

	if (kr->data_size || kr->desc_num)
		return -EINVAL;
	spin_lock(&ctx->lock);
	inv = thr->inv;
	if (inv && inv->state == DOOR_INV_ACTIVE) {
		spin_unlock(&ctx->lock);
		return -EINVAL;
	}
	door_thread_clear(thr);	/* its caller left: nothing is owed */
	spin_unlock(&ctx->lock);
	if (inv)
		door_inv_put(inv);
	door_handoff_done(thr);
	return 0;
}

/* The invocation @thr serves, with a reference, or NULL. */
static struct door_inv *door_thread_inv(struct door_ctx *ctx,
					struct door_thread *thr)
{
	struct door_inv *inv;

	spin_lock(&ctx->lock);
	inv = thr->inv;
	if (inv)
		refcount_inc(&inv->ref);
	spin_unlock(&ctx->lock);
	return inv;
}

/* The results part of a DOOR_IOC_RETURN or DOOR_IOC_REPLY argument. */
static int door_return_in(struct door_return *kr, struct door_return __user *uarg,
			  u32 flags)
{
	if (copy_from_user(kr, uarg, offsetof(struct door_return, inv)))
		return -EFAULT;
	return kr->flags & ~flags ? -EINVAL : 0;
}

/*
 * Delivers the results of the invocation @thr serves, if any; with none
 * (its caller gave up and the thread was told) they are discarded.
 * Either way the thread's own scheduling is back afterwards.
 */
static int door_deliver(struct door_ctx *ctx, struct door_thread *thr,
			const struct door_return *kr)
{
	struct door_inv *inv = door_thread_inv(ctx, thr);
	int err;

	if (!inv) {
		if (kr->data_size || kr->desc_num)
			door_discard_results(kr);
		door_handoff_done(thr);
		return 0;
	}
	err = door_post_results(ctx, thr, inv, kr);
	door_inv_put(inv);
	return err;
}

long door_return(struct door_ctx *ctx, struct door_return __user *uarg)
{
	struct door_return kr;
	struct door_thread *thr;
	int err;

	err = door_return_in(&kr, uarg, DOOR_RETURN_F_ABANDON | DOOR_RETURN_F_NORESULT);
	if (err)
		return err;
	thr = door_thread_get(ctx, true);
	if (IS_ERR(thr))
		return PTR_ERR(thr);
	if (kr.flags & DOOR_RETURN_F_ABANDON)
		return door_abandon(ctx, thr);
	if (kr.flags & DOOR_RETURN_F_NORESULT)
		err = door_noresult(ctx, thr, &kr);
	else
		err = door_deliver(ctx, thr, &kr);
	if (err)
		return err;
	return door_serve_next(ctx, thr, &kr, uarg);
}

/*
 * DOOR_IOC_REPLY: the results go out and the caller resumes now; the
 * thread goes on running and parks later with DOOR_RETURN_F_NORESULT.
 * -EINVAL when the thread serves nothing (or replied already).
 */
long door_reply(struct door_ctx *ctx, struct door_return __user *uarg)
{
	struct door_return kr;
	struct door_thread *thr;
	struct door_inv *inv;
	int err;

	err = door_return_in(&kr, uarg, 0);
	if (err)
		return err;
	thr = door_thread_get(ctx, false);
	if (IS_ERR(thr))
		return -EINVAL;
	inv = door_thread_inv(ctx, thr);
	if (!inv)
		return -EINVAL;
	err = door_post_results(ctx, thr, inv, &kr);
	door_inv_put(inv);
	return err;
}
