/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pagelimit.h - the limits on what page heaps hold (pagelimit.c): one per
 * heap (struct gmm_pageheap's limit_bytes) and one for the whole module
 * (module parameter max_total_mb, default half of RAM).
 *
 * An arena's system pages are charged before they are allocated and
 * uncharged as soon as they go back to the buddy allocator; metadata
 * (span descriptors, types) is charged in bytes against the same limits.
 * A charge that would cross a limit fails and takes nothing.
 */
#ifndef _GMM_PAGELIMIT_H
#define _GMM_PAGELIMIT_H

#include <linux/types.h>

struct gmm_pageheap;

bool gmm_pageheap_charge(struct gmm_pageheap *ph, unsigned long nr);
void gmm_pageheap_uncharge(struct gmm_pageheap *ph, unsigned long nr);
bool gmm_pageheap_charge_meta(struct gmm_pageheap *ph, size_t bytes);
void gmm_pageheap_uncharge_meta(struct gmm_pageheap *ph, size_t bytes);
unsigned long gmm_pageheap_total_pages(void);
u64 gmm_pageheap_total_limit(void);
unsigned long gmm_pageheap_set_max_total_mb(unsigned long mb);

#endif /* _GMM_PAGELIMIT_H */
