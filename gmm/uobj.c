// SPDX-License-Identifier: GPL-2.0
/*
 * uobj.c - objects and handles as user space sees them, for the
 * operations of ops.c, batch.c and refops.c: the object an operation
 * names (through a handle or a batch's temporary) with its slot size and
 * pointer words (the lookups every operation makes are inline, in
 * uobj.h), the mutator sections operations run in, and the file's count
 * of the handles it holds (module parameter max_handles).
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
 * Mutator sections (gmm_op_enter() and gmm_op_exit() in uobj.h come
 * here when they have something to do).  GMM_IOC_OP runs each operation
 * in a section of its own.  A batch (batch.c) keeps one section across a
 * run of operations (@c->keep): an operation then enters only when none
 * is held, and leaves it with gmm_op_leave() before it touches user
 * memory or collects; the batch passes a safepoint between operations.
 * No heap pointer is kept in a C local from one operation to the next:
 * each looks its objects up again through handles or the batch's
 * temporaries, which are roots.
 */
void gmm_op_enter_slow(struct gmm_opctx *c)
{
	gmm_mutator_enter(c->f->heap);
	c->held = c->keep;
}

void gmm_op_exit_slow(struct gmm_opctx *c)
{
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

/**
 * gmm_op_type_slow() - look up the type of id @id, and keep it in @c
 * @c: the ioctl's state
 * @id: a type id
 *
 * Return: the type, or NULL.
 */
const struct gmm_type *gmm_op_type_slow(struct gmm_opctx *c, u32 id)
{
	c->type = gmm_type_by_id(c->f->heap, id);
	c->tid = id;
	return c->type;
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

