// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_bench_pageheap.c - the page heap at scale (`make bench`, part
 * "pageheap"; a benchmark, not a test: nothing about time is asserted).
 *
 * The module's init does everything and returns -EAGAIN, so that it never
 * stays loaded; any other error means it could not run.
 *
 * What it measures: the time of an allocation that needs the page heap -
 * a new span, a large object - when the heap already holds N arenas, for
 * each N of the parameter `arenas` (default 1, 16, 128, 512) in one heap
 * that grows from one N to the next.
 *
 *  1. Fill: allocate 4 MiB objects (one arena each: a 4 MiB object is a
 *     span of a whole max-order arena) until the heap holds N of them, each
 *     kept in a root slot.  Every arena but the ones the measurement adds
 *     is then full, and the arenas are in the order they were added, so a
 *     first-fit search must pass all N to find room.
 *  2. For each test - "span": 32 KiB objects, the largest small size
 *     class, whose span holds one object, so every allocation takes a new
 *     span from the page heap; "large": 64 KiB and 1 MiB objects, a span
 *     of their own each - allocate in rounds of at most 2 MiB, timed in
 *     batches of `batch` allocations (ktime_get_ns() around each batch,
 *     inside one mutator section; ns per allocation of each batch is one
 *     sample), then drop the round's objects and collect (gmm_gc(), which
 *     sweeps too), so their pages go back to the page heap and the next
 *     round finds them again: the heap stays at N full arenas plus the one
 *     wholly free arena it keeps.  The first round is a warm-up (it grows
 *     that arena) and is not timed.  Collection is otherwise off
 *     (gc_percent -1), so no cycle runs during a round.
 *  3. Median and 99th percentile (nearest rank) of the samples.
 *
 * A timed allocation includes what every such allocation pays: the span
 * descriptor, the page heap's search under its lock, and the zeroing of
 * the object (its pages were handed out before).  Under QEMU TCG the
 * zeroing is most of it, so right after each timed batch the module times
 * as many memset()s of the same size on a buffer of direct-mapped pages:
 * the batch's ns per allocation less that is the sample of its "share"
 * (what the allocation costs beyond zeroing, the page heap's search
 * included), paired so that the drift of a shared host cancels out.
 *
 * Output, in the kernel log, "gmm_bench_pageheap: " and then:
 *   ph,<N>,<arenas held>,<test>,<size>,<samples>,<p50 ns>,<p99 ns>,<max ns>,
 *      <memset p50 ns>,<share p50 ns>
 *   fill,<N>,<arenas held>,<ms to grow from the previous N>
 *   pageheap: ok|FAILED key=value ...     once, at the end
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include <linux/gmm.h>

#define GPH_FILL	GMM_MAX_ALLOC_SIZE	/* one object, one arena */
#define GPH_ROUND	(2UL << 20)		/* bytes between collections */
#define GPH_MAX_N	8
#define GPH_MAX_ARENAS	4096

static unsigned int arenas[GPH_MAX_N] = { 1, 16, 128, 512 };
static int nr_arenas = 4;
module_param_array(arenas, uint, &nr_arenas, 0444);
MODULE_PARM_DESC(arenas, "arenas held while measuring, ascending (default 1,16,128,512)");

static unsigned int ops = 1024;
module_param(ops, uint, 0444);
MODULE_PARM_DESC(ops, "timed allocations per figure (1 MiB objects: a quarter)");

static unsigned int batch = 8;
module_param(batch, uint, 0444);
MODULE_PARM_DESC(batch, "allocations per timed batch (default 8)");

static const struct {
	const char *name;
	size_t size;
	unsigned int ops_shift;	/* ops >> this many */
} gph_tests[] = {
	{ "span", GMM_MAX_SMALL_SIZE, 0 },
	{ "large", 64 << 10, 0 },
	{ "large", 1 << 20, 2 },
};

/* Samples of one figure: ns per allocation, per memset, and the difference. */
struct gph_samples {
	u64 *alloc, *zero;
	s64 *share;
	unsigned int n;
};

static struct gmm_heap *gph_heap;
static struct page *gph_zpage;		/* the memset() reference buffer */
static void **gph_slots;		/* root slots of the fill objects */
static unsigned int gph_nslots;	/* registered */
static unsigned int gph_nfill;		/* filled */

/* Arenas the heap holds: HeapSys counts whole arenas (released included). */
static unsigned long gph_arenas_held(void)
{
	struct gmm_heap_sample s;

	gmm_heap_read_sample(gph_heap, &s);
	return s.heap_sys / GMM_MAX_ALLOC_SIZE;
}

/* Grow the heap to @n fill objects. */
static int gph_fill(unsigned int n)
{
	while (gph_nfill < n) {
		void *p;

		gmm_mutator_enter(gph_heap);
		p = gmm_alloc_noscan(gph_heap, GPH_FILL);
		gph_slots[gph_nfill] = p;
		gmm_mutator_exit(gph_heap);
		if (!p)
			return -ENOMEM;
		gph_nfill++;
		cond_resched();
	}
	return 0;
}

/*
 * Allocate @n objects of @size in timed batches of @b; when @sm is given,
 * each batch adds a sample to it (and is followed by its memset()s).
 */
static int gph_round(size_t size, unsigned int n, unsigned int b,
		     struct gph_samples *sm)
{
	void *zbuf = page_address(gph_zpage);
	unsigned int i, j, k;
	u64 t, z;

	for (i = 0; i < n; i += k) {
		bool ok = true;

		k = min(b, n - i);
		gmm_mutator_enter(gph_heap);
		t = ktime_get_ns();
		for (j = 0; j < k && ok; j++)
			ok = gmm_alloc_noscan(gph_heap, size);
		t = ktime_get_ns() - t;
		gmm_mutator_exit(gph_heap);
		if (!ok)
			return -ENOMEM;
		if (!sm)
			continue;
		z = ktime_get_ns();
		for (j = 0; j < k; j++)
			memset(zbuf, j + 1, size);
		z = ktime_get_ns() - z;
		sm->alloc[sm->n] = div_u64(t, k);
		sm->zero[sm->n] = div_u64(z, k);
		sm->share[sm->n] = (s64)sm->alloc[sm->n] - (s64)sm->zero[sm->n];
		sm->n++;
	}
	return 0;
}

/* Spans of size class @size the heap holds now. */
static u64 gph_class_spans(size_t size)
{
	struct gmm_memstats *st = kmalloc(sizeof(*st), GFP_KERNEL);
	u64 spans = 0;
	unsigned int c;

	if (!st)
		return 0;
	gmm_heap_read_stats(gph_heap, st);
	for (c = 1; c < GMM_NUM_SIZE_CLASSES; c++)
		if (st->by_size[c].size == size)
			spans = st->by_size[c].spans;
	kfree(st);
	return spans;
}

static int gph_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static int gph_cmp_s64(const void *a, const void *b)
{
	s64 x = *(const s64 *)a, y = *(const s64 *)b;

	return x < y ? -1 : x > y;
}

/* Nearest rank: the index of the ceil(q/100 n)-th smallest of @n. */
static unsigned int gph_rank(unsigned int n, unsigned int q)
{
	return n ? max(DIV_ROUND_UP(n * q, 100), 1U) - 1 : 0;
}

/* One test at the current heap size: its line in the log. */
static int gph_test(unsigned int t, unsigned int n_arenas,
		    struct gph_samples *sm)
{
	size_t size = gph_tests[t].size;
	unsigned int per_round = max_t(unsigned int, GPH_ROUND / size, 1);
	unsigned int b = clamp(batch, 1U, per_round);
	unsigned int want = max(ops >> gph_tests[t].ops_shift, 1U);
	unsigned int done = 0, n;
	int err;

	/* Warm-up: grows the arena the rounds then reuse. */
	err = gph_round(size, per_round, b, NULL);
	if (!err && size <= GMM_MAX_SMALL_SIZE &&
	    gph_class_spans(size) < per_round) {
		pr_err("%zu-byte objects share spans: no new span per allocation\n",
		       size);
		err = -EINVAL;
	}
	err = err ?: gmm_gc(gph_heap);
	sm->n = 0;
	while (!err && done < want) {
		n = min(per_round, want - done);
		err = gph_round(size, n, b, sm);
		err = err ?: gmm_gc(gph_heap);
		done += n;
	}
	if (err || !sm->n)
		return err ?: -EINVAL;
	n = sm->n;
	sort(sm->alloc, n, sizeof(*sm->alloc), gph_cmp_u64, NULL);
	sort(sm->zero, n, sizeof(*sm->zero), gph_cmp_u64, NULL);
	sort(sm->share, n, sizeof(*sm->share), gph_cmp_s64, NULL);
	pr_info("ph,%u,%lu,%s,%zu,%u,%llu,%llu,%llu,%llu,%lld\n", n_arenas,
		gph_arenas_held(), gph_tests[t].name, size, n,
		sm->alloc[gph_rank(n, 50)], sm->alloc[gph_rank(n, 99)],
		sm->alloc[n - 1], sm->zero[gph_rank(n, 50)],
		sm->share[gph_rank(n, 50)]);
	return 0;
}

static int gph_run(struct gph_samples *sm)
{
	unsigned int i, t;
	int err = 0;
	u64 t0;

	for (i = 0; i < nr_arenas && !err; i++) {
		t0 = ktime_get_ns();
		err = gph_fill(arenas[i]);
		pr_info("fill,%u,%lu,%llu\n", gph_nfill, gph_arenas_held(),
			div_u64(ktime_get_ns() - t0, NSEC_PER_MSEC));
		for (t = 0; t < ARRAY_SIZE(gph_tests) && !err; t++)
			err = gph_test(t, arenas[i], sm);
	}
	return err;
}

static int gph_setup(unsigned int max_n)
{
	struct gmm_heap_params p = { .name = "bench_pageheap", .gc_percent = -1 };
	int err;

	gph_zpage = alloc_pages(GFP_KERNEL, get_order(1 << 20));
	if (!gph_zpage)
		return -ENOMEM;
	gph_heap = gmm_heap_create(&p);
	if (IS_ERR(gph_heap))
		return PTR_ERR(gph_heap);
	gph_slots = kvcalloc(max_n, sizeof(*gph_slots), GFP_KERNEL);
	if (!gph_slots)
		return -ENOMEM;
	for (gph_nslots = 0; gph_nslots < max_n; gph_nslots++) {
		err = gmm_root_add(gph_heap, &gph_slots[gph_nslots]);
		if (err)
			return err;
	}
	return 0;
}

static void gph_teardown(void)
{
	unsigned int i;

	if (gph_zpage)
		__free_pages(gph_zpage, get_order(1 << 20));
	if (IS_ERR_OR_NULL(gph_heap))
		return;
	for (i = 0; i < gph_nslots; i++)
		gmm_root_remove(gph_heap, &gph_slots[i]);
	kvfree(gph_slots);
	gmm_heap_destroy(gph_heap);
}

static int __init gph_init(void)
{
	struct gph_samples sm = { };
	unsigned int i, max_n;
	int err;

	if (!ops || !batch || nr_arenas < 1)
		return -EINVAL;
	for (i = 0; i < nr_arenas; i++)
		if (!arenas[i] || arenas[i] > GPH_MAX_ARENAS ||
		    (i && arenas[i] <= arenas[i - 1]))
			return -EINVAL;
	max_n = arenas[nr_arenas - 1];
	pr_info("arenas=%u..%u ops=%u batch=%u\n", arenas[0], max_n, ops, batch);

	err = gph_setup(max_n);
	if (!err) {
		sm.alloc = kvcalloc(ops, sizeof(*sm.alloc), GFP_KERNEL);
		sm.zero = kvcalloc(ops, sizeof(*sm.zero), GFP_KERNEL);
		sm.share = kvcalloc(ops, sizeof(*sm.share), GFP_KERNEL);
		err = sm.alloc && sm.zero && sm.share ? gph_run(&sm) : -ENOMEM;
	}
	pr_info("pageheap: %s arenas_max=%u filled=%u ops=%u batch=%u err=%d\n",
		err ? "FAILED" : "ok", max_n, gph_nfill, ops, batch, err);
	kvfree(sm.alloc);
	kvfree(sm.zero);
	kvfree(sm.share);
	gph_teardown();
	return err ?: -EAGAIN;	/* nothing to keep loaded */
}

static void __exit gph_exit(void)
{
}

module_init(gph_init);
module_exit(gph_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("gmm: span and large-object allocation against the number of arenas");
