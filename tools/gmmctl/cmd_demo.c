// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_demo.c - `gmmctl demo`: a guided tour of gmm from user space, the
 * part of `make demo` that runs on one heap of /dev/gmm.
 *
 * The headings and the explanations are fixed text; every number under
 * them is what an ioctl just returned (GMM_IOC_VERSION, _PARAMS, _STATS,
 * _SPANS, _CYCLES, GMM_OP_INFO) or arithmetic on it, and every claim the
 * text makes about those numbers is checked: if the heap does not behave
 * as described, the demo says so and exits 1.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "gmmctl.h"

/* The shapes of step 3: a cycle a -> b -> c -> a, and a diamond
 * top -> left, right -> bottom of which only top keeps a handle.
 */
enum { SH_A, SH_B, SH_C, SH_TOP, SH_LEFT, SH_RIGHT, SH_BOTTOM, NR_SHAPE };

struct demo {
	struct gmm *g;
	bool quiet;
	uint64_t ops;		/* replacements in each churn phase */
	int failures;
	uint32_t node;		/* the type of step 3 */
	uint32_t list;		/* the list's head */
	uint32_t h[NR_SHAPE];	/* the shapes' handles */
	struct gmm_stats built;	/* after step 3 */
};

static void heading(const char *title)
{
	printf("\n=== %s ===\n", title);
}

static void say(const char *text)
{
	printf("%s\n", text);
}

/* A claim about the numbers just printed. */
static void check(struct demo *d, bool ok, const char *what)
{
	if (ok)
		return;
	printf("  !! unexpected: %s\n", what);
	d->failures++;
}

static int stats(struct demo *d, struct gmm_stats *st)
{
	int err = gmm_stats(d->g, st, NULL, 0);

	if (err)
		errmsg_err(err, "GMM_IOC_STATS");
	return err;
}

/* Spans summed per span class: what the span table says, shorter. */
static int span_summary(struct demo *d, bool only_scan, uint64_t *nspans)
{
	struct gmm_arena_info *arenas;
	struct gmm_span_info *spans;
	struct gmm_spans sp;
	struct {
		uint32_t elemsize, spans, pages;
		uint64_t slots, alloc, cached;
	} sum[256];
	char b1[32];
	uint32_t i;
	int err;

	err = gmm_spans_alloc(d->g, &sp, &arenas, &spans);
	if (err) {
		errmsg_err(err, "GMM_IOC_SPANS");
		return err;
	}
	memset(sum, 0, sizeof(sum));
	for (i = 0; i < sp.nr_spans; i++) {
		const struct gmm_span_info *s = &spans[i];
		unsigned int c = s->spanclass & 255;

		sum[c].elemsize = s->elemsize;
		sum[c].spans++;
		sum[c].pages += s->npages;
		sum[c].slots += s->nelems;
		sum[c].alloc += s->allocated;
		sum[c].cached += s->where == 1;
	}
	printf("  %u arena%s (", sp.nr_arenas, sp.nr_arenas == 1 ? "" : "s");
	for (i = 0; i < sp.nr_arenas; i++)
		printf("%s%s, %u of %u pages free", i ? "; " : "",
		       fmt_bytes(b1, sizeof(b1), (uint64_t)arenas[i].npages * 8192),
		       arenas[i].free_pages, arenas[i].npages);
	printf("), %u spans, GC phase %s, %llu cycles so far\n", sp.nr_spans,
	       gc_phase_name(sp.phase), ULL(sp.num_gc));
	printf("  %5s %6s %6s %5s %5s %7s %7s %6s\n", "class", "kind",
	       "slot", "spans", "pages", "slots", "alloc", "in-cpu");
	for (i = 0; i < 256; i++) {
		if (!sum[i].spans || (only_scan && (i & 1)))
			continue;
		printf("  %5u %6s %6u %5u %5u %7llu %7llu %6llu\n", i >> 1,
		       i & 1 ? "noscan" : "scan", sum[i].elemsize, sum[i].spans,
		       sum[i].pages, ULL(sum[i].slots), ULL(sum[i].alloc),
		       ULL(sum[i].cached));
	}
	if (nspans)
		*nspans = sp.nr_spans;
	free(arenas);
	free(spans);
	return 0;
}

/* Up to @max gctrace lines of the cycles after @since. */
static int cycles_since(struct demo *d, uint64_t since, unsigned int max)
{
	struct gmm_cycle_info c[32];
	uint32_t n, i, first;
	uint64_t num;
	int err;

	err = gmm_cycles(d->g, c, 32, &n, &num);
	if (err) {
		errmsg_err(err, "GMM_IOC_CYCLES");
		return err;
	}
	for (first = 0; first < n && c[first].num <= since; first++)
		;
	if (num - since > n - first || n - first > max) {
		uint32_t shown = n - first > max ? max : n - first;

		printf("  (%llu cycles; the last %u:)\n", ULL(num - since), shown);
		first = n - shown;
	}
	for (i = first; i < n; i++) {
		fputs("  ", stdout);
		print_cycle(stdout, &c[i]);
	}
	return 0;
}

/* Build a singly linked list of @n nodes; returns the head's handle. */
static int build_list(struct demo *d, uint32_t type, uint32_t n, uint32_t *head)
{
	struct gmm_batch_buf b;
	uint32_t *h, i, failed;
	uint64_t *vals;
	int err;

	h = calloc(n, sizeof(*h));
	vals = calloc(n, sizeof(*vals));
	err = gmm_batch_init(&b, GMM_BATCH_MAX);
	if (!h || !vals || err) {
		err = -ENOMEM;
		goto out;
	}
	/* n <= GMM_BATCH_MAX / 4: one batch per step. */
	for (i = 0; i < n; i++)
		gmm_batch_add_alloc(&b, type, 1);
	err = gmm_batch_run(d->g, &b, &failed);
	if (err)
		goto out;
	for (i = 0; i < n; i++)
		h[i] = (uint32_t)gmm_batch_result(&b, i);
	gmm_batch_reset(&b);
	for (i = 0; i < n; i++) {
		vals[i] = i;
		gmm_batch_add_write(&b, h[i], 16, &vals[i], 8);
		if (i + 1 < n)
			gmm_batch_add_store(&b, h[i], 0, h[i + 1]);
		if (i)
			gmm_batch_add_release(&b, h[i]);
	}
	err = gmm_batch_run(d->g, &b, &failed);
	if (!err)
		*head = h[0];
out:
	if (err)
		errmsg_err(err, "building a list (GMM_IOC_BATCH)");
	gmm_batch_free(&b);
	free(h);
	free(vals);
	return err;
}

static int step_sizes(struct demo *d)
{
	static const uint32_t sizes[] = { 1, 9, 24, 25, 100, 1000, 5000, 33000 };
	uint32_t i, h, slot;
	int err;

	heading("2. Size classes: what an allocation really gets");
	say("Objects up to 32 KiB are served from size classes: the request is\n"
	    "rounded up to the next class, and the object owns that whole slot.\n"
	    "Bigger ones get whole 8 KiB runtime pages.  GMM_OP_INFO tells the slot:");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		err = gmm_alloc_bytes(d->g, sizes[i], &h);
		if (!err)
			err = gmm_info(d->g, h, &slot, NULL);
		if (!err)
			err = gmm_release(d->g, h);
		if (err) {
			errmsg_err(err, "allocating %u bytes", sizes[i]);
			return err;
		}
		printf("  asked %6u bytes -> a %6u-byte %s (%u bytes of it unused)\n",
		       sizes[i], slot, sizes[i] > 32768 ? "run of pages" : "slot",
		       slot - sizes[i]);
		check(d, slot >= sizes[i], "a slot smaller than the request");
	}
	return 0;
}

/* The cycle and the diamond, op by op. */
static int build_shapes(struct demo *d)
{
	static const struct {
		char op;	/* alloc, store, release */
		int h, off, to;
	} ops[] = {
		{ 'a', SH_A, 0, 0 }, { 'a', SH_B, 0, 0 }, { 'a', SH_C, 0, 0 },
		{ 's', SH_A, 0, SH_B }, { 's', SH_B, 0, SH_C }, { 's', SH_C, 0, SH_A },
		{ 'a', SH_TOP, 0, 0 }, { 'a', SH_LEFT, 0, 0 },
		{ 'a', SH_RIGHT, 0, 0 }, { 'a', SH_BOTTOM, 0, 0 },
		{ 's', SH_TOP, 0, SH_LEFT }, { 's', SH_TOP, 8, SH_RIGHT },
		{ 's', SH_LEFT, 0, SH_BOTTOM }, { 's', SH_RIGHT, 0, SH_BOTTOM },
		{ 'r', SH_LEFT, 0, 0 }, { 'r', SH_RIGHT, 0, 0 },
		{ 'r', SH_BOTTOM, 0, 0 },
	};
	size_t i;
	int err = 0;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]) && !err; i++) {
		if (ops[i].op == 'a')
			err = gmm_alloc(d->g, d->node, 1, &d->h[ops[i].h]);
		else if (ops[i].op == 's')
			err = gmm_store(d->g, d->h[ops[i].h], (uint64_t)ops[i].off,
					d->h[ops[i].to]);
		else
			err = gmm_release(d->g, d->h[ops[i].h]);
	}
	if (err)
		errmsg_err(err, "building the cycle and the diamond");
	return err;
}

/* Release the handles @h[0..n-1]. */
static int release_all(struct demo *d, const uint32_t *h, size_t n)
{
	size_t i;
	int err = 0;

	for (i = 0; i < n && !err; i++)
		err = gmm_release(d->g, h[i]);
	if (err)
		errmsg_err(err, "GMM_OP_RELEASE");
	return err;
}

static int step_objects(struct demo *d)
{
	static const uint32_t ptrs[] = { 0, 8 };
	struct gmm_stats st0, st1;
	char b1[32];
	int err;

	heading("3. Objects, types and spans");
	say("A type tells the collector where an object's pointers are.  'node'\n"
	    "is 24 bytes: pointers at offsets 0 and 8, a number at 16.  We build a\n"
	    "list of 1000 nodes (only its head has a handle), a cycle of three\n"
	    "nodes and a diamond (top -> left, right -> bottom).");
	err = gmm_type_create(d->g, "node", 24, 0, ptrs, 2, &d->node);
	if (err) {
		errmsg_err(err, "GMM_IOC_TYPE_CREATE");
		return err;
	}
	if (stats(d, &st0))
		return -EIO;
	err = build_list(d, d->node, 1000, &d->list);
	if (!err)
		err = build_shapes(d);
	if (err)
		return err;
	if (stats(d, &st1))
		return -EIO;
	printf("  HeapObjects %llu: the %llu nodes just made, and %llu objects of\n"
	       "  step 2, released but not collected yet.  HeapAlloc %s.  Handles %llu:\n"
	       "  the list's head, the three cycle nodes, the diamond's top.\n",
	       ULL(st1.heap_objects), ULL(st1.heap_objects - st0.heap_objects),
	       ULL(st0.heap_objects), fmt_bytes(b1, sizeof(b1), st1.heap_alloc),
	       ULL(st1.handles));
	check(d, st1.heap_objects - st0.heap_objects == 1007,
	      "HeapObjects did not grow by the 1007 nodes allocated");
	check(d, st1.handles - st0.handles == 5, "not 5 handles");
	d->built = st1;
	say("\nThe nodes share the spans of their size class: runs of 8 KiB pages\n"
	    "cut into equal slots.  A span a CPU is allocating from sits in that\n"
	    "CPU's cache (in-cpu); the others are on the class's central list.\n"
	    "Spans of pointer-free objects (noscan) are never scanned; here are the\n"
	    "spans with pointers:");
	return span_summary(d, true, NULL);
}

static int step_marking(struct demo *d)
{
	const uint32_t dropped[] = { d->list, d->h[SH_A], d->h[SH_B], d->h[SH_C] };
	struct gmm_stats st1, st2;
	int err;

	heading("4. Marking: what is reachable survives, the rest is garbage");
	say("Now we drop the handles of the list's head and of the cycle.  Nothing\n"
	    "is freed yet - garbage stays until a collection finds it:");
	err = release_all(d, dropped, 4);
	if (err)
		return err;
	if (stats(d, &st2))
		return -EIO;
	printf("  HeapObjects %llu, handles %llu\n", ULL(st2.heap_objects),
	       ULL(st2.handles));
	check(d, st2.heap_objects == d->built.heap_objects,
	      "objects were freed without a collection");
	say("\nA collection (GMM_OP_GC, like runtime.GC()): stop the world, scan the\n"
	    "roots (our handles), mark concurrently from them by following the\n"
	    "types' pointer words, stop the world again to finish, then sweep:\n"
	    "every slot not marked is free again.  Its gctrace line:");
	print_cycle_legend(stdout);
	err = gmm_collect(d->g, NULL);
	if (err) {
		errmsg_err(err, "GMM_OP_GC");
		return err;
	}
	if (cycles_since(d, st2.num_gc, 4) || stats(d, &st1))
		return -EIO;
	printf("  HeapObjects %llu -> %llu: %llu freed - the list, the cycle (unreachable\n"
	       "  even though its nodes point at each other) and the objects of step 2.\n"
	       "  The diamond's four nodes stay, reached through 'top'.  HeapMarked,\n"
	       "  the bytes the mark found reachable: %llu.\n",
	       ULL(st2.heap_objects), ULL(st1.heap_objects),
	       ULL(st2.heap_objects - st1.heap_objects), ULL(st1.heap_marked));
	check(d, st1.heap_objects == 4,
	      "the collection did not leave exactly the diamond's 4 nodes");
	say("\nThe spans after the cycle.  Sweeping turned each span's mark bits into\n"
	    "its allocation bits (Go's allocBits = gcmarkBits): 'alloc' is what the\n"
	    "mark found, every other slot is free, and empty spans went back to the\n"
	    "page heap.");
	return span_summary(d, true, NULL);
}

static int step_sweeping(struct demo *d)
{
	struct gmm_stats st1, st2;
	uint32_t last[2];
	char b1[32];
	int err;

	heading("5. Sweeping made room: new objects reuse the freed memory");
	if (stats(d, &st2))
		return -EIO;
	err = build_list(d, d->node, 1000, &d->list);
	if (err)
		return err;
	if (stats(d, &st1))
		return -EIO;
	printf("  another 1000-node list: HeapObjects %llu, HeapSys %s before and ",
	       ULL(st1.heap_objects), fmt_bytes(b1, sizeof(b1), st2.heap_sys));
	printf("%s after:\n  the list fit in the arenas the heap already had "
	       "(the sweep gave the\n  first list's slots back).\n",
	       fmt_bytes(b1, sizeof(b1), st1.heap_sys));
	check(d, st1.heap_sys == st2.heap_sys, "the heap grew for the new list");
	err = span_summary(d, true, NULL);
	if (err)
		return err;
	last[0] = d->list;
	last[1] = d->h[SH_TOP];
	return release_all(d, last, 2);
}

/* One churn phase under GOGC @gcp. */
static int step_churn(struct demo *d, int gcp, uint64_t *cycles,
		      uint64_t *peak, uint64_t *goal)
{
	struct churn_params cp = {
		.objects = 30000, .size_min = 16, .size_max = 256,
		.ops = d->ops, .batch = GMM_BATCH_MAX, .seed = 42,
	};
	struct gmm_stats st0, st1;
	struct churn_result res;
	struct progress p;
	char b1[32], b3[32];
	int err;

	/* The same start for every phase: an empty heap, a fresh goal. */
	err = gmm_collect(d->g, NULL);
	if (err) {
		errmsg_err(err, "GMM_OP_GC");
		return err;
	}
	err = gmm_set_gc_percent(d->g, gcp);
	if (err) {
		errmsg_err(err, "GMM_IOC_PARAMS");
		return err;
	}
	if (stats(d, &st0))
		return -EIO;
	check(d, st0.heap_objects == 0, "the collection left objects behind");
	progress_init(&p, d->quiet);
	err = churn_run(d->g, &cp, &p, &res);
	if (err)
		return err;
	if (stats(d, &st1))
		return -EIO;
	*cycles = st1.num_gc - st0.num_gc;
	*peak = res.peak_alloc;
	/* The goals the pacer set in the phase: each cycle's, and the one
	 * its last cycle set for the next (a phase with few cycles has
	 * started them on the goal of the empty heap before it).
	 */
	*goal = st1.next_gc;
	{
		struct gmm_cycle_info c[32];
		uint32_t n, i;

		err = gmm_cycles(d->g, c, 32, &n, NULL);
		if (err) {
			errmsg_err(err, "GMM_IOC_CYCLES");
			return err;
		}
		for (i = 0; i < n; i++)
			if (c[i].num > st0.num_gc && c[i].goal > *goal)
				*goal = c[i].goal;
	}
	printf("\nGOGC=%d: %llu objects replaced in %.2f s (%llu operations in %llu\n"
	       "ioctls); the pacer started %llu cycles; HeapAlloc peaked at %s;\n"
	       "longest pause of the heap so far %s:\n", gcp, ULL(res.replaced),
	       (double)res.ns / 1e9, ULL(res.ops), ULL(res.ioctls),
	       ULL(*cycles), fmt_bytes(b1, sizeof(b1), res.peak_alloc),
	       fmt_ns(b3, sizeof(b3), st1.pause_max_ns));
	return cycles_since(d, st0.num_gc, 5);
}

static void demo_usage(FILE *f)
{
	fprintf(f,
		"Usage: gmmctl demo [--ops N] [--quiet]\n"
		"\n"
		"A guided tour of gmm on a new heap: size classes, types and spans,\n"
		"marking (a list, a cycle and a diamond), sweeping, the pacer at\n"
		"three GOGC values under a churning workload with its gctrace lines,\n"
		"and MemStats with the size-class table at the end.  Every number is\n"
		"an ioctl's answer; every claim the text makes about them is checked\n"
		"and a wrong one makes the demo exit 1.\n"
		"\n"
		"  -n, --ops N       objects replaced in each churn phase (default\n"
		"                    100000)\n"
		"  -q, --quiet       no progress line on stderr\n"
		"  -h, --help        this help\n");
}

/* EXIT_OK, -1 (help shown) or the exit status. */
static int demo_options(int argc, char **argv, struct demo *d)
{
	static const struct option lopts[] = {
		{ "ops", required_argument, NULL, 'n' },
		{ "quiet", no_argument, NULL, 'q' },
		HELP_OPTION, COMMON_OPTIONS, { NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "+hn:q" COMMON_SHORT, lopts,
				NULL)) != -1) {
		switch (c) {
		case 'h':
			demo_usage(stdout);
			return -1;
		case 'n':
			if (parse_u64_range(optarg, 1, 100000000, &d->ops))
				return usage_error("demo", "--ops: 1..100000000, not '%s'",
						   optarg);
			break;
		case 'q':
			d->quiet = true;
			break;
		default:
			if (!common_option(c, optarg))
				return bad_option("demo");
		}
	}
	if (optind != argc)
		return usage_error("demo", "unexpected argument '%s'", argv[optind]);
	if (opts.json)
		return usage_error("demo", "the tour is for people; 'run' and "
				   "'workload' print JSON");
	return EXIT_OK;
}

static int step_module(struct demo *d)
{
	struct gmm_version v;
	struct gmm_params p;
	char b1[32];
	int err;

	heading("1. The module and this heap");
	gmm_version(d->g, &v);
	err = gmm_get_params(d->g, &p);
	if (err) {
		errmsg_err(err, "GMM_IOC_PARAMS");
		return err;
	}
	printf("gmm %s, ABI %u.%u: runtime pages of %u bytes, %u size classes for\n"
	       "objects up to %u bytes.\n", v.module_version, v.abi_major,
	       v.abi_minor, v.page_size, v.num_size_classes - 1, v.max_small_size);
	printf("Opening /dev/gmm made a new, private heap for this tour (GOGC %d,\n"
	       "memory limit %s); it dies when gmmctl exits.\n", p.gc_percent,
	       p.memory_limit ? fmt_bytes(b1, sizeof(b1), p.memory_limit) :
	       "none but the module's");
	return 0;
}

static int step_pacer(struct demo *d)
{
	static const int gcps[] = { 100, 50, 200 };
	uint64_t cycles[3], peak[3], goal[3];
	char b1[32], b2[32];
	size_t i;
	int err;

	heading("6. The pacer: GOGC decides how often the collector runs");
	say("A live set of 30000 objects of 16..256 bytes, replaced at random\n"
	    "(each one's tags are read back before it is released): garbage\n"
	    "accumulates and the pacer starts a cycle when the heap nears its\n"
	    "goal = live heap x (1 + GOGC/100), but never below 4 MB.  Higher GOGC:\n"
	    "fewer cycles, more memory.  The same work at three settings, each\n"
	    "after a collection that empties the heap:");
	for (i = 0; i < 3; i++) {
		err = step_churn(d, gcps[i], &cycles[i], &peak[i], &goal[i]);
		if (err)
			return err;
	}
	printf("\n  %4s %8s %14s %16s\n", "GOGC", "cycles", "highest goal",
	       "peak HeapAlloc");
	for (i = 0; i < 3; i++)
		printf("  %4d %8llu %14s %16s\n", gcps[i], ULL(cycles[i]),
		       fmt_bytes(b1, sizeof(b1), goal[i]),
		       fmt_bytes(b2, sizeof(b2), peak[i]));
	check(d, cycles[1] >= cycles[2], "GOGC=50 ran fewer cycles than GOGC=200");
	check(d, goal[2] > goal[1], "GOGC=200's goal is not above GOGC=50's");
	say("  The goal is the pacer's promise; the heap can pass it while a cycle\n"
	    "  marks, because the program keeps allocating (mark assists make it\n"
	    "  help, which slows it down, but do not stop it).");
	return 0;
}

static int step_memstats(struct demo *d)
{
	struct gmm_class_info cl[128];
	struct gmm_stats st;
	int err;

	heading("7. MemStats and the size classes at the end");
	err = gmm_collect(d->g, NULL);
	if (!err)
		err = gmm_stats(d->g, &st, cl, 128);
	if (err) {
		errmsg_err(err, "GMM_IOC_STATS");
		return err;
	}
	say("After a last collection (every handle of the tour is released, so\n"
	    "nothing should be left):");
	print_memstats(stdout, &st);
	print_gcstats(stdout, &st);
	print_classes(stdout, cl, st.nr_classes, false);
	check(d, st.heap_objects == 0, "objects survived with no handle left");
	check(d, st.mallocs - st.frees == st.heap_objects,
	      "Mallocs - Frees is not HeapObjects");
	return 0;
}

int cmd_demo(int argc, char **argv)
{
	struct demo d = { .ops = 100000 };
	int err;

	subcommand_argv0(argv);
	err = demo_options(argc, argv, &d);
	if (err)
		return err < 0 ? EXIT_OK : err;
	setvbuf(stdout, NULL, _IOLBF, 0);
	d.g = open_heap(false);
	if (!d.g)
		return EXIT_NODEV;
	err = step_module(&d);
	if (!err)
		err = step_sizes(&d);
	if (!err)
		err = step_objects(&d);
	if (!err)
		err = step_marking(&d);
	if (!err)
		err = step_sweeping(&d);
	if (!err)
		err = step_pacer(&d);
	if (!err)
		err = step_memstats(&d);
	gmm_close(d.g);
	if (err)
		return EXIT_FAIL;
	if (d.failures) {
		printf("\n%d unexpected result%s: see the '!!' lines above.\n",
		       d.failures, d.failures == 1 ? "" : "s");
		return EXIT_FAIL;
	}
	printf("\nDemo done: every number above came from the module, and each\n"
	       "claim about them held.\n");
	return EXIT_OK;
}
