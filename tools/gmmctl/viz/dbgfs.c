// SPDX-License-Identifier: GPL-2.0
/*
 * dbgfs.c - reading any gmm heap through debugfs: the kernel's own heaps
 * (a module's, like the binary-trees workload) and other processes'
 * /dev/gmm heaps, which gmmctl cannot reach by ioctl (every open of
 * /dev/gmm is a new heap).  Root only, and only where debugfs is mounted
 * and not locked down.
 *
 * /sys/kernel/debug/gmm/<name>-<id>/ has "stats" (name value lines),
 * "sizeclasses" and "spans" (a header line naming the columns, then one
 * row per class or span) and, in newer modules, "gctrace" (gctrace lines,
 * read by dbgcycles.c) and "params" (name value lines).  Tables are read by their header's
 * column names, never by position, so that columns may be added, moved
 * or dropped: a missing elemsize is the class's size (or the span's
 * bytes when large); a missing where/cpu means cached spans are not
 * shown; sweepgen is taken as relative (0 swept, 1 sweeping, 2 unswept)
 * when every row is 0..3 and params has the heap's sweepgen, and as
 * absolute otherwise (relative to params' sweepgen, or to the largest
 * value seen, which is the heap's when any span is swept).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "viz.h"

const char *dbg_root(void)
{
	const char *r = getenv("GMM_DEBUGFS");

	return r && *r ? r : "/sys/kernel/debug/gmm";
}

static int path_of(char *buf, size_t n, const char *dir, const char *file)
{
	int len = snprintf(buf, n, "%s/%s%s%s", dbg_root(), dir,
			   file ? "/" : "", file ? file : "");

	return len < 0 || (size_t)len >= n ? -ENAMETOOLONG : 0;
}

int dbg_read_file(const char *dir, const char *file, char **text)
{
	char path[4096];
	size_t len = 0, cap = 0;
	char *buf = NULL, *nb;
	FILE *f;
	size_t n;
	int err;

	*text = NULL;
	err = path_of(path, sizeof(path), dir, file);
	if (err)
		return err;
	f = fopen(path, "r");
	if (!f)
		return -errno;
	/* debugfs files report size 0: read to the end. */
	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap + 1);
			if (!nb) {
				free(buf);
				fclose(f);
				return -ENOMEM;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	err = ferror(f) ? -EIO : 0;
	fclose(f);
	if (err) {
		free(buf);
		return err;
	}
	buf[len] = 0;
	*text = buf;
	return 0;
}

bool dbg_heap_exists(const char *dir)
{
	char path[4096];
	struct stat st;

	if (path_of(path, sizeof(path), dir, "stats"))
		return false;
	return stat(path, &st) == 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **dbg_list_heaps(void)
{
	size_t n = 0, cap = 16;
	char **l = malloc(cap * sizeof(*l)), **nl;
	struct dirent *de;
	DIR *d;

	if (!l)
		return NULL;
	d = opendir(dbg_root());
	if (!d) {
		free(l);
		return NULL;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !dbg_heap_exists(de->d_name))
			continue;
		if (n + 2 > cap) {
			cap *= 2;
			nl = realloc(l, cap * sizeof(*l));
			if (!nl)
				goto fail;
			l = nl;
		}
		l[n] = strdup(de->d_name);
		if (!l[n])
			goto fail;
		n++;
	}
	closedir(d);
	qsort(l, n, sizeof(*l), cmp_str);
	l[n] = NULL;
	return l;
fail:
	closedir(d);
	l[n] = NULL;
	dbg_free_list(l);
	return NULL;
}

void dbg_free_list(char **l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; l[i]; i++)
		free(l[i]);
	free(l);
}

int dbg_find_heap(const char *name, char *out, size_t outlen)
{
	size_t nlen = strlen(name), i;
	char **l;
	int found = 0;

	if (!*name || strchr(name, '/'))
		return -EINVAL;
	if (dbg_heap_exists(name)) {
		snprintf(out, outlen, "%s", name);
		return 0;
	}
	l = dbg_list_heaps();
	if (!l)
		return errno ? -errno : -ENOENT;
	for (i = 0; l[i]; i++) {
		const char *p = l[i] + nlen;

		if (strncmp(l[i], name, nlen) || *p != '-' || !p[1])
			continue;
		for (p++; isdigit((unsigned char)*p); p++)
			;
		if (*p)
			continue;
		if (!found++)
			snprintf(out, outlen, "%s", l[i]);
	}
	dbg_free_list(l);
	return found == 1 ? 0 : found ? -EEXIST : -ENOENT;
}

/* A table: a header of names, then rows of whitespace-separated words. */
struct table {
	char *text;
	char **names;
	int ncols;
	char *cur;		/* next row */
};

static int split(char *line, char **words, int max)
{
	int n = 0;
	char *save = NULL, *w;

	for (w = strtok_r(line, " \t", &save); w && n < max;
	     w = strtok_r(NULL, " \t", &save))
		words[n++] = w;
	return n;
}

static char *next_line(char **cur)
{
	char *l = *cur, *nl;

	if (!l || !*l)
		return NULL;
	nl = strchr(l, '\n');
	if (nl) {
		*nl = 0;
		*cur = nl + 1;
	} else {
		*cur = l + strlen(l);
	}
	return l;
}

#define TABLE_MAX_COLS	32

static int table_open(struct table *t, const char *dir, const char *file)
{
	char *hdr;
	int err;

	memset(t, 0, sizeof(*t));
	err = dbg_read_file(dir, file, &t->text);
	if (err)
		return err;
	t->cur = t->text;
	t->names = calloc(TABLE_MAX_COLS, sizeof(*t->names));
	if (!t->names) {
		free(t->text);
		return -ENOMEM;
	}
	hdr = next_line(&t->cur);
	if (!hdr) {
		free(t->names);
		free(t->text);
		return -ENODATA;
	}
	t->ncols = split(hdr, t->names, TABLE_MAX_COLS);
	return 0;
}

static int table_col(const struct table *t, const char *name)
{
	int i;

	for (i = 0; i < t->ncols; i++)
		if (!strcmp(t->names[i], name))
			return i;
	return -1;
}

/* The next row's words; 0 at the end. */
static int table_row(struct table *t, char **words)
{
	char *l;
	int n;

	while ((l = next_line(&t->cur))) {
		n = split(l, words, TABLE_MAX_COLS);
		if (n)
			return n;
	}
	return 0;
}

static void table_close(struct table *t)
{
	free(t->names);
	free(t->text);
}

static bool word_u64(char **w, int n, int col, uint64_t *v)
{
	char *end;

	if (col < 0 || col >= n)
		return false;
	errno = 0;
	*v = strtoull(w[col], &end, 10);
	return !errno && end != w[col] && !*end;
}

int dbg_classes(const char *dir, struct viz_rec *r)
{
	char *w[TABLE_MAX_COLS];
	int n, cc, cs, err;
	uint64_t c, size;
	struct table t;

	err = table_open(&t, dir, "sizeclasses");
	if (err)
		return err;
	cc = table_col(&t, "class");
	cs = table_col(&t, "size");
	if (cc < 0 || cs < 0) {
		table_close(&t);
		return -EPROTO;
	}
	while ((n = table_row(&t, w))) {
		if (!word_u64(w, n, cc, &c) || !word_u64(w, n, cs, &size) ||
		    c >= VIZ_MAX_CLASSES)
			continue;
		r->class_size[c] = (uint32_t)size;
		if (c + 1 > r->num_classes)
			r->num_classes = (uint32_t)c + 1;
	}
	table_close(&t);
	return 0;
}

int dbg_sizeclasses(const char *dir, struct dbg_class *out, size_t max)
{
	char *w[TABLE_MAX_COLS];
	int n, col[7], err, k;
	static const char *const names[7] = {
		"class", "size", "mallocs", "frees", "live", "spans",
		"live_bytes",
	};
	struct table t;
	size_t cnt = 0;

	err = table_open(&t, dir, "sizeclasses");
	if (err)
		return err;
	for (k = 0; k < 7; k++)
		col[k] = table_col(&t, names[k]);
	if (col[0] < 0 || col[1] < 0) {
		table_close(&t);
		return -EPROTO;
	}
	while ((n = table_row(&t, w)) && cnt < max) {
		struct dbg_class *c = &out[cnt];
		uint64_t v;

		memset(c, 0, sizeof(*c));
		if (!word_u64(w, n, col[0], &v))
			continue;
		c->cls = (uint32_t)v;
		if (word_u64(w, n, col[1], &v))
			c->size = (uint32_t)v;
		word_u64(w, n, col[2], &c->mallocs);
		word_u64(w, n, col[3], &c->frees);
		if (!word_u64(w, n, col[4], &c->live))
			c->live = c->mallocs - c->frees;
		word_u64(w, n, col[5], &c->spans);
		if (!word_u64(w, n, col[6], &c->live_bytes))
			c->live_bytes = c->cls ? c->live * c->size : 0;
		cnt++;
	}
	table_close(&t);
	return (int)cnt;
}

/* "name value" lines: the value of @name, false when absent. */
static bool kv_get(const char *text, const char *name, char *val, size_t n)
{
	size_t len = strlen(name);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, name, len) && (p[len] == ' ' || p[len] == '\t' ||
					       p[len] == ':')) {
			const char *v = p + len, *e;

			while (*v == ' ' || *v == '\t' || *v == ':')
				v++;
			e = strchr(v, '\n');
			if (!e)
				e = v + strlen(v);
			snprintf(val, n, "%.*s", (int)(e - v), v);
			return true;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return false;
}

static bool kv_u64(const char *text, const char *name, uint64_t *v)
{
	char buf[64], *end;

	if (!text || !kv_get(text, name, buf, sizeof(buf)))
		return false;
	errno = 0;
	*v = strtoull(buf, &end, 10);
	return !errno && end != buf && (!*end || isspace((unsigned char)*end));
}

static bool kv_i64(const char *text, const char *name, int64_t *v)
{
	char buf[64], *end;

	if (!text || !kv_get(text, name, buf, sizeof(buf)))
		return false;
	errno = 0;
	*v = strtoll(buf, &end, 10);
	return !errno && end != buf;
}

int dbg_sample(const char *dir, struct viz_sample *s)
{
	char *stats = NULL, *params = NULL, ph[32];
	int64_t i64;
	uint64_t v;
	int err;

	memset(s, 0, sizeof(*s));
	err = dbg_read_file(dir, "stats", &stats);
	if (err)
		return err;
	/* params is newer than stats: fine when missing. */
	if (dbg_read_file(dir, "params", &params))
		params = NULL;

	if (kv_u64(stats, "HeapAlloc", &s->heap_alloc) &&
	    kv_u64(stats, "HeapInuse", &s->heap_inuse) &&
	    kv_u64(stats, "HeapSys", &s->heap_sys)) {
		kv_u64(stats, "HeapIdle", &s->heap_idle);
		kv_u64(stats, "HeapObjects", &s->heap_objects);
		kv_u64(stats, "TotalAlloc", &s->total_alloc);
		s->have |= VIZ_HAVE_ALLOC;
	}
	/* GC figures: params (newer modules) or stats, whichever has them. */
	if ((kv_u64(params, "heap_goal", &s->next_gc) ||
	     kv_u64(stats, "NextGC", &s->next_gc)) &&
	    (kv_i64(params, "heap_live", &i64) || kv_i64(stats, "HeapLive", &i64))) {
		s->heap_live = i64 < 0 ? 0 : (uint64_t)i64;
		if (!kv_u64(params, "trigger", &s->trigger))
			kv_u64(stats, "Trigger", &s->trigger);
		s->have |= VIZ_HAVE_PACER;
	}
	if (kv_u64(params, "heap_marked", &s->heap_marked) ||
	    kv_u64(stats, "HeapMarked", &s->heap_marked))
		s->have |= VIZ_HAVE_MARKED;
	if (kv_u64(params, "num_gc", &s->num_gc) ||
	    kv_u64(stats, "NumGC", &s->num_gc)) {
		s->have |= VIZ_HAVE_GC;
		if (!kv_u64(params, "pause_total_ns", &s->pause_total_ns))
			kv_u64(stats, "PauseTotalNs", &s->pause_total_ns);
		if (!kv_u64(params, "pause_max_ns", &s->pause_max_ns))
			kv_u64(stats, "PauseMaxNs", &s->pause_max_ns);
		if (params && kv_get(params, "phase", ph, sizeof(ph))) {
			if (!strcmp(ph, "mark") || !strcmp(ph, "1"))
				s->phase = GMM_GC_PHASE_MARK;
			else if (!strncmp(ph, "markterm", 8) || !strcmp(ph, "2"))
				s->phase = GMM_GC_PHASE_MARKTERM;
		}
	}
	if (kv_i64(params, "gc_percent", &i64)) {
		s->gc_percent = (int32_t)i64;
		s->have |= VIZ_HAVE_PERCENT;
	}
	if (kv_u64(params, "gc_cpu_ns", &v)) {
		s->gc_cpu_ns = v;
		s->have |= VIZ_HAVE_GCCPU;
	}
	if (kv_u64(params, "uptime_ns", &s->uptime_ns))
		s->have |= VIZ_HAVE_UPTIME;
	free(params);
	free(stats);
	return 0;
}



/* Where each column is (-1: absent); -EPROTO without the essential ones. */
static int span_columns(const struct table *t, int *col)
{
	int k;

	for (k = 0; k < SPAN_NR_COLS; k++)
		col[k] = table_col(t, viz_span_columns[k]);
	if (col[SPAN_ARENA] < 0 || col[SPAN_PAGE] < 0 || col[SPAN_NPAGES] < 0 ||
	    col[SPAN_SPANCLASS] < 0 || col[SPAN_NELEMS] < 0 ||
	    col[SPAN_ALLOCATED] < 0)
		return -EPROTO;
	return 0;
}

/* The span's state and slot size, from its columns or its class. */
static void span_kind(struct gmm_span_info *s, char **w, int n,
		      const int *col, uint64_t elemsize, const struct viz_rec *r)
{
	s->state = s->spanclass >> 1 ? GMM_SPAN_STATE_SMALL :
		   GMM_SPAN_STATE_LARGE;
	if (col[SPAN_STATE] >= 0 && col[SPAN_STATE] < n) {
		if (!strcmp(w[col[SPAN_STATE]], "large"))
			s->state = GMM_SPAN_STATE_LARGE;
		else if (!strcmp(w[col[SPAN_STATE]], "small"))
			s->state = GMM_SPAN_STATE_SMALL;
	}
	if (col[SPAN_ELEMSIZE] >= 0 && elemsize)
		s->elemsize = (uint32_t)elemsize;
	else if (s->state == GMM_SPAN_STATE_LARGE)
		s->elemsize = s->npages * r->page_size;
	else
		s->elemsize = viz_class_size(r, s->spanclass);
	if (s->state == GMM_SPAN_STATE_LARGE && col[SPAN_WHERE] < 0)
		s->where = 2;
}

/* A row of the spans file (@n words) into @s; -EPROTO when it is no span. */
static int span_row(char **w, int n, const int *col, const struct viz_rec *r,
		    struct gmm_span_info *s)
{
	uint64_t v[SPAN_NR_COLS] = { 0 };
	int k;

	for (k = 0; k < SPAN_NR_COLS; k++)
		if (k != SPAN_STATE && col[k] >= 0 &&
		    !word_u64(w, n, col[k], &v[k]) && k <= SPAN_ALLOCATED &&
		    k != SPAN_ELEMSIZE)
			return -EPROTO;
	memset(s, 0, sizeof(*s));
	s->arena = (uint32_t)v[SPAN_ARENA];
	s->first_page = (uint32_t)v[SPAN_PAGE];
	s->npages = (uint32_t)v[SPAN_NPAGES];
	s->spanclass = (uint32_t)v[SPAN_SPANCLASS];
	s->nelems = (uint32_t)v[SPAN_NELEMS];
	s->allocated = (uint32_t)v[SPAN_ALLOCATED];
	s->marked = (uint32_t)v[SPAN_MARKED];
	s->sweepgen = (uint32_t)v[SPAN_SWEEPGEN];
	s->where = (uint32_t)v[SPAN_WHERE];
	s->cpu = (uint32_t)v[SPAN_CPU];
	span_kind(s, w, n, col, v[SPAN_ELEMSIZE], r);
	if (!s->npages || s->allocated > s->nelems || s->marked > s->nelems)
		return -EPROTO;
	return 0;
}

/* The arenas the spans name, in the order they first appear. */
struct arena_ids {
	uint32_t *v;
	uint32_t n, cap;
};

static int add_arena_id(struct arena_ids *ids, uint32_t id)
{
	uint32_t i, *na;

	for (i = 0; i < ids->n && ids->v[i] != id; i++)
		;
	if (i < ids->n)
		return 0;
	if (ids->n == ids->cap) {
		ids->cap = ids->cap ? ids->cap * 2 : 16;
		na = realloc(ids->v, ids->cap * sizeof(*na));
		if (!na)
			return -ENOMEM;
		ids->v = na;
	}
	ids->v[ids->n++] = id;
	return 0;
}

static int add_span(struct viz_frame *f, size_t *cap,
		    const struct gmm_span_info *s)
{
	struct gmm_span_info *ns;

	if (f->nr_spans == *cap) {
		*cap = *cap ? *cap * 2 : 1024;
		ns = realloc(f->spans, *cap * sizeof(*ns));
		if (!ns)
			return -ENOMEM;
		f->spans = ns;
	}
	f->spans[f->nr_spans++] = *s;
	return 0;
}

/*
 * Which columns the frame had; sweepgen relative already, or absolute:
 * made relative to the heap's (params), or to the largest seen.
 */
static void frame_flags(struct viz_frame *f, const int *col, bool small_sg,
			bool have_hsg, uint64_t hsg, uint32_t maxsg)
{
	uint32_t i, h;

	if (col[SPAN_WHERE] >= 0)
		f->flags |= VIZ_FRAME_WHERE;
	if (col[SPAN_MARKED] >= 0)
		f->flags |= VIZ_FRAME_MARKED;
	if (col[SPAN_SWEEPGEN] < 0)
		return;
	f->flags |= VIZ_FRAME_SWEEPGEN;
	if (small_sg && have_hsg) {
		f->sweepgen = (uint32_t)hsg;
		return;
	}
	h = have_hsg ? (uint32_t)hsg : maxsg;
	for (i = 0; i < f->nr_spans; i++)
		f->spans[i].sweepgen = (h - f->spans[i].sweepgen) & 3;
	f->sweepgen = h;
}

/*
 * Arenas: the debugfs file has only spans; an arena's pages are
 * GMM_ARENA pages (512) unless a span says more.
 */
static int frame_arenas(struct viz_frame *f, const struct arena_ids *ids)
{
	uint32_t i, k;

	f->arenas = calloc(ids->n ? ids->n : 1, sizeof(*f->arenas));
	if (!f->arenas)
		return -ENOMEM;
	for (i = 0; i < ids->n; i++) {
		struct gmm_arena_info *a = &f->arenas[i];
		uint32_t used = 0, end = 512;

		a->id = ids->v[i];
		for (k = 0; k < f->nr_spans; k++) {
			const struct gmm_span_info *s = &f->spans[k];

			if (s->arena != a->id)
				continue;
			used += s->npages;
			if (s->first_page + s->npages > end)
				end = s->first_page + s->npages;
		}
		a->npages = end;
		a->free_pages = end - used;
	}
	f->nr_arenas = ids->n;
	return 0;
}

/* The spans' rows into @f; the sweepgen figures for frame_flags(). */
static int span_rows(struct table *t, const int *col, const struct viz_rec *r,
		     struct viz_frame *f, struct arena_ids *ids,
		     bool *small_sg, uint32_t *maxsg)
{
	char *w[TABLE_MAX_COLS];
	size_t cap = 0;
	int n, err = 0;

	while (!err && (n = table_row(t, w))) {
		struct gmm_span_info s;

		err = span_row(w, n, col, r, &s);
		if (!err)
			err = add_span(f, &cap, &s);
		if (!err)
			err = add_arena_id(ids, s.arena);
		if (err)
			break;
		if (s.sweepgen > 3)
			*small_sg = false;
		if (s.sweepgen > *maxsg)
			*maxsg = s.sweepgen;
	}
	return err;
}

int dbg_frame(const char *dir, const struct viz_rec *r, struct viz_frame *f)
{
	struct arena_ids ids = { 0 };
	bool have_hsg, small_sg = true;
	char *params = NULL;
	uint32_t maxsg = 0;
	int col[SPAN_NR_COLS], err;
	uint64_t hsg = 0;
	struct table t;

	memset(f, 0, sizeof(*f));
	err = dbg_sample(dir, &f->st);
	if (err)
		return err;
	f->phase = f->st.phase;
	f->num_gc = f->st.num_gc;
	if (dbg_read_file(dir, "params", &params))
		params = NULL;
	have_hsg = kv_u64(params, "sweepgen", &hsg);
	free(params);

	err = table_open(&t, dir, "spans");
	if (err)
		return err;
	err = span_columns(&t, col);
	if (!err)
		err = span_rows(&t, col, r, f, &ids, &small_sg, &maxsg);
	if (!err) {
		frame_flags(f, col, small_sg, have_hsg, hsg, maxsg);
		err = frame_arenas(f, &ids);
	}
	free(ids.v);
	table_close(&t);
	if (err)
		viz_frame_free(f);
	return err;
}
