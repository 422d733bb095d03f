// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_bintree.c - binary-trees (the GCBench shape) on a gmm heap.
 *
 * The classic allocation-heavy GC workload: a "stretch" tree of depth
 * max+1 built and dropped, a long-lived tree of depth max kept in a root
 * for the whole run, and for every depth d = 4, 6, ..., max,
 * 2^(max - d + 4) short-lived trees of depth d built, checked and dropped.
 * Depth 16 makes about 15 million 16-byte nodes.
 *
 * Used by `make check` (stock kernel: depth 16, must complete with the
 * heap bounded), `make demo`, and `make bench` (depths 16 and 18, against
 * the same program on explicit kmalloc/kfree - explicit_free=1 - and in
 * Go, tests/bench/go/binarytrees.go).  Loading the module runs it and
 * prints a MemStats line and a result line ("ok" or "FAILED", then
 * key=value fields, see print_gmm_result()); then rmmod it.  With
 * keep_heap=1 the heap (and its debugfs directory) stays until rmmod, so
 * that `gmmctl record --heap bintree` reads its last cycles (make demo).
 *
 * gmm trees are built top-down into a slot that is already reachable (a
 * scope local, the long-lived root slot, or a field of a reachable node),
 * so that the builder can let the collector stop the world at any node:
 * gmm_mutator_yield() every GB_YIELD nodes, while building and checking.
 * Go's program is preempted anywhere too (stack maps); the kernel has no
 * stack maps, so the partial tree lives in a root instead of in C locals.
 *
 * Recursion here is in the workload (depth <= max + 1), never in gmm.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include <linux/gmm.h>

static uint depth = 16;
module_param(depth, uint, 0444);
MODULE_PARM_DESC(depth, "max tree depth (>= 6)");

static int gc_percent = 100;
module_param(gc_percent, int, 0444);
MODULE_PARM_DESC(gc_percent, "GOGC of the heap");

static bool explicit_free;
module_param(explicit_free, bool, 0444);
MODULE_PARM_DESC(explicit_free, "run the same program on kmalloc/kfree instead of gmm");

static uint heap_bound_mb = 64;
module_param(heap_bound_mb, uint, 0444);
MODULE_PARM_DESC(heap_bound_mb, "fail if the heap ever holds more than this");

static bool keep_heap;
module_param(keep_heap, bool, 0444);
MODULE_PARM_DESC(keep_heap, "keep the heap until rmmod, for a reader of its debugfs files to see its end");

struct node {
	struct node *left;
	struct node *right;
};

static const struct gmm_type_desc node_desc = GMM_TYPE(struct node, left, right);
static struct gmm_heap *heap;
static const struct gmm_type *node_type;
static struct node *long_lived;	/* a root slot */
static u64 peak_sys, peak_inuse, peak_alloc;
static u64 stall_max;		/* longest wait to enter or pass a safepoint */
static unsigned int since_yield;
static bool oom;

/* Nodes between safepoints (about 10-20 us of work under QEMU TCG). */
#define GB_YIELD		64

/*
 * A safepoint every GB_YIELD nodes.  A yield that let a stop in counts as
 * a stall, from here to the world's restart; one that only rescheduled
 * (CPU time shared with the mark workers) does not.
 */
static void safepoint(void)
{
	u64 t0;

	if (++since_yield < GB_YIELD)
		return;
	since_yield = 0;
	if (!gmm_mutator_stop_pending(heap)) {
		cond_resched();
		return;
	}
	t0 = local_clock();
	gmm_mutator_yield(heap);
	stall_max = max(stall_max, local_clock() - t0);
}

/*
 * Build a tree of depth @d into *@slot, which is reachable from a root:
 * each node is stored before its children are built, so the C local @n
 * stays valid across the safepoints below it.
 */
static void make_gmm(struct node **slot, unsigned int d)
{
	struct node *n = gmm_alloc(heap, node_type);

	if (!n) {
		oom = true;
		return;
	}
	gmm_store_ptr(heap, slot, n);
	safepoint();
	if (d) {
		make_gmm(&n->left, d - 1);
		make_gmm(&n->right, d - 1);
	}
}

/* check() for a rooted gmm tree, with safepoints. */
static u64 check_gmm(struct node *n)
{
	if (!n)
		return 0;
	safepoint();
	return 1 + check_gmm(READ_ONCE(n->left)) +
	       check_gmm(READ_ONCE(n->right));
}

static struct node *make_kmalloc(unsigned int d)
{
	struct node *n = kmalloc(sizeof(*n), GFP_KERNEL);

	if (!n) {
		oom = true;
		return NULL;
	}
	n->left = d ? make_kmalloc(d - 1) : NULL;
	n->right = d ? make_kmalloc(d - 1) : NULL;
	return n;
}

static void free_kmalloc(struct node *n)
{
	if (!n)
		return;
	free_kmalloc(n->left);
	free_kmalloc(n->right);
	kfree(n);
}

static u64 check(const struct node *n)
{
	if (!n)
		return 0;
	return 1 + check(READ_ONCE(n->left)) + check(READ_ONCE(n->right));
}

/*
 * Enter a mutator section and note how long that took: blocked while the
 * collector stops or holds the world, this is the pause a mutator sees.
 */
static void section_enter(void)
{
	u64 t0 = local_clock();	/* ktime_get_ns() may be a slow HPET read */

	gmm_mutator_enter(heap);
	stall_max = max(stall_max, local_clock() - t0);
}

/* Build, check and drop one tree; returns its node count. */
static u64 one_tree(unsigned int d)
{
	struct gmm_scope scope;
	struct node *t = NULL;
	u64 c;

	if (explicit_free) {
		t = make_kmalloc(d);
		c = check(t);
		free_kmalloc(t);
		return c;
	}
	section_enter();
	gmm_scope_enter(heap, &scope);
	if (gmm_scope_add(&scope, (void **)&t)) {
		oom = true;
		c = 0;
	} else {
		make_gmm(&t, d);
		c = check_gmm(t);
	}
	gmm_scope_leave(&scope);
	gmm_mutator_exit(heap);
	return c;
}

static void sample_heap(bool print)
{
	struct gmm_heap_sample hs;
	struct gmm_memstats *st;

	if (explicit_free)
		return;
	gmm_heap_read_sample(heap, &hs);
	peak_sys = max(peak_sys, hs.heap_sys);
	peak_inuse = max(peak_inuse, hs.heap_inuse);
	peak_alloc = max(peak_alloc, hs.heap_alloc);
	if (!print)
		return;
	st = kmalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return;
	gmm_heap_read_stats(heap, st);
	pr_info("memstats: HeapAlloc=%llu HeapSys=%llu HeapIdle=%llu HeapInuse=%llu HeapReleased=%llu HeapObjects=%llu Mallocs=%llu Frees=%llu TotalAlloc=%llu NumGC=%llu\n",
		st->heap_alloc, st->heap_sys, st->heap_idle,
		st->heap_inuse, st->heap_released, st->heap_objects,
		st->mallocs, st->frees, st->total_alloc, hs.num_gc);
	kfree(st);
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/*
 * The result line of a gmm run.  Pauses: the heap's ring of its last
 * GMM_NUM_PAUSES stop-the-world pauses (two per cycle, each counted from
 * the stopped world: the time to stop it is stop_latency_max_us), with
 * percentiles of nearest rank; pause_max_us is the longest pause of the
 * whole run; stall_max_us the longest wait of this mutator to enter a
 * section (shut out from the end of the stop's RCU grace period, while
 * other sections in flight end, until the world restarts).  gc_cpu_pct:
 * the collector's CPU time (GC kthread, assists, pauses) over wall time x
 * CPUs.  live_kb: the most nodes reachable at
 * once (the stretch tree, or the long-lived tree and one of depth max)
 * x 16 bytes.  peak_*_kb: the largest HeapSys, HeapInuse and HeapAlloc
 * sampled after the stretch and long-lived trees and every 1024th tree.
 */
static void print_gmm_result(bool ok, unsigned int max_depth, u64 ns)
{
	u64 live = max((4ULL << max_depth) - 1, ((2ULL << max_depth) - 1) * 2) * 16;
	u64 p50 = 0, p99 = 0, cpu_pm;
	struct gmm_gcstats *gc;
	unsigned int n;

	gc = kmalloc(sizeof(*gc), GFP_KERNEL);
	if (!gc)
		return;
	gmm_heap_read_gcstats(heap, gc);
	n = min_t(u64, gc->num_pauses, GMM_NUM_PAUSES);
	if (n) {
		sort(gc->pause_ns, n, sizeof(u64), cmp_u64, NULL);
		/* nearest rank: the ceil(q n)-th smallest */
		p50 = gc->pause_ns[DIV_ROUND_UP(n * 50, 100) - 1];
		p99 = gc->pause_ns[DIV_ROUND_UP(n * 99, 100) - 1];
	}
	cpu_pm = div64_u64(gc->gc_cpu_ns * 1000,
			   max_t(u64, ns * num_online_cpus(), 1));
	pr_info("result: %s depth=%u mode=gmm time_ms=%llu cycles=%llu pause_max_us=%llu pause_p99_us=%llu pause_p50_us=%llu pauses=%u stop_latency_max_us=%llu stall_max_us=%llu gc_cpu_pct=%llu.%llu peak_heap_kb=%llu peak_inuse_kb=%llu peak_alloc_kb=%llu live_kb=%llu oom=%d goal_hist=%llu:%llu:%llu:%llu:%llu:%llu\n",
		ok ? "ok" : "FAILED", max_depth, ns / NSEC_PER_MSEC,
		gc->num_gc, gc->pause_max_ns / NSEC_PER_USEC,
		p99 / NSEC_PER_USEC, p50 / NSEC_PER_USEC, n,
		gc->stop_latency_max_ns / NSEC_PER_USEC,
		stall_max / NSEC_PER_USEC, cpu_pm / 10,
		cpu_pm % 10, peak_sys >> 10, peak_inuse >> 10,
		peak_alloc >> 10, live >> 10, oom, gc->goal_hist[0],
		gc->goal_hist[1], gc->goal_hist[2], gc->goal_hist[3],
		gc->goal_hist[4], gc->goal_hist[5]);
	kfree(gc);
}

static int __init gmm_bintree_init(void)
{
	unsigned int min_depth = 4, max_depth = max(depth, 6U), d;
	u64 t0, ns, expect_long;
	struct gmm_heap_params p = {
		.name = "bintree", .gc_percent = gc_percent,
	};
	bool ok = true;

	if (!explicit_free) {
		heap = gmm_heap_create(&p);
		if (IS_ERR(heap))
			return PTR_ERR(heap);
		node_type = gmm_type_register_desc(heap, &node_desc);
		if (IS_ERR(node_type) || gmm_root_add(heap, (void **)&long_lived)) {
			gmm_heap_destroy(heap);
			return -ENOMEM;
		}
	}

	t0 = ktime_get_ns();
	if (one_tree(max_depth + 1) != (4ULL << max_depth) - 1)	/* stretch */
		ok = false;
	sample_heap(false);

	if (explicit_free) {
		long_lived = make_kmalloc(max_depth);
	} else {
		section_enter();
		make_gmm(&long_lived, max_depth);
		gmm_mutator_exit(heap);
	}
	sample_heap(false);

	for (d = min_depth; d <= max_depth && !oom; d += 2) {
		u64 iters = 1ULL << (max_depth - d + min_depth), i, c = 0;

		for (i = 0; i < iters && !oom; i++) {
			c += one_tree(d);
			if (!(i & 1023))
				sample_heap(false);
			cond_resched();
		}
		if (c != iters * ((2ULL << d) - 1))
			ok = false;
	}

	expect_long = (2ULL << max_depth) - 1;
	if (explicit_free) {
		if (check(long_lived) != expect_long)
			ok = false;
		free_kmalloc(long_lived);
		long_lived = NULL;
	} else {
		section_enter();
		if (check_gmm(long_lived) != expect_long)
			ok = false;
		gmm_mutator_exit(heap);
	}
	ns = ktime_get_ns() - t0;
	sample_heap(true);
	if (oom || (!explicit_free && peak_sys > (u64)heap_bound_mb << 20))
		ok = false;

	if (explicit_free) {
		pr_info("result: %s depth=%u mode=kmalloc time_ms=%llu\n",
			ok ? "ok" : "FAILED", max_depth, ns / NSEC_PER_MSEC);
	} else {
		print_gmm_result(ok, max_depth, ns);
		gmm_root_remove(heap, (void **)&long_lived);
		if (!keep_heap) {
			gmm_heap_destroy(heap);
			heap = NULL;
		}
	}
	/*
	 * The result is in the log; the module stays loaded (rmmod it).  An
	 * error from init would make busybox's insmod load it a second time.
	 */
	return 0;
}

static void __exit gmm_bintree_exit(void)
{
	if (heap)
		gmm_heap_destroy(heap);
}

module_init(gmm_bintree_init);
module_exit(gmm_bintree_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("binary-trees workload on a gmm heap");
