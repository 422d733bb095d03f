// SPDX-License-Identifier: GPL-2.0
/*
 * markworker.c - background mark workers shared by every heap (Go's
 * gcBgMarkWorker and findRunnableGCWorker).
 *
 * The module keeps two kernel threads per online CPU, made and parked
 * across CPU hotplug by the kernel's smpboot threads, whatever the number
 * of heaps: an idle heap costs no thread.  A heap in concurrent mark is
 * "published" on a list; the workers take heaps from it round-robin and
 * drain a slice of grey objects of one heap at a time.  Several workers,
 * and mutators doing assists, drain the same heap at once (mark.c).
 *
 *   gmm_mark/N    SCHED_NORMAL, bound to CPU N: the 25 % of the CPUs that
 *                 Go gives its dedicated and fractional workers.  With
 *                 Go's rounding (gmm_mark_utilization()), the first
 *                 "dedicated" online CPUs mark all the time, the others
 *                 each for a fraction of the time (25 % of each CPU on 2
 *                 CPUs, where one whole CPU would be twice the goal).
 *   gmm_idlemark/N  SCHED_IDLE: marks whenever there is mark work and the
 *                 CPU would otherwise idle.  Accounted apart (idle_ns),
 *                 as Go does, and not in the GC CPU share.
 *
 * A fractional worker keeps its busy time within its share of the wall
 * time since marking became active, sleeping off the excess after each
 * slice.  A worker that finds no grey object in any published heap polls
 * again after 50-100 us: a heap's grey set refills from the write barrier
 * and from other drainers, and mark termination is claimed by the last
 * drainer to find the set empty (gmm_gc_mark_maybe_done()), not by the
 * workers.
 *
 * CPU time: workers are kernel threads, so their time is the system's;
 * a mutator's assist is charged to the mutator (it runs in its context,
 * in its cgroup).  Each heap counts the workers' time spent on it in
 * gc.bg_ns and gc.idle_ns.
 *
 * Locks: gmm_marking_lock (a leaf) protects the list and every heap's
 * gc.workers (how many workers are draining it).  Unpublishing waits on
 * gmm_mark_gone until a heap has no worker left; a worker drops its count
 * and tests for zero under the lock, and wakes the global wait queue, so
 * it never touches a heap that may be gone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/list.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/smpboot.h>
#include <uapi/linux/sched/types.h>

#include "heap.h"
#include "internal.h"
#include "mark.h"
#include "markworker.h"

/* Scan budget of one slice, bytes (about 1-3 ms under QEMU TCG). */
#define GMM_MARK_SLICE		(128 << 10)

static LIST_HEAD(gmm_marking);
static DEFINE_SPINLOCK(gmm_marking_lock);
static atomic_t gmm_nr_marking = ATOMIC_INIT(0);
/* Bumped when marking becomes active (no heap -> one heap). */
static atomic_t gmm_mark_epoch = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(gmm_mark_gone);

/**
 * struct gmm_mark_worker - a normal-priority worker's own accounting
 * @epoch: gmm_mark_epoch its figures belong to
 * @since_ns: when that active period began, for this worker
 * @busy_ns: its marking time since then
 */
struct gmm_mark_worker {
	int epoch;
	u64 since_ns;
	u64 busy_ns;
};

static DEFINE_PER_CPU(struct task_struct *, gmm_mark_task);
static DEFINE_PER_CPU(struct task_struct *, gmm_idle_task);
static DEFINE_PER_CPU(struct gmm_mark_worker, gmm_mark_state);

/**
 * gmm_mark_utilization() - Go's split of the 25 % background goal
 * @ncpus: online CPUs
 * @dedicated: out: CPUs whose worker marks all the time
 * @frac_pm: out: share of its time each other CPU's worker marks, per mille
 *
 * dedicated = round(ncpus / 4); if that misses the goal by over 30 %, one
 * fewer when it overshoots, and the rest of the goal spread over all CPUs
 * as a fraction (1 CPU: 0 + 250; 2: 0 + 250; 4: 1 + 0; 6: 1 + 83).
 */
void gmm_mark_utilization(unsigned int ncpus, unsigned int *dedicated,
			  unsigned int *frac_pm)
{
	unsigned int goal_pm = ncpus * 250, ded = (goal_pm + 500) / 1000;

	*frac_pm = 0;
	/* |ded / goal - 1| > 0.3, without division */
	if (ded * 1000 * 10 > goal_pm * 13 || ded * 1000 * 10 < goal_pm * 7) {
		if (ded * 1000 > goal_pm)
			ded--;
		*frac_pm = (goal_pm - ded * 1000) / max(ncpus, 1U);
	}
	*dedicated = ded;
}

GMM_EXPORT_FOR_TESTING(gmm_mark_utilization);

/* This CPU's worker: dedicated (1000), a fraction (per mille), or none. */
static unsigned int gmm_mark_duty_pm(unsigned int cpu)
{
	unsigned int ded, frac;

	gmm_mark_utilization(num_online_cpus(), &ded, &frac);
	if (bitmap_weight(cpumask_bits(cpu_online_mask), cpu) < ded)
		return 1000;
	return frac;
}

/* The next published heap with grey objects, with a worker counted on it. */
static struct gmm_heap *gmm_mark_pick(void)
{
	struct gmm_heap *h, *found = NULL;

	spin_lock(&gmm_marking_lock);
	list_for_each_entry(h, &gmm_marking, gc.mark_node) {
		if (!llist_empty(&h->gc.grey)) {
			found = h;
			break;
		}
	}
	if (found) {
		/* round-robin: the next worker starts with the next heap */
		list_move_tail(&found->gc.mark_node, &gmm_marking);
		found->gc.workers++;
	}
	spin_unlock(&gmm_marking_lock);
	return found;
}

static void gmm_mark_put(struct gmm_heap *h)
{
	bool last;

	spin_lock(&gmm_marking_lock);
	last = !--h->gc.workers;
	spin_unlock(&gmm_marking_lock);
	/* @h may be freed from here on: wake the global queue only. */
	if (last)
		wake_up_all(&gmm_mark_gone);
}

/* Drain one slice of some heap; returns the time it took, 0 if no work. */
static u64 gmm_mark_slice(bool idle)
{
	struct gmm_heap *h = gmm_mark_pick();
	u64 t0, d;
	long done;

	if (!h)
		return 0;
	t0 = local_clock();
	done = gmm_mark_drain(h, GMM_MARK_SLICE, GMM_DRAIN_YIELD |
			      (idle ? GMM_DRAIN_IDLE : 0));
	d = max_t(u64, local_clock() - t0, 1);
	atomic64_add(d, idle ? &h->gc.idle_ns : &h->gc.bg_ns);
	atomic64_add(done, &h->gc.bg_credit);	/* assists take it first */
	gmm_mark_put(h);
	return d;
}

/*
 * Sleep @us..1.25 @us as TASK_IDLE: not counted in the load average, and
 * not a hung task however long a starved idle-priority worker waits.
 */
static void gmm_mark_sleep(u64 us)
{
	usleep_range_state(us, us + us / 4 + 50, TASK_IDLE);
}

static int gmm_mark_should_run(unsigned int cpu)
{
	return atomic_read(&gmm_nr_marking) && gmm_mark_duty_pm(cpu);
}

static void gmm_mark_fn(unsigned int cpu)
{
	struct gmm_mark_worker *w = this_cpu_ptr(&gmm_mark_state);
	unsigned int duty = gmm_mark_duty_pm(cpu);
	int epoch = atomic_read(&gmm_mark_epoch);
	u64 now = local_clock(), d;

	if (w->epoch != epoch) {
		w->epoch = epoch;
		w->since_ns = now;
		w->busy_ns = 0;
	}
	if (duty < 1000 && w->busy_ns * 1000 > (now - w->since_ns) * duty) {
		/* over its share: sleep until busy / elapsed == duty */
		u64 us = div_u64(div_u64(w->busy_ns * 1000, max(duty, 1U)) -
				 (now - w->since_ns), NSEC_PER_USEC);

		us = clamp_t(u64, us, 50, 20 * USEC_PER_MSEC);
		gmm_mark_sleep(us);
		return;
	}
	d = gmm_mark_slice(false);
	w->busy_ns += d;
	if (!d)
		gmm_mark_sleep(50);
	cond_resched();
}

static int gmm_idlemark_should_run(unsigned int cpu)
{
	return atomic_read(&gmm_nr_marking);
}

static void gmm_idlemark_fn(unsigned int cpu)
{
	if (!gmm_mark_slice(true))
		gmm_mark_sleep(50);
	/* smpboot calls us again at once, and without CONFIG_PREEMPT only
	 * an explicit reschedule lets a waiting task have this CPU.
	 */
	cond_resched();
}

static void gmm_idlemark_setup(unsigned int cpu)
{
	struct sched_attr attr = { .sched_policy = SCHED_IDLE };

	WARN_ON_ONCE(sched_setattr_nocheck(current, &attr));
}

static struct smp_hotplug_thread gmm_mark_threads = {
	.store			= &gmm_mark_task,
	.thread_should_run	= gmm_mark_should_run,
	.thread_fn		= gmm_mark_fn,
	.thread_comm		= "gmm_mark/%u",
};

static struct smp_hotplug_thread gmm_idlemark_threads = {
	.store			= &gmm_idle_task,
	.thread_should_run	= gmm_idlemark_should_run,
	.thread_fn		= gmm_idlemark_fn,
	.setup			= gmm_idlemark_setup,
	.thread_comm		= "gmm_idlemark/%u",
};

static void gmm_mark_wake_all(void)
{
	int cpu;

	for_each_online_cpu(cpu) {
		struct task_struct *t = per_cpu(gmm_mark_task, cpu);

		if (t)
			wake_up_process(t);
		t = per_cpu(gmm_idle_task, cpu);
		if (t)
			wake_up_process(t);
	}
}

/**
 * gmm_mark_publish() - let the workers mark a heap
 * @h: the heap; its cycle has entered concurrent mark
 *
 * Process context; does not sleep.
 */
void gmm_mark_publish(struct gmm_heap *h)
{
	spin_lock(&gmm_marking_lock);
	if (list_empty(&h->gc.mark_node)) {
		list_add_tail(&h->gc.mark_node, &gmm_marking);
		if (atomic_inc_return(&gmm_nr_marking) == 1)
			atomic_inc(&gmm_mark_epoch);
	}
	spin_unlock(&gmm_marking_lock);
	gmm_mark_wake_all();
}

static bool gmm_mark_workers_gone(struct gmm_heap *h)
{
	bool gone;

	spin_lock(&gmm_marking_lock);
	gone = !h->gc.workers;
	spin_unlock(&gmm_marking_lock);
	return gone;
}

/**
 * gmm_mark_unpublish() - take a heap from the workers and wait for them
 * @h: the heap
 *
 * On return no worker drains @h.  Process context; sleeps (for at most a
 * slice: drainers give up at a pending stop of the world).
 */
void gmm_mark_unpublish(struct gmm_heap *h)
{
	spin_lock(&gmm_marking_lock);
	if (!list_empty(&h->gc.mark_node)) {
		list_del_init(&h->gc.mark_node);
		atomic_dec(&gmm_nr_marking);
	}
	spin_unlock(&gmm_marking_lock);
	wait_event(gmm_mark_gone, gmm_mark_workers_gone(h));
}

/**
 * gmm_mark_workers_init() - start the per-CPU mark workers
 *
 * Return: 0 or a negative errno.
 */
int gmm_mark_workers_init(void)
{
	int ret = smpboot_register_percpu_thread(&gmm_mark_threads);

	if (ret)
		return ret;
	ret = smpboot_register_percpu_thread(&gmm_idlemark_threads);
	if (ret)
		smpboot_unregister_percpu_thread(&gmm_mark_threads);
	return ret;
}

/**
 * gmm_mark_workers_exit() - stop them; no heap exists any more
 */
void gmm_mark_workers_exit(void)
{
	smpboot_unregister_percpu_thread(&gmm_idlemark_threads);
	smpboot_unregister_percpu_thread(&gmm_mark_threads);
}
