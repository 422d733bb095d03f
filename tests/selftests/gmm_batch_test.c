// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_batch_test.c - GMM_IOC_BATCH: operations run in order with their
 * results written back; a failing operation stops the batch, reports its
 * index (@done) and errno (@error), and what ran before it stays done;
 * malformed headers (count 0 or over GMM_BATCH_MAX, short op_size, reserved
 * fields) fail with @done 0 and @error 0; longer op_size needs zero tails;
 * bad ops arrays are -EFAULT; an element or header that cannot be written
 * back fails before anything runs, leaving no handle user space cannot
 * learn.
 *
 * Needs gmm.ko loaded; skips when /dev/gmm is missing.
 */
#include <limits.h>

#include "kselftest_harness.h"
#include "gmm_util.h"

#define NODE_SIZE	32	/* pointers at 0 and 8 */

FIXTURE(batch) {
	int fd;
	__u32 node, a, b;
};

FIXTURE_SETUP(batch)
{
	static const __u32 offs[] = { 0, 8 };

	ST_OPEN_OR_SKIP(self->fd);
	ASSERT_EQ(0, st_type(self->fd, NODE_SIZE, 0, offs, 2, "node",
			     &self->node));
	ASSERT_EQ(0, st_alloc(self->fd, self->node, 1, &self->a));
	ASSERT_EQ(0, st_alloc(self->fd, self->node, 1, &self->b));
}

FIXTURE_TEARDOWN(batch)
{
	if (self->fd >= 0)
		close(self->fd);
}

static void set_op(struct gmm_op *op, __u32 code, __u32 handle, __u32 arg,
		   __u64 offset, __u64 len, const void *buf)
{
	memset(op, 0, sizeof(*op));
	op->op = code;
	op->handle = handle;
	op->arg = arg;
	op->offset = offset;
	op->len = len;
	op->buf = st_ptr(buf);
}

/* Run a batch; *b gets the header as the kernel wrote it back. */
static int run_batch(int fd, void *ops, __u32 count, __u32 op_size,
		     struct gmm_batch *b)
{
	memset(b, 0, sizeof(*b));
	b->count = count;
	b->ops = st_ptr(ops);
	b->op_size = op_size;
	return st_ioctl(fd, GMM_IOC_BATCH, b);
}

TEST_F(batch, every_operation_in_order)
{
	struct gmm_op ops[10];
	struct gmm_batch b;
	__u64 data = 0x0123456789abcdefULL, back = 0;
	__u32 size, type;
	unsigned char buf[NODE_SIZE];

	set_op(&ops[0], GMM_OP_ALLOC, 0, 0, 0, 100, NULL);
	set_op(&ops[1], GMM_OP_WRITE, self->a, 0, 16, 8, &data);
	set_op(&ops[2], GMM_OP_STORE, self->a, self->b, 8, 0, NULL);
	set_op(&ops[3], GMM_OP_LOAD, self->a, 0, 8, 0, NULL);
	set_op(&ops[4], GMM_OP_READ, self->a, 0, 16, 8, &back);
	set_op(&ops[5], GMM_OP_INFO, self->a, 0, 0, 0, NULL);
	set_op(&ops[6], GMM_OP_DUP, self->a, 0, 0, 0, NULL);
	set_op(&ops[7], GMM_OP_GC, 0, 0, 0, 0, NULL);
	set_op(&ops[8], GMM_OP_ALLOC, 0, self->node, 0, 3, NULL);
	set_op(&ops[9], GMM_OP_NOP, 0, 0, 0, 0, NULL);
	ASSERT_EQ(0, run_batch(self->fd, ops, 10, sizeof(ops[0]), &b));
	EXPECT_EQ(10U, b.done);
	EXPECT_EQ(0, b.error);

	/* ALLOC: a handle of 100 pointer-free bytes. */
	ASSERT_EQ(0, st_info(self->fd, ops[0].result, &size, &type));
	EXPECT_EQ(112U, size);
	EXPECT_EQ(0U, type);
	/* WRITE then READ in the same batch. */
	EXPECT_EQ(data, back);
	/* LOAD: a new handle for b. */
	ASSERT_NE(0ULL, ops[3].result);
	EXPECT_NE(self->b, ops[3].result);
	ASSERT_EQ(0, st_write(self->fd, self->b, 16, 8, &data));
	memset(buf, 0, sizeof(buf));
	ASSERT_EQ(0, st_read(self->fd, ops[3].result, 0, sizeof(buf), buf));
	EXPECT_EQ(0, memcmp(buf + 16, &data, 8));
	/* INFO */
	EXPECT_EQ(((__u64)self->node << 32) | NODE_SIZE, ops[5].result);
	/* DUP */
	ASSERT_EQ(0, st_read(self->fd, ops[6].result, 16, 8, &back));
	EXPECT_EQ(data, back);
	/* GC: completed cycles. */
	EXPECT_LE(1ULL, ops[7].result);
	/* ALLOC of an array. */
	ASSERT_EQ(0, st_info(self->fd, ops[8].result, &size, &type));
	EXPECT_EQ(96U, size);
	EXPECT_EQ(self->node, type);
	EXPECT_EQ(6ULL, st_handles_of(self->fd));
}

TEST_F(batch, release_then_use_fails_at_that_index)
{
	struct gmm_op ops[3];
	struct gmm_batch b;
	__u32 d;

	ASSERT_EQ(0, st_dup(self->fd, self->a, &d));
	set_op(&ops[0], GMM_OP_RELEASE, d, 0, 0, 0, NULL);
	set_op(&ops[1], GMM_OP_INFO, d, 0, 0, 0, NULL);
	set_op(&ops[2], GMM_OP_INFO, self->a, 0, 0, 0, NULL);
	EXPECT_EQ(-ENOENT, run_batch(self->fd, ops, 3, sizeof(ops[0]), &b));
	EXPECT_EQ(1U, b.done);
	EXPECT_EQ(-ENOENT, b.error);
	EXPECT_EQ(-ENOENT, st_info(self->fd, d, NULL, NULL));
}

/* The failing index is reported; what ran before it stays done. */
TEST_F(batch, failure_reports_index_and_keeps_earlier_effects)
{
	struct gmm_op ops[5];
	struct gmm_batch b;
	__u64 data = 42, back = 0;

	set_op(&ops[0], GMM_OP_ALLOC, 0, 0, 0, 64, NULL);
	set_op(&ops[1], GMM_OP_WRITE, self->a, 0, 16, 8, &data);
	set_op(&ops[2], GMM_OP_ALLOC, 0, 0, 0, 64, NULL);
	set_op(&ops[3], GMM_OP_INFO, 0xdead, 0, 0, 0, NULL);
	set_op(&ops[4], GMM_OP_ALLOC, 0, 0, 0, 64, NULL);
	ops[4].result = 0x5555;
	EXPECT_EQ(-ENOENT, run_batch(self->fd, ops, 5, sizeof(ops[0]), &b));
	EXPECT_EQ(3U, b.done);
	EXPECT_EQ(-ENOENT, b.error);
	/* ops 0..2 happened and their results came back */
	EXPECT_EQ(0, st_info(self->fd, ops[0].result, NULL, NULL));
	EXPECT_EQ(0, st_info(self->fd, ops[2].result, NULL, NULL));
	EXPECT_NE(ops[0].result, ops[2].result);
	ASSERT_EQ(0, st_read(self->fd, self->a, 16, 8, &back));
	EXPECT_EQ(42ULL, back);
	/* op 4 did not run */
	EXPECT_EQ(0x5555ULL, ops[4].result);
	EXPECT_EQ(4ULL, st_handles_of(self->fd));
}

TEST_F(batch, failure_at_first_op)
{
	struct gmm_op ops[2];
	struct gmm_batch b;

	set_op(&ops[0], GMM_OP_MAX + 1, 0, 0, 0, 0, NULL);
	set_op(&ops[1], GMM_OP_ALLOC, 0, 0, 0, 64, NULL);
	EXPECT_EQ(-EINVAL, run_batch(self->fd, ops, 2, sizeof(ops[0]), &b));
	EXPECT_EQ(0U, b.done);
	EXPECT_EQ(-EINVAL, b.error);
	EXPECT_EQ(2ULL, st_handles_of(self->fd));
}

TEST_F(batch, failure_at_last_op)
{
	struct gmm_op ops[3];
	struct gmm_batch b;

	set_op(&ops[0], GMM_OP_ALLOC, 0, 0, 0, 64, NULL);
	set_op(&ops[1], GMM_OP_ALLOC, 0, 0, 0, 64, NULL);
	set_op(&ops[2], GMM_OP_STORE, self->a, self->b, 16, 0, NULL);
	EXPECT_EQ(-EINVAL, run_batch(self->fd, ops, 3, sizeof(ops[0]), &b));
	EXPECT_EQ(2U, b.done);
	EXPECT_EQ(-EINVAL, b.error);
	EXPECT_EQ(4ULL, st_handles_of(self->fd));
}

TEST_F(batch, failure_unused_field_in_op)
{
	struct gmm_op ops[2];
	struct gmm_batch b;

	set_op(&ops[0], GMM_OP_NOP, 0, 0, 0, 0, NULL);
	set_op(&ops[1], GMM_OP_INFO, self->a, 0, 0, 0, NULL);
	ops[1].flags = 1;
	EXPECT_EQ(-EINVAL, run_batch(self->fd, ops, 2, sizeof(ops[0]), &b));
	EXPECT_EQ(1U, b.done);
	EXPECT_EQ(-EINVAL, b.error);
}

TEST_F(batch, failure_bad_read_buffer)
{
	struct gmm_op ops[2];
	struct gmm_batch b;
	__u64 data = 7;

	set_op(&ops[0], GMM_OP_WRITE, self->a, 0, 16, 8, &data);
	set_op(&ops[1], GMM_OP_READ, self->a, 0, 16, 8, NULL);
	EXPECT_EQ(-EFAULT, run_batch(self->fd, ops, 2, sizeof(ops[0]), &b));
	EXPECT_EQ(1U, b.done);
	EXPECT_EQ(-EFAULT, b.error);
}

TEST_F(batch, header_output_fields_ignored_on_input)
{
	struct gmm_op op;
	struct gmm_batch b;

	set_op(&op, GMM_OP_NOP, 0, 0, 0, 0, NULL);
	memset(&b, 0, sizeof(b));
	b.count = 1;
	b.ops = st_ptr(&op);
	b.op_size = sizeof(op);
	b.done = 1000;
	b.error = -1;
	ASSERT_EQ(0, st_ioctl(self->fd, GMM_IOC_BATCH, &b));
	EXPECT_EQ(1U, b.done);
	EXPECT_EQ(0, b.error);
}

TEST_F_TIMEOUT(batch, count_max, 120)
{
	struct gmm_op *ops = calloc(GMM_BATCH_MAX, sizeof(*ops));
	struct gmm_batch b;
	unsigned int i;

	ASSERT_NE(NULL, ops);
	for (i = 0; i < GMM_BATCH_MAX; i++)
		set_op(&ops[i], GMM_OP_ALLOC, 0, 0, 0, 8 + i % 100, NULL);
	ASSERT_EQ(0, run_batch(self->fd, ops, GMM_BATCH_MAX, sizeof(*ops),
			       &b));
	EXPECT_EQ((__u32)GMM_BATCH_MAX, b.done);
	EXPECT_EQ(2ULL + GMM_BATCH_MAX, st_handles_of(self->fd));
	/* Every result a distinct, valid handle: release them all. */
	for (i = 0; i < GMM_BATCH_MAX; i++)
		set_op(&ops[i], GMM_OP_RELEASE, ops[i].result, 0, 0, 0, NULL);
	ASSERT_EQ(0, run_batch(self->fd, ops, GMM_BATCH_MAX, sizeof(*ops),
			       &b));
	EXPECT_EQ(2ULL, st_handles_of(self->fd));
	free(ops);
}

/* Malformed headers: nothing runs, @done 0 and @error 0. */

static void expect_malformed(struct __test_metadata *_metadata, int fd,
			     struct gmm_batch *b, struct gmm_op *op, int err)
{
	__u64 before = st_handles_of(fd);

	EXPECT_EQ(err, st_ioctl(fd, GMM_IOC_BATCH, b));
	EXPECT_EQ(0U, b->done);
	EXPECT_EQ(0, b->error);
	EXPECT_EQ(before, st_handles_of(fd));
	EXPECT_EQ(0ULL, op->result);
}

static void alloc_batch(struct gmm_batch *b, struct gmm_op *op)
{
	set_op(op, GMM_OP_ALLOC, 0, 0, 0, 64, NULL);
	memset(b, 0, sizeof(*b));
	b->count = 1;
	b->ops = st_ptr(op);
	b->op_size = sizeof(*op);
}

TEST_F(batch, count_zero)
{
	struct gmm_batch b;
	struct gmm_op op;

	alloc_batch(&b, &op);
	b.count = 0;
	expect_malformed(_metadata, self->fd, &b, &op, -EINVAL);
}

TEST_F(batch, count_over_max)
{
	struct gmm_op *ops = calloc(GMM_BATCH_MAX + 1, sizeof(*ops));
	struct gmm_batch b;

	ASSERT_NE(NULL, ops);
	alloc_batch(&b, ops);
	b.count = GMM_BATCH_MAX + 1;
	expect_malformed(_metadata, self->fd, &b, ops, -EINVAL);
	free(ops);
}

TEST_F(batch, count_u32_max)
{
	struct gmm_batch b;
	struct gmm_op op;

	alloc_batch(&b, &op);
	b.count = UINT_MAX;
	expect_malformed(_metadata, self->fd, &b, &op, -EINVAL);
}

TEST_F(batch, op_size_zero)
{
	struct gmm_batch b;
	struct gmm_op op;

	alloc_batch(&b, &op);
	b.op_size = 0;
	expect_malformed(_metadata, self->fd, &b, &op, -EINVAL);
}

TEST_F(batch, op_size_one_short)
{
	struct gmm_batch b;
	struct gmm_op op;

	alloc_batch(&b, &op);
	b.op_size = sizeof(op) - 1;
	expect_malformed(_metadata, self->fd, &b, &op, -EINVAL);
}

TEST_F(batch, op_size_word_short)
{
	struct gmm_batch b;
	struct gmm_op op;

	alloc_batch(&b, &op);
	b.op_size = sizeof(op) - 8;
	expect_malformed(_metadata, self->fd, &b, &op, -EINVAL);
}

TEST_F(batch, reserved)
{
	struct gmm_batch b;
	struct gmm_op op;

	alloc_batch(&b, &op);
	b.reserved = 1;
	expect_malformed(_metadata, self->fd, &b, &op, -EINVAL);
}

TEST_F(batch, flags)
{
	struct gmm_batch b;
	struct gmm_op op;

	alloc_batch(&b, &op);
	b.flags = 1;
	expect_malformed(_metadata, self->fd, &b, &op, -EINVAL);
}

/* Longer operations (a newer ABI's), with zero tails, at their stride. */
TEST_F(batch, op_size_longer_zero_tail)
{
	struct op_next {
		struct gmm_op op;
		__u64 future[2];
	} ops[3];
	struct gmm_batch b;
	unsigned int i;

	memset(ops, 0, sizeof(ops));
	for (i = 0; i < 3; i++)
		set_op(&ops[i].op, GMM_OP_ALLOC, 0, 0, 0, 64, NULL);
	ASSERT_EQ(0, run_batch(self->fd, ops, 3, sizeof(ops[0]), &b));
	EXPECT_EQ(3U, b.done);
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(0, st_info(self->fd, ops[i].op.result, NULL, NULL));
		EXPECT_EQ(0ULL, ops[i].future[0]);
		EXPECT_EQ(0ULL, ops[i].future[1]);
	}
	EXPECT_EQ(5ULL, st_handles_of(self->fd));
}

/* A non-zero tail fails that operation (-E2BIG) and the batch there. */
TEST_F(batch, op_size_longer_nonzero_tail)
{
	struct op_next {
		struct gmm_op op;
		__u64 future;
	} ops[3];
	struct gmm_batch b;
	unsigned int i;

	memset(ops, 0, sizeof(ops));
	for (i = 0; i < 3; i++)
		set_op(&ops[i].op, GMM_OP_ALLOC, 0, 0, 0, 64, NULL);
	ops[1].future = 1ULL << 40;
	EXPECT_EQ(-E2BIG, run_batch(self->fd, ops, 3, sizeof(ops[0]), &b));
	EXPECT_EQ(1U, b.done);
	EXPECT_EQ(-E2BIG, b.error);
	EXPECT_EQ(0, st_info(self->fd, ops[0].op.result, NULL, NULL));
	EXPECT_EQ(0ULL, ops[2].op.result);
	EXPECT_EQ(3ULL, st_handles_of(self->fd));
}

/* An odd, unaligned stride works as well. */
TEST_F(batch, op_size_odd_stride)
{
	unsigned int stride = sizeof(struct gmm_op) + 3, i;
	unsigned char *mem = calloc(4, stride);
	struct gmm_batch b;
	struct gmm_op op;

	ASSERT_NE(NULL, mem);
	for (i = 0; i < 4; i++) {
		set_op(&op, GMM_OP_ALLOC, 0, 0, 0, 24, NULL);
		memcpy(mem + i * stride, &op, sizeof(op));
	}
	ASSERT_EQ(0, run_batch(self->fd, mem, 4, stride, &b));
	EXPECT_EQ(4U, b.done);
	for (i = 0; i < 4; i++) {
		memcpy(&op, mem + i * stride, sizeof(op));
		EXPECT_EQ(0, st_info(self->fd, op.result, NULL, NULL));
	}
	free(mem);
}

/* A stride the kernel cannot read is an error, not a crash or a hang. */
TEST_F(batch, op_size_u32_max)
{
	struct gmm_batch b;
	struct gmm_op op[2];
	int ret;

	set_op(&op[0], GMM_OP_NOP, 0, 0, 0, 0, NULL);
	set_op(&op[1], GMM_OP_NOP, 0, 0, 0, 0, NULL);
	ret = run_batch(self->fd, op, 2, UINT_MAX, &b);
	EXPECT_TRUE(ret == -EFAULT || ret == -EINVAL || ret == -E2BIG)
		TH_LOG("op_size UINT_MAX: %d", ret);
}

/* Bad ops arrays */

TEST_F(batch, ops_null)
{
	struct gmm_batch b;

	EXPECT_EQ(-EFAULT, run_batch(self->fd, NULL, 1, sizeof(struct gmm_op),
				     &b));
	EXPECT_EQ(0U, b.done);
}

TEST_F(batch, ops_unmapped)
{
	struct gmm_batch b;
	void *p = st_unmapped_addr();

	ASSERT_NE(NULL, p);
	EXPECT_EQ(-EFAULT, run_batch(self->fd, p, 1, sizeof(struct gmm_op),
				     &b));
	EXPECT_EQ(0U, b.done);
}

TEST_F(batch, ops_prot_none)
{
	struct gmm_batch b;
	void *p = st_prot_none_addr();

	ASSERT_NE(NULL, p);
	EXPECT_EQ(-EFAULT, run_batch(self->fd, p, 1, sizeof(struct gmm_op),
				     &b));
	EXPECT_EQ(0U, b.done);
}

TEST_F(batch, ops_kernel_address)
{
	struct gmm_batch b;

	EXPECT_EQ(-EFAULT, run_batch(self->fd, (void *)0xffffffff81000000UL,
				     1, sizeof(struct gmm_op), &b));
}

/* The third operation lies in an unmapped page: two run, then -EFAULT. */
TEST_F(batch, ops_straddle_unmapped_page)
{
	size_t len = 3 * sizeof(struct gmm_op);
	struct gmm_op *ops = st_straddle_addr(len, sizeof(struct gmm_op));
	struct gmm_batch b;

	ASSERT_NE(NULL, ops);
	set_op(&ops[0], GMM_OP_ALLOC, 0, 0, 0, 64, NULL);
	set_op(&ops[1], GMM_OP_ALLOC, 0, 0, 0, 64, NULL);
	EXPECT_EQ(-EFAULT, run_batch(self->fd, ops, 3, sizeof(*ops), &b));
	EXPECT_EQ(2U, b.done);
	EXPECT_EQ(-EFAULT, b.error);
	EXPECT_EQ(0, st_info(self->fd, ops[0].result, NULL, NULL));
	EXPECT_EQ(0, st_info(self->fd, ops[1].result, NULL, NULL));
}

/* Results cannot be written back to a read-only array. */
TEST_F(batch, ops_read_only)
{
	long pg = sysconf(_SC_PAGESIZE);
	struct gmm_op *ops = mmap(NULL, pg, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct gmm_batch b;

	ASSERT_NE(MAP_FAILED, ops);
	set_op(&ops[0], GMM_OP_INFO, self->a, 0, 0, 0, NULL);
	ASSERT_EQ(0, mprotect(ops, pg, PROT_READ));
	EXPECT_EQ(-EFAULT, run_batch(self->fd, ops, 1, sizeof(*ops), &b));
	EXPECT_EQ(0U, b.done);
	EXPECT_EQ(-EFAULT, b.error);
}

/*
 * An operation whose element cannot take its result fails with -EFAULT
 * before it runs: ALLOC, DUP and LOAD make no handle user space could not
 * learn, and no object.
 */
static void expect_ro_op_fails(struct __test_metadata *_metadata, int fd,
			       const struct gmm_op *op)
{
	struct gmm_stats before, after;
	struct gmm_op *ro = st_ro_copy(op, sizeof(*op));
	struct gmm_batch b;

	ASSERT_NE(NULL, ro);
	ASSERT_EQ(0, st_stats(fd, &before));
	EXPECT_EQ(-EFAULT, run_batch(fd, ro, 1, sizeof(*ro), &b));
	EXPECT_EQ(0U, b.done);
	EXPECT_EQ(-EFAULT, b.error);
	ASSERT_EQ(0, st_stats(fd, &after));
	EXPECT_EQ(before.handles, after.handles);
	EXPECT_EQ(before.mallocs, after.mallocs);
	st_ro_free(ro);
}

TEST_F(batch, ops_read_only_alloc_makes_no_handle)
{
	struct gmm_op op;

	set_op(&op, GMM_OP_ALLOC, 0, self->node, 0, 1, NULL);
	expect_ro_op_fails(_metadata, self->fd, &op);
	set_op(&op, GMM_OP_ALLOC, 0, 0, 0, 100, NULL);
	expect_ro_op_fails(_metadata, self->fd, &op);
	EXPECT_EQ(2ULL, st_handles_of(self->fd));
}

TEST_F(batch, ops_read_only_dup_makes_no_handle)
{
	struct gmm_op op;

	set_op(&op, GMM_OP_DUP, self->a, 0, 0, 0, NULL);
	expect_ro_op_fails(_metadata, self->fd, &op);
	EXPECT_EQ(2ULL, st_handles_of(self->fd));
}

TEST_F(batch, ops_read_only_load_makes_no_handle)
{
	struct gmm_op op;

	ASSERT_EQ(0, st_store(self->fd, self->a, 0, self->b));
	set_op(&op, GMM_OP_LOAD, self->a, 0, 0, 0, NULL);
	expect_ro_op_fails(_metadata, self->fd, &op);
	EXPECT_EQ(2ULL, st_handles_of(self->fd));
}

/* Operations that make no handle do not run either. */
TEST_F(batch, ops_read_only_release_does_not_run)
{
	struct gmm_op op;

	set_op(&op, GMM_OP_RELEASE, self->b, 0, 0, 0, NULL);
	expect_ro_op_fails(_metadata, self->fd, &op);
	EXPECT_EQ(0, st_info(self->fd, self->b, NULL, NULL));
}

/*
 * The second element lies in a read-only page: the first runs, the
 * second fails before it runs, and the one handle left is the first
 * one's result.
 */
TEST_F(batch, ops_second_read_only_keeps_only_learnt_handles)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *mem = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct gmm_op *ops;
	struct gmm_batch b;
	__u64 before;

	ASSERT_NE(MAP_FAILED, mem);
	ops = (struct gmm_op *)(mem + pg - sizeof(*ops));
	set_op(&ops[0], GMM_OP_ALLOC, 0, 0, 0, 64, NULL);
	set_op(&ops[1], GMM_OP_DUP, self->a, 0, 0, 0, NULL);
	ops[1].result = 0x1234;
	ASSERT_EQ(0, mprotect(mem + pg, pg, PROT_READ));
	before = st_handles_of(self->fd);
	EXPECT_EQ(-EFAULT, run_batch(self->fd, ops, 2, sizeof(*ops), &b));
	EXPECT_EQ(1U, b.done);
	EXPECT_EQ(-EFAULT, b.error);
	EXPECT_EQ(before + 1, st_handles_of(self->fd));
	EXPECT_EQ(0x1234ULL, ops[1].result);
	EXPECT_EQ(0, st_info(self->fd, ops[0].result, NULL, NULL));
	EXPECT_EQ(0, st_release(self->fd, ops[0].result));
	EXPECT_EQ(before, st_handles_of(self->fd));
	munmap(mem, 2 * pg);
}

/*
 * A header that cannot take @done and @error back: -EFAULT before any
 * operation runs, although the operations' array is writable.
 */
TEST_F(batch, header_read_only_runs_nothing)
{
	struct gmm_stats before, after;
	struct gmm_batch b, *ro;
	struct gmm_op ops[3];

	set_op(&ops[0], GMM_OP_ALLOC, 0, self->node, 0, 1, NULL);
	set_op(&ops[1], GMM_OP_DUP, self->a, 0, 0, 0, NULL);
	set_op(&ops[2], GMM_OP_RELEASE, self->b, 0, 0, 0, NULL);
	ops[0].result = 0x5678;
	ops[1].result = 0x5678;
	memset(&b, 0, sizeof(b));
	b.count = 3;
	b.ops = st_ptr(ops);
	b.op_size = sizeof(ops[0]);
	ro = st_ro_copy(&b, sizeof(b));
	ASSERT_NE(NULL, ro);
	ASSERT_EQ(0, st_stats(self->fd, &before));
	EXPECT_EQ(-EFAULT, st_ioctl(self->fd, GMM_IOC_BATCH, ro));
	ASSERT_EQ(0, st_stats(self->fd, &after));
	EXPECT_EQ(before.handles, after.handles);
	EXPECT_EQ(before.mallocs, after.mallocs);
	EXPECT_EQ(0x5678ULL, ops[0].result);
	EXPECT_EQ(0x5678ULL, ops[1].result);
	EXPECT_EQ(0, st_info(self->fd, self->b, NULL, NULL));
	st_ro_free(ro);
}

TEST_HARNESS_MAIN
