/* SPDX-License-Identifier: GPL-2.0 */
/*
 * draw.h - the little canvas gmmctl's pictures are drawn on, with two
 * back ends chosen by the output file's extension:
 *
 *   .png  cairo's image surface (not in the static build, which is made
 *         with -DGMMCTL_NO_CAIRO for the test VM: cairo cannot reasonably
 *         be linked statically);
 *   .svg  SVG written directly, so that elements carry what they show:
 *         every span is a <g class="span"> with a <title> (a tooltip in
 *         browsers), every GC cycle band a <rect class="cycle">, and so
 *         on.  Available in both builds.
 *
 * Both draw the same shapes at the same coordinates (pixels, y down) in
 * the same monospace font, whose advance is 0.602 em (DejaVu Sans Mono),
 * so layout never needs to measure text.
 */
#ifndef GMMCTL_DRAW_H
#define GMMCTL_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rgba {
	double r, g, b, a;
};

#define RGB(hex) ((struct rgba){ ((hex) >> 16 & 255) / 255.0, \
	((hex) >> 8 & 255) / 255.0, ((hex) & 255) / 255.0, 1.0 })

enum canvas_kind { CANVAS_PNG, CANVAS_SVG };
enum text_align { TA_LEFT, TA_CENTER, TA_RIGHT };

#define FONT_ADVANCE	0.602	/* character width per font size */

struct canvas;

/* The kind for @path's extension; -EINVAL when neither .png nor .svg. */
int canvas_kind_of(const char *path, enum canvas_kind *kind);
/* Whether this gmmctl can write @kind. */
bool canvas_supported(enum canvas_kind kind);
/* A white canvas of @w x @h pixels to be written to @path. */
int canvas_new(struct canvas **cp, enum canvas_kind kind, int w, int h,
	       const char *path);
/* Write the file and free the canvas; 0 or -errno. */
int canvas_finish(struct canvas *c);
/* Free without writing (after an error). */
void canvas_discard(struct canvas *c);

void cv_rect(struct canvas *c, double x, double y, double w, double h,
	     const struct rgba *fill, const struct rgba *stroke, double lw);
void cv_line(struct canvas *c, double x1, double y1, double x2, double y2,
	     const struct rgba *col, double lw, bool dashed);
/* @n points, x0 y0 x1 y1 ... */
void cv_polyline(struct canvas *c, const double *xy, size_t n,
		 const struct rgba *col, double lw, bool dashed);
/* A closed polygon of @n points, filled (and stroked when @stroke). */
void cv_polygon(struct canvas *c, const double *xy, size_t n,
		const struct rgba *fill, const struct rgba *stroke, double lw);
/* Text with its baseline at @y. */
void cv_text(struct canvas *c, double x, double y, double size,
	     enum text_align align, bool bold, const struct rgba *col,
	     const char *fmt, ...) __attribute__((format(printf, 8, 9)));
/* Text running upwards (a y axis' title), centred on (@x, @y). */
void cv_vtext(struct canvas *c, double x, double y, double size,
	      const struct rgba *col, const char *text);
/* A filled circle (a data point). */
void cv_circle(struct canvas *c, double x, double y, double r,
	       const struct rgba *fill);
/* Diagonal hatching inside a rectangle, lines @gap apart. */
void cv_hatch(struct canvas *c, double x, double y, double w, double h,
	      double gap, const struct rgba *col, double lw);
/*
 * Groups: SVG <g class="@cls"> with a <title>, which may be NULL;
 * nothing for PNG.  @cls names what a test counts: "span", "cycle", ...
 */
void cv_group_begin(struct canvas *c, const char *cls, const char *title);
void cv_group_end(struct canvas *c);

static inline double text_width(const char *s, double size)
{
	size_t n = 0;

	/* UTF-8 continuation bytes take no room. */
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return (double)n * size * FONT_ADVANCE;
}

/* Colours. */
struct rgba mix(struct rgba a, struct rgba b, double t);	/* a..b */
/* The stable colour of size class @cls (1..67); class 0 (large) fixed. */
struct rgba class_colour(uint32_t cls);

#endif /* GMMCTL_DRAW_H */
