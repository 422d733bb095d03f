/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gctrace.h - a cycle's record as Go's gctrace line, and the ring of
 * records (gctrace.c).
 */
#ifndef _GMM_GCTRACE_H
#define _GMM_GCTRACE_H

#include <linux/gmm.h>
#include <linux/types.h>

struct gmm_heap;

/* Room for one gctrace line (gmm_gctrace_format()), NUL included. */
#define GMM_GCTRACE_LEN		256

int gmm_gctrace_format(char *buf, size_t size, const struct gmm_cycle_trace *t);
void gmm_gctrace_print(struct gmm_heap *h, const struct gmm_cycle_trace *t);
unsigned int gmm_gc_read_cycles(struct gmm_heap *h, struct gmm_cycle_trace *out);
bool gmm_gctrace_on(void);

#endif /* _GMM_GCTRACE_H */
