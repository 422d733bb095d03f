// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_bench_heaps.c - what many heaps cost in kernel threads (`make bench`,
 * part "heaps"; a benchmark, not a test: nothing about time is asserted).
 *
 * The module's init does everything and returns -EAGAIN, so that it never
 * stays loaded; any other error means it could not run.
 *
 *  1. Count the kernel threads (tasks with PF_KTHREAD): all of them, and
 *     those named gmm* (the module's own: mark workers, the rescuer of
 *     its workqueue).
 *  2. Create `heaps` heaps (default 1000) and count again: idle heaps.
 *  3. In every heap allocate `alloc_kb` KiB of small objects and drop
 *     them, then collect every heap with gmm_gc() from `threads` kernel
 *     threads at once (each takes every threads-th heap), while the
 *     init samples the thread counts every 20 ms; report the largest.
 *     Every heap's page heap keeps at most one empty arena; the page
 *     heaps' shrinker takes them back under memory pressure.
 *  4. Destroy the heaps and count once more.
 *
 * Output, in the kernel log, "gmm_bench_heaps: heaps: ok|FAILED key=value":
 * heaps, kthreads_before, kthreads_idle, kthreads_busy_max, kthreads_after
 * (all kernel threads), gmm_threads_* (gmm's own, same points), create_us
 * (mean per heap), gc_ms (step 3's wall time), cycles (completed in all).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <linux/gmm.h>

static uint heaps = 1000;
module_param(heaps, uint, 0444);
MODULE_PARM_DESC(heaps, "heaps open at once (1-100000)");

static uint alloc_kb = 64;
module_param(alloc_kb, uint, 0444);
MODULE_PARM_DESC(alloc_kb, "KiB each heap allocates before its cycle");

static uint threads = 8;
module_param(threads, uint, 0444);
MODULE_PARM_DESC(threads, "threads collecting the heaps at once (1-64)");

#define GH_OBJ		32

/* Each heap's objects: GH_OBJ bytes, a pointer first. */
struct gh_obj {
	struct gh_obj *next;
	u64 pad[GH_OBJ / 8 - 1];
};

static const struct gmm_type_desc gh_obj_desc = GMM_TYPE(struct gh_obj, next);

struct gh_thread {
	struct task_struct *task;
	unsigned int first;
	int err;
	struct completion done;
};

static struct gmm_heap **gh_heaps;
static const struct gmm_type **gh_types;

/* Kernel threads now: all, and those whose name begins with "gmm". */
static void gh_count(unsigned int *all, unsigned int *own)
{
	struct task_struct *p;

	*all = 0;
	*own = 0;
	rcu_read_lock();
	for_each_process(p) {
		if (!(p->flags & PF_KTHREAD))
			continue;
		(*all)++;
		if (!strncmp(p->comm, "gmm", 3))
			(*own)++;
	}
	rcu_read_unlock();
}

/* Allocate alloc_kb KiB of garbage in heap @i, then collect it. */
static int gh_one(unsigned int i)
{
	struct gmm_heap *h = gh_heaps[i];
	unsigned int n = alloc_kb * 1024 / GH_OBJ, k;
	int err = 0;

	gmm_mutator_enter(h);
	for (k = 0; k < n; k++) {
		if (!gmm_alloc(h, gh_types[i])) {
			err = -ENOMEM;
			break;
		}
		if (!(k & 255))
			gmm_mutator_yield(h);
	}
	gmm_mutator_exit(h);
	return err ?: gmm_gc(h);
}

static int gh_thread_fn(void *arg)
{
	struct gh_thread *t = arg;
	unsigned int i;

	for (i = t->first; i < heaps && !t->err; i += threads)
		t->err = gh_one(i);
	complete(&t->done);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ / 10);
	return 0;
}

/* Step 3; the largest thread counts seen while it ran. */
static int gh_collect_all(unsigned int *all_max, unsigned int *own_max)
{
	struct gh_thread *t = kcalloc(threads, sizeof(*t), GFP_KERNEL);
	unsigned int i, all, own, left;
	int err = 0;

	if (!t)
		return -ENOMEM;
	for (i = 0; i < threads; i++) {
		init_completion(&t[i].done);
		t[i].first = i;
		t[i].task = kthread_run(gh_thread_fn, &t[i], "gh_collect/%u", i);
		if (IS_ERR(t[i].task)) {
			err = PTR_ERR(t[i].task);
			t[i].task = NULL;
			complete(&t[i].done);
		}
	}
	do {
		gh_count(&all, &own);
		*all_max = max(*all_max, all);
		*own_max = max(*own_max, own);
		msleep(20);
		for (left = 0, i = 0; i < threads; i++)
			left += !completion_done(&t[i].done);
	} while (left);
	for (i = 0; i < threads; i++) {
		if (!t[i].task)
			continue;
		err = err ?: t[i].err;
		kthread_stop(t[i].task);
	}
	kfree(t);
	return err;
}

static void gh_destroy_all(void)
{
	unsigned int i;

	for (i = 0; i < heaps; i++)
		if (!IS_ERR_OR_NULL(gh_heaps[i]))
			gmm_heap_destroy(gh_heaps[i]);
}

static int gh_create_all(u64 *ns)
{
	struct gmm_heap_params p = { .name = "bench_heaps", .gc_percent = 100 };
	u64 t0 = ktime_get_ns();
	unsigned int i;

	for (i = 0; i < heaps; i++) {
		gh_heaps[i] = gmm_heap_create(&p);
		if (IS_ERR(gh_heaps[i]))
			return PTR_ERR(gh_heaps[i]);
		gh_types[i] = gmm_type_register_desc(gh_heaps[i], &gh_obj_desc);
		if (IS_ERR(gh_types[i]))
			return PTR_ERR(gh_types[i]);
		cond_resched();
	}
	*ns = ktime_get_ns() - t0;
	return 0;
}

static int gh_run(void)
{
	unsigned int a0, o0, a1, o1, a2 = 0, o2 = 0, a3, o3, i;
	u64 create_ns = 0, t0, gc_ns = 0, cycles = 0;
	int err;

	gh_count(&a0, &o0);
	err = gh_create_all(&create_ns);
	if (!err) {
		gh_count(&a1, &o1);
		t0 = ktime_get_ns();
		err = gh_collect_all(&a2, &o2);
		gc_ns = ktime_get_ns() - t0;
		for (i = 0; i < heaps; i++) {
			struct gmm_heap_sample hs;

			gmm_heap_read_sample(gh_heaps[i], &hs);
			cycles += hs.num_gc;
		}
	} else {
		a1 = a0;
		o1 = o0;
	}
	gh_destroy_all();
	gh_count(&a3, &o3);
	pr_info("heaps: %s heaps=%u alloc_kb=%u threads=%u kthreads_before=%u kthreads_idle=%u kthreads_busy_max=%u kthreads_after=%u gmm_threads_before=%u gmm_threads_idle=%u gmm_threads_busy_max=%u gmm_threads_after=%u create_us=%llu gc_ms=%llu cycles=%llu err=%d\n",
		err ? "FAILED" : "ok", heaps, alloc_kb, threads, a0, a1, a2, a3,
		o0, o1, o2, o3, div_u64(create_ns, heaps * 1000ULL),
		gc_ns / NSEC_PER_MSEC, cycles, err);
	return err;
}

static int __init gh_init(void)
{
	int err;

	if (!heaps || heaps > 100000 || !threads || threads > 64 ||
	    alloc_kb > 4096)
		return -EINVAL;
	gh_heaps = vcalloc(heaps, sizeof(*gh_heaps));
	gh_types = vcalloc(heaps, sizeof(*gh_types));
	if (!gh_heaps || !gh_types) {
		vfree(gh_heaps);
		vfree(gh_types);
		return -ENOMEM;
	}
	err = gh_run();
	vfree(gh_heaps);
	vfree(gh_types);
	return err ?: -EAGAIN;	/* nothing to keep loaded */
}

static void __exit gh_exit(void)
{
}

module_init(gh_init);
module_exit(gh_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("gmm: kernel threads against the number of heaps");
