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

#define BH_OBJECTS	512		/* of 1 MiB each */

/* An array of BH_OBJECTS pointers, all of them pointer words. */
static const unsigned long bh_ptrs[BITS_TO_LONGS(BH_OBJECTS)] = {
	[0 ... BITS_TO_LONGS(BH_OBJECTS) - 1] = ~0UL,
};

static void bh_count_arena(struct gmm_arena *a, void *arg)
{
	(*(unsigned long *)arg)++;
}

static void big_heap_walks_in_batches(struct kunit *test)
{
	struct gmm_heap *h = gmm_kunit_heap(test, "kunit_big", -1, 0);
	void **root = gmm_kunit_root(test, h, 0);
	const struct gmm_type *t;
	unsigned long arenas = 0;
	unsigned int i, made = 0;
	void **array;
	u64 breaks;

	t = gmm_kunit_type(test, h, "ptrs", BH_OBJECTS * sizeof(void *), 8,
			   bh_ptrs);
	gmm_mutator_enter(h);
	array = gmm_alloc(h, t);
	if (array)
		gmm_store_ptr(h, root, array);
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

static int bh_init(struct kunit *test)
{
	return gmm_kunit_init(test, "gmm_big_heap", 0);
}

static struct kunit_suite gmm_big_heap_suite = {
	.name = "gmm_big_heap",
	.init = bh_init,
	.exit = gmm_kunit_exit,
	.test_cases = gmm_big_heap_cases,
};

kunit_test_suite(gmm_big_heap_suite);
