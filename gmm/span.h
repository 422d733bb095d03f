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

/**
 * struct gmm_span - a span (Go's mspan)
 *
 * Who may touch a field.  A span has one owner at a time: the per-CPU
 * cache that holds it (inside that cache's local_lock), a sweeper that
 * took it off an unswept list (under the list's lock, then alone), or the
 * task that is making or destroying it.  Immutable fields are set by
 * gmm_span_create() (and the page heap) before the span is on any list and
 * stay until gmm_span_destroy().
 *
 * @list: on a central list (central->lock) or on heap->large
 *	(heap->large_lock); off every list while an owner has it
 * @base: address of slot 0; immutable
 * @arena: the arena holding the pages; immutable (page heap)
 * @first_page: index of the first page in @arena; immutable (page heap)
 * @npages: runtime pages; immutable (page heap)
 * @elemsize: bytes per slot (large: npages * 8 KiB); immutable
 * @divmagic: slot index = (offset * divmagic) >> 32; immutable
 * @nelems: slots; immutable
 * @freeindex: every slot below it is allocated; the owner
 * @alloc_count: slots in use; the owner (a central list reads it under
 *	central->lock while it holds the span)
 * @spanclass: sizeclass << 1 | noscan; immutable
 * @state: enum gmm_span_state; set by gmm_span_create() and
 *	gmm_span_destroy()
 * @needzero: slots may hold old data; set by the page heap at creation
 *	and by the span's sweeper
 * @poisoned: debug_poison: free slots hold GMM_POISON_FREE and are
 *	checked when handed out (poison.c); set by the span's sweeper
 * @alloc_cache: ~alloc_bits from @freeindex on; the owner
 * @sweepgen: compared with the heap's (sweep.c); written by the span's
 *	sweeper, by gmm_central_uncache_span() under central->lock, and by a
 *	large span's sweeper claiming it under heap->large_lock; read with
 *	READ_ONCE() by snapshots
 * @meta_bytes: bytes charged for this descriptor; immutable
 * @large_type: a large span's object type; set by gmm_alloc_large()
 *	before the object is published, then read-only
 * @alloc_bits: bit i: slot i allocated before the last sweep; written by
 *	the span's sweeper only
 * @mark_bits: gcmarkBits: set with atomic bit operations by markers
 *	while marking; turned into @alloc_bits and cleared by the sweeper
 *	when no one marks (sweeping ends before the next cycle starts)
 * @grey_bits: marked, not yet scanned: set and cleared with atomic bit
 *	operations by markers and drainers; cleared by the sweeper
 * @check_bits: the checkmark pass's marks (mark termination, world
 *	stopped); cleared by the sweeper
 * @grey_node: on the heap's grey list (gc.grey, an llist) while
 *	GMM_SPAN_GREY_QUEUED is set in @gcflags
 * @gcflags: GMM_SPAN_GREY_QUEUED; atomic bit operations: the marker that
 *	sets it queues @grey_node, the drainer that pops it clears it
 * @slot_types: scan spans: type id per slot; written by the owner when it
 *	hands out the slot, read with READ_ONCE() by markers
 * @data: storage for the arrays above
 */
struct gmm_span {
	struct list_head list;
	unsigned long base;
	struct gmm_arena *arena;
	u32 first_page;
	u32 npages;
	u32 elemsize;
	u32 divmagic;
	u16 nelems;
	u16 freeindex;
	u16 alloc_count;
	u8 spanclass;
	u8 state;
	u8 needzero;
	u8 poisoned;
	u64 alloc_cache;
	u32 sweepgen;
	u32 meta_bytes;
	const struct gmm_type *large_type;
	unsigned long *alloc_bits;
	unsigned long *mark_bits;
	unsigned long *grey_bits;
	unsigned long *check_bits;
	struct llist_node grey_node;
	unsigned long gcflags;
	u16 *slot_types;
	unsigned long data[];
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
