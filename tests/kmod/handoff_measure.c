/*
 * Measures the door handoff: for each handoff strategy (the door module's
 * "handoff" parameter), the share of null calls whose server ran on the
 * caller's CPU, the share where the caller came back on its own CPU, and
 * the mean round trip; then a pipe ping-pong between two processes in
 * the same run for comparison. Under qemu -icount shift=0 the clock
 * counts instructions, so the round trips are instruction counts.
 *
 * usage: handoff_measure [CALLS] [MODE...]   (run as root, door.ko loaded)
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sched.h>
#include <time.h>

#include "kdoor.h"

static atomic_int *server_cpu;	/* shared with the server process */

static void record_cpu(struct kd_server *s, const struct door_invocation *inv,
		       struct door_return *ret, void *scratch)
{
	(void)s; (void)inv; (void)ret; (void)scratch;
	atomic_store(server_cpu, sched_getcpu());
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int set_mode(unsigned int mode)
{
	FILE *f = fopen("/sys/module/door/parameters/handoff", "w");

	if (!f)
		return -1;
	fprintf(f, "%u\n", mode);
	return fclose(f);
}

static void measure_door(int door, long calls, unsigned int mode)
{
	long same = 0, back = 0;
	double t0, t1;

	if (set_mode(mode)) {
		perror("handoff parameter");
		exit(1);
	}
	for (int i = 0; i < 200; i++)		/* warm up */
		kd_call_data(door, NULL, 0, NULL, 0, NULL);
	t0 = now_ns();
	for (long i = 0; i < calls; i++)
		kd_call_data(door, NULL, 0, NULL, 0, NULL);
	t1 = now_ns();
	for (long i = 0; i < calls; i++) {
		int before = sched_getcpu();

		atomic_store(server_cpu, -1);
		if (kd_call_data(door, NULL, 0, NULL, 0, NULL))
			continue;
		same += atomic_load(server_cpu) == before;
		back += sched_getcpu() == before;
	}
	printf("door  handoff=%-3u same-cpu %6.2f%%  back-on-cpu %6.2f%%  round trip %10.0f ns\n",
	       mode, 100.0 * same / calls, 100.0 * back / calls, (t1 - t0) / calls);
}

static void measure_pipe(long calls)
{
	int ab[2], ba[2];
	char c = 0;
	pid_t pid;
	double t0, t1;

	if (pipe(ab) || pipe(ba))
		exit(1);
	pid = fork();
	if (pid == 0) {
		close(ab[1]);
		close(ba[0]);
		while (read(ab[0], &c, 1) == 1)
			if (write(ba[1], &c, 1) != 1)
				break;
		_exit(0);
	}
	for (int i = 0; i < 1000; i++)
		if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1)
			exit(1);
	t0 = now_ns();
	for (long i = 0; i < calls; i++)
		if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1)
			exit(1);
	t1 = now_ns();
	printf("pipe  ping-pong                                           round trip %10.0f ns\n",
	       (t1 - t0) / calls);
	close(ab[1]);
	close(ab[0]);
	close(ba[0]);
	close(ba[1]);
	waitpid(pid, NULL, 0);
}

int main(int argc, char **argv)
{
	long calls = argc > 1 ? atol(argv[1]) : 10000;
	unsigned int modes[32];
	int nmodes = 0;
	pid_t pid;
	int door;

	setvbuf(stdout, NULL, _IONBF, 0);
	for (int i = 2; i < argc && nmodes < 32; i++)
		modes[nmodes++] = (unsigned int)strtoul(argv[i], NULL, 0);
	if (!nmodes) {
		unsigned int all[] = { 0, 1, 2, 3, 5, 7, 15, 31 };

		memcpy(modes, all, sizeof(all));
		nmodes = 8;
	}
	server_cpu = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (server_cpu == MAP_FAILED)
		return 1;
	door = kd_fork_server(record_cpu, 1, 0, 0, &pid);
	if (door < 0) {
		perror("server");
		return 1;
	}
	for (int m = 0; m < nmodes; m++)
		measure_door(door, calls, modes[m]);
	measure_pipe(calls);
	kd_kill_wait(pid);
	set_mode(31);
	return 0;
}
