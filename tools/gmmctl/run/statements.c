// SPDX-License-Identifier: GPL-2.0
/*
 * statements.c - the table of `gmmctl run`'s statements.  A line is the
 * statement whose words it starts with; its parse() reads the rest of the
 * line into a struct stmt before anything runs, its exec() runs it.  The
 * syntax of each is in run_usage() (cmd_run.c) and gmmctl(8).
 */
#include <string.h>

#include "run.h"

static const struct stmt_def statements[] = {
	/* Objects and names (stmt_object.c). */
	{ "type",	NULL,		parse_type,		exec_type },
	{ "alloc",	NULL,		parse_alloc,		exec_alloc },
	{ "link",	NULL,		parse_link,		exec_link },
	{ "unlink",	NULL,		parse_unlink,		exec_link },
	{ "load",	NULL,		parse_load,		exec_load },
	{ "dup",	NULL,		parse_dup,		exec_dup },
	{ "drop",	NULL,		parse_drop,		exec_drop },
	{ "info",	NULL,		parse_info,		exec_info },
	/* The bytes of objects (stmt_value.c). */
	{ "write",	NULL,		parse_write,		exec_write },
	{ "read",	NULL,		parse_read,		exec_read },
	{ "expect",	"value",	parse_expect_value,	exec_expect_value },
	/* A GC cycle step by step (stmt_step.c). */
	{ "gc",		"begin",	parse_gc_step,		exec_gc_begin },
	{ "gc",		"step",		parse_gc_step,		exec_gc_step },
	{ "gc",		"finish",	parse_gc_step,		exec_gc_finish },
	{ "expect",	"colour",	parse_expect_colour,	exec_expect_colour },
	/* The heap as a whole (stmt_heap.c). */
	{ "gc",		NULL,		parse_gc,		exec_gc },
	{ "stats",	NULL,		parse_stats,		exec_stats },
	{ "spans",	NULL,		parse_bare,		exec_spans },
	{ "cycles",	NULL,		parse_bare,		exec_cycles },
	{ "params",	NULL,		parse_params,		exec_params },
	/* Expectations (stmt_expect.c); "expect STAT" last: any other word. */
	{ "expect",	"live",		parse_expect_live,	exec_expect_live },
	{ "expect",	"nil",		parse_expect_nil,	exec_expect_nil },
	{ "expect",	"notnil",	parse_expect_nil,	exec_expect_nil },
	{ "expect",	"size",		parse_expect_size,	exec_expect_size },
	{ "expect",	"error",	parse_expect_error,	exec_expect_error },
	{ "expect",	NULL,		parse_expect_stat,	exec_expect_stat },
	/* The script itself (stmt_script.c). */
	{ "print",	NULL,		parse_print,		exec_print },
	{ "repeat",	NULL,		parse_repeat,		exec_repeat },
};

#define NR_STATEMENTS	(sizeof(statements) / sizeof(statements[0]))

const struct stmt_def *stmt_find(const struct token *t, int n)
{
	size_t i;

	for (i = 0; i < NR_STATEMENTS; i++) {
		const struct stmt_def *d = &statements[i];

		if (strcmp(t[0].s, d->word))
			continue;
		if (d->sub && (n < 2 || strcmp(t[1].s, d->sub)))
			continue;
		return d;
	}
	return NULL;
}

bool is_keyword(const char *s)
{
	size_t i;

	if (!strcmp(s, "nil") || !strcmp(s, "bytes"))
		return true;
	for (i = 0; i < NR_STATEMENTS; i++)
		if (!strcmp(s, statements[i].word))
			return true;
	return false;
}

bool is_repeat(const struct stmt_def *def)
{
	return def->exec == exec_repeat;
}
