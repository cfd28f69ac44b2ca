/*
 * door.ko: private server pools (DOOR_PRIVATE doors, DOOR_IOC_BIND,
 * DOOR_IOC_UNBIND, DOOR_IOC_QUERY).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <criterion/criterion.h>
#include <sys/syscall.h>

#include "kdoor.h"
#include "../module-features.h"

static pid_t my_tid(void)
{
	return (pid_t)syscall(SYS_gettid);
}

static long bind_door(int ctx, int door)
{
	int32_t fd = door;

	return kd_ioctl(ctx, DOOR_IOC_BIND, &fd);
}

static long query(int ctx, struct door_info *di)
{
	memset(di, 0, sizeof(*di));
	return kd_ioctl(ctx, DOOR_IOC_QUERY, di);
}

static atomic_uint last_nservers;
static atomic_int unrefs, unref_tid;

/* Results: the id of the thread that served the call. */
static void report_tid(struct kd_server *s, const struct door_invocation *inv,
		       struct door_return *ret, void *scratch)
{
	pid_t t = my_tid();

	(void)s;
	if (inv->flags & DOOR_INV_F_UNREF) {
		atomic_store(&unref_tid, t);
		atomic_fetch_add(&unrefs, 1);
		return;
	}
	atomic_store(&last_nservers, inv->nservers);
	memcpy(scratch, &t, sizeof(t));
	ret->data_ptr = KD_PTR(scratch);
	ret->data_size = sizeof(t);
}

/* The thread that served a call to @door, or -errno. */
static long call_tid(int door)
{
	pid_t t = 0;
	long rc = kd_call_data(door, NULL, 0, &t, sizeof(t), NULL);

	return rc < 0 ? rc : t;
}

/*
 * A pool of threads bound to one private door: each binds, records its
 * thread id and then serves like any kd_server thread.
 */
struct bound_pool {
	struct kd_server srv;
	int door;
	int first;		/* >= 0: bind to this door before @door */
	atomic_long bind_rc;
	atomic_int tid;		/* of the last thread that bound */
};

static void *bound_thread(void *arg)
{
	struct kd_server *s = arg;
	struct bound_pool *b = s->priv;
	long rc = b->first >= 0 ? bind_door(s->ctx, b->first) : 0;

	if (!rc)
		rc = bind_door(s->ctx, b->door);

	atomic_store(&b->tid, my_tid());
	if (rc) {
		atomic_store(&b->bind_rc, rc);
		atomic_fetch_add(&s->parked_once, 1);
		return NULL;
	}
	return kd_server_thread(s);
}

static void bound_pool_start2(struct bound_pool *b, int ctx, int first, int door,
			      int nthreads)
{
	struct kd_server *s = &b->srv;

	memset(b, 0, sizeof(*b));
	kd_install_sigusr1();
	b->first = first;
	b->door = door;
	s->ctx = ctx;
	s->handler = report_tid;
	s->priv = b;
	s->nthreads = nthreads;
	for (int i = 0; i < nthreads; i++)
		pthread_create(&s->threads[i], NULL, bound_thread, s);
	while (atomic_load(&s->parked_once) < nthreads)
		usleep(1000);
	usleep(20000);	/* let the last one reach the kernel */
	cr_assert_eq(atomic_load(&b->bind_rc), 0, "DOOR_IOC_BIND failed: %ld",
		     atomic_load(&b->bind_rc));
}

static void bound_pool_start(struct bound_pool *b, int ctx, int door, int nthreads)
{
	bound_pool_start2(b, ctx, -1, door, nthreads);
}

/*
 * Waits (bounded) until @want threads are parked in @door's pool, where
 * the module can tell (DOOR_IOC_STATS); kd_server_start's grace period
 * is all there is otherwise.
 */
static void settle_parked(int door, uint64_t want)
{
	struct door_stats st;

	if (!module_has(DOOR_FEAT_STATS))
		return;
	for (int i = 0; i < 300; i++) {
		memset(&st, 0, sizeof(st));
		st.size = sizeof(st);
		if (kd_ioctl(door, DOOR_IOC_STATS, &st) == 0 && st.threads_parked == want)
			return;
		usleep(10000);
	}
	cr_assert_fail("%llu threads parked, not %llu",
		       (unsigned long long)st.threads_parked, (unsigned long long)want);
}

static struct kd_server shared;
static int ctx, sdoor, pdoor;

static void setup(void)
{
	atomic_store(&unrefs, 0);
	ctx = kd_open();
	cr_assert_geq(ctx, 0);
	sdoor = kd_create(ctx, 0x1, 0x10, 0);
	pdoor = kd_create(ctx, 0x2, 0x20, DOOR_PRIVATE);
	cr_assert_geq(sdoor, 0);
	cr_assert_geq(pdoor, 0);
}

static void teardown(void)
{
	close(pdoor);
	close(sdoor);
	close(ctx);
}

TestSuite(private, .init = setup, .fini = teardown, .timeout = 60);

Test(private, calls_to_a_private_door_are_served_by_its_bound_thread)
{
	struct bound_pool b;

	require_module_feature(DOOR_FEAT_PRIVATE);
	kd_server_start(&shared, ctx, 1, report_tid);
	bound_pool_start(&b, ctx, pdoor, 1);
	for (int i = 0; i < 20; i++)
		cr_assert_eq(call_tid(pdoor), atomic_load(&b.tid), "call %d", i);
	cr_assert_eq(atomic_load(&shared.served), 0);
	kd_server_stop(&b.srv);
	kd_server_stop(&shared);
}

Test(private, calls_to_a_shared_door_are_never_served_by_a_bound_thread)
{
	struct bound_pool b;

	require_module_feature(DOOR_FEAT_PRIVATE);
	kd_server_start(&shared, ctx, 1, report_tid);
	bound_pool_start(&b, ctx, pdoor, 1);
	for (int i = 0; i < 20; i++) {
		long t = call_tid(sdoor);

		cr_assert_gt(t, 0, "call %d: %ld", i, t);
		cr_assert_neq(t, atomic_load(&b.tid), "call %d", i);
	}
	cr_assert_eq(atomic_load(&b.srv.served), 0);
	kd_server_stop(&b.srv);
	kd_server_stop(&shared);
}

static void *call_tid_thread(void *arg)
{
	return (void *)call_tid(*(int *)arg);
}

Test(private, call_to_a_private_door_waits_for_a_bound_thread)
{
	struct bound_pool b;
	pthread_t caller;
	void *res;

	require_module_feature(DOOR_FEAT_PRIVATE);
	kd_server_start(&shared, ctx, 1, report_tid);
	pthread_create(&caller, NULL, call_tid_thread, &pdoor);
	usleep(100000);	/* let the call reach the kernel and wait there */
	cr_assert_eq(atomic_load(&shared.served), 0,
		     "the shared pool served a call to a private door");
	bound_pool_start(&b, ctx, pdoor, 1);
	pthread_join(caller, &res);
	cr_assert_eq((long)res, atomic_load(&b.tid),
		     "served by %ld, not by the bound thread", (long)res);
	cr_assert_eq(atomic_load(&shared.served), 0);
	kd_server_stop(&b.srv);
	kd_server_stop(&shared);
}

Test(private, bind_to_a_descriptor_that_is_not_a_door_is_ebadf)
{
	int p[2];

	require_module_feature(DOOR_FEAT_PRIVATE);
	cr_assert_eq(pipe(p), 0);
	cr_assert_eq(bind_door(ctx, p[0]), -EBADF);
	cr_assert_eq(bind_door(ctx, ctx), -EBADF);
	cr_assert_eq(bind_door(ctx, -1), -EBADF);
	close(p[0]);
	close(p[1]);
}

Test(private, bind_to_a_shared_door_is_einval)
{
	require_module_feature(DOOR_FEAT_PRIVATE);
	cr_assert_eq(bind_door(ctx, sdoor), -EINVAL);
}

Test(private, bind_to_a_private_door_of_another_process_is_einval)
{
	pid_t pid;
	int d;

	require_module_feature(DOOR_FEAT_PRIVATE);
	d = kd_fork_server(NULL, 0, DOOR_PRIVATE, 0, &pid);
	cr_assert_geq(d, 0);
	cr_assert_eq(bind_door(ctx, d), -EINVAL);
	close(d);
	kd_kill_wait(pid);
}

Test(private, bind_to_a_private_door_of_another_context_is_einval)
{
	int c2, d;

	require_module_feature(DOOR_FEAT_PRIVATE);
	c2 = kd_open();
	d = kd_create(c2, 0, 0, DOOR_PRIVATE);
	cr_assert_geq(d, 0);
	cr_assert_eq(bind_door(ctx, d), -EINVAL);
	close(d);
	close(c2);
}

Test(private, unbind_by_an_unbound_thread_is_ebadf)
{
	require_module_feature(DOOR_FEAT_PRIVATE);
	cr_assert_eq(kd_ioctl(ctx, DOOR_IOC_UNBIND, NULL), -EBADF);
	cr_assert_eq(bind_door(ctx, pdoor), 0);
	cr_assert_eq(kd_ioctl(ctx, DOOR_IOC_UNBIND, NULL), 0);
	cr_assert_eq(kd_ioctl(ctx, DOOR_IOC_UNBIND, NULL), -EBADF);
}

Test(private, query_reports_the_bound_door)
{
	struct door_info want, got;

	require_module_feature(DOOR_FEAT_PRIVATE);
	cr_assert_eq(bind_door(ctx, pdoor), 0);
	cr_assert_eq(kd_info(pdoor, &want), 0);
	cr_assert_eq(query(ctx, &got), 0);
	cr_assert_eq(got.id, want.id);
	cr_assert_eq(got.target, getpid());
	cr_assert(got.attributes & DOOR_PRIVATE);
	cr_assert_eq(got.proc, 0x2);
	cr_assert_eq(got.cookie, 0x20);
}

Test(private, query_by_an_unbound_thread_is_ebadf)
{
	struct door_info di;

	require_module_feature(DOOR_FEAT_PRIVATE);
	cr_assert_eq(query(ctx, &di), -EBADF);
	cr_assert_eq(bind_door(ctx, pdoor), 0);
	cr_assert_eq(kd_ioctl(ctx, DOOR_IOC_UNBIND, NULL), 0);
	cr_assert_eq(query(ctx, &di), -EBADF, "still bound after DOOR_IOC_UNBIND");
}

Test(private, binding_again_replaces_the_old_binding)
{
	int p2 = kd_create(ctx, 0, 0, DOOR_PRIVATE);
	struct door_info want, got;

	require_module_feature(DOOR_FEAT_PRIVATE);
	cr_assert_eq(bind_door(ctx, pdoor), 0);
	cr_assert_eq(bind_door(ctx, p2), 0);
	cr_assert_eq(kd_info(p2, &want), 0);
	cr_assert_eq(query(ctx, &got), 0);
	cr_assert_eq(got.id, want.id);
	/* one binding at a time: a single unbind leaves the thread unbound */
	cr_assert_eq(kd_ioctl(ctx, DOOR_IOC_UNBIND, NULL), 0);
	cr_assert_eq(query(ctx, &got), -EBADF);
	close(p2);
}

Test(private, a_rebound_thread_serves_its_new_door)
{
	int p2 = kd_create(ctx, 0, 0, DOOR_PRIVATE);
	struct bound_pool b;

	require_module_feature(DOOR_FEAT_PRIVATE);
	bound_pool_start2(&b, ctx, pdoor, p2, 1);
	cr_assert_eq(call_tid(p2), atomic_load(&b.tid));
	kd_server_stop(&b.srv);
	close(p2);
}

Test(private, nservers_counts_the_threads_left_in_the_private_pool)
{
	struct bound_pool b;

	require_module_feature(DOOR_FEAT_PRIVATE);
	bound_pool_start(&b, ctx, pdoor, 2);
	settle_parked(pdoor, 2);
	cr_assert_gt(call_tid(pdoor), 0);
	cr_assert_eq(atomic_load(&last_nservers), 1);
	kd_server_stop(&b.srv);
}

Test(private, nservers_of_a_shared_door_ignores_bound_threads)
{
	struct bound_pool b;

	require_module_feature(DOOR_FEAT_PRIVATE);
	kd_server_start(&shared, ctx, 1, report_tid);
	bound_pool_start(&b, ctx, pdoor, 2);
	settle_parked(sdoor, 1);
	settle_parked(pdoor, 2);
	cr_assert_gt(call_tid(sdoor), 0);
	cr_assert_eq(atomic_load(&last_nservers), 0);
	kd_server_stop(&b.srv);
	kd_server_stop(&shared);
}

/* Binds, parks once and reports what DOOR_IOC_RETURN said. */
struct parker {
	int ctx, door;
	atomic_bool bound;
	atomic_long rc;
};

static void *park_once(void *arg)
{
	struct parker *p = arg;
	struct door_return r;
	long rc = bind_door(p->ctx, p->door);

	if (rc) {
		atomic_store(&p->rc, 1000 + rc);
		atomic_store(&p->bound, true);
		return NULL;
	}
	atomic_store(&p->bound, true);
	memset(&r, 0, sizeof(r));
	atomic_store(&p->rc, kd_ioctl(p->ctx, DOOR_IOC_RETURN, &r));
	return NULL;
}

Test(private, revoking_a_private_door_wakes_its_parked_threads_with_ebadf)
{
	struct parker p[2];
	pthread_t t[2];

	require_module_feature(DOOR_FEAT_PRIVATE);
	for (int i = 0; i < 2; i++) {
		p[i] = (struct parker){ .ctx = ctx, .door = pdoor };
		pthread_create(&t[i], NULL, park_once, &p[i]);
	}
	for (int i = 0; i < 2; i++)
		while (!atomic_load(&p[i].bound))
			usleep(1000);
	usleep(20000);	/* let them park */
	cr_assert_eq(kd_ioctl(pdoor, DOOR_IOC_REVOKE, NULL), 0);
	for (int i = 0; i < 2; i++) {
		pthread_join(t[i], NULL);
		cr_assert_eq(atomic_load(&p[i].rc), -EBADF, "thread %d: %ld", i,
			     atomic_load(&p[i].rc));
	}
}

Test(private, return_after_the_bound_door_was_revoked_is_ebadf)
{
	struct door_return r;

	require_module_feature(DOOR_FEAT_PRIVATE);
	cr_assert_eq(bind_door(ctx, pdoor), 0);
	cr_assert_eq(kd_ioctl(pdoor, DOOR_IOC_REVOKE, NULL), 0);
	memset(&r, 0, sizeof(r));
	cr_assert_eq(kd_ioctl(ctx, DOOR_IOC_RETURN, &r), -EBADF);
}

Test(private, bind_to_a_revoked_door_is_ebadf)
{
	require_module_feature(DOOR_FEAT_PRIVATE);
	cr_assert_eq(kd_ioctl(pdoor, DOOR_IOC_REVOKE, NULL), 0);
	cr_assert_eq(bind_door(ctx, pdoor), -EBADF);
}

Test(private, revoking_a_private_door_leaves_the_shared_pool_serving)
{
	struct parker p = { .ctx = ctx, .door = pdoor };
	pthread_t t;

	require_module_feature(DOOR_FEAT_PRIVATE);
	kd_server_start(&shared, ctx, 1, report_tid);
	pthread_create(&t, NULL, park_once, &p);
	while (!atomic_load(&p.bound))
		usleep(1000);
	usleep(20000);	/* let it park */
	cr_assert_eq(kd_ioctl(pdoor, DOOR_IOC_REVOKE, NULL), 0);
	pthread_join(t, NULL);
	cr_assert_gt(call_tid(sdoor), 0);
	kd_server_stop(&shared);
}

static int wait_unrefs(int want)
{
	for (int i = 0; i < 400 && atomic_load(&unrefs) < want; i++)
		usleep(5000);
	return atomic_load(&unrefs);
}

Test(private, unref_of_a_private_door_goes_to_a_thread_of_its_pool)
{
	int d = kd_create(ctx, 0, 0x99, DOOR_PRIVATE | DOOR_UNREF);
	uint32_t flags = O_CLOEXEC;
	struct bound_pool b;

	require_module_feature(DOOR_FEAT_PRIVATE);
	cr_assert_geq(d, 0);
	/* no shared-pool thread at all: only the private pool can take it */
	bound_pool_start(&b, ctx, d, 1);
	close((int)kd_ioctl(d, DOOR_IOC_NEWREF, &flags));
	cr_assert_eq(wait_unrefs(1), 1, "no unreferenced invocation arrived");
	cr_assert_eq(atomic_load(&unref_tid), atomic_load(&b.tid));
	kd_server_stop(&b.srv);
	close(d);
}

Test(private, an_unbound_thread_serves_the_shared_pool_again)
{
	struct door_return r;
	pthread_t caller;
	void *res;
	long rc;

	require_module_feature(DOOR_FEAT_PRIVATE);
	cr_assert_eq(bind_door(ctx, pdoor), 0);
	cr_assert_eq(kd_ioctl(ctx, DOOR_IOC_UNBIND, NULL), 0);
	/* this thread parks (shared pool) while a second one calls */
	pthread_create(&caller, NULL, call_tid_thread, &sdoor);
	memset(&r, 0, sizeof(r));
	rc = kd_ioctl(ctx, DOOR_IOC_RETURN, &r);
	cr_assert_eq(rc, 0, "DOOR_IOC_RETURN: %ld", rc);
	cr_assert_eq(r.inv.cookie, 0x10, "not the shared door's invocation");
	/* end it without parking again (this thread is the test's own) */
	memset(&r, 0, sizeof(r));
	r.flags = DOOR_RETURN_F_ABANDON;
	cr_assert_eq(kd_ioctl(ctx, DOOR_IOC_RETURN, &r), 0);
	pthread_join(caller, &res);
	cr_assert_eq((long)res, -EINTR);
}
