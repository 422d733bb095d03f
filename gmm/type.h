/* SPDX-License-Identifier: GPL-2.0 */
/*
 * type.h - object types (Go's _type and its GC pointer bitmap).
 *
 * Every object gmm hands out has a type registered with its heap: a size,
 * an alignment, a name and a bitmap with one bit per 8-byte word saying
 * whether that word holds a pointer into the heap.  The collector scans
 * exactly those words (precise scanning); a type without pointers is
 * "noscan" and its objects go to noscan spans that are never scanned.
 *
 * Types are registered once per heap and live until the heap is destroyed.
 * Each gets a small id (1..65535), which scan spans record per slot.
 */
#ifndef _GMM_TYPE_H
#define _GMM_TYPE_H

#include <linux/types.h>

#define GMM_TYPE_NAME_LEN	32
#define GMM_TYPE_MAX_ID		0xffff
/* Most bytes of type descriptors and pointer bitmaps one heap may hold. */
#define GMM_TYPES_MAX_BYTES	(8UL << 20)

struct gmm_type {
	u32 id;			/* index in the heap's type table */
	u32 size;		/* bytes of one element */
	u32 align;		/* power of two, at most 8192 */
	u32 nptrs;		/* pointer words; 0 = noscan */
	u32 nwords;		/* size / 8, bits in ptrmap */
	u32 meta_bytes;		/* charged to the heap (type.c) */
	u8 sizeclass;		/* class of a single element (0 = large) */
	bool noscan;
	char name[GMM_TYPE_NAME_LEN];
	unsigned long ptrmap[];	/* bit i: word i is a pointer */
};

struct gmm_heap;

unsigned int gmm_class_for(size_t size, u32 align);
const struct gmm_type *gmm_type_by_id(struct gmm_heap *h, u32 id);
void gmm_types_destroy(struct gmm_heap *h);

#endif /* _GMM_TYPE_H */
