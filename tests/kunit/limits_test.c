// SPDX-License-Identifier: GPL-2.0
/*
 * limits_test.c - KUnit suite "gmm_limits": a heap's memory limit covers
 * its metadata as well as its arenas.
 *
 * Types (a descriptor plus a pointer bitmap of up to 64 KiB) and span
 * descriptors (with four bitmaps and a type id per slot: about a third of
 * an 8 KiB span of 16-byte scan objects) are kernel memory the heap
 * makes on a user's behalf: they count against the heap's limit and
 * max_total_mb, and types against GMM_TYPES_MAX_BYTES per heap.
 */
#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/slab.h>

#include <linux/gmm.h>
#include "gmm_kunit.h"

#define LT_TYPE_SIZE	(4U << 20)		/* the largest object */
#define LT_TRIES	200			/* 12.5 MiB of bitmaps */

/* One pointer word at the start of a 4 MiB object. */
static unsigned long *lt_map(struct kunit *test)
{
	unsigned long *map = kunit_kzalloc(test, BITS_TO_LONGS(LT_TYPE_SIZE / 8) *
					   sizeof(long), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, map);
	__set_bit(0, map);
	return map;
}

/* Register big types until refused: how many, and the last error. */
static unsigned int lt_register(struct kunit *test, struct gmm_heap *h,
				int *err)
{
	const unsigned long *map = lt_map(test);
	const struct gmm_type *t;
	unsigned int n;

	for (n = 0; n < LT_TRIES; n++) {
		t = gmm_type_register(h, "big", LT_TYPE_SIZE, 8, map);
		if (IS_ERR(t)) {
			*err = PTR_ERR(t);
			break;
		}
	}
	return n;
}

/* A 4 MiB heap: types stop at its limit, with -ENOMEM. */
static void limits_types_count(struct kunit *test)
{
	struct gmm_heap *h = gmm_kunit_heap(test, "kunit_limits", -1, 4ULL << 20);
	struct gmm_pageheap_stats ps;
	unsigned int n;
	int err = 0;

	n = lt_register(test, h, &err);
	gmm_pageheap_read_stats(&h->pages, &ps);
	kunit_info(test, "%u types of 4 MiB, then %d; %llu bytes of metadata\n",
		   n, err, ps.meta_bytes);
	KUNIT_EXPECT_LT(test, n, LT_TRIES);
	KUNIT_EXPECT_EQ(test, err, -ENOMEM);
	KUNIT_EXPECT_GT(test, n, 0U);
	KUNIT_EXPECT_LE(test, ps.meta_bytes, 4ULL << 20);
}

/* No limit of its own: GMM_TYPES_MAX_BYTES still stops them (-ENOSPC). */
static void limits_types_cap(struct kunit *test)
{
	struct gmm_heap *h = gmm_kunit_heap(test, "kunit_limits", -1, 0);
	unsigned int n;
	int err = 0;

	n = lt_register(test, h, &err);
	KUNIT_EXPECT_LT(test, n, LT_TRIES);
	KUNIT_EXPECT_EQ(test, err, -ENOSPC);
	KUNIT_EXPECT_LE(test, atomic_long_read(&h->type_bytes),
			(long)GMM_TYPES_MAX_BYTES);
}

/*
 * A 2 MiB heap filled with 16-byte scan objects: arenas and span
 * descriptors together stay within the limit, and the descriptors count.
 */
static void limits_span_metadata(struct kunit *test)
{
	struct gmm_heap *h = gmm_kunit_heap(test, "kunit_limits", -1, 2ULL << 20);
	struct gmm_pageheap_stats ps;
	const struct gmm_type *t;
	unsigned long n = 0;

	t = gmm_kunit_type(test, h, "p", 16, 8, gmm_kunit_ptr_ptrs);
	gmm_mutator_enter(h);
	while (gmm_alloc(h, t) && ++n < (4UL << 20) / 16)
		if (!(n % 4096)) {
			gmm_mutator_exit(h);
			cond_resched();
			gmm_mutator_enter(h);
		}
	gmm_mutator_exit(h);
	gmm_pageheap_read_stats(&h->pages, &ps);
	kunit_info(test, "%lu objects; arenas %llu + metadata %llu bytes\n",
		   n, ps.sys_bytes, ps.meta_bytes);
	KUNIT_EXPECT_GT(test, n, 0UL);
	KUNIT_EXPECT_GT(test, ps.meta_bytes, 0ULL);
	KUNIT_EXPECT_LE(test, ps.sys_bytes + ps.meta_bytes, 2ULL << 20);
}

static struct kunit_case gmm_limits_cases[] = {
	KUNIT_CASE(limits_types_count),
	KUNIT_CASE(limits_types_cap),
	KUNIT_CASE(limits_span_metadata),
	{}
};

static int lt_init(struct kunit *test)
{
	return gmm_kunit_init(test, "gmm_limits", 0);
}

static struct kunit_suite gmm_limits_suite = {
	.name = "gmm_limits",
	.init = lt_init,
	.exit = gmm_kunit_exit,
	.test_cases = gmm_limits_cases,
};

kunit_test_suite(gmm_limits_suite);
