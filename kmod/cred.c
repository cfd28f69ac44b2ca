// SPDX-License-Identifier: GPL-2.0
/*
 * DOOR_IOC_UCRED: the immediate caller's identity, as captured when it
 * called, translated into the serving thread's user and pid namespaces.
 */
#include <linux/cred.h>
#include <linux/pid_namespace.h>
#include <linux/uaccess.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>

#include "door_internal.h"

/* Capabilities held in @caller's namespace mean something in @server's. */
static bool door_caps_apply(const struct user_namespace *caller,
			    const struct user_namespace *server)
{
	for (; server; server = server->parent)
		if (server == caller)
			return true;
	return false;
}

static int door_ucred_groups(const struct cred *cred, struct door_ucred *uc)
{
	struct user_namespace *ns = current_user_ns();
	const struct group_info *gi = cred->group_info;
	u32 __user *dst = u64_to_user_ptr(uc->groups_ptr);
	unsigned int i, n;

	uc->ngroups = gi->ngroups;
	n = min_t(unsigned int, gi->ngroups, uc->groups_max);
	if (n && !uc->groups_ptr)
		return -EFAULT;
	for (i = 0; i < n; i++)
		if (put_user(from_kgid_munged(ns, gi->gid[i]), dst + i))
			return -EFAULT;
	return 0;
}

static void door_ucred_fill(const struct door_inv *inv, struct door_ucred *uc)
{
	struct user_namespace *ns = current_user_ns();
	const struct cred *cred = inv->cred;

	uc->pid = pid_nr_ns(inv->caller_tgid, task_active_pid_ns(current));
	uc->euid = from_kuid_munged(ns, cred->euid);
	uc->egid = from_kgid_munged(ns, cred->egid);
	uc->ruid = from_kuid_munged(ns, cred->uid);
	uc->rgid = from_kgid_munged(ns, cred->gid);
	uc->suid = from_kuid_munged(ns, cred->suid);
	uc->sgid = from_kgid_munged(ns, cred->sgid);
	if (door_caps_apply(cred->user_ns, ns)) {
		uc->cap_effective = door_cap_u64(cred->cap_effective);
		uc->cap_permitted = door_cap_u64(cred->cap_permitted);
		uc->cap_inheritable = door_cap_u64(cred->cap_inheritable);
	}
}

/*
 * Size-extensible like DOOR_IOC_HANDSHAKE. -EINVAL when the thread
 * serves no invocation; -ECANCELED once its caller has gone away (the
 * Linux stand-in for Solaris's SIGCANCEL; not with DOOR_NO_CANCEL).
 */
long door_ucred(struct door_ctx *ctx, void __user *uarg)
{
	struct door_thread *thr;
	struct door_ucred uc;
	struct door_inv *inv;
	int err;

	err = door_copy_sized(&uc, sizeof(uc), uarg);
	if (err)
		return err;
	if (uc.reserved[0] || uc.reserved[1])
		return -EINVAL;
	thr = door_thread_get(ctx, false);
	if (IS_ERR(thr))
		return PTR_ERR(thr);
	spin_lock(&ctx->lock);
	inv = thr->inv;
	if (!inv)
		err = -EINVAL;
	else if (inv->state == DOOR_INV_CANCELLED &&
		 !(inv->door->attributes & DOOR_NO_CANCEL))
		err = -ECANCELED;
	else
		refcount_inc(&inv->ref);
	spin_unlock(&ctx->lock);
	if (err)
		return err;
	door_ucred_fill(inv, &uc);
	err = door_ucred_groups(inv->cred, &uc);
	door_inv_put(inv);
	if (err)
		return err;
	uc.size = sizeof(uc);
	if (copy_to_user(uarg, &uc, sizeof(uc)))
		return -EFAULT;
	return 0;
}
