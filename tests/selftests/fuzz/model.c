// SPDX-License-Identifier: GPL-2.0
/*
 * model.c - gmm_fuzz's state and its model of the heap: what every handle
 * names, each object's slot size, type, bytes and, per pointer word,
 * which object it points to; and which objects the handles reach.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

const struct mtype type_table[NTYPES] = {
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

_Static_assert(ARRAY_SIZE(type_table) == NTYPES, "NTYPES is the table's size");

__u64 rnd(struct fz *z)
{
	/* xorshift64* */
	z->rng ^= z->rng >> 12;
	z->rng ^= z->rng << 25;
	z->rng ^= z->rng >> 27;
	return z->rng * 0x2545F4914F6CDD1DULL;
}

__u64 below(struct fz *z, __u64 n)
{
	return n ? rnd(z) % n : 0;
}

bool chance(struct fz *z, unsigned int percent)
{
	return below(z, 100) < percent;
}

int failf(struct fz *z, const char *fmt, ...)
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

const char *op_name(__u32 op)
{
	static const char * const names[] = {
		"NOP", "ALLOC", "RELEASE", "DUP", "STORE", "LOAD", "READ",
		"WRITE", "INFO", "GC", "WEAK", "WEAK_LOAD", "WEAK_RELEASE",
		"CLEANUP", "CLEANUP_CANCEL",
	};

	return op <= GMM_OP_MAX ? names[op] : "BAD";
}

/* The model */

/*
 * The slot of @bytes aligned to @align: the smallest size class that holds
 * it and is a multiple of @align (slots of a class are at multiples of
 * its size), else whole pages.
 */
__u64 slot_for(struct fz *z, __u64 bytes, __u32 align)
{
	int i;

	for (i = 1; i < z->nclasses; i++)
		if (z->classes[i] >= bytes && !(z->classes[i] % align))
			return z->classes[i];
	return (bytes + ST_RT_PAGE - 1) / ST_RT_PAGE * ST_RT_PAGE;
}

int new_obj(struct fz *z, int type, __u32 size)
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

bool is_ptr(const struct mobj *o, __u64 off)
{
	return !(off & 7) && off + 8 <= o->size && o->ptr[off / 8] != PTR_NONE;
}

__u32 type_id_of(struct fz *z, const struct mobj *o)
{
	if (o->type < 0 || !z->types[o->type].nptrs)
		return 0;
	return z->types[o->type].id;
}

/* What READ of [off, off + len) must return. */
void model_read(const struct mobj *o, __u64 off, __u64 len, __u8 *out)
{
	memcpy(out, o->data + off, len);	/* pointer words are 0 there */
}

void model_write(struct mobj *o, __u64 off, __u64 len, const __u8 *in)
{
	__u64 i;

	for (i = 0; i < len; i++)
		if (o->ptr[(off + i) / 8] == PTR_NONE)
			o->data[off + i] = in[i];
}

int used_slots(struct fz *z)
{
	int i, n = 0;

	for (i = 0; i < MAXH; i++)
		n += z->hs[i].obj >= 0;
	return n;
}

int free_slot(struct fz *z)
{
	int i, start = below(z, MAXH);

	for (i = 0; i < MAXH; i++)
		if (z->hs[(start + i) % MAXH].obj < 0)
			return (start + i) % MAXH;
	return -1;
}

/* A random slot with a real (not pending) handle, or -1. */
int pick_slot(struct fz *z, bool want_ptrs)
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
__u64 pick_ptr_word(struct fz *z, const struct mobj *o)
{
	__u32 w, n = o->size / 8, start = below(z, n);

	for (w = 0; w < n; w++)
		if (o->ptr[(start + w) % n] != PTR_NONE)
			return (__u64)((start + w) % n) * 8;
	abort();
}

int live_large(struct fz *z)
{
	int i, n = 0;

	for (i = 0; i < MAXH; i++)
		if (z->hs[i].obj >= 0 && z->objs[z->hs[i].obj].size > 32768)
			n++;
	return n;
}

/* Mark what the handles reach; free the rest in the model. */
int reachable(struct fz *z, __u64 *bytes)
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
