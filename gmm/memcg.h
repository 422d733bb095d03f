/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memcg.h - the memory cgroup limit a new heap starts with (memcg.c).
 */
#ifndef _GMM_MEMCG_H
#define _GMM_MEMCG_H

#include <linux/types.h>

u64 gmm_memcg_limit_bytes(void);

#endif /* _GMM_MEMCG_H */
