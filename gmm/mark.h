/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mark.h - marking (mark.c): shading, draining grey objects, the roots,
 * the checkmark pass and mutator assists.
 */
#ifndef _GMM_MARK_H
#define _GMM_MARK_H

#include <linux/bits.h>
#include <linux/types.h>

struct gmm_heap;
struct gmm_span;

/* gmm_mark_drain() flags */
#define GMM_DRAIN_YIELD		BIT(0)	/* give way to a pending stop */
#define GMM_DRAIN_IDLE		BIT(1)	/* an idle-priority worker */

/* An assist drains at least this much (Go's gcOverAssistWork). */
#define GMM_OVER_ASSIST		(64 << 10)

extern bool gmm_barrier_disabled;
void gmm_shade(struct gmm_heap *h, void *obj);
void gmm_mark_new_object(struct gmm_heap *h, struct gmm_span *s,
			 unsigned int idx);
long gmm_mark_drain(struct gmm_heap *h, long budget, unsigned int flags);
void gmm_mark_roots(struct gmm_heap *h);
void gmm_mark_roots_stw(struct gmm_heap *h);
void gmm_mark_handles(struct gmm_heap *h);
u64 gmm_checkmark(struct gmm_heap *h);
void gmm_assist(struct gmm_heap *h, u64 alloc_bytes);
/* Scan one grey object of @s whose grey bit the caller cleared. */
long gmm_mark_scan_one(struct gmm_heap *h, struct gmm_span *s,
		       unsigned int idx);

#endif /* _GMM_MARK_H */
