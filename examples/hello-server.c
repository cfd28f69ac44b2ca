/*
 * A Solaris-style door server: publishes a greeting procedure at PATH.
 * Compiles unchanged on Solaris and illumos; on Linux, cc -ldoor -lpthread.
 */
#include <door.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void greet(void *cookie, char *argp, size_t arg_size,
    door_desc_t *dp, uint_t n_desc)
{
	char reply[256];
	ucred_t *uc = NULL;
	int len;

	if (argp == DOOR_UNREF_DATA)
		return;
	if (door_ucred(&uc) != 0) {
		(void) door_return(NULL, 0, NULL, 0);
		return;
	}
	len = snprintf(reply, sizeof (reply), "hello, %.*s (uid %d, pid %d)",
	    (int)(arg_size > 64 ? 64 : arg_size), arg_size ? argp : "",
	    (int)ucred_geteuid(uc), (int)ucred_getpid(uc));
	ucred_free(uc);
	/* The reply lives on this stack: door_return copies it first. */
	(void) door_return(reply, (size_t)len + 1, NULL, 0);
}

/* Take the name over from a previous instance that left its door attached. */
static int attach(int did, const char *path)
{
	if (fattach(did, path) == 0)
		return (0);
	if (errno != EBUSY || fdetach(path) != 0)
		return (-1);
	return (fattach(did, path));
}

int main(int argc, char **argv)
{
	int did, fd;

	if (argc != 2) {
		(void) fprintf(stderr, "usage: %s PATH\n", argv[0]);
		return (2);
	}
	if ((did = door_create(greet, NULL, DOOR_REFUSE_DESC | DOOR_NO_CANCEL)) < 0) {
		perror("door_create");
		return (1);
	}
	if ((fd = open(argv[1], O_CREAT | O_RDWR, 0644)) < 0) {
		perror(argv[1]);
		return (1);
	}
	(void) close(fd);
	if (attach(did, argv[1]) != 0) {
		perror("fattach");
		return (1);
	}
	(void) printf("serving %s\n", argv[1]);
	(void) fflush(stdout);
	for (;;)
		(void) pause();
}
