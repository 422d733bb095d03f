/* SPDX-License-Identifier: GPL-2.0 */
/*
 * central.h - central span lists, one per span class (Go's mcentral).
 */
#ifndef _GMM_CENTRAL_H
#define _GMM_CENTRAL_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct gmm_heap;
struct gmm_span;

/*
 * Spans a central list holds are either partial (some free slots) or full;
 * each kind is split into swept and unswept for the current sweepgen, and
 * the two halves swap roles when a cycle bumps sweepgen by 2 (Go's
 * partial[sweepgen/2%2] trick), so "everything became unswept" is O(1).
 */
struct gmm_central {
	spinlock_t lock;		/* the lists and counters below */
	u8 spanclass;
	struct list_head partial[2];
	struct list_head full[2];
	unsigned long nr_spans;		/* spans of this class in the heap */
	unsigned long nr_cached;	/* of which held by per-CPU caches */
};

void gmm_central_init(struct gmm_central *c, u8 spanclass);
struct gmm_span *gmm_central_cache_span(struct gmm_heap *h,
					struct gmm_central *c);
struct gmm_span *gmm_central_cache_span_nowait(struct gmm_heap *h,
					       struct gmm_central *c);
void gmm_central_uncache_span(struct gmm_heap *h, struct gmm_central *c,
			      struct gmm_span *s);
void gmm_central_destroy(struct gmm_heap *h, struct gmm_central *c);

#endif /* _GMM_CENTRAL_H */
