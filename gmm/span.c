// SPDX-License-Identifier: GPL-2.0
/*
 * span.c - span descriptors and the search for free slots (Go's mspan,
 * nextFreeIndex, refillAllocCache).
 *
 * A span's descriptor is allocated here, outside the object memory, with
 * its bitmaps in the same allocation; its pages come from the page heap.
 * Finding a free slot never scans more than it must: alloc_cache holds the
 * inverted alloc_bits of the 64-slot word freeindex is in, shifted so that
 * bit 0 is freeindex, and __ffs() on it gives the next free slot.  Only when
 * those 64 bits are used up does the search move to the next word.
 *
 * Callers: central.c creates spans for small size classes, malloc.c for
 * large objects; the per-CPU cache takes slots with gmm_span_next_free()
 * while it owns the span.
 */
#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/kmemleak.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "fault.h"
#include "heap.h"
#include "mutant.h"
#include "pagelimit.h"
#include "poison.h"
#include "scavenge.h"
#include "span.h"
#include "trace.h"

/**
 * gmm_span_refill_cache() - load alloc_cache for the word holding @index
 * @s: the span
 * @index: a slot index that is a multiple of 64
 */
void gmm_span_refill_cache(struct gmm_span *s, unsigned int index)
{
	s->alloc_cache = ~(u64)s->alloc_bits[index / BITS_PER_LONG];
}

/**
 * gmm_span_next_free() - take the next free slot of a span
 * @s: the span; the caller owns it (it is in the caller's per-CPU cache)
 *
 * Return: the slot index, or -1 when the span is full.
 */
int gmm_span_next_free(struct gmm_span *s)
{
	unsigned int idx = s->freeindex, bit;
	u64 cache = s->alloc_cache;

	if (idx >= s->nelems)
		return -1;
	while (!cache) {
		/* No free slot left in this 64-slot word: go to the next. */
		idx = round_down(idx, 64) + 64;
		if (idx >= s->nelems) {
			s->freeindex = s->nelems;
			return -1;
		}
		gmm_span_refill_cache(s, idx);
		cache = s->alloc_cache;
	}
	bit = __ffs64(cache);
	idx += bit;
	if (idx >= s->nelems) {
		s->freeindex = s->nelems;
		return -1;
	}
	s->freeindex = idx + 1;
	if (s->freeindex % 64 == 0) {
		if (s->freeindex < s->nelems)
			gmm_span_refill_cache(s, s->freeindex);
		else
			s->alloc_cache = 0;
	} else {
		s->alloc_cache = cache >> (bit + 1);
	}
	s->alloc_count++;
	return idx;
}

/**
 * gmm_span_create() - make a span: descriptor plus pages
 * @h: the heap
 * @spanclass: span class; for classes 0 and 1 (large) @npages says the size
 * @npages: runtime pages
 *
 * The new span has every slot free, freeindex 0 and the heap's current
 * sweepgen.  May sleep.
 *
 * Return: the span, or NULL when the descriptor or the pages could not be
 * had (limits, memory, injected faults); nothing is left allocated then.
 */
struct gmm_span *gmm_span_create(struct gmm_heap *h, u8 spanclass,
				 unsigned int npages)
{
	unsigned int sc = gmm_spanclass_sizeclass(spanclass), tries;
	unsigned int nelems, words, ntypes;
	struct gmm_span *s;
	size_t bytes;
	int ret;

	if (sc) {
		nelems = gmm_class_to_nelems[sc];
		npages = gmm_class_to_npages[sc];
	} else {
		nelems = 1;
	}
	words = BITS_TO_LONGS(nelems);
	ntypes = (sc && !gmm_spanclass_noscan(spanclass)) ? nelems : 0;
	bytes = sizeof(*s) + 4 * words * sizeof(unsigned long) +
		ntypes * sizeof(u16);

	if (gmm_should_fail(GMM_FAIL_SPAN_META))
		return NULL;
	/* At the module-wide limit, other heaps' idle arenas make room
	 * (as in gmm_pageheap_alloc()).
	 */
	for (tries = 0; !gmm_pageheap_charge_meta(&h->pages, bytes); tries++)
		if (tries == GMM_ROOM_TRIES || !gmm_pageheap_make_room())
			return NULL;
	s = kzalloc(bytes, h->gfp);
	if (!s) {
		gmm_pageheap_uncharge_meta(&h->pages, bytes);
		return NULL;
	}
	s->meta_bytes = bytes;
	s->alloc_bits = s->data;
	s->mark_bits = s->data + words;
	s->grey_bits = s->data + 2 * words;
	s->check_bits = s->data + 3 * words;
	s->slot_types = ntypes ? (u16 *)(s->data + 4 * words) : NULL;
	INIT_LIST_HEAD(&s->list);

	ret = gmm_pageheap_alloc(&h->pages, npages, s);
	if (ret < 0) {
		gmm_pageheap_uncharge_meta(&h->pages, bytes);
		kfree(s);
		return NULL;
	}
	/*
	 * kmemleak: the span's memory is scanned for pointers and never
	 * reported, so a kmalloc()ed buffer only a gmm object points to is
	 * no leak.
	 */
	if (!GMM_MUTANT(GMM_MUT_KMEMLEAK_UNSEEN))
		kmemleak_alloc((void *)s->base,
			       (size_t)npages << GMM_PAGE_SHIFT, 0, h->gfp);
	s->needzero = ret;
	s->spanclass = spanclass;
	s->nelems = nelems;
	if (sc) {
		s->elemsize = gmm_class_to_size[sc];
		s->divmagic = gmm_class_to_divmagic[sc];
		s->state = GMM_SPAN_SMALL;
	} else {
		s->elemsize = npages << GMM_PAGE_SHIFT;
		s->divmagic = 0;
		s->state = GMM_SPAN_LARGE;
	}
	s->sweepgen = READ_ONCE(h->sweepgen);
	gmm_span_refill_cache(s, 0);
	trace_gmm_span_alloc(h->id, s->arena->id, s->first_page, s->npages,
			     spanclass);
	return s;
}

/**
 * gmm_span_destroy() - give a span's pages back and free its descriptor
 * @h: the heap
 * @s: the span, on no list and in no cache
 */
void gmm_span_destroy(struct gmm_heap *h, struct gmm_span *s)
{
	/* Before the pages go: the arena may go with them. */
	trace_gmm_span_free(h->id, s->arena->id, s->first_page, s->npages,
			    s->spanclass);
	s->state = GMM_SPAN_DEAD;
	kmemleak_free((void *)s->base);
	gmm_poison_span_free(s);
	gmm_pageheap_free(&h->pages, s);
	gmm_pageheap_uncharge_meta(&h->pages, s->meta_bytes);
	kfree(s);
}
