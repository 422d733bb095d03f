// SPDX-License-Identifier: GPL-2.0
/*
 * scavenge_test.c - KUnit suite "gmm_scavenge": giving free memory back.
 *
 * A page heap of the test's own: the background scavenger brought down to
 * the goal + 10 % (waited for with flush_work(), never by time), the
 * shrinker's memcg path, injected failures of the arena bookkeeping the
 * scavenger relies on (nothing left behind), and the scavenger racing
 * allocation (what KASAN and lockdep watch).  The page heap is the shared
 * fixture's (gmm_kunit_pageheap()): every case ends with it destroyed and
 * the module-wide page count back where it was.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/fault-inject.h>
#include <linux/kthread.h>
#include <linux/prandom.h>
#include <linux/shrinker.h>
#include <linux/slab.h>

#include "fault.h"
#include "gmm_kunit.h"
#include "pageheap.h"
#include "pagelimit.h"
#include "scavenge.h"

#define SC_SPANS	128
/* Runtime pages in a preferred (4 MiB) arena. */
#define SC_ARENA_PAGES	((PAGE_SIZE << GMM_ARENA_ORDER) >> GMM_PAGE_SHIFT)

static int sc_init(struct kunit *test)
{
	int ret = gmm_kunit_init(test, "gmm_scavenge", 0);

	if (ret)
		return ret;
	gmm_scavenge_set_background(true);	/* the exit handler restores it */
	gmm_kunit_pageheap(test, SC_SPANS);
	return 0;
}

static struct gmm_pageheap_stats sc_stats(struct gmm_kunit *k)
{
	struct gmm_pageheap_stats st;

	gmm_pageheap_read_stats(k->ph, &st);
	return st;
}

/* Bytes the heap holds: its arenas less their holes. */
static u64 sc_held(struct gmm_kunit *k)
{
	struct gmm_pageheap_stats st = sc_stats(k);

	return st.sys_bytes - st.released_bytes;
}

/* Spans i = 0, step, 2 step, ... < n of @npages each. */
static void sc_alloc(struct kunit *test, unsigned int n, unsigned int npages)
{
	struct gmm_kunit *k = test->priv;
	unsigned int i;

	for (i = 0; i < n; i++)
		KUNIT_ASSERT_GE(test, gmm_pageheap_alloc(k->ph, npages,
							 &k->spans[i]), 0);
}

static void sc_free(struct gmm_kunit *k, unsigned int i)
{
	gmm_pageheap_free(k->ph, &k->spans[i]);
	memset(&k->spans[i], 0, sizeof(k->spans[i]));
}

/*
 * 32 spans of 64 KiB x 8 = 16 MiB in 4 arenas; all but every eighth span
 * freed, so most arenas are partly used and hold free granules.  The
 * background scavenger, asked to keep 2 MiB + 10 %, gives back what is
 * beyond that (or all it can) - and nothing while the parameter is off.
 */
static void scavenge_background_to_goal(struct kunit *test)
{
	struct gmm_kunit *k = test->priv;
	u64 goal = 2 << 20, keep = goal + goal / 10, held, inuse;
	struct gmm_pageheap_stats st;
	unsigned int i;

	sc_alloc(test, 32, 8 * GMM_GRANULE_PAGES);
	for (i = 0; i < 32; i++)
		if (i % 8)
			sc_free(k, i);
	held = sc_held(k);
	inuse = sc_stats(k).inuse_bytes;
	KUNIT_ASSERT_GT(test, held, keep);

	gmm_scavenge_set_background(false);
	gmm_pageheap_retain(k->ph, goal);
	KUNIT_EXPECT_FALSE(test, flush_work(&k->ph->scav_work));
	KUNIT_EXPECT_EQ(test, sc_held(k), held);

	gmm_scavenge_set_background(true);
	gmm_pageheap_retain(k->ph, goal);
	flush_work(&k->ph->scav_work);
	st = sc_stats(k);
	held = st.sys_bytes - st.released_bytes;
	kunit_info(test, "kept %llu KiB for a goal of %llu KiB (%llu in spans)\n",
		   held >> 10, goal >> 10, inuse >> 10);
	KUNIT_EXPECT_EQ(test, st.retain_bytes, round_down(keep, PAGE_SIZE));
	KUNIT_EXPECT_GE(test, held, inuse);
	KUNIT_EXPECT_TRUE(test, held <= keep || !st.releasable_bytes);
	/* No more than a granule below what it keeps. */
	KUNIT_EXPECT_GT(test, held + (1 << GMM_GRANULE_SHIFT), keep);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(),
			k->baseline + (unsigned long)(held >> PAGE_SHIFT));
	/* The spans' memory is still there. */
	for (i = 0; i < 32; i += 8)
		memset((void *)k->spans[i].base, 0xa5, 64 << 10);
}

/*
 * The shrinker's path: the arenas with free memory are on the list_lru
 * (a heap without __GFP_ACCOUNT: the list of no cgroup); a scan isolates
 * them and gives everything back.
 */
static void scavenge_shrinker_scan(struct kunit *test)
{
	struct gmm_kunit *k = test->priv;
	struct shrink_control sc = { .gfp_mask = GFP_KERNEL, .nid = 0 };
	struct gmm_pageheap_stats st;
	unsigned long got;

	sc_alloc(test, 4, SC_ARENA_PAGES / 4);
	sc_free(k, 1);
	sc_free(k, 2);
	st = sc_stats(k);
	KUNIT_EXPECT_EQ(test, st.releasable_bytes,
			(u64)SC_ARENA_PAGES / 2 * GMM_PAGE_SIZE);
	KUNIT_EXPECT_GE(test, gmm_pageheap_shrink_count(),
			(unsigned long)(st.releasable_bytes >> PAGE_SHIFT));

	sc.nr_to_scan = 16;
	got = gmm_pageheap_shrink_memcg(&sc);
	st = sc_stats(k);
	KUNIT_EXPECT_EQ(test, (u64)got << PAGE_SHIFT, st.released_bytes);
	KUNIT_EXPECT_EQ(test, st.released_bytes,
			(u64)SC_ARENA_PAGES / 2 * GMM_PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, st.releasable_bytes, 0ULL);
	KUNIT_EXPECT_EQ(test, st.arenas, 1ULL);
	KUNIT_EXPECT_FALSE(test, k->ph->slot[0]->on_lru);

	/* Freed spans make the arena a candidate again. */
	sc_free(k, 0);
	KUNIT_EXPECT_TRUE(test, k->ph->slot[0]->on_lru);
	sc.nr_to_scan = 16;
	KUNIT_EXPECT_EQ(test, gmm_pageheap_shrink_memcg(&sc),
			(unsigned long)(SC_ARENA_PAGES / 4 * GMM_PAGE_SIZE) >>
			PAGE_SHIFT);
}

#ifdef CONFIG_FAULT_INJECTION
/* A failed growth leaves nothing: no arena, no charge, no slot. */
static void sc_expect_nothing_new(struct kunit *test, unsigned int spans)
{
	struct gmm_kunit *k = test->priv;
	struct gmm_span s = {};

	KUNIT_EXPECT_EQ(test, gmm_pageheap_alloc(k->ph, SC_ARENA_PAGES, &s),
			-ENOMEM);
	KUNIT_EXPECT_TRUE(test, !s.arena);
	KUNIT_EXPECT_EQ(test, sc_stats(k).arenas, (u64)spans);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(), k->baseline +
			spans * (1UL << GMM_ARENA_ORDER));
}

/*
 * The scavenger's item of a new arena, and the slot table's doubling at
 * the 17th arena, each failing once: the allocation fails cleanly, the
 * next one gets the slot that was given back.
 */
static void scavenge_fail_arena_slots(struct kunit *test)
{
	struct gmm_kunit *k = test->priv;
	unsigned int i;

	sc_alloc(test, 1, SC_ARENA_PAGES);
	if (k->spans[0].arena->order != GMM_ARENA_ORDER)
		kunit_skip(test, "no 4 MiB block from the buddy allocator");
	/* The scavenger's item of a new arena (no growth needed) fails. */
	gmm_kunit_fault_set(GMM_FAIL_ARENA_SLOTS, 1, 0);
	sc_expect_nothing_new(test, 1);
	for (i = 1; i < 16; i++)
		KUNIT_ASSERT_GE(test, gmm_pageheap_alloc(k->ph, SC_ARENA_PAGES,
							 &k->spans[i]), 0);
	KUNIT_EXPECT_EQ(test, k->ph->free_sum.cap, 16U);
	/* The slot table's doubling fails. */
	gmm_kunit_fault_set(GMM_FAIL_ARENA_SLOTS, 1, 0);
	sc_expect_nothing_new(test, 16);
	KUNIT_EXPECT_EQ(test, k->ph->free_sum.cap, 16U);
	KUNIT_ASSERT_GE(test, gmm_pageheap_alloc(k->ph, SC_ARENA_PAGES,
						 &k->spans[16]), 0);
	KUNIT_EXPECT_EQ(test, k->spans[16].arena->slot, 16U);
	KUNIT_EXPECT_EQ(test, k->ph->free_sum.cap, 32U);
}
#endif

struct sc_race {
	struct gmm_pageheap *ph;
	struct completion done;
	bool stop;
};

/* The scavenger's three ways in, over and over, until told to stop. */
static int sc_scavenger(void *arg)
{
	struct sc_race *r = arg;
	struct shrink_control sc = { .gfp_mask = GFP_KERNEL, .nid = 0 };

	while (!READ_ONCE(r->stop)) {
		sc.nr_to_scan = 4;
		gmm_pageheap_shrink_memcg(&sc);
		gmm_pageheap_retain(r->ph, 1 << 20);
		flush_work(&r->ph->scav_work);
		gmm_pageheap_scavenge_pages(r->ph, 64, GMM_SCAV_EXPLICIT);
		cond_resched();
	}
	complete(&r->done);
	return 0;
}

/*
 * Allocation and freeing of random spans (writing to each) while another
 * thread scavenges: no span loses memory, and at the end everything goes
 * back.  KASAN sees a page freed under a live span; lockdep the locks.
 */
static void scavenge_races_allocation(struct kunit *test)
{
	struct gmm_kunit *k = test->priv;
	struct task_struct *t;
	struct rnd_state rnd;
	struct sc_race r;
	unsigned int i;

	r.ph = k->ph;
	r.stop = false;
	init_completion(&r.done);
	t = kthread_run(sc_scavenger, &r, "gmm_sc_race");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	prandom_seed_state(&rnd, 7);
	for (i = 0; i < 4000; i++) {
		u32 x = prandom_u32_state(&rnd);
		struct gmm_span *s = &k->spans[x % SC_SPANS];
		unsigned int n = 1 + (x >> 8) % 24;

		if (s->arena) {
			KUNIT_EXPECT_EQ(test, *(u32 *)s->base, x % SC_SPANS);
			sc_free(k, x % SC_SPANS);
		} else if (gmm_pageheap_alloc(k->ph, n, s) >= 0) {
			memset((void *)s->base, 0, (size_t)n * GMM_PAGE_SIZE);
			*(u32 *)s->base = x % SC_SPANS;
		}
		cond_resched();
	}
	WRITE_ONCE(r.stop, true);
	wait_for_completion(&r.done);
	for (i = 0; i < SC_SPANS; i++)
		if (k->spans[i].arena)
			sc_free(k, i);
	gmm_pageheap_scavenge(k->ph);
	KUNIT_EXPECT_EQ(test, sc_stats(k).arenas, 0ULL);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(), k->baseline);
}

static struct kunit_case gmm_scavenge_cases[] = {
	KUNIT_CASE(scavenge_background_to_goal),
	KUNIT_CASE(scavenge_shrinker_scan),
	GMM_KUNIT_FAULT_CASE(scavenge_fail_arena_slots),
	KUNIT_CASE(scavenge_races_allocation),
	{}
};

static struct kunit_suite gmm_scavenge_suite = {
	.name = "gmm_scavenge",
	.init = sc_init,
	.exit = gmm_kunit_exit,
	.test_cases = gmm_scavenge_cases,
};

kunit_test_suite(gmm_scavenge_suite);
