// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_inval_test.c - every invalid input of GMM_IOC_PARAMS,
 * GMM_IOC_TYPE_CREATE and GMM_IOC_OP, each in a test of its own: bad
 * values, sizes, counts, alignments, pointer offsets and names; unused
 * operation fields that are not zero (one test per operation and field);
 * bad handles (one test per operation and kind of handle); bad offsets and
 * lengths; pointer operations on data words; bad user buffers.  Each test
 * checks the errno the header promises, and where it matters that the
 * failed call changed nothing.
 *
 * Needs gmm.ko loaded; skips when /dev/gmm is missing.
 */
#include <limits.h>

#include "kselftest_harness.h"
#include "gmm_util.h"

#define NODE_SIZE	32	/* pointers at 0 and 8, data at 16 and 24 */

FIXTURE(inval) {
	int fd;
	__u32 node;	/* type id */
	__u32 obj;	/* a node */
	__u32 target;	/* another node */
	__u32 bytes;	/* 64 pointer-free bytes */
	__u32 size;	/* slot size of bytes */
	unsigned char buf[256];
};

FIXTURE_SETUP(inval)
{
	static const __u32 offs[] = { 0, 8 };

	ST_OPEN_OR_SKIP(self->fd);
	ASSERT_EQ(0, st_type(self->fd, NODE_SIZE, 0, offs, 2, "node",
			     &self->node));
	ASSERT_EQ(0, st_alloc(self->fd, self->node, 1, &self->obj));
	ASSERT_EQ(0, st_alloc(self->fd, self->node, 1, &self->target));
	ASSERT_EQ(0, st_alloc_bytes(self->fd, 64, &self->bytes));
	ASSERT_EQ(0, st_info(self->fd, self->bytes, &self->size, NULL));
	ASSERT_EQ(64U, self->size);
}

FIXTURE_TEARDOWN(inval)
{
	if (self->fd >= 0)
		close(self->fd);
}

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

static int type_raw(int fd, struct gmm_type_create *t)
{
	return st_ioctl(fd, GMM_IOC_TYPE_CREATE, t);
}

static void type_init(struct gmm_type_create *t, __u32 size,
		      const __u32 *offs, __u32 nr)
{
	memset(t, 0, sizeof(*t));
	t->size = size;
	t->ptr_offsets = st_ptr(offs);
	t->nr_ptrs = nr;
	strcpy(t->name, "bad");
}

static __u32 types_of(int fd)
{
	struct gmm_stats st;

	return st_stats(fd, &st) ? ~0U : st.types;
}

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

static __u64 handles_of(int fd)
{
	struct gmm_stats st;

	return st_stats(fd, &st) ? ~0ULL : st.handles;
}

TEST_F(inval, alloc_bytes_len_zero)
{
	EXPECT_EQ(-EINVAL, alloc_raw(self->fd, 0, 0));
	EXPECT_EQ(3ULL, handles_of(self->fd));
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
	EXPECT_EQ(3ULL, handles_of(self->fd));
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
