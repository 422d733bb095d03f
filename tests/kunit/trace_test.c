// SPDX-License-Identifier: GPL-2.0
/*
 * trace_test.c - KUnit suite "gmm_trace": the gmm:* tracepoints
 * (gmm/trace.h) and the per-heap debugfs files (gmm/debugfs.c).
 *
 * Every case makes one heap and attaches the probes of trace_probes.c,
 * which record that heap's events.  The case checks what was recorded
 * against the heap's own records - the cycle ring, the pause ring, the
 * span and arena counts - after the probes are detached and
 * tracepoint_synchronize_unregister() has returned, so the record is
 * stable while it is read.
 *
 * The debugfs case checks that the heap's files exist where user space
 * finds them (when debugfs is mounted at /sys/kernel/debug), takes their
 * text from their show functions and compares it with
 * gmm_heap_read_stats(), the heap's span counts and its cycle records.
 */
#include <kunit/test.h>
#include <linux/bitops.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include <linux/gmm.h>
#include "debugfs.h"
#include "gmm_kunit.h"
#include "scavenge.h"
#include "trace_probes.h"

#define TT_FILE_SIZE		SZ_128K	/* largest debugfs file read */

/* The suite's own state, beside the fixture's. */
struct tt_fixture {
	bool attached;
	struct tt_rec rec;
};

static void tt_detach(struct tt_fixture *f)
{
	if (!f->attached)
		return;
	tt_detach_all(&f->rec);
	f->attached = false;
}

static int tt_init(struct kunit *test)
{
	struct tt_fixture *f;
	int ret = gmm_kunit_init(test, "gmm_trace", sizeof(*f));

	if (ret)
		return ret;
	f = gmm_kunit_priv(test);
	spin_lock_init(&f->rec.lock);
	return 0;
}

static void tt_exit(struct kunit *test)
{
	struct tt_fixture *f = gmm_kunit_priv(test);

	if (f)
		tt_detach(f);
	gmm_kunit_exit(test);
}

/*
 * The case's heap, GOGC @gc_percent (-1: only gmm_gc() collects); with
 * @probes, every probe is attached before anything is allocated in it
 * (the case is skipped on a kernel without tracepoints).
 */
static struct gmm_heap *tt_heap(struct kunit *test, int gc_percent,
				u64 limit, bool probes)
{
	struct tt_fixture *f = gmm_kunit_priv(test);
	struct gmm_heap *h = gmm_kunit_heap(test, "kunit_trace", gc_percent,
					    limit);
	int ret;

	if (!probes)
		return h;
	f->rec.heap = h->id;
	ret = tt_attach(&f->rec);
	if (ret == -EOPNOTSUPP)
		kunit_skip(test, "the kernel has no tracepoints (CONFIG_TRACEPOINTS)");
	KUNIT_ASSERT_EQ(test, ret, 0);
	f->attached = true;
	return h;
}

static unsigned long tt_heap_small_spans(struct gmm_heap *h)
{
	return gmm_kunit_spans(h) - READ_ONCE(h->nr_large);
}

/*
 * A list of @n nodes from @root, with one unreachable node allocated
 * after each kept one.  Returns the list's last node (the first made).
 */
static struct gmm_kunit_node *tt_list(struct kunit *test,
				      struct gmm_heap *h,
				      const struct gmm_type *t, void **root,
				      unsigned int n)
{
	struct gmm_kunit_node *x, *first = NULL;
	unsigned int i, fail = 0;

	gmm_mutator_enter(h);
	for (i = 0; i < n; i++) {
		x = gmm_alloc(h, t);
		if (!x || !gmm_alloc(h, t)) {
			fail++;
			break;
		}
		x->id = i;
		if (!first)
			first = x;
		gmm_store_ptr(h, &x->left, *root);
		gmm_store_ptr(h, root, x);
	}
	gmm_mutator_exit(h);
	KUNIT_ASSERT_EQ_MSG(test, fail, 0U, "allocation failed at node %u", i);
	return first;
}

/*
 * 1. A collection fires, per cycle: cycle_start, the phases
 * off -> mark -> markterm -> off, two stop-the-world events and
 * cycle_end, with the numbers of the heap's own cycle and pause records.
 */
static void trace_gc_cycle_events(struct kunit *test)
{
	struct tt_fixture *f = gmm_kunit_priv(test);
	struct tt_rec *r = &f->rec;
	struct gmm_heap *h = tt_heap(test, -1, 0, true);
	const struct gmm_type *t = gmm_kunit_node_type(test, h);
	void **root = gmm_kunit_root(test, h, 0);
	static const int phases[3][2] = {
		{ GMM_GC_PHASE_OFF, GMM_GC_PHASE_MARK },
		{ GMM_GC_PHASE_MARK, GMM_GC_PHASE_MARKTERM },
		{ GMM_GC_PHASE_MARKTERM, GMM_GC_PHASE_OFF },
	};
	unsigned int i, j, k = 3, nodes = 1000;
	struct gmm_pageheap_stats ps;
	struct gmm_kunit_node *x;
	u64 expect;

	x = tt_list(test, h, t, root, nodes);
	expect = (u64)nodes * gmm_span_of(x)->elemsize;
	for (i = 0; i < k; i++)
		KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);
	tt_detach(f);

	KUNIT_ASSERT_EQ(test, h->gc.num_gc, (u64)k);
	KUNIT_ASSERT_EQ(test, r->nstart, k);
	KUNIT_ASSERT_EQ(test, r->nend, k);
	KUNIT_ASSERT_EQ(test, r->nphase, 3 * k);
	KUNIT_ASSERT_EQ(test, r->nstw, 2 * k);
	KUNIT_ASSERT_EQ(test, h->gc.pause_idx, 2 * k);

	for (i = 0; i < k; i++) {
		const struct gmm_cycle_trace *ct = &h->gc.cycles[i];

		KUNIT_EXPECT_EQ(test, ct->num, (u64)i + 1);
		KUNIT_EXPECT_EQ(test, r->start[i].num, ct->num);
		KUNIT_EXPECT_TRUE(test, r->start[i].forced);
		KUNIT_EXPECT_EQ(test, r->start[i].heap_live, ct->heap0);
		KUNIT_EXPECT_EQ(test, r->start[i].goal, ct->goal);
		/* GOGC off: the pacer never triggers. */
		KUNIT_EXPECT_EQ(test, r->start[i].trigger, U64_MAX);

		KUNIT_EXPECT_EQ(test, r->end[i].num, ct->num);
		KUNIT_EXPECT_EQ(test, r->end[i].heap0, ct->heap0);
		KUNIT_EXPECT_EQ(test, r->end[i].heap1, ct->heap1);
		KUNIT_EXPECT_EQ(test, r->end[i].heap2, ct->heap2);
		KUNIT_EXPECT_GE(test, r->end[i].heap2, expect);
		KUNIT_EXPECT_LE(test, r->end[i].heap2, expect + GMM_PAGE_SIZE);
		KUNIT_EXPECT_EQ(test, r->end[i].goal, ct->goal);
		KUNIT_EXPECT_EQ(test, r->end[i].stw1_ns, ct->stw1_ns);
		KUNIT_EXPECT_EQ(test, r->end[i].stw2_ns, ct->stw2_ns);
		KUNIT_EXPECT_EQ(test, r->end[i].mark_ns, ct->mark_ns);
		if (i + 1 < k)
			KUNIT_EXPECT_EQ(test, r->end[i].next_goal,
					r->start[i + 1].goal);
		else
			KUNIT_EXPECT_EQ(test, r->end[i].next_goal,
					h->pacer.heap_goal);

		for (j = 0; j < 3; j++) {
			unsigned int e = 3 * i + j;

			KUNIT_EXPECT_EQ_MSG(test, r->phase[e].num, ct->num,
					    "phase event %u", e);
			KUNIT_EXPECT_EQ_MSG(test, r->phase[e].old_phase,
					    phases[j][0], "phase event %u", e);
			KUNIT_EXPECT_EQ_MSG(test, r->phase[e].new_phase,
					    phases[j][1], "phase event %u", e);
		}

		for (j = 0; j < 2; j++) {
			unsigned int e = 2 * i + j;

			KUNIT_EXPECT_EQ_MSG(test, r->stw[e].num, ct->num,
					    "stw event %u", e);
			KUNIT_EXPECT_EQ_MSG(test, r->stw[e].pause, (int)j + 1,
					    "stw event %u", e);
			KUNIT_EXPECT_GT_MSG(test, r->stw[e].duration_ns, 0ULL,
					    "stw event %u", e);
			KUNIT_EXPECT_EQ_MSG(test, r->stw[e].duration_ns,
					    h->gc.pauses[e], "stw event %u", e);
			KUNIT_EXPECT_LE_MSG(test, r->stw[e].latency_ns,
					    h->gc.stop_latency_max_ns,
					    "stw event %u", e);
		}
		KUNIT_EXPECT_EQ(test, r->stw[2 * i].duration_ns, ct->stw1_ns);
		KUNIT_EXPECT_EQ(test, r->stw[2 * i + 1].duration_ns, ct->stw2_ns);
	}

	/* Spans and arenas: every event matches the heap's state. */
	KUNIT_EXPECT_EQ(test, r->span_unmatched, 0U);
	KUNIT_EXPECT_EQ(test, r->nspan_alloc - r->nspan_free,
			(u64)gmm_kunit_spans(h));
	KUNIT_EXPECT_EQ(test, (unsigned long)r->nlive, gmm_kunit_spans(h));
	gmm_pageheap_read_stats(&h->pages, &ps);
	KUNIT_EXPECT_EQ(test, r->narena_alloc, ps.arena_allocs);
	KUNIT_EXPECT_EQ(test, r->narena_free, ps.arena_frees);
	KUNIT_EXPECT_EQ(test, (r->arena_alloc_pages - r->arena_free_pages) <<
			PAGE_SHIFT, ps.sys_bytes);
	KUNIT_EXPECT_EQ(test, r->nassist, 0ULL);
	kunit_info(test, "%u cycles: %llu spans made, %llu freed, %llu arenas\n",
		   k, r->nspan_alloc, r->nspan_free, r->narena_alloc);
}

/*
 * 2. Span and arena events over a heap's life: objects of several
 * classes and large ones, all dropped, the idle arenas scavenged; then
 * an arena again, returned by the shrinker.
 */
static void trace_span_arena_events(struct kunit *test)
{
	struct tt_fixture *f = gmm_kunit_priv(test);
	struct tt_rec *r = &f->rec;
	struct gmm_heap *h = tt_heap(test, -1, 0, true);
	const struct gmm_type *t = gmm_kunit_node_type(test, h);
	const struct gmm_type *pt = gmm_kunit_ptr_type(test, h);
	void **r_list = gmm_kunit_root(test, h, 0);
	void **r_arr = gmm_kunit_root(test, h, 1);
	struct gmm_pageheap_stats ps;
	unsigned int unmatched, nlive;
	unsigned long scavenged;
	u64 frees0, pages0, shrunk0;

	tt_list(test, h, t, r_list, 10000);
	gmm_kunit_fill_mixed(test, h, pt, r_arr, 32);
	KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);

	/* Still attached: a snapshot under the probes' lock. */
	spin_lock(&r->lock);
	unmatched = r->span_unmatched;
	nlive = r->nlive;
	spin_unlock(&r->lock);
	KUNIT_EXPECT_EQ(test, unmatched, 0U);
	KUNIT_EXPECT_EQ(test, (unsigned long)nlive, gmm_kunit_spans(h));
	KUNIT_EXPECT_GE(test, nlive, 16U);

	/* Drop everything: every span goes, all but one arena with them. */
	gmm_mutator_enter(h);
	gmm_store_ptr(h, r_list, NULL);
	gmm_store_ptr(h, r_arr, NULL);
	gmm_mutator_exit(h);
	KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);
	KUNIT_EXPECT_EQ(test, gmm_kunit_spans(h), 0UL);
	/*
	 * The idle arena kept as a cushion goes too - unless the kernel's
	 * shrinker took it first (the check below sees its event then).
	 */
	scavenged = gmm_pageheap_scavenge(&h->pages);
	gmm_pageheap_read_stats(&h->pages, &ps);
	KUNIT_EXPECT_EQ(test, ps.sys_bytes, 0ULL);

	spin_lock(&r->lock);
	unmatched = r->span_unmatched;
	nlive = r->nlive;
	frees0 = r->narena_free;
	pages0 = r->arena_free_pages;
	shrunk0 = r->shrink_pages;
	spin_unlock(&r->lock);
	KUNIT_EXPECT_EQ(test, unmatched, 0U);
	KUNIT_EXPECT_EQ(test, nlive, 0U);
	KUNIT_EXPECT_EQ(test, frees0, ps.arena_frees);
	KUNIT_EXPECT_EQ(test, pages0 << PAGE_SHIFT, ps.returned_bytes);

	/*
	 * One more arena, idle after a collection; the shrinker (ours, or
	 * the kernel's under pressure - the event is the same) returns it.
	 */
	tt_list(test, h, t, r_list, 100);
	gmm_mutator_enter(h);
	gmm_store_ptr(h, r_list, NULL);
	gmm_mutator_exit(h);
	KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);
	gmm_pageheap_shrink_scan(ULONG_MAX);
	gmm_pageheap_read_stats(&h->pages, &ps);
	KUNIT_EXPECT_EQ(test, ps.sys_bytes, 0ULL);

	tt_detach(f);
	KUNIT_EXPECT_EQ(test, r->span_unmatched, 0U);
	KUNIT_EXPECT_EQ(test, r->narena_alloc, ps.arena_allocs);
	KUNIT_EXPECT_EQ(test, r->narena_free, ps.arena_frees);
	KUNIT_EXPECT_EQ(test, r->narena_alloc, r->narena_free);
	KUNIT_EXPECT_EQ(test, r->arena_alloc_pages, r->arena_free_pages);
	KUNIT_EXPECT_EQ(test, r->nspan_alloc, r->nspan_free);
	KUNIT_EXPECT_EQ(test, r->nscavenge, 1ULL);
	KUNIT_EXPECT_EQ(test, r->scavenge_pages << PAGE_SHIFT, (u64)scavenged);
	/* The second arena went back through the shrinker. */
	KUNIT_EXPECT_EQ(test, r->narena_free - frees0, 1ULL);
	KUNIT_EXPECT_GE(test, r->nshrink, 1ULL);
	KUNIT_EXPECT_EQ(test, r->shrink_pages - shrunk0,
			r->arena_free_pages - pages0);
	KUNIT_EXPECT_EQ(test, r->arena_free_pages << PAGE_SHIFT,
			ps.returned_bytes);
	kunit_info(test, "%llu spans, %llu arenas (%llu pages) made and freed\n",
		   r->nspan_alloc, r->narena_alloc, r->arena_alloc_pages);
}

/*
 * 3. Assists: one event per assist the heap counts, and per cycle the
 * scanned bytes and the time add up to the cycle records' assist fields.
 * A mutator allocates 32 MiB of 1 KiB scan objects, 4 MiB of them live.
 */
#define TT_RING			4096

static void trace_assist_events(struct kunit *test)
{
	struct tt_fixture *f = gmm_kunit_priv(test);
	struct tt_rec *r = &f->rec;
	struct gmm_heap *h = tt_heap(test, 100, 0, true);
	const struct gmm_type *pt = gmm_kunit_ptr_type(test, h);
	const struct gmm_type *kt = gmm_kunit_kb_type(test, h);
	void **root = gmm_kunit_root(test, h, 0);
	u64 bytes = 0, ns = 0;
	unsigned int i;

	gmm_kunit_churn_ring(test, h, root, pt, kt, TT_RING, SZ_32M / SZ_1K);
	/* Whether that assisted depends on timing; this does not. */
	gmm_kunit_assist_held(test, h, kt, root);
	tt_detach(f);

	KUNIT_EXPECT_GT(test, h->gc.num_gc, 1ULL);
	KUNIT_EXPECT_EQ(test, r->nassist, (u64)atomic64_read(&h->gc.assists));
	KUNIT_EXPECT_GT(test, r->nassist, 0ULL);
	KUNIT_EXPECT_EQ(test, r->assist_zero, 0U);
	KUNIT_EXPECT_EQ(test, (u64)r->nstart, h->gc.num_gc);
	KUNIT_EXPECT_EQ(test, (u64)r->nend, h->gc.num_gc);
	if (h->gc.num_gc <= GMM_CYCLE_RING) {
		for (i = 0; i < h->gc.num_gc; i++) {
			bytes += h->gc.cycles[i].assist_bytes;
			ns += h->gc.cycles[i].assist_ns;
		}
		KUNIT_EXPECT_EQ(test, r->assist_scanned, bytes);
		KUNIT_EXPECT_EQ(test, r->assist_ns, ns);
	}
	/*
	 * The pacer started the cycles, all but the next to last: the
	 * gmm_gc() of gmm_kunit_assist_held(), before its held cycle.
	 */
	for (i = 0; i < min_t(unsigned int, r->nstart, TT_CYCLES); i++)
		KUNIT_EXPECT_EQ_MSG(test, r->start[i].forced,
				    i + 2 == h->gc.num_gc, "cycle %u", i + 1);
	kunit_info(test, "%llu cycles, %llu assists: %llu KiB owed, %llu KiB scanned, %llu us\n",
		   h->gc.num_gc, r->nassist, r->assist_owed >> 10,
		   r->assist_scanned >> 10, r->assist_ns / NSEC_PER_USEC);
}

/*
 * What debugfs file @name of @h shows, NUL-terminated.  The text comes
 * from the file's show function into a seq_file of our own (the VFS
 * cannot read debugfs files into kernel memory); that the file exists is
 * checked where user space finds it, when debugfs is mounted there.
 */
static char *tt_read(struct kunit *test, struct gmm_heap *h, const char *name)
{
	char *buf = kunit_kmalloc(test, TT_FILE_SIZE, GFP_KERNEL);
	char path[GMM_HEAP_NAME_LEN + 64];
	struct seq_file m = { };
	struct file *filp;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	filp = filp_open("/sys/kernel/debug/gmm/info", O_RDONLY, 0);
	if (!IS_ERR(filp)) {
		filp_close(filp, NULL);
		snprintf(path, sizeof(path), "/sys/kernel/debug/gmm/%s-%u/%s",
			 h->name, h->id, name);
		filp = filp_open(path, O_RDONLY, 0);
		KUNIT_EXPECT_FALSE_MSG(test, IS_ERR(filp), "cannot open %s", path);
		if (!IS_ERR(filp))
			filp_close(filp, NULL);
	}
	m.buf = buf;
	m.size = TT_FILE_SIZE;
	KUNIT_ASSERT_EQ(test, gmm_heap_debugfs_show(h, name, &m), 0);
	KUNIT_ASSERT_FALSE_MSG(test, seq_has_overflowed(&m), "%s too big", name);
	KUNIT_ASSERT_LT(test, m.count, (size_t)TT_FILE_SIZE);
	buf[m.count] = '\0';
	return buf;
}

/* The value of "name value" line @key in @text, or -1 (and a failure). */
static long long tt_value(struct kunit *test, const char *text, const char *key)
{
	size_t len = strlen(key);
	const char *p = text;
	long long v;

	while (p && *p) {
		if (!strncmp(p, key, len) && p[len] == ' ' &&
		    sscanf(p + len + 1, "%lld", &v) == 1)
			return v;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	KUNIT_FAIL(test, "no line \"%s\"", key);
	return -1;
}

struct tt_spans_sum {
	unsigned long lines, small, large, bad;
	u64 allocated, marked, unswept;
};

/* Sum the span lines of debugfs "spans" (after its header line). */
static void tt_sum_spans(struct kunit *test, char *text,
			 struct tt_spans_sum *sum)
{
	char *line, *p = text;

	memset(sum, 0, sizeof(*sum));
	line = strsep(&p, "\n");
	KUNIT_EXPECT_STREQ(test, line,
			   "arena page npages spanclass nelems allocated marked sweepgen state");
	while ((line = strsep(&p, "\n")) && *line) {
		unsigned int arena, page, npages, spc, nelems, alloc, marked, sg;
		char state[16];

		if (sscanf(line, "%u %u %u %u %u %u %u %u %15s", &arena, &page,
			   &npages, &spc, &nelems, &alloc, &marked, &sg,
			   state) != 9) {
			sum->bad++;
			continue;
		}
		sum->lines++;
		sum->allocated += alloc;
		sum->marked += marked;
		sum->unswept += sg != 0;
		if (!strcmp(state, "small") && spc > 1 && alloc <= nelems)
			sum->small++;
		else if (!strcmp(state, "large") && spc <= 1 && nelems == 1)
			sum->large++;
		else
			sum->bad++;
	}
}

/*
 * 4. debugfs: "spans" has one line per span the heap holds and its
 * allocated counts add up to HeapObjects; "stats" shows what
 * gmm_heap_read_stats() says; "gctrace" has the cycle ring in gctrace
 * format; "params" the pacer's numbers.
 */
static void trace_debugfs_files(struct kunit *test)
{
	const struct gmm_memstats *st;
	struct gmm_heap *h = tt_heap(test, -1, SZ_64M, false);
	const struct gmm_type *t = gmm_kunit_node_type(test, h);
	const struct gmm_type *pt = gmm_kunit_ptr_type(test, h);
	void **r_list = gmm_kunit_root(test, h, 0);
	void **r_arr = gmm_kunit_root(test, h, 1);
	struct gmm_cycle_trace *ring;
	struct tt_spans_sum sum;
	unsigned int i, n, fail = 0;
	char *text, *line, *p;
	char fmt[GMM_GCTRACE_LEN];
	void **arr;

	tt_list(test, h, t, r_list, 3000);
	gmm_mutator_enter(h);
	arr = gmm_alloc_array(h, pt, 16);
	if (arr)
		gmm_store_ptr(h, r_arr, arr);
	for (i = 0; i < 16 && arr; i++) {
		void *o = gmm_alloc_noscan(h, i < 4 ? SZ_64K * (i + 1) : 1000);

		if (!o) {
			fail++;
			break;
		}
		/* Half of them are garbage. */
		if (i % 2)
			gmm_store_ptr(h, &arr[i], o);
	}
	gmm_mutator_exit(h);
	KUNIT_ASSERT_NOT_NULL(test, arr);
	KUNIT_ASSERT_EQ(test, fail, 0U);

	/* Before any collection: spans still cached, nothing swept yet. */
	text = tt_read(test, h, "spans");
	tt_sum_spans(test, text, &sum);
	st = gmm_kunit_stats(test, h);
	KUNIT_EXPECT_EQ(test, sum.bad, 0UL);
	KUNIT_EXPECT_EQ(test, sum.lines, gmm_kunit_spans(h));
	KUNIT_EXPECT_EQ(test, sum.large, READ_ONCE(h->nr_large));
	KUNIT_EXPECT_EQ(test, sum.allocated, st->heap_objects);
	KUNIT_EXPECT_EQ(test, sum.unswept, 0ULL);

	KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);
	KUNIT_ASSERT_EQ(test, gmm_gc(h), 0);

	text = tt_read(test, h, "spans");
	tt_sum_spans(test, text, &sum);
	st = gmm_kunit_stats(test, h);
	KUNIT_EXPECT_EQ(test, sum.bad, 0UL);
	KUNIT_EXPECT_EQ(test, sum.lines, gmm_kunit_spans(h));
	KUNIT_EXPECT_EQ(test, sum.small, tt_heap_small_spans(h));
	KUNIT_EXPECT_EQ(test, sum.large, READ_ONCE(h->nr_large));
	KUNIT_EXPECT_EQ(test, sum.large, 2UL);
	KUNIT_EXPECT_EQ(test, sum.allocated, st->heap_objects);
	/* The list, the array, two large and six small noscan objects. */
	KUNIT_EXPECT_EQ(test, sum.allocated, 3000ULL + 1 + 8);
	/* Swept: no span waits for the sweeper, no mark is left. */
	KUNIT_EXPECT_EQ(test, sum.unswept, 0ULL);
	KUNIT_EXPECT_EQ(test, sum.marked, 0ULL);

	text = tt_read(test, h, "stats");
	KUNIT_EXPECT_EQ(test, tt_value(test, text, "HeapObjects"),
			(long long)st->heap_objects);
	KUNIT_EXPECT_EQ(test, tt_value(test, text, "HeapAlloc"),
			(long long)st->heap_alloc);
	KUNIT_EXPECT_EQ(test, tt_value(test, text, "HeapInuse"),
			(long long)st->heap_inuse);
	KUNIT_EXPECT_EQ(test, tt_value(test, text, "HeapSys"),
			(long long)st->heap_sys);
	KUNIT_EXPECT_EQ(test, tt_value(test, text, "Mallocs"),
			(long long)st->mallocs);
	KUNIT_EXPECT_EQ(test, tt_value(test, text, "Frees"),
			(long long)st->frees);
	KUNIT_EXPECT_EQ(test, tt_value(test, text, "LargeObjects"),
			(long long)st->large_objects);

	/* gctrace: the ring, oldest first, formatted as the printk does. */
	ring = kunit_kmalloc_array(test, GMM_CYCLE_RING, sizeof(*ring),
				   GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ring);
	n = gmm_gc_read_cycles(h, ring);
	KUNIT_EXPECT_EQ(test, n, 2U);
	text = tt_read(test, h, "gctrace");
	p = text;
	for (i = 0; i < n; i++) {
		line = strsep(&p, "\n");
		gmm_gctrace_format(fmt, sizeof(fmt), &ring[i]);
		KUNIT_EXPECT_STREQ(test, line ?: "", fmt);
		KUNIT_EXPECT_TRUE(test, line && str_has_prefix(line, "gc "));
	}
	KUNIT_EXPECT_TRUE(test, p && !*p);

	text = tt_read(test, h, "params");
	KUNIT_EXPECT_EQ(test, tt_value(test, text, "gc_percent"), -1LL);
	KUNIT_EXPECT_EQ(test, tt_value(test, text, "memory_limit"),
			(long long)SZ_64M);
	KUNIT_EXPECT_EQ(test, tt_value(test, text, "heap_goal"),
			(long long)h->pacer.heap_goal);
	KUNIT_EXPECT_EQ(test, tt_value(test, text, "heap_marked"),
			(long long)h->pacer.heap_marked);
	KUNIT_EXPECT_EQ(test, tt_value(test, text, "num_gc"), 2LL);
	KUNIT_EXPECT_EQ(test, tt_value(test, text, "num_forced"), 2LL);
	KUNIT_EXPECT_EQ(test, tt_value(test, text, "sweepgen"),
			(long long)h->sweepgen);
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "\nphase off\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "\ncheckmark "));
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "\ntrigger "));
}

static struct kunit_case gmm_trace_cases[] = {
	KUNIT_CASE(trace_gc_cycle_events),
	KUNIT_CASE(trace_span_arena_events),
	KUNIT_CASE(trace_assist_events),
	KUNIT_CASE(trace_debugfs_files),
	{}
};

static struct kunit_suite gmm_trace_suite = {
	.name = "gmm_trace",
	.init = tt_init,
	.exit = tt_exit,
	.test_cases = gmm_trace_cases,
};

kunit_test_suite(gmm_trace_suite);
