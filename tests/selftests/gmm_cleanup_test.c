// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_cleanup_test.c - cleanups of /dev/gmm (GMM_FEATURE_CLEANUP):
 * GMM_OP_CLEANUP registers a cookie for an object; once the collector has
 * found the object unreachable and swept it, read(2) of the file returns
 * a struct gmm_cleanup_event with the cookie and the cleanup's id, once,
 * and poll(2) reports POLLIN.  No event comes for a reachable object or
 * a cancelled cleanup; several cleanups of one object all come; reads
 * check their buffer; bad numbers and fields fail with nothing made.
 *
 * Events come from a workqueue after the cycle, so the tests wait for
 * them with blocking reads (the harness's timeout catches one that never
 * comes) and prove an absence by reading up to a later sentinel event:
 * events of one file come in the order the collector found them.
 *
 * Needs gmm.ko loaded; skips when /dev/gmm is missing.
 */
#include <fcntl.h>
#include <poll.h>

#include "kselftest_harness.h"
#include "gmm_util.h"

FIXTURE(cleanup) {
	int fd;
	__u32 node;
};

FIXTURE_SETUP(cleanup)
{
	static const __u32 offs[] = { 0, 8 };
	struct gmm_version v;

	ST_OPEN_OR_SKIP(self->fd);
	memset(&v, 0, sizeof(v));
	ASSERT_EQ(0, st_ioctl(self->fd, GMM_IOC_VERSION, &v));
	ASSERT_TRUE(v.features & GMM_FEATURE_CLEANUP);
	ASSERT_EQ(0, st_type(self->fd, 24, 0, offs, 2, "node", &self->node));
}

FIXTURE_TEARDOWN(cleanup)
{
	if (self->fd >= 0)
		close(self->fd);
}

static int cleanup_add(int fd, __u32 handle, __u64 cookie, __u32 *id)
{
	__u64 r = 0;
	int ret = st_do(fd, GMM_OP_CLEANUP, handle, 0, cookie, 0, NULL, &r);

	*id = (__u32)r;
	return ret;
}

static int cleanup_cancel(int fd, __u32 id)
{
	return st_do(fd, GMM_OP_CLEANUP_CANCEL, 0, id, 0, 0, NULL, NULL);
}

/* A new object with a cleanup of @cookie; released when !@keep. */
static __u32 obj_with_cleanup(struct __test_metadata *_metadata, int fd,
			      __u32 type, __u64 cookie, bool keep, __u32 *id)
{
	__u32 a = 0;

	EXPECT_EQ(0, st_alloc(fd, type, 1, &a));
	EXPECT_EQ(0, cleanup_add(fd, a, cookie, id));
	EXPECT_NE(0U, *id);
	if (!keep)
		EXPECT_EQ(0, st_release(fd, a));
	return a;
}

/* The next event, waiting for it. */
static int next_event(int fd, struct gmm_cleanup_event *ev)
{
	ssize_t n;

	memset(ev, 0xa5, sizeof(*ev));
	n = read(fd, ev, sizeof(*ev));
	return n == sizeof(*ev) ? 0 : n < 0 ? -errno : -EIO;
}

static bool readable_now(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

TEST_F(cleanup, event_after_collection)
{
	struct gmm_cleanup_event ev;
	struct pollfd p = { .fd = self->fd, .events = POLLIN };
	__u32 id;

	EXPECT_FALSE(readable_now(self->fd));
	obj_with_cleanup(_metadata, self->fd, self->node, 0xc0ffee, false, &id);
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	ASSERT_EQ(1, poll(&p, 1, -1));
	EXPECT_TRUE(p.revents & POLLIN);
	ASSERT_EQ(0, next_event(self->fd, &ev));
	EXPECT_EQ(0xc0ffeeULL, ev.cookie);
	EXPECT_EQ(id, ev.id);
	EXPECT_EQ(0U, ev.flags);
	/* Once only. */
	EXPECT_FALSE(readable_now(self->fd));
	EXPECT_EQ(-ENOENT, cleanup_cancel(self->fd, id));
}

/* Reachable (by a handle, by another object) or cancelled: no event. */
TEST_F(cleanup, none_for_live_or_cancelled)
{
	struct gmm_cleanup_event ev;
	__u32 keep_id, held_id, cancel_id, sentinel, a, b;

	a = obj_with_cleanup(_metadata, self->fd, self->node, 1, true, &keep_id);
	b = obj_with_cleanup(_metadata, self->fd, self->node, 2, true, &held_id);
	ASSERT_EQ(0, st_store(self->fd, a, 0, b));
	ASSERT_EQ(0, st_release(self->fd, b));
	obj_with_cleanup(_metadata, self->fd, self->node, 3, true, &cancel_id);
	EXPECT_EQ(0, cleanup_cancel(self->fd, cancel_id));
	EXPECT_EQ(-ENOENT, cleanup_cancel(self->fd, cancel_id));
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	obj_with_cleanup(_metadata, self->fd, self->node, 4, false, &sentinel);
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	/* The sentinel's is the first event: none came before it. */
	ASSERT_EQ(0, next_event(self->fd, &ev));
	EXPECT_EQ(4ULL, ev.cookie);
	EXPECT_EQ(sentinel, ev.id);
	EXPECT_FALSE(readable_now(self->fd));
	/* Still registered: cancellable. */
	EXPECT_EQ(0, cleanup_cancel(self->fd, keep_id));
	EXPECT_EQ(0, cleanup_cancel(self->fd, held_id));
}

/* Three cleanups of one object: three events, each once. */
TEST_F(cleanup, several_per_object)
{
	struct gmm_cleanup_event ev[4];
	__u32 a, id[3], i, seen = 0, n_seen = 0;
	ssize_t n;

	ASSERT_EQ(0, st_alloc(self->fd, self->node, 1, &a));
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, cleanup_add(self->fd, a, 100 + i, &id[i]));
	ASSERT_EQ(0, st_release(self->fd, a));
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	while (n_seen < 3) {
		n = read(self->fd, ev, sizeof(ev));
		ASSERT_GT(n, 0);
		ASSERT_EQ(0, n % (ssize_t)sizeof(ev[0]));
		for (i = 0; i < n / sizeof(ev[0]); i++) {
			ASSERT_LE(100ULL, ev[i].cookie);
			ASSERT_GT(103ULL, ev[i].cookie);
			EXPECT_EQ(id[ev[i].cookie - 100], ev[i].id);
			EXPECT_FALSE(seen & (1U << (ev[i].cookie - 100)));
			seen |= 1U << (ev[i].cookie - 100);
		}
		n_seen += n / sizeof(ev[0]);
	}
	EXPECT_EQ(7U, seen);
	EXPECT_FALSE(readable_now(self->fd));
}

TEST_F(cleanup, reads_check_their_buffer)
{
	struct gmm_cleanup_event ev;
	char small[sizeof(ev) - 1];
	int flags = fcntl(self->fd, F_GETFL);
	__u32 id;

	EXPECT_EQ(-1, read(self->fd, small, sizeof(small)));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, fcntl(self->fd, F_SETFL, flags | O_NONBLOCK));
	EXPECT_EQ(-1, read(self->fd, &ev, sizeof(ev)));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(0, fcntl(self->fd, F_SETFL, flags));
	obj_with_cleanup(_metadata, self->fd, self->node, 9, false, &id);
	ASSERT_EQ(0, st_gc(self->fd, NULL));
	/* A bad buffer: -EFAULT, and the event stays for a good one. */
	ASSERT_EQ(1, poll(&(struct pollfd){ .fd = self->fd, .events = POLLIN },
			  1, -1));
	EXPECT_EQ(-1, read(self->fd, st_unmapped_addr(), sizeof(ev)));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_EQ(0, next_event(self->fd, &ev));
	EXPECT_EQ(9ULL, ev.cookie);
}

TEST_F(cleanup, bad_numbers_and_fields)
{
	__u64 r;
	__u32 a, id;

	EXPECT_EQ(-ENOENT, cleanup_add(self->fd, 4242, 1, &id));
	EXPECT_EQ(-ENOENT, cleanup_cancel(self->fd, 0));
	EXPECT_EQ(-ENOENT, cleanup_cancel(self->fd, 1));
	EXPECT_EQ(-ENOENT, cleanup_cancel(self->fd, 0xffffffffU));
	ASSERT_EQ(0, st_alloc(self->fd, self->node, 1, &a));
	EXPECT_EQ(-EINVAL, st_do(self->fd, GMM_OP_CLEANUP, a, 1, 0, 0, NULL, &r));
	EXPECT_EQ(-EINVAL, st_do(self->fd, GMM_OP_CLEANUP, a, 0, 0, 1, NULL, &r));
	EXPECT_EQ(-EINVAL, st_do(self->fd, GMM_OP_CLEANUP_CANCEL, a, 1, 0, 0,
				 NULL, &r));
	/* None was made: the first real one gets id 1. */
	ASSERT_EQ(0, cleanup_add(self->fd, a, 5, &id));
	EXPECT_EQ(1U, id);
}

TEST_HARNESS_MAIN
