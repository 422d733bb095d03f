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
 * Lock order - the one place it is written down (Documentation/design.rst
 * points here; lockdep checks it).  A lock is only taken after those above
 * it, never while one below it or beside it on a "leaves" line is held:
 *
 *   gmm_heaps_lock (mutex, heap.c: the list of heaps)
 *     -> heap->types_lock (mutex, type.c: type registration)
 *   gmm_pageheaps_mutex (mutex, scavenge.c: all page heaps)
 *     -> pageheap->lock
 *       -> the scavenger's list_lru lock (scavenge.c; its isolate
 *          callback, under that lock, only trylocks pageheap->lock)
 *   gmm_users_lock (mutex, dev.c: heaps per user)
 *   heap->gc.step.lock (mutex, step.c: the callers of gmm_step_*(), outside
 *     sections; held while they wait for the cycle work item, which never
 *     takes it)
 *     -> the leaves below, as for any drainer
 *   heap->gc.stw (stw.c: mutator sections hold it for reading, the heap's
 *     cycle work item for writing to stop the world)
 *     -> everything below
 *   leaves - none is taken while another is held, nothing sleeps under
 *   any of them:
 *     cache->lock (local_lock, cache.c: this CPU's cache)
 *     central->lock (central.c: one span class's lists)
 *     heap->large_lock (malloc.c, sweep.c: large spans)
 *     heap->gc.lock (gc.c: cycle counters and records)
 *     heap->gc.grey_lock (mark.c: the drainers' pops)
 *     heap->pacer.lock (pacer.c)
 *     heap->roots.lock (roots.c: the scope list)
 *     pageheap->lock (pageheap.c: one page heap's arenas; the list_lru
 *       lock nests inside it, above)
 *     gmm_marking_lock (markworker.c: the mark workers' list and every
 *       heap's gc.workers)
 *
 * The allocation path drops the per-CPU lock before it calls into central
 * lists or the page heap; the page heap allocates pages with no lock held
 * and retakes its lock to publish a new arena.  XArrays (handles, slots,
 * types, users) take their own internal lock inside these.  What each
 * lock protects is written on the fields: struct gmm_span, struct
 * gmm_gc, struct gmm_pacer, struct gmm_roots, struct gmm_central, struct
 * gmm_pageheap.
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
#include "cleanup.h"
#include "gc.h"
#include "pacer.h"
#include "pageheap.h"
#include "roots.h"
#include "sizeclasses.h"
#include "span.h"
#include "type.h"
#include "weak.h"

struct dentry;

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
	bool poison;			/* debug_poison (poison.c); set at creation */
	atomic_long_t poison_errors;	/* overwritten free slots found; atomic */
	unsigned int id;
	char name[GMM_HEAP_NAME_LEN];
	struct hlist_node cpuhp_node;	/* CPU hotplug instance */
	struct list_head node;		/* gmm_heaps */
	struct dentry *debugfs;
};

unsigned int gmm_heaps_count(void);
u64 gmm_heap_default_limit(void);

#endif /* _GMM_HEAP_H */
