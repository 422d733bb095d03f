/* SPDX-License-Identifier: GPL-2.0 */
/*
 * span.h - the span descriptor (Go's mspan).
 *
 * A span is a run of runtime pages (8 KiB each) inside one arena.  A small
 * span is cut into nelems equal slots of one span class; a large span holds
 * one object bigger than 32 KiB (span class 0 or 1).  The descriptor lives
 * outside the object memory: the bitmaps follow the struct in the same
 * allocation.
 *
 * Allocation state (Go's scheme):
 *  - alloc_bits: bit i set = slot i was allocated before the last sweep;
 *  - freeindex: every slot below it is allocated (or considered so);
 *  - alloc_cache: the 64 bits of ~alloc_bits starting at the 64-aligned
 *    word that contains freeindex, shifted so bit 0 is freeindex; the
 *    allocator takes the lowest set bit with __ffs() (count trailing zeros);
 *  - alloc_count: slots in use.
 *  A large span (one object) does not use alloc_bits or alloc_cache:
 *  freeindex and alloc_count are 1 while the object lives, and its mark
 *  bit is bit 0 of mark_bits.
 *  - mark_bits (Go's gcmarkBits): set by the collector; the sweeper turns
 *    them into the next alloc_bits.
 *  - grey_bits: marked objects whose pointers are not scanned yet; a span
 *    with grey objects sits on its heap's grey list (mark.c).
 *  - check_bits: the checkmark pass's own mark bits.
 *  - sweepgen: compared with the heap's sweepgen by the sweeper (h-2:
 *    needs sweeping, h-1: being swept, h: swept and ready).
 */
#ifndef _GMM_SPAN_H
#define _GMM_SPAN_H

#include <linux/bitops.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/types.h>

struct gmm_arena;
struct gmm_type;

/* gcflags bits */
#define GMM_SPAN_GREY_QUEUED	0	/* grey_node is on the grey list */

enum gmm_span_state {
	GMM_SPAN_DEAD = 0,	/* not in use / being torn down */
	GMM_SPAN_SMALL,		/* slots of one size class */
	GMM_SPAN_LARGE,		/* one large object */
};

struct gmm_span {
	struct list_head list;		/* central or heap list */
	unsigned long base;		/* address of slot 0 */
	struct gmm_arena *arena;	/* arena holding the pages */
	u32 first_page;			/* index of the first page in arena */
	u32 npages;			/* runtime pages */
	u32 elemsize;			/* bytes per slot (large: npages*8K) */
	u32 divmagic;			/* slot index = (off * divmagic) >> 32 */
	u16 nelems;			/* slots */
	u16 freeindex;
	u16 alloc_count;
	u8 spanclass;			/* sizeclass << 1 | noscan */
	u8 state;			/* enum gmm_span_state */
	u8 needzero;			/* slots may hold old data */
	u64 alloc_cache;		/* ~alloc_bits from freeindex on */
	u32 sweepgen;
	u32 list_id;			/* which central list holds it */
	u32 meta_bytes;			/* charged for this descriptor */
	const struct gmm_type *large_type; /* large spans: object type */
	unsigned long *alloc_bits;	/* nelems bits */
	unsigned long *mark_bits;	/* nelems bits (gcmarkBits) */
	unsigned long *grey_bits;	/* marked, not yet scanned */
	unsigned long *check_bits;	/* checkmark pass */
	struct llist_node grey_node;	/* on the heap's grey span list */
	unsigned long gcflags;		/* GMM_SPAN_GREY_QUEUED */
	u16 *slot_types;		/* scan spans: type id per slot */
	unsigned long data[];		/* storage for the arrays above */
};

/**
 * gmm_span_next_free_fast() - take a free slot from the alloc cache alone
 * @s: the span; the caller owns it
 *
 * The common case of gmm_span_next_free() (Go's nextFreeFast): a free
 * slot among the cached 64 bits, not the last of its word.
 *
 * Return: the slot index, or -1 to say "ask gmm_span_next_free()".
 */
static __always_inline int gmm_span_next_free_fast(struct gmm_span *s)
{
	unsigned int bit, idx;

	if (!s->alloc_cache)
		return -1;
	bit = __ffs64(s->alloc_cache);
	idx = s->freeindex + bit;
	if (idx >= s->nelems || (idx + 1) % 64 == 0)
		return -1;
	s->alloc_cache >>= bit + 1;
	s->freeindex = idx + 1;
	s->alloc_count++;
	return idx;
}

struct gmm_heap;

int gmm_span_next_free(struct gmm_span *s);
struct gmm_span *gmm_span_create(struct gmm_heap *h, u8 spanclass,
				 unsigned int npages);
void gmm_span_destroy(struct gmm_heap *h, struct gmm_span *s);
void gmm_span_refill_cache(struct gmm_span *s, unsigned int index);

#endif /* _GMM_SPAN_H */
