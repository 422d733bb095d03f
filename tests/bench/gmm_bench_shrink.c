// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_bench_shrink.c - how the memory a gmm heap holds follows a live set
 * that shrinks (`make bench`, part "shrink"; a benchmark, not a test:
 * nothing about time or memory is asserted).
 *
 * The module's init does everything and returns -EAGAIN, so that it never
 * stays loaded; any other error means it could not run.
 *
 * The load (the same as `binarytrees -mode shrink` in tests/bench/go/):
 * one kthread bound to each online CPU fills a table of pointers with
 * pointer-free objects of `obj_bytes` bytes; the tables together hold
 * `start_mb` MiB.  Once every table is full, the live set halves every
 * `step_s` seconds - slots are cleared, their objects become garbage -
 * until it is `end_mb` MiB (the last halving that leaves at least that),
 * and the load goes on for `tail_s` more seconds.  Meanwhile the workers
 * allocate as fast as they can, in one of two shapes (`block_kb`):
 *
 *   block_kb > 0  scattered survivors: the objects of the table are never
 *                 replaced; each halving clears every other block of
 *                 block_kb KiB of slots among those still live, so what
 *                 survives is old objects spread over the whole heap; the
 *                 allocations meanwhile are short-lived (a ring of 256
 *                 slots per worker).  Memory can only go back in runs of
 *                 free pages inside arenas.
 *   block_kb = 0  churned survivors: the workers replace the objects of
 *                 the live slots one after the other (a prefix of the
 *                 table that halves), so the survivors are always the
 *                 newest objects.
 *
 * One heap for all CPUs, gc_percent 100 (Go's default); tables and rings
 * are gmm pointer arrays held by root slots; a mutator section covers 64
 * allocations.
 *
 * Every `sample_ms` ms from the start (the filling included) the module
 * reads the heap's statistics (gmm_heap_read_stats(): HeapSys,
 * HeapReleased, HeapInuse; the pacer's heap goal, NextGC; completed
 * cycles) into a buffer, printed at the end so that printing does not
 * disturb the load.  What the heap retains is HeapSys, or HeapSys -
 * HeapReleased where HeapReleased means what Go's means: debugfs' info
 * file says which (tools/vm/guest/bench.sh reads it).
 *
 * Output, in the kernel log, "gmm_bench_shrink: " and then:
 *   sample,gmm,<ms>,<live>,<HeapSys>,<HeapReleased>,<HeapInuse>,<NextGC>,<cycles>
 *                                  (ms since the start; sizes in KiB)
 *   step,gmm,<ms>,<live KiB>      each change of the live set (the first:
 *                                  the tables are full)
 *   shrink: ok|FAILED mode=gmm key=value ...
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <linux/gmm.h>

#define GS_SECTION	64	/* allocations per mutator section */
#define GS_MAX_CPUS	64
#define GS_RING		256	/* short-lived objects per worker */

static unsigned int start_mb = 256;
module_param(start_mb, uint, 0444);
MODULE_PARM_DESC(start_mb, "live set at the start, MiB (default 256)");

static unsigned int end_mb = 16;
module_param(end_mb, uint, 0444);
MODULE_PARM_DESC(end_mb, "live set at the end, MiB (default 16)");

static unsigned int step_s = 5;
module_param(step_s, uint, 0444);
MODULE_PARM_DESC(step_s, "seconds between two halvings (default 5)");

static unsigned int tail_s = 30;
module_param(tail_s, uint, 0444);
MODULE_PARM_DESC(tail_s, "seconds at the end live set (default 30)");

static unsigned int sample_ms = 100;
module_param(sample_ms, uint, 0444);
MODULE_PARM_DESC(sample_ms, "sampling interval, ms (default 100)");

static unsigned int obj_bytes = 1024;
module_param(obj_bytes, uint, 0444);
MODULE_PARM_DESC(obj_bytes, "object size, bytes (default 1024)");

static unsigned int block_kb = 64;
module_param(block_kb, uint, 0444);
MODULE_PARM_DESC(block_kb, "survivors in blocks of this many KiB; 0: churned survivors (default 64)");

struct gs_worker {
	struct task_struct *task;
	void **table;			/* a root slot */
	void **ring;			/* a root slot: short-lived objects */
	unsigned int level;		/* halvings applied to its table */
	u64 ops;
	bool rooted;
	int err;
};

struct gs_sample {		/* sizes in KiB */
	u64 ms, live_kb, sys, released, inuse, next_gc, num_gc;
};

#define GS_MAX_STEPS	32

struct gs_step {
	u64 ms, live_kb;
};

static struct gs_worker gs_workers[GS_MAX_CPUS];
static unsigned int gs_nr, gs_slots, gs_block, gs_end_level;
static struct gmm_heap *gs_heap;
static const struct gmm_type *gs_slot_type;
static atomic_t gs_filling;
static unsigned int gs_level;		/* halvings so far: READ_ONCE */
static u64 gs_live_kb;			/* live set now (the driver's) */

/* Whether slot @i of a table is live after @k halvings. */
static bool gs_live(unsigned int i, unsigned int k)
{
	if (!gs_block)
		return i < gs_slots >> k;
	return !((i / gs_block) & ((1U << k) - 1));
}

static unsigned int gs_live_slots(unsigned int k)
{
	unsigned int i, n = 0;

	for (i = 0; i < gs_slots; i++)
		n += gs_live(i, k);
	return n;
}

/* Clear the slots no longer live after @k halvings. */
static void gs_drop(struct gs_worker *w, unsigned int k)
{
	unsigned int i;

	gmm_mutator_enter(gs_heap);
	for (i = 0; i < gs_slots; i++) {
		if (!gs_live(i, k))
			gmm_store_ptr(gs_heap, &w->table[i], NULL);
		if (!(i & 255))
			gmm_mutator_yield(gs_heap);
	}
	gmm_mutator_exit(gs_heap);
	w->level = k;
}

/*
 * One section of allocations: the next slots of the table while it fills
 * and, with churned survivors, after; the ring with scattered ones.
 * Returns the next table slot, 0 after the last live one.
 */
static unsigned int gs_section(struct gs_worker *w, unsigned int i, bool fill)
{
	unsigned int k;

	gmm_mutator_enter(gs_heap);
	for (k = 0; k < GS_SECTION; k++) {
		void *p = gmm_alloc_noscan(gs_heap, obj_bytes);

		if (!p) {
			w->err = -ENOMEM;
			break;
		}
		w->ops++;
		if (!fill && gs_block) {
			gmm_store_ptr(gs_heap, &w->ring[w->ops % GS_RING], p);
			continue;
		}
		gmm_store_ptr(gs_heap, &w->table[i], p);
		if (++i == gs_slots || !gs_live(i, w->level)) {
			i = 0;
			if (fill)
				break;
		}
	}
	gmm_mutator_exit(gs_heap);
	return i;
}

static int gs_worker_fn(void *data)
{
	struct gs_worker *w = data;
	unsigned int i = 0, k;
	bool first = true;

	while (!kthread_should_stop() && !w->err) {
		k = READ_ONCE(gs_level);
		if (k != w->level)
			gs_drop(w, k);
		if (!gs_live(i, w->level))
			i = 0;
		i = gs_section(w, i, first);
		if (first && !i) {
			first = false;
			atomic_dec(&gs_filling);
		}
		cond_resched();
	}
	if (first)
		atomic_dec(&gs_filling);
	/* Stay until kthread_stop(): it must find the task alive. */
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ / 10);
	return 0;
}

static int gs_start_workers(void)
{
	unsigned int cpu, i = 0;

	for_each_online_cpu(cpu) {
		struct gs_worker *w = &gs_workers[i];

		if (i == gs_nr)
			break;
		w->rooted = true;	/* unknown slots: removing is a no-op */
		if (gmm_root_add(gs_heap, (void **)&w->table) ||
		    gmm_root_add(gs_heap, (void **)&w->ring))
			return -ENOMEM;
		gmm_mutator_enter(gs_heap);
		w->table = gmm_alloc_array(gs_heap, gs_slot_type, gs_slots);
		w->ring = gmm_alloc_array(gs_heap, gs_slot_type, GS_RING);
		gmm_mutator_exit(gs_heap);
		if (!w->table || !w->ring)
			return -ENOMEM;
		w->task = kthread_create(gs_worker_fn, w, "gmm_shrink/%u", cpu);
		if (IS_ERR(w->task)) {
			w->task = NULL;
			return -ENOMEM;
		}
		kthread_bind(w->task, cpu);
		i++;
	}
	for (i = 0; i < gs_nr; i++)
		wake_up_process(gs_workers[i].task);
	return 0;
}

static void gs_stop_workers(void)
{
	unsigned int i;

	for (i = 0; i < gs_nr; i++) {
		struct gs_worker *w = &gs_workers[i];

		if (w->task)
			kthread_stop(w->task);
		if (w->rooted) {
			gmm_root_remove(gs_heap, (void **)&w->table);
			gmm_root_remove(gs_heap, (void **)&w->ring);
		}
	}
}

/* The live set after @k halvings, KiB. */
static u64 gs_level_kb(unsigned int k)
{
	return div_u64((u64)gs_live_slots(k) * gs_nr * obj_bytes, 1024);
}

static void gs_sample(struct gs_sample *s, struct gmm_memstats *st, u64 t0)
{
	struct gmm_heap_sample hs;

	gmm_heap_read_stats(gs_heap, st);
	s->ms = div_u64(ktime_get_ns() - t0, NSEC_PER_MSEC);
	s->live_kb = gs_live_kb;
	s->sys = st->heap_sys >> 10;
	s->released = st->heap_released >> 10;
	s->inuse = st->heap_inuse >> 10;
	gmm_heap_read_sample(gs_heap, &hs);
	s->next_gc = hs.next_gc >> 10;
	s->num_gc = hs.num_gc;
}

static u64 gs_num_gc(void)
{
	struct gmm_heap_sample hs;

	gmm_heap_read_sample(gs_heap, &hs);
	return hs.num_gc;
}

static bool gs_failed(void)
{
	unsigned int i;

	for (i = 0; i < gs_nr; i++)
		if (READ_ONCE(gs_workers[i].err))
			return true;
	return false;
}

/*
 * The schedule: sample until the tables are full, then halve the live set
 * every step_s seconds down to end_mb, then tail_s seconds more.  Returns
 * the samples taken; @steps gets each change of the live set.
 */
static unsigned int gs_drive(struct gs_sample *v, unsigned int room,
			     struct gs_step *steps, unsigned int *nsteps)
{
	struct gmm_memstats *st = kmalloc(sizeof(*st), GFP_KERNEL);
	u64 t0 = ktime_get_ns(), since = 0, now;
	unsigned int n = 0;
	bool full = false, step;

	if (!st)
		return 0;
	while (n < room && !gs_failed()) {
		gs_sample(&v[n], st, t0);
		now = v[n++].ms;
		step = false;
		if (!full && atomic_read(&gs_filling) <= 0) {
			full = true;
			step = true;
		} else if (full && gs_level < gs_end_level &&
			   now - since >= step_s * 1000ULL) {
			WRITE_ONCE(gs_level, gs_level + 1);
			gs_live_kb = gs_level_kb(gs_level);
			step = true;
		} else if (full && gs_level == gs_end_level &&
			   now - since >= tail_s * 1000ULL) {
			break;
		}
		if (step && *nsteps < GS_MAX_STEPS) {
			since = now;
			steps[*nsteps].ms = now;
			steps[(*nsteps)++].live_kb = gs_live_kb;
		}
		msleep(sample_ms);
	}
	kfree(st);
	return n;
}

static void gs_print(const struct gs_sample *v, unsigned int n,
		     const struct gs_step *steps, unsigned int nsteps)
{
	unsigned int i, j = 0;

	for (i = 0; i < n; i++) {
		for (; j < nsteps && steps[j].ms <= v[i].ms; j++)
			pr_info("step,gmm,%llu,%llu\n", steps[j].ms,
				steps[j].live_kb);
		pr_info("sample,gmm,%llu,%llu,%llu,%llu,%llu,%llu,%llu\n",
			v[i].ms, v[i].live_kb, v[i].sys, v[i].released,
			v[i].inuse, v[i].next_gc, v[i].num_gc);
	}
}

static int gs_run(void)
{
	struct gmm_heap_params p = { .name = "bench_shrink", .gc_percent = 100 };
	unsigned int room, n = 0, nsteps = 0, i;
	struct gs_sample *v = NULL;
	struct gs_step steps[GS_MAX_STEPS];
	u64 ops = 0;
	int err;

	room = (step_s * (gs_end_level + 1) + tail_s + 600) * 1000 / sample_ms;
	gs_heap = gmm_heap_create(&p);
	if (IS_ERR(gs_heap))
		return PTR_ERR(gs_heap);
	gs_slot_type = gmm_type_register(gs_heap, "gs_slot", sizeof(void *), 8,
					 (const unsigned long[]){ 0x1 });
	v = vcalloc(room, sizeof(*v));
	err = IS_ERR(gs_slot_type) || !v ? -ENOMEM : 0;
	WRITE_ONCE(gs_level, 0);
	gs_live_kb = gs_level_kb(0);
	atomic_set(&gs_filling, gs_nr);
	if (!err)
		err = gs_start_workers();
	if (!err)
		n = gs_drive(v, room, steps, &nsteps);
	gs_stop_workers();
	for (i = 0; i < gs_nr; i++) {
		err = err ?: gs_workers[i].err;
		ops += gs_workers[i].ops;
	}
	if (!err && nsteps < 2)
		err = -ETIME;	/* never got to shrink: room too small */
	gs_print(v, n, steps, nsteps);
	pr_info("shrink: %s mode=gmm workers=%u obj_bytes=%u block_kb=%u start_mb=%u end_mb=%u step_s=%u tail_s=%u sample_ms=%u ops=%llu cycles=%llu samples=%u err=%d\n",
		err ? "FAILED" : "ok", gs_nr, obj_bytes, block_kb, start_mb, end_mb,
		step_s, tail_s, sample_ms, ops, gs_num_gc(),
		n, err);
	vfree(v);
	gmm_heap_destroy(gs_heap);
	return err;
}

static int __init gs_init(void)
{
	unsigned int cpu;
	int err;

	gs_nr = 0;
	for_each_online_cpu(cpu)
		if (gs_nr < GS_MAX_CPUS)
			gs_nr++;
	if (!obj_bytes || obj_bytes > GMM_MAX_SMALL_SIZE || !end_mb ||
	    end_mb > start_mb || !step_s || !tail_s || sample_ms < 10)
		return -EINVAL;
	gs_slots = div_u64((u64)start_mb << 20, (u64)obj_bytes * gs_nr);
	gs_block = div_u64((u64)block_kb << 10, obj_bytes);
	for (gs_end_level = 0; gs_end_level < 30 &&
	     start_mb >> (gs_end_level + 1) >= end_mb; gs_end_level++)
		;
	/* Each halving needs slots (churned) or blocks (scattered) to halve. */
	if (!gs_slots || (u64)gs_slots * sizeof(void *) > GMM_MAX_ALLOC_SIZE ||
	    (block_kb && (!gs_block || gs_slots / gs_block < 1U << gs_end_level)) ||
	    gs_slots >> gs_end_level == 0)
		return -EINVAL;
	err = gs_run();
	return err ?: -EAGAIN;	/* nothing to keep loaded */
}

static void __exit gs_exit(void)
{
}

module_init(gs_init);
module_exit(gs_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("gmm: retained memory against a shrinking live set");
