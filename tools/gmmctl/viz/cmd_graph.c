// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_graph.c - `gmmctl graph`: the object graph of a stepped GC cycle,
 * from the object listings a recording holds (gmmctl run --step
 * --record), one step as PNG or SVG, or every step as an animated SVG
 * (--animate): the grey wave leaving the roots, then the sweep.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "draw.h"
#include "gmmctl.h"
#include "graph.h"
#include "vizsrc.h"

enum { OPT_STEP = 0x300, OPT_ANIMATE, OPT_FRAME_MS };

static void graph_usage(FILE *f)
{
	fprintf(f,
		"Usage: gmmctl graph --input REC -o OUT.png|OUT.svg [--step K]\n"
		"       gmmctl graph --input REC -o OUT.svg --animate [--frame-ms MS]\n"
		"\n"
		"The object graph of a stepped GC cycle, from the object listings\n"
		"of a recording (gmmctl run --step --record REC SCRIPT): objects in\n"
		"columns by their distance from the roots (a triangle marks a root),\n"
		"pointers as arrows, what no root reaches apart; white objects open,\n"
		"grey ones grey, black ones black.  One step (the last, or --step\n"
		"K), or every step in turn as an animated SVG (--animate; it plays\n"
		"in a browser, also as an <img>).  Up to %d objects.\n"
		"\n"
		"Options:\n"
		"  --input REC        the recording\n"
		"  -o, --output PATH  the picture\n"
		"  --step K           step K of the recording (default: the last)\n"
		"  --animate          every step, an animated SVG\n"
		"  --frame-ms MS      how long each step shows (default 900)\n"
		"  --title TEXT       the title (default: what the recording ran)\n"
		"  -h, --help         this help\n", GRAPH_MAX_OBJECTS);
}

struct graph_args {
	const char *input, *out, *title;
	uint64_t step, frame_ms;
	bool animate;
};

static int graph_options(int argc, char **argv, struct graph_args *a)
{
	static const struct option lopts[] = {
		{ "input", required_argument, NULL, OPT_INPUT },
		{ "output", required_argument, NULL, 'o' },
		{ "step", required_argument, NULL, OPT_STEP },
		{ "animate", no_argument, NULL, OPT_ANIMATE },
		{ "frame-ms", required_argument, NULL, OPT_FRAME_MS },
		{ "title", required_argument, NULL, OPT_TITLE },
		HELP_OPTION, COMMON_OPTIONS, { NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "+ho:" COMMON_SHORT, lopts,
				NULL)) != -1) {
		if (c == 'h') {
			graph_usage(stdout);
			return -1;
		} else if (c == OPT_INPUT) {
			a->input = optarg;
		} else if (c == 'o') {
			a->out = optarg;
		} else if (c == OPT_STEP) {
			if (parse_u64(optarg, &a->step))
				return usage_error("graph", "--step: a step number");
		} else if (c == OPT_ANIMATE) {
			a->animate = true;
		} else if (c == OPT_FRAME_MS) {
			if (parse_u64_range(optarg, 20, 60000, &a->frame_ms))
				return usage_error("graph", "--frame-ms: 20..60000");
		} else if (c == OPT_TITLE) {
			a->title = optarg;
		} else if (!common_option(c, optarg)) {
			return bad_option("graph");
		}
	}
	if (optind != argc)
		return usage_error("graph", "unexpected '%s'", argv[optind]);
	if (!a->input)
		return usage_error("graph", "which recording? --input REC (gmmctl "
				   "run --step --record REC SCRIPT makes one)");
	if (!a->out)
		return usage_error("graph", "where to? -o OUT.png|OUT.svg");
	if (a->animate && (strlen(a->out) < 4 ||
			   strcmp(a->out + strlen(a->out) - 4, ".svg")))
		return usage_error("graph", "--animate writes SVG: -o OUT.svg");
	if (a->animate && a->step != UINT64_MAX)
		return usage_error("graph", "--step K or --animate, not both");
	return EXIT_OK;
}

static int graph_one(const struct viz_rec *r, const struct graph_layout *L,
		     const struct graph_args *a, const char *title)
{
	const struct viz_objects *o = &r->objects[r->nr_objects - 1];
	int err, w, h;

	if (a->step != UINT64_MAX) {
		if (a->step >= r->nr_objects) {
			errmsg("no step %llu: the recording has steps 0..%zu",
			       ULL(a->step), r->nr_objects - 1);
			return EXIT_USAGE;
		}
		o = &r->objects[a->step];
	}
	err = draw_graph(o, L, a->out, title, &w, &h);
	if (err)
		return picture_error(err, a->out);
	printf("%s: %dx%d, step %u (%s) of cycle %llu, %u objects\n", a->out,
	       w, h, o->step, o->why, ULL(o->cycle), L->objects);
	return EXIT_OK;
}

/* Every step drawn into a temporary directory, then animated. */
static int graph_animate(const struct viz_rec *r, const struct graph_layout *L,
			 const struct graph_args *a, const char *title)
{
	const char *tmp = getenv("TMPDIR");
	char dir[4096], **paths;
	size_t i, n = 0;
	int err = 0, w, h;

	snprintf(dir, sizeof(dir), "%s/gmmctl-graph-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	paths = calloc(r->nr_objects, sizeof(*paths));
	if (!paths || !mkdtemp(dir)) {
		errmsg("cannot make a temporary directory %s: %s", dir,
		       strerror(errno));
		free(paths);
		return EXIT_FAIL;
	}
	for (i = 0; i < r->nr_objects && !err; i++, n++) {
		if (asprintf(&paths[i], "%s/step-%03zu.svg", dir, i) < 0) {
			paths[i] = NULL;
			err = -ENOMEM;
			break;
		}
		err = draw_graph(&r->objects[i], L, paths[i], title, &w, &h);
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
	printf("%s: %dx%d, %zu steps of %llu ms, animated\n", a->out, w, h, n,
	       ULL(a->frame_ms));
	return EXIT_OK;
}

int cmd_graph(int argc, char **argv)
{
	struct graph_args a = { .step = UINT64_MAX, .frame_ms = 900 };
	struct graph_layout L;
	char err[256], title[400];
	struct viz_rec r;
	int ret;

	subcommand_argv0(argv);
	ret = graph_options(argc, argv, &a);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	viz_rec_init(&r);
	if (viz_rec_load(a.input, &r, err, sizeof(err))) {
		errmsg("%s: %s", a.input, err);
		return EXIT_FAIL;
	}
	if (!r.nr_objects) {
		errmsg("%s has no object listings (record with gmmctl run "
		       "--step --record)", a.input);
		viz_rec_free(&r);
		return EXIT_FAIL;
	}
	if (graph_layout(r.objects, r.nr_objects, &L)) {
		viz_rec_free(&r);
		return EXIT_FAIL;
	}
	snprintf(title, sizeof(title), "%s", a.title ? a.title :
		 r.what[0] ? r.what : "a stepped GC cycle");
	if (L.objects > GRAPH_MAX_OBJECTS) {
		errmsg("%u objects: the graph is drawn for up to %d",
		       L.objects, GRAPH_MAX_OBJECTS);
		ret = EXIT_FAIL;
	} else {
		ret = a.animate ? graph_animate(&r, &L, &a, title) :
		      graph_one(&r, &L, &a, title);
	}
	graph_layout_free(&L);
	viz_rec_free(&r);
	return ret;
}
