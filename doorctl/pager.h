/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Long output to a terminal goes through $PAGER (default "less"). */
#ifndef DOORCTL_PAGER_H
#define DOORCTL_PAGER_H

/* Start the pager and point stdout at it, when stdout is a terminal
 * and $PAGER is not empty or "cat". Failure to start one is not an
 * error: output then goes to the terminal directly. */
void pager_open(void);

/* Flush stdout, close the pipe and wait for the pager to quit. */
void pager_close(void);

#endif
