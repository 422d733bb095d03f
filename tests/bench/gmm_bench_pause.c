// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_bench_pause.c - gmm's stop-the-world pauses under a steady
 * allocation load, and what that load costs per object with the collector
 * included, against the same load on kmalloc/kfree (`make bench`; a
 * benchmark, not a test: nothing about time is asserted).
 *
 * The module's init does everything and returns -EAGAIN, so that it never
 * stays loaded (as gmm_bench.ko); any other error means it could not run.
 *
 * The load (the same as `binarytrees -mode churn` in tests/bench/go/): one
 * kthread bound to each online CPU keeps a table of `slots` pairs of
 * 32-byte objects - a head whose pointer word points to a second object -
 * and replaces one pair after the other: allocate two objects, link them,
 * store the head in the table, so the old pair becomes garbage.  The live
 * set stays at slots x 72 bytes per CPU (two objects and a table slot).
 * After a warm-up (every table filled once) the load runs for `seconds`
 * seconds, the measured window.
 *
 *   gmm:     one heap for all CPUs, gc_percent as given (100: Go's
 *            default); the table is a gmm pointer array held by a root
 *            slot; a mutator section covers 64 replacements.  The pauses
 *            of the window come from the heap's pause ring
 *            (gmm_heap_read_gcstats(); the last GMM_NUM_PAUSES of
 *            them if there were more), every pause counted from the
 *            stopped world; the time the world took to stop (mostly an RCU
 *            grace period, mutators running) is kept apart as
 *            stop_latency_max_us (for the whole run).  What a mutator
 *            saw: stall_max_us, the longest gmm_mutator_enter() of the
 *            window - blocked from when the collector shut new sections
 *            out (after the grace period, while sections in flight end)
 *            until the world restarted; and section_max_us, the longest
 *            section (what a stop may have to wait for).
 *   kmalloc: the same pairs with kmalloc(GFP_KERNEL) and, for the pair
 *            replaced, kfree() of both objects.
 * Module parameters gmm and explicit (both on by default) choose which run.
 *
 * ns_per_op is CPU time per pair: window x workers / pairs replaced in the
 * window.  With the collector's kthread sharing the same CPUs, it includes
 * collection: the amortised cost of allocating and reclaiming.
 *
 * Output, in the kernel log, "gmm_bench_pause: " and then:
 *   pause,gmm,<ns>                              every pause of the window
 *   churn: ok|FAILED mode=gmm|kmalloc key=value ...  one line per mode
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include <linux/gmm.h>

#define GP_SECTION	64	/* replacements per mutator section */
#define GP_MAX_CPUS	64

static unsigned int seconds = 10;
module_param(seconds, uint, 0444);
MODULE_PARM_DESC(seconds, "measured window, seconds (default 10)");

static unsigned int slots = 65536;
module_param(slots, uint, 0444);
MODULE_PARM_DESC(slots, "pairs each CPU keeps live (default 65536)");

static int gc_percent = 100;
module_param(gc_percent, int, 0444);
MODULE_PARM_DESC(gc_percent, "GOGC of the gmm heap (default 100)");

static bool run_gmm = true;
module_param_named(gmm, run_gmm, bool, 0444);
MODULE_PARM_DESC(gmm, "run the load on a gmm heap (default on)");

static bool explicit = true;
module_param(explicit, bool, 0444);
MODULE_PARM_DESC(explicit, "run the load on kmalloc/kfree (default on)");

struct gp_obj {
	struct gp_obj *next;
	u64 payload[3];
};

/* An element of a worker's table (an array of pointers). */
struct gp_slot {
	struct gp_obj *obj;
};

static const struct gmm_type_desc gp_obj_desc = GMM_TYPE(struct gp_obj, next);
static const struct gmm_type_desc gp_slot_desc = GMM_TYPE(struct gp_slot, obj);

struct gp_worker {
	struct task_struct *task;
	struct gp_obj **table;		/* gmm: a root slot */
	u64 ops;			/* pairs replaced in the window */
	u64 stall_max;			/* longest gmm_mutator_enter(), window */
	u64 section_max;		/* longest mutator section, window */
	bool rooted;			/* table registered as a root slot */
	int err;
};

static struct gp_worker gp_workers[GP_MAX_CPUS];
static unsigned int gp_nr;
static bool gp_gmm;			/* the mode the workers run */
static struct gmm_heap *gp_heap;
static const struct gmm_type *gp_obj_type, *gp_slot_type;
static atomic_t gp_filling;		/* workers still in their first pass */
static bool gp_measuring;
static u64 gp_peak_sys, gp_peak_inuse;

static void gp_sample_heap(void)
{
	struct gmm_memstats *st = kmalloc(sizeof(*st), GFP_KERNEL);

	if (!st)
		return;
	gmm_heap_read_stats(gp_heap, st);
	gp_peak_sys = max(gp_peak_sys, st->heap_sys);
	gp_peak_inuse = max(gp_peak_inuse, st->heap_inuse);
	kfree(st);
}

/* One pair on the gmm heap into slot @i; false when out of memory. */
static bool gp_replace_gmm(struct gp_worker *w, unsigned int i)
{
	struct gp_obj *a = gmm_alloc(gp_heap, gp_obj_type);
	struct gp_obj *b = a ? gmm_alloc(gp_heap, gp_obj_type) : NULL;

	if (!b)
		return false;
	gmm_store_ptr(gp_heap, &a->next, b);
	gmm_store_ptr(gp_heap, &w->table[i], a);
	return true;
}

static bool gp_replace_kmalloc(struct gp_worker *w, unsigned int i)
{
	struct gp_obj *a = kmalloc(sizeof(*a), GFP_KERNEL | __GFP_ZERO);
	struct gp_obj *b = a ? kmalloc(sizeof(*b), GFP_KERNEL | __GFP_ZERO) : NULL;
	struct gp_obj *old = w->table[i];

	if (!b) {
		kfree(a);
		return false;
	}
	a->next = b;
	w->table[i] = a;
	if (old) {
		kfree(old->next);
		kfree(old);
	}
	return true;
}

static int gp_worker_fn(void *data)
{
	struct gp_worker *w = data;
	bool first = true, ok = true;
	unsigned int i = 0, k;
	u64 steps = 0;

	while (!kthread_should_stop() && ok) {
		u64 t1 = 0;

		if (gp_gmm) {
			/* local_clock(): ktime_get_ns() may read the HPET */
			u64 t0 = local_clock(), d;

			gmm_mutator_enter(gp_heap);
			t1 = local_clock();
			d = t1 - t0;
			if (READ_ONCE(gp_measuring) && d > w->stall_max)
				WRITE_ONCE(w->stall_max, d);
		}
		for (k = 0; k < GP_SECTION && ok; k++) {
			ok = gp_gmm ? gp_replace_gmm(w, i) : gp_replace_kmalloc(w, i);
			if (READ_ONCE(gp_measuring))
				WRITE_ONCE(w->ops, w->ops + 1);
			if (++i == slots) {
				i = 0;
				if (first) {
					first = false;
					atomic_dec(&gp_filling);
				}
			}
		}
		if (gp_gmm) {
			u64 d = local_clock() - t1;

			gmm_mutator_exit(gp_heap);
			if (READ_ONCE(gp_measuring) && d > w->section_max)
				WRITE_ONCE(w->section_max, d);
		}
		steps += k;
		if (gp_gmm && w == &gp_workers[0] && !(steps & 1023))
			gp_sample_heap();
		cond_resched();
	}
	if (!ok)
		w->err = -ENOMEM;
	if (first)
		atomic_dec(&gp_filling);
	/* Stay until kthread_stop(): it must find the task alive. */
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ / 10);
	return 0;
}

static int gp_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Nearest rank: the ceil(q/100 n)-th smallest of sorted @v. */
static u64 gp_pct(const u64 *v, unsigned int n, unsigned int q)
{
	if (!n)
		return 0;
	return v[max(DIV_ROUND_UP(n * q, 100), 1U) - 1];
}

/* @ns as microseconds with one decimal, "12.3" */
static const char *gp_us(char *buf, size_t len, u64 ns)
{
	snprintf(buf, len, "%llu.%llu", div_u64(ns, NSEC_PER_USEC),
		 div_u64(ns % NSEC_PER_USEC, 100));
	return buf;
}

static void gp_stop_workers(void)
{
	unsigned int i;

	for (i = 0; i < gp_nr; i++)
		if (gp_workers[i].task)
			kthread_stop(gp_workers[i].task);
}

/* Start a worker per online CPU in mode @gmm; wait for their first pass. */
static int gp_start_workers(bool gmm)
{
	unsigned int cpu, i;

	gp_gmm = gmm;
	WRITE_ONCE(gp_measuring, false);
	memset(gp_workers, 0, sizeof(gp_workers));
	gp_nr = 0;
	for_each_online_cpu(cpu)
		if (gp_nr < GP_MAX_CPUS)
			gp_nr++;
	atomic_set(&gp_filling, gp_nr);

	i = 0;
	for_each_online_cpu(cpu) {
		struct gp_worker *w = &gp_workers[i];

		if (i == gp_nr)
			break;
		if (gmm) {
			if (gmm_root_add(gp_heap, (void **)&w->table))
				return -ENOMEM;
			w->rooted = true;
			gmm_mutator_enter(gp_heap);
			w->table = gmm_alloc_array(gp_heap, gp_slot_type, slots);
			gmm_mutator_exit(gp_heap);
		} else {
			w->table = kvcalloc(slots, sizeof(*w->table), GFP_KERNEL);
		}
		if (!w->table)
			return -ENOMEM;
		w->task = kthread_create(gp_worker_fn, w, "gmm_churn/%u", cpu);
		if (IS_ERR(w->task)) {
			w->task = NULL;
			return -ENOMEM;
		}
		kthread_bind(w->task, cpu);
		i++;
	}
	for (i = 0; i < gp_nr; i++)
		wake_up_process(gp_workers[i].task);
	while (atomic_read(&gp_filling) > 0)
		msleep(20);
	return 0;
}

static void gp_free_tables(bool gmm)
{
	unsigned int i, j;

	for (i = 0; i < gp_nr; i++) {
		struct gp_worker *w = &gp_workers[i];

		if (gmm) {
			if (w->rooted)
				gmm_root_remove(gp_heap, (void **)&w->table);
			continue;
		}
		if (!w->table)
			continue;
		for (j = 0; j < slots; j++) {
			if (w->table[j]) {
				kfree(w->table[j]->next);
				kfree(w->table[j]);
			}
		}
		kvfree(w->table);
	}
}

/* Run the window: returns its length in ns; adds up the workers' pairs. */
static u64 gp_window(u64 *ops)
{
	u64 t0 = ktime_get_ns(), el;
	unsigned int i, s;

	WRITE_ONCE(gp_measuring, true);
	for (s = 0; s < seconds; s++)
		msleep(1000);
	el = ktime_get_ns() - t0;
	WRITE_ONCE(gp_measuring, false);
	*ops = 0;
	for (i = 0; i < gp_nr; i++)
		*ops += READ_ONCE(gp_workers[i].ops);
	return el;
}

static u64 gp_stall_max(bool section)
{
	unsigned int i;
	u64 m = 0;

	for (i = 0; i < gp_nr; i++)
		m = max(m, section ? READ_ONCE(gp_workers[i].section_max) :
				     READ_ONCE(gp_workers[i].stall_max));
	return m;
}

static int gp_errors(void)
{
	unsigned int i;

	for (i = 0; i < gp_nr; i++)
		if (gp_workers[i].err)
			return gp_workers[i].err;
	return 0;
}

static int gp_run_gmm(void)
{
	struct gmm_heap_params p = { .name = "gmm_churn", .gc_percent = gc_percent };
	struct gmm_gcstats *g0 = NULL, *g1 = NULL, *gc;
	u64 cyc0, el, ops, cpu_pm, *v;
	char b[4][24];
	unsigned int n, kept, i;
	int err;

	gp_heap = gmm_heap_create(&p);
	if (IS_ERR(gp_heap))
		return PTR_ERR(gp_heap);
	gp_obj_type = gmm_type_register_desc(gp_heap, &gp_obj_desc);
	gp_slot_type = gmm_type_register_desc(gp_heap, &gp_slot_desc);
	v = kcalloc(GMM_NUM_PAUSES, sizeof(*v), GFP_KERNEL);
	g0 = kmalloc(sizeof(*g0), GFP_KERNEL);
	g1 = kmalloc(sizeof(*g1), GFP_KERNEL);
	if (IS_ERR(gp_obj_type) || IS_ERR(gp_slot_type) || !v || !g0 || !g1) {
		err = -ENOMEM;
		goto out;
	}
	err = gp_start_workers(true);
	if (err)
		goto out_workers;

	gmm_heap_read_gcstats(gp_heap, g0);
	el = gp_window(&ops);
	/* The ring now, before more pauses overwrite it. */
	gmm_heap_read_gcstats(gp_heap, g1);
	n = g1->num_pauses - g0->num_pauses;
	kept = min_t(unsigned int, n, GMM_NUM_PAUSES);
	for (i = 0; i < kept; i++)
		v[i] = g1->pause_ns[(g1->num_pauses - kept + i) % GMM_NUM_PAUSES];
	cpu_pm = div64_u64((g1->gc_cpu_ns - g0->gc_cpu_ns) * 1000,
			   max_t(u64, el * gp_nr, 1));
	cyc0 = g1->num_gc - g0->num_gc;
	gp_stop_workers();
	err = gp_errors();
	gc = g0;
	gmm_heap_read_gcstats(gp_heap, gc);	/* as the workers left it */

	for (i = 0; i < kept; i++)
		pr_info("pause,gmm,%llu\n", v[i]);
	sort(v, kept, sizeof(*v), gp_cmp_u64, NULL);
	pr_info("churn: %s mode=gmm seconds=%llu.%llu workers=%u slots=%u ops=%llu ns_per_op=%llu cycles=%llu pauses=%u kept=%u p50_us=%s p90_us=%s p99_us=%s max_us=%s stop_latency_max_us=%llu stall_max_us=%llu section_max_us=%llu gc_cpu_pct=%llu.%llu peak_heap_kb=%llu peak_inuse_kb=%llu live_kb=%llu goal_hist=%llu:%llu:%llu:%llu:%llu:%llu\n",
		err ? "FAILED" : "ok", div_u64(el, NSEC_PER_SEC),
		div_u64(el % NSEC_PER_SEC, NSEC_PER_SEC / 10), gp_nr, slots,
		ops, div64_u64(el * gp_nr, max_t(u64, ops, 1)), cyc0, n, kept,
		gp_us(b[0], sizeof(b[0]), gp_pct(v, kept, 50)),
		gp_us(b[1], sizeof(b[1]), gp_pct(v, kept, 90)),
		gp_us(b[2], sizeof(b[2]), gp_pct(v, kept, 99)),
		gp_us(b[3], sizeof(b[3]), gp_pct(v, kept, 100)),
		div_u64(gc->stop_latency_max_ns, NSEC_PER_USEC),
		div_u64(gp_stall_max(false), NSEC_PER_USEC),
		div_u64(gp_stall_max(true), NSEC_PER_USEC), cpu_pm / 10,
		cpu_pm % 10, gp_peak_sys >> 10, gp_peak_inuse >> 10,
		((u64)gp_nr * slots * (2 * sizeof(struct gp_obj) + sizeof(void *))) >> 10,
		gc->goal_hist[0], gc->goal_hist[1], gc->goal_hist[2],
		gc->goal_hist[3], gc->goal_hist[4], gc->goal_hist[5]);
	goto out_tables;

out_workers:
	gp_stop_workers();
out_tables:
	gp_free_tables(true);
out:
	kfree(g0);
	kfree(g1);
	kfree(v);
	gmm_heap_destroy(gp_heap);
	gp_heap = NULL;
	return err;
}

static int gp_run_kmalloc(void)
{
	u64 el, ops;
	int err;

	err = gp_start_workers(false);
	if (err) {
		gp_stop_workers();
		gp_free_tables(false);
		return err;
	}
	el = gp_window(&ops);
	gp_stop_workers();
	err = gp_errors();
	pr_info("churn: %s mode=kmalloc seconds=%llu.%llu workers=%u slots=%u ops=%llu ns_per_op=%llu live_kb=%llu\n",
		err ? "FAILED" : "ok", div_u64(el, NSEC_PER_SEC),
		div_u64(el % NSEC_PER_SEC, NSEC_PER_SEC / 10), gp_nr, slots,
		ops, div64_u64(el * gp_nr, max_t(u64, ops, 1)),
		((u64)gp_nr * slots * (2 * sizeof(struct gp_obj) + sizeof(void *))) >> 10);
	gp_free_tables(false);
	return err;
}

static int __init gp_init(void)
{
	int err;

	if (!seconds || !slots || (!run_gmm && !explicit) ||
	    (u64)slots * sizeof(void *) > GMM_MAX_ALLOC_SIZE || gc_percent < 0)
		return -EINVAL;
	pr_info("seconds=%u slots=%u gc_percent=%d gmm=%d explicit=%d cpus=%u\n",
		seconds, slots, gc_percent, run_gmm, explicit,
		min(num_online_cpus(), GP_MAX_CPUS));
	err = run_gmm ? gp_run_gmm() : 0;
	if (!err && explicit)
		err = gp_run_kmalloc();
	if (err) {
		pr_err("error %d\n", err);
		return err;
	}
	return -EAGAIN;		/* nothing to keep loaded */
}

static void __exit gp_exit(void)
{
}

module_init(gp_init);
module_exit(gp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("gmm stop-the-world pauses under a steady allocation load");
