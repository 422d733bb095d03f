// SPDX-License-Identifier: GPL-2.0
/*
 * nowait_test.c - KUnit suite gmm_nowait: gmm_alloc_nowait() with a
 * spinlock held inside a mutator section, on the debug kernel (lockdep,
 * DEBUG_ATOMIC_SLEEP: anything on its path that could sleep is reported
 * as "sleeping function called from invalid context", which fails the
 * run).  It serves objects from the CPU's span and from swept spans the
 * central list has, fails with NULL rather than grow the heap, never
 * assists while the collector marks (its objects are allocated black all
 * the same), and refuses objects over 32 KiB.
 */
#include <kunit/test.h>
#include <linux/spinlock.h>

#include <linux/gmm.h>
#include "gmm_kunit.h"

struct nw_obj {
	struct nw_obj *next;
	u64 val[2];
};

struct nw_big {
	u64 words[GMM_MAX_SMALL_SIZE / 8 + 1];
};

static const struct gmm_type_desc nw_obj_desc = GMM_TYPE(struct nw_obj, next);
static const struct gmm_type_desc nw_big_desc = GMM_TYPE(struct nw_big);

struct nw_fix {
	struct gmm_heap *h;
	const struct gmm_type *t;
	struct nw_obj *root;		/* root slots */
	struct nw_obj *keep;
	spinlock_t lock;		/* a client's lock around nowait allocations */
};

/*
 * Up to @n objects linked in front of f->root, each from
 * gmm_alloc_nowait() under f->lock inside a section; how many it gave.
 */
static unsigned int nw_take(struct kunit *test, struct nw_fix *f,
			    unsigned int n)
{
	struct nw_obj *o;
	unsigned int i;

	gmm_mutator_enter(f->h);
	spin_lock(&f->lock);
	for (i = 0; i < n; i++) {
		o = gmm_alloc_nowait(f->h, f->t);
		if (!o)
			break;
		KUNIT_EXPECT_EQ(test, o->val[0] | o->val[1], 0);	/* zeroed */
		KUNIT_EXPECT_NULL(test, o->next);
		o->val[0] = i;
		gmm_store_ptr(f->h, &o->next, f->root);
		gmm_store_ptr(f->h, &f->root, o);
	}
	spin_unlock(&f->lock);
	gmm_mutator_exit(f->h);
	return i;
}

/*
 * @n objects by gmm_alloc() into f->keep's list, then every other one
 * unlinked: after a cycle their spans are swept with room in them.
 */
static void nw_half_full(struct kunit *test, struct nw_fix *f, unsigned int n)
{
	struct nw_obj *o;
	unsigned int i;

	gmm_mutator_enter(f->h);
	for (i = 0; i < n; i++) {
		o = gmm_alloc(f->h, f->t);
		KUNIT_ASSERT_NOT_NULL(test, o);
		gmm_store_ptr(f->h, &o->next, f->keep);
		gmm_store_ptr(f->h, &f->keep, o);
		gmm_mutator_yield(f->h);
	}
	for (o = f->keep; o && o->next; o = o->next)
		gmm_store_ptr(f->h, &o->next, o->next->next);
	gmm_mutator_exit(f->h);
	KUNIT_ASSERT_EQ(test, gmm_gc(f->h), 0);
}

/* A fresh heap has no span: NULL, and the heap does not grow. */
static void nw_never_grows(struct kunit *test)
{
	struct nw_fix *f = gmm_kunit_priv(test);
	struct gmm_heap_sample s;

	KUNIT_EXPECT_EQ(test, nw_take(test, f, 1), 0);
	gmm_heap_read_sample(f->h, &s);
	KUNIT_EXPECT_EQ(test, s.heap_sys, 0);
	KUNIT_EXPECT_EQ(test, s.heap_inuse, 0);
}

/*
 * After one sleeping allocation the CPU's span serves nowait ones until
 * it is full; then only swept partial spans of the class can refill it.
 */
static void nw_serves_cached_and_swept_spans(struct kunit *test)
{
	struct nw_fix *f = gmm_kunit_priv(test);
	struct gmm_heap_sample s0, s1;
	unsigned int got, again;

	gmm_mutator_enter(f->h);
	gmm_store_ptr(f->h, &f->keep, gmm_alloc(f->h, f->t));
	gmm_mutator_exit(f->h);
	KUNIT_ASSERT_NOT_NULL(test, f->keep);
	gmm_heap_read_sample(f->h, &s0);
	got = nw_take(test, f, 100000);
	gmm_heap_read_sample(f->h, &s1);
	/* One span's worth (its slots less the first), and not one page more. */
	KUNIT_EXPECT_GT(test, got, 100);
	KUNIT_EXPECT_LT(test, got, 100000);
	KUNIT_EXPECT_EQ(test, s1.heap_inuse, s0.heap_inuse);
	KUNIT_EXPECT_EQ(test, s1.heap_alloc,
			s0.heap_alloc + (u64)got * sizeof(struct nw_obj));

	/* Drop them (f->keep keeps the span): swept, it has room again. */
	gmm_mutator_enter(f->h);
	gmm_store_ptr(f->h, &f->root, NULL);
	gmm_mutator_exit(f->h);
	KUNIT_ASSERT_EQ(test, gmm_gc(f->h), 0);
	again = nw_take(test, f, 100000);
	KUNIT_EXPECT_GT(test, again, 100);
	KUNIT_ASSERT_EQ(test, gmm_gc(f->h), 0);
	KUNIT_EXPECT_TRUE(test, gmm_kunit_live(f->h, f->root));
}

/* While the collector marks: objects black, no assist, whatever it owes. */
static void nw_no_assist_while_marking(struct kunit *test)
{
	struct nw_fix *f = gmm_kunit_priv(test);
	unsigned int got;
	u64 a0;

	nw_half_full(test, f, 20000);	/* room for refills during the mark */
	gmm_gc_hold_arm(f->h, GMM_HOLD_MARK);
	gmm_gc_trigger(f->h);
	KUNIT_ASSERT_TRUE(test, gmm_gc_hold_wait(f->h, 60 * HZ));
	a0 = atomic64_read(&f->h->gc.assists);
	got = nw_take(test, f, 15000);
	KUNIT_EXPECT_GT(test, got, 1000);
	KUNIT_EXPECT_EQ(test, (u64)atomic64_read(&f->h->gc.assists), a0);
	gmm_mutator_enter(f->h);
	KUNIT_EXPECT_TRUE(test, gmm_kunit_marked(f->root));
	gmm_mutator_exit(f->h);
	gmm_gc_hold_release(f->h, false);
	KUNIT_ASSERT_EQ(test, gmm_gc(f->h), 0);
	KUNIT_EXPECT_TRUE(test, gmm_kunit_live(f->h, f->root));
}

static void nw_refuses_large(struct kunit *test)
{
	struct nw_fix *f = gmm_kunit_priv(test);
	const struct gmm_type *big = gmm_type_register_desc(f->h, &nw_big_desc);
	void *p;

	KUNIT_ASSERT_FALSE(test, IS_ERR(big));
	gmm_mutator_enter(f->h);
	spin_lock(&f->lock);
	p = gmm_alloc_nowait(f->h, big);
	spin_unlock(&f->lock);
	gmm_mutator_exit(f->h);
	KUNIT_EXPECT_NULL(test, p);
}

static int nw_init(struct kunit *test)
{
	struct nw_fix *f;
	int ret = gmm_kunit_init(test, "gmm_nowait", sizeof(*f));

	if (ret)
		return ret;
	f = gmm_kunit_priv(test);
	spin_lock_init(&f->lock);
	f->h = gmm_kunit_heap(test, "nowait", 100, 0);
	f->t = gmm_type_register_desc(f->h, &nw_obj_desc);
	if (IS_ERR(f->t))
		return PTR_ERR(f->t);
	ret = gmm_root_add(f->h, (void **)&f->root);
	if (ret)
		return ret;
	return gmm_root_add(f->h, (void **)&f->keep);
}

static struct kunit_case gmm_nowait_cases[] = {
	KUNIT_CASE(nw_never_grows),
	KUNIT_CASE(nw_serves_cached_and_swept_spans),
	KUNIT_CASE(nw_no_assist_while_marking),
	KUNIT_CASE(nw_refuses_large),
	{}
};

static struct kunit_suite gmm_nowait_suite = {
	.name = "gmm_nowait",
	.init = nw_init,
	.exit = gmm_kunit_exit,
	.test_cases = gmm_nowait_cases,
};

kunit_test_suite(gmm_nowait_suite);
