// SPDX-License-Identifier: GPL-2.0
/*
 * alloc_test.c - KUnit suites "gmm_alloc" and "gmm_alloc_stress": the
 * allocator (malloc.c, cache.c, central.c, span.c, type.c, stats.c) on
 * real heaps.
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
 * disabled, and no KUNIT_ASSERT runs inside those sections.  The concurrent
 * and CPU hotplug tests use kthreads bound to CPUs.
 *
 * Addresses are compared inside the tests and never printed: failures show
 * offsets, slot indices and counts.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/fault-inject.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include <linux/gmm.h>
#include "fault.h"
#include "gmm_kunit.h"
#include "heap.h"
#include "internal.h"

/*
 * Allocation happens inside mutator sections (gmm.h).  These heaps never
 * collect (gc_percent -1), so each call gets a section of its own and the
 * tests may keep pointers across sections.
 */
static void *at_sec_alloc(struct gmm_heap *h, const struct gmm_type *t)
{
	void *p;

	gmm_mutator_enter(h);
	p = gmm_alloc(h, t);
	gmm_mutator_exit(h);
	return p;
}

static void *at_sec_alloc_array(struct gmm_heap *h, const struct gmm_type *t,
				size_t n)
{
	void *p;

	gmm_mutator_enter(h);
	p = gmm_alloc_array(h, t, n);
	gmm_mutator_exit(h);
	return p;
}

static void *at_sec_alloc_noscan(struct gmm_heap *h, size_t size)
{
	void *p;

	gmm_mutator_enter(h);
	p = gmm_alloc_noscan(h, size);
	gmm_mutator_exit(h);
	return p;
}

#define gmm_alloc(h, t)			at_sec_alloc(h, t)
#define gmm_alloc_array(h, t, n)	at_sec_alloc_array(h, t, n)
#define gmm_alloc_noscan(h, size)	at_sec_alloc_noscan(h, size)

#define AT_MAX_HEAPS		8
/* Bytes of a preferred (4 MiB) arena. */
#define AT_ARENA_BYTES		((u64)PAGE_SIZE << GMM_ARENA_ORDER)

/* The largest scan type the tests register (bytes). */
#define AT_MAX_SCAN_SIZE	40000
/*
 * A pointer map with word 0 a pointer, long enough for every scan type of
 * the tests: gmm_type_register() reads one bit per word of the object.
 */
static const unsigned long at_one_ptr[BITS_TO_LONGS(AT_MAX_SCAN_SIZE / 8)] = { 1 };

struct at_fixture {
	struct gmm_heap *heaps[AT_MAX_HEAPS];
	unsigned long baseline;		/* gmm_pageheap_total_pages() at start */
	unsigned long saved_mb;		/* max_total_mb at start */
	struct gmm_memstats st;		/* scratch for at_stats() */
#ifdef CONFIG_FAULT_INJECTION
	struct gmm_kunit_fault_saved faults[GMM_FAIL_NR];
#endif
};

#ifdef CONFIG_FAULT_INJECTION
/*
 * Make the next @times calls at @site fail, after letting the first calls
 * through while they use up @space (one unit per call), quietly: verbose 0,
 * or the kernel prints a stack trace.
 */
static void at_fault_set(enum gmm_fault_site site, int times, int space)
{
	struct fault_attr *a = &gmm_fault_attrs[site];

	a->verbose = 0;
	a->task_filter = false;
	a->interval = 1;
	atomic_set(&a->space, space);
	atomic_set(&a->times, times);
	a->probability = 100;
}

static void at_fault_clear(enum gmm_fault_site site)
{
	gmm_fault_attrs[site].probability = 0;
}

static int at_fault_times(enum gmm_fault_site site)
{
	return atomic_read(&gmm_fault_attrs[site].times);
}
#endif

static int at_test_init(struct kunit *test)
{
	struct at_fixture *f;
#ifdef CONFIG_FAULT_INJECTION
	int i;
#endif

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	test->priv = f;
#ifdef CONFIG_FAULT_INJECTION
	for (i = 0; i < GMM_FAIL_NR; i++)
		gmm_kunit_fault_save(&f->faults[i], &gmm_fault_attrs[i]);
#endif
	f->saved_mb = gmm_pageheap_set_max_total_mb(0);
	gmm_pageheap_set_max_total_mb(f->saved_mb);
	f->baseline = gmm_pageheap_total_pages();
	return 0;
}

static void at_test_exit(struct kunit *test)
{
	struct at_fixture *f = test->priv;
	unsigned int i;

	if (!f)
		return;
#ifdef CONFIG_FAULT_INJECTION
	for (i = 0; i < GMM_FAIL_NR; i++)
		gmm_kunit_fault_restore(&f->faults[i], &gmm_fault_attrs[i]);
#endif
	gmm_pageheap_set_max_total_mb(f->saved_mb);
	for (i = 0; i < AT_MAX_HEAPS; i++) {
		gmm_heap_destroy(f->heaps[i]);
		f->heaps[i] = NULL;
	}
	/* Destroying the heaps gave every page back. */
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(), f->baseline);
}

/* A heap of the fixture with a per-heap limit (0: the default). */
static struct gmm_heap *at_heap_limit(struct kunit *test, u64 limit)
{
	struct at_fixture *f = test->priv;
	struct gmm_heap_params params = {
		.name = "kunit",
		.limit_bytes = limit,
		.gc_percent = -1,
	};
	struct gmm_heap *h;
	unsigned int i = 0;

	while (i < AT_MAX_HEAPS && f->heaps[i])
		i++;
	KUNIT_ASSERT_LT(test, i, AT_MAX_HEAPS);
	h = gmm_heap_create(&params);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, h);
	f->heaps[i] = h;
	KUNIT_EXPECT_STREQ(test, gmm_heap_name(h), "kunit");
	return h;
}

static struct gmm_heap *at_heap(struct kunit *test)
{
	return at_heap_limit(test, 0);
}

static void at_heap_destroy(struct kunit *test, struct gmm_heap *h)
{
	struct at_fixture *f = test->priv;
	unsigned int i;

	for (i = 0; i < AT_MAX_HEAPS; i++)
		if (f->heaps[i] == h)
			f->heaps[i] = NULL;
	gmm_heap_destroy(h);
}

static const struct gmm_memstats *at_stats(struct kunit *test,
					   struct gmm_heap *h)
{
	struct at_fixture *f = test->priv;

	gmm_heap_read_stats(h, &f->st);
	return &f->st;
}

static const struct gmm_type *at_type(struct kunit *test, struct gmm_heap *h,
				      size_t size, size_t align,
				      const unsigned long *ptrmap)
{
	const struct gmm_type *t;

	t = gmm_type_register(h, "kunit", size, align, ptrmap);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t);
	return t;
}

static void *at_alloc(struct gmm_heap *h, const struct gmm_type *t,
		      size_t size)
{
	return t ? gmm_alloc(h, t) : gmm_alloc_noscan(h, size);
}

static bool at_is_zero(const void *p, size_t size)
{
	return !memchr_inv(p, 0, size);
}

/* Byte offset of @p in its span. */
static unsigned long at_span_off(const void *p)
{
	return (unsigned long)p - gmm_span_of(p)->base;
}

/*
 * Checks that hold for any heap that has freed nothing: every page in use
 * belongs to a span the central lists count or to a large object, objects
 * fit in the spans of their class, and the MemStats sums agree.
 */
static void at_expect_consistent(struct kunit *test, struct gmm_heap *h)
{
	const struct gmm_memstats *st = at_stats(test, h);
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

/* What the central list and the per-CPU caches hold of one span class. */
struct at_central_view {
	unsigned long nr_spans;		/* central->nr_spans */
	unsigned long nr_cached;	/* central->nr_cached */
	unsigned long partial;		/* spans on the partial lists */
	unsigned long full;		/* spans on the full lists */
	unsigned long cached;		/* spans in per-CPU caches */
	unsigned long objects;		/* sum of alloc_count */
	unsigned long misplaced;	/* wrong class, or full on partial ... */
};

/* Only while nobody allocates from @h. */
static void at_central_view(struct gmm_heap *h, unsigned int spc,
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
static void at_expect_central_sane(struct kunit *test, struct gmm_heap *h,
				   unsigned int spc, struct at_central_view *v)
{
	at_central_view(h, spc, v);
	KUNIT_EXPECT_EQ_MSG(test, v->nr_cached, v->cached, "span class %u", spc);
	KUNIT_EXPECT_EQ_MSG(test, v->partial + v->full + v->cached, v->nr_spans,
			    "span class %u", spc);
	KUNIT_EXPECT_EQ_MSG(test, v->misplaced, 0UL, "span class %u", spc);
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
		if (!at_is_zero(p, prm->size))
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
	KUNIT_EXPECT_TRUE(test, at_is_zero(extra, prm->size));

	/* The full span is on the central list, the new one in the cache. */
	at_expect_central_sane(test, h, s->spanclass, &v);
	KUNIT_EXPECT_EQ(test, v.nr_spans, 2UL);
	KUNIT_EXPECT_EQ(test, v.nr_cached, 1UL);
	KUNIT_EXPECT_EQ(test, v.full, 1UL);
	KUNIT_EXPECT_EQ(test, v.partial, 0UL);
	KUNIT_EXPECT_EQ(test, v.objects, (unsigned long)nelems + 1);

	st = at_stats(test, h);
	KUNIT_EXPECT_EQ(test, st->mallocs, (u64)nelems + 1);
	KUNIT_EXPECT_EQ(test, st->by_size[sc].mallocs, (u64)nelems + 1);
	KUNIT_EXPECT_EQ(test, st->by_size[sc].spans, 2ULL);
	KUNIT_EXPECT_EQ(test, st->tiny_allocs, 0ULL);
	at_expect_consistent(test, h);
}

/*
 * 3. The tiny allocator: noscan objects under 16 bytes packed into 16-byte
 * blocks, each aligned by its size as in Go.
 */
static unsigned int at_tiny_align(size_t size)
{
	if (size % 8 == 0)
		return 8;
	if (size % 4 == 0)
		return 4;
	if (size % 2 == 0)
		return 2;
	return 1;
}

static void alloc_tiny_one_then_eight(struct kunit *test)
{
	struct gmm_heap *h = at_heap(test);
	const struct gmm_memstats *st;
	void *a, *b;

	migrate_disable();
	a = gmm_alloc_noscan(h, 1);
	b = gmm_alloc_noscan(h, 8);
	migrate_enable();
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);

	/* One block: offsets 0 and 8. */
	KUNIT_EXPECT_EQ(test, at_span_off(a) % GMM_TINY_SIZE, 0UL);
	KUNIT_EXPECT_EQ(test, at_span_off(b), at_span_off(a) + 8);
	KUNIT_EXPECT_TRUE(test, gmm_span_of(a) == gmm_span_of(b));
	KUNIT_EXPECT_EQ(test, gmm_span_of(a)->spanclass, GMM_TINY_SPANCLASS);
	KUNIT_EXPECT_TRUE(test, at_is_zero(a, GMM_TINY_SIZE));

	st = at_stats(test, h);
	KUNIT_EXPECT_EQ(test, st->tiny_allocs, 1ULL);
	KUNIT_EXPECT_EQ(test, st->mallocs, 2ULL);
	KUNIT_EXPECT_EQ(test, st->heap_objects, 1ULL);	/* the block */
	KUNIT_EXPECT_EQ(test, st->by_size[2].mallocs, 1ULL);
	KUNIT_EXPECT_EQ(test, st->total_alloc, (u64)GMM_TINY_SIZE);
	at_expect_consistent(test, h);
}

/* The most allocations alloc_tiny_every_size makes: 15 x (2 + 14). */
#define AT_TINY_MAX	240

/* Where the tiny test expects an allocation, and what it got. */
struct at_tiny_rec {
	unsigned long addr;
	u8 size;
	bool nonzero;
};

static void at_tiny_take(struct gmm_heap *h, struct at_tiny_rec *r,
			 unsigned int *n, size_t size)
{
	void *p = gmm_alloc_noscan(h, size);

	if (*n >= AT_TINY_MAX)
		return;
	r[*n].addr = (unsigned long)p;
	r[*n].size = size;
	if (p) {
		r[*n].nonzero = !at_is_zero(p, size);
		/* Dirty it: a later object overlapping it would not be 0. */
		memset(p, 0xff, size);
	}
	(*n)++;
}

/*
 * For every size 1..15: a 1-byte object opens a new block (the previous
 * one is full), the sized object follows at the next offset its alignment
 * allows, and 1-byte fillers fill the block up to 16 bytes.
 */
static void alloc_tiny_every_size(struct kunit *test)
{
	unsigned int s, k, n = 0, nfill = 0, bad = 0, first_bad = 0;
	struct gmm_heap *h = at_heap(test);
	const struct gmm_memstats *st;
	unsigned long block, lead0;
	struct at_tiny_rec *r;

	r = kunit_kcalloc(test, AT_TINY_MAX, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);

	migrate_disable();
	for (s = 1; s < GMM_TINY_SIZE; s++) {
		unsigned int end = ALIGN(1, at_tiny_align(s)) + s;

		at_tiny_take(h, r, &n, 1);
		at_tiny_take(h, r, &n, s);
		for (k = end; k < GMM_TINY_SIZE; k++)
			at_tiny_take(h, r, &n, 1);
	}
	migrate_enable();

	for (k = 0; k < n; k++)
		KUNIT_ASSERT_TRUE_MSG(test, r[k].addr, "allocation %u failed", k);
	lead0 = r[0].addr;
	KUNIT_EXPECT_EQ(test, at_span_off((void *)lead0) % GMM_TINY_SIZE, 0UL);

	/* Replay the sequence against the expected layout. */
	k = 0;
	for (s = 1; s < GMM_TINY_SIZE; s++) {
		unsigned int a = at_tiny_align(s), off = ALIGN(1, a), end = off + s;
		unsigned int o;

		/* Blocks are consecutive slots of the one tiny span. */
		block = r[k].addr;
		if (block != lead0 + (s - 1) * GMM_TINY_SIZE) {
			bad++;
			first_bad = first_bad ?: s;
		}
		k++;
		if (r[k].addr != block + off || r[k].addr % a) {
			bad++;
			first_bad = first_bad ?: s;
		}
		k++;
		for (o = end; o < GMM_TINY_SIZE; o++, k++, nfill++) {
			if (r[k].addr != block + o) {
				bad++;
				first_bad = first_bad ?: s;
			}
		}
	}
	KUNIT_EXPECT_EQ_MSG(test, bad, 0U, "first wrong layout at size %u",
			    first_bad);
	KUNIT_EXPECT_EQ(test, k, n);
	for (k = 0, bad = 0; k < n; k++)
		bad += r[k].nonzero;
	KUNIT_EXPECT_EQ(test, bad, 0U);
	KUNIT_EXPECT_TRUE(test, gmm_span_of((void *)lead0) ==
			  gmm_span_of((void *)r[n - 1].addr));

	/* 15 blocks; everything else was placed inside a block. */
	st = at_stats(test, h);
	KUNIT_EXPECT_EQ(test, st->by_size[2].mallocs, 15ULL);
	KUNIT_EXPECT_EQ(test, st->tiny_allocs, (u64)(15 + nfill));
	KUNIT_EXPECT_EQ(test, st->mallocs, (u64)n);
	KUNIT_EXPECT_EQ(test, st->heap_objects, 15ULL);
	at_expect_consistent(test, h);
}

/*
 * Go keeps whichever block has more room: a 12-byte object that does not
 * fit next to an 8-byte one gets a new block, but the old block (8 bytes
 * free) stays current, so the next 8-byte object lands in it.
 */
static void alloc_tiny_keeps_roomier_block(struct kunit *test)
{
	struct gmm_heap *h = at_heap(test);
	void *a, *b, *c, *d, *e, *z;

	migrate_disable();
	a = gmm_alloc_noscan(h, 8);	/* block A, offset 0 */
	b = gmm_alloc_noscan(h, 12);	/* no room in A: block B, A stays */
	c = gmm_alloc_noscan(h, 8);	/* A + 8 */
	d = gmm_alloc_noscan(h, 4);	/* A full: block D, becomes current */
	e = gmm_alloc_noscan(h, 4);	/* D + 4 */
	z = gmm_alloc_noscan(h, 0);	/* treated as 1 byte: D + 8 */
	migrate_enable();
	KUNIT_ASSERT_TRUE(test, a && b && c && d && e && z);

	KUNIT_EXPECT_EQ(test, at_span_off(a) % GMM_TINY_SIZE, 0UL);
	KUNIT_EXPECT_EQ(test, at_span_off(b), at_span_off(a) + GMM_TINY_SIZE);
	KUNIT_EXPECT_EQ(test, at_span_off(c), at_span_off(a) + 8);
	KUNIT_EXPECT_EQ(test, at_span_off(d), at_span_off(b) + GMM_TINY_SIZE);
	KUNIT_EXPECT_EQ(test, at_span_off(e), at_span_off(d) + 4);
	KUNIT_EXPECT_EQ(test, at_span_off(z), at_span_off(d) + 8);
	KUNIT_EXPECT_TRUE(test, at_is_zero(a, 3 * GMM_TINY_SIZE));

	KUNIT_EXPECT_EQ(test, at_stats(test, h)->tiny_allocs, 3ULL);
	KUNIT_EXPECT_EQ(test, at_stats(test, h)->by_size[2].mallocs, 3ULL);
	at_expect_consistent(test, h);
}

/* 4. Large objects: a span each, page aligned, zeroed. */
static void at_check_large(struct kunit *test, void *p, size_t size,
			   bool noscan)
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
	KUNIT_EXPECT_TRUE(test, at_is_zero(p, size));
}

static void alloc_large_objects(struct kunit *test)
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

	st = at_stats(test, h);
	KUNIT_EXPECT_EQ(test, st->large_objects, 5ULL);
	KUNIT_EXPECT_EQ(test, st->by_size[0].mallocs, 5ULL);
	KUNIT_EXPECT_EQ(test, st->by_size[0].spans, 5ULL);
	KUNIT_EXPECT_EQ(test, st->mallocs, 5ULL);
	KUNIT_EXPECT_EQ(test, st->total_alloc, bytes);
	KUNIT_EXPECT_EQ(test, st->heap_inuse, bytes);
	at_expect_consistent(test, h);
}

/* 5. Typed allocation. */
static void alloc_scan_noscan_apart(struct kunit *test)
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
			KUNIT_EXPECT_TRUE(test, at_is_zero(pn, sizes[i]));
			KUNIT_EXPECT_TRUE(test, at_is_zero(ps, sizes[i]));
			if (ss->slot_types)
				KUNIT_EXPECT_EQ(test,
						(u32)ss->slot_types[at_span_off(ps) / ss->elemsize],
						ts->id);
		}
	}
	at_expect_consistent(test, h);
}

/* gmm_class_for(): the smallest class whose size is a multiple of align. */
static void alloc_class_for(struct kunit *test)
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
static void alloc_alignment(struct kunit *test)
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
				if (!at_is_zero(p, sizes[j]))
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
			if (!at_is_zero(p, 3 * sizes[j]))
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

static void alloc_type_register_checks(struct kunit *test)
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

static void alloc_array_bounds(struct kunit *test)
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
	KUNIT_EXPECT_EQ(test, at_stats(test, h)->mallocs, 0ULL);

	/* Exactly the largest object is fine. */
	ts = at_type(test, h, 16, 0, at_one_ptr);
	p = gmm_alloc_array(h, ts, GMM_MAX_ALLOC_SIZE / 16);
	KUNIT_ASSERT_NOT_NULL(test, p);
	s = gmm_span_of(p);
	KUNIT_EXPECT_EQ(test, (int)s->state, GMM_SPAN_LARGE);
	KUNIT_EXPECT_EQ(test, s->npages, (u32)(GMM_MAX_ALLOC_SIZE / GMM_PAGE_SIZE));
	KUNIT_EXPECT_TRUE(test, s->large_type == ts);
	KUNIT_EXPECT_TRUE(test, at_is_zero(p, GMM_PAGE_SIZE));
	KUNIT_EXPECT_TRUE(test, at_is_zero(p + GMM_MAX_ALLOC_SIZE - GMM_PAGE_SIZE,
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
		KUNIT_EXPECT_TRUE(test, at_is_zero(p, 16 * i));
	}
	KUNIT_EXPECT_EQ(test, at_stats(test, h)->mallocs, 5ULL);
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
	KUNIT_EXPECT_TRUE(test, at_is_zero(p1, 64));
	KUNIT_EXPECT_EQ(test, at_span_off(q1), next_scan - gmm_span_of(q0)->base);
	KUNIT_EXPECT_TRUE(test, at_is_zero(q1, 64));
	KUNIT_EXPECT_EQ(test, (u32)gmm_span_of(q1)->slot_types[1], ts->id);
	KUNIT_EXPECT_EQ(test, at_span_off(t2), next_block - gmm_span_of(t0)->base);
	KUNIT_EXPECT_EQ(test, at_span_off(t3), at_span_off(t2) + 8);
	KUNIT_EXPECT_TRUE(test, at_is_zero(t2, GMM_TINY_SIZE));
	at_expect_consistent(test, h);
}

/*
 * 6. Arena growth and return: 32 KiB objects (a 4-page span each) until a
 * second arena is needed; destroying the heap returns every page.
 */
static void alloc_arena_growth(struct kunit *test)
{
	struct at_fixture *f = test->priv;
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

	st = at_stats(test, h);
	KUNIT_EXPECT_EQ(test, st->heap_sys, ps.sys_bytes);
	KUNIT_EXPECT_GT(test, st->heap_sys, AT_ARENA_BYTES);
	KUNIT_EXPECT_EQ(test, st->heap_inuse, (u64)n * SZ_32K);
	KUNIT_EXPECT_EQ(test, st->by_size[sc].mallocs, (u64)n);
	KUNIT_EXPECT_EQ(test, st->by_size[sc].spans, (u64)n);
	at_expect_consistent(test, h);

	at_heap_destroy(test, h);
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
static void alloc_heap_limit(struct kunit *test)
{
	const unsigned int sc = gmm_size_to_class(SZ_1K);
	const u64 limit = SZ_1M;
	const unsigned int most = (limit / GMM_PAGE_SIZE - 1) *
				  gmm_class_to_nelems[sc];
	struct at_fixture *f = test->priv;
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
		if (!at_is_zero(p, SZ_1K))
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

	st = at_stats(test, h);
	KUNIT_EXPECT_EQ(test, st->heap_sys, ps.sys_bytes);
	KUNIT_EXPECT_LE(test, st->heap_inuse, st->heap_sys);
	KUNIT_EXPECT_EQ(test, st->mallocs, (u64)n + 2);
	KUNIT_EXPECT_EQ(test, st->by_size[sc].mallocs, (u64)n);
	at_expect_consistent(test, h);

	gmm_gc_hold_release(h, false);
	at_heap_destroy(test, h);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(), f->baseline);
}

/* The module-wide limit: room for less than 3 MiB more than the baseline. */
static void alloc_module_limit(struct kunit *test)
{
	struct at_fixture *f = test->priv;
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
	KUNIT_EXPECT_EQ(test, at_stats(test, h)->by_size[gmm_size_to_class(SZ_32K)].mallocs,
			(u64)n);
	at_expect_consistent(test, h);

	/* Lifting the limit lets the heap grow again. */
	gmm_pageheap_set_max_total_mb(f->saved_mb);
	p = gmm_alloc_noscan(h, SZ_32K);
	KUNIT_EXPECT_NOT_NULL(test, p);
	at_expect_consistent(test, h);
	at_heap_destroy(test, h);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(), f->baseline);
}

/* 8. Fault injection at every call site. */
#ifdef CONFIG_FAULT_INJECTION
static void alloc_fault_span_meta(struct kunit *test)
{
	struct gmm_heap *h = at_heap(test);
	const struct gmm_memstats *st;
	void *p;

	/* Small: the first allocation of a class needs a span. */
	at_fault_set(GMM_FAIL_SPAN_META, 1, 0);
	KUNIT_EXPECT_NULL(test, gmm_alloc_noscan(h, 64));
	KUNIT_EXPECT_EQ(test, at_fault_times(GMM_FAIL_SPAN_META), 0);
	st = at_stats(test, h);
	KUNIT_EXPECT_EQ(test, st->mallocs, 0ULL);
	KUNIT_EXPECT_EQ(test, st->heap_sys, 0ULL);
	KUNIT_EXPECT_EQ(test, st->by_size[gmm_size_to_class(64)].spans, 0ULL);
	p = gmm_alloc_noscan(h, 64);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, at_span_off(p), 0UL);

	/* Large: every object has a span descriptor. */
	at_fault_set(GMM_FAIL_SPAN_META, 1, 0);
	KUNIT_EXPECT_NULL(test, gmm_alloc_noscan(h, SZ_64K));
	KUNIT_EXPECT_EQ(test, at_stats(test, h)->large_objects, 0ULL);
	p = gmm_alloc_noscan(h, SZ_64K);
	KUNIT_ASSERT_NOT_NULL(test, p);
	at_check_large(test, p, SZ_64K, true);

	/* Tiny: a first block needs the tiny span class's span. */
	at_fault_set(GMM_FAIL_SPAN_META, 1, 0);
	KUNIT_EXPECT_NULL(test, gmm_alloc_noscan(h, 8));
	KUNIT_EXPECT_NOT_NULL(test, gmm_alloc_noscan(h, 8));

	st = at_stats(test, h);
	KUNIT_EXPECT_EQ(test, st->mallocs, 3ULL);
	KUNIT_EXPECT_EQ(test, st->large_objects, 1ULL);
	at_expect_consistent(test, h);
}

static void alloc_fault_arena(struct kunit *test)
{
	struct gmm_heap *h = at_heap(test);
	struct gmm_pageheap_stats ps;
	void *p;

	/* The 4 MiB block fails: a smaller arena does it. */
	at_fault_set(GMM_FAIL_ARENA, 1, 0);
	p = gmm_alloc_noscan(h, 64);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, at_is_zero(p, 64));
	KUNIT_EXPECT_EQ(test, at_fault_times(GMM_FAIL_ARENA), 0);
	gmm_pageheap_read_stats(&h->pages, &ps);
	KUNIT_EXPECT_EQ(test, ps.order_fallbacks, 1ULL);
	KUNIT_EXPECT_EQ(test, ps.arenas, 1ULL);
	KUNIT_EXPECT_EQ(test, ps.sys_bytes, AT_ARENA_BYTES / 2);
	KUNIT_EXPECT_EQ(test, gmm_span_of(p)->arena->order,
			(unsigned int)GMM_ARENA_ORDER - 1);

	/* A 4 MiB object has no smaller order to fall back to. */
	at_fault_set(GMM_FAIL_ARENA, 1, 0);
	KUNIT_EXPECT_NULL(test, gmm_alloc_noscan(h, GMM_MAX_ALLOC_SIZE));
	KUNIT_EXPECT_EQ(test, at_fault_times(GMM_FAIL_ARENA), 0);
	gmm_pageheap_read_stats(&h->pages, &ps);
	KUNIT_EXPECT_EQ(test, ps.arenas, 1ULL);
	KUNIT_EXPECT_EQ(test, ps.limit_failures, 0ULL);
	p = gmm_alloc_noscan(h, GMM_MAX_ALLOC_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, (int)gmm_span_of(p)->state, GMM_SPAN_LARGE);
	KUNIT_EXPECT_EQ(test, at_stats(test, h)->large_objects, 1ULL);
	at_expect_consistent(test, h);
}

static void alloc_fault_arena_meta(struct kunit *test)
{
	struct at_fixture *f = test->priv;
	struct gmm_heap *h = at_heap(test);
	void *p;

	at_fault_set(GMM_FAIL_ARENA_META, 1, 0);
	KUNIT_EXPECT_NULL(test, gmm_alloc_noscan(h, 64));
	KUNIT_EXPECT_EQ(test, at_fault_times(GMM_FAIL_ARENA_META), 0);
	KUNIT_EXPECT_EQ(test, at_stats(test, h)->heap_sys, 0ULL);
	KUNIT_EXPECT_EQ(test, at_stats(test, h)->mallocs, 0ULL);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(), f->baseline);
	p = gmm_alloc_noscan(h, 64);
	KUNIT_ASSERT_NOT_NULL(test, p);

	/* An object that fits in the arena does not reach the site... */
	at_fault_set(GMM_FAIL_ARENA_META, 1, 0);
	p = gmm_alloc_noscan(h, SZ_64K);
	KUNIT_EXPECT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, at_fault_times(GMM_FAIL_ARENA_META), 1);
	/* ... one that needs a new arena does. */
	KUNIT_EXPECT_NULL(test, gmm_alloc_noscan(h, GMM_MAX_ALLOC_SIZE));
	KUNIT_EXPECT_EQ(test, at_fault_times(GMM_FAIL_ARENA_META), 0);
	KUNIT_EXPECT_EQ(test, at_stats(test, h)->heap_sys, AT_ARENA_BYTES);
	KUNIT_EXPECT_NOT_NULL(test, gmm_alloc_noscan(h, GMM_MAX_ALLOC_SIZE));
	KUNIT_EXPECT_EQ(test, at_stats(test, h)->large_objects, 2ULL);
	at_expect_consistent(test, h);
}

static void alloc_fault_heap_meta(struct kunit *test)
{
	struct gmm_heap_params params = { .name = "kunit", .gc_percent = -1 };
	struct at_fixture *f = test->priv;
	const struct gmm_type *t;
	struct gmm_heap *h;

	/* The heap itself: the first of the two metadata allocations. */
	at_fault_set(GMM_FAIL_HEAP_META, 1, 0);
	h = gmm_heap_create(&params);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(h), -ENOMEM);
	gmm_heap_destroy(h);	/* nothing, unless it wrongly succeeded */
	KUNIT_EXPECT_EQ(test, at_fault_times(GMM_FAIL_HEAP_META), 0);

	/* The per-CPU caches: the first check passes (uses up the space). */
	at_fault_set(GMM_FAIL_HEAP_META, 1, 2);
	h = gmm_heap_create(&params);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(h), -ENOMEM);
	gmm_heap_destroy(h);
	KUNIT_EXPECT_EQ(test, at_fault_times(GMM_FAIL_HEAP_META), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&gmm_fault_attrs[GMM_FAIL_HEAP_META].space), 1);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(), f->baseline);
	at_fault_clear(GMM_FAIL_HEAP_META);

	/* Type registration. */
	h = at_heap(test);
	at_fault_set(GMM_FAIL_HEAP_META, 1, 0);
	t = gmm_type_register(h, "kunit", 64, 0, NULL);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(t), -ENOMEM);
	t = at_type(test, h, 64, 0, NULL);
	KUNIT_EXPECT_EQ(test, t->id, 1U);	/* the failure took no id */
	KUNIT_EXPECT_NOT_NULL(test, gmm_alloc(h, t));
	KUNIT_EXPECT_EQ(test, at_stats(test, h)->mallocs, 1ULL);
	at_expect_consistent(test, h);
}
#else
static void alloc_fault_span_meta(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_FAULT_INJECTION");
}

static void alloc_fault_arena(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_FAULT_INJECTION");
}

static void alloc_fault_arena_meta(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_FAULT_INJECTION");
}

static void alloc_fault_heap_meta(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_FAULT_INJECTION");
}
#endif

/* 10. Statistics after a known sequence, on one CPU. */
static void alloc_stats_exact(struct kunit *test)
{
	static const size_t large[] = { 40000, SZ_64K, 100000 };
	const unsigned int k = 8, m = 10, sc = gmm_size_to_class(100);
	struct gmm_heap *h = at_heap(test);
	const struct gmm_memstats *st;
	unsigned int i, failed = 0;
	u64 large_bytes = 0;

	st = at_stats(test, h);
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

	st = at_stats(test, h);
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
	struct at_fixture *f = test->priv;
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
			KUNIT_EXPECT_TRUE(test, at_is_zero(p, sizes[j]));
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
		at_heap_destroy(test, h[order[n]]);
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
	KUNIT_CASE(alloc_fault_span_meta),
	KUNIT_CASE(alloc_fault_arena),
	KUNIT_CASE(alloc_fault_arena_meta),
	KUNIT_CASE(alloc_fault_heap_meta),
	KUNIT_CASE(alloc_stats_exact),
	KUNIT_CASE(alloc_many_heaps),
	{}
};

static int at_alloc_init(struct kunit *test)
{
	return gmm_kunit_select(test, at_test_init(test), "gmm_alloc");
}

static struct kunit_suite gmm_alloc_suite = {
	.name = "gmm_alloc",
	.init = at_alloc_init,
	.exit = at_test_exit,
	.test_cases = gmm_alloc_cases,
};

/*
 * gmm_alloc_stress: kthreads bound to CPUs.  A job runs one function on one
 * CPU; what it allocates it checks for zero, stamps with its tag and
 * records.
 */
struct at_obj {
	unsigned long addr;
	u32 size;
	u8 tag;
	bool scan;
};

struct at_job {
	struct completion done;
	void (*fn)(struct at_job *job);
	struct gmm_heap *h;
	const struct gmm_type *type;	/* scan type, for jobs that use one */
	struct at_obj *objs;
	unsigned int max_objs;
	unsigned int nobjs;
	unsigned int cpu;
	bool wrong_cpu;
	u8 tag;
	int errors;
};

static int at_job_thread(void *arg)
{
	struct at_job *job = arg;

	job->wrong_cpu = raw_smp_processor_id() != job->cpu;
	job->fn(job);
	kthread_complete_and_exit(&job->done, 0);
}

/* Start @job on a kthread bound to @cpu: 0 or a negative errno. */
static int at_job_start(struct at_job *job, unsigned int cpu)
{
	struct task_struct *t;

	init_completion(&job->done);
	job->cpu = cpu;
	t = kthread_create(at_job_thread, job, "gmm_alloc_test/%u", cpu);
	if (IS_ERR(t))
		return PTR_ERR(t);
	kthread_bind(t, cpu);
	wake_up_process(t);
	return 0;
}

static void at_job_run(struct kunit *test, struct at_job *job,
		       unsigned int cpu)
{
	KUNIT_ASSERT_EQ(test, at_job_start(job, cpu), 0);
	wait_for_completion(&job->done);
	KUNIT_EXPECT_FALSE(test, job->wrong_cpu);
	KUNIT_EXPECT_EQ(test, job->errors, 0);
}

static void *at_job_alloc(struct at_job *job, size_t size,
			  const struct gmm_type *t)
{
	/* Pointer words (word 0 of scan types) are left alone. */
	size_t skip = t ? sizeof(void *) : 0;
	void *p = at_alloc(job->h, t, size);
	struct at_obj *o;

	if (!p) {
		job->errors++;
		return NULL;
	}
	if (!at_is_zero(p, size))
		job->errors++;
	memset(p + skip, job->tag, size - skip);
	if (job->nobjs >= job->max_objs) {
		job->errors++;
		return p;
	}
	o = &job->objs[job->nobjs++];
	o->addr = (unsigned long)p;
	o->size = size;
	o->tag = job->tag;
	o->scan = t;
	return p;
}

/* 2. Every online CPU allocates from one heap at once. */
#define AT_STRESS_ROUNDS	256
#define AT_STRESS_PER_ROUND	4

static void at_stress_fn(struct at_job *job)
{
	unsigned int i;

	for (i = 0; i < AT_STRESS_ROUNDS; i++) {
		at_job_alloc(job, 8, NULL);		/* tiny */
		at_job_alloc(job, 16, NULL);		/* class 2, noscan */
		at_job_alloc(job, 48, job->type);	/* class 5, scan */
		at_job_alloc(job, 1024, NULL);		/* class 32, noscan */
		if (i % 32 == 31)
			cond_resched();
	}
}

static int at_obj_cmp(const void *a, const void *b)
{
	const struct at_obj *x = a, *y = b;

	if (x->addr == y->addr)
		return 0;
	return x->addr < y->addr ? -1 : 1;
}

static unsigned int at_obj_spc(const struct at_obj *o)
{
	if (!o->scan && o->size < GMM_TINY_SIZE)
		return GMM_TINY_SPANCLASS;
	return gmm_make_spanclass(gmm_size_to_class(o->size), !o->scan);
}

/* Whether @o sits where a slot (or a piece of a tiny block) can be. */
static bool at_obj_placed(const struct at_obj *o, const struct gmm_type *t)
{
	struct gmm_span *s = gmm_span_of((void *)o->addr);
	unsigned long off;
	u32 idx;

	if (!s || s->state != GMM_SPAN_SMALL || s->spanclass != at_obj_spc(o))
		return false;
	off = o->addr - s->base;
	idx = gmm_div_elemsize(off, s->divmagic);
	if (idx >= s->nelems || idx != off / s->elemsize)
		return false;
	if (!o->scan && o->size < GMM_TINY_SIZE)
		return off % GMM_TINY_SIZE + o->size <= GMM_TINY_SIZE &&
		       o->addr % at_tiny_align(o->size) == 0;
	if (off % s->elemsize)
		return false;
	return !o->scan || s->slot_types[idx] == t->id;
}

/* Sorted objects: none overlaps the next, all keep their tags. */
static void at_check_objects(struct kunit *test, const struct at_obj *all,
			     unsigned int total, const struct gmm_type *t,
			     unsigned long *nspans)
{
	unsigned int i, misplaced = 0, overlaps = 0, damaged = 0;
	struct gmm_span *s, *prev = NULL;

	for (i = 0; i < total; i++) {
		const struct at_obj *o = &all[i];
		size_t skip = o->scan ? sizeof(void *) : 0;

		if (!at_obj_placed(o, t)) {
			misplaced++;
			continue;
		}
		if (i + 1 < total && o->addr + o->size > all[i + 1].addr)
			overlaps++;
		if (memchr_inv((void *)o->addr + skip, o->tag, o->size - skip))
			damaged++;
		/* A span's slots are contiguous: count each span once. */
		s = gmm_span_of((void *)o->addr);
		if (s != prev)
			nspans[s->spanclass]++;
		prev = s;
	}
	KUNIT_EXPECT_EQ(test, misplaced, 0U);
	KUNIT_EXPECT_EQ(test, overlaps, 0U);
	KUNIT_EXPECT_EQ(test, damaged, 0U);
}

static void alloc_concurrent_cpus(struct kunit *test)
{
	static const unsigned int classes[] = { 2, 5, 32 };	/* 16, 48, 1 KiB */
	const unsigned int per_job = AT_STRESS_ROUNDS * AT_STRESS_PER_ROUND;
	struct at_fixture *f = test->priv;
	unsigned int njobs = 0, i, cpu, total = 0;
	const struct gmm_memstats *st;
	const struct gmm_type *t48;
	struct at_central_view v;
	struct at_job *jobs;
	struct at_obj *all;
	unsigned long *nspans;
	struct gmm_heap *h;
	int err = 0;

	h = at_heap(test);
	t48 = at_type(test, h, 48, 0, at_one_ptr);
	jobs = kunit_kcalloc(test, nr_cpu_ids, sizeof(*jobs), GFP_KERNEL);
	nspans = kunit_kcalloc(test, GMM_NUM_SPAN_CLASSES, sizeof(*nspans),
			       GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, jobs);
	KUNIT_ASSERT_NOT_NULL(test, nspans);
	for_each_online_cpu(cpu) {
		struct at_job *job = &jobs[njobs];

		job->fn = at_stress_fn;
		job->h = h;
		job->type = t48;
		job->tag = 0x11 + njobs;
		job->max_objs = per_job;
		job->objs = kunit_kcalloc(test, per_job, sizeof(*job->objs),
					  GFP_KERNEL);
		err = job->objs ? at_job_start(job, cpu) : -ENOMEM;
		if (err)
			break;
		njobs++;
	}
	for (i = 0; i < njobs; i++)
		wait_for_completion(&jobs[i].done);
	KUNIT_ASSERT_EQ(test, err, 0);

	for (i = 0; i < njobs; i++) {
		KUNIT_EXPECT_EQ_MSG(test, jobs[i].errors, 0, "job %u", i);
		KUNIT_EXPECT_FALSE_MSG(test, jobs[i].wrong_cpu, "job %u", i);
		KUNIT_EXPECT_EQ_MSG(test, jobs[i].nobjs, per_job, "job %u", i);
		total += jobs[i].nobjs;
	}
	all = kunit_kmalloc_array(test, total, sizeof(*all), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, all);
	for (i = 0, total = 0; i < njobs; i++) {
		memcpy(all + total, jobs[i].objs, jobs[i].nobjs * sizeof(*all));
		total += jobs[i].nobjs;
	}
	sort(all, total, sizeof(*all), at_obj_cmp, NULL);
	at_check_objects(test, all, total, t48, nspans);

	st = at_stats(test, h);
	KUNIT_EXPECT_EQ(test, st->mallocs, (u64)total);
	/* Each job's 8-byte objects pair up in its own tiny blocks. */
	KUNIT_EXPECT_EQ(test, st->tiny_allocs, (u64)njobs * AT_STRESS_ROUNDS / 2);
	KUNIT_EXPECT_EQ(test, st->by_size[2].mallocs,
			(u64)njobs * (AT_STRESS_ROUNDS + AT_STRESS_ROUNDS / 2));
	KUNIT_EXPECT_EQ(test, st->by_size[5].mallocs, (u64)njobs * AT_STRESS_ROUNDS);
	KUNIT_EXPECT_EQ(test, st->by_size[32].mallocs, (u64)njobs * AT_STRESS_ROUNDS);
	for (i = 0; i < ARRAY_SIZE(classes); i++) {
		unsigned int spc = gmm_make_spanclass(classes[i], classes[i] != 5);

		at_expect_central_sane(test, h, spc, &v);
		KUNIT_EXPECT_EQ_MSG(test, v.nr_spans, nspans[spc], "class %u", classes[i]);
		KUNIT_EXPECT_LE_MSG(test, v.cached, (unsigned long)njobs, "class %u",
				    classes[i]);
		KUNIT_EXPECT_EQ_MSG(test, v.partial, 0UL, "class %u", classes[i]);
		KUNIT_EXPECT_EQ_MSG(test, (u64)v.objects, st->by_size[classes[i]].mallocs,
				    "class %u", classes[i]);
		KUNIT_EXPECT_EQ_MSG(test, st->by_size[classes[i]].spans,
				    (u64)v.nr_spans, "class %u", classes[i]);
	}
	at_expect_consistent(test, h);
	at_heap_destroy(test, h);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(), f->baseline);
}

/*
 * 9. CPU hotplug: the spans CPU 1's cache holds go back to the central
 * lists when CPU 1 goes offline, and are reused after it comes back.
 */
#define AT_HP_SHARED	512	/* allocated on CPUs 0 and 1 */
#define AT_HP_ONLY1	2048	/* only on CPU 1; 4 per span */

static void at_hp_cpu0_fn(struct at_job *job)
{
	at_job_alloc(job, AT_HP_SHARED, NULL);
}

static void at_hp_cpu1_fn(struct at_job *job)
{
	at_job_alloc(job, AT_HP_SHARED, NULL);
	at_job_alloc(job, AT_HP_ONLY1, NULL);
	at_job_alloc(job, AT_HP_ONLY1, NULL);
	at_job_alloc(job, 8, NULL);			/* a tiny block */
}

static void at_hp_again_fn(struct at_job *job)
{
	at_job_alloc(job, AT_HP_ONLY1, NULL);
}

static void at_hp_expect_offline(struct kunit *test, struct gmm_heap *h,
				 unsigned int spc_shared, unsigned int spc_only1)
{
	const struct gmm_cache *c1 = per_cpu_ptr(h->caches, 1);
	unsigned int spc, left = 0;
	struct at_central_view v;

	for (spc = 0; spc < GMM_NUM_SPAN_CLASSES; spc++)
		left += !!c1->alloc[spc];
	KUNIT_EXPECT_EQ(test, left, 0U);
	KUNIT_EXPECT_EQ(test, c1->tiny, 0UL);
	KUNIT_EXPECT_EQ(test, c1->tiny_offset, 0U);

	at_expect_central_sane(test, h, spc_only1, &v);
	KUNIT_EXPECT_EQ(test, v.nr_cached, 0UL);
	KUNIT_EXPECT_EQ(test, v.nr_spans, 1UL);
	KUNIT_EXPECT_EQ(test, v.partial, 1UL);	/* 2 of 4 slots used */
	at_expect_central_sane(test, h, GMM_TINY_SPANCLASS, &v);
	KUNIT_EXPECT_EQ(test, v.nr_cached, 0UL);
	KUNIT_EXPECT_EQ(test, v.partial, 1UL);
	/* What CPU 0 holds stays. */
	at_expect_central_sane(test, h, spc_shared, &v);
	KUNIT_EXPECT_EQ(test, v.nr_cached, 1UL);
	KUNIT_EXPECT_EQ(test, v.nr_spans, 2UL);
	KUNIT_EXPECT_TRUE(test, per_cpu_ptr(h->caches, 0)->alloc[spc_shared]);
}

static void alloc_cpu_hotplug(struct kunit *test)
{
	const unsigned int spc_shared =
		gmm_make_spanclass(gmm_size_to_class(AT_HP_SHARED), true);
	const unsigned int spc_only1 =
		gmm_make_spanclass(gmm_size_to_class(AT_HP_ONLY1), true);
	struct at_job *j0, *j1, *j2;
	struct at_central_view v;
	struct gmm_heap *h;
	int ret;

	if (num_online_cpus() < 2 || !cpu_online(0) || !cpu_online(1))
		kunit_skip(test, "needs CPUs 0 and 1 online");

	h = at_heap(test);
	j0 = kunit_kzalloc(test, 3 * sizeof(*j0), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, j0);
	j1 = j0 + 1;
	j2 = j0 + 2;
	j0->objs = kunit_kcalloc(test, 3 * 4, sizeof(*j0->objs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, j0->objs);
	j1->objs = j0->objs + 4;
	j2->objs = j0->objs + 8;
	j0->max_objs = 4;
	j1->max_objs = 4;
	j2->max_objs = 4;
	j0->h = h;
	j1->h = h;
	j2->h = h;
	j0->tag = 0x21;
	j1->tag = 0x22;
	j2->tag = 0x23;
	j0->fn = at_hp_cpu0_fn;
	j1->fn = at_hp_cpu1_fn;
	j2->fn = at_hp_again_fn;

	at_job_run(test, j0, 0);
	at_job_run(test, j1, 1);
	KUNIT_ASSERT_EQ(test, j1->nobjs, 4U);
	at_expect_central_sane(test, h, spc_shared, &v);
	KUNIT_EXPECT_EQ(test, v.nr_cached, 2UL);
	at_expect_central_sane(test, h, spc_only1, &v);
	KUNIT_EXPECT_EQ(test, v.nr_cached, 1UL);
	KUNIT_EXPECT_NE(test, per_cpu_ptr(h->caches, 1)->tiny, 0UL);

	ret = remove_cpu(1);
	if (ret)
		kunit_skip(test, "remove_cpu(1) failed: %d", ret);
	at_hp_expect_offline(test, h, spc_shared, spc_only1);
	/* The offline CPU's counters still count. */
	KUNIT_EXPECT_EQ(test, at_stats(test, h)->mallocs, 5ULL);
	at_expect_consistent(test, h);
	ret = add_cpu(1);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "add_cpu(1) failed");

	/* Back online: CPU 1 takes the partial span and its next slot. */
	at_job_run(test, j2, 1);
	KUNIT_ASSERT_EQ(test, j2->nobjs, 1U);
	KUNIT_EXPECT_TRUE(test, gmm_span_of((void *)j2->objs[0].addr) ==
			  gmm_span_of((void *)j1->objs[1].addr));
	KUNIT_EXPECT_EQ(test, at_span_off((void *)j2->objs[0].addr),
			2UL * AT_HP_ONLY1);
	at_expect_central_sane(test, h, spc_only1, &v);
	KUNIT_EXPECT_EQ(test, v.nr_spans, 1UL);
	KUNIT_EXPECT_EQ(test, v.nr_cached, 1UL);
	KUNIT_EXPECT_EQ(test, v.objects, 3UL);
	at_expect_consistent(test, h);
}

static struct kunit_case gmm_alloc_stress_cases[] = {
	KUNIT_CASE(alloc_concurrent_cpus),
	KUNIT_CASE(alloc_cpu_hotplug),
	{}
};

static int at_stress_init(struct kunit *test)
{
	return gmm_kunit_select(test, at_test_init(test), "gmm_alloc_stress");
}

static struct kunit_suite gmm_alloc_stress_suite = {
	.name = "gmm_alloc_stress",
	.init = at_stress_init,
	.exit = at_test_exit,
	.test_cases = gmm_alloc_stress_cases,
};

kunit_test_suites(&gmm_alloc_suite, &gmm_alloc_stress_suite);
