// SPDX-License-Identifier: GPL-2.0
/*
 * gen.c - gmm_fuzz's operations: valid ones (allocations of every kind,
 * releases, dups, stores, loads, reads, writes, infos, collections),
 * applied to the model as they are made, and invalid ones (bad handles,
 * offsets, ranges, op codes, unused fields, buffers), each with the errno
 * it must get.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

void pend_init(struct pend *p, __u32 code)
{
	memset(p, 0, sizeof(*p));
	p->op.op = code;
	p->newobj = -1;
	p->slot = -1;
}

/* A new handle for @obj in a free slot (pending until the batch ran). */
static void expect_handle(struct fz *z, struct pend *p, int obj)
{
	p->newobj = obj;
	p->slot = free_slot(z);
	z->hs[p->slot].obj = obj;
	z->hs[p->slot].h = 0;
}

static int gen_alloc(struct fz *z, struct pend *p)
{
	__u64 n, bytes, size;
	int t;

	pend_init(p, GMM_OP_ALLOC);
	if (chance(z, 40)) {
		/* pointer-free bytes; sometimes large */
		if (chance(z, 3) && live_large(z) < MAXLARGE)
			bytes = 32769 + below(z, 200000);
		else if (chance(z, 30))
			bytes = 1 + below(z, 64);
		else
			bytes = 1 + below(z, 4096);
		p->op.len = bytes;
		size = bytes < 16 ? z->small[0][bytes] : slot_for(z, bytes, 8);
		expect_handle(z, p, new_obj(z, -1, size));
		return 0;
	}
	t = below(z, NTYPES);
	if (z->types[t].size >= 4096)
		n = chance(z, 50) || live_large(z) >= MAXLARGE ? 1 :
		    1 + below(z, 20);
	else
		n = chance(z, 60) ? 1 : 1 + below(z, 40);
	bytes = n * z->types[t].size;
	p->op.arg = z->types[t].id;
	p->op.len = n;
	size = bytes < 16 ? z->small[t + 1][bytes] :
			    slot_for(z, bytes, z->types[t].align ?: 8);
	expect_handle(z, p, new_obj(z, t, size));
	return 0;
}

static void forget_slot(struct fz *z, int s)
{
	z->released[z->nreleased++ % ARRAY_SIZE(z->released)] = z->hs[s].h;
	z->hs[s].obj = -1;
	z->hs[s].h = 0;
}

int gen_valid(struct fz *z, struct pend *p)
{
	unsigned int r = below(z, 100);
	int s, o, t;
	struct mobj *m;
	__u64 off, len;

	if (used_slots(z) < 8 || (r < 20 && free_slot(z) >= 0))
		return gen_alloc(z, p);
	s = pick_slot(z, r >= 30 && r < 50);
	if (s < 0)
		return free_slot(z) >= 0 ? gen_alloc(z, p) :
		       (pend_init(p, GMM_OP_NOP), 0);
	o = z->hs[s].obj;
	m = &z->objs[o];

	if (r < 25 || (free_slot(z) < 0 && r < 50)) {
		pend_init(p, GMM_OP_RELEASE);
		p->op.handle = z->hs[s].h;
		forget_slot(z, s);
	} else if (r < 30) {
		if (free_slot(z) < 0)
			return gen_valid(z, p);
		pend_init(p, GMM_OP_DUP);
		p->op.handle = z->hs[s].h;
		expect_handle(z, p, o);
	} else if (r < 40) {
		/* STORE: a target's object, or NULL */
		pend_init(p, GMM_OP_STORE);
		p->op.handle = z->hs[s].h;
		p->op.offset = pick_ptr_word(z, m);
		t = chance(z, 15) ? -1 : pick_slot(z, false);
		p->op.arg = t < 0 ? 0 : z->hs[t].h;
		m->ptr[p->op.offset / 8] = t < 0 ? PTR_NULL : z->hs[t].obj;
	} else if (r < 50) {
		pend_init(p, GMM_OP_LOAD);
		p->op.handle = z->hs[s].h;
		p->op.offset = pick_ptr_word(z, m);
		t = m->ptr[p->op.offset / 8];
		if (t == PTR_NULL)
			p->load_null = true;
		else if (free_slot(z) >= 0)
			expect_handle(z, p, t);
		else
			return gen_valid(z, p);
	} else if (r < 70) {
		bool rd = r < 60;

		pend_init(p, rd ? GMM_OP_READ : GMM_OP_WRITE);
		p->op.handle = z->hs[s].h;
		if (chance(z, 5)) {
			off = 0;
			len = m->size;
		} else {
			off = below(z, m->size);
			len = 1 + below(z, m->size - off < 600 ? m->size - off :
					 600);
		}
		p->op.offset = off;
		p->op.len = len;
		p->buf = malloc(len);
		if (!p->buf)
			abort();
		p->op.buf = st_ptr(p->buf);
		if (rd) {
			p->expect = malloc(len);
			if (!p->expect)
				abort();
			model_read(m, off, len, p->expect);
			memset(p->buf, 0xcc, len);
		} else {
			for (__u64 i = 0; i < len; i++)
				p->buf[i] = (__u8)rnd(z);
			model_write(m, off, len, p->buf);
		}
	} else if (r < 92) {
		pend_init(p, GMM_OP_INFO);
		p->op.handle = z->hs[s].h;
		p->check_info = true;
		p->info = (__u64)type_id_of(z, m) << 32 | m->size;
	} else if (r < 93) {
		pend_init(p, GMM_OP_GC);
		p->is_gc = true;
		z->n_gc++;
	} else {
		pend_init(p, GMM_OP_NOP);
	}
	return 0;
}

/* A handle number this file does not hold. */
static __u32 bad_handle(struct fz *z)
{
	unsigned int kind = below(z, 4), n;
	__u32 h;
	int i;

	n = z->nreleased < ARRAY_SIZE(z->released) ? z->nreleased :
	    ARRAY_SIZE(z->released);
	if (kind == 0 && n)
		h = z->released[below(z, n)];		/* released */
	else if (kind <= 1)
		h = 0x40000000 + (__u32)below(z, 0x3fffffff); /* never issued */
	else if (kind == 2)
		h = 0;
	else
		h = 0x80000000 | (__u32)rnd(z);	/* beyond the range */
	for (i = 0; i < MAXH; i++)
		if (z->hs[i].obj >= 0 && z->hs[i].h == h)
			return 0x7fffffff;	/* ours after all */
	return h;
}

static const __u32 bad_handle_ops[] = {
	GMM_OP_RELEASE, GMM_OP_DUP, GMM_OP_INFO, GMM_OP_LOAD, GMM_OP_READ,
};

/*
 * The kinds of invalid operations: each fills @p for slot @s (object @m;
 * -1 and NULL when the file holds none) and returns 0, or -1 when nothing
 * fitting can be made now.
 */
typedef int invalid_fn(struct fz *z, struct pend *p, int s, struct mobj *m);

/* A handle we do not hold. */
static int inval_handle(struct fz *z, struct pend *p, int s, struct mobj *m)
{
	__u32 code = bad_handle_ops[below(z, ARRAY_SIZE(bad_handle_ops))];

	(void)s;
	(void)m;
	pend_init(p, code);
	p->op.handle = bad_handle(z);
	p->err = -ENOENT;
	if (code == GMM_OP_READ) {
		p->buf = malloc(8);
		p->op.buf = st_ptr(p->buf);
		p->op.len = 8;
	}
	return 0;
}

/* STORE of a target we do not hold. */
static int inval_target(struct fz *z, struct pend *p, int s, struct mobj *m)
{
	s = pick_slot(z, true);
	if (s < 0)
		return -1;
	m = &z->objs[z->hs[s].obj];
	pend_init(p, GMM_OP_STORE);
	p->op.handle = z->hs[s].h;
	p->op.offset = pick_ptr_word(z, m);
	p->op.arg = bad_handle(z);
	p->err = p->op.arg ? -ENOENT : 0;
	if (!p->op.arg)		/* 0 is NULL: valid after all */
		m->ptr[p->op.offset / 8] = PTR_NULL;
	return 0;
}

/* STORE / LOAD at a word that is no pointer word. */
static int inval_word(struct fz *z, struct pend *p, int s, struct mobj *m)
{
	int t;

	if (!m)
		return -1;
	pend_init(p, chance(z, 50) ? GMM_OP_STORE : GMM_OP_LOAD);
	p->op.handle = z->hs[s].h;
	do {
		p->op.offset = below(z, 4) ? below(z, m->size + 16) : rnd(z);
	} while (is_ptr(m, p->op.offset));
	if (p->op.op == GMM_OP_STORE) {
		t = pick_slot(z, false);
		p->op.arg = z->hs[t].h;
	}
	p->err = -EINVAL;
	return 0;
}

/* READ / WRITE beyond the slot. */
static int inval_range(struct fz *z, struct pend *p, int s, struct mobj *m)
{
	if (!m)
		return -1;
	pend_init(p, chance(z, 50) ? GMM_OP_READ : GMM_OP_WRITE);
	p->op.handle = z->hs[s].h;
	p->op.offset = below(z, m->size + 1);
	p->op.len = m->size - p->op.offset + 1 + below(z, 64);
	if (chance(z, 10))
		p->op.len = ~0ULL - below(z, 16);
	p->buf = calloc(1, m->size + 128);
	p->op.buf = st_ptr(p->buf);
	p->err = -EINVAL;
	return 0;
}

/* An unknown op code, anything in the other fields. */
static int inval_code(struct fz *z, struct pend *p, int s, struct mobj *m)
{
	(void)s;
	(void)m;
	pend_init(p, GMM_OP_MAX + 1 + (__u32)below(z, 0xfffffff0));
	p->op.handle = rnd(z);
	p->op.arg = rnd(z);
	p->op.offset = rnd(z);
	p->op.len = rnd(z);
	p->op.buf = rnd(z);
	p->err = -EINVAL;
	return 0;
}

/*
 * Flags: no op takes a flag it does not know.  The link flags (bits 0-2)
 * are valid in batches, GMM_OP_IMM (bit 3) on ALLOC, READ and WRITE and
 * GMM_OP_INTO (bit 4) on ALLOC; they have a suite of their own
 * (gmm_batchlink_test).  Here the others.
 */
static int inval_flags(struct fz *z, struct pend *p, int s, struct mobj *m)
{
	(void)s;
	(void)m;
	pend_init(p, below(z, GMM_OP_GC + 1));
	p->op.flags = 1U << (5 + below(z, 27));
	p->err = -EINVAL;
	return 0;
}

/* An unused field: NOP and GC use none. */
static int inval_unused(struct fz *z, struct pend *p, int s, struct mobj *m)
{
	(void)s;
	(void)m;
	pend_init(p, chance(z, 50) ? GMM_OP_NOP : GMM_OP_GC);
	switch (below(z, 5)) {
	case 0:
		p->op.handle = 1 + below(z, 100);
		break;
	case 1:
		p->op.arg = 1 + below(z, 100);
		break;
	case 2:
		p->op.offset = 1 + rnd(z) % 4096;
		break;
	case 3:
		p->op.len = 1 + below(z, 100);
		break;
	default:
		p->op.buf = st_ptr(z);
		break;
	}
	p->err = -EINVAL;
	return 0;
}

/* ALLOC: size 0, too big, unknown type. */
static int inval_alloc(struct fz *z, struct pend *p, int s, struct mobj *m)
{
	(void)s;
	(void)m;
	pend_init(p, GMM_OP_ALLOC);
	switch (below(z, 4)) {
	case 0:
		p->op.arg = chance(z, 50) ? 0 : z->types[0].id;
		break;
	case 1:
		p->op.len = GMM_UAPI_MAX_OBJECT + 1 + below(z, 1 << 30);
		break;
	case 2:
		p->op.arg = z->types[6].id;	/* 4096-byte elements */
		p->op.len = GMM_UAPI_MAX_OBJECT / 4096 + 1 +
			    below(z, 1ULL << 40);
		break;
	default:
		p->op.arg = 1000 + below(z, 60000);
		p->op.len = 1;
		break;
	}
	p->err = -EINVAL;
	return 0;
}

/* READ / WRITE with a buffer that faults. */
static int inval_fault(struct fz *z, struct pend *p, int s, struct mobj *m)
{
	if (!m)
		return -1;
	pend_init(p, chance(z, 50) ? GMM_OP_READ : GMM_OP_WRITE);
	p->op.handle = z->hs[s].h;
	p->op.len = 1 + below(z, m->size);
	p->op.buf = chance(z, 50) ? 0 : st_ptr(z->unmapped);
	p->err = -EFAULT;
	return 0;
}

/* INFO or RELEASE with an offset or a length. */
static int inval_extra(struct fz *z, struct pend *p, int s, struct mobj *m)
{
	if (!m)
		return -1;
	pend_init(p, chance(z, 50) ? GMM_OP_INFO : GMM_OP_RELEASE);
	p->op.handle = z->hs[s].h;
	if (chance(z, 50))
		p->op.offset = 8;
	else
		p->op.len = 8;
	p->err = -EINVAL;
	return 0;
}

static invalid_fn *const invalid_kinds[] = {
	inval_handle, inval_target, inval_word, inval_range, inval_code,
	inval_flags, inval_unused, inval_alloc, inval_fault, inval_extra,
};

/* One invalid operation and the errno it must get. */
int gen_invalid(struct fz *z, struct pend *p)
{
	int s = pick_slot(z, false);
	struct mobj *m = s >= 0 ? &z->objs[z->hs[s].obj] : NULL;
	__u64 kind;

	z->n_invalid++;
	kind = below(z, 12);	/* 10 and 11: a plainly unknown op */
	if (kind < ARRAY_SIZE(invalid_kinds) && !invalid_kinds[kind](z, p, s, m))
		return 0;
	/* Nothing fitting: a plainly unknown op. */
	z->n_invalid--;
	pend_init(p, 0xffffffff);
	p->err = -EINVAL;
	z->n_invalid++;
	return 0;
}
