// SPDX-License-Identifier: GPL-2.0
/*
 * stats.c - heap statistics (Go's MemStats).
 *
 * Allocation counters are per CPU (struct gmm_cache_stats, bumped inside
 * the cache's per-CPU section) and summed here on read, like SLUB's
 * statistics: allocation never touches a shared cache line for them.  Page
 * numbers come from the page heap, span counts from the central lists.
 * A snapshot is not atomic across CPUs; each counter is exact on its own.
 */
#include <linux/percpu.h>
#include <linux/string.h>

#include "heap.h"

/**
 * gmm_heap_read_stats() - take a statistics snapshot of a heap
 * @heap: the heap
 * @stats: filled in; see struct gmm_memstats for each field
 *
 * O(size classes x CPUs).  Does not sleep: may be called inside or
 * outside a mutator section and with spinlocks held (process context;
 * not from interrupts: it takes the page heap's lock).
 *
 * Context: Process context, inside or outside a mutator section; does not
 * sleep: spinlocks may be held (not from interrupts: it takes the page
 * heap's lock).
 */
void gmm_heap_read_stats(struct gmm_heap *heap, struct gmm_memstats *stats)
{
	struct gmm_pageheap_stats ps;
	u64 mallocs = 0, frees = 0, alloc_bytes = 0, freed_bytes = 0;
	u64 tiny = 0, large_bytes = 0, large_freed = 0;
	unsigned int c;
	int cpu;

	memset(stats, 0, sizeof(*stats));
	for_each_possible_cpu(cpu) {
		/* Other CPUs bump these without a lock: the reads are
		 * intended to race; each value is a consistent u64.
		 */
		const struct gmm_cache_stats *cs =
			&per_cpu_ptr(heap->caches, cpu)->stats;

		for (c = 0; c < GMM_NUM_SIZE_CLASSES; c++) {
			stats->by_size[c].mallocs += READ_ONCE(cs->nmalloc[c]);
			stats->by_size[c].frees += READ_ONCE(cs->nfree[c]);
		}
		tiny += READ_ONCE(cs->tiny_allocs);
		large_bytes += READ_ONCE(cs->large_bytes);
		large_freed += READ_ONCE(cs->large_freed_bytes);
	}
	for (c = 0; c < GMM_NUM_SIZE_CLASSES; c++) {
		struct gmm_class_stats *cl = &stats->by_size[c];

		cl->size = gmm_class_to_size[c];
		cl->spans = READ_ONCE(heap->central[c << 1].nr_spans) +
			    READ_ONCE(heap->central[c << 1 | 1].nr_spans);
		mallocs += cl->mallocs;
		frees += cl->frees;
		alloc_bytes += cl->mallocs * cl->size;
		freed_bytes += cl->frees * cl->size;
	}
	stats->by_size[0].spans = READ_ONCE(heap->nr_large);
	alloc_bytes += large_bytes;
	freed_bytes += large_freed;

	gmm_pageheap_read_stats(&heap->pages, &ps);
	stats->heap_sys = ps.sys_bytes;
	stats->heap_inuse = ps.inuse_bytes;
	stats->heap_idle = ps.idle_bytes;
	stats->heap_released = ps.released_bytes;
	stats->heap_alloc = alloc_bytes - freed_bytes;
	stats->total_alloc = alloc_bytes;
	stats->heap_objects = mallocs - frees;
	stats->mallocs = mallocs + tiny;
	stats->frees = frees + tiny;
	stats->tiny_allocs = tiny;
	stats->large_objects = stats->by_size[0].mallocs - stats->by_size[0].frees;
}
EXPORT_SYMBOL_GPL(gmm_heap_read_stats);

/**
 * gmm_heap_read_sample() - a cheap reading of a heap for periodic sampling
 * @heap: the heap
 * @sample: filled in: HeapAlloc, HeapInuse, HeapSys, the pacer's live
 *	heap, NextGC and NumGC (see struct gmm_heap_sample)
 *
 * The figures of gmm_heap_read_stats() and gmm_heap_read_gcstats() a
 * sampler wants, without their 2.3 KB structs: HeapAlloc sums this heap's
 * per-CPU counters (no allocation, O(size classes x CPUs)).  Does not
 * sleep; inside or outside a mutator section, spinlocks may be held
 * (process context; not from interrupts).
 *
 * Context: Process context, inside or outside a mutator section; does not
 * sleep: spinlocks may be held (not from interrupts: it takes the page
 * heap's lock).
 */
void gmm_heap_read_sample(struct gmm_heap *heap,
			  struct gmm_heap_sample *sample)
{
	struct gmm_pageheap_stats ps;
	u64 alloc = 0, freed = 0;
	unsigned int c;
	int cpu;

	for_each_possible_cpu(cpu) {
		/* racy reads of other CPUs' counters, as above */
		const struct gmm_cache_stats *cs =
			&per_cpu_ptr(heap->caches, cpu)->stats;

		for (c = 1; c < GMM_NUM_SIZE_CLASSES; c++) {
			alloc += READ_ONCE(cs->nmalloc[c]) * gmm_class_to_size[c];
			freed += READ_ONCE(cs->nfree[c]) * gmm_class_to_size[c];
		}
		alloc += READ_ONCE(cs->large_bytes);
		freed += READ_ONCE(cs->large_freed_bytes);
	}
	gmm_pageheap_read_stats(&heap->pages, &ps);
	sample->heap_alloc = alloc - freed;
	sample->heap_inuse = ps.inuse_bytes;
	sample->heap_sys = ps.sys_bytes;
	sample->heap_live = atomic64_read(&heap->pacer.heap_live);
	sample->next_gc = READ_ONCE(heap->pacer.heap_goal);
	sample->num_gc = READ_ONCE(heap->gc.num_gc);
}
EXPORT_SYMBOL_GPL(gmm_heap_read_sample);
