// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_map.c - `gmmctl map`: a picture of a heap's arenas and spans (drawn
 * by map.c) from a recording, from debugfs, or from a workload or script
 * run on the spot (vizsrc.c): one frame, every frame into a directory, or
 * a frame every N-th cycle.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <unistd.h>

#include "draw.h"
#include "gmmctl.h"
#include "graph.h"
#include "vizsrc.h"

enum { OPT_ANIMATE = 0x300, OPT_FRAME_MS };

int picture_error(int err, const char *path)
{
	if (err == -EINVAL) {
		errmsg("%s: the picture's name must end in .png or .svg", path);
		return EXIT_USAGE;
	}
	if (err == -EOPNOTSUPP) {
		errmsg("%s: PNG drawing (cairo) is not built into this gmmctl "
		       "(the static build, for the test VM): write .svg, or "
		       "record with --record FILE and draw on the host with "
		       "'gmmctl map --input FILE -o heap.png'", path);
		return EXIT_FAIL;
	}
	errmsg_err(err, "cannot write %s", path);
	return EXIT_FAIL;
}

static void map_usage(FILE *f)
{
	fprintf(f,
		"Usage: gmmctl map -o OUT.png|OUT.svg SOURCE [OPTIONS]\n"
		"       gmmctl map --all-frames DIR --input REC [OPTIONS]\n"
		"       gmmctl map --every N -o DIR SOURCE [OPTIONS]\n"
		"       gmmctl map --animate -o OUT.svg SOURCE [--frame-ms MS]\n"
		"\n"
		"A picture of a heap: every arena as rows of 8 KiB runtime pages,\n"
		"every span a block over its pages, coloured by size class, filled\n"
		"as far as its slots are allocated, with a black bar for the slots\n"
		"marked; noscan spans hatched, spans in a CPU cache outlined, large\n"
		"objects dark, free pages grey.  PNG or SVG by the name's ending.\n"
		"\n"
		"Source (one of):\n"
		"  --input REC           a recording (gmmctl ... --record REC)\n"
		"  --heap NAME           any heap now, through debugfs (root)\n"
		"  --workload NAME       run a workload on gmmctl's own heap and\n"
		"    [--depth N]         draw it at the end (binarytrees: --depth)\n"
		"  --script FILE         run a 'gmmctl run' script likewise\n"
		"\n"
		"Options:\n"
		"  -o, --output PATH     the picture (a directory with --every)\n"
		"  --frame K             frame K of the recording (default: the last)\n"
		"  --all-frames DIR      every frame of the recording into DIR\n"
		"  --animate             every frame in turn, an animated SVG (it\n"
		"                        plays in a browser, also as an <img>)\n"
		"  --frame-ms MS         how long each frame shows (default 500)\n"
		"  --every N             a frame per N-th GC cycle (with first and\n"
		"                        last) into the directory -o names\n"
		"  --format png|svg      picture format in a directory (default png;\n"
		"                        svg where gmmctl is built without cairo)\n"
		"  --width PX            picture width (default 960)\n"
		"  --title TEXT          title line instead of the heap's name\n"
		"  -h, --help            this help\n");
}

static int write_frame(const struct viz_rec *r, const struct viz_frame *f,
		       const char *path, const struct map_opts *mo)
{
	int err, w, h;

	err = draw_map(r, f, path, mo, &w, &h);
	if (err)
		return picture_error(err, path);
	printf("%s: %dx%d, frame %u (%s), %u arenas, %u spans, %s %llu\n",
	       path, w, h, f->index, f->why, f->nr_arenas, f->nr_spans,
	       f->phase ? "marking cycle" : "after cycle",
	       (unsigned long long)(f->phase ? f->num_gc + 1 : f->num_gc));
	return EXIT_OK;
}

/* The command line of map. */
struct map_args {
	const char *out, *dir, *format;
	struct map_opts mo;
	struct vizsrc src;
	uint64_t frame, every, frame_ms;
	bool animate;
};

/* One option of map's own; EXIT_OK, or EXIT_USAGE after a message. */
static int map_option(struct map_args *a, int c, const char *arg)
{
	uint64_t v;

	switch (c) {
	case 'o':
		a->out = arg;
		return EXIT_OK;
	case OPT_FRAME:
		return parse_u64(arg, &a->frame) ?
		       usage_error("map", "--frame: a frame number") : EXIT_OK;
	case OPT_ALL_FRAMES:
		a->dir = arg;
		return EXIT_OK;
	case OPT_EVERY:
		return parse_u64_range(arg, 1, 1000000, &a->every) ?
		       usage_error("map", "--every: a number of cycles") : EXIT_OK;
	case OPT_FORMAT:
		if (strcmp(arg, "png") && strcmp(arg, "svg"))
			return usage_error("map", "--format: png or svg");
		a->format = arg;
		return EXIT_OK;
	case OPT_WIDTH:
		if (parse_u64_range(arg, 400, 8000, &v))
			return usage_error("map", "--width: 400..8000 pixels");
		a->mo.width = (int)v;
		return EXIT_OK;
	default:	/* OPT_TITLE */
		a->mo.title = arg;
		return EXIT_OK;
	}
}

/* The options; EXIT_OK, -1 (help shown) or the exit status. */
static int map_options(int argc, char **argv, struct map_args *a)
{
	static const struct option lopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "frame", required_argument, NULL, OPT_FRAME },
		{ "all-frames", required_argument, NULL, OPT_ALL_FRAMES },
		{ "every", required_argument, NULL, OPT_EVERY },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "width", required_argument, NULL, OPT_WIDTH },
		{ "title", required_argument, NULL, OPT_TITLE },
		{ "animate", no_argument, NULL, OPT_ANIMATE },
		{ "frame-ms", required_argument, NULL, OPT_FRAME_MS },
		VIZSRC_OPTIONS, HELP_OPTION, COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	int c, ret;

	while ((c = getopt_long(argc, argv, "+ho:" COMMON_SHORT, lopts,
				NULL)) != -1) {
		if (c == 'h') {
			map_usage(stdout);
			return -1;
		}
		if (c == OPT_ANIMATE) {
			a->animate = true;
		} else if (c == OPT_FRAME_MS) {
			if (parse_u64_range(optarg, 20, 60000, &a->frame_ms))
				return usage_error("map", "--frame-ms: 20..60000");
		} else if (c == 'o' || c == OPT_FRAME || c == OPT_ALL_FRAMES ||
		    c == OPT_EVERY || c == OPT_FORMAT || c == OPT_WIDTH ||
		    c == OPT_TITLE) {
			ret = map_option(a, c, optarg);
			if (ret)
				return ret;
		} else if (!vizsrc_option(&a->src, c, optarg) &&
			   !common_option(c, optarg)) {
			return bad_option("map");
		}
	}
	if (optind != argc)
		return usage_error("map", "unexpected '%s'", argv[optind]);
	return EXIT_OK;
}

/* Where the pictures go, and in what format; EXIT_OK or the status. */
static int map_check(struct map_args *a)
{
	int ret = vizsrc_check(&a->src, "map");

	if (ret)
		return ret;
	if (a->every) {
		if (!a->out)
			return usage_error("map", "--every N needs -o DIR");
		if (a->src.input || a->src.heap)
			return usage_error("map", "--every runs a workload or "
					   "script; for a recording use --all-frames");
		a->dir = a->out;
		a->out = NULL;
	}
	if (!a->out && !a->dir)
		return usage_error("map", "where to? -o OUT.png|OUT.svg");
	if (a->animate && (!a->out || a->frame != UINT64_MAX || a->dir ||
			   strlen(a->out) < 4 ||
			   strcmp(a->out + strlen(a->out) - 4, ".svg")))
		return usage_error("map", "--animate writes every frame into one "
				   "SVG: -o OUT.svg, without --frame");
	if (a->out && a->dir)
		return usage_error("map", "-o FILE or --all-frames DIR, not both");
	if (a->dir && a->src.heap)
		return usage_error("map", "a debugfs heap is one frame: use -o FILE");
	if (!a->format)
		a->format = canvas_supported(CANVAS_PNG) ? "png" : "svg";
	if (a->out) {
		enum canvas_kind k;

		if (canvas_kind_of(a->out, &k))
			return picture_error(-EINVAL, a->out);
		if (!canvas_supported(k))
			return picture_error(-EOPNOTSUPP, a->out);
	} else if (!canvas_supported(CANVAS_PNG) && !strcmp(a->format, "png")) {
		return picture_error(-EOPNOTSUPP, a->dir);
	}
	return EXIT_OK;
}

/* -o FILE: the last frame, or --frame K. */
static int map_one(const struct viz_rec *r, const struct map_args *a)
{
	const struct viz_frame *f = &r->frames[r->nr_frames - 1];
	size_t i;

	if (a->frame != UINT64_MAX) {
		for (i = 0; i < r->nr_frames && r->frames[i].index != a->frame; i++)
			;
		if (i == r->nr_frames) {
			errmsg("no frame %llu: the recording has frames "
			       "0..%u", (unsigned long long)a->frame,
			       r->frames[r->nr_frames - 1].index);
			return EXIT_USAGE;
		}
		f = &r->frames[i];
	}
	return write_frame(r, f, a->out, &a->mo);
}

/* Every frame into the directory, frame-NNN.png or .svg. */
static int map_all(const struct viz_rec *r, const struct map_args *a)
{
	int ret = EXIT_OK;
	size_t i;

	if (mkdir(a->dir, 0777) && errno != EEXIST) {
		errmsg("cannot make %s: %s", a->dir, strerror(errno));
		return EXIT_FAIL;
	}
	for (i = 0; i < r->nr_frames && !ret; i++) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/frame-%03u.%s", a->dir,
			 r->frames[i].index, a->format);
		ret = write_frame(r, &r->frames[i], path, &a->mo);
	}
	return ret;
}

/* Every frame drawn into a temporary directory, then animated. */
static int map_animate(const struct viz_rec *r, const struct map_args *a)
{
	const char *tmp = getenv("TMPDIR");
	char dir[4096], **paths;
	int err = 0, w, h;
	size_t i, n = 0;

	snprintf(dir, sizeof(dir), "%s/gmmctl-map-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	paths = calloc(r->nr_frames, sizeof(*paths));
	if (!paths || !mkdtemp(dir)) {
		errmsg("cannot make a temporary directory %s: %s", dir,
		       strerror(errno));
		free(paths);
		return EXIT_FAIL;
	}
	for (i = 0; i < r->nr_frames && !err; i++, n++) {
		if (asprintf(&paths[i], "%s/frame-%03zu.svg", dir, i) < 0) {
			paths[i] = NULL;
			err = -ENOMEM;
			break;
		}
		err = draw_map(r, &r->frames[i], paths[i], &a->mo, &w, &h);
	}
	if (!err)
		err = svg_animate((const char *const *)paths, n,
				  (double)a->frame_ms / 1000.0, a->out, &w, &h);
	for (i = 0; i < n; i++) {
		if (paths[i])
			unlink(paths[i]);
		free(paths[i]);
	}
	free(paths);
	rmdir(dir);
	if (err)
		return picture_error(err, a->out);
	printf("%s: %dx%d, %zu frames of %llu ms, animated\n", a->out, w, h, n,
	       ULL(a->frame_ms));
	return EXIT_OK;
}

int cmd_map(int argc, char **argv)
{
	struct map_args a = { .frame = UINT64_MAX, .frame_ms = 500 };
	struct viz_rec r;
	int ret;

	subcommand_argv0(argv);
	ret = map_options(argc, argv, &a);
	if (!ret)
		ret = map_check(&a);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	ret = vizsrc_load(&a.src, &r, (uint32_t)a.every);
	if (ret)
		return ret;
	if (!r.nr_frames) {
		errmsg("the recording has no spans frame (record with "
		       "--map-every N; the last frame comes at the end)");
		ret = EXIT_FAIL;
	} else {
		ret = a.animate ? map_animate(&r, &a) :
		      a.out ? map_one(&r, &a) : map_all(&r, &a);
	}
	viz_rec_free(&r);
	return ret;
}
