// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_stats_test.c - what a file learns about its heap: GMM_IOC_STATS
 * (MemStats figures, the size-class table), GMM_IOC_SPANS (arenas and
 * spans, checked against each other and against STATS) and GMM_IOC_CYCLES
 * (the cycle log); their element-size rules and bad array pointers.
 *
 * Needs gmm.ko loaded; skips when /dev/gmm is missing.
 */
#include <limits.h>
#include <stddef.h>

#include "kselftest_harness.h"
#include "gmm_util.h"

#define NCLASSES	68
#define SENTINEL	0xab

/* Go's size classes (runtime/sizeclasses.go), which gmm uses. */
static const __u32 go_classes[NCLASSES] = {
	0, 8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208,
	224, 240, 256, 288, 320, 352, 384, 416, 448, 480, 512, 576, 640, 704,
	768, 896, 1024, 1152, 1280, 1408, 1536, 1792, 2048, 2304, 2688, 3072,
	3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728,
	10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760,
	24576, 27264, 28672, 32768,
};

FIXTURE(snap) {
	int fd;
	__u32 node;
};

FIXTURE_SETUP(snap)
{
	static const __u32 offs[] = { 0, 8 };

	ST_OPEN_OR_SKIP(self->fd);
	ASSERT_EQ(0, st_type(self->fd, 32, 0, offs, 2, "node", &self->node));
}

FIXTURE_TEARDOWN(snap)
{
	if (self->fd >= 0)
		close(self->fd);
}

static int class_of(__u32 size)
{
	int i;

	for (i = 1; i < NCLASSES; i++)
		if (go_classes[i] == size)
			return i;
	return -1;
}

/* Allocate a mix: small typed and noscan objects, a large one. */
static int populate(int fd, __u32 node, __u32 *h, unsigned int n)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < n && !ret; i++) {
		switch (i % 4) {
		case 0:
			ret = st_alloc(fd, node, 1 + i % 7, &h[i]);
			break;
		case 1:
			ret = st_alloc_bytes(fd, 16 + 37 * i, &h[i]);
			break;
		case 2:
			ret = st_alloc_bytes(fd, 1000, &h[i]);
			break;
		default:
			ret = st_alloc_bytes(fd, i % 64 ? 200 : 40000, &h[i]);
			break;
		}
	}
	return ret;
}

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
	EXPECT_EQ(0U, st.phase);
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
	EXPECT_EQ(0U, st.phase);
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

/* SPANS */

struct picture {
	struct gmm_spans hdr;
	struct gmm_arena_info arenas[64];
	struct gmm_span_info spans[4096];
};

static int take_picture(int fd, struct picture *pic)
{
	memset(&pic->hdr, 0, sizeof(pic->hdr));
	pic->hdr.nr_arenas = 64;
	pic->hdr.arenas = st_ptr(pic->arenas);
	pic->hdr.arena_size = sizeof(pic->arenas[0]);
	pic->hdr.nr_spans = 4096;
	pic->hdr.spans = st_ptr(pic->spans);
	pic->hdr.span_size = sizeof(pic->spans[0]);
	return st_ioctl(fd, GMM_IOC_SPANS, &pic->hdr);
}

static struct picture *new_picture(void)
{
	return calloc(1, sizeof(struct picture));
}

TEST_F(snap, spans_counts_without_room)
{
	struct gmm_spans sp;
	__u32 h[100];

	memset(&sp, 0, sizeof(sp));
	ASSERT_EQ(0, st_ioctl(self->fd, GMM_IOC_SPANS, &sp));
	EXPECT_EQ(0U, sp.nr_spans);
	ASSERT_EQ(0, populate(self->fd, self->node, h, 100));
	memset(&sp, 0, sizeof(sp));
	ASSERT_EQ(0, st_ioctl(self->fd, GMM_IOC_SPANS, &sp));
	EXPECT_LE(1U, sp.nr_arenas);
	EXPECT_LE(5U, sp.nr_spans);
	EXPECT_EQ(0ULL, sp.num_gc);
	EXPECT_EQ(0U, sp.phase);
}

/* Every span is well-formed and lies inside its arena, without overlap. */
TEST_F_TIMEOUT(snap, spans_well_formed, 120)
{
	struct picture *pic = new_picture();
	__u32 h[400], i, j, a;
	__u8 *used;
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);

	ASSERT_NE(NULL, pic);
	ASSERT_EQ(0, populate(self->fd, self->node, h, 400));
	for (i = 0; i < 400; i += 3)
		ASSERT_EQ(0, st_release(self->fd, h[i]));
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	ASSERT_EQ(0, take_picture(self->fd, pic));
	ASSERT_GE(64U, pic->hdr.nr_arenas);
	ASSERT_GE(4096U, pic->hdr.nr_spans);
	for (a = 0; a < pic->hdr.nr_arenas; a++) {
		struct gmm_arena_info *ai = &pic->arenas[a];
		__u32 pages = 0;

		EXPECT_LE(ai->free_pages, ai->npages);
		EXPECT_EQ(0U, ai->reserved);
		for (j = 0; j < a; j++)
			EXPECT_NE(pic->arenas[j].id, ai->id);
		used = calloc(ai->npages, 1);
		ASSERT_NE(NULL, used);
		for (i = 0; i < pic->hdr.nr_spans; i++) {
			struct gmm_span_info *s = &pic->spans[i];

			if (s->arena != ai->id)
				continue;
			ASSERT_LE(s->first_page + s->npages, ai->npages);
			for (j = s->first_page; j < s->first_page + s->npages; j++) {
				EXPECT_EQ(0, used[j]) TH_LOG("page %u of arena %u in two spans",
							     j, ai->id);
				used[j] = 1;
			}
			pages += s->npages;
		}
		free(used);
		EXPECT_EQ(ai->npages, ai->free_pages + pages)
			TH_LOG("arena %u: %u pages, %u free, %u in spans",
			       ai->id, ai->npages, ai->free_pages, pages);
	}
	for (i = 0; i < pic->hdr.nr_spans; i++) {
		struct gmm_span_info *s = &pic->spans[i];
		__u32 cl = s->spanclass >> 1;
		bool found = false;

		for (a = 0; a < pic->hdr.nr_arenas; a++)
			found |= pic->arenas[a].id == s->arena;
		EXPECT_TRUE(found) TH_LOG("span %u: arena %u unknown", i,
					  s->arena);
		ASSERT_GT((__u32)NCLASSES, cl);
		EXPECT_LE(1U, s->npages);
		EXPECT_LE(s->allocated, s->nelems);
		EXPECT_LE(s->marked, s->nelems);
		EXPECT_GE(2U, s->sweepgen);
		if (s->state == GMM_SPAN_STATE_LARGE) {
			EXPECT_EQ(0U, cl);
			EXPECT_EQ(2U, s->where);
			EXPECT_EQ(1U, s->nelems);
			EXPECT_EQ(s->npages * ST_RT_PAGE, s->elemsize);
		} else {
			EXPECT_EQ(GMM_SPAN_STATE_SMALL, s->state);
			ASSERT_LT(0U, cl);
			EXPECT_EQ(go_classes[cl], s->elemsize);
			EXPECT_EQ(s->npages * ST_RT_PAGE / s->elemsize,
				  s->nelems) TH_LOG("class %u", cl);
			EXPECT_GE(1U, s->where);
		}
		/* The CPU of a cached span; 0 otherwise. */
		EXPECT_GT(s->where == 1 ? ncpu : 1, (long)s->cpu);
	}
	free(pic);
}

/*
 * With nothing running on the heap the picture adds up to STATS: spans
 * cover heap_inuse, arenas heap_sys, their free pages heap_idle.
 */
TEST_F_TIMEOUT(snap, spans_add_up_to_stats, 120)
{
	struct picture *pic = new_picture();
	struct gmm_stats st, st2;
	__u64 span_bytes, arena_bytes, free_bytes, objs;
	__u32 h[300], i;
	int tries;

	ASSERT_NE(NULL, pic);
	ASSERT_EQ(0, st_set_gc_percent(self->fd, -1));
	ASSERT_EQ(0, populate(self->fd, self->node, h, 300));
	for (i = 0; i < 300; i += 2)
		ASSERT_EQ(0, st_release(self->fd, h[i]));
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	for (tries = 0; tries < 5; tries++) {
		ASSERT_EQ(0, st_stats(self->fd, &st));
		ASSERT_EQ(0, take_picture(self->fd, pic));
		ASSERT_EQ(0, st_stats(self->fd, &st2));
		if (!memcmp(&st.heap_alloc, &st2.heap_alloc,
			    offsetof(struct gmm_stats, num_gc) -
			    offsetof(struct gmm_stats, heap_alloc)))
			break;
	}
	span_bytes = 0;
	arena_bytes = 0;
	free_bytes = 0;
	objs = 0;
	for (i = 0; i < pic->hdr.nr_spans; i++) {
		span_bytes += pic->spans[i].npages * ST_RT_PAGE;
		objs += pic->spans[i].allocated;
	}
	for (i = 0; i < pic->hdr.nr_arenas; i++) {
		arena_bytes += pic->arenas[i].npages * ST_RT_PAGE;
		free_bytes += pic->arenas[i].free_pages * ST_RT_PAGE;
	}
	EXPECT_EQ(st.heap_inuse, span_bytes);
	EXPECT_EQ(st.heap_sys, arena_bytes);
	EXPECT_EQ(st.heap_idle, free_bytes);
	EXPECT_EQ(st.heap_objects, objs);
	EXPECT_EQ(st.num_gc, pic->hdr.num_gc);
	free(pic);
}

TEST_F(snap, spans_show_large_object_and_noscan_bit)
{
	struct picture *pic = new_picture();
	__u32 big, node, bytes, i;
	int large = 0, noscan1024 = 0, scan32 = 0;

	ASSERT_NE(NULL, pic);
	ASSERT_EQ(0, st_alloc_bytes(self->fd, 40000, &big));
	ASSERT_EQ(0, st_alloc(self->fd, self->node, 1, &node));
	ASSERT_EQ(0, st_alloc_bytes(self->fd, 1024, &bytes));
	ASSERT_EQ(0, take_picture(self->fd, pic));
	for (i = 0; i < pic->hdr.nr_spans; i++) {
		struct gmm_span_info *s = &pic->spans[i];

		if (s->state == GMM_SPAN_STATE_LARGE && s->npages == 5 &&
		    s->allocated == 1)
			large++;
		if (s->spanclass == (__u32)(class_of(1024) << 1 | 1) &&
		    s->allocated == 1)
			noscan1024++;
		if (s->spanclass == (__u32)(class_of(32) << 1) &&
		    s->allocated == 1)
			scan32++;
	}
	EXPECT_EQ(1, large);
	EXPECT_EQ(1, noscan1024);
	EXPECT_EQ(1, scan32);
	free(pic);
}

TEST_F(snap, spans_room_smaller)
{
	struct gmm_span_info si[3];
	struct gmm_arena_info ai[2];
	struct gmm_spans sp;
	__u32 h[100];

	ASSERT_EQ(0, populate(self->fd, self->node, h, 100));
	memset(si, SENTINEL, sizeof(si));
	memset(ai, SENTINEL, sizeof(ai));
	memset(&sp, 0, sizeof(sp));
	sp.nr_spans = 2;
	sp.spans = st_ptr(si);
	sp.span_size = sizeof(si[0]);
	sp.nr_arenas = 1;
	sp.arenas = st_ptr(ai);
	sp.arena_size = sizeof(ai[0]);
	ASSERT_EQ(0, st_ioctl(self->fd, GMM_IOC_SPANS, &sp));
	EXPECT_LT(2U, sp.nr_spans);
	EXPECT_LE(1U, sp.nr_arenas);
	EXPECT_LE(1U, si[1].npages);
	EXPECT_EQ(0xababababU, si[2].npages);
	EXPECT_LE(1U, ai[0].npages);
	EXPECT_EQ(0xababababU, ai[1].npages);
}

TEST_F(snap, spans_elem_sizes_longer)
{
	struct snext {
		struct gmm_span_info si;
		__u32 future[3];
	} sn[8];
	struct anext {
		struct gmm_arena_info ai;
		__u64 future;
	} an[2];
	struct gmm_spans sp;
	__u32 h[100], i;

	ASSERT_EQ(0, populate(self->fd, self->node, h, 100));
	memset(sn, SENTINEL, sizeof(sn));
	memset(an, SENTINEL, sizeof(an));
	memset(&sp, 0, sizeof(sp));
	sp.nr_spans = 8;
	sp.spans = st_ptr(sn);
	sp.span_size = sizeof(sn[0]);
	sp.nr_arenas = 2;
	sp.arenas = st_ptr(an);
	sp.arena_size = sizeof(an[0]);
	ASSERT_EQ(0, st_ioctl(self->fd, GMM_IOC_SPANS, &sp));
	ASSERT_LE(8U, sp.nr_spans);
	for (i = 0; i < 8; i++) {
		EXPECT_LE(1U, sn[i].si.npages);
		EXPECT_NE(0xababababU, sn[i].si.state);
	}
	EXPECT_LE(1U, an[0].ai.npages);
}

/* As for every struct: only min(caller, kernel) bytes come back. */
TEST_F(snap, spans_elem_tail_untouched)
{
	struct snext {
		struct gmm_span_info si;
		__u32 future;
	} sn[2];
	struct gmm_spans sp;
	__u32 h;

	ASSERT_EQ(0, st_alloc_bytes(self->fd, 40000, &h));
	memset(sn, SENTINEL, sizeof(sn));
	memset(&sp, 0, sizeof(sp));
	sp.nr_spans = 1;
	sp.spans = st_ptr(sn);
	sp.span_size = sizeof(sn[0]);
	ASSERT_EQ(0, st_ioctl(self->fd, GMM_IOC_SPANS, &sp));
	EXPECT_EQ(0xababababU, sn[0].future);
}

static int spans_with(int fd, void *arenas, __u32 na, __u32 asize,
		      void *spans, __u32 ns, __u32 ssize)
{
	struct gmm_spans sp;

	memset(&sp, 0, sizeof(sp));
	sp.nr_arenas = na;
	sp.arenas = st_ptr(arenas);
	sp.arena_size = asize;
	sp.nr_spans = ns;
	sp.spans = st_ptr(spans);
	sp.span_size = ssize;
	return st_ioctl(fd, GMM_IOC_SPANS, &sp);
}

#define ASZ	sizeof(struct gmm_arena_info)
#define SSZ	sizeof(struct gmm_span_info)

FIXTURE(spanbad) {
	int fd;
	struct gmm_arena_info ai[4];
	struct gmm_span_info si[64];
};

FIXTURE_SETUP(spanbad)
{
	__u32 h;

	ST_OPEN_OR_SKIP(self->fd);
	/* Something to show: an arena and a span. */
	ASSERT_EQ(0, st_alloc_bytes(self->fd, 100, &h));
}

FIXTURE_TEARDOWN(spanbad)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(spanbad, span_size_short)
{
	EXPECT_EQ(-EINVAL, spans_with(self->fd, NULL, 0, 0, self->si, 64,
				      SSZ - 4));
}

TEST_F(spanbad, span_size_zero)
{
	EXPECT_EQ(-EINVAL, spans_with(self->fd, NULL, 0, 0, self->si, 64, 0));
}

TEST_F(spanbad, arena_size_short)
{
	EXPECT_EQ(-EINVAL, spans_with(self->fd, self->ai, 4, ASZ - 4, NULL, 0,
				      0));
}

TEST_F(spanbad, arena_size_zero)
{
	EXPECT_EQ(-EINVAL, spans_with(self->fd, self->ai, 4, 0, NULL, 0, 0));
}

TEST_F(spanbad, spans_null)
{
	EXPECT_EQ(-EFAULT, spans_with(self->fd, NULL, 0, 0, NULL, 64, SSZ));
}

TEST_F(spanbad, arenas_null)
{
	EXPECT_EQ(-EFAULT, spans_with(self->fd, NULL, 4, ASZ, NULL, 0, 0));
}

TEST_F(spanbad, spans_unmapped)
{
	void *p = st_unmapped_addr();

	ASSERT_NE(NULL, p);
	EXPECT_EQ(-EFAULT, spans_with(self->fd, NULL, 0, 0, p, 64, SSZ));
}

TEST_F(spanbad, arenas_unmapped)
{
	void *p = st_unmapped_addr();

	ASSERT_NE(NULL, p);
	EXPECT_EQ(-EFAULT, spans_with(self->fd, p, 4, ASZ, NULL, 0, 0));
}

TEST_F(spanbad, spans_prot_none)
{
	void *p = st_prot_none_addr();

	ASSERT_NE(NULL, p);
	EXPECT_EQ(-EFAULT, spans_with(self->fd, NULL, 0, 0, p, 64, SSZ));
}

TEST_F(spanbad, arenas_prot_none)
{
	void *p = st_prot_none_addr();

	ASSERT_NE(NULL, p);
	EXPECT_EQ(-EFAULT, spans_with(self->fd, p, 4, ASZ, NULL, 0, 0));
}

TEST_F(spanbad, spans_read_only)
{
	long pg = sysconf(_SC_PAGESIZE);
	void *p = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(-EFAULT, spans_with(self->fd, NULL, 0, 0, p, 64, SSZ));
}

TEST_F(spanbad, spans_kernel_address)
{
	EXPECT_EQ(-EFAULT, spans_with(self->fd, NULL, 0, 0,
				      (void *)0xffffffff81000000UL, 64, SSZ));
}

TEST_F(spanbad, reserved)
{
	struct gmm_spans sp;

	memset(&sp, 0, sizeof(sp));
	sp.reserved = 1;
	EXPECT_EQ(-EINVAL, st_ioctl(self->fd, GMM_IOC_SPANS, &sp));
}

TEST_F(spanbad, output_fields_ignored_on_input)
{
	struct gmm_spans sp;

	memset(&sp, 0, sizeof(sp));
	sp.phase = 7;
	sp.sweepgen = 7;
	sp.num_gc = 7;
	ASSERT_EQ(0, st_ioctl(self->fd, GMM_IOC_SPANS, &sp));
	EXPECT_EQ(0ULL, sp.num_gc);
	EXPECT_EQ(0U, sp.phase);
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
