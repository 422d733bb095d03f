/* SPDX-License-Identifier: GPL-2.0 */
/*
 * uobj.h - objects and handles as user space sees them (uobj.c): a
 * handle's object with its type and slot size, copies in and out of it,
 * the handle count each open file is held to, and the lookups every
 * operation of ops.c and refops.c makes, inline (under QEMU TCG a call
 * and its return cost more than the lookup itself).
 */
#ifndef _GMM_UOBJ_H
#define _GMM_UOBJ_H

#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/errno.h>

#include <linux/gmm.h>
#include "batchlink.h"
#include "dev.h"
#include "heap.h"
#include "ops.h"

/* An object as user space sees it. */
struct gmm_uobj {
	void *p;
	const struct gmm_type *t;	/* NULL: no pointer words */
	u32 size;			/* slot bytes */
};

void gmm_op_enter_slow(struct gmm_opctx *c);
void gmm_op_exit_slow(struct gmm_opctx *c);
void gmm_op_leave(struct gmm_opctx *c);
const struct gmm_type *gmm_op_type_slow(struct gmm_opctx *c, u32 id);
void gmm_uobj_copy(const struct gmm_uobj *o, u64 off, u64 len, u8 *buf,
		   bool write);
long gmm_handles_max(void);
int gmm_handle_reserve(struct gmm_file *f);
int gmm_handle_make(struct gmm_file *f, void *p, u64 *result);
int gmm_handle_release(struct gmm_file *f, u32 handle);

/*
 * Enter the section an operation runs in, unless the batch holds one
 * (uobj.c says how sections are kept).
 */
static inline void gmm_op_enter(struct gmm_opctx *c)
{
	if (!c->held)
		gmm_op_enter_slow(c);
}

/* End the operation's section, unless the batch keeps it. */
static inline void gmm_op_exit(struct gmm_opctx *c)
{
	if (!c->keep)
		gmm_op_exit_slow(c);
}

/*
 * The type of id @id of the file's heap, or NULL.  @c keeps the last
 * lookup: types live as long as the heap, so it stays valid.
 */
static inline const struct gmm_type *gmm_op_type(struct gmm_opctx *c, u32 id)
{
	if (likely(id == c->tid && c->type))
		return c->type;
	return gmm_op_type_slow(c, id);
}

/*
 * The object @p as user space sees it, inside a mutator section.  Handles
 * and temporaries only ever hold object starts of this heap (ALLOC, DUP
 * and LOAD make them), so the span lookup cannot miss.
 */
static __always_inline int gmm_uobj_of(struct gmm_opctx *c, void *p,
				       struct gmm_uobj *o)
{
	struct gmm_span *s = gmm_span_of(p);
	u32 idx;

	if (WARN_ON_ONCE(!s || s->state == GMM_SPAN_DEAD))
		return -EIO;
	o->p = p;
	o->size = s->elemsize;
	if (s->state == GMM_SPAN_LARGE) {
		o->t = s->large_type;
	} else if (s->slot_types) {
		idx = gmm_div_elemsize((unsigned long)p - s->base, s->divmagic);
		o->t = gmm_op_type(c, READ_ONCE(s->slot_types[idx]));
	} else {
		o->t = NULL;
	}
	if (o->t && !o->t->nptrs)
		o->t = NULL;
	return 0;
}

/* The object @handle names, inside a mutator section. */
static __always_inline int gmm_uobj_get(struct gmm_opctx *c, u32 handle,
					struct gmm_uobj *o)
{
	void *p = gmm_handle_obj(c->f->heap, handle);

	return p ? gmm_uobj_of(c, p, o) : -ENOENT;
}

/*
 * The object @op works on, inside a mutator section: the temporary its
 * @handle links to (its slot looked up once per batch), or its handle's.
 */
static __always_inline int gmm_op_obj(struct gmm_opctx *c,
				      const struct gmm_op *op,
				      struct gmm_uobj *o)
{
	struct gmm_links *l = c->links;
	struct gmm_tinfo *ti;
	int ret;

	if (!l || l->htemp == GMM_LINK_NONE)
		return gmm_uobj_get(c, op->handle, o);
	ti = &l->tinfo[l->htemp];
	o->p = gmm_links_temp(l, l->htemp);
	if (ti->size) {
		o->t = ti->t;
		o->size = ti->size;
		return 0;
	}
	ret = gmm_uobj_of(c, o->p, o);
	if (!ret)
		*ti = (struct gmm_tinfo){ .t = o->t, .size = o->size };
	return ret;
}

/* Whether the 8 bytes at @off of @o are one of its pointer words. */
static __always_inline bool gmm_uobj_is_ptr(const struct gmm_uobj *o, u64 off)
{
	const struct gmm_type *t = o->t;
	u32 e, w;

	/* Bounded first, so that off + 8 cannot wrap. */
	if (!t || off > GMM_UAPI_MAX_OBJECT || (off & 7) || off + 8 > o->size)
		return false;
	/* Pointer types have sizes that are multiples of 8 (type.c). */
	if (off < t->size) {
		w = (u32)off / 8;	/* the first element: the common case */
	} else {
		e = (u32)off / t->size;
		if (e >= o->size / t->size)
			return false;	/* the tail after the last element */
		w = ((u32)off - e * t->size) / 8;
	}
	return w < t->nwords && test_bit(w, t->ptrmap);
}

#endif /* _GMM_UOBJ_H */
