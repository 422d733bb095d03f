/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ops_fixture.h - what gmm_ops_test and gmm_ops_ptr_test share: the
 * "heap" fixture (a heap with a 32-byte node type and its size classes)
 * and nodes and lists built and checked through it.  Include after
 * gmm_util.h.
 */
#ifndef _GMM_OPS_FIXTURE_H
#define _GMM_OPS_FIXTURE_H

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
static inline int new_node(int fd, __u32 type, __u64 value, __u32 *h)
{
	__u64 v[2] = { value, ~value };
	int ret = st_alloc(fd, type, 1, h);

	if (ret)
		return ret;
	return st_write(fd, *h, NODE_VALUE, sizeof(v), v);
}

/* 0 if @h is a node holding @value; -EBADMSG if it holds something else. */
static inline int check_node(int fd, __u32 h, __u64 value)
{
	__u64 v[4];
	int ret = st_read(fd, h, 0, sizeof(v), v);

	if (ret)
		return ret;
	if (v[0] || v[1])	/* pointer words read as 0 */
		return -EBADMSG;
	return v[2] == value && v[3] == ~value ? 0 : -EBADMSG;
}

/*
 * Build a list of @n nodes (values base .. base + n - 1) linked by NEXT
 * and keep only its head's handle.
 */
static inline int build_list(int fd, __u32 type, unsigned int n,
			     __u64 base, __u32 *head)
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
static inline int walk_list(int fd, __u32 head, unsigned int n, __u64 base)
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

#endif /* _GMM_OPS_FIXTURE_H */
