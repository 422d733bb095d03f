// SPDX-License-Identifier: GPL-2.0
/*
 * pacer.c - when to collect, and how much mutators must help (Go's
 * mgcpacer.go, simplified).
 *
 * heap_live counts the bytes handed to allocation since the last mark
 * termination on top of what that cycle marked: a whole span's free slots
 * are counted when a per-CPU cache takes the span (so the fast path never
 * touches it), a large object when it is allocated.  With GOGC =
 * gc_percent:
 *
 *   goal    = max(marked * (1 + gc_percent / 100), GMM_MIN_HEAP)
 *   goal    = min(goal, 95 % of the heap's memory limit)   (soft limit)
 *   trigger = marked + 7/10 * (goal - marked) - start_slack,
 *             no lower than marked + 4/10 * (goal - marked)
 *
 * A cycle starts when heap_live crosses the trigger.  While marking, each
 * allocation owes scan work: assist_ratio = expected scan work left / heap
 * runway left (goal - heap_live), in 16.16 fixed point, so that marking
 * finishes before the heap reaches its goal.  Go computes the trigger from
 * a model of the previous cycles' scan rate; gmm uses Go's lower bound on
 * the trigger (70 % of the runway) as its starting point, which is simpler,
 * and corrects it by one measured quantity: between the trigger and the
 * first pause, mutators go on allocating without owing assists (stopping
 * the world waits for an RCU grace period), so heap_live is already past
 * the trigger when marking starts.  start_slack averages that distance
 * and the trigger moves that much earlier, down to 40 % of the runway.
 * Documentation/design.rst has more.
 */
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/overflow.h>

#include "heap.h"

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

/*
 * Goal and trigger from heap_marked, GOGC, the limit and start_slack.
 * Every input may be as large as user space can make it (a memory limit
 * near 2^64, GOGC up to GMM_UAPI_GC_PERCENT_MAX): products go through
 * gmm_mul_frac() and sums saturate, so the goal only ever rounds towards
 * "no limit", never wraps to 0.  Caller holds p->lock.
 */
static void gmm_pacer_update(struct gmm_heap *h)
{
	struct gmm_pacer *p = &h->pacer;
	u64 marked = p->heap_marked, goal, limit, runway;

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
	if (goal == U64_MAX) {
		WRITE_ONCE(p->trigger, U64_MAX);
	} else if (goal <= marked) {
		WRITE_ONCE(p->trigger, marked);	/* over the limit: at once */
	} else {
		runway = goal - marked;
		WRITE_ONCE(p->trigger, marked +
			   max(gmm_mul_frac(runway, 7, 10) -
			       min(p->start_slack, gmm_mul_frac(runway, 3, 10)),
			       gmm_mul_frac(runway, 4, 10)));
	}
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
	if (READ_ONCE(h->gc.phase) == GMM_GC_OFF &&
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

/**
 * gmm_pacer_note_alloc() - account bytes handed to allocation
 * @h: the heap
 * @bytes: a span's free bytes when a cache takes it, or a large object
 *
 * Starts a cycle when heap_live crosses the trigger; while marking, makes
 * the caller assist.  Called from the allocation slow path, in a mutator
 * section.
 */
void gmm_pacer_note_alloc(struct gmm_heap *h, u64 bytes)
{
	u64 live = atomic64_add_return(bytes, &h->pacer.heap_live);

	if (READ_ONCE(h->gc.phase) == GMM_GC_MARK) {
		gmm_assist(h, bytes);
		return;
	}
	if (live >= READ_ONCE(h->pacer.trigger))
		gmm_gc_trigger(h);
}

/**
 * gmm_pacer_cycle_start() - compute the assist ratio for a starting cycle
 * @h: the heap; the world is stopped
 */
void gmm_pacer_cycle_start(struct gmm_heap *h)
{
	struct gmm_pacer *p = &h->pacer;
	u64 live = atomic64_read(&p->heap_live);
	u64 runway, work, slack;

	spin_lock(&p->lock);
	/* How far allocation ran past the trigger before the world stopped
	 * (0 for a cycle gmm_gc() forced below the trigger).
	 */
	slack = live > p->trigger ? live - p->trigger : 0;
	p->start_slack = (3 * p->start_slack + slack) / 4;

	/* Expect to scan about what was live last time, at least what is
	 * allocated now beyond it.
	 */
	work = max(p->heap_marked, live / 2);
	p->scan_expected = work;
	runway = p->heap_goal > live ? p->heap_goal - live : 0;
	runway = max_t(u64, runway, GMM_PAGE_SIZE * 16);
	work = min_t(u64, work, U64_MAX >> 16);
	WRITE_ONCE(p->assist_ratio, div64_u64(work << 16, runway));
	spin_unlock(&p->lock);
}

/**
 * gmm_pacer_cycle_end() - set the next goal and trigger after a cycle
 * @h: the heap; the world is stopped
 * @marked: bytes marked (live) in this cycle
 */
void gmm_pacer_cycle_end(struct gmm_heap *h, u64 marked)
{
	spin_lock(&h->pacer.lock);
	h->pacer.heap_marked = marked;
	atomic64_set(&h->pacer.heap_live, marked);
	WRITE_ONCE(h->pacer.assist_ratio, 0);
	gmm_pacer_update(h);
	spin_unlock(&h->pacer.lock);
}
