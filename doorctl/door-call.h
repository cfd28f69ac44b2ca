/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One door call as doorctl call makes it, through libdoorclient's
 * door_call(3C) (one DOOR_IOC_CALL on the door descriptor).
 */
#ifndef DOORCTL_DOOR_CALL_H
#define DOORCTL_DOOR_CALL_H

#include <door.h>
#include <stddef.h>
#include <stdint.h>

struct door_reply {
	const void *data;
	size_t data_size;
	door_desc_t *desc;	/* received descriptors, ours to close */
	size_t desc_num;
	uint64_t round_trip_nsec;

	/* where the results lie: our buffer, or a mapping the module made */
	void *rbuf;
	size_t rsize;
	void *own_buf;
};

/*
 * Call door @fd with @size bytes of @data and @n_fds descriptors
 * (passed as they are, not released). Returns 0 and fills @reply, or a
 * negative errno (nothing to release then).
 */
int door_call_once(int fd, const void *data, size_t size, const int *fds,
		   size_t n_fds, struct door_reply *reply);

/* Close received descriptors and unmap or free the results. */
void door_reply_release(struct door_reply *reply);

/* door_info(3C); a negative errno when @fd is not a door. */
int door_get_info(int fd, door_info_t *info);

#endif
