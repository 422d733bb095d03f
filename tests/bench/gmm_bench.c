// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_bench.c - what one object costs from gmm and from the kernel's own
 * allocators (`make bench`; a benchmark, not a test: nothing is asserted).
 *
 * The module's init runs every measurement and then returns -EAGAIN, so it
 * never stays loaded (the lib/test_vmalloc.c convention); any other error
 * means the benchmark could not run.
 *
 * What is timed, per object of each size:
 *   gmm_noscan        gmm_alloc_noscan(): allocation only.  gmm has no
 *                     free (it is a garbage-collected heap; collection is
 *                     off here, gc_percent -1), so every run uses a fresh
 *                     heap, created and destroyed outside the timed region;
 *                     the cost of getting and zeroing fresh arena pages on
 *                     the way is included, and so is one mutator section
 *                     (gmm_mutator_enter/exit) per batch.
 *   gmm_scan          gmm_alloc() of a type whose first word is a pointer
 *                     (size rounded up to 8), same rules.
 *   kmalloc_pair      kmalloc() of `batch` objects, then kfree() of them:
 *                     both timed, cost per object = (alloc + free) / n.
 *   kmalloc_alloc     the kmalloc() half of the same runs.
 *   kmalloc_hot       kmalloc() then kfree() at once: the same object comes
 *                     back every time (SLUB's best case).
 *   kmem_cache_pair   kmem_cache_alloc()/kmem_cache_free() in batches, on a
 *   kmem_cache_alloc  cache of exactly the size (SLUB may merge it with a
 *                     kmalloc cache); alloc-only half as above.
 *   mempool_pair      mempool_alloc()/mempool_free() in batches on
 *   mempool_alloc     mempool_create_kmalloc_pool(); alloc-only half.
 *
 * Each figure is the median of `runs` runs after one warm-up run; the
 * one-CPU and all-CPU runs of a figure take turns.  A run is
 * `ops` objects per CPU, timed with ktime_get_ns() around every batch of
 * `batch` objects; `ops` is `iters`, or fewer where `iters` objects would
 * take more than `budget_mb` (gmm cannot give them back within a run), or
 * for gmm more where `iters` objects would take less than `gmm_min_mb`.
 *
 * With several CPUs one kthread bound to each CPU does the same loop at
 * the same time (released together); the gmm heap is one heap shared by
 * all of them, which is what its per-CPU caches are for.  ns_per_op is
 * then the slowest CPU's cost per object and ops_per_s the aggregate,
 * ncpus * ops / (slowest CPU's timed ns).
 *
 * Output, in the kernel log:
 *   gmm_bench: csv,<test>,<size>,<cpus>,<ns_per_op>,<ops_per_s>,<ns_min>,<ns_max>
 * one line per figure (ns_min/ns_max: fastest and slowest run), and a
 * table per CPU count at the end.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mempool.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/wait.h>

#include <linux/gmm.h>

#define GB_MAX_SIZES	16
#define GB_MAX_RUNS	15
#define GB_MAX_BATCH	65536
#define GB_POOL_MIN	4	/* mempool reserve: only used when kmalloc fails */

static unsigned int sizes[GB_MAX_SIZES] = {
	8, 16, 32, 64, 128, 256, 1024, 4096, 32768, 65536,
};

static int nr_sizes = 10;
module_param_array(sizes, uint, &nr_sizes, 0444);
MODULE_PARM_DESC(sizes, "object sizes in bytes (default 8,16,32,64,128,256,1024,4096,32768,65536)");

static unsigned int iters = 200000;
module_param(iters, uint, 0444);
MODULE_PARM_DESC(iters, "objects per CPU per run (fewer where budget_mb caps them)");

static unsigned int batch = 1000;
module_param(batch, uint, 0444);
MODULE_PARM_DESC(batch, "objects allocated (then freed) per timed batch");

static unsigned int runs = 5;
module_param(runs, uint, 0444);
MODULE_PARM_DESC(runs, "timed runs per figure, median reported (1-15)");

static unsigned int budget_mb = 64;
module_param(budget_mb, uint, 0444);
MODULE_PARM_DESC(budget_mb, "most MiB one CPU allocates in one run");

static unsigned int gmm_min_mb = 16;
module_param(gmm_min_mb, uint, 0444);
MODULE_PARM_DESC(gmm_min_mb, "least MiB one CPU allocates from gmm in one run (see gb_ops())");

static unsigned int cpus;
module_param(cpus, uint, 0444);
MODULE_PARM_DESC(cpus, "CPUs of the all-CPU pass (0: all online, 1: no such pass)");

enum gb_group {
	GB_GMM_NOSCAN,
	GB_GMM_SCAN,
	GB_KMALLOC,
	GB_KMALLOC_HOT,
	GB_KMEM_CACHE,
	GB_MEMPOOL,
	GB_NR_GROUPS
};

static unsigned int tests = (1U << GB_NR_GROUPS) - 1;
module_param(tests, uint, 0444);
MODULE_PARM_DESC(tests, "bit mask: 1 gmm_noscan, 2 gmm_scan, 4 kmalloc, 8 kmalloc_hot, 16 kmem_cache, 32 mempool");

/* Result columns: every group has one, the batched free-ing ones two. */
enum gb_col {
	C_GMM_NOSCAN,
	C_GMM_SCAN,
	C_KMALLOC_PAIR,
	C_KMALLOC_ALLOC,
	C_KMALLOC_HOT,
	C_CACHE_PAIR,
	C_CACHE_ALLOC,
	C_POOL_PAIR,
	C_POOL_ALLOC,
	C_NR
};

static const char * const gb_col_name[C_NR] = {
	[C_GMM_NOSCAN] = "gmm_noscan",
	[C_GMM_SCAN] = "gmm_scan",
	[C_KMALLOC_PAIR] = "kmalloc_pair",
	[C_KMALLOC_ALLOC] = "kmalloc_alloc",
	[C_KMALLOC_HOT] = "kmalloc_hot",
	[C_CACHE_PAIR] = "kmem_cache_pair",
	[C_CACHE_ALLOC] = "kmem_cache_alloc",
	[C_POOL_PAIR] = "mempool_pair",
	[C_POOL_ALLOC] = "mempool_alloc",
};

/* Main column of each group, and its alloc-only column (or -1). */
static const int gb_main_col[GB_NR_GROUPS] = {
	C_GMM_NOSCAN, C_GMM_SCAN, C_KMALLOC_PAIR, C_KMALLOC_HOT, C_CACHE_PAIR,
	C_POOL_PAIR,
};

static const int gb_alloc_col[GB_NR_GROUPS] = {
	-1, -1, C_KMALLOC_ALLOC, -1, C_CACHE_ALLOC, C_POOL_ALLOC,
};

struct gb_result {
	u64 ns10;		/* tenths of ns per object; 0: not measured */
	u64 ops_per_s;
};

/* [column][size index][0: one CPU, 1: all CPUs] */
static struct gb_result gb_results[C_NR][GB_MAX_SIZES][2];

struct gb_job {
	enum gb_group group;
	unsigned int size;
	unsigned int ops;		/* objects per thread */
	unsigned int nthreads;
	struct gmm_heap *heap;
	const struct gmm_type *type;
	struct kmem_cache *cache;
	mempool_t *pool;
};

struct gb_worker {
	struct task_struct *task;
	unsigned int index;
	unsigned long seen;		/* last job generation looked at */
	void **objs;			/* one batch */
	u64 main_ns;			/* what the group's main column times */
	u64 alloc_ns;			/* its allocation half */
	int err;
};

static struct gb_worker *gb_workers;
static unsigned int gb_nr_workers;

/*
 * Handing a job to the workers: the coordinator (the insmod task) stores
 * the job, bumps gb_gen and wakes gb_wq; the job's workers meet at a
 * barrier (gb_arrive, gb_go_wq) so they start together, and the last one
 * done completes gb_done.
 */
static DECLARE_WAIT_QUEUE_HEAD(gb_wq);
static DECLARE_WAIT_QUEUE_HEAD(gb_go_wq);
static DECLARE_COMPLETION(gb_done);
static const struct gb_job *gb_cur;
static unsigned long gb_gen;
static unsigned long gb_go;
static atomic_t gb_arrive;
static atomic_t gb_pending;

static void gb_alloc_batch(const struct gb_job *j, void **objs, unsigned int n)
{
	unsigned int i;

	switch (j->group) {
	case GB_GMM_NOSCAN:
		gmm_mutator_enter(j->heap);
		for (i = 0; i < n; i++)
			objs[i] = gmm_alloc_noscan(j->heap, j->size);
		gmm_mutator_exit(j->heap);
		break;
	case GB_GMM_SCAN:
		gmm_mutator_enter(j->heap);
		for (i = 0; i < n; i++)
			objs[i] = gmm_alloc(j->heap, j->type);
		gmm_mutator_exit(j->heap);
		break;
	case GB_KMALLOC:
		for (i = 0; i < n; i++)
			objs[i] = kmalloc(j->size, GFP_KERNEL);
		break;
	case GB_KMEM_CACHE:
		for (i = 0; i < n; i++)
			objs[i] = kmem_cache_alloc(j->cache, GFP_KERNEL);
		break;
	case GB_MEMPOOL:
		for (i = 0; i < n; i++)
			objs[i] = mempool_alloc(j->pool, GFP_KERNEL);
		break;
	default:
		break;
	}
}

static void gb_free_batch(const struct gb_job *j, void **objs, unsigned int n)
{
	unsigned int i;

	switch (j->group) {
	case GB_KMALLOC:
		for (i = 0; i < n; i++)
			kfree(objs[i]);
		break;
	case GB_KMEM_CACHE:
		for (i = 0; i < n; i++)
			kmem_cache_free(j->cache, objs[i]);
		break;
	case GB_MEMPOOL:
		for (i = 0; i < n; i++)
			mempool_free(objs[i], j->pool);
		break;
	default:
		break;	/* gmm: nothing to free */
	}
}

/* kmalloc() and kfree() at once, @n times; returns how many failed. */
static unsigned int gb_hot(const struct gb_job *j, unsigned int n)
{
	unsigned int i, failed = 0;
	void *p;

	for (i = 0; i < n; i++) {
		p = kmalloc(j->size, GFP_KERNEL);
		failed += !p;
		kfree(p);
	}
	return failed;
}

/* Failed allocations in a batch; frees-by-kind need the NULLs left out. */
static unsigned int gb_compact(void **objs, unsigned int n)
{
	unsigned int i, k = 0;

	for (i = 0; i < n; i++)
		if (objs[i])
			objs[k++] = objs[i];
	return k;
}

static void gb_work(struct gb_worker *w, const struct gb_job *j)
{
	bool frees = j->group == GB_KMALLOC || j->group == GB_KMEM_CACHE ||
		     j->group == GB_MEMPOOL;
	unsigned int done, n, ok;
	u64 t0, t1, t2, t3;

	w->main_ns = 0;
	w->alloc_ns = 0;
	w->err = 0;
	for (done = 0; done < j->ops; done += n) {
		n = min(batch, j->ops - done);
		if (j->group == GB_KMALLOC_HOT) {
			t0 = ktime_get_ns();
			ok = n - gb_hot(j, n);
			t1 = ktime_get_ns();
			w->main_ns += t1 - t0;
		} else {
			t0 = ktime_get_ns();
			gb_alloc_batch(j, w->objs, n);
			t1 = ktime_get_ns();
			ok = gb_compact(w->objs, n);	/* not timed */
			t2 = ktime_get_ns();
			gb_free_batch(j, w->objs, ok);
			t3 = ktime_get_ns();
			w->alloc_ns += t1 - t0;
			w->main_ns += t1 - t0;
			if (frees)
				w->main_ns += t3 - t2;
		}
		if (ok != n) {
			w->err = -ENOMEM;
			break;
		}
		cond_resched();
	}
}

static int gb_worker_fn(void *data)
{
	struct gb_worker *w = data;
	const struct gb_job *j;
	unsigned long gen;

	for (;;) {
		/* Acquire gb_gen: pairs with gb_run()'s release, orders gb_cur. */
		wait_event_interruptible(gb_wq, smp_load_acquire(&gb_gen) != w->seen ||
					 kthread_should_stop());
		if (kthread_should_stop())
			break;
		/* Acquire as above: gb_cur is read after it. */
		gen = smp_load_acquire(&gb_gen);
		w->seen = gen;
		j = READ_ONCE(gb_cur);
		if (w->index >= j->nthreads)
			continue;

		/* Start together: the last to arrive releases the others. */
		if (atomic_dec_and_test(&gb_arrive)) {
			/* Release: pairs with the acquire of the waiters below. */
			smp_store_release(&gb_go, gen);
			wake_up_all(&gb_go_wq);
		} else {
			/* Acquire: pairs with the release of the last to arrive. */
			wait_event_interruptible(gb_go_wq, smp_load_acquire(&gb_go) == gen);
		}
		gb_work(w, j);
		if (atomic_dec_and_test(&gb_pending))
			complete(&gb_done);
	}
	return 0;
}

/*
 * Run @j on its workers and wait for them.  *@main_ns and *@alloc_ns get
 * the slowest worker's timed nanoseconds.
 */
static int gb_run(const struct gb_job *j, u64 *main_ns, u64 *alloc_ns)
{
	unsigned int i;
	int err = 0;

	atomic_set(&gb_arrive, j->nthreads);
	atomic_set(&gb_pending, j->nthreads);
	reinit_completion(&gb_done);
	WRITE_ONCE(gb_cur, j);
	/* Release: the job (and gb_cur) is visible before the new gb_gen. */
	smp_store_release(&gb_gen, gb_gen + 1);
	wake_up_all(&gb_wq);
	/* Wake every second so that the hung-task detector sees progress. */
	while (!wait_for_completion_timeout(&gb_done, HZ))
		cond_resched();

	*main_ns = 0;
	*alloc_ns = 0;
	for (i = 0; i < j->nthreads; i++) {
		*main_ns = max(*main_ns, gb_workers[i].main_ns);
		*alloc_ns = max(*alloc_ns, gb_workers[i].alloc_ns);
		if (gb_workers[i].err)
			err = gb_workers[i].err;
	}
	return err;
}

static int gb_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static u64 gb_median(u64 *v, unsigned int n)
{
	sort(v, n, sizeof(*v), gb_cmp_u64, NULL);
	return n & 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Objects per CPU per run for @size bytes. */
/*
 * Objects per CPU per run for @size bytes: iters, as long as that fits in
 * budget_mb; gmm runs take at least gmm_min_mb (still within budget_mb),
 * so that the last 4 MiB arena a fresh heap grows by, zeroed in full, is
 * mostly used and its tail does not weigh on small sizes.
 */
static unsigned int gb_ops(unsigned int size, bool is_gmm)
{
	u64 cap = div_u64((u64)budget_mb << 20, size);
	u64 ops = min_t(u64, iters, cap);

	if (is_gmm)
		ops = max(ops, min(cap, div_u64((u64)gmm_min_mb << 20, size)));
	return clamp_t(u64, ops, 1, UINT_MAX);
}

/* Median, fastest and slowest of the runs of one figure, in ns per run. */
struct gb_runs {
	u64 ns[GB_MAX_RUNS];
};

static void gb_store(int col, unsigned int si, const struct gb_job *j,
		     struct gb_runs *t)
{
	struct gb_result *r = &gb_results[col][si][j->nthreads > 1];
	u64 ops = j->ops, med_ns, lo10, hi10;

	med_ns = max_t(u64, gb_median(t->ns, runs), 1);
	r->ns10 = max_t(u64, div64_u64(med_ns * 10, ops), 1);
	r->ops_per_s = div64_u64(ops * j->nthreads * NSEC_PER_SEC, med_ns);
	/* gb_median() has sorted the runs */
	lo10 = div64_u64(t->ns[0] * 10, ops);
	hi10 = div64_u64(t->ns[runs - 1] * 10, ops);
	pr_info("csv,%s,%u,%u,%llu.%llu,%llu,%llu.%llu,%llu.%llu\n",
		gb_col_name[col], j->size, j->nthreads, r->ns10 / 10,
		r->ns10 % 10, r->ops_per_s, lo10 / 10, lo10 % 10, hi10 / 10,
		hi10 % 10);
}

/* A fresh heap for one gmm run (and the scan type, registered in it). */
static int gb_heap_get(struct gb_job *j, const unsigned long *ptrmap)
{
	struct gmm_heap_params params = {
		.name = "gmm_bench",
		.gc_percent = -1,
	};

	j->heap = gmm_heap_create(&params);
	if (IS_ERR(j->heap))
		return PTR_ERR(j->heap);
	if (j->group != GB_GMM_SCAN)
		return 0;
	j->type = gmm_type_register(j->heap, "gmm_bench", round_up(j->size, 8),
				    8, ptrmap);
	if (IS_ERR(j->type)) {
		gmm_heap_destroy(j->heap);
		j->heap = NULL;
		return PTR_ERR(j->type);
	}
	return 0;
}

/*
 * One group at one size: on one CPU and on @ncpus, run by run in turn (so
 * that a drift of the machine shows in both alike), after a warm-up of
 * each.
 */
static int gb_bench(enum gb_group group, unsigned int si, unsigned int ncpus)
{
	struct gb_job j = {
		.group = group,
		.size = sizes[si],
	};
	bool is_gmm = group == GB_GMM_NOSCAN || group == GB_GMM_SCAN;
	unsigned int nmodes = ncpus > 1 ? 2 : 1, mode;
	static struct gb_runs main_ns[2], alloc_ns[2];
	unsigned long *ptrmap = NULL;
	int r, err = 0;

	j.ops = gb_ops(j.size, is_gmm);
	switch (group) {
	case GB_GMM_SCAN:
		ptrmap = bitmap_zalloc(round_up(j.size, 8) / 8, GFP_KERNEL);
		if (!ptrmap)
			return -ENOMEM;
		__set_bit(0, ptrmap);
		break;
	case GB_KMEM_CACHE:
		j.cache = kmem_cache_create("gmm_bench", j.size, 0, 0, NULL);
		if (!j.cache)
			return -ENOMEM;
		break;
	case GB_MEMPOOL:
		j.pool = mempool_create_kmalloc_pool(GB_POOL_MIN, j.size);
		if (!j.pool)
			return -ENOMEM;
		break;
	default:
		break;
	}

	/* Run -1 is the warm-up. */
	for (r = -1; r < (int)runs && !err; r++) {
		for (mode = 0; mode < nmodes && !err; mode++) {
			u64 m, a;

			j.nthreads = mode ? ncpus : 1;
			if (is_gmm) {
				err = gb_heap_get(&j, ptrmap);
				if (err)
					break;
			}
			err = gb_run(&j, &m, &a);
			if (is_gmm) {
				gmm_heap_destroy(j.heap);
				j.heap = NULL;
			}
			if (!err && r >= 0) {
				main_ns[mode].ns[r] = m;
				alloc_ns[mode].ns[r] = a;
			}
			cond_resched();
		}
	}

	for (mode = 0; mode < nmodes && !err; mode++) {
		j.nthreads = mode ? ncpus : 1;
		gb_store(gb_main_col[group], si, &j, &main_ns[mode]);
		if (gb_alloc_col[group] >= 0)
			gb_store(gb_alloc_col[group], si, &j, &alloc_ns[mode]);
	}
	if (err)
		pr_err("%s, %u bytes: error %d\n", gb_col_name[gb_main_col[group]],
		       j.size, err);

	bitmap_free(ptrmap);
	kmem_cache_destroy(j.cache);
	mempool_destroy(j.pool);
	return err;
}

/* "12.3" from tenths of ns, or "-" when not measured. */
static const char *gb_fmt(char *buf, size_t len, u64 ns10)
{
	if (!ns10)
		return "-";
	snprintf(buf, len, "%llu.%llu", ns10 / 10, ns10 % 10);
	return buf;
}

/* "0.42" for a / b, or "-". */
static const char *gb_fmt_ratio(char *buf, size_t len, u64 a, u64 b)
{
	u64 r;

	if (!a || !b)
		return "-";
	r = div64_u64(a * 100 + b / 2, b);
	snprintf(buf, len, "%llu.%02llu", r / 100, r % 100);
	return buf;
}

static void gb_print_table(unsigned int mode, unsigned int ncpus)
{
	static const int cols[] = {
		C_GMM_NOSCAN, C_GMM_SCAN, C_KMALLOC_PAIR, C_KMALLOC_ALLOC,
		C_KMALLOC_HOT, C_CACHE_PAIR, C_POOL_PAIR,
	};
	char line[160], b[ARRAY_SIZE(cols) + 2][24];
	unsigned int si, c;
	size_t len;

	pr_info("ns per object, %u CPU%s, median of %u runs%s\n", ncpus,
		ncpus > 1 ? "s" : "", runs,
		ncpus > 1 ? " (slowest CPU's cost, all CPUs at once)" : "");
	pr_info("%7s %8s %8s %8s %8s %8s %8s %8s %7s %7s\n", "size", "noscan",
		"scan", "km+free", "km-only", "km-hot", "kc+free", "mp+free",
		"gmm/km", "gmm/kmA");
	for (si = 0; si < nr_sizes; si++) {
		len = scnprintf(line, sizeof(line), "%7u", sizes[si]);
		for (c = 0; c < ARRAY_SIZE(cols); c++)
			len += scnprintf(line + len, sizeof(line) - len, " %8s",
					 gb_fmt(b[c], sizeof(b[c]),
						gb_results[cols[c]][si][mode].ns10));
		len += scnprintf(line + len, sizeof(line) - len, " %7s",
				 gb_fmt_ratio(b[c], sizeof(b[c]),
					      gb_results[C_GMM_NOSCAN][si][mode].ns10,
					      gb_results[C_KMALLOC_PAIR][si][mode].ns10));
		scnprintf(line + len, sizeof(line) - len, " %7s",
			  gb_fmt_ratio(b[c + 1], sizeof(b[c + 1]),
				       gb_results[C_GMM_NOSCAN][si][mode].ns10,
				       gb_results[C_KMALLOC_ALLOC][si][mode].ns10));
		pr_info("%s\n", line);
	}
}

static void gb_print_legend(unsigned int ncpus)
{
	pr_info("iters=%u batch=%u runs=%u budget_mb=%u gmm_min_mb=%u cpus=%u tests=0x%x init_on_alloc=%d\n",
		iters, batch, runs, budget_mb, gmm_min_mb, ncpus, tests,
		want_init_on_alloc(GFP_KERNEL));
	pr_info("noscan/scan: gmm_alloc_noscan()/gmm_alloc(), allocation only (gmm has no free),\n");
	pr_info("  fresh heap per run (at least %u MiB per CPU), one mutator section per batch of %u\n",
		gmm_min_mb, batch);
	pr_info("km+free/kc+free/mp+free: kmalloc/kmem_cache/mempool alloc+free, in batches of %u\n",
		batch);
	pr_info("km-only: the kmalloc half of km+free; km-hot: kmalloc+kfree of one object at once\n");
	pr_info("gmm/km = noscan / km+free, gmm/kmA = noscan / km-only\n");
	if (want_init_on_alloc(GFP_KERNEL))
		pr_info("init_on_alloc is on: kmalloc, kmem_cache and mempool zero objects too\n");
	if (IS_ENABLED(CONFIG_KASAN) || IS_ENABLED(CONFIG_PROVE_LOCKING) ||
	    IS_ENABLED(CONFIG_DEBUG_PREEMPT) || IS_ENABLED(CONFIG_KMEMLEAK) ||
	    IS_ENABLED(CONFIG_KCSAN) || IS_ENABLED(CONFIG_SLUB_DEBUG_ON) ||
	    IS_ENABLED(CONFIG_DEBUG_PAGEALLOC))
		pr_warn("this kernel has debugging options on: figures are inflated\n");
}

static void gb_stop_workers(void)
{
	unsigned int i;

	for (i = 0; i < gb_nr_workers; i++) {
		kthread_stop(gb_workers[i].task);
		kvfree(gb_workers[i].objs);
	}
	kfree(gb_workers);
	gb_workers = NULL;
	gb_nr_workers = 0;
}

/* One worker per online CPU, up to @max, each bound to its CPU. */
static int gb_start_workers(unsigned int max)
{
	struct gb_worker *w;
	unsigned int cpu;

	gb_workers = kcalloc(max, sizeof(*gb_workers), GFP_KERNEL);
	if (!gb_workers)
		return -ENOMEM;
	for_each_online_cpu(cpu) {
		if (gb_nr_workers == max)
			break;
		w = &gb_workers[gb_nr_workers];
		w->index = gb_nr_workers;
		w->objs = kvmalloc_array(batch, sizeof(*w->objs), GFP_KERNEL);
		if (!w->objs)
			goto err;
		w->task = kthread_create(gb_worker_fn, w, "gmm_bench/%u", cpu);
		if (IS_ERR(w->task)) {
			kvfree(w->objs);
			goto err;
		}
		kthread_bind(w->task, cpu);
		gb_nr_workers++;
		wake_up_process(w->task);
	}
	return 0;
err:
	gb_stop_workers();
	return -ENOMEM;
}

static int __init gb_init(void)
{
	unsigned int ncpus = cpus ? min(cpus, num_online_cpus()) : num_online_cpus();
	unsigned int si, g;
	int err = 0;

	if (!runs || runs > GB_MAX_RUNS || !iters || !batch ||
	    batch > GB_MAX_BATCH || !budget_mb || !nr_sizes)
		return -EINVAL;
	for (si = 0; si < nr_sizes; si++)
		if (!sizes[si] || sizes[si] > GMM_MAX_ALLOC_SIZE)
			return -EINVAL;

	err = gb_start_workers(ncpus);
	if (err)
		return err;
	ncpus = gb_nr_workers;
	gb_print_legend(ncpus);
	pr_info("csv,test,size,cpus,ns_per_op,ops_per_s,ns_min,ns_max\n");

	for (si = 0; si < nr_sizes && !err; si++)
		for (g = 0; g < GB_NR_GROUPS && !err; g++)
			if (tests & BIT(g))
				err = gb_bench(g, si, ncpus);
	gb_stop_workers();
	if (err)
		return err;

	gb_print_table(0, 1);
	if (ncpus > 1)
		gb_print_table(1, ncpus);
	pr_info("done\n");
	return -EAGAIN;		/* nothing to keep loaded */
}

static void __exit gb_exit(void)
{
}

module_init(gb_init);
module_exit(gb_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("gmm allocation benchmark against kmalloc, kmem_cache and mempool");
