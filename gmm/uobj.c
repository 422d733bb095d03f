// SPDX-License-Identifier: GPL-2.0
/*
 * uobj.c - objects and handles as user space sees them, for the
 * operations of ops.c, batch.c and refops.c: the object an operation
 * names (through a handle or a batch's temporary) with its slot size and
 * pointer words, the mutator sections operations run in, and the file's
 * count of the handles it holds (module parameter max_handles).
 */
#include <linux/bitmap.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>

#include <linux/gmm.h>
#include "batchlink.h"
#include "dev.h"
#include "heap.h"
#include "ops.h"
#include "uobj.h"

/* max_handles 0 means this, as 0 means a default for the MiB limits. */
#define GMM_MAX_HANDLES_DEFAULT	1048576UL	/* 2^20 */

static unsigned long max_handles = GMM_MAX_HANDLES_DEFAULT;
module_param(max_handles, ulong, 0644);
MODULE_PARM_DESC(max_handles,
		 "most handles one open file of /dev/gmm may hold (0 = default, 1048576)");

/*
 * Mutator sections.  GMM_IOC_OP runs each operation in a section of its
 * own.  A batch (batch.c) keeps one section across a run of operations
 * (@c->keep): an operation then enters only when none is held, and leaves
 * it with gmm_op_leave() before it touches user memory or collects; the
 * batch passes a safepoint between operations.  No heap pointer is kept
 * in a C local from one operation to the next: each looks its objects up
 * again through handles or the batch's temporaries, which are roots.
 */
void gmm_op_enter(struct gmm_opctx *c)
{
	if (c->held)
		return;
	gmm_mutator_enter(c->f->heap);
	c->held = c->keep;
}

void gmm_op_exit(struct gmm_opctx *c)
{
	if (!c->keep)
		gmm_mutator_exit(c->f->heap);
}

/**
 * gmm_op_leave() - end the section a batch keeps, if one is held
 * @c: the ioctl's state
 */
void gmm_op_leave(struct gmm_opctx *c)
{
	if (c->held) {
		gmm_mutator_exit(c->f->heap);
		c->held = false;
	}
}

/*
 * The object @p as user space sees it, inside a mutator section.  Handles
 * and temporaries only ever hold object starts of this heap (ALLOC, DUP
 * and LOAD make them), so the span lookup cannot miss.
 */
static int gmm_uobj_of(struct gmm_opctx *c, void *p, struct gmm_uobj *o)
{
	struct gmm_span *s = gmm_span_of(p);
	u32 id;

	if (WARN_ON_ONCE(!s || s->state == GMM_SPAN_DEAD))
		return -EIO;
	o->p = p;
	o->size = s->elemsize;
	if (s->state == GMM_SPAN_LARGE) {
		o->t = s->large_type;
	} else if (s->slot_types) {
		u32 idx = gmm_div_elemsize((unsigned long)p - s->base,
					   s->divmagic);

		/* Types live as long as the heap: keep the last lookup. */
		id = READ_ONCE(s->slot_types[idx]);
		if (id != c->tid) {
			c->type = gmm_type_by_id(c->f->heap, id);
			c->tid = id;
		}
		o->t = c->type;
	} else {
		o->t = NULL;
	}
	if (o->t && !o->t->nptrs)
		o->t = NULL;
	return 0;
}

/* The object @handle names, inside a mutator section. */
int gmm_uobj_get(struct gmm_opctx *c, u32 handle, struct gmm_uobj *o)
{
	void *p = gmm_handle_obj(c->f->heap, handle);

	return p ? gmm_uobj_of(c, p, o) : -ENOENT;
}

/*
 * The object @op works on, inside a mutator section: the temporary its
 * @handle links to, or its handle's.
 */
int gmm_op_obj(struct gmm_opctx *c, const struct gmm_op *op,
	       struct gmm_uobj *o)
{
	void *p = c->links ? gmm_links_temp(c->links, c->links->htemp) : NULL;

	if (p)
		return gmm_uobj_of(c, p, o);
	return gmm_uobj_get(c, op->handle, o);
}

/* Whether the 8 bytes at @off of @o are one of its pointer words. */
bool gmm_uobj_is_ptr(const struct gmm_uobj *o, u64 off)
{
	const struct gmm_type *t = o->t;
	u32 e, w;

	/* Bounded first, so that off + 8 cannot wrap. */
	if (!t || off > GMM_UAPI_MAX_OBJECT || (off & 7) || off + 8 > o->size)
		return false;
	/* Pointer types have sizes that are multiples of 8 (type.c). */
	e = (u32)off / t->size;
	if (e >= o->size / t->size)
		return false;		/* the tail after the last element */
	w = ((u32)off - e * t->size) / 8;
	return w < t->nwords && test_bit(w, t->ptrmap);
}

/*
 * Copy the bytes of [@off, @off + @len) of @o that are not in pointer
 * words: from @buf into the object (@write) or into @buf, where pointer
 * words read as zero.
 */
void gmm_uobj_copy(const struct gmm_uobj *o, u64 off, u64 len, u8 *buf,
		   bool write)
{
	u64 end = off + len, run = off, w;

	if (!o->t) {
		if (write)
			memcpy(o->p + off, buf, len);
		else
			memcpy(buf, o->p + off, len);
		return;
	}
	/* Walk the words the range touches; copy runs between pointers. */
	for (w = round_down(off, 8); w < end; w += 8) {
		u64 a, b;

		if (!gmm_uobj_is_ptr(o, w))
			continue;
		a = max(w, off);
		b = min(w + 8, end);
		if (a > run) {
			if (write)
				memcpy(o->p + run, buf + (run - off), a - run);
			else
				memcpy(buf + (run - off), o->p + run, a - run);
		}
		if (!write)
			memset(buf + (a - off), 0, b - a);
		run = b;
	}
	if (end > run) {
		if (write)
			memcpy(o->p + run, buf + (run - off), end - run);
		else
			memcpy(buf + (run - off), o->p + run, end - run);
	}
}

/**
 * gmm_handles_max() - the most handles (and, apart, weak handles and
 * cleanups) one file may hold: module parameter max_handles
 *
 * Return: the limit in force.
 */
long gmm_handles_max(void)
{
	unsigned long max = READ_ONCE(max_handles) ?: GMM_MAX_HANDLES_DEFAULT;

	return min_t(unsigned long, max, LONG_MAX);
}

/* Reserve room for one more handle of the file. */
int gmm_handle_reserve(struct gmm_file *f)
{
	if (atomic_long_inc_return(&f->nr_handles) > gmm_handles_max()) {
		atomic_long_dec(&f->nr_handles);
		return -ENOSPC;
	}
	return 0;
}

/* A new handle for @p (a reserved one); undoes the reservation on error. */
int gmm_handle_make(struct gmm_file *f, void *p, u64 *result)
{
	u32 handle;
	int ret;

	ret = gmm_handle_get(f->heap, p, &handle);
	if (ret) {
		atomic_long_dec(&f->nr_handles);
		return ret;
	}
	*result = handle;
	return 0;
}

/* Release one of the file's handles. */
int gmm_handle_release(struct gmm_file *f, u32 handle)
{
	struct gmm_heap *h = f->heap;
	int ret;

	gmm_mutator_enter(h);
	ret = gmm_handle_put(h, handle);
	gmm_mutator_exit(h);
	if (!ret)
		atomic_long_dec(&f->nr_handles);
	return ret;
}

