/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Small helpers the verbs share. */
#ifndef DOORCTL_COMMON_H
#define DOORCTL_COMMON_H

#include <jansson.h>
#include <sys/types.h>

/*
 * Open PATH with O_PATH, as doord's name methods expect: the caller
 * opens the file itself so its own permissions and mount namespace
 * apply. Logs "Failed to open 'PATH': ..."; returns the descriptor or
 * a negative errno.
 */
int open_name(const char *path);

/* /proc/PID/comm, or NULL when the process is gone or not visible. */
char *process_command(pid_t pid);

/* json_object_set_new() that reports failure as -ENOMEM. */
int json_set(json_t *obj, const char *key, json_t *v);

#endif
