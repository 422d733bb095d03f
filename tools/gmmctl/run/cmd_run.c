// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_run.c - `gmmctl run SCRIPT`: a small line-oriented language to build
 * and change object graphs on a gmm heap, for teaching and for
 * reproducing bugs.  The grammar is in run_usage() below and in gmmctl(8).
 *
 * A script is parsed whole before anything runs, so a syntax error (exit
 * status 2) never leaves half a graph behind.  Then it runs on one new heap;
 * the first statement that fails - an ioctl error, a name with no object,
 * an expect that does not hold - stops it with "FILE:LINE: message" and
 * exit status 1.
 *
 * Names hold handles.  Assigning to a name (alloc, dup, load) releases the
 * handle it held before, like overwriting a variable in Go: the old object
 * stays alive only if something else still reaches it.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "gmmctl.h"

#define MAX_DEPTH	32		/* nested repeat blocks */
#define MAX_TOKENS	64
#define MAX_REPEAT	1000000000ULL
#define NAME_MAX_LEN	(GMM_UAPI_TYPE_NAME_LEN - 1)

enum stmt_kind {
	S_TYPE, S_ALLOC, S_LINK, S_LOAD, S_DUP, S_DROP, S_WRITE, S_READ,
	S_INFO, S_GC, S_STATS, S_SPANS, S_CYCLES, S_PARAMS, S_PRINT,
	S_EXPECT_LIVE, S_EXPECT_STAT, S_EXPECT_VALUE, S_EXPECT_NIL,
	S_EXPECT_SIZE, S_EXPECT_ERROR, S_REPEAT,
};

/* How a value at a location is seen: an integer type or raw bytes. */
enum vkind { V_U8, V_U16, V_U32, V_U64, V_I8, V_I16, V_I32, V_I64,
	     V_STR, V_BYTES };

static const struct {
	const char *name;
	unsigned int size;
} vkinds[] = {
	[V_U8] = { "u8", 1 }, [V_U16] = { "u16", 2 }, [V_U32] = { "u32", 4 },
	[V_U64] = { "u64", 8 }, [V_I8] = { "i8", 1 }, [V_I16] = { "i16", 2 },
	[V_I32] = { "i32", 4 }, [V_I64] = { "i64", 8 }, [V_STR] = { "str", 0 },
	[V_BYTES] = { "bytes", 0 },
};

enum cmp_op { C_EQ, C_NE, C_LT, C_LE, C_GT, C_GE };
static const char *const cmp_names[] = { "==", "!=", "<", "<=", ">", ">=" };

struct block {
	struct stmt *v;
	size_t n, cap;
};

struct stmt {
	enum stmt_kind kind;
	unsigned int line;
	char *text;		/* the source line, for messages */
	int var, var2;		/* name indexes, -1 none */
	int type;		/* type index, -1 none */
	uint64_t off;		/* location offset */
	uint64_t n;		/* size, count, bytes, repeat count... */
	uint32_t align;
	uint32_t *ptrs;		/* type: pointer offsets */
	uint32_t nr_ptrs;
	enum vkind vk;
	int64_t ival;		/* integer value (as bits for unsigned) */
	char *sval;		/* string value / print text */
	size_t slen;
	int field;		/* expect STAT: index in stat_fields */
	enum cmp_op cmp;
	int err;		/* expect error: -errno, 0 = any */
	bool set_gc, set_limit;
	int gc_percent;
	uint64_t limit;
	int mode;		/* stats: 0 summary, 1 full, 2 classes */
	struct stmt *inner;	/* expect error */
	struct block body;	/* repeat */
};

struct var {
	char *name;
	uint32_t handle;	/* 0 = nil */
	bool bound;
	unsigned int dropped_at; /* line of the drop that unbound it */
};

struct tsym {
	char *name;
	uint32_t id;		/* 0 until the type statement ran */
};

struct script {
	const char *file;
	struct block top;
	struct var *vars;
	size_t nvars, capvars;
	struct tsym *types;
	size_t ntypes, captypes;
	/* Running. */
	struct gmm *g;
	bool verbose;
	uint64_t cycles_seen;	/* gctrace lines already printed */
	const struct stmt *failed_at;
	struct json j;
};

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

static const struct {
	const char *name;
	int err;
} errnames[] = {
	{ "EINVAL", EINVAL }, { "ENOENT", ENOENT }, { "ENOMEM", ENOMEM },
	{ "ENOSPC", ENOSPC }, { "EFAULT", EFAULT }, { "E2BIG", E2BIG },
	{ "EINTR", EINTR }, { "ENOTTY", ENOTTY }, { "EPERM", EPERM },
	{ "EACCES", EACCES }, { "EBUSY", EBUSY }, { "EAGAIN", EAGAIN },
};

static const char *errname(int err)
{
	size_t i;

	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].err == -err)
			return errnames[i].name;
	return "E?";
}

/* ---------------------------------------------------------------- parse */

struct token {
	char *s;		/* NUL-terminated (strings may hold NULs too) */
	size_t len;
	bool quoted;
	unsigned int col;
};

struct parser {
	struct script *sc;
	unsigned int line;
	char *text;
	int nerr;
};

static void perr(struct parser *p, unsigned int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void perr(struct parser *p, unsigned int col, const char *fmt, ...)
{
	va_list ap;

	if (col)
		fprintf(stderr, "%s:%u:%u: ", p->sc->file, p->line, col);
	else
		fprintf(stderr, "%s:%u: ", p->sc->file, p->line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	p->nerr++;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * Split @line into tokens: words, "strings" with C escapes, and { and } on
 * their own; # starts a comment.  Token text goes to @out (room for
 * 2 * strlen(line) + 2 bytes), each NUL-terminated.  Returns the number of
 * tokens or -1.
 */
static int tokenize(struct parser *p, const char *line, char *out,
		    struct token *tok)
{
	const char *s = line;
	char *w = out;
	int n = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\r')
			s++;
		if (!*s || *s == '#')
			return n;
		if (n == MAX_TOKENS) {
			perr(p, (unsigned int)(s - line) + 1,
			     "too many words on one line (at most %d)", MAX_TOKENS);
			return -1;
		}
		tok[n].col = (unsigned int)(s - line) + 1;
		tok[n].quoted = false;
		tok[n].s = w;
		if (*s == '{' || *s == '}') {
			*w++ = *s++;
		} else if (*s == '"') {
			tok[n].quoted = true;
			s++;
			for (;;) {
				int c = (unsigned char)*s;

				if (!c) {
					perr(p, tok[n].col, "unterminated string");
					return -1;
				}
				s++;
				if (c == '"')
					break;
				if (c != '\\') {
					*w++ = (char)c;
					continue;
				}
				c = (unsigned char)*s;
				if (c)
					s++;
				switch (c) {
				case 'n': *w++ = '\n'; break;
				case 't': *w++ = '\t'; break;
				case 'r': *w++ = '\r'; break;
				case '0': *w++ = '\0'; break;
				case '\\': *w++ = '\\'; break;
				case '"': *w++ = '"'; break;
				case 'x': {
					int h = hexval((unsigned char)s[0]);
					int l = h < 0 ? -1 : hexval((unsigned char)s[1]);

					if (h < 0 || l < 0) {
						perr(p, (unsigned int)(s - line),
						     "\\x needs two hex digits");
						return -1;
					}
					*w++ = (char)(h << 4 | l);
					s += 2;
					break;
				}
				default:
					perr(p, (unsigned int)(s - line),
					     "unknown escape (known: \\n \\t \\r \\0 "
					     "\\\\ \\\" \\xHH)");
					return -1;
				}
			}
			if (*s && *s != ' ' && *s != '\t' && *s != '#' &&
			    *s != '\r') {
				perr(p, (unsigned int)(s - line) + 1,
				     "a string must be followed by a space");
				return -1;
			}
		} else {
			while (*s && *s != ' ' && *s != '\t' && *s != '\r' &&
			       *s != '#' && *s != '"' && *s != '{' && *s != '}')
				*w++ = *s++;
		}
		tok[n].len = (size_t)(w - tok[n].s);
		*w++ = '\0';
		n++;
	}
}

static bool is_ident(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return false;
	for (s++; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

static const char *const keywords[] = {
	"nil", "type", "alloc", "link", "unlink", "load", "dup", "drop",
	"write", "read", "info", "gc", "stats", "spans", "cycles", "params",
	"print", "expect", "repeat", "bytes",
};

static bool is_keyword(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (!strcmp(s, keywords[i]))
			return true;
	return false;
}

/* Index of variable @name, created when new; -1 for a bad name. */
static int var_index(struct parser *p, const struct token *t)
{
	struct script *sc = p->sc;
	size_t i;

	if (t->quoted || !is_ident(t->s) || strlen(t->s) > NAME_MAX_LEN ||
	    is_keyword(t->s)) {
		perr(p, t->col, "'%s' is not a name (letters, digits, _; "
		     "not a keyword; at most %d characters)", t->s, NAME_MAX_LEN);
		return -1;
	}
	for (i = 0; i < sc->nvars; i++)
		if (!strcmp(sc->vars[i].name, t->s))
			return (int)i;
	if (sc->nvars == sc->capvars) {
		size_t cap = sc->capvars ? sc->capvars * 2 : 16;
		struct var *v = realloc(sc->vars, cap * sizeof(*v));

		if (!v) {
			perr(p, 0, "out of memory");
			return -1;
		}
		sc->vars = v;
		sc->capvars = cap;
	}
	memset(&sc->vars[sc->nvars], 0, sizeof(sc->vars[0]));
	sc->vars[sc->nvars].name = strdup(t->s);
	if (!sc->vars[sc->nvars].name) {
		perr(p, 0, "out of memory");
		return -1;
	}
	return (int)sc->nvars++;
}

static int type_index(struct parser *p, const struct token *t, bool create)
{
	struct script *sc = p->sc;
	size_t i;

	if (t->quoted || !is_ident(t->s) || strlen(t->s) > NAME_MAX_LEN ||
	    is_keyword(t->s)) {
		perr(p, t->col, "'%s' is not a type name (letters, digits, _; "
		     "not a keyword; at most %d characters)", t->s, NAME_MAX_LEN);
		return -1;
	}
	for (i = 0; i < sc->ntypes; i++)
		if (!strcmp(sc->types[i].name, t->s))
			return (int)i;
	if (!create) {
		perr(p, t->col, "no type '%s' is declared before this line "
		     "(type NAME size=N ptrs=...)", t->s);
		return -1;
	}
	if (sc->ntypes == sc->captypes) {
		size_t cap = sc->captypes ? sc->captypes * 2 : 8;
		struct tsym *v = realloc(sc->types, cap * sizeof(*v));

		if (!v) {
			perr(p, 0, "out of memory");
			return -1;
		}
		sc->types = v;
		sc->captypes = cap;
	}
	sc->types[sc->ntypes].name = strdup(t->s);
	sc->types[sc->ntypes].id = 0;
	if (!sc->types[sc->ntypes].name) {
		perr(p, 0, "out of memory");
		return -1;
	}
	return (int)sc->ntypes++;
}

/* An unsigned number with an optional size unit (KiB, MiB, ...). */
static int parse_number(const char *s, uint64_t *v)
{
	if (!parse_u64(s, v))
		return 0;
	return parse_size(s, v);
}

static int num_arg(struct parser *p, const struct token *t, const char *what,
		   uint64_t min, uint64_t max, uint64_t *v)
{
	if (t->quoted || parse_number(t->s, v) || *v < min || *v > max) {
		perr(p, t->col, "%s: '%s' is not a number in %llu..%llu",
		     what, t->s, ULL(min), ULL(max));
		return -1;
	}
	return 0;
}

/* key=value: returns the value or NULL when @t is not "key=...". */
static const char *kv(const struct token *t, const char *key)
{
	size_t n = strlen(key);

	if (t->quoted || strncmp(t->s, key, n) || t->s[n] != '=')
		return NULL;
	return t->s + n + 1;
}

/* NAME or NAME.OFF */
static int parse_loc(struct parser *p, const struct token *t, int *var,
		     uint64_t *off)
{
	char buf[64], *dot;

	if (t->quoted || t->len >= sizeof(buf)) {
		perr(p, t->col, "'%s' is not a location (NAME or NAME.OFFSET)", t->s);
		return -1;
	}
	memcpy(buf, t->s, t->len + 1);
	dot = strchr(buf, '.');
	*off = 0;
	if (dot) {
		*dot = '\0';
		if (parse_u64(dot + 1, off) || *off > GMM_UAPI_MAX_OBJECT) {
			perr(p, t->col, "'%s': the offset after '.' must be a "
			     "number of bytes (0..%u)", t->s, GMM_UAPI_MAX_OBJECT);
			return -1;
		}
	}
	{
		struct token nt = *t;

		nt.s = buf;
		nt.len = strlen(buf);
		*var = var_index(p, &nt);
	}
	return *var < 0 ? -1 : 0;
}

static int parse_vkind(struct parser *p, const struct token *t, bool raw_ok,
		       enum vkind *vk)
{
	size_t i;

	for (i = 0; i < sizeof(vkinds) / sizeof(vkinds[0]); i++) {
		if (t->quoted || strcmp(t->s, vkinds[i].name))
			continue;
		if (!raw_ok && (i == V_STR || i == V_BYTES))
			break;
		*vk = (enum vkind)i;
		return 0;
	}
	perr(p, t->col, "'%s' is not a value type (u8 u16 u32 u64 i8 i16 i32 "
	     "i64%s)", t->s, raw_ok ? ", or str N / bytes N" : "");
	return -1;
}

/* An integer literal that must fit value type @vk. */
static int parse_ival(struct parser *p, const struct token *t, enum vkind vk,
		      int64_t *out)
{
	unsigned int bits = vkinds[vk].size * 8;
	bool is_signed = vk >= V_I8 && vk <= V_I64;
	char *end;

	if (t->quoted)
		goto bad;
	errno = 0;
	if (t->s[0] == '-') {
		long long x = strtoll(t->s, &end, 0);

		if (errno || *end || !is_signed)
			goto bad;
		if (bits < 64 && (x < -(1LL << (bits - 1))))
			goto bad;
		*out = x;
		return 0;
	} else {
		unsigned long long x = strtoull(t->s, &end, 0);

		if (errno || *end || end == t->s)
			goto bad;
		if (bits < 64 && x >= (1ULL << (bits - (is_signed ? 1 : 0))))
			goto bad;
		if (bits == 64 && is_signed && x > INT64_MAX)
			goto bad;
		*out = (int64_t)x;
		return 0;
	}
bad:
	perr(p, t->col, "'%s' is not a %s value", t->s, vkinds[vk].name);
	return -1;
}

/*
 * What to compare or write at a location: TYPE VALUE, "string", or (read
 * only) str N / bytes N.  Consumes tokens from @t; returns how many.
 */
static int parse_value(struct parser *p, struct stmt *st, struct token *t,
		       int n, bool reading)
{
	if (n < 1) {
		perr(p, 0, "missing value: TYPE VALUE or \"string\"");
		return -1;
	}
	if (t[0].quoted) {
		if (reading) {
			perr(p, t[0].col, "read takes TYPE, str N or bytes N, "
			     "not a string");
			return -1;
		}
		st->vk = V_STR;
		st->sval = malloc(t[0].len + 1);
		if (!st->sval) {
			perr(p, 0, "out of memory");
			return -1;
		}
		memcpy(st->sval, t[0].s, t[0].len + 1);
		st->slen = t[0].len;
		return 1;
	}
	if (parse_vkind(p, &t[0], reading, &st->vk))
		return -1;
	if (n < 2) {
		perr(p, t[0].col, "%s needs %s after it", t[0].s,
		     reading ? "a length" : "a value");
		return -1;
	}
	if (st->vk == V_STR || st->vk == V_BYTES)
		return num_arg(p, &t[1], "length", 1, 65536, &st->n) ? -1 : 2;
	return parse_ival(p, &t[1], st->vk, &st->ival) ? -1 : 2;
}

static int parse_errname(struct parser *p, const struct token *t, int *err)
{
	size_t i;

	if (!strcmp(t->s, "any")) {
		*err = 0;
		return 0;
	}
	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++) {
		if (!strcmp(t->s, errnames[i].name)) {
			*err = -errnames[i].err;
			return 0;
		}
	}
	perr(p, t->col, "'%s' is not an errno name this tool knows (EINVAL, "
	     "ENOENT, ENOMEM, ENOSPC, ... or any)", t->s);
	return -1;
}

static int parse_cmp(const char *s, enum cmp_op *op)
{
	size_t i;

	for (i = 0; i < sizeof(cmp_names) / sizeof(cmp_names[0]); i++) {
		if (!strcmp(s, cmp_names[i])) {
			*op = (enum cmp_op)i;
			return 0;
		}
	}
	if (!strcmp(s, "=")) {
		*op = C_EQ;
		return 0;
	}
	return -1;
}

static int expect_words(struct parser *p, const struct token *t, int n,
			int min, int max, const char *syntax)
{
	if (n >= min && n <= max)
		return 0;
	perr(p, n > max ? t[max].col : 0, "%s: %s", n > max ?
	     "too many words" : "missing words", syntax);
	return -1;
}

static void stmt_free(struct stmt *st);

static void block_free(struct block *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		stmt_free(&b->v[i]);
	free(b->v);
	b->v = NULL;
	b->n = b->cap = 0;
}

static void stmt_free(struct stmt *st)
{
	free(st->text);
	free(st->ptrs);
	free(st->sval);
	if (st->inner) {
		stmt_free(st->inner);
		free(st->inner);
	}
	block_free(&st->body);
}

/*
 * One statement from tokens @t[0..n-1] into @st (zeroed, line and text
 * set).  Returns 0 or -1 (message printed).  Does not handle repeat and }.
 */
static int parse_stmt(struct parser *p, struct stmt *st, struct token *t, int n)
{
	const char *w = t[0].s;
	int i, k;

	st->var = st->var2 = st->type = -1;
	if (t[0].quoted)
		goto unknown;

	if (!strcmp(w, "type")) {
		bool have_size = false;

		if (expect_words(p, t, n, 3, 5, "type NAME size=N [align=N] [ptrs=O,O,...]"))
			return -1;
		st->kind = S_TYPE;
		st->type = type_index(p, &t[1], true);
		if (st->type < 0)
			return -1;
		for (i = 2; i < n; i++) {
			const char *v;
			struct token vt = t[i];

			if ((v = kv(&t[i], "size"))) {
				vt.s = (char *)v;
				if (num_arg(p, &vt, "size", 1, GMM_UAPI_MAX_OBJECT, &st->n))
					return -1;
				have_size = true;
			} else if ((v = kv(&t[i], "align"))) {
				uint64_t a;

				vt.s = (char *)v;
				if (num_arg(p, &vt, "align", 0, 8192, &a))
					return -1;
				st->align = (uint32_t)a;
			} else if ((v = kv(&t[i], "ptrs"))) {
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
						perr(p, t[i].col, "ptrs=: a list of byte offsets "
						     "separated by commas, e.g. ptrs=0,8");
						return -1;
					}
					memcpy(num, s, len);
					num[len] = '\0';
					if (parse_u64(num, &o) || o >= GMM_UAPI_MAX_OBJECT) {
						perr(p, t[i].col, "ptrs=: '%s' is not a byte offset", num);
						return -1;
					}
					st->ptrs[st->nr_ptrs++] = (uint32_t)o;
					s += len;
					if (*s == ',' && !*++s) {
						perr(p, t[i].col, "ptrs=: trailing comma");
						return -1;
					}
				}
			} else {
				perr(p, t[i].col, "'%s': type takes size=N, align=N "
				     "and ptrs=O,O,...", t[i].s);
				return -1;
			}
		}
		if (!have_size) {
			perr(p, t[0].col, "type needs size=N");
			return -1;
		}
		/* The kernel checks offsets, alignment and sizes itself. */
		return 0;
	}
	if (!strcmp(w, "alloc")) {
		const char *v;

		if (expect_words(p, t, n, 3, 4, "alloc NAME TYPE [count=N] | alloc NAME bytes=N"))
			return -1;
		st->kind = S_ALLOC;
		st->var = var_index(p, &t[1]);
		if (st->var < 0)
			return -1;
		if ((v = kv(&t[2], "bytes"))) {
			struct token vt = t[2];

			vt.s = (char *)v;
			if (n != 3)
				return perr(p, t[3].col, "alloc NAME bytes=N takes nothing more"), -1;
			return num_arg(p, &vt, "bytes", 1, GMM_UAPI_MAX_OBJECT, &st->n);
		}
		st->type = type_index(p, &t[2], false);
		if (st->type < 0)
			return -1;
		st->n = 1;
		if (n == 4) {
			struct token vt = t[3];

			if (!(v = kv(&t[3], "count"))) {
				perr(p, t[3].col, "'%s': expected count=N", t[3].s);
				return -1;
			}
			vt.s = (char *)v;
			return num_arg(p, &vt, "count", 1, GMM_UAPI_MAX_OBJECT, &st->n);
		}
		return 0;
	}
	if (!strcmp(w, "link")) {
		if (expect_words(p, t, n, 3, 3, "link NAME.OFFSET TARGET|nil"))
			return -1;
		st->kind = S_LINK;
		if (parse_loc(p, &t[1], &st->var, &st->off))
			return -1;
		if (!t[2].quoted && !strcmp(t[2].s, "nil"))
			return 0;	/* var2 -1: NULL */
		st->var2 = var_index(p, &t[2]);
		return st->var2 < 0 ? -1 : 0;
	}
	if (!strcmp(w, "unlink")) {
		if (expect_words(p, t, n, 2, 2, "unlink NAME.OFFSET"))
			return -1;
		st->kind = S_LINK;
		return parse_loc(p, &t[1], &st->var, &st->off);
	}
	if (!strcmp(w, "load")) {
		if (expect_words(p, t, n, 3, 3, "load NAME NAME.OFFSET"))
			return -1;
		st->kind = S_LOAD;
		st->var2 = var_index(p, &t[1]);
		if (st->var2 < 0)
			return -1;
		return parse_loc(p, &t[2], &st->var, &st->off);
	}
	if (!strcmp(w, "dup")) {
		if (expect_words(p, t, n, 3, 3, "dup NEWNAME NAME"))
			return -1;
		st->kind = S_DUP;
		st->var2 = var_index(p, &t[1]);
		st->var = st->var2 < 0 ? -1 : var_index(p, &t[2]);
		return st->var < 0 ? -1 : 0;
	}
	if (!strcmp(w, "drop")) {
		if (n < 2)
			return perr(p, 0, "drop NAME...: which names?"), -1;
		st->kind = S_DROP;
		/* Several names: a chain of drop statements in one. */
		st->var = var_index(p, &t[1]);
		if (st->var < 0)
			return -1;
		for (i = 2; i < n; i++) {
			struct stmt *d = calloc(1, sizeof(*d));

			if (!d)
				return perr(p, 0, "out of memory"), -1;
			d->kind = S_DROP;
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
	if (!strcmp(w, "write")) {
		if (n < 3)
			return perr(p, 0, "write NAME[.OFFSET] TYPE VALUE | write NAME[.OFFSET] \"string\""), -1;
		st->kind = S_WRITE;
		if (parse_loc(p, &t[1], &st->var, &st->off))
			return -1;
		k = parse_value(p, st, t + 2, n - 2, false);
		if (k < 0)
			return -1;
		if (2 + k != n)
			return perr(p, t[2 + k].col, "too many words after the value"), -1;
		return 0;
	}
	if (!strcmp(w, "read")) {
		if (n < 3)
			return perr(p, 0, "read NAME[.OFFSET] TYPE | read NAME[.OFFSET] str N | bytes N"), -1;
		st->kind = S_READ;
		if (parse_loc(p, &t[1], &st->var, &st->off))
			return -1;
		if (parse_vkind(p, &t[2], true, &st->vk))
			return -1;
		if (st->vk == V_STR || st->vk == V_BYTES) {
			if (expect_words(p, t, n, 4, 4, "read NAME[.OFFSET] str|bytes LENGTH"))
				return -1;
			return num_arg(p, &t[3], "length", 1, 65536, &st->n);
		}
		return expect_words(p, t, n, 3, 3, "read NAME[.OFFSET] TYPE");
	}
	if (!strcmp(w, "info")) {
		if (expect_words(p, t, n, 2, 2, "info NAME"))
			return -1;
		st->kind = S_INFO;
		st->var = var_index(p, &t[1]);
		return st->var < 0 ? -1 : 0;
	}
	if (!strcmp(w, "gc")) {
		if (expect_words(p, t, n, 1, 2, "gc [COUNT]"))
			return -1;
		st->kind = S_GC;
		st->n = 1;
		return n == 2 ? num_arg(p, &t[1], "count", 1, 1000, &st->n) : 0;
	}
	if (!strcmp(w, "stats")) {
		if (expect_words(p, t, n, 1, 2, "stats [full|classes]"))
			return -1;
		st->kind = S_STATS;
		if (n == 2) {
			if (!strcmp(t[1].s, "full"))
				st->mode = 1;
			else if (!strcmp(t[1].s, "classes"))
				st->mode = 2;
			else
				return perr(p, t[1].col, "stats takes full or classes, not '%s'", t[1].s), -1;
		}
		return 0;
	}
	if (!strcmp(w, "spans") || !strcmp(w, "cycles")) {
		if (expect_words(p, t, n, 1, 1, w))
			return -1;
		st->kind = w[0] == 's' ? S_SPANS : S_CYCLES;
		return 0;
	}
	if (!strcmp(w, "params")) {
		st->kind = S_PARAMS;
		for (i = 1; i < n; i++) {
			const char *v;

			if ((v = kv(&t[i], "gc_percent"))) {
				if (parse_gc_percent(v, &st->gc_percent))
					return perr(p, t[i].col, "gc_percent: '%s' is not 1..10000 or off", v), -1;
				st->set_gc = true;
			} else if ((v = kv(&t[i], "memory_limit"))) {
				if (parse_size(v, &st->limit))
					return perr(p, t[i].col, "memory_limit: '%s' is not a size (4096, 64MiB, 1G)", v), -1;
				st->set_limit = true;
			} else {
				return perr(p, t[i].col, "params takes gc_percent=N|off and memory_limit=SIZE"), -1;
			}
		}
		return 0;
	}
	if (!strcmp(w, "print")) {
		size_t len = 0, off = 0;

		st->kind = S_PRINT;
		for (i = 1; i < n; i++)
			len += t[i].len + 1;
		st->sval = malloc(len + 1);
		if (!st->sval)
			return perr(p, 0, "out of memory"), -1;
		for (i = 1; i < n; i++) {
			if (i > 1)
				st->sval[off++] = ' ';
			memcpy(st->sval + off, t[i].s, t[i].len);
			off += t[i].len;
		}
		st->sval[off] = '\0';
		st->slen = off;
		return 0;
	}
	if (!strcmp(w, "expect")) {
		const char *what = n > 1 ? t[1].s : "";
		size_t f;

		if (n < 2)
			return perr(p, 0, "expect what? (live N, FIELD [OP] N, value, nil, notnil, size, error)"), -1;
		if (!strcmp(what, "live")) {
			if (expect_words(p, t, n, 3, 3, "expect live N"))
				return -1;
			st->kind = S_EXPECT_LIVE;
			return num_arg(p, &t[2], "live", 0, UINT64_MAX, &st->n);
		}
		if (!strcmp(what, "value")) {
			if (n < 4)
				return perr(p, 0, "expect value NAME[.OFFSET] TYPE VALUE | expect value NAME[.OFFSET] \"string\""), -1;
			st->kind = S_EXPECT_VALUE;
			if (parse_loc(p, &t[2], &st->var, &st->off))
				return -1;
			k = parse_value(p, st, t + 3, n - 3, false);
			if (k < 0)
				return -1;
			if (3 + k != n)
				return perr(p, t[3 + k].col, "too many words after the value"), -1;
			return 0;
		}
		if (!strcmp(what, "nil") || !strcmp(what, "notnil")) {
			if (expect_words(p, t, n, 3, 3, "expect nil|notnil NAME.OFFSET"))
				return -1;
			st->kind = S_EXPECT_NIL;
			st->n = what[0] == 'n' && what[1] == 'o';	/* notnil */
			return parse_loc(p, &t[2], &st->var, &st->off);
		}
		if (!strcmp(what, "size")) {
			if (expect_words(p, t, n, 4, 4, "expect size NAME BYTES"))
				return -1;
			st->kind = S_EXPECT_SIZE;
			st->var = var_index(p, &t[2]);
			if (st->var < 0)
				return -1;
			return num_arg(p, &t[3], "size", 0, UINT32_MAX, &st->n);
		}
		if (!strcmp(what, "error")) {
			if (n < 4)
				return perr(p, 0, "expect error ERRNO STATEMENT (e.g. expect error ENOENT link a.0 b)"), -1;
			st->kind = S_EXPECT_ERROR;
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
		for (f = 0; f < NR_STAT_FIELDS; f++)
			if (!strcmp(what, stat_fields[f].name))
				break;
		if (f == NR_STAT_FIELDS)
			return perr(p, t[1].col, "expect: '%s' is not live, value, nil, notnil, "
				    "size, error or a statistic (heap_objects, heap_alloc, "
				    "mallocs, frees, num_gc, handles, ...)", what), -1;
		st->kind = S_EXPECT_STAT;
		st->field = (int)f;
		st->cmp = C_EQ;
		k = 2;
		if (n == 4) {
			if (parse_cmp(t[2].s, &st->cmp))
				return perr(p, t[2].col, "'%s' is not one of == != < <= > >=", t[2].s), -1;
			k = 3;
		} else if (expect_words(p, t, n, 3, 4, "expect FIELD [OP] N")) {
			return -1;
		}
		if (!t[k].quoted && t[k].s[0] == '-') {
			long v;

			if (parse_int(t[k].s, -1000000000L, 0, &v))
				return perr(p, t[k].col, "'%s' is not a number", t[k].s), -1;
			st->ival = v;
			return 0;
		}
		if (num_arg(p, &t[k], what, 0, INT64_MAX, &st->n))
			return -1;
		st->ival = (int64_t)st->n;
		return 0;
	}
unknown:
	perr(p, t[0].col, "unknown statement '%s' (see gmmctl run --help)", w);
	return -1;
}

static struct stmt *block_add(struct parser *p, struct block *b)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;
		struct stmt *v = realloc(b->v, cap * sizeof(*v));

		if (!v) {
			perr(p, 0, "out of memory");
			return NULL;
		}
		b->v = v;
		b->cap = cap;
	}
	memset(&b->v[b->n], 0, sizeof(b->v[0]));
	return &b->v[b->n++];
}

/* Read all of @f; NUL-terminated. */
static char *slurp(FILE *f, size_t *len)
{
	size_t cap = 8192, n = 0;
	char *buf = malloc(cap);

	if (!buf)
		return NULL;
	for (;;) {
		size_t r;

		if (n + 1 >= cap) {
			char *nb;

			if (cap > (64U << 20)) {	/* 64 MiB of script is enough */
				free(buf);
				errno = EFBIG;
				return NULL;
			}
			nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
		r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Parse the whole script.  Returns the number of errors. */
static int parse_script(struct script *sc, char *src, size_t len)
{
	struct block *stack[MAX_DEPTH + 1];
	unsigned int open_line[MAX_DEPTH + 1];
	struct parser p = { .sc = sc };
	struct token tok[MAX_TOKENS];
	int depth = 0;
	char *line = src, *end = src + len, *out = NULL;
	size_t outcap = 0;

	stack[0] = &sc->top;
	while (line < end) {
		char *nl = memchr(line, '\n', (size_t)(end - line));
		struct stmt *st;
		char *copy;
		int n;

		if (!nl)
			nl = end;
		*nl = '\0';
		p.line++;
		if (strlen(line) != (size_t)(nl - line)) {
			perr(&p, 0, "the line has a NUL byte; scripts are text");
			line = nl + 1;
			continue;
		}
		copy = strdup(line);
		if (!copy) {
			perr(&p, 0, "out of memory");
			break;
		}
		/* Trim the copy for messages. */
		{
			size_t l = strlen(copy);

			while (l && (copy[l - 1] == '\r' || copy[l - 1] == ' ' ||
				     copy[l - 1] == '\t'))
				copy[--l] = '\0';
		}
		if (2 * strlen(line) + 2 > outcap) {
			char *o = realloc(out, 2 * strlen(line) + 2);

			if (!o) {
				free(copy);
				perr(&p, 0, "out of memory");
				break;
			}
			out = o;
			outcap = 2 * strlen(line) + 2;
		}
		n = tokenize(&p, line, out, tok);
		line = nl + 1;
		if (n <= 0) {
			free(copy);
			continue;
		}
		/* Block structure: repeat N {  ...  } */
		if (!tok[0].quoted && !strcmp(tok[0].s, "}")) {
			free(copy);
			if (n != 1) {
				perr(&p, tok[1].col, "'}' must be alone on its line");
				continue;
			}
			if (!depth) {
				perr(&p, tok[0].col, "'}' without a repeat block to close");
				continue;
			}
			depth--;
			continue;
		}
		st = block_add(&p, stack[depth]);
		if (!st) {
			free(copy);
			break;
		}
		st->line = p.line;
		st->text = copy;
		st->var = st->var2 = st->type = -1;
		if (!tok[0].quoted && !strcmp(tok[0].s, "repeat")) {
			st->kind = S_REPEAT;
			if (n != 3 || strcmp(tok[2].s, "{") || tok[2].quoted) {
				perr(&p, tok[0].col, "repeat COUNT { ... } (the '{' ends "
				     "the line, the '}' is alone on a later line)");
				continue;
			}
			if (num_arg(&p, &tok[1], "repeat count", 0, MAX_REPEAT, &st->n))
				continue;
			if (depth == MAX_DEPTH) {
				perr(&p, tok[0].col, "repeat blocks nest at most %d deep",
				     MAX_DEPTH);
				continue;
			}
			open_line[depth] = p.line;
			stack[++depth] = &st->body;
			continue;
		}
		for (int i = 0; i < n; i++) {
			if (!tok[i].quoted && (!strcmp(tok[i].s, "{") ||
					       !strcmp(tok[i].s, "}"))) {
				perr(&p, tok[i].col, "'%s' only opens a repeat block (at the "
				     "end of its line) or closes one (alone on a line)",
				     tok[i].s);
				n = -1;
				break;
			}
		}
		if (n < 0)
			continue;
		parse_stmt(&p, st, tok, n);
	}
	while (depth > 0) {
		depth--;
		p.line = open_line[depth];
		perr(&p, 0, "this repeat block is never closed with '}'");
	}
	free(out);
	return p.nerr;
}

/* ------------------------------------------------------------------ run */

/* Why a statement failed; msg is printed as FILE:LINE: msg. */
struct fail {
	int err;		/* -errno from the kernel, or 0 */
	bool script;		/* not the kernel's: a name with no object... */
	char msg[512];
};

static int fail(struct fail *f, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct fail *f, int err, const char *fmt, ...)
{
	va_list ap;

	f->err = err;
	f->script = !err;
	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* A kernel error, with a hint of what usually causes it. */
static int kfail(struct fail *f, int err, const char *op, const char *hint)
{
	return fail(f, err, "%s failed: %s (%s)%s%s", op, strerror(-err),
		    errname(err), hint ? ": " : "", hint ? hint : "");
}

/* The handle of name @v, which must hold an object. */
static int handle_of(struct script *sc, int v, struct fail *f, uint32_t *h)
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

/* Give name @v handle @h (0 = nil), releasing what it held. */
static int assign(struct script *sc, int v, uint32_t h, struct fail *f)
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

static void out_line(struct script *sc, const struct stmt *st)
{
	json_obj_begin(&sc->j, NULL);
	json_u64(&sc->j, "line", st->line);
}

static int do_stmt(struct script *sc, const struct stmt *st, struct fail *f);

static int gc_stmt(struct script *sc, const struct stmt *st, struct fail *f)
{
	struct gmm_stats before, after;
	uint64_t i, num = 0;
	int err;

	err = gmm_stats(sc->g, &before, NULL, 0);
	if (err)
		return kfail(f, err, "GMM_IOC_STATS", NULL);
	for (i = 0; i < st->n; i++) {
		err = gmm_collect(sc->g, &num);
		if (err)
			return kfail(f, err, "gc (GMM_OP_GC)", NULL);
	}
	err = gmm_stats(sc->g, &after, NULL, 0);
	if (err)
		return kfail(f, err, "GMM_IOC_STATS", NULL);
	if (opts.json) {
		struct gmm_cycle_info c[32];
		uint32_t n, k;

		err = gmm_cycles(sc->g, c, 32, &n, NULL);
		if (err)
			return kfail(f, err, "GMM_IOC_CYCLES", NULL);
		out_line(sc, st);
		json_arr_begin(&sc->j, "gc");
		for (k = 0; k < n; k++)
			if (c[k].num > sc->cycles_seen)
				json_cycle(&sc->j, NULL, &c[k]);
		json_arr_end(&sc->j);
		json_u64(&sc->j, "freed", after.frees - before.frees);
		json_u64(&sc->j, "heap_objects", after.heap_objects);
		json_obj_end(&sc->j);
	} else {
		err = report_cycles(sc->g, stdout, sc->cycles_seen);
		if (err)
			return kfail(f, err, "GMM_IOC_CYCLES", NULL);
		printf("  freed %llu object%s; %llu live\n",
		       after.frees - before.frees,
		       after.frees - before.frees == 1 ? "" : "s",
		       after.heap_objects);
	}
	sc->cycles_seen = after.num_gc;
	return 0;
}

static int stats_stmt(struct script *sc, const struct stmt *st, struct fail *f)
{
	struct gmm_class_info cl[128];
	struct gmm_stats s;
	char b1[32], b2[32];
	int err;

	err = gmm_stats(sc->g, &s, st->mode == 2 ? cl : NULL, st->mode == 2 ? 128 : 0);
	if (err)
		return kfail(f, err, "GMM_IOC_STATS", NULL);
	if (opts.json) {
		out_line(sc, st);
		json_memstats(&sc->j, "stats", &s);
		if (st->mode == 2)
			json_classes(&sc->j, "classes", cl, s.nr_classes, false);
		json_obj_end(&sc->j);
		return 0;
	}
	if (st->mode == 0) {
		printf("stats: %llu objects (%s), heap %s, %llu"
		       " cycles, %llu handles, next GC at %s\n",
		       s.heap_objects, fmt_bytes(b1, sizeof(b1), s.heap_alloc),
		       fmt_bytes(b2, sizeof(b2), s.heap_sys), s.num_gc, s.handles,
		       fmt_bytes(b2, sizeof(b2), s.next_gc));
		return 0;
	}
	print_memstats(stdout, &s);
	print_gcstats(stdout, &s);
	if (st->mode == 2)
		print_classes(stdout, cl, s.nr_classes, false);
	return 0;
}

static int spans_stmt(struct script *sc, const struct stmt *st, struct fail *f)
{
	struct gmm_arena_info *arenas;
	struct gmm_span_info *spans;
	struct gmm_spans sp;
	int err;

	err = gmm_spans_alloc(sc->g, &sp, &arenas, &spans);
	if (err)
		return kfail(f, err, "GMM_IOC_SPANS", NULL);
	if (opts.json) {
		out_line(sc, st);
		json_spans(&sc->j, "spans", &sp, arenas, spans);
		json_obj_end(&sc->j);
	} else {
		print_spans(stdout, &sp, arenas, spans);
	}
	free(arenas);
	free(spans);
	return 0;
}

static void print_value(struct script *sc, const struct stmt *st,
			const unsigned char *buf, size_t len)
{
	const char *name = sc->vars[st->var].name;
	int64_t sv = 0;
	uint64_t uv = 0;
	size_t i;

	switch (st->vk) {
	case V_U8: uv = buf[0]; break;
	case V_U16: { uint16_t x; memcpy(&x, buf, 2); uv = x; break; }
	case V_U32: { uint32_t x; memcpy(&x, buf, 4); uv = x; break; }
	case V_U64: memcpy(&uv, buf, 8); break;
	case V_I8: sv = (int8_t)buf[0]; break;
	case V_I16: { int16_t x; memcpy(&x, buf, 2); sv = x; break; }
	case V_I32: { int32_t x; memcpy(&x, buf, 4); sv = x; break; }
	case V_I64: memcpy(&sv, buf, 8); break;
	default: break;
	}
	if (opts.json) {
		out_line(sc, st);
		json_str(&sc->j, "name", name);
		json_u64(&sc->j, "offset", st->off);
		json_str(&sc->j, "type", vkinds[st->vk].name);
		if (st->vk <= V_U64)
			json_u64(&sc->j, "value", uv);
		else if (st->vk <= V_I64)
			json_i64(&sc->j, "value", sv);
		else if (st->vk == V_STR)
			json_strn(&sc->j, "value", (const char *)buf, strnlen((const char *)buf, len));
		else
			json_strn(&sc->j, "value", (const char *)buf, len);
		json_obj_end(&sc->j);
		return;
	}
	printf("%s.%llu = ", name, ULL(st->off));
	if (st->vk <= V_U64) {
		printf("%llu (%s, %#llx)\n", ULL(uv), vkinds[st->vk].name, ULL(uv));
	} else if (st->vk <= V_I64) {
		printf("%lld (%s)\n", (long long)sv, vkinds[st->vk].name);
	} else if (st->vk == V_STR) {
		len = strnlen((const char *)buf, len);
		putchar('"');
		for (i = 0; i < len; i++) {
			if (buf[i] == '"' || buf[i] == '\\')
				printf("\\%c", buf[i]);
			else if (buf[i] >= 0x20 && buf[i] < 0x7f)
				putchar(buf[i]);
			else if (buf[i] == '\n')
				fputs("\\n", stdout);
			else
				printf("\\x%02x", buf[i]);
		}
		printf("\"\n");
	} else {
		for (i = 0; i < len; i++)
			printf("%s%02x", i && !(i % 16) ? "\n    " : i ? " " : "", buf[i]);
		putchar('\n');
	}
}

/* The bytes of an integer value of kind @vk. */
static void ival_bytes(enum vkind vk, int64_t v, unsigned char *buf)
{
	uint64_t u = (uint64_t)v;

	switch (vkinds[vk].size) {
	case 1: { uint8_t x = (uint8_t)u; memcpy(buf, &x, 1); break; }
	case 2: { uint16_t x = (uint16_t)u; memcpy(buf, &x, 2); break; }
	case 4: { uint32_t x = (uint32_t)u; memcpy(buf, &x, 4); break; }
	default: memcpy(buf, &u, 8); break;
	}
}

static const char *rw_hint(int err)
{
	if (err == -EINVAL)
		return "the range is not inside the object (see 'info NAME' for its size)";
	if (err == -ENOENT)
		return "the handle is not one of this heap's";
	return NULL;
}

static int stat_value(const struct gmm_stats *s, size_t f, int64_t *v)
{
	const unsigned char *p = (const unsigned char *)s + stat_fields[f].off;

	if (stat_fields[f].size == 8) {
		uint64_t x;

		memcpy(&x, p, 8);
		*v = (int64_t)x;
	} else if (stat_fields[f].is_signed) {
		int32_t x;

		memcpy(&x, p, 4);
		*v = x;
	} else {
		uint32_t x;

		memcpy(&x, p, 4);
		*v = x;
	}
	return 0;
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

static int run_block(struct script *sc, const struct block *b, struct fail *f);

static int do_stmt(struct script *sc, const struct stmt *st, struct fail *f)
{
	struct gmm *g = sc->g;
	uint32_t h = 0, h2 = 0;
	int err;

	switch (st->kind) {
	case S_TYPE: {
		struct tsym *t = &sc->types[st->type];
		uint32_t id;

		if (t->id)
			return fail(f, 0, "type '%s' is already registered", t->name);
		err = gmm_type_create(g, t->name, (uint32_t)st->n, st->align,
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
	case S_ALLOC:
		if (st->type >= 0) {
			struct tsym *t = &sc->types[st->type];

			if (!t->id)
				return fail(f, 0, "type '%s' has not been registered yet "
					    "(its type statement has not run)", t->name);
			err = gmm_alloc(g, t->id, st->n, &h);
		} else {
			err = gmm_alloc_bytes(g, st->n, &h);
		}
		if (err)
			return kfail(f, err, "alloc (GMM_OP_ALLOC)",
				     err == -EINVAL ? "count x size is above 4 MiB" :
				     err == -ENOMEM ? "the heap's memory limit or the system refused" : NULL);
		if (sc->verbose && !opts.json)
			printf("%u: %s = handle %u\n", st->line, sc->vars[st->var].name, h);
		return assign(sc, st->var, h, f);
	case S_LINK:
		if (handle_of(sc, st->var, f, &h))
			return -1;
		if (st->var2 >= 0) {
			struct var *x = &sc->vars[st->var2];

			if (x->bound)
				h2 = x->handle;	/* nil stores NULL */
			else if (handle_of(sc, st->var2, f, &h2))
				return -1;
		}
		err = gmm_store(g, h, st->off, h2);
		if (err)
			return kfail(f, err, "store (GMM_OP_STORE)",
				     err == -EINVAL ? "the offset is not a pointer word of "
				     "the object's type" : NULL);
		return 0;
	case S_LOAD:
		if (handle_of(sc, st->var, f, &h))
			return -1;
		err = gmm_load(g, h, st->off, &h2);
		if (err)
			return kfail(f, err, "load (GMM_OP_LOAD)",
				     err == -EINVAL ? "the offset is not a pointer word of "
				     "the object's type" : NULL);
		if (sc->verbose && !opts.json) {
			if (h2)
				printf("%u: %s = handle %u\n", st->line,
				       sc->vars[st->var2].name, h2);
			else
				printf("%u: %s = nil\n", st->line, sc->vars[st->var2].name);
		}
		return assign(sc, st->var2, h2, f);
	case S_DUP:
		if (handle_of(sc, st->var, f, &h))
			return -1;
		err = gmm_dup(g, h, &h2);
		if (err)
			return kfail(f, err, "dup (GMM_OP_DUP)", NULL);
		return assign(sc, st->var2, h2, f);
	case S_DROP: {
		struct var *x = &sc->vars[st->var];

		if (!x->bound)
			return handle_of(sc, st->var, f, &h);
		if (x->handle) {
			err = gmm_release(g, x->handle);
			if (err)
				return kfail(f, err, "drop (GMM_OP_RELEASE)", NULL);
		}
		x->bound = false;
		x->handle = 0;
		x->dropped_at = st->line;
		return st->inner ? do_stmt(sc, st->inner, f) : 0;
	}
	case S_WRITE: {
		unsigned char buf[8];

		if (handle_of(sc, st->var, f, &h))
			return -1;
		if (st->vk == V_STR) {
			err = gmm_write(g, h, st->off, st->sval, st->slen);
		} else {
			ival_bytes(st->vk, st->ival, buf);
			err = gmm_write(g, h, st->off, buf, vkinds[st->vk].size);
		}
		if (err)
			return kfail(f, err, "write (GMM_OP_WRITE)", rw_hint(err));
		return 0;
	}
	case S_READ:
	case S_EXPECT_VALUE: {
		size_t len = st->vk == V_STR && st->kind == S_EXPECT_VALUE ? st->slen :
			     st->vk >= V_STR ? st->n : vkinds[st->vk].size;
		unsigned char small[8], *buf = len > 8 ? malloc(len) : small;
		unsigned char want[8];

		if (!buf)
			return fail(f, 0, "out of memory");
		if (handle_of(sc, st->var, f, &h))
			goto rfree;
		err = gmm_read(g, h, st->off, buf, len);
		if (err) {
			kfail(f, err, "read (GMM_OP_READ)", rw_hint(err));
			goto rfree;
		}
		if (st->kind == S_READ) {
			print_value(sc, st, buf, len);
			if (buf != small)
				free(buf);
			return 0;
		}
		if (st->vk == V_STR) {
			if (memcmp(buf, st->sval, len)) {
				size_t i;
				char got[96];
				size_t o = 0;

				for (i = 0; i < len && o + 5 < sizeof(got); i++)
					o += (size_t)snprintf(got + o, sizeof(got) - o,
						buf[i] >= 0x20 && buf[i] < 0x7f && buf[i] != '"' &&
						buf[i] != '\\' ? "%c" : "\\x%02x", buf[i]);
				fail(f, 0, "expect value: %s.%llu holds \"%s\"%s",
				     sc->vars[st->var].name, ULL(st->off), got,
				     i < len ? "..." : "");
				goto rfree;
			}
		} else {
			ival_bytes(st->vk, st->ival, want);
			if (memcmp(buf, want, len)) {
				int64_t got = 0;
				uint64_t ug = 0;

				if (st->vk <= V_U64) {
					memcpy(&ug, buf, len);	/* little endian */
					fail(f, 0, "expect value: %s.%llu is %llu"
					     " (%s), not %llu", sc->vars[st->var].name,
					     ULL(st->off), ULL(ug), vkinds[st->vk].name,
					     ULL(st->ival));
				} else {
					memcpy(&ug, buf, len);
					got = (int64_t)(ug << (64 - 8 * len)) >> (64 - 8 * len);
					fail(f, 0, "expect value: %s.%llu is %lld"
					     " (%s), not %lld", sc->vars[st->var].name,
					     ULL(st->off), (long long)got, vkinds[st->vk].name, (long long)st->ival);
				}
				goto rfree;
			}
		}
		if (buf != small)
			free(buf);
		return 0;
rfree:
		if (buf != small)
			free(buf);
		return -1;
	}
	case S_INFO: {
		uint32_t size, type;
		const char *tname = "-";
		size_t i;

		if (handle_of(sc, st->var, f, &h))
			return -1;
		err = gmm_info(g, h, &size, &type);
		if (err)
			return kfail(f, err, "info (GMM_OP_INFO)", NULL);
		for (i = 0; i < sc->ntypes; i++)
			if (type && sc->types[i].id == type)
				tname = sc->types[i].name;
		if (opts.json) {
			out_line(sc, st);
			json_str(&sc->j, "name", sc->vars[st->var].name);
			json_u64(&sc->j, "handle", h);
			json_u64(&sc->j, "size", size);
			json_u64(&sc->j, "type", type);
			json_obj_end(&sc->j);
		} else {
			printf("%s: handle %u, %u bytes (its size class), %s\n",
			       sc->vars[st->var].name, h, size,
			       type ? tname : "no pointers");
		}
		return 0;
	}
	case S_GC:
		return gc_stmt(sc, st, f);
	case S_STATS:
		return stats_stmt(sc, st, f);
	case S_SPANS:
		return spans_stmt(sc, st, f);
	case S_CYCLES: {
		uint64_t seen;

		if (!opts.json)
			print_cycle_legend(stdout);
		err = report_cycles(g, stdout, 0);
		if (err)
			return kfail(f, err, "GMM_IOC_CYCLES", NULL);
		err = gmm_cycles(g, NULL, 0, &h, &seen);
		if (!err)
			sc->cycles_seen = seen;
		return 0;
	}
	case S_PARAMS: {
		struct gmm_params p;

		if (st->set_gc) {
			err = gmm_set_gc_percent(g, st->gc_percent);
			if (err)
				return kfail(f, err, "params gc_percent (GMM_IOC_PARAMS)", NULL);
		}
		if (st->set_limit) {
			err = gmm_set_memory_limit(g, st->limit);
			if (err)
				return kfail(f, err, "params memory_limit (GMM_IOC_PARAMS)", NULL);
		}
		err = gmm_get_params(g, &p);
		if (err)
			return kfail(f, err, "params (GMM_IOC_PARAMS)", NULL);
		if (st->set_gc || st->set_limit) {
			if (!sc->verbose)
				return 0;
		}
		if (opts.json) {
			out_line(sc, st);
			json_i64(&sc->j, "gc_percent", p.gc_percent);
			json_u64(&sc->j, "memory_limit", p.memory_limit);
			json_u64(&sc->j, "total_limit", p.total_limit);
			json_obj_end(&sc->j);
		} else {
			char b1[32], b2[32];

			printf("params: gc_percent %d%s, memory_limit %s, total_limit %s\n",
			       p.gc_percent, p.gc_percent < 0 ? " (off)" : "",
			       p.memory_limit ? fmt_bytes(b1, sizeof(b1), p.memory_limit) : "none",
			       p.total_limit ? fmt_bytes(b2, sizeof(b2), p.total_limit) : "none");
		}
		return 0;
	}
	case S_PRINT:
		if (opts.json) {
			out_line(sc, st);
			json_strn(&sc->j, "print", st->sval, st->slen);
			json_obj_end(&sc->j);
		} else {
			fwrite(st->sval, 1, st->slen, stdout);
			putchar('\n');
		}
		return 0;
	case S_EXPECT_LIVE:
	case S_EXPECT_STAT: {
		struct gmm_stats s;
		int64_t v;

		if (st->kind == S_EXPECT_LIVE) {
			err = gmm_collect(g, NULL);
			if (err)
				return kfail(f, err, "expect live: gc (GMM_OP_GC)", NULL);
		}
		err = gmm_stats(g, &s, NULL, 0);
		if (err)
			return kfail(f, err, "GMM_IOC_STATS", NULL);
		if (st->kind == S_EXPECT_LIVE) {
			if (s.heap_objects != st->n)
				return fail(f, 0, "expect live %llu: %llu"
					    " object%s survived a full collection", ULL(st->n),
					    s.heap_objects, s.heap_objects == 1 ? "" : "s");
			return 0;
		}
		stat_value(&s, (size_t)st->field, &v);
		if (!compare(v, st->cmp, st->ival))
			return fail(f, 0, "expect %s %s %lld: it is %lld",
				    stat_fields[st->field].name, cmp_names[st->cmp],
				    (long long)st->ival, (long long)v);
		return 0;
	}
	case S_EXPECT_NIL: {
		if (handle_of(sc, st->var, f, &h))
			return -1;
		err = gmm_load(g, h, st->off, &h2);
		if (err)
			return kfail(f, err, "expect nil: load (GMM_OP_LOAD)",
				     err == -EINVAL ? "the offset is not a pointer word" : NULL);
		if (h2)
			gmm_release(g, h2);
		if (st->n && !h2)
			return fail(f, 0, "expect notnil: %s.%llu is nil",
				    sc->vars[st->var].name, ULL(st->off));
		if (!st->n && h2)
			return fail(f, 0, "expect nil: %s.%llu points to an object",
				    sc->vars[st->var].name, ULL(st->off));
		return 0;
	}
	case S_EXPECT_SIZE: {
		uint32_t size;

		if (handle_of(sc, st->var, f, &h))
			return -1;
		err = gmm_info(g, h, &size, NULL);
		if (err)
			return kfail(f, err, "expect size: info (GMM_OP_INFO)", NULL);
		if (size != st->n)
			return fail(f, 0, "expect size: %s is %u bytes, not %llu",
				    sc->vars[st->var].name, size, ULL(st->n));
		return 0;
	}
	case S_EXPECT_ERROR: {
		struct fail inner = { 0 };

		if (!do_stmt(sc, st->inner, &inner))
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
	case S_REPEAT: {
		uint64_t i;

		for (i = 0; i < st->n; i++) {
			if (run_block(sc, &st->body, f)) {
				size_t l = strlen(f->msg);

				snprintf(f->msg + l, sizeof(f->msg) - l,
					 " (iteration %llu of the repeat on line %u)",
					 ULL(i + 1), st->line);
				return -2;	/* sc->failed_at is set */
			}
		}
		return 0;
	}
	}
	return fail(f, 0, "internal error: unknown statement");
}

/*
 * Run @b; on failure sc->failed_at is the statement that failed (the
 * innermost one for a failure inside a repeat block).
 */
static int run_block(struct script *sc, const struct block *b, struct fail *f)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		int r = do_stmt(sc, &b->v[i], f);

		if (r == -1)
			sc->failed_at = &b->v[i];
		if (r)
			return -1;
	}
	return 0;
}

static void run_usage(FILE *f)
{
	fprintf(f,
		"Usage: gmmctl [-j] run [-v] [-n] SCRIPT|-\n"
		"\n"
		"Run a script that builds and changes object graphs on a new heap,\n"
		"one statement per line (# starts a comment).  The script is parsed\n"
		"whole first; a syntax error stops it before anything runs (exit 2).\n"
		"The first statement that fails stops it with FILE:LINE and exit 1.\n"
		"\n"
		"Names hold handles (roots).  alloc, dup and load assign a name;\n"
		"assigning releases what the name held, like overwriting a Go\n"
		"variable.  LOC is NAME or NAME.OFFSET (bytes).\n"
		"\n"
		"  type T size=N [align=N] [ptrs=O,O,...]  register a type; ptrs are\n"
		"                                the byte offsets of its pointer words\n"
		"  alloc X T [count=N]           a T (or an array of N of them)\n"
		"  alloc X bytes=N               N bytes without pointers\n"
		"  link X.OFF Y | link X.OFF nil store a pointer to Y's object (or NULL)\n"
		"  unlink X.OFF                  store NULL\n"
		"  load Y X.OFF                  Y := the object X.OFF points to (or nil)\n"
		"  dup Y X                       Y := X's object (a second handle)\n"
		"  drop X [Y...]                 release the names' handles\n"
		"  write LOC u8|u16|u32|u64|i8|i16|i32|i64 VALUE\n"
		"  write LOC \"text\"              bytes (escapes \\n \\t \\0 \\xHH ...)\n"
		"  read LOC TYPE | read LOC str N | read LOC bytes N\n"
		"  info X                        size of X's slot and its type\n"
		"  gc [N]                        N full collections: gctrace lines and\n"
		"                                how many objects were freed\n"
		"  stats [full|classes]          statistics of this heap\n"
		"  spans                         arenas and spans of this heap\n"
		"  cycles                        the heap's recent gctrace lines\n"
		"  params [gc_percent=N|off] [memory_limit=SIZE]\n"
		"  print TEXT...\n"
		"  repeat N {                    the lines up to a '}' alone on a\n"
		"  }                             line, N times (blocks nest)\n"
		"  expect live N                 run a full collection; exactly N\n"
		"                                objects must survive it\n"
		"  expect STAT [OP] N            a statistic (heap_objects, heap_alloc,\n"
		"                                mallocs, frees, num_gc, handles, ...)\n"
		"                                compared with OP: == != < <= > >=\n"
		"  expect value LOC TYPE VALUE | expect value LOC \"text\"\n"
		"  expect nil X.OFF | expect notnil X.OFF\n"
		"  expect size X N               X's slot is N bytes\n"
		"  expect error ERRNO STATEMENT  the statement must fail with ERRNO\n"
		"                                (EINVAL, ENOENT, ENOMEM, ... or any)\n"
		"\n"
		"Options:\n"
		"  -v, --verbose   show handles as they are assigned\n"
		"  -n, --check     parse only: report syntax errors, run nothing\n"
		"  -j, --json      output statements print one JSON object per line\n"
		"  -h, --help      this help\n"
		"\n"
		"Examples are in tools/gmmctl/examples/ (list, cycle, diamond, ...).\n");
}

int cmd_run(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "check", no_argument, NULL, 'n' },
		HELP_OPTION, COMMON_OPTIONS, { NULL, 0, NULL, 0 },
	};
	struct script sc;
	bool check_only = false;
	struct fail f = { 0 };
	char *src;
	size_t len, i;
	FILE *in;
	int c, nerr, ret;

	memset(&sc, 0, sizeof(sc));
	subcommand_argv0(argv);
	while ((c = getopt_long(argc, argv, "+hvn" COMMON_SHORT, lopts,
				NULL)) != -1) {
		switch (c) {
		case 'h':
			run_usage(stdout);
			return EXIT_OK;
		case 'v':
			sc.verbose = true;
			break;
		case 'n':
			check_only = true;
			break;
		default:
			if (!common_option(c, optarg))
				return bad_option("run");
		}
	}
	if (optind != argc - 1)
		return usage_error("run", optind == argc ? "which script? (a file, or - for standard input)" :
				   "one script at a time");
	if (!strcmp(argv[optind], "-")) {
		sc.file = "<stdin>";
		in = stdin;
	} else {
		sc.file = argv[optind];
		in = fopen(sc.file, "r");
		if (!in) {
			errmsg("cannot open script %s: %s", sc.file, strerror(errno));
			return EXIT_USAGE;
		}
	}
	src = slurp(in, &len);
	if (in != stdin)
		fclose(in);
	if (!src) {
		errmsg("cannot read script %s: %s", sc.file, strerror(errno));
		return EXIT_USAGE;
	}
	nerr = parse_script(&sc, src, len);
	free(src);
	if (nerr) {
		fprintf(stderr, "%s: %d error%s; nothing was run\n", sc.file, nerr,
			nerr == 1 ? "" : "s");
		ret = EXIT_USAGE;
		goto out;
	}
	if (check_only) {
		ret = EXIT_OK;
		goto out;
	}
	json_init(&sc.j, stdout);
	sc.g = open_heap(false);
	if (!sc.g) {
		ret = EXIT_NODEV;
		goto out;
	}
	if (run_block(&sc, &sc.top, &f)) {
		const struct stmt *where = sc.failed_at;

		fflush(stdout);
		fprintf(stderr, "%s:%u: %s\n    %s\n", sc.file, where->line,
			f.msg, where->text ? where->text : "");
		ret = EXIT_FAIL;
	} else {
		ret = EXIT_OK;
	}
	gmm_close(sc.g);
out:
	block_free(&sc.top);
	for (i = 0; i < sc.nvars; i++)
		free(sc.vars[i].name);
	free(sc.vars);
	for (i = 0; i < sc.ntypes; i++)
		free(sc.types[i].name);
	free(sc.types);
	return ret;
}
