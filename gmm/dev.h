/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dev.h - what the /dev/gmm layer (dev.c, ops.c, batch.c, snapshot.c)
 * shares.
 *
 * Each open file of /dev/gmm owns one heap (struct gmm_file, the file's
 * private_data).  Its objects are named by the heap's handles; the file
 * counts them so one opener cannot fill the kernel with handle entries
 * (module parameter max_handles).
 */
#ifndef _GMM_DEV_H
#define _GMM_DEV_H

#include <linux/atomic.h>
#include <linux/types.h>

struct gmm_heap;

/**
 * struct gmm_file - the state of one open file of /dev/gmm
 * @heap: the file's private heap, destroyed when the file is released
 * @nr_handles: handles the file holds (reserved before they are made)
 * @uid: the opener's real uid, whose heap count (max_heaps_per_user)
 *	the file holds
 */
struct gmm_file {
	struct gmm_heap *heap;
	atomic_long_t nr_handles;
	uid_t uid;
};

/* ops.c */
long gmm_ioctl_type_create(struct gmm_file *f, unsigned int cmd,
			   unsigned long arg);
long gmm_ioctl_op(struct gmm_file *f, unsigned int cmd, unsigned long arg);

/* batch.c */
long gmm_ioctl_batch(struct gmm_file *f, unsigned int cmd,
		     unsigned long arg);

/* snapshot.c */
long gmm_ioctl_stats(struct gmm_file *f, unsigned int cmd, unsigned long arg);
long gmm_ioctl_spans(struct gmm_file *f, unsigned int cmd, unsigned long arg);
long gmm_ioctl_cycles(struct gmm_file *f, unsigned int cmd,
		      unsigned long arg);

#endif /* _GMM_DEV_H */
