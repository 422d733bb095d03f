// SPDX-License-Identifier: GPL-2.0
/*
 * events.c - cleanup events of /dev/gmm: what read(2) and poll(2) of a
 * file return (GMM_FEATURE_CLEANUP), after fanotify.
 *
 * GMM_OP_CLEANUP (refops.c) registers a cleanup of the heap (cleanup.c)
 * whose argument is a struct gmm_ucleanup: the file and the caller's
 * cookie.  When the collector has found the object unreachable and swept
 * it, the cleanup runs on a workqueue and queues that record on the file
 * (gmm_ucleanup_fired()); read() hands out queued records as struct
 * gmm_cleanup_event, oldest first, and frees them; poll() reports POLLIN
 * while one is queued.  A record counts toward the file's handle limit
 * (nr_refs) from registration until it is read or cancelled, so a caller
 * that never reads cannot pile up kernel memory.  When the file goes, the
 * heap is destroyed first - which runs every cleanup left, queueing its
 * record - and the records still queued are freed with the file.
 */
#include <linux/fs.h>
#include <linux/list.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include <linux/gmm.h>
#include "dev.h"
#include "events.h"

/* One cleanup of a file: registered, then queued as an event. */
struct gmm_ucleanup {
	struct list_head node;		/* on f->events once it fired */
	struct gmm_file *f;
	u64 cookie;
	u32 id;
};

/**
 * gmm_file_events_init() - no events yet
 * @f: a new file
 */
void gmm_file_events_init(struct gmm_file *f)
{
	atomic_long_set(&f->nr_refs, 0);
	spin_lock_init(&f->ev_lock);
	INIT_LIST_HEAD(&f->events);
	init_waitqueue_head(&f->ev_wait);
}

/**
 * gmm_file_events_free() - free the events nobody read
 * @f: the file, whose heap is destroyed already
 */
void gmm_file_events_free(struct gmm_file *f)
{
	struct gmm_ucleanup *uc, *tmp;

	list_for_each_entry_safe(uc, tmp, &f->events, node)
		kfree(uc);
	INIT_LIST_HEAD(&f->events);
}

/**
 * gmm_ucleanup_new() - a record for a cleanup of @f with @cookie
 * @f: the file
 * @cookie: the caller's
 *
 * Process context; may sleep.
 *
 * Return: the record, or NULL.
 */
struct gmm_ucleanup *gmm_ucleanup_new(struct gmm_file *f, u64 cookie)
{
	struct gmm_ucleanup *uc = kzalloc(sizeof(*uc), GFP_KERNEL_ACCOUNT);

	if (uc) {
		INIT_LIST_HEAD(&uc->node);
		uc->f = f;
		uc->cookie = cookie;
	}
	return uc;
}

/**
 * gmm_ucleanup_set_id() - the id the heap gave the cleanup
 * @uc: the record
 * @id: from gmm_cleanup_add()
 */
void gmm_ucleanup_set_id(struct gmm_ucleanup *uc, u32 id)
{
	uc->id = id;
}

/**
 * gmm_ucleanup_fired() - the cleanup function: queue the event
 * @arg: the struct gmm_ucleanup
 *
 * Run by the heap's cleanup work, or by gmm_heap_destroy().
 */
void gmm_ucleanup_fired(void *arg)
{
	struct gmm_ucleanup *uc = arg;
	struct gmm_file *f = uc->f;

	spin_lock(&f->ev_lock);
	list_add_tail(&uc->node, &f->events);
	spin_unlock(&f->ev_lock);
	wake_up_interruptible(&f->ev_wait);
}

static bool gmm_events_any(struct gmm_file *f)
{
	bool any;

	spin_lock(&f->ev_lock);
	any = !list_empty(&f->events);
	spin_unlock(&f->ev_lock);
	return any;
}

/* Take the oldest event off @f, or NULL. */
static struct gmm_ucleanup *gmm_events_pop(struct gmm_file *f)
{
	struct gmm_ucleanup *uc;

	spin_lock(&f->ev_lock);
	uc = list_first_entry_or_null(&f->events, struct gmm_ucleanup, node);
	if (uc)
		list_del_init(&uc->node);
	spin_unlock(&f->ev_lock);
	return uc;
}

/* Put an event that could not be copied out back at the front. */
static void gmm_events_unpop(struct gmm_file *f, struct gmm_ucleanup *uc)
{
	spin_lock(&f->ev_lock);
	list_add(&uc->node, &f->events);
	spin_unlock(&f->ev_lock);
}

/**
 * gmm_dev_read() - read(2): cleanup events, as struct gmm_cleanup_event
 * @file: the file
 * @buf: user buffer
 * @count: its size; at least one event
 * @ppos: ignored (the device is not seekable)
 *
 * Waits for an event unless the file is O_NONBLOCK.
 *
 * Return: bytes read (whole events); -EINVAL for a buffer too small for
 * one; -EAGAIN (O_NONBLOCK, none queued); -ERESTARTSYS; -EFAULT when not
 * even the first event could be copied (it stays queued).
 */
ssize_t gmm_dev_read(struct file *file, char __user *buf, size_t count,
		     loff_t *ppos)
{
	struct gmm_file *f = file->private_data;
	struct gmm_cleanup_event ev;
	struct gmm_ucleanup *uc;
	size_t done = 0;
	int ret;

	if (count < sizeof(ev))
		return -EINVAL;
	for (;;) {
		while (done + sizeof(ev) <= count) {
			uc = gmm_events_pop(f);
			if (!uc)
				break;
			memset(&ev, 0, sizeof(ev));
			ev.cookie = uc->cookie;
			ev.id = uc->id;
			if (copy_to_user(buf + done, &ev, sizeof(ev))) {
				gmm_events_unpop(f, uc);
				return done ? done : -EFAULT;
			}
			kfree(uc);
			atomic_long_dec(&f->nr_refs);
			done += sizeof(ev);
		}
		if (done)
			return done;
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		/* Another reader may take what woke us: wait again then. */
		ret = wait_event_interruptible(f->ev_wait, gmm_events_any(f));
		if (ret)
			return ret;
	}
}

/**
 * gmm_dev_poll() - poll(2): readable while a cleanup event is queued
 * @file: the file
 * @wait: the poll table
 *
 * Return: EPOLLIN | EPOLLRDNORM when an event is queued, else 0.
 */
__poll_t gmm_dev_poll(struct file *file, struct poll_table_struct *wait)
{
	struct gmm_file *f = file->private_data;

	poll_wait(file, &f->ev_wait, wait);
	return gmm_events_any(f) ? EPOLLIN | EPOLLRDNORM : 0;
}
