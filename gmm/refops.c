// SPDX-License-Identifier: GPL-2.0
/*
 * refops.c - the operations on weak handles and cleanups for user space
 * (GMM_OP_WEAK, _WEAK_LOAD, _WEAK_RELEASE: GMM_FEATURE_WEAK;
 * GMM_OP_CLEANUP, _CLEANUP_CANCEL: GMM_FEATURE_CLEANUP), on top of the
 * in-kernel API of weak.c and cleanup.c.
 *
 * A file's weak handles are its heap's weak handles: the numbers user
 * space holds are the heap's.  A cleanup's function is
 * gmm_ucleanup_fired() (events.c), which queues an event for read().
 * Weak handles and cleanups count toward the file's handle limit
 * (nr_refs, against max_handles), so one opener cannot fill the kernel.
 * Like every operation, each one fails with nothing changed, and one that
 * made something takes it back when its result cannot be written back
 * (gmm_refop_undo()).
 */
#include <linux/errno.h>
#include <linux/slab.h>

#include <linux/gmm.h>
#include "dev.h"
#include "events.h"
#include "heap.h"
#include "ops.h"
#include "refops.h"
#include "uobj.h"

/* Room for one more weak handle or cleanup of the file. */
static int gmm_ref_reserve(struct gmm_file *f)
{
	if (atomic_long_inc_return(&f->nr_refs) > gmm_handles_max()) {
		atomic_long_dec(&f->nr_refs);
		return -ENOSPC;
	}
	return 0;
}

/* GMM_OP_WEAK: a weak handle of @handle's object. */
static int gmm_op_weak(struct gmm_opctx *c, struct gmm_op *op)
{
	struct gmm_uobj o;
	u32 weak;
	int ret;

	ret = gmm_ref_reserve(c->f);
	if (ret)
		return ret;
	gmm_op_enter(c);
	ret = gmm_op_obj(c, op, &o);
	if (!ret)
		ret = gmm_weak_get(c->f->heap, o.p, &weak);
	gmm_op_exit(c);
	if (ret) {
		atomic_long_dec(&c->f->nr_refs);
		return ret;
	}
	op->result = weak;
	return 0;
}

/* GMM_OP_WEAK_LOAD: a new handle for the object of weak handle @arg. */
static int gmm_op_weak_load(struct gmm_opctx *c, struct gmm_op *op)
{
	bool made = false;
	void *obj;
	int ret;

	ret = gmm_handle_reserve(c->f);
	if (ret)
		return ret;
	gmm_op_enter(c);
	ret = gmm_weak_lookup(c->f->heap, op->arg, &obj);
	if (!ret && obj) {
		/* Keeps the reservation, or gives it back on failure. */
		ret = gmm_handle_make(c->f, obj, &op->result);
		made = true;
	}
	gmm_op_exit(c);
	if (!made)	/* collected: result 0, no handle */
		atomic_long_dec(&c->f->nr_handles);
	return ret;
}

static int gmm_op_weak_release(struct gmm_opctx *c, struct gmm_op *op)
{
	int ret = gmm_weak_put(c->f->heap, op->arg);

	if (!ret)
		atomic_long_dec(&c->f->nr_refs);
	return ret;
}

/* GMM_OP_CLEANUP: an event with @offset as cookie when the object dies. */
static int gmm_op_cleanup(struct gmm_opctx *c, struct gmm_op *op)
{
	struct gmm_ucleanup *uc;
	struct gmm_uobj o;
	u32 id;
	int ret;

	ret = gmm_ref_reserve(c->f);
	if (ret)
		return ret;
	uc = gmm_ucleanup_new(c->f, op->offset);
	ret = -ENOMEM;
	if (!uc)
		goto out;
	gmm_op_enter(c);
	ret = gmm_op_obj(c, op, &o);
	if (!ret)
		ret = gmm_cleanup_add(c->f->heap, o.p, gmm_ucleanup_fired, uc,
				      &id);
	if (!ret)
		gmm_ucleanup_set_id(uc, id);	/* before it can fire */
	gmm_op_exit(c);
	if (!ret) {
		op->result = id;
		return 0;
	}
	kfree(uc);
out:
	atomic_long_dec(&c->f->nr_refs);
	return ret;
}

static int gmm_op_cleanup_cancel(struct gmm_opctx *c, struct gmm_op *op)
{
	void *uc;
	int ret = gmm_cleanup_cancel(c->f->heap, op->arg, &uc);

	if (ret)
		return ret;
	kfree(uc);
	atomic_long_dec(&c->f->nr_refs);
	return 0;
}

/**
 * gmm_refop_run() - run a weak-handle or cleanup operation
 * @c: the ioctl's state
 * @op: the operation, its fields checked
 *
 * Return: 0 with op->result set, or the operation's errno.
 */
int gmm_refop_run(struct gmm_opctx *c, struct gmm_op *op)
{
	switch (op->op) {
	case GMM_OP_WEAK:
		return gmm_op_weak(c, op);
	case GMM_OP_WEAK_LOAD:
		return gmm_op_weak_load(c, op);
	case GMM_OP_WEAK_RELEASE:
		return gmm_op_weak_release(c, op);
	case GMM_OP_CLEANUP:
		return gmm_op_cleanup(c, op);
	case GMM_OP_CLEANUP_CANCEL:
		return gmm_op_cleanup_cancel(c, op);
	}
	return -EINVAL;
}

/**
 * gmm_refop_undo() - take back what a successful operation made
 * @f: the file
 * @op: a weak-handle or cleanup operation whose result did not get out
 */
void gmm_refop_undo(struct gmm_file *f, const struct gmm_op *op)
{
	void *uc;

	switch (op->op) {
	case GMM_OP_WEAK:
		if (!gmm_weak_put(f->heap, (u32)op->result))
			atomic_long_dec(&f->nr_refs);
		break;
	case GMM_OP_WEAK_LOAD:
		if (op->result)
			gmm_handle_release(f, (u32)op->result);
		break;
	case GMM_OP_CLEANUP:
		if (!gmm_cleanup_cancel(f->heap, (u32)op->result, &uc)) {
			kfree(uc);
			atomic_long_dec(&f->nr_refs);
		}
		break;
	}
}
