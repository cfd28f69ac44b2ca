/*
 * Naming through doord: fattach, fdetach, door_open, and Solaris clients
 * that open(2) an attached path (needs door.ko and doord).
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

#include "common.h"
#include "doord.h"

static struct test_doord doord;
static char path[128];

static void setup(void)
{
	char why[256];
	int fd;

	cr_assert_eq(doord_start(&doord, why, sizeof(why)), 0, "cannot start doord: %s", why);
	snprintf(path, sizeof(path), "%s/name", doord.dir);
	fd = open(path, O_CREAT | O_RDWR, 0644);
	cr_assert_geq(fd, 0);
	close(fd);
}

static void teardown(void)
{
	unlink(path);
	doord_stop(&doord);
}

TestSuite(naming, .init = setup, .fini = teardown, .timeout = 60);

static void echo(void *cookie, char *argp, size_t n, door_desc_t *dp, uint_t nd)
{
	door_return(argp, n, NULL, 0);
}

static int attached_door(uint_t attributes, door_server_procedure_t *proc)
{
	int d = door_create(proc, NULL, attributes);

	cr_assert_geq(d, 0, "door_create: %s (%s)", strerror(errno), door_strerror_detail());
	cr_assert_eq(fattach(d, path), 0, "fattach: %s (%s)", strerror(errno),
		     door_strerror_detail());
	return d;
}

static void assert_echo(int fd)
{
	char rbuf[8];
	door_arg_t a;

	cr_assert_eq(call_bytes(fd, "name", 4, rbuf, sizeof(rbuf), &a), 0,
		     "door_call: %s (%s)", strerror(errno), door_strerror_detail());
	cr_assert_eq(a.data_size, 4);
	cr_assert_arr_eq(rbuf, "name", 4);
}

Test(naming, door_open_finds_an_attached_door)
{
	door_info_t mine, theirs;
	int d = attached_door(0, echo);
	int fd = door_open(path, O_RDONLY | O_CLOEXEC);

	cr_assert_geq(fd, 0, "door_open: %s (%s)", strerror(errno), door_strerror_detail());
	cr_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	cr_assert_eq(door_info(d, &mine), 0);
	cr_assert_eq(door_info(fd, &theirs), 0);
	cr_assert_eq(mine.di_uniquifier, theirs.di_uniquifier);
	assert_echo(fd);
}

Test(naming, door_open_without_O_CLOEXEC_gives_an_inheritable_descriptor)
{
	int fd;

	attached_door(0, echo);
	fd = door_open(path, O_RDONLY);
	cr_assert_geq(fd, 0, "%s (%s)", strerror(errno), door_strerror_detail());
	cr_assert_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
}

Test(naming, an_opened_attached_file_becomes_the_door_on_first_use)
{
	struct stat st;
	int fd, cfd;

	attached_door(0, echo);
	fd = open(path, O_RDONLY);
	cfd = open(path, O_RDONLY | O_CLOEXEC);
	cr_assert_geq(fd, 0);
	cr_assert_eq(fstat(fd, &st), 0);
	cr_assert(S_ISREG(st.st_mode));
	assert_echo(fd);
	cr_assert_eq(fstat(fd, &st), 0);
	cr_assert(S_ISDOOR(st.st_mode), "descriptor not replaced by the door");
	cr_assert_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0, "close-on-exec changed");
	assert_echo(cfd);
	cr_assert(fcntl(cfd, F_GETFD) & FD_CLOEXEC, "close-on-exec lost");
	/* No lookup on later calls: they work with doord gone. */
	doord_stop(&doord);
	assert_echo(fd);
	assert_echo(cfd);
}

Test(naming, door_info_on_an_opened_attached_file_describes_the_door)
{
	door_info_t mine, theirs;
	int d = attached_door(DOOR_REFUSE_DESC, echo);
	int fd = open(path, O_RDONLY);

	cr_assert_eq(door_info(d, &mine), 0);
	cr_assert_eq(door_info(fd, &theirs), 0, "%s (%s)", strerror(errno), door_strerror_detail());
	cr_assert_eq(theirs.di_uniquifier, mine.di_uniquifier);
	cr_assert_eq(theirs.di_target, getpid());
}

Test(naming, calling_an_unattached_file_is_EBADF_with_a_reason)
{
	int fd = open(path, O_RDONLY);

	cr_assert_eq(door_call(fd, NULL), -1);
	cr_assert_eq(errno, EBADF);
	cr_assert_not_null(strstr(door_strerror_detail(), "not a door"), "%s",
			   door_strerror_detail());
	cr_assert_eq(door_open(path, O_RDONLY), -1);
	cr_assert_eq(errno, ENOENT);
}

Test(naming, a_second_fattach_on_the_same_file_is_EBUSY)
{
	int d = attached_door(0, echo);

	cr_assert_eq(fattach(d, path), -1);
	cr_assert_eq(errno, EBUSY);
	cr_assert_neq(door_strerror_detail()[0], '\0');
}

Test(naming, fdetach_removes_the_name)
{
	int fd, d = attached_door(0, echo);

	fd = door_open(path, O_RDONLY);
	cr_assert_geq(fd, 0);
	cr_assert_eq(fdetach(path), 0, "%s (%s)", strerror(errno), door_strerror_detail());
	cr_assert_eq(door_open(path, O_RDONLY), -1);
	cr_assert_eq(errno, ENOENT);
	/* Descriptors opened through the name stay valid. */
	assert_echo(fd);
	/* And the same door may be attached again. */
	cr_assert_eq(fattach(d, path), 0, "%s (%s)", strerror(errno), door_strerror_detail());
}

Test(naming, fdetach_of_an_unattached_file_is_EINVAL)
{
	cr_assert_eq(fdetach(path), -1);
	cr_assert_eq(errno, EINVAL);
}

Test(naming, fattach_to_a_missing_path_is_ENOENT)
{
	int d = door_create(echo, NULL, 0);

	cr_assert_eq(fattach(d, "/nonexistent/name"), -1);
	cr_assert_eq(errno, ENOENT);
}

static int attach_as_nobody(void *arg)
{
	int d = door_create(echo, NULL, 0);

	if (d < 0)
		return 3;
	return fattach(d, path) == -1 && errno == EPERM ? 0 : 1;
}

Test(naming, fattach_to_a_file_of_another_user_is_EPERM)
{
	chmod(path, 0666);
	cr_assert_eq(in_child(attach_as_nobody, NULL, true), 0);
}

static int detach_as_nobody(void *arg)
{
	return fdetach(path) == -1 && errno == EPERM ? 0 : 1;
}

Test(naming, fdetach_by_another_user_is_EPERM)
{
	attached_door(0, echo);
	cr_assert_eq(in_child(detach_as_nobody, NULL, true), 0);
	cr_assert_geq(door_open(path, O_RDONLY), 0, "the name was detached");
}

static int call_as_nobody(void *arg)
{
	char rbuf[8];
	door_arg_t a;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return 3;
	return call_bytes(fd, "name", 4, rbuf, sizeof(rbuf), &a) == 0 ? 0 : 1;
}

Test(naming, another_user_calls_an_attached_door_through_open)
{
	attached_door(0, echo);
	cr_assert_eq(in_child(call_as_nobody, NULL, true), 0);
}

static sem_t unref_sem;
static void unref_proc(void *cookie, char *argp, size_t n, door_desc_t *dp, uint_t nd)
{
	if (argp == DOOR_UNREF_DATA)
		sem_post(&unref_sem);
	door_return(NULL, 0, NULL, 0);
}

Test(naming, fdetach_of_the_last_reference_fires_DOOR_UNREF)
{
	require_module_feature(DOOR_FEAT_UNREF);
	sem_init(&unref_sem, 0, 0);
	attached_door(DOOR_UNREF, unref_proc);
	cr_assert_eq(sem_wait_s(&unref_sem, 1), -1, "unref while attached");
	cr_assert_eq(fdetach(path), 0);
	cr_assert_eq(sem_wait_s(&unref_sem, 20), 0, "no unref after fdetach");
}

static int open_for_writing_as_nobody(void *arg)
{
	return door_open(path, O_RDWR) == -1 && errno == EACCES ? 0 : 1;
}

Test(naming, door_open_applies_the_files_own_permissions)
{
	attached_door(0, echo);
	cr_assert_eq(in_child(open_for_writing_as_nobody, NULL, true), 0);
}
