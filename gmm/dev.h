/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dev.h - /dev/gmm (dev.c): the open file, and copying a command's
 * struct in and out under the ABI's size rules; ops.h and snapshot.h
 * declare the commands dev.c dispatches to.
 *
 * Each open file of /dev/gmm owns one heap (struct gmm_file, the file's
 * private_data).  Its objects are named by the heap's handles; the file
 * counts them so one opener cannot fill the kernel with handle entries
 * (module parameter max_handles).
 */
#ifndef _GMM_DEV_H
#define _GMM_DEV_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

struct gmm_batch_state;
struct gmm_heap;
struct gmm_version;

/**
 * struct gmm_file - the state of one open file of /dev/gmm
 * @heap: the file's private heap, destroyed when the file is released
 * @nr_handles: handles the file holds (reserved before they are made)
 * @uid: the opener's real uid, whose heap count (max_heaps_per_user)
 *	the file holds
 * @nr_refs: weak handles and cleanups (registered or with an event
 *	unread) the file holds, against the same limit as handles
 * @ev_lock: protects @events (a leaf)
 * @events: cleanup events to read (struct gmm_ucleanup, events.c)
 * @ev_wait: readers and pollers wait here
 * @batch_spare: the state of a finished batch, kept for the next one
 *	(batch.c), or NULL; taken and put back with xchg() and cmpxchg()
 */
struct gmm_file {
	struct gmm_heap *heap;
	atomic_long_t nr_handles;
	uid_t uid;
	atomic_long_t nr_refs;
	spinlock_t ev_lock;		/* @events */
	struct list_head events;
	wait_queue_head_t ev_wait;
	struct gmm_batch_state *batch_spare;
};

int gmm_dev_init(void);
void gmm_dev_exit(void);
int gmm_ioctl_version(struct gmm_version *v);
long gmm_copy_arg_in(void *karg, size_t ksize, size_t min_size,
		     unsigned int cmd, unsigned long arg);
long gmm_copy_arg_out(unsigned long arg, unsigned int cmd,
		      const void *karg, size_t ksize);

#endif /* _GMM_DEV_H */
