/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * gmm - a Go-style garbage-collected memory manager in the kernel.
 *
 * User-space ABI of /dev/gmm.  Every open file of /dev/gmm owns one private
 * heap.  Objects are named by handles (small integers in a per-file table),
 * never by kernel addresses.
 *
 * Rules every command follows (see Documentation/userspace-api.rst):
 *  - one ioctl magic (GMM_IOC_MAGIC), _IOWR commands, __u32/__u64 fields only,
 *    explicit padding;
 *  - flags bits the kernel does not know and non-zero reserved or padding
 *    fields are rejected with -EINVAL; unknown commands get -ENOTTY;
 *  - structs may grow at their end.  The kernel takes the caller's struct
 *    size from the command number (_IOC_SIZE): a shorter struct than the
 *    first published version is -EINVAL, a longer one is accepted when the
 *    bytes the kernel does not know are zero (-E2BIG otherwise), and only
 *    min(caller size, kernel size) bytes are copied back.
 */
#ifndef _UAPI_LINUX_GMM_H
#define _UAPI_LINUX_GMM_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define GMM_IOC_MAGIC		0xB8

/* ABI version reported by GMM_IOC_VERSION. */
#define GMM_ABI_MAJOR		1
#define GMM_ABI_MINOR		0

/* Feature bits reported in gmm_version.features. */
#define GMM_FEATURE_VERSION	(1ULL << 0)	/* GMM_IOC_VERSION */

/**
 * struct gmm_version - argument of GMM_IOC_VERSION
 * @flags:	in: must be 0
 * @abi_major:	out: incompatible ABI changes bump this
 * @abi_minor:	out: compatible additions bump this
 * @features:	out: GMM_FEATURE_* bits this module implements
 * @page_size:	out: size of a runtime page in bytes (8192)
 * @max_small_size: out: largest object served from size classes (32768)
 * @num_size_classes: out: number of size classes including class 0 (68)
 * @module_version: out: NUL-terminated module version string
 */
struct gmm_version {
	__u32 flags;
	__u32 abi_major;
	__u32 abi_minor;
	__u32 page_size;
	__u64 features;
	__u32 max_small_size;
	__u32 num_size_classes;
	char module_version[32];
};

#define GMM_IOC_VERSION		_IOWR(GMM_IOC_MAGIC, 0x00, struct gmm_version)

#endif /* _UAPI_LINUX_GMM_H */
