/* SPDX-License-Identifier: GPL-2.0 */
/*
 * inval_fixture.h - what gmm_inval_test and gmm_inval_mem_test share: the
 * "inval" fixture (a heap with a node type, two nodes and 64 pointer-free
 * bytes) and the raw calls their tests make.  Include after gmm_util.h.
 */
#ifndef _GMM_INVAL_FIXTURE_H
#define _GMM_INVAL_FIXTURE_H

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

/* TYPE_CREATE with @t as it is. */
static inline int type_raw(int fd, struct gmm_type_create *t)
{
	return st_ioctl(fd, GMM_IOC_TYPE_CREATE, t);
}

static inline void type_init(struct gmm_type_create *t, __u32 size,
			     const __u32 *offs, __u32 nr)
{
	memset(t, 0, sizeof(*t));
	t->size = size;
	t->ptr_offsets = st_ptr(offs);
	t->nr_ptrs = nr;
	strcpy(t->name, "bad");
}

static inline __u32 types_of(int fd)
{
	struct gmm_stats st;

	return st_stats(fd, &st) ? ~0U : st.types;
}

#endif /* _GMM_INVAL_FIXTURE_H */
