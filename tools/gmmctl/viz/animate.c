// SPDX-License-Identifier: GPL-2.0
/*
 * animate.c - an animated SVG out of still SVG pictures (gmmctl map and
 * graph --animate).
 *
 * Each picture, as draw.c wrote it, goes into a <g class="frame"> of one
 * document, hidden but for its turn: an <animate> of its visibility with
 * discrete values (hidden, visible from k/n of the loop, hidden from
 * (k+1)/n), all with the same duration and repeating, so the frames take
 * turns forever.  That is SMIL, which browsers play in an <img> too (the
 * README shows one); no script.  The frames are our own SVG: the text
 * between the end of their <svg ...> tag and their </svg> is copied as
 * it is.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"

/* All of @path, NUL-terminated; NULL with errno set. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET))
		goto out;
	buf = malloc((size_t)n + 1);
	if (!buf)
		goto out;
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
		errno = EIO;
		goto out;
	}
	buf[n] = 0;
	*len = (size_t)n;
out:
	fclose(f);
	return buf;
}

/* The body of an SVG document and its size; NULL when it is not one. */
static const char *svg_body(char *doc, int *w, int *h, size_t *blen)
{
	char *tag = strstr(doc, "<svg"), *end, *close;

	if (!tag)
		return NULL;
	end = strchr(tag, '>');
	close = strstr(doc, "</svg>");
	if (!end || !close || close < end)
		return NULL;
	*w = *h = 0;
	if (sscanf(strstr(tag, "width=\"") ? strstr(tag, "width=\"") : "",
		   "width=\"%d", w) != 1 ||
	    sscanf(strstr(tag, "height=\"") ? strstr(tag, "height=\"") : "",
		   "height=\"%d", h) != 1)
		return NULL;
	*blen = (size_t)(close - end - 1);
	return end + 1;
}

static void frame_out(FILE *o, size_t k, size_t n, double seconds,
		      const char *body, size_t blen)
{
	double a = (double)k / (double)n, b = (double)(k + 1) / (double)n;

	fprintf(o, "<g class=\"frame\" data-frame=\"%zu\" visibility=\"%s\">\n"
		"<animate attributeName=\"visibility\" values=\"hidden;visible;hidden\" "
		"keyTimes=\"0;%.6f;%.6f\" dur=\"%.3fs\" calcMode=\"discrete\" "
		"repeatCount=\"indefinite\"/>\n", k, k ? "hidden" : "visible",
		a, b > 1 ? 1.0 : b, seconds * (double)n);
	fwrite(body, 1, blen, o);
	fputs("</g>\n", o);
}

int svg_animate(const char *const *frames, size_t n, double seconds,
		const char *out, int *w, int *h)
{
	char **docs = calloc(n + 1, sizeof(*docs));
	size_t k, len, blen;
	int fw, fh, err = 0;
	FILE *o = NULL;

	if (!docs)
		return -ENOMEM;
	*w = *h = 0;
	for (k = 0; k < n && !err; k++) {
		docs[k] = slurp(frames[k], &len);
		if (!docs[k])
			err = -errno;
		else if (!svg_body(docs[k], &fw, &fh, &blen))
			err = -EINVAL;
		else {
			*w = fw > *w ? fw : *w;
			*h = fh > *h ? fh : *h;
		}
	}
	if (!err && !(o = fopen(out, "w")))
		err = -errno;
	if (!err) {
		fprintf(o, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
			"height=\"%d\" viewBox=\"0 0 %d %d\" class=\"animation\" "
			"data-frames=\"%zu\">\n<rect width=\"100%%\" "
			"height=\"100%%\" fill=\"#ffffff\"/>\n", *w, *h, *w, *h, n);
		for (k = 0; k < n; k++) {
			const char *body = svg_body(docs[k], &fw, &fh, &blen);

			frame_out(o, k, n, seconds, body, blen);
		}
		fputs("</svg>\n", o);
		if (fclose(o))
			err = -errno;
	}
	for (k = 0; k < n; k++)
		free(docs[k]);
	free(docs);
	return err;
}
