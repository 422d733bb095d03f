// SPDX-License-Identifier: GPL-2.0
/*
 * sweep_test.c - KUnit suite "gmm_sweep": sweeping (sweep.c) and lazy
 * sweeping in the central lists (central.c) on real heaps.
 *
 * The collector is not run: each test plays its part by hand.  It
 * allocates objects of several size classes and large ones (dirtying every
 * byte), sets the mark bits of a chosen subset directly in their spans,
 * and ends the "cycle" as gc.c's mark termination does - world stopped,
 * every per-CPU cache flushed, sweepgen += 2, gmm_sweep_start().  Then it
 * sweeps, in the background sweeper's way (gmm_sweep_all()) or lazily by
 * allocating, and checks real values: which slots the next allocations
 * get (exactly the freed ones, zeroed), that marked objects are untouched,
 * that spans with nothing marked went back to the page heap, the span
 * counts, sweep_pending and the MemStats fields.
 *
 * Heaps are made with collection off (gc_percent -1), so that the heap's
 * own GC kthread never starts a cycle under the test's feet; nothing else
 * runs on them.  Allocations happen inside mutator sections with
 * migration disabled, so one per-CPU cache serves them and spans fill in
 * slot order; no KUNIT_ASSERT runs inside those sections.  Addresses are
 * compared, never printed.
 */
#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/percpu.h>
#include <linux/percpu-rwsem.h>
#include <linux/preempt.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <linux/gmm.h>
#include "gmm_kunit.h"
#include "sweep.h"

#define SW_DIRT			0xa5	/* what the tests write into objects */
#define SW_MAX_OBJS		200
#define SW_MAX_SPANS		160
#define SW_MAX_SPECS		8

/* Objects of one size, and which of them the "collector" marks. */
struct sw_spec {
	u32 size;			/* a class size or whole pages: no tail */
	unsigned int nobj;
	bool (*mark)(unsigned int i);
	bool reuse;			/* all in one span that survives */
};

struct sw_obj {
	void *p;
	unsigned int spec;
	bool marked;
};

struct sw_span {
	struct gmm_span *s;
	unsigned int spec;
	unsigned int nobj;		/* objects the test put in it */
	unsigned int nmarked;		/* of which marked */
	bool live;			/* holds a marked object */
};

/* What a scene allocated and what sweeping it must do. */
struct sw_scene {
	const struct sw_spec *specs;
	unsigned int nspecs;
	struct sw_obj obj[SW_MAX_OBJS];
	unsigned int nobj;
	struct sw_span span[SW_MAX_SPANS];
	unsigned int nspans;
	unsigned int nmarked;
	unsigned int nfreed;
	u64 marked_bytes;
	unsigned int freed_of[SW_MAX_SPECS];	/* per spec */
	unsigned int live_spans_of[SW_MAX_SPECS];
	u64 dead_span_bytes;		/* pages of spans with nothing marked */
};

static bool sw_mark_none(unsigned int i)
{
	return false;
}

static bool sw_mark_all(unsigned int i)
{
	return true;
}

static bool sw_mark_third(unsigned int i)
{
	return i % 3 == 0;
}

static bool sw_mark_three(unsigned int i)
{
	return i == 1 || i == 4 || i == 6;
}

static bool sw_mark_first4(unsigned int i)
{
	return i < 4;
}

/* Indices into sw_mixed[], for the tests that look at one of them. */
enum { SW_A, SW_B, SW_C, SW_D, SW_E, SW_L0, SW_L1, SW_L2 };

static const struct sw_spec sw_mixed[] = {
	/* A: a partial span, a third of it survives */
	[SW_A] = { 32, 100, sw_mark_third, true },
	/* B: a full span, three objects survive */
	[SW_B] = { 1024, 8, sw_mark_three, true },
	/* C: a partial span, nothing survives */
	[SW_C] = { 512, 10, sw_mark_none, false },
	/* D: two full spans, the first all live, the second all dead */
	[SW_D] = { 2048, 8, sw_mark_first4, false },
	/* E: a full two-page span, nothing survives */
	[SW_E] = { 1408, 11, sw_mark_none, false },
	/* large objects: dead, live, dead */
	[SW_L0] = { 40 * SZ_1K, 1, sw_mark_none, false },
	[SW_L1] = { 96 * SZ_1K, 1, sw_mark_all, false },
	[SW_L2] = { 64 * SZ_1K, 1, sw_mark_none, false },
};

static_assert(ARRAY_SIZE(sw_mixed) <= SW_MAX_SPECS);

static struct gmm_heap *sw_heap(struct kunit *test)
{
	return gmm_kunit_heap(test, "kunit", -1, 0);
}

static bool sw_is_dirty(const void *p, size_t size)
{
	return !memchr_inv(p, SW_DIRT, size);
}

static unsigned int sw_class(u32 size)
{
	return gmm_class_for(size, 8);
}

static unsigned int sw_spanclass(u32 size)
{
	return gmm_make_spanclass(sw_class(size), true);
}

static long sw_pending(struct gmm_heap *h)
{
	return atomic_long_read(&h->gc.sweep_pending);
}

/*
 * Allocate the objects of @specs (dirtying every byte), then mark the
 * chosen ones and work out what sweeping must do.
 */
static struct sw_scene *sw_build(struct kunit *test, struct gmm_heap *h,
				 const struct sw_spec *specs,
				 unsigned int nspecs)
{
	struct sw_scene *sc;
	unsigned int k, i, j, n = 0;
	bool failed = false;

	sc = kunit_kzalloc(test, sizeof(*sc), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sc);
	sc->specs = specs;
	sc->nspecs = nspecs;
	for (k = 0; k < nspecs; k++)
		n += specs[k].nobj;
	KUNIT_ASSERT_LE(test, n, SW_MAX_OBJS);

	migrate_disable();
	gmm_mutator_enter(h);
	for (k = 0; k < nspecs && !failed; k++) {
		for (i = 0; i < specs[k].nobj; i++) {
			struct sw_obj *o = &sc->obj[sc->nobj];

			o->p = gmm_alloc_noscan(h, specs[k].size);
			if (!o->p) {
				failed = true;
				break;
			}
			memset(o->p, SW_DIRT, specs[k].size);
			o->spec = k;
			o->marked = specs[k].mark(i);
			sc->nobj++;
		}
	}
	gmm_mutator_exit(h);
	migrate_enable();
	KUNIT_ASSERT_FALSE(test, failed);

	for (i = 0; i < sc->nobj; i++) {
		struct sw_obj *o = &sc->obj[i];
		struct gmm_span *s = gmm_span_of(o->p);
		u32 size = specs[o->spec].size;

		KUNIT_ASSERT_NOT_NULL(test, s);
		KUNIT_ASSERT_EQ(test, s->elemsize, size);
		for (j = 0; j < sc->nspans; j++)
			if (sc->span[j].s == s)
				break;
		if (j == sc->nspans) {
			KUNIT_ASSERT_LT(test, j, SW_MAX_SPANS);
			sc->span[j].s = s;
			sc->span[j].spec = o->spec;
			sc->nspans++;
		}
		sc->span[j].nobj++;
		if (o->marked) {
			set_bit(gmm_kunit_slot_of(o->p), s->mark_bits);
			sc->span[j].live = true;
			sc->span[j].nmarked++;
			sc->nmarked++;
			sc->marked_bytes += size;
		} else {
			sc->nfreed++;
			sc->freed_of[o->spec]++;
		}
	}
	for (j = 0; j < sc->nspans; j++) {
		if (sc->span[j].live)
			sc->live_spans_of[sc->span[j].spec]++;
		else
			sc->dead_span_bytes += (u64)sc->span[j].s->npages *
					       GMM_PAGE_SIZE;
	}
	return sc;
}

/*
 * End the cycle as gc.c's mark termination does: with the world stopped,
 * give every cached span back to its central list, bump sweepgen and
 * count the spans to sweep.
 */
static void sw_end_cycle(struct gmm_heap *h)
{
	int cpu;

	gmm_stw_stop(&h->gc.stw);
	for_each_possible_cpu(cpu)
		gmm_cache_flush(h, per_cpu_ptr(h->caches, cpu));
	WRITE_ONCE(h->sweepgen, h->sweepgen + 2);
	gmm_sweep_start(h);
	gmm_stw_start(&h->gc.stw);
}

/* Spans of the heap now: small ones of every class, and large ones. */
/*
 * Allocate as many objects of spec @k as sweeping freed: they must take
 * exactly the freed slots, lowest first, and come back zeroed although
 * the test dirtied them.
 */
static void sw_check_reuse(struct kunit *test, struct gmm_heap *h,
			   const struct sw_scene *sc, unsigned int k)
{
	u32 size = sc->specs[k].size;
	unsigned int n = sc->freed_of[k], i, j = 0;
	bool failed = false;
	void **got;

	got = kunit_kcalloc(test, n, sizeof(*got), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, got);
	migrate_disable();
	gmm_mutator_enter(h);
	for (i = 0; i < n; i++) {
		got[i] = gmm_alloc_noscan(h, size);
		if (!got[i])
			failed = true;
	}
	gmm_mutator_exit(h);
	migrate_enable();
	KUNIT_ASSERT_FALSE(test, failed);

	for (i = 0; i < sc->nobj; i++) {
		const struct sw_obj *o = &sc->obj[i];

		if (o->spec != k || o->marked)
			continue;
		KUNIT_ASSERT_LT(test, j, n);
		KUNIT_EXPECT_TRUE_MSG(test, got[j] == o->p,
				      "size %u: allocation %u took slot %u, not freed slot %u",
				      size, j, gmm_kunit_slot_of(got[j]), gmm_kunit_slot_of(o->p));
		KUNIT_EXPECT_TRUE_MSG(test, gmm_kunit_is_zero(got[j], size),
				      "size %u: reused slot %u is not zeroed",
				      size, gmm_kunit_slot_of(got[j]));
		j++;
	}
	KUNIT_EXPECT_EQ(test, j, n);
}

/* Marked objects were not touched, and their spans are swept. */
static void sw_check_survivors(struct kunit *test, struct gmm_heap *h,
			       const struct sw_scene *sc)
{
	unsigned int i;

	for (i = 0; i < sc->nobj; i++) {
		const struct sw_obj *o = &sc->obj[i];
		struct gmm_span *s;

		if (!o->marked)
			continue;
		s = gmm_span_of(o->p);
		KUNIT_ASSERT_NOT_NULL(test, s);
		KUNIT_EXPECT_TRUE_MSG(test, sw_is_dirty(o->p, sc->specs[o->spec].size),
				      "size %u: live slot %u was changed",
				      sc->specs[o->spec].size, gmm_kunit_slot_of(o->p));
		KUNIT_EXPECT_EQ(test, s->sweepgen, READ_ONCE(h->sweepgen));
		KUNIT_EXPECT_TRUE(test, bitmap_empty(s->mark_bits, s->nelems));
		if (s->state == GMM_SPAN_SMALL)
			KUNIT_EXPECT_TRUE(test, test_bit(gmm_kunit_slot_of(o->p), s->alloc_bits));
	}
}

/* The background sweeper frees exactly the unmarked objects and spans. */
static void sweep_all_frees_unmarked(struct kunit *test)
{
	struct gmm_heap *h = sw_heap(test);
	const struct gmm_memstats *st;
	u64 frees0, mallocs0, inuse0;
	struct sw_scene *sc;
	unsigned int j, k;

	sc = sw_build(test, h, sw_mixed, ARRAY_SIZE(sw_mixed));
	/* A 1, B 1, C 1, D 2, E 1 small spans; 3 large ones. */
	KUNIT_ASSERT_EQ(test, sc->nspans, 9U);
	KUNIT_ASSERT_EQ(test, sc->nmarked, 34U + 3 + 4 + 1);
	st = gmm_kunit_stats(test, h);
	frees0 = st->frees;
	mallocs0 = st->mallocs;
	inuse0 = st->heap_inuse;
	KUNIT_EXPECT_EQ(test, st->heap_objects, (u64)sc->nobj);

	sw_end_cycle(h);
	KUNIT_EXPECT_EQ(test, sw_pending(h), 9L);
	for (j = 0; j < sc->nspans; j++)
		KUNIT_EXPECT_EQ(test, sc->span[j].s->sweepgen,
				READ_ONCE(h->sweepgen) - 2);

	KUNIT_EXPECT_EQ(test, gmm_sweep_all(h), 9UL);
	KUNIT_EXPECT_EQ(test, sw_pending(h), 0L);
	/* A second pass has nothing left to do. */
	KUNIT_EXPECT_EQ(test, gmm_sweep_all(h), 0UL);

	st = gmm_kunit_stats(test, h);
	KUNIT_EXPECT_EQ(test, st->frees - frees0, (u64)sc->nfreed);
	KUNIT_EXPECT_EQ(test, st->mallocs, mallocs0);
	KUNIT_EXPECT_EQ(test, st->heap_objects, (u64)sc->nmarked);
	KUNIT_EXPECT_EQ(test, st->heap_alloc, sc->marked_bytes);
	KUNIT_EXPECT_EQ(test, st->heap_inuse, inuse0 - sc->dead_span_bytes);
	KUNIT_EXPECT_EQ(test, st->large_objects, 1ULL);
	KUNIT_EXPECT_EQ(test, st->by_size[0].spans, 1ULL);
	KUNIT_EXPECT_EQ(test, st->by_size[0].frees, 2ULL);
	for (k = SW_A; k <= SW_E; k++) {
		unsigned int c = sw_class(sw_mixed[k].size);

		KUNIT_EXPECT_EQ_MSG(test, st->by_size[c].frees,
				    (u64)sc->freed_of[k], "size %u", sw_mixed[k].size);
		KUNIT_EXPECT_EQ_MSG(test, st->by_size[c].spans,
				    (u64)sc->live_spans_of[k], "size %u", sw_mixed[k].size);
		KUNIT_EXPECT_EQ(test, h->central[sw_spanclass(sw_mixed[k].size)].nr_spans,
				(unsigned long)sc->live_spans_of[k]);
	}
	KUNIT_EXPECT_EQ(test, gmm_kunit_spans(h), 4UL);	/* A, B, D's first, L1 */

	/* The survivors' spans: new alloc state, fresh marks. */
	sw_check_survivors(test, h, sc);
	for (j = 0; j < sc->nspans; j++) {
		struct gmm_span *s = sc->span[j].s;

		if (!sc->span[j].live || s->state == GMM_SPAN_LARGE)
			continue;
		KUNIT_EXPECT_EQ(test, s->freeindex, 0);
		KUNIT_EXPECT_EQ(test, s->alloc_count, sc->span[j].nmarked);
		KUNIT_EXPECT_EQ(test, s->alloc_count,
				bitmap_weight(s->alloc_bits, s->nelems));
		/* Slots to clear on reuse only where something was freed. */
		if (sc->span[j].nmarked < sc->span[j].nobj)
			KUNIT_EXPECT_EQ(test, s->needzero, 1);
	}

	/* The next allocations take the freed slots back, zeroed. */
	for (k = 0; k < ARRAY_SIZE(sw_mixed); k++)
		if (sw_mixed[k].reuse)
			sw_check_reuse(test, h, sc, k);
	sw_check_survivors(test, h, sc);
	st = gmm_kunit_stats(test, h);
	KUNIT_EXPECT_EQ(test, st->frees - frees0, (u64)sc->nfreed);
	KUNIT_EXPECT_EQ(test, st->heap_objects, (u64)sc->nmarked +
			sc->freed_of[SW_A] + sc->freed_of[SW_B]);
}

/* A cycle with nothing marked empties the heap; the lists swap halves. */
static void sweep_second_cycle_frees_all(struct kunit *test)
{
	struct gmm_heap *h = sw_heap(test);
	const struct gmm_memstats *st;
	unsigned long spans;
	struct sw_scene *sc;

	sc = sw_build(test, h, sw_mixed, ARRAY_SIZE(sw_mixed));
	sw_end_cycle(h);
	KUNIT_EXPECT_EQ(test, gmm_sweep_all(h), (unsigned long)sc->nspans);
	sw_check_reuse(test, h, sc, SW_A);
	sw_check_reuse(test, h, sc, SW_B);

	/* Cycle 2: nothing is reachable any more. */
	spans = gmm_kunit_spans(h);
	KUNIT_EXPECT_EQ(test, spans, 4UL);
	sw_end_cycle(h);
	KUNIT_EXPECT_EQ(test, sw_pending(h), (long)spans);
	KUNIT_EXPECT_EQ(test, gmm_sweep_all(h), spans);
	KUNIT_EXPECT_EQ(test, sw_pending(h), 0L);
	KUNIT_EXPECT_EQ(test, gmm_kunit_spans(h), 0UL);

	st = gmm_kunit_stats(test, h);
	KUNIT_EXPECT_EQ(test, st->heap_objects, 0ULL);
	KUNIT_EXPECT_EQ(test, st->heap_alloc, 0ULL);
	KUNIT_EXPECT_EQ(test, st->heap_inuse, 0ULL);
	KUNIT_EXPECT_EQ(test, st->frees, st->mallocs);
	KUNIT_EXPECT_EQ(test, st->large_objects, 0ULL);
}

/* Without the background sweeper, allocation sweeps what it needs. */
static void sweep_lazy_on_allocation(struct kunit *test)
{
	struct gmm_heap *h = sw_heap(test);
	const struct gmm_memstats *st;
	unsigned int cc = sw_class(sw_mixed[SW_C].size);
	unsigned int cd = sw_class(sw_mixed[SW_D].size);
	struct sw_scene *sc;
	u64 frees0, inuse;
	bool failed = false;
	void *p, *q;
	unsigned int j;
	u32 sg;

	sc = sw_build(test, h, sw_mixed, ARRAY_SIZE(sw_mixed));
	frees0 = gmm_kunit_stats(test, h)->frees;
	sw_end_cycle(h);
	sg = READ_ONCE(h->sweepgen);
	KUNIT_EXPECT_EQ(test, sw_pending(h), 9L);

	/* A: its partial span is swept on demand, its freed slots reused. */
	sw_check_reuse(test, h, sc, SW_A);
	KUNIT_EXPECT_EQ(test, sw_pending(h), 8L);
	KUNIT_EXPECT_EQ(test, gmm_span_of(sc->obj[0].p)->sweepgen, sg);
	/* Nothing else was swept meanwhile. */
	for (j = 0; j < sc->nspans; j++)
		if (sc->span[j].spec != SW_A)
			KUNIT_EXPECT_EQ(test, sc->span[j].s->sweepgen, sg - 2);

	/* B: a span from the unswept full list has room after sweeping. */
	sw_check_reuse(test, h, sc, SW_B);
	KUNIT_EXPECT_EQ(test, sw_pending(h), 7L);

	/*
	 * C: its only span had nothing marked; sweeping frees it and the
	 * class grows a new one.  D: one dead span is freed, the live one
	 * stays full (swept full list), then the class grows.
	 */
	inuse = gmm_kunit_stats(test, h)->heap_inuse;
	migrate_disable();
	gmm_mutator_enter(h);
	p = gmm_alloc_noscan(h, sw_mixed[SW_C].size);
	q = gmm_alloc_noscan(h, sw_mixed[SW_D].size);
	failed = !p || !q;
	gmm_mutator_exit(h);
	migrate_enable();
	KUNIT_ASSERT_FALSE(test, failed);
	KUNIT_EXPECT_EQ(test, sw_pending(h), 4L);
	KUNIT_EXPECT_TRUE(test, gmm_kunit_is_zero(p, sw_mixed[SW_C].size));
	KUNIT_EXPECT_TRUE(test, gmm_kunit_is_zero(q, sw_mixed[SW_D].size));
	KUNIT_EXPECT_EQ(test, h->central[sw_spanclass(sw_mixed[SW_C].size)].nr_spans, 1UL);
	KUNIT_EXPECT_EQ(test, h->central[sw_spanclass(sw_mixed[SW_D].size)].nr_spans, 2UL);
	st = gmm_kunit_stats(test, h);
	KUNIT_EXPECT_EQ(test, st->by_size[cc].frees, 10ULL);
	KUNIT_EXPECT_EQ(test, st->by_size[cd].frees, 4ULL);
	/* Freed one page each, grew one page each. */
	KUNIT_EXPECT_EQ(test, st->heap_inuse, inuse);

	/* The background sweeper finds E and the large objects left. */
	KUNIT_EXPECT_EQ(test, gmm_sweep_all(h), 4UL);
	KUNIT_EXPECT_EQ(test, sw_pending(h), 0L);
	sw_check_survivors(test, h, sc);
	st = gmm_kunit_stats(test, h);
	KUNIT_EXPECT_EQ(test, st->frees - frees0, (u64)sc->nfreed);
	KUNIT_EXPECT_EQ(test, st->heap_objects, (u64)sc->nmarked +
			sc->freed_of[SW_A] + sc->freed_of[SW_B] + 2);
	KUNIT_EXPECT_EQ(test, st->heap_alloc, sc->marked_bytes +
			(u64)sc->freed_of[SW_A] * sw_mixed[SW_A].size +
			(u64)sc->freed_of[SW_B] * sw_mixed[SW_B].size +
			sw_mixed[SW_C].size + sw_mixed[SW_D].size);
}

static const struct sw_spec sw_live_pages[] = {
	{ 8192, 120, sw_mark_all, false },	/* one object per span */
};

/* Lazy sweeping gives up after 100 spans and grows the class instead. */
static void sweep_lazy_budget(struct kunit *test)
{
	struct gmm_heap *h = sw_heap(test);
	unsigned int spc = sw_spanclass(8192), j, swept = 0;
	struct sw_scene *sc;
	struct gmm_span *s;
	bool fresh = true;
	u64 frees0;
	void *p;
	u32 sg;

	sc = sw_build(test, h, sw_live_pages, ARRAY_SIZE(sw_live_pages));
	KUNIT_ASSERT_EQ(test, sc->nspans, 120U);
	frees0 = gmm_kunit_stats(test, h)->frees;
	sw_end_cycle(h);
	sg = READ_ONCE(h->sweepgen);
	KUNIT_EXPECT_EQ(test, sw_pending(h), 120L);

	gmm_mutator_enter(h);
	p = gmm_alloc_noscan(h, 8192);
	gmm_mutator_exit(h);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, sw_pending(h), 20L);
	KUNIT_EXPECT_EQ(test, h->central[spc].nr_spans, 121UL);
	s = gmm_span_of(p);
	for (j = 0; j < sc->nspans; j++) {
		if (sc->span[j].s == s)
			fresh = false;
		if (sc->span[j].s->sweepgen == sg)
			swept++;
	}
	KUNIT_EXPECT_TRUE(test, fresh);
	KUNIT_EXPECT_EQ(test, swept, 100U);

	KUNIT_EXPECT_EQ(test, gmm_sweep_all(h), 20UL);
	KUNIT_EXPECT_EQ(test, sw_pending(h), 0L);
	KUNIT_EXPECT_EQ(test, gmm_kunit_stats(test, h)->frees, frees0);
	KUNIT_EXPECT_EQ(test, gmm_kunit_stats(test, h)->heap_objects, 121ULL);
	sw_check_survivors(test, h, sc);
}

static struct kunit_case gmm_sweep_cases[] = {
	KUNIT_CASE(sweep_all_frees_unmarked),
	KUNIT_CASE(sweep_second_cycle_frees_all),
	KUNIT_CASE(sweep_lazy_on_allocation),
	KUNIT_CASE(sweep_lazy_budget),
	{}
};

static int sw_init(struct kunit *test)
{
	return gmm_kunit_init(test, "gmm_sweep", 0);
}

static struct kunit_suite gmm_sweep_suite = {
	.name = "gmm_sweep",
	.init = sw_init,
	.exit = gmm_kunit_exit,
	.test_cases = gmm_sweep_cases,
};

kunit_test_suite(gmm_sweep_suite);
