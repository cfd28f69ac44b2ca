/*
 * Solaris-style door client: open()s the attached PATH and calls the
 * door N times through that descriptor, checks door_info, prints the
 * server's last count.
 * Usage: open-client PATH [N]
 * Compiles unchanged on Solaris: cc open-client.c -ldoor -lpthread
 */
#include <door.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	door_info_t info;
	door_arg_t arg;
	long n = 0;
	int fd, i, calls = argc > 2 ? atoi(argv[2]) : 1;

	if (argc < 2) {
		(void) fprintf(stderr, "usage: %s PATH [N]\n", argv[0]);
		return (2);
	}
	if ((fd = open(argv[1], O_RDONLY)) < 0) {
		perror(argv[1]);
		return (1);
	}
	for (i = 0; i < calls; i++) {
		arg.data_ptr = NULL;
		arg.data_size = 0;
		arg.desc_ptr = NULL;
		arg.desc_num = 0;
		arg.rbuf = (char *)&n;
		arg.rsize = sizeof (n);
		if (door_call(fd, &arg) != 0) {
			perror("door_call");
			return (1);
		}
	}
	if (door_info(fd, &info) != 0) {
		perror("door_info");
		return (1);
	}
	(void) printf("count %ld from pid %ld\n", n, (long)info.di_target);
	(void) close(fd);
	return (0);
}
