/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gmm - a Go-style garbage-collected memory manager in the kernel.
 *
 * In-kernel API.  See Documentation/kernel-api.rst.
 */
#ifndef _LINUX_GMM_H
#define _LINUX_GMM_H

#include <linux/types.h>
#include <uapi/linux/gmm.h>

/* A runtime page: the unit spans are made of (Go's _PageShift = 13). */
#define GMM_PAGE_SHIFT		13
#define GMM_PAGE_SIZE		(1 << GMM_PAGE_SHIFT)
/* Objects up to this size come from size classes; larger ones get a span. */
#define GMM_MAX_SMALL_SIZE	32768
/* Size classes including class 0 (large objects). */
#define GMM_NUM_SIZE_CLASSES	68

#endif /* _LINUX_GMM_H */
