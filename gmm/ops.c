// SPDX-License-Identifier: GPL-2.0
/*
 * ops.c - operations on objects for user space: types, GMM_IOC_OP and
 * GMM_IOC_BATCH.
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
 *    they are written only by STORE, through gmm_store_ptr() and so the
 *    write barrier, with the object of a handle of the same file or NULL,
 *    and read only by LOAD, which turns them into a new handle.  READ shows
 *    them as zero bytes and WRITE leaves them alone.  So every pointer word
 *    holds NULL or the start of an object of this heap, always.
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
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <linux/gmm.h>
#include "dev.h"
#include "heap.h"
#include "internal.h"
#include "malloc.h"
#include "ops.h"

/* max_handles 0 means this, as 0 means a default for the MiB limits. */
#define GMM_MAX_HANDLES_DEFAULT	1048576UL	/* 2^20 */

static unsigned long max_handles = GMM_MAX_HANDLES_DEFAULT;
module_param(max_handles, ulong, 0644);
MODULE_PARM_DESC(max_handles,
		 "most handles one open file of /dev/gmm may hold (0 = default, 1048576)");

/*
 * READ and WRITE touch the object in chunks of at most this size, each in
 * a mutator section of its own; READ copies out through a bounce buffer of
 * this size.
 */
#define GMM_OPS_BOUNCE		(16U << 10)
/* Accesses up to this size use the buffer on the stack. */
#define GMM_OPS_SMALL		128U
/* The first published size of struct gmm_op. */
#define GMM_OP_SIZE_VER0	48U

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
};

/* State of one ioctl that runs operations. */
struct gmm_opctx {
	struct gmm_file *f;
	void *bounce;			/* GMM_OPS_BOUNCE bytes, lazily */
	u8 small[GMM_OPS_SMALL];
};

/* An object as user space sees it. */
struct gmm_uobj {
	void *p;
	const struct gmm_type *t;	/* NULL: no pointer words */
	u32 size;			/* slot bytes */
};

/*
 * The object @handle names, inside a mutator section.  Handles only ever
 * hold object starts of this heap (ALLOC, DUP and LOAD make them), so the
 * span lookup cannot miss.
 */
static int gmm_uobj_get(struct gmm_heap *h, u32 handle, struct gmm_uobj *o)
{
	struct gmm_span *s;
	void *p;

	p = gmm_handle_obj(h, handle);
	if (!p)
		return -ENOENT;
	s = gmm_span_of(p);
	if (WARN_ON_ONCE(!s || s->state == GMM_SPAN_DEAD))
		return -EIO;
	o->p = p;
	o->size = s->elemsize;
	if (s->state == GMM_SPAN_LARGE) {
		o->t = s->large_type;
	} else if (s->slot_types) {
		u32 idx = gmm_div_elemsize((unsigned long)p - s->base,
					   s->divmagic);

		o->t = gmm_type_by_id(h, READ_ONCE(s->slot_types[idx]));
	} else {
		o->t = NULL;
	}
	if (o->t && !o->t->nptrs)
		o->t = NULL;
	return 0;
}

/* Whether the 8 bytes at @off of @o are one of its pointer words. */
static bool gmm_uobj_is_ptr(const struct gmm_uobj *o, u64 off)
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
static void gmm_uobj_copy(const struct gmm_uobj *o, u64 off, u64 len,
			  u8 *buf, bool write)
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

/* Reserve room for one more handle of the file. */
static int gmm_handle_reserve(struct gmm_file *f)
{
	unsigned long max = READ_ONCE(max_handles) ?: GMM_MAX_HANDLES_DEFAULT;

	if (atomic_long_inc_return(&f->nr_handles) >
	    (long)min_t(unsigned long, max, LONG_MAX)) {
		atomic_long_dec(&f->nr_handles);
		return -ENOSPC;
	}
	return 0;
}

/* A new handle for @p (a reserved one); undoes the reservation on error. */
static int gmm_handle_make(struct gmm_file *f, void *p, u64 *result)
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

/*
 * One attempt at ALLOC, in a section: 0 with the handle in op->result;
 * -EAGAIN when no object could be had (the handle stays reserved); or
 * gmm_handle_make()'s error, which drops the reservation (the object is
 * garbage then).
 */
static int gmm_op_alloc_try(struct gmm_opctx *c, const struct gmm_type *t,
			    struct gmm_op *op)
{
	struct gmm_heap *h = c->f->heap;
	void *p;
	int ret;

	gmm_mutator_enter(h);
	if (t)
		p = gmm_alloc_array_slot(h, t, op->len);
	else
		p = gmm_alloc_noscan_slot(h, op->len);
	ret = p ? gmm_handle_make(c->f, p, &op->result) : -EAGAIN;
	gmm_mutator_exit(h);
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
	const struct gmm_type *t = NULL;
	size_t bytes;
	int ret;

	if (!op->len || op->len > GMM_UAPI_MAX_OBJECT)
		return -EINVAL;
	if (op->arg) {
		t = gmm_type_by_id(h, op->arg);
		if (!t)
			return -EINVAL;
		if (check_mul_overflow((size_t)op->len, (size_t)t->size,
				       &bytes) || bytes > GMM_UAPI_MAX_OBJECT)
			return -EINVAL;
	}
	ret = gmm_handle_reserve(c->f);
	if (ret)
		return ret;
	ret = gmm_op_alloc_try(c, t, op);
	/* Out of memory: collect, retry (not while a stepped cycle waits). */
	if (ret == -EAGAIN && !gmm_step_active(h) && !gmm_gc(h))
		ret = gmm_op_alloc_try(c, t, op);
	if (ret == -EAGAIN) {
		atomic_long_dec(&c->f->nr_handles);
		ret = -ENOMEM;
	}
	return ret;
}

/* Release one of the file's handles. */
static int gmm_handle_release(struct gmm_file *f, u32 handle)
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

static int gmm_op_release(struct gmm_opctx *c, struct gmm_op *op)
{
	return gmm_handle_release(c->f, op->handle);
}

/*
 * Take back the handle a successful @op made (ALLOC, DUP, LOAD of a
 * non-NULL word) when its number could not be written back to user space.
 * Another thread may have released the number meanwhile: then there is
 * nothing left to take back.
 */
static void gmm_op_undo(struct gmm_file *f, const struct gmm_op *op)
{
	if (op->op != GMM_OP_ALLOC && op->op != GMM_OP_DUP &&
	    op->op != GMM_OP_LOAD)
		return;
	if (op->result)
		gmm_handle_release(f, (u32)op->result);
}

/* DUP, LOAD and INFO: look at an object, maybe make a handle. */
static int gmm_op_look(struct gmm_opctx *c, struct gmm_op *op)
{
	bool reserved = op->op == GMM_OP_DUP;
	struct gmm_heap *h = c->f->heap;
	struct gmm_uobj o;
	void *target;
	int ret;

	if (reserved) {
		ret = gmm_handle_reserve(c->f);
		if (ret)
			return ret;
	}
	gmm_mutator_enter(h);
	ret = gmm_uobj_get(h, op->handle, &o);
	if (ret)
		goto out;
	switch (op->op) {
	case GMM_OP_INFO:
		op->result = (u64)(o.t ? o.t->id : 0) << 32 | o.size;
		break;
	case GMM_OP_DUP:
		/* Keeps the reservation, or gives it back on failure. */
		ret = gmm_handle_make(c->f, o.p, &op->result);
		reserved = false;
		break;
	default:	/* GMM_OP_LOAD */
		if (!gmm_uobj_is_ptr(&o, op->offset)) {
			ret = -EINVAL;
			break;
		}
		target = READ_ONCE(*(void **)(o.p + op->offset));
		if (!target)
			break;		/* NULL: result 0, no handle needed */
		ret = gmm_handle_reserve(c->f);
		if (!ret)
			ret = gmm_handle_make(c->f, target, &op->result);
		break;
	}
out:
	gmm_mutator_exit(h);
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

	gmm_mutator_enter(h);
	ret = gmm_uobj_get(h, op->handle, &o);
	if (ret)
		goto out;
	if (!gmm_uobj_is_ptr(&o, op->offset)) {
		ret = -EINVAL;
		goto out;
	}
	if (op->arg) {
		target = gmm_handle_obj(h, op->arg);
		if (!target) {
			ret = -ENOENT;
			goto out;
		}
	}
	gmm_store_ptr(h, o.p + op->offset, target);
out:
	gmm_mutator_exit(h);
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
static int gmm_op_chunk(struct gmm_heap *h, const struct gmm_op *op,
			u64 done, u64 n, u8 *buf, bool write)
{
	struct gmm_uobj o;
	int ret;

	gmm_mutator_enter(h);
	ret = gmm_uobj_get(h, op->handle, &o);
	if (!ret && op->offset + op->len > o.size)
		ret = -EINVAL;
	if (!ret)
		gmm_uobj_copy(&o, op->offset + done, n, buf, write);
	gmm_mutator_exit(h);
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
	buf = gmm_op_bounce(c, op->len);
	if (!buf)
		return -ENOMEM;
	for (done = 0; done < op->len; done += n) {
		n = min_t(u64, op->len - done, GMM_OPS_BOUNCE);
		if (done)
			cond_resched();
		ret = gmm_op_chunk(c->f->heap, op, done, n, buf, false);
		if (ret)
			return ret;
		if (copy_to_user(ubuf + done, buf, n))
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
	if (op->len <= GMM_OPS_BOUNCE)
		src = gmm_op_bounce(c, op->len);
	else
		src = kvmalloc(op->len, GFP_KERNEL_ACCOUNT);
	if (!src)
		return -ENOMEM;
	ret = 0;
	if (copy_from_user(src, u64_to_user_ptr(op->buf), op->len))
		ret = -EFAULT;
	for (done = 0; !ret && done < op->len; done += n) {
		n = min_t(u64, op->len - done, GMM_OPS_BOUNCE);
		if (done)
			cond_resched();
		ret = gmm_op_chunk(c->f->heap, op, done, n, src + done, true);
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
	ret = gmm_gc(h);
	if (ret)
		return ret;
	op->result = READ_ONCE(h->gc.num_gc);
	return 0;
}

/* Validate and run one operation; op->result is its output. */
static int gmm_op_run(struct gmm_opctx *c, struct gmm_op *op)
{
	u8 used;

	if (op->op > GMM_OP_MAX || op->flags)
		return -EINVAL;
	used = gmm_op_fields[op->op];
	if ((!(used & GMM_F_HANDLE) && op->handle) ||
	    (!(used & GMM_F_ARG) && op->arg) ||
	    (!(used & GMM_F_OFFSET) && op->offset) ||
	    (!(used & GMM_F_LEN) && op->len) ||
	    (!(used & GMM_F_BUF) && op->buf))
		return -EINVAL;
	op->result = 0;

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
	}
	return -EINVAL;
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
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->f = f;
	ret = gmm_op_run(c, &op);
	kfree(c->bounce);
	kfree(c);
	if (ret)
		return ret;
	ret = gmm_copy_arg_out(arg, cmd, &op, sizeof(op));
	if (ret)
		gmm_op_undo(f, &op);
	return ret;
}

/*
 * One operation of a batch, from @uop (@size bytes): run it and write its
 * result back.  The caller's result word is written back as it was before
 * the operation runs, so an element that cannot take the result fails
 * with -EFAULT before anything happens; should the result still not get
 * out, a handle it made is released again.
 */
static int gmm_batch_one(struct gmm_opctx *c, u8 __user *uop, u32 size)
{
	u64 __user *ures = (u64 __user *)(uop + offsetof(struct gmm_op, result));
	struct gmm_op op;
	int err;

	err = copy_struct_from_user(&op, sizeof(op), uop, size);
	if (err)
		return err;
	if (put_user(op.result, ures))
		return -EFAULT;
	err = gmm_op_run(c, &op);
	if (err)
		return err;
	if (put_user(op.result, ures)) {
		gmm_op_undo(c->f, &op);
		return -EFAULT;
	}
	return 0;
}

/**
 * gmm_ioctl_batch() - GMM_IOC_BATCH: run operations in order
 * @f: the file
 * @cmd: the command
 * @arg: user pointer to struct gmm_batch
 *
 * Stops at the first operation that fails; what the ones before it did
 * stays done.  The header's @done and @error say how far it got.  A
 * header that cannot be written back fails with -EFAULT before any
 * operation runs (it is written back unchanged first); an operation whose
 * result cannot be written back fails with -EFAULT and keeps no handle.
 *
 * Return: 0 when every operation succeeded, else the failing one's errno
 * (or the header's own error: -EINVAL, -E2BIG, -EFAULT).
 */
long gmm_ioctl_batch(struct gmm_file *f, unsigned int cmd, unsigned long arg)
{
	struct gmm_opctx *c;
	struct gmm_batch b;
	u8 __user *uops;
	long ret, err = 0;
	u32 i;

	ret = gmm_copy_arg_in(&b, sizeof(b), sizeof(b), cmd, arg);
	if (ret)
		return ret;
	if (b.flags || b.reserved || !b.count ||
	    b.count > GMM_BATCH_MAX || b.op_size < GMM_OP_SIZE_VER0 ||
	    b.op_size > GMM_ELEM_SIZE_MAX)
		return -EINVAL;
	ret = gmm_copy_arg_out(arg, cmd, &b, sizeof(b));
	if (ret)
		return ret;
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->f = f;
	uops = u64_to_user_ptr(b.ops);

	for (i = 0; i < b.count; i++) {
		if (fatal_signal_pending(current)) {
			err = -EINTR;
			break;
		}
		err = gmm_batch_one(c, uops + (size_t)i * b.op_size, b.op_size);
		if (err)
			break;
		cond_resched();
	}
	kfree(c->bounce);
	kfree(c);

	b.done = i;
	b.error = err;
	ret = gmm_copy_arg_out(arg, cmd, &b, sizeof(b));
	return err ?: ret;
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
