/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mutant.h - deliberate collector bugs for the mutation run (make mutate).
 *
 * Each GMM_MUT_* names one small bug at one site of the allocator or the
 * collector: a barrier half left out, a phase step skipped, a sweeper that
 * frees too much.  A site reads
 *
 *	if (!GMM_MUTANT(GMM_MUT_FINAL_DRAIN))
 *		while (gmm_mark_drain(h, LONG_MAX, 0))
 *			;
 *
 * In a kernel without KUnit - every kernel gmm is meant to run on -
 * GMM_MUTANT() is the constant false and the compiler removes the test.
 * Where the kernel has KUnit (the project's debug kernel), gmm.ko has a
 * read-only module parameter "mutant" (0 = none); tools/vm/mutate.sh loads
 * the module once per mutant and runs the test suites that should kill it
 * (Documentation/testing.rst, "Mutation run").  Mutant numbers are part of
 * the catalogue below and never reused.
 */
#ifndef _GMM_MUTANT_H
#define _GMM_MUTANT_H

#include <linux/compiler.h>
#include <linux/kconfig.h>

enum gmm_mutant {
	GMM_MUT_NONE = 0,
	GMM_MUT_TINY_RESET,		/* STW 1 keeps the per-CPU tiny blocks */
	GMM_MUT_ALLOC_WHITE,		/* no allocate-black while marking */
	GMM_MUT_DELETION_SHADE,		/* store barrier: old value not shaded */
	GMM_MUT_INSERTION_SHADE,	/* store barrier: new value not shaded */
	GMM_MUT_HANDLE_BARRIER,		/* handle get/put shade nothing */
	GMM_MUT_FINAL_DRAIN,		/* mark termination does not drain */
	GMM_MUT_CACHE_FLUSH,		/* caches not flushed before the bump */
	GMM_MUT_SWEEPGEN_STEP1,		/* sweepgen += 1 instead of 2 */
	GMM_MUT_SCOPES_UNSCANNED,	/* scope locals are not roots */
	GMM_MUT_LARGE_UNSCANNED,	/* large objects' pointers not scanned */
	GMM_MUT_SWEEP_FREES_MARKED,	/* sweeper frees one marked slot a span */
	GMM_MUT_SLOTS_UNSCANNED,	/* root slots are not roots */
	GMM_MUT_ARRAY_FIRST_ONLY,	/* only an array's first element scanned */
	GMM_MUT_CLAIM_EARLY,		/* end of mark claimed with grey objects left */
	GMM_MUT_SCAV_PARTIAL,		/* a granule counts as free by its first page */
	GMM_MUT_SUM_STALE,		/* freeing pages leaves the summary as it was */
	GMM_MUT_WEAK_UNSHADED,		/* a weak handle's load shades nothing */
	GMM_MUT_CLEANUP_LIVE,		/* cleanups of marked objects come due */
	GMM_MUT_POISON_UNCHECKED,	/* poisoned slots handed out unchecked */
	GMM_MUT_KMEMLEAK_UNSEEN,	/* spans not registered with kmemleak */
	GMM_MUT_TEMPS_UNROOTED,		/* a batch's temporaries are not roots */
	GMM_MUT_NR
};

#if IS_ENABLED(CONFIG_KUNIT)
extern unsigned int gmm_mutant;
#define GMM_MUTANT(n)	unlikely(READ_ONCE(gmm_mutant) == (n))
#else
#define GMM_MUTANT(n)	false
#endif

/* mutant.c: test builds only (kernels with KUnit) */
#if IS_ENABLED(CONFIG_KUNIT)
int gmm_mutant_check(void);
#else
static inline int gmm_mutant_check(void)
{
	return 0;
}
#endif

#endif /* _GMM_MUTANT_H */
