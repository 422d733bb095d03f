// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_stats.c - `gmmctl stats` (GMM_IOC_STATS) and `gmmctl gc`
 * (GMM_OP_GC, then GMM_IOC_CYCLES).
 *
 * Both open /dev/gmm, which makes a new heap: they show an empty heap and
 * what a collection of it costs.  The same reports of a heap with objects
 * in it come from the 'stats' and 'gc' statements of `gmmctl run`, from
 * `gmmctl workload` and from `gmmctl demo`.
 */
#include <getopt.h>
#include <inttypes.h>

#include "gmmctl.h"

static void stats_usage(FILE *f)
{
	fprintf(f,
		"Usage: gmmctl [-j] stats [-c] [-a]\n"
		"\n"
		"Print a heap's statistics (GMM_IOC_STATS): Go's MemStats figures,\n"
		"the collector's (cycles, pauses, heap goal, GC CPU time) and,\n"
		"with -c, the per-size-class table.\n"
		"\n"
		"Every open of /dev/gmm is a new heap, so this shows the empty\n"
		"heap gmmctl itself just opened.  To see the statistics of a heap\n"
		"with objects, use the 'stats' statement of 'gmmctl run', or\n"
		"'gmmctl workload' and 'gmmctl demo', which print them.\n"
		"\n"
		"  -c, --classes       the size-class table (classes in use)\n"
		"  -a, --all-classes   the size-class table with every class\n"
		"  -j, --json          one JSON object\n"
		"  -h, --help          this help\n");
}

int cmd_stats(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "classes", no_argument, NULL, 'c' },
		{ "all-classes", no_argument, NULL, 'a' },
		HELP_OPTION, COMMON_OPTIONS, { NULL, 0, NULL, 0 },
	};
	bool classes = false, all = false;
	struct gmm *g;
	int c, err;

	subcommand_argv0(argv);
	while ((c = getopt_long(argc, argv, "+hca" COMMON_SHORT, lopts,
				NULL)) != -1) {
		switch (c) {
		case 'h':
			stats_usage(stdout);
			return EXIT_OK;
		case 'c':
			classes = true;
			break;
		case 'a':
			classes = all = true;
			break;
		default:
			if (!common_option(c, optarg))
				return bad_option("stats");
		}
	}
	if (optind != argc)
		return usage_error("stats", "unexpected argument '%s'",
				   argv[optind]);
	g = open_heap(false);
	if (!g)
		return EXIT_NODEV;
	err = report_stats(g, stdout, classes, all);
	gmm_close(g);
	if (err) {
		errmsg_err(err, "GMM_IOC_STATS");
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

static void gc_usage(FILE *f)
{
	fprintf(f,
		"Usage: gmmctl [-j] gc [-n COUNT]\n"
		"\n"
		"Run COUNT full garbage collections (GMM_OP_GC, like Go's\n"
		"runtime.GC(): each waits until its cycle has marked and swept)\n"
		"and print a gctrace line for each (GMM_IOC_CYCLES).\n"
		"\n"
		"The heap is the new, empty one this command opens, so the lines\n"
		"show what a cycle costs with nothing to mark.  'gc' inside\n"
		"'gmmctl run' scripts collects the heap the script built.\n"
		"\n"
		"  -n, --count COUNT   cycles to run (default 1, at most 32)\n"
		"  -j, --json          one JSON object with the cycles\n"
		"  -h, --help          this help\n");
}

int cmd_gc(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "count", required_argument, NULL, 'n' },
		HELP_OPTION, COMMON_OPTIONS, { NULL, 0, NULL, 0 },
	};
	uint64_t count = 1, i, num;
	struct gmm *g;
	int c, err = 0;

	subcommand_argv0(argv);
	while ((c = getopt_long(argc, argv, "+hn:" COMMON_SHORT, lopts,
				NULL)) != -1) {
		switch (c) {
		case 'h':
			gc_usage(stdout);
			return EXIT_OK;
		case 'n':
			if (parse_u64_range(optarg, 1, 32, &count))
				return usage_error("gc", "--count: '%s' is not "
						   "1..32", optarg);
			break;
		default:
			if (!common_option(c, optarg))
				return bad_option("gc");
		}
	}
	if (optind != argc)
		return usage_error("gc", "unexpected argument '%s'", argv[optind]);
	g = open_heap(false);
	if (!g)
		return EXIT_NODEV;
	for (i = 0; i < count && !err; i++)
		err = gmm_collect(g, &num);
	if (err) {
		errmsg_err(err, "GMM_OP_GC");
	} else {
		if (!opts.json)
			print_cycle_legend(stdout);
		err = report_cycles(g, stdout, 0);
		if (err)
			errmsg_err(err, "GMM_IOC_CYCLES");
	}
	gmm_close(g);
	return err ? EXIT_FAIL : EXIT_OK;
}
