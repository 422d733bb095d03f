/* SPDX-License-Identifier: GPL-2.0 */
/*
 * markworker.h - the module's per-CPU mark workers, shared by all heaps
 * (markworker.c).
 */
#ifndef _GMM_MARKWORKER_H
#define _GMM_MARKWORKER_H

struct gmm_heap;

int gmm_mark_workers_init(void);
void gmm_mark_workers_exit(void);
void gmm_mark_publish(struct gmm_heap *h);
void gmm_mark_unpublish(struct gmm_heap *h);
void gmm_mark_utilization(unsigned int ncpus, unsigned int *dedicated,
			  unsigned int *frac_pm);

#endif /* _GMM_MARKWORKER_H */
