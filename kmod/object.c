// SPDX-License-Identifier: GPL-2.0
/*
 * Door objects and door descriptors. Every door has one inode of the
 * module's own pseudo filesystem (st_mode S_IFDOOR | 0777, st_ino the
 * same for every descriptor of the door); every hand-over creates a new
 * file for it so references can be counted per open file.
 */
#include <linux/compat.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/poll.h>
#include <linux/pseudo_fs.h>
#include <linux/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "door_internal.h"

#define DOOR_FS_MAGIC	0x444f4f52	/* "DOOR" */
#define S_IFDOOR	0150000		/* Solaris's file type for doors */

static struct vfsmount *door_mnt;
static atomic64_t door_next_id = ATOMIC64_INIT(0);

/* "door:[id]" in /proc/PID/fd (dynamic_dname() is not exported). */
static char *door_dname(struct dentry *dentry, char *buffer, int buflen)
{
	char tmp[48];
	int len;

	len = snprintf(tmp, sizeof(tmp), "door:%s", dentry->d_name.name) + 1;
	if (len > buflen || len > sizeof(tmp))
		return ERR_PTR(-ENAMETOOLONG);
	buffer += buflen - len;
	return memcpy(buffer, tmp, len);
}

static const struct dentry_operations door_dentry_ops = {
	.d_dname = door_dname,
};

static int door_fs_init_fs_context(struct fs_context *fc)
{
	struct pseudo_fs_context *pfc = init_pseudo(fc, DOOR_FS_MAGIC);

	if (!pfc)
		return -ENOMEM;
	pfc->dops = &door_dentry_ops;
	return 0;
}

static struct file_system_type door_fs_type = {
	.name = "doorfs",
	.init_fs_context = door_fs_init_fs_context,
	.kill_sb = kill_anon_super,
};

int door_fs_init(void)
{
	door_mnt = kern_mount(&door_fs_type);
	return PTR_ERR_OR_ZERO(door_mnt);
}

void door_fs_exit(void)
{
	kern_unmount(door_mnt);
}

void door_put(struct door *door)
{
	struct door_ctx *ctx = door->ctx;

	if (!refcount_dec_and_test(&door->ref))
		return;
	spin_lock(&ctx->lock);
	list_del_init(&door->ctx_node);
	spin_unlock(&ctx->lock);
	iput(door->inode);
	door_ctx_put(ctx);
	kfree(door);
	atomic_dec(&door_live_doors);
}

/* A new open file for @door; takes its own reference on the door. */
struct file *door_new_file(struct door *door, int flags)
{
	struct file *file;
	char name[24];

	snprintf(name, sizeof(name), "[%llu]", door->id);
	/* __fput() drops the module reference alloc_file_pseudo() doesn't take */
	__module_get(THIS_MODULE);
	ihold(door->inode);
	file = alloc_file_pseudo(door->inode, door_mnt, name, O_RDWR | flags,
				 &door_fops);
	if (IS_ERR(file)) {
		iput(door->inode);
		module_put(THIS_MODULE);
		return file;
	}
	refcount_inc(&door->ref);
	atomic_inc(&door->nfiles);
	atomic_inc(&door_live_files);
	file->private_data = door;
	return file;
}

static int door_create_check(const struct door_create *dc)
{
	if (dc->attributes & ~DOOR_CREATE_MASK)
		return -EINVAL;
	if ((dc->attributes & DOOR_UNREF) && (dc->attributes & DOOR_UNREF_MULTI))
		return -EINVAL;
	if (dc->flags & ~DOOR_CREATE_F_NOCLOEXEC)
		return -EINVAL;
	if (dc->pad || dc->reserved[0] || dc->reserved[1])
		return -EINVAL;
	if (dc->exit_signal < 0 || !valid_signal(dc->exit_signal))
		return -EINVAL;
	return 0;
}

static struct door *door_alloc(struct door_ctx *ctx, const struct door_create *dc)
{
	struct door *door;
	struct inode *inode;

	door = kzalloc(sizeof(*door), GFP_KERNEL);
	if (!door)
		return ERR_PTR(-ENOMEM);
	inode = alloc_anon_inode(door_mnt->mnt_sb);
	if (IS_ERR(inode)) {
		kfree(door);
		return ERR_CAST(inode);
	}
	inode->i_mode = S_IFDOOR | 0777;
	inode->i_private = door;
	refcount_set(&door->ref, 1);
	refcount_inc(&ctx->ref);
	door->ctx = ctx;
	door->inode = inode;
	door->id = atomic64_inc_return(&door_next_id);
	door->proc = dc->proc;
	door->cookie = dc->cookie;
	door->attributes = dc->attributes;
	door->exit_signal = dc->exit_signal;
	door->pool = &ctx->pool;
	if (dc->attributes & DOOR_PRIVATE) {
		door_pool_init(&door->private_pool);
		door->pool = &door->private_pool;
	}
	INIT_LIST_HEAD(&door->ctx_node);
	INIT_LIST_HEAD(&door->unref_node);
	init_waitqueue_head(&door->pollwq);
	/*
	 * The Solaris defaults; the module's own limits (max_data,
	 * DOOR_MAX_DESC) still apply to every call, with E2BIG.
	 */
	door->data_max = U64_MAX;
	door->desc_max = dc->attributes & DOOR_REFUSE_DESC ? 0 : INT_MAX;
	atomic_inc(&door_live_doors);
	return door;
}

int door_create(struct door_ctx *ctx, const struct door_create *dc)
{
	struct door *door;
	struct file *file;
	int fd, err;

	err = door_create_check(dc);
	if (err)
		return err;
	door = door_alloc(ctx, dc);
	if (IS_ERR(door))
		return PTR_ERR(door);
	fd = get_unused_fd_flags(dc->flags & DOOR_CREATE_F_NOCLOEXEC ? 0 : O_CLOEXEC);
	if (fd < 0) {
		err = fd;
		goto out_put;
	}
	file = door_new_file(door, 0);
	if (IS_ERR(file)) {
		err = PTR_ERR(file);
		goto out_fd;
	}
	spin_lock(&ctx->lock);
	if (ctx->dead) {
		spin_unlock(&ctx->lock);
		err = -EBADF;
		fput(file);
		goto out_fd;
	}
	list_add_tail(&door->ctx_node, &ctx->doors);
	spin_unlock(&ctx->lock);
	fd_install(fd, file);
	door_put(door);		/* the file holds it now */
	return fd;

out_fd:
	put_unused_fd(fd);
out_put:
	door_put(door);
	return err;
}

void door_wake_pollers(struct door *door)
{
	wake_up_interruptible_all(&door->pollwq);
}

/*
 * No new calls; calls in progress finish; waiting callers get EBADF;
 * threads parked in a private door's pool get EBADF.
 */
void door_revoke(struct door *door)
{
	struct door_ctx *ctx = door->ctx;
	bool private = door->pool != &ctx->pool;

	spin_lock(&ctx->lock);
	/* a revoked door may sit on door_ctx_slam()'s private list */
	if (!door->revoked) {
		WRITE_ONCE(door->revoked, true);
		list_del_init(&door->ctx_node);
	}
	if (private)
		door_pool_wake_threads(door->pool);
	spin_unlock(&ctx->lock);
	if (private)
		door_unref_drop(door);
	wake_up_interruptible_all(&door->pool->waitq);
	door_wake_pollers(door);
}

static bool door_is_dead(struct door *door)
{
	return READ_ONCE(door->revoked) || READ_ONCE(door->ctx->dead);
}

void door_fill_info(struct door *door, struct door_info *di)
{
	struct door_ctx *ctx = door->ctx;
	bool dead;

	memset(di, 0, sizeof(*di));
	spin_lock(&ctx->lock);
	dead = ctx->dead;
	di->attributes = door->attributes;
	if (door->revoked || dead)
		di->attributes |= DOOR_REVOKED;
	if (atomic_read(&door->nfiles) == 1)
		di->attributes |= DOOR_IS_UNREF;
	spin_unlock(&ctx->lock);
	di->target = dead ? -1 : pid_vnr(ctx->owner);
	if (door_is_owner(ctx)) {
		di->attributes |= DOOR_LOCAL;
		di->proc = door->proc;
		di->cookie = door->cookie;
	}
	di->id = door->id;
}

static long door_ioc_info(struct door *door, void __user *uarg)
{
	struct door_info di;

	door_fill_info(door, &di);
	if (copy_to_user(uarg, &di, sizeof(di)))
		return -EFAULT;
	return 0;
}

static long door_ioc_revoke(struct door *door)
{
	if (!door_is_owner(door->ctx))
		return -EPERM;
	if (door_is_dead(door))
		return -EBADF;
	door_revoke(door);
	return 0;
}

/* DOOR_IOC_NEWREF: a new open file for the same door (a new reference). */
static long door_ioc_newref(struct door *door, u32 __user *uflags)
{
	struct file *file;
	u32 flags;
	int fd;

	if (get_user(flags, uflags))
		return -EFAULT;
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (door_is_dead(door))
		return -EBADF;
	fd = get_unused_fd_flags(flags);
	if (fd < 0)
		return fd;
	file = door_new_file(door, 0);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		return PTR_ERR(file);
	}
	fd_install(fd, file);
	return fd;
}

static long door_ioc_getparam(struct door *door, struct door_param __user *uarg)
{
	struct door_param p;

	if (copy_from_user(&p, uarg, sizeof(p)))
		return -EFAULT;
	if (p.pad)
		return -EINVAL;
	switch (p.param) {
	case DOOR_PARAM_DESC_MAX:
		p.value = READ_ONCE(door->desc_max);
		break;
	case DOOR_PARAM_DATA_MAX:
		p.value = READ_ONCE(door->data_max);
		break;
	case DOOR_PARAM_DATA_MIN:
		p.value = READ_ONCE(door->data_min);
		break;
	default:
		return -EINVAL;
	}
	return copy_to_user(uarg, &p, sizeof(p)) ? -EFAULT : 0;
}

/* Solaris door_setparam rules: owner only, MIN <= MAX, DESC_MAX <= INT_MAX. */
static long door_ioc_setparam(struct door *door, struct door_param __user *uarg)
{
	struct door_ctx *ctx = door->ctx;
	struct door_param p;
	long err = 0;

	if (copy_from_user(&p, uarg, sizeof(p)))
		return -EFAULT;
	if (p.pad)
		return -EINVAL;
	if (!door_is_owner(ctx))
		return -EPERM;
	spin_lock(&ctx->lock);
	if (door->revoked || ctx->dead) {
		err = -EBADF;
	} else if (p.param == DOOR_PARAM_DESC_MAX) {
		if (p.value > INT_MAX)
			err = -ERANGE;
		else if (p.value && (door->attributes & DOOR_REFUSE_DESC))
			err = -EOPNOTSUPP;
		else
			WRITE_ONCE(door->desc_max, p.value);
	} else if (p.param == DOOR_PARAM_DATA_MAX) {
		if (p.value < door->data_min)
			err = -EINVAL;
		else
			WRITE_ONCE(door->data_max, p.value);
	} else if (p.param == DOOR_PARAM_DATA_MIN) {
		if (p.value > door->data_max)
			err = -EINVAL;
		else
			WRITE_ONCE(door->data_min, p.value);
	} else {
		err = -EINVAL;
	}
	spin_unlock(&ctx->lock);
	return err;
}

static long door_file_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	struct door *door = file->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case DOOR_IOC_CALL:
		return door_call(door, uarg);
	case DOOR_IOC_INFO:
		return door_ioc_info(door, uarg);
	case DOOR_IOC_REVOKE:
		return door_ioc_revoke(door);
	case DOOR_IOC_NEWREF:
		return door_ioc_newref(door, uarg);
	case DOOR_IOC_GETPARAM:
		return door_ioc_getparam(door, uarg);
	case DOOR_IOC_SETPARAM:
		return door_ioc_setparam(door, uarg);
	}
	/* size-extensible: the size field says how much was passed */
	if (DOOR_IOC_NOSIZE(cmd) == DOOR_IOC_NOSIZE(DOOR_IOC_STATS))
		return door_ioc_stats(door, uarg);
	return -ENOTTY;
}

static __poll_t door_file_poll(struct file *file, poll_table *pt)
{
	struct door *door = file->private_data;

	poll_wait(file, &door->pollwq, pt);
	return door_is_dead(door) ? EPOLLHUP : 0;
}

static int door_file_release(struct inode *inode, struct file *file)
{
	struct door *door = file->private_data;

	/* down to one open file (the server's own, normally): unreferenced */
	if (atomic_dec_return(&door->nfiles) == 1)
		door_unref_trigger(door);
	atomic_dec(&door_live_files);
	door_put(door);
	return 0;
}

const struct file_operations door_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = door_file_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.poll = door_file_poll,
	.release = door_file_release,
	.llseek = noop_llseek,
};
