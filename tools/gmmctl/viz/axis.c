// SPDX-License-Identifier: GPL-2.0
/*
 * axis.c - the axes of a chart (chart.h): values to pixels, nice tick
 * steps, grid lines and tick labels.
 */
#include <math.h>
#include <stdio.h>

#include "chart.h"

double nice_step(double range, int n)
{
	double raw = range / n, p = pow(10, floor(log10(raw))), m = raw / p;

	return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

double axis_settle(struct axis *a, int n)
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
	step = nice_step(a->hi - a->lo, n);
	a->lo = floor(a->lo / step) * step;
	a->hi = ceil(a->hi / step) * step;
	return step;
}

double axis_px(const struct axis *a, double v)
{
	return a->p0 + (v - a->lo) / (a->hi - a->lo) * (a->p1 - a->p0);
}

void axis_gridline(struct canvas *c, const struct axis *a, double v,
		   const struct rgba *col, double lw)
{
	double p = axis_px(a, v);

	if (a->vertical)
		cv_line(c, a->c0, p, a->c1, p, col, lw, false);
	else
		cv_line(c, p, a->c0, p, a->c1, col, lw, false);
}

void axis_label(struct canvas *c, const struct axis *a, double v, double at,
		double size, const struct rgba *col)
{
	double x = a->log ? pow(10, v) : v, p = axis_px(a, v);
	char buf[64];

	if (a->unit)
		x /= a->unit;
	if (a->sci && (fabs(x) >= 1e6 || (fabs(x) < 1e-3 && x != 0)))
		snprintf(buf, sizeof(buf), "%.0e", x);
	else
		snprintf(buf, sizeof(buf), "%g", x);
	if (a->vertical)
		cv_text(c, at, p + size * 0.4, size, TA_RIGHT, false, col, "%s", buf);
	else
		cv_text(c, p, at, size, TA_CENTER, false, col, "%s", buf);
}

void polyline_add(double *xy, size_t *n, double x, double y, bool step)
{
	if (step && *n) {
		xy[2 * *n] = x;
		xy[2 * *n + 1] = xy[2 * *n - 1];
		(*n)++;
	}
	xy[2 * *n] = x;
	xy[2 * *n + 1] = y;
	(*n)++;
}
