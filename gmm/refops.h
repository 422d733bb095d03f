/* SPDX-License-Identifier: GPL-2.0 */
/*
 * refops.h - the operations on weak handles and cleanups user space runs
 * through GMM_IOC_OP and GMM_IOC_BATCH (refops.c).
 */
#ifndef _GMM_REFOPS_H
#define _GMM_REFOPS_H

#include <uapi/linux/gmm.h>

struct gmm_file;
struct gmm_opctx;

int gmm_refop_run(struct gmm_opctx *c, struct gmm_op *op);
void gmm_refop_undo(struct gmm_file *f, const struct gmm_op *op);

#endif /* _GMM_REFOPS_H */
