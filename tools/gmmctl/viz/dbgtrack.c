// SPDX-License-Identifier: GPL-2.0
/*
 * dbgtrack.c - the GC cycles of a debugfs heap as `gmmctl record` (and so
 * `gmmctl serve --heap`) reads them, poll by poll: each read of the
 * heap's gctrace file (the kernel's ring of its last 32 cycles) adds the
 * cycles not seen yet - known by number, each written once, as soon as it
 * can be placed - so that a reader following the recording sees a cycle
 * shortly after it ends, and the recording keeps every cycle it read even
 * when the heap goes away before the end.  Cycles that left the ring
 * between two reads are counted in the recording's cycles_lost, never
 * made up.
 *
 * Where a cycle goes on the recording's clock:
 *  - the heap's clock (params has uptime_ns): the recording's times are
 *    the heap's, as in a recording of gmmctl's own heap, and a cycle's
 *    start is the gctrace line's @Ts as it is.  Every cycle in the ring
 *    counts, those before the first read too; cycles that had left the
 *    ring by then are lost ones.
 *  - the recording's clock (an older module, without uptime_ns): a
 *    cycle's end lies between the read before the one that first saw it
 *    and that one, which bounds the offset between the two clocks; the
 *    cycles are placed by the middle of the bounds known when they are
 *    written (good to half a sampling interval), never before the end of
 *    the cycle written before them.  Until a cycle has been seen to end
 *    during the recording nothing can be placed; cycles that began before
 *    the recording are left out.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"

void dbg_track_init(struct dbg_track *t, struct viz_rec *r, struct json *j,
		    bool heap_clock)
{
	memset(t, 0, sizeof(*t));
	t->r = r;
	t->j = j;
	t->heap_clock = heap_clock;
}

static uint64_t cycle_len(const struct gmm_cycle_info *c)
{
	return c->stw1_ns + c->mark_ns + c->stw2_ns;
}

/* @c ended after our read at @t_prev, and by the one at @t_now. */
static void bound(struct dbg_track *t, const struct gmm_cycle_info *c,
		  uint64_t t_prev, uint64_t t_now)
{
	int64_t end = (int64_t)(c->start_ns + cycle_len(c));
	int64_t lo = end - (int64_t)t_now, hi = end - (int64_t)t_prev;

	if (!t->bounded || lo > t->lo)
		t->lo = lo;
	if (!t->bounded || hi < t->hi)
		t->hi = hi;
	t->bounded = true;
}

/* The cycles read and not written yet, on the recording's clock. */
static void write_new(struct dbg_track *t)
{
	int64_t off = (t->lo + t->hi) / 2, start;
	struct gmm_cycle_info c;

	if (!t->heap_clock && !t->bounded)
		return;
	for (; t->next < t->r->nr_cycles; t->next++) {
		c = t->r->cycles[t->next];
		if (!t->heap_clock) {
			start = (int64_t)c.start_ns - off;
			if (start < 0)
				continue;	/* began before the recording */
			c.start_ns = (uint64_t)start;
			if (c.start_ns < t->last_end)
				c.start_ns = t->last_end;
			t->last_end = c.start_ns + cycle_len(&c);
		}
		rec_write_cycle(t->j, &c);
		t->written++;
	}
}

int dbg_track_read(struct dbg_track *t, const char *dir, uint64_t t_prev,
		   uint64_t t_now)
{
	struct gmm_cycle_info *cy;
	size_t n, i;
	int err;

	err = dbg_cycles(dir, &cy, &n);
	if (err < 0)
		return err;
	for (i = 0; i < n; i++) {
		const struct gmm_cycle_info *c = &cy[i];

		if (c->num <= t->seen_upto)
			continue;
		/* Before the first read, only the heap's clock has a place
		 * for cycles: those gone from the ring then are lost too.
		 */
		if ((t->primed || t->heap_clock) && c->num > t->seen_upto + 1)
			t->r->cycles_lost += c->num - t->seen_upto - 1;
		if (t->primed && !t->heap_clock)
			bound(t, c, t_prev, t_now);
		t->seen_upto = c->num;
		if (viz_add_cycle(t->r, c) < 0) {
			free(cy);
			return -ENOMEM;
		}
	}
	t->primed = true;
	free(cy);
	write_new(t);
	return 0;
}
