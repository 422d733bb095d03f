// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_scavenge_test.c - free memory of a heap goes back under memory
 * pressure of its own memory cgroup: the page heap's shrinker is
 * memcg-aware.
 *
 * A heap made in a child cgroup grows to 64 MiB of large objects, keeps
 * one in four, and collects: most of its arenas' pages are free but still
 * held (the background scavenger is switched off for the test, so only
 * the shrinker can give them back).  Setting the cgroup's memory.high
 * below what the heap holds makes the kernel reclaim in that cgroup; the
 * shrinker must give back free pages of exactly this heap's arenas -
 * whole arenas and 64 KiB granules of arenas still in use - and the
 * objects kept must be intact.
 *
 * Needs root (module parameter, cgroup); every change is undone.
 */
#define _GNU_SOURCE
#include <sys/mount.h>

#include "kselftest_harness.h"
#include "gmm_util.h"
#include "st_cgroup.h"

#define PARAM_SCAVENGE	"/sys/module/gmm/parameters/scavenge"
#define OBJECTS		64
#define OBJ_BYTES	(1 << 20)
#define KEEP_EVERY	4
#define MIB		(1ULL << 20)

FIXTURE(scav) {
	char cgroup[64];
	char saved[8];
	bool mounted;
	int fd;
	__u32 h[OBJECTS];
};

FIXTURE_SETUP(scav)
{
	int ret;

	self->fd = -1;
	if (access(ST_DEV, F_OK))
		SKIP(_exit(255), ST_DEV " missing: load gmm.ko first");
	if (geteuid() != 0)
		SKIP(_exit(255), "needs root (euid %u)", geteuid());
	ASSERT_EQ(0, st_read_text(PARAM_SCAVENGE, self->saved,
				  sizeof(self->saved)));
	ASSERT_EQ(0, st_write_text(PARAM_SCAVENGE, "0"));
	snprintf(self->cgroup, sizeof(self->cgroup), ST_CG_ROOT "/gmm-scav-%d",
		 getpid());
	ret = st_make_cgroup(self->cgroup, &self->mounted);
	if (ret) {
		self->cgroup[0] = 0;
		SKIP(return, "no memory cgroup: %s", strerror(-ret));
	}
	ASSERT_EQ(0, st_join_cgroup(self->cgroup));
}

FIXTURE_TEARDOWN(scav)
{
	if (self->fd >= 0)
		close(self->fd);
	st_write_text(PARAM_SCAVENGE, self->saved);
	if (self->cgroup[0]) {
		st_join_cgroup(ST_CG_ROOT);
		rmdir(self->cgroup);
	}
	if (self->mounted)
		umount(ST_CG_ROOT);
}

/* What the heap holds: HeapSys less what went back (HeapReleased). */
static __u64 held(int fd)
{
	struct gmm_stats st;

	if (st_stats(fd, &st))
		return 0;
	return st.heap_sys - st.heap_released;
}

static long long cg_number(FIXTURE_DATA(scav) *self, const char *file)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", self->cgroup, file);
	return st_read_number(path);
}

/* memory.high: @val bytes, or "max". */
static int cg_set_high(FIXTURE_DATA(scav) *self, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/memory.high", self->cgroup);
	return st_write_text(path, val);
}

TEST_F(scav, memory_high_takes_free_pages_back)
{
	struct gmm_stats st;
	__u64 before, after, cycles;
	long long current, high;
	char buf[64], want[64];
	int i;

	self->fd = st_open();
	ASSERT_LE(0, self->fd);
	for (i = 0; i < OBJECTS; i++) {
		ASSERT_EQ(0, st_alloc_bytes(self->fd, OBJ_BYTES, &self->h[i]));
		memset(want, 'a' + i % 26, sizeof(want));
		ASSERT_EQ(0, st_write(self->fd, self->h[i], OBJ_BYTES - 64,
				      64, want));
	}
	for (i = 0; i < OBJECTS; i++)
		if (i % KEEP_EVERY)
			ASSERT_EQ(0, st_release(self->fd, self->h[i]));
	ASSERT_EQ(0, st_gc(self->fd, &cycles));
	ASSERT_EQ(0, st_stats(self->fd, &st));
	before = held(self->fd);
	TH_LOG("before: HeapSys %llu MiB, HeapReleased %llu MiB, HeapInuse %llu MiB",
	       st.heap_sys / MIB, st.heap_released / MIB, st.heap_inuse / MIB);
	ASSERT_GE(before, st.heap_inuse + 24 * MIB);

	current = cg_number(self, "memory.current");
	ASSERT_LT(0, current);
	high = current - 24 * (long long)MIB;
	snprintf(buf, sizeof(buf), "%lld", high);
	ASSERT_EQ(0, cg_set_high(self, buf));

	ASSERT_EQ(0, st_stats(self->fd, &st));
	after = held(self->fd);
	TH_LOG("memory.high %lld MiB (current was %lld): HeapSys %llu, HeapReleased %llu, held %llu -> %llu MiB; memory.current %lld MiB",
	       high >> 20, current >> 20, st.heap_sys / MIB,
	       st.heap_released / MIB, before / MIB, after / MIB,
	       cg_number(self, "memory.current") >> 20);
	EXPECT_LE(after + 16 * MIB, before);
	EXPECT_LT(0, st.heap_released);	/* granules of arenas in use */
	EXPECT_LE(st.heap_inuse, after);
	EXPECT_EQ(0, cg_set_high(self, "max"));

	/* The objects kept are whole. */
	for (i = 0; i < OBJECTS; i += KEEP_EVERY) {
		memset(want, 'a' + i % 26, sizeof(want));
		ASSERT_EQ(0, st_read(self->fd, self->h[i], OBJ_BYTES - 64,
				     64, buf));
		EXPECT_EQ(0, memcmp(buf, want, sizeof(buf))) TH_LOG("object %d", i);
	}
}

TEST_HARNESS_MAIN
