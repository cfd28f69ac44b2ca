// SPDX-License-Identifier: GPL-2.0
/*
 * Notifications to a door's server: unreferenced invocations (DOOR_UNREF,
 * DOOR_UNREF_MULTI), queued on the pool that serves the door, and the
 * exit-notification signal sent after each call.
 */
#include <linux/cred.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>

#include "door_internal.h"

/* Takes the next queued unref of @pool, if any. Called with ctx->lock held. */
struct door *door_unref_take(struct door_pool *pool)
{
	struct door *door;

	door = list_first_entry_or_null(&pool->unrefs, struct door, unref_node);
	if (door) {
		list_del_init(&door->unref_node);
		door->unref_queued = false;
	}
	return door;
}

/*
 * Queues one unreferenced invocation on the door's pool (DOOR_UNREF:
 * once in the door's life; DOOR_UNREF_MULTI: each time, but never twice
 * in the queue) and wakes a parked thread of that pool to deliver it.
 * While invocations are running it waits for the last to end (Solaris
 * DOOR_DELAY), so a server never tears down a door a thread still
 * serves. Called with ctx->lock held.
 */
static void door_unref_queue(struct door *door)
{
	struct door_thread *thr;

	if (door->ctx->dead || door->revoked || door->unref_queued ||
	    ((door->attributes & DOOR_UNREF) && door->unref_done))
		return;
	if (door->stats.active) {
		door->unref_delayed = true;
		return;
	}
	door->unref_queued = true;
	door->unref_done = true;
	refcount_inc(&door->ref);
	list_add_tail(&door->unref_node, &door->pool->unrefs);
	thr = list_first_entry_or_null(&door->pool->threads, struct door_thread,
				       pool_node);
	if (thr)
		wake_up(&thr->wq);
}

/* A door's file count dropped to one: it is unreferenced. */
void door_unref_trigger(struct door *door)
{
	struct door_ctx *ctx = door->ctx;

	if (!(door->attributes & (DOOR_UNREF | DOOR_UNREF_MULTI)))
		return;
	spin_lock(&ctx->lock);
	door_unref_queue(door);
	spin_unlock(&ctx->lock);
}

/*
 * The door's last running invocation ended: deliver an unref that
 * waited for it, unless a new reference appeared meanwhile (its last
 * close will trigger again). Called with ctx->lock held.
 */
void door_unref_delayed(struct door *door)
{
	if (!door->unref_delayed)
		return;
	door->unref_delayed = false;
	if (atomic_read(&door->nfiles) <= 1)
		door_unref_queue(door);
}

/*
 * A revoked private door's pool has no thread left to deliver its
 * unref: drop it (shared-pool unrefs are still delivered).
 */
void door_unref_drop(struct door *door)
{
	struct door_ctx *ctx = door->ctx;
	bool queued;

	spin_lock(&ctx->lock);
	queued = door->unref_queued;
	if (queued) {
		list_del_init(&door->unref_node);
		door->unref_queued = false;
	}
	spin_unlock(&ctx->lock);
	if (queued)
		door_put(door);
}

/* Hands an unreferenced invocation to the server thread. */
int door_unref_deliver(struct door *door, struct door_invocation __user *uinv)
{
	struct door_invocation ki;
	int err = 0;

	memset(&ki, 0, sizeof(ki));
	ki.proc = door->proc;
	ki.cookie = door->cookie;
	ki.data_ptr = DOOR_UNREF_DATA_PTR;
	ki.nservers = READ_ONCE(door->pool->nparked);
	ki.door_id = door->id;
	ki.attributes = door->attributes;
	ki.flags = DOOR_INV_F_UNREF;
	if (copy_to_user(uinv, &ki, sizeof(ki)))
		err = -EFAULT;
	door_put(door);
	return err;
}

/*
 * Exit notification: the call's results went out; signal the server
 * process (not one thread: any thread may wait for it). Runs in a
 * server thread. kill_pid_usb_asyncio() is the one exported way to
 * queue a process-directed signal with a payload: it stores the value
 * where user space reads si_addr (si_code SI_ASYNCIO).
 */
void door_exit_notify(struct door_inv *inv)
{
	struct door *door = inv->door;
	sigval_t val;

	if (!door->exit_signal)
		return;
	val.sival_ptr = (void __user *)(uintptr_t)door->cookie;
	kill_pid_usb_asyncio(door->exit_signal, 0, val, door->ctx->owner,
			     current_cred());
}
