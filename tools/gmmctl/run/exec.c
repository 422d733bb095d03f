// SPDX-License-Identifier: GPL-2.0
/*
 * exec.c - running a parsed `gmmctl run` script: blocks statement by
 * statement, names to handles, and why a statement failed.
 *
 * Names hold handles.  Assigning to a name (alloc, dup, load) releases the
 * handle it held before, like overwriting a variable in Go: the old object
 * stays alive only if something else still reaches it.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "run.h"

int fail(struct fail *f, int err, const char *fmt, ...)
{
	va_list ap;

	f->err = err;
	f->script = !err;
	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int kfail(struct fail *f, int err, const char *op, const char *hint)
{
	return fail(f, err, "%s failed: %s (%s)%s%s", op, strerror(-err),
		    errname(err), hint ? ": " : "", hint ? hint : "");
}

int handle_of(struct script *sc, int v, struct fail *f, uint32_t *h)
{
	struct var *x = &sc->vars[v];

	if (!x->bound) {
		if (x->dropped_at)
			return fail(f, 0, "'%s' holds no object: dropped on line %u",
				    x->name, x->dropped_at);
		return fail(f, 0, "'%s' holds no object: nothing was assigned to it",
			    x->name);
	}
	if (!x->handle)
		return fail(f, 0, "'%s' is nil", x->name);
	*h = x->handle;
	return 0;
}

int assign(struct script *sc, int v, uint32_t h, struct fail *f)
{
	struct var *x = &sc->vars[v];
	uint32_t old = x->bound ? x->handle : 0;
	int err;

	x->handle = h;
	x->bound = true;
	x->dropped_at = 0;
	if (old) {
		err = gmm_release(sc->g, old);
		if (err)
			return kfail(f, err, "releasing the old handle", NULL);
	}
	return 0;
}

int load_loc(struct script *sc, const struct stmt *st, const char *op,
	     const char *einval_hint, uint32_t *target, struct fail *f)
{
	uint32_t h = 0;
	int err;

	if (handle_of(sc, st->var, f, &h))
		return -1;
	err = gmm_load(sc->g, h, st->off, target);
	if (err)
		return kfail(f, err, op, err == -EINVAL ? einval_hint : NULL);
	return 0;
}

void out_line(struct script *sc, const struct stmt *st)
{
	json_obj_begin(&sc->j, NULL);
	json_u64(&sc->j, "line", st->line);
}

int exec_stmt(struct script *sc, const struct stmt *st, struct fail *f)
{
	return st->def->exec(sc, st, f);
}

int run_block(struct script *sc, const struct block *b, struct fail *f)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		int r = exec_stmt(sc, &b->v[i], f);

		if (r == -1)
			sc->failed_at = &b->v[i];
		if (r)
			return -1;
	}
	return 0;
}
