// SPDX-License-Identifier: GPL-2.0
/*
 * legend.c - the entries of a chart's legend (chart.h): a sample of what
 * the chart draws, then its name.
 */
#include "chart.h"

static const struct rgba legend_ink = { 0.1, 0.1, 0.12, 1 };

void legend_text(struct canvas *c, double x, double y, const char *text)
{
	cv_text(c, x + LEGEND_TEXT_X, y, LEGEND_TEXT_SIZE, TA_LEFT, false,
		&legend_ink, "%s", text);
}

void legend_line(struct canvas *c, double x, double y, const struct rgba *col,
		 double lw, bool dashed, const char *text)
{
	cv_line(c, x, y - 4, x + 26, y - 4, col, lw, dashed);
	legend_text(c, x, y, text);
}
