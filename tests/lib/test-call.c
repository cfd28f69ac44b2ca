/*
 * door_call, door_return, door_info, door_revoke, descriptors and
 * credentials: the invocation path through libdoorclient (needs door.ko).
 */
#include <criterion/criterion.h>
#include <alloca.h>
#include <fcntl.h>
#include <stdlib.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "common.h"

static void setup(void)
{
	/* Any lookup a test triggers must fail fast, not reach a real doord. */
	setenv("DOORD_SOCKET", "/nonexistent/doord-bus", 1);
}

TestSuite(call, .init = setup, .timeout = 60);

static void echo(void *cookie, char *argp, size_t n, door_desc_t *dp, uint_t nd)
{
	door_return(argp, n, NULL, 0);
}

static void empty(void *cookie, char *argp, size_t n, door_desc_t *dp, uint_t nd)
{
	door_return(NULL, 0, NULL, 0);
}

Test(call, echo_returns_the_arguments_in_rbuf)
{
	char rbuf[64];
	door_arg_t a;
	int d = door_create(echo, NULL, 0);

	cr_assert_geq(d, 0, "door_create: %s (%s)", strerror(errno), door_strerror_detail());
	cr_assert_eq(call_bytes(d, "hello", 5, rbuf, sizeof(rbuf), &a), 0, "%s", strerror(errno));
	cr_assert_eq(a.data_size, 5);
	cr_assert_eq(a.data_ptr, rbuf);
	cr_assert_eq(a.rbuf, rbuf);
	cr_assert_eq(a.desc_num, 0);
	cr_assert_arr_eq(rbuf, "hello", 5);
}

static int null_calls;
static void count(void *cookie, char *argp, size_t n, door_desc_t *dp, uint_t nd)
{
	__atomic_add_fetch(&null_calls, 1, __ATOMIC_SEQ_CST);
	door_return(NULL, 0, NULL, 0);
}

Test(call, null_params_means_no_arguments_and_no_results)
{
	int d = door_create(count, NULL, 0);

	cr_assert_eq(door_call(d, NULL), 0, "%s", strerror(errno));
	cr_assert_eq(door_call(d, NULL), 0, "%s", strerror(errno));
	cr_assert_eq(null_calls, 2);
}

Test(call, data_ptr_is_left_alone_when_no_data_comes_back)
{
	char in[4] = "abc", rbuf[16];
	door_arg_t a;
	int d = door_create(empty, NULL, 0);

	cr_assert_eq(call_bytes(d, in, 3, rbuf, sizeof(rbuf), &a), 0);
	cr_assert_eq(a.data_size, 0);
	cr_assert_eq(a.data_ptr, in);
}

#define BIG (256 * 1024)
static char big_result[BIG];
static void big(void *cookie, char *argp, size_t n, door_desc_t *dp, uint_t nd)
{
	door_return(big_result, BIG, NULL, 0);
}

Test(call, results_larger_than_rbuf_arrive_in_a_new_mapping)
{
	char rbuf[16];
	door_arg_t a;
	int d, i;

	for (i = 0; i < BIG; i++)
		big_result[i] = (char)(i * 7);
	d = door_create(big, NULL, 0);
	cr_assert_eq(call_bytes(d, NULL, 0, rbuf, sizeof(rbuf), &a), 0, "%s", strerror(errno));
	cr_assert_neq(a.rbuf, rbuf);
	cr_assert_geq(a.rsize, BIG);
	cr_assert_eq(a.data_size, BIG);
	cr_assert_eq(a.data_ptr, a.rbuf);
	cr_assert_eq(memcmp(a.data_ptr, big_result, BIG), 0);
	cr_assert_eq(munmap(a.rbuf, a.rsize), 0);
}

/* Sums the arguments, so the client can check every byte arrived. */
static void checksum(void *cookie, char *argp, size_t n, door_desc_t *dp, uint_t nd)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum = sum * 31 + (unsigned char)argp[i];
	door_return((char *)&sum, sizeof(sum), NULL, 0);
}

static void check_arguments_of_size(size_t size)
{
	unsigned char *buf = malloc(size);
	uint64_t sum = 0, got = 0;
	door_arg_t a;
	size_t i;
	int d = door_create(checksum, NULL, 0);

	cr_assert_not_null(buf);
	for (i = 0; i < size; i++) {
		buf[i] = (unsigned char)(i * 13 + (i >> 8));
		sum = sum * 31 + buf[i];
	}
	/* Several calls: the argument mapping is replaced each time. */
	for (i = 0; i < 3; i++) {
		cr_assert_eq(call_bytes(d, buf, size, &got, sizeof(got), &a), 0,
			     "%s", strerror(errno));
		cr_assert_eq(a.data_size, sizeof(got));
		cr_assert_eq(got, sum, "size %zu: checksum differs", size);
	}
	free(buf);
}

Test(call, small_arguments_arrive_intact)
{
	check_arguments_of_size(1000);
}

Test(call, arguments_larger_than_the_receive_buffer_arrive_intact)
{
	check_arguments_of_size(1024 * 1024 + 17);
}

static void from_stack(void *cookie, char *argp, size_t n, door_desc_t *dp, uint_t nd)
{
	char local[4096];

	memset(local, 'S', sizeof(local));
	door_return(local, sizeof(local), NULL, 0);
}

static void from_alloca(void *cookie, char *argp, size_t n, door_desc_t *dp, uint_t nd)
{
	char *p = alloca(100000);

	memset(p, 'A', 100000);
	door_return(p, 100000, NULL, 0);
}

Test(call, results_on_the_procedure_stack_are_delivered_intact)
{
	static char rbuf[100000];
	door_arg_t a;
	int d1 = door_create(from_stack, NULL, 0), d2 = door_create(from_alloca, NULL, 0);

	for (int i = 0; i < 3; i++) {
		cr_assert_eq(call_bytes(d1, NULL, 0, rbuf, sizeof(rbuf), &a), 0);
		cr_assert_eq(a.data_size, 4096);
		for (int j = 0; j < 4096; j++)
			cr_assert_eq(rbuf[j], 'S');
		cr_assert_eq(call_bytes(d2, NULL, 0, rbuf, sizeof(rbuf), &a), 0);
		cr_assert_eq(a.data_size, 100000);
		for (int j = 0; j < 100000; j++)
			cr_assert_eq(rbuf[j], 'A');
	}
}

/* Returns the address of a local, after recursing depth levels. */
static __attribute__((noinline)) void deep_return(int depth)
{
	volatile char pad[512];
	uintptr_t where = (uintptr_t)&pad;

	pad[0] = 0;
	if (depth > 0) {
		deep_return(depth - 1);
		return;
	}
	door_return((char *)&where, sizeof(where), NULL, 0);
}

static void where_am_i(void *cookie, char *argp, size_t n, door_desc_t *dp, uint_t nd)
{
	volatile char mark;
	uintptr_t where = (uintptr_t)&mark;

	if (n == sizeof(int) && *(int *)argp > 0)
		deep_return(*(int *)argp);
	door_return((char *)&where, sizeof(where), NULL, 0);
}

Test(call, every_invocation_starts_on_the_same_fresh_stack)
{
	uintptr_t first = 0, w = 0;
	door_arg_t a;
	int depth, i, d;

	/* One server thread, so every call lands on the same stack. */
	door_server_threads_max(1);
	d = door_create(where_am_i, NULL, 0);

	for (i = 0; i < 20; i++) {
		/* Odd calls leave from 50 frames deep: nothing may accumulate. */
		depth = i % 2 ? 50 : 0;
		cr_assert_eq(call_bytes(d, &depth, sizeof(depth), &w, sizeof(w), &a), 0);
		if (depth)
			continue;
		if (!first)
			first = w;
		cr_assert_eq(w, first, "invocation %d ran at %#lx, the first at %#lx",
			     i, (unsigned long)w, (unsigned long)first);
	}
}

static void just_return(void *cookie, char *argp, size_t n, door_desc_t *dp, uint_t nd)
{
}

Test(call, a_procedure_that_returns_fails_the_call_with_EINTR)
{
	door_arg_t a;
	char rbuf[8];
	int d = door_create(just_return, NULL, 0);

	cr_assert_eq(call_bytes(d, "x", 1, rbuf, sizeof(rbuf), &a), -1);
	cr_assert_eq(errno, EINTR, "%s", strerror(errno));
	/* The thread ended; the pool makes another for the next call. */
	cr_assert_eq(call_bytes(d, "x", 1, rbuf, sizeof(rbuf), &a), -1);
	cr_assert_eq(errno, EINTR);
}

static int first_return_errno = -1;
static void too_big(void *cookie, char *argp, size_t n, door_desc_t *dp, uint_t nd)
{
	char data[64] = "too much";

	first_return_errno = 0;
	if (door_return(data, sizeof(data), NULL, 0) < 0)
		first_return_errno = errno;
	door_return(NULL, 0, NULL, 0);
}

Test(call, results_to_a_caller_that_wants_none_are_E2BIG_to_the_server)
{
	int d = door_create(too_big, NULL, 0);

	/* No room for results at all (Solaris: params NULL means none). */
	cr_assert_eq(door_call(d, NULL), 0, "%s", strerror(errno));
	cr_assert_eq(first_return_errno, E2BIG, "door_return: %s",
		     first_return_errno ? strerror(first_return_errno) : "succeeded");
}

static void fd_too_far(void *cookie, char *argp, size_t n, door_desc_t *dp, uint_t nd)
{
	door_desc_t desc;

	memset(&desc, 0, sizeof(desc));
	desc.d_attributes = DOOR_DESCRIPTOR;
	desc.d_data.d_desc.d_descriptor = 1000000;
	first_return_errno = 0;
	if (door_return(NULL, 0, &desc, 1) < 0)
		first_return_errno = errno;
	door_return(NULL, 0, NULL, 0);
}

Test(call, a_failed_door_return_leaves_the_caller_waiting_for_a_second)
{
	char rbuf[16];
	door_arg_t a;
	int d = door_create(fd_too_far, NULL, 0);

	cr_assert_eq(call_bytes(d, NULL, 0, rbuf, sizeof(rbuf), &a), 0, "%s", strerror(errno));
	cr_assert_neq(first_return_errno, 0, "door_return of a bad descriptor succeeded");
	cr_assert(first_return_errno == EBADF || first_return_errno == EINVAL,
		  "door_return: %s", strerror(first_return_errno));
	/* The caller got the empty second return, not an error. */
	cr_assert_eq(a.data_size, 0);
	cr_assert_eq(a.desc_num, 0);
}

Test(call, info_describes_the_door)
{
	door_info_t info;
	int cookie;
	int d = door_create(echo, &cookie, DOOR_REFUSE_DESC | DOOR_NO_CANCEL);

	cr_assert_eq(door_info(d, &info), 0, "%s", strerror(errno));
	cr_assert_eq(info.di_target, getpid());
	cr_assert_eq(info.di_proc, (door_ptr_t)(uintptr_t)echo);
	cr_assert_eq(info.di_data, (door_ptr_t)(uintptr_t)&cookie);
	cr_assert_eq(info.di_attributes & ~DOOR_IS_UNREF,
		     DOOR_LOCAL | DOOR_REFUSE_DESC | DOOR_NO_CANCEL);
	cr_assert_neq(info.di_uniquifier, 0);
}

Test(call, every_door_has_its_own_uniquifier)
{
	door_info_t i1, i2;
	int d1 = door_create(echo, NULL, 0), d2 = door_create(echo, NULL, 0);

	cr_assert_eq(door_info(d1, &i1), 0);
	cr_assert_eq(door_info(d2, &i2), 0);
	cr_assert_neq(i1.di_uniquifier, i2.di_uniquifier);
}

Test(call, info_with_a_null_pointer_is_EFAULT)
{
	int d = door_create(echo, NULL, 0);

	cr_assert_eq(door_info(d, NULL), -1);
	cr_assert_eq(errno, EFAULT);
}

Test(call, info_on_a_pipe_is_EBADF_with_a_reason)
{
	door_info_t info;
	int p[2];

	cr_assert_eq(pipe(p), 0);
	cr_assert_eq(door_info(p[0], &info), -1);
	cr_assert_eq(errno, EBADF);
	cr_assert_neq(door_strerror_detail()[0], '\0');
}

Test(call, call_on_a_closed_descriptor_is_EBADF)
{
	cr_assert_eq(door_call(-1, NULL), -1);
	cr_assert_eq(errno, EBADF);
	cr_assert_eq(door_call(1000, NULL), -1);
	cr_assert_eq(errno, EBADF);
}

Test(call, query_from_a_thread_serving_no_private_door_is_EBADF)
{
	door_info_t info;

	cr_assert_eq(door_info(DOOR_QUERY, &info), -1);
	cr_assert_eq(errno, EBADF, "%s", strerror(errno));
}

Test(call, door_descriptors_are_S_IFDOOR_and_close_on_exec)
{
	struct stat st;
	int d = door_create(echo, NULL, 0);

	cr_assert_eq(fstat(d, &st), 0);
	cr_assert(S_ISDOOR(st.st_mode), "st_mode %o", st.st_mode);
	cr_assert(fcntl(d, F_GETFD) & FD_CLOEXEC);
}

Test(call, revoke_closes_the_descriptor_and_fails_later_calls_with_EBADF)
{
	door_info_t info;
	int d = door_create(echo, NULL, 0);
	int other = dup(d);

	cr_assert_eq(door_revoke(d), 0, "%s", strerror(errno));
	cr_assert_eq(fcntl(d, F_GETFD), -1, "door_revoke left the descriptor open");
	cr_assert_eq(door_call(other, NULL), -1);
	cr_assert_eq(errno, EBADF);
	cr_assert_eq(door_info(other, &info), 0);
	cr_assert(info.di_attributes & DOOR_REVOKED);
	cr_assert_eq(door_revoke(other), -1);
	cr_assert_eq(errno, EBADF);
}

static int revoke_in_child(void *arg)
{
	int d = *(int *)arg;

	return door_revoke(d) == -1 && errno == EPERM ? 0 : 1;
}

Test(call, revoke_by_another_process_is_EPERM)
{
	int d = door_create(echo, NULL, 0);

	cr_assert_eq(in_child(revoke_in_child, &d, false), 0);
	cr_assert_eq(door_call(d, NULL), 0, "the door was revoked: %s", strerror(errno));
}

Test(call, revoke_of_a_pipe_is_EBADF)
{
	int p[2];

	cr_assert_eq(pipe(p), 0);
	cr_assert_eq(door_revoke(p[0]), -1);
	cr_assert_eq(errno, EBADF);
}

/* Writes "x" into the descriptor it is given. */
static void writer(void *cookie, char *argp, size_t n, door_desc_t *dp, uint_t nd)
{
	char ok = 0;

	if (nd == 1 && (dp[0].d_attributes & DOOR_DESCRIPTOR)) {
		ok = write(dp[0].d_data.d_desc.d_descriptor, "x", 1) == 1;
		close(dp[0].d_data.d_desc.d_descriptor);
	}
	door_return(&ok, 1, NULL, 0);
}

Test(call, a_descriptor_passed_in_a_call_reaches_the_server)
{
	door_desc_t desc;
	door_arg_t a;
	char ok = 0, c = 0;
	int p[2], d = door_create(writer, NULL, 0);

	cr_assert_eq(pipe(p), 0);
	memset(&desc, 0, sizeof(desc));
	desc.d_attributes = DOOR_DESCRIPTOR;
	desc.d_data.d_desc.d_descriptor = p[1];
	memset(&a, 0, sizeof(a));
	a.desc_ptr = &desc;
	a.desc_num = 1;
	a.rbuf = &ok;
	a.rsize = 1;
	cr_assert_eq(door_call(d, &a), 0, "%s", strerror(errno));
	cr_assert_eq(ok, 1);
	cr_assert_eq(read(p[0], &c, 1), 1);
	cr_assert_eq(c, 'x');
	/* Without DOOR_RELEASE the caller keeps its descriptor. */
	cr_assert_neq(fcntl(p[1], F_GETFD), -1);
}

Test(call, DOOR_RELEASE_closes_the_callers_descriptor)
{
	door_desc_t desc;
	door_arg_t a;
	char ok = 0;
	int p[2], d = door_create(writer, NULL, 0);

	cr_assert_eq(pipe(p), 0);
	memset(&desc, 0, sizeof(desc));
	desc.d_attributes = DOOR_DESCRIPTOR | DOOR_RELEASE;
	desc.d_data.d_desc.d_descriptor = p[1];
	memset(&a, 0, sizeof(a));
	a.desc_ptr = &desc;
	a.desc_num = 1;
	a.rbuf = &ok;
	a.rsize = 1;
	cr_assert_eq(door_call(d, &a), 0, "%s", strerror(errno));
	cr_assert_eq(fcntl(p[1], F_GETFD), -1);
	cr_assert_eq(ok, 1);
}

static int served_door = -1;
/* Returns a descriptor: a pipe's read end with "ok" in it, or a door. */
static void hand_out(void *cookie, char *argp, size_t n, door_desc_t *dp, uint_t nd)
{
	door_desc_t desc;
	int p[2];

	memset(&desc, 0, sizeof(desc));
	desc.d_attributes = DOOR_DESCRIPTOR;
	if (n == 4 && !memcmp(argp, "door", 4)) {
		desc.d_data.d_desc.d_descriptor = served_door;
	} else {
		if (pipe(p) < 0 || write(p[1], "ok", 2) != 2)
			door_return(NULL, 0, NULL, 0);
		close(p[1]);
		desc.d_attributes |= DOOR_RELEASE;
		desc.d_data.d_desc.d_descriptor = p[0];
	}
	door_return(NULL, 0, &desc, 1);
}

Test(call, a_descriptor_returned_by_the_server_reaches_the_caller)
{
	char rbuf[256], got[2];
	door_arg_t a;
	int fd, d = door_create(hand_out, NULL, 0);

	cr_assert_eq(call_bytes(d, "pipe", 4, rbuf, sizeof(rbuf), &a), 0, "%s", strerror(errno));
	cr_assert_eq(a.desc_num, 1);
	cr_assert_not_null(a.desc_ptr);
	cr_assert(a.desc_ptr[0].d_attributes & DOOR_DESCRIPTOR);
	fd = a.desc_ptr[0].d_data.d_desc.d_descriptor;
	cr_assert_eq(read(fd, got, 2), 2);
	cr_assert_arr_eq(got, "ok", 2);
}

Test(call, a_returned_door_carries_its_id)
{
	char rbuf[256];
	door_info_t info;
	door_arg_t a;
	int d = door_create(hand_out, NULL, 0);

	served_door = door_create(echo, NULL, DOOR_REFUSE_DESC);
	cr_assert_eq(door_info(served_door, &info), 0);
	cr_assert_eq(call_bytes(d, "door", 4, rbuf, sizeof(rbuf), &a), 0, "%s", strerror(errno));
	cr_assert_eq(a.desc_num, 1);
	cr_assert_eq(a.desc_ptr[0].d_data.d_desc.d_id, info.di_uniquifier);
	cr_assert(a.desc_ptr[0].d_attributes & DOOR_REFUSE_DESC);
	cr_assert_eq(door_call(a.desc_ptr[0].d_data.d_desc.d_descriptor, NULL), 0);
}

struct seen_cred {
	int ucred_ok, cred_ok, reuse_ok;
	uid_t euid, ruid;
	gid_t egid;
	pid_t pid, dc_pid;
	int ngroups;
};

static void who(void *cookie, char *argp, size_t n, door_desc_t *dp, uint_t nd)
{
	struct seen_cred s;
	ucred_t *uc = NULL, *again;
	const gid_t *groups;
	door_cred_t dc;

	memset(&s, 0, sizeof(s));
	s.ucred_ok = door_ucred(&uc) == 0;
	if (s.ucred_ok) {
		s.euid = ucred_geteuid(uc);
		s.ruid = ucred_getruid(uc);
		s.egid = ucred_getegid(uc);
		s.pid = ucred_getpid(uc);
		s.ngroups = ucred_getgroups(uc, &groups);
		again = uc;
		s.reuse_ok = door_ucred(&again) == 0 && again == uc;
		ucred_free(uc);
	}
	s.cred_ok = door_cred(&dc) == 0;
	s.dc_pid = dc.dc_pid;
	door_return((char *)&s, sizeof(s), NULL, 0);
}

Test(call, door_ucred_and_door_cred_describe_the_caller)
{
	struct seen_cred s;
	door_arg_t a;
	int d = door_create(who, NULL, 0);

	cr_assert_eq(call_bytes(d, NULL, 0, &s, sizeof(s), &a), 0);
	cr_assert(s.ucred_ok);
	cr_assert(s.cred_ok);
	cr_assert(s.reuse_ok, "door_ucred did not reuse the given ucred_t");
	cr_assert_eq(s.euid, geteuid());
	cr_assert_eq(s.ruid, getuid());
	cr_assert_eq(s.egid, getegid());
	cr_assert_eq(s.pid, getpid());
	cr_assert_eq(s.dc_pid, getpid());
	cr_assert_eq(s.ngroups, getgroups(0, NULL));
}

static int call_who_as_nobody(void *arg)
{
	struct seen_cred s;
	door_arg_t a;

	if (call_bytes(*(int *)arg, NULL, 0, &s, sizeof(s), &a) != 0)
		return 2;
	return s.euid == NOBODY && s.egid == NOBODY && s.pid == getpid() &&
	       s.ngroups == 0 ? 0 : 1;
}

Test(call, door_ucred_sees_another_users_caller)
{
	int d = door_create(who, NULL, 0);

	cr_assert_eq(in_child(call_who_as_nobody, &d, true), 0);
}

Test(call, door_ucred_outside_an_invocation_is_EINVAL)
{
	ucred_t *uc = NULL;
	door_cred_t dc;

	cr_assert_eq(door_ucred(&uc), -1);
	cr_assert_eq(errno, EINVAL, "%s", strerror(errno));
	cr_assert_null(uc);
	cr_assert_eq(door_cred(&dc), -1);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(door_ucred(NULL), -1);
	cr_assert_eq(errno, EFAULT);
	cr_assert_eq(door_cred(NULL), -1);
	cr_assert_eq(errno, EFAULT);
}

static int call_from_child(void *arg)
{
	char rbuf[8];
	door_arg_t a;

	if (call_bytes(*(int *)arg, "kid", 3, rbuf, sizeof(rbuf), &a) != 0)
		return 1;
	return a.data_size == 3 && !memcmp(rbuf, "kid", 3) ? 0 : 2;
}

Test(call, a_forked_child_can_call_its_parents_door)
{
	int d = door_create(echo, NULL, 0);

	cr_assert_eq(in_child(call_from_child, &d, false), 0);
}

static int serve_in_child(void *arg)
{
	int d = door_create(echo, NULL, 0);

	return d < 0 ? 3 : call_from_child(&d);
}

Test(call, a_forked_child_serves_doors_of_its_own)
{
	int d = door_create(echo, NULL, 0);

	cr_assert_eq(door_call(d, NULL), 0);
	cr_assert_eq(in_child(serve_in_child, NULL, false), 0);
	cr_assert_eq(door_call(d, NULL), 0, "parent door broken after fork: %s", strerror(errno));
}

static int inner_door = -1;
static void outer(void *cookie, char *argp, size_t n, door_desc_t *dp, uint_t nd)
{
	char rbuf[16];
	door_arg_t a;

	if (call_bytes(inner_door, "inner", 5, rbuf, sizeof(rbuf), &a) != 0)
		door_return(NULL, 0, NULL, 0);
	door_return(a.data_ptr, a.data_size, NULL, 0);
}

Test(call, a_procedure_can_call_another_door)
{
	char rbuf[16];
	door_arg_t a;
	int d = door_create(outer, NULL, 0);

	inner_door = door_create(echo, NULL, 0);
	cr_assert_eq(call_bytes(d, NULL, 0, rbuf, sizeof(rbuf), &a), 0);
	cr_assert_eq(a.data_size, 5);
	cr_assert_arr_eq(rbuf, "inner", 5);
}

static int send_fd(int sock, int fd)
{
	char c = 0, ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &c, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &m, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char c, ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &c, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	int fd;

	if (recvmsg(sock, &m, 0) != 1 || !CMSG_FIRSTHDR(&m))
		return -1;
	memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof(int));
	return fd;
}

Test(call, calls_to_a_dead_servers_door_fail_with_EBADF)
{
	door_info_t info;
	int sv[2], d, status;
	pid_t pid;

	cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		d = door_create(echo, NULL, 0);
		_exit(d < 0 || send_fd(sv[1], d) < 0 || door_call(d, NULL) < 0);
	}
	d = recv_fd(sv[0]);
	cr_assert_geq(d, 0);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert_eq(status, 0);
	cr_assert_eq(door_call(d, NULL), -1);
	cr_assert_eq(errno, EBADF, "%s", strerror(errno));
	cr_assert_eq(door_info(d, &info), 0);
	cr_assert_eq(info.di_target, -1);
	cr_assert(info.di_attributes & DOOR_REVOKED);
	cr_assert(!(info.di_attributes & DOOR_LOCAL));
}

static int count_mappings(void)
{
	char line[512];
	int n = 0;
	FILE *f = fopen("/proc/self/maps", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n++;
	fclose(f);
	return n;
}

Test(call, argument_mappings_are_released_after_each_return)
{
	size_t size = 512 * 1024;
	char *buf = calloc(1, size);
	uint64_t got;
	door_arg_t a;
	int before, after, i, d;

	door_server_threads_max(1);
	d = door_create(checksum, NULL, 0);
	cr_assert_eq(call_bytes(d, buf, size, &got, sizeof(got), &a), 0);
	before = count_mappings();
	for (i = 0; i < 50; i++)
		cr_assert_eq(call_bytes(d, buf, size, &got, sizeof(got), &a), 0);
	after = count_mappings();
	cr_assert_leq(after, before + 2, "%d mappings before, %d after 50 large calls",
		      before, after);
	free(buf);
}

static sem_t hold, entered;
static pthread_t served_by;
static void holder(void *cookie, char *argp, size_t n, door_desc_t *dp, uint_t nd)
{
	served_by = pthread_self();
	if (n == 0) {
		sem_post(&entered);
		sem_wait_s(&hold, 30);
	}
	door_return(NULL, 0, NULL, 0);
}

static void on_signal(int sig)
{
	(void)sig;
}

struct blocked_call {
	int d, rc, err;
	sem_t started;
};

static void *blocked_caller(void *arg)
{
	struct blocked_call *b = arg;

	sem_post(&b->started);
	b->rc = door_call(b->d, NULL);
	b->err = errno;
	return NULL;
}

/* Signals the thread of b until its door_call gives up. */
static void interrupt_call(struct blocked_call *b, pthread_t t)
{
	for (int i = 0; i < 200 && b->rc == 1; i++) {
		pthread_kill(t, SIGUSR1);
		usleep(50000);
	}
	pthread_join(t, NULL);
}

static void start_blocked_call(struct blocked_call *b, pthread_t *t, int d)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigaction(SIGUSR1, &sa, NULL);	/* no SA_RESTART */
	b->rc = 1;
	b->d = d;
	sem_init(&b->started, 0, 0);
	cr_assert_eq(pthread_create(t, NULL, blocked_caller, b), 0);
	sem_wait_s(&b->started, 10);
}

Test(call, a_signal_interrupts_a_caller_being_served_with_EINTR)
{
	struct blocked_call b;
	pthread_t t;
	int d;

	sem_init(&hold, 0, 0);
	sem_init(&entered, 0, 0);
	d = door_create(holder, NULL, 0);
	start_blocked_call(&b, &t, d);
	cr_assert_eq(sem_wait_s(&entered, 20), 0, "the call never reached the server");
	interrupt_call(&b, t);
	sem_post(&hold);
	cr_assert_eq(b.rc, -1);
	cr_assert_eq(b.err, EINTR, "%s", strerror(b.err));
	/* The door still works. */
	cr_assert_eq(call_bytes(d, "x", 1, NULL, 0, &(door_arg_t){0}), 0, "%s", strerror(errno));
}

Test(call, a_signal_to_a_caller_waiting_for_a_server_thread_is_EAGAIN)
{
	struct blocked_call first, second;
	pthread_t t1, t2;
	int d;

	sem_init(&hold, 0, 0);
	sem_init(&entered, 0, 0);
	door_server_threads_max(1);
	d = door_create(holder, NULL, 0);
	start_blocked_call(&first, &t1, d);
	cr_assert_eq(sem_wait_s(&entered, 20), 0, "the call never reached the server");
	/* The only thread is busy: the second caller waits for one. */
	start_blocked_call(&second, &t2, d);
	interrupt_call(&second, t2);
	sem_post(&hold);
	pthread_join(t1, NULL);
	cr_assert_eq(first.rc, 0, "%s", strerror(first.err));
	cr_assert_eq(second.rc, -1);
	cr_assert_eq(second.err, EAGAIN, "%s", strerror(second.err));
}

Test(call, a_signal_to_a_parked_server_thread_does_not_stop_it)
{
	struct sigaction sa = { .sa_handler = on_signal };
	door_arg_t a;
	int d;

	sigaction(SIGUSR2, &sa, NULL);
	door_server_threads_max(1);
	d = door_create(holder, NULL, 0);
	cr_assert_eq(call_bytes(d, "x", 1, NULL, 0, &a), 0);
	for (int i = 0; i < 20; i++) {
		pthread_kill(served_by, SIGUSR2);
		usleep(10000);
	}
	cr_assert_eq(call_bytes(d, "x", 1, NULL, 0, &a), 0, "%s", strerror(errno));
}

Test(call, door_create_with_a_full_descriptor_table_is_EMFILE)
{
	struct rlimit rl;
	int d = door_create(echo, NULL, 0);

	cr_assert_geq(d, 0);
	cr_assert_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	rl.rlim_cur = (rlim_t)d + 1;	/* no room for another */
	cr_assert_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	while (dup(0) >= 0)	/* fill any hole below */
		;
	cr_assert_eq(door_create(echo, NULL, 0), -1);
	cr_assert_eq(errno, EMFILE, "%s", strerror(errno));
}

Test(call, a_bad_argument_pointer_is_EFAULT)
{
	door_arg_t a;
	int d = door_create(echo, NULL, 0);

	memset(&a, 0, sizeof(a));
	a.data_ptr = (char *)16;
	a.data_size = 100;
	cr_assert_eq(door_call(d, &a), -1);
	cr_assert_eq(errno, EFAULT, "%s", strerror(errno));
}
