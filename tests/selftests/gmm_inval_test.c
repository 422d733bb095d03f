// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_inval_test.c - every invalid value of GMM_IOC_PARAMS,
 * GMM_IOC_TYPE_CREATE and of an allocation, and unknown operation codes,
 * each in a test of its own: bad values, sizes, counts, alignments,
 * pointer offsets and names.  Each test checks the errno the header
 * promises, and where it matters that the failed call changed nothing.
 * gmm_inval_mem_test has the invalid offsets, lengths and buffers,
 * gmm_inval_op_test the unused operation fields and the bad handles.
 *
 * Needs gmm.ko loaded; skips when /dev/gmm is missing.
 */
#include <limits.h>

#include "kselftest_harness.h"
#include "gmm_util.h"
#include "inval_fixture.h"

/* PARAMS */

static int set_gc_percent(int fd, int v)
{
	return st_set_gc_percent(fd, v);
}

TEST_F(inval, params_gc_percent_zero)
{
	EXPECT_EQ(-EINVAL, set_gc_percent(self->fd, 0));
}

TEST_F(inval, params_gc_percent_minus_two)
{
	EXPECT_EQ(-EINVAL, set_gc_percent(self->fd, -2));
}

TEST_F(inval, params_gc_percent_10001)
{
	EXPECT_EQ(-EINVAL, set_gc_percent(self->fd, 10001));
}

TEST_F(inval, params_gc_percent_int_min)
{
	EXPECT_EQ(-EINVAL, set_gc_percent(self->fd, INT_MIN));
}

TEST_F(inval, params_gc_percent_int_max)
{
	EXPECT_EQ(-EINVAL, set_gc_percent(self->fd, INT_MAX));
}

TEST_F(inval, params_reserved_0)
{
	struct gmm_params p;

	memset(&p, 0, sizeof(p));
	p.reserved[0] = 1;
	EXPECT_EQ(-EINVAL, st_ioctl(self->fd, GMM_IOC_PARAMS, &p));
}

TEST_F(inval, params_reserved_1)
{
	struct gmm_params p;

	memset(&p, 0, sizeof(p));
	p.reserved[1] = 1ULL << 63;
	EXPECT_EQ(-EINVAL, st_ioctl(self->fd, GMM_IOC_PARAMS, &p));
}

/* A rejected change changes nothing, not even its valid half. */
TEST_F(inval, params_rejected_set_is_all_or_nothing)
{
	struct gmm_params p, before, after;

	ASSERT_EQ(0, st_params_get(self->fd, &before));
	memset(&p, 0, sizeof(p));
	p.flags = GMM_PARAMS_SET_GC_PERCENT | GMM_PARAMS_SET_MEMORY_LIMIT;
	p.gc_percent = 0;
	p.memory_limit = 8ULL << 20;
	EXPECT_EQ(-EINVAL, st_ioctl(self->fd, GMM_IOC_PARAMS, &p));
	ASSERT_EQ(0, st_params_get(self->fd, &after));
	EXPECT_EQ(before.gc_percent, after.gc_percent);
	EXPECT_EQ(before.memory_limit, after.memory_limit);
	/* Rejected for an unknown flag next to known ones. */
	p.flags = GMM_PARAMS_SET_GC_PERCENT | GMM_PARAMS_SET_MEMORY_LIMIT |
		  (1U << 5);
	p.gc_percent = 55;
	EXPECT_EQ(-EINVAL, st_ioctl(self->fd, GMM_IOC_PARAMS, &p));
	ASSERT_EQ(0, st_params_get(self->fd, &after));
	EXPECT_EQ(before.gc_percent, after.gc_percent);
	EXPECT_EQ(before.memory_limit, after.memory_limit);
}

/* TYPE_CREATE */

TEST_F(inval, type_size_zero)
{
	struct gmm_type_create t;

	type_init(&t, 0, NULL, 0);
	EXPECT_EQ(-EINVAL, type_raw(self->fd, &t));
	EXPECT_EQ(1U, types_of(self->fd));
}

TEST_F(inval, type_size_too_big)
{
	struct gmm_type_create t;

	type_init(&t, GMM_UAPI_MAX_OBJECT + 1, NULL, 0);
	EXPECT_EQ(-EINVAL, type_raw(self->fd, &t));
}

TEST_F(inval, type_size_u32_max)
{
	struct gmm_type_create t;

	type_init(&t, UINT_MAX, NULL, 0);
	EXPECT_EQ(-EINVAL, type_raw(self->fd, &t));
}

TEST_F(inval, type_align_not_power_of_two)
{
	struct gmm_type_create t;

	type_init(&t, 64, NULL, 0);
	t.align = 24;
	EXPECT_EQ(-EINVAL, type_raw(self->fd, &t));
}

TEST_F(inval, type_align_three)
{
	struct gmm_type_create t;

	type_init(&t, 64, NULL, 0);
	t.align = 3;
	EXPECT_EQ(-EINVAL, type_raw(self->fd, &t));
}

TEST_F(inval, type_align_too_big)
{
	struct gmm_type_create t;

	type_init(&t, 64, NULL, 0);
	t.align = 16384;
	EXPECT_EQ(-EINVAL, type_raw(self->fd, &t));
}

TEST_F(inval, type_align_bit_31)
{
	struct gmm_type_create t;

	type_init(&t, 64, NULL, 0);
	t.align = 1U << 31;
	EXPECT_EQ(-EINVAL, type_raw(self->fd, &t));
}

TEST_F(inval, type_ptr_offset_unaligned)
{
	static const __u32 offs[] = { 4 };
	struct gmm_type_create t;

	type_init(&t, 64, offs, 1);
	EXPECT_EQ(-EINVAL, type_raw(self->fd, &t));
}

TEST_F(inval, type_ptr_offset_at_size)
{
	static const __u32 offs[] = { 0, 64 };
	struct gmm_type_create t;

	type_init(&t, 64, offs, 2);
	EXPECT_EQ(-EINVAL, type_raw(self->fd, &t));
}

TEST_F(inval, type_ptr_word_crosses_end)
{
	static const __u32 offs[] = { 16 };
	struct gmm_type_create t;

	type_init(&t, 20, offs, 1);
	EXPECT_EQ(-EINVAL, type_raw(self->fd, &t));
}

TEST_F(inval, type_ptr_offset_huge)
{
	static const __u32 offs[] = { 0xfffffff8 };
	struct gmm_type_create t;

	type_init(&t, 64, offs, 1);
	EXPECT_EQ(-EINVAL, type_raw(self->fd, &t));
}

TEST_F(inval, type_ptr_offset_duplicate)
{
	static const __u32 offs[] = { 0, 8, 0 };
	struct gmm_type_create t;

	type_init(&t, 64, offs, 3);
	EXPECT_EQ(-EINVAL, type_raw(self->fd, &t));
}

TEST_F(inval, type_ptr_offset_duplicate_adjacent)
{
	static const __u32 offs[] = { 8, 16, 16 };
	struct gmm_type_create t;

	type_init(&t, 64, offs, 3);
	EXPECT_EQ(-EINVAL, type_raw(self->fd, &t));
}

TEST_F(inval, type_too_many_ptrs)
{
	static const __u32 offs[] = { 0, 8, 16 };
	struct gmm_type_create t;

	type_init(&t, 16, offs, 3);
	EXPECT_EQ(-EINVAL, type_raw(self->fd, &t));
}

/* A huge count is refused as a count, not by reading 8 GiB of offsets. */
TEST_F(inval, type_nr_ptrs_huge)
{
	static const __u32 offs[] = { 0, 8 };
	struct gmm_type_create t;

	type_init(&t, 16, offs, 1U << 31);
	EXPECT_EQ(-EINVAL, type_raw(self->fd, &t));
}

TEST_F(inval, type_nr_ptrs_u32_max)
{
	static const __u32 offs[] = { 0, 8 };
	struct gmm_type_create t;

	type_init(&t, GMM_UAPI_MAX_OBJECT, offs, UINT_MAX);
	EXPECT_EQ(-EINVAL, type_raw(self->fd, &t));
}

/*
 * Offsets and count must be both zero or both non-zero: a count without
 * a pointer is -EINVAL (Documentation/userspace-api.rst), not -EFAULT.
 */
TEST_F(inval, type_ptr_offsets_null)
{
	struct gmm_type_create t;

	type_init(&t, 16, NULL, 1);
	EXPECT_EQ(-EINVAL, type_raw(self->fd, &t));
}

TEST_F(inval, type_ptr_offsets_unmapped)
{
	struct gmm_type_create t;
	void *p = st_unmapped_addr();

	ASSERT_NE(NULL, p);
	type_init(&t, 16, p, 1);
	EXPECT_EQ(-EFAULT, type_raw(self->fd, &t));
}

TEST_F(inval, type_ptr_offsets_prot_none)
{
	struct gmm_type_create t;
	void *p = st_prot_none_addr();

	ASSERT_NE(NULL, p);
	type_init(&t, 16, p, 1);
	EXPECT_EQ(-EFAULT, type_raw(self->fd, &t));
}

TEST_F(inval, type_ptr_offsets_straddle_unmapped_page)
{
	struct gmm_type_create t;
	__u32 *p = st_straddle_addr(2 * sizeof(__u32), sizeof(__u32));

	ASSERT_NE(NULL, p);
	p[0] = 0;
	type_init(&t, 16, p, 2);
	EXPECT_EQ(-EFAULT, type_raw(self->fd, &t));
	EXPECT_EQ(1U, types_of(self->fd));
}

TEST_F(inval, type_ptr_offsets_kernel_address)
{
	struct gmm_type_create t;

	type_init(&t, 16, (void *)0xffffffff81000000UL, 1);
	EXPECT_EQ(-EFAULT, type_raw(self->fd, &t));
}

/* A pointer to offsets needs a count ("0 with nr_ptrs 0"). */
TEST_F(inval, type_ptr_offsets_without_count)
{
	static const __u32 offs[] = { 0 };
	struct gmm_type_create t;

	type_init(&t, 16, offs, 0);
	EXPECT_EQ(-EINVAL, type_raw(self->fd, &t));
}

TEST_F(inval, type_name_without_nul)
{
	struct gmm_type_create t;

	type_init(&t, 16, NULL, 0);
	memset(t.name, 'x', sizeof(t.name));
	EXPECT_EQ(-EINVAL, type_raw(self->fd, &t));
	EXPECT_EQ(1U, types_of(self->fd));
}

TEST_F(inval, type_reserved)
{
	struct gmm_type_create t;

	type_init(&t, 16, NULL, 0);
	t.reserved = 1;
	EXPECT_EQ(-EINVAL, type_raw(self->fd, &t));
}

TEST_F(inval, type_id_is_output_only)
{
	struct gmm_type_create t;

	type_init(&t, 16, NULL, 0);
	t.id = 0xdead;
	ASSERT_EQ(0, type_raw(self->fd, &t));
	EXPECT_NE(0xdeadU, t.id);
	EXPECT_NE(self->node, t.id);
}

/* ALLOC */

static int alloc_raw(int fd, __u32 type, __u64 len)
{
	return st_do(fd, GMM_OP_ALLOC, 0, type, 0, len, NULL, NULL);
}

TEST_F(inval, alloc_bytes_len_zero)
{
	EXPECT_EQ(-EINVAL, alloc_raw(self->fd, 0, 0));
	EXPECT_EQ(3ULL, st_handles_of(self->fd));
}

TEST_F(inval, alloc_typed_len_zero)
{
	EXPECT_EQ(-EINVAL, alloc_raw(self->fd, self->node, 0));
}

TEST_F(inval, alloc_bytes_too_big)
{
	EXPECT_EQ(-EINVAL, alloc_raw(self->fd, 0, GMM_UAPI_MAX_OBJECT + 1));
}

TEST_F(inval, alloc_bytes_u64_max)
{
	EXPECT_EQ(-EINVAL, alloc_raw(self->fd, 0, ~0ULL));
}

TEST_F(inval, alloc_bytes_4g_plus_16)
{
	/* Truncated to 32 bits it would be a valid 16 bytes. */
	EXPECT_EQ(-EINVAL, alloc_raw(self->fd, 0, (1ULL << 32) + 16));
}

TEST_F(inval, alloc_array_too_big)
{
	EXPECT_EQ(-EINVAL, alloc_raw(self->fd, self->node,
				     GMM_UAPI_MAX_OBJECT / NODE_SIZE + 1));
}

/* count * size wraps to 0 in 64 bits. */
TEST_F(inval, alloc_array_count_times_size_wraps_to_zero)
{
	EXPECT_EQ(-EINVAL, alloc_raw(self->fd, self->node, 1ULL << 59));
}

/* count * size wraps to a small valid size (32) in 64 bits. */
TEST_F(inval, alloc_array_count_times_size_wraps_small)
{
	EXPECT_EQ(-EINVAL, alloc_raw(self->fd, self->node, (1ULL << 59) + 1));
}

/* count * size wraps to 32 in 32 bits. */
TEST_F(inval, alloc_array_count_times_size_wraps_32bit)
{
	EXPECT_EQ(-EINVAL, alloc_raw(self->fd, self->node, (1ULL << 27) + 1));
}

TEST_F(inval, alloc_unknown_type)
{
	EXPECT_EQ(-EINVAL, alloc_raw(self->fd, self->node + 1000, 1));
}

TEST_F(inval, alloc_type_65536)
{
	EXPECT_EQ(-EINVAL, alloc_raw(self->fd, 65536, 1));
}

TEST_F(inval, alloc_type_u32_max)
{
	EXPECT_EQ(-EINVAL, alloc_raw(self->fd, UINT_MAX, 1));
}

TEST_F(inval, op_unknown_code_10)
{
	EXPECT_EQ(-EINVAL, st_do(self->fd, GMM_OP_MAX + 1, 0, 0, 0, 0, NULL,
				 NULL));
}

TEST_F(inval, op_unknown_code_255)
{
	EXPECT_EQ(-EINVAL, st_do(self->fd, 255, 0, 0, 0, 0, NULL, NULL));
}

TEST_F(inval, op_unknown_code_u32_max)
{
	EXPECT_EQ(-EINVAL, st_do(self->fd, UINT_MAX, 0, 0, 0, 0, NULL,
				 NULL));
}

TEST_HARNESS_MAIN
