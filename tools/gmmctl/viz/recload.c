// SPDX-License-Identifier: GPL-2.0
/*
 * recload.c - the reader of gmmctl's recordings, into the in-memory
 * picture of a heap over time (struct viz_rec, rec.c).
 *
 * A recording is JSON Lines: one object per line, its "type" saying what
 * it is (recwrite.c writes them; Documentation/pictures.rst has the list):
 *
 *   meta    first line: version, source, heap, what, time_base, page_size,
 *           class_sizes, interval_ms, map_every
 *   sample  t_ns and the statistics known then (heap_alloc, heap_inuse, ...)
 *   frame   a sample's fields plus a whole spans picture: arena_columns +
 *           arenas, span_columns + spans (rows of numbers, named by the
 *           columns, so that readers need not know every column)
 *   cycle   one GC cycle: the fields of struct gmm_cycle_info
 *   objects an object listing of a stepped cycle (recobjects.c)
 *   end     last line: t_ns and counts
 *
 * Lines of a type this reader does not know are skipped, as are members
 * it does not know; a line that is not JSON, or a known line with a
 * field of the wrong kind, is an error naming the line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "jsonread.h"
#include "viz.h"

/* The sample fields, as named in recordings. */
static const struct {
	const char *name;
	size_t off;
	uint32_t have;
} sample_fields[] = {
#define F(n, h) { #n, offsetof(struct viz_sample, n), h }
	F(heap_alloc, VIZ_HAVE_ALLOC),
	F(heap_inuse, VIZ_HAVE_ALLOC),
	F(heap_sys, VIZ_HAVE_ALLOC),
	F(heap_idle, VIZ_HAVE_ALLOC),
	F(heap_objects, VIZ_HAVE_ALLOC),
	F(total_alloc, VIZ_HAVE_ALLOC),
	F(heap_live, VIZ_HAVE_PACER),
	F(next_gc, VIZ_HAVE_PACER),
	F(trigger, VIZ_HAVE_PACER),
	F(heap_marked, VIZ_HAVE_MARKED),
	F(num_gc, VIZ_HAVE_GC),
	F(pause_total_ns, VIZ_HAVE_GC),
	F(pause_max_ns, VIZ_HAVE_GC),
	F(last_pause_ns, VIZ_HAVE_GC),
	F(gc_cpu_ns, VIZ_HAVE_GCCPU),
#undef F
};

/* The cycle fields, named as in struct gmm_cycle_info. */
static const struct {
	const char *name;
	size_t off;
	bool u32;
} cycle_fields[] = {
#define C(n) { #n, offsetof(struct gmm_cycle_info, n), false }
	C(num), C(start_ns), C(stw1_ns), C(mark_ns), C(stw2_ns), C(heap0),
	C(heap1), C(heap2), C(goal), C(assist_bytes), C(bg_bytes),
	C(root_ns), C(assist_ns), C(bg_ns),
	{ "flags", offsetof(struct gmm_cycle_info, flags), true },
#undef C
};

struct loader {
	struct viz_rec *r;
	unsigned long line;
	char *err;
	size_t errlen;
	bool have_meta;
};

static int lfail(struct loader *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int lfail(struct loader *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!l->err || !l->errlen)
		return -EINVAL;
	n = snprintf(l->err, l->errlen, "line %lu: ", l->line);
	if (n < 0 || (size_t)n >= l->errlen)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(l->err + n, l->errlen - n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* An optional unsigned member: absent is fine, anything else is not. */
static int opt_u64(struct loader *l, const struct jv *o, const char *key,
		   uint64_t *out, bool *present)
{
	const struct jv *v = jv_get(o, key);

	if (present)
		*present = false;
	if (!v || v->type == JV_NULL)
		return 0;
	if (!jv_u64(v, out))
		return lfail(l, "\"%s\" is not a non-negative integer", key);
	if (present)
		*present = true;
	return 0;
}

static int opt_str(struct loader *l, const struct jv *o, const char *key,
		   char *out, size_t outlen)
{
	const struct jv *v = jv_get(o, key);

	if (!v)
		return 0;
	if (v->type != JV_STR)
		return lfail(l, "\"%s\" is not a string", key);
	snprintf(out, outlen, "%s", v->s);
	return 0;
}

static int load_meta(struct loader *l, const struct jv *o)
{
	struct viz_rec *r = l->r;
	const struct jv *cs;
	uint64_t v;
	bool p;
	size_t i;
	int err;

	if (opt_u64(l, o, "version", &v, &p))
		return -EINVAL;
	if (!p)
		return lfail(l, "meta line without \"version\"");
	if (v < 1 || v > VIZ_RECORD_VERSION)
		return lfail(l, "recording version %llu; this gmmctl reads "
			     "version %d", (unsigned long long)v,
			     VIZ_RECORD_VERSION);
	err = opt_str(l, o, "source", r->source, sizeof(r->source));
	if (!err)
		err = opt_str(l, o, "heap", r->heap, sizeof(r->heap));
	if (!err)
		err = opt_str(l, o, "what", r->what, sizeof(r->what));
	if (!err)
		err = opt_str(l, o, "time_base", r->time_base,
			      sizeof(r->time_base));
	if (err)
		return err;
	if (opt_u64(l, o, "page_size", &v, &p))
		return -EINVAL;
	if (p) {
		if (v < 512 || v > (1U << 20) || (v & (v - 1)))
			return lfail(l, "page_size %llu is not a power of two "
				     "in 512..1 MiB", (unsigned long long)v);
		r->page_size = (uint32_t)v;
	}
	if (opt_u64(l, o, "interval_ms", &v, &p))
		return -EINVAL;
	if (p)
		r->interval_ms = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
	if (opt_u64(l, o, "map_every", &v, &p))
		return -EINVAL;
	if (p)
		r->map_every = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
	cs = jv_get(o, "class_sizes");
	if (cs) {
		if (cs->type != JV_ARR || cs->n > VIZ_MAX_CLASSES)
			return lfail(l, "\"class_sizes\" is not an array of at "
				     "most %d sizes", VIZ_MAX_CLASSES);
		for (i = 0; i < cs->n; i++) {
			if (!jv_u64(&cs->v[i], &v) || v > UINT32_MAX)
				return lfail(l, "class_sizes[%zu] is not a size", i);
			r->class_size[i] = (uint32_t)v;
		}
		r->num_classes = (uint32_t)cs->n;
	}
	l->have_meta = true;
	return 0;
}

static int load_sample_fields(struct loader *l, const struct jv *o,
			      struct viz_sample *s)
{
	int64_t pct;
	uint64_t v;
	bool p;
	size_t i;

	memset(s, 0, sizeof(*s));
	if (opt_u64(l, o, "t_ns", &s->t_ns, &p))
		return -EINVAL;
	if (!p)
		return lfail(l, "no \"t_ns\"");
	for (i = 0; i < sizeof(sample_fields) / sizeof(sample_fields[0]); i++) {
		if (opt_u64(l, o, sample_fields[i].name, &v, &p))
			return -EINVAL;
		if (!p)
			continue;
		memcpy((char *)s + sample_fields[i].off, &v, sizeof(v));
		s->have |= sample_fields[i].have;
	}
	if (opt_u64(l, o, "phase", &v, &p))
		return -EINVAL;
	if (p) {
		if (v > GMM_GC_PHASE_MARKTERM)
			return lfail(l, "phase %llu is not 0, 1 or 2",
				     (unsigned long long)v);
		s->phase = (uint32_t)v;
		s->have |= VIZ_HAVE_GC;
	}
	if (jv_get(o, "gc_percent")) {
		if (!jv_i64(jv_get(o, "gc_percent"), &pct) || pct < -1 ||
		    pct > 1000000)
			return lfail(l, "\"gc_percent\" is not -1 or a percentage");
		s->gc_percent = (int32_t)pct;
		s->have |= VIZ_HAVE_PERCENT;
	}
	return 0;
}

static int load_sample(struct loader *l, const struct jv *o)
{
	struct viz_sample s;

	if (load_sample_fields(l, o, &s))
		return -EINVAL;
	return viz_add_sample(l->r, &s);
}

/* Column index of each known span column in @cols, -1 when absent. */
static int map_columns(struct loader *l, const struct jv *cols,
		       const char *const *names, int n, int *idx,
		       const char *what)
{
	size_t i;
	int k;

	if (!cols || cols->type != JV_ARR)
		return lfail(l, "no \"%s_columns\" array", what);
	for (k = 0; k < n; k++)
		idx[k] = -1;
	for (i = 0; i < cols->n; i++) {
		if (cols->v[i].type != JV_STR)
			return lfail(l, "%s_columns[%zu] is not a name", what, i);
		for (k = 0; k < n; k++)
			if (!strcmp(cols->v[i].s, names[k]))
				idx[k] = (int)i;
	}
	return 0;
}

static int row_u32(struct loader *l, const struct jv *row, int col,
		   uint32_t def, uint32_t *out, const char *what, size_t i)
{
	uint64_t v;

	if (col < 0) {
		*out = def;
		return 0;
	}
	if ((size_t)col >= row->n || !jv_u64(&row->v[col], &v) ||
	    v > UINT32_MAX)
		return lfail(l, "%s[%zu]: column %d is not a 32-bit number",
			     what, i, col);
	*out = (uint32_t)v;
	return 0;
}

/* A frame's own members: the sample, its number, why, the sweepgen. */
static int frame_head(struct loader *l, const struct jv *o,
		      struct viz_frame *f)
{
	uint64_t v;
	bool p;

	memset(f, 0, sizeof(*f));
	if (load_sample_fields(l, o, &f->st))
		return -EINVAL;
	f->index = (uint32_t)l->r->nr_frames;
	if (opt_u64(l, o, "frame", &v, &p))
		return -EINVAL;
	if (p)
		f->index = (uint32_t)v;
	if (opt_str(l, o, "why", f->why, sizeof(f->why)))
		return -EINVAL;
	f->num_gc = f->st.num_gc;
	f->phase = f->st.phase;
	if (opt_u64(l, o, "sweepgen", &v, &p))
		return -EINVAL;
	f->sweepgen = (uint32_t)v;
	return 0;
}

/* The columns of the arena and span rows; what the frame can tell. */
static int frame_columns(struct loader *l, const struct jv *o, int *aidx,
			 int *sidx, uint32_t *flags)
{
	int i;

	if (map_columns(l, jv_get(o, "arena_columns"), viz_arena_columns, 3, aidx,
			"arena") ||
	    map_columns(l, jv_get(o, "span_columns"), viz_span_columns,
			SPAN_NR_COLS, sidx, "span"))
		return -EINVAL;
	if (aidx[0] < 0 || aidx[1] < 0)
		return lfail(l, "arena_columns lack \"id\" or \"npages\"");
	for (i = 0; i < 4; i++)
		if (sidx[i] < 0)
			return lfail(l, "span_columns lack \"%s\"", viz_span_columns[i]);
	if (sidx[SPAN_NELEMS] < 0 || sidx[SPAN_ALLOCATED] < 0)
		return lfail(l, "span_columns lack \"nelems\" or \"allocated\"");
	if (sidx[SPAN_WHERE] >= 0)
		*flags |= VIZ_FRAME_WHERE;
	if (sidx[SPAN_SWEEPGEN] >= 0)
		*flags |= VIZ_FRAME_SWEEPGEN;
	if (sidx[SPAN_MARKED] >= 0)
		*flags |= VIZ_FRAME_MARKED;
	return 0;
}

static int load_arena(struct loader *l, const struct jv *row, const int *aidx,
		      size_t i, struct gmm_arena_info *ai)
{
	if (row->type != JV_ARR)
		return lfail(l, "arenas[%zu] is not an array", i);
	if (row_u32(l, row, aidx[0], 0, &ai->id, "arenas", i) ||
	    row_u32(l, row, aidx[1], 0, &ai->npages, "arenas", i) ||
	    row_u32(l, row, aidx[2], 0, &ai->free_pages, "arenas", i))
		return -EINVAL;
	if (!ai->npages || ai->npages > (1U << 24))
		return lfail(l, "arenas[%zu] has %u pages", i, ai->npages);
	return 0;
}

static int load_span(struct loader *l, const struct jv *row, const int *sidx,
		     size_t i, struct gmm_span_info *si)
{
	static const int cols[] = {
		SPAN_ARENA, SPAN_PAGE, SPAN_NPAGES, SPAN_SPANCLASS, SPAN_NELEMS,
		SPAN_ALLOCATED, SPAN_MARKED, SPAN_SWEEPGEN, SPAN_WHERE, SPAN_CPU,
	};
	uint32_t *field[] = {
		&si->arena, &si->first_page, &si->npages, &si->spanclass,
		&si->nelems, &si->allocated, &si->marked, &si->sweepgen,
		&si->where, &si->cpu,
	};
	const struct viz_rec *r = l->r;
	uint32_t def_elem;
	size_t k;

	if (row->type != JV_ARR)
		return lfail(l, "spans[%zu] is not an array", i);
	for (k = 0; k < sizeof(cols) / sizeof(cols[0]); k++)
		if (row_u32(l, row, sidx[cols[k]], 0, field[k], "spans", i))
			return -EINVAL;
	def_elem = si->spanclass >> 1 ? viz_class_size(r, si->spanclass) :
		   si->npages * r->page_size;
	if (row_u32(l, row, sidx[SPAN_ELEMSIZE], def_elem, &si->elemsize,
		    "spans", i) ||
	    row_u32(l, row, sidx[SPAN_STATE], si->spanclass >> 1 ?
		    GMM_SPAN_STATE_SMALL : GMM_SPAN_STATE_LARGE,
		    &si->state, "spans", i))
		return -EINVAL;
	if (!si->npages || si->allocated > si->nelems ||
	    si->marked > si->nelems)
		return lfail(l, "spans[%zu]: %u pages, %u of %u slots allocated, "
			     "%u marked", i, si->npages, si->allocated,
			     si->nelems, si->marked);
	return 0;
}

static int load_frame(struct loader *l, const struct jv *o)
{
	int sidx[SPAN_NR_COLS], aidx[3], err = -EINVAL;
	const struct jv *a, *s;
	struct viz_frame f;
	size_t i;

	if (frame_head(l, o, &f))
		return -EINVAL;
	a = jv_get(o, "arenas");
	s = jv_get(o, "spans");
	if (!a || a->type != JV_ARR || !s || s->type != JV_ARR)
		return lfail(l, "frame without \"arenas\" and \"spans\" arrays");
	if (frame_columns(l, o, aidx, sidx, &f.flags))
		return -EINVAL;
	f.arenas = calloc(a->n ? a->n : 1, sizeof(*f.arenas));
	f.spans = calloc(s->n ? s->n : 1, sizeof(*f.spans));
	if (!f.arenas || !f.spans) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < a->n; i++)
		if (load_arena(l, &a->v[i], aidx, i, &f.arenas[i]))
			goto out;
	f.nr_arenas = (uint32_t)a->n;
	for (i = 0; i < s->n; i++)
		if (load_span(l, &s->v[i], sidx, i, &f.spans[i]))
			goto out;
	f.nr_spans = (uint32_t)s->n;
	return viz_add_frame(l->r, &f);
out:
	viz_frame_free(&f);
	return err;
}

static int load_cycle(struct loader *l, const struct jv *o)
{
	struct gmm_cycle_info c;
	uint64_t v;
	bool p;
	size_t i;

	memset(&c, 0, sizeof(c));
	for (i = 0; i < sizeof(cycle_fields) / sizeof(cycle_fields[0]); i++) {
		if (opt_u64(l, o, cycle_fields[i].name, &v, &p))
			return -EINVAL;
		if (!p)
			continue;
		/* memcpy: the ABI's __u64 is not uint64_t's type (aliasing). */
		if (cycle_fields[i].u32) {
			uint32_t v32 = (uint32_t)v;

			memcpy((char *)&c + cycle_fields[i].off, &v32, sizeof(v32));
		} else {
			memcpy((char *)&c + cycle_fields[i].off, &v, sizeof(v));
		}
	}
	if (!c.num)
		return lfail(l, "cycle without \"num\"");
	return viz_add_cycle(l->r, &c) < 0 ? -ENOMEM : 0;
}

static int load_end(struct loader *l, const struct jv *o)
{
	uint64_t v;
	bool p;

	if (opt_u64(l, o, "cycles_lost", &v, &p))
		return -EINVAL;
	if (p)
		l->r->cycles_lost = v;
	l->r->ended = true;
	return 0;
}

static int load_objects(struct loader *l, const struct jv *o)
{
	struct viz_objects x;
	char msg[160];
	int err;

	err = viz_objects_from_json(o, &x, msg, sizeof(msg));
	if (err == -EINVAL)
		return lfail(l, "%s", msg);
	if (err)
		return err;
	err = viz_add_objects(l->r, &x);
	viz_objects_free(&x);
	return err;
}

static int load_line(struct loader *l, const char *text, size_t len)
{
	char jerr[128];
	const char *type;
	struct jv o;
	int err;

	err = jv_parse(text, len, &o, jerr, sizeof(jerr));
	if (err == -ENOMEM)
		return err;
	if (err)
		return lfail(l, "not JSON: %s", jerr);
	if (o.type != JV_OBJ) {
		err = lfail(l, "not a JSON object");
		goto out;
	}
	type = jv_get_str(&o, "type");
	if (!type) {
		err = lfail(l, "no \"type\"");
		goto out;
	}
	if (!l->have_meta && strcmp(type, "meta")) {
		err = lfail(l, "a recording starts with its \"meta\" line "
			    "(is this a gmmctl recording?)");
		goto out;
	}
	if (!strcmp(type, "meta"))
		err = l->have_meta ? lfail(l, "a second \"meta\" line") :
		      load_meta(l, &o);
	else if (!strcmp(type, "sample"))
		err = load_sample(l, &o);
	else if (!strcmp(type, "frame"))
		err = load_frame(l, &o);
	else if (!strcmp(type, "cycle"))
		err = load_cycle(l, &o);
	else if (!strcmp(type, "end"))
		err = load_end(l, &o);
	else if (!strcmp(type, "objects"))
		err = load_objects(l, &o);
	/* else: a newer writer's line, skipped */
out:
	jv_free(&o);
	return err;
}

int viz_rec_load_file(FILE *f, struct viz_rec *r, char *err, size_t errlen)
{
	struct loader l = { .r = r, .err = err, .errlen = errlen };
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int ret = 0;

	if (err && errlen)
		err[0] = 0;
	while ((n = getline(&line, &cap, f)) >= 0) {
		bool whole = n > 0 && line[n - 1] == '\n';

		l.line++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		if (!n)
			continue;
		ret = load_line(&l, line, (size_t)n);
		/* A last line without its newline is a recording cut short
		 * (the recorder was killed mid-line): the lines before it
		 * stand.
		 */
		if (ret == -EINVAL && !whole && l.have_meta &&
		    !strncmp(err ? err : "", "line", 4) &&
		    strstr(err ? err : "", "not JSON")) {
			r->truncated = true;
			ret = 0;
			if (err && errlen)
				err[0] = 0;
			break;
		}
		if (ret)
			break;
	}
	free(line);
	if (!ret && ferror(f))
		ret = -EIO;
	if (!ret && !l.have_meta) {
		l.line = 1;
		ret = lfail(&l, "empty: not a gmmctl recording");
	}
	return ret;
}

int viz_rec_load(const char *path, struct viz_rec *r, char *err,
		 size_t errlen)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	int ret;

	if (!f) {
		ret = -errno;
		snprintf(err, errlen, "%s", strerror(errno));
		return ret;
	}
	ret = viz_rec_load_file(f, r, err, errlen);
	if (f != stdin)
		fclose(f);
	return ret;
}
