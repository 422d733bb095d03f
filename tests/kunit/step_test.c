// SPDX-License-Identifier: GPL-2.0
/*
 * step_test.c - KUnit suite gmm_step: the stepped mark (gmm/step.c) and
 * the colours of objects (gmm/objects.c).
 *
 * A heap with GOGC off (only the stepper starts cycles) holds, from a root
 * slot, the chain A -> B -> C (left pointers) and B -> D (right); G is
 * allocated and dropped (garbage).  After gmm_step_begin() the root's
 * object A is grey and the others white; each step of one object turns
 * exactly one grey object black and greys its white children; the mark
 * workers and assists leave the heap alone meanwhile.  A store during the
 * stepped mark shades both the value it overwrites and the value it
 * stores (the hybrid barrier), visibly, before any step scans them.
 * Stepping past the last grey object ends the cycle: G is freed, the
 * chain lives.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/jiffies.h>

#include <linux/gmm.h>
#include "heap.h"
#include "internal.h"
#include "mark.h"
#include "objects.h"
#include "step.h"
#include "gmm_kunit.h"

struct st_fixture {
	struct gmm_heap *h;
	const struct gmm_type *t;
	void *root;
	struct gmm_kunit_node *a, *b, *c, *d, *g;
};

/* The colour of @obj, read in a section (it is reachable or grey). */
static int st_colour(struct st_fixture *f, void *obj)
{
	int c;

	gmm_mutator_enter(f->h);
	c = gmm_object_colour_of(f->h, obj);
	gmm_mutator_exit(f->h);
	return c;
}

static struct gmm_kunit_node *st_new(struct kunit *test,
				     struct st_fixture *f, u64 id)
{
	struct gmm_kunit_node *n = gmm_alloc(f->h, f->t);

	KUNIT_ASSERT_NOT_NULL(test, n);
	n->id = id;
	return n;
}

/* A -> B -> C, B -> D from the root; G garbage.  Outside sections. */
static void st_build(struct kunit *test, struct st_fixture *f)
{
	gmm_mutator_enter(f->h);
	f->a = st_new(test, f, 1);
	gmm_store_ptr(f->h, &f->root, f->a);
	f->b = st_new(test, f, 2);
	gmm_store_ptr(f->h, &f->a->left, f->b);
	f->c = st_new(test, f, 3);
	gmm_store_ptr(f->h, &f->b->left, f->c);
	f->d = st_new(test, f, 4);
	gmm_store_ptr(f->h, &f->b->right, f->d);
	f->g = st_new(test, f, 5);
	gmm_mutator_exit(f->h);
}

static int st_init(struct kunit *test)
{
	struct st_fixture *f;
	int ret = gmm_kunit_init(test, "gmm_step", sizeof(*f));

	if (ret)
		return ret;
	f = gmm_kunit_priv(test);
	f->h = gmm_kunit_heap(test, "kunit_step", -1, 0);
	f->t = gmm_kunit_node_type(test, f->h);
	return gmm_root_add(f->h, &f->root);
}

/* Step one object at a time until the cycle ends; returns the steps. */
static unsigned int st_step_out(struct kunit *test, struct st_fixture *f)
{
	struct gmm_step_state st = {};
	unsigned int n = 0;

	do {
		KUNIT_ASSERT_EQ(test, gmm_step_scan(f->h, 1, &st), 0);
		KUNIT_ASSERT_LE(test, st.scanned, 1U);
		n += st.scanned;
		KUNIT_ASSERT_LT(test, n, 100U);
	} while (st.marking);
	KUNIT_EXPECT_EQ(test, st.grey, 0U);
	return n;
}

/* The roots grey, the rest white; one step blackens A and greys B. */
static void step_grey_to_black(struct kunit *test)
{
	struct st_fixture *f = gmm_kunit_priv(test);
	struct gmm_step_state st = {};

	st_build(test, f);
	KUNIT_ASSERT_EQ(test, gmm_step_begin(f->h, &st), 0);
	KUNIT_ASSERT_TRUE(test, st.marking);
	KUNIT_EXPECT_EQ(test, st.grey, 1U);
	KUNIT_EXPECT_EQ(test, st_colour(f, f->a), GMM_COLOUR_GREY);
	KUNIT_EXPECT_EQ(test, st_colour(f, f->b), GMM_COLOUR_WHITE);
	KUNIT_EXPECT_EQ(test, st_colour(f, f->g), GMM_COLOUR_WHITE);
	/* No mark worker and no assist scans a stepped heap. */
	msleep(50);
	KUNIT_EXPECT_EQ(test, st_colour(f, f->a), GMM_COLOUR_GREY);
	KUNIT_EXPECT_EQ(test, gmm_step_begin(f->h, &st), -EBUSY);

	KUNIT_ASSERT_EQ(test, gmm_step_scan(f->h, 1, &st), 0);
	KUNIT_EXPECT_EQ(test, st.scanned, 1U);
	KUNIT_EXPECT_EQ(test, st_colour(f, f->a), GMM_COLOUR_BLACK);
	KUNIT_EXPECT_EQ(test, st_colour(f, f->b), GMM_COLOUR_GREY);
	KUNIT_EXPECT_EQ(test, st_colour(f, f->c), GMM_COLOUR_WHITE);
	KUNIT_EXPECT_EQ(test, st.grey, 1U);

	/* B, then C and D (no children), then the step that ends it. */
	KUNIT_EXPECT_EQ(test, st_step_out(test, f), 3U);
	KUNIT_EXPECT_EQ(test, gmm_step_scan(f->h, 1, &st), -ENOENT);
	KUNIT_EXPECT_FALSE(test, gmm_kunit_live(f->h, f->g));
	KUNIT_EXPECT_TRUE(test, gmm_kunit_live(f->h, f->d));
	KUNIT_EXPECT_EQ(test, st_colour(f, f->d), GMM_COLOUR_WHITE);
	KUNIT_EXPECT_EQ(test, READ_ONCE(f->h->gc.num_gc), 1ULL);
}

/*
 * A is black, B grey, C and D white.  One store moves D from B->right
 * into A->right: the barrier shades D (the stored value) and nothing
 * else yet; a second one overwrites B->left (C) with NULL: C is shaded
 * (the overwritten value).  Without the barrier both stay white.
 */
static void st_barrier_once(struct kunit *test, struct st_fixture *f,
			    bool disable)
{
	struct gmm_step_state st = {};

	st_build(test, f);
	KUNIT_ASSERT_EQ(test, gmm_step_begin(f->h, &st), 0);
	KUNIT_ASSERT_EQ(test, gmm_step_scan(f->h, 1, &st), 0);
	KUNIT_ASSERT_EQ(test, st_colour(f, f->a), GMM_COLOUR_BLACK);
	KUNIT_ASSERT_EQ(test, st_colour(f, f->d), GMM_COLOUR_WHITE);
	gmm_barrier_disabled = disable;
	gmm_mutator_enter(f->h);
	gmm_store_ptr(f->h, &f->a->right, f->d);
	gmm_mutator_exit(f->h);
	KUNIT_EXPECT_EQ(test, st_colour(f, f->d),
			disable ? GMM_COLOUR_WHITE : GMM_COLOUR_GREY);
	KUNIT_EXPECT_EQ(test, st_colour(f, f->c), GMM_COLOUR_WHITE);
	gmm_mutator_enter(f->h);
	gmm_store_ptr(f->h, &f->b->left, NULL);
	gmm_mutator_exit(f->h);
	KUNIT_EXPECT_EQ(test, st_colour(f, f->c),
			disable ? GMM_COLOUR_WHITE : GMM_COLOUR_GREY);
	gmm_barrier_disabled = false;
	KUNIT_ASSERT_EQ(test, gmm_step_end(f->h, &st), 0);
	KUNIT_EXPECT_FALSE(test, st.marking);
}

static void step_barrier_shades(struct kunit *test)
{
	struct st_fixture *f = gmm_kunit_priv(test);

	st_barrier_once(test, f, false);
	/* The shaded C survives this cycle (it was grey), not the next. */
	KUNIT_EXPECT_TRUE(test, gmm_kunit_live(f->h, f->c));
	KUNIT_ASSERT_EQ(test, gmm_gc(f->h), 0);
	KUNIT_EXPECT_FALSE(test, gmm_kunit_live(f->h, f->c));
	KUNIT_EXPECT_TRUE(test, gmm_kunit_live(f->h, f->d));
}

/* The same stores with the barrier off leave both white: the check bites. */
static void step_barrier_off_visible(struct kunit *test)
{
	struct st_fixture *f = gmm_kunit_priv(test);

	st_barrier_once(test, f, true);
}

/* While a stepped cycle waits, nothing else ends it; END lets it go. */
static void step_end_and_refusals(struct kunit *test)
{
	struct st_fixture *f = gmm_kunit_priv(test);
	struct gmm_step_state st = {};

	KUNIT_EXPECT_EQ(test, gmm_step_scan(f->h, 1, &st), -ENOENT);
	KUNIT_EXPECT_EQ(test, gmm_step_end(f->h, &st), -ENOENT);
	KUNIT_EXPECT_FALSE(test, gmm_step_active(f->h));
	st_build(test, f);
	KUNIT_ASSERT_EQ(test, gmm_step_begin(f->h, &st), 0);
	KUNIT_EXPECT_TRUE(test, gmm_step_active(f->h));
	msleep(50);
	KUNIT_EXPECT_EQ(test, READ_ONCE(f->h->gc.num_gc), 0ULL);
	KUNIT_ASSERT_EQ(test, gmm_step_end(f->h, &st), 0);
	KUNIT_EXPECT_FALSE(test, gmm_step_active(f->h));
	KUNIT_EXPECT_EQ(test, READ_ONCE(f->h->gc.num_gc), 1ULL);
	KUNIT_EXPECT_FALSE(test, gmm_kunit_live(f->h, f->g));
	KUNIT_EXPECT_TRUE(test, gmm_kunit_live(f->h, f->c));
	/* A second stepped cycle: the chain white again, then all black. */
	KUNIT_ASSERT_EQ(test, gmm_step_begin(f->h, &st), 0);
	KUNIT_EXPECT_EQ(test, st.cycle, 2ULL);
	KUNIT_EXPECT_EQ(test, st_step_out(test, f), 4U);
	KUNIT_EXPECT_EQ(test, READ_ONCE(f->h->gc.num_gc), 2ULL);
}

static struct kunit_case gmm_step_cases[] = {
	KUNIT_CASE(step_grey_to_black),
	KUNIT_CASE(step_barrier_shades),
	KUNIT_CASE(step_barrier_off_visible),
	KUNIT_CASE(step_end_and_refusals),
	{}
};

static struct kunit_suite gmm_step_suite = {
	.name = "gmm_step",
	.init = st_init,
	.exit = gmm_kunit_exit,
	.test_cases = gmm_step_cases,
};

kunit_test_suite(gmm_step_suite);
