// SPDX-License-Identifier: GPL-2.0
/*
 * Moving argument and result bytes. Up to DOOR_SMALL_DATA they are
 * staged in a kernel buffer (two copies, both cheap); above it the
 * sender's own pages are pinned and the receiver copies straight out of
 * them into its address space: one copy, done by the receiving thread
 * in its own context, so no foreign mm is ever touched.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "door_internal.h"

static int door_data_pin(struct door_data *d, u64 uptr, u64 size)
{
	unsigned long start = uptr & PAGE_MASK;
	unsigned int npages;
	struct page **pages;
	int pinned;

	if (uptr + size < uptr || !access_ok(u64_to_user_ptr(uptr), size))
		return -EFAULT;
	d->offset = offset_in_page(uptr);
	npages = DIV_ROUND_UP(d->offset + size, PAGE_SIZE);
	pages = kvmalloc_array(npages, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	pinned = pin_user_pages_fast(start, npages, 0, pages);
	if (pinned != npages) {
		if (pinned > 0)
			unpin_user_pages(pages, pinned);
		kvfree(pages);
		return pinned < 0 && pinned != -EFAULT ? pinned : -EFAULT;
	}
	d->pages = pages;
	d->npages = npages;
	return 0;
}

/* Takes @size bytes at @uptr from the calling process. */
int door_data_in(struct door_data *d, u64 uptr, u64 size)
{
	d->size = size;
	if (!size)
		return 0;
	if (size > DOOR_SMALL_DATA)
		return door_data_pin(d, uptr, size);
	d->kbuf = kmalloc(size, GFP_KERNEL);
	if (!d->kbuf)
		return -ENOMEM;
	if (copy_from_user(d->kbuf, u64_to_user_ptr(uptr), size))
		return -EFAULT;
	return 0;
}

/* Copies the bytes to @dst in the calling process. */
int door_data_out(const struct door_data *d, void __user *dst)
{
	unsigned int i, off = d->offset;
	u64 left = d->size;
	size_t chunk;
	void *src;
	int err = 0;

	if (!left)
		return 0;
	if (d->kbuf)
		return copy_to_user(dst, d->kbuf, left) ? -EFAULT : 0;
	for (i = 0; i < d->npages && left; i++) {
		chunk = min_t(u64, left, PAGE_SIZE - off);
		src = kmap_local_page(d->pages[i]);
		if (copy_to_user(dst, src + off, chunk))
			err = -EFAULT;
		kunmap_local(src);
		if (err)
			return err;
		dst += chunk;
		left -= chunk;
		off = 0;
	}
	return 0;
}

void door_data_release(struct door_data *d)
{
	kfree(d->kbuf);
	if (d->pages) {
		unpin_user_pages(d->pages, d->npages);
		kvfree(d->pages);
	}
	memset(d, 0, sizeof(*d));
}

/* A new private anonymous mapping in the calling process. */
int door_map_anon(u64 size, unsigned long *addr)
{
	unsigned long a;

	if (size > door_max_data + DOOR_MAX_DESC * DOOR_DESC_SIZE + PAGE_SIZE)
		return -E2BIG;
	a = vm_mmap(NULL, 0, PAGE_ALIGN(size), PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, 0);
	if (IS_ERR_VALUE(a))
		return (int)a;
	*addr = a;
	return 0;
}
