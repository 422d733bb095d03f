// SPDX-License-Identifier: GPL-2.0
/*
 * kunit_params.c - test-run settings that the KUnit module reads from
 * gmm.ko (test builds only).
 *
 * On Linux 6.1 a KUnit module's suites run from the module notifier while
 * the module is COMING, before the kernel has parsed that module's own
 * parameters: "insmod gmm_test.ko stress_seconds=600" would run the
 * default length.  gmm.ko is loaded first, so the knobs of a test run are
 * parameters of gmm.ko, read by the suites through the functions below:
 *
 *   kunit_suites=gmm_gc,gmm_sweep   run only these suites (the others
 *                                   skip every case); empty = all
 *   kunit_stress_seconds=600        length of the gmm_gc_stress run
 */
#include <linux/moduleparam.h>
#include <linux/string.h>

#include "internal.h"
#include "kunit_params.h"

static char *kunit_suites;
module_param(kunit_suites, charp, 0444);
MODULE_PARM_DESC(kunit_suites,
		 "test builds only: comma-separated KUnit suites to run (empty: all)");

static unsigned int kunit_stress_seconds = 20;
module_param(kunit_stress_seconds, uint, 0444);
MODULE_PARM_DESC(kunit_stress_seconds,
		 "test builds only: length of the gmm_gc_stress KUnit run in seconds");

/**
 * gmm_kunit_suite_selected() - whether a KUnit suite is to run
 * @name: the suite's name
 *
 * Return: true when kunit_suites is empty or lists @name.
 */
bool gmm_kunit_suite_selected(const char *name)
{
	const char *p = kunit_suites;
	size_t len = strlen(name);

	if (!p || !*p)
		return true;
	while (*p) {
		size_t n = strcspn(p, ",");

		if (n == len && !strncmp(p, name, len))
			return true;
		p += n;
		if (*p == ',')
			p++;
	}
	return false;
}

GMM_EXPORT_FOR_TESTING(gmm_kunit_suite_selected);

/**
 * gmm_kunit_stress_seconds() - how long the KUnit stress suite runs
 *
 * Return: module parameter kunit_stress_seconds.
 */
unsigned int gmm_kunit_stress_seconds(void)
{
	return kunit_stress_seconds;
}

GMM_EXPORT_FOR_TESTING(gmm_kunit_stress_seconds);
