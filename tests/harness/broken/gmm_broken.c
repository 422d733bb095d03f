// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_broken.c - a deliberately broken module, built only to prove that the
 * test harness (tools/vm/check.sh, scan-log.py) fails when it should.
 * Never part of gmm.ko.
 *
 * mode=warning  WARN_ON() at load
 * mode=leak     leak a kmalloc() allocation for kmemleak to find
 * mode=hang     never finish loading (the VM must hit its timeout)
 * mode=crash    BUG() at load (the VM must die and be reported)
 */
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

static char *mode = "none";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "warning|leak|hang|crash|none");

static void *leaked;

static int __init gmm_broken_init(void)
{
	if (!strcmp(mode, "warning")) {
		WARN_ON(1);
	} else if (!strcmp(mode, "leak")) {
		leaked = kmalloc(128, GFP_KERNEL);
		/* Forget it: only kmemleak can tell it is gone. */
		leaked = NULL;
	} else if (!strcmp(mode, "hang")) {
		for (;;)
			msleep(1000);
	} else if (!strcmp(mode, "crash")) {
		BUG();
	}
	return 0;
}

static void __exit gmm_broken_exit(void)
{
}

module_init(gmm_broken_init);
module_exit(gmm_broken_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("deliberately broken module for gmm's harness self-tests");
