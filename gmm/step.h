/* SPDX-License-Identifier: GPL-2.0 */
/*
 * step.h - tri-colour marking made visible: a heap's collector that scans
 * a few grey objects at a time on request (step.c), for GMM_IOC_STEP; the
 * colour of every object, for GMM_IOC_OBJECTS, is objects.h's.
 *
 * A stepped cycle is an ordinary cycle (gc.c) whose concurrent mark waits
 * for steps: the cycle is not handed to the mark workers, mutator assists
 * leave it alone and no drainer claims the end of marking while it is
 * stepped.  Each step scans up to N grey objects (grey -> black); the step
 * that finds no grey object left ends the stepping: the mark workers get
 * the heap and the cycle ends as any other (mark termination drains what
 * a write barrier shaded meanwhile, then sweeping).  Mutators run as in
 * any mark: they allocate black and the write barrier shades.
 */
#ifndef _GMM_STEP_H
#define _GMM_STEP_H

#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/wait.h>

struct gmm_file;
struct gmm_heap;
struct gmm_span;

/**
 * struct gmm_gc_step - the stepping of one heap's collector
 * @lock: serialises the callers of gmm_step_*() (GMM_IOC_STEP); the cycle
 *	work item never takes it
 * @cycle: number of the cycle to step (0: none asked for); written under
 *	gc.lock with the request
 * @stepping: the cycle marking now is stepped: set by the cycle work
 *	item when it begins the cycle, cleared under @lock when the steps
 *	end
 * @wait: gmm_step_begin() waits here for the stepped mark to begin
 */
struct gmm_gc_step {
	struct mutex lock;	/* the steppers */
	u64 cycle;
	bool stepping;
	wait_queue_head_t wait;
};

/**
 * struct gmm_step_state - where a stepped cycle is, after a call
 * @scanned: grey objects the call scanned (each now black)
 * @grey: grey objects left
 * @marking: a stepped cycle still marks
 * @cycle: its number
 */
struct gmm_step_state {
	u32 scanned;
	u32 grey;
	bool marking;
	u64 cycle;
};

void gmm_step_init(struct gmm_heap *h);
bool gmm_step_cycle_begins(struct gmm_heap *h, u64 num);
void gmm_step_mark_ready(struct gmm_heap *h);
bool gmm_step_active(struct gmm_heap *h);
int gmm_step_begin(struct gmm_heap *h, struct gmm_step_state *st);
int gmm_step_scan(struct gmm_heap *h, u32 count, struct gmm_step_state *st);
int gmm_step_end(struct gmm_heap *h, struct gmm_step_state *st);
u32 gmm_step_grey_count(struct gmm_heap *h);
long gmm_ioctl_step(struct gmm_file *f, unsigned int cmd, unsigned long arg);

#endif /* _GMM_STEP_H */
