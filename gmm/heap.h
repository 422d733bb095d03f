/* SPDX-License-Identifier: GPL-2.0 */
/*
 * heap.h - struct gmm_heap, the owner of everything else.
 *
 * A heap is one independent garbage-collected pool: its page heap, one
 * central list per span class, a per-CPU cache, its large objects and its
 * registered types.  Heaps share nothing but read-only tables and the
 * module-wide limits: each open file of /dev/gmm has one, and kernel
 * clients create their own.
 *
 * Lock order (lockdep checks it):
 *   gmm_heaps_lock (mutex, heap list)
 *     -> heap->types_lock (mutex)
 *   gmm_pageheaps_mutex (shrinker's list)
 *     -> pageheap->lock
 *   heap->gc.stw (stw.c: mutator sections hold it for reading, the
 *     heap's cycle work item for writing to stop the world)
 *     -> everything below
 *   cache->lock (local_lock), central->lock, heap->large_lock,
 *   heap->gc.lock, heap->pacer.lock, heap->roots.lock, pageheap->lock
 *   and gmm_marking_lock (markworker.c) are leaves:
 *   none is taken while another is held, and nothing sleeps under
 *   any of them.  The allocation path drops the per-CPU lock before it
 *   calls into central lists or the page heap.
 */
#ifndef _GMM_HEAP_H
#define _GMM_HEAP_H

#include <linux/cpuhotplug.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>

#include <linux/gmm.h>
#include "cache.h"
#include "central.h"
#include "gc.h"
#include "pageheap.h"
#include "sizeclass.h"
#include "span.h"
#include "type.h"
#include "weak.h"

struct dentry;
struct seq_file;

struct gmm_heap {
	struct gmm_pageheap pages;
	struct gmm_cache __percpu *caches;
	struct gmm_central central[GMM_NUM_SPAN_CLASSES];

	spinlock_t large_lock;		/* large spans */
	struct list_head large;
	unsigned long nr_large;

	struct mutex types_lock;	/* type registration */
	struct xarray types;		/* id -> struct gmm_type */
	atomic_long_t type_bytes;	/* types' metadata (GMM_TYPES_MAX_BYTES) */

	u32 sweepgen;			/* +2 per GC cycle */
	struct gmm_gc gc;
	struct gmm_roots roots;
	struct gmm_pacer pacer;
	struct gmm_weakrefs weak;	/* weak.c */
	struct gmm_cleanups cleanups;	/* cleanup.c */
	gfp_t gfp;			/* for pages and metadata */
	unsigned int id;
	char name[GMM_HEAP_NAME_LEN];
	struct hlist_node cpuhp_node;	/* CPU hotplug instance */
	struct list_head node;		/* gmm_heaps */
	struct dentry *debugfs;
};

/* span.c */
struct gmm_span *gmm_span_create(struct gmm_heap *h, u8 spanclass,
				 unsigned int npages);
void gmm_span_destroy(struct gmm_heap *h, struct gmm_span *s);
void gmm_span_refill_cache(struct gmm_span *s, unsigned int index);

/* type.c */
unsigned int gmm_class_for(size_t size, u32 align);
const struct gmm_type *gmm_type_by_id(struct gmm_heap *h, u32 id);
void gmm_types_destroy(struct gmm_heap *h);

/* debugfs.c */
void gmm_heap_debugfs_init(struct gmm_heap *h);
void gmm_heap_debugfs_exit(struct gmm_heap *h);
int gmm_heap_debugfs_show(struct gmm_heap *h, const char *name,
			  struct seq_file *m);

/* heap.c */
unsigned int gmm_heaps_count(void);
u64 gmm_heap_default_limit(void);

/* malloc.c */
void *gmm_alloc_noscan_slot(struct gmm_heap *heap, size_t size);
void *gmm_alloc_array_slot(struct gmm_heap *heap, const struct gmm_type *type,
			   size_t n);

#endif /* _GMM_HEAP_H */
