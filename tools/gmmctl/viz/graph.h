/* SPDX-License-Identifier: GPL-2.0 */
/*
 * graph.h - the object graph of `gmmctl graph` (graph.c) and animated SVG
 * out of still ones (animate.c), for `gmmctl graph --animate` and `gmmctl
 * map --animate`.
 */
#ifndef GMMCTL_GRAPH_H
#define GMMCTL_GRAPH_H

#include "viz.h"

#define GRAPH_MAX_COLS	64	/* depth columns (deeper ones share the last) */
#define GRAPH_MAX_OBJECTS 400	/* objects a graph is drawn for at most */

/* Where each object of a recording's listings goes: column and row. */
struct graph_layout {
	uint32_t n;		/* slots (the longest listing) */
	uint32_t objects;	/* of them, objects in some listing */
	uint32_t *col, *row;	/* col 0xffffffff: never an object */
	uint32_t ncols;		/* depth columns; column ncols: unreachable */
	uint32_t nrows;
	int width, height;
};

/* One layout for @n listings; 0 or -ENOMEM. */
int graph_layout(const struct viz_objects *steps, size_t n,
		 struct graph_layout *L);
void graph_layout_free(struct graph_layout *L);
/* Listing @o as a graph, PNG or SVG by @path's ending; 0 or -errno. */
int draw_graph(const struct viz_objects *o, const struct graph_layout *L,
	       const char *path, const char *title, int *w, int *h);

/*
 * An animated SVG (SMIL, so it plays in an <img> too) of the @n SVG
 * files @frames, each shown for @seconds in turn, looping: every frame a
 * <g class="frame"> of its own; @w x @h the largest frame.  0 or -errno.
 */
int svg_animate(const char *const *frames, size_t n, double seconds,
		const char *out, int *w, int *h);

int cmd_graph(int argc, char **argv);

#endif /* GMMCTL_GRAPH_H */
