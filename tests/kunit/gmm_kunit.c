// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_kunit.c - the fixture of gmm's KUnit suites (see gmm_kunit.h): heaps,
 * root slots, types and buffers a case holds, the checks of its exit, and
 * the helpers several suites share.
 *
 * Addresses are never printed: failures show ids, slots and counts.
 */
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/wait.h>

#include "gmm_kunit.h"
#include "mark.h"
#include "pagelimit.h"
#include "scavenge.h"

const unsigned long gmm_kunit_node_ptrs[1] = { BIT(0) | BIT(1) };
const unsigned long gmm_kunit_ptr_ptrs[1] = { BIT(0) };
const unsigned long gmm_kunit_kb_ptrs[BITS_TO_LONGS(SZ_1K / 8)] = { BIT(0) };

/**
 * gmm_kunit_select() - skip the case unless its suite is selected
 * @test: the case
 * @ret: what the suite's init has returned so far
 * @suite: the suite's name
 *
 * gmm.ko's kunit_suites parameter (gmm/kunit_params.c) may select suites;
 * make mutate runs the suites that should kill a mutant first.  The exit
 * handler runs after a skip as after any case.
 *
 * Return: @ret.
 */
int gmm_kunit_select(struct kunit *test, int ret, const char *suite)
{
	if (!ret && !gmm_kunit_suite_selected(suite))
		kunit_skip(test, "suite not in gmm.ko's kunit_suites");
	return ret;
}

/**
 * gmm_kunit_init() - the init of a suite: set the fixture up
 * @test: the case
 * @suite: the suite's name (gmm_kunit_select())
 * @priv_size: bytes of the suite's own state (zeroed), 0 for none
 *
 * Saves what the exit handler restores and counts the pages gmm holds.
 *
 * Return: 0 or -ENOMEM.
 */
int gmm_kunit_init(struct kunit *test, const char *suite, size_t priv_size)
{
	struct gmm_kunit *k;
#ifdef CONFIG_FAULT_INJECTION
	unsigned int i;
#endif

	k = kunit_kzalloc(test, sizeof(*k), GFP_KERNEL);
	if (!k)
		return -ENOMEM;
	if (priv_size) {
		k->priv = kunit_kzalloc(test, priv_size, GFP_KERNEL);
		if (!k->priv)
			return -ENOMEM;
	}
	test->priv = k;
#ifdef CONFIG_FAULT_INJECTION
	for (i = 0; i < GMM_FAIL_NR; i++)
		gmm_kunit_fault_save(&k->faults[i], &gmm_fault_attrs[i]);
#endif
	k->saved_mb = gmm_pageheap_set_max_total_mb(0);
	gmm_pageheap_set_max_total_mb(k->saved_mb);
	k->saved_background = gmm_scavenge_set_background(true);
	gmm_scavenge_set_background(k->saved_background);
	k->baseline = gmm_pageheap_total_pages();
	return gmm_kunit_select(test, 0, suite);
}

/**
 * gmm_kunit_exit() - the exit of a suite: free what the case held
 * @test: the case
 *
 * Lets a held collector go, destroys the heaps and the bare page heap,
 * frees the buffers, restores fault injection, the module-wide limit, the
 * background scavenger's switch and the write barrier, and expects every
 * page back with the buddy allocator.  A suite with threads or scopes of
 * its own ends them first.
 */
void gmm_kunit_exit(struct kunit *test)
{
	struct gmm_kunit *k = test->priv;
	unsigned int i;

	gmm_barrier_disabled = false;
	if (!k)
		return;
	for (i = 0; i < GMM_KUNIT_HEAPS; i++)
		if (k->heaps[i])
			gmm_gc_hold_release(k->heaps[i], false);
#ifdef CONFIG_FAULT_INJECTION
	for (i = 0; i < GMM_FAIL_NR; i++)
		gmm_kunit_fault_restore(&k->faults[i], &gmm_fault_attrs[i]);
#endif
	gmm_pageheap_set_max_total_mb(k->saved_mb);
	gmm_scavenge_set_background(k->saved_background);
	for (i = 0; k->ph && i < k->nspans; i++)
		if (k->spans[i].arena)
			gmm_pageheap_free(k->ph, &k->spans[i]);
	gmm_kunit_pageheap_destroy(test);
	for (i = 0; i < GMM_KUNIT_HEAPS; i++) {
		gmm_heap_destroy(k->heaps[i]);
		k->heaps[i] = NULL;
	}
	for (i = 0; i < GMM_KUNIT_BUFS; i++) {
		kvfree(k->bufs[i]);
		k->bufs[i] = NULL;
	}
	/* Destroying the heaps gave every page back. */
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(), k->baseline);
}

/**
 * gmm_kunit_heap() - a heap the fixture destroys
 * @test: the case
 * @name: its name
 * @gc_percent: GOGC (-1: only gmm_gc() collects; 0: the default, 100)
 * @limit: its memory limit (0: none of its own)
 *
 * Return: the heap; the case ends if it cannot be made.
 */
struct gmm_heap *gmm_kunit_heap(struct kunit *test, const char *name,
				int gc_percent, u64 limit)
{
	struct gmm_kunit *k = test->priv;
	struct gmm_heap_params params = {
		.name = name,
		.limit_bytes = limit,
		.gc_percent = gc_percent,
	};
	struct gmm_heap *h;
	unsigned int i = 0;

	while (i < GMM_KUNIT_HEAPS && k->heaps[i])
		i++;
	KUNIT_ASSERT_LT(test, i, GMM_KUNIT_HEAPS);
	h = gmm_heap_create(&params);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, h);
	k->heaps[i] = h;
	KUNIT_EXPECT_STREQ(test, gmm_heap_name(h), name);
	return h;
}

/**
 * gmm_kunit_heap_destroy() - destroy a heap of the fixture now
 * @test: the case
 * @h: the heap
 */
void gmm_kunit_heap_destroy(struct kunit *test, struct gmm_heap *h)
{
	struct gmm_kunit *k = test->priv;
	unsigned int i;

	for (i = 0; i < GMM_KUNIT_HEAPS; i++)
		if (k->heaps[i] == h)
			k->heaps[i] = NULL;
	gmm_heap_destroy(h);
}

/**
 * gmm_kunit_root() - register fixture root slot @i with @h
 * @test: the case
 * @h: the heap
 * @i: the slot, below GMM_KUNIT_ROOTS
 *
 * Return: the slot, NULL to start with.
 */
void **gmm_kunit_root(struct kunit *test, struct gmm_heap *h, unsigned int i)
{
	struct gmm_kunit *k = test->priv;

	KUNIT_ASSERT_LT(test, i, GMM_KUNIT_ROOTS);
	k->roots[i] = NULL;
	KUNIT_ASSERT_EQ(test, gmm_root_add(h, &k->roots[i]), 0);
	return &k->roots[i];
}

/**
 * gmm_kunit_type() - register a type that must be had
 * @test: the case
 * @h: the heap
 * @name: the type's name
 * @size: bytes of one element
 * @align: its alignment
 * @ptrmap: its pointer words, or NULL
 *
 * Return: the type.
 */
const struct gmm_type *gmm_kunit_type(struct kunit *test, struct gmm_heap *h,
				      const char *name, size_t size,
				      size_t align, const unsigned long *ptrmap)
{
	const struct gmm_type *t;

	t = gmm_type_register(h, name, size, align, ptrmap);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t);
	return t;
}

/* The type of struct gmm_kunit_node in @h. */
const struct gmm_type *gmm_kunit_node_type(struct kunit *test,
					   struct gmm_heap *h)
{
	return gmm_kunit_type(test, h, "node", sizeof(struct gmm_kunit_node),
			      8, gmm_kunit_node_ptrs);
}

/* A one-pointer type "ptr", for arrays of pointers. */
const struct gmm_type *gmm_kunit_ptr_type(struct kunit *test,
					  struct gmm_heap *h)
{
	return gmm_kunit_type(test, h, "ptr", 8, 8, gmm_kunit_ptr_ptrs);
}

/* A 1 KiB type "kb" whose word 0 is a pointer. */
const struct gmm_type *gmm_kunit_kb_type(struct kunit *test,
					 struct gmm_heap *h)
{
	return gmm_kunit_type(test, h, "kb", SZ_1K, 8, gmm_kunit_kb_ptrs);
}

/* A node of type @t with its id set, or NULL.  Inside a section. */
struct gmm_kunit_node *gmm_kunit_node(struct gmm_heap *h,
				      const struct gmm_type *t, u64 id)
{
	struct gmm_kunit_node *n = gmm_alloc(h, t);

	if (n)
		n->id = id;
	return n;
}

/* kvzalloc() of @size bytes that must be had; the exit handler frees it. */
void *gmm_kunit_kvzalloc(struct kunit *test, size_t size)
{
	struct gmm_kunit *k = test->priv;
	unsigned int i = 0;
	void *p;

	while (i < GMM_KUNIT_BUFS && k->bufs[i])
		i++;
	KUNIT_ASSERT_LT(test, i, GMM_KUNIT_BUFS);
	p = kvzalloc(size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	k->bufs[i] = p;
	return p;
}

/* Free a buffer of gmm_kunit_kvzalloc() now. */
void gmm_kunit_kvfree(struct kunit *test, void *p)
{
	struct gmm_kunit *k = test->priv;
	unsigned int i;

	for (i = 0; i < GMM_KUNIT_BUFS; i++)
		if (k->bufs[i] == p)
			k->bufs[i] = NULL;
	kvfree(p);
}

/**
 * gmm_kunit_pageheap() - a bare page heap the fixture destroys
 * @test: the case
 * @nspans: span descriptors for it (gmm_kunit_span(), or k->spans[i])
 *
 * One per case.  The exit handler frees every descriptor that still has
 * an arena, then destroys the page heap.
 *
 * Return: the page heap; the case ends if it cannot be made.
 */
struct gmm_pageheap *gmm_kunit_pageheap(struct kunit *test,
					unsigned int nspans)
{
	struct gmm_kunit *k = test->priv;
	struct gmm_pageheap *ph;
	struct gmm_span *spans;

	KUNIT_ASSERT_NULL(test, k->ph);
	/* Not on the stack: a page heap has a work item. */
	ph = kunit_kzalloc(test, sizeof(*ph), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ph);
	spans = kunit_kcalloc(test, nspans, sizeof(*spans), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, spans);
	KUNIT_ASSERT_EQ(test, gmm_pageheap_init(ph, GFP_KERNEL, 0), 0);
	k->spans = spans;
	k->nspans = nspans;
	k->spans_used = 0;
	k->ph = ph;
	return ph;
}

/*
 * Destroy the fixture's page heap now, with whatever spans it still has:
 * their descriptors are forgotten.
 */
void gmm_kunit_pageheap_destroy(struct kunit *test)
{
	struct gmm_kunit *k = test->priv;

	if (!k->ph)
		return;
	gmm_pageheap_destroy(k->ph);
	k->ph = NULL;
}

/* A span descriptor of the fixture's page heap no case has had yet. */
struct gmm_span *gmm_kunit_span(struct kunit *test)
{
	struct gmm_kunit *k = test->priv;

	KUNIT_ASSERT_LT(test, k->spans_used, k->nspans);
	return &k->spans[k->spans_used++];
}

/*
 * gmm_alloc() and friends in a mutator section of their own, for heaps
 * that never collect (gc_percent -1): the case may keep the pointers
 * across sections.
 */
void *gmm_kunit_alloc(struct gmm_heap *h, const struct gmm_type *t)
{
	void *p;

	gmm_mutator_enter(h);
	p = gmm_alloc(h, t);
	gmm_mutator_exit(h);
	return p;
}

void *gmm_kunit_alloc_array(struct gmm_heap *h, const struct gmm_type *t,
			    size_t n)
{
	void *p;

	gmm_mutator_enter(h);
	p = gmm_alloc_array(h, t, n);
	gmm_mutator_exit(h);
	return p;
}

void *gmm_kunit_alloc_noscan(struct gmm_heap *h, size_t size)
{
	void *p;

	gmm_mutator_enter(h);
	p = gmm_alloc_noscan(h, size);
	gmm_mutator_exit(h);
	return p;
}

/**
 * gmm_kunit_fill_mixed() - an array of noscan objects of many sizes
 * @test: the case
 * @h: the heap; called outside any section
 * @pt: a one-pointer type (gmm_kunit_ptr_ptrs), for the array
 * @root: a root slot of @h; gets the array
 * @n: objects to make: odd ones large (64 KiB + i * 4 KiB), even ones
 *	small (2 KiB + i * 16 bytes, a different class each)
 *
 * In one mutator section.  The case ends if an allocation fails.
 */
void gmm_kunit_fill_mixed(struct kunit *test, struct gmm_heap *h,
			  const struct gmm_type *pt, void **root,
			  unsigned int n)
{
	unsigned int i = 0;
	void **arr, *o = NULL;

	gmm_mutator_enter(h);
	arr = gmm_alloc_array(h, pt, n);
	if (arr)
		gmm_store_ptr(h, root, arr);
	for (; arr && i < n; i++) {
		o = i % 2 ? gmm_alloc_noscan(h, SZ_64K + i * SZ_4K) :
			    gmm_alloc_noscan(h, SZ_2K + i * 16);
		if (!o)
			break;
		gmm_store_ptr(h, &arr[i], o);
	}
	gmm_mutator_exit(h);
	KUNIT_ASSERT_NOT_NULL(test, arr);
	KUNIT_ASSERT_EQ_MSG(test, i, n, "allocation failed at object %u", i);
}

/**
 * gmm_kunit_churn_ring() - allocate into a ring: a steady live set, garbage
 * @test: the case
 * @h: the heap
 * @root: a root slot of @h; gets the ring
 * @pt: a one-pointer type (gmm_kunit_ptr_ptrs), for the ring
 * @kt: a scan type whose word 0 is a pointer, for the objects
 * @ring: slots in the ring: how many objects stay live
 * @n: objects to allocate
 *
 * Each object points back at the ring (scanned, but keeps nothing else
 * alive) and replaces the one @ring allocations older in its slot, 64
 * objects per mutator section.  The case ends if an allocation fails.
 */
void gmm_kunit_churn_ring(struct kunit *test, struct gmm_heap *h,
			  void **root, const struct gmm_type *pt,
			  const struct gmm_type *kt, unsigned int ring, u64 n)
{
	unsigned int j, fail = 0;
	void **slots, *obj;
	u64 i = 0;

	gmm_mutator_enter(h);
	slots = gmm_alloc_array(h, pt, ring);
	if (slots)
		gmm_store_ptr(h, root, slots);
	gmm_mutator_exit(h);
	KUNIT_ASSERT_NOT_NULL(test, slots);

	while (i < n && !fail) {
		gmm_mutator_enter(h);
		slots = *root;
		for (j = 0; j < 64 && i < n; j++, i++) {
			obj = gmm_alloc(h, kt);
			if (!obj) {
				fail++;
				break;
			}
			gmm_store_ptr(h, obj, slots);
			gmm_store_ptr(h, &slots[i % ring], obj);
		}
		gmm_mutator_exit(h);
		cond_resched();
	}
	KUNIT_ASSERT_EQ_MSG(test, fail, 0U, "allocation failed at object %llu",
			    i);
}

/* gmm_heap_read_stats() of @h, into the fixture's scratch. */
const struct gmm_memstats *gmm_kunit_stats(struct kunit *test,
					   struct gmm_heap *h)
{
	struct gmm_kunit *k = test->priv;

	gmm_heap_read_stats(h, &k->st);
	return &k->st;
}

/* Bytes of @h's page heap in spans. */
u64 gmm_kunit_inuse(struct gmm_heap *h)
{
	struct gmm_pageheap_stats ps;

	gmm_pageheap_read_stats(&h->pages, &ps);
	return ps.inuse_bytes;
}

/* Bytes of @h's page heap in arenas. */
u64 gmm_kunit_sys(struct gmm_heap *h)
{
	struct gmm_pageheap_stats ps;

	gmm_pageheap_read_stats(&h->pages, &ps);
	return ps.sys_bytes;
}

/* Spans @h holds: on central lists or in caches, and large ones. */
unsigned long gmm_kunit_spans(struct gmm_heap *h)
{
	unsigned long n = READ_ONCE(h->nr_large);
	unsigned int spc;

	for (spc = 0; spc < GMM_NUM_SPAN_CLASSES; spc++)
		n += READ_ONCE(h->central[spc].nr_spans);
	return n;
}

/**
 * gmm_kunit_live() - whether an object is still allocated
 * @h: its heap
 * @obj: the object
 *
 * From gmm's metadata alone: its arena is still held by the heap, its
 * runtime page belongs to a live span and, in a small span, the alloc bit
 * of its slot is set.  A large span holds one object and is freed with it
 * (its alloc bit is never used).  Only while no cycle runs and nothing
 * allocates in @h (after gmm_gc(), tests quiescent): then every span is
 * swept and its alloc bits are the last cycle's mark bits.  Takes no lock
 * but the page heap's, for the arena lookup.
 *
 * Return: true if @obj is allocated.
 */
bool gmm_kunit_live(struct gmm_heap *h, const void *obj)
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
bool gmm_kunit_marked(const void *obj)
{
	struct gmm_span *s = gmm_span_of(obj);

	return s && test_bit(gmm_kunit_slot(s, obj), s->mark_bits);
}

/**
 * gmm_kunit_hold_mark() - start a cycle and hold it as marking begins
 * @h: the heap, no cycle running
 * @c0: out: cycles completed before it (the held one is number *@c0 + 1)
 *
 * The cycle stops at GMM_HOLD_MARK: the first pause is over, the roots of
 * that pause are grey, nothing is drained.  Call outside any section.
 *
 * Return: true when it is held there; false (and not held) when it did
 * not get there in GMM_KUNIT_HOLD_TIMEOUT.
 */
bool gmm_kunit_hold_mark(struct gmm_heap *h, u64 *c0)
{
	*c0 = READ_ONCE(h->gc.completed);
	gmm_gc_hold_arm(h, GMM_HOLD_MARK);
	gmm_gc_trigger(h);
	if (gmm_gc_hold_wait(h, GMM_KUNIT_HOLD_TIMEOUT))
		return true;
	gmm_gc_hold_release(h, false);
	return false;
}

/**
 * gmm_kunit_finish_cycle() - let a held cycle go on and wait for its end
 * @h: the heap
 * @c0: cycles completed before the held one
 * @skip_bg: after GMM_HOLD_MARK, no background marking (gmm_gc_hold_release())
 *
 * Call outside any section.
 *
 * Return: true when cycle @c0 + 1 ended in GMM_KUNIT_CYCLE_TIMEOUT.
 */
bool gmm_kunit_finish_cycle(struct gmm_heap *h, u64 c0, bool skip_bg)
{
	gmm_gc_hold_release(h, skip_bg);
	return wait_event_timeout(h->gc.done, READ_ONCE(h->gc.completed) > c0,
				  GMM_KUNIT_CYCLE_TIMEOUT) > 0;
}

/**
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
void gmm_kunit_assist_held(struct kunit *test, struct gmm_heap *h,
			   const struct gmm_type *t, void **root)
{
	u64 a0, c0;
	void *obj;

	KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);
	a0 = atomic64_read(&h->gc.assists);
	KUNIT_ASSERT_TRUE_MSG(test, gmm_kunit_hold_mark(h, &c0),
			      "the cycle never reached its mark phase");
	gmm_mutator_enter(h);
	obj = gmm_alloc(h, t);
	if (obj)
		gmm_store_ptr(h, obj, READ_ONCE(*root));
	gmm_mutator_exit(h);
	KUNIT_ASSERT_TRUE(test, gmm_kunit_finish_cycle(h, c0, false));
	KUNIT_EXPECT_NOT_NULL(test, obj);
	KUNIT_EXPECT_GT(test, (u64)atomic64_read(&h->gc.assists), a0);
}

#ifdef CONFIG_FAULT_INJECTION
/* Save fault_attr @a into @s. */
void gmm_kunit_fault_save(struct gmm_kunit_fault_saved *s,
			  struct fault_attr *a)
{
	s->probability = a->probability;
	s->interval = a->interval;
	s->times = atomic_read(&a->times);
	s->space = atomic_read(&a->space);
	s->verbose = a->verbose;
	s->task_filter = a->task_filter;
}

/* Put fault_attr @a back as @s has it. */
void gmm_kunit_fault_restore(const struct gmm_kunit_fault_saved *s,
			     struct fault_attr *a)
{
	a->probability = s->probability;
	a->interval = s->interval;
	atomic_set(&a->times, s->times);
	atomic_set(&a->space, s->space);
	a->verbose = s->verbose;
	a->task_filter = s->task_filter;
}

/*
 * Make the next @times calls at @site fail, after letting the first calls
 * through while they use up @space (one unit per call), quietly: verbose 0,
 * or the kernel prints a stack trace.  The exit handler restores @site.
 */
void gmm_kunit_fault_set(enum gmm_fault_site site, int times, int space)
{
	struct fault_attr *a = &gmm_fault_attrs[site];

	a->verbose = 0;
	a->task_filter = false;
	a->interval = 1;
	atomic_set(&a->space, space);
	atomic_set(&a->times, times);
	a->probability = 100;
}
#else
void gmm_kunit_needs_faults(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_FAULT_INJECTION");
}
#endif
