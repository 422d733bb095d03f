// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_test.c - KUnit suites for gmm.ko: the module-wide pieces.
 */
#include <kunit/test.h>
#include <linux/module.h>

#include <linux/gmm.h>
#include "dev.h"
#include "internal.h"

static void version_reports_abi(struct kunit *test)
{
	struct gmm_version v = { };

	KUNIT_ASSERT_EQ(test, gmm_ioctl_version(&v), 0);
	KUNIT_EXPECT_EQ(test, v.abi_major, GMM_ABI_MAJOR);
	KUNIT_EXPECT_EQ(test, v.abi_minor, GMM_ABI_MINOR);
	KUNIT_EXPECT_TRUE(test, v.features & GMM_FEATURE_VERSION);
	KUNIT_EXPECT_EQ(test, v.page_size, 8192);
	KUNIT_EXPECT_EQ(test, v.max_small_size, 32768);
	KUNIT_EXPECT_EQ(test, v.num_size_classes, 68);
	KUNIT_EXPECT_STREQ(test, v.module_version, GMM_VERSION);
}

static void version_rejects_flags(struct kunit *test)
{
	struct gmm_version v = { .flags = 1 };

	KUNIT_EXPECT_EQ(test, gmm_ioctl_version(&v), -EINVAL);
	v.flags = 0x80000000;
	KUNIT_EXPECT_EQ(test, gmm_ioctl_version(&v), -EINVAL);
}

static void version_clears_output(struct kunit *test)
{
	struct gmm_version v;

	memset(&v, 0xa5, sizeof(v));
	v.flags = 0;
	KUNIT_ASSERT_EQ(test, gmm_ioctl_version(&v), 0);
	/* Bytes after the string's NUL must not carry stale data out. */
	KUNIT_EXPECT_EQ(test, v.module_version[sizeof(v.module_version) - 1], 0);
}

static struct kunit_case gmm_module_cases[] = {
	KUNIT_CASE(version_reports_abi),
	KUNIT_CASE(version_rejects_flags),
	KUNIT_CASE(version_clears_output),
	{}
};

static struct kunit_suite gmm_module_suite = {
	.name = "gmm_module",
	.test_cases = gmm_module_cases,
};

kunit_test_suite(gmm_module_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for gmm");
MODULE_IMPORT_NS(GMM_KUNIT);
