// SPDX-License-Identifier: GPL-2.0
/*
 * typemap_test.c - KUnit suite gmm_typemap: GMM_TYPE() builds the pointer
 * map a hand-written bitmap would be - single pointers, arrays of them,
 * nested members, fields across a long boundary, none at all - and the
 * type registered from it is the one gmm_type_register() makes; the
 * collector follows the map (an object held only through an array
 * element survives a cycle).  The build-time checks are proved by
 * tests/typecheck (structs that must not compile).
 */
#include <kunit/test.h>
#include <linux/bitmap.h>

#include <linux/gmm.h>
#include "gmm_kunit.h"

struct tm_node {
	struct tm_node *left;		/* word 0 */
	u64 key;			/* 1 */
	u32 a, b;			/* 2 */
	struct tm_node *kids[3];	/* 3, 4, 5 */
	struct {
		u64 x;			/* 6 */
		void *p;		/* 7 */
	} in;
};

/* Pointer words up to the map's last one. */
struct tm_wide {
	u64 pad[59];			/* words 0 .. 58 */
	void *last[4];			/* 59 .. 62 */
	void *far;			/* 63 */
	u64 more[4];			/* beyond the map: no pointers */
};

/* More words than the map has: pointers only in its first words. */
struct tm_big {
	void *head;			/* word 0 */
	u64 body[GMM_TYPE_MAP_BITS];
	void *tail;			/* beyond the map: not nameable */
};

struct tm_plain {
	u64 a, b;
};

static const struct gmm_type_desc tm_node_desc =
	GMM_TYPE(struct tm_node, left, kids, in.p);
static const struct gmm_type_desc tm_wide_desc =
	GMM_TYPE(struct tm_wide, last, far);
static const struct gmm_type_desc tm_big_desc = GMM_TYPE(struct tm_big, head);
static const struct gmm_type_desc tm_plain_desc = GMM_TYPE(struct tm_plain);
static const struct gmm_type_desc tm_elem_desc =
	GMM_TYPE(struct tm_node, kids[1]);

/* The suite's heap (the fixture's private data holds it). */
static struct gmm_heap *tm_heap(struct kunit *test)
{
	return *(struct gmm_heap **)gmm_kunit_priv(test);
}

static void tm_maps_match_hand_written(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, tm_node_desc.ptrmap,
			BIT(0) | BIT(3) | BIT(4) | BIT(5) | BIT(7));
	KUNIT_EXPECT_EQ(test, tm_elem_desc.ptrmap, BIT(4));
	KUNIT_EXPECT_EQ(test, tm_wide_desc.ptrmap,
			BIT(59) | BIT(60) | BIT(61) | BIT(62) | BIT(63));
	KUNIT_EXPECT_EQ(test, tm_big_desc.ptrmap, BIT(0));
	KUNIT_EXPECT_EQ(test, tm_plain_desc.ptrmap, 0);
	KUNIT_EXPECT_EQ(test, tm_node_desc.size, sizeof(struct tm_node));
	KUNIT_EXPECT_EQ(test, tm_node_desc.align, __alignof__(struct tm_node));
	KUNIT_EXPECT_STREQ(test, tm_node_desc.name, "struct tm_node");
}

static void tm_registers_like_a_bitmap(struct kunit *test)
{
	static const unsigned long hand[] = {
		BIT(0) | BIT(3) | BIT(4) | BIT(5) | BIT(7)
	};
	struct gmm_heap *h = tm_heap(test);
	const struct gmm_type *a, *b, *big, *plain, *wide;

	a = gmm_type_register_desc(h, &tm_node_desc);
	b = gmm_type_register(h, "hand", sizeof(struct tm_node), 8, hand);
	KUNIT_ASSERT_FALSE(test, IS_ERR(a));
	KUNIT_ASSERT_FALSE(test, IS_ERR(b));
	KUNIT_EXPECT_EQ(test, a->size, b->size);
	KUNIT_EXPECT_EQ(test, a->nptrs, 5);
	KUNIT_EXPECT_TRUE(test, bitmap_equal(a->ptrmap, b->ptrmap, a->nwords));

	wide = gmm_type_register_desc(h, &tm_wide_desc);
	KUNIT_ASSERT_FALSE(test, IS_ERR(wide));
	KUNIT_EXPECT_EQ(test, wide->nptrs, 5);
	KUNIT_EXPECT_TRUE(test, test_bit(63, wide->ptrmap));
	KUNIT_EXPECT_FALSE(test, test_bit(64, wide->ptrmap));

	big = gmm_type_register_desc(h, &tm_big_desc);
	KUNIT_ASSERT_FALSE(test, IS_ERR(big));
	KUNIT_EXPECT_GT(test, big->nwords, GMM_TYPE_MAP_BITS);
	KUNIT_EXPECT_EQ(test, big->nptrs, 1);
	KUNIT_EXPECT_TRUE(test, test_bit(0, big->ptrmap));

	plain = gmm_type_register_desc(h, &tm_plain_desc);
	KUNIT_ASSERT_FALSE(test, IS_ERR(plain));
	KUNIT_EXPECT_TRUE(test, plain->noscan);
}

/* An object reachable only through kids[2] survives a full cycle. */
static void tm_collector_follows_the_map(struct kunit *test)
{
	struct gmm_heap *h = tm_heap(test);
	const struct gmm_type *t = gmm_type_register_desc(h, &tm_node_desc);
	static struct tm_node *root;
	struct tm_node *child, *lost;

	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	root = NULL;
	KUNIT_ASSERT_EQ(test, gmm_root_add(h, (void **)&root), 0);
	gmm_mutator_enter(h);
	gmm_store_ptr(h, &root, gmm_alloc(h, t));
	child = gmm_alloc(h, t);
	lost = gmm_alloc(h, t);
	KUNIT_ASSERT_NOT_NULL(test, root);
	KUNIT_ASSERT_NOT_NULL(test, child);
	child->key = 42;
	/* key is no pointer: a value that looks like one keeps nothing */
	root->key = (unsigned long)lost;
	gmm_store_ptr(h, &root->kids[2], child);
	gmm_mutator_exit(h);
	KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);
	KUNIT_EXPECT_TRUE(test, gmm_kunit_live(h, child));
	KUNIT_EXPECT_FALSE(test, gmm_kunit_live(h, lost));
	gmm_mutator_enter(h);
	KUNIT_EXPECT_EQ(test, READ_ONCE(root->kids[2])->key, 42);
	gmm_mutator_exit(h);
	gmm_root_remove(h, (void **)&root);
}

static int tm_init(struct kunit *test)
{
	struct gmm_heap **hp;
	int ret = gmm_kunit_init(test, "gmm_typemap", sizeof(*hp));

	if (ret)
		return ret;
	hp = gmm_kunit_priv(test);
	*hp = gmm_kunit_heap(test, "typemap", -1, 0);
	return 0;
}

static struct kunit_case gmm_typemap_cases[] = {
	KUNIT_CASE(tm_maps_match_hand_written),
	KUNIT_CASE(tm_registers_like_a_bitmap),
	KUNIT_CASE(tm_collector_follows_the_map),
	{}
};

static struct kunit_suite gmm_typemap_suite = {
	.name = "gmm_typemap",
	.init = tm_init,
	.exit = gmm_kunit_exit,
	.test_cases = gmm_typemap_cases,
};

kunit_test_suite(gmm_typemap_suite);
