// SPDX-License-Identifier: GPL-2.0
/*
 * trace.c - the picture of `gmmctl trace`: a timeline of a heap and its
 * collector.
 *
 * Over time (seconds, on the x axis): the heap's sizes as lines (HeapSys,
 * HeapInuse, the pacer's live heap, the heap goal and the bytes the last
 * cycle marked live), every GC cycle as a shaded band from its start
 * (sweep termination) to the end of mark termination, and under the plot
 * two strips: the stop-the-world pauses as ticks as high as they were
 * long (the longest one named), and the mutator's mark-assist time of
 * each cycle as a bar.  Where the recording has spans frames, a tick on
 * the top edge shows when each was taken, so that a map sequence and the
 * timeline can be read together.
 *
 * It is drawn in layers, back to front, each a function of the layout
 * (struct trace_layout): title, y axis, cycle bands, the lines, GOGC
 * changes, frame ticks, the pause strip, the assist strip, the x axis and
 * the legend.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "gmmctl.h"
#include "vizsrc.h"

static const struct rgba ink = { 0.1, 0.1, 0.12, 1 };
static const struct rgba grey = { 0.45, 0.45, 0.48, 1 };
static const struct rgba gridc = { 0.9, 0.9, 0.92, 1 };
static const struct rgba band = { 1.0, 0.72, 0.25, 0.30 };
static const struct rgba sys_col = { 0.55, 0.55, 0.58, 1 };
static const struct rgba inuse_col = { 0.17, 0.44, 0.73, 1 };
static const struct rgba inuse_area = { 0.17, 0.44, 0.73, 0.22 };
static const struct rgba live_col = { 0.16, 0.62, 0.30, 1 };
static const struct rgba goal_col = { 0.84, 0.15, 0.16, 1 };
static const struct rgba marked_col = { 0.05, 0.05, 0.05, 1 };
static const struct rgba pause_col = { 0.55, 0.2, 0.65, 1 };
static const struct rgba assist_col = { 0.93, 0.45, 0.1, 1 };
static const struct rgba frame_col = { 0.2, 0.2, 0.2, 1 };

/* Where everything goes, and the recording's extremes. */
struct trace_layout {
	int w, h;
	struct axis t;			/* time (s) along the plot */
	struct axis v;			/* bytes up the plot */
	double vstep;			/* bytes between grid lines */
	double strip_p0, strip_p1;	/* the pause strip, top and bottom */
	double strip_a0, strip_a1;	/* the assist strip */
	uint64_t pmax, ptotal;		/* longest pause, all pauses */
	const struct gmm_cycle_info *maxc;	/* the cycle of the longest */
	bool max_is_stw2;		/* ... its mark termination pause */
	uint64_t amax;			/* most assist time of a cycle */
	bool have_marked;		/* a marked-heap line was drawn */
};

static double cycle_end_s(const struct gmm_cycle_info *c)
{
	return (c->start_ns + c->stw1_ns + c->mark_ns + c->stw2_ns) / 1e9;
}

static double px_t(const struct trace_layout *L, double t)
{
	return axis_px(&L->t, t);
}

static double px_v(const struct trace_layout *L, double v)
{
	return axis_px(&L->v, v);
}

static bool any_have(const struct viz_rec *r, uint32_t have)
{
	size_t i;

	for (i = 0; i < r->nr_samples; i++)
		if ((r->samples[i].have & have) == have)
			return true;
	return false;
}

/* The time span and the largest size of the samples. */
static void sample_extent(const struct viz_rec *r, double *t0, double *t1,
			  double *vmax)
{
	size_t i;

	for (i = 0; i < r->nr_samples; i++) {
		const struct viz_sample *s = &r->samples[i];
		double t = s->t_ns / 1e9;

		*t0 = t < *t0 ? t : *t0;
		*t1 = t > *t1 ? t : *t1;
		if (s->have & VIZ_HAVE_ALLOC)
			*vmax = fmax(*vmax, fmax((double)s->heap_sys,
						 (double)s->heap_inuse));
		if (s->have & VIZ_HAVE_PACER)
			*vmax = fmax(*vmax, fmax((double)s->next_gc,
						 (double)s->heap_live));
	}
}

/* ... and of the cycles, with their longest pause and assist. */
static void cycle_extent(const struct viz_rec *r, struct trace_layout *L,
			 double *t0, double *t1, double *vmax)
{
	size_t i;

	for (i = 0; i < r->nr_cycles; i++) {
		const struct gmm_cycle_info *cy = &r->cycles[i];

		*t0 = fmin(*t0, cy->start_ns / 1e9);
		*t1 = fmax(*t1, cycle_end_s(cy));
		*vmax = fmax(*vmax, fmax((double)cy->goal, (double)cy->heap1));
		if (cy->stw1_ns > L->pmax || cy->stw2_ns > L->pmax) {
			L->max_is_stw2 = cy->stw2_ns >= cy->stw1_ns;
			L->pmax = L->max_is_stw2 ? cy->stw2_ns : cy->stw1_ns;
			L->maxc = cy;
		}
		L->ptotal += cy->stw1_ns + cy->stw2_ns;
		if (cy->assist_ns > L->amax)
			L->amax = cy->assist_ns;
	}
}

/*
 * Title, plot, pause strip, assist strip, x axis; legend on the right.
 * -EINVAL when the picture is too small for it.
 */
static int trace_layout(const struct viz_rec *r, const struct trace_opts *o,
			struct trace_layout *L)
{
	double t0 = INFINITY, t1 = -INFINITY, vmax = 0;

	memset(L, 0, sizeof(*L));
	L->w = o->width ? o->width : 1000;
	L->h = o->height ? o->height : 600;
	sample_extent(r, &t0, &t1, &vmax);
	cycle_extent(r, L, &t0, &t1, &vmax);
	if (t1 <= t0)
		t1 = t0 + 0.001;
	if (vmax <= 0)
		vmax = 1 << 20;
	L->t = (struct axis){ .lo = t0, .hi = t1, .p0 = 78, .p1 = L->w - 250,
			      .c0 = 62, .c1 = L->h - 150 };
	if (L->t.p1 - L->t.p0 < 200 || L->t.c1 - L->t.c0 < 120)
		return -EINVAL;
	L->vstep = nice_step(vmax / 1048576.0, 5) * 1048576.0;
	L->v = (struct axis){ .vertical = true, .unit = 1048576.0, .lo = 0,
			      .hi = ceil(vmax * 1.04 / L->vstep) * L->vstep,
			      .p0 = L->t.c1, .p1 = L->t.c0,
			      .c0 = L->t.p0, .c1 = L->t.p1 };
	L->strip_p0 = L->t.c1 + 12;
	L->strip_p1 = L->strip_p0 + 52;
	L->strip_a0 = L->strip_p1 + 10;
	L->strip_a1 = L->strip_a0 + 36;
	return 0;
}

static void draw_title(struct canvas *c, const struct viz_rec *r,
		       const struct trace_opts *o, const struct trace_layout *L)
{
	char b1[24], b2[24], title[256];

	if (o->title)
		snprintf(title, sizeof(title), "%s", o->title);
	else
		snprintf(title, sizeof(title), "gmm GC timeline: %.150s%s%.80s%s",
			 r->what[0] ? r->what : "heap", r->heap[0] ? " (heap " : "",
			 r->heap, r->heap[0] ? ")" : "");
	cv_text(c, 16, 22, 15, TA_LEFT, true, &ink, "%s", title);
	cv_text(c, 16, 42, 11.5, TA_LEFT, false, &grey,
		"%zu cycles in %.2f s; STW pauses: %s in all, longest %s; "
		"%zu samples, %zu map frames%s%s",
		r->nr_cycles, L->t.hi - L->t.lo, fmt_ns(b1, sizeof(b1), L->ptotal),
		fmt_ns(b2, sizeof(b2), L->pmax), r->nr_samples, r->nr_frames,
		r->cycles_lost ? "; some cycles were not seen" : "",
		r->ended ? "" : "; the recording was cut short");
}

/* Grid and y axis (MiB). */
static void draw_v_axis(struct canvas *c, const struct trace_layout *L)
{
	double v;

	for (v = 0; v <= L->v.hi + L->vstep / 2; v += L->vstep) {
		axis_gridline(c, &L->v, v, &gridc, 1);
		axis_label(c, &L->v, v, L->t.p0 - 6, 10, &ink);
	}
	cv_text(c, 16, L->t.c0 - 8, 10.5, TA_LEFT, true, &ink, "MiB");
}

/* Cycle bands, under everything else. */
static void draw_bands(struct canvas *c, const struct viz_rec *r,
		       const struct trace_layout *L)
{
	size_t i;

	for (i = 0; i < r->nr_cycles; i++) {
		const struct gmm_cycle_info *cy = &r->cycles[i];
		double x0 = px_t(L, cy->start_ns / 1e9);
		double x1 = px_t(L, cycle_end_s(cy));
		char ttl[256];

		snprintf(ttl, sizeof(ttl), "gc %llu @%.3fs%s: STW1 %.3f ms, mark "
			 "%.3f ms, STW2 %.3f ms; heap %.1f->%.1f->%.1f MiB, "
			 "goal %.1f MiB; assist %.3f ms, background %.3f ms",
			 (unsigned long long)cy->num, cy->start_ns / 1e9,
			 cy->flags & GMM_CYCLE_FORCED ? " (forced)" : "",
			 cy->stw1_ns / 1e6, cy->mark_ns / 1e6, cy->stw2_ns / 1e6,
			 cy->heap0 / 1048576.0, cy->heap1 / 1048576.0,
			 cy->heap2 / 1048576.0, cy->goal / 1048576.0,
			 cy->assist_ns / 1e6, cy->bg_ns / 1e6);
		cv_group_begin(c, "cycle", ttl);
		cv_rect(c, x0, L->t.c0, fmax(x1 - x0, 1), L->t.c1 - L->t.c0, &band,
			NULL, 0);
		cv_group_end(c);
	}
}

/* How a series of the samples is drawn. */
struct series_style {
	const struct rgba *col;
	double lw;
	bool dashed, step;
	const char *name;
	const struct rgba *area;	/* filled down to zero, or NULL */
};

/* The field at @off of the samples that have @have, as a polyline. */
static void series(struct canvas *cv, const struct trace_layout *L,
		   const struct viz_rec *r, size_t off, uint32_t have,
		   const struct series_style *st)
{
	double *xy;
	size_t i, n = 0;

	if (!r->nr_samples)
		return;
	xy = malloc((r->nr_samples * 2 + 2) * 2 * sizeof(*xy));
	if (!xy)
		return;
	for (i = 0; i < r->nr_samples; i++) {
		const struct viz_sample *s = &r->samples[i];
		double x = px_t(L, s->t_ns / 1e9), y;
		uint64_t v;

		memcpy(&v, (const char *)s + off, sizeof(v));
		y = px_v(L, (double)v);
		if ((s->have & have) != have)
			continue;
		polyline_add(xy, &n, x, y, st->step);
	}
	cv_group_begin(cv, "series", st->name);
	if (st->area && n >= 2) {
		xy[2 * n] = xy[2 * n - 2];
		xy[2 * n + 1] = L->t.c1;
		xy[2 * n + 2] = xy[0];
		xy[2 * n + 3] = L->t.c1;
		cv_polygon(cv, xy, n + 2, st->area, NULL, 0);
	}
	cv_polyline(cv, xy, n, st->col, st->lw, st->dashed);
	cv_group_end(cv);
	free(xy);
}

/* A line through one value per cycle, at its start or (@step) its end. */
static void cycle_line(struct canvas *c, const struct viz_rec *r,
		       const struct trace_layout *L, bool at_end,
		       const struct series_style *st)
{
	double *xy = malloc(r->nr_cycles * 4 * sizeof(*xy));
	size_t i, n = 0;

	if (!xy)
		return;
	for (i = 0; i < r->nr_cycles; i++) {
		const struct gmm_cycle_info *cy = &r->cycles[i];
		double x = px_t(L, at_end ? cycle_end_s(cy) : cy->start_ns / 1e9);

		polyline_add(xy, &n, x,
			     px_v(L, (double)(at_end ? cy->heap2 : cy->goal)),
			     st->step);
	}
	cv_group_begin(c, "series", st->name);
	cv_polyline(c, xy, n, st->col, st->lw, st->dashed);
	cv_group_end(c);
	free(xy);
}

/* The lines: from the samples, or per cycle where samples lack them. */
static void draw_lines(struct canvas *c, const struct viz_rec *r,
		       struct trace_layout *L)
{
	static const struct series_style sys = { &sys_col, 1.2, true, false, "HeapSys", NULL };
	static const struct series_style inuse = { &inuse_col, 1.2, false, false, "HeapInuse", &inuse_area };
	static const struct series_style live = { &live_col, 1.4, false, false, "heap live", NULL };
	static const struct series_style goal = { &goal_col, 1.6, true, true, "heap goal", NULL };
	static const struct series_style goal_c = { &goal_col, 1.6, true, false, "heap goal (per cycle)", NULL };
	static const struct series_style marked = { &marked_col, 1.6, false, true, "marked live heap", NULL };
	static const struct series_style marked_c = { &marked_col, 1.6, false, true, "marked live heap (per cycle)", NULL };

	if (any_have(r, VIZ_HAVE_ALLOC)) {
		series(c, L, r, offsetof(struct viz_sample, heap_sys), VIZ_HAVE_ALLOC, &sys);
		series(c, L, r, offsetof(struct viz_sample, heap_inuse), VIZ_HAVE_ALLOC, &inuse);
	}
	if (any_have(r, VIZ_HAVE_PACER)) {
		series(c, L, r, offsetof(struct viz_sample, heap_live), VIZ_HAVE_PACER, &live);
		series(c, L, r, offsetof(struct viz_sample, next_gc), VIZ_HAVE_PACER, &goal);
	} else if (r->nr_cycles) {
		cycle_line(c, r, L, false, &goal_c);
	}
	L->have_marked = any_have(r, VIZ_HAVE_MARKED);
	if (L->have_marked) {
		series(c, L, r, offsetof(struct viz_sample, heap_marked),
		       VIZ_HAVE_MARKED, &marked);
	} else if (r->nr_cycles) {
		cycle_line(c, r, L, true, &marked_c);
		L->have_marked = true;
	}
}

/* Where GOGC changed (and what it was at the start). */
static void draw_gogc(struct canvas *c, const struct viz_rec *r,
		      const struct trace_layout *L)
{
	int32_t pct = 0;
	bool known = false;
	size_t i;

	for (i = 0; i < r->nr_samples; i++) {
		const struct viz_sample *sm = &r->samples[i];
		double x = px_t(L, sm->t_ns / 1e9), y = L->t.c0 + 12;
		char ttl[48];

		if (!(sm->have & VIZ_HAVE_PERCENT) ||
		    (known && sm->gc_percent == pct))
			continue;
		if (known)
			cv_line(c, x, L->t.c0, x, L->t.c1, &grey, 0.8, true);
		snprintf(ttl, sizeof(ttl), "GOGC %d from %.3f s",
			 sm->gc_percent, sm->t_ns / 1e9);
		cv_group_begin(c, "gogc", ttl);
		if (sm->gc_percent < 0)
			cv_text(c, x + 3, y, 10, TA_LEFT, false, &grey, "GOGC off");
		else
			cv_text(c, x + 3, y, 10, TA_LEFT, false, &grey, "GOGC %d",
				sm->gc_percent);
		cv_group_end(c);
		pct = sm->gc_percent;
		known = true;
	}
}

/* Frames of the map sequence, and the plot's border. */
static void draw_frames(struct canvas *c, const struct viz_rec *r,
			const struct trace_layout *L)
{
	size_t i;

	for (i = 0; i < r->nr_frames; i++) {
		double x = px_t(L, r->frames[i].st.t_ns / 1e9);
		char ttl[64];

		snprintf(ttl, sizeof(ttl), "map frame %u (%s)", r->frames[i].index,
			 r->frames[i].why);
		cv_group_begin(c, "frame-marker", ttl);
		cv_line(c, x, L->t.c0 - 6, x, L->t.c0, &frame_col, 1.4, false);
		cv_group_end(c);
	}
	cv_rect(c, L->t.p0, L->t.c0, L->t.p1 - L->t.p0, L->t.c1 - L->t.c0, NULL,
		&grey, 1);
}

/* A strip under the plot, from @y0 to @y1, named by two lines. */
static void draw_strip(struct canvas *c, const struct trace_layout *L,
		       double y0, double y1, const char *l1, const char *l2)
{
	cv_rect(c, L->t.p0, y0, L->t.p1 - L->t.p0, y1 - y0, NULL, &gridc, 1);
	cv_text(c, L->t.p0 - 6, y0 + 12, 10, TA_RIGHT, false, &ink, "%s", l1);
	cv_text(c, L->t.p0 - 6, y0 + 24, 10, TA_RIGHT, false, &ink, "%s", l2);
}

/* The two pauses of cycle @cy as ticks as high as they were long. */
static void pause_ticks(struct canvas *c, const struct trace_layout *L,
			const struct gmm_cycle_info *cy)
{
	uint64_t p[2] = { cy->stw1_ns, cy->stw2_ns };
	double when[2] = {
		cy->start_ns / 1e9,
		(cy->start_ns + cy->stw1_ns + cy->mark_ns) / 1e9,
	};
	int k;

	for (k = 0; k < 2; k++) {
		double x = px_t(L, when[k]);
		double h = fmax(2, (double)p[k] / L->pmax *
				(L->strip_p1 - L->strip_p0 - 14));
		char ttl[96];

		snprintf(ttl, sizeof(ttl), "gc %llu %s pause: %.3f ms",
			 (unsigned long long)cy->num,
			 k ? "mark termination" : "sweep termination", p[k] / 1e6);
		cv_group_begin(c, "pause", ttl);
		cv_line(c, x, L->strip_p1, x, L->strip_p1 - h,
			cy == L->maxc && k == L->max_is_stw2 ? &goal_col :
			&pause_col, 1.3, false);
		cv_group_end(c);
	}
}

/* Pause strip: a tick per pause, the longest one named. */
static void draw_pauses(struct canvas *c, const struct viz_rec *r,
			const struct trace_layout *L)
{
	const struct gmm_cycle_info *m = L->maxc;
	char b1[24], text[96];
	double x, tw;
	size_t i;

	draw_strip(c, L, L->strip_p0, L->strip_p1, "STW", "pauses");
	for (i = 0; i < r->nr_cycles && L->pmax; i++)
		pause_ticks(c, L, &r->cycles[i]);
	if (!m)
		return;
	x = px_t(L, L->max_is_stw2 ? (m->start_ns + m->stw1_ns + m->mark_ns) / 1e9 :
		 m->start_ns / 1e9);
	snprintf(text, sizeof(text), "max %s (gc %llu, %s)",
		 fmt_ns(b1, sizeof(b1), L->pmax), (unsigned long long)m->num,
		 L->max_is_stw2 ? "mark termination" : "sweep termination");
	tw = text_width(text, 10);
	cv_text(c, x + tw + 6 > L->t.p1 ? x - 4 : x + 4, L->strip_p0 + 11, 10,
		x + tw + 6 > L->t.p1 ? TA_RIGHT : TA_LEFT, true, &goal_col,
		"%s", text);
}

/* Assist strip: a bar per cycle. */
static void draw_assists(struct canvas *c, const struct viz_rec *r,
			 const struct trace_layout *L)
{
	char b1[24];
	size_t i;

	draw_strip(c, L, L->strip_a0, L->strip_a1, "assist", "time");
	for (i = 0; i < r->nr_cycles && L->amax; i++) {
		const struct gmm_cycle_info *cy = &r->cycles[i];
		double x0 = px_t(L, cy->start_ns / 1e9);
		double x1 = px_t(L, cycle_end_s(cy));
		double h = (double)cy->assist_ns / L->amax *
			   (L->strip_a1 - L->strip_a0 - 4);
		char ttl[96];

		snprintf(ttl, sizeof(ttl), "gc %llu: mutator assists %.3f ms "
			 "(%llu bytes scanned)", (unsigned long long)cy->num,
			 cy->assist_ns / 1e6,
			 (unsigned long long)cy->assist_bytes);
		cv_group_begin(c, "assist", ttl);
		cv_rect(c, x0, L->strip_a1 - h, fmax(x1 - x0, 2), h, &assist_col,
			NULL, 0);
		cv_group_end(c);
	}
	cv_text(c, L->t.p1 - 4, L->strip_a0 + 11, 10, TA_RIGHT, false, &ink,
		"max %s", L->amax ? fmt_ns(b1, sizeof(b1), L->amax) :
		"0 (no assists)");
}

/* x axis: ticks under the strips, grid lines in the plot. */
static void draw_t_axis(struct canvas *c, const struct viz_rec *r,
			const struct trace_layout *L)
{
	double t0 = L->t.lo, t1 = L->t.hi, step = nice_step(t1 - t0, 8), t;
	double y = L->strip_a1;

	for (t = ceil(t0 / step) * step; t <= t1 + step * 1e-6; t += step) {
		double x = px_t(L, t);

		cv_line(c, x, y, x, y + 5, &ink, 1, false);
		axis_gridline(c, &L->t, t, &gridc, 0.6);
		axis_label(c, &L->t, t, y + 17, 10, &ink);
	}
	cv_text(c, (L->t.p0 + L->t.p1) / 2, y + 33, 10.5, TA_CENTER, true, &ink,
		"time (s, since %s)", !strcmp(r->time_base, "recording") ?
		"the recording began" : "the heap was made");
}

/* The legend's entries; returns the baseline after them. */
static double legend_entries(struct canvas *c, const struct viz_rec *r,
			     const struct trace_layout *L, double lx, double ly)
{
	if (any_have(r, VIZ_HAVE_ALLOC)) {
		legend_line(c, lx, ly, &sys_col, 1.2, true, "HeapSys (arenas)");
		ly += 18;
		cv_rect(c, lx, ly - 10, 26, 10, &inuse_area, NULL, 0);
		cv_line(c, lx, ly - 10, lx + 26, ly - 10, &inuse_col, 1.2, false);
		legend_text(c, lx, ly, "HeapInuse (spans)");
		ly += 18;
	}
	if (any_have(r, VIZ_HAVE_PACER)) {
		legend_line(c, lx, ly, &live_col, 1.4, false, "heap live (pacer)");
		ly += 18;
	}
	legend_line(c, lx, ly, &goal_col, 1.6, true, "heap goal");
	ly += 18;
	if (L->have_marked) {
		legend_line(c, lx, ly, &marked_col, 1.6, false,
			    "marked by last cycle");
		ly += 18;
	}
	cv_rect(c, lx, ly - 10, 26, 12, &band, NULL, 0);
	legend_text(c, lx, ly, "GC cycle: STW1,");
	ly += 14;
	legend_text(c, lx, ly, "mark, STW2");
	ly += 18;
	cv_line(c, lx + 13, ly + 1, lx + 13, ly - 11, &pause_col, 1.3, false);
	legend_text(c, lx, ly, "STW pause");
	ly += 18;
	cv_rect(c, lx + 8, ly - 10, 10, 11, &assist_col, NULL, 0);
	legend_text(c, lx, ly, "mark assist");
	ly += 18;
	if (r->nr_frames) {
		cv_line(c, lx + 13, ly - 11, lx + 13, ly - 3, &frame_col, 1.4, false);
		legend_text(c, lx, ly, "map frame");
		ly += 18;
	}
	return ly + 10;
}

/* Under the legend: GOGC, GC CPU and allocation at the end, sampling. */
static void legend_figures(struct canvas *c, const struct viz_rec *r,
			   double lx, double ly)
{
	const struct viz_sample *s = r->nr_samples ?
				     &r->samples[r->nr_samples - 1] : NULL;
	char b1[24];

	if (s && s->have & VIZ_HAVE_PERCENT) {
		cv_text(c, lx, ly, 10.5, TA_LEFT, false, &grey, "GOGC %d",
			s->gc_percent);
		ly += 15;
	}
	if (s && s->have & VIZ_HAVE_GCCPU && s->t_ns) {
		cv_text(c, lx, ly, 10.5, TA_LEFT, false, &grey, "GC CPU %s",
			fmt_ns(b1, sizeof(b1), s->gc_cpu_ns));
		ly += 15;
	}
	if (s && s->have & VIZ_HAVE_ALLOC) {
		cv_text(c, lx, ly, 10.5, TA_LEFT, false, &grey, "allocated %s",
			fmt_bytes(b1, sizeof(b1), s->total_alloc));
		ly += 15;
	}
	if (r->interval_ms)
		cv_text(c, lx, ly, 10.5, TA_LEFT, false, &grey,
			"sampled every %u ms", r->interval_ms);
}

static void draw_legend(struct canvas *c, const struct viz_rec *r,
			const struct trace_layout *L)
{
	double lx = L->t.p1 + 18, ly;

	cv_group_begin(c, "legend", NULL);
	ly = legend_entries(c, r, L, lx, L->t.c0 + 10);
	legend_figures(c, r, lx, ly);
	cv_group_end(c);
}

int draw_trace(const struct viz_rec *r, const char *path,
	       const struct trace_opts *o, int *wp, int *hp)
{
	struct trace_layout L;
	enum canvas_kind kind;
	struct canvas *c;
	int err;

	err = canvas_kind_of(path, &kind);
	if (err)
		return err;
	if (!r->nr_samples && !r->nr_cycles)
		return -ENODATA;
	err = trace_layout(r, o, &L);
	if (!err)
		err = canvas_new(&c, kind, L.w, L.h, path);
	if (err)
		return err;
	draw_title(c, r, o, &L);
	draw_v_axis(c, &L);
	draw_bands(c, r, &L);
	draw_lines(c, r, &L);
	draw_gogc(c, r, &L);
	draw_frames(c, r, &L);
	draw_pauses(c, r, &L);
	draw_assists(c, r, &L);
	draw_t_axis(c, r, &L);
	draw_legend(c, r, &L);
	if (wp)
		*wp = L.w;
	if (hp)
		*hp = L.h;
	return canvas_finish(c);
}
