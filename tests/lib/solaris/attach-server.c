/*
 * Solaris-style door server: attaches a counter door at PATH (taking the
 * name over from a previous instance: EBUSY, fdetach, fattach again) and
 * serves until killed. Prints "ready" once attached.
 * Compiles unchanged on Solaris: cc attach-server.c -ldoor -lpthread
 */
#include <door.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void count(void *cookie, char *argp, size_t arg_size,
    door_desc_t *dp, uint_t n_desc)
{
	static long calls;
	long n = __sync_add_and_fetch(&calls, 1);

	(void) door_return((char *)&n, sizeof (n), NULL, 0);
}

int main(int argc, char **argv)
{
	int did, fd;

	if (argc != 2) {
		(void) fprintf(stderr, "usage: %s PATH\n", argv[0]);
		return (2);
	}
	if ((did = door_create(count, NULL, DOOR_REFUSE_DESC)) < 0) {
		perror("door_create");
		return (1);
	}
	if ((fd = open(argv[1], O_CREAT | O_RDWR, 0644)) < 0) {
		perror(argv[1]);
		return (1);
	}
	(void) close(fd);
	if (fattach(did, argv[1]) != 0) {
		if (errno != EBUSY || fdetach(argv[1]) != 0 ||
		    fattach(did, argv[1]) != 0) {
			perror("fattach");
			return (1);
		}
	}
	(void) printf("ready\n");
	(void) fflush(stdout);
	for (;;)
		(void) pause();
}
