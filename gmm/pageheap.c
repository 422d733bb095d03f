// SPDX-License-Identifier: GPL-2.0
/*
 * pageheap.c - the page heap (Go's mheap): arenas from the buddy allocator
 * and first-fit runs of runtime pages inside them.
 *
 * What it is.  A page heap holds arenas: naturally aligned, zeroed,
 * non-compound blocks from alloc_pages(), preferably 4 MiB (order 10 with
 * 4 KiB pages, Go's page-allocator chunk).  When the buddy allocator has no
 * block that large it falls back to smaller orders, down to the smallest
 * block that still fits the request.  Inside an arena a bitmap says which
 * runtime pages (8 KiB) belong to a span; allocation is first fit over the
 * arenas in the order they were added (bitmap_find_next_zero_area()), and
 * because free memory is just clear bits, freed runs coalesce with their
 * neighbours by construction.  A second bitmap remembers which pages were
 * ever handed out.  A new arena is not zeroed when it comes from the buddy
 * allocator (4 MiB of memset, under QEMU TCG 10-20 ms, inside the
 * mutator section that grew the heap, which a stop of the world waits
 * for): a run of pages never handed out is zeroed when it is, a span at a
 * time, and then the caller can skip zeroing it (Go's needzero); a run
 * with pages handed out before leaves the zeroing to the caller, slot by
 * slot.
 *
 * Why.  Spans need runs of pages of many lengths, with O(1) address to span
 * lookup for the collector.  Arena-sized buddy blocks keep the buddy
 * allocator's work (and lock traffic) low and make page->private of every
 * system page available to point back at the arena.
 *
 * Who calls it.  The heap's central lists (new spans for a size class), the
 * large-object path (one span per object > 32 KiB), the sweeper (empty
 * spans back), debugfs and the visualiser (gmm_pageheap_walk_arenas()),
 * the ioctl layer through the heap (validating addresses with
 * gmm_pageheap_contains()), and the module-wide shrinker.
 *
 * Returning memory.  When an arena becomes wholly free and the heap already
 * keeps one idle arena, it goes back to the buddy allocator at once; one
 * idle arena is kept as a cushion against allocate/free ping-pong.
 * gmm_pageheap_scavenge() returns every idle arena of one heap; the shrinker
 * returns idle arenas of all heaps under memory pressure.
 *
 * Limits.  Every system page an arena needs is charged before alloc_pages()
 * against the heap's limit and the module-wide limit (max_total_mb, default
 * half of RAM).  Over a limit the heap first tries a smaller arena and then
 * fails the allocation with -ENOMEM; nothing changes in the heap.
 *
 * Lock order:
 *	gmm_pageheaps_mutex		(module-wide list of page heaps)
 *	  ph->lock			(one page heap; spinlock)
 * Only one ph->lock is held at a time.  Nothing sleeps or calls the buddy
 * allocator (alloc_pages(), __free_pages(), kmalloc(), kfree()) under
 * ph->lock: arenas are allocated with the lock dropped and freed after
 * they have been unlinked and the lock released.  No allocation happens
 * under gmm_pageheaps_mutex, so taking it from the shrinker cannot
 * deadlock with reclaim.  ph->lock is not taken from interrupts.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include <linux/gmm.h>
#include "compat.h"
#include "fault.h"
#include "internal.h"
#include "pageheap.h"
#include "trace.h"

static unsigned long max_total_mb;
module_param(max_total_mb, ulong, 0644);
MODULE_PARM_DESC(max_total_mb,
		 "Most memory all page heaps together may hold, in MiB (0 = half of RAM)");

/* System pages held (or being allocated) by all page heaps. */
static atomic_long_t gmm_pageheap_nr_pages = ATOMIC_LONG_INIT(0);
/* Metadata bytes charged by all page heaps (gmm_pageheap_charge_meta()). */
static atomic_long_t gmm_pageheap_meta_total = ATOMIC_LONG_INIT(0);
/* System pages in wholly free arenas of all page heaps (shrinker count). */
static atomic_long_t gmm_pageheap_idle_pages = ATOMIC_LONG_INIT(0);

static LIST_HEAD(gmm_pageheaps);
static DEFINE_MUTEX(gmm_pageheaps_mutex);	/* gmm_pageheaps */
static struct shrinker *gmm_pageheap_shrinker;

/* The extra GFP bits a page heap accepts on top of GFP_KERNEL. */
#define GMM_PAGEHEAP_GFP_OK	(__GFP_ACCOUNT | __GFP_NOWARN | __GFP_RETRY_MAYFAIL)
/* Arenas unlinked per hold of the lock when a page heap is destroyed. */
#define GMM_PAGEHEAP_BATCH	32

static inline unsigned long arena_sys_pages(const struct gmm_arena *arena)
{
	return 1UL << arena->order;
}

static inline bool arena_is_free(const struct gmm_arena *arena)
{
	return arena->nfree == arena->npages;
}

/* The module-wide limit in system pages. */
static unsigned long gmm_total_limit_pages(void)
{
	unsigned long mb = READ_ONCE(max_total_mb);

	if (!mb)
		return totalram_pages() / 2;
	if (mb >= (ULONG_MAX >> (20 - PAGE_SHIFT)))
		return ULONG_MAX;
	return mb << (20 - PAGE_SHIFT);
}

/**
 * gmm_pageheap_total_limit() - the module-wide limit on all page heaps
 *
 * Return: bytes (max_total_mb, or half of RAM when that is 0).
 */
u64 gmm_pageheap_total_limit(void)
{
	unsigned long pages = gmm_total_limit_pages();

	return pages == ULONG_MAX ? U64_MAX : (u64)pages << PAGE_SHIFT;
}

/*
 * Charge @nr system pages to @ph and to the module-wide counter; false (and
 * nothing charged) when that would exceed either limit.  Lock-free: a
 * concurrent charge can make another fail spuriously, never exceed a limit.
 */
/* Whether @pages system pages and @meta metadata bytes exceed @limit. */
static bool gmm_over(u64 limit, unsigned long pages, long meta)
{
	return limit && ((u64)pages << PAGE_SHIFT) + max(meta, 0L) > limit;
}

/* The same for the module-wide limit, in system pages. */
static bool gmm_over_total(unsigned long pages, long meta)
{
	return pages + DIV_ROUND_UP(max(meta, 0L), PAGE_SIZE) >
	       gmm_total_limit_pages();
}

static bool gmm_charge(struct gmm_pageheap *ph, unsigned long nr)
{
	u64 limit = READ_ONCE(ph->limit_bytes);
	unsigned long held;

	held = atomic_long_add_return(nr, &ph->charged_pages);
	if (gmm_over(limit, held, atomic_long_read(&ph->meta_bytes)))
		goto undo_heap;
	held = atomic_long_add_return(nr, &gmm_pageheap_nr_pages);
	if (gmm_over_total(held, atomic_long_read(&gmm_pageheap_meta_total)))
		goto undo_total;
	return true;

undo_total:
	atomic_long_sub(nr, &gmm_pageheap_nr_pages);
undo_heap:
	atomic_long_sub(nr, &ph->charged_pages);
	return false;
}

static void gmm_uncharge(struct gmm_pageheap *ph, unsigned long nr)
{
	atomic_long_sub(nr, &gmm_pageheap_nr_pages);
	atomic_long_sub(nr, &ph->charged_pages);
}

/**
 * gmm_pageheap_charge_meta() - count metadata against the limits
 * @ph: the page heap of the heap the metadata belongs to
 * @bytes: its size (a span descriptor with its bitmaps, a type)
 *
 * Metadata counts against the heap's limit together with its arenas, and
 * against max_total_mb.  Lock-free, like the page charge.  Any context.
 *
 * Return: true, or false (nothing charged) when a limit would be exceeded.
 */
bool gmm_pageheap_charge_meta(struct gmm_pageheap *ph, size_t bytes)
{
	long meta;

	meta = atomic_long_add_return(bytes, &ph->meta_bytes);
	if (gmm_over(READ_ONCE(ph->limit_bytes),
		     atomic_long_read(&ph->charged_pages), meta))
		goto undo_heap;
	meta = atomic_long_add_return(bytes, &gmm_pageheap_meta_total);
	if (gmm_over_total(atomic_long_read(&gmm_pageheap_nr_pages), meta))
		goto undo_total;
	return true;

undo_total:
	atomic_long_sub(bytes, &gmm_pageheap_meta_total);
undo_heap:
	atomic_long_sub(bytes, &ph->meta_bytes);
	return false;
}

/**
 * gmm_pageheap_uncharge_meta() - metadata charged earlier is freed
 * @ph: the page heap it was charged to
 * @bytes: as charged
 */
void gmm_pageheap_uncharge_meta(struct gmm_pageheap *ph, size_t bytes)
{
	atomic_long_sub(bytes, &gmm_pageheap_meta_total);
	atomic_long_sub(bytes, &ph->meta_bytes);
}

/* What went wrong while growing, reported back under the lock. */
struct gmm_grow_info {
	unsigned int fallbacks;
	bool limited;
};

/*
 * Allocate a new arena of at least @min_order for @ph.  Process context,
 * ph->lock not held.  Returns NULL when the limits, the buddy allocator or
 * the descriptor allocation say no; @info says why.
 */
static struct gmm_arena *gmm_arena_create(struct gmm_pageheap *ph,
					  unsigned int min_order,
					  struct gmm_grow_info *info)
{
	unsigned int order = max_t(unsigned int, GMM_ARENA_ORDER, min_order);
	struct gmm_arena *arena;
	struct page *page;
	unsigned long nbits, i;
	size_t size;

	/* The largest order both limits allow, no smaller than needed. */
	while (!gmm_charge(ph, 1UL << order)) {
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
			gmm_uncharge(ph, 1UL << order);
			return NULL;
		}
		info->fallbacks++;
		/* Halve the charge along with the order. */
		gmm_uncharge(ph, 1UL << (order - 1));
		order--;
	}

	nbits = (PAGE_SIZE << order) >> GMM_PAGE_SHIFT;
	size = struct_size(arena, spans, nbits) +
	       2 * BITS_TO_LONGS(nbits) * sizeof(unsigned long);
	arena = NULL;
	if (!gmm_should_fail(GMM_FAIL_ARENA_META))
		arena = kzalloc(size, ph->gfp);
	if (!arena) {
		__free_pages(page, order);
		gmm_uncharge(ph, 1UL << order);
		return NULL;
	}

	INIT_LIST_HEAD(&arena->list);
	arena->ph = ph;
	arena->base = (unsigned long)page_address(page);
	arena->order = order;
	arena->npages = nbits;
	arena->nfree = nbits;
	arena->inuse = (unsigned long *)&arena->spans[nbits];
	arena->touched = arena->inuse + BITS_TO_LONGS(nbits);
	for (i = 0; i < (1UL << order); i++)
		set_page_private(page + i, (unsigned long)arena);
	return arena;
}

/* Give a wholly free, unlinked arena back to the buddy allocator. */
static void gmm_arena_release(struct gmm_arena *arena)
{
	struct gmm_pageheap *ph = arena->ph;
	struct page *page = virt_to_page((void *)arena->base);
	unsigned int order = arena->order;
	unsigned long i;

	trace_gmm_arena_free(ph->heap_id, arena->id, order);
	for (i = 0; i < (1UL << order); i++)
		set_page_private(page + i, 0);
	__free_pages(page, order);
	kfree(arena);
	gmm_uncharge(ph, 1UL << order);
}

static void gmm_arena_release_list(struct list_head *list)
{
	struct gmm_arena *arena, *next;

	list_for_each_entry_safe(arena, next, list, list) {
		list_del(&arena->list);
		gmm_arena_release(arena);
		cond_resched();
	}
}

/* Add a new (wholly free) arena to @ph. */
static void gmm_arena_add_locked(struct gmm_pageheap *ph,
				 struct gmm_arena *arena)
{
	lockdep_assert_held(&ph->lock);
	list_add_tail(&arena->list, &ph->arenas);
	ph->sys_pages += arena_sys_pages(arena);
	ph->nr_arenas++;
	arena->id = ph->arena_allocs++;
	ph->nr_free_arenas++;
	atomic_long_add(arena_sys_pages(arena), &gmm_pageheap_idle_pages);
	trace_gmm_arena_alloc(ph->heap_id, arena->id, arena->order);
}

/* Unlink @arena from @ph and move it to @out, to be released unlocked. */
static void gmm_arena_unlink_locked(struct gmm_pageheap *ph,
				    struct gmm_arena *arena,
				    struct list_head *out)
{
	lockdep_assert_held(&ph->lock);
	if (arena_is_free(arena)) {
		ph->nr_free_arenas--;
		atomic_long_sub(arena_sys_pages(arena),
				&gmm_pageheap_idle_pages);
	}
	list_move_tail(&arena->list, out);
	ph->sys_pages -= arena_sys_pages(arena);
	ph->nr_arenas--;
	ph->arena_frees++;
	ph->released_bytes += (u64)arena_sys_pages(arena) << PAGE_SHIFT;
}

/*
 * Unlink up to @nr_pages system pages worth of wholly free arenas (all of
 * them for ULONG_MAX) onto @out.  Returns the system pages unlinked.
 */
static unsigned long gmm_unlink_free_locked(struct gmm_pageheap *ph,
					    unsigned long nr_pages,
					    struct list_head *out)
{
	struct gmm_arena *arena, *next;
	unsigned long done = 0;

	lockdep_assert_held(&ph->lock);
	if (ph->walkers)	/* a walk relies on every arena staying */
		return 0;
	list_for_each_entry_safe(arena, next, &ph->arenas, list) {
		if (done >= nr_pages)
			break;
		if (!arena_is_free(arena))
			continue;
		done += arena_sys_pages(arena);
		gmm_arena_unlink_locked(ph, arena, out);
	}
	return done;
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

	if (arena_is_free(arena)) {
		ph->nr_free_arenas--;
		atomic_long_sub(arena_sys_pages(arena),
				&gmm_pageheap_idle_pages);
	}
	needzero = find_next_bit(arena->touched, start + npages, start) <
		   start + npages;
	bitmap_set(arena->inuse, start, npages);
	bitmap_set(arena->touched, start, npages);
	arena->nfree -= npages;
	ph->inuse_pages += npages;

	span->base = arena->base + (start << GMM_PAGE_SHIFT);
	span->arena = arena;
	span->first_page = start;
	span->npages = npages;
	for (i = start; i < start + npages; i++)
		WRITE_ONCE(arena->spans[i], span);
	return needzero;
}

/* First fit of @npages over the arenas, in the order they were added. */
static int gmm_alloc_locked(struct gmm_pageheap *ph, unsigned int npages,
			    struct gmm_span *span)
{
	struct gmm_arena *arena;
	int ret;

	lockdep_assert_held(&ph->lock);
	list_for_each_entry(arena, &ph->arenas, list) {
		ret = gmm_alloc_in_arena_locked(ph, arena, npages, span);
		if (ret >= 0)
			return ret;
	}
	return -ENOMEM;
}

/**
 * gmm_pageheap_alloc() - allocate a run of runtime pages for a span.
 * @ph: the page heap.
 * @npages: runtime pages wanted, 1 .. GMM_MAX_SPAN_PAGES.
 * @span: the caller's span descriptor; on success its base, arena,
 *	first_page and npages are set and every page of the run maps to it
 *	in gmm_span_of().  No other field is touched.
 *
 * First fit over the heap's arenas.  When no arena has room, a new arena is
 * taken from the buddy allocator (preferably 4 MiB, smaller when that
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

	if (arena_is_free(arena)) {
		ph->nr_free_arenas++;
		atomic_long_add(arena_sys_pages(arena),
				&gmm_pageheap_idle_pages);
		/* Keep one idle arena as a cushion, return the rest. */
		if (ph->nr_free_arenas > 1 && !ph->walkers)
			gmm_arena_unlink_locked(ph, arena, &release);
	}
	spin_unlock(&ph->lock);

	gmm_arena_release_list(&release);
}

GMM_EXPORT_FOR_TESTING(gmm_pageheap_free);

/**
 * gmm_pageheap_scavenge() - return every wholly free arena of a page heap.
 * @ph: the page heap.
 *
 * Includes the idle arena normally kept as a cushion.  Does not sleep;
 * takes ph->lock.
 *
 * Return: bytes given back to the buddy allocator.
 */
unsigned long gmm_pageheap_scavenge(struct gmm_pageheap *ph)
{
	unsigned long pages;
	LIST_HEAD(release);

	spin_lock(&ph->lock);
	pages = gmm_unlink_free_locked(ph, ULONG_MAX, &release);
	spin_unlock(&ph->lock);

	gmm_arena_release_list(&release);
	trace_gmm_scavenge(ph->heap_id, pages);
	return pages << PAGE_SHIFT;
}

GMM_EXPORT_FOR_TESTING(gmm_pageheap_scavenge);

/**
 * gmm_pageheap_contains() - whether an address lies in one of a heap's arenas.
 * @ph: the page heap.
 * @p: any address, possibly bogus.
 *
 * Walks the arena list under ph->lock: for validating untrusted addresses,
 * not for fast paths (use gmm_span_of() on addresses known to be in a heap).
 * The answer can be stale as soon as the lock is dropped, unless the caller
 * keeps the span at @p allocated.
 *
 * Return: true if @p is inside an arena of @ph, allocated to a span or not.
 */
bool gmm_pageheap_contains(struct gmm_pageheap *ph, const void *p)
{
	unsigned long addr = (unsigned long)p;
	struct gmm_arena *arena;
	bool found = false;

	spin_lock(&ph->lock);
	list_for_each_entry(arena, &ph->arenas, list) {
		if (addr >= arena->base &&
		    addr - arena->base < (PAGE_SIZE << arena->order)) {
			found = true;
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
 */
void gmm_pageheap_read_stats(struct gmm_pageheap *ph,
			     struct gmm_pageheap_stats *st)
{
	spin_lock(&ph->lock);
	st->sys_bytes = (u64)ph->sys_pages << PAGE_SHIFT;
	st->inuse_bytes = (u64)ph->inuse_pages << GMM_PAGE_SHIFT;
	st->idle_bytes = st->sys_bytes - st->inuse_bytes;
	st->released_bytes = ph->released_bytes;
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
 * be seen.  For debugfs, snapshots and the checkmark pass.  Process
 * context; may sleep (between arenas).
 */
void gmm_pageheap_walk_arenas(struct gmm_pageheap *ph,
			      void (*fn)(struct gmm_arena *arena, void *arg),
			      void *arg)
{
	struct gmm_arena *arena;

	might_sleep();
	spin_lock(&ph->lock);
	ph->walkers++;
	list_for_each_entry(arena, &ph->arenas, list) {
		fn(arena, arg);
		ph->walk_breaks++;
		spin_unlock(&ph->lock);
		cond_resched();
		spin_lock(&ph->lock);
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

	spin_lock_init(&ph->lock);
	INIT_LIST_HEAD(&ph->arenas);
	ph->gfp = gfp;
	ph->heap_id = GMM_PAGEHEAP_NO_HEAP;
	ph->limit_bytes = limit_bytes;
	atomic_long_set(&ph->charged_pages, 0);
	atomic_long_set(&ph->meta_bytes, 0);
	ph->sys_pages = 0;
	ph->inuse_pages = 0;
	ph->nr_arenas = 0;
	ph->nr_free_arenas = 0;
	ph->released_bytes = 0;
	ph->arena_allocs = 0;
	ph->arena_frees = 0;
	ph->order_fallbacks = 0;
	ph->limit_failures = 0;

	mutex_lock(&gmm_pageheaps_mutex);
	list_add_tail(&ph->node, &gmm_pageheaps);
	mutex_unlock(&gmm_pageheaps_mutex);
	return 0;
}

GMM_EXPORT_FOR_TESTING(gmm_pageheap_init);

/**
 * gmm_pageheap_destroy() - free every arena of a page heap.
 * @ph: a page heap set up by gmm_pageheap_init().
 *
 * All spans should have been freed; if some were not, this warns once and
 * frees the arenas anyway (the spans then point to freed memory).
 * Process context; may sleep.
 */
void gmm_pageheap_destroy(struct gmm_pageheap *ph)
{
	struct gmm_arena *arena, *next;
	LIST_HEAD(release);

	mutex_lock(&gmm_pageheaps_mutex);
	list_del(&ph->node);
	mutex_unlock(&gmm_pageheaps_mutex);

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
}

GMM_EXPORT_FOR_TESTING(gmm_pageheap_destroy);

/**
 * gmm_pageheap_total_pages() - system pages held by all page heaps.
 *
 * Includes pages of arenas being allocated at this moment.
 *
 * Return: the number of system pages (PAGE_SIZE each).
 */
unsigned long gmm_pageheap_total_pages(void)
{
	return atomic_long_read(&gmm_pageheap_nr_pages);
}

GMM_EXPORT_FOR_TESTING(gmm_pageheap_total_pages);

/**
 * gmm_pageheap_set_max_total_mb() - set the module-wide limit.
 * @mb: the value of the max_total_mb parameter (0 = half of RAM).
 *
 * The same as writing /sys/module/gmm/parameters/max_total_mb; for tests.
 *
 * Return: the previous value.
 */
unsigned long gmm_pageheap_set_max_total_mb(unsigned long mb)
{
	return xchg(&max_total_mb, mb);
}

GMM_EXPORT_FOR_TESTING(gmm_pageheap_set_max_total_mb);

/**
 * gmm_pageheap_shrink_count() - system pages the shrinker could release.
 *
 * Return: the system pages in wholly free arenas of all page heaps.
 */
unsigned long gmm_pageheap_shrink_count(void)
{
	long n = atomic_long_read(&gmm_pageheap_idle_pages);

	return n > 0 ? n : 0;
}

GMM_EXPORT_FOR_TESTING(gmm_pageheap_shrink_count);

/**
 * gmm_pageheap_shrink_scan() - release wholly free arenas of all page heaps.
 * @nr_to_scan: system pages wanted; whole arenas are released, so the
 *	result may exceed it.  ULONG_MAX releases every free arena.
 *
 * Takes the module-wide list mutex and each heap's lock in turn.  Process
 * context (reclaim included); may sleep.
 *
 * Return: system pages released.
 */
unsigned long gmm_pageheap_shrink_scan(unsigned long nr_to_scan)
{
	struct gmm_pageheap *ph;
	unsigned long freed = 0;
	LIST_HEAD(release);

	mutex_lock(&gmm_pageheaps_mutex);
	list_for_each_entry(ph, &gmm_pageheaps, node) {
		unsigned long n;

		if (freed >= nr_to_scan)
			break;
		spin_lock(&ph->lock);
		n = gmm_unlink_free_locked(ph, nr_to_scan - freed, &release);
		spin_unlock(&ph->lock);
		gmm_arena_release_list(&release);
		if (n)
			trace_gmm_shrink(ph->heap_id, n);
		freed += n;
	}
	mutex_unlock(&gmm_pageheaps_mutex);
	return freed;
}

GMM_EXPORT_FOR_TESTING(gmm_pageheap_shrink_scan);

static unsigned long gmm_pageheap_count_objects(struct shrinker *shrinker,
						struct shrink_control *sc)
{
	unsigned long n = gmm_pageheap_shrink_count();

	return n ? n : SHRINK_EMPTY;
}

static unsigned long gmm_pageheap_scan_objects(struct shrinker *shrinker,
					       struct shrink_control *sc)
{
	unsigned long freed = gmm_pageheap_shrink_scan(sc->nr_to_scan);

	return freed ? freed : SHRINK_STOP;
}

/**
 * gmm_pageheap_make_room() - give back idle arenas of every heap
 *
 * For an allocation that hit the module-wide limit: the wholly free
 * arenas heaps keep as a cushion count against it.  Process context; may
 * sleep (gmm_pageheaps_mutex); no gmm spinlock held.
 *
 * Return: true when some memory went back to the buddy allocator.
 */
bool gmm_pageheap_make_room(void)
{
	return gmm_pageheap_shrink_scan(1UL << GMM_ARENA_ORDER) > 0;
}

/**
 * gmm_pageheap_module_init() - module-wide page-heap setup.
 *
 * Registers the shrinker that returns idle arenas under memory pressure.
 * Call from module load, before any heap exists.
 *
 * Return: 0 or a negative errno.
 */
int gmm_pageheap_module_init(void)
{
	struct shrinker *s;

	s = gmm_shrinker_create(gmm_pageheap_count_objects,
				gmm_pageheap_scan_objects, "gmm-pageheap");
	if (IS_ERR(s))
		return PTR_ERR(s);
	gmm_pageheap_shrinker = s;
	return 0;
}

/**
 * gmm_pageheap_module_exit() - module-wide page-heap teardown.
 *
 * Unregisters the shrinker.  Call from module unload, after every heap has
 * been destroyed.
 */
void gmm_pageheap_module_exit(void)
{
	gmm_shrinker_destroy(gmm_pageheap_shrinker);
	gmm_pageheap_shrinker = NULL;
	WARN_ON_ONCE(!list_empty(&gmm_pageheaps));
	WARN_ON_ONCE(gmm_pageheap_total_pages());
}
