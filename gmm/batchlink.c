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
 * Resolving, keeping a temporary and noting a result happen for every
 * operation, so they are inline, in batchlink.h; this file sets a batch's
 * links up and takes them down.
 *
 * Temporaries live in a root vector (struct gmm_rootvec, roots.c) of one
 * entry per operation, registered for the length of the batch.  Each
 * entry is written once, inside the mutator section of the operation that
 * produced it (NULL for the operations before it that produced none), and
 * read only inside sections; the vector's length grows to cover it at the
 * same time.  The collector scans the vector with the world stopped, as
 * it scans scope locals, so the entries need no write barrier (the
 * snapshot argument in design.rst: an object a temporary gets was
 * allocated black or loaded from an object reachable from a root).  When
 * the batch ends the vector is unregistered and its temporaries are
 * garbage unless stored somewhere reachable.  Neither @res nor the vector
 * is zeroed first: an entry is written before anything reads it.
 */
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include <linux/gmm.h>
#include "batchlink.h"
#include "heap.h"
#include "mutant.h"

/**
 * gmm_links_init() - set up the links of a batch
 * @l: the state
 * @h: the file's heap
 * @count: operations in the batch, 1 ... GMM_BATCH_MAX
 * @res: room for @count entries of @l->res
 * @objs: room for @count temporaries
 * @tinfo: room for what is known of @count temporaries
 *
 * No array needs to be zeroed (see the top).  Does not sleep.
 */
void gmm_links_init(struct gmm_links *l, struct gmm_heap *h, u32 count,
		    u32 *res, void **objs, struct gmm_tinfo *tinfo)
{
	memset(l, 0, sizeof(*l));
	l->heap = h;
	l->count = count;
	l->htemp = GMM_LINK_NONE;
	l->atemp = GMM_LINK_NONE;
	l->res = res;
	l->temps.objs = objs;
	l->tinfo = tinfo;
	INIT_LIST_HEAD(&l->temps.node);
}

/**
 * gmm_links_destroy() - end a batch: its temporaries are roots no more
 * @l: the state
 *
 * Outside any mutator section; process context.  When this returns the
 * collector no longer reads the temporaries' array.
 */
void gmm_links_destroy(struct gmm_links *l)
{
	if (l->temps_on)
		gmm_rootvec_del(l->heap, &l->temps);
	l->temps_on = false;
}

/**
 * gmm_links_temps_on() - register the temporaries' vector
 * @l: the batch's links, whose vector is not registered yet
 *
 * At the batch's first GMM_OP_TEMP (gmm_links_resolve()); the vector has
 * no entries yet (gmm_links_keep() extends it).  Outside any mutator
 * section; does not sleep.
 */
void gmm_links_temps_on(struct gmm_links *l)
{
	l->temps.n = 0;
	if (!GMM_MUTANT(GMM_MUT_TEMPS_UNROOTED))
		gmm_rootvec_add(l->heap, &l->temps);
	l->temps_on = true;
}
