/*
 * door.ko: hostile input. For a bounded time every ioctl gets random,
 * truncated and oversized structures, bad pointers and reserved bits, on
 * contexts and doors; every call must fail cleanly or do what it says,
 * the module must stay usable and no object may leak. (The VM harness
 * fails the run if the guest kernel log reports anything.)
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <criterion/criterion.h>
#include <sys/time.h>

#include "kdoor.h"

static const unsigned long cmds[] = {
	DOOR_IOC_HANDSHAKE, DOOR_IOC_CREATE, DOOR_IOC_RETURN, DOOR_IOC_REPLY,
	DOOR_IOC_UCRED, DOOR_IOC_BIND, DOOR_IOC_UNBIND, DOOR_IOC_QUERY,
	DOOR_IOC_CALL, DOOR_IOC_INFO, DOOR_IOC_REVOKE, DOOR_IOC_GETPARAM,
	DOOR_IOC_SETPARAM, DOOR_IOC_NEWREF, DOOR_IOC_STATS,
};

static uint64_t rnd(void)
{
	return ((uint64_t)random() << 33) ^ ((uint64_t)random() << 11) ^ (uint64_t)random();
}

/* A value that is often interesting: small, huge, a pointer, an fd. */
static uint64_t pick(void *good, size_t goodlen)
{
	switch (random() % 10) {
	case 0: return 0;
	case 1: return rnd();
	case 2: return random() % 64;		/* fds, small sizes */
	case 3: return KD_PTR(good);
	case 4: return goodlen;
	case 5: return (uint64_t)-1;
	case 6: return 16385;
	case 7: return 0xffff800000000000ull;	/* kernel address */
	case 8: return 1ull << (random() % 64);
	default: return random() & 0xffff;
	}
}

static void fuzz_once(int ctx, int door, char *arena, size_t arenalen)
{
	unsigned long cmd = cmds[random() % (sizeof(cmds) / sizeof(cmds[0]))];
	uint64_t *w = (uint64_t *)arena;
	int fd = random() % 3 == 0 ? ctx : door;
	void *arg;

	for (size_t i = 0; i < 64; i++)
		w[i] = random() % 3 ? 0 : pick(arena + 1024, arenalen - 1024);
	if (random() % 4 == 0)
		((uint32_t *)arena)[0] = random() % 2 ? 64 : (uint32_t)pick(NULL, 0);
	/* size bits of the command: sometimes wrong */
	if (random() % 5 == 0)
		cmd = (cmd & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT)) |
		      ((random() & _IOC_SIZEMASK) << _IOC_SIZESHIFT);
	if (random() % 10 == 0)
		cmd = _IOC(random() % 4, DOOR_IOC_MAGIC, random() % 32, random() % 512);
	switch (random() % 6) {
	case 0: arg = NULL; break;
	case 1: arg = (void *)(uintptr_t)pick(arena, arenalen); break;
	case 2: arg = arena + arenalen - (random() % 64); break;	/* truncated at a guard page */
	default: arg = arena; break;
	}
	ioctl(fd, cmd, arg);
}

Test(fuzz, every_ioctl_survives_hostile_input, .timeout = 300)
{
	long doors = kd_live("doors"), files = kd_live("files"), invs = kd_live("invocations");
	long seconds = getenv("DOOR_FUZZ_SECONDS") ? atol(getenv("DOOR_FUZZ_SECONDS")) : 20;
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		/* a child of its own: DOOR_RELEASE of random fds may close anything */
		struct itimerval it = { { 0, 20000 }, { 0, 20000 } };
		struct sigaction sa = { .sa_handler = kd_noop_signal };
		size_t arenalen = 2 * 4096;
		char *arena = mmap(NULL, arenalen + 4096, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		int ctx, door;
		time_t end = time(NULL) + seconds;
		long n = 0;

		mprotect(arena + arenalen, 4096, PROT_NONE);
		sigaction(SIGALRM, &sa, NULL);
		setitimer(ITIMER_REAL, &it, NULL);	/* parks and waits end in EINTR */
		srandom(getpid());
		while (time(NULL) < end) {
			ctx = kd_open();
			door = kd_create(ctx, 1, 2, 0);
			for (int i = 0; i < 200; i++, n++)
				fuzz_once(ctx, door, arena, arenalen);
			for (int fd = 3; fd < 256; fd++)
				close(fd);
		}
		fprintf(stderr, "fuzz: %ld ioctls\n", n);
		/* still usable afterwards */
		ctx = kd_open();
		struct door_handshake hs = { .size = sizeof(hs) };

		_exit(kd_ioctl(ctx, DOOR_IOC_HANDSHAKE, &hs) == 0 ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	cr_assert(WIFEXITED(st), "the fuzzing child died: status %#x", st);
	cr_assert_eq(WEXITSTATUS(st), 0);
	cr_assert_eq(kd_live_settle("doors", doors), doors);
	cr_assert_eq(kd_live_settle("files", files), files);
	cr_assert_eq(kd_live_settle("invocations", invs), invs);
}
