// SPDX-License-Identifier: GPL-2.0
/*
 * graph.c - `gmmctl workload graph`: a random graph of typed nodes,
 * mutated in rounds (new nodes, random pointer stores, moved roots); after
 * each round a forced collection must leave exactly the objects a shadow
 * model in gmmctl says are reachable, and random walks must read the
 * expected nodes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "workload.h"

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

struct gr_params {
	uint64_t nodes, edges, rounds, seed;
};

struct gr_round {
	uint64_t live, freed, cycles;
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
	/* The run. */
	const struct gr_params *gp;
	struct gr_held *held;		/* new nodes (and roots) of a round */
	uint64_t nnew;			/* nodes a round adds */
	uint64_t last_frees;
	struct gr_round *rounds;	/* what each round's collection left */
	uint64_t *walked;		/* nodes the random walks read */
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


/* Release the handles of held[from..to-1], in as few batches as needed. */
static int gr_release(struct gr *gr, uint64_t from, uint64_t to)
{
	struct wl *w = gr->w;
	uint64_t i;
	int err;

	gmm_batch_reset(&w->b);
	for (i = from; i < to; i++) {
		if (w->b.count == w->b.capacity) {
			err = wl_run(w);
			if (err)
				return err;
			gmm_batch_reset(&w->b);
		}
		gmm_batch_add_release(&w->b, gr->held[i].handle);
	}
	return wl_run(w);
}

/* Round 0: the first graph; a few roots are kept, the rest released. */
static int gr_first(struct gr *gr)
{
	const struct gr_params *gp = gr->gp;
	uint64_t i;
	int err;

	err = gr_new(gr, gp->nodes, gr->held);
	if (!err)
		err = gr_stores(gr, gr->held, gp->nodes, gp->edges);
	if (err)
		return err;
	for (i = 0; i < gr->nr_roots; i++)
		gr->roots[i] = gr->held[i];
	return gr_release(gr, gr->nr_roots, gp->nodes);
}

/* A root k moves into the graph: load one of its pointers, drop it. */
static int gr_move_root(struct gr *gr)
{
	struct wl *w = gr->w;
	uint64_t k = rng_below(&gr->rng, gr->nr_roots);
	struct gr_node *n = &gr->nodes[gr->roots[k].node];
	unsigned int e = (unsigned int)rng_below(&gr->rng, GR_SLOTS);
	uint32_t h;
	int err;

	if (n->edge[e] < 0)
		return 0;
	err = gmm_load(w->g, gr->roots[k].handle, GR_PTR(e), &h);
	w->ops++;
	w->ioctls++;
	if (!err && !h)
		return wl_fail(w, -EBADMSG, "node %llu's pointer %u is NULL, "
			       "expected node %lld", ULL(gr->roots[k].node), e,
			       (long long)n->edge[e]);
	if (err)
		return wl_fail(w, err, "GMM_OP_LOAD: %s", strerror(-err));
	gmm_release(w->g, gr->roots[k].handle);
	gr->roots[k].handle = h;
	gr->roots[k].node = (uint64_t)n->edge[e];
	return 0;
}

/* Rounds 1..R: new nodes, linked with the roots and each other. */
static int gr_grow_graph(struct gr *gr)
{
	uint64_t i, nh, moved = gr->nr_roots / 4 + 1;
	int err;

	err = gr_new(gr, gr->nnew, gr->held);
	if (err)
		return err;
	nh = gr->nnew;
	for (i = 0; i < gr->nr_roots; i++)
		gr->held[nh++] = gr->roots[i];
	err = gr_stores(gr, gr->held, nh, gr->gp->edges / 2 + 1);
	for (i = 0; !err && i < moved; i++)
		err = gr_move_root(gr);
	if (err)
		return err;
	/* The new nodes now live only through pointers. */
	return gr_release(gr, 0, gr->nnew);
}

/* A full collection must leave exactly what the model reaches. */
static int gr_collect(struct gr *gr, uint64_t r)
{
	struct wl *w = gr->w;
	struct gmm_stats st;
	uint64_t want, i;
	int err;

	gmm_batch_reset(&w->b);
	gmm_batch_add_gc(&w->b);
	err = wl_run(w);
	if (err)
		return err;
	err = gmm_stats(w->g, &st, NULL, 0);
	if (err)
		return wl_fail(w, err, "GMM_IOC_STATS: %s", strerror(-err));
	want = gr_reachable(gr);
	gr->rounds[r].live = st.heap_objects;
	gr->rounds[r].freed = st.frees - gr->last_frees;
	gr->rounds[r].cycles = st.num_gc;
	gr->last_frees = st.frees;
	if (st.heap_objects != want)
		return wl_fail(w, -EBADMSG, "round %llu: %llu objects survived "
			       "a full collection, the model reaches %llu",
			       ULL(r), ULL(st.heap_objects), ULL(want));
	for (i = 0; i < 8; i++) {
		err = gr_walk(gr, 16, gr->walked);
		if (err)
			return err;
	}
	progress_update(&w->prog, false, "graph: round %llu/%llu, %llu live, "
			"%.1f s, %llu GC cycles", ULL(r), ULL(gr->gp->rounds),
			ULL(want), wl_secs(w), ULL(st.num_gc));
	return 0;
}

static int gr_run(struct wl *w, const struct gr_params *gp,
		  struct gr_round *rounds, uint64_t *walked)
{
	struct gr gr = { .w = w, .gp = gp, .rounds = rounds, .walked = walked };
	uint32_t ptrs[GR_SLOTS];
	unsigned int s;
	uint64_t r;
	int err;

	rng_seed(&gr.rng, gp->seed);
	for (s = 0; s < GR_SLOTS; s++)
		ptrs[s] = GR_PTR(s);
	err = gmm_type_create(w->g, "graph_node", GR_SIZE, 0, ptrs, GR_SLOTS,
			      &gr.type);
	if (err)
		return wl_fail(w, err, "GMM_IOC_TYPE_CREATE: %s", strerror(-err));
	gr.nr_roots = gp->nodes / 32 ? gp->nodes / 32 : 1;
	gr.nnew = gp->nodes / 4 ? gp->nodes / 4 : 1;
	gr.held = malloc((gp->nodes + gr.nr_roots) * sizeof(*gr.held));
	gr.roots = malloc(gr.nr_roots * sizeof(*gr.roots));
	if (!gr.held || !gr.roots)
		err = wl_fail(w, -ENOMEM, "out of memory");
	if (!err)
		err = gr_first(&gr);
	for (r = 0; !err && r <= gp->rounds; r++) {
		if (r > 0)
			err = gr_grow_graph(&gr);
		if (!err)
			err = gr_collect(&gr, r);
	}
	free(gr.held);
	free(gr.roots);
	free(gr.nodes);
	free(gr.queue);
	return err;
}

static void gr_json(struct json *jp, const struct wl_opts *o,
		    const struct gr_round *rr, uint64_t walked)
{
	uint64_t r;

	json_u64(jp, "nodes", o->nodes);
	json_u64(jp, "edges", o->edges);
	json_arr_begin(jp, "rounds");
	for (r = 0; rr && r <= o->rounds && rr[r].cycles; r++) {
		json_obj_begin(jp, NULL);
		json_u64(jp, "live", rr[r].live);
		json_u64(jp, "freed", rr[r].freed);
		json_u64(jp, "num_gc", rr[r].cycles);
		json_obj_end(jp);
	}
	json_arr_end(jp);
	json_u64(jp, "walked", walked);
}

int wl_graph(struct wl *w, const struct wl_opts *o, struct json *jp)
{
	struct gr_params gp = {
		.nodes = o->nodes, .edges = o->edges, .rounds = o->rounds,
		.seed = o->seed,
	};
	struct gr_round *rr = calloc(o->rounds + 1, sizeof(*rr));
	uint64_t walked = 0, r;
	int err;

	if (!rr) {
		err = wl_fail(w, -ENOMEM, "out of memory");
	} else {
		err = gr_run(w, &gp, rr, &walked);
		progress_end(&w->prog);
	}
	if (jp) {
		gr_json(jp, o, rr, walked);
	} else if (rr) {
		for (r = 0; r <= o->rounds && rr[r].cycles; r++)
			printf("round %llu: %llu live after a full GC (as the "
			       "model says), %llu freed, %llu cycles so far\n",
			       ULL(r), ULL(rr[r].live), ULL(rr[r].freed),
			       ULL(rr[r].cycles));
		if (!err)
			printf("graph: %llu random walks read %llu nodes, all "
			       "as expected\n", ULL(8 * (o->rounds + 1)), ULL(walked));
	}
	free(rr);
	return err;
}
