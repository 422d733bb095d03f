// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_typecheck.c - GMM_TYPE() must refuse, at build time, a pointer map
 * it cannot get right.  Built once per case by run.sh: case 0 is a struct
 * with every kind of field GMM_TYPE() takes and must build; each other
 * case names one bad field and must fail with GMM_TYPE's message for it.
 */
#include <linux/module.h>
#include <linux/types.h>

#include <linux/gmm.h>

struct tc_good {
	void *p;
	u32 a, b;
	void *arr[3];
	struct {
		u64 x;
		void *q;
	} in;
};

struct tc_bad {
	u32 a;
	void *up;		/* offset 4: not aligned to a pointer */
	u32 pad;
	u32 small;		/* offset 16: aligned, but no pointer */
	u32 pad2;
	u64 big[GMM_TYPE_MAP_BITS];
	void *beyond;		/* past the map's GMM_TYPE_MAP_BITS words */
} __packed;

#if GMM_TYPECHECK_CASE == 0
static const struct gmm_type_desc tc_desc = GMM_TYPE(struct tc_good, p, arr, in.q);
#elif GMM_TYPECHECK_CASE == 1	/* not aligned to a pointer */
static const struct gmm_type_desc tc_desc = GMM_TYPE(struct tc_bad, up);
#elif GMM_TYPECHECK_CASE == 2	/* not a whole pointer */
static const struct gmm_type_desc tc_desc = GMM_TYPE(struct tc_bad, small);
#elif GMM_TYPECHECK_CASE == 3	/* beyond the map */
static const struct gmm_type_desc tc_desc = GMM_TYPE(struct tc_bad, beyond);
#endif

static int __init tc_init(void)
{
	return tc_desc.ptrmap ? 0 : -EINVAL;
}
module_init(tc_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("GMM_TYPE() build-time checks");
