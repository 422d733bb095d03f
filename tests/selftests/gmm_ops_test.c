// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_ops_test.c - what the /dev/gmm commands do when they succeed:
 * GMM_IOC_PARAMS, GMM_IOC_TYPE_CREATE and every GMM_IOC_OP operation
 * (ALLOC of typed objects, arrays, pointer-free bytes and large objects,
 * RELEASE, DUP, STORE, LOAD, READ, WRITE, INFO, GC, NOP), checked by their
 * effects: data written through one handle is read back through another,
 * graphs reachable from a handle survive collections, released ones are
 * freed (statistics), pointer words never show up in READ nor change by
 * WRITE.
 *
 * Needs gmm.ko loaded; skips when /dev/gmm is missing.
 */
#include <limits.h>

#include "kselftest_harness.h"
#include "gmm_util.h"

#define NODE_SIZE	32	/* next, other, value, tag */
#define NODE_NEXT	0
#define NODE_OTHER	8
#define NODE_VALUE	16
#define NODE_TAG	24

FIXTURE(heap) {
	int fd;
	__u32 node;		/* 32 bytes, pointers at 0 and 8 */
	__u32 sizes[ST_CLASSES_ROOM];
	int nclasses;
};

FIXTURE_SETUP(heap)
{
	static const __u32 offs[] = { NODE_NEXT, NODE_OTHER };

	ST_OPEN_OR_SKIP(self->fd);
	ASSERT_EQ(0, st_type(self->fd, NODE_SIZE, 0, offs, 2, "node",
			     &self->node));
	self->nclasses = st_class_sizes(self->fd, self->sizes,
					ST_CLASSES_ROOM);
	ASSERT_EQ(68, self->nclasses);
}

FIXTURE_TEARDOWN(heap)
{
	if (self->fd >= 0)
		close(self->fd);
}

/* A node holding @value (and its complement as a tag). */
static int new_node(int fd, __u32 type, __u64 value, __u32 *h)
{
	__u64 v[2] = { value, ~value };
	int ret = st_alloc(fd, type, 1, h);

	if (ret)
		return ret;
	return st_write(fd, *h, NODE_VALUE, sizeof(v), v);
}

/* 0 if @h is a node holding @value; -EBADMSG if it holds something else. */
static int check_node(int fd, __u32 h, __u64 value)
{
	__u64 v[4];
	int ret = st_read(fd, h, 0, sizeof(v), v);

	if (ret)
		return ret;
	if (v[0] || v[1])	/* pointer words read as 0 */
		return -EBADMSG;
	return v[2] == value && v[3] == ~value ? 0 : -EBADMSG;
}

static __u64 handles_of(int fd)
{
	struct gmm_stats st;

	return st_stats(fd, &st) ? ~0ULL : st.handles;
}

/*
 * Build a list of @n nodes (values base .. base + n - 1) linked by NEXT
 * and keep only its head's handle.
 */
static int build_list(int fd, __u32 type, unsigned int n, __u64 base,
		      __u32 *head)
{
	__u32 prev = 0, h;
	unsigned int i;
	int ret;

	for (i = n; i-- > 0;) {
		ret = new_node(fd, type, base + i, &h);
		if (ret)
			return ret;
		if (prev) {
			ret = st_store(fd, h, NODE_NEXT, prev);
			if (!ret)
				ret = st_release(fd, prev);
			if (ret)
				return ret;
		}
		prev = h;
	}
	*head = prev;
	return 0;
}

/* Walk the list from @head; 0 when it holds exactly n values from base. */
static int walk_list(int fd, __u32 head, unsigned int n, __u64 base)
{
	__u32 h, next;
	unsigned int i;
	int ret;

	ret = st_dup(fd, head, &h);
	for (i = 0; !ret && i < n; i++) {
		ret = check_node(fd, h, base + i);
		if (!ret)
			ret = st_load(fd, h, NODE_NEXT, &next);
		if (!ret)
			ret = st_release(fd, h);
		h = next;
		if (!ret && !h && i != n - 1)
			ret = -EPIPE;	/* list too short */
	}
	if (!ret && h)
		ret = -EOVERFLOW;	/* list too long */
	return ret;
}

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
	EXPECT_EQ(ARRAY_SIZE(h), handles_of(self->fd));
}

/* RELEASE, DUP */

TEST_F(heap, release)
{
	__u32 h;

	ASSERT_EQ(0, st_alloc_bytes(self->fd, 64, &h));
	EXPECT_EQ(1ULL, handles_of(self->fd));
	ASSERT_EQ(0, st_release(self->fd, h));
	EXPECT_EQ(0ULL, handles_of(self->fd));
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
	EXPECT_EQ(2ULL, handles_of(self->fd));
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

/* STORE, LOAD */

TEST_F(heap, store_load)
{
	__u32 a, b, l, s1, s2, t1, t2;
	__u64 v = 0x1122334455667788ULL;

	ASSERT_EQ(0, new_node(self->fd, self->node, 1, &a));
	ASSERT_EQ(0, new_node(self->fd, self->node, 2, &b));
	ASSERT_EQ(0, st_store(self->fd, a, NODE_OTHER, b));
	ASSERT_EQ(0, st_load(self->fd, a, NODE_OTHER, &l));
	ASSERT_NE(0U, l);
	EXPECT_NE(a, l);
	EXPECT_NE(b, l);	/* a new handle */
	EXPECT_EQ(3ULL, handles_of(self->fd));
	ASSERT_EQ(0, st_info(self->fd, l, &s1, &t1));
	ASSERT_EQ(0, st_info(self->fd, b, &s2, &t2));
	EXPECT_EQ(s2, s1);
	EXPECT_EQ(t2, t1);
	EXPECT_EQ(0, check_node(self->fd, l, 2));
	/* Same object: a write through one handle shows through the other. */
	ASSERT_EQ(0, st_write(self->fd, l, NODE_TAG, 8, &v));
	v = 0;
	ASSERT_EQ(0, st_read(self->fd, b, NODE_TAG, 8, &v));
	EXPECT_EQ(0x1122334455667788ULL, v);
	/* The other pointer word of a is still NULL. */
	ASSERT_EQ(0, st_load(self->fd, a, NODE_NEXT, &l));
	EXPECT_EQ(0U, l);
}

TEST_F(heap, load_null_makes_no_handle)
{
	__u32 a, l = 99;

	ASSERT_EQ(0, st_alloc(self->fd, self->node, 1, &a));
	ASSERT_EQ(0, st_load(self->fd, a, NODE_NEXT, &l));
	EXPECT_EQ(0U, l);
	EXPECT_EQ(1ULL, handles_of(self->fd));
}

TEST_F(heap, store_null)
{
	__u32 a, b, l;

	ASSERT_EQ(0, new_node(self->fd, self->node, 1, &a));
	ASSERT_EQ(0, new_node(self->fd, self->node, 2, &b));
	ASSERT_EQ(0, st_store(self->fd, a, NODE_NEXT, b));
	ASSERT_EQ(0, st_store(self->fd, a, NODE_NEXT, 0));
	ASSERT_EQ(0, st_load(self->fd, a, NODE_NEXT, &l));
	EXPECT_EQ(0U, l);
}

TEST_F(heap, store_overwrites)
{
	__u32 a, b, c, l;

	ASSERT_EQ(0, new_node(self->fd, self->node, 1, &a));
	ASSERT_EQ(0, new_node(self->fd, self->node, 2, &b));
	ASSERT_EQ(0, new_node(self->fd, self->node, 3, &c));
	ASSERT_EQ(0, st_store(self->fd, a, NODE_NEXT, b));
	ASSERT_EQ(0, st_store(self->fd, a, NODE_NEXT, c));
	ASSERT_EQ(0, st_load(self->fd, a, NODE_NEXT, &l));
	EXPECT_EQ(0, check_node(self->fd, l, 3));
}

TEST_F(heap, store_self_loop)
{
	__u32 a, l;

	ASSERT_EQ(0, new_node(self->fd, self->node, 5, &a));
	ASSERT_EQ(0, st_store(self->fd, a, NODE_NEXT, a));
	ASSERT_EQ(0, st_release(self->fd, a));
	ASSERT_EQ(-ENOENT, st_info(self->fd, a, NULL, NULL));
	ASSERT_EQ(0, new_node(self->fd, self->node, 6, &a));
	ASSERT_EQ(0, st_store(self->fd, a, NODE_NEXT, a));
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	ASSERT_EQ(0, st_load(self->fd, a, NODE_NEXT, &l));
	EXPECT_EQ(0, check_node(self->fd, l, 6));
	ASSERT_EQ(0, st_load(self->fd, l, NODE_NEXT, &l));
	EXPECT_EQ(0, check_node(self->fd, l, 6));
}

/* A pointer-free object can be stored into a pointer word. */
TEST_F(heap, store_noscan_target)
{
	unsigned char a[100], b[100];
	__u32 n, o, l;

	ASSERT_EQ(0, st_alloc(self->fd, self->node, 1, &n));
	ASSERT_EQ(0, st_alloc_bytes(self->fd, sizeof(a), &o));
	st_fill(a, sizeof(a), 9);
	ASSERT_EQ(0, st_write(self->fd, o, 0, sizeof(a), a));
	ASSERT_EQ(0, st_store(self->fd, n, NODE_OTHER, o));
	ASSERT_EQ(0, st_release(self->fd, o));
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	ASSERT_EQ(0, st_load(self->fd, n, NODE_OTHER, &l));
	ASSERT_EQ(0, st_read(self->fd, l, 0, sizeof(b), b));
	EXPECT_EQ(0, memcmp(a, b, sizeof(a)));
}

/* READ and WRITE around pointer words. */

TEST_F(heap, read_returns_zero_for_pointer_words)
{
	__u32 a, b;
	unsigned char buf[NODE_SIZE];
	unsigned int i;

	ASSERT_EQ(0, new_node(self->fd, self->node, 0x0101010101010101ULL,
			      &a));
	ASSERT_EQ(0, new_node(self->fd, self->node, 2, &b));
	ASSERT_EQ(0, st_store(self->fd, a, NODE_NEXT, b));
	ASSERT_EQ(0, st_store(self->fd, a, NODE_OTHER, a));
	memset(buf, 0xee, sizeof(buf));
	ASSERT_EQ(0, st_read(self->fd, a, 0, sizeof(buf), buf));
	for (i = 0; i < 16; i++)
		EXPECT_EQ(0, buf[i]);
	EXPECT_EQ(0, check_node(self->fd, a, 0x0101010101010101ULL));
	/* Unaligned pieces of a pointer word read as 0 too. */
	memset(buf, 0xee, sizeof(buf));
	ASSERT_EQ(0, st_read(self->fd, a, 3, 7, buf));
	for (i = 0; i < 7; i++)
		EXPECT_EQ(0, buf[i]);
	ASSERT_EQ(0, st_read(self->fd, a, 12, 8, buf));
	for (i = 0; i < 4; i++)
		EXPECT_EQ(0, buf[i]);
	for (i = 4; i < 8; i++)
		EXPECT_EQ(1, buf[i]);
}

TEST_F(heap, write_leaves_pointer_words_unchanged)
{
	unsigned char buf[NODE_SIZE], back[NODE_SIZE];
	__u32 a, b, l;
	unsigned int i;

	ASSERT_EQ(0, new_node(self->fd, self->node, 1, &a));
	ASSERT_EQ(0, new_node(self->fd, self->node, 2, &b));
	ASSERT_EQ(0, st_store(self->fd, a, NODE_NEXT, b));
	/* NULL stays NULL too (OTHER). */
	memset(buf, 0xff, sizeof(buf));
	ASSERT_EQ(0, st_write(self->fd, a, 0, sizeof(buf), buf));
	ASSERT_EQ(0, st_write(self->fd, a, 5, 9, buf));
	ASSERT_EQ(0, st_read(self->fd, a, 0, sizeof(back), back));
	for (i = 0; i < 16; i++)
		EXPECT_EQ(0, back[i]);
	for (i = 16; i < NODE_SIZE; i++)
		EXPECT_EQ(0xff, back[i]);
	ASSERT_EQ(0, st_load(self->fd, a, NODE_NEXT, &l));
	EXPECT_EQ(0, check_node(self->fd, l, 2));
	ASSERT_EQ(0, st_load(self->fd, a, NODE_OTHER, &l));
	EXPECT_EQ(0U, l);
	/* And the collector still follows the pointer. */
	ASSERT_EQ(0, st_release(self->fd, b));
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	ASSERT_EQ(0, st_load(self->fd, a, NODE_NEXT, &l));
	EXPECT_EQ(0, check_node(self->fd, l, 2));
}

TEST_F(heap, write_read_unaligned)
{
	unsigned char buf[200], back[200];
	__u32 h, size;
	unsigned int off, len;

	ASSERT_EQ(0, st_alloc_bytes(self->fd, 200, &h));
	ASSERT_EQ(0, st_info(self->fd, h, &size, NULL));
	ASSERT_LE(200U, size);
	for (off = 0; off < 20; off += 3) {
		for (len = 1; len < 40; len += 7) {
			st_fill(buf, len, off * 100 + len);
			ASSERT_EQ(0, st_write(self->fd, h, off, len, buf));
			memset(back, 0, sizeof(back));
			ASSERT_EQ(0, st_read(self->fd, h, off, len, back));
			EXPECT_EQ(-1, st_check(back, len, off * 100 + len));
		}
	}
	/* The last byte of the slot. */
	buf[0] = 0x42;
	ASSERT_EQ(0, st_write(self->fd, h, size - 1, 1, buf));
	back[0] = 0;
	ASSERT_EQ(0, st_read(self->fd, h, size - 1, 1, back));
	EXPECT_EQ(0x42, back[0]);
}

/* The whole slot of a pointer-free object is the caller's. */
TEST_F(heap, write_whole_slot)
{
	unsigned char buf[4096], back[4096];
	__u32 h, size;

	ASSERT_EQ(0, st_alloc_bytes(self->fd, 3000, &h));
	ASSERT_EQ(0, st_info(self->fd, h, &size, NULL));
	ASSERT_EQ(3072U, size);
	st_fill(buf, size, 11);
	ASSERT_EQ(0, st_write(self->fd, h, 0, size, buf));
	ASSERT_EQ(0, st_read(self->fd, h, 0, size, back));
	EXPECT_EQ(-1, st_check(back, size, 11));
}

/*
 * A WRITE of more than one 16 KiB chunk, at an odd offset, into a typed
 * array: the data lands in every chunk, pointer words are skipped (and
 * read as 0), a pointer stored in the middle stays.
 */
TEST_F(heap, write_across_chunks_into_typed_array)
{
	size_t n = 2048, size = n * NODE_SIZE, off = 5, len = 50000, i;
	unsigned char *buf = malloc(len), *back = malloc(size);
	__u32 a, t, l, slot;

	ASSERT_NE(NULL, buf);
	ASSERT_NE(NULL, back);
	ASSERT_EQ(0, st_alloc(self->fd, self->node, n, &a));
	ASSERT_EQ(0, st_info(self->fd, a, &slot, NULL));
	ASSERT_EQ(size, slot);
	ASSERT_EQ(0, new_node(self->fd, self->node, 77, &t));
	ASSERT_EQ(0, st_store(self->fd, a, 1000 * NODE_SIZE + NODE_NEXT, t));
	st_fill(buf, len, 31);
	ASSERT_EQ(0, st_write(self->fd, a, off, len, buf));
	ASSERT_EQ(0, st_read(self->fd, a, 0, size, back));
	for (i = 0; i < size; i++) {
		unsigned char want = 0;

		if (i >= off && i < off + len && i % NODE_SIZE >= NODE_VALUE)
			want = st_pat(31, i - off);
		if (back[i] != want)
			break;
	}
	EXPECT_EQ(size, i) TH_LOG("byte %zu differs", i);
	ASSERT_EQ(0, st_load(self->fd, a, 1000 * NODE_SIZE + NODE_NEXT, &l));
	ASSERT_NE(0U, l);
	EXPECT_EQ(0, check_node(self->fd, l, 77));
	ASSERT_EQ(0, st_load(self->fd, a, 999 * NODE_SIZE + NODE_NEXT, &l));
	EXPECT_EQ(0U, l);
	free(back);
	free(buf);
}

TEST_F_TIMEOUT(heap, large_object_data_survives_gc, 120)
{
	size_t len = 3 << 20;
	unsigned char *buf = malloc(len);
	__u32 h, size;
	long bad;
	int i;

	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, st_alloc_bytes(self->fd, len, &h));
	ASSERT_EQ(0, st_info(self->fd, h, &size, NULL));
	ASSERT_EQ(len, size);
	st_fill(buf, len, 21);
	ASSERT_EQ(0, st_write(self->fd, h, 0, len, buf));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, st_gc(self->fd, NULL));
		memset(buf, 0, len);
		ASSERT_EQ(0, st_read(self->fd, h, 0, len, buf));
		bad = st_check(buf, len, 21);
		EXPECT_EQ(-1, bad);
	}
	free(buf);
}

/* Pointer words of arrays: the type's, repeated per element. */
TEST_F(heap, array_pointer_words)
{
	static const __u32 off = 8;
	__u32 id, h, t, l, size;
	__u64 w;
	unsigned int i;

	/* 16-byte elements, pointer in the second word; 4 elements: 64 B. */
	ASSERT_EQ(0, st_type(self->fd, 16, 0, &off, 1, "pair", &id));
	ASSERT_EQ(0, st_alloc(self->fd, id, 4, &h));
	ASSERT_EQ(0, st_info(self->fd, h, &size, NULL));
	ASSERT_EQ(64U, size);
	ASSERT_EQ(0, new_node(self->fd, self->node, 9, &t));
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(0, st_store(self->fd, h, 16 * i + 8, t));
		EXPECT_EQ(-EINVAL, st_store(self->fd, h, 16 * i, t));
		w = 1000 + i;
		EXPECT_EQ(0, st_write(self->fd, h, 16 * i, 8, &w));
	}
	ASSERT_EQ(0, st_release(self->fd, t));
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, st_load(self->fd, h, 16 * i + 8, &l));
		EXPECT_EQ(0, check_node(self->fd, l, 9));
		ASSERT_EQ(0, st_read(self->fd, h, 16 * i, 8, &w));
		EXPECT_EQ(1000 + i, w);
		ASSERT_EQ(0, st_read(self->fd, h, 16 * i + 8, 8, &w));
		EXPECT_EQ(0ULL, w);
	}
}

/*
 * Every whole element that fits in the slot has the type's pointer
 * words: 5 pointer-sized elements get a 48-byte slot, 6 whole elements.
 */
TEST_F(heap, array_slot_tail_repeats_pointer_words)
{
	static const __u32 off;
	__u32 id, h, t, l, size;

	ASSERT_EQ(0, st_type(self->fd, 8, 0, &off, 1, "ptr", &id));
	ASSERT_EQ(0, st_alloc(self->fd, id, 5, &h));
	ASSERT_EQ(0, st_info(self->fd, h, &size, NULL));
	ASSERT_EQ(48U, size);
	ASSERT_EQ(0, new_node(self->fd, self->node, 4, &t));
	ASSERT_EQ(0, st_store(self->fd, h, 40, t));
	ASSERT_EQ(0, st_release(self->fd, t));
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	ASSERT_EQ(0, st_load(self->fd, h, 40, &l));
	EXPECT_EQ(0, check_node(self->fd, l, 4));
}

/* A slot's tail shorter than an element holds no pointer words. */
TEST_F(heap, slot_tail_shorter_than_element_is_data)
{
	static const __u32 off;
	__u32 id, h, t, size;
	__u64 w = 0xabcdef, back = 0;

	ASSERT_EQ(0, st_type(self->fd, 40, 0, &off, 1, "forty", &id));
	ASSERT_EQ(0, st_alloc(self->fd, id, 1, &h));
	ASSERT_EQ(0, st_info(self->fd, h, &size, NULL));
	ASSERT_EQ(48U, size);
	ASSERT_EQ(0, st_alloc(self->fd, self->node, 1, &t));
	EXPECT_EQ(-EINVAL, st_store(self->fd, h, 40, t));
	ASSERT_EQ(0, st_write(self->fd, h, 40, 8, &w));
	ASSERT_EQ(0, st_read(self->fd, h, 40, 8, &back));
	EXPECT_EQ(w, back);
}

TEST_F(heap, large_typed_array_pointers)
{
	static const __u32 off;
	__u32 id, h, t, l, size, i;

	/* 1000 * 64 = 64000 bytes: a large object of 8 pages. */
	ASSERT_EQ(0, st_type(self->fd, 64, 0, &off, 1, "row", &id));
	ASSERT_EQ(0, st_alloc(self->fd, id, 1000, &h));
	ASSERT_EQ(0, st_info(self->fd, h, &size, NULL));
	ASSERT_EQ(65536U, size);
	for (i = 0; i < 1024; i += 73) {
		ASSERT_EQ(0, new_node(self->fd, self->node, i, &t));
		ASSERT_EQ(0, st_store(self->fd, h, 64 * i, t)) TH_LOG("i %u", i);
		ASSERT_EQ(0, st_release(self->fd, t));
	}
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	for (i = 0; i < 1024; i += 73) {
		ASSERT_EQ(0, st_load(self->fd, h, 64 * i, &l));
		EXPECT_EQ(0, check_node(self->fd, l, i));
		ASSERT_EQ(0, st_release(self->fd, l));
	}
}

/* Reachability */

TEST_F_TIMEOUT(heap, graph_reachable_from_handle_survives_gc, 120)
{
	__u32 head;
	int i;

	ASSERT_EQ(0, build_list(self->fd, self->node, 300, 1000, &head));
	EXPECT_EQ(1ULL, handles_of(self->fd));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, st_gc(self->fd, NULL));
		ASSERT_EQ(0, walk_list(self->fd, head, 300, 1000));
	}
	EXPECT_EQ(1ULL, handles_of(self->fd));
}

TEST_F(heap, object_kept_alive_by_another_object)
{
	__u32 a, b, l;

	ASSERT_EQ(0, new_node(self->fd, self->node, 1, &a));
	ASSERT_EQ(0, new_node(self->fd, self->node, 2, &b));
	ASSERT_EQ(0, st_store(self->fd, a, NODE_OTHER, b));
	ASSERT_EQ(0, st_release(self->fd, b));
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	/* Fill the freed space, if any, with other objects. */
	ASSERT_EQ(0, build_list(self->fd, self->node, 100, 500, &b));
	ASSERT_EQ(0, st_load(self->fd, a, NODE_OTHER, &l));
	EXPECT_EQ(0, check_node(self->fd, l, 2));
}

TEST_F_TIMEOUT(heap, released_graph_is_collected, 120)
{
	struct gmm_stats before, built, after;
	__u32 head;

	ASSERT_EQ(0, st_gc(self->fd, NULL));
	ASSERT_EQ(0, st_stats(self->fd, &before));
	ASSERT_EQ(0, build_list(self->fd, self->node, 500, 0, &head));
	ASSERT_EQ(0, st_stats(self->fd, &built));
	EXPECT_LE(before.mallocs + 500, built.mallocs);
	EXPECT_LE(before.heap_objects + 500, built.heap_objects);
	EXPECT_LE(before.total_alloc + 500 * NODE_SIZE, built.total_alloc);
	ASSERT_EQ(0, st_release(self->fd, head));
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	ASSERT_EQ(0, st_stats(self->fd, &after));
	EXPECT_LE(built.frees + 500, after.frees);
	EXPECT_GE(built.heap_objects - 500, after.heap_objects);
	EXPECT_GE(built.heap_alloc - 500 * NODE_SIZE, after.heap_alloc);
	EXPECT_EQ(0ULL, after.handles);
}

TEST_F(heap, released_cycle_is_collected)
{
	struct gmm_stats built, after;
	__u32 a, b;

	ASSERT_EQ(0, new_node(self->fd, self->node, 1, &a));
	ASSERT_EQ(0, new_node(self->fd, self->node, 2, &b));
	ASSERT_EQ(0, st_store(self->fd, a, NODE_NEXT, b));
	ASSERT_EQ(0, st_store(self->fd, b, NODE_NEXT, a));
	ASSERT_EQ(0, st_stats(self->fd, &built));
	ASSERT_EQ(0, st_release(self->fd, a));
	ASSERT_EQ(0, st_release(self->fd, b));
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	ASSERT_EQ(0, st_stats(self->fd, &after));
	EXPECT_LE(built.frees + 2, after.frees);
	EXPECT_GE(built.heap_objects - 2, after.heap_objects);
}

TEST_F(heap, released_large_object_is_collected)
{
	struct gmm_stats built, after;
	__u32 h;

	ASSERT_EQ(0, st_alloc_bytes(self->fd, 1 << 20, &h));
	ASSERT_EQ(0, st_stats(self->fd, &built));
	EXPECT_LE(1ULL << 20, built.heap_alloc);
	ASSERT_EQ(0, st_release(self->fd, h));
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	ASSERT_EQ(0, st_stats(self->fd, &after));
	EXPECT_LE(built.frees + 1, after.frees);
	EXPECT_GE(built.heap_alloc - (1 << 20), after.heap_alloc);
}

/* INFO, GC, NOP */

TEST_F(heap, gc_counts_cycles)
{
	struct gmm_stats st0, st;
	__u64 c1 = 0, c2 = 0;

	ASSERT_EQ(0, st_stats(self->fd, &st0));
	ASSERT_EQ(0, st_gc(self->fd, &c1));
	EXPECT_LE(st0.num_gc + 1, c1);
	ASSERT_EQ(0, st_gc(self->fd, &c2));
	EXPECT_LE(c1 + 1, c2);
	ASSERT_EQ(0, st_stats(self->fd, &st));
	EXPECT_LE(c2, st.num_gc);
	EXPECT_LE(st0.num_forced_gc + 2, st.num_forced_gc);
	EXPECT_GE(st.num_gc, st.num_forced_gc);
	EXPECT_LT(0ULL, st.pause_total_ns);
	EXPECT_LE(st.pause_max_ns, st.pause_total_ns);
	EXPECT_LE(st.last_pause_ns, st.pause_max_ns);
}

TEST_F(heap, gc_with_collection_off)
{
	__u64 c = 0;
	__u32 head;

	ASSERT_EQ(0, st_set_gc_percent(self->fd, -1));
	ASSERT_EQ(0, build_list(self->fd, self->node, 50, 7, &head));
	/* GOGC=off stops automatic cycles, not runtime.GC(). */
	ASSERT_EQ(0, st_gc(self->fd, &c));
	EXPECT_LE(1ULL, c);
	EXPECT_EQ(0, walk_list(self->fd, head, 50, 7));
}

TEST_F(heap, nop)
{
	struct gmm_op op;

	memset(&op, 0, sizeof(op));
	op.op = GMM_OP_NOP;
	EXPECT_EQ(0, st_op_run(self->fd, &op));
	EXPECT_EQ(0ULL, op.result);
}

/* Allocation drives automatic collections at a small GOGC. */
TEST_F_TIMEOUT(heap, automatic_gc_at_small_gogc, 120)
{
	struct gmm_stats st;
	__u32 keep, h;
	unsigned int i;

	ASSERT_EQ(0, st_set_gc_percent(self->fd, 10));
	ASSERT_EQ(0, build_list(self->fd, self->node, 100, 3, &keep));
	for (i = 0; i < 200; i++) {
		ASSERT_EQ(0, st_alloc_bytes(self->fd, 256 << 10, &h));
		ASSERT_EQ(0, st_release(self->fd, h));
	}
	ASSERT_EQ(0, st_stats(self->fd, &st));
	EXPECT_LT(0ULL, st.num_gc);
	EXPECT_GT(st.num_gc, st.num_forced_gc);
	/* 50 MiB went through a heap that never held much of it. */
	EXPECT_GT(32ULL << 20, st.heap_sys);
	EXPECT_EQ(0, walk_list(self->fd, keep, 100, 3));
}

TEST_HARNESS_MAIN
