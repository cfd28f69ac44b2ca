// SPDX-License-Identifier: GPL-2.0
/*
 * Thread migration (DESIGN.md section 3): the parked server thread runs
 * the invocation on the caller's CPU, in place of the caller, with the
 * caller's scheduling attributes; the caller gets its CPU straight back.
 *
 * A module cannot switch to a chosen task (no WF_CURRENT_CPU wake-up is
 * exported), so it combines what it can, selected by the handoff
 * parameter (DOOR_HANDOFF_* bits):
 *
 *  SYNC	WF_SYNC wake-ups. On an idle multi-CPU system the wakee still
 *		goes to an idle sibling (select_idle_sibling() wins), so on
 *		its own this rarely keeps the server on the caller's CPU.
 *  CALLER_PIN	migrate_disable() in the caller from dispatch to return:
 *		the scheduler narrows its cpus_ptr to this CPU when it
 *		sleeps, so the server's wake-up of it can only go here and
 *		the caller gets its CPU back instead of an idle sibling.
 *		Restoring the mask in migrate_enable() costs about 1,400
 *		instructions (measured under -icount), so a caller whose
 *		affinity is a single CPU skips it: it cannot move anyway.
 *  SERVER_PIN	the server's affinity narrowed to the caller's CPU before
 *		it is woken: with one allowed CPU select_task_rq() is not
 *		consulted at all, the server is queued behind the caller and
 *		runs as soon as the caller sleeps.
 *  STICKY	the narrowed affinity is kept while the server runs and
 *		parks again; it is changed only when a caller on another
 *		CPU comes (and restored when the thread leaves its pool), so
 *		the steady state costs no affinity change at all.
 *  PRIO	the server takes the caller's policy, RT priority and nice
 *		when they differ (binder's rule: only when they differ) and
 *		gets its own back when it posts its results.
 *
 * Measured in the VM on Debian 6.1, two CPUs, otherwise idle, one caller
 * (tests/kmod/handoff_measure; server on the caller's CPU / caller back
 * on its own CPU after the call):
 *	SYNC				  6% / 100%
 *	SYNC|CALLER_PIN			  1% / 100%
 *	SYNC|SERVER_PIN			100% /  37%
 *	SYNC|CALLER_PIN|SERVER_PIN	100% / 100%
 * so both pins are needed. Under -icount (one CPU, instructions) STICKY
 * removes the two affinity changes per call from the cost of pinning,
 * and PRIO costs nothing when caller and server already agree. The
 * default is therefore SYNC|CALLER_PIN|SERVER_PIN|STICKY|PRIO.
 * The price of STICKY: while serving, the thread stays bound to the CPU
 * of its last caller (like the caller it stands in for), and an affinity
 * set on a parked server thread by someone else is overwritten when the
 * thread leaves its pool.
 */
#include <linux/cpumask.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <uapi/linux/sched.h>
#include <uapi/linux/sched/types.h>

#include "door_internal.h"

unsigned int door_handoff = DOOR_HANDOFF_SYNC | DOOR_HANDOFF_CALLER_PIN |
			    DOOR_HANDOFF_SERVER_PIN | DOOR_HANDOFF_STICKY |
			    DOOR_HANDOFF_PRIO;
module_param_named(handoff, door_handoff, uint, 0644);
MODULE_PARM_DESC(handoff, "Handoff strategy bits: 1 sync wake-up, 2 pin caller, 4 pin server to caller's CPU, 8 keep server pinned, 16 inherit caller's scheduling");

void door_wake(wait_queue_head_t *wq)
{
	if (READ_ONCE(door_handoff) & DOOR_HANDOFF_SYNC)
		__wake_up_sync(wq, TASK_NORMAL);
	else
		wake_up(wq);
}

void door_sched_save(struct door_sched *s, struct task_struct *p)
{
	s->policy = p->policy;
	s->nice = task_nice(p);
	s->rt_priority = p->rt_priority;
	s->reset_on_fork = p->sched_reset_on_fork;
}

static bool door_sched_equal(const struct door_sched *a,
			     const struct door_sched *b)
{
	if (a->policy != b->policy)
		return false;
	if (a->policy == SCHED_FIFO || a->policy == SCHED_RR)
		return a->rt_priority == b->rt_priority;
	return a->nice == b->nice;
}

static int door_sched_apply(struct task_struct *p, const struct door_sched *s,
			    bool reset_on_fork)
{
	struct sched_attr attr = {
		.size = sizeof(attr),
		.sched_policy = s->policy,
		.sched_flags = reset_on_fork ? SCHED_FLAG_RESET_ON_FORK : 0,
	};

	if (s->policy == SCHED_FIFO || s->policy == SCHED_RR)
		attr.sched_priority = s->rt_priority;
	else
		attr.sched_nice = s->nice;
	return sched_setattr_nocheck(p, &attr);
}

/* Deadline tasks have a bandwidth of their own: never lent or borrowed. */
static bool door_sched_lendable(const struct door_sched *s)
{
	return s->policy != SCHED_DEADLINE;
}

/* Caller's side, before it wakes @thr (parked; @task is held). */
void door_handoff_dispatch(struct door_inv *inv, struct door_thread *thr,
			   struct task_struct *task)
{
	unsigned int mode = READ_ONCE(door_handoff);
	int cpu = inv->caller_cpu;

	if ((mode & DOOR_HANDOFF_SERVER_PIN) && thr->pinned_cpu != cpu &&
	    cpumask_test_cpu(cpu, thr->saved_mask) &&
	    !set_cpus_allowed_ptr(task, cpumask_of(cpu)))
		thr->pinned_cpu = cpu;
	if ((mode & DOOR_HANDOFF_PRIO) &&
	    door_sched_lendable(&inv->caller_sched) &&
	    door_sched_lendable(&thr->saved_sched) &&
	    !door_sched_equal(&inv->caller_sched, &thr->saved_sched) &&
	    !door_sched_apply(task, &inv->caller_sched,
			      thr->saved_sched.reset_on_fork))
		thr->sched_changed = true;
	/* the settings above are visible to the server before it goes on */
	smp_store_release(&thr->dispatching, false);
	door_wake(&thr->wq);
}

static void door_unpin(struct door_thread *thr)
{
	if (thr->pinned_cpu < 0)
		return;
	set_cpus_allowed_ptr(current, thr->saved_mask);
	thr->pinned_cpu = -1;
}

/* Server's side, once it holds its invocation. */
void door_handoff_serving(struct door_thread *thr)
{
	if (!(READ_ONCE(door_handoff) & DOOR_HANDOFF_STICKY))
		door_unpin(thr);
}

/*
 * Server's side, when its results are posted (or before it parks):
 * its own scheduling attributes back, and a fresh copy of its
 * affinity and attributes for the next dispatch to compare against.
 */
void door_handoff_done(struct door_thread *thr)
{
	if (thr->sched_changed) {
		door_sched_apply(current, &thr->saved_sched,
				 thr->saved_sched.reset_on_fork);
		thr->sched_changed = false;
	}
	door_sched_save(&thr->saved_sched, current);
	if (thr->pinned_cpu < 0)
		cpumask_copy(thr->saved_mask, &current->cpus_mask);
}

/* Server's side, when it leaves its pool. */
void door_handoff_leave(struct door_thread *thr)
{
	door_handoff_done(thr);
	door_unpin(thr);
}
