// SPDX-License-Identifier: GPL-2.0
/*
 * The caller's side of an invocation: DOOR_IOC_CALL.
 */
#include <linux/cred.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "door_internal.h"

/* How often a waiting caller checks that its server thread still lives. */
#define DOOR_LIVENESS_PERIOD	HZ

struct door_inv *door_inv_alloc(struct door *door)
{
	struct door_inv *inv;

	inv = kzalloc(sizeof(*inv), GFP_KERNEL);
	if (!inv)
		return NULL;
	refcount_set(&inv->ref, 1);
	refcount_inc(&door->ref);
	inv->door = door;
	inv->state = DOOR_INV_ACTIVE;
	init_waitqueue_head(&inv->wq);
	init_waitqueue_head(&inv->ackwq);
	inv->cred = get_current_cred();
	inv->caller_tgid = get_pid(task_tgid(current));
	door_sched_save(&inv->caller_sched, current);
	atomic_inc(&door_live_invs);
	return inv;
}

void door_inv_put(struct door_inv *inv)
{
	if (!refcount_dec_and_test(&inv->ref))
		return;
	door_data_release(&inv->args);
	door_data_release(&inv->res);
	door_xfer_drop(&inv->args_desc);
	door_xfer_drop(&inv->res_desc);
	put_cred(inv->cred);
	put_pid(inv->caller_tgid);
	door_put(inv->door);
	kfree(inv);
	atomic_dec(&door_live_invs);
}

/* Ends an invocation for its caller. Called with door->ctx->lock held. */
void door_inv_finish(struct door_inv *inv, enum door_inv_state state,
		     int error)
{
	inv->error = error;
	WRITE_ONCE(inv->state, state);
	door_wake(&inv->wq);
}

/* Checks a call against the limits before anything is allocated. */
static int door_call_check(struct door *door, const struct door_call *dc)
{
	if ((dc->flags & ~DOOR_CALL_F_NORESULTS) || dc->reserved)
		return -EINVAL;
	if (dc->desc_num > DOOR_MAX_DESC || dc->data_size > door_max_data)
		return -E2BIG;
	if (dc->data_size < READ_ONCE(door->data_min) ||
	    dc->data_size > READ_ONCE(door->data_max))
		return -ENOBUFS;
	if (dc->desc_num && (door->attributes & DOOR_REFUSE_DESC))
		return -EOPNOTSUPP;	/* ENOTSUP to user space */
	if (dc->desc_num > READ_ONCE(door->desc_max))
		return -ENFILE;
	return 0;
}

static bool door_pool_ready(struct door *door, struct door_pool *pool)
{
	return !list_empty_careful(&pool->threads) || READ_ONCE(door->revoked) ||
	       READ_ONCE(door->ctx->dead);
}

/*
 * Takes a parked thread (LIFO: the most recently parked is the most
 * likely to be cache-hot) and hands it @inv. Waits, interruptibly, when
 * none is parked: a signal there is EAGAIN, as on illumos.
 */
static struct door_thread *door_get_server(struct door *door,
					   struct door_inv *inv,
					   struct task_struct **taskp)
{
	struct door_ctx *ctx = door->ctx;
	struct door_pool *pool = door->pool;
	struct door_thread *thr;
	int err;

	spin_lock(&ctx->lock);
	for (;;) {
		if (ctx->dead || door->revoked) {
			err = -EBADF;
			break;
		}
		thr = list_first_entry_or_null(&pool->threads,
					       struct door_thread, pool_node);
		if (thr) {
			list_del_init(&thr->pool_node);
			pool->nparked--;
			thr->parked = false;
			refcount_inc(&inv->ref);	/* the server's */
			WRITE_ONCE(thr->inv, inv);
			WRITE_ONCE(thr->dispatching, true);
			inv->server = thr;
			door_stats_dispatched(door);
			*taskp = get_task_struct(thr->task);
			spin_unlock(&ctx->lock);
			return thr;
		}
		if (pool->nwaiting >= door_max_waiting) {
			err = -EAGAIN;
			break;
		}
		pool->nwaiting++;
		spin_unlock(&ctx->lock);
		err = wait_event_interruptible_exclusive(pool->waitq,
							 door_pool_ready(door, pool));
		spin_lock(&ctx->lock);
		pool->nwaiting--;
		if (err) {
			/* pass on a wake-up this waiter may have consumed */
			if (!list_empty(&pool->threads) && pool->nwaiting)
				wake_up_interruptible(&pool->waitq);
			err = -EAGAIN;
			break;
		}
	}
	spin_unlock(&ctx->lock);
	return ERR_PTR(err);
}

/* A serving thread that died without ending its invocation. */
static bool door_server_gone(struct door_thread *thr)
{
	struct task_struct *task;
	bool gone;

	rcu_read_lock();
	task = pid_task(thr->pid, PIDTYPE_PID);
	gone = !task || (task->flags & PF_EXITING);
	rcu_read_unlock();
	return gone;
}

static void door_check_server(struct door_inv *inv)
{
	struct door_ctx *ctx = inv->door->ctx;
	struct door_thread *thr;
	struct door_inv *drop = NULL;

	spin_lock(&ctx->lock);
	thr = inv->server;
	if (inv->state == DOOR_INV_ACTIVE && thr && thr->inv == inv &&
	    door_server_gone(thr)) {
		door_thread_clear(thr);
		drop = inv;
		door_inv_finish(inv, DOOR_INV_FAILED, -EINTR);
	}
	spin_unlock(&ctx->lock);
	if (drop)
		door_inv_put(drop);
}

static bool door_inv_ended(struct door_inv *inv)
{
	return READ_ONCE(inv->state) != DOOR_INV_ACTIVE;
}

/*
 * Sleeps until the invocation ends. Returns its state; a signal turns
 * an active invocation into a cancelled one (EINTR for the caller).
 */
static enum door_inv_state door_wait_result(struct door_inv *inv)
{
	struct door_ctx *ctx = inv->door->ctx;
	enum door_inv_state state;
	long ret;

	for (;;) {
		ret = wait_event_interruptible_timeout(inv->wq, door_inv_ended(inv),
						       DOOR_LIVENESS_PERIOD);
		if (ret)
			break;
		door_check_server(inv);
	}
	spin_lock(&ctx->lock);
	state = inv->state;
	if (state == DOOR_INV_ACTIVE) {
		state = DOOR_INV_CANCELLED;
		WRITE_ONCE(inv->state, state);
	}
	spin_unlock(&ctx->lock);
	return state;
}

/*
 * Takes the posted results: into rbuf, or into a new mapping when they
 * don't fit. Runs in the caller's context. -EMFILE leaves the caller
 * blocked and is reported to the server (Solaris rules).
 */
static int door_take_results(struct door_inv *inv, struct door_call *dc,
			     struct door_call __user *uarg)
{
	struct door_xfer *x = &inv->res_desc;
	struct door_landing l;
	int err;

	err = door_land(&inv->res, x, dc->rbuf, dc->rsize, -EOVERFLOW, &l);
	if (err)
		return err;
	dc->data_ptr = l.buf;
	dc->data_size = inv->res.size;
	dc->desc_ptr = l.desc;
	dc->desc_num = x->n;
	if (l.mapped) {
		dc->rbuf = l.buf;
		dc->rsize = l.mapped;
	}
	if (copy_to_user(uarg, dc, sizeof(*dc))) {
		door_land_undo(x, &l);
		return -EFAULT;
	}
	door_xfer_commit(x);
	return 0;
}

/*
 * Tells a server waiting in DOOR_IOC_RETURN how its results went.
 * Returns true when the caller must wait again (the server was told
 * EMFILE and may send other results).
 */
static bool door_ack(struct door_inv *inv, int err)
{
	struct door_ctx *ctx = inv->door->ctx;
	bool again = false;

	spin_lock(&ctx->lock);
	inv->ack_error = err == -EMFILE ? err : 0;
	if (err == -EMFILE) {
		if (ctx->dead) {
			inv->error = -EINTR;
			WRITE_ONCE(inv->state, DOOR_INV_FAILED);
		} else {
			WRITE_ONCE(inv->state, DOOR_INV_ACTIVE);
			again = true;
		}
	}
	WRITE_ONCE(inv->acked, true);
	spin_unlock(&ctx->lock);
	wake_up(&inv->ackwq);
	return again;
}

static long door_run(struct door *door, struct door_inv *inv,
		     struct door_call *dc, struct door_call __user *uarg)
{
	/* a caller that cannot migrate anyway is spared migrate_enable() */
	bool pin = (door_handoff & DOOR_HANDOFF_CALLER_PIN) &&
		   current->nr_cpus_allowed > 1;
	u64 start = local_clock();
	enum door_inv_state state;
	struct task_struct *task;
	struct door_thread *thr;
	int err;

	if (pin)
		migrate_disable();
	inv->caller_cpu = raw_smp_processor_id();
	thr = door_get_server(door, inv, &task);
	if (IS_ERR(thr)) {
		err = PTR_ERR(thr);
		door_stats_end(door, err, start);
		goto out;
	}
	door_handoff_dispatch(inv, thr, task);
	put_task_struct(task);
	for (;;) {
		state = door_wait_result(inv);
		if (state != DOOR_INV_DONE)
			break;
		err = door_take_results(inv, dc, uarg);
		door_data_release(&inv->res);
		door_xfer_drop(&inv->res_desc);
		if (!inv->need_ack || !door_ack(inv, err))
			goto out_stats;
	}
	err = state == DOOR_INV_FAILED ? inv->error : -EINTR;
out_stats:
	door_stats_end(door, err, start);
out:
	if (pin)
		migrate_enable();
	return err;
}

long door_call(struct door *door, struct door_call __user *uarg)
{
	struct door_call dc;
	struct door_inv *inv;
	long err;

	if (copy_from_user(&dc, uarg, sizeof(dc)))
		return -EFAULT;
	if (READ_ONCE(door->revoked) || READ_ONCE(door->ctx->dead))
		return -EBADF;
	err = door_call_check(door, &dc);
	if (err)
		goto out_release;
	inv = door_inv_alloc(door);
	if (!inv) {
		err = -ENOMEM;
		goto out_release;
	}
	inv->noresults = dc.flags & DOOR_CALL_F_NORESULTS;
	err = door_data_in(&inv->args, dc.data_ptr, dc.data_size);
	if (err)
		goto out_put;
	err = door_xfer_in(&inv->args_desc, dc.desc_ptr, dc.desc_num);
	if (err)
		goto out_put;
	/* held: the sender's DOOR_RELEASE descriptors go now, as on Solaris */
	door_xfer_close_released(&inv->args_desc);
	err = door_run(door, inv, &dc, uarg);
	door_inv_put(inv);
	return err;

out_put:
	door_inv_put(inv);
out_release:
	door_xfer_release_fds(dc.desc_ptr, dc.desc_num, err);
	return err;
}
