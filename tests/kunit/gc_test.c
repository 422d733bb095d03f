// SPDX-License-Identifier: GPL-2.0
/*
 * gc_test.c - KUnit suites "gmm_gc" and "gmm_gc_stress": the collector
 * (gc.c, mark.c, sweep.c, pacer.c, roots.c) on real heaps.
 *
 * Objects are nodes with two pointer words and an id.  Whether the
 * collector freed an object is read from gmm's metadata alone, never from
 * the object: after gmm_gc() (and with no mutator running) an object is
 * live iff its arena is still in the heap, its runtime page still belongs
 * to a span and the span's alloc bit of its slot is set (gmm_kunit_live()).
 *
 * Heap pointers are only touched inside mutator sections; gmm_gc() and
 * everything that may end the test case (KUNIT_ASSERT_*, kunit_skip) run
 * outside them.  Root slots live in the fixture, which outlives the heaps:
 * the exit handler destroys the heaps first, turns the write barrier back
 * on and checks that every page went back to the buddy allocator.
 *
 * Cases that need the collector in its concurrent mark phase hold the
 * next cycle there (gmm_gc_hold_arm(), GMM_HOLD_MARK: the first pause is
 * over, nothing drained yet), enter a section and let the cycle go on
 * when they are ready (gt_wait_cycle() at the latest); the phase only
 * changes while the world is stopped, so it stays "mark" for the rest of
 * the section.  They build a long list first so that marking takes a
 * while.  The handle-barrier case still waits for the handle scan to be
 * under way, which cannot be held, and skips when it misses it.
 *
 * The stress suite runs one mutator kthread per online CPU plus one on one
 * heap, with the checkmark pass on and gmm_gc() looping in another kthread.
 * Every mutator keeps a model of its graph (ids and edges) and checks the
 * heap against it as it walks; at the end, reachability is computed from
 * the model and compared with what the collector kept.  Module parameter
 * kunit_stress_seconds of gmm.ko sets the length (a parameter of this
 * module would not be: 6.1 runs a test module's suites before it parses
 * its parameters); runs longer than GS_CHUNK_SECONDS are
 * split into several parameterised runs so that no case runs into KUnit's
 * timeout or the hung-task detector.
 *
 * Addresses are never printed: failures show ids, slots and counts.
 */
#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/wait.h>

#include <linux/gmm.h>
#include "heap.h"
#include "internal.h"
#include "gmm_kunit.h"
#include "kunit_params.h"
#include "mark.h"

/* The test's node: two pointers and an id. */
struct gt_node {
	struct gt_node *left;
	struct gt_node *right;
	u64 id;
};

static const unsigned long gt_node_ptrs[] = { BIT(0) | BIT(1) };
/* A one-word pointer type, for pointer arrays (rings of object refs). */
static const unsigned long gt_ptr_ptrs[] = { BIT(0) };
/* 1 KiB objects whose word 0 is a pointer (128 words: two longs). */
static const unsigned long gt_kb_ptrs[BITS_TO_LONGS(SZ_1K / 8)] = { BIT(0) };

#define GT_MAX_HEAPS		4
#define GT_NROOTS		16
#define GT_MAX_BUFS		4
/* Nodes of the list that keeps the mark phase busy. */
#define GT_MARK_CHAIN		100000
/* Attempts at catching a cycle in its mark phase. */
#define GT_TRIES		5
#define GT_CATCH_TIMEOUT	(30 * HZ)
#define GT_CYCLE_TIMEOUT	(90 * HZ)

struct gt_fixture {
	struct gmm_heap *heaps[GT_MAX_HEAPS];
	void *roots[GT_NROOTS];		/* root slots; outlive the heaps */
	void *bufs[GT_MAX_BUFS];	/* kvmalloc'd bookkeeping */
	unsigned long baseline;		/* gmm_pageheap_total_pages() */
	struct gmm_memstats st;		/* scratch for gt_stats() */
};

static int gt_init(struct kunit *test)
{
	struct gt_fixture *f;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	test->priv = f;
	f->baseline = gmm_pageheap_total_pages();
	return 0;
}

static void gt_exit(struct kunit *test)
{
	struct gt_fixture *f = test->priv;
	unsigned int i;

	gmm_barrier_disabled = false;
	if (!f)
		return;
	for (i = 0; i < GT_MAX_HEAPS; i++) {
		gmm_heap_destroy(f->heaps[i]);
		f->heaps[i] = NULL;
	}
	for (i = 0; i < GT_MAX_BUFS; i++) {
		kvfree(f->bufs[i]);
		f->bufs[i] = NULL;
	}
	/* Destroying the heaps gave every page back. */
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(), f->baseline);
}

/* A heap of the fixture: GOGC @gc_percent (-1: only gmm_gc() collects). */
static struct gmm_heap *gt_heap(struct kunit *test, int gc_percent,
				u64 limit)
{
	struct gt_fixture *f = test->priv;
	struct gmm_heap_params params = {
		.name = "kunit_gc",
		.limit_bytes = limit,
		.gc_percent = gc_percent,
	};
	struct gmm_heap *h;
	unsigned int i = 0;

	while (i < GT_MAX_HEAPS && f->heaps[i])
		i++;
	KUNIT_ASSERT_LT(test, i, GT_MAX_HEAPS);
	h = gmm_heap_create(&params);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, h);
	f->heaps[i] = h;
	return h;
}

static void gt_heap_destroy(struct kunit *test, struct gmm_heap *h)
{
	struct gt_fixture *f = test->priv;
	unsigned int i;

	for (i = 0; i < GT_MAX_HEAPS; i++)
		if (f->heaps[i] == h)
			f->heaps[i] = NULL;
	gmm_heap_destroy(h);
}

/* kvzalloc() freed by the exit handler. */
static void *gt_kvzalloc(struct kunit *test, size_t size)
{
	struct gt_fixture *f = test->priv;
	unsigned int i = 0;
	void *p;

	while (i < GT_MAX_BUFS && f->bufs[i])
		i++;
	KUNIT_ASSERT_LT(test, i, GT_MAX_BUFS);
	p = kvzalloc(size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	f->bufs[i] = p;
	return p;
}

static void gt_kvfree(struct kunit *test, void *p)
{
	struct gt_fixture *f = test->priv;
	unsigned int i;

	for (i = 0; i < GT_MAX_BUFS; i++)
		if (f->bufs[i] == p)
			f->bufs[i] = NULL;
	kvfree(p);
}

/* Register fixture root slot @i with @h; the slot starts out NULL. */
static void **gt_root(struct kunit *test, struct gmm_heap *h, unsigned int i)
{
	struct gt_fixture *f = test->priv;

	f->roots[i] = NULL;
	KUNIT_ASSERT_EQ(test, gmm_root_add(h, &f->roots[i]), 0);
	return &f->roots[i];
}

static const struct gmm_type *gt_type(struct kunit *test, struct gmm_heap *h,
				      const char *name, size_t size,
				      const unsigned long *ptrmap)
{
	const struct gmm_type *t;

	t = gmm_type_register(h, name, size, 8, ptrmap);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t);
	return t;
}

static const struct gmm_type *gt_node_type(struct kunit *test,
					   struct gmm_heap *h)
{
	return gt_type(test, h, "node", sizeof(struct gt_node), gt_node_ptrs);
}

static const struct gmm_memstats *gt_stats(struct kunit *test,
					   struct gmm_heap *h)
{
	struct gt_fixture *f = test->priv;

	gmm_heap_read_stats(h, &f->st);
	return &f->st;
}

static u64 gt_inuse(struct gmm_heap *h)
{
	struct gmm_pageheap_stats ps;

	gmm_pageheap_read_stats(&h->pages, &ps);
	return ps.inuse_bytes;
}

static u64 gt_sys(struct gmm_heap *h)
{
	struct gmm_pageheap_stats ps;

	gmm_pageheap_read_stats(&h->pages, &ps);
	return ps.sys_bytes;
}

/* A node with its id set, or NULL.  Inside a section. */
static struct gt_node *gt_new(struct gmm_heap *h, const struct gmm_type *t,
			      u64 id)
{
	struct gt_node *n = gmm_alloc(h, t);

	if (n)
		n->id = id;
	return n;
}

/*
 * A list of @n nodes hanging off root slot @root, built by pushing at the
 * front: every next node has a lower slot than its predecessor (or sits in
 * another span), so the marker needs one pass over the grey list per node
 * and the mark phase lasts.  At the far end: *@a (id n + 1) -> *@b (id
 * n + 2).  Node ids count from 1 at the end nearest to @a.
 */
static void gt_mark_chain(struct kunit *test, struct gmm_heap *h,
			  const struct gmm_type *t, void **root,
			  unsigned int n, struct gt_node **a,
			  struct gt_node **b)
{
	struct gt_node *head = NULL, *x;
	unsigned int i = 0, fail = 0;

	*a = NULL;
	*b = NULL;
	gmm_mutator_enter(h);
	*b = gt_new(h, t, n + 2);
	*a = gt_new(h, t, n + 1);
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
			x = gt_new(h, t, i + 1);
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
 * GMM_GC_PHASE_MARK and nothing has been drained yet; the collector stays held
 * until gmm_gc_hold_release() or gt_wait_cycle().  False (the cycle never
 * got there in GT_CATCH_TIMEOUT): no section.  *@c0: cycles completed
 * before the request (the held cycle is number *@c0 + 1).
 */
static bool gt_enter_marking(struct gmm_heap *h, u64 *c0)
{
	*c0 = READ_ONCE(h->gc.completed);
	gmm_gc_hold_arm(h, GMM_HOLD_MARK);
	gmm_gc_trigger(h);
	if (!gmm_gc_hold_wait(h, GT_CATCH_TIMEOUT)) {
		gmm_gc_hold_release(h, false);
		return false;
	}
	gmm_mutator_enter(h);
	return READ_ONCE(h->gc.phase) == GMM_GC_PHASE_MARK;
}

/*
 * Let a held cycle go on and wait for cycle *@c0 + 1 to finish; false on
 * timeout.  No section.
 */
static bool gt_wait_cycle(struct gmm_heap *h, u64 c0)
{
	gmm_gc_hold_release(h, false);
	return wait_event_timeout(h->gc.done,
				  READ_ONCE(h->gc.completed) > c0,
				  GT_CYCLE_TIMEOUT) > 0;
}

/* 1. Unreachable objects are freed, reachable ones kept. */
static void gc_frees_unreachable(struct kunit *test)
{
	struct gmm_heap *h = gt_heap(test, -1, 0);
	const struct gmm_type *t = gt_node_type(test, h);
	void **root = gt_root(test, h, 0);
	struct gt_node **kept, **lost, *n;
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
		kept[i] = gt_new(h, t, i);
		lost[i] = gt_new(h, t, 1000 + i);
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

	frees0 = gt_stats(test, h)->frees;
	KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);
	for (i = 0; i < 100; i++) {
		kept_live += gmm_kunit_live(h, kept[i]);
		lost_live += gmm_kunit_live(h, lost[i]);
	}
	KUNIT_EXPECT_EQ(test, kept_live, 100U);
	KUNIT_EXPECT_EQ(test, lost_live, 0U);
	KUNIT_EXPECT_GE(test, gt_stats(test, h)->frees - frees0, 100ULL);

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
	struct gmm_heap *h = gt_heap(test, -1, 0);
	const struct gmm_type *t = gt_node_type(test, h);
	void **r_cycle = gt_root(test, h, 0);
	void **r_self = gt_root(test, h, 1);
	void **r_diamond = gt_root(test, h, 2);
	struct gt_node *n[12];
	unsigned int i, fail = 0;

	gmm_mutator_enter(h);
	for (i = 0; i < ARRAY_SIZE(n); i++) {
		n[i] = gt_new(h, t, i);
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
	KUNIT_EXPECT_EQ(test, gt_stats(test, h)->heap_objects, 0ULL);
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
	struct gmm_heap *h = gt_heap(test, -1, 0);
	const struct gmm_type *t = gt_node_type(test, h);
	void **head = gt_root(test, h, 0);
	void **tail = gt_root(test, h, 1);
	struct gt_node **sample, *x, *prev;
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
			x = gt_new(h, t, i);
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
	inuse = gt_inuse(h);

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
	frees0 = gt_stats(test, h)->frees;
	gmm_mutator_enter(h);
	gmm_store_ptr(h, head, NULL);
	gmm_store_ptr(h, tail, NULL);
	gmm_mutator_exit(h);
	KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);
	for (i = 0; i <= GT_LONG_SAMPLES; i++)
		KUNIT_EXPECT_FALSE_MSG(test, gmm_kunit_live(h, sample[i]), "sample %u", i);
	KUNIT_EXPECT_GE(test, gt_stats(test, h)->frees - frees0,
			(u64)GT_LONG_LIST);
	KUNIT_EXPECT_EQ(test, gt_stats(test, h)->heap_objects, 0ULL);
	KUNIT_EXPECT_LT(test, gt_inuse(h), inuse / 16);
}

/* 4. Noscan objects are never scanned, even when they hold addresses. */
static void gc_noscan_not_scanned(struct kunit *test)
{
	struct gmm_heap *h = gt_heap(test, -1, 0);
	const struct gmm_type *t = gt_node_type(test, h);
	void **r_small = gt_root(test, h, 0);
	void **r_large = gt_root(test, h, 1);
	void **r_scan = gt_root(test, h, 2);
	struct gt_node *x, *y, *z, *q;
	unsigned long *buf, *big;
	unsigned int i, fail = 0;

	gmm_mutator_enter(h);
	x = gt_new(h, t, 1);
	y = gt_new(h, t, 2);
	z = gt_new(h, t, 3);
	q = gt_new(h, t, 4);
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
 * 5. Allocate-black: what is allocated while the collector marks has its
 * mark bit set at once - small scan, small noscan, tiny, large scan and
 * large noscan - survives that cycle unreachable, and goes in the next.
 */
enum {
	GT_AB_SCAN,
	GT_AB_NOSCAN,
	GT_AB_TINY,
	GT_AB_LARGE,
	GT_AB_LARGE_NOSCAN,
	GT_AB_NR
};

static void gc_allocate_black(struct kunit *test)
{
	static const char * const what[GT_AB_NR] = {
		"small scan", "small noscan", "tiny", "large scan",
		"large noscan",
	};
	struct gmm_heap *h = gt_heap(test, -1, 0);
	const struct gmm_type *t = gt_node_type(test, h);
	void **root = gt_root(test, h, 0);
	bool black[GT_AB_NR] = { };
	void *obj[GT_AB_NR] = { };
	struct gt_node *a, *b;
	unsigned int i, try;
	bool caught = false;
	u64 c0 = 0;

	gt_mark_chain(test, h, t, root, GT_MARK_CHAIN, &a, &b);
	for (try = 0; try < GT_TRIES && !caught; try++) {
		caught = gt_enter_marking(h, &c0);
		if (!caught)
			KUNIT_ASSERT_TRUE(test, gt_wait_cycle(h, c0));
	}
	if (!caught)
		kunit_skip(test, "no cycle caught marking in %u tries", GT_TRIES);

	/* Inside a section, the collector marking. */
	obj[GT_AB_SCAN] = gt_new(h, t, 1);
	obj[GT_AB_NOSCAN] = gmm_alloc_noscan(h, 64);
	obj[GT_AB_TINY] = gmm_alloc_noscan(h, 8);
	obj[GT_AB_LARGE] = gmm_alloc_array(h, t, 2000);	/* 48000 B */
	obj[GT_AB_LARGE_NOSCAN] = gmm_alloc_noscan(h, SZ_64K);
	for (i = 0; i < GT_AB_NR; i++)
		black[i] = obj[i] && gmm_kunit_marked(obj[i]);
	gmm_mutator_exit(h);

	for (i = 0; i < GT_AB_NR; i++) {
		KUNIT_EXPECT_NOT_NULL_MSG(test, obj[i], "%s", what[i]);
		KUNIT_EXPECT_TRUE_MSG(test, black[i], "%s not allocated black",
				      what[i]);
	}
	KUNIT_ASSERT_TRUE(test, gt_wait_cycle(h, c0));
	for (i = 0; i < GT_AB_NR; i++)
		if (obj[i])
			KUNIT_EXPECT_TRUE_MSG(test, gmm_kunit_live(h, obj[i]),
					      "%s freed by its own cycle", what[i]);
	KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);
	for (i = 0; i < GT_AB_NR; i++)
		if (obj[i])
			KUNIT_EXPECT_FALSE_MSG(test, gmm_kunit_live(h, obj[i]),
					       "%s kept by the next cycle", what[i]);
	KUNIT_EXPECT_TRUE(test, gmm_kunit_live(h, a));
	KUNIT_EXPECT_TRUE(test, gmm_kunit_live(h, b));
}

/*
 * 6. The write barrier.  root -> head -> ... -> A -> B, a 100 000-node
 * list with A and B at its far end, so the marker reaches A last.  While
 * the collector marks, one section moves the only pointer to B out of A
 * (not yet scanned) and then clears A's pointer with gmm_store_ptr():
 *  - into N, a node allocated in that section (black by allocate-black,
 *    never scanned) and stored into head;
 *  - into a scope local registered before the cycle (a root, scanned
 *    while it was NULL), with a plain store, as C code does: here only
 *    the deletion half of the barrier can save B.
 * With the barrier B is shaded at once and survives, and the checkmark
 * pass agrees; without it (gmm_barrier_disabled) nothing marks B and the
 * checkmark pass reports it (and marks it, so nothing is freed): the test
 * can fail.
 */
struct gt_barrier_run {
	bool caught;		/* a cycle was caught marking */
	bool white_before;	/* B unmarked before the move: A unscanned */
	bool white_after;	/* B unmarked after it */
	bool n_black;		/* N allocated black */
	bool b_live;		/* B survived the cycle */
	bool record_ok;		/* the ring holds the cycle */
	int setup;		/* 0, or what failed: allocation, scope */
	u64 failures;		/* checkmark failures of the cycle */
	u64 cycle_failures;	/* the same, from the cycle ring */
};

static void gt_barrier_once(struct kunit *test, struct gmm_heap *h,
			    const struct gmm_type *t, void **root,
			    bool disable, bool via_scope,
			    struct gt_barrier_run *r)
{
	struct gt_node *a, *b, *n, *head, *local = NULL;
	const struct gmm_cycle_trace *ct;
	struct gmm_scope scope;
	bool cycle_ok;
	u64 c0 = 0, fail0;

	memset(r, 0, sizeof(*r));
	gt_mark_chain(test, h, t, root, GT_MARK_CHAIN, &a, &b);
	fail0 = h->gc.checkmark_failures;

	/* No KUNIT_ASSERT until the scope is left: it lives on this stack. */
	if (via_scope) {
		gmm_scope_enter(h, &scope);
		r->setup = gmm_scope_add(&scope, (void **)&local);
	}
	if (!r->setup && gt_enter_marking(h, &c0)) {
		r->caught = true;
		gmm_barrier_disabled = disable;
		r->white_before = !gmm_kunit_marked(b);
		if (via_scope) {
			local = READ_ONCE(a->left);
			gmm_store_ptr(h, &a->left, NULL);
		} else {
			head = *root;
			n = gt_new(h, t, 0);
			if (n) {
				r->n_black = gmm_kunit_marked(n);
				gmm_store_ptr(h, &head->right, n);
				gmm_store_ptr(h, &n->left, READ_ONCE(a->left));
				gmm_store_ptr(h, &a->left, NULL);
			} else {
				r->setup = -ENOMEM;
			}
		}
		r->white_after = !gmm_kunit_marked(b);
		gmm_barrier_disabled = false;
		gmm_mutator_exit(h);
	}
	cycle_ok = r->setup || gt_wait_cycle(h, c0);
	if (r->caught && !r->setup && cycle_ok) {
		r->b_live = gmm_kunit_live(h, b);
		r->failures = h->gc.checkmark_failures - fail0;
		ct = &h->gc.cycles[c0 % GMM_CYCLE_RING];
		r->record_ok = ct->num == c0 + 1;
		r->cycle_failures = ct->checkmark_failures;
	}
	if (via_scope)
		gmm_scope_leave(&scope);
	KUNIT_ASSERT_EQ(test, r->setup, 0);
	KUNIT_ASSERT_TRUE(test, cycle_ok);
}

/* Both runs of one move; false when a run never caught its moment. */
static bool gt_barrier_move(struct kunit *test, struct gmm_heap *h,
			    const struct gmm_type *t, void **root,
			    bool via_scope)
{
	const char *move = via_scope ? "into a scope local" : "into a black node";
	struct gt_barrier_run on = { }, off = { };
	unsigned int try;

	/* With the barrier: B is shaded by the move. */
	for (try = 0; try < GT_TRIES; try++) {
		gt_barrier_once(test, h, t, root, false, via_scope, &on);
		if (on.caught && on.white_before)
			break;
	}
	if (!on.caught || !on.white_before) {
		kunit_info(test, "%s: never caught A unscanned in %u tries\n",
			   move, GT_TRIES);
		return false;
	}
	KUNIT_EXPECT_TRUE_MSG(test, on.n_black || via_scope, "%s", move);
	KUNIT_EXPECT_FALSE_MSG(test, on.white_after,
			       "%s: the barrier did not shade B", move);
	KUNIT_EXPECT_TRUE_MSG(test, on.b_live, "%s: B freed", move);
	KUNIT_EXPECT_EQ_MSG(test, on.failures, 0ULL, "%s", move);
	KUNIT_EXPECT_TRUE_MSG(test, on.record_ok, "%s", move);
	KUNIT_EXPECT_EQ_MSG(test, on.cycle_failures, 0ULL, "%s", move);

	/* Without it: B stays white and the checkmark pass catches it. */
	for (try = 0; try < GT_TRIES; try++) {
		gt_barrier_once(test, h, t, root, true, via_scope, &off);
		if (off.caught && off.white_after)
			break;
	}
	if (!off.caught || !off.white_after) {
		kunit_info(test, "%s: never caught A unscanned without the barrier in %u tries\n",
			   move, GT_TRIES);
		return false;
	}
	KUNIT_EXPECT_TRUE_MSG(test, off.n_black || via_scope, "%s", move);
	KUNIT_EXPECT_GT_MSG(test, off.failures, 0ULL,
			    "%s: no checkmark failure without the barrier", move);
	KUNIT_EXPECT_TRUE_MSG(test, off.record_ok, "%s", move);
	KUNIT_EXPECT_GT_MSG(test, off.cycle_failures, 0ULL, "%s", move);
	/* The checkmark pass marked B, so it was not freed. */
	KUNIT_EXPECT_TRUE_MSG(test, off.b_live, "%s", move);
	kunit_info(test, "%s without the barrier: %llu checkmark failure(s)\n",
		   move, off.failures);
	return true;
}

static void gc_write_barrier(struct kunit *test)
{
	struct gmm_heap *h = gt_heap(test, -1, 0);
	const struct gmm_type *t = gt_node_type(test, h);
	void **root = gt_root(test, h, 0);
	bool black, scope;

	h->gc.checkmark = true;
	black = gt_barrier_move(test, h, t, root, false);
	scope = gt_barrier_move(test, h, t, root, true);
	/* Barrier on again: everything still reachable is kept. */
	KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);
	h->gc.checkmark = false;
	if ((!black || !scope) && READ_ONCE(test->status) != KUNIT_FAILURE)
		kunit_skip(test, "the mark phase was not caught at the right moment");
}

/*
 * 6b. The handle barrier.  Handles are scanned after the first pause,
 * while mutators run.  F is held by GT_HANDLES handles, X only by one more
 * handle after them, so the scan marks F first and reaches X last.  While
 * F is marked and X is not (the scan is under way), one section gives X a
 * handle with a number the scan has passed (1, released before the cycle)
 * and releases X's old handle.  With the barrier (gmm_handle_put() shades
 * what it drops, gmm_handle_get() what it names) X is shaded at once and
 * survives; without it (gmm_barrier_disabled) nothing marks X and the
 * checkmark pass reports it (and keeps it): the test can fail.
 */
#define GT_HANDLES		100000

struct gt_hbarrier_run {
	bool caught;		/* the handle scan was caught under way */
	bool white_after;	/* X unmarked after the move */
	bool x_live;		/* X survived the cycle */
	int setup;		/* 0, or what failed */
	u64 failures;		/* checkmark failures of the cycle */
};

/* Put handle @handle in a section of its own. */
static int gt_hput(struct gmm_heap *h, u32 handle)
{
	int ret;

	gmm_mutator_enter(h);
	ret = gmm_handle_put(h, handle);
	gmm_mutator_exit(h);
	return ret;
}

static void gt_hbarrier_once(struct kunit *test, struct gmm_heap *h,
			     const struct gmm_type *t, const void *f,
			     bool disable, struct gt_hbarrier_run *r)
{
	unsigned long deadline = jiffies + GT_CATCH_TIMEOUT;
	u32 hx = 0, hlow = 0;
	struct gt_node *x;
	u64 c0 = 0, fail0;
	bool cycle_ok;

	memset(r, 0, sizeof(*r));
	gmm_mutator_enter(h);
	x = gt_new(h, t, 7);
	r->setup = x ? gmm_handle_get(h, x, &hx) : -ENOMEM;
	gmm_mutator_exit(h);
	KUNIT_ASSERT_EQ(test, r->setup, 0);
	fail0 = h->gc.checkmark_failures;

	if (gt_enter_marking(h, &c0)) {
		gmm_gc_hold_release(h, false);
		/* Wait, in short sections, for F marked and X not yet. */
		while (READ_ONCE(h->gc.phase) == GMM_GC_PHASE_MARK && !gmm_kunit_marked(x) &&
		       !gmm_kunit_marked(f) && time_before(jiffies, deadline)) {
			gmm_mutator_exit(h);
			usleep_range(10, 30);
			gmm_mutator_enter(h);
		}
		if (READ_ONCE(h->gc.phase) == GMM_GC_PHASE_MARK && gmm_kunit_marked(f) &&
		    !gmm_kunit_marked(x)) {
			r->caught = true;
			gmm_barrier_disabled = disable;
			xa_lock(&h->roots.handles);
			h->roots.handle_next = 1;
			xa_unlock(&h->roots.handles);
			r->setup = gmm_handle_get(h, x, &hlow);
			if (!r->setup && hlow != 1)
				r->setup = -EEXIST;
			if (!r->setup)
				r->setup = gmm_handle_put(h, hx);
			hx = 0;
			r->white_after = !gmm_kunit_marked(x);
			gmm_barrier_disabled = false;
		}
		gmm_mutator_exit(h);
	}
	cycle_ok = gt_wait_cycle(h, c0);
	if (r->caught && !r->setup && cycle_ok) {
		r->x_live = gmm_kunit_live(h, x);
		r->failures = h->gc.checkmark_failures - fail0;
	}
	/* Leave handle 1 free and X unreferenced for the next try. */
	if (hx)
		KUNIT_EXPECT_EQ(test, gt_hput(h, hx), 0);
	if (hlow)
		KUNIT_EXPECT_EQ(test, gt_hput(h, hlow), 0);
	KUNIT_ASSERT_EQ(test, r->setup, 0);
	KUNIT_ASSERT_TRUE(test, cycle_ok);
}

static void gc_handle_barrier(struct kunit *test)
{
	struct gmm_heap *h = gt_heap(test, -1, 0);
	const struct gmm_type *t = gt_node_type(test, h);
	struct gt_hbarrier_run on = { }, off = { };
	unsigned int i, try, fail = 0;
	struct gt_node *f;
	u32 handle;

	/* Handle 1 for a while, then F's GT_HANDLES handles after it. */
	gmm_mutator_enter(h);
	f = gt_new(h, t, 1);
	for (i = 0; f && i <= GT_HANDLES && !fail; i++) {
		fail = gmm_handle_get(h, f, &handle) != 0;
		if (!(i % 1024)) {
			gmm_mutator_exit(h);
			cond_resched();
			gmm_mutator_enter(h);
		}
	}
	gmm_mutator_exit(h);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_ASSERT_EQ(test, fail, 0U);
	KUNIT_ASSERT_EQ(test, gt_hput(h, 1), 0);

	h->gc.checkmark = true;
	for (try = 0; try < GT_TRIES && !on.caught; try++)
		gt_hbarrier_once(test, h, t, f, false, &on);
	for (try = 0; try < GT_TRIES && !(off.caught && off.white_after); try++)
		gt_hbarrier_once(test, h, t, f, true, &off);
	KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);
	h->gc.checkmark = false;

	if (!on.caught || !off.caught || !off.white_after) {
		kunit_skip(test, "the handle scan was not caught under way (%d/%d/%d)",
			   on.caught, off.caught, off.white_after);
		return;
	}
	KUNIT_EXPECT_FALSE_MSG(test, on.white_after,
			       "the handle barrier did not shade X");
	KUNIT_EXPECT_TRUE(test, on.x_live);
	KUNIT_EXPECT_EQ(test, on.failures, 0ULL);
	/* Without the barrier the scan never sees X: checkmark does. */
	KUNIT_EXPECT_GT_MSG(test, off.failures, 0ULL,
			    "no checkmark failure without the handle barrier");
	KUNIT_EXPECT_TRUE(test, off.x_live);
	kunit_info(test, "without the handle barrier: %llu checkmark failure(s)\n",
		   off.failures);
}

/*
 * 7. Assists: a mutator allocating 64 MiB of 1 KiB scan objects (a ring of
 * 4096 of them live, 4 MiB) in a heap with GOGC 100 helps the marker.
 */
#define GT_RING			4096

static void gc_assists(struct kunit *test)
{
	struct gmm_heap *h = gt_heap(test, 100, 0);
	const struct gmm_type *pt = gt_type(test, h, "ptr", 8, gt_ptr_ptrs);
	const struct gmm_type *kt = gt_type(test, h, "kb", SZ_1K, gt_kb_ptrs);
	void **root = gt_root(test, h, 0);
	unsigned int i = 0, j, fail = 0, n = SZ_64M / SZ_1K;
	void **ring, *obj;

	gmm_mutator_enter(h);
	ring = gmm_alloc_array(h, pt, GT_RING);
	if (ring)
		gmm_store_ptr(h, root, ring);
	gmm_mutator_exit(h);
	KUNIT_ASSERT_NOT_NULL(test, ring);

	while (i < n && !fail) {
		gmm_mutator_enter(h);
		ring = *root;
		for (j = 0; j < 64 && i < n; j++, i++) {
			obj = gmm_alloc(h, kt);
			if (!obj) {
				fail++;
				break;
			}
			/* Scanned, but keeps nothing else alive. */
			gmm_store_ptr(h, obj, ring);
			gmm_store_ptr(h, &ring[i % GT_RING], obj);
		}
		gmm_mutator_exit(h);
		cond_resched();
	}
	KUNIT_EXPECT_EQ_MSG(test, fail, 0U, "allocation failed at object %u", i);
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
	struct gmm_heap *h = gt_heap(test, pct, 0);
	const struct gmm_type *pt = gt_type(test, h, "ptr", 8, gt_ptr_ptrs);
	void **root = gt_root(test, h, 0);
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

static void gc_pacer_peak(struct kunit *test)
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
		gt_heap_destroy(test, h);
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
static void gc_memory_limit(struct kunit *test)
{
	struct gmm_pageheap_stats peak;
	u64 live, done = 0, cycles;
	struct gmm_heap *h;
	unsigned int run;

	for (run = 0; run < GT_PACER_RUNS; run++) {
		h = gt_garbage_run(test, 400, SZ_16M, SZ_4M / SZ_4K,
				   100ULL * SZ_1M, &live, &peak, &done);
		cycles = h->gc.num_gc;
		gt_heap_destroy(test, h);
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

/*
 * 10. Sweeping gives empty spans back to the page heap, and the idle
 * arenas can then be scavenged.
 */
static void gc_sweep_frees_spans(struct kunit *test)
{
	struct gmm_heap *h = gt_heap(test, -1, 0);
	const struct gmm_type *t = gt_node_type(test, h);
	const struct gmm_type *pt = gt_type(test, h, "ptr", 8, gt_ptr_ptrs);
	void **r_list = gt_root(test, h, 0);
	void **r_arr = gt_root(test, h, 1);
	unsigned int i, fail = 0;
	unsigned long pages, scavenged;
	struct gt_node *x;
	u64 inuse;
	void **arr;

	gmm_mutator_enter(h);
	arr = gmm_alloc_array(h, pt, 64);
	if (arr)
		gmm_store_ptr(h, r_arr, arr);
	for (i = 0; i < 20000 && arr; i++) {
		x = gt_new(h, t, i);
		if (!x) {
			fail++;
			break;
		}
		gmm_store_ptr(h, &x->left, *r_list);
		gmm_store_ptr(h, r_list, x);
		if (i % 1000 == 0 && !gmm_alloc_noscan(h, 1000 + i))
			fail++;
	}
	for (i = 0; i < 64 && arr; i++) {
		void *o = i % 2 ? gmm_alloc_noscan(h, SZ_64K + i * SZ_4K) :
				  gmm_alloc_noscan(h, SZ_2K + i * 16);

		if (!o) {
			fail++;
			break;
		}
		gmm_store_ptr(h, &arr[i], o);
	}
	gmm_mutator_exit(h);
	KUNIT_ASSERT_NOT_NULL(test, arr);
	KUNIT_ASSERT_EQ(test, fail, 0U);
	KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);
	inuse = gt_inuse(h);
	KUNIT_EXPECT_GT(test, inuse, (u64)SZ_2M);

	gmm_mutator_enter(h);
	gmm_store_ptr(h, r_list, NULL);
	gmm_store_ptr(h, r_arr, NULL);
	gmm_mutator_exit(h);
	KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);
	KUNIT_EXPECT_LE(test, gt_inuse(h), 4ULL * GMM_PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, gt_stats(test, h)->heap_objects, 0ULL);
	KUNIT_EXPECT_EQ(test, gt_stats(test, h)->large_objects, 0ULL);

	pages = gmm_pageheap_total_pages();
	scavenged = gmm_pageheap_scavenge(&h->pages);
	KUNIT_EXPECT_GT(test, scavenged, 0UL);
	KUNIT_EXPECT_LT(test, gmm_pageheap_total_pages(), pages);
	KUNIT_EXPECT_EQ(test, gt_sys(h), 0ULL);
	kunit_info(test, "heap_inuse %llu KiB live, %llu KiB after dropping; %lu KiB scavenged\n",
		   inuse >> 10, gt_inuse(h) >> 10, scavenged >> 10);
}

/*
 * 11. Destroying a heap while a cycle runs - just after asking for it, in
 * the mark phase, while it sweeps - is safe and returns every page.
 */
static void gc_destroy_during_cycle(struct kunit *test)
{
	struct gt_fixture *f = test->priv;
	unsigned int mode;

	for (mode = 0; mode < 3; mode++) {
		struct gmm_heap *h = gt_heap(test, -1, 0);
		const struct gmm_type *t = gt_node_type(test, h);
		void **root = gt_root(test, h, 0);
		unsigned long deadline;
		struct gt_node *a, *b;
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
		gt_heap_destroy(test, h);
		KUNIT_EXPECT_EQ_MSG(test, gmm_pageheap_total_pages(),
				    f->baseline, "mode %u", mode);
	}
}

/*
 * 12. The cycle records (gctrace's data): after k forced cycles num_gc is
 * k, the last record's heap2 (marked bytes) is what the rooted objects
 * occupy, and the pauses were measured.
 */
static void gc_trace_ring(struct kunit *test)
{
	struct gmm_heap *h = gt_heap(test, -1, 0);
	const struct gmm_type *t = gt_node_type(test, h);
	void **root = gt_root(test, h, 0);
	const struct gmm_cycle_trace *ct;
	unsigned int i, k = 3, fail = 0, nodes = 1000;
	struct gt_node *x = NULL;
	u64 expect;

	gmm_mutator_enter(h);
	for (i = 0; i < nodes; i++) {
		x = gt_new(h, t, i);
		if (!x) {
			fail++;
			break;
		}
		gmm_store_ptr(h, &x->left, *root);
		gmm_store_ptr(h, root, x);
		/* Garbage in between, not counted. */
		if (!gt_new(h, t, i))
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
	struct gmm_heap *h = gt_heap(test, -1, 0);
	const struct gmm_type *t = gt_node_type(test, h);
	struct gt_node *a, *b, *local = NULL, *held = NULL;
	struct gmm_scope scope;
	int get_ret = -1, put_ret, add_ret = -1;
	bool found = false, id_ok = false;
	u32 handle = 0;

	/* A handle keeps its object, and what it points to, alive. */
	gmm_mutator_enter(h);
	a = gt_new(h, t, 1);
	b = gt_new(h, t, 2);
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
	local = gt_new(h, t, 3);
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
	KUNIT_CASE_PARAM(gc_pacer_peak, gt_pacer_gen_params),
	KUNIT_CASE(gc_memory_limit),
	KUNIT_CASE(gc_sweep_frees_spans),
	KUNIT_CASE(gc_destroy_during_cycle),
	KUNIT_CASE(gc_trace_ring),
	KUNIT_CASE(gc_handles_and_scopes),
	{}
};

static int gt_gc_init(struct kunit *test)
{
	return gmm_kunit_select(test, gt_init(test), "gmm_gc");
}

static struct kunit_suite gmm_gc_suite = {
	.name = "gmm_gc",
	.init = gt_gc_init,
	.exit = gt_exit,
	.test_cases = gmm_gc_cases,
};

/*
 * The stress suite.  Every mutator owns GS_ROOTS root slots and a graph of
 * its own nodes, and keeps a model of it: per node the address, the id
 * and the model indices of the two children (-1: none).  Ids are unique
 * per run and never 0: (mutator + 1) << 40 | allocation number, so a node
 * freed and handed out again (zeroed) or reused by anyone shows up with a
 * wrong id.
 *
 * A mutator only ever reaches nodes through its roots, so a node that is
 * unreachable in the model stays garbage for good.  When the model runs
 * out of room the mutator computes reachability and sets the unreachable
 * entries aside; once two cycles that started after that have completed,
 * the collector has freed those nodes and their entries are reused.  The
 * final check covers every entry still in the model.
 */
#define GS_ROOTS		8
#define GS_CHUNK_SECONDS	60
#define GS_MAX_CHUNKS		64
#define GS_MAX_NODES		SZ_128K	/* model entries per mutator */
#define GS_MODEL_BYTES		SZ_32M	/* all mutators' models */
#define GS_DEEP_CHECK		512	/* nodes per deep check */

enum { GS_UNUSED, GS_USED, GS_PENDING, GS_FREE };

struct gs_rec {
	struct gt_node *addr;
	u64 id;
	s32 left;
	s32 right;
	u32 state;
};

/* Bytes of model per entry: the record, a BFS queue slot, a stack slot. */
#define GS_ENTRY_BYTES		(sizeof(struct gs_rec) + 2 * sizeof(u32))

struct gs_worker {
	struct gs_run *run;
	unsigned int tid;
	void *roots[GS_ROOTS];		/* registered root slots */
	s32 root_model[GS_ROOTS];
	struct gs_rec *recs;
	u32 *queue;			/* BFS queue */
	u32 *stack;			/* free [0, nfree), pending at the top */
	unsigned long *seen;
	u32 nnodes;			/* entries ever used */
	u32 nfree;
	u32 npending;
	u64 pending_until;		/* gc.completed that frees them */
	u64 seq;
	struct rnd_state rnd;
	struct completion done;
	u64 sections;
	u64 allocs;
	u64 links;
	u64 unlinks;
	u64 checked;
	u64 recycled;
	unsigned int errors;
	char err[128];
};

struct gs_run {
	struct gmm_heap *h;
	const struct gmm_type *t;
	struct gs_worker *w;
	unsigned int nw;
	u32 cap;
	bool stop;
	struct completion gc_done;
	u64 gc_calls;
	int gc_err;
};

static inline u32 gs_rand(struct gs_worker *w, u32 n)
{
	return prandom_u32_state(&w->rnd) % n;
}

static inline struct gt_node *gs_addr(const struct gs_worker *w, s32 i)
{
	return i < 0 ? NULL : w->recs[i].addr;
}

static __printf(2, 3) void gs_fail(struct gs_worker *w, const char *fmt, ...)
{
	va_list args;
	int n;

	if (w->errors++)
		return;
	n = scnprintf(w->err, sizeof(w->err), "mutator %u: ", w->tid);
	va_start(args, fmt);
	vscnprintf(w->err + n, sizeof(w->err) - n, fmt, args);
	va_end(args);
}

/* Check node @i against the model: id and both pointers.  In a section. */
static bool gs_verify(struct gs_worker *w, u32 i)
{
	const struct gs_rec *r = &w->recs[i];
	struct gt_node *n = r->addr;
	u64 id = READ_ONCE(n->id);

	w->checked++;
	if (r->state != GS_USED) {
		gs_fail(w, "model: node %u reachable in state %u", i, r->state);
		return false;
	}
	if (id != r->id) {
		gs_fail(w, "node %u: id %llx, expected %llx", i, id, r->id);
		return false;
	}
	if (READ_ONCE(n->left) != gs_addr(w, r->left)) {
		gs_fail(w, "node %u: left is not the model's child %d", i,
			r->left);
		return false;
	}
	if (READ_ONCE(n->right) != gs_addr(w, r->right)) {
		gs_fail(w, "node %u: right is not the model's child %d", i,
			r->right);
		return false;
	}
	return true;
}

/*
 * A node reachable from one of the mutator's roots, by a random walk that
 * checks every node it passes.  -1: the roots are all empty; -2: a check
 * failed.  In a section.
 */
static s32 gs_walk(struct gs_worker *w)
{
	u32 r0 = gs_rand(w, GS_ROOTS), k, steps;
	s32 cur = -1, next;

	for (k = 0; k < GS_ROOTS; k++) {
		u32 r = (r0 + k) % GS_ROOTS;

		cur = w->root_model[r];
		if (cur < 0)
			continue;
		if (READ_ONCE(w->roots[r]) != gs_addr(w, cur)) {
			gs_fail(w, "root %u is not the model's node %d", r, cur);
			return -2;
		}
		break;
	}
	if (cur < 0)
		return -1;
	steps = gs_rand(w, 24);
	for (;;) {
		if (!gs_verify(w, cur))
			return -2;
		if (!steps--)
			return cur;
		next = gs_rand(w, 2) ? w->recs[cur].right : w->recs[cur].left;
		if (next < 0)
			return cur;
		cur = next;
	}
}

/*
 * Breadth-first over the model from root @r (all roots: @r == GS_ROOTS),
 * marking w->seen; with @check, verify each node against the heap (in a
 * section) and stop after @max nodes, then clear the marks again.
 * Return: the number of nodes queued.
 */
static u32 gs_bfs(struct gs_worker *w, u32 r, bool check, u32 max)
{
	u32 head = 0, tail = 0, k, i;
	s32 c;

	for (k = 0; k < GS_ROOTS; k++) {
		if (r != GS_ROOTS && k != r)
			continue;
		c = w->root_model[k];
		if (c >= 0 && !__test_and_set_bit(c, w->seen))
			w->queue[tail++] = c;
	}
	while (head < tail && head < max) {
		i = w->queue[head++];
		if (check && !gs_verify(w, i))
			break;
		c = w->recs[i].left;
		if (c >= 0 && !__test_and_set_bit(c, w->seen))
			w->queue[tail++] = c;
		c = w->recs[i].right;
		if (c >= 0 && !__test_and_set_bit(c, w->seen))
			w->queue[tail++] = c;
	}
	if (check)
		for (i = 0; i < tail; i++)
			__clear_bit(w->queue[i], w->seen);
	return tail;
}

/* Exact reachability of the whole model into w->seen.  No section. */
static void gs_reach(struct gs_worker *w)
{
	bitmap_zero(w->seen, w->run->cap);
	gs_bfs(w, GS_ROOTS, false, U32_MAX);
}

/*
 * Out of model entries: set the unreachable ones aside until two cycles
 * that start after now have completed.  No section.
 */
static void gs_model_collect(struct gs_worker *w)
{
	u32 i;

	gs_reach(w);
	w->pending_until = READ_ONCE(w->run->h->gc.started) + 2;
	for (i = 0; i < w->nnodes; i++) {
		if (w->recs[i].state != GS_USED || test_bit(i, w->seen))
			continue;
		w->recs[i].state = GS_PENDING;
		w->stack[w->run->cap - ++w->npending] = i;
	}
}

/* The collector has freed the nodes set aside: reuse their entries. */
static void gs_model_recycle(struct gs_worker *w)
{
	u32 i, cap = w->run->cap;

	if (!w->npending ||
	    READ_ONCE(w->run->h->gc.completed) < w->pending_until)
		return;
	/* The pending stack is above the free one: move it down. */
	memmove(&w->stack[w->nfree], &w->stack[cap - w->npending],
		w->npending * sizeof(*w->stack));
	for (i = 0; i < w->npending; i++)
		w->recs[w->stack[w->nfree + i]].state = GS_FREE;
	w->nfree += w->npending;
	w->recycled += w->npending;
	w->npending = 0;
}

static void gs_set_child(struct gs_worker *w, s32 x, bool right, s32 y)
{
	struct gt_node *n = w->recs[x].addr;

	gmm_store_ptr(w->run->h, right ? &n->right : &n->left, gs_addr(w, y));
	if (right)
		w->recs[x].right = y;
	else
		w->recs[x].left = y;
}

static void gs_set_root(struct gs_worker *w, u32 r, s32 y)
{
	gmm_store_ptr(w->run->h, &w->roots[r], gs_addr(w, y));
	w->root_model[r] = y;
}

/* A new node in a free model entry; -1: no entry; -2: failed.  Section. */
static s32 gs_new(struct gs_worker *w)
{
	struct gt_node *n;
	s32 y;

	if (!w->nfree && w->nnodes >= w->run->cap)
		return -1;
	n = gmm_alloc(w->run->h, w->run->t);
	if (!n) {
		gs_fail(w, "allocation failed after %llu nodes", w->allocs);
		return -2;
	}
	if (n->left || n->right || n->id) {
		gs_fail(w, "new node not zeroed (id %llx)", n->id);
		return -2;
	}
	y = w->nfree ? w->stack[--w->nfree] : w->nnodes++;
	w->recs[y].addr = n;
	w->recs[y].id = ((u64)w->tid + 1) << 40 | ++w->seq;
	w->recs[y].left = -1;
	w->recs[y].right = -1;
	w->recs[y].state = GS_USED;
	n->id = w->recs[y].id;
	w->allocs++;
	return y;
}

/*
 * Hang new node @y under @x: into an empty child slot if there is one,
 * else between @x and a child, which becomes @y's left child.
 */
static void gs_insert(struct gs_worker *w, s32 x, s32 y)
{
	bool right = gs_rand(w, 2);
	s32 old = right ? w->recs[x].right : w->recs[x].left;

	if (old >= 0) {
		right = !right;
		old = right ? w->recs[x].right : w->recs[x].left;
	}
	if (old >= 0)
		gs_set_child(w, y, false, old);
	gs_set_child(w, x, right, y);
}

/* A root slot to store into: an empty one if there is one. */
static u32 gs_pick_root(struct gs_worker *w)
{
	u32 r0 = gs_rand(w, GS_ROOTS), k;

	for (k = 0; k < GS_ROOTS; k++)
		if (w->root_model[(r0 + k) % GS_ROOTS] < 0)
			return (r0 + k) % GS_ROOTS;
	return r0;
}

/* One random operation; false when a check failed.  In a section. */
static bool gs_op(struct gs_worker *w)
{
	u32 op = gs_rand(w, 100);
	s32 x, y;

	if (op < 35) {
		/* A new node: 85 % into the graph, 10 % a root, 5 % garbage. */
		y = gs_new(w);
		if (y < 0)
			return y == -1;
		op = gs_rand(w, 20);
		if (op < 17) {
			x = gs_walk(w);
			if (x == -2)
				return false;
			if (x >= 0) {
				gs_insert(w, x, y);
				return true;
			}
			op = 17;	/* no root yet */
		}
		if (op < 19)
			gs_set_root(w, gs_pick_root(w), y);
		return true;
	}
	if (op < 70) {
		/*
		 * Link two nodes (self-loops and cycles included): into an
		 * empty child slot, else over a child one time in four (which
		 * may drop a subgraph), so that the graph can grow.
		 */
		x = gs_walk(w);
		y = x >= 0 ? gs_walk(w) : x;
		if (y < 0)
			return y != -2;
		if (w->recs[x].left < 0)
			gs_set_child(w, x, false, y);
		else if (w->recs[x].right < 0)
			gs_set_child(w, x, true, y);
		else if (!gs_rand(w, 4))
			gs_set_child(w, x, gs_rand(w, 2), y);
		else
			return true;
		w->links++;
		return true;
	}
	if (op < 75) {
		x = gs_walk(w);
		if (x >= 0) {
			gs_set_child(w, x, gs_rand(w, 2), -1);
			w->unlinks++;
		}
		return x != -2;
	}
	if (op < 76) {
		gs_set_root(w, gs_rand(w, GS_ROOTS), -1);
		return true;
	}
	if (op < 80) {
		y = gs_walk(w);
		if (y >= 0)
			gs_set_root(w, gs_pick_root(w), y);
		return y != -2;
	}
	return gs_walk(w) != -2;
}

static int gs_mutator(void *arg)
{
	struct gs_worker *w = arg;
	struct gmm_heap *h = w->run->h;
	u32 k, nops, cap = w->run->cap;

	while (!READ_ONCE(w->run->stop) && !w->errors) {
		/* Model housekeeping, outside sections. */
		if (!w->npending && w->nfree + (cap - w->nnodes) < cap / 4)
			gs_model_collect(w);
		gs_model_recycle(w);

		nops = 1 + gs_rand(w, 8);
		gmm_mutator_enter(h);
		for (k = 0; k < nops; k++)
			if (!gs_op(w))
				break;
		if (!w->errors && !(w->sections % 64))
			gs_bfs(w, gs_rand(w, GS_ROOTS), true, GS_DEEP_CHECK);
		gmm_mutator_exit(h);
		w->sections++;
		if (!(w->sections % 16))
			cond_resched();
	}
	kthread_complete_and_exit(&w->done, 0);
}

static int gs_collector(void *arg)
{
	struct gs_run *run = arg;

	while (!READ_ONCE(run->stop)) {
		run->gc_err = gmm_gc(run->h);
		if (run->gc_err)
			break;
		run->gc_calls++;
	}
	kthread_complete_and_exit(&run->gc_done, 0);
}

struct gs_ent {
	unsigned long addr;
	u32 tid;
	u32 idx;
};

static int gs_ent_cmp(const void *a, const void *b)
{
	const struct gs_ent *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return 0;
}

struct gs_verdict {
	u64 reachable;
	u64 unreachable;
	u64 reach_dead;		/* reachable in the model, freed */
	u64 reach_bad;		/* reachable, live, wrong contents */
	u64 reach_twice;	/* two reachable nodes in one slot */
	u64 unreach_live;	/* unreachable, still allocated */
	u64 reused;		/* slots that held several nodes */
};

/*
 * Compare the heap with the models, all mutators stopped and no cycle
 * running.  Nodes are grouped by address across mutators: a slot whose
 * nodes are all unreachable must be free; one with a reachable node must
 * be allocated and hold that node; two reachable nodes in one slot mean
 * one was freed while reachable.
 */
static void gs_judge(struct gs_run *run, struct gs_ent *e, u64 n,
		     struct gs_verdict *v)
{
	struct gmm_heap *h = run->h;
	u64 i = 0, j;

	memset(v, 0, sizeof(*v));
	gmm_mutator_enter(h);
	while (i < n) {
		struct gs_worker *rw = NULL;
		u32 ri = 0, nreach = 0;

		for (j = i; j < n && e[j].addr == e[i].addr; j++) {
			struct gs_worker *w = &run->w[e[j].tid];

			if (test_bit(e[j].idx, w->seen)) {
				nreach++;
				rw = w;
				ri = e[j].idx;
			}
		}
		v->reachable += nreach;
		v->unreachable += j - i - nreach;
		if (j - i > 1)
			v->reused++;
		if (nreach > 1)
			v->reach_twice++;
		if (!nreach) {
			if (gmm_kunit_live(h, (void *)e[i].addr))
				v->unreach_live++;
		} else if (!gmm_kunit_live(h, (void *)e[i].addr)) {
			v->reach_dead++;
		} else {
			const struct gs_rec *r = &rw->recs[ri];

			if (r->addr->id != r->id ||
			    r->addr->left != gs_addr(rw, r->left) ||
			    r->addr->right != gs_addr(rw, r->right))
				v->reach_bad++;
		}
		i = j;
		if (!(i % 4096)) {
			gmm_mutator_exit(h);
			cond_resched();
			gmm_mutator_enter(h);
		}
	}
	gmm_mutator_exit(h);
}

static const u8 gs_chunk_ids[GS_MAX_CHUNKS];

static unsigned int gs_nchunks(void)
{
	unsigned int s = max(gmm_kunit_stress_seconds(), 1U);

	return min_t(unsigned int, DIV_ROUND_UP(s, GS_CHUNK_SECONDS),
		     GS_MAX_CHUNKS);
}

static const void *gs_gen_params(const void *prev, char *desc)
{
	const u8 *p = prev ? (const u8 *)prev + 1 : gs_chunk_ids;
	unsigned int i = p - gs_chunk_ids;

	if (i >= gs_nchunks())
		return NULL;
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "run %u of %u", i + 1,
		 gs_nchunks());
	return p;
}

/*
 * Mutators on every CPU and back-to-back cycles with the checkmark pass,
 * for kunit_stress_seconds (this run's share of them); then every node the
 * models say is reachable must be live and intact, and every other one
 * freed.
 */
static void gc_stress_random_graphs(struct kunit *test)
{
	unsigned int chunk = (const u8 *)test->param_value - gs_chunk_ids;
	unsigned int secs = max(gmm_kunit_stress_seconds(), 1U);
	unsigned int nw = num_online_cpus() + 1, i, started = 0;
	u64 total = 0, allocs = 0, links = 0, unlinks = 0, checked = 0;
	u64 recycled = 0;
	unsigned long deadline, t0;
	struct gs_verdict v;
	struct gs_worker *w;
	struct gs_run *run;
	struct gs_ent *ent;
	bool gc_started;
	size_t per;
	u8 *mem;
	u32 cap;

	secs = secs > chunk * GS_CHUNK_SECONDS ?
	       min_t(unsigned int, secs - chunk * GS_CHUNK_SECONDS,
		     GS_CHUNK_SECONDS) : 1;
	cap = min_t(u32, GS_MAX_NODES, GS_MODEL_BYTES / nw / GS_ENTRY_BYTES);
	cap = max_t(u32, round_down(cap, BITS_PER_LONG), 1024);
	per = (size_t)cap * GS_ENTRY_BYTES + BITS_TO_LONGS(cap) * sizeof(long);

	run = kunit_kzalloc(test, sizeof(*run), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, run);
	run->w = gt_kvzalloc(test, nw * sizeof(*run->w));
	mem = gt_kvzalloc(test, nw * per);
	run->nw = nw;
	run->cap = cap;
	run->h = gt_heap(test, 100, 0);
	run->t = gt_node_type(test, run->h);
	run->h->gc.checkmark = true;
	init_completion(&run->gc_done);

	for (i = 0; i < nw; i++) {
		unsigned int r;

		w = &run->w[i];
		w->run = run;
		w->tid = i;
		w->recs = (struct gs_rec *)(mem + i * per);
		w->queue = (u32 *)(w->recs + cap);
		w->stack = w->queue + cap;
		w->seen = (unsigned long *)(w->stack + cap);
		prandom_seed_state(&w->rnd, get_random_u64());
		init_completion(&w->done);
		for (r = 0; r < GS_ROOTS; r++) {
			w->root_model[r] = -1;
			KUNIT_ASSERT_EQ(test, gmm_root_add(run->h, &w->roots[r]), 0);
		}
	}

	/* No KUNIT_ASSERT from here until every thread is stopped. */
	gc_started = !IS_ERR(kthread_run(gs_collector, run, "gmm_gc_test/gc"));
	for (i = 0; i < nw && gc_started; i++) {
		w = &run->w[i];
		if (IS_ERR(kthread_run(gs_mutator, w, "gmm_gc_test/%u", i)))
			break;
		started++;
	}
	t0 = jiffies;
	deadline = t0 + secs * HZ;
	while (started == nw && time_before(jiffies, deadline)) {
		unsigned int errors = 0;

		for (i = 0; i < nw; i++)
			errors += READ_ONCE(run->w[i].errors);
		if (errors || READ_ONCE(run->gc_err))
			break;
		msleep(100);
	}
	WRITE_ONCE(run->stop, true);
	t0 = jiffies - t0;
	for (i = 0; i < started; i++)
		wait_for_completion(&run->w[i].done);
	if (gc_started)
		wait_for_completion(&run->gc_done);
	KUNIT_ASSERT_TRUE(test, gc_started);
	KUNIT_ASSERT_EQ(test, started, nw);
	KUNIT_EXPECT_EQ(test, run->gc_err, 0);

	for (i = 0; i < nw; i++) {
		w = &run->w[i];
		KUNIT_EXPECT_EQ_MSG(test, w->errors, 0U, "%s", w->err);
		total += w->nnodes;
		allocs += w->allocs;
		links += w->links;
		unlinks += w->unlinks;
		checked += w->checked;
		recycled += w->recycled;
	}

	/* Everything unreachable now is gone after two more cycles. */
	KUNIT_ASSERT_EQ(test, gmm_gc(run->h), 0);
	KUNIT_ASSERT_EQ(test, gmm_gc(run->h), 0);
	ent = gt_kvzalloc(test, max_t(u64, total, 1) * sizeof(*ent));
	total = 0;
	for (i = 0; i < nw; i++) {
		u32 k;

		w = &run->w[i];
		gs_reach(w);
		for (k = 0; k < w->nnodes; k++) {
			if (w->recs[k].state == GS_FREE)
				continue;
			ent[total].addr = (unsigned long)w->recs[k].addr;
			ent[total].tid = i;
			ent[total].idx = k;
			total++;
		}
	}
	sort(ent, total, sizeof(*ent), gs_ent_cmp, NULL);
	gs_judge(run, ent, total, &v);
	gt_kvfree(test, ent);

	KUNIT_EXPECT_EQ(test, v.reach_dead, 0ULL);
	KUNIT_EXPECT_EQ(test, v.reach_bad, 0ULL);
	KUNIT_EXPECT_EQ(test, v.reach_twice, 0ULL);
	KUNIT_EXPECT_EQ(test, v.unreach_live, 0ULL);
	KUNIT_EXPECT_EQ(test, run->h->gc.checkmark_failures, 0ULL);
	KUNIT_EXPECT_GT(test, run->h->gc.num_gc, 0ULL);
	KUNIT_EXPECT_GT(test, v.reachable, 0ULL);
	kunit_info(test, "%u ms, %u mutators: %llu cycles (%llu gmm_gc() calls), %llu nodes allocated, %llu links, %llu unlinks, %llu node checks, %llu model entries recycled\n",
		   jiffies_to_msecs(t0), nw, run->h->gc.num_gc, run->gc_calls, allocs, links,
		   unlinks, checked, recycled);
	kunit_info(test, "end: %llu nodes reachable, %llu unreachable, %llu slots reused; max pause %llu us, checkmark failures %llu\n",
		   v.reachable, v.unreachable, v.reused,
		   run->h->gc.pause_max_ns / NSEC_PER_USEC,
		   run->h->gc.checkmark_failures);
}

static struct kunit_case gmm_gc_stress_cases[] = {
	KUNIT_CASE_PARAM(gc_stress_random_graphs, gs_gen_params),
	{}
};

static int gt_stress_init(struct kunit *test)
{
	return gmm_kunit_select(test, gt_init(test), "gmm_gc_stress");
}

static struct kunit_suite gmm_gc_stress_suite = {
	.name = "gmm_gc_stress",
	.init = gt_stress_init,
	.exit = gt_exit,
	.test_cases = gmm_gc_stress_cases,
};

kunit_test_suites(&gmm_gc_suite, &gmm_gc_stress_suite);
