// SPDX-License-Identifier: GPL-2.0
/*
 * gc.c - the collection cycle (Go's mgc.go): the phases, triggering,
 * gmm_gc(), pause and cycle records, gctrace.
 *
 * A cycle runs as the heap's work item on the module's workqueue gmm_gc
 * (no heap owns a thread), in two runs (see gc.h for the phases):
 *
 *   run 1, queued by the pacer's trigger or by gmm_gc():
 *     finish sweeping the previous cycle
 *     STW 1: reset tiny blocks, pacer start, barrier + allocate-black on,
 *            scan root slots and scope locals
 *     publish the heap to the mark workers (markworker.c), scan the
 *     handle table (barriered, roots.c)
 *   concurrent mark: the mark workers and assists drain grey objects; the
 *     last drainer to find none left claims the end of marking and queues
 *     run 2 (gmm_gc_mark_maybe_done())
 *   run 2:
 *     take the heap back from the workers
 *     STW 2: drain the rest, checkmark (optional), barrier off, flush the
 *            per-CPU caches, sweepgen += 2, pacer end
 *     disarm the stop (stw.c), concurrent sweep, gctrace line, wake
 *     gmm_gc() waiters; start the next cycle if one was asked for
 *
 * Each pause is counted from the decision to stop - the call that stops
 * the world - to the restart, as Go reports it, and kept in a 256-entry
 * ring; the part spent waiting for sections in flight (the stop latency)
 * is also kept apart.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/workqueue.h>

#include "heap.h"
#include "internal.h"
#include "mark.h"
#include "markworker.h"
#include "mutant.h"
#include "scavenge.h"
#include "sweep.h"
#include "trace.h"

static bool checkmark;
module_param(checkmark, bool, 0644);
MODULE_PARM_DESC(checkmark,
		 "verify every mark with a stop-the-world re-mark, like GODEBUG=gccheckmark=1");

/* The cycles of every heap run here (WQ_MEM_RECLAIM: they free memory). */
static struct workqueue_struct *gmm_gc_wq;

/**
 * gmm_mutator_enter() - begin a mutator section
 * @heap: the heap
 *
 * Inside a section the caller may allocate, load and store heap pointers
 * and keep them in C locals; the collector stops the world only between
 * sections, or at a gmm_mutator_yield().  Sections may sleep; they must
 * not nest, and gmm_gc() must not be called inside one.  Entering is a
 * per-CPU increment when no cycle is near (stw.c).
 *
 * Context: Process context, no spinlock held, not inside a section of
 * @heap already (sections do not nest: lockdep reports it); may sleep
 * while the world is stopped.
 */
void gmm_mutator_enter(struct gmm_heap *heap)
{
	gmm_stw_enter(&heap->gc.stw);
}
EXPORT_SYMBOL_GPL(gmm_mutator_enter);

/**
 * gmm_mutator_exit() - end a mutator section
 * @heap: the heap
 *
 * Context: Inside a section of @heap, on any CPU; does not sleep.
 */
void gmm_mutator_exit(struct gmm_heap *heap)
{
	gmm_stw_exit(&heap->gc.stw);
}
EXPORT_SYMBOL_GPL(gmm_mutator_exit);

/**
 * gmm_mutator_yield() - a safepoint inside a mutator section
 * @heap: the heap
 *
 * Lets a pending stop of the world in (leaves the section and enters it
 * again), and reschedules if needed, like cond_resched().  When no stop is
 * pending it costs one load.  Call it in long loops inside a section.
 * Across a yield the collector may run a whole cycle: every heap pointer
 * the caller still needs afterwards must be reachable from a root (a root
 * slot, a handle, a scope local, or an object reachable from one), not
 * only from a C local.
 *
 * Context: Process context, inside a section of @heap (lockdep checks it),
 * no spinlock held; may sleep.
 */
void gmm_mutator_yield(struct gmm_heap *heap)
{
	might_sleep();
	lockdep_assert(gmm_stw_held(&heap->gc.stw));
	if (unlikely(gmm_stw_pending(&heap->gc.stw))) {
		gmm_stw_exit(&heap->gc.stw);
		gmm_stw_enter(&heap->gc.stw);
	} else {
		cond_resched();
	}
}
EXPORT_SYMBOL_GPL(gmm_mutator_yield);

/**
 * gmm_mutator_stop_pending() - whether the collector waits to stop the world
 * @heap: the heap
 *
 * One load.  A long-running section that sees true should reach
 * gmm_mutator_yield() (or end) soon; gmm_mutator_yield() checks it
 * itself, so this is for callers that want to know, e.g. to time their
 * own stalls.  Any context.
 *
 * Context: Any context.
 *
 * Return: true while a stop of @heap's world is pending or in force.
 */
bool gmm_mutator_stop_pending(struct gmm_heap *heap)
{
	return gmm_stw_pending(&heap->gc.stw);
}
EXPORT_SYMBOL_GPL(gmm_mutator_stop_pending);

/**
 * gmm_store_ptr() - store a pointer into a heap object or a root slot
 * @heap: the heap
 * @slot: address of the pointer field (in an object of @heap, or a root)
 * @value: an object of @heap, or NULL
 *
 * The only legal way to write a heap pointer.  While the collector marks,
 * the hybrid write barrier shades the old and the new value; otherwise the
 * cost is one predictable branch.  Call inside a mutator section (lockdep
 * checks it): mark termination relies on no barrier running while the
 * world is stopped.  Does not sleep; may be called with spinlocks held.
 *
 * Context: Inside a mutator section of @heap (lockdep checks it); does not
 * sleep: spinlocks may be held.
 */
void gmm_store_ptr(struct gmm_heap *heap, void *slot, void *value)
{
	void **p = slot;

	lockdep_assert(gmm_stw_held(&heap->gc.stw));
	if (unlikely(READ_ONCE(heap->gc.phase) != GMM_GC_PHASE_OFF) &&
	    likely(!gmm_barrier_disabled)) {
		if (!GMM_MUTANT(GMM_MUT_DELETION_SHADE))
			gmm_shade(heap, READ_ONCE(*p));	/* deletion (Yuasa) */
		if (!GMM_MUTANT(GMM_MUT_INSERTION_SHADE))
			gmm_shade(heap, value);		/* insertion (Dijkstra) */
	}
	WRITE_ONCE(*p, value);
}
EXPORT_SYMBOL_GPL(gmm_store_ptr);

/* One stop-the-world pause: when it was decided, when the world stopped. */
struct gmm_stw_pause {
	u64 req;
	u64 t0;
	u64 latency_ns;
	u64 arm_wait_ns;
};

/*
 * Stop the heap's world.  The pause is counted from here, the decision to
 * stop; the time until the world is stopped (sections in flight reaching
 * a safepoint, or an arming still in its grace period) is the stop
 * latency, kept apart too.
 */
static void gmm_stop_world(struct gmm_heap *h, struct gmm_stw_pause *w)
{
	w->req = ktime_get_ns();
	w->arm_wait_ns = gmm_stw_stop(&h->gc.stw);
	w->t0 = ktime_get_ns();
	w->latency_ns = w->t0 - w->req;
	h->gc.stop_latency_max_ns = max(h->gc.stop_latency_max_ns,
					w->latency_ns);
}

/* Restart the world; @pause 1 or 2 of cycle @num.  Returns its length. */
static u64 gmm_start_world(struct gmm_heap *h, const struct gmm_stw_pause *w,
			   u64 num, int pause)
{
	u64 d;

	gmm_stw_start(&h->gc.stw);
	d = ktime_get_ns() - w->req;
	h->gc.pauses[h->gc.pause_idx++ % GMM_PAUSE_RING] = d;
	h->gc.pause_total_ns += d;
	h->gc.pause_max_ns = max(h->gc.pause_max_ns, d);
	trace_gmm_gc_stw(h->id, num, pause, d, w->latency_ns);
	return d;
}

/* Change the phase of cycle @num; the world is stopped. */
static void gmm_set_phase(struct gmm_heap *h, u64 num, int phase)
{
	int old = h->gc.phase;

	WRITE_ONCE(h->gc.phase, phase);
	trace_gmm_gc_phase(h->id, num, old, phase);
}

static void gmm_flush_caches(struct gmm_heap *h)
{
	int cpu;

	for_each_possible_cpu(cpu)
		gmm_cache_flush(h, per_cpu_ptr(h->caches, cpu));
}

/**
 * gmm_gc_checkmark_on() - whether a heap's cycles run the checkmark pass
 * @h: the heap
 *
 * Return: true when the module parameter or the heap asks for it.
 */
bool gmm_gc_checkmark_on(struct gmm_heap *h)
{
	return READ_ONCE(checkmark) || READ_ONCE(h->gc.checkmark);
}

#if IS_ENABLED(CONFIG_KUNIT)
/**
 * gmm_gc_hold_arm() - make the next cycle of a heap stop at a point
 * @h: the heap
 * @point: enum gmm_gc_hold_point
 *
 * Test builds only (see struct gmm_gc_hold).  Process context.
 */
void gmm_gc_hold_arm(struct gmm_heap *h, int point)
{
	spin_lock(&h->gc.lock);
	h->gc.hold.point = point;
	h->gc.hold.held = false;
	h->gc.hold.skip_bg = false;
	spin_unlock(&h->gc.lock);
}

GMM_EXPORT_FOR_TESTING(gmm_gc_hold_arm);

/**
 * gmm_gc_hold_wait() - wait until the collector stops at the armed point
 * @h: the heap
 * @timeout: jiffies
 *
 * Call outside mutator sections.  Process context; sleeps.
 *
 * Return: true when the collector is held there.
 */
bool gmm_gc_hold_wait(struct gmm_heap *h, unsigned long timeout)
{
	return wait_event_timeout(h->gc.hold.wait, READ_ONCE(h->gc.hold.held),
				  timeout) > 0;
}

GMM_EXPORT_FOR_TESTING(gmm_gc_hold_wait);

/**
 * gmm_gc_hold_release() - let a held (or armed) cycle go on
 * @h: the heap
 * @skip_bg: after GMM_HOLD_MARK, do no background marking
 *
 * Process context.
 */
void gmm_gc_hold_release(struct gmm_heap *h, bool skip_bg)
{
	spin_lock(&h->gc.lock);
	h->gc.hold.point = GMM_HOLD_NONE;
	h->gc.hold.held = false;
	h->gc.hold.skip_bg = skip_bg;
	spin_unlock(&h->gc.lock);
	wake_up_all(&h->gc.hold.wait);
}

GMM_EXPORT_FOR_TESTING(gmm_gc_hold_release);

/* The collector at @point: wait there if a test asked for it. */
static void gmm_gc_hold_here(struct gmm_heap *h, int point)
{
	if (likely(READ_ONCE(h->gc.hold.point) != point))
		return;
	spin_lock(&h->gc.lock);
	h->gc.hold.held = h->gc.hold.point == point;
	spin_unlock(&h->gc.lock);
	wake_up_all(&h->gc.hold.wait);
	wait_event(h->gc.hold.wait, !READ_ONCE(h->gc.hold.held) ||
		   READ_ONCE(h->gc.dying));
}

static bool gmm_gc_hold_skips_bg(struct gmm_heap *h)
{
	return READ_ONCE(h->gc.hold.skip_bg);
}
#else
static inline void gmm_gc_hold_here(struct gmm_heap *h, int point)
{
}

static inline bool gmm_gc_hold_skips_bg(struct gmm_heap *h)
{
	return false;
}
#endif

/*
 * Sweep termination (the first pause): finish sweeping, start the tiny
 * blocks afresh, set up the pacer, turn the barrier and allocate-black on,
 * shade root slots and scope locals.
 */
static void gmm_gc_sweep_termination(struct gmm_heap *h,
				     struct gmm_cycle_trace *t, bool forced)
{
	struct gmm_stw_pause w;
	u64 tm;

	gmm_stop_world(h, &w);
	t->start_ns = w.req;
	t->since_start_ns = w.req - h->gc.created_ns;
	t->arm_wait_ns = w.arm_wait_ns;
	gmm_sweep_all(h);	/* whatever lazy sweeping left (nothing, normally) */
	/* A tiny block taken before the cycle is white: objects carved from
	 * it during mark would not be allocated black.
	 */
	if (!GMM_MUTANT(GMM_MUT_TINY_RESET))
		gmm_cache_reset_tiny(h);
	atomic64_set(&h->gc.marked_bytes, 0);
	atomic64_set(&h->gc.scanned_bytes, 0);
	atomic64_set(&h->gc.assist_bytes, 0);
	atomic64_set(&h->gc.bg_credit, 0);
	WRITE_ONCE(h->gc.roots_done, false);
	t->heap0 = atomic64_read(&h->pacer.heap_live);
	t->goal = h->pacer.heap_goal;
	trace_gmm_gc_cycle_start(h->id, t->num, t->heap0, t->goal,
				 h->pacer.trigger, forced);
	/* A forced cycle below the trigger waits for arming by design. */
	gmm_pacer_cycle_start(h, forced ? 0 : w.arm_wait_ns);
	gmm_set_phase(h, t->num, GMM_GC_PHASE_MARK);
	tm = ktime_get_ns();
	gmm_mark_roots_stw(h);
	t->root_ns = ktime_get_ns() - tm;
	t->stw1_ns = gmm_start_world(h, &w, t->num, 1);
}

/*
 * The end of marking is claimed once, by whoever finds it; queue the
 * cycle's second run.
 */
static void gmm_gc_claim_mark_done(struct gmm_heap *h)
{
	if (cmpxchg(&h->gc.cstate, GMM_CYCLE_MARKING, GMM_CYCLE_MARK_DONE) ==
	    GMM_CYCLE_MARKING)
		queue_work(gmm_gc_wq, &h->gc.work);
}

/**
 * gmm_gc_mark_maybe_done() - end concurrent mark if no grey object is left
 * @h: the heap
 *
 * Called by every drainer on its way out (mark.c) and by the cycle after
 * the root scan.  Marking is complete for now when the roots are scanned,
 * no drainer is at work and the grey set is empty; the last drainer to
 * leave sees that.
 * A write barrier may still shade objects afterwards: mark termination
 * drains them with the world stopped, so a claim made a moment early
 * costs pause time, never correctness.  Any context that may take a
 * spinlock (it may queue work).
 */
void gmm_gc_mark_maybe_done(struct gmm_heap *h)
{
	s64 d0, d1;
	bool empty;

	if (READ_ONCE(h->gc.cstate) != GMM_CYCLE_MARKING ||
	    !READ_ONCE(h->gc.roots_done) || READ_ONCE(h->gc.dying))
		return;
	/* A stepped mark ends at a step, never by itself (step.c). */
	if (READ_ONCE(h->gc.step.stepping))
		return;
	/*
	 * No drainer at work when the count was read, and none begun until
	 * it was read again (the begun count did not move): so none could
	 * add a grey span while the grey set was seen empty.
	 */
	smp_mb();	/* the caller's drain (its decrement) before the reads */
	d0 = atomic64_read(&h->gc.drainers);
	smp_mb();	/* the count before the list */
	empty = llist_empty(&h->gc.grey) || GMM_MUTANT(GMM_MUT_CLAIM_EARLY);
	smp_mb();	/* the list before the count again */
	d1 = atomic64_read(&h->gc.drainers);
	if (GMM_DRAINERS(d0) || d0 != d1 || !empty)
		return;
	gmm_gc_claim_mark_done(h);
}

/*
 * The cycle's first run: sweep termination, then concurrent mark is
 * handed to the mark workers while this run scans the handles.
 */
static void gmm_gc_begin(struct gmm_heap *h, bool forced)
{
	struct gmm_cycle_trace *t = &h->gc.last;
	bool stepped;
	u64 tm;

	gmm_sweep_all(h);
	memset(t, 0, sizeof(*t));
	t->num = h->gc.num_gc + 1;
	t->forced = forced;
	t->assist_ns = atomic64_read(&h->gc.assist_ns);	/* minus, at the end */
	t->bg_ns = atomic64_read(&h->gc.bg_ns);
	t->idle_ns = atomic64_read(&h->gc.idle_ns);

	gmm_gc_sweep_termination(h, t, forced);
	WRITE_ONCE(h->gc.cstate, GMM_CYCLE_MARKING);
	gmm_gc_hold_here(h, GMM_HOLD_MARK);
	tm = ktime_get_ns();
	h->gc.mark_start_ns = tm;
	/* A stepped cycle's mark waits for steps: no workers (step.c). */
	stepped = gmm_step_cycle_begins(h, t->num);
	if (!gmm_gc_hold_skips_bg(h) && !stepped)
		gmm_mark_publish(h);
	gmm_mark_handles(h);
	t->root_ns += ktime_get_ns() - tm;
	WRITE_ONCE(h->gc.roots_done, true);
	if (gmm_gc_hold_skips_bg(h))
		gmm_gc_claim_mark_done(h);	/* termination does it all */
	else
		gmm_gc_mark_maybe_done(h);
	if (stepped)
		gmm_step_mark_ready(h);
}

/*
 * Mark termination (the second pause): drain what is left, checkmark,
 * barrier off, flush the caches so that no span is cached across the
 * sweepgen bump, bump it, set the next goal.  Returns the drain's time.
 */
static u64 gmm_gc_mark_termination(struct gmm_heap *h,
				   struct gmm_cycle_trace *t)
{
	struct gmm_stw_pause w;
	u64 tm, drain_ns, scanned0;

	gmm_stop_world(h, &w);
	gmm_set_phase(h, t->num, GMM_GC_PHASE_MARKTERM);
	scanned0 = atomic64_read(&h->gc.scanned_bytes);
	/* Workers are gone (unpublished), assists stopped with the world. */
	WARN_ON_ONCE(GMM_DRAINERS(atomic64_read(&h->gc.drainers)));
	tm = ktime_get_ns();
	if (!GMM_MUTANT(GMM_MUT_FINAL_DRAIN))
		while (gmm_mark_drain(h, LONG_MAX, 0))
			;
	drain_ns = ktime_get_ns() - tm;
	t->heap1 = atomic64_read(&h->pacer.heap_live);
	t->scanned = atomic64_read(&h->gc.scanned_bytes);
	t->term_bytes = t->scanned - scanned0;
	t->assist_ns = atomic64_read(&h->gc.assist_ns) - t->assist_ns;
	t->bg_ns = atomic64_read(&h->gc.bg_ns) - t->bg_ns;
	t->idle_ns = atomic64_read(&h->gc.idle_ns) - t->idle_ns;
	t->ncpus = num_online_cpus();
	if (gmm_gc_checkmark_on(h))
		t->checkmark_failures = gmm_checkmark(h);
	/* Marks are final: weak handles of dead objects read NULL from now
	 * on, their cleanups are due (weak.c, cleanup.c).
	 */
	gmm_weak_clear(h);
	gmm_cleanups_collect(h);
	gmm_set_phase(h, t->num, GMM_GC_PHASE_OFF);
	if (!GMM_MUTANT(GMM_MUT_CACHE_FLUSH))
		gmm_flush_caches(h);
	t->heap2 = atomic64_read(&h->gc.marked_bytes);
	WRITE_ONCE(h->sweepgen, h->sweepgen +
		   (GMM_MUTANT(GMM_MUT_SWEEPGEN_STEP1) ? 1 : 2));
	gmm_sweep_start(h);
	gmm_pacer_cycle_end(h, t);
	t->stw2_ns = gmm_start_world(h, &w, t->num, 2);
	return drain_ns;
}

/* Which GMM_GOAL_HIST bucket heap1 / goal of a cycle falls in. */
static unsigned int gmm_goal_bucket(const struct gmm_cycle_trace *t)
{
	static const u64 edge_pm[GMM_GOAL_HIST - 1] = {
		1000, 1050, 1100, 1200, 1500
	};
	u64 heap1 = min_t(u64, t->heap1, 1ULL << 50);
	unsigned int i;

	if (t->goal >= 1ULL << 50)	/* no goal (GOGC off) */
		return 0;
	for (i = 0; i < GMM_GOAL_HIST - 1; i++)
		if (heap1 * 1000 <= t->goal * edge_pm[i])
			break;
	return i;
}

/* After the cycle: CPU accounting, the record, the trace line. */
static void gmm_gc_finish(struct gmm_heap *h, struct gmm_cycle_trace *t,
			  u64 drain_ns)
{
	u64 wall;

	t->bg_ns += drain_ns;
	t->assist_bytes = atomic64_read(&h->gc.assist_bytes);
	t->bg_bytes = t->scanned - min(t->scanned, t->assist_bytes);
	h->gc.gc_cpu_ns += t->stw1_ns + t->stw2_ns + t->bg_ns + t->assist_ns;

	/*
	 * Concurrent sweep; then the cleanups of what it freed, and the
	 * scavenger keeps the new goal + 10 %.
	 */
	gmm_sweep_all(h);
	gmm_cleanups_queue(h);
	gmm_pageheap_retain(&h->pages, READ_ONCE(h->pacer.heap_goal));

	/* The GC's CPU share since the heap was made, as of this cycle. */
	wall = max_t(u64, ktime_get_ns() - h->gc.created_ns, 1);
	t->cpu_pct = div64_u64(h->gc.gc_cpu_ns * 100, wall * t->ncpus);

	spin_lock(&h->gc.lock);
	h->gc.num_gc++;
	h->gc.last_gc_real_ns = ktime_get_real_ns();
	if (t->forced)
		h->gc.num_forced++;
	else
		h->gc.goal_hist[gmm_goal_bucket(t)]++;
	h->gc.cycles[(t->num - 1) % GMM_CYCLE_RING] = *t;
	spin_unlock(&h->gc.lock);
	trace_gmm_gc_cycle_end(h->id, t->num, t->heap0, t->heap1, t->heap2,
			       t->goal, READ_ONCE(h->pacer.heap_goal),
			       t->stw1_ns, t->stw2_ns, t->mark_ns);
	if (gmm_gctrace_on())
		gmm_gctrace_print(h, t);
}

/* The cycle's second run: mark termination, sweeping, the records. */
static void gmm_gc_end(struct gmm_heap *h)
{
	struct gmm_cycle_trace *t = &h->gc.last;
	u64 drain_ns;

	gmm_gc_hold_here(h, GMM_HOLD_MARK_DONE);
	gmm_mark_unpublish(h);
	t->mark_ns = ktime_get_ns() - h->gc.mark_start_ns;
	drain_ns = gmm_gc_mark_termination(h, t);
	gmm_stw_disarm(&h->gc.stw);
	WRITE_ONCE(h->gc.cstate, GMM_CYCLE_IDLE);
	gmm_gc_finish(h, t, drain_ns);

	spin_lock(&h->gc.lock);
	h->gc.completed = h->gc.started;
	spin_unlock(&h->gc.lock);
	wake_up_all(&h->gc.done);
}

/* Take the next cycle asked for, if any; whether it was forced. */
static bool gmm_gc_take_request(struct gmm_heap *h, bool *forced)
{
	bool take;

	spin_lock(&h->gc.lock);
	take = h->gc.requested > h->gc.started;
	if (take) {
		h->gc.started++;
		*forced = h->gc.started <= h->gc.forced_upto;
	}
	spin_unlock(&h->gc.lock);
	return take;
}

/* The heap's work item: whichever run of the cycle is due. */
static void gmm_gc_work(struct work_struct *work)
{
	struct gmm_heap *h = container_of(work, struct gmm_heap, gc.work);
	bool forced;

	if (READ_ONCE(h->gc.dying))
		return;
	if (READ_ONCE(h->gc.cstate) == GMM_CYCLE_MARK_DONE)
		gmm_gc_end(h);
	if (READ_ONCE(h->gc.cstate) == GMM_CYCLE_IDLE &&
	    gmm_gc_take_request(h, &forced))
		gmm_gc_begin(h, forced);
}

/**
 * gmm_gc_trigger() - ask for a cycle (the pacer's trigger was crossed)
 * @h: the heap
 *
 * Does nothing while a cycle is in progress: heap_live stays past the
 * trigger from the moment a cycle is taken until mark termination resets
 * it, and allocations in that window must not queue a second,
 * back-to-back cycle with nothing to free.  Go checks that the collector
 * is off in the same way.  Any context that may take a spinlock.
 */
void gmm_gc_trigger(struct gmm_heap *h)
{
	struct gmm_gc *gc = &h->gc;
	bool queue = false;

	spin_lock(&gc->lock);
	if (gc->requested <= gc->started && gc->completed == gc->started) {
		gc->requested = gc->started + 1;
		queue = true;
	}
	spin_unlock(&gc->lock);
	if (queue)
		queue_work(gmm_gc_wq, &gc->work);
}

GMM_EXPORT_FOR_TESTING(gmm_gc_trigger);

/**
 * gmm_gc_request() - ask for a cycle that starts after this call
 * @h: the heap
 * @step: make it a stepped cycle (step.c): its mark waits for steps
 *
 * A cycle in progress may have started before the caller's garbage
 * existed: the cycle asked for is the next one to start.  Any context
 * that may take a spinlock.
 *
 * Return: the number of the cycle; gc.completed reaches it when it ends.
 */
u64 gmm_gc_request(struct gmm_heap *h, bool step)
{
	struct gmm_gc *gc = &h->gc;
	u64 target;

	spin_lock(&gc->lock);
	target = gc->started + 1;
	gc->requested = max(gc->requested, target);
	gc->forced_upto = max(gc->forced_upto, target);
	if (step)
		WRITE_ONCE(gc->step.cycle, target);
	spin_unlock(&gc->lock);
	queue_work(gmm_gc_wq, &gc->work);
	return target;
}

/**
 * gmm_gc() - run a full collection and wait for it (like runtime.GC())
 * @heap: the heap
 *
 * Waits for a complete cycle that started after the call - marking and
 * sweeping - so every object unreachable at the call is freed when it
 * returns.
 *
 * Context: Process context, outside any mutator section of @heap (lockdep
 * checks it); sleeps.
 *
 * Return: 0, or -EINTR when a fatal signal interrupted the wait.
 */
int gmm_gc(struct gmm_heap *heap)
{
	struct gmm_gc *gc = &heap->gc;
	u64 target;

	might_sleep();
	lockdep_assert(gmm_stw_not_held(&gc->stw));
	target = gmm_gc_request(heap, false);
	return wait_event_killable(gc->done, READ_ONCE(gc->completed) >= target);
}
EXPORT_SYMBOL_GPL(gmm_gc);

/**
 * gmm_gc_init() - set up the collector of a new heap
 * @h: the heap
 * @gc_percent: GOGC
 *
 * Return: 0 or a negative errno.
 */
int gmm_gc_init(struct gmm_heap *h, int gc_percent)
{
	int ret;

	ret = gmm_stw_init(&h->gc.stw, h->gfp);
	if (ret)
		return ret;
	INIT_WORK(&h->gc.work, gmm_gc_work);
	INIT_LIST_HEAD(&h->gc.mark_node);
	spin_lock_init(&h->gc.lock);
	init_waitqueue_head(&h->gc.done);
	init_llist_head(&h->gc.grey);
	spin_lock_init(&h->gc.grey_lock);
#if IS_ENABLED(CONFIG_KUNIT)
	init_waitqueue_head(&h->gc.hold.wait);
#endif
	gmm_step_init(h);
	h->gc.created_ns = ktime_get_ns();
	gmm_pacer_init(h, gc_percent);
	return 0;
}

/**
 * gmm_gc_destroy() - stop the heap's collector, even mid-cycle
 * @h: the heap, being destroyed: no mutator uses it any more
 *
 * Process context; sleeps until the cycle's work item and the mark
 * workers have let go of the heap.
 */
void gmm_gc_destroy(struct gmm_heap *h)
{
	WRITE_ONCE(h->gc.dying, true);
#if IS_ENABLED(CONFIG_KUNIT)
	wake_up_all(&h->gc.hold.wait);
#endif
	cancel_work_sync(&h->gc.work);
	gmm_mark_unpublish(h);
	/* A worker that found marking complete may have queued it again. */
	cancel_work_sync(&h->gc.work);
	if (h->gc.phase != GMM_GC_PHASE_OFF)
		gmm_set_phase(h, h->gc.started, GMM_GC_PHASE_OFF);
	gmm_stw_destroy(&h->gc.stw);
}

/**
 * gmm_gc_module_init() - the workqueue of the cycles and the mark workers
 *
 * Return: 0 or a negative errno.
 */
int gmm_gc_module_init(void)
{
	int ret;

	gmm_gc_wq = alloc_workqueue("gmm_gc", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	if (!gmm_gc_wq)
		return -ENOMEM;
	ret = gmm_mark_workers_init();
	if (ret)
		destroy_workqueue(gmm_gc_wq);
	return ret;
}

/**
 * gmm_gc_module_exit() - stop them; no heap exists any more
 */
void gmm_gc_module_exit(void)
{
	gmm_mark_workers_exit();
	destroy_workqueue(gmm_gc_wq);
	rcu_barrier();	/* arming callbacks (stw.c) are module code */
}
