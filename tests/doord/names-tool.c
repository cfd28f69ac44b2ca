/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A door server and client for the systemd test (test-vm-systemd.sh),
 * using the Solaris API through libdoorclient and the installed doord:
 *
 *   names-tool serve DIR N   create one door, attach it at DIR/0..N-1,
 *                            print "ready", then serve until killed
 *   names-tool check DIR N   door_open every name and call one; exit 0
 *                            when all N work
 */
#include <door.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void serve(void *cookie, char *argp, size_t n, door_desc_t *dp, uint_t nd)
{
	static char answer[] = "pong";

	door_return(answer, sizeof(answer), NULL, 0);
}

static int do_serve(const char *dir, long n)
{
	char path[4096];
	long i;
	int d;

	d = door_create(serve, NULL, 0);
	if (d < 0) {
		fprintf(stderr, "door_create: %s (%s)\n", strerror(errno), door_strerror_detail());
		return 1;
	}
	for (i = 0; i < n; i++) {
		int fd;

		snprintf(path, sizeof(path), "%s/%ld", dir, i);
		fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
		if (fd < 0 || close(fd) < 0 || fattach(d, path) < 0) {
			fprintf(stderr, "attach %s: %s (%s)\n", path, strerror(errno), door_strerror_detail());
			return 1;
		}
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}

static int do_check(const char *dir, long n)
{
	char path[4096], buf[64];
	long i, bad = 0;

	for (i = 0; i < n; i++) {
		int d;

		snprintf(path, sizeof(path), "%s/%ld", dir, i);
		d = door_open(path, O_RDONLY);
		if (d < 0) {
			if (bad++ < 5)
				fprintf(stderr, "door_open %s: %s (%s)\n", path, strerror(errno),
					door_strerror_detail());
			continue;
		}
		if (i == 0 || i == n - 1) {
			door_arg_t a = { .rbuf = buf, .rsize = sizeof(buf) };

			if (door_call(d, &a) < 0 || a.data_size != 5 || strcmp(a.data_ptr, "pong")) {
				fprintf(stderr, "door_call %s failed: %s\n", path, strerror(errno));
				bad++;
			}
		}
		close(d);
	}
	printf("%ld of %ld names work\n", n - bad, n);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: names-tool serve|check DIR N\n");
		return 2;
	}
	if (!strcmp(argv[1], "serve"))
		return do_serve(argv[2], atol(argv[3]));
	if (!strcmp(argv[1], "check"))
		return do_check(argv[2], atol(argv[3]));
	fprintf(stderr, "usage: names-tool serve|check DIR N\n");
	return 2;
}
