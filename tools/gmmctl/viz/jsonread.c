// SPDX-License-Identifier: GPL-2.0
/*
 * jsonread.c - a small recursive-descent JSON reader for gmmctl's
 * recordings (see jsonread.h).  Strict: no trailing commas, no comments,
 * no leading zeros, nesting at most 64 levels.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonread.h"

#define JV_MAX_DEPTH	64

struct jp {
	const char *p, *end, *start;
	char *err;
	size_t errlen;
	int depth;
};

static int jp_fail(struct jp *j, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int jp_fail(struct jp *j, const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	if (j->err && j->errlen) {
		n = snprintf(j->err, j->errlen, "column %td: ",
			     j->p - j->start + 1);
		if (n < 0 || (size_t)n >= j->errlen)
			n = 0;
		va_start(ap, fmt);
		vsnprintf(j->err + n, j->errlen - n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static void jp_ws(struct jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' ||
				 *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int jp_value(struct jp *j, struct jv *v);

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int jp_hex4(struct jp *j, unsigned int *out)
{
	unsigned int x = 0;
	int i, h;

	if (j->end - j->p < 4)
		return jp_fail(j, "short \\u escape");
	for (i = 0; i < 4; i++) {
		h = hexval(j->p[i]);
		if (h < 0)
			return jp_fail(j, "bad \\u escape");
		x = x << 4 | (unsigned int)h;
	}
	j->p += 4;
	*out = x;
	return 0;
}

static size_t utf8_put(char *d, unsigned int cp)
{
	if (cp < 0x80) {
		d[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		d[0] = (char)(0xc0 | cp >> 6);
		d[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		d[0] = (char)(0xe0 | cp >> 12);
		d[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		d[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	d[0] = (char)(0xf0 | cp >> 18);
	d[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	d[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	d[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* A string; j->p at the opening quote.  *out is malloc()ed. */
static int jp_string(struct jp *j, char **out)
{
	const char *q;
	char *s, *d;
	unsigned int cp, lo;
	int err;

	j->p++;
	/* The decoded string is never longer than the encoded one. */
	for (q = j->p; q < j->end && *q != '"'; q++)
		if (*q == '\\')
			q++;
	if (q >= j->end)
		return jp_fail(j, "unterminated string");
	s = malloc((size_t)(q - j->p) + 1);
	if (!s)
		return -ENOMEM;
	d = s;
	while (*j->p != '"') {
		unsigned char c = (unsigned char)*j->p++;

		if (c < 0x20) {
			free(s);
			return jp_fail(j, "control character in string");
		}
		if (c != '\\') {
			*d++ = (char)c;
			continue;
		}
		c = (unsigned char)*j->p++;
		switch (c) {
		case '"': *d++ = '"'; break;
		case '\\': *d++ = '\\'; break;
		case '/': *d++ = '/'; break;
		case 'b': *d++ = '\b'; break;
		case 'f': *d++ = '\f'; break;
		case 'n': *d++ = '\n'; break;
		case 'r': *d++ = '\r'; break;
		case 't': *d++ = '\t'; break;
		case 'u':
			err = jp_hex4(j, &cp);
			if (err)
				goto bad;
			if (cp >= 0xd800 && cp < 0xdc00) {
				if (j->end - j->p < 6 || j->p[0] != '\\' ||
				    j->p[1] != 'u') {
					err = jp_fail(j, "lone surrogate");
					goto bad;
				}
				j->p += 2;
				err = jp_hex4(j, &lo);
				if (err)
					goto bad;
				if (lo < 0xdc00 || lo > 0xdfff) {
					err = jp_fail(j, "bad surrogate pair");
					goto bad;
				}
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			} else if (cp >= 0xdc00 && cp < 0xe000) {
				err = jp_fail(j, "lone surrogate");
				goto bad;
			}
			/* \uXXXX takes 6 bytes, its UTF-8 at most 4. */
			d += utf8_put(d, cp);
			break;
		default:
			err = jp_fail(j, "bad escape \\%c", c);
			goto bad;
		}
	}
	j->p++;
	*d = 0;
	*out = s;
	return 0;
bad:
	free(s);
	return err;
}

static int jp_number(struct jp *j, struct jv *v)
{
	const char *s = j->p, *q = j->p;
	bool integer = true;
	char buf[64];
	size_t len;
	char *end;

	if (q < j->end && *q == '-')
		q++;
	if (q >= j->end || *q < '0' || *q > '9')
		return jp_fail(j, "bad number");
	if (*q == '0' && q + 1 < j->end && q[1] >= '0' && q[1] <= '9')
		return jp_fail(j, "leading zero");
	while (q < j->end && *q >= '0' && *q <= '9')
		q++;
	if (q < j->end && *q == '.') {
		integer = false;
		q++;
		if (q >= j->end || *q < '0' || *q > '9')
			return jp_fail(j, "bad fraction");
		while (q < j->end && *q >= '0' && *q <= '9')
			q++;
	}
	if (q < j->end && (*q == 'e' || *q == 'E')) {
		integer = false;
		q++;
		if (q < j->end && (*q == '+' || *q == '-'))
			q++;
		if (q >= j->end || *q < '0' || *q > '9')
			return jp_fail(j, "bad exponent");
		while (q < j->end && *q >= '0' && *q <= '9')
			q++;
	}
	len = (size_t)(q - s);
	if (len >= sizeof(buf))
		return jp_fail(j, "number too long");
	memcpy(buf, s, len);
	buf[len] = 0;
	v->type = JV_NUM;
	v->d = strtod(buf, NULL);
	if (integer) {
		errno = 0;
		if (buf[0] == '-') {
			long long x = strtoll(buf, &end, 10);

			if (!errno) {
				v->is_int = true;
				v->neg = x < 0;
				v->i = x;
				if (x >= 0)
					v->u = (uint64_t)x;
			}
		} else {
			unsigned long long x = strtoull(buf, &end, 10);

			if (!errno) {
				v->is_int = true;
				v->u = x;
				v->i = (int64_t)x;
			}
		}
	}
	j->p = q;
	return 0;
}

static int jp_lit(struct jp *j, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n))
		return jp_fail(j, "unexpected character '%c'", *j->p);
	j->p += n;
	return 0;
}

/* Append one element to a growing array or object. */
static int jp_grow(struct jv *v, size_t *cap, bool keys)
{
	size_t ncap;
	struct jv *nv;
	char **nk;

	if (v->n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 8;
	nv = realloc(v->v, ncap * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	v->v = nv;
	if (keys) {
		nk = realloc(v->k, ncap * sizeof(*nk));
		if (!nk)
			return -ENOMEM;
		v->k = nk;
	}
	*cap = ncap;
	return 0;
}

static int jp_array(struct jp *j, struct jv *v)
{
	size_t cap = 0;
	int err;

	v->type = JV_ARR;
	j->p++;
	jp_ws(j);
	if (j->p < j->end && *j->p == ']') {
		j->p++;
		return 0;
	}
	for (;;) {
		err = jp_grow(v, &cap, false);
		if (err)
			return err;
		memset(&v->v[v->n], 0, sizeof(v->v[0]));
		v->n++;
		err = jp_value(j, &v->v[v->n - 1]);
		if (err)
			return err;
		jp_ws(j);
		if (j->p >= j->end)
			return jp_fail(j, "unterminated array");
		if (*j->p == ']') {
			j->p++;
			return 0;
		}
		if (*j->p != ',')
			return jp_fail(j, "expected ',' or ']'");
		j->p++;
	}
}

static int jp_object(struct jp *j, struct jv *v)
{
	size_t cap = 0;
	char *key;
	int err;

	v->type = JV_OBJ;
	j->p++;
	jp_ws(j);
	if (j->p < j->end && *j->p == '}') {
		j->p++;
		return 0;
	}
	for (;;) {
		jp_ws(j);
		if (j->p >= j->end || *j->p != '"')
			return jp_fail(j, "expected a key");
		err = jp_string(j, &key);
		if (err)
			return err;
		err = jp_grow(v, &cap, true);
		if (err) {
			free(key);
			return err;
		}
		memset(&v->v[v->n], 0, sizeof(v->v[0]));
		v->k[v->n] = key;
		v->n++;
		jp_ws(j);
		if (j->p >= j->end || *j->p != ':')
			return jp_fail(j, "expected ':'");
		j->p++;
		err = jp_value(j, &v->v[v->n - 1]);
		if (err)
			return err;
		jp_ws(j);
		if (j->p >= j->end)
			return jp_fail(j, "unterminated object");
		if (*j->p == '}') {
			j->p++;
			return 0;
		}
		if (*j->p != ',')
			return jp_fail(j, "expected ',' or '}'");
		j->p++;
	}
}

static int jp_value(struct jp *j, struct jv *v)
{
	int err;

	jp_ws(j);
	if (j->p >= j->end)
		return jp_fail(j, "unexpected end");
	if (++j->depth > JV_MAX_DEPTH)
		return jp_fail(j, "nested too deeply");
	switch (*j->p) {
	case '{':
		err = jp_object(j, v);
		break;
	case '[':
		err = jp_array(j, v);
		break;
	case '"':
		v->type = JV_STR;
		err = jp_string(j, &v->s);
		break;
	case 't':
		v->type = JV_BOOL;
		v->b = true;
		err = jp_lit(j, "true");
		break;
	case 'f':
		v->type = JV_BOOL;
		err = jp_lit(j, "false");
		break;
	case 'n':
		v->type = JV_NULL;
		err = jp_lit(j, "null");
		break;
	default:
		err = jp_number(j, v);
	}
	j->depth--;
	return err;
}

int jv_parse(const char *text, size_t len, struct jv *out, char *err,
	     size_t errlen)
{
	struct jp j = {
		.p = text, .end = text + len, .start = text,
		.err = err, .errlen = errlen,
	};
	int ret;

	memset(out, 0, sizeof(*out));
	if (err && errlen)
		err[0] = 0;
	ret = jp_value(&j, out);
	if (!ret) {
		jp_ws(&j);
		if (j.p != j.end)
			ret = jp_fail(&j, "text after the value");
	}
	if (ret) {
		jv_free(out);
		memset(out, 0, sizeof(*out));
	}
	return ret;
}

void jv_free(struct jv *v)
{
	size_t i;

	if (!v)
		return;
	if (v->type == JV_ARR || v->type == JV_OBJ) {
		for (i = 0; i < v->n; i++) {
			jv_free(&v->v[i]);
			if (v->type == JV_OBJ)
				free(v->k[i]);
		}
		free(v->v);
		free(v->k);
	} else if (v->type == JV_STR) {
		free(v->s);
	}
	memset(v, 0, sizeof(*v));
}

const struct jv *jv_get(const struct jv *obj, const char *key)
{
	size_t i;

	if (!obj || obj->type != JV_OBJ)
		return NULL;
	for (i = 0; i < obj->n; i++)
		if (!strcmp(obj->k[i], key))
			return &obj->v[i];
	return NULL;
}

bool jv_u64(const struct jv *v, uint64_t *out)
{
	if (!v || v->type != JV_NUM || !v->is_int || v->neg)
		return false;
	*out = v->u;
	return true;
}

bool jv_i64(const struct jv *v, int64_t *out)
{
	if (!v || v->type != JV_NUM || !v->is_int)
		return false;
	if (!v->neg && v->u > (uint64_t)INT64_MAX)
		return false;
	*out = v->i;
	return true;
}

bool jv_get_u64(const struct jv *obj, const char *key, uint64_t *out)
{
	return jv_u64(jv_get(obj, key), out);
}

const char *jv_get_str(const struct jv *obj, const char *key)
{
	const struct jv *v = jv_get(obj, key);

	return v && v->type == JV_STR ? v->s : NULL;
}
