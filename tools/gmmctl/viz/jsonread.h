/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jsonread.h - a small JSON reader (RFC 8259) for gmmctl's recordings:
 * one value parsed into a tree.  Integers are kept exactly (64 bits);
 * strings are decoded (\uXXXX above ASCII becomes UTF-8).
 */
#ifndef GMMCTL_JSONREAD_H
#define GMMCTL_JSONREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum jv_type { JV_NULL, JV_BOOL, JV_NUM, JV_STR, JV_ARR, JV_OBJ };

struct jv {
	enum jv_type type;
	bool b;			/* JV_BOOL */
	bool is_int;		/* JV_NUM: an integer that fits 64 bits */
	bool neg;		/* JV_NUM integer: negative (value in i) */
	double d;		/* JV_NUM */
	uint64_t u;		/* JV_NUM, is_int && !neg */
	int64_t i;		/* JV_NUM, is_int */
	char *s;		/* JV_STR */
	size_t n;		/* JV_ARR, JV_OBJ: elements */
	struct jv *v;		/* elements */
	char **k;		/* JV_OBJ: keys */
};

/* Parse @len bytes holding exactly one value (whitespace around it). */
int jv_parse(const char *text, size_t len, struct jv *out, char *err,
	     size_t errlen);
void jv_free(struct jv *v);

/* Member @key of an object, or NULL. */
const struct jv *jv_get(const struct jv *obj, const char *key);
/* Non-negative integer value; false if @v is not one. */
bool jv_u64(const struct jv *v, uint64_t *out);
bool jv_i64(const struct jv *v, int64_t *out);
/* Member @key as a non-negative integer; false if absent or not one. */
bool jv_get_u64(const struct jv *obj, const char *key, uint64_t *out);
/* Member @key as a string, or NULL. */
const char *jv_get_str(const struct jv *obj, const char *key);

#endif /* GMMCTL_JSONREAD_H */
