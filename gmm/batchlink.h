/* SPDX-License-Identifier: GPL-2.0 */
/*
 * batchlink.h - links between the operations of one GMM_IOC_BATCH
 * (batchlink.c): what each operation produced, and the batch's
 * temporaries.
 */
#ifndef _GMM_BATCHLINK_H
#define _GMM_BATCHLINK_H

#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/types.h>
#include <uapi/linux/gmm.h>

#include "roots.h"

struct gmm_heap;
struct gmm_op;
struct gmm_type;

/**
 * struct gmm_tinfo - what a batch knows of one of its temporaries
 * @t: its type, NULL when it has no pointer words
 * @size: its slot's size; 0 while not known (then @t is not either)
 *
 * So that an operation on a temporary need not look its slot up again
 * (uobj.h): temporaries neither move nor change type, and the batch holds
 * them.
 */
struct gmm_tinfo {
	const struct gmm_type *t;
	u32 size;
};

/* No link of this kind in the current operation. */
#define GMM_LINK_NONE		U32_MAX
/* @res entries besides handle numbers (which are below 2^31). */
#define GMM_LINK_TEMP		BIT(31)		/* a temporary */
#define GMM_LINK_NULL		(BIT(31) | 1)	/* a LOAD that read NULL */

/**
 * struct gmm_links - the link state of one batch
 * @heap: the file's heap
 * @count: operations in the batch
 * @res: per operation, what it produced: 0 nothing to link to, a handle
 *	number, or GMM_LINK_TEMP / GMM_LINK_NULL (batchlink.c)
 * @temps: the batch's temporaries, a root vector of up to @count
 *	entries, registered at the first GMM_OP_TEMP operation
 * @temps_on: @temps is registered
 * @tinfo: per temporary, its type and slot size once known
 * @self: index of the operation being run
 * @htemp: index of the temporary the current operation's @handle names,
 *	or GMM_LINK_NONE
 * @atemp: likewise for its @arg
 */
struct gmm_links {
	struct gmm_heap *heap;
	u32 count;
	u32 *res;
	struct gmm_rootvec temps;
	bool temps_on;
	struct gmm_tinfo *tinfo;
	u32 self;
	u32 htemp;
	u32 atemp;
};

void gmm_links_init(struct gmm_links *l, struct gmm_heap *h, u32 count,
		    u32 *res, void **objs, struct gmm_tinfo *tinfo);
void gmm_links_destroy(struct gmm_links *l);
void gmm_links_temps_on(struct gmm_links *l);

/* Whether @op is of a kind that produces an object to link to. */
static inline bool gmm_links_produces(const struct gmm_op *op)
{
	return op->op == GMM_OP_ALLOC || op->op == GMM_OP_DUP ||
	       op->op == GMM_OP_LOAD;
}

/*
 * What operation @idx produced, for a link from operation @self: -EINVAL
 * for a link that is not backwards or names an operation that produces no
 * object.
 */
static inline int gmm_links_target(const struct gmm_links *l, u32 self,
				   u32 idx, u32 *res)
{
	if (idx >= self || !l->res[idx])
		return -EINVAL;
	*res = l->res[idx];
	return 0;
}

/* Resolve GMM_OP_HANDLE_LINK of @op. */
static inline int gmm_links_handle(struct gmm_links *l, u32 self,
				   struct gmm_op *op)
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
static inline int gmm_links_arg(struct gmm_links *l, u32 self,
				struct gmm_op *op)
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
 * @op: the operation; its flags are known flags, and its fields have
 *	passed the check for unused ones
 * @uses_handle: whether the operation uses @handle
 *
 * Makes @self the current operation.  Rewrites a link to a handle into
 * that handle and notes a link to a temporary in @l->htemp or @l->atemp
 * (the field becomes 0).  Registers the temporaries' vector at the
 * batch's first GMM_OP_TEMP.  Inline: every operation of a batch comes
 * here.  Outside any mutator section; does not sleep.
 *
 * Return: 0; -EINVAL for a link that is not to an earlier operation that
 * produced an object, a link flag the operation cannot take, or RELEASE
 * of a temporary; -ENOENT for a handle link to a NULL.
 */
static inline int gmm_links_resolve(struct gmm_links *l, u32 self,
				    struct gmm_op *op, bool uses_handle)
{
	int ret;

	l->self = self;
	l->htemp = GMM_LINK_NONE;
	l->atemp = GMM_LINK_NONE;
	if (!(op->flags & (GMM_OP_HANDLE_LINK | GMM_OP_ARG_LINK | GMM_OP_TEMP)))
		return 0;
	if ((op->flags & GMM_OP_TEMP && !gmm_links_produces(op)) ||
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
	if (op->flags & GMM_OP_TEMP && !l->temps_on)
		gmm_links_temps_on(l);
	return 0;
}

/**
 * gmm_links_temp() - a temporary the current operation names
 * @l: the batch's links, or NULL outside a batch
 * @idx: @l->htemp or @l->atemp
 *
 * Inside a mutator section.
 *
 * Return: the object, or NULL when @idx is GMM_LINK_NONE.
 */
static inline void *gmm_links_temp(const struct gmm_links *l, u32 idx)
{
	if (!l || idx == GMM_LINK_NONE)
		return NULL;
	return READ_ONCE(l->temps.objs[idx]);
}

/**
 * gmm_links_keep() - hold an object as the current operation's temporary
 * @l: the batch's links; the current operation has GMM_OP_TEMP
 * @obj: an object of the heap, not NULL
 * @t: its type as user space sees it (NULL: no pointer words), if known
 * @size: its slot size, or 0 when not known (then @t is ignored)
 *
 * Inside the mutator section the object was obtained in: the entries the
 * vector grows by (NULL for the operations since the last temporary) are
 * written before the collector, which scans with the world stopped, can
 * look at them.
 */
static inline void gmm_links_keep(struct gmm_links *l, void *obj,
				  const struct gmm_type *t, u32 size)
{
	struct gmm_rootvec *v = &l->temps;
	unsigned int i;

	for (i = v->n; i < l->self; i++)
		WRITE_ONCE(v->objs[i], NULL);
	WRITE_ONCE(v->objs[l->self], obj);
	WRITE_ONCE(v->n, l->self + 1);
	l->tinfo[l->self] = (struct gmm_tinfo){ .t = t, .size = size };
}

/**
 * gmm_links_note() - record what the current operation produced
 * @l: the batch's links
 * @op: the operation, which succeeded, with its result
 *
 * Every operation of the batch is noted once it succeeded, so that
 * @l->res needs no zeroing: a link names an earlier operation, which ran.
 */
static inline void gmm_links_note(struct gmm_links *l, const struct gmm_op *op)
{
	u32 res = 0;

	if (gmm_links_produces(op)) {
		/* A LOAD with GMM_OP_IMM has data in @result and read no NULL. */
		if (op->flags & GMM_OP_TEMP)
			res = op->result || op->flags & GMM_OP_IMM ?
			      GMM_LINK_TEMP : GMM_LINK_NULL;
		else
			res = op->result ? (u32)op->result : GMM_LINK_NULL;
	}
	l->res[l->self] = res;
}

#endif /* _GMM_BATCHLINK_H */
