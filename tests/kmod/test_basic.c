/* door.ko: contexts, handshake, door creation, info, new references, revoke. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <criterion/criterion.h>
#include <limits.h>
#include <sys/syscall.h>

#include "kdoor.h"

KD_ONE_TEST_AT_A_TIME

Test(handshake, reports_version_features_and_limits)
{
	int ctx = kd_open();
	struct door_handshake hs = { .size = sizeof(hs), .api_version = DOOR_API_VERSION };

	cr_assert_geq(ctx, 0, "open /dev/door: %s", strerror(errno));
	cr_assert_eq(kd_ioctl(ctx, DOOR_IOC_HANDSHAKE, &hs), 0);
	cr_assert_eq(hs.api_version, DOOR_API_VERSION);
	cr_assert(hs.features & DOOR_FEAT_CALL);
	cr_assert(hs.features & DOOR_FEAT_DESC);
	cr_assert_eq(hs.max_desc, 1024);
	cr_assert_eq(hs.small_data, 16384);
	cr_assert_geq(hs.max_data, 1u << 20);
	close(ctx);
}

Test(handshake, nonzero_reserved_is_einval)
{
	int ctx = kd_open();
	struct door_handshake hs = { .size = sizeof(hs), .reserved[2] = 1 };

	cr_assert_eq(kd_ioctl(ctx, DOOR_IOC_HANDSHAKE, &hs), -EINVAL);
	close(ctx);
}

Test(handshake, larger_struct_with_zero_tail_is_accepted)
{
	int ctx = kd_open();
	struct {
		struct door_handshake hs;
		uint64_t more[4];
	} big;

	memset(&big, 0, sizeof(big));
	big.hs.size = sizeof(big);
	cr_assert_eq(kd_ioctl(ctx, DOOR_IOC_HANDSHAKE, &big), 0);
	cr_assert_eq(big.hs.size, sizeof(struct door_handshake));
	big.more[3] = 7;
	big.hs.size = sizeof(big);
	cr_assert_eq(kd_ioctl(ctx, DOOR_IOC_HANDSHAKE, &big), -E2BIG);
	close(ctx);
}

Test(handshake, short_size_is_e2big)
{
	int ctx = kd_open();
	struct door_handshake hs = { .size = 8 };

	cr_assert_eq(kd_ioctl(ctx, DOOR_IOC_HANDSHAKE, &hs), -E2BIG);
	close(ctx);
}

Test(handshake, bad_pointer_is_efault)
{
	int ctx = kd_open();

	cr_assert_eq(kd_ioctl(ctx, DOOR_IOC_HANDSHAKE, (void *)8), -EFAULT);
	close(ctx);
}

Test(context, unknown_ioctl_is_enotty)
{
	int ctx = kd_open();
	int d = kd_create(ctx, 0, 0, 0);

	cr_assert_eq(kd_ioctl(ctx, _IO(DOOR_IOC_MAGIC, 0x7f), NULL), -ENOTTY);
	cr_assert_eq(kd_ioctl(ctx, _IO('x', 1), NULL), -ENOTTY);
	cr_assert_eq(kd_ioctl(d, _IO(DOOR_IOC_MAGIC, 0x7f), NULL), -ENOTTY);
	cr_assert_eq(kd_ioctl(d, DOOR_IOC_HANDSHAKE, NULL), -ENOTTY);
	close(d);
	close(ctx);
}

Test(context, other_process_gets_ebadf)
{
	int ctx = kd_open();
	pid_t pid = fork();

	if (pid == 0) {
		struct door_handshake hs = { .size = sizeof(hs) };

		_exit(kd_ioctl(ctx, DOOR_IOC_HANDSHAKE, &hs) == -EBADF &&
		      kd_create(ctx, 0, 0, 0) == -EBADF ? 0 : 1);
	}
	int st;

	waitpid(pid, &st, 0);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(ctx);
}

Test(create, door_is_cloexec_and_fstat_says_door)
{
	int ctx = kd_open();
	int d = kd_create(ctx, 1, 2, 0);
	struct stat st;

	cr_assert_geq(d, 0, "create: %s", strerror(-d));
	cr_assert(fcntl(d, F_GETFD) & FD_CLOEXEC);
	cr_assert_eq(fstat(d, &st), 0);
	cr_assert_eq(st.st_mode & 0170000, 0150000, "mode %o", st.st_mode);
	cr_assert_eq(st.st_mode & 0777, 0777);
	close(d);
	close(ctx);
}

Test(create, nocloexec_flag)
{
	int ctx = kd_open();
	struct door_create dc = { .flags = DOOR_CREATE_F_NOCLOEXEC };
	int d = (int)kd_ioctl(ctx, DOOR_IOC_CREATE, &dc);

	cr_assert_geq(d, 0);
	cr_assert_eq(fcntl(d, F_GETFD) & FD_CLOEXEC, 0);
	close(d);
	close(ctx);
}

Test(create, bad_attributes_are_einval)
{
	int ctx = kd_open();

	cr_assert_eq(kd_create(ctx, 0, 0, DOOR_UNREF | DOOR_UNREF_MULTI), -EINVAL);
	cr_assert_eq(kd_create(ctx, 0, 0, DOOR_LOCAL), -EINVAL);
	cr_assert_eq(kd_create(ctx, 0, 0, DOOR_REVOKED), -EINVAL);
	cr_assert_eq(kd_create(ctx, 0, 0, 0x800), -EINVAL);
	close(ctx);
}

Test(create, reserved_fields_are_einval)
{
	int ctx = kd_open();
	struct door_create dc = { .reserved[1] = 1 };

	cr_assert_eq(kd_ioctl(ctx, DOOR_IOC_CREATE, &dc), -EINVAL);
	dc.reserved[1] = 0;
	dc.pad = 1;
	cr_assert_eq(kd_ioctl(ctx, DOOR_IOC_CREATE, &dc), -EINVAL);
	dc.pad = 0;
	dc.flags = 2;
	cr_assert_eq(kd_ioctl(ctx, DOOR_IOC_CREATE, &dc), -EINVAL);
	close(ctx);
}

Test(create, ids_are_unique)
{
	int ctx = kd_open();
	int a = kd_create(ctx, 0, 0, 0), b = kd_create(ctx, 0, 0, 0);
	struct door_info ia, ib;

	cr_assert_eq(kd_info(a, &ia), 0);
	cr_assert_eq(kd_info(b, &ib), 0);
	cr_assert_neq(ia.id, ib.id);
	close(a);
	close(b);
	close(ctx);
}

Test(info, owner_sees_proc_cookie_and_local)
{
	int ctx = kd_open();
	int d = kd_create(ctx, 0xabc, 0xdef, DOOR_UNREF | DOOR_NO_CANCEL);
	struct door_info di;

	cr_assert_eq(kd_info(d, &di), 0);
	cr_assert_eq(di.target, getpid());
	cr_assert_eq(di.proc, 0xabc);
	cr_assert_eq(di.cookie, 0xdef);
	cr_assert_eq(di.attributes, DOOR_UNREF | DOOR_NO_CANCEL | DOOR_LOCAL | DOOR_IS_UNREF,
		     "one open file: unreferenced");
	close(d);
	close(ctx);
}

Test(info, other_process_sees_no_cookie_nor_local)
{
	pid_t pid;
	int d = kd_fork_server(NULL, 1, 0, 0x55, &pid);
	struct door_info di;

	cr_assert_geq(d, 0);
	cr_assert_eq(kd_info(d, &di), 0);
	cr_assert_eq(di.target, pid);
	cr_assert_eq(di.cookie, 0);
	cr_assert_eq(di.proc, 0);
	cr_assert_eq(di.attributes & DOOR_LOCAL, 0);
	kd_kill_wait(pid);
	close(d);
}

Test(info, dead_server_target_is_minus_one_and_revoked)
{
	pid_t pid;
	int d = kd_fork_server(NULL, 1, 0, 0, &pid);
	struct door_info di;

	kd_kill_wait(pid);
	cr_assert_eq(kd_info(d, &di), 0);
	cr_assert_eq(di.target, -1);
	cr_assert(di.attributes & DOOR_REVOKED);
	close(d);
}

Test(info, not_a_door_is_enotty_and_bad_pointer_efault)
{
	int ctx = kd_open();
	int d = kd_create(ctx, 0, 0, 0);
	struct door_info di;

	cr_assert_eq(kd_ioctl(0, DOOR_IOC_INFO, &di), -ENOTTY);
	cr_assert_eq(kd_ioctl(d, DOOR_IOC_INFO, (void *)16), -EFAULT);
	close(d);
	close(ctx);
}

Test(newref, gives_a_new_file_for_the_same_door)
{
	int ctx = kd_open();
	int d = kd_create(ctx, 0, 0, 0);
	uint32_t flags = O_CLOEXEC;
	long n = kd_ioctl(d, DOOR_IOC_NEWREF, &flags);
	struct door_info a, b;
	struct stat sa, sb;

	cr_assert_geq(n, 0);
	cr_assert(fcntl((int)n, F_GETFD) & FD_CLOEXEC);
	cr_assert_eq(kd_info(d, &a), 0);
	cr_assert_eq(kd_info((int)n, &b), 0);
	cr_assert_eq(a.id, b.id);
	fstat(d, &sa);
	fstat((int)n, &sb);
	cr_assert_eq(sa.st_ino, sb.st_ino);
	cr_assert_eq(kd_live("files") >= 2, true);
	/* a new open file, not a dup: F_SETFL on one doesn't show on the other */
	fcntl(d, F_SETFL, O_NONBLOCK);
	cr_assert_eq(fcntl((int)n, F_GETFL) & O_NONBLOCK, 0);
	close((int)n);
	close(d);
	close(ctx);
}

Test(newref, bad_flags_einval_bad_pointer_efault)
{
	int ctx = kd_open();
	int d = kd_create(ctx, 0, 0, 0);
	uint32_t flags = O_NONBLOCK;

	cr_assert_eq(kd_ioctl(d, DOOR_IOC_NEWREF, &flags), -EINVAL);
	cr_assert_eq(kd_ioctl(d, DOOR_IOC_NEWREF, (void *)8), -EFAULT);
	close(d);
	close(ctx);
}

Test(revoke, marks_revoked_and_refuses_newref_and_calls)
{
	int ctx = kd_open();
	int d = kd_create(ctx, 0, 0, 0);
	struct door_info di;
	uint32_t flags = 0;

	cr_assert_eq(kd_ioctl(d, DOOR_IOC_REVOKE, NULL), 0);
	cr_assert_eq(kd_info(d, &di), 0);
	cr_assert(di.attributes & DOOR_REVOKED);
	cr_assert_eq(kd_ioctl(d, DOOR_IOC_NEWREF, &flags), -EBADF);
	cr_assert_eq(kd_call_data(d, NULL, 0, NULL, 0, NULL), -EBADF);
	cr_assert_eq(kd_ioctl(d, DOOR_IOC_REVOKE, NULL), -EBADF);
	close(d);
	close(ctx);
}

Test(revoke, by_another_process_is_eperm)
{
	pid_t pid;
	int d = kd_fork_server(NULL, 1, 0, 0, &pid);

	cr_assert_eq(kd_ioctl(d, DOOR_IOC_REVOKE, NULL), -EPERM);
	kd_kill_wait(pid);
	close(d);
}

Test(revoke, closing_the_context_revokes_its_doors)
{
	int ctx = kd_open();
	int d = kd_create(ctx, 0, 0, 0);
	struct door_info di;

	close(ctx);
	cr_assert_eq(kd_info(d, &di), 0);
	cr_assert(di.attributes & DOOR_REVOKED);
	cr_assert_eq(di.target, -1);
	cr_assert_eq(kd_call_data(d, NULL, 0, NULL, 0, NULL), -EBADF);
	close(d);
}

Test(lifetime, counters_return_to_zero)
{
	long doors = kd_live("doors"), files = kd_live("files");
	int ctx = kd_open();
	int d = kd_create(ctx, 0, 0, 0);

	cr_assert_eq(kd_live("doors"), doors + 1);
	cr_assert_eq(kd_live("files"), files + 1);
	close(d);
	close(ctx);
	cr_assert_eq(kd_live_settle("doors", doors), doors);
	cr_assert_eq(kd_live_settle("files", files), files);
}

static long getparam(int d, uint32_t param, uint64_t *v)
{
	struct door_param p = { .param = param };
	long rc = kd_ioctl(d, DOOR_IOC_GETPARAM, &p);

	*v = p.value;
	return rc;
}

static long setparam(int d, uint32_t param, uint64_t v)
{
	struct door_param p = { .param = param, .value = v };

	return kd_ioctl(d, DOOR_IOC_SETPARAM, &p);
}

Test(param, defaults_and_refuse_desc)
{
	int ctx = kd_open();
	int d = kd_create(ctx, 0, 0, 0), r = kd_create(ctx, 0, 0, DOOR_REFUSE_DESC);
	uint64_t v;

	cr_assert_eq(getparam(d, DOOR_PARAM_DATA_MIN, &v), 0);
	cr_assert_eq(v, 0);
	cr_assert_eq(getparam(d, DOOR_PARAM_DATA_MAX, &v), 0);
	cr_assert_eq(v, UINT64_MAX);
	cr_assert_eq(getparam(d, DOOR_PARAM_DESC_MAX, &v), 0);
	cr_assert_eq(v, INT_MAX);
	cr_assert_eq(getparam(r, DOOR_PARAM_DESC_MAX, &v), 0);
	cr_assert_eq(v, 0);
	cr_assert_eq(getparam(d, 99, &v), -EINVAL);
	close(d);
	close(r);
	close(ctx);
}

Test(param, setparam_errors)
{
	int ctx = kd_open();
	int d = kd_create(ctx, 0, 0, 0), r = kd_create(ctx, 0, 0, DOOR_REFUSE_DESC);

	cr_assert_eq(setparam(d, DOOR_PARAM_DATA_MAX, 100), 0);
	cr_assert_eq(setparam(d, DOOR_PARAM_DATA_MIN, 101), -EINVAL);
	cr_assert_eq(setparam(d, DOOR_PARAM_DESC_MAX, 1ull << 32), -ERANGE);
	cr_assert_eq(setparam(r, DOOR_PARAM_DESC_MAX, 1), -ENOTSUP);
	cr_assert_eq(setparam(d, 99, 1), -EINVAL);
	kd_ioctl(d, DOOR_IOC_REVOKE, NULL);
	cr_assert_eq(setparam(d, DOOR_PARAM_DATA_MAX, 100), -EBADF);
	close(d);
	close(r);
	close(ctx);
}

Test(param, setparam_by_another_process_is_eperm)
{
	pid_t pid;
	int d = kd_fork_server(NULL, 1, 0, 0, &pid);

	cr_assert_eq(setparam(d, DOOR_PARAM_DATA_MAX, 100), -EPERM);
	kd_kill_wait(pid);
	close(d);
}

Test(param, limits_are_enforced_on_calls)
{
	pid_t pid;
	int sv[2];
	char buf[64];
	struct door_desc dd = { .attributes = DOOR_DESCRIPTOR, .fd = 0 };
	struct door_call dc = { .desc_ptr = KD_PTR(&dd), .desc_num = 1 };

	/* the owner sets the limits, so this one is served in-process */
	int ctx = kd_open(), d = kd_create(ctx, 0, 0, 0);

	(void)pid; (void)sv;
	cr_assert_eq(setparam(d, DOOR_PARAM_DATA_MIN, 8), 0);
	cr_assert_eq(setparam(d, DOOR_PARAM_DATA_MAX, 16), 0);
	cr_assert_eq(setparam(d, DOOR_PARAM_DESC_MAX, 0), 0);
	cr_assert_eq(kd_call_data(d, buf, 4, NULL, 0, NULL), -ENOBUFS);
	cr_assert_eq(kd_call_data(d, buf, 17, NULL, 0, NULL), -ENOBUFS);
	dc.data_ptr = KD_PTR(buf);
	dc.data_size = 8;
	cr_assert_eq(kd_ioctl(d, DOOR_IOC_CALL, &dc), -ENFILE);
	close(d);
	close(ctx);
}

static long module_refcnt(void)
{
	FILE *f = fopen("/sys/module/door/refcnt", "r");
	long v = -1;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

Test(lifetime, module_is_pinned_while_a_door_or_context_is_open)
{
	long base = module_refcnt();
	int ctx = kd_open();
	int d = kd_create(ctx, 0, 0, 0);

	cr_assert_geq(base, 0);
	cr_assert_eq(module_refcnt(), base + 2);
	close(ctx);
	cr_assert_eq(module_refcnt(), base + 1, "the door alone pins the module");
	close(d);
	for (int i = 0; i < 100 && module_refcnt() != base; i++)
		usleep(10000);
	cr_assert_eq(module_refcnt(), base);
}
