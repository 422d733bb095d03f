// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_batchlink_test.c - links inside a GMM_IOC_BATCH
 * (GMM_FEATURE_BATCH_LINK): an operation names the object an earlier one
 * of the same batch produced (GMM_OP_HANDLE_LINK, GMM_OP_ARG_LINK), and
 * ALLOC, DUP and LOAD may make temporaries instead of handles
 * (GMM_OP_TEMP), held for the length of the batch.  Graphs built that way
 * come out right; temporaries are roots while the batch runs and garbage
 * after it; every bad link (forward, self, out of range, to an operation
 * that produces no object, to a NULL, to a released handle, a flag on an
 * operation that cannot take it, flags outside a batch) fails where it
 * is, with nothing changed.  The flags that save operations on the way:
 * immediate data (GMM_OP_IMM: READ into @result, WRITE from @buf, ALLOC's
 * first word from @buf, LOAD's object's first bytes into @result) and
 * ALLOC into a pointer word (GMM_OP_INTO), with their bad inputs refused
 * the same way.
 *
 * Needs gmm.ko loaded; skips when /dev/gmm is missing.
 */
#include "kselftest_harness.h"
#include "gmm_util.h"

#define NODE_SIZE	24	/* pointers at 0 and 8, a number at 16 */
#define H		GMM_OP_HANDLE_LINK
#define A		GMM_OP_ARG_LINK
#define T		GMM_OP_TEMP
#define I		GMM_OP_IMM
#define N		GMM_OP_INTO

FIXTURE(link) {
	int fd;
	__u32 node, rnode, a;
};

FIXTURE_SETUP(link)
{
	static const __u32 offs[] = { 0, 8 }, roffs[] = { 8, 16 };
	struct gmm_version v;

	ST_OPEN_OR_SKIP(self->fd);
	memset(&v, 0, sizeof(v));
	ASSERT_EQ(0, st_ioctl(self->fd, GMM_IOC_VERSION, &v));
	ASSERT_TRUE(v.features & GMM_FEATURE_BATCH_LINK);
	ASSERT_TRUE(v.features & GMM_FEATURE_OP_IMM);
	ASSERT_TRUE(v.features & GMM_FEATURE_OP_INTO);
	ASSERT_EQ(0, st_type(self->fd, NODE_SIZE, 0, offs, 2, "node",
			     &self->node));
	/* A number at 0, pointers at 8 and 16. */
	ASSERT_EQ(0, st_type(self->fd, NODE_SIZE, 0, roffs, 2, "rnode",
			     &self->rnode));
	ASSERT_EQ(0, st_alloc(self->fd, self->node, 1, &self->a));
}

FIXTURE_TEARDOWN(link)
{
	if (self->fd >= 0)
		close(self->fd);
}

static struct gmm_op mk(__u32 code, __u32 flags, __u32 handle, __u32 arg,
			__u64 offset, __u64 len, const void *buf)
{
	struct gmm_op op;

	memset(&op, 0, sizeof(op));
	op.op = code;
	op.flags = flags;
	op.handle = handle;
	op.arg = arg;
	op.offset = offset;
	op.len = len;
	op.buf = st_ptr(buf);
	return op;
}

/* An operation whose @buf is a value (GMM_OP_IMM). */
static struct gmm_op mkv(__u32 code, __u32 flags, __u32 handle, __u32 arg,
			 __u64 offset, __u64 len, __u64 val)
{
	struct gmm_op op = mk(code, flags, handle, arg, offset, len, NULL);

	op.buf = val;
	return op;
}

static int run(int fd, struct gmm_op *ops, __u32 count, struct gmm_batch *b)
{
	memset(b, 0, sizeof(*b));
	b->count = count;
	b->ops = st_ptr(ops);
	b->op_size = sizeof(*ops);
	return st_ioctl(fd, GMM_IOC_BATCH, b);
}

/* Live objects after a full collection (GMM_IOC_STATS). */
static __u64 live_objects(int fd)
{
	struct gmm_stats st;

	if (st_gc(fd, NULL))
		return ~0ULL;
	memset(&st, 0, sizeof(st));
	return st_ioctl(fd, GMM_IOC_STATS, &st) ? ~0ULL : st.heap_objects;
}

/*
 * Expect @ops to fail at operation @at with @err and change nothing: no
 * handle, no object, a's pointer words and number as they were.
 */
static void expect_refused(struct __test_metadata *_metadata, int fd,
			   __u32 a, struct gmm_op *ops, __u32 count, __u32 at,
			   int err)
{
	__u64 handles = st_handles_of(fd), objects = live_objects(fd);
	__u64 num = 0x1234, back = 0;
	struct gmm_batch b;
	__u32 p0 = 1, p8 = 1;

	ASSERT_EQ(0, st_write(fd, a, 16, 8, &num));
	EXPECT_EQ(err, run(fd, ops, count, &b));
	EXPECT_EQ(at, b.done);
	EXPECT_EQ(err, b.error);
	EXPECT_EQ(handles, st_handles_of(fd));
	EXPECT_EQ(objects, live_objects(fd));
	ASSERT_EQ(0, st_read(fd, a, 16, 8, &back));
	EXPECT_EQ(num, back);
	ASSERT_EQ(0, st_load(fd, a, 0, &p0));
	ASSERT_EQ(0, st_load(fd, a, 8, &p8));
	EXPECT_EQ(0U, p0);
	EXPECT_EQ(0U, p8);
}

/* A three-node tree under a, built in one batch from temporaries. */
TEST_F(link, builds_a_tree_in_one_batch)
{
	__u64 n1 = 11, n2 = 22, back = 0;
	__u32 h0 = 0, l = 0, r = 0, ll = 0;
	struct gmm_op ops[8];
	struct gmm_batch b;

	ops[0] = mk(GMM_OP_ALLOC, T, 0, self->node, 0, 1, NULL);
	ops[1] = mk(GMM_OP_ALLOC, T, 0, self->node, 0, 1, NULL);
	ops[2] = mk(GMM_OP_WRITE, H, 0, 0, 16, 8, &n1);
	ops[3] = mk(GMM_OP_WRITE, H, 1, 0, 16, 8, &n2);
	ops[4] = mk(GMM_OP_STORE, A, self->a, 0, 0, 0, NULL);
	ops[5] = mk(GMM_OP_STORE, H | A, 0, 1, 0, 0, NULL);
	ops[6] = mk(GMM_OP_STORE, A, self->a, 1, 8, 0, NULL);
	ops[7] = mk(GMM_OP_DUP, H, 0, 0, 0, 0, NULL);
	h0 = (__u32)st_handles_of(self->fd);
	ASSERT_EQ(0, run(self->fd, ops, 8, &b));
	EXPECT_EQ(8U, b.done);
	EXPECT_EQ(1ULL, ops[0].result);		/* a temporary */
	EXPECT_EQ(1ULL, ops[1].result);
	/* Only the DUP made a handle. */
	EXPECT_EQ(h0 + 1, (__u32)st_handles_of(self->fd));
	ASSERT_EQ(0, st_release(self->fd, (__u32)ops[7].result));
	EXPECT_EQ(3ULL, live_objects(self->fd));

	ASSERT_EQ(0, st_load(self->fd, self->a, 0, &l));
	ASSERT_EQ(0, st_load(self->fd, self->a, 8, &r));
	ASSERT_EQ(0, st_load(self->fd, l, 0, &ll));
	ASSERT_EQ(0, st_read(self->fd, l, 16, 8, &back));
	EXPECT_EQ(n1, back);
	ASSERT_EQ(0, st_read(self->fd, r, 16, 8, &back));
	EXPECT_EQ(n2, back);
	ASSERT_EQ(0, st_read(self->fd, ll, 16, 8, &back));
	EXPECT_EQ(n2, back);
}

/*
 * A temporary is a root while its batch runs (a full cycle inside the
 * batch keeps it) and garbage once the batch is over.
 */
TEST_F(link, temporaries_live_for_the_batch)
{
	__u64 num = 77, back = 0;
	struct gmm_op ops[5];
	struct gmm_batch b;
	__u64 base = live_objects(self->fd);

	ops[0] = mk(GMM_OP_ALLOC, T, 0, self->node, 0, 1, NULL);
	ops[1] = mk(GMM_OP_WRITE, H, 0, 0, 16, 8, &num);
	ops[2] = mk(GMM_OP_GC, 0, 0, 0, 0, 0, NULL);
	ops[3] = mk(GMM_OP_DUP, H, 0, 0, 0, 0, NULL);
	ops[4] = mk(GMM_OP_ALLOC, T, 0, self->node, 0, 1, NULL);
	ASSERT_EQ(0, run(self->fd, ops, 5, &b));
	/* The DUP's object survived the cycle: still counted as live. */
	EXPECT_EQ(base + 1, live_objects(self->fd));
	ASSERT_EQ(0, st_read(self->fd, (__u32)ops[3].result, 16, 8, &back));
	EXPECT_EQ(num, back);
	ASSERT_EQ(0, st_release(self->fd, (__u32)ops[3].result));
	EXPECT_EQ(base, live_objects(self->fd));
}

/* LOAD makes temporaries: walk a -> l -> NULL with links only. */
TEST_F(link, loads_walk_with_temporaries)
{
	__u64 num = 5, back = 0;
	struct gmm_op ops[5];
	struct gmm_batch b;
	__u32 l;

	ASSERT_EQ(0, st_alloc(self->fd, self->node, 1, &l));
	ASSERT_EQ(0, st_write(self->fd, l, 16, 8, &num));
	ASSERT_EQ(0, st_store(self->fd, self->a, 0, l));
	ASSERT_EQ(0, st_release(self->fd, l));
	ops[0] = mk(GMM_OP_LOAD, T, self->a, 0, 0, 0, NULL);
	ops[1] = mk(GMM_OP_READ, H, 0, 0, 16, 8, &back);
	ops[2] = mk(GMM_OP_LOAD, H | T, 0, 0, 8, 0, NULL);
	ops[3] = mk(GMM_OP_LOAD, 0, self->a, 0, 8, 0, NULL);
	/* A linked NULL stores NULL. */
	ops[4] = mk(GMM_OP_STORE, H | A, 0, 2, 0, 0, NULL);
	ASSERT_EQ(0, run(self->fd, ops, 5, &b));
	EXPECT_EQ(1ULL, ops[0].result);
	EXPECT_EQ(num, back);
	EXPECT_EQ(0ULL, ops[2].result);		/* l's right: NULL */
	EXPECT_EQ(0ULL, ops[3].result);
	ASSERT_EQ(0, st_load(self->fd, self->a, 0, &l));
	EXPECT_NE(0U, l);
	ASSERT_EQ(0, st_load(self->fd, l, 0, &l));
	EXPECT_EQ(0U, l);
}

/* A link to a handle stands for it; RELEASE may name it by a link. */
TEST_F(link, links_to_handles_follow_the_handle)
{
	__u64 h0 = st_handles_of(self->fd), back;
	struct gmm_op ops[3];
	struct gmm_batch b;

	ops[0] = mk(GMM_OP_ALLOC, 0, 0, self->node, 0, 1, NULL);
	ops[1] = mk(GMM_OP_RELEASE, H, 0, 0, 0, 0, NULL);
	ops[2] = mk(GMM_OP_READ, H, 0, 0, 16, 8, &back);
	EXPECT_EQ(-ENOENT, run(self->fd, ops, 3, &b));
	EXPECT_EQ(2U, b.done);
	EXPECT_EQ(h0, st_handles_of(self->fd));
}

TEST_F(link, forward_and_self_links_refused)
{
	struct gmm_op ops[2];

	ops[0] = mk(GMM_OP_STORE, A, self->a, 1, 0, 0, NULL);
	ops[1] = mk(GMM_OP_ALLOC, T, 0, self->node, 0, 1, NULL);
	expect_refused(_metadata, self->fd, self->a, ops, 2, 0, -EINVAL);
	ops[0] = mk(GMM_OP_ALLOC, T, 0, self->node, 0, 1, NULL);
	ops[1] = mk(GMM_OP_STORE, H | A, 1, 0, 0, 0, NULL);
	expect_refused(_metadata, self->fd, self->a, ops, 2, 1, -EINVAL);
}

TEST_F(link, out_of_range_links_refused)
{
	struct gmm_op ops[2];

	ops[0] = mk(GMM_OP_ALLOC, T, 0, self->node, 0, 1, NULL);
	ops[1] = mk(GMM_OP_STORE, A, self->a, 5000, 0, 0, NULL);
	expect_refused(_metadata, self->fd, self->a, ops, 2, 1, -EINVAL);
	ops[1] = mk(GMM_OP_STORE, H | A, 0xffffffffU, 0, 0, 0, NULL);
	expect_refused(_metadata, self->fd, self->a, ops, 2, 1, -EINVAL);
}

/* Links to operations that produce no object: INFO, STORE, RELEASE, NOP. */
TEST_F(link, links_to_the_wrong_kind_refused)
{
	static const __u32 kinds[] = { GMM_OP_INFO, GMM_OP_STORE,
				       GMM_OP_NOP };
	struct gmm_op ops[3];
	struct gmm_batch b;
	unsigned int i;
	__u32 spare;
	__u64 h0;

	for (i = 0; i < 3; i++) {
		ops[0] = mk(kinds[i], 0, kinds[i] == GMM_OP_NOP ? 0 : self->a,
			    0, 0, 0, NULL);
		ops[1] = mk(GMM_OP_STORE, A, self->a, 0, 0, 0, NULL);
		expect_refused(_metadata, self->fd, self->a, ops, 2, 1,
			       -EINVAL);
	}
	h0 = st_handles_of(self->fd);
	ASSERT_EQ(0, st_dup(self->fd, self->a, &spare));
	ops[0] = mk(GMM_OP_RELEASE, 0, spare, 0, 0, 0, NULL);
	ops[1] = mk(GMM_OP_DUP, H, 0, 0, 0, 0, NULL);
	ops[2] = mk(GMM_OP_DUP, 0, self->a, 0, 0, 0, NULL);
	/* The RELEASE ran (and stays done); the DUP linked to it did not. */
	EXPECT_EQ(-EINVAL, run(self->fd, ops, 3, &b));
	EXPECT_EQ(1U, b.done);
	EXPECT_EQ(h0, st_handles_of(self->fd));
	EXPECT_EQ(-ENOENT, st_release(self->fd, spare));
}

/*
 * A link never names a failed operation: the batch stops there.  A link
 * through @handle to a NULL is -ENOENT.
 */
TEST_F(link, failed_and_null_targets_refused)
{
	struct gmm_op ops[3];
	__u64 num = 9;

	ops[0] = mk(GMM_OP_ALLOC, T, 0, 999, 0, 1, NULL);	/* no type 999 */
	ops[1] = mk(GMM_OP_WRITE, H, 0, 0, 16, 8, &num);
	expect_refused(_metadata, self->fd, self->a, ops, 2, 0, -EINVAL);
	ops[0] = mk(GMM_OP_LOAD, T, self->a, 0, 0, 0, NULL);	/* NULL */
	ops[1] = mk(GMM_OP_STORE, H, 0, 0, 0, 0, NULL);
	expect_refused(_metadata, self->fd, self->a, ops, 2, 1, -ENOENT);
	ops[0] = mk(GMM_OP_LOAD, 0, self->a, 0, 8, 0, NULL);	/* NULL */
	ops[1] = mk(GMM_OP_WRITE, H, 0, 0, 16, 8, &num);
	expect_refused(_metadata, self->fd, self->a, ops, 2, 1, -ENOENT);
}

/* Flags where they do not belong, unknown flags, flags outside batches. */
TEST_F(link, misplaced_flags_refused)
{
	struct gmm_op ops[2], op;
	__u64 back;

	ops[0] = mk(GMM_OP_ALLOC, T, 0, self->node, 0, 1, NULL);
	ops[1] = mk(GMM_OP_READ, T, self->a, 0, 16, 8, &back);
	expect_refused(_metadata, self->fd, self->a, ops, 2, 1, -EINVAL);
	ops[1] = mk(GMM_OP_LOAD, A, self->a, 0, 0, 0, NULL);
	expect_refused(_metadata, self->fd, self->a, ops, 2, 1, -EINVAL);
	ops[1] = mk(GMM_OP_ALLOC, H, 0, self->node, 0, 1, NULL);
	expect_refused(_metadata, self->fd, self->a, ops, 2, 1, -EINVAL);
	ops[1] = mk(GMM_OP_RELEASE, H, 0, 0, 0, 0, NULL);	/* a temporary */
	expect_refused(_metadata, self->fd, self->a, ops, 2, 1, -EINVAL);
	ops[1] = mk(GMM_OP_STORE, 1U << 5, self->a, 0, 0, 0, NULL);
	expect_refused(_metadata, self->fd, self->a, ops, 2, 1, -EINVAL);
	ops[1] = mk(GMM_OP_STORE, 1U << 31, self->a, 0, 0, 0, NULL);
	expect_refused(_metadata, self->fd, self->a, ops, 2, 1, -EINVAL);

	op = mk(GMM_OP_ALLOC, T, 0, self->node, 0, 1, NULL);
	EXPECT_EQ(-EINVAL, st_op_run(self->fd, &op));
	op = mk(GMM_OP_STORE, A, self->a, 0, 0, 0, NULL);
	EXPECT_EQ(-EINVAL, st_op_run(self->fd, &op));
}

/*
 * GMM_OP_IMM: WRITE takes its bytes from @buf, READ gives them in @result,
 * whole words and parts of them, in a batch and on their own; pointer
 * words read as 0 and are not written.
 */
TEST_F(link, imm_reads_and_writes_in_the_op)
{
	__u64 val = 0x1122334455667788ULL, part = 0, back = 0;
	struct gmm_op ops[6], op;
	struct gmm_batch b;
	__u32 l = 0, t;

	ASSERT_EQ(0, st_alloc(self->fd, self->node, 1, &t));
	ASSERT_EQ(0, st_store(self->fd, self->a, 0, t));
	ASSERT_EQ(0, st_release(self->fd, t));
	ops[0] = mkv(GMM_OP_WRITE, I, self->a, 0, 16, 8, val);
	ops[1] = mkv(GMM_OP_READ, I, self->a, 0, 16, 8, 0);
	ops[2] = mkv(GMM_OP_READ, I, self->a, 0, 17, 3, 0);
	ops[3] = mkv(GMM_OP_READ, I, self->a, 0, 0, 8, 0);	/* a pointer */
	ops[4] = mkv(GMM_OP_WRITE, I, self->a, 0, 0, 8, ~0ULL);	/* ignored */
	ops[5] = mkv(GMM_OP_WRITE, I, self->a, 0, 20, 2, 0xabcd);
	ASSERT_EQ(0, run(self->fd, ops, 6, &b));
	EXPECT_EQ(val, ops[1].result);
	memcpy(&part, (const char *)&val + 1, 3);
	EXPECT_EQ(part, ops[2].result);
	EXPECT_EQ(0ULL, ops[3].result);
	ASSERT_EQ(0, st_load(self->fd, self->a, 0, &l));
	EXPECT_NE(0U, l);
	ASSERT_EQ(0, st_read(self->fd, self->a, 16, 8, &back));
	part = 0xabcd;
	memcpy((char *)&val + 4, &part, 2);	/* the op's first two bytes */
	EXPECT_EQ(val, back);

	/* GMM_IOC_OP takes GMM_OP_IMM too. */
	op = mkv(GMM_OP_WRITE, I, self->a, 0, 16, 8, 42);
	ASSERT_EQ(0, st_op_run(self->fd, &op));
	op = mkv(GMM_OP_READ, I, self->a, 0, 16, 8, 0);
	ASSERT_EQ(0, st_op_run(self->fd, &op));
	EXPECT_EQ(42ULL, op.result);
}

/*
 * LOAD with GMM_OP_IMM: the loaded temporary's first bytes in @result,
 * even when they are zero (the temporary can still be linked to).
 */
TEST_F(link, imm_load_reads_the_loaded_object)
{
	__u32 x = 0, y = 0;
	struct gmm_op ops[5];
	struct gmm_batch b;
	__u64 back = 0;

	ASSERT_EQ(0, st_alloc(self->fd, self->rnode, 1, &x));
	ASSERT_EQ(0, st_alloc(self->fd, self->rnode, 1, &y));
	back = 0x0102030405060708ULL;
	ASSERT_EQ(0, st_write(self->fd, x, 0, 8, &back));
	ASSERT_EQ(0, st_store(self->fd, self->a, 0, x));
	ASSERT_EQ(0, st_store(self->fd, self->a, 8, y));	/* y reads 0 */
	ops[0] = mkv(GMM_OP_LOAD, T | I, self->a, 0, 0, 8, 0);
	ops[1] = mkv(GMM_OP_LOAD, T | I, self->a, 0, 0, 2, 0);
	ops[2] = mkv(GMM_OP_LOAD, T | I, self->a, 0, 8, 8, 0);
	ops[3] = mkv(GMM_OP_WRITE, I | H, 2, 0, 0, 8, 99);	/* y, by link */
	ops[4] = mkv(GMM_OP_LOAD, T | I, self->a, 0, 8, 8, 0);
	ASSERT_EQ(0, run(self->fd, ops, 5, &b));
	EXPECT_EQ(0x0102030405060708ULL, ops[0].result);
	back = 0;
	memcpy(&back, &ops[0].result, 2);
	EXPECT_EQ(back, ops[1].result);
	EXPECT_EQ(0ULL, ops[2].result);
	EXPECT_EQ(99ULL, ops[4].result);
	/* An object whose first word is a pointer word: it reads as 0. */
	ops[0] = mkv(GMM_OP_LOAD, T | I, self->a, 0, 0, 8, 0);
	ASSERT_EQ(0, st_store(self->fd, self->a, 0, self->a));
	ASSERT_EQ(0, run(self->fd, ops, 1, &b));
	EXPECT_EQ(0ULL, ops[0].result);
	ASSERT_EQ(0, st_store(self->fd, self->a, 0, 0));
	ASSERT_EQ(0, st_store(self->fd, self->a, 8, 0));
	ASSERT_EQ(0, st_release(self->fd, x));
	ASSERT_EQ(0, st_release(self->fd, y));
}

/* Bad immediate operations change nothing. */
TEST_F(link, imm_bad_input_refused)
{
	static const __u32 no_imm[] = { GMM_OP_STORE, GMM_OP_DUP, GMM_OP_INFO,
					GMM_OP_RELEASE };
	struct gmm_op ops[1], op;
	unsigned int i;

	ops[0] = mkv(GMM_OP_WRITE, I, self->a, 0, 16, 9, 1);	/* too long */
	expect_refused(_metadata, self->fd, self->a, ops, 1, 0, -EINVAL);
	ops[0] = mkv(GMM_OP_WRITE, I, self->a, 0, 16, 0, 0);	/* empty */
	expect_refused(_metadata, self->fd, self->a, ops, 1, 0, -EINVAL);
	/* Bytes of @buf past @len must be zero. */
	ops[0] = mkv(GMM_OP_WRITE, I, self->a, 0, 16, 4, 1ULL << 40);
	expect_refused(_metadata, self->fd, self->a, ops, 1, 0, -EINVAL);
	/* READ's @buf is unused. */
	ops[0] = mkv(GMM_OP_READ, I, self->a, 0, 16, 8, 1);
	expect_refused(_metadata, self->fd, self->a, ops, 1, 0, -EINVAL);
	ops[0] = mkv(GMM_OP_WRITE, I, self->a, 0, 4096, 8, 1);	/* outside */
	expect_refused(_metadata, self->fd, self->a, ops, 1, 0, -EINVAL);
	ops[0] = mkv(GMM_OP_WRITE, I, 0xdead, 0, 16, 8, 1);	/* no handle */
	expect_refused(_metadata, self->fd, self->a, ops, 1, 0, -ENOENT);
	for (i = 0; i < sizeof(no_imm) / sizeof(no_imm[0]); i++) {
		ops[0] = mk(no_imm[i], I, self->a, 0,
			    no_imm[i] == GMM_OP_STORE ? 8 : 0, 0, NULL);
		expect_refused(_metadata, self->fd, self->a, ops, 1, 0,
			       -EINVAL);
	}
	/* LOAD: only a temporary, 1..8 bytes, and no NULL. */
	ops[0] = mkv(GMM_OP_LOAD, T | I, self->a, 0, 0, 0, 0);
	expect_refused(_metadata, self->fd, self->a, ops, 1, 0, -EINVAL);
	ops[0] = mkv(GMM_OP_LOAD, T | I, self->a, 0, 0, 9, 0);
	expect_refused(_metadata, self->fd, self->a, ops, 1, 0, -EINVAL);
	ops[0] = mkv(GMM_OP_LOAD, T | I, self->a, 0, 0, 8, 1);	/* @buf */
	expect_refused(_metadata, self->fd, self->a, ops, 1, 0, -EINVAL);
	ops[0] = mkv(GMM_OP_LOAD, I, self->a, 0, 0, 8, 0);
	expect_refused(_metadata, self->fd, self->a, ops, 1, 0, -EINVAL);
	ops[0] = mkv(GMM_OP_LOAD, T | I, self->a, 0, 0, 8, 0);	/* NULL */
	expect_refused(_metadata, self->fd, self->a, ops, 1, 0, -ENOENT);
	op = mkv(GMM_OP_WRITE, I, self->a, 0, 16, 9, 1);
	EXPECT_EQ(-EINVAL, st_op_run(self->fd, &op));
	op = mkv(GMM_OP_LOAD, I, self->a, 0, 0, 8, 0);
	EXPECT_EQ(-EINVAL, st_op_run(self->fd, &op));
}

/*
 * GMM_OP_INTO: an ALLOC stores its object into a pointer word of a
 * handle's object or of an earlier operation's, and with GMM_OP_IMM sets
 * its first word: a chain built one operation per node.
 */
TEST_F(link, alloc_into_builds_one_op_per_node)
{
	__u64 base = live_objects(self->fd), h0 = st_handles_of(self->fd);
	__u32 x = 0, y = 0, z = 0, w = 0;
	struct gmm_op ops[4], op;
	struct gmm_batch b;
	__u64 back = 0;

	ops[0] = mkv(GMM_OP_ALLOC, T | N | I, self->a, self->rnode, 0, 1, 11);
	ops[1] = mkv(GMM_OP_ALLOC, T | N | I | H, 0, self->rnode, 8, 1, 22);
	ops[2] = mkv(GMM_OP_ALLOC, N | I, self->a, self->rnode, 8, 1, 33);
	ops[3] = mkv(GMM_OP_READ, I | H, 1, 0, 0, 8, 0);
	ASSERT_EQ(0, run(self->fd, ops, 4, &b));
	EXPECT_EQ(1ULL, ops[0].result);
	EXPECT_EQ(1ULL, ops[1].result);
	EXPECT_EQ(22ULL, ops[3].result);
	EXPECT_EQ(h0 + 1, st_handles_of(self->fd));	/* only ops[2] */
	EXPECT_EQ(base + 3, live_objects(self->fd));
	ASSERT_EQ(0, st_load(self->fd, self->a, 0, &x));
	ASSERT_EQ(0, st_read(self->fd, x, 0, 8, &back));
	EXPECT_EQ(11ULL, back);
	ASSERT_EQ(0, st_load(self->fd, x, 8, &y));
	ASSERT_EQ(0, st_read(self->fd, y, 0, 8, &back));
	EXPECT_EQ(22ULL, back);
	ASSERT_EQ(0, st_load(self->fd, self->a, 8, &z));
	ASSERT_EQ(0, st_read(self->fd, z, 0, 8, &back));
	EXPECT_EQ(33ULL, back);
	ASSERT_EQ(0, st_read(self->fd, (__u32)ops[2].result, 0, 8, &back));
	EXPECT_EQ(33ULL, back);

	/* GMM_IOC_OP: into a's right word, replacing z. */
	op = mkv(GMM_OP_ALLOC, N | I, self->a, self->rnode, 8, 1, 44);
	ASSERT_EQ(0, st_op_run(self->fd, &op));
	ASSERT_EQ(0, st_load(self->fd, self->a, 8, &w));
	ASSERT_EQ(0, st_read(self->fd, w, 0, 8, &back));
	EXPECT_EQ(44ULL, back);

	/* ALLOC IMM: a first word that is a pointer word stays NULL. */
	op = mkv(GMM_OP_ALLOC, I, 0, self->node, 0, 1, 0x55);
	ASSERT_EQ(0, st_op_run(self->fd, &op));
	ASSERT_EQ(0, st_load(self->fd, (__u32)op.result, 0, &w));
	EXPECT_EQ(0U, w);
	op = mkv(GMM_OP_ALLOC, I, 0, 0, 0, 16, 0x66);	/* bytes */
	ASSERT_EQ(0, st_op_run(self->fd, &op));
	ASSERT_EQ(0, st_read(self->fd, (__u32)op.result, 0, 8, &back));
	EXPECT_EQ(0x66ULL, back);
}

/* Bad ALLOC INTO: nothing allocated, stored or handed out. */
TEST_F(link, alloc_into_bad_input_refused)
{
	struct gmm_op ops[2], op;
	__u32 bytes;

	ASSERT_EQ(0, st_alloc_bytes(self->fd, 24, &bytes));
	/* Not a pointer word, unaligned, outside, no pointers at all. */
	ops[0] = mk(GMM_OP_ALLOC, T | N, self->a, self->node, 16, 1, NULL);
	expect_refused(_metadata, self->fd, self->a, ops, 1, 0, -EINVAL);
	ops[0] = mk(GMM_OP_ALLOC, N, self->a, self->node, 4, 1, NULL);
	expect_refused(_metadata, self->fd, self->a, ops, 1, 0, -EINVAL);
	ops[0] = mk(GMM_OP_ALLOC, N, self->a, self->node, 1ULL << 40, 1, NULL);
	expect_refused(_metadata, self->fd, self->a, ops, 1, 0, -EINVAL);
	ops[0] = mk(GMM_OP_ALLOC, N, bytes, self->node, 0, 1, NULL);
	expect_refused(_metadata, self->fd, self->a, ops, 1, 0, -EINVAL);
	/* No such handle; a link to a NULL. */
	ops[0] = mk(GMM_OP_ALLOC, N, 0xdead, self->node, 0, 1, NULL);
	expect_refused(_metadata, self->fd, self->a, ops, 1, 0, -ENOENT);
	ops[0] = mk(GMM_OP_LOAD, T, self->a, 0, 0, 0, NULL);
	ops[1] = mk(GMM_OP_ALLOC, T | N | H, 0, self->node, 0, 1, NULL);
	expect_refused(_metadata, self->fd, self->a, ops, 2, 1, -ENOENT);
	/* A bad type or size, even into a good word. */
	ops[0] = mk(GMM_OP_ALLOC, N, self->a, 999, 0, 1, NULL);
	expect_refused(_metadata, self->fd, self->a, ops, 1, 0, -EINVAL);
	/* INTO on other operations. */
	ops[0] = mk(GMM_OP_STORE, N, self->a, 0, 0, 0, NULL);
	expect_refused(_metadata, self->fd, self->a, ops, 1, 0, -EINVAL);
	ops[0] = mk(GMM_OP_LOAD, N, self->a, 0, 0, 0, NULL);
	expect_refused(_metadata, self->fd, self->a, ops, 1, 0, -EINVAL);
	op = mk(GMM_OP_ALLOC, N, self->a, self->node, 16, 1, NULL);
	EXPECT_EQ(-EINVAL, st_op_run(self->fd, &op));
	ASSERT_EQ(0, st_release(self->fd, bytes));
}

/*
 * Temporaries made after other operations, past the first 64, in a batch
 * that follows one full of temporaries (the kernel keeps a batch's state
 * for the next), are roots: a full cycle inside the batch keeps them.
 */
TEST_F(link, late_temporaries_are_roots)
{
	__u64 base = live_objects(self->fd), back = 0;
	static struct gmm_op ops[100];
	struct gmm_batch b;
	unsigned int i;
	__u32 y = 0;

	for (i = 0; i < 100; i++)
		ops[i] = mk(GMM_OP_ALLOC, T, 0, self->node, 0, 1, NULL);
	ASSERT_EQ(0, run(self->fd, ops, 100, &b));
	EXPECT_EQ(base, live_objects(self->fd));
	for (i = 0; i < 100; i++)
		ops[i] = mk(GMM_OP_NOP, 0, 0, 0, 0, 0, NULL);
	ops[70] = mkv(GMM_OP_ALLOC, T | I, 0, self->rnode, 0, 1, 42);
	ops[81] = mkv(GMM_OP_ALLOC, T | N | I | H, 70, self->rnode, 8, 1, 43);
	ops[82] = mk(GMM_OP_GC, 0, 0, 0, 0, 0, NULL);
	ops[83] = mk(GMM_OP_DUP, H, 70, 0, 0, 0, NULL);
	ops[90] = mkv(GMM_OP_READ, I | H, 81, 0, 0, 8, 0);
	ASSERT_EQ(0, run(self->fd, ops, 100, &b));
	EXPECT_EQ(43ULL, ops[90].result);
	EXPECT_EQ(base + 2, live_objects(self->fd));
	ASSERT_EQ(0, st_read(self->fd, (__u32)ops[83].result, 0, 8, &back));
	EXPECT_EQ(42ULL, back);
	ASSERT_EQ(0, st_load(self->fd, (__u32)ops[83].result, 8, &y));
	ASSERT_EQ(0, st_read(self->fd, y, 0, 8, &back));
	EXPECT_EQ(43ULL, back);
	ASSERT_EQ(0, st_release(self->fd, y));
	ASSERT_EQ(0, st_release(self->fd, (__u32)ops[83].result));
	EXPECT_EQ(base, live_objects(self->fd));
}

TEST_HARNESS_MAIN
