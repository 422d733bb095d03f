// SPDX-License-Identifier: GPL-2.0
/*
 * gc_stress_test.c - KUnit suite "gmm_gc_stress": random graphs built and
 * torn down by many mutators while the collector runs.
 *
 * The suite runs one mutator kthread per online CPU plus one on one
 * heap, with the checkmark pass on and gmm_gc() looping in another kthread.
 * Every mutator keeps a model of its graph (ids and edges) and checks the
 * heap against it as it walks; at the end, reachability is computed from
 * the model and compared with what the collector kept.  Module parameter
 * kunit_stress_seconds of gmm.ko sets the length (a parameter of this
 * module would not be: 6.1 runs a test module's suites before it parses
 * its parameters); runs longer than GS_CHUNK_SECONDS are
 * split into several parameterised runs so that no case runs into KUnit's
 * timeout or the hung-task detector.
 *
 * Addresses are never printed: failures show ids, slots and counts.
 */
#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include <linux/gmm.h>
#include "gmm_kunit.h"

/*
 * Every mutator owns GS_ROOTS root slots and a graph of
 * its own nodes, and keeps a model of it: per node the address, the id
 * and the model indices of the two children (-1: none).  Ids are unique
 * per run and never 0: (mutator + 1) << 40 | allocation number, so a node
 * freed and handed out again (zeroed) or reused by anyone shows up with a
 * wrong id.
 *
 * A mutator only ever reaches nodes through its roots, so a node that is
 * unreachable in the model stays garbage for good.  When the model runs
 * out of room the mutator computes reachability and sets the unreachable
 * entries aside; once two cycles that started after that have completed,
 * the collector has freed those nodes and their entries are reused.  The
 * final check covers every entry still in the model.
 */
#define GS_ROOTS		8
#define GS_CHUNK_SECONDS	60
#define GS_MAX_CHUNKS		64
#define GS_MAX_NODES		SZ_128K	/* model entries per mutator */
#define GS_MODEL_BYTES		SZ_32M	/* all mutators' models */
#define GS_DEEP_CHECK		512	/* nodes per deep check */

enum { GS_UNUSED, GS_USED, GS_PENDING, GS_FREE };

struct gs_rec {
	struct gmm_kunit_node *addr;
	u64 id;
	s32 left;
	s32 right;
	u32 state;
};

/* Bytes of model per entry: the record, a BFS queue slot, a stack slot. */
#define GS_ENTRY_BYTES		(sizeof(struct gs_rec) + 2 * sizeof(u32))

struct gs_worker {
	struct gs_run *run;
	unsigned int tid;
	void *roots[GS_ROOTS];		/* registered root slots */
	s32 root_model[GS_ROOTS];
	struct gs_rec *recs;
	u32 *queue;			/* BFS queue */
	u32 *stack;			/* free [0, nfree), pending at the top */
	unsigned long *seen;
	u32 nnodes;			/* entries ever used */
	u32 nfree;
	u32 npending;
	u64 pending_until;		/* gc.completed that frees them */
	u64 seq;
	struct rnd_state rnd;
	struct completion done;
	u64 sections;
	u64 allocs;
	u64 links;
	u64 unlinks;
	u64 checked;
	u64 recycled;
	unsigned int errors;
	char err[128];
};

struct gs_run {
	struct gmm_heap *h;
	const struct gmm_type *t;
	struct gs_worker *w;
	unsigned int nw;
	u32 cap;
	bool stop;
	struct completion gc_done;
	u64 gc_calls;
	int gc_err;
};

static inline u32 gs_rand(struct gs_worker *w, u32 n)
{
	return prandom_u32_state(&w->rnd) % n;
}

static inline struct gmm_kunit_node *gs_addr(const struct gs_worker *w, s32 i)
{
	return i < 0 ? NULL : w->recs[i].addr;
}

static __printf(2, 3) void gs_fail(struct gs_worker *w, const char *fmt, ...)
{
	va_list args;
	int n;

	if (w->errors++)
		return;
	n = scnprintf(w->err, sizeof(w->err), "mutator %u: ", w->tid);
	va_start(args, fmt);
	vscnprintf(w->err + n, sizeof(w->err) - n, fmt, args);
	va_end(args);
}

/* Check node @i against the model: id and both pointers.  In a section. */
static bool gs_verify(struct gs_worker *w, u32 i)
{
	const struct gs_rec *r = &w->recs[i];
	struct gmm_kunit_node *n = r->addr;
	u64 id = READ_ONCE(n->id);

	w->checked++;
	if (r->state != GS_USED) {
		gs_fail(w, "model: node %u reachable in state %u", i, r->state);
		return false;
	}
	if (id != r->id) {
		gs_fail(w, "node %u: id %llx, expected %llx", i, id, r->id);
		return false;
	}
	if (READ_ONCE(n->left) != gs_addr(w, r->left)) {
		gs_fail(w, "node %u: left is not the model's child %d", i,
			r->left);
		return false;
	}
	if (READ_ONCE(n->right) != gs_addr(w, r->right)) {
		gs_fail(w, "node %u: right is not the model's child %d", i,
			r->right);
		return false;
	}
	return true;
}

/*
 * A node reachable from one of the mutator's roots, by a random walk that
 * checks every node it passes.  -1: the roots are all empty; -2: a check
 * failed.  In a section.
 */
static s32 gs_walk(struct gs_worker *w)
{
	u32 r0 = gs_rand(w, GS_ROOTS), k, steps;
	s32 cur = -1, next;

	for (k = 0; k < GS_ROOTS; k++) {
		u32 r = (r0 + k) % GS_ROOTS;

		cur = w->root_model[r];
		if (cur < 0)
			continue;
		if (READ_ONCE(w->roots[r]) != gs_addr(w, cur)) {
			gs_fail(w, "root %u is not the model's node %d", r, cur);
			return -2;
		}
		break;
	}
	if (cur < 0)
		return -1;
	steps = gs_rand(w, 24);
	for (;;) {
		if (!gs_verify(w, cur))
			return -2;
		if (!steps--)
			return cur;
		next = gs_rand(w, 2) ? w->recs[cur].right : w->recs[cur].left;
		if (next < 0)
			return cur;
		cur = next;
	}
}

/*
 * Breadth-first over the model from root @r (all roots: @r == GS_ROOTS),
 * marking w->seen; with @check, verify each node against the heap (in a
 * section) and stop after @max nodes, then clear the marks again.
 * Return: the number of nodes queued.
 */
static u32 gs_bfs(struct gs_worker *w, u32 r, bool check, u32 max)
{
	u32 head = 0, tail = 0, k, i;
	s32 c;

	for (k = 0; k < GS_ROOTS; k++) {
		if (r != GS_ROOTS && k != r)
			continue;
		c = w->root_model[k];
		if (c >= 0 && !__test_and_set_bit(c, w->seen))
			w->queue[tail++] = c;
	}
	while (head < tail && head < max) {
		i = w->queue[head++];
		if (check && !gs_verify(w, i))
			break;
		c = w->recs[i].left;
		if (c >= 0 && !__test_and_set_bit(c, w->seen))
			w->queue[tail++] = c;
		c = w->recs[i].right;
		if (c >= 0 && !__test_and_set_bit(c, w->seen))
			w->queue[tail++] = c;
	}
	if (check)
		for (i = 0; i < tail; i++)
			__clear_bit(w->queue[i], w->seen);
	return tail;
}

/* Exact reachability of the whole model into w->seen.  No section. */
static void gs_reach(struct gs_worker *w)
{
	bitmap_zero(w->seen, w->run->cap);
	gs_bfs(w, GS_ROOTS, false, U32_MAX);
}

/*
 * Out of model entries: set the unreachable ones aside until two cycles
 * that start after now have completed.  No section.
 */
static void gs_model_collect(struct gs_worker *w)
{
	u32 i;

	gs_reach(w);
	w->pending_until = READ_ONCE(w->run->h->gc.started) + 2;
	for (i = 0; i < w->nnodes; i++) {
		if (w->recs[i].state != GS_USED || test_bit(i, w->seen))
			continue;
		w->recs[i].state = GS_PENDING;
		w->stack[w->run->cap - ++w->npending] = i;
	}
}

/* The collector has freed the nodes set aside: reuse their entries. */
static void gs_model_recycle(struct gs_worker *w)
{
	u32 i, cap = w->run->cap;

	if (!w->npending ||
	    READ_ONCE(w->run->h->gc.completed) < w->pending_until)
		return;
	/* The pending stack is above the free one: move it down. */
	memmove(&w->stack[w->nfree], &w->stack[cap - w->npending],
		w->npending * sizeof(*w->stack));
	for (i = 0; i < w->npending; i++)
		w->recs[w->stack[w->nfree + i]].state = GS_FREE;
	w->nfree += w->npending;
	w->recycled += w->npending;
	w->npending = 0;
}

static void gs_set_child(struct gs_worker *w, s32 x, bool right, s32 y)
{
	struct gmm_kunit_node *n = w->recs[x].addr;

	gmm_store_ptr(w->run->h, right ? &n->right : &n->left, gs_addr(w, y));
	if (right)
		w->recs[x].right = y;
	else
		w->recs[x].left = y;
}

static void gs_set_root(struct gs_worker *w, u32 r, s32 y)
{
	gmm_store_ptr(w->run->h, &w->roots[r], gs_addr(w, y));
	w->root_model[r] = y;
}

/* A new node in a free model entry; -1: no entry; -2: failed.  Section. */
static s32 gs_new(struct gs_worker *w)
{
	struct gmm_kunit_node *n;
	s32 y;

	if (!w->nfree && w->nnodes >= w->run->cap)
		return -1;
	n = gmm_alloc(w->run->h, w->run->t);
	if (!n) {
		gs_fail(w, "allocation failed after %llu nodes", w->allocs);
		return -2;
	}
	if (n->left || n->right || n->id) {
		gs_fail(w, "new node not zeroed (id %llx)", n->id);
		return -2;
	}
	y = w->nfree ? w->stack[--w->nfree] : w->nnodes++;
	w->recs[y].addr = n;
	w->recs[y].id = ((u64)w->tid + 1) << 40 | ++w->seq;
	w->recs[y].left = -1;
	w->recs[y].right = -1;
	w->recs[y].state = GS_USED;
	n->id = w->recs[y].id;
	w->allocs++;
	return y;
}

/*
 * Hang new node @y under @x: into an empty child slot if there is one,
 * else between @x and a child, which becomes @y's left child.
 */
static void gs_insert(struct gs_worker *w, s32 x, s32 y)
{
	bool right = gs_rand(w, 2);
	s32 old = right ? w->recs[x].right : w->recs[x].left;

	if (old >= 0) {
		right = !right;
		old = right ? w->recs[x].right : w->recs[x].left;
	}
	if (old >= 0)
		gs_set_child(w, y, false, old);
	gs_set_child(w, x, right, y);
}

/* A root slot to store into: an empty one if there is one. */
static u32 gs_pick_root(struct gs_worker *w)
{
	u32 r0 = gs_rand(w, GS_ROOTS), k;

	for (k = 0; k < GS_ROOTS; k++)
		if (w->root_model[(r0 + k) % GS_ROOTS] < 0)
			return (r0 + k) % GS_ROOTS;
	return r0;
}

/* One random operation; false when a check failed.  In a section. */
static bool gs_op(struct gs_worker *w)
{
	u32 op = gs_rand(w, 100);
	s32 x, y;

	if (op < 35) {
		/* A new node: 85 % into the graph, 10 % a root, 5 % garbage. */
		y = gs_new(w);
		if (y < 0)
			return y == -1;
		op = gs_rand(w, 20);
		if (op < 17) {
			x = gs_walk(w);
			if (x == -2)
				return false;
			if (x >= 0) {
				gs_insert(w, x, y);
				return true;
			}
			op = 17;	/* no root yet */
		}
		if (op < 19)
			gs_set_root(w, gs_pick_root(w), y);
		return true;
	}
	if (op < 70) {
		/*
		 * Link two nodes (self-loops and cycles included): into an
		 * empty child slot, else over a child one time in four (which
		 * may drop a subgraph), so that the graph can grow.
		 */
		x = gs_walk(w);
		y = x >= 0 ? gs_walk(w) : x;
		if (y < 0)
			return y != -2;
		if (w->recs[x].left < 0)
			gs_set_child(w, x, false, y);
		else if (w->recs[x].right < 0)
			gs_set_child(w, x, true, y);
		else if (!gs_rand(w, 4))
			gs_set_child(w, x, gs_rand(w, 2), y);
		else
			return true;
		w->links++;
		return true;
	}
	if (op < 75) {
		x = gs_walk(w);
		if (x >= 0) {
			gs_set_child(w, x, gs_rand(w, 2), -1);
			w->unlinks++;
		}
		return x != -2;
	}
	if (op < 76) {
		gs_set_root(w, gs_rand(w, GS_ROOTS), -1);
		return true;
	}
	if (op < 80) {
		y = gs_walk(w);
		if (y >= 0)
			gs_set_root(w, gs_pick_root(w), y);
		return y != -2;
	}
	return gs_walk(w) != -2;
}

static int gs_mutator(void *arg)
{
	struct gs_worker *w = arg;
	struct gmm_heap *h = w->run->h;
	u32 k, nops, cap = w->run->cap;

	while (!READ_ONCE(w->run->stop) && !w->errors) {
		/* Model housekeeping, outside sections. */
		if (!w->npending && w->nfree + (cap - w->nnodes) < cap / 4)
			gs_model_collect(w);
		gs_model_recycle(w);

		nops = 1 + gs_rand(w, 8);
		gmm_mutator_enter(h);
		for (k = 0; k < nops; k++)
			if (!gs_op(w))
				break;
		if (!w->errors && !(w->sections % 64))
			gs_bfs(w, gs_rand(w, GS_ROOTS), true, GS_DEEP_CHECK);
		gmm_mutator_exit(h);
		w->sections++;
		if (!(w->sections % 16))
			cond_resched();
	}
	kthread_complete_and_exit(&w->done, 0);
}

static int gs_collector(void *arg)
{
	struct gs_run *run = arg;

	while (!READ_ONCE(run->stop)) {
		run->gc_err = gmm_gc(run->h);
		if (run->gc_err)
			break;
		run->gc_calls++;
	}
	kthread_complete_and_exit(&run->gc_done, 0);
}

struct gs_ent {
	unsigned long addr;
	u32 tid;
	u32 idx;
};

static int gs_ent_cmp(const void *a, const void *b)
{
	const struct gs_ent *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return 0;
}

struct gs_verdict {
	u64 reachable;
	u64 unreachable;
	u64 reach_dead;		/* reachable in the model, freed */
	u64 reach_bad;		/* reachable, live, wrong contents */
	u64 reach_twice;	/* two reachable nodes in one slot */
	u64 unreach_live;	/* unreachable, still allocated */
	u64 reused;		/* slots that held several nodes */
};

/*
 * Compare the heap with the models, all mutators stopped and no cycle
 * running.  Nodes are grouped by address across mutators: a slot whose
 * nodes are all unreachable must be free; one with a reachable node must
 * be allocated and hold that node; two reachable nodes in one slot mean
 * one was freed while reachable.
 */
static void gs_judge(struct gs_run *run, struct gs_ent *e, u64 n,
		     struct gs_verdict *v)
{
	struct gmm_heap *h = run->h;
	u64 i = 0, j;

	memset(v, 0, sizeof(*v));
	gmm_mutator_enter(h);
	while (i < n) {
		struct gs_worker *rw = NULL;
		u32 ri = 0, nreach = 0;

		for (j = i; j < n && e[j].addr == e[i].addr; j++) {
			struct gs_worker *w = &run->w[e[j].tid];

			if (test_bit(e[j].idx, w->seen)) {
				nreach++;
				rw = w;
				ri = e[j].idx;
			}
		}
		v->reachable += nreach;
		v->unreachable += j - i - nreach;
		if (j - i > 1)
			v->reused++;
		if (nreach > 1)
			v->reach_twice++;
		if (!nreach) {
			if (gmm_kunit_live(h, (void *)e[i].addr))
				v->unreach_live++;
		} else if (!gmm_kunit_live(h, (void *)e[i].addr)) {
			v->reach_dead++;
		} else {
			const struct gs_rec *r = &rw->recs[ri];

			if (r->addr->id != r->id ||
			    r->addr->left != gs_addr(rw, r->left) ||
			    r->addr->right != gs_addr(rw, r->right))
				v->reach_bad++;
		}
		i = j;
		if (!(i % 4096)) {
			gmm_mutator_exit(h);
			cond_resched();
			gmm_mutator_enter(h);
		}
	}
	gmm_mutator_exit(h);
}

static const u8 gs_chunk_ids[GS_MAX_CHUNKS];

static unsigned int gs_nchunks(void)
{
	unsigned int s = max(gmm_kunit_stress_seconds(), 1U);

	return min_t(unsigned int, DIV_ROUND_UP(s, GS_CHUNK_SECONDS),
		     GS_MAX_CHUNKS);
}

static const void *gs_gen_params(const void *prev, char *desc)
{
	const u8 *p = prev ? (const u8 *)prev + 1 : gs_chunk_ids;
	unsigned int i = p - gs_chunk_ids;

	if (i >= gs_nchunks())
		return NULL;
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "run %u of %u", i + 1,
		 gs_nchunks());
	return p;
}

/* A run of @nw mutators on a heap of its own, with their models. */
static struct gs_run *gs_setup(struct kunit *test, unsigned int nw)
{
	struct gs_worker *w;
	struct gs_run *run;
	unsigned int i, r;
	size_t per;
	u8 *mem;
	u32 cap;

	cap = min_t(u32, GS_MAX_NODES, GS_MODEL_BYTES / nw / GS_ENTRY_BYTES);
	cap = max_t(u32, round_down(cap, BITS_PER_LONG), 1024);
	per = (size_t)cap * GS_ENTRY_BYTES + BITS_TO_LONGS(cap) * sizeof(long);

	run = kunit_kzalloc(test, sizeof(*run), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, run);
	run->w = gmm_kunit_kvzalloc(test, nw * sizeof(*run->w));
	mem = gmm_kunit_kvzalloc(test, nw * per);
	run->nw = nw;
	run->cap = cap;
	run->h = gmm_kunit_heap(test, "kunit_gc", 100, 0);
	run->t = gmm_kunit_node_type(test, run->h);
	run->h->gc.checkmark = true;
	init_completion(&run->gc_done);

	for (i = 0; i < nw; i++) {
		w = &run->w[i];
		w->run = run;
		w->tid = i;
		w->recs = (struct gs_rec *)(mem + i * per);
		w->queue = (u32 *)(w->recs + cap);
		w->stack = w->queue + cap;
		w->seen = (unsigned long *)(w->stack + cap);
		prandom_seed_state(&w->rnd, get_random_u64());
		init_completion(&w->done);
		for (r = 0; r < GS_ROOTS; r++) {
			w->root_model[r] = -1;
			KUNIT_ASSERT_EQ(test, gmm_root_add(run->h, &w->roots[r]), 0);
		}
	}
	return run;
}

/*
 * The collector thread and the mutators for @secs seconds, or until one
 * reports an error; no KUNIT_ASSERT until every thread is stopped.
 * Returns the mutators started (all of them: run->nw) and the run's
 * length in jiffies (*@t).
 */
static unsigned int gs_threads(struct gs_run *run, unsigned int secs,
			       bool *gc_started, unsigned long *t)
{
	unsigned int i, started = 0, nw = run->nw;
	unsigned long deadline, t0;

	*gc_started = !IS_ERR(kthread_run(gs_collector, run, "gmm_gc_test/gc"));
	for (i = 0; i < nw && *gc_started; i++) {
		if (IS_ERR(kthread_run(gs_mutator, &run->w[i], "gmm_gc_test/%u",
				       i)))
			break;
		started++;
	}
	t0 = jiffies;
	deadline = t0 + secs * HZ;
	while (started == nw && time_before(jiffies, deadline)) {
		unsigned int errors = 0;

		for (i = 0; i < nw; i++)
			errors += READ_ONCE(run->w[i].errors);
		if (errors || READ_ONCE(run->gc_err))
			break;
		msleep(100);
	}
	WRITE_ONCE(run->stop, true);
	*t = jiffies - t0;
	for (i = 0; i < started; i++)
		wait_for_completion(&run->w[i].done);
	if (*gc_started)
		wait_for_completion(&run->gc_done);
	return started;
}

/*
 * After two more cycles: every node the models hold, by address, judged
 * against what the collector kept.
 */
static void gs_final_check(struct kunit *test, struct gs_run *run,
			   struct gs_verdict *v)
{
	struct gs_worker *w;
	struct gs_ent *ent;
	u64 total = 0;
	unsigned int i;
	u32 k;

	for (i = 0; i < run->nw; i++)
		total += run->w[i].nnodes;
	/* Everything unreachable now is gone after two more cycles. */
	KUNIT_ASSERT_EQ(test, gmm_gc(run->h), 0);
	KUNIT_ASSERT_EQ(test, gmm_gc(run->h), 0);
	ent = gmm_kunit_kvzalloc(test, max_t(u64, total, 1) * sizeof(*ent));
	total = 0;
	for (i = 0; i < run->nw; i++) {
		w = &run->w[i];
		gs_reach(w);
		for (k = 0; k < w->nnodes; k++) {
			if (w->recs[k].state == GS_FREE)
				continue;
			ent[total].addr = (unsigned long)w->recs[k].addr;
			ent[total].tid = i;
			ent[total].idx = k;
			total++;
		}
	}
	sort(ent, total, sizeof(*ent), gs_ent_cmp, NULL);
	gs_judge(run, ent, total, v);
	gmm_kunit_kvfree(test, ent);
}

/*
 * Mutators on every CPU and back-to-back cycles with the checkmark pass,
 * for kunit_stress_seconds (this run's share of them); then every node the
 * models say is reachable must be live and intact, and every other one
 * freed.
 */
static void gc_stress_random_graphs(struct kunit *test)
{
	unsigned int chunk = (const u8 *)test->param_value - gs_chunk_ids;
	unsigned int secs = max(gmm_kunit_stress_seconds(), 1U);
	unsigned int nw = num_online_cpus() + 1, i, started;
	u64 allocs = 0, links = 0, unlinks = 0, checked = 0, recycled = 0;
	struct gs_verdict v;
	struct gs_worker *w;
	struct gs_run *run;
	bool gc_started;
	unsigned long t;

	secs = secs > chunk * GS_CHUNK_SECONDS ?
	       min_t(unsigned int, secs - chunk * GS_CHUNK_SECONDS,
		     GS_CHUNK_SECONDS) : 1;
	run = gs_setup(test, nw);
	started = gs_threads(run, secs, &gc_started, &t);
	KUNIT_ASSERT_TRUE(test, gc_started);
	KUNIT_ASSERT_EQ(test, started, nw);
	KUNIT_EXPECT_EQ(test, run->gc_err, 0);

	for (i = 0; i < nw; i++) {
		w = &run->w[i];
		KUNIT_EXPECT_EQ_MSG(test, w->errors, 0U, "%s", w->err);
		allocs += w->allocs;
		links += w->links;
		unlinks += w->unlinks;
		checked += w->checked;
		recycled += w->recycled;
	}
	gs_final_check(test, run, &v);

	KUNIT_EXPECT_EQ(test, v.reach_dead, 0ULL);
	KUNIT_EXPECT_EQ(test, v.reach_bad, 0ULL);
	KUNIT_EXPECT_EQ(test, v.reach_twice, 0ULL);
	KUNIT_EXPECT_EQ(test, v.unreach_live, 0ULL);
	KUNIT_EXPECT_EQ(test, run->h->gc.checkmark_failures, 0ULL);
	KUNIT_EXPECT_GT(test, run->h->gc.num_gc, 0ULL);
	KUNIT_EXPECT_GT(test, v.reachable, 0ULL);
	kunit_info(test, "%u ms, %u mutators: %llu cycles (%llu gmm_gc() calls), %llu nodes allocated, %llu links, %llu unlinks, %llu node checks, %llu model entries recycled\n",
		   jiffies_to_msecs(t), nw, run->h->gc.num_gc, run->gc_calls, allocs, links,
		   unlinks, checked, recycled);
	kunit_info(test, "end: %llu nodes reachable, %llu unreachable, %llu slots reused; max pause %llu us, checkmark failures %llu\n",
		   v.reachable, v.unreachable, v.reused,
		   run->h->gc.pause_max_ns / NSEC_PER_USEC,
		   run->h->gc.checkmark_failures);
}

static struct kunit_case gmm_gc_stress_cases[] = {
	KUNIT_CASE_PARAM(gc_stress_random_graphs, gs_gen_params),
	{}
};

static int gs_init(struct kunit *test)
{
	return gmm_kunit_init(test, "gmm_gc_stress", 0);
}

static struct kunit_suite gmm_gc_stress_suite = {
	.name = "gmm_gc_stress",
	.init = gs_init,
	.exit = gmm_kunit_exit,
	.test_cases = gmm_gc_stress_cases,
};

kunit_test_suite(gmm_gc_stress_suite);
