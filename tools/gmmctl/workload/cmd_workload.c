// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_workload.c - `gmmctl workload binarytrees|churn|graph`: user-space
 * workloads on a gmm heap through batched ioctls (GMM_IOC_BATCH), each of
 * which checks what it reads back, so a collector that frees a reachable
 * object, or a batch that loses an operation, makes it fail.
 *
 *  - binarytrees: the GCBench / benchmarks-game shape.  A stretch tree of
 *    depth N+1 is built, checked and dropped; a long-lived tree of depth N
 *    is built; for each depth d = 4, 6, ..., N, 2^(N-d+4) trees of depth d
 *    are built, checked and dropped; then the long-lived tree is checked.
 *    A check walks the tree with GMM_OP_LOAD and counts its nodes (the
 *    benchmark's check value), and reads every node's number (its position
 *    in the tree, written when it was built).  Short-lived trees are built
 *    in groups of up to 4096 nodes so that batches stay full; a group is
 *    checked and dropped before the next one is built.
 *  - churn: a live set of objects of random sizes, replaced at random for
 *    a time; every object's tag is read back before it is released.
 *  - graph: a random graph of typed nodes, mutated in rounds (new nodes,
 *    random pointer stores, moved roots); after each round a forced
 *    collection must leave exactly the objects a shadow model in gmmctl
 *    says are reachable, and random walks must read the expected nodes.
 *
 * At the end each prints the time, the operations and ioctls, the GC
 * cycles, the pauses, the peak heap (HeapSys and HeapAlloc from a
 * GMM_IOC_STATS after every batch) and the last gctrace lines.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "gmmctl.h"

#define GROUP_NODES	4096	/* binarytrees: nodes built at once, at least */

struct wl {
	const char *name;
	struct gmm *g;
	struct gmm_batch_buf b;
	struct progress prog;
	uint64_t t0, ops, ioctls;
	uint64_t peak_sys, peak_alloc, peak_objects;
	uint64_t num_gc;		/* from the latest sample */
	char msg[256];			/* why it failed */
};

static int wl_fail(struct wl *w, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int wl_fail(struct wl *w, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w->msg, sizeof(w->msg), fmt, ap);
	va_end(ap);
	return err;
}

static int wl_sample(struct wl *w)
{
	struct gmm_stats st;
	int err;

	err = gmm_stats(w->g, &st, NULL, 0);
	if (err)
		return wl_fail(w, err, "GMM_IOC_STATS: %s", strerror(-err));
	if (st.heap_sys > w->peak_sys)
		w->peak_sys = st.heap_sys;
	if (st.heap_alloc > w->peak_alloc)
		w->peak_alloc = st.heap_alloc;
	if (st.heap_objects > w->peak_objects)
		w->peak_objects = st.heap_objects;
	w->num_gc = st.num_gc;
	return 0;
}

/* Run the batch; on error w->msg says which operation failed and why. */
static int wl_run(struct wl *w)
{
	uint32_t failed;
	int err;

	if (!w->b.count)
		return 0;
	err = gmm_batch_run(w->g, &w->b, &failed);
	w->ioctls++;
	w->ops += w->b.done;
	if (err) {
		if (failed == GMM_BATCH_NONE)
			return wl_fail(w, err, "GMM_IOC_BATCH of %u operations: %s",
				       w->b.count, strerror(-err));
		return wl_fail(w, err, "GMM_IOC_BATCH: operation %u of %u (%s) "
			       "failed: %s", failed, w->b.count,
			       gmm_op_name(w->b.ops[failed].op), strerror(-err));
	}
	return wl_sample(w);
}

static int wl_init(struct wl *w, const char *name, struct gmm *g,
		   uint32_t batch, bool quiet)
{
	int err;

	memset(w, 0, sizeof(*w));
	w->name = name;
	w->g = g;
	progress_init(&w->prog, quiet);
	err = gmm_batch_init(&w->b, batch);
	if (err)
		return wl_fail(w, err, "batch buffer: %s", strerror(-err));
	w->t0 = now_ns();
	return 0;
}

static double wl_secs(const struct wl *w)
{
	return (double)(now_ns() - w->t0) / 1e9;
}

/* ------------------------------------------------------------ binarytrees */

/* A node: left and right pointers, then its number (1 = root). */
#define BT_LEFT		0
#define BT_RIGHT	8
#define BT_ITEM		16
#define BT_SIZE		24

struct bt {
	struct wl *w;
	uint32_t type;
	uint64_t trees_done, trees_total;	/* progress */
	unsigned int depth_now;
};

/*
 * Build @t trees of depth @d bottom up; their roots go to @roots[0..t-1]
 * (handles the caller releases).  Level k of the forest holds t << k
 * nodes; node i of level k is node j = i mod 2^k of tree i >> k, numbered
 * 2^k + j, and its children are nodes 2i and 2i+1 of level k+1.
 */
static int bt_build(struct bt *bt, uint32_t t, unsigned int d, uint32_t *roots)
{
	struct wl *w = bt->w;
	uint32_t *child = NULL, *cur = NULL;
	uint64_t *items = NULL;
	uint64_t cnt, i, per, done;
	int k, err = 0;

	for (k = (int)d; k >= 0; k--) {
		cnt = (uint64_t)t << k;
		cur = malloc(cnt * sizeof(*cur));
		items = malloc(cnt * sizeof(*items));
		if (!cur || !items) {
			err = wl_fail(w, -ENOMEM, "out of memory");
			goto out;
		}
		/* Allocate the level. */
		for (done = 0; done < cnt; done += per) {
			per = cnt - done < w->b.capacity ? cnt - done : w->b.capacity;
			gmm_batch_reset(&w->b);
			for (i = 0; i < per; i++)
				gmm_batch_add_alloc(&w->b, bt->type, 1);
			err = wl_run(w);
			if (err)
				goto out;
			for (i = 0; i < per; i++)
				cur[done + i] = (uint32_t)gmm_batch_result(&w->b, (uint32_t)i);
		}
		/* Number the nodes, link the children, drop their handles. */
		for (i = 0; i < cnt; i++)
			items[i] = (1ULL << k) + (i & ((1ULL << k) - 1));
		for (done = 0; done < cnt; done += per) {
			uint32_t room = w->b.capacity / 5;

			per = cnt - done < room ? cnt - done : room;
			gmm_batch_reset(&w->b);
			for (i = done; i < done + per; i++) {
				gmm_batch_add_write(&w->b, cur[i], BT_ITEM, &items[i], 8);
				if ((unsigned int)k == d)
					continue;
				gmm_batch_add_store(&w->b, cur[i], BT_LEFT, child[2 * i]);
				gmm_batch_add_store(&w->b, cur[i], BT_RIGHT, child[2 * i + 1]);
				gmm_batch_add_release(&w->b, child[2 * i]);
				gmm_batch_add_release(&w->b, child[2 * i + 1]);
			}
			err = wl_run(w);
			if (err)
				goto out;
		}
		free(child);
		free(items);
		items = NULL;
		child = cur;
		cur = NULL;
	}
	memcpy(roots, child, t * sizeof(*roots));
out:
	free(child);
	free(cur);
	free(items);
	return err;
}

/*
 * Walk @t trees of depth @d from @roots level by level, releasing every
 * handle (the roots too: the trees are dropped), and count their nodes
 * into *@nodes.  Every node must carry its number and sit at the depth it
 * was built at: leaves have NULL children, inner nodes two children.
 */
static int bt_check(struct bt *bt, uint32_t t, unsigned int d,
		    const uint32_t *roots, uint64_t *nodes)
{
	struct wl *w = bt->w;
	uint32_t *cur, *next = NULL;
	uint64_t *items = NULL;
	uint64_t cnt, i, per, done, count = 0;
	unsigned int k;
	int err = 0;

	cur = malloc(t * sizeof(*cur));
	if (!cur)
		return wl_fail(w, -ENOMEM, "out of memory");
	memcpy(cur, roots, t * sizeof(*cur));
	for (k = 0; k <= d; k++) {
		cnt = (uint64_t)t << k;
		items = calloc(cnt, sizeof(*items));
		next = k < d ? malloc(2 * cnt * sizeof(*next)) : NULL;
		if (!items || (k < d && !next)) {
			err = wl_fail(w, -ENOMEM, "out of memory");
			goto out;
		}
		for (done = 0; done < cnt; done += per) {
			uint32_t room = w->b.capacity / 4;

			per = cnt - done < room ? cnt - done : room;
			gmm_batch_reset(&w->b);
			for (i = done; i < done + per; i++) {
				gmm_batch_add_read(&w->b, cur[i], BT_ITEM, &items[i], 8);
				gmm_batch_add_load(&w->b, cur[i], BT_LEFT);
				gmm_batch_add_load(&w->b, cur[i], BT_RIGHT);
				gmm_batch_add_release(&w->b, cur[i]);
			}
			err = wl_run(w);
			if (err)
				goto out;
			for (i = 0; i < per; i++) {
				uint64_t n = done + i;
				uint32_t l = (uint32_t)gmm_batch_result(&w->b, (uint32_t)(4 * i + 1));
				uint32_t r = (uint32_t)gmm_batch_result(&w->b, (uint32_t)(4 * i + 2));
				uint64_t want = (1ULL << k) + (n & ((1ULL << k) - 1));

				if (items[n] != want) {
					err = wl_fail(w, -EBADMSG, "tree %llu of depth %u: "
						      "node %llu reads %llu: it was "
						      "freed or overwritten",
						      ULL(n >> k), d, ULL(want),
						      ULL(items[n]));
					goto out;
				}
				if (k == d) {
					if (l || r) {
						err = wl_fail(w, -EBADMSG, "tree of depth "
							      "%u: leaf %llu has children",
							      d, ULL(want));
						goto out;
					}
				} else {
					if (!l || !r) {
						err = wl_fail(w, -EBADMSG, "tree of depth "
							      "%u: node %llu lost a child",
							      d, ULL(want));
						goto out;
					}
					next[2 * n] = l;
					next[2 * n + 1] = r;
				}
			}
		}
		count += cnt;
		free(items);
		items = NULL;
		free(cur);
		cur = next;
		next = NULL;
	}
	*nodes = count;
out:
	free(cur);
	free(next);
	free(items);
	return err;
}

static int bt_trees(struct bt *bt, uint64_t iters, unsigned int d,
		    uint64_t *check)
{
	uint64_t tree_nodes = (2ULL << d) - 1, group, done, nodes;
	uint32_t *roots;
	int err = 0;

	group = GROUP_NODES / tree_nodes;
	if (group < 1)
		group = 1;
	if (group > iters)
		group = iters;
	roots = malloc(group * sizeof(*roots));
	if (!roots)
		return wl_fail(bt->w, -ENOMEM, "out of memory");
	*check = 0;
	for (done = 0; done < iters; done += group) {
		uint32_t t = (uint32_t)(iters - done < group ? iters - done : group);

		err = bt_build(bt, t, d, roots);
		if (!err)
			err = bt_check(bt, t, d, roots, &nodes);
		if (err)
			break;
		*check += nodes;
		bt->trees_done += t;
		progress_update(&bt->w->prog, false, "binarytrees: depth %u: "
				"%llu/%llu trees, %.1f s, %llu GC cycles", d,
				ULL(done + t), ULL(iters), wl_secs(bt->w),
				ULL(bt->w->num_gc));
	}
	free(roots);
	return err;
}

/* ------------------------------------------------------------------ churn */

struct churn_slot {
	uint32_t handle;
	uint32_t size;
	uint64_t tag;
	uint64_t stamp;		/* round it was last picked in */
};

static uint32_t churn_size(struct rng *r, const struct churn_params *cp)
{
	return (uint32_t)(cp->size_min + rng_below(r, cp->size_max - cp->size_min + 1));
}

/* Tags at the first and the last 8 bytes of an object (which may overlap). */
static uint64_t churn_tail(uint32_t size)
{
	return size >= 16 ? size - 8 : 0;
}

/*
 * The churn workload on @g.  Exported for the demo.  Errors: see gmmctl.h;
 * a description is printed by the caller from the returned code, so the
 * message of a wrong tag goes to stderr here.
 */
static int churn_run_wl(struct wl *w, const struct churn_params *cp,
			struct churn_result *res)
{
	struct churn_slot *slots;
	struct rng rng;
	uint64_t *got = NULL, *picked = NULL, stamp = 0, i;
	uint32_t per_round, n;
	int err = 0;

	memset(res, 0, sizeof(*res));
	rng_seed(&rng, cp->seed);
	slots = calloc(cp->objects, sizeof(*slots));
	per_round = w->b.capacity / 4;	/* read, read, release, alloc */
	if (per_round > cp->objects)
		per_round = (uint32_t)cp->objects;
	got = calloc((size_t)w->b.capacity, sizeof(*got));
	picked = calloc(per_round, sizeof(*picked));
	if (!slots || !got || !picked) {
		err = wl_fail(w, -ENOMEM, "out of memory");
		goto out;
	}
	/* The live set: allocate, then tag. */
	for (i = 0; i < cp->objects; i += n) {
		uint32_t k;

		n = (uint32_t)(cp->objects - i < w->b.capacity / 2 ?
			       cp->objects - i : w->b.capacity / 2);
		gmm_batch_reset(&w->b);
		for (k = 0; k < n; k++) {
			slots[i + k].size = churn_size(&rng, cp);
			gmm_batch_add_alloc_bytes(&w->b, slots[i + k].size);
		}
		err = wl_run(w);
		if (err)
			goto out;
		for (k = 0; k < n; k++) {
			struct churn_slot *s = &slots[i + k];

			s->handle = (uint32_t)gmm_batch_result(&w->b, k);
			s->tag = (i + k) << 20 | 1;
			res->bytes += s->size;
		}
		gmm_batch_reset(&w->b);
		for (k = 0; k < n; k++) {
			struct churn_slot *s = &slots[i + k];

			gmm_batch_add_write(&w->b, s->handle, 0, &s->tag, 8);
			if (churn_tail(s->size))
				gmm_batch_add_write(&w->b, s->handle,
						    churn_tail(s->size), &s->tag, 8);
		}
		err = wl_run(w);
		if (err)
			goto out;
	}
	/* Replace objects at random until the time or the count is up. */
	for (;;) {
		uint32_t k, nr;

		if (cp->seconds > 0 ? wl_secs(w) >= cp->seconds :
		    res->replaced >= cp->ops)
			break;
		nr = per_round;
		if (!cp->seconds && cp->ops - res->replaced < nr)
			nr = (uint32_t)(cp->ops - res->replaced);
		stamp++;
		gmm_batch_reset(&w->b);
		for (k = 0; k < nr; k++) {
			uint64_t s;

			do {	/* distinct slots within a round */
				s = rng_below(&rng, cp->objects);
			} while (slots[s].stamp == stamp);
			slots[s].stamp = stamp;
			picked[k] = s;
			gmm_batch_add_read(&w->b, slots[s].handle, 0, &got[2 * k], 8);
			gmm_batch_add_read(&w->b, slots[s].handle,
					   churn_tail(slots[s].size), &got[2 * k + 1], 8);
			gmm_batch_add_release(&w->b, slots[s].handle);
			slots[s].size = churn_size(&rng, cp);
			gmm_batch_add_alloc_bytes(&w->b, slots[s].size);
		}
		err = wl_run(w);
		if (err)
			goto out;
		for (k = 0; k < nr; k++) {
			struct churn_slot *s = &slots[picked[k]];

			if (got[2 * k] != s->tag || got[2 * k + 1] != s->tag) {
				err = wl_fail(w, -EBADMSG, "object %llu reads tags %#llx "
					      "and %#llx, not %#llx: it was freed or "
					      "overwritten while a handle held it",
					      ULL(picked[k]), ULL(got[2 * k]),
					      ULL(got[2 * k + 1]), ULL(s->tag));
				goto out;
			}
			res->verified++;
			s->handle = (uint32_t)gmm_batch_result(&w->b, 4 * k + 3);
			s->tag = (s->tag + 1) & ((1ULL << 20) - 1);
			s->tag |= picked[k] << 20;
			res->bytes += s->size;
		}
		gmm_batch_reset(&w->b);
		for (k = 0; k < nr; k++) {
			struct churn_slot *s = &slots[picked[k]];

			gmm_batch_add_write(&w->b, s->handle, 0, &s->tag, 8);
			if (churn_tail(s->size))
				gmm_batch_add_write(&w->b, s->handle,
						    churn_tail(s->size), &s->tag, 8);
		}
		err = wl_run(w);
		if (err)
			goto out;
		res->replaced += nr;
		progress_update(&w->prog, false, "churn: %llu objects replaced, "
				"%.1f s, %llu GC cycles", ULL(res->replaced),
				wl_secs(w), ULL(w->num_gc));
	}
	/* Read the whole live set back. */
	for (i = 0; i < cp->objects; i += n) {
		uint32_t k;

		n = (uint32_t)(cp->objects - i < w->b.capacity / 2 ?
			       cp->objects - i : w->b.capacity / 2);
		if (n > per_round)
			n = per_round;
		gmm_batch_reset(&w->b);
		for (k = 0; k < n; k++) {
			gmm_batch_add_read(&w->b, slots[i + k].handle, 0, &got[2 * k], 8);
			gmm_batch_add_read(&w->b, slots[i + k].handle,
					   churn_tail(slots[i + k].size), &got[2 * k + 1], 8);
		}
		err = wl_run(w);
		if (err)
			goto out;
		for (k = 0; k < n; k++) {
			if (got[2 * k] != slots[i + k].tag ||
			    got[2 * k + 1] != slots[i + k].tag) {
				err = wl_fail(w, -EBADMSG, "object %llu reads tags "
					      "%#llx and %#llx, not %#llx",
					      ULL(i + k), ULL(got[2 * k]),
					      ULL(got[2 * k + 1]), ULL(slots[i + k].tag));
				goto out;
			}
			res->verified++;
		}
	}
	/* Drop the live set: it is garbage for the next collection. */
	for (i = 0; i < cp->objects; i += n) {
		uint32_t k;

		n = (uint32_t)(cp->objects - i < w->b.capacity ?
			       cp->objects - i : w->b.capacity);
		gmm_batch_reset(&w->b);
		for (k = 0; k < n; k++)
			gmm_batch_add_release(&w->b, slots[i + k].handle);
		err = wl_run(w);
		if (err)
			goto out;
	}
out:
	res->ns = now_ns() - w->t0;
	free(slots);
	free(got);
	free(picked);
	return err;
}

int churn_run(struct gmm *g, const struct churn_params *cp,
	      struct progress *p, struct churn_result *res)
{
	struct wl w;
	int err;

	err = wl_init(&w, "churn", g, cp->batch, !p || !p->on);
	if (!err) {
		err = churn_run_wl(&w, cp, res);
		progress_end(&w.prog);
		res->ops = w.ops;
		res->ioctls = w.ioctls;
		res->peak_sys = w.peak_sys;
		res->peak_alloc = w.peak_alloc;
	}
	if (err)
		errmsg("churn: %s", w.msg);
	gmm_batch_free(&w.b);
	return err;
}

/* ------------------------------------------------------------------ graph */

#define GR_SLOTS	4		/* pointer words per node */
#define GR_ID		0
#define GR_PTR(s)	(8 + 8 * (s))
#define GR_SIZE		(8 + 8 * GR_SLOTS)

struct gr_node {
	int64_t edge[GR_SLOTS];		/* node index or -1 */
	uint64_t seen;			/* BFS stamp */
};

struct gr_held {			/* a handle gmmctl holds */
	uint32_t handle;
	uint64_t node;
};

struct gr {
	struct wl *w;
	struct rng rng;
	uint32_t type;
	struct gr_node *nodes;
	uint64_t nr_nodes, cap_nodes;
	struct gr_held *roots;		/* handles kept across rounds */
	uint64_t nr_roots;
	uint64_t stamp;
	uint64_t *queue;
};

static int gr_grow(struct gr *gr, uint64_t more)
{
	if (gr->nr_nodes + more > gr->cap_nodes) {
		uint64_t cap = (gr->nr_nodes + more) * 2;
		void *p = realloc(gr->nodes, cap * sizeof(*gr->nodes));
		void *q;

		if (!p)
			return wl_fail(gr->w, -ENOMEM, "out of memory");
		gr->nodes = p;
		q = realloc(gr->queue, cap * sizeof(*gr->queue));
		if (!q)
			return wl_fail(gr->w, -ENOMEM, "out of memory");
		gr->queue = q;
		gr->cap_nodes = cap;
	}
	return 0;
}

/* Allocate @n nodes, write their ids; handles into @held[0..n-1]. */
static int gr_new(struct gr *gr, uint64_t n, struct gr_held *held)
{
	struct wl *w = gr->w;
	uint64_t i, per, done, *ids;
	int err;

	err = gr_grow(gr, n);
	if (err)
		return err;
	ids = malloc(n * sizeof(*ids));
	if (!ids)
		return wl_fail(w, -ENOMEM, "out of memory");
	for (done = 0; done < n; done += per) {
		per = n - done < w->b.capacity ? n - done : w->b.capacity;
		gmm_batch_reset(&w->b);
		for (i = 0; i < per; i++)
			gmm_batch_add_alloc(&w->b, gr->type, 1);
		err = wl_run(w);
		if (err)
			goto out;
		for (i = 0; i < per; i++) {
			uint64_t id = gr->nr_nodes + done + i;

			held[done + i].handle = (uint32_t)gmm_batch_result(&w->b, (uint32_t)i);
			held[done + i].node = id;
			ids[done + i] = id;
			memset(&gr->nodes[id], 0xff, sizeof(gr->nodes[id].edge));
			gr->nodes[id].seen = 0;
		}
		gmm_batch_reset(&w->b);
		for (i = 0; i < per; i++)
			gmm_batch_add_write(&w->b, held[done + i].handle, GR_ID,
					    &ids[done + i], 8);
		err = wl_run(w);
		if (err)
			goto out;
	}
	gr->nr_nodes += n;
out:
	free(ids);
	return err;
}

/* @m random stores among the objects of @held (NULL one time in 8). */
static int gr_stores(struct gr *gr, const struct gr_held *held, uint64_t nh,
		     uint64_t m)
{
	struct wl *w = gr->w;
	uint64_t i;
	int err;

	gmm_batch_reset(&w->b);
	for (i = 0; i < m; i++) {
		const struct gr_held *src = &held[rng_below(&gr->rng, nh)];
		const struct gr_held *dst = &held[rng_below(&gr->rng, nh)];
		unsigned int slot = (unsigned int)rng_below(&gr->rng, GR_SLOTS);
		bool nil = rng_below(&gr->rng, 8) == 0;

		if (w->b.count == w->b.capacity) {
			err = wl_run(w);
			if (err)
				return err;
			gmm_batch_reset(&w->b);
		}
		gmm_batch_add_store(&w->b, src->handle, GR_PTR(slot),
				    nil ? 0 : dst->handle);
		gr->nodes[src->node].edge[slot] = nil ? -1 : (int64_t)dst->node;
	}
	return wl_run(w);
}

/* Nodes reachable from the roots, by the shadow model. */
static uint64_t gr_reachable(struct gr *gr)
{
	uint64_t head = 0, tail = 0, i;

	gr->stamp++;
	for (i = 0; i < gr->nr_roots; i++) {
		struct gr_node *n = &gr->nodes[gr->roots[i].node];

		if (n->seen != gr->stamp) {
			n->seen = gr->stamp;
			gr->queue[tail++] = gr->roots[i].node;
		}
	}
	while (head < tail) {
		struct gr_node *n = &gr->nodes[gr->queue[head++]];
		unsigned int s;

		for (s = 0; s < GR_SLOTS; s++) {
			struct gr_node *t;

			if (n->edge[s] < 0)
				continue;
			t = &gr->nodes[n->edge[s]];
			if (t->seen != gr->stamp) {
				t->seen = gr->stamp;
				gr->queue[tail++] = (uint64_t)n->edge[s];
			}
		}
	}
	return tail;
}

/*
 * Walk @hops random edges from a random root with GMM_OP_LOAD, reading
 * every node's id: each must be the node the shadow model expects.
 */
static int gr_walk(struct gr *gr, unsigned int hops, uint64_t *visited)
{
	struct wl *w = gr->w;
	const struct gr_held *r = &gr->roots[rng_below(&gr->rng, gr->nr_roots)];
	uint64_t node = r->node, id;
	uint32_t h = r->handle, h2;
	unsigned int i;
	int err = 0;

	for (i = 0; i < hops; i++) {
		struct gr_node *n = &gr->nodes[node];
		unsigned int s = (unsigned int)rng_below(&gr->rng, GR_SLOTS), k;

		for (k = 0; k < GR_SLOTS && n->edge[(s + k) % GR_SLOTS] < 0; k++)
			;
		if (k == GR_SLOTS)
			break;
		s = (s + k) % GR_SLOTS;
		err = gmm_load(w->g, h, GR_PTR(s), &h2);
		w->ops++;
		w->ioctls++;
		if (err) {
			err = wl_fail(w, err, "GMM_OP_LOAD: %s", strerror(-err));
			break;
		}
		if (h != r->handle)
			gmm_release(w->g, h);
		h = h2;
		node = (uint64_t)n->edge[s];
		if (!h) {
			err = wl_fail(w, -EBADMSG, "node %llu's pointer %u is NULL, "
				      "expected node %llu", ULL(n - gr->nodes), s,
				      ULL(node));
			break;
		}
		err = gmm_read(w->g, h, GR_ID, &id, 8);
		w->ops++;
		w->ioctls++;
		if (err) {
			err = wl_fail(w, err, "GMM_OP_READ: %s", strerror(-err));
			break;
		}
		if (id != node) {
			err = wl_fail(w, -EBADMSG, "walk reached a node whose id is "
				      "%llu, expected %llu: freed or overwritten",
				      ULL(id), ULL(node));
			break;
		}
		(*visited)++;
	}
	if (h && h != r->handle)
		gmm_release(w->g, h);
	return err;
}

struct gr_params {
	uint64_t nodes, edges, rounds, seed;
};

struct gr_round {
	uint64_t live, freed, cycles;
};

static int gr_run(struct wl *w, const struct gr_params *gp,
		  struct gr_round *rounds, uint64_t *walked)
{
	struct gr gr;
	struct gr_held *held = NULL;
	uint32_t ptrs[GR_SLOTS];
	uint64_t i, r, nroots, nnew, last_frees = 0;
	unsigned int s;
	int err;

	memset(&gr, 0, sizeof(gr));
	gr.w = w;
	rng_seed(&gr.rng, gp->seed);
	for (s = 0; s < GR_SLOTS; s++)
		ptrs[s] = GR_PTR(s);
	err = gmm_type_create(w->g, "graph_node", GR_SIZE, 0, ptrs, GR_SLOTS,
			      &gr.type);
	if (err)
		return wl_fail(w, err, "GMM_IOC_TYPE_CREATE: %s", strerror(-err));
	nroots = gp->nodes / 32 ? gp->nodes / 32 : 1;
	nnew = gp->nodes / 4 ? gp->nodes / 4 : 1;
	held = malloc((gp->nodes + nroots) * sizeof(*held));
	gr.roots = malloc(nroots * sizeof(*gr.roots));
	if (!held || !gr.roots) {
		err = wl_fail(w, -ENOMEM, "out of memory");
		goto out;
	}
	/* Round 0: the first graph; keep a few roots. */
	err = gr_new(&gr, gp->nodes, held);
	if (!err)
		err = gr_stores(&gr, held, gp->nodes, gp->edges);
	if (err)
		goto out;
	for (i = 0; i < nroots; i++)
		gr.roots[i] = held[i];
	gr.nr_roots = nroots;
	gmm_batch_reset(&w->b);
	for (i = nroots; i < gp->nodes; i++) {
		if (w->b.count == w->b.capacity) {
			err = wl_run(w);
			if (err)
				goto out;
			gmm_batch_reset(&w->b);
		}
		gmm_batch_add_release(&w->b, held[i].handle);
	}
	err = wl_run(w);
	if (err)
		goto out;

	for (r = 0; r <= gp->rounds; r++) {
		struct gmm_stats st;
		uint64_t want;

		if (r > 0) {
			uint64_t moved = nroots / 4 + 1, nh;

			/* New nodes, linked with the roots and each other. */
			err = gr_new(&gr, nnew, held);
			if (err)
				goto out;
			nh = nnew;
			for (i = 0; i < nroots; i++)
				held[nh++] = gr.roots[i];
			err = gr_stores(&gr, held, nh, gp->edges / 2 + 1);
			if (err)
				goto out;
			/* Move some roots into the graph: load, then release. */
			for (i = 0; i < moved; i++) {
				uint64_t k = rng_below(&gr.rng, nroots);
				struct gr_node *n = &gr.nodes[gr.roots[k].node];
				unsigned int e = (unsigned int)rng_below(&gr.rng, GR_SLOTS);
				uint32_t h;

				if (n->edge[e] < 0)
					continue;
				err = gmm_load(w->g, gr.roots[k].handle, GR_PTR(e), &h);
				w->ops++;
				w->ioctls++;
				if (!err && !h)
					err = wl_fail(w, -EBADMSG, "node %llu's pointer %u "
						      "is NULL, expected node %lld",
						      ULL(gr.roots[k].node), e,
						      (long long)n->edge[e]);
				else if (err)
					err = wl_fail(w, err, "GMM_OP_LOAD: %s",
						      strerror(-err));
				if (err)
					goto out;
				gmm_release(w->g, gr.roots[k].handle);
				gr.roots[k].handle = h;
				gr.roots[k].node = (uint64_t)n->edge[e];
			}
			/* The new nodes now live only through pointers. */
			gmm_batch_reset(&w->b);
			for (i = 0; i < nnew; i++) {
				if (w->b.count == w->b.capacity) {
					err = wl_run(w);
					if (err)
						goto out;
					gmm_batch_reset(&w->b);
				}
				gmm_batch_add_release(&w->b, held[i].handle);
			}
			err = wl_run(w);
			if (err)
				goto out;
		}
		/* A full collection must leave exactly what the model reaches. */
		gmm_batch_reset(&w->b);
		gmm_batch_add_gc(&w->b);
		err = wl_run(w);
		if (err)
			goto out;
		err = gmm_stats(w->g, &st, NULL, 0);
		if (err) {
			err = wl_fail(w, err, "GMM_IOC_STATS: %s", strerror(-err));
			goto out;
		}
		want = gr_reachable(&gr);
		rounds[r].live = st.heap_objects;
		rounds[r].freed = st.frees - last_frees;
		rounds[r].cycles = st.num_gc;
		last_frees = st.frees;
		if (st.heap_objects != want) {
			err = wl_fail(w, -EBADMSG, "round %llu: %llu objects survived "
				      "a full collection, the model reaches %llu",
				      ULL(r), ULL(st.heap_objects), ULL(want));
			goto out;
		}
		for (i = 0; i < 8; i++) {
			err = gr_walk(&gr, 16, walked);
			if (err)
				goto out;
		}
		progress_update(&w->prog, false, "graph: round %llu/%llu, %llu live, "
				"%.1f s, %llu GC cycles", ULL(r), ULL(gp->rounds),
				ULL(want), wl_secs(w), ULL(st.num_gc));
	}
out:
	free(held);
	free(gr.roots);
	free(gr.nodes);
	free(gr.queue);
	return err;
}

/* --------------------------------------------------------------- command */

static void workload_usage(FILE *f)
{
	fprintf(f,
		"Usage: gmmctl [-j] workload NAME [OPTIONS]\n"
		"\n"
		"Run a workload on a new heap through batched ioctls (GMM_IOC_BATCH)\n"
		"and print its time, operations, GC cycles, pauses, peak heap and\n"
		"last gctrace lines.  Each one checks what it reads back and fails\n"
		"(exit 1) on a wrong value.\n"
		"\n"
		"  binarytrees [--depth N]   GCBench / benchmarks-game binary-trees:\n"
		"                            stretch tree of depth N+1, long-lived tree\n"
		"                            of depth N, 2^(N-d+4) trees of each depth\n"
		"                            d = 4, 6, ..., N built, checked (node count\n"
		"                            and each node's number) and dropped\n"
		"                            (N 4..18, default 10)\n"
		"  churn [--objects N] [--size S|MIN-MAX] [--seconds T]\n"
		"                            keep N objects (default 10000) of S bytes\n"
		"                            (default 16-512), replace them at random\n"
		"                            for T seconds (default 5), checking each\n"
		"                            one's tags before releasing it\n"
		"  graph [--nodes N] [--edges M] [--rounds R]\n"
		"                            random graph of N nodes (default 2000), M\n"
		"                            random pointer stores (default 4N), R rounds\n"
		"                            (default 10) of new nodes, stores and moved\n"
		"                            roots; after each, a full GC must leave\n"
		"                            exactly what gmmctl's model reaches\n"
		"\n"
		"Options of every workload:\n"
		"  -b, --batch N           operations per ioctl, 16..%d (default %d)\n"
		"  -g, --gc-percent N|off  GOGC of the heap (default: the module's)\n"
		"  -m, --memory-limit SIZE memory limit of the heap (e.g. 64MiB)\n"
		"  -s, --seed N            random seed (churn, graph; default 1)\n"
		"  -q, --quiet             no progress line on stderr\n"
		"  -j, --json              the result as one JSON object\n"
		"  -h, --help              this help\n",
		GMM_BATCH_MAX, GMM_BATCH_MAX);
}

enum { O_DEPTH = 256, O_OBJECTS, O_SIZE, O_SECONDS, O_NODES, O_EDGES,
       O_ROUNDS };

static void print_summary(struct wl *w, const char *result, uint64_t t_ns,
			  const struct gmm_stats *st, struct json *j)
{
	char b1[32], b2[32], b3[32], b4[32], b5[32];

	if (j) {
		json_str(j, "result", result);
		if (strcmp(result, "ok"))
			json_str(j, "error", w->msg);
		json_u64(j, "time_ns", t_ns);
		json_u64(j, "ops", w->ops);
		json_u64(j, "ioctls", w->ioctls);
		json_u64(j, "num_gc", st->num_gc);
		json_u64(j, "num_forced_gc", st->num_forced_gc);
		json_u64(j, "pause_max_ns", st->pause_max_ns);
		json_u64(j, "pause_total_ns", st->pause_total_ns);
		json_u64(j, "gc_cpu_ns", st->gc_cpu_ns);
		json_u64(j, "peak_heap_sys", w->peak_sys);
		json_u64(j, "peak_heap_alloc", w->peak_alloc);
		json_u64(j, "peak_heap_objects", w->peak_objects);
		json_memstats(j, "stats", st);
		return;
	}
	printf("result: %s  time %.3f s, %llu operations in %llu ioctls, "
	       "%llu GC cycles (%llu forced), max pause %s, total pause %s, "
	       "peak heap %s (HeapSys), peak live %s (HeapAlloc), GC CPU %s\n",
	       result, (double)t_ns / 1e9, ULL(w->ops), ULL(w->ioctls),
	       ULL(st->num_gc), ULL(st->num_forced_gc),
	       fmt_ns(b1, sizeof(b1), st->pause_max_ns),
	       fmt_ns(b2, sizeof(b2), st->pause_total_ns),
	       fmt_bytes(b3, sizeof(b3), w->peak_sys),
	       fmt_bytes(b4, sizeof(b4), w->peak_alloc),
	       fmt_ns(b5, sizeof(b5), st->gc_cpu_ns));
}

/* The last cycles: up to @n gctrace lines, or a JSON array. */
static void print_last_cycles(struct gmm *g, unsigned int n, struct json *j)
{
	struct gmm_cycle_info c[32];
	uint32_t cnt, i;

	if (gmm_cycles(g, c, 32, &cnt, NULL))
		return;
	i = cnt > n ? cnt - n : 0;
	if (j) {
		json_arr_begin(j, "last_cycles");
		for (; i < cnt; i++)
			json_cycle(j, NULL, &c[i]);
		json_arr_end(j);
		return;
	}
	if (cnt)
		printf("last GC cycles:\n");
	for (; i < cnt; i++) {
		fputs("  ", stdout);
		print_cycle(stdout, &c[i]);
	}
}

int cmd_workload(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "depth", required_argument, NULL, O_DEPTH },
		{ "objects", required_argument, NULL, O_OBJECTS },
		{ "size", required_argument, NULL, O_SIZE },
		{ "seconds", required_argument, NULL, O_SECONDS },
		{ "nodes", required_argument, NULL, O_NODES },
		{ "edges", required_argument, NULL, O_EDGES },
		{ "rounds", required_argument, NULL, O_ROUNDS },
		{ "batch", required_argument, NULL, 'b' },
		{ "gc-percent", required_argument, NULL, 'g' },
		{ "memory-limit", required_argument, NULL, 'm' },
		{ "seed", required_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		HELP_OPTION, COMMON_OPTIONS, { NULL, 0, NULL, 0 },
	};
	const char *name;
	uint64_t depth = 10, objects = 10000, smin = 16, smax = 512;
	uint64_t nodes = 2000, edges = 0, rounds = 10, batch = GMM_BATCH_MAX;
	bool set_edges = false;
	uint64_t seed = 1, limit = 0;
	double seconds = 5;
	bool quiet = false, set_limit = false, set_gc = false;
	unsigned int given = 0;
	int c, gcp = 0, err, ret;
	struct gmm_stats st;
	struct json j, *jp = NULL;
	struct gmm *g;
	struct wl w;

	subcommand_argv0(argv);
	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		workload_usage(stdout);
		return EXIT_OK;
	}
	if (argc < 2 || argv[1][0] == '-')
		return usage_error("workload", "which workload? binarytrees, churn "
				   "or graph");
	name = argv[1];
	if (strcmp(name, "binarytrees") && strcmp(name, "churn") &&
	    strcmp(name, "graph"))
		return usage_error("workload", "unknown workload '%s' (binarytrees, "
				   "churn, graph)", name);
	argc--;
	argv++;
	optind = 0;
	while ((c = getopt_long(argc, argv, "+hqb:g:m:s:" COMMON_SHORT, lopts,
				NULL)) != -1) {
		const char *bad = NULL;

		switch (c) {
		case 'h':
			workload_usage(stdout);
			return EXIT_OK;
		case O_DEPTH:
			if (parse_u64_range(optarg, 4, 18, &depth))
				bad = "--depth: 4..18";
			given |= 1 << 0;
			break;
		case O_OBJECTS:
			if (parse_u64_range(optarg, 1, 1000000, &objects))
				bad = "--objects: 1..1000000";
			given |= 1 << 1;
			break;
		case O_SIZE: {
			char *dash = strchr(optarg, '-');

			if (dash) {
				*dash = '\0';
				if (parse_size(optarg, &smin) || parse_size(dash + 1, &smax))
					bad = "--size: BYTES or MIN-MAX";
				*dash = '-';
			} else if (parse_size(optarg, &smin)) {
				bad = "--size: BYTES or MIN-MAX";
			} else {
				smax = smin;
			}
			if (!bad && (smin < 8 || smax < smin || smax > GMM_UAPI_MAX_OBJECT))
				bad = "--size: 8 bytes to 4 MiB, MIN <= MAX";
			given |= 1 << 1;
			break;
		}
		case O_SECONDS:
			if (parse_seconds(optarg, &seconds) || seconds <= 0)
				bad = "--seconds: a time above 0 (5, 2.5, 500ms)";
			given |= 1 << 1;
			break;
		case O_NODES:
			if (parse_u64_range(optarg, 4, 1000000, &nodes))
				bad = "--nodes: 4..1000000";
			given |= 1 << 2;
			break;
		case O_EDGES:
			if (parse_u64_range(optarg, 0, 100000000, &edges))
				bad = "--edges: 0..100000000";
			set_edges = true;
			given |= 1 << 2;
			break;
		case O_ROUNDS:
			if (parse_u64_range(optarg, 0, 100000, &rounds))
				bad = "--rounds: 0..100000";
			given |= 1 << 2;
			break;
		case 'b':
			if (parse_u64_range(optarg, 16, GMM_BATCH_MAX, &batch))
				bad = "--batch: 16..4096";
			break;
		case 'g':
			if (parse_gc_percent(optarg, &gcp))
				bad = "--gc-percent: 1..10000 or off";
			set_gc = true;
			break;
		case 'm':
			if (parse_size(optarg, &limit))
				bad = "--memory-limit: a size (64MiB, 1G, ...)";
			set_limit = true;
			break;
		case 's':
			if (parse_u64(optarg, &seed))
				bad = "--seed: a number";
			break;
		case 'q':
			quiet = true;
			break;
		default:
			if (!common_option(c, optarg))
				return bad_option("workload");
		}
		if (bad)
			return usage_error("workload", "%s, not '%s'", bad, optarg);
	}
	if (optind != argc)
		return usage_error("workload", "unexpected argument '%s'", argv[optind]);
	if (given & ~(!strcmp(name, "binarytrees") ? 1u : !strcmp(name, "churn") ? 2u : 4u))
		return usage_error("workload", "an option given is not one of %s's",
				   name);
	if (!set_edges)
		edges = 4 * nodes;

	g = open_heap(false);
	if (!g)
		return EXIT_NODEV;
	err = 0;
	if (set_gc)
		err = gmm_set_gc_percent(g, gcp);
	if (!err && set_limit)
		err = gmm_set_memory_limit(g, limit);
	if (err) {
		errmsg_err(err, "GMM_IOC_PARAMS");
		gmm_close(g);
		return EXIT_FAIL;
	}
	if (opts.json) {
		json_init(&j, stdout);
		jp = &j;
		json_obj_begin(jp, NULL);
		json_str(jp, "workload", name);
	}
	err = wl_init(&w, name, g, (uint32_t)batch, quiet);
	if (err)
		goto done;

	if (!strcmp(name, "binarytrees")) {
		static const uint32_t ptrs[] = { BT_LEFT, BT_RIGHT };
		struct bt bt = { .w = &w };
		uint64_t check, want;
		uint32_t root;
		unsigned int d, n = (unsigned int)depth;

		if (jp) {
			json_u64(jp, "depth", depth);
			json_arr_begin(jp, "checks");
		}
		err = gmm_type_create(g, "tree_node", BT_SIZE, 0, ptrs, 2, &bt.type);
		if (err) {
			wl_fail(&w, err, "GMM_IOC_TYPE_CREATE: %s", strerror(-err));
			goto bt_out;
		}
		/* Stretch tree, depth N+1. */
		err = bt_trees(&bt, 1, n + 1, &check);
		if (err)
			goto bt_out;
		want = (2ULL << (n + 1)) - 1;
		if (jp) {
			json_obj_begin(jp, NULL);
			json_str(jp, "what", "stretch");
			json_u64(jp, "depth", n + 1);
			json_u64(jp, "check", check);
			json_obj_end(jp);
		} else {
			progress_end(&w.prog);
			printf("stretch tree of depth %u\t check: %llu\n", n + 1, ULL(check));
		}
		if (check != want) {
			err = wl_fail(&w, -EBADMSG, "stretch tree: check %llu, "
				      "expected %llu", ULL(check), ULL(want));
			goto bt_out;
		}
		/* Long-lived tree, depth N. */
		err = bt_build(&bt, 1, n, &root);
		if (err)
			goto bt_out;
		for (d = 4; d <= n; d += 2) {
			uint64_t iters = 1ULL << (n - d + 4);

			err = bt_trees(&bt, iters, d, &check);
			if (err)
				goto bt_out;
			want = iters * ((2ULL << d) - 1);
			if (jp) {
				json_obj_begin(jp, NULL);
				json_str(jp, "what", "trees");
				json_u64(jp, "trees", iters);
				json_u64(jp, "depth", d);
				json_u64(jp, "check", check);
				json_obj_end(jp);
			} else {
				progress_end(&w.prog);
				printf("%llu\t trees of depth %u\t check: %llu\n",
				       ULL(iters), d, ULL(check));
			}
			if (check != want) {
				err = wl_fail(&w, -EBADMSG, "%llu trees of depth %u: "
					      "check %llu, expected %llu", ULL(iters),
					      d, ULL(check), ULL(want));
				goto bt_out;
			}
		}
		err = bt_check(&bt, 1, n, &root, &check);
		if (err)
			goto bt_out;
		want = (2ULL << n) - 1;
		if (jp) {
			json_obj_begin(jp, NULL);
			json_str(jp, "what", "long-lived");
			json_u64(jp, "depth", n);
			json_u64(jp, "check", check);
			json_obj_end(jp);
		} else {
			printf("long lived tree of depth %u\t check: %llu\n", n, ULL(check));
		}
		if (check != want)
			err = wl_fail(&w, -EBADMSG, "long-lived tree: check %llu, "
				      "expected %llu", ULL(check), ULL(want));
bt_out:
		if (jp)
			json_arr_end(jp);
	} else if (!strcmp(name, "churn")) {
		struct churn_params cp = {
			.objects = objects, .size_min = smin, .size_max = smax,
			.seconds = seconds, .batch = (uint32_t)batch, .seed = seed,
		};
		struct churn_result res;
		char b1[32];

		err = churn_run_wl(&w, &cp, &res);
		progress_end(&w.prog);
		if (jp) {
			json_u64(jp, "objects", objects);
			json_u64(jp, "size_min", smin);
			json_u64(jp, "size_max", smax);
			json_double(jp, "seconds", seconds);
			json_u64(jp, "replaced", res.replaced);
			json_u64(jp, "verified", res.verified);
			json_u64(jp, "bytes", res.bytes);
		} else if (!err) {
			printf("churn: %llu objects of %llu..%llu bytes kept, %llu "
			       "replaced (%.0f/s), %s allocated, %llu objects checked\n",
			       ULL(objects), ULL(smin), ULL(smax), ULL(res.replaced),
			       res.ns ? (double)res.replaced * 1e9 / (double)res.ns : 0.0,
			       fmt_bytes(b1, sizeof(b1), res.bytes), ULL(res.verified));
		}
	} else {
		struct gr_params gp = {
			.nodes = nodes, .edges = edges, .rounds = rounds, .seed = seed,
		};
		struct gr_round *rr = calloc(rounds + 1, sizeof(*rr));
		uint64_t walked = 0, r;

		if (!rr) {
			err = wl_fail(&w, -ENOMEM, "out of memory");
		} else {
			err = gr_run(&w, &gp, rr, &walked);
			progress_end(&w.prog);
		}
		if (jp) {
			json_u64(jp, "nodes", nodes);
			json_u64(jp, "edges", edges);
			json_arr_begin(jp, "rounds");
			for (r = 0; rr && r <= rounds && rr[r].cycles; r++) {
				json_obj_begin(jp, NULL);
				json_u64(jp, "live", rr[r].live);
				json_u64(jp, "freed", rr[r].freed);
				json_u64(jp, "num_gc", rr[r].cycles);
				json_obj_end(jp);
			}
			json_arr_end(jp);
			json_u64(jp, "walked", walked);
		} else if (rr) {
			for (r = 0; r <= rounds && rr[r].cycles; r++)
				printf("round %llu: %llu live after a full GC (as the "
				       "model says), %llu freed, %llu cycles so far\n",
				       ULL(r), ULL(rr[r].live), ULL(rr[r].freed),
				       ULL(rr[r].cycles));
			if (!err)
				printf("graph: %llu random walks read %llu nodes, all "
				       "as expected\n", ULL(8 * (rounds + 1)), ULL(walked));
		}
		free(rr);
	}
done:
	progress_end(&w.prog);
	ret = err ? EXIT_FAIL : EXIT_OK;
	if (err && !jp)
		errmsg("workload %s: %s", name, w.msg[0] ? w.msg : strerror(-err));
	if (gmm_stats(g, &st, NULL, 0) == 0) {
		print_summary(&w, err ? "FAIL" : "ok", now_ns() - w.t0, &st, jp);
		print_last_cycles(g, 3, jp);
	} else if (jp) {
		json_str(jp, "result", err ? "FAIL" : "ok");
	}
	if (jp)
		json_obj_end(jp);
	gmm_batch_free(&w.b);
	gmm_close(g);
	return ret;
}
