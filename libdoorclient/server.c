/*
 * Server threads: door_return, door_reply and the loop that runs server
 * procedures.
 *
 * The first door_return a thread makes turns that call into the thread's
 * server loop; on success it never returns. The loop parks the thread in
 * the module (DOOR_IOC_RETURN) and, when an invocation arrives, calls the
 * server procedure from the loop's own frame.
 *
 * Stack rewinding (the Solaris contract). A procedure ends by calling
 * door_return from wherever it is, however deep. That nested door_return
 * delivers the results *and* waits for the next invocation in a single
 * ioctl, still standing on the procedure's frames: the module copies the
 * results (which may live in the procedure's locals, an alloca area or
 * the receive buffer) before the ioctl returns. Only then do we
 * siglongjmp back to the loop frame, abandoning every frame of the old
 * invocation, and call the procedure for the new one at the same depth.
 * So each invocation starts on the same fresh stack region, the stack
 * never grows from one invocation to the next, and returning data from
 * the stack is safe. As on Solaris, abandoned frames are not unwound:
 * a procedure releases its locks and memory (C++ destructors included)
 * before calling door_return.
 *
 * Arguments land in a per-thread receive buffer; larger ones arrive in a
 * mapping the module makes (DOOR_INV_F_MAPPED), which is unmapped after
 * the next successful return, once the results (which may point into
 * it) have been delivered.
 *
 * A procedure that returns instead of calling door_return ends its
 * thread, and its caller's door_call fails with EINTR (Solaris).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"
#include "server.h"

#define RECEIVE_BUFFER_SIZE	(16 * 1024)

struct server_thread {
	int ctx;
	bool in_loop;		/* the loop frame is live: nested returns jump to it */
	bool serving;		/* an invocation is in progress */
	bool replied;		/* door_reply delivered its results */
	bool default_pool;	/* created by the default creation function */
	sigjmp_buf *loop;
	void *buf;		/* receive buffer */
	void *mapped;		/* arguments mapped by the module, or NULL */
	size_t mapped_size;
	struct door_return rq;	/* also receives the next invocation */
};

static __thread struct server_thread *self;
static pthread_key_t self_key;
static pthread_once_t self_once = PTHREAD_ONCE_INIT;

static void unmap_arguments(struct server_thread *st)
{
	if (st->mapped)
		munmap(st->mapped, st->mapped_size);
	st->mapped = NULL;
	st->mapped_size = 0;
}

/* The invocation ends here: the caller gets EINTR, nothing more is sent. */
static void abandon(struct server_thread *st)
{
	struct door_return rq;

	if (!st->serving || st->ctx < 0)
		return;
	memset(&rq, 0, sizeof(rq));
	rq.flags = DOOR_RETURN_F_ABANDON;
	(void)ioctl(st->ctx, DOOR_IOC_RETURN, &rq);
	st->serving = false;
}

static void self_destroy(void *arg)
{
	struct server_thread *st = arg;

	abandon(st);
	unmap_arguments(st);
	if (st->default_pool)
		door_pool_thread_exit();
	free(st->buf);
	free(st);
	self = NULL;
}

static void self_key_init(void)
{
	(void)pthread_key_create(&self_key, self_destroy);
}

static struct server_thread *thread_state(void)
{
	struct server_thread *st = self;

	if (st)
		return st;
	pthread_once(&self_once, self_key_init);
	st = calloc(1, sizeof(*st));
	if (!st)
		return NULL;
	st->buf = malloc(RECEIVE_BUFFER_SIZE);
	if (!st->buf || pthread_setspecific(self_key, st) != 0) {
		free(st->buf);
		free(st);
		return NULL;
	}
	st->ctx = -1;
	self = st;
	return st;
}

/*
 * Deliver the results (if any) and park until the next invocation, which
 * st->rq.inv then describes. 0 or -errno; on error nothing changed and the
 * caller (if any) is still waiting, as on Solaris.
 */
static int return_and_wait(struct server_thread *st, char *data, size_t size,
			   door_desc_t *desc, uint_t num, uint32_t flags)
{
	struct door_return *rq = &st->rq;

	memset(rq, 0, sizeof(*rq));
	rq->data_ptr = (uintptr_t)data;
	rq->data_size = size;
	rq->desc_ptr = (uintptr_t)desc;
	rq->desc_num = num;
	rq->flags = flags;
	rq->buf_ptr = (uintptr_t)st->buf;
	rq->buf_size = RECEIVE_BUFFER_SIZE;
	while (ioctl(st->ctx, DOOR_IOC_RETURN, rq) < 0) {
		if (errno != EINTR)
			return -errno;
		/* A signal while parked: the results already went out. */
		rq->data_ptr = 0;
		rq->data_size = 0;
		rq->desc_ptr = 0;
		rq->desc_num = 0;
		rq->flags = 0;
	}
	st->serving = false;
	unmap_arguments(st);
	if (rq->inv.flags & DOOR_INV_F_MAPPED) {
		st->mapped = (void *)(uintptr_t)rq->inv.buf_ptr;
		st->mapped_size = rq->inv.buf_size;
	}
	return 0;
}

/* Run the procedure for the invocation in st->rq.inv. */
static void dispatch(struct server_thread *st)
{
	const struct door_invocation *inv = &st->rq.inv;
	door_server_procedure_t *proc = (door_server_procedure_t *)(uintptr_t)inv->proc;
	void *cookie = (void *)(uintptr_t)inv->cookie;

	st->serving = true;
	st->replied = false;
	if (inv->nservers == 0)
		door_pool_depleted(inv);
	if (inv->flags & DOOR_INV_F_UNREF)
		proc(cookie, DOOR_UNREF_DATA, 0, NULL, 0);
	else
		proc(cookie, (char *)(uintptr_t)inv->data_ptr, inv->data_size,
		     (door_desc_t *)(uintptr_t)inv->desc_ptr, inv->desc_num);
}

static int server_loop(struct server_thread *st, char *data, size_t size,
		       door_desc_t *desc, uint_t num)
{
	sigjmp_buf loop;
	int r;

	st->ctx = door_ctx_fd();
	if (st->ctx < 0) {
		errno = -st->ctx;
		return -1;
	}
	r = return_and_wait(st, data, size, desc, num, 0);
	if (r < 0) {
		errno = -r;
		return -1;
	}
	/* Every later invocation arrives here, through a nested door_return. */
	(void)sigsetjmp(loop, 0);
	st = self;
	st->loop = &loop;
	st->in_loop = true;
	dispatch(st);
	/* The procedure returned instead of calling door_return. */
	st->in_loop = false;
	abandon(st);
	pthread_exit(NULL);
}

DOOR_EXPORT int door_return(char *data_ptr, size_t data_size,
			    door_desc_t *desc_ptr, uint_t num_desc)
{
	struct server_thread *st = thread_state();
	uint32_t flags = 0;
	int r;

	if (!st) {
		errno = ENOMEM;
		return -1;
	}
	if (!st->in_loop)
		return server_loop(st, data_ptr, data_size, desc_ptr, num_desc);
	if (st->replied) {
		/* door_reply already sent the results: just park. */
		flags = DOOR_RETURN_F_NORESULT;
		data_ptr = NULL;
		data_size = 0;
		desc_ptr = NULL;
		num_desc = 0;
	}
	r = return_and_wait(st, data_ptr, data_size, desc_ptr, num_desc, flags);
	if (r < 0) {
		errno = -r;
		return -1;
	}
	siglongjmp(*st->loop, 1);
}

DOOR_EXPORT int door_reply(char *data_ptr, size_t data_size,
			   door_desc_t *desc_ptr, uint_t num_desc)
{
	struct server_thread *st = self;
	struct door_return rq;
	int r;

	door_detail_clear();
	if (!st || !st->in_loop || !st->serving || st->replied)
		return door_fail(EINVAL, "door_reply: %s",
				 st && st->replied ? "already replied" :
				 "this thread serves no invocation");
	r = door_ctx_need(DOOR_FEAT_REPLY, "door_reply");
	if (r < 0) {
		errno = -r;
		return -1;
	}
	memset(&rq, 0, sizeof(rq));
	rq.data_ptr = (uintptr_t)data_ptr;
	rq.data_size = data_size;
	rq.desc_ptr = (uintptr_t)desc_ptr;
	rq.desc_num = num_desc;
	if (ioctl(st->ctx, DOOR_IOC_REPLY, &rq) < 0)
		return -1;
	st->replied = true;
	return 0;
}

bool door_server_mark_default(void)
{
	struct server_thread *st = thread_state();

	if (st)
		st->default_pool = true;
	return st != NULL;
}

void door_server_forked_child(void)
{
	struct server_thread *st = self;

	/* The child has a context of its own, and no invocation to serve. */
	if (!st)
		return;
	st->ctx = -1;
	st->in_loop = false;
	st->serving = false;
	st->replied = false;
}
