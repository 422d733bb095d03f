/* SPDX-License-Identifier: GPL-2.0 */
/*
 * weak.h - weak handles (weak.c) and cleanups (cleanup.c): references the
 * collector does not follow, and what it does about them when their
 * objects die.
 */
#ifndef _GMM_WEAK_H
#define _GMM_WEAK_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
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

/**
 * struct gmm_cleanups - a heap's cleanups (cleanup.c)
 * @table: id -> struct gmm_cleanup_rec, for registered cleanups whose
 *	objects were alive at the last mark termination
 * @next: where the cyclic id allocation goes on from
 * @lock: protects @due
 * @due: records whose objects died, in the order they were found, for
 *	@work to run
 * @work: runs the due cleanups, on system_unbound_wq
 */
struct gmm_cleanups {
	struct xarray table;
	u32 next;
	spinlock_t lock;		/* @due */
	struct list_head due;
	struct work_struct work;
};

/* weak.c */
void gmm_weak_init(struct gmm_heap *h);
void gmm_weak_destroy(struct gmm_heap *h);
unsigned long gmm_weak_clear(struct gmm_heap *h);
bool gmm_obj_marked(const void *obj);
int gmm_weak_lookup(struct gmm_heap *heap, u32 weak, void **obj);

/* cleanup.c */
void gmm_cleanups_init(struct gmm_heap *h);
void gmm_cleanups_destroy(struct gmm_heap *h);
unsigned long gmm_cleanups_collect(struct gmm_heap *h);
void gmm_cleanups_queue(struct gmm_heap *h);

#endif /* _GMM_WEAK_H */
