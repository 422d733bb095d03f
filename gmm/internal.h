/* SPDX-License-Identifier: GPL-2.0 */
/*
 * internal.h - declarations shared between the files of gmm.ko.
 *
 * Nothing here is API: the in-kernel API is include/linux/gmm.h and the
 * user-space ABI is include/uapi/linux/gmm.h.  Functions that only the KUnit
 * module (tests/kunit) needs are exported with GMM_EXPORT_FOR_TESTING() into
 * the GMM_KUNIT symbol namespace, and only when the kernel has KUnit.
 */
#ifndef _GMM_INTERNAL_H
#define _GMM_INTERNAL_H

#include <linux/types.h>
#include <linux/module.h>

#define GMM_VERSION "0.1.0"

#if IS_ENABLED(CONFIG_KUNIT)
#define GMM_EXPORT_FOR_TESTING(sym) EXPORT_SYMBOL_NS_GPL(sym, GMM_KUNIT)
#else
#define GMM_EXPORT_FOR_TESTING(sym)
#endif

#endif /* _GMM_INTERNAL_H */
