/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gc.h - the collector's state in a heap and its cycle (gc.c).  The parts
 * of the collector have headers of their own: mark.h, markworker.h,
 * sweep.h, pacer.h, roots.h and stw.h.
 *
 * A cycle, as in Go:
 *   sweep termination (STW): finish sweeping, flush per-CPU caches, scan
 *     the roots, turn the write barrier and allocate-black on;
 *   mark (concurrent): the module's mark workers (markworker.c), shared
 *     by all heaps, drain grey objects while mutators run; mutators that
 *     allocate assist;
 *   mark termination (STW): drain what is left, optional checkmark pass,
 *     barrier off, flush caches, sweepgen += 2;
 *   sweep (concurrent): lazily when central lists hand out spans, and in
 *     the background after the cycle; then off until the pacer triggers.
 *
 * The phases run as a work item of the module's workqueue gmm_gc: one run
 * for sweep termination and the start of mark, one for mark termination
 * and sweeping, queued by whoever finds marking complete.  No heap owns a
 * thread.
 *
 * Stop-the-world: every mutator operation on a heap runs inside a
 * "mutator section" (gmm_mutator_enter/exit, stw.c); the collector stops
 * the world by keeping new sections out and waiting for those in flight.
 * Only this heap's mutators stop.
 */
#ifndef _GMM_GC_H
#define _GMM_GC_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/llist.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <linux/gmm.h>
#include <uapi/linux/gmm.h>
#include "gctrace.h"
#include "step.h"
#include "stw.h"

struct gmm_heap;
struct gmm_span;
struct task_struct;

#define GMM_PAUSE_RING		GMM_NUM_PAUSES	/* STW pauses kept */
/* Heap at mark termination over the goal, per mille: bucket upper edges. */
#define GMM_GOAL_HIST		GMM_GOAL_BUCKETS
#define GMM_CYCLE_RING		GMM_NUM_CYCLES	/* cycle records kept */

/*
 * Test hook (test builds only): hold the next cycle at a chosen point so
 * that a KUnit case can act while the collector is exactly there, instead
 * of polling for the phase and skipping when it misses it.
 *   GMM_HOLD_MARK       marking has begun: the world runs again after the
 *                       first pause, the roots of that pause are grey,
 *                       nothing has been drained and no handle scanned
 *   GMM_HOLD_MARK_DONE  background marking found no grey object left;
 *                       mark termination is next
 * gmm_gc_hold_release(h, true) also skips the background marking that
 * follows GMM_HOLD_MARK, as if the mark workers got no CPU: mark
 * termination must then do all of it.  Holding blocks the heap's cycle
 * work item (a kworker of gmm_gc), never a mark worker.
 */
enum gmm_gc_hold_point {
	GMM_HOLD_NONE = 0,
	GMM_HOLD_MARK,
	GMM_HOLD_MARK_DONE,
};

/**
 * struct gmm_gc_hold - where a test holds the collector (gc.lock)
 * @point: enum gmm_gc_hold_point the next cycle stops at
 * @held: the collector is waiting at @point
 * @skip_bg: after the hold, no background marking
 * @wait: both sides wait here
 */
struct gmm_gc_hold {
	int point;
	bool held;
	bool skip_bg;
	wait_queue_head_t wait;
};

/* enum gmm_gc_cstate: where a heap's cycle is (struct gmm_gc's @cstate) */
enum gmm_gc_cstate {
	GMM_CYCLE_IDLE = 0,	/* no cycle, or sweeping after one */
	GMM_CYCLE_MARKING,	/* concurrent mark */
	GMM_CYCLE_MARK_DONE,	/* no grey object left: termination queued */
};

/**
 * struct gmm_gc - the collector of one heap
 *
 * Owners.  "The cycle" is the heap's work item on the gmm_gc workqueue
 * (gc.c): it never runs twice at once, so what only it writes needs no
 * lock; readers elsewhere use READ_ONCE() and take each value on its own.
 * "Atomic" fields are updated by any task with atomic operations, and the
 * cycle resets them with the world stopped.
 *
 * @stw: mutator sections; stopping the world (stw.c, its own locking)
 * @phase: enum gmm_gc_phase; written by the cycle with the world stopped,
 *	read with READ_ONCE() by mutators (a section keeps it stable)
 * @cstate: enum gmm_gc_cstate; MARKING -> MARK_DONE by cmpxchg (one
 *	drainer claims the end of marking), every other change by the cycle
 * @work: the cycle's work item on the gmm_gc workqueue; never runs twice
 *	at once (workqueues are non-reentrant), so the phases need no lock
 * @dying: the heap is being destroyed: the cycle, the sweeper and the
 *	drainers stop as soon as they can.  Set once by gmm_gc_destroy()
 * @roots_done: the concurrent root scan (handles) of this cycle is over.
 *	The cycle
 * @mark_node: on the mark workers' list while marking (gmm_marking_lock,
 *	markworker.c)
 * @workers: mark workers draining this heap (gmm_marking_lock)
 * @mark_start_ns: when concurrent mark began.  The cycle
 * @lock: protects @requested, @started, @completed, @forced_upto; the
 *	cycle also publishes @num_gc, @num_forced, @goal_hist and @cycles
 *	under it; a leaf
 * @forced_upto: cycles up to this number were asked for by gmm_gc().
 *	@lock
 * @done: gmm_gc() callers wait here for cycles to end
 * @requested: number of the latest cycle asked for.  @lock
 * @started: cycles started.  @lock
 * @completed: cycles finished (marked and swept).  @lock; gmm_gc()
 *	waits on it with READ_ONCE()
 * @grey: spans with grey objects (llist of span->grey_node); anyone adds,
 *	drainers take one span at a time under @grey_lock
 * @grey_lock: serialises the drainers' llist_del_first() (a leaf)
 * @drainers: drainers at work (low 32 bits; each may hold a grey span
 *	privately) and drains ever begun (high 32 bits), in one atomic so
 *	that one read sees both (gmm_gc_mark_maybe_done()).  Atomic
 * @marked_bytes: bytes marked this cycle (allocate-black included).
 *	Atomic
 * @scanned_bytes: bytes scanned this cycle.  Atomic
 * @assist_bytes: of which by mutator assists.  Atomic
 * @bg_credit: scan work of the mark workers not yet taken by assists.
 *	Atomic
 * @bg_ns: mark workers' time on this heap, in total.  Atomic
 * @idle_ns: idle-priority mark workers' time on this heap, in total.
 *	Atomic
 * @checkmark: run the checkmark pass at mark termination.  Set by tests
 *	before a cycle; read with READ_ONCE()
 * @checking: the drain is the checkmark pass.  The cycle, with the world
 *	stopped; markers read it with READ_ONCE()
 * @checkmark_failures: objects the checkmark pass found unmarked, total.
 *	The checkmark pass (world stopped, one drainer)
 * @sweep_pending: unswept spans left (approximate; 0 = sweep done).
 *	Atomic: set by the cycle, decremented by each span's sweeper
 * @pauses: STW pause ring (ns).  The cycle; readers take one slot with
 *	READ_ONCE()
 * @pause_idx: next slot in @pauses.  The cycle
 * @pause_total_ns: sum of all pauses.  The cycle
 * @pause_max_ns: longest pause.  The cycle
 * @stop_latency_max_ns: longest time from the decision to stop until the
 *	world was stopped (sections in flight reaching a safepoint, and an
 *	arming grace period when one was still running).  The cycle
 * @num_gc: cycles completed.  The cycle, under @lock
 * @num_forced: of which forced.  The cycle, under @lock
 * @last_gc_real_ns: when the last cycle ended, CLOCK_REALTIME (Go's
 *	LastGC).  The cycle, under @lock
 * @goal_hist: unforced cycles by heap at mark termination over the goal
 *	(GMM_GOAL_HIST buckets).  The cycle, under @lock
 * @assists: mutator assists performed.  Atomic
 * @assist_ns: time mutators spent assisting, in total.  Atomic
 * @gc_cpu_ns: CPU time of the collector (workers, assists, pauses; not
 *	the idle-priority workers), total.  The cycle
 * @cycles: recent cycles (ring).  The cycle, under @lock; read under
 *	@lock (gmm_gc_read_cycles())
 * @created_ns: heap creation time, for gctrace's @Ts.  Immutable
 * @last: the cycle being traced.  The cycle
 * @step: the stepping of the mark on request (step.c, GMM_IOC_STEP).
 *	Its own lock (step.h)
 * @hold: test hook (test builds only).  @lock
 */
struct gmm_gc {
	struct gmm_stw stw;
	int phase;
	int cstate;
	struct work_struct work;
	bool dying;
	bool roots_done;
	struct list_head mark_node;
	unsigned int workers;
	u64 mark_start_ns;
	spinlock_t lock;		/* cycle counters */
	u64 forced_upto;
	wait_queue_head_t done;
	u64 requested;
	u64 started;
	u64 completed;
	struct llist_head grey;
	spinlock_t grey_lock;		/* drainers' pops */
	atomic64_t drainers;
	atomic64_t marked_bytes;
	atomic64_t scanned_bytes;
	atomic64_t assist_bytes;
	atomic64_t bg_credit;
	atomic64_t bg_ns;
	atomic64_t idle_ns;
	bool checkmark;
	bool checking;
	u64 checkmark_failures;
	atomic_long_t sweep_pending;
	u64 pauses[GMM_PAUSE_RING];
	unsigned int pause_idx;
	u64 pause_total_ns;
	u64 pause_max_ns;
	u64 stop_latency_max_ns;
	u64 num_gc;
	u64 num_forced;
	u64 last_gc_real_ns;
	u64 goal_hist[GMM_GOAL_HIST];
	atomic64_t assists;
	atomic64_t assist_ns;
	u64 gc_cpu_ns;
	struct gmm_cycle_trace cycles[GMM_CYCLE_RING];
	u64 created_ns;
	struct gmm_cycle_trace last;
	struct gmm_gc_step step;
#if IS_ENABLED(CONFIG_KUNIT)
	struct gmm_gc_hold hold;
#endif
};

#define GMM_DRAIN_ONE		BIT_ULL(32)	/* a drain begun, in gc.drainers */
#define GMM_DRAINERS(v)		((u32)(v))	/* drainers at work */

/* gc.c */
int gmm_gc_module_init(void);
void gmm_gc_module_exit(void);
int gmm_gc_init(struct gmm_heap *h, int gc_percent);
void gmm_gc_destroy(struct gmm_heap *h);
void gmm_gc_trigger(struct gmm_heap *h);
bool gmm_gc_checkmark_on(struct gmm_heap *h);
void gmm_gc_mark_maybe_done(struct gmm_heap *h);
u64 gmm_gc_request(struct gmm_heap *h, bool step);
#if IS_ENABLED(CONFIG_KUNIT)
void gmm_gc_hold_arm(struct gmm_heap *h, int point);
bool gmm_gc_hold_wait(struct gmm_heap *h, unsigned long timeout);
void gmm_gc_hold_release(struct gmm_heap *h, bool skip_bg);
#endif

#endif /* _GMM_GC_H */
