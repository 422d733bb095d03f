// SPDX-License-Identifier: GPL-2.0
/*
 * module.c - load and unload of gmm.ko.
 *
 * gmm is the Go runtime's memory manager as a kernel module: size-classed
 * spans on a page heap, per-CPU caches, and a concurrent tri-colour
 * mark-and-sweep collector for registered object graphs.  This file only
 * brings the module-wide pieces up and down, in order: the scavenger's
 * shrinker, the CPU hotplug callback of the per-CPU caches, the collector's
 * workqueue and per-CPU mark workers, debugfs, then the /dev/gmm misc
 * device (the last thing to appear, so nobody can open the device before
 * the rest is ready), and the reverse on unload.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

#include <linux/gmm.h>
#include "cache.h"
#include "debugfs.h"
#include "dev.h"
#include "gc.h"
#include "internal.h"
#include "mutant.h"
#include "scavenge.h"

static int __init gmm_init(void)
{
	int ret;

	ret = gmm_mutant_check();
	if (ret)
		return ret;
	ret = gmm_scavenge_module_init();
	if (ret)
		return ret;
	ret = gmm_cache_module_init();
	if (ret)
		goto err_scavenge;
	ret = gmm_gc_module_init();
	if (ret)
		goto err_cache;
	gmm_debugfs_init();
	ret = gmm_dev_init();
	if (ret)
		goto err_debugfs;
	pr_info("Go-style memory manager %s loaded: /dev/gmm, ABI %d.%d\n",
		GMM_VERSION, GMM_ABI_MAJOR, GMM_ABI_MINOR);
	return 0;

err_debugfs:
	gmm_debugfs_exit();
	gmm_gc_module_exit();
err_cache:
	gmm_cache_module_exit();
err_scavenge:
	gmm_scavenge_module_exit();
	return ret;
}

static void __exit gmm_exit(void)
{
	gmm_dev_exit();
	gmm_debugfs_exit();
	gmm_gc_module_exit();
	gmm_cache_module_exit();
	gmm_scavenge_module_exit();
	pr_info("unloaded\n");
}

module_init(gmm_init);
module_exit(gmm_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Go-style garbage-collected memory manager");
MODULE_VERSION(GMM_VERSION);
