/* SPDX-License-Identifier: GPL-2.0 */
/*
 * batchlink.h - links between the operations of one GMM_IOC_BATCH
 * (batchlink.c): what each operation produced, and the batch's
 * temporaries.
 */
#ifndef _GMM_BATCHLINK_H
#define _GMM_BATCHLINK_H

#include <linux/types.h>

#include "roots.h"

struct gmm_heap;
struct gmm_op;

/* No link of this kind in the current operation. */
#define GMM_LINK_NONE		U32_MAX

/**
 * struct gmm_links - the link state of one batch
 * @heap: the file's heap
 * @count: operations in the batch
 * @res: per operation, what it produced: 0 nothing to link to, a handle
 *	number, or GMM_LINK_TEMP / GMM_LINK_NULL (batchlink.c)
 * @temps: the batch's temporaries, a root vector of @count entries,
 *	allocated and registered at the first GMM_OP_TEMP operation
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
	u32 self;
	u32 htemp;
	u32 atemp;
};

int gmm_links_init(struct gmm_links *l, struct gmm_heap *h, u32 count);
void gmm_links_destroy(struct gmm_links *l);
int gmm_links_resolve(struct gmm_links *l, u32 self, struct gmm_op *op,
		      bool uses_handle);
void gmm_links_note(struct gmm_links *l, const struct gmm_op *op);
void gmm_links_keep(struct gmm_links *l, void *obj);

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

#endif /* _GMM_BATCHLINK_H */
