/* SPDX-License-Identifier: GPL-2.0 */
/*
 * alloc_test.h - what the files of suite "gmm_alloc" share: alloc_test.c
 * holds the suite, the consistency checks and the cases on where objects
 * go; alloc_tiny_test.c the tiny allocator, alloc_size_test.c sizes,
 * alignment, types and arrays, alloc_limits_test.c arenas, limits and
 * failures.  alloc_stress_test.c, suite "gmm_alloc_stress", uses the
 * helpers too.
 */
#ifndef _GMM_ALLOC_TEST_H
#define _GMM_ALLOC_TEST_H

#include <kunit/test.h>

#include "gmm_kunit.h"

/*
 * Allocation happens inside mutator sections (gmm.h).  These heaps never
 * collect (gc_percent -1), so each call gets a section of its own and the
 * tests may keep pointers across sections.
 */
#define gmm_alloc(h, t)			gmm_kunit_alloc(h, t)
#define gmm_alloc_array(h, t, n)	gmm_kunit_alloc_array(h, t, n)
#define gmm_alloc_noscan(h, size)	gmm_kunit_alloc_noscan(h, size)

/* Bytes of a preferred (4 MiB) arena. */
#define AT_ARENA_BYTES		((u64)PAGE_SIZE << GMM_ARENA_ORDER)

/* The largest scan type the tests register (bytes). */
#define AT_MAX_SCAN_SIZE	40000
/*
 * A pointer map with word 0 a pointer, long enough for every scan type of
 * the tests: gmm_type_register() reads one bit per word of the object.
 */
extern const unsigned long at_one_ptr[BITS_TO_LONGS(AT_MAX_SCAN_SIZE / 8)];

/* A heap of the fixture that never collects, with a limit (0: none). */
static inline struct gmm_heap *at_heap_limit(struct kunit *test, u64 limit)
{
	return gmm_kunit_heap(test, "kunit", -1, limit);
}

static inline struct gmm_heap *at_heap(struct kunit *test)
{
	return at_heap_limit(test, 0);
}

static inline const struct gmm_type *at_type(struct kunit *test,
					     struct gmm_heap *h, size_t size,
					     size_t align,
					     const unsigned long *ptrmap)
{
	return gmm_kunit_type(test, h, "kunit", size, align, ptrmap);
}

static inline void *at_alloc(struct gmm_heap *h, const struct gmm_type *t,
			     size_t size)
{
	return t ? gmm_alloc(h, t) : gmm_alloc_noscan(h, size);
}

/* Byte offset of @p in its span. */
static inline unsigned long at_span_off(const void *p)
{
	return (unsigned long)p - gmm_span_of(p)->base;
}

/* Alignment the tiny allocator gives an object of @size bytes (Go's). */
static inline unsigned int at_tiny_align(size_t size)
{
	if (size % 8 == 0)
		return 8;
	if (size % 4 == 0)
		return 4;
	if (size % 2 == 0)
		return 2;
	return 1;
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

void at_expect_consistent(struct kunit *test, struct gmm_heap *h);
void at_central_view(struct gmm_heap *h, unsigned int spc,
		     struct at_central_view *v);
void at_expect_central_sane(struct kunit *test, struct gmm_heap *h,
			    unsigned int spc, struct at_central_view *v);
void at_check_large(struct kunit *test, void *p, size_t size, bool noscan);

/* alloc_tiny_test.c */
void alloc_tiny_one_then_eight(struct kunit *test);
void alloc_tiny_every_size(struct kunit *test);
void alloc_tiny_keeps_roomier_block(struct kunit *test);

/* alloc_size_test.c */
void alloc_large_objects(struct kunit *test);
void alloc_scan_noscan_apart(struct kunit *test);
void alloc_class_for(struct kunit *test);
void alloc_alignment(struct kunit *test);
void alloc_type_register_checks(struct kunit *test);
void alloc_array_bounds(struct kunit *test);

/* alloc_limits_test.c */
void alloc_arena_growth(struct kunit *test);
void alloc_heap_limit(struct kunit *test);
void alloc_module_limit(struct kunit *test);
void alloc_fault_span_meta(struct kunit *test);
void alloc_fault_arena(struct kunit *test);
void alloc_fault_arena_meta(struct kunit *test);
void alloc_fault_heap_meta(struct kunit *test);

#endif /* _GMM_ALLOC_TEST_H */
