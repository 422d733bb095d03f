// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_step_test.c - GMM_IOC_OBJECTS (every slot of the file's heap with
 * its colour, the pointers between objects) and GMM_IOC_STEP (a GC cycle
 * one batch of grey objects at a time): each rule of their structs, and
 * tri-colour marking as user space sees it - the roots grey, one step one
 * object black, the write barrier shading during a stepped mark, and the
 * step past the last grey object ending the cycle.
 *
 * Needs gmm.ko loaded; skips when /dev/gmm is missing.
 */
#include <stddef.h>

#include "kselftest_harness.h"
#include "gmm_util.h"

#define ROOM		4096
#define CHAIN		5

/* A listing: its header and room for the arrays. */
struct listing {
	struct gmm_objects hdr;
	struct gmm_object_info obj[ROOM];
	struct gmm_object_edge edge[ROOM];
	__u32 handles[8];
	__u32 index[8];
};

static int list_objects(int fd, struct listing *L, const __u32 *handles,
			__u32 nh)
{
	memset(&L->hdr, 0, sizeof(L->hdr));
	L->hdr.nr_objects = ROOM;
	L->hdr.objects = st_ptr(L->obj);
	L->hdr.object_size = sizeof(L->obj[0]);
	L->hdr.nr_edges = ROOM;
	L->hdr.edges = st_ptr(L->edge);
	L->hdr.edge_size = sizeof(L->edge[0]);
	memcpy(L->handles, handles, nh * sizeof(*handles));
	L->hdr.nr_handles = nh;
	L->hdr.handles = st_ptr(L->handles);
	L->hdr.handle_index = st_ptr(L->index);
	return st_ioctl(fd, GMM_IOC_OBJECTS, &L->hdr);
}

static int step(int fd, __u32 flags, __u32 count, struct gmm_step *out)
{
	memset(out, 0, sizeof(*out));
	out->flags = flags;
	out->count = count;
	return st_ioctl(fd, GMM_IOC_STEP, out);
}

/* How many objects of @L have @colour. */
static unsigned int count_colour(const struct listing *L, __u32 colour)
{
	unsigned int i, n = 0;

	for (i = 0; i < L->hdr.nr_objects && i < ROOM; i++)
		n += L->obj[i].colour == colour;
	return n;
}

/* The colour of the object at index @i, or -1. */
static int colour_at(const struct listing *L, __u32 i)
{
	return i < L->hdr.nr_objects && i < ROOM ? (int)L->obj[i].colour : -1;
}

/* The slots of every span GMM_IOC_SPANS shows; 0 on error. */
static __u32 slots_of_spans(int fd)
{
	static struct gmm_span_info spans[512];
	struct gmm_spans sp;
	__u32 i, n = 0;

	memset(&sp, 0, sizeof(sp));
	sp.nr_spans = 512;
	sp.spans = st_ptr(spans);
	sp.span_size = sizeof(spans[0]);
	if (st_ioctl(fd, GMM_IOC_SPANS, &sp) || sp.nr_spans > 512)
		return 0;
	for (i = 0; i < sp.nr_spans; i++)
		n += spans[i].nelems;
	return n;
}

FIXTURE(step)
{
	int fd;
	__u32 node;		/* 24 bytes: next (0), other (8), data */
	__u32 h[CHAIN];		/* the chain's nodes, h[0] -> h[1] -> ... */
	__u32 garbage;
	struct listing *L, *L2;
};

FIXTURE_SETUP(step)
{
	static const __u32 offs[] = { 0, 8 };

	ST_OPEN_OR_SKIP(self->fd);
	ASSERT_EQ(0, st_set_gc_percent(self->fd, -1));
	ASSERT_EQ(0, st_type(self->fd, 24, 0, offs, 2, "node", &self->node));
	self->L = calloc(1, sizeof(*self->L));
	self->L2 = calloc(1, sizeof(*self->L2));
	ASSERT_NE(NULL, self->L);
	ASSERT_NE(NULL, self->L2);
}

FIXTURE_TEARDOWN(step)
{
	free(self->L);
	free(self->L2);
	close(self->fd);
}

/* The chain h[0] -> ... -> h[CHAIN-1]; handles to all; one garbage node. */
static int build(int fd, __u32 node, __u32 *h, __u32 *garbage)
{
	unsigned int i;
	int ret;

	for (i = 0; i < CHAIN; i++) {
		ret = st_alloc(fd, node, 1, &h[i]);
		if (ret)
			return ret;
		if (i && (ret = st_store(fd, h[i - 1], 0, h[i])))
			return ret;
	}
	ret = st_alloc(fd, node, 1, garbage);
	return ret ? ret : st_release(fd, *garbage);
}

/* Only the head keeps a handle: the rest is reached through pointers. */
static int build_chain(int fd, __u32 node, __u32 *h, __u32 *garbage)
{
	unsigned int i;
	int ret = build(fd, node, h, garbage);

	for (i = 1; !ret && i < CHAIN; i++)
		ret = st_release(fd, h[i]);
	return ret;
}

TEST_F(step, objects_validation)
{
	struct gmm_objects o;
	__u32 h;

	ASSERT_EQ(0, st_alloc(self->fd, self->node, 1, &h));
	memset(&o, 0, sizeof(o));
	ASSERT_EQ(0, st_ioctl(self->fd, GMM_IOC_OBJECTS, &o));
	EXPECT_LE(1U, o.nr_objects);	/* counted, nothing written */
	o.flags = 1;
	EXPECT_EQ(-EINVAL, st_ioctl(self->fd, GMM_IOC_OBJECTS, &o));
	memset(&o, 0, sizeof(o));
	o.reserved = 1;
	EXPECT_EQ(-EINVAL, st_ioctl(self->fd, GMM_IOC_OBJECTS, &o));
	memset(&o, 0, sizeof(o));
	o.nr_objects = 1;
	o.objects = st_ptr(self->L->obj);
	o.object_size = sizeof(struct gmm_object_info) - 4;
	EXPECT_EQ(-EINVAL, st_ioctl(self->fd, GMM_IOC_OBJECTS, &o));
	o.object_size = GMM_ELEM_SIZE_MAX + 8;
	EXPECT_EQ(-EINVAL, st_ioctl(self->fd, GMM_IOC_OBJECTS, &o));
	memset(&o, 0, sizeof(o));
	o.nr_edges = 1;
	o.edges = st_ptr(self->L->edge);
	o.edge_size = 8;
	EXPECT_EQ(-EINVAL, st_ioctl(self->fd, GMM_IOC_OBJECTS, &o));
	memset(&o, 0, sizeof(o));
	o.nr_handles = GMM_OBJECTS_MAX + 1;
	EXPECT_EQ(-EINVAL, st_ioctl(self->fd, GMM_IOC_OBJECTS, &o));
}

TEST_F(step, objects_bad_pointers_and_sizes)
{
	unsigned char big[sizeof(struct gmm_objects) + 16];
	struct gmm_objects o;
	__u32 h[CHAIN], g;

	ASSERT_EQ(0, build(self->fd, self->node, h, &g));
	memset(&o, 0, sizeof(o));
	o.nr_objects = 4;
	o.objects = st_ptr(st_unmapped_addr());
	o.object_size = sizeof(struct gmm_object_info);
	EXPECT_EQ(-EFAULT, st_ioctl(self->fd, GMM_IOC_OBJECTS, &o));
	memset(&o, 0, sizeof(o));
	o.nr_edges = 4;
	o.edges = st_ptr(st_unmapped_addr());
	o.edge_size = sizeof(struct gmm_object_edge);
	EXPECT_EQ(-EFAULT, st_ioctl(self->fd, GMM_IOC_OBJECTS, &o));
	memset(&o, 0, sizeof(o));
	o.nr_handles = 1;
	o.handles = st_ptr(st_unmapped_addr());
	o.handle_index = st_ptr(self->L->index);
	EXPECT_EQ(-EFAULT, st_ioctl(self->fd, GMM_IOC_OBJECTS, &o));
	o.handles = st_ptr(h);
	o.handle_index = st_ptr(st_unmapped_addr());
	EXPECT_EQ(-EFAULT, st_ioctl(self->fd, GMM_IOC_OBJECTS, &o));
	EXPECT_EQ(-EFAULT, st_ioctl(self->fd, GMM_IOC_OBJECTS,
				    st_unmapped_addr()));
	/* A shorter struct than the first version; a longer one with a
	 * non-zero tail.
	 */
	memset(big, 0, sizeof(big));
	EXPECT_EQ(-EINVAL, st_ioctl(self->fd, _IOC(_IOC_READ | _IOC_WRITE,
			GMM_IOC_MAGIC, 0x0a, sizeof(struct gmm_objects) - 8), big));
	big[sizeof(struct gmm_objects) + 3] = 1;
	EXPECT_EQ(-E2BIG, st_ioctl(self->fd, _IOC(_IOC_READ | _IOC_WRITE,
			GMM_IOC_MAGIC, 0x0a, sizeof(big)), big));
	big[sizeof(struct gmm_objects) + 3] = 0;
	EXPECT_EQ(0, st_ioctl(self->fd, _IOC(_IOC_READ | _IOC_WRITE,
			GMM_IOC_MAGIC, 0x0a, sizeof(big)), big));
}

/* A heap of more than GMM_OBJECTS_MAX slots is refused, not truncated. */
TEST_F_TIMEOUT(step, objects_too_big, 300)
{
	static struct gmm_op ops[4096];
	struct gmm_batch b;
	struct gmm_objects o;
	unsigned int done = 0, i;

	while (done < GMM_OBJECTS_MAX + 1024) {
		memset(ops, 0, sizeof(ops));
		for (i = 0; i < 4096; i++) {
			ops[i].op = GMM_OP_ALLOC;
			ops[i].len = 8;
		}
		memset(&b, 0, sizeof(b));
		b.count = 4096;
		b.ops = st_ptr(ops);
		b.op_size = sizeof(ops[0]);
		ASSERT_EQ(0, st_ioctl(self->fd, GMM_IOC_BATCH, &b));
		done += 4096;
	}
	memset(&o, 0, sizeof(o));
	EXPECT_EQ(-E2BIG, st_ioctl(self->fd, GMM_IOC_OBJECTS, &o));
}

/* The chain as the listing shows it: white objects, its pointers, roots. */
TEST_F(step, objects_listing)
{
	struct gmm_object_info *o;
	__u32 idx[CHAIN], i, nedges = 0;
	struct listing *L = self->L;

	ASSERT_EQ(0, build(self->fd, self->node, self->h, &self->garbage));
	ASSERT_EQ(0, list_objects(self->fd, L, self->h, CHAIN));
	ASSERT_LE(CHAIN + 1, L->hdr.nr_objects);
	ASSERT_GE(ROOM, L->hdr.nr_objects);
	EXPECT_EQ(0U, L->hdr.grey);
	EXPECT_EQ(0U, L->hdr.phase);
	memcpy(idx, L->index, sizeof(idx));
	for (i = 0; i < CHAIN; i++) {
		ASSERT_GT(L->hdr.nr_objects, idx[i]);
		o = &L->obj[idx[i]];
		EXPECT_EQ(GMM_COLOUR_WHITE, o->colour);
		EXPECT_EQ(self->node, o->type);
		EXPECT_EQ(1U, o->roots);
		EXPECT_LE(24U, o->size);
		/* Slot 0 of its span is listed slot places before it. */
		ASSERT_LE(o->slot, idx[i]);
		EXPECT_EQ(0U, L->obj[idx[i] - o->slot].slot);
		EXPECT_EQ(o->arena, L->obj[idx[i] - o->slot].arena);
		EXPECT_EQ(o->first_page, L->obj[idx[i] - o->slot].first_page);
	}
	EXPECT_EQ(slots_of_spans(self->fd), L->hdr.nr_objects);
	/* The released garbage node is allocated, white, held by nothing. */
	EXPECT_EQ(CHAIN + 1, count_colour(L, GMM_COLOUR_WHITE));
	EXPECT_EQ(L->hdr.nr_objects - CHAIN - 1, count_colour(L, GMM_COLOUR_FREE));
	/* Edges: exactly the chain's links, word 0 each. */
	for (i = 0; i < L->hdr.nr_edges && i < ROOM; i++) {
		unsigned int k;

		for (k = 0; k + 1 < CHAIN; k++)
			if (L->edge[i].from == idx[k] && L->edge[i].to == idx[k + 1])
				break;
		EXPECT_GT(CHAIN - 1, k) TH_LOG("edge %u -> %u", L->edge[i].from,
					      L->edge[i].to);
		EXPECT_EQ(0U, L->edge[i].offset);
		nedges++;
	}
	EXPECT_EQ(CHAIN - 1, nedges);
	/* A number that is no handle of this file has no object. */
	L->handles[0] = 999999;
	L->hdr.handles = st_ptr(L->handles);
	L->hdr.nr_handles = 1;
	ASSERT_EQ(0, st_ioctl(self->fd, GMM_IOC_OBJECTS, &L->hdr));
	EXPECT_EQ(GMM_OBJECT_NONE, L->index[0]);
}

/* Element sizes: only the known bytes of a longer element are written. */
TEST_F(step, objects_longer_elements)
{
	struct { struct gmm_object_info i; __u32 tail[2]; } big[2];
	struct gmm_objects o;
	__u32 h;

	ASSERT_EQ(0, st_alloc(self->fd, self->node, 1, &h));
	memset(big, 0xab, sizeof(big));
	memset(&o, 0, sizeof(o));
	o.nr_objects = 2;
	o.objects = st_ptr(big);
	o.object_size = sizeof(big[0]);
	ASSERT_EQ(0, st_ioctl(self->fd, GMM_IOC_OBJECTS, &o));
	EXPECT_EQ(0xababababU, big[0].tail[0]);
	EXPECT_EQ(0xababababU, big[1].tail[1]);
	EXPECT_EQ(0U, big[0].i.reserved);
	EXPECT_EQ(0U, big[0].i.slot);
	EXPECT_EQ(1U, big[1].i.slot);
}

TEST_F(step, step_validation)
{
	struct gmm_step s;
	struct gmm_stats st;
	void *ro;

	EXPECT_EQ(-EINVAL, step(self->fd, 1U << 2, 0, &s));
	EXPECT_EQ(-EINVAL, step(self->fd, GMM_STEP_BEGIN | GMM_STEP_END, 0, &s));
	EXPECT_EQ(-EINVAL, step(self->fd, 0, 0, &s));
	EXPECT_EQ(-EINVAL, step(self->fd, 0, GMM_STEP_MAX + 1, &s));
	EXPECT_EQ(-EINVAL, step(self->fd, GMM_STEP_BEGIN, 1, &s));
	EXPECT_EQ(-EINVAL, step(self->fd, GMM_STEP_END, 1, &s));
	memset(&s, 0, sizeof(s));
	s.count = 1;
	s.reserved = 1;
	EXPECT_EQ(-EINVAL, st_ioctl(self->fd, GMM_IOC_STEP, &s));
	EXPECT_EQ(-ENOENT, step(self->fd, 0, 1, &s));
	EXPECT_EQ(-ENOENT, step(self->fd, GMM_STEP_END, 0, &s));
	EXPECT_EQ(-EFAULT, st_ioctl(self->fd, GMM_IOC_STEP, st_unmapped_addr()));
	/* A struct that cannot take the answer starts no cycle. */
	memset(&s, 0, sizeof(s));
	s.flags = GMM_STEP_BEGIN;
	ro = st_ro_copy(&s, sizeof(s));
	ASSERT_NE(NULL, ro);
	EXPECT_EQ(-EFAULT, st_ioctl(self->fd, GMM_IOC_STEP, ro));
	st_ro_free(ro);
	EXPECT_EQ(-ENOENT, step(self->fd, 0, 1, &s));
	ASSERT_EQ(0, st_stats(self->fd, &st));
	EXPECT_EQ(0ULL, st.num_gc);
}

/*
 * BEGIN: the head (a handle's object) grey, the rest white.  Each step
 * of one object turns exactly one grey object black; the step that finds
 * no grey object ends the cycle: the garbage is free, the chain white.
 */
TEST_F_TIMEOUT(step, step_colours, 120)
{
	struct listing *L = self->L, *P = self->L2;
	unsigned int steps = 0, i, moved;
	struct gmm_step s;

	ASSERT_EQ(0, build_chain(self->fd, self->node, self->h, &self->garbage));
	ASSERT_EQ(0, step(self->fd, GMM_STEP_BEGIN, 0, &s));
	EXPECT_EQ(GMM_STEP_MARKING, s.state);
	EXPECT_EQ(1ULL, s.cycle);
	EXPECT_EQ(1U, s.grey);
	ASSERT_EQ(0, list_objects(self->fd, L, self->h, 1));
	EXPECT_EQ(GMM_COLOUR_GREY, colour_at(L, L->index[0]));
	EXPECT_EQ(1U, L->hdr.grey);
	EXPECT_EQ(1U, L->hdr.phase);
	EXPECT_EQ(CHAIN, count_colour(L, GMM_COLOUR_WHITE));
	EXPECT_EQ(-EBUSY, step(self->fd, GMM_STEP_BEGIN, 0, &s));
	EXPECT_EQ(-EBUSY, st_gc(self->fd, NULL));
	for (;;) {
		memcpy(P, L, sizeof(*L));
		ASSERT_EQ(0, step(self->fd, 0, 1, &s));
		ASSERT_EQ(0, list_objects(self->fd, L, self->h, 1));
		if (s.state == GMM_STEP_IDLE)
			break;
		steps++;
		ASSERT_GE(CHAIN, steps);
		EXPECT_EQ(1U, s.scanned);
		EXPECT_EQ(s.grey, L->hdr.grey);
		for (i = 0, moved = 0; i < L->hdr.nr_objects; i++)
			moved += P->obj[i].colour == GMM_COLOUR_GREY &&
				 L->obj[i].colour == GMM_COLOUR_BLACK;
		EXPECT_EQ(1U, moved);
		EXPECT_EQ(steps, count_colour(L, GMM_COLOUR_BLACK));
	}
	EXPECT_EQ(CHAIN, steps);
	EXPECT_EQ(0U, s.scanned);
	EXPECT_EQ(1ULL, s.num_gc);
	/* Swept: the garbage's slot is free, the chain white again. */
	EXPECT_EQ(CHAIN, count_colour(L, GMM_COLOUR_WHITE));
	EXPECT_EQ(0U, count_colour(L, GMM_COLOUR_BLACK));
	EXPECT_EQ(-ENOENT, step(self->fd, 0, 1, &s));
}

/*
 * While a stepped cycle marks: a new object is black (allocate-black);
 * overwriting a pointer to a white object shades that object (the
 * deletion half of the barrier).  (Every object user space can name has
 * a handle and is grey already - the handle barrier - so the insertion
 * half cannot show here; KUnit gmm_step shows it.)  END lets the cycle
 * finish, and the shaded object survives it.
 */
TEST_F_TIMEOUT(step, step_barrier, 120)
{
	struct listing *L = self->L;
	__u32 idx[CHAIN], fresh, n1;
	struct gmm_step s;
	unsigned int i;

	ASSERT_EQ(0, build(self->fd, self->node, self->h, &self->garbage));
	ASSERT_EQ(0, list_objects(self->fd, L, self->h, CHAIN));
	memcpy(idx, L->index, sizeof(idx));
	for (i = 1; i < CHAIN; i++)
		ASSERT_EQ(0, st_release(self->fd, self->h[i]));
	ASSERT_EQ(0, step(self->fd, GMM_STEP_BEGIN, 0, &s));
	ASSERT_EQ(0, step(self->fd, 0, 1, &s));		/* h0 black, n1 grey */
	ASSERT_EQ(0, st_alloc(self->fd, self->node, 1, &fresh));
	ASSERT_EQ(0, list_objects(self->fd, L, &fresh, 1));
	EXPECT_EQ(GMM_COLOUR_BLACK, colour_at(L, L->index[0]));
	EXPECT_EQ(GMM_COLOUR_BLACK, colour_at(L, idx[0]));
	EXPECT_EQ(GMM_COLOUR_GREY, colour_at(L, idx[1]));
	EXPECT_EQ(GMM_COLOUR_WHITE, colour_at(L, idx[2]));
	/* A handle to n1 (grey), then n1 -> n2 overwritten with NULL. */
	ASSERT_EQ(0, st_load(self->fd, self->h[0], 0, &n1));
	ASSERT_EQ(0, st_store(self->fd, n1, 0, 0));
	ASSERT_EQ(0, list_objects(self->fd, L, NULL, 0));
	EXPECT_EQ(GMM_COLOUR_GREY, colour_at(L, idx[2]));
	EXPECT_EQ(GMM_COLOUR_WHITE, colour_at(L, idx[3]));
	ASSERT_EQ(0, step(self->fd, GMM_STEP_END, 0, &s));
	EXPECT_EQ(GMM_STEP_IDLE, s.state);
	EXPECT_EQ(1ULL, s.num_gc);
	/* n2 was shaded: it and what it reaches outlive this cycle. */
	ASSERT_EQ(0, list_objects(self->fd, L, NULL, 0));
	for (i = 0; i < CHAIN; i++)
		EXPECT_EQ(GMM_COLOUR_WHITE, colour_at(L, idx[i]));
	/* The next cycle frees them. */
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	ASSERT_EQ(0, list_objects(self->fd, L, NULL, 0));
	EXPECT_EQ(GMM_COLOUR_FREE, colour_at(L, idx[2]));
	EXPECT_EQ(GMM_COLOUR_WHITE, colour_at(L, idx[1]));
}

TEST_HARNESS_MAIN
