/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sweep.h - sweeping (sweep.c): one span, a heap's background sweep, and
 * sweeping everything left at once.
 */
#ifndef _GMM_SWEEP_H
#define _GMM_SWEEP_H

#include <linux/types.h>

struct gmm_heap;
struct gmm_span;

bool gmm_sweep_span(struct gmm_heap *h, struct gmm_span *s);
unsigned long gmm_sweep_all(struct gmm_heap *h);
void gmm_sweep_start(struct gmm_heap *h);

#endif /* _GMM_SWEEP_H */
