// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_ops_ptr_test.c - the pointers of /dev/gmm heaps when the commands
 * succeed: STORE and LOAD, pointer words that never show up in READ nor
 * change by WRITE (of objects and arrays, small and large), graphs
 * reachable from a handle that survive collections and released ones that
 * are freed (statistics), and GC, INFO and NOP.
 *
 * Needs gmm.ko loaded; skips when /dev/gmm is missing.
 */
#include <limits.h>

#include "kselftest_harness.h"
#include "gmm_util.h"
#include "ops_fixture.h"

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
	EXPECT_EQ(3ULL, st_handles_of(self->fd));
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
	EXPECT_EQ(1ULL, st_handles_of(self->fd));
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
	EXPECT_EQ(1ULL, st_handles_of(self->fd));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, st_gc(self->fd, NULL));
		ASSERT_EQ(0, walk_list(self->fd, head, 300, 1000));
	}
	EXPECT_EQ(1ULL, st_handles_of(self->fd));
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
