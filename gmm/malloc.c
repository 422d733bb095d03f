// SPDX-License-Identifier: GPL-2.0
/*
 * malloc.c - allocating objects (Go's mallocgc).
 *
 * Three paths, chosen by size and type, as in Go:
 *  - tiny: pointer-free objects under 16 bytes share 16-byte blocks held by
 *    the per-CPU cache, aligned by their size (8, 4, 2 or 1);
 *  - small: up to 32 KiB, rounded up to a size class; the slot comes from
 *    the current span of the span class (class << 1 | noscan) in this CPU's
 *    cache, found with one count-trailing-zeros on the span's alloc_cache;
 *  - large: over 32 KiB, a span of its own straight from the page heap.
 *
 * The fast path is a local_lock section (preemption off) around a few
 * loads, one __ffs64(), a shift and plain stores to this CPU's cache: no
 * lock, no atomic read-modify-write.  Only a full span leaves it
 * (gmm_cache_refill()).  Memory is handed out zeroed: fresh arena pages
 * are zero already, reused slots are cleared (span->needzero).
 *
 * While the collector marks, new objects are allocated black (their mark
 * bit set at once), and every span a cache takes counts toward the pacer's
 * heap_live and may make the allocating mutator assist the marker.  Every
 * allocation happens inside a mutator section (lockdep checks it).
 */
#include <linux/lockdep.h>
#include <linux/overflow.h>
#include <linux/percpu-rwsem.h>
#include <linux/sched.h>
#include <linux/string.h>

#include "heap.h"
#include "internal.h"
#include "malloc.h"
#include "mark.h"
#include "mutant.h"
#include "poison.h"

/*
 * Take a slot from the current span of @spc in this CPU's cache, refilling
 * it when needed.  Returns NULL only when no span can be had (@nowait:
 * none without sleeping, see gmm_alloc_nowait()).
 */
static __always_inline void *gmm_alloc_slot(struct gmm_heap *h,
					    unsigned int spc, u16 type_id,
					    bool nowait)
{
	struct gmm_cache *c;
	struct gmm_span *s;
	bool needzero;
	size_t size;
	void *p;
	int idx;

	for (;;) {
		local_lock(&h->caches->lock);
		c = this_cpu_ptr(h->caches);
		s = c->alloc[spc];
		if (likely(s)) {
			idx = gmm_span_next_free_fast(s);
			if (unlikely(idx < 0))
				idx = gmm_span_next_free(s);
			if (likely(idx >= 0))
				break;
		}
		local_unlock(&h->caches->lock);
		if (nowait ? gmm_cache_refill_nowait(h, spc) :
			     gmm_cache_refill(h, spc))
			return NULL;
	}
	if (unlikely(s->poisoned) &&	/* debug_poison: was it written? */
	    !GMM_MUTANT(GMM_MUT_POISON_UNCHECKED))
		gmm_poison_check(h, s, idx);
	size = s->elemsize;
	p = (void *)(s->base + idx * size);
	if (s->slot_types)
		s->slot_types[idx] = type_id;
	if (unlikely(READ_ONCE(h->gc.phase) != GMM_GC_PHASE_OFF))
		gmm_mark_new_object(h, s, idx);
	needzero = s->needzero;
	c->stats.nmalloc[spc >> 1]++;
	local_unlock(&h->caches->lock);

	/* The slot is ours now: clear it outside the per-CPU section. */
	if (needzero)
		memset(p, 0, size);
	return p;
}

static void *gmm_alloc_large(struct gmm_heap *h, size_t size,
			     const struct gmm_type *t)
{
	unsigned int npages = DIV_ROUND_UP(size, GMM_PAGE_SIZE);
	struct gmm_span *s;
	struct gmm_cache *c;

	if (size > GMM_MAX_ALLOC_SIZE)
		return NULL;
	s = gmm_span_create(h, gmm_make_spanclass(0, !t || t->noscan), npages);
	if (!s)
		return NULL;
	s->large_type = t;
	s->freeindex = 1;
	s->alloc_count = 1;
	if (READ_ONCE(h->gc.phase) != GMM_GC_PHASE_OFF)
		gmm_mark_new_object(h, s, 0);
	if (s->needzero)
		memset((void *)s->base, 0, s->elemsize);

	spin_lock(&h->large_lock);
	list_add(&s->list, &h->large);
	h->nr_large++;
	spin_unlock(&h->large_lock);

	local_lock(&h->caches->lock);
	c = this_cpu_ptr(h->caches);
	c->stats.nmalloc[0]++;
	c->stats.large_bytes += s->elemsize;
	local_unlock(&h->caches->lock);
	gmm_pacer_note_alloc(h, s->elemsize);
	return (void *)s->base;
}

/* Alignment the tiny allocator gives an object of @size bytes (Go's rule). */
static inline unsigned int gmm_tiny_align(size_t size)
{
	if (!(size & 7))
		return 8;
	if (!(size & 3))
		return 4;
	if (!(size & 1))
		return 2;
	return 1;
}

static void *gmm_alloc_tiny(struct gmm_heap *h, size_t size)
{
	struct gmm_cache *c;
	struct gmm_span *s;
	unsigned int off;
	void *block;
	int idx;

	for (;;) {
		local_lock(&h->caches->lock);
		c = this_cpu_ptr(h->caches);
		off = ALIGN(c->tiny_offset, gmm_tiny_align(size));
		if (c->tiny && off + size <= GMM_TINY_SIZE) {
			/* Fits in the current block. */
			c->tiny_offset = off + size;
			c->stats.tiny_allocs++;
			local_unlock(&h->caches->lock);
			return (void *)(c->tiny + off);
		}
		/* A new 16-byte block from the tiny span class. */
		s = c->alloc[GMM_TINY_SPANCLASS];
		if (s) {
			idx = gmm_span_next_free_fast(s);
			if (idx < 0)
				idx = gmm_span_next_free(s);
			if (idx >= 0)
				break;
		}
		local_unlock(&h->caches->lock);
		if (gmm_cache_refill(h, GMM_TINY_SPANCLASS))
			return NULL;
	}
	block = (void *)(s->base + idx * GMM_TINY_SIZE);
	if (unlikely(s->poisoned) && !GMM_MUTANT(GMM_MUT_POISON_UNCHECKED))
		gmm_poison_check(h, s, idx);
	if (unlikely(READ_ONCE(h->gc.phase) != GMM_GC_PHASE_OFF))
		gmm_mark_new_object(h, s, idx);
	if (s->needzero)
		memset(block, 0, GMM_TINY_SIZE);
	c->stats.nmalloc[GMM_TINY_SPANCLASS >> 1]++;
	/* Keep whichever block has more room left (Go does the same). */
	if (!c->tiny || size < c->tiny_offset) {
		c->tiny = (unsigned long)block;
		c->tiny_offset = size;
	}
	local_unlock(&h->caches->lock);
	return block;
}

static void *gmm_alloc_sized(struct gmm_heap *h, size_t size, u32 align,
			     const struct gmm_type *t)
{
	bool noscan = !t || t->noscan;
	unsigned int sc;

	/* Heap pointers are only handled inside mutator sections. */
	lockdep_assert(gmm_stw_held(&h->gc.stw));
	if (noscan && size < GMM_TINY_SIZE && align <= gmm_tiny_align(size))
		return gmm_alloc_tiny(h, size);
	sc = gmm_class_for(size, align);
	if (!sc)
		return gmm_alloc_large(h, size, t);
	return gmm_alloc_slot(h, gmm_make_spanclass(sc, noscan),
			      noscan ? 0 : t->id, false);
}

/**
 * gmm_alloc_array() - allocate an array of typed objects
 * @heap: the heap
 * @type: element type, registered with @heap
 * @n: number of elements, at least 1
 *
 * The array is zeroed and aligned to the type's alignment.  Process
 * context; may sleep (refilling a cache may need pages).
 *
 * Context: Process context, inside a mutator section of @heap (lockdep
 * checks it), no spinlock held; may sleep (a refill may need pages, or
 * assist the marker).
 *
 * Return: the array, or NULL when @n is 0, @n * size overflows or exceeds
 * GMM_MAX_ALLOC_SIZE, or no memory can be had within the limits.
 */
void *gmm_alloc_array(struct gmm_heap *heap, const struct gmm_type *type,
		      size_t n)
{
	size_t size;

	might_sleep();
	if (!n || check_mul_overflow(n, (size_t)type->size, &size) ||
	    size > GMM_MAX_ALLOC_SIZE)
		return NULL;
	return gmm_alloc_sized(heap, size, type->align, type);
}
EXPORT_SYMBOL_GPL(gmm_alloc_array);

/**
 * gmm_alloc() - allocate one typed object
 * @heap: the heap
 * @type: its type, registered with @heap
 *
 * Same as gmm_alloc_array(@heap, @type, 1).
 *
 * Context: Process context, inside a mutator section of @heap (lockdep
 * checks it), no spinlock held; may sleep (a refill may need pages, or
 * assist the marker).
 *
 * Return: the zeroed object, or NULL.
 */
void *gmm_alloc(struct gmm_heap *heap, const struct gmm_type *type)
{
	might_sleep();
	/* The common case: the type's class was found at registration. */
	if (likely(type->sizeclass &&
		   (!type->noscan || type->size >= GMM_TINY_SIZE))) {
		lockdep_assert(gmm_stw_held(&heap->gc.stw));
		return gmm_alloc_slot(heap,
				      gmm_make_spanclass(type->sizeclass,
							 type->noscan),
				      type->noscan ? 0 : type->id, false);
	}
	return gmm_alloc_sized(heap, type->size, type->align, type);
}
EXPORT_SYMBOL_GPL(gmm_alloc);

/**
 * gmm_alloc_nowait() - allocate one typed object without sleeping
 * @heap: the heap
 * @type: its type, registered with @heap, of at most GMM_MAX_SMALL_SIZE
 *	bytes
 *
 * Like gmm_alloc(), but it never sleeps and never assists the marker:
 * the object comes from this CPU's current span of its class, or from a
 * swept span with free slots that the class's central list already has;
 * the heap never grows, no span is swept, and no page is allocated here.
 * The bytes still count toward the pacer (they may start a cycle, by
 * queueing work), so the next sleeping allocations owe the assist this
 * one skipped.  An object of a noscan type under 16 bytes gets a slot of
 * its own instead of a share of a tiny block.
 *
 * Context: inside a mutator section of @heap (lockdep checks it), any
 * context that may take a spinlock: with spinlocks held or preemption
 * off, not from interrupts.  On NULL, drop the lock and call gmm_alloc()
 * (or allocate ahead).
 *
 * Return: the zeroed object, or NULL when none can be had without
 * sleeping (and always for objects over GMM_MAX_SMALL_SIZE).
 */
void *gmm_alloc_nowait(struct gmm_heap *heap, const struct gmm_type *type)
{
	lockdep_assert(gmm_stw_held(&heap->gc.stw));
	if (!type->sizeclass)
		return NULL;
	return gmm_alloc_slot(heap, gmm_make_spanclass(type->sizeclass,
						       type->noscan),
			      type->noscan ? 0 : type->id, true);
}
EXPORT_SYMBOL_GPL(gmm_alloc_nowait);

/**
 * gmm_alloc_noscan() - allocate bytes that hold no pointers
 * @heap: the heap
 * @size: bytes; 0 is treated as 1
 *
 * The memory is zeroed and never scanned by the collector; at least 8-byte
 * aligned from 8 bytes up, and aligned by its size below (Go's tiny rules).
 *
 * Context: Process context, inside a mutator section of @heap (lockdep
 * checks it), no spinlock held; may sleep (a refill may need pages, or
 * assist the marker).
 *
 * Return: the memory, or NULL.
 */
void *gmm_alloc_noscan(struct gmm_heap *heap, size_t size)
{
	might_sleep();
	if (size > GMM_MAX_ALLOC_SIZE)
		return NULL;
	if (!size)
		size = 1;
	return gmm_alloc_sized(heap, size, size < GMM_TINY_SIZE ?
			       gmm_tiny_align(size) : 8, NULL);
}
EXPORT_SYMBOL_GPL(gmm_alloc_noscan);

/**
 * gmm_alloc_array_slot() - an array of typed objects in a slot of its own
 * @heap: the heap
 * @type: element type, registered with @heap
 * @n: number of elements, at least 1
 *
 * Like gmm_alloc_array(), but a pointer-free array under 16 bytes does not
 * go to a shared tiny block: the object owns its whole slot (for the ioctl
 * layer, which bounds user accesses by the slot).
 *
 * Return: the zeroed array, or NULL.
 */
void *gmm_alloc_array_slot(struct gmm_heap *heap, const struct gmm_type *type,
			   size_t n)
{
	size_t size;

	might_sleep();
	/*
	 * One element of 16 bytes or more: gmm_alloc()'s class, found once
	 * (gmm_alloc_array_slot_size() knows it too).
	 */
	if (gmm_alloc_array_slot_size(type, n)) {
		lockdep_assert(gmm_stw_held(&heap->gc.stw));
		return gmm_alloc_slot(heap,
				      gmm_make_spanclass(type->sizeclass,
							 type->noscan),
				      type->noscan ? 0 : type->id, false);
	}
	if (!n || check_mul_overflow(n, (size_t)type->size, &size) ||
	    size > GMM_MAX_ALLOC_SIZE)
		return NULL;
	/* An alignment above any tiny alignment keeps it out of tiny blocks. */
	return gmm_alloc_sized(heap, size, size < GMM_TINY_SIZE ?
			       max_t(u32, type->align, GMM_TINY_SIZE) :
			       type->align, type);
}

/**
 * gmm_alloc_noscan_slot() - pointer-free bytes in a slot of their own
 * @heap: the heap
 * @size: bytes, 1 ... GMM_MAX_ALLOC_SIZE
 *
 * Like gmm_alloc_noscan(), but never from a shared tiny block: the object
 * owns its whole slot, so a client may read and write all of it (the
 * ioctl layer bounds user accesses by the slot).
 *
 * Return: the zeroed memory, at least 8-byte aligned, or NULL.
 */
void *gmm_alloc_noscan_slot(struct gmm_heap *heap, size_t size)
{
	might_sleep();
	if (!size || size > GMM_MAX_ALLOC_SIZE)
		return NULL;
	/* An alignment above any tiny alignment keeps it out of tiny blocks. */
	return gmm_alloc_sized(heap, size, size < GMM_TINY_SIZE ?
			       GMM_TINY_SIZE : 8, NULL);
}
