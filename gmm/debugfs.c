// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs.c - /sys/kernel/debug/gmm/.
 *
 * The module-wide directory holds "info" (module version, ABI and the
 * numbers user space needs to interpret the rest) and the fault-injection
 * knobs (fail_*).  Each heap has a directory <name>-<id>/ with:
 *   stats        MemStats fields, one "name value" per line
 *   sizeclasses  one line per size class with objects, spans and bytes
 *   spans        one line per span: arena id, first page, pages, span
 *                class, slots, allocated, marked, sweepgen relative to
 *                the heap's (0 swept, 1 being swept, 2 unswept), state
 *   gctrace      the recent cycles, one gctrace line each, oldest first
 *   params       the collector's settings and pacer state, "name value"
 * No kernel address is printed: arenas are known by their id.
 * debugfs may be absent or locked down; gmm works without it, and every
 * number here is also reachable through the API and ioctls.
 */
#include <linux/bitmap.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include <linux/gmm.h>
#include "debugfs.h"
#include "fault.h"
#include "heap.h"
#include "internal.h"
#include "pagelimit.h"

/* /sys/kernel/debug/gmm */
static struct dentry *gmm_debugfs_root;

static int info_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "version: %s\n", GMM_VERSION);
	seq_printf(m, "abi: %d.%d\n", GMM_ABI_MAJOR, GMM_ABI_MINOR);
	seq_printf(m, "page_size: %lu\n", GMM_PAGE_SIZE);
	seq_printf(m, "max_small_size: %d\n", GMM_MAX_SMALL_SIZE);
	seq_printf(m, "size_classes: %d\n", GMM_NUM_SIZE_CLASSES);
	seq_printf(m, "heaps: %u\n", gmm_heaps_count());
	seq_printf(m, "total_pages: %lu\n", gmm_pageheap_total_pages());
	/* HeapReleased: bytes returned and not reused (Go's meaning). */
	seq_puts(m, "released_semantics: go\n");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(info);

static int stats_show(struct seq_file *m, void *unused)
{
	struct gmm_heap *h = m->private;
	struct gmm_memstats *st;

	st = kmalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	gmm_heap_read_stats(h, st);
	seq_printf(m, "HeapAlloc %llu\n", st->heap_alloc);
	seq_printf(m, "HeapSys %llu\n", st->heap_sys);
	seq_printf(m, "HeapIdle %llu\n", st->heap_idle);
	seq_printf(m, "HeapInuse %llu\n", st->heap_inuse);
	seq_printf(m, "HeapReleased %llu\n", st->heap_released);
	seq_printf(m, "HeapObjects %llu\n", st->heap_objects);
	seq_printf(m, "Mallocs %llu\n", st->mallocs);
	seq_printf(m, "Frees %llu\n", st->frees);
	seq_printf(m, "TinyAllocs %llu\n", st->tiny_allocs);
	seq_printf(m, "TotalAlloc %llu\n", st->total_alloc);
	seq_printf(m, "LargeObjects %llu\n", st->large_objects);
	kfree(st);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

static int sizeclasses_show(struct seq_file *m, void *unused)
{
	struct gmm_heap *h = m->private;
	struct gmm_memstats *st;
	unsigned int c;

	st = kmalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	gmm_heap_read_stats(h, st);
	seq_puts(m, "class size mallocs frees live spans live_bytes\n");
	for (c = 0; c < GMM_NUM_SIZE_CLASSES; c++) {
		const struct gmm_class_stats *cl = &st->by_size[c];
		u64 live = cl->mallocs - cl->frees;

		seq_printf(m, "%u %u %llu %llu %llu %llu %llu\n", c, cl->size,
			   cl->mallocs, cl->frees, live, cl->spans,
			   c ? live * cl->size : 0);
	}
	kfree(st);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sizeclasses);

static const char *const span_state_names[] = {
	[GMM_SPAN_DEAD] = "dead",
	[GMM_SPAN_SMALL] = "small",
	[GMM_SPAN_LARGE] = "large",
};

struct spans_walk {
	struct seq_file *m;
	u32 sweepgen;
};

/* Called with the page heap's lock held: spans cannot go away. */
static void spans_show_arena(struct gmm_arena *a, void *arg)
{
	struct spans_walk *w = arg;
	unsigned int i;

	for (i = 0; i < a->npages; i++) {
		struct gmm_span *s = READ_ONCE(a->spans[i]);
		u8 state;

		if (!s || s->first_page != i)
			continue;
		/* Cached spans change under us: a racy but
		 * safe snapshot of their counters (READ_ONCE).
		 */
		state = READ_ONCE(s->state);
		if (state >= ARRAY_SIZE(span_state_names))
			state = GMM_SPAN_DEAD;
		seq_printf(w->m, "%u %u %u %u %u %u %u %u %s\n", a->id, i,
			   s->npages, s->spanclass, s->nelems,
			   READ_ONCE(s->alloc_count),
			   bitmap_weight(s->mark_bits, s->nelems),
			   (w->sweepgen - READ_ONCE(s->sweepgen)) & 3,
			   span_state_names[state]);
	}
}

static int spans_show(struct seq_file *m, void *unused)
{
	struct gmm_heap *h = m->private;
	struct spans_walk w = {
		.m = m,
		.sweepgen = READ_ONCE(h->sweepgen),
	};

	seq_puts(m, "arena page npages spanclass nelems allocated marked sweepgen state\n");
	gmm_pageheap_walk_arenas(&h->pages, spans_show_arena, &w);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(spans);

static int gctrace_show(struct seq_file *m, void *unused)
{
	struct gmm_heap *h = m->private;
	struct gmm_cycle_trace *ring;
	char *line;
	unsigned int n, i;

	ring = kmalloc_array(GMM_CYCLE_RING, sizeof(*ring), GFP_KERNEL);
	line = kmalloc(GMM_GCTRACE_LEN, GFP_KERNEL);
	if (!ring || !line) {
		kfree(ring);
		kfree(line);
		return -ENOMEM;
	}
	n = gmm_gc_read_cycles(h, ring);
	for (i = 0; i < n; i++) {
		gmm_gctrace_format(line, GMM_GCTRACE_LEN, &ring[i]);
		seq_printf(m, "%s\n", line);
	}
	kfree(line);
	kfree(ring);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(gctrace);

static const char *const gc_phase_names[] = {
	[GMM_GC_PHASE_OFF] = "off",
	[GMM_GC_PHASE_MARK] = "mark",
	[GMM_GC_PHASE_MARKTERM] = "markterm",
};

/* Racy reads: each value is current on its own, not a snapshot. */
static int params_show(struct seq_file *m, void *unused)
{
	struct gmm_heap *h = m->private;
	int phase = READ_ONCE(h->gc.phase);

	seq_printf(m, "gc_percent %d\n", READ_ONCE(h->pacer.gc_percent));
	seq_printf(m, "memory_limit %llu\n", READ_ONCE(h->pages.limit_bytes));
	seq_printf(m, "heap_goal %llu\n", READ_ONCE(h->pacer.heap_goal));
	seq_printf(m, "trigger %llu\n", READ_ONCE(h->pacer.trigger));
	seq_printf(m, "heap_live %lld\n",
		   (long long)atomic64_read(&h->pacer.heap_live));
	seq_printf(m, "heap_marked %llu\n", READ_ONCE(h->pacer.heap_marked));
	seq_printf(m, "assist_ratio %llu\n", READ_ONCE(h->pacer.assist_ratio));
	seq_printf(m, "checkmark %d\n", gmm_gc_checkmark_on(h));
	seq_printf(m, "gctrace %d\n", gmm_gctrace_on());
	seq_printf(m, "phase %s\n",
		   phase >= 0 && phase < ARRAY_SIZE(gc_phase_names) ?
		   gc_phase_names[phase] : "?");
	seq_printf(m, "cycle_state %s\n",
		   (const char *[]){ "idle", "marking", "mark_done" }
		   [clamp(READ_ONCE(h->gc.cstate), 0, 2)]);
	seq_printf(m, "cycles_requested %llu\n", READ_ONCE(h->gc.requested));
	seq_printf(m, "cycles_started %llu\n", READ_ONCE(h->gc.started));
	seq_printf(m, "cycles_completed %llu\n", READ_ONCE(h->gc.completed));
	seq_printf(m, "arm_at %llu\n", READ_ONCE(h->pacer.arm_at));
	seq_printf(m, "stw_armed %d\n", READ_ONCE(h->gc.stw.armed));
	seq_printf(m, "stw_stopping %d\n", gmm_stw_pending(&h->gc.stw));
	seq_printf(m, "cons_mark %llu\n", READ_ONCE(h->pacer.cons_mark));
	seq_printf(m, "drainers %u\n",
		   GMM_DRAINERS(atomic64_read(&h->gc.drainers)));
	seq_printf(m, "grey_empty %d\n", llist_empty(&h->gc.grey));
	seq_printf(m, "sweepgen %u\n", READ_ONCE(h->sweepgen));
	seq_printf(m, "num_gc %llu\n", READ_ONCE(h->gc.num_gc));
	/* The clock of gctrace's @Ts, for a reader to place cycles on its own. */
	seq_printf(m, "uptime_ns %llu\n", ktime_get_ns() - h->gc.created_ns);
	seq_printf(m, "num_forced %llu\n", READ_ONCE(h->gc.num_forced));
	seq_printf(m, "pause_total_ns %llu\n", READ_ONCE(h->gc.pause_total_ns));
	seq_printf(m, "pause_max_ns %llu\n", READ_ONCE(h->gc.pause_max_ns));
	seq_printf(m, "stop_latency_max_ns %llu\n",
		   READ_ONCE(h->gc.stop_latency_max_ns));
	seq_printf(m, "gc_cpu_ns %llu\n", READ_ONCE(h->gc.gc_cpu_ns));
	seq_printf(m, "assists %lld\n",
		   (long long)atomic64_read(&h->gc.assists));
	seq_printf(m, "walk_hold_max_ns %llu\n",
		   READ_ONCE(h->pages.walk_hold_max_ns));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(params);

/* The page heap's counters, one snapshot under its lock. */
static int pageheap_show(struct seq_file *m, void *unused)
{
	struct gmm_heap *h = m->private;
	struct gmm_pageheap_stats st;

	gmm_pageheap_read_stats(&h->pages, &st);
	seq_printf(m, "sys_bytes %llu\n", st.sys_bytes);
	seq_printf(m, "inuse_bytes %llu\n", st.inuse_bytes);
	seq_printf(m, "idle_bytes %llu\n", st.idle_bytes);
	seq_printf(m, "released_bytes %llu\n", st.released_bytes);
	seq_printf(m, "releasable_bytes %llu\n", st.releasable_bytes);
	seq_printf(m, "retain_bytes %llu\n", st.retain_bytes);
	seq_printf(m, "returned_bytes %llu\n", st.returned_bytes);
	seq_printf(m, "scav_granules %llu\n", st.scav_granules);
	seq_printf(m, "arenas %llu\n", st.arenas);
	seq_printf(m, "arena_allocs %llu\n", st.arena_allocs);
	seq_printf(m, "arena_frees %llu\n", st.arena_frees);
	seq_printf(m, "order_fallbacks %llu\n", st.order_fallbacks);
	seq_printf(m, "limit_failures %llu\n", st.limit_failures);
	seq_printf(m, "meta_bytes %llu\n", st.meta_bytes);
	seq_printf(m, "walk_hold_max_ns %llu\n", st.walk_hold_max_ns);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pageheap);

/* The files of a heap's directory. */
static const struct {
	const char *name;
	const struct file_operations *fops;
	int (*show)(struct seq_file *m, void *unused);
} gmm_heap_files[] = {
	{ "stats", &stats_fops, stats_show },
	{ "sizeclasses", &sizeclasses_fops, sizeclasses_show },
	{ "spans", &spans_fops, spans_show },
	{ "gctrace", &gctrace_fops, gctrace_show },
	{ "params", &params_fops, params_show },
	{ "pageheap", &pageheap_fops, pageheap_show },
};

/**
 * gmm_heap_debugfs_show() - what one of a heap's debugfs files shows
 * @h: the heap
 * @name: the file's name
 * @m: a seq_file with a buffer of its own (not an open file)
 *
 * For the KUnit suite, which cannot read debugfs files through the VFS
 * (kernel_read() wants ->read_iter, debugfs' proxy has only ->read).
 *
 * Return: what the file's show function returns (0, -ENOMEM), or
 * -ENOENT for a name that is not a file of the heap.
 */
int gmm_heap_debugfs_show(struct gmm_heap *h, const char *name,
			  struct seq_file *m)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(gmm_heap_files); i++) {
		if (!strcmp(gmm_heap_files[i].name, name)) {
			m->private = h;
			return gmm_heap_files[i].show(m, NULL);
		}
	}
	return -ENOENT;
}

GMM_EXPORT_FOR_TESTING(gmm_heap_debugfs_show);

/**
 * gmm_heap_debugfs_init() - create a heap's debugfs directory
 * @h: the heap
 */
void gmm_heap_debugfs_init(struct gmm_heap *h)
{
	char name[GMM_HEAP_NAME_LEN + 16];
	unsigned int i;

	snprintf(name, sizeof(name), "%s-%u", h->name, h->id);
	h->debugfs = debugfs_create_dir(name, gmm_debugfs_root);
	for (i = 0; i < ARRAY_SIZE(gmm_heap_files); i++)
		debugfs_create_file(gmm_heap_files[i].name, 0444, h->debugfs, h,
				    gmm_heap_files[i].fops);
}

/**
 * gmm_heap_debugfs_exit() - remove a heap's debugfs directory
 * @h: the heap
 *
 * Waits for readers of its files to finish.
 */
void gmm_heap_debugfs_exit(struct gmm_heap *h)
{
	debugfs_remove_recursive(h->debugfs);
	h->debugfs = NULL;
}

void gmm_debugfs_init(void)
{
	gmm_debugfs_root = debugfs_create_dir("gmm", NULL);
	debugfs_create_file("info", 0444, gmm_debugfs_root, NULL, &info_fops);
	gmm_fault_debugfs_init(gmm_debugfs_root);
}

void gmm_debugfs_exit(void)
{
	debugfs_remove_recursive(gmm_debugfs_root);
	gmm_debugfs_root = NULL;
}
