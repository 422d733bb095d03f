// SPDX-License-Identifier: GPL-2.0
/*
 * pacer.c - when to collect, and how much mutators must help (Go's
 * mgcpacer.go, the 1.18+ design).
 *
 * heap_live counts the bytes handed to allocation since the last mark
 * termination on top of what that cycle marked: a whole span's free slots
 * are counted when a per-CPU cache takes the span (so the fast path never
 * touches it), a large object when it is allocated.  With GOGC =
 * gc_percent:
 *
 *   goal    = max(marked * (1 + gc_percent / 100), GMM_MIN_HEAP)
 *   goal    = min(goal, 95 % of the heap's memory limit)   (soft limit)
 *
 * The trigger comes from a model of the last cycles (Go's cons/mark).
 * cons/mark is the mutators' allocation rate over the collector's scan
 * rate, each per CPU-second, measured at every mark termination:
 *
 *   cons/mark = (heap1 - heap0) * (u + u_idle) / (scanned * (1 - u))
 *
 * u is the share of the CPUs the mark workers and assists used during
 * mark, u_idle that of the idle-priority workers.  The pacer keeps the
 * largest of the last four measurements (Go 1.21+: a noisy measurement
 * errs toward an earlier start rather than toward assists).  The runway
 * is what mutators allocate while a collector at 25 % of the CPUs scans
 * what the last cycle scanned:
 *
 *   runway  = cons/mark * (1 - 0.25) / 0.25 * last_scanned
 *   trigger = goal - runway, clamped to marked + [45/64, 61/64] of the
 *             distance goal - marked (the upper end no lower than
 *             goal - 4 MiB on big heaps); the first cycle at 7/8
 *
 * Assists (Go's revise()): each assist recomputes scan work owed per byte
 * allocated from where the cycle is now:
 *
 *   ratio = (expected scan - scanned so far) / (goal - heap_live)
 *
 * with expected = last_scanned.  When the cycle has scanned more than
 * expected, expected becomes heap_live (all of it may be live) and the
 * runway stretches to the hard goal, goal * 1.1; so it does once heap_live
 * is past the goal.  Past the hard goal assists are strict: an allocating
 * mutator drains grey objects until none is left.  Work done by the mark
 * workers is also credit that assists take first (Go's bgScanCredit).
 *
 * Arming: stopping the world needs one RCU grace period to switch the
 * mutators' fast path off (stw.c).  The pacer starts it at arm_at, early
 * enough that it is over when heap_live reaches the trigger: arm_dist is
 * twice what mutators allocated during the last arming's grace period
 * (EWMA), doubled whenever a stop still had to wait for it.
 * Documentation/design.rst has more.
 */
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/overflow.h>

#include "heap.h"
#include "internal.h"
#include "mark.h"
#include "pacer.h"

#define GMM_MIN_HEAP		(4ULL << 20)	/* Go's heapMinimum */

/*
 * @a * @mul / @div, saturating at U64_MAX (x86's mul_u64_u32_div() would
 * trap on a quotient over 64 bits): q * mul + r * mul / div with
 * a = q * div + r, where r * mul / div < mul always fits.
 */
static u64 gmm_mul_frac(u64 a, u32 mul, u32 div)
{
	u32 r;
	u64 q = div_u64_rem(a, div, &r), res;

	if (check_mul_overflow(q, (u64)mul, &res) ||
	    check_add_overflow(res, div_u64((u64)r * mul, div), &res))
		return U64_MAX;
	return res;
}

/* The trigger inside its bounds for a goal above @marked. */
static u64 gmm_pacer_trigger(struct gmm_pacer *p, u64 marked, u64 goal)
{
	u64 d = goal - marked, lo, hi, runway, trig;

	if (!p->last_scanned)	/* no model yet: Go's first trigger */
		return marked + gmm_mul_frac(d, 7, 8);
	lo = marked + gmm_mul_frac(d, 45, 64);
	hi = marked + gmm_mul_frac(d, 61, 64);
	if (goal > GMM_MIN_HEAP && goal - GMM_MIN_HEAP > hi)
		hi = goal - GMM_MIN_HEAP;
	runway = gmm_mul_frac(gmm_mul_frac(p->last_scanned, 3, 1),
			      min_t(u64, p->cons_mark, U32_MAX), 1U << 16);
	trig = goal > runway ? goal - runway : 0;
	return clamp(trig, lo, hi);
}

/*
 * Goal, trigger and arming point from heap_marked, GOGC, the limit and
 * the model.  Every input may be as large as user space can make it (a
 * memory limit near 2^64, GOGC up to GMM_UAPI_GC_PERCENT_MAX): products go
 * through gmm_mul_frac() and sums saturate, so the goal only ever rounds
 * towards "no limit", never wraps to 0.  Caller holds p->lock.
 */
static void gmm_pacer_update(struct gmm_heap *h)
{
	struct gmm_pacer *p = &h->pacer;
	u64 marked = p->heap_marked, goal, limit, trig;

	lockdep_assert_held(&p->lock);
	if (p->gc_percent < 0) {
		goal = U64_MAX;
	} else if (check_add_overflow(marked,
				      gmm_mul_frac(marked, p->gc_percent, 100),
				      &goal)) {
		goal = U64_MAX;
	}
	if (p->gc_percent >= 0)
		goal = max(goal, GMM_MIN_HEAP);
	limit = READ_ONCE(h->pages.limit_bytes);
	if (limit)
		goal = min(goal, gmm_mul_frac(limit, 95, 100));
	WRITE_ONCE(p->heap_goal, goal);
	if (goal == U64_MAX)
		trig = U64_MAX;
	else if (goal <= marked)
		trig = marked;	/* over the limit: at once */
	else
		trig = gmm_pacer_trigger(p, marked, goal);
	WRITE_ONCE(p->trigger, trig);
	WRITE_ONCE(p->arm_at, trig == U64_MAX ? U64_MAX :
		   max(marked, trig > p->arm_dist ? trig - p->arm_dist : 0));
}

/**
 * gmm_pacer_init() - set up the pacer of a new heap
 * @h: the heap
 * @gc_percent: GOGC (-1 = off)
 */
void gmm_pacer_init(struct gmm_heap *h, int gc_percent)
{
	spin_lock_init(&h->pacer.lock);
	h->pacer.gc_percent = gc_percent;
	atomic64_set(&h->pacer.heap_live, 0);
	h->pacer.heap_marked = 0;
	h->pacer.arm_dist = U64_MAX;	/* until measured: arm at once */
	spin_lock(&h->pacer.lock);
	gmm_pacer_update(h);
	spin_unlock(&h->pacer.lock);
}

/*
 * After a change of GOGC or the limit: start a cycle if heap_live is past
 * the new trigger already.  Unlike gmm_pacer_note_alloc() it never makes
 * the caller assist, so it is safe outside mutator sections.
 */
static void gmm_pacer_poke(struct gmm_heap *h)
{
	if (READ_ONCE(h->gc.phase) == GMM_GC_PHASE_OFF &&
	    atomic64_read(&h->pacer.heap_live) >= READ_ONCE(h->pacer.trigger))
		gmm_gc_trigger(h);
}

/**
 * gmm_set_gc_percent() - change GOGC of a heap (like debug.SetGCPercent)
 * @heap: the heap
 * @gc_percent: new value, -1 (off) or 0 and up
 *
 * Takes effect at once, also in the middle of a cycle (the pacer has a
 * lock of its own; nothing waits for the cycle).  Call outside mutator
 * sections or inside one; process context; does not sleep, except that
 * crossing the new trigger may wake the collector.
 *
 * Context: Process context, inside or outside a mutator section; does not
 * sleep (crossing the new trigger queues the collector): spinlocks may be
 * held.
 *
 * Return: the previous value, or -EINVAL.
 */
int gmm_set_gc_percent(struct gmm_heap *heap, int gc_percent)
{
	int old;

	if (gc_percent < -1)
		return -EINVAL;
	spin_lock(&heap->pacer.lock);
	old = heap->pacer.gc_percent;
	WRITE_ONCE(heap->pacer.gc_percent, gc_percent);
	gmm_pacer_update(heap);
	spin_unlock(&heap->pacer.lock);
	gmm_pacer_poke(heap);
	return old;
}
EXPORT_SYMBOL_GPL(gmm_set_gc_percent);

/**
 * gmm_set_memory_limit() - change the heap's memory limit
 * @heap: the heap
 * @limit_bytes: new limit, 0 = none but the module-wide one
 *
 * The limit is hard for the page heap (allocation fails beyond it) and
 * soft for the pacer (the goal stays under 95 % of it, like GOMEMLIMIT).
 * Any value is safe: the pacer's arithmetic saturates.  Takes effect at
 * once, also during a cycle; process context; does not sleep, except that
 * crossing the new trigger may wake the collector.
 *
 * Context: Process context, inside or outside a mutator section; does not
 * sleep (crossing the new trigger queues the collector): spinlocks may be
 * held.
 */
void gmm_set_memory_limit(struct gmm_heap *heap, u64 limit_bytes)
{
	gmm_pageheap_set_limit(&heap->pages, limit_bytes);
	spin_lock(&heap->pacer.lock);
	gmm_pacer_update(heap);
	spin_unlock(&heap->pacer.lock);
	gmm_pacer_poke(heap);
}
EXPORT_SYMBOL_GPL(gmm_set_memory_limit);

/* gmm_pacer_note_alloc(), with or without the assist. */
static void __gmm_pacer_note_alloc(struct gmm_heap *h, u64 bytes,
				   bool assist)
{
	u64 live = atomic64_add_return(bytes, &h->pacer.heap_live);

	if (READ_ONCE(h->gc.phase) == GMM_GC_PHASE_MARK) {
		if (assist)
			gmm_assist(h, bytes);
		return;
	}
	if (live >= READ_ONCE(h->pacer.arm_at))
		gmm_stw_arm(&h->gc.stw);
	if (live >= READ_ONCE(h->pacer.trigger))
		gmm_gc_trigger(h);
}

/**
 * gmm_pacer_note_alloc() - account bytes handed to allocation
 * @h: the heap
 * @bytes: a span's free bytes when a cache takes it, or a large object
 *
 * Arms the world's stop when heap_live crosses arm_at and starts a cycle
 * when it crosses the trigger; while marking, makes the caller assist.
 * Called from the allocation slow path, in a mutator section.
 */
void gmm_pacer_note_alloc(struct gmm_heap *h, u64 bytes)
{
	__gmm_pacer_note_alloc(h, bytes, true);
}

/**
 * gmm_pacer_note_alloc_nowait() - gmm_pacer_note_alloc() without an assist
 * @h: the heap
 * @bytes: as for gmm_pacer_note_alloc()
 *
 * For gmm_alloc_nowait(): the bytes count toward heap_live (so the next
 * assists, computed from it, owe their scan work) and may arm the stop or
 * trigger a cycle, none of which sleeps.  Any context that may take a
 * spinlock.
 */
void gmm_pacer_note_alloc_nowait(struct gmm_heap *h, u64 bytes)
{
	__gmm_pacer_note_alloc(h, bytes, false);
}

/**
 * gmm_pacer_assist_work() - scan work an allocation owes (Go's revise())
 * @h: the heap, marking
 * @alloc_bytes: bytes just allocated
 * @strict: out: heap_live is past the hard goal; drain all there is
 *
 * Any context; lock-free (reads the pacer's fields with READ_ONCE()).
 *
 * Return: bytes of scan work owed, LONG_MAX when strict.
 */
long gmm_pacer_assist_work(struct gmm_heap *h, u64 alloc_bytes, bool *strict)
{
	struct gmm_pacer *p = &h->pacer;
	u64 live = atomic64_read(&p->heap_live);
	u64 done = atomic64_read(&h->gc.scanned_bytes);
	u64 goal = READ_ONCE(p->heap_goal), hard, expected, work, heap, ratio;

	hard = goal + gmm_mul_frac(goal, 1, 10);
	hard = max(hard, goal);		/* saturated */
	*strict = live >= hard;
	if (*strict)
		return LONG_MAX;
	expected = READ_ONCE(p->scan_expected);
	if (done >= expected || live >= goal) {
		/* More to scan than the model said: assume all of it is
		 * live, and stretch the runway to the hard goal.
		 */
		expected = max(expected, live);
		goal = hard;
	}
	work = max_t(u64, expected > done ? expected - done : 0, 1000);
	heap = max_t(u64, goal > live ? goal - live : 0, 1);
	ratio = div64_u64(min_t(u64, work, U64_MAX >> 16) << 16, heap);
	WRITE_ONCE(p->assist_ratio, ratio);
	if (check_mul_overflow(alloc_bytes, ratio, &work))
		return LONG_MAX;
	return (long)min_t(u64, work >> 16, LONG_MAX);
}

GMM_EXPORT_FOR_TESTING(gmm_pacer_assist_work);

/**
 * gmm_pacer_cycle_start() - note where a starting cycle stands
 * @h: the heap; the world is stopped
 * @arm_wait_ns: how long this stop waited for arming (0: armed in time)
 *
 * Sets what the cycle expects to scan and learns how early to arm the
 * next stop.
 */
void gmm_pacer_cycle_start(struct gmm_heap *h, u64 arm_wait_ns)
{
	struct gmm_pacer *p = &h->pacer;
	u64 live = atomic64_read(&p->heap_live), now = ktime_get_ns();
	u64 gp_ns = READ_ONCE(h->gc.stw.armed_ns) - READ_ONCE(h->gc.stw.arm_ns);
	u64 dt = max_t(u64, now - p->last_end_ns, 1), bytes, arm;

	spin_lock(&p->lock);
	p->triggered = live;
	/* First cycle: expect half of what is allocated to be scanned. */
	p->scan_expected = p->last_scanned ?: max_t(u64, live / 2, 1);
	/* Bytes allocated during the arming's grace period, at the mean rate
	 * since the last cycle, twice over.
	 */
	bytes = live > p->heap_marked ? live - p->heap_marked : 0;
	arm = 2 * min_t(u64, div64_u64(bytes, max_t(u64, dt / 1024, 1)) *
			min_t(u64, gp_ns / 1024, U32_MAX), U64_MAX / 4);
	if (p->arm_dist == U64_MAX)
		p->arm_dist = arm;
	else
		p->arm_dist = (3 * min(p->arm_dist, U64_MAX / 4) + arm) / 4;
	if (arm_wait_ns)
		p->arm_dist = max(2 * min(p->arm_dist, U64_MAX / 4),
				  (u64)GMM_PAGE_SIZE * 32);
	spin_unlock(&p->lock);
}

/*
 * One measurement of cons/mark from a finished mark phase (16.16 fixed
 * point), or 0 when the cycle scanned too little to tell.
 */
u64 gmm_pacer_cons_mark(const struct gmm_cycle_trace *t)
{
	u64 cpu_ns = max_t(u64, t->mark_ns * max(t->ncpus, 1U), 1);
	u64 u, ui, num, den;

	if (t->heap1 <= t->heap0 || t->scanned < GMM_PAGE_SIZE)
		return 0;
	u = min_t(u64, div64_u64((t->bg_ns + t->assist_ns) * 1000, cpu_ns), 900);
	ui = min_t(u64, div64_u64(t->idle_ns * 1000, cpu_ns), 1000 - u);
	num = min_t(u64, t->heap1 - t->heap0, 1ULL << 44) * (u + ui);
	den = min_t(u64, t->scanned, 1ULL << 44) * (1000 - u);
	return min_t(u64, div64_u64(num, max_t(u64, den >> 16, 1)), U32_MAX);
}

GMM_EXPORT_FOR_TESTING(gmm_pacer_cons_mark);

/**
 * gmm_pacer_cycle_end() - learn from a cycle, set the next goal and trigger
 * @h: the heap; the world is stopped (mark termination)
 * @t: the cycle: heap0/heap1/heap2, scanned, the mark phase's times
 */
void gmm_pacer_cycle_end(struct gmm_heap *h, const struct gmm_cycle_trace *t)
{
	struct gmm_pacer *p = &h->pacer;
	u64 cm = gmm_pacer_cons_mark(t);
	unsigned int i;

	spin_lock(&p->lock);
	if (cm) {
		p->cons_hist[p->cons_idx++ % GMM_CONS_HIST] = cm;
		p->cons_mark = 0;
		for (i = 0; i < GMM_CONS_HIST; i++)
			p->cons_mark = max(p->cons_mark, p->cons_hist[i]);
	}
	if (t->scanned)
		p->last_scanned = t->scanned;
	p->heap_marked = t->heap2;
	atomic64_set(&p->heap_live, t->heap2);
	WRITE_ONCE(p->assist_ratio, 0);
	p->last_end_ns = ktime_get_ns();
	gmm_pacer_update(h);
	spin_unlock(&p->lock);
}
