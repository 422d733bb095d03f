// SPDX-License-Identifier: GPL-2.0
/*
 * pageheap.c - the page heap (Go's mheap): arenas from the buddy allocator
 * and first-fit runs of runtime pages inside them.
 *
 * What it is.  A page heap holds arenas: naturally aligned, non-compound
 * blocks from alloc_pages(), preferably 4 MiB (order 10 with 4 KiB pages,
 * Go's page-allocator chunk), smaller when the buddy allocator has no block
 * that large.  Inside an arena a bitmap says which runtime pages (8 KiB)
 * belong to a span; freed runs coalesce with their neighbours by
 * construction.  A second bitmap remembers which pages were ever handed
 * out: a new arena is not zeroed up front (4 MiB of memset inside the
 * mutator section that grew the heap, 10-20 ms under TCG, which a stop of
 * the world waits for); a run never handed out is zeroed when it is, and
 * the caller can then skip zeroing it (Go's needzero).
 *
 * Finding room.  Arenas have small slot numbers (an IDA: the lowest free
 * one for a new arena) and two max-trees over the slots (pagesum.c): the
 * longest free run of each arena, and how much the scavenger could give
 * back from it.  A span's pages come from the lowest slot whose longest
 * run is long enough - O(log arenas), then first fit over that arena's
 * bitmap - which keeps the heap dense at low slots as Go's address-ordered
 * first fit keeps it dense at low addresses; the scavenger takes from the
 * highest slots.  Summaries are recomputed from the bitmap (a few words)
 * after every change.  Addresses are looked up in a tree by base address.
 *
 * Who calls it.  The central lists, the large-object path, the sweeper,
 * debugfs and snapshots (walks), the ioctl layer (gmm_pageheap_contains()).
 *
 * Returning memory.  An arena that becomes wholly free goes back at once
 * when the heap already keeps an idle one (a cushion against
 * allocate/free ping-pong); the rest - idle arenas and free 64 KiB
 * granules of arenas in use - is the scavenger's (scavenge.c).
 *
 * Limits.  Every system page an arena needs is charged first against the
 * heap's limit and the module-wide one (pagelimit.c).  Over a limit the
 * heap first tries a smaller arena and then fails the allocation with
 * -ENOMEM; nothing changes in the heap.
 *
 * Locks (their order: gmm/heap.h).  Only one ph->lock is held at a time.
 * The shrinker's isolate callback, called under the list_lru lock, takes
 * ph->lock only with a trylock.
 * Nothing sleeps or calls the page or slab allocators under ph->lock:
 * arenas are allocated with the lock dropped and freed after they have
 * been unlinked and the lock released.  No allocation happens under
 * gmm_pageheaps_mutex, so taking it from the shrinker cannot deadlock
 * with reclaim.  ph->lock is not taken from interrupts.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/idr.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/rbtree.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include <linux/wait_bit.h>

#include <linux/gmm.h>
#include "compat.h"
#include "fault.h"
#include "internal.h"
#include "mutant.h"
#include "pageheap.h"
#include "pagelimit.h"
#include "scavenge.h"
#include "trace.h"

/* The extra GFP bits a page heap accepts on top of GFP_KERNEL. */
#define GMM_PAGEHEAP_GFP_OK	(__GFP_ACCOUNT | __GFP_NOWARN | __GFP_RETRY_MAYFAIL)
/* Arenas unlinked per hold of the lock when a page heap is destroyed. */
#define GMM_PAGEHEAP_BATCH	32
/* The smallest slot table: the summaries grow by doubling from here. */
#define GMM_MIN_SLOTS		16

/* What went wrong while growing, reported back under the lock. */
struct gmm_grow_info {
	unsigned int fallbacks;
	bool limited;
};

/*
 * Make room in the slot table and both summaries for slot @slot.  The
 * storage is allocated with the lock dropped and installed under it (by
 * whichever thread gets there first).  Process context; may sleep.
 */
static int gmm_slots_reserve(struct gmm_pageheap *ph, unsigned int slot)
{
	unsigned int cap = max_t(unsigned int, GMM_MIN_SLOTS,
				 roundup_pow_of_two(slot + 1));
	struct gmm_arena **slots, **old_slots = NULL;
	u16 *fs, *ss, *old_fs = NULL, *old_ss = NULL;
	bool have;

	spin_lock(&ph->lock);
	have = slot < ph->free_sum.cap;
	spin_unlock(&ph->lock);
	if (have)
		return 0;

	if (gmm_should_fail(GMM_FAIL_ARENA_SLOTS))
		return -ENOMEM;
	slots = kvcalloc(cap, sizeof(*slots), ph->gfp);
	fs = kvzalloc(gmm_pagesum_bytes(cap), ph->gfp);
	ss = kvzalloc(gmm_pagesum_bytes(cap), ph->gfp);
	if (slots && fs && ss) {
		spin_lock(&ph->lock);
		if (ph->free_sum.cap < cap) {
			if (ph->free_sum.cap)
				memcpy(slots, ph->slot,
				       ph->free_sum.cap * sizeof(*slots));
			old_slots = ph->slot;
			ph->slot = slots;
			old_fs = gmm_pagesum_install(&ph->free_sum, fs, cap);
			old_ss = gmm_pagesum_install(&ph->scav_sum, ss, cap);
			slots = NULL;
			fs = NULL;
			ss = NULL;
		}
		have = slot < ph->free_sum.cap;
		spin_unlock(&ph->lock);
	}
	kvfree(slots);
	kvfree(fs);
	kvfree(ss);
	kvfree(old_slots);
	kvfree(old_fs);
	kvfree(old_ss);
	return have ? 0 : -ENOMEM;
}

/*
 * The buddy block of a new arena: the largest order the limits allow and
 * the buddy allocator has, no smaller than @min_order.  Charged.
 */
static struct page *gmm_arena_pages(struct gmm_pageheap *ph,
				    unsigned int *orderp,
				    struct gmm_grow_info *info)
{
	unsigned int min_order = *orderp;
	unsigned int order = max_t(unsigned int, GMM_ARENA_ORDER, min_order);
	struct page *page;

	while (!gmm_pageheap_charge(ph, 1UL << order)) {
		if (order == min_order) {
			info->limited = true;
			return NULL;
		}
		order--;
	}
	for (;;) {
		gfp_t gfp = ph->gfp;
		bool last = order == min_order;

		if (!last)
			gfp = (gfp & ~__GFP_RETRY_MAYFAIL) | __GFP_NOWARN |
			      __GFP_NORETRY;
		page = NULL;
		if (!gmm_should_fail(GMM_FAIL_ARENA))
			page = alloc_pages(gfp, order);
		if (page)
			break;
		if (last) {
			gmm_pageheap_uncharge(ph, 1UL << order);
			return NULL;
		}
		info->fallbacks++;
		/* Halve the charge along with the order. */
		gmm_pageheap_uncharge(ph, 1UL << (order - 1));
		order--;
	}
	*orderp = order;
	return page;
}

/* The descriptor, slot and scavenger item of an arena of @order. */
static struct gmm_arena *gmm_arena_meta(struct gmm_pageheap *ph,
					unsigned int order)
{
	unsigned long nbits = (PAGE_SIZE << order) >> GMM_PAGE_SHIFT;
	struct gmm_arena *arena = NULL;
	size_t size;
	int slot;

	size = struct_size(arena, spans, nbits) +
	       2 * BITS_TO_LONGS(nbits) * sizeof(unsigned long);
	if (!gmm_should_fail(GMM_FAIL_ARENA_META))
		arena = kzalloc(size, ph->gfp);
	if (!arena)
		return NULL;
	slot = ida_alloc(&ph->slot_ida, ph->gfp);
	if (slot < 0)
		goto free_arena;
	arena->slot = slot;
	if (gmm_slots_reserve(ph, slot) || gmm_scav_lru_alloc(arena, ph->gfp))
		goto free_slot;

	INIT_LIST_HEAD(&arena->list);
	RB_CLEAR_NODE(&arena->rb);
	arena->ph = ph;
	arena->order = order;
	arena->npages = nbits;
	arena->nfree = nbits;
	arena->inuse = (unsigned long *)&arena->spans[nbits];
	arena->touched = arena->inuse + BITS_TO_LONGS(nbits);
	return arena;

free_slot:
	ida_free(&ph->slot_ida, slot);
free_arena:
	kfree(arena);
	return NULL;
}

/*
 * Allocate a new arena of at least @min_order for @ph.  Process context,
 * ph->lock not held.  Returns NULL when the limits, the buddy allocator or
 * the descriptor allocation say no; @info says why.
 */
static struct gmm_arena *gmm_arena_create(struct gmm_pageheap *ph,
					  unsigned int min_order,
					  struct gmm_grow_info *info)
{
	unsigned int order = min_order;
	struct gmm_arena *arena;
	struct page *page;
	unsigned long i;

	page = gmm_arena_pages(ph, &order, info);
	if (!page)
		return NULL;
	arena = gmm_arena_meta(ph, order);
	if (!arena) {
		__free_pages(page, order);
		gmm_pageheap_uncharge(ph, 1UL << order);
		return NULL;
	}
	arena->base = (unsigned long)page_address(page);
	for (i = 0; i < (1UL << order); i++)
		set_page_private(page + i, (unsigned long)arena);
	return arena;
}

/*
 * The arena's pages back to the buddy allocator: one block, or page by
 * page once split_page() was done (released granules are already gone).
 */
static void gmm_arena_free_pages(struct gmm_arena *arena)
{
	struct page *page = virt_to_page((void *)arena->base);
	unsigned long i, n = gmm_arena_sys_pages(arena);

	if (!arena->split) {
		for (i = 0; i < n; i++)
			set_page_private(page + i, 0);
		__free_pages(page, arena->order);
		return;
	}
	for (i = 0; i < n; i++) {
		if (arena->released & BIT_ULL(i / GMM_GRANULE_SYS_PAGES))
			continue;
		set_page_private(page + i, 0);
		__free_page(page + i);
	}
}

/* Give a wholly free, unlinked arena back to the buddy allocator. */
static void gmm_arena_release(struct gmm_arena *arena)
{
	struct gmm_pageheap *ph = arena->ph;
	unsigned long held = gmm_arena_held_pages(arena);

	trace_gmm_arena_free(ph->heap_id, arena->id, arena->order);
	gmm_arena_free_pages(arena);
	gmm_scav_lru_free(arena);
	ida_free(&ph->slot_ida, arena->slot);
	kfree(arena);
	gmm_pageheap_uncharge(ph, held);
}

/**
 * gmm_arena_release_list() - release unlinked arenas
 * @list: arenas gmm_arena_unlink_locked() moved there
 *
 * Process context; may sleep; ph->lock not held.
 */
void gmm_arena_release_list(struct list_head *list)
{
	struct gmm_arena *arena, *next;

	list_for_each_entry_safe(arena, next, list, list) {
		list_del(&arena->list);
		gmm_arena_release(arena);
		cond_resched();
	}
}

/* Insert @arena into the tree of arenas by address. */
static void gmm_arena_insert_locked(struct gmm_pageheap *ph,
				    struct gmm_arena *arena)
{
	struct rb_node **link = &ph->by_addr.rb_node, *parent = NULL;

	while (*link) {
		struct gmm_arena *a = rb_entry(*link, struct gmm_arena, rb);

		parent = *link;
		link = arena->base < a->base ? &parent->rb_left :
					       &parent->rb_right;
	}
	rb_link_node(&arena->rb, parent, link);
	rb_insert_color(&arena->rb, &ph->by_addr);
}

/* Add a new (wholly free) arena to @ph. */
static void gmm_arena_add_locked(struct gmm_pageheap *ph,
				 struct gmm_arena *arena)
{
	lockdep_assert_held(&ph->lock);
	list_add_tail(&arena->list, &ph->arenas);
	gmm_arena_insert_locked(ph, arena);
	ph->slot[arena->slot] = arena;
	ph->sys_pages += gmm_arena_sys_pages(arena);
	ph->nr_arenas++;
	arena->id = ph->arena_allocs++;
	ph->nr_free_arenas++;
	gmm_arena_update_locked(ph, arena);
	trace_gmm_arena_alloc(ph->heap_id, arena->id, arena->order);
}

/**
 * gmm_arena_unlink_locked() - take a wholly free arena out of its heap
 * @ph: the page heap
 * @arena: a wholly free arena of @ph that no scavenger holds
 * @out: where it goes, to be released with gmm_arena_release_list() once
 *	the lock is dropped
 *
 * Caller holds ph->lock and has checked that no walk is under way.
 */
void gmm_arena_unlink_locked(struct gmm_pageheap *ph, struct gmm_arena *arena,
			     struct list_head *out)
{
	lockdep_assert_held(&ph->lock);
	WARN_ON_ONCE(arena->busy);
	if (gmm_arena_is_free(arena))
		ph->nr_free_arenas--;
	gmm_pagesum_set(&ph->free_sum, arena->slot, 0);
	arena->busy = true;	/* leaves the scavenger's list and counts */
	gmm_scav_update_locked(ph, arena);
	arena->busy = false;
	ph->slot[arena->slot] = NULL;
	rb_erase(&arena->rb, &ph->by_addr);
	list_move_tail(&arena->list, out);
	ph->sys_pages -= gmm_arena_sys_pages(arena);
	ph->released_pages -= gmm_arena_sys_pages(arena) -
			      gmm_arena_held_pages(arena);
	ph->nr_arenas--;
	ph->arena_frees++;
	ph->returned_bytes += (u64)gmm_arena_held_pages(arena) << PAGE_SHIFT;
}

/**
 * gmm_arena_update_locked() - recompute an arena's summaries
 * @ph: the page heap
 * @arena: an arena of @ph whose bitmap changed
 *
 * The longest free run goes to the allocation summary; the scavenger's
 * part (scavenge.c) to its summary, its list and the counts.  O(arena
 * bitmap).  Caller holds ph->lock.
 */
void gmm_arena_update_locked(struct gmm_pageheap *ph, struct gmm_arena *arena)
{
	unsigned long n = arena->npages, start, end, longest = 0;

	lockdep_assert_held(&ph->lock);
	for (start = find_first_zero_bit(arena->inuse, n); start < n;
	     start = find_next_zero_bit(arena->inuse, n, end)) {
		end = find_next_bit(arena->inuse, n, start);
		longest = max(longest, end - start);
	}
	gmm_pagesum_set(&ph->free_sum, arena->slot, longest);
	gmm_scav_update_locked(ph, arena);
}

/*
 * Take the first run of @npages free pages in @arena for @span; see
 * gmm_pageheap_alloc() for the return value (-ENOMEM: no room here).
 */
static int gmm_alloc_in_arena_locked(struct gmm_pageheap *ph,
				     struct gmm_arena *arena,
				     unsigned int npages, struct gmm_span *span)
{
	unsigned long start, i;
	bool needzero;

	lockdep_assert_held(&ph->lock);
	if (arena->nfree < npages)
		return -ENOMEM;
	start = bitmap_find_next_zero_area(arena->inuse, arena->npages, 0,
					   npages, 0);
	if (start >= arena->npages)
		return -ENOMEM;

	if (gmm_arena_is_free(arena))
		ph->nr_free_arenas--;
	needzero = find_next_bit(arena->touched, start + npages, start) <
		   start + npages;
	bitmap_set(arena->inuse, start, npages);
	bitmap_set(arena->touched, start, npages);
	arena->nfree -= npages;
	ph->inuse_pages += npages;
	gmm_arena_update_locked(ph, arena);

	span->base = arena->base + (start << GMM_PAGE_SHIFT);
	span->arena = arena;
	span->first_page = start;
	span->npages = npages;
	for (i = start; i < start + npages; i++)
		WRITE_ONCE(arena->spans[i], span);
	return needzero;
}

/*
 * The lowest slot whose arena has a free run of @npages (O(log arenas)),
 * first fit inside it.
 */
static int gmm_alloc_locked(struct gmm_pageheap *ph, unsigned int npages,
			    struct gmm_span *span)
{
	long slot;
	int ret;

	lockdep_assert_held(&ph->lock);
	slot = gmm_pagesum_first(&ph->free_sum, npages);
	if (slot < 0)
		return -ENOMEM;
	ret = gmm_alloc_in_arena_locked(ph, ph->slot[slot], npages, span);
	WARN_ON_ONCE(ret < 0);
	return ret;
}

/**
 * gmm_pageheap_alloc() - allocate a run of runtime pages for a span.
 * @ph: the page heap.
 * @npages: runtime pages wanted, 1 .. GMM_MAX_SPAN_PAGES.
 * @span: the caller's span descriptor; on success its base, arena,
 *	first_page and npages are set and every page of the run maps to it
 *	in gmm_span_of().  No other field is touched.
 *
 * The lowest arena slot with a long enough free run, first fit inside it
 * (O(log arenas)).  When no arena has room, a new arena is taken from the
 * buddy allocator (preferably 4 MiB, smaller when that
 * fails or a limit says so).  Process context; may sleep; takes ph->lock.
 *
 * Return: 0 when the pages were never handed out before (this call zeroed
 * them, outside the lock); 1 when at least one was, so the caller
 * must zero the run if it needs zeroed memory; -EINVAL for @npages 0;
 * -E2BIG when @npages exceeds the largest buddy block; -ENOMEM when the
 * per-heap or module-wide limit or the buddy allocator says no.  On error
 * the heap and @span are unchanged.
 */
int gmm_pageheap_alloc(struct gmm_pageheap *ph, unsigned int npages,
		       struct gmm_span *span)
{
	struct gmm_grow_info info;
	struct gmm_arena *arena;
	unsigned int min_order, tries;
	int ret;

	might_sleep();
	if (!npages)
		return -EINVAL;
	if (npages > GMM_MAX_SPAN_PAGES)
		return -E2BIG;
	min_order = get_order((unsigned long)npages << GMM_PAGE_SHIFT);

	spin_lock(&ph->lock);
	ret = gmm_alloc_locked(ph, npages, span);
	if (ret >= 0)
		goto out;
	spin_unlock(&ph->lock);

	info.fallbacks = 0;
	info.limited = false;
	arena = gmm_arena_create(ph, min_order, &info);
	/*
	 * Over a limit: the idle arenas other heaps keep as a cushion count
	 * against the module-wide one, so give those back and try once more
	 * (with many heaps open, each keeping one idle arena, that limit
	 * would otherwise be reached with hardly anything in use).
	 */
	for (tries = 0; !arena && info.limited && tries < GMM_ROOM_TRIES &&
	     gmm_pageheap_make_room(); tries++)
		arena = gmm_arena_create(ph, min_order, &info);

	spin_lock(&ph->lock);
	ph->order_fallbacks += info.fallbacks;
	if (!arena) {
		if (info.limited)
			ph->limit_failures++;
		ret = -ENOMEM;
		goto out;
	}
	/*
	 * Take the pages from the new arena even if another thread has made
	 * room elsewhere meanwhile: an arena grown for nothing would stay
	 * idle next to the one idle arena the heap keeps.
	 */
	gmm_arena_add_locked(ph, arena);
	ret = gmm_alloc_in_arena_locked(ph, arena, npages, span);
	WARN_ON_ONCE(ret < 0);
out:
	spin_unlock(&ph->lock);
	/* Pages never handed out are as the buddy allocator left them. */
	if (ret == 0)
		memset((void *)span->base, 0,
		       (size_t)npages << GMM_PAGE_SHIFT);
	return ret;
}

GMM_EXPORT_FOR_TESTING(gmm_pageheap_alloc);

/**
 * gmm_pageheap_free() - give a span's pages back to the page heap.
 * @ph: the page heap the span was allocated from.
 * @span: a span filled in by gmm_pageheap_alloc() on @ph.
 *
 * Clears the run in the arena's bitmap and its spans[] entries.  If the
 * arena becomes wholly free and the heap already keeps another wholly free
 * arena, this one goes back to the buddy allocator at once.  @span's fields
 * are left as they were; the caller owns and frees the descriptor.  A span
 * that is not allocated on @ph is reported with a warning and ignored.
 * Any context but hard interrupt; does not sleep; takes ph->lock.
 */
void gmm_pageheap_free(struct gmm_pageheap *ph, struct gmm_span *span)
{
	struct gmm_arena *arena = span->arena;
	unsigned long start = span->first_page;
	unsigned long npages = span->npages;
	unsigned long i;
	LIST_HEAD(release);

	if (WARN_ON_ONCE(!arena || arena->ph != ph))
		return;

	spin_lock(&ph->lock);
	if (WARN_ON_ONCE(!npages || start + npages > arena->npages ||
			 READ_ONCE(arena->spans[start]) != span ||
			 READ_ONCE(arena->spans[start + npages - 1]) != span)) {
		spin_unlock(&ph->lock);
		return;
	}
	for (i = start; i < start + npages; i++)
		WRITE_ONCE(arena->spans[i], NULL);
	bitmap_clear(arena->inuse, start, npages);
	arena->nfree += npages;
	ph->inuse_pages -= npages;
	if (!GMM_MUTANT(GMM_MUT_SUM_STALE))
		gmm_arena_update_locked(ph, arena);

	if (gmm_arena_is_free(arena)) {
		ph->nr_free_arenas++;
		/* Keep one idle arena as a cushion, return the rest. */
		if (ph->nr_free_arenas > 1 && !ph->walkers && !arena->busy)
			gmm_arena_unlink_locked(ph, arena, &release);
	}
	spin_unlock(&ph->lock);

	gmm_arena_release_list(&release);
}

GMM_EXPORT_FOR_TESTING(gmm_pageheap_free);

/**
 * gmm_pageheap_contains() - whether an address lies in one of a heap's arenas.
 * @ph: the page heap.
 * @p: any address, possibly bogus.
 *
 * A lookup in the tree of arenas by address under ph->lock, O(log
 * arenas): for validating untrusted addresses, not for fast paths (use
 * gmm_span_of() on addresses known to be in a heap).  The answer can be
 * stale as soon as the lock is dropped, unless the caller keeps the span
 * at @p allocated.  Does not sleep.
 *
 * Return: true if @p is inside an arena of @ph, allocated to a span or
 * not, and not in a granule given back to the buddy allocator.
 */
bool gmm_pageheap_contains(struct gmm_pageheap *ph, const void *p)
{
	unsigned long addr = (unsigned long)p;
	struct rb_node *node;
	bool found = false;

	spin_lock(&ph->lock);
	node = ph->by_addr.rb_node;
	while (node) {
		struct gmm_arena *a = rb_entry(node, struct gmm_arena, rb);
		unsigned long off = addr - a->base;

		if (addr < a->base) {
			node = node->rb_left;
		} else if (off >= (PAGE_SIZE << a->order)) {
			node = node->rb_right;
		} else {
			found = !(a->released &
				  BIT_ULL(off >> GMM_GRANULE_SHIFT));
			break;
		}
	}
	spin_unlock(&ph->lock);
	return found;
}

GMM_EXPORT_FOR_TESTING(gmm_pageheap_contains);

/**
 * gmm_pageheap_read_stats() - snapshot of a page heap's counters.
 * @ph: the page heap.
 * @st: filled in; consistent with itself (read under ph->lock).
 *
 * Does not sleep.
 */
void gmm_pageheap_read_stats(struct gmm_pageheap *ph,
			     struct gmm_pageheap_stats *st)
{
	spin_lock(&ph->lock);
	st->sys_bytes = (u64)ph->sys_pages << PAGE_SHIFT;
	st->inuse_bytes = (u64)ph->inuse_pages << GMM_PAGE_SHIFT;
	st->idle_bytes = st->sys_bytes - st->inuse_bytes;
	st->released_bytes = (u64)ph->released_pages << PAGE_SHIFT;
	st->returned_bytes = ph->returned_bytes;
	st->scav_granules = ph->scav_granules;
	st->releasable_bytes = (u64)ph->releasable_pages << PAGE_SHIFT;
	st->retain_bytes = (u64)ph->retain_pages << PAGE_SHIFT;
	st->walk_hold_max_ns = ph->walk_hold_max_ns;
	st->arenas = ph->nr_arenas;
	st->arena_allocs = ph->arena_allocs;
	st->arena_frees = ph->arena_frees;
	st->order_fallbacks = ph->order_fallbacks;
	st->limit_failures = ph->limit_failures;
	st->meta_bytes = atomic_long_read(&ph->meta_bytes);
	spin_unlock(&ph->lock);
}

GMM_EXPORT_FOR_TESTING(gmm_pageheap_read_stats);

/**
 * gmm_pageheap_walk_arenas() - call a function on every arena of a heap.
 * @ph: the page heap.
 * @fn: called once per arena, in list order, with ph->lock held: it must
 *	not sleep, allocate with GFP_KERNEL, or call back into the page heap.
 *	It may read every field of the arena (bitmaps, spans[]), but spans
 *	it finds are only stable as far as their owner guarantees.
 * @arg: passed to @fn.
 *
 * The lock is held for one arena at a time: it is dropped (and the CPU
 * offered to others) between arenas, so the walk of a heap of any size
 * holds it no longer than one arena's @fn.  While a walk is on, no arena
 * leaves the list (ph->walkers: idle arenas stay until it ends), so the
 * walk can go on from where it was; arenas added meanwhile may or may not
 * be seen.  The longest hold is kept (walk_hold_max_ns in the stats).
 * For debugfs, snapshots and the checkmark pass.  Process
 * context; may sleep (between arenas).
 */
void gmm_pageheap_walk_arenas(struct gmm_pageheap *ph,
			      void (*fn)(struct gmm_arena *arena, void *arg),
			      void *arg)
{
	struct gmm_arena *arena;
	u64 t0;

	might_sleep();
	spin_lock(&ph->lock);
	t0 = ktime_get_ns();
	ph->walkers++;
	list_for_each_entry(arena, &ph->arenas, list) {
		fn(arena, arg);
		ph->walk_breaks++;
		ph->walk_hold_max_ns = max(ph->walk_hold_max_ns,
					   ktime_get_ns() - t0);
		spin_unlock(&ph->lock);
		cond_resched();
		spin_lock(&ph->lock);
		t0 = ktime_get_ns();
	}
	ph->walkers--;
	spin_unlock(&ph->lock);
}

GMM_EXPORT_FOR_TESTING(gmm_pageheap_walk_arenas);

/**
 * gmm_pageheap_set_limit() - change a page heap's memory limit.
 * @ph: the page heap.
 * @limit_bytes: the most bytes @ph may hold in arenas; 0 = no limit.
 *
 * Applies to later arena allocations; arenas already held are kept even
 * above the new limit.
 */
void gmm_pageheap_set_limit(struct gmm_pageheap *ph, u64 limit_bytes)
{
	WRITE_ONCE(ph->limit_bytes, limit_bytes);
}

GMM_EXPORT_FOR_TESTING(gmm_pageheap_set_limit);

/**
 * gmm_pageheap_init() - set up an empty page heap.
 * @ph: the page heap, storage provided by the caller.
 * @gfp: GFP_KERNEL, or GFP_KERNEL | __GFP_ACCOUNT for heaps made on behalf
 *	of user space (arenas and descriptors are then charged to the
 *	caller's memory cgroup); __GFP_NOWARN and __GFP_RETRY_MAYFAIL may be
 *	added as well.
 * @limit_bytes: the most bytes the heap may hold in arenas; 0 = no limit.
 *
 * Takes no memory yet.  Puts the heap on the module-wide list the shrinker
 * walks.  Process context; may sleep.
 *
 * Return: 0, or -EINVAL for unsupported @gfp flags.
 */
int gmm_pageheap_init(struct gmm_pageheap *ph, gfp_t gfp, u64 limit_bytes)
{
	if ((gfp & ~GMM_PAGEHEAP_GFP_OK) != GFP_KERNEL)
		return -EINVAL;

	memset(ph, 0, sizeof(*ph));
	spin_lock_init(&ph->lock);
	INIT_LIST_HEAD(&ph->arenas);
	ph->by_addr = RB_ROOT;
	ida_init(&ph->slot_ida);
	INIT_WORK(&ph->scav_work, gmm_scav_work);
	ph->gfp = gfp;
	ph->heap_id = GMM_PAGEHEAP_NO_HEAP;
	ph->limit_bytes = limit_bytes;
	gmm_scav_add_heap(ph);
	return 0;
}

GMM_EXPORT_FOR_TESTING(gmm_pageheap_init);

/* Whether no scavenger holds an arena of @ph (wait_var_event()). */
static bool gmm_pageheap_unheld(struct gmm_pageheap *ph)
{
	return !READ_ONCE(ph->busy);
}

/**
 * gmm_pageheap_destroy() - free every arena of a page heap.
 * @ph: a page heap set up by gmm_pageheap_init().
 *
 * All spans should have been freed; if some were not, this warns once and
 * frees the arenas anyway (the spans then point to freed memory).  Waits
 * for the background scavenger and for a shrinker working on one of its
 * arenas.  Process context; may sleep.
 */
void gmm_pageheap_destroy(struct gmm_pageheap *ph)
{
	struct gmm_arena *arena, *next;
	LIST_HEAD(release);

	gmm_scav_del_heap(ph);
	spin_lock(&ph->lock);
	ph->dying = true;
	spin_unlock(&ph->lock);
	cancel_work_sync(&ph->scav_work);
	wait_var_event(&ph->busy, gmm_pageheap_unheld(ph));

	/* In batches: the lock is never held for more than a few arenas. */
	spin_lock(&ph->lock);
	WARN_ON_ONCE(ph->inuse_pages || ph->walkers);
	while (!list_empty(&ph->arenas)) {
		unsigned int n = 0;

		list_for_each_entry_safe(arena, next, &ph->arenas, list) {
			gmm_arena_unlink_locked(ph, arena, &release);
			if (++n == GMM_PAGEHEAP_BATCH)
				break;
		}
		spin_unlock(&ph->lock);
		gmm_arena_release_list(&release);
		spin_lock(&ph->lock);
	}
	spin_unlock(&ph->lock);
	WARN_ON_ONCE(atomic_long_read(&ph->charged_pages));
	WARN_ON_ONCE(atomic_long_read(&ph->meta_bytes));
	ida_destroy(&ph->slot_ida);
	kvfree(ph->slot);
	kvfree(ph->free_sum.node);
	kvfree(ph->scav_sum.node);
}

GMM_EXPORT_FOR_TESTING(gmm_pageheap_destroy);
