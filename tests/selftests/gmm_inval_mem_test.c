// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_inval_mem_test.c - invalid places in memory for GMM_IOC_OP, each in
 * a test of its own: pointer operations on data words and offsets that
 * wrap, READ and WRITE ranges outside the object, bad user buffers
 * (NULL, unmapped, PROT_NONE, read-only, straddling an unmapped page, the
 * kernel's), and argument structs the kernel can read but not write
 * back.  Each test checks the errno the header promises, and that the
 * failed call changed nothing.
 *
 * Needs gmm.ko loaded; skips when /dev/gmm is missing.
 */
#include <limits.h>

#include "kselftest_harness.h"
#include "gmm_util.h"
#include "inval_fixture.h"

/* STORE and LOAD at words that are no pointer words */

TEST_F(inval, store_at_data_word)
{
	__u32 l;

	EXPECT_EQ(-EINVAL, st_store(self->fd, self->obj, 16, self->target));
	EXPECT_EQ(-EINVAL, st_store(self->fd, self->obj, 24, self->target));
	ASSERT_EQ(0, st_load(self->fd, self->obj, 0, &l));
	EXPECT_EQ(0U, l);
}

TEST_F(inval, store_unaligned)
{
	EXPECT_EQ(-EINVAL, st_store(self->fd, self->obj, 4, self->target));
}

TEST_F(inval, store_offset_one)
{
	EXPECT_EQ(-EINVAL, st_store(self->fd, self->obj, 1, self->target));
}

TEST_F(inval, store_past_end)
{
	EXPECT_EQ(-EINVAL, st_store(self->fd, self->obj, NODE_SIZE,
				    self->target));
}

TEST_F(inval, store_offset_huge)
{
	EXPECT_EQ(-EINVAL, st_store(self->fd, self->obj, 1ULL << 63,
				    self->target));
}

TEST_F(inval, store_offset_4g)
{
	/* Truncated to 32 bits it would be the pointer word at 0. */
	EXPECT_EQ(-EINVAL, st_store(self->fd, self->obj, 1ULL << 32,
				    self->target));
}

/*
 * Offsets for which offset + 8 wraps in 64 bits (UINT64_MAX - 7 is also
 * UINT64_MAX & ~7), or whose low 32 bits are a pointer word: -EINVAL,
 * and the pointer words keep what they held.
 */
static const __u64 wrap_offs[] = {
	UINT64_MAX - 7, UINT64_MAX & ~7ULL, UINT64_MAX - 15,
	0xffffffff00000000ULL, 0xffffffff00000008ULL,
};

TEST_F(inval, store_offset_wraps_changes_nothing)
{
	__u32 other, l0, l8, size, type;
	unsigned int i;

	ASSERT_EQ(0, st_store(self->fd, self->obj, 0, self->target));
	ASSERT_EQ(0, st_alloc_bytes(self->fd, 64, &other));
	for (i = 0; i < ARRAY_SIZE(wrap_offs); i++) {
		EXPECT_EQ(-EINVAL, st_store(self->fd, self->obj,
					    wrap_offs[i], other))
			TH_LOG("offset %#llx", (unsigned long long)wrap_offs[i]);
		EXPECT_EQ(-EINVAL, st_store(self->fd, self->obj,
					    wrap_offs[i], 0));
	}
	/* Word 0 still holds target, word 8 still NULL. */
	ASSERT_EQ(0, st_load(self->fd, self->obj, 0, &l0));
	ASSERT_NE(0U, l0);
	ASSERT_EQ(0, st_info(self->fd, l0, &size, &type));
	EXPECT_EQ(self->node, type);
	ASSERT_EQ(0, st_write(self->fd, self->target, 16, 8, "target!"));
	ASSERT_EQ(0, st_read(self->fd, l0, 16, 8, self->buf));
	EXPECT_EQ(0, memcmp(self->buf, "target!", 8));
	ASSERT_EQ(0, st_load(self->fd, self->obj, 8, &l8));
	EXPECT_EQ(0U, l8);
	/* obj, target, bytes, other and l0. */
	EXPECT_EQ(5ULL, st_handles_of(self->fd));
}

TEST_F(inval, load_offset_wraps_changes_nothing)
{
	unsigned int i;
	__u32 l;

	ASSERT_EQ(0, st_store(self->fd, self->obj, 0, self->target));
	ASSERT_EQ(0, st_store(self->fd, self->obj, 8, self->target));
	for (i = 0; i < ARRAY_SIZE(wrap_offs); i++) {
		l = 7;
		EXPECT_EQ(-EINVAL, st_load(self->fd, self->obj,
					   wrap_offs[i], &l))
			TH_LOG("offset %#llx", (unsigned long long)wrap_offs[i]);
		EXPECT_EQ(7U, l);
	}
	EXPECT_EQ(3ULL, st_handles_of(self->fd));
}

TEST_F(inval, store_into_noscan_object)
{
	EXPECT_EQ(-EINVAL, st_store(self->fd, self->bytes, 0, self->target));
}

TEST_F(inval, store_null_into_noscan_object)
{
	EXPECT_EQ(-EINVAL, st_store(self->fd, self->bytes, 8, 0));
}

TEST_F(inval, store_rejected_leaves_pointer)
{
	__u32 l, other;

	ASSERT_EQ(0, st_store(self->fd, self->obj, 8, self->target));
	ASSERT_EQ(0, st_alloc(self->fd, self->node, 1, &other));
	ASSERT_EQ(0, st_release(self->fd, other));
	/* Released target: nothing is stored. */
	EXPECT_EQ(-ENOENT, st_store(self->fd, self->obj, 8, other));
	ASSERT_EQ(0, st_load(self->fd, self->obj, 8, &l));
	ASSERT_NE(0U, l);
	ASSERT_EQ(0, st_write(self->fd, self->target, 16, 8, "marker!"));
	ASSERT_EQ(0, st_read(self->fd, l, 16, 8, self->buf));
	EXPECT_EQ(0, memcmp(self->buf, "marker!", 8));
}

TEST_F(inval, load_at_data_word)
{
	__u32 l = 7;

	EXPECT_EQ(-EINVAL, st_load(self->fd, self->obj, 16, &l));
	EXPECT_EQ(3ULL, st_handles_of(self->fd));
}

TEST_F(inval, load_unaligned)
{
	__u32 l;

	EXPECT_EQ(-EINVAL, st_load(self->fd, self->obj, 12, &l));
}

TEST_F(inval, load_past_end)
{
	__u32 l;

	EXPECT_EQ(-EINVAL, st_load(self->fd, self->obj, NODE_SIZE, &l));
}

TEST_F(inval, load_offset_huge)
{
	__u32 l;

	EXPECT_EQ(-EINVAL, st_load(self->fd, self->obj, ~7ULL, &l));
}

TEST_F(inval, load_offset_4g)
{
	__u32 l;

	EXPECT_EQ(-EINVAL, st_load(self->fd, self->obj, 1ULL << 32, &l));
}

TEST_F(inval, load_from_noscan_object)
{
	__u32 l;

	EXPECT_EQ(-EINVAL, st_load(self->fd, self->bytes, 0, &l));
}

/* READ and WRITE ranges */

TEST_F(inval, read_offset_at_end)
{
	EXPECT_EQ(-EINVAL, st_read(self->fd, self->bytes, self->size, 1,
				   self->buf));
}

TEST_F(inval, read_one_past_end)
{
	EXPECT_EQ(-EINVAL, st_read(self->fd, self->bytes, 0, self->size + 1,
				   self->buf));
}

TEST_F(inval, read_last_byte_plus_one)
{
	EXPECT_EQ(-EINVAL, st_read(self->fd, self->bytes, self->size - 1, 2,
				   self->buf));
}

TEST_F(inval, read_offset_plus_len_overflows)
{
	EXPECT_EQ(-EINVAL, st_read(self->fd, self->bytes, ~0ULL - 3, 8,
				   self->buf));
}

TEST_F(inval, read_len_overflows)
{
	EXPECT_EQ(-EINVAL, st_read(self->fd, self->bytes, 8, ~0ULL - 3,
				   self->buf));
}

TEST_F(inval, read_len_4g_plus_8)
{
	/* Truncated to 32 bits it would be a valid 8 bytes. */
	EXPECT_EQ(-EINVAL, st_read(self->fd, self->bytes, 0,
				   (1ULL << 32) + 8, self->buf));
}

TEST_F(inval, read_offset_4g)
{
	EXPECT_EQ(-EINVAL, st_read(self->fd, self->bytes, 1ULL << 32, 8,
				   self->buf));
}

TEST_F(inval, write_offset_at_end)
{
	EXPECT_EQ(-EINVAL, st_write(self->fd, self->bytes, self->size, 1,
				    self->buf));
}

TEST_F(inval, write_one_past_end)
{
	EXPECT_EQ(-EINVAL, st_write(self->fd, self->bytes, 0, self->size + 1,
				    self->buf));
}

TEST_F(inval, write_offset_plus_len_overflows)
{
	EXPECT_EQ(-EINVAL, st_write(self->fd, self->bytes, ~0ULL - 3, 8,
				    self->buf));
}

TEST_F(inval, write_len_overflows)
{
	EXPECT_EQ(-EINVAL, st_write(self->fd, self->bytes, 8, ~0ULL - 3,
				    self->buf));
}

TEST_F(inval, write_len_4g_plus_8)
{
	EXPECT_EQ(-EINVAL, st_write(self->fd, self->bytes, 0,
				    (1ULL << 32) + 8, self->buf));
}

/* A length of 0 is -EINVAL, as for ALLOC, with a buffer or without. */
TEST_F(inval, read_len_zero)
{
	EXPECT_EQ(-EINVAL, st_read(self->fd, self->bytes, 0, 0, self->buf));
	EXPECT_EQ(-EINVAL, st_read(self->fd, self->bytes, 8, 0, self->buf));
}

TEST_F(inval, read_len_zero_null_buf)
{
	EXPECT_EQ(-EINVAL, st_read(self->fd, self->bytes, 0, 0, NULL));
}

TEST_F(inval, write_len_zero)
{
	EXPECT_EQ(-EINVAL, st_write(self->fd, self->bytes, 0, 0, self->buf));
	EXPECT_EQ(-EINVAL, st_write(self->fd, self->bytes, 8, 0, self->buf));
}

TEST_F(inval, write_len_zero_null_buf)
{
	EXPECT_EQ(-EINVAL, st_write(self->fd, self->bytes, 0, 0, NULL));
}

/* A rejected write leaves the object as it was. */
TEST_F(inval, write_rejected_changes_nothing)
{
	unsigned char back[64], zero[64] = { 0 };

	memset(self->buf, 0x77, sizeof(self->buf));
	EXPECT_EQ(-EINVAL, st_write(self->fd, self->bytes, 0, self->size + 8,
				    self->buf));
	ASSERT_EQ(0, st_read(self->fd, self->bytes, 0, sizeof(back), back));
	EXPECT_EQ(0, memcmp(zero, back, sizeof(back)));
}

/* Bad user buffers */

TEST_F(inval, read_buf_null)
{
	EXPECT_EQ(-EFAULT, st_read(self->fd, self->bytes, 0, 8, NULL));
}

TEST_F(inval, read_buf_unmapped)
{
	void *p = st_unmapped_addr();

	ASSERT_NE(NULL, p);
	EXPECT_EQ(-EFAULT, st_read(self->fd, self->bytes, 0, 8, p));
}

TEST_F(inval, read_buf_prot_none)
{
	void *p = st_prot_none_addr();

	ASSERT_NE(NULL, p);
	EXPECT_EQ(-EFAULT, st_read(self->fd, self->bytes, 0, 8, p));
}

TEST_F(inval, read_buf_read_only)
{
	long pg = sysconf(_SC_PAGESIZE);
	void *p = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(-EFAULT, st_read(self->fd, self->bytes, 0, 8, p));
}

TEST_F(inval, read_buf_straddles_unmapped_page)
{
	void *p = st_straddle_addr(64, 8);

	ASSERT_NE(NULL, p);
	EXPECT_EQ(-EFAULT, st_read(self->fd, self->bytes, 0, 64, p));
}

TEST_F(inval, read_buf_kernel_address)
{
	EXPECT_EQ(-EFAULT, st_read(self->fd, self->bytes, 0, 8,
				   (void *)0xffffffff81000000UL));
}

TEST_F(inval, write_buf_null)
{
	EXPECT_EQ(-EFAULT, st_write(self->fd, self->bytes, 0, 8, NULL));
}

TEST_F(inval, write_buf_unmapped)
{
	void *p = st_unmapped_addr();

	ASSERT_NE(NULL, p);
	EXPECT_EQ(-EFAULT, st_write(self->fd, self->bytes, 0, 8, p));
}

TEST_F(inval, write_buf_prot_none)
{
	void *p = st_prot_none_addr();

	ASSERT_NE(NULL, p);
	EXPECT_EQ(-EFAULT, st_write(self->fd, self->bytes, 0, 8, p));
}

TEST_F(inval, write_buf_straddles_unmapped_page)
{
	void *p = st_straddle_addr(64, 8);

	ASSERT_NE(NULL, p);
	EXPECT_EQ(-EFAULT, st_write(self->fd, self->bytes, 0, 64, p));
}

TEST_F(inval, write_buf_kernel_address)
{
	EXPECT_EQ(-EFAULT, st_write(self->fd, self->bytes, 0, 8,
				    (void *)0xffffffff81000000UL));
}

/* A read-only buffer is fine for WRITE. */
TEST_F(inval, write_buf_read_only_is_fine)
{
	long pg = sysconf(_SC_PAGESIZE);
	void *p = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(0, st_write(self->fd, self->bytes, 0, 8, p));
}

/*
 * A WRITE whose source faults after @good of its @len bytes: -EFAULT and
 * the object (@len bytes, at @off of a fresh one) unchanged, although
 * the good part is at least the kernel's 16 KiB chunk.  @good and @len
 * are multiples of the page size.
 */
static void write_fault_at(struct __test_metadata *_metadata, int fd,
			   size_t off, size_t good, size_t len)
{
	unsigned char *src, *back;
	__u32 h;

	src = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, src);
	back = malloc(off + len);
	ASSERT_NE(NULL, back);
	ASSERT_EQ(0, st_alloc_bytes(fd, off + len, &h));
	/* The object holds pattern 1, the source pattern 2. */
	st_fill(back, off + len, 1);
	ASSERT_EQ(0, st_write(fd, h, 0, off + len, back));
	st_fill(src, len, 2);
	ASSERT_EQ(0, mprotect(src + good, len - good, PROT_NONE));
	EXPECT_EQ(-EFAULT, st_write(fd, h, off, len, src));
	memset(back, 0, off + len);
	ASSERT_EQ(0, st_read(fd, h, 0, off + len, back));
	EXPECT_EQ(-1, st_check(back, off + len, 1))
		TH_LOG("byte %ld changed by the failed WRITE",
		       st_check(back, off + len, 1));
	free(back);
	munmap(src, len);
}

/* 32 KiB whose second half faults (the review's case). */
TEST_F(inval, write_fault_half_way_changes_nothing)
{
	size_t pg = sysconf(_SC_PAGESIZE);
	size_t half = pg > 16384 ? pg : 16384;

	write_fault_at(_metadata, self->fd, 0, half, 2 * half);
}

/* 1 MiB, faulting in its last page, at an offset into a large object. */
TEST_F(inval, write_large_fault_at_end_changes_nothing)
{
	size_t pg = sysconf(_SC_PAGESIZE);

	write_fault_at(_metadata, self->fd, 8192, (1 << 20) - pg, 1 << 20);
}

/*
 * A struct the kernel can read but not write back: -EFAULT, and nothing
 * was made or changed (no handle, no object, no type, no cycle).
 */
static int op_read_only(int fd, const struct gmm_op *op)
{
	void *p = st_ro_copy(op, sizeof(*op));
	int ret;

	if (!p)
		return -ENOMEM;
	ret = st_ioctl(fd, GMM_IOC_OP, p);
	st_ro_free(p);
	return ret;
}

/* Runs @op from a read-only struct; checks -EFAULT and no side effect. */
static void expect_ro_op_fails(struct __test_metadata *_metadata, int fd,
			       const struct gmm_op *op)
{
	struct gmm_stats before, after;

	ASSERT_EQ(0, st_stats(fd, &before));
	EXPECT_EQ(-EFAULT, op_read_only(fd, op));
	ASSERT_EQ(0, st_stats(fd, &after));
	EXPECT_EQ(before.handles, after.handles);
	EXPECT_EQ(before.mallocs, after.mallocs);
	EXPECT_EQ(before.num_forced_gc, after.num_forced_gc);
}

TEST_F(inval, op_read_only_alloc_typed)
{
	struct gmm_op op = { .op = GMM_OP_ALLOC, .arg = self->node, .len = 1 };

	expect_ro_op_fails(_metadata, self->fd, &op);
	EXPECT_EQ(3ULL, st_handles_of(self->fd));
}

TEST_F(inval, op_read_only_alloc_bytes)
{
	struct gmm_op op = { .op = GMM_OP_ALLOC, .len = 1 << 20 };

	expect_ro_op_fails(_metadata, self->fd, &op);
	EXPECT_EQ(3ULL, st_handles_of(self->fd));
}

TEST_F(inval, op_read_only_dup)
{
	struct gmm_op op = { .op = GMM_OP_DUP, .handle = self->obj };

	expect_ro_op_fails(_metadata, self->fd, &op);
	EXPECT_EQ(3ULL, st_handles_of(self->fd));
}

TEST_F(inval, op_read_only_load)
{
	struct gmm_op op = { .op = GMM_OP_LOAD, .handle = self->obj,
			     .offset = 8 };

	ASSERT_EQ(0, st_store(self->fd, self->obj, 8, self->target));
	expect_ro_op_fails(_metadata, self->fd, &op);
	EXPECT_EQ(3ULL, st_handles_of(self->fd));
}

/* Operations that make no handle do nothing either. */
TEST_F(inval, op_read_only_release)
{
	struct gmm_op op = { .op = GMM_OP_RELEASE, .handle = self->target };

	expect_ro_op_fails(_metadata, self->fd, &op);
	EXPECT_EQ(0, st_info(self->fd, self->target, NULL, NULL));
}

TEST_F(inval, op_read_only_store)
{
	struct gmm_op op = { .op = GMM_OP_STORE, .handle = self->obj,
			     .offset = 8, .arg = self->target };
	__u32 l = 7;

	expect_ro_op_fails(_metadata, self->fd, &op);
	ASSERT_EQ(0, st_load(self->fd, self->obj, 8, &l));
	EXPECT_EQ(0U, l);
}

TEST_F(inval, op_read_only_write)
{
	struct gmm_op op = { .op = GMM_OP_WRITE, .handle = self->bytes,
			     .len = 8, .buf = st_ptr("written") };
	__u64 v = 1;

	expect_ro_op_fails(_metadata, self->fd, &op);
	ASSERT_EQ(0, st_read(self->fd, self->bytes, 0, 8, &v));
	EXPECT_EQ(0ULL, v);
}

TEST_F(inval, op_read_only_gc)
{
	struct gmm_op op = { .op = GMM_OP_GC };

	expect_ro_op_fails(_metadata, self->fd, &op);
}

/*
 * A type cannot be unregistered, so it is not registered: the count
 * stays, and the next type gets the id the failed one would have had
 * (the id a new heap's first type gets, in a heap of its own).
 */
TEST_F(inval, type_create_read_only_registers_nothing)
{
	struct gmm_type_create t, *ro;
	__u32 id, first;
	int fd2, fd3;

	fd2 = st_open();
	ASSERT_LE(0, fd2);
	fd3 = st_open();
	ASSERT_LE(0, fd3);
	ASSERT_EQ(0, st_type(fd3, 16, 0, NULL, 0, "x", &first));
	type_init(&t, 16, NULL, 0);
	ro = st_ro_copy(&t, sizeof(t));
	ASSERT_NE(NULL, ro);
	EXPECT_EQ(-EFAULT, type_raw(fd2, ro));
	EXPECT_EQ(0U, types_of(fd2));
	ASSERT_EQ(0, st_type(fd2, 16, 0, NULL, 0, "x", &id));
	EXPECT_EQ(first, id);
	EXPECT_EQ(1U, types_of(fd2));
	/* And in the fixture's heap, next to its node type. */
	EXPECT_EQ(-EFAULT, type_raw(self->fd, ro));
	EXPECT_EQ(1U, types_of(self->fd));
	st_ro_free(ro);
	close(fd3);
	close(fd2);
}

/* PARAMS: a change whose answer cannot be copied back is not made. */
TEST_F(inval, params_read_only_changes_nothing)
{
	struct gmm_params p, *ro, before, after;

	ASSERT_EQ(0, st_params_get(self->fd, &before));
	memset(&p, 0, sizeof(p));
	p.flags = GMM_PARAMS_SET_GC_PERCENT | GMM_PARAMS_SET_MEMORY_LIMIT;
	p.gc_percent = before.gc_percent == 55 ? 56 : 55;
	p.memory_limit = before.memory_limit == (8ULL << 20) ? 9ULL << 20 :
			 8ULL << 20;
	ro = st_ro_copy(&p, sizeof(p));
	ASSERT_NE(NULL, ro);
	EXPECT_EQ(-EFAULT, st_ioctl(self->fd, GMM_IOC_PARAMS, ro));
	st_ro_free(ro);
	ASSERT_EQ(0, st_params_get(self->fd, &after));
	EXPECT_EQ(before.gc_percent, after.gc_percent);
	EXPECT_EQ(before.memory_limit, after.memory_limit);
}

TEST_HARNESS_MAIN
