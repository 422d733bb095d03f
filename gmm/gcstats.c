// SPDX-License-Identifier: GPL-2.0
/*
 * gcstats.c - the collector's statistics for kernel clients: Go's MemStats
 * GC fields (struct gmm_gcstats) and the recent cycle records (struct
 * gmm_cycle_trace), both in <linux/gmm.h>.
 *
 * The collector updates its counters from its cycle work item, without a
 * lock a reader could take cheaply (gc.c); each is read once here, so a
 * reading is exact field by field but not atomic as a whole, as with
 * GMM_IOC_STATS.  The cycle records are published under gc.lock and read
 * under it.  Nothing here sleeps.
 */
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/string.h>

#include <linux/gmm.h>
#include "heap.h"

/* GCCPUFraction in parts per million, over the heap's life so far. */
static u64 gmm_gc_cpu_ppm(struct gmm_heap *h, u64 cpu_ns)
{
	u64 wall = ktime_get_ns() - h->gc.created_ns;
	u64 avail = max_t(u64, wall, 1) * max(num_online_cpus(), 1U);

	return div64_u64(min_t(u64, cpu_ns, avail) * 1000000, avail);
}

/**
 * gmm_heap_read_gcstats() - the collector's statistics of a heap
 * @heap: the heap
 * @stats: filled in; see struct gmm_gcstats for each field (2.3 KB with
 *	its pause ring: gmm_heap_read_sample() is the cheap reading)
 *
 * Does not sleep: may be called inside or outside a mutator section and
 * with spinlocks held (process context; not from interrupts).
 *
 * Context: Process context, inside or outside a mutator section; does not
 * sleep: spinlocks may be held (not from interrupts).
 */
void gmm_heap_read_gcstats(struct gmm_heap *heap, struct gmm_gcstats *stats)
{
	struct gmm_gc *gc = &heap->gc;
	unsigned int i;

	memset(stats, 0, sizeof(*stats));
	stats->num_gc = READ_ONCE(gc->num_gc);
	stats->num_forced_gc = READ_ONCE(gc->num_forced);
	stats->pause_total_ns = READ_ONCE(gc->pause_total_ns);
	stats->num_pauses = READ_ONCE(gc->pause_idx);
	for (i = 0; i < GMM_NUM_PAUSES; i++)
		stats->pause_ns[i] = READ_ONCE(gc->pauses[i]);
	stats->pause_max_ns = READ_ONCE(gc->pause_max_ns);
	stats->stop_latency_max_ns = READ_ONCE(gc->stop_latency_max_ns);
	stats->last_gc_ns = READ_ONCE(gc->last_gc_real_ns);
	stats->next_gc = READ_ONCE(heap->pacer.heap_goal);
	stats->trigger = READ_ONCE(heap->pacer.trigger);
	stats->heap_live = atomic64_read(&heap->pacer.heap_live);
	stats->heap_marked = READ_ONCE(heap->pacer.heap_marked);
	stats->gc_cpu_ns = READ_ONCE(gc->gc_cpu_ns);
	stats->gc_cpu_fraction_ppm = gmm_gc_cpu_ppm(heap, stats->gc_cpu_ns);
	stats->assists = atomic64_read(&gc->assists);
	stats->gc_percent = READ_ONCE(heap->pacer.gc_percent);
	for (i = 0; i < GMM_GOAL_BUCKETS; i++)
		stats->goal_hist[i] = READ_ONCE(gc->goal_hist[i]);
}
EXPORT_SYMBOL_GPL(gmm_heap_read_gcstats);

/**
 * gmm_heap_read_cycles() - the latest cycle records of a heap
 * @heap: the heap
 * @out: room for @n records
 * @n: how many are wanted; the heap keeps the last GMM_NUM_CYCLES
 *
 * The newest min(@n, kept) records, oldest first: one gctrace line each
 * (see struct gmm_cycle_trace).  Takes the collector's gc.lock for the
 * copy; does not sleep, but copies up to GMM_NUM_CYCLES records under it.
 * Inside or outside a mutator section; process context.
 *
 * Context: Process context, inside or outside a mutator section; does not
 * sleep: spinlocks may be held (not from interrupts: it takes the
 * collector's gc.lock).
 *
 * Return: the number of records written.
 */
unsigned int gmm_heap_read_cycles(struct gmm_heap *heap,
				  struct gmm_cycle_trace *out, unsigned int n)
{
	struct gmm_gc *gc = &heap->gc;
	unsigned int k, i;
	u64 num;

	spin_lock(&gc->lock);
	num = gc->num_gc;
	k = min_t(u64, min_t(u64, num, GMM_NUM_CYCLES), n);
	for (i = 0; i < k; i++)
		out[i] = gc->cycles[(num - k + i) % GMM_NUM_CYCLES];
	spin_unlock(&gc->lock);
	return k;
}
EXPORT_SYMBOL_GPL(gmm_heap_read_cycles);
