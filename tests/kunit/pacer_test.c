// SPDX-License-Identifier: GPL-2.0
/*
 * pacer_test.c - KUnit suite "gmm_pacer": the pacer's arithmetic at the
 * edges of what callers may pass, and changing GOGC or the memory limit
 * while a cycle runs.
 *
 * The limit and GOGC reach the pacer from user space (GMM_IOC_PARAMS):
 * any u64 limit and any GOGC up to the UAPI maximum must give a goal and
 * a trigger that are never below what the formulas give with unbounded
 * arithmetic - a product that wraps makes the heap collect without pause.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/math64.h>

#include <linux/gmm.h>
#include "gmm_kunit.h"

#define PT_MIN_HEAP		(4ULL << 20)

/* Pretend the last cycle marked @marked bytes, and recompute. */
static void pt_set_marked(struct gmm_heap *h, u64 marked, int gc_percent)
{
	spin_lock(&h->pacer.lock);
	h->pacer.heap_marked = marked;
	spin_unlock(&h->pacer.lock);
	gmm_set_gc_percent(h, gc_percent);
}

/* 95 % of @limit without overflow, as the pacer must compute it. */
static u64 pt_soft(u64 limit)
{
	return mul_u64_u32_div(limit, 95, 100);
}

/*
 * Limits near 2^64: the goal is 95 % of the limit or the GOGC goal,
 * whichever is smaller, never a wrapped product (the outside stress
 * test's 194176253407468965 made limit * 95 wrap to a few MB).
 */
static void pacer_huge_limits(struct kunit *test)
{
	static const u64 limits[] = {
		194176253407468965ULL,		/* the stress test's value */
		U64_MAX / 95 + 1,		/* the smallest that wraps */
		1ULL << 63,
		U64_MAX,
	};
	struct gmm_heap *h = gmm_kunit_heap(test, "kunit_pacer", 100, 0);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(limits); i++) {
		gmm_set_memory_limit(h, limits[i]);
		KUNIT_EXPECT_EQ_MSG(test, READ_ONCE(h->pacer.heap_goal), PT_MIN_HEAP,
				    "limit %llu", limits[i]);
		KUNIT_EXPECT_GE_MSG(test, READ_ONCE(h->pacer.trigger),
				    PT_MIN_HEAP * 4 / 10, "limit %llu", limits[i]);
		/* With 2^62 bytes marked the limit decides. */
		pt_set_marked(h, 1ULL << 62, 100);
		KUNIT_EXPECT_EQ_MSG(test, READ_ONCE(h->pacer.heap_goal),
				    min(pt_soft(limits[i]), 1ULL << 63),
				    "limit %llu", limits[i]);
		pt_set_marked(h, 0, 100);
	}
	gmm_set_memory_limit(h, 0);
}

/*
 * GOGC products: marked * GOGC / 100 with GOGC up to INT_MAX saturates
 * at "no goal" instead of wrapping to a small one.
 */
static void pacer_huge_gogc(struct kunit *test)
{
	struct gmm_heap *h = gmm_kunit_heap(test, "kunit_pacer", 100, 0);
	u64 goal;

	pt_set_marked(h, 1ULL << 62, INT_MAX);
	goal = READ_ONCE(h->pacer.heap_goal);
	KUNIT_EXPECT_EQ(test, goal, U64_MAX);
	KUNIT_EXPECT_GE(test, READ_ONCE(h->pacer.trigger), 1ULL << 62);

	pt_set_marked(h, 1ULL << 40, 1000000);
	KUNIT_EXPECT_EQ(test, READ_ONCE(h->pacer.heap_goal),
			(1ULL << 40) + (1ULL << 40) * 10000);
	/* Goal and trigger ordered as the formula says. */
	KUNIT_EXPECT_GT(test, READ_ONCE(h->pacer.trigger), 1ULL << 40);
	KUNIT_EXPECT_LT(test, READ_ONCE(h->pacer.trigger),
			READ_ONCE(h->pacer.heap_goal));
	pt_set_marked(h, 0, 100);
}

struct pt_setter {
	struct gmm_heap *h;
	struct completion done;
	int old;
};

static int pt_setter_fn(void *arg)
{
	struct pt_setter *s = arg;

	s->old = gmm_set_gc_percent(s->h, 50);
	gmm_set_memory_limit(s->h, 64ULL << 20);
	complete(&s->done);
	return 0;
}

/*
 * GOGC and the limit change while a cycle is in its mark phase, at once:
 * neither waits for the cycle (GMM_IOC_PARAMS blocked 17.6 s behind a
 * cycle collecting a million-node list when the pacer shared the cycle's
 * mutex).  The collector is held in mark until the change is done.
 */
static void pacer_params_during_cycle(struct kunit *test)
{
	struct gmm_heap *h = gmm_kunit_heap(test, "kunit_pacer", 100, 0);
	struct pt_setter s = { .h = h };
	struct task_struct *t;
	bool quick;

	init_completion(&s.done);
	gmm_gc_hold_arm(h, GMM_HOLD_MARK);
	gmm_gc_trigger(h);
	KUNIT_ASSERT_TRUE(test, gmm_gc_hold_wait(h, 60 * HZ));
	t = kthread_run(pt_setter_fn, &s, "gmm_pacer_test");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	quick = wait_for_completion_timeout(&s.done, 20 * HZ) > 0;
	gmm_gc_hold_release(h, false);
	if (!quick)	/* the cycle goes on now: the setter gets through */
		wait_for_completion(&s.done);
	KUNIT_EXPECT_TRUE_MSG(test, quick, "PARAMS waited for the cycle");
	KUNIT_EXPECT_EQ(test, s.old, 100);
	KUNIT_EXPECT_EQ(test, READ_ONCE(h->pacer.gc_percent), 50);
	KUNIT_EXPECT_EQ(test, READ_ONCE(h->pages.limit_bytes), 64ULL << 20);
	KUNIT_EXPECT_EQ(test, gmm_gc(h), 0);
}

/* Set the model, as after some cycles, and recompute. */
static void pt_set_model(struct gmm_heap *h, u64 marked, u64 scanned, u64 cm)
{
	spin_lock(&h->pacer.lock);
	h->pacer.heap_marked = marked;
	h->pacer.last_scanned = scanned;
	h->pacer.cons_mark = cm;
	spin_unlock(&h->pacer.lock);
	gmm_set_gc_percent(h, 100);
}

/*
 * The trigger from the cons/mark model: goal - 3 x cons/mark x last
 * scan, inside [45/64, 61/64] of the runway (61/64 raised to goal - 4 MiB
 * on big heaps); Go's 7/8 before any cycle has been measured.
 */
static void pacer_trigger_model(struct kunit *test)
{
	struct gmm_heap *h = gmm_kunit_heap(test, "kunit_pacer", 100, 0);
	const u64 mb = 1ULL << 20;

	pt_set_model(h, 8 * mb, 0, 0);			/* no model yet */
	KUNIT_EXPECT_EQ(test, READ_ONCE(h->pacer.trigger), 15 * mb);
	pt_set_model(h, 8 * mb, 4 * mb, 1U << 16);	/* runway 12 MiB */
	KUNIT_EXPECT_EQ(test, READ_ONCE(h->pacer.trigger), 8 * mb + 8 * mb * 45 / 64);
	pt_set_model(h, 8 * mb, 4 * mb, 1U << 12);	/* runway 0.75 MiB */
	KUNIT_EXPECT_EQ(test, READ_ONCE(h->pacer.trigger), 16 * mb - 3 * mb / 4);
	pt_set_model(h, 8 * mb, 4 * mb, 0);		/* no runway */
	KUNIT_EXPECT_EQ(test, READ_ONCE(h->pacer.trigger), 8 * mb + 8 * mb * 61 / 64);
	pt_set_model(h, 1024 * mb, 4 * mb, 0);		/* big heap */
	KUNIT_EXPECT_EQ(test, READ_ONCE(h->pacer.trigger), 2048 * mb - 4 * mb);
	pt_set_model(h, 0, 0, 0);
}

/* One cons/mark measurement (16.16) from a cycle's record. */
static void pacer_cons_mark_measure(struct kunit *test)
{
	struct gmm_cycle_trace t = {
		.heap0 = 10 << 20, .heap1 = 12 << 20, .scanned = 4 << 20,
		.mark_ns = 10000000, .ncpus = 2, .bg_ns = 5000000,
	};

	/* 2 MiB x 0.25 / (4 MiB x 0.75) = 1/6 */
	KUNIT_EXPECT_EQ(test, gmm_pacer_cons_mark(&t), 65536ULL / 6);
	t.idle_ns = 5000000;	/* u_idle 0.25: 2 MiB x 0.5 / 3 MiB */
	KUNIT_EXPECT_EQ(test, gmm_pacer_cons_mark(&t), 65536ULL / 3);
	t.heap1 = t.heap0;	/* nothing allocated: nothing learnt */
	KUNIT_EXPECT_EQ(test, gmm_pacer_cons_mark(&t), 0ULL);
}

/*
 * Assists: remaining scan work over remaining runway; past the goal the
 * runway stretches to the hard goal (+10 %) and all of heap_live counts
 * as work; past the hard goal assists are strict.
 */
static void pacer_assist_hard_goal(struct kunit *test)
{
	struct gmm_heap *h = gmm_kunit_heap(test, "kunit_pacer", 100, 0);
	const u64 mb = 1ULL << 20;
	bool strict;
	long w;

	pt_set_model(h, 5 * mb, 4 * mb, 0);		/* goal 10 MiB */
	KUNIT_ASSERT_EQ(test, READ_ONCE(h->pacer.heap_goal), 10 * mb);
	WRITE_ONCE(h->pacer.scan_expected, 4 * mb);
	atomic64_set(&h->gc.scanned_bytes, 0);
	atomic64_set(&h->pacer.heap_live, 5 * mb);
	w = gmm_pacer_assist_work(h, 64 << 10, &strict);
	KUNIT_EXPECT_FALSE(test, strict);
	KUNIT_EXPECT_EQ(test, w, (long)((64 << 10) * 4 / 5));	/* 4 / 5 */
	atomic64_set(&h->pacer.heap_live, 10 * mb + mb / 2);
	w = gmm_pacer_assist_work(h, 64 << 10, &strict);
	KUNIT_EXPECT_FALSE(test, strict);
	KUNIT_EXPECT_EQ(test, w, (long)((64 << 10) * 21));	/* 10.5 / 0.5 */
	atomic64_set(&h->pacer.heap_live, 11 * mb);
	w = gmm_pacer_assist_work(h, 64 << 10, &strict);
	KUNIT_EXPECT_TRUE(test, strict);
	KUNIT_EXPECT_EQ(test, w, LONG_MAX);
	atomic64_set(&h->pacer.heap_live, 0);
	pt_set_model(h, 0, 0, 0);
}

static struct kunit_case gmm_pacer_cases[] = {
	KUNIT_CASE(pacer_trigger_model),
	KUNIT_CASE(pacer_cons_mark_measure),
	KUNIT_CASE(pacer_assist_hard_goal),
	KUNIT_CASE(pacer_huge_limits),
	KUNIT_CASE(pacer_huge_gogc),
	KUNIT_CASE(pacer_params_during_cycle),
	{}
};

static int pt_init(struct kunit *test)
{
	return gmm_kunit_init(test, "gmm_pacer", 0);
}

static struct kunit_suite gmm_pacer_suite = {
	.name = "gmm_pacer",
	.init = pt_init,
	.exit = gmm_kunit_exit,
	.test_cases = gmm_pacer_cases,
};

kunit_test_suite(gmm_pacer_suite);
