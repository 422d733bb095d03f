// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_perm_test.c - who may use /dev/gmm and when the module may go.
 *
 *  - at the default mode 0600 a user other than root cannot open the node
 *    (-EACCES), but a file root opened keeps working in a process that
 *    dropped its privileges (the check is at open);
 *  - while a file of /dev/gmm is open, delete_module("gmm", O_NONBLOCK)
 *    fails (-EBUSY or -EWOULDBLOCK) and the module keeps working.  The
 *    unload after the last close is not tested here: the guest script
 *    unloads the module at the end of the run and checks that.
 *
 * Needs gmm.ko loaded and root; skips otherwise.
 */
#include <grp.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "gmm_util.h"

#define NOBODY	65534

/* Every test here needs the device and root: skip otherwise. */
FIXTURE(root) {
	int unused;
};

FIXTURE_SETUP(root)
{
	if (access(ST_DEV, F_OK))
		SKIP(_exit(255), ST_DEV " missing: load gmm.ko first");
	if (geteuid() != 0)
		SKIP(_exit(255), "needs root (euid %u)", geteuid());
}

FIXTURE_TEARDOWN(root)
{
}

/* In a child: become nobody for good. */
static int drop_privileges(void)
{
	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
		return -errno;
	return geteuid() == NOBODY && getegid() == NOBODY ? 0 : -EPERM;
}

/* Run @fn in a child as nobody; returns its exit status or -1. */
static int as_nobody(int (*fn)(void *), void *arg)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (drop_privileges())
			_exit(100);
		_exit(fn(arg));
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Exit codes: 0 = refused with EACCES, 1 = opened, 2 = another errno. */
static int try_open(void *arg)
{
	int fd = open(ST_DEV, *(int *)arg | O_CLOEXEC);

	if (fd >= 0)
		return 1;
	return errno == EACCES ? 0 : 2;
}

TEST_F(root, nobody_cannot_open_read_write)
{
	int flags = O_RDWR;

	EXPECT_EQ(0, as_nobody(try_open, &flags));
}

TEST_F(root, nobody_cannot_open_read_only)
{
	int flags = O_RDONLY;

	EXPECT_EQ(0, as_nobody(try_open, &flags));
}

TEST_F(root, nobody_cannot_open_write_only)
{
	int flags = O_WRONLY;

	EXPECT_EQ(0, as_nobody(try_open, &flags));
}

TEST_F(root, node_is_root_only)
{
	struct stat st;

	ASSERT_EQ(0, stat(ST_DEV, &st));
	EXPECT_EQ(0600, st.st_mode & 0777);
	EXPECT_EQ(0U, st.st_uid);
}

/* Exit codes: 0 = the inherited file works, else the step that failed. */
static int use_inherited(void *arg)
{
	int fd = *(int *)arg;
	__u64 v = 0x1234, back = 0;
	__u32 h;

	if (st_alloc_bytes(fd, 64, &h))
		return 1;
	if (st_write(fd, h, 0, 8, &v) || st_read(fd, h, 0, 8, &back))
		return 2;
	if (back != v)
		return 3;
	if (st_gc(fd, NULL))
		return 4;
	return 0;
}

/* Permission is checked at open: root's file keeps working as nobody. */
TEST_F(root, inherited_file_works_after_dropping_privileges)
{
	struct gmm_stats st;
	int fd;

	fd = st_open();
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, as_nobody(use_inherited, &fd));
	/* The child's object is in the parent's heap. */
	ASSERT_EQ(0, st_stats(fd, &st));
	EXPECT_EQ(1ULL, st.handles);
	close(fd);
}

/* Module unload */

static int delete_gmm(void)
{
	return syscall(__NR_delete_module, "gmm", O_NONBLOCK) ? -errno : 0;
}

static bool unload_refused(int ret)
{
	return ret == -EBUSY || ret == -EWOULDBLOCK;
}

TEST_F(root, unload_refused_while_open)
{
	struct gmm_version v;
	int fd, ret;

	fd = st_open();
	ASSERT_LE(0, fd);
	ret = delete_gmm();
	EXPECT_TRUE(unload_refused(ret))
		TH_LOG("delete_module: %s", strerror(-ret));
	ASSERT_NE(0, ret) TH_LOG("gmm was unloaded under an open file");
	/* Still there and working. */
	EXPECT_EQ(0, access(ST_DEV, F_OK));
	memset(&v, 0, sizeof(v));
	EXPECT_EQ(0, st_ioctl(fd, GMM_IOC_VERSION, &v));
	EXPECT_EQ(0, use_inherited(&fd));
	close(fd);
}

TEST_F(root, unload_refused_while_heap_busy)
{
	__u32 h;
	int fd, ret, i;

	fd = st_open();
	ASSERT_LE(0, fd);
	for (i = 0; i < 100; i++)
		ASSERT_EQ(0, st_alloc_bytes(fd, 100000, &h));
	ASSERT_EQ(0, st_gc(fd, NULL));
	ret = delete_gmm();
	EXPECT_TRUE(unload_refused(ret))
		TH_LOG("delete_module: %s", strerror(-ret));
	ASSERT_NE(0, ret);
	EXPECT_EQ(0, st_gc(fd, NULL));
	close(fd);
}

/* The file is held only by a child process now. */
TEST_F(root, unload_refused_while_child_holds_file)
{
	int fd, ret, pfd[2], status;
	char c = 0;
	pid_t pid;

	fd = st_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pipe(pfd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(pfd[1]);
		/* Hold fd until the parent says so. */
		if (read(pfd[0], &c, 1) != 1)
			_exit(1);
		_exit(use_inherited(&fd));
	}
	close(pfd[0]);
	close(fd);
	ret = delete_gmm();
	EXPECT_TRUE(unload_refused(ret))
		TH_LOG("delete_module: %s", strerror(-ret));
	ASSERT_EQ(1, write(pfd[1], &c, 1));
	close(pfd[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* Exit codes: 0 = refused with EPERM, 1 = unloaded, 2 = another errno. */
static int try_unload(void *arg)
{
	int ret = delete_gmm();

	(void)arg;
	return ret == -EPERM ? 0 : ret ? 2 : 1;
}

TEST_F(root, nobody_cannot_unload)
{
	EXPECT_EQ(0, as_nobody(try_unload, NULL));
	EXPECT_EQ(0, access(ST_DEV, F_OK));
}

TEST_HARNESS_MAIN
