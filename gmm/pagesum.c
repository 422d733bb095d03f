// SPDX-License-Identifier: GPL-2.0
/*
 * pagesum.c - the max-tree over arena slots (see pagesum.h).
 *
 * Updating a slot rewrites the maxima on its path to the root and stops as
 * soon as one does not change; searching goes down from the root to the
 * leftmost (or rightmost) child that is big enough.  Both are loops over
 * the tree's height, at most 32 steps.  Callers hold the page heap's lock.
 */
#include <linux/bug.h>
#include <linux/minmax.h>
#include <linux/string.h>

#include "internal.h"
#include "pagesum.h"

/**
 * gmm_pagesum_set() - set the value of a slot
 * @s: the tree
 * @slot: the slot, below @s->cap
 * @val: its new value
 *
 * O(log cap).  Caller holds the lock that protects @s.
 */
void gmm_pagesum_set(struct gmm_pagesum *s, unsigned int slot, u16 val)
{
	unsigned int i;

	if (WARN_ON_ONCE(slot >= s->cap))
		return;
	i = s->cap + slot;
	s->node[i] = val;
	for (i >>= 1; i; i >>= 1) {
		u16 m = max(s->node[2 * i], s->node[2 * i + 1]);

		if (s->node[i] == m)
			break;
		s->node[i] = m;
	}
}

GMM_EXPORT_FOR_TESTING(gmm_pagesum_set);

/**
 * gmm_pagesum_first() - the lowest slot with a value of at least @want
 * @s: the tree
 * @want: the value looked for, at least 1
 *
 * O(log cap).  Caller holds the lock that protects @s.
 *
 * Return: the slot, or -1 when no slot has that much.
 */
long gmm_pagesum_first(const struct gmm_pagesum *s, u16 want)
{
	unsigned int i = 1;

	if (gmm_pagesum_max(s) < want)
		return -1;
	while (i < s->cap)
		i = s->node[2 * i] >= want ? 2 * i : 2 * i + 1;
	return i - s->cap;
}

GMM_EXPORT_FOR_TESTING(gmm_pagesum_first);

/**
 * gmm_pagesum_last() - the highest slot with a value of at least @want
 * @s: the tree
 * @want: the value looked for, at least 1
 *
 * O(log cap).  Caller holds the lock that protects @s.
 *
 * Return: the slot, or -1 when no slot has that much.
 */
long gmm_pagesum_last(const struct gmm_pagesum *s, u16 want)
{
	unsigned int i = 1;

	if (gmm_pagesum_max(s) < want)
		return -1;
	while (i < s->cap)
		i = s->node[2 * i + 1] >= want ? 2 * i + 1 : 2 * i;
	return i - s->cap;
}

GMM_EXPORT_FOR_TESTING(gmm_pagesum_last);

/**
 * gmm_pagesum_install() - move a tree into larger storage
 * @s: the tree
 * @node: zeroed storage for @cap slots (gmm_pagesum_bytes(@cap))
 * @cap: a power of two larger than @s->cap
 *
 * Copies the slots' values and rebuilds the inner nodes: O(@cap), once per
 * doubling.  Caller holds the lock that protects @s.
 *
 * Return: the old storage, for the caller to free after dropping the lock.
 */
u16 *gmm_pagesum_install(struct gmm_pagesum *s, u16 *node, unsigned int cap)
{
	u16 *old = s->node;
	unsigned int i;

	if (WARN_ON_ONCE(cap <= s->cap || (cap & (cap - 1))))
		return node;
	if (s->cap)
		memcpy(&node[cap], &s->node[s->cap], s->cap * sizeof(u16));
	for (i = cap - 1; i; i--)
		node[i] = max(node[2 * i], node[2 * i + 1]);
	s->node = node;
	s->cap = cap;
	return old;
}

GMM_EXPORT_FOR_TESTING(gmm_pagesum_install);
