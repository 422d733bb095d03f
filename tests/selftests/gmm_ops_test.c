// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_ops_test.c - what the /dev/gmm commands do when they succeed:
 * GMM_IOC_PARAMS, GMM_IOC_TYPE_CREATE, and the GMM_IOC_OP operations that
 * make and drop handles (ALLOC of typed objects, arrays, pointer-free
 * bytes and large objects, RELEASE, DUP), checked by their effects.
 * gmm_ops_ptr_test has the pointers: STORE, LOAD, pointer words in READ
 * and WRITE, reachability, collections.
 *
 * Needs gmm.ko loaded; skips when /dev/gmm is missing.
 */
#include <limits.h>

#include "kselftest_harness.h"
#include "gmm_util.h"
#include "ops_fixture.h"

/* PARAMS */

static long long module_param(const char *name)
{
	char path[128], buf[64];
	ssize_t n;
	int f;

	snprintf(path, sizeof(path), "/sys/module/gmm/parameters/%s", name);
	f = open(path, O_RDONLY);
	if (f < 0)
		return -1;
	n = read(f, buf, sizeof(buf) - 1);
	close(f);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return strtoll(buf, NULL, 10);
}

TEST_F(heap, params_defaults)
{
	struct gmm_params p;
	long long mb = module_param("heap_limit_mb");

	ASSERT_EQ(0, st_params_get(self->fd, &p));
	EXPECT_EQ(100, p.gc_percent);
	if (mb >= 0)
		EXPECT_EQ((__u64)mb << 20, p.memory_limit);
	mb = module_param("max_total_mb");
	if (mb > 0)
		EXPECT_EQ((__u64)mb << 20, p.total_limit);
	EXPECT_EQ(0U, p.flags);
	EXPECT_EQ(0ULL, p.reserved[0]);
	EXPECT_EQ(0ULL, p.reserved[1]);
}

TEST_F(heap, params_read_ignores_value_fields_without_flags)
{
	struct gmm_params p;

	memset(&p, 0, sizeof(p));
	p.gc_percent = 7;
	p.memory_limit = 1 << 20;
	ASSERT_EQ(0, st_ioctl(self->fd, GMM_IOC_PARAMS, &p));
	EXPECT_EQ(100, p.gc_percent);
	ASSERT_EQ(0, st_params_get(self->fd, &p));
	EXPECT_EQ(100, p.gc_percent);
	EXPECT_NE((__u64)1 << 20, p.memory_limit);
}

TEST_F(heap, params_set_gc_percent)
{
	struct gmm_params p;
	struct gmm_stats st;
	int v[] = { 50, 1, 10000, -1, 100 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		memset(&p, 0, sizeof(p));
		p.flags = GMM_PARAMS_SET_GC_PERCENT;
		p.gc_percent = v[i];
		ASSERT_EQ(0, st_ioctl(self->fd, GMM_IOC_PARAMS, &p));
		EXPECT_EQ(v[i], p.gc_percent);
		ASSERT_EQ(0, st_params_get(self->fd, &p));
		EXPECT_EQ(v[i], p.gc_percent);
		ASSERT_EQ(0, st_stats(self->fd, &st));
		EXPECT_EQ(v[i], st.gc_percent);
	}
}

/* Collection turned off and on again (debug.SetGCPercent(-1), then 100). */
TEST_F(heap, params_gc_percent_off_then_on)
{
	struct gmm_params p;

	ASSERT_EQ(0, st_set_gc_percent(self->fd, -1));
	memset(&p, 0, sizeof(p));
	p.flags = GMM_PARAMS_SET_GC_PERCENT;
	p.gc_percent = 100;
	EXPECT_EQ(0, st_ioctl(self->fd, GMM_IOC_PARAMS, &p));
	EXPECT_EQ(100, p.gc_percent);
	ASSERT_EQ(0, st_params_get(self->fd, &p));
	EXPECT_EQ(100, p.gc_percent);
}

TEST_F(heap, params_set_memory_limit)
{
	struct gmm_params p;

	memset(&p, 0, sizeof(p));
	p.flags = GMM_PARAMS_SET_MEMORY_LIMIT;
	p.memory_limit = 64ULL << 20;
	ASSERT_EQ(0, st_ioctl(self->fd, GMM_IOC_PARAMS, &p));
	EXPECT_EQ(64ULL << 20, p.memory_limit);
	EXPECT_EQ(100, p.gc_percent);	/* not asked to change */
	ASSERT_EQ(0, st_params_get(self->fd, &p));
	EXPECT_EQ(64ULL << 20, p.memory_limit);
}

TEST_F(heap, params_memory_limit_zero_is_module_default)
{
	struct gmm_params p, def;

	ASSERT_EQ(0, st_params_get(self->fd, &def));
	memset(&p, 0, sizeof(p));
	p.flags = GMM_PARAMS_SET_MEMORY_LIMIT;
	p.memory_limit = 32ULL << 20;
	ASSERT_EQ(0, st_ioctl(self->fd, GMM_IOC_PARAMS, &p));
	memset(&p, 0, sizeof(p));
	p.flags = GMM_PARAMS_SET_MEMORY_LIMIT;
	ASSERT_EQ(0, st_ioctl(self->fd, GMM_IOC_PARAMS, &p));
	EXPECT_EQ(def.memory_limit, p.memory_limit);
}

TEST_F(heap, params_set_both)
{
	struct gmm_params p;

	memset(&p, 0, sizeof(p));
	p.flags = GMM_PARAMS_SET_GC_PERCENT | GMM_PARAMS_SET_MEMORY_LIMIT;
	p.gc_percent = 200;
	p.memory_limit = 128ULL << 20;
	ASSERT_EQ(0, st_ioctl(self->fd, GMM_IOC_PARAMS, &p));
	EXPECT_EQ(200, p.gc_percent);
	EXPECT_EQ(128ULL << 20, p.memory_limit);
}

/* The limit is hard for the heap's pages: -ENOMEM beyond it. */
TEST_F_TIMEOUT(heap, params_memory_limit_enforced, 120)
{
	struct gmm_params p;
	__u32 h[64];
	unsigned int i, n = 0;
	int ret = 0;

	memset(&p, 0, sizeof(p));
	p.flags = GMM_PARAMS_SET_MEMORY_LIMIT;
	p.memory_limit = 16ULL << 20;
	ASSERT_EQ(0, st_ioctl(self->fd, GMM_IOC_PARAMS, &p));
	for (i = 0; i < ARRAY_SIZE(h); i++) {
		ret = st_alloc_bytes(self->fd, 1 << 20, &h[n]);
		if (ret)
			break;
		n++;
	}
	EXPECT_EQ(-ENOMEM, ret);
	EXPECT_GE(16U, n);
	EXPECT_LE(4U, n) TH_LOG("only %u MiB fit under a 16 MiB limit", n);
	/* Freed memory can be used again. */
	for (i = 0; i < n; i++)
		ASSERT_EQ(0, st_release(self->fd, h[i]));
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	for (i = 0; i < 4; i++)
		EXPECT_EQ(0, st_alloc_bytes(self->fd, 1 << 20, &h[i]));
}

/* TYPE_CREATE */

TEST_F(heap, type_ids_distinct_and_in_range)
{
	static const __u32 offs[] = { 0 };
	__u32 ids[16];
	struct gmm_stats st;
	unsigned int i, j;

	ASSERT_EQ(0, st_stats(self->fd, &st));
	EXPECT_EQ(1U, st.types);
	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		ASSERT_EQ(0, st_type(self->fd, 8 * (i + 1), 0, offs, 1,
				     "t", &ids[i]));
		EXPECT_LE(1U, ids[i]);
		EXPECT_GE(65535U, ids[i]);
		EXPECT_NE(self->node, ids[i]);
		for (j = 0; j < i; j++)
			EXPECT_NE(ids[j], ids[i]);
	}
	ASSERT_EQ(0, st_stats(self->fd, &st));
	EXPECT_EQ(1U + ARRAY_SIZE(ids), st.types);
}

/*
 * An aligned type's slot: the smallest size class that holds it and is a
 * multiple of the alignment (slots of a class sit at multiples of its
 * size from a page boundary).
 */
TEST_F(heap, type_alignments)
{
	__u32 a, id, h, size, want;
	int c;

	for (a = 1; a <= 8192; a <<= 1) {
		ASSERT_EQ(0, st_type(self->fd, 24, a, NULL, 0, "aligned",
				     &id)) TH_LOG("align %u", a);
		ASSERT_EQ(0, st_alloc(self->fd, id, 1, &h));
		ASSERT_EQ(0, st_info(self->fd, h, &size, NULL));
		for (c = 1; c < self->nclasses; c++)
			if (self->sizes[c] >= 24 && !(self->sizes[c] % a))
				break;
		want = self->sizes[c];
		EXPECT_EQ(want, size) TH_LOG("align %u", a);
	}
}

/*
 * Typed objects without pointers smaller than 16 bytes (Go would put them
 * in shared 16-byte tiny blocks): the slot INFO reports is the object's
 * own, so writing all of it leaves every other object alone.
 */
TEST_F(heap, small_pointer_free_typed_objects_do_not_overlap)
{
	__u32 id[15], h[60], size[60];
	unsigned char buf[64];
	unsigned int i;
	long bad;

	for (i = 0; i < 15; i++)
		ASSERT_EQ(0, st_type(self->fd, i + 1, i % 2 ? 1 : 8, NULL, 0,
				     "small", &id[i]));
	for (i = 0; i < ARRAY_SIZE(h); i++) {
		ASSERT_EQ(0, st_alloc(self->fd, id[i % 15], 1, &h[i]));
		ASSERT_EQ(0, st_info(self->fd, h[i], &size[i], NULL));
		ASSERT_GE(sizeof(buf), size[i]);
		EXPECT_LE(i % 15 + 1, size[i]);
		st_fill(buf, size[i], i);
		ASSERT_EQ(0, st_write(self->fd, h[i], 0, size[i], buf));
	}
	for (i = 0; i < ARRAY_SIZE(h); i++) {
		ASSERT_EQ(0, st_read(self->fd, h[i], 0, size[i], buf));
		bad = st_check(buf, size[i], i);
		EXPECT_EQ(-1, bad)
			TH_LOG("object %u (%u bytes, slot %u) overwritten at byte %ld",
			       i, i % 15 + 1, size[i], bad);
	}
}

/*
 * ... and its slot is a size class that holds it, at most 16 bytes (like
 * pointer-free bytes, such objects may get a 16-byte slot of their own),
 * the same for every object of the type.
 */
TEST_F(heap, small_pointer_free_typed_slot)
{
	__u32 id, h, size, first = 0;
	unsigned int i;

	ASSERT_EQ(0, st_type(self->fd, 8, 0, NULL, 0, "word", &id));
	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, st_alloc(self->fd, id, 1, &h));
		ASSERT_EQ(0, st_info(self->fd, h, &size, NULL));
		EXPECT_LE(8U, size);
		EXPECT_GE(16U, size);
		if (!first)
			first = size;
		EXPECT_EQ(first, size);
	}
}

/*
 * A pointer type under 16 bytes: whatever its slot, the pointer words are
 * the type's, repeated for every whole element in the slot.
 */
TEST_F(heap, small_pointer_type_slot_and_words)
{
	static const __u32 off;
	__u32 id, h, t, l, size;
	__u64 w = 5;

	ASSERT_EQ(0, st_type(self->fd, 8, 0, &off, 1, "ptr", &id));
	ASSERT_EQ(0, st_alloc(self->fd, id, 1, &h));
	ASSERT_EQ(0, st_info(self->fd, h, &size, NULL));
	EXPECT_LE(8U, size);
	EXPECT_GE(16U, size);
	ASSERT_EQ(0, new_node(self->fd, self->node, 31, &t));
	ASSERT_EQ(0, st_store(self->fd, h, 0, t));
	if (size == 16) {
		/* A second whole element: a second pointer word. */
		EXPECT_EQ(0, st_store(self->fd, h, 8, t));
		EXPECT_EQ(0, st_write(self->fd, h, 8, 8, &w));
		ASSERT_EQ(0, st_load(self->fd, h, 8, &l));
		EXPECT_EQ(0, check_node(self->fd, l, 31));
	} else {
		EXPECT_EQ(-EINVAL, st_store(self->fd, h, 8, t));
	}
	ASSERT_EQ(0, st_release(self->fd, t));
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	ASSERT_EQ(0, st_load(self->fd, h, 0, &l));
	EXPECT_EQ(0, check_node(self->fd, l, 31));
}

TEST_F(heap, type_shapes)
{
	__u32 offs[512], id, i;
	char name[GMM_UAPI_TYPE_NAME_LEN];

	/* One byte, no pointers. */
	EXPECT_EQ(0, st_type(self->fd, 1, 0, NULL, 0, "", &id));
	/* Every word a pointer. */
	for (i = 0; i < ARRAY_SIZE(offs); i++)
		offs[i] = 8 * (ARRAY_SIZE(offs) - 1 - i);	/* any order */
	EXPECT_EQ(0, st_type(self->fd, 8 * ARRAY_SIZE(offs), 0, offs,
			     ARRAY_SIZE(offs), "allptr", &id));
	/* The largest object. */
	EXPECT_EQ(0, st_type(self->fd, GMM_UAPI_MAX_OBJECT, 0, NULL, 0,
			     "max", &id));
	offs[0] = GMM_UAPI_MAX_OBJECT - 8;
	EXPECT_EQ(0, st_type(self->fd, GMM_UAPI_MAX_OBJECT, 0, offs, 1,
			     "maxptr", &id));
	/* The longest name. */
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = 0;
	EXPECT_EQ(0, st_type(self->fd, 16, 0, NULL, 0, name, &id));
}

/* ALLOC */

TEST_F(heap, alloc_typed)
{
	__u32 h, size, type;

	ASSERT_EQ(0, st_alloc(self->fd, self->node, 1, &h));
	ASSERT_EQ(0, st_info(self->fd, h, &size, &type));
	EXPECT_EQ(self->node, type);
	EXPECT_EQ(st_slot_size(self->sizes, self->nclasses, NODE_SIZE), size);
}

TEST_F(heap, alloc_array)
{
	__u64 n[] = { 2, 3, 10, 100, 1000, 1024, 1025, 20000 };
	__u32 h, size, type;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(n); i++) {
		ASSERT_EQ(0, st_alloc(self->fd, self->node, n[i], &h));
		ASSERT_EQ(0, st_info(self->fd, h, &size, &type));
		EXPECT_EQ(self->node, type);
		EXPECT_EQ(st_slot_size(self->sizes, self->nclasses,
				       n[i] * NODE_SIZE), size)
			TH_LOG("%llu elements", (unsigned long long)n[i]);
	}
}

TEST_F(heap, alloc_noscan_bytes)
{
	__u64 n[] = { 16, 17, 24, 100, 1000, 1024, 4096, 8191, 8192, 8193,
		      20000, 32767, 32768 };
	__u32 h, size, type;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(n); i++) {
		ASSERT_EQ(0, st_alloc_bytes(self->fd, n[i], &h));
		ASSERT_EQ(0, st_info(self->fd, h, &size, &type));
		EXPECT_EQ(0U, type);
		EXPECT_EQ(st_slot_size(self->sizes, self->nclasses, n[i]),
			  size) TH_LOG("%llu bytes", (unsigned long long)n[i]);
	}
}

/* Under 16 bytes an object may be rounded up further, never shared. */
TEST_F(heap, alloc_small_noscan_bytes)
{
	__u32 h, size, type, n;

	for (n = 1; n < 16; n++) {
		ASSERT_EQ(0, st_alloc_bytes(self->fd, n, &h));
		ASSERT_EQ(0, st_info(self->fd, h, &size, &type));
		EXPECT_EQ(0U, type);
		EXPECT_LE(st_slot_size(self->sizes, self->nclasses, n), size);
		EXPECT_GE(16U, size) TH_LOG("%u bytes", n);
	}
}

/*
 * Small pointer-free objects (Go's tiny allocator packs such objects into
 * shared 16-byte blocks): each object's whole slot, as INFO reports it,
 * is its own - writing all of it does not touch its neighbours.
 */
TEST_F(heap, small_objects_do_not_overlap)
{
	__u32 h[60], size[60];
	unsigned char buf[64];
	unsigned int i;
	long bad;

	for (i = 0; i < ARRAY_SIZE(h); i++) {
		ASSERT_EQ(0, st_alloc_bytes(self->fd, 1 + i % 15, &h[i]));
		ASSERT_EQ(0, st_info(self->fd, h[i], &size[i], NULL));
		ASSERT_GE(sizeof(buf), size[i]);
		st_fill(buf, size[i], i);
		ASSERT_EQ(0, st_write(self->fd, h[i], 0, size[i], buf));
	}
	for (i = 0; i < ARRAY_SIZE(h); i++) {
		ASSERT_EQ(0, st_read(self->fd, h[i], 0, size[i], buf));
		bad = st_check(buf, size[i], i);
		EXPECT_EQ(-1, bad)
			TH_LOG("object %u (%u bytes, slot %u) overwritten at byte %ld",
			       i, 1 + i % 15, size[i], bad);
	}
}

TEST_F(heap, alloc_large)
{
	__u64 n[] = { 32769, 40000, 65536, 100000, 1 << 20, 3 << 20,
		      GMM_UAPI_MAX_OBJECT };
	__u32 h, size, type;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(n); i++) {
		ASSERT_EQ(0, st_alloc_bytes(self->fd, n[i], &h));
		ASSERT_EQ(0, st_info(self->fd, h, &size, &type));
		EXPECT_EQ(0U, type);
		EXPECT_EQ((n[i] + 8191) / 8192 * 8192, size)
			TH_LOG("%llu bytes", (unsigned long long)n[i]);
		ASSERT_EQ(0, st_release(self->fd, h));
	}
}

TEST_F(heap, alloc_large_typed_max)
{
	__u32 id, h, size, type, g;
	__u32 off = GMM_UAPI_MAX_OBJECT - 8;

	ASSERT_EQ(0, st_type(self->fd, GMM_UAPI_MAX_OBJECT, 0, &off, 1,
			     "big", &id));
	ASSERT_EQ(0, st_alloc(self->fd, id, 1, &h));
	ASSERT_EQ(0, st_info(self->fd, h, &size, &type));
	EXPECT_EQ(GMM_UAPI_MAX_OBJECT, size);
	EXPECT_EQ(id, type);
	ASSERT_EQ(0, new_node(self->fd, self->node, 77, &g));
	ASSERT_EQ(0, st_store(self->fd, h, off, g));
	ASSERT_EQ(0, st_release(self->fd, g));
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	ASSERT_EQ(0, st_load(self->fd, h, off, &g));
	ASSERT_NE(0U, g);
	EXPECT_EQ(0, check_node(self->fd, g, 77));
}

/* New objects are zero, also when they reuse the memory of dead ones. */
TEST_F_TIMEOUT(heap, alloc_zeroed_after_reuse, 120)
{
	static const __u64 sz[] = { 256, 4096, 40000 };
	unsigned char *buf = malloc(40960), *zero = calloc(1, 40960);
	__u32 h[64], size;
	unsigned int i, round, s;

	ASSERT_NE(NULL, buf);
	ASSERT_NE(NULL, zero);
	for (s = 0; s < ARRAY_SIZE(sz); s++) {
		for (round = 0; round < 3; round++) {
			for (i = 0; i < ARRAY_SIZE(h); i++) {
				ASSERT_EQ(0, st_alloc_bytes(self->fd, sz[s],
							    &h[i]));
				ASSERT_EQ(0, st_info(self->fd, h[i], &size,
						     NULL));
				ASSERT_EQ(0, st_read(self->fd, h[i], 0, size,
						     buf));
				EXPECT_EQ(0, memcmp(buf, zero, size))
					TH_LOG("%llu bytes, round %u: dirty",
					       (unsigned long long)sz[s], round);
				memset(buf, 0xff, size);
				ASSERT_EQ(0, st_write(self->fd, h[i], 0, size,
						      buf));
			}
			for (i = 0; i < ARRAY_SIZE(h); i++)
				ASSERT_EQ(0, st_release(self->fd, h[i]));
			ASSERT_EQ(0, st_gc(self->fd, NULL));
			ASSERT_EQ(0, st_gc(self->fd, NULL));
		}
	}
	free(buf);
	free(zero);
}

TEST_F(heap, alloc_handles_distinct)
{
	__u32 h[256];
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(h); i++) {
		ASSERT_EQ(0, st_alloc_bytes(self->fd, 24, &h[i]));
		for (j = 0; j < i; j++)
			ASSERT_NE(h[j], h[i]);
	}
	EXPECT_EQ(ARRAY_SIZE(h), st_handles_of(self->fd));
}

/* RELEASE, DUP */

TEST_F(heap, release)
{
	__u32 h;

	ASSERT_EQ(0, st_alloc_bytes(self->fd, 64, &h));
	EXPECT_EQ(1ULL, st_handles_of(self->fd));
	ASSERT_EQ(0, st_release(self->fd, h));
	EXPECT_EQ(0ULL, st_handles_of(self->fd));
	EXPECT_EQ(-ENOENT, st_info(self->fd, h, NULL, NULL));
	EXPECT_EQ(-ENOENT, st_release(self->fd, h));
}

/* A released number is not handed out again (numbers go round 2^31). */
TEST_F_TIMEOUT(heap, released_handle_not_reissued, 120)
{
	__u32 h, g;
	unsigned int i;

	ASSERT_EQ(0, st_alloc_bytes(self->fd, 64, &h));
	ASSERT_EQ(0, st_release(self->fd, h));
	for (i = 0; i < 1000; i++) {
		ASSERT_EQ(0, st_alloc_bytes(self->fd, 64, &g));
		ASSERT_NE(h, g);
		ASSERT_EQ(0, st_release(self->fd, g));
	}
	EXPECT_EQ(-ENOENT, st_info(self->fd, h, NULL, NULL));
}

TEST_F(heap, dup_names_same_object)
{
	unsigned char a[64], b[64];
	__u32 h, d, s1, s2, t1, t2;

	ASSERT_EQ(0, st_alloc_bytes(self->fd, 64, &h));
	ASSERT_EQ(0, st_dup(self->fd, h, &d));
	ASSERT_NE(0U, d);
	ASSERT_NE(h, d);
	EXPECT_EQ(2ULL, st_handles_of(self->fd));
	ASSERT_EQ(0, st_info(self->fd, h, &s1, &t1));
	ASSERT_EQ(0, st_info(self->fd, d, &s2, &t2));
	EXPECT_EQ(s1, s2);
	EXPECT_EQ(t1, t2);
	st_fill(a, sizeof(a), 3);
	ASSERT_EQ(0, st_write(self->fd, h, 0, sizeof(a), a));
	ASSERT_EQ(0, st_read(self->fd, d, 0, sizeof(b), b));
	EXPECT_EQ(0, memcmp(a, b, sizeof(a)));
	/* The dup keeps the object alive without the original. */
	ASSERT_EQ(0, st_release(self->fd, h));
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	memset(b, 0, sizeof(b));
	ASSERT_EQ(0, st_read(self->fd, d, 0, sizeof(b), b));
	EXPECT_EQ(0, memcmp(a, b, sizeof(a)));
	EXPECT_EQ(-ENOENT, st_info(self->fd, h, NULL, NULL));
}

TEST_HARNESS_MAIN
