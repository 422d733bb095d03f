// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs.c - /sys/kernel/debug/gmm/.
 *
 * The module-wide directory holds "info" (module version, ABI and the
 * numbers user space needs to interpret the rest) and the fault-injection
 * knobs (fail_*).  Each heap has a directory <name>-<id>/ with:
 *   stats        MemStats fields, one "name value" per line
 *   sizeclasses  one line per size class with objects, spans and bytes
 *   spans        one line per span: arena, first page, pages, span class,
 *                slots, allocated, marked, sweepgen, state
 * No kernel address is printed: arenas are numbered in list order.
 * debugfs may be absent or locked down; gmm works without it, and every
 * number here is also reachable through the API and ioctls.
 */
#include <linux/bitmap.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include <linux/gmm.h>
#include "fault.h"
#include "heap.h"
#include "internal.h"

struct dentry *gmm_debugfs_root;

static int info_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "version: %s\n", GMM_VERSION);
	seq_printf(m, "abi: %d.%d\n", GMM_ABI_MAJOR, GMM_ABI_MINOR);
	seq_printf(m, "page_size: %lu\n", GMM_PAGE_SIZE);
	seq_printf(m, "max_small_size: %d\n", GMM_MAX_SMALL_SIZE);
	seq_printf(m, "size_classes: %d\n", GMM_NUM_SIZE_CLASSES);
	seq_printf(m, "heaps: %u\n", gmm_heaps_count());
	seq_printf(m, "total_pages: %lu\n", gmm_pageheap_total_pages());
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
	unsigned int arena;
};

/* Called with the page heap's lock held: spans cannot go away. */
static void spans_show_arena(struct gmm_arena *a, void *arg)
{
	struct spans_walk *w = arg;
	unsigned int i;

	for (i = 0; i < a->npages; i++) {
		struct gmm_span *s = READ_ONCE(a->spans[i]);

		if (!s || s->first_page != i)
			continue;
		/* Cached spans change under us: a racy but
		 * safe snapshot of their counters (READ_ONCE).
		 */
		seq_printf(w->m, "%u %u %u %u %u %u %u %u %u %s\n", w->arena,
			   i, s->npages, s->spanclass, s->elemsize, s->nelems,
			   READ_ONCE(s->alloc_count),
			   bitmap_weight(s->mark_bits, s->nelems),
			   READ_ONCE(s->sweepgen),
			   span_state_names[s->state < ARRAY_SIZE(span_state_names) ?
					    s->state : GMM_SPAN_DEAD]);
	}
	w->arena++;
}

static int spans_show(struct seq_file *m, void *unused)
{
	struct spans_walk w = { .m = m };

	seq_puts(m, "arena page npages spanclass elemsize nelems allocated marked sweepgen state\n");
	gmm_pageheap_walk_arenas(&((struct gmm_heap *)m->private)->pages,
				 spans_show_arena, &w);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(spans);

/**
 * gmm_heap_debugfs_init() - create a heap's debugfs directory
 * @h: the heap
 */
void gmm_heap_debugfs_init(struct gmm_heap *h)
{
	char name[GMM_HEAP_NAME_LEN + 16];

	snprintf(name, sizeof(name), "%s-%u", h->name, h->id);
	h->debugfs = debugfs_create_dir(name, gmm_debugfs_root);
	debugfs_create_file("stats", 0444, h->debugfs, h, &stats_fops);
	debugfs_create_file("sizeclasses", 0444, h->debugfs, h, &sizeclasses_fops);
	debugfs_create_file("spans", 0444, h->debugfs, h, &spans_fops);
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
