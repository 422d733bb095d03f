// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_broken_test.c - a KUnit suite with one failing case, built only to
 * prove that the harness reports KUnit failures.
 */
#include <kunit/test.h>
#include <linux/module.h>

static void passes(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 1 + 1, 2);
}

static void fails(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 1 + 1, 3);
}

static struct kunit_case gmm_broken_cases[] = {
	KUNIT_CASE(passes),
	KUNIT_CASE(fails),
	{}
};

static struct kunit_suite gmm_broken_suite = {
	.name = "gmm_broken",
	.test_cases = gmm_broken_cases,
};

kunit_test_suite(gmm_broken_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("deliberately failing KUnit suite for gmm's harness self-tests");
