/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gmm_kunit.h - the fixture every gmm KUnit suite uses (gmm_kunit.c).
 *
 * A suite's init calls gmm_kunit_init() and its exit gmm_kunit_exit();
 * test->priv is then a struct gmm_kunit, and a suite that needs state of
 * its own asks gmm_kunit_init() for it and finds it with gmm_kunit_priv().
 * Between the two, a case makes heaps, root slots, types and buffers
 * through the fixture, which owns them: the exit handler lets a held
 * collector go, destroys every heap, frees the buffers, restores the
 * fault-injection attributes, the module-wide limit, the background
 * scavenger's switch and the write barrier, and checks that every page
 * went back to the buddy allocator.  Root slots live in the fixture, so
 * they outlive the heaps.
 *
 * A suite of the page heap alone asks for a bare struct gmm_pageheap and
 * span descriptors for it (gmm_kunit_pageheap()); the exit handler frees
 * the spans still allocated and destroys it, before the page count.
 *
 * Heap pointers are only touched inside mutator sections; everything that
 * may end a case (KUNIT_ASSERT_*, kunit_skip) runs outside them.
 */
#ifndef _GMM_KUNIT_H
#define _GMM_KUNIT_H

#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/fault-inject.h>
#include <linux/jiffies.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include <linux/gmm.h>
#include "fault.h"
#include "heap.h"
#include "internal.h"
#include "kunit_params.h"
#include "pageheap.h"

#define GMM_KUNIT_HEAPS		8	/* heaps one case may hold */
#define GMM_KUNIT_ROOTS		16	/* root slots of the fixture */
#define GMM_KUNIT_BUFS		4	/* kvzalloc'd buffers */
/* How long a cycle may take to reach a hold point, and to end. */
#define GMM_KUNIT_HOLD_TIMEOUT	(60 * HZ)
#define GMM_KUNIT_CYCLE_TIMEOUT	(90 * HZ)

/* The tests' node: two pointers and an id (gmm_kunit_node_type()). */
struct gmm_kunit_node {
	struct gmm_kunit_node *left;
	struct gmm_kunit_node *right;
	u64 id;
};

/* Pointer maps: a node; one pointer word; 1 KiB with word 0 a pointer. */
extern const unsigned long gmm_kunit_node_ptrs[1];
extern const unsigned long gmm_kunit_ptr_ptrs[1];
extern const unsigned long gmm_kunit_kb_ptrs[BITS_TO_LONGS(SZ_1K / 8)];

#ifdef CONFIG_FAULT_INJECTION
/* One fault_attr as the case found it. */
struct gmm_kunit_fault_saved {
	unsigned long probability;
	unsigned long interval;
	int times;
	int space;
	unsigned long verbose;
	bool task_filter;
};
#endif

/**
 * struct gmm_kunit - what a case holds; test->priv
 * @heaps: heaps the exit handler destroys
 * @roots: root slots (gmm_kunit_root())
 * @bufs: kvzalloc'd buffers the exit handler frees
 * @baseline: gmm_pageheap_total_pages() when the case began
 * @saved_mb: the module-wide limit (max_total_mb) when the case began
 * @saved_background: the background scavenger's switch when it began
 * @ph: the bare page heap of gmm_kunit_pageheap(), or NULL
 * @spans: @nspans span descriptors for @ph; the exit handler frees those
 *	that still have an arena (a case clears @arena when it frees one)
 * @nspans: how many
 * @spans_used: how many gmm_kunit_span() has handed out
 * @st: scratch for gmm_kunit_stats()
 * @faults: every fault_attr of gmm as the case found it
 * @priv: the suite's own state, or NULL
 */
struct gmm_kunit {
	struct gmm_heap *heaps[GMM_KUNIT_HEAPS];
	void *roots[GMM_KUNIT_ROOTS];
	void *bufs[GMM_KUNIT_BUFS];
	unsigned long baseline;
	unsigned long saved_mb;
	bool saved_background;
	struct gmm_pageheap *ph;
	struct gmm_span *spans;
	unsigned int nspans;
	unsigned int spans_used;
	struct gmm_memstats st;
#ifdef CONFIG_FAULT_INJECTION
	struct gmm_kunit_fault_saved faults[GMM_FAIL_NR];
#endif
	void *priv;
};

int gmm_kunit_init(struct kunit *test, const char *suite, size_t priv_size);
void gmm_kunit_exit(struct kunit *test);
int gmm_kunit_select(struct kunit *test, int ret, const char *suite);

/* The suite's own state (gmm_kunit_init()'s @priv_size bytes), or NULL. */
static inline void *gmm_kunit_priv(struct kunit *test)
{
	struct gmm_kunit *k = test->priv;

	return k ? k->priv : NULL;
}

struct gmm_heap *gmm_kunit_heap(struct kunit *test, const char *name,
				int gc_percent, u64 limit);
void gmm_kunit_heap_destroy(struct kunit *test, struct gmm_heap *h);
void **gmm_kunit_root(struct kunit *test, struct gmm_heap *h, unsigned int i);
const struct gmm_type *gmm_kunit_type(struct kunit *test, struct gmm_heap *h,
				      const char *name, size_t size,
				      size_t align, const unsigned long *ptrmap);
const struct gmm_type *gmm_kunit_node_type(struct kunit *test,
					   struct gmm_heap *h);
const struct gmm_type *gmm_kunit_ptr_type(struct kunit *test,
					  struct gmm_heap *h);
const struct gmm_type *gmm_kunit_kb_type(struct kunit *test,
					 struct gmm_heap *h);
struct gmm_kunit_node *gmm_kunit_node(struct gmm_heap *h,
				      const struct gmm_type *t, u64 id);
void *gmm_kunit_kvzalloc(struct kunit *test, size_t size);
void gmm_kunit_kvfree(struct kunit *test, void *p);

struct gmm_pageheap *gmm_kunit_pageheap(struct kunit *test,
					unsigned int nspans);
void gmm_kunit_pageheap_destroy(struct kunit *test);
struct gmm_span *gmm_kunit_span(struct kunit *test);

void *gmm_kunit_alloc(struct gmm_heap *h, const struct gmm_type *t);
void *gmm_kunit_alloc_array(struct gmm_heap *h, const struct gmm_type *t,
			    size_t n);
void *gmm_kunit_alloc_noscan(struct gmm_heap *h, size_t size);
void gmm_kunit_fill_mixed(struct kunit *test, struct gmm_heap *h,
			  const struct gmm_type *pt, void **root,
			  unsigned int n);
void gmm_kunit_churn_ring(struct kunit *test, struct gmm_heap *h,
			  void **root, const struct gmm_type *pt,
			  const struct gmm_type *kt, unsigned int ring, u64 n);

const struct gmm_memstats *gmm_kunit_stats(struct kunit *test,
					   struct gmm_heap *h);
u64 gmm_kunit_inuse(struct gmm_heap *h);
u64 gmm_kunit_sys(struct gmm_heap *h);
unsigned long gmm_kunit_spans(struct gmm_heap *h);
bool gmm_kunit_live(struct gmm_heap *h, const void *obj);
bool gmm_kunit_marked(const void *obj);
bool gmm_kunit_hold_mark(struct gmm_heap *h, u64 *c0);
bool gmm_kunit_finish_cycle(struct gmm_heap *h, u64 c0, bool skip_bg);
void gmm_kunit_assist_held(struct kunit *test, struct gmm_heap *h,
			   const struct gmm_type *t, void **root);

#ifdef CONFIG_FAULT_INJECTION
void gmm_kunit_fault_save(struct gmm_kunit_fault_saved *s,
			  struct fault_attr *a);
void gmm_kunit_fault_restore(const struct gmm_kunit_fault_saved *s,
			     struct fault_attr *a);
void gmm_kunit_fault_set(enum gmm_fault_site site, int times, int space);

/* Injection at @site off again. */
static inline void gmm_kunit_fault_clear(enum gmm_fault_site site)
{
	gmm_fault_attrs[site].probability = 0;
}

/* Failures still to come at @site. */
static inline int gmm_kunit_fault_times(enum gmm_fault_site site)
{
	return atomic_read(&gmm_fault_attrs[site].times);
}

/* A case that injects failures, in a suite's table of cases. */
#define GMM_KUNIT_FAULT_CASE(fn)	KUNIT_CASE(fn)
#else
/* Without fault injection, each such case is this one: skipped. */
void gmm_kunit_needs_faults(struct kunit *test);
#define GMM_KUNIT_FAULT_CASE(fn)	KUNIT_CASE(gmm_kunit_needs_faults)
#endif

/* Slot of @obj in its span @s. */
static inline unsigned int gmm_kunit_slot(const struct gmm_span *s,
					  const void *obj)
{
	if (s->state == GMM_SPAN_LARGE)
		return 0;
	return gmm_div_elemsize((unsigned long)obj - s->base, s->divmagic);
}

/* Slot of @obj in the span that holds it. */
static inline unsigned int gmm_kunit_slot_of(const void *obj)
{
	return gmm_kunit_slot(gmm_span_of(obj), obj);
}

/* Whether @size bytes at @p are all zero. */
static inline bool gmm_kunit_is_zero(const void *p, size_t size)
{
	return !memchr_inv(p, 0, size);
}

#endif /* _GMM_KUNIT_H */
