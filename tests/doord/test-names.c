/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The name table on plain files: it never looks at doors, so /dev/null
 * descriptors stand in for door references here and ownership of
 * descriptors, the indexes and scale are checked directly.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fdstore.h"
#include "names.h"
#include "util.h"

static struct name_table *t;

static void setup(void)
{
	cr_assert_eq(name_table_new(0, &t), 0);
}

static void teardown(void)
{
	t = name_table_free(t);
}

static struct name_entry make(dev_t dev, ino_t ino, uint64_t id)
{
	struct name_entry e = {
		.dev = dev, .ino = ino, .door_fd = -1, .file_fd = -1, .door_id = id,
		.watch_wd = -1,
	};
	char buf[64];

	snprintf(buf, sizeof(buf), "/run/n/%llu", (unsigned long long)ino);
	e.path = strdup(buf);
	return e;
}

static bool fd_is_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

TestSuite(names, .init = setup, .fini = teardown);

Test(names, add_then_find_by_device_and_inode)
{
	struct name_entry init = make(8, 100, 7), *e;

	cr_assert_eq(name_table_add(t, &init, &e), 0);
	cr_expect_eq(name_table_find(t, 8, 100), e);
	cr_expect_null(name_table_find(t, 8, 101));
	cr_expect_null(name_table_find(t, 9, 100));
	cr_expect_str_eq(e->path, "/run/n/100");
	cr_expect_eq(name_table_size(t), 1);
}

Test(names, second_door_on_the_same_inode_is_ebusy)
{
	struct name_entry a = make(8, 100, 7), b = make(8, 100, 9);

	cr_assert_eq(name_table_add(t, &a, NULL), 0);
	cr_expect_eq(name_table_add(t, &b, NULL), -EBUSY);
	cr_expect_eq(name_table_size(t), 1);
	free(b.path);	/* not taken on failure */
}

Test(names, one_door_may_have_several_names)
{
	struct name_entry a = make(8, 1, 7), b = make(8, 2, 7), c = make(8, 3, 8), *ea;

	cr_assert_eq(name_table_add(t, &a, &ea), 0);
	cr_assert_eq(name_table_add(t, &b, NULL), 0);
	cr_assert_eq(name_table_add(t, &c, NULL), 0);
	cr_expect_eq(name_table_door_names(t, 7), 2);
	cr_expect_eq(name_table_door_names(t, 8), 1);
	name_table_remove(t, ea);
	cr_expect_eq(name_table_door_names(t, 7), 1);
	cr_expect_eq(name_table_door_names(t, 99), 0);
}

Test(names, remove_closes_the_entry_descriptors)
{
	struct name_entry init = make(8, 5, 1), *e;
	int door = open("/dev/null", O_RDONLY | O_CLOEXEC), file = open("/", O_PATH | O_CLOEXEC);

	init.door_fd = door;
	init.file_fd = file;
	cr_assert_eq(name_table_add(t, &init, &e), 0);
	cr_expect(fd_is_open(door) && fd_is_open(file));
	name_table_remove(t, e);
	cr_expect_not(fd_is_open(door));
	cr_expect_not(fd_is_open(file));
	cr_expect_null(name_table_find(t, 8, 5));
}

Test(names, free_closes_every_descriptor)
{
	int fds[10], i;

	for (i = 0; i < 10; i++) {
		struct name_entry init = make(3, (ino_t)i, (uint64_t)i);

		fds[i] = init.door_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		cr_assert_eq(name_table_add(t, &init, NULL), 0);
	}
	t = name_table_free(t);
	for (i = 0; i < 10; i++)
		cr_expect_not(fd_is_open(fds[i]));
	cr_assert_eq(name_table_new(0, &t), 0);
}

Test(names, inotify_watch_index_finds_its_entry)
{
	struct name_entry a = make(8, 1, 1), b = make(8, 2, 2), *ea, *eb;

	cr_assert_eq(name_table_add(t, &a, &ea), 0);
	cr_assert_eq(name_table_add(t, &b, &eb), 0);
	cr_assert_eq(name_table_set_wd(t, ea, 4), 0);
	cr_expect_eq(name_table_set_wd(t, eb, 4), -EBUSY);
	cr_assert_eq(name_table_set_wd(t, eb, 5), 0);
	cr_expect_eq(name_table_find_wd(t, 4), ea);
	cr_expect_eq(name_table_find_wd(t, 5), eb);
	cr_assert_eq(name_table_set_wd(t, ea, -1), 0);
	cr_expect_null(name_table_find_wd(t, 4));
	name_table_remove(t, eb);
	cr_expect_null(name_table_find_wd(t, 5));
}

Test(names, full_table_is_enospc)
{
	struct name_table *small;
	struct name_entry a = make(1, 1, 1), b = make(1, 2, 2);

	cr_assert_eq(name_table_new(1, &small), 0);
	cr_assert_eq(name_table_add(small, &a, NULL), 0);
	cr_expect_eq(name_table_add(small, &b, NULL), -ENOSPC);
	free(b.path);
	name_table_free(small);
}

Test(names, iteration_visits_every_entry_once_while_removing)
{
	struct name_entry *e, *next;
	size_t seen = 0, i;

	for (i = 0; i < 1000; i++) {
		struct name_entry init = make(2, (ino_t)i, i);

		cr_assert_eq(name_table_add(t, &init, NULL), 0);
	}
	for (e = name_table_first(t); e; e = next) {
		next = name_table_next(t, e);
		seen++;
		if (e->ino % 2)
			name_table_remove(t, e);
	}
	cr_expect_eq(seen, 1000);
	cr_expect_eq(name_table_size(t), 500);
}

/*
 * 100,000 names: a lookup walks one hash bucket, and the longest bucket
 * stays short however many names there are (a timing would measure the
 * machine; the bucket length is what makes lookups O(1)).
 */
Test(names, hundred_thousand_names_keep_lookups_to_one_short_bucket)
{
	const size_t big = 100000;
	size_t i, found = 0, chain_small;

	for (i = 0; i < big; i++) {
		struct name_entry init = make(0xfd01, (ino_t)(i * 7919 + 11), i);

		cr_assert_eq(name_table_add(t, &init, NULL), 0);
		if (i + 1 == 1000)
			chain_small = name_table_longest_chain(t);
	}
	cr_assert_eq(name_table_size(t), big);
	for (i = 0; i < big; i++)
		found += name_table_find(t, 0xfd01, (ino_t)(i * 7919 + 11)) != NULL;
	cr_assert_eq(found, big);
	cr_assert_null(name_table_find(t, 0xfd01, (ino_t)(big * 7919 + 11)));
	cr_log_info("longest bucket: %zu with 1,000 names, %zu with 100,000; %zu bytes/name",
		    chain_small, name_table_longest_chain(t), name_table_memory(t) / big);
	cr_expect_leq(name_table_longest_chain(t), 12);
	cr_expect_lt(name_table_memory(t) / big, 256);
}

Test(names, fdstore_names_round_trip)
{
	struct name_entry e = make(0x803, 0x1234abcd, 5);
	struct fdstore_key k;
	char buf[FDSTORE_NAME_MAX];

	e.owner_uid = 1000;
	e.attacher_uid = 0;
	e.mode = 0640;
	e.attach_usec = 1763790000123456ULL;
	fdstore_door_name(&e, buf, sizeof(buf));
	cr_expect_str_eq(buf, "door-803-1234abcd-1000-0-640-1763790000123456");
	cr_assert_eq(fdstore_parse_name(buf, &k), 0);
	cr_expect(k.is_door);
	cr_expect_eq(k.dev, 0x803);
	cr_expect_eq(k.ino, 0x1234abcd);
	cr_expect_eq(k.owner_uid, 1000);
	cr_expect_eq(k.mode, 0640);
	cr_expect_eq(k.attach_usec, 1763790000123456ULL);
	fdstore_file_name(e.dev, e.ino, buf, sizeof(buf));
	cr_expect_str_eq(buf, "file-803-1234abcd");
	cr_assert_eq(fdstore_parse_name(buf, &k), 0);
	cr_expect_not(k.is_door);
	free(e.path);
}

Test(names, fdstore_foreign_names_are_rejected)
{
	struct fdstore_key k;

	cr_expect_eq(fdstore_parse_name("doord.socket", &k), -EINVAL);
	cr_expect_eq(fdstore_parse_name("door-1-2-3", &k), -EINVAL);
	cr_expect_eq(fdstore_parse_name("file-1-2-extra", &k), -EINVAL);
	cr_expect_eq(fdstore_parse_name("", &k), -EINVAL);
}

Test(names, fd_get_path_reads_paths_and_refuses_pathless_files)
{
	char *path = NULL;
	int fds[2], fd = open("/etc/hostname", O_PATH | O_CLOEXEC);

	cr_assert_geq(fd, 0);
	cr_assert_eq(fd_get_path(fd, &path), 0);
	cr_expect_str_eq(path, "/etc/hostname");
	free(path);
	close(fd);
	cr_assert_eq(pipe(fds), 0);
	cr_expect_eq(fd_get_path(fds[0], &path), -EINVAL);
	cr_expect_eq(fd_get_path(-1, &path), -EBADF);
}
