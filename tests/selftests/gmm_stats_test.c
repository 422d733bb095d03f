// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_stats_test.c - what a file learns about its heap: GMM_IOC_STATS
 * (MemStats figures, the size-class table) and GMM_IOC_CYCLES (the cycle
 * log); their element-size rules and bad array pointers.  gmm_spans_test
 * has GMM_IOC_SPANS.
 *
 * Needs gmm.ko loaded; skips when /dev/gmm is missing.
 */
#include <limits.h>
#include <stddef.h>

#include "kselftest_harness.h"
#include "gmm_util.h"
#include "snap_fixture.h"

/* STATS */

TEST_F(snap, stats_fresh_heap)
{
	struct gmm_stats st;
	struct gmm_params p;

	ASSERT_EQ(0, st_stats(self->fd, &st));
	EXPECT_EQ(0ULL, st.heap_alloc);
	EXPECT_EQ(0ULL, st.heap_objects);
	EXPECT_EQ(0ULL, st.mallocs);
	EXPECT_EQ(0ULL, st.frees);
	EXPECT_EQ(0ULL, st.total_alloc);
	EXPECT_EQ(0ULL, st.num_gc);
	EXPECT_EQ(0ULL, st.num_forced_gc);
	EXPECT_EQ(0ULL, st.handles);
	EXPECT_LE(1U, st.types);
	EXPECT_EQ(GMM_GC_PHASE_OFF, st.phase);
	EXPECT_EQ(0U, st.nr_classes);
	ASSERT_EQ(0, st_params_get(self->fd, &p));
	EXPECT_EQ(p.gc_percent, st.gc_percent);
	EXPECT_LT(0ULL, st.uptime_ns);
	EXPECT_LT(0ULL, st.next_gc);
}

/* A fresh heap counts exactly what this file allocated. */
TEST_F(snap, stats_count_allocations_exactly)
{
	struct gmm_stats st;
	__u32 h[10];
	unsigned int i;

	for (i = 0; i < 10; i++)
		ASSERT_EQ(0, st_alloc_bytes(self->fd, 1000, &h[i]));
	ASSERT_EQ(0, st_alloc(self->fd, self->node, 1, &h[0]));
	ASSERT_EQ(0, st_stats(self->fd, &st));
	EXPECT_EQ(11ULL, st.mallocs);
	EXPECT_EQ(11ULL, st.heap_objects);
	EXPECT_EQ(10 * 1024ULL + 32, st.heap_alloc);
	EXPECT_EQ(10 * 1024ULL + 32, st.total_alloc);
	EXPECT_EQ(0ULL, st.frees);
	EXPECT_EQ(11ULL, st.handles);
	EXPECT_LE(st.heap_alloc, st.heap_inuse);
	EXPECT_LE(st.heap_live, st.heap_inuse);
}

TEST_F(snap, stats_large_objects_count_whole_pages)
{
	struct gmm_stats st;
	__u32 h;

	ASSERT_EQ(0, st_alloc_bytes(self->fd, 40000, &h));
	ASSERT_EQ(0, st_stats(self->fd, &st));
	EXPECT_EQ(1ULL, st.mallocs);
	EXPECT_EQ(40960ULL, st.heap_alloc);
	EXPECT_LE(40960ULL, st.heap_inuse);
}

TEST_F(snap, stats_frees_after_release_and_gc)
{
	struct gmm_stats st;
	__u32 h[10];
	unsigned int i;

	for (i = 0; i < 10; i++)
		ASSERT_EQ(0, st_alloc_bytes(self->fd, 1000, &h[i]));
	for (i = 0; i < 10; i += 2)
		ASSERT_EQ(0, st_release(self->fd, h[i]));
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	ASSERT_EQ(0, st_stats(self->fd, &st));
	EXPECT_EQ(10ULL, st.mallocs);
	EXPECT_EQ(5ULL, st.frees);
	EXPECT_EQ(5ULL, st.heap_objects);
	EXPECT_EQ(5 * 1024ULL, st.heap_alloc);
	EXPECT_EQ(10 * 1024ULL, st.total_alloc);
	EXPECT_EQ(5ULL, st.handles);
	EXPECT_EQ(1ULL, st.num_gc);
	EXPECT_EQ(1ULL, st.num_forced_gc);
	EXPECT_EQ(5 * 1024ULL, st.heap_marked);
}

TEST_F(snap, stats_heap_sys_is_idle_plus_inuse)
{
	struct gmm_stats st;
	__u32 h[200];

	ASSERT_EQ(0, populate(self->fd, self->node, h, 200));
	ASSERT_EQ(0, st_stats(self->fd, &st));
	EXPECT_EQ(st.heap_sys, st.heap_idle + st.heap_inuse);
	EXPECT_EQ(0ULL, st.heap_inuse % ST_RT_PAGE);
	EXPECT_EQ(0ULL, st.heap_sys % ST_RT_PAGE);
	EXPECT_LE(st.heap_alloc, st.heap_inuse);
	EXPECT_LT(0ULL, st.heap_sys);
}

TEST_F(snap, stats_handles_and_types)
{
	struct gmm_stats st0, st;
	__u32 h, d, id;

	ASSERT_EQ(0, st_stats(self->fd, &st0));
	ASSERT_EQ(0, st_type(self->fd, 8, 0, NULL, 0, "x", &id));
	ASSERT_EQ(0, st_alloc_bytes(self->fd, 8, &h));
	ASSERT_EQ(0, st_dup(self->fd, h, &d));
	ASSERT_EQ(0, st_stats(self->fd, &st));
	EXPECT_EQ(st0.types + 1, st.types);
	EXPECT_EQ(2ULL, st.handles);
	ASSERT_EQ(0, st_release(self->fd, h));
	ASSERT_EQ(0, st_stats(self->fd, &st));
	EXPECT_EQ(1ULL, st.handles);
}

TEST_F(snap, stats_gc_figures)
{
	struct gmm_stats st, st2;
	__u32 h[100];

	ASSERT_EQ(0, populate(self->fd, self->node, h, 100));
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	ASSERT_EQ(0, st_stats(self->fd, &st));
	EXPECT_EQ(1ULL, st.num_gc);
	EXPECT_LT(0ULL, st.pause_total_ns);
	EXPECT_LE(st.pause_max_ns, st.pause_total_ns);
	EXPECT_LT(0ULL, st.last_pause_ns);
	EXPECT_LT(0ULL, st.gc_cpu_ns);
	EXPECT_LT(0ULL, st.heap_marked);
	EXPECT_LE(st.heap_marked, st.heap_alloc);
	EXPECT_LE(st.trigger, st.next_gc);
	EXPECT_LT(0ULL, st.next_gc);
	usleep(1000);
	ASSERT_EQ(0, st_stats(self->fd, &st2));
	EXPECT_LT(st.uptime_ns, st2.uptime_ns);
}

TEST_F(snap, stats_output_fields_ignored_on_input)
{
	struct gmm_stats st;

	memset(&st, 0xff, sizeof(st));
	st.flags = 0;
	st.nr_classes = 0;
	st.classes = 0;
	st.class_size = 0;
	st.reserved = 0;
	st.pad = 0;
	ASSERT_EQ(0, st_ioctl(self->fd, GMM_IOC_STATS, &st));
	EXPECT_EQ(0ULL, st.handles);
	EXPECT_EQ(0ULL, st.mallocs);
	EXPECT_EQ(GMM_GC_PHASE_OFF, st.phase);
}

TEST_F(snap, stats_reserved)
{
	struct gmm_stats st;

	memset(&st, 0, sizeof(st));
	st.reserved = 1;
	EXPECT_EQ(-EINVAL, st_ioctl(self->fd, GMM_IOC_STATS, &st));
}

TEST_F(snap, stats_pad)
{
	struct gmm_stats st;

	memset(&st, 0, sizeof(st));
	st.pad = 1;
	EXPECT_EQ(-EINVAL, st_ioctl(self->fd, GMM_IOC_STATS, &st));
}

/* The class table */

static int stats_classes(int fd, void *classes, __u32 room, __u32 size,
			 struct gmm_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->nr_classes = room;
	st->classes = st_ptr(classes);
	st->class_size = size;
	return st_ioctl(fd, GMM_IOC_STATS, st);
}

TEST_F(snap, class_table_is_gos)
{
	struct gmm_class_info ci[NCLASSES];
	struct gmm_stats st;
	unsigned int i;

	memset(ci, SENTINEL, sizeof(ci));
	ASSERT_EQ(0, stats_classes(self->fd, ci, NCLASSES, sizeof(ci[0]), &st));
	ASSERT_EQ((__u32)NCLASSES, st.nr_classes);
	for (i = 0; i < NCLASSES; i++) {
		EXPECT_EQ(go_classes[i], ci[i].size) TH_LOG("class %u", i);
		EXPECT_EQ(0U, ci[i].reserved);
		EXPECT_EQ(0ULL, ci[i].mallocs);
		EXPECT_EQ(0ULL, ci[i].frees);
		EXPECT_EQ(0ULL, ci[i].spans);
	}
}

TEST_F(snap, class_counts)
{
	struct gmm_class_info ci[NCLASSES];
	struct gmm_stats st;
	int c1024 = class_of(1024), c32 = class_of(32);
	__u64 sum_m = 0;
	__u32 h[10], big, node;
	unsigned int i;

	for (i = 0; i < 10; i++)
		ASSERT_EQ(0, st_alloc_bytes(self->fd, 1000, &h[i]));
	ASSERT_EQ(0, st_alloc_bytes(self->fd, 40000, &big));
	ASSERT_EQ(0, st_alloc(self->fd, self->node, 1, &node));
	ASSERT_EQ(0, stats_classes(self->fd, ci, NCLASSES, sizeof(ci[0]), &st));
	EXPECT_EQ(10ULL, ci[c1024].mallocs);
	EXPECT_EQ(0ULL, ci[c1024].frees);
	EXPECT_LE(1ULL, ci[c1024].spans);
	EXPECT_EQ(1ULL, ci[c32].mallocs);
	EXPECT_EQ(1ULL, ci[0].mallocs);
	EXPECT_EQ(1ULL, ci[0].spans);
	for (i = 0; i < NCLASSES; i++)
		sum_m += ci[i].mallocs;
	EXPECT_EQ(st.mallocs, sum_m);

	for (i = 0; i < 10; i++)
		ASSERT_EQ(0, st_release(self->fd, h[i]));
	ASSERT_EQ(0, st_release(self->fd, big));
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	ASSERT_EQ(0, stats_classes(self->fd, ci, NCLASSES, sizeof(ci[0]), &st));
	EXPECT_EQ(10ULL, ci[c1024].mallocs);
	EXPECT_EQ(10ULL, ci[c1024].frees);
	EXPECT_EQ(1ULL, ci[0].frees);
	EXPECT_EQ(0ULL, ci[0].spans);
	EXPECT_EQ(0ULL, ci[c32].frees);
}

TEST_F(snap, class_room_smaller)
{
	struct gmm_class_info ci[8];
	struct gmm_stats st;
	unsigned int i;

	memset(ci, SENTINEL, sizeof(ci));
	ASSERT_EQ(0, stats_classes(self->fd, ci, 5, sizeof(ci[0]), &st));
	EXPECT_EQ(5U, st.nr_classes);
	EXPECT_EQ(8U, ci[1].size);
	EXPECT_EQ(32U, ci[4].size);
	for (i = 5 * sizeof(ci[0]); i < sizeof(ci); i++)
		ASSERT_EQ(SENTINEL, ((unsigned char *)ci)[i]);
}

TEST_F(snap, class_room_larger)
{
	struct gmm_class_info ci[100];
	struct gmm_stats st;
	unsigned int i;

	memset(ci, SENTINEL, sizeof(ci));
	ASSERT_EQ(0, stats_classes(self->fd, ci, 100, sizeof(ci[0]), &st));
	EXPECT_EQ((__u32)NCLASSES, st.nr_classes);
	for (i = NCLASSES * sizeof(ci[0]); i < sizeof(ci); i++)
		ASSERT_EQ(SENTINEL, ((unsigned char *)ci)[i]);
}

TEST_F(snap, class_room_zero_ignores_pointer)
{
	struct gmm_stats st;

	EXPECT_EQ(0, stats_classes(self->fd, st_unmapped_addr(), 0,
				   sizeof(struct gmm_class_info), &st));
	EXPECT_EQ(0U, st.nr_classes);
}

/* Longer elements (a newer ABI's): written at their stride. */
TEST_F(snap, class_size_longer_stride)
{
	struct cnext {
		struct gmm_class_info ci;
		__u64 future;
	} cn[NCLASSES];
	struct gmm_stats st;
	unsigned int i;

	memset(cn, SENTINEL, sizeof(cn));
	ASSERT_EQ(0, stats_classes(self->fd, cn, NCLASSES, sizeof(cn[0]), &st));
	ASSERT_EQ((__u32)NCLASSES, st.nr_classes);
	for (i = 0; i < NCLASSES; i++)
		EXPECT_EQ(go_classes[i], cn[i].ci.size);
}

/*
 * ... and, as for every struct of the ABI, "only min(caller size, kernel
 * size) bytes are copied back": the element's tail is left alone.
 */
TEST_F(snap, class_size_longer_tail_untouched)
{
	struct cnext {
		struct gmm_class_info ci;
		__u64 future;
	} cn[4];
	struct gmm_stats st;
	unsigned int i;

	memset(cn, SENTINEL, sizeof(cn));
	ASSERT_EQ(0, stats_classes(self->fd, cn, 4, sizeof(cn[0]), &st));
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(0xababababababababULL, cn[i].future)
			TH_LOG("class %u: tail %#llx", i,
			       (unsigned long long)cn[i].future);
	}
}

TEST_F(snap, class_size_short)
{
	struct gmm_class_info ci[NCLASSES];
	struct gmm_stats st;

	EXPECT_EQ(-EINVAL, stats_classes(self->fd, ci, NCLASSES,
					 sizeof(ci[0]) - 8, &st));
}

TEST_F(snap, class_size_zero)
{
	struct gmm_class_info ci[NCLASSES];
	struct gmm_stats st;

	EXPECT_EQ(-EINVAL, stats_classes(self->fd, ci, NCLASSES, 0, &st));
}

TEST_F(snap, classes_null)
{
	struct gmm_stats st;

	EXPECT_EQ(-EFAULT, stats_classes(self->fd, NULL, NCLASSES,
					 sizeof(struct gmm_class_info), &st));
}

TEST_F(snap, classes_unmapped)
{
	struct gmm_stats st;
	void *p = st_unmapped_addr();

	ASSERT_NE(NULL, p);
	EXPECT_EQ(-EFAULT, stats_classes(self->fd, p, NCLASSES,
					 sizeof(struct gmm_class_info), &st));
}

TEST_F(snap, classes_prot_none)
{
	struct gmm_stats st;
	void *p = st_prot_none_addr();

	ASSERT_NE(NULL, p);
	EXPECT_EQ(-EFAULT, stats_classes(self->fd, p, NCLASSES,
					 sizeof(struct gmm_class_info), &st));
}

TEST_F(snap, classes_read_only)
{
	long pg = sysconf(_SC_PAGESIZE);
	struct gmm_stats st;
	void *p = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(-EFAULT, stats_classes(self->fd, p, NCLASSES,
					 sizeof(struct gmm_class_info), &st));
}

TEST_F(snap, classes_straddle_unmapped_page)
{
	size_t len = NCLASSES * sizeof(struct gmm_class_info);
	void *p = st_straddle_addr(len, sizeof(struct gmm_class_info));
	struct gmm_stats st;

	ASSERT_NE(NULL, p);
	EXPECT_EQ(-EFAULT, stats_classes(self->fd, p, NCLASSES,
					 sizeof(struct gmm_class_info), &st));
}

/* CYCLES */

static int cycles(int fd, void *c, __u32 room, __u32 size,
		  struct gmm_cycles *cy)
{
	memset(cy, 0, sizeof(*cy));
	cy->count = room;
	cy->cycles = st_ptr(c);
	cy->cycle_size = size;
	return st_ioctl(fd, GMM_IOC_CYCLES, cy);
}

#define CSZ	sizeof(struct gmm_cycle_info)

TEST_F(snap, cycles_fresh_heap)
{
	struct gmm_cycle_info ci[4];
	struct gmm_cycles cy;

	ASSERT_EQ(0, cycles(self->fd, ci, 4, CSZ, &cy));
	EXPECT_EQ(0U, cy.count);
	EXPECT_EQ(0ULL, cy.num_gc);
}

TEST_F(snap, cycles_after_forced_gcs)
{
	struct gmm_cycle_info ci[8];
	struct gmm_cycles cy;
	__u32 h[50];
	__u64 n;
	unsigned int i;

	ASSERT_EQ(0, populate(self->fd, self->node, h, 50));
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, st_gc(self->fd, &n));
	ASSERT_EQ(3ULL, n);
	memset(ci, SENTINEL, sizeof(ci));
	ASSERT_EQ(0, cycles(self->fd, ci, 8, CSZ, &cy));
	ASSERT_EQ(3U, cy.count);
	EXPECT_EQ(3ULL, cy.num_gc);
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(i + 1ULL, ci[i].num);
		EXPECT_EQ(GMM_CYCLE_FORCED, ci[i].flags);
		EXPECT_EQ(0U, ci[i].reserved);
		EXPECT_LT(0ULL, ci[i].goal);
		EXPECT_LT(0ULL, ci[i].heap2);
		EXPECT_LT(0ULL, ci[i].stw1_ns + ci[i].stw2_ns);
		if (i)
			EXPECT_LT(ci[i - 1].start_ns, ci[i].start_ns);
	}
	EXPECT_EQ(0xababababababababULL, ci[3].num);
}

TEST_F_TIMEOUT(snap, cycles_keeps_last_32, 120)
{
	struct gmm_cycle_info ci[40];
	struct gmm_cycles cy;
	struct gmm_stats st;
	__u32 h;
	unsigned int i;

	ASSERT_EQ(0, st_alloc_bytes(self->fd, 64, &h));
	for (i = 0; i < 35; i++)
		ASSERT_EQ(0, st_gc(self->fd, NULL));
	ASSERT_EQ(0, cycles(self->fd, ci, 40, CSZ, &cy));
	ASSERT_EQ(0, st_stats(self->fd, &st));
	EXPECT_EQ(32U, cy.count);
	EXPECT_EQ(st.num_gc, cy.num_gc);
	EXPECT_EQ(cy.num_gc - 31, ci[0].num);
	for (i = 1; i < cy.count; i++)
		EXPECT_EQ(ci[i - 1].num + 1, ci[i].num);
}

/* Less room than cycles: the newest ones, oldest first. */
TEST_F(snap, cycles_room_smaller)
{
	struct gmm_cycle_info ci[4];
	struct gmm_cycles cy;
	unsigned int i;

	for (i = 0; i < 5; i++)
		ASSERT_EQ(0, st_gc(self->fd, NULL));
	memset(ci, SENTINEL, sizeof(ci));
	ASSERT_EQ(0, cycles(self->fd, ci, 3, CSZ, &cy));
	EXPECT_EQ(3U, cy.count);
	EXPECT_EQ(5ULL, cy.num_gc);
	EXPECT_EQ(3ULL, ci[0].num);
	EXPECT_EQ(4ULL, ci[1].num);
	EXPECT_EQ(5ULL, ci[2].num);
	EXPECT_EQ(0xababababababababULL, ci[3].num);
}

TEST_F(snap, cycles_room_zero)
{
	struct gmm_cycles cy;

	ASSERT_EQ(0, st_gc(self->fd, NULL));
	ASSERT_EQ(0, cycles(self->fd, NULL, 0, 0, &cy));
	EXPECT_EQ(0U, cy.count);
	EXPECT_EQ(1ULL, cy.num_gc);
}

/* Cycles the pacer starts are not marked forced. */
TEST_F_TIMEOUT(snap, cycles_automatic_not_forced, 120)
{
	struct gmm_cycle_info ci[32];
	struct gmm_cycles cy;
	__u32 h, i;
	int automatic = 0;

	ASSERT_EQ(0, st_set_gc_percent(self->fd, 10));
	for (i = 0; i < 200; i++) {
		ASSERT_EQ(0, st_alloc_bytes(self->fd, 256 << 10, &h));
		ASSERT_EQ(0, st_release(self->fd, h));
	}
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	ASSERT_EQ(0, cycles(self->fd, ci, 32, CSZ, &cy));
	ASSERT_LE(2U, cy.count);
	for (i = 0; i < cy.count; i++)
		automatic += !(ci[i].flags & GMM_CYCLE_FORCED);
	EXPECT_LE(1, automatic);
	EXPECT_EQ(GMM_CYCLE_FORCED, ci[cy.count - 1].flags);
}

TEST_F(snap, cycles_size_longer_stride)
{
	struct cnext {
		struct gmm_cycle_info ci;
		__u64 future[2];
	} cn[3];
	struct gmm_cycles cy;
	unsigned int i;

	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, st_gc(self->fd, NULL));
	memset(cn, SENTINEL, sizeof(cn));
	ASSERT_EQ(0, cycles(self->fd, cn, 3, sizeof(cn[0]), &cy));
	ASSERT_EQ(3U, cy.count);
	for (i = 0; i < 3; i++)
		EXPECT_EQ(i + 1ULL, cn[i].ci.num);
}

TEST_F(snap, cycles_size_longer_tail_untouched)
{
	struct cnext {
		struct gmm_cycle_info ci;
		__u64 future;
	} cn[1];
	struct gmm_cycles cy;

	ASSERT_EQ(0, st_gc(self->fd, NULL));
	memset(cn, SENTINEL, sizeof(cn));
	ASSERT_EQ(0, cycles(self->fd, cn, 1, sizeof(cn[0]), &cy));
	EXPECT_EQ(0xababababababababULL, cn[0].future);
}

TEST_F(snap, cycles_size_short)
{
	struct gmm_cycle_info ci[2];
	struct gmm_cycles cy;

	EXPECT_EQ(-EINVAL, cycles(self->fd, ci, 2, CSZ - 8, &cy));
}

TEST_F(snap, cycles_size_zero)
{
	struct gmm_cycle_info ci[2];
	struct gmm_cycles cy;

	EXPECT_EQ(-EINVAL, cycles(self->fd, ci, 2, 0, &cy));
}

TEST_F(snap, cycles_null)
{
	struct gmm_cycles cy;

	ASSERT_EQ(0, st_gc(self->fd, NULL));
	EXPECT_EQ(-EFAULT, cycles(self->fd, NULL, 4, CSZ, &cy));
}

TEST_F(snap, cycles_unmapped)
{
	struct gmm_cycles cy;
	void *p = st_unmapped_addr();

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	EXPECT_EQ(-EFAULT, cycles(self->fd, p, 4, CSZ, &cy));
}

TEST_F(snap, cycles_prot_none)
{
	struct gmm_cycles cy;
	void *p = st_prot_none_addr();

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	EXPECT_EQ(-EFAULT, cycles(self->fd, p, 4, CSZ, &cy));
}

TEST_F(snap, cycles_straddle_unmapped_page)
{
	struct gmm_cycles cy;
	void *p = st_straddle_addr(2 * CSZ, CSZ / 2);

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	EXPECT_EQ(-EFAULT, cycles(self->fd, p, 2, CSZ, &cy));
}

TEST_F(snap, cycles_reserved)
{
	struct gmm_cycles cy;

	memset(&cy, 0, sizeof(cy));
	cy.reserved = 1;
	EXPECT_EQ(-EINVAL, st_ioctl(self->fd, GMM_IOC_CYCLES, &cy));
}

TEST_HARNESS_MAIN
