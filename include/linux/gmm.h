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
 * Each function's kernel-doc states its context (where it may be called,
 * whether it sleeps); Documentation/kernel-api.rst has the table.
 */
#ifndef _LINUX_GMM_H
#define _LINUX_GMM_H

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/list.h>
#include <linux/stddef.h>
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

/*
 * Declaring a type's pointer map: GMM_TYPE(struct foo, field, ...) names
 * the fields of struct foo that hold heap pointers; the map is built from
 * offsetof() at compile time, and the build fails (with a message saying
 * which rule) when a named field is not aligned to a pointer, is not a
 * whole number of pointers (a pointer, or an array of pointers: every
 * element is then a pointer word), or lies beyond the map's
 * GMM_TYPE_MAP_BITS words.  No field: a type without pointers.
 *
 *	struct node { struct node *left; u64 key; struct node *kids[2]; };
 *	static const struct gmm_type_desc node_desc =
 *		GMM_TYPE(struct node, left, kids);
 *	const struct gmm_type *t = gmm_type_register_desc(heap, &node_desc);
 *
 * Up to 16 field names; nested members (a.b) and array elements (kids[1])
 * work as with offsetof().
 */
#define GMM_TYPE_MAP_BITS	BITS_PER_LONG

/**
 * struct gmm_type_desc - a type to register (see GMM_TYPE())
 * @name: for statistics and debugging
 * @size: bytes of one object
 * @align: alignment (0 means 8)
 * @ptrmap: bit i set: word i (of pointer size) holds a heap pointer
 */
struct gmm_type_desc {
	const char *name;
	size_t size;
	size_t align;
	unsigned long ptrmap;
};

/* A compile-time check inside a constant expression, with a message. */
#define GMM__CHECK(cond, msg)						\
	(0 * sizeof(struct { static_assert(cond, msg); int gmm__x; }))
/* The map bits of field __VA_ARGS__ of @type, and its checks. */
#define GMM__BIT(type, ...)						\
	(((2UL << ((sizeof(((type *)0)->__VA_ARGS__) / sizeof(void *) - 1) &	\
		   (BITS_PER_LONG - 1))) - 1) <<				\
	 ((offsetof(type, __VA_ARGS__) / sizeof(void *)) & (BITS_PER_LONG - 1)) | \
	 GMM__CHECK(offsetof(type, __VA_ARGS__) % sizeof(void *) == 0,	\
		    "GMM_TYPE: field " #__VA_ARGS__ " is not aligned to a pointer") | \
	 GMM__CHECK(sizeof(((type *)0)->__VA_ARGS__) &&			\
		    !(sizeof(((type *)0)->__VA_ARGS__) % sizeof(void *)),	\
		    "GMM_TYPE: field " #__VA_ARGS__				\
		    " is not a pointer or an array of pointers") |		\
	 GMM__CHECK(offsetof(type, __VA_ARGS__) +				\
		    sizeof(((type *)0)->__VA_ARGS__) <=				\
		    GMM_TYPE_MAP_BITS * sizeof(void *),				\
		    "GMM_TYPE: field " #__VA_ARGS__				\
		    " lies beyond GMM_TYPE_MAP_BITS words"))
/* The OR of GMM__BIT() over up to 16 fields. */
#define GMM__OR0(...)		0UL
#define GMM__OR1(type, f)	(GMM__BIT(type, f))
#define GMM__OR2(type, f, ...)	(GMM__BIT(type, f) | GMM__OR1(type, __VA_ARGS__))
#define GMM__OR3(type, f, ...)	(GMM__BIT(type, f) | GMM__OR2(type, __VA_ARGS__))
#define GMM__OR4(type, f, ...)	(GMM__BIT(type, f) | GMM__OR3(type, __VA_ARGS__))
#define GMM__OR5(type, f, ...)	(GMM__BIT(type, f) | GMM__OR4(type, __VA_ARGS__))
#define GMM__OR6(type, f, ...)	(GMM__BIT(type, f) | GMM__OR5(type, __VA_ARGS__))
#define GMM__OR7(type, f, ...)	(GMM__BIT(type, f) | GMM__OR6(type, __VA_ARGS__))
#define GMM__OR8(type, f, ...)	(GMM__BIT(type, f) | GMM__OR7(type, __VA_ARGS__))
#define GMM__OR9(type, f, ...)	(GMM__BIT(type, f) | GMM__OR8(type, __VA_ARGS__))
#define GMM__OR10(type, f, ...)	(GMM__BIT(type, f) | GMM__OR9(type, __VA_ARGS__))
#define GMM__OR11(type, f, ...)	(GMM__BIT(type, f) | GMM__OR10(type, __VA_ARGS__))
#define GMM__OR12(type, f, ...)	(GMM__BIT(type, f) | GMM__OR11(type, __VA_ARGS__))
#define GMM__OR13(type, f, ...)	(GMM__BIT(type, f) | GMM__OR12(type, __VA_ARGS__))
#define GMM__OR14(type, f, ...)	(GMM__BIT(type, f) | GMM__OR13(type, __VA_ARGS__))
#define GMM__OR15(type, f, ...)	(GMM__BIT(type, f) | GMM__OR14(type, __VA_ARGS__))
#define GMM__OR16(type, f, ...)	(GMM__BIT(type, f) | GMM__OR15(type, __VA_ARGS__))
#define GMM__NARGS(...)							\
	GMM__NARGS_(_, ##__VA_ARGS__, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, \
		    5, 4, 3, 2, 1, 0)
#define GMM__NARGS_(_0, _1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, \
		    _13, _14, _15, _16, n, ...) n
#define GMM__CAT(a, b)	GMM__CAT_(a, b)
#define GMM__CAT_(a, b)	a##b

/**
 * GMM_TYPE() - initializer of a struct gmm_type_desc for a C struct
 * @type: the struct type, e.g. struct foo
 * @...: the fields holding heap pointers (pointers or arrays of them)
 */
#define GMM_TYPE(type, ...) {						\
	.name = #type, .size = sizeof(type), .align = __alignof__(type),	\
	.ptrmap = GMM__CAT(GMM__OR, GMM__NARGS(__VA_ARGS__))(type, ##__VA_ARGS__) }

/* Stop-the-world pauses a heap keeps (two per cycle) and cycle records. */
#define GMM_NUM_PAUSES		256
#define GMM_NUM_CYCLES		32
/* Heaps at mark termination over their goal, per mille: bucket edges. */
#define GMM_GOAL_BUCKETS	6	/* <=1000 <=1050 <=1100 <=1200 <=1500 more */

/**
 * struct gmm_gcstats - the collector's statistics, after Go's MemStats
 * @num_gc: completed cycles (NumGC)
 * @num_forced_gc: of which asked for by gmm_gc() (NumForcedGC)
 * @pause_total_ns: all stop-the-world pauses (PauseTotalNs)
 * @num_pauses: pauses so far, two per cycle
 * @pause_ns: the last GMM_NUM_PAUSES pauses, a ring: pause i (from 0) at
 *	[i % GMM_NUM_PAUSES], the latest at [(@num_pauses - 1) %
 *	GMM_NUM_PAUSES] (Go's PauseNs holds one sum per cycle; gmm keeps
 *	each pause, counted from the decision to stop to the restart)
 * @pause_max_ns: the longest pause
 * @stop_latency_max_ns: the longest wait for the world to stop (part of
 *	its pause)
 * @last_gc_ns: when the last cycle ended, ns since the epoch (LastGC)
 * @next_gc: the heap goal of the next cycle (NextGC)
 * @trigger: heap_live at which the next cycle starts
 * @heap_live: the pacer's live-heap figure (Go's heapLive)
 * @heap_marked: bytes the last cycle marked
 * @gc_cpu_ns: the collector's CPU time (workers, assists, pauses)
 * @gc_cpu_fraction_ppm: @gc_cpu_ns over the heap's lifetime times the
 *	online CPUs, in parts per million (GCCPUFraction x 1e6)
 * @assists: mutator assists
 * @gc_percent: GOGC in force (-1: off)
 * @goal_hist: unforced cycles by heap at mark termination over the goal
 *	(GMM_GOAL_BUCKETS buckets)
 */
struct gmm_gcstats {
	u64 num_gc;
	u64 num_forced_gc;
	u64 pause_total_ns;
	u64 num_pauses;
	u64 pause_ns[GMM_NUM_PAUSES];
	u64 pause_max_ns;
	u64 stop_latency_max_ns;
	u64 last_gc_ns;
	u64 next_gc;
	u64 trigger;
	u64 heap_live;
	u64 heap_marked;
	u64 gc_cpu_ns;
	u64 gc_cpu_fraction_ppm;
	u64 assists;
	int gc_percent;
	u64 goal_hist[GMM_GOAL_BUCKETS];
};

/**
 * struct gmm_heap_sample - a cheap reading for periodic sampling
 * @heap_alloc: bytes of allocated objects (HeapAlloc)
 * @heap_inuse: bytes of arena pages in spans (HeapInuse)
 * @heap_sys: bytes of arenas held (HeapSys)
 * @heap_live: the pacer's live-heap figure
 * @next_gc: the heap goal (NextGC)
 * @num_gc: completed cycles (NumGC)
 */
struct gmm_heap_sample {
	u64 heap_alloc;
	u64 heap_inuse;
	u64 heap_sys;
	u64 heap_live;
	u64 next_gc;
	u64 num_gc;
};

/**
 * struct gmm_cycle_trace - what one cycle did (one gctrace line)
 * @num: cycle number, from 1
 * @start_ns: ktime of sweep termination start
 * @since_start_ns: @start_ns - the heap's creation time
 * @stw1_ns: sweep termination pause (wall clock)
 * @mark_ns: concurrent mark (wall clock)
 * @stw2_ns: mark termination pause
 * @heap0: heap_live at the start
 * @heap1: heap_live at mark termination
 * @heap2: marked (live) bytes
 * @goal: heap goal of this cycle
 * @assist_bytes: bytes scanned by mutator assists
 * @bg_bytes: bytes scanned by the mark workers and mark termination
 * @root_ns: time scanning roots
 * @assist_ns: mutator time spent assisting
 * @bg_ns: mark workers' time (dedicated and fractional) on this heap
 * @idle_ns: idle-priority mark workers' time on this heap
 * @scanned: bytes scanned by the concurrent mark and mark termination
 * @term_bytes: of which by mark termination (0 when the concurrent mark
 *	ended with no grey object left and no barrier shaded one since)
 * @arm_wait_ns: how long the first stop waited for arming (stw.c)
 * @forced: started by gmm_gc() rather than the pacer
 * @checkmark_failures: reachable objects the concurrent mark missed
 * @cpu_pct: the collector's share of CPU time since the heap was made,
 *	at the end of this cycle (gctrace's P%)
 * @ncpus: online CPUs at the end of this cycle
 */
struct gmm_cycle_trace {
	u64 num;
	u64 start_ns;
	u64 since_start_ns;
	u64 stw1_ns;
	u64 mark_ns;
	u64 stw2_ns;
	u64 heap0;
	u64 heap1;
	u64 heap2;
	u64 goal;
	u64 assist_bytes;
	u64 bg_bytes;
	u64 root_ns;
	u64 assist_ns;
	u64 bg_ns;
	u64 idle_ns;
	u64 scanned;
	u64 term_bytes;
	u64 arm_wait_ns;
	bool forced;
	u64 checkmark_failures;
	unsigned int cpu_pct;
	unsigned int ncpus;
};

struct gmm_heap *gmm_heap_create(const struct gmm_heap_params *params);
void gmm_heap_destroy(struct gmm_heap *heap);
const char *gmm_heap_name(const struct gmm_heap *heap);
void gmm_heap_read_stats(struct gmm_heap *heap, struct gmm_memstats *stats);
unsigned int gmm_heap_id(const struct gmm_heap *heap);
void gmm_heap_read_gcstats(struct gmm_heap *heap, struct gmm_gcstats *stats);
unsigned int gmm_heap_read_cycles(struct gmm_heap *heap,
				  struct gmm_cycle_trace *out, unsigned int n);
void gmm_heap_read_sample(struct gmm_heap *heap,
			  struct gmm_heap_sample *sample);

const struct gmm_type *gmm_type_register(struct gmm_heap *heap,
					 const char *name, size_t size,
					 size_t align,
					 const unsigned long *ptrmap);
const struct gmm_type *gmm_type_register_desc(struct gmm_heap *heap,
					      const struct gmm_type_desc *desc);

void gmm_mutator_enter(struct gmm_heap *heap);
void gmm_mutator_exit(struct gmm_heap *heap);
void gmm_mutator_yield(struct gmm_heap *heap);
bool gmm_mutator_stop_pending(struct gmm_heap *heap);

void *gmm_alloc(struct gmm_heap *heap, const struct gmm_type *type);
void *gmm_alloc_array(struct gmm_heap *heap, const struct gmm_type *type,
		      size_t n);
void *gmm_alloc_noscan(struct gmm_heap *heap, size_t size);
void *gmm_alloc_nowait(struct gmm_heap *heap, const struct gmm_type *type);

void gmm_store_ptr(struct gmm_heap *heap, void *slot, void *value);

int gmm_root_add(struct gmm_heap *heap, void **slot);
void gmm_root_remove(struct gmm_heap *heap, void **slot);
int gmm_handle_get(struct gmm_heap *heap, void *obj, u32 *handle);
void *gmm_handle_obj(struct gmm_heap *heap, u32 handle);
int gmm_handle_put(struct gmm_heap *heap, u32 handle);
void gmm_scope_enter(struct gmm_heap *heap, struct gmm_scope *scope);
int gmm_scope_add(struct gmm_scope *scope, void **local);
void gmm_scope_leave(struct gmm_scope *scope);

int gmm_weak_get(struct gmm_heap *heap, void *obj, u32 *weak);
void *gmm_weak_obj(struct gmm_heap *heap, u32 weak);
int gmm_weak_put(struct gmm_heap *heap, u32 weak);
int gmm_cleanup_add(struct gmm_heap *heap, void *obj, void (*fn)(void *arg),
		    void *arg, u32 *id);
int gmm_cleanup_cancel(struct gmm_heap *heap, u32 id, void **arg);

int gmm_gc(struct gmm_heap *heap);
int gmm_set_gc_percent(struct gmm_heap *heap, int gc_percent);
void gmm_set_memory_limit(struct gmm_heap *heap, u64 limit_bytes);

#endif /* _LINUX_GMM_H */
