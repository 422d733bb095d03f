/* SPDX-License-Identifier: GPL-2.0 */
/*
 * snapshot.h - the /dev/gmm commands that report on a heap: statistics,
 * spans and cycles (snapshot.c); dev.c dispatches to them.
 */
#ifndef _GMM_SNAPSHOT_H
#define _GMM_SNAPSHOT_H

struct gmm_file;

long gmm_ioctl_stats(struct gmm_file *f, unsigned int cmd, unsigned long arg);
long gmm_ioctl_spans(struct gmm_file *f, unsigned int cmd, unsigned long arg);
long gmm_ioctl_cycles(struct gmm_file *f, unsigned int cmd,
		      unsigned long arg);

#endif /* _GMM_SNAPSHOT_H */
