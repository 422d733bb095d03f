/* SPDX-License-Identifier: GPL-2.0 */
/*
 * chart.h - the parts of a chart drawn on a canvas (draw.h): axes that
 * turn values into pixels and draw their grid lines and tick labels
 * (axis.c), and the entries of a legend (legend.c).  `gmmctl trace` and
 * `make bench`'s plotter (tests/bench/plot/benchplot.c) draw with them.
 */
#ifndef GMMCTL_CHART_H
#define GMMCTL_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "draw.h"

/*
 * An axis of a plot: values lo..hi at pixels p0..p1 along it (p0 > p1 for
 * a y axis, whose values go up the picture), the plot from c0 to c1
 * across it.  A logarithmic axis takes and labels log10 of the data.
 */
struct axis {
	bool vertical;		/* a y axis */
	bool log;		/* values are log10 of the data */
	bool sci;		/* labels of values >= 1e6 or < 1e-3 as 1e+06 */
	double unit;		/* labels show the data / unit (0: as they are) */
	double lo, hi;		/* the values at the ends */
	double p0, p1;		/* their pixels */
	double c0, c1;		/* the plot across the axis, pixels */
};

/* A "nice" step (1, 2 or 5 times a power of ten) for about @n ticks. */
double nice_step(double range, int n);
/*
 * Widen lo..hi to whole ticks, about @n of them (whole decades on a log
 * axis); returns the step.
 */
double axis_settle(struct axis *a, int n);
/* The pixel of value @v (log10 of the data on a log axis). */
double axis_px(const struct axis *a, double v);
/* A grid line across the plot at value @v. */
void axis_gridline(struct canvas *c, const struct axis *a, double v,
		   const struct rgba *col, double lw);
/*
 * The label of value @v: for a y axis right-aligned at x = @at beside its
 * tick, for an x axis centred under it with its baseline at y = @at.
 */
void axis_label(struct canvas *c, const struct axis *a, double v, double at,
		double size, const struct rgba *col);

/*
 * Add the point (@x, @y) to the polyline @xy of *@n points; with @step, a
 * point at @x holding the last value comes first (a step, for values that
 * hold until the next).  @xy has room for two points per value.
 */
void polyline_add(double *xy, size_t *n, double x, double y, bool step);

/* Legend entries, their text at @x + LEGEND_TEXT_X on the baseline @y. */
#define LEGEND_TEXT_X	32
#define LEGEND_TEXT_SIZE 10.5
void legend_text(struct canvas *c, double x, double y, const char *text);
/* A line as the series has it, then its name. */
void legend_line(struct canvas *c, double x, double y, const struct rgba *col,
		 double lw, bool dashed, const char *text);

#endif /* GMMCTL_CHART_H */
