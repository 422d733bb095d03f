/* SPDX-License-Identifier: GPL-2.0 */
/*
 * malloc.h - the allocator's entry points for the rest of the module
 * (malloc.c); kernel clients use gmm_alloc() and friends from
 * include/linux/gmm.h.
 */
#ifndef _GMM_MALLOC_H
#define _GMM_MALLOC_H

#include <linux/types.h>

struct gmm_heap;
struct gmm_type;

void *gmm_alloc_noscan_slot(struct gmm_heap *heap, size_t size);
void *gmm_alloc_array_slot(struct gmm_heap *heap, const struct gmm_type *type,
			   size_t n);

#endif /* _GMM_MALLOC_H */
