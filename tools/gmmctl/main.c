// SPDX-License-Identifier: GPL-2.0
/*
 * gmmctl - drive and inspect gmm, the Go-style memory manager module,
 * through /dev/gmm (with libgmm).
 *
 * main.c reads the global options and hands the rest of the command line
 * to a subcommand (cmd_*.c).  Each open of /dev/gmm is a new private heap,
 * so commands that allocate (run, workload, demo) show statistics of the
 * heap they built, and stats/gc/params on their own show a fresh heap.
 *
 * Exit status: 0 success, 1 the operation failed, 2 usage error,
 * 3 /dev/gmm cannot be opened (module not loaded or no permission).
 */
#include <getopt.h>
#include <string.h>

#include "gmmctl.h"
#include "viz/record.h"
#include "viz/graph.h"
#include "viz/vizsrc.h"
#include "serve/serve.h"

struct gmmctl_opts opts;

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *what;
} commands[] = {
	{ "info", cmd_info, "module version, ABI and features" },
	{ "params", cmd_params, "read or set GOGC and the memory limit of a heap" },
	{ "stats", cmd_stats, "MemStats, collector figures, size classes" },
	{ "gc", cmd_gc, "run a garbage collection, print its gctrace line" },
	{ "run", cmd_run, "run a script that builds and changes object graphs" },
	{ "workload", cmd_workload, "binarytrees, churn, graph through batched ioctls" },
	{ "demo", cmd_demo, "a guided tour of the allocator and the collector" },
	{ "map", cmd_map, "a picture of a heap's arenas and spans (PNG, SVG)" },
	{ "trace", cmd_trace, "a timeline of heap sizes, GC cycles and pauses" },
	{ "graph", cmd_graph, "the object graph of a stepped GC cycle (PNG, SVG)" },
	{ "top", cmd_top, "a live view of any heap (debugfs)" },
	{ "record", cmd_record, "record any heap through debugfs" },
	{ "serve", cmd_serve, "show a heap in a browser, live or recorded" },
};

#define NR_COMMANDS	(sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: gmmctl [OPTIONS] COMMAND [ARGS]\n"
		"\n"
		"Drive and inspect gmm, the Go-style garbage-collected memory\n"
		"manager kernel module, through /dev/gmm.\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(f, "  %-14s  %s\n", commands[i].name, commands[i].what);
	fprintf(f,
		"\n"
		"Every open of /dev/gmm is a new, private heap that lives until\n"
		"gmmctl exits: 'stats', 'gc' and 'params' on their own show an\n"
		"empty heap; 'run', 'workload' and 'demo' report on the heap they\n"
		"build.  'gmmctl COMMAND --help' describes each command.\n"
		"\n"
		"run, workload, demo, gc and stats also take --record FILE\n"
		"[--map-every N] [--record-interval MS]: a recording of their heap\n"
		"(statistics, spans frames, cycles) for 'gmmctl map' and 'trace'.\n"
		"\n"
		"Options:\n"
		"  -d, --device PATH   device node (default /dev/gmm)\n"
		"  -j, --json          print results as JSON\n"
		"  -h, --help          show this help\n"
		"  -V, --version       print gmmctl's and libgmm's version\n"
		"\n"
		"Exit status: 0 ok, 1 operation failed, 2 usage error,\n"
		"3 cannot open the device (is gmm.ko loaded? are you root?).\n");
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	size_t i;
	int c;

	c = record_take_options(&argc, argv);	/* --record, see record.h */
	if (c)
		return c;
	/* "+": options after the command name belong to the command. */
	while ((c = getopt_long(argc, argv, "+d:jhV", lopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			opts.device = optarg;
			break;
		case 'j':
			opts.json = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("gmmctl (libgmm %d.%d, ABI %d.%d)\n",
			       LIBGMM_VERSION_MAJOR, LIBGMM_VERSION_MINOR,
			       GMM_ABI_MAJOR, GMM_ABI_MINOR);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	argc -= optind;
	argv += optind;
	for (i = 0; i < NR_COMMANDS; i++) {
		if (strcmp(argv[0], commands[i].name))
			continue;
		optind = 0;	/* glibc: reinitialise for the subcommand */
		return commands[i].fn(argc, argv);
	}
	if (!strcmp(argv[0], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	errmsg("unknown command '%s' (see gmmctl --help)", argv[0]);
	return EXIT_USAGE;
}
