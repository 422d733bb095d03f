// SPDX-License-Identifier: GPL-2.0
/*
 * binarytrees.c - `gmmctl workload binarytrees`: the GCBench /
 * benchmarks-game shape.  A stretch tree of depth N+1 is built, checked
 * and dropped; a long-lived tree of depth N is built; for each depth
 * d = 4, 6, ..., N, 2^(N-d+4) trees of depth d are built, checked and
 * dropped; then the long-lived tree is checked.  A check walks the tree
 * and counts its nodes (the benchmark's check value), reads every node's
 * number (its position in the tree, written when it was built) and sees
 * that leaves, and only leaves, have no children.  Short-lived trees are
 * built in groups of up to 4096 nodes; a group is checked and dropped
 * before the next one is built.
 *
 * Subtrees are built and walked with batch links (GMM_FEATURE_BATCH_LINK):
 * one batch takes a job - a node held by a handle - and builds the levels
 * below it (or reads the levels from it) that fit in a batch, split
 * evenly between jobs, from temporaries,
 * each node one ALLOC into its parent (GMM_OP_INTO) that numbers it too
 * (GMM_OP_IMM: the number travels in the operation), checked with two
 * LOADs of its children that read their numbers (GMM_OP_IMM), all linked
 * by index; only the nodes on the job's last level get handles, as the
 * jobs of the next batches.  Small jobs share a batch.  A module without
 * GMM_OP_INTO or GMM_OP_IMM gets an ALLOC, a STORE and a WRITE per node,
 * and a READ and two LOADs, numbers through memory.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "workload.h"

#define GROUP_NODES	4096	/* nodes built at once, at least */

/* A node: its number (1 = root), then left and right pointers. */
#define BT_ITEM		0
#define BT_LEFT		8
#define BT_RIGHT	16
#define BT_SIZE		24

/*
 * A subtree to build below, or to check from, a node held by a handle.
 * Nodes are numbered level by level: the root 1, the children of node x
 * 2x and 2x + 1, so node x is on level log2(x).
 */
struct bt_job {
	uint32_t handle;
	uint32_t level;		/* the node's level in its tree (root: 0) */
	uint64_t item;		/* its number */
	bool keep;		/* a tree root being built: keep the handle */
};

/* What to look at in a check batch's results, per operation. */
enum bt_look_kind {
	BT_NONE = 0,
	BT_ITEM_IS,	/* a READ: the number read must be its vals[] */
	BT_CHILD,	/* a LOAD of an inner node's temporary: not NULL */
	BT_CHILD_IS,	/* a LOAD with GMM_OP_IMM: the child's number, vals[] */
	BT_NO_CHILD,	/* a LOAD of a leaf's pointer: NULL */
	BT_NEXT_JOB,	/* a LOAD or DUP that made a handle: the next job */
};

struct bt {
	struct wl *w;
	uint32_t type;
	unsigned int depth;		/* of the trees being worked on */
	unsigned int build_levels;	/* below a build job's node */
	unsigned int check_levels;	/* from a check job's node */
	struct bt_job *jobs;		/* pending, a stack */
	size_t njobs, cap;
	/* per operation: the number written or wanted, or a LOAD's child's */
	uint64_t *vals;
	uint64_t *got;			/* per operation: number read */
	uint8_t *look;			/* per operation: enum bt_look_kind */
	uint32_t *lvl[2];		/* a job's level: op index per node */
	bool into;			/* GMM_OP_INTO: ALLOC stores too */
	bool imm;			/* GMM_OP_IMM: numbers in the ops */
	uint64_t nodes;			/* nodes checked */
	uint64_t trees_done, trees_total;	/* progress */
};

static int bt_push(struct bt *bt, const struct bt_job *j)
{
	if (bt->njobs == bt->cap) {
		size_t cap = bt->cap ? 2 * bt->cap : 64;
		struct bt_job *n = realloc(bt->jobs, cap * sizeof(*n));

		if (!n)
			return wl_fail(bt->w, -ENOMEM, "out of memory");
		bt->jobs = n;
		bt->cap = cap;
	}
	bt->jobs[bt->njobs++] = *j;
	return 0;
}

/* Add one operation to the batch; its index. */
static uint32_t bt_op(struct bt *bt, uint32_t code, uint32_t flags,
		      uint32_t handle, uint32_t arg, uint64_t offset,
		      uint64_t len, uint64_t buf)
{
	struct gmm_batch_buf *b = &bt->w->b;
	uint32_t i = b->count++;

	b->ops[i] = (struct gmm_op){
		.op = code, .flags = flags, .handle = handle, .arg = arg,
		.offset = offset, .len = len, .buf = buf,
	};
	bt->look[i] = BT_NONE;
	return i;
}

/*
 * Operations that build a node: an ALLOC storing into the parent and
 * numbering the node (GMM_OP_INTO, GMM_OP_IMM), else a STORE and a WRITE
 * as well.
 */
static unsigned int bt_node_ops(const struct bt *bt)
{
	return bt->into ? (bt->imm ? 1 : 2) : 3;
}

/*
 * @left levels split into jobs of at most @most levels each, as evenly as
 * they go: the levels of the first.  (Ten levels and one more would make a
 * job of one node for every node of the tenth level, each with a handle
 * to make and release.)
 */
static unsigned int bt_split(unsigned int left, unsigned int most)
{
	unsigned int jobs = (left + most - 1) / most;

	return left <= most ? left : (left + jobs - 1) / jobs;
}

/* Levels a build job adds below its node, and the operations it takes. */
static unsigned int bt_build_levels(const struct bt *bt, const struct bt_job *j,
				    uint64_t *ops)
{
	unsigned int l = bt_split(bt->depth - j->level, bt->build_levels);

	/* per node, a DUP per node on the last level, the RELEASE */
	*ops = bt_node_ops(bt) * ((2ULL << l) - 2) +
	       (j->level + l < bt->depth ? 1ULL << l : 0) + !j->keep;
	return l;
}

/*
 * Operations that check @l levels from a job's node: two LOADs per node
 * (with GMM_OP_IMM they read the children's numbers), a READ of the job's
 * node (of every node without GMM_OP_IMM), the RELEASE.
 */
static uint64_t bt_check_ops(const struct bt *bt, unsigned int l)
{
	return (bt->imm ? 2 : 3) * ((1ULL << l) - 1) + (bt->imm ? 2 : 1);
}

/* Levels a check job reads from its node, and the operations it takes. */
static unsigned int bt_check_levels(const struct bt *bt, const struct bt_job *j,
				    uint64_t *ops)
{
	unsigned int l = bt_split(bt->depth - j->level + 1, bt->check_levels);

	*ops = bt_check_ops(bt, l);
	return l;
}

/*
 * One node built by a build job: a temporary (ALLOC) stored into its
 * parent - @parent's object, an earlier operation's when @plink - at
 * @offset, and numbered @item.  Returns the ALLOC's index.
 */
static uint32_t bt_add_node(struct bt *bt, uint32_t parent, bool plink,
			    uint64_t offset, uint64_t item)
{
	uint32_t a, pl = plink ? GMM_OP_HANDLE_LINK : 0;

	if (bt->into) {
		a = bt_op(bt, GMM_OP_ALLOC, GMM_OP_TEMP | GMM_OP_INTO | pl |
			  (bt->imm ? GMM_OP_IMM : 0), parent, bt->type, offset,
			  1, bt->imm ? item : 0);
	} else {
		a = bt_op(bt, GMM_OP_ALLOC, GMM_OP_TEMP, 0, bt->type, 0, 1, 0);
		bt_op(bt, GMM_OP_STORE, GMM_OP_ARG_LINK | pl, parent, a,
		      offset, 0, 0);
	}
	bt->vals[a] = item;
	if (bt->into && bt->imm)
		return a;		/* numbered by the ALLOC */
	if (bt->imm)
		bt_op(bt, GMM_OP_WRITE, GMM_OP_HANDLE_LINK | GMM_OP_IMM, a, 0,
		      BT_ITEM, 8, item);
	else
		bt_op(bt, GMM_OP_WRITE, GMM_OP_HANDLE_LINK, a, 0, BT_ITEM, 8,
		      (uint64_t)(uintptr_t)&bt->vals[a]);
	return a;
}

/*
 * Build job @j into the batch: level by level below its node, every new
 * node a temporary stored into its parent and numbered, all by links;
 * nodes on the last level that are not leaves get handles (DUP), the jobs
 * of later batches.
 */
static void bt_add_build(struct bt *bt, const struct bt_job *j)
{
	uint32_t *prev = bt->lvl[0], *cur = bt->lvl[1], *t, d;
	uint64_t ops, i, n;
	unsigned int l, levels = bt_build_levels(bt, j, &ops);

	for (l = 1; l <= levels; l++) {
		n = 1ULL << l;
		for (i = 0; i < n; i++)
			cur[i] = bt_add_node(bt, l == 1 ? j->handle : prev[i / 2],
					     l > 1, BT_LEFT + 8 * (i & 1),
					     (j->item << l) + i);
		t = prev;
		prev = cur;
		cur = t;
	}
	if (j->level + levels < bt->depth) {
		for (i = 0; i < 1ULL << levels; i++) {
			d = bt_op(bt, GMM_OP_DUP, GMM_OP_HANDLE_LINK, prev[i], 0, 0, 0, 0);
			bt->look[d] = BT_NEXT_JOB;
			bt->vals[d] = (j->item << levels) + i;
		}
	}
	if (!j->keep)
		bt_op(bt, GMM_OP_RELEASE, 0, j->handle, 0, 0, 0, 0);
}

/*
 * The LOADs of node @item's two children, of its temporary or handle
 * @ref (@fl: GMM_OP_HANDLE_LINK for a temporary): their op indices go to
 * @cur.  @kind says what they must find: with GMM_OP_IMM the children
 * of an inner node come with their numbers.
 */
static void bt_add_loads(struct bt *bt, uint32_t ref, uint32_t fl,
			 uint64_t item, uint8_t kind, uint32_t *cur)
{
	uint32_t o, len = 0;

	if (kind == BT_CHILD && bt->imm) {
		kind = BT_CHILD_IS;	/* with the children's numbers */
		fl |= GMM_OP_TEMP | GMM_OP_IMM;
		len = 8;
	} else if (kind != BT_NEXT_JOB) {
		fl |= GMM_OP_TEMP;	/* the next jobs get handles */
	}
	o = bt_op(bt, GMM_OP_LOAD, fl, ref, 0, BT_LEFT, len, 0);
	cur[0] = o;
	cur[1] = bt_op(bt, GMM_OP_LOAD, fl, ref, 0, BT_RIGHT, len, 0);
	bt->look[o] = kind;
	bt->vals[o] = 2 * item;
	bt->look[o + 1] = kind;
	bt->vals[o + 1] = 2 * item + 1;
}

/*
 * Check job @j into the batch: every node of its levels has both pointers
 * loaded - as temporaries, or as handles (the next jobs) on the job's
 * last level - and its number read: by the LOAD that found it
 * (GMM_OP_IMM), else by a READ; then the job's handle is released.
 */
static void bt_add_check(struct bt *bt, const struct bt_job *j)
{
	uint32_t *prev = bt->lvl[0], *cur = bt->lvl[1], *t, r, ref, fl;
	uint64_t ops, i, n, item;
	unsigned int l, levels = bt_check_levels(bt, j, &ops);
	uint8_t kind;

	for (l = 0; l < levels; l++) {
		kind = j->level + l == bt->depth ? BT_NO_CHILD :
		       l + 1 == levels ? BT_NEXT_JOB : BT_CHILD;
		n = 1ULL << l;
		for (i = 0; i < n; i++) {
			ref = l ? prev[i] : j->handle;
			fl = l ? GMM_OP_HANDLE_LINK : 0;
			item = (j->item << l) + i;
			if (!l || !bt->imm) {
				r = bt->w->b.count;
				if (bt->imm)
					bt_op(bt, GMM_OP_READ, fl | GMM_OP_IMM, ref,
					      0, BT_ITEM, 8, 0);
				else
					bt_op(bt, GMM_OP_READ, fl, ref, 0, BT_ITEM, 8,
					      (uint64_t)(uintptr_t)&bt->got[r]);
				bt->look[r] = BT_ITEM_IS;
				bt->vals[r] = item;
			}
			bt_add_loads(bt, ref, fl, item, kind, &cur[2 * i]);
		}
		t = prev;
		prev = cur;
		cur = t;
	}
	bt_op(bt, GMM_OP_RELEASE, 0, j->handle, 0, 0, 0, 0);
}

/* The next job: the subtree of node @item, held by @handle. */
static int bt_push_next(struct bt *bt, uint64_t item, uint64_t handle)
{
	return bt_push(bt, &(struct bt_job){ .handle = (uint32_t)handle,
		.level = 63 - (unsigned int)__builtin_clzll(item), .item = item });
}

/* After a check batch: every number, pointer and next job it found. */
static int bt_checked(struct bt *bt)
{
	struct gmm_batch_buf *b = &bt->w->b;
	uint64_t res;
	uint32_t i;
	int err;

	for (i = 0; i < b->count; i++) {
		res = b->ops[i].result;	/* every op ran */
		switch (bt->look[i]) {
		case BT_CHILD_IS:
		case BT_ITEM_IS:
			bt->nodes++;
			if (!bt->imm)
				res = bt->got[i];	/* READ into memory */
			if (res != bt->vals[i])
				return wl_fail(bt->w, -EBADMSG, "tree of depth %u: node "
					       "%llu reads %llu: it was freed or "
					       "overwritten", bt->depth,
					       ULL(bt->vals[i]), ULL(res));
			break;
		case BT_NO_CHILD:
			if (res)
				return wl_fail(bt->w, -EBADMSG, "tree of depth %u: "
					       "leaf %llu has children", bt->depth,
					       ULL(bt->vals[i] / 2));
			break;
		case BT_CHILD:
		case BT_NEXT_JOB:
			if (!res)
				return wl_fail(bt->w, -EBADMSG, "tree of depth %u: "
					       "node %llu lost a child", bt->depth,
					       ULL(bt->vals[i] / 2));
			if (bt->look[i] == BT_CHILD)
				break;
			err = bt_push_next(bt, bt->vals[i], res);
			if (err)
				return err;
			break;
		}
	}
	return 0;
}

/* After a build batch: the handles of the next jobs. */
static int bt_built(struct bt *bt)
{
	struct gmm_batch_buf *b = &bt->w->b;
	uint32_t i;
	int err;

	for (i = 0; i < b->count; i++) {
		if (bt->look[i] != BT_NEXT_JOB)
			continue;
		err = bt_push_next(bt, bt->vals[i], b->ops[i].result);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Run the pending jobs (build or check) in batches, as many jobs per
 * batch as fit, until none is left; jobs a batch makes are run next.
 */
static int bt_run_jobs(struct bt *bt, bool check)
{
	struct gmm_batch_buf *b = &bt->w->b;
	uint64_t ops;
	int err;

	while (bt->njobs) {
		gmm_batch_reset(b);
		while (bt->njobs) {
			struct bt_job *j = &bt->jobs[bt->njobs - 1];

			if (check)
				bt_check_levels(bt, j, &ops);
			else
				bt_build_levels(bt, j, &ops);
			if (b->count + ops > b->capacity)
				break;
			bt->njobs--;
			if (check)
				bt_add_check(bt, j);
			else
				bt_add_build(bt, j);
		}
		err = wl_run(bt->w);
		/* A LOAD with GMM_OP_IMM fails on NULL: a child is missing. */
		if (err == -ENOENT && b->done < b->count &&
		    bt->look[b->done] == BT_CHILD_IS)
			return wl_fail(bt->w, -EBADMSG, "tree of depth %u: node "
				       "%llu lost a child", bt->depth,
				       ULL(bt->vals[b->done] / 2));
		if (!err)
			err = check ? bt_checked(bt) : bt_built(bt);
		if (err)
			return err;
	}
	return 0;
}

/* @t tree roots numbered 1, their handles into @roots. */
static int bt_roots(struct bt *bt, uint32_t t, uint32_t *roots)
{
	struct gmm_batch_buf *b = &bt->w->b;
	uint32_t done, i, per, a, step = bt->imm ? 1 : 2;
	int err;

	for (done = 0; done < t; done += per) {
		per = t - done < b->capacity / step ? t - done : b->capacity / step;
		gmm_batch_reset(b);
		for (i = 0; i < per; i++) {
			a = bt_op(bt, GMM_OP_ALLOC, bt->imm ? GMM_OP_IMM : 0, 0,
				  bt->type, 0, 1, bt->imm ? 1 : 0);
			bt->vals[a] = 1;
			if (!bt->imm)
				bt_op(bt, GMM_OP_WRITE, GMM_OP_HANDLE_LINK, a, 0,
				      BT_ITEM, 8, (uint64_t)(uintptr_t)&bt->vals[a]);
		}
		err = wl_run(bt->w);
		if (err)
			return err;
		for (i = 0; i < per; i++)
			roots[done + i] = (uint32_t)gmm_batch_result(b, step * i);
	}
	return 0;
}

/* Build @t trees of depth @d; their roots' handles go to @roots. */
static int bt_build(struct bt *bt, uint32_t t, unsigned int d, uint32_t *roots)
{
	uint32_t i;
	int err;

	bt->depth = d;
	err = bt_roots(bt, t, roots);
	for (i = 0; !err && i < t && d; i++)
		err = bt_push(bt, &(struct bt_job){ .handle = roots[i], .item = 1,
						    .keep = true });
	return err ?: bt_run_jobs(bt, false);
}

/*
 * Walk @t trees of depth @d from @roots, releasing every handle (the
 * roots too: the trees are dropped), and count their nodes into *@nodes.
 */
static int bt_check(struct bt *bt, uint32_t t, unsigned int d,
		    const uint32_t *roots, uint64_t *nodes)
{
	uint32_t i;
	int err = 0;

	bt->depth = d;
	bt->nodes = 0;
	for (i = 0; !err && i < t; i++)
		err = bt_push(bt, &(struct bt_job){ .handle = roots[i], .item = 1 });
	err = err ?: bt_run_jobs(bt, true);
	*nodes = bt->nodes;
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

static void bt_json_check(struct json *jp, const char *what, uint64_t trees,
			  unsigned int depth, uint64_t check)
{
	json_obj_begin(jp, NULL);
	json_str(jp, "what", what);
	if (trees)
		json_u64(jp, "trees", trees);
	json_u64(jp, "depth", depth);
	json_u64(jp, "check", check);
	json_obj_end(jp);
}

/* The stretch tree, depth N+1: built, checked and dropped. */
static int bt_stretch(struct bt *bt, unsigned int n, struct json *jp)
{
	uint64_t check, want = (2ULL << (n + 1)) - 1;
	int err;

	err = bt_trees(bt, 1, n + 1, &check);
	if (err)
		return err;
	if (jp) {
		bt_json_check(jp, "stretch", 0, n + 1, check);
	} else {
		progress_end(&bt->w->prog);
		printf("stretch tree of depth %u\t check: %llu\n", n + 1, ULL(check));
	}
	if (check != want)
		return wl_fail(bt->w, -EBADMSG, "stretch tree: check %llu, "
			       "expected %llu", ULL(check), ULL(want));
	return 0;
}

/* 2^(N-d+4) trees of each depth d = 4, 6, ..., N. */
static int bt_depths(struct bt *bt, unsigned int n, struct json *jp)
{
	uint64_t check, want;
	unsigned int d;
	int err;

	for (d = 4; d <= n; d += 2) {
		uint64_t iters = 1ULL << (n - d + 4);

		err = bt_trees(bt, iters, d, &check);
		if (err)
			return err;
		want = iters * ((2ULL << d) - 1);
		if (jp) {
			bt_json_check(jp, "trees", iters, d, check);
		} else {
			progress_end(&bt->w->prog);
			printf("%llu\t trees of depth %u\t check: %llu\n",
			       ULL(iters), d, ULL(check));
		}
		if (check != want)
			return wl_fail(bt->w, -EBADMSG, "%llu trees of depth %u: "
				       "check %llu, expected %llu", ULL(iters),
				       d, ULL(check), ULL(want));
	}
	return 0;
}

/* The long-lived tree of depth N, checked at the end. */
static int bt_long_lived(struct bt *bt, unsigned int n, uint32_t root,
			 struct json *jp)
{
	uint64_t check, want = (2ULL << n) - 1;
	int err;

	err = bt_check(bt, 1, n, &root, &check);
	if (err)
		return err;
	if (jp)
		bt_json_check(jp, "long-lived", 0, n, check);
	else
		printf("long lived tree of depth %u\t check: %llu\n", n, ULL(check));
	if (check != want)
		return wl_fail(bt->w, -EBADMSG, "long-lived tree: check %llu, "
			       "expected %llu", ULL(check), ULL(want));
	return 0;
}

/*
 * The levels one job may cover so that it fits in a batch of the runner's
 * capacity, and the buffers a batch's bookkeeping needs.
 */
static int bt_setup(struct bt *bt)
{
	uint64_t cap = bt->w->b.capacity;
	unsigned int l, most;

	bt->into = gmm_has_feature(bt->w->g, GMM_FEATURE_OP_INTO);
	bt->imm = gmm_has_feature(bt->w->g, GMM_FEATURE_OP_IMM);
	for (l = 1; bt_node_ops(bt) * ((4ULL << l) - 2) + (2ULL << l) + 1 <= cap;
	     l++)
		;
	bt->build_levels = l;
	for (l = 1; bt_check_ops(bt, l + 1) <= cap; l++)
		;
	bt->check_levels = l;
	most = bt->build_levels > bt->check_levels ? bt->build_levels :
	       bt->check_levels;
	bt->vals = calloc(cap, sizeof(*bt->vals));
	bt->got = calloc(cap, sizeof(*bt->got));
	bt->look = calloc(cap, sizeof(*bt->look));
	bt->lvl[0] = calloc(1ULL << most, sizeof(uint32_t));
	bt->lvl[1] = calloc(1ULL << most, sizeof(uint32_t));
	if (!bt->vals || !bt->got || !bt->look || !bt->lvl[0] || !bt->lvl[1])
		return wl_fail(bt->w, -ENOMEM, "out of memory");
	return 0;
}

static void bt_free(struct bt *bt)
{
	free(bt->jobs);
	free(bt->vals);
	free(bt->got);
	free(bt->look);
	free(bt->lvl[0]);
	free(bt->lvl[1]);
}

int wl_binarytrees(struct wl *w, const struct wl_opts *o, struct json *jp)
{
	static const uint32_t ptrs[] = { BT_LEFT, BT_RIGHT };
	struct bt bt = { .w = w };
	unsigned int n = (unsigned int)o->depth;
	uint32_t root;
	int err;

	if (jp) {
		json_u64(jp, "depth", o->depth);
		json_arr_begin(jp, "checks");
	}
	if (!gmm_has_feature(w->g, GMM_FEATURE_BATCH_LINK))
		err = wl_fail(w, -EOPNOTSUPP, "the module has no batch links "
			      "(GMM_FEATURE_BATCH_LINK): too old for this gmmctl");
	else
		err = bt_setup(&bt);
	if (!err) {
		err = gmm_type_create(w->g, "tree_node", BT_SIZE, 0, ptrs, 2,
				      &bt.type);
		if (err)
			err = wl_fail(w, err, "GMM_IOC_TYPE_CREATE: %s",
				      strerror(-err));
	}
	if (!err)
		err = bt_stretch(&bt, n, jp);
	if (!err)
		err = bt_build(&bt, 1, n, &root);	/* the long-lived tree */
	if (!err)
		err = bt_depths(&bt, n, jp);
	if (!err)
		err = bt_long_lived(&bt, n, root, jp);
	if (jp)
		json_arr_end(jp);
	bt_free(&bt);
	return err;
}
