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

int cmd_record(int argc, char **argv)
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
	const char *name = NULL, *out = NULL, *why;
	uint64_t interval = 50, every = 0, t0, t, t_prev = 0, last_t = 0;
	struct cyc_track ct = { 0 };
	size_t samples = 0, frames = 0, i;
	double seconds = 10, map_interval = 0;
	uint64_t last_frame_t = 0;
	struct frame_plan plan;
	struct sigaction sa;
	struct viz_sample s;
	struct viz_frame fr;
	bool wait = false, gone = false, have_gctrace = true;
	char dir[256];
	struct viz_rec r;
	struct json j;
	FILE *f;
	int c, err = 0;

	subcommand_argv0(argv);
	while ((c = getopt_long(argc, argv, "+ho:w" COMMON_SHORT, lopts,
				NULL)) != -1) {
		switch (c) {
		case 'h':
			record_usage(stdout);
			return EXIT_OK;
		case OPT_HEAP:
			name = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case OPT_SECONDS:
			if (parse_seconds(optarg, &seconds) || seconds <= 0)
				return usage_error("record", "--seconds: a time");
			break;
		case OPT_INTERVAL:
			if (parse_u64_range(optarg, 1, 60000, &interval))
				return usage_error("record", "--interval: 1..60000 ms");
			break;
		case OPT_MAP_EVERY:
			if (parse_u64_range(optarg, 0, 1000000, &every))
				return usage_error("record", "--map-every: cycles");
			break;
		case OPT_FRAME:
			if (parse_seconds(optarg, &map_interval) || map_interval <= 0)
				return usage_error("record", "--map-interval: a time");
			break;
		case 'w':
			wait = true;
			break;
		default:
			if (!common_option(c, optarg))
				return bad_option("record");
		}
	}
	if (optind != argc)
		return usage_error("record", "unexpected '%s'", argv[optind]);
	if (!name)
		return usage_error("record", "which heap? --heap NAME (gmmctl "
				   "top lists them)");
	if (!out)
		return usage_error("record", "where to? -o FILE");

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	t0 = now_ns();
	while ((err = dbg_find_heap(name, dir, sizeof(dir))) == -ENOENT && wait &&
	       !stop_now && now_ns() - t0 < (uint64_t)(seconds * 1e9))
		sleep_ms(10);
	if (err) {
		if (err == -EEXIST)
			errmsg("'%s' names more than one heap: give the whole "
			       "name ('gmmctl top' lists them)", name);
		else if (err == -ENOENT)
			errmsg("no heap '%s' in %s%s ('gmmctl top' lists them)",
			       name, dbg_root(), wait ? " (waited)" : "");
		else
			errmsg_err(err, "cannot read %s (debugfs needs root)",
				   dbg_root());
		return EXIT_FAIL;
	}

	viz_rec_init(&r);
	ct.r = &r;
	snprintf(r.source, sizeof(r.source), "debugfs");
	snprintf(r.heap, sizeof(r.heap), "%s", dir);
	snprintf(r.what, sizeof(r.what), "recorded through debugfs");
	snprintf(r.time_base, sizeof(r.time_base), "recording");
	r.interval_ms = (uint32_t)interval;
	r.map_every = (uint32_t)every;
	err = dbg_classes(dir, &r);
	if (err) {
		errmsg_err(err, "%s/%s/sizeclasses", dbg_root(), dir);
		viz_rec_free(&r);
		return EXIT_FAIL;
	}
	f = strcmp(out, "-") ? fopen(out, "w") : stdout;
	if (!f) {
		errmsg("cannot write %s: %s", out, strerror(errno));
		viz_rec_free(&r);
		return EXIT_FAIL;
	}
	json_init(&j, f);
	rec_write_meta(&j, &r);
	frame_plan_init(&plan, (uint32_t)every);

	t0 = now_ns();
	for (;;) {
		bool last;

		t = now_ns() - t0;
		last = stop_now || t >= (uint64_t)(seconds * 1e9);
		err = dbg_sample(dir, &s);
		if (err) {
			/* Gone between two reads: the end, not an error. */
			if (!dbg_heap_exists(dir)) {
				gone = true;
				err = 0;
			}
			break;
		}
		s.t_ns = t;
		rec_write_sample(&j, &s);
		samples++;
		last_t = t;
		why = last ? "last" : frame_plan_due(&plan, &s);
		if (!why && map_interval > 0 && frames &&
		    t - last_frame_t >= (uint64_t)(map_interval * 1e9))
			why = "time";
		if (why) {
			err = dbg_frame(dir, &r, &fr);
			if (err) {
				if (!dbg_heap_exists(dir)) {
					gone = true;
					err = 0;
				}
				break;
			}
			fr.st.t_ns = t;
			last_frame_t = t;
			fr.index = (uint32_t)frames++;
			snprintf(fr.why, sizeof(fr.why), "%s", why);
			rec_write_frame(&j, &fr);
			viz_frame_free(&fr);
		}
		if (have_gctrace) {
			err = track_cycles(&ct, dir, t_prev, now_ns() - t0);
			if (err == -ENOENT && !samples) {
				have_gctrace = false;	/* an older module */
				err = 0;
			} else if (err && !dbg_heap_exists(dir)) {
				/* Removed while we read it: debugfs then
				 * says -EIO, or the file is just gone.
				 */
				gone = true;
				err = 0;
				break;
			} else if (err == -ENOENT) {
				have_gctrace = false;
				err = 0;
			} else if (err) {
				break;
			}
		}
		t_prev = t;
		if (last)
			break;
		sleep_ms((uint32_t)interval);
	}

	/* Cycles on our clock; those that ended before we began are left out
	 * when their place cannot be known.
	 */
	if (r.nr_cycles) {
		int64_t off = ct.bounded ? (ct.lo + ct.hi) / 2 : 0;
		size_t written = 0;

		for (i = 0; i < r.nr_cycles; i++) {
			struct gmm_cycle_info cy = r.cycles[i];

			if (!ct.bounded || (int64_t)cy.start_ns < off)
				continue;
			cy.start_ns = (uint64_t)((int64_t)cy.start_ns - off);
			rec_write_cycle(&j, &cy);
			written++;
		}
		r.nr_cycles = written;
	}
	rec_write_end(&j, &r, last_t, samples, frames);
	if (fflush(f) || ferror(f))
		err = err ? err : -EIO;
	if (f != stdout && fclose(f) && !err)
		err = -EIO;
	if (err) {
		errmsg_err(err, "recording %s", dir);
		viz_rec_free(&r);
		return EXIT_FAIL;
	}
	fprintf(stderr, "gmmctl record: %s: %zu samples, %zu frames, %zu "
		"cycles in %.2f s%s -> %s\n", dir, samples, frames, r.nr_cycles,
		last_t / 1e9, gone ? " (the heap went away)" : "", out);
	viz_rec_free(&r);
	return EXIT_OK;
}
