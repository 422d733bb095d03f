// SPDX-License-Identifier: GPL-2.0
/*
 * dbgcycles.c - the cycles of a heap's debugfs "gctrace" file: the
 * kernel's ring of its last 32 cycles, oldest first, one line each in the
 * format of the gctrace=1 printk (gmm_gctrace_format()):
 *
 *   gc N @S.mmms P%: a+b+c ms clock, x+ya/yb/yc+z ms cpu,
 *   h0->h1->h2 MB, G MB goal, N P [(forced)]
 *
 * where a, b, c are the sweep-termination pause, the concurrent mark and
 * the mark-termination pause; ya, yb, yc the assists', the GC thread's
 * and idle marking CPU time; h0, h1, h2 the heap at the start, at mark
 * termination and marked.  Numbers are read as decimals of any number of
 * digits (the kernel prints ms with three, MB with one), so the parser
 * does not depend on the widths.  Lines that are no gctrace line (a
 * printk prefix before "gc " is skipped) are left out.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "viz.h"

/* Where a line is being read; ok turns false at the first mismatch. */
struct scan {
	const char *p;
	bool ok;
};

/* @text, literally. */
static void lit(struct scan *s, const char *text)
{
	size_t n = strlen(text);

	if (s->ok && !strncmp(s->p, text, n))
		s->p += n;
	else
		s->ok = false;
}

/*
 * A decimal "I[.F]" in units of 10^-@digits (digits beyond those are
 * dropped): with @digits 6, "1.669" (ms) is 1669000 (ns).
 */
static uint64_t dec(struct scan *s, int digits)
{
	uint64_t v = 0;
	int k, any = 0;

	while (s->ok && *s->p >= '0' && *s->p <= '9') {
		v = v * 10 + (uint64_t)(*s->p++ - '0');
		any = 1;
	}
	if (!any)
		s->ok = false;
	if (s->ok && *s->p == '.') {
		s->p++;
		for (k = 0; *s->p >= '0' && *s->p <= '9'; k++, s->p++)
			if (k < digits)
				v = v * 10 + (uint64_t)(*s->p - '0');
		digits -= k < digits ? k : digits;
	}
	for (k = 0; k < digits; k++)
		v *= 10;
	return v;
}

/* Megabytes with one decimal ("3.5") as bytes, as the kernel rounds them. */
static uint64_t mb(struct scan *s)
{
	uint64_t tenths = dec(s, 1);

	return ((tenths / 10) << 20) + ((tenths % 10) << 20) / 10;
}

bool dbg_parse_gctrace(const char *line, struct gmm_cycle_info *c)
{
	struct scan s = { strstr(line, "gc "), true };

	if (!s.p)
		return false;
	memset(c, 0, sizeof(*c));
	lit(&s, "gc ");
	c->num = dec(&s, 0);
	lit(&s, " @");
	c->start_ns = dec(&s, 9);
	lit(&s, "s ");
	dec(&s, 0);
	lit(&s, "%: ");
	c->stw1_ns = dec(&s, 6);
	lit(&s, "+");
	c->mark_ns = dec(&s, 6);
	lit(&s, "+");
	c->stw2_ns = dec(&s, 6);
	lit(&s, " ms clock, ");
	dec(&s, 6);
	lit(&s, "+");
	c->assist_ns = dec(&s, 6);
	lit(&s, "/");
	c->bg_ns = dec(&s, 6);
	lit(&s, "/");
	dec(&s, 6);
	lit(&s, "+");
	dec(&s, 6);
	lit(&s, " ms cpu, ");
	c->heap0 = mb(&s);
	lit(&s, "->");
	c->heap1 = mb(&s);
	lit(&s, "->");
	c->heap2 = mb(&s);
	lit(&s, " MB, ");
	c->goal = mb(&s);
	lit(&s, " MB goal");
	if (!s.ok || !c->num)
		return false;
	if (strstr(s.p, "(forced)"))
		c->flags |= GMM_CYCLE_FORCED;
	return true;
}

int dbg_cycles(const char *dir, struct gmm_cycle_info **out, size_t *nout)
{
	struct gmm_cycle_info *v = NULL, *nv, c;
	size_t n = 0, cap = 0;
	char *text, *l, *nl;
	int err;

	*out = NULL;
	*nout = 0;
	err = dbg_read_file(dir, "gctrace", &text);
	if (err)
		return err;
	for (l = text; *l; l = nl ? nl + 1 : l + strlen(l)) {
		nl = strchr(l, '\n');
		if (nl)
			*nl = 0;
		if (!dbg_parse_gctrace(l, &c))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				free(text);
				return -ENOMEM;
			}
			v = nv;
		}
		v[n++] = c;
	}
	free(text);
	*out = v;
	*nout = n;
	return (int)n;
}
