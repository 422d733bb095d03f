/* SPDX-License-Identifier: GPL-2.0 */
/*
 * events.h - cleanup events of /dev/gmm (events.c): a cleanup user space
 * registered fires as an event queued on its file, read() and poll()ed
 * from the file like fanotify's.
 */
#ifndef _GMM_EVENTS_H
#define _GMM_EVENTS_H

#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/types.h>

struct gmm_file;
struct gmm_ucleanup;

void gmm_file_events_init(struct gmm_file *f);
void gmm_file_events_free(struct gmm_file *f);
struct gmm_ucleanup *gmm_ucleanup_new(struct gmm_file *f, u64 cookie);
void gmm_ucleanup_fired(void *arg);
void gmm_ucleanup_set_id(struct gmm_ucleanup *uc, u32 id);
ssize_t gmm_dev_read(struct file *file, char __user *buf, size_t count,
		     loff_t *ppos);
__poll_t gmm_dev_poll(struct file *file, struct poll_table_struct *wait);

#endif /* _GMM_EVENTS_H */
