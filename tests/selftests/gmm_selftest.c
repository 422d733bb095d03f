// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_selftest.c - kselftests of the /dev/gmm ABI, built on the kernel's own
 * kselftest_harness.h (from linux-source; not copied here).
 *
 * Needs gmm.ko loaded.  Skips (exit code 4 per test) when /dev/gmm is
 * missing.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/gmm.h>

#include "kselftest_harness.h"

FIXTURE(dev) {
	int fd;
};

FIXTURE_SETUP(dev)
{
	self->fd = open("/dev/gmm", O_RDWR | O_CLOEXEC);
	if (self->fd < 0 && errno == ENOENT)
		SKIP(return, "/dev/gmm missing: load gmm.ko first");
	ASSERT_LE(0, self->fd) TH_LOG("open /dev/gmm: %s", strerror(errno));
}

FIXTURE_TEARDOWN(dev)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(dev, version)
{
	struct gmm_version v;

	memset(&v, 0, sizeof(v));
	ASSERT_EQ(0, ioctl(self->fd, GMM_IOC_VERSION, &v));
	EXPECT_EQ((__u32)GMM_ABI_MAJOR, v.abi_major);
	EXPECT_EQ((__u32)GMM_ABI_MINOR, v.abi_minor);
	EXPECT_TRUE(v.features & GMM_FEATURE_VERSION);
	EXPECT_EQ(8192U, v.page_size);
	EXPECT_EQ(32768U, v.max_small_size);
	EXPECT_EQ(68U, v.num_size_classes);
	EXPECT_EQ(0, v.module_version[sizeof(v.module_version) - 1]);
	EXPECT_LT(0U, strlen(v.module_version));
}

TEST_F(dev, version_rejects_flags)
{
	struct gmm_version v;

	memset(&v, 0, sizeof(v));
	v.flags = 1;
	EXPECT_EQ(-1, ioctl(self->fd, GMM_IOC_VERSION, &v));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(dev, version_bad_pointer)
{
	EXPECT_EQ(-1, ioctl(self->fd, GMM_IOC_VERSION, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->fd, GMM_IOC_VERSION, (void *)8));
	EXPECT_EQ(EFAULT, errno);
}

/* A struct from a newer ABI: longer, with zeroes in the part we don't know. */
struct gmm_version_next {
	struct gmm_version v;
	__u64 future[2];
};

TEST_F(dev, version_longer_struct)
{
	struct gmm_version_next n;
	unsigned int cmd = _IOWR(GMM_IOC_MAGIC, 0x00, struct gmm_version_next);

	memset(&n, 0, sizeof(n));
	ASSERT_EQ(0, ioctl(self->fd, cmd, &n));
	EXPECT_EQ((__u32)GMM_ABI_MAJOR, n.v.abi_major);
	EXPECT_EQ(0ULL, n.future[0]);

	memset(&n, 0, sizeof(n));
	n.future[1] = 1;
	EXPECT_EQ(-1, ioctl(self->fd, cmd, &n));
	EXPECT_EQ(E2BIG, errno);
}

TEST_F(dev, version_short_struct)
{
	struct { __u32 flags; } s = { 0 };
	unsigned int cmd = _IOWR(GMM_IOC_MAGIC, 0x00, s);

	EXPECT_EQ(-1, ioctl(self->fd, cmd, &s));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(dev, unknown_commands)
{
	char buf[64] = { 0 };

	EXPECT_EQ(-1, ioctl(self->fd, _IOWR(GMM_IOC_MAGIC, 0x7f, buf), buf));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->fd, _IOWR('x', 0x00, struct gmm_version), buf));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->fd, _IOR(GMM_IOC_MAGIC, 0x00, struct gmm_version), buf));
	EXPECT_EQ(ENOTTY, errno);
}

TEST_F(dev, not_seekable)
{
	EXPECT_EQ(-1, lseek(self->fd, 0, SEEK_SET));
	EXPECT_EQ(ESPIPE, errno);
}

TEST_HARNESS_MAIN
