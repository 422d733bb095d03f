// SPDX-License-Identifier: GPL-2.0
/*
 * alloc_stress_test.c - KUnit suite "gmm_alloc_stress": the allocator
 * from many CPUs at once, and while a CPU goes offline and back.
 *
 * Kthreads bound to CPUs: a job runs one function on one CPU; what it
 * allocates it checks for zero, stamps with its tag and records.  The
 * helpers and the checks are the ones of suite "gmm_alloc" (alloc_test.h).
 *
 * Addresses are compared inside the tests and never printed: failures show
 * offsets, slot indices and counts.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include <linux/gmm.h>
#include "alloc_test.h"
#include "gmm_kunit.h"
#include "pagelimit.h"

struct at_obj {
	unsigned long addr;
	u32 size;
	u8 tag;
	bool scan;
};

struct at_job {
	struct completion done;
	void (*fn)(struct at_job *job);
	struct gmm_heap *h;
	const struct gmm_type *type;	/* scan type, for jobs that use one */
	struct at_obj *objs;
	unsigned int max_objs;
	unsigned int nobjs;
	unsigned int cpu;
	bool wrong_cpu;
	u8 tag;
	int errors;
};

static int at_job_thread(void *arg)
{
	struct at_job *job = arg;

	job->wrong_cpu = raw_smp_processor_id() != job->cpu;
	job->fn(job);
	kthread_complete_and_exit(&job->done, 0);
}

/* Start @job on a kthread bound to @cpu: 0 or a negative errno. */
static int at_job_start(struct at_job *job, unsigned int cpu)
{
	struct task_struct *t;

	init_completion(&job->done);
	job->cpu = cpu;
	t = kthread_create(at_job_thread, job, "gmm_alloc_test/%u", cpu);
	if (IS_ERR(t))
		return PTR_ERR(t);
	kthread_bind(t, cpu);
	wake_up_process(t);
	return 0;
}

static void at_job_run(struct kunit *test, struct at_job *job,
		       unsigned int cpu)
{
	KUNIT_ASSERT_EQ(test, at_job_start(job, cpu), 0);
	wait_for_completion(&job->done);
	KUNIT_EXPECT_FALSE(test, job->wrong_cpu);
	KUNIT_EXPECT_EQ(test, job->errors, 0);
}

static void *at_job_alloc(struct at_job *job, size_t size,
			  const struct gmm_type *t)
{
	/* Pointer words (word 0 of scan types) are left alone. */
	size_t skip = t ? sizeof(void *) : 0;
	void *p = at_alloc(job->h, t, size);
	struct at_obj *o;

	if (!p) {
		job->errors++;
		return NULL;
	}
	if (!gmm_kunit_is_zero(p, size))
		job->errors++;
	memset(p + skip, job->tag, size - skip);
	if (job->nobjs >= job->max_objs) {
		job->errors++;
		return p;
	}
	o = &job->objs[job->nobjs++];
	o->addr = (unsigned long)p;
	o->size = size;
	o->tag = job->tag;
	o->scan = t;
	return p;
}

/* 2. Every online CPU allocates from one heap at once. */
#define AT_STRESS_ROUNDS	256
#define AT_STRESS_PER_ROUND	4

static void at_stress_fn(struct at_job *job)
{
	unsigned int i;

	for (i = 0; i < AT_STRESS_ROUNDS; i++) {
		at_job_alloc(job, 8, NULL);		/* tiny */
		at_job_alloc(job, 16, NULL);		/* class 2, noscan */
		at_job_alloc(job, 48, job->type);	/* class 5, scan */
		at_job_alloc(job, 1024, NULL);		/* class 32, noscan */
		if (i % 32 == 31)
			cond_resched();
	}
}

static int at_obj_cmp(const void *a, const void *b)
{
	const struct at_obj *x = a, *y = b;

	if (x->addr == y->addr)
		return 0;
	return x->addr < y->addr ? -1 : 1;
}

static unsigned int at_obj_spc(const struct at_obj *o)
{
	if (!o->scan && o->size < GMM_TINY_SIZE)
		return GMM_TINY_SPANCLASS;
	return gmm_make_spanclass(gmm_size_to_class(o->size), !o->scan);
}

/* Whether @o sits where a slot (or a piece of a tiny block) can be. */
static bool at_obj_placed(const struct at_obj *o, const struct gmm_type *t)
{
	struct gmm_span *s = gmm_span_of((void *)o->addr);
	unsigned long off;
	u32 idx;

	if (!s || s->state != GMM_SPAN_SMALL || s->spanclass != at_obj_spc(o))
		return false;
	off = o->addr - s->base;
	idx = gmm_div_elemsize(off, s->divmagic);
	if (idx >= s->nelems || idx != off / s->elemsize)
		return false;
	if (!o->scan && o->size < GMM_TINY_SIZE)
		return off % GMM_TINY_SIZE + o->size <= GMM_TINY_SIZE &&
		       o->addr % at_tiny_align(o->size) == 0;
	if (off % s->elemsize)
		return false;
	return !o->scan || s->slot_types[idx] == t->id;
}

/* Sorted objects: none overlaps the next, all keep their tags. */
static void at_check_objects(struct kunit *test, const struct at_obj *all,
			     unsigned int total, const struct gmm_type *t,
			     unsigned long *nspans)
{
	unsigned int i, misplaced = 0, overlaps = 0, damaged = 0;
	struct gmm_span *s, *prev = NULL;

	for (i = 0; i < total; i++) {
		const struct at_obj *o = &all[i];
		size_t skip = o->scan ? sizeof(void *) : 0;

		if (!at_obj_placed(o, t)) {
			misplaced++;
			continue;
		}
		if (i + 1 < total && o->addr + o->size > all[i + 1].addr)
			overlaps++;
		if (memchr_inv((void *)o->addr + skip, o->tag, o->size - skip))
			damaged++;
		/* A span's slots are contiguous: count each span once. */
		s = gmm_span_of((void *)o->addr);
		if (s != prev)
			nspans[s->spanclass]++;
		prev = s;
	}
	KUNIT_EXPECT_EQ(test, misplaced, 0U);
	KUNIT_EXPECT_EQ(test, overlaps, 0U);
	KUNIT_EXPECT_EQ(test, damaged, 0U);
}

static void alloc_concurrent_cpus(struct kunit *test)
{
	static const unsigned int classes[] = { 2, 5, 32 };	/* 16, 48, 1 KiB */
	const unsigned int per_job = AT_STRESS_ROUNDS * AT_STRESS_PER_ROUND;
	struct gmm_kunit *f = test->priv;
	unsigned int njobs = 0, i, cpu, total = 0;
	const struct gmm_memstats *st;
	const struct gmm_type *t48;
	struct at_central_view v;
	struct at_job *jobs;
	struct at_obj *all;
	unsigned long *nspans;
	struct gmm_heap *h;
	int err = 0;

	h = at_heap(test);
	t48 = at_type(test, h, 48, 0, at_one_ptr);
	jobs = kunit_kcalloc(test, nr_cpu_ids, sizeof(*jobs), GFP_KERNEL);
	nspans = kunit_kcalloc(test, GMM_NUM_SPAN_CLASSES, sizeof(*nspans),
			       GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, jobs);
	KUNIT_ASSERT_NOT_NULL(test, nspans);
	for_each_online_cpu(cpu) {
		struct at_job *job = &jobs[njobs];

		job->fn = at_stress_fn;
		job->h = h;
		job->type = t48;
		job->tag = 0x11 + njobs;
		job->max_objs = per_job;
		job->objs = kunit_kcalloc(test, per_job, sizeof(*job->objs),
					  GFP_KERNEL);
		err = job->objs ? at_job_start(job, cpu) : -ENOMEM;
		if (err)
			break;
		njobs++;
	}
	for (i = 0; i < njobs; i++)
		wait_for_completion(&jobs[i].done);
	KUNIT_ASSERT_EQ(test, err, 0);

	for (i = 0; i < njobs; i++) {
		KUNIT_EXPECT_EQ_MSG(test, jobs[i].errors, 0, "job %u", i);
		KUNIT_EXPECT_FALSE_MSG(test, jobs[i].wrong_cpu, "job %u", i);
		KUNIT_EXPECT_EQ_MSG(test, jobs[i].nobjs, per_job, "job %u", i);
		total += jobs[i].nobjs;
	}
	all = kunit_kmalloc_array(test, total, sizeof(*all), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, all);
	for (i = 0, total = 0; i < njobs; i++) {
		memcpy(all + total, jobs[i].objs, jobs[i].nobjs * sizeof(*all));
		total += jobs[i].nobjs;
	}
	sort(all, total, sizeof(*all), at_obj_cmp, NULL);
	at_check_objects(test, all, total, t48, nspans);

	st = gmm_kunit_stats(test, h);
	KUNIT_EXPECT_EQ(test, st->mallocs, (u64)total);
	/* Each job's 8-byte objects pair up in its own tiny blocks. */
	KUNIT_EXPECT_EQ(test, st->tiny_allocs, (u64)njobs * AT_STRESS_ROUNDS / 2);
	KUNIT_EXPECT_EQ(test, st->by_size[2].mallocs,
			(u64)njobs * (AT_STRESS_ROUNDS + AT_STRESS_ROUNDS / 2));
	KUNIT_EXPECT_EQ(test, st->by_size[5].mallocs, (u64)njobs * AT_STRESS_ROUNDS);
	KUNIT_EXPECT_EQ(test, st->by_size[32].mallocs, (u64)njobs * AT_STRESS_ROUNDS);
	for (i = 0; i < ARRAY_SIZE(classes); i++) {
		unsigned int spc = gmm_make_spanclass(classes[i], classes[i] != 5);

		at_expect_central_sane(test, h, spc, &v);
		KUNIT_EXPECT_EQ_MSG(test, v.nr_spans, nspans[spc], "class %u", classes[i]);
		KUNIT_EXPECT_LE_MSG(test, v.cached, (unsigned long)njobs, "class %u",
				    classes[i]);
		KUNIT_EXPECT_EQ_MSG(test, v.partial, 0UL, "class %u", classes[i]);
		KUNIT_EXPECT_EQ_MSG(test, (u64)v.objects, st->by_size[classes[i]].mallocs,
				    "class %u", classes[i]);
		KUNIT_EXPECT_EQ_MSG(test, st->by_size[classes[i]].spans,
				    (u64)v.nr_spans, "class %u", classes[i]);
	}
	at_expect_consistent(test, h);
	gmm_kunit_heap_destroy(test, h);
	KUNIT_EXPECT_EQ(test, gmm_pageheap_total_pages(), f->baseline);
}

/*
 * 9. CPU hotplug: the spans CPU 1's cache holds go back to the central
 * lists when CPU 1 goes offline, and are reused after it comes back.
 */
#define AT_HP_SHARED	512	/* allocated on CPUs 0 and 1 */
#define AT_HP_ONLY1	2048	/* only on CPU 1; 4 per span */

static void at_hp_cpu0_fn(struct at_job *job)
{
	at_job_alloc(job, AT_HP_SHARED, NULL);
}

static void at_hp_cpu1_fn(struct at_job *job)
{
	at_job_alloc(job, AT_HP_SHARED, NULL);
	at_job_alloc(job, AT_HP_ONLY1, NULL);
	at_job_alloc(job, AT_HP_ONLY1, NULL);
	at_job_alloc(job, 8, NULL);			/* a tiny block */
}

static void at_hp_again_fn(struct at_job *job)
{
	at_job_alloc(job, AT_HP_ONLY1, NULL);
}

static void at_hp_expect_offline(struct kunit *test, struct gmm_heap *h,
				 unsigned int spc_shared, unsigned int spc_only1)
{
	const struct gmm_cache *c1 = per_cpu_ptr(h->caches, 1);
	unsigned int spc, left = 0;
	struct at_central_view v;

	for (spc = 0; spc < GMM_NUM_SPAN_CLASSES; spc++)
		left += !!c1->alloc[spc];
	KUNIT_EXPECT_EQ(test, left, 0U);
	KUNIT_EXPECT_EQ(test, c1->tiny, 0UL);
	KUNIT_EXPECT_EQ(test, c1->tiny_offset, 0U);

	at_expect_central_sane(test, h, spc_only1, &v);
	KUNIT_EXPECT_EQ(test, v.nr_cached, 0UL);
	KUNIT_EXPECT_EQ(test, v.nr_spans, 1UL);
	KUNIT_EXPECT_EQ(test, v.partial, 1UL);	/* 2 of 4 slots used */
	at_expect_central_sane(test, h, GMM_TINY_SPANCLASS, &v);
	KUNIT_EXPECT_EQ(test, v.nr_cached, 0UL);
	KUNIT_EXPECT_EQ(test, v.partial, 1UL);
	/* What CPU 0 holds stays. */
	at_expect_central_sane(test, h, spc_shared, &v);
	KUNIT_EXPECT_EQ(test, v.nr_cached, 1UL);
	KUNIT_EXPECT_EQ(test, v.nr_spans, 2UL);
	KUNIT_EXPECT_TRUE(test, per_cpu_ptr(h->caches, 0)->alloc[spc_shared]);
}

static void alloc_cpu_hotplug(struct kunit *test)
{
	const unsigned int spc_shared =
		gmm_make_spanclass(gmm_size_to_class(AT_HP_SHARED), true);
	const unsigned int spc_only1 =
		gmm_make_spanclass(gmm_size_to_class(AT_HP_ONLY1), true);
	struct at_job *j0, *j1, *j2;
	struct at_central_view v;
	struct gmm_heap *h;
	int ret;

	if (num_online_cpus() < 2 || !cpu_online(0) || !cpu_online(1))
		kunit_skip(test, "needs CPUs 0 and 1 online");

	h = at_heap(test);
	j0 = kunit_kzalloc(test, 3 * sizeof(*j0), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, j0);
	j1 = j0 + 1;
	j2 = j0 + 2;
	j0->objs = kunit_kcalloc(test, 3 * 4, sizeof(*j0->objs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, j0->objs);
	j1->objs = j0->objs + 4;
	j2->objs = j0->objs + 8;
	j0->max_objs = 4;
	j1->max_objs = 4;
	j2->max_objs = 4;
	j0->h = h;
	j1->h = h;
	j2->h = h;
	j0->tag = 0x21;
	j1->tag = 0x22;
	j2->tag = 0x23;
	j0->fn = at_hp_cpu0_fn;
	j1->fn = at_hp_cpu1_fn;
	j2->fn = at_hp_again_fn;

	at_job_run(test, j0, 0);
	at_job_run(test, j1, 1);
	KUNIT_ASSERT_EQ(test, j1->nobjs, 4U);
	at_expect_central_sane(test, h, spc_shared, &v);
	KUNIT_EXPECT_EQ(test, v.nr_cached, 2UL);
	at_expect_central_sane(test, h, spc_only1, &v);
	KUNIT_EXPECT_EQ(test, v.nr_cached, 1UL);
	KUNIT_EXPECT_NE(test, per_cpu_ptr(h->caches, 1)->tiny, 0UL);

	ret = remove_cpu(1);
	if (ret)
		kunit_skip(test, "remove_cpu(1) failed: %d", ret);
	at_hp_expect_offline(test, h, spc_shared, spc_only1);
	/* The offline CPU's counters still count. */
	KUNIT_EXPECT_EQ(test, gmm_kunit_stats(test, h)->mallocs, 5ULL);
	at_expect_consistent(test, h);
	ret = add_cpu(1);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "add_cpu(1) failed");

	/* Back online: CPU 1 takes the partial span and its next slot. */
	at_job_run(test, j2, 1);
	KUNIT_ASSERT_EQ(test, j2->nobjs, 1U);
	KUNIT_EXPECT_TRUE(test, gmm_span_of((void *)j2->objs[0].addr) ==
			  gmm_span_of((void *)j1->objs[1].addr));
	KUNIT_EXPECT_EQ(test, at_span_off((void *)j2->objs[0].addr),
			2UL * AT_HP_ONLY1);
	at_expect_central_sane(test, h, spc_only1, &v);
	KUNIT_EXPECT_EQ(test, v.nr_spans, 1UL);
	KUNIT_EXPECT_EQ(test, v.nr_cached, 1UL);
	KUNIT_EXPECT_EQ(test, v.objects, 3UL);
	at_expect_consistent(test, h);
}

static struct kunit_case gmm_alloc_stress_cases[] = {
	KUNIT_CASE(alloc_concurrent_cpus),
	KUNIT_CASE(alloc_cpu_hotplug),
	{}
};

static int at_stress_init(struct kunit *test)
{
	return gmm_kunit_init(test, "gmm_alloc_stress", 0);
}

static struct kunit_suite gmm_alloc_stress_suite = {
	.name = "gmm_alloc_stress",
	.init = at_stress_init,
	.exit = gmm_kunit_exit,
	.test_cases = gmm_alloc_stress_cases,
};

kunit_test_suite(gmm_alloc_stress_suite);
