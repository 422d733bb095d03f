// SPDX-License-Identifier: GPL-2.0
/*
 * alloc_limits_test.c - the cases of suite "gmm_alloc" (alloc_test.c) on
 * memory: arenas growing and going back, a heap's limit, the module-wide
 * limit and injected allocation failures.
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
#include "pagelimit.h"

/*
 * 6. Arena growth and return: 32 KiB objects (a 4-page span each) until a
 * second arena is needed; destroying the heap returns every page.
 */
void alloc_arena_growth(struct kunit *test)
{
	struct gmm_kunit *f = test->priv;
	struct gmm_heap *h = at_heap(test);
	const unsigned int sc = gmm_size_to_class(SZ_32K);
	struct gmm_pageheap_stats ps = { };
	const struct gmm_memstats *st;
	unsigned int n;
	void *p;

	for (n = 1; n <= 2 * AT_ARENA_BYTES / SZ_32K; n++) {
		p = gmm_alloc_noscan(h, SZ_32K);
		KUNIT_ASSERT_NOT_NULL_MSG(test, p, "object %u", n);
		gmm_pageheap_read_stats(&h->pages, &ps);
		if (ps.sys_bytes > AT_ARENA_BYTES)
			break;
	}
	KUNIT_EXPECT_GT(test, ps.sys_bytes, AT_ARENA_BYTES);
	KUNIT_EXPECT_GE(test, ps.arenas, 2ULL);
	if (!ps.order_fallbacks)	/* the first arena was a whole 4 MiB */
		KUNIT_EXPECT_EQ(test, n, (unsigned int)(AT_ARENA_BYTES / SZ_32K) + 1);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(),
			f->baseline + (unsigned long)(ps.sys_bytes >> PAGE_SHIFT));

	st = gmm_kunit_stats(test, h);
	KUNIT_EXPECT_EQ(test, st->heap_sys, ps.sys_bytes);
	KUNIT_EXPECT_GT(test, st->heap_sys, AT_ARENA_BYTES);
	KUNIT_EXPECT_EQ(test, st->heap_inuse, (u64)n * SZ_32K);
	KUNIT_EXPECT_EQ(test, st->by_size[sc].mallocs, (u64)n);
	KUNIT_EXPECT_EQ(test, st->by_size[sc].spans, (u64)n);
	at_expect_consistent(test, h);

	gmm_kunit_heap_destroy(test, h);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(), f->baseline);
}

/*
 * 7. Limits.  A 1 MiB heap: its limit covers arenas and metadata (span
 * descriptors) together, so the arenas it gets add up to less than 1 MiB
 * and shrink in order as the limit nears; 1 KiB objects fill them, and
 * then allocation fails without growing the heap.  Upper bound on the
 * objects: 127 runtime pages of eight (one page holds the 16-byte span).
 * GOGC is off, but the limit is also the pacer's soft goal, so a cycle
 * may start on the way: it is held at the start of its mark phase
 * (nothing is freed under the test, which counts exactly) and let go at
 * the end.
 */
void alloc_heap_limit(struct kunit *test)
{
	const unsigned int sc = gmm_size_to_class(SZ_1K);
	const u64 limit = SZ_1M;
	const unsigned int most = (limit / GMM_PAGE_SIZE - 1) *
				  gmm_class_to_nelems[sc];
	struct gmm_kunit *f = test->priv;
	unsigned int n, nonzero = 0;
	struct gmm_pageheap_stats ps;
	const struct gmm_memstats *st;
	struct gmm_heap *h;
	void *small, *p, *q, *r;

	h = at_heap_limit(test, limit);
	gmm_gc_hold_arm(h, GMM_HOLD_MARK);
	migrate_disable();
	small = gmm_alloc_noscan(h, 16);
	for (n = 0; n < 2 * most; n++) {
		p = gmm_alloc_noscan(h, SZ_1K);
		if (!p)
			break;
		if (!gmm_kunit_is_zero(p, SZ_1K))
			nonzero++;
	}
	q = gmm_alloc_noscan(h, SZ_1K);
	/* The 16-byte span in this CPU's cache still has free slots. */
	r = gmm_alloc_noscan(h, 16);
	migrate_enable();

	KUNIT_ASSERT_NOT_NULL(test, small);
	KUNIT_EXPECT_GT(test, n, most / 2);
	KUNIT_EXPECT_LE(test, n, most);
	KUNIT_EXPECT_EQ(test, nonzero, 0U);
	KUNIT_EXPECT_NULL(test, q);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_TRUE(test, gmm_span_of(r) == gmm_span_of(small));
	KUNIT_EXPECT_EQ(test, at_span_off(r), at_span_off(small) + 16);
	KUNIT_EXPECT_NULL(test, gmm_alloc_noscan(h, 40000));

	gmm_pageheap_read_stats(&h->pages, &ps);
	KUNIT_EXPECT_LE(test, ps.sys_bytes + ps.meta_bytes, limit);
	KUNIT_EXPECT_GT(test, ps.meta_bytes, 0ULL);
	KUNIT_EXPECT_GE(test, ps.limit_failures, 3ULL);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(),
			f->baseline + (unsigned long)(ps.sys_bytes >> PAGE_SHIFT));

	st = gmm_kunit_stats(test, h);
	KUNIT_EXPECT_EQ(test, st->heap_sys, ps.sys_bytes);
	KUNIT_EXPECT_LE(test, st->heap_inuse, st->heap_sys);
	KUNIT_EXPECT_EQ(test, st->mallocs, (u64)n + 2);
	KUNIT_EXPECT_EQ(test, st->by_size[sc].mallocs, (u64)n);
	at_expect_consistent(test, h);

	gmm_gc_hold_release(h, false);
	gmm_kunit_heap_destroy(test, h);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(), f->baseline);
}

/* The module-wide limit: room for less than 3 MiB more than the baseline. */
void alloc_module_limit(struct kunit *test)
{
	struct gmm_kunit *f = test->priv;
	unsigned long mb, limit_pages;
	struct gmm_pageheap_stats ps;
	struct gmm_heap *h;
	unsigned int n;
	void *small, *p = NULL;

	mb = DIV_ROUND_UP(f->baseline << PAGE_SHIFT, SZ_1M) + 2;
	limit_pages = mb << (20 - PAGE_SHIFT);
	gmm_pageheap_set_max_total_mb(mb);

	h = at_heap(test);
	small = gmm_alloc_noscan(h, 64);
	KUNIT_ASSERT_NOT_NULL(test, small);
	for (n = 0; n < 2 * AT_ARENA_BYTES / SZ_32K; n++) {
		p = gmm_alloc_noscan(h, SZ_32K);
		if (!p)
			break;
	}
	KUNIT_EXPECT_NULL(test, p);
	KUNIT_EXPECT_GT(test, n, 0U);
	KUNIT_EXPECT_LE(test, gmm_pageheap_total_pages(), limit_pages);
	gmm_pageheap_read_stats(&h->pages, &ps);
	KUNIT_EXPECT_GE(test, ps.limit_failures, 1ULL);
	KUNIT_EXPECT_LE(test, ps.sys_bytes,
			(u64)(limit_pages - f->baseline) << PAGE_SHIFT);
	KUNIT_EXPECT_EQ(test, gmm_kunit_stats(test, h)->by_size[gmm_size_to_class(SZ_32K)].mallocs,
			(u64)n);
	at_expect_consistent(test, h);

	/* Lifting the limit lets the heap grow again. */
	gmm_pageheap_set_max_total_mb(f->saved_mb);
	p = gmm_alloc_noscan(h, SZ_32K);
	KUNIT_EXPECT_NOT_NULL(test, p);
	at_expect_consistent(test, h);
	gmm_kunit_heap_destroy(test, h);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(), f->baseline);
}

/* 8. Fault injection at every call site. */
#ifdef CONFIG_FAULT_INJECTION
void alloc_fault_span_meta(struct kunit *test)
{
	struct gmm_heap *h = at_heap(test);
	const struct gmm_memstats *st;
	void *p;

	/* Small: the first allocation of a class needs a span. */
	gmm_kunit_fault_set(GMM_FAIL_SPAN_META, 1, 0);
	KUNIT_EXPECT_NULL(test, gmm_alloc_noscan(h, 64));
	KUNIT_EXPECT_EQ(test, gmm_kunit_fault_times(GMM_FAIL_SPAN_META), 0);
	st = gmm_kunit_stats(test, h);
	KUNIT_EXPECT_EQ(test, st->mallocs, 0ULL);
	KUNIT_EXPECT_EQ(test, st->heap_sys, 0ULL);
	KUNIT_EXPECT_EQ(test, st->by_size[gmm_size_to_class(64)].spans, 0ULL);
	p = gmm_alloc_noscan(h, 64);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, at_span_off(p), 0UL);

	/* Large: every object has a span descriptor. */
	gmm_kunit_fault_set(GMM_FAIL_SPAN_META, 1, 0);
	KUNIT_EXPECT_NULL(test, gmm_alloc_noscan(h, SZ_64K));
	KUNIT_EXPECT_EQ(test, gmm_kunit_stats(test, h)->large_objects, 0ULL);
	p = gmm_alloc_noscan(h, SZ_64K);
	KUNIT_ASSERT_NOT_NULL(test, p);
	at_check_large(test, p, SZ_64K, true);

	/* Tiny: a first block needs the tiny span class's span. */
	gmm_kunit_fault_set(GMM_FAIL_SPAN_META, 1, 0);
	KUNIT_EXPECT_NULL(test, gmm_alloc_noscan(h, 8));
	KUNIT_EXPECT_NOT_NULL(test, gmm_alloc_noscan(h, 8));

	st = gmm_kunit_stats(test, h);
	KUNIT_EXPECT_EQ(test, st->mallocs, 3ULL);
	KUNIT_EXPECT_EQ(test, st->large_objects, 1ULL);
	at_expect_consistent(test, h);
}

void alloc_fault_arena(struct kunit *test)
{
	struct gmm_heap *h = at_heap(test);
	struct gmm_pageheap_stats ps;
	void *p;

	/* The 4 MiB block fails: a smaller arena does it. */
	gmm_kunit_fault_set(GMM_FAIL_ARENA, 1, 0);
	p = gmm_alloc_noscan(h, 64);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, gmm_kunit_is_zero(p, 64));
	KUNIT_EXPECT_EQ(test, gmm_kunit_fault_times(GMM_FAIL_ARENA), 0);
	gmm_pageheap_read_stats(&h->pages, &ps);
	KUNIT_EXPECT_EQ(test, ps.order_fallbacks, 1ULL);
	KUNIT_EXPECT_EQ(test, ps.arenas, 1ULL);
	KUNIT_EXPECT_EQ(test, ps.sys_bytes, AT_ARENA_BYTES / 2);
	KUNIT_EXPECT_EQ(test, gmm_span_of(p)->arena->order,
			(unsigned int)GMM_ARENA_ORDER - 1);

	/* A 4 MiB object has no smaller order to fall back to. */
	gmm_kunit_fault_set(GMM_FAIL_ARENA, 1, 0);
	KUNIT_EXPECT_NULL(test, gmm_alloc_noscan(h, GMM_MAX_ALLOC_SIZE));
	KUNIT_EXPECT_EQ(test, gmm_kunit_fault_times(GMM_FAIL_ARENA), 0);
	gmm_pageheap_read_stats(&h->pages, &ps);
	KUNIT_EXPECT_EQ(test, ps.arenas, 1ULL);
	KUNIT_EXPECT_EQ(test, ps.limit_failures, 0ULL);
	p = gmm_alloc_noscan(h, GMM_MAX_ALLOC_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, (int)gmm_span_of(p)->state, GMM_SPAN_LARGE);
	KUNIT_EXPECT_EQ(test, gmm_kunit_stats(test, h)->large_objects, 1ULL);
	at_expect_consistent(test, h);
}

void alloc_fault_arena_meta(struct kunit *test)
{
	struct gmm_kunit *f = test->priv;
	struct gmm_heap *h = at_heap(test);
	void *p;

	gmm_kunit_fault_set(GMM_FAIL_ARENA_META, 1, 0);
	KUNIT_EXPECT_NULL(test, gmm_alloc_noscan(h, 64));
	KUNIT_EXPECT_EQ(test, gmm_kunit_fault_times(GMM_FAIL_ARENA_META), 0);
	KUNIT_EXPECT_EQ(test, gmm_kunit_stats(test, h)->heap_sys, 0ULL);
	KUNIT_EXPECT_EQ(test, gmm_kunit_stats(test, h)->mallocs, 0ULL);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(), f->baseline);
	p = gmm_alloc_noscan(h, 64);
	KUNIT_ASSERT_NOT_NULL(test, p);

	/* An object that fits in the arena does not reach the site... */
	gmm_kunit_fault_set(GMM_FAIL_ARENA_META, 1, 0);
	p = gmm_alloc_noscan(h, SZ_64K);
	KUNIT_EXPECT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, gmm_kunit_fault_times(GMM_FAIL_ARENA_META), 1);
	/* ... one that needs a new arena does. */
	KUNIT_EXPECT_NULL(test, gmm_alloc_noscan(h, GMM_MAX_ALLOC_SIZE));
	KUNIT_EXPECT_EQ(test, gmm_kunit_fault_times(GMM_FAIL_ARENA_META), 0);
	KUNIT_EXPECT_EQ(test, gmm_kunit_stats(test, h)->heap_sys, AT_ARENA_BYTES);
	KUNIT_EXPECT_NOT_NULL(test, gmm_alloc_noscan(h, GMM_MAX_ALLOC_SIZE));
	KUNIT_EXPECT_EQ(test, gmm_kunit_stats(test, h)->large_objects, 2ULL);
	at_expect_consistent(test, h);
}

void alloc_fault_heap_meta(struct kunit *test)
{
	struct gmm_heap_params params = { .name = "kunit", .gc_percent = -1 };
	struct gmm_kunit *f = test->priv;
	const struct gmm_type *t;
	struct gmm_heap *h;

	/* The heap itself: the first of the two metadata allocations. */
	gmm_kunit_fault_set(GMM_FAIL_HEAP_META, 1, 0);
	h = gmm_heap_create(&params);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(h), -ENOMEM);
	gmm_heap_destroy(h);	/* nothing, unless it wrongly succeeded */
	KUNIT_EXPECT_EQ(test, gmm_kunit_fault_times(GMM_FAIL_HEAP_META), 0);

	/* The per-CPU caches: the first check passes (uses up the space). */
	gmm_kunit_fault_set(GMM_FAIL_HEAP_META, 1, 2);
	h = gmm_heap_create(&params);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(h), -ENOMEM);
	gmm_heap_destroy(h);
	KUNIT_EXPECT_EQ(test, gmm_kunit_fault_times(GMM_FAIL_HEAP_META), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&gmm_fault_attrs[GMM_FAIL_HEAP_META].space), 1);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(), f->baseline);
	gmm_kunit_fault_clear(GMM_FAIL_HEAP_META);

	/* Type registration. */
	h = at_heap(test);
	gmm_kunit_fault_set(GMM_FAIL_HEAP_META, 1, 0);
	t = gmm_type_register(h, "kunit", 64, 0, NULL);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(t), -ENOMEM);
	t = at_type(test, h, 64, 0, NULL);
	KUNIT_EXPECT_EQ(test, t->id, 1U);	/* the failure took no id */
	KUNIT_EXPECT_NOT_NULL(test, gmm_alloc(h, t));
	KUNIT_EXPECT_EQ(test, gmm_kunit_stats(test, h)->mallocs, 1ULL);
	at_expect_consistent(test, h);
}
#endif
