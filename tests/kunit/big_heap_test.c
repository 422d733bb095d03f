// SPDX-License-Identifier: GPL-2.0
/*
 * big_heap_test.c - KUnit suite "gmm_big_heap": a 512 MiB heap, walked,
 * collected with the checkmark pass and destroyed.
 *
 * Walks of the page heap (the SPANS snapshot, debugfs "spans", the
 * checkmark pass clearing its bits) and the teardown of a heap used to
 * hold the page heap's spinlock across every arena, or free every span
 * without rescheduling: on a big heap that is a soft lockup waiting to
 * happen.  Here every walk must drop the lock between arenas (the page
 * heap counts the breaks), and the debug kernel's soft-lockup, hung-task
 * and RCU-stall detectors, which make check turns into failures, watch
 * the rest.  No wall-clock time is asserted.
 */
#include <kunit/test.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <linux/gmm.h>
#include "gmm_kunit.h"
#include "heap.h"

#define BH_OBJECTS	512		/* of 1 MiB each */

/* An array of BH_OBJECTS pointers, all of them pointer words. */
static const unsigned long bh_ptrs[BITS_TO_LONGS(BH_OBJECTS)] = {
	[0 ... BITS_TO_LONGS(BH_OBJECTS) - 1] = ~0UL,
};

struct bh_fixture {
	struct gmm_heap *h;
	void *root;
	unsigned long baseline;
};

static int bh_init(struct kunit *test)
{
	struct bh_fixture *f;
	int ret;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	test->priv = f;
	f->baseline = gmm_pageheap_total_pages();
	ret = gmm_kunit_new_heap(&f->h, "kunit_big", -1, 0);
	return ret ?: gmm_root_add(f->h, &f->root);
}

static void bh_exit(struct kunit *test)
{
	struct bh_fixture *f = test->priv;

	if (!f)
		return;
	gmm_heap_destroy(f->h);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(), f->baseline);
}

static void bh_count_arena(struct gmm_arena *a, void *arg)
{
	(*(unsigned long *)arg)++;
}

static void big_heap_walks_in_batches(struct kunit *test)
{
	struct bh_fixture *f = test->priv;
	struct gmm_heap *h = f->h;
	const struct gmm_type *t;
	unsigned long arenas = 0;
	unsigned int i, made = 0;
	void **array;
	u64 breaks;

	t = gmm_type_register(h, "ptrs", BH_OBJECTS * sizeof(void *), 8, bh_ptrs);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t);
	gmm_mutator_enter(h);
	array = gmm_alloc(h, t);
	if (array)
		gmm_store_ptr(h, &f->root, array);
	for (i = 0; array && i < BH_OBJECTS; i++) {
		void *obj = gmm_alloc_noscan(h, SZ_1M);

		if (!obj)
			break;
		gmm_store_ptr(h, &array[i], obj);
		made++;
		if (!(i % 16)) {	/* let a stop in now and then */
			gmm_mutator_exit(h);
			cond_resched();
			gmm_mutator_enter(h);
		}
	}
	gmm_mutator_exit(h);
	KUNIT_ASSERT_NOT_NULL(test, array);
	KUNIT_ASSERT_EQ(test, made, BH_OBJECTS);

	/* A walk breaks after every arena. */
	breaks = READ_ONCE(h->pages.walk_breaks);
	gmm_pageheap_walk_arenas(&h->pages, bh_count_arena, &arenas);
	KUNIT_EXPECT_GE(test, arenas, (unsigned long)(BH_OBJECTS / 4));
	KUNIT_EXPECT_EQ(test, READ_ONCE(h->pages.walk_breaks) - breaks, (u64)arenas);

	/* The checkmark pass walks every arena with the world stopped. */
	h->gc.checkmark = true;
	breaks = READ_ONCE(h->pages.walk_breaks);
	KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);
	KUNIT_EXPECT_GE(test, READ_ONCE(h->pages.walk_breaks) - breaks, (u64)arenas);
	KUNIT_EXPECT_EQ(test, h->gc.cycles[0].checkmark_failures, 0ULL);
	KUNIT_EXPECT_TRUE(test, gmm_kunit_live(h, array));
	/* Destroyed by the exit handler: in batches, rescheduling. */
}

static struct kunit_case gmm_big_heap_cases[] = {
	KUNIT_CASE(big_heap_walks_in_batches),
	{}
};

static int bh_select_init(struct kunit *test)
{
	return gmm_kunit_select(test, bh_init(test), "gmm_big_heap");
}

static struct kunit_suite gmm_big_heap_suite = {
	.name = "gmm_big_heap",
	.init = bh_select_init,
	.exit = bh_exit,
	.test_cases = gmm_big_heap_cases,
};

kunit_test_suite(gmm_big_heap_suite);
