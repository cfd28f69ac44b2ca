// SPDX-License-Identifier: GPL-2.0
/*
 * Laying a transfer (bytes, then descriptors) out in the receiving
 * process, in its own context: arguments in a server thread, results in
 * a caller. Both follow one rule: the buffer the receiver offered when
 * everything fits, else a new anonymous mapping of the receiver's.
 */
#include <linux/mm.h>

#include "door_internal.h"

/*
 * Reserves the descriptors, copies the data and writes the descriptor
 * array: descriptors start at the data size rounded up to a door_desc.
 * Nothing is installed until door_xfer_commit(); on error nothing is
 * left behind. @nomap_err is what a failed mapping means to this side.
 */
int door_land(struct door_data *d, struct door_xfer *x, unsigned long buf,
	      u64 bufsize, int nomap_err, struct door_landing *l)
{
	u64 doff = x->n ? round_up(d->size, DOOR_DESC_SIZE) : d->size;
	u64 need = doff + (u64)x->n * DOOR_DESC_SIZE;
	int err;

	l->buf = buf;
	l->mapped = 0;
	l->desc = buf + doff;
	err = door_xfer_reserve(x);
	if (err)
		return err;
	if (need > bufsize) {
		if (door_map_anon(need, &l->buf)) {
			door_xfer_unreserve(x);
			return nomap_err;
		}
		l->mapped = PAGE_ALIGN(need);
		l->desc = l->buf + doff;
	}
	err = door_data_out(d, (void __user *)l->buf);
	if (!err)
		err = door_xfer_publish(x, (void __user *)l->desc);
	if (err)
		door_land_undo(x, l);
	return err;
}

/* Takes back what door_land() did, when the receiver can't be told. */
void door_land_undo(struct door_xfer *x, const struct door_landing *l)
{
	if (l->mapped)
		vm_munmap(l->buf, l->mapped);
	door_xfer_unreserve(x);
}
