/* SPDX-License-Identifier: GPL-2.0 */
/*
 * weak.h - weak handles (weak.c): references the collector does not
 * follow, cleared when their objects die.
 */
#ifndef _GMM_WEAK_H
#define _GMM_WEAK_H

#include <linux/types.h>
#include <linux/xarray.h>

struct gmm_heap;

/**
 * struct gmm_weakrefs - a heap's weak handles (weak.c)
 * @table: id -> object (value entries: its offset from PAGE_OFFSET, plus
 *	one; 0 once the collector cleared it)
 * @next: where the cyclic id allocation goes on from
 */
struct gmm_weakrefs {
	struct xarray table;
	u32 next;
};

void gmm_weak_init(struct gmm_heap *h);
void gmm_weak_destroy(struct gmm_heap *h);
unsigned long gmm_weak_clear(struct gmm_heap *h);
bool gmm_obj_marked(const void *obj);
int gmm_weak_lookup(struct gmm_heap *heap, u32 weak, void **obj);

#endif /* _GMM_WEAK_H */
