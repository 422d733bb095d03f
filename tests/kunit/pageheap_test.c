// SPDX-License-Identifier: GPL-2.0
/*
 * pageheap_test.c - KUnit suite "gmm_pageheap": the page heap alone.
 *
 * Each test gets a page heap of its own and span descriptors for it (the
 * page heap only fills in base, arena, first_page and npages), and checks
 * real values: bases and offsets, the address -> span table, the
 * needs-zeroing answer, the counters, the module-wide page count, limits,
 * injected failures and the shrinker's entry points.  The page heap is the
 * shared fixture's (gmm_kunit_pageheap()): its exit frees whatever a
 * failed test left behind, destroys the heap, restores fault attributes
 * and the module-wide limit, and checks every page went back.
 *
 * Addresses are compared inside the tests and never printed: failures show
 * offsets or booleans, not kernel pointers.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/fault-inject.h>
#include <linux/kthread.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <linux/gmm.h>
#include "fault.h"
#include "gmm_kunit.h"
#include "internal.h"
#include "pageheap.h"
#include "pagelimit.h"
#include "scavenge.h"

#include "pageheap_test.h"

/*
 * Allocate a span of @npages; *@ret gets gmm_pageheap_alloc()'s answer.
 * Returns the span on success, NULL on failure.
 */
struct gmm_span *ph_alloc(struct kunit *test, unsigned int npages, int *ret)
{
	struct gmm_kunit *k = test->priv;
	struct gmm_span *span = gmm_kunit_span(test);

	*ret = gmm_pageheap_alloc(k->ph, npages, span);
	if (*ret < 0) {
		KUNIT_EXPECT_TRUE(test, !span->arena);
		return NULL;
	}
	KUNIT_EXPECT_EQ(test, span->npages, npages);
	return span;
}

/* Allocate and insist on success; returns the needs-zeroing answer. */
struct gmm_span *ph_alloc_ok(struct kunit *test, unsigned int npages,
			     int *needzero)
{
	struct gmm_span *span = ph_alloc(test, npages, needzero);

	KUNIT_ASSERT_NOT_NULL(test, span);
	KUNIT_ASSERT_GE(test, *needzero, 0);
	KUNIT_ASSERT_LE(test, *needzero, 1);
	return span;
}

void ph_free(struct kunit *test, struct gmm_span *span)
{
	struct gmm_kunit *k = test->priv;

	gmm_pageheap_free(k->ph, span);
	span->arena = NULL;
}

struct gmm_pageheap_stats ph_stats(struct kunit *test)
{
	struct gmm_kunit *k = test->priv;
	struct gmm_pageheap_stats st;

	gmm_pageheap_read_stats(k->ph, &st);
	return st;
}

/* The span gmm_span_of() finds for an address given as a number. */
struct gmm_span *ph_owner(unsigned long addr)
{
	return gmm_span_of((void *)addr);
}

/* Offset of @span's base in its arena, checked against first_page. */
unsigned long ph_offset(struct kunit *test, struct gmm_span *span)
{
	unsigned long off = span->base - span->arena->base;

	KUNIT_EXPECT_EQ(test, off, (unsigned long)span->first_page << GMM_PAGE_SHIFT);
	return off;
}

static void pageheap_alloc_free_small(struct kunit *test)
{
	struct gmm_kunit *k = test->priv;
	static const unsigned int sizes[] = { 1, 3, 10 };
	struct gmm_span *s[ARRAY_SIZE(sizes)];
	struct gmm_pageheap_stats st;
	unsigned long expect_off = 0, last;
	unsigned int i, total = 0;
	int nz;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		s[i] = ph_alloc_ok(test, sizes[i], &nz);
		KUNIT_EXPECT_EQ(test, nz, 0);	/* fresh arena */
		KUNIT_EXPECT_EQ(test, s[i]->base % GMM_PAGE_SIZE, 0UL);
		/* First fit in a fresh arena: back to back. */
		KUNIT_EXPECT_EQ(test, ph_offset(test, s[i]), expect_off);
		KUNIT_EXPECT_TRUE(test, s[i]->arena == s[0]->arena);
		last = s[i]->base + sizes[i] * GMM_PAGE_SIZE - 1;
		KUNIT_EXPECT_TRUE(test, gmm_pageheap_contains(k->ph,
							      (void *)s[i]->base));
		KUNIT_EXPECT_TRUE(test, gmm_pageheap_contains(k->ph,
							      (void *)last));
		expect_off += sizes[i] * GMM_PAGE_SIZE;
		total += sizes[i];
	}

	st = ph_stats(test);
	KUNIT_EXPECT_EQ(test, st.arenas, 1ULL);
	KUNIT_EXPECT_EQ(test, st.arena_allocs, 1ULL);
	KUNIT_EXPECT_EQ(test, st.inuse_bytes, (u64)total * GMM_PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, st.sys_bytes,
			(u64)PAGE_SIZE << s[0]->arena->order);
	KUNIT_EXPECT_EQ(test, st.idle_bytes, st.sys_bytes - st.inuse_bytes);
	KUNIT_EXPECT_EQ(test, s[0]->arena->nfree,
			s[0]->arena->npages - total);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(),
			k->baseline + (1UL << s[0]->arena->order));

	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		ph_free(test, s[i]);

	st = ph_stats(test);
	KUNIT_EXPECT_EQ(test, st.inuse_bytes, 0ULL);
	/* The only arena is wholly free now and kept as the idle cushion. */
	KUNIT_EXPECT_EQ(test, st.arenas, 1ULL);
	KUNIT_EXPECT_EQ(test, st.arena_frees, 0ULL);
	KUNIT_EXPECT_EQ(test, st.idle_bytes, st.sys_bytes);
}

static void pageheap_span_of_every_page(struct kunit *test)
{
	static const unsigned int sizes[] = { 1, 3, 10 };
	struct gmm_span *s[ARRAY_SIZE(sizes)];
	unsigned int i, pg;
	int nz;

	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		s[i] = ph_alloc_ok(test, sizes[i], &nz);

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		for (pg = 0; pg < sizes[i]; pg++) {
			unsigned long p = s[i]->base + pg * GMM_PAGE_SIZE;

			KUNIT_EXPECT_TRUE_MSG(test, ph_owner(p) == s[i],
					      "span %u page %u", i, pg);
			/* Interior pointers, including the last byte. */
			KUNIT_EXPECT_TRUE(test, ph_owner(p + 8) == s[i]);
			KUNIT_EXPECT_TRUE(test,
					  ph_owner(p + GMM_PAGE_SIZE / 2 + 123) == s[i]);
			KUNIT_EXPECT_TRUE(test,
					  ph_owner(p + GMM_PAGE_SIZE - 1) == s[i]);
		}
	}

	/* The page after the last span is free. */
	KUNIT_EXPECT_TRUE(test, !ph_owner(s[2]->base + 10 * GMM_PAGE_SIZE));

	ph_free(test, s[1]);
	for (pg = 0; pg < 3; pg++)
		KUNIT_EXPECT_TRUE(test,
				  !ph_owner(s[1]->base + pg * GMM_PAGE_SIZE));
	/* Neighbours are untouched. */
	KUNIT_EXPECT_TRUE(test, ph_owner(s[0]->base) == s[0]);
	KUNIT_EXPECT_TRUE(test, ph_owner(s[2]->base) == s[2]);
}

static void pageheap_coalesce(struct kunit *test)
{
	struct gmm_span *a, *b, *c, *d, *e;
	struct gmm_pageheap_stats st;
	int nz;

	a = ph_alloc_ok(test, 3, &nz);
	b = ph_alloc_ok(test, 10, &nz);
	c = ph_alloc_ok(test, 1, &nz);
	KUNIT_ASSERT_TRUE(test, a->arena == b->arena && b->arena == c->arena);
	KUNIT_EXPECT_EQ(test, ph_offset(test, b), ph_offset(test, a) +
			3 * GMM_PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, ph_offset(test, c), ph_offset(test, b) +
			10 * GMM_PAGE_SIZE);

	ph_free(test, a);
	ph_free(test, b);

	/* A 13-page run fits only in the coalesced space of a and b. */
	d = ph_alloc_ok(test, 13, &nz);
	KUNIT_EXPECT_TRUE(test, d->arena == c->arena);
	KUNIT_EXPECT_EQ(test, ph_offset(test, d), 0UL);
	KUNIT_EXPECT_EQ(test, d->first_page, 0U);
	KUNIT_EXPECT_EQ(test, nz, 1);
	KUNIT_EXPECT_TRUE(test, ph_owner(d->base + 12 * GMM_PAGE_SIZE) == d);

	/* The next page after c has never been handed out. */
	e = ph_alloc_ok(test, 1, &nz);
	KUNIT_EXPECT_EQ(test, ph_offset(test, e), ph_offset(test, c) +
			GMM_PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, nz, 0);

	st = ph_stats(test);
	KUNIT_EXPECT_EQ(test, st.arenas, 1ULL);
	KUNIT_EXPECT_EQ(test, st.inuse_bytes, 15ULL * GMM_PAGE_SIZE);
}

static void pageheap_needzero(struct kunit *test)
{
	struct gmm_span *a, *b, *c, *d;
	unsigned long off_a;
	int nz;

	a = ph_alloc_ok(test, 4, &nz);
	KUNIT_EXPECT_EQ(test, nz, 0);
	/* Fresh pages really are zero. */
	KUNIT_EXPECT_TRUE(test, !memchr_inv((void *)a->base, 0,
					    4 * GMM_PAGE_SIZE));
	memset((void *)a->base, 0xaa, 4 * GMM_PAGE_SIZE);
	off_a = ph_offset(test, a);
	ph_free(test, a);

	b = ph_alloc_ok(test, 4, &nz);
	KUNIT_EXPECT_EQ(test, ph_offset(test, b), off_a);
	KUNIT_EXPECT_EQ(test, nz, 1);

	c = ph_alloc_ok(test, 2, &nz);
	KUNIT_EXPECT_EQ(test, ph_offset(test, c), off_a + 4 * GMM_PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, nz, 0);

	/* Six used pages and two fresh ones: needs zeroing. */
	ph_free(test, b);
	ph_free(test, c);
	d = ph_alloc_ok(test, 8, &nz);
	KUNIT_EXPECT_EQ(test, ph_offset(test, d), off_a);
	KUNIT_EXPECT_EQ(test, nz, 1);
}

static void pageheap_grows_second_arena(struct kunit *test)
{
	struct gmm_kunit *k = test->priv;
	struct gmm_span *s1, *s2, *s3;
	struct gmm_pageheap_stats st;
	struct gmm_arena *a1;
	int nz;

	s1 = ph_alloc_ok(test, 1, &nz);
	a1 = s1->arena;
	KUNIT_ASSERT_GT(test, a1->nfree, 0U);
	s2 = ph_alloc_ok(test, a1->nfree, &nz);
	KUNIT_EXPECT_TRUE(test, s2->arena == a1);
	KUNIT_EXPECT_EQ(test, a1->nfree, 0U);
	KUNIT_EXPECT_EQ(test, nz, 0);

	s3 = ph_alloc_ok(test, 1, &nz);
	KUNIT_EXPECT_TRUE(test, s3->arena != a1);
	KUNIT_EXPECT_EQ(test, nz, 0);
	KUNIT_EXPECT_EQ(test, ph_offset(test, s3), 0UL);
	KUNIT_EXPECT_TRUE(test, ph_owner(s3->base) == s3);
	KUNIT_EXPECT_TRUE(test, gmm_pageheap_contains(k->ph,
						      (void *)s3->base));

	st = ph_stats(test);
	KUNIT_EXPECT_EQ(test, st.arenas, 2ULL);
	KUNIT_EXPECT_EQ(test, st.arena_allocs, 2ULL);
	KUNIT_EXPECT_EQ(test, st.sys_bytes,
			((u64)PAGE_SIZE << a1->order) +
			((u64)PAGE_SIZE << s3->arena->order));
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(), k->baseline +
			(1UL << a1->order) + (1UL << s3->arena->order));
}

static void pageheap_idle_arena_returned(struct kunit *test)
{
	struct gmm_kunit *k = test->priv;
	struct gmm_pageheap_stats st;
	struct gmm_span *s1, *s2;
	unsigned int order1, order2;
	unsigned long bytes;
	int nz;

	s1 = ph_alloc_ok(test, 1, &nz);
	order1 = s1->arena->order;
	/* One page more than the first arena has free: a second arena. */
	s2 = ph_alloc_ok(test, s1->arena->npages, &nz);
	KUNIT_ASSERT_TRUE(test, s2->arena != s1->arena);
	order2 = s2->arena->order;

	ph_free(test, s1);
	st = ph_stats(test);
	KUNIT_EXPECT_EQ(test, st.arenas, 2ULL);	/* the cushion stays */
	KUNIT_EXPECT_EQ(test, st.arena_frees, 0ULL);
	KUNIT_EXPECT_GE(test, gmm_pageheap_shrink_count(), 1UL << order1);

	ph_free(test, s2);
	st = ph_stats(test);
	KUNIT_EXPECT_EQ(test, st.arenas, 1ULL);	/* one idle arena kept */
	KUNIT_EXPECT_EQ(test, st.arena_frees, 1ULL);
	KUNIT_EXPECT_EQ(test, st.returned_bytes, (u64)PAGE_SIZE << order2);
	KUNIT_EXPECT_EQ(test, st.released_bytes, 0ULL);	/* no holes */
	KUNIT_EXPECT_EQ(test, st.sys_bytes, (u64)PAGE_SIZE << order1);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(),
			k->baseline + (1UL << order1));

	bytes = gmm_pageheap_scavenge(k->ph);
	KUNIT_EXPECT_EQ(test, bytes, PAGE_SIZE << order1);
	st = ph_stats(test);
	KUNIT_EXPECT_EQ(test, st.arenas, 0ULL);
	KUNIT_EXPECT_EQ(test, st.sys_bytes, 0ULL);
	KUNIT_EXPECT_EQ(test, st.arena_frees, 2ULL);
	KUNIT_EXPECT_EQ(test, st.returned_bytes,
			((u64)PAGE_SIZE << order1) + ((u64)PAGE_SIZE << order2));
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(), k->baseline);

	/* Nothing left to scavenge; the heap still works. */
	KUNIT_EXPECT_EQ(test, gmm_pageheap_scavenge(k->ph), 0UL);
	s1 = ph_alloc_ok(test, 2, &nz);
	KUNIT_EXPECT_EQ(test, nz, 0);
}

/*
 * An arena in use stays, but its free 64 KiB granules go back: all but
 * the one the span is in.  The span's memory is untouched, the holes are
 * no longer "in the heap", and the arena goes whole once the span does.
 */
static void pageheap_scavenge_keeps_busy_arenas(struct kunit *test)
{
	struct gmm_kunit *k = test->priv;
	struct gmm_pageheap_stats st;
	unsigned long granules, bytes;
	struct gmm_span *s;
	void *hole;
	int nz;

	s = ph_alloc_ok(test, 5, &nz);
	if (s->arena->npages != PH_ARENA_PAGES)
		kunit_skip(test, "no 4 MiB block from the buddy allocator");
	memset((void *)s->base, 0x5a, 5 * GMM_PAGE_SIZE);
	granules = PH_ARENA_PAGES / GMM_GRANULE_PAGES;
	bytes = gmm_pageheap_scavenge(k->ph);
	KUNIT_EXPECT_EQ(test, bytes, (granules - 1) << GMM_GRANULE_SHIFT);
	st = ph_stats(test);
	KUNIT_EXPECT_EQ(test, st.arenas, 1ULL);
	KUNIT_EXPECT_EQ(test, st.sys_bytes, (u64)PAGE_SIZE << GMM_ARENA_ORDER);
	KUNIT_EXPECT_EQ(test, st.released_bytes, (u64)bytes);
	KUNIT_EXPECT_EQ(test, st.scav_granules, (u64)granules - 1);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(),
			k->baseline + GMM_GRANULE_SYS_PAGES);
	KUNIT_EXPECT_TRUE(test, ph_owner(s->base) == s);
	KUNIT_EXPECT_EQ(test, *(u8 *)(s->base + 5 * GMM_PAGE_SIZE - 1), 0x5a);
	KUNIT_EXPECT_TRUE(test, gmm_pageheap_contains(k->ph, (void *)s->base));
	hole = (void *)(s->base + (1UL << GMM_GRANULE_SHIFT));
	KUNIT_EXPECT_FALSE(test, gmm_pageheap_contains(k->ph, hole));
	/* Nothing more to give while the span lives. */
	KUNIT_EXPECT_EQ(test, gmm_pageheap_scavenge(k->ph), 0UL);

	ph_free(test, s);
	st = ph_stats(test);
	KUNIT_EXPECT_EQ(test, st.arenas, 1ULL);	/* the cushion */
	KUNIT_EXPECT_EQ(test, gmm_pageheap_scavenge(k->ph),
			1UL << GMM_GRANULE_SHIFT);
	st = ph_stats(test);
	KUNIT_EXPECT_EQ(test, st.arenas, 0ULL);
	KUNIT_EXPECT_EQ(test, st.sys_bytes, 0ULL);
	KUNIT_EXPECT_EQ(test, st.released_bytes, 0ULL);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(), k->baseline);
}

static void pageheap_destroy_returns_pages(struct kunit *test)
{
	struct gmm_kunit *k = test->priv;
	struct gmm_span *s[4];
	unsigned int i;
	int nz;

	s[0] = ph_alloc_ok(test, 1, &nz);
	s[1] = ph_alloc_ok(test, 3, &nz);
	s[2] = ph_alloc_ok(test, s[0]->arena->nfree, &nz);
	s[3] = ph_alloc_ok(test, 10, &nz);	/* second arena */
	KUNIT_EXPECT_EQ(test, ph_stats(test).arenas, 2ULL);
	KUNIT_EXPECT_GT(test, gmm_pageheap_total_pages(), k->baseline);

	/* Free the spans; destroy takes the arenas that remain. */
	for (i = 0; i < ARRAY_SIZE(s); i++)
		ph_free(test, s[i]);
	KUNIT_EXPECT_EQ(test, ph_stats(test).arenas, 1ULL);
	KUNIT_EXPECT_GT(test, gmm_pageheap_total_pages(), k->baseline);

	gmm_kunit_pageheap_destroy(test);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(), k->baseline);
}

static void pageheap_destroy_empty(struct kunit *test)
{
	struct gmm_kunit *k = test->priv;

	gmm_kunit_pageheap_destroy(test);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(), k->baseline);
}

static void pageheap_rejects_bad_sizes(struct kunit *test)
{
	struct gmm_pageheap_stats st;
	struct gmm_span *s;
	int ret;

	s = ph_alloc(test, GMM_MAX_SPAN_PAGES + 1, &ret);
	KUNIT_EXPECT_TRUE(test, !s);
	KUNIT_EXPECT_EQ(test, ret, -E2BIG);
	s = ph_alloc(test, UINT_MAX, &ret);
	KUNIT_EXPECT_TRUE(test, !s);
	KUNIT_EXPECT_EQ(test, ret, -E2BIG);
	s = ph_alloc(test, 0, &ret);
	KUNIT_EXPECT_TRUE(test, !s);
	KUNIT_EXPECT_EQ(test, ret, -EINVAL);

	st = ph_stats(test);
	KUNIT_EXPECT_EQ(test, st.arenas, 0ULL);
	KUNIT_EXPECT_EQ(test, st.arena_allocs, 0ULL);
	KUNIT_EXPECT_EQ(test, st.limit_failures, 0ULL);
}

static void pageheap_largest_span(struct kunit *test)
{
	unsigned long last;
	struct gmm_span *s;
	int nz;

	s = ph_alloc_ok(test, GMM_MAX_SPAN_PAGES, &nz);
	KUNIT_EXPECT_EQ(test, nz, 0);
	KUNIT_EXPECT_EQ(test, s->arena->order, (unsigned int)GMM_MAX_BUDDY_ORDER);
	KUNIT_EXPECT_EQ(test, s->arena->nfree, 0U);
	last = s->base + (GMM_MAX_SPAN_PAGES - 1) * GMM_PAGE_SIZE + 1;
	KUNIT_EXPECT_TRUE(test, ph_owner(last) == s);
}

static void pageheap_contains(struct kunit *test)
{
	struct gmm_kunit *k = test->priv;
	unsigned long end, p;
	struct gmm_span *s;
	void *other;
	int nz;

	s = ph_alloc_ok(test, 2, &nz);
	end = s->arena->base + (PAGE_SIZE << s->arena->order);
	KUNIT_EXPECT_TRUE(test, gmm_pageheap_contains(k->ph,
						      (void *)s->arena->base));
	KUNIT_EXPECT_TRUE(test, gmm_pageheap_contains(k->ph,
						      (void *)(end - 1)));
	/* Free pages of the arena are still inside it. */
	p = s->base + 5 * GMM_PAGE_SIZE;
	KUNIT_EXPECT_TRUE(test, gmm_pageheap_contains(k->ph, (void *)p));
	KUNIT_EXPECT_FALSE(test, gmm_pageheap_contains(k->ph, (void *)end));
	p = s->arena->base - 1;
	KUNIT_EXPECT_FALSE(test, gmm_pageheap_contains(k->ph, (void *)p));
	KUNIT_EXPECT_FALSE(test, gmm_pageheap_contains(k->ph, &nz));
	KUNIT_EXPECT_FALSE(test, gmm_pageheap_contains(k->ph, NULL));
	other = kunit_kzalloc(test, 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, other);
	KUNIT_EXPECT_FALSE(test, gmm_pageheap_contains(k->ph, other));
}

struct ph_walk {
	unsigned int arenas;
	unsigned long free_pages;
	unsigned long sys_pages;
};

static void ph_walk_fn(struct gmm_arena *arena, void *arg)
{
	struct ph_walk *w = arg;

	w->arenas++;
	w->free_pages += arena->nfree;
	w->sys_pages += 1UL << arena->order;
}

static void pageheap_walk_arenas(struct kunit *test)
{
	struct gmm_kunit *k = test->priv;
	struct gmm_pageheap_stats st;
	struct ph_walk w = { };
	struct gmm_span *s1;
	int nz;

	s1 = ph_alloc_ok(test, 7, &nz);
	ph_alloc_ok(test, s1->arena->npages, &nz);	/* second arena */
	gmm_pageheap_walk_arenas(k->ph, ph_walk_fn, &w);
	st = ph_stats(test);
	KUNIT_EXPECT_EQ(test, (u64)w.arenas, st.arenas);
	KUNIT_EXPECT_EQ(test, (u64)w.sys_pages << PAGE_SHIFT, st.sys_bytes);
	KUNIT_EXPECT_EQ(test, (u64)w.free_pages * GMM_PAGE_SIZE, st.idle_bytes);
}

static void pageheap_shrinker_entry_points(struct kunit *test)
{
	struct gmm_kunit *k = test->priv;
	struct gmm_pageheap_stats st;
	unsigned long pages, freed;
	struct gmm_span *s;
	int nz;

	s = ph_alloc_ok(test, 4, &nz);
	pages = GMM_GRANULE_SYS_PAGES;
	/* An arena in use stays; only the granule its span is in is kept. */
	freed = gmm_pageheap_shrink_scan(ULONG_MAX);
	KUNIT_EXPECT_EQ(test, freed, (1UL << s->arena->order) - pages);
	KUNIT_EXPECT_EQ(test, ph_stats(test).arenas, 1ULL);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(), k->baseline + pages);

	ph_free(test, s);
	KUNIT_EXPECT_GE(test, gmm_pageheap_shrink_count(), pages);
	freed = gmm_pageheap_shrink_scan(1);	/* the rest of the arena */
	KUNIT_EXPECT_GE(test, freed, pages);
	st = ph_stats(test);
	KUNIT_EXPECT_EQ(test, st.arenas, 0ULL);
	KUNIT_EXPECT_EQ(test, st.arena_frees, 1ULL);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(), k->baseline);

	/* The heap grows again after the shrinker emptied it. */
	s = ph_alloc_ok(test, 4, &nz);
	KUNIT_EXPECT_EQ(test, nz, 0);
	KUNIT_EXPECT_TRUE(test, ph_owner(s->base) == s);
}

/* Two threads allocating and freeing on one heap at once. */
struct ph_stress {
	struct gmm_pageheap *ph;
	struct completion done;
	unsigned int seed;
	int errors;
};

#define PH_STRESS_SPANS	16
#define PH_STRESS_ROUNDS	200

static int ph_stress_fn(void *arg)
{
	struct ph_stress *st = arg;
	struct gmm_span *spans;
	unsigned int round, i, pg;

	spans = kcalloc(PH_STRESS_SPANS, sizeof(*spans), GFP_KERNEL);
	if (!spans) {
		st->errors++;
		goto out;
	}
	for (round = 0; round < PH_STRESS_ROUNDS; round++) {
		i = (st->seed + round * 7) % PH_STRESS_SPANS;
		if (spans[i].arena) {
			for (pg = 0; pg < spans[i].npages; pg++)
				if (ph_owner(spans[i].base +
					     pg * GMM_PAGE_SIZE) != &spans[i])
					st->errors++;
			gmm_pageheap_free(st->ph, &spans[i]);
			spans[i].arena = NULL;
		} else if (gmm_pageheap_alloc(st->ph, 1 + (round + st->seed) % 37,
					      &spans[i]) < 0) {
			st->errors++;
		}
		cond_resched();
	}
	for (i = 0; i < PH_STRESS_SPANS; i++)
		if (spans[i].arena)
			gmm_pageheap_free(st->ph, &spans[i]);
	kfree(spans);
out:
	kthread_complete_and_exit(&st->done, 0);
}

static void pageheap_concurrent(struct kunit *test)
{
	struct gmm_kunit *k = test->priv;
	struct ph_stress st[2];
	struct task_struct *t;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(st); i++) {
		st[i].ph = k->ph;
		st[i].seed = i * 5 + 1;
		st[i].errors = 0;
		init_completion(&st[i].done);
		t = kthread_run(ph_stress_fn, &st[i], "gmm_ph_test/%u", i);
		if (IS_ERR(t)) {
			st[i].errors = 1;
			complete(&st[i].done);
		}
	}
	for (i = 0; i < ARRAY_SIZE(st); i++) {
		wait_for_completion(&st[i].done);
		KUNIT_EXPECT_EQ(test, st[i].errors, 0);
	}
	KUNIT_EXPECT_EQ(test, ph_stats(test).inuse_bytes, 0ULL);
	KUNIT_EXPECT_LE(test, ph_stats(test).arenas, 1ULL);
}

static void pageheap_init_rejects_gfp(struct kunit *test)
{
	/* Not on the stack: a page heap has a work item. */
	struct gmm_pageheap *ph = kunit_kzalloc(test, sizeof(*ph), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ph);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_init(ph, GFP_ATOMIC, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_init(ph, GFP_HIGHUSER, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_init(ph, GFP_KERNEL | __GFP_COMP, 0),
			-EINVAL);
	KUNIT_ASSERT_EQ(test, gmm_pageheap_init(ph, GFP_KERNEL_ACCOUNT, 0), 0);
	gmm_pageheap_destroy(ph);
}

static struct kunit_case gmm_pageheap_cases[] = {
	KUNIT_CASE(pageheap_alloc_free_small),
	KUNIT_CASE(pageheap_span_of_every_page),
	KUNIT_CASE(pageheap_coalesce),
	KUNIT_CASE(pageheap_needzero),
	KUNIT_CASE(pageheap_grows_second_arena),
	KUNIT_CASE(pageheap_idle_arena_returned),
	KUNIT_CASE(pageheap_scavenge_keeps_busy_arenas),
	KUNIT_CASE(pageheap_per_heap_limit),
	KUNIT_CASE(pageheap_module_limit),
	KUNIT_CASE(pageheap_destroy_returns_pages),
	KUNIT_CASE(pageheap_destroy_empty),
	KUNIT_CASE(pageheap_rejects_bad_sizes),
	KUNIT_CASE(pageheap_largest_span),
	KUNIT_CASE(pageheap_contains),
	KUNIT_CASE(pageheap_walk_arenas),
	KUNIT_CASE(pageheap_shrinker_entry_points),
	GMM_KUNIT_FAULT_CASE(pageheap_order_fallback),
	GMM_KUNIT_FAULT_CASE(pageheap_fail_arena_meta),
	GMM_KUNIT_FAULT_CASE(pageheap_fail_arena_every_order),
	KUNIT_CASE(pageheap_concurrent),
	KUNIT_CASE(pageheap_init_rejects_gfp),
	{}
};

static int ph_init(struct kunit *test)
{
	int ret = gmm_kunit_init(test, "gmm_pageheap", 0);

	if (!ret)
		gmm_kunit_pageheap(test, PH_TEST_MAX_SPANS);
	return ret;
}

static struct kunit_suite gmm_pageheap_suite = {
	.name = "gmm_pageheap",
	.init = ph_init,
	.exit = gmm_kunit_exit,
	.test_cases = gmm_pageheap_cases,
};

kunit_test_suite(gmm_pageheap_suite);
