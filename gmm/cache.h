/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cache.h - per-CPU allocation caches (Go's mcache).
 */
#ifndef _GMM_CACHE_H
#define _GMM_CACHE_H

#include <linux/local_lock.h>
#include <linux/types.h>

#include "sizeclasses.h"

struct gmm_heap;
struct gmm_span;

/*
 * Counters are per CPU, updated inside the cache's local lock with plain
 * adds, and summed on read (gmm_heap_read_stats()).
 */
struct gmm_cache_stats {
	u64 nmalloc[GMM_NUM_SIZE_CLASSES];	/* objects (class 0: large) */
	u64 nfree[GMM_NUM_SIZE_CLASSES];	/* objects freed by sweeping */
	u64 large_bytes;			/* bytes of large objects */
	u64 large_freed_bytes;
	u64 tiny_allocs;			/* allocs served in a tiny block */
	u64 refills;				/* spans taken from central */
};

struct gmm_cache {
	local_lock_t lock;
	struct gmm_span *alloc[GMM_NUM_SPAN_CLASSES];	/* current spans */
	unsigned long tiny;		/* current 16-byte tiny block, or 0 */
	unsigned int tiny_offset;	/* bytes of it already used */
	struct gmm_cache_stats stats;
};

void gmm_cache_init(struct gmm_cache *c);
int gmm_cache_refill(struct gmm_heap *h, unsigned int spc);
int gmm_cache_refill_nowait(struct gmm_heap *h, unsigned int spc);
void gmm_cache_flush(struct gmm_heap *h, struct gmm_cache *c);
void gmm_cache_reset_tiny(struct gmm_heap *h);
int gmm_cache_module_init(void);
void gmm_cache_module_exit(void);
int gmm_cache_hotplug_add(struct gmm_heap *h);
void gmm_cache_hotplug_remove(struct gmm_heap *h);

#endif /* _GMM_CACHE_H */
