// SPDX-License-Identifier: GPL-2.0
/*
 * gcstats_test.c - KUnit suite gmm_gcstats: the collector's statistics of
 * the public API (gmm_heap_read_gcstats(), gmm_heap_read_cycles()), the
 * cheap sample (gmm_heap_read_sample()) and gmm_heap_id(), read back against
 * what the test did: cycles forced, pauses per cycle, when the last cycle
 * ended, the figures of the full MemStats reading.  Readings are taken
 * inside a mutator section with a spinlock held too: on the debug kernel
 * a reader that could sleep would be reported there.
 */
#include <kunit/test.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include <linux/gmm.h>
#include "gmm_kunit.h"

struct gs_obj {
	struct gs_obj *next;
	u64 data;
};

struct gs_fix {
	struct gmm_heap *h;
	struct gmm_gcstats a, b;
	struct gmm_memstats ms;
	struct gmm_cycle_trace cycles[GMM_NUM_CYCLES + 1];
};

static void gs_counts_forced_cycles(struct kunit *test)
{
	struct gs_fix *f = gmm_kunit_priv(test);
	u64 t0, t1, sum = 0;
	unsigned int i;

	gmm_heap_read_gcstats(f->h, &f->a);
	t0 = ktime_get_real_ns();
	for (i = 0; i < 3; i++)
		KUNIT_ASSERT_EQ(test, gmm_gc(f->h), 0);
	t1 = ktime_get_real_ns();
	gmm_heap_read_gcstats(f->h, &f->b);

	KUNIT_EXPECT_EQ(test, f->b.num_gc, f->a.num_gc + 3);
	KUNIT_EXPECT_EQ(test, f->b.num_forced_gc, f->a.num_forced_gc + 3);
	KUNIT_EXPECT_EQ(test, f->b.num_pauses, f->a.num_pauses + 6);
	/* Fewer than GMM_NUM_PAUSES so far: the ring holds every pause. */
	KUNIT_ASSERT_LT(test, f->b.num_pauses, GMM_NUM_PAUSES);
	for (i = 0; i < f->b.num_pauses; i++) {
		KUNIT_EXPECT_GT(test, f->b.pause_ns[i], 0);
		KUNIT_EXPECT_LE(test, f->b.pause_ns[i], f->b.pause_max_ns);
		sum += f->b.pause_ns[i];
	}
	KUNIT_EXPECT_EQ(test, sum, f->b.pause_total_ns);
	KUNIT_EXPECT_GE(test, f->b.last_gc_ns, t0);
	KUNIT_EXPECT_LE(test, f->b.last_gc_ns, t1);
	KUNIT_EXPECT_GE(test, f->b.next_gc, 4ULL << 20);	/* the minimum goal */
	KUNIT_EXPECT_LE(test, f->b.gc_cpu_fraction_ppm, 1000000);
	KUNIT_EXPECT_GT(test, f->b.gc_cpu_ns, f->a.gc_cpu_ns);
	KUNIT_EXPECT_EQ(test, f->b.gc_percent, 100);
}

static void gs_cycle_records(struct kunit *test)
{
	struct gs_fix *f = gmm_kunit_priv(test);
	unsigned int n, i;

	KUNIT_EXPECT_EQ(test, gmm_heap_read_cycles(f->h, f->cycles, 4), 0);
	for (i = 0; i < 3; i++)
		KUNIT_ASSERT_EQ(test, gmm_gc(f->h), 0);
	n = gmm_heap_read_cycles(f->h, f->cycles, 2);
	KUNIT_ASSERT_EQ(test, n, 2);
	KUNIT_EXPECT_EQ(test, f->cycles[0].num, 2);	/* the newest two */
	KUNIT_EXPECT_EQ(test, f->cycles[1].num, 3);
	KUNIT_EXPECT_TRUE(test, f->cycles[1].forced);
	KUNIT_EXPECT_GT(test, f->cycles[1].stw1_ns, 0);
	KUNIT_EXPECT_GT(test, f->cycles[1].stw2_ns, 0);
	/* More room than cycles: all of them, oldest first. */
	n = gmm_heap_read_cycles(f->h, f->cycles, ARRAY_SIZE(f->cycles));
	KUNIT_ASSERT_EQ(test, n, 3);
	KUNIT_EXPECT_EQ(test, f->cycles[0].num, 1);
}

/* The sample agrees with the full readings when nothing runs. */
/* A lock the readers below run under (lockdep needs its key static). */
static DEFINE_SPINLOCK(gs_lock);

static void gs_sample_matches(struct kunit *test)
{
	static const struct gmm_type_desc d = GMM_TYPE(struct gs_obj, next);
	struct gs_fix *f = gmm_kunit_priv(test);
	const struct gmm_type *t = gmm_type_register_desc(f->h, &d);
	struct gmm_heap_sample s;
	unsigned int i;

	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	gmm_mutator_enter(f->h);
	for (i = 0; i < 1000; i++)
		KUNIT_ASSERT_NOT_NULL(test, gmm_alloc(f->h, t));
	gmm_mutator_exit(f->h);

	/* Readers do not sleep: inside a section, under a spinlock. */
	gmm_mutator_enter(f->h);
	spin_lock(&gs_lock);
	gmm_heap_read_sample(f->h, &s);
	gmm_heap_read_stats(f->h, &f->ms);
	gmm_heap_read_gcstats(f->h, &f->a);
	KUNIT_EXPECT_FALSE(test, gmm_mutator_stop_pending(f->h));
	spin_unlock(&gs_lock);
	gmm_mutator_exit(f->h);

	KUNIT_EXPECT_EQ(test, s.heap_alloc, f->ms.heap_alloc);
	KUNIT_EXPECT_GE(test, s.heap_alloc, 1000 * sizeof(struct gs_obj));
	KUNIT_EXPECT_EQ(test, s.heap_inuse, f->ms.heap_inuse);
	KUNIT_EXPECT_EQ(test, s.heap_sys, f->ms.heap_sys);
	KUNIT_EXPECT_EQ(test, s.next_gc, f->a.next_gc);
	KUNIT_EXPECT_EQ(test, s.num_gc, f->a.num_gc);
	KUNIT_EXPECT_EQ(test, s.heap_live, f->a.heap_live);

	KUNIT_ASSERT_EQ(test, gmm_gc(f->h), 0);	/* all of it garbage */
	gmm_heap_read_sample(f->h, &s);
	KUNIT_EXPECT_EQ(test, s.heap_alloc, 0);
	KUNIT_EXPECT_EQ(test, s.num_gc, f->a.num_gc + 1);
}

static void gs_heap_ids(struct kunit *test)
{
	struct gs_fix *f = gmm_kunit_priv(test);
	struct gmm_heap *other;

	other = gmm_kunit_heap(test, "gcstats2", 100, 0);
	KUNIT_EXPECT_NE(test, gmm_heap_id(f->h), gmm_heap_id(other));
	KUNIT_EXPECT_EQ(test, gmm_heap_id(other), other->id);
	gmm_kunit_heap_destroy(test, other);
}

static int gs_init(struct kunit *test)
{
	struct gs_fix *f;
	int ret = gmm_kunit_init(test, "gmm_gcstats", sizeof(*f));

	if (ret)
		return ret;
	f = gmm_kunit_priv(test);
	f->h = gmm_kunit_heap(test, "gcstats", 100, 0);
	return 0;
}

static struct kunit_case gmm_gcstats_cases[] = {
	KUNIT_CASE(gs_counts_forced_cycles),
	KUNIT_CASE(gs_cycle_records),
	KUNIT_CASE(gs_sample_matches),
	KUNIT_CASE(gs_heap_ids),
	{}
};

static struct kunit_suite gmm_gcstats_suite = {
	.name = "gmm_gcstats",
	.init = gs_init,
	.exit = gmm_kunit_exit,
	.test_cases = gmm_gcstats_cases,
};

kunit_test_suite(gmm_gcstats_suite);
