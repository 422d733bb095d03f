/* SPDX-License-Identifier: GPL-2.0 */
/*
 * malloc.h - the allocator's entry points for the rest of the module
 * (malloc.c); kernel clients use gmm_alloc() and friends from
 * include/linux/gmm.h.
 */
#ifndef _GMM_MALLOC_H
#define _GMM_MALLOC_H

#include <linux/types.h>

#include "sizeclasses.h"
#include "type.h"

struct gmm_heap;

void *gmm_alloc_noscan_slot(struct gmm_heap *heap, size_t size);
void *gmm_alloc_array_slot(struct gmm_heap *heap, const struct gmm_type *type,
			   size_t n);

/*
 * The slot gmm_alloc_array_slot(@type, @n) hands out, in bytes, when it
 * is known without looking: one element of 16 bytes or more, in the
 * type's size class.  0 otherwise.
 */
static inline u32 gmm_alloc_array_slot_size(const struct gmm_type *type,
					    size_t n)
{
	if (n == 1 && type->sizeclass && type->size >= GMM_TINY_SIZE)
		return gmm_class_to_size[type->sizeclass];
	return 0;
}

#endif /* _GMM_MALLOC_H */
