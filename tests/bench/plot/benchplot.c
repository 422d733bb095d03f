// SPDX-License-Identifier: GPL-2.0
/*
 * benchplot - draw `make bench`'s line plots, as PNG (or SVG for a name
 * ending in .svg), on gmmctl's canvas, axes and legend entries
 * (tools/gmmctl/viz/draw.c, axis.c, legend.c).
 *
 *   benchplot -o OUT.png [-t TITLE] [-x XLABEL] [-y YLABEL] [-X] [-Y]
 *             [-W WIDTH] [-H HEIGHT] [-s] < DATA
 *
 * DATA: one point a line, "series<TAB>x<TAB>y"; a series is drawn as a
 * line through its points in the order given, series in the order they
 * first appear, each in its own colour, named in the legend.  -X and -Y
 * make an axis logarithmic (points with a value <= 0 on it are left out);
 * -s draws steps (for cumulative distributions) instead of straight
 * segments.  Lines starting with '#' and empty lines are skipped.
 *
 * Exit status: 0 written, 1 bad data or drawing failed, 2 usage error.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chart.h"

#define MAX_SERIES	16
#define NAME_LEN	64

/* Margins around the plot: the legend is on the right. */
#define MARGIN_L	80
#define MARGIN_R	200
#define MARGIN_T	50
#define MARGIN_B	60

struct series {
	char name[NAME_LEN];
	double *x, *y;
	size_t n, cap;
};

static struct series series[MAX_SERIES];
static size_t nseries;

struct plot {
	const char *out, *title, *xlabel, *ylabel;
	int width, height;
	bool steps;
	struct axis x, y;	/* log axes hold log10 of the data */
	double xstep, ystep;
};

static const struct rgba black = { 0, 0, 0, 1 };
static const struct rgba grid = { 0.88, 0.88, 0.88, 1 };
static const struct rgba minor_grid = { 0.95, 0.95, 0.95, 1 };
static const struct rgba minor_y_grid = { 0.93, 0.93, 0.93, 1 };
static const struct rgba minor_text = { 0.3, 0.3, 0.3, 1 };
static const struct rgba palette[] = {
	{ 0.00, 0.45, 0.70, 1 }, { 0.84, 0.37, 0.00, 1 }, { 0.00, 0.62, 0.45, 1 },
	{ 0.80, 0.47, 0.65, 1 }, { 0.34, 0.71, 0.91, 1 }, { 0.90, 0.62, 0.00, 1 },
	{ 0.35, 0.35, 0.35, 1 }, { 0.94, 0.89, 0.26, 1 },
};

#define NR_COLOURS	(sizeof(palette) / sizeof(palette[0]))

static void usage(FILE *f)
{
	fprintf(f, "usage: benchplot -o OUT.png [-t TITLE] [-x XLABEL] [-y YLABEL] [-X] [-Y]\n"
		   "                 [-W WIDTH] [-H HEIGHT] [-s] < DATA\n"
		   "DATA: series<TAB>x<TAB>y per line\n");
}

static struct series *series_get(const char *name)
{
	size_t i;

	for (i = 0; i < nseries; i++)
		if (!strcmp(series[i].name, name))
			return &series[i];
	if (nseries == MAX_SERIES)
		return NULL;
	snprintf(series[nseries].name, NAME_LEN, "%s", name);
	return &series[nseries++];
}

static int add_point(struct series *s, double x, double y)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		double *nx = realloc(s->x, cap * sizeof(*nx));

		if (!nx)
			return -1;
		s->x = nx;
		nx = realloc(s->y, cap * sizeof(*nx));
		if (!nx)
			return -1;
		s->y = nx;
		s->cap = cap;
	}
	s->x[s->n] = x;
	s->y[s->n] = y;
	s->n++;
	return 0;
}

/* A number of line @ln; false after a message. */
static bool number(const char *s, unsigned long ln, const char *what,
		   double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	if (errno || *end || !isfinite(*v)) {
		fprintf(stderr, "benchplot: line %lu: bad %s '%s'\n", ln, what, s);
		return false;
	}
	return true;
}

/* One line of data (without its newline); 0 or -1 after a message. */
static int read_point(char *line, unsigned long ln, bool logx, bool logy)
{
	char *name, *xs, *ys;
	struct series *s;
	double x, y;

	if (!line[0] || line[0] == '#')
		return 0;
	name = strtok(line, "\t");
	xs = strtok(NULL, "\t");
	ys = strtok(NULL, "\t");
	if (!name || !xs || !ys) {
		fprintf(stderr, "benchplot: line %lu: want series<TAB>x<TAB>y\n", ln);
		return -1;
	}
	if (!number(xs, ln, "x", &x) || !number(ys, ln, "y", &y))
		return -1;
	if ((logx && x <= 0) || (logy && y <= 0))
		return 0;
	s = series_get(name);
	if (!s) {
		fprintf(stderr, "benchplot: more than %d series\n", MAX_SERIES);
		return -1;
	}
	if (add_point(s, x, y)) {
		fprintf(stderr, "benchplot: out of memory\n");
		return -1;
	}
	return 0;
}

static int read_data(FILE *in, bool logx, bool logy)
{
	char line[512];
	unsigned long ln = 0;

	while (fgets(line, sizeof(line), in)) {
		ln++;
		line[strcspn(line, "\r\n")] = '\0';
		if (read_point(line, ln, logx, logy))
			return -1;
	}
	return 0;
}

/* A value on axis @a: log10 of it on a log axis. */
static double tr(const struct axis *a, double v)
{
	return a->log ? log10(v) : v;
}

/* Data range of each axis; linear axes include 0 when all values are >= 0. */
static int ranges(struct axis *ax, struct axis *ay)
{
	bool any = false;
	size_t i, j;

	for (i = 0; i < nseries; i++) {
		for (j = 0; j < series[i].n; j++) {
			double x = tr(ax, series[i].x[j]), y = tr(ay, series[i].y[j]);

			if (!any) {
				ax->lo = ax->hi = x;
				ay->lo = ay->hi = y;
				any = true;
			}
			ax->lo = fmin(ax->lo, x);
			ax->hi = fmax(ax->hi, x);
			ay->lo = fmin(ay->lo, y);
			ay->hi = fmax(ay->hi, y);
		}
	}
	if (!any)
		return -1;
	if (!ay->log && ay->lo > 0)
		ay->lo = 0;
	return 0;
}

/* The axes over the data, widened to whole ticks, and their pixels. */
static int layout(struct plot *p)
{
	double l = MARGIN_L, t = MARGIN_T;
	double pw = p->width - MARGIN_L - MARGIN_R;
	double ph = p->height - MARGIN_T - MARGIN_B;

	if (ranges(&p->x, &p->y)) {
		fprintf(stderr, "benchplot: no data to plot\n");
		return -1;
	}
	p->xstep = axis_settle(&p->x, 6);
	p->ystep = axis_settle(&p->y, 6);
	p->x.sci = p->y.sci = true;
	p->x.p0 = l;
	p->x.p1 = l + pw;
	p->x.c0 = t;
	p->x.c1 = t + ph;
	p->y.vertical = true;
	p->y.p0 = t + ph;
	p->y.p1 = t;
	p->y.c0 = l;
	p->y.c1 = l + pw;
	return 0;
}

/* Grid lines and labels along x, with 2..9 of each decade on a log axis. */
static void x_grid(struct canvas *c, const struct plot *p)
{
	const struct axis *a = &p->x;
	double v;
	int m;

	for (v = a->lo; v <= a->hi + p->xstep / 1e6; v += p->xstep) {
		axis_gridline(c, a, v, &grid, 1);
		for (m = 2; a->log && v < a->hi && m < 10; m++)
			axis_gridline(c, a, v + log10(m), &minor_grid, 1);
		axis_label(c, a, v, a->c1 + 15, 11, &black);
	}
}

/* Along y; a log axis of few decades gets 2 and 5 of each labelled too. */
static void y_grid(struct canvas *c, const struct plot *p)
{
	const struct axis *a = &p->y;
	double v;
	int m;

	for (v = a->lo; v <= a->hi + p->ystep / 1e6; v += p->ystep) {
		axis_gridline(c, a, v, &grid, 1);
		axis_label(c, a, v, a->c0 - 6, 11, &black);
		if (!a->log || v >= a->hi || a->hi - a->lo > 3)
			continue;
		for (m = 2; m <= 5; m += 3) {
			axis_gridline(c, a, v + log10(m), &minor_y_grid, 1);
			axis_label(c, a, v + log10(m), a->c0 - 6, 11, &minor_text);
		}
	}
}

/* Series @i: its line (or steps), its points, its legend entry. */
static void draw_series(struct canvas *c, const struct plot *p, size_t i)
{
	const struct series *s = &series[i];
	const struct rgba *col = &palette[i % NR_COLOURS];
	double *xy = malloc(s->n * 4 * sizeof(*xy));
	size_t j, n = 0;

	if (!xy)
		return;
	for (j = 0; j < s->n; j++) {
		double x = axis_px(&p->x, tr(&p->x, s->x[j]));
		double y = axis_px(&p->y, tr(&p->y, s->y[j]));

		polyline_add(xy, &n, x, y, p->steps);
	}
	cv_polyline(c, xy, n, col, 2, i >= NR_COLOURS);
	for (j = 0; j < n && !p->steps; j++)
		cv_circle(c, xy[2 * j], xy[2 * j + 1], 3, col);
	free(xy);
	legend_line(c, p->x.p1 + 14, p->x.c0 + 14 + 20 * (double)i, col, 3,
		    i >= NR_COLOURS, s->name);
}

static int draw(const struct plot *p)
{
	double mid = (p->x.p0 + p->x.p1) / 2;
	enum canvas_kind kind;
	struct canvas *c;
	size_t i;
	int err;

	if (canvas_kind_of(p->out, &kind))
		kind = CANVAS_PNG;	/* any other name: PNG, as always */
	err = canvas_new(&c, kind, p->width, p->height, p->out);
	if (err) {
		fprintf(stderr, "benchplot: %s: %s\n", p->out, strerror(-err));
		return 1;
	}
	x_grid(c, p);
	y_grid(c, p);
	cv_rect(c, p->x.p0, p->x.c0, p->x.p1 - p->x.p0, p->x.c1 - p->x.c0, NULL,
		&black, 1);
	cv_text(c, mid, 26, 15, TA_CENTER, false, &black, "%s", p->title);
	cv_text(c, mid, p->height - 13, 12, TA_CENTER, false, &black, "%s",
		p->xlabel);
	cv_vtext(c, 22, (p->y.p0 + p->y.p1) / 2, 12, &black, p->ylabel);
	for (i = 0; i < nseries; i++)
		draw_series(c, p, i);
	err = canvas_finish(c);
	if (err) {
		fprintf(stderr, "benchplot: %s: %s\n", p->out, strerror(-err));
		return 1;
	}
	return 0;
}

/* The command line into @p; 0, or the exit status (-1: help shown). */
static int options(int argc, char **argv, struct plot *p)
{
	int o;

	while ((o = getopt(argc, argv, "o:t:x:y:XYW:H:sh")) != -1) {
		switch (o) {
		case 'o': p->out = optarg; break;
		case 't': p->title = optarg; break;
		case 'x': p->xlabel = optarg; break;
		case 'y': p->ylabel = optarg; break;
		case 'X': p->x.log = true; break;
		case 'Y': p->y.log = true; break;
		case 'W': p->width = atoi(optarg); break;
		case 'H': p->height = atoi(optarg); break;
		case 's': p->steps = true; break;
		case 'h': usage(stdout); return -1;
		default: usage(stderr); return 2;
		}
	}
	if (!p->out || optind != argc || p->width < 300 || p->height < 200 ||
	    p->width > 10000 || p->height > 10000) {
		usage(stderr);
		return 2;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct plot p = {
		.title = "", .xlabel = "", .ylabel = "",
		.width = 900, .height = 560,
	};
	size_t i;
	int ret;

	ret = options(argc, argv, &p);
	if (ret)
		return ret < 0 ? 0 : ret;
	if (read_data(stdin, p.x.log, p.y.log) || layout(&p))
		return 1;
	ret = draw(&p);
	for (i = 0; i < nseries; i++) {
		free(series[i].x);
		free(series[i].y);
	}
	return ret;
}
