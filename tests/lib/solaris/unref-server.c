/*
 * Solaris-style door server that exits when it is forgotten: its door is
 * attached at PATH with DOOR_UNREF, so once the name is detached and the
 * last client has closed its descriptor, the unreferenced invocation
 * arrives and the server exits.
 * Usage: unref-server PATH. Prints "ready" once attached.
 * Compiles unchanged on Solaris: cc unref-server.c -ldoor -lpthread
 */
#include <door.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int forgotten;
static int ncalls;

static void serve(void *cookie, char *argp, size_t arg_size,
    door_desc_t *dp, uint_t n_desc)
{
	(void) pthread_mutex_lock(&lock);
	if (argp == DOOR_UNREF_DATA)
		forgotten = 1;
	else
		ncalls++;
	(void) pthread_cond_signal(&cv);
	(void) pthread_mutex_unlock(&lock);
	(void) door_return(NULL, 0, NULL, 0);
}

int main(int argc, char **argv)
{
	int did, fd;

	if (argc != 2) {
		(void) fprintf(stderr, "usage: %s PATH\n", argv[0]);
		return (2);
	}
	if ((did = door_create(serve, NULL, DOOR_UNREF | DOOR_REFUSE_DESC)) < 0) {
		perror("door_create");
		return (1);
	}
	if ((fd = open(argv[1], O_CREAT | O_RDWR, 0644)) < 0) {
		perror(argv[1]);
		return (1);
	}
	(void) close(fd);
	if (fattach(did, argv[1]) != 0) {
		perror("fattach");
		return (1);
	}
	(void) printf("ready\n");
	(void) fflush(stdout);
	(void) pthread_mutex_lock(&lock);
	while (!forgotten)
		(void) pthread_cond_wait(&cv, &lock);
	(void) pthread_mutex_unlock(&lock);
	(void) printf("unreferenced after %d calls, exiting\n", ncalls);
	return (0);
}
