/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pagesum.h - summaries of a page heap's arenas: a max-tree over arena
 * slots.
 *
 * The page heap numbers its arenas with small slot numbers (the lowest
 * free one for a new arena) and keeps, per slot, a small number that
 * summarises the arena - the longest run of free runtime pages for
 * allocation, the number of free 64 KiB granules for the scavenger.  A
 * struct gmm_pagesum is a complete binary tree over the slots whose inner
 * nodes hold the maximum of their children, so "the lowest slot whose
 * value is at least n" and "the highest such slot" are one walk from the
 * root: O(log slots), whatever the heap's size.  Go's page allocator keeps
 * a radix tree of (start, max, end) summaries over address space for the
 * same reason; gmm's spans never cross an arena, so an arena's longest free
 * run (its max) is all the tree needs.
 *
 * The tree has no lock of its own: the page heap's lock protects it.  Its
 * storage is allocated by the caller (it may sleep; the lock may not be
 * held), and gmm_pagesum_install() moves the values into it under the
 * lock.
 */
#ifndef _GMM_PAGESUM_H
#define _GMM_PAGESUM_H

#include <linux/types.h>

/**
 * struct gmm_pagesum - a max-tree over slots.
 * @node: 2 * @cap values: node[1] is the root, node[i]'s children are
 *	node[2i] and node[2i + 1], slot s is leaf node[@cap + s]; node[0]
 *	is unused.  NULL while @cap is 0.
 * @cap: slots the tree has room for: 0 or a power of two.
 */
struct gmm_pagesum {
	u16 *node;
	unsigned int cap;
};

/* Bytes of storage a tree with @cap slots needs. */
static inline size_t gmm_pagesum_bytes(unsigned int cap)
{
	return 2 * (size_t)cap * sizeof(u16);
}

/* The value of @slot (0 beyond the tree's room). */
static inline u16 gmm_pagesum_get(const struct gmm_pagesum *s,
				  unsigned int slot)
{
	return slot < s->cap ? s->node[s->cap + slot] : 0;
}

/* The largest value of any slot. */
static inline u16 gmm_pagesum_max(const struct gmm_pagesum *s)
{
	return s->cap ? s->node[1] : 0;
}

void gmm_pagesum_set(struct gmm_pagesum *s, unsigned int slot, u16 val);
long gmm_pagesum_first(const struct gmm_pagesum *s, u16 want);
long gmm_pagesum_last(const struct gmm_pagesum *s, u16 want);
u16 *gmm_pagesum_install(struct gmm_pagesum *s, u16 *node, unsigned int cap);

#endif /* _GMM_PAGESUM_H */
