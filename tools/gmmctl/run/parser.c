// SPDX-License-Identifier: GPL-2.0
/*
 * parser.c - a `gmmctl run` script into blocks of statements: line by
 * line, repeat N { ... } blocks kept on a stack, and each other line one
 * statement, parsed by its entry of the table of statements.  Every error
 * is printed and counted; parsing goes on to the end so that a script's
 * errors are all reported at once.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

void perr(struct parser *p, unsigned int col, const char *fmt, ...)
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

void block_free(struct block *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		stmt_free(&b->v[i]);
	free(b->v);
	b->v = NULL;
	b->n = b->cap = 0;
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

int parse_stmt(struct parser *p, struct stmt *st, struct token *t, int n)
{
	st->var = st->var2 = st->type = -1;
	st->def = t[0].quoted ? NULL : stmt_find(t, n);
	if (!st->def) {
		perr(p, t[0].col, "unknown statement '%s' (see gmmctl run --help)",
		     t[0].s);
		return -1;
	}
	return st->def->parse(p, st, t, n);
}

/* The script's reader: the open blocks and the line's buffers. */
struct reader {
	struct parser p;
	struct block *stack[MAX_DEPTH + 1];
	unsigned int open_line[MAX_DEPTH + 1];
	int depth;
	char *out;		/* the tokens' text */
	size_t outcap;
	struct token tok[MAX_TOKENS];
};

/* '}' alone on its line closes the innermost repeat block. */
static void close_block(struct reader *r, int n)
{
	if (n != 1)
		perr(&r->p, r->tok[1].col, "'}' must be alone on its line");
	else if (!r->depth)
		perr(&r->p, r->tok[0].col, "'}' without a repeat block to close");
	else
		r->depth--;
}

/* repeat COUNT {: @st's body is where the next lines go. */
static void open_block(struct reader *r, struct stmt *st, int n)
{
	if (st->def->parse(&r->p, st, r->tok, n))
		return;
	if (r->depth == MAX_DEPTH) {
		perr(&r->p, r->tok[0].col, "repeat blocks nest at most %d deep",
		     MAX_DEPTH);
		return;
	}
	r->open_line[r->depth] = r->p.line;
	r->stack[++r->depth] = &st->body;
}

/* A { or } anywhere else is an error. */
static bool stray_brace(struct reader *r, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (is_word(&r->tok[i], "{") || is_word(&r->tok[i], "}")) {
			perr(&r->p, r->tok[i].col, "'%s' only opens a repeat block "
			     "(at the end of its line) or closes one (alone on a "
			     "line)", r->tok[i].s);
			return true;
		}
	}
	return false;
}

/* The line without its trailing blanks, for messages. */
static char *trimmed_copy(const char *line)
{
	char *copy = strdup(line);
	size_t l;

	if (!copy)
		return NULL;
	l = strlen(copy);
	while (l && (copy[l - 1] == '\r' || copy[l - 1] == ' ' ||
		     copy[l - 1] == '\t'))
		copy[--l] = '\0';
	return copy;
}

/* Room for the tokens of @line. */
static int out_room(struct reader *r, const char *line)
{
	size_t need = 2 * strlen(line) + 2;
	char *o;

	if (need <= r->outcap)
		return 0;
	o = realloc(r->out, need);
	if (!o)
		return -1;
	r->out = o;
	r->outcap = need;
	return 0;
}

/* A statement: a repeat block opened, or one statement of the block. */
static int add_stmt(struct reader *r, char *copy, int n)
{
	struct stmt *st = block_add(&r->p, r->stack[r->depth]);
	const struct stmt_def *def;

	if (!st) {
		free(copy);
		return -1;
	}
	st->line = r->p.line;
	st->text = copy;
	st->var = st->var2 = st->type = -1;
	def = r->tok[0].quoted ? NULL : stmt_find(r->tok, n);
	if (def && is_repeat(def)) {
		st->def = def;
		open_block(r, st, n);
	} else if (!stray_brace(r, n)) {
		parse_stmt(&r->p, st, r->tok, n);
	}
	return 0;
}

/* One line (NUL-terminated, without its newline); -1 to stop reading. */
static int read_line(struct reader *r, const char *line)
{
	char *copy = trimmed_copy(line);
	int n;

	if (!copy) {
		perr(&r->p, 0, "out of memory");
		return -1;
	}
	if (out_room(r, line)) {
		free(copy);
		perr(&r->p, 0, "out of memory");
		return -1;
	}
	n = tokenize(&r->p, line, r->out, r->tok);
	if (n <= 0) {
		free(copy);
		return 0;
	}
	if (is_word(&r->tok[0], "}")) {
		free(copy);
		close_block(r, n);
		return 0;
	}
	return add_stmt(r, copy, n);
}

int parse_script(struct script *sc, char *src, size_t len)
{
	struct reader r = { .p = { .sc = sc } };
	char *line = src, *end = src + len;

	r.stack[0] = &sc->top;
	while (line < end) {
		char *nl = memchr(line, '\n', (size_t)(end - line));

		if (!nl)
			nl = end;
		*nl = '\0';
		r.p.line++;
		if (strlen(line) != (size_t)(nl - line))
			perr(&r.p, 0, "the line has a NUL byte; scripts are text");
		else if (read_line(&r, line))
			break;
		line = nl + 1;
	}
	while (r.depth > 0) {
		r.depth--;
		r.p.line = r.open_line[r.depth];
		perr(&r.p, 0, "this repeat block is never closed with '}'");
	}
	free(r.out);
	return r.p.nerr;
}
