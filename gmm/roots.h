/* SPDX-License-Identifier: GPL-2.0 */
/*
 * roots.h - what the marker starts from (roots.c): root slots, handles
 * and scopes.
 */
#ifndef _GMM_ROOTS_H
#define _GMM_ROOTS_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/xarray.h>

struct gmm_heap;

/**
 * struct gmm_roots - what the marker starts from (roots.c)
 * @lock: protects @scopes, @nr_scopes and @vecs (a leaf)
 * @slots: registered root slots (void **), index = slot id; the
 *	xarray's own lock
 * @handles: handle -> object (a handle is a root until released); the
 *	xarray's own lock
 * @scopes: live per-thread scopes.  @lock
 * @nr_scopes: number of live scopes.  @lock
 * @handle_next: where the cyclic handle allocation goes on from; the
 *	lock of @handles (xa_alloc_cyclic())
 * @vecs: registered root vectors (struct gmm_rootvec).  @lock
 */
struct gmm_roots {
	spinlock_t lock;		/* the scope and vector lists */
	struct xarray slots;
	struct xarray handles;
	struct list_head scopes;
	unsigned long nr_scopes;
	u32 handle_next;
	struct list_head vecs;
};

/**
 * struct gmm_rootvec - an array of object pointers that are all roots
 * @node: on gmm_roots.vecs while registered
 * @objs: the array: each entry NULL or an object of the heap, written only
 *	inside mutator sections (no barrier: scanned with the world stopped,
 *	like scope locals)
 * @n: entries of @objs
 *
 * A batch of /dev/gmm operations keeps its temporaries in one
 * (batchlink.c).
 */
struct gmm_rootvec {
	struct list_head node;
	void **objs;
	unsigned int n;
};

int gmm_roots_init(struct gmm_heap *h);
void gmm_roots_destroy(struct gmm_heap *h);
void gmm_roots_scan(struct gmm_heap *h,
		    void (*shade)(struct gmm_heap *h, void *obj));
void gmm_roots_scan_stw(struct gmm_heap *h,
			void (*shade)(struct gmm_heap *h, void *obj));
void gmm_roots_scan_handles(struct gmm_heap *h,
			    void (*shade)(struct gmm_heap *h, void *obj));
unsigned long gmm_roots_count(struct gmm_heap *h);
void gmm_rootvec_add(struct gmm_heap *h, struct gmm_rootvec *v);
void gmm_rootvec_del(struct gmm_heap *h, struct gmm_rootvec *v);

#endif /* _GMM_ROOTS_H */
