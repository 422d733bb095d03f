/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gmm - a Go-style garbage-collected memory manager in the kernel.
 *
 * In-kernel API.  A client creates a heap, registers the types of its
 * objects (size, alignment, which words are pointers) and allocates typed
 * objects; memory comes back zeroed; it stores pointers only with
 * gmm_store_ptr() and keeps objects alive through roots (root slots,
 * handles, scopes).  The collector frees what no root reaches.
 *
 * Mutator sections: every read or write of a heap pointer (in an object, a
 * root slot or a scope's local) and every call of gmm_alloc*(),
 * gmm_store_ptr() and the handle functions happens between
 * gmm_mutator_enter() and gmm_mutator_exit().  The collector stops the
 * world only between sections and at gmm_mutator_yield(), so a pointer
 * held in a C local inside a section is safe until the next yield; across
 * sections and yields keep it reachable from a root.  Sections may sleep
 * but delay stop-the-world: call gmm_mutator_yield() in long loops.
 * gmm_gc() and
 * gmm_heap_destroy() must be called outside any section.
 * See Documentation/kernel-api.rst.
 *
 * Every function here runs in process context and may sleep.
 */
#ifndef _LINUX_GMM_H
#define _LINUX_GMM_H

#include <linux/bits.h>
#include <linux/list.h>
#include <linux/types.h>
#include <uapi/linux/gmm.h>

/* A runtime page: the unit spans are made of (Go's _PageShift = 13). */
#define GMM_PAGE_SHIFT		13
#define GMM_PAGE_SIZE		BIT(GMM_PAGE_SHIFT)
/* Objects up to this size come from size classes; larger ones get a span. */
#define GMM_MAX_SMALL_SIZE	32768
/* Size classes including class 0 (large objects). */
#define GMM_NUM_SIZE_CLASSES	68
/* The largest object: one 4 MiB arena (a max-order buddy block). */
#define GMM_MAX_ALLOC_SIZE	(4UL << 20)
/* Heap names, NUL included. */
#define GMM_HEAP_NAME_LEN	32

struct gmm_heap;
struct gmm_type;

/* Slots one scope can register (struct gmm_scope). */
#define GMM_SCOPE_SLOTS		16

/**
 * struct gmm_scope - a shadow-stack frame of local object references
 * @node: link in the heap's scope list (owned by gmm)
 * @heap: the heap
 * @n: registered slots
 * @slots: addresses of the caller's local pointer variables
 *
 * Lives on the caller's stack between gmm_scope_enter() and
 * gmm_scope_leave(); every registered local is a root.
 */
struct gmm_scope {
	struct list_head node;
	struct gmm_heap *heap;
	unsigned int n;
	void **slots[GMM_SCOPE_SLOTS];
};

/* gmm_heap_params.flags */
#define GMM_HEAP_ACCOUNT	BIT(0)	/* charge pages to the caller's memcg */

/**
 * struct gmm_heap_params - how to make a heap
 * @name: shown in debugfs (/sys/kernel/debug/gmm/<name>-<id>/) and stats
 * @limit_bytes: most memory the heap may hold; 0 = the module default
 *	(module parameter heap_limit_mb; 0 there means only the module-wide
 *	limit max_total_mb applies)
 * @gc_percent: GOGC: the heap may grow to live * (1 + gc_percent/100)
 *	before a collection; -1 turns collection off; 0 means 100
 * @flags: GMM_HEAP_*
 */
struct gmm_heap_params {
	const char *name;
	u64 limit_bytes;
	int gc_percent;
	unsigned int flags;
};

/**
 * struct gmm_class_stats - one size class in struct gmm_memstats
 * @size: object size of the class (0 for class 0, large objects)
 * @mallocs: objects allocated
 * @frees: objects freed
 * @spans: spans of the class the heap holds now
 */
struct gmm_class_stats {
	u32 size;
	u64 mallocs;
	u64 frees;
	u64 spans;
};

/**
 * struct gmm_memstats - heap statistics, after Go's runtime.MemStats
 * @heap_alloc: bytes of allocated objects (slot sizes; large: whole spans)
 * @heap_sys: bytes of arenas the heap holds
 * @heap_idle: bytes of arena pages in no span
 * @heap_inuse: bytes of arena pages in spans
 * @heap_released: bytes of @heap_sys returned to the buddy allocator and
 *	not reused (Go's meaning): 64 KiB granules of arenas still in use;
 *	@heap_sys - @heap_released is what the heap holds
 * @heap_objects: objects allocated and not freed (tiny blocks count once)
 * @mallocs: objects allocated, tiny ones included
 * @frees: objects freed, tiny ones included (as in Go)
 * @tiny_allocs: objects placed in tiny blocks
 * @total_alloc: bytes allocated in total
 * @large_objects: live objects bigger than 32 KiB
 * @by_size: per size class; index 0 is large objects
 */
struct gmm_memstats {
	u64 heap_alloc;
	u64 heap_sys;
	u64 heap_idle;
	u64 heap_inuse;
	u64 heap_released;
	u64 heap_objects;
	u64 mallocs;
	u64 frees;
	u64 tiny_allocs;
	u64 total_alloc;
	u64 large_objects;
	struct gmm_class_stats by_size[GMM_NUM_SIZE_CLASSES];
};

struct gmm_heap *gmm_heap_create(const struct gmm_heap_params *params);
void gmm_heap_destroy(struct gmm_heap *heap);
const char *gmm_heap_name(const struct gmm_heap *heap);
void gmm_heap_read_stats(struct gmm_heap *heap, struct gmm_memstats *stats);

const struct gmm_type *gmm_type_register(struct gmm_heap *heap,
					 const char *name, size_t size,
					 size_t align,
					 const unsigned long *ptrmap);

void gmm_mutator_enter(struct gmm_heap *heap);
void gmm_mutator_exit(struct gmm_heap *heap);
void gmm_mutator_yield(struct gmm_heap *heap);

void *gmm_alloc(struct gmm_heap *heap, const struct gmm_type *type);
void *gmm_alloc_array(struct gmm_heap *heap, const struct gmm_type *type,
		      size_t n);
void *gmm_alloc_noscan(struct gmm_heap *heap, size_t size);

void gmm_store_ptr(struct gmm_heap *heap, void *slot, void *value);

int gmm_root_add(struct gmm_heap *heap, void **slot);
void gmm_root_remove(struct gmm_heap *heap, void **slot);
int gmm_handle_get(struct gmm_heap *heap, void *obj, u32 *handle);
void *gmm_handle_obj(struct gmm_heap *heap, u32 handle);
int gmm_handle_put(struct gmm_heap *heap, u32 handle);
void gmm_scope_enter(struct gmm_heap *heap, struct gmm_scope *scope);
int gmm_scope_add(struct gmm_scope *scope, void **local);
void gmm_scope_leave(struct gmm_scope *scope);

int gmm_gc(struct gmm_heap *heap);
int gmm_set_gc_percent(struct gmm_heap *heap, int gc_percent);
void gmm_set_memory_limit(struct gmm_heap *heap, u64 limit_bytes);

#endif /* _LINUX_GMM_H */
