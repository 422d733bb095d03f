// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_fuzz.c - a randomised, model-checked fuzzer of GMM_IOC_OP and
 * GMM_IOC_BATCH.
 *
 * A user-space model keeps what every handle names: each object's slot
 * size, type, bytes and, per pointer word, which object it points to.
 * Random operations - valid ones (allocations of every kind, releases,
 * dups, stores, loads, reads, writes, infos, collections, GOGC changes)
 * mixed with invalid ones (bad handles, offsets, ranges, op codes, unused
 * fields, buffers) - run against the kernel, one ioctl each or in batches;
 * every result and errno is checked against the model.  Every so often,
 * and at the end, a collection runs and the whole heap is checked: every
 * handle's object (INFO, READ), a sample of pointer words (LOAD), and
 * statistics: after a collection the heap holds exactly the objects the
 * model says are reachable, no more and no fewer.
 *
 *   gmm_fuzz [--seed N] [--ops N]     (or GMM_FUZZ_SEED, GMM_FUZZ_OPS)
 *
 * The seed is printed first ("# gmm_fuzz: seed=... ops=..."); run again
 * with it to reproduce a failure.  --ops is the number of operations of
 * each test; the default keeps the whole run under a minute on the debug
 * kernel under QEMU TCG.
 *
 * Needs gmm.ko loaded; skips when /dev/gmm is missing.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "kselftest_harness.h"
#include "gmm_util.h"

#define DEFAULT_OPS	5000
#define MAXH		384		/* handles the model holds at most */
#define MAXLARGE	12		/* live large objects at most */
#define BATCH_MAX_OPS	48
#define VERIFY_EVERY	1500
#define PTR_NONE	-2		/* not a pointer word */
#define PTR_NULL	-1

static __u64 fuzz_seed;
static unsigned long fuzz_ops = DEFAULT_OPS;

/* The types every run registers (align 0 = 8). */
struct mtype {
	__u32 size, align, nptrs, offs[3];
	__u32 id;
};

static const struct mtype type_table[] = {
	{ .size = 8, .nptrs = 1, .offs = { 0 } },
	{ .size = 24, .nptrs = 2, .offs = { 0, 16 } },
	{ .size = 40, .nptrs = 1, .offs = { 8 } },
	{ .size = 64, .nptrs = 3, .offs = { 56, 0, 8 } },
	{ .size = 48, .nptrs = 0 },		/* typed, no pointers */
	{ .size = 16, .align = 64, .nptrs = 1, .offs = { 8 } },
	{ .size = 4096, .nptrs = 2, .offs = { 0, 4088 } },
	{ .size = 8, .nptrs = 0 },		/* small, no pointers */
	{ .size = 5, .align = 1, .nptrs = 0 },
};

#define NTYPES	ARRAY_SIZE(type_table)

struct mobj {
	int type;		/* index into types, -1: pointer-free bytes */
	__u32 size;		/* slot bytes */
	__u8 *data;		/* the bytes; pointer words stay 0 */
	int *ptr;		/* per word: PTR_NONE, PTR_NULL or an object */
	unsigned int mark;	/* reachability epoch */
	bool dead;		/* unreachable: freed in the model */
};

struct hslot {
	__u32 h;		/* 0 while pending (batch not run yet) */
	int obj;		/* -1: free slot */
};

struct fz {
	int fd;
	__u64 rng;
	struct mtype types[NTYPES];
	__u32 classes[ST_CLASSES_ROOM];
	__u32 small[NTYPES + 1][16];	/* slots under 16 bytes, probed */
	int nclasses;
	struct mobj *objs;
	int nobj, cap;
	struct hslot hs[MAXH];
	__u32 released[64];		/* recently released numbers */
	unsigned int nreleased;
	__u64 gcs;			/* cycles completed, last seen */
	unsigned int epoch;
	void *unmapped;
	char why[600];			/* the first failure */
	unsigned long n_ops, n_invalid, n_batches, n_verify, n_gc;
};

/* One operation on its way to the kernel, and what it must do. */
struct pend {
	struct gmm_op op;
	int err;		/* expected: 0 or a negative errno */
	int newobj;		/* the object a new handle must name, or -1 */
	int slot;		/* where that handle goes */
	bool load_null;		/* LOAD of a NULL word: result 0 */
	bool check_info;
	__u64 info;
	__u8 *buf;		/* READ / WRITE buffer */
	__u8 *expect;		/* READ: the bytes expected */
	bool is_gc;
};

static __u64 rnd(struct fz *z)
{
	/* xorshift64* */
	z->rng ^= z->rng >> 12;
	z->rng ^= z->rng << 25;
	z->rng ^= z->rng >> 27;
	return z->rng * 0x2545F4914F6CDD1DULL;
}

static __u64 below(struct fz *z, __u64 n)
{
	return n ? rnd(z) % n : 0;
}

static bool chance(struct fz *z, unsigned int percent)
{
	return below(z, 100) < percent;
}

static int failf(struct fz *z, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (z->why[0])
		return -1;
	n = snprintf(z->why, sizeof(z->why), "op #%lu: ", z->n_ops);
	va_start(ap, fmt);
	vsnprintf(z->why + n, sizeof(z->why) - n, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *op_name(__u32 op)
{
	static const char * const names[] = {
		"NOP", "ALLOC", "RELEASE", "DUP", "STORE", "LOAD", "READ",
		"WRITE", "INFO", "GC",
	};

	return op <= GMM_OP_MAX ? names[op] : "BAD";
}

/* The model */

/*
 * The slot of @bytes aligned to @align: the smallest size class that holds
 * it and is a multiple of @align (slots of a class are at multiples of
 * its size), else whole pages.
 */
static __u64 slot_for(struct fz *z, __u64 bytes, __u32 align)
{
	int i;

	for (i = 1; i < z->nclasses; i++)
		if (z->classes[i] >= bytes && !(z->classes[i] % align))
			return z->classes[i];
	return (bytes + ST_RT_PAGE - 1) / ST_RT_PAGE * ST_RT_PAGE;
}

static int new_obj(struct fz *z, int type, __u32 size)
{
	struct mobj *o;
	__u32 w, e;

	if (z->nobj == z->cap) {
		z->cap = z->cap ? 2 * z->cap : 1024;
		z->objs = realloc(z->objs, z->cap * sizeof(*z->objs));
		if (!z->objs)
			abort();
	}
	o = &z->objs[z->nobj];
	memset(o, 0, sizeof(*o));
	o->type = type;
	o->size = size;
	o->data = calloc(1, size);
	o->ptr = malloc(size / 8 * sizeof(int) + sizeof(int));
	if (!o->data || !o->ptr)
		abort();
	for (w = 0; w < size / 8; w++)
		o->ptr[w] = PTR_NONE;
	if (type >= 0) {
		const struct mtype *t = &z->types[type];

		/* The type's words, for every whole element in the slot. */
		for (e = 0; (e + 1) * t->size <= size; e++)
			for (w = 0; w < t->nptrs; w++)
				o->ptr[(e * t->size + t->offs[w]) / 8] = PTR_NULL;
	}
	return z->nobj++;
}

static bool is_ptr(const struct mobj *o, __u64 off)
{
	return !(off & 7) && off + 8 <= o->size && o->ptr[off / 8] != PTR_NONE;
}

static __u32 type_id_of(struct fz *z, const struct mobj *o)
{
	if (o->type < 0 || !z->types[o->type].nptrs)
		return 0;
	return z->types[o->type].id;
}

/* What READ of [off, off + len) must return. */
static void model_read(const struct mobj *o, __u64 off, __u64 len, __u8 *out)
{
	memcpy(out, o->data + off, len);	/* pointer words are 0 there */
}

static void model_write(struct mobj *o, __u64 off, __u64 len, const __u8 *in)
{
	__u64 i;

	for (i = 0; i < len; i++)
		if (o->ptr[(off + i) / 8] == PTR_NONE)
			o->data[off + i] = in[i];
}

static int used_slots(struct fz *z)
{
	int i, n = 0;

	for (i = 0; i < MAXH; i++)
		n += z->hs[i].obj >= 0;
	return n;
}

static int free_slot(struct fz *z)
{
	int i, start = below(z, MAXH);

	for (i = 0; i < MAXH; i++)
		if (z->hs[(start + i) % MAXH].obj < 0)
			return (start + i) % MAXH;
	return -1;
}

/* A random slot with a real (not pending) handle, or -1. */
static int pick_slot(struct fz *z, bool want_ptrs)
{
	int i, start = below(z, MAXH);

	for (i = 0; i < MAXH; i++) {
		struct hslot *s = &z->hs[(start + i) % MAXH];

		if (s->obj < 0 || !s->h)
			continue;
		if (want_ptrs && type_id_of(z, &z->objs[s->obj]) == 0)
			continue;
		return (start + i) % MAXH;
	}
	return -1;
}

/* A random pointer word of @o (it has one). */
static __u64 pick_ptr_word(struct fz *z, const struct mobj *o)
{
	__u32 w, n = o->size / 8, start = below(z, n);

	for (w = 0; w < n; w++)
		if (o->ptr[(start + w) % n] != PTR_NONE)
			return (__u64)((start + w) % n) * 8;
	abort();
}

static int live_large(struct fz *z)
{
	int i, n = 0;

	for (i = 0; i < MAXH; i++)
		if (z->hs[i].obj >= 0 && z->objs[z->hs[i].obj].size > 32768)
			n++;
	return n;
}

/* Mark what the handles reach; free the rest in the model. */
static int reachable(struct fz *z, __u64 *bytes)
{
	int *stack = malloc(sizeof(int) * (z->nobj + 1));
	int sp = 0, i, n = 0;
	__u32 w;

	if (!stack)
		abort();
	z->epoch++;
	*bytes = 0;
	for (i = 0; i < MAXH; i++) {
		int o = z->hs[i].obj;

		if (o >= 0 && z->objs[o].mark != z->epoch) {
			z->objs[o].mark = z->epoch;
			stack[sp++] = o;
		}
	}
	while (sp) {
		struct mobj *o = &z->objs[stack[--sp]];

		n++;
		*bytes += o->size;
		for (w = 0; w < o->size / 8; w++) {
			int t = o->ptr[w];

			if (t >= 0 && z->objs[t].mark != z->epoch) {
				z->objs[t].mark = z->epoch;
				stack[sp++] = t;
			}
		}
	}
	free(stack);
	for (i = 0; i < z->nobj; i++) {
		struct mobj *o = &z->objs[i];

		if (!o->dead && o->mark != z->epoch) {
			o->dead = true;
			free(o->data);
			free(o->ptr);
			o->data = NULL;
			o->ptr = NULL;
		}
	}
	return n;
}

/* Generating operations */

static void pend_init(struct pend *p, __u32 code)
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

static int gen_valid(struct fz *z, struct pend *p)
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

/* One invalid operation and the errno it must get. */
static int gen_invalid(struct fz *z, struct pend *p)
{
	int s = pick_slot(z, false), t;
	struct mobj *m = s >= 0 ? &z->objs[z->hs[s].obj] : NULL;
	__u32 code;

	z->n_invalid++;
	switch (below(z, 12)) {
	case 0:	/* a handle we do not hold */
		code = bad_handle_ops[below(z, ARRAY_SIZE(bad_handle_ops))];
		pend_init(p, code);
		p->op.handle = bad_handle(z);
		p->err = -ENOENT;
		if (code == GMM_OP_READ) {
			p->buf = malloc(8);
			p->op.buf = st_ptr(p->buf);
			p->op.len = 8;
		}
		return 0;
	case 1:	/* STORE of a target we do not hold */
		s = pick_slot(z, true);
		if (s < 0)
			break;
		m = &z->objs[z->hs[s].obj];
		pend_init(p, GMM_OP_STORE);
		p->op.handle = z->hs[s].h;
		p->op.offset = pick_ptr_word(z, m);
		p->op.arg = bad_handle(z);
		p->err = p->op.arg ? -ENOENT : 0;
		if (!p->op.arg)		/* 0 is NULL: valid after all */
			m->ptr[p->op.offset / 8] = PTR_NULL;
		return 0;
	case 2:	/* STORE / LOAD at a word that is no pointer word */
		if (!m)
			break;
		pend_init(p, chance(z, 50) ? GMM_OP_STORE : GMM_OP_LOAD);
		p->op.handle = z->hs[s].h;
		do {
			p->op.offset = below(z, 4) ? below(z, m->size + 16) :
				       rnd(z);
		} while (is_ptr(m, p->op.offset));
		if (p->op.op == GMM_OP_STORE) {
			t = pick_slot(z, false);
			p->op.arg = z->hs[t].h;
		}
		p->err = -EINVAL;
		return 0;
	case 3:	/* READ / WRITE beyond the slot */
		if (!m)
			break;
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
	case 4:	/* an unknown op code, anything in the other fields */
		pend_init(p, GMM_OP_MAX + 1 + (__u32)below(z, 0xfffffff0));
		p->op.handle = rnd(z);
		p->op.arg = rnd(z);
		p->op.offset = rnd(z);
		p->op.len = rnd(z);
		p->op.buf = rnd(z);
		p->err = -EINVAL;
		return 0;
	case 5:	/* flags */
		pend_init(p, below(z, GMM_OP_MAX + 1));
		p->op.flags = 1U << below(z, 32);
		p->err = -EINVAL;
		return 0;
	case 6:	/* an unused field: NOP and GC use none */
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
	case 7:	/* ALLOC: size 0, too big, unknown type */
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
	case 8:	/* READ / WRITE with a buffer that faults */
		if (!m)
			break;
		pend_init(p, chance(z, 50) ? GMM_OP_READ : GMM_OP_WRITE);
		p->op.handle = z->hs[s].h;
		p->op.len = 1 + below(z, m->size);
		p->op.buf = chance(z, 50) ? 0 : st_ptr(z->unmapped);
		p->err = -EFAULT;
		return 0;
	case 9:	/* ALLOC with a handle, WRITE with an arg, ... */
		if (!m)
			break;
		pend_init(p, chance(z, 50) ? GMM_OP_INFO : GMM_OP_RELEASE);
		p->op.handle = z->hs[s].h;
		if (chance(z, 50))
			p->op.offset = 8;
		else
			p->op.len = 8;
		p->err = -EINVAL;
		return 0;
	default:
		break;
	}
	/* Nothing fitting: a plainly unknown op. */
	z->n_invalid--;
	pend_init(p, 0xffffffff);
	p->err = -EINVAL;
	z->n_invalid++;
	return 0;
}

/* Running operations and checking them */

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
static int verify(struct fz *z)
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

static int setup(struct fz *z, int fd, __u64 seed)
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

static void teardown(struct fz *z)
{
	int i;

	for (i = 0; i < z->nobj; i++) {
		free(z->objs[i].data);
		free(z->objs[i].ptr);
	}
	free(z->objs);
}

/* One step: a batch (or a single op) of generated operations. */
static int step(struct fz *z, bool batch)
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

static void report(struct __test_metadata *_metadata, struct fz *z,
		   const char *name, __u64 seed)
{
	ksft_print_msg("%s: seed=%llu ops=%lu invalid=%lu batches=%lu gc=%lu checks=%lu objs=%d\n",
		       name, (unsigned long long)seed, z->n_ops, z->n_invalid, z->n_batches,
		       z->n_gc, z->n_verify, z->nobj);
	if (z->why[0])
		TH_LOG("seed=%llu: %s", (unsigned long long)seed, z->why);
}

static int fuzz_one(struct fz *z, unsigned long ops, bool batch)
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

FIXTURE(fuzz) {
	int fd;
};

FIXTURE_SETUP(fuzz)
{
	ST_OPEN_OR_SKIP(self->fd);
}

FIXTURE_TEARDOWN(fuzz)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F_TIMEOUT(fuzz, single_ops, 900)
{
	static struct fz z;
	__u64 seed = fuzz_seed;
	int ret;

	ret = setup(&z, self->fd, seed);
	if (!ret)
		ret = fuzz_one(&z, fuzz_ops, false);
	report(_metadata, &z, "single_ops", seed);
	EXPECT_EQ(0, ret);
	teardown(&z);
}

TEST_F_TIMEOUT(fuzz, batches, 900)
{
	static struct fz z;
	__u64 seed = fuzz_seed + 1;
	int ret;

	ret = setup(&z, self->fd, seed);
	if (!ret)
		ret = fuzz_one(&z, fuzz_ops, true);
	report(_metadata, &z, "batches", seed);
	EXPECT_EQ(0, ret);
	teardown(&z);
}

/*
 * Two files fuzzed side by side, and the numbers one holds tried on the
 * other: where the other does not hold that number, -ENOENT.
 */
TEST_F_TIMEOUT(fuzz, two_files, 900)
{
	static struct fz za, zb;
	__u64 seed = fuzz_seed + 2;
	struct fz *z, *other;
	int fd2 = st_open(), ret, i, s;

	ASSERT_LE(0, fd2);
	ret = setup(&za, self->fd, seed);
	if (!ret)
		ret = setup(&zb, fd2, seed ^ 0x5555);
	while (!ret && za.n_ops + zb.n_ops < fuzz_ops) {
		z = chance(&za, 50) ? &za : &zb;
		other = z == &za ? &zb : &za;
		ret = step(z, chance(&za, 30));
		s = pick_slot(other, false);
		if (ret || s < 0 || !chance(&za, 10))
			continue;
		for (i = 0; i < MAXH; i++)
			if (z->hs[i].obj >= 0 && z->hs[i].h == other->hs[s].h)
				break;
		if (i == MAXH &&
		    st_info(z->fd, other->hs[s].h, NULL, NULL) != -ENOENT)
			ret = failf(z, "the other file's handle %u is valid here",
				    other->hs[s].h);
	}
	if (!ret)
		ret = verify(&za);
	if (!ret)
		ret = verify(&zb);
	report(_metadata, &za, "two_files(a)", seed);
	report(_metadata, &zb, "two_files(b)", seed ^ 0x5555);
	EXPECT_EQ(0, ret);
	teardown(&za);
	teardown(&zb);
	close(fd2);
}

/*
 * Garbage for every command: random structs of random sizes, with their
 * pointers aimed at a scratch buffer, nowhere, or the kernel, on a file
 * of their own.  Whatever the kernel makes of them, the errno is one the
 * ABI knows, and a model-checked file next to it is left alone.
 */
#define SCRATCH		(8U << 20)
#define GARBAGE_LIMIT	(32ULL << 20)

struct garbage {
	struct fz *z;		/* the fuzzer's state, for its generator */
	int fd;
	unsigned long ok, einval, e2big, efault, enotty, other;
	__u8 *scratch;		/* the kernel may write anywhere in here */
	void *unmapped;
};

static __u64 garbage_ptr(struct garbage *g)
{
	switch (below(g->z, 5)) {
	case 0:
		return 0;
	case 1:
		return st_ptr(g->unmapped);
	case 2:
		return 0xffffffff81000000ULL;
	default:
		return st_ptr(g->scratch + below(g->z, 4096));
	}
}

static __u32 garbage_count(struct garbage *g)
{
	switch (below(g->z, 4)) {
	case 0:
		return 0;
	case 1:
		return 1 + below(g->z, 8);
	case 2:
		return 1 + below(g->z, 4096);
	default:
		return (__u32)rnd(g->z);
	}
}

static __u32 garbage_elem(struct garbage *g, __u32 size)
{
	switch (below(g->z, 4)) {
	case 0:
		return size;
	case 1:
		return size + 8 * below(g->z, 4);
	case 2:
		return below(g->z, size + 1);
	default:
		return (__u32)rnd(g->z);
	}
}

static void put32(__u8 *b, size_t off, __u32 v)
{
	memcpy(b + off, &v, sizeof(v));
}

static void put64(__u8 *b, size_t off, __u64 v)
{
	memcpy(b + off, &v, sizeof(v));
}

/* Aim every buf field of the operations in the scratch area somewhere safe. */
static void sanitize_ops(struct garbage *g, __u32 count, __u32 size)
{
	__u64 i;

	if (size < sizeof(struct gmm_op))
		return;
	for (i = 0; i < count && (i + 1) * size < SCRATCH / 2; i++)
		put64(g->scratch, i * size + offsetof(struct gmm_op, buf),
		      garbage_ptr(g));
}

static int garbage_one(struct garbage *g)
{
	static const size_t sizes[] = {
		sizeof(struct gmm_version), sizeof(struct gmm_params),
		sizeof(struct gmm_type_create), sizeof(struct gmm_op),
		sizeof(struct gmm_batch), sizeof(struct gmm_stats),
		sizeof(struct gmm_spans), sizeof(struct gmm_cycles), 64, 64,
	};
	static const int pct[] = { -2, -1, 0, 1, 100, 10000, 10001 };
	__u8 arg[512];
	__u32 nr = below(g->z, ARRAY_SIZE(sizes)), size, i;
	int ret;

	size = sizes[nr];
	if (chance(g->z, 10))
		size = below(g->z, sizeof(arg) + 1);
	else if (chance(g->z, 10))
		size = size + 8 < sizeof(arg) ? size + 8 : size;
	for (i = 0; i < sizeof(arg); i++)
		arg[i] = chance(g->z, 70) ? 0 : (__u8)rnd(g->z);
	if (chance(g->z, 70))
		put32(arg, 0, 0);	/* flags (op: the op code) */
	/* Fields that matter: counts, element sizes, pointers. */
	for (i = 0; i < SCRATCH / 2; i += 4096)
		memset(g->scratch + i, chance(g->z, 80) ? 0 : (__u8)rnd(g->z),
		       4096);
	switch (nr) {
	case 1:	/* params */
		put32(arg, 4, pct[below(g->z, ARRAY_SIZE(pct))]);
		break;
	case 2:	/* type_create */
		put32(arg, 4, 0);
		put32(arg, 8, chance(g->z, 50) ? 1 + below(g->z, 256) :
						  (__u32)rnd(g->z));
		put64(arg, 16, garbage_ptr(g));
		put32(arg, 24, garbage_count(g) % 70000);
		break;
	case 3:	/* op */
		put32(arg, 0, below(g->z, GMM_OP_MAX + 3));
		put32(arg, 4, 0);
		put32(arg, 8, below(g->z, 64));
		put64(arg, 16, below(g->z, 256));
		put64(arg, 24, below(g->z, 1 << 23));
		put64(arg, 32, garbage_ptr(g));
		break;
	case 4:	/* batch */
		put32(arg, 4, garbage_count(g));
		put64(arg, 8, garbage_ptr(g));
		put32(arg, 16, garbage_elem(g, sizeof(struct gmm_op)));
		sanitize_ops(g, *(__u32 *)(arg + 4), *(__u32 *)(arg + 16));
		break;
	case 5:	/* stats */
		put32(arg, 4, garbage_count(g));
		put64(arg, 8, garbage_ptr(g));
		put32(arg, 16, garbage_elem(g, sizeof(struct gmm_class_info)));
		break;
	case 6:	/* spans */
		put32(arg, 4, garbage_count(g));
		put64(arg, 8, garbage_ptr(g));
		put32(arg, 16, garbage_count(g));
		put32(arg, 20, garbage_elem(g, sizeof(struct gmm_arena_info)));
		put64(arg, 24, garbage_ptr(g));
		/* Up to a span per page of the heap: keep them in scratch. */
		put32(arg, 32, garbage_elem(g, sizeof(struct gmm_span_info)) %
			       512);
		break;
	case 7:	/* cycles */
		put32(arg, 4, garbage_count(g));
		put64(arg, 8, garbage_ptr(g));
		put32(arg, 16, garbage_elem(g, sizeof(struct gmm_cycle_info)));
		break;
	}
	ret = st_ioctl(g->fd, _IOC(chance(g->z, 95) ? _IOC_READ | _IOC_WRITE :
				    (__u32)below(g->z, 4), GMM_IOC_MAGIC, nr,
				    size), arg);
	switch (ret) {
	case 0:
		g->ok++;
		break;
	case -EINVAL:
		g->einval++;
		break;
	case -E2BIG:
		g->e2big++;
		break;
	case -EFAULT:
		g->efault++;
		break;
	case -ENOTTY:
		g->enotty++;
		break;
	case -ENOENT:
	case -ENOMEM:
	case -ENOSPC:
		g->other++;
		break;
	default:
		return failf(g->z, "garbage command nr %u size %u: errno %d",
			     nr, size, -ret);
	}
	if (nr == 1 && !ret) {
		/* Keep the scratch heap small whatever was set. */
		struct gmm_params p;

		memset(&p, 0, sizeof(p));
		p.flags = GMM_PARAMS_SET_MEMORY_LIMIT;
		p.memory_limit = GARBAGE_LIMIT;
		if (st_ioctl(g->fd, GMM_IOC_PARAMS, &p))
			return failf(g->z, "PARAMS after garbage failed");
	}
	g->z->n_ops++;
	return 0;
}

TEST_F_TIMEOUT(fuzz, garbage_commands, 900)
{
	static struct fz z;
	struct garbage g;
	struct gmm_params p;
	__u64 seed = fuzz_seed + 3;
	unsigned long i, n = fuzz_ops / 2;
	int ret;

	memset(&g, 0, sizeof(g));
	g.fd = st_open();
	ASSERT_LE(0, g.fd);
	g.scratch = mmap(NULL, SCRATCH, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, g.scratch);
	memset(&p, 0, sizeof(p));
	p.flags = GMM_PARAMS_SET_MEMORY_LIMIT;
	p.memory_limit = GARBAGE_LIMIT;
	ASSERT_EQ(0, st_ioctl(g.fd, GMM_IOC_PARAMS, &p));
	/* The model-checked file: some objects, then garbage next door. */
	ret = setup(&z, self->fd, seed);
	g.z = &z;
	g.unmapped = z.unmapped;
	while (!ret && z.n_ops < 500)
		ret = step(&z, false);
	for (i = 0; !ret && i < n; i++)
		ret = garbage_one(&g);
	if (!ret)
		ret = verify(&z);
	report(_metadata, &z, "garbage_commands", seed);
	ksft_print_msg("garbage: %lu ok, EINVAL %lu, E2BIG %lu, EFAULT %lu, ENOTTY %lu, else %lu\n",
		       g.ok, g.einval, g.e2big, g.efault, g.enotty, g.other);
	EXPECT_EQ(0, ret);
	teardown(&z);
	close(g.fd);
	munmap(g.scratch, SCRATCH);
}

int main(int argc, char **argv)
{
	const char *env;
	int i;

	fuzz_seed = (__u64)time(NULL) ^ ((__u64)getpid() << 20);
	env = getenv("GMM_FUZZ_SEED");
	if (env)
		fuzz_seed = strtoull(env, NULL, 0);
	env = getenv("GMM_FUZZ_OPS");
	if (env)
		fuzz_ops = strtoul(env, NULL, 0);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			fuzz_seed = strtoull(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--ops") && i + 1 < argc) {
			fuzz_ops = strtoul(argv[++i], NULL, 0);
		} else {
			fprintf(stderr, "usage: %s [--seed N] [--ops N]\n",
				argv[0]);
			return 2;
		}
	}
	/* Also here, in case a test never gets to report. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("# gmm_fuzz: seed=%llu ops=%lu (rerun: gmm_fuzz --seed %llu --ops %lu)\n",
	       (unsigned long long)fuzz_seed, fuzz_ops,
	       (unsigned long long)fuzz_seed, fuzz_ops);
	return test_harness_run(argc, argv);
}
