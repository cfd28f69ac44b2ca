// SPDX-License-Identifier: GPL-2.0
/*
 * door.ko: Solaris doors for Linux.
 *
 * Objects and lifetimes
 *   door_ctx	one per open of /dev/door; owned by the opening thread
 *		group. Referenced by its file, by each of its doors and by
 *		nothing else. Dies (doors revoked, invocations slammed) when
 *		the owner flushes it at exit or exec, or on last close.
 *   door	one per DOOR_IOC_CREATE. Referenced by each door file (every
 *		hand-over makes a new file, DESIGN.md section 2) and by each
 *		invocation. Holds its context.
 *   door_inv	one per call. Referenced by the caller and, from dispatch
 *		until it has delivered its results, by the serving thread.
 *		Holds the door, the caller's cred and pid, the staged or
 *		pinned data and the descriptors in transit.
 *   door_thread one per server thread that ever parked in a context; kept
 *		in ctx->threads until the context is freed.
 *
 * Locking
 *   ctx->lock (spinlock) protects, for that context: ctx->dead,
 *	ctx->doors, door->revoked and door->ctx_node of its doors, the pool
 *	(threads, nparked, nwaiting), every door_thread's pool_node, parked,
 *	cancelled, inv and pid, and every invocation on its doors: state,
 *	server, acked. Fields read in wait conditions are written with
 *	WRITE_ONCE under the lock and read with READ_ONCE.
 *   Nothing sleeps under ctx->lock; no other lock nests inside it except
 *   the wait-queue locks taken by wake-ups.
 *   ctx->threads is an xarray with its own lock; records are inserted
 *   by their own thread and freed with the context.
 *   Everything else in door, door_ctx and door_inv is immutable after
 *   creation, or owned by one side at a time: arguments belong to the
 *   caller until dispatch and are read-only after; results belong to
 *   the server until it posts them (state DONE) and to the caller after.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "door_internal.h"

unsigned long door_max_data = 4UL << 20;
module_param_named(max_data, door_max_data, ulong, 0444);
MODULE_PARM_DESC(max_data, "Largest argument or result in bytes (E2BIG above)");

unsigned int door_max_waiting = 1024;
module_param_named(max_waiting, door_max_waiting, uint, 0444);
MODULE_PARM_DESC(max_waiting, "Callers waiting for a server thread per pool (EAGAIN above)");

unsigned int door_max_threads = 4096;
module_param_named(max_threads, door_max_threads, uint, 0444);
MODULE_PARM_DESC(max_threads, "Server threads per context (EAGAIN above)");

atomic_t door_live_ctx = ATOMIC_INIT(0);
atomic_t door_live_doors = ATOMIC_INIT(0);
atomic_t door_live_files = ATOMIC_INIT(0);
atomic_t door_live_invs = ATOMIC_INIT(0);
atomic_t door_live_threads = ATOMIC_INIT(0);

static int door_live_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(kp->arg));
}

static const struct kernel_param_ops door_live_ops = {
	.get = door_live_get,
};

/* /sys/module/door/parameters/live_*: for leak checks. */
module_param_cb(live_contexts, &door_live_ops, &door_live_ctx, 0444);
module_param_cb(live_doors, &door_live_ops, &door_live_doors, 0444);
module_param_cb(live_files, &door_live_ops, &door_live_files, 0444);
module_param_cb(live_invocations, &door_live_ops, &door_live_invs, 0444);
module_param_cb(live_threads, &door_live_ops, &door_live_threads, 0444);

bool door_is_owner(struct door_ctx *ctx)
{
	return task_tgid(current) == ctx->owner;
}

/*
 * Copies in a size-extensible structure whose first field is its __u32
 * size (the uapi rules: a larger size with a zero tail is accepted,
 * anything smaller than ours is -E2BIG).
 */
int door_copy_sized(void *dst, size_t size, void __user *uarg)
{
	u32 usize;

	if (get_user(usize, (u32 __user *)uarg))
		return -EFAULT;
	if (usize < size || usize > PAGE_SIZE)
		return -E2BIG;
	return copy_struct_from_user(dst, size, uarg, usize);
}

static struct miscdevice door_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = DOOR_DEVICE_NAME,
	.fops = &door_ctx_fops,
	.mode = 0666,
};

/*
 * Test builds only (tests/debug-kernel/inject-check builds door.ko with
 * KCFLAGS=-DDOOR_TEST_INJECT_LEAK): lose one object at load time, which
 * the debug kernel's kmemleak scan must report.
 */
static void door_test_inject(void)
{
#ifdef DOOR_TEST_INJECT_LEAK
	void *lost = kmalloc(128, GFP_KERNEL);

	barrier_data(lost);
#endif
}

static int __init door_init(void)
{
	int err;

	door_test_inject();
	err = door_fs_init();
	if (err)
		return err;
	err = misc_register(&door_misc);
	if (err) {
		door_fs_exit();
		return err;
	}
	return 0;
}

static void __exit door_exit(void)
{
	misc_deregister(&door_misc);
	door_fs_exit();
}

module_init(door_init);
module_exit(door_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Solaris doors: fast synchronous IPC between processes");
MODULE_AUTHOR("Doors for Linux");
