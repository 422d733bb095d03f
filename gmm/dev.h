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
#include <linux/fs.h>
#include <linux/list.h>
#include <linux/poll.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

struct gmm_heap;

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
 */
struct gmm_file {
	struct gmm_heap *heap;
	atomic_long_t nr_handles;
	uid_t uid;
	atomic_long_t nr_refs;
	spinlock_t ev_lock;		/* @events */
	struct list_head events;
	wait_queue_head_t ev_wait;
};

/* ops.c */
long gmm_ioctl_type_create(struct gmm_file *f, unsigned int cmd,
			   unsigned long arg);
long gmm_ioctl_op(struct gmm_file *f, unsigned int cmd, unsigned long arg);

/* batch.c */
long gmm_ioctl_batch(struct gmm_file *f, unsigned int cmd,
		     unsigned long arg);

/* events.c */
struct gmm_ucleanup;
void gmm_file_events_init(struct gmm_file *f);
void gmm_file_events_free(struct gmm_file *f);
struct gmm_ucleanup *gmm_ucleanup_new(struct gmm_file *f, u64 cookie);
void gmm_ucleanup_fired(void *arg);
void gmm_ucleanup_set_id(struct gmm_ucleanup *uc, u32 id);
ssize_t gmm_dev_read(struct file *file, char __user *buf, size_t count,
		     loff_t *ppos);
__poll_t gmm_dev_poll(struct file *file, struct poll_table_struct *wait);

/* snapshot.c */
long gmm_ioctl_stats(struct gmm_file *f, unsigned int cmd, unsigned long arg);
long gmm_ioctl_spans(struct gmm_file *f, unsigned int cmd, unsigned long arg);
long gmm_ioctl_cycles(struct gmm_file *f, unsigned int cmd,
		      unsigned long arg);

#endif /* _GMM_DEV_H */
