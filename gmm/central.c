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
 */
#include <linux/list.h>
#include <linux/spinlock.h>

#include "heap.h"

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

/**
 * gmm_central_cache_span() - get a span with free slots for a per-CPU cache
 * @h: the heap
 * @c: the central list of the wanted span class
 *
 * Process context; may sleep (the page heap may need a new arena).
 *
 * Return: a span with at least one free slot, owned by the caller from now
 * on, or NULL when no memory could be had.
 */
struct gmm_span *gmm_central_cache_span(struct gmm_heap *h,
					struct gmm_central *c)
{
	struct gmm_span *s;
	unsigned int sw;

	might_sleep();
	spin_lock(&c->lock);
	sw = swept_idx(h->sweepgen);
	s = list_first_entry_or_null(&c->partial[sw], struct gmm_span, list);
	if (s) {
		list_del_init(&s->list);
		c->nr_cached++;
		spin_unlock(&c->lock);
		return s;
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
}

/**
 * gmm_central_uncache_span() - take back a span from a per-CPU cache
 * @h: the heap
 * @c: the central list of the span's class
 * @s: the span; the caller gives up ownership
 */
void gmm_central_uncache_span(struct gmm_heap *h, struct gmm_central *c,
			      struct gmm_span *s)
{
	unsigned int sw;

	spin_lock(&c->lock);
	sw = swept_idx(h->sweepgen);
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
	}
}
