/*
 * The per-process door context: /dev/door opened once, lazily, by the
 * first function that needs it (creating a door, serving, door_ucred...).
 * Client calls never need it: door_call works on the door descriptor.
 *
 * The module ties a context to the process that opened it, so a forked
 * child must open its own: the fork handler closes the inherited copy
 * and the child opens a fresh one on first use.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "internal.h"

static pthread_mutex_t ctx_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic int ctx_fd = -1;
static struct door_handshake ctx_hs;

static int handshake(int fd)
{
	struct door_handshake hs;

	memset(&hs, 0, sizeof(hs));
	hs.size = sizeof(hs);
	hs.api_version = DOOR_API_VERSION;
	if (ioctl(fd, DOOR_IOC_HANDSHAKE, &hs) < 0) {
		int err = errno;

		door_detail_set("%s: handshake with door.ko failed: %s",
				DOOR_DEVICE_PATH, strerror(err));
		return err == ENOTTY ? -ENODEV : -err;
	}
	if (!(hs.features & DOOR_FEAT_CALL)) {
		door_detail_set("%s: door.ko (API %u) offers no door calls",
				DOOR_DEVICE_PATH, hs.api_version);
		return -ENOTSUP;
	}
	ctx_hs = hs;
	return 0;
}

static int open_context(void)
{
	int fd, r;

	fd = open(DOOR_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		int err = errno;

		if (err == ENOENT || err == ENXIO || err == ENODEV)
			door_detail_set("%s is missing: the door.ko kernel module is not loaded (modprobe door)",
					DOOR_DEVICE_PATH);
		else
			door_detail_set("cannot open %s: %s", DOOR_DEVICE_PATH,
					strerror(err));
		return -(err == ENXIO || err == ENODEV ? ENOENT : err);
	}
	r = handshake(fd);
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}

int door_ctx_fd(void)
{
	int fd = atomic_load_explicit(&ctx_fd, memory_order_acquire);

	if (fd >= 0)
		return fd;
	pthread_mutex_lock(&ctx_lock);
	fd = atomic_load_explicit(&ctx_fd, memory_order_relaxed);
	if (fd < 0) {
		fd = open_context();
		if (fd >= 0)
			atomic_store_explicit(&ctx_fd, fd, memory_order_release);
	}
	pthread_mutex_unlock(&ctx_lock);
	return fd;
}

uint64_t door_ctx_features(void)
{
	return door_ctx_fd() >= 0 ? ctx_hs.features : 0;
}

int door_ctx_need(uint64_t feature, const char *what)
{
	int fd = door_ctx_fd();

	if (fd < 0)
		return fd;
	if (!(ctx_hs.features & feature)) {
		door_detail_set("%s: not supported by this door.ko", what);
		return -ENOTSUP;
	}
	return 0;
}

static void fork_prepare(void)
{
	pthread_mutex_lock(&ctx_lock);
}

static void fork_parent(void)
{
	pthread_mutex_unlock(&ctx_lock);
}

static void fork_child(void)
{
	int fd = atomic_load_explicit(&ctx_fd, memory_order_relaxed);

	/* The parent's context gives -EBADF here; the parent keeps its own. */
	if (fd >= 0)
		close(fd);
	atomic_store_explicit(&ctx_fd, -1, memory_order_relaxed);
	pthread_mutex_unlock(&ctx_lock);
	door_pool_forked_child();
	door_server_forked_child();
	door_xcreate_forked_child();
	door_resolve_forked_child();
}

__attribute__((constructor)) static void door_ctx_init(void)
{
	pthread_atfork(fork_prepare, fork_parent, fork_child);
}
