// SPDX-License-Identifier: GPL-2.0
/*
 * benchsnap - how long a heap snapshot holds the page heap's lock, against
 * the size of the heap (`make bench`, part "pageheap"; run in the guest by
 * tools/vm/guest/bench.sh).
 *
 *   benchsnap [-a LIST] [-r REPS] [-D DEVICE] [-g DEBUGFS] [-h]
 *
 * For each N of LIST (ascending, ',' or ':' between; default
 * 1,16,128,512): a new heap (an open of /dev/gmm) with collection off, N
 * pointer-free objects of 4 MiB - one arena each - allocated and held
 * (their handles are roots), then REPS snapshots of arenas and spans
 * (GMM_IOC_SPANS, room for all of them), each timed with CLOCK_MONOTONIC,
 * then the heap's debugfs params file (DEBUGFS/pid<pid>-<id>/params) read
 * for the line "walk_hold_max_ns <n>": the longest single hold of the
 * page-heap lock by an arena walk since the heap was made.  A module that
 * does not keep that figure prints no such line: "-" is reported.
 *
 * Output (stdout), one line per N and one at the end:
 *   snap,<N>,<arenas>,<spans>,<fastest ioctl ns>,<slowest ioctl ns>,<walk_hold_max_ns or ->
 *   snap: ok|FAILED heaps=<count> reps=<REPS>
 *
 * Exit status: 0 every heap was built and snapshotted, 1 otherwise (the
 * reason on stderr), 2 usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <glob.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gmm.h"

#define EXIT_FAIL	1
#define EXIT_USAGE	2
#define MAX_N		16
#define FILL_BYTES	(4U << 20)	/* one object, one arena */
#define MAX_ARENAS	4096

struct snap_result {
	uint32_t arenas, spans;
	uint64_t fastest_ns, slowest_ns;
	long long hold_ns;		/* -1: the module keeps no such figure */
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: benchsnap [-a LIST] [-r REPS] [-D DEVICE] [-g DEBUGFS] [-h]\n"
		"  -a, --arenas LIST   heap sizes in arenas, ascending (default 1,16,128,512)\n"
		"  -r, --reps N        snapshots per heap (default 3)\n"
		"  -D, --device PATH   the gmm device (default /dev/gmm)\n"
		"  -g, --debugfs DIR   gmm's debugfs directory (default /sys/kernel/debug/gmm)\n"
		"  -h, --help          this text\n"
		"Prints snap,<N>,<arenas>,<spans>,<fastest ns>,<slowest ns>,<walk_hold_max_ns or ->\n");
}

/* "1,16,128" or "1:16:128" into @v; the count, or -1 when malformed. */
static int parse_list(const char *s, unsigned int *v)
{
	int n = 0;

	while (*s) {
		char *end;
		unsigned long x;

		errno = 0;
		x = strtoul(s, &end, 10);
		if (errno || end == s || !x || x > MAX_ARENAS || n == MAX_N ||
		    (n && x <= v[n - 1]) || (*end && *end != ',' && *end != ':'))
			return -1;
		v[n++] = (unsigned int)x;
		s = *end ? end + 1 : end;
	}
	return n ? n : -1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/*
 * The heap's "walk_hold_max_ns" from DEBUGFS/pid<pid>-<id>/params (the
 * newest such heap of this process: the one open now); -1 when the file
 * has no such line, -2 when no params file was found.
 */
static long long read_hold(const char *debugfs)
{
	char pat[PATH_MAX], line[128];
	long long v = -1;
	glob_t g;
	FILE *f;

	snprintf(pat, sizeof(pat), "%s/pid%d-*/params", debugfs, (int)getpid());
	if (glob(pat, 0, NULL, &g) || !g.gl_pathc) {
		globfree(&g);
		return -2;
	}
	/* One heap is open at a time; should there be more, the last. */
	f = fopen(g.gl_pathv[g.gl_pathc - 1], "r");
	globfree(&g);
	if (!f)
		return -2;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "walk_hold_max_ns %lld", &v) == 1)
			break;
	fclose(f);
	return v;
}

/* Build a heap of @n arenas and take @reps snapshots of it. */
static int one_heap(const char *dev, const char *debugfs, unsigned int n,
		    unsigned int reps, struct snap_result *r)
{
	uint32_t room = n + 64, h;
	struct gmm_arena_info *ai = calloc(room, sizeof(*ai));
	struct gmm_span_info *si = calloc(room * 4, sizeof(*si));
	struct gmm *g = gmm_open(dev, 0);
	struct gmm_spans sp;
	unsigned int i;
	int err = 0;

	if (!g || !ai || !si) {
		err = g ? -ENOMEM : -errno;
		goto out;
	}
	err = gmm_set_gc_percent(g, -1);
	for (i = 0; i < n && !err; i++)
		err = gmm_alloc_bytes(g, FILL_BYTES, &h);
	r->fastest_ns = UINT64_MAX;
	r->slowest_ns = 0;
	for (i = 0; i < reps && !err; i++) {
		uint64_t t = now_ns();

		err = gmm_spans(g, &sp, ai, room, si, room * 4);
		t = now_ns() - t;
		if (!err && (sp.nr_arenas > room || sp.nr_spans > room * 4))
			err = -E2BIG;
		r->fastest_ns = t < r->fastest_ns ? t : r->fastest_ns;
		r->slowest_ns = t > r->slowest_ns ? t : r->slowest_ns;
		r->arenas = sp.nr_arenas;
		r->spans = sp.nr_spans;
	}
	if (!err) {
		r->hold_ns = read_hold(debugfs);
		if (r->hold_ns == -2) {
			fprintf(stderr, "benchsnap: no %s/pid%d-*/params\n",
				debugfs, (int)getpid());
			err = -ENOENT;
		}
	}
out:
	if (err)
		fprintf(stderr, "benchsnap: heap of %u arenas: %s\n", n,
			strerror(-err));
	gmm_close(g);
	free(si);
	free(ai);
	return err;
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "arenas", required_argument, NULL, 'a' },
		{ "reps", required_argument, NULL, 'r' },
		{ "device", required_argument, NULL, 'D' },
		{ "debugfs", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int ns[MAX_N] = { 1, 16, 128, 512 }, reps = 3;
	const char *dev = NULL, *debugfs = "/sys/kernel/debug/gmm";
	int nn = 4, c, i, ok = 0;
	char *end;

	while ((c = getopt_long(argc, argv, "a:r:D:g:h", lopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			nn = parse_list(optarg, ns);
			if (nn < 0) {
				fprintf(stderr, "benchsnap: bad list of arena counts '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'r':
			reps = (unsigned int)strtoul(optarg, &end, 10);
			if (*end || !reps || reps > 100) {
				fprintf(stderr, "benchsnap: bad --reps '%s' (1-100)\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'D':
			dev = optarg;
			break;
		case 'g':
			debugfs = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	for (i = 0; i < nn; i++) {
		struct snap_result r = { 0 };
		char hold[32] = "-";

		if (one_heap(dev, debugfs, ns[i], reps, &r))
			break;
		if (r.hold_ns >= 0)
			snprintf(hold, sizeof(hold), "%lld", r.hold_ns);
		printf("snap,%u,%u,%u,%llu,%llu,%s\n", ns[i], r.arenas, r.spans,
		       (unsigned long long)r.fastest_ns,
		       (unsigned long long)r.slowest_ns, hold);
		fflush(stdout);
		ok++;
	}
	printf("snap: %s heaps=%d reps=%u\n", ok == nn ? "ok" : "FAILED", ok, reps);
	return ok == nn ? 0 : EXIT_FAIL;
}
