// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_sample_cache.c - a small kernel client of gmm, the starting point
 * of Documentation/kernel-api.rst: an object cache on a garbage-collected
 * heap, written against <linux/gmm.h> alone.
 *
 * Entries (struct sc_entry) are kept on an LRU list whose ends are root
 * slots; the list holds at most `capacity` of them, and an entry pushed
 * off its tail is no longer kept by anything.  Lookups go through an
 * index of weak handles (a kcalloc'd array, no root): an evicted entry can
 * still be found - and is put back at the head - until the collector
 * takes it, after which its weak handle reads NULL.  Every entry stands
 * for a resource outside the heap (struct sc_backing, kmalloc'd, counted);
 * a cleanup frees it once the collector has freed the entry.
 *
 * What it shows:
 *  - types from GMM_TYPE(), values as pointer-free objects;
 *  - root slots (the list's ends), pointer stores with gmm_store_ptr();
 *  - a spinlock around the list inside a mutator section, with
 *    gmm_alloc_nowait() under it and gmm_alloc() outside it as fallback;
 *  - a scope local to walk the list across gmm_mutator_yield();
 *  - weak handles for the index, cleanups for the outside resource;
 *  - gmm_heap_read_sample() for cheap statistics.
 *
 * Loading the module runs a check: insert 4 x capacity keys, look them all
 * up, collect, look up again, wait for the cleanups, then print one
 * "result:" line; unloading destroys the heap (running the last cleanups)
 * and prints "exit:" with the count of resources freed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/hash.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/wait.h>

#include <linux/gmm.h>

static uint capacity = 256;
module_param(capacity, uint, 0444);
MODULE_PARM_DESC(capacity, "entries the LRU list keeps (16-65536)");

#define SC_INDEX_BITS	14		/* the weak index: 16384 slots */
#define SC_VALUE_LEN	40

struct sc_entry {
	struct sc_entry *next;		/* towards the tail (older) */
	struct sc_entry *prev;		/* towards the head (newer) */
	u8 *value;			/* SC_VALUE_LEN pointer-free bytes */
	u64 key;
	u32 weak;			/* this entry's weak handle */
	bool on_list;
};

/* Something outside the heap an entry stands for. */
struct sc_backing {
	u64 key;
};

static const struct gmm_type_desc sc_entry_desc =
	GMM_TYPE(struct sc_entry, next, prev, value);

static struct gmm_heap *sc_heap;
static const struct gmm_type *sc_entry_t;
static struct sc_entry *sc_head, *sc_tail;	/* root slots */
static unsigned int sc_len;
static DEFINE_SPINLOCK(sc_lock);		/* the list and the index */
static u32 *sc_index;				/* key hash -> weak handle */
static atomic_t sc_backings = ATOMIC_INIT(0);	/* allocated, not freed */
static atomic_t sc_freed = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(sc_wait);

/* The cleanup: the entry is gone, so is what it stood for. */
static void sc_entry_gone(void *arg)
{
	kfree(arg);
	atomic_dec(&sc_backings);
	atomic_inc(&sc_freed);
	wake_up(&sc_wait);
}

static void sc_value_fill(u8 *v, u64 key)
{
	unsigned int i;

	for (i = 0; i < SC_VALUE_LEN; i++)
		v[i] = (u8)(key * 31 + i);
}

/* Unlink @e; sc_lock held, inside a section. */
static void sc_unlink(struct sc_entry *e)
{
	gmm_store_ptr(sc_heap, e->prev ? (void *)&e->prev->next : &sc_head,
		      e->next);
	gmm_store_ptr(sc_heap, e->next ? (void *)&e->next->prev : &sc_tail,
		      e->prev);
	gmm_store_ptr(sc_heap, &e->next, NULL);
	gmm_store_ptr(sc_heap, &e->prev, NULL);
	e->on_list = false;
	sc_len--;
}

/* Put @e at the head, evicting the tail beyond capacity; sc_lock held. */
static void sc_push(struct sc_entry *e)
{
	if (e->on_list)
		sc_unlink(e);
	gmm_store_ptr(sc_heap, &e->next, sc_head);
	if (sc_head)
		gmm_store_ptr(sc_heap, &sc_head->prev, e);
	else
		gmm_store_ptr(sc_heap, &sc_tail, e);
	gmm_store_ptr(sc_heap, &sc_head, e);
	e->on_list = true;
	if (++sc_len > capacity)
		sc_unlink(sc_tail);	/* now only the weak index has it */
}

/* The entry of @key through the index, or NULL; sc_lock held. */
static struct sc_entry *sc_find(u64 key)
{
	u32 w = READ_ONCE(sc_index[hash_64(key, SC_INDEX_BITS)]);
	struct sc_entry *e = w ? gmm_weak_obj(sc_heap, w) : NULL;

	return e && e->key == key ? e : NULL;
}

/* A new entry for @key, not yet on the list; inside a section. */
static struct sc_entry *sc_new_entry(u64 key)
{
	struct sc_backing *b;
	struct sc_entry *e;
	u8 *v;

	spin_lock(&sc_lock);
	e = gmm_alloc_nowait(sc_heap, sc_entry_t);	/* under the lock */
	spin_unlock(&sc_lock);
	if (!e)
		e = gmm_alloc(sc_heap, sc_entry_t);	/* may sleep */
	v = gmm_alloc_noscan(sc_heap, SC_VALUE_LEN);	/* e is a C local: */
	b = kmalloc(sizeof(*b), GFP_KERNEL);		/* same section */
	if (!e || !v || !b) {
		kfree(b);
		return NULL;
	}
	sc_value_fill(v, key);
	gmm_store_ptr(sc_heap, &e->value, v);
	e->key = key;
	b->key = key;
	if (gmm_weak_get(sc_heap, e, &e->weak) ||
	    gmm_cleanup_add(sc_heap, e, sc_entry_gone, b, &(u32){ 0 })) {
		kfree(b);
		return NULL;
	}
	atomic_inc(&sc_backings);
	return e;
}

/* Insert or refresh @key. */
static int sc_insert(u64 key)
{
	struct sc_entry *e;
	u32 old = 0;
	int ret = 0;

	gmm_mutator_enter(sc_heap);
	e = sc_new_entry(key);
	if (e) {
		spin_lock(&sc_lock);
		old = xchg(&sc_index[hash_64(key, SC_INDEX_BITS)], e->weak);
		sc_push(e);
		spin_unlock(&sc_lock);
		if (old)
			gmm_weak_put(sc_heap, old);
	} else {
		ret = -ENOMEM;
	}
	gmm_mutator_exit(sc_heap);
	return ret;
}

/* Look @key up; on a hit check its value and move it to the head. */
static int sc_lookup(u64 key)
{
	struct sc_entry *e;
	u8 want[SC_VALUE_LEN];
	int ret = 0;

	sc_value_fill(want, key);
	gmm_mutator_enter(sc_heap);
	spin_lock(&sc_lock);
	e = sc_find(key);
	if (e && memcmp(e->value, want, SC_VALUE_LEN))
		ret = -EBADMSG;
	else if (e)
		sc_push(e);
	else
		ret = -ENOENT;
	spin_unlock(&sc_lock);
	gmm_mutator_exit(sc_heap);
	return ret;
}

/*
 * Walk the list from the head, yielding now and then: the cursor is a
 * scope local, so the collector may run at every yield.
 */
static unsigned int sc_walk(void)
{
	struct sc_entry *cur = NULL;
	struct gmm_scope scope;
	unsigned int n = 0;

	gmm_scope_enter(sc_heap, &scope);
	gmm_scope_add(&scope, (void **)&cur);
	gmm_mutator_enter(sc_heap);
	for (cur = READ_ONCE(sc_head); cur; cur = READ_ONCE(cur->next)) {
		n++;
		if (!(n % 32))
			gmm_mutator_yield(sc_heap);
	}
	gmm_mutator_exit(sc_heap);
	gmm_scope_leave(&scope);
	return n;
}

static int sc_check(void)
{
	unsigned int n = 4 * capacity, i, hits = 0, after = 0, walked;
	struct gmm_heap_sample s;
	u64 key;
	int ret;

	for (key = 0; key < n; key++) {
		ret = sc_insert(key);
		if (ret)
			return ret;
	}
	for (key = 0; key < n; key++) {
		ret = sc_lookup(n - 1 - key);	/* newest first */
		if (ret == -EBADMSG || (ret && key < capacity))
			return -EBADMSG;	/* a kept entry lost or wrong */
		hits += !ret;
	}
	walked = sc_walk();
	for (i = 0; i < 2; i++)
		gmm_gc(sc_heap);
	/* The list holds `capacity`; the rest was collected. */
	for (key = 0; key < n; key++)
		after += !sc_lookup(key);
	if (!wait_event_timeout(sc_wait, atomic_read(&sc_backings) <= capacity,
				60 * HZ))
		return -ETIMEDOUT;
	gmm_heap_read_sample(sc_heap, &s);
	pr_info("result: %s keys=%u capacity=%u hits=%u walked=%u hits_after_gc=%u backings_live=%d freed_by_cleanups=%d heap_alloc=%llu num_gc=%llu\n",
		walked == capacity && after == capacity ? "ok" : "FAILED", n,
		capacity, hits, walked, after, atomic_read(&sc_backings),
		atomic_read(&sc_freed), s.heap_alloc, s.num_gc);
	return walked == capacity && after == capacity ? 0 : -EBADMSG;
}

static int __init sc_init(void)
{
	struct gmm_heap_params p = { .name = "sample_cache" };
	int ret;

	if (capacity < 16 || capacity > 65536)
		return -EINVAL;
	sc_index = kcalloc(1 << SC_INDEX_BITS, sizeof(*sc_index), GFP_KERNEL);
	if (!sc_index)
		return -ENOMEM;
	sc_heap = gmm_heap_create(&p);
	ret = PTR_ERR_OR_ZERO(sc_heap);
	if (!ret) {
		sc_entry_t = gmm_type_register_desc(sc_heap, &sc_entry_desc);
		ret = PTR_ERR_OR_ZERO(sc_entry_t);
	}
	if (!ret)
		ret = gmm_root_add(sc_heap, (void **)&sc_head);
	if (!ret)
		ret = gmm_root_add(sc_heap, (void **)&sc_tail);
	if (!ret)
		ret = sc_check();
	if (ret) {
		pr_info("result: FAILED (%d)\n", ret);
		if (!IS_ERR(sc_heap))
			gmm_heap_destroy(sc_heap);
		kfree(sc_index);
	}
	return ret;
}

static void __exit sc_exit(void)
{
	/* Root slots need no removal when the heap goes with them. */
	gmm_heap_destroy(sc_heap);	/* runs every cleanup left */
	pr_info("exit: %s backings_live=%d freed_by_cleanups=%d\n",
		atomic_read(&sc_backings) ? "FAILED" : "ok",
		atomic_read(&sc_backings), atomic_read(&sc_freed));
	kfree(sc_index);
}

module_init(sc_init);
module_exit(sc_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("gmm sample client: an LRU cache with weak index and cleanups");
