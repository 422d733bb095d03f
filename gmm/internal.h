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

struct dentry;
struct gmm_version;

/* module.c */
extern struct dentry *gmm_debugfs_root;

/* dev.c */
int gmm_dev_init(void);
void gmm_dev_exit(void);
int gmm_ioctl_version(struct gmm_version *v);
long gmm_copy_arg_in(void *karg, size_t ksize, size_t min_size,
		     unsigned int cmd, unsigned long arg);
long gmm_copy_arg_out(unsigned long arg, unsigned int cmd,
		      const void *karg, size_t ksize);

/* memcg.c */
u64 gmm_memcg_limit_bytes(void);

/* debugfs.c */
void gmm_debugfs_init(void);
void gmm_debugfs_exit(void);

/* mutant.c and kunit_params.c: test builds only (kernels with KUnit) */
#if IS_ENABLED(CONFIG_KUNIT)
int gmm_mutant_check(void);
bool gmm_kunit_suite_selected(const char *name);
unsigned int gmm_kunit_stress_seconds(void);
#else
static inline int gmm_mutant_check(void)
{
	return 0;
}
#endif

#endif /* _GMM_INTERNAL_H */
