// SPDX-License-Identifier: GPL-2.0
/*
 * map.c - the picture of `gmmctl map`: a heap's arenas and spans.
 *
 * Each arena is drawn as rows of runtime pages (8 KiB; 64 pages a row, so
 * a 4 MiB arena of 512 pages is 8 rows).  A span is a block over its
 * pages, coloured by its size class (a stable colour per class), light
 * where its slots are free and full colour over the fraction of slots
 * allocated; a black bar along its bottom is the fraction marked by the
 * current (or last) cycle.  Pointer-free (noscan) spans are hatched;
 * spans a CPU's cache holds (mcache) are outlined; large objects (class
 * 0, a span each) are dark slate; pages in no span are grey; a white
 * square in a span's corner says it still needs sweeping.  A legend lists
 * the classes present with their sizes, and a title the heap's sizes,
 * goal, GC phase and cycle.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "gmmctl.h"
#include "vizsrc.h"

#define MARGIN		16
#define LABEL_W		92	/* arena labels left of the grid */
#define ARENA_GAP	12
#define TITLE_H		58
#define LEGEND_ROW	17
#define CLASS_ENTRY_W	168

struct layout {
	int cols;		/* pages per row */
	double cw, ch;		/* page cell */
	double gx, gy;		/* grid origin */
	double *arena_y;	/* top of each arena */
	double grid_h;
	int width, height;
	double legend_y;
	int class_rows, class_per_row;
};

struct class_use {
	uint32_t spans, noscan, pages;
	uint64_t slots, allocated, marked;
	uint32_t elemsize;
};

static const struct rgba black = { 0, 0, 0, 1 };
static const struct rgba text_col = { 0.1, 0.1, 0.12, 1 };
static const struct rgba grey_text = { 0.35, 0.35, 0.38, 1 };
static const struct rgba free_col = { 0.85, 0.85, 0.86, 1 };
static const struct rgba white = { 1, 1, 1, 1 };
static const struct rgba hatch_col = { 1, 1, 1, 0.65 };
static const struct rgba mark_col = { 0.05, 0.05, 0.05, 1 };
static const struct rgba cached_col = { 0, 0, 0, 1 };

static int arena_rows(uint32_t npages, int cols)
{
	return (int)((npages + (uint32_t)cols - 1) / (uint32_t)cols);
}

static int arena_index(const struct viz_frame *f, uint32_t id)
{
	uint32_t i;

	for (i = 0; i < f->nr_arenas; i++)
		if (f->arenas[i].id == id)
			return (int)i;
	return -1;
}

/* Height of an arena's label: three lines at 64 pages a row, two at 128,
 * one at 256.
 */
static double label_h(const struct layout *L)
{
	return L->cols == 64 ? 38 : L->cols == 128 ? 25 : 12;
}

static int make_layout(const struct viz_frame *f, const struct map_opts *o,
		       int nclasses, struct layout *L)
{
	int width = o->width ? o->width : 960, grid_w, rows = 0;
	uint64_t pages = 0;
	double y;
	uint32_t i;

	for (i = 0; i < f->nr_arenas; i++)
		pages += f->arenas[i].npages;
	/* Up to 8 arenas at 64 pages a row; more get narrower pages. */
	L->cols = pages <= 8 * 512 ? 64 : pages <= 32 * 512 ? 128 : 256;
	grid_w = width - 2 * MARGIN - LABEL_W;
	if (grid_w < L->cols * 2)
		return -EINVAL;
	L->cw = (double)(grid_w / L->cols);
	L->ch = L->cols == 64 ? 16 : L->cols == 128 ? 10 : 8;
	L->gx = MARGIN + LABEL_W;
	L->gy = TITLE_H;
	L->arena_y = calloc(f->nr_arenas ? f->nr_arenas : 1, sizeof(double));
	if (!L->arena_y)
		return -ENOMEM;
	y = L->gy;
	for (i = 0; i < f->nr_arenas; i++) {
		double h;

		L->arena_y[i] = y;
		rows = arena_rows(f->arenas[i].npages, L->cols);
		h = rows * L->ch;
		/* Room for the label: three lines, two, or one. */
		if (h < label_h(L))
			h = label_h(L);
		y += h + (L->cols == 256 ? ARENA_GAP / 2 : ARENA_GAP);
	}
	if (!f->nr_arenas)
		y += 40;	/* room for "no arenas" */
	L->grid_h = y - L->gy;
	L->legend_y = y + 6;
	L->class_per_row = (width - 2 * MARGIN) / CLASS_ENTRY_W;
	if (L->class_per_row < 1)
		L->class_per_row = 1;
	L->class_rows = (nclasses + L->class_per_row - 1) / L->class_per_row;
	L->width = width;
	/* Encodings: 4 rows; then a heading and the classes. */
	L->height = (int)(L->legend_y + 4 * LEGEND_ROW + 10 + LEGEND_ROW +
			  L->class_rows * LEGEND_ROW + MARGIN);
	return 0;
}

/* The pixel rectangles of pages [first, first + n) of arena @ai. */
struct seg {
	double x, y, w;
	uint32_t pages;
};

static int segments(const struct layout *L, int ai, uint32_t first,
		    uint32_t n, struct seg *out, int max)
{
	int k = 0;

	while (n && k < max) {
		uint32_t col = first % (uint32_t)L->cols;
		uint32_t row = first / (uint32_t)L->cols;
		uint32_t take = (uint32_t)L->cols - col;

		if (take > n)
			take = n;
		out[k].x = L->gx + col * L->cw;
		out[k].y = L->arena_y[ai] + row * L->ch;
		out[k].w = take * L->cw;
		out[k].pages = take;
		k++;
		first += take;
		n -= take;
	}
	return k;
}

/* Fill @units pages' worth of the segments from the start, rows @y0..@y1 of each cell. */
static void fill_units(struct canvas *c, const struct seg *sg, int n,
		       double units, double cw, double y0, double y1,
		       const struct rgba *col)
{
	int i;

	for (i = 0; i < n && units > 0; i++) {
		double u = units < sg[i].pages ? units : sg[i].pages;

		cv_rect(c, sg[i].x, sg[i].y + y0, u * cw, y1 - y0, col, NULL, 0);
		units -= u;
	}
}

static void span_title(char *buf, size_t n, const struct viz_frame *f,
		       const struct gmm_span_info *s)
{
	char sz[24];
	int len;

	if (s->state == GMM_SPAN_STATE_LARGE || !(s->spanclass >> 1)) {
		len = snprintf(buf, n, "arena %u page %u: large object, %s, "
			       "%u page%s, %s", s->arena, s->first_page,
			       fmt_bytes(sz, sizeof(sz), (uint64_t)s->elemsize),
			       s->npages, s->npages == 1 ? "" : "s",
			       s->allocated ? "allocated" : "free");
	} else {
		len = snprintf(buf, n, "arena %u page %u: class %u (%u B) %s, "
			       "%u page%s, %u slots: %u allocated", s->arena,
			       s->first_page, s->spanclass >> 1, s->elemsize,
			       s->spanclass & 1 ? "noscan" : "scan", s->npages,
			       s->npages == 1 ? "" : "s", s->nelems, s->allocated);
	}
	if (len < 0 || (size_t)len >= n)
		return;
	if (f->flags & VIZ_FRAME_MARKED)
		len += snprintf(buf + len, n - (size_t)len, ", %u marked",
				s->marked);
	if ((f->flags & VIZ_FRAME_SWEEPGEN) && (size_t)len < n)
		len += snprintf(buf + len, n - (size_t)len, ", %s",
				s->sweepgen == 0 ? "swept" : s->sweepgen == 1 ?
				"being swept" : "needs sweeping");
	if ((f->flags & VIZ_FRAME_WHERE) && s->where == 1 && (size_t)len < n)
		snprintf(buf + len, n - (size_t)len, ", in CPU %u's cache",
			 s->cpu);
}

static void draw_span(struct canvas *c, const struct layout *L,
		      const struct viz_frame *f, const struct gmm_span_info *s,
		      int ai)
{
	struct seg sg[64];
	bool large = s->state == GMM_SPAN_STATE_LARGE || !(s->spanclass >> 1);
	struct rgba col = class_colour(large ? 0 : s->spanclass >> 1);
	struct rgba tint = mix(col, white, large ? 0.6 : 0.72);
	double gap = L->cw >= 6 ? 1 : 0.5, units;
	char title[256];
	int n, i;

	n = segments(L, ai, s->first_page, s->npages, sg, 64);
	/* A gap after the span's last page keeps neighbours apart. */
	if (n)
		sg[n - 1].w -= gap;
	span_title(title, sizeof(title), f, s);
	cv_group_begin(c, "span", title);
	for (i = 0; i < n; i++)
		cv_rect(c, sg[i].x, sg[i].y, sg[i].w, L->ch - gap, &tint, NULL, 0);
	units = s->nelems ? (double)s->npages * s->allocated / s->nelems : 0;
	if (n && units > 0) {
		/* The last segment lost the gap: scale so full is full. */
		fill_units(c, sg, n, units * (1 - gap / (s->npages * L->cw)),
			   L->cw, 0, L->ch - gap, &col);
	}
	if (s->spanclass & 1 && L->cw >= 3)
		for (i = 0; i < n; i++)
			cv_hatch(c, sg[i].x, sg[i].y, sg[i].w, L->ch - gap,
				 L->ch >= 12 ? 4.5 : 3, &hatch_col, 1);
	if ((f->flags & VIZ_FRAME_MARKED) && s->marked && s->nelems) {
		double bar = (L->ch - gap) * 0.3;

		units = (double)s->npages * s->marked / s->nelems;
		fill_units(c, sg, n, units * (1 - gap / (s->npages * L->cw)),
			   L->cw, L->ch - gap - bar, L->ch - gap, &mark_col);
	}
	if ((f->flags & VIZ_FRAME_WHERE) && s->where == 1)
		for (i = 0; i < n; i++)
			cv_rect(c, sg[i].x + 0.9, sg[i].y + 0.9, sg[i].w - 1.8,
				L->ch - gap - 1.8, NULL, &cached_col, 1.8);
	if ((f->flags & VIZ_FRAME_SWEEPGEN) && s->sweepgen && n && L->ch >= 8) {
		double d = L->ch >= 12 ? 5 : 3;

		cv_rect(c, sg[0].x + 1.5, sg[0].y + 1.5, d, d, &white,
			&black, 0.8);
	}
	if (large && n && L->ch >= 12) {
		char sz[24];
		const char *label = fmt_bytes(sz, sizeof(sz), s->elemsize);

		for (i = 0; i < n; i++) {
			if (sg[i].w < text_width(label, 9) + 4)
				continue;
			cv_text(c, sg[i].x + sg[i].w / 2, sg[i].y + L->ch - 5, 9,
				TA_CENTER, false, &white, "%s", label);
			break;
		}
	}
	cv_group_end(c);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Pages of arena @ai in no span, drawn as grey runs. */
static void draw_free(struct canvas *c, const struct layout *L,
		      const struct viz_frame *f, uint32_t ai)
{
	const struct gmm_arena_info *a = &f->arenas[ai];
	uint32_t *starts, n = 0, i, p = 0;
	struct seg sg[64];
	int k, j;

	starts = malloc((f->nr_spans + 1) * 2 * sizeof(*starts));
	if (!starts)
		return;
	for (i = 0; i < f->nr_spans; i++) {
		if (f->spans[i].arena != a->id)
			continue;
		starts[2 * n] = f->spans[i].first_page;
		starts[2 * n + 1] = f->spans[i].npages;
		n++;
	}
	qsort(starts, n, 2 * sizeof(*starts), cmp_u32);
	cv_group_begin(c, "free", "pages in no span");
	for (i = 0; i <= n; i++) {
		uint32_t end = i < n ? starts[2 * i] : a->npages;

		if (end > p) {
			k = segments(L, (int)ai, p, end - p, sg, 64);
			for (j = 0; j < k; j++)
				cv_rect(c, sg[j].x, sg[j].y, sg[j].w - 1,
					L->ch - (L->cw >= 6 ? 1 : 0.5),
					&free_col, NULL, 0);
		}
		if (i < n && starts[2 * i] + starts[2 * i + 1] > p)
			p = starts[2 * i] + starts[2 * i + 1];
	}
	cv_group_end(c);
	free(starts);
}

static void legend_box(struct canvas *c, double x, double y, int kind)
{
	struct rgba col = class_colour(5), tint = mix(col, white, 0.72);
	double w = 30, h = 12;

	switch (kind) {
	case 0:		/* occupancy */
		cv_rect(c, x, y, w, h, &tint, NULL, 0);
		cv_rect(c, x, y, w * 0.6, h, &col, NULL, 0);
		break;
	case 1:		/* marked */
		cv_rect(c, x, y, w, h, &tint, NULL, 0);
		cv_rect(c, x, y, w * 0.6, h, &col, NULL, 0);
		cv_rect(c, x, y + h * 0.7, w * 0.4, h * 0.3, &mark_col, NULL, 0);
		break;
	case 2:		/* noscan */
		cv_rect(c, x, y, w, h, &tint, NULL, 0);
		cv_rect(c, x, y, w * 0.6, h, &col, NULL, 0);
		cv_hatch(c, x, y, w, h, 4.5, &hatch_col, 1);
		break;
	case 3:		/* cached */
		cv_rect(c, x, y, w, h, &tint, NULL, 0);
		cv_rect(c, x, y, w * 0.6, h, &col, NULL, 0);
		cv_rect(c, x + 0.9, y + 0.9, w - 1.8, h - 1.8, NULL, &cached_col, 1.8);
		break;
	case 4:		/* large */
		col = class_colour(0);
		cv_rect(c, x, y, w, h, &col, NULL, 0);
		break;
	case 5:		/* free */
		cv_rect(c, x, y, w, h, &free_col, NULL, 0);
		break;
	case 6:		/* unswept */
		cv_rect(c, x, y, w, h, &tint, NULL, 0);
		cv_rect(c, x, y, w * 0.6, h, &col, NULL, 0);
		cv_rect(c, x + 1.5, y + 1.5, 5, 5, &white, &black, 0.8);
		break;
	}
}

static void draw_legend(struct canvas *c, const struct layout *L,
			const struct viz_frame *f,
			const struct class_use *use, uint32_t nuse)
{
	static const char *const what[] = {
		"span of a size class: filled part = slots allocated",
		"black bar = slots marked by the cycle (mark bits)",
		"hatched = noscan: no pointers, never scanned",
		"outlined = held by a CPU's cache (mcache)",
		"large object: one span, class 0 (> 32 KiB)",
		"free page: in no span (mheap's free pages)",
		"white square = span still to be swept",
	};
	double x0 = MARGIN, y = L->legend_y, colw = (L->width - 2 * MARGIN) / 2.0;
	char sz[24];
	int k, shown = 0;
	uint32_t cls;

	cv_group_begin(c, "legend", NULL);
	for (k = 0; k < 7; k++) {
		double x = x0 + (shown % 2) * colw, yy = y + (shown / 2) * LEGEND_ROW;

		if ((k == 1 && !(f->flags & VIZ_FRAME_MARKED)) ||
		    (k == 3 && !(f->flags & VIZ_FRAME_WHERE)) ||
		    (k == 6 && !(f->flags & VIZ_FRAME_SWEEPGEN)))
			continue;
		legend_box(c, x, yy, k);
		cv_text(c, x + 38, yy + 10, 11, TA_LEFT, false, &text_col, "%s",
			what[k]);
		shown++;
	}
	y += 4 * LEGEND_ROW + 10;
	cv_text(c, x0, y + 10, 11, TA_LEFT, true, &text_col,
		"size classes present (class: object size, spans, slots in use)%s",
		nuse ? "" : ": none");
	y += LEGEND_ROW;
	shown = 0;
	for (cls = 0; cls < VIZ_MAX_CLASSES; cls++) {
		const struct class_use *u = &use[cls];
		struct rgba col = class_colour(cls);
		double x, yy;

		if (!u->spans)
			continue;
		x = x0 + (shown % L->class_per_row) * CLASS_ENTRY_W;
		yy = y + (shown / L->class_per_row) * LEGEND_ROW;
		cv_rect(c, x, yy + 1, 14, 11, &col, NULL, 0);
		if (u->noscan == u->spans)
			cv_hatch(c, x, yy + 1, 14, 11, 4.5, &hatch_col, 1);
		if (cls)
			cv_text(c, x + 18, yy + 10, 10, TA_LEFT, false, &text_col,
				"%2u: %5u B %3u sp %2.0f%%", cls, u->elemsize,
				u->spans, u->slots ? 100.0 * u->allocated / u->slots : 0);
		else
			cv_text(c, x + 18, yy + 10, 10, TA_LEFT, false, &text_col,
				" 0: large %3u sp %s", u->spans,
				fmt_bytes(sz, sizeof(sz), (uint64_t)u->pages *
					  VIZ_PAGE_SIZE));
		shown++;
	}
	cv_group_end(c);
}

/* Spans per size class, and the spans CPU caches hold and the large ones. */
static uint32_t class_usage(const struct viz_frame *f, struct class_use *use,
			    uint32_t *ncached, uint32_t *nlarge)
{
	uint32_t i, nuse = 0;

	memset(use, 0, VIZ_MAX_CLASSES * sizeof(*use));
	*ncached = *nlarge = 0;
	for (i = 0; i < f->nr_spans; i++) {
		const struct gmm_span_info *s = &f->spans[i];
		uint32_t cls = s->state == GMM_SPAN_STATE_LARGE ? 0 :
			       s->spanclass >> 1;
		struct class_use *u;

		if (cls >= VIZ_MAX_CLASSES)
			cls = 0;
		u = &use[cls];
		if (!u->spans++)
			nuse++;
		u->noscan += s->spanclass & 1;
		u->pages += s->npages;
		u->slots += s->nelems;
		u->allocated += s->allocated;
		u->marked += s->marked;
		u->elemsize = cls ? s->elemsize : 0;
		*ncached += s->where == 1 && (f->flags & VIZ_FRAME_WHERE);
		*nlarge += !cls;
	}
	return nuse;
}

/* Title: what, when, and the heap's sizes. */
static void map_title(struct canvas *c, const struct viz_rec *r,
		      const struct viz_frame *f, const struct map_opts *o,
		      uint32_t ncached, uint32_t nlarge)
{
	char b1[24], b2[24], b3[24], b4[24], b5[24], title[320], cached[16];

	if (f->flags & VIZ_FRAME_WHERE)
		snprintf(cached, sizeof(cached), "%u", ncached);
	else
		snprintf(cached, sizeof(cached), "?");
	if (o->title)
		snprintf(title, sizeof(title), "%s", o->title);
	else
		snprintf(title, sizeof(title), "gmm heap %.80s%s%.160s - frame %u (%s)",
			 r->heap[0] ? r->heap : "?", r->what[0] ? ": " : "",
			 r->what, f->index, f->why[0] ? f->why : "?");
	cv_text(c, MARGIN, 22, 15, TA_LEFT, true, &text_col, "%s", title);
	if (f->st.have & VIZ_HAVE_GC)
		cv_text(c, MARGIN, 40, 11.5, TA_LEFT, false, &text_col,
			"t=%.3f s  %s %llu%s  (%llu done)  spans %u (%s cached, "
			"%u large)", f->st.t_ns / 1e9,
			f->phase ? "GC cycle" : "GC off after cycle",
			(unsigned long long)(f->phase ? f->num_gc + 1 : f->num_gc),
			f->phase == GMM_GC_PHASE_MARK ? " marking" :
			f->phase == GMM_GC_PHASE_MARKTERM ?
			" in mark termination" : "", (unsigned long long)f->num_gc,
			f->nr_spans, cached, nlarge);
	else
		cv_text(c, MARGIN, 40, 11.5, TA_LEFT, false, &text_col,
			"t=%.3f s  GC phase and cycles unknown (not in this "
			"module's debugfs)  spans %u (%s cached, %u large)",
			f->st.t_ns / 1e9, f->nr_spans, cached, nlarge);
	if (f->st.have & VIZ_HAVE_ALLOC)
		cv_text(c, MARGIN, 54, 11.5, TA_LEFT, false, &grey_text,
			"HeapAlloc %s  HeapInuse %s  HeapSys %s  goal %s  "
			"marked %s", fmt_bytes(b1, sizeof(b1), f->st.heap_alloc),
			fmt_bytes(b2, sizeof(b2), f->st.heap_inuse),
			fmt_bytes(b3, sizeof(b3), f->st.heap_sys),
			f->st.have & VIZ_HAVE_PACER ?
			fmt_bytes(b4, sizeof(b4), f->st.next_gc) : "?",
			f->st.have & VIZ_HAVE_MARKED ?
			fmt_bytes(b5, sizeof(b5), f->st.heap_marked) : "?");
}

/* Arena @i: its label left of the grid and its free pages. */
static void draw_arena(struct canvas *c, const struct layout *L,
		       const struct viz_rec *r, const struct viz_frame *f,
		       uint32_t i)
{
	const struct gmm_arena_info *a = &f->arenas[i];
	double y = L->arena_y[i];
	char at[64], b1[24];

	snprintf(at, sizeof(at), "arena %u: %u pages, %u free", a->id,
		 a->npages, a->free_pages);
	cv_group_begin(c, "arena", at);
	if (L->cols == 256) {
		cv_text(c, MARGIN, y + 9, 9, TA_LEFT, true, &text_col, "arena %u",
			a->id);
		cv_text(c, L->gx - 4, y + 9, 8.5, TA_RIGHT, false, &grey_text,
			"%u free", a->free_pages);
	} else {
		cv_text(c, MARGIN, y + 11, 11, TA_LEFT, true, &text_col,
			"arena %u", a->id);
		fmt_bytes(b1, sizeof(b1), (uint64_t)a->npages * r->page_size);
		if (L->cols == 128) {
			cv_text(c, MARGIN, y + 22, 9, TA_LEFT, false, &grey_text,
				"%s, %u free", b1, a->free_pages);
		} else {
			cv_text(c, MARGIN, y + 24, 9.5, TA_LEFT, false,
				&grey_text, "%s", b1);
			cv_text(c, MARGIN, y + 36, 9.5, TA_LEFT, false,
				&grey_text, "%u free pg", a->free_pages);
		}
	}
	draw_free(c, L, f, i);
	cv_group_end(c);
}

int draw_map(const struct viz_rec *r, const struct viz_frame *f,
	     const char *path, const struct map_opts *o, int *wp, int *hp)
{
	struct class_use use[VIZ_MAX_CLASSES];
	uint32_t i, nuse, ncached, nlarge;
	enum canvas_kind kind;
	struct canvas *c;
	struct layout L;
	int err;

	err = canvas_kind_of(path, &kind);
	if (err)
		return err;
	nuse = class_usage(f, use, &ncached, &nlarge);
	memset(&L, 0, sizeof(L));
	err = make_layout(f, o, (int)nuse, &L);
	if (err)
		return err;
	err = canvas_new(&c, kind, L.width, L.height, path);
	if (err) {
		free(L.arena_y);
		return err;
	}
	map_title(c, r, f, o, ncached, nlarge);
	for (i = 0; i < f->nr_arenas; i++)
		draw_arena(c, &L, r, f, i);
	if (!f->nr_arenas)
		cv_text(c, L.gx, L.gy + 20, 12, TA_LEFT, false, &grey_text,
			"(the heap holds no arenas)");
	for (i = 0; i < f->nr_spans; i++) {
		int ai = arena_index(f, f->spans[i].arena);

		if (ai >= 0)
			draw_span(c, &L, f, &f->spans[i], ai);
	}
	draw_legend(c, &L, f, use, nuse);
	free(L.arena_y);
	if (wp)
		*wp = L.width;
	if (hp)
		*hp = L.height;
	return canvas_finish(c);
}
