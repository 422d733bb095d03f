// SPDX-License-Identifier: GPL-2.0
/*
 * alloc_size_test.c - the cases of suite "gmm_alloc" (alloc_test.c) on
 * object sizes: large objects, size classes, scan and noscan objects
 * apart, alignment, type registration and arrays.
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

/* 4. Large objects: a span each, page aligned, zeroed. */
void alloc_large_objects(struct kunit *test)
{
	static const size_t sizes[] = {
		GMM_MAX_SMALL_SIZE + 1, 100 * SZ_1K, SZ_1M, GMM_MAX_ALLOC_SIZE,
	};
	struct gmm_heap *h = at_heap(test);
	const struct gmm_memstats *st;
	const struct gmm_type *t;
	u64 bytes = 0;
	unsigned int i;
	void *p;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		p = gmm_alloc_noscan(h, sizes[i]);
		KUNIT_ASSERT_NOT_NULL_MSG(test, p, "size %zu", sizes[i]);
		at_check_large(test, p, sizes[i], true);
		memset(p, 0xa5, sizes[i]);
		bytes += round_up(sizes[i], GMM_PAGE_SIZE);
	}

	/* A large object with pointers gets a scan span and its type. */
	t = at_type(test, h, AT_MAX_SCAN_SIZE, 0, at_one_ptr);
	KUNIT_EXPECT_EQ(test, (unsigned int)t->sizeclass, 0U);
	p = gmm_alloc(h, t);
	KUNIT_ASSERT_NOT_NULL(test, p);
	at_check_large(test, p, AT_MAX_SCAN_SIZE, false);
	KUNIT_EXPECT_TRUE(test, gmm_span_of(p)->large_type == t);
	bytes += round_up(AT_MAX_SCAN_SIZE, GMM_PAGE_SIZE);

	/* Too big: refused, nothing counted. */
	KUNIT_EXPECT_NULL(test, gmm_alloc_noscan(h, GMM_MAX_ALLOC_SIZE + 1));
	KUNIT_EXPECT_NULL(test, gmm_alloc_noscan(h, SIZE_MAX));

	st = gmm_kunit_stats(test, h);
	KUNIT_EXPECT_EQ(test, st->large_objects, 5ULL);
	KUNIT_EXPECT_EQ(test, st->by_size[0].mallocs, 5ULL);
	KUNIT_EXPECT_EQ(test, st->by_size[0].spans, 5ULL);
	KUNIT_EXPECT_EQ(test, st->mallocs, 5ULL);
	KUNIT_EXPECT_EQ(test, st->total_alloc, bytes);
	KUNIT_EXPECT_EQ(test, st->heap_inuse, bytes);
	at_expect_consistent(test, h);
}

/* 5. Typed allocation. */
void alloc_scan_noscan_apart(struct kunit *test)
{
	static const size_t sizes[] = { 16, 48, 1024, 32768, AT_MAX_SCAN_SIZE };
	struct gmm_heap *h = at_heap(test);
	const struct gmm_type *ts, *tn;
	struct gmm_span *ss, *sn;
	unsigned int i, j;
	void *ps, *pn;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		tn = at_type(test, h, sizes[i], 0, NULL);
		ts = at_type(test, h, sizes[i], 0, at_one_ptr);
		KUNIT_EXPECT_TRUE(test, tn->noscan);
		KUNIT_EXPECT_FALSE(test, ts->noscan);
		KUNIT_EXPECT_EQ(test, ts->nptrs, 1U);
		for (j = 0; j < 2; j++) {
			pn = gmm_alloc(h, tn);
			ps = gmm_alloc(h, ts);
			KUNIT_ASSERT_NOT_NULL(test, pn);
			KUNIT_ASSERT_NOT_NULL(test, ps);
			sn = gmm_span_of(pn);
			ss = gmm_span_of(ps);
			KUNIT_EXPECT_TRUE_MSG(test, sn != ss, "size %zu", sizes[i]);
			KUNIT_EXPECT_TRUE(test, gmm_spanclass_noscan(sn->spanclass));
			KUNIT_EXPECT_FALSE(test, gmm_spanclass_noscan(ss->spanclass));
			KUNIT_EXPECT_EQ(test, sn->spanclass, ss->spanclass | 1);
			KUNIT_EXPECT_EQ(test, sn->elemsize, ss->elemsize);
			KUNIT_EXPECT_TRUE(test, gmm_kunit_is_zero(pn, sizes[i]));
			KUNIT_EXPECT_TRUE(test, gmm_kunit_is_zero(ps, sizes[i]));
			if (ss->slot_types)
				KUNIT_EXPECT_EQ(test,
						(u32)ss->slot_types[at_span_off(ps) / ss->elemsize],
						ts->id);
		}
	}
	at_expect_consistent(test, h);
}

/* gmm_class_for(): the smallest class whose size is a multiple of align. */
void alloc_class_for(struct kunit *test)
{
	static const u32 aligns[] = { 8, 16, 64, 256, 4096, 8192 };
	unsigned int i, size, c, bad = 0;

	KUNIT_EXPECT_EQ(test, gmm_class_to_size[gmm_class_for(24, 8)], 24);
	KUNIT_EXPECT_EQ(test, gmm_class_to_size[gmm_class_for(24, 16)], 32);
	KUNIT_EXPECT_EQ(test, gmm_class_to_size[gmm_class_for(24, 64)], 64);
	KUNIT_EXPECT_EQ(test, gmm_class_to_size[gmm_class_for(100, 256)], 256);
	KUNIT_EXPECT_EQ(test, gmm_class_to_size[gmm_class_for(100, 4096)], 4096);
	KUNIT_EXPECT_EQ(test, gmm_class_to_size[gmm_class_for(1, 8192)], 8192);
	KUNIT_EXPECT_EQ(test, gmm_class_for(GMM_MAX_SMALL_SIZE + 1, 8), 0U);

	for (i = 0; i < ARRAY_SIZE(aligns); i++) {
		for (size = 1; size <= GMM_MAX_SMALL_SIZE; size += 7) {
			c = gmm_class_for(size, aligns[i]);
			if (!c || gmm_class_to_size[c] < size ||
			    gmm_class_to_size[c] % aligns[i] ||
			    (c > 1 && gmm_class_to_size[c - 1] >= size &&
			     gmm_class_to_size[c - 1] % aligns[i] == 0))
				bad++;
		}
	}
	KUNIT_EXPECT_EQ(test, bad, 0U);
}

/* Alignment requests are honoured by gmm_alloc() and gmm_alloc_array(). */
void alloc_alignment(struct kunit *test)
{
	static const u32 aligns[] = { 16, 64, 256, 4096, 8192 };
	static const size_t sizes[] = { 8, 24, 100, 1000, 20000 };
	unsigned int i, j, k, misaligned = 0, wrong_class = 0, dirty = 0;
	struct gmm_heap *h = at_heap(test);
	const struct gmm_type *t;
	unsigned int c;
	void *p;

	for (i = 0; i < ARRAY_SIZE(aligns); i++) {
		for (j = 0; j < ARRAY_SIZE(sizes); j++) {
			const unsigned long *map = (j & 1) ? at_one_ptr : NULL;

			t = at_type(test, h, sizes[j], aligns[i], map);
			KUNIT_EXPECT_EQ(test, t->align, aligns[i]);
			c = gmm_class_for(sizes[j], aligns[i]);
			KUNIT_EXPECT_EQ(test, (unsigned int)t->sizeclass, c);
			for (k = 0; k < 3; k++) {
				p = gmm_alloc(h, t);
				KUNIT_ASSERT_NOT_NULL(test, p);
				if ((unsigned long)p % aligns[i])
					misaligned++;
				if (c && gmm_span_of(p)->elemsize != gmm_class_to_size[c])
					wrong_class++;
				if (!gmm_kunit_is_zero(p, sizes[j]))
					dirty++;
			}
			p = gmm_alloc_array(h, t, 3);
			KUNIT_ASSERT_NOT_NULL(test, p);
			if ((unsigned long)p % aligns[i])
				misaligned++;
			c = gmm_class_for(3 * sizes[j], aligns[i]);
			if (c && gmm_span_of(p)->elemsize != gmm_class_to_size[c])
				wrong_class++;
			if (!c && gmm_span_of(p)->state != GMM_SPAN_LARGE)
				wrong_class++;
			if (!gmm_kunit_is_zero(p, 3 * sizes[j]))
				dirty++;
		}
	}
	KUNIT_EXPECT_EQ(test, misaligned, 0U);
	KUNIT_EXPECT_EQ(test, wrong_class, 0U);
	KUNIT_EXPECT_EQ(test, dirty, 0U);
	at_expect_consistent(test, h);
}

static void at_expect_rejected(struct kunit *test, struct gmm_heap *h,
			       size_t size, size_t align,
			       const unsigned long *ptrmap)
{
	const struct gmm_type *t = gmm_type_register(h, "bad", size, align,
						     ptrmap);

	KUNIT_EXPECT_EQ_MSG(test, PTR_ERR_OR_ZERO(t), -EINVAL,
			    "size %zu align %zu", size, align);
}

void alloc_type_register_checks(struct kunit *test)
{
	struct gmm_heap *h = at_heap(test);
	unsigned long map[2] = { };
	const struct gmm_type *t, *u;

	at_expect_rejected(test, h, 0, 8, NULL);
	at_expect_rejected(test, h, GMM_MAX_ALLOC_SIZE + 1, 8, NULL);
	at_expect_rejected(test, h, SIZE_MAX, 8, NULL);
	at_expect_rejected(test, h, 64, 3, NULL);
	at_expect_rejected(test, h, 64, 24, NULL);
	at_expect_rejected(test, h, 64, 2 * GMM_PAGE_SIZE, NULL);
	/* Pointer bits beyond the object's whole words. */
	map[0] = BIT(2);
	at_expect_rejected(test, h, 16, 8, map);	/* word 2 of 2 */
	map[0] = BIT(1);
	at_expect_rejected(test, h, 12, 8, map);	/* half a word */
	map[0] = BIT(0);
	at_expect_rejected(test, h, 4, 8, map);	/* no whole word */
	at_expect_rejected(test, h, 12, 8, map);	/* arrays would misalign */
	map[0] = BIT(8);
	at_expect_rejected(test, h, 64, 8, map);
	map[0] = 0;
	map[1] = BIT(1);
	at_expect_rejected(test, h, 65 * 8, 8, map);	/* word 65 of 65 */

	/* Accepted: the limits themselves, defaults, and normalisation. */
	t = at_type(test, h, GMM_MAX_ALLOC_SIZE, GMM_PAGE_SIZE, NULL);
	KUNIT_EXPECT_EQ(test, t->align, (u32)GMM_PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, (unsigned int)t->sizeclass, 0U);
	u = at_type(test, h, 1, 1, NULL);
	KUNIT_EXPECT_GT(test, u->id, t->id);
	KUNIT_EXPECT_TRUE(test, u->noscan);
	t = at_type(test, h, 24, 0, NULL);
	KUNIT_EXPECT_EQ(test, t->align, 8U);		/* 0 means 8 */
	map[0] = BIT(1);
	map[1] = BIT(0);
	t = at_type(test, h, 65 * 8, 4, map);
	KUNIT_EXPECT_EQ(test, t->nptrs, 2U);
	KUNIT_EXPECT_EQ(test, t->nwords, 65U);
	KUNIT_EXPECT_EQ(test, t->align, 8U);		/* pointers need 8 */
	KUNIT_EXPECT_FALSE(test, t->noscan);
	map[0] = 0;
	map[1] = 0;
	t = at_type(test, h, 64, 0, map);		/* an empty map */
	KUNIT_EXPECT_TRUE(test, t->noscan);
}

void alloc_array_bounds(struct kunit *test)
{
	struct gmm_heap *h = at_heap(test);
	const struct gmm_type *t, *ts;
	struct gmm_span *s;
	unsigned int i;
	u16 *types;
	void *p;

	t = at_type(test, h, 24, 0, NULL);
	KUNIT_EXPECT_NULL(test, gmm_alloc_array(h, t, 0));
	KUNIT_EXPECT_NULL(test, gmm_alloc_array(h, t, SIZE_MAX / 24 + 1));
	KUNIT_EXPECT_NULL(test, gmm_alloc_array(h, t, SIZE_MAX));
	KUNIT_EXPECT_NULL(test, gmm_alloc_array(h, t, GMM_MAX_ALLOC_SIZE / 24 + 1));
	KUNIT_EXPECT_EQ(test, gmm_kunit_stats(test, h)->mallocs, 0ULL);

	/* Exactly the largest object is fine. */
	ts = at_type(test, h, 16, 0, at_one_ptr);
	p = gmm_alloc_array(h, ts, GMM_MAX_ALLOC_SIZE / 16);
	KUNIT_ASSERT_NOT_NULL(test, p);
	s = gmm_span_of(p);
	KUNIT_EXPECT_EQ(test, (int)s->state, GMM_SPAN_LARGE);
	KUNIT_EXPECT_EQ(test, s->npages, (u32)(GMM_MAX_ALLOC_SIZE / GMM_PAGE_SIZE));
	KUNIT_EXPECT_TRUE(test, s->large_type == ts);
	KUNIT_EXPECT_TRUE(test, gmm_kunit_is_zero(p, GMM_PAGE_SIZE));
	KUNIT_EXPECT_TRUE(test,
			  gmm_kunit_is_zero(p + GMM_MAX_ALLOC_SIZE - GMM_PAGE_SIZE,
					    GMM_PAGE_SIZE));

	/* A small scan array records the element type in its slot. */
	for (i = 1; i <= 4; i++) {
		p = gmm_alloc_array(h, ts, i);
		KUNIT_ASSERT_NOT_NULL(test, p);
		s = gmm_span_of(p);
		KUNIT_EXPECT_EQ(test, s->elemsize,
				(u32)gmm_class_to_size[gmm_size_to_class(16 * i)]);
		KUNIT_EXPECT_FALSE(test, gmm_spanclass_noscan(s->spanclass));
		types = s->slot_types;
		KUNIT_ASSERT_NOT_NULL(test, types);
		KUNIT_EXPECT_EQ(test, (u32)types[at_span_off(p) / s->elemsize],
				ts->id);
		KUNIT_EXPECT_TRUE(test, gmm_kunit_is_zero(p, 16 * i));
	}
	KUNIT_EXPECT_EQ(test, gmm_kunit_stats(test, h)->mallocs, 5ULL);
	at_expect_consistent(test, h);
}
