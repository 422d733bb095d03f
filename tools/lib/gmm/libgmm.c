// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * libgmm.c - the ioctls of /dev/gmm as C functions.
 *
 * Nothing here keeps state about objects: the kernel owns the heap, the
 * handles and the types, and checks every argument.  The library fills in
 * the ABI structs (zeroing every field it does not set, since reserved
 * fields and unused operation fields must be 0), calls ioctl(2) and turns
 * -1/errno into -errno.  See gmm.h for the contract of each function.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "gmm.h"

#define LIBGMM_EXPORT	__attribute__((visibility("default")))

struct gmm {
	int fd;
	struct gmm_version version;
};

/* ioctl() that returns 0 or -errno and survives EINTR of a non-fatal signal. */
static int gmm_ioctl(int fd, unsigned long cmd, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, cmd, arg);
	} while (ret < 0 && errno == EINTR);
	return ret < 0 ? -errno : 0;
}

static uint64_t ptr_to_u64(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

LIBGMM_EXPORT struct gmm *gmm_open(const char *path, int flags)
{
	struct gmm *g;
	int err;

	if (flags & ~GMM_OPEN_ANY_ABI) {
		errno = EINVAL;
		return NULL;
	}
	g = calloc(1, sizeof(*g));
	if (!g) {
		errno = ENOMEM;
		return NULL;
	}
	g->fd = open(path ? path : GMM_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (g->fd < 0) {
		err = errno;
		free(g);
		errno = err;
		return NULL;
	}
	err = gmm_ioctl(g->fd, GMM_IOC_VERSION, &g->version);
	if (!err && !(flags & GMM_OPEN_ANY_ABI) &&
	    g->version.abi_major != GMM_ABI_MAJOR)
		err = -EPROTONOSUPPORT;
	if (err) {
		close(g->fd);
		free(g);
		errno = -err;
		return NULL;
	}
	return g;
}

LIBGMM_EXPORT void gmm_close(struct gmm *g)
{
	if (!g)
		return;
	close(g->fd);
	free(g);
}

LIBGMM_EXPORT int gmm_fd(const struct gmm *g)
{
	return g->fd;
}

LIBGMM_EXPORT int gmm_version(const struct gmm *g, struct gmm_version *v)
{
	*v = g->version;
	return 0;
}

LIBGMM_EXPORT int gmm_has_feature(const struct gmm *g, uint64_t feature)
{
	return (g->version.features & feature) == feature;
}

static int gmm_params_call(struct gmm *g, struct gmm_params *p)
{
	return gmm_ioctl(g->fd, GMM_IOC_PARAMS, p);
}

LIBGMM_EXPORT int gmm_get_params(struct gmm *g, struct gmm_params *out)
{
	struct gmm_params p;
	int err;

	memset(&p, 0, sizeof(p));
	err = gmm_params_call(g, &p);
	if (!err)
		*out = p;
	return err;
}

LIBGMM_EXPORT int gmm_set_gc_percent(struct gmm *g, int gc_percent)
{
	struct gmm_params p;

	memset(&p, 0, sizeof(p));
	p.flags = GMM_PARAMS_SET_GC_PERCENT;
	p.gc_percent = gc_percent;
	return gmm_params_call(g, &p);
}

LIBGMM_EXPORT int gmm_set_memory_limit(struct gmm *g, uint64_t bytes)
{
	struct gmm_params p;

	memset(&p, 0, sizeof(p));
	p.flags = GMM_PARAMS_SET_MEMORY_LIMIT;
	p.memory_limit = bytes;
	return gmm_params_call(g, &p);
}

LIBGMM_EXPORT int gmm_type_create(struct gmm *g, const char *name,
				  uint32_t size, uint32_t align,
				  const uint32_t *ptr_offsets,
				  uint32_t nr_ptrs, uint32_t *id)
{
	struct gmm_type_create tc;
	int err;

	memset(&tc, 0, sizeof(tc));
	if (name) {
		size_t n = strlen(name);

		if (n >= sizeof(tc.name))
			return -EINVAL;
		memcpy(tc.name, name, n);
	}
	tc.size = size;
	tc.align = align;
	tc.nr_ptrs = nr_ptrs;
	tc.ptr_offsets = nr_ptrs ? ptr_to_u64(ptr_offsets) : 0;
	err = gmm_ioctl(g->fd, GMM_IOC_TYPE_CREATE, &tc);
	if (!err)
		*id = tc.id;
	return err;
}

/* Run one operation; on success its result is in op->result. */
static int gmm_op1(struct gmm *g, struct gmm_op *op)
{
	return gmm_ioctl(g->fd, GMM_IOC_OP, op);
}

static void op_init(struct gmm_op *op, uint32_t code)
{
	memset(op, 0, sizeof(*op));
	op->op = code;
}

static int gmm_op_handle(struct gmm *g, struct gmm_op *op, uint32_t *out)
{
	int err = gmm_op1(g, op);

	if (!err && out)
		*out = (uint32_t)op->result;
	return err;
}

LIBGMM_EXPORT int gmm_alloc(struct gmm *g, uint32_t type, uint64_t count,
			    uint32_t *handle)
{
	struct gmm_op op;

	if (!type)		/* type 0 would mean "bytes" to the kernel */
		return -EINVAL;
	op_init(&op, GMM_OP_ALLOC);
	op.arg = type;
	op.len = count;
	return gmm_op_handle(g, &op, handle);
}

LIBGMM_EXPORT int gmm_alloc_bytes(struct gmm *g, uint64_t size,
				  uint32_t *handle)
{
	struct gmm_op op;

	op_init(&op, GMM_OP_ALLOC);
	op.len = size;
	return gmm_op_handle(g, &op, handle);
}

LIBGMM_EXPORT int gmm_release(struct gmm *g, uint32_t handle)
{
	struct gmm_op op;

	op_init(&op, GMM_OP_RELEASE);
	op.handle = handle;
	return gmm_op1(g, &op);
}

LIBGMM_EXPORT int gmm_dup(struct gmm *g, uint32_t handle, uint32_t *out)
{
	struct gmm_op op;

	op_init(&op, GMM_OP_DUP);
	op.handle = handle;
	return gmm_op_handle(g, &op, out);
}

LIBGMM_EXPORT int gmm_store(struct gmm *g, uint32_t obj, uint64_t offset,
			    uint32_t target)
{
	struct gmm_op op;

	op_init(&op, GMM_OP_STORE);
	op.handle = obj;
	op.offset = offset;
	op.arg = target;
	return gmm_op1(g, &op);
}

LIBGMM_EXPORT int gmm_load(struct gmm *g, uint32_t obj, uint64_t offset,
			   uint32_t *out)
{
	struct gmm_op op;

	op_init(&op, GMM_OP_LOAD);
	op.handle = obj;
	op.offset = offset;
	return gmm_op_handle(g, &op, out);
}

LIBGMM_EXPORT int gmm_read(struct gmm *g, uint32_t obj, uint64_t offset,
			   void *buf, size_t len)
{
	struct gmm_op op;

	op_init(&op, GMM_OP_READ);
	op.handle = obj;
	op.offset = offset;
	op.len = len;
	op.buf = ptr_to_u64(buf);
	return gmm_op1(g, &op);
}

LIBGMM_EXPORT int gmm_write(struct gmm *g, uint32_t obj, uint64_t offset,
			    const void *buf, size_t len)
{
	struct gmm_op op;

	op_init(&op, GMM_OP_WRITE);
	op.handle = obj;
	op.offset = offset;
	op.len = len;
	op.buf = ptr_to_u64(buf);
	return gmm_op1(g, &op);
}

LIBGMM_EXPORT int gmm_info(struct gmm *g, uint32_t obj, uint32_t *size,
			   uint32_t *type)
{
	struct gmm_op op;
	int err;

	op_init(&op, GMM_OP_INFO);
	op.handle = obj;
	err = gmm_op1(g, &op);
	if (err)
		return err;
	if (size)
		*size = (uint32_t)op.result;
	if (type)
		*type = (uint32_t)(op.result >> 32);
	return 0;
}

LIBGMM_EXPORT int gmm_collect(struct gmm *g, uint64_t *num_gc)
{
	struct gmm_op op;
	int ret;

	op_init(&op, GMM_OP_GC);
	/*
	 * Not gmm_op1(): the kernel's wait is killable only, so EINTR here
	 * is a fatal signal and retrying would start another full cycle.
	 */
	ret = ioctl(g->fd, GMM_IOC_OP, &op);
	if (ret < 0)
		return -errno;
	if (num_gc)
		*num_gc = op.result;
	return 0;
}

LIBGMM_EXPORT int gmm_stats(struct gmm *g, struct gmm_stats *out,
			    struct gmm_class_info *classes,
			    uint32_t nr_classes)
{
	struct gmm_stats st;
	int err;

	memset(&st, 0, sizeof(st));
	if (classes && nr_classes) {
		st.nr_classes = nr_classes;
		st.classes = ptr_to_u64(classes);
		st.class_size = sizeof(*classes);
	}
	err = gmm_ioctl(g->fd, GMM_IOC_STATS, &st);
	if (!err)
		*out = st;
	return err;
}

LIBGMM_EXPORT int gmm_spans(struct gmm *g, struct gmm_spans *out,
			    struct gmm_arena_info *arenas, uint32_t nr_arenas,
			    struct gmm_span_info *spans, uint32_t nr_spans)
{
	struct gmm_spans sp;
	int err;

	memset(&sp, 0, sizeof(sp));
	if (arenas && nr_arenas) {
		sp.nr_arenas = nr_arenas;
		sp.arenas = ptr_to_u64(arenas);
	}
	if (spans && nr_spans) {
		sp.nr_spans = nr_spans;
		sp.spans = ptr_to_u64(spans);
	}
	sp.arena_size = sizeof(*arenas);
	sp.span_size = sizeof(*spans);
	err = gmm_ioctl(g->fd, GMM_IOC_SPANS, &sp);
	if (!err)
		*out = sp;
	return err;
}

LIBGMM_EXPORT int gmm_spans_alloc(struct gmm *g, struct gmm_spans *out,
				  struct gmm_arena_info **arenas_out,
				  struct gmm_span_info **spans_out)
{
	struct gmm_arena_info *arenas = NULL;
	struct gmm_span_info *spans = NULL;
	uint32_t na = 0, ns = 0;
	struct gmm_spans sp;
	int err, tries;

	/*
	 * The heap may grow between calls: ask how much there is, get room
	 * for that plus some slack, and try again while it does not fit.
	 */
	for (tries = 0; tries < 16; tries++) {
		err = gmm_spans(g, &sp, arenas, na, spans, ns);
		if (err)
			break;
		if (sp.nr_arenas <= na && sp.nr_spans <= ns) {
			if (!sp.nr_arenas) {
				free(arenas);
				arenas = NULL;
			}
			if (!sp.nr_spans) {
				free(spans);
				spans = NULL;
			}
			*out = sp;
			*arenas_out = arenas;
			*spans_out = spans;
			return 0;
		}
		if (sp.nr_arenas > na) {
			void *p;

			na = sp.nr_arenas + sp.nr_arenas / 4 + 4;
			p = realloc(arenas, (size_t)na * sizeof(*arenas));
			if (!p) {
				err = -ENOMEM;
				break;
			}
			arenas = p;
		}
		if (sp.nr_spans > ns) {
			void *p;

			ns = sp.nr_spans + sp.nr_spans / 4 + 16;
			p = realloc(spans, (size_t)ns * sizeof(*spans));
			if (!p) {
				err = -ENOMEM;
				break;
			}
			spans = p;
		}
	}
	if (!err)
		err = -EAGAIN;	/* the heap kept growing faster than we read */
	free(arenas);
	free(spans);
	return err;
}

LIBGMM_EXPORT int gmm_cycles(struct gmm *g, struct gmm_cycle_info *cycles,
			     uint32_t n, uint32_t *count, uint64_t *num_gc)
{
	struct gmm_cycles c;
	int err;

	memset(&c, 0, sizeof(c));
	c.count = cycles ? n : 0;
	c.cycles = ptr_to_u64(cycles);
	c.cycle_size = sizeof(*cycles);
	err = gmm_ioctl(g->fd, GMM_IOC_CYCLES, &c);
	if (err)
		return err;
	*count = c.count;
	if (num_gc)
		*num_gc = c.num_gc;
	return 0;
}

LIBGMM_EXPORT const char *gmm_op_name(uint32_t op)
{
	static const char *const names[] = {
		[GMM_OP_NOP] = "nop",		[GMM_OP_ALLOC] = "alloc",
		[GMM_OP_RELEASE] = "release",	[GMM_OP_DUP] = "dup",
		[GMM_OP_STORE] = "store",	[GMM_OP_LOAD] = "load",
		[GMM_OP_READ] = "read",		[GMM_OP_WRITE] = "write",
		[GMM_OP_INFO] = "info",		[GMM_OP_GC] = "gc",
		[GMM_OP_WEAK] = "weak",		[GMM_OP_WEAK_LOAD] = "weak_load",
		[GMM_OP_WEAK_RELEASE] = "weak_release",
		[GMM_OP_CLEANUP] = "cleanup",
		[GMM_OP_CLEANUP_CANCEL] = "cleanup_cancel",
	};

	if (op >= sizeof(names) / sizeof(names[0]) || !names[op])
		return "?";
	return names[op];
}

/* Batches. */

LIBGMM_EXPORT int gmm_batch_init(struct gmm_batch_buf *b, uint32_t capacity)
{
	memset(b, 0, sizeof(*b));
	if (!capacity || capacity > GMM_BATCH_MAX)
		return -EINVAL;
	b->ops = calloc(capacity, sizeof(*b->ops));
	if (!b->ops)
		return -ENOMEM;
	b->capacity = capacity;
	return 0;
}

LIBGMM_EXPORT void gmm_batch_free(struct gmm_batch_buf *b)
{
	free(b->ops);
	memset(b, 0, sizeof(*b));
}

LIBGMM_EXPORT void gmm_batch_reset(struct gmm_batch_buf *b)
{
	b->count = 0;
	b->done = 0;
	b->error = 0;
}

LIBGMM_EXPORT int gmm_batch_add(struct gmm_batch_buf *b,
				const struct gmm_op *op)
{
	if (b->count >= b->capacity)
		return -ENOSPC;
	b->ops[b->count] = *op;
	b->ops[b->count].result = 0;
	return (int)b->count++;
}

LIBGMM_EXPORT int gmm_batch_link(struct gmm_batch_buf *b, uint32_t i,
				 uint32_t flag, uint32_t target)
{
	if (i >= b->count || target >= i ||
	    (flag != GMM_OP_HANDLE_LINK && flag != GMM_OP_ARG_LINK))
		return -EINVAL;
	b->ops[i].flags |= flag;
	if (flag == GMM_OP_HANDLE_LINK)
		b->ops[i].handle = target;
	else
		b->ops[i].arg = target;
	return 0;
}

LIBGMM_EXPORT int gmm_batch_temp(struct gmm_batch_buf *b, uint32_t i)
{
	if (i >= b->count)
		return -EINVAL;
	b->ops[i].flags |= GMM_OP_TEMP;
	return 0;
}

/* Append a zeroed operation of @code; NULL when full. */
static struct gmm_op *batch_new(struct gmm_batch_buf *b, uint32_t code)
{
	struct gmm_op *op;

	if (b->count >= b->capacity)
		return NULL;
	op = &b->ops[b->count];
	op_init(op, code);
	return op;
}

/* Index of the operation batch_new() just set up. */
static int batch_commit(struct gmm_batch_buf *b)
{
	return (int)b->count++;
}

LIBGMM_EXPORT int gmm_batch_add_alloc(struct gmm_batch_buf *b, uint32_t type,
				      uint64_t count)
{
	struct gmm_op *op = batch_new(b, GMM_OP_ALLOC);

	if (!op)
		return -ENOSPC;
	op->arg = type;
	op->len = count;
	return batch_commit(b);
}

LIBGMM_EXPORT int gmm_batch_add_alloc_bytes(struct gmm_batch_buf *b,
					    uint64_t size)
{
	struct gmm_op *op = batch_new(b, GMM_OP_ALLOC);

	if (!op)
		return -ENOSPC;
	op->len = size;
	return batch_commit(b);
}

LIBGMM_EXPORT int gmm_batch_add_release(struct gmm_batch_buf *b,
					uint32_t handle)
{
	struct gmm_op *op = batch_new(b, GMM_OP_RELEASE);

	if (!op)
		return -ENOSPC;
	op->handle = handle;
	return batch_commit(b);
}

LIBGMM_EXPORT int gmm_batch_add_dup(struct gmm_batch_buf *b, uint32_t handle)
{
	struct gmm_op *op = batch_new(b, GMM_OP_DUP);

	if (!op)
		return -ENOSPC;
	op->handle = handle;
	return batch_commit(b);
}

LIBGMM_EXPORT int gmm_batch_add_store(struct gmm_batch_buf *b, uint32_t obj,
				      uint64_t offset, uint32_t target)
{
	struct gmm_op *op = batch_new(b, GMM_OP_STORE);

	if (!op)
		return -ENOSPC;
	op->handle = obj;
	op->offset = offset;
	op->arg = target;
	return batch_commit(b);
}

LIBGMM_EXPORT int gmm_batch_add_load(struct gmm_batch_buf *b, uint32_t obj,
				     uint64_t offset)
{
	struct gmm_op *op = batch_new(b, GMM_OP_LOAD);

	if (!op)
		return -ENOSPC;
	op->handle = obj;
	op->offset = offset;
	return batch_commit(b);
}

LIBGMM_EXPORT int gmm_batch_add_read(struct gmm_batch_buf *b, uint32_t obj,
				     uint64_t offset, void *buf, size_t len)
{
	struct gmm_op *op = batch_new(b, GMM_OP_READ);

	if (!op)
		return -ENOSPC;
	op->handle = obj;
	op->offset = offset;
	op->len = len;
	op->buf = ptr_to_u64(buf);
	return batch_commit(b);
}

LIBGMM_EXPORT int gmm_batch_add_write(struct gmm_batch_buf *b, uint32_t obj,
				      uint64_t offset, const void *buf,
				      size_t len)
{
	struct gmm_op *op = batch_new(b, GMM_OP_WRITE);

	if (!op)
		return -ENOSPC;
	op->handle = obj;
	op->offset = offset;
	op->len = len;
	op->buf = ptr_to_u64(buf);
	return batch_commit(b);
}

LIBGMM_EXPORT int gmm_batch_add_alloc_into(struct gmm_batch_buf *b,
					   uint32_t type, uint64_t count,
					   uint32_t obj, uint64_t offset)
{
	struct gmm_op *op = batch_new(b, GMM_OP_ALLOC);

	if (!op)
		return -ENOSPC;
	op->flags = GMM_OP_INTO;
	op->arg = type;
	op->len = count;
	op->handle = obj;
	op->offset = offset;
	return batch_commit(b);
}

/* READ or WRITE of 1..8 bytes in the operation (GMM_OP_IMM). */
static int batch_add_imm(struct gmm_batch_buf *b, uint32_t code, uint32_t obj,
			 uint64_t offset, const void *src, uint32_t len)
{
	struct gmm_op *op;

	if (!len || len > sizeof(op->buf))
		return -EINVAL;
	op = batch_new(b, code);
	if (!op)
		return -ENOSPC;
	op->flags = GMM_OP_IMM;
	op->handle = obj;
	op->offset = offset;
	op->len = len;
	if (src)
		memcpy(&op->buf, src, len);	/* the rest stays 0 */
	return batch_commit(b);
}

LIBGMM_EXPORT int gmm_batch_add_write_imm(struct gmm_batch_buf *b,
					  uint32_t obj, uint64_t offset,
					  const void *src, uint32_t len)
{
	return src ? batch_add_imm(b, GMM_OP_WRITE, obj, offset, src, len) :
		     -EINVAL;
}

LIBGMM_EXPORT int gmm_batch_add_read_imm(struct gmm_batch_buf *b,
					 uint32_t obj, uint64_t offset,
					 uint32_t len)
{
	return batch_add_imm(b, GMM_OP_READ, obj, offset, NULL, len);
}

LIBGMM_EXPORT int gmm_batch_first_word(struct gmm_batch_buf *b, uint32_t i,
				       uint64_t word)
{
	if (i >= b->count || b->ops[i].op != GMM_OP_ALLOC)
		return -EINVAL;
	b->ops[i].flags |= GMM_OP_IMM;
	b->ops[i].buf = word;
	return 0;
}

LIBGMM_EXPORT int gmm_batch_peek(struct gmm_batch_buf *b, uint32_t i,
				 uint32_t len)
{
	if (i >= b->count || b->ops[i].op != GMM_OP_LOAD || !len ||
	    len > sizeof(b->ops[i].buf))
		return -EINVAL;
	b->ops[i].flags |= GMM_OP_IMM | GMM_OP_TEMP;
	b->ops[i].len = len;
	return 0;
}

LIBGMM_EXPORT int gmm_batch_add_info(struct gmm_batch_buf *b, uint32_t obj)
{
	struct gmm_op *op = batch_new(b, GMM_OP_INFO);

	if (!op)
		return -ENOSPC;
	op->handle = obj;
	return batch_commit(b);
}

LIBGMM_EXPORT int gmm_batch_add_gc(struct gmm_batch_buf *b)
{
	if (!batch_new(b, GMM_OP_GC))
		return -ENOSPC;
	return batch_commit(b);
}

LIBGMM_EXPORT int gmm_batch_run(struct gmm *g, struct gmm_batch_buf *b,
				uint32_t *failed)
{
	struct gmm_batch hdr;
	int ret;

	b->done = 0;
	b->error = 0;
	if (!b->count)
		return 0;
	memset(&hdr, 0, sizeof(hdr));
	hdr.count = b->count;
	hdr.ops = ptr_to_u64(b->ops);
	hdr.op_size = sizeof(struct gmm_op);
	/*
	 * No retry on EINTR: operations before the interruption have run
	 * and a second run would repeat them.  The kernel only stops a
	 * batch for a fatal signal anyway.
	 */
	ret = ioctl(g->fd, GMM_IOC_BATCH, &hdr);
	if (ret == 0) {
		b->done = b->count;
		return 0;
	}
	ret = -errno;
	b->error = ret;
	/*
	 * The kernel writes done and error back when an operation failed;
	 * a malformed header fails with both 0 (and error 0 is then the
	 * only way to tell).
	 */
	if (hdr.error && hdr.done < b->count) {
		b->done = hdr.done;
		if (failed)
			*failed = hdr.done;
	} else if (failed) {
		*failed = GMM_BATCH_NONE;
	}
	return ret;
}

LIBGMM_EXPORT uint64_t gmm_batch_result(const struct gmm_batch_buf *b,
					uint32_t i)
{
	if (i >= b->done)
		return 0;
	return b->ops[i].result;
}
