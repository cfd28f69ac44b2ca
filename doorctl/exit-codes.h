/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * doorctl's exit codes: a stable, documented interface (doorctl(1),
 * "EXIT STATUS"). Scripts test them, so values never change meaning.
 */
#ifndef DOORCTL_EXIT_CODES_H
#define DOORCTL_EXIT_CODES_H

enum {
	DOORCTL_EXIT_OK = 0,		/* success */
	DOORCTL_EXIT_FAILURE = 1,	/* any other failure */
	DOORCTL_EXIT_USAGE = 2,		/* bad verb, option or argument */
	DOORCTL_EXIT_NOT_FOUND = 3,	/* no such file, name not attached,
					 * no such process or descriptor */
	DOORCTL_EXIT_DENIED = 4,	/* permission denied */
	DOORCTL_EXIT_UNAVAILABLE = 5,	/* doord or door.ko not available */
};

/* Exit code for a failure with errno @err (either sign). */
int exit_code_from_errno(int err);

/* Exit code when connecting to doord failed with errno @err. */
int exit_code_from_connect_errno(int err);

#endif
