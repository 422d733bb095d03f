// SPDX-License-Identifier: GPL-2.0
/*
 * gc_pacer_test.c - the cases of suite "gmm_gc" (gc_test.c) on pacing: a
 * mutator that allocates fast assists the marker, the peak heap stays
 * near the goal GOGC sets, and a memory limit holds.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include <linux/gmm.h>
#include "gc_test.h"
#include "gmm_kunit.h"

/*
 * 7. Assists: a mutator allocating 64 MiB of 1 KiB scan objects (a ring of
 * 4096 of them live, 4 MiB) in a heap with GOGC 100 helps the marker.
 */
#define GT_RING			4096

void gc_assists(struct kunit *test)
{
	struct gmm_heap *h = gmm_kunit_heap(test, "kunit_gc", 100, 0);
	const struct gmm_type *pt = gmm_kunit_ptr_type(test, h);
	const struct gmm_type *kt = gmm_kunit_kb_type(test, h);
	void **root = gmm_kunit_root(test, h, 0);

	gmm_kunit_churn_ring(test, h, root, pt, kt, GT_RING, SZ_64M / SZ_1K);
	KUNIT_EXPECT_GT(test, h->gc.num_gc, 0ULL);
	kunit_info(test, "%llu cycles, %lld assists, %lld us assisting\n",
		   h->gc.num_gc, (long long)atomic64_read(&h->gc.assists),
		   (long long)atomic64_read(&h->gc.assist_ns) / NSEC_PER_USEC);
	/* Whether the run above assisted depends on timing; this does not. */
	gmm_kunit_assist_held(test, h, kt, root);
}

/*
 * 8. The pacer keeps the peak heap near (1 + GOGC/100) x live: with 8 MiB
 * live and 64 MiB of garbage allocated in 4 KiB pieces, heap_inuse sampled
 * every 64 KiB stays within 1.5 x that goal + 4 MiB (tolerance for the
 * heap growing between the trigger and the stopped world, span rounding
 * and the 4 MiB minimum heap).  Stopping the world waits for an RCU grace
 * period, during which the mutator goes on allocating; a host hiccup under
 * TCG can stretch that, so a run over the bound is repeated (up to
 * GT_PACER_RUNS runs on fresh heaps): a pacer that misses its goal misses
 * it every time.
 */
static const int gt_pacer_percents[] = { 50, 100, 200 };

static void gt_pacer_desc(const int *p, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "gc_percent %d", *p);
}

KUNIT_ARRAY_PARAM(gt_pacer, gt_pacer_percents, gt_pacer_desc);

/* The parameters of gc_pacer_peak, for the suite in gc_test.c. */
const void *gt_pacer_params(const void *prev, char *desc)
{
	return gt_pacer_gen_params(prev, desc);
}

#define GT_PACER_LIVE		(SZ_8M / SZ_4K)	/* live 4 KiB objects */
#define GT_PACER_RUNS		3

/* Print the recorded cycle that ended with the largest heap. */
static void gt_trace_worst(struct kunit *test, struct gmm_heap *h)
{
	const struct gmm_cycle_trace *w = NULL, *ct;
	unsigned int i;

	for (i = 0; i < GMM_CYCLE_RING; i++) {
		ct = &h->gc.cycles[i];
		if (ct->num && (!w || ct->heap1 > w->heap1))
			w = ct;
	}
	if (!w)
		return;
	kunit_info(test, "worst recorded cycle %llu: heap %llu -> %llu -> %llu KiB, goal %llu KiB, %llu + %llu + %llu us, assists %llu KiB\n",
		   w->num, w->heap0 >> 10, w->heap1 >> 10, w->heap2 >> 10,
		   w->goal >> 10, w->stw1_ns / NSEC_PER_USEC,
		   w->mark_ns / NSEC_PER_USEC, w->stw2_ns / NSEC_PER_USEC,
		   w->assist_bytes >> 10);
}

/*
 * A heap with GOGC @pct and a live set of @nlive 4 KiB objects (an array
 * of pointers to them from a root); allocate @garbage bytes of 4 KiB
 * garbage, sampling the page heap after every 64 KiB.  *@live: bytes of
 * the live set.  Return: the heap, for the caller to destroy.
 */
static struct gmm_heap *gt_garbage_run(struct kunit *test, int pct,
				       u64 limit, unsigned int nlive,
				       u64 garbage, u64 *live,
				       struct gmm_pageheap_stats *peak,
				       u64 *done)
{
	struct gmm_heap *h = gmm_kunit_heap(test, "kunit_gc", pct, 0);
	const struct gmm_type *pt = gmm_kunit_ptr_type(test, h);
	void **root = gmm_kunit_root(test, h, 0);
	struct gmm_pageheap_stats ps;
	unsigned int i, j, fail = 0;
	void **arr, *obj;

	memset(peak, 0, sizeof(*peak));
	*done = 0;
	if (limit)
		gmm_set_memory_limit(h, limit);
	gmm_mutator_enter(h);
	arr = gmm_alloc_array(h, pt, nlive);
	if (arr)
		gmm_store_ptr(h, root, arr);
	gmm_mutator_exit(h);
	KUNIT_ASSERT_NOT_NULL(test, arr);
	for (i = 0; i < nlive && !fail; ) {
		gmm_mutator_enter(h);
		arr = *root;
		for (j = 0; j < 16 && i < nlive; j++, i++) {
			obj = gmm_alloc_noscan(h, SZ_4K);
			if (!obj) {
				fail++;
				break;
			}
			gmm_store_ptr(h, &arr[i], obj);
		}
		gmm_mutator_exit(h);
	}
	KUNIT_ASSERT_EQ(test, fail, 0U);
	*live = (u64)nlive * SZ_4K + nlive * sizeof(void *);

	while (*done < garbage && !fail) {
		gmm_mutator_enter(h);
		for (j = 0; j < 16; j++) {
			if (!gmm_alloc_noscan(h, SZ_4K)) {
				fail++;
				break;
			}
			*done += SZ_4K;
		}
		gmm_mutator_exit(h);
		gmm_pageheap_read_stats(&h->pages, &ps);
		peak->inuse_bytes = max(peak->inuse_bytes, ps.inuse_bytes);
		peak->sys_bytes = max(peak->sys_bytes, ps.sys_bytes);
		peak->limit_failures = ps.limit_failures;
		cond_resched();
	}
	gt_trace_worst(test, h);
	return h;
}

void gc_pacer_peak(struct kunit *test)
{
	const int pct = *(const int *)test->param_value;
	struct gmm_pageheap_stats peak;
	u64 live = 0, bound = 0, done, cycles = 0;
	struct gmm_heap *h;
	unsigned int run;

	for (run = 0; run < GT_PACER_RUNS; run++) {
		h = gt_garbage_run(test, pct, 0, GT_PACER_LIVE, 8ULL * SZ_8M,
				   &live, &peak, &done);
		cycles = h->gc.num_gc;
		gmm_kunit_heap_destroy(test, h);
		bound = div_u64(live * (100 + pct) * 3, 200) + SZ_4M;
		kunit_info(test, "gc_percent %d, run %u: live %llu KiB, peak heap_inuse %llu KiB (bound %llu KiB), %llu cycles\n",
			   pct, run + 1, live >> 10, peak.inuse_bytes >> 10,
			   bound >> 10, cycles);
		KUNIT_EXPECT_EQ(test, done, 8ULL * SZ_8M);
		if (peak.inuse_bytes <= bound)
			break;
	}
	KUNIT_EXPECT_GT(test, cycles, 0ULL);
	KUNIT_EXPECT_GE(test, peak.inuse_bytes, live);
	KUNIT_EXPECT_LE(test, peak.inuse_bytes, bound);
}

/*
 * 9. The memory limit: 16 MiB with GOGC 400 and 4 MiB live; 100 MiB of
 * garbage allocate without a failure and heap_sys never exceeds the limit.
 * The limit is hard and an allocation that hits it fails at once, so a
 * host hiccup while the world is being stopped can make one fail: as in
 * case 8, a failed run is repeated, up to GT_PACER_RUNS runs.
 */
void gc_memory_limit(struct kunit *test)
{
	struct gmm_pageheap_stats peak;
	u64 live, done = 0, cycles;
	struct gmm_heap *h;
	unsigned int run;

	for (run = 0; run < GT_PACER_RUNS; run++) {
		h = gt_garbage_run(test, 400, SZ_16M, SZ_4M / SZ_4K,
				   100ULL * SZ_1M, &live, &peak, &done);
		cycles = h->gc.num_gc;
		gmm_kunit_heap_destroy(test, h);
		kunit_info(test, "run %u: %llu KiB allocated, peak heap_sys %llu KiB, peak heap_inuse %llu KiB, %llu limit refusals, %llu cycles\n",
			   run + 1, done >> 10, peak.sys_bytes >> 10,
			   peak.inuse_bytes >> 10, peak.limit_failures, cycles);
		KUNIT_EXPECT_GT(test, cycles, 0ULL);
		KUNIT_EXPECT_LE(test, peak.sys_bytes, (u64)SZ_16M);
		if (done == 100ULL * SZ_1M)
			break;
	}
	KUNIT_EXPECT_EQ_MSG(test, done, 100ULL * SZ_1M,
			    "allocation failed after %llu KiB in every run",
			    done >> 10);
}
