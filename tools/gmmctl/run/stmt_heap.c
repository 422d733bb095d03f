// SPDX-License-Identifier: GPL-2.0
/*
 * stmt_heap.c - the statements of `gmmctl run` on the heap as a whole:
 *
 *   gc [N]                  N full collections: gctrace lines, objects freed
 *   stats [full|classes]    statistics (GMM_IOC_STATS)
 *   spans                   arenas and spans (GMM_IOC_SPANS)
 *   cycles                  the recent gctrace lines (GMM_IOC_CYCLES)
 *   params [gc_percent=N|off] [memory_limit=SIZE]
 *
 * Each one a parse/exec pair of the table in statements.c.
 */
#include <stdlib.h>
#include <string.h>

#include "run.h"

int parse_gc(struct parser *p, struct stmt *st, struct token *t, int n)
{
	if (expect_words(p, t, n, 1, 2, "gc [COUNT]"))
		return -1;
	st->n = 1;
	return n == 2 ? num_arg(p, &t[1], "count", 1, 1000, &st->n) : 0;
}

/* The cycles after sc->cycles_seen as a JSON line. */
static int gc_json(struct script *sc, const struct stmt *st,
		   const struct gmm_stats *before,
		   const struct gmm_stats *after, struct fail *f)
{
	struct gmm_cycle_info c[32];
	uint32_t n, k;
	int err;

	err = gmm_cycles(sc->g, c, 32, &n, NULL);
	if (err)
		return kfail(f, err, "GMM_IOC_CYCLES", NULL);
	out_line(sc, st);
	json_arr_begin(&sc->j, "gc");
	for (k = 0; k < n; k++)
		if (c[k].num > sc->cycles_seen)
			json_cycle(&sc->j, NULL, &c[k]);
	json_arr_end(&sc->j);
	json_u64(&sc->j, "freed", after->frees - before->frees);
	json_u64(&sc->j, "heap_objects", after->heap_objects);
	json_obj_end(&sc->j);
	return 0;
}

int exec_gc(struct script *sc, const struct stmt *st, struct fail *f)
{
	struct gmm_stats before, after;
	uint64_t i, num = 0, freed;
	int err;

	if (sc->step_objects)
		return exec_gc_stepped(sc, st, f);
	err = gmm_stats(sc->g, &before, NULL, 0);
	if (err)
		return kfail(f, err, "GMM_IOC_STATS", NULL);
	for (i = 0; i < st->n; i++) {
		err = gmm_collect(sc->g, &num);
		if (err)
			return kfail(f, err, "gc (GMM_OP_GC)", NULL);
	}
	err = gmm_stats(sc->g, &after, NULL, 0);
	if (err)
		return kfail(f, err, "GMM_IOC_STATS", NULL);
	freed = after.frees - before.frees;
	if (opts.json) {
		if (gc_json(sc, st, &before, &after, f))
			return -1;
	} else {
		err = report_cycles(sc->g, stdout, sc->cycles_seen);
		if (err)
			return kfail(f, err, "GMM_IOC_CYCLES", NULL);
		printf("  freed %llu object%s; %llu live\n", ULL(freed),
		       freed == 1 ? "" : "s", ULL(after.heap_objects));
	}
	sc->cycles_seen = after.num_gc;
	return 0;
}

int parse_stats(struct parser *p, struct stmt *st, struct token *t, int n)
{
	if (expect_words(p, t, n, 1, 2, "stats [full|classes]"))
		return -1;
	if (n < 2)
		return 0;
	if (!strcmp(t[1].s, "full"))
		st->mode = 1;
	else if (!strcmp(t[1].s, "classes"))
		st->mode = 2;
	else
		return perr(p, t[1].col, "stats takes full or classes, not '%s'", t[1].s), -1;
	return 0;
}

int exec_stats(struct script *sc, const struct stmt *st, struct fail *f)
{
	struct gmm_class_info cl[128];
	struct gmm_stats s;
	char b1[32], b2[32];
	int err;

	err = gmm_stats(sc->g, &s, st->mode == 2 ? cl : NULL, st->mode == 2 ? 128 : 0);
	if (err)
		return kfail(f, err, "GMM_IOC_STATS", NULL);
	if (opts.json) {
		out_line(sc, st);
		json_memstats(&sc->j, "stats", &s);
		if (st->mode == 2)
			json_classes(&sc->j, "classes", cl, s.nr_classes, false);
		json_obj_end(&sc->j);
		return 0;
	}
	if (st->mode == 0) {
		printf("stats: %llu objects (%s), heap %s, %llu"
		       " cycles, %llu handles, next GC at %s\n",
		       s.heap_objects, fmt_bytes(b1, sizeof(b1), s.heap_alloc),
		       fmt_bytes(b2, sizeof(b2), s.heap_sys), s.num_gc, s.handles,
		       fmt_bytes(b2, sizeof(b2), s.next_gc));
		return 0;
	}
	print_memstats(stdout, &s);
	print_gcstats(stdout, &s);
	if (st->mode == 2)
		print_classes(stdout, cl, s.nr_classes, false);
	return 0;
}

/* A statement that is one word: spans, cycles. */
int parse_bare(struct parser *p, struct stmt *st, struct token *t, int n)
{
	(void)st;
	return expect_words(p, t, n, 1, 1, t[0].s);
}

int exec_spans(struct script *sc, const struct stmt *st, struct fail *f)
{
	struct gmm_arena_info *arenas;
	struct gmm_span_info *spans;
	struct gmm_spans sp;
	int err;

	err = gmm_spans_alloc(sc->g, &sp, &arenas, &spans);
	if (err)
		return kfail(f, err, "GMM_IOC_SPANS", NULL);
	if (opts.json) {
		out_line(sc, st);
		json_spans(&sc->j, "spans", &sp, arenas, spans);
		json_obj_end(&sc->j);
	} else {
		print_spans(stdout, &sp, arenas, spans);
	}
	free(arenas);
	free(spans);
	return 0;
}

int exec_cycles(struct script *sc, const struct stmt *st, struct fail *f)
{
	uint64_t seen;
	uint32_t n;
	int err;

	(void)st;
	if (!opts.json)
		print_cycle_legend(stdout);
	err = report_cycles(sc->g, stdout, 0);
	if (err)
		return kfail(f, err, "GMM_IOC_CYCLES", NULL);
	err = gmm_cycles(sc->g, NULL, 0, &n, &seen);
	if (!err)
		sc->cycles_seen = seen;
	return 0;
}

int parse_params(struct parser *p, struct stmt *st, struct token *t, int n)
{
	const char *v;
	int i;

	for (i = 1; i < n; i++) {
		if ((v = kv(&t[i], "gc_percent"))) {
			if (parse_gc_percent(v, &st->gc_percent))
				return perr(p, t[i].col, "gc_percent: '%s' is not 1..10000 or off", v), -1;
			st->set_gc = true;
		} else if ((v = kv(&t[i], "memory_limit"))) {
			if (parse_size(v, &st->limit))
				return perr(p, t[i].col, "memory_limit: '%s' is not a size (4096, 64MiB, 1G)", v), -1;
			st->set_limit = true;
		} else {
			return perr(p, t[i].col, "params takes gc_percent=N|off and memory_limit=SIZE"), -1;
		}
	}
	return 0;
}

static int set_params(struct script *sc, const struct stmt *st,
		      struct fail *f)
{
	int err;

	if (st->set_gc) {
		err = gmm_set_gc_percent(sc->g, st->gc_percent);
		if (err)
			return kfail(f, err, "params gc_percent (GMM_IOC_PARAMS)", NULL);
	}
	if (st->set_limit) {
		err = gmm_set_memory_limit(sc->g, st->limit);
		if (err)
			return kfail(f, err, "params memory_limit (GMM_IOC_PARAMS)", NULL);
	}
	return 0;
}

int exec_params(struct script *sc, const struct stmt *st, struct fail *f)
{
	struct gmm_params p;
	char b1[32], b2[32];
	int err;

	if (set_params(sc, st, f))
		return -1;
	err = gmm_get_params(sc->g, &p);
	if (err)
		return kfail(f, err, "params (GMM_IOC_PARAMS)", NULL);
	if ((st->set_gc || st->set_limit) && !sc->verbose)
		return 0;
	if (opts.json) {
		out_line(sc, st);
		json_i64(&sc->j, "gc_percent", p.gc_percent);
		json_u64(&sc->j, "memory_limit", p.memory_limit);
		json_u64(&sc->j, "total_limit", p.total_limit);
		json_obj_end(&sc->j);
		return 0;
	}
	printf("params: gc_percent %d%s, memory_limit %s, total_limit %s\n",
	       p.gc_percent, p.gc_percent < 0 ? " (off)" : "",
	       p.memory_limit ? fmt_bytes(b1, sizeof(b1), p.memory_limit) : "none",
	       p.total_limit ? fmt_bytes(b2, sizeof(b2), p.total_limit) : "none");
	return 0;
}
