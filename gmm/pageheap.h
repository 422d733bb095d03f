/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pageheap.h - the page heap (Go's mheap): arenas and the pages inside them.
 *
 * Spans are made of runtime pages (8 KiB, GMM_PAGE_SIZE).  The page heap
 * gets memory from the buddy allocator in arenas - naturally aligned blocks
 * of alloc_pages(), 4 MiB when the buddy allocator has one, smaller when it
 * does not - and hands out runs of runtime pages inside them: the lowest
 * arena slot whose longest free run is long enough, found in O(log arenas)
 * by a max-tree of summaries (pagesum.h), then first fit inside that arena.
 * Every heap (struct gmm_heap) owns one page heap; central lists call it
 * when they need a new span, the large-object path for every object bigger
 * than 32 KiB, and the sweeper to give empty spans back.
 *
 * Finding the span of an address is O(1) and lock-free: the page heap
 * stores the arena in page->private of every system page of the arena, and
 * the arena keeps a table from runtime page to span (gmm_span_of()).
 *
 * Free memory goes back to the buddy allocator (scavenge.h) as wholly free
 * arenas and as free 64 KiB granules inside arenas still in use: in the
 * background after each cycle down to the heap goal + 10 %, from a
 * memcg-aware shrinker under memory pressure, and on gmm_pageheap_scavenge().
 *
 * Memory held by page heaps is bounded by a per-heap limit and by the
 * module-wide limit (module parameter max_total_mb), pagelimit.h.
 */
#ifndef _GMM_PAGEHEAP_H
#define _GMM_PAGEHEAP_H

#include <linux/atomic.h>
#include <linux/gfp.h>
#include <linux/idr.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/rbtree.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include <linux/gmm.h>
#include "compat.h"
#include "pagesum.h"
#include "span.h"

/* log2 of the preferred arena size: 4 MiB, Go's page-allocator chunk. */
#define GMM_ARENA_SHIFT		22
/* The buddy order of a preferred arena (10 with 4 KiB system pages). */
#define GMM_ARENA_ORDER		min_t(unsigned int, GMM_MAX_BUDDY_ORDER, \
				      GMM_ARENA_SHIFT - PAGE_SHIFT)
/* The most runtime pages one span can have: a max-order buddy block. */
#define GMM_MAX_SPAN_PAGES	\
	((unsigned long)(PAGE_SIZE << GMM_MAX_BUDDY_ORDER) >> GMM_PAGE_SHIFT)

/*
 * The scavenger's unit inside an arena: 64 KiB, Go's scavenger chunk.  One
 * granule is 8 runtime pages, one byte of an arena's @inuse bitmap.
 */
#define GMM_GRANULE_SHIFT	16
#define GMM_GRANULE_PAGES	(1U << (GMM_GRANULE_SHIFT - GMM_PAGE_SHIFT))
#define GMM_GRANULE_SYS_PAGES	(1UL << (GMM_GRANULE_SHIFT - PAGE_SHIFT))
static_assert(GMM_GRANULE_PAGES == 8);
/* Granules of the largest arena fit the u64 @released mask. */
static_assert(GMM_MAX_SPAN_PAGES / GMM_GRANULE_PAGES <= 64);

struct gmm_pageheap;
struct gmm_arena_lru;

/* heap_id of a page heap that belongs to no gmm heap. */
#define GMM_PAGEHEAP_NO_HEAP	U32_MAX

/**
 * struct gmm_arena - one buddy block of runtime pages.
 * @list: link in the page heap's arena list (under the heap's lock).
 * @rb: node in the page heap's tree of arenas by address (@base).
 * @lru: the arena's item on the scavenger's memcg-aware list_lru; on it
 *	(@on_lru) while the arena has memory to give back and no scavenger
 *	holds it.
 * @ph: the page heap the arena belongs to.
 * @base: kernel virtual address of the first byte.
 * @order: buddy order of the block (system pages).
 * @npages: runtime pages in the arena.
 * @nfree: runtime pages not in any span and not released.
 * @slot: the arena's slot in the page heap's summaries (ph->slot[]).
 * @nreleased: runtime pages in released granules.
 * @released: bit g set = granule g went back to the buddy allocator; its
 *	pages stay set in @inuse so that no search finds them, and are
 *	never handed out again (the arena's address range keeps the hole
 *	until the whole arena goes).
 * @releasable: system pages this arena adds to the module-wide count of
 *	memory the scavenger could give back now.
 * @split: split_page() was done (at the first released granule): the
 *	arena's pages are freed one by one from then on.
 * @busy: a scavenger holds the arena with the lock dropped (freeing the
 *	pages of granules it released); the arena is not freed meanwhile.
 * @on_lru: @lru is on the scavenger's list_lru.
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
	struct rb_node rb;
	struct gmm_arena_lru *lru;
	struct gmm_pageheap *ph;
	unsigned long base;
	unsigned int order;
	u32 npages;
	u32 nfree;
	u32 id;
	u32 slot;
	u32 nreleased;
	u64 released;
	unsigned long releasable;
	bool split;
	bool busy;
	bool on_lru;
	unsigned long *inuse;
	unsigned long *touched;
	struct gmm_span *spans[];
};

/**
 * struct gmm_pageheap_stats - a snapshot of one page heap's counters.
 * @sys_bytes: bytes held in arenas (taken from the buddy allocator).
 * @inuse_bytes: bytes in spans.
 * @idle_bytes: bytes of arenas in no span (released granules included,
 *	as Go's HeapIdle).
 * @released_bytes: bytes of released granules: returned to the buddy
 *	allocator and not reused (Go's HeapReleased); @sys_bytes -
 *	@released_bytes is what the heap holds.
 * @returned_bytes: bytes returned to the buddy allocator, cumulative
 *	(whole arenas and granules).
 * @scav_granules: granules released inside arenas, cumulative.
 * @releasable_bytes: free memory the scavenger could give back now.
 * @retain_bytes: what the background scavenger keeps (0: no goal yet).
 * @walk_hold_max_ns: the longest time an arena walk held the lock.
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
	u64 returned_bytes;
	u64 scav_granules;
	u64 releasable_bytes;
	u64 retain_bytes;
	u64 walk_hold_max_ns;
	u64 arenas;
	u64 arena_allocs;
	u64 arena_frees;
	u64 order_fallbacks;
	u64 limit_failures;
	u64 meta_bytes;
};

/**
 * struct gmm_pageheap - the page heap of one gmm heap.
 * @lock: protects the arena list and tree, the summaries and slots, the
 *	arenas' bitmaps and counters, and the counters below unless said
 *	otherwise.  Never held while sleeping or calling the buddy
 *	allocator.
 * @arenas: the arenas, in the order they were added (walks).
 * @by_addr: the arenas by base address (gmm_pageheap_contains()).
 * @slot: slot -> arena, @free_sum.cap entries (NULL: free slot).
 * @slot_ida: slot numbers in use (its own lock; lowest free first).
 * @free_sum: per slot, the arena's longest run of free runtime pages.
 * @scav_sum: per slot, how much the scavenger could give back from the
 *	arena (granules, or 1 for a wholly free arena too small for one);
 *	0 while the arena is busy.
 * @node: link in the module-wide list of page heaps (gmm_pageheaps_mutex).
 * @scav_work: the background scavenger (system_unbound_wq).
 * @gfp: GFP flags for arenas and their descriptors.  Set at init.
 * @heap_id: id of the heap that owns the page heap, for tracepoints;
 *	GMM_PAGEHEAP_NO_HEAP for a page heap of its own (tests).
 * @limit_bytes: bytes the heap may hold; 0 = no per-heap limit.
 *	WRITE_ONCE/READ_ONCE, no lock.
 * @charged_pages: system pages held or being allocated (lock-free, for the
 *	limit check).
 * @meta_bytes: bytes of metadata charged to the heap (span descriptors
 *	and their bitmaps, types): counted against @limit_bytes together
 *	with the arenas (gmm_pageheap_charge_meta()).  Lock-free.
 * @retain_pages: system pages the background scavenger keeps (the heap
 *	goal + 10 %); WRITE_ONCE by the collector, 0 = no goal yet.
 * @sys_pages: system pages of the arenas on @arenas (holes included).
 * @released_pages: system pages of released granules of those arenas.
 * @releasable_pages: system pages the scavenger could give back now.
 * @inuse_pages: runtime pages in spans.
 * @nr_arenas: arenas on @arenas.
 * @nr_free_arenas: arenas on @arenas with no page in use.
 * @busy: arenas a scavenger holds (struct gmm_arena @busy).
 * @dying: gmm_pageheap_destroy() has begun: scavengers keep away.
 * @returned_bytes: see struct gmm_pageheap_stats.
 * @scav_granules: see struct gmm_pageheap_stats.
 * @arena_allocs: see struct gmm_pageheap_stats.
 * @arena_frees: see struct gmm_pageheap_stats.
 * @order_fallbacks: see struct gmm_pageheap_stats.
 * @limit_failures: see struct gmm_pageheap_stats.
 * @walkers: gmm_pageheap_walk_arenas() calls under way; while any is, no
 *	arena is unlinked (idle ones wait for the next scavenge)
 * @walk_breaks: times a walk dropped the lock between two arenas (tests
 *	check that walks are batched)
 * @walk_hold_max_ns: see struct gmm_pageheap_stats.
 */
struct gmm_pageheap {
	spinlock_t lock;		/* see above */
	struct list_head arenas;
	struct rb_root by_addr;
	struct gmm_arena **slot;
	struct ida slot_ida;
	struct gmm_pagesum free_sum;
	struct gmm_pagesum scav_sum;
	struct list_head node;
	struct work_struct scav_work;
	gfp_t gfp;
	u32 heap_id;
	u64 limit_bytes;
	atomic_long_t charged_pages;
	atomic_long_t meta_bytes;
	unsigned long retain_pages;
	unsigned long sys_pages;
	unsigned long released_pages;
	unsigned long releasable_pages;
	unsigned long inuse_pages;
	unsigned long nr_arenas;
	unsigned long nr_free_arenas;
	unsigned int busy;
	bool dying;
	u64 returned_bytes;
	u64 scav_granules;
	u64 arena_allocs;
	u64 arena_frees;
	u64 order_fallbacks;
	u64 limit_failures;
	unsigned int walkers;
	u64 walk_breaks;
	u64 walk_hold_max_ns;
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
bool gmm_pageheap_contains(struct gmm_pageheap *ph, const void *p);
void gmm_pageheap_read_stats(struct gmm_pageheap *ph,
			     struct gmm_pageheap_stats *st);
void gmm_pageheap_walk_arenas(struct gmm_pageheap *ph,
			      void (*fn)(struct gmm_arena *arena, void *arg),
			      void *arg);

/*
 * Between pageheap.c and scavenge.c only: the arena's bookkeeping, under
 * ph->lock unless said otherwise.
 */
static inline unsigned long gmm_arena_sys_pages(const struct gmm_arena *a)
{
	return 1UL << a->order;
}

/* No span in the arena (released granules do not count). */
static inline bool gmm_arena_is_free(const struct gmm_arena *a)
{
	return a->nfree + a->nreleased == a->npages;
}

/* System pages the arena still holds (released granules are gone). */
static inline unsigned long gmm_arena_held_pages(const struct gmm_arena *a)
{
	return gmm_arena_sys_pages(a) -
	       (unsigned long)a->nreleased * (GMM_PAGE_SIZE / PAGE_SIZE);
}

void gmm_arena_update_locked(struct gmm_pageheap *ph, struct gmm_arena *a);
void gmm_arena_unlink_locked(struct gmm_pageheap *ph, struct gmm_arena *a,
			     struct list_head *out);
void gmm_arena_release_list(struct list_head *list);

#endif /* _GMM_PAGEHEAP_H */
