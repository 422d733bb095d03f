// SPDX-License-Identifier: GPL-2.0
/*
 * out.c - gmmctl's output helpers: a small JSON writer for --json, and
 * the progress line workloads show on a terminal.
 *
 * The JSON style is the one `gmmctl info --json` has always printed: a
 * whole value on one line, ", " between members, ": " after keys, so that
 * scripts can read one JSON value per line (JSON Lines) from `run`.
 */
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "gmmctl.h"

void json_init(struct json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
}

/* Separator and key before a value at the current level. */
static void json_key(struct json *j, const char *key)
{
	if (j->depth > 0) {
		if (!j->first[j->depth - 1])
			fputs(", ", j->f);
		j->first[j->depth - 1] = false;
	}
	if (key) {
		/* Keys are gmmctl's own identifiers: nothing to escape. */
		fprintf(j->f, "\"%s\": ", key);
	}
}

static void json_push(struct json *j, char c)
{
	fputc(c, j->f);
	if (j->depth < (int)(sizeof(j->first) / sizeof(j->first[0])))
		j->first[j->depth] = true;
	j->depth++;
}

static void json_pop(struct json *j, char c)
{
	fputc(c, j->f);
	if (j->depth > 0)
		j->depth--;
	if (j->depth == 0) {
		fputc('\n', j->f);
		fflush(j->f);
	}
}

void json_obj_begin(struct json *j, const char *key)
{
	json_key(j, key);
	json_push(j, '{');
}

void json_obj_end(struct json *j)
{
	json_pop(j, '}');
}

void json_arr_begin(struct json *j, const char *key)
{
	json_key(j, key);
	json_push(j, '[');
}

void json_arr_end(struct json *j)
{
	json_pop(j, ']');
}

void json_u64(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	fprintf(j->f, "%llu", (unsigned long long)v);
}

void json_i64(struct json *j, const char *key, int64_t v)
{
	json_key(j, key);
	fprintf(j->f, "%lld", (long long)v);
}

void json_double(struct json *j, const char *key, double v)
{
	json_key(j, key);
	if (v != v || v > 1e300 || v < -1e300)
		fputs("null", j->f);	/* JSON has no NaN or infinity */
	else
		fprintf(j->f, "%.6g", v);
}

void json_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	fputs(v ? "true" : "false", j->f);
}

void json_null(struct json *j, const char *key)
{
	json_key(j, key);
	fputs("null", j->f);
}

void json_strn(struct json *j, const char *key, const char *s, size_t len)
{
	json_key(j, key);
	fputc('"', j->f);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '"':
			fputs("\\\"", j->f);
			break;
		case '\\':
			fputs("\\\\", j->f);
			break;
		case '\n':
			fputs("\\n", j->f);
			break;
		case '\t':
			fputs("\\t", j->f);
			break;
		default:
			/* Bytes, not UTF-8: escape everything not ASCII. */
			if (c < 0x20 || c >= 0x7f)
				fprintf(j->f, "\\u%04x", c);
			else
				fputc(c, j->f);
		}
	}
	fputc('"', j->f);
}

void json_str(struct json *j, const char *key, const char *s)
{
	json_strn(j, key, s, strlen(s));
}

/* Progress line. */

void progress_init(struct progress *p, bool quiet)
{
	memset(p, 0, sizeof(*p));
	p->on = !quiet && isatty(STDERR_FILENO);
}

void progress_update(struct progress *p, bool force, const char *fmt, ...)
{
	char line[160];
	uint64_t t;
	va_list ap;
	int n;

	if (!p->on)
		return;
	t = now_ns();
	if (!force && t - p->last_ns < 100000000ULL)
		return;
	p->last_ns = t;
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1;
	/* Pad over a longer previous line. */
	fprintf(stderr, "\r%s%*s", line, p->width > n ? p->width - n : 0, "");
	fflush(stderr);
	p->width = n;
}

void progress_end(struct progress *p)
{
	if (!p->on || !p->width)
		return;
	fprintf(stderr, "\r%*s\r", p->width, "");
	fflush(stderr);
	p->width = 0;
}
