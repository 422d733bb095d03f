// SPDX-License-Identifier: GPL-2.0
/*
 * args.c - the words of a `gmmctl run` statement: names (of handles and
 * of types), numbers with size units, locations NAME.OFFSET, values of a
 * value type, errno names and comparisons.  Each parser prints what is
 * wrong at the word's column and returns -1.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

const struct vkind_info vkinds[] = {
	[V_U8] = { "u8", 1 }, [V_U16] = { "u16", 2 }, [V_U32] = { "u32", 4 },
	[V_U64] = { "u64", 8 }, [V_I8] = { "i8", 1 }, [V_I16] = { "i16", 2 },
	[V_I32] = { "i32", 4 }, [V_I64] = { "i64", 8 }, [V_STR] = { "str", 0 },
	[V_BYTES] = { "bytes", 0 },
};
#define NR_VKINDS	(sizeof(vkinds) / sizeof(vkinds[0]))

const char *const cmp_names[] = { "==", "!=", "<", "<=", ">", ">=" };

static const struct {
	const char *name;
	int err;
} errnames[] = {
	{ "EINVAL", EINVAL }, { "ENOENT", ENOENT }, { "ENOMEM", ENOMEM },
	{ "ENOSPC", ENOSPC }, { "EFAULT", EFAULT }, { "E2BIG", E2BIG },
	{ "EINTR", EINTR }, { "ENOTTY", ENOTTY }, { "EPERM", EPERM },
	{ "EACCES", EACCES }, { "EBUSY", EBUSY }, { "EAGAIN", EAGAIN },
};
#define NR_ERRNAMES	(sizeof(errnames) / sizeof(errnames[0]))

const char *errname(int err)
{
	size_t i;

	for (i = 0; i < NR_ERRNAMES; i++)
		if (errnames[i].err == -err)
			return errnames[i].name;
	return "E?";
}

bool is_word(const struct token *t, const char *word)
{
	return !t->quoted && !strcmp(t->s, word);
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

static bool is_name(const struct token *t)
{
	return !t->quoted && is_ident(t->s) && strlen(t->s) <= NAME_MAX_LEN &&
	       !is_keyword(t->s);
}

/* Room for one more element of @size in *@v (@cap of them, @n used). */
static int grow(struct parser *p, void **v, size_t *cap, size_t n,
		size_t size, size_t first)
{
	size_t c = *cap ? *cap * 2 : first;
	void *nv;

	if (n < *cap)
		return 0;
	nv = realloc(*v, c * size);
	if (!nv) {
		perr(p, 0, "out of memory");
		return -1;
	}
	*v = nv;
	*cap = c;
	return 0;
}

/* Index of variable @name, created when new; -1 for a bad name. */
int var_index(struct parser *p, const struct token *t)
{
	struct script *sc = p->sc;
	size_t i;

	if (!is_name(t)) {
		perr(p, t->col, "'%s' is not a name (letters, digits, _; "
		     "not a keyword; at most %d characters)", t->s, NAME_MAX_LEN);
		return -1;
	}
	for (i = 0; i < sc->nvars; i++)
		if (!strcmp(sc->vars[i].name, t->s))
			return (int)i;
	if (grow(p, (void **)&sc->vars, &sc->capvars, sc->nvars,
		 sizeof(*sc->vars), 16))
		return -1;
	memset(&sc->vars[sc->nvars], 0, sizeof(sc->vars[0]));
	sc->vars[sc->nvars].name = strdup(t->s);
	if (!sc->vars[sc->nvars].name) {
		perr(p, 0, "out of memory");
		return -1;
	}
	return (int)sc->nvars++;
}

int type_index(struct parser *p, const struct token *t, bool create)
{
	struct script *sc = p->sc;
	size_t i;

	if (!is_name(t)) {
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
	if (grow(p, (void **)&sc->types, &sc->captypes, sc->ntypes,
		 sizeof(*sc->types), 8))
		return -1;
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

int num_arg(struct parser *p, const struct token *t, const char *what,
	    uint64_t min, uint64_t max, uint64_t *v)
{
	if (t->quoted || parse_number(t->s, v) || *v < min || *v > max) {
		perr(p, t->col, "%s: '%s' is not a number in %llu..%llu",
		     what, t->s, ULL(min), ULL(max));
		return -1;
	}
	return 0;
}

const char *kv(const struct token *t, const char *key)
{
	size_t n = strlen(key);

	if (t->quoted || strncmp(t->s, key, n) || t->s[n] != '=')
		return NULL;
	return t->s + n + 1;
}

/* NAME or NAME.OFF */
int parse_loc(struct parser *p, const struct token *t, int *var,
	      uint64_t *off)
{
	char buf[64], *dot;
	struct token nt = *t;

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
	nt.s = buf;
	nt.len = strlen(buf);
	*var = var_index(p, &nt);
	return *var < 0 ? -1 : 0;
}

int parse_vkind(struct parser *p, const struct token *t, bool raw_ok,
		enum vkind *vk)
{
	size_t i;

	for (i = 0; i < NR_VKINDS; i++) {
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

/* A negative literal of a signed @bits-bit type; false if it is not one. */
static bool negative_ival(const char *s, unsigned int bits, bool is_signed,
			  int64_t *out)
{
	char *end;
	long long x = strtoll(s, &end, 0);

	if (errno || *end || !is_signed)
		return false;
	if (bits < 64 && (x < -(1LL << (bits - 1))))
		return false;
	*out = x;
	return true;
}

static bool positive_ival(const char *s, unsigned int bits, bool is_signed,
			  int64_t *out)
{
	char *end;
	unsigned long long x = strtoull(s, &end, 0);

	if (errno || *end || end == s)
		return false;
	if (bits < 64 && x >= (1ULL << (bits - (is_signed ? 1 : 0))))
		return false;
	if (bits == 64 && is_signed && x > INT64_MAX)
		return false;
	*out = (int64_t)x;
	return true;
}

/* An integer literal that must fit value type @vk. */
static int parse_ival(struct parser *p, const struct token *t, enum vkind vk,
		      int64_t *out)
{
	unsigned int bits = vkinds[vk].size * 8;
	bool is_signed = vk >= V_I8 && vk <= V_I64, ok = false;

	if (!t->quoted) {
		errno = 0;
		ok = t->s[0] == '-' ? negative_ival(t->s, bits, is_signed, out) :
		     positive_ival(t->s, bits, is_signed, out);
	}
	if (ok)
		return 0;
	perr(p, t->col, "'%s' is not a %s value", t->s, vkinds[vk].name);
	return -1;
}

/* A "string" to write or compare: into st->sval. */
static int string_value(struct parser *p, struct stmt *st,
			const struct token *t, bool reading)
{
	if (reading) {
		perr(p, t->col, "read takes TYPE, str N or bytes N, not a string");
		return -1;
	}
	st->vk = V_STR;
	st->sval = malloc(t->len + 1);
	if (!st->sval) {
		perr(p, 0, "out of memory");
		return -1;
	}
	memcpy(st->sval, t->s, t->len + 1);
	st->slen = t->len;
	return 1;
}

/*
 * What to compare or write at a location: TYPE VALUE, "string", or (read
 * only) str N / bytes N.  Consumes tokens from @t; returns how many.
 */
int parse_value(struct parser *p, struct stmt *st, struct token *t, int n,
		bool reading)
{
	if (n < 1) {
		perr(p, 0, "missing value: TYPE VALUE or \"string\"");
		return -1;
	}
	if (t[0].quoted)
		return string_value(p, st, &t[0], reading);
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

int parse_errname(struct parser *p, const struct token *t, int *err)
{
	size_t i;

	if (!strcmp(t->s, "any")) {
		*err = 0;
		return 0;
	}
	for (i = 0; i < NR_ERRNAMES; i++) {
		if (!strcmp(t->s, errnames[i].name)) {
			*err = -errnames[i].err;
			return 0;
		}
	}
	perr(p, t->col, "'%s' is not an errno name this tool knows (EINVAL, "
	     "ENOENT, ENOMEM, ENOSPC, ... or any)", t->s);
	return -1;
}

int parse_cmp(const char *s, enum cmp_op *op)
{
	size_t i;

	for (i = 0; i <= C_GE; i++) {
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

int expect_words(struct parser *p, const struct token *t, int n, int min,
		 int max, const char *syntax)
{
	if (n >= min && n <= max)
		return 0;
	perr(p, n > max ? t[max].col : 0, "%s: %s", n > max ?
	     "too many words" : "missing words", syntax);
	return -1;
}
