// SPDX-License-Identifier: GPL-2.0
/*
 * sweep.c - sweeping (Go's mgcsweep.go): turning the marks of a finished
 * cycle into free slots.
 *
 * Marking leaves every live object with its bit set in its span's
 * mark_bits.  Sweeping a span makes those bits the span's new alloc_bits:
 * every slot that was allocated but not marked is free again, and the
 * allocator finds it with the same alloc_cache/__ffs() scan it uses for a
 * fresh span (freeindex back to 0).  No free list is built and no object
 * memory is touched: the work is O(slots / 64) per span.  A slot freed
 * this way still holds its old bytes, so the span is marked needzero and
 * malloc.c clears each slot it hands out again.  A span left with no live
 * object goes back to the page heap at once; a large span (one object)
 * goes back when its object is unmarked.
 *
 * The sweepgen protocol (h = heap->sweepgen, +2 per cycle):
 *   span->sweepgen == h - 2   unswept: its marks are the last cycle's
 *   span->sweepgen == h - 1   being swept (large spans, see below)
 *   span->sweepgen == h       swept, or created since the last bump
 * Mark termination, with the world stopped, flushes every per-CPU cache
 * (every small span goes back to a central list), then adds 2 to h: every
 * span becomes unswept at once, without touching one of them.  The
 * central lists come in two halves indexed by (sweepgen / 2) & 1 (see
 * central.h); the half that held the swept spans before the bump is the
 * unswept half after it, and the other half - empty, since the previous
 * sweep finished - collects the spans swept from now on.
 *
 * Who sweeps what: a small span is swept by whoever takes it off an
 * unswept half under its central lock - the background sweeper
 * (gmm_sweep_all(), in the cycle's work item) or a mutator that needs a span of
 * that class (lazy sweeping in gmm_central_cache_span()).  Being on
 * exactly one list, a span has exactly one sweeper; no per-span atomic is
 * needed (Go's CAS h-2 -> h-1 on the sweepgen serves sweepers that find
 * spans by address, which gmm does not have).  Large spans stay on
 * heap->large while they are swept, so heap destruction always finds
 * them: a sweeper claims one by storing h - 1 under large_lock.
 *
 * Nobody allocates from an unswept span (it sits on an unswept list and
 * no cache holds one), and nobody marks while sweeping goes on: the next
 * cycle finishes sweeping before its sweep termination (gc.c), so a span's
 * marks are stable while it is swept.
 *
 * Locks: central->lock and heap->large_lock are only held to take a span
 * off a list or put it on one, and to adjust the span counts; the span is
 * swept, and freed (gmm_span_destroy() takes the page heap's lock), with
 * no lock held.  Statistics go to this CPU's counters inside the per-CPU
 * cache's local lock, as in malloc.c, so callers must not hold that one.
 */
#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/list.h>
#include <linux/local_lock.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/spinlock.h>

#include "heap.h"
#include "internal.h"
#include "mutant.h"
#include "poison.h"
#include "sweep.h"

/* The half of partial[] and full[] holding swept spans (as in central.c). */
static inline unsigned int gmm_sweep_swept_idx(u32 sweepgen)
{
	return (sweepgen / 2) & 1;
}

/* Whether @s still needs sweeping with the heap at sweepgen @sg. */
static inline bool gmm_span_unswept(const struct gmm_span *s, u32 sg)
{
	return s->sweepgen != sg && s->sweepgen != sg - 1;
}

/*
 * The background sweeper stops when the heap is being destroyed
 * (gmm_gc_destroy() sets gc.dying); nobody else sweeps then.
 */
static inline bool gmm_sweep_should_stop(struct gmm_heap *h)
{
	return READ_ONCE(h->gc.dying);
}

/* Count @n freed objects of size class @sc, @bytes of them large, here. */
static void gmm_sweep_count_frees(struct gmm_heap *h, unsigned int sc,
				  unsigned int n, u64 bytes)
{
	struct gmm_cache *c;

	local_lock(&h->caches->lock);
	c = this_cpu_ptr(h->caches);
	c->stats.nfree[sc] += n;
	c->stats.large_freed_bytes += bytes;
	local_unlock(&h->caches->lock);
}

/*
 * Drop marks on slots that were free when the cycle ended (Go's "zombie"
 * check): slots at or above freeindex whose alloc bit is clear.  Only a
 * bug can mark one - a pointer to an object the sweeper had already freed
 * - and keeping the mark would make the free slot allocated forever and
 * the counts wrong.  Go throws; gmm warns once and leaves the slot free.
 *
 * Return: how many marks were dropped.
 */
static unsigned int gmm_sweep_drop_zombies(struct gmm_span *s)
{
	unsigned int nwords = BITS_TO_LONGS(s->nelems);
	unsigned int w = s->freeindex / BITS_PER_LONG;
	unsigned int n = 0;
	unsigned long bad;

	for (; w < nwords; w++) {
		bad = s->mark_bits[w] & ~s->alloc_bits[w];
		if (w == s->freeindex / BITS_PER_LONG)
			bad &= BITMAP_FIRST_WORD_MASK(s->freeindex);
		if (w == nwords - 1)
			bad &= BITMAP_LAST_WORD_MASK(s->nelems);
		if (unlikely(bad)) {
			s->mark_bits[w] &= ~bad;
			n += hweight_long(bad);
		}
	}
	return n;
}

static bool gmm_sweep_small(struct gmm_heap *h, struct gmm_span *s, u32 sg)
{
	struct gmm_central *c = &h->central[s->spanclass];
	unsigned int n = s->nelems, nalloc, nfreed = 0, zombies;

	if (GMM_MUTANT(GMM_MUT_SWEEP_FREES_MARKED)) {
		unsigned int i = find_first_bit(s->mark_bits, n);

		if (i < n)
			__clear_bit(i, s->mark_bits);
	}
	zombies = gmm_sweep_drop_zombies(s);
	WARN_ONCE(zombies, "gmm: heap %s: %u marked free slot(s) in span class %u\n",
		  h->name, zombies, s->spanclass);
	nalloc = bitmap_weight(s->mark_bits, n);
	if (!WARN_ON_ONCE(nalloc > s->alloc_count))
		nfreed = s->alloc_count - nalloc;

	/* allocBits = gcmarkBits; fresh marks for the next cycle. */
	bitmap_copy(s->alloc_bits, s->mark_bits, n);
	bitmap_zero(s->mark_bits, n);
	bitmap_zero(s->grey_bits, n);
	bitmap_zero(s->check_bits, n);
	s->alloc_count = nalloc;
	s->freeindex = 0;
	gmm_span_refill_cache(s, 0);
	if (nfreed)
		s->needzero = 1;
	if (unlikely(h->poison) && nalloc)
		gmm_poison_span(h, s);
	WRITE_ONCE(s->sweepgen, sg);

	if (nfreed)
		gmm_sweep_count_frees(h, gmm_spanclass_sizeclass(s->spanclass),
				      nfreed, 0);
	atomic_long_dec(&h->gc.sweep_pending);
	if (nalloc)
		return false;

	/* Nothing left alive: the pages go back to the page heap. */
	spin_lock(&c->lock);
	WRITE_ONCE(c->nr_spans, c->nr_spans - 1);
	spin_unlock(&c->lock);
	gmm_span_destroy(h, s);
	return true;
}

static bool gmm_sweep_large(struct gmm_heap *h, struct gmm_span *s, u32 sg)
{
	u64 bytes = s->elemsize;

	if (test_bit(0, s->mark_bits)) {
		__clear_bit(0, s->mark_bits);
		__clear_bit(0, s->grey_bits);
		__clear_bit(0, s->check_bits);
		WRITE_ONCE(s->sweepgen, sg);
		atomic_long_dec(&h->gc.sweep_pending);
		return false;
	}

	spin_lock(&h->large_lock);
	list_del_init(&s->list);
	WRITE_ONCE(h->nr_large, h->nr_large - 1);
	spin_unlock(&h->large_lock);
	gmm_sweep_count_frees(h, 0, 1, bytes);
	atomic_long_dec(&h->gc.sweep_pending);
	gmm_span_destroy(h, s);
	return true;
}

/**
 * gmm_sweep_span() - sweep one span
 * @h: the heap
 * @s: an unswept span owned by the caller: a small span the caller took
 *	off its central list's unswept half (it is on no list now), or a
 *	large span on h->large the caller claimed (sweepgen h - 1)
 *
 * Small span: the marked slots become the allocated ones (alloc_bits,
 * alloc_count, freeindex 0, alloc_cache), the mark, grey and check bits
 * are cleared, needzero is set if anything was freed, and the freed
 * objects are counted in this CPU's nfree[].  A span left empty goes back
 * to the page heap and leaves its central list's nr_spans.  Large span: an
 * unmarked object is freed (off h->large, nr_large, nfree[0] and
 * large_freed_bytes), a marked one is kept with its mark cleared.  Either
 * way sweepgen becomes h and gc.sweep_pending drops by one.
 *
 * Takes the central lock or large_lock and the page heap's lock briefly;
 * the caller holds none of them and not the per-CPU cache lock.  Process
 * context (no sleeping, though).
 *
 * Return: true if the span was freed (@s is gone), false if the caller
 * still owns it: a small span must then be put on its central list's
 * swept half (partial or full by alloc_count) or handed to a cache.
 */
bool gmm_sweep_span(struct gmm_heap *h, struct gmm_span *s)
{
	u32 sg = READ_ONCE(h->sweepgen);

	/* Sweeping a span twice would free every object in it. */
	if (WARN_ON_ONCE(s->sweepgen == sg))
		return false;
	if (s->state == GMM_SPAN_LARGE)
		return gmm_sweep_large(h, s, sg);
	return gmm_sweep_small(h, s, sg);
}

GMM_EXPORT_FOR_TESTING(gmm_sweep_span);

/**
 * gmm_sweep_start() - begin sweeping after a sweepgen bump
 * @h: the heap; the world is stopped, the per-CPU caches were flushed and
 *	h->sweepgen was just raised by 2
 *
 * Sets gc.sweep_pending to the number of spans to sweep: every span on a
 * central list (after the flush, all of them are on the unswept halves)
 * and every large span.  Each gmm_sweep_span() takes one off; 0 means
 * sweeping is done.
 *
 * If the previous sweep had not finished, its leftovers sit on what is
 * now the swept half; they are moved to the unswept half (with a warning:
 * gc.c must finish sweeping before the next bump).  Their marks then
 * include the previous cycle's, which keeps some dead objects one cycle
 * longer but never frees a live one.
 *
 * O(span classes): no span is touched.
 */
void gmm_sweep_start(struct gmm_heap *h)
{
	u32 sg = READ_ONCE(h->sweepgen);
	unsigned int sw = gmm_sweep_swept_idx(sg), spc;
	long pending = 0;

	for (spc = 0; spc < GMM_NUM_SPAN_CLASSES; spc++) {
		struct gmm_central *c = &h->central[spc];

		spin_lock(&c->lock);
		if (WARN_ON_ONCE(!list_empty(&c->partial[sw]) ||
				 !list_empty(&c->full[sw]))) {
			list_splice_init(&c->partial[sw], &c->partial[sw ^ 1]);
			list_splice_init(&c->full[sw], &c->full[sw ^ 1]);
		}
		/*
		 * Spans still cached are on no list and are not swept (see
		 * gmm_central_uncache_span()); there are none after a flush.
		 */
		pending += c->nr_spans - c->nr_cached;
		spin_unlock(&c->lock);
	}
	spin_lock(&h->large_lock);
	pending += h->nr_large;
	spin_unlock(&h->large_lock);
	atomic_long_set(&h->gc.sweep_pending, pending);
}

GMM_EXPORT_FOR_TESTING(gmm_sweep_start);

/* Take an unswept span off @c, partial ones first, or NULL. */
static struct gmm_span *gmm_sweep_take_small(struct gmm_heap *h,
					     struct gmm_central *c)
{
	unsigned int us;
	struct gmm_span *s;

	spin_lock(&c->lock);
	us = gmm_sweep_swept_idx(READ_ONCE(h->sweepgen)) ^ 1;
	s = list_first_entry_or_null(&c->partial[us], struct gmm_span, list);
	if (!s)
		s = list_first_entry_or_null(&c->full[us], struct gmm_span, list);
	if (s)
		list_del_init(&s->list);
	spin_unlock(&c->lock);
	return s;
}

/* Put a swept span back on the swept half of @c. */
static void gmm_sweep_put_small(struct gmm_heap *h, struct gmm_central *c,
				struct gmm_span *s)
{
	unsigned int sw;

	spin_lock(&c->lock);
	sw = gmm_sweep_swept_idx(READ_ONCE(h->sweepgen));
	if (s->alloc_count == s->nelems)
		list_add(&s->list, &c->full[sw]);
	else
		list_add(&s->list, &c->partial[sw]);
	spin_unlock(&c->lock);
}

/*
 * Claim the next unswept large span, or return NULL.  malloc.c adds new
 * large spans (swept: they carry the current sweepgen) at the head of
 * h->large, and a claimed span moves to the head too, so the unswept
 * spans are always the tail of the list and the last entry says whether
 * one is left.  The claimed span stays on the list for heap destruction.
 */
static struct gmm_span *gmm_sweep_claim_large(struct gmm_heap *h)
{
	struct gmm_span *s = NULL;
	u32 sg;

	spin_lock(&h->large_lock);
	sg = READ_ONCE(h->sweepgen);
	if (!list_empty(&h->large)) {
		s = list_last_entry(&h->large, struct gmm_span, list);
		if (gmm_span_unswept(s, sg)) {
			WRITE_ONCE(s->sweepgen, sg - 1);
			list_move(&s->list, &h->large);
		} else {
			s = NULL;
		}
	}
	spin_unlock(&h->large_lock);
	return s;
}

/**
 * gmm_sweep_all() - sweep every unswept span (Go's bgsweep/sweepone loop)
 * @h: the heap
 *
 * The background sweeper: run by the cycle's work item after mark termination
 * has restarted the world, concurrently with mutators that allocate and
 * sweep lazily; also callable with the world stopped, to finish what is
 * left before a new cycle.  For each span class it takes one unswept span
 * at a time off the central list (partial ones first), sweeps it with no
 * lock held and puts it back on the swept half, unless it was freed; then
 * it sweeps the large spans.  It yields (cond_resched()) after each span.
 *
 * When the heap is being destroyed (gc.dying), it
 * returns early: the span in hand is always back on a list first, and
 * the spans not swept stay on the lists, where gmm_heap_destroy() frees
 * them.  gc.sweep_pending then stays above 0.
 *
 * Process context, may sleep; the caller holds no gmm lock.
 *
 * Return: the number of spans this call swept.
 */
unsigned long gmm_sweep_all(struct gmm_heap *h)
{
	unsigned long n = 0;
	struct gmm_span *s;
	unsigned int spc;

	for (spc = 0; spc < GMM_NUM_SPAN_CLASSES; spc++) {
		struct gmm_central *c = &h->central[spc];

		for (;;) {
			if (gmm_sweep_should_stop(h))
				return n;
			s = gmm_sweep_take_small(h, c);
			if (!s)
				break;
			if (!gmm_sweep_span(h, s))
				gmm_sweep_put_small(h, c, s);
			n++;
			cond_resched();
		}
	}

	while (!gmm_sweep_should_stop(h)) {
		s = gmm_sweep_claim_large(h);
		if (!s)
			break;
		gmm_sweep_span(h, s);
		n++;
		cond_resched();
	}
	return n;
}

GMM_EXPORT_FOR_TESTING(gmm_sweep_all);
