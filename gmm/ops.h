/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ops.h - the /dev/gmm commands that make and change objects and types
 * (ops.c); dev.c dispatches to them.
 */
#ifndef _GMM_OPS_H
#define _GMM_OPS_H

struct gmm_file;

long gmm_ioctl_type_create(struct gmm_file *f, unsigned int cmd,
			   unsigned long arg);
long gmm_ioctl_op(struct gmm_file *f, unsigned int cmd, unsigned long arg);
long gmm_ioctl_batch(struct gmm_file *f, unsigned int cmd,
		     unsigned long arg);

#endif /* _GMM_OPS_H */
