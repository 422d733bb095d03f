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

#include "heap.h"

#define GMM_MIN_HEAP		(4ULL << 20)	/* Go's heapMinimum */

static void gmm_pacer_update(struct gmm_heap *h)
{
	struct gmm_pacer *p = &h->pacer;
	u64 marked = p->heap_marked, goal, limit;

	if (p->gc_percent < 0) {
		goal = U64_MAX;
	} else {
		goal = marked + div_u64(marked * p->gc_percent, 100);
		goal = max(goal, GMM_MIN_HEAP);
	}
	limit = READ_ONCE(h->pages.limit_bytes);
	if (limit)
		goal = min(goal, div_u64(limit * 95, 100));
	p->heap_goal = goal;
	if (goal == U64_MAX)
		p->trigger = U64_MAX;
	else if (goal <= marked)
		p->trigger = marked;	/* over the limit: collect at once */
	else
		p->trigger = marked +
			max(div_u64((goal - marked) * 7, 10) -
			    min(p->start_slack, div_u64((goal - marked) * 3, 10)),
			    div_u64((goal - marked) * 4, 10));
}

/**
 * gmm_pacer_init() - set up the pacer of a new heap
 * @h: the heap
 * @gc_percent: GOGC (-1 = off)
 */
void gmm_pacer_init(struct gmm_heap *h, int gc_percent)
{
	h->pacer.gc_percent = gc_percent;
	atomic64_set(&h->pacer.heap_live, 0);
	h->pacer.heap_marked = 0;
	gmm_pacer_update(h);
}

/**
 * gmm_set_gc_percent() - change GOGC of a heap (like debug.SetGCPercent)
 * @heap: the heap
 * @gc_percent: new value, -1 (off) or 0 and up
 *
 * Return: the previous value, or -EINVAL.
 */
int gmm_set_gc_percent(struct gmm_heap *heap, int gc_percent)
{
	int old;

	if (gc_percent < -1)
		return -EINVAL;
	mutex_lock(&heap->gc.cycle_lock);
	old = heap->pacer.gc_percent;
	heap->pacer.gc_percent = gc_percent;
	gmm_pacer_update(heap);
	mutex_unlock(&heap->gc.cycle_lock);
	gmm_pacer_note_alloc(heap, 0);
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
 */
void gmm_set_memory_limit(struct gmm_heap *heap, u64 limit_bytes)
{
	gmm_pageheap_set_limit(&heap->pages, limit_bytes);
	mutex_lock(&heap->gc.cycle_lock);
	gmm_pacer_update(heap);
	mutex_unlock(&heap->gc.cycle_lock);
	gmm_pacer_note_alloc(heap, 0);
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
	WRITE_ONCE(p->assist_ratio, div64_u64(work << 16, runway));
}

/**
 * gmm_pacer_cycle_end() - set the next goal and trigger after a cycle
 * @h: the heap; the world is stopped
 * @marked: bytes marked (live) in this cycle
 */
void gmm_pacer_cycle_end(struct gmm_heap *h, u64 marked)
{
	h->pacer.heap_marked = marked;
	atomic64_set(&h->pacer.heap_live, marked);
	WRITE_ONCE(h->pacer.assist_ratio, 0);
	gmm_pacer_update(h);
}
