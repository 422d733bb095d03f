/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vizsrc.h - the heap `gmmctl map` and `gmmctl trace` picture: from a
 * recording, from debugfs, or from a workload or script run on the spot
 * (vizsrc.c).
 */
#ifndef GMMCTL_VIZSRC_H
#define GMMCTL_VIZSRC_H

#include <getopt.h>
#include <stdbool.h>

#include "viz.h"

/* Long-only option codes of map, trace, record and top. */
enum {
	OPT_INPUT = 0x100, OPT_HEAP, OPT_WORKLOAD, OPT_SCRIPT, OPT_DEPTH,
	OPT_FRAME, OPT_ALL_FRAMES, OPT_EVERY, OPT_WIDTH, OPT_HEIGHT,
	OPT_FORMAT, OPT_SECONDS, OPT_INTERVAL, OPT_MAP_EVERY, OPT_ONCE,
	OPT_ITERATIONS, OPT_LIST, OPT_TITLE, OPT_QUIET,
};

#define VIZSRC_OPTIONS \
	{ "input", required_argument, NULL, OPT_INPUT }, \
	{ "heap", required_argument, NULL, OPT_HEAP }, \
	{ "workload", required_argument, NULL, OPT_WORKLOAD }, \
	{ "script", required_argument, NULL, OPT_SCRIPT }, \
	{ "depth", required_argument, NULL, OPT_DEPTH }

struct vizsrc {
	const char *input;	/* recording */
	const char *heap;	/* debugfs heap name */
	const char *workload;	/* workload name for gmmctl workload */
	const char *depth;	/* its --depth */
	const char *script;	/* script for gmmctl run */
};

/* Handles the options above; true when @c was one. */
bool vizsrc_option(struct vizsrc *v, int c, const char *arg);
/* Exactly one source given?  0, or EXIT_USAGE after a message. */
int vizsrc_check(const struct vizsrc *v, const char *cmd);
/*
 * The recording: read, or made now (a workload or script recorded with
 * --map-every @map_every).  Returns EXIT_OK or the exit status to give,
 * after a message.
 */
int vizsrc_load(const struct vizsrc *v, struct viz_rec *r, uint32_t map_every);

/* Pictures (map.c, trace.c).  0 or -errno. */
struct map_opts {
	int width;		/* pixels; 0: default */
	const char *title;	/* NULL: from the recording */
};
int draw_map(const struct viz_rec *r, const struct viz_frame *f,
	     const char *path, const struct map_opts *o, int *w, int *h);
struct trace_opts {
	int width, height;	/* pixels; 0: default */
	const char *title;
};
int draw_trace(const struct viz_rec *r, const char *path,
	       const struct trace_opts *o, int *w, int *h);

/* Message for a picture that cannot be written (cmd_map.c); EXIT_*. */
int picture_error(int err, const char *path);

/* The commands (cmd_map.c, cmd_trace.c, cmd_top.c, cmd_record.c). */
int cmd_map(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_record(int argc, char **argv);

#endif /* GMMCTL_VIZSRC_H */
