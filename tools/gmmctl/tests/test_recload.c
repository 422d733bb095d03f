// SPDX-License-Identifier: GPL-2.0
/*
 * test_recload.c - unit test of gmmctl's recording reader (recload.c) and
 * its JSON reader (jsonread.c), run by tools/gmmctl/tests/test-pictures.sh:
 *
 *   test_recload TINY.json
 *
 * TINY.json is the hand-made recording next to this file; every value
 * checked below is written in it.  Then broken recordings, made here,
 * must be refused with the line that is wrong.  Prints one "ok"/"not ok"
 * line per check (TAP) and exits 1 when any failed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../viz/jsonread.h"
#include "../viz/viz.h"

static int failed, count;

static void ok(int cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	count++;
	printf("%s %d - ", cond ? "ok" : "not ok", count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond)
		failed++;
}

static int load_text(const char *text, struct viz_rec *r, char *err,
		     size_t errlen)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret;

	if (!f)
		return -1;
	viz_rec_init(r);
	ret = viz_rec_load_file(f, r, err, errlen);
	fclose(f);
	return ret;
}

#define META "{\"type\": \"meta\", \"version\": 1, \"class_sizes\": [0, 8]}\n"
#define COLS "\"arena_columns\": [\"id\", \"npages\"], \"span_columns\": " \
	"[\"arena\", \"page\", \"npages\", \"spanclass\", \"nelems\", \"allocated\"]"

/* Broken recordings: each must fail, naming line @line. */
static void refuse(const char *what, const char *text, int line)
{
	char err[256], want[32];
	struct viz_rec r;
	int ret;

	ret = load_text(text, &r, err, sizeof(err));
	snprintf(want, sizeof(want), "line %d:", line);
	ok(ret != 0 && !strncmp(err, want, strlen(want)),
	   "refused: %s (%s)", what, ret ? err : "accepted");
	viz_rec_free(&r);
}

static void test_json(void)
{
	static const char *const bad[] = {
		"[1, 2,]", "{\"a\": 1,}", "01", "1.", "-", "\"abc", "{\"a\" 1}",
		"[1] 2", "tru", "\"\\x\"", "\"\\ud800\"", "\"a\tb\"", "",
	};
	static const char good[] = "{\"s\": \"a\\\"b\\u00e9\\ud83d\\ude00\", "
		"\"big\": 18446744073709551615, \"neg\": -42, \"f\": 1.5e3, "
		"\"a\": [true, false, null]}";
	char deep[200], err[128];
	struct jv v;
	uint64_t u;
	int64_t i;
	size_t k;

	ok(!jv_parse(good, strlen(good), &v, err, sizeof(err)),
	   "json: a valid object parses (%s)", err);
	ok(jv_get_str(&v, "s") &&
	   !strcmp(jv_get_str(&v, "s"), "a\"b\xc3\xa9\xf0\x9f\x98\x80"),
	   "json: escapes and surrogate pairs decode to UTF-8");
	ok(jv_get_u64(&v, "big", &u) && u == UINT64_MAX,
	   "json: 2^64-1 is kept exactly");
	ok(jv_i64(jv_get(&v, "neg"), &i) && i == -42 &&
	   !jv_get_u64(&v, "neg", &u), "json: -42 is signed, not unsigned");
	ok(jv_get(&v, "f") && jv_get(&v, "f")->d == 1500 &&
	   !jv_get_u64(&v, "f", &u), "json: 1.5e3 is a number, not an integer");
	ok(jv_get(&v, "a") && jv_get(&v, "a")->n == 3 &&
	   jv_get(&v, "a")->v[2].type == JV_NULL, "json: arrays");
	jv_free(&v);
	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		int ret = jv_parse(bad[k], strlen(bad[k]), &v, err, sizeof(err));

		ok(ret != 0, "json: refuses '%s' (%s)", bad[k], ret ? err : "accepted");
		if (!ret)
			jv_free(&v);
	}
	memset(deep, '[', 100);
	memset(deep + 100, ']', 100);
	ok(jv_parse(deep, 200, &v, err, sizeof(err)) != 0,
	   "json: refuses nesting 100 deep (%s)", err);
}

/* The meta line and the samples of TINY.json. */
static void check_meta_samples(const struct viz_rec *r)
{
	ok(!strcmp(r->source, "dev") && !strcmp(r->heap, "pid42") &&
	   !strcmp(r->time_base, "heap") && r->page_size == 8192 &&
	   r->interval_ms == 10 && r->map_every == 2,
	   "meta: source, heap, time base, page size, interval, map_every");
	ok(r->num_classes == 6 && r->class_size[5] == 48,
	   "meta: 6 class sizes, class 5 is 48 B");
	ok(r->nr_samples == 2, "2 samples (the unknown line type skipped): %zu",
	   r->nr_samples);
	ok(r->samples[0].t_ns == 1000000 && r->samples[0].heap_inuse == 16384 &&
	   r->samples[0].next_gc == 4194304 && r->samples[0].gc_percent == 100 &&
	   r->samples[0].have == (VIZ_HAVE_ALLOC | VIZ_HAVE_PACER |
				  VIZ_HAVE_MARKED | VIZ_HAVE_GC |
				  VIZ_HAVE_GCCPU | VIZ_HAVE_PERCENT),
	   "sample 0: values and every field present");
	ok(r->samples[1].phase == 1 && r->samples[1].num_gc == 1 &&
	   r->samples[1].have == (VIZ_HAVE_ALLOC | VIZ_HAVE_GC),
	   "sample 1: only the fields it has (have=%#x)", r->samples[1].have);
	ok(r->nr_frames == 2, "2 frames: %zu", r->nr_frames);
}

/* Its frames: every column, then only some, named in another order. */
static void check_frames(const struct viz_rec *r)
{
	const struct viz_frame *f = &r->frames[0];
	const struct gmm_span_info *s;

	ok(f->index == 0 && !strcmp(f->why, "mark") && f->phase == 1 &&
	   f->num_gc == 1 && f->sweepgen == 4 && f->st.t_ns == 2000001,
	   "frame 0: index, why, phase, cycle, sweepgen, time");
	ok(f->nr_arenas == 2 && f->arenas[1].id == 3 &&
	   f->arenas[1].npages == 64 && f->arenas[1].free_pages == 62,
	   "frame 0: arenas");
	ok(f->nr_spans == 4 && f->flags == (VIZ_FRAME_WHERE |
					    VIZ_FRAME_SWEEPGEN |
					    VIZ_FRAME_MARKED),
	   "frame 0: 4 spans, all columns (flags %#x)", f->flags);
	s = &f->spans[0];
	ok(s->arena == 0 && s->first_page == 0 && s->npages == 1 &&
	   s->spanclass == 4 && s->elemsize == 16 && s->nelems == 512 &&
	   s->allocated == 100 && s->marked == 40 && s->where == 1 &&
	   s->cpu == 1, "frame 0 span 0: every column");
	ok(f->spans[1].sweepgen == 2 && f->spans[2].state == GMM_SPAN_STATE_LARGE &&
	   f->spans[2].elemsize == 40960 && f->spans[3].arena == 3,
	   "frame 0 spans 1-3: unswept, large, other arena");

	f = &r->frames[1];
	ok(f->index == 1 && !strcmp(f->why, "last") && f->flags == 0,
	   "frame 1: index from its place, no optional columns");
	ok(f->nr_arenas == 1 && f->arenas[0].id == 7 && f->arenas[0].npages == 512,
	   "frame 1: arena columns read by name, not position");
	s = &f->spans[0];
	ok(s->arena == 7 && s->first_page == 0 && s->spanclass == 6 &&
	   s->elemsize == 24 && s->nelems == 341 && s->allocated == 3 &&
	   s->state == GMM_SPAN_STATE_SMALL,
	   "frame 1 span 0: elemsize from class_sizes (24), state small");
	s = &f->spans[1];
	ok(s->spanclass == 0 && s->elemsize == 4 * 8192 &&
	   s->state == GMM_SPAN_STATE_LARGE,
	   "frame 1 span 1: large, elemsize = its pages (32 KiB)");
}

/* Its cycles and end line. */
static void check_cycles(const struct viz_rec *r)
{
	ok(r->nr_cycles == 2 && r->cycles[0].num == 1 && r->cycles[1].num == 2,
	   "cycles: sorted by number, the duplicate of 2 dropped");
	ok(r->cycles[1].start_ns == 2500000 && r->cycles[1].flags == GMM_CYCLE_FORCED &&
	   r->cycles[1].mark_ns == 200000 && r->cycles[1].assist_ns == 20000 &&
	   r->cycles[0].goal == 4194304,
	   "cycles: values, forced flag");
	ok(r->ended && r->cycles_lost == 3, "end line: cycles_lost 3");
}

/* Broken recordings, made here: each refused at the line that is wrong. */
static void test_broken(void)
{
	static const char cut[] = META
		"{\"type\": \"sample\", \"t_ns\": 5}\n"
		"{\"type\": \"sample\", \"t_ns\": 6, \"heap_al";
	struct viz_rec r;
	char err[256];
	int ret;

	ret = load_text(cut, &r, err, sizeof(err));
	ok(!ret && r.nr_samples == 1 && r.truncated && !r.ended,
	   "a last line cut short is dropped, the rest kept (%s)",
	   ret ? err : "");
	viz_rec_free(&r);
	refuse("a line cut short in the middle", META
	       "{\"type\": \"sample\", \"t_ns\": 6, \"heap_al\n"
	       "{\"type\": \"sample\", \"t_ns\": 5}\n", 2);
	refuse("not a recording", "{\"type\": \"sample\", \"t_ns\": 1}\n", 1);
	refuse("empty file", "", 1);
	refuse("newer version", "{\"type\": \"meta\", \"version\": 99}\n", 1);
	refuse("not JSON", META "{\"type\": \"sample\", \"t_ns\": 1}\n{oops}\n", 3);
	refuse("sample without t_ns", META "{\"type\": \"sample\"}\n", 2);
	refuse("negative size", META "{\"type\": \"sample\", \"t_ns\": 1, "
	       "\"heap_alloc\": -5}\n", 2);
	refuse("phase 7", META "{\"type\": \"sample\", \"t_ns\": 1, \"phase\": 7}\n", 2);
	refuse("second meta", META META, 2);
	refuse("frame without spans", META "{\"type\": \"frame\", \"t_ns\": 1, "
	       "\"arenas\": []}\n", 2);
	refuse("more allocated than slots", META "{\"type\": \"frame\", "
	       "\"t_ns\": 1, " COLS ", \"arenas\": [[0, 512]], \"spans\": "
	       "[[0, 0, 1, 2, 10, 11]]}\n", 2);
	refuse("short span row", META "{\"type\": \"frame\", \"t_ns\": 1, " COLS
	       ", \"arenas\": [[0, 512]], \"spans\": [[0, 0, 1]]}\n", 2);
	refuse("span columns lack npages", META "{\"type\": \"frame\", "
	       "\"t_ns\": 1, \"arena_columns\": [\"id\", \"npages\"], "
	       "\"span_columns\": [\"arena\", \"page\"], \"arenas\": [], "
	       "\"spans\": []}\n", 2);
	refuse("arena of 0 pages", META "{\"type\": \"frame\", \"t_ns\": 1, "
	       COLS ", \"arenas\": [[0, 0]], \"spans\": []}\n", 2);
	refuse("cycle without num", META "{\"type\": \"cycle\", \"start_ns\": 1}\n", 2);
	refuse("no type", META "{\"t_ns\": 1}\n", 2);
}

int main(int argc, char **argv)
{
	struct viz_rec r;
	char err[256];
	int ret;

	if (argc != 2) {
		fprintf(stderr, "usage: test_recload TINY.json\n");
		return 2;
	}
	test_json();

	viz_rec_init(&r);
	ret = viz_rec_load(argv[1], &r, err, sizeof(err));
	ok(!ret, "the hand-made recording loads (%s)", ret ? err : "");
	if (ret) {
		printf("1..%d\n", count);
		return 1;
	}
	check_meta_samples(&r);
	check_frames(&r);
	check_cycles(&r);
	viz_rec_free(&r);
	test_broken();

	printf("1..%d\n", count);
	if (failed)
		printf("# %d of %d checks failed\n", failed, count);
	return failed ? 1 : 0;
}
