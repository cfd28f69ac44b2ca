/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <linux/door.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "echo-door.h"

#define RECV_SIZE 65536
#define REPLY_SIZE (RECV_SIZE + 64)

struct reply {
	char data[REPLY_SIZE];
	size_t size;
	struct door_desc desc;
	unsigned desc_num;
};

static void answer(const struct door_invocation *inv, struct reply *out)
{
	const char *data = (const char *)(uintptr_t)inv->data_ptr;
	const struct door_desc *d = (const struct door_desc *)(uintptr_t)inv->desc_ptr;
	int n, fd;
	unsigned i;

	out->desc_num = 0;
	for (i = 0; i < inv->desc_num; i++)
		close(d[i].fd);
	if (inv->data_size == 2 && !memcmp(data, "fd", 2)) {
		fd = open("/etc/hostname", O_RDONLY | O_CLOEXEC);
		memcpy(out->data, "here", 4);
		out->size = 4;
		if (fd >= 0) {
			out->desc = (struct door_desc){
				.attributes = DOOR_DESCRIPTOR | DOOR_RELEASE, .fd = fd,
			};
			out->desc_num = 1;
		}
		return;
	}
	n = snprintf(out->data, REPLY_SIZE, "echo:%.*s", (int)inv->data_size, data);
	if (inv->desc_num)
		n += snprintf(out->data + n, REPLY_SIZE - (size_t)n, ":desc=%u", inv->desc_num);
	out->size = (size_t)n;
}

static void *serve(void *arg)
{
	struct echo_door *e = arg;
	struct reply *rep = calloc(1, sizeof(*rep));
	char *recv = malloc(RECV_SIZE);
	struct door_return r = { 0 };
	uint64_t unmap_ptr = 0, unmap_size = 0;

	if (!rep || !recv)
		goto out;
	for (;;) {
		r.buf_ptr = (uintptr_t)recv;
		r.buf_size = RECV_SIZE;
		if (ioctl(e->ctx, DOOR_IOC_RETURN, &r) < 0) {
			if (errno == EINTR)
				continue;
			break;	/* revoked, context gone */
		}
		if (unmap_size)
			munmap((void *)(uintptr_t)unmap_ptr, unmap_size);
		unmap_size = 0;
		if (r.inv.flags & DOOR_INV_F_MAPPED) {
			unmap_ptr = r.inv.buf_ptr;
			unmap_size = r.inv.buf_size;
		}
		memset(&r, 0, offsetof(struct door_return, buf_ptr));
		if (r.inv.flags & DOOR_INV_F_UNREF)
			continue;
		answer(&r.inv, rep);
		r.data_ptr = (uintptr_t)rep->data;
		r.data_size = rep->size;
		r.desc_ptr = rep->desc_num ? (uintptr_t)&rep->desc : 0;
		r.desc_num = rep->desc_num;
	}
out:
	free(rep);
	free(recv);
	return NULL;
}

int echo_door_start(struct echo_door *e)
{
	struct door_create c = { .proc = 1, .cookie = 2 };
	struct door_info info = { 0 };
	int i, r;

	memset(e, 0, sizeof(*e));
	e->ctx = open("/dev/door", O_RDWR | O_CLOEXEC);
	if (e->ctx < 0)
		return -errno;
	e->door = ioctl(e->ctx, DOOR_IOC_CREATE, &c);
	if (e->door < 0 || ioctl(e->door, DOOR_IOC_INFO, &info) < 0) {
		r = -errno;
		close(e->ctx);
		return r;
	}
	e->id = info.id;
	for (i = 0; i < ECHO_DOOR_THREADS; i++) {
		r = -pthread_create(&e->threads[i], NULL, serve, e);
		if (r < 0)
			return r;
	}
	return 0;
}

void echo_door_revoke(struct echo_door *e)
{
	ioctl(e->door, DOOR_IOC_REVOKE);
	close(e->door);
	e->door = -1;
}
