/* SPDX-License-Identifier: GPL-2.0 */
/*
 * debugfs.h - the files under /sys/kernel/debug/gmm (debugfs.c): the
 * module's directory and one directory per heap.
 */
#ifndef _GMM_DEBUGFS_H
#define _GMM_DEBUGFS_H

struct gmm_heap;
struct seq_file;

void gmm_debugfs_init(void);
void gmm_debugfs_exit(void);
void gmm_heap_debugfs_init(struct gmm_heap *h);
void gmm_heap_debugfs_exit(struct gmm_heap *h);
int gmm_heap_debugfs_show(struct gmm_heap *h, const char *name,
			  struct seq_file *m);

#endif /* _GMM_DEBUGFS_H */
