/*
 * door_ucred and door_cred: the immediate caller of the invocation the
 * calling thread is serving.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "internal.h"
#include "ucred.h"

static int caller_ucred(ucred_t *uc)
{
	struct door_ucred u;
	__u32 groups[UCRED_GROUPS_MAX];
	int ctx = door_ctx_fd();
	int i;

	if (ctx < 0)
		return ctx;
	memset(&u, 0, sizeof(u));
	u.size = sizeof(u);
	u.groups_ptr = (uintptr_t)groups;
	u.groups_max = UCRED_GROUPS_MAX;
	if (ioctl(ctx, DOOR_IOC_UCRED, &u) < 0)
		return -errno;
	uc->euid = u.euid;
	uc->ruid = u.ruid;
	uc->suid = u.suid;
	uc->egid = u.egid;
	uc->rgid = u.rgid;
	uc->sgid = u.sgid;
	/* The module says 0 when the caller is invisible here; Solaris -1. */
	uc->pid = u.pid ? u.pid : -1;
	uc->cap_effective = u.cap_effective;
	uc->cap_permitted = u.cap_permitted;
	uc->cap_inheritable = u.cap_inheritable;
	uc->ngroups = u.ngroups < UCRED_GROUPS_MAX ? (int)u.ngroups : UCRED_GROUPS_MAX;
	for (i = 0; i < uc->ngroups; i++)
		uc->groups[i] = groups[i];
	return 0;
}

DOOR_EXPORT int door_ucred(ucred_t **info)
{
	ucred_t *uc;
	int r;

	if (!info) {
		errno = EFAULT;
		return -1;
	}
	uc = *info ? *info : malloc(sizeof(*uc));
	if (!uc) {
		errno = ENOMEM;
		return -1;
	}
	r = caller_ucred(uc);
	if (r < 0) {
		if (uc != *info)
			free(uc);
		errno = -r;
		return -1;
	}
	*info = uc;
	return 0;
}

DOOR_EXPORT int door_cred(door_cred_t *info)
{
	ucred_t uc;
	int r;

	if (!info) {
		errno = EFAULT;
		return -1;
	}
	r = caller_ucred(&uc);
	if (r < 0) {
		errno = -r;
		return -1;
	}
	memset(info, 0, sizeof(*info));
	info->dc_euid = uc.euid;
	info->dc_egid = uc.egid;
	info->dc_ruid = uc.ruid;
	info->dc_rgid = uc.rgid;
	info->dc_pid = uc.pid;
	return 0;
}
