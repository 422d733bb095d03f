// SPDX-License-Identifier: GPL-2.0
/*
 * objects.c - every slot of a small heap with its colour, and the pointers
 * between its objects (GMM_IOC_OBJECTS): tri-colour marking as user space
 * can watch it, next to GMM_IOC_STEP (step.c).
 *
 * Colours come from a slot's bits (mark.c): free when not allocated
 * (below freeindex or alloc bit set means allocated), white when
 * allocated and not marked, grey when marked with its grey bit set
 * (pointers not scanned yet), black when marked otherwise.  Between
 * cycles every object is white; the marks of an unswept span are the last
 * cycle's until it is swept.
 *
 * The walk holds the page heap's lock for one arena at a time (spans
 * cannot go away under it, gmm_pageheap_walk_arenas()), copies each
 * slot's description and the pointer words of its object into buffers
 * allocated before, and keeps no address beyond the call: after the walk
 * each pointer is turned into the index of the slot it points to, by its
 * address against the spans seen, and only indices leave the kernel.  A
 * pointer into a span made after its arena was walked is left out; the
 * listing is consistent per span, as GMM_IOC_SPANS is.
 */
#include <linux/bitops.h>
#include <linux/bsearch.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>

#include <linux/gmm.h>
#include "dev.h"
#include "heap.h"
#include "internal.h"
#include "objects.h"

/* A span of the listing: where its objects are, their first index. */
struct gmm_objs_span {
	unsigned long base, end;
	u32 elemsize;
	u32 divmagic;
	u32 first;
	bool large;
};

/* A pointer found: from which object and word, to which address. */
struct gmm_objs_ptr {
	u32 from, offset;
	unsigned long target;
};

struct gmm_objs_walk {
	struct gmm_heap *h;
	struct gmm_objs_span *spans;
	struct gmm_object_info *objs;
	struct gmm_objs_ptr *ptrs;
	u32 room_objs, room_ptrs;
	u32 nr_spans, nr_objs, nr_ptrs, grey;
	bool too_big;
};

/**
 * gmm_object_colour() - the colour of a slot
 * @s: a span that cannot go away meanwhile
 * @idx: the slot
 *
 * Return: GMM_COLOUR_FREE, _WHITE, _GREY or _BLACK (racy against the
 * span's allocator and the marker: a snapshot of one slot).
 */
int gmm_object_colour(struct gmm_span *s, unsigned int idx)
{
	bool alloc;

	if (s->state == GMM_SPAN_LARGE)
		alloc = READ_ONCE(s->alloc_count) != 0;
	else
		alloc = idx < READ_ONCE(s->freeindex) ||
			test_bit(idx, s->alloc_bits);
	if (!test_bit(idx, s->mark_bits))
		return alloc ? GMM_COLOUR_WHITE : GMM_COLOUR_FREE;
	return test_bit(idx, s->grey_bits) ? GMM_COLOUR_GREY : GMM_COLOUR_BLACK;
}

/**
 * gmm_object_colour_of() - the colour of an object
 * @h: its heap
 * @obj: the object; the caller keeps it alive (a root, a mutator section)
 *
 * Return: GMM_COLOUR_*, or -EINVAL when @obj is in no span.
 */
int gmm_object_colour_of(struct gmm_heap *h, void *obj)
{
	struct gmm_span *s = gmm_span_of(obj);
	unsigned int idx = 0;

	if (!s)
		return -EINVAL;
	if (s->state != GMM_SPAN_LARGE)
		idx = gmm_div_elemsize((unsigned long)obj - s->base, s->divmagic);
	return gmm_object_colour(s, idx);
}

GMM_EXPORT_FOR_TESTING(gmm_object_colour_of);

/* The type of an allocated slot (NULL: no pointers). */
static const struct gmm_type *gmm_objs_type(struct gmm_heap *h,
					    struct gmm_span *s,
					    unsigned int idx, u32 *id)
{
	*id = 0;
	if (s->state == GMM_SPAN_LARGE) {
		if (s->large_type)
			*id = s->large_type->id;
		return s->large_type;
	}
	if (gmm_spanclass_noscan(s->spanclass))
		return NULL;
	*id = READ_ONCE(s->slot_types[idx]);
	return *id ? gmm_type_by_id(h, *id) : NULL;
}

/* The pointers of object @index (slot @idx of @s), as the marker reads them. */
static void gmm_objs_pointers(struct gmm_objs_walk *w, struct gmm_span *s,
			      unsigned int idx, const struct gmm_type *t,
			      u32 index)
{
	unsigned long base = s->base + (unsigned long)idx * s->elemsize, wd;
	unsigned int n = s->elemsize / t->size, e;

	if (s->state == GMM_SPAN_LARGE)
		base = s->base;
	for (e = 0; e < n && !w->too_big; e++) {
		for_each_set_bit(wd, t->ptrmap, t->nwords) {
			u32 off = e * t->size + wd * sizeof(void *);
			void *p = READ_ONCE(*(void **)(base + off));

			if (!p)
				continue;
			if (w->nr_ptrs < w->room_ptrs) {
				w->ptrs[w->nr_ptrs].from = index;
				w->ptrs[w->nr_ptrs].offset = off;
				w->ptrs[w->nr_ptrs].target = (unsigned long)p;
			}
			if (++w->nr_ptrs > GMM_OBJECTS_MAX_EDGES)
				w->too_big = true;
		}
	}
}

static void gmm_objs_slot(struct gmm_objs_walk *w, struct gmm_arena *a,
			  struct gmm_span *s, unsigned int page,
			  unsigned int idx)
{
	int colour = gmm_object_colour(s, idx);
	const struct gmm_type *t = NULL;
	u32 id = 0;

	if (colour != GMM_COLOUR_FREE)
		t = gmm_objs_type(w->h, s, idx, &id);
	if (w->nr_objs < w->room_objs) {
		struct gmm_object_info *oi = &w->objs[w->nr_objs];

		memset(oi, 0, sizeof(*oi));
		oi->arena = a->id;
		oi->first_page = page;
		oi->slot = idx;
		oi->size = s->elemsize;
		oi->type = id;
		oi->colour = colour;
	}
	if (colour == GMM_COLOUR_GREY)
		w->grey++;
	if (t && t->nptrs)
		gmm_objs_pointers(w, s, idx, t, w->nr_objs);
	w->nr_objs++;
}

/* Called with the page heap's lock held: spans cannot go away. */
static void gmm_objs_arena(struct gmm_arena *a, void *arg)
{
	struct gmm_objs_walk *w = arg;
	unsigned int i, idx;

	for (i = 0; i < a->npages && !w->too_big; i++) {
		struct gmm_span *s = READ_ONCE(a->spans[i]);
		struct gmm_objs_span *os;

		if (!s || s->first_page != i || s->state == GMM_SPAN_DEAD)
			continue;
		if (w->nr_objs + s->nelems > GMM_OBJECTS_MAX) {
			w->too_big = true;
			return;
		}
		os = &w->spans[w->nr_spans++];
		os->base = s->base;
		os->end = s->base + (unsigned long)s->npages * GMM_PAGE_SIZE;
		os->elemsize = s->elemsize;
		os->divmagic = s->divmagic;
		os->first = w->nr_objs;
		os->large = s->state == GMM_SPAN_LARGE;
		for (idx = 0; idx < s->nelems && !w->too_big; idx++)
			gmm_objs_slot(w, a, s, i, idx);
	}
}

static int gmm_objs_span_cmp(const void *a, const void *b)
{
	const struct gmm_objs_span *x = a, *y = b;

	return x->base < y->base ? -1 : x->base > y->base;
}

static int gmm_objs_addr_cmp(const void *key, const void *elt)
{
	unsigned long p = *(const unsigned long *)key;
	const struct gmm_objs_span *s = elt;

	return p < s->base ? -1 : p >= s->end ? 1 : 0;
}

/* The index of the object at @p, or GMM_OBJECT_NONE. */
static u32 gmm_objs_index(const struct gmm_objs_walk *w, unsigned long p)
{
	const struct gmm_objs_span *s;

	s = bsearch(&p, w->spans, w->nr_spans, sizeof(*s), gmm_objs_addr_cmp);
	if (!s)
		return GMM_OBJECT_NONE;
	if (s->large)
		return s->first;
	return s->first + gmm_div_elemsize(p - s->base, s->divmagic);
}

/*
 * Each handle of the heap counts as a root of its object.  Handles are
 * looked up in a mutator section (only the address is used, never the
 * object), with a safepoint every 1024 so that a stop of the world is
 * not kept waiting.
 */
static void gmm_objs_roots(struct gmm_objs_walk *w)
{
	unsigned long id;
	void *entry;
	u32 n = 0;

	gmm_mutator_enter(w->h);
	xa_for_each(&w->h->roots.handles, id, entry) {
		void *obj = gmm_handle_obj(w->h, id);
		u32 i = obj ? gmm_objs_index(w, (unsigned long)obj) :
			      GMM_OBJECT_NONE;

		if (i < w->room_objs && i < w->nr_objs)
			w->objs[i].roots++;
		if (!(++n % 1024))
			gmm_mutator_yield(w->h);
	}
	gmm_mutator_exit(w->h);
}

/* Copy @n elements of @ksize bytes out at the caller's @usize each. */
static int gmm_objs_copy(u64 uptr, u32 usize, const void *src, size_t ksize,
			 u32 n)
{
	u8 __user *dst = u64_to_user_ptr(uptr);
	u32 i;

	for (i = 0; i < n; i++)
		if (copy_to_user(dst + (size_t)i * usize, (const u8 *)src + i * ksize,
				 min_t(size_t, usize, ksize)))
			return -EFAULT;
	return 0;
}

/*
 * The pointers as edges between indices (a pointer into a span made during
 * the walk, after its arena was passed, points to GMM_OBJECT_NONE).
 */
static int gmm_objs_edges_out(struct gmm_objs_walk *w, struct gmm_objects *o)
{
	u8 __user *dst = u64_to_user_ptr(o->edges);
	struct gmm_object_edge e;
	u32 i;

	for (i = 0; i < min(w->nr_ptrs, w->room_ptrs); i++) {
		memset(&e, 0, sizeof(e));
		e.from = w->ptrs[i].from;
		e.to = gmm_objs_index(w, w->ptrs[i].target);
		e.offset = w->ptrs[i].offset;
		if (copy_to_user(dst + (size_t)i * o->edge_size, &e,
				 min_t(size_t, o->edge_size, sizeof(e))))
			return -EFAULT;
	}
	return 0;
}

/*
 * Handles in, the indices of their objects out.  User memory is touched
 * outside the mutator section, the handles looked up inside it.
 */
static int gmm_objs_handles(struct gmm_objs_walk *w, struct gmm_objects *o)
{
	u32 *hd, i;
	void *obj;
	int ret = 0;

	if (!o->nr_handles)
		return 0;
	hd = kvmalloc_array(o->nr_handles, sizeof(*hd), GFP_KERNEL_ACCOUNT);
	if (!hd)
		return -ENOMEM;
	if (copy_from_user(hd, u64_to_user_ptr(o->handles),
			   o->nr_handles * sizeof(*hd))) {
		ret = -EFAULT;
		goto out;
	}
	gmm_mutator_enter(w->h);
	for (i = 0; i < o->nr_handles; i++) {
		obj = gmm_handle_obj(w->h, hd[i]);
		hd[i] = obj ? gmm_objs_index(w, (unsigned long)obj) :
			      GMM_OBJECT_NONE;
		if (!((i + 1) % 1024))
			gmm_mutator_yield(w->h);
	}
	gmm_mutator_exit(w->h);
	if (copy_to_user(u64_to_user_ptr(o->handle_index), hd,
			 o->nr_handles * sizeof(*hd)))
		ret = -EFAULT;
out:
	kvfree(hd);
	return ret;
}

static long gmm_objs_check(const struct gmm_objects *o)
{
	if (o->flags || o->reserved)
		return -EINVAL;
	if (o->nr_objects && (o->object_size < sizeof(struct gmm_object_info) ||
			      o->object_size > GMM_ELEM_SIZE_MAX))
		return -EINVAL;
	if (o->nr_edges && (o->edge_size < sizeof(struct gmm_object_edge) ||
			    o->edge_size > GMM_ELEM_SIZE_MAX))
		return -EINVAL;
	if (o->nr_handles > GMM_OBJECTS_MAX)
		return -EINVAL;
	return 0;
}

/* Walk, count roots, write the answer's arrays; 0 or -errno. */
static long gmm_objs_run(struct gmm_objs_walk *w, struct gmm_objects *o)
{
	struct gmm_heap *h = w->h;
	long ret;

	o->phase = READ_ONCE(h->gc.phase);
	o->num_gc = READ_ONCE(h->gc.num_gc);
	gmm_pageheap_walk_arenas(&h->pages, gmm_objs_arena, w);
	if (w->too_big)
		return -E2BIG;
	sort(w->spans, w->nr_spans, sizeof(*w->spans), gmm_objs_span_cmp, NULL);
	gmm_objs_roots(w);
	ret = gmm_objs_copy(o->objects, o->object_size, w->objs,
			    sizeof(*w->objs), min(w->nr_objs, w->room_objs));
	if (!ret)
		ret = gmm_objs_edges_out(w, o);
	if (!ret)
		ret = gmm_objs_handles(w, o);
	o->nr_objects = w->nr_objs;
	o->nr_edges = w->nr_ptrs;
	o->grey = w->grey;
	return ret;
}

/**
 * gmm_ioctl_objects() - GMM_IOC_OBJECTS: the slots of the file's heap,
 *	their colours and the pointers between them
 * @f: the file
 * @cmd: the command
 * @arg: user pointer to struct gmm_objects
 *
 * Return: 0, -EINVAL, -E2BIG (a struct with unknown non-zero bytes, or a
 * heap over GMM_OBJECTS_MAX slots or GMM_OBJECTS_MAX_EDGES pointers),
 * -ENOMEM or -EFAULT.
 */
long gmm_ioctl_objects(struct gmm_file *f, unsigned int cmd,
		       unsigned long arg)
{
	struct gmm_objs_walk w = { .h = f->heap };
	struct gmm_objects o;
	long ret;

	ret = gmm_copy_arg_in(&o, sizeof(o), sizeof(o), cmd, arg);
	if (ret)
		return ret;
	ret = gmm_objs_check(&o);
	if (ret)
		return ret;
	w.room_objs = min_t(u32, o.nr_objects, GMM_OBJECTS_MAX);
	w.room_ptrs = min_t(u32, o.nr_edges, GMM_OBJECTS_MAX_EDGES);
	w.spans = kvmalloc_array(GMM_OBJECTS_MAX, sizeof(*w.spans),
				 GFP_KERNEL_ACCOUNT);
	w.objs = kvmalloc_array(max(w.room_objs, 1U), sizeof(*w.objs),
				GFP_KERNEL_ACCOUNT);
	w.ptrs = kvmalloc_array(max(w.room_ptrs, 1U), sizeof(*w.ptrs),
				GFP_KERNEL_ACCOUNT);
	ret = -ENOMEM;
	if (w.spans && w.objs && w.ptrs)
		ret = gmm_objs_run(&w, &o);
	if (!ret)
		ret = gmm_copy_arg_out(arg, cmd, &o, sizeof(o));
	kvfree(w.ptrs);
	kvfree(w.objs);
	kvfree(w.spans);
	return ret;
}
