/* SPDX-License-Identifier: GPL-2.0 */
/*
 * snap_fixture.h - what gmm_stats_test and gmm_spans_test share: Go's
 * size classes, the "snap" fixture (a heap with a 32-byte node type) and
 * a mix of objects to look at.  Include after gmm_util.h.
 */
#ifndef _GMM_SNAP_FIXTURE_H
#define _GMM_SNAP_FIXTURE_H

#define NCLASSES	68
#define SENTINEL	0xab

/* Go's size classes (runtime/sizeclasses.go), which gmm uses. */
static const __u32 go_classes[NCLASSES] __attribute__((unused)) = {
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

static inline int class_of(__u32 size)
{
	int i;

	for (i = 1; i < NCLASSES; i++)
		if (go_classes[i] == size)
			return i;
	return -1;
}

/* Allocate a mix: small typed and noscan objects, a large one. */
static inline int populate(int fd, __u32 node, __u32 *h, unsigned int n)
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

#endif /* _GMM_SNAP_FIXTURE_H */
