// SPDX-License-Identifier: GPL-2.0
/*
 * gc_barrier_test.c - the cases of suite "gmm_gc" (gc_test.c) that catch
 * the collector in its concurrent mark phase: allocate-black, the write
 * barrier, the handle barrier.
 *
 * They hold the next cycle there (gmm_kunit_hold_mark(), GMM_HOLD_MARK:
 * the first pause is over, nothing drained yet), enter a section and let
 * the cycle go on when they are ready (gmm_kunit_finish_cycle() at the
 * latest); the phase only changes while the world is stopped, so it
 * stays "mark" for the rest of the section.  They build a long list first
 * so that marking takes a while.  The handle-barrier case still waits for
 * the handle scan to be under way, which cannot be held, and skips when
 * it misses it.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <linux/gmm.h>
#include "gc_test.h"
#include "gmm_kunit.h"
#include "mark.h"

/*
 * 5. Allocate-black: what is allocated while the collector marks has its
 * mark bit set at once - small scan, small noscan, tiny, large scan and
 * large noscan - survives that cycle unreachable, and goes in the next.
 */
enum {
	GT_AB_SCAN,
	GT_AB_NOSCAN,
	GT_AB_TINY,
	GT_AB_LARGE,
	GT_AB_LARGE_NOSCAN,
	GT_AB_NR
};

void gc_allocate_black(struct kunit *test)
{
	static const char * const what[GT_AB_NR] = {
		"small scan", "small noscan", "tiny", "large scan",
		"large noscan",
	};
	struct gmm_heap *h = gmm_kunit_heap(test, "kunit_gc", -1, 0);
	const struct gmm_type *t = gmm_kunit_node_type(test, h);
	void **root = gmm_kunit_root(test, h, 0);
	bool black[GT_AB_NR] = { };
	void *obj[GT_AB_NR] = { };
	struct gmm_kunit_node *a, *b;
	unsigned int i, try;
	bool caught = false;
	u64 c0 = 0;

	gt_mark_chain(test, h, t, root, GT_MARK_CHAIN, &a, &b);
	for (try = 0; try < GT_TRIES && !caught; try++) {
		caught = gt_enter_marking(h, &c0);
		if (!caught)
			KUNIT_ASSERT_TRUE(test, gmm_kunit_finish_cycle(h, c0, false));
	}
	if (!caught)
		kunit_skip(test, "no cycle caught marking in %u tries", GT_TRIES);

	/* Inside a section, the collector marking. */
	obj[GT_AB_SCAN] = gmm_kunit_node(h, t, 1);
	obj[GT_AB_NOSCAN] = gmm_alloc_noscan(h, 64);
	obj[GT_AB_TINY] = gmm_alloc_noscan(h, 8);
	obj[GT_AB_LARGE] = gmm_alloc_array(h, t, 2000);	/* 48000 B */
	obj[GT_AB_LARGE_NOSCAN] = gmm_alloc_noscan(h, SZ_64K);
	for (i = 0; i < GT_AB_NR; i++)
		black[i] = obj[i] && gmm_kunit_marked(obj[i]);
	gmm_mutator_exit(h);

	for (i = 0; i < GT_AB_NR; i++) {
		KUNIT_EXPECT_NOT_NULL_MSG(test, obj[i], "%s", what[i]);
		KUNIT_EXPECT_TRUE_MSG(test, black[i], "%s not allocated black",
				      what[i]);
	}
	KUNIT_ASSERT_TRUE(test, gmm_kunit_finish_cycle(h, c0, false));
	for (i = 0; i < GT_AB_NR; i++)
		if (obj[i])
			KUNIT_EXPECT_TRUE_MSG(test, gmm_kunit_live(h, obj[i]),
					      "%s freed by its own cycle", what[i]);
	KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);
	for (i = 0; i < GT_AB_NR; i++)
		if (obj[i])
			KUNIT_EXPECT_FALSE_MSG(test, gmm_kunit_live(h, obj[i]),
					       "%s kept by the next cycle", what[i]);
	KUNIT_EXPECT_TRUE(test, gmm_kunit_live(h, a));
	KUNIT_EXPECT_TRUE(test, gmm_kunit_live(h, b));
}

/*
 * 6. The write barrier.  root -> head -> ... -> A -> B, a 100 000-node
 * list with A and B at its far end, so the marker reaches A last.  While
 * the collector marks, one section moves the only pointer to B out of A
 * (not yet scanned) and then clears A's pointer with gmm_store_ptr():
 *  - into N, a node allocated in that section (black by allocate-black,
 *    never scanned) and stored into head;
 *  - into a scope local registered before the cycle (a root, scanned
 *    while it was NULL), with a plain store, as C code does: here only
 *    the deletion half of the barrier can save B.
 * With the barrier B is shaded at once and survives, and the checkmark
 * pass agrees; without it (gmm_barrier_disabled) nothing marks B and the
 * checkmark pass reports it (and marks it, so nothing is freed): the test
 * can fail.
 */
struct gt_barrier_run {
	bool caught;		/* a cycle was caught marking */
	bool white_before;	/* B unmarked before the move: A unscanned */
	bool white_after;	/* B unmarked after it */
	bool n_black;		/* N allocated black */
	bool b_live;		/* B survived the cycle */
	bool record_ok;		/* the ring holds the cycle */
	int setup;		/* 0, or what failed: allocation, scope */
	u64 failures;		/* checkmark failures of the cycle */
	u64 cycle_failures;	/* the same, from the cycle ring */
};

static void gt_barrier_once(struct kunit *test, struct gmm_heap *h,
			    const struct gmm_type *t, void **root,
			    bool disable, bool via_scope,
			    struct gt_barrier_run *r)
{
	struct gmm_kunit_node *a, *b, *n, *head, *local = NULL;
	const struct gmm_cycle_trace *ct;
	struct gmm_scope scope;
	bool cycle_ok;
	u64 c0 = 0, fail0;

	memset(r, 0, sizeof(*r));
	gt_mark_chain(test, h, t, root, GT_MARK_CHAIN, &a, &b);
	fail0 = h->gc.checkmark_failures;

	/* No KUNIT_ASSERT until the scope is left: it lives on this stack. */
	if (via_scope) {
		gmm_scope_enter(h, &scope);
		r->setup = gmm_scope_add(&scope, (void **)&local);
	}
	if (!r->setup && gt_enter_marking(h, &c0)) {
		r->caught = true;
		gmm_barrier_disabled = disable;
		r->white_before = !gmm_kunit_marked(b);
		if (via_scope) {
			local = READ_ONCE(a->left);
			gmm_store_ptr(h, &a->left, NULL);
		} else {
			head = *root;
			n = gmm_kunit_node(h, t, 0);
			if (n) {
				r->n_black = gmm_kunit_marked(n);
				gmm_store_ptr(h, &head->right, n);
				gmm_store_ptr(h, &n->left, READ_ONCE(a->left));
				gmm_store_ptr(h, &a->left, NULL);
			} else {
				r->setup = -ENOMEM;
			}
		}
		r->white_after = !gmm_kunit_marked(b);
		gmm_barrier_disabled = false;
		gmm_mutator_exit(h);
	}
	cycle_ok = r->setup || gmm_kunit_finish_cycle(h, c0, false);
	if (r->caught && !r->setup && cycle_ok) {
		r->b_live = gmm_kunit_live(h, b);
		r->failures = h->gc.checkmark_failures - fail0;
		ct = &h->gc.cycles[c0 % GMM_CYCLE_RING];
		r->record_ok = ct->num == c0 + 1;
		r->cycle_failures = ct->checkmark_failures;
	}
	if (via_scope)
		gmm_scope_leave(&scope);
	KUNIT_ASSERT_EQ(test, r->setup, 0);
	KUNIT_ASSERT_TRUE(test, cycle_ok);
}

/* Both runs of one move; false when a run never caught its moment. */
static bool gt_barrier_move(struct kunit *test, struct gmm_heap *h,
			    const struct gmm_type *t, void **root,
			    bool via_scope)
{
	const char *move = via_scope ? "into a scope local" : "into a black node";
	struct gt_barrier_run on = { }, off = { };
	unsigned int try;

	/* With the barrier: B is shaded by the move. */
	for (try = 0; try < GT_TRIES; try++) {
		gt_barrier_once(test, h, t, root, false, via_scope, &on);
		if (on.caught && on.white_before)
			break;
	}
	if (!on.caught || !on.white_before) {
		kunit_info(test, "%s: never caught A unscanned in %u tries\n",
			   move, GT_TRIES);
		return false;
	}
	KUNIT_EXPECT_TRUE_MSG(test, on.n_black || via_scope, "%s", move);
	KUNIT_EXPECT_FALSE_MSG(test, on.white_after,
			       "%s: the barrier did not shade B", move);
	KUNIT_EXPECT_TRUE_MSG(test, on.b_live, "%s: B freed", move);
	KUNIT_EXPECT_EQ_MSG(test, on.failures, 0ULL, "%s", move);
	KUNIT_EXPECT_TRUE_MSG(test, on.record_ok, "%s", move);
	KUNIT_EXPECT_EQ_MSG(test, on.cycle_failures, 0ULL, "%s", move);

	/* Without it: B stays white and the checkmark pass catches it. */
	for (try = 0; try < GT_TRIES; try++) {
		gt_barrier_once(test, h, t, root, true, via_scope, &off);
		if (off.caught && off.white_after)
			break;
	}
	if (!off.caught || !off.white_after) {
		kunit_info(test, "%s: never caught A unscanned without the barrier in %u tries\n",
			   move, GT_TRIES);
		return false;
	}
	KUNIT_EXPECT_TRUE_MSG(test, off.n_black || via_scope, "%s", move);
	KUNIT_EXPECT_GT_MSG(test, off.failures, 0ULL,
			    "%s: no checkmark failure without the barrier", move);
	KUNIT_EXPECT_TRUE_MSG(test, off.record_ok, "%s", move);
	KUNIT_EXPECT_GT_MSG(test, off.cycle_failures, 0ULL, "%s", move);
	/* The checkmark pass marked B, so it was not freed. */
	KUNIT_EXPECT_TRUE_MSG(test, off.b_live, "%s", move);
	kunit_info(test, "%s without the barrier: %llu checkmark failure(s)\n",
		   move, off.failures);
	return true;
}

void gc_write_barrier(struct kunit *test)
{
	struct gmm_heap *h = gmm_kunit_heap(test, "kunit_gc", -1, 0);
	const struct gmm_type *t = gmm_kunit_node_type(test, h);
	void **root = gmm_kunit_root(test, h, 0);
	bool black, scope;

	h->gc.checkmark = true;
	black = gt_barrier_move(test, h, t, root, false);
	scope = gt_barrier_move(test, h, t, root, true);
	/* Barrier on again: everything still reachable is kept. */
	KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);
	h->gc.checkmark = false;
	if ((!black || !scope) && READ_ONCE(test->status) != KUNIT_FAILURE)
		kunit_skip(test, "the mark phase was not caught at the right moment");
}

/*
 * 6b. The handle barrier.  Handles are scanned after the first pause,
 * while mutators run.  F is held by GT_HANDLES handles, X only by one more
 * handle after them, so the scan marks F first and reaches X last.  While
 * F is marked and X is not (the scan is under way), one section gives X a
 * handle with a number the scan has passed (1, released before the cycle)
 * and releases X's old handle.  With the barrier (gmm_handle_put() shades
 * what it drops, gmm_handle_get() what it names) X is shaded at once and
 * survives; without it (gmm_barrier_disabled) nothing marks X and the
 * checkmark pass reports it (and keeps it): the test can fail.
 */
#define GT_HANDLES		100000

struct gt_hbarrier_run {
	bool caught;		/* the handle scan was caught under way */
	bool white_after;	/* X unmarked after the move */
	bool x_live;		/* X survived the cycle */
	int setup;		/* 0, or what failed */
	u64 failures;		/* checkmark failures of the cycle */
};

/* Put handle @handle in a section of its own. */
static int gt_hput(struct gmm_heap *h, u32 handle)
{
	int ret;

	gmm_mutator_enter(h);
	ret = gmm_handle_put(h, handle);
	gmm_mutator_exit(h);
	return ret;
}

static void gt_hbarrier_once(struct kunit *test, struct gmm_heap *h,
			     const struct gmm_type *t, const void *f,
			     bool disable, struct gt_hbarrier_run *r)
{
	unsigned long deadline = jiffies + GMM_KUNIT_HOLD_TIMEOUT;
	u32 hx = 0, hlow = 0;
	struct gmm_kunit_node *x;
	u64 c0 = 0, fail0;
	bool cycle_ok;

	memset(r, 0, sizeof(*r));
	gmm_mutator_enter(h);
	x = gmm_kunit_node(h, t, 7);
	r->setup = x ? gmm_handle_get(h, x, &hx) : -ENOMEM;
	gmm_mutator_exit(h);
	KUNIT_ASSERT_EQ(test, r->setup, 0);
	fail0 = h->gc.checkmark_failures;

	if (gt_enter_marking(h, &c0)) {
		gmm_gc_hold_release(h, false);
		/* Wait, in short sections, for F marked and X not yet. */
		while (READ_ONCE(h->gc.phase) == GMM_GC_PHASE_MARK &&
		       !gmm_kunit_marked(x) && !gmm_kunit_marked(f) &&
		       time_before(jiffies, deadline)) {
			gmm_mutator_exit(h);
			usleep_range(10, 30);
			gmm_mutator_enter(h);
		}
		if (READ_ONCE(h->gc.phase) == GMM_GC_PHASE_MARK &&
		    gmm_kunit_marked(f) && !gmm_kunit_marked(x)) {
			r->caught = true;
			gmm_barrier_disabled = disable;
			xa_lock(&h->roots.handles);
			h->roots.handle_next = 1;
			xa_unlock(&h->roots.handles);
			r->setup = gmm_handle_get(h, x, &hlow);
			if (!r->setup && hlow != 1)
				r->setup = -EEXIST;
			if (!r->setup)
				r->setup = gmm_handle_put(h, hx);
			hx = 0;
			r->white_after = !gmm_kunit_marked(x);
			gmm_barrier_disabled = false;
		}
		gmm_mutator_exit(h);
	}
	cycle_ok = gmm_kunit_finish_cycle(h, c0, false);
	if (r->caught && !r->setup && cycle_ok) {
		r->x_live = gmm_kunit_live(h, x);
		r->failures = h->gc.checkmark_failures - fail0;
	}
	/* Leave handle 1 free and X unreferenced for the next try. */
	if (hx)
		KUNIT_EXPECT_EQ(test, gt_hput(h, hx), 0);
	if (hlow)
		KUNIT_EXPECT_EQ(test, gt_hput(h, hlow), 0);
	KUNIT_ASSERT_EQ(test, r->setup, 0);
	KUNIT_ASSERT_TRUE(test, cycle_ok);
}

void gc_handle_barrier(struct kunit *test)
{
	struct gmm_heap *h = gmm_kunit_heap(test, "kunit_gc", -1, 0);
	const struct gmm_type *t = gmm_kunit_node_type(test, h);
	struct gt_hbarrier_run on = { }, off = { };
	unsigned int i, try, fail = 0;
	struct gmm_kunit_node *f;
	u32 handle;

	/* Handle 1 for a while, then F's GT_HANDLES handles after it. */
	gmm_mutator_enter(h);
	f = gmm_kunit_node(h, t, 1);
	for (i = 0; f && i <= GT_HANDLES && !fail; i++) {
		fail = gmm_handle_get(h, f, &handle) != 0;
		if (!(i % 1024)) {
			gmm_mutator_exit(h);
			cond_resched();
			gmm_mutator_enter(h);
		}
	}
	gmm_mutator_exit(h);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_ASSERT_EQ(test, fail, 0U);
	KUNIT_ASSERT_EQ(test, gt_hput(h, 1), 0);

	h->gc.checkmark = true;
	for (try = 0; try < GT_TRIES && !on.caught; try++)
		gt_hbarrier_once(test, h, t, f, false, &on);
	for (try = 0; try < GT_TRIES && !(off.caught && off.white_after); try++)
		gt_hbarrier_once(test, h, t, f, true, &off);
	KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);
	h->gc.checkmark = false;

	if (!on.caught || !off.caught || !off.white_after) {
		kunit_skip(test, "the handle scan was not caught under way (%d/%d/%d)",
			   on.caught, off.caught, off.white_after);
		return;
	}
	KUNIT_EXPECT_FALSE_MSG(test, on.white_after,
			       "the handle barrier did not shade X");
	KUNIT_EXPECT_TRUE(test, on.x_live);
	KUNIT_EXPECT_EQ(test, on.failures, 0ULL);
	/* Without the barrier the scan never sees X: checkmark does. */
	KUNIT_EXPECT_GT_MSG(test, off.failures, 0ULL,
			    "no checkmark failure without the handle barrier");
	KUNIT_EXPECT_TRUE(test, off.x_live);
	kunit_info(test, "without the handle barrier: %llu checkmark failure(s)\n",
		   off.failures);
}
