/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scavenge.h - giving a page heap's free memory back to the buddy
 * allocator (scavenge.c, Go's scavenger).
 *
 * Wholly free arenas, and free 64 KiB granules of arenas still in use, go
 * back in the background after each cycle (down to the heap goal + 10 %),
 * from a memcg-aware shrinker under memory pressure, and on request (an
 * explicit scavenge, or an allocation that hit the module-wide limit).
 * The gmm_scav_*() functions are the page heap's side of it: pageheap.c
 * calls them when an arena comes, changes or goes.
 */
#ifndef _GMM_SCAVENGE_H
#define _GMM_SCAVENGE_H

#include <linux/types.h>

struct gmm_arena;
struct gmm_pageheap;
struct shrink_control;
struct work_struct;

/* Why memory went back, in the gmm_scavenge_run tracepoint. */
enum gmm_scav_why {
	GMM_SCAV_BACKGROUND = 0,	/* after a cycle, toward the goal */
	GMM_SCAV_SHRINKER = 1,		/* memory pressure (memcg or global) */
	GMM_SCAV_EXPLICIT = 2,		/* gmm_pageheap_scavenge(), limits */
};

/* Attempts to make room when a limit is hit (gmm_pageheap_make_room()). */
#define GMM_ROOM_TRIES		4

unsigned long gmm_pageheap_scavenge(struct gmm_pageheap *ph);
unsigned long gmm_pageheap_scavenge_pages(struct gmm_pageheap *ph,
					  unsigned long nr_pages, int why);
void gmm_pageheap_retain(struct gmm_pageheap *ph, u64 goal_bytes);
bool gmm_scavenge_set_background(bool on);
unsigned long gmm_pageheap_shrink_count(void);
unsigned long gmm_pageheap_shrink_scan(unsigned long nr_to_scan);
unsigned long gmm_pageheap_shrink_memcg(struct shrink_control *sc);
bool gmm_pageheap_make_room(void);

int gmm_scavenge_module_init(void);
void gmm_scavenge_module_exit(void);

/* The page heap's side; under ph->lock unless said otherwise. */
void gmm_scav_update_locked(struct gmm_pageheap *ph, struct gmm_arena *a);
int gmm_scav_lru_alloc(struct gmm_arena *a, gfp_t gfp);
void gmm_scav_lru_free(struct gmm_arena *a);
void gmm_scav_work(struct work_struct *work);
void gmm_scav_add_heap(struct gmm_pageheap *ph);
void gmm_scav_del_heap(struct gmm_pageheap *ph);

#endif /* _GMM_SCAVENGE_H */
