// SPDX-License-Identifier: GPL-2.0
/*
 * frameplan.c - which samples of a recording get a whole spans frame,
 * for the recorder of gmmctl's own heap and `gmmctl record --heap`.
 */
#include <string.h>

#include "record.h"

/*
 * Frames on the N-th cycles: taken while cycle k (k a multiple of N)
 * marks when a sample catches it doing so, else right after it.
 */
void frame_plan_init(struct frame_plan *p, uint32_t every)
{
	memset(p, 0, sizeof(*p));
	p->every = every;
	p->target = every;
}

const char *frame_plan_due(struct frame_plan *p, const struct viz_sample *s)
{
	bool empty = !(s->have & VIZ_HAVE_ALLOC) ? false : !s->heap_inuse;

	if (!p->first_done) {
		if (empty)
			return NULL;
		p->first_done = true;
		return "first";
	}
	if (!p->every || !(s->have & VIZ_HAVE_GC))
		return NULL;
	if (s->phase != GMM_GC_PHASE_OFF && s->num_gc + 1 == p->target) {
		p->target += p->every;
		return "mark";
	}
	if (s->num_gc >= p->target) {
		p->target = (s->num_gc / p->every + 1) * p->every;
		return "cycle";
	}
	return NULL;
}
