/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gc_test.h - what the files of suite "gmm_gc" share: gc_test.c holds the
 * suite and the cases on collections, gc_barrier_test.c those that catch
 * the collector marking, gc_pacer_test.c those on pacing and assists.
 */
#ifndef _GMM_GC_TEST_H
#define _GMM_GC_TEST_H

#include <kunit/test.h>

#include "gmm_kunit.h"

/* Nodes of the list that keeps the mark phase busy. */
#define GT_MARK_CHAIN		100000
/* Attempts at catching a cycle in its mark phase. */
#define GT_TRIES		5

void gt_mark_chain(struct kunit *test, struct gmm_heap *h,
		   const struct gmm_type *t, void **root, unsigned int n,
		   struct gmm_kunit_node **a, struct gmm_kunit_node **b);
bool gt_enter_marking(struct gmm_heap *h, u64 *c0);

/* gc_barrier_test.c */
void gc_allocate_black(struct kunit *test);
void gc_write_barrier(struct kunit *test);
void gc_handle_barrier(struct kunit *test);

/* gc_pacer_test.c */
void gc_assists(struct kunit *test);
void gc_pacer_peak(struct kunit *test);
const void *gt_pacer_params(const void *prev, char *desc);
void gc_memory_limit(struct kunit *test);

#endif /* _GMM_GC_TEST_H */
