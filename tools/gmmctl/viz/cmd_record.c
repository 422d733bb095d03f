// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_record.c - `gmmctl record --heap NAME -o FILE`: record any heap -
 * a kernel module's, another process's - through debugfs, into the same
 * JSON Lines recording `--record` makes of gmmctl's own heap, for `gmmctl
 * map` and `gmmctl trace` to draw.
 *
 * The recording's clock is the heap's when its debugfs says how old it
 * is (params' uptime_ns): samples, frames and cycles then have the times
 * a recording of gmmctl's own heap has.  An older module's recording
 * counts from its own start instead, and its cycles are moved onto that
 * clock (dbgtrack.c).  Every poll reads a sample (and a frame when one
 * is due), then the gctrace file (all the cycles they count are in it by
 * then), and writes the cycles not seen yet at once: a reader following
 * the file (gmmctl serve --heap) gets each cycle shortly after it ends,
 * and the recording keeps them when the heap goes away.  A sample or
 * frame is written only with its cycles read.  The recording ends after
 * --seconds, on SIGINT/SIGTERM, or when the heap goes away.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gmmctl.h"
#include "record.h"
#include "vizsrc.h"

static volatile sig_atomic_t stop_now;

static void on_signal(int sig)
{
	(void)sig;
	stop_now = 1;
}

static void sleep_ms(uint32_t ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void record_usage(FILE *f)
{
	fprintf(f,
		"Usage: gmmctl record --heap NAME -o FILE [OPTIONS]\n"
		"\n"
		"Record any gmm heap through debugfs (root): statistics every\n"
		"--interval, a whole spans frame every N-th GC cycle, and the\n"
		"cycles of its gctrace file, into a JSON Lines recording for\n"
		"'gmmctl map --input' and 'gmmctl trace --input'.  Heaps are the\n"
		"directories of /sys/kernel/debug/gmm ('gmmctl top' lists them);\n"
		"NAME is a whole name (bintree-3) or one without its id (bintree).\n"
		"To record gmmctl's own heap, give --record FILE to run, workload\n"
		"or demo instead.\n"
		"\n"
		"Options:\n"
		"  --heap NAME        the heap\n"
		"  -o, --output FILE  the recording ('-': standard output)\n"
		"  --seconds T        how long (default 10; ends earlier when the\n"
		"                     heap goes away, or on Ctrl-C)\n"
		"  --wait             wait (up to --seconds) for the heap to appear\n"
		"  --interval MS      sampling interval (default 50)\n"
		"  --map-every N      a spans frame every N-th cycle (default 0:\n"
		"                     the first and the last only)\n"
		"  --map-interval T   a spans frame every T seconds too (for\n"
		"                     modules whose debugfs has no cycle count)\n"
		"  -h, --help         this help\n");
}

/* A recording of a debugfs heap: the options, then what it holds. */
struct rec_run {
	const char *name, *out;
	uint64_t interval, every;
	double seconds, map_interval;
	bool wait;
	char dir[256];		/* the heap's debugfs directory */
	struct viz_rec r;
	struct dbg_track ct;
	struct frame_plan plan;
	struct json j;
	FILE *f;
	size_t samples, frames;
	uint64_t t0, t_prev, t_end;	/* our clock */
	uint64_t last_t, last_frame_t;	/* the recording's */
	bool gone, have_gctrace;
};

/* One option of record's; EXIT_OK or EXIT_USAGE after a message. */
static int record_option(struct rec_run *rr, int c, const char *arg)
{
	switch (c) {
	case OPT_HEAP:
		rr->name = arg;
		return EXIT_OK;
	case 'o':
		rr->out = arg;
		return EXIT_OK;
	case OPT_SECONDS:
		if (parse_seconds(arg, &rr->seconds) || rr->seconds <= 0)
			return usage_error("record", "--seconds: a time");
		return EXIT_OK;
	case OPT_INTERVAL:
		if (parse_u64_range(arg, 1, 60000, &rr->interval))
			return usage_error("record", "--interval: 1..60000 ms");
		return EXIT_OK;
	case OPT_MAP_EVERY:
		if (parse_u64_range(arg, 0, 1000000, &rr->every))
			return usage_error("record", "--map-every: cycles");
		return EXIT_OK;
	case OPT_FRAME:
		if (parse_seconds(arg, &rr->map_interval) || rr->map_interval <= 0)
			return usage_error("record", "--map-interval: a time");
		return EXIT_OK;
	default:	/* 'w' */
		rr->wait = true;
		return EXIT_OK;
	}
}

/* The options; EXIT_OK, -1 (help shown) or the exit status. */
static int record_options(int argc, char **argv, struct rec_run *rr)
{
	static const struct option lopts[] = {
		{ "heap", required_argument, NULL, OPT_HEAP },
		{ "output", required_argument, NULL, 'o' },
		{ "seconds", required_argument, NULL, OPT_SECONDS },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "map-every", required_argument, NULL, OPT_MAP_EVERY },
		{ "map-interval", required_argument, NULL, OPT_FRAME },
		{ "wait", no_argument, NULL, 'w' },
		HELP_OPTION, COMMON_OPTIONS, { NULL, 0, NULL, 0 },
	};
	int c, ret;

	while ((c = getopt_long(argc, argv, "+ho:w" COMMON_SHORT, lopts,
				NULL)) != -1) {
		if (c == 'h') {
			record_usage(stdout);
			return -1;
		}
		if (c == OPT_HEAP || c == 'o' || c == OPT_SECONDS ||
		    c == OPT_INTERVAL || c == OPT_MAP_EVERY || c == OPT_FRAME ||
		    c == 'w') {
			ret = record_option(rr, c, optarg);
			if (ret)
				return ret;
		} else if (!common_option(c, optarg)) {
			return bad_option("record");
		}
	}
	if (optind != argc)
		return usage_error("record", "unexpected '%s'", argv[optind]);
	if (!rr->name)
		return usage_error("record", "which heap? --heap NAME (gmmctl "
				   "top lists them)");
	if (!rr->out)
		return usage_error("record", "where to? -o FILE");
	return EXIT_OK;
}

/* The heap's directory (waiting for it with --wait); EXIT_OK or EXIT_FAIL. */
static int record_find(struct rec_run *rr)
{
	uint64_t t0 = now_ns();
	int err;

	while ((err = dbg_find_heap(rr->name, rr->dir, sizeof(rr->dir))) == -ENOENT &&
	       rr->wait && !stop_now &&
	       now_ns() - t0 < (uint64_t)(rr->seconds * 1e9))
		sleep_ms(10);
	if (!err)
		return EXIT_OK;
	if (err == -EEXIST)
		errmsg("'%s' names more than one heap: give the whole "
		       "name ('gmmctl top' lists them)", rr->name);
	else if (err == -ENOENT)
		errmsg("no heap '%s' in %s%s ('gmmctl top' lists them)",
		       rr->name, dbg_root(), rr->wait ? " (waited)" : "");
	else
		errmsg_err(err, "cannot read %s (debugfs needs root)", dbg_root());
	return EXIT_FAIL;
}

/*
 * The recording's meta line, its size classes and its clock (the heap's
 * when params has uptime_ns) read first; EXIT_*.
 */
static int record_begin(struct rec_run *rr)
{
	struct viz_rec *r = &rr->r;
	struct viz_sample s;
	bool heap_clock;
	int err;

	viz_rec_init(r);
	snprintf(r->source, sizeof(r->source), "debugfs");
	snprintf(r->heap, sizeof(r->heap), "%s", rr->dir);
	snprintf(r->what, sizeof(r->what), "recorded through debugfs");
	r->interval_ms = (uint32_t)rr->interval;
	r->map_every = (uint32_t)rr->every;
	err = dbg_classes(rr->dir, r);
	if (!err)
		err = dbg_sample(rr->dir, &s);
	if (err) {
		errmsg_err(err, "reading %s/%s", dbg_root(), rr->dir);
		return EXIT_FAIL;
	}
	heap_clock = s.have & VIZ_HAVE_UPTIME;
	snprintf(r->time_base, sizeof(r->time_base), "%s",
		 heap_clock ? "heap" : "recording");
	rr->f = strcmp(rr->out, "-") ? fopen(rr->out, "w") : stdout;
	if (!rr->f) {
		errmsg("cannot write %s: %s", rr->out, strerror(errno));
		return EXIT_FAIL;
	}
	json_init(&rr->j, rr->f);
	rec_write_meta(&rr->j, r);
	frame_plan_init(&rr->plan, (uint32_t)rr->every);
	dbg_track_init(&rr->ct, r, &rr->j, heap_clock);
	return EXIT_OK;
}

/*
 * Whether the heap went away, after a read of its files failed.  A file
 * of a heap being destroyed says -EIO, or reads empty (a sample without
 * its fields: -EPROTO), while its directory is still being removed, so a
 * directory still there is looked at again for a second.
 */
static bool heap_went(const struct rec_run *rr, int err)
{
	int tries = err == -ENOMEM ? 1 : 50;

	while (tries--) {
		if (!dbg_heap_exists(rr->dir))
			return true;
		if (tries)
			sleep_ms(20);
	}
	return false;
}

/* @err of a read: 1 when the heap went away meanwhile (the end, not an error). */
static int gone_or(struct rec_run *rr, int err)
{
	if (!heap_went(rr, err))
		return err;
	rr->gone = true;
	return 1;
}

/* The time of @s on the recording's clock (@t: ours); false: unknown. */
static bool rec_time(const struct rec_run *rr, struct viz_sample *s,
		     uint64_t t)
{
	if (!rr->ct.heap_clock)
		s->t_ns = t;
	else if (s->have & VIZ_HAVE_UPTIME)
		s->t_ns = s->uptime_ns;
	else
		return false;	/* params gone while read: the heap went */
	return true;
}

/* A spans frame of the heap now (@t: our clock); 0, 1 (gone) or -errno. */
static int read_frame(struct rec_run *rr, uint64_t t, const char *why,
		      struct viz_frame *fr)
{
	int err;

	err = dbg_frame(rr->dir, &rr->r, fr);
	if (!err && !rec_time(rr, &fr->st, t)) {
		viz_frame_free(fr);
		err = -EPROTO;
	}
	if (err)
		return gone_or(rr, err);
	snprintf(fr->why, sizeof(fr->why), "%s", why);
	return 0;
}

/* New cycles of the gctrace file, written; 0, 1 (gone) or -errno. */
static int record_cycles(struct rec_run *rr, uint64_t t_now)
{
	int err;

	if (!rr->have_gctrace)
		return 0;
	err = dbg_track_read(&rr->ct, rr->dir, rr->t_prev, t_now);
	if (err == -ENOENT && !rr->samples) {
		rr->have_gctrace = false;	/* an older module */
		return 0;
	}
	if (err)	/* the heap may have gone while we read (gone_or) */
		err = gone_or(rr, err);
	if (err == -ENOENT) {
		rr->have_gctrace = false;
		return 0;
	}
	return err;
}

/*
 * A sample at @t (our clock), a frame when one is due, and the cycles
 * they count; 0, 1 (gone) or -errno.  The cycles are read last, so that
 * every cycle the sample and the frame count is in the file; when they
 * cannot be read (the heap went), neither is written.
 */
static int record_poll(struct rec_run *rr, uint64_t t, bool last)
{
	struct viz_sample s;
	struct viz_frame fr;
	const char *why;
	int err;

	err = dbg_sample(rr->dir, &s);
	if (!err && !rec_time(rr, &s, t))
		err = -EPROTO;
	if (err)
		return gone_or(rr, err);
	why = last ? "last" : frame_plan_due(&rr->plan, &s);
	if (!why && rr->map_interval > 0 && rr->frames &&
	    s.t_ns - rr->last_frame_t >= (uint64_t)(rr->map_interval * 1e9))
		why = "time";
	err = why ? read_frame(rr, t, why, &fr) : 0;
	if (err)
		return err;
	err = record_cycles(rr, now_ns() - rr->t0);
	if (err) {
		if (why)
			viz_frame_free(&fr);
		return err;
	}
	rec_write_sample(&rr->j, &s);
	rr->samples++;
	rr->last_t = s.t_ns;
	if (why) {
		fr.index = (uint32_t)rr->frames++;
		rec_write_frame(&rr->j, &fr);
		rr->last_frame_t = fr.st.t_ns;
		if (fr.st.t_ns > rr->last_t)
			rr->last_t = fr.st.t_ns;
		viz_frame_free(&fr);
	}
	return 0;
}

/* Sample until the time is up, a signal comes or the heap goes. */
static int record_loop(struct rec_run *rr)
{
	uint64_t t;
	bool last;
	int ret;

	rr->t0 = now_ns();
	for (;;) {
		t = now_ns() - rr->t0;
		rr->t_end = t;
		last = stop_now || t >= (uint64_t)(rr->seconds * 1e9);
		ret = record_poll(rr, t, last);
		if (ret)
			return ret > 0 ? 0 : ret;
		rr->t_prev = t;
		if (last)
			return 0;
		sleep_ms((uint32_t)rr->interval);
	}
}

/* The end line, the file closed, what was recorded said; EXIT_*. */
static int record_end(struct rec_run *rr, int err)
{
	size_t unplaced = rr->r.nr_cycles - rr->ct.next;

	rr->r.nr_cycles = rr->ct.written;
	rec_write_end(&rr->j, &rr->r, rr->last_t, rr->samples, rr->frames);
	if (fflush(rr->f) || ferror(rr->f))
		err = err ? err : -EIO;
	if (rr->f != stdout && fclose(rr->f) && !err)
		err = -EIO;
	if (err) {
		errmsg_err(err, "recording %s", rr->dir);
		return EXIT_FAIL;
	}
	fprintf(stderr, "gmmctl record: %s: %zu samples, %zu frames, %zu "
		"cycles (%llu lost) in %.2f s%s -> %s\n", rr->dir, rr->samples,
		rr->frames, rr->ct.written, ULL(rr->r.cycles_lost),
		rr->t_end / 1e9, rr->gone ? " (the heap went away)" : "",
		rr->out);
	if (unplaced)
		fprintf(stderr, "gmmctl record: %zu cycles read could not be "
			"placed on the recording's clock (none ended while it "
			"ran)\n", unplaced);
	return EXIT_OK;
}

int cmd_record(int argc, char **argv)
{
	struct rec_run rr = {
		.interval = 50, .seconds = 10, .have_gctrace = true,
	};
	struct sigaction sa;
	int ret;

	subcommand_argv0(argv);
	ret = record_options(argc, argv, &rr);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ret = record_find(&rr);
	if (ret)
		return ret;
	ret = record_begin(&rr);
	if (!ret)
		ret = record_end(&rr, record_loop(&rr));
	viz_rec_free(&rr.r);
	return ret;
}
