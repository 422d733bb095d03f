// SPDX-License-Identifier: GPL-2.0
/*
 * heap.c - creating and destroying heaps.
 *
 * struct gmm_heap (heap.h) ties a page heap, the central lists, the
 * per-CPU caches, the large objects and the types together.  Heaps are
 * independent: many live side by side (every open file of /dev/gmm, every
 * kernel client), and destroying one returns every page it held.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/idr.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/slab.h>

#include "debugfs.h"
#include "fault.h"
#include "heap.h"
#include "internal.h"
#include "poison.h"

static unsigned long heap_limit_mb;
module_param(heap_limit_mb, ulong, 0644);
MODULE_PARM_DESC(heap_limit_mb,
		 "default memory limit of a heap in MiB (0: only max_total_mb applies)");

/**
 * gmm_heap_default_limit() - the memory limit a heap gets by default
 *
 * Return: module parameter heap_limit_mb in bytes; 0 = none.
 */
u64 gmm_heap_default_limit(void)
{
	return (u64)READ_ONCE(heap_limit_mb) << 20;
}

static DEFINE_IDA(gmm_heap_ida);
static DEFINE_MUTEX(gmm_heaps_lock);
static LIST_HEAD(gmm_heaps);

/*
 * The heap's struct and per-CPU caches, for gmm_heap_create(): checks
 * @params, picks the GFP flags the heap's memory is charged with.
 */
static struct gmm_heap *gmm_heap_alloc(const struct gmm_heap_params *params)
{
	gfp_t gfp = GFP_KERNEL | __GFP_NOWARN;
	struct gmm_heap *h;
	int cpu;

	if (params->flags & ~GMM_HEAP_ACCOUNT || params->gc_percent < -1)
		return ERR_PTR(-EINVAL);
	/* Charged allocations fail when the cgroup is full, rather than
	 * running its OOM killer from inside gmm (memcg.c).
	 */
	if (params->flags & GMM_HEAP_ACCOUNT)
		gfp |= __GFP_ACCOUNT | __GFP_RETRY_MAYFAIL;
	if (gmm_should_fail(GMM_FAIL_HEAP_META))
		return ERR_PTR(-ENOMEM);
	h = kvzalloc(sizeof(*h), gfp);
	if (!h)
		return ERR_PTR(-ENOMEM);
	h->gfp = gfp;
	h->poison = READ_ONCE(gmm_debug_poison);
	strscpy(h->name, params->name ?: "heap", sizeof(h->name));
	if (!gmm_should_fail(GMM_FAIL_HEAP_META))
		h->caches = alloc_percpu_gfp(struct gmm_cache, gfp);
	if (!h->caches) {
		kvfree(h);
		return ERR_PTR(-ENOMEM);
	}
	for_each_possible_cpu(cpu)
		gmm_cache_init(per_cpu_ptr(h->caches, cpu));
	return h;
}

/**
 * gmm_heap_create() - make a heap
 * @params: name, limit, GC percent and flags; see struct gmm_heap_params
 *
 * Context: Process context, outside any mutator section; may sleep.
 *
 * Return: the heap, ERR_PTR(-EINVAL) for bad parameters, or
 * ERR_PTR(-ENOMEM).
 */
struct gmm_heap *gmm_heap_create(const struct gmm_heap_params *params)
{
	struct gmm_heap *h;
	unsigned int spc;
	int ret;

	might_sleep();
	h = gmm_heap_alloc(params);
	if (IS_ERR(h))
		return h;
	ret = gmm_pageheap_init(&h->pages, h->gfp,
				params->limit_bytes ?: gmm_heap_default_limit());
	if (ret)
		goto err_percpu;
	for (spc = 0; spc < GMM_NUM_SPAN_CLASSES; spc++)
		gmm_central_init(&h->central[spc], spc);
	spin_lock_init(&h->large_lock);
	INIT_LIST_HEAD(&h->large);
	mutex_init(&h->types_lock);
	xa_init_flags(&h->types, XA_FLAGS_ALLOC1);

	ret = ida_alloc(&gmm_heap_ida, GFP_KERNEL);
	if (ret < 0)
		goto err_pageheap;
	h->id = ret;
	h->pages.heap_id = h->id;
	ret = gmm_roots_init(h);
	if (ret)
		goto err_ida;
	gmm_weak_init(h);
	gmm_cleanups_init(h);
	ret = gmm_gc_init(h, params->gc_percent ?: 100);
	if (ret)
		goto err_roots;
	/* Last: the CPU-offline callback enters a mutator section, so it
	 * must only ever see a heap whose collector is set up.
	 */
	ret = gmm_cache_hotplug_add(h);
	if (ret)
		goto err_gc;

	mutex_lock(&gmm_heaps_lock);
	list_add_tail(&h->node, &gmm_heaps);
	mutex_unlock(&gmm_heaps_lock);
	gmm_heap_debugfs_init(h);
	return h;

err_gc:
	gmm_gc_destroy(h);
err_roots:
	gmm_weak_destroy(h);
	gmm_cleanups_destroy(h);
	gmm_roots_destroy(h);
err_ida:
	ida_free(&gmm_heap_ida, h->id);
err_pageheap:
	gmm_pageheap_destroy(&h->pages);
err_percpu:
	free_percpu(h->caches);
	kvfree(h);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(gmm_heap_create);

/**
 * gmm_heap_destroy() - free a heap and everything in it
 * @heap: the heap, or NULL / an ERR_PTR (then nothing happens)
 *
 * Stops the heap's collector (even in the middle of a cycle), runs every
 * cleanup still registered or due (gmm_cleanup_add(): the objects die with
 * the heap; the functions must not use it), then frees every object:
 * every page the heap held is back with the buddy allocator.
 * Nobody may use the heap concurrently or afterwards.
 *
 * Context: Process context, outside any mutator section of @heap (lockdep
 * checks it); sleeps.
 */
void gmm_heap_destroy(struct gmm_heap *heap)
{
	struct gmm_span *s, *tmp;
	unsigned int spc;
	int cpu;

	if (IS_ERR_OR_NULL(heap))
		return;
	might_sleep();
	lockdep_assert(gmm_stw_not_held(&heap->gc.stw));
	/* First: once this returns no CPU-offline callback runs on the heap,
	 * so the collector's semaphore can go.
	 */
	gmm_cache_hotplug_remove(heap);
	gmm_gc_destroy(heap);
	/* The collector has stopped: what it found due, then all the rest. */
	gmm_cleanups_destroy(heap);
	gmm_weak_destroy(heap);
	gmm_heap_debugfs_exit(heap);
	mutex_lock(&gmm_heaps_lock);
	list_del(&heap->node);
	mutex_unlock(&gmm_heaps_lock);

	for_each_possible_cpu(cpu)
		gmm_cache_flush(heap, per_cpu_ptr(heap->caches, cpu));
	for (spc = 0; spc < GMM_NUM_SPAN_CLASSES; spc++)
		gmm_central_destroy(heap, &heap->central[spc]);
	list_for_each_entry_safe(s, tmp, &heap->large, list) {
		list_del(&s->list);
		gmm_span_destroy(heap, s);
		cond_resched();
	}
	heap->nr_large = 0;

	gmm_roots_destroy(heap);
	gmm_types_destroy(heap);
	gmm_pageheap_destroy(&heap->pages);
	free_percpu(heap->caches);
	ida_free(&gmm_heap_ida, heap->id);
	kvfree(heap);
}
EXPORT_SYMBOL_GPL(gmm_heap_destroy);

/**
 * gmm_heap_name() - the heap's name
 * @heap: the heap
 *
 * Context: Any context.
 *
 * Return: the name given at creation.
 */
const char *gmm_heap_name(const struct gmm_heap *heap)
{
	return heap->name;
}
EXPORT_SYMBOL_GPL(gmm_heap_name);

/**
 * gmm_heap_id() - the heap's number
 * @heap: the heap
 *
 * Unique among the heaps alive; the number in its debugfs directory's
 * name (/sys/kernel/debug/gmm/<name>-<id>/) and the @heap field of gmm's
 * tracepoints (a "heap == <id>" filter).  Any context.
 *
 * Context: Any context.
 *
 * Return: the id.
 */
unsigned int gmm_heap_id(const struct gmm_heap *heap)
{
	return heap->id;
}
EXPORT_SYMBOL_GPL(gmm_heap_id);

/**
 * gmm_heaps_count() - number of live heaps
 *
 * Return: how many heaps exist now.
 */
unsigned int gmm_heaps_count(void)
{
	struct gmm_heap *h;
	unsigned int n = 0;

	mutex_lock(&gmm_heaps_lock);
	list_for_each_entry(h, &gmm_heaps, node)
		n++;
	mutex_unlock(&gmm_heaps_lock);
	return n;
}
