// SPDX-License-Identifier: GPL-2.0
/*
 * alloc_test.c - KUnit suite "gmm_alloc": the allocator (malloc.c,
 * cache.c, central.c, span.c, type.c, stats.c) on real heaps.  This file
 * holds the suite, the checks every case runs on its heaps and the cases
 * on where objects go: a span filled slot by slot, reused slots, exact
 * statistics, heaps side by side.  The other cases are in the files
 * alloc_test.h names; "gmm_alloc_stress" is in alloc_stress_test.c.
 *
 * Every test makes its own heaps with gmm_heap_create() (name "kunit",
 * collection off, so nothing is swept under the test's feet) and checks
 * real values: slot offsets inside spans, span classes, alloc counts, the
 * central lists' counters, MemStats fields and the module-wide page count.
 * The fixture's exit destroys whatever heap a test left behind, restores
 * the fault-injection attributes and the module-wide limit, and checks that
 * every page went back to the buddy allocator.
 *
 * Tests that depend on which per-CPU cache serves them (a span filled in
 * slot order, tiny-block packing, exact statistics) run with migration
 * disabled, and no KUNIT_ASSERT runs inside those sections.
 *
 * Addresses are compared inside the tests and never printed: failures show
 * offsets, slot indices and counts.
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
 * A pointer map with word 0 a pointer, long enough for every scan type of
 * the tests: gmm_type_register() reads one bit per word of the object.
 */
const unsigned long at_one_ptr[BITS_TO_LONGS(AT_MAX_SCAN_SIZE / 8)] = { 1 };

/*
 * Checks that hold for any heap that has freed nothing: every page in use
 * belongs to a span the central lists count or to a large object, objects
 * fit in the spans of their class, and the MemStats sums agree.
 */
void at_expect_consistent(struct kunit *test, struct gmm_heap *h)
{
	const struct gmm_memstats *st = gmm_kunit_stats(test, h);
	u64 small_objs = 0, small_bytes = 0, span_bytes = 0;
	unsigned int c, overfull = 0;

	KUNIT_EXPECT_LE(test, st->heap_inuse, st->heap_sys);
	KUNIT_EXPECT_EQ(test, st->heap_idle, st->heap_sys - st->heap_inuse);
	KUNIT_EXPECT_LE(test, st->heap_alloc, st->heap_inuse);
	/* Nothing swept yet: only tiny objects count as freed (as in Go). */
	KUNIT_EXPECT_EQ(test, st->frees, st->tiny_allocs);
	KUNIT_EXPECT_EQ(test, st->heap_alloc, st->total_alloc);
	KUNIT_EXPECT_EQ(test, st->mallocs, st->heap_objects + st->tiny_allocs);
	KUNIT_EXPECT_EQ(test, st->large_objects, st->by_size[0].mallocs);
	KUNIT_EXPECT_EQ(test, st->by_size[0].spans, st->large_objects);
	for (c = 1; c < GMM_NUM_SIZE_CLASSES; c++) {
		const struct gmm_class_stats *cl = &st->by_size[c];

		KUNIT_EXPECT_EQ(test, cl->size, (u32)gmm_class_to_size[c]);
		small_objs += cl->mallocs;
		small_bytes += cl->mallocs * cl->size;
		span_bytes += cl->spans * gmm_class_to_npages[c] * GMM_PAGE_SIZE;
		if (cl->mallocs > cl->spans * gmm_class_to_nelems[c])
			overfull++;
	}
	KUNIT_EXPECT_EQ(test, overfull, 0U);
	KUNIT_EXPECT_EQ(test, st->heap_objects, small_objs + st->large_objects);
	/* Large objects are whole spans: the rest of TotalAlloc. */
	KUNIT_EXPECT_EQ(test, st->heap_inuse,
			span_bytes + (st->total_alloc - small_bytes));
}

/* Only while nobody allocates from @h. */
void at_central_view(struct gmm_heap *h, unsigned int spc,
		     struct at_central_view *v)
{
	struct gmm_central *c = &h->central[spc];
	struct gmm_span *s;
	int i, cpu;

	memset(v, 0, sizeof(*v));
	spin_lock(&c->lock);
	for (i = 0; i < 2; i++) {
		list_for_each_entry(s, &c->partial[i], list) {
			v->partial++;
			v->objects += s->alloc_count;
			if (s->alloc_count >= s->nelems || s->spanclass != spc)
				v->misplaced++;
		}
		list_for_each_entry(s, &c->full[i], list) {
			v->full++;
			v->objects += s->alloc_count;
			if (s->alloc_count != s->nelems || s->spanclass != spc)
				v->misplaced++;
		}
	}
	v->nr_spans = c->nr_spans;
	v->nr_cached = c->nr_cached;
	spin_unlock(&c->lock);

	for_each_possible_cpu(cpu) {
		s = per_cpu_ptr(h->caches, cpu)->alloc[spc];
		if (!s)
			continue;
		v->cached++;
		v->objects += s->alloc_count;
		if (s->spanclass != spc)
			v->misplaced++;
	}
}

/* The invariants of one class's counters, whatever happened before. */
void at_expect_central_sane(struct kunit *test, struct gmm_heap *h,
			    unsigned int spc, struct at_central_view *v)
{
	at_central_view(h, spc, v);
	KUNIT_EXPECT_EQ_MSG(test, v->nr_cached, v->cached, "span class %u", spc);
	KUNIT_EXPECT_EQ_MSG(test, v->partial + v->full + v->cached, v->nr_spans,
			    "span class %u", spc);
	KUNIT_EXPECT_EQ_MSG(test, v->misplaced, 0UL, "span class %u", spc);
}

/* A large object: a span of its own, page aligned, zeroed. */
void at_check_large(struct kunit *test, void *p, size_t size, bool noscan)
{
	unsigned int npages = DIV_ROUND_UP(size, GMM_PAGE_SIZE);
	struct gmm_span *s = gmm_span_of(p);

	KUNIT_EXPECT_EQ(test, (unsigned long)p % GMM_PAGE_SIZE, 0UL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, (int)s->state, GMM_SPAN_LARGE);
	KUNIT_EXPECT_EQ(test, s->npages, npages);
	KUNIT_EXPECT_EQ(test, s->elemsize, npages * GMM_PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, s->spanclass, gmm_make_spanclass(0, noscan));
	KUNIT_EXPECT_EQ(test, (unsigned int)s->nelems, 1U);
	KUNIT_EXPECT_EQ(test, (unsigned int)s->alloc_count, 1U);
	KUNIT_EXPECT_EQ(test, at_span_off(p), 0UL);
	/* Interior pointers: the middle, the last byte, the last page. */
	KUNIT_EXPECT_TRUE(test, gmm_span_of(p + size / 2) == s);
	KUNIT_EXPECT_TRUE(test, gmm_span_of(p + size - 1) == s);
	KUNIT_EXPECT_TRUE(test, gmm_span_of(p + (npages - 1) * GMM_PAGE_SIZE) == s);
	KUNIT_EXPECT_TRUE(test, gmm_kunit_is_zero(p, size));
}

/*
 * 1. Filling one span: exactly nelems objects from one CPU all come from the
 * same span, in slot order across the 64-slot alloc-cache words up to the
 * last slot; the next one opens a new span.
 */
struct at_fill_param {
	u32 size;
	bool scan;
};

static const struct at_fill_param at_fill_params[] = {
	{ 8, true },		/* 1024 slots (noscan 8 B would be tiny) */
	{ 16, false },		/* 512 */
	{ 24, false },		/* 341: ends inside a 64-slot word */
	{ 48, false },		/* 170 */
	{ 48, true },
	{ 1024, false },	/* 8 */
	{ 1024, true },
	{ 32768, false },	/* 1 */
	{ 32768, true },
};

static void at_fill_desc(const struct at_fill_param *p, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%u B %s", p->size,
		 p->scan ? "scan" : "noscan");
}

KUNIT_ARRAY_PARAM(at_fill, at_fill_params, at_fill_desc);

/* Slots of a filled span: place, freeindex progress, slot type, zero. */
static void at_check_filled(struct kunit *test, struct gmm_span *s,
			    const unsigned long *addr, const u16 *fidx,
			    unsigned int nelems, const struct gmm_type *t)
{
	unsigned int i, bad_span = 0, bad_off = 0, bad_idx = 0, bad_type = 0;
	unsigned int first = UINT_MAX;

	for (i = 0; i < nelems; i++) {
		bool ok = true;

		if (gmm_span_of((void *)addr[i]) != s) {
			bad_span++;
			ok = false;
		} else if (addr[i] - s->base != (unsigned long)i * s->elemsize) {
			bad_off++;
			ok = false;
		}
		if (fidx[i] != i + 1) {
			bad_idx++;
			ok = false;
		}
		if (t && s->slot_types[i] != t->id) {
			bad_type++;
			ok = false;
		}
		if (!ok && first == UINT_MAX)
			first = i;
	}
	KUNIT_EXPECT_EQ_MSG(test, bad_span, 0U, "first bad slot %u", first);
	KUNIT_EXPECT_EQ_MSG(test, bad_off, 0U, "first bad slot %u", first);
	KUNIT_EXPECT_EQ_MSG(test, bad_idx, 0U, "first bad slot %u", first);
	KUNIT_EXPECT_EQ_MSG(test, bad_type, 0U, "first bad slot %u", first);
}

static void alloc_fill_one_span(struct kunit *test)
{
	const struct at_fill_param *prm = test->param_value;
	unsigned int sc = gmm_size_to_class(prm->size);
	unsigned int nelems = gmm_class_to_nelems[sc];
	const struct gmm_type *t = NULL;
	const struct gmm_memstats *st;
	unsigned int i, nonzero = 0;
	struct at_central_view v;
	struct gmm_span *s, *s2;
	struct gmm_heap *h;
	unsigned long *addr;
	void *extra;
	u16 *fidx;

	KUNIT_ASSERT_EQ(test, (u32)gmm_class_to_size[sc], prm->size);
	h = at_heap(test);
	if (prm->scan) {
		t = at_type(test, h, prm->size, 0, at_one_ptr);
		KUNIT_EXPECT_FALSE(test, t->noscan);
		KUNIT_EXPECT_EQ(test, (unsigned int)t->sizeclass, sc);
	}
	addr = kunit_kcalloc(test, nelems, sizeof(*addr), GFP_KERNEL);
	fidx = kunit_kcalloc(test, nelems, sizeof(*fidx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, addr);
	KUNIT_ASSERT_NOT_NULL(test, fidx);

	/* One CPU, one cache: every slot must come from the same span. */
	migrate_disable();
	for (i = 0; i < nelems; i++) {
		void *p = at_alloc(h, t, prm->size);

		if (!p)
			break;
		addr[i] = (unsigned long)p;
		fidx[i] = gmm_span_of(p)->freeindex;
		if (!gmm_kunit_is_zero(p, prm->size))
			nonzero++;
	}
	extra = at_alloc(h, t, prm->size);
	migrate_enable();

	KUNIT_ASSERT_EQ_MSG(test, i, nelems, "allocation %u failed", i);
	KUNIT_ASSERT_NOT_NULL(test, extra);
	KUNIT_EXPECT_EQ(test, nonzero, 0U);

	s = gmm_span_of((void *)addr[0]);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, (int)s->state, GMM_SPAN_SMALL);
	KUNIT_EXPECT_EQ(test, s->spanclass, gmm_make_spanclass(sc, !prm->scan));
	KUNIT_EXPECT_EQ(test, s->elemsize, prm->size);
	KUNIT_EXPECT_EQ(test, (unsigned int)s->nelems, nelems);
	KUNIT_EXPECT_EQ(test, s->npages, (u32)gmm_class_to_npages[sc]);
	KUNIT_EXPECT_EQ(test, s->base % GMM_PAGE_SIZE, 0UL);
	KUNIT_EXPECT_EQ(test, !s->slot_types, !prm->scan);
	at_check_filled(test, s, addr, fidx, nelems, t);
	KUNIT_EXPECT_EQ(test, (unsigned int)s->alloc_count, nelems);
	KUNIT_EXPECT_EQ(test, (unsigned int)s->freeindex, nelems);

	/* The next object opens a fresh span of the class, at its slot 0. */
	s2 = gmm_span_of(extra);
	KUNIT_EXPECT_TRUE(test, s2 != s);
	KUNIT_EXPECT_EQ(test, at_span_off(extra), 0UL);
	KUNIT_EXPECT_EQ(test, s2->spanclass, s->spanclass);
	KUNIT_EXPECT_EQ(test, (unsigned int)s2->alloc_count, 1U);
	KUNIT_EXPECT_TRUE(test, gmm_kunit_is_zero(extra, prm->size));

	/* The full span is on the central list, the new one in the cache. */
	at_expect_central_sane(test, h, s->spanclass, &v);
	KUNIT_EXPECT_EQ(test, v.nr_spans, 2UL);
	KUNIT_EXPECT_EQ(test, v.nr_cached, 1UL);
	KUNIT_EXPECT_EQ(test, v.full, 1UL);
	KUNIT_EXPECT_EQ(test, v.partial, 0UL);
	KUNIT_EXPECT_EQ(test, v.objects, (unsigned long)nelems + 1);

	st = gmm_kunit_stats(test, h);
	KUNIT_EXPECT_EQ(test, st->mallocs, (u64)nelems + 1);
	KUNIT_EXPECT_EQ(test, st->by_size[sc].mallocs, (u64)nelems + 1);
	KUNIT_EXPECT_EQ(test, st->by_size[sc].spans, 2ULL);
	KUNIT_EXPECT_EQ(test, st->tiny_allocs, 0ULL);
	at_expect_consistent(test, h);
}

/*
 * Reused memory comes back zeroed: mark the span in this CPU's cache as
 * holding old data (span->needzero, as when its pages were used before),
 * write garbage into the slot it hands out next, and allocate.
 */
static unsigned long at_dirty_next_slot(const void *p)
{
	struct gmm_span *s = gmm_span_of(p);
	unsigned long slot = s->base + (unsigned long)s->freeindex * s->elemsize;

	s->needzero = 1;
	memset((void *)slot, 0x5a, s->elemsize);
	return slot;
}

static void alloc_reused_slot_zeroed(struct kunit *test)
{
	unsigned long next_small = 0, next_scan = 0, next_block = 0;
	struct gmm_heap *h = at_heap(test);
	void *p0, *p1, *q0, *q1, *t0, *t1, *t2, *t3;
	const struct gmm_type *ts;
	bool fresh = false;

	ts = at_type(test, h, 64, 0, at_one_ptr);

	migrate_disable();
	p0 = gmm_alloc_noscan(h, 64);
	q0 = gmm_alloc(h, ts);
	t0 = gmm_alloc_noscan(h, 8);		/* block 0, offset 0 */
	t1 = gmm_alloc_noscan(h, 8);		/* block 0, offset 8 */
	if (p0 && q0 && t0) {
		/* Fresh arena pages are known to be zero. */
		fresh = !gmm_span_of(p0)->needzero && !gmm_span_of(q0)->needzero &&
			!gmm_span_of(t0)->needzero;
		next_small = at_dirty_next_slot(p0);
		next_scan = at_dirty_next_slot(q0);
		next_block = at_dirty_next_slot(t0);
	}
	p1 = gmm_alloc_noscan(h, 64);
	q1 = gmm_alloc(h, ts);
	t2 = gmm_alloc_noscan(h, 8);		/* block 1, offset 0 */
	t3 = gmm_alloc_noscan(h, 8);		/* block 1, offset 8 */
	migrate_enable();

	KUNIT_ASSERT_TRUE(test, p0 && q0 && t0 && t1 && p1 && q1 && t2 && t3);
	KUNIT_EXPECT_TRUE(test, fresh);
	KUNIT_EXPECT_EQ(test, at_span_off(p1),
			next_small - gmm_span_of(p0)->base);
	KUNIT_EXPECT_TRUE(test, gmm_kunit_is_zero(p1, 64));
	KUNIT_EXPECT_EQ(test, at_span_off(q1), next_scan - gmm_span_of(q0)->base);
	KUNIT_EXPECT_TRUE(test, gmm_kunit_is_zero(q1, 64));
	KUNIT_EXPECT_EQ(test, (u32)gmm_span_of(q1)->slot_types[1], ts->id);
	KUNIT_EXPECT_EQ(test, at_span_off(t2), next_block - gmm_span_of(t0)->base);
	KUNIT_EXPECT_EQ(test, at_span_off(t3), at_span_off(t2) + 8);
	KUNIT_EXPECT_TRUE(test, gmm_kunit_is_zero(t2, GMM_TINY_SIZE));
	at_expect_consistent(test, h);
}

/* 10. Statistics after a known sequence, on one CPU. */
static void alloc_stats_exact(struct kunit *test)
{
	static const size_t large[] = { 40000, SZ_64K, 100000 };
	const unsigned int k = 8, m = 10, sc = gmm_size_to_class(100);
	struct gmm_heap *h = at_heap(test);
	const struct gmm_memstats *st;
	unsigned int i, failed = 0;
	u64 large_bytes = 0;

	st = gmm_kunit_stats(test, h);
	KUNIT_EXPECT_EQ(test, st->mallocs, 0ULL);
	KUNIT_EXPECT_EQ(test, st->heap_sys, 0ULL);
	KUNIT_EXPECT_EQ(test, st->heap_objects, 0ULL);

	migrate_disable();
	for (i = 0; i < k; i++)		/* four per 16-byte block */
		failed += !gmm_alloc_noscan(h, 4);
	for (i = 0; i < m; i++)
		failed += !gmm_alloc_noscan(h, 100);
	for (i = 0; i < ARRAY_SIZE(large); i++)
		failed += !gmm_alloc_noscan(h, large[i]);
	migrate_enable();
	KUNIT_ASSERT_EQ(test, failed, 0U);
	for (i = 0; i < ARRAY_SIZE(large); i++)
		large_bytes += round_up(large[i], GMM_PAGE_SIZE);

	st = gmm_kunit_stats(test, h);
	KUNIT_EXPECT_EQ(test, st->by_size[sc].size, 112U);
	KUNIT_EXPECT_EQ(test, st->mallocs, (u64)(k + m + ARRAY_SIZE(large)));
	KUNIT_EXPECT_EQ(test, st->tiny_allocs, (u64)(k - k / 4));
	KUNIT_EXPECT_EQ(test, st->heap_objects, (u64)(k / 4 + m + ARRAY_SIZE(large)));
	KUNIT_EXPECT_EQ(test, st->total_alloc,
			(u64)(k / 4) * GMM_TINY_SIZE + m * 112 + large_bytes);
	KUNIT_EXPECT_EQ(test, st->heap_alloc, st->total_alloc);
	KUNIT_EXPECT_EQ(test, st->by_size[sc].mallocs, (u64)m);
	KUNIT_EXPECT_EQ(test, st->by_size[sc].spans, 1ULL);
	KUNIT_EXPECT_EQ(test, st->by_size[2].mallocs, (u64)(k / 4));
	KUNIT_EXPECT_EQ(test, st->by_size[2].spans, 1ULL);
	KUNIT_EXPECT_EQ(test, st->by_size[0].mallocs, (u64)ARRAY_SIZE(large));
	KUNIT_EXPECT_EQ(test, st->by_size[0].spans, (u64)ARRAY_SIZE(large));
	KUNIT_EXPECT_EQ(test, st->large_objects, (u64)ARRAY_SIZE(large));
	/* Go counts tiny objects in Frees too, so HeapObjects has blocks. */
	KUNIT_EXPECT_EQ(test, st->frees, (u64)(k - k / 4));
	KUNIT_EXPECT_EQ(test, st->heap_released, 0ULL);
	/* One page for the tiny span, one for class 112, the large spans. */
	KUNIT_EXPECT_EQ(test, st->heap_inuse, 2ULL * GMM_PAGE_SIZE + large_bytes);
	KUNIT_EXPECT_LE(test, st->heap_inuse, st->heap_sys);
	KUNIT_EXPECT_EQ(test, st->heap_idle, st->heap_sys - st->heap_inuse);
	at_expect_consistent(test, h);
}

/*
 * 11. Eight heaps side by side: objects of one heap lie in its arenas only,
 * and destroying heaps in a mixed order leaves the others intact.
 */
#define AT_HEAPS	8

static void alloc_many_heaps(struct kunit *test)
{
	static const unsigned int order[AT_HEAPS] = { 3, 0, 7, 1, 6, 2, 5, 4 };
	static const size_t sizes[] = { 8, 8, 64, 64, 64, 1024, 40000 };
	const unsigned int nobj = ARRAY_SIZE(sizes);
	unsigned int i, j, k, n, wrong_heap = 0, damaged = 0;
	struct gmm_kunit *f = test->priv;
	struct gmm_heap *h[AT_HEAPS];
	bool gone[AT_HEAPS] = { };
	unsigned long *obj;
	void *p;

	obj = kunit_kcalloc(test, AT_HEAPS * nobj, sizeof(*obj), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	for (i = 0; i < AT_HEAPS; i++)
		h[i] = at_heap(test);
	for (i = 0; i < AT_HEAPS; i++) {
		for (j = 0; j < nobj; j++) {
			p = gmm_alloc_noscan(h[i], sizes[j]);
			KUNIT_ASSERT_NOT_NULL(test, p);
			KUNIT_EXPECT_TRUE(test, gmm_kunit_is_zero(p, sizes[j]));
			memset(p, 0x30 + i, sizes[j]);
			obj[i * nobj + j] = (unsigned long)p;
		}
	}
	for (i = 0; i < AT_HEAPS; i++) {
		for (j = 0; j < nobj; j++) {
			p = (void *)obj[i * nobj + j];
			if (gmm_span_of(p)->arena->ph != &h[i]->pages)
				wrong_heap++;
			for (k = 0; k < AT_HEAPS; k++) {
				bool own = k == i;

				if (gmm_pageheap_contains(&h[k]->pages, p) != own)
					wrong_heap++;
			}
		}
	}
	KUNIT_EXPECT_EQ(test, wrong_heap, 0U);
	KUNIT_EXPECT_GE(test, gmm_pageheap_total_pages(),
			f->baseline + AT_HEAPS * (unsigned long)(AT_ARENA_BYTES >> PAGE_SHIFT) / 2);

	for (n = 0; n < AT_HEAPS; n++) {
		at_expect_consistent(test, h[order[n]]);
		gmm_kunit_heap_destroy(test, h[order[n]]);
		gone[order[n]] = true;
		for (i = 0; i < AT_HEAPS; i++) {
			if (gone[i])
				continue;
			for (j = 0; j < nobj; j++) {
				p = (void *)obj[i * nobj + j];
				if (memchr_inv(p, 0x30 + i, sizes[j]) ||
				    !gmm_pageheap_contains(&h[i]->pages, p))
					damaged++;
			}
		}
	}
	KUNIT_EXPECT_EQ(test, damaged, 0U);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(), f->baseline);
}

static struct kunit_case gmm_alloc_cases[] = {
	KUNIT_CASE_PARAM(alloc_fill_one_span, at_fill_gen_params),
	KUNIT_CASE(alloc_tiny_one_then_eight),
	KUNIT_CASE(alloc_tiny_every_size),
	KUNIT_CASE(alloc_tiny_keeps_roomier_block),
	KUNIT_CASE(alloc_large_objects),
	KUNIT_CASE(alloc_scan_noscan_apart),
	KUNIT_CASE(alloc_class_for),
	KUNIT_CASE(alloc_alignment),
	KUNIT_CASE(alloc_type_register_checks),
	KUNIT_CASE(alloc_array_bounds),
	KUNIT_CASE(alloc_reused_slot_zeroed),
	KUNIT_CASE(alloc_arena_growth),
	KUNIT_CASE(alloc_heap_limit),
	KUNIT_CASE(alloc_module_limit),
	GMM_KUNIT_FAULT_CASE(alloc_fault_span_meta),
	GMM_KUNIT_FAULT_CASE(alloc_fault_arena),
	GMM_KUNIT_FAULT_CASE(alloc_fault_arena_meta),
	GMM_KUNIT_FAULT_CASE(alloc_fault_heap_meta),
	KUNIT_CASE(alloc_stats_exact),
	KUNIT_CASE(alloc_many_heaps),
	{}
};

static int at_init(struct kunit *test)
{
	return gmm_kunit_init(test, "gmm_alloc", 0);
}

static struct kunit_suite gmm_alloc_suite = {
	.name = "gmm_alloc",
	.init = at_init,
	.exit = gmm_kunit_exit,
	.test_cases = gmm_alloc_cases,
};

kunit_test_suite(gmm_alloc_suite);
