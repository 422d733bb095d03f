/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pacer.h - when to collect (pacer.c, Go's mgcpacer.go): the heap goal,
 * the trigger, the cons/mark model and the assists' share of the work.
 */
#ifndef _GMM_PACER_H
#define _GMM_PACER_H

#include <linux/atomic.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct gmm_heap;
struct gmm_cycle_trace;

#define GMM_CONS_HIST		4	/* cons/mark measurements kept */

/**
 * struct gmm_pacer - when to collect (pacer.c)
 * @lock: serialises changes of GOGC, the limit and the cycle's updates;
 *	a leaf lock (never held across anything that sleeps or locks), so
 *	that GMM_IOC_PARAMS never waits for a cycle.  Fields below written
 *	under it and read with READ_ONCE() where read without it
 * @gc_percent: GOGC; -1 = off
 * @heap_live: bytes in spans handed to caches since the last mark
 *	termination plus marked bytes (Go's heapLive), updated per span
 *	(atomic, not under @lock)
 * @heap_marked: bytes marked by the last cycle
 * @heap_goal: heap_live the next cycle should finish at
 * @trigger: heap_live at which the next cycle starts
 * @arm_at: heap_live at which the stop of the world is armed (stw.c)
 * @arm_dist: how far before the trigger to arm (U64_MAX: not measured)
 * @assist_ratio: the last assist's scan bytes per allocated byte, 16.16
 *	(for debugfs; assists compute their own)
 * @scan_expected: bytes the current cycle is expected to scan
 * @triggered: heap_live when the current cycle started
 * @last_scanned: bytes the last cycle scanned
 * @cons_mark: the model: max of @cons_hist, 16.16
 * @cons_hist: the last GMM_CONS_HIST measurements of cons/mark
 * @cons_idx: next slot in @cons_hist
 * @last_end_ns: when the last cycle's mark termination ran
 */
struct gmm_pacer {
	spinlock_t lock;		/* see above: a leaf */
	int gc_percent;
	atomic64_t heap_live;
	u64 heap_marked;
	u64 heap_goal;
	u64 trigger;
	u64 arm_at;
	u64 arm_dist;
	u64 assist_ratio;
	u64 scan_expected;
	u64 triggered;
	u64 last_scanned;
	u64 cons_mark;
	u64 cons_hist[GMM_CONS_HIST];
	unsigned int cons_idx;
	u64 last_end_ns;
};

void gmm_pacer_init(struct gmm_heap *h, int gc_percent);
void gmm_pacer_cycle_start(struct gmm_heap *h, u64 arm_wait_ns);
void gmm_pacer_cycle_end(struct gmm_heap *h, const struct gmm_cycle_trace *t);
void gmm_pacer_note_alloc(struct gmm_heap *h, u64 bytes);
long gmm_pacer_assist_work(struct gmm_heap *h, u64 alloc_bytes, bool *strict);
u64 gmm_pacer_cons_mark(const struct gmm_cycle_trace *t);

#endif /* _GMM_PACER_H */
