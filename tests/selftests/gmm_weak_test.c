// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_weak_test.c - weak handles of /dev/gmm (GMM_FEATURE_WEAK):
 * GMM_OP_WEAK makes one, GMM_OP_WEAK_LOAD turns it into a new handle
 * while its object lives and into 0 (no handle) once the collector found
 * it unreachable, GMM_OP_WEAK_RELEASE drops it.  A weak handle keeps
 * nothing alive, follows an object kept by other objects, works on a
 * batch's temporaries, and every bad number or field fails with nothing
 * made.
 *
 * Needs gmm.ko loaded; skips when /dev/gmm is missing.
 */
#include "kselftest_harness.h"
#include "gmm_util.h"

FIXTURE(weak) {
	int fd;
	__u32 node;
};

FIXTURE_SETUP(weak)
{
	static const __u32 offs[] = { 0, 8 };
	struct gmm_version v;

	ST_OPEN_OR_SKIP(self->fd);
	memset(&v, 0, sizeof(v));
	ASSERT_EQ(0, st_ioctl(self->fd, GMM_IOC_VERSION, &v));
	ASSERT_TRUE(v.features & GMM_FEATURE_WEAK);
	ASSERT_EQ(0, st_type(self->fd, 24, 0, offs, 2, "node", &self->node));
}

FIXTURE_TEARDOWN(weak)
{
	if (self->fd >= 0)
		close(self->fd);
}

static int weak_of(int fd, __u32 handle, __u32 *weak)
{
	__u64 r = 0;
	int ret = st_do(fd, GMM_OP_WEAK, handle, 0, 0, 0, NULL, &r);

	*weak = (__u32)r;
	return ret;
}

/* *out: a new handle, or 0 once the object was collected. */
static int weak_load(int fd, __u32 weak, __u32 *out)
{
	__u64 r = ~0ULL;
	int ret = st_do(fd, GMM_OP_WEAK_LOAD, 0, weak, 0, 0, NULL, &r);

	*out = (__u32)r;
	return ret;
}

static int weak_release(int fd, __u32 weak)
{
	return st_do(fd, GMM_OP_WEAK_RELEASE, 0, weak, 0, 0, NULL, NULL);
}

static __u64 live_objects(int fd)
{
	struct gmm_stats st;

	if (st_gc(fd, NULL) || st_stats(fd, &st))
		return ~0ULL;
	return st.heap_objects;
}

TEST_F(weak, loads_a_live_object)
{
	__u64 num = 0x5eed, back = 0;
	__u32 a, w, h;

	ASSERT_EQ(0, st_alloc(self->fd, self->node, 1, &a));
	ASSERT_EQ(0, st_write(self->fd, a, 16, 8, &num));
	ASSERT_EQ(0, weak_of(self->fd, a, &w));
	EXPECT_NE(0U, w);
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	ASSERT_EQ(0, weak_load(self->fd, w, &h));
	ASSERT_NE(0U, h);
	EXPECT_NE(a, h);
	ASSERT_EQ(0, st_read(self->fd, h, 16, 8, &back));
	EXPECT_EQ(num, back);
	EXPECT_EQ(0, weak_release(self->fd, w));
	EXPECT_EQ(-ENOENT, weak_release(self->fd, w));
	EXPECT_EQ(-ENOENT, weak_load(self->fd, w, &h));
}

TEST_F(weak, reads_zero_once_collected)
{
	__u64 handles;
	__u32 a, w, h;

	ASSERT_EQ(0, st_alloc(self->fd, self->node, 1, &a));
	ASSERT_EQ(0, weak_of(self->fd, a, &w));
	ASSERT_EQ(0, st_release(self->fd, a));
	/* It keeps nothing alive. */
	EXPECT_EQ(0ULL, live_objects(self->fd));
	handles = st_handles_of(self->fd);
	ASSERT_EQ(0, weak_load(self->fd, w, &h));
	EXPECT_EQ(0U, h);
	EXPECT_EQ(handles, st_handles_of(self->fd));	/* none made */
	/* New objects in the old slot: it stays 0. */
	ASSERT_EQ(0, st_alloc(self->fd, self->node, 1, &a));
	ASSERT_EQ(0, weak_load(self->fd, w, &h));
	EXPECT_EQ(0U, h);
	EXPECT_EQ(0, weak_release(self->fd, w));
}

/* Kept by another object, not by a handle: it stays. */
TEST_F(weak, follows_an_object_kept_by_another)
{
	__u32 a, b, w, h;

	ASSERT_EQ(0, st_alloc(self->fd, self->node, 1, &a));
	ASSERT_EQ(0, st_alloc(self->fd, self->node, 1, &b));
	ASSERT_EQ(0, st_store(self->fd, b, 0, a));
	ASSERT_EQ(0, weak_of(self->fd, a, &w));
	ASSERT_EQ(0, st_release(self->fd, a));
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	ASSERT_EQ(0, weak_load(self->fd, w, &h));
	EXPECT_NE(0U, h);
	ASSERT_EQ(0, st_release(self->fd, h));
	ASSERT_EQ(0, st_store(self->fd, b, 0, 0));
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	ASSERT_EQ(0, weak_load(self->fd, w, &h));
	EXPECT_EQ(0U, h);
}

/* A weak handle of a batch's temporary: garbage once the batch ended. */
TEST_F(weak, of_a_temporary)
{
	struct gmm_op ops[2];
	struct gmm_batch b;
	__u32 h;

	memset(ops, 0, sizeof(ops));
	ops[0].op = GMM_OP_ALLOC;
	ops[0].flags = GMM_OP_TEMP;
	ops[0].arg = self->node;
	ops[0].len = 1;
	ops[1].op = GMM_OP_WEAK;
	ops[1].flags = GMM_OP_HANDLE_LINK;
	memset(&b, 0, sizeof(b));
	b.count = 2;
	b.ops = st_ptr(ops);
	b.op_size = sizeof(ops[0]);
	ASSERT_EQ(0, st_ioctl(self->fd, GMM_IOC_BATCH, &b));
	ASSERT_NE(0ULL, ops[1].result);
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	ASSERT_EQ(0, weak_load(self->fd, (__u32)ops[1].result, &h));
	EXPECT_EQ(0U, h);
}

TEST_F(weak, bad_numbers_and_fields)
{
	__u64 handles = st_handles_of(self->fd), r;
	__u32 a, w, h;

	EXPECT_EQ(-ENOENT, weak_load(self->fd, 0, &h));
	EXPECT_EQ(-ENOENT, weak_load(self->fd, 777, &h));
	EXPECT_EQ(-ENOENT, weak_load(self->fd, 0xffffffffU, &h));
	EXPECT_EQ(-ENOENT, weak_release(self->fd, 0));
	EXPECT_EQ(-ENOENT, weak_of(self->fd, 12345, &w));
	EXPECT_EQ(handles, st_handles_of(self->fd));
	ASSERT_EQ(0, st_alloc(self->fd, self->node, 1, &a));
	/* Unused fields. */
	EXPECT_EQ(-EINVAL, st_do(self->fd, GMM_OP_WEAK, a, 1, 0, 0, NULL, &r));
	EXPECT_EQ(-EINVAL, st_do(self->fd, GMM_OP_WEAK, a, 0, 8, 0, NULL, &r));
	EXPECT_EQ(-EINVAL, st_do(self->fd, GMM_OP_WEAK_LOAD, a, 1, 0, 0, NULL,
				 &r));
	EXPECT_EQ(-EINVAL, st_do(self->fd, GMM_OP_WEAK_RELEASE, 0, 1, 0, 1,
				 NULL, &r));
	/* No weak handle was made by any of them. */
	EXPECT_EQ(-ENOENT, weak_load(self->fd, 1, &h));
}

TEST_HARNESS_MAIN
