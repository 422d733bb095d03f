// SPDX-License-Identifier: GPL-2.0
/*
 * cleanup_test.c - KUnit suite gmm_cleanup: cleanups, with the checkmark
 * pass on.  A cleanup runs once, after its object was collected and its
 * slot swept, on a workqueue outside any mutator section, with its own
 * argument; never while the object is reachable; never after it was
 * cancelled; every one left runs when the heap is destroyed.
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/lockdep.h>

#include <linux/gmm.h>
#include "gmm_kunit.h"

struct cu_obj {
	struct cu_obj *next;
	u64 val;
};

static const struct gmm_type_desc cu_desc = GMM_TYPE(struct cu_obj, next);

/* What one cleanup saw when it ran. */
struct cu_probe {
	struct gmm_heap *h;
	void *obj;		/* the object, to look at its slot */
	atomic_t runs;
	bool obj_live;		/* the slot still allocated when it ran */
	bool in_section;	/* lockdep saw a section held */
	bool in_task;
	struct completion done;
};

struct cu_fix {
	struct gmm_heap *h;
	const struct gmm_type *t;
	struct cu_obj *root;	/* a root slot */
	struct cu_probe p[4];
};

static void cu_fn(void *arg)
{
	struct cu_probe *p = arg;

	p->obj_live = gmm_kunit_live(p->h, p->obj);
	p->in_section = !gmm_stw_not_held(&p->h->gc.stw);
	/* no spinlock, no preempt-off region: preemptible() knows that */
	p->in_task = in_task() &&
		     (!IS_ENABLED(CONFIG_PREEMPT_COUNT) || preemptible());
	atomic_inc(&p->runs);
	complete(&p->done);
}

/* A new object (in f->root when @keep) with probe @i as its cleanup. */
static u32 cu_new(struct kunit *test, struct cu_fix *f, unsigned int i,
		  bool keep)
{
	struct cu_probe *p = &f->p[i];
	struct cu_obj *o;
	u32 id = 0;

	p->h = f->h;
	init_completion(&p->done);
	gmm_mutator_enter(f->h);
	o = gmm_alloc(f->h, f->t);
	KUNIT_ASSERT_NOT_NULL(test, o);
	p->obj = o;
	if (keep)
		gmm_store_ptr(f->h, &f->root, o);
	KUNIT_EXPECT_EQ(test, gmm_cleanup_add(f->h, o, cu_fn, p, &id), 0);
	gmm_mutator_exit(f->h);
	KUNIT_EXPECT_NE(test, id, 0);
	return id;
}

static void cu_runs_after_sweep_outside_sections(struct kunit *test)
{
	struct cu_fix *f = gmm_kunit_priv(test);

	cu_new(test, f, 0, false);
	cu_new(test, f, 1, true);
	KUNIT_ASSERT_EQ(test, gmm_gc(f->h), 0);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&f->p[0].done,
							  60 * HZ), 0UL);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->p[0].runs), 1);
	KUNIT_EXPECT_FALSE(test, f->p[0].obj_live);	/* swept first */
	KUNIT_EXPECT_FALSE(test, f->p[0].in_section);
	KUNIT_EXPECT_TRUE(test, f->p[0].in_task);
	/* Reachable: never runs, however many cycles. */
	KUNIT_ASSERT_EQ(test, gmm_gc(f->h), 0);
	KUNIT_ASSERT_EQ(test, gmm_gc(f->h), 0);
	flush_work(&f->h->cleanups.work);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->p[1].runs), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->p[0].runs), 1);
	KUNIT_EXPECT_TRUE(test, gmm_kunit_live(f->h, f->p[1].obj));
	KUNIT_EXPECT_EQ(test, f->h->gc.checkmark_failures, 0);
}

static void cu_cancel(struct kunit *test)
{
	struct cu_fix *f = gmm_kunit_priv(test);
	void *arg = NULL;
	u32 id;

	id = cu_new(test, f, 0, false);
	KUNIT_EXPECT_EQ(test, gmm_cleanup_cancel(f->h, id, &arg), 0);
	KUNIT_EXPECT_PTR_EQ(test, arg, (void *)&f->p[0]);
	KUNIT_EXPECT_EQ(test, gmm_cleanup_cancel(f->h, id, NULL), -ENOENT);
	KUNIT_ASSERT_EQ(test, gmm_gc(f->h), 0);
	flush_work(&f->h->cleanups.work);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->p[0].runs), 0);
	KUNIT_EXPECT_FALSE(test, gmm_kunit_live(f->h, f->p[0].obj));
	/* Once due it cannot be cancelled. */
	id = cu_new(test, f, 1, false);
	KUNIT_ASSERT_EQ(test, gmm_gc(f->h), 0);
	KUNIT_EXPECT_EQ(test, gmm_cleanup_cancel(f->h, id, NULL), -ENOENT);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&f->p[1].done,
							  60 * HZ), 0UL);
	KUNIT_EXPECT_EQ(test, gmm_cleanup_cancel(f->h, 0, NULL), -ENOENT);
}

/* Several cleanups of one object all run; the heap's end runs the rest. */
static void cu_many_and_heap_destroy(struct kunit *test)
{
	struct cu_fix *f = gmm_kunit_priv(test);
	struct cu_obj *o;
	unsigned int i;
	u32 id;

	gmm_mutator_enter(f->h);
	o = gmm_alloc(f->h, f->t);
	KUNIT_ASSERT_NOT_NULL(test, o);
	for (i = 0; i < 3; i++) {
		f->p[i].h = f->h;
		f->p[i].obj = o;
		init_completion(&f->p[i].done);
		KUNIT_EXPECT_EQ(test, gmm_cleanup_add(f->h, o, cu_fn, &f->p[i],
						      &id), 0);
	}
	gmm_mutator_exit(f->h);
	KUNIT_ASSERT_EQ(test, gmm_gc(f->h), 0);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&f->p[i].done,
								  60 * HZ), 0UL);
	cu_new(test, f, 3, true);	/* alive when the heap goes */
	gmm_kunit_heap_destroy(test, f->h);
	f->h = NULL;
	KUNIT_EXPECT_EQ(test, atomic_read(&f->p[3].runs), 1);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, atomic_read(&f->p[i].runs), 1);
}

static void cu_bad_args(struct kunit *test)
{
	struct cu_fix *f = gmm_kunit_priv(test);
	u32 id;

	gmm_mutator_enter(f->h);
	KUNIT_EXPECT_EQ(test, gmm_cleanup_add(f->h, NULL, cu_fn, NULL, &id),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, gmm_cleanup_add(f->h, f, NULL, NULL, &id),
			-EINVAL);
	gmm_mutator_exit(f->h);
}

static int cu_init(struct kunit *test)
{
	struct cu_fix *f;
	int ret = gmm_kunit_init(test, "gmm_cleanup", sizeof(*f));

	if (ret)
		return ret;
	f = gmm_kunit_priv(test);
	f->h = gmm_kunit_heap(test, "cleanup", 100, 0);
	f->h->gc.checkmark = true;
	f->t = gmm_type_register_desc(f->h, &cu_desc);
	if (IS_ERR(f->t))
		return PTR_ERR(f->t);
	return gmm_root_add(f->h, (void **)&f->root);
}

static struct kunit_case gmm_cleanup_cases[] = {
	KUNIT_CASE(cu_runs_after_sweep_outside_sections),
	KUNIT_CASE(cu_cancel),
	KUNIT_CASE(cu_many_and_heap_destroy),
	KUNIT_CASE(cu_bad_args),
	{}
};

static struct kunit_suite gmm_cleanup_suite = {
	.name = "gmm_cleanup",
	.init = cu_init,
	.exit = gmm_kunit_exit,
	.test_cases = gmm_cleanup_cases,
};

kunit_test_suite(gmm_cleanup_suite);
