// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs.c - /sys/kernel/debug/gmm/.
 *
 * The module-wide directory holds "info" (module version, ABI and the
 * numbers user space needs to interpret the rest).  Per-heap directories
 * are added below it by the heap code.  debugfs may be absent or locked
 * down; gmm works without it and every number here is also reachable
 * through ioctls.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include <linux/gmm.h>
#include "internal.h"

struct dentry *gmm_debugfs_root;

static int info_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "version: %s\n", GMM_VERSION);
	seq_printf(m, "abi: %d.%d\n", GMM_ABI_MAJOR, GMM_ABI_MINOR);
	seq_printf(m, "page_size: %d\n", GMM_PAGE_SIZE);
	seq_printf(m, "max_small_size: %d\n", GMM_MAX_SMALL_SIZE);
	seq_printf(m, "size_classes: %d\n", GMM_NUM_SIZE_CLASSES);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(info);

void gmm_debugfs_init(void)
{
	gmm_debugfs_root = debugfs_create_dir("gmm", NULL);
	debugfs_create_file("info", 0444, gmm_debugfs_root, NULL, &info_fops);
}

void gmm_debugfs_exit(void)
{
	debugfs_remove_recursive(gmm_debugfs_root);
	gmm_debugfs_root = NULL;
}
