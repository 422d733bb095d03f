/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pageheap.h - the page heap (Go's mheap): arenas and the pages inside them.
 *
 * Spans are made of runtime pages (8 KiB, GMM_PAGE_SIZE).  The page heap
 * gets memory from the buddy allocator in arenas - naturally aligned blocks
 * of alloc_pages(), 4 MiB when the buddy allocator has one, smaller when it
 * does not - and hands out runs of runtime pages inside them, first fit.
 * Every heap (struct gmm_heap) owns one page heap; central lists call it
 * when they need a new span, the large-object path for every object bigger
 * than 32 KiB, and the sweeper to give empty spans back.
 *
 * Finding the span of an address is O(1) and lock-free: the page heap
 * stores the arena in page->private of every system page of the arena, and
 * the arena keeps a table from runtime page to span (gmm_span_of()).
 *
 * Wholly free arenas go back to the buddy allocator: at once when the heap
 * already keeps another idle arena, on gmm_pageheap_scavenge(), and from
 * the module-wide shrinker under memory pressure.
 *
 * Memory held by page heaps is bounded by a per-heap limit and by the
 * module-wide limit (module parameter max_total_mb).
 */
#ifndef _GMM_PAGEHEAP_H
#define _GMM_PAGEHEAP_H

#include <linux/atomic.h>
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include <linux/gmm.h>
#include "compat.h"
#include "span.h"

/* log2 of the preferred arena size: 4 MiB, Go's page-allocator chunk. */
#define GMM_ARENA_SHIFT		22
/* The buddy order of a preferred arena (10 with 4 KiB system pages). */
#define GMM_ARENA_ORDER		min_t(unsigned int, GMM_MAX_BUDDY_ORDER, \
				      GMM_ARENA_SHIFT - PAGE_SHIFT)
/* The most runtime pages one span can have: a max-order buddy block. */
#define GMM_MAX_SPAN_PAGES	\
	((unsigned long)(PAGE_SIZE << GMM_MAX_BUDDY_ORDER) >> GMM_PAGE_SHIFT)

struct gmm_pageheap;

/* heap_id of a page heap that belongs to no gmm heap. */
#define GMM_PAGEHEAP_NO_HEAP	U32_MAX

/**
 * struct gmm_arena - one buddy block of runtime pages.
 * @list: link in the page heap's arena list (under the heap's lock).
 * @ph: the page heap the arena belongs to.
 * @base: kernel virtual address of the first byte.
 * @order: buddy order of the block (system pages).
 * @npages: runtime pages in the arena.
 * @nfree: runtime pages not in any span.
 * @id: the arena's number in its page heap (the value of arena_allocs
 *	when it was added): stable while it lives, never reused, and what
 *	snapshots and tracepoints show instead of its address.
 * @inuse: bit i set = runtime page i belongs to a span.
 * @touched: bit i set = runtime page i was handed out at least once;
 *	clear = never handed out, not zeroed yet (gmm_pageheap_alloc() zeroes
 *	such a run when it hands it out).
 * @spans: runtime page index -> span owning the page, NULL when free.
 *	Written under the heap's lock with WRITE_ONCE(), read lock-free.
 *
 * Everything but @spans is protected by the heap's lock.  The two bitmaps
 * live in the same allocation, after @spans.
 */
struct gmm_arena {
	struct list_head list;
	struct gmm_pageheap *ph;
	unsigned long base;
	unsigned int order;
	u32 npages;
	u32 nfree;
	u32 id;
	unsigned long *inuse;
	unsigned long *touched;
	struct gmm_span *spans[];
};

/**
 * struct gmm_pageheap_stats - a snapshot of one page heap's counters.
 * @sys_bytes: bytes held in arenas (taken from the buddy allocator).
 * @inuse_bytes: bytes in spans.
 * @idle_bytes: bytes held in arenas but not in any span.
 * @released_bytes: bytes returned to the buddy allocator, cumulative.
 * @arenas: arenas held now.
 * @arena_allocs: arenas allocated, cumulative.
 * @arena_frees: arenas returned to the buddy allocator, cumulative.
 * @order_fallbacks: alloc_pages() attempts that failed and were retried
 *	with a smaller order, cumulative.
 * @limit_failures: allocations refused by the per-heap or the module-wide
 *	limit, cumulative.
 */
struct gmm_pageheap_stats {
	u64 sys_bytes;
	u64 inuse_bytes;
	u64 idle_bytes;
	u64 released_bytes;
	u64 arenas;
	u64 arena_allocs;
	u64 arena_frees;
	u64 order_fallbacks;
	u64 limit_failures;
	u64 meta_bytes;
};

/**
 * struct gmm_pageheap - the page heap of one gmm heap.
 * @lock: protects the arena list, the arenas' bitmaps and counters, and the
 *	counters below.  Never held while sleeping or calling the buddy
 *	allocator.
 * @arenas: the arenas, in the order they were added.
 * @node: link in the module-wide list of page heaps (for the shrinker).
 * @gfp: GFP flags for arenas and their descriptors.
 * @heap_id: id of the heap that owns the page heap, for tracepoints;
 *	GMM_PAGEHEAP_NO_HEAP for a page heap of its own (tests).
 * @limit_bytes: bytes the heap may hold in arenas; 0 = no per-heap limit.
 * @charged_pages: system pages held or being allocated (lock-free, for the
 *	limit check).
 * @meta_bytes: bytes of metadata charged to the heap (span descriptors
 *	and their bitmaps, types): counted against @limit_bytes together
 *	with the arenas (gmm_pageheap_charge_meta()).
 * @sys_pages: system pages held in arenas on @arenas.
 * @inuse_pages: runtime pages in spans.
 * @nr_arenas: arenas on @arenas.
 * @nr_free_arenas: arenas on @arenas with no page in use.
 * @released_bytes: see struct gmm_pageheap_stats.
 * @arena_allocs: see struct gmm_pageheap_stats.
 * @arena_frees: see struct gmm_pageheap_stats.
 * @order_fallbacks: see struct gmm_pageheap_stats.
 * @limit_failures: see struct gmm_pageheap_stats.
 * @walkers: gmm_pageheap_walk_arenas() calls under way; while any is, no
 *	arena is unlinked (idle ones wait for the next scavenge)
 * @walk_breaks: times a walk dropped the lock between two arenas (tests
 *	check that walks are batched)
 */
struct gmm_pageheap {
	spinlock_t lock;		/* arenas and counters */
	struct list_head arenas;
	struct list_head node;
	gfp_t gfp;
	u32 heap_id;
	u64 limit_bytes;
	atomic_long_t charged_pages;
	atomic_long_t meta_bytes;
	unsigned long sys_pages;
	unsigned long inuse_pages;
	unsigned long nr_arenas;
	unsigned long nr_free_arenas;
	u64 released_bytes;
	u64 arena_allocs;
	u64 arena_frees;
	u64 order_fallbacks;
	u64 limit_failures;
	unsigned int walkers;
	u64 walk_breaks;
};

/**
 * gmm_span_of() - the span that owns an address in a page heap.
 * @p: an address inside an arena of some page heap.
 *
 * O(1) and lock-free: address -> struct page -> page->private (the arena)
 * -> arena->spans[].  @p must be known to lie in a live arena (a pointer
 * the collector or the allocator got from gmm itself); validate untrusted
 * pointers with gmm_pageheap_contains() first.
 *
 * Return: the span, or NULL when the runtime page is free.
 */
static inline struct gmm_span *gmm_span_of(const void *p)
{
	struct gmm_arena *arena;
	unsigned long idx;

	arena = (struct gmm_arena *)page_private(virt_to_page(p));
	idx = ((unsigned long)p - arena->base) >> GMM_PAGE_SHIFT;
	return READ_ONCE(arena->spans[idx]);
}

int gmm_pageheap_init(struct gmm_pageheap *ph, gfp_t gfp, u64 limit_bytes);
void gmm_pageheap_destroy(struct gmm_pageheap *ph);
void gmm_pageheap_set_limit(struct gmm_pageheap *ph, u64 limit_bytes);
int gmm_pageheap_alloc(struct gmm_pageheap *ph, unsigned int npages,
		       struct gmm_span *span);
void gmm_pageheap_free(struct gmm_pageheap *ph, struct gmm_span *span);
unsigned long gmm_pageheap_scavenge(struct gmm_pageheap *ph);
bool gmm_pageheap_contains(struct gmm_pageheap *ph, const void *p);
void gmm_pageheap_read_stats(struct gmm_pageheap *ph,
			     struct gmm_pageheap_stats *st);
bool gmm_pageheap_charge_meta(struct gmm_pageheap *ph, size_t bytes);
void gmm_pageheap_uncharge_meta(struct gmm_pageheap *ph, size_t bytes);
void gmm_pageheap_walk_arenas(struct gmm_pageheap *ph,
			      void (*fn)(struct gmm_arena *arena, void *arg),
			      void *arg);

unsigned long gmm_pageheap_total_pages(void);
u64 gmm_pageheap_total_limit(void);
unsigned long gmm_pageheap_set_max_total_mb(unsigned long mb);
unsigned long gmm_pageheap_shrink_count(void);
unsigned long gmm_pageheap_shrink_scan(unsigned long nr_to_scan);
bool gmm_pageheap_make_room(void);

/* Attempts to make room when a limit is hit (gmm_pageheap_make_room()). */
#define GMM_ROOM_TRIES		4

int gmm_pageheap_module_init(void);
void gmm_pageheap_module_exit(void);

#endif /* _GMM_PAGEHEAP_H */
