// SPDX-License-Identifier: GPL-2.0
/*
 * binarytrees.c - `gmmctl workload binarytrees`: the GCBench /
 * benchmarks-game shape.  A stretch tree of depth N+1 is built, checked
 * and dropped; a long-lived tree of depth N is built; for each depth
 * d = 4, 6, ..., N, 2^(N-d+4) trees of depth d are built, checked and
 * dropped; then the long-lived tree is checked.  A check walks the tree
 * with GMM_OP_LOAD and counts its nodes (the benchmark's check value), and
 * reads every node's number (its position in the tree, written when it
 * was built).  Short-lived trees are built in groups of up to 4096 nodes
 * so that batches stay full; a group is checked and dropped before the
 * next one is built.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "workload.h"

#define GROUP_NODES	4096	/* nodes built at once, at least */

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
 * Node @n of level @k of trees of depth @d: it must carry its number and
 * sit at the depth it was built at (leaves have NULL children, inner
 * nodes two children, which go to @next).
 */
static int bt_check_node(struct bt *bt, unsigned int k, unsigned int d,
			 uint64_t n, uint64_t item, uint32_t l, uint32_t r,
			 uint32_t *next)
{
	struct wl *w = bt->w;
	uint64_t want = (1ULL << k) + (n & ((1ULL << k) - 1));

	if (item != want)
		return wl_fail(w, -EBADMSG, "tree %llu of depth %u: node %llu "
			       "reads %llu: it was freed or overwritten",
			       ULL(n >> k), d, ULL(want), ULL(item));
	if (k == d) {
		if (l || r)
			return wl_fail(w, -EBADMSG, "tree of depth %u: leaf %llu "
				       "has children", d, ULL(want));
		return 0;
	}
	if (!l || !r)
		return wl_fail(w, -EBADMSG, "tree of depth %u: node %llu lost a "
			       "child", d, ULL(want));
	next[2 * n] = l;
	next[2 * n + 1] = r;
	return 0;
}

/*
 * Level @k (@cnt nodes, handles @cur) of trees of depth @d: read each
 * node's number and children, release its handle, check it.
 */
static int bt_check_level(struct bt *bt, unsigned int k, unsigned int d,
			  uint64_t cnt, const uint32_t *cur, uint64_t *items,
			  uint32_t *next)
{
	struct wl *w = bt->w;
	uint64_t i, per, done;
	int err;

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
			return err;
		for (i = 0; i < per; i++) {
			uint32_t l = (uint32_t)gmm_batch_result(&w->b, (uint32_t)(4 * i + 1));
			uint32_t r = (uint32_t)gmm_batch_result(&w->b, (uint32_t)(4 * i + 2));

			err = bt_check_node(bt, k, d, done + i, items[done + i],
					    l, r, next);
			if (err)
				return err;
		}
	}
	return 0;
}

/*
 * Walk @t trees of depth @d from @roots level by level, releasing every
 * handle (the roots too: the trees are dropped), and count their nodes
 * into *@nodes.
 */
static int bt_check(struct bt *bt, uint32_t t, unsigned int d,
		    const uint32_t *roots, uint64_t *nodes)
{
	struct wl *w = bt->w;
	uint32_t *cur, *next = NULL;
	uint64_t *items = NULL;
	uint64_t cnt, count = 0;
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
		err = bt_check_level(bt, k, d, cnt, cur, items, next);
		if (err)
			goto out;
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
	err = gmm_type_create(w->g, "tree_node", BT_SIZE, 0, ptrs, 2, &bt.type);
	if (err)
		err = wl_fail(w, err, "GMM_IOC_TYPE_CREATE: %s", strerror(-err));
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
	return err;
}
