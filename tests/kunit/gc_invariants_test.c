// SPDX-License-Identifier: GPL-2.0
/*
 * gc_invariants_test.c - KUnit suite "gmm_gc_invariants": one case per
 * invariant of the collector, each at the exact moment it matters.
 *
 * The cases of gmm_gc catch a cycle in its mark phase by polling and skip
 * when they miss it; a skipped case kills no bug.  Here the collector is
 * held where the case needs it (gmm_gc_hold_arm(), test builds only): the
 * first pause is over, the roots of that pause are grey and nothing has
 * been drained (GMM_HOLD_MARK).  The case then does, inside a mutator
 * section, what a mutator may legally do at that moment, lets the cycle
 * finish and checks that nothing reachable was lost: the checkmark pass is
 * on, so a lost object shows as a checkmark failure of that cycle (the
 * pass also keeps it, so nothing is freed under the test), and every
 * object is checked live afterwards from gmm's metadata.
 *
 * Every case names the bug it exists to catch: make mutate
 * (tools/vm/mutate.sh, gmm/mutant.h) builds those bugs in one at a time
 * and expects this suite to fail for each.
 *
 * The scope and its locals live in the fixture, so that a failed
 * assertion can end the case anywhere: the exit handler leaves the scope
 * before it destroys the heap, then checks that every page went back.
 */
#include <kunit/test.h>
#include <linux/cpumask.h>
#include <linux/jiffies.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/wait.h>

#include <linux/gmm.h>
#include "gmm_kunit.h"

#define GI_LOCALS		8
/* Nodes of the list in gi_final_drain. */
#define GI_CHAIN		200
/* Elements of the large array in gi_array_pointers: 48000 bytes. */
#define GI_LARGE_N		2000

struct gi_fixture {
	struct gmm_heap *h;
	const struct gmm_type *node;
	void *root;			/* a root slot */
	struct gmm_scope scope;
	bool in_scope;
	void *local[GI_LOCALS];		/* registered with the scope */
	bool pinned;			/* gi_pin() changed our CPU mask */
};

static int gi_init(struct kunit *test)
{
	struct gi_fixture *f;
	unsigned int i;
	int ret = gmm_kunit_init(test, "gmm_gc_invariants", sizeof(*f));

	if (ret)
		return ret;
	f = gmm_kunit_priv(test);
	/* GOGC off: only the cycles the case asks for run. */
	f->h = gmm_kunit_heap(test, "kunit_inv", -1, 0);
	f->h->gc.checkmark = true;
	f->node = gmm_kunit_node_type(test, f->h);
	if (gmm_root_add(f->h, &f->root))
		return -ENOMEM;
	gmm_scope_enter(f->h, &f->scope);
	f->in_scope = true;
	for (i = 0; i < GI_LOCALS; i++)
		if (gmm_scope_add(&f->scope, &f->local[i]))
			return -ENOSPC;
	return 0;
}

static void gi_exit(struct kunit *test)
{
	struct gi_fixture *f = gmm_kunit_priv(test);

	if (f && f->pinned)
		set_cpus_allowed_ptr(current, cpu_possible_mask);
	if (f && f->in_scope) {
		gmm_gc_hold_release(f->h, false);
		gmm_scope_leave(&f->scope);
	}
	gmm_kunit_exit(test);
}

/*
 * Start a cycle and wait, outside any section, until it is held at
 * GMM_HOLD_MARK.  Returns the number of cycles completed before it.
 */
static u64 gi_hold_mark(struct kunit *test, struct gi_fixture *f)
{
	u64 c0;

	KUNIT_ASSERT_TRUE_MSG(test, gmm_kunit_hold_mark(f->h, &c0),
			      "the cycle never reached the mark phase");
	return c0;
}

/*
 * Let the held cycle go on (@skip_bg: with no background marking), wait
 * for it to end and return its checkmark failures.
 */
static u64 gi_finish(struct kunit *test, struct gi_fixture *f, u64 c0,
		     bool skip_bg)
{
	struct gmm_heap *h = f->h;
	const struct gmm_cycle_trace *t;

	KUNIT_ASSERT_TRUE(test, gmm_kunit_finish_cycle(h, c0, skip_bg));
	gmm_gc_hold_release(h, false);	/* skip_bg back off */
	t = &h->gc.cycles[c0 % GMM_CYCLE_RING];
	KUNIT_ASSERT_EQ(test, t->num, c0 + 1);
	return t->checkmark_failures;
}

/* Keep this task on the CPU it runs on until the exit handler. */
static void gi_pin(struct kunit *test, struct gi_fixture *f)
{
	int cpu = get_cpu();

	put_cpu();
	KUNIT_ASSERT_EQ(test, set_cpus_allowed_ptr(current, cpumask_of(cpu)), 0);
	f->pinned = true;
	KUNIT_ASSERT_EQ(test, (int)raw_smp_processor_id(), cpu);
}

/*
 * Objects carved out of a tiny block during mark.  A pointer-free 8-byte
 * object before the cycle leaves this CPU's tiny block with room for a
 * 4-byte one; the first pause must drop the block (it is white), so that
 * the 4-byte object allocated while marking comes from a new block,
 * allocated black.  Only a scope local, scanned in the first pause while
 * it was NULL, holds it.  Kills: tiny_reset.
 */
static void gi_tiny_block(struct kunit *test)
{
	struct gi_fixture *f = gmm_kunit_priv(test);
	struct gmm_heap *h = f->h;
	bool black = false;
	u32 *obj;
	u64 c0;

	gi_pin(test, f);
	gmm_mutator_enter(h);
	KUNIT_EXPECT_NOT_NULL(test, gmm_alloc_noscan(h, 8));	/* garbage */
	gmm_mutator_exit(h);

	c0 = gi_hold_mark(test, f);
	gmm_mutator_enter(h);
	obj = gmm_alloc_noscan(h, 4);
	if (obj) {
		*obj = 0x5eed;
		black = gmm_kunit_marked(obj);
	}
	f->local[0] = obj;
	gmm_mutator_exit(h);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	KUNIT_EXPECT_TRUE_MSG(test, black, "tiny object allocated white");
	KUNIT_EXPECT_EQ(test, gi_finish(test, f, c0, false), 0ULL);
	KUNIT_EXPECT_TRUE(test, gmm_kunit_live(h, obj));
	gmm_mutator_enter(h);
	KUNIT_EXPECT_EQ(test, *obj, 0x5eedU);
	gmm_mutator_exit(h);
}

/*
 * Allocate-black: everything allocated while marking, held only by scope
 * locals, survives its cycle.  Kills: alloc_white.
 */
static void gi_allocate_black(struct kunit *test)
{
	static const char * const what[] = {
		"small scan", "small noscan", "tiny", "large scan", "large noscan",
	};
	struct gi_fixture *f = gmm_kunit_priv(test);
	struct gmm_heap *h = f->h;
	bool black[ARRAY_SIZE(what)] = { };
	unsigned int i;
	u64 c0;

	c0 = gi_hold_mark(test, f);
	gmm_mutator_enter(h);
	f->local[0] = gmm_kunit_node(f->h, f->node, 1);
	f->local[1] = gmm_alloc_noscan(h, 64);
	f->local[2] = gmm_alloc_noscan(h, 8);
	f->local[3] = gmm_alloc_array(h, f->node, GI_LARGE_N);
	f->local[4] = gmm_alloc_noscan(h, SZ_64K);
	for (i = 0; i < ARRAY_SIZE(what); i++)
		black[i] = f->local[i] && gmm_kunit_marked(f->local[i]);
	gmm_mutator_exit(h);
	for (i = 0; i < ARRAY_SIZE(what); i++) {
		KUNIT_ASSERT_NOT_NULL_MSG(test, f->local[i], "%s", what[i]);
		KUNIT_EXPECT_TRUE_MSG(test, black[i], "%s allocated white", what[i]);
	}
	KUNIT_EXPECT_EQ(test, gi_finish(test, f, c0, false), 0ULL);
	for (i = 0; i < ARRAY_SIZE(what); i++)
		KUNIT_EXPECT_TRUE_MSG(test, gmm_kunit_live(h, f->local[i]),
				      "%s freed", what[i]);
}

/*
 * The deletion half of the store barrier.  root -> A -> B; A is grey
 * (the first pause shaded the root slot), B white.  A section moves B
 * from A into a scope local (scanned in the first pause, no barrier on
 * its writes) and clears A's pointer with gmm_store_ptr(): only the
 * shade of the old value keeps B.  Kills: deletion_shade.
 */
static void gi_deletion_barrier(struct kunit *test)
{
	struct gi_fixture *f = gmm_kunit_priv(test);
	struct gmm_heap *h = f->h;
	struct gmm_kunit_node *a, *b;
	bool white = false, shaded = false;
	u64 c0;

	gmm_mutator_enter(h);
	a = gmm_kunit_node(f->h, f->node, 1);
	b = gmm_kunit_node(f->h, f->node, 2);
	if (a && b) {
		gmm_store_ptr(h, &a->left, b);
		gmm_store_ptr(h, &f->root, a);
	}
	gmm_mutator_exit(h);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);

	c0 = gi_hold_mark(test, f);
	gmm_mutator_enter(h);
	white = !gmm_kunit_marked(b);
	f->local[0] = READ_ONCE(a->left);
	gmm_store_ptr(h, &a->left, NULL);
	shaded = gmm_kunit_marked(b);
	gmm_mutator_exit(h);
	KUNIT_EXPECT_TRUE_MSG(test, white, "B marked before A was scanned");
	KUNIT_EXPECT_TRUE_MSG(test, shaded, "the barrier did not shade B");
	KUNIT_EXPECT_EQ(test, gi_finish(test, f, c0, false), 0ULL);
	KUNIT_EXPECT_TRUE(test, gmm_kunit_live(h, b));
}

/*
 * The handle barrier.  X is held by one handle only; the handle scan has
 * not begun.  A section takes X into a scope local and releases the
 * handle: the scan will not find it, so only the shade of the released
 * handle's object keeps X.  Kills: handle_barrier.
 */
static void gi_handle_barrier(struct kunit *test)
{
	struct gi_fixture *f = gmm_kunit_priv(test);
	struct gmm_heap *h = f->h;
	bool shaded = false;
	struct gmm_kunit_node *x;
	int ret = -ENOMEM;
	u32 hx = 0;
	u64 c0;

	gmm_mutator_enter(h);
	x = gmm_kunit_node(f->h, f->node, 7);
	if (x)
		ret = gmm_handle_get(h, x, &hx);
	gmm_mutator_exit(h);
	KUNIT_ASSERT_EQ(test, ret, 0);

	c0 = gi_hold_mark(test, f);
	gmm_mutator_enter(h);
	f->local[0] = gmm_handle_obj(h, hx);
	ret = gmm_handle_put(h, hx);
	shaded = gmm_kunit_marked(x);
	gmm_mutator_exit(h);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_PTR_EQ(test, f->local[0], (void *)x);
	KUNIT_EXPECT_TRUE_MSG(test, shaded, "releasing the handle did not shade X");
	KUNIT_EXPECT_EQ(test, gi_finish(test, f, c0, false), 0ULL);
	KUNIT_EXPECT_TRUE(test, gmm_kunit_live(h, x));
}

/*
 * Mark termination drains what is left.  A list of GI_CHAIN nodes hangs
 * off the root slot; the cycle is released from GMM_HOLD_MARK with no
 * background marking at all (as if the mark workers got no CPU time), so
 * the drain in the second pause must mark the whole list.
 * Kills: final_drain.
 */
static void gi_final_drain(struct kunit *test)
{
	struct gi_fixture *f = gmm_kunit_priv(test);
	struct gmm_heap *h = f->h;
	struct gmm_kunit_node *head = NULL, *n, *tail = NULL;
	unsigned int i;
	u64 c0;

	gmm_mutator_enter(h);
	for (i = 0; i < GI_CHAIN; i++) {
		n = gmm_kunit_node(f->h, f->node, i + 1);
		if (!n)
			break;
		gmm_store_ptr(h, &n->left, head);
		head = n;
		if (!tail)
			tail = n;
	}
	gmm_store_ptr(h, &f->root, head);
	gmm_mutator_exit(h);
	KUNIT_ASSERT_EQ(test, i, GI_CHAIN);

	c0 = gi_hold_mark(test, f);
	KUNIT_EXPECT_EQ(test, gi_finish(test, f, c0, true), 0ULL);
	KUNIT_EXPECT_TRUE(test, gmm_kunit_live(h, head));
	KUNIT_EXPECT_TRUE(test, gmm_kunit_live(h, tail));
}

/*
 * Sweeping, cycle after cycle.  Each round allocates a kept node (linked
 * from the root) and a garbage node, from this CPU's cached span, and
 * collects: the garbage node of every round is freed, every kept node
 * stays.  The cache flush before the sweepgen bump is what gets the
 * cached span swept; a sweepgen step of 1 breaks the swept/unswept halves
 * of the central lists.  Kills: cache_flush, sweepgen_step1,
 * sweep_frees_marked.
 */
#define GI_ROUNDS		4

static void gi_sweep_rounds(struct kunit *test)
{
	struct gi_fixture *f = gmm_kunit_priv(test);
	struct gmm_heap *h = f->h;
	struct gmm_kunit_node *keep[GI_ROUNDS] = { }, *junk[GI_ROUNDS] = { };
	unsigned int r, i;

	h->gc.checkmark = false;
	for (r = 0; r < GI_ROUNDS; r++) {
		gmm_mutator_enter(h);
		keep[r] = gmm_kunit_node(f->h, f->node, 100 + r);
		junk[r] = gmm_kunit_node(f->h, f->node, 200 + r);
		if (keep[r]) {
			gmm_store_ptr(h, &keep[r]->left, f->root);
			gmm_store_ptr(h, &f->root, keep[r]);
		}
		gmm_mutator_exit(h);
		KUNIT_ASSERT_NOT_NULL(test, keep[r]);
		KUNIT_ASSERT_NOT_NULL(test, junk[r]);
		KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);
		for (i = 0; i <= r; i++) {
			KUNIT_EXPECT_TRUE_MSG(test, gmm_kunit_live(h, keep[i]),
					      "round %u: kept node %u freed", r, i);
			gmm_mutator_enter(h);
			KUNIT_EXPECT_EQ(test, keep[i]->id, 100ULL + i);
			gmm_mutator_exit(h);
		}
		KUNIT_EXPECT_FALSE_MSG(test, gmm_kunit_live(h, junk[r]),
				       "round %u: garbage kept", r);
	}
}

/*
 * Pointers in arrays: a large array (one span of its own) whose first and
 * last elements point to P and Q, and a small array of three nodes whose
 * last element points to S, each array held by a scope local.  Every
 * element of an array is scanned, large or small.
 * Kills: large_unscanned, array_first_only.
 */
static void gi_array_pointers(struct kunit *test)
{
	struct gi_fixture *f = gmm_kunit_priv(test);
	struct gmm_heap *h = f->h;
	struct gmm_kunit_node *big, *small, *p, *q, *s;

	gmm_mutator_enter(h);
	big = gmm_alloc_array(h, f->node, GI_LARGE_N);
	small = gmm_alloc_array(h, f->node, 3);
	p = gmm_kunit_node(f->h, f->node, 1);
	q = gmm_kunit_node(f->h, f->node, 2);
	s = gmm_kunit_node(f->h, f->node, 3);
	if (big && small && p && q && s) {
		gmm_store_ptr(h, &big[0].left, p);
		gmm_store_ptr(h, &big[GI_LARGE_N - 1].right, q);
		gmm_store_ptr(h, &small[2].left, s);
	}
	f->local[0] = big;
	f->local[1] = small;
	gmm_mutator_exit(h);
	KUNIT_ASSERT_TRUE(test, big && small && p && q && s);
	KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);
	KUNIT_EXPECT_EQ(test, h->gc.cycles[0].checkmark_failures, 0ULL);
	KUNIT_EXPECT_TRUE_MSG(test, gmm_kunit_live(h, p), "first element's target");
	KUNIT_EXPECT_TRUE_MSG(test, gmm_kunit_live(h, q), "last element's target");
	KUNIT_EXPECT_TRUE_MSG(test, gmm_kunit_live(h, s), "small array's target");
}

static struct kunit_case gmm_gc_invariants_cases[] = {
	KUNIT_CASE(gi_tiny_block),
	KUNIT_CASE(gi_allocate_black),
	KUNIT_CASE(gi_deletion_barrier),
	KUNIT_CASE(gi_handle_barrier),
	KUNIT_CASE(gi_final_drain),
	KUNIT_CASE(gi_sweep_rounds),
	KUNIT_CASE(gi_array_pointers),
	{}
};

static struct kunit_suite gmm_gc_invariants_suite = {
	.name = "gmm_gc_invariants",
	.init = gi_init,
	.exit = gi_exit,
	.test_cases = gmm_gc_invariants_cases,
};

kunit_test_suite(gmm_gc_invariants_suite);
