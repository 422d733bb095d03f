// SPDX-License-Identifier: GPL-2.0
/*
 * stmt_expect.c - the expectations of `gmmctl run` (expect value is with
 * the other value statements, in stmt_value.c):
 *
 *   expect live N              a full collection leaves exactly N objects
 *   expect STAT [OP] N         a statistic compared with == != < <= > >=
 *   expect nil X.OFF, expect notnil X.OFF
 *   expect size X N            X's slot is N bytes
 *   expect error ERRNO STATEMENT   the statement fails with ERRNO (or any)
 *
 * Each one a parse/exec pair of the table in statements.c.
 */
#include <stdlib.h>
#include <string.h>

#include "run.h"

/* Fields of struct gmm_stats that 'expect' can compare. */
#define SF(f)	{ #f, offsetof(struct gmm_stats, f), sizeof(((struct gmm_stats *)0)->f), 0 }
#define SFS(f)	{ #f, offsetof(struct gmm_stats, f), sizeof(((struct gmm_stats *)0)->f), 1 }
static const struct {
	const char *name;
	size_t off, size;
	int is_signed;
} stat_fields[] = {
	SF(heap_alloc), SF(heap_sys), SF(heap_idle), SF(heap_inuse),
	SF(heap_released), SF(heap_objects), SF(mallocs), SF(frees),
	SF(total_alloc), SF(num_gc), SF(num_forced_gc), SF(pause_total_ns),
	SF(pause_max_ns), SF(last_pause_ns), SF(heap_live), SF(heap_marked),
	SF(next_gc), SF(trigger), SF(gc_cpu_ns), SF(uptime_ns), SF(handles),
	SF(types), SFS(gc_percent), SF(phase),
};
#define NR_STAT_FIELDS	(sizeof(stat_fields) / sizeof(stat_fields[0]))

int parse_expect_live(struct parser *p, struct stmt *st, struct token *t,
		      int n)
{
	if (expect_words(p, t, n, 3, 3, "expect live N"))
		return -1;
	return num_arg(p, &t[2], "live", 0, UINT64_MAX, &st->n);
}

int exec_expect_live(struct script *sc, const struct stmt *st,
		     struct fail *f)
{
	struct gmm_stats s;
	int err;

	err = gmm_collect(sc->g, NULL);
	if (err)
		return kfail(f, err, "expect live: gc (GMM_OP_GC)", NULL);
	err = gmm_stats(sc->g, &s, NULL, 0);
	if (err)
		return kfail(f, err, "GMM_IOC_STATS", NULL);
	if (s.heap_objects != st->n)
		return fail(f, 0, "expect live %llu: %llu object%s survived a "
			    "full collection", ULL(st->n), ULL(s.heap_objects),
			    s.heap_objects == 1 ? "" : "s");
	return 0;
}

/* nil or notnil (st->n 1). */
int parse_expect_nil(struct parser *p, struct stmt *st, struct token *t,
		     int n)
{
	if (expect_words(p, t, n, 3, 3, "expect nil|notnil NAME.OFFSET"))
		return -1;
	st->n = !strcmp(t[1].s, "notnil");
	return parse_loc(p, &t[2], &st->var, &st->off);
}

int exec_expect_nil(struct script *sc, const struct stmt *st, struct fail *f)
{
	const char *name = sc->vars[st->var].name;
	uint32_t h2 = 0;

	if (load_loc(sc, st, "expect nil: load (GMM_OP_LOAD)",
		     "the offset is not a pointer word", &h2, f))
		return -1;
	if (h2)
		gmm_release(sc->g, h2);
	if (st->n && !h2)
		return fail(f, 0, "expect notnil: %s.%llu is nil", name,
			    ULL(st->off));
	if (!st->n && h2)
		return fail(f, 0, "expect nil: %s.%llu points to an object", name,
			    ULL(st->off));
	return 0;
}

int parse_expect_size(struct parser *p, struct stmt *st, struct token *t,
		      int n)
{
	if (expect_words(p, t, n, 4, 4, "expect size NAME BYTES"))
		return -1;
	st->var = var_index(p, &t[2]);
	if (st->var < 0)
		return -1;
	return num_arg(p, &t[3], "size", 0, UINT32_MAX, &st->n);
}

int exec_expect_size(struct script *sc, const struct stmt *st,
		     struct fail *f)
{
	uint32_t h = 0, size;
	int err;

	if (handle_of(sc, st->var, f, &h))
		return -1;
	err = gmm_info(sc->g, h, &size, NULL);
	if (err)
		return kfail(f, err, "expect size: info (GMM_OP_INFO)", NULL);
	if (size != st->n)
		return fail(f, 0, "expect size: %s is %u bytes, not %llu",
			    sc->vars[st->var].name, size, ULL(st->n));
	return 0;
}

int parse_expect_error(struct parser *p, struct stmt *st, struct token *t,
		       int n)
{
	if (n < 4)
		return perr(p, 0, "expect error ERRNO STATEMENT (e.g. expect error ENOENT link a.0 b)"), -1;
	if (parse_errname(p, &t[2], &st->err))
		return -1;
	if (!strcmp(t[3].s, "repeat") || !strcmp(t[3].s, "expect") ||
	    t[3].s[0] == '{' || t[3].s[0] == '}')
		return perr(p, t[3].col, "expect error takes one simple statement"), -1;
	st->inner = calloc(1, sizeof(*st->inner));
	if (!st->inner)
		return perr(p, 0, "out of memory"), -1;
	st->inner->line = st->line;
	return parse_stmt(p, st->inner, t + 3, n - 3);
}

int exec_expect_error(struct script *sc, const struct stmt *st,
		      struct fail *f)
{
	struct fail inner = { 0 };

	if (!exec_stmt(sc, st->inner, &inner))
		return fail(f, 0, "expect error %s: the statement succeeded",
			    st->err ? errname(st->err) : "any");
	if (inner.script) {
		*f = inner;	/* not the kernel's error: a script bug */
		return -1;
	}
	if (st->err && inner.err != st->err)
		return fail(f, 0, "expect error %s: it failed with %s instead (%s)",
			    errname(st->err), errname(inner.err), inner.msg);
	if (sc->verbose && !opts.json)
		printf("%u: failed as expected: %s\n", st->line, inner.msg);
	return 0;
}

/* The number after "expect FIELD [OP]": negative ones too. */
static int stat_operand(struct parser *p, struct stmt *st,
			const struct token *t, const char *what)
{
	long v;

	if (!t->quoted && t->s[0] == '-') {
		if (parse_int(t->s, -1000000000L, 0, &v))
			return perr(p, t->col, "'%s' is not a number", t->s), -1;
		st->ival = v;
		return 0;
	}
	if (num_arg(p, t, what, 0, INT64_MAX, &st->n))
		return -1;
	st->ival = (int64_t)st->n;
	return 0;
}

/* expect FIELD [OP] N, and what is not another expect. */
int parse_expect_stat(struct parser *p, struct stmt *st, struct token *t,
		      int n)
{
	const char *what = n > 1 ? t[1].s : "";
	size_t f;

	if (n < 2)
		return perr(p, 0, "expect what? (live N, FIELD [OP] N, value, nil, notnil, size, error)"), -1;
	for (f = 0; f < NR_STAT_FIELDS; f++)
		if (!strcmp(what, stat_fields[f].name))
			break;
	if (f == NR_STAT_FIELDS)
		return perr(p, t[1].col, "expect: '%s' is not live, value, nil, notnil, "
			    "size, error or a statistic (heap_objects, heap_alloc, "
			    "mallocs, frees, num_gc, handles, ...)", what), -1;
	st->field = (int)f;
	st->cmp = C_EQ;
	if (n == 4) {
		if (parse_cmp(t[2].s, &st->cmp))
			return perr(p, t[2].col, "'%s' is not one of == != < <= > >=", t[2].s), -1;
		return stat_operand(p, st, &t[3], what);
	}
	if (expect_words(p, t, n, 3, 4, "expect FIELD [OP] N"))
		return -1;
	return stat_operand(p, st, &t[2], what);
}

static int64_t stat_value(const struct gmm_stats *s, size_t f)
{
	const unsigned char *p = (const unsigned char *)s + stat_fields[f].off;

	if (stat_fields[f].size == 8) {
		uint64_t x;

		memcpy(&x, p, 8);
		return (int64_t)x;
	}
	if (stat_fields[f].is_signed) {
		int32_t x;

		memcpy(&x, p, 4);
		return x;
	}
	{
		uint32_t x;

		memcpy(&x, p, 4);
		return x;
	}
}

static bool compare(int64_t a, enum cmp_op op, int64_t b)
{
	switch (op) {
	case C_EQ: return a == b;
	case C_NE: return a != b;
	case C_LT: return a < b;
	case C_LE: return a <= b;
	case C_GT: return a > b;
	default: return a >= b;
	}
}

int exec_expect_stat(struct script *sc, const struct stmt *st,
		     struct fail *f)
{
	struct gmm_stats s;
	int64_t v;
	int err;

	err = gmm_stats(sc->g, &s, NULL, 0);
	if (err)
		return kfail(f, err, "GMM_IOC_STATS", NULL);
	v = stat_value(&s, (size_t)st->field);
	if (!compare(v, st->cmp, st->ival))
		return fail(f, 0, "expect %s %s %lld: it is %lld",
			    stat_fields[st->field].name, cmp_names[st->cmp],
			    (long long)st->ival, (long long)v);
	return 0;
}
