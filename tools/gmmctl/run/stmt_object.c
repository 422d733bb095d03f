// SPDX-License-Identifier: GPL-2.0
/*
 * stmt_object.c - the statements of objects and names of `gmmctl run`:
 *
 *   type T size=N [align=N] [ptrs=O,O,...]   register a type
 *   alloc X T [count=N] | alloc X bytes=N    X := a new object
 *   link X.OFF Y|nil, unlink X.OFF           store a pointer (or NULL)
 *   load Y X.OFF                             Y := what X.OFF points to
 *   dup Y X                                  Y := X's object
 *   drop X [Y...]                            release the names' handles
 *   info X                                   X's slot size and type
 *
 * Each one a parse/exec pair of the table in statements.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

/* ptrs=O,O,...: the byte offsets of the type's pointer words. */
static int parse_ptrs(struct parser *p, struct stmt *st,
		      const struct token *t, const char *v)
{
	const char *s = v;

	free(st->ptrs);
	st->ptrs = calloc(strlen(v) / 2 + 1, sizeof(*st->ptrs));
	st->nr_ptrs = 0;
	if (!st->ptrs) {
		perr(p, 0, "out of memory");
		return -1;
	}
	while (*s) {
		char num[32], *e = strchr(s, ',');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		uint64_t o;

		if (!len || len >= sizeof(num)) {
			perr(p, t->col, "ptrs=: a list of byte offsets "
			     "separated by commas, e.g. ptrs=0,8");
			return -1;
		}
		memcpy(num, s, len);
		num[len] = '\0';
		if (parse_u64(num, &o) || o >= GMM_UAPI_MAX_OBJECT) {
			perr(p, t->col, "ptrs=: '%s' is not a byte offset", num);
			return -1;
		}
		st->ptrs[st->nr_ptrs++] = (uint32_t)o;
		s += len;
		if (*s == ',' && !*++s) {
			perr(p, t->col, "ptrs=: trailing comma");
			return -1;
		}
	}
	return 0;
}

/* size=N, align=N or ptrs=...: one word after "type NAME". */
static int type_option(struct parser *p, struct stmt *st,
		       const struct token *t, bool *have_size)
{
	struct token vt = *t;
	const char *v;
	uint64_t a;

	if ((v = kv(t, "size"))) {
		vt.s = (char *)v;
		if (num_arg(p, &vt, "size", 1, GMM_UAPI_MAX_OBJECT, &st->n))
			return -1;
		*have_size = true;
		return 0;
	}
	if ((v = kv(t, "align"))) {
		vt.s = (char *)v;
		if (num_arg(p, &vt, "align", 0, 8192, &a))
			return -1;
		st->align = (uint32_t)a;
		return 0;
	}
	if ((v = kv(t, "ptrs")))
		return parse_ptrs(p, st, t, v);
	perr(p, t->col, "'%s': type takes size=N, align=N and ptrs=O,O,...",
	     t->s);
	return -1;
}

int parse_type(struct parser *p, struct stmt *st, struct token *t, int n)
{
	bool have_size = false;
	int i;

	if (expect_words(p, t, n, 3, 5, "type NAME size=N [align=N] [ptrs=O,O,...]"))
		return -1;
	st->type = type_index(p, &t[1], true);
	if (st->type < 0)
		return -1;
	for (i = 2; i < n; i++)
		if (type_option(p, st, &t[i], &have_size))
			return -1;
	if (!have_size) {
		perr(p, t[0].col, "type needs size=N");
		return -1;
	}
	/* The kernel checks offsets, alignment and sizes itself. */
	return 0;
}

int exec_type(struct script *sc, const struct stmt *st, struct fail *f)
{
	struct tsym *t = &sc->types[st->type];
	uint32_t id;
	int err;

	if (t->id)
		return fail(f, 0, "type '%s' is already registered", t->name);
	err = gmm_type_create(sc->g, t->name, (uint32_t)st->n, st->align,
			      st->ptrs, st->nr_ptrs, &id);
	if (err)
		return kfail(f, err, "type (GMM_IOC_TYPE_CREATE)",
			     err == -EINVAL ? "pointer offsets must be multiples of 8 "
			     "inside the size, no offset twice; a type with pointers "
			     "needs a size that is a multiple of 8; align a power of "
			     "two up to 8192" : NULL);
	t->id = id;
	if (sc->verbose && !opts.json)
		printf("%u: type %s: id %u\n", st->line, t->name, id);
	return 0;
}

/* key=N after alloc's other words: bytes=N or count=N. */
static int alloc_count(struct parser *p, const struct token *t,
		       const char *v, const char *what, uint64_t *n)
{
	struct token vt = *t;

	vt.s = (char *)v;
	return num_arg(p, &vt, what, 1, GMM_UAPI_MAX_OBJECT, n);
}

int parse_alloc(struct parser *p, struct stmt *st, struct token *t, int n)
{
	const char *v;

	if (expect_words(p, t, n, 3, 4, "alloc NAME TYPE [count=N] | alloc NAME bytes=N"))
		return -1;
	st->var = var_index(p, &t[1]);
	if (st->var < 0)
		return -1;
	if ((v = kv(&t[2], "bytes"))) {
		if (n != 3)
			return perr(p, t[3].col, "alloc NAME bytes=N takes nothing more"), -1;
		return alloc_count(p, &t[2], v, "bytes", &st->n);
	}
	st->type = type_index(p, &t[2], false);
	if (st->type < 0)
		return -1;
	st->n = 1;
	if (n < 4)
		return 0;
	if (!(v = kv(&t[3], "count"))) {
		perr(p, t[3].col, "'%s': expected count=N", t[3].s);
		return -1;
	}
	return alloc_count(p, &t[3], v, "count", &st->n);
}

int exec_alloc(struct script *sc, const struct stmt *st, struct fail *f)
{
	uint32_t h = 0;
	int err;

	if (st->type >= 0) {
		struct tsym *t = &sc->types[st->type];

		if (!t->id)
			return fail(f, 0, "type '%s' has not been registered yet "
				    "(its type statement has not run)", t->name);
		err = gmm_alloc(sc->g, t->id, st->n, &h);
	} else {
		err = gmm_alloc_bytes(sc->g, st->n, &h);
	}
	if (err)
		return kfail(f, err, "alloc (GMM_OP_ALLOC)",
			     err == -EINVAL ? "count x size is above 4 MiB" :
			     err == -ENOMEM ? "the heap's memory limit or the system refused" : NULL);
	if (sc->verbose && !opts.json)
		printf("%u: %s = handle %u\n", st->line, sc->vars[st->var].name, h);
	return assign(sc, st->var, h, f);
}

int parse_link(struct parser *p, struct stmt *st, struct token *t, int n)
{
	if (expect_words(p, t, n, 3, 3, "link NAME.OFFSET TARGET|nil"))
		return -1;
	if (parse_loc(p, &t[1], &st->var, &st->off))
		return -1;
	if (is_word(&t[2], "nil"))
		return 0;	/* var2 -1: NULL */
	st->var2 = var_index(p, &t[2]);
	return st->var2 < 0 ? -1 : 0;
}

int parse_unlink(struct parser *p, struct stmt *st, struct token *t, int n)
{
	if (expect_words(p, t, n, 2, 2, "unlink NAME.OFFSET"))
		return -1;
	return parse_loc(p, &t[1], &st->var, &st->off);
}

int exec_link(struct script *sc, const struct stmt *st, struct fail *f)
{
	uint32_t h = 0, h2 = 0;
	int err;

	if (handle_of(sc, st->var, f, &h))
		return -1;
	if (st->var2 >= 0) {
		struct var *x = &sc->vars[st->var2];

		if (x->bound)
			h2 = x->handle;	/* nil stores NULL */
		else if (handle_of(sc, st->var2, f, &h2))
			return -1;
	}
	err = gmm_store(sc->g, h, st->off, h2);
	if (err)
		return kfail(f, err, "store (GMM_OP_STORE)",
			     err == -EINVAL ? "the offset is not a pointer word of "
			     "the object's type" : NULL);
	return 0;
}

int parse_load(struct parser *p, struct stmt *st, struct token *t, int n)
{
	if (expect_words(p, t, n, 3, 3, "load NAME NAME.OFFSET"))
		return -1;
	st->var2 = var_index(p, &t[1]);
	if (st->var2 < 0)
		return -1;
	return parse_loc(p, &t[2], &st->var, &st->off);
}

int exec_load(struct script *sc, const struct stmt *st, struct fail *f)
{
	const char *name = sc->vars[st->var2].name;
	uint32_t h2 = 0;

	if (load_loc(sc, st, "load (GMM_OP_LOAD)", "the offset is not a "
		     "pointer word of the object's type", &h2, f))
		return -1;
	if (sc->verbose && !opts.json) {
		if (h2)
			printf("%u: %s = handle %u\n", st->line, name, h2);
		else
			printf("%u: %s = nil\n", st->line, name);
	}
	return assign(sc, st->var2, h2, f);
}

int parse_dup(struct parser *p, struct stmt *st, struct token *t, int n)
{
	if (expect_words(p, t, n, 3, 3, "dup NEWNAME NAME"))
		return -1;
	st->var2 = var_index(p, &t[1]);
	st->var = st->var2 < 0 ? -1 : var_index(p, &t[2]);
	return st->var < 0 ? -1 : 0;
}

int exec_dup(struct script *sc, const struct stmt *st, struct fail *f)
{
	uint32_t h = 0, h2 = 0;
	int err;

	if (handle_of(sc, st->var, f, &h))
		return -1;
	err = gmm_dup(sc->g, h, &h2);
	if (err)
		return kfail(f, err, "dup (GMM_OP_DUP)", NULL);
	return assign(sc, st->var2, h2, f);
}

/* Several names: a chain of drop statements in one (st->inner). */
int parse_drop(struct parser *p, struct stmt *st, struct token *t, int n)
{
	int i;

	if (n < 2)
		return perr(p, 0, "drop NAME...: which names?"), -1;
	st->var = var_index(p, &t[1]);
	if (st->var < 0)
		return -1;
	for (i = 2; i < n; i++) {
		struct stmt *d = calloc(1, sizeof(*d));

		if (!d)
			return perr(p, 0, "out of memory"), -1;
		d->def = st->def;
		d->line = st->line;
		d->var2 = d->type = -1;
		d->var = var_index(p, &t[i]);
		st->inner = d;
		st = d;
		if (d->var < 0)
			return -1;
	}
	return 0;
}

int exec_drop(struct script *sc, const struct stmt *st, struct fail *f)
{
	struct var *x = &sc->vars[st->var];
	uint32_t h;
	int err;

	if (!x->bound)
		return handle_of(sc, st->var, f, &h);
	if (x->handle) {
		err = gmm_release(sc->g, x->handle);
		if (err)
			return kfail(f, err, "drop (GMM_OP_RELEASE)", NULL);
	}
	x->bound = false;
	x->handle = 0;
	x->dropped_at = st->line;
	return st->inner ? exec_stmt(sc, st->inner, f) : 0;
}

int parse_info(struct parser *p, struct stmt *st, struct token *t, int n)
{
	if (expect_words(p, t, n, 2, 2, "info NAME"))
		return -1;
	st->var = var_index(p, &t[1]);
	return st->var < 0 ? -1 : 0;
}

int exec_info(struct script *sc, const struct stmt *st, struct fail *f)
{
	const char *name = sc->vars[st->var].name, *tname = "-";
	uint32_t h = 0, size, type;
	size_t i;
	int err;

	if (handle_of(sc, st->var, f, &h))
		return -1;
	err = gmm_info(sc->g, h, &size, &type);
	if (err)
		return kfail(f, err, "info (GMM_OP_INFO)", NULL);
	for (i = 0; i < sc->ntypes; i++)
		if (type && sc->types[i].id == type)
			tname = sc->types[i].name;
	if (opts.json) {
		out_line(sc, st);
		json_str(&sc->j, "name", name);
		json_u64(&sc->j, "handle", h);
		json_u64(&sc->j, "size", size);
		json_u64(&sc->j, "type", type);
		json_obj_end(&sc->j);
	} else {
		printf("%s: handle %u, %u bytes (its size class), %s\n", name, h,
		       size, type ? tname : "no pointers");
	}
	return 0;
}
