// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_run.c - `gmmctl run SCRIPT`: a small line-oriented language to build
 * and change object graphs on a gmm heap, for teaching and for
 * reproducing bugs.  The grammar is in run_usage() below and in gmmctl(8);
 * run.h says which file holds which part of the language.
 *
 * This file is the command: its options, reading the script, and the
 * exit status: 2 for a syntax error (nothing ran), 1 for the first
 * statement that failed (FILE:LINE: message), 3 without /dev/gmm.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

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
		"  gc begin                      a stepped cycle: roots grey, then waits\n"
		"  gc step [N]                   scan N grey objects (the step that\n"
		"                                finds none ends the cycle)\n"
		"  gc finish                     let the stepped cycle finish\n"
		"  expect colour X white|grey|black|free\n"
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
		"  --step          every gc is a stepped cycle: the roots grey, then\n"
		"                  a batch of grey objects black at a time, each\n"
		"                  step's colours printed (and recorded, --record)\n"
		"  --step-objects N  grey objects per step (default 1; implies --step)\n"
		"  -j, --json      output statements print one JSON object per line\n"
		"  -h, --help      this help\n"
		"\n"
		"Examples are in tools/gmmctl/examples/ (list, cycle, diamond, ...).\n");
}

/* Options; EXIT_OK to go on, else the status to return (-1: help). */
static int run_options(int argc, char **argv, struct script *sc,
		       bool *check_only)
{
	static const struct option lopts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "check", no_argument, NULL, 'n' },
		{ "step", no_argument, NULL, 's' },
		{ "step-objects", required_argument, NULL, 'S' },
		HELP_OPTION, COMMON_OPTIONS, { NULL, 0, NULL, 0 },
	};
	uint64_t n;
	int c;

	while ((c = getopt_long(argc, argv, "+hvn" COMMON_SHORT, lopts,
				NULL)) != -1) {
		switch (c) {
		case 'h':
			run_usage(stdout);
			return -1;
		case 'v':
			sc->verbose = true;
			break;
		case 'n':
			*check_only = true;
			break;
		case 's':
			if (!sc->step_objects)
				sc->step_objects = 1;
			break;
		case 'S':
			if (parse_u64_range(optarg, 1, GMM_STEP_MAX, &n))
				return usage_error("run", "--step-objects: 1..%u",
						   GMM_STEP_MAX);
			sc->step_objects = (uint32_t)n;
			break;
		default:
			if (!common_option(c, optarg))
				return bad_option("run");
		}
	}
	if (optind != argc - 1)
		return usage_error("run", optind == argc ? "which script? (a file, or - for standard input)" :
				   "one script at a time");
	return EXIT_OK;
}

/* Read and parse the script @path ("-": standard input); EXIT_*. */
static int load_script(struct script *sc, const char *path)
{
	size_t len;
	char *src;
	FILE *in;
	int nerr;

	if (!strcmp(path, "-")) {
		sc->file = "<stdin>";
		in = stdin;
	} else {
		sc->file = path;
		in = fopen(sc->file, "r");
		if (!in) {
			errmsg("cannot open script %s: %s", sc->file, strerror(errno));
			return EXIT_USAGE;
		}
	}
	src = slurp(in, &len);
	if (in != stdin)
		fclose(in);
	if (!src) {
		errmsg("cannot read script %s: %s", sc->file, strerror(errno));
		return EXIT_USAGE;
	}
	nerr = parse_script(sc, src, len);
	free(src);
	if (nerr) {
		fprintf(stderr, "%s: %d error%s; nothing was run\n", sc->file, nerr,
			nerr == 1 ? "" : "s");
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* Run the parsed script on a new heap; EXIT_*. */
static int run_script(struct script *sc)
{
	struct fail f = { 0 };
	int ret = EXIT_OK;

	json_init(&sc->j, stdout);
	sc->g = open_heap(false);
	if (!sc->g)
		return EXIT_NODEV;
	if (run_block(sc, &sc->top, &f)) {
		const struct stmt *where = sc->failed_at;

		fflush(stdout);
		fprintf(stderr, "%s:%u: %s\n    %s\n", sc->file, where->line,
			f.msg, where->text ? where->text : "");
		ret = EXIT_FAIL;
	}
	gmm_close(sc->g);
	return ret;
}

static void script_free(struct script *sc)
{
	size_t i;

	block_free(&sc->top);
	for (i = 0; i < sc->nvars; i++)
		free(sc->vars[i].name);
	free(sc->vars);
	for (i = 0; i < sc->ntypes; i++)
		free(sc->types[i].name);
	free(sc->types);
}

int cmd_run(int argc, char **argv)
{
	struct script sc;
	bool check_only = false;
	int ret;

	memset(&sc, 0, sizeof(sc));
	subcommand_argv0(argv);
	ret = run_options(argc, argv, &sc, &check_only);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	ret = load_script(&sc, argv[optind]);
	if (ret == EXIT_OK && !check_only)
		ret = run_script(&sc);
	script_free(&sc);
	return ret;
}
