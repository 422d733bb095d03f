// SPDX-License-Identifier: GPL-2.0
/*
 * roots_test.c - KUnit suite "gmm_roots": root slots, handles, scopes and
 * the root scan, without the collector.
 *
 * Each test gets a fresh heap with collection off (gc_percent -1), so no
 * cycle runs and objects allocated with gmm_alloc_noscan() stay put while
 * the test holds them in plain variables between mutator sections, and
 * writes to root slots and scope locals need no section either.
 * Allocation and the handle functions still run inside sections, as the
 * API demands (each in one of its own, so that a failed assertion never
 * leaves one open).  gmm_roots_scan() is called directly, outside any
 * section like the collector does, with a recording shade callback, and
 * what it saw is compared with what the test registered: same number of
 * calls, same multiset of objects, never NULL, always the right heap.
 *
 * Root slots, scopes and their locals live in the fixture, not on the
 * stack of the test, so that the fixture's exit can leave scopes a failed
 * assertion skipped.  Addresses are compared, never printed.
 */
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/limits.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include <linux/gmm.h>
#include "gmm_kunit.h"

#define RT_SLOTS		8
#define RT_SCOPES		2
#define RT_MANY			10000
#define RT_SEEN_MAX		(RT_MANY + 64)
#define RT_HANDLE_MAX		(U32_MAX >> 1)

struct rt_fixture {
	struct gmm_heap *h;
	void *vars[RT_SLOTS];			/* root slots */
	struct gmm_scope scopes[RT_SCOPES];
	bool entered[RT_SCOPES];
	void *locals[RT_SCOPES][GMM_SCOPE_SLOTS + 1];
	/* What rt_shade() saw during the last scan. */
	void **seen;
	unsigned int nseen;
	unsigned int nnull;
	unsigned int nforeign;
};

/* The fixture of the running test, for rt_shade(). */
static struct rt_fixture *rt_cur;

static void rt_shade(struct gmm_heap *h, void *obj)
{
	struct rt_fixture *f = rt_cur;

	if (h != f->h)
		f->nforeign++;
	if (!obj)
		f->nnull++;
	if (f->nseen < RT_SEEN_MAX)
		f->seen[f->nseen] = obj;
	f->nseen++;
}

static int rt_cmp(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/*
 * Scan the roots and check that shade() saw exactly @exp (a multiset of
 * @n objects; sorted in place).
 */
static void rt_scan_expect(struct kunit *test, void **exp, unsigned int n)
{
	struct rt_fixture *f = gmm_kunit_priv(test);
	unsigned int i, diff = 0;

	f->nseen = 0;
	f->nnull = 0;
	f->nforeign = 0;
	gmm_roots_scan(f->h, rt_shade);
	KUNIT_EXPECT_EQ(test, f->nnull, 0);
	KUNIT_EXPECT_EQ(test, f->nforeign, 0);
	KUNIT_ASSERT_EQ(test, f->nseen, n);
	sort(f->seen, n, sizeof(void *), rt_cmp, NULL);
	sort(exp, n, sizeof(void *), rt_cmp, NULL);
	for (i = 0; i < n; i++)
		if (f->seen[i] != exp[i])
			diff++;
	KUNIT_EXPECT_EQ_MSG(test, diff, 0, "scan saw other objects than registered");
}

static void *rt_obj(struct kunit *test, size_t size)
{
	struct rt_fixture *f = gmm_kunit_priv(test);
	void *p = gmm_kunit_alloc_noscan(f->h, size);

	KUNIT_ASSERT_NOT_NULL(test, p);
	return p;
}

/* The handle functions, each in a mutator section of its own. */
static int rt_hget(struct kunit *test, void *obj, u32 *handle)
{
	struct rt_fixture *f = gmm_kunit_priv(test);
	int ret;

	gmm_mutator_enter(f->h);
	ret = gmm_handle_get(f->h, obj, handle);
	gmm_mutator_exit(f->h);
	return ret;
}

static void *rt_hobj(struct kunit *test, u32 handle)
{
	struct rt_fixture *f = gmm_kunit_priv(test);
	void *obj;

	gmm_mutator_enter(f->h);
	obj = gmm_handle_obj(f->h, handle);
	gmm_mutator_exit(f->h);
	return obj;
}

static int rt_hput(struct kunit *test, u32 handle)
{
	struct rt_fixture *f = gmm_kunit_priv(test);
	int ret;

	gmm_mutator_enter(f->h);
	ret = gmm_handle_put(f->h, handle);
	gmm_mutator_exit(f->h);
	return ret;
}

/* A handle for @obj, which must be had. */
static u32 rt_get(struct kunit *test, void *obj)
{
	u32 handle = 0;

	KUNIT_ASSERT_EQ(test, rt_hget(test, obj, &handle), 0);
	KUNIT_ASSERT_GE(test, handle, 1);
	return handle;
}

static struct gmm_scope *rt_enter(struct kunit *test, unsigned int i)
{
	struct rt_fixture *f = gmm_kunit_priv(test);

	gmm_scope_enter(f->h, &f->scopes[i]);
	f->entered[i] = true;
	return &f->scopes[i];
}

static void rt_leave(struct kunit *test, unsigned int i)
{
	struct rt_fixture *f = gmm_kunit_priv(test);

	gmm_scope_leave(&f->scopes[i]);
	f->entered[i] = false;
}

static int rt_init(struct kunit *test)
{
	struct rt_fixture *f;
	int ret = gmm_kunit_init(test, "gmm_roots", sizeof(*f));

	if (ret)
		return ret;
	f = gmm_kunit_priv(test);
	f->seen = kunit_kcalloc(test, RT_SEEN_MAX, sizeof(void *), GFP_KERNEL);
	if (!f->seen)
		return -ENOMEM;
	rt_cur = f;
	f->h = gmm_kunit_heap(test, "kunit", -1, 0);
	/* A zeroed gmm_roots has no list head: gmm_roots_init() not wired. */
	KUNIT_ASSERT_NOT_NULL_MSG(test, f->h->roots.scopes.next,
				  "gmm_heap_create() does not call gmm_roots_init()");
	return 0;
}

static void rt_exit(struct kunit *test)
{
	struct rt_fixture *f = gmm_kunit_priv(test);
	unsigned int i;

	if (f && f->h && f->h->roots.scopes.next)
		for (i = 0; i < RT_SCOPES; i++)
			if (f->entered[i])
				gmm_scope_leave(&f->scopes[i]);
	gmm_kunit_exit(test);
	rt_cur = NULL;
}

/* Handles are 1, 2, 3, ... and lead back to their objects. */
static void rt_handles_sequential(struct kunit *test)
{
	struct rt_fixture *f = gmm_kunit_priv(test);
	void *a = rt_obj(test, 16), *b = rt_obj(test, 16), *c = rt_obj(test, 16);

	KUNIT_EXPECT_EQ(test, rt_get(test, a), 1);
	KUNIT_EXPECT_EQ(test, rt_get(test, b), 2);
	KUNIT_EXPECT_EQ(test, rt_get(test, c), 3);
	/* The same object again: a handle of its own. */
	KUNIT_EXPECT_EQ(test, rt_get(test, a), 4);

	KUNIT_EXPECT_TRUE(test, rt_hobj(test, 1) == a);
	KUNIT_EXPECT_TRUE(test, rt_hobj(test, 2) == b);
	KUNIT_EXPECT_TRUE(test, rt_hobj(test, 3) == c);
	KUNIT_EXPECT_TRUE(test, rt_hobj(test, 4) == a);
	KUNIT_EXPECT_NULL(test, rt_hobj(test, 0));
	KUNIT_EXPECT_NULL(test, rt_hobj(test, 5));
	KUNIT_EXPECT_NULL(test, rt_hobj(test, RT_HANDLE_MAX));
	KUNIT_EXPECT_NULL(test, rt_hobj(test, U32_MAX));
	KUNIT_EXPECT_EQ(test, gmm_roots_count(f->h), 4);
}

/* put: once, then -ENOENT; bogus handles; numbers go round, not reused. */
static void rt_handles_put_reuse(struct kunit *test)
{
	struct rt_fixture *f = gmm_kunit_priv(test);
	void *objs[5];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(objs); i++) {
		objs[i] = rt_obj(test, 32);
		KUNIT_ASSERT_EQ(test, rt_get(test, objs[i]), i + 1);
	}
	KUNIT_EXPECT_EQ(test, rt_hput(test, 3), 0);
	KUNIT_EXPECT_EQ(test, rt_hput(test, 3), -ENOENT);
	KUNIT_EXPECT_NULL(test, rt_hobj(test, 3));
	KUNIT_EXPECT_EQ(test, rt_hput(test, 0), -ENOENT);
	KUNIT_EXPECT_EQ(test, rt_hput(test, 6), -ENOENT);
	KUNIT_EXPECT_EQ(test, rt_hput(test, 1000), -ENOENT);
	KUNIT_EXPECT_EQ(test, rt_hput(test, RT_HANDLE_MAX), -ENOENT);
	KUNIT_EXPECT_EQ(test, rt_hput(test, RT_HANDLE_MAX + 1), -ENOENT);
	KUNIT_EXPECT_EQ(test, rt_hput(test, U32_MAX), -ENOENT);
	KUNIT_EXPECT_EQ(test, gmm_roots_count(f->h), 4);
	/* The others are untouched. */
	KUNIT_EXPECT_TRUE(test, rt_hobj(test, 2) == objs[1]);
	KUNIT_EXPECT_TRUE(test, rt_hobj(test, 4) == objs[3]);

	/* Released numbers are not issued again: the allocation is cyclic,
	 * so a stale handle keeps failing instead of naming a new object.
	 */
	KUNIT_EXPECT_EQ(test, rt_get(test, objs[0]), 6);
	KUNIT_EXPECT_TRUE(test, rt_hobj(test, 6) == objs[0]);
	KUNIT_EXPECT_NULL(test, rt_hobj(test, 3));
	KUNIT_EXPECT_EQ(test, rt_hput(test, 2), 0);
	KUNIT_EXPECT_EQ(test, rt_hput(test, 1), 0);
	KUNIT_EXPECT_EQ(test, rt_get(test, objs[4]), 7);
	KUNIT_EXPECT_EQ(test, rt_get(test, objs[4]), 8);
	KUNIT_EXPECT_NULL(test, rt_hobj(test, 1));

	for (i = 4; i <= 8; i++)
		KUNIT_EXPECT_EQ(test, rt_hput(test, i), 0);
	KUNIT_EXPECT_EQ(test, gmm_roots_count(f->h), 0);
	KUNIT_EXPECT_EQ(test, rt_get(test, objs[2]), 9);

	/* At the top of the range the numbers go round to the lowest free. */
	f->h->roots.handle_next = RT_HANDLE_MAX;
	KUNIT_EXPECT_EQ(test, rt_get(test, objs[1]), RT_HANDLE_MAX);
	KUNIT_EXPECT_EQ(test, rt_get(test, objs[3]), 1);
	KUNIT_EXPECT_EQ(test, rt_get(test, objs[3]), 2);
	KUNIT_EXPECT_TRUE(test, rt_hobj(test, RT_HANDLE_MAX) == objs[1]);
	KUNIT_EXPECT_TRUE(test, rt_hobj(test, 9) == objs[2]);
}

static void rt_handles_bad_args(struct kunit *test)
{
	struct rt_fixture *f = gmm_kunit_priv(test);
	u32 handle = 77;

	KUNIT_EXPECT_EQ(test, rt_hget(test, NULL, &handle), -EINVAL);
	KUNIT_EXPECT_EQ(test, handle, 77);
	KUNIT_EXPECT_EQ(test, gmm_roots_count(f->h), 0);
	rt_scan_expect(test, NULL, 0);
}

/*
 * Tiny objects can sit at any byte; the xarray reserves entries ending in
 * binary 10.  Handles to objects at every address mod 4 must round-trip.
 */
static void rt_handles_tiny_alignment(struct kunit *test)
{
	void *by_mod[4] = { };
	void *exp[4];
	unsigned int i, found = 0;
	u32 handles[4];

	for (i = 0; i < 256 && found < 4; i++) {
		void *p = rt_obj(test, 1);
		unsigned long mod = (unsigned long)p & 3;

		if (!by_mod[mod]) {
			by_mod[mod] = p;
			found++;
		}
	}
	KUNIT_ASSERT_EQ_MSG(test, found, 4, "tiny objects at every address mod 4");
	for (i = 0; i < 4; i++) {
		handles[i] = rt_get(test, by_mod[i]);
		exp[i] = by_mod[i];
	}
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_TRUE_MSG(test,
				      rt_hobj(test, handles[i]) == by_mod[i],
				      "object at address mod 4 = %u", i);
	rt_scan_expect(test, exp, 4);
}

static void *rt_global_slot;

/* Root slots: add, -EEXIST, bad slots, remove (also of unknown slots). */
static void rt_slots_add_remove(struct kunit *test)
{
	struct rt_fixture *f = gmm_kunit_priv(test);
	void **odd = (void **)((char *)&f->vars[1] + 1);
	void *inheap = rt_obj(test, 64);

	KUNIT_EXPECT_EQ(test, gmm_root_add(f->h, &f->vars[0]), 0);
	KUNIT_EXPECT_EQ(test, gmm_root_add(f->h, &f->vars[0]), -EEXIST);
	KUNIT_EXPECT_EQ(test, gmm_root_add(f->h, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, gmm_root_add(f->h, odd), -EINVAL);
	KUNIT_EXPECT_EQ(test, gmm_root_add(f->h, inheap), -EINVAL);
	KUNIT_EXPECT_EQ(test, gmm_root_add(f->h, &rt_global_slot), 0);
	KUNIT_EXPECT_EQ(test, gmm_roots_count(f->h), 2);

	/* Unknown and NULL slots: nothing happens. */
	gmm_root_remove(f->h, &f->vars[2]);
	gmm_root_remove(f->h, NULL);
	KUNIT_EXPECT_EQ(test, gmm_roots_count(f->h), 2);

	gmm_root_remove(f->h, &f->vars[0]);
	KUNIT_EXPECT_EQ(test, gmm_roots_count(f->h), 1);
	gmm_root_remove(f->h, &f->vars[0]);
	KUNIT_EXPECT_EQ(test, gmm_roots_count(f->h), 1);
	gmm_root_remove(f->h, &rt_global_slot);
	KUNIT_EXPECT_EQ(test, gmm_roots_count(f->h), 0);

	/* Removed slots can be added again; neighbours are distinct slots. */
	KUNIT_EXPECT_EQ(test, gmm_root_add(f->h, &f->vars[0]), 0);
	KUNIT_EXPECT_EQ(test, gmm_root_add(f->h, &f->vars[1]), 0);
	KUNIT_EXPECT_EQ(test, gmm_roots_count(f->h), 2);
}

/* Scopes: GMM_SCOPE_SLOTS locals, then -ENOSPC; nesting; leave. */
static void rt_scopes_limit(struct kunit *test)
{
	struct rt_fixture *f = gmm_kunit_priv(test);
	struct gmm_scope *outer, *inner;
	unsigned int i;

	outer = rt_enter(test, 0);
	KUNIT_EXPECT_EQ(test, f->h->roots.nr_scopes, 1);
	KUNIT_EXPECT_EQ(test, outer->n, 0);
	for (i = 0; i < GMM_SCOPE_SLOTS; i++)
		KUNIT_EXPECT_EQ(test, gmm_scope_add(outer, &f->locals[0][i]), 0);
	KUNIT_EXPECT_EQ(test, gmm_scope_add(outer, &f->locals[0][i]), -ENOSPC);
	KUNIT_EXPECT_EQ(test, gmm_scope_add(outer, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, outer->n, GMM_SCOPE_SLOTS);
	KUNIT_EXPECT_EQ(test, gmm_roots_count(f->h), GMM_SCOPE_SLOTS);

	inner = rt_enter(test, 1);
	KUNIT_EXPECT_EQ(test, f->h->roots.nr_scopes, 2);
	KUNIT_EXPECT_EQ(test, gmm_scope_add(inner, &f->locals[1][0]), 0);
	KUNIT_EXPECT_EQ(test, gmm_roots_count(f->h), GMM_SCOPE_SLOTS + 1);
	/* All locals are NULL: nothing to shade. */
	rt_scan_expect(test, NULL, 0);

	rt_leave(test, 1);
	KUNIT_EXPECT_EQ(test, f->h->roots.nr_scopes, 1);
	KUNIT_EXPECT_EQ(test, gmm_roots_count(f->h), GMM_SCOPE_SLOTS);
	rt_leave(test, 0);
	KUNIT_EXPECT_EQ(test, f->h->roots.nr_scopes, 0);
	KUNIT_EXPECT_EQ(test, gmm_roots_count(f->h), 0);

	/* A scope can be entered again, empty. */
	outer = rt_enter(test, 0);
	KUNIT_EXPECT_EQ(test, outer->n, 0);
	KUNIT_EXPECT_EQ(test, gmm_scope_add(outer, &f->locals[0][0]), 0);
	rt_leave(test, 0);
}

/* The scan sees exactly the non-NULL objects of all three kinds of roots. */
static void rt_scan_exact(struct kunit *test)
{
	struct rt_fixture *f = gmm_kunit_priv(test);
	void *o[8], *exp[8];
	struct gmm_scope *s;
	u32 hc, hd, ha;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(o); i++)
		o[i] = rt_obj(test, 48);

	/* Slots: A, NULL, B. */
	f->vars[0] = o[0];
	f->vars[1] = NULL;
	f->vars[2] = o[1];
	for (i = 0; i < 3; i++)
		KUNIT_ASSERT_EQ(test, gmm_root_add(f->h, &f->vars[i]), 0);
	/* Handles: C, D, and A a second time. */
	hc = rt_get(test, o[2]);
	hd = rt_get(test, o[3]);
	ha = rt_get(test, o[0]);
	/* A scope with E, NULL, F. */
	s = rt_enter(test, 0);
	f->locals[0][0] = o[4];
	f->locals[0][1] = NULL;
	f->locals[0][2] = o[5];
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, gmm_scope_add(s, &f->locals[0][i]), 0);

	KUNIT_EXPECT_EQ(test, gmm_roots_count(f->h), 9);
	exp[0] = o[0];
	exp[1] = o[1];
	exp[2] = o[2];
	exp[3] = o[3];
	exp[4] = o[0];
	exp[5] = o[4];
	exp[6] = o[5];
	rt_scan_expect(test, exp, 7);

	/* The scan reads slots and locals when it runs. */
	f->vars[1] = o[6];
	f->locals[0][0] = NULL;
	f->locals[0][1] = o[7];
	exp[0] = o[0];
	exp[1] = o[1];
	exp[2] = o[2];
	exp[3] = o[3];
	exp[4] = o[0];
	exp[5] = o[6];
	exp[6] = o[7];
	exp[7] = o[5];
	rt_scan_expect(test, exp, 8);

	/* Released roots are gone. */
	KUNIT_EXPECT_EQ(test, rt_hput(test, hc), 0);
	gmm_root_remove(f->h, &f->vars[2]);
	rt_leave(test, 0);
	KUNIT_EXPECT_EQ(test, gmm_roots_count(f->h), 4);
	exp[0] = o[0];
	exp[1] = o[6];
	exp[2] = o[3];
	exp[3] = o[0];
	rt_scan_expect(test, exp, 4);

	KUNIT_EXPECT_EQ(test, rt_hput(test, hd), 0);
	KUNIT_EXPECT_EQ(test, rt_hput(test, ha), 0);
	gmm_root_remove(f->h, &f->vars[0]);
	gmm_root_remove(f->h, &f->vars[1]);
	KUNIT_EXPECT_EQ(test, gmm_roots_count(f->h), 0);
	rt_scan_expect(test, NULL, 0);
}

/* 10k handles: all scanned, counted, released. */
static void rt_scan_many_handles(struct kunit *test)
{
	struct rt_fixture *f = gmm_kunit_priv(test);
	void **objs;
	unsigned int i;

	objs = kunit_kcalloc(test, RT_MANY, sizeof(void *), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	for (i = 0; i < RT_MANY; i++) {
		objs[i] = rt_obj(test, 16);
		KUNIT_ASSERT_EQ(test, rt_get(test, objs[i]), i + 1);
	}
	KUNIT_EXPECT_EQ(test, gmm_roots_count(f->h), RT_MANY);
	KUNIT_EXPECT_TRUE(test, rt_hobj(test, RT_MANY) == objs[RT_MANY - 1]);
	rt_scan_expect(test, objs, RT_MANY);

	for (i = 1; i <= RT_MANY; i += 2)
		KUNIT_ASSERT_EQ(test, rt_hput(test, i), 0);
	KUNIT_EXPECT_EQ(test, gmm_roots_count(f->h), RT_MANY / 2);
	for (i = 2; i <= RT_MANY; i += 2)
		KUNIT_ASSERT_EQ(test, rt_hput(test, i), 0);
	KUNIT_EXPECT_EQ(test, gmm_roots_count(f->h), 0);
	rt_scan_expect(test, NULL, 0);
}

/* Roots of one heap are invisible to another; destroy drops leftovers. */
static void rt_heaps_independent(struct kunit *test)
{
	struct rt_fixture *f = gmm_kunit_priv(test);
	void *a = rt_obj(test, 16), *b;
	struct gmm_heap *h2;
	void *exp[1];
	u32 handle = 0;

	h2 = gmm_kunit_heap(test, "kunit2", -1, 0);
	gmm_mutator_enter(h2);
	b = gmm_alloc_noscan(h2, 16);
	if (b)
		KUNIT_EXPECT_EQ(test, gmm_handle_get(h2, b, &handle), 0);
	gmm_mutator_exit(h2);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, handle, 1);
	f->vars[0] = b;
	KUNIT_EXPECT_EQ(test, gmm_root_add(h2, &f->vars[0]), 0);
	KUNIT_EXPECT_EQ(test, gmm_roots_count(h2), 2);

	KUNIT_EXPECT_EQ(test, rt_get(test, a), 1);
	KUNIT_EXPECT_EQ(test, gmm_roots_count(f->h), 1);
	exp[0] = a;
	rt_scan_expect(test, exp, 1);

	/* With a handle and a slot still registered. */
	gmm_kunit_heap_destroy(test, h2);
}

#ifdef CONFIG_FAULT_INJECTION
/* -ENOMEM from the tables leaves nothing behind. */
static void rt_enomem(struct kunit *test)
{
	struct rt_fixture *f = gmm_kunit_priv(test);
	void *a = rt_obj(test, 16);
	u32 handle = 0;

	gmm_kunit_fault_set(GMM_FAIL_HEAP_META, 1, 0);
	KUNIT_EXPECT_EQ(test, rt_hget(test, a, &handle), -ENOMEM);
	KUNIT_EXPECT_EQ(test, handle, 0);
	gmm_kunit_fault_set(GMM_FAIL_HEAP_META, 1, 0);
	KUNIT_EXPECT_EQ(test, gmm_root_add(f->h, &f->vars[0]), -ENOMEM);
	gmm_kunit_fault_clear(GMM_FAIL_HEAP_META);
	KUNIT_EXPECT_EQ(test, gmm_roots_count(f->h), 0);

	KUNIT_EXPECT_EQ(test, rt_get(test, a), 1);
	KUNIT_EXPECT_EQ(test, gmm_root_add(f->h, &f->vars[0]), 0);
	KUNIT_EXPECT_EQ(test, gmm_roots_count(f->h), 2);
}
#endif

static struct kunit_case gmm_roots_cases[] = {
	KUNIT_CASE(rt_handles_sequential),
	KUNIT_CASE(rt_handles_put_reuse),
	KUNIT_CASE(rt_handles_bad_args),
	KUNIT_CASE(rt_handles_tiny_alignment),
	KUNIT_CASE(rt_slots_add_remove),
	KUNIT_CASE(rt_scopes_limit),
	KUNIT_CASE(rt_scan_exact),
	KUNIT_CASE(rt_scan_many_handles),
	KUNIT_CASE(rt_heaps_independent),
	GMM_KUNIT_FAULT_CASE(rt_enomem),
	{}
};

static struct kunit_suite gmm_roots_suite = {
	.name = "gmm_roots",
	.init = rt_init,
	.exit = rt_exit,
	.test_cases = gmm_roots_cases,
};

kunit_test_suite(gmm_roots_suite);
