/* SPDX-License-Identifier: GPL-2.0 */
/*
 * poison.h - catching writes to objects the collector has freed (poison.c,
 * module parameter debug_poison).
 */
#ifndef _GMM_POISON_H
#define _GMM_POISON_H

#include <linux/types.h>

struct gmm_heap;
struct gmm_span;

/* The byte free slots are filled with (slub's POISON_FREE). */
#define GMM_POISON_FREE		0x6b

extern bool gmm_debug_poison;

void gmm_poison_span(struct gmm_heap *h, struct gmm_span *s);
bool gmm_poison_check(struct gmm_heap *h, struct gmm_span *s,
		      unsigned int idx);
void gmm_poison_span_free(struct gmm_span *s);
bool gmm_poison_kasan(void);

#endif /* _GMM_POISON_H */
