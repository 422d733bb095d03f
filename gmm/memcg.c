// SPDX-License-Identifier: GPL-2.0
/*
 * memcg.c - what a heap takes from its opener's memory cgroup.
 *
 * A heap made for user space (GMM_HEAP_ACCOUNT) charges its pages and
 * metadata to the opener's memory cgroup, with __GFP_RETRY_MAYFAIL: when
 * the cgroup is full a charge fails and the allocation returns -ENOMEM
 * (after a collection, ops.c) instead of running the cgroup's OOM killer
 * from inside gmm.  Go programs in containers take GOMEMLIMIT from the
 * cgroup's limit (automemlimit); gmm does the same for a heap with no
 * limit of its own: gmm_memcg_limit_bytes() is the tightest memory.max on
 * the path from the opener's cgroup to the root, and the heap's memory
 * limit (hard for its page heap, 95 % of it the pacer's soft goal) starts
 * there.
 */
#include <linux/memcontrol.h>
#include <linux/minmax.h>
#include <linux/page_counter.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>

#include "internal.h"
#include "memcg.h"

/**
 * gmm_memcg_limit_bytes() - the memory limit of the current task's cgroup
 *
 * Process context.
 *
 * Return: the smallest memory.max from the current task's memory cgroup up
 * to the root, in bytes; 0 when there is none (no memcg, the root cgroup,
 * or "max" all the way up).
 */
u64 gmm_memcg_limit_bytes(void)
{
#ifdef CONFIG_MEMCG
	unsigned long pages = PAGE_COUNTER_MAX;
	struct page_counter *c;
	struct mem_cgroup *memcg;
	struct mm_struct *mm;

	if (mem_cgroup_disabled())
		return 0;
	mm = get_task_mm(current);
	if (!mm)
		return 0;
	memcg = get_mem_cgroup_from_mm(mm);
	mmput(mm);
	if (!memcg)
		return 0;
	for (c = &memcg->memory; c; c = c->parent)
		pages = min(pages, READ_ONCE(c->max));
	mem_cgroup_put(memcg);
	if (pages >= PAGE_COUNTER_MAX)
		return 0;
	return (u64)pages << PAGE_SHIFT;
#else
	return 0;
#endif
}
