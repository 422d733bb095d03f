// SPDX-License-Identifier: GPL-2.0
/*
 * poison_test.c - KUnit suite gmm_poison: catching client bugs.
 *
 * With debug_poison on a heap (poison.c), the sweeper fills the slots it
 * frees with GMM_POISON_FREE and the allocator checks them when it hands
 * them out again: a write through a pointer kept outside every root is
 * reported (poison_errors) and the slot still comes out zeroed.  On a
 * KASAN kernel the freed slots are also marked freed in KASAN's shadow,
 * so the stale access itself is reported.  kmemleak sees through gmm: a
 * kmalloc()ed buffer that only a gmm object points to is not a leak.
 *
 * The stale writes below run with KASAN's reports off for the writing
 * task (kasan_disable_current()): they are the client bug under test, and
 * the shadow is checked directly instead of provoking a report.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kasan.h>
#include <linux/umh.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <linux/gmm.h>
#include "gmm_kunit.h"
#include "heap.h"
#include "poison.h"
#include "span.h"

#define PO_OBJS		64	/* objects of one span the cases make */

struct po_fixture {
	struct gmm_heap *h;
	const struct gmm_type *t;
	void **keep;		/* root slot: an array holding survivors */
};

static int po_init(struct kunit *test)
{
	struct po_fixture *f;
	int ret = gmm_kunit_init(test, "gmm_poison", sizeof(*f));

	if (ret)
		return ret;
	f = gmm_kunit_priv(test);
	f->h = gmm_kunit_heap(test, "kunit_poison", -1, 0);
	f->h->poison = true;	/* what debug_poison=1 gives a new heap */
	f->t = gmm_kunit_node_type(test, f->h);
	f->keep = gmm_kunit_root(test, f->h, 0);
	return 0;
}

/*
 * Make PO_OBJS nodes, keep the even ones in a rooted array, collect: the
 * odd ones are freed by the sweeper.  Returns the first freed node.
 */
static struct gmm_kunit_node *po_make_and_free(struct kunit *test,
					       struct po_fixture *f)
{
	const struct gmm_type *pt = gmm_kunit_ptr_type(test, f->h);
	struct gmm_kunit_node *lost = NULL;
	void **arr;
	unsigned int i;

	arr = gmm_kunit_alloc_array(f->h, pt, PO_OBJS / 2);
	KUNIT_ASSERT_NOT_NULL(test, arr);
	gmm_mutator_enter(f->h);
	gmm_store_ptr(f->h, f->keep, arr);
	for (i = 0; i < PO_OBJS; i++) {
		struct gmm_kunit_node *n = gmm_kunit_node(f->h, f->t, i);

		KUNIT_ASSERT_NOT_NULL(test, n);
		if (i % 2 == 0)
			gmm_store_ptr(f->h, &arr[i / 2], n);
		else if (!lost)
			lost = n;
	}
	gmm_mutator_exit(f->h);
	KUNIT_ASSERT_EQ(test, gmm_gc(f->h), 0);
	KUNIT_ASSERT_FALSE(test, gmm_kunit_live(f->h, lost));
	return lost;
}

/* Allocate nodes (kept) until @slot is handed out again; bounded. */
static void *po_alloc_until(struct kunit *test, struct po_fixture *f,
			    void *slot)
{
	const struct gmm_type *pt = gmm_kunit_ptr_type(test, f->h);
	void **root = gmm_kunit_root(test, f->h, 1);
	void **arr = gmm_kunit_alloc_array(f->h, pt, 4 * PO_OBJS);
	void *p = NULL;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, arr);
	gmm_mutator_enter(f->h);
	gmm_store_ptr(f->h, root, arr);
	for (i = 0; i < 4 * PO_OBJS && p != slot; i++) {
		p = gmm_alloc(f->h, f->t);
		KUNIT_ASSERT_NOT_NULL(test, p);
		gmm_store_ptr(f->h, &arr[i], p);
	}
	gmm_mutator_exit(f->h);
	KUNIT_ASSERT_PTR_EQ(test, p, slot);
	return p;
}

/* The sweeper fills freed slots; an intact slot comes back zeroed. */
static void po_sweep_fills_freed_slots(struct kunit *test)
{
	struct po_fixture *f = gmm_kunit_priv(test);
	struct gmm_kunit_node *lost = po_make_and_free(test, f);
	struct gmm_kunit_node *again;
	bool filled;

	kasan_disable_current();
	filled = !memchr_inv(lost, GMM_POISON_FREE, sizeof(*lost));
	kasan_enable_current();
	KUNIT_EXPECT_TRUE(test, filled);

	again = po_alloc_until(test, f, lost);
	KUNIT_EXPECT_TRUE(test, gmm_kunit_is_zero(again, sizeof(*again)));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&f->h->poison_errors), 0);
}

/* A write through a stale pointer is found when the slot is reused. */
static void po_stale_write_is_reported(struct kunit *test)
{
	struct po_fixture *f = gmm_kunit_priv(test);
	struct gmm_kunit_node *lost = po_make_and_free(test, f);
	struct gmm_kunit_node *again;

	kasan_disable_current();
	WRITE_ONCE(lost->id, 0x1234);		/* the client's bug */
	kasan_enable_current();

	again = po_alloc_until(test, f, lost);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&f->h->poison_errors), 1);
	/* Reported, then handed out as usual: cleared. */
	KUNIT_EXPECT_TRUE(test, gmm_kunit_is_zero(again, sizeof(*again)));
}

/* Off (the default), the sweeper writes nothing into freed slots. */
static void po_off_by_default(struct kunit *test)
{
	struct po_fixture *f = gmm_kunit_priv(test);
	struct gmm_kunit_node *lost;

	/* A heap made now has the module's default. */
	KUNIT_EXPECT_FALSE(test, gmm_kunit_heap(test, "kunit_nopoison", -1,
						0)->poison);
	f->h->poison = false;
	lost = po_make_and_free(test, f);
	KUNIT_EXPECT_NE(test, READ_ONCE(lost->id), 0x6b6b6b6b6b6b6b6bULL);
	KUNIT_EXPECT_EQ(test, READ_ONCE(lost->id), 1ULL);	/* node 1 */
}

#ifdef CONFIG_KASAN_GENERIC
static u8 po_shadow(const void *p)
{
	return READ_ONCE(*(u8 *)kasan_mem_to_shadow(p));
}
#endif

/* KASAN: a freed slot is inaccessible until it is handed out again. */
static void po_kasan_shadow(struct kunit *test)
{
#ifdef CONFIG_KASAN_GENERIC
	struct po_fixture *f = gmm_kunit_priv(test);
	struct gmm_kunit_node *lost, *again;

	if (!gmm_poison_kasan())
		kunit_skip(test, "kasan_poison() is not exported to modules here");
	lost = po_make_and_free(test, f);
	KUNIT_EXPECT_NE(test, po_shadow(lost), 0);
	KUNIT_EXPECT_NE(test, po_shadow(&lost->id), 0);
	again = po_alloc_until(test, f, lost);
	KUNIT_EXPECT_EQ(test, po_shadow(again), 0);
	KUNIT_EXPECT_EQ(test, po_shadow(&again->id), 0);
#else
	kunit_skip(test, "no generic KASAN in this kernel");
#endif
}

#define PO_KMEMLEAK	"/sys/kernel/debug/kmemleak"

/*
 * kmemleak's check: PO_LEAK_N buffers of an unusual size (from a cache of
 * their own: kmemleak reports a slab object with its cache's object size,
 * 2048 for a kmalloc() of 1237 bytes), each held only
 * by the id word of a node (not a pointer to the collector: a client's
 * foreign pointer).  A scan that finds no gmm memory to look in reports
 * them all, less the few whose address a stale stack word still holds
 * (kmemleak scans whole thread stacks, dead frames too); so the check is
 * "no buffer of that size reported", robust to those.
 */
#define PO_LEAK_N	64
#define PO_LEAK_SIZE	1237

/*
 * Ask kmemleak to scan now and whether it reports an object of @size.
 * kmemleak's debugfs file has no read_iter/write_iter, so a shell started
 * as a user-mode helper does what a user would: echo scan, then grep.
 * Twice: a first scan takes an object whose contents changed since the
 * last one (a new object, too) for one in flight and does not report it.
 * Returns 0 (none reported), 1 (reported) or -1 (could not ask).
 */
static int po_kmemleak_reports(size_t size)
{
	char cmd[256], *argv[4], *envp[2];
	int ret;

	envp[0] = "PATH=/bin:/sbin:/usr/bin:/usr/sbin";
	envp[1] = NULL;
	argv[0] = "/bin/sh";
	argv[1] = "-c";
	argv[2] = cmd;
	argv[3] = NULL;
	snprintf(cmd, sizeof(cmd),
		 "echo scan > %s && echo scan > %s || exit 2; grep -q '(size %zu):' %s && exit 1; exit 0",
		 PO_KMEMLEAK, PO_KMEMLEAK, size, PO_KMEMLEAK);
	ret = call_usermodehelper(argv[0], argv, envp, UMH_WAIT_PROC);
	if (ret == 0)
		return 0;
	if (ret > 0 && (ret >> 8) == 1)		/* a wait status */
		return 1;
	return -1;
}

/* Free the buffers the nodes of @arr hold. */
static void po_free_buffers(struct gmm_heap *h, struct gmm_kunit_node **arr,
			    struct kmem_cache *cache)
{
	unsigned int i;

	gmm_mutator_enter(h);
	for (i = 0; i < PO_LEAK_N; i++) {
		kmem_cache_free(cache,
				(void *)(unsigned long)READ_ONCE(arr[i]->id));
		WRITE_ONCE(arr[i]->id, 0);
	}
	gmm_mutator_exit(h);
}

/* kmemleak: a buffer only a gmm object points to is no leak. */
static void po_kmemleak_sees_through_gmm(struct kunit *test)
{
	struct po_fixture *f = gmm_kunit_priv(test);
	const struct gmm_type *pt = gmm_kunit_ptr_type(test, f->h);
	struct gmm_kunit_node **arr;
	struct kmem_cache *cache;
	unsigned int i;
	int ret;

	if (!IS_ENABLED(CONFIG_DEBUG_KMEMLEAK))
		kunit_skip(test, "no kmemleak in this kernel");
	cache = kmem_cache_create("gmm_kunit_leak", PO_LEAK_SIZE, 8, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, cache);
	arr = gmm_kunit_alloc_array(f->h, pt, PO_LEAK_N);
	KUNIT_ASSERT_NOT_NULL(test, arr);
	gmm_mutator_enter(f->h);
	gmm_store_ptr(f->h, f->keep, arr);
	for (i = 0; i < PO_LEAK_N; i++) {
		struct gmm_kunit_node *n = gmm_kunit_node(f->h, f->t, 0);

		KUNIT_ASSERT_NOT_NULL(test, n);
		gmm_store_ptr(f->h, (void **)&arr[i], n);
		WRITE_ONCE(n->id, (u64)(unsigned long)
			   kmem_cache_alloc(cache, GFP_KERNEL));
		KUNIT_ASSERT_NE(test, READ_ONCE(n->id), 0ULL);
	}
	gmm_mutator_exit(f->h);
	/* kmemleak reports nothing younger than 5 seconds (min_age). */
	msleep(5500);
	ret = po_kmemleak_reports(PO_LEAK_SIZE);
	po_free_buffers(f->h, arr, cache);
	kmem_cache_destroy(cache);
	if (ret < 0)
		kunit_skip(test, "cannot run /bin/sh to ask %s", PO_KMEMLEAK);
	KUNIT_EXPECT_EQ(test, ret, 0);
}

static struct kunit_case gmm_poison_cases[] = {
	KUNIT_CASE(po_sweep_fills_freed_slots),
	KUNIT_CASE(po_stale_write_is_reported),
	KUNIT_CASE(po_off_by_default),
	KUNIT_CASE(po_kasan_shadow),
	KUNIT_CASE(po_kmemleak_sees_through_gmm),
	{}
};

static struct kunit_suite gmm_poison_suite = {
	.name = "gmm_poison",
	.init = po_init,
	.exit = gmm_kunit_exit,
	.test_cases = gmm_poison_cases,
};

kunit_test_suite(gmm_poison_suite);
