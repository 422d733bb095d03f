// SPDX-License-Identifier: GPL-2.0
/*
 * benchplot - draw `make bench`'s line plots as PNG with cairo.
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
#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_SERIES	16
#define NAME_LEN	64

struct series {
	char name[NAME_LEN];
	double *x, *y;
	size_t n, cap;
};

static struct series series[MAX_SERIES];
static size_t nseries;

struct axis {
	bool log;
	double lo, hi;		/* data range, in log10 units when log */
};

static const double palette[][3] = {
	{ 0.00, 0.45, 0.70 }, { 0.84, 0.37, 0.00 }, { 0.00, 0.62, 0.45 },
	{ 0.80, 0.47, 0.65 }, { 0.34, 0.71, 0.91 }, { 0.90, 0.62, 0.00 },
	{ 0.35, 0.35, 0.35 }, { 0.94, 0.89, 0.26 },
};

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

static int read_data(FILE *in, bool logx, bool logy)
{
	char line[512];
	unsigned long ln = 0;

	while (fgets(line, sizeof(line), in)) {
		char *name, *xs, *ys, *end;
		struct series *s;
		double x, y;

		ln++;
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		name = strtok(line, "\t");
		xs = strtok(NULL, "\t");
		ys = strtok(NULL, "\t");
		if (!name || !xs || !ys) {
			fprintf(stderr, "benchplot: line %lu: want series<TAB>x<TAB>y\n", ln);
			return -1;
		}
		errno = 0;
		x = strtod(xs, &end);
		if (errno || *end || !isfinite(x)) {
			fprintf(stderr, "benchplot: line %lu: bad x '%s'\n", ln, xs);
			return -1;
		}
		y = strtod(ys, &end);
		if (errno || *end || !isfinite(y)) {
			fprintf(stderr, "benchplot: line %lu: bad y '%s'\n", ln, ys);
			return -1;
		}
		if ((logx && x <= 0) || (logy && y <= 0))
			continue;
		s = series_get(name);
		if (!s) {
			fprintf(stderr, "benchplot: more than %d series\n", MAX_SERIES);
			return -1;
		}
		if (add_point(s, x, y)) {
			fprintf(stderr, "benchplot: out of memory\n");
			return -1;
		}
	}
	return 0;
}

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

/* Nice linear step for about @n ticks over @span. */
static double nice_step(double span, int n)
{
	double raw = span / n, p = pow(10, floor(log10(raw))), f = raw / p;

	if (f < 1.5)
		return p;
	if (f < 3.5)
		return 2 * p;
	if (f < 7.5)
		return 5 * p;
	return 10 * p;
}

/* Widen the range to tick boundaries; returns the tick step. */
static double settle(struct axis *a)
{
	double step;

	if (a->log) {
		a->lo = floor(a->lo);
		a->hi = ceil(a->hi);
		if (a->hi <= a->lo)
			a->hi = a->lo + 1;
		return 1;
	}
	if (a->hi <= a->lo)
		a->hi = a->lo + (a->lo ? fabs(a->lo) : 1);
	step = nice_step(a->hi - a->lo, 6);
	a->lo = floor(a->lo / step) * step;
	a->hi = ceil(a->hi / step) * step;
	return step;
}

static void fmt_tick(char *buf, size_t len, const struct axis *a, double v)
{
	double x = a->log ? pow(10, v) : v;

	if (fabs(x) >= 1e6 || (fabs(x) < 1e-3 && x != 0))
		snprintf(buf, len, "%.0e", x);
	else
		snprintf(buf, len, "%g", x);
}

static void text(cairo_t *cr, double x, double y, const char *s, double ax,
		 double ay)
{
	cairo_text_extents_t e;

	cairo_text_extents(cr, s, &e);
	cairo_move_to(cr, x - e.width * ax - e.x_bearing, y - e.height * ay - e.y_bearing);
	cairo_show_text(cr, s);
}

int main(int argc, char **argv)
{
	const char *out = NULL, *title = "", *xlabel = "", *ylabel = "";
	int width = 900, height = 560, o;
	bool steps = false;
	struct axis ax = { 0 }, ay = { 0 };
	double l = 80, r = 200, t = 50, b = 60, pw, ph, xstep, ystep, v;
	cairo_surface_t *surf;
	cairo_status_t st;
	cairo_t *cr;
	size_t i, j;
	char buf[64];

	while ((o = getopt(argc, argv, "o:t:x:y:XYW:H:sh")) != -1) {
		switch (o) {
		case 'o': out = optarg; break;
		case 't': title = optarg; break;
		case 'x': xlabel = optarg; break;
		case 'y': ylabel = optarg; break;
		case 'X': ax.log = true; break;
		case 'Y': ay.log = true; break;
		case 'W': width = atoi(optarg); break;
		case 'H': height = atoi(optarg); break;
		case 's': steps = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!out || optind != argc || width < 300 || height < 200 ||
	    width > 10000 || height > 10000) {
		usage(stderr);
		return 2;
	}
	if (read_data(stdin, ax.log, ay.log))
		return 1;
	if (ranges(&ax, &ay)) {
		fprintf(stderr, "benchplot: no data to plot\n");
		return 1;
	}
	xstep = settle(&ax);
	ystep = settle(&ay);

	surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
	cr = cairo_create(surf);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
			       CAIRO_FONT_WEIGHT_NORMAL);
	pw = width - l - r;
	ph = height - t - b;

#define PX(v) (l + ((v) - ax.lo) / (ax.hi - ax.lo) * pw)
#define PY(v) (t + ph - ((v) - ay.lo) / (ay.hi - ay.lo) * ph)

	/* grid, ticks and their labels */
	cairo_set_font_size(cr, 11);
	cairo_set_line_width(cr, 1);
	for (v = ax.lo; v <= ax.hi + xstep / 1e6; v += xstep) {
		cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
		cairo_move_to(cr, PX(v), t);
		cairo_line_to(cr, PX(v), t + ph);
		cairo_stroke(cr);
		if (ax.log && v < ax.hi) {
			int m;

			cairo_set_source_rgb(cr, 0.95, 0.95, 0.95);
			for (m = 2; m < 10; m++) {
				double mv = v + log10(m);

				cairo_move_to(cr, PX(mv), t);
				cairo_line_to(cr, PX(mv), t + ph);
				cairo_stroke(cr);
			}
		}
		cairo_set_source_rgb(cr, 0, 0, 0);
		fmt_tick(buf, sizeof(buf), &ax, v);
		text(cr, PX(v), t + ph + 6, buf, 0.5, 0);
	}
	for (v = ay.lo; v <= ay.hi + ystep / 1e6; v += ystep) {
		cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
		cairo_move_to(cr, l, PY(v));
		cairo_line_to(cr, l + pw, PY(v));
		cairo_stroke(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		fmt_tick(buf, sizeof(buf), &ay, v);
		text(cr, l - 6, PY(v), buf, 1, 0.5);
		/* few decades: label 2 and 5 too */
		if (ay.log && v < ay.hi && ay.hi - ay.lo <= 3) {
			int m;

			for (m = 2; m <= 5; m += 3) {
				cairo_set_source_rgb(cr, 0.93, 0.93, 0.93);
				cairo_move_to(cr, l, PY(v + log10(m)));
				cairo_line_to(cr, l + pw, PY(v + log10(m)));
				cairo_stroke(cr);
				cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
				fmt_tick(buf, sizeof(buf), &ay, v + log10(m));
				text(cr, l - 6, PY(v + log10(m)), buf, 1, 0.5);
			}
		}
	}
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_rectangle(cr, l, t, pw, ph);
	cairo_stroke(cr);

	/* title and axis labels */
	cairo_set_font_size(cr, 15);
	text(cr, l + pw / 2, 14, title, 0.5, 0);
	cairo_set_font_size(cr, 12);
	text(cr, l + pw / 2, height - 22, xlabel, 0.5, 0);
	cairo_save(cr);
	cairo_translate(cr, 18, t + ph / 2);
	cairo_rotate(cr, -M_PI / 2);
	text(cr, 0, 0, ylabel, 0.5, 0.5);
	cairo_restore(cr);

	/* the series, clipped to the plot area, and the legend */
	for (i = 0; i < nseries; i++) {
		const double *c = palette[i % (sizeof(palette) / sizeof(palette[0]))];
		struct series *s = &series[i];
		double ly = t + 10 + 20 * i;

		cairo_save(cr);
		cairo_rectangle(cr, l, t, pw, ph);
		cairo_clip(cr);
		cairo_set_source_rgb(cr, c[0], c[1], c[2]);
		cairo_set_line_width(cr, 2);
		if (i >= 8)
			cairo_set_dash(cr, (const double[]){ 6, 3 }, 2, 0);
		for (j = 0; j < s->n; j++) {
			double x = PX(tr(&ax, s->x[j])), y = PY(tr(&ay, s->y[j]));

			if (!j)
				cairo_move_to(cr, x, y);
			else if (steps) {
				double py = PY(tr(&ay, s->y[j - 1]));

				cairo_line_to(cr, x, py);
				cairo_line_to(cr, x, y);
			} else {
				cairo_line_to(cr, x, y);
			}
		}
		cairo_stroke(cr);
		if (!steps) {
			for (j = 0; j < s->n; j++) {
				cairo_arc(cr, PX(tr(&ax, s->x[j])), PY(tr(&ay, s->y[j])),
					  3, 0, 2 * M_PI);
				cairo_fill(cr);
			}
		}
		cairo_restore(cr);

		cairo_set_source_rgb(cr, c[0], c[1], c[2]);
		cairo_set_line_width(cr, 3);
		cairo_move_to(cr, l + pw + 14, ly);
		cairo_line_to(cr, l + pw + 38, ly);
		cairo_stroke(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		cairo_set_font_size(cr, 12);
		text(cr, l + pw + 44, ly, s->name, 0, 0.5);
	}
#undef PX
#undef PY

	cairo_destroy(cr);
	st = cairo_surface_write_to_png(surf, out);
	cairo_surface_destroy(surf);
	for (i = 0; i < nseries; i++) {
		free(series[i].x);
		free(series[i].y);
	}
	if (st != CAIRO_STATUS_SUCCESS) {
		fprintf(stderr, "benchplot: %s: %s\n", out, cairo_status_to_string(st));
		return 1;
	}
	return 0;
}
