/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef DOORD_CAPS_H
#define DOORD_CAPS_H

/*
 * doord starts as root and keeps two capabilities (doord(8),
 * PRIVILEGES):
 *
 *  CAP_DAC_READ_SEARCH, effective: inotify_add_watch() needs read
 *    access to the attached file, which usually belongs to someone
 *    else and may be mode 0600; the watch is how doord notices an
 *    unlink at once. Read and search only: doord never writes files
 *    it does not own.
 *  CAP_SYS_ADMIN, permitted but not effective: DOOR_IOC_STATS on
 *    another user's door needs it. It is raised around that one ioctl
 *    and lowered straight after, so no other code runs with it.
 *
 * Every other capability leaves the effective, permitted, inheritable
 * and bounding sets, and no_new_privs is set.
 */

/* Drops what is not needed. Returns 0, or a negative errno. */
int caps_drop(void);

/* Raise/lower CAP_SYS_ADMIN in the effective set; raise returns 1 when
 * it did raise, 0 when the capability is not permitted. */
int caps_raise_stats(void);
void caps_lower_stats(void);

#endif
