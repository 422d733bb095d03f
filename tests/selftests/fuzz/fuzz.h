/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fuzz.h - the parts of gmm_fuzz, the model-checked fuzzer of GMM_IOC_OP
 * and GMM_IOC_BATCH (gmm_fuzz.c has its tests and the whole story):
 *
 *   model.c    the fuzzer's state, its randomness, and the model of the
 *              heap: objects, slots, handles, what they reach
 *   gen.c      generating operations, valid and invalid, with the result
 *              each must have
 *   run.c      running them one at a time or in batches, checking every
 *              result, and checking the whole heap against the model
 *   garbage.c  random structs for every command, on a file of their own
 *
 * None of them uses the kselftest harness: a failure is a message in
 * z->why and -1, which the tests report.
 */
#ifndef _GMM_FUZZ_H
#define _GMM_FUZZ_H

#include <stdbool.h>
#include <stddef.h>

#include "../gmm_util.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#define MAXH		384		/* handles the model holds at most */
#define MAXLARGE	12		/* live large objects at most */
#define BATCH_MAX_OPS	48
#define VERIFY_EVERY	1500
#define PTR_NONE	-2		/* not a pointer word */
#define PTR_NULL	-1
#define NTYPES		9		/* types of the run (model.c) */

/* The types every run registers (align 0 = 8). */
struct mtype {
	__u32 size, align, nptrs, offs[3];
	__u32 id;
};

struct mobj {
	int type;		/* index into types, -1: pointer-free bytes */
	__u32 size;		/* slot bytes */
	__u8 *data;		/* the bytes; pointer words stay 0 */
	int *ptr;		/* per word: PTR_NONE, PTR_NULL or an object */
	unsigned int mark;	/* reachability epoch */
	bool dead;		/* unreachable: freed in the model */
};

struct hslot {
	__u32 h;		/* 0 while pending (batch not run yet) */
	int obj;		/* -1: free slot */
};

struct fz {
	int fd;
	__u64 rng;
	struct mtype types[NTYPES];
	__u32 classes[ST_CLASSES_ROOM];
	__u32 small[NTYPES + 1][16];	/* slots under 16 bytes, probed */
	int nclasses;
	struct mobj *objs;
	int nobj, cap;
	struct hslot hs[MAXH];
	__u32 released[64];		/* recently released numbers */
	unsigned int nreleased;
	__u64 gcs;			/* cycles completed, last seen */
	unsigned int epoch;
	void *unmapped;
	char why[600];			/* the first failure */
	unsigned long n_ops, n_invalid, n_batches, n_verify, n_gc;
};

/* One operation on its way to the kernel, and what it must do. */
struct pend {
	struct gmm_op op;
	int err;		/* expected: 0 or a negative errno */
	int newobj;		/* the object a new handle must name, or -1 */
	int slot;		/* where that handle goes */
	bool load_null;		/* LOAD of a NULL word: result 0 */
	bool check_info;
	__u64 info;
	__u8 *buf;		/* READ / WRITE buffer */
	__u8 *expect;		/* READ: the bytes expected */
	bool is_gc;
};

/* The fuzzer's basics and the model (model.c). */
extern const struct mtype type_table[NTYPES];
__u64 rnd(struct fz *z);
__u64 below(struct fz *z, __u64 n);
bool chance(struct fz *z, unsigned int percent);
/* The first failure, "op #N: ..." in z->why; returns -1. */
int failf(struct fz *z, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *op_name(__u32 op);
__u64 slot_for(struct fz *z, __u64 bytes, __u32 align);
int new_obj(struct fz *z, int type, __u32 size);
bool is_ptr(const struct mobj *o, __u64 off);
__u32 type_id_of(struct fz *z, const struct mobj *o);
void model_read(const struct mobj *o, __u64 off, __u64 len, __u8 *out);
void model_write(struct mobj *o, __u64 off, __u64 len, const __u8 *in);
int used_slots(struct fz *z);
int free_slot(struct fz *z);
int pick_slot(struct fz *z, bool want_ptrs);
__u64 pick_ptr_word(struct fz *z, const struct mobj *o);
int live_large(struct fz *z);
int reachable(struct fz *z, __u64 *bytes);

/* Generating operations (gen.c). */
void pend_init(struct pend *p, __u32 code);
int gen_valid(struct fz *z, struct pend *p);
int gen_invalid(struct fz *z, struct pend *p);

/* Running and checking (run.c); each 0 or -1 with z->why set. */
int setup(struct fz *z, int fd, __u64 seed);
void teardown(struct fz *z);
int step(struct fz *z, bool batch);
int verify(struct fz *z);
/* @ops operations, one at a time or in batches, checked now and then. */
int fuzz_one(struct fz *z, unsigned long ops, bool batch);

/*
 * Garbage for every command (garbage.c): random structs of random sizes,
 * with their pointers aimed at a scratch buffer, nowhere, or the kernel,
 * on a file of their own.
 */
#define SCRATCH		(8U << 20)
#define GARBAGE_LIMIT	(32ULL << 20)

struct garbage {
	struct fz *z;		/* the fuzzer's state, for its generator */
	int fd;
	unsigned long ok, einval, e2big, efault, enotty, other;
	__u8 *scratch;		/* the kernel may write anywhere in here */
	void *unmapped;
};

/* One garbage command; 0, or -1 for an errno the ABI does not know. */
int garbage_one(struct garbage *g);

#endif /* _GMM_FUZZ_H */
