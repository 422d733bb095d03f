// SPDX-License-Identifier: GPL-2.0
/*
 * ops.c - operations on objects for user space: types and GMM_IOC_OP (and
 * each operation of a GMM_IOC_BATCH, batch.c).
 *
 * User space names objects by handles of its file's heap and never sees a
 * kernel address.  What it may do to an object (see the comment at the top
 * of include/uapi/linux/gmm.h):
 *  - an object is its slot: the size class it was rounded up to, or whole
 *    runtime pages when large; objects from user space never share a tiny
 *    block (gmm_alloc_noscan_slot(), gmm_alloc_array_slot()), so the slot
 *    is theirs alone;
 *  - the pointer words of a typed object are its type's, repeated for
 *    every whole element that fits in the slot (as the marker scans it);
 *    they are written only by STORE (and by ALLOC with GMM_OP_INTO, with
 *    the new object), through gmm_store_ptr() and so the write barrier,
 *    with the object of a handle of the same file or NULL, and read only
 *    by LOAD, which turns them into a new handle.  READ shows them as zero
 *    bytes and WRITE leaves them alone (also with GMM_OP_IMM, whose bytes
 *    travel in the operation instead of user memory).  So every pointer
 *    word holds NULL or the start of an object of this heap, always.
 *
 * Every operation runs in its own mutator section, and user memory is
 * never touched inside one: READ and WRITE go through a kernel buffer,
 * changing the object in chunks, so a fault on a user page (or a
 * userfaultfd that never answers) cannot hold up the heap's stop-the-world.
 * A handle is looked up again in every section; a handle released by
 * another thread of the same file in between fails the operation with
 * -ENOENT.
 *
 * A call that fails leaves nothing behind.  WRITE copies its whole source
 * in before it changes the object, so a source that faults half way
 * changes nothing.  Before a command makes a handle or a type it checks
 * that the caller's struct can take the answer by writing the struct back
 * as it was read (a read-only one is -EFAULT before anything is made);
 * should the answer still not get out (another thread made the memory
 * read-only in between), a handle made for it is released again.
 */
#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <linux/gmm.h>
#include "batchlink.h"
#include "dev.h"
#include "heap.h"
#include "internal.h"
#include "malloc.h"
#include "ops.h"
#include "step.h"
#include "uobj.h"

/*
 * READ and WRITE touch the object in chunks of at most this size, each in
 * a mutator section of its own; READ copies out through a bounce buffer of
 * this size.
 */
#define GMM_OPS_BOUNCE		(16U << 10)
/* The flags of struct gmm_op about links (batches only), and all of them. */
#define GMM_OP_LINK_FLAGS	(GMM_OP_HANDLE_LINK | GMM_OP_ARG_LINK | \
				 GMM_OP_TEMP)
#define GMM_OP_FLAGS		(GMM_OP_LINK_FLAGS | GMM_OP_IMM | GMM_OP_INTO)
/* Most bytes a READ or WRITE with GMM_OP_IMM moves: a u64 field. */
#define GMM_OP_IMM_MAX		8U

/* Fields an operation uses; the others must be zero. */
#define GMM_F_HANDLE		BIT(0)
#define GMM_F_ARG		BIT(1)
#define GMM_F_OFFSET		BIT(2)
#define GMM_F_LEN		BIT(3)
#define GMM_F_BUF		BIT(4)

static const u8 gmm_op_fields[GMM_OP_MAX + 1] = {
	[GMM_OP_NOP]		= 0,
	[GMM_OP_ALLOC]		= GMM_F_ARG | GMM_F_LEN,
	[GMM_OP_RELEASE]	= GMM_F_HANDLE,
	[GMM_OP_DUP]		= GMM_F_HANDLE,
	[GMM_OP_STORE]		= GMM_F_HANDLE | GMM_F_OFFSET | GMM_F_ARG,
	[GMM_OP_LOAD]		= GMM_F_HANDLE | GMM_F_OFFSET,
	[GMM_OP_READ]		= GMM_F_HANDLE | GMM_F_OFFSET | GMM_F_LEN |
				  GMM_F_BUF,
	[GMM_OP_WRITE]		= GMM_F_HANDLE | GMM_F_OFFSET | GMM_F_LEN |
				  GMM_F_BUF,
	[GMM_OP_INFO]		= GMM_F_HANDLE,
	[GMM_OP_GC]		= 0,
	[GMM_OP_WEAK]		= GMM_F_HANDLE,
	[GMM_OP_WEAK_LOAD]	= GMM_F_ARG,
	[GMM_OP_WEAK_RELEASE]	= GMM_F_ARG,
	[GMM_OP_CLEANUP]	= GMM_F_HANDLE | GMM_F_OFFSET,
	[GMM_OP_CLEANUP_CANCEL]	= GMM_F_ARG,
};

/*
 * One attempt at ALLOC, in a section: 0 with the handle in op->result (a
 * temporary: 1, the object kept by the batch); -EAGAIN when no object
 * could be had (the handle stays reserved); or an error with nothing
 * allocated and the reservation dropped: GMM_OP_INTO's pointer word is
 * not there, or gmm_handle_make() failed (the object is garbage then).
 * With GMM_OP_IMM the object's first word (unless it is a pointer word)
 * is @buf; with GMM_OP_INTO the object is stored into that word in the
 * section it is made in, once nothing can fail any more.
 */
static int gmm_op_alloc_try(struct gmm_opctx *c, const struct gmm_type *t,
			    struct gmm_op *op)
{
	bool temp = op->flags & GMM_OP_TEMP;
	struct gmm_heap *h = c->f->heap;
	struct gmm_uobj o = { };
	void *p;
	int ret;

	gmm_op_enter(c);
	if (op->flags & GMM_OP_INTO) {
		ret = gmm_op_obj(c, op, &o);
		if (!ret && !gmm_uobj_is_ptr(&o, op->offset))
			ret = -EINVAL;
		if (ret) {
			if (!temp)
				atomic_long_dec(&c->f->nr_handles);
			goto out;
		}
	}
	if (t)
		p = gmm_alloc_array_slot(h, t, op->len);
	else
		p = gmm_alloc_noscan_slot(h, op->len);
	if (p && (op->flags & GMM_OP_IMM) &&
	    !(t && t->nptrs && test_bit(0, t->ptrmap)))
		memcpy(p, &op->buf, sizeof(op->buf));	/* its first word */
	if (!p) {
		ret = -EAGAIN;
	} else if (temp) {
		gmm_links_keep(c->links, p, t && t->nptrs ? t : NULL,
			       t ? gmm_alloc_array_slot_size(t, op->len) : 0);
		op->result = 1;
		ret = 0;
	} else {
		ret = gmm_handle_make(c->f, p, &op->result);
	}
	/* o.p is held by a handle or a temporary, and objects never move. */
	if (!ret && o.p)
		gmm_store_ptr(h, o.p + op->offset, p);
out:
	gmm_op_exit(c);
	return ret;
}

/*
 * ALLOC: like Go under a memory limit, a heap out of memory (its limit,
 * the module's, or its memory cgroup's) collects once before the
 * allocation fails with -ENOMEM.
 */
static int gmm_op_alloc(struct gmm_opctx *c, struct gmm_op *op)
{
	struct gmm_heap *h = c->f->heap;
	bool temp = op->flags & GMM_OP_TEMP;
	const struct gmm_type *t = NULL;
	size_t bytes;
	int ret;

	if (!op->len || op->len > GMM_UAPI_MAX_OBJECT)
		return -EINVAL;
	if (op->arg) {
		t = gmm_op_type(c, op->arg);
		if (!t)
			return -EINVAL;
		if (check_mul_overflow((size_t)op->len, (size_t)t->size,
				       &bytes) || bytes > GMM_UAPI_MAX_OBJECT)
			return -EINVAL;
	}
	ret = temp ? 0 : gmm_handle_reserve(c->f);
	if (ret)
		return ret;
	ret = gmm_op_alloc_try(c, t, op);
	/* Out of memory: collect, retry (not while a stepped cycle waits). */
	if (ret == -EAGAIN && !gmm_step_active(h)) {
		gmm_op_leave(c);
		if (!gmm_gc(h))
			ret = gmm_op_alloc_try(c, t, op);
	}
	if (ret == -EAGAIN) {
		if (!temp)
			atomic_long_dec(&c->f->nr_handles);
		ret = -ENOMEM;
	}
	return ret;
}

static int gmm_op_release(struct gmm_opctx *c, struct gmm_op *op)
{
	int ret;

	gmm_op_enter(c);
	ret = gmm_handle_put(c->f->heap, op->handle);
	gmm_op_exit(c);
	if (!ret)
		atomic_long_dec(&c->f->nr_handles);
	return ret;
}

/**
 * gmm_op_undo() - take back the handle a successful operation made
 * @f: the file
 * @op: the operation (ALLOC, DUP, LOAD of a non-NULL word)
 *
 * For when its number could not be written back to user space.  Another
 * thread may have released the number meanwhile: then there is nothing
 * left to take back.
 */
void gmm_op_undo(struct gmm_file *f, const struct gmm_op *op)
{
	if (op->op >= GMM_OP_WEAK) {
		gmm_refop_undo(f, op);
		return;
	}
	if ((op->op != GMM_OP_ALLOC && op->op != GMM_OP_DUP &&
	     op->op != GMM_OP_LOAD) || op->flags & GMM_OP_TEMP)
		return;
	if (op->result)
		gmm_handle_release(f, (u32)op->result);
}

/*
 * Hand @p, which DUP or LOAD found, to user space: a temporary of the
 * batch (@o: what is known of it, or NULL), or a new handle (reserved
 * already when *@reserved).
 */
static int gmm_op_give(struct gmm_opctx *c, struct gmm_op *op, void *p,
		       const struct gmm_uobj *o, bool *reserved)
{
	int ret;

	if (op->flags & GMM_OP_TEMP) {
		gmm_links_keep(c->links, p, o ? o->t : NULL, o ? o->size : 0);
		op->result = 1;
		return 0;
	}
	if (!*reserved) {
		ret = gmm_handle_reserve(c->f);
		if (ret)
			return ret;
	}
	/* Keeps the reservation, or gives it back on failure. */
	*reserved = false;
	return gmm_handle_make(c->f, p, &op->result);
}

/*
 * LOAD with GMM_OP_IMM (and GMM_OP_TEMP): the object loaded becomes a
 * temporary and its first @len bytes (pointer words as 0) the result; a
 * NULL word is -ENOENT, with nothing produced.
 */
static int gmm_op_peek(struct gmm_opctx *c, struct gmm_op *op, void *target)
{
	struct gmm_uobj o;
	int ret;

	if (!target)
		return -ENOENT;
	ret = gmm_uobj_of(c, target, &o);
	if (ret)
		return ret;
	gmm_links_keep(c->links, target, o.t, o.size);
	if (gmm_uobj_is_ptr(&o, 0))
		return 0;
	if (op->len == sizeof(u64))
		op->result = READ_ONCE(*(u64 *)target);
	else
		memcpy(&op->result, target, op->len);
	return 0;
}

/* DUP, LOAD and INFO: look at an object, maybe make a handle. */
static int gmm_op_look(struct gmm_opctx *c, struct gmm_op *op)
{
	bool reserved = op->op == GMM_OP_DUP && !(op->flags & GMM_OP_TEMP);
	struct gmm_uobj o;
	void *target;
	int ret;

	if (reserved) {
		ret = gmm_handle_reserve(c->f);
		if (ret)
			return ret;
	}
	gmm_op_enter(c);
	ret = gmm_op_obj(c, op, &o);
	if (ret)
		goto out;
	switch (op->op) {
	case GMM_OP_INFO:
		op->result = (u64)(o.t ? o.t->id : 0) << 32 | o.size;
		break;
	case GMM_OP_DUP:
		ret = gmm_op_give(c, op, o.p, &o, &reserved);
		break;
	default:	/* GMM_OP_LOAD */
		if (!gmm_uobj_is_ptr(&o, op->offset)) {
			ret = -EINVAL;
			break;
		}
		target = READ_ONCE(*(void **)(o.p + op->offset));
		if (op->flags & GMM_OP_IMM)
			ret = gmm_op_peek(c, op, target);
		else if (target)	/* NULL: result 0, no handle needed */
			ret = gmm_op_give(c, op, target, NULL, &reserved);
		break;
	}
out:
	gmm_op_exit(c);
	if (reserved)
		atomic_long_dec(&c->f->nr_handles);
	return ret;
}

static int gmm_op_store(struct gmm_opctx *c, struct gmm_op *op)
{
	struct gmm_heap *h = c->f->heap;
	struct gmm_uobj o;
	void *target = NULL;
	int ret;

	gmm_op_enter(c);
	ret = gmm_op_obj(c, op, &o);
	if (ret)
		goto out;
	if (!gmm_uobj_is_ptr(&o, op->offset)) {
		ret = -EINVAL;
		goto out;
	}
	if (c->links && c->links->atemp != GMM_LINK_NONE) {
		target = gmm_links_temp(c->links, c->links->atemp);
	} else if (op->arg) {
		target = gmm_handle_obj(h, op->arg);
		if (!target) {
			ret = -ENOENT;
			goto out;
		}
	}
	gmm_store_ptr(h, o.p + op->offset, target);
out:
	gmm_op_exit(c);
	return ret;
}

/* READ and WRITE: length and offset, bounded before any arithmetic. */
static bool gmm_op_rw_ok(const struct gmm_op *op)
{
	return op->len && op->len <= GMM_UAPI_MAX_OBJECT &&
	       op->offset <= GMM_UAPI_MAX_OBJECT;
}

/* A kernel buffer of @len bytes, at most GMM_OPS_BOUNCE, kept in @c. */
static u8 *gmm_op_bounce(struct gmm_opctx *c, u64 len)
{
	if (len <= GMM_OPS_SMALL)
		return c->small;
	if (!c->bounce)
		c->bounce = kmalloc(GMM_OPS_BOUNCE, GFP_KERNEL_ACCOUNT);
	return c->bounce;
}

/*
 * Copy [@done, @done + @n) of the range @op names between @buf and the
 * object, in one mutator section.  @op's offset and length are bounded
 * (gmm_op_rw_ok()), so their sum does not wrap.
 */
static int gmm_op_chunk(struct gmm_opctx *c, const struct gmm_op *op,
			u64 done, u64 n, u8 *buf, bool write)
{
	struct gmm_uobj o;
	int ret;

	gmm_op_enter(c);
	ret = gmm_op_obj(c, op, &o);
	if (!ret && op->offset + op->len > o.size)
		ret = -EINVAL;
	if (!ret)
		gmm_uobj_copy(&o, op->offset + done, n, buf, write);
	gmm_op_exit(c);
	return ret;
}

/*
 * Copy to and from user space; one word (a number in a node, the common
 * case) without the object-size checks of copy_to_user().  Return: bytes
 * not copied.
 */
static unsigned long gmm_op_copy_out(void __user *to, const u8 *from, u64 n)
{
	u64 v;

	if (n != sizeof(v))
		return copy_to_user(to, from, n);
	memcpy(&v, from, sizeof(v));
	return put_user(v, (u64 __user *)to) ? n : 0;
}

static unsigned long gmm_op_copy_in(u8 *to, const void __user *from, u64 n)
{
	u64 v;

	if (n != sizeof(v))
		return copy_from_user(to, from, n);
	if (get_user(v, (const u64 __user *)from))
		return n;
	memcpy(to, &v, sizeof(v));
	return 0;
}

/*
 * READ and WRITE with GMM_OP_IMM: @len bytes to @result or from @buf, in
 * the operation itself, so the section a batch keeps is not left.  A
 * WRITE's bytes of @buf after the first @len must be zero.
 */
static int gmm_op_imm(struct gmm_opctx *c, struct gmm_op *op, bool write)
{
	u8 src[sizeof(op->buf)];
	struct gmm_uobj o;
	u64 *word;
	int ret;

	if (op->len > GMM_OP_IMM_MAX)
		return -EINVAL;
	memcpy(src, &op->buf, sizeof(src));
	if (write && memchr_inv(src + op->len, 0, sizeof(src) - op->len))
		return -EINVAL;
	gmm_op_enter(c);
	ret = gmm_op_obj(c, op, &o);
	if (!ret && op->offset + op->len > o.size)
		ret = -EINVAL;
	if (ret)
		goto out;
	if (op->len != sizeof(u64) || op->offset & 7) {
		gmm_uobj_copy(&o, op->offset, op->len,
			      write ? src : (u8 *)&op->result, write);
	} else if (!gmm_uobj_is_ptr(&o, op->offset)) {
		/* A whole word, the common case: no copy routine. */
		word = o.p + op->offset;
		if (write)
			WRITE_ONCE(*word, op->buf);
		else
			op->result = READ_ONCE(*word);
	}
out:
	gmm_op_exit(c);
	return ret;
}

/* READ, in chunks through a kernel buffer. */
static int gmm_op_read(struct gmm_opctx *c, struct gmm_op *op)
{
	void __user *ubuf = u64_to_user_ptr(op->buf);
	u64 done, n;
	u8 *buf;
	int ret;

	if (!gmm_op_rw_ok(op))
		return -EINVAL;
	if (op->flags & GMM_OP_IMM)
		return gmm_op_imm(c, op, false);
	buf = gmm_op_bounce(c, op->len);
	if (!buf)
		return -ENOMEM;
	for (done = 0; done < op->len; done += n) {
		n = min_t(u64, op->len - done, GMM_OPS_BOUNCE);
		if (done)
			cond_resched();
		ret = gmm_op_chunk(c, op, done, n, buf, false);
		if (ret)
			return ret;
		gmm_op_leave(c);	/* no user memory inside a section */
		if (gmm_op_copy_out(ubuf + done, buf, n))
			return -EFAULT;
	}
	return 0;
}

/*
 * WRITE: the whole source is copied in first (at most GMM_UAPI_MAX_OBJECT
 * bytes, outside any section), so a source that faults anywhere is -EFAULT
 * with the object unchanged; then the object is changed in chunks.
 */
static int gmm_op_write(struct gmm_opctx *c, struct gmm_op *op)
{
	u64 done, n;
	u8 *src;
	int ret;

	if (!gmm_op_rw_ok(op))
		return -EINVAL;
	if (op->flags & GMM_OP_IMM)
		return gmm_op_imm(c, op, true);
	if (op->len <= GMM_OPS_BOUNCE)
		src = gmm_op_bounce(c, op->len);
	else
		src = kvmalloc(op->len, GFP_KERNEL_ACCOUNT);
	if (!src)
		return -ENOMEM;
	ret = 0;
	gmm_op_leave(c);	/* no user memory inside a section */
	if (gmm_op_copy_in(src, u64_to_user_ptr(op->buf), op->len))
		ret = -EFAULT;
	for (done = 0; !ret && done < op->len; done += n) {
		n = min_t(u64, op->len - done, GMM_OPS_BOUNCE);
		if (done)
			cond_resched();
		ret = gmm_op_chunk(c, op, done, n, src + done, true);
	}
	if (op->len > GMM_OPS_BOUNCE)
		kvfree(src);
	return ret;
}

static int gmm_op_gc(struct gmm_opctx *c, struct gmm_op *op)
{
	struct gmm_heap *h = c->f->heap;
	int ret;

	if (gmm_step_active(h))	/* it would wait for steps (step.c) */
		return -EBUSY;
	gmm_op_leave(c);
	ret = gmm_gc(h);
	if (ret)
		return ret;
	op->result = READ_ONCE(h->gc.num_gc);
	return 0;
}

/* The GMM_F_* fields of @op that are not zero, without a branch each. */
static u8 gmm_op_set_fields(const struct gmm_op *op)
{
	return (!!op->handle * GMM_F_HANDLE) | (!!op->arg * GMM_F_ARG) |
	       (!!op->offset * GMM_F_OFFSET) | (!!op->len * GMM_F_LEN) |
	       (!!op->buf * GMM_F_BUF);
}

/*
 * The fields an operation with GMM_OP_IMM or GMM_OP_INTO uses, in *@used;
 * -EINVAL for such a flag on an operation that cannot take it.
 */
static int gmm_op_flag_fields(const struct gmm_op *op, u8 *used)
{
	if (op->flags & GMM_OP_IMM) {
		if (op->op == GMM_OP_ALLOC) {
			*used |= GMM_F_BUF;	/* the first word */
		} else if (op->op == GMM_OP_LOAD) {
			/* the first bytes of a temporary, in @result */
			if (!(op->flags & GMM_OP_TEMP) || !op->len ||
			    op->len > GMM_OP_IMM_MAX)
				return -EINVAL;
			*used |= GMM_F_LEN;
		} else if (op->op == GMM_OP_READ) {
			*used &= ~GMM_F_BUF;	/* the bytes go to @result */
		} else if (op->op != GMM_OP_WRITE) {
			return -EINVAL;
		}
	}
	if (op->flags & GMM_OP_INTO) {
		if (op->op != GMM_OP_ALLOC)
			return -EINVAL;
		*used |= GMM_F_HANDLE | GMM_F_OFFSET;
	}
	return 0;
}

/**
 * gmm_op_run() - validate and run one operation
 * @c: the ioctl's state
 * @op: the operation; op->result gets its output
 * @self: its index in the batch (0 for GMM_IOC_OP)
 *
 * Links are checked and resolved (batchlink.c) before the operation does
 * anything.  Outside any mutator section; may sleep.
 *
 * Return: 0 or the operation's errno.
 */
int gmm_op_run(struct gmm_opctx *c, struct gmm_op *op, u32 self)
{
	u8 used;
	int ret;

	if (op->op > GMM_OP_MAX || (op->flags & ~GMM_OP_FLAGS) ||
	    (op->flags & GMM_OP_LINK_FLAGS && !c->links))
		return -EINVAL;
	used = gmm_op_fields[op->op];
	if (op->flags & (GMM_OP_IMM | GMM_OP_INTO)) {
		ret = gmm_op_flag_fields(op, &used);
		if (ret)
			return ret;
	}
	if (gmm_op_set_fields(op) & ~used)
		return -EINVAL;
	op->result = 0;
	if (c->links) {
		ret = gmm_links_resolve(c->links, self, op,
					used & GMM_F_HANDLE);
		if (ret)
			return ret;
	}

	switch (op->op) {
	case GMM_OP_NOP:
		return 0;
	case GMM_OP_ALLOC:
		return gmm_op_alloc(c, op);
	case GMM_OP_RELEASE:
		return gmm_op_release(c, op);
	case GMM_OP_DUP:
	case GMM_OP_LOAD:
	case GMM_OP_INFO:
		return gmm_op_look(c, op);
	case GMM_OP_STORE:
		return gmm_op_store(c, op);
	case GMM_OP_READ:
		return gmm_op_read(c, op);
	case GMM_OP_WRITE:
		return gmm_op_write(c, op);
	case GMM_OP_GC:
		return gmm_op_gc(c, op);
	default:
		return gmm_refop_run(c, op);
	}
}

/**
 * gmm_ioctl_op() - GMM_IOC_OP: run one operation
 * @f: the file
 * @cmd: the command (its size field is the caller's struct size)
 * @arg: user pointer to struct gmm_op
 *
 * The struct is written back unchanged before the operation runs, so a
 * read-only one fails with -EFAULT before anything happens; a handle made
 * whose number then cannot be copied back after all is released again.
 *
 * Return: 0 with the result copied back, or the operation's errno.
 */
long gmm_ioctl_op(struct gmm_file *f, unsigned int cmd, unsigned long arg)
{
	struct gmm_opctx *c;
	struct gmm_op op;
	long ret;

	ret = gmm_copy_arg_in(&op, sizeof(op), GMM_OP_SIZE_VER0, cmd, arg);
	if (ret)
		return ret;
	ret = gmm_copy_arg_out(arg, cmd, &op, sizeof(op));
	if (ret)
		return ret;
	/* No batch: the operations' chunk is neither zeroed nor used. */
	c = kmalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	gmm_opctx_init(c, f);
	ret = gmm_op_run(c, &op, 0);
	kfree(c->bounce);
	kfree(c);
	if (ret)
		return ret;
	ret = gmm_copy_arg_out(arg, cmd, &op, sizeof(op));
	if (ret)
		gmm_op_undo(f, &op);
	return ret;
}

/**
 * gmm_ioctl_type_create() - GMM_IOC_TYPE_CREATE: register a type
 * @f: the file
 * @cmd: the command
 * @arg: user pointer to struct gmm_type_create
 *
 * A struct that cannot be written back is -EFAULT before the type is
 * registered.  Only if it stops being writable while the type is being
 * registered (another thread's mprotect() or munmap()) does the call fail
 * with the type registered: types cannot be unregistered.
 *
 * Return: 0 with the id copied back; -EINVAL for bad fields or offsets,
 * -EFAULT, -ENOMEM, -ENOSPC when the heap has 65535 types.
 */
long gmm_ioctl_type_create(struct gmm_file *f, unsigned int cmd,
			   unsigned long arg)
{
	const struct gmm_type *t;
	struct gmm_type_create tc;
	unsigned long *map = NULL;
	u32 *offs = NULL, i, nwords;
	long ret;

	ret = gmm_copy_arg_in(&tc, sizeof(tc), sizeof(tc), cmd, arg);
	if (ret)
		return ret;
	if (tc.flags || tc.reserved)
		return -EINVAL;
	if (!tc.size || tc.size > GMM_UAPI_MAX_OBJECT)
		return -EINVAL;
	if (tc.align && (!is_power_of_2(tc.align) || tc.align > GMM_PAGE_SIZE))
		return -EINVAL;
	if (strnlen(tc.name, sizeof(tc.name)) == sizeof(tc.name))
		return -EINVAL;
	nwords = tc.size / 8;
	if (tc.nr_ptrs > nwords || !tc.nr_ptrs != !tc.ptr_offsets)
		return -EINVAL;

	if (tc.nr_ptrs) {
		offs = kvmalloc_array(tc.nr_ptrs, sizeof(*offs),
				      GFP_KERNEL_ACCOUNT);
		map = kvcalloc(BITS_TO_LONGS(nwords), sizeof(*map),
			       GFP_KERNEL_ACCOUNT);
		ret = -ENOMEM;
		if (!offs || !map)
			goto out;
		ret = -EFAULT;
		if (copy_from_user(offs, u64_to_user_ptr(tc.ptr_offsets),
				   (size_t)tc.nr_ptrs * sizeof(*offs)))
			goto out;
		ret = -EINVAL;
		for (i = 0; i < tc.nr_ptrs; i++) {
			if ((offs[i] & 7) || offs[i] / 8 >= nwords ||
			    __test_and_set_bit(offs[i] / 8, map))
				goto out;
		}
	}
	/*
	 * Types cannot be unregistered: make sure the id can be copied back
	 * before registering, by writing the struct back as it was read.
	 */
	ret = gmm_copy_arg_out(arg, cmd, &tc, sizeof(tc));
	if (ret)
		goto out;
	t = gmm_type_register(f->heap, tc.name, tc.size, tc.align, map);
	ret = PTR_ERR_OR_ZERO(t);
	if (ret)
		goto out;
	tc.id = t->id;
	ret = gmm_copy_arg_out(arg, cmd, &tc, sizeof(tc));
out:
	kvfree(map);
	kvfree(offs);
	return ret;
}
