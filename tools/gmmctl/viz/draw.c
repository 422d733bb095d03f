// SPDX-License-Identifier: GPL-2.0
/*
 * draw.c - the canvas of gmmctl's pictures (see draw.h): cairo for PNG,
 * SVG written directly.  Built without cairo (-DGMMCTL_NO_CAIRO) only
 * the SVG back end is there.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifndef GMMCTL_NO_CAIRO
#include <cairo.h>
#endif

#include "draw.h"

#define FONT_FAMILY	"DejaVu Sans Mono"

struct canvas {
	enum canvas_kind kind;
	int w, h;
	char *path;
	FILE *svg;		/* SVG: the file being written */
	int depth;		/* SVG: open groups */
	bool crisp;		/* PNG: lines without antialiasing */
#ifndef GMMCTL_NO_CAIRO
	cairo_surface_t *surf;
	cairo_t *cr;
#endif
};

int canvas_kind_of(const char *path, enum canvas_kind *kind)
{
	const char *dot = strrchr(path, '.');

	if (dot && !strcasecmp(dot, ".png")) {
		*kind = CANVAS_PNG;
		return 0;
	}
	if (dot && !strcasecmp(dot, ".svg")) {
		*kind = CANVAS_SVG;
		return 0;
	}
	return -EINVAL;
}

bool canvas_supported(enum canvas_kind kind)
{
#ifdef GMMCTL_NO_CAIRO
	return kind == CANVAS_SVG;
#else
	(void)kind;
	return true;
#endif
}

static void svg_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			if ((unsigned char)*s >= 0x20 || *s == '\n')
				fputc(*s, f);
		}
	}
}

static void svg_colour(FILE *f, const char *attr, const struct rgba *c)
{
	if (!c) {
		fprintf(f, " %s=\"none\"", attr);
		return;
	}
	fprintf(f, " %s=\"#%02x%02x%02x\"", attr,
		(unsigned int)lround(c->r * 255), (unsigned int)lround(c->g * 255),
		(unsigned int)lround(c->b * 255));
	if (c->a < 1)
		fprintf(f, " %s-opacity=\"%.3g\"", attr, c->a);
}

int canvas_new(struct canvas **cp, enum canvas_kind kind, int w, int h,
	       const char *path)
{
	struct canvas *c;

	*cp = NULL;
	if (w <= 0 || h <= 0 || w > 32000 || h > 32000)
		return -EINVAL;
	if (!canvas_supported(kind))
		return -EOPNOTSUPP;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->kind = kind;
	c->w = w;
	c->h = h;
	c->path = strdup(path);
	if (!c->path) {
		free(c);
		return -ENOMEM;
	}
	if (kind == CANVAS_SVG) {
		c->svg = fopen(path, "w");
		if (!c->svg) {
			int err = -errno;

			free(c->path);
			free(c);
			return err;
		}
		fprintf(c->svg,
			"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			"<svg xmlns=\"http://www.w3.org/2000/svg\" "
			"width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
			"font-family=\"%s, monospace\">\n"
			"<rect class=\"background\" x=\"0\" y=\"0\" width=\"%d\" "
			"height=\"%d\" fill=\"#ffffff\"/>\n",
			w, h, w, h, FONT_FAMILY, w, h);
		*cp = c;
		return 0;
	}
#ifndef GMMCTL_NO_CAIRO
	c->surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	if (cairo_surface_status(c->surf) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(c->surf);
		free(c->path);
		free(c);
		return -ENOMEM;
	}
	c->cr = cairo_create(c->surf);
	cairo_set_source_rgb(c->cr, 1, 1, 1);
	cairo_paint(c->cr);
	cairo_select_font_face(c->cr, FONT_FAMILY, CAIRO_FONT_SLANT_NORMAL,
			       CAIRO_FONT_WEIGHT_NORMAL);
#endif
	*cp = c;
	return 0;
}

static void canvas_free(struct canvas *c)
{
#ifndef GMMCTL_NO_CAIRO
	if (c->cr)
		cairo_destroy(c->cr);
	if (c->surf)
		cairo_surface_destroy(c->surf);
#endif
	free(c->path);
	free(c);
}

int canvas_finish(struct canvas *c)
{
	int err = 0;

	if (c->kind == CANVAS_SVG) {
		while (c->depth > 0)
			cv_group_end(c);
		fputs("</svg>\n", c->svg);
		if (fflush(c->svg) || ferror(c->svg))
			err = -EIO;
		if (fclose(c->svg) && !err)
			err = -EIO;
	}
#ifndef GMMCTL_NO_CAIRO
	else {
		cairo_surface_flush(c->surf);
		switch (cairo_surface_write_to_png(c->surf, c->path)) {
		case CAIRO_STATUS_SUCCESS:
			break;
		case CAIRO_STATUS_NO_MEMORY:
			err = -ENOMEM;
			break;
		default:
			err = -EIO;
		}
	}
#endif
	canvas_free(c);
	return err;
}

void canvas_discard(struct canvas *c)
{
	if (!c)
		return;
	if (c->svg) {
		fclose(c->svg);
		remove(c->path);
	}
	canvas_free(c);
}

/* The end of a closed shape's element: its fill, its stroke if any. */
static void svg_paint(struct canvas *c, const struct rgba *fill,
		      const struct rgba *stroke, double lw)
{
	svg_colour(c->svg, "fill", fill);
	if (stroke) {
		svg_colour(c->svg, "stroke", stroke);
		fprintf(c->svg, " stroke-width=\"%.2f\"", lw);
	}
	fputs("/>\n", c->svg);
}

#ifndef GMMCTL_NO_CAIRO
static void cr_colour(cairo_t *cr, const struct rgba *c)
{
	cairo_set_source_rgba(cr, c->r, c->g, c->b, c->a);
}

/* Fill the path (@fill may be NULL), stroke it if @stroke, forget it. */
static void cr_paint(cairo_t *cr, const struct rgba *fill,
		     const struct rgba *stroke, double lw)
{
	if (fill) {
		cr_colour(cr, fill);
		if (stroke)
			cairo_fill_preserve(cr);
		else
			cairo_fill(cr);
	}
	if (stroke) {
		cr_colour(cr, stroke);
		cairo_set_line_width(cr, lw);
		cairo_stroke(cr);
	}
	cairo_new_path(cr);
}
#endif

void cv_rect(struct canvas *c, double x, double y, double w, double h,
	     const struct rgba *fill, const struct rgba *stroke, double lw)
{
	if (w <= 0 || h <= 0)
		return;
	if (c->kind == CANVAS_SVG) {
		fprintf(c->svg, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
			"height=\"%.2f\"", x, y, w, h);
		svg_paint(c, fill, stroke, lw);
		return;
	}
#ifndef GMMCTL_NO_CAIRO
	/* Rectangles sit on whole pixels: no antialiasing, crisp edges and
	 * PNGs half the size.
	 */
	cairo_set_antialias(c->cr, CAIRO_ANTIALIAS_NONE);
	cairo_rectangle(c->cr, x, y, w, h);
	cr_paint(c->cr, fill, stroke, lw);
	cairo_set_antialias(c->cr, CAIRO_ANTIALIAS_DEFAULT);
#endif
}

void cv_polyline(struct canvas *c, const double *xy, size_t n,
		 const struct rgba *col, double lw, bool dashed)
{
	size_t i;

	if (n < 2)
		return;
	if (c->kind == CANVAS_SVG) {
		fputs("<polyline fill=\"none\" points=\"", c->svg);
		for (i = 0; i < n; i++)
			fprintf(c->svg, "%s%.2f,%.2f", i ? " " : "", xy[2 * i],
				xy[2 * i + 1]);
		fputc('"', c->svg);
		svg_colour(c->svg, "stroke", col);
		fprintf(c->svg, " stroke-width=\"%.2f\" stroke-linejoin=\"round\"%s/>\n",
			lw, dashed ? " stroke-dasharray=\"5,3\"" : "");
		return;
	}
#ifndef GMMCTL_NO_CAIRO
	{
		static const double dash[] = { 5, 3 };

		if (c->crisp)
			cairo_set_antialias(c->cr, CAIRO_ANTIALIAS_NONE);
		cairo_move_to(c->cr, xy[0], xy[1]);
		for (i = 1; i < n; i++)
			cairo_line_to(c->cr, xy[2 * i], xy[2 * i + 1]);
		cr_colour(c->cr, col);
		cairo_set_line_width(c->cr, lw);
		cairo_set_line_join(c->cr, CAIRO_LINE_JOIN_ROUND);
		cairo_set_dash(c->cr, dash, dashed ? 2 : 0, 0);
		cairo_stroke(c->cr);
		cairo_set_dash(c->cr, NULL, 0, 0);
		cairo_set_antialias(c->cr, CAIRO_ANTIALIAS_DEFAULT);
	}
#endif
}

void cv_polygon(struct canvas *c, const double *xy, size_t n,
		const struct rgba *fill, const struct rgba *stroke, double lw)
{
	size_t i;

	if (n < 3)
		return;
	if (c->kind == CANVAS_SVG) {
		fputs("<polygon points=\"", c->svg);
		for (i = 0; i < n; i++)
			fprintf(c->svg, "%s%.2f,%.2f", i ? " " : "", xy[2 * i],
				xy[2 * i + 1]);
		fputc('"', c->svg);
		svg_paint(c, fill, stroke, lw);
		return;
	}
#ifndef GMMCTL_NO_CAIRO
	cairo_move_to(c->cr, xy[0], xy[1]);
	for (i = 1; i < n; i++)
		cairo_line_to(c->cr, xy[2 * i], xy[2 * i + 1]);
	cairo_close_path(c->cr);
	cr_paint(c->cr, fill, stroke, lw);
#endif
}

void cv_line(struct canvas *c, double x1, double y1, double x2, double y2,
	     const struct rgba *col, double lw, bool dashed)
{
	double xy[4] = { x1, y1, x2, y2 };

	cv_polyline(c, xy, 2, col, lw, dashed);
}

void cv_text(struct canvas *c, double x, double y, double size,
	     enum text_align align, bool bold, const struct rgba *col,
	     const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (c->kind == CANVAS_SVG) {
		fprintf(c->svg, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.1f\"%s%s",
			x, y, size,
			align == TA_CENTER ? " text-anchor=\"middle\"" :
			align == TA_RIGHT ? " text-anchor=\"end\"" : "",
			bold ? " font-weight=\"bold\"" : "");
		svg_colour(c->svg, "fill", col);
		fputs(" xml:space=\"preserve\">", c->svg);
		svg_escape(c->svg, buf);
		fputs("</text>\n", c->svg);
		return;
	}
#ifndef GMMCTL_NO_CAIRO
	{
		double w = text_width(buf, size);

		cairo_select_font_face(c->cr, FONT_FAMILY, CAIRO_FONT_SLANT_NORMAL,
				       bold ? CAIRO_FONT_WEIGHT_BOLD :
				       CAIRO_FONT_WEIGHT_NORMAL);
		cairo_set_font_size(c->cr, size);
		cr_colour(c->cr, col);
		cairo_move_to(c->cr, align == TA_CENTER ? x - w / 2 :
			      align == TA_RIGHT ? x - w : x, y);
		cairo_show_text(c->cr, buf);
		cairo_new_path(c->cr);
	}
#endif
}

void cv_vtext(struct canvas *c, double x, double y, double size,
	      const struct rgba *col, const char *text)
{
	if (c->kind == CANVAS_SVG) {
		fprintf(c->svg, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.1f\" "
			"text-anchor=\"middle\" transform=\"rotate(-90 %.2f %.2f)\"",
			x, y, size, x, y);
		svg_colour(c->svg, "fill", col);
		fputs(" xml:space=\"preserve\">", c->svg);
		svg_escape(c->svg, text);
		fputs("</text>\n", c->svg);
		return;
	}
#ifndef GMMCTL_NO_CAIRO
	cairo_save(c->cr);
	cairo_translate(c->cr, x, y);
	cairo_rotate(c->cr, -M_PI / 2);
	cairo_select_font_face(c->cr, FONT_FAMILY, CAIRO_FONT_SLANT_NORMAL,
			       CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(c->cr, size);
	cr_colour(c->cr, col);
	cairo_move_to(c->cr, -text_width(text, size) / 2, 0);
	cairo_show_text(c->cr, text);
	cairo_new_path(c->cr);
	cairo_restore(c->cr);
#endif
}

void cv_circle(struct canvas *c, double x, double y, double r,
	       const struct rgba *fill)
{
	if (c->kind == CANVAS_SVG) {
		fprintf(c->svg, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"%.2f\"",
			x, y, r);
		svg_colour(c->svg, "fill", fill);
		fputs("/>\n", c->svg);
		return;
	}
#ifndef GMMCTL_NO_CAIRO
	cairo_new_path(c->cr);
	cairo_arc(c->cr, x, y, r, 0, 2 * M_PI);
	cr_colour(c->cr, fill);
	cairo_fill(c->cr);
#endif
}

void cv_hatch(struct canvas *c, double x, double y, double w, double h,
	      double gap, const struct rgba *col, double lw)
{
	double k, xy[4];

	if (w <= 0 || h <= 0 || gap <= 0)
		return;
	/* Lines x - y = const (going up to the right), clipped by hand so
	 * that both back ends draw the very same segments; in PNG without
	 * antialiasing, like the rectangles under them.
	 */
	c->crisp = true;
	for (k = -h + fmod(x + y, gap); k < w; k += gap) {
		double x0 = k, y0 = h, x1 = k + h, y1 = 0;

		if (x0 < 0) {
			y0 = h + x0;
			x0 = 0;
		}
		if (x1 > w) {
			y1 = x1 - w;
			x1 = w;
		}
		if (x1 <= x0)
			continue;
		xy[0] = x + x0;
		xy[1] = y + y0;
		xy[2] = x + x1;
		xy[3] = y + y1;
		cv_polyline(c, xy, 2, col, lw, false);
	}
	c->crisp = false;
}

void cv_group_begin(struct canvas *c, const char *cls, const char *title)
{
	if (c->kind != CANVAS_SVG)
		return;
	fputs("<g", c->svg);
	if (cls) {
		fputs(" class=\"", c->svg);
		svg_escape(c->svg, cls);
		fputc('"', c->svg);
	}
	fputs(">", c->svg);
	if (title) {
		fputs("<title>", c->svg);
		svg_escape(c->svg, title);
		fputs("</title>", c->svg);
	}
	fputc('\n', c->svg);
	c->depth++;
}

void cv_group_end(struct canvas *c)
{
	if (c->kind != CANVAS_SVG || c->depth <= 0)
		return;
	fputs("</g>\n", c->svg);
	c->depth--;
}

struct rgba mix(struct rgba a, struct rgba b, double t)
{
	struct rgba m = {
		a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t,
		a.b + (b.b - a.b) * t, a.a + (b.a - a.a) * t,
	};

	return m;
}

static double hue2rgb(double p, double q, double t)
{
	if (t < 0)
		t += 1;
	if (t > 1)
		t -= 1;
	if (t < 1.0 / 6)
		return p + (q - p) * 6 * t;
	if (t < 0.5)
		return q;
	if (t < 2.0 / 3)
		return p + (q - p) * (2.0 / 3 - t) * 6;
	return p;
}

struct rgba class_colour(uint32_t cls)
{
	static const double light[3] = { 0.47, 0.36, 0.58 };
	double h, s = 0.68, l, q, p;
	struct rgba c;

	if (!cls)
		return RGB(0x35456a);	/* large objects */
	/* The golden angle keeps neighbouring classes apart in hue; three
	 * lightnesses in turn tell apart the few that come close.
	 */
	h = fmod(cls * 137.50776, 360.0) / 360.0;
	l = light[cls % 3];
	q = l < 0.5 ? l * (1 + s) : l + s - l * s;
	p = 2 * l - q;
	c.r = hue2rgb(p, q, h + 1.0 / 3);
	c.g = hue2rgb(p, q, h);
	c.b = hue2rgb(p, q, h - 1.0 / 3);
	c.a = 1;
	return c;
}
