/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * gmm - a Go-style garbage-collected memory manager in the kernel.
 *
 * User-space ABI of /dev/gmm.  Every open file of /dev/gmm owns one private
 * heap; closing the file (its last reference) destroys the heap and gives
 * every page back.  Objects are named by handles: numbers in the file's own
 * table, never kernel addresses.  A handle keeps its object alive (it is a
 * root) until it is released; handle numbers are handed out cyclically, so
 * a released handle stays invalid (-ENOENT) until 2^31 - 1 more handles
 * have been issued.
 *
 * Rules every command follows (see Documentation/userspace-api.rst):
 *  - one ioctl magic (GMM_IOC_MAGIC), _IOWR commands, __u32/__u64 fields
 *    only, explicit padding;
 *  - flag bits the kernel does not know and non-zero reserved or padding
 *    fields are rejected with -EINVAL; unknown commands get -ENOTTY;
 *    fields documented as "out" only are ignored on input;
 *  - structs may grow at their end.  The kernel takes the caller's struct
 *    size from the command number (_IOC_SIZE): a shorter struct than the
 *    first published version is -EINVAL, a longer one is accepted when the
 *    bytes the kernel does not know are zero (-E2BIG otherwise), and only
 *    min(caller size, kernel size) bytes are copied back.  Arrays of structs
 *    (batch operations, snapshots) carry their element size in the header
 *    and follow the same rule per element; an element size over
 *    GMM_ELEM_SIZE_MAX is -EINVAL.
 *  - user pointers are __u64 fields; a bad pointer is -EFAULT.
 *  - a call that fails changes nothing (a batch keeps what the operations
 *    before the failing one did).  A command writes the caller's struct
 *    back as it read it before it changes anything, so a struct that
 *    cannot take the answer is -EFAULT with nothing made; should it stop
 *    being writable while the command runs, a handle made for the answer
 *    is released again (a type, which cannot be unregistered, stays).
 *
 * An object as user space sees it: its slot.  Its size (GMM_OP_INFO) is
 * the size class it was rounded up to, or whole runtime pages for objects
 * over 32 KiB.  A typed object's pointer words are those of its type,
 * repeated for every whole element that fits in the slot; they can only
 * be written with GMM_OP_STORE (through the write barrier) and read with
 * GMM_OP_LOAD (as a new handle).  GMM_OP_READ returns zero bytes for them
 * and GMM_OP_WRITE leaves them unchanged: no pointer is ever forged from
 * user space or shown to it.
 */
#ifndef _UAPI_LINUX_GMM_H
#define _UAPI_LINUX_GMM_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define GMM_IOC_MAGIC		0xB8

/* ABI version reported by GMM_IOC_VERSION. */
#define GMM_ABI_MAJOR		1
#define GMM_ABI_MINOR		4

/* Feature bits reported in gmm_version.features. */
#define GMM_FEATURE_VERSION	(1ULL << 0)	/* GMM_IOC_VERSION */
#define GMM_FEATURE_HEAP	(1ULL << 1)	/* a heap per open file, ops */
#define GMM_FEATURE_BATCH	(1ULL << 2)	/* GMM_IOC_BATCH */
#define GMM_FEATURE_SNAPSHOT	(1ULL << 3)	/* GMM_IOC_SPANS, GMM_IOC_CYCLES */
#define GMM_FEATURE_BATCH_LINK	(1ULL << 4)	/* gmm_op.flags GMM_OP_*_LINK, TEMP */
#define GMM_FEATURE_WEAK	(1ULL << 5)	/* GMM_OP_WEAK, _WEAK_LOAD, _RELEASE */
#define GMM_FEATURE_OBJECTS	(1ULL << 6)	/* GMM_IOC_OBJECTS */
#define GMM_FEATURE_STEP	(1ULL << 7)	/* GMM_IOC_STEP */
#define GMM_FEATURE_CLEANUP	(1ULL << 8)	/* GMM_OP_CLEANUP, read(), poll() */
#define GMM_FEATURE_OP_IMM	(1ULL << 9)	/* gmm_op.flags GMM_OP_IMM */
#define GMM_FEATURE_OP_INTO	(1ULL << 10)	/* gmm_op.flags GMM_OP_INTO */

/* Limits. */
#define GMM_UAPI_MAX_OBJECT	(4U << 20)	/* largest object, bytes */
#define GMM_UAPI_TYPE_NAME_LEN	32
#define GMM_BATCH_MAX		4096		/* operations per batch */
#define GMM_ELEM_SIZE_MAX	4096		/* bytes per array element */

/**
 * struct gmm_version - argument of GMM_IOC_VERSION
 * @flags:	in: must be 0
 * @abi_major:	out: incompatible ABI changes bump this
 * @abi_minor:	out: compatible additions bump this
 * @features:	out: GMM_FEATURE_* bits this module implements
 * @page_size:	out: size of a runtime page in bytes (8192)
 * @max_small_size: out: largest object served from size classes (32768)
 * @num_size_classes: out: number of size classes including class 0 (68)
 * @module_version: out: NUL-terminated module version string
 */
struct gmm_version {
	__u32 flags;
	__u32 abi_major;
	__u32 abi_minor;
	__u32 page_size;
	__u64 features;
	__u32 max_small_size;
	__u32 num_size_classes;
	char module_version[32];
};

/* gmm_params.flags: what to change; with no flag the call only reads. */
#define GMM_PARAMS_SET_GC_PERCENT	(1U << 0)
#define GMM_PARAMS_SET_MEMORY_LIMIT	(1U << 1)

/**
 * struct gmm_params - argument of GMM_IOC_PARAMS: read and set parameters
 * @flags:	in: GMM_PARAMS_SET_* bits
 * @gc_percent:	in/out: GOGC; -1 turns collection off; otherwise 1..10000
 *	(0 is rejected: Go's GOGC=0 collects continuously, gmm has no use
 *	for that); out: the value in force
 * @memory_limit: in/out: the heap's memory limit in bytes: hard for its
 *	pages (allocation fails with -ENOMEM beyond it), soft for the pacer
 *	(the goal stays under 95 % of it, like GOMEMLIMIT); 0 on input means
 *	the module default (parameter heap_limit_mb); out: the limit in
 *	force, 0 = none but the module-wide one
 * @total_limit: out: the module-wide limit on all heaps in bytes (module
 *	parameter max_total_mb); 0 = none
 * @reserved:	must be 0
 */
struct gmm_params {
	__u32 flags;
	__s32 gc_percent;
	__u64 memory_limit;
	__u64 total_limit;
	__u64 reserved[2];
};

/**
 * struct gmm_type_create - argument of GMM_IOC_TYPE_CREATE
 * @flags:	in: must be 0
 * @id:		out: the new type's id (1..65535), used by GMM_OP_ALLOC
 * @size:	in: bytes of one element, 1..GMM_UAPI_MAX_OBJECT
 * @align:	in: alignment, a power of two up to 8192; 0 means 8
 * @ptr_offsets: in: user pointer to @nr_ptrs __u32 byte offsets of the
 *	pointer words: each a multiple of 8, each word inside @size, no
 *	offset twice.  0 with @nr_ptrs 0 for a type without pointers.
 * @nr_ptrs:	in: number of offsets, at most @size / 8
 * @reserved:	must be 0
 * @name:	in: NUL-terminated name for statistics (may be empty)
 */
struct gmm_type_create {
	__u32 flags;
	__u32 id;
	__u32 size;
	__u32 align;
	__u64 ptr_offsets;
	__u32 nr_ptrs;
	__u32 reserved;
	char name[GMM_UAPI_TYPE_NAME_LEN];
};

/*
 * Operations on objects, run one at a time by GMM_IOC_OP or many at once
 * by GMM_IOC_BATCH.  Fields an operation does not use must be 0.
 *
 * op			in			out (@result)
 * GMM_OP_ALLOC		@arg: type id, @len:	a new handle
 *			elements (1 = one
 *			object); @arg 0: pointer-free object of
 *			@len bytes
 * GMM_OP_RELEASE	@handle			-
 * GMM_OP_DUP		@handle			a second handle, same object
 * GMM_OP_STORE		@handle, @offset of a	-
 *			pointer word, @arg: target handle or 0 (NULL)
 * GMM_OP_LOAD		@handle, @offset of a	a new handle for the object
 *			pointer word		it points to, or 0 for NULL
 * GMM_OP_READ		@handle, @offset, @len,	-  (@buf gets the bytes;
 *			@buf (user pointer)	pointer words read as 0)
 * GMM_OP_WRITE		@handle, @offset, @len,	-  (pointer words unchanged;
 *			@buf			all of @buf is copied in
 *						before the object changes)
 * GMM_OP_INFO		@handle			object size in bytes in the low
 *						32 bits, type id (0 = no
 *						pointers) in the high 32
 * GMM_OP_GC		-			completed cycles (blocking
 *						full cycle, like runtime.GC)
 * GMM_OP_WEAK		@handle			a weak handle of its object
 * GMM_OP_WEAK_LOAD	@arg: weak handle	a new handle for its object,
 *						or 0 once it was collected
 * GMM_OP_WEAK_RELEASE	@arg: weak handle	-
 * GMM_OP_CLEANUP	@handle, @offset: any	a cleanup id: when the object
 *			64-bit cookie		is collected, an event with the
 *						cookie and id can be read()
 * GMM_OP_CLEANUP_CANCEL @arg: cleanup id	-  (-ENOENT once its event
 *						is queued)
 *
 * READ and WRITE take a @len of 1 or more, like ALLOC.
 *
 * Weak handles (GMM_FEATURE_WEAK) are numbers of their own, 1 .. 2^31 - 1,
 * issued cyclically: they do not keep their objects alive; once the
 * collector finds an object unreachable, WEAK_LOAD of its weak handles
 * gives 0 (no handle).  A weak handle stays valid, reading 0, until
 * WEAK_RELEASE.  Cleanups (GMM_FEATURE_CLEANUP) are like Go's
 * runtime.AddCleanup: once the collector has found the object of a
 * cleanup unreachable and swept it, a struct gmm_cleanup_event carrying
 * its cookie and id is queued on the file, to be read with read(2)
 * (poll(2) says POLLIN when one is queued; O_NONBLOCK reads fail with
 * -EAGAIN when none is); an object may have several.  Weak handles and
 * registered cleanups count toward the file's handle limit.
 *
 * Links (GMM_FEATURE_BATCH_LINK; in GMM_IOC_BATCH only): an operation may
 * name the object an earlier operation of the same batch produced, by its
 * index in the batch, as io_uring links requests, so that a batch can
 * build and walk a whole graph.  Only ALLOC, DUP and LOAD produce an
 * object to link to (a LOAD of NULL produces NULL).
 *  - GMM_OP_HANDLE_LINK: @handle is the index of an earlier operation
 *    whose object this one works on.  A linked LOAD that read NULL is
 *    -ENOENT here, like handle 0.
 *  - GMM_OP_ARG_LINK (STORE only): @arg is the index of an earlier
 *    operation whose object is stored (a linked NULL stores NULL).
 *  - GMM_OP_TEMP (ALLOC, DUP, LOAD): make no handle.  The object is held
 *    until the batch ends and can only be named by links; @result is 1,
 *    or 0 for a LOAD that read NULL.  A temporary costs no handle and
 *    nothing to release.
 * A link to an operation that made a handle stands for that handle: it
 * fails with -ENOENT once the handle is released (RELEASE may itself
 * name it by a link).  An index that is not below the operation's own,
 * an operation that produces no object, or a temporary named by RELEASE
 * is -EINVAL, checked before the operation does anything.  Since a batch
 * stops at its first failing operation, a link never names one that
 * failed.  GMM_IOC_OP takes no link flags (-EINVAL).
 *
 * Immediate data (GMM_FEATURE_OP_IMM; GMM_IOC_OP and GMM_IOC_BATCH):
 *  - GMM_OP_IMM (READ and WRITE, @len 1..8; ALLOC; LOAD): the bytes
 *    travel in the operation itself, not through user memory.  WRITE
 *    takes the first @len bytes of its @buf field as they lie in memory
 *    (the bytes after them must be 0); READ leaves @buf 0 and gets the
 *    bytes in @result, as if it had copied them to &@result (the rest of
 *    @result is 0).  ALLOC's new object starts with the 8 bytes of @buf
 *    instead of zeroes (a header word), unless its first word is a
 *    pointer word.  LOAD (with GMM_OP_TEMP, in a batch; @len 1..8) gets
 *    the first @len bytes of the object it loads in @result, as READ
 *    would at offset 0, instead of 1; a NULL word is -ENOENT, like a
 *    link to a NULL.  Pointer words still read as 0 and are not written.
 * Allocate into (GMM_FEATURE_OP_INTO; GMM_IOC_OP and GMM_IOC_BATCH):
 *  - GMM_OP_INTO (ALLOC only): @handle (or, with GMM_OP_HANDLE_LINK, an
 *    earlier operation's object) and @offset name a pointer word, as for
 *    STORE; the new object is stored there, through the write barrier,
 *    as soon as it is made.  With GMM_OP_TEMP it needs no handle at all.
 *    A bad handle or offset fails before anything is allocated.  The
 *    store stays done if the result then cannot be written back.
 *
 * Errors: -EINVAL for a bad op, non-zero unused field, offset, length
 * (0 included), size, count or type; -ENOENT for a handle this file does not hold;
 * -ENOMEM when the heap's limits or the system refuse memory; -ENOSPC
 * when the file holds the most handles allowed (module parameter
 * max_handles, 0 meaning its default); -EFAULT for a bad @buf or a struct
 * that cannot take the result.
 */
enum gmm_op_code {
	GMM_OP_NOP	= 0,
	GMM_OP_ALLOC	= 1,
	GMM_OP_RELEASE	= 2,
	GMM_OP_DUP	= 3,
	GMM_OP_STORE	= 4,
	GMM_OP_LOAD	= 5,
	GMM_OP_READ	= 6,
	GMM_OP_WRITE	= 7,
	GMM_OP_INFO	= 8,
	GMM_OP_GC	= 9,
	GMM_OP_WEAK	= 10,
	GMM_OP_WEAK_LOAD = 11,
	GMM_OP_WEAK_RELEASE = 12,
	GMM_OP_CLEANUP	= 13,
	GMM_OP_CLEANUP_CANCEL = 14,
	GMM_OP_MAX	= 14,
};

/* gmm_op.flags (GMM_IOC_BATCH only; see "Links" above) */
#define GMM_OP_HANDLE_LINK	(1U << 0)	/* @handle: an earlier op's index */
#define GMM_OP_ARG_LINK		(1U << 1)	/* @arg: an earlier op's index */
#define GMM_OP_TEMP		(1U << 2)	/* no handle: held by the batch */
#define GMM_OP_IMM		(1U << 3)	/* data in @buf/@result, not memory */
#define GMM_OP_INTO		(1U << 4)	/* ALLOC: store into @handle+@offset */

/**
 * struct gmm_op - one operation (argument of GMM_IOC_OP, element of a batch)
 * @op:		in: enum gmm_op_code
 * @flags:	in: GMM_OP_* flags: links (batches only), IMM, INTO; else 0
 * @handle:	in: the object operated on (an op index with
 *	GMM_OP_HANDLE_LINK); ALLOC with GMM_OP_INTO: the object stored into
 * @arg:	in: type id (ALLOC) or target handle (STORE; an op index
 *	with GMM_OP_ARG_LINK)
 * @offset:	in: byte offset in the object
 * @len:	in: bytes to read or write; elements or bytes (ALLOC); bytes
 *	to peek at (LOAD with GMM_OP_IMM)
 * @buf:	in: user pointer for READ and WRITE; WRITE and ALLOC with
 *	GMM_OP_IMM: the bytes themselves
 * @result:	out: see the table above
 */
struct gmm_op {
	__u32 op;
	__u32 flags;
	__u32 handle;
	__u32 arg;
	__u64 offset;
	__u64 len;
	__u64 buf;
	__u64 result;
};

/**
 * struct gmm_cleanup_event - what read(2) of a /dev/gmm file returns
 * @cookie:	the cookie given to GMM_OP_CLEANUP
 * @id:		the cleanup's id (its result)
 * @flags:	0
 *
 * read() returns as many whole events as fit in its buffer (-EINVAL for
 * a buffer smaller than one), oldest first; each event is returned once.
 */
struct gmm_cleanup_event {
	__u64 cookie;
	__u32 id;
	__u32 flags;
};

/**
 * struct gmm_batch - argument of GMM_IOC_BATCH: run operations in order
 * @flags:	in: must be 0
 * @count:	in: operations, 1..GMM_BATCH_MAX
 * @ops:	in: user pointer to @count operations of @op_size bytes each;
 *	each one's @result is written back.  An operation whose @result
 *	cannot be written back fails with -EFAULT and keeps no handle
 *	(should the array stop being writable while the batch runs, the
 *	operations after it in its group of 64 may have run too; the handles
 *	they made are released as well).
 * @op_size:	in: sizeof(struct gmm_op) as the caller knows it (at least
 *	48; longer ones need zero tails)
 * @reserved:	must be 0
 * @done:	out: operations that succeeded
 * @error:	out: 0, or the negative errno of operation @done, where the
 *	batch stopped
 *
 * Operations may be read ahead of running them (up to 64 at a time): a
 * READ into the operations array itself does not change the operations
 * after it that were read already.
 *
 * The ioctl returns 0 when every operation succeeded; otherwise it fails
 * with the first failing operation's errno after writing @done and @error
 * back (a malformed header fails with @done 0 and @error 0; a header
 * that cannot be written back fails with -EFAULT before any operation
 * runs).
 */
struct gmm_batch {
	__u32 flags;
	__u32 count;
	__u64 ops;
	__u32 op_size;
	__u32 reserved;
	__u32 done;
	__s32 error;
};

/**
 * enum gmm_gc_phase - the collector's phase (gmm_stats.phase, gmm_spans.phase)
 * @GMM_GC_PHASE_OFF:	not marking (sweeping may go on)
 * @GMM_GC_PHASE_MARK:	concurrent mark: write barrier on, allocate black
 * @GMM_GC_PHASE_MARKTERM: mark termination, the heap's world stopped
 */
enum gmm_gc_phase {
	GMM_GC_PHASE_OFF = 0,
	GMM_GC_PHASE_MARK = 1,
	GMM_GC_PHASE_MARKTERM = 2,
};

/**
 * struct gmm_class_info - one size class in a statistics snapshot
 * @size:	object size (0 for class 0, objects over 32 KiB)
 * @reserved:	0
 * @mallocs:	objects allocated
 * @frees:	objects freed
 * @spans:	spans of the class the heap holds now
 */
struct gmm_class_info {
	__u32 size;
	__u32 reserved;
	__u64 mallocs;
	__u64 frees;
	__u64 spans;
};

/**
 * struct gmm_stats - argument of GMM_IOC_STATS (after Go's runtime.MemStats)
 * @flags:	in: must be 0
 * @nr_classes:	in: room in @classes (0: none wanted); out: classes written
 * @classes:	in: user pointer to @nr_classes struct gmm_class_info
 * @class_size:	in: sizeof(struct gmm_class_info) as the caller knows it
 * @reserved:	must be 0
 * @heap_alloc:	out: bytes of allocated objects
 * @heap_sys:	out: bytes of arenas held
 * @heap_idle:	out: arena bytes in no span
 * @heap_inuse:	out: arena bytes in spans
 * @heap_released: out: bytes of heap_sys given back to the kernel and
 *		not reused (Go's HeapReleased)
 * @heap_objects: out: live objects (tiny blocks count once)
 * @mallocs:	out: objects allocated
 * @frees:	out: objects freed
 * @total_alloc: out: bytes allocated, cumulative
 * @num_gc:	out: completed cycles
 * @num_forced_gc: out: of which asked for by GMM_OP_GC
 * @pause_total_ns: out: sum of all stop-the-world pauses
 * @pause_max_ns: out: longest pause
 * @last_pause_ns: out: the latest pause
 * @heap_live:	out: the pacer's live-heap estimate (Go's heapLive)
 * @heap_marked: out: bytes marked by the last cycle
 * @next_gc:	out: heap goal of the next cycle (Go's NextGC)
 * @trigger:	out: heap_live at which the next cycle starts
 * @gc_cpu_ns:	out: CPU time of the collector, total
 * @uptime_ns:	out: time since the heap was created
 * @handles:	out: handles this file holds
 * @types:	out: types registered
 * @gc_percent:	out: GOGC in force
 * @phase:	out: enum gmm_gc_phase
 * @pad:	must be 0
 */
struct gmm_stats {
	__u32 flags;
	__u32 nr_classes;
	__u64 classes;
	__u32 class_size;
	__u32 reserved;
	__u64 heap_alloc;
	__u64 heap_sys;
	__u64 heap_idle;
	__u64 heap_inuse;
	__u64 heap_released;
	__u64 heap_objects;
	__u64 mallocs;
	__u64 frees;
	__u64 total_alloc;
	__u64 num_gc;
	__u64 num_forced_gc;
	__u64 pause_total_ns;
	__u64 pause_max_ns;
	__u64 last_pause_ns;
	__u64 heap_live;
	__u64 heap_marked;
	__u64 next_gc;
	__u64 trigger;
	__u64 gc_cpu_ns;
	__u64 uptime_ns;
	__u64 handles;
	__u32 types;
	__s32 gc_percent;
	__u32 phase;
	__u32 pad;
};

/* gmm_span_info.state */
#define GMM_SPAN_STATE_SMALL	1
#define GMM_SPAN_STATE_LARGE	2

/**
 * struct gmm_arena_info - one arena in a heap snapshot
 * @id:		arena number within the heap (stable while it lives)
 * @npages:	runtime pages in the arena
 * @free_pages:	pages in no span
 * @released_pages: of those, pages given back to the kernel (64 KiB
 *		granules the scavenger released; 0 before the scavenger)
 */
struct gmm_arena_info {
	__u32 id;
	__u32 npages;
	__u32 free_pages;
	__u32 released_pages;
};

/**
 * struct gmm_span_info - one span in a heap snapshot
 * @arena:	id of the arena holding it
 * @first_page:	index of its first page in the arena
 * @npages:	runtime pages
 * @spanclass:	size class << 1 | noscan
 * @elemsize:	bytes per slot
 * @nelems:	slots
 * @allocated:	slots in use
 * @marked:	slots marked in the current or last cycle
 * @sweepgen:	the span's sweep generation, relative: 0 swept, 1 being
 *	swept, 2 needs sweeping (heap sweepgen minus the span's)
 * @state:	GMM_SPAN_STATE_*
 * @where:	0 central list, 1 a CPU's cache, 2 large-object list
 * @cpu:	the CPU whose cache holds it, when @where is 1 (else 0)
 */
struct gmm_span_info {
	__u32 arena;
	__u32 first_page;
	__u32 npages;
	__u32 spanclass;
	__u32 elemsize;
	__u32 nelems;
	__u32 allocated;
	__u32 marked;
	__u32 sweepgen;
	__u32 state;
	__u32 where;
	__u32 cpu;
};

/**
 * struct gmm_spans - argument of GMM_IOC_SPANS: a picture of the heap
 * @flags:	in: must be 0
 * @nr_arenas:	in: room in @arenas; out: arenas the heap holds (only
 *	min(room, that) were written)
 * @arenas:	in: user pointer to struct gmm_arena_info array (or 0)
 * @nr_spans:	in: room in @spans; out: spans the heap holds
 * @arena_size:	in: sizeof(struct gmm_arena_info) as the caller knows it
 * @spans:	in: user pointer to struct gmm_span_info array (or 0)
 * @span_size:	in: sizeof(struct gmm_span_info) as the caller knows it
 * @phase:	out: enum gmm_gc_phase when the snapshot was taken
 * @sweepgen:	out: the heap's sweepgen
 * @reserved:	must be 0
 * @num_gc:	out: completed cycles
 *
 * The snapshot is consistent per span, not across the heap: the world is
 * not stopped to take it.
 */
struct gmm_spans {
	__u32 flags;
	__u32 nr_arenas;
	__u64 arenas;
	__u32 nr_spans;
	__u32 arena_size;
	__u64 spans;
	__u32 span_size;
	__u32 phase;
	__u32 sweepgen;
	__u32 reserved;
	__u64 num_gc;
};

/* gmm_cycle_info.flags */
#define GMM_CYCLE_FORCED	(1U << 0)	/* asked for by GMM_OP_GC */

/**
 * struct gmm_cycle_info - one GC cycle (one gctrace line)
 * @num:	cycle number, from 1
 * @flags:	GMM_CYCLE_*
 * @reserved:	0
 * @start_ns:	start, ns since the heap was created
 * @stw1_ns:	sweep-termination pause
 * @mark_ns:	concurrent mark, wall clock
 * @stw2_ns:	mark-termination pause
 * @heap0:	heap_live at the start
 * @heap1:	heap_live at mark termination
 * @heap2:	marked (live) bytes
 * @goal:	heap goal of the cycle
 * @assist_bytes: bytes scanned by mutator assists
 * @bg_bytes:	bytes scanned by the GC thread
 * @root_ns:	time scanning roots
 * @assist_ns:	mutator time spent assisting
 * @bg_ns:	GC thread time marking
 */
struct gmm_cycle_info {
	__u64 num;
	__u32 flags;
	__u32 reserved;
	__u64 start_ns;
	__u64 stw1_ns;
	__u64 mark_ns;
	__u64 stw2_ns;
	__u64 heap0;
	__u64 heap1;
	__u64 heap2;
	__u64 goal;
	__u64 assist_bytes;
	__u64 bg_bytes;
	__u64 root_ns;
	__u64 assist_ns;
	__u64 bg_ns;
};

/**
 * struct gmm_cycles - argument of GMM_IOC_CYCLES: the recent cycle log
 * @flags:	in: must be 0
 * @count:	in: room in @cycles; out: cycles written, oldest first (the
 *	heap keeps the last 32)
 * @cycles:	in: user pointer to struct gmm_cycle_info array
 * @cycle_size:	in: sizeof(struct gmm_cycle_info) as the caller knows it
 * @reserved:	must be 0
 * @num_gc:	out: completed cycles
 */
struct gmm_cycles {
	__u32 flags;
	__u32 count;
	__u64 cycles;
	__u32 cycle_size;
	__u32 reserved;
	__u64 num_gc;
};

/*
 * Objects and their colours (GMM_IOC_OBJECTS), and a collector that marks
 * a few grey objects at a time on request (GMM_IOC_STEP): tri-colour
 * marking made visible, for small heaps.
 */

/* gmm_object_info.colour */
#define GMM_COLOUR_FREE		0	/* the slot holds no object */
#define GMM_COLOUR_WHITE	1	/* not marked (garbage if it stays so) */
#define GMM_COLOUR_GREY		2	/* marked, its pointers not scanned yet */
#define GMM_COLOUR_BLACK	3	/* marked and scanned (or has no pointers) */

#define GMM_OBJECTS_MAX		65536	/* slots a listing describes at most */
#define GMM_OBJECTS_MAX_EDGES	262144	/* pointers a listing describes at most */
#define GMM_OBJECT_NONE		0xffffffffU	/* no object (handle_index) */

/**
 * struct gmm_object_info - one slot of a span in an object listing
 * @arena:	arena id of its span (as in struct gmm_span_info)
 * @first_page:	first page of its span: with @arena, names the span
 * @slot:	slot index in the span
 * @size:	bytes of the slot
 * @type:	type id of the object (0: none, no pointers; 0 when free)
 * @colour:	GMM_COLOUR_*
 * @roots:	handles of this file that hold the object
 * @reserved:	0
 */
struct gmm_object_info {
	__u32 arena;
	__u32 first_page;
	__u32 slot;
	__u32 size;
	__u32 type;
	__u32 colour;
	__u32 roots;
	__u32 reserved;
};

/**
 * struct gmm_object_edge - one pointer in an object listing
 * @from:	index of the object holding the pointer
 * @to:		index of the object it points to (GMM_OBJECT_NONE for
 *	an object in a span made while the listing was taken)
 * @offset:	byte offset of the pointer word in @from
 * @reserved:	0
 */
struct gmm_object_edge {
	__u32 from;
	__u32 to;
	__u32 offset;
	__u32 reserved;
};

/**
 * struct gmm_objects - argument of GMM_IOC_OBJECTS: every slot of the
 *	file's own heap, with its colour, and the pointers between objects
 * @flags:	in: must be 0
 * @nr_objects:	in: room in @objects; out: slots the heap holds (only
 *	min(room, that) were written).  Slots are listed span by span in
 *	address order, each span's slots in order; an object's index in
 *	the listing is what @to, @from and @handle_index name
 * @objects:	in: user pointer to struct gmm_object_info array (or 0)
 * @object_size: in: sizeof(struct gmm_object_info) as the caller knows it
 * @nr_edges:	in: room in @edges; out: pointers between objects
 * @edges:	in: user pointer to struct gmm_object_edge array (or 0)
 * @edge_size:	in: sizeof(struct gmm_object_edge) as the caller knows it
 * @nr_handles:	in: handles at @handles to look up (at most
 *	GMM_OBJECTS_MAX)
 * @handles:	in: user pointer to @nr_handles __u32 handle numbers
 * @handle_index: in: user pointer to @nr_handles __u32; out: the index
 *	of each handle's object, GMM_OBJECT_NONE for a number this file
 *	holds no handle of
 * @phase:	out: GC phase when the listing was taken
 * @grey:	out: grey objects in the listing
 * @num_gc:	out: completed cycles
 * @reserved:	must be 0
 *
 * A heap of more than GMM_OBJECTS_MAX slots, or more than
 * GMM_OBJECTS_MAX_EDGES pointers between its objects, is -E2BIG.  Like
 * GMM_IOC_SPANS the listing is consistent per span, not across the heap.
 * No address is ever given out: objects are named by their place.
 */
struct gmm_objects {
	__u32 flags;
	__u32 nr_objects;
	__u64 objects;
	__u32 object_size;
	__u32 nr_edges;
	__u64 edges;
	__u32 edge_size;
	__u32 nr_handles;
	__u64 handles;
	__u64 handle_index;
	__u32 phase;
	__u32 grey;
	__u64 num_gc;
	__u64 reserved;
};

/* gmm_step.flags: at most one; none = scan @count grey objects */
#define GMM_STEP_BEGIN		(1U << 0)	/* start a stepped cycle */
#define GMM_STEP_END		(1U << 1)	/* let it finish by itself */

/* gmm_step.state */
#define GMM_STEP_IDLE		0	/* no stepped cycle */
#define GMM_STEP_MARKING	1	/* a stepped cycle waits in its mark */

#define GMM_STEP_MAX		65536	/* grey objects one step scans at most */

/**
 * struct gmm_step - argument of GMM_IOC_STEP: the collector of the file's
 *	heap, a few grey objects at a time
 * @flags:	in: GMM_STEP_BEGIN: start a cycle whose mark waits for
 *	steps (after the cycle in progress, if any) and return when its
 *	roots are grey; GMM_STEP_END: let the stepped cycle mark the rest
 *	by itself and wait until it has ended; 0: scan @count grey objects
 *	of the stepped cycle - or, when none is left, end the mark: mark
 *	termination and sweeping run and the call waits for them
 * @count:	in: grey objects to scan (1..GMM_STEP_MAX) with no flag;
 *	0 with a flag
 * @scanned:	out: objects this call scanned (each turned from grey to
 *	black)
 * @grey:	out: grey objects left
 * @state:	out: GMM_STEP_*: whether a stepped cycle still marks
 * @reserved:	must be 0
 * @cycle:	out: the stepped cycle's number
 * @num_gc:	out: completed cycles
 *
 * While a stepped cycle marks, the mark workers and mutator assists leave
 * the heap alone (mutators allocate black and the write barrier shades as
 * in any mark); GMM_OP_GC fails with -EBUSY and an allocation that finds
 * the heap full fails at once instead of collecting.  Errors: -EINVAL
 * (flags, @count, reserved), -EBUSY (BEGIN while a stepped cycle
 * marks), -ENOENT (a step or END with none), -EINTR (a fatal signal
 * ended the wait; the cycle goes on), -EFAULT.
 */
struct gmm_step {
	__u32 flags;
	__u32 count;
	__u32 scanned;
	__u32 grey;
	__u32 state;
	__u32 reserved;
	__u64 cycle;
	__u64 num_gc;
};

#define GMM_IOC_VERSION		_IOWR(GMM_IOC_MAGIC, 0x00, struct gmm_version)
#define GMM_IOC_PARAMS		_IOWR(GMM_IOC_MAGIC, 0x01, struct gmm_params)
#define GMM_IOC_TYPE_CREATE	_IOWR(GMM_IOC_MAGIC, 0x02, struct gmm_type_create)
#define GMM_IOC_OP		_IOWR(GMM_IOC_MAGIC, 0x03, struct gmm_op)
#define GMM_IOC_BATCH		_IOWR(GMM_IOC_MAGIC, 0x04, struct gmm_batch)
#define GMM_IOC_STATS		_IOWR(GMM_IOC_MAGIC, 0x05, struct gmm_stats)
#define GMM_IOC_SPANS		_IOWR(GMM_IOC_MAGIC, 0x06, struct gmm_spans)
#define GMM_IOC_CYCLES		_IOWR(GMM_IOC_MAGIC, 0x07, struct gmm_cycles)
#define GMM_IOC_OBJECTS		_IOWR(GMM_IOC_MAGIC, 0x0a, struct gmm_objects)
#define GMM_IOC_STEP		_IOWR(GMM_IOC_MAGIC, 0x0b, struct gmm_step)

#endif /* _UAPI_LINUX_GMM_H */
