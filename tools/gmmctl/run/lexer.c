// SPDX-License-Identifier: GPL-2.0
/*
 * lexer.c - a line of a `gmmctl run` script into tokens: words, "strings"
 * with C escapes (\n \t \r \0 \\ \" \xHH), and { and } on their own.  # starts
 * a comment that runs to the end of the line.
 */
#include <ctype.h>
#include <string.h>

#include "run.h"

struct lexer {
	struct parser *p;
	const char *line;	/* the whole line, for columns */
	const char *s;		/* the next character */
	char *w;		/* where the token's text goes */
};

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static unsigned int col_of(const struct lexer *lx, const char *at)
{
	return (unsigned int)(at - lx->line);
}

static bool word_end(char c)
{
	return !c || c == ' ' || c == '\t' || c == '\r' || c == '#';
}

/* The character after a backslash (lx->s points at it). */
static int lex_escape(struct lexer *lx)
{
	int c = (unsigned char)*lx->s, h, l;

	if (c)
		lx->s++;
	switch (c) {
	case 'n': *lx->w++ = '\n'; return 0;
	case 't': *lx->w++ = '\t'; return 0;
	case 'r': *lx->w++ = '\r'; return 0;
	case '0': *lx->w++ = '\0'; return 0;
	case '\\': *lx->w++ = '\\'; return 0;
	case '"': *lx->w++ = '"'; return 0;
	case 'x':
		h = hexval((unsigned char)lx->s[0]);
		l = h < 0 ? -1 : hexval((unsigned char)lx->s[1]);
		if (h < 0 || l < 0) {
			perr(lx->p, col_of(lx, lx->s), "\\x needs two hex digits");
			return -1;
		}
		*lx->w++ = (char)(h << 4 | l);
		lx->s += 2;
		return 0;
	default:
		perr(lx->p, col_of(lx, lx->s), "unknown escape (known: \\n \\t "
		     "\\r \\0 \\\\ \\\" \\xHH)");
		return -1;
	}
}

/* A "string" (lx->s at the opening quote), escapes decoded. */
static int lex_string(struct lexer *lx, const struct token *t)
{
	lx->s++;
	for (;;) {
		int c = (unsigned char)*lx->s;

		if (!c) {
			perr(lx->p, t->col, "unterminated string");
			return -1;
		}
		lx->s++;
		if (c == '"')
			break;
		if (c != '\\')
			*lx->w++ = (char)c;
		else if (lex_escape(lx))
			return -1;
	}
	if (!word_end(*lx->s)) {
		perr(lx->p, col_of(lx, lx->s) + 1,
		     "a string must be followed by a space");
		return -1;
	}
	return 0;
}

/* One token at lx->s (not a space); 0 or -1. */
static int lex_token(struct lexer *lx, struct token *t)
{
	const char *s = lx->s;

	t->col = col_of(lx, s) + 1;
	t->quoted = false;
	t->s = lx->w;
	if (*s == '{' || *s == '}') {
		*lx->w++ = *lx->s++;
	} else if (*s == '"') {
		t->quoted = true;
		if (lex_string(lx, t))
			return -1;
	} else {
		while (!word_end(*lx->s) && *lx->s != '"' && *lx->s != '{' &&
		       *lx->s != '}')
			*lx->w++ = *lx->s++;
	}
	t->len = (size_t)(lx->w - t->s);
	*lx->w++ = '\0';
	return 0;
}

int tokenize(struct parser *p, const char *line, char *out, struct token *tok)
{
	struct lexer lx = { .p = p, .line = line, .s = line, .w = out };
	int n = 0;

	for (;;) {
		while (*lx.s == ' ' || *lx.s == '\t' || *lx.s == '\r')
			lx.s++;
		if (!*lx.s || *lx.s == '#')
			return n;
		if (n == MAX_TOKENS) {
			perr(p, col_of(&lx, lx.s) + 1,
			     "too many words on one line (at most %d)", MAX_TOKENS);
			return -1;
		}
		if (lex_token(&lx, &tok[n]))
			return -1;
		n++;
	}
}
