// SPDX-License-Identifier: GPL-2.0
/*
 * Passing descriptors. The sender's files are held (a door becomes a
 * new file for the same door, so it counts as a reference of its own);
 * the receiver reserves every slot before installing any, so a transfer
 * is all or nothing; DOOR_RELEASE closes the sender's descriptors once
 * they are held (Solaris: also on errors other than EFAULT and EBADF).
 */
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fdtable.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "door_internal.h"

#define DOOR_DESC_ATTRS	(DOOR_DESCRIPTOR | DOOR_RELEASE)

static struct file *door_xfer_hold(int fd)
{
	struct file *file, *nf;
	struct door *door;

	file = fget(fd);
	if (!file)
		return ERR_PTR(-EINVAL);
	door = door_from_file(file);
	if (!door)
		return file;
	nf = door_new_file(door, 0);
	fput(file);
	return nf;
}

/* Reads and holds @n descriptors from the calling process. */
int door_xfer_in(struct door_xfer *x, u64 uptr, u32 n)
{
	struct door_desc *d;
	struct file *file;
	unsigned int i;

	if (!n)
		return 0;
	if (n > DOOR_MAX_DESC)
		return -E2BIG;
	x->descs = kvmalloc_array(n, sizeof(*x->descs), GFP_KERNEL);
	x->files = kvcalloc(n, sizeof(*x->files), GFP_KERNEL);
	if (!x->descs || !x->files)
		return -ENOMEM;
	if (copy_from_user(x->descs, u64_to_user_ptr(uptr), n * sizeof(*d)))
		return -EFAULT;
	for (i = 0; i < n; i++) {
		d = &x->descs[i];
		if ((d->attributes & ~DOOR_DESC_ATTRS) ||
		    !(d->attributes & DOOR_DESCRIPTOR) || d->fd < 0)
			return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		file = door_xfer_hold(x->descs[i].fd);
		if (IS_ERR(file))
			return PTR_ERR(file);
		x->files[i] = file;
		x->n = i + 1;
	}
	return 0;
}

/* After a successful door_xfer_in(): the sender lets go. */
void door_xfer_close_released(struct door_xfer *x)
{
	unsigned int i;

	for (i = 0; i < x->n; i++)
		if (x->descs[i].attributes & DOOR_RELEASE)
			close_fd(x->descs[i].fd);
}

/* A transfer that failed with @error before anything was held. */
void door_xfer_release_fds(u64 uptr, u32 n, int error)
{
	struct door_desc *d;
	unsigned int i;

	if (!n || n > DOOR_MAX_DESC || error == -EFAULT || error == -EBADF)
		return;
	d = kvmalloc_array(n, sizeof(*d), GFP_KERNEL);
	if (!d)
		return;
	if (!copy_from_user(d, u64_to_user_ptr(uptr), n * sizeof(*d))) {
		for (i = 0; i < n; i++)
			if ((d[i].attributes & DOOR_DESC_ATTRS) == DOOR_DESC_ATTRS &&
			    d[i].fd >= 0)
				close_fd(d[i].fd);
	}
	kvfree(d);
}

/* Reserves a descriptor slot in the calling process for every file. */
int door_xfer_reserve(struct door_xfer *x)
{
	unsigned int i;
	int fd;

	if (!x->n)
		return 0;
	x->fds = kvmalloc_array(x->n, sizeof(*x->fds), GFP_KERNEL);
	if (!x->fds)
		return -ENOMEM;
	for (i = 0; i < x->n; i++) {
		/* door descriptors are close-on-exec, other files as SCM_RIGHTS */
		fd = get_unused_fd_flags(door_from_file(x->files[i]) ? O_CLOEXEC : 0);
		if (fd < 0) {
			while (i--)
				put_unused_fd(x->fds[i]);
			kvfree(x->fds);
			x->fds = NULL;
			return fd;
		}
		x->fds[i] = fd;
	}
	return 0;
}

void door_xfer_unreserve(struct door_xfer *x)
{
	unsigned int i;

	if (!x->fds)
		return;
	for (i = 0; i < x->n; i++)
		put_unused_fd(x->fds[i]);
	kvfree(x->fds);
	x->fds = NULL;
}

/* Writes the receiver's door_desc array (after door_xfer_reserve()). */
int door_xfer_publish(struct door_xfer *x, void __user *dst)
{
	struct door_desc *d;
	struct door *door;
	unsigned int i;

	for (i = 0; i < x->n; i++) {
		d = &x->descs[i];
		door = door_from_file(x->files[i]);
		memset(d, 0, sizeof(*d));
		d->attributes = DOOR_DESCRIPTOR;
		d->fd = x->fds[i];
		if (door) {
			d->id = door->id;
			d->attributes |= door->attributes;
			if (READ_ONCE(door->revoked) || READ_ONCE(door->ctx->dead))
				d->attributes |= DOOR_REVOKED;
			if (door_is_owner(door->ctx))
				d->attributes |= DOOR_LOCAL;
		}
	}
	if (x->n && copy_to_user(dst, x->descs, x->n * sizeof(*d)))
		return -EFAULT;
	return 0;
}

/* Installs the files in the reserved slots; the transfer is complete. */
void door_xfer_commit(struct door_xfer *x)
{
	unsigned int i;

	for (i = 0; i < x->n; i++) {
		fd_install(x->fds[i], x->files[i]);
		x->files[i] = NULL;
	}
	kvfree(x->fds);
	x->fds = NULL;
	x->n = 0;
}

/* Drops whatever is still held. */
void door_xfer_drop(struct door_xfer *x)
{
	unsigned int i;

	door_xfer_unreserve(x);
	if (x->files) {
		for (i = 0; i < x->n; i++)
			if (x->files[i])
				fput(x->files[i]);
		kvfree(x->files);
	}
	kvfree(x->descs);
	memset(x, 0, sizeof(*x));
}
