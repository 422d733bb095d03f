/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ops.h - what ops.c (the operations on objects) and batch.c
 * (GMM_IOC_BATCH) share.
 */
#ifndef _GMM_OPS_H
#define _GMM_OPS_H

#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/types.h>
#include <uapi/linux/gmm.h>

#include "batchlink.h"

struct gmm_file;
struct gmm_type;

/* Accesses up to this size use the small buffer of struct gmm_opctx. */
#define GMM_OPS_SMALL		128U
/* The first published size of struct gmm_op. */
#define GMM_OP_SIZE_VER0	48U
/* Operations a batch copies in at once (batch.c). */
#define GMM_BATCH_CHUNK		64U

/**
 * struct gmm_opctx - the state of one ioctl that runs operations
 * @f: the file
 * @links: GMM_IOC_BATCH: &@batch_links; GMM_IOC_OP: NULL
 * @batch_links: the batch's links and temporaries (batchlink.c)
 * @bounce: GMM_OPS_BOUNCE bytes for READ and WRITE, allocated lazily
 * @keep: a batch keeps a mutator section across operations (ops.c)
 * @held: that section is entered
 * @tid: the type id @type was last looked up for (0: none)
 * @type: the type of id @tid
 * @chunk: operations of a batch copied in at once (batch.c)
 * @small: the buffer of short READs and WRITEs
 */
struct gmm_opctx {
	struct gmm_file *f;
	struct gmm_links *links;
	struct gmm_links batch_links;
	void *bounce;
	bool keep;
	bool held;
	u32 tid;
	const struct gmm_type *type;
	struct gmm_op chunk[GMM_BATCH_CHUNK];
	u8 small[GMM_OPS_SMALL];
};

/*
 * Set up @c for @f: everything zero but the operations and the small
 * buffer, which are written before they are read.
 */
static inline void gmm_opctx_init(struct gmm_opctx *c, struct gmm_file *f)
{
	memset(c, 0, offsetof(struct gmm_opctx, chunk));
	c->f = f;
}

#include "refops.h"
#include "uobj.h"

/* ops.c */
long gmm_ioctl_type_create(struct gmm_file *f, unsigned int cmd,
			   unsigned long arg);
long gmm_ioctl_op(struct gmm_file *f, unsigned int cmd, unsigned long arg);
int gmm_op_run(struct gmm_opctx *c, struct gmm_op *op, u32 self);
void gmm_op_undo(struct gmm_file *f, const struct gmm_op *op);

#endif /* _GMM_OPS_H */
