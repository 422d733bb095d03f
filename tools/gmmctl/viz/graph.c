// SPDX-License-Identifier: GPL-2.0
/*
 * graph.c - the picture of `gmmctl graph`: the objects of one listing of
 * a stepped GC cycle (GMM_IOC_OBJECTS, a recording's "objects" line) as a
 * graph in the colours of tri-colour marking, as the page of gmmctl serve
 * draws it: objects in columns by their distance from the roots (objects
 * a handle holds, marked with a triangle), pointers as arrows, objects no
 * root reaches in a column of their own; white objects open, grey ones
 * grey, black ones black; the script's names as labels.
 *
 * One layout serves every step of a recording (graph_layout()): an
 * object keeps its place from step to step, so that an animation shows
 * the colours move, not the objects.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "gmmctl.h"
#include "graph.h"

#define G_TOP		64	/* title, caption, column labels */
#define G_LEFT		48
#define G_DX		110
#define G_DY		38
#define G_R		10
#define G_UNREACHED	0xffffffffU

static const struct rgba fills[4] = {
	{ 0.93, 0.93, 0.93, 1 }, { 1, 1, 1, 1 }, { 0.6, 0.6, 0.6, 1 },
	{ 0.08, 0.08, 0.08, 1 },
};
static const struct rgba ink = { 0.1, 0.1, 0.12, 1 };
static const struct rgba edge_col = { 0.45, 0.45, 0.48, 1 };
static const struct rgba root_col = { 0.21, 0.27, 0.42, 1 };

/* Depth of each object of @o from its roots (G_UNREACHED: none) into @d. */
static void depths(const struct viz_objects *o, uint32_t *d, uint32_t n)
{
	uint32_t i, e, level;
	bool more = true;

	for (i = 0; i < n; i++)
		d[i] = G_UNREACHED;
	for (i = 0; i < o->nr_objects && i < n; i++)
		if (o->objects[i].roots && o->objects[i].colour)
			d[i] = 0;
	/* Relax level by level: small graphs, n x edges is fine. */
	for (level = 0; more && level < n; level++) {
		more = false;
		for (e = 0; e < o->nr_edges; e++) {
			const struct gmm_object_edge *x = &o->edges[e];

			if (x->from < n && x->to < n && d[x->from] == level &&
			    d[x->to] == G_UNREACHED) {
				d[x->to] = level + 1;
				more = true;
			}
		}
	}
}

static bool alive(const struct viz_objects *o, uint32_t i)
{
	return i < o->nr_objects && o->objects[i].colour != GMM_COLOUR_FREE;
}

/* Whether object @i of @o is drawn: alive now, with a place. */
static bool placed(const struct graph_layout *L, const struct viz_objects *o,
		   uint32_t i)
{
	return i < L->n && L->col[i] != G_UNREACHED && alive(o, i);
}

int graph_layout(const struct viz_objects *steps, size_t nsteps,
		 struct graph_layout *L)
{
	uint32_t *d, *best, i, rows[GRAPH_MAX_COLS] = { 0 };
	size_t k;

	memset(L, 0, sizeof(*L));
	for (k = 0; k < nsteps; k++)
		if (steps[k].nr_objects > L->n)
			L->n = steps[k].nr_objects;
	d = calloc(L->n + 1, sizeof(*d));
	best = calloc(L->n + 1, sizeof(*best));
	L->col = calloc(L->n + 1, sizeof(*L->col));
	L->row = calloc(L->n + 1, sizeof(*L->row));
	if (!d || !best || !L->col || !L->row) {
		free(d);
		free(best);
		graph_layout_free(L);
		return -ENOMEM;
	}
	for (i = 0; i < L->n; i++) {
		best[i] = G_UNREACHED;
		L->col[i] = G_UNREACHED;	/* a slot never used: no place */
	}
	for (k = 0; k < nsteps; k++) {
		depths(&steps[k], d, L->n);
		for (i = 0; i < L->n; i++) {
			if (!alive(&steps[k], i))
				continue;
			L->col[i] = 0;
			if (d[i] < best[i])
				best[i] = d[i];
		}
	}
	/* Columns: depths 0.., the unreachable last. */
	L->ncols = 0;
	for (i = 0; i < L->n; i++)
		if (best[i] != G_UNREACHED && best[i] + 1 > L->ncols)
			L->ncols = best[i] + 1;
	if (L->ncols > GRAPH_MAX_COLS - 1)
		L->ncols = GRAPH_MAX_COLS - 1;
	for (i = 0; i < L->n; i++) {
		uint32_t c = best[i] == G_UNREACHED || best[i] >= L->ncols ?
			     L->ncols : best[i];

		if (L->col[i] == G_UNREACHED)
			continue;
		L->objects++;
		L->col[i] = c;
		L->row[i] = rows[c]++;
		if (rows[c] > L->nrows)
			L->nrows = rows[c];
	}
	L->width = G_LEFT + (int)(L->ncols + 1) * G_DX + 40;
	if (L->width < 560)
		L->width = 560;
	L->height = G_TOP + (int)L->nrows * G_DY + 30;
	free(d);
	free(best);
	return 0;
}

void graph_layout_free(struct graph_layout *L)
{
	free(L->col);
	free(L->row);
	L->col = L->row = NULL;
}

static void node_xy(const struct graph_layout *L, uint32_t i, double *x,
		    double *y)
{
	*x = G_LEFT + L->col[i] * G_DX + (L->col[i] == L->ncols ? 24 : 0);
	*y = G_TOP + L->row[i] * G_DY + G_R;
}

/* An arrow from object @a to object @b, ending at @b's rim. */
static void arrow(struct canvas *c, const struct graph_layout *L, uint32_t a,
		  uint32_t b)
{
	double x1, y1, x2, y2, dx, dy, len, ux, uy, tip[6];

	node_xy(L, a, &x1, &y1);
	node_xy(L, b, &x2, &y2);
	dx = x2 - x1;
	dy = y2 - y1;
	len = dx * dx + dy * dy;
	if (len < 1)
		return;
	len = sqrt(len);
	ux = dx / len;
	uy = dy / len;
	x2 -= ux * (G_R + 2);
	y2 -= uy * (G_R + 2);
	cv_line(c, x1 + ux * G_R, y1 + uy * G_R, x2, y2, &edge_col, 1, false);
	tip[0] = x2;
	tip[1] = y2;
	tip[2] = x2 - ux * 7 - uy * 3.5;
	tip[3] = y2 - uy * 7 + ux * 3.5;
	tip[4] = x2 - ux * 7 + uy * 3.5;
	tip[5] = y2 - uy * 7 - ux * 3.5;
	cv_polygon(c, tip, 3, &edge_col, NULL, 0);
}

static const char *name_of(const struct viz_objects *o, uint32_t i)
{
	uint32_t k;

	for (k = 0; k < o->nr_names; k++)
		if (o->name_index[k] == i)
			return o->names[k];
	return NULL;
}

static void node(struct canvas *c, const struct graph_layout *L,
		 const struct viz_objects *o, uint32_t i)
{
	const struct gmm_object_info *x = &o->objects[i];
	const char *name = name_of(o, i);
	char title[160];
	double cx, cy, tri[6];

	node_xy(L, i, &cx, &cy);
	snprintf(title, sizeof(title), "object %u%s%s%s: %s, span %u/%u slot %u, "
		 "%u B%s", i, name ? " (" : "", name ? name : "", name ? ")" : "",
		 viz_colour_names[x->colour & 3], x->arena, x->first_page,
		 x->slot, x->size, x->roots ? ", a root" : "");
	cv_group_begin(c, "obj", title);
	if (x->roots) {
		tri[0] = cx - G_R - 14;
		tri[1] = cy - 5;
		tri[2] = cx - G_R - 4;
		tri[3] = cy;
		tri[4] = cx - G_R - 14;
		tri[5] = cy + 5;
		cv_polygon(c, tri, 3, &root_col, NULL, 0);
	}
	cv_circle(c, cx, cy, G_R + 1.4, &ink);
	cv_circle(c, cx, cy, G_R, &fills[x->colour & 3]);
	if (name)
		cv_text(c, cx, cy + G_R + 12, 10, TA_CENTER, false, &ink, "%s", name);
	else
		cv_text(c, cx, cy + G_R + 12, 9, TA_CENTER, false, &ink, "%u", i);
	cv_group_end(c);
}

/* Title, the step's caption, the column heads and the colour key. */
static void heads(struct canvas *c, const struct graph_layout *L,
		  const struct viz_objects *o, const char *title)
{
	uint32_t n[4], k;

	viz_objects_count(o, n);
	cv_text(c, 12, 18, 13, TA_LEFT, true, &ink, "%s", title);
	cv_text(c, 12, 36, 11, TA_LEFT, false, &ink,
		"cycle %llu, step %u (%s): %u white, %u grey, %u black",
		ULL(o->cycle), o->step, o->why, n[1], n[2], n[3]);
	for (k = 0; k <= L->ncols; k++)
		cv_text(c, G_LEFT + k * G_DX + (k == L->ncols ? 24 : 0), 54, 10,
			TA_CENTER, false, &edge_col, "%s%.0u",
			k == L->ncols ? "unreachable" : k ? "depth " : "roots",
			k && k < L->ncols ? k : 0);
}

int draw_graph(const struct viz_objects *o, const struct graph_layout *L,
	       const char *path, const char *title, int *w, int *h)
{
	enum canvas_kind kind;
	struct canvas *c;
	uint32_t i, e;
	int err;

	err = canvas_kind_of(path, &kind);
	if (err)
		return err;
	if (!canvas_supported(kind))
		return -EOPNOTSUPP;
	err = canvas_new(&c, kind, L->width, L->height, path);
	if (err)
		return err;
	heads(c, L, o, title);
	for (e = 0; e < o->nr_edges; e++)
		if (placed(L, o, o->edges[e].from) && placed(L, o, o->edges[e].to))
			arrow(c, L, o->edges[e].from, o->edges[e].to);
	for (i = 0; i < o->nr_objects; i++)
		if (placed(L, o, i))
			node(c, L, o, i);
	*w = L->width;
	*h = L->height;
	return canvas_finish(c);
}
