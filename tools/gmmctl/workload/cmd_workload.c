// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_workload.c - `gmmctl workload NAME [OPTIONS]`: the table of
 * workloads (binarytrees.c, churn.c, graph.c), their options, and what is
 * printed at the end of each: the time, the operations and ioctls, the GC
 * cycles, the pauses, the peak heap (HeapSys and HeapAlloc from a
 * GMM_IOC_STATS after every batch) and the last gctrace lines.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "workload.h"

/* The workloads; an option of one of them sets its bit in o->given. */
static const struct workload {
	const char *name;
	int (*run)(struct wl *w, const struct wl_opts *o, struct json *jp);
} workloads[] = {
	{ "binarytrees", wl_binarytrees },
	{ "churn", wl_churn },
	{ "graph", wl_graph },
};

#define NR_WORKLOADS	(sizeof(workloads) / sizeof(workloads[0]))
#define WL_BINARYTREES	(1U << 0)
#define WL_CHURN	(1U << 1)
#define WL_GRAPH	(1U << 2)

static void workload_usage(FILE *f)
{
	fprintf(f,
		"Usage: gmmctl [-j] workload NAME [OPTIONS]\n"
		"\n"
		"Run a workload on a new heap through batched ioctls (GMM_IOC_BATCH)\n"
		"and print its time, operations, GC cycles, pauses, peak heap and\n"
		"last gctrace lines.  Each one checks what it reads back and fails\n"
		"(exit 1) on a wrong value.\n"
		"\n"
		"  binarytrees [--depth N]   GCBench / benchmarks-game binary-trees:\n"
		"                            stretch tree of depth N+1, long-lived tree\n"
		"                            of depth N, 2^(N-d+4) trees of each depth\n"
		"                            d = 4, 6, ..., N built, checked (node count\n"
		"                            and each node's number) and dropped\n"
		"                            (N 4..18, default 10)\n"
		"  churn [--objects N] [--size S|MIN-MAX] [--seconds T]\n"
		"                            keep N objects (default 10000) of S bytes\n"
		"                            (default 16-512), replace them at random\n"
		"                            for T seconds (default 5), checking each\n"
		"                            one's tags before releasing it\n"
		"  graph [--nodes N] [--edges M] [--rounds R]\n"
		"                            random graph of N nodes (default 2000), M\n"
		"                            random pointer stores (default 4N), R rounds\n"
		"                            (default 10) of new nodes, stores and moved\n"
		"                            roots; after each, a full GC must leave\n"
		"                            exactly what gmmctl's model reaches\n"
		"\n"
		"Options of every workload:\n"
		"  -b, --batch N           operations per ioctl, 16..%d (default %d)\n"
		"  -g, --gc-percent N|off  GOGC of the heap (default: the module's)\n"
		"  -m, --memory-limit SIZE memory limit of the heap (e.g. 64MiB)\n"
		"  -s, --seed N            random seed (churn, graph; default 1)\n"
		"  -q, --quiet             no progress line on stderr\n"
		"  -j, --json              the result as one JSON object\n"
		"  -h, --help              this help\n",
		GMM_BATCH_MAX, GMM_BATCH_MAX);
}

enum { O_DEPTH = 256, O_OBJECTS, O_SIZE, O_SECONDS, O_NODES, O_EDGES,
       O_ROUNDS };

static void print_summary(struct wl *w, const char *result, uint64_t t_ns,
			  const struct gmm_stats *st, struct json *j)
{
	char b1[32], b2[32], b3[32], b4[32], b5[32];

	if (j) {
		json_str(j, "result", result);
		if (strcmp(result, "ok"))
			json_str(j, "error", w->msg);
		json_u64(j, "time_ns", t_ns);
		json_u64(j, "ops", w->ops);
		json_u64(j, "ioctls", w->ioctls);
		json_u64(j, "num_gc", st->num_gc);
		json_u64(j, "num_forced_gc", st->num_forced_gc);
		json_u64(j, "pause_max_ns", st->pause_max_ns);
		json_u64(j, "pause_total_ns", st->pause_total_ns);
		json_u64(j, "gc_cpu_ns", st->gc_cpu_ns);
		json_u64(j, "peak_heap_sys", w->peak_sys);
		json_u64(j, "peak_heap_alloc", w->peak_alloc);
		json_u64(j, "peak_heap_objects", w->peak_objects);
		json_memstats(j, "stats", st);
		return;
	}
	printf("result: %s  time %.3f s, %llu operations in %llu ioctls, "
	       "%llu GC cycles (%llu forced), max pause %s, total pause %s, "
	       "peak heap %s (HeapSys), peak live %s (HeapAlloc), GC CPU %s\n",
	       result, (double)t_ns / 1e9, ULL(w->ops), ULL(w->ioctls),
	       ULL(st->num_gc), ULL(st->num_forced_gc),
	       fmt_ns(b1, sizeof(b1), st->pause_max_ns),
	       fmt_ns(b2, sizeof(b2), st->pause_total_ns),
	       fmt_bytes(b3, sizeof(b3), w->peak_sys),
	       fmt_bytes(b4, sizeof(b4), w->peak_alloc),
	       fmt_ns(b5, sizeof(b5), st->gc_cpu_ns));
}

/* The last cycles: up to @n gctrace lines, or a JSON array. */
static void print_last_cycles(struct gmm *g, unsigned int n, struct json *j)
{
	struct gmm_cycle_info c[32];
	uint32_t cnt, i;

	if (gmm_cycles(g, c, 32, &cnt, NULL))
		return;
	i = cnt > n ? cnt - n : 0;
	if (j) {
		json_arr_begin(j, "last_cycles");
		for (; i < cnt; i++)
			json_cycle(j, NULL, &c[i]);
		json_arr_end(j);
		return;
	}
	if (cnt)
		printf("last GC cycles:\n");
	for (; i < cnt; i++) {
		fputs("  ", stdout);
		print_cycle(stdout, &c[i]);
	}
}


/* --size BYTES or MIN-MAX; NULL or what is wrong. */
static const char *size_option(struct wl_opts *o, char *arg)
{
	char *dash = strchr(arg, '-');
	const char *bad = NULL;

	if (dash) {
		*dash = '\0';
		if (parse_size(arg, &o->smin) || parse_size(dash + 1, &o->smax))
			bad = "--size: BYTES or MIN-MAX";
		*dash = '-';
	} else if (parse_size(arg, &o->smin)) {
		bad = "--size: BYTES or MIN-MAX";
	} else {
		o->smax = o->smin;
	}
	if (!bad && (o->smin < 8 || o->smax < o->smin ||
		     o->smax > GMM_UAPI_MAX_OBJECT))
		bad = "--size: 8 bytes to 4 MiB, MIN <= MAX";
	return bad;
}

/* The options of one workload: its bit in o->given; NULL or what is wrong. */
static const char *own_option(struct wl_opts *o, int c, char *arg)
{
	switch (c) {
	case O_DEPTH:
		o->given |= WL_BINARYTREES;
		return parse_u64_range(arg, 4, 18, &o->depth) ? "--depth: 4..18" : NULL;
	case O_OBJECTS:
		o->given |= WL_CHURN;
		return parse_u64_range(arg, 1, 1000000, &o->objects) ?
		       "--objects: 1..1000000" : NULL;
	case O_SIZE:
		o->given |= WL_CHURN;
		return size_option(o, arg);
	case O_SECONDS:
		o->given |= WL_CHURN;
		return parse_seconds(arg, &o->seconds) || o->seconds <= 0 ?
		       "--seconds: a time above 0 (5, 2.5, 500ms)" : NULL;
	case O_NODES:
		o->given |= WL_GRAPH;
		return parse_u64_range(arg, 4, 1000000, &o->nodes) ?
		       "--nodes: 4..1000000" : NULL;
	case O_EDGES:
		o->given |= WL_GRAPH;
		o->set_edges = true;
		return parse_u64_range(arg, 0, 100000000, &o->edges) ?
		       "--edges: 0..100000000" : NULL;
	default:	/* O_ROUNDS */
		o->given |= WL_GRAPH;
		return parse_u64_range(arg, 0, 100000, &o->rounds) ?
		       "--rounds: 0..100000" : NULL;
	}
}

/* The options of every workload; NULL or what is wrong. */
static const char *heap_option(struct wl_opts *o, int c, char *arg)
{
	switch (c) {
	case 'b':
		return parse_u64_range(arg, 16, GMM_BATCH_MAX, &o->batch) ?
		       "--batch: 16..4096" : NULL;
	case 'g':
		o->set_gc = true;
		return parse_gc_percent(arg, &o->gcp) ?
		       "--gc-percent: 1..10000 or off" : NULL;
	case 'm':
		o->set_limit = true;
		return parse_size(arg, &o->limit) ?
		       "--memory-limit: a size (64MiB, 1G, ...)" : NULL;
	default:	/* 's' */
		return parse_u64(arg, &o->seed) ? "--seed: a number" : NULL;
	}
}

/* The options after the workload's name; EXIT_OK, -1 (help) or EXIT_*. */
static int wl_options(int argc, char **argv, const struct workload *wk,
		      struct wl_opts *o)
{
	static const struct option lopts[] = {
		{ "depth", required_argument, NULL, O_DEPTH },
		{ "objects", required_argument, NULL, O_OBJECTS },
		{ "size", required_argument, NULL, O_SIZE },
		{ "seconds", required_argument, NULL, O_SECONDS },
		{ "nodes", required_argument, NULL, O_NODES },
		{ "edges", required_argument, NULL, O_EDGES },
		{ "rounds", required_argument, NULL, O_ROUNDS },
		{ "batch", required_argument, NULL, 'b' },
		{ "gc-percent", required_argument, NULL, 'g' },
		{ "memory-limit", required_argument, NULL, 'm' },
		{ "seed", required_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		HELP_OPTION, COMMON_OPTIONS, { NULL, 0, NULL, 0 },
	};
	const char *bad;
	int c;

	while ((c = getopt_long(argc, argv, "+hqb:g:m:s:" COMMON_SHORT, lopts,
				NULL)) != -1) {
		if (c == 'h') {
			workload_usage(stdout);
			return -1;
		} else if (c == 'q') {
			o->quiet = true;
			continue;
		} else if (c >= O_DEPTH && c <= O_ROUNDS) {
			bad = own_option(o, c, optarg);
		} else if (c == 'b' || c == 'g' || c == 'm' || c == 's') {
			bad = heap_option(o, c, optarg);
		} else if (!common_option(c, optarg)) {
			return bad_option("workload");
		} else {
			continue;
		}
		if (bad)
			return usage_error("workload", "%s, not '%s'", bad, optarg);
	}
	if (optind != argc)
		return usage_error("workload", "unexpected argument '%s'", argv[optind]);
	if (o->given & ~(1U << (wk - workloads)))
		return usage_error("workload", "an option given is not one of %s's",
				   wk->name);
	if (!o->set_edges)
		o->edges = 4 * o->nodes;
	return EXIT_OK;
}

static int set_params(struct gmm *g, const struct wl_opts *o)
{
	int err = 0;

	if (o->set_gc)
		err = gmm_set_gc_percent(g, o->gcp);
	if (!err && o->set_limit)
		err = gmm_set_memory_limit(g, o->limit);
	return err;
}

/* Run @wk on a new heap and print what it did; EXIT_*. */
static int run_workload(const struct workload *wk, const struct wl_opts *o)
{
	struct json j, *jp = NULL;
	struct gmm_stats st;
	struct gmm *g;
	struct wl w;
	int err;

	g = open_heap(false);
	if (!g)
		return EXIT_NODEV;
	err = set_params(g, o);
	if (err) {
		errmsg_err(err, "GMM_IOC_PARAMS");
		gmm_close(g);
		return EXIT_FAIL;
	}
	if (opts.json) {
		json_init(&j, stdout);
		jp = &j;
		json_obj_begin(jp, NULL);
		json_str(jp, "workload", wk->name);
	}
	err = wl_init(&w, wk->name, g, (uint32_t)o->batch, o->quiet);
	if (!err)
		err = wk->run(&w, o, jp);
	progress_end(&w.prog);
	if (err && !jp)
		errmsg("workload %s: %s", wk->name, w.msg[0] ? w.msg : strerror(-err));
	if (gmm_stats(g, &st, NULL, 0) == 0) {
		print_summary(&w, err ? "FAIL" : "ok", now_ns() - w.t0, &st, jp);
		print_last_cycles(g, 3, jp);
	} else if (jp) {
		json_str(jp, "result", err ? "FAIL" : "ok");
	}
	if (jp)
		json_obj_end(jp);
	gmm_batch_free(&w.b);
	gmm_close(g);
	return err ? EXIT_FAIL : EXIT_OK;
}

int cmd_workload(int argc, char **argv)
{
	struct wl_opts o = {
		.depth = 10, .objects = 10000, .smin = 16, .smax = 512,
		.seconds = 5, .nodes = 2000, .rounds = 10,
		.batch = GMM_BATCH_MAX, .seed = 1,
	};
	const struct workload *wk = NULL;
	size_t i;
	int ret;

	subcommand_argv0(argv);
	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		workload_usage(stdout);
		return EXIT_OK;
	}
	if (argc < 2 || argv[1][0] == '-')
		return usage_error("workload", "which workload? binarytrees, churn "
				   "or graph");
	for (i = 0; i < NR_WORKLOADS; i++)
		if (!strcmp(argv[1], workloads[i].name))
			wk = &workloads[i];
	if (!wk)
		return usage_error("workload", "unknown workload '%s' (binarytrees, "
				   "churn, graph)", argv[1]);
	optind = 0;
	ret = wl_options(argc - 1, argv + 1, wk, &o);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	return run_workload(wk, &o);
}
