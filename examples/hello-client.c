/*
 * A Solaris-style door client: open()s the attached PATH and calls it.
 * Usage: hello-client PATH [NAME [COUNT]]; with COUNT > 1 it also prints
 * the mean round-trip time.
 */
#include <door.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static double now_us(void)
{
	struct timespec ts;

	(void) clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec * 1e6 + ts.tv_nsec / 1e3);
}

int main(int argc, char **argv)
{
	char name[64], rbuf[256];
	door_arg_t arg;
	long count = argc > 3 ? strtol(argv[3], NULL, 10) : 1;
	double t0;
	int fd;

	if (argc < 2 || count < 1) {
		(void) fprintf(stderr, "usage: %s PATH [NAME [COUNT]]\n", argv[0]);
		return (2);
	}
	(void) snprintf(name, sizeof (name), "%s", argc > 2 ? argv[2] : "world");
	if ((fd = open(argv[1], O_RDONLY)) < 0) {
		perror(argv[1]);
		return (1);
	}
	t0 = now_us();
	for (long i = 0; i < count; i++) {
		arg.data_ptr = name;
		arg.data_size = strlen(name);
		arg.desc_ptr = NULL;
		arg.desc_num = 0;
		arg.rbuf = rbuf;
		arg.rsize = sizeof (rbuf);
		if (door_call(fd, &arg) != 0) {
			perror("door_call");
			return (1);
		}
		if (arg.rbuf != rbuf && i + 1 < count)
			(void) munmap(arg.rbuf, arg.rsize);
	}
	(void) printf("%.*s\n", (int)arg.data_size, arg.data_ptr);
	if (count > 1)
		(void) printf("%ld calls, %.1f us per round trip\n", count,
		    (now_us() - t0) / (double)count);
	return (0);
}
