// SPDX-License-Identifier: GPL-2.0
/*
 * module.c - load and unload of gmm.ko.
 *
 * gmm is the Go runtime's memory manager as a kernel module: size-classed
 * spans on a page heap, per-CPU caches, and a concurrent tri-colour
 * mark-and-sweep collector for registered object graphs.  This file only
 * brings the module-wide pieces up and down, in order: debugfs root, then
 * the /dev/gmm misc device (the last thing to appear, so nobody can open the
 * device before the rest is ready), and the reverse on unload.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

#include <linux/gmm.h>
#include "internal.h"

static int __init gmm_init(void)
{
	int ret;

	gmm_debugfs_init();
	ret = gmm_dev_init();
	if (ret) {
		gmm_debugfs_exit();
		return ret;
	}
	pr_info("Go-style memory manager %s loaded: /dev/gmm, ABI %d.%d\n",
		GMM_VERSION, GMM_ABI_MAJOR, GMM_ABI_MINOR);
	return 0;
}

static void __exit gmm_exit(void)
{
	gmm_dev_exit();
	gmm_debugfs_exit();
	pr_info("unloaded\n");
}

module_init(gmm_init);
module_exit(gmm_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Go-style garbage-collected memory manager");
MODULE_VERSION(GMM_VERSION);
