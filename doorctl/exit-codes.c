/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>

#include "exit-codes.h"

int exit_code_from_errno(int err)
{
	switch (abs(err)) {
	case 0:
		return DOORCTL_EXIT_OK;
	case ENOENT:
	case ENOTDIR:
	case ESRCH:
		return DOORCTL_EXIT_NOT_FOUND;
	case EPERM:
	case EACCES:
		return DOORCTL_EXIT_DENIED;
	/* doord went away mid-request, or the module is missing. */
	case ECONNREFUSED:
	case ECONNRESET:
	case ENOTCONN:
	case ENODEV:
		return DOORCTL_EXIT_UNAVAILABLE;
	default:
		return DOORCTL_EXIT_FAILURE;
	}
}

int exit_code_from_connect_errno(int err)
{
	/* A socket we may not open is a permission problem; anything else
	 * (missing socket, nobody listening) means doord is not there. */
	switch (abs(err)) {
	case EPERM:
	case EACCES:
		return DOORCTL_EXIT_DENIED;
	default:
		return DOORCTL_EXIT_UNAVAILABLE;
	}
}
