/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * libgmm - a small C library over /dev/gmm, the user-space ABI of gmm,
 * the Go-style garbage-collected memory manager kernel module.
 *
 * The ABI itself is <linux/gmm.h> (include/uapi/linux/gmm.h in the gmm
 * tree); this library only opens the device, fills in the ioctl structs,
 * and turns the kernel's answers into return values.  Every struct the
 * kernel defines is used as is: the library adds no types of its own but
 * the handle of an open device (struct gmm) and a batch buffer.
 *
 * Conventions, for every function below unless it says otherwise:
 *
 *  - Return value: 0 on success or a negative errno value (-EINVAL,
 *    -ENOENT, -ENOMEM, ...) on failure, exactly the errno the kernel
 *    returned when the failure came from an ioctl.  errno itself is left
 *    as the failing system call set it.  No function prints, exits or
 *    aborts.
 *  - Output parameters are written only on success.
 *  - Handles and type ids are the kernel's: uint32_t numbers meaningful
 *    only for the struct gmm (the open file) that made them.  Handle 0 is
 *    never a valid handle; it stands for NULL in gmm_store() and is what
 *    gmm_load() gives for a NULL pointer word.
 *  - Every open of the device is a NEW, private heap, destroyed when it
 *    is closed (after fork(), when the last process holding the file
 *    closes it).  Statistics are those of that heap only.
 *  - A struct gmm may be used by several threads at once; the kernel
 *    serialises what needs it.  A struct gmm_batch_buf may not.
 *
 * Link with -lgmm.  The library is C11 and has no dependencies beyond the
 * C library.
 */
#ifndef GMM_LIBGMM_H
#define GMM_LIBGMM_H

#include <stddef.h>
#include <stdint.h>

#include <linux/gmm.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Version of the library itself (not of the ABI or the module). */
#define LIBGMM_VERSION_MAJOR	1
#define LIBGMM_VERSION_MINOR	0

/* Default device node. */
#define GMM_DEVICE_PATH		"/dev/gmm"

/* An open /dev/gmm: one private heap.  Opaque. */
struct gmm;

/*
 * gmm_open() flags.
 *
 * GMM_OPEN_ANY_ABI: do not refuse a module whose ABI major version differs
 *	from the one this library was built for (GMM_ABI_MAJOR).  Only
 *	gmm_version(), gmm_fd() and gmm_close() are then safe to use; meant
 *	for tools that report versions.
 */
#define GMM_OPEN_ANY_ABI	(1 << 0)

/**
 * gmm_open - open the gmm device: a new, empty, private heap
 * @path:	device node, or NULL for GMM_DEVICE_PATH ("/dev/gmm")
 * @flags:	0 or GMM_OPEN_ANY_ABI
 *
 * Opens @path read-write and close-on-exec, asks the module for its
 * version (GMM_IOC_VERSION) and keeps the answer for gmm_version().
 *
 * Returns the new struct gmm, or NULL with errno set: the error of open(2)
 * (ENOENT when the module is not loaded, EACCES without permission),
 * EINVAL for unknown @flags, ENOTTY when @path is not a gmm device,
 * EPROTONOSUPPORT when the module's ABI major version is not
 * GMM_ABI_MAJOR (unless GMM_OPEN_ANY_ABI), ENOMEM.
 */
struct gmm *gmm_open(const char *path, int flags);

/**
 * gmm_close - close the device and free @g
 * @g:		from gmm_open(), or NULL (then nothing happens)
 *
 * Closing the file destroys its heap and every object in it (unless a
 * forked child still holds the file).  Handles of @g become meaningless.
 */
void gmm_close(struct gmm *g);

/**
 * gmm_fd - the file descriptor of @g, for ioctls the library does not wrap
 * @g:		from gmm_open()
 *
 * The descriptor stays owned by @g: do not close it.
 */
int gmm_fd(const struct gmm *g);

/**
 * gmm_version - the module's answer to GMM_IOC_VERSION
 * @g:		from gmm_open()
 * @v:		out: ABI version, features, page size, size classes and the
 *		module's version string, as read by gmm_open()
 *
 * Returns 0.
 */
int gmm_version(const struct gmm *g, struct gmm_version *v);

/**
 * gmm_has_feature - whether the module implements a feature
 * @g:		from gmm_open()
 * @feature:	GMM_FEATURE_* bits (all of them must be present)
 *
 * Returns 1 or 0.
 */
int gmm_has_feature(const struct gmm *g, uint64_t feature);

/**
 * gmm_get_params - read the heap's parameters (GMM_IOC_PARAMS)
 * @g:		from gmm_open()
 * @p:		out: gc_percent (GOGC, -1 = off), memory_limit (bytes, 0 =
 *		none but the module-wide one) and total_limit (module-wide)
 */
int gmm_get_params(struct gmm *g, struct gmm_params *p);

/**
 * gmm_set_gc_percent - set GOGC of the heap
 * @g:		from gmm_open()
 * @gc_percent:	1..10000, or -1 to turn collection off (only gmm_collect()
 *		collects then)
 *
 * Returns 0 or -EINVAL for a value out of range.
 */
int gmm_set_gc_percent(struct gmm *g, int gc_percent);

/**
 * gmm_set_memory_limit - set the heap's memory limit
 * @g:		from gmm_open()
 * @bytes:	limit in bytes; 0 restores the module's default
 *
 * The limit is hard for the heap's pages (allocations beyond it fail with
 * -ENOMEM) and soft for the pacer, which keeps the heap goal under 95 % of
 * it, like Go's GOMEMLIMIT.
 */
int gmm_set_memory_limit(struct gmm *g, uint64_t bytes);

/**
 * gmm_type_create - register an object type (GMM_IOC_TYPE_CREATE)
 * @g:		from gmm_open()
 * @name:	name shown in statistics, at most GMM_UAPI_TYPE_NAME_LEN - 1
 *		bytes, or NULL for none
 * @size:	bytes of one element, 1..GMM_UAPI_MAX_OBJECT; a multiple of 8
 *		when the type has pointers
 * @align:	a power of two up to 8192, or 0 for 8
 * @ptr_offsets: byte offsets of the pointer words, each a multiple of 8
 *		with the word inside @size, no offset twice; NULL when
 *		@nr_ptrs is 0
 * @nr_ptrs:	number of offsets, at most @size / 8
 * @id:		out: the type id (1..65535) for gmm_alloc()
 *
 * Returns 0, -EINVAL (any rule above; a name that is too long),
 * -ENOSPC (65535 types), -ENOMEM.
 */
int gmm_type_create(struct gmm *g, const char *name, uint32_t size,
		    uint32_t align, const uint32_t *ptr_offsets,
		    uint32_t nr_ptrs, uint32_t *id);

/**
 * gmm_alloc - allocate a typed object or an array of them (GMM_OP_ALLOC)
 * @g:		from gmm_open()
 * @type:	a type id from gmm_type_create()
 * @count:	elements, at least 1 (1 = one object); count * size at most
 *		GMM_UAPI_MAX_OBJECT
 * @handle:	out: a new handle, which keeps the object alive until
 *		gmm_release()
 *
 * Memory comes zeroed: every pointer word is NULL.
 * Returns 0, -EINVAL (unknown type, bad count), -ENOMEM (the heap's or
 * the module's limit, or the system, refused memory), -ENOSPC (the file
 * holds the most handles allowed).
 */
int gmm_alloc(struct gmm *g, uint32_t type, uint64_t count, uint32_t *handle);

/**
 * gmm_alloc_bytes - allocate an object without pointers (GMM_OP_ALLOC)
 * @g:		from gmm_open()
 * @size:	bytes, 1..GMM_UAPI_MAX_OBJECT; the object gets the whole slot
 *		of the size class @size rounds up to (see gmm_info())
 * @handle:	out: a new handle
 *
 * Returns as gmm_alloc().
 */
int gmm_alloc_bytes(struct gmm *g, uint64_t size, uint32_t *handle);

/**
 * gmm_release - give up a handle (GMM_OP_RELEASE)
 * @g:		from gmm_open()
 * @handle:	a handle of @g
 *
 * The object stays alive while another handle or a live object points to
 * it; otherwise the next collection frees it.  A released handle is
 * invalid (-ENOENT) from then on.
 * Returns 0 or -ENOENT.
 */
int gmm_release(struct gmm *g, uint32_t handle);

/**
 * gmm_dup - a second handle for the same object (GMM_OP_DUP)
 * @g:		from gmm_open()
 * @handle:	a handle of @g
 * @out:	out: the new handle
 *
 * Returns 0, -ENOENT, -ENOSPC, -ENOMEM.
 */
int gmm_dup(struct gmm *g, uint32_t handle, uint32_t *out);

/**
 * gmm_store - store a pointer into an object (GMM_OP_STORE)
 * @g:		from gmm_open()
 * @obj:	handle of the object written to
 * @offset:	byte offset of one of its pointer words
 * @target:	handle of the object to point to, or 0 for NULL
 *
 * The store goes through the collector's write barrier.
 * Returns 0, -ENOENT (@obj or @target is not a handle of @g), -EINVAL
 * (@offset is not a pointer word of @obj).
 */
int gmm_store(struct gmm *g, uint32_t obj, uint64_t offset, uint32_t target);

/**
 * gmm_load - read a pointer out of an object (GMM_OP_LOAD)
 * @g:		from gmm_open()
 * @obj:	handle of the object read
 * @offset:	byte offset of one of its pointer words
 * @out:	out: a NEW handle for the object pointed to (release it when
 *		done), or 0 when the word is NULL
 *
 * Returns 0, -ENOENT, -EINVAL (not a pointer word), -ENOSPC, -ENOMEM.
 */
int gmm_load(struct gmm *g, uint32_t obj, uint64_t offset, uint32_t *out);

/**
 * gmm_read - copy bytes out of an object (GMM_OP_READ)
 * @g:		from gmm_open()
 * @obj:	handle of the object
 * @offset:	first byte
 * @buf:	destination
 * @len:	bytes, at least 1; [@offset, @offset + @len) must lie inside
 *		the object's slot (gmm_info())
 *
 * Pointer words read as zero bytes.
 * Returns 0, -ENOENT, -EINVAL (range outside the object, @len 0),
 * -EFAULT.
 */
int gmm_read(struct gmm *g, uint32_t obj, uint64_t offset, void *buf,
	     size_t len);

/**
 * gmm_write - copy bytes into an object (GMM_OP_WRITE)
 * @g:		from gmm_open()
 * @obj:	handle of the object
 * @offset:	first byte
 * @buf:	source
 * @len:	bytes, at least 1, inside the object's slot
 *
 * Pointer words inside the range are left unchanged: use gmm_store().
 * All or nothing on faults: a @buf that faults anywhere is -EFAULT with
 * the object unchanged.  Returns as gmm_read().
 */
int gmm_write(struct gmm *g, uint32_t obj, uint64_t offset, const void *buf,
	      size_t len);

/**
 * gmm_info - size and type of an object (GMM_OP_INFO)
 * @g:		from gmm_open()
 * @obj:	handle of the object
 * @size:	out (may be NULL): the slot's size in bytes (the size class,
 *		or whole runtime pages above 32 KiB)
 * @type:	out (may be NULL): its type id, 0 when it has no pointers
 *
 * Returns 0 or -ENOENT.
 */
int gmm_info(struct gmm *g, uint32_t obj, uint32_t *size, uint32_t *type);

/**
 * gmm_collect - run a full garbage collection and wait for it (GMM_OP_GC)
 * @g:		from gmm_open()
 * @num_gc:	out (may be NULL): cycles the heap has completed
 *
 * Like Go's runtime.GC(): when it returns, a whole cycle that started
 * after the call has marked and swept, so every object no handle reached
 * at the call has been freed.
 * Returns 0 or -EINTR (a fatal signal).
 */
int gmm_collect(struct gmm *g, uint64_t *num_gc);

/**
 * gmm_stats - statistics of the heap (GMM_IOC_STATS)
 * @g:		from gmm_open()
 * @st:		out: MemStats-style figures and the collector's; see
 *		struct gmm_stats in <linux/gmm.h>
 * @classes:	out (may be NULL): per size class figures, class 0 being
 *		objects over 32 KiB
 * @nr_classes:	room in @classes (0 when NULL); st->nr_classes says how
 *		many were written (at most the module's num_size_classes)
 *
 * Each figure is read once; the set is not one atomic snapshot.
 */
int gmm_stats(struct gmm *g, struct gmm_stats *st,
	      struct gmm_class_info *classes, uint32_t nr_classes);

/**
 * gmm_spans - a picture of the heap: arenas and spans (GMM_IOC_SPANS)
 * @g:		from gmm_open()
 * @sp:		out: header: nr_arenas and nr_spans are the numbers the heap
 *		holds (possibly more than there was room for), phase,
 *		sweepgen, num_gc
 * @arenas:	out (may be NULL): up to @nr_arenas arena descriptions
 * @nr_arenas:	room in @arenas
 * @spans:	out (may be NULL): up to @nr_spans span descriptions
 * @nr_spans:	room in @spans
 *
 * When sp->nr_arenas > @nr_arenas or sp->nr_spans > @nr_spans the picture
 * was cut short: call again with more room (or use gmm_spans_alloc()).
 */
int gmm_spans(struct gmm *g, struct gmm_spans *sp,
	      struct gmm_arena_info *arenas, uint32_t nr_arenas,
	      struct gmm_span_info *spans, uint32_t nr_spans);

/**
 * gmm_spans_alloc - a whole picture of the heap in malloc()ed arrays
 * @g:		from gmm_open()
 * @sp:		out: header as for gmm_spans(); nr_arenas and nr_spans are
 *		the numbers of elements in *@arenas and *@spans
 * @arenas:	out: arena array, to free() (NULL when there are none)
 * @spans:	out: span array, to free() (NULL when there are none)
 *
 * Calls gmm_spans() with growing arrays until everything fits.
 * Returns 0, -ENOMEM, or an error of gmm_spans().
 */
int gmm_spans_alloc(struct gmm *g, struct gmm_spans *sp,
		    struct gmm_arena_info **arenas,
		    struct gmm_span_info **spans);

/**
 * gmm_cycles - the recent GC cycle log (GMM_IOC_CYCLES)
 * @g:		from gmm_open()
 * @cycles:	out: up to @n cycles, oldest first (the heap keeps the last
 *		32): one gctrace line each
 * @n:		room in @cycles
 * @count:	out: cycles written
 * @num_gc:	out (may be NULL): cycles the heap has completed
 *
 * Waits for a cycle in progress to end.
 */
int gmm_cycles(struct gmm *g, struct gmm_cycle_info *cycles, uint32_t n,
	       uint32_t *count, uint64_t *num_gc);

/**
 * gmm_op_name - the name of a GMM_OP_* code ("alloc", "store", ...)
 * @op:		enum gmm_op_code value
 *
 * Returns a static string; "?" for an unknown code.
 */
const char *gmm_op_name(uint32_t op);

/*
 * Batches: many operations in one GMM_IOC_BATCH call.
 *
 * A batch runs its operations in order and stops at the first one that
 * fails; what the operations before it did stays done.  Results (new
 * handles, loaded handles, sizes) can only be read after the batch ran;
 * an operation uses the object an earlier one of the same batch made
 * through a link (gmm_batch_link(), gmm_batch_temp(); the kernel must
 * report GMM_FEATURE_BATCH_LINK), so one batch can build a whole tree.
 *
 *	struct gmm_batch_buf b;
 *	uint32_t failed;
 *	int i, err;
 *
 *	err = gmm_batch_init(&b, 256);
 *	for (i = 0; i < 100; i++)
 *		gmm_batch_add_alloc(&b, node_type, 1);
 *	err = gmm_batch_run(g, &b, &failed);
 *	if (err)
 *		fprintf(stderr, "op %u (%s): %s\n", failed,
 *			gmm_op_name(b.ops[failed].op), strerror(-err));
 *	else
 *		first = gmm_batch_result(&b, 0);
 *	gmm_batch_reset(&b);
 *	...
 *	gmm_batch_free(&b);
 *
 * The fields are public for reading; change them only through the
 * functions.
 */
struct gmm_batch_buf {
	struct gmm_op *ops;	/* the operations, ops[0 .. count - 1] */
	uint32_t count;		/* operations added */
	uint32_t capacity;	/* room, 1..GMM_BATCH_MAX */
	uint32_t done;		/* after gmm_batch_run(): ops that succeeded */
	int error;		/* after gmm_batch_run(): 0 or -errno */
};

/* gmm_batch_run()'s *failed when no single operation failed. */
#define GMM_BATCH_NONE		UINT32_MAX

/**
 * gmm_batch_init - set up an empty batch buffer
 * @b:		the buffer
 * @capacity:	most operations it will hold, 1..GMM_BATCH_MAX
 *
 * Returns 0, -EINVAL (@capacity out of range) or -ENOMEM.
 */
int gmm_batch_init(struct gmm_batch_buf *b, uint32_t capacity);

/**
 * gmm_batch_free - free the buffer's memory (it may be initialised again)
 * @b:		the buffer, or one that gmm_batch_init() failed on
 */
void gmm_batch_free(struct gmm_batch_buf *b);

/**
 * gmm_batch_reset - empty the buffer for the next batch
 * @b:		the buffer
 */
void gmm_batch_reset(struct gmm_batch_buf *b);

/**
 * gmm_batch_add - append one raw operation
 * @b:		the buffer
 * @op:		the operation; its result field is ignored
 *
 * The gmm_batch_add_*() helpers below fill in struct gmm_op for each
 * operation code and return like this one.  No validation happens before
 * gmm_batch_run(): the kernel checks every operation.
 *
 * Returns the operation's index (>= 0), or -ENOSPC when the buffer is
 * full (run and reset it first).
 */
int gmm_batch_add(struct gmm_batch_buf *b, const struct gmm_op *op);

/* GMM_OP_ALLOC of @count elements of @type; result: the new handle. */
int gmm_batch_add_alloc(struct gmm_batch_buf *b, uint32_t type,
			uint64_t count);
/* GMM_OP_ALLOC of @size bytes without pointers; result: the new handle. */
int gmm_batch_add_alloc_bytes(struct gmm_batch_buf *b, uint64_t size);
/* GMM_OP_RELEASE of @handle. */
int gmm_batch_add_release(struct gmm_batch_buf *b, uint32_t handle);
/* GMM_OP_DUP of @handle; result: the second handle. */
int gmm_batch_add_dup(struct gmm_batch_buf *b, uint32_t handle);
/* GMM_OP_STORE of @target (0 = NULL) at @offset of @obj. */
int gmm_batch_add_store(struct gmm_batch_buf *b, uint32_t obj,
			uint64_t offset, uint32_t target);
/* GMM_OP_LOAD of @offset of @obj; result: a new handle or 0 for NULL. */
int gmm_batch_add_load(struct gmm_batch_buf *b, uint32_t obj,
		       uint64_t offset);
/*
 * GMM_OP_READ of @len bytes at @offset of @obj into @buf, which must stay
 * valid until the batch has run.
 */
int gmm_batch_add_read(struct gmm_batch_buf *b, uint32_t obj,
		       uint64_t offset, void *buf, size_t len);
/* GMM_OP_WRITE from @buf (valid until the batch has run). */
int gmm_batch_add_write(struct gmm_batch_buf *b, uint32_t obj,
			uint64_t offset, const void *buf, size_t len);
/* GMM_OP_INFO of @obj; result: size | (uint64_t)type << 32. */
int gmm_batch_add_info(struct gmm_batch_buf *b, uint32_t obj);
/* GMM_OP_GC: a full collection; result: cycles completed. */
int gmm_batch_add_gc(struct gmm_batch_buf *b);

/**
 * gmm_batch_link - make an operation name an earlier one's object
 * @b:		the buffer
 * @i:		the operation, added already
 * @flag:	GMM_OP_HANDLE_LINK (its @handle) or GMM_OP_ARG_LINK (the
 *		target of a STORE)
 * @target:	index of an earlier operation of @b: an ALLOC, DUP or LOAD
 *
 * The kernel checks the link when the batch runs (see "Links" in
 * <linux/gmm.h>).  Returns 0, or -EINVAL when @i is not an operation of
 * @b, @target is not below @i or @flag is not one of the two.
 */
int gmm_batch_link(struct gmm_batch_buf *b, uint32_t i, uint32_t flag,
		   uint32_t target);

/**
 * gmm_batch_temp - make an ALLOC, DUP or LOAD produce a temporary
 * @b:		the buffer
 * @i:		the operation, added already
 *
 * The object is held by the batch until it ends instead of by a new
 * handle (GMM_OP_TEMP): later operations name it with gmm_batch_link(),
 * nothing needs releasing, and its result is 1 (0: a LOAD of NULL).
 * Returns 0, or -EINVAL when @i is not an operation of @b.
 */
int gmm_batch_temp(struct gmm_batch_buf *b, uint32_t i);

/*
 * GMM_OP_ALLOC with GMM_OP_INTO (the kernel must report
 * GMM_FEATURE_OP_INTO): @count elements of @type (0: @count bytes without
 * pointers), stored as they are made into the pointer word at @offset of
 * @obj - or of an earlier operation's object, after gmm_batch_link(...,
 * GMM_OP_HANDLE_LINK, ...), or with no handle at all after
 * gmm_batch_temp(); result: the new handle (1 for a temporary).
 */
int gmm_batch_add_alloc_into(struct gmm_batch_buf *b, uint32_t type,
			     uint64_t count, uint32_t obj, uint64_t offset);
/*
 * GMM_OP_WRITE with GMM_OP_IMM (GMM_FEATURE_OP_IMM): @len (1..8) bytes of
 * @src at @offset of @obj, carried in the operation itself, so @src need
 * not outlive the call.  -EINVAL for another @len.
 */
int gmm_batch_add_write_imm(struct gmm_batch_buf *b, uint32_t obj,
			    uint64_t offset, const void *src, uint32_t len);
/*
 * GMM_OP_READ with GMM_OP_IMM (GMM_FEATURE_OP_IMM): @len (1..8) bytes at
 * @offset of @obj; result: those bytes, as if copied to the result's
 * first bytes (the rest 0).  -EINVAL for another @len.
 */
int gmm_batch_add_read_imm(struct gmm_batch_buf *b, uint32_t obj,
			   uint64_t offset, uint32_t len);

/**
 * gmm_batch_first_word - give an ALLOC's object a first word
 * @b:		the buffer
 * @i:		an ALLOC of @b, added already
 * @word:	the object's first 8 bytes (ignored when they are a pointer
 *		word of its type)
 *
 * GMM_OP_IMM on an ALLOC (GMM_FEATURE_OP_IMM): a header or a number set
 * as the object is made, instead of by a WRITE.  Returns 0, or -EINVAL
 * when @i is not an ALLOC of @b.
 */
int gmm_batch_first_word(struct gmm_batch_buf *b, uint32_t i, uint64_t word);

/**
 * gmm_batch_peek - make a LOAD read its object's first bytes too
 * @b:		the buffer
 * @i:		a LOAD of @b, added already
 * @len:	bytes to read, 1..8
 *
 * GMM_OP_IMM on a LOAD (GMM_FEATURE_OP_IMM): the object loaded becomes a
 * temporary (GMM_OP_TEMP is set too) and the result is its first @len
 * bytes, as gmm_batch_add_read_imm() at offset 0 would give them; a NULL
 * pointer word fails the operation with -ENOENT.  Returns 0, or -EINVAL
 * when @i is not a LOAD of @b or @len is not 1..8.
 */
int gmm_batch_peek(struct gmm_batch_buf *b, uint32_t i, uint32_t len);

/**
 * gmm_batch_run - run the buffer's operations (GMM_IOC_BATCH)
 * @g:		from gmm_open()
 * @b:		the buffer; an empty one runs nothing and succeeds
 * @failed:	out (may be NULL): on failure, the index of the operation
 *		that failed, or GMM_BATCH_NONE when the call failed before
 *		any operation ran (a malformed batch)
 *
 * Sets b->done to the number of operations that succeeded (and whose
 * results gmm_batch_result() now holds) and b->error to 0 or the error.
 * The buffer is not reset: its results stay readable.
 *
 * Returns 0 when every operation succeeded, else the failing operation's
 * -errno (as the operation's own function would return it) or the call's.
 */
int gmm_batch_run(struct gmm *g, struct gmm_batch_buf *b, uint32_t *failed);

/**
 * gmm_batch_result - result of operation @i after gmm_batch_run()
 * @b:		the buffer
 * @i:		index returned by gmm_batch_add*(), below b->done
 *
 * Returns the operation's result (see the table in <linux/gmm.h>), as a
 * uint64_t; handles fit in uint32_t.  0 for an index out of range.
 */
uint64_t gmm_batch_result(const struct gmm_batch_buf *b, uint32_t i);

#ifdef __cplusplus
}
#endif

#endif /* GMM_LIBGMM_H */
