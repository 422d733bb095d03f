// SPDX-License-Identifier: GPL-2.0
/*
 * type.c - registering object types with a heap.
 *
 * A type (see type.h) tells the collector which words of an object hold
 * pointers, and the allocator which size class and alignment its objects
 * need.  Types belong to one heap, get a small id (stored per slot in scan
 * spans) and are freed with the heap.  Registration validates everything:
 * it is reached from user space through /dev/gmm.
 */
#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/log2.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "fault.h"
#include "heap.h"
#include "internal.h"
#include "pagelimit.h"
#include "type.h"

/**
 * gmm_class_for() - the size class for @size bytes aligned to @align
 * @size: bytes, 1 ... GMM_MAX_SMALL_SIZE for a small class
 * @align: power of two
 *
 * Slots sit at multiples of the class size from a page-aligned base, so a
 * class whose size is a multiple of @align aligns every slot.
 *
 * Return: the smallest such class, or 0 when the object must be large.
 */
unsigned int gmm_class_for(size_t size, u32 align)
{
	unsigned int c;

	if (size > GMM_MAX_SMALL_SIZE)
		return 0;
	for (c = gmm_size_to_class(size); c < GMM_NUM_SIZE_CLASSES; c++)
		if (!(gmm_class_to_size[c] & (align - 1)))
			return c;
	return 0;
}

GMM_EXPORT_FOR_TESTING(gmm_class_for);

/* Types' metadata leaves the heap's accounts (see gmm_type_register()). */
static void gmm_type_uncharge(struct gmm_heap *h, size_t bytes)
{
	atomic_long_sub(bytes, &h->type_bytes);
	gmm_pageheap_uncharge_meta(&h->pages, bytes);
}

/**
 * gmm_type_register() - register an object type with a heap
 * @h: the heap
 * @name: a name for statistics and debugging (truncated to 31 bytes)
 * @size: bytes of one object, 1 ... GMM_MAX_ALLOC_SIZE
 * @align: alignment, a power of two up to GMM_PAGE_SIZE; 0 means 8
 * @ptrmap: bitmap with one bit per 8-byte word of the object, set for words
 *	that hold pointers to objects of @h; NULL for a type without pointers.
 *	Bits for words beyond @size must be clear, and a type with pointers
 *	must have a size that is a multiple of 8 (so the pointer words of
 *	every element of an array stay aligned).
 *
 * Types live until the heap is destroyed.  Their memory (the descriptor
 * and its pointer bitmap, up to 64 KiB for a 4 MiB type) counts against
 * the heap's memory limit, and at most GMM_TYPES_MAX_BYTES of it per heap.
 *
 * Context: Process context, inside or outside a mutator section, no
 * spinlock held; may sleep.
 *
 * Return: the type, or ERR_PTR(-EINVAL) for a bad size, alignment or map,
 * ERR_PTR(-ENOSPC) when the heap has 65535 types or GMM_TYPES_MAX_BYTES of
 * them, ERR_PTR(-ENOMEM) for no memory within the heap's limits.
 */
const struct gmm_type *gmm_type_register(struct gmm_heap *h, const char *name,
					 size_t size, size_t align,
					 const unsigned long *ptrmap)
{
	unsigned int nwords, nptrs = 0;
	struct gmm_type *t;
	size_t bytes;
	u32 id;
	int ret;

	might_sleep();
	if (!size || size > GMM_MAX_ALLOC_SIZE)
		return ERR_PTR(-EINVAL);
	if (!align)
		align = 8;
	if (!is_power_of_2(align) || align > GMM_PAGE_SIZE)
		return ERR_PTR(-EINVAL);
	nwords = size / 8;
	if (ptrmap) {
		/* Only whole 8-byte words inside the object can be pointers. */
		if (nwords && find_next_bit(ptrmap, round_up(nwords, BITS_PER_LONG),
					    nwords) < round_up(nwords, BITS_PER_LONG))
			return ERR_PTR(-EINVAL);
		nptrs = nwords ? bitmap_weight(ptrmap, nwords) : 0;
		if (!nwords && ptrmap[0])
			return ERR_PTR(-EINVAL);
	}
	if (nptrs && (size & 7))
		return ERR_PTR(-EINVAL);
	if (nptrs && align < 8)
		align = 8;

	if (gmm_should_fail(GMM_FAIL_HEAP_META))
		return ERR_PTR(-ENOMEM);
	bytes = struct_size(t, ptrmap, nptrs ? BITS_TO_LONGS(nwords) : 0);
	if (atomic_long_add_return(bytes, &h->type_bytes) > GMM_TYPES_MAX_BYTES) {
		atomic_long_sub(bytes, &h->type_bytes);
		return ERR_PTR(-ENOSPC);
	}
	if (!gmm_pageheap_charge_meta(&h->pages, bytes)) {
		atomic_long_sub(bytes, &h->type_bytes);
		return ERR_PTR(-ENOMEM);
	}
	t = kzalloc(bytes, h->gfp);
	if (!t) {
		gmm_type_uncharge(h, bytes);
		return ERR_PTR(-ENOMEM);
	}
	t->meta_bytes = bytes;
	t->size = size;
	t->align = align;
	t->nwords = nwords;
	t->nptrs = nptrs;
	t->noscan = !nptrs;
	t->sizeclass = gmm_class_for(size, align);
	strscpy(t->name, name ? name : "", sizeof(t->name));
	if (nptrs)
		bitmap_copy(t->ptrmap, ptrmap, nwords);

	/* Reserve an id, finish the type, then publish it: a reader of the
	 * table (the marker, debugfs) never sees a type without its id.
	 */
	ret = xa_alloc(&h->types, &id, NULL, XA_LIMIT(1, GMM_TYPE_MAX_ID), h->gfp);
	if (ret) {
		gmm_type_uncharge(h, bytes);
		kfree(t);
		return ERR_PTR(ret == -EBUSY ? -ENOSPC : ret);
	}
	t->id = id;
	ret = xa_err(xa_store(&h->types, id, t, h->gfp));
	if (ret) {
		xa_erase(&h->types, id);
		gmm_type_uncharge(h, bytes);
		kfree(t);
		return ERR_PTR(ret);
	}
	return t;
}
EXPORT_SYMBOL_GPL(gmm_type_register);

/**
 * gmm_type_register_desc() - register a type described by GMM_TYPE()
 * @heap: the heap
 * @desc: name, size, alignment and pointer map; pointer words lie in the
 *	first GMM_TYPE_MAP_BITS words (GMM_TYPE() checks that at build time)
 *
 * Like gmm_type_register(); a type larger than GMM_TYPE_MAP_BITS words
 * gets its map widened with zero bits.
 *
 * Context: Process context, inside or outside a mutator section, no
 * spinlock held; may sleep.
 *
 * Return: the type, or an ERR_PTR() as gmm_type_register() returns.
 */
const struct gmm_type *gmm_type_register_desc(struct gmm_heap *heap,
					      const struct gmm_type_desc *desc)
{
	size_t nwords = desc->size / 8;
	const struct gmm_type *t;
	unsigned long *map;

	might_sleep();
	if (nwords <= GMM_TYPE_MAP_BITS)
		return gmm_type_register(heap, desc->name, desc->size,
					 desc->align, &desc->ptrmap);
	if (desc->size > GMM_MAX_ALLOC_SIZE)
		return ERR_PTR(-EINVAL);
	map = bitmap_zalloc(nwords, GFP_KERNEL);
	if (!map)
		return ERR_PTR(-ENOMEM);
	map[0] = desc->ptrmap;
	t = gmm_type_register(heap, desc->name, desc->size, desc->align, map);
	bitmap_free(map);
	return t;
}
EXPORT_SYMBOL_GPL(gmm_type_register_desc);

/**
 * gmm_type_by_id() - look up a registered type
 * @h: the heap
 * @id: the type's id
 *
 * Return: the type, or NULL.
 */
const struct gmm_type *gmm_type_by_id(struct gmm_heap *h, u32 id)
{
	return xa_load(&h->types, id);
}

/**
 * gmm_types_destroy() - free every type of a heap
 * @h: the heap, being destroyed
 */
void gmm_types_destroy(struct gmm_heap *h)
{
	struct gmm_type *t;
	unsigned long id;

	xa_for_each(&h->types, id, t) {
		gmm_type_uncharge(h, t->meta_bytes);
		kfree(t);
	}
	xa_destroy(&h->types);
}
