/*
 * Solaris-style door program: a server that hands out descriptors.
 * The server returns an open file to each caller (DOOR_RELEASE closes
 * the server's copy); a forked client reads from what it gets.
 * Compiles unchanged on Solaris: cc desc-server.c -ldoor -lpthread
 */
#include <door.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static void give_file(void *cookie, char *argp, size_t arg_size,
    door_desc_t *dp, uint_t n_desc)
{
	door_desc_t d;
	int fd;

	if ((fd = open((char *)cookie, O_RDONLY)) < 0) {
		(void) door_return(NULL, 0, NULL, 0);
		return;
	}
	d.d_attributes = DOOR_DESCRIPTOR | DOOR_RELEASE;
	d.d_data.d_desc.d_descriptor = fd;
	(void) door_return(NULL, 0, &d, 1);
}

static int client(int did)
{
	char buf[64], rbuf[256];
	door_arg_t arg;
	ssize_t n;

	arg.data_ptr = NULL;
	arg.data_size = 0;
	arg.desc_ptr = NULL;
	arg.desc_num = 0;
	arg.rbuf = rbuf;
	arg.rsize = sizeof (rbuf);
	if (door_call(did, &arg) != 0) {
		perror("door_call");
		return (1);
	}
	if (arg.desc_num != 1 ||
	    !(arg.desc_ptr->d_attributes & DOOR_DESCRIPTOR)) {
		(void) fprintf(stderr, "no descriptor in the reply\n");
		return (1);
	}
	n = read(arg.desc_ptr->d_data.d_desc.d_descriptor, buf,
	    sizeof (buf) - 1);
	if (n < 0) {
		perror("read");
		return (1);
	}
	buf[n] = '\0';
	(void) printf("client read: %s\n", buf);
	(void) fflush(stdout);
	return (0);
}

int main(void)
{
	char path[] = "/tmp/desc-server.XXXXXX";
	int did, fd, status;
	pid_t pid;

	if ((fd = mkstemp(path)) < 0 || write(fd, "from the server", 15) != 15) {
		perror("mkstemp");
		return (1);
	}
	(void) close(fd);
	if ((did = door_create(give_file, path, 0)) < 0) {
		perror("door_create");
		return (1);
	}
	if ((pid = fork()) == 0)
		_exit(client(did));
	(void) waitpid(pid, &status, 0);
	(void) unlink(path);
	return (WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}
