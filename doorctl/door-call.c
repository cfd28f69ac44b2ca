/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "door-call.h"

/* Big enough for most replies; larger ones arrive in a new mapping. */
#define REPLY_BUFFER_SIZE (64 * 1024)

static uint64_t now_nsec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int door_get_info(int fd, door_info_t *info)
{
	memset(info, 0, sizeof(*info));
	return door_info(fd, info) < 0 ? -errno : 0;
}

int door_call_once(int fd, const void *data, size_t size, const int *fds,
		   size_t n_fds, struct door_reply *reply)
{
	door_desc_t *desc = NULL;
	door_arg_t arg = { 0 };
	uint64_t start;
	size_t i;
	int r;

	memset(reply, 0, sizeof(*reply));
	if (n_fds) {
		desc = calloc(n_fds, sizeof(*desc));
		if (!desc)
			return -ENOMEM;
	}
	for (i = 0; i < n_fds; i++) {
		desc[i].d_attributes = DOOR_DESCRIPTOR;
		desc[i].d_data.d_desc.d_descriptor = fds[i];
	}
	reply->own_buf = malloc(REPLY_BUFFER_SIZE);
	if (!reply->own_buf) {
		free(desc);
		return -ENOMEM;
	}
	arg.data_ptr = (char *)data;
	arg.data_size = size;
	arg.desc_ptr = desc;
	arg.desc_num = (uint_t)n_fds;
	arg.rbuf = reply->own_buf;
	arg.rsize = REPLY_BUFFER_SIZE;

	start = now_nsec();
	r = door_call(fd, &arg);
	reply->round_trip_nsec = now_nsec() - start;
	r = r < 0 ? -errno : 0;
	free(desc);
	if (r < 0) {
		free(reply->own_buf);
		reply->own_buf = NULL;
		return r;
	}
	reply->rbuf = arg.rbuf;
	reply->rsize = arg.rsize;
	/* Solaris leaves data_ptr alone when no data came back. */
	reply->data = arg.data_size ? arg.data_ptr : arg.rbuf;
	reply->data_size = arg.data_size;
	reply->desc = arg.desc_num ? arg.desc_ptr : NULL;
	reply->desc_num = arg.desc_num;
	return 0;
}

void door_reply_release(struct door_reply *reply)
{
	size_t i;

	for (i = 0; i < reply->desc_num; i++)
		if (reply->desc[i].d_data.d_desc.d_descriptor >= 0)
			close(reply->desc[i].d_data.d_desc.d_descriptor);
	if (reply->rbuf && reply->rbuf != reply->own_buf)
		munmap(reply->rbuf, reply->rsize);
	free(reply->own_buf);
	memset(reply, 0, sizeof(*reply));
}
