/*
 * Door names: fattach, fdetach and door_open, carried out by doord.
 *
 * A name is the attached file itself (device and inode), never its
 * spelling: we open the path ourselves, so the filesystem's permission
 * checks, mount namespace and chroot apply to us, and hand doord the open
 * file. doord takes its caller's identity from the socket.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "bus.h"

static int open_name(const char *path, int flags)
{
	int fd;

	if (!path)
		return -EFAULT;
	fd = open(path, flags | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		int err = errno;

		door_detail_set("cannot open %s: %s", path, strerror(err));
		return -err;
	}
	return fd;
}

/* A fresh door reference for fd: what doord keeps for the name (a fresh
 * file, so the name counts as a reference of its own for unref). */
static int fresh_reference(int fd)
{
	__u32 flags = O_CLOEXEC;
	struct stat st;
	int r;

	if (fstat(fd, &st) < 0) {
		door_detail_set("descriptor %d is not open", fd);
		return -EBADF;
	}
	if (!S_ISDOOR(st.st_mode)) {
		door_detail_set("descriptor %d is not a door", fd);
		return -EINVAL;
	}
	r = door_ctx_need(DOOR_FEAT_NEWREF, "fattach (fresh door references)");
	if (r < 0)
		return r;
	r = ioctl(fd, DOOR_IOC_NEWREF, &flags);
	if (r < 0) {
		r = -errno;
		door_detail_set("descriptor %d: cannot make a new reference: %s",
				fd, strerror(-r));
	}
	return r;
}

DOOR_EXPORT int fattach(int fildes, const char *path)
{
	sd_bus_message *reply = NULL;
	int door, file, r;

	door_detail_clear();
	door = fresh_reference(fildes);
	if (door < 0) {
		errno = -door;
		return -1;
	}
	file = open_name(path, O_PATH);
	if (file < 0) {
		close(door);
		errno = -file;
		return -1;
	}
	r = door_bus_call("Attach", &reply, "hh", door, file);
	sd_bus_message_unref(reply);
	close(file);
	close(door);
	if (r < 0) {
		errno = -r;
		return -1;
	}
	return 0;
}

DOOR_EXPORT int fdetach(const char *path)
{
	sd_bus_message *reply = NULL;
	int file, r;

	door_detail_clear();
	file = open_name(path, O_PATH);
	if (file < 0) {
		errno = -file;
		return -1;
	}
	r = door_bus_call("Detach", &reply, "h", file);
	sd_bus_message_unref(reply);
	close(file);
	if (r < 0) {
		errno = -r;
		return -1;
	}
	return 0;
}

int door_naming_lookup(int file_fd)
{
	sd_bus_message *reply = NULL;
	int door, r;

	r = door_bus_call("Lookup", &reply, "h", file_fd);
	if (r < 0)
		return r;
	r = sd_bus_message_read(reply, "h", &door);
	if (r >= 0) {
		/* The message owns the descriptor it carried. */
		r = fcntl(door, F_DUPFD_CLOEXEC, 3);
		if (r < 0)
			r = -errno;
	}
	sd_bus_message_unref(reply);
	if (r < 0)
		door_detail_set("doord: Lookup: bad reply: %s", strerror(-r));
	return r;
}

#define DOOR_OPEN_FLAGS (O_ACCMODE | O_CLOEXEC | O_NOFOLLOW)

DOOR_EXPORT int door_open(const char *path, int flags)
{
	int file, door;

	door_detail_clear();
	if (flags & ~DOOR_OPEN_FLAGS)
		return door_fail(EINVAL, "door_open: flags 0x%x not supported",
				 flags & ~DOOR_OPEN_FLAGS);
	/* Non-blocking: a FIFO that carries a name must not stall us. */
	file = open_name(path, (flags & (O_ACCMODE | O_NOFOLLOW)) | O_NONBLOCK);
	if (file < 0) {
		errno = -file;
		return -1;
	}
	door = door_naming_lookup(file);
	close(file);
	if (door < 0) {
		errno = -door;
		return -1;
	}
	if (!(flags & O_CLOEXEC) && fcntl(door, F_SETFD, 0) < 0) {
		int err = errno;

		close(door);
		return door_fail(err, "door_open: %s", strerror(err));
	}
	return door;
}
