// SPDX-License-Identifier: GPL-2.0
/*
 * batch.c - GMM_IOC_BATCH: many operations in one ioctl.
 *
 * Operations run in order, each as GMM_IOC_OP would run it (ops.c), and
 * the batch stops at the first that fails; what the ones before it did
 * stays done.  An operation may name the object an earlier one produced
 * (batchlink.c).
 *
 * Getting operations in and results out: every operation's result word is
 * written back as it was read before the operation runs, so an element
 * that cannot take its result fails with -EFAULT before anything happens,
 * and the result itself is written right after the operation; should that
 * fail after all (another thread made the memory read-only meanwhile), a
 * handle the operation made is released again.  Elements of the size this
 * module knows go GMM_BATCH_CHUNK at a time (gmm_batch_chunk()); a chunk
 * that cannot be read or written whole, and longer elements (whose tails
 * must be zero), go one element at a time, so a bad element fails
 * exactly where it is.
 */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <linux/gmm.h>
#include "batch.h"
#include "batchlink.h"
#include "dev.h"
#include "heap.h"
#include "internal.h"
#include "ops.h"

/* Run @op, number @self, whose result goes to @ures (checked writable). */
static int gmm_batch_run_op(struct gmm_opctx *c, struct gmm_op *op,
			    u64 __user *ures, u32 self)
{
	int err;

	err = gmm_op_run(c, op, self);
	if (err)
		return err;
	if (put_user(op->result, ures)) {
		gmm_op_undo(c->f, op);
		return -EFAULT;
	}
	gmm_links_note(c->links, op);
	return 0;
}

/* One element of @size bytes at @uop, on its own. */
static int gmm_batch_one(struct gmm_opctx *c, u8 __user *uop, u32 size,
			 u32 self)
{
	u64 __user *ures = (u64 __user *)(uop + offsetof(struct gmm_op, result));
	struct gmm_op op;
	int err;

	err = copy_struct_from_user(&op, sizeof(op), uop, size);
	if (err)
		return err;
	if (put_user(op.result, ures))
		return -EFAULT;
	return gmm_batch_run_op(c, &op, ures, self);
}

/*
 * Elements of the size this module knows are fetched and their results
 * stored a chunk at a time, each in one user-access window of plain moves
 * (no copy routine, no access-flag toggling per operation: under QEMU TCG
 * those dominated the cost of an operation).
 */
static_assert(sizeof(struct gmm_op) == 6 * sizeof(u64));
static_assert(offsetof(struct gmm_op, result) == 5 * sizeof(u64));

/*
 * Copy @n operations in from @u and write each one's result word back as
 * it was read (the check that its result will get out), one operation's
 * six words at a time.
 */
static bool gmm_batch_fetch(struct gmm_op *k, struct gmm_op __user *u,
			    u32 n)
{
	u64 __user *s;
	u64 *d;
	u32 i;

	if (!user_access_begin(u, n * sizeof(*u)))
		return false;
	for (i = 0; i < n; i++) {
		s = (u64 __user *)&u[i];
		d = (u64 *)&k[i];
		unsafe_get_user(d[0], &s[0], fault);
		unsafe_get_user(d[1], &s[1], fault);
		unsafe_get_user(d[2], &s[2], fault);
		unsafe_get_user(d[3], &s[3], fault);
		unsafe_get_user(d[4], &s[4], fault);
		unsafe_get_user(d[5], &s[5], fault);
		unsafe_put_user(d[5], &s[5], fault);
	}
	user_access_end();
	return true;
fault:
	user_access_end();
	return false;
}

/*
 * Store the results of @n operations to @u; on a fault *@bad is the first
 * operation whose result may not have got out.
 */
static bool gmm_batch_store(struct gmm_op __user *u, const struct gmm_op *k,
			    u32 n, u32 *bad)
{
	u32 i = 0;

	if (!user_access_begin(u, n * sizeof(*u)))
		goto out;
	for (; i < n; i++)
		unsafe_put_user(k[i].result, &u[i].result, fault);
	user_access_end();
	return true;
fault:
	user_access_end();
out:
	*bad = i;
	return false;
}

/*
 * Between two operations: in the section the batch keeps, a safepoint
 * (a pending stop of the world gets in, like after a section); else a
 * chance to reschedule.  Both cost a load or two when there is nothing
 * to do.
 */
static void gmm_batch_safepoint(struct gmm_opctx *c)
{
	if (c->held) {
		if (unlikely(gmm_stw_pending(&c->f->heap->gc.stw) ||
			     need_resched()))
			gmm_mutator_yield(c->f->heap);
	} else if (need_resched()) {
		cond_resched();
	}
}

/* Operations @first .. @first + @n - 1, one element at a time. */
static int gmm_batch_slow(struct gmm_opctx *c, u8 __user *uops, u32 size,
			  u32 first, u32 n, u32 *done)
{
	u32 i;
	int err;

	for (i = first; i < first + n; i++) {
		if (fatal_signal_pending(current))
			return -EINTR;
		err = gmm_batch_one(c, uops + (size_t)i * size, size, i);
		if (err)
			return err;
		++*done;
		cond_resched();
	}
	return 0;
}

/*
 * Operations @first .. @first + @n - 1 (@n <= GMM_BATCH_CHUNK) of the
 * array at @uops; *@done counts those that succeeded.  They share one
 * mutator section between the points where an operation must be outside
 * one (ops.c), with a safepoint after each operation.  The chunk's result
 * words are written back as read before any of its operations runs (the
 * check that results will get out), and the results after the last one
 * that ran.  Should that fail after all (another thread made the array
 * read-only meanwhile), the batch fails with -EFAULT at the first
 * operation whose result did not get out, and the handles it and the
 * later operations of the chunk made are released again.
 */
static int gmm_batch_chunk(struct gmm_opctx *c, u8 __user *uops, u32 size,
			   u32 first, u32 n, u32 *done)
{
	struct gmm_op __user *u = (struct gmm_op __user *)uops + first;
	u32 i, k, bad;
	int err = 0;

	if (size != sizeof(*u) || !gmm_batch_fetch(c->chunk, u, n))
		return gmm_batch_slow(c, uops, size, first, n, done);
	c->keep = true;
	for (i = 0; i < n; i++) {
		if (fatal_signal_pending(current)) {
			err = -EINTR;
			break;
		}
		err = gmm_op_run(c, &c->chunk[i], first + i);
		if (err)
			break;
		gmm_links_note(c->links, &c->chunk[i]);
		gmm_batch_safepoint(c);
	}
	gmm_op_leave(c);
	c->keep = false;
	if (i && !gmm_batch_store(u, c->chunk, i, &bad)) {
		for (k = bad; k < i; k++)
			gmm_op_undo(c->f, &c->chunk[k]);
		i = bad;
		err = -EFAULT;
	}
	*done += i;
	return err;
}

/*
 * A batch's state with room for the links of the longest batch (116 KiB).
 * A file keeps one for its next batch (f->batch_spare): allocating it
 * anew for every call, zeroed by init_on_alloc, cost more than a batch's
 * first hundred operations.  Batches that run at once on one file have
 * one each.
 */
struct gmm_batch_state {
	struct gmm_opctx c;
	u32 res[GMM_BATCH_MAX];
	void *objs[GMM_BATCH_MAX];
	struct gmm_tinfo tinfo[GMM_BATCH_MAX];
};

static struct gmm_batch_state *gmm_batch_state_get(struct gmm_file *f)
{
	struct gmm_batch_state *st = xchg(&f->batch_spare, NULL);
	void *bounce = NULL;

	if (st)
		bounce = st->c.bounce;
	else
		st = kvmalloc(sizeof(*st), GFP_KERNEL_ACCOUNT);
	if (!st)
		return NULL;
	gmm_opctx_init(&st->c, f);
	st->c.bounce = bounce;
	return st;
}

static void gmm_batch_state_free(struct gmm_batch_state *st)
{
	if (st) {
		kfree(st->c.bounce);
		kvfree(st);
	}
}

/* Keep @st for the file's next batch, unless it has one already. */
static void gmm_batch_state_put(struct gmm_file *f, struct gmm_batch_state *st)
{
	if (cmpxchg(&f->batch_spare, NULL, st))
		gmm_batch_state_free(st);
}

/**
 * gmm_batch_release() - free the batch state a file kept
 * @f: the file, being released
 */
void gmm_batch_release(struct gmm_file *f)
{
	gmm_batch_state_free(f->batch_spare);
	f->batch_spare = NULL;
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
 * Operations may link to earlier ones (batchlink.c); the batch's
 * temporaries are garbage when it returns.
 *
 * Return: 0 when every operation succeeded, else the failing one's errno
 * (or the header's own error: -EINVAL, -E2BIG, -EFAULT).
 */
long gmm_ioctl_batch(struct gmm_file *f, unsigned int cmd, unsigned long arg)
{
	struct gmm_batch_state *st;
	struct gmm_opctx *c;
	struct gmm_batch b;
	long ret, err;
	u32 i, done = 0;

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
	st = gmm_batch_state_get(f);
	if (!st)
		return -ENOMEM;
	c = &st->c;
	c->links = &c->batch_links;
	gmm_links_init(c->links, f->heap, b.count, st->res, st->objs,
		       st->tinfo);
	err = 0;
	for (i = 0; !err && i < b.count; i += GMM_BATCH_CHUNK)
		err = gmm_batch_chunk(c, u64_to_user_ptr(b.ops), b.op_size, i,
				      min(b.count - i, GMM_BATCH_CHUNK), &done);
	gmm_links_destroy(c->links);
	gmm_batch_state_put(f, st);

	b.done = done;
	b.error = err;
	ret = gmm_copy_arg_out(arg, cmd, &b, sizeof(b));
	return err ?: ret;
}
