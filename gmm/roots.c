// SPDX-License-Identifier: GPL-2.0
/*
 * roots.c - what the marker starts from.
 *
 * The collector frees every object it cannot reach from a root.  A heap has
 * four kinds of roots (struct gmm_roots in gc.h):
 *
 *  - Root slots: the addresses of long-lived pointer variables outside the
 *    heap - a client's globals, a field of a kmalloc()ed structure -
 *    registered with gmm_root_add() and unregistered with
 *    gmm_root_remove().  Whatever the variable holds when the collector
 *    looks is live.  Kept in an xarray indexed by the slot's address
 *    divided by the pointer size (so a second registration is found in
 *    O(log n) and refused) whose entries are the slot addresses.
 *  - Handles: references held on behalf of someone who must not hold a
 *    kernel pointer - user space through /dev/gmm, or kernel code that
 *    wants a small integer - in the manner of JNI global references.
 *    gmm_handle_get() turns an object into a u32 handle (numbers are
 *    handed out cyclically from 1, so a released handle is not issued
 *    again until 2^31 - 1 more have been: a stale handle held by user
 *    space fails instead of naming another object), gmm_handle_obj()
 *    turns it back, gmm_handle_put() releases it; a handle is a root
 *    until it is released.  Kept in an
 *    allocating xarray.  Tiny objects may be aligned to 1 or 2 bytes, and
 *    the xarray reserves pointers whose low bits are binary 10, so a handle
 *    stores its object as a value entry: the object's offset from
 *    PAGE_OFFSET (heap objects live in the direct map).
 *  - Scopes: per-thread shadow-stack frames (struct gmm_scope in
 *    <linux/gmm.h>).  A function puts a struct gmm_scope on its stack,
 *    gmm_scope_enter()s it, registers the addresses of up to
 *    GMM_SCOPE_SLOTS local pointer variables with gmm_scope_add(), and
 *    gmm_scope_leave()s it before returning.  Live scopes are on a list
 *    under roots->lock.
 *  - Root vectors (struct gmm_rootvec in gc.h): an array of object
 *    pointers registered as a whole, for the length of a /dev/gmm batch
 *    (its temporaries, batchlink.c); scanned with the scopes, under the
 *    same lock, and written like scope locals, without a barrier.
 *
 * Keeping a temporary object alive, for a kernel client: inside one mutator
 * section (gmm_mutator_enter() .. gmm_mutator_exit()) the world cannot
 * stop, so a plain C local is enough.  A pointer that must survive the end
 * of a section - the collector may run between two sections - has to be in
 * a root before the section ends: a scope local for the rest of a function,
 * a handle for a reference handed to somebody else, a root slot for a
 * global or a long-lived structure.
 *
 * Nothing here checks that an object is a heap object: the ioctl layer
 * validates what user space passes, and kernel clients only pass what
 * gmm_alloc*() gave them.  NULL values in slots and locals are skipped.
 *
 * Concurrency.  The collector scans root slots and scopes with the world
 * stopped (gmm_roots_scan_stw()): no mutator is inside a section, so no
 * slot or local is written.  Handles - there may be a million of them for
 * one user-space heap - are scanned concurrently, after the world restarts
 * (gmm_roots_scan_handles()), like Go scans goroutine stacks while the
 * program runs.  That is safe because the handle functions carry their
 * own barrier while the collector marks: gmm_handle_get() shades the
 * object it names (insertion) and gmm_handle_put() the object it drops
 * (deletion), so an object some handle refers to at any moment of the mark
 * is shaded whether or not the scan saw that handle.  Objects are not freed
 * during the mark, so shading one whose handle was just released is safe
 * (it is floating garbage until the next cycle).  gmm_roots_scan() scans
 * all three with the world stopped (the checkmark pass, tests).
 * Registration is more relaxed, because kernel clients register and
 * unregister outside sections too (module init and exit, the start and end
 * of a function):
 *  - handles use the xarray's own lock; the handle functions must be
 *    called inside a section (lockdep checks it), so the phase they read
 *    does not change under them; the scan walks the table under RCU;
 *  - root slots are added and removed with the xarray's own lock, which
 *    the scan holds while it reads the slots: once gmm_root_remove()
 *    returns, the scan no longer looks at the slot and its memory may go;
 *  - the scope list is protected by roots->lock, which the scan holds
 *    while it reads the locals: once gmm_scope_leave() returns the frame
 *    may go.  A scope belongs to one thread: only that thread adds to it,
 *    publishing each slot before the count (release/acquire).
 * roots->lock and the slots' xarray lock are leaves taken by roots.c only
 * (after the STW semaphore, never around it); the scan calls shade() under
 * them, so shade() must not sleep, take locks or call back into roots.c -
 * gmm_shade() does none of that.
 */
#include <linux/bug.h>
#include <linux/err.h>
#include <linux/list.h>
#include <linux/limits.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/percpu-rwsem.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>

#include "fault.h"
#include "heap.h"
#include "internal.h"
#include "mark.h"
#include "mutant.h"
#include "roots.h"

/* Handles are 1 .. GMM_HANDLE_MAX, so they fit in a positive int. */
#define GMM_HANDLE_MAX		(U32_MAX >> 1)
/* Entries scanned or counted between two cond_resched(). */
#define GMM_ROOTS_BATCH		4096

/* The index of a root slot in roots->slots. */
static inline unsigned long gmm_slot_index(void **slot)
{
	return (unsigned long)slot / sizeof(void *);
}

/* The handle table's entry for @obj; false if @obj cannot be encoded. */
static inline bool gmm_handle_encode(void *obj, void **entry)
{
	unsigned long off = (unsigned long)obj - PAGE_OFFSET;

	if (off > LONG_MAX)
		return false;
	*entry = xa_mk_value(off);
	return true;
}

static inline void *gmm_handle_decode(void *entry)
{
	return (void *)(xa_to_value(entry) + PAGE_OFFSET);
}

/**
 * gmm_roots_init() - set up a heap's root tables
 * @h: the heap being created
 *
 * Called by gmm_heap_create() before the heap is visible to anybody.
 *
 * Return: 0 (nothing here can fail).
 */
int gmm_roots_init(struct gmm_heap *h)
{
	struct gmm_roots *r = &h->roots;

	spin_lock_init(&r->lock);
	xa_init(&r->slots);
	xa_init_flags(&r->handles, XA_FLAGS_ALLOC1);
	INIT_LIST_HEAD(&r->scopes);
	INIT_LIST_HEAD(&r->vecs);
	r->nr_scopes = 0;
	r->handle_next = 1;
	return 0;
}

/**
 * gmm_roots_destroy() - free a heap's root tables
 * @h: the heap being destroyed
 *
 * Root slots and handles still registered are dropped: a heap may die with
 * references outstanding (a closing /dev/gmm file).  A scope still live is
 * a caller bug - its thread would leave it on a freed heap - and draws a
 * warning; the list is dropped without writing to the scopes, whose stack
 * frames may be gone.  Process context, nobody else using the heap.
 */
void gmm_roots_destroy(struct gmm_heap *h)
{
	struct gmm_roots *r = &h->roots;

	spin_lock(&r->lock);
	if (WARN_ON_ONCE(!list_empty(&r->scopes))) {
		INIT_LIST_HEAD(&r->scopes);
		r->nr_scopes = 0;
	}
	if (WARN_ON_ONCE(!list_empty(&r->vecs)))
		INIT_LIST_HEAD(&r->vecs);
	spin_unlock(&r->lock);
	xa_destroy(&r->slots);
	xa_destroy(&r->handles);
}

/**
 * gmm_root_add() - register a pointer variable as a root
 * @heap: the heap
 * @slot: address of a pointer variable outside the heap (a global, a field
 *	of a kmalloc()ed structure); it must stay valid until
 *	gmm_root_remove()
 *
 * From now on the object *@slot points to, if any, is live.  *@slot must
 * hold NULL or an object of @heap, and is read and written only inside
 * mutator sections.
 *
 * Context: Process context, inside or outside a mutator section, no
 * spinlock held; may sleep (allocates).
 *
 * Return: 0; -EINVAL if @slot is NULL, not aligned to a pointer or inside
 * @heap; -EEXIST if @slot is registered already; -ENOMEM.
 */
int gmm_root_add(struct gmm_heap *heap, void **slot)
{
	int ret;

	might_sleep();
	if (!slot || !IS_ALIGNED((unsigned long)slot, sizeof(void *)))
		return -EINVAL;
	/* A slot in a heap object would be freed under the scan. */
	if (gmm_pageheap_contains(&heap->pages, slot))
		return -EINVAL;
	if (gmm_should_fail(GMM_FAIL_HEAP_META))
		return -ENOMEM;
	ret = xa_insert(&heap->roots.slots, gmm_slot_index(slot), slot,
			heap->gfp);
	return ret == -EBUSY ? -EEXIST : ret;
}
EXPORT_SYMBOL_GPL(gmm_root_add);

/**
 * gmm_root_remove() - unregister a root slot
 * @heap: the heap
 * @slot: the address given to gmm_root_add()
 *
 * When this returns the collector no longer reads @slot, so its memory may
 * be freed.  Unknown or NULL slots are ignored.
 *
 * Context: Process context, inside or outside a mutator section; does not
 * sleep, but may spin while a root scan holds the table.
 */
void gmm_root_remove(struct gmm_heap *heap, void **slot)
{
	if (!slot)
		return;
	/* Takes the xarray's lock, which gmm_roots_scan() holds on slots. */
	xa_erase(&heap->roots.slots, gmm_slot_index(slot));
}
EXPORT_SYMBOL_GPL(gmm_root_remove);

/**
 * gmm_handle_get() - make a handle for an object
 * @heap: the heap
 * @obj: an object of @heap, not NULL (not checked beyond that)
 * @handle: gets the handle: the next free number after the last one
 *	issued, from 1 up to 2^31 - 1 and round again
 *
 * The object stays alive until the handle is released with
 * gmm_handle_put() (or the heap is destroyed).  The same object may have
 * any number of handles.
 *
 * Context: Inside a mutator section of @heap (lockdep checks it), no
 * spinlock held; may sleep (allocates).
 *
 * Return: 0; -EINVAL for a NULL @obj or @handle; -ENOMEM; -ENOSPC when all
 * 2^31 - 1 handles are in use.
 */
int gmm_handle_get(struct gmm_heap *heap, void *obj, u32 *handle)
{
	void *entry;
	u32 id;
	int ret;

	might_sleep();
	lockdep_assert(gmm_stw_held(&heap->gc.stw));
	if (!obj || !handle || !gmm_handle_encode(obj, &entry))
		return -EINVAL;
	if (gmm_should_fail(GMM_FAIL_HEAP_META))
		return -ENOMEM;
	/* Takes the xarray's lock, which serialises handle_next too. */
	ret = xa_alloc_cyclic(&heap->roots.handles, &id, entry,
			      XA_LIMIT(1, GMM_HANDLE_MAX),
			      &heap->roots.handle_next, heap->gfp);
	if (ret < 0)
		return ret == -EBUSY ? -ENOSPC : ret;
	/* Insertion barrier: the handle scan may have passed @id already. */
	if (unlikely(READ_ONCE(heap->gc.phase) != GMM_GC_PHASE_OFF) &&
	    !gmm_barrier_disabled && !GMM_MUTANT(GMM_MUT_HANDLE_BARRIER))
		gmm_shade(heap, obj);
	*handle = id;
	return 0;
}
EXPORT_SYMBOL_GPL(gmm_handle_get);

/**
 * gmm_handle_obj() - the object a handle refers to
 * @heap: the heap
 * @handle: a handle from gmm_handle_get(), or any number
 *
 * Inside a mutator section (the object may be freed as soon as the handle
 * is released and the section ends).
 *
 * Context: Inside a mutator section of @heap (lockdep checks it); lock-
 * free, does not sleep: spinlocks may be held.
 *
 * Return: the object, or NULL if @handle was never issued or is released.
 */
void *gmm_handle_obj(struct gmm_heap *heap, u32 handle)
{
	void *entry;

	lockdep_assert(gmm_stw_held(&heap->gc.stw));
	if (!handle || handle > GMM_HANDLE_MAX)
		return NULL;
	entry = xa_load(&heap->roots.handles, handle);
	return entry ? gmm_handle_decode(entry) : NULL;
}
EXPORT_SYMBOL_GPL(gmm_handle_obj);

/**
 * gmm_handle_put() - release a handle
 * @heap: the heap
 * @handle: a handle from gmm_handle_get()
 *
 * The object is no longer kept alive by this handle; its number is issued
 * again only after the cyclic allocation has gone round.
 *
 * Context: Inside a mutator section of @heap (lockdep checks it); does not
 * sleep: spinlocks may be held.
 *
 * Return: 0, or -ENOENT if @handle was never issued or is released already.
 */
int gmm_handle_put(struct gmm_heap *heap, u32 handle)
{
	void *entry;

	lockdep_assert(gmm_stw_held(&heap->gc.stw));
	if (!handle || handle > GMM_HANDLE_MAX)
		return -ENOENT;
	entry = xa_erase(&heap->roots.handles, handle);
	if (!entry)
		return -ENOENT;
	/* Deletion barrier: the handle scan may not have reached it yet. */
	if (unlikely(READ_ONCE(heap->gc.phase) != GMM_GC_PHASE_OFF) &&
	    !gmm_barrier_disabled && !GMM_MUTANT(GMM_MUT_HANDLE_BARRIER))
		gmm_shade(heap, gmm_handle_decode(entry));
	return 0;
}
EXPORT_SYMBOL_GPL(gmm_handle_put);

/**
 * gmm_scope_enter() - start a shadow-stack frame
 * @heap: the heap
 * @scope: a struct gmm_scope on the caller's stack (contents ignored)
 *
 * Scopes nest and may be entered inside or outside a section; every one
 * must be left with gmm_scope_leave() by the same thread before its stack
 * frame goes away, and before the heap is destroyed.
 *
 * Context: Process context, inside or outside a mutator section; does not
 * sleep.
 */
void gmm_scope_enter(struct gmm_heap *heap, struct gmm_scope *scope)
{
	struct gmm_roots *r = &heap->roots;

	scope->heap = heap;
	scope->n = 0;
	spin_lock(&r->lock);
	list_add(&scope->node, &r->scopes);
	r->nr_scopes++;
	spin_unlock(&r->lock);
}
EXPORT_SYMBOL_GPL(gmm_scope_enter);

/**
 * gmm_scope_add() - make a local pointer variable a root
 * @scope: an entered scope of the calling thread
 * @local: address of a pointer variable that lives at least as long as
 *	the scope
 *
 * Until gmm_scope_leave() the object *@local points to, if any, is live.
 * *@local must hold NULL or an object of the heap, and is read and written
 * only inside mutator sections; register it before the section that first
 * stores an object in it ends.
 *
 * Context: The scope's own thread, inside or outside a mutator section;
 * lock-free, does not sleep.
 *
 * Return: 0; -EINVAL if @local is NULL; -ENOSPC when GMM_SCOPE_SLOTS locals
 * are registered already.
 */
int gmm_scope_add(struct gmm_scope *scope, void **local)
{
	unsigned int n = scope->n;

	if (!local)
		return -EINVAL;
	if (n >= GMM_SCOPE_SLOTS)
		return -ENOSPC;
	scope->slots[n] = local;
	/* gmm_roots_scan() reads n with acquire, then slots[0 .. n - 1]. */
	smp_store_release(&scope->n, n + 1);
	return 0;
}
EXPORT_SYMBOL_GPL(gmm_scope_add);

/**
 * gmm_scope_leave() - end a shadow-stack frame
 * @scope: the scope, entered by the calling thread
 *
 * Its locals are roots no more; when this returns the collector no longer
 * reads them.  Leaving a scope twice draws a warning and does nothing
 * else.
 *
 * Context: The scope's own thread, inside or outside a mutator section;
 * does not sleep, but may spin while a root scan reads the scopes.
 */
void gmm_scope_leave(struct gmm_scope *scope)
{
	struct gmm_roots *r = &scope->heap->roots;

	spin_lock(&r->lock);
	if (!WARN_ON_ONCE(list_empty(&scope->node))) {
		list_del_init(&scope->node);
		r->nr_scopes--;
	}
	spin_unlock(&r->lock);
}
EXPORT_SYMBOL_GPL(gmm_scope_leave);

/* Shade what the root slots hold, under the slots' lock (see the top). */
static void gmm_scan_slots(struct gmm_heap *h,
			   void (*shade)(struct gmm_heap *h, void *obj))
{
	XA_STATE(xas, &h->roots.slots, 0);
	unsigned int n = 0;
	void **slot;
	void *obj;

	xas_lock(&xas);
	xas_for_each(&xas, slot, ULONG_MAX) {
		obj = READ_ONCE(*slot);
		if (obj)
			shade(h, obj);
		if (++n % GMM_ROOTS_BATCH)
			continue;
		xas_pause(&xas);
		xas_unlock(&xas);
		cond_resched();
		xas_lock(&xas);
	}
	xas_unlock(&xas);
}

/* Shade the handles' objects, under RCU (handles are stable: see the top). */
static void gmm_scan_handles(struct gmm_heap *h,
			     void (*shade)(struct gmm_heap *h, void *obj))
{
	XA_STATE(xas, &h->roots.handles, 0);
	unsigned int n = 0;
	void *entry;

	rcu_read_lock();
	xas_for_each(&xas, entry, ULONG_MAX) {
		if (xas_retry(&xas, entry))
			continue;
		shade(h, gmm_handle_decode(entry));
		if (++n % GMM_ROOTS_BATCH)
			continue;
		xas_pause(&xas);
		rcu_read_unlock();
		cond_resched();
		rcu_read_lock();
	}
	rcu_read_unlock();
}

/**
 * gmm_rootvec_add() - register a root vector
 * @h: the heap
 * @v: the vector, its entries NULL or objects of @h
 *
 * Until gmm_rootvec_del() every entry is a root, scanned with the world
 * stopped like a scope's locals.  Does not sleep.
 */
void gmm_rootvec_add(struct gmm_heap *h, struct gmm_rootvec *v)
{
	spin_lock(&h->roots.lock);
	list_add(&v->node, &h->roots.vecs);
	spin_unlock(&h->roots.lock);
}

/**
 * gmm_rootvec_del() - unregister a root vector
 * @h: the heap
 * @v: a registered vector
 *
 * When this returns the collector no longer reads @v.  Does not sleep, but
 * may wait for a root scan in progress.
 */
void gmm_rootvec_del(struct gmm_heap *h, struct gmm_rootvec *v)
{
	spin_lock(&h->roots.lock);
	list_del_init(&v->node);
	spin_unlock(&h->roots.lock);
}

/* Shade what the root vectors hold; roots->lock held. */
static void gmm_scan_vecs(struct gmm_heap *h,
			  void (*shade)(struct gmm_heap *h, void *obj))
{
	struct gmm_rootvec *v;
	unsigned int i;
	void *obj;

	list_for_each_entry(v, &h->roots.vecs, node) {
		for (i = 0; i < v->n; i++) {
			obj = READ_ONCE(v->objs[i]);
			if (obj)
				shade(h, obj);
		}
	}
}

/* Shade what the live scopes' locals and root vectors hold, under roots->lock. */
static void gmm_scan_scopes(struct gmm_heap *h,
			    void (*shade)(struct gmm_heap *h, void *obj))
{
	struct gmm_roots *r = &h->roots;
	struct gmm_scope *scope;
	unsigned int i, n;
	void *obj;

	spin_lock(&r->lock);
	gmm_scan_vecs(h, shade);
	list_for_each_entry(scope, &r->scopes, node) {
		/* Pairs with gmm_scope_add(): slots[0 .. n - 1] are set. */
		n = smp_load_acquire(&scope->n);
		for (i = 0; i < n; i++) {
			obj = READ_ONCE(*scope->slots[i]);
			if (obj)
				shade(h, obj);
		}
	}
	spin_unlock(&r->lock);
}

/**
 * gmm_roots_scan() - hand every root's object to the marker
 * @h: the heap
 * @shade: called once per root reference (an object referenced by several
 *	roots comes several times); it must not sleep and must not call back
 *	into roots.c, since it runs under RCU, the slots' xarray lock or
 *	roots->lock
 *
 * Calls @shade on the non-NULL object of every root slot, every handle and
 * every registered local of every live scope.  Called by the collector
 * with the world stopped, so no root changes under it except by
 * registration outside sections, which the locks make safe.  O(roots), no
 * allocation; reschedules every few thousand entries.  Process context;
 * may sleep (between entries, not in @shade).
 */
void gmm_roots_scan(struct gmm_heap *h,
		    void (*shade)(struct gmm_heap *h, void *obj))
{
	might_sleep();
	gmm_scan_slots(h, shade);
	gmm_scan_handles(h, shade);
	gmm_scan_scopes(h, shade);
}

GMM_EXPORT_FOR_TESTING(gmm_roots_scan);

/**
 * gmm_roots_scan_stw() - the roots scanned with the world stopped
 * @h: the heap; the world is stopped
 * @shade: as for gmm_roots_scan()
 *
 * Root slots and scope locals: their writes carry no barrier, so they
 * are scanned while no mutator runs.
 */
void gmm_roots_scan_stw(struct gmm_heap *h,
			void (*shade)(struct gmm_heap *h, void *obj))
{
	might_sleep();
	if (!GMM_MUTANT(GMM_MUT_SLOTS_UNSCANNED))
		gmm_scan_slots(h, shade);
	if (!GMM_MUTANT(GMM_MUT_SCOPES_UNSCANNED))
		gmm_scan_scopes(h, shade);
}

/**
 * gmm_roots_scan_handles() - scan the handle table while mutators run
 * @h: the heap; the collector is marking
 * @shade: as for gmm_roots_scan()
 *
 * Safe concurrently with the handle functions, whose barrier covers the
 * handles made and released while the walk goes on (see the top of this
 * file).
 */
void gmm_roots_scan_handles(struct gmm_heap *h,
			    void (*shade)(struct gmm_heap *h, void *obj))
{
	might_sleep();
	gmm_scan_handles(h, shade);
}

/* Entries in @xa, rescheduling now and then. */
static unsigned long gmm_xa_count(struct xarray *xa)
{
	XA_STATE(xas, xa, 0);
	unsigned long n = 0;
	void *entry;

	rcu_read_lock();
	xas_for_each(&xas, entry, ULONG_MAX) {
		if (xas_retry(&xas, entry))
			continue;
		if (++n % GMM_ROOTS_BATCH)
			continue;
		xas_pause(&xas);
		rcu_read_unlock();
		cond_resched();
		rcu_read_lock();
	}
	rcu_read_unlock();
	return n;
}

/**
 * gmm_roots_count() - number of registered roots
 * @h: the heap
 *
 * For statistics: root slots + handles + registered locals of live scopes
 * (NULL ones included), a snapshot that may be stale when it returns.
 * O(roots): it walks the tables.  Process context; may sleep.
 *
 * Return: the number of roots.
 */
unsigned long gmm_roots_count(struct gmm_heap *h)
{
	struct gmm_roots *r = &h->roots;
	struct gmm_scope *scope;
	unsigned long n;

	might_sleep();
	n = gmm_xa_count(&r->slots) + gmm_xa_count(&r->handles);
	spin_lock(&r->lock);
	list_for_each_entry(scope, &r->scopes, node)
		n += READ_ONCE(scope->n);
	spin_unlock(&r->lock);
	return n;
}

GMM_EXPORT_FOR_TESTING(gmm_roots_count);
