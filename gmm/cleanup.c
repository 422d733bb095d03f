// SPDX-License-Identifier: GPL-2.0
/*
 * cleanup.c - cleanups (Go's runtime.AddCleanup): a function the collector
 * calls after an object is found unreachable, to release what the object
 * stood for outside the heap (a file, a page, a refcounted struct).
 *
 * gmm_cleanup_add(heap, obj, fn, arg, &id) registers fn(arg) for obj;
 * gmm_cleanup_cancel() takes it back while it has not been found due.  The
 * record holds obj weakly: it is no root, and @arg is not scanned, so a
 * cleanup can never resurrect its object (arg must not lead to it).
 *
 * Against the collector:
 *  - At mark termination, with the world stopped and the marks final
 *    (after the checkmark pass and the clearing of weak handles), every
 *    record whose object is unmarked moves from the table to the due list
 *    (gmm_cleanups_collect(), from gc.c).  Nothing can reach such an
 *    object any more - no root, no heap pointer, no weak handle - so it is
 *    garbage for good.
 *  - After the cycle's sweep, which frees those objects, the collector
 *    queues the heap's cleanup work (gmm_cleanups_queue()); it runs the
 *    due functions one after the other on system_unbound_wq: process
 *    context, outside any mutator section, no gmm lock held.  A function
 *    may use the heap (enter sections, allocate), sleep, even destroy
 *    other heaps; it must not destroy its own heap.
 *  - gmm_heap_destroy() runs what is due and then every cleanup still
 *    registered (their objects die with the heap), in the caller's
 *    context, after the collector has stopped.
 * The table is an allocating xarray (its own lock); the due list has a
 * spinlock of its own (a leaf).
 */
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include <linux/gmm.h>
#include "cleanup.h"
#include "heap.h"
#include "mutant.h"
#include "weak.h"

#define GMM_CLEANUP_MAX		(U32_MAX >> 1)

/* One registered cleanup. */
struct gmm_cleanup_rec {
	struct list_head node;		/* on the due list */
	void *obj;			/* held weakly */
	void (*fn)(void *arg);
	void *arg;
};

/* Run every record on @list, freeing each. */
static void gmm_cleanups_run(struct list_head *list)
{
	struct gmm_cleanup_rec *r, *tmp;

	list_for_each_entry_safe(r, tmp, list, node) {
		list_del(&r->node);
		r->fn(r->arg);
		kfree(r);
		cond_resched();
	}
}

static void gmm_cleanups_work(struct work_struct *work)
{
	struct gmm_cleanups *c = container_of(work, struct gmm_cleanups, work);
	LIST_HEAD(list);

	spin_lock(&c->lock);
	list_splice_init(&c->due, &list);
	spin_unlock(&c->lock);
	gmm_cleanups_run(&list);
}

/**
 * gmm_cleanups_init() - no cleanups yet, for a new heap
 * @h: the heap
 */
void gmm_cleanups_init(struct gmm_heap *h)
{
	struct gmm_cleanups *c = &h->cleanups;

	xa_init_flags(&c->table, XA_FLAGS_ALLOC1);
	c->next = 1;
	spin_lock_init(&c->lock);
	INIT_LIST_HEAD(&c->due);
	INIT_WORK(&c->work, gmm_cleanups_work);
}

/**
 * gmm_cleanups_destroy() - run every cleanup left, then free the table
 * @h: the heap, being destroyed; its collector has stopped
 *
 * Due cleanups first (the work item's, waited for), then every registered
 * one: their objects die with the heap.  Process context; sleeps.
 */
void gmm_cleanups_destroy(struct gmm_heap *h)
{
	struct gmm_cleanups *c = &h->cleanups;
	struct gmm_cleanup_rec *r;
	unsigned long id;
	LIST_HEAD(list);

	flush_work(&c->work);
	xa_for_each(&c->table, id, r)
		list_add_tail(&r->node, &list);
	xa_destroy(&c->table);
	spin_lock(&c->lock);
	list_splice_init(&c->due, &list);
	spin_unlock(&c->lock);
	gmm_cleanups_run(&list);
}

/**
 * gmm_cleanups_collect() - move the cleanups of dead objects to the due list
 * @h: the heap at mark termination: the world is stopped, marks are final
 *
 * Return: how many became due.
 */
unsigned long gmm_cleanups_collect(struct gmm_heap *h)
{
	struct gmm_cleanups *c = &h->cleanups;
	XA_STATE(xas, &c->table, 0);
	struct gmm_cleanup_rec *r;
	unsigned long n = 0;
	LIST_HEAD(list);

	xas_lock(&xas);
	xas_for_each(&xas, r, ULONG_MAX) {
		if (xas_retry(&xas, r) ||
		    (gmm_obj_marked(r->obj) && !GMM_MUTANT(GMM_MUT_CLEANUP_LIVE)))
			continue;
		xas_store(&xas, NULL);
		list_add_tail(&r->node, &list);
		n++;
	}
	xas_unlock(&xas);
	spin_lock(&c->lock);
	list_splice_tail(&list, &c->due);
	spin_unlock(&c->lock);
	return n;
}

/**
 * gmm_cleanups_queue() - run the due cleanups, after the cycle's sweep
 * @h: the heap
 *
 * Any context that may take a spinlock.
 */
void gmm_cleanups_queue(struct gmm_heap *h)
{
	struct gmm_cleanups *c = &h->cleanups;
	bool any;

	spin_lock(&c->lock);
	any = !list_empty(&c->due);
	spin_unlock(&c->lock);
	if (any)
		queue_work(system_unbound_wq, &c->work);
}

/**
 * gmm_cleanup_add() - call a function once an object has been collected
 * @heap: the heap
 * @obj: an object of @heap the caller can reach, not NULL
 * @fn: called as @fn(@arg) after @obj was found unreachable and swept,
 *	on a workqueue (process context, outside any mutator section, may
 *	sleep); or by gmm_heap_destroy() if the heap goes first
 * @arg: passed to @fn; not a root and not scanned: it must not lead to
 *	@obj (which is gone when @fn runs)
 * @id: gets the cleanup's number, for gmm_cleanup_cancel()
 *
 * An object may have any number of cleanups; they run in no set order.
 *
 * Context: Inside a mutator section of @heap (lockdep checks it), no
 * spinlock held; may sleep (allocates).
 *
 * Return: 0; -EINVAL for a NULL @obj, @fn or @id; -ENOMEM; -ENOSPC when
 * all numbers are in use.
 */
int gmm_cleanup_add(struct gmm_heap *heap, void *obj, void (*fn)(void *arg),
		    void *arg, u32 *id)
{
	struct gmm_cleanup_rec *r;
	int ret;

	might_sleep();
	lockdep_assert(gmm_stw_held(&heap->gc.stw));
	if (!obj || !fn || !id)
		return -EINVAL;
	r = kzalloc(sizeof(*r), heap->gfp);
	if (!r)
		return -ENOMEM;
	r->obj = obj;
	r->fn = fn;
	r->arg = arg;
	ret = xa_alloc_cyclic(&heap->cleanups.table, id, r,
			      XA_LIMIT(1, GMM_CLEANUP_MAX),
			      &heap->cleanups.next, heap->gfp);
	if (ret < 0) {
		kfree(r);
		return ret == -EBUSY ? -ENOSPC : ret;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(gmm_cleanup_add);

/**
 * gmm_cleanup_cancel() - take back a cleanup that has not become due
 * @heap: the heap
 * @id: the number gmm_cleanup_add() gave
 * @arg: gets the cleanup's @arg when it was cancelled (may be NULL)
 *
 * Like Go's Cleanup.Stop().  A cleanup found due (its object was
 * collected) runs and can no longer be cancelled.
 *
 * Context: Process context, inside or outside a mutator section; does not
 * sleep: spinlocks may be held.
 *
 * Return: 0 when it will not run; -ENOENT when @id is not registered (it
 * ran, is due, was cancelled or never existed).
 */
int gmm_cleanup_cancel(struct gmm_heap *heap, u32 id, void **arg)
{
	struct gmm_cleanup_rec *r;

	if (!id || id > GMM_CLEANUP_MAX)
		return -ENOENT;
	r = xa_erase(&heap->cleanups.table, id);
	if (!r)
		return -ENOENT;
	if (arg)
		*arg = r->arg;
	kfree(r);
	return 0;
}
EXPORT_SYMBOL_GPL(gmm_cleanup_cancel);
