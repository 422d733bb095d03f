// SPDX-License-Identifier: GPL-2.0
/*
 * rec.c - the in-memory picture of a heap over time (struct viz_rec, see
 * viz.h): its samples, frames and cycles, wherever they came from (a
 * recording, gmmctl's own heap, debugfs), and the names of the columns
 * of arenas and spans, which recordings and debugfs share.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "viz.h"

const char *const viz_object_columns[VIZ_OBJECT_NR_COLS] = {
	"arena", "page", "slot", "size", "type", "colour", "roots",
};

const char *const viz_arena_columns[3] = { "id", "npages", "free_pages" };

const char *const viz_span_columns[SPAN_NR_COLS] = {
	"arena", "page", "npages", "spanclass", "elemsize", "nelems",
	"allocated", "marked", "sweepgen", "state", "where", "cpu",
};

void viz_rec_init(struct viz_rec *r)
{
	memset(r, 0, sizeof(*r));
	r->page_size = VIZ_PAGE_SIZE;
	strcpy(r->time_base, "heap");
}

void viz_frame_free(struct viz_frame *f)
{
	free(f->arenas);
	free(f->spans);
	f->arenas = NULL;
	f->spans = NULL;
	f->nr_arenas = f->nr_spans = 0;
}

void viz_rec_free(struct viz_rec *r)
{
	size_t i;

	for (i = 0; i < r->nr_frames; i++)
		viz_frame_free(&r->frames[i]);
	free(r->frames);
	free(r->samples);
	free(r->cycles);
	for (i = 0; i < r->nr_objects; i++)
		viz_objects_free(&r->objects[i]);
	free(r->objects);
	viz_rec_init(r);
}

static int grow(void **p, size_t *cap, size_t n, size_t elem)
{
	size_t ncap;
	void *q;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 64;
	q = realloc(*p, ncap * elem);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = ncap;
	return 0;
}

int viz_add_sample(struct viz_rec *r, const struct viz_sample *s)
{
	if (grow((void **)&r->samples, &r->cap_samples, r->nr_samples,
		 sizeof(*s)))
		return -ENOMEM;
	r->samples[r->nr_samples++] = *s;
	return 0;
}

int viz_add_frame(struct viz_rec *r, struct viz_frame *f)
{
	if (grow((void **)&r->frames, &r->cap_frames, r->nr_frames,
		 sizeof(*f)))
		return -ENOMEM;
	r->frames[r->nr_frames++] = *f;
	memset(f, 0, sizeof(*f));
	return 0;
}

int viz_add_objects(struct viz_rec *r, struct viz_objects *o)
{
	if (grow((void **)&r->objects, &r->cap_objects, r->nr_objects + 1,
		 sizeof(*r->objects)))
		return -ENOMEM;
	r->objects[r->nr_objects++] = *o;
	memset(o, 0, sizeof(*o));
	return 0;
}

int viz_add_cycle(struct viz_rec *r, const struct gmm_cycle_info *c)
{
	size_t i;

	/* Kept sorted by number; cycles nearly always come in order. */
	for (i = r->nr_cycles; i > 0 && r->cycles[i - 1].num >= c->num; i--)
		if (r->cycles[i - 1].num == c->num)
			return 0;
	if (grow((void **)&r->cycles, &r->cap_cycles, r->nr_cycles,
		 sizeof(*c)))
		return -ENOMEM;
	memmove(&r->cycles[i + 1], &r->cycles[i],
		(r->nr_cycles - i) * sizeof(*c));
	r->cycles[i] = *c;
	r->nr_cycles++;
	return 1;
}

uint32_t viz_class_size(const struct viz_rec *r, uint32_t spanclass)
{
	uint32_t c = spanclass >> 1;

	return c < VIZ_MAX_CLASSES ? r->class_size[c] : 0;
}
