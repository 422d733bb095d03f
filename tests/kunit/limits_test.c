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
#include "heap.h"

#define LT_TYPE_SIZE	(4U << 20)		/* the largest object */
#define LT_TRIES	200			/* 12.5 MiB of bitmaps */

struct lt_fixture {
	struct gmm_heap *h;
	unsigned long *map;
	unsigned long baseline;
};

static int lt_init(struct kunit *test)
{
	struct lt_fixture *f;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	test->priv = f;
	f->baseline = gmm_pageheap_total_pages();
	/* One pointer word at the start of a 4 MiB object. */
	f->map = kunit_kzalloc(test, BITS_TO_LONGS(LT_TYPE_SIZE / 8) *
			       sizeof(long), GFP_KERNEL);
	if (!f->map)
		return -ENOMEM;
	__set_bit(0, f->map);
	return 0;
}

static void lt_exit(struct kunit *test)
{
	struct lt_fixture *f = test->priv;

	if (!f)
		return;
	gmm_heap_destroy(f->h);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(), f->baseline);
}

static struct gmm_heap *lt_heap(struct kunit *test, u64 limit)
{
	struct lt_fixture *f = test->priv;

	KUNIT_ASSERT_EQ(test, gmm_kunit_new_heap(&f->h, "kunit_limits", -1,
						 limit), 0);
	return f->h;
}

/* Register big types until refused: how many, and the last error. */
static unsigned int lt_register(struct lt_fixture *f, int *err)
{
	const struct gmm_type *t;
	unsigned int n;

	for (n = 0; n < LT_TRIES; n++) {
		t = gmm_type_register(f->h, "big", LT_TYPE_SIZE, 8, f->map);
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
	struct lt_fixture *f = test->priv;
	struct gmm_pageheap_stats ps;
	struct gmm_heap *h = lt_heap(test, 4ULL << 20);
	unsigned int n;
	int err = 0;

	n = lt_register(f, &err);
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
	struct lt_fixture *f = test->priv;
	struct gmm_heap *h = lt_heap(test, 0);
	unsigned int n;
	int err = 0;

	n = lt_register(f, &err);
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
	static const unsigned long ptrs[] = { BIT(0) };
	struct gmm_heap *h = lt_heap(test, 2ULL << 20);
	struct gmm_pageheap_stats ps;
	const struct gmm_type *t;
	unsigned long n = 0;

	t = gmm_type_register(h, "p", 16, 8, ptrs);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t);
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

static int lt_select_init(struct kunit *test)
{
	return gmm_kunit_select(test, lt_init(test), "gmm_limits");
}

static struct kunit_suite gmm_limits_suite = {
	.name = "gmm_limits",
	.init = lt_select_init,
	.exit = lt_exit,
	.test_cases = gmm_limits_cases,
};

kunit_test_suite(gmm_limits_suite);
