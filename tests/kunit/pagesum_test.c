// SPDX-License-Identifier: GPL-2.0
/*
 * pagesum_test.c - KUnit suite "gmm_pagesum": the page heap's summaries
 * against brute force.
 *
 * The max-tree alone against an array under random updates, searches and
 * growth; then a page heap under random span allocation and freeing,
 * where after every step each arena's summaries must equal what its
 * bitmap says, and every span must have come from the lowest slot that
 * had a long enough free run (or from a new arena when none had).  The
 * random streams are seeded, so a failure repeats.
 */
#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/prandom.h>
#include <linux/slab.h>

#include "gmm_kunit.h"
#include "pageheap.h"
#include "pagesum.h"
#include "scavenge.h"

#define PS_SLOTS	1024
#define PS_OPS		20000
#define PS_SPANS	256
#define PS_STEPS	3000

struct ps_model {
	struct gmm_pagesum sum;
	u16 val[PS_SLOTS];
	unsigned int nslots;		/* slots in use: < sum.cap */
};

static long ps_first_model(const struct ps_model *m, u16 want)
{
	unsigned int i;

	for (i = 0; i < m->nslots; i++)
		if (m->val[i] >= want)
			return i;
	return -1;
}

static long ps_last_model(const struct ps_model *m, u16 want)
{
	unsigned int i;

	for (i = m->nslots; i-- > 0;)
		if (m->val[i] >= want)
			return i;
	return -1;
}

/* Grow @m's tree to @cap (a power of two). */
static void ps_grow(struct kunit *test, struct ps_model *m, unsigned int cap)
{
	u16 *node = kunit_kzalloc(test, gmm_pagesum_bytes(cap), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, node);
	gmm_pagesum_install(&m->sum, node, cap);	/* old: kunit-managed */
	KUNIT_ASSERT_EQ(test, m->sum.cap, cap);
}

/* The tree against an array: random values, searches, and doubling. */
static void pagesum_against_array(struct kunit *test)
{
	struct rnd_state rnd;
	struct ps_model *m;
	unsigned int op;

	m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	prandom_seed_state(&rnd, 20261206);
	KUNIT_EXPECT_EQ(test, gmm_pagesum_first(&m->sum, 1), -1L);
	ps_grow(test, m, 1);
	m->nslots = 1;

	for (op = 0; op < PS_OPS; op++) {
		u32 r = prandom_u32_state(&rnd);
		u16 want = 1 + r % 600;

		if (r % 97 == 0 && m->sum.cap < PS_SLOTS) {
			ps_grow(test, m, m->sum.cap * 2);
		} else if (r % 13 == 0 && m->nslots < m->sum.cap) {
			m->nslots++;
		} else {
			unsigned int slot = (r >> 8) % m->nslots;
			u16 v = (r >> 20) % 2 ? (r >> 4) % 513 : 0;

			m->val[slot] = v;
			gmm_pagesum_set(&m->sum, slot, v);
		}
		KUNIT_ASSERT_EQ(test, gmm_pagesum_first(&m->sum, want),
				ps_first_model(m, want));
		KUNIT_ASSERT_EQ(test, gmm_pagesum_last(&m->sum, want),
				ps_last_model(m, want));
	}
	kunit_info(test, "%u slots, %u operations\n", m->nslots, PS_OPS);
}

/* The longest run of clear bits in @map of @n bits. */
static unsigned long ps_longest(const unsigned long *map, unsigned long n)
{
	unsigned long i, run = 0, best = 0;

	for (i = 0; i < n; i++) {
		run = test_bit(i, map) ? 0 : run + 1;
		best = max(best, run);
	}
	return best;
}

/* Whether all pages of granule @g of @a are free (bit by bit). */
static bool ps_granule_free(const struct gmm_arena *a, unsigned int g)
{
	unsigned int i;

	for (i = g * GMM_GRANULE_PAGES; i < (g + 1) * GMM_GRANULE_PAGES; i++)
		if (test_bit(i, a->inuse))
			return false;
	return true;
}

/* Each arena's summaries equal what its bitmap says. */
static void ps_check_arenas(struct kunit *test, struct gmm_pageheap *ph)
{
	struct gmm_arena *a;
	unsigned int g, free_g;

	list_for_each_entry(a, &ph->arenas, list) {
		KUNIT_ASSERT_TRUE(test, ph->slot[a->slot] == a);
		KUNIT_ASSERT_EQ(test, gmm_pagesum_get(&ph->free_sum, a->slot),
				(u16)ps_longest(a->inuse, a->npages));
		free_g = 0;
		for (g = 0; g < a->npages / GMM_GRANULE_PAGES; g++)
			free_g += ps_granule_free(a, g);
		if (gmm_arena_is_free(a))
			free_g = max(free_g, 1U);
		KUNIT_ASSERT_EQ(test, gmm_pagesum_get(&ph->scav_sum, a->slot),
				(u16)free_g);
	}
}

/* The slot gmm_pageheap_alloc() must use for @npages, or -1: a new arena. */
static long ps_expected_slot(struct gmm_pageheap *ph, unsigned int npages)
{
	unsigned int s;

	for (s = 0; s < ph->free_sum.cap; s++) {
		struct gmm_arena *a = ph->slot[s];

		if (a && ps_longest(a->inuse, a->npages) >= npages)
			return s;
	}
	return -1;
}

/* A span size: mostly small, now and then large up to a whole arena. */
static unsigned int ps_size(struct rnd_state *rnd)
{
	u32 r = prandom_u32_state(rnd);

	if (r % 50 == 0)
		return 1 + (r >> 8) % GMM_MAX_SPAN_PAGES;
	return 1 + (r >> 8) % 16;
}

/* One random step: free a random span, or allocate one into its place. */
static void ps_step(struct kunit *test, struct gmm_pageheap *ph,
		    struct gmm_span *spans, struct rnd_state *rnd)
{
	struct gmm_span *s = &spans[prandom_u32_state(rnd) % PS_SPANS];
	unsigned int npages;
	long want;
	int ret;

	if (s->arena) {
		gmm_pageheap_free(ph, s);
		memset(s, 0, sizeof(*s));
		return;
	}
	npages = ps_size(rnd);
	want = ps_expected_slot(ph, npages);
	ret = gmm_pageheap_alloc(ph, npages, s);
	KUNIT_ASSERT_GE(test, ret, 0);
	if (want >= 0)
		KUNIT_ASSERT_EQ(test, (long)s->arena->slot, want);
	else
		KUNIT_ASSERT_EQ(test, s->arena->nfree + npages,
				s->arena->npages - s->arena->nreleased);
}

/*
 * A page heap under random allocation and freeing, now and then a
 * scavenge of part of its free memory: the summaries always match the
 * bitmaps, and the lowest fitting slot is always the one used.
 */
static void pagesum_heap_against_bitmaps(struct kunit *test)
{
	struct gmm_pageheap *ph = gmm_kunit_pageheap(test, PS_SPANS);
	struct gmm_kunit *k = test->priv;
	struct rnd_state rnd;
	unsigned int i;

	prandom_seed_state(&rnd, 42);

	for (i = 0; i < PS_STEPS && !test->status; i++) {
		ps_step(test, ph, k->spans, &rnd);
		if (i % 500 == 499)
			gmm_pageheap_scavenge_pages(ph, 64, GMM_SCAV_EXPLICIT);
		ps_check_arenas(test, ph);
		cond_resched();
	}
	kunit_info(test, "%u steps, %lu arenas at the end\n", i, ph->nr_arenas);
}

static struct kunit_case gmm_pagesum_cases[] = {
	KUNIT_CASE(pagesum_against_array),
	KUNIT_CASE(pagesum_heap_against_bitmaps),
	{}
};

static int ps_init(struct kunit *test)
{
	return gmm_kunit_init(test, "gmm_pagesum", 0);
}

static struct kunit_suite gmm_pagesum_suite = {
	.name = "gmm_pagesum",
	.init = ps_init,
	.exit = gmm_kunit_exit,
	.test_cases = gmm_pagesum_cases,
};

kunit_test_suite(gmm_pagesum_suite);
