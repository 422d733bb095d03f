/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gmm_kunit.h - helpers shared by gmm's KUnit suites.
 *
 * Tests that inject faults through gmm_fault_attrs[] (gmm/fault.h) save
 * each attribute first and restore it afterwards, so one test's settings
 * never leak into the next.
 */
#ifndef _GMM_KUNIT_H
#define _GMM_KUNIT_H

#include <linux/atomic.h>
#include <linux/fault-inject.h>

#ifdef CONFIG_FAULT_INJECTION
struct gmm_kunit_fault_saved {
	unsigned long probability;
	unsigned long interval;
	int times;
	int space;
	unsigned long verbose;
	bool task_filter;
};

static inline void gmm_kunit_fault_save(struct gmm_kunit_fault_saved *s,
					struct fault_attr *a)
{
	s->probability = a->probability;
	s->interval = a->interval;
	s->times = atomic_read(&a->times);
	s->space = atomic_read(&a->space);
	s->verbose = a->verbose;
	s->task_filter = a->task_filter;
}

static inline void gmm_kunit_fault_restore(const struct gmm_kunit_fault_saved *s,
					   struct fault_attr *a)
{
	a->probability = s->probability;
	a->interval = s->interval;
	atomic_set(&a->times, s->times);
	atomic_set(&a->space, s->space);
	a->verbose = s->verbose;
	a->task_filter = s->task_filter;
}
#endif

#endif /* _GMM_KUNIT_H */
