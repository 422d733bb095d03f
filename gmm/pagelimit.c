// SPDX-License-Identifier: GPL-2.0
/*
 * pagelimit.c - the limits on what page heaps hold: one per heap and one
 * for the whole module.
 *
 * Every system page an arena needs is charged before alloc_pages() against
 * the heap's limit and the module-wide limit (max_total_mb, default half of
 * RAM); metadata (span descriptors, types) is charged in bytes against the
 * same limits.  Charges are lock-free atomics: a concurrent charge can
 * make another fail spuriously, never exceed a limit.  A granule or arena
 * given back to the buddy allocator is uncharged at once, so the limits
 * bound what the heaps hold, not their address ranges.
 */
#include <linux/atomic.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>

#include "internal.h"
#include "pageheap.h"
#include "pagelimit.h"

static unsigned long max_total_mb;
module_param(max_total_mb, ulong, 0644);
MODULE_PARM_DESC(max_total_mb,
		 "Most memory all page heaps together may hold, in MiB (0 = half of RAM)");

/* System pages held (or being allocated) by all page heaps. */
static atomic_long_t gmm_pageheap_nr_pages = ATOMIC_LONG_INIT(0);
/* Metadata bytes charged by all page heaps (gmm_pageheap_charge_meta()). */
static atomic_long_t gmm_pageheap_meta_total = ATOMIC_LONG_INIT(0);

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

/**
 * gmm_pageheap_charge() - charge system pages against the limits
 * @ph: the page heap
 * @nr: system pages
 *
 * Any context; lock-free.
 *
 * Return: true, or false (nothing charged) when @ph's limit or the
 * module-wide one would be exceeded.
 */
bool gmm_pageheap_charge(struct gmm_pageheap *ph, unsigned long nr)
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

/**
 * gmm_pageheap_uncharge() - system pages charged earlier went back
 * @ph: the page heap
 * @nr: system pages
 *
 * Any context; lock-free.
 */
void gmm_pageheap_uncharge(struct gmm_pageheap *ph, unsigned long nr)
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

