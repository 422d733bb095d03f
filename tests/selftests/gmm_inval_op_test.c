// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_inval_op_test.c - the operations of GMM_IOC_OP with fields that must
 * be zero and are not (one test per operation and field), with handles
 * the file does not hold (one test per operation and kind of handle), and
 * past the per-file handle cap (module parameter max_handles).
 *
 * Needs gmm.ko loaded; skips when /dev/gmm is missing.
 */
#include <limits.h>

#include "kselftest_harness.h"
#include "gmm_util.h"

#define NODE_SIZE	32	/* pointers at 0 and 8, data at 16 and 24 */

/*
 * Unused operation fields that are not zero: one test per operation and
 * field.  The same operation with the field zero must then succeed.
 */
enum field { F_FLAGS, F_HANDLE, F_ARG, F_OFFSET, F_LEN, F_BUF };

/* What the operations of these tests work on. */
struct objs {
	__u32 node, obj, target;
	__u64 word;
};

FIXTURE(unused) {
	int fd;
	struct objs o;
};

FIXTURE_VARIANT(unused) {
	__u32 op;
	enum field field;
};

FIXTURE_VARIANT_ADD(unused, ALLOC_FLAGS) {
	.op = GMM_OP_ALLOC, .field = F_FLAGS,
};

FIXTURE_VARIANT_ADD(unused, ALLOC_HANDLE) {
	.op = GMM_OP_ALLOC, .field = F_HANDLE,
};

FIXTURE_VARIANT_ADD(unused, ALLOC_OFFSET) {
	.op = GMM_OP_ALLOC, .field = F_OFFSET,
};

FIXTURE_VARIANT_ADD(unused, ALLOC_BUF) {
	.op = GMM_OP_ALLOC, .field = F_BUF,
};

FIXTURE_VARIANT_ADD(unused, RELEASE_FLAGS) {
	.op = GMM_OP_RELEASE, .field = F_FLAGS,
};

FIXTURE_VARIANT_ADD(unused, RELEASE_ARG) {
	.op = GMM_OP_RELEASE, .field = F_ARG,
};

FIXTURE_VARIANT_ADD(unused, RELEASE_OFFSET) {
	.op = GMM_OP_RELEASE, .field = F_OFFSET,
};

FIXTURE_VARIANT_ADD(unused, RELEASE_LEN) {
	.op = GMM_OP_RELEASE, .field = F_LEN,
};

FIXTURE_VARIANT_ADD(unused, RELEASE_BUF) {
	.op = GMM_OP_RELEASE, .field = F_BUF,
};

FIXTURE_VARIANT_ADD(unused, DUP_FLAGS) {
	.op = GMM_OP_DUP, .field = F_FLAGS,
};

FIXTURE_VARIANT_ADD(unused, DUP_ARG) {
	.op = GMM_OP_DUP, .field = F_ARG,
};

FIXTURE_VARIANT_ADD(unused, DUP_OFFSET) {
	.op = GMM_OP_DUP, .field = F_OFFSET,
};

FIXTURE_VARIANT_ADD(unused, DUP_LEN) {
	.op = GMM_OP_DUP, .field = F_LEN,
};

FIXTURE_VARIANT_ADD(unused, DUP_BUF) {
	.op = GMM_OP_DUP, .field = F_BUF,
};

FIXTURE_VARIANT_ADD(unused, STORE_FLAGS) {
	.op = GMM_OP_STORE, .field = F_FLAGS,
};

FIXTURE_VARIANT_ADD(unused, STORE_LEN) {
	.op = GMM_OP_STORE, .field = F_LEN,
};

FIXTURE_VARIANT_ADD(unused, STORE_BUF) {
	.op = GMM_OP_STORE, .field = F_BUF,
};

FIXTURE_VARIANT_ADD(unused, LOAD_FLAGS) {
	.op = GMM_OP_LOAD, .field = F_FLAGS,
};

FIXTURE_VARIANT_ADD(unused, LOAD_ARG) {
	.op = GMM_OP_LOAD, .field = F_ARG,
};

FIXTURE_VARIANT_ADD(unused, LOAD_LEN) {
	.op = GMM_OP_LOAD, .field = F_LEN,
};

FIXTURE_VARIANT_ADD(unused, LOAD_BUF) {
	.op = GMM_OP_LOAD, .field = F_BUF,
};

FIXTURE_VARIANT_ADD(unused, READ_FLAGS) {
	.op = GMM_OP_READ, .field = F_FLAGS,
};

FIXTURE_VARIANT_ADD(unused, READ_ARG) {
	.op = GMM_OP_READ, .field = F_ARG,
};

FIXTURE_VARIANT_ADD(unused, WRITE_FLAGS) {
	.op = GMM_OP_WRITE, .field = F_FLAGS,
};

FIXTURE_VARIANT_ADD(unused, WRITE_ARG) {
	.op = GMM_OP_WRITE, .field = F_ARG,
};

FIXTURE_VARIANT_ADD(unused, INFO_FLAGS) {
	.op = GMM_OP_INFO, .field = F_FLAGS,
};

FIXTURE_VARIANT_ADD(unused, INFO_ARG) {
	.op = GMM_OP_INFO, .field = F_ARG,
};

FIXTURE_VARIANT_ADD(unused, INFO_OFFSET) {
	.op = GMM_OP_INFO, .field = F_OFFSET,
};

FIXTURE_VARIANT_ADD(unused, INFO_LEN) {
	.op = GMM_OP_INFO, .field = F_LEN,
};

FIXTURE_VARIANT_ADD(unused, INFO_BUF) {
	.op = GMM_OP_INFO, .field = F_BUF,
};

FIXTURE_VARIANT_ADD(unused, GC_FLAGS) {
	.op = GMM_OP_GC, .field = F_FLAGS,
};

FIXTURE_VARIANT_ADD(unused, GC_HANDLE) {
	.op = GMM_OP_GC, .field = F_HANDLE,
};

FIXTURE_VARIANT_ADD(unused, GC_ARG) {
	.op = GMM_OP_GC, .field = F_ARG,
};

FIXTURE_VARIANT_ADD(unused, GC_OFFSET) {
	.op = GMM_OP_GC, .field = F_OFFSET,
};

FIXTURE_VARIANT_ADD(unused, GC_LEN) {
	.op = GMM_OP_GC, .field = F_LEN,
};

FIXTURE_VARIANT_ADD(unused, GC_BUF) {
	.op = GMM_OP_GC, .field = F_BUF,
};

FIXTURE_VARIANT_ADD(unused, NOP_FLAGS) {
	.op = GMM_OP_NOP, .field = F_FLAGS,
};

FIXTURE_VARIANT_ADD(unused, NOP_HANDLE) {
	.op = GMM_OP_NOP, .field = F_HANDLE,
};

FIXTURE_VARIANT_ADD(unused, NOP_ARG) {
	.op = GMM_OP_NOP, .field = F_ARG,
};

FIXTURE_VARIANT_ADD(unused, NOP_OFFSET) {
	.op = GMM_OP_NOP, .field = F_OFFSET,
};

FIXTURE_VARIANT_ADD(unused, NOP_LEN) {
	.op = GMM_OP_NOP, .field = F_LEN,
};

FIXTURE_VARIANT_ADD(unused, NOP_BUF) {
	.op = GMM_OP_NOP, .field = F_BUF,
};

FIXTURE_SETUP(unused)
{
	static const __u32 offs[] = { 0, 8 };

	ST_OPEN_OR_SKIP(self->fd);
	ASSERT_EQ(0, st_type(self->fd, NODE_SIZE, 0, offs, 2, "node",
			     &self->o.node));
	ASSERT_EQ(0, st_alloc(self->fd, self->o.node, 1, &self->o.obj));
	ASSERT_EQ(0, st_alloc(self->fd, self->o.node, 1, &self->o.target));
}

FIXTURE_TEARDOWN(unused)
{
	if (self->fd >= 0)
		close(self->fd);
}

/* A valid operation of each kind on the fixture's objects. */
static void valid_op(struct objs *self, __u32 code, struct gmm_op *op)
{
	memset(op, 0, sizeof(*op));
	op->op = code;
	switch (code) {
	case GMM_OP_ALLOC:
		op->arg = self->node;
		op->len = 1;
		break;
	case GMM_OP_RELEASE:
	case GMM_OP_DUP:
	case GMM_OP_INFO:
		op->handle = self->obj;
		break;
	case GMM_OP_STORE:
		op->handle = self->obj;
		op->offset = 8;
		op->arg = self->target;
		break;
	case GMM_OP_LOAD:
		op->handle = self->obj;
		op->offset = 8;
		break;
	case GMM_OP_READ:
	case GMM_OP_WRITE:
		op->handle = self->obj;
		op->offset = 16;
		op->len = 8;
		op->buf = st_ptr(&self->word);
		break;
	}
}

TEST_F(unused, rejected)
{
	struct gmm_op op;
	struct gmm_stats before, after;

	ASSERT_EQ(0, st_stats(self->fd, &before));
	valid_op(&self->o, variant->op, &op);
	switch (variant->field) {
	case F_FLAGS:
		op.flags = 1;
		break;
	case F_HANDLE:
		op.handle = self->o.obj;
		break;
	case F_ARG:
		op.arg = self->o.target;
		break;
	case F_OFFSET:
		op.offset = 8;
		break;
	case F_LEN:
		op.len = 8;
		break;
	case F_BUF:
		op.buf = st_ptr(&self->o.word);
		break;
	}
	EXPECT_EQ(-EINVAL, st_op_run(self->fd, &op));
	/* Nothing happened: no handle made or released, no cycle run. */
	ASSERT_EQ(0, st_stats(self->fd, &after));
	EXPECT_EQ(before.handles, after.handles);
	EXPECT_EQ(before.mallocs, after.mallocs);
	EXPECT_EQ(before.num_forced_gc, after.num_forced_gc);
	/* The control. */
	valid_op(&self->o, variant->op, &op);
	EXPECT_EQ(0, st_op_run(self->fd, &op));
}

/*
 * Bad handles, for every operation that takes one (for STORE both the
 * object and the target): one test per operation and kind of handle.
 */
/* An operation to run with a bad handle. */
struct bad_op {
	int fd;
	struct objs *o;
	__u32 code;
	bool target;	/* the bad handle is STORE's target */
};

FIXTURE(badh) {
	int fd;
	struct objs o;
	struct bad_op b;
	__u32 released, freed;
	__u32 last;	/* the highest handle issued */
};

FIXTURE_VARIANT(badh) {
	__u32 op;
	bool target;	/* the bad handle is STORE's target (arg) */
};

FIXTURE_VARIANT_ADD(badh, release) {
	.op = GMM_OP_RELEASE,
};

FIXTURE_VARIANT_ADD(badh, dup) {
	.op = GMM_OP_DUP,
};

FIXTURE_VARIANT_ADD(badh, store) {
	.op = GMM_OP_STORE,
};

FIXTURE_VARIANT_ADD(badh, store_target) {
	.op = GMM_OP_STORE, .target = true,
};

FIXTURE_VARIANT_ADD(badh, load) {
	.op = GMM_OP_LOAD,
};

FIXTURE_VARIANT_ADD(badh, read) {
	.op = GMM_OP_READ,
};

FIXTURE_VARIANT_ADD(badh, write) {
	.op = GMM_OP_WRITE,
};

FIXTURE_VARIANT_ADD(badh, info) {
	.op = GMM_OP_INFO,
};

FIXTURE_SETUP(badh)
{
	static const __u32 offs[] = { 0, 8 };
	unsigned int i;

	ST_OPEN_OR_SKIP(self->fd);
	ASSERT_EQ(0, st_type(self->fd, NODE_SIZE, 0, offs, 2, "node",
			     &self->o.node));
	ASSERT_EQ(0, st_alloc(self->fd, self->o.node, 1, &self->o.obj));
	ASSERT_EQ(0, st_alloc(self->fd, self->o.node, 1, &self->o.target));
	ASSERT_EQ(0, st_alloc(self->fd, self->o.node, 1, &self->released));
	ASSERT_EQ(0, st_release(self->fd, self->released));
	/* A handle whose object was freed and its memory used again. */
	ASSERT_EQ(0, st_alloc(self->fd, self->o.node, 1, &self->freed));
	ASSERT_EQ(0, st_release(self->fd, self->freed));
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	for (i = 0; i < 64; i++)
		ASSERT_EQ(0, st_alloc(self->fd, self->o.node, 1, &self->last));
	ASSERT_LT(self->freed, self->last);
	self->b.fd = self->fd;
	self->b.o = &self->o;
	self->b.code = variant->op;
	self->b.target = variant->target;
}

FIXTURE_TEARDOWN(badh)
{
	if (self->fd >= 0)
		close(self->fd);
}

/* Run the operation with @bad as its handle, or as STORE's target. */
static int run_with_handle(const struct bad_op *b, __u32 bad)
{
	struct objs *o = b->o;
	bool target = b->target;
	struct gmm_op op;

	memset(&op, 0, sizeof(op));
	op.op = b->code;
	op.handle = target ? o->obj : bad;
	switch (b->code) {
	case GMM_OP_STORE:
		op.offset = 8;
		op.arg = target ? bad : o->target;
		break;
	case GMM_OP_LOAD:
		op.offset = 8;
		break;
	case GMM_OP_READ:
	case GMM_OP_WRITE:
		op.offset = 16;
		op.len = 8;
		op.buf = st_ptr(&o->word);
		break;
	}
	return st_op_run(b->fd, &op);
}

TEST_F(badh, zero)
{
	/* STORE's target 0 is NULL, which is fine. */
	EXPECT_EQ(variant->target ? 0 : -ENOENT,
		  run_with_handle(&self->b, 0));
}

TEST_F(badh, never_issued)
{
	EXPECT_EQ(-ENOENT, run_with_handle(&self->b, self->last + 1000));
}

TEST_F(badh, released)
{
	EXPECT_EQ(-ENOENT, run_with_handle(&self->b, self->released));
}

TEST_F(badh, released_and_freed)
{
	EXPECT_EQ(-ENOENT, run_with_handle(&self->b, self->freed));
}

TEST_F(badh, next_to_be_issued)
{
	EXPECT_EQ(-ENOENT, run_with_handle(&self->b, self->last + 1));
}

TEST_F(badh, u32_max)
{
	EXPECT_EQ(-ENOENT, run_with_handle(&self->b, UINT_MAX));
}

TEST_F(badh, bit_31)
{
	EXPECT_EQ(-ENOENT, run_with_handle(&self->b, 1U << 31));
}

TEST_F(badh, top_of_range)
{
	EXPECT_EQ(-ENOENT, run_with_handle(&self->b, (1U << 31) - 1));
}

/*
 * Handles of this file only: a number another open file of /dev/gmm
 * holds means nothing here.
 */
TEST_F(badh, other_files_handle)
{
	int fd2 = st_open();
	__u32 h = 0;
	unsigned int i;

	ASSERT_LE(0, fd2);
	/* Have the other file issue numbers beyond this one's. */
	for (i = 0; i < 400 && h <= self->last + 100; i++)
		ASSERT_EQ(0, st_alloc_bytes(fd2, 8, &h));
	ASSERT_LT(self->last + 100, h);
	EXPECT_EQ(-ENOENT, run_with_handle(&self->b, h));
	close(fd2);
}

/*
 * The per-file handle cap (module parameter max_handles): -ENOSPC for
 * whatever would make one more handle.  Lowered for the test, restored
 * in the teardown.
 */
#define MAX_HANDLES_PARAM "/sys/module/gmm/parameters/max_handles"
#define CAP 16

FIXTURE(maxh) {
	int fd;
	char saved[32];
	__u32 node;
};

static int write_param(const char *val)
{
	int f = open(MAX_HANDLES_PARAM, O_WRONLY);
	ssize_t n;

	if (f < 0)
		return -errno;
	n = write(f, val, strlen(val));
	close(f);
	return n == (ssize_t)strlen(val) ? 0 : -EIO;
}

FIXTURE_SETUP(maxh)
{
	static const __u32 offs[] = { 0, 8 };
	ssize_t n;
	int f;

	ST_OPEN_OR_SKIP(self->fd);
	f = open(MAX_HANDLES_PARAM, O_RDONLY);
	if (f < 0 || geteuid() != 0)
		SKIP(_exit(255), "cannot change " MAX_HANDLES_PARAM);
	n = read(f, self->saved, sizeof(self->saved) - 1);
	close(f);
	ASSERT_LT(0, n);
	self->saved[n] = 0;
	ASSERT_EQ(0, st_type(self->fd, NODE_SIZE, 0, offs, 2, "node",
			     &self->node));
	ASSERT_EQ(0, write_param("16"));
}

FIXTURE_TEARDOWN(maxh)
{
	if (self->saved[0])
		write_param(self->saved);
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(maxh, enospc)
{
	__u32 h[CAP], x, l = 1;
	unsigned int i;
	int fd2;

	for (i = 0; i < CAP; i++)
		ASSERT_EQ(0, st_alloc(self->fd, self->node, 1, &h[i]));
	ASSERT_EQ(0, st_store(self->fd, h[0], 0, h[1]));
	/* ALLOC, DUP and a LOAD of a non-NULL pointer each need a handle. */
	EXPECT_EQ(-ENOSPC, st_alloc(self->fd, self->node, 1, &x));
	EXPECT_EQ(-ENOSPC, st_alloc_bytes(self->fd, 8, &x));
	EXPECT_EQ(-ENOSPC, st_dup(self->fd, h[0], &x));
	EXPECT_EQ(-ENOSPC, st_load(self->fd, h[0], 0, &x));
	/* A NULL pointer makes none. */
	EXPECT_EQ(0, st_load(self->fd, h[0], 8, &l));
	EXPECT_EQ(0U, l);
	/* The cap is per file. */
	fd2 = st_open();
	ASSERT_LE(0, fd2);
	EXPECT_EQ(0, st_alloc_bytes(fd2, 8, &x));
	close(fd2);
	/* One released, one more allowed. */
	ASSERT_EQ(0, st_release(self->fd, h[5]));
	EXPECT_EQ(0, st_load(self->fd, h[0], 0, &h[5]));
	EXPECT_EQ(-ENOSPC, st_alloc_bytes(self->fd, 8, &x));
}

/* max_handles=0 means the default (2^20), as 0 does for the MiB limits. */
TEST_F(maxh, zero_means_default)
{
	__u32 h[CAP + 1];
	unsigned int i;

	ASSERT_EQ(0, write_param("0"));
	for (i = 0; i < ARRAY_SIZE(h); i++)
		ASSERT_EQ(0, st_alloc(self->fd, self->node, 1, &h[i]));
	EXPECT_EQ(0, st_dup(self->fd, h[0], &h[1]));
	EXPECT_EQ(CAP + 2ULL, st_handles_of(self->fd));
}

TEST_HARNESS_MAIN
