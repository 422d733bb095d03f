/* SPDX-License-Identifier: GPL-2.0 */
/*
 * uobj.h - objects and handles as user space sees them (uobj.c): a
 * handle's object with its type and slot size, copies in and out of it,
 * and the handle count each open file is held to.
 */
#ifndef _GMM_UOBJ_H
#define _GMM_UOBJ_H

#include <linux/types.h>
#include <uapi/linux/gmm.h>

struct gmm_file;
struct gmm_opctx;
struct gmm_type;

/* An object as user space sees it. */
struct gmm_uobj {
	void *p;
	const struct gmm_type *t;	/* NULL: no pointer words */
	u32 size;			/* slot bytes */
};

void gmm_op_enter(struct gmm_opctx *c);
void gmm_op_exit(struct gmm_opctx *c);
void gmm_op_leave(struct gmm_opctx *c);
int gmm_uobj_get(struct gmm_opctx *c, u32 handle, struct gmm_uobj *o);
int gmm_op_obj(struct gmm_opctx *c, const struct gmm_op *op,
	       struct gmm_uobj *o);
bool gmm_uobj_is_ptr(const struct gmm_uobj *o, u64 off);
void gmm_uobj_copy(const struct gmm_uobj *o, u64 off, u64 len, u8 *buf,
		   bool write);
long gmm_handles_max(void);
int gmm_handle_reserve(struct gmm_file *f);
int gmm_handle_make(struct gmm_file *f, void *p, u64 *result);
int gmm_handle_release(struct gmm_file *f, u32 handle);

#endif /* _GMM_UOBJ_H */
