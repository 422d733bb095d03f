/* SPDX-License-Identifier: GPL-2.0 */
/*
 * run.h - the script language of `gmmctl run`, shared by its parts:
 *
 *   lexer.c        a line into words and "strings"
 *   args.c         the words of a statement: names, numbers, locations,
 *                  values, errno names, comparisons
 *   parser.c       the script's lines and repeat blocks, and one statement
 *                  through the table of statements
 *   statements.c   the table: each statement's words and its parse/exec pair
 *   stmt_*.c       the pairs, by what they touch (objects, values, the heap,
 *                  expectations, the script itself, stepped GC cycles)
 *   exec.c         running a block: names to handles, why a statement failed
 *   cmd_run.c      the command: options, reading the script, the exit status
 *
 * A script is parsed whole before anything runs, so a syntax error (exit
 * status 2) never leaves half a graph behind.  Then it runs on one new
 * heap; the first statement that fails - an ioctl error, a name with no
 * object, an expect that does not hold - stops it with "FILE:LINE:
 * message" and exit status 1.
 */
#ifndef GMMCTL_RUN_H
#define GMMCTL_RUN_H

#include "gmmctl.h"

#define MAX_DEPTH	32		/* nested repeat blocks */
#define MAX_TOKENS	64
#define MAX_REPEAT	1000000000ULL
#define NAME_MAX_LEN	(GMM_UAPI_TYPE_NAME_LEN - 1)

/* How a value at a location is seen: an integer type or raw bytes. */
enum vkind { V_U8, V_U16, V_U32, V_U64, V_I8, V_I16, V_I32, V_I64,
	     V_STR, V_BYTES };

struct vkind_info {
	const char *name;
	unsigned int size;
};
extern const struct vkind_info vkinds[];	/* by enum vkind */

enum cmp_op { C_EQ, C_NE, C_LT, C_LE, C_GT, C_GE };
extern const char *const cmp_names[];		/* by enum cmp_op */

struct stmt_def;

struct block {
	struct stmt *v;
	size_t n, cap;
};

struct stmt {
	const struct stmt_def *def;	/* what statement it is */
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
	int field;		/* expect STAT: index in the statistics */
	enum cmp_op cmp;
	int err;		/* expect error: -errno, 0 = any */
	bool set_gc, set_limit;
	int gc_percent;
	uint64_t limit;
	int mode;		/* stats: 0 summary, 1 full, 2 classes */
	struct stmt *inner;	/* expect error; the next name of a drop */
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
	uint32_t step_objects;	/* --step: grey objects per step (0: off) */
	uint64_t cycles_seen;	/* gctrace lines already printed */
	const struct stmt *failed_at;
	struct json j;
};

/* Parsing (lexer.c, args.c, parser.c). */
struct token {
	char *s;		/* NUL-terminated (strings may hold NULs too) */
	size_t len;
	bool quoted;
	unsigned int col;
};

struct parser {
	struct script *sc;
	unsigned int line;
	int nerr;
};

/* "FILE:LINE[:COL]: message" on stderr; counts the error. */
void perr(struct parser *p, unsigned int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * Split @line into tokens: words, "strings" with C escapes, and { and }
 * on their own; # starts a comment.  Token text goes to @out (room for
 * 2 * strlen(line) + 2 bytes), each NUL-terminated.  Returns the number of
 * tokens or -1 (message printed).
 */
int tokenize(struct parser *p, const char *line, char *out, struct token *tok);

/* The words of a statement (args.c); each 0 or -1 after a message. */
bool is_word(const struct token *t, const char *word);
int var_index(struct parser *p, const struct token *t);	/* index or -1 */
int type_index(struct parser *p, const struct token *t, bool create);
int num_arg(struct parser *p, const struct token *t, const char *what,
	    uint64_t min, uint64_t max, uint64_t *v);
/* key=value: the value, or NULL when @t is not "key=...". */
const char *kv(const struct token *t, const char *key);
int parse_loc(struct parser *p, const struct token *t, int *var,
	      uint64_t *off);
int parse_vkind(struct parser *p, const struct token *t, bool raw_ok,
		enum vkind *vk);
/* TYPE VALUE or "string" (or, reading, str N / bytes N): tokens used. */
int parse_value(struct parser *p, struct stmt *st, struct token *t, int n,
		bool reading);
int parse_errname(struct parser *p, const struct token *t, int *err);
int parse_cmp(const char *s, enum cmp_op *op);
/* n within min..max words, else "missing/too many words: @syntax". */
int expect_words(struct parser *p, const struct token *t, int n, int min,
		 int max, const char *syntax);
const char *errname(int err);	/* "ENOENT" for -ENOENT */

/* The script (parser.c).  parse_script() returns the number of errors. */
int parse_script(struct script *sc, char *src, size_t len);
/* One statement from @t[0..n-1] into @st (line and text set); 0 or -1. */
int parse_stmt(struct parser *p, struct stmt *st, struct token *t, int n);
void block_free(struct block *b);

/* Running (exec.c). */
struct fail {
	int err;		/* -errno from the kernel, or 0 */
	bool script;		/* not the kernel's: a name with no object... */
	char msg[512];
};

/* Why a statement failed; returns -1. */
int fail(struct fail *f, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A kernel error, with a hint of what usually causes it; returns -1. */
int kfail(struct fail *f, int err, const char *op, const char *hint);
/* The handle of name @v, which must hold an object. */
int handle_of(struct script *sc, int v, struct fail *f, uint32_t *h);
/* Give name @v handle @h (0 = nil), releasing what it held. */
int assign(struct script *sc, int v, uint32_t h, struct fail *f);
/*
 * Load the pointer word at @st's location (st->var, st->off): *@target is
 * a new handle of what it points to, or 0.  @op and @einval_hint name the
 * failure.
 */
int load_loc(struct script *sc, const struct stmt *st, const char *op,
	     const char *einval_hint, uint32_t *target, struct fail *f);
/* A JSON output line of @st: {"line": N, ... (the caller ends it). */
void out_line(struct script *sc, const struct stmt *st);
/* 0, -1 (@st failed), or -2 (a statement inside it failed). */
int exec_stmt(struct script *sc, const struct stmt *st, struct fail *f);
/*
 * Run @b; on failure sc->failed_at is the statement that failed (the
 * innermost one for a failure inside a repeat block).
 */
int run_block(struct script *sc, const struct block *b, struct fail *f);

/*
 * The table of statements (statements.c): a statement is its first word
 * (and second, for "expect live" and the like) and a pair of functions:
 * parse() fills a struct stmt from the words, exec() runs it.
 */
typedef int stmt_parse_fn(struct parser *p, struct stmt *st,
			  struct token *t, int n);
typedef int stmt_exec_fn(struct script *sc, const struct stmt *st,
			 struct fail *f);

struct stmt_def {
	const char *word;	/* the statement's first word */
	const char *sub;	/* its second word, or NULL for any */
	stmt_parse_fn *parse;
	stmt_exec_fn *exec;
};

/* The statement @t[0..n-1] is (the first word unquoted), or NULL. */
const struct stmt_def *stmt_find(const struct token *t, int n);
/* A first word of a statement, "nil" or "bytes": not a name. */
bool is_keyword(const char *s);
bool is_repeat(const struct stmt_def *def);

/* The pairs (stmt_object.c, stmt_value.c, stmt_heap.c, stmt_expect.c,
 * stmt_script.c).
 */
stmt_parse_fn parse_type, parse_alloc, parse_link, parse_unlink, parse_load,
	parse_dup, parse_drop, parse_info, parse_write, parse_read,
	parse_expect_value, parse_gc, parse_stats, parse_bare, parse_params,
	parse_expect_live, parse_expect_nil, parse_expect_size,
	parse_expect_error, parse_expect_stat, parse_print, parse_repeat,
	parse_gc_step, parse_expect_colour;
stmt_exec_fn exec_type, exec_alloc, exec_link, exec_load, exec_dup,
	exec_drop, exec_info, exec_write, exec_read, exec_expect_value,
	exec_gc, exec_stats, exec_spans, exec_cycles, exec_params,
	exec_expect_live, exec_expect_nil, exec_expect_size,
	exec_expect_error, exec_expect_stat, exec_print, exec_repeat,
	exec_gc_begin, exec_gc_step, exec_gc_finish, exec_expect_colour;
/* `gc` under --step (stmt_step.c). */
int exec_gc_stepped(struct script *sc, const struct stmt *st, struct fail *f);

#endif /* GMMCTL_RUN_H */
