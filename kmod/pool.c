// SPDX-License-Identifier: GPL-2.0
/*
 * Server-thread pools. Every context has a shared pool; every
 * DOOR_PRIVATE door has a pool of its own, which threads join with
 * DOOR_IOC_BIND (Solaris door_bind): from their next DOOR_IOC_RETURN on
 * they park there and serve only that door. A binding holds a reference
 * on the door, not a file, so it never keeps the door referenced for
 * unref purposes.
 */
#include <linux/file.h>
#include <linux/uaccess.h>

#include "door_internal.h"

void door_pool_init(struct door_pool *pool)
{
	INIT_LIST_HEAD(&pool->threads);
	pool->nparked = 0;
	pool->nwaiting = 0;
	init_waitqueue_head(&pool->waitq);
	INIT_LIST_HEAD(&pool->unrefs);
}

/* Where the thread parks: its bound door's pool, else the shared one. */
struct door_pool *door_thread_pool(struct door_thread *thr)
{
	return thr->bound ? thr->bound->pool : &thr->ctx->pool;
}

/* Wakes every thread parked in @pool (its door was revoked). */
void door_pool_wake_threads(struct door_pool *pool)
{
	struct door_thread *thr;

	list_for_each_entry(thr, &pool->threads, pool_node)
		wake_up(&thr->wq);
}

void door_thread_unbind(struct door_thread *thr)
{
	struct door *door = thr->bound;

	if (!door)
		return;
	WRITE_ONCE(thr->bound, NULL);
	door_put(door);
}

/*
 * DOOR_IOC_BIND: EBADF when the descriptor is not a door, EINVAL when
 * the door is not DOOR_PRIVATE or another context's (Solaris).
 */
long door_bind(struct door_ctx *ctx, int __user *ufd)
{
	struct door_thread *thr;
	struct door *door;
	struct file *file;
	long err = 0;
	int fd;

	if (get_user(fd, ufd))
		return -EFAULT;
	file = fget(fd);
	if (!file)
		return -EBADF;
	door = door_from_file(file);
	if (!door)
		err = -EBADF;
	else if (door->ctx != ctx || !(door->attributes & DOOR_PRIVATE))
		err = -EINVAL;
	else if (READ_ONCE(door->revoked))
		err = -EBADF;
	if (!err) {
		thr = door_thread_get(ctx, true);
		if (IS_ERR(thr)) {
			err = PTR_ERR(thr);
		} else if (thr->bound != door) {
			refcount_inc(&door->ref);
			door_thread_unbind(thr);
			WRITE_ONCE(thr->bound, door);
		}
	}
	fput(file);
	return err;
}

/* DOOR_IOC_UNBIND: EBADF when the thread is not bound. */
long door_unbind(struct door_ctx *ctx)
{
	struct door_thread *thr = door_thread_get(ctx, false);

	if (IS_ERR(thr) || !thr->bound)
		return -EBADF;
	door_thread_unbind(thr);
	return 0;
}

/* DOOR_IOC_QUERY: door_info of the bound door; EBADF when not bound. */
long door_query(struct door_ctx *ctx, struct door_info __user *uarg)
{
	struct door_thread *thr = door_thread_get(ctx, false);
	struct door_info di;

	if (IS_ERR(thr) || !thr->bound)
		return -EBADF;
	door_fill_info(thr->bound, &di);
	return copy_to_user(uarg, &di, sizeof(di)) ? -EFAULT : 0;
}
