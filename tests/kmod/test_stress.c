/*
 * door.ko: a long run. Server and client processes are killed at random
 * points while calls (with data and descriptors) are in flight; at the
 * end the module's live-object counts are back where they started.
 * DOOR_STRESS_CALLS sets the number of calls (default 100000).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <criterion/criterion.h>
#include <time.h>

#include "kdoor.h"

#define CLIENTS 4

static atomic_long *calls_done;	/* shared */

static void echo_desc(struct kd_server *s, const struct door_invocation *inv,
		      struct door_return *ret, void *scratch)
{
	struct door_desc *d = (void *)(uintptr_t)inv->desc_ptr;
	static __thread struct door_desc out;

	kd_echo(s, inv, ret, scratch);
	if (inv->desc_num) {	/* hand the first back, release the others */
		out = (struct door_desc){ .attributes = DOOR_DESCRIPTOR | DOOR_RELEASE,
					  .fd = d[0].fd };
		ret->desc_ptr = KD_PTR(&out);
		ret->desc_num = 1;
		for (uint32_t i = 1; i < inv->desc_num; i++)
			close(d[i].fd);
	}
}

static void client(int door, unsigned seed)
{
	char buf[40000], rbuf[40000];
	struct door_desc d[2];

	srandom(seed);
	for (;;) {
		size_t n = random() % 3 == 0 ? 20000 + random() % 20000 : random() % 200;
		struct door_call dc = { .data_ptr = KD_PTR(buf), .data_size = n,
					.rbuf = KD_PTR(rbuf), .rsize = sizeof(rbuf) };

		if (random() % 4 == 0) {
			d[0] = (struct door_desc){ .attributes = DOOR_DESCRIPTOR, .fd = 0 };
			d[1] = (struct door_desc){ .attributes = DOOR_DESCRIPTOR, .fd = door };
			dc.desc_ptr = KD_PTR(d);
			dc.desc_num = 2;
		}
		long rc = kd_ioctl(door, DOOR_IOC_CALL, &dc);

		if (rc == -EBADF)
			_exit(0);
		if (rc == 0) {
			for (uint32_t i = 0; i < dc.desc_num; i++)
				close(((struct door_desc *)(uintptr_t)dc.desc_ptr)[i].fd);
			if (dc.rbuf != KD_PTR(rbuf))
				munmap((void *)(uintptr_t)dc.rbuf, dc.rsize);
			atomic_fetch_add(calls_done, 1);
		}
	}
}

Test(stress, random_kills_leave_no_live_objects, .timeout = 1800)
{
	const char *names[] = { "contexts", "doors", "files", "invocations", "threads" };
	long base[5], target = 100000;
	pid_t server = -1, clients[CLIENTS];
	int rounds = 0;

	if (getenv("DOOR_STRESS_CALLS"))
		target = atol(getenv("DOOR_STRESS_CALLS"));
	calls_done = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	for (int i = 0; i < 5; i++)
		base[i] = kd_live(names[i]);
	srandom(42);
	while (atomic_load(calls_done) < target) {
		int door = kd_fork_server(echo_desc, 3, 0, 0, &server);

		cr_assert_geq(door, 0);
		for (int i = 0; i < CLIENTS; i++) {
			clients[i] = fork();
			if (clients[i] == 0)
				client(door, random());
		}
		/* let it run, killing clients at random points */
		for (int k = 0; k < 10; k++) {
			usleep(20000 + random() % 80000);
			int i = random() % CLIENTS;

			kd_kill_wait(clients[i]);
			clients[i] = fork();
			if (clients[i] == 0)
				client(door, random());
		}
		if (random() % 2)
			kd_kill_wait(server);	/* server dies with calls in flight */
		for (int i = 0; i < CLIENTS; i++)
			kd_kill_wait(clients[i]);
		kd_kill_wait(server);
		close(door);
		rounds++;
	}
	fprintf(stderr, "stress: %ld calls in %d rounds\n", atomic_load(calls_done), rounds);
	for (int i = 0; i < 5; i++)
		cr_assert_eq(kd_live_settle(names[i], base[i]), base[i],
			     "live %s: %ld, was %ld", names[i], kd_live(names[i]), base[i]);
}
