// SPDX-License-Identifier: GPL-2.0
/*
 * pageheap_limits_test.c - cases of the KUnit suite "gmm_pageheap" (the
 * suite is in pageheap_test.c): the per-heap and module-wide limits, and
 * injected failures of the arena's pages and descriptor.
 */
#include <kunit/test.h>
#include <linux/fault-inject.h>
#include <linux/sizes.h>

#include "pageheap_test.h"
#include "pagelimit.h"
#include "scavenge.h"

void pageheap_per_heap_limit(struct kunit *test)
{
	struct gmm_kunit *k = test->priv;
	const u64 limit = 16 * GMM_PAGE_SIZE;
	struct gmm_pageheap_stats st, st2;
	struct gmm_span *s, *t;
	int nz, ret;

	gmm_pageheap_set_limit(k->ph, limit);

	/* The arena shrinks to what the limit allows. */
	s = ph_alloc_ok(test, 16, &nz);
	st = ph_stats(test);
	KUNIT_EXPECT_EQ(test, st.sys_bytes, limit);
	KUNIT_EXPECT_EQ(test, st.order_fallbacks, 0ULL);

	t = ph_alloc(test, 1, &ret);
	KUNIT_EXPECT_TRUE(test, !t);
	KUNIT_EXPECT_EQ(test, ret, -ENOMEM);
	st2 = ph_stats(test);
	KUNIT_EXPECT_EQ(test, st2.limit_failures, 1ULL);
	KUNIT_EXPECT_EQ(test, st2.sys_bytes, st.sys_bytes);
	KUNIT_EXPECT_EQ(test, st2.inuse_bytes, st.inuse_bytes);
	KUNIT_EXPECT_EQ(test, st2.arenas, 1ULL);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(),
			k->baseline + (unsigned long)(limit >> PAGE_SHIFT));
	KUNIT_EXPECT_TRUE(test, ph_owner(s->base) == s);

	/* After a free, allocation works again, in the same memory. */
	ph_free(test, s);
	t = ph_alloc_ok(test, 1, &nz);
	KUNIT_EXPECT_EQ(test, nz, 1);
	KUNIT_EXPECT_EQ(test, ph_stats(test).arenas, 1ULL);

	/* Lifting the limit lets the heap grow. */
	gmm_pageheap_set_limit(k->ph, 0);
	s = ph_alloc_ok(test, 16, &nz);
	KUNIT_EXPECT_EQ(test, ph_stats(test).arenas, 2ULL);
}

void pageheap_module_limit(struct kunit *test)
{
	struct gmm_kunit *k = test->priv;
	const unsigned int n = min_t(unsigned long, PH_ARENA_PAGES,
				     GMM_MAX_SPAN_PAGES);
	unsigned long mb, limit_pages;
	struct gmm_pageheap_stats st;
	struct gmm_span *s, *t;
	int nz, ret;

	/* Room for the baseline plus one arena, and less than 1 MiB slack. */
	mb = DIV_ROUND_UP(k->baseline << PAGE_SHIFT, SZ_1M) +
	     (((unsigned long)n << GMM_PAGE_SHIFT) >> 20);
	KUNIT_ASSERT_GT(test, mb, 0UL);
	gmm_pageheap_set_max_total_mb(mb);
	limit_pages = mb << (20 - PAGE_SHIFT);

	s = ph_alloc_ok(test, n, &nz);
	t = ph_alloc(test, n, &ret);
	KUNIT_EXPECT_TRUE(test, !t);
	KUNIT_EXPECT_EQ(test, ret, -ENOMEM);
	KUNIT_EXPECT_LE(test, gmm_pageheap_total_pages(), limit_pages);
	st = ph_stats(test);
	KUNIT_EXPECT_EQ(test, st.limit_failures, 1ULL);
	KUNIT_EXPECT_EQ(test, st.arenas, 1ULL);
	KUNIT_EXPECT_EQ(test, st.inuse_bytes, (u64)n * GMM_PAGE_SIZE);

	/* Freeing makes room: the same pages come back. */
	ph_free(test, s);
	t = ph_alloc_ok(test, n, &nz);
	KUNIT_EXPECT_EQ(test, nz, 1);

	/* Lifting the limit lets the heap grow. */
	gmm_pageheap_set_max_total_mb(k->saved_mb);
	s = ph_alloc_ok(test, n, &nz);
	KUNIT_EXPECT_EQ(test, ph_stats(test).arenas, 2ULL);
}

#ifdef CONFIG_FAULT_INJECTION
void pageheap_order_fallback(struct kunit *test)
{
	struct gmm_kunit *k = test->priv;
	struct gmm_pageheap_stats st;
	struct gmm_span *s;
	int nz;

	/* The first alloc_pages() attempt (the preferred order) fails. */
	gmm_kunit_fault_set(GMM_FAIL_ARENA, 1, 0);
	s = ph_alloc_ok(test, 1, &nz);
	KUNIT_EXPECT_EQ(test, nz, 0);
	KUNIT_EXPECT_LT(test, s->arena->order, (unsigned int)GMM_ARENA_ORDER);
	KUNIT_EXPECT_EQ(test, s->arena->npages,
			(u32)((PAGE_SIZE << s->arena->order) >> GMM_PAGE_SHIFT));
	st = ph_stats(test);
	KUNIT_EXPECT_GE(test, st.order_fallbacks, 1ULL);
	KUNIT_EXPECT_EQ(test, st.arenas, 1ULL);
	KUNIT_EXPECT_EQ(test, st.sys_bytes, (u64)PAGE_SIZE << s->arena->order);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(),
			k->baseline + (1UL << s->arena->order));
	KUNIT_EXPECT_TRUE(test, ph_owner(s->base) == s);
}

void pageheap_fail_arena_meta(struct kunit *test)
{
	struct gmm_kunit *k = test->priv;
	struct gmm_pageheap_stats st;
	struct gmm_span *s;
	int ret, nz;

	gmm_kunit_fault_set(GMM_FAIL_ARENA_META, 1, 0);
	s = ph_alloc(test, 1, &ret);
	KUNIT_EXPECT_TRUE(test, !s);
	KUNIT_EXPECT_EQ(test, ret, -ENOMEM);
	st = ph_stats(test);
	KUNIT_EXPECT_EQ(test, st.arenas, 0ULL);
	KUNIT_EXPECT_EQ(test, st.sys_bytes, 0ULL);
	KUNIT_EXPECT_EQ(test, st.arena_allocs, 0ULL);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(), k->baseline);

	/* The one injected failure is used up: the heap works. */
	s = ph_alloc_ok(test, 1, &nz);
	KUNIT_EXPECT_EQ(test, nz, 0);
	KUNIT_EXPECT_EQ(test, ph_stats(test).arenas, 1ULL);
}

void pageheap_fail_arena_every_order(struct kunit *test)
{
	struct gmm_kunit *k = test->priv;
	unsigned int min_order = get_order(GMM_PAGE_SIZE);
	struct gmm_pageheap_stats st;
	struct gmm_span *s, *t;
	unsigned int order;
	unsigned long held;
	int ret, nz;

	/* One span in a first arena, to see it survive the failures. */
	s = ph_alloc_ok(test, 2, &nz);
	order = s->arena->order;
	held = gmm_pageheap_total_pages();

	gmm_kunit_fault_set(GMM_FAIL_ARENA, -1, 0);
	/* Does not fit in the first arena: needs a new one, which fails. */
	t = ph_alloc(test, s->arena->npages, &ret);
	KUNIT_EXPECT_TRUE(test, !t);
	KUNIT_EXPECT_EQ(test, ret, -ENOMEM);
	t = ph_alloc(test, 1, &ret);	/* fits in the first arena */
	KUNIT_EXPECT_TRUE(test, t);
	t = NULL;

	st = ph_stats(test);
	KUNIT_EXPECT_EQ(test, st.arenas, 1ULL);
	KUNIT_EXPECT_EQ(test, st.arena_allocs, 1ULL);
	KUNIT_EXPECT_EQ(test, st.inuse_bytes, 3ULL * GMM_PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, st.limit_failures, 0ULL);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(), held);
	KUNIT_EXPECT_TRUE(test, ph_owner(s->base) == s);

	/* A fresh heap: every order from the preferred one down fails. */
	ph_free(test, s);
	ph_free(test, &k->spans[k->spans_used - 1]);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_scavenge(k->ph), PAGE_SIZE << order);
	st = ph_stats(test);
	s = ph_alloc(test, 1, &ret);
	KUNIT_EXPECT_TRUE(test, !s);
	KUNIT_EXPECT_EQ(test, ret, -ENOMEM);
	KUNIT_EXPECT_EQ(test, ph_stats(test).order_fallbacks - st.order_fallbacks,
			(u64)(GMM_ARENA_ORDER - min_order));
	KUNIT_EXPECT_EQ(test, ph_stats(test).arenas, 0ULL);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(), k->baseline);

	gmm_kunit_fault_clear(GMM_FAIL_ARENA);
	s = ph_alloc_ok(test, 1, &nz);
	KUNIT_EXPECT_EQ(test, nz, 0);
}
#endif
