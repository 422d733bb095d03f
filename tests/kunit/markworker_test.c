// SPDX-License-Identifier: GPL-2.0
/*
 * markworker_test.c - KUnit suite "gmm_mark_workers": several drainers
 * marking one heap at once (the module's mark workers, assists and
 * drainer threads of the test), and Go's split of the 25 % goal.
 *
 * The parallel case makes the drainers interleave at the finest grain the
 * protocol has: the test's own drainer threads take one span per call
 * (budget 1), so every call takes the whole grey list, scans one span and
 * hands the rest back, while a mutator stores through the write barrier
 * and allocates (assists).  They start while the cycle is held at the
 * start of mark, before any mark worker gets the heap, so the interleaving
 * is there whatever the scheduler does.  The checkmark pass then proves
 * that no reachable object was left white, and the cycle must end by
 * itself, claimed by the last drainer to find the grey set empty - and
 * not before: mark termination must find nothing left to drain, as no
 * mutator shades anything after the release.
 */
#include <kunit/test.h>
#include <linux/kthread.h>
#include <linux/delay.h>
#include <linux/random.h>
#include <linux/sched.h>

#include <linux/gmm.h>
#include "gmm_kunit.h"
#include "mark.h"
#include "markworker.h"

#define MW_TIMEOUT		(60 * HZ)
#define MW_LISTS		64
#define MW_LEN			300
#define MW_DRAINERS		3
#define MW_CYCLES		4
#define MW_EDITS		400

struct mw_node {
	struct mw_node *next;
	struct mw_node *other;		/* some earlier node, or NULL */
	u64 id;
};

struct mw_fixture {
	struct gmm_heap *h;
	const struct gmm_type *node;
	const struct gmm_type *slot;
	struct mw_node **table;		/* a root slot: MW_LISTS heads */
	struct task_struct *drainer[MW_DRAINERS];
	unsigned long drains;		/* drain calls that scanned something */
};

static int mw_init(struct kunit *test)
{
	struct mw_fixture *f;
	int ret = gmm_kunit_init(test, "gmm_mark_workers", sizeof(*f));

	if (ret)
		return ret;
	f = gmm_kunit_priv(test);
	f->h = gmm_kunit_heap(test, "kunit_markw", -1, 0);
	f->h->gc.checkmark = true;
	f->node = gmm_kunit_type(test, f->h, "node", sizeof(struct mw_node), 8,
				 gmm_kunit_node_ptrs);
	f->slot = gmm_kunit_type(test, f->h, "slot", sizeof(void *), 8,
				 gmm_kunit_ptr_ptrs);
	return gmm_root_add(f->h, (void **)&f->table);
}

static void mw_stop_drainers(struct mw_fixture *f)
{
	unsigned int i;

	for (i = 0; i < MW_DRAINERS; i++) {
		if (!f->drainer[i])
			continue;
		kthread_stop(f->drainer[i]);
		put_task_struct(f->drainer[i]);
		f->drainer[i] = NULL;
	}
}

static void mw_exit(struct kunit *test)
{
	struct mw_fixture *f = gmm_kunit_priv(test);

	if (f)
		mw_stop_drainers(f);
	gmm_kunit_exit(test);
}

/* Lists built one after the other, each node also pointing back. */
static int mw_build(struct mw_fixture *f)
{
	struct mw_node *prev = NULL, *n;
	unsigned int l, i;

	gmm_mutator_enter(f->h);
	gmm_store_ptr(f->h, &f->table, gmm_alloc_array(f->h, f->slot, MW_LISTS));
	if (!f->table)
		goto fail;
	for (l = 0; l < MW_LISTS; l++) {
		struct mw_node **slot = &f->table[l];

		for (i = 0; i < MW_LEN; i++) {
			n = gmm_alloc(f->h, f->node);
			if (!n)
				goto fail;
			n->id = l * MW_LEN + i;
			gmm_store_ptr(f->h, &n->other, prev);
			gmm_store_ptr(f->h, slot, n);
			slot = &n->next;
			prev = n;
		}
	}
	gmm_mutator_exit(f->h);
	return 0;
fail:
	gmm_mutator_exit(f->h);
	return -ENOMEM;
}

/* A drainer thread: one span per call until the test stops it. */
static int mw_drainer(void *arg)
{
	struct mw_fixture *f = arg;

	while (!kthread_should_stop()) {
		if (gmm_mark_drain(f->h, 1, GMM_DRAIN_YIELD) > 0)
			WRITE_ONCE(f->drains, f->drains + 1);
		else
			usleep_range(20, 50);
	}
	return 0;
}

/*
 * While marking: move nodes between lists, allocate new ones (assists).
 * Returns the number of nodes added.
 */
static unsigned long mw_edit(struct mw_fixture *f)
{
	unsigned long added = 0;
	unsigned int k;

	gmm_mutator_enter(f->h);
	for (k = 0; k < MW_EDITS; k++) {
		struct mw_node **slot = &f->table[get_random_u32_below(MW_LISTS)];
		struct mw_node *a = READ_ONCE(*slot), *b;

		if (!a || !READ_ONCE(a->next))
			continue;
		b = READ_ONCE(a->next);
		/* Move b from after a to the front of another list: the
		 * deletion barrier must keep b alive while it is nowhere.
		 */
		gmm_store_ptr(f->h, &a->next, READ_ONCE(b->next));
		slot = &f->table[get_random_u32_below(MW_LISTS)];
		gmm_store_ptr(f->h, &b->next, READ_ONCE(*slot));
		gmm_store_ptr(f->h, slot, b);
		a = gmm_alloc(f->h, f->node);
		if (a) {
			gmm_store_ptr(f->h, &a->next, READ_ONCE(*slot));
			gmm_store_ptr(f->h, slot, a);
			added++;
		}
		if (!(k & 31))
			gmm_mutator_yield(f->h);
	}
	gmm_mutator_exit(f->h);
	return added;
}

/* Nodes in the lists now, and whether they and their back pointers live. */
static unsigned long mw_count(struct mw_fixture *f, bool *all_live)
{
	unsigned long n = 0;
	unsigned int l;

	*all_live = true;
	gmm_mutator_enter(f->h);
	for (l = 0; l < MW_LISTS; l++) {
		struct mw_node *p;

		for (p = f->table[l]; p; p = p->next) {
			*all_live &= gmm_kunit_live(f->h, p) &&
				     (!p->other || gmm_kunit_live(f->h, p->other));
			n++;
		}
	}
	gmm_mutator_exit(f->h);
	return n;
}

static void mark_parallel_interleaved(struct kunit *test)
{
	struct mw_fixture *f = gmm_kunit_priv(test);
	struct gmm_heap *h = f->h;
	unsigned long want = (unsigned long)MW_LISTS * MW_LEN;
	const struct gmm_cycle_trace *t;
	unsigned int c, i;
	bool all_live;
	u64 c0;

	KUNIT_ASSERT_EQ(test, mw_build(f), 0);
	for (c = 0; c < MW_CYCLES; c++) {
		c0 = READ_ONCE(h->gc.completed);
		gmm_gc_hold_arm(h, GMM_HOLD_MARK);
		gmm_gc_trigger(h);
		KUNIT_ASSERT_TRUE(test, gmm_gc_hold_wait(h, MW_TIMEOUT));
		for (i = 0; i < MW_DRAINERS; i++) {
			f->drainer[i] = kthread_run(mw_drainer, f, "kunit_drain/%u", i);
			KUNIT_ASSERT_FALSE(test, IS_ERR(f->drainer[i]));
			get_task_struct(f->drainer[i]);
		}
		want += mw_edit(f);
		gmm_gc_hold_release(h, false);
		KUNIT_ASSERT_GT_MSG(test,
				    wait_event_timeout(h->gc.done,
						       READ_ONCE(h->gc.completed) > c0,
						       MW_TIMEOUT), 0L,
				    "marking never ended");
		mw_stop_drainers(f);
		t = &h->gc.cycles[c0 % GMM_CYCLE_RING];
		KUNIT_EXPECT_EQ_MSG(test, t->checkmark_failures, 0ULL,
				    "cycle %u: reachable objects left white", c);
		/* Nothing shaded after the release: the concurrent mark
		 * must have done it all before it claimed its end.
		 */
		KUNIT_EXPECT_EQ_MSG(test, t->term_bytes, 0ULL,
				    "cycle %u: marking ended with work left", c);
		KUNIT_EXPECT_EQ(test, mw_count(f, &all_live), want);
		KUNIT_EXPECT_TRUE_MSG(test, all_live,
				      "cycle %u freed a reachable node", c);
	}
	KUNIT_EXPECT_GT(test, READ_ONCE(f->drains), 0UL);
}

/* Go's startCycle rounding, for the CPU counts that show each branch. */
static void mark_utilization_split(struct kunit *test)
{
	static const struct {
		unsigned int ncpus, ded, frac;
	} want[] = {
		{ 1, 0, 250 }, { 2, 0, 250 }, { 3, 0, 250 }, { 4, 1, 0 },
		{ 5, 1, 0 }, { 6, 1, 83 }, { 8, 2, 0 }, { 16, 4, 0 },
		{ 64, 16, 0 },
	};
	unsigned int i, ded, frac;

	for (i = 0; i < ARRAY_SIZE(want); i++) {
		gmm_mark_utilization(want[i].ncpus, &ded, &frac);
		KUNIT_EXPECT_EQ_MSG(test, ded, want[i].ded, "%u CPUs",
				    want[i].ncpus);
		KUNIT_EXPECT_EQ_MSG(test, frac, want[i].frac, "%u CPUs",
				    want[i].ncpus);
		/* the whole goal, within Go's 30 % */
		KUNIT_EXPECT_LE(test, ded * 1000 + frac * want[i].ncpus,
				want[i].ncpus * 250 * 13 / 10);
	}
}

static struct kunit_case gmm_mark_workers_cases[] = {
	KUNIT_CASE(mark_parallel_interleaved),
	KUNIT_CASE(mark_utilization_split),
	{}
};

static struct kunit_suite gmm_mark_workers_suite = {
	.name = "gmm_mark_workers",
	.init = mw_init,
	.exit = mw_exit,
	.test_cases = gmm_mark_workers_cases,
};

kunit_test_suite(gmm_mark_workers_suite);
