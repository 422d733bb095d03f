// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_example.c - a small program using libgmm, written only against the
 * installed headers <linux/gmm.h> (the ABI) and <gmm.h> (libgmm).
 *
 * It builds a graph on a private gmm heap:
 *
 *	root -> a -> b -> c            (a chain of "node" objects)
 *	          \-> blob             (a pointer-free buffer with a message)
 *	x <-> y                        (a cycle nobody else reaches)
 *
 * keeps a handle on root only, collects, checks that exactly the five
 * reachable objects survived and that the data reads back; then cuts the
 * chain after a, collects again and checks that b and c are gone.  With
 * ABI 1.4 it also builds a list in one call and reads it back in another.
 *
 * Build:  cc gmm_example.c -lgmm        (after `make -C tools/lib/gmm install`)
 * Exit status: 0 when every check held, 1 when one did not or an
 * operation failed, 3 when /dev/gmm cannot be opened.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/gmm.h>
#include <gmm.h>

/* A node: two pointers, then a number. */
#define NEXT	0
#define SIDE	8
#define VALUE	16

static int failures;

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "gmm_example: check failed: " __VA_ARGS__); \
		fputc('\n', stderr);					\
		failures++;						\
	}								\
} while (0)

/* Stop on an operation that failed: the rest would make no sense. */
#define TRY(call) do {							\
	int err_ = (call);						\
	if (err_) {							\
		fprintf(stderr, "gmm_example: %s: %s\n", #call,	\
			strerror(-err_));				\
		return -1;						\
	}								\
} while (0)

static const char msg[] = "hello from user space";

/* The graph's handles. */
struct graph {
	uint32_t node, root, a, b, c, blob, x, y;
};

/* The type, then five nodes and a buffer in one batch. */
static int build(struct gmm *g, struct graph *gr)
{
	static const uint32_t ptrs[] = { NEXT, SIDE };
	struct gmm_batch_buf batch;
	uint32_t node, failed, i;
	int err;

	TRY(gmm_type_create(g, "node", 24, 0, ptrs, 2, &node));
	gr->node = node;
	TRY(gmm_batch_init(&batch, 16));
	for (i = 0; i < 6; i++)
		gmm_batch_add_alloc(&batch, node, 1);
	gmm_batch_add_alloc_bytes(&batch, sizeof(msg));
	err = gmm_batch_run(g, &batch, &failed);
	if (err) {
		fprintf(stderr, "gmm_example: batch operation %u failed: %s\n",
			failed, strerror(-err));
		gmm_batch_free(&batch);
		return -1;
	}
	gr->root = (uint32_t)gmm_batch_result(&batch, 0);
	gr->a = (uint32_t)gmm_batch_result(&batch, 1);
	gr->b = (uint32_t)gmm_batch_result(&batch, 2);
	gr->c = (uint32_t)gmm_batch_result(&batch, 3);
	gr->x = (uint32_t)gmm_batch_result(&batch, 4);
	gr->y = (uint32_t)gmm_batch_result(&batch, 5);
	gr->blob = (uint32_t)gmm_batch_result(&batch, 6);
	gmm_batch_free(&batch);
	return 0;
}

/* Links and data, one call each; then only root keeps a handle. */
static int link_graph(struct gmm *g, const struct graph *gr)
{
	uint32_t root = gr->root, a = gr->a, b = gr->b, c = gr->c;
	uint32_t blob = gr->blob, x = gr->x, y = gr->y;
	uint64_t val;

	TRY(gmm_store(g, root, NEXT, a));
	TRY(gmm_store(g, a, NEXT, b));
	TRY(gmm_store(g, b, NEXT, c));
	TRY(gmm_store(g, a, SIDE, blob));
	TRY(gmm_store(g, x, NEXT, y));
	TRY(gmm_store(g, y, NEXT, x));
	TRY(gmm_write(g, blob, 0, msg, sizeof(msg)));
	val = 42;
	TRY(gmm_write(g, c, VALUE, &val, sizeof(val)));

	/* Keep only root; everything else hangs off it or is garbage. */
	TRY(gmm_release(g, a));
	TRY(gmm_release(g, b));
	TRY(gmm_release(g, c));
	TRY(gmm_release(g, blob));
	TRY(gmm_release(g, x));
	TRY(gmm_release(g, y));
	return 0;
}

/* A collection keeps what root reaches and frees the cycle x <-> y. */
static int collect_first(struct gmm *g)
{
	struct gmm_stats st;
	uint64_t num_gc;

	TRY(gmm_collect(g, &num_gc));
	TRY(gmm_stats(g, &st, NULL, 0));
	printf("after collection %llu: %llu objects live, %llu freed, %llu handles\n",
	       (unsigned long long)num_gc, (unsigned long long)st.heap_objects,
	       (unsigned long long)st.frees, (unsigned long long)st.handles);
	CHECK(st.heap_objects == 5, "%llu objects live, expected 5 (root a b c blob)",
	      (unsigned long long)st.heap_objects);
	CHECK(st.frees == 2, "%llu objects freed, expected 2 (the cycle x <-> y)",
	      (unsigned long long)st.frees);
	CHECK(st.handles == 1, "%llu handles, expected 1", (unsigned long long)st.handles);
	return 0;
}

/* Follow root -> a -> blob and root -> a -> b -> c; a stays held. */
static int follow(struct gmm *g, struct graph *gr)
{
	uint32_t root = gr->root, a, blob, c, h, size;
	char buf[sizeof(msg)];
	uint64_t val;
	int err;

	TRY(gmm_load(g, root, NEXT, &a));
	gr->a = a;
	TRY(gmm_load(g, a, SIDE, &blob));
	TRY(gmm_info(g, blob, &size, NULL));
	CHECK(size >= sizeof(msg), "the buffer's slot is %u bytes", size);
	TRY(gmm_read(g, blob, 0, buf, sizeof(buf)));
	CHECK(!memcmp(buf, msg, sizeof(msg)), "the buffer reads \"%.*s\"",
	      (int)sizeof(buf), buf);
	TRY(gmm_load(g, a, NEXT, &h));
	TRY(gmm_load(g, h, NEXT, &c));
	gr->c = c;
	TRY(gmm_release(g, h));
	val = 0;
	TRY(gmm_read(g, c, VALUE, &val, sizeof(val)));
	CHECK(val == 42, "c's value is %llu, expected 42", (unsigned long long)val);
	TRY(gmm_load(g, c, NEXT, &h));
	CHECK(h == 0, "c's next pointer is not NULL");
	err = gmm_store(g, c, VALUE, root);
	CHECK(err == -EINVAL, "a store into a data word gave %d, expected -EINVAL", err);
	TRY(gmm_release(g, c));
	TRY(gmm_release(g, blob));
	return 0;
}

/* Cut the chain after a: b and c become garbage. */
static int cut(struct gmm *g, const struct graph *gr)
{
	uint32_t a = gr->a, c = gr->c;
	struct gmm_stats st;
	int err;

	TRY(gmm_store(g, a, NEXT, 0));
	TRY(gmm_release(g, a));
	TRY(gmm_collect(g, NULL));
	TRY(gmm_stats(g, &st, NULL, 0));
	printf("after cutting a -> b: %llu objects live\n",
	       (unsigned long long)st.heap_objects);
	CHECK(st.heap_objects == 3, "%llu objects live, expected 3 (root a blob)",
	      (unsigned long long)st.heap_objects);

	/* A released handle is an error, not a crash. */
	err = gmm_release(g, c);
	CHECK(err == -ENOENT, "releasing a released handle gave %d, expected -ENOENT",
	      err);
	return 0;
}

/* A list item: its number first (so a LOAD can read it), then next. */
#define ITEM_NUM	0
#define ITEM_NEXT	8
#define CHAIN		8	/* items after the head */

/*
 * ABI 1.4: a list of CHAIN items hung off a head in one batch, one
 * operation per item (ALLOC into the previous item's next word, numbered
 * as it is made), then read back in a second batch, one LOAD per item
 * that yields the item and its number.
 */
static int chain(struct gmm *g)
{
	static const uint32_t ptrs[] = { ITEM_NEXT };
	uint32_t item, head, failed, i;
	struct gmm_batch_buf b;
	int op, err;

	TRY(gmm_type_create(g, "item", 16, 0, ptrs, 1, &item));
	TRY(gmm_alloc(g, item, 1, &head));
	TRY(gmm_batch_init(&b, 2 * CHAIN + 1));
	CHECK(gmm_batch_add_read_imm(&b, head, 0, 9) == -EINVAL,
	      "a 9-byte immediate READ was taken");
	for (i = 1; i <= CHAIN; i++) {
		op = gmm_batch_add_alloc_into(&b, item, 1, i == 1 ? head : 0,
					      ITEM_NEXT);
		if (i > 1)
			gmm_batch_link(&b, (uint32_t)op, GMM_OP_HANDLE_LINK,
				       (uint32_t)op - 1);
		gmm_batch_temp(&b, (uint32_t)op);
		gmm_batch_first_word(&b, (uint32_t)op, 100 * i);
	}
	err = gmm_batch_run(g, &b, &failed);
	CHECK(!err, "building the list: operation %u failed: %d", failed, err);
	gmm_batch_reset(&b);
	for (i = 1; i <= CHAIN; i++) {
		op = gmm_batch_add_load(&b, i == 1 ? head : 0, ITEM_NEXT);
		if (i > 1)
			gmm_batch_link(&b, (uint32_t)op, GMM_OP_HANDLE_LINK,
				       (uint32_t)op - 1);
		gmm_batch_peek(&b, (uint32_t)op, 8);
	}
	op = gmm_batch_add_load(&b, 0, ITEM_NEXT);	/* the end */
	gmm_batch_link(&b, (uint32_t)op, GMM_OP_HANDLE_LINK, CHAIN - 1);
	gmm_batch_temp(&b, (uint32_t)op);
	err = gmm_batch_run(g, &b, &failed);
	CHECK(!err, "reading the list: operation %u failed: %d", failed, err);
	for (i = 1; !err && i <= CHAIN; i++)
		CHECK(gmm_batch_result(&b, i - 1) == 100 * i,
		      "item %u reads %llu, expected %u", i,
		      (unsigned long long)gmm_batch_result(&b, i - 1), 100 * i);
	CHECK(err || gmm_batch_result(&b, CHAIN) == 0,
	      "the last item's next pointer is not NULL");
	printf("a list of %u items built in one call, read back in one\n", CHAIN);
	gmm_batch_free(&b);
	TRY(gmm_release(g, head));
	return 0;
}

int main(void)
{
	struct graph gr = { 0 };
	struct gmm_version v;
	struct gmm *g;

	g = gmm_open(NULL, 0);
	if (!g) {
		fprintf(stderr, "gmm_example: cannot open %s: %s\n",
			GMM_DEVICE_PATH, strerror(errno));
		return 3;
	}
	gmm_version(g, &v);
	printf("gmm %s, ABI %u.%u\n", v.module_version, v.abi_major, v.abi_minor);
	if (!gmm_has_feature(g, GMM_FEATURE_HEAP | GMM_FEATURE_BATCH)) {
		fprintf(stderr, "gmm_example: the module has no object operations\n");
		gmm_close(g);
		return 1;
	}
	if (build(g, &gr) || link_graph(g, &gr) || collect_first(g) ||
	    follow(g, &gr) || cut(g, &gr) ||
	    (gmm_has_feature(g, GMM_FEATURE_OP_INTO | GMM_FEATURE_OP_IMM |
			     GMM_FEATURE_BATCH_LINK) && chain(g))) {
		gmm_close(g);
		return 1;
	}
	gmm_close(g);
	if (failures) {
		fprintf(stderr, "gmm_example: %d check%s failed\n", failures,
			failures == 1 ? "" : "s");
		return 1;
	}
	printf("gmm_example: all checks passed\n");
	return 0;
}
