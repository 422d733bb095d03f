/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kunit_params.h - the settings the KUnit module reads (kunit_params.c;
 * test builds only: kernels with KUnit).
 */
#ifndef _GMM_KUNIT_PARAMS_H
#define _GMM_KUNIT_PARAMS_H

#include <linux/types.h>

bool gmm_kunit_suite_selected(const char *name);
unsigned int gmm_kunit_stress_seconds(void);

#endif /* _GMM_KUNIT_PARAMS_H */
