// SPDX-License-Identifier: GPL-2.0
/*
 * cache.c - per-CPU caches (Go's mcache): setup, refill, flush, hotplug.
 *
 * Each heap has one struct gmm_cache per CPU holding the span it currently
 * allocates from for every span class, the tiny block and the CPU's
 * statistics.  Only the owning CPU touches its cache, inside a local_lock
 * section (preemption off on !PREEMPT_RT; lockdep sees it), so the fast
 * path in malloc.c takes no lock and does no atomic read-modify-write.
 *
 * When the current span of a class is full, gmm_cache_refill() swaps it
 * for a span from the central list.  It has to leave the per-CPU section to
 * do so (the central list may have to get pages, which sleeps), so by the
 * time it comes back the task may run on another CPU, or another task may
 * have refilled the slot: then the spare span goes straight back.
 *
 * A CPU going offline gives its spans back (CPU hotplug teardown callback,
 * run on that CPU), and heap destruction flushes every CPU's cache.
 */
#include <linux/cpuhotplug.h>
#include <linux/local_lock.h>
#include <linux/percpu.h>

#include "heap.h"
#include "internal.h"

static enum cpuhp_state gmm_cache_cpuhp_state;

/**
 * gmm_cache_init() - set up an empty per-CPU cache
 * @c: the cache
 */
void gmm_cache_init(struct gmm_cache *c)
{
	memset(c, 0, sizeof(*c));
	local_lock_init(&c->lock);
}

/*
 * Refill this CPU's span of @spc; @nowait: only from swept spans the
 * central list has, without sleeping or assisting (gmm_alloc_nowait()).
 */
static int __gmm_cache_refill(struct gmm_heap *h, unsigned int spc,
			      bool nowait)
{
	struct gmm_central *central = &h->central[spc];
	struct gmm_span *full = NULL, *fresh;
	struct gmm_cache *c;
	u64 free_bytes;

	/* Detach the full span, if the slot still holds one. */
	local_lock(&h->caches->lock);
	c = this_cpu_ptr(h->caches);
	if (c->alloc[spc] && c->alloc[spc]->freeindex >= c->alloc[spc]->nelems) {
		/* The slot search says full: trust it, not the counter (a
		 * mismatch would otherwise make the caller retry forever).
		 */
		full = c->alloc[spc];
		WARN_ON_ONCE(full->alloc_count != full->nelems);
		c->alloc[spc] = NULL;
	} else if (c->alloc[spc]) {
		/* Another task on this CPU refilled it meanwhile. */
		local_unlock(&h->caches->lock);
		return 0;
	}
	local_unlock(&h->caches->lock);
	if (full)
		gmm_central_uncache_span(h, central, full);

	fresh = nowait ? gmm_central_cache_span_nowait(h, central) :
			 gmm_central_cache_span(h, central);
	if (!fresh)
		return -ENOMEM;

	free_bytes = (u64)(fresh->nelems - fresh->alloc_count) * fresh->elemsize;
	local_lock(&h->caches->lock);
	c = this_cpu_ptr(h->caches);
	if (!c->alloc[spc]) {
		c->alloc[spc] = fresh;
		c->stats.refills++;
		fresh = NULL;
	}
	local_unlock(&h->caches->lock);
	if (fresh)
		gmm_central_uncache_span(h, central, fresh);
	else if (nowait)
		gmm_pacer_note_alloc_nowait(h, free_bytes);
	else
		gmm_pacer_note_alloc(h, free_bytes);
	return 0;
}

/**
 * gmm_cache_refill() - give the cache of this CPU a non-full span
 * @h: the heap
 * @spc: span class
 *
 * Called with no lock held, after the fast path found the current span of
 * @spc full or missing.  May sleep.
 *
 * Return: 0, or -ENOMEM when the central list could not get a span.
 */
int gmm_cache_refill(struct gmm_heap *h, unsigned int spc)
{
	return __gmm_cache_refill(h, spc, false);
}

/**
 * gmm_cache_refill_nowait() - gmm_cache_refill() without sleeping
 * @h: the heap
 * @spc: span class
 *
 * Takes only a swept span with free slots the central list has; never
 * sweeps, grows the heap or assists.  Any context that may take a
 * spinlock.
 *
 * Return: 0, or -ENOMEM when there is none.
 */
int gmm_cache_refill_nowait(struct gmm_heap *h, unsigned int spc)
{
	return __gmm_cache_refill(h, spc, true);
}

/**
 * gmm_cache_flush() - give every span of a cache back to the central lists
 * @h: the heap
 * @c: a cache nobody allocates from any more (heap destruction)
 */
void gmm_cache_flush(struct gmm_heap *h, struct gmm_cache *c)
{
	unsigned int spc;

	for (spc = 0; spc < GMM_NUM_SPAN_CLASSES; spc++) {
		if (c->alloc[spc])
			gmm_central_uncache_span(h, &h->central[spc], c->alloc[spc]);
		c->alloc[spc] = NULL;
	}
	c->tiny = 0;
	c->tiny_offset = 0;
}

GMM_EXPORT_FOR_TESTING(gmm_cache_flush);

/**
 * gmm_cache_reset_tiny() - drop every CPU's tiny block
 * @h: the heap; the world is stopped (first pause of a cycle)
 *
 * The next tiny allocation on each CPU then takes a new block, which is
 * allocated black while the collector marks; carving objects out of a
 * block taken before the cycle would leave them white.
 */
void gmm_cache_reset_tiny(struct gmm_heap *h)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		per_cpu_ptr(h->caches, cpu)->tiny = 0;
		per_cpu_ptr(h->caches, cpu)->tiny_offset = 0;
	}
}

/*
 * CPU hotplug teardown: runs in the hotplug thread on the CPU going
 * offline (so this_cpu_ptr() is that CPU's cache), may sleep.  Spans are
 * detached one class at a time inside the per-CPU section and handed back
 * outside it, all inside a mutator section so that a cycle's cache flush
 * and sweepgen bump cannot fall between detaching and handing back.
 */
static int gmm_cache_cpu_offline(unsigned int cpu, struct hlist_node *node)
{
	struct gmm_heap *h = hlist_entry(node, struct gmm_heap, cpuhp_node);
	struct gmm_cache *c;
	struct gmm_span *s;
	unsigned int spc;

	gmm_mutator_enter(h);
	for (spc = 0; spc < GMM_NUM_SPAN_CLASSES; spc++) {
		local_lock(&h->caches->lock);
		c = this_cpu_ptr(h->caches);
		WARN_ON_ONCE(c != per_cpu_ptr(h->caches, cpu));
		s = c->alloc[spc];
		c->alloc[spc] = NULL;
		if (spc == GMM_TINY_SPANCLASS) {
			c->tiny = 0;
			c->tiny_offset = 0;
		}
		local_unlock(&h->caches->lock);
		if (s)
			gmm_central_uncache_span(h, &h->central[spc], s);
	}
	gmm_mutator_exit(h);
	return 0;
}

/**
 * gmm_cache_hotplug_add() - start following CPU hotplug for a heap
 * @h: the heap
 *
 * Return: 0 or a negative errno.
 */
int gmm_cache_hotplug_add(struct gmm_heap *h)
{
	return cpuhp_state_add_instance_nocalls(gmm_cache_cpuhp_state,
						&h->cpuhp_node);
}

/**
 * gmm_cache_hotplug_remove() - stop following CPU hotplug for a heap
 * @h: the heap
 */
void gmm_cache_hotplug_remove(struct gmm_heap *h)
{
	cpuhp_state_remove_instance_nocalls(gmm_cache_cpuhp_state,
					    &h->cpuhp_node);
}

/**
 * gmm_cache_module_init() - register the CPU hotplug callback
 *
 * Return: 0 or a negative errno.
 */
int gmm_cache_module_init(void)
{
	int ret;

	ret = cpuhp_setup_state_multi(CPUHP_AP_ONLINE_DYN, "gmm/cache:online",
				      NULL, gmm_cache_cpu_offline);
	if (ret < 0)
		return ret;
	gmm_cache_cpuhp_state = ret;
	return 0;
}

/**
 * gmm_cache_module_exit() - unregister the CPU hotplug callback
 */
void gmm_cache_module_exit(void)
{
	cpuhp_remove_multi_state(gmm_cache_cpuhp_state);
}
