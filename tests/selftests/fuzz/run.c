// SPDX-License-Identifier: GPL-2.0
/*
 * run.c - gmm_fuzz running its operations against the kernel, one ioctl
 * each or in batches, every result and errno checked against the model;
 * and, every so often and at the end, a collection and the whole heap
 * checked: every handle's object (INFO, READ), a sample of pointer words
 * (LOAD), and the statistics, which must hold exactly the objects the
 * model says are reachable.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static int commit(struct fz *z, struct pend *p)
{
	__u32 h = (__u32)p->op.result;
	int i;

	if (p->newobj >= 0) {
		if (!p->op.result || p->op.result >> 31)
			return failf(z, "%s made handle %#llx", op_name(p->op.op),
				     (unsigned long long)p->op.result);
		for (i = 0; i < MAXH; i++)
			if (z->hs[i].obj >= 0 && z->hs[i].h == h)
				return failf(z, "%s issued %u, a live handle",
					     op_name(p->op.op), h);
		for (i = 0; i < (int)ARRAY_SIZE(z->released); i++)
			if (i < (int)z->nreleased && z->released[i] == h)
				return failf(z, "%s reissued released %u",
					     op_name(p->op.op), h);
		z->hs[p->slot].h = h;
	}
	if (p->load_null && p->op.result)
		return failf(z, "LOAD of a NULL word gave %#llx",
			     (unsigned long long)p->op.result);
	if (p->expect && memcmp(p->buf, p->expect, p->op.len)) {
		for (i = 0; p->buf[i] == p->expect[i]; i++)
			;
		return failf(z, "READ handle %u [%llu, +%llu): byte %d is %#x, model says %#x",
			     p->op.handle, (unsigned long long)p->op.offset,
			     (unsigned long long)p->op.len, i, p->buf[i],
			     p->expect[i]);
	}
	if (p->check_info && p->op.result != p->info)
		return failf(z, "INFO handle %u: %#llx, model says %#llx",
			     p->op.handle, (unsigned long long)p->op.result,
			     (unsigned long long)p->info);
	if (p->is_gc) {
		if (p->op.result <= z->gcs)
			return failf(z, "GC: %llu cycles, had %llu before",
				     (unsigned long long)p->op.result,
				     (unsigned long long)z->gcs);
		z->gcs = p->op.result;
	}
	return 0;
}

static void pend_free(struct pend *p)
{
	free(p->buf);
	free(p->expect);
	p->buf = NULL;
	p->expect = NULL;
}

/* Run @n operations (the last may be the one invalid one). */
static int run(struct fz *z, struct pend *p, int n, bool batch)
{
	struct gmm_op ops[BATCH_MAX_OPS];
	struct gmm_batch b;
	int i, ret, want_done = p[n - 1].err ? n - 1 : n;

	if (!batch) {
		for (i = 0; i < n; i++) {
			z->n_ops++;
			ret = st_op_run(z->fd, &p[i].op);
			if (ret != p[i].err)
				return failf(z,
					     "%s (handle %u arg %u offset %llu len %llu): %d, expected %d",
					     op_name(p[i].op.op), p[i].op.handle,
					     p[i].op.arg,
					     (unsigned long long)p[i].op.offset,
					     (unsigned long long)p[i].op.len,
					     ret, p[i].err);
			if (!ret && commit(z, &p[i]))
				return -1;
		}
		return 0;
	}
	for (i = 0; i < n; i++)
		ops[i] = p[i].op;
	memset(&b, 0, sizeof(b));
	b.count = n;
	b.ops = st_ptr(ops);
	b.op_size = sizeof(ops[0]);
	z->n_ops += n;
	z->n_batches++;
	ret = st_ioctl(z->fd, GMM_IOC_BATCH, &b);
	if (ret != p[n - 1].err || (int)b.done != want_done ||
	    b.error != p[n - 1].err) {
		i = b.done < (__u32)n ? (int)b.done : n - 1;
		return failf(z,
			     "batch of %d: %d, done %u, error %d; expected %d, %d; op %d is %s (handle %u arg %u offset %llu len %llu)",
			     n, ret, b.done, b.error, p[n - 1].err, want_done,
			     i, op_name(ops[i].op), ops[i].handle, ops[i].arg,
			     (unsigned long long)ops[i].offset,
			     (unsigned long long)ops[i].len);
	}
	for (i = 0; i < want_done; i++) {
		p[i].op.result = ops[i].result;
		if (commit(z, &p[i]))
			return -1;
	}
	return 0;
}

/*
 * The whole heap against the model, after a collection: every handle's
 * object, a sample of pointer words, then the totals.
 */
int verify(struct fz *z)
{
	struct gmm_stats st;
	__u64 bytes, r;
	__u8 *buf;
	int i, n, checked_ptrs = 0;
	__u32 w;

	z->n_verify++;
	if (st_gc(z->fd, &r))
		return failf(z, "heap check: GC failed");
	if (r <= z->gcs)
		return failf(z, "heap check: GC gave %llu cycles, had %llu",
			     (unsigned long long)r, (unsigned long long)z->gcs);
	z->gcs = r;
	n = reachable(z, &bytes);
	for (i = 0; i < MAXH; i++) {
		struct hslot *s = &z->hs[i];
		struct mobj *m;
		__u32 size, type;

		if (s->obj < 0)
			continue;
		m = &z->objs[s->obj];
		if (st_info(z->fd, s->h, &size, &type))
			return failf(z, "heap check: INFO of handle %u failed", s->h);
		if (size != m->size || type != type_id_of(z, m))
			return failf(z,
				     "heap check: handle %u is %u bytes type %u, model says %u type %u",
				     s->h, size, type, m->size,
				     type_id_of(z, m));
		buf = malloc(m->size);
		if (!buf)
			abort();
		if (st_read(z->fd, s->h, 0, m->size, buf)) {
			free(buf);
			return failf(z, "heap check: READ of handle %u failed", s->h);
		}
		if (memcmp(buf, m->data, m->size)) {
			for (w = 0; buf[w] == m->data[w]; w++)
				;
			failf(z, "heap check: handle %u byte %u is %#x, model says %#x",
			      s->h, w, buf[w], m->data[w]);
			free(buf);
			return -1;
		}
		free(buf);
		/* Follow the pointer words of a few objects. */
		if (checked_ptrs > 24 || !chance(z, 25))
			continue;
		checked_ptrs++;
		for (w = 0; w < m->size / 8; w++) {
			int t = m->ptr[w];
			__u32 l, lsize;

			if (t == PTR_NONE)
				continue;
			if (st_load(z->fd, s->h, w * 8, &l))
				return failf(z, "heap check: LOAD %u@%u failed",
					     s->h, w * 8);
			if (t == PTR_NULL) {
				if (l)
					return failf(z, "heap check: %u@%u should be NULL",
						     s->h, w * 8);
				continue;
			}
			if (!l)
				return failf(z, "heap check: %u@%u is NULL", s->h,
					     w * 8);
			buf = malloc(z->objs[t].size);
			if (!buf)
				abort();
			if (st_info(z->fd, l, &lsize, NULL) ||
			    lsize != z->objs[t].size ||
			    st_read(z->fd, l, 0, lsize, buf) ||
			    memcmp(buf, z->objs[t].data, lsize)) {
				free(buf);
				return failf(z,
					     "heap check: %u@%u names another object than the model's",
					     s->h, w * 8);
			}
			free(buf);
			if (st_release(z->fd, l))
				return failf(z, "heap check: release of loaded %u",
					     l);
		}
	}
	if (st_stats(z->fd, &st))
		return failf(z, "heap check: STATS failed");
	if (st.handles != (__u64)used_slots(z))
		return failf(z, "heap check: %llu handles, model holds %d",
			     (unsigned long long)st.handles, used_slots(z));
	if (st.heap_objects != (__u64)n)
		return failf(z, "heap check: after GC %llu objects, model reaches %d",
			     (unsigned long long)st.heap_objects, n);
	if (st.heap_alloc != bytes)
		return failf(z, "heap check: after GC heap_alloc %llu, model reaches %llu bytes",
			     (unsigned long long)st.heap_alloc,
			     (unsigned long long)bytes);
	return 0;
}

/*
 * Objects under 16 bytes may get a 16-byte slot of their own instead of
 * their size class (never a shared tiny block): learn which from the
 * kernel once - a size class that holds them, at most 16 bytes - and hold
 * it to that for the rest of the run.  @type -1: @n pointer-free bytes.
 */
static int probe_small(struct fz *z, int type, __u32 n)
{
	__u32 bytes = type < 0 ? n : n * z->types[type].size;
	__u32 align = type < 0 ? 8 : z->types[type].align ?: 8;
	__u32 h, size;

	if (st_alloc(z->fd, type < 0 ? 0 : z->types[type].id, n, &h) ||
	    st_info(z->fd, h, &size, NULL) || st_release(z->fd, h))
		return failf(z, "probing a %u-byte object failed", bytes);
	if (size < slot_for(z, bytes, align) || size > 16 ||
	    size != slot_for(z, size, 8))
		return failf(z, "a %u-byte object has a %u-byte slot", bytes,
			     size);
	z->small[type + 1][bytes] = size;
	return 0;
}

int setup(struct fz *z, int fd, __u64 seed)
{
	unsigned int i, n;

	memset(z, 0, sizeof(*z));
	z->fd = fd;
	z->rng = seed * 2 + 1;
	for (i = 0; i < MAXH; i++)
		z->hs[i].obj = -1;
	memcpy(z->types, type_table, sizeof(type_table));
	for (i = 0; i < NTYPES; i++) {
		struct mtype *t = &z->types[i];

		if (st_type(fd, t->size, t->align, t->nptrs ? t->offs : NULL,
			    t->nptrs, "fuzz", &t->id))
			return failf(z, "TYPE_CREATE %u failed", i);
	}
	z->nclasses = st_class_sizes(fd, z->classes, ST_CLASSES_ROOM);
	if (z->nclasses != 68)
		return failf(z, "STATS: %d size classes", z->nclasses);
	/* Pointer-free bytes under 16: noscan and typed; then typed ones. */
	for (i = 1; i < 16; i++)
		if (probe_small(z, -1, i))
			return -1;
	for (i = 0; i < NTYPES; i++)
		for (n = 1; n * z->types[i].size < 16; n++)
			if (probe_small(z, i, n))
				return -1;
	z->unmapped = st_unmapped_addr();
	return z->unmapped ? 0 : failf(z, "no unmapped page");
}

void teardown(struct fz *z)
{
	int i;

	for (i = 0; i < z->nobj; i++) {
		free(z->objs[i].data);
		free(z->objs[i].ptr);
	}
	free(z->objs);
}

/* One step: a batch (or a single op) of generated operations. */
int step(struct fz *z, bool batch)
{
	struct pend p[BATCH_MAX_OPS];
	int n = batch ? 1 + below(z, BATCH_MAX_OPS) : 1, i, ret;
	bool invalid = chance(z, batch ? 30 : 12);

	if (chance(z, 1)) {
		/* GOGC now and then: small values start cycles on their own. */
		static const int pct[] = { 5, 25, 100, 400 };

		if (st_set_gc_percent(z->fd, pct[below(z, 4)]))
			return failf(z, "PARAMS failed");
	}
	for (i = 0; i < n; i++) {
		if (invalid && i == n - 1)
			gen_invalid(z, &p[i]);
		else
			gen_valid(z, &p[i]);
	}
	ret = run(z, p, n, batch);
	for (i = 0; i < n; i++)
		pend_free(&p[i]);
	return ret;
}


int fuzz_one(struct fz *z, unsigned long ops, bool batch)
{
	unsigned long next_verify = VERIFY_EVERY;

	while (z->n_ops < ops) {
		if (step(z, batch))
			return -1;
		if (z->n_ops >= next_verify) {
			next_verify += VERIFY_EVERY;
			if (verify(z))
				return -1;
		}
	}
	return verify(z);
}
