// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_limits_test.c - what bounds the kernel resources one user of
 * /dev/gmm can take: heaps per user (max_heaps_per_user), the kernel
 * memory each heap costs (and that it costs no thread: the collector's
 * threads are per CPU, not per heap), and a memory cgroup that runs full.
 *
 * Needs root (it changes module parameters, the device node's mode and
 * makes a cgroup); every change is undone in the teardown.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <grp.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "gmm_util.h"
#include "st_cgroup.h"

#define NOBODY		65534
#define PARAM_HEAPS	"/sys/module/gmm/parameters/max_heaps_per_user"
#define PARAM_TOTAL	"/sys/module/gmm/parameters/max_total_mb"
#define CAP		8
/* Documented (admin-guide.rst) bound on one idle heap's kernel memory. */
#define HEAP_COST_KB	1024
#define CG_MAX_MB	48

#define PF_KTHREAD	0x00200000	/* include/linux/sched.h */

/*
 * Kernel threads: all of them (@all), or only those gmm names (gmm_mark/N,
 * gmm_idlemark/N, the gmm_gc workqueue's rescuer; gmm_gc/<heap> before the
 * shared mark workers).
 */
static int kthreads(bool all)
{
	char path[300], buf[512], *p;
	unsigned long flags;
	struct dirent *d;
	DIR *dir = opendir("/proc");
	int n = 0;

	if (!dir)
		return -1;
	while ((d = readdir(dir))) {
		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", d->d_name);
		if (st_read_text(path, buf, sizeof(buf)))
			continue;
		/* pid (comm) state ppid pgrp session tty tpgid flags */
		p = strrchr(buf, ')');
		if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %lu",
				 &flags) != 1 || !(flags & PF_KTHREAD))
			continue;
		p = strchr(buf, '(');
		if (all || (p && !strncmp(p + 1, "gmm", 3)))
			n++;
	}
	closedir(dir);
	return n;
}

/* Kernel memory in kB: slab, kernel stacks, per-CPU, page tables. */
static long kernel_kb(void)
{
	static const char * const keys[] = {
		"Slab:", "KernelStack:", "Percpu:", "PageTables:",
	};
	char buf[8192], *p;
	long sum = 0;
	unsigned int i;

	if (st_read_text("/proc/meminfo", buf, sizeof(buf)))
		return -1;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		p = strstr(buf, keys[i]);
		if (p)
			sum += strtol(p + strlen(keys[i]), NULL, 10);
	}
	return sum;
}

FIXTURE(limits) {
	char saved_cap[32];
	char saved_total[32];
	mode_t saved_mode;
	char cgroup[64];
	bool mounted;
};

FIXTURE_SETUP(limits)
{
	struct stat st;

	if (access(ST_DEV, F_OK))
		SKIP(_exit(255), ST_DEV " missing: load gmm.ko first");
	if (geteuid() != 0)
		SKIP(_exit(255), "needs root (euid %u)", geteuid());
	ASSERT_EQ(0, st_read_text(PARAM_HEAPS, self->saved_cap,
			       sizeof(self->saved_cap)));
	ASSERT_EQ(0, st_read_text(PARAM_TOTAL, self->saved_total,
			       sizeof(self->saved_total)));
	ASSERT_EQ(0, stat(ST_DEV, &st));
	self->saved_mode = st.st_mode & 07777;
}

FIXTURE_TEARDOWN(limits)
{
	st_write_text(PARAM_HEAPS, self->saved_cap);
	st_write_text(PARAM_TOTAL, self->saved_total);
	chmod(ST_DEV, self->saved_mode);
	if (self->cgroup[0])
		rmdir(self->cgroup);
	if (self->mounted)
		umount(ST_CG_ROOT);
}

/*
 * A child as nobody opens /dev/gmm until refused, reports how many it got
 * and the errno on @res, waits for a byte on @go, then exits (closing
 * them all).
 */
static void opener(int res, int go)
{
	int n = 0, err = 0, fds[CAP * 2];
	char c;

	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
		_exit(100);
	while (n < CAP * 2) {
		fds[n] = st_open();
		if (fds[n] < 0) {
			err = errno;
			break;
		}
		n++;
	}
	if (write(res, &n, sizeof(n)) != sizeof(n) ||
	    write(res, &err, sizeof(err)) != sizeof(err))
		_exit(101);
	if (read(go, &c, 1) != 1)
		_exit(102);
	_exit(0);
}

/*
 * A user without CAP_SYS_RESOURCE gets max_heaps_per_user heaps, then
 * EMFILE; each heap costs a bounded amount of kernel memory and no kernel
 * thread, and all of it goes when the files are closed.
 */
TEST_F(limits, heaps_per_user_capped)
{
	int res[2], go[2], n = -1, err = -1, status, t0, t1, t2;
	long k0, k1;
	char cap[16];
	pid_t pid;

	snprintf(cap, sizeof(cap), "%d", CAP);
	ASSERT_EQ(0, st_write_text(PARAM_HEAPS, cap));
	ASSERT_EQ(0, chmod(ST_DEV, 0666));
	ASSERT_EQ(0, pipe(res));
	ASSERT_EQ(0, pipe(go));
	t0 = kthreads(false);
	k0 = kernel_kb();
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		opener(res[1], go[0]);
	ASSERT_EQ(sizeof(n), read(res[0], &n, sizeof(n)));
	ASSERT_EQ(sizeof(err), read(res[0], &err, sizeof(err)));
	t1 = kthreads(false);
	k1 = kernel_kb();
	ASSERT_EQ(1, write(go[1], "x", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	t2 = kthreads(false);
	TH_LOG("%d heaps, then errno %d; gmm threads %d -> %d -> %d; kernel memory +%ld kB (%ld kB a heap)",
	       n, err, t0, t1, t2, k1 - k0, n > 0 ? (k1 - k0) / n : 0);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_EQ(CAP, n);
	EXPECT_EQ(EMFILE, err);
	EXPECT_LT(0, t0);	/* the mark workers */
	EXPECT_EQ(t0, t1);
	EXPECT_EQ(t0, t2);
	EXPECT_GE(HEAP_COST_KB * CAP, k1 - k0);
}

#define MANY		100

/*
 * Many heaps, each allocating a little and collecting: gmm adds no thread
 * (its threads are per CPU), and the kernel's shared workqueue threads
 * that run the cycles do not grow with the heaps either.
 */
TEST_F(limits, heaps_cost_no_threads)
{
	int fds[MANY], i, g0, a0, g1, a1, g2;
	__u32 h;

	g0 = kthreads(false);
	a0 = kthreads(true);
	for (i = 0; i < MANY; i++) {
		fds[i] = st_open();
		ASSERT_LE(0, fds[i]);
	}
	for (i = 0; i < MANY; i++) {
		ASSERT_EQ(0, st_alloc_bytes(fds[i], 4096, &h));
		ASSERT_EQ(0, st_gc(fds[i], NULL));
	}
	g1 = kthreads(false);
	a1 = kthreads(true);
	for (i = 0; i < MANY; i++)
		close(fds[i]);
	g2 = kthreads(false);
	TH_LOG("%d heaps: gmm threads %d -> %d -> %d, kernel threads %d -> %d",
	       MANY, g0, g1, g2, a0, a1);
	EXPECT_EQ(g0, g1);
	EXPECT_EQ(g0, g2);
	EXPECT_GT(a0 + MANY / 4, a1);
}

#define ARENA_MB	4	/* an arena on x86-64: one max-order block */
#define TOTAL_MB	64

/*
 * Each heap keeps one idle arena after its garbage is collected.  With
 * more heaps than the module-wide limit has arenas for, a new arena must
 * come from the idle ones other heaps keep, not fail: the limit counts
 * what is held, and idle arenas are only a cushion.
 */
TEST_F(limits, idle_arenas_make_room)
{
	int fds[TOTAL_MB / ARENA_MB * 2], i, n = sizeof(fds) / sizeof(fds[0]);
	char total[16];
	__u32 h;

	snprintf(total, sizeof(total), "%d", TOTAL_MB);
	ASSERT_EQ(0, st_write_text(PARAM_TOTAL, total));
	for (i = 0; i < n; i++) {
		fds[i] = st_open();
		ASSERT_LE(0, fds[i]);
		ASSERT_EQ(0, st_alloc_bytes(fds[i], 4096, &h)) TH_LOG("heap %d of %d", i + 1, n);
		ASSERT_EQ(0, st_release(fds[i], h));
		ASSERT_EQ(0, st_gc(fds[i], NULL));	/* arena now idle */
	}
	for (i = 0; i < n; i++)
		close(fds[i]);
}

/* Root (CAP_SYS_RESOURCE) is not held to the cap. */
TEST_F(limits, cap_sys_resource_exempt)
{
	int fds[CAP + 2], i, opened = 0;
	char cap[16];

	snprintf(cap, sizeof(cap), "%d", CAP);
	ASSERT_EQ(0, st_write_text(PARAM_HEAPS, cap));
	for (i = 0; i < CAP + 2; i++) {
		fds[i] = st_open();
		if (fds[i] >= 0)
			opened++;
	}
	for (i = 0; i < CAP + 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	EXPECT_EQ(CAP + 2, opened);
}

/* A child memory cgroup with memory.max = CG_MAX_MB. */
static int make_cgroup(FIXTURE_DATA(limits) *self)
{
	char path[128], max[16];
	int ret;

	snprintf(self->cgroup, sizeof(self->cgroup), ST_CG_ROOT "/gmm-limits-%d",
		 getpid());
	ret = st_make_cgroup(self->cgroup, &self->mounted);
	if (ret) {
		self->cgroup[0] = 0;
		return ret;
	}
	snprintf(path, sizeof(path), "%s/memory.max", self->cgroup);
	snprintf(max, sizeof(max), "%dM", CG_MAX_MB);
	return st_write_text(path, max);
}

/*
 * In the cgroup: the heap's limit is the cgroup's memory.max; with a
 * larger limit set explicitly, allocating 1 MiB objects ends in ENOMEM
 * from GMM_OP_ALLOC, not in the cgroup's OOM killer.  Exit codes: 0 ok,
 * 10 + what went wrong otherwise.
 */
static int fill_cgroup(const char *cgroup)
{
	struct gmm_params p;
	int fd, ret, n = 0;

	if (st_join_cgroup(cgroup))
		return 10;
	fd = st_open();
	if (fd < 0)
		return 11;
	memset(&p, 0, sizeof(p));
	if (st_ioctl(fd, GMM_IOC_PARAMS, &p))
		return 12;
	if (p.memory_limit != (__u64)CG_MAX_MB << 20)
		return 13;
	memset(&p, 0, sizeof(p));
	p.flags = GMM_PARAMS_SET_MEMORY_LIMIT;
	p.memory_limit = 1ULL << 30;
	if (st_ioctl(fd, GMM_IOC_PARAMS, &p))
		return 14;
	do {
		ret = st_do(fd, GMM_OP_ALLOC, 0, 0, 0, 1 << 20, NULL, NULL);
		n++;
	} while (!ret && n < 1024);
	if (ret != -ENOMEM)
		return 15;
	return n >= CG_MAX_MB / 4 ? 0 : 16;
}

TEST_F(limits, memcg_full_is_enomem_not_oom_kill)
{
	char path[128], events[512], *p;
	int status, ret;
	pid_t pid;

	ret = make_cgroup(self);
	if (ret)
		SKIP(return, "no memory cgroup: %s", strerror(-ret));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(fill_cgroup(self->cgroup));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_FALSE(WIFSIGNALED(status)) TH_LOG("killed by signal %d",
						 WTERMSIG(status));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("exit code %d", WEXITSTATUS(status));
	snprintf(path, sizeof(path), "%s/memory.events", self->cgroup);
	ASSERT_EQ(0, st_read_text(path, events, sizeof(events)));
	p = strstr(events, "oom_kill ");
	ASSERT_NE(NULL, p);
	EXPECT_EQ(0, atoi(p + 9));
}

/*
 * Memory limits near 2^64 (any u64 is valid): the goal and the trigger
 * stay the 4 MiB minimum heap of an empty heap, never a wrapped product
 * (194176253407468965 * 95 once wrapped to a goal of 0, and the heap
 * collected without pause).  No fixture: any user may do this.
 */
TEST(huge_memory_limits_keep_the_goal)
{
	static const __u64 limits[] = {
		194176253407468965ULL, UINT64_MAX / 95 + 1, 1ULL << 63,
		UINT64_MAX,
	};
	struct gmm_params p;
	struct gmm_stats st;
	unsigned int i;
	int fd = st_open();

	if (fd < 0 && errno == ENOENT)
		SKIP(return, ST_DEV " missing: load gmm.ko first");
	ASSERT_LE(0, fd);
	for (i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		memset(&p, 0, sizeof(p));
		p.flags = GMM_PARAMS_SET_MEMORY_LIMIT;
		p.memory_limit = limits[i];
		ASSERT_EQ(0, st_ioctl(fd, GMM_IOC_PARAMS, &p));
		ASSERT_EQ(0, st_stats(fd, &st));
		EXPECT_EQ(4ULL << 20, st.next_gc) TH_LOG("limit %llu",
							(unsigned long long)limits[i]);
		EXPECT_LE((4ULL << 20) * 4 / 10, st.trigger);
	}
	close(fd);
}

TEST_HARNESS_MAIN
