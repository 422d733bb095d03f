// SPDX-License-Identifier: GPL-2.0
/*
 * recwrite.c - the writer of gmmctl's recordings: JSON Lines, one object
 * a line, of the types meta, sample, frame, cycle and end (recload.c
 * lists their fields and reads them back).
 */
#include <time.h>

#include "record.h"

void rec_write_meta(struct json *j, const struct viz_rec *r)
{
	uint32_t i;

	json_obj_begin(j, NULL);
	json_str(j, "type", "meta");
	json_u64(j, "version", VIZ_RECORD_VERSION);
	json_str(j, "source", r->source);
	json_str(j, "heap", r->heap);
	json_str(j, "what", r->what);
	json_str(j, "time_base", r->time_base);
	json_u64(j, "page_size", r->page_size);
	json_u64(j, "interval_ms", r->interval_ms);
	json_u64(j, "map_every", r->map_every);
	json_u64(j, "unix_time", (uint64_t)time(NULL));
	json_arr_begin(j, "class_sizes");
	for (i = 0; i < r->num_classes; i++)
		json_u64(j, NULL, r->class_size[i]);
	json_arr_end(j);
	json_obj_end(j);
}

static void write_sample_fields(struct json *j, const struct viz_sample *s)
{
	json_u64(j, "t_ns", s->t_ns);
	if (s->have & VIZ_HAVE_ALLOC) {
		json_u64(j, "heap_alloc", s->heap_alloc);
		json_u64(j, "heap_inuse", s->heap_inuse);
		json_u64(j, "heap_sys", s->heap_sys);
		json_u64(j, "heap_idle", s->heap_idle);
		json_u64(j, "heap_objects", s->heap_objects);
		json_u64(j, "total_alloc", s->total_alloc);
	}
	if (s->have & VIZ_HAVE_PACER) {
		json_u64(j, "heap_live", s->heap_live);
		json_u64(j, "next_gc", s->next_gc);
		json_u64(j, "trigger", s->trigger);
	}
	if (s->have & VIZ_HAVE_MARKED)
		json_u64(j, "heap_marked", s->heap_marked);
	if (s->have & VIZ_HAVE_GC) {
		json_u64(j, "num_gc", s->num_gc);
		json_u64(j, "phase", s->phase);
		json_u64(j, "pause_total_ns", s->pause_total_ns);
		json_u64(j, "pause_max_ns", s->pause_max_ns);
		json_u64(j, "last_pause_ns", s->last_pause_ns);
	}
	if (s->have & VIZ_HAVE_GCCPU)
		json_u64(j, "gc_cpu_ns", s->gc_cpu_ns);
	if (s->have & VIZ_HAVE_PERCENT)
		json_i64(j, "gc_percent", s->gc_percent);
}

void rec_write_sample(struct json *j, const struct viz_sample *s)
{
	json_obj_begin(j, NULL);
	json_str(j, "type", "sample");
	write_sample_fields(j, s);
	json_obj_end(j);
}

void rec_write_frame(struct json *j, const struct viz_frame *f)
{
	uint32_t i;
	size_t k, ncols = 8;

	json_obj_begin(j, NULL);
	json_str(j, "type", "frame");
	json_u64(j, "frame", f->index);
	json_str(j, "why", f->why);
	/* The phase and cycle are the sample's: absent when unknown. */
	write_sample_fields(j, &f->st);
	json_u64(j, "sweepgen", f->sweepgen);
	json_arr_begin(j, "arena_columns");
	for (k = 0; k < 3; k++)
		json_str(j, NULL, viz_arena_columns[k]);
	json_arr_end(j);
	json_arr_begin(j, "arenas");
	for (i = 0; i < f->nr_arenas; i++) {
		json_arr_begin(j, NULL);
		json_u64(j, NULL, f->arenas[i].id);
		json_u64(j, NULL, f->arenas[i].npages);
		json_u64(j, NULL, f->arenas[i].free_pages);
		json_arr_end(j);
	}
	json_arr_end(j);
	/* Columns the source did not have are left out. */
	json_arr_begin(j, "span_columns");
	for (k = 0; k < SPAN_NR_COLS; k++) {
		if ((k == SPAN_MARKED && !(f->flags & VIZ_FRAME_MARKED)) ||
		    (k == SPAN_SWEEPGEN && !(f->flags & VIZ_FRAME_SWEEPGEN)) ||
		    (k >= SPAN_WHERE && !(f->flags & VIZ_FRAME_WHERE)))
			continue;
		json_str(j, NULL, viz_span_columns[k]);
		ncols = k + 1;
	}
	json_arr_end(j);
	json_arr_begin(j, "spans");
	for (i = 0; i < f->nr_spans; i++) {
		const struct gmm_span_info *s = &f->spans[i];

		json_arr_begin(j, NULL);
		json_u64(j, NULL, s->arena);
		json_u64(j, NULL, s->first_page);
		json_u64(j, NULL, s->npages);
		json_u64(j, NULL, s->spanclass);
		json_u64(j, NULL, s->elemsize);
		json_u64(j, NULL, s->nelems);
		json_u64(j, NULL, s->allocated);
		if (f->flags & VIZ_FRAME_MARKED)
			json_u64(j, NULL, s->marked);
		if (f->flags & VIZ_FRAME_SWEEPGEN)
			json_u64(j, NULL, s->sweepgen);
		json_u64(j, NULL, s->state);
		if (ncols > SPAN_WHERE) {
			json_u64(j, NULL, s->where);
			json_u64(j, NULL, s->cpu);
		}
		json_arr_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

void rec_write_cycle(struct json *j, const struct gmm_cycle_info *c)
{
	json_obj_begin(j, NULL);
	json_str(j, "type", "cycle");
	json_u64(j, "num", c->num);
	json_u64(j, "flags", c->flags);
	json_cycle_fields(j, c);
	json_obj_end(j);
}

void rec_write_end(struct json *j, const struct viz_rec *r, uint64_t t_ns,
		   size_t samples, size_t frames)
{
	json_obj_begin(j, NULL);
	json_str(j, "type", "end");
	json_u64(j, "t_ns", t_ns);
	json_u64(j, "samples", samples);
	json_u64(j, "frames", frames);
	json_u64(j, "cycles", r->nr_cycles);
	json_u64(j, "cycles_lost", r->cycles_lost);
	json_obj_end(j);
}

void rec_write_objects(struct json *j, const struct viz_objects *o)
{
	uint32_t i;

	json_obj_begin(j, NULL);
	json_str(j, "type", "objects");
	json_u64(j, "step", o->step);
	json_str(j, "why", o->why);
	json_u64(j, "t_ns", o->t_ns);
	json_u64(j, "cycle", o->cycle);
	json_u64(j, "phase", o->phase);
	json_u64(j, "scanned", o->scanned);
	json_u64(j, "grey", o->grey);
	json_arr_begin(j, "object_columns");
	for (i = 0; i < VIZ_OBJECT_NR_COLS; i++)
		json_str(j, NULL, viz_object_columns[i]);
	json_arr_end(j);
	json_arr_begin(j, "objects");
	for (i = 0; i < o->nr_objects; i++) {
		const struct gmm_object_info *x = &o->objects[i];

		json_arr_begin(j, NULL);
		json_u64(j, NULL, x->arena);
		json_u64(j, NULL, x->first_page);
		json_u64(j, NULL, x->slot);
		json_u64(j, NULL, x->size);
		json_u64(j, NULL, x->type);
		json_u64(j, NULL, x->colour);
		json_u64(j, NULL, x->roots);
		json_arr_end(j);
	}
	json_arr_end(j);
	json_arr_begin(j, "edge_columns");
	json_str(j, NULL, "from");
	json_str(j, NULL, "offset");
	json_str(j, NULL, "to");
	json_arr_end(j);
	json_arr_begin(j, "edges");
	for (i = 0; i < o->nr_edges; i++) {
		json_arr_begin(j, NULL);
		json_u64(j, NULL, o->edges[i].from);
		json_u64(j, NULL, o->edges[i].offset);
		json_u64(j, NULL, o->edges[i].to);
		json_arr_end(j);
	}
	json_arr_end(j);
	json_obj_begin(j, "names");
	for (i = 0; i < o->nr_names; i++)
		json_u64(j, o->names[i], o->name_index[i]);
	json_obj_end(j);
	json_obj_begin(j, "type_names");
	for (i = 0; i < o->nr_types; i++) {
		char id[16];

		snprintf(id, sizeof(id), "%u", o->type_ids[i]);
		json_str(j, id, o->type_names[i]);
	}
	json_obj_end(j);
	json_obj_end(j);
}
