/* SPDX-License-Identifier: GPL-2.0 */
/*
 * batch.h - GMM_IOC_BATCH (batch.c): many operations in one ioctl, their
 * elements read and results written a chunk at a time.
 */
#ifndef _GMM_BATCH_H
#define _GMM_BATCH_H

struct gmm_file;

long gmm_ioctl_batch(struct gmm_file *f, unsigned int cmd,
		     unsigned long arg);
void gmm_batch_release(struct gmm_file *f);

#endif /* _GMM_BATCH_H */
