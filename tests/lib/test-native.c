/*
 * libdoorclient without door.ko or doord: header layout, argument checks
 * made before any kernel call, ucred_get, and the errors a program sees
 * when the module or doord is missing. Runs on the build host.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "common.h"

/* The Solaris amd64 layouts (pack(4)), which the module shares. */
_Static_assert(sizeof(door_desc_t) == 24, "door_desc_t is 24 bytes");
_Static_assert(offsetof(door_desc_t, d_data.d_desc.d_id) == 8, "d_id at 8");
_Static_assert(sizeof(door_info_t) == 48, "door_info_t is 48 bytes");
_Static_assert(offsetof(door_info_t, di_proc) == 4, "di_proc at 4");
_Static_assert(offsetof(door_info_t, di_uniquifier) == 24, "di_uniquifier at 24");
_Static_assert(sizeof(door_arg_t) == 48, "door_arg_t is 48 bytes");
_Static_assert(offsetof(door_arg_t, rbuf) == 32, "rbuf at 32");
_Static_assert(sizeof(door_cred_t) == 36, "door_cred_t is 36 bytes");
_Static_assert(S_IFDOOR == 0150000, "the Solaris S_IFDOOR");
_Static_assert(DOOR_CREATE_MASK == 0x3d3, "DOOR_CREATE_MASK");
_Static_assert(DOOR_ATTR_MASK == 0x3ff, "DOOR_ATTR_MASK");

#define NO_DOORD "/nonexistent/doord-bus"

static void setup(void)
{
	setenv("DOORD_SOCKET", NO_DOORD, 1);
}

TestSuite(native, .init = setup);

static bool have_module(void)
{
	return access("/dev/door", F_OK) == 0;
}

static void echo(void *cookie, char *argp, size_t n, door_desc_t *dp, uint_t nd)
{
	door_return(argp, n, NULL, 0);
}

Test(native, S_ISDOOR_recognises_only_doors)
{
	cr_assert(S_ISDOOR(S_IFDOOR | 0777));
	cr_assert(!S_ISDOOR(S_IFREG | 0644));
	cr_assert(!S_ISDOOR(S_IFSOCK | 0777));
	cr_assert(!S_ISDOOR(S_IFDIR | 0755));
}

Test(native, without_the_module_door_create_is_ENOENT_naming_door_ko)
{
	if (have_module())
		cr_skip_test("/dev/door exists here");
	cr_assert_eq(door_create(echo, NULL, 0), -1);
	cr_assert_eq(errno, ENOENT);
	cr_assert_not_null(strstr(door_strerror_detail(), "door.ko"),
			   "reason: %s", door_strerror_detail());
	cr_assert_eq(door_return(NULL, 0, NULL, 0), -1);
	cr_assert_eq(errno, ENOENT);
}

Test(native, bad_attributes_are_EINVAL)
{
	cr_assert_eq(door_create(echo, NULL, 0x8000), -1);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(door_create(echo, NULL, DOOR_UNREF | DOOR_UNREF_MULTI), -1);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(door_create(echo, NULL, DOOR_NO_DEPLETION_CB), -1);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(door_create(echo, NULL, DOOR_PRIVCREATE), -1);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(door_create(echo, NULL, DOOR_LOCAL), -1);
	cr_assert_eq(errno, EINVAL);
}

static int crf(door_info_t *dip, void *(*f)(void *), void *arg, void *c)
{
	return 0;
}

Test(native, door_xcreate_checks_its_arguments_first)
{
	cr_assert_eq(door_xcreate(echo, NULL, 0, NULL, NULL, NULL, 1), -1);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(door_xcreate(echo, NULL, 0, crf, NULL, NULL, 0), -1);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(door_xcreate(echo, NULL, 0, crf, NULL, NULL, -3), -1);
	cr_assert_eq(errno, EINVAL);
}

Test(native, door_create_notify_needs_a_signal)
{
	cr_assert_eq(door_create_notify(echo, NULL, 0, 0), -1);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(door_create_notify(echo, NULL, 0, -1), -1);
	cr_assert_eq(errno, EINVAL);
}

Test(native, calls_on_a_pipe_are_EBADF_and_say_doord_was_not_reached)
{
	door_info_t info;
	int p[2];

	cr_assert_eq(pipe(p), 0);
	cr_assert_eq(door_call(p[0], NULL), -1);
	cr_assert_eq(errno, EBADF);
	cr_assert_not_null(strstr(door_strerror_detail(), NO_DOORD),
			   "reason: %s", door_strerror_detail());
	cr_assert_eq(door_info(p[1], &info), -1);
	cr_assert_eq(errno, EBADF);
	/* The descriptor is untouched. */
	cr_assert_eq(write(p[1], "x", 1), 1);
}

Test(native, calls_on_closed_descriptors_are_EBADF)
{
	cr_assert_eq(door_call(-1, NULL), -1);
	cr_assert_eq(errno, EBADF);
	cr_assert_eq(door_call(4000, NULL), -1);
	cr_assert_eq(errno, EBADF);
	cr_assert_eq(door_revoke(-1), -1);
	cr_assert_eq(errno, EBADF);
}

Test(native, null_result_pointers_are_EFAULT)
{
	size_t v;

	cr_assert_eq(door_info(0, NULL), -1);
	cr_assert_eq(errno, EFAULT);
	cr_assert_eq(door_getparam(0, DOOR_PARAM_DATA_MAX, NULL), -1);
	cr_assert_eq(errno, EFAULT);
	cr_assert_eq(door_ucred(NULL), -1);
	cr_assert_eq(errno, EFAULT);
	cr_assert_eq(door_cred(NULL), -1);
	cr_assert_eq(errno, EFAULT);
	cr_assert_eq(door_getstats(0, NULL), -1);
	cr_assert_eq(errno, EFAULT);
	(void)v;
}

Test(native, door_reply_outside_an_invocation_is_EINVAL)
{
	cr_assert_eq(door_reply("x", 1, NULL, 0), -1);
	cr_assert_eq(errno, EINVAL);
}

static char tmpfile_path[64];
static void make_file(void)
{
	int fd;

	strcpy(tmpfile_path, "/tmp/door-native.XXXXXX");
	fd = mkstemp(tmpfile_path);
	cr_assert_geq(fd, 0);
	close(fd);
}

Test(native, door_open_without_doord_is_EAGAIN_naming_the_socket)
{
	make_file();
	cr_assert_eq(door_open(tmpfile_path, O_RDONLY), -1);
	cr_assert_eq(errno, EAGAIN);
	cr_assert_not_null(strstr(door_strerror_detail(), NO_DOORD),
			   "reason: %s", door_strerror_detail());
	unlink(tmpfile_path);
}

Test(native, door_open_of_a_missing_path_is_ENOENT)
{
	cr_assert_eq(door_open("/nonexistent/door", O_RDONLY), -1);
	cr_assert_eq(errno, ENOENT);
	cr_assert_eq(door_open(NULL, O_RDONLY), -1);
	cr_assert_eq(errno, EFAULT);
}

Test(native, door_open_with_unknown_flags_is_EINVAL)
{
	cr_assert_eq(door_open("/tmp", O_RDONLY | O_CREAT), -1);
	cr_assert_eq(errno, EINVAL);
}

Test(native, fattach_of_a_non_door_is_EINVAL_and_of_a_closed_fd_EBADF)
{
	int p[2];

	make_file();
	cr_assert_eq(pipe(p), 0);
	cr_assert_eq(fattach(p[0], tmpfile_path), -1);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(fattach(-1, tmpfile_path), -1);
	cr_assert_eq(errno, EBADF);
	unlink(tmpfile_path);
}

Test(native, fdetach_without_doord_is_EAGAIN_and_of_a_missing_path_ENOENT)
{
	make_file();
	cr_assert_eq(fdetach(tmpfile_path), -1);
	cr_assert_eq(errno, EAGAIN);
	cr_assert_eq(fdetach("/nonexistent/door"), -1);
	cr_assert_eq(errno, ENOENT);
	cr_assert_not_null(strstr(door_strerror_detail(), "/nonexistent/door"));
	unlink(tmpfile_path);
}

static void *other_thread_detail(void *arg)
{
	*(const char **)arg = door_strerror_detail();
	return NULL;
}

Test(native, the_failure_reason_belongs_to_the_thread)
{
	const char *other = NULL;
	pthread_t t;

	cr_assert_eq(door_open("/nonexistent/door", O_RDONLY), -1);
	cr_assert_neq(door_strerror_detail()[0], '\0');
	cr_assert_eq(pthread_create(&t, NULL, other_thread_detail, &other), 0);
	pthread_join(t, NULL);
	cr_assert_not_null(other);
	cr_assert_str_empty(other);
}

Test(native, the_default_creation_function_and_thread_cap)
{
	door_server_func_t *def = door_server_create(NULL);

	cr_assert_not_null(def);
	cr_assert_null(door_server_create(def));
	cr_assert_eq(door_server_threads_max(0), 64);
	cr_assert_eq(door_server_threads_max(5), 64);
	cr_assert_eq(door_server_threads_max(0), 5);
}

Test(native, ucred_get_describes_this_process)
{
	ucred_t *uc = ucred_get(P_MYID);
	const gid_t *groups;
	gid_t mine[256];
	int n;

	cr_assert_not_null(uc, "%s", strerror(errno));
	cr_assert_eq(ucred_geteuid(uc), geteuid());
	cr_assert_eq(ucred_getruid(uc), getuid());
	cr_assert_eq(ucred_getegid(uc), getegid());
	cr_assert_eq(ucred_getrgid(uc), getgid());
	cr_assert_eq(ucred_getpid(uc), getpid());
	n = getgroups(256, mine);
	cr_assert_eq(ucred_getgroups(uc, &groups), n);
	for (int i = 0; i < n; i++)
		cr_assert_eq(groups[i], mine[i]);
	ucred_free(uc);
}

Test(native, ucred_get_of_another_process)
{
	ucred_t *uc = ucred_get(getppid());

	cr_assert_not_null(uc, "%s", strerror(errno));
	cr_assert_eq(ucred_getpid(uc), getppid());
	cr_assert_geq(ucred_size(), sizeof(uid_t) * 3);
	ucred_free(uc);
}

Test(native, ucred_get_of_no_process_is_ESRCH)
{
	cr_assert_null(ucred_get(0x3ffffff0));
	cr_assert_eq(errno, ESRCH);
	cr_assert_null(ucred_get(0));
	cr_assert_eq(errno, ESRCH);
}
