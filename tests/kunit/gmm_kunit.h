/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gmm_kunit.h - helpers shared by gmm's KUnit suites.
 *
 * Tests that inject faults through gmm_fault_attrs[] (gmm/fault.h) save
 * each attribute first and restore it afterwards, so one test's settings
 * never leak into the next.
 */
#ifndef _GMM_KUNIT_H
#define _GMM_KUNIT_H

#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/fault-inject.h>
#include <linux/jiffies.h>
#include <linux/wait.h>

#include "heap.h"
#include "internal.h"
#include "kunit_params.h"

/* Slot of @obj in its span @s. */
static inline unsigned int gmm_kunit_slot(const struct gmm_span *s,
					  const void *obj)
{
	if (s->state == GMM_SPAN_LARGE)
		return 0;
	return gmm_div_elemsize((unsigned long)obj - s->base, s->divmagic);
}

/*
 * Whether @obj of @h is still allocated, from gmm's metadata alone: its
 * arena is still held by the heap, its runtime page belongs to a live span
 * and, in a small span, the alloc bit of its slot is set.  A large span
 * holds one object and is freed with it (its alloc bit is never used).
 * Only while no cycle runs and nothing allocates in @h (after gmm_gc(),
 * tests quiescent): then every span is swept and its alloc bits are the
 * last cycle's mark bits.  Takes no lock but the page heap's, for the
 * arena lookup.
 */
static inline bool gmm_kunit_live(struct gmm_heap *h, const void *obj)
{
	struct gmm_span *s;

	if (!gmm_pageheap_contains(&h->pages, obj))
		return false;	/* the whole arena went back */
	s = gmm_span_of(obj);
	if (!s || READ_ONCE(s->state) == GMM_SPAN_DEAD)
		return false;	/* the span went back to the page heap */
	if (s->state == GMM_SPAN_LARGE)
		return s->base == (unsigned long)obj;
	return test_bit(gmm_kunit_slot(s, obj), s->alloc_bits);
}

/* Whether a live object's mark bit is set.  Inside a section. */
static inline bool gmm_kunit_marked(const void *obj)
{
	struct gmm_span *s = gmm_span_of(obj);

	return s && test_bit(gmm_kunit_slot(s, obj), s->mark_bits);
}

/*
 * gmm_kunit_new_heap() - a heap for a suite's init: *@hp is the heap or
 * NULL; returns 0 or the error.  @limit 0: no limit of its own.
 */
static inline int gmm_kunit_new_heap(struct gmm_heap **hp, const char *name,
				     int gc_percent, u64 limit)
{
	struct gmm_heap_params params = {
		.name = name, .gc_percent = gc_percent, .limit_bytes = limit,
	};
	struct gmm_heap *h = gmm_heap_create(&params);

	*hp = IS_ERR(h) ? NULL : h;
	return PTR_ERR_OR_ZERO(h);
}

/*
 * gmm_kunit_select() - end of a suite's init: @ret is what the fixture's
 * own init returned; the case is skipped unless gmm.ko's kunit_suites
 * parameter selects @suite (gmm/kunit_params.c; make mutate runs the
 * suites that should kill a mutant first).  The fixture is set up before
 * the skip, so the suite's exit handler runs as usual.
 */
static inline int gmm_kunit_select(struct kunit *test, int ret,
				   const char *suite)
{
	if (!ret && !gmm_kunit_suite_selected(suite))
		kunit_skip(test, "suite not in gmm.ko's kunit_suites");
	return ret;
}

/*
 * gmm_kunit_assist_held() - make one mutator assist happen, for certain
 * @test: the case
 * @h: a heap with GOGC on
 * @t: a scan type of at least a few hundred bytes
 * @root: a root slot of @h holding an object (kept alive: the new object
 *	points to it)
 *
 * After a full cycle heap_live is below the trigger and nothing runs, so
 * the cycle asked for next is the one held at the start of its mark
 * phase (GMM_HOLD_MARK), roots grey and nothing drained.  The first
 * allocation in it takes a fresh span (the caches were flushed), owes
 * scan work and finds grey objects: at least one assist.  Call outside
 * any section.
 */
static inline void gmm_kunit_assist_held(struct kunit *test,
					 struct gmm_heap *h,
					 const struct gmm_type *t, void **root)
{
	u64 a0, c0;
	void *obj;

	KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);
	a0 = atomic64_read(&h->gc.assists);
	c0 = READ_ONCE(h->gc.completed);
	gmm_gc_hold_arm(h, GMM_HOLD_MARK);
	gmm_gc_trigger(h);
	if (!gmm_gc_hold_wait(h, 60 * HZ)) {
		gmm_gc_hold_release(h, false);
		KUNIT_FAIL(test, "the cycle never reached its mark phase");
		return;
	}
	gmm_mutator_enter(h);
	obj = gmm_alloc(h, t);
	if (obj)
		gmm_store_ptr(h, obj, READ_ONCE(*root));
	gmm_mutator_exit(h);
	gmm_gc_hold_release(h, false);
	KUNIT_ASSERT_GT(test, wait_event_timeout(h->gc.done,
						 READ_ONCE(h->gc.completed) > c0,
						 60 * HZ), 0L);
	KUNIT_EXPECT_NOT_NULL(test, obj);
	KUNIT_EXPECT_GT(test, (u64)atomic64_read(&h->gc.assists), a0);
}

#ifdef CONFIG_FAULT_INJECTION
struct gmm_kunit_fault_saved {
	unsigned long probability;
	unsigned long interval;
	int times;
	int space;
	unsigned long verbose;
	bool task_filter;
};

static inline void gmm_kunit_fault_save(struct gmm_kunit_fault_saved *s,
					struct fault_attr *a)
{
	s->probability = a->probability;
	s->interval = a->interval;
	s->times = atomic_read(&a->times);
	s->space = atomic_read(&a->space);
	s->verbose = a->verbose;
	s->task_filter = a->task_filter;
}

static inline void gmm_kunit_fault_restore(const struct gmm_kunit_fault_saved *s,
					   struct fault_attr *a)
{
	a->probability = s->probability;
	a->interval = s->interval;
	atomic_set(&a->times, s->times);
	atomic_set(&a->space, s->space);
	a->verbose = s->verbose;
	a->task_filter = s->task_filter;
}
#endif

#endif /* _GMM_KUNIT_H */
