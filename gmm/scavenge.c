// SPDX-License-Identifier: GPL-2.0
/*
 * scavenge.c - giving a page heap's free memory back to the buddy
 * allocator (Go's scavenger).
 *
 * What goes back.  Wholly free arenas, and free 64 KiB granules (8
 * runtime pages, aligned) of arenas still in use.  An arena is one
 * non-compound buddy block; the first time one of its granules goes back
 * the block is split_page()d, so that each system page - and its memory
 * cgroup charge - can be freed on its own.  A released granule stays in
 * the arena as a hole: its bits stay set in the arena's @inuse bitmap so no
 * search finds it, and it is never handed out again - in the kernel's
 * direct map the addresses are the physical pages, there is no way to get
 * the same pages back the way Go re-faults a released virtual range.  The
 * arena goes back whole once nothing in it is used.  HeapReleased is the
 * size of the holes: bytes returned and not reused, Go's meaning, and
 * HeapSys - HeapReleased is what the heap holds.
 *
 * When.  (1) In the background after each cycle (gmm_pageheap_retain(),
 * called by the collector with the next heap goal): the heap keeps the
 * goal + 10 % - Go's retained-heap goal, room for the next cycle's
 * allocation without going back to the buddy allocator - and a work item
 * returns what it holds beyond that, from the highest arena slots down
 * (allocation prefers the lowest), one arena per hold of the lock.  Go
 * paces its scavenger to 1 % of a CPU because each madvise costs a system
 * call and a fault later; here freeing a granule costs 16 page frees and
 * no fault, so the excess goes back at once, yielding between arenas.
 * Module parameter scavenge=0 turns the background part off.  (2) Under
 * memory pressure, from a memcg-aware shrinker: arenas with memory to give
 * back are items of a list_lru, filed under the memory cgroup their
 * descriptor (and pages) were charged to, so reclaim of one cgroup - its
 * memory.high or memory.max - shrinks only that cgroup's heaps.  The
 * objects are arenas; seeks is 0 (free memory costs nothing to recreate),
 * so reclaim scans half of them per call.  (3) On request:
 * gmm_pageheap_scavenge() and the module-wide limit (make room).
 *
 * Holding an arena.  A scavenger marks granules released under ph->lock,
 * then frees their pages with the lock dropped; meanwhile the arena is
 * "busy": nothing frees it, it is off the list_lru and out of the
 * scavenger's summary.  Allocation may go on in its other pages.
 *
 * Locks: ph->lock, then the list_lru's lock (gmm_scav_update_locked()
 * adds and removes items under ph->lock); the shrinker's isolate callback
 * runs under the list_lru lock and only trylocks ph->lock.
 * gmm_pageheaps_mutex protects the list of all page heaps.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/list_lru.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/wait_bit.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "fault.h"
#include "internal.h"
#include "mutant.h"
#include "pageheap.h"
#include "pagelimit.h"
#include "scavenge.h"
#include "trace.h"

static bool scavenge = true;
module_param(scavenge, bool, 0644);
MODULE_PARM_DESC(scavenge,
		 "Give free memory beyond the heap goal + 10% back after each cycle (0 = only under memory pressure or on request)");

/* The arena's item on the list_lru; its memcg is the one it is charged to. */
struct gmm_arena_lru {
	struct list_head lru;
	struct gmm_arena *arena;
};

static struct kmem_cache *gmm_arena_lru_cache;
static struct list_lru gmm_scav_lru;
static struct shrinker *gmm_scav_shrinker;
/* Set once the list_lru is ready (6.1 registers the shrinker first). */
static bool gmm_scav_ready;
/* System pages all page heaps could give back now. */
static atomic_long_t gmm_scav_releasable = ATOMIC_LONG_INIT(0);

static LIST_HEAD(gmm_pageheaps);
static DEFINE_MUTEX(gmm_pageheaps_mutex);	/* gmm_pageheaps */

/**
 * gmm_scav_lru_alloc() - the scavenger's list item for a new arena
 * @a: the arena
 * @gfp: the page heap's flags: with __GFP_ACCOUNT the item is charged to
 *	the caller's memory cgroup, and reclaim of that cgroup finds it
 *
 * Process context; may sleep.
 *
 * Return: 0 or -ENOMEM.
 */
int gmm_scav_lru_alloc(struct gmm_arena *a, gfp_t gfp)
{
	struct gmm_arena_lru *n = NULL;

	if (!gmm_should_fail(GMM_FAIL_ARENA_SLOTS))
		n = kmem_cache_alloc_lru(gmm_arena_lru_cache, &gmm_scav_lru,
					 gfp);
	if (!n)
		return -ENOMEM;
	INIT_LIST_HEAD(&n->lru);
	n->arena = a;
	a->lru = n;
	return 0;
}

/**
 * gmm_scav_lru_free() - free an unlinked arena's list item
 * @a: the arena
 */
void gmm_scav_lru_free(struct gmm_arena *a)
{
	kmem_cache_free(gmm_arena_lru_cache, a->lru);
	a->lru = NULL;
}

/* Put @a on the list_lru or take it off. */
static void gmm_scav_lru_set(struct gmm_arena *a, bool want)
{
	if (want == a->on_lru)
		return;
	if (want)
		gmm_list_lru_add(&gmm_scav_lru, &a->lru->lru);
	else
		gmm_list_lru_del(&gmm_scav_lru, &a->lru->lru);
	a->on_lru = want;
}

/* Whether granule @g of @a has no page in use (nor is released). */
static bool gmm_granule_free(const struct gmm_arena *a, unsigned int g)
{
	if (GMM_MUTANT(GMM_MUT_SCAV_PARTIAL))
		return !test_bit(g * GMM_GRANULE_PAGES, a->inuse);
	return !bitmap_get_value8(a->inuse, g * GMM_GRANULE_PAGES);
}

/* Free granules of @a that are not released yet. */
static unsigned int gmm_free_granules(const struct gmm_arena *a)
{
	unsigned int g, n = 0;

	for (g = 0; g < a->npages / GMM_GRANULE_PAGES; g++)
		n += gmm_granule_free(a, g);
	return n;
}

/**
 * gmm_scav_update_locked() - the scavenger's view of an arena
 * @ph: the page heap
 * @a: an arena of @ph
 *
 * What @a could give back (all of it when wholly free, else its free
 * granules; nothing while busy) goes to the scavenger's summary, to the
 * counts and to the list_lru (a busy arena is off it).  Caller holds
 * ph->lock.
 */
void gmm_scav_update_locked(struct gmm_pageheap *ph, struct gmm_arena *a)
{
	unsigned long pages = 0;
	unsigned int val = 0;
	long delta;

	if (!a->busy) {
		val = gmm_free_granules(a);
		pages = val * GMM_GRANULE_SYS_PAGES;
		if (gmm_arena_is_free(a)) {
			pages = gmm_arena_held_pages(a);
			val = max(val, 1U);
		}
	}
	gmm_pagesum_set(&ph->scav_sum, a->slot, val);
	delta = (long)pages - (long)a->releasable;
	ph->releasable_pages += delta;
	atomic_long_add(delta, &gmm_scav_releasable);
	a->releasable = pages;
	gmm_scav_lru_set(a, pages > 0);
}

/* Hold @a (off the list_lru already or not): nothing frees it now. */
static void gmm_scav_pin_locked(struct gmm_pageheap *ph, struct gmm_arena *a)
{
	gmm_scav_lru_set(a, false);
	a->busy = true;
	ph->busy++;
	gmm_scav_update_locked(ph, a);
}

static void gmm_scav_unpin_locked(struct gmm_pageheap *ph,
				  struct gmm_arena *a)
{
	a->busy = false;
	ph->busy--;
	gmm_scav_update_locked(ph, a);
}

/* The highest slot with memory to give back, held; NULL if none. */
static struct gmm_arena *gmm_scav_pick_locked(struct gmm_pageheap *ph)
{
	long slot = gmm_pagesum_last(&ph->scav_sum, 1);
	struct gmm_arena *a;

	if (slot < 0 || ph->dying)
		return NULL;
	a = ph->slot[slot];
	gmm_scav_pin_locked(ph, a);
	return a;
}

/* Mark up to @budget system pages of free granules of @a released. */
static u64 gmm_scav_mark_locked(struct gmm_pageheap *ph, struct gmm_arena *a,
				unsigned long budget)
{
	unsigned int g = a->npages / GMM_GRANULE_PAGES;
	unsigned long pages = 0;
	u64 mask = 0;

	while (g-- > 0 && pages < budget) {	/* from the top down */
		if (!gmm_granule_free(a, g))
			continue;
		bitmap_set(a->inuse, g * GMM_GRANULE_PAGES, GMM_GRANULE_PAGES);
		a->released |= BIT_ULL(g);
		a->nfree -= GMM_GRANULE_PAGES;
		a->nreleased += GMM_GRANULE_PAGES;
		ph->released_pages += GMM_GRANULE_SYS_PAGES;
		pages += GMM_GRANULE_SYS_PAGES;
		mask |= BIT_ULL(g);
	}
	if (mask)
		gmm_arena_update_locked(ph, a);
	return mask;
}

/* The pages of the granules in @mask back to the buddy allocator. */
static void gmm_scav_free_granules(struct gmm_arena *a, u64 mask)
{
	struct page *page = virt_to_page((void *)a->base);
	unsigned long i;
	unsigned int g;

	if (!a->split) {
		split_page(page, a->order);
		a->split = true;
	}
	for (g = 0; mask; g++, mask >>= 1) {
		if (!(mask & 1))
			continue;
		for (i = g * GMM_GRANULE_SYS_PAGES;
		     i < (g + 1) * GMM_GRANULE_SYS_PAGES; i++) {
			set_page_private(page + i, 0);
			__free_page(page + i);
		}
		cond_resched();
	}
}

/*
 * Unlink and release a held arena that is wholly free (what it still
 * holds goes back); @ph stays held until the arena is released.  Called
 * and returns with ph->lock held; drops it meanwhile.
 */
static void gmm_scav_drop(struct gmm_pageheap *ph, struct gmm_arena *a)
{
	LIST_HEAD(release);

	a->busy = false;
	gmm_arena_unlink_locked(ph, a, &release);
	spin_unlock(&ph->lock);
	gmm_arena_release_list(&release);
	spin_lock(&ph->lock);
	ph->busy--;
}

/* Whether a held arena should go whole: free, fits, no walk under way. */
static bool gmm_scav_whole_locked(struct gmm_pageheap *ph,
				  struct gmm_arena *a, unsigned long budget)
{
	return gmm_arena_is_free(a) && gmm_arena_held_pages(a) <= budget &&
	       !ph->walkers;
}

/*
 * Give back up to @budget system pages of a held arena (at least one
 * granule when it has one): the whole arena when it is free and fits the
 * budget, else free granules from its top (and then the arena, if that
 * left nothing in it).  Lets go of the arena.  Process context; may
 * sleep.  Returns system pages given back.
 */
static unsigned long gmm_scav_arena(struct gmm_pageheap *ph,
				    struct gmm_arena *a, unsigned long budget,
				    int why)
{
	u32 heap_id = ph->heap_id, arena_id = a->id;
	unsigned long pages;
	u64 mask;

	spin_lock(&ph->lock);
	if (gmm_scav_whole_locked(ph, a, budget)) {
		pages = gmm_arena_held_pages(a);
		gmm_scav_drop(ph, a);
		spin_unlock(&ph->lock);
		mask = U64_MAX;
		goto out;
	}
	mask = gmm_scav_mark_locked(ph, a, budget);
	spin_unlock(&ph->lock);

	pages = hweight64(mask) * GMM_GRANULE_SYS_PAGES;
	if (mask) {
		gmm_scav_free_granules(a, mask);
		gmm_pageheap_uncharge(ph, pages);
	}
	spin_lock(&ph->lock);
	ph->scav_granules += hweight64(mask);
	ph->returned_bytes += (u64)pages << PAGE_SHIFT;
	if (gmm_scav_whole_locked(ph, a, 0))
		gmm_scav_drop(ph, a);	/* nothing left in it */
	else
		gmm_scav_unpin_locked(ph, a);
	spin_unlock(&ph->lock);
out:
	/* @ph may be gone once busy is 0 and the waker has run. */
	wake_up_var(&ph->busy);
	if (pages)
		trace_gmm_scavenge_run(heap_id, arena_id, mask, pages, why);
	return pages;
}

/* System pages @ph holds beyond what the background scavenger keeps. */
static unsigned long gmm_scav_excess_locked(struct gmm_pageheap *ph)
{
	unsigned long held = ph->sys_pages - ph->released_pages;
	unsigned long keep = max(ph->retain_pages, ph->inuse_pages *
				 (unsigned long)(GMM_PAGE_SIZE / PAGE_SIZE));

	if (!ph->retain_pages || ph->dying)
		return 0;
	return held > keep ? held - keep : 0;
}

/*
 * Give back up to @nr_pages system pages of @ph, highest slots first, one
 * arena per hold of the lock; with @to_goal no more than the background
 * scavenger's excess.  Process context; may sleep.
 */
static unsigned long gmm_scav_loop(struct gmm_pageheap *ph,
				   unsigned long nr_pages, bool to_goal,
				   int why)
{
	unsigned long done = 0, want, got;
	struct gmm_arena *a;

	while (done < nr_pages) {
		want = nr_pages - done;
		a = NULL;
		spin_lock(&ph->lock);
		if (to_goal)
			want = min(want, gmm_scav_excess_locked(ph));
		if (want)
			a = gmm_scav_pick_locked(ph);
		spin_unlock(&ph->lock);
		if (!a)
			break;
		got = gmm_scav_arena(ph, a, want, why);
		if (!got)
			break;
		done += got;
		cond_resched();
	}
	return done;
}

/**
 * gmm_scav_work() - the background scavenger of one page heap
 * @work: the page heap's scav_work
 *
 * Queued by gmm_pageheap_retain(); gives back what the heap holds beyond
 * its goal + 10 %.  Process context (system_unbound_wq).
 */
void gmm_scav_work(struct work_struct *work)
{
	struct gmm_pageheap *ph = container_of(work, struct gmm_pageheap,
					       scav_work);

	gmm_scav_loop(ph, ULONG_MAX, true, GMM_SCAV_BACKGROUND);
}

/**
 * gmm_scavenge_set_background() - the scavenge parameter, for tests
 * @on: whether the background scavenger runs after each cycle
 *
 * Return: the previous value.
 */
bool gmm_scavenge_set_background(bool on)
{
	return xchg(&scavenge, on);
}

GMM_EXPORT_FOR_TESTING(gmm_scavenge_set_background);

/**
 * gmm_pageheap_retain() - what the background scavenger keeps
 * @ph: the page heap
 * @goal_bytes: the heap goal of the next cycle
 *
 * The heap keeps @goal_bytes + 10 % (and never less than its spans); when
 * it holds more and the scavenge parameter is on, the background
 * scavenger is queued.  Called by the collector after each cycle.  Any
 * context that may take a spinlock.
 */
void gmm_pageheap_retain(struct gmm_pageheap *ph, u64 goal_bytes)
{
	u64 keep = goal_bytes;

	if (check_add_overflow(keep, goal_bytes / 10, &keep))
		keep = U64_MAX;
	spin_lock(&ph->lock);
	ph->retain_pages = min_t(u64, keep >> PAGE_SHIFT, ULONG_MAX);
	if (READ_ONCE(scavenge) && gmm_scav_excess_locked(ph))
		queue_work(system_unbound_wq, &ph->scav_work);
	spin_unlock(&ph->lock);
}

GMM_EXPORT_FOR_TESTING(gmm_pageheap_retain);

/**
 * gmm_pageheap_scavenge_pages() - give back some of a heap's free memory
 * @ph: the page heap
 * @nr_pages: system pages wanted (ULONG_MAX: everything it can)
 * @why: enum gmm_scav_why, for the tracepoint
 *
 * Wholly free arenas and free granules, highest slots first, whatever the
 * heap goal.  Process context; may sleep; no gmm spinlock held.
 *
 * Return: system pages given back (may exceed @nr_pages by less than an
 * arena).
 */
unsigned long gmm_pageheap_scavenge_pages(struct gmm_pageheap *ph,
					  unsigned long nr_pages, int why)
{
	return gmm_scav_loop(ph, nr_pages, false, why);
}

GMM_EXPORT_FOR_TESTING(gmm_pageheap_scavenge_pages);

/**
 * gmm_pageheap_scavenge() - give back all of a heap's free memory
 * @ph: the page heap
 *
 * Wholly free arenas (the idle one kept as a cushion included) and every
 * free granule.  Process context; may sleep.
 *
 * Return: bytes given back to the buddy allocator.
 */
unsigned long gmm_pageheap_scavenge(struct gmm_pageheap *ph)
{
	unsigned long pages;

	pages = gmm_scav_loop(ph, ULONG_MAX, false, GMM_SCAV_EXPLICIT);
	trace_gmm_scavenge(ph->heap_id, pages);
	return pages << PAGE_SHIFT;
}

GMM_EXPORT_FOR_TESTING(gmm_pageheap_scavenge);

/**
 * gmm_scav_add_heap() - a new page heap joins the module-wide list
 * @ph: the page heap
 *
 * Process context; may sleep.
 */
void gmm_scav_add_heap(struct gmm_pageheap *ph)
{
	mutex_lock(&gmm_pageheaps_mutex);
	list_add_tail(&ph->node, &gmm_pageheaps);
	mutex_unlock(&gmm_pageheaps_mutex);
}

/**
 * gmm_scav_del_heap() - a page heap leaves the module-wide list
 * @ph: the page heap
 *
 * Process context; may sleep.
 */
void gmm_scav_del_heap(struct gmm_pageheap *ph)
{
	mutex_lock(&gmm_pageheaps_mutex);
	list_del(&ph->node);
	mutex_unlock(&gmm_pageheaps_mutex);
}

/**
 * gmm_pageheap_shrink_count() - system pages all heaps could give back
 *
 * Return: the pages of wholly free arenas and free granules of all page
 * heaps (arenas a scavenger holds left out).
 */
unsigned long gmm_pageheap_shrink_count(void)
{
	long n = atomic_long_read(&gmm_scav_releasable);

	return n > 0 ? n : 0;
}

GMM_EXPORT_FOR_TESTING(gmm_pageheap_shrink_count);

/**
 * gmm_pageheap_shrink_scan() - give back free memory of all page heaps
 * @nr_to_scan: system pages wanted (ULONG_MAX: everything)
 *
 * Heap by heap in the order they were made, with the module-wide list's
 * mutex held.  Process context; may sleep.
 *
 * Return: system pages given back.
 */
unsigned long gmm_pageheap_shrink_scan(unsigned long nr_to_scan)
{
	struct gmm_pageheap *ph;
	unsigned long freed = 0, n;

	mutex_lock(&gmm_pageheaps_mutex);
	list_for_each_entry(ph, &gmm_pageheaps, node) {
		if (freed >= nr_to_scan)
			break;
		n = gmm_scav_loop(ph, nr_to_scan - freed, false,
				  GMM_SCAV_EXPLICIT);
		if (n)
			trace_gmm_shrink(ph->heap_id, n);
		freed += n;
	}
	mutex_unlock(&gmm_pageheaps_mutex);
	return freed;
}

GMM_EXPORT_FOR_TESTING(gmm_pageheap_shrink_scan);

/*
 * list_lru isolate callback, under the list's lock: hold the arena and
 * move it to the caller's list (its heap's lock only by trylock: the
 * usual order is the other way round).
 */
static enum lru_status gmm_scav_isolate(struct list_head *item,
					struct list_lru_one *list,
					spinlock_t *lock, void *arg)
{
	struct gmm_arena *a = container_of(item, struct gmm_arena_lru,
					   lru)->arena;
	struct gmm_pageheap *ph = a->ph;

	if (!spin_trylock(&ph->lock))
		return LRU_SKIP;
	if (ph->dying) {
		spin_unlock(&ph->lock);
		return LRU_SKIP;
	}
	list_lru_isolate_move(list, item, arg);
	a->on_lru = false;
	gmm_scav_pin_locked(ph, a);
	spin_unlock(&ph->lock);
	return LRU_REMOVED;
}

/**
 * gmm_pageheap_shrink_memcg() - the shrinker's scan for one cgroup and node
 * @sc: the kernel's shrink control (memcg, nid, nr_to_scan arenas)
 *
 * Every arena isolated from that cgroup's list gives back all it can.
 * Process context (reclaim); may sleep.
 *
 * Return: system pages given back.
 */
unsigned long gmm_pageheap_shrink_memcg(struct shrink_control *sc)
{
	struct gmm_arena_lru *n, *next;
	unsigned long pages = 0, got;
	LIST_HEAD(dispose);

	/* Pairs with the release in gmm_scavenge_module_init(). */
	if (!smp_load_acquire(&gmm_scav_ready))
		return 0;
	list_lru_shrink_walk(&gmm_scav_lru, sc, gmm_scav_isolate, &dispose);
	list_for_each_entry_safe(n, next, &dispose, lru) {
		struct gmm_arena *a = n->arena;
		u32 heap_id = a->ph->heap_id;

		list_del_init(&n->lru);
		got = gmm_scav_arena(a->ph, a, ULONG_MAX, GMM_SCAV_SHRINKER);
		if (got)
			trace_gmm_shrink(heap_id, got);
		pages += got;
	}
	return pages;
}

GMM_EXPORT_FOR_TESTING(gmm_pageheap_shrink_memcg);

static unsigned long gmm_scav_count_objects(struct shrinker *shrinker,
					    struct shrink_control *sc)
{
	unsigned long n;

	/* Pairs with the release in gmm_scavenge_module_init(). */
	if (!smp_load_acquire(&gmm_scav_ready))
		return 0;
	n = list_lru_shrink_count(&gmm_scav_lru, sc);
	return n ? n : SHRINK_EMPTY;
}

static unsigned long gmm_scav_scan_objects(struct shrinker *shrinker,
					   struct shrink_control *sc)
{
	unsigned long before = sc->nr_to_scan;

	if (!gmm_pageheap_shrink_memcg(sc))
		return SHRINK_STOP;
	return before - sc->nr_to_scan;
}

/**
 * gmm_pageheap_make_room() - give back free memory of every heap
 *
 * For an allocation that hit the module-wide limit: the free memory heaps
 * keep counts against it.  Process context; may sleep
 * (gmm_pageheaps_mutex); no gmm spinlock held.
 *
 * Return: true when some memory went back to the buddy allocator.
 */
bool gmm_pageheap_make_room(void)
{
	return gmm_pageheap_shrink_scan(1UL << GMM_ARENA_ORDER) > 0;
}

/**
 * gmm_scavenge_module_init() - module-wide scavenger setup.
 *
 * The cache of list items, the list_lru and the memcg-aware shrinker.
 * Call from module load, before any heap exists.
 *
 * Return: 0 or a negative errno.
 */
int gmm_scavenge_module_init(void)
{
	struct shrinker *s;

	gmm_arena_lru_cache = KMEM_CACHE(gmm_arena_lru, 0);
	if (!gmm_arena_lru_cache)
		return -ENOMEM;
	s = gmm_shrinker_create_lru(gmm_scav_count_objects,
				    gmm_scav_scan_objects, "gmm-pageheap",
				    &gmm_scav_lru);
	if (IS_ERR(s)) {
		kmem_cache_destroy(gmm_arena_lru_cache);
		return PTR_ERR(s);
	}
	gmm_scav_shrinker = s;
	/* The list_lru is set up: the shrinker's callbacks may use it. */
	smp_store_release(&gmm_scav_ready, true);
	return 0;
}

/**
 * gmm_scavenge_module_exit() - module-wide scavenger teardown.
 *
 * Unregisters the shrinker.  Call from module unload, after every heap has
 * been destroyed.
 */
void gmm_scavenge_module_exit(void)
{
	WRITE_ONCE(gmm_scav_ready, false);
	gmm_shrinker_destroy(gmm_scav_shrinker);
	gmm_scav_shrinker = NULL;
	list_lru_destroy(&gmm_scav_lru);
	kmem_cache_destroy(gmm_arena_lru_cache);
	WARN_ON_ONCE(!list_empty(&gmm_pageheaps));
	WARN_ON_ONCE(gmm_pageheap_total_pages());
}
