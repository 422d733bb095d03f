// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_trace.c - `gmmctl trace`: a timeline of a heap and its collector,
 * drawn by trace.c from a recording, or from a workload or script
 * recorded on the spot (vizsrc.c).
 */
#include <errno.h>
#include <getopt.h>
#include <string.h>

#include "draw.h"
#include "gmmctl.h"
#include "vizsrc.h"

static void trace_usage(FILE *f)
{
	fprintf(f,
		"Usage: gmmctl trace -o OUT.png|OUT.svg SOURCE [OPTIONS]\n"
		"\n"
		"A timeline of a heap: HeapSys, HeapInuse, the live heap, the goal\n"
		"and the marked heap over time; every GC cycle a shaded band from\n"
		"its start to the end of mark termination; the stop-the-world\n"
		"pauses as ticks (the longest named) and each cycle's mark-assist\n"
		"time as a bar, under the plot.  PNG or SVG by the name's ending.\n"
		"\n"
		"Source (one of):\n"
		"  --input REC           a recording (gmmctl ... --record REC, or\n"
		"                        gmmctl record --heap NAME)\n"
		"  --workload NAME       run a workload on gmmctl's own heap\n"
		"    [--depth N]         (binarytrees: --depth) and draw its timeline\n"
		"  --script FILE         run a 'gmmctl run' script likewise\n"
		"\n"
		"Options:\n"
		"  -o, --output PATH     the picture\n"
		"  --width PX, --height PX   size (default 1000 x 600)\n"
		"  --title TEXT          title line\n"
		"  -h, --help            this help\n");
}

int cmd_trace(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "width", required_argument, NULL, OPT_WIDTH },
		{ "height", required_argument, NULL, OPT_HEIGHT },
		{ "title", required_argument, NULL, OPT_TITLE },
		VIZSRC_OPTIONS, HELP_OPTION, COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct trace_opts to = { 0 };
	struct vizsrc src = { 0 };
	const char *out = NULL;
	enum canvas_kind k;
	struct viz_rec r;
	int c, ret, err, w, h;
	uint64_t v;

	subcommand_argv0(argv);
	while ((c = getopt_long(argc, argv, "+ho:" COMMON_SHORT, lopts,
				NULL)) != -1) {
		switch (c) {
		case 'h':
			trace_usage(stdout);
			return EXIT_OK;
		case 'o':
			out = optarg;
			break;
		case OPT_WIDTH:
			if (parse_u64_range(optarg, 500, 8000, &v))
				return usage_error("trace", "--width: 500..8000 pixels");
			to.width = (int)v;
			break;
		case OPT_HEIGHT:
			if (parse_u64_range(optarg, 350, 8000, &v))
				return usage_error("trace", "--height: 350..8000 pixels");
			to.height = (int)v;
			break;
		case OPT_TITLE:
			to.title = optarg;
			break;
		default:
			if (vizsrc_option(&src, c, optarg) ||
			    common_option(c, optarg))
				break;
			return bad_option("trace");
		}
	}
	if (optind != argc)
		return usage_error("trace", "unexpected '%s'", argv[optind]);
	ret = vizsrc_check(&src, "trace");
	if (ret)
		return ret;
	if (src.heap)
		return usage_error("trace", "a timeline needs time: record the "
				   "heap first (gmmctl record --heap %s -o REC) "
				   "and draw with --input REC", src.heap);
	if (!out)
		return usage_error("trace", "where to? -o OUT.png|OUT.svg");
	if (canvas_kind_of(out, &k))
		return picture_error(-EINVAL, out);
	if (!canvas_supported(k))
		return picture_error(-EOPNOTSUPP, out);
	ret = vizsrc_load(&src, &r, 0);
	if (ret)
		return ret;
	err = draw_trace(&r, out, &to, &w, &h);
	if (err == -ENODATA) {
		errmsg("the recording has no samples and no cycles: nothing to draw");
		ret = EXIT_FAIL;
	} else if (err) {
		ret = picture_error(err, out);
	} else {
		printf("%s: %dx%d, %zu cycles, %zu samples, %zu frames\n", out, w,
		       h, r.nr_cycles, r.nr_samples, r.nr_frames);
	}
	viz_rec_free(&r);
	return ret;
}
