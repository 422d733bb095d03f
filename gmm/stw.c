// SPDX-License-Identifier: GPL-2.0
/*
 * stw.c - mutator sections and stopping the world without a grace period
 * per stop.
 *
 * Every mutator operation on a heap runs inside a section; the collector
 * stops the heap's world by keeping new sections out and waiting for the
 * ones in flight to end (or to pass gmm_mutator_yield(), a safepoint).
 *
 * The readers' side is a per-CPU counter, as in a percpu_rw_semaphore, and
 * has two paths:
 *
 *   fast (most of the time): with preemption disabled, see that the heap
 *     is not armed and increment this CPU's counter.  No atomic, no
 *     barrier.  A stop cannot happen in this mode.
 *   slow (armed, for the length of a GC cycle): with preemption disabled,
 *     increment, smp_mb(), and look at @stopping; if a stop is under way,
 *     undo the increment on the same CPU and wait for the restart.
 *
 * Switching the fast path off needs one RCU grace period, after which no
 * reader can still be between its look at @armed and its increment.  A
 * percpu_rw_semaphore pays that grace period inside every write lock, so
 * every stop of the world waited for it (up to 243 ms under QEMU TCG)
 * while mutators allocated on without owing assists.  Here the pacer arms
 * the heap ahead of the trigger (gmm_stw_arm() from the allocation path:
 * call_rcu(), nothing waits) and the collector disarms it after mark
 * termination: one grace period per cycle, paid while the mutators run,
 * and a stop costs only the time for sections in flight to reach a
 * safepoint.  A stop that finds the heap not armed yet (gmm_gc() below
 * the trigger) waits for the rest of the grace period; that wait is
 * counted in the stop's latency like any other.
 *
 * Ordering.  Reader: inc; smp_mb(); load @stopping.  Writer: store
 * @stopping; smp_mb(); sum the counters.  Either the writer sees the
 * increment or the reader sees @stopping (store buffering with full
 * barriers on both sides).  A reader that backs out does so on the CPU it
 * incremented, with preemption still disabled, so a backing-out reader
 * never makes another CPU's sum look smaller: the sum can only be too
 * large for a moment, never zero while a section is open.  Leaving in
 * slow mode is smp_mb(); dec (the section's accesses come before the
 * drop); smp_mb(); wake the writer if it waits.  In fast mode the grace
 * period of the next arming orders a plain decrement.  The collector's
 * writes in a stopped world reach new readers through the release of
 * @stopping (slow path) or of @armed at disarm (fast path) and the
 * readers' acquire loads.
 *
 * Lockdep sees a section as a read lock and a stopped world as a write
 * lock of one class ("gmm_section"), so gmm_store_ptr() and friends can
 * assert that they run inside a section.
 */
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/wait.h>

#include "internal.h"
#include "stw.h"

#ifdef CONFIG_DEBUG_LOCK_ALLOC
static struct lock_class_key gmm_stw_key;
#endif

/**
 * gmm_stw_init() - set up the sections of a new heap
 * @s: the sections
 * @gfp: for the per-CPU counters (the heap's memcg charge)
 *
 * Return: 0 or -ENOMEM.
 */
int gmm_stw_init(struct gmm_stw *s, gfp_t gfp)
{
	s->count = alloc_percpu_gfp(unsigned int, gfp);
	if (!s->count)
		return -ENOMEM;
	s->armed = GMM_STW_FAST;
	s->stopping = false;
	init_waitqueue_head(&s->writer);
	init_waitqueue_head(&s->resume);
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	lockdep_init_map(&s->dep_map, "gmm_section", &gmm_stw_key, 0);
#endif
	return 0;
}

/* The grace period of arming is over: no reader is on the fast path. */
static void gmm_stw_armed(struct rcu_head *rcu)
{
	struct gmm_stw *s = container_of(rcu, struct gmm_stw, rcu);
	unsigned long flags;

	/* Under the wait queue's lock, so that gmm_stw_destroy() can tell
	 * when this callback no longer touches @s.
	 */
	spin_lock_irqsave(&s->writer.lock, flags);
	WRITE_ONCE(s->armed_ns, local_clock());
	/* pairs with the stop's acquire: the grace period came first */
	smp_store_release(&s->armed, GMM_STW_ARMED);
	wake_up_locked(&s->writer);
	spin_unlock_irqrestore(&s->writer.lock, flags);
}

/**
 * gmm_stw_destroy() - free the sections of a heap being destroyed
 * @s: the sections; nobody enters them any more
 *
 * Waits for an arming grace period still in flight.  Process context.
 */
void gmm_stw_destroy(struct gmm_stw *s)
{
	if (!s->count)
		return;
	/* acquire: pairs with the callback's release of @armed */
	wait_event(s->writer, smp_load_acquire(&s->armed) != GMM_STW_ARMING);
	/* The callback has let go of the lock: it is done with @s. */
	spin_lock_irq(&s->writer.lock);
	spin_unlock_irq(&s->writer.lock);
	free_percpu(s->count);
	s->count = NULL;
}

/**
 * gmm_stw_arm() - switch the readers' fast path off ahead of a stop
 * @s: the sections
 *
 * Starts the grace period and returns; a later gmm_stw_stop() does not
 * wait for it if it is over by then.  Does nothing when armed already.
 * Any context: no sleeping, no locks.
 */
void gmm_stw_arm(struct gmm_stw *s)
{
	if (READ_ONCE(s->armed) != GMM_STW_FAST ||
	    cmpxchg(&s->armed, GMM_STW_FAST, GMM_STW_ARMING) != GMM_STW_FAST)
		return;
	WRITE_ONCE(s->arm_ns, local_clock());
	call_rcu(&s->rcu, gmm_stw_armed);
}

GMM_EXPORT_FOR_TESTING(gmm_stw_arm);

/**
 * gmm_stw_disarm() - turn the readers' fast path back on
 * @s: the sections; the world runs (no stop in progress)
 *
 * Called by the collector when a cycle is over.  An arming still in its
 * grace period is left to finish (the next cycle finds it armed).
 */
void gmm_stw_disarm(struct gmm_stw *s)
{
	WARN_ON_ONCE(READ_ONCE(s->stopping));
	cmpxchg_release(&s->armed, GMM_STW_ARMED, GMM_STW_FAST);
}

GMM_EXPORT_FOR_TESTING(gmm_stw_disarm);

/* Slow path of gmm_stw_enter(): wait out a stop. */
static void gmm_stw_enter_slow(struct gmm_stw *s)
{
	for (;;) {
		preempt_disable();
		__this_cpu_inc(*s->count);
		smp_mb();	/* pairs with the one in gmm_stw_stop() */
		if (likely(!smp_load_acquire(&s->stopping))) {
			preempt_enable();
			return;
		}
		__this_cpu_dec(*s->count);	/* same CPU: see the top */
		preempt_enable();
		wake_up(&s->writer);
		wait_event(s->resume, !READ_ONCE(s->stopping));
	}
}

/**
 * gmm_stw_enter() - begin a section (a read lock)
 * @s: the sections
 *
 * Process context; may sleep while the world is stopped.
 */
void gmm_stw_enter(struct gmm_stw *s)
{
	might_sleep();
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	rwsem_acquire_read(&s->dep_map, 0, 0, _RET_IP_);
#endif
	preempt_disable();
	/* acquire: pairs with disarm's release (the cycle's writes) */
	if (likely(smp_load_acquire(&s->armed) == GMM_STW_FAST)) {
		__this_cpu_inc(*s->count);
		preempt_enable();
		return;
	}
	preempt_enable();
	gmm_stw_enter_slow(s);
}

/**
 * gmm_stw_exit() - end a section
 * @s: the sections
 *
 * Any CPU (the section may have moved); does not sleep.
 */
void gmm_stw_exit(struct gmm_stw *s)
{
	bool wake = false;

#ifdef CONFIG_DEBUG_LOCK_ALLOC
	rwsem_release(&s->dep_map, _RET_IP_);
#endif
	preempt_disable();
	if (likely(READ_ONCE(s->armed) == GMM_STW_FAST)) {
		__this_cpu_dec(*s->count);
	} else {
		smp_mb();	/* the section's accesses before the drop */
		__this_cpu_dec(*s->count);
		smp_mb();	/* the drop before the look at @stopping */
		wake = READ_ONCE(s->stopping);
	}
	preempt_enable();
	if (wake)
		wake_up(&s->writer);
}

/* Sections open, summed over the CPUs (see the top for why this works). */
static bool gmm_stw_readers(struct gmm_stw *s)
{
	unsigned int sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		/* other CPUs' counters change under us: see the top */
		sum += data_race(READ_ONCE(*per_cpu_ptr(s->count, cpu)));
	return sum != 0;
}

/**
 * gmm_stw_stop() - stop the world: keep sections out, wait for those open
 * @s: the sections
 *
 * Arms the heap first if the pacer has not (and waits for that grace
 * period).  Process context; sleeps; not inside a section of this heap.
 *
 * Return: how long it waited for arming, ns (0 when it was armed).
 */
u64 gmm_stw_stop(struct gmm_stw *s)
{
	u64 wait_ns = 0;

	might_sleep();
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	rwsem_acquire(&s->dep_map, 0, 0, _RET_IP_);
#endif
	gmm_stw_arm(s);
	/* acquire: pairs with the arming callback's release */
	if (smp_load_acquire(&s->armed) != GMM_STW_ARMED) {
		u64 t0 = local_clock();

		wait_event(s->writer, /* acquire, as above */
			   smp_load_acquire(&s->armed) == GMM_STW_ARMED);
		wait_ns = max_t(u64, local_clock() - t0, 1);
	}
	WRITE_ONCE(s->stopping, true);
	smp_mb();	/* pairs with the readers' */
	wait_event(s->writer, !gmm_stw_readers(s));
	smp_mb();	/* the sections' accesses before the collector's */
	return wait_ns;
}

GMM_EXPORT_FOR_TESTING(gmm_stw_stop);

/**
 * gmm_stw_start() - restart the world
 * @s: the sections, stopped by gmm_stw_stop()
 *
 * Does not sleep.
 */
void gmm_stw_start(struct gmm_stw *s)
{
	/* release: the stopped world's writes before any new section */
	smp_store_release(&s->stopping, false);
	wake_up_all(&s->resume);
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	rwsem_release(&s->dep_map, _RET_IP_);
#endif
}

GMM_EXPORT_FOR_TESTING(gmm_stw_start);

/**
 * gmm_stw_held() - whether the caller is inside a section (lockdep)
 * @s: the sections
 *
 * Return: true inside a section or with the world stopped by the caller;
 * always true without lockdep.
 */
bool gmm_stw_held(struct gmm_stw *s)
{
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	return lock_is_held(&s->dep_map);
#else
	return true;
#endif
}

/**
 * gmm_stw_not_held() - whether the caller is outside every section (lockdep)
 * @s: the sections
 *
 * Return: false only when lockdep knows the caller is inside a section or
 * has the world stopped; always true without lockdep.
 */
bool gmm_stw_not_held(struct gmm_stw *s)
{
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	return lock_is_held(&s->dep_map) != LOCK_STATE_HELD;
#else
	return true;
#endif
}

GMM_EXPORT_FOR_TESTING(gmm_stw_not_held);
