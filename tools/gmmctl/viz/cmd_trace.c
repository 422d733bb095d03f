// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_trace.c - `gmmctl trace`: a timeline of a heap and its collector.
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
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
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

struct axes {
	double x0, x1, y0, y1;		/* plot area, pixels */
	double t0, t1;			/* seconds */
	double vmax;			/* bytes at the top */
};

static double px_t(const struct axes *a, double t)
{
	return a->x0 + (t - a->t0) / (a->t1 - a->t0) * (a->x1 - a->x0);
}

static double px_v(const struct axes *a, double v)
{
	return a->y1 - v / a->vmax * (a->y1 - a->y0);
}

/* A "nice" step (1, 2 or 5 times a power of ten) for about @n ticks. */
static double nice_step(double range, int n)
{
	double raw = range / n, p = pow(10, floor(log10(raw))), m = raw / p;

	return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

static double cycle_end_s(const struct gmm_cycle_info *c)
{
	return (c->start_ns + c->stw1_ns + c->mark_ns + c->stw2_ns) / 1e9;
}

/*
 * One series of the samples, as a polyline, or with @area as a filled
 * area down to zero.
 */
static void series(struct canvas *cv, const struct axes *a,
		   const struct viz_rec *r, size_t off, uint32_t have,
		   const struct rgba *col, double lw, bool dashed, bool step,
		   const char *name, const struct rgba *area)
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
		double x = px_t(a, s->t_ns / 1e9), y;
		uint64_t v;

		memcpy(&v, (const char *)s + off, sizeof(v));
		y = px_v(a, (double)v);

		if ((s->have & have) != have)
			continue;
		/* Steps: hold the old value until the new one. */
		if (step && n) {
			xy[2 * n] = x;
			xy[2 * n + 1] = xy[2 * n - 1];
			n++;
		}
		xy[2 * n] = x;
		xy[2 * n + 1] = y;
		n++;
	}
	cv_group_begin(cv, "series", name);
	if (area && n >= 2) {
		xy[2 * n] = xy[2 * n - 2];
		xy[2 * n + 1] = a->y1;
		xy[2 * n + 2] = xy[0];
		xy[2 * n + 3] = a->y1;
		cv_polygon(cv, xy, n + 2, area, NULL, 0);
	}
	cv_polyline(cv, xy, n, col, lw, dashed);
	cv_group_end(cv);
	free(xy);
}

static bool any_have(const struct viz_rec *r, uint32_t have)
{
	size_t i;

	for (i = 0; i < r->nr_samples; i++)
		if ((r->samples[i].have & have) == have)
			return true;
	return false;
}

static void legend_line(struct canvas *c, double x, double y,
			const struct rgba *col, double lw, bool dashed,
			const char *text)
{
	cv_line(c, x, y - 4, x + 26, y - 4, col, lw, dashed);
	cv_text(c, x + 32, y, 10.5, TA_LEFT, false, &ink, "%s", text);
}

int draw_trace(const struct viz_rec *r, const char *path,
	       const struct trace_opts *o, int *wp, int *hp)
{
	int W = o->width ? o->width : 1000, H = o->height ? o->height : 600;
	const struct gmm_cycle_info *maxc = NULL;
	double t0 = INFINITY, t1 = -INFINITY, vmax = 0, step, t, v;
	double strip_p0, strip_p1, strip_a0, strip_a1, lx, ly;
	uint64_t pmax = 0, amax = 0, ptotal = 0;
	bool max_is_stw2 = false, have_marked;
	char b1[24], b2[24], title[256];
	enum canvas_kind kind;
	struct canvas *c;
	struct axes a;
	size_t i;
	int err;

	err = canvas_kind_of(path, &kind);
	if (err)
		return err;
	if (!r->nr_samples && !r->nr_cycles)
		return -ENODATA;
	for (i = 0; i < r->nr_samples; i++) {
		const struct viz_sample *s = &r->samples[i];

		t = s->t_ns / 1e9;
		t0 = t < t0 ? t : t0;
		t1 = t > t1 ? t : t1;
		if (s->have & VIZ_HAVE_ALLOC)
			vmax = fmax(vmax, fmax((double)s->heap_sys,
					       (double)s->heap_inuse));
		if (s->have & VIZ_HAVE_PACER)
			vmax = fmax(vmax, fmax((double)s->next_gc,
					       (double)s->heap_live));
	}
	for (i = 0; i < r->nr_cycles; i++) {
		const struct gmm_cycle_info *cy = &r->cycles[i];

		t0 = fmin(t0, cy->start_ns / 1e9);
		t1 = fmax(t1, cycle_end_s(cy));
		vmax = fmax(vmax, fmax((double)cy->goal, (double)cy->heap1));
		if (cy->stw1_ns > pmax || cy->stw2_ns > pmax) {
			max_is_stw2 = cy->stw2_ns >= cy->stw1_ns;
			pmax = max_is_stw2 ? cy->stw2_ns : cy->stw1_ns;
			maxc = cy;
		}
		ptotal += cy->stw1_ns + cy->stw2_ns;
		if (cy->assist_ns > amax)
			amax = cy->assist_ns;
	}
	if (t1 <= t0)
		t1 = t0 + 0.001;
	if (vmax <= 0)
		vmax = 1 << 20;

	/* Layout: title, plot, pause strip, assist strip, x axis; legend
	 * on the right.
	 */
	a.x0 = 78;
	a.x1 = W - 250;
	a.y0 = 62;
	a.y1 = H - 150;
	if (a.x1 - a.x0 < 200 || a.y1 - a.y0 < 120)
		return -EINVAL;
	strip_p0 = a.y1 + 12;
	strip_p1 = strip_p0 + 52;
	strip_a0 = strip_p1 + 10;
	strip_a1 = strip_a0 + 36;
	a.t0 = t0;
	a.t1 = t1;
	step = nice_step(vmax / 1048576.0, 5) * 1048576.0;
	a.vmax = ceil(vmax * 1.04 / step) * step;

	err = canvas_new(&c, kind, W, H, path);
	if (err)
		return err;

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
		r->nr_cycles, t1 - t0, fmt_ns(b1, sizeof(b1), ptotal),
		fmt_ns(b2, sizeof(b2), pmax), r->nr_samples, r->nr_frames,
		r->cycles_lost ? "; some cycles were not seen" : "",
		r->ended ? "" : "; the recording was cut short");

	/* Grid and y axis (MiB). */
	for (v = 0; v <= a.vmax + step / 2; v += step) {
		double y = px_v(&a, v);

		cv_line(c, a.x0, y, a.x1, y, &gridc, 1, false);
		cv_text(c, a.x0 - 6, y + 4, 10, TA_RIGHT, false, &ink, "%g",
			v / 1048576.0);
	}
	cv_text(c, 16, a.y0 - 8, 10.5, TA_LEFT, true, &ink, "MiB");

	/* Cycle bands, under everything else. */
	for (i = 0; i < r->nr_cycles; i++) {
		const struct gmm_cycle_info *cy = &r->cycles[i];
		double x0 = px_t(&a, cy->start_ns / 1e9);
		double x1 = px_t(&a, cycle_end_s(cy));
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
		cv_rect(c, x0, a.y0, fmax(x1 - x0, 1), a.y1 - a.y0, &band,
			NULL, 0);
		cv_group_end(c);
	}

	/* The lines. */
	if (any_have(r, VIZ_HAVE_ALLOC)) {
		series(c, &a, r, offsetof(struct viz_sample, heap_sys),
		       VIZ_HAVE_ALLOC, &sys_col, 1.2, true, false, "HeapSys", NULL);
		series(c, &a, r, offsetof(struct viz_sample, heap_inuse),
		       VIZ_HAVE_ALLOC, &inuse_col, 1.2, false, false, "HeapInuse",
		       &inuse_area);
	}
	if (any_have(r, VIZ_HAVE_PACER)) {
		series(c, &a, r, offsetof(struct viz_sample, heap_live),
		       VIZ_HAVE_PACER, &live_col, 1.4, false, false, "heap live", NULL);
		series(c, &a, r, offsetof(struct viz_sample, next_gc),
		       VIZ_HAVE_PACER, &goal_col, 1.6, true, true, "heap goal", NULL);
	} else if (r->nr_cycles) {
		/* The goal of each cycle, from the cycle log. */
		double *xy = malloc(r->nr_cycles * 2 * sizeof(*xy));

		if (xy) {
			for (i = 0; i < r->nr_cycles; i++) {
				xy[2 * i] = px_t(&a, r->cycles[i].start_ns / 1e9);
				xy[2 * i + 1] = px_v(&a, (double)r->cycles[i].goal);
			}
			cv_group_begin(c, "series", "heap goal (per cycle)");
			cv_polyline(c, xy, r->nr_cycles, &goal_col, 1.6, true);
			cv_group_end(c);
			free(xy);
		}
	}
	have_marked = any_have(r, VIZ_HAVE_MARKED);
	if (have_marked) {
		series(c, &a, r, offsetof(struct viz_sample, heap_marked),
		       VIZ_HAVE_MARKED, &marked_col, 1.6, false, true,
		       "marked live heap", NULL);
	} else if (r->nr_cycles) {
		double *xy = malloc(r->nr_cycles * 4 * sizeof(*xy));
		size_t n = 0;

		if (xy) {
			for (i = 0; i < r->nr_cycles; i++) {
				double x = px_t(&a, cycle_end_s(&r->cycles[i]));

				if (n) {
					xy[2 * n] = x;
					xy[2 * n + 1] = xy[2 * n - 1];
					n++;
				}
				xy[2 * n] = x;
				xy[2 * n + 1] = px_v(&a, (double)r->cycles[i].heap2);
				n++;
			}
			cv_group_begin(c, "series", "marked live heap (per cycle)");
			cv_polyline(c, xy, n, &marked_col, 1.6, false);
			cv_group_end(c);
			free(xy);
		}
		have_marked = true;
	}

	/* Where GOGC changed (and what it was at the start). */
	{
		int32_t pct = 0;
		bool known = false;

		for (i = 0; i < r->nr_samples; i++) {
			const struct viz_sample *sm = &r->samples[i];
			double x = px_t(&a, sm->t_ns / 1e9);
			char ttl[48];

			if (!(sm->have & VIZ_HAVE_PERCENT) ||
			    (known && sm->gc_percent == pct))
				continue;
			if (known)
				cv_line(c, x, a.y0, x, a.y1, &grey, 0.8, true);
			snprintf(ttl, sizeof(ttl), "GOGC %d from %.3f s",
				 sm->gc_percent, sm->t_ns / 1e9);
			cv_group_begin(c, "gogc", ttl);
			if (sm->gc_percent < 0)
				cv_text(c, x + 3, a.y0 + 12, 10, TA_LEFT, false,
					&grey, "GOGC off");
			else
				cv_text(c, x + 3, a.y0 + 12, 10, TA_LEFT, false,
					&grey, "GOGC %d", sm->gc_percent);
			cv_group_end(c);
			pct = sm->gc_percent;
			known = true;
		}
	}

	/* Frames of the map sequence. */
	for (i = 0; i < r->nr_frames; i++) {
		double x = px_t(&a, r->frames[i].st.t_ns / 1e9);
		char ttl[64];

		snprintf(ttl, sizeof(ttl), "map frame %u (%s)", r->frames[i].index,
			 r->frames[i].why);
		cv_group_begin(c, "frame-marker", ttl);
		cv_line(c, x, a.y0 - 6, x, a.y0, &frame_col, 1.4, false);
		cv_group_end(c);
	}
	cv_rect(c, a.x0, a.y0, a.x1 - a.x0, a.y1 - a.y0, NULL, &grey, 1);

	/* Pause strip: a tick per pause, as high as it was long. */
	cv_rect(c, a.x0, strip_p0, a.x1 - a.x0, strip_p1 - strip_p0, NULL,
		&gridc, 1);
	cv_text(c, a.x0 - 6, strip_p0 + 12, 10, TA_RIGHT, false, &ink, "STW");
	cv_text(c, a.x0 - 6, strip_p0 + 24, 10, TA_RIGHT, false, &ink,
		"pauses");
	for (i = 0; i < r->nr_cycles && pmax; i++) {
		const struct gmm_cycle_info *cy = &r->cycles[i];
		uint64_t p[2] = { cy->stw1_ns, cy->stw2_ns };
		double when[2] = {
			cy->start_ns / 1e9,
			(cy->start_ns + cy->stw1_ns + cy->mark_ns) / 1e9,
		};
		int k;

		for (k = 0; k < 2; k++) {
			double x = px_t(&a, when[k]);
			double h = fmax(2, (double)p[k] / pmax *
					(strip_p1 - strip_p0 - 14));
			char ttl[96];

			snprintf(ttl, sizeof(ttl), "gc %llu %s pause: %.3f ms",
				 (unsigned long long)cy->num,
				 k ? "mark termination" : "sweep termination",
				 p[k] / 1e6);
			cv_group_begin(c, "pause", ttl);
			cv_line(c, x, strip_p1, x, strip_p1 - h,
				cy == maxc && k == max_is_stw2 ? &goal_col :
				&pause_col, 1.3, false);
			cv_group_end(c);
		}
	}
	if (maxc) {
		double x = px_t(&a, max_is_stw2 ?
				(maxc->start_ns + maxc->stw1_ns + maxc->mark_ns) / 1e9 :
				maxc->start_ns / 1e9);
		const char *lbl = fmt_ns(b1, sizeof(b1), pmax);
		char text[96];
		double tw;

		snprintf(text, sizeof(text), "max %s (gc %llu, %s)", lbl,
			 (unsigned long long)maxc->num,
			 max_is_stw2 ? "mark termination" : "sweep termination");
		tw = text_width(text, 10);
		cv_text(c, x + tw + 6 > a.x1 ? x - 4 : x + 4, strip_p0 + 11, 10,
			x + tw + 6 > a.x1 ? TA_RIGHT : TA_LEFT, true, &goal_col,
			"%s", text);
	}

	/* Assist strip: a bar per cycle. */
	cv_rect(c, a.x0, strip_a0, a.x1 - a.x0, strip_a1 - strip_a0, NULL,
		&gridc, 1);
	cv_text(c, a.x0 - 6, strip_a0 + 12, 10, TA_RIGHT, false, &ink, "assist");
	cv_text(c, a.x0 - 6, strip_a0 + 24, 10, TA_RIGHT, false, &ink, "time");
	for (i = 0; i < r->nr_cycles && amax; i++) {
		const struct gmm_cycle_info *cy = &r->cycles[i];
		double x0 = px_t(&a, cy->start_ns / 1e9);
		double x1 = px_t(&a, cycle_end_s(cy));
		double h = (double)cy->assist_ns / amax * (strip_a1 - strip_a0 - 4);
		char ttl[96];

		snprintf(ttl, sizeof(ttl), "gc %llu: mutator assists %.3f ms "
			 "(%llu bytes scanned)", (unsigned long long)cy->num,
			 cy->assist_ns / 1e6,
			 (unsigned long long)cy->assist_bytes);
		cv_group_begin(c, "assist", ttl);
		cv_rect(c, x0, strip_a1 - h, fmax(x1 - x0, 2), h, &assist_col,
			NULL, 0);
		cv_group_end(c);
	}
	cv_text(c, a.x1 - 4, strip_a0 + 11, 10, TA_RIGHT, false, &ink,
		"max %s", amax ? fmt_ns(b1, sizeof(b1), amax) : "0 (no assists)");

	/* x axis. */
	step = nice_step(t1 - t0, 8);
	for (t = ceil(t0 / step) * step; t <= t1 + step * 1e-6; t += step) {
		double x = px_t(&a, t);

		cv_line(c, x, strip_a1, x, strip_a1 + 5, &ink, 1, false);
		cv_line(c, x, a.y0, x, a.y1, &gridc, 0.6, false);
		cv_text(c, x, strip_a1 + 17, 10, TA_CENTER, false, &ink, "%g", t);
	}
	cv_text(c, (a.x0 + a.x1) / 2, strip_a1 + 33, 10.5, TA_CENTER, true, &ink,
		"time (s, since %s)", !strcmp(r->time_base, "recording") ?
		"the recording began" : "the heap was made");

	/* Legend. */
	lx = a.x1 + 18;
	ly = a.y0 + 10;
	cv_group_begin(c, "legend", NULL);
	if (any_have(r, VIZ_HAVE_ALLOC)) {
		legend_line(c, lx, ly, &sys_col, 1.2, true, "HeapSys (arenas)");
		ly += 18;
		cv_rect(c, lx, ly - 10, 26, 10, &inuse_area, NULL, 0);
		cv_line(c, lx, ly - 10, lx + 26, ly - 10, &inuse_col, 1.2, false);
		cv_text(c, lx + 32, ly, 10.5, TA_LEFT, false, &ink,
			"HeapInuse (spans)");
		ly += 18;
	}
	if (any_have(r, VIZ_HAVE_PACER)) {
		legend_line(c, lx, ly, &live_col, 1.4, false, "heap live (pacer)");
		ly += 18;
	}
	legend_line(c, lx, ly, &goal_col, 1.6, true, "heap goal");
	ly += 18;
	if (have_marked) {
		legend_line(c, lx, ly, &marked_col, 1.6, false,
			    "marked by last cycle");
		ly += 18;
	}
	cv_rect(c, lx, ly - 10, 26, 12, &band, NULL, 0);
	cv_text(c, lx + 32, ly, 10.5, TA_LEFT, false, &ink, "GC cycle: STW1,");
	ly += 14;
	cv_text(c, lx + 32, ly, 10.5, TA_LEFT, false, &ink, "mark, STW2");
	ly += 18;
	cv_line(c, lx + 13, ly + 1, lx + 13, ly - 11, &pause_col, 1.3, false);
	cv_text(c, lx + 32, ly, 10.5, TA_LEFT, false, &ink, "STW pause");
	ly += 18;
	cv_rect(c, lx + 8, ly - 10, 10, 11, &assist_col, NULL, 0);
	cv_text(c, lx + 32, ly, 10.5, TA_LEFT, false, &ink, "mark assist");
	ly += 18;
	if (r->nr_frames) {
		cv_line(c, lx + 13, ly - 11, lx + 13, ly - 3, &frame_col, 1.4, false);
		cv_text(c, lx + 32, ly, 10.5, TA_LEFT, false, &ink, "map frame");
		ly += 18;
	}
	ly += 10;
	if (r->nr_samples) {
		const struct viz_sample *s = &r->samples[r->nr_samples - 1];

		if (s->have & VIZ_HAVE_PERCENT) {
			cv_text(c, lx, ly, 10.5, TA_LEFT, false, &grey, "GOGC %d",
				s->gc_percent);
			ly += 15;
		}
		if (s->have & VIZ_HAVE_GCCPU && s->t_ns) {
			cv_text(c, lx, ly, 10.5, TA_LEFT, false, &grey,
				"GC CPU %s", fmt_ns(b1, sizeof(b1), s->gc_cpu_ns));
			ly += 15;
		}
		if (s->have & VIZ_HAVE_ALLOC) {
			cv_text(c, lx, ly, 10.5, TA_LEFT, false, &grey,
				"allocated %s", fmt_bytes(b1, sizeof(b1),
							 s->total_alloc));
			ly += 15;
		}
	}
	if (r->interval_ms)
		cv_text(c, lx, ly, 10.5, TA_LEFT, false, &grey,
			"sampled every %u ms", r->interval_ms);
	cv_group_end(c);

	if (wp)
		*wp = W;
	if (hp)
		*hp = H;
	return canvas_finish(c);
}

static void trace_usage(FILE *f)
{
	fprintf(f,
		"Usage: gmmctl trace -o OUT.png|OUT.svg SOURCE [OPTIONS]\n"
		"\n"
		"A timeline of a heap: HeapSys, HeapInuse, the live heap, the goal\n"
		"and the marked heap over time; every GC cycle a shaded band from\n"
		"its start to the end of mark termination; the stop-the-world\n"
		"pauses as ticks (the longest named) and each cycle's mark-assist\n"
		"time as a bar, under the plot.  PNG or SVG by the name's ending.\n"
		"\n"
		"Source (one of):\n"
		"  --input REC           a recording (gmmctl ... --record REC, or\n"
		"                        gmmctl record --heap NAME)\n"
		"  --workload NAME       run a workload on gmmctl's own heap\n"
		"    [--depth N]         (binarytrees: --depth) and draw its timeline\n"
		"  --script FILE         run a 'gmmctl run' script likewise\n"
		"\n"
		"Options:\n"
		"  -o, --output PATH     the picture\n"
		"  --width PX, --height PX   size (default 1000 x 600)\n"
		"  --title TEXT          title line\n"
		"  -h, --help            this help\n");
}

int cmd_trace(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "width", required_argument, NULL, OPT_WIDTH },
		{ "height", required_argument, NULL, OPT_HEIGHT },
		{ "title", required_argument, NULL, OPT_TITLE },
		VIZSRC_OPTIONS, HELP_OPTION, COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct trace_opts to = { 0 };
	struct vizsrc src = { 0 };
	const char *out = NULL;
	enum canvas_kind k;
	struct viz_rec r;
	int c, ret, err, w, h;
	uint64_t v;

	subcommand_argv0(argv);
	while ((c = getopt_long(argc, argv, "+ho:" COMMON_SHORT, lopts,
				NULL)) != -1) {
		switch (c) {
		case 'h':
			trace_usage(stdout);
			return EXIT_OK;
		case 'o':
			out = optarg;
			break;
		case OPT_WIDTH:
			if (parse_u64_range(optarg, 500, 8000, &v))
				return usage_error("trace", "--width: 500..8000 pixels");
			to.width = (int)v;
			break;
		case OPT_HEIGHT:
			if (parse_u64_range(optarg, 350, 8000, &v))
				return usage_error("trace", "--height: 350..8000 pixels");
			to.height = (int)v;
			break;
		case OPT_TITLE:
			to.title = optarg;
			break;
		default:
			if (vizsrc_option(&src, c, optarg) ||
			    common_option(c, optarg))
				break;
			return bad_option("trace");
		}
	}
	if (optind != argc)
		return usage_error("trace", "unexpected '%s'", argv[optind]);
	ret = vizsrc_check(&src, "trace");
	if (ret)
		return ret;
	if (src.heap)
		return usage_error("trace", "a timeline needs time: record the "
				   "heap first (gmmctl record --heap %s -o REC) "
				   "and draw with --input REC", src.heap);
	if (!out)
		return usage_error("trace", "where to? -o OUT.png|OUT.svg");
	if (canvas_kind_of(out, &k))
		return picture_error(-EINVAL, out);
	if (!canvas_supported(k))
		return picture_error(-EOPNOTSUPP, out);
	ret = vizsrc_load(&src, &r, 0);
	if (ret)
		return ret;
	err = draw_trace(&r, out, &to, &w, &h);
	if (err == -ENODATA) {
		errmsg("the recording has no samples and no cycles: nothing to draw");
		ret = EXIT_FAIL;
	} else if (err) {
		ret = picture_error(err, out);
	} else {
		printf("%s: %dx%d, %zu cycles, %zu samples, %zu frames\n", out, w,
		       h, r.nr_cycles, r.nr_samples, r.nr_frames);
	}
	viz_rec_free(&r);
	return ret;
}
