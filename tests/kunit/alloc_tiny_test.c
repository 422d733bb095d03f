// SPDX-License-Identifier: GPL-2.0
/*
 * alloc_tiny_test.c - the cases of suite "gmm_alloc" (alloc_test.c) on
 * the tiny allocator: noscan objects under 16 bytes packed into 16-byte
 * blocks.
 */
#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <linux/gmm.h>
#include "alloc_test.h"
#include "gmm_kunit.h"

/*
 * 3. The tiny allocator: noscan objects under 16 bytes packed into 16-byte
 * blocks, each aligned by its size as in Go.
 */
void alloc_tiny_one_then_eight(struct kunit *test)
{
	struct gmm_heap *h = at_heap(test);
	const struct gmm_memstats *st;
	void *a, *b;

	migrate_disable();
	a = gmm_alloc_noscan(h, 1);
	b = gmm_alloc_noscan(h, 8);
	migrate_enable();
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);

	/* One block: offsets 0 and 8. */
	KUNIT_EXPECT_EQ(test, at_span_off(a) % GMM_TINY_SIZE, 0UL);
	KUNIT_EXPECT_EQ(test, at_span_off(b), at_span_off(a) + 8);
	KUNIT_EXPECT_TRUE(test, gmm_span_of(a) == gmm_span_of(b));
	KUNIT_EXPECT_EQ(test, gmm_span_of(a)->spanclass, GMM_TINY_SPANCLASS);
	KUNIT_EXPECT_TRUE(test, gmm_kunit_is_zero(a, GMM_TINY_SIZE));

	st = gmm_kunit_stats(test, h);
	KUNIT_EXPECT_EQ(test, st->tiny_allocs, 1ULL);
	KUNIT_EXPECT_EQ(test, st->mallocs, 2ULL);
	KUNIT_EXPECT_EQ(test, st->heap_objects, 1ULL);	/* the block */
	KUNIT_EXPECT_EQ(test, st->by_size[2].mallocs, 1ULL);
	KUNIT_EXPECT_EQ(test, st->total_alloc, (u64)GMM_TINY_SIZE);
	at_expect_consistent(test, h);
}

/* The most allocations alloc_tiny_every_size makes: 15 x (2 + 14). */
#define AT_TINY_MAX	240

/* Where the tiny test expects an allocation, and what it got. */
struct at_tiny_rec {
	unsigned long addr;
	u8 size;
	bool nonzero;
};

static void at_tiny_take(struct gmm_heap *h, struct at_tiny_rec *r,
			 unsigned int *n, size_t size)
{
	void *p = gmm_alloc_noscan(h, size);

	if (*n >= AT_TINY_MAX)
		return;
	r[*n].addr = (unsigned long)p;
	r[*n].size = size;
	if (p) {
		r[*n].nonzero = !gmm_kunit_is_zero(p, size);
		/* Dirty it: a later object overlapping it would not be 0. */
		memset(p, 0xff, size);
	}
	(*n)++;
}

/*
 * For every size 1..15: a 1-byte object opens a new block (the previous
 * one is full), the sized object follows at the next offset its alignment
 * allows, and 1-byte fillers fill the block up to 16 bytes.
 */
void alloc_tiny_every_size(struct kunit *test)
{
	unsigned int s, k, n = 0, nfill = 0, bad = 0, first_bad = 0;
	struct gmm_heap *h = at_heap(test);
	const struct gmm_memstats *st;
	unsigned long block, lead0;
	struct at_tiny_rec *r;

	r = kunit_kcalloc(test, AT_TINY_MAX, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);

	migrate_disable();
	for (s = 1; s < GMM_TINY_SIZE; s++) {
		unsigned int end = ALIGN(1, at_tiny_align(s)) + s;

		at_tiny_take(h, r, &n, 1);
		at_tiny_take(h, r, &n, s);
		for (k = end; k < GMM_TINY_SIZE; k++)
			at_tiny_take(h, r, &n, 1);
	}
	migrate_enable();

	for (k = 0; k < n; k++)
		KUNIT_ASSERT_TRUE_MSG(test, r[k].addr, "allocation %u failed", k);
	lead0 = r[0].addr;
	KUNIT_EXPECT_EQ(test, at_span_off((void *)lead0) % GMM_TINY_SIZE, 0UL);

	/* Replay the sequence against the expected layout. */
	k = 0;
	for (s = 1; s < GMM_TINY_SIZE; s++) {
		unsigned int a = at_tiny_align(s), off = ALIGN(1, a), end = off + s;
		unsigned int o;

		/* Blocks are consecutive slots of the one tiny span. */
		block = r[k].addr;
		if (block != lead0 + (s - 1) * GMM_TINY_SIZE) {
			bad++;
			first_bad = first_bad ?: s;
		}
		k++;
		if (r[k].addr != block + off || r[k].addr % a) {
			bad++;
			first_bad = first_bad ?: s;
		}
		k++;
		for (o = end; o < GMM_TINY_SIZE; o++, k++, nfill++) {
			if (r[k].addr != block + o) {
				bad++;
				first_bad = first_bad ?: s;
			}
		}
	}
	KUNIT_EXPECT_EQ_MSG(test, bad, 0U, "first wrong layout at size %u",
			    first_bad);
	KUNIT_EXPECT_EQ(test, k, n);
	for (k = 0, bad = 0; k < n; k++)
		bad += r[k].nonzero;
	KUNIT_EXPECT_EQ(test, bad, 0U);
	KUNIT_EXPECT_TRUE(test, gmm_span_of((void *)lead0) ==
			  gmm_span_of((void *)r[n - 1].addr));

	/* 15 blocks; everything else was placed inside a block. */
	st = gmm_kunit_stats(test, h);
	KUNIT_EXPECT_EQ(test, st->by_size[2].mallocs, 15ULL);
	KUNIT_EXPECT_EQ(test, st->tiny_allocs, (u64)(15 + nfill));
	KUNIT_EXPECT_EQ(test, st->mallocs, (u64)n);
	KUNIT_EXPECT_EQ(test, st->heap_objects, 15ULL);
	at_expect_consistent(test, h);
}

/*
 * Go keeps whichever block has more room: a 12-byte object that does not
 * fit next to an 8-byte one gets a new block, but the old block (8 bytes
 * free) stays current, so the next 8-byte object lands in it.
 */
void alloc_tiny_keeps_roomier_block(struct kunit *test)
{
	struct gmm_heap *h = at_heap(test);
	void *a, *b, *c, *d, *e, *z;

	migrate_disable();
	a = gmm_alloc_noscan(h, 8);	/* block A, offset 0 */
	b = gmm_alloc_noscan(h, 12);	/* no room in A: block B, A stays */
	c = gmm_alloc_noscan(h, 8);	/* A + 8 */
	d = gmm_alloc_noscan(h, 4);	/* A full: block D, becomes current */
	e = gmm_alloc_noscan(h, 4);	/* D + 4 */
	z = gmm_alloc_noscan(h, 0);	/* treated as 1 byte: D + 8 */
	migrate_enable();
	KUNIT_ASSERT_TRUE(test, a && b && c && d && e && z);

	KUNIT_EXPECT_EQ(test, at_span_off(a) % GMM_TINY_SIZE, 0UL);
	KUNIT_EXPECT_EQ(test, at_span_off(b), at_span_off(a) + GMM_TINY_SIZE);
	KUNIT_EXPECT_EQ(test, at_span_off(c), at_span_off(a) + 8);
	KUNIT_EXPECT_EQ(test, at_span_off(d), at_span_off(b) + GMM_TINY_SIZE);
	KUNIT_EXPECT_EQ(test, at_span_off(e), at_span_off(d) + 4);
	KUNIT_EXPECT_EQ(test, at_span_off(z), at_span_off(d) + 8);
	KUNIT_EXPECT_TRUE(test, gmm_kunit_is_zero(a, 3 * GMM_TINY_SIZE));

	KUNIT_EXPECT_EQ(test, gmm_kunit_stats(test, h)->tiny_allocs, 3ULL);
	KUNIT_EXPECT_EQ(test, gmm_kunit_stats(test, h)->by_size[2].mallocs, 3ULL);
	at_expect_consistent(test, h);
}
