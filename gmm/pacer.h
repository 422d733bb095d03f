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
 *
 * Two writers: GOGC and limit changes (any task, gmm_set_gc_percent(),
 * gmm_set_memory_limit()) and the heap's cycle work item (start and end of
 * a cycle).  Both write under @lock; readers without it (the allocation
 * path, assists, debugfs, GMM_IOC_STATS) use READ_ONCE() and may see one
 * field's old value beside another's new one.
 *
 * @lock: serialises the writers; a leaf lock (never held across anything
 *	that sleeps or locks), so that GMM_IOC_PARAMS never waits for a cycle
 * @gc_percent: GOGC; -1 = off.  @lock
 * @heap_live: bytes in spans handed to caches since the last mark
 *	termination plus marked bytes (Go's heapLive), updated per span.
 *	Atomic, no lock; reset by the cycle end under @lock
 * @heap_marked: bytes marked by the last cycle.  @lock
 * @heap_goal: heap_live the next cycle should finish at.  @lock
 * @trigger: heap_live at which the next cycle starts.  @lock
 * @arm_at: heap_live at which the stop of the world is armed (stw.c).
 *	@lock
 * @arm_dist: how far before the trigger to arm (U64_MAX: not measured).
 *	@lock
 * @assist_ratio: the last assist's scan bytes per allocated byte, 16.16,
 *	for debugfs only: assisting mutators store it with WRITE_ONCE() and
 *	no lock (the last one wins); the cycle end clears it
 * @scan_expected: bytes the current cycle is expected to scan.  @lock
 * @triggered: heap_live when the current cycle started.  @lock
 * @last_scanned: bytes the last cycle scanned.  @lock
 * @cons_mark: the model: max of @cons_hist, 16.16.  @lock
 * @cons_hist: the last GMM_CONS_HIST measurements of cons/mark.  @lock
 * @cons_idx: next slot in @cons_hist.  @lock
 * @last_end_ns: when the last cycle's mark termination ran.  Written
 *	under @lock, read by the cycle work item only (its own writer)
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
void gmm_pacer_note_alloc_nowait(struct gmm_heap *h, u64 bytes);
long gmm_pacer_assist_work(struct gmm_heap *h, u64 alloc_bytes, bool *strict);
u64 gmm_pacer_cons_mark(const struct gmm_cycle_trace *t);

#endif /* _GMM_PACER_H */
