// SPDX-License-Identifier: GPL-2.0
/*
 * garbage.c - gmm_fuzz's garbage for every command: random structs of
 * random sizes, with their pointers aimed at a scratch buffer, nowhere,
 * or the kernel.  Whatever the kernel makes of them, the errno is one the
 * ABI knows.
 */
#include <errno.h>
#include <string.h>

#include "fuzz.h"

static __u64 garbage_ptr(struct garbage *g)
{
	switch (below(g->z, 5)) {
	case 0:
		return 0;
	case 1:
		return st_ptr(g->unmapped);
	case 2:
		return 0xffffffff81000000ULL;
	default:
		return st_ptr(g->scratch + below(g->z, 4096));
	}
}

static __u32 garbage_count(struct garbage *g)
{
	switch (below(g->z, 4)) {
	case 0:
		return 0;
	case 1:
		return 1 + below(g->z, 8);
	case 2:
		return 1 + below(g->z, 4096);
	default:
		return (__u32)rnd(g->z);
	}
}

static __u32 garbage_elem(struct garbage *g, __u32 size)
{
	switch (below(g->z, 4)) {
	case 0:
		return size;
	case 1:
		return size + 8 * below(g->z, 4);
	case 2:
		return below(g->z, size + 1);
	default:
		return (__u32)rnd(g->z);
	}
}

static void put32(__u8 *b, size_t off, __u32 v)
{
	memcpy(b + off, &v, sizeof(v));
}

static void put64(__u8 *b, size_t off, __u64 v)
{
	memcpy(b + off, &v, sizeof(v));
}

/* Aim every buf field of the operations in the scratch area somewhere safe. */
static void sanitize_ops(struct garbage *g, __u32 count, __u32 size)
{
	__u64 i;

	if (size < sizeof(struct gmm_op))
		return;
	for (i = 0; i < count && (i + 1) * size < SCRATCH / 2; i++)
		put64(g->scratch, i * size + offsetof(struct gmm_op, buf),
		      garbage_ptr(g));
}

int garbage_one(struct garbage *g)
{
	static const size_t sizes[] = {
		sizeof(struct gmm_version), sizeof(struct gmm_params),
		sizeof(struct gmm_type_create), sizeof(struct gmm_op),
		sizeof(struct gmm_batch), sizeof(struct gmm_stats),
		sizeof(struct gmm_spans), sizeof(struct gmm_cycles), 64, 64,
	};
	static const int pct[] = { -2, -1, 0, 1, 100, 10000, 10001 };
	__u8 arg[512];
	__u32 nr = below(g->z, ARRAY_SIZE(sizes)), size, i;
	int ret;

	size = sizes[nr];
	if (chance(g->z, 10))
		size = below(g->z, sizeof(arg) + 1);
	else if (chance(g->z, 10))
		size = size + 8 < sizeof(arg) ? size + 8 : size;
	for (i = 0; i < sizeof(arg); i++)
		arg[i] = chance(g->z, 70) ? 0 : (__u8)rnd(g->z);
	if (chance(g->z, 70))
		put32(arg, 0, 0);	/* flags (op: the op code) */
	/* Fields that matter: counts, element sizes, pointers. */
	for (i = 0; i < SCRATCH / 2; i += 4096)
		memset(g->scratch + i, chance(g->z, 80) ? 0 : (__u8)rnd(g->z),
		       4096);
	switch (nr) {
	case 1:	/* params */
		put32(arg, 4, pct[below(g->z, ARRAY_SIZE(pct))]);
		break;
	case 2:	/* type_create */
		put32(arg, 4, 0);
		put32(arg, 8, chance(g->z, 50) ? 1 + below(g->z, 256) :
						  (__u32)rnd(g->z));
		put64(arg, 16, garbage_ptr(g));
		put32(arg, 24, garbage_count(g) % 70000);
		break;
	case 3:	/* op */
		put32(arg, 0, below(g->z, GMM_OP_MAX + 3));
		put32(arg, 4, 0);
		put32(arg, 8, below(g->z, 64));
		put64(arg, 16, below(g->z, 256));
		put64(arg, 24, below(g->z, 1 << 23));
		put64(arg, 32, garbage_ptr(g));
		break;
	case 4:	/* batch */
		put32(arg, 4, garbage_count(g));
		put64(arg, 8, garbage_ptr(g));
		put32(arg, 16, garbage_elem(g, sizeof(struct gmm_op)));
		sanitize_ops(g, *(__u32 *)(arg + 4), *(__u32 *)(arg + 16));
		break;
	case 5:	/* stats */
		put32(arg, 4, garbage_count(g));
		put64(arg, 8, garbage_ptr(g));
		put32(arg, 16, garbage_elem(g, sizeof(struct gmm_class_info)));
		break;
	case 6:	/* spans */
		put32(arg, 4, garbage_count(g));
		put64(arg, 8, garbage_ptr(g));
		put32(arg, 16, garbage_count(g));
		put32(arg, 20, garbage_elem(g, sizeof(struct gmm_arena_info)));
		put64(arg, 24, garbage_ptr(g));
		/* Up to a span per page of the heap: keep them in scratch. */
		put32(arg, 32, garbage_elem(g, sizeof(struct gmm_span_info)) %
			       512);
		break;
	case 7:	/* cycles */
		put32(arg, 4, garbage_count(g));
		put64(arg, 8, garbage_ptr(g));
		put32(arg, 16, garbage_elem(g, sizeof(struct gmm_cycle_info)));
		break;
	}
	ret = st_ioctl(g->fd, _IOC(chance(g->z, 95) ? _IOC_READ | _IOC_WRITE :
				    (__u32)below(g->z, 4), GMM_IOC_MAGIC, nr,
				    size), arg);
	switch (ret) {
	case 0:
		g->ok++;
		break;
	case -EINVAL:
		g->einval++;
		break;
	case -E2BIG:
		g->e2big++;
		break;
	case -EFAULT:
		g->efault++;
		break;
	case -ENOTTY:
		g->enotty++;
		break;
	case -ENOENT:
	case -ENOMEM:
	case -ENOSPC:
		g->other++;
		break;
	default:
		return failf(g->z, "garbage command nr %u size %u: errno %d",
			     nr, size, -ret);
	}
	if (nr == 1 && !ret) {
		/* Keep the scratch heap small whatever was set. */
		struct gmm_params p;

		memset(&p, 0, sizeof(p));
		p.flags = GMM_PARAMS_SET_MEMORY_LIMIT;
		p.memory_limit = GARBAGE_LIMIT;
		if (st_ioctl(g->fd, GMM_IOC_PARAMS, &p))
			return failf(g->z, "PARAMS after garbage failed");
	}
	g->z->n_ops++;
	return 0;
}
