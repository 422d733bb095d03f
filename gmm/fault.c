// SPDX-License-Identifier: GPL-2.0
/*
 * fault.c - fault-injection attributes, one per call site (see fault.h).
 *
 * Each attribute appears as /sys/kernel/debug/gmm/fail_<site>/ with the
 * usual knobs (probability, interval, times, verbose, task-filter, ...);
 * see Documentation/fault-injection/fault-injection.rst in the kernel.
 */
#include <linux/debugfs.h>
#include <linux/fault-inject.h>

#include "fault.h"
#include "internal.h"

#ifdef CONFIG_FAULT_INJECTION
struct fault_attr gmm_fault_attrs[GMM_FAIL_NR] = {
	[0 ... GMM_FAIL_NR - 1] = FAULT_ATTR_INITIALIZER,
};

GMM_EXPORT_FOR_TESTING(gmm_fault_attrs);

static const char *const gmm_fault_names[GMM_FAIL_NR] = {
	[GMM_FAIL_ARENA]	= "fail_arena",
	[GMM_FAIL_ARENA_META]	= "fail_arena_meta",
	[GMM_FAIL_SPAN_META]	= "fail_span_meta",
	[GMM_FAIL_HEAP_META]	= "fail_heap_meta",
	[GMM_FAIL_ARENA_SLOTS]	= "fail_arena_slots",
};

void gmm_fault_debugfs_init(struct dentry *root)
{
	int i;

	for (i = 0; i < GMM_FAIL_NR; i++)
		fault_create_debugfs_attr(gmm_fault_names[i], root,
					  &gmm_fault_attrs[i]);
}
#else
void gmm_fault_debugfs_init(struct dentry *root)
{
}
#endif
