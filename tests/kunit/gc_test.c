// SPDX-License-Identifier: GPL-2.0
/*
 * gc_test.c - KUnit suite "gmm_gc": the collector (gc.c, mark.c, sweep.c,
 * pacer.c, roots.c) on real heaps.  This file holds the suite and its
 * cases on whole collections; gc_barrier_test.c has the cases that catch
 * the collector marking, gc_pacer_test.c those on pacing and assists, and
 * gc_stress_test.c the stress suite (gc_test.h).
 *
 * Objects are nodes with two pointer words and an id.  Whether the
 * collector freed an object is read from gmm's metadata alone, never from
 * the object: after gmm_gc() (and with no mutator running) an object is
 * live iff its arena is still in the heap, its runtime page still belongs
 * to a span and the span's alloc bit of its slot is set (gmm_kunit_live()).
 * Heaps, root slots and buffers belong to the fixture (gmm_kunit.h).
 *
 * Addresses are never printed: failures show ids, slots and counts.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>

#include <linux/gmm.h>
#include "gc_test.h"
#include "gmm_kunit.h"
#include "pagelimit.h"
#include "scavenge.h"

/*
 * A list of @n nodes hanging off root slot @root, built by pushing at the
 * front: every next node has a lower slot than its predecessor (or sits in
 * another span), so the marker needs one pass over the grey list per node
 * and the mark phase lasts.  At the far end: *@a (id n + 1) -> *@b (id
 * n + 2).  Node ids count from 1 at the end nearest to @a.
 */
void gt_mark_chain(struct kunit *test, struct gmm_heap *h,
		   const struct gmm_type *t, void **root, unsigned int n,
		   struct gmm_kunit_node **a, struct gmm_kunit_node **b)
{
	struct gmm_kunit_node *head = NULL, *x;
	unsigned int i = 0, fail = 0;

	*a = NULL;
	*b = NULL;
	gmm_mutator_enter(h);
	*b = gmm_kunit_node(h, t, n + 2);
	*a = gmm_kunit_node(h, t, n + 1);
	if (*a && *b) {
		gmm_store_ptr(h, &(*a)->left, *b);
		gmm_store_ptr(h, root, *a);
	} else {
		fail++;
	}
	gmm_mutator_exit(h);
	KUNIT_ASSERT_EQ(test, fail, 0U);

	while (i < n && !fail) {
		unsigned int j;

		gmm_mutator_enter(h);
		head = *root;
		for (j = 0; j < 1024 && i < n; j++, i++) {
			x = gmm_kunit_node(h, t, i + 1);
			if (!x) {
				fail++;
				break;
			}
			gmm_store_ptr(h, &x->left, head);
			head = x;
		}
		gmm_store_ptr(h, root, head);
		gmm_mutator_exit(h);
		cond_resched();
	}
	KUNIT_ASSERT_EQ_MSG(test, fail, 0U, "allocation failed at node %u", i);
}

/*
 * Start a cycle, hold it at the start of its mark phase and enter a
 * mutator section.  True: the caller is inside a section, the phase is
 * GMM_GC_PHASE_MARK and nothing has been drained yet; the collector stays
 * held until gmm_kunit_finish_cycle().  False (the cycle never got there):
 * no section.  *@c0: cycles completed before the request (the held cycle
 * is number *@c0 + 1).
 */
bool gt_enter_marking(struct gmm_heap *h, u64 *c0)
{
	if (!gmm_kunit_hold_mark(h, c0))
		return false;
	gmm_mutator_enter(h);
	return READ_ONCE(h->gc.phase) == GMM_GC_PHASE_MARK;
}

/* 1. Unreachable objects are freed, reachable ones kept. */
static void gc_frees_unreachable(struct kunit *test)
{
	struct gmm_heap *h = gmm_kunit_heap(test, "kunit_gc", -1, 0);
	const struct gmm_type *t = gmm_kunit_node_type(test, h);
	void **root = gmm_kunit_root(test, h, 0);
	struct gmm_kunit_node **kept, **lost, *n;
	unsigned int i, fail = 0, kept_live = 0, lost_live = 0, walked = 0;
	unsigned int bad_id = 0;
	u64 frees0;

	kept = kunit_kcalloc(test, 100, sizeof(*kept), GFP_KERNEL);
	lost = kunit_kcalloc(test, 100, sizeof(*lost), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, kept);
	KUNIT_ASSERT_NOT_NULL(test, lost);

	/* Interleaved, so that kept and lost objects share spans. */
	gmm_mutator_enter(h);
	for (i = 0; i < 100; i++) {
		kept[i] = gmm_kunit_node(h, t, i);
		lost[i] = gmm_kunit_node(h, t, 1000 + i);
		if (!kept[i] || !lost[i]) {
			fail++;
			break;
		}
		gmm_store_ptr(h, &kept[i]->left, *root);
		gmm_store_ptr(h, root, kept[i]);
		if (i)
			gmm_store_ptr(h, &lost[i]->left, lost[i - 1]);
	}
	gmm_mutator_exit(h);
	KUNIT_ASSERT_EQ(test, fail, 0U);

	frees0 = gmm_kunit_stats(test, h)->frees;
	KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);
	for (i = 0; i < 100; i++) {
		kept_live += gmm_kunit_live(h, kept[i]);
		lost_live += gmm_kunit_live(h, lost[i]);
	}
	KUNIT_EXPECT_EQ(test, kept_live, 100U);
	KUNIT_EXPECT_EQ(test, lost_live, 0U);
	KUNIT_EXPECT_GE(test, gmm_kunit_stats(test, h)->frees - frees0, 100ULL);

	/* The kept list is intact: ids 99 .. 0. */
	if (kept_live == 100) {
		gmm_mutator_enter(h);
		for (n = *root; n && walked < 200; n = n->left, walked++)
			if (n->id != 99 - walked)
				bad_id++;
		gmm_mutator_exit(h);
		KUNIT_EXPECT_EQ(test, walked, 100U);
		KUNIT_EXPECT_EQ(test, bad_id, 0U);
	}
}

/* 2. Cycles, self-loops and shared (diamond) subgraphs. */
static void gc_cycles_and_sharing(struct kunit *test)
{
	struct gmm_heap *h = gmm_kunit_heap(test, "kunit_gc", -1, 0);
	const struct gmm_type *t = gmm_kunit_node_type(test, h);
	void **r_cycle = gmm_kunit_root(test, h, 0);
	void **r_self = gmm_kunit_root(test, h, 1);
	void **r_diamond = gmm_kunit_root(test, h, 2);
	struct gmm_kunit_node *n[12];
	unsigned int i, fail = 0;

	gmm_mutator_enter(h);
	for (i = 0; i < ARRAY_SIZE(n); i++) {
		n[i] = gmm_kunit_node(h, t, i);
		if (!n[i])
			fail++;
	}
	if (!fail) {
		/* 0 <-> 1 unreachable; 2 <-> 3 from a root. */
		gmm_store_ptr(h, &n[0]->left, n[1]);
		gmm_store_ptr(h, &n[1]->left, n[0]);
		gmm_store_ptr(h, &n[2]->right, n[3]);
		gmm_store_ptr(h, &n[3]->right, n[2]);
		gmm_store_ptr(h, r_cycle, n[2]);
		/* 4 -> 4 unreachable; 5 -> 5 from a root. */
		gmm_store_ptr(h, &n[4]->left, n[4]);
		gmm_store_ptr(h, &n[5]->right, n[5]);
		gmm_store_ptr(h, r_self, n[5]);
		/* Diamond 6 -> 7, 6 -> 8, 7 -> 9, 8 -> 9, from a root. */
		gmm_store_ptr(h, &n[6]->left, n[7]);
		gmm_store_ptr(h, &n[6]->right, n[8]);
		gmm_store_ptr(h, &n[7]->left, n[9]);
		gmm_store_ptr(h, &n[8]->right, n[9]);
		gmm_store_ptr(h, r_diamond, n[6]);
		/* 10 -> 11 -> 10 unreachable, 11 -> 9 into the diamond. */
		gmm_store_ptr(h, &n[10]->left, n[11]);
		gmm_store_ptr(h, &n[11]->left, n[10]);
		gmm_store_ptr(h, &n[11]->right, n[9]);
	}
	gmm_mutator_exit(h);
	KUNIT_ASSERT_EQ(test, fail, 0U);

	KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);
	KUNIT_EXPECT_FALSE(test, gmm_kunit_live(h, n[0]));
	KUNIT_EXPECT_FALSE(test, gmm_kunit_live(h, n[1]));
	KUNIT_EXPECT_TRUE(test, gmm_kunit_live(h, n[2]));
	KUNIT_EXPECT_TRUE(test, gmm_kunit_live(h, n[3]));
	KUNIT_EXPECT_FALSE(test, gmm_kunit_live(h, n[4]));
	KUNIT_EXPECT_TRUE(test, gmm_kunit_live(h, n[5]));
	for (i = 6; i <= 9; i++)
		KUNIT_EXPECT_TRUE_MSG(test, gmm_kunit_live(h, n[i]), "node %u", i);
	KUNIT_EXPECT_FALSE(test, gmm_kunit_live(h, n[10]));
	KUNIT_EXPECT_FALSE(test, gmm_kunit_live(h, n[11]));

	/* Drop the diamond's root: all of it goes, the rest stays. */
	gmm_mutator_enter(h);
	gmm_store_ptr(h, r_diamond, NULL);
	gmm_mutator_exit(h);
	KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);
	for (i = 6; i <= 9; i++)
		KUNIT_EXPECT_FALSE_MSG(test, gmm_kunit_live(h, n[i]), "node %u", i);
	KUNIT_EXPECT_TRUE(test, gmm_kunit_live(h, n[2]));
	KUNIT_EXPECT_TRUE(test, gmm_kunit_live(h, n[3]));
	KUNIT_EXPECT_TRUE(test, gmm_kunit_live(h, n[5]));

	/* And the rooted cycle and self-loop go with their roots. */
	gmm_mutator_enter(h);
	gmm_store_ptr(h, r_cycle, NULL);
	gmm_store_ptr(h, r_self, NULL);
	gmm_mutator_exit(h);
	KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);
	for (i = 0; i < ARRAY_SIZE(n); i++)
		KUNIT_EXPECT_FALSE_MSG(test, gmm_kunit_live(h, n[i]), "node %u", i);
	KUNIT_EXPECT_EQ(test, gmm_kunit_stats(test, h)->heap_objects, 0ULL);
}

/*
 * 3. A list of 2^20 nodes from one root: marking is iterative, so the
 * kernel stack survives it, and every node is kept; without the root every
 * node goes and heap_inuse falls.
 */
#define GT_LONG_LIST		SZ_1M	/* nodes */
#define GT_LONG_SAMPLES		64

static void gc_million_list(struct kunit *test)
{
	struct gmm_heap *h = gmm_kunit_heap(test, "kunit_gc", -1, 0);
	const struct gmm_type *t = gmm_kunit_node_type(test, h);
	void **head = gmm_kunit_root(test, h, 0);
	void **tail = gmm_kunit_root(test, h, 1);
	struct gmm_kunit_node **sample, *x, *prev;
	unsigned int i = 0, j, fail = 0, dead = 0, bad_id = 0, walked = 0;
	u64 t0, t_build, t_gc, t_walk, inuse, frees0;

	sample = kunit_kcalloc(test, GT_LONG_SAMPLES + 1, sizeof(*sample),
			       GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sample);

	/* Appended at the tail: node i has id i. */
	t0 = ktime_get_ns();
	while (i < GT_LONG_LIST && !fail) {
		gmm_mutator_enter(h);
		prev = *tail;
		for (j = 0; j < 4096 && i < GT_LONG_LIST; j++, i++) {
			x = gmm_kunit_node(h, t, i);
			if (!x) {
				fail++;
				break;
			}
			gmm_store_ptr(h, prev ? (void *)&prev->left : (void *)head,
				      x);
			prev = x;
			if (i % (GT_LONG_LIST / GT_LONG_SAMPLES) == 0)
				sample[i / (GT_LONG_LIST / GT_LONG_SAMPLES)] = x;
		}
		gmm_store_ptr(h, tail, prev);
		gmm_mutator_exit(h);
		cond_resched();
	}
	KUNIT_ASSERT_EQ_MSG(test, fail, 0U, "allocation failed at node %u", i);
	t_build = ktime_get_ns() - t0;

	t0 = ktime_get_ns();
	KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);
	t_gc = ktime_get_ns() - t0;
	inuse = gmm_kunit_inuse(h);

	/* Head, samples, tail: kept. */
	gmm_mutator_enter(h);
	sample[GT_LONG_SAMPLES] = *tail;
	gmm_mutator_exit(h);
	for (i = 0; i <= GT_LONG_SAMPLES; i++)
		dead += !gmm_kunit_live(h, sample[i]);
	KUNIT_ASSERT_EQ(test, dead, 0U);

	/* Every node, in order, checking liveness before reading it. */
	t0 = ktime_get_ns();
	gmm_mutator_enter(h);
	for (x = *head; x; x = x->left, walked++) {
		if (!gmm_kunit_live(h, x)) {
			dead++;
			break;
		}
		if (x->id != walked)
			bad_id++;
		if (walked > GT_LONG_LIST)
			break;
		if (!(walked % 4096)) {
			gmm_mutator_exit(h);
			cond_resched();
			gmm_mutator_enter(h);
		}
	}
	gmm_mutator_exit(h);
	t_walk = ktime_get_ns() - t0;
	KUNIT_EXPECT_EQ(test, dead, 0U);
	KUNIT_EXPECT_EQ(test, walked, GT_LONG_LIST);
	KUNIT_EXPECT_EQ(test, bad_id, 0U);
	kunit_info(test, "%u nodes: build %llu ms, gmm_gc %llu ms, walk %llu ms, heap_inuse %llu KiB\n",
		   GT_LONG_LIST, t_build / NSEC_PER_MSEC, t_gc / NSEC_PER_MSEC,
		   t_walk / NSEC_PER_MSEC, inuse >> 10);

	/* Drop the root: all of it goes. */
	frees0 = gmm_kunit_stats(test, h)->frees;
	gmm_mutator_enter(h);
	gmm_store_ptr(h, head, NULL);
	gmm_store_ptr(h, tail, NULL);
	gmm_mutator_exit(h);
	KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);
	for (i = 0; i <= GT_LONG_SAMPLES; i++)
		KUNIT_EXPECT_FALSE_MSG(test, gmm_kunit_live(h, sample[i]), "sample %u", i);
	KUNIT_EXPECT_GE(test, gmm_kunit_stats(test, h)->frees - frees0,
			(u64)GT_LONG_LIST);
	KUNIT_EXPECT_EQ(test, gmm_kunit_stats(test, h)->heap_objects, 0ULL);
	KUNIT_EXPECT_LT(test, gmm_kunit_inuse(h), inuse / 16);
}

/* 4. Noscan objects are never scanned, even when they hold addresses. */
static void gc_noscan_not_scanned(struct kunit *test)
{
	struct gmm_heap *h = gmm_kunit_heap(test, "kunit_gc", -1, 0);
	const struct gmm_type *t = gmm_kunit_node_type(test, h);
	void **r_small = gmm_kunit_root(test, h, 0);
	void **r_large = gmm_kunit_root(test, h, 1);
	void **r_scan = gmm_kunit_root(test, h, 2);
	struct gmm_kunit_node *x, *y, *z, *q;
	unsigned long *buf, *big;
	unsigned int i, fail = 0;

	gmm_mutator_enter(h);
	x = gmm_kunit_node(h, t, 1);
	y = gmm_kunit_node(h, t, 2);
	z = gmm_kunit_node(h, t, 3);
	q = gmm_kunit_node(h, t, 4);
	buf = gmm_alloc_noscan(h, 64);		/* small noscan span */
	big = gmm_alloc_noscan(h, SZ_64K);	/* large noscan span */
	if (x && y && z && q && buf && big) {
		/* Every word of the noscan objects points at x or y. */
		for (i = 0; i < 64 / sizeof(long); i++)
			buf[i] = (unsigned long)x;
		for (i = 0; i < SZ_64K / sizeof(long); i++)
			big[i] = (unsigned long)y;
		gmm_store_ptr(h, r_small, buf);
		gmm_store_ptr(h, r_large, big);
		/* Control: the same through a scanned object keeps z. */
		gmm_store_ptr(h, &q->left, z);
		gmm_store_ptr(h, r_scan, q);
	} else {
		fail++;
	}
	gmm_mutator_exit(h);
	KUNIT_ASSERT_EQ(test, fail, 0U);

	KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);
	KUNIT_EXPECT_TRUE(test, gmm_kunit_live(h, buf));
	KUNIT_EXPECT_TRUE(test, gmm_kunit_live(h, big));
	KUNIT_EXPECT_FALSE(test, gmm_kunit_live(h, x));
	KUNIT_EXPECT_FALSE(test, gmm_kunit_live(h, y));
	KUNIT_EXPECT_TRUE(test, gmm_kunit_live(h, q));
	KUNIT_EXPECT_TRUE(test, gmm_kunit_live(h, z));
	/* The noscan objects' bytes are untouched. */
	gmm_mutator_enter(h);
	KUNIT_EXPECT_EQ(test, buf[7], (unsigned long)x);
	KUNIT_EXPECT_EQ(test, big[SZ_64K / sizeof(long) - 1], (unsigned long)y);
	gmm_mutator_exit(h);
}

/*
 * 10. Sweeping gives empty spans back to the page heap, and the idle
 * arenas can then be scavenged.
 */
static void gc_sweep_frees_spans(struct kunit *test)
{
	struct gmm_heap *h = gmm_kunit_heap(test, "kunit_gc", -1, 0);
	const struct gmm_type *t = gmm_kunit_node_type(test, h);
	const struct gmm_type *pt = gmm_kunit_ptr_type(test, h);
	void **r_list = gmm_kunit_root(test, h, 0);
	void **r_arr = gmm_kunit_root(test, h, 1);
	unsigned int i, fail = 0;
	unsigned long pages, scavenged;
	struct gmm_kunit_node *x;
	u64 inuse;

	gmm_mutator_enter(h);
	for (i = 0; i < 20000; i++) {
		x = gmm_kunit_node(h, t, i);
		if (!x) {
			fail++;
			break;
		}
		gmm_store_ptr(h, &x->left, *r_list);
		gmm_store_ptr(h, r_list, x);
		if (i % 1000 == 0 && !gmm_alloc_noscan(h, 1000 + i))
			fail++;
	}
	gmm_mutator_exit(h);
	KUNIT_ASSERT_EQ(test, fail, 0U);
	gmm_kunit_fill_mixed(test, h, pt, r_arr, 64);
	KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);
	inuse = gmm_kunit_inuse(h);
	KUNIT_EXPECT_GT(test, inuse, (u64)SZ_2M);

	gmm_mutator_enter(h);
	gmm_store_ptr(h, r_list, NULL);
	gmm_store_ptr(h, r_arr, NULL);
	gmm_mutator_exit(h);
	KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);
	KUNIT_EXPECT_LE(test, gmm_kunit_inuse(h), 4ULL * GMM_PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, gmm_kunit_stats(test, h)->heap_objects, 0ULL);
	KUNIT_EXPECT_EQ(test, gmm_kunit_stats(test, h)->large_objects, 0ULL);

	pages = gmm_pageheap_total_pages();
	scavenged = gmm_pageheap_scavenge(&h->pages);
	KUNIT_EXPECT_GT(test, scavenged, 0UL);
	KUNIT_EXPECT_LT(test, gmm_pageheap_total_pages(), pages);
	KUNIT_EXPECT_EQ(test, gmm_kunit_sys(h), 0ULL);
	kunit_info(test, "heap_inuse %llu KiB live, %llu KiB after dropping; %lu KiB scavenged\n",
		   inuse >> 10, gmm_kunit_inuse(h) >> 10, scavenged >> 10);
}

/*
 * 11. Destroying a heap while a cycle runs - just after asking for it, in
 * the mark phase, while it sweeps - is safe and returns every page.
 */
static void gc_destroy_during_cycle(struct kunit *test)
{
	struct gmm_kunit *k = test->priv;
	unsigned int mode;

	for (mode = 0; mode < 3; mode++) {
		struct gmm_heap *h = gmm_kunit_heap(test, "kunit_gc", -1, 0);
		const struct gmm_type *t = gmm_kunit_node_type(test, h);
		void **root = gmm_kunit_root(test, h, 0);
		unsigned long deadline;
		struct gmm_kunit_node *a, *b;
		u64 c0;

		gt_mark_chain(test, h, t, root, GT_MARK_CHAIN, &a, &b);
		switch (mode) {
		case 0:		/* at once: sweeping or stopping the world */
			gmm_gc_trigger(h);
			break;
		case 1:		/* marking, if caught */
			if (gt_enter_marking(h, &c0))
				gmm_mutator_exit(h);
			gmm_gc_hold_release(h, false);
			break;
		case 2:		/* sweeping the whole list */
			KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);
			gmm_mutator_enter(h);
			gmm_store_ptr(h, root, NULL);
			gmm_mutator_exit(h);
			c0 = READ_ONCE(h->gc.completed);
			gmm_gc_trigger(h);
			deadline = jiffies + 10 * HZ;
			while (READ_ONCE(h->gc.phase) == GMM_GC_PHASE_OFF &&
			       READ_ONCE(h->gc.completed) == c0 &&
			       time_before(jiffies, deadline))
				usleep_range(20, 60);
			while (READ_ONCE(h->gc.phase) != GMM_GC_PHASE_OFF &&
			       time_before(jiffies, deadline))
				usleep_range(20, 60);
			break;
		}
		gmm_kunit_heap_destroy(test, h);
		KUNIT_EXPECT_EQ_MSG(test, gmm_pageheap_total_pages(),
				    k->baseline, "mode %u", mode);
	}
}

/*
 * 12. The cycle records (gctrace's data): after k forced cycles num_gc is
 * k, the last record's heap2 (marked bytes) is what the rooted objects
 * occupy, and the pauses were measured.
 */
static void gc_trace_ring(struct kunit *test)
{
	struct gmm_heap *h = gmm_kunit_heap(test, "kunit_gc", -1, 0);
	const struct gmm_type *t = gmm_kunit_node_type(test, h);
	void **root = gmm_kunit_root(test, h, 0);
	const struct gmm_cycle_trace *ct;
	unsigned int i, k = 3, fail = 0, nodes = 1000;
	struct gmm_kunit_node *x = NULL;
	u64 expect;

	gmm_mutator_enter(h);
	for (i = 0; i < nodes; i++) {
		x = gmm_kunit_node(h, t, i);
		if (!x) {
			fail++;
			break;
		}
		gmm_store_ptr(h, &x->left, *root);
		gmm_store_ptr(h, root, x);
		/* Garbage in between, not counted. */
		if (!gmm_kunit_node(h, t, i))
			fail++;
	}
	gmm_mutator_exit(h);
	KUNIT_ASSERT_EQ(test, fail, 0U);
	expect = (u64)nodes * gmm_span_of(x)->elemsize;

	for (i = 0; i < k; i++)
		KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);
	KUNIT_EXPECT_EQ(test, h->gc.num_gc, (u64)k);
	KUNIT_EXPECT_EQ(test, h->gc.num_forced, (u64)k);
	ct = &h->gc.cycles[(h->gc.num_gc - 1) % GMM_CYCLE_RING];
	KUNIT_EXPECT_EQ(test, ct->num, h->gc.num_gc);
	KUNIT_EXPECT_TRUE(test, ct->forced);
	KUNIT_EXPECT_GE(test, ct->heap2, expect);
	KUNIT_EXPECT_LE(test, ct->heap2, expect + GMM_PAGE_SIZE);
	KUNIT_EXPECT_GT(test, ct->stw1_ns, 0ULL);
	KUNIT_EXPECT_GT(test, ct->stw2_ns, 0ULL);
	KUNIT_EXPECT_GT(test, h->gc.pause_max_ns, 0ULL);
	KUNIT_EXPECT_GE(test, h->gc.pause_total_ns, h->gc.pause_max_ns);
	KUNIT_EXPECT_EQ(test, h->gc.pause_idx, 2 * k);
	for (i = 0; i < 2 * k; i++)
		KUNIT_EXPECT_GT_MSG(test, h->gc.pauses[i], 0ULL, "pause %u", i);
	/* The first cycle freed the garbage, the later ones found it gone. */
	ct = &h->gc.cycles[0];
	KUNIT_EXPECT_EQ(test, ct->num, 1ULL);
	KUNIT_EXPECT_GE(test, ct->heap2, expect);
	KUNIT_EXPECT_LE(test, ct->heap2, expect + GMM_PAGE_SIZE);
	kunit_info(test, "heap2 %llu B for %llu B of live nodes, max pause %llu us\n",
		   h->gc.cycles[k - 1].heap2, expect,
		   h->gc.pause_max_ns / NSEC_PER_USEC);
}

/* 13. Handles and scope locals are roots. */
static void gc_handles_and_scopes(struct kunit *test)
{
	struct gmm_heap *h = gmm_kunit_heap(test, "kunit_gc", -1, 0);
	const struct gmm_type *t = gmm_kunit_node_type(test, h);
	struct gmm_kunit_node *a, *b, *local = NULL, *held = NULL;
	struct gmm_scope scope;
	int get_ret = -1, put_ret, add_ret = -1;
	bool found = false, id_ok = false;
	u32 handle = 0;

	/* A handle keeps its object, and what it points to, alive. */
	gmm_mutator_enter(h);
	a = gmm_kunit_node(h, t, 1);
	b = gmm_kunit_node(h, t, 2);
	if (a && b) {
		gmm_store_ptr(h, &a->left, b);
		get_ret = gmm_handle_get(h, a, &handle);
		found = gmm_handle_obj(h, handle) == a;
	}
	gmm_mutator_exit(h);
	KUNIT_ASSERT_EQ(test, get_ret, 0);
	KUNIT_EXPECT_TRUE(test, found);
	KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);
	KUNIT_EXPECT_TRUE(test, gmm_kunit_live(h, a));
	KUNIT_EXPECT_TRUE(test, gmm_kunit_live(h, b));

	gmm_mutator_enter(h);
	put_ret = gmm_handle_put(h, handle);
	gmm_mutator_exit(h);
	KUNIT_EXPECT_EQ(test, put_ret, 0);
	KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);
	KUNIT_EXPECT_FALSE(test, gmm_kunit_live(h, a));
	KUNIT_EXPECT_FALSE(test, gmm_kunit_live(h, b));

	/*
	 * A scope local keeps its object across sections and a collection.
	 * No KUNIT_ASSERT between entering and leaving the scope: it lives
	 * on this stack.
	 */
	gmm_mutator_enter(h);
	gmm_scope_enter(h, &scope);
	local = gmm_kunit_node(h, t, 3);
	add_ret = gmm_scope_add(&scope, (void **)&local);
	held = local;
	gmm_mutator_exit(h);
	if (!add_ret && held && !gmm_gc(h)) {
		KUNIT_EXPECT_TRUE(test, gmm_kunit_live(h, held));
		gmm_mutator_enter(h);
		id_ok = local->id == 3;
		gmm_mutator_exit(h);
	}
	gmm_mutator_enter(h);
	gmm_scope_leave(&scope);
	gmm_mutator_exit(h);
	KUNIT_ASSERT_EQ(test, add_ret, 0);
	KUNIT_ASSERT_NOT_NULL(test, held);
	KUNIT_EXPECT_TRUE(test, id_ok);
	KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);
	KUNIT_EXPECT_FALSE(test, gmm_kunit_live(h, held));
}

static struct kunit_case gmm_gc_cases[] = {
	KUNIT_CASE(gc_frees_unreachable),
	KUNIT_CASE(gc_cycles_and_sharing),
	KUNIT_CASE(gc_million_list),
	KUNIT_CASE(gc_noscan_not_scanned),
	KUNIT_CASE(gc_allocate_black),
	KUNIT_CASE(gc_write_barrier),
	KUNIT_CASE(gc_handle_barrier),
	KUNIT_CASE(gc_assists),
	KUNIT_CASE_PARAM(gc_pacer_peak, gt_pacer_params),
	KUNIT_CASE(gc_memory_limit),
	KUNIT_CASE(gc_sweep_frees_spans),
	KUNIT_CASE(gc_destroy_during_cycle),
	KUNIT_CASE(gc_trace_ring),
	KUNIT_CASE(gc_handles_and_scopes),
	{}
};

static int gc_init(struct kunit *test)
{
	return gmm_kunit_init(test, "gmm_gc", 0);
}

static struct kunit_suite gmm_gc_suite = {
	.name = "gmm_gc",
	.init = gc_init,
	.exit = gmm_kunit_exit,
	.test_cases = gmm_gc_cases,
};

kunit_test_suite(gmm_gc_suite);
