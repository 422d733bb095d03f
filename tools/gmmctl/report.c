// SPDX-License-Identifier: GPL-2.0
/*
 * report.c - how gmmctl prints what the kernel reports: MemStats and the
 * collector's figures (GMM_IOC_STATS), the per-size-class table, gctrace
 * lines (GMM_IOC_CYCLES) and the span picture (GMM_IOC_SPANS), as text or
 * JSON.  Every number printed here is a field of an ioctl's answer or
 * arithmetic on such fields.
 */
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "gmmctl.h"

#define B(x)	fmt_bytes(b1, sizeof(b1), (x))

const char *gc_phase_name(uint32_t phase)
{
	switch (phase) {
	case GMM_GC_PHASE_OFF:
		return "off";
	case GMM_GC_PHASE_MARK:
		return "mark";
	case GMM_GC_PHASE_MARKTERM:
		return "mark termination";
	default:
		return "?";
	}
}

static void row_bytes(FILE *f, const char *name, uint64_t v, const char *what)
{
	char b1[32];

	fprintf(f, "  %-13s %11s %12llu  %s\n", name, B(v), ULL(v), what);
}

static void row_count(FILE *f, const char *name, uint64_t v, const char *what)
{
	fprintf(f, "  %-13s %11llu %12s  %s\n", name, ULL(v), "", what);
}

void print_memstats(FILE *f, const struct gmm_stats *st)
{
	fprintf(f, "MemStats%*s%12s\n", 27, "", "bytes");
	row_bytes(f, "HeapAlloc", st->heap_alloc, "in allocated objects");
	row_bytes(f, "HeapSys", st->heap_sys, "of arenas taken from the page allocator");
	row_bytes(f, "HeapInuse", st->heap_inuse, "of arenas in spans");
	row_bytes(f, "HeapIdle", st->heap_idle, "of arenas in no span");
	row_bytes(f, "HeapReleased", st->heap_released,
		  "given back to the page allocator, all time");
	row_bytes(f, "TotalAlloc", st->total_alloc, "allocated, all time");
	row_count(f, "HeapObjects", st->heap_objects, "objects allocated and not yet freed");
	row_count(f, "Mallocs", st->mallocs, "objects allocated, all time");
	row_count(f, "Frees", st->frees, "objects freed by sweeping, all time");
}

void print_gcstats(FILE *f, const struct gmm_stats *st)
{
	char b1[32], b2[32], b3[32];
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	double share = 0;

	if (ncpu < 1)
		ncpu = 1;
	if (st->uptime_ns)
		share = 100.0 * (double)st->gc_cpu_ns /
			((double)st->uptime_ns * (double)ncpu);
	fprintf(f, "Collector\n");
	fprintf(f, "  %-13s %11llu %12s  cycles completed, %llu"
		" of them forced (GMM_OP_GC)\n", "NumGC", st->num_gc, "",
		st->num_forced_gc);
	if (st->gc_percent < 0)
		fprintf(f, "  %-13s %11s %12s  collection off\n", "GOGC", "off", "");
	else
		fprintf(f, "  %-13s %11d %12s  goal = live heap x (1 + GOGC/100)\n",
			"GOGC", st->gc_percent, "");
	fprintf(f, "  %-13s %11s %12s  now\n", "Phase",
		gc_phase_name(st->phase), "");
	row_bytes(f, "HeapLive", st->heap_live, "the pacer's live heap (allocated since the last mark + marked)");
	row_bytes(f, "HeapMarked", st->heap_marked, "marked (reachable) by the last cycle");
	row_bytes(f, "NextGC", st->next_gc, "heap goal of the next cycle");
	row_bytes(f, "Trigger", st->trigger, "HeapLive at which the next cycle starts");
	fprintf(f, "  %-13s %11s %12s  stop-the-world, all cycles\n",
		"PauseTotal", fmt_ns(b1, sizeof(b1), st->pause_total_ns), "");
	fprintf(f, "  %-13s %11s %12s  longest pause\n", "PauseMax",
		fmt_ns(b1, sizeof(b1), st->pause_max_ns), "");
	fprintf(f, "  %-13s %11s %12s  latest pause\n", "LastPause",
		fmt_ns(b1, sizeof(b1), st->last_pause_ns), "");
	fprintf(f, "  %-13s %11s %12s  %.2f%% of %ld CPUs over the heap's %s\n",
		"GCCPU", fmt_ns(b2, sizeof(b2), st->gc_cpu_ns), "", share, ncpu,
		fmt_ns(b3, sizeof(b3), st->uptime_ns));
	row_count(f, "Handles", st->handles, "handles this file holds (roots)");
	row_count(f, "Types", st->types, "types registered");
}

void print_classes(FILE *f, const struct gmm_class_info *cl, uint32_t n,
		   bool all)
{
	uint32_t i;

	fprintf(f, "Size classes%s\n", all ? "" : " (those used)");
	fprintf(f, "  %5s %7s %12s %12s %10s %6s\n", "class", "size",
		"mallocs", "frees", "live", "spans");
	for (i = 0; i < n; i++) {
		if (!all && !cl[i].mallocs && !cl[i].spans)
			continue;
		if (i == 0)
			fprintf(f, "  %5u %7s", i, "large");
		else
			fprintf(f, "  %5u %7u", i, cl[i].size);
		fprintf(f, " %12llu %12llu %10llu %6llu"
			"\n", cl[i].mallocs, cl[i].frees,
			cl[i].mallocs - cl[i].frees, cl[i].spans);
	}
}

/* x.yyy ms */
static void ms(FILE *f, uint64_t ns)
{
	fprintf(f, "%llu.%03llu", ULL(ns / 1000000), ULL(ns / 1000 % 1000));
}

/* x.y MB, as the kernel's gctrace prints it (MiB really, like Go's). */
static void mb(FILE *f, uint64_t b)
{
	fprintf(f, "%llu.%llu", ULL(b >> 20), ULL(((b >> 10) & 1023) * 10 / 1024));
}

void print_cycle(FILE *f, const struct gmm_cycle_info *c)
{
	fprintf(f, "gc %llu @%llu.%03llus: ", c->num,
		c->start_ns / 1000000000, c->start_ns / 1000000 % 1000);
	ms(f, c->stw1_ns);
	fputc('+', f);
	ms(f, c->mark_ns);
	fputc('+', f);
	ms(f, c->stw2_ns);
	fputs(" ms clock, ", f);
	ms(f, c->stw1_ns);
	fputc('+', f);
	ms(f, c->assist_ns);
	fputc('/', f);
	ms(f, c->bg_ns);
	fputs("/0+", f);
	ms(f, c->stw2_ns);
	fputs(" ms cpu, ", f);
	mb(f, c->heap0);
	fputs("->", f);
	mb(f, c->heap1);
	fputs("->", f);
	mb(f, c->heap2);
	fputs(" MB, ", f);
	mb(f, c->goal);
	fprintf(f, " MB goal%s\n", c->flags & GMM_CYCLE_FORCED ? " (forced)" : "");
}

void print_cycle_legend(FILE *f)
{
	fputs("  gc N @T: cycle N started T seconds after the heap was made;\n"
	      "  A+B+C ms clock: stop-the-world 1 (sweep termination, roots) +\n"
	      "    concurrent mark + stop-the-world 2 (mark termination);\n"
	      "  A+assist/background/0+C ms cpu: CPU time of the pauses, of\n"
	      "    allocating threads made to help marking, of the GC thread;\n"
	      "  X->Y->Z MB: heap at the start -> at mark end -> marked (live);\n"
	      "  G MB goal: where the pacer wanted the cycle to end.\n", f);
}

static const char *where_name(const struct gmm_span_info *s, char *buf,
			      size_t n)
{
	switch (s->where) {
	case 0:
		return "central";
	case 1:
		snprintf(buf, n, "cpu%u", s->cpu);
		return buf;
	case 2:
		return "large";
	default:
		return "?";
	}
}

static const char *sweep_name(uint32_t sg)
{
	switch (sg) {
	case 0:
		return "swept";
	case 1:
		return "sweeping";
	case 2:
		return "unswept";
	default:
		return "?";
	}
}

void print_spans(FILE *f, const struct gmm_spans *sp,
		 const struct gmm_arena_info *arenas,
		 const struct gmm_span_info *spans)
{
	char b1[32], w[16];
	uint32_t i;

	fprintf(f, "Heap: %u arena%s, %u span%s; phase %s, sweepgen %u, "
		"%llu cycles\n", sp->nr_arenas,
		sp->nr_arenas == 1 ? "" : "s", sp->nr_spans,
		sp->nr_spans == 1 ? "" : "s", gc_phase_name(sp->phase),
		sp->sweepgen, sp->num_gc);
	for (i = 0; i < sp->nr_arenas; i++)
		fprintf(f, "  arena %u: %u pages (%s), %u free\n", arenas[i].id,
			arenas[i].npages, B((uint64_t)arenas[i].npages * 8192),
			arenas[i].free_pages);
	if (!sp->nr_spans)
		return;
	fprintf(f, "  %5s %5s %5s %5s %6s %7s %5s %5s %6s %8s %7s\n", "arena",
		"page", "pages", "class", "kind", "slot", "slots", "alloc",
		"marked", "sweep", "where");
	for (i = 0; i < sp->nr_spans; i++) {
		const struct gmm_span_info *s = &spans[i];

		fprintf(f, "  %5u %5u %5u %5u %6s %7u %5u %5u %6u %8s %7s\n",
			s->arena, s->first_page, s->npages, s->spanclass >> 1,
			s->spanclass & 1 ? "noscan" : "scan", s->elemsize,
			s->nelems, s->allocated, s->marked,
			sweep_name(s->sweepgen), where_name(s, w, sizeof(w)));
	}
}

void json_memstats(struct json *j, const char *key, const struct gmm_stats *st)
{
	json_obj_begin(j, key);
	json_u64(j, "heap_alloc", st->heap_alloc);
	json_u64(j, "heap_sys", st->heap_sys);
	json_u64(j, "heap_idle", st->heap_idle);
	json_u64(j, "heap_inuse", st->heap_inuse);
	json_u64(j, "heap_released", st->heap_released);
	json_u64(j, "heap_objects", st->heap_objects);
	json_u64(j, "mallocs", st->mallocs);
	json_u64(j, "frees", st->frees);
	json_u64(j, "total_alloc", st->total_alloc);
	json_u64(j, "num_gc", st->num_gc);
	json_u64(j, "num_forced_gc", st->num_forced_gc);
	json_u64(j, "pause_total_ns", st->pause_total_ns);
	json_u64(j, "pause_max_ns", st->pause_max_ns);
	json_u64(j, "last_pause_ns", st->last_pause_ns);
	json_u64(j, "heap_live", st->heap_live);
	json_u64(j, "heap_marked", st->heap_marked);
	json_u64(j, "next_gc", st->next_gc);
	json_u64(j, "trigger", st->trigger);
	json_u64(j, "gc_cpu_ns", st->gc_cpu_ns);
	json_u64(j, "uptime_ns", st->uptime_ns);
	json_u64(j, "handles", st->handles);
	json_u64(j, "types", st->types);
	json_i64(j, "gc_percent", st->gc_percent);
	json_str(j, "phase", gc_phase_name(st->phase));
	json_obj_end(j);
}

void json_classes(struct json *j, const char *key,
		  const struct gmm_class_info *cl, uint32_t n, bool all)
{
	uint32_t i;

	json_arr_begin(j, key);
	for (i = 0; i < n; i++) {
		if (!all && !cl[i].mallocs && !cl[i].spans)
			continue;
		json_obj_begin(j, NULL);
		json_u64(j, "class", i);
		json_u64(j, "size", cl[i].size);
		json_u64(j, "mallocs", cl[i].mallocs);
		json_u64(j, "frees", cl[i].frees);
		json_u64(j, "spans", cl[i].spans);
		json_obj_end(j);
	}
	json_arr_end(j);
}

void json_cycle(struct json *j, const char *key, const struct gmm_cycle_info *c)
{
	json_obj_begin(j, key);
	json_u64(j, "num", c->num);
	json_bool(j, "forced", c->flags & GMM_CYCLE_FORCED);
	json_cycle_fields(j, c);
	json_obj_end(j);
}

void json_cycle_fields(struct json *j, const struct gmm_cycle_info *c)
{
	json_u64(j, "start_ns", c->start_ns);
	json_u64(j, "stw1_ns", c->stw1_ns);
	json_u64(j, "mark_ns", c->mark_ns);
	json_u64(j, "stw2_ns", c->stw2_ns);
	json_u64(j, "heap0", c->heap0);
	json_u64(j, "heap1", c->heap1);
	json_u64(j, "heap2", c->heap2);
	json_u64(j, "goal", c->goal);
	json_u64(j, "assist_bytes", c->assist_bytes);
	json_u64(j, "bg_bytes", c->bg_bytes);
	json_u64(j, "root_ns", c->root_ns);
	json_u64(j, "assist_ns", c->assist_ns);
	json_u64(j, "bg_ns", c->bg_ns);
}

void json_spans(struct json *j, const char *key, const struct gmm_spans *sp,
		const struct gmm_arena_info *arenas,
		const struct gmm_span_info *spans)
{
	uint32_t i;

	json_obj_begin(j, key);
	json_str(j, "phase", gc_phase_name(sp->phase));
	json_u64(j, "sweepgen", sp->sweepgen);
	json_u64(j, "num_gc", sp->num_gc);
	json_arr_begin(j, "arenas");
	for (i = 0; i < sp->nr_arenas; i++) {
		json_obj_begin(j, NULL);
		json_u64(j, "id", arenas[i].id);
		json_u64(j, "npages", arenas[i].npages);
		json_u64(j, "free_pages", arenas[i].free_pages);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_arr_begin(j, "spans");
	for (i = 0; i < sp->nr_spans; i++) {
		const struct gmm_span_info *s = &spans[i];
		char w[16];

		json_obj_begin(j, NULL);
		json_u64(j, "arena", s->arena);
		json_u64(j, "first_page", s->first_page);
		json_u64(j, "npages", s->npages);
		json_u64(j, "class", s->spanclass >> 1);
		json_bool(j, "noscan", s->spanclass & 1);
		json_u64(j, "elemsize", s->elemsize);
		json_u64(j, "nelems", s->nelems);
		json_u64(j, "allocated", s->allocated);
		json_u64(j, "marked", s->marked);
		json_str(j, "sweep", sweep_name(s->sweepgen));
		json_str(j, "where", where_name(s, w, sizeof(w)));
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

int report_stats(struct gmm *g, FILE *f, bool classes, bool all_classes)
{
	struct gmm_class_info cl[128];
	struct gmm_stats st;
	int err;

	err = gmm_stats(g, &st, classes ? cl : NULL, classes ? 128 : 0);
	if (err)
		return err;
	if (opts.json) {
		struct json j;

		json_init(&j, f);
		json_obj_begin(&j, NULL);
		json_memstats(&j, "stats", &st);
		if (classes)
			json_classes(&j, "classes", cl, st.nr_classes, all_classes);
		json_obj_end(&j);
		return 0;
	}
	print_memstats(f, &st);
	print_gcstats(f, &st);
	if (classes)
		print_classes(f, cl, st.nr_classes, all_classes);
	return 0;
}

int report_cycles(struct gmm *g, FILE *f, uint64_t since)
{
	struct gmm_cycle_info c[32];
	uint32_t n, i;
	uint64_t num;
	int err;

	err = gmm_cycles(g, c, 32, &n, &num);
	if (err)
		return err;
	if (opts.json) {
		struct json j;

		json_init(&j, f);
		json_obj_begin(&j, NULL);
		json_u64(&j, "num_gc", num);
		json_arr_begin(&j, "cycles");
		for (i = 0; i < n; i++)
			if (c[i].num > since)
				json_cycle(&j, NULL, &c[i]);
		json_arr_end(&j);
		json_obj_end(&j);
		return 0;
	}
	if (n && c[0].num > since + 1)
		fprintf(f, "(cycles %llu..%llu are no longer in "
			"the heap's log of the last 32)\n", ULL(since + 1),
			ULL(c[0].num - 1));
	for (i = 0; i < n; i++)
		if (c[i].num > since)
			print_cycle(f, &c[i]);
	return 0;
}
