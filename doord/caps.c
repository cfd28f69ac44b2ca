/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "caps.h"
#include "log.h"
#include "util.h"

static bool have_permitted(cap_t caps, cap_value_t v)
{
	cap_flag_value_t f = CAP_CLEAR;

	return cap_get_flag(caps, v, CAP_PERMITTED, &f) == 0 && f == CAP_SET;
}

int caps_drop(void)
{
	cap_value_t keep_eff = CAP_DAC_READ_SEARCH, keep_perm = CAP_SYS_ADMIN;
	cap_t cur, want;
	int r = 0;
	cap_value_t v;

	cur = cap_get_proc();
	if (!cur)
		return log_error_errno(errno, "Failed to read capabilities: %m");
	want = cap_init();
	if (!want) {
		cap_free(cur);
		return -ENOMEM;
	}
	if (have_permitted(cur, keep_eff)) {
		cap_set_flag(want, CAP_EFFECTIVE, 1, &keep_eff, CAP_SET);
		cap_set_flag(want, CAP_PERMITTED, 1, &keep_eff, CAP_SET);
	} else {
		log_warning("CAP_DAC_READ_SEARCH is not available: unlink of attached files"
			    " the daemon cannot read is noticed only on the next lookup");
	}
	if (have_permitted(cur, keep_perm))
		cap_set_flag(want, CAP_PERMITTED, 1, &keep_perm, CAP_SET);

	/* The bounding set first, while CAP_SETPCAP is still effective. */
	if (have_permitted(cur, CAP_SETPCAP)) {
		for (v = 0; v <= CAP_LAST_CAP; v++) {
			if (v == keep_eff || v == keep_perm)
				continue;
			if (prctl(PR_CAPBSET_DROP, (unsigned long)v, 0, 0, 0) < 0 && errno != EINVAL) {
				r = log_error_errno(errno, "Failed to drop capability %d from the bounding set: %m",
						    (int)v);
				goto out;
			}
		}
	}
	if (cap_set_proc(want) < 0) {
		r = log_error_errno(errno, "Failed to drop capabilities: %m");
		goto out;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		r = log_error_errno(errno, "Failed to set no_new_privs: %m");
out:
	cap_free(cur);
	cap_free(want);
	return r;
}

static int set_sys_admin(cap_flag_value_t value)
{
	cap_value_t v = CAP_SYS_ADMIN;
	cap_t caps = cap_get_proc();
	int r = 0;

	if (!caps)
		return -errno;
	if (!have_permitted(caps, v)) {
		cap_free(caps);
		return 0;
	}
	if (cap_set_flag(caps, CAP_EFFECTIVE, 1, &v, value) < 0 || cap_set_proc(caps) < 0)
		r = -errno;
	cap_free(caps);
	return r < 0 ? r : 1;
}

int caps_raise_stats(void)
{
	return set_sys_admin(CAP_SET);
}

void caps_lower_stats(void)
{
	(void)set_sys_admin(CAP_CLEAR);
}
