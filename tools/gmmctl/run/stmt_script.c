// SPDX-License-Identifier: GPL-2.0
/*
 * stmt_script.c - the statements of `gmmctl run` about the script itself:
 *
 *   print TEXT...           the words, one space apart
 *   repeat N {              the lines up to a '}' alone on a line, N
 *   }                       times (blocks nest; parser.c keeps them)
 *
 * Each one a parse/exec pair of the table in statements.c.
 */
#include <stdlib.h>
#include <string.h>

#include "run.h"

int parse_print(struct parser *p, struct stmt *st, struct token *t, int n)
{
	size_t len = 0, off = 0;
	int i;

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

int exec_print(struct script *sc, const struct stmt *st, struct fail *f)
{
	(void)f;
	if (opts.json) {
		out_line(sc, st);
		json_strn(&sc->j, "print", st->sval, st->slen);
		json_obj_end(&sc->j);
	} else {
		fwrite(st->sval, 1, st->slen, stdout);
		putchar('\n');
	}
	return 0;
}

/* repeat COUNT {; the block's lines are added by parser.c. */
int parse_repeat(struct parser *p, struct stmt *st, struct token *t, int n)
{
	if (n != 3 || strcmp(t[2].s, "{") || t[2].quoted) {
		perr(p, t[0].col, "repeat COUNT { ... } (the '{' ends the line, "
		     "the '}' is alone on a later line)");
		return -1;
	}
	return num_arg(p, &t[1], "repeat count", 0, MAX_REPEAT, &st->n);
}

int exec_repeat(struct script *sc, const struct stmt *st, struct fail *f)
{
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
