// SPDX-License-Identifier: GPL-2.0
/*
 * sizeclass_test.c - KUnit suite for the size-class tables (sizeclasses.h).
 *
 * Checks the generated tables against the properties the allocator and the
 * collector rely on, and every size and every span offset by brute force.
 */
#include <kunit/test.h>
#include <linux/kernel.h>

#include <linux/gmm.h>
#include "sizeclasses.h"

/* Minimum alignment every object of at least min_size bytes gets. */
static const struct {
	unsigned int min_size;
	unsigned int align;
} sc_align_guarantees[] = {
	{ 8, 8 },
	{ 32, 16 },
	{ 256, 32 },
	{ 512, 64 },
	{ 768, 128 },
	{ 28672, 4096 },
	{ 32768, 8192 },
};

static unsigned int sc_guaranteed_align(unsigned int size)
{
	unsigned int i, align = 0;

	for (i = 0; i < ARRAY_SIZE(sc_align_guarantees); i++)
		if (size >= sc_align_guarantees[i].min_size)
			align = sc_align_guarantees[i].align;
	return align;
}

/* Parameterized cases run once per size class, 1..67. */
static const u16 *sc_class_param(struct kunit *test)
{
	const u16 *p = test->param_value;

	KUNIT_ASSERT_NOT_NULL(test, p);
	return p;
}

static void sc_class_desc(const u16 *p, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "class %u (%u B)",
		 (unsigned int)(p - gmm_class_to_size), *p);
}

static const void *sc_class_gen_params(const void *prev, char *desc)
{
	const u16 *next = prev ? (const u16 *)prev + 1 : &gmm_class_to_size[1];

	if (next - gmm_class_to_size >= GMM_NUM_SIZE_CLASSES)
		return NULL;
	sc_class_desc(next, desc);
	return next;
}

static void sc_count_and_class0(struct kunit *test)
{
	unsigned int c, nclasses = 0;

	KUNIT_EXPECT_EQ(test, GMM_NUM_SIZE_CLASSES, 68);
	KUNIT_EXPECT_EQ(test, ARRAY_SIZE(gmm_class_to_size), 68);
	KUNIT_EXPECT_EQ(test, GMM_NUM_SPAN_CLASSES, 136);
	KUNIT_EXPECT_EQ(test, ARRAY_SIZE(gmm_size_to_class8), 129);
	KUNIT_EXPECT_EQ(test, ARRAY_SIZE(gmm_size_to_class128), 249);

	for (c = 1; c < GMM_NUM_SIZE_CLASSES; c++)
		if (gmm_class_to_size[c])
			nclasses++;
	KUNIT_EXPECT_EQ(test, nclasses, 67);

	/* Class 0 is "large object, own span": no entries of its own. */
	KUNIT_EXPECT_EQ(test, gmm_class_to_size[0], 0);
	KUNIT_EXPECT_EQ(test, gmm_class_to_npages[0], 0);
	KUNIT_EXPECT_EQ(test, gmm_class_to_nelems[0], 0);
	KUNIT_EXPECT_EQ(test, gmm_class_to_divmagic[0], 0);
	KUNIT_EXPECT_EQ(test, gmm_size_to_class(0), 0);
}

static void sc_sizes_increase(struct kunit *test)
{
	unsigned int c, max_npages = 0, max_nelems = 0;

	KUNIT_EXPECT_EQ(test, gmm_class_to_size[1], 8);
	KUNIT_EXPECT_EQ(test, gmm_class_to_size[GMM_NUM_SIZE_CLASSES - 1],
			GMM_MAX_SMALL_SIZE);
	for (c = 1; c < GMM_NUM_SIZE_CLASSES; c++) {
		KUNIT_EXPECT_GT_MSG(test, gmm_class_to_size[c], gmm_class_to_size[c - 1],
				    "class %u", c);
		max_npages = max_t(unsigned int, max_npages, gmm_class_to_npages[c]);
		max_nelems = max_t(unsigned int, max_nelems, gmm_class_to_nelems[c]);
	}
	KUNIT_EXPECT_EQ(test, max_npages, GMM_MAX_CLASS_NPAGES);
	KUNIT_EXPECT_EQ(test, max_nelems, GMM_MAX_OBJS_PER_SPAN);
}

static void sc_spot_values(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, gmm_class_to_size[1], 8);
	KUNIT_EXPECT_EQ(test, gmm_class_to_nelems[1], 1024);
	KUNIT_EXPECT_EQ(test, gmm_class_to_size[2], GMM_TINY_SIZE);
	KUNIT_EXPECT_EQ(test, gmm_class_to_size[3], 24);
	KUNIT_EXPECT_EQ(test, gmm_class_to_nelems[3], 341);
	KUNIT_EXPECT_EQ(test, gmm_class_to_size[5], 48);
	KUNIT_EXPECT_EQ(test, gmm_class_to_size[32], 1024);
	KUNIT_EXPECT_EQ(test, gmm_class_to_size[52], 9472);
	KUNIT_EXPECT_EQ(test, gmm_class_to_npages[52], 7);
	KUNIT_EXPECT_EQ(test, gmm_class_to_nelems[52], 6);
	KUNIT_EXPECT_EQ(test, gmm_class_to_size[65], 27264);
	KUNIT_EXPECT_EQ(test, gmm_class_to_npages[65], 10);
	KUNIT_EXPECT_EQ(test, gmm_class_to_nelems[65], 3);
	KUNIT_EXPECT_EQ(test, gmm_class_to_size[67], 32768);
	KUNIT_EXPECT_EQ(test, gmm_class_to_npages[67], 4);
	KUNIT_EXPECT_EQ(test, gmm_class_to_nelems[67], 1);

	KUNIT_EXPECT_EQ(test, gmm_size_to_class(1), 1);
	KUNIT_EXPECT_EQ(test, gmm_size_to_class(8), 1);
	KUNIT_EXPECT_EQ(test, gmm_size_to_class(9), 2);
	KUNIT_EXPECT_EQ(test, gmm_size_to_class(17), 3);
	KUNIT_EXPECT_EQ(test, gmm_size_to_class(1016), 32);
	KUNIT_EXPECT_EQ(test, gmm_size_to_class(1017), 32);
	KUNIT_EXPECT_EQ(test, gmm_size_to_class(1024), 32);
	KUNIT_EXPECT_EQ(test, gmm_size_to_class(1025), 33);
	KUNIT_EXPECT_EQ(test, gmm_size_to_class(32767), 67);
	KUNIT_EXPECT_EQ(test, gmm_size_to_class(32768), 67);
}

/* Span geometry: npages, nelems and the tail waste bound. */
static void sc_class_geometry(struct kunit *test)
{
	const u16 *p = sc_class_param(test);
	unsigned int c = p - gmm_class_to_size;
	unsigned int size = *p;
	unsigned int npages = gmm_class_to_npages[c];
	unsigned int span = npages * GMM_PAGE_SIZE;
	unsigned int nelems = gmm_class_to_nelems[c];

	KUNIT_ASSERT_GT(test, size, 0);
	KUNIT_EXPECT_EQ(test, size % 8, 0);
	KUNIT_ASSERT_GE(test, npages, 1);
	KUNIT_EXPECT_LE(test, npages, GMM_MAX_CLASS_NPAGES);
	KUNIT_EXPECT_EQ(test, nelems, span / size);
	KUNIT_EXPECT_GE(test, nelems, 1);
	KUNIT_EXPECT_LE(test, nelems, GMM_MAX_OBJS_PER_SPAN);
	/* Tail waste at most 12.5 % of the span. */
	KUNIT_EXPECT_LE(test, span - nelems * size, span / 8);
	/* Above 1024 B classes fall on the 128-byte lookup grid. */
	if (size > GMM_SMALL_SIZE_MAX)
		KUNIT_EXPECT_EQ(test, size % GMM_LARGE_SIZE_DIV, 0);
}

/* Every object in a (page-aligned) span is as aligned as promised. */
static void sc_class_alignment(struct kunit *test)
{
	const u16 *p = sc_class_param(test);
	unsigned int c = p - gmm_class_to_size;
	unsigned int size = *p;
	unsigned int align = sc_guaranteed_align(size);
	unsigned int i;

	KUNIT_ASSERT_GE(test, align, 8);
	KUNIT_ASSERT_TRUE(test, GMM_PAGE_SIZE % align == 0);
	for (i = 0; i < gmm_class_to_nelems[c]; i++)
		KUNIT_ASSERT_EQ_MSG(test, i * size % align, 0,
				    "slot %u of %u B not %u-aligned", i, size, align);
}

/* (off * divmagic) >> 32 == off / size for every offset of the span. */
static void sc_class_divmagic(struct kunit *test)
{
	const u16 *p = sc_class_param(test);
	unsigned int c = p - gmm_class_to_size;
	u32 size = *p;
	u32 magic = gmm_class_to_divmagic[c];
	u32 end = gmm_class_to_npages[c] * GMM_PAGE_SIZE;
	u32 off;

	KUNIT_ASSERT_NE(test, magic, 0);
	/* Every slot, and the tail up to and including the span's end. */
	for (off = 0; off <= end; off++)
		KUNIT_ASSERT_EQ_MSG(test, gmm_div_elemsize(off, magic), off / size,
				    "offset %u, size %u, divmagic %u", off, size, magic);
}

/* Every small size maps to the smallest class that holds it. */
static void sc_size_to_class_all(struct kunit *test)
{
	unsigned int size, c;

	for (size = 1; size <= GMM_MAX_SMALL_SIZE; size++) {
		c = gmm_size_to_class(size);
		KUNIT_ASSERT_GE_MSG(test, c, 1, "size %u", size);
		KUNIT_ASSERT_LT_MSG(test, c, GMM_NUM_SIZE_CLASSES, "size %u", size);
		KUNIT_ASSERT_GE_MSG(test, gmm_class_to_size[c], size,
				    "size %u -> class %u too small", size, c);
		KUNIT_ASSERT_LT_MSG(test, gmm_class_to_size[c - 1], size,
				    "size %u -> class %u not the smallest", size, c);
	}
}

/* The smallest class holding size bytes, by linear search. */
static unsigned int sc_smallest_class(unsigned int size)
{
	unsigned int c;

	for (c = 0; c < GMM_NUM_SIZE_CLASSES - 1; c++)
		if (gmm_class_to_size[c] >= size)
			break;
	return c;
}

/* Every raw table entry is the smallest class for the size it stands for. */
static void sc_lookup_tables(struct kunit *test)
{
	unsigned int i, size;

	for (i = 0; i < ARRAY_SIZE(gmm_size_to_class8); i++) {
		size = i * GMM_SMALL_SIZE_DIV;
		KUNIT_EXPECT_EQ_MSG(test, gmm_size_to_class8[i], sc_smallest_class(size),
				    "size_to_class8[%u] (%u B)", i, size);
	}
	for (i = 0; i < ARRAY_SIZE(gmm_size_to_class128); i++) {
		size = GMM_SMALL_SIZE_MAX + i * GMM_LARGE_SIZE_DIV;
		KUNIT_EXPECT_EQ_MSG(test, gmm_size_to_class128[i], sc_smallest_class(size),
				    "size_to_class128[%u] (%u B)", i, size);
	}
	KUNIT_EXPECT_EQ(test, gmm_size_to_class8[0], 0);
	KUNIT_EXPECT_EQ(test, gmm_size_to_class8[GMM_SIZE_TO_CLASS8_LEN - 1], 32);
	KUNIT_EXPECT_EQ(test, gmm_size_to_class128[0], 32);
	KUNIT_EXPECT_EQ(test, gmm_size_to_class128[GMM_SIZE_TO_CLASS128_LEN - 1],
			GMM_NUM_SIZE_CLASSES - 1);
}

static void sc_spanclass_roundtrip(struct kunit *test)
{
	unsigned int spc;

	for (spc = 0; spc < GMM_NUM_SPAN_CLASSES; spc++) {
		unsigned int c = gmm_spanclass_sizeclass(spc);
		bool noscan = gmm_spanclass_noscan(spc);

		KUNIT_EXPECT_EQ(test, c, spc / 2);
		KUNIT_EXPECT_EQ(test, noscan, spc % 2 == 1);
		KUNIT_EXPECT_LT(test, c, GMM_NUM_SIZE_CLASSES);
		KUNIT_EXPECT_EQ(test, gmm_make_spanclass(c, noscan), spc);
	}
	KUNIT_EXPECT_EQ(test, gmm_make_spanclass(0, false), 0);
	KUNIT_EXPECT_EQ(test, gmm_make_spanclass(0, true), 1);
	KUNIT_EXPECT_EQ(test, gmm_make_spanclass(GMM_NUM_SIZE_CLASSES - 1, true),
			GMM_NUM_SPAN_CLASSES - 1);

	KUNIT_EXPECT_EQ(test, GMM_TINY_SPANCLASS, 5);
	KUNIT_EXPECT_EQ(test, gmm_make_spanclass(gmm_size_to_class(GMM_TINY_SIZE), true),
			GMM_TINY_SPANCLASS);
	KUNIT_EXPECT_TRUE(test, gmm_spanclass_noscan(GMM_TINY_SPANCLASS));
	KUNIT_EXPECT_EQ(test, gmm_class_to_size[gmm_spanclass_sizeclass(GMM_TINY_SPANCLASS)],
			GMM_TINY_SIZE);
}

static struct kunit_case gmm_sizeclass_cases[] = {
	KUNIT_CASE(sc_count_and_class0),
	KUNIT_CASE(sc_sizes_increase),
	KUNIT_CASE(sc_spot_values),
	KUNIT_CASE_PARAM(sc_class_geometry, sc_class_gen_params),
	KUNIT_CASE_PARAM(sc_class_alignment, sc_class_gen_params),
	KUNIT_CASE_PARAM(sc_class_divmagic, sc_class_gen_params),
	KUNIT_CASE(sc_size_to_class_all),
	KUNIT_CASE(sc_lookup_tables),
	KUNIT_CASE(sc_spanclass_roundtrip),
	{}
};

static struct kunit_suite gmm_sizeclass_suite = {
	.name = "gmm_sizeclass",
	.test_cases = gmm_sizeclass_cases,
};

kunit_test_suite(gmm_sizeclass_suite);
