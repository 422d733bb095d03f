// SPDX-License-Identifier: GPL-2.0
/*
 * churn.c - `gmmctl workload churn` (and the demo's churn phases): a live
 * set of objects of random sizes, replaced at random for a time or a
 * number of operations.  Every object carries a tag in its first and last
 * 8 bytes, read back before it is released and once more at the end: a
 * tag that does not match means the heap freed or overwrote an object a
 * handle held.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "workload.h"

struct churn_slot {
	uint32_t handle;
	uint32_t size;
	uint64_t tag;
	uint64_t stamp;		/* round it was last picked in */
};

struct churn {
	struct wl *w;
	const struct churn_params *cp;
	struct churn_result *res;
	struct churn_slot *slots;	/* the live set */
	struct rng rng;
	uint64_t *got;			/* tags read back, two per object */
	uint64_t *picked;		/* the slots of this round */
	uint64_t stamp;			/* the round */
	uint32_t per_round;
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

static void churn_add_tags(struct wl *w, const struct churn_slot *s)
{
	gmm_batch_add_write(&w->b, s->handle, 0, &s->tag, 8);
	if (churn_tail(s->size))
		gmm_batch_add_write(&w->b, s->handle, churn_tail(s->size),
				    &s->tag, 8);
}

static void churn_add_reads(struct churn *c, const struct churn_slot *s,
			    uint32_t k)
{
	gmm_batch_add_read(&c->w->b, s->handle, 0, &c->got[2 * k], 8);
	gmm_batch_add_read(&c->w->b, s->handle, churn_tail(s->size),
			   &c->got[2 * k + 1], 8);
}

/* Objects of the live set from @i on, at most @max. */
static uint32_t churn_chunk(const struct churn *c, uint64_t i, uint32_t max)
{
	uint64_t left = c->cp->objects - i;

	return (uint32_t)(left < max ? left : max);
}

/* The live set: allocate, then tag. */
static int churn_fill(struct churn *c)
{
	struct wl *w = c->w;
	uint32_t n, k;
	uint64_t i;
	int err;

	for (i = 0; i < c->cp->objects; i += n) {
		n = churn_chunk(c, i, w->b.capacity / 2);
		gmm_batch_reset(&w->b);
		for (k = 0; k < n; k++) {
			c->slots[i + k].size = churn_size(&c->rng, c->cp);
			gmm_batch_add_alloc_bytes(&w->b, c->slots[i + k].size);
		}
		err = wl_run(w);
		if (err)
			return err;
		for (k = 0; k < n; k++) {
			struct churn_slot *s = &c->slots[i + k];

			s->handle = (uint32_t)gmm_batch_result(&w->b, k);
			s->tag = (i + k) << 20 | 1;
			c->res->bytes += s->size;
		}
		gmm_batch_reset(&w->b);
		for (k = 0; k < n; k++)
			churn_add_tags(w, &c->slots[i + k]);
		err = wl_run(w);
		if (err)
			return err;
	}
	return 0;
}

/* One batch: read, release and reallocate @nr distinct random slots. */
static void churn_pick(struct churn *c, uint32_t nr)
{
	struct wl *w = c->w;
	uint32_t k;

	c->stamp++;
	gmm_batch_reset(&w->b);
	for (k = 0; k < nr; k++) {
		struct churn_slot *sl;
		uint64_t s;

		do {	/* distinct slots within a round */
			s = rng_below(&c->rng, c->cp->objects);
		} while (c->slots[s].stamp == c->stamp);
		sl = &c->slots[s];
		sl->stamp = c->stamp;
		c->picked[k] = s;
		churn_add_reads(c, sl, k);
		gmm_batch_add_release(&w->b, sl->handle);
		sl->size = churn_size(&c->rng, c->cp);
		gmm_batch_add_alloc_bytes(&w->b, sl->size);
	}
}

/* The tags the picked slots read back, and their new objects. */
static int churn_replaced(struct churn *c, uint32_t nr)
{
	uint32_t k;

	for (k = 0; k < nr; k++) {
		struct churn_slot *s = &c->slots[c->picked[k]];

		if (c->got[2 * k] != s->tag || c->got[2 * k + 1] != s->tag)
			return wl_fail(c->w, -EBADMSG, "object %llu reads tags "
				       "%#llx and %#llx, not %#llx: it was freed "
				       "or overwritten while a handle held it",
				       ULL(c->picked[k]), ULL(c->got[2 * k]),
				       ULL(c->got[2 * k + 1]), ULL(s->tag));
		c->res->verified++;
		s->handle = (uint32_t)gmm_batch_result(&c->w->b, 4 * k + 3);
		s->tag = (s->tag + 1) & ((1ULL << 20) - 1);
		s->tag |= c->picked[k] << 20;
		c->res->bytes += s->size;
	}
	return 0;
}

static int churn_round(struct churn *c, uint32_t nr)
{
	struct wl *w = c->w;
	uint32_t k;
	int err;

	churn_pick(c, nr);
	err = wl_run(w);
	if (!err)
		err = churn_replaced(c, nr);
	if (err)
		return err;
	gmm_batch_reset(&w->b);
	for (k = 0; k < nr; k++)
		churn_add_tags(w, &c->slots[c->picked[k]]);
	return wl_run(w);
}

/* Replace objects at random until the time or the count is up. */
static int churn_replace(struct churn *c)
{
	const struct churn_params *cp = c->cp;
	struct churn_result *res = c->res;
	uint32_t nr;
	int err;

	for (;;) {
		if (cp->seconds > 0 ? wl_secs(c->w) >= cp->seconds :
		    res->replaced >= cp->ops)
			return 0;
		nr = c->per_round;
		if (!cp->seconds && cp->ops - res->replaced < nr)
			nr = (uint32_t)(cp->ops - res->replaced);
		err = churn_round(c, nr);
		if (err)
			return err;
		res->replaced += nr;
		progress_update(&c->w->prog, false, "churn: %llu objects replaced, "
				"%.1f s, %llu GC cycles", ULL(res->replaced),
				wl_secs(c->w), ULL(c->w->num_gc));
	}
}

/* Read the whole live set back. */
static int churn_verify(struct churn *c)
{
	struct wl *w = c->w;
	uint32_t n, k;
	uint64_t i;
	int err;

	for (i = 0; i < c->cp->objects; i += n) {
		n = churn_chunk(c, i, w->b.capacity / 2);
		if (n > c->per_round)
			n = c->per_round;
		gmm_batch_reset(&w->b);
		for (k = 0; k < n; k++)
			churn_add_reads(c, &c->slots[i + k], k);
		err = wl_run(w);
		if (err)
			return err;
		for (k = 0; k < n; k++) {
			const struct churn_slot *s = &c->slots[i + k];

			if (c->got[2 * k] != s->tag || c->got[2 * k + 1] != s->tag)
				return wl_fail(w, -EBADMSG, "object %llu reads tags "
					       "%#llx and %#llx, not %#llx",
					       ULL(i + k), ULL(c->got[2 * k]),
					       ULL(c->got[2 * k + 1]), ULL(s->tag));
			c->res->verified++;
		}
	}
	return 0;
}

/* Drop the live set: it is garbage for the next collection. */
static int churn_drop(struct churn *c)
{
	struct wl *w = c->w;
	uint32_t n, k;
	uint64_t i;
	int err;

	for (i = 0; i < c->cp->objects; i += n) {
		n = churn_chunk(c, i, w->b.capacity);
		gmm_batch_reset(&w->b);
		for (k = 0; k < n; k++)
			gmm_batch_add_release(&w->b, c->slots[i + k].handle);
		err = wl_run(w);
		if (err)
			return err;
	}
	return 0;
}

static int churn_run_wl(struct wl *w, const struct churn_params *cp,
			struct churn_result *res)
{
	struct churn c = { .w = w, .cp = cp, .res = res };
	int err = 0;

	memset(res, 0, sizeof(*res));
	rng_seed(&c.rng, cp->seed);
	c.slots = calloc(cp->objects, sizeof(*c.slots));
	c.per_round = w->b.capacity / 4;	/* read, read, release, alloc */
	if (c.per_round > cp->objects)
		c.per_round = (uint32_t)cp->objects;
	c.got = calloc((size_t)w->b.capacity, sizeof(*c.got));
	c.picked = calloc(c.per_round, sizeof(*c.picked));
	if (!c.slots || !c.got || !c.picked)
		err = wl_fail(w, -ENOMEM, "out of memory");
	if (!err)
		err = churn_fill(&c);
	if (!err)
		err = churn_replace(&c);
	if (!err)
		err = churn_verify(&c);
	if (!err)
		err = churn_drop(&c);
	res->ns = now_ns() - w->t0;
	free(c.slots);
	free(c.got);
	free(c.picked);
	return err;
}

/*
 * The churn workload on @g, for the demo.  Errors: see gmmctl.h; the
 * message of a wrong tag goes to stderr here.
 */
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

int wl_churn(struct wl *w, const struct wl_opts *o, struct json *jp)
{
	struct churn_params cp = {
		.objects = o->objects, .size_min = o->smin, .size_max = o->smax,
		.seconds = o->seconds, .batch = (uint32_t)o->batch,
		.seed = o->seed,
	};
	struct churn_result res;
	char b1[32];
	int err;

	err = churn_run_wl(w, &cp, &res);
	progress_end(&w->prog);
	if (jp) {
		json_u64(jp, "objects", o->objects);
		json_u64(jp, "size_min", o->smin);
		json_u64(jp, "size_max", o->smax);
		json_double(jp, "seconds", o->seconds);
		json_u64(jp, "replaced", res.replaced);
		json_u64(jp, "verified", res.verified);
		json_u64(jp, "bytes", res.bytes);
	} else if (!err) {
		printf("churn: %llu objects of %llu..%llu bytes kept, %llu "
		       "replaced (%.0f/s), %s allocated, %llu objects checked\n",
		       ULL(o->objects), ULL(o->smin), ULL(o->smax),
		       ULL(res.replaced),
		       res.ns ? (double)res.replaced * 1e9 / (double)res.ns : 0.0,
		       fmt_bytes(b1, sizeof(b1), res.bytes), ULL(res.verified));
	}
	return err;
}
