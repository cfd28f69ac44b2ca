/*
 * Solaris clients open(2) an attached path and hand that descriptor to
 * door_call or door_info. On Linux the name is not the door: the first
 * time a door function gets an open file that is not a door, it asks
 * doord which door is attached there, and puts that door in place of the
 * descriptor (same number, same close-on-exec flag). Later calls go
 * straight to the module with no lookup.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* Two threads resolving one descriptor must not both replace it. */
static pthread_mutex_t resolve_lock = PTHREAD_MUTEX_INITIALIZER;

static void describe_fd(int d, char *buf, size_t len)
{
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", d);
	n = readlink(link, buf, len - 1);
	if (n < 0)
		n = snprintf(buf, len, "descriptor %d", d);
	buf[n < (ssize_t)len ? n : (ssize_t)len - 1] = '\0';
}

/* Replace d by the door attached to the file it refers to. */
static int replace_with_door(int d)
{
	char name[PATH_MAX], why[256];
	int door, fdflags, r;

	door = door_naming_lookup(d);
	if (door < 0) {
		snprintf(why, sizeof(why), "%s", door_strerror_detail());
		describe_fd(d, name, sizeof(name));
		door_detail_set("%s is not a door and no door is attached to it (%s)",
				name, why);
		return door == -EACCES || door == -EPERM ? door : -EBADF;
	}
	fdflags = fcntl(d, F_GETFD);
	r = dup3(door, d, fdflags >= 0 && (fdflags & FD_CLOEXEC) ? O_CLOEXEC : 0);
	r = r < 0 ? -errno : 0;
	close(door);
	if (r < 0)
		door_detail_set("cannot put the door in place of descriptor %d: %s",
				d, strerror(-r));
	return r;
}

static int resolve(int d, int err)
{
	struct stat st;
	int r;

	if (d < 0 || fstat(d, &st) < 0)
		return -err;
	/* An unknown request on a door: this door.ko predates it. */
	if (S_ISDOOR(st.st_mode) && err == ENOTTY) {
		door_detail_set("descriptor %d: request not supported by this door.ko", d);
		return -ENOTSUP;
	}
	/* A real door (revoked, say) or an anonymous file: the error stands. */
	if (S_ISDOOR(st.st_mode) || (st.st_mode & S_IFMT) == 0)
		return -err;
	pthread_mutex_lock(&resolve_lock);
	/* Another thread may have resolved it meanwhile. */
	if (fstat(d, &st) == 0 && S_ISDOOR(st.st_mode))
		r = 0;
	else
		r = replace_with_door(d);
	pthread_mutex_unlock(&resolve_lock);
	return r;
}

int door_fd_ioctl(int d, unsigned long req, void *arg)
{
	int r, err;

	r = ioctl(d, req, arg);
	if (r >= 0)
		return r;
	err = errno;
	if (err != ENOTTY && err != EBADF)
		return -err;
	r = resolve(d, err);
	if (r < 0)
		return r;
	r = ioctl(d, req, arg);
	return r < 0 ? -errno : r;
}

void door_resolve_forked_child(void)
{
	/* Only the forking thread survives; no one else can hold the lock. */
	pthread_mutex_init(&resolve_lock, NULL);
}

void door_kinfo_to_info(const struct door_kinfo *ki, door_info_t *info)
{
	memset(info, 0, sizeof(*info));
	info->di_target = ki->target;
	info->di_proc = ki->proc;
	info->di_data = ki->cookie;
	info->di_attributes = ki->attributes;
	info->di_uniquifier = ki->id;
}
