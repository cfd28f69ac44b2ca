/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "bus-error.h"
#include "util.h"

static const char *errno_name(int err)
{
	switch (err) {
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EIO: return "EIO";
	case EBADF: return "EBADF";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EBUSY: return "EBUSY";
	case EINVAL: return "EINVAL";
	case EMFILE: return "EMFILE";
	case ENOSPC: return "ENOSPC";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ESTALE: return "ESTALE";
	case EDQUOT: return "EDQUOT";
	case ELOOP: return "ELOOP";
	case ENOTDIR: return "ENOTDIR";
	default: return NULL;
	}
}

int bus_error_errnof(sd_bus_error *error, int err, const char *fmt, ...)
{
	char name[64], *msg = NULL;
	const char *n;
	va_list ap;
	int saved;

	if (err < 0)
		err = -err;
	if (err == 0)
		err = EIO;
	saved = errno;
	errno = err;	/* for %m */
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	errno = saved;
	n = errno_name(err);
	if (!n) {
		sd_bus_error_set_errnof(error, err, "%s", msg ? msg : "");
		free(msg);
		return -err;
	}
	snprintf(name, sizeof(name), "System.Error.%s", n);
	sd_bus_error_set(error, name, msg);
	free(msg);
	return -err;
}
