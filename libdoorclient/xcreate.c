/*
 * door_xcreate: a private door with its own thread creation function
 * (the contract illumos libc implements but never documented):
 *
 *   crf(info, start, arg, crcookie) must create a thread running
 *   start(arg) and return 1; it may return 0 to decline (an error while
 *   door_xcreate itself creates the first nthread threads: EINVAL) or -1
 *   when creation failed (door_xcreate fails with EPIPE).
 *
 * start runs setupf(crcookie) (by default: disable cancellation), binds
 * the thread to the door and parks it in door_return. door_xcreate
 * returns once each of its threads has bound (EBADF if one could not).
 * On depletion one more thread is requested, unless the door was created
 * with DOOR_NO_DEPLETION_CB.
 *
 * Unlike illumos, arg is not on door_xcreate's stack: it is the door's
 * record, which lives as long as the process, so a creation function
 * that misreports what it did cannot make a thread use a dead frame.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "internal.h"
#include "create.h"

struct xdoor {
	struct xdoor *next;
	door_id_t id;
	int fd;				/* what new threads bind to */
	door_xcreate_server_func_t *crf;
	door_xcreate_thrsetup_func_t *setupf;
	void *crcookie;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned long started;		/* threads that tried to bind */
	unsigned long failed;		/* ... and could not */
};

static pthread_mutex_t xdoors_lock = PTHREAD_MUTEX_INITIALIZER;
static struct xdoor *xdoors;

static void *xdoor_start(void *arg)
{
	struct xdoor *xd = arg;
	int r;

	if (xd->setupf)
		xd->setupf(xd->crcookie);
	else
		(void)pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
	r = door_bind(xd->fd);
	pthread_mutex_lock(&xd->lock);
	xd->started++;
	if (r < 0)
		xd->failed++;
	pthread_cond_broadcast(&xd->cond);
	pthread_mutex_unlock(&xd->lock);
	if (r == 0)
		(void)door_return(NULL, 0, NULL, 0);
	return NULL;
}

/* One answer of the creation function: 1 (made), 0 (stop) or -errno. */
static int ask_crf(struct xdoor *xd, door_info_t *info, bool depletion)
{
	switch (xd->crf(info, xdoor_start, xd, xd->crcookie)) {
	case 1:
		return 1;
	case 0:
		if (depletion)
			return 0;
		door_detail_set("door_xcreate: the creation function declined");
		return -EINVAL;
	case -1:
		door_detail_set("door_xcreate: the creation function failed");
		return -EPIPE;
	default:
		door_detail_set("door_xcreate: the creation function returned neither 1, 0 nor -1");
		return -EINVAL;
	}
}

/* Ask crf for n threads; at creation, wait until each has bound. */
static int xdoor_create_threads(struct xdoor *xd, door_info_t *info, int n,
				bool depletion)
{
	unsigned long base, failed;
	int i, created = 0, r = 1;

	pthread_mutex_lock(&xd->lock);
	base = xd->started;
	failed = xd->failed;
	pthread_mutex_unlock(&xd->lock);
	for (i = 0; i < n && r == 1; i++) {
		r = ask_crf(xd, info, depletion);
		if (r == 1)
			created++;
	}
	if (depletion)
		return r < 0 ? r : 0;
	pthread_mutex_lock(&xd->lock);
	while (xd->started - base < (unsigned long)created)
		pthread_cond_wait(&xd->cond, &xd->lock);
	failed = xd->failed - failed;
	pthread_mutex_unlock(&xd->lock);
	if (r < 0)
		return r;
	if (failed) {
		door_detail_set("door_xcreate: %lu thread(s) could not bind to the door",
				failed);
		return -EBADF;
	}
	return 0;
}

static struct xdoor *xdoor_new(int fd, const door_info_t *info,
			       door_xcreate_server_func_t *crf,
			       door_xcreate_thrsetup_func_t *setupf, void *crcookie)
{
	struct xdoor *xd = calloc(1, sizeof(*xd));

	if (!xd)
		return NULL;
	xd->id = info->di_uniquifier;
	xd->fd = fd;
	xd->crf = crf;
	xd->setupf = setupf;
	xd->crcookie = crcookie;
	pthread_mutex_init(&xd->lock, NULL);
	pthread_cond_init(&xd->cond, NULL);
	pthread_mutex_lock(&xdoors_lock);
	xd->next = xdoors;
	xdoors = xd;
	pthread_mutex_unlock(&xdoors_lock);
	return xd;
}

DOOR_EXPORT int door_xcreate(door_server_procedure_t *proc, void *cookie,
			     uint_t attributes, door_xcreate_server_func_t *crf,
			     door_xcreate_thrsetup_func_t *setupf, void *crcookie,
			     int nthread)
{
	struct xdoor *xd;
	door_info_t info;
	int fd, r;

	door_detail_clear();
	if (!crf || nthread < 1 || (attributes & DOOR_PRIVCREATE))
		return door_fail(EINVAL, "door_xcreate: %s",
				 !crf ? "no creation function" :
				 nthread < 1 ? "nthread must be at least 1" :
				 "DOOR_PRIVCREATE is set by the library");
	fd = door_create_common(proc, cookie,
				attributes | DOOR_PRIVATE | DOOR_PRIVCREATE, 0, &info);
	if (fd < 0) {
		errno = -fd;
		return -1;
	}
	xd = xdoor_new(fd, &info, crf, setupf, crcookie);
	r = xd ? xdoor_create_threads(xd, &info, nthread, false) : -ENOMEM;
	if (r < 0) {
		/* Threads already bound stay parked on a revoked door. */
		if (xd)
			xd->fd = -1;
		(void)ioctl(fd, DOOR_IOC_REVOKE);
		close(fd);
		errno = -r;
		return -1;
	}
	return fd;
}

int door_xcreate_depleted(door_info_t *info)
{
	struct xdoor *xd;

	pthread_mutex_lock(&xdoors_lock);
	for (xd = xdoors; xd && xd->id != info->di_uniquifier; xd = xd->next)
		;
	pthread_mutex_unlock(&xdoors_lock);
	if (!xd || xd->fd < 0)
		return -ENOENT;
	return xdoor_create_threads(xd, info, 1, true);
}

void door_xcreate_forked_child(void)
{
	/* The child's doors are new; the parent's records mean nothing here. */
	pthread_mutex_init(&xdoors_lock, NULL);
	xdoors = NULL;
}
