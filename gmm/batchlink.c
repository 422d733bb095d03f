// SPDX-License-Identifier: GPL-2.0
/*
 * batchlink.c - links between the operations of one GMM_IOC_BATCH.
 *
 * An operation of a batch may name the object an earlier operation of the
 * same batch produced, by its index (GMM_OP_HANDLE_LINK for @handle,
 * GMM_OP_ARG_LINK for STORE's @arg), and ALLOC, DUP and LOAD may produce
 * a temporary instead of a handle (GMM_OP_TEMP), so that one ioctl can
 * build or walk a whole subtree: see "Links" in include/uapi/linux/gmm.h.
 *
 * The batch records what each operation produced (@res): a handle number
 * (a link to it stands for that handle and is looked up again when used,
 * so it fails with -ENOENT once released), GMM_LINK_TEMP (a temporary),
 * GMM_LINK_NULL (a LOAD that read NULL) or 0 (nothing to link to: an
 * operation of another kind).  Every link is checked and resolved before
 * its operation does anything, so a bad link fails with nothing changed.
 *
 * Temporaries live in a root vector (struct gmm_rootvec, roots.c) of one
 * entry per operation, registered for the length of the batch.  Each
 * entry is written once, inside the mutator section of the operation that
 * produced it, and read only inside sections; the collector scans the
 * vector with the world stopped, as it scans scope locals, so the entries
 * need no write barrier (the snapshot argument in design.rst: an object a
 * temporary gets was allocated black or loaded from an object reachable
 * from a root).  When the batch ends the vector is unregistered and its
 * temporaries are garbage unless stored somewhere reachable.
 */
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include <linux/gmm.h>
#include "batchlink.h"
#include "heap.h"

/* @res entries besides handle numbers (which are below 2^31). */
#define GMM_LINK_TEMP		BIT(31)		/* a temporary */
#define GMM_LINK_NULL		(BIT(31) | 1)	/* a LOAD that read NULL */

/**
 * gmm_links_init() - set up the links of a batch
 * @l: the state, on the caller's stack
 * @h: the file's heap
 * @count: operations in the batch, 1 ... GMM_BATCH_MAX
 *
 * Process context; may sleep.
 *
 * Return: 0 or -ENOMEM.
 */
int gmm_links_init(struct gmm_links *l, struct gmm_heap *h, u32 count)
{
	memset(l, 0, sizeof(*l));
	l->heap = h;
	l->count = count;
	l->htemp = GMM_LINK_NONE;
	l->atemp = GMM_LINK_NONE;
	INIT_LIST_HEAD(&l->temps.node);
	l->res = kvcalloc(count, sizeof(*l->res), GFP_KERNEL_ACCOUNT);
	return l->res ? 0 : -ENOMEM;
}

/**
 * gmm_links_destroy() - end a batch: its temporaries are roots no more
 * @l: the state
 *
 * Outside any mutator section; process context; may sleep.
 */
void gmm_links_destroy(struct gmm_links *l)
{
	if (l->temps.objs) {
		gmm_rootvec_del(l->heap, &l->temps);
		kvfree(l->temps.objs);
	}
	kvfree(l->res);
}

/* The first temporary of the batch: make the vector and register it. */
static int gmm_links_temps(struct gmm_links *l)
{
	if (l->temps.objs)
		return 0;
	l->temps.objs = kvcalloc(l->count, sizeof(void *), GFP_KERNEL_ACCOUNT);
	if (!l->temps.objs)
		return -ENOMEM;
	l->temps.n = l->count;
	gmm_rootvec_add(l->heap, &l->temps);
	return 0;
}

/*
 * What operation @idx produced, for a link from operation @self: -EINVAL
 * for a link that is not backwards or names an operation that produces no
 * object.
 */
static int gmm_links_target(const struct gmm_links *l, u32 self, u32 idx,
			    u32 *res)
{
	if (idx >= self || !l->res[idx])
		return -EINVAL;
	*res = l->res[idx];
	return 0;
}

/* Resolve GMM_OP_HANDLE_LINK of @op. */
static int gmm_links_handle(struct gmm_links *l, u32 self, struct gmm_op *op)
{
	u32 idx = op->handle, res;
	int ret;

	ret = gmm_links_target(l, self, idx, &res);
	if (ret)
		return ret;
	if (res == GMM_LINK_NULL)
		return -ENOENT;
	if (res == GMM_LINK_TEMP) {
		if (op->op == GMM_OP_RELEASE)
			return -EINVAL;		/* a temporary has no handle */
		l->htemp = idx;
		op->handle = 0;
	} else {
		op->handle = res;
	}
	return 0;
}

/* Resolve GMM_OP_ARG_LINK of @op (a STORE). */
static int gmm_links_arg(struct gmm_links *l, u32 self, struct gmm_op *op)
{
	u32 idx = op->arg, res;
	int ret;

	ret = gmm_links_target(l, self, idx, &res);
	if (ret)
		return ret;
	if (res == GMM_LINK_NULL) {
		op->arg = 0;			/* stores NULL */
	} else if (res == GMM_LINK_TEMP) {
		l->atemp = idx;
		op->arg = 0;
	} else {
		op->arg = res;
	}
	return 0;
}

/**
 * gmm_links_resolve() - check and resolve the links of one operation
 * @l: the batch's links
 * @self: the operation's index in the batch
 * @op: the operation; its flags are known link flags, and its fields
 *	have passed the check for unused ones
 * @uses_handle: whether the operation uses @handle
 *
 * Rewrites a link to a handle into that handle and notes a link to a
 * temporary in @l->htemp or @l->atemp (the field becomes 0).  Makes the
 * temporaries' vector at the batch's first GMM_OP_TEMP.  Outside any
 * mutator section; may sleep.
 *
 * Return: 0; -EINVAL for a link that is not to an earlier operation that
 * produced an object, a link flag the operation cannot take, or RELEASE
 * of a temporary; -ENOENT for a handle link to a NULL; -ENOMEM.
 */
int gmm_links_resolve(struct gmm_links *l, u32 self, struct gmm_op *op,
		      bool uses_handle)
{
	bool produces = op->op == GMM_OP_ALLOC || op->op == GMM_OP_DUP ||
			op->op == GMM_OP_LOAD;
	int ret;

	l->self = self;
	l->htemp = GMM_LINK_NONE;
	l->atemp = GMM_LINK_NONE;
	if ((op->flags & GMM_OP_TEMP && !produces) ||
	    (op->flags & GMM_OP_HANDLE_LINK && !uses_handle) ||
	    (op->flags & GMM_OP_ARG_LINK && op->op != GMM_OP_STORE))
		return -EINVAL;
	if (op->flags & GMM_OP_HANDLE_LINK) {
		ret = gmm_links_handle(l, self, op);
		if (ret)
			return ret;
	}
	if (op->flags & GMM_OP_ARG_LINK) {
		ret = gmm_links_arg(l, self, op);
		if (ret)
			return ret;
	}
	if (op->flags & GMM_OP_TEMP)
		return gmm_links_temps(l);
	return 0;
}

/**
 * gmm_links_keep() - hold an object as the current operation's temporary
 * @l: the batch's links; the current operation has GMM_OP_TEMP
 * @obj: an object of the heap, not NULL
 *
 * Inside the mutator section the object was obtained in.
 */
void gmm_links_keep(struct gmm_links *l, void *obj)
{
	WRITE_ONCE(l->temps.objs[l->self], obj);
}

/**
 * gmm_links_note() - record what the current operation produced
 * @l: the batch's links
 * @op: the operation, which succeeded, with its result
 */
void gmm_links_note(struct gmm_links *l, const struct gmm_op *op)
{
	u32 res;

	if (op->op != GMM_OP_ALLOC && op->op != GMM_OP_DUP &&
	    op->op != GMM_OP_LOAD)
		return;
	if (op->flags & GMM_OP_TEMP)
		res = op->result ? GMM_LINK_TEMP : GMM_LINK_NULL;
	else
		res = op->result ? (u32)op->result : GMM_LINK_NULL;
	l->res[l->self] = res;
}
