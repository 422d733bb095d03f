// SPDX-License-Identifier: GPL-2.0
/*
 * central.c - central span lists (Go's mcentral).
 *
 * One central list per span class and heap, under its own spinlock.  It
 * holds the spans of its class that no per-CPU cache owns: partial ones
 * (free slots left) and full ones, each split into swept and unswept halves
 * indexed by sweepgen (see central.h).  A per-CPU cache whose span ran full
 * hands it back with gmm_central_uncache_span() and asks for another with
 * gmm_central_cache_span(), which takes a partial span if there is one and
 * otherwise grows the class by a new span from the page heap - outside the
 * lock, since that may sleep.
 *
 * One lock taken per span, not per object: a span is the batch in which
 * per-CPU caches refill (up to 1024 objects for the 8-byte class).  Central
 * locks are never nested (not even two classes of one heap), so the one
 * lockdep class they share from gmm_central_init() is exact.
 *
 * After a collection every span of the list is unswept (sweep.c).  Before
 * growing, gmm_central_cache_span() sweeps unswept spans of its own class
 * itself (Go's lazy sweeping in mcentral.cacheSpan), at most
 * GMM_SPAN_BUDGET of them per call, so that an allocation never waits for
 * the whole class to be swept.  A span is taken off its unswept list
 * under the lock and swept outside it; the list it was on decided that
 * this caller, and no background sweeper, owns it.
 */
#include <linux/list.h>
#include <linux/spinlock.h>

#include "heap.h"
#include "sweep.h"

/*
 * Most unswept spans one gmm_central_cache_span() call sweeps before it
 * grows the class instead (Go's spanBudget): bounds the time one
 * allocation spends sweeping when most spans of the class are full of
 * live objects; giving up after 100 fruitless sweeps costs, as Go argues,
 * about 1 % of extra space.
 */
#define GMM_SPAN_BUDGET		100

static inline unsigned int swept_idx(u32 sweepgen)
{
	return (sweepgen / 2) & 1;
}

/**
 * gmm_central_init() - set up an empty central list
 * @c: the central list
 * @spanclass: its span class
 */
void gmm_central_init(struct gmm_central *c, u8 spanclass)
{
	spin_lock_init(&c->lock);
	c->spanclass = spanclass;
	INIT_LIST_HEAD(&c->partial[0]);
	INIT_LIST_HEAD(&c->partial[1]);
	INIT_LIST_HEAD(&c->full[0]);
	INIT_LIST_HEAD(&c->full[1]);
}

/* Take an unswept span off @c, partial ones first; c->lock held. */
static struct gmm_span *gmm_central_take_unswept(struct gmm_central *c,
						 unsigned int us)
{
	struct gmm_span *s;

	s = list_first_entry_or_null(&c->partial[us], struct gmm_span, list);
	if (!s)
		s = list_first_entry_or_null(&c->full[us], struct gmm_span, list);
	if (s)
		list_del_init(&s->list);
	return s;
}

/**
 * gmm_central_cache_span() - get a span with free slots for a per-CPU cache
 * @h: the heap
 * @c: the central list of the wanted span class
 *
 * In order: a swept partial span; else unswept spans, swept here one by
 * one (partial ones first, at most GMM_SPAN_BUDGET): the first with a free
 * slot is taken, full ones go to the swept full list, empty ones went back
 * to the page heap; else a new span.
 *
 * Called by a mutator inside its mutator section, so h->sweepgen cannot
 * change meanwhile (only a stopped world bumps it).  Process context; may
 * sleep (the page heap may need a new arena); the caller holds no lock.
 *
 * Return: a span with at least one free slot and the current sweepgen,
 * owned by the caller from now on, or NULL when no memory could be had.
 */
struct gmm_span *gmm_central_cache_span(struct gmm_heap *h,
					struct gmm_central *c)
{
	unsigned int sw, budget;
	struct gmm_span *s;

	might_sleep();
	spin_lock(&c->lock);
	sw = swept_idx(READ_ONCE(h->sweepgen));
	s = list_first_entry_or_null(&c->partial[sw], struct gmm_span, list);
	if (s) {
		list_del_init(&s->list);
		goto have_span;
	}

	/* Lazy sweep: whatever we take off an unswept list is ours. */
	for (budget = GMM_SPAN_BUDGET; budget; budget--) {
		s = gmm_central_take_unswept(c, sw ^ 1);
		if (!s)
			break;
		spin_unlock(&c->lock);
		if (gmm_sweep_span(h, s)) {
			/* Nothing was alive: it went back to the page heap. */
			spin_lock(&c->lock);
			continue;
		}
		spin_lock(&c->lock);
		if (s->alloc_count < s->nelems)
			goto have_span;
		list_add(&s->list, &c->full[sw]);
	}
	spin_unlock(&c->lock);

	/* Grow: a fresh span straight from the page heap. */
	s = gmm_span_create(h, c->spanclass, 0);
	if (!s)
		return NULL;
	spin_lock(&c->lock);
	c->nr_spans++;
	c->nr_cached++;
	spin_unlock(&c->lock);
	return s;

have_span:
	c->nr_cached++;
	spin_unlock(&c->lock);
	return s;
}

/**
 * gmm_central_cache_span_nowait() - a swept span with free slots, if any
 * @h: the heap
 * @c: the central list of the wanted span class
 *
 * gmm_central_cache_span() without sweeping or growing: for
 * gmm_alloc_nowait().  Inside a mutator section (h->sweepgen is stable);
 * any context that may take a spinlock.
 *
 * Return: a span owned by the caller from now on, or NULL.
 */
struct gmm_span *gmm_central_cache_span_nowait(struct gmm_heap *h,
					       struct gmm_central *c)
{
	struct gmm_span *s;

	spin_lock(&c->lock);
	s = list_first_entry_or_null(&c->partial[swept_idx(READ_ONCE(h->sweepgen))],
				     struct gmm_span, list);
	if (s) {
		list_del_init(&s->list);
		c->nr_cached++;
	}
	spin_unlock(&c->lock);
	return s;
}

/**
 * gmm_central_uncache_span() - take back a span from a per-CPU cache
 * @h: the heap
 * @c: the central list of the span's class
 * @s: the span; the caller gives up ownership
 *
 * The span goes on the swept half: a cached span always carries the
 * current sweepgen, because gc.c flushes every cache before it bumps
 * h->sweepgen and spans are handed out swept or new.  Should one have
 * been cached across a bump anyway, it is not swept now - objects
 * allocated from it after the bump would be unmarked, and sweeping would
 * free them - but kept whole: it takes the current sweepgen, its marks
 * stay, and the next cycle sweeps it with them, which can only keep
 * garbage a cycle longer.
 */
void gmm_central_uncache_span(struct gmm_heap *h, struct gmm_central *c,
			      struct gmm_span *s)
{
	unsigned int sw;
	u32 sg;

	spin_lock(&c->lock);
	sg = READ_ONCE(h->sweepgen);
	if (WARN_ON_ONCE(s->sweepgen != sg))
		WRITE_ONCE(s->sweepgen, sg);
	sw = swept_idx(sg);
	if (s->alloc_count == s->nelems)
		list_add(&s->list, &c->full[sw]);
	else
		list_add(&s->list, &c->partial[sw]);
	c->nr_cached--;
	spin_unlock(&c->lock);
}

/**
 * gmm_central_destroy() - free every span on a central list
 * @h: the heap, being destroyed: no cache holds a span any more
 * @c: the central list
 */
void gmm_central_destroy(struct gmm_heap *h, struct gmm_central *c)
{
	struct gmm_span *s, *tmp;
	LIST_HEAD(all);
	int i;

	spin_lock(&c->lock);
	for (i = 0; i < 2; i++) {
		list_splice_init(&c->partial[i], &all);
		list_splice_init(&c->full[i], &all);
	}
	WARN_ON_ONCE(c->nr_cached);
	c->nr_spans = 0;
	spin_unlock(&c->lock);

	list_for_each_entry_safe(s, tmp, &all, list) {
		list_del(&s->list);
		gmm_span_destroy(h, s);
		cond_resched();
	}
}
