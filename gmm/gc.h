/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gc.h - the collector's state in a heap, and the functions the parts of
 * the collector offer each other (gc.c, mark.c, markworker.c, sweep.c,
 * pacer.c, roots.c, stw.c).
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

#include "step.h"
#include "stw.h"

struct gmm_heap;
struct gmm_span;
struct task_struct;

enum gmm_gc_phase {
	GMM_GC_OFF = 0,		/* not marking (sweeping may go on) */
	GMM_GC_MARK,		/* concurrent mark: barrier on, allocate black */
	GMM_GC_MARKTERM,	/* mark termination, world stopped */
};

#define GMM_PAUSE_RING		256	/* STW pauses kept */
/* Heap at mark termination over the goal, per mille: bucket upper edges. */
#define GMM_GOAL_HIST		6	/* <=1000 <=1050 <=1100 <=1200 <=1500 more */
#define GMM_CYCLE_RING		32	/* cycle records kept */

/**
 * struct gmm_cycle_trace - what one cycle did (one gctrace line)
 * @num: cycle number, from 1
 * @start_ns: ktime of sweep termination start
 * @since_start_ns: @start_ns - the heap's creation time
 * @stw1_ns: sweep termination pause (wall clock)
 * @mark_ns: concurrent mark (wall clock)
 * @stw2_ns: mark termination pause
 * @heap0: heap_live at the start
 * @heap1: heap_live at mark termination
 * @heap2: marked (live) bytes
 * @goal: heap goal of this cycle
 * @assist_bytes: bytes scanned by mutator assists
 * @bg_bytes: bytes scanned by the mark workers and mark termination
 * @root_ns: time scanning roots
 * @assist_ns: mutator time spent assisting
 * @bg_ns: mark workers' time (dedicated and fractional) on this heap
 * @idle_ns: idle-priority mark workers' time on this heap
 * @scanned: bytes scanned by the concurrent mark and mark termination
 * @term_bytes: of which by mark termination (0 when the concurrent mark
 *	ended with no grey object left and no barrier shaded one since)
 * @arm_wait_ns: how long the first stop waited for arming (stw.c)
 * @forced: started by gmm_gc() rather than the pacer
 * @checkmark_failures: reachable objects the concurrent mark missed
 * @cpu_pct: the collector's share of CPU time since the heap was made,
 *	at the end of this cycle (gctrace's P%)
 * @ncpus: online CPUs at the end of this cycle
 */
struct gmm_cycle_trace {
	u64 num;
	u64 start_ns;
	u64 since_start_ns;
	u64 stw1_ns;
	u64 mark_ns;
	u64 stw2_ns;
	u64 heap0;
	u64 heap1;
	u64 heap2;
	u64 goal;
	u64 assist_bytes;
	u64 bg_bytes;
	u64 root_ns;
	u64 assist_ns;
	u64 bg_ns;
	u64 idle_ns;
	u64 scanned;
	u64 term_bytes;
	u64 arm_wait_ns;
	bool forced;
	u64 checkmark_failures;
	unsigned int cpu_pct;
	unsigned int ncpus;
};

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

/* Room for one gctrace line (gmm_gctrace_format()), NUL included. */
#define GMM_GCTRACE_LEN		256

/**
 * struct gmm_roots - what the marker starts from (roots.c)
 * @lock: protects the three tables below
 * @slots: registered root slots (void **), index = slot id
 * @handles: handle -> object (a handle is a root until released)
 * @scopes: live per-thread scopes
 * @nr_scopes: number of live scopes
 * @handle_next: where the cyclic handle allocation goes on from
 */
struct gmm_roots {
	spinlock_t lock;		/* the scope list */
	struct xarray slots;
	struct xarray handles;
	struct list_head scopes;
	unsigned long nr_scopes;
	u32 handle_next;
};

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

/* enum gmm_gc_cstate: where a heap's cycle is (struct gmm_gc's @cstate) */
enum gmm_gc_cstate {
	GMM_CYCLE_IDLE = 0,	/* no cycle, or sweeping after one */
	GMM_CYCLE_MARKING,	/* concurrent mark */
	GMM_CYCLE_MARK_DONE,	/* no grey object left: termination queued */
};

/**
 * struct gmm_gc - the collector of one heap
 * @stw: mutator sections; stopping the world (stw.c)
 * @phase: enum gmm_gc_phase; written with the world stopped
 * @cstate: enum gmm_gc_cstate; MARKING -> MARK_DONE by cmpxchg (one
 *	drainer claims the end of marking), the rest by the cycle work
 * @work: the cycle's work item on the gmm_gc workqueue; never runs twice
 *	at once (workqueues are non-reentrant), so the phases need no lock
 * @dying: the heap is being destroyed: the cycle, the sweeper and the
 *	drainers stop as soon as they can
 * @roots_done: the concurrent root scan (handles) of this cycle is over
 * @mark_node: on the mark workers' list while marking (markworker.c)
 * @workers: mark workers draining this heap (under gmm_marking_lock)
 * @mark_start_ns: when concurrent mark began
 * @lock: protects @requested, @started, @completed, @forced_upto; the
 *	cycle also publishes @cycles and @num_gc under it
 * @forced_upto: cycles up to this number were asked for by gmm_gc()
 * @done: gmm_gc() callers wait here for cycles to end
 * @requested: number of the latest cycle asked for
 * @started: cycles started
 * @completed: cycles finished (marked and swept)
 * @grey: spans with grey objects (llist of span->grey_node); anyone adds,
 *	drainers take one span at a time under @grey_lock
 * @grey_lock: serialises the drainers' llist_del_first() (a leaf)
 * @drainers: drainers at work (low 32 bits; each may hold a grey span
 *	privately) and drains ever begun (high 32 bits), in one atomic so
 *	that one read sees both (gmm_gc_mark_maybe_done())
 * @marked_bytes: bytes marked this cycle (allocate-black included)
 * @scanned_bytes: bytes scanned this cycle
 * @assist_bytes: of which by mutator assists
 * @bg_credit: scan work of the mark workers not yet taken by assists
 * @bg_ns: mark workers' time on this heap, in total
 * @idle_ns: idle-priority mark workers' time on this heap, in total
 * @checkmark: run the checkmark pass at mark termination
 * @checking: the drain is the checkmark pass
 * @checkmark_failures: objects the checkmark pass found unmarked, total
 * @sweep_pending: unswept spans left (approximate; 0 = sweep done)
 * @pauses: STW pause ring (ns)
 * @pause_idx: next slot in @pauses
 * @pause_total_ns: sum of all pauses
 * @pause_max_ns: longest pause
 * @stop_latency_max_ns: longest time from the decision to stop until the
 *	world was stopped (sections in flight reaching a safepoint, and an
 *	arming grace period when one was still running)
 * @num_gc: cycles completed
 * @num_forced: of which forced
 * @goal_hist: unforced cycles by heap at mark termination over the goal
 *	(GMM_GOAL_HIST buckets; under @lock)
 * @assists: mutator assists performed
 * @assist_ns: time mutators spent assisting, in total
 * @gc_cpu_ns: CPU time of the collector (workers, assists, pauses; not
 *	the idle-priority workers), total
 * @cycles: recent cycles (ring)
 * @created_ns: heap creation time, for gctrace's @Ts
 * @last: the cycle being traced
 * @step: the stepping of the mark on request (step.c, GMM_IOC_STEP)
 * @hold: test hook (test builds only)
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

/* gmm_mark_drain() flags */
#define GMM_DRAIN_YIELD		BIT(0)	/* give way to a pending stop */
#define GMM_DRAIN_IDLE		BIT(1)	/* an idle-priority worker */

/* An assist drains at least this much (Go's gcOverAssistWork). */
#define GMM_OVER_ASSIST		(64 << 10)

/* gc.c */
int gmm_gc_module_init(void);
void gmm_gc_module_exit(void);
int gmm_gc_init(struct gmm_heap *h, int gc_percent);
void gmm_gc_destroy(struct gmm_heap *h);
void gmm_gc_trigger(struct gmm_heap *h);
int gmm_gctrace_format(char *buf, size_t size, const struct gmm_cycle_trace *t);
unsigned int gmm_gc_read_cycles(struct gmm_heap *h, struct gmm_cycle_trace *out);
bool gmm_gc_checkmark_on(struct gmm_heap *h);
bool gmm_gctrace_on(void);
void gmm_gc_mark_maybe_done(struct gmm_heap *h);
u64 gmm_gc_request(struct gmm_heap *h, bool step);
#if IS_ENABLED(CONFIG_KUNIT)
void gmm_gc_hold_arm(struct gmm_heap *h, int point);
bool gmm_gc_hold_wait(struct gmm_heap *h, unsigned long timeout);
void gmm_gc_hold_release(struct gmm_heap *h, bool skip_bg);
#endif

/* mark.c */
extern bool gmm_barrier_disabled;
void gmm_shade(struct gmm_heap *h, void *obj);
void gmm_mark_new_object(struct gmm_heap *h, struct gmm_span *s,
			 unsigned int idx);
long gmm_mark_drain(struct gmm_heap *h, long budget, unsigned int flags);
void gmm_mark_roots(struct gmm_heap *h);
void gmm_mark_roots_stw(struct gmm_heap *h);
void gmm_mark_handles(struct gmm_heap *h);
u64 gmm_checkmark(struct gmm_heap *h);
void gmm_assist(struct gmm_heap *h, u64 alloc_bytes);

/* markworker.c */
int gmm_mark_workers_init(void);
void gmm_mark_workers_exit(void);
void gmm_mark_publish(struct gmm_heap *h);
void gmm_mark_unpublish(struct gmm_heap *h);
void gmm_mark_utilization(unsigned int ncpus, unsigned int *dedicated,
			  unsigned int *frac_pm);

/* sweep.c */
bool gmm_sweep_span(struct gmm_heap *h, struct gmm_span *s);
unsigned long gmm_sweep_all(struct gmm_heap *h);
void gmm_sweep_start(struct gmm_heap *h);

/* pacer.c */
void gmm_pacer_init(struct gmm_heap *h, int gc_percent);
void gmm_pacer_cycle_start(struct gmm_heap *h, u64 arm_wait_ns);
void gmm_pacer_cycle_end(struct gmm_heap *h, const struct gmm_cycle_trace *t);
void gmm_pacer_note_alloc(struct gmm_heap *h, u64 bytes);
long gmm_pacer_assist_work(struct gmm_heap *h, u64 alloc_bytes, bool *strict);
u64 gmm_pacer_cons_mark(const struct gmm_cycle_trace *t);

/* roots.c */
int gmm_roots_init(struct gmm_heap *h);
void gmm_roots_destroy(struct gmm_heap *h);
void gmm_roots_scan(struct gmm_heap *h,
		    void (*shade)(struct gmm_heap *h, void *obj));
void gmm_roots_scan_stw(struct gmm_heap *h,
			void (*shade)(struct gmm_heap *h, void *obj));
void gmm_roots_scan_handles(struct gmm_heap *h,
			    void (*shade)(struct gmm_heap *h, void *obj));
unsigned long gmm_roots_count(struct gmm_heap *h);

#endif /* _GMM_GC_H */
