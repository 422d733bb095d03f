// SPDX-License-Identifier: GPL-2.0
/*
 * mutant.c - the "mutant" module parameter of test builds (see mutant.h).
 *
 * Built only where the kernel has KUnit.  The parameter is read-only after
 * load: a mutant is chosen for the whole life of the module, so that no
 * heap ever mixes a correct and a broken collector.  The load line names
 * the mutant so that a console log says which bug it shows.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>

#include "internal.h"
#include "mutant.h"

unsigned int gmm_mutant;
module_param_named(mutant, gmm_mutant, uint, 0444);
MODULE_PARM_DESC(mutant,
		 "test builds only: deliberate collector bug to run (make mutate; 0 = none)");

static const char * const gmm_mutant_names[GMM_MUT_NR] = {
	[GMM_MUT_NONE]			= "none",
	[GMM_MUT_TINY_RESET]		= "tiny_reset",
	[GMM_MUT_ALLOC_WHITE]		= "alloc_white",
	[GMM_MUT_DELETION_SHADE]	= "deletion_shade",
	[GMM_MUT_INSERTION_SHADE]	= "insertion_shade",
	[GMM_MUT_HANDLE_BARRIER]	= "handle_barrier",
	[GMM_MUT_FINAL_DRAIN]		= "final_drain",
	[GMM_MUT_CACHE_FLUSH]		= "cache_flush",
	[GMM_MUT_SWEEPGEN_STEP1]	= "sweepgen_step1",
	[GMM_MUT_SCOPES_UNSCANNED]	= "scopes_unscanned",
	[GMM_MUT_LARGE_UNSCANNED]	= "large_unscanned",
	[GMM_MUT_SWEEP_FREES_MARKED]	= "sweep_frees_marked",
	[GMM_MUT_SLOTS_UNSCANNED]	= "slots_unscanned",
	[GMM_MUT_ARRAY_FIRST_ONLY]	= "array_first_only",
	[GMM_MUT_CLAIM_EARLY]		= "claim_early",
	[GMM_MUT_SCAV_PARTIAL]		= "scav_partial",
	[GMM_MUT_SUM_STALE]		= "sum_stale",
	[GMM_MUT_WEAK_UNSHADED]		= "weak_unshaded",
	[GMM_MUT_CLEANUP_LIVE]		= "cleanup_live",
	[GMM_MUT_POISON_UNCHECKED]	= "poison_unchecked",
	[GMM_MUT_KMEMLEAK_UNSEEN]	= "kmemleak_unseen",
	[GMM_MUT_TEMPS_UNROOTED]	= "temps_unrooted",
};

/**
 * gmm_mutant_check() - validate and announce the mutant at module load
 *
 * Return: 0, or -EINVAL for a number outside the catalogue.
 */
int gmm_mutant_check(void)
{
	if (gmm_mutant >= GMM_MUT_NR) {
		pr_err("mutant=%u: no such mutant (1..%u)\n", gmm_mutant,
		       GMM_MUT_NR - 1);
		return -EINVAL;
	}
	if (gmm_mutant)
		pr_warn("MUTANT %u (%s): a deliberate collector bug is compiled in for make mutate\n",
			gmm_mutant, gmm_mutant_names[gmm_mutant]);
	return 0;
}
