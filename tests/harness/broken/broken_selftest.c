// SPDX-License-Identifier: GPL-2.0
/*
 * broken_selftest.c - a kselftest with one failing test, built only to prove
 * that the harness reports selftest failures.
 */
#include "kselftest_harness.h"

TEST(passes)
{
	EXPECT_EQ(2, 1 + 1);
}

TEST(fails)
{
	EXPECT_EQ(3, 1 + 1);
}

TEST_HARNESS_MAIN
