/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pageheap_test.h - the helpers of the KUnit suite "gmm_pageheap", shared
 * by pageheap_test.c (the suite, allocation, freeing, walks, the
 * scavenger's entry points) and pageheap_limits_test.c (limits and
 * injected failures).  test->priv is the shared fixture (gmm_kunit.h)
 * with its bare page heap: k->ph.
 */
#ifndef _GMM_PAGEHEAP_TEST_H
#define _GMM_PAGEHEAP_TEST_H

#include <kunit/test.h>

#include "fault.h"
#include "gmm_kunit.h"
#include "pageheap.h"

/* Span descriptors a case may use (gmm_kunit_span()). */
#define PH_TEST_MAX_SPANS	64
/* Runtime pages in a preferred (4 MiB) arena. */
#define PH_ARENA_PAGES		((PAGE_SIZE << GMM_ARENA_ORDER) >> GMM_PAGE_SHIFT)

struct gmm_span *ph_alloc(struct kunit *test, unsigned int npages, int *ret);
struct gmm_span *ph_alloc_ok(struct kunit *test, unsigned int npages,
			     int *needzero);
void ph_free(struct kunit *test, struct gmm_span *span);
struct gmm_pageheap_stats ph_stats(struct kunit *test);
struct gmm_span *ph_owner(unsigned long addr);
unsigned long ph_offset(struct kunit *test, struct gmm_span *span);

/* pageheap_limits_test.c */
void pageheap_per_heap_limit(struct kunit *test);
void pageheap_module_limit(struct kunit *test);
void pageheap_order_fallback(struct kunit *test);
void pageheap_fail_arena_meta(struct kunit *test);
void pageheap_fail_arena_every_order(struct kunit *test);

#endif /* _GMM_PAGEHEAP_TEST_H */
