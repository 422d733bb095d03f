// SPDX-License-Identifier: GPL-2.0
/*
 * weak_test.c - KUnit suite gmm_weak: weak handles, with the checkmark
 * pass on (a missed mark is reported and counted).  A weak handle of a
 * reachable object keeps answering it; of an unreachable one it reads
 * NULL after the next cycle and stays NULL while the slot is reused; it
 * keeps nothing alive; an object read through one while the collector
 * marks survives the cycle once stored; numbers are checked.
 */
#include <kunit/test.h>

#include <linux/gmm.h>
#include "gmm_kunit.h"

struct wk_obj {
	struct wk_obj *next;
	u64 val;
};

static const struct gmm_type_desc wk_desc = GMM_TYPE(struct wk_obj, next);

struct wk_fix {
	struct gmm_heap *h;
	const struct gmm_type *t;
	struct wk_obj *root;	/* a root slot */
};

/* A new object, stored in f->root when @keep, and a weak handle of it. */
static struct wk_obj *wk_new(struct kunit *test, struct wk_fix *f, u64 val,
			     bool keep, u32 *weak)
{
	struct wk_obj *o;

	gmm_mutator_enter(f->h);
	o = gmm_alloc(f->h, f->t);
	if (o) {
		o->val = val;
		if (keep)
			gmm_store_ptr(f->h, &f->root, o);
		KUNIT_EXPECT_EQ(test, gmm_weak_get(f->h, o, weak), 0);
	}
	gmm_mutator_exit(f->h);
	KUNIT_EXPECT_NOT_NULL(test, o);
	return o;
}

static void *wk_read(struct wk_fix *f, u32 weak)
{
	void *p;

	gmm_mutator_enter(f->h);
	p = gmm_weak_obj(f->h, weak);
	gmm_mutator_exit(f->h);
	return p;
}

static void wk_follows_live_clears_dead(struct kunit *test)
{
	struct wk_fix *f = gmm_kunit_priv(test);
	struct wk_obj *live, *dead;
	u32 wl, wd, i;

	live = wk_new(test, f, 1, true, &wl);
	dead = wk_new(test, f, 2, false, &wd);
	KUNIT_EXPECT_PTR_EQ(test, wk_read(f, wd), (void *)dead);
	KUNIT_ASSERT_EQ(test, gmm_gc(f->h), 0);
	KUNIT_EXPECT_PTR_EQ(test, wk_read(f, wl), (void *)live);
	KUNIT_EXPECT_NULL(test, wk_read(f, wd));
	KUNIT_EXPECT_FALSE(test, gmm_kunit_live(f->h, dead));
	/* The slot goes to new objects; the weak handle stays NULL. */
	gmm_mutator_enter(f->h);
	for (i = 0; i < 1000; i++)
		KUNIT_ASSERT_NOT_NULL(test, gmm_alloc(f->h, f->t));
	gmm_mutator_exit(f->h);
	KUNIT_EXPECT_NULL(test, wk_read(f, wd));
	KUNIT_EXPECT_EQ(test, f->h->gc.checkmark_failures, 0);
	KUNIT_EXPECT_EQ(test, gmm_weak_put(f->h, wd), 0);
	KUNIT_EXPECT_EQ(test, gmm_weak_put(f->h, wd), -ENOENT);
	KUNIT_EXPECT_EQ(test, gmm_weak_put(f->h, wl), 0);
	KUNIT_EXPECT_NULL(test, wk_read(f, wl));
}

/* Many weak handles of one object keep nothing alive. */
static void wk_keeps_nothing_alive(struct kunit *test)
{
	struct wk_fix *f = gmm_kunit_priv(test);
	struct wk_obj *o;
	u32 w[8], i;

	o = wk_new(test, f, 3, false, &w[0]);
	gmm_mutator_enter(f->h);
	for (i = 1; i < ARRAY_SIZE(w); i++)
		KUNIT_EXPECT_EQ(test, gmm_weak_get(f->h, o, &w[i]), 0);
	gmm_mutator_exit(f->h);
	KUNIT_ASSERT_EQ(test, gmm_gc(f->h), 0);
	for (i = 0; i < ARRAY_SIZE(w); i++) {
		KUNIT_EXPECT_NULL(test, wk_read(f, w[i]));
		KUNIT_EXPECT_EQ(test, gmm_weak_put(f->h, w[i]), 0);
	}
	KUNIT_EXPECT_FALSE(test, gmm_kunit_live(f->h, o));
}

/*
 * While the collector marks, an object reachable only through a weak
 * handle is read into a scope local - a plain assignment, no barrier, and
 * the scope's locals were scanned before: only the read's shade can keep
 * the object.  It must survive the cycle, with no missed mark.
 */
static void wk_read_during_mark_survives(struct kunit *test)
{
	struct wk_fix *f = gmm_kunit_priv(test);
	struct gmm_scope scope;
	struct wk_obj *o, *local = NULL;
	u64 fails0;
	u32 w;

	gmm_scope_enter(f->h, &scope);
	KUNIT_ASSERT_EQ(test, gmm_scope_add(&scope, (void **)&local), 0);
	o = wk_new(test, f, 6, false, &w);
	fails0 = f->h->gc.checkmark_failures;
	gmm_gc_hold_arm(f->h, GMM_HOLD_MARK);
	gmm_gc_trigger(f->h);
	KUNIT_ASSERT_TRUE(test, gmm_gc_hold_wait(f->h, 60 * HZ));
	gmm_mutator_enter(f->h);
	local = gmm_weak_obj(f->h, w);
	gmm_mutator_exit(f->h);
	KUNIT_EXPECT_PTR_EQ(test, local, o);
	gmm_gc_hold_release(f->h, true);	/* termination marks it all */
	KUNIT_ASSERT_EQ(test, gmm_gc(f->h), 0);
	KUNIT_EXPECT_EQ(test, f->h->gc.checkmark_failures, fails0);
	KUNIT_EXPECT_TRUE(test, gmm_kunit_live(f->h, o));
	KUNIT_EXPECT_PTR_EQ(test, wk_read(f, w), (void *)o);
	gmm_mutator_enter(f->h);
	KUNIT_EXPECT_EQ(test, READ_ONCE(local->val), 6);
	gmm_mutator_exit(f->h);
	gmm_scope_leave(&scope);
	KUNIT_ASSERT_EQ(test, gmm_gc(f->h), 0);
	KUNIT_EXPECT_NULL(test, wk_read(f, w));
}

static void wk_bad_numbers(struct kunit *test)
{
	struct wk_fix *f = gmm_kunit_priv(test);
	u32 w;

	KUNIT_EXPECT_NULL(test, wk_read(f, 0));
	KUNIT_EXPECT_NULL(test, wk_read(f, 12345));
	KUNIT_EXPECT_NULL(test, wk_read(f, U32_MAX));
	KUNIT_EXPECT_EQ(test, gmm_weak_put(f->h, 0), -ENOENT);
	KUNIT_EXPECT_EQ(test, gmm_weak_put(f->h, U32_MAX), -ENOENT);
	gmm_mutator_enter(f->h);
	KUNIT_EXPECT_EQ(test, gmm_weak_get(f->h, NULL, &w), -EINVAL);
	gmm_mutator_exit(f->h);
}

static int wk_init(struct kunit *test)
{
	struct wk_fix *f;
	int ret = gmm_kunit_init(test, "gmm_weak", sizeof(*f));

	if (ret)
		return ret;
	f = gmm_kunit_priv(test);
	f->h = gmm_kunit_heap(test, "weak", 100, 0);
	f->h->gc.checkmark = true;
	f->t = gmm_type_register_desc(f->h, &wk_desc);
	if (IS_ERR(f->t))
		return PTR_ERR(f->t);
	return gmm_root_add(f->h, (void **)&f->root);
}

static struct kunit_case gmm_weak_cases[] = {
	KUNIT_CASE(wk_follows_live_clears_dead),
	KUNIT_CASE(wk_keeps_nothing_alive),
	KUNIT_CASE(wk_read_during_mark_survives),
	KUNIT_CASE(wk_bad_numbers),
	{}
};

static struct kunit_suite gmm_weak_suite = {
	.name = "gmm_weak",
	.init = wk_init,
	.exit = gmm_kunit_exit,
	.test_cases = gmm_weak_cases,
};

kunit_test_suite(gmm_weak_suite);
