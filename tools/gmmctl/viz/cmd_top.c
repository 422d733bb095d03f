// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_top.c - `gmmctl top`: a live view of one heap in the terminal,
 * through debugfs (any heap: a kernel module's, another process's; root
 * only).  Plain ANSI escapes, redrawn every --interval; on a pipe (or with
 * --once) frames are printed one after another without escapes.
 *
 * What it shows: MemStats-style sizes, the pacer's goal, trigger and live
 * heap, the GC phase and cycle count with rates, pauses, the last gctrace
 * lines, and the size classes holding the most live bytes.  Fields the
 * module's debugfs does not have (older modules lack "params" and
 * "gctrace") are left out, not invented.  When the heap goes away, top
 * says so and ends.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "gmmctl.h"
#include "vizsrc.h"

static volatile sig_atomic_t top_stop;

static void top_signal(int sig)
{
	(void)sig;
	top_stop = 1;
}

struct top_state {
	bool ansi;
	int rows, cols;
	uint64_t prev_ns;
	struct viz_sample prev;
	bool have_prev;
};

static int cmp_live(const void *a, const void *b)
{
	const struct dbg_class *x = a, *y = b;

	return x->live_bytes < y->live_bytes ? 1 : x->live_bytes > y->live_bytes ? -1 : 0;
}

static void list_heaps(FILE *f)
{
	char **l = dbg_list_heaps(), b1[24], b2[24];
	size_t i;

	if (!l) {
		fprintf(f, "cannot read %s: %s (debugfs needs root, and gmm.ko "
			"loaded)\n", dbg_root(), strerror(errno));
		return;
	}
	fprintf(f, "%-24s %12s %12s %12s\n", "heap", "HeapInuse", "HeapAlloc",
		"objects");
	for (i = 0; l[i]; i++) {
		struct viz_sample s;

		if (dbg_sample(l[i], &s))
			continue;
		fprintf(f, "%-24s %12s %12s %12llu\n", l[i],
			fmt_bytes(b1, sizeof(b1), s.heap_inuse),
			fmt_bytes(b2, sizeof(b2), s.heap_alloc),
			(unsigned long long)s.heap_objects);
	}
	if (!l[0])
		fprintf(f, "(no heaps: is anything using gmm?)\n");
	dbg_free_list(l);
}

static const char *bold(const struct top_state *ts)
{
	return ts->ansi ? "\033[1m" : "";
}

static const char *plain(const struct top_state *ts)
{
	return ts->ansi ? "\033[0m" : "";
}

/* Sizes, the pacer and the collector, with rates since the last screen. */
static void top_heap(const struct top_state *ts, const struct viz_sample *s,
		     double dt)
{
	char b[8][24];

	printf("%sheap%s   HeapAlloc %s   HeapInuse %s   HeapSys %s   HeapIdle %s"
	       "   objects %llu\n", bold(ts), plain(ts),
	       fmt_bytes(b[0], 24, s->heap_alloc), fmt_bytes(b[1], 24, s->heap_inuse),
	       fmt_bytes(b[2], 24, s->heap_sys), fmt_bytes(b[3], 24, s->heap_idle),
	       (unsigned long long)s->heap_objects);
	if (dt > 0 && s->total_alloc >= ts->prev.total_alloc)
		printf("       allocated %s in all, %s/s now\n",
		       fmt_bytes(b[0], 24, s->total_alloc),
		       fmt_bytes(b[1], 24, (uint64_t)((s->total_alloc -
						      ts->prev.total_alloc) / dt)));
	else
		printf("       allocated %s in all\n",
		       fmt_bytes(b[0], 24, s->total_alloc));
	if (s->have & VIZ_HAVE_PACER)
		printf("%spacer%s  goal %s   trigger %s   live %s   marked %s%s%s\n",
		       bold(ts), plain(ts), fmt_bytes(b[0], 24, s->next_gc),
		       fmt_bytes(b[1], 24, s->trigger),
		       fmt_bytes(b[2], 24, s->heap_live),
		       s->have & VIZ_HAVE_MARKED ? fmt_bytes(b[3], 24, s->heap_marked) : "?",
		       s->have & VIZ_HAVE_PERCENT ? "   GOGC " : "",
		       s->have & VIZ_HAVE_PERCENT ?
		       (s->gc_percent < 0 ? "off" :
			(snprintf(b[4], 24, "%d", s->gc_percent), b[4])) : "");
	else
		printf("%spacer%s  (this module's debugfs has no 'params' file)\n",
		       bold(ts), plain(ts));
	if (!(s->have & VIZ_HAVE_GC))
		return;
	printf("%sgc%s     phase %s   cycles %llu", bold(ts), plain(ts),
	       gc_phase_name(s->phase), (unsigned long long)s->num_gc);
	if (dt > 0 && s->num_gc >= ts->prev.num_gc)
		printf(" (%.1f/s)", (s->num_gc - ts->prev.num_gc) / dt);
	printf("   pauses: total %s, max %s\n", fmt_ns(b[0], 24, s->pause_total_ns),
	       fmt_ns(b[1], 24, s->pause_max_ns));
}

/* The last gctrace lines (the text is cut into lines); rows used. */
static int top_gctrace(const struct top_state *ts, char *gctrace)
{
	char *lines[6] = { 0 }, *p = gctrace, *nl;
	int n = 0, k;

	while (p && *p) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = 0;
		if (!strncmp(p, "gc ", 3)) {
			if (n == 4)
				memmove(lines, lines + 1, 3 * sizeof(*lines));
			lines[n < 4 ? n++ : 3] = p;
		}
		p = nl ? nl + 1 : NULL;
	}
	printf("\n%srecent cycles%s (gctrace: gc N @time CPU%%: STW1+mark+"
	       "STW2 ms clock, ..., heap start->end->live MB, goal)\n",
	       bold(ts), plain(ts));
	for (k = 0; k < n; k++)
		printf("  %.*s\n", ts->cols > 4 ? ts->cols - 3 : 200, lines[k]);
	if (!n)
		printf("  (no cycle yet)\n");
	return n + 2 + !n;
}

/* The size classes by live bytes, as many as @rows_left allows. */
static void top_classes(const struct top_state *ts, struct dbg_class *cl,
			int ncl, int rows_left)
{
	uint64_t top_bytes;
	int i, maxbar = 30;
	char b[2][24];

	qsort(cl, (size_t)ncl, sizeof(cl[0]), cmp_live);
	top_bytes = cl[0].live_bytes ? cl[0].live_bytes : 1;
	printf("\n%ssize classes by live bytes%s\n", bold(ts), plain(ts));
	printf("  %5s %7s %12s %11s %7s\n", "class", "size", "live objs",
	       "live bytes", "spans");
	rows_left -= 3;
	if (ts->cols < 80)
		maxbar = ts->cols > 60 ? ts->cols - 60 : 0;
	for (i = 0; i < ncl && (i < 3 || i < rows_left); i++) {
		int bar;

		if (!cl[i].live_bytes && !cl[i].spans)
			break;
		bar = (int)((double)cl[i].live_bytes / top_bytes * maxbar + 0.5);
		printf("  %5u %7s %12llu %11s %7llu %.*s\n", cl[i].cls,
		       cl[i].cls ? (snprintf(b[0], 24, "%u", cl[i].size), b[0]) :
		       "large", (unsigned long long)cl[i].live,
		       fmt_bytes(b[1], 24, cl[i].live_bytes),
		       (unsigned long long)cl[i].spans, bar,
		       "##############################################"
		       "##################################");
	}
	if (!cl[0].live_bytes)
		printf("  (nothing live)\n");
}

/* One screen; -ENOENT when the heap is gone. */
static int top_frame(struct top_state *ts, const char *dir, double interval)
{
	struct dbg_class cl[VIZ_MAX_CLASSES];
	char when[32], *gctrace = NULL;
	uint64_t now = now_ns();
	time_t wall = time(NULL);
	int ncl, rows_left, err;
	struct viz_sample s;
	struct tm tm;
	double dt;

	err = dbg_sample(dir, &s);
	if (err)
		return dbg_heap_exists(dir) ? err : -ENOENT;
	ncl = dbg_sizeclasses(dir, cl, VIZ_MAX_CLASSES);
	if (dbg_read_file(dir, "gctrace", &gctrace))
		gctrace = NULL;
	localtime_r(&wall, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	dt = ts->have_prev ? (now - ts->prev_ns) / 1e9 : 0;

	if (ts->ansi)
		fputs("\033[H\033[2J", stdout);
	printf("%sgmm top - heap %s%s   (debugfs, every %.1f s, %s)\n", bold(ts),
	       dir, plain(ts), interval, when);
	top_heap(ts, &s, dt);
	rows_left = ts->rows - 7;
	if (gctrace) {
		rows_left -= top_gctrace(ts, gctrace);
		free(gctrace);
	}
	if (ncl > 0)
		top_classes(ts, cl, ncl, rows_left);
	fflush(stdout);
	ts->prev = s;
	ts->prev_ns = now;
	ts->have_prev = true;
	return 0;
}

static void top_usage(FILE *f)
{
	fprintf(f,
		"Usage: gmmctl top [--heap NAME] [OPTIONS]\n"
		"\n"
		"A live view of one heap through debugfs (root): sizes, goal, GC\n"
		"phase and cycles, pauses, recent gctrace lines and the size\n"
		"classes with the most live bytes.  Without --heap, lists the\n"
		"heaps.  Ends on Ctrl-C, after --iterations, or when the heap\n"
		"goes away.\n"
		"\n"
		"Options:\n"
		"  --heap NAME        the heap (bintree-3, or bintree if only one)\n"
		"  --interval SECS    refresh period (default 1)\n"
		"  --once             one frame, no screen clearing\n"
		"  --iterations N     N frames, then end\n"
		"  -h, --help         this help\n");
}

/* The options of top. */
struct top_args {
	const char *name;
	double interval;
	uint64_t iterations;
	bool once;
};

/* EXIT_OK, -1 (help shown) or the exit status. */
static int top_options(int argc, char **argv, struct top_args *a)
{
	static const struct option lopts[] = {
		{ "heap", required_argument, NULL, OPT_HEAP },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "once", no_argument, NULL, OPT_ONCE },
		{ "iterations", required_argument, NULL, OPT_ITERATIONS },
		HELP_OPTION, COMMON_OPTIONS, { NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "+h" COMMON_SHORT, lopts,
				NULL)) != -1) {
		switch (c) {
		case 'h':
			top_usage(stdout);
			return -1;
		case OPT_HEAP:
			a->name = optarg;
			break;
		case OPT_INTERVAL:
			if (parse_seconds(optarg, &a->interval) || a->interval < 0.05)
				return usage_error("top", "--interval: at least 0.05 s");
			break;
		case OPT_ONCE:
			a->once = true;
			break;
		case OPT_ITERATIONS:
			if (parse_u64_range(optarg, 1, UINT32_MAX, &a->iterations))
				return usage_error("top", "--iterations: a count");
			break;
		default:
			if (!common_option(c, optarg))
				return bad_option("top");
		}
	}
	if (optind != argc)
		return usage_error("top", "unexpected '%s'", argv[optind]);
	return EXIT_OK;
}

/* The terminal's size, and Ctrl-C to end. */
static void top_setup(struct top_state *ts, bool once)
{
	struct sigaction sa;
	struct winsize ws;

	ts->ansi = !once && isatty(STDOUT_FILENO);
	if (isatty(STDOUT_FILENO) && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) &&
	    ws.ws_row > 10) {
		ts->rows = ws.ws_row;
		ts->cols = ws.ws_col;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = top_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* Screens of heap @dir until Ctrl-C, the count, or the heap's end. */
static int top_loop(struct top_state *ts, const char *dir,
		    const struct top_args *a)
{
	uint64_t n;
	int err;

	for (n = 0; !top_stop && (!a->iterations || n < a->iterations); n++) {
		struct timespec ts_sleep;

		if (n && !ts->ansi)
			printf("\n");
		err = top_frame(ts, dir, a->interval);
		if (err == -ENOENT) {
			printf("%sheap %s went away (destroyed)%s\n", bold(ts), dir,
			       plain(ts));
			return EXIT_OK;
		}
		if (err) {
			errmsg_err(err, "reading %s/%s", dbg_root(), dir);
			return EXIT_FAIL;
		}
		if (a->iterations && n + 1 >= a->iterations)
			break;
		ts_sleep.tv_sec = (time_t)a->interval;
		ts_sleep.tv_nsec = (long)((a->interval - (double)ts_sleep.tv_sec) * 1e9);
		nanosleep(&ts_sleep, NULL);
	}
	return EXIT_OK;
}

int cmd_top(int argc, char **argv)
{
	struct top_state ts = { .rows = 40, .cols = 100 };
	struct top_args a = { .interval = 1 };
	char dir[256];
	int err;

	subcommand_argv0(argv);
	err = top_options(argc, argv, &a);
	if (err)
		return err < 0 ? EXIT_OK : err;
	if (!a.name) {
		list_heaps(stdout);
		return EXIT_OK;
	}
	err = dbg_find_heap(a.name, dir, sizeof(dir));
	if (err) {
		if (err == -EEXIST)
			errmsg("'%s' names more than one heap:", a.name);
		else
			errmsg("no heap '%s' in %s:", a.name, dbg_root());
		list_heaps(stderr);
		return EXIT_FAIL;
	}
	if (a.once)
		a.iterations = 1;
	top_setup(&ts, a.once);
	return top_loop(&ts, dir, &a);
}
