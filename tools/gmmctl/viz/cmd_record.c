// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_record.c - `gmmctl record --heap NAME -o FILE`: record any heap -
 * a kernel module's, another process's - through debugfs, into the same
 * JSON Lines recording `--record` makes of gmmctl's own heap, for `gmmctl
 * map` and `gmmctl trace` to draw.
 *
 * The clock is the recording's (ns since it began): debugfs does not say
 * when a heap was made.  Cycles come from the heap's gctrace file, whose
 * times count from the heap's creation; they are moved onto the
 * recording's clock by the offset that puts each cycle's end between the
 * two reads that first saw it and the one before (good to one sampling
 * interval), and written at the end.  The recording ends after --seconds,
 * on SIGINT/SIGTERM, or when the heap goes away.
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

/* The cycle log, and what is known of its offset to our clock. */
struct cyc_track {
	struct viz_rec *r;
	uint64_t seen_upto;	/* highest cycle number read */
	bool primed;		/* cycles before the recording noted */
	int64_t lo, hi;		/* offset bounds, ns: heap = ours + off */
	bool bounded;
};

static int track_cycles(struct cyc_track *ct, const char *dir,
			uint64_t t_prev, uint64_t t_now)
{
	struct gmm_cycle_info *cy;
	size_t n, i;
	int err;

	err = dbg_cycles(dir, &cy, &n);
	if (err < 0)
		return err;
	for (i = 0; i < n; i++) {
		const struct gmm_cycle_info *c = &cy[i];
		int64_t end = (int64_t)(c->start_ns + c->stw1_ns + c->mark_ns +
					c->stw2_ns);

		if (c->num <= ct->seen_upto)
			continue;
		if (ct->primed) {
			/* Ended after our previous read, by this one. */
			int64_t lo = end - (int64_t)t_now;
			int64_t hi = end - (int64_t)t_prev;

			if (!ct->bounded || lo > ct->lo)
				ct->lo = lo;
			if (!ct->bounded || hi < ct->hi)
				ct->hi = hi;
			ct->bounded = true;
			if (c->num > ct->seen_upto + 1 && ct->seen_upto)
				ct->r->cycles_lost += c->num - ct->seen_upto - 1;
		}
		if (viz_add_cycle(ct->r, c) < 0) {
			free(cy);
			return -ENOMEM;
		}
	}
	if (n && cy[n - 1].num > ct->seen_upto)
		ct->seen_upto = cy[n - 1].num;
	ct->primed = true;
	free(cy);
	return 0;
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
	struct cyc_track ct;
	struct frame_plan plan;
	struct json j;
	FILE *f;
	size_t samples, frames;
	uint64_t t0, t_prev, last_t, last_frame_t;
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

/* The recording's meta line, its size classes read first; EXIT_*. */
static int record_begin(struct rec_run *rr)
{
	struct viz_rec *r = &rr->r;
	int err;

	viz_rec_init(r);
	rr->ct.r = r;
	snprintf(r->source, sizeof(r->source), "debugfs");
	snprintf(r->heap, sizeof(r->heap), "%s", rr->dir);
	snprintf(r->what, sizeof(r->what), "recorded through debugfs");
	snprintf(r->time_base, sizeof(r->time_base), "recording");
	r->interval_ms = (uint32_t)rr->interval;
	r->map_every = (uint32_t)rr->every;
	err = dbg_classes(rr->dir, r);
	if (err) {
		errmsg_err(err, "%s/%s/sizeclasses", dbg_root(), rr->dir);
		return EXIT_FAIL;
	}
	rr->f = strcmp(rr->out, "-") ? fopen(rr->out, "w") : stdout;
	if (!rr->f) {
		errmsg("cannot write %s: %s", rr->out, strerror(errno));
		return EXIT_FAIL;
	}
	json_init(&rr->j, rr->f);
	rec_write_meta(&rr->j, r);
	frame_plan_init(&rr->plan, (uint32_t)rr->every);
	return EXIT_OK;
}

/* @err of a read: 1 when the heap went away meanwhile (the end, not an error). */
static int gone_or(struct rec_run *rr, int err)
{
	if (dbg_heap_exists(rr->dir))
		return err;
	rr->gone = true;
	return 1;
}

static int record_frame(struct rec_run *rr, uint64_t t, const char *why)
{
	struct viz_frame fr;
	int err;

	err = dbg_frame(rr->dir, &rr->r, &fr);
	if (err)
		return gone_or(rr, err);
	fr.st.t_ns = t;
	rr->last_frame_t = t;
	fr.index = (uint32_t)rr->frames++;
	snprintf(fr.why, sizeof(fr.why), "%s", why);
	rec_write_frame(&rr->j, &fr);
	viz_frame_free(&fr);
	return 0;
}

/* A sample at @t, and a frame when one is due; 0, 1 (gone) or -errno. */
static int record_sample(struct rec_run *rr, uint64_t t, bool last)
{
	struct viz_sample s;
	const char *why;
	int err;

	err = dbg_sample(rr->dir, &s);
	if (err)
		return gone_or(rr, err);
	s.t_ns = t;
	rec_write_sample(&rr->j, &s);
	rr->samples++;
	rr->last_t = t;
	why = last ? "last" : frame_plan_due(&rr->plan, &s);
	if (!why && rr->map_interval > 0 && rr->frames &&
	    t - rr->last_frame_t >= (uint64_t)(rr->map_interval * 1e9))
		why = "time";
	return why ? record_frame(rr, t, why) : 0;
}

/* New cycles of the gctrace file; 0, 1 (gone) or -errno. */
static int record_cycles(struct rec_run *rr, uint64_t t_now)
{
	int err;

	if (!rr->have_gctrace)
		return 0;
	err = track_cycles(&rr->ct, rr->dir, rr->t_prev, t_now);
	if (err == -ENOENT && !rr->samples) {
		rr->have_gctrace = false;	/* an older module */
		return 0;
	}
	if (err && !dbg_heap_exists(rr->dir)) {
		/* Removed while we read it: debugfs then says -EIO, or the
		 * file is just gone.
		 */
		rr->gone = true;
		return 1;
	}
	if (err == -ENOENT) {
		rr->have_gctrace = false;
		return 0;
	}
	return err;
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
		last = stop_now || t >= (uint64_t)(rr->seconds * 1e9);
		ret = record_sample(rr, t, last);
		if (!ret)
			ret = record_cycles(rr, now_ns() - rr->t0);
		if (ret)
			return ret > 0 ? 0 : ret;
		rr->t_prev = t;
		if (last)
			return 0;
		sleep_ms((uint32_t)rr->interval);
	}
}

/*
 * Cycles on our clock; those that ended before we began are left out
 * when their place cannot be known.
 */
static void record_place_cycles(struct rec_run *rr)
{
	const struct cyc_track *ct = &rr->ct;
	int64_t off = ct->bounded ? (ct->lo + ct->hi) / 2 : 0;
	size_t written = 0, i;

	if (!rr->r.nr_cycles)
		return;
	for (i = 0; i < rr->r.nr_cycles; i++) {
		struct gmm_cycle_info cy = rr->r.cycles[i];

		if (!ct->bounded || (int64_t)cy.start_ns < off)
			continue;
		cy.start_ns = (uint64_t)((int64_t)cy.start_ns - off);
		rec_write_cycle(&rr->j, &cy);
		written++;
	}
	rr->r.nr_cycles = written;
}

/* The cycles and the end line, the file closed; EXIT_*. */
static int record_end(struct rec_run *rr, int err)
{
	record_place_cycles(rr);
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
		"cycles in %.2f s%s -> %s\n", rr->dir, rr->samples, rr->frames,
		rr->r.nr_cycles, rr->last_t / 1e9,
		rr->gone ? " (the heap went away)" : "", rr->out);
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
