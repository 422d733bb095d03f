// SPDX-License-Identifier: GPL-2.0
/*
 * gc.c - the collection cycle (Go's mgc.go): stop-the-world, the per-heap
 * GC kthread, triggering, gmm_gc(), pause and cycle records, gctrace.
 *
 * Each heap has a kthread gmm_gc/<id> that sleeps until a cycle is asked
 * for - by the pacer when heap_live crosses the trigger, or by gmm_gc() -
 * and then runs it (see gc.h for the phases):
 *
 *   finish sweeping the previous cycle
 *   STW 1: reset tiny blocks, pacer start, barrier + allocate-black on,
 *          scan root slots and scope locals
 *   concurrent mark: scan the handle table (barriered, roots.c), drain
 *          grey objects, paced to 25 % of the CPUs
 *   STW 2: drain the rest, checkmark (optional), barrier off, flush the
 *          per-CPU caches, sweepgen += 2, pacer end
 *   concurrent sweep, gctrace line, wake gmm_gc() waiters
 *
 * Stopping the world is percpu_down_write() on the heap's mutator-section
 * semaphore: it waits until no mutator of this heap is inside a section and
 * keeps new ones out; other heaps run on.  Each pause is measured from the
 * moment the world is stopped to the restart and kept in a 256-entry ring.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/percpu-rwsem.h>
#include <linux/sched.h>

#include "heap.h"
#include "internal.h"
#include "mutant.h"
#include "trace.h"

static bool gctrace;
module_param(gctrace, bool, 0644);
MODULE_PARM_DESC(gctrace, "print one line per GC cycle, like GODEBUG=gctrace=1");

static bool checkmark;
module_param(checkmark, bool, 0644);
MODULE_PARM_DESC(checkmark,
		 "verify every mark with a stop-the-world re-mark, like GODEBUG=gccheckmark=1");

/* Scan budget of one background slice, bytes. */
#define GMM_BG_SLICE		(256 << 10)

/**
 * gmm_mutator_enter() - begin a mutator section
 * @heap: the heap
 *
 * Inside a section the caller may allocate, load and store heap pointers
 * and keep them in C locals; the collector stops the world only between
 * sections.  Sections may sleep; they must not nest, and gmm_gc() must not
 * be called inside one.
 */
void gmm_mutator_enter(struct gmm_heap *heap)
{
	percpu_down_read(&heap->gc.stw);
}
EXPORT_SYMBOL_GPL(gmm_mutator_enter);

/**
 * gmm_mutator_exit() - end a mutator section
 * @heap: the heap
 */
void gmm_mutator_exit(struct gmm_heap *heap)
{
	percpu_up_read(&heap->gc.stw);
}
EXPORT_SYMBOL_GPL(gmm_mutator_exit);

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
 */
void gmm_store_ptr(struct gmm_heap *heap, void *slot, void *value)
{
	void **p = slot;

	lockdep_assert(percpu_rwsem_is_held(&heap->gc.stw));
	if (unlikely(READ_ONCE(heap->gc.phase) != GMM_GC_OFF) &&
	    likely(!gmm_barrier_disabled)) {
		if (!GMM_MUTANT(GMM_MUT_DELETION_SHADE))
			gmm_shade(heap, READ_ONCE(*p));	/* deletion (Yuasa) */
		if (!GMM_MUTANT(GMM_MUT_INSERTION_SHADE))
			gmm_shade(heap, value);		/* insertion (Dijkstra) */
	}
	WRITE_ONCE(*p, value);
}
EXPORT_SYMBOL_GPL(gmm_store_ptr);

/* One stop-the-world pause: when the world stopped, how long that took. */
struct gmm_stw {
	u64 t0;
	u64 latency_ns;
};

/*
 * percpu_down_write() first waits for an RCU grace period while mutators
 * still run, then blocks new sections and waits for the ones in flight.
 * The pause is counted from when it returns; the time it took (the stop
 * latency, mostly that grace period) is kept apart.
 */
static void gmm_stop_world(struct gmm_heap *h, struct gmm_stw *w)
{
	u64 req = ktime_get_ns();

	percpu_down_write(&h->gc.stw);
	w->t0 = ktime_get_ns();
	w->latency_ns = w->t0 - req;
	h->gc.stop_latency_max_ns = max(h->gc.stop_latency_max_ns,
					w->latency_ns);
}

/* Restart the world; @pause 1 or 2 of cycle @num.  Returns its length. */
static u64 gmm_start_world(struct gmm_heap *h, const struct gmm_stw *w,
			   u64 num, int pause)
{
	u64 d;

	percpu_up_write(&h->gc.stw);
	d = ktime_get_ns() - w->t0;
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

/* Background marking at 25 % of the CPUs: one kthread works all the time
 * on 4+ CPUs, and a matching fraction of the time on fewer.
 */
static void gmm_mark_background(struct gmm_heap *h, u64 *bg_ns)
{
	unsigned int ncpus = num_online_cpus();

	for (;;) {
		u64 t0 = ktime_get_ns(), d;
		long done = gmm_mark_drain(h, GMM_BG_SLICE);

		d = ktime_get_ns() - t0;
		*bg_ns += d;
		if (kthread_should_stop())
			return;
		if (!done) {
			/* Mark is over only when no assist holds grey spans
			 * in its private chain either.
			 */
			if (!atomic_read(&h->gc.drainers) &&
			    llist_empty(&h->gc.grey))
				return;
			usleep_range(50, 100);
			continue;
		}
		if (ncpus < 4) {
			/* duty = ncpus / 4: sleep d * (4 / ncpus - 1) */
			u64 sleep_us = div_u64(d * (4 - ncpus), ncpus * 1000ULL);

			if (sleep_us)
				usleep_range(sleep_us, sleep_us + sleep_us / 4 + 10);
		}
	}
}

/**
 * gmm_gctrace_format() - one cycle as a gctrace line
 * @buf: where the line goes, without a newline
 * @size: size of @buf; GMM_GCTRACE_LEN is always enough
 * @t: the cycle's record
 *
 * The format of Go's GODEBUG=gctrace=1, used by the gctrace=1 printk and
 * by the heap's debugfs file gctrace.
 *
 * Return: the length of the line, as snprintf().
 */
int gmm_gctrace_format(char *buf, size_t size, const struct gmm_cycle_trace *t)
{
	/* Go: gc N @Ts P%: a+b+c ms clock, x+ya/yb/yc+z ms cpu,
	 *     h0->h1->h2 MB, G MB goal, N P
	 */
	return snprintf(buf, size,
		"gc %llu @%llu.%03llus %u%%: %llu.%03llu+%llu.%03llu+%llu.%03llu ms clock, %llu.%03llu+%llu.%03llu/%llu.%03llu/0+%llu.%03llu ms cpu, %llu.%01llu->%llu.%01llu->%llu.%01llu MB, %llu.%01llu MB goal, %u P%s",
		t->num, t->since_start_ns / NSEC_PER_SEC,
		(t->since_start_ns / NSEC_PER_MSEC) % 1000, t->cpu_pct,
		t->stw1_ns / NSEC_PER_MSEC, (t->stw1_ns / NSEC_PER_USEC) % 1000,
		t->mark_ns / NSEC_PER_MSEC, (t->mark_ns / NSEC_PER_USEC) % 1000,
		t->stw2_ns / NSEC_PER_MSEC, (t->stw2_ns / NSEC_PER_USEC) % 1000,
		t->stw1_ns / NSEC_PER_MSEC, (t->stw1_ns / NSEC_PER_USEC) % 1000,
		t->assist_ns / NSEC_PER_MSEC, (t->assist_ns / NSEC_PER_USEC) % 1000,
		t->bg_ns / NSEC_PER_MSEC, (t->bg_ns / NSEC_PER_USEC) % 1000,
		t->stw2_ns / NSEC_PER_MSEC, (t->stw2_ns / NSEC_PER_USEC) % 1000,
		t->heap0 >> 20, ((t->heap0 >> 10) & 1023) * 10 / 1024,
		t->heap1 >> 20, ((t->heap1 >> 10) & 1023) * 10 / 1024,
		t->heap2 >> 20, ((t->heap2 >> 10) & 1023) * 10 / 1024,
		t->goal >> 20, ((t->goal >> 10) & 1023) * 10 / 1024,
		t->ncpus, t->forced ? " (forced)" : "");
}

GMM_EXPORT_FOR_TESTING(gmm_gctrace_format);

static void gmm_gctrace(struct gmm_heap *h, const struct gmm_cycle_trace *t)
{
	char line[GMM_GCTRACE_LEN];

	gmm_gctrace_format(line, sizeof(line), t);
	pr_info("%s: %s\n", h->name, line);
}

/**
 * gmm_gc_read_cycles() - copy the recent cycle records of a heap
 * @h: the heap
 * @out: room for GMM_CYCLE_RING records
 *
 * Oldest first.  The copy is consistent: records are published under
 * gc.lock.
 *
 * Return: the number of records copied.
 */
unsigned int gmm_gc_read_cycles(struct gmm_heap *h, struct gmm_cycle_trace *out)
{
	unsigned int n, i;
	u64 num;

	spin_lock(&h->gc.lock);
	num = h->gc.num_gc;
	n = min_t(u64, num, GMM_CYCLE_RING);
	for (i = 0; i < n; i++)
		out[i] = h->gc.cycles[(num - n + i) % GMM_CYCLE_RING];
	spin_unlock(&h->gc.lock);
	return n;
}

GMM_EXPORT_FOR_TESTING(gmm_gc_read_cycles);

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

/**
 * gmm_gctrace_on() - whether the gctrace=1 printk is on
 *
 * Return: the module parameter gctrace.
 */
bool gmm_gctrace_on(void)
{
	return READ_ONCE(gctrace);
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
		   kthread_should_stop());
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
	struct gmm_stw w;
	u64 tm;

	gmm_stop_world(h, &w);
	t->start_ns = w.t0;
	t->since_start_ns = w.t0 - h->gc.created_ns;
	gmm_sweep_all(h);	/* whatever lazy sweeping left (nothing, normally) */
	/* A tiny block taken before the cycle is white: objects carved from
	 * it during mark would not be allocated black.
	 */
	if (!GMM_MUTANT(GMM_MUT_TINY_RESET))
		gmm_cache_reset_tiny(h);
	atomic64_set(&h->gc.marked_bytes, 0);
	atomic64_set(&h->gc.scanned_bytes, 0);
	atomic64_set(&h->gc.assist_bytes, 0);
	t->heap0 = atomic64_read(&h->pacer.heap_live);
	t->goal = h->pacer.heap_goal;
	trace_gmm_gc_cycle_start(h->id, t->num, t->heap0, t->goal,
				 h->pacer.trigger, forced);
	gmm_pacer_cycle_start(h);
	gmm_set_phase(h, t->num, GMM_GC_MARK);
	tm = ktime_get_ns();
	gmm_mark_roots_stw(h);
	t->root_ns = ktime_get_ns() - tm;
	t->stw1_ns = gmm_start_world(h, &w, t->num, 1);
}

/* Concurrent mark: the handles first (they are barriered), then the grey
 * objects.  Returns the background marking time.
 */
static u64 gmm_gc_mark(struct gmm_heap *h, struct gmm_cycle_trace *t)
{
	u64 tm, bg_ns = 0;

	gmm_gc_hold_here(h, GMM_HOLD_MARK);
	tm = ktime_get_ns();
	gmm_mark_handles(h);
	t->root_ns += ktime_get_ns() - tm;
	if (!gmm_gc_hold_skips_bg(h))
		gmm_mark_background(h, &bg_ns);
	gmm_gc_hold_here(h, GMM_HOLD_MARK_DONE);
	t->mark_ns = ktime_get_ns() - tm;
	return bg_ns;
}

/*
 * Mark termination (the second pause): drain what is left, checkmark,
 * barrier off, flush the caches so that no span is cached across the
 * sweepgen bump, bump it, set the next goal.  Returns the drain's time.
 */
static u64 gmm_gc_mark_termination(struct gmm_heap *h,
				   struct gmm_cycle_trace *t)
{
	struct gmm_stw w;
	u64 tm, drain_ns;

	gmm_stop_world(h, &w);
	gmm_set_phase(h, t->num, GMM_GC_MARKTERM);
	tm = ktime_get_ns();
	if (!GMM_MUTANT(GMM_MUT_FINAL_DRAIN))
		while (gmm_mark_drain(h, LONG_MAX))
			;
	drain_ns = ktime_get_ns() - tm;
	t->heap1 = atomic64_read(&h->pacer.heap_live);
	if (gmm_gc_checkmark_on(h))
		t->checkmark_failures = gmm_checkmark(h);
	gmm_set_phase(h, t->num, GMM_GC_OFF);
	if (!GMM_MUTANT(GMM_MUT_CACHE_FLUSH))
		gmm_flush_caches(h);
	t->heap2 = atomic64_read(&h->gc.marked_bytes);
	WRITE_ONCE(h->sweepgen, h->sweepgen +
		   (GMM_MUTANT(GMM_MUT_SWEEPGEN_STEP1) ? 1 : 2));
	gmm_sweep_start(h);
	gmm_pacer_cycle_end(h, t->heap2);
	t->stw2_ns = gmm_start_world(h, &w, t->num, 2);
	return drain_ns;
}

/* After the cycle: CPU accounting, the record, the trace line. */
static void gmm_gc_finish(struct gmm_heap *h, struct gmm_cycle_trace *t,
			  u64 bg_ns, u64 assist0)
{
	u64 wall;

	t->bg_ns = bg_ns;
	t->assist_ns = atomic64_read(&h->gc.assist_ns) - assist0;
	t->assist_bytes = atomic64_read(&h->gc.assist_bytes);
	t->bg_bytes = atomic64_read(&h->gc.scanned_bytes) - t->assist_bytes;
	h->gc.gc_cpu_ns += t->stw1_ns + t->stw2_ns + bg_ns + t->assist_ns;

	/* Concurrent sweep. */
	gmm_sweep_all(h);

	/* The GC's CPU share since the heap was made, as of this cycle. */
	t->ncpus = num_online_cpus();
	wall = max_t(u64, ktime_get_ns() - h->gc.created_ns, 1);
	t->cpu_pct = div64_u64(h->gc.gc_cpu_ns * 100, wall * t->ncpus);

	spin_lock(&h->gc.lock);
	h->gc.num_gc++;
	if (t->forced)
		h->gc.num_forced++;
	h->gc.cycles[(t->num - 1) % GMM_CYCLE_RING] = *t;
	spin_unlock(&h->gc.lock);
	trace_gmm_gc_cycle_end(h->id, t->num, t->heap0, t->heap1, t->heap2,
			       t->goal, READ_ONCE(h->pacer.heap_goal),
			       t->stw1_ns, t->stw2_ns, t->mark_ns);
	if (READ_ONCE(gctrace))
		gmm_gctrace(h, t);
}

/* One whole cycle, after Go's phases.  Called by the kthread with
 * cycle_lock held.
 */
static void gmm_gc_cycle(struct gmm_heap *h, bool forced)
{
	struct gmm_cycle_trace *t = &h->gc.last;
	u64 bg_ns, assist0;

	gmm_sweep_all(h);
	memset(t, 0, sizeof(*t));
	t->num = h->gc.num_gc + 1;
	t->forced = forced;
	assist0 = atomic64_read(&h->gc.assist_ns);

	gmm_gc_sweep_termination(h, t, forced);
	bg_ns = gmm_gc_mark(h, t);
	bg_ns += gmm_gc_mark_termination(h, t);
	gmm_gc_finish(h, t, bg_ns, assist0);
}

static int gmm_gc_thread(void *arg)
{
	struct gmm_heap *h = arg;
	struct gmm_gc *gc = &h->gc;

	while (!kthread_should_stop()) {
		bool forced;

		wait_event_interruptible(gc->wake, kthread_should_stop() ||
					 READ_ONCE(gc->requested) >
					 READ_ONCE(gc->started));
		if (kthread_should_stop())
			break;
		mutex_lock(&gc->cycle_lock);
		spin_lock(&gc->lock);
		gc->started++;
		forced = gc->started <= gc->forced_upto;
		spin_unlock(&gc->lock);

		gmm_gc_cycle(h, forced);

		spin_lock(&gc->lock);
		gc->completed = gc->started;
		spin_unlock(&gc->lock);
		mutex_unlock(&gc->cycle_lock);
		wake_up_all(&gc->done);
	}
	/* Heap destruction: leave no marking state behind. */
	if (gc->phase != GMM_GC_OFF)
		gmm_set_phase(h, gc->started, GMM_GC_OFF);
	return 0;
}

/**
 * gmm_gc_trigger() - ask for a cycle (the pacer's trigger was crossed)
 * @h: the heap
 *
 * Does nothing while a cycle is in progress: heap_live stays past the
 * trigger from the moment the GC thread takes a request until mark
 * termination resets it, and allocations in that window (the first
 * pause's grace period above all) must not queue a second, back-to-back
 * cycle with nothing to free.  Go checks that the collector is off in
 * the same way.  Any context that may take a spinlock.
 */
void gmm_gc_trigger(struct gmm_heap *h)
{
	struct gmm_gc *gc = &h->gc;
	bool wake = false;

	spin_lock(&gc->lock);
	if (gc->requested <= gc->started && gc->completed == gc->started) {
		gc->requested = gc->started + 1;
		wake = true;
	}
	spin_unlock(&gc->lock);
	if (wake)
		wake_up(&gc->wake);
}

GMM_EXPORT_FOR_TESTING(gmm_gc_trigger);

/**
 * gmm_gc() - run a full collection and wait for it (like runtime.GC())
 * @heap: the heap
 *
 * Waits for a complete cycle that started after the call - marking and
 * sweeping - so every object unreachable at the call is freed when it
 * returns.  Call outside any mutator section.  Process context; sleeps.
 *
 * Return: 0, or -EINTR when a fatal signal interrupted the wait.
 */
int gmm_gc(struct gmm_heap *heap)
{
	struct gmm_gc *gc = &heap->gc;
	u64 target;

	might_sleep();
	spin_lock(&gc->lock);
	/* A cycle in progress may have started before our garbage existed:
	 * wait for the next one to start.
	 */
	target = gc->started + 1;
	gc->requested = max(gc->requested, target);
	gc->forced_upto = max(gc->forced_upto, target);
	spin_unlock(&gc->lock);
	wake_up(&gc->wake);
	return wait_event_killable(gc->done, READ_ONCE(gc->completed) >= target);
}
EXPORT_SYMBOL_GPL(gmm_gc);

/**
 * gmm_gc_init() - set up the collector of a new heap and start its kthread
 * @h: the heap
 * @gc_percent: GOGC
 *
 * Return: 0 or a negative errno.
 */
int gmm_gc_init(struct gmm_heap *h, int gc_percent)
{
	struct task_struct *t;
	int ret;

	ret = percpu_init_rwsem(&h->gc.stw);
	if (ret)
		return ret;
	mutex_init(&h->gc.cycle_lock);
	spin_lock_init(&h->gc.lock);
	init_waitqueue_head(&h->gc.wake);
	init_waitqueue_head(&h->gc.done);
	init_llist_head(&h->gc.grey);
#if IS_ENABLED(CONFIG_KUNIT)
	init_waitqueue_head(&h->gc.hold.wait);
#endif
	h->gc.created_ns = ktime_get_ns();
	gmm_pacer_init(h, gc_percent);

	t = kthread_run(gmm_gc_thread, h, "gmm_gc/%u", h->id);
	if (IS_ERR(t)) {
		percpu_free_rwsem(&h->gc.stw);
		return PTR_ERR(t);
	}
	get_task_struct(t);
	h->gc.thread = t;
	return 0;
}

/**
 * gmm_gc_destroy() - stop the heap's GC kthread, even mid-cycle
 * @h: the heap, being destroyed: no mutator uses it any more
 */
void gmm_gc_destroy(struct gmm_heap *h)
{
	if (h->gc.thread) {
		kthread_stop(h->gc.thread);
		put_task_struct(h->gc.thread);
		h->gc.thread = NULL;
	}
	percpu_free_rwsem(&h->gc.stw);
}
