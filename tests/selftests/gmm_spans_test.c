// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_spans_test.c - the picture of a heap a file gets from
 * GMM_IOC_SPANS: arenas and spans, checked against each other and against
 * GMM_IOC_STATS; the element-size rules and bad array pointers.
 *
 * Needs gmm.ko loaded; skips when /dev/gmm is missing.
 */
#include <limits.h>
#include <stddef.h>

#include "kselftest_harness.h"
#include "gmm_util.h"
#include "snap_fixture.h"

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
	EXPECT_EQ(GMM_GC_PHASE_OFF, sp.phase);
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
		EXPECT_LE(ai->released_pages, ai->free_pages);
		EXPECT_EQ(0U, ai->released_pages % 8);	/* whole granules */
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
	EXPECT_EQ(GMM_GC_PHASE_OFF, sp.phase);
}

TEST_HARNESS_MAIN
