// SPDX-License-Identifier: GPL-2.0
/*
 * snapshot.c - what user space can learn about its heap through ioctls:
 * statistics (GMM_IOC_STATS), a picture of arenas and spans
 * (GMM_IOC_SPANS) and the recent cycle log (GMM_IOC_CYCLES).
 *
 * debugfs shows the same things (debugfs.c), but debugfs may be missing
 * or locked down, and it needs root; these need only the open file.
 *
 * Arrays go out element by element at the caller's element size (the
 * extensible-struct rule of the ABI): a shorter element than the first
 * published one, or one over 4096 bytes, is -EINVAL; of a longer one only
 * the bytes the kernel knows are written.  No kernel address is copied:
 * arenas are named by their number, spans by arena and first page.
 */
#include <linux/bsearch.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>

#include <linux/gmm.h>
#include "dev.h"
#include "heap.h"
#include "internal.h"
#include "snapshot.h"

/*
 * Copy one array element out at the caller's size @usize: min(@usize,
 * @ksize) bytes, as for the structs themselves; a longer element's tail is
 * left as the caller had it.
 */
static int gmm_copy_elem_out(u8 __user *dst, size_t usize, const void *src,
			     size_t ksize)
{
	if (copy_to_user(dst, src, min(usize, ksize)))
		return -EFAULT;
	return 0;
}

static bool gmm_elem_size_ok(u32 usize, size_t ver0)
{
	return usize >= ver0 && usize <= GMM_ELEM_SIZE_MAX;
}

/**
 * gmm_ioctl_stats() - GMM_IOC_STATS: MemStats, GC figures, size classes
 * @f: the file
 * @cmd: the command
 * @arg: user pointer to struct gmm_stats
 *
 * Return: 0, -EINVAL, -E2BIG or -EFAULT.
 */
long gmm_ioctl_stats(struct gmm_file *f, unsigned int cmd, unsigned long arg)
{
	struct gmm_heap *h = f->heap;
	struct gmm_memstats *ms;
	struct gmm_gc *gc = &h->gc;
	struct gmm_class_info ci;
	struct gmm_stats st;
	u8 __user *ucl;
	unsigned long id;
	void *entry;
	u32 i, n;
	long ret;

	ret = gmm_copy_arg_in(&st, sizeof(st), sizeof(st), cmd, arg);
	if (ret)
		return ret;
	if (st.flags || st.reserved || st.pad)
		return -EINVAL;
	if (st.nr_classes && !gmm_elem_size_ok(st.class_size, sizeof(ci)))
		return -EINVAL;
	ms = kmalloc(sizeof(*ms), GFP_KERNEL);
	if (!ms)
		return -ENOMEM;
	gmm_heap_read_stats(h, ms);

	n = min_t(u32, st.nr_classes, GMM_NUM_SIZE_CLASSES);
	ucl = u64_to_user_ptr(st.classes);
	for (i = 0; i < n; i++) {
		memset(&ci, 0, sizeof(ci));
		ci.size = ms->by_size[i].size;
		ci.mallocs = ms->by_size[i].mallocs;
		ci.frees = ms->by_size[i].frees;
		ci.spans = ms->by_size[i].spans;
		ret = gmm_copy_elem_out(ucl + (size_t)i * st.class_size,
					st.class_size, &ci, sizeof(ci));
		if (ret)
			goto out;
	}

	memset(&st, 0, sizeof(st));
	st.nr_classes = n;
	st.heap_alloc = ms->heap_alloc;
	st.heap_sys = ms->heap_sys;
	st.heap_idle = ms->heap_idle;
	st.heap_inuse = ms->heap_inuse;
	st.heap_released = ms->heap_released;
	st.heap_objects = ms->heap_objects;
	st.mallocs = ms->mallocs;
	st.frees = ms->frees;
	st.total_alloc = ms->total_alloc;
	/* The collector updates these without a lock readers could take
	 * cheaply; each is read once, the set is not atomic.
	 */
	st.num_gc = READ_ONCE(gc->num_gc);
	st.num_forced_gc = READ_ONCE(gc->num_forced);
	st.pause_total_ns = READ_ONCE(gc->pause_total_ns);
	st.pause_max_ns = READ_ONCE(gc->pause_max_ns);
	i = READ_ONCE(gc->pause_idx);
	st.last_pause_ns = i ? READ_ONCE(gc->pauses[(i - 1) % GMM_PAUSE_RING]) : 0;
	st.heap_live = atomic64_read(&h->pacer.heap_live);
	st.heap_marked = READ_ONCE(h->pacer.heap_marked);
	st.next_gc = READ_ONCE(h->pacer.heap_goal);
	st.trigger = READ_ONCE(h->pacer.trigger);
	st.gc_cpu_ns = READ_ONCE(gc->gc_cpu_ns);
	st.uptime_ns = ktime_get_ns() - gc->created_ns;
	st.handles = atomic_long_read(&f->nr_handles);
	rcu_read_lock();
	xa_for_each(&h->types, id, entry)
		st.types++;
	rcu_read_unlock();
	st.gc_percent = READ_ONCE(h->pacer.gc_percent);
	st.phase = READ_ONCE(gc->phase);
	ret = gmm_copy_arg_out(arg, cmd, &st, sizeof(st));
out:
	kfree(ms);
	return ret;
}

/* The spans snapshot, collected under the page heap's lock. */
struct gmm_spans_walk {
	struct gmm_heap *h;
	struct gmm_arena_info *arenas;
	struct gmm_span_info *spans;
	struct gmm_span **cached;	/* sorted spans held by CPU caches */
	int *cached_cpu;
	unsigned int nr_cached;
	u32 room_arenas, room_spans;
	u32 nr_arenas, nr_spans;	/* found (may exceed the room) */
	u32 sweepgen;
};

static int gmm_ptr_cmp(const void *a, const void *b)
{
	unsigned long x = (unsigned long)*(void *const *)a;
	unsigned long y = (unsigned long)*(void *const *)b;

	return x < y ? -1 : x > y;
}

/* The CPU whose cache holds @s, or -1 (racy: caches change under us). */
static int gmm_spans_cached_cpu(struct gmm_spans_walk *w, struct gmm_span *s)
{
	struct gmm_span **hit;

	hit = bsearch(&s, w->cached, w->nr_cached, sizeof(*w->cached),
		      gmm_ptr_cmp);
	return hit ? w->cached_cpu[hit - w->cached] : -1;
}

static void gmm_spans_fill(struct gmm_spans_walk *w, struct gmm_arena *a,
			   struct gmm_span *s, unsigned int page)
{
	struct gmm_span_info *si = &w->spans[w->nr_spans];
	int cpu;

	memset(si, 0, sizeof(*si));
	si->arena = a->id;
	si->first_page = page;
	si->npages = s->npages;
	si->spanclass = s->spanclass;
	si->elemsize = s->elemsize;
	si->nelems = s->nelems;
	si->allocated = READ_ONCE(s->alloc_count);
	si->marked = bitmap_weight(s->mark_bits, s->nelems);
	si->sweepgen = (w->sweepgen - READ_ONCE(s->sweepgen)) & 3;
	si->state = s->state == GMM_SPAN_LARGE ? GMM_SPAN_STATE_LARGE :
						  GMM_SPAN_STATE_SMALL;
	if (s->state == GMM_SPAN_LARGE) {
		si->where = 2;
	} else {
		cpu = gmm_spans_cached_cpu(w, s);
		if (cpu >= 0) {
			si->where = 1;
			si->cpu = cpu;
		}
	}
}

/* Called with the page heap's lock held: spans cannot go away. */
static void gmm_spans_arena(struct gmm_arena *a, void *arg)
{
	struct gmm_spans_walk *w = arg;
	unsigned int i;

	if (w->nr_arenas < w->room_arenas) {
		struct gmm_arena_info *ai = &w->arenas[w->nr_arenas];

		ai->id = a->id;
		ai->npages = a->npages;
		ai->free_pages = a->nfree + a->nreleased;
		ai->released_pages = a->nreleased;
	}
	w->nr_arenas++;
	for (i = 0; i < a->npages; i++) {
		struct gmm_span *s = READ_ONCE(a->spans[i]);

		if (!s || s->first_page != i)
			continue;
		if (w->nr_spans < w->room_spans)
			gmm_spans_fill(w, a, s, i);
		w->nr_spans++;
	}
}

/* Note the spans CPU caches hold now, sorted for lookup. */
static int gmm_spans_collect_cached(struct gmm_spans_walk *w)
{
	unsigned int max = num_possible_cpus() * GMM_NUM_SPAN_CLASSES, n = 0;
	unsigned int spc, i;
	int cpu;

	w->cached = kvmalloc_array(max, sizeof(*w->cached), GFP_KERNEL);
	w->cached_cpu = kvmalloc_array(max, sizeof(*w->cached_cpu),
				       GFP_KERNEL);
	if (!w->cached || !w->cached_cpu)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct gmm_cache *c = per_cpu_ptr(w->h->caches, cpu);

		for (spc = 0; spc < GMM_NUM_SPAN_CLASSES && n < max; spc++) {
			struct gmm_span *s = READ_ONCE(c->alloc[spc]);

			if (s)
				w->cached[n++] = s;
		}
	}
	sort(w->cached, n, sizeof(*w->cached), gmm_ptr_cmp, NULL);
	/* The CPU of each, found again now that the order is known. */
	for (i = 0; i < n; i++)
		w->cached_cpu[i] = -1;
	for_each_possible_cpu(cpu) {
		struct gmm_cache *c = per_cpu_ptr(w->h->caches, cpu);

		for (spc = 0; spc < GMM_NUM_SPAN_CLASSES; spc++) {
			struct gmm_span *s = READ_ONCE(c->alloc[spc]);
			struct gmm_span **hit;

			if (!s)
				continue;
			hit = bsearch(&s, w->cached, n, sizeof(*w->cached),
				      gmm_ptr_cmp);
			if (hit)
				w->cached_cpu[hit - w->cached] = cpu;
		}
	}
	w->nr_cached = n;
	return 0;
}

static long gmm_spans_copy_out(const struct gmm_spans *sp,
			       const struct gmm_spans_walk *w)
{
	u8 __user *ua = u64_to_user_ptr(sp->arenas);
	u8 __user *us = u64_to_user_ptr(sp->spans);
	u32 i;

	for (i = 0; i < min(w->nr_arenas, w->room_arenas); i++)
		if (gmm_copy_elem_out(ua + (size_t)i * sp->arena_size,
				      sp->arena_size, &w->arenas[i],
				      sizeof(w->arenas[i])))
			return -EFAULT;
	for (i = 0; i < min(w->nr_spans, w->room_spans); i++)
		if (gmm_copy_elem_out(us + (size_t)i * sp->span_size,
				      sp->span_size, &w->spans[i],
				      sizeof(w->spans[i])))
			return -EFAULT;
	return 0;
}

/**
 * gmm_ioctl_spans() - GMM_IOC_SPANS: arenas and spans of the heap
 * @f: the file
 * @cmd: the command
 * @arg: user pointer to struct gmm_spans
 *
 * Return: 0, -EINVAL, -E2BIG, -ENOMEM or -EFAULT.
 */
long gmm_ioctl_spans(struct gmm_file *f, unsigned int cmd, unsigned long arg)
{
	struct gmm_spans_walk w = { .h = f->heap };
	struct gmm_heap *h = f->heap;
	struct gmm_pageheap_stats ps;
	struct gmm_spans sp;
	u64 pages;
	long ret;

	ret = gmm_copy_arg_in(&sp, sizeof(sp), sizeof(sp), cmd, arg);
	if (ret)
		return ret;
	if (sp.flags || sp.reserved)
		return -EINVAL;
	if ((sp.nr_arenas &&
	     !gmm_elem_size_ok(sp.arena_size, sizeof(struct gmm_arena_info))) ||
	    (sp.nr_spans &&
	     !gmm_elem_size_ok(sp.span_size, sizeof(struct gmm_span_info))))
		return -EINVAL;

	/* Room: what the caller offers, no more than the heap can have now
	 * plus slack for growth during the walk (the counts say the rest).
	 */
	gmm_pageheap_read_stats(&h->pages, &ps);
	pages = ps.sys_bytes / GMM_PAGE_SIZE;
	w.room_arenas = min_t(u64, sp.nr_arenas, ps.arenas + 16);
	w.room_spans = min_t(u64, sp.nr_spans, pages + 1024);
	ret = -ENOMEM;
	w.arenas = kvmalloc_array(max(w.room_arenas, 1U), sizeof(*w.arenas),
				  GFP_KERNEL_ACCOUNT);
	w.spans = kvmalloc_array(max(w.room_spans, 1U), sizeof(*w.spans),
				 GFP_KERNEL_ACCOUNT);
	if (!w.arenas || !w.spans)
		goto out;
	ret = gmm_spans_collect_cached(&w);
	if (ret)
		goto out;

	w.sweepgen = READ_ONCE(h->sweepgen);
	sp.phase = READ_ONCE(h->gc.phase);
	sp.num_gc = READ_ONCE(h->gc.num_gc);
	gmm_pageheap_walk_arenas(&h->pages, gmm_spans_arena, &w);
	sp.sweepgen = w.sweepgen;

	ret = gmm_spans_copy_out(&sp, &w);
	if (ret)
		goto out;
	sp.nr_arenas = w.nr_arenas;
	sp.nr_spans = w.nr_spans;
	ret = gmm_copy_arg_out(arg, cmd, &sp, sizeof(sp));
out:
	kvfree(w.cached_cpu);
	kvfree(w.cached);
	kvfree(w.spans);
	kvfree(w.arenas);
	return ret;
}

/**
 * gmm_ioctl_cycles() - GMM_IOC_CYCLES: the recent GC cycles, oldest first
 * @f: the file
 * @cmd: the command
 * @arg: user pointer to struct gmm_cycles
 *
 * Cycles are recorded when they end; one in progress is not in the log.
 *
 * Return: 0, -EINVAL, -E2BIG, -EFAULT or -ENOMEM.
 */
long gmm_ioctl_cycles(struct gmm_file *f, unsigned int cmd,
		      unsigned long arg)
{
	struct gmm_cycle_trace *ring;
	struct gmm_heap *h = f->heap;
	struct gmm_cycle_info ci;
	struct gmm_cycles cy;
	unsigned int kept, k;
	u64 num;
	u8 __user *uc;
	u32 n = 0;
	long ret;

	ret = gmm_copy_arg_in(&cy, sizeof(cy), sizeof(cy), cmd, arg);
	if (ret)
		return ret;
	if (cy.flags || cy.reserved)
		return -EINVAL;
	if (cy.count && !gmm_elem_size_ok(cy.cycle_size, sizeof(ci)))
		return -EINVAL;
	ring = kmalloc_array(GMM_CYCLE_RING, sizeof(*ring), GFP_KERNEL);
	if (!ring)
		return -ENOMEM;
	/* Oldest first, published under gc.lock: no wait for a cycle. */
	kept = gmm_gc_read_cycles(h, ring);
	num = kept ? ring[kept - 1].num : 0;

	/* The newest min(count, kept) cycles, oldest first. */
	k = min_t(u32, cy.count, kept);
	uc = u64_to_user_ptr(cy.cycles);
	for (; n < k; n++) {
		const struct gmm_cycle_trace *t = &ring[kept - k + n];

		memset(&ci, 0, sizeof(ci));
		ci.num = t->num;
		ci.flags = t->forced ? GMM_CYCLE_FORCED : 0;
		ci.start_ns = t->since_start_ns;
		ci.stw1_ns = t->stw1_ns;
		ci.mark_ns = t->mark_ns;
		ci.stw2_ns = t->stw2_ns;
		ci.heap0 = t->heap0;
		ci.heap1 = t->heap1;
		ci.heap2 = t->heap2;
		ci.goal = t->goal;
		ci.assist_bytes = t->assist_bytes;
		ci.bg_bytes = t->bg_bytes;
		ci.root_ns = t->root_ns;
		ci.assist_ns = t->assist_ns;
		ci.bg_ns = t->bg_ns;
		ret = gmm_copy_elem_out(uc + (size_t)n * cy.cycle_size,
					cy.cycle_size, &ci, sizeof(ci));
		if (ret)
			goto out;
	}
	cy.count = n;
	cy.num_gc = num;
	ret = gmm_copy_arg_out(arg, cmd, &cy, sizeof(cy));
out:
	kfree(ring);
	return ret;
}
