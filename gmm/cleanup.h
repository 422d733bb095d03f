/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cleanup.h - cleanups (cleanup.c, Go's runtime.AddCleanup): functions
 * run after the collector freed their objects.
 */
#ifndef _GMM_CLEANUP_H
#define _GMM_CLEANUP_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

struct gmm_heap;

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

void gmm_cleanups_init(struct gmm_heap *h);
void gmm_cleanups_destroy(struct gmm_heap *h);
unsigned long gmm_cleanups_collect(struct gmm_heap *h);
void gmm_cleanups_queue(struct gmm_heap *h);

#endif /* _GMM_CLEANUP_H */
