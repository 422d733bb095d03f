// SPDX-License-Identifier: GPL-2.0
/*
 * weak.c - weak handles (Go's weak.Pointer): a reference that does not
 * keep its object alive, and reads NULL once the object is collected.
 *
 * gmm_weak_get() gives a small integer for an object, gmm_weak_obj() turns
 * it back into the object - or NULL once the collector found the object
 * unreachable - and gmm_weak_put() releases the number.  The table (an
 * allocating xarray, like the handles') is no root: the marker never
 * looks at it.
 *
 * Against the collector:
 *  - Clearing.  At mark termination, with the world stopped, after the
 *    final drain and the checkmark pass, every entry whose object is not
 *    marked is cleared (gmm_weak_clear(), from gc.c).  Marks are final
 *    then and no mutator runs, so no one can read an entry between the
 *    moment its object is found dead and the clearing; once the world
 *    restarts, the sweeper frees the object's slot, and the entry already
 *    reads NULL - it can never name a slot reused by another object.  The
 *    cost is O(weak handles) in the second pause.
 *  - Reading while the collector marks.  gmm_weak_obj() hands out a
 *    strong pointer to an object the marker may not have reached; the
 *    caller may store it anywhere.  So while marking it shades the object
 *    (Go's weak-to-strong conversion does the same): the object is then
 *    live for this cycle, which is what the caller's new reference needs.
 *  - Making one.  gmm_weak_get() is called inside a section with an
 *    object the caller can reach: it is alive, and either marked by the
 *    end of the cycle or allocated black.
 * The table's own xarray lock serialises makers, releasers and the clear.
 */
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/mm.h>
#include <linux/module.h>

#include <linux/gmm.h>
#include "heap.h"
#include "mark.h"
#include "mutant.h"
#include "weak.h"

#define GMM_WEAK_MAX		(U32_MAX >> 1)

static inline void *gmm_weak_entry(const void *obj)
{
	return xa_mk_value((unsigned long)obj - PAGE_OFFSET + 1);
}

static inline void *gmm_weak_decode(void *entry)
{
	unsigned long v = xa_to_value(entry);

	return v ? (void *)(v - 1 + PAGE_OFFSET) : NULL;
}

/**
 * gmm_obj_marked() - whether the collector marked an object this cycle
 * @obj: an object of a heap whose marks are final (mark termination)
 *
 * Tiny objects share the mark of their 16-byte block.
 *
 * Return: its mark bit.
 */
bool gmm_obj_marked(const void *obj)
{
	struct gmm_span *s = gmm_span_of(obj);
	unsigned int idx;

	if (WARN_ON_ONCE(!s))
		return true;	/* not ours: never clear it */
	if (s->state == GMM_SPAN_LARGE)
		return test_bit(0, s->mark_bits);
	idx = gmm_div_elemsize((unsigned long)obj - s->base, s->divmagic);
	return test_bit(idx, s->mark_bits);
}

/**
 * gmm_weak_init() - an empty weak table for a new heap
 * @h: the heap
 */
void gmm_weak_init(struct gmm_heap *h)
{
	xa_init_flags(&h->weak.table, XA_FLAGS_ALLOC1);
	h->weak.next = 1;
}

/**
 * gmm_weak_destroy() - free a heap's weak table
 * @h: the heap, being destroyed
 */
void gmm_weak_destroy(struct gmm_heap *h)
{
	xa_destroy(&h->weak.table);
}

/**
 * gmm_weak_clear() - clear the weak handles of dead objects
 * @h: the heap at mark termination: the world is stopped, marks are final
 *
 * Return: how many were cleared.
 */
unsigned long gmm_weak_clear(struct gmm_heap *h)
{
	XA_STATE(xas, &h->weak.table, 0);
	unsigned long n = 0;
	void *entry, *obj;

	xas_lock(&xas);
	xas_for_each(&xas, entry, ULONG_MAX) {
		if (xas_retry(&xas, entry))	/* index 0's zero entry */
			continue;
		obj = gmm_weak_decode(entry);
		if (!obj || gmm_obj_marked(obj))
			continue;
		xas_store(&xas, xa_mk_value(0));
		n++;
	}
	xas_unlock(&xas);
	return n;
}

/**
 * gmm_weak_get() - make a weak handle for an object
 * @heap: the heap
 * @obj: an object of @heap the caller can reach, not NULL
 * @weak: gets the weak handle, from 1 up to 2^31 - 1, issued cyclically
 *	(a number of its own, unrelated to gmm_handle_get()'s)
 *
 * The weak handle does not keep @obj alive: once the collector finds @obj
 * unreachable, gmm_weak_obj() returns NULL for it.  Release it with
 * gmm_weak_put().
 *
 * Context: Inside a mutator section of @heap (lockdep checks it), no
 * spinlock held; may sleep (allocates).
 *
 * Return: 0; -EINVAL for a NULL @obj or @weak; -ENOMEM; -ENOSPC when all
 * numbers are in use.
 */
int gmm_weak_get(struct gmm_heap *heap, void *obj, u32 *weak)
{
	u32 id;
	int ret;

	might_sleep();
	lockdep_assert(gmm_stw_held(&heap->gc.stw));
	if (!obj || !weak)
		return -EINVAL;
	ret = xa_alloc_cyclic(&heap->weak.table, &id, gmm_weak_entry(obj),
			      XA_LIMIT(1, GMM_WEAK_MAX), &heap->weak.next,
			      heap->gfp);
	if (ret < 0)
		return ret == -EBUSY ? -ENOSPC : ret;
	*weak = id;
	return 0;
}
EXPORT_SYMBOL_GPL(gmm_weak_get);

/**
 * gmm_weak_lookup() - gmm_weak_obj(), telling a cleared weak handle apart
 * @heap: the heap
 * @weak: a number
 * @obj: gets the object, or NULL once it was collected
 *
 * Inside a mutator section of @heap; does not sleep.
 *
 * Return: 0, or -ENOENT when @weak is no weak handle of @heap.
 */
int gmm_weak_lookup(struct gmm_heap *heap, u32 weak, void **obj)
{
	void *entry;

	lockdep_assert(gmm_stw_held(&heap->gc.stw));
	*obj = NULL;
	if (!weak || weak > GMM_WEAK_MAX)
		return -ENOENT;
	entry = xa_load(&heap->weak.table, weak);
	if (!entry)
		return -ENOENT;
	*obj = gmm_weak_decode(entry);
	/* Read barrier while marking: the caller may store it anywhere. */
	if (*obj && unlikely(READ_ONCE(heap->gc.phase) != GMM_GC_PHASE_OFF) &&
	    !GMM_MUTANT(GMM_MUT_WEAK_UNSHADED))
		gmm_shade(heap, *obj);
	return 0;
}

/**
 * gmm_weak_obj() - the object of a weak handle, if it is still alive
 * @heap: the heap
 * @weak: a weak handle of @heap
 *
 * A non-NULL result is an ordinary pointer for the rest of the section:
 * store it with gmm_store_ptr() (or into a scope local) to keep the
 * object.  While the collector marks, the object is shaded, so it
 * survives the cycle.
 *
 * Context: Inside a mutator section of @heap (lockdep checks it); does not
 * sleep: spinlocks may be held.
 *
 * Return: the object, or NULL once it was collected (or for a number
 * that is no weak handle).
 */
void *gmm_weak_obj(struct gmm_heap *heap, u32 weak)
{
	void *obj = NULL;

	gmm_weak_lookup(heap, weak, &obj);
	return obj;
}
EXPORT_SYMBOL_GPL(gmm_weak_obj);

/**
 * gmm_weak_put() - release a weak handle
 * @heap: the heap
 * @weak: a weak handle of @heap, cleared or not
 *
 * Context: Process context, inside or outside a mutator section; does not
 * sleep: spinlocks may be held.
 *
 * Return: 0, or -ENOENT when @weak is no weak handle of @heap.
 */
int gmm_weak_put(struct gmm_heap *heap, u32 weak)
{
	if (!weak || weak > GMM_WEAK_MAX)
		return -ENOENT;
	return xa_erase(&heap->weak.table, weak) ? 0 : -ENOENT;
}
EXPORT_SYMBOL_GPL(gmm_weak_put);
