/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fault.h - fault-injection points of gmm.
 *
 * Every place where gmm asks another allocator for memory has its own
 * fault_attr, so tests (and operators, through
 * /sys/kernel/debug/gmm/fail_<site>/) can make exactly that call fail.
 * Without CONFIG_FAULT_INJECTION the checks compile to "false".
 */
#ifndef _GMM_FAULT_H
#define _GMM_FAULT_H

#include <linux/fault-inject.h>
#include <linux/types.h>

struct dentry;

enum gmm_fault_site {
	GMM_FAIL_ARENA,		/* alloc_pages() for a new arena */
	GMM_FAIL_ARENA_META,	/* arena descriptor */
	GMM_FAIL_SPAN_META,	/* span descriptor and its bitmaps */
	GMM_FAIL_HEAP_META,	/* heap, per-CPU caches, type table */
	GMM_FAIL_ARENA_SLOTS,	/* slot table, summaries, scavenger item */
	GMM_FAIL_NR
};

#ifdef CONFIG_FAULT_INJECTION
extern struct fault_attr gmm_fault_attrs[GMM_FAIL_NR];

static inline bool gmm_should_fail(enum gmm_fault_site site)
{
	return should_fail(&gmm_fault_attrs[site], 1);
}
#else
static inline bool gmm_should_fail(enum gmm_fault_site site)
{
	return false;
}
#endif

void gmm_fault_debugfs_init(struct dentry *root);

#endif /* _GMM_FAULT_H */
