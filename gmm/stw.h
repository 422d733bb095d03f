/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stw.h - mutator sections and stopping the world (stw.c).
 *
 * A mutator section is a reader; the collector stopping the world is the
 * writer.  Unlike a percpu_rw_semaphore, which pays an RCU grace period on
 * every write lock, the readers' fast path is switched off once per GC
 * cycle, ahead of time ("arming", started by the pacer before the trigger
 * is reached), and back on when the cycle is over; a stop then only waits
 * for the sections in flight to end or to pass a safepoint
 * (gmm_mutator_yield()).
 */
#ifndef _GMM_STW_H
#define _GMM_STW_H

#include <linux/lockdep.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/wait.h>

/* enum gmm_stw_arm: states of struct gmm_stw's @armed */
enum gmm_stw_arm {
	GMM_STW_FAST = 0,	/* readers take the fast path */
	GMM_STW_ARMING,		/* slow path on, grace period not yet over */
	GMM_STW_ARMED,		/* every reader is on the slow path */
};

/**
 * struct gmm_stw - the sections of one heap's mutators
 * @count: sections entered on each CPU minus those left there; only the
 *	sum over all CPUs means anything (a section may end on another CPU)
 * @armed: enum gmm_stw_arm; readers read it with preemption disabled (an
 *	RCU-sched read side), the collector writes it
 * @stopping: the world is being stopped or is stopped; written by the
 *	collector only while @armed is GMM_STW_ARMED
 * @rcu: the grace period of arming
 * @arm_ns: when the last arming began (local_clock())
 * @armed_ns: when its grace period was over
 * @writer: the collector waits here for the sections in flight to end,
 *	and for arming to finish
 * @resume: mutators shut out by a stop wait here for the restart
 * @dep_map: lockdep: sections are read locks, a stopped world a write lock
 */
struct gmm_stw {
	unsigned int __percpu *count;
	int armed;
	bool stopping;
	struct rcu_head rcu;
	u64 arm_ns;
	u64 armed_ns;
	wait_queue_head_t writer;
	wait_queue_head_t resume;
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	struct lockdep_map dep_map;
#endif
};

int gmm_stw_init(struct gmm_stw *s, gfp_t gfp);
void gmm_stw_destroy(struct gmm_stw *s);
void gmm_stw_enter(struct gmm_stw *s);
void gmm_stw_exit(struct gmm_stw *s);
void gmm_stw_arm(struct gmm_stw *s);
void gmm_stw_disarm(struct gmm_stw *s);
u64 gmm_stw_stop(struct gmm_stw *s);
void gmm_stw_start(struct gmm_stw *s);
bool gmm_stw_held(struct gmm_stw *s);
bool gmm_stw_not_held(struct gmm_stw *s);

/**
 * gmm_stw_pending() - whether a stop of the world is waiting or done
 * @s: the sections
 *
 * One load: mutators call it at safepoints, drainers between spans.
 *
 * Return: true when the collector wants the world stopped.
 */
static inline bool gmm_stw_pending(const struct gmm_stw *s)
{
	return READ_ONCE(s->stopping);
}

#endif /* _GMM_STW_H */
