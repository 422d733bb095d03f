// SPDX-License-Identifier: GPL-2.0
/*
 * trace_probes.c - the probes of suite "gmm_trace" (trace_test.c): one
 * per gmm tracepoint, attached with tracepoint_probe_register() on the
 * exported tracepoints, which is what register_trace_gmm_*() does; their
 * prototypes are checked against the events at build time.  They record
 * the events of one heap only, by heap id, under a spinlock: they run in
 * the tracepoints' context, where nothing may sleep.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/spinlock.h>
#include <linux/tracepoint.h>

#include "trace.h"
#include "trace_probes.h"

#ifdef CONFIG_TRACEPOINTS
/* The probes.  Called wherever the events fire: no sleeping. */

static void tt_cycle_start(void *data, u32 heap, u64 num, u64 heap_live,
			   u64 goal, u64 trigger, bool forced)
{
	struct tt_rec *r = data;
	unsigned int i;

	if (heap != r->heap)
		return;
	spin_lock(&r->lock);
	i = r->nstart++;
	if (i < TT_CYCLES) {
		r->start[i].num = num;
		r->start[i].heap_live = heap_live;
		r->start[i].goal = goal;
		r->start[i].trigger = trigger;
		r->start[i].forced = forced;
	}
	spin_unlock(&r->lock);
}

static void tt_cycle_end(void *data, u32 heap, u64 num, u64 heap0, u64 heap1,
			 u64 heap2, u64 goal, u64 next_goal, u64 stw1_ns,
			 u64 stw2_ns, u64 mark_ns)
{
	struct tt_rec *r = data;
	unsigned int i;

	if (heap != r->heap)
		return;
	spin_lock(&r->lock);
	i = r->nend++;
	if (i < TT_CYCLES) {
		r->end[i].num = num;
		r->end[i].heap0 = heap0;
		r->end[i].heap1 = heap1;
		r->end[i].heap2 = heap2;
		r->end[i].goal = goal;
		r->end[i].next_goal = next_goal;
		r->end[i].stw1_ns = stw1_ns;
		r->end[i].stw2_ns = stw2_ns;
		r->end[i].mark_ns = mark_ns;
	}
	spin_unlock(&r->lock);
}

static void tt_phase(void *data, u32 heap, u64 num, int old_phase,
		     int new_phase)
{
	struct tt_rec *r = data;
	unsigned int i;

	if (heap != r->heap)
		return;
	spin_lock(&r->lock);
	i = r->nphase++;
	if (i < ARRAY_SIZE(r->phase)) {
		r->phase[i].num = num;
		r->phase[i].old_phase = old_phase;
		r->phase[i].new_phase = new_phase;
	}
	spin_unlock(&r->lock);
}

static void tt_stw(void *data, u32 heap, u64 num, int pause, u64 duration_ns,
		   u64 latency_ns)
{
	struct tt_rec *r = data;
	unsigned int i;

	if (heap != r->heap)
		return;
	spin_lock(&r->lock);
	i = r->nstw++;
	if (i < ARRAY_SIZE(r->stw)) {
		r->stw[i].num = num;
		r->stw[i].pause = pause;
		r->stw[i].duration_ns = duration_ns;
		r->stw[i].latency_ns = latency_ns;
	}
	spin_unlock(&r->lock);
}

static void tt_assist(void *data, u32 heap, u64 owed, u64 scanned,
		      u64 duration_ns)
{
	struct tt_rec *r = data;

	if (heap != r->heap)
		return;
	spin_lock(&r->lock);
	r->nassist++;
	r->assist_owed += owed;
	r->assist_scanned += scanned;
	r->assist_ns += duration_ns;
	if (!owed || !scanned)
		r->assist_zero++;
	spin_unlock(&r->lock);
}

static void tt_span_alloc(void *data, u32 heap, u32 arena, u32 page,
			  u32 npages, u8 spanclass)
{
	struct tt_rec *r = data;

	if (heap != r->heap)
		return;
	spin_lock(&r->lock);
	r->nspan_alloc++;
	if (r->nlive < TT_SPANS) {
		struct tt_span *s = &r->live[r->nlive++];

		s->arena = arena;
		s->page = page;
		s->npages = npages;
		s->spanclass = spanclass;
	} else {
		r->span_unmatched++;
	}
	spin_unlock(&r->lock);
}

static void tt_span_free(void *data, u32 heap, u32 arena, u32 page,
			 u32 npages, u8 spanclass)
{
	struct tt_rec *r = data;
	unsigned int i;

	if (heap != r->heap)
		return;
	spin_lock(&r->lock);
	r->nspan_free++;
	for (i = 0; i < r->nlive; i++) {
		struct tt_span *s = &r->live[i];

		if (s->arena == arena && s->page == page)
			break;
	}
	if (i < r->nlive && r->live[i].npages == npages &&
	    r->live[i].spanclass == spanclass)
		r->live[i] = r->live[--r->nlive];
	else
		r->span_unmatched++;
	spin_unlock(&r->lock);
}

static void tt_arena_alloc(void *data, u32 heap, u32 arena,
			   unsigned int order)
{
	struct tt_rec *r = data;

	if (heap != r->heap)
		return;
	spin_lock(&r->lock);
	r->narena_alloc++;
	r->arena_alloc_pages += 1UL << order;
	spin_unlock(&r->lock);
}

static void tt_arena_free(void *data, u32 heap, u32 arena, unsigned int order)
{
	struct tt_rec *r = data;

	if (heap != r->heap)
		return;
	spin_lock(&r->lock);
	r->narena_free++;
	r->arena_free_pages += 1UL << order;
	spin_unlock(&r->lock);
}

static void tt_scavenge(void *data, u32 heap, unsigned long pages)
{
	struct tt_rec *r = data;

	if (heap != r->heap)
		return;
	spin_lock(&r->lock);
	r->nscavenge++;
	r->scavenge_pages += pages;
	spin_unlock(&r->lock);
}

static void tt_shrink(void *data, u32 heap, unsigned long pages)
{
	struct tt_rec *r = data;

	if (heap != r->heap)
		return;
	spin_lock(&r->lock);
	r->nshrink++;
	r->shrink_pages += pages;
	spin_unlock(&r->lock);
}

static const struct {
	struct tracepoint *tp;
	void *probe;
} tt_probes[] = {
	{ &__tracepoint_gmm_gc_cycle_start, tt_cycle_start },
	{ &__tracepoint_gmm_gc_cycle_end, tt_cycle_end },
	{ &__tracepoint_gmm_gc_phase, tt_phase },
	{ &__tracepoint_gmm_gc_stw, tt_stw },
	{ &__tracepoint_gmm_gc_assist, tt_assist },
	{ &__tracepoint_gmm_span_alloc, tt_span_alloc },
	{ &__tracepoint_gmm_span_free, tt_span_free },
	{ &__tracepoint_gmm_arena_alloc, tt_arena_alloc },
	{ &__tracepoint_gmm_arena_free, tt_arena_free },
	{ &__tracepoint_gmm_scavenge, tt_scavenge },
	{ &__tracepoint_gmm_shrink, tt_shrink },
};

/* Never called: the compiler checks each probe against its event. */
static void __maybe_unused tt_check_probe_types(void)
{
	check_trace_callback_type_gmm_gc_cycle_start(tt_cycle_start);
	check_trace_callback_type_gmm_gc_cycle_end(tt_cycle_end);
	check_trace_callback_type_gmm_gc_phase(tt_phase);
	check_trace_callback_type_gmm_gc_stw(tt_stw);
	check_trace_callback_type_gmm_gc_assist(tt_assist);
	check_trace_callback_type_gmm_span_alloc(tt_span_alloc);
	check_trace_callback_type_gmm_span_free(tt_span_free);
	check_trace_callback_type_gmm_arena_alloc(tt_arena_alloc);
	check_trace_callback_type_gmm_arena_free(tt_arena_free);
	check_trace_callback_type_gmm_scavenge(tt_scavenge);
	check_trace_callback_type_gmm_shrink(tt_shrink);
}

/* Attach every probe, or none: -EOPNOTSUPP without CONFIG_TRACEPOINTS. */
int tt_attach(struct tt_rec *r)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < ARRAY_SIZE(tt_probes) && !ret; i++)
		ret = tracepoint_probe_register(tt_probes[i].tp,
						tt_probes[i].probe, r);
	if (ret) {
		/* Probe i - 1 failed: take back the ones before it. */
		i--;
		while (i--)
			tracepoint_probe_unregister(tt_probes[i].tp,
						    tt_probes[i].probe, r);
		tracepoint_synchronize_unregister();
	}
	return ret;
}

void tt_detach_all(struct tt_rec *r)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tt_probes); i++)
		tracepoint_probe_unregister(tt_probes[i].tp, tt_probes[i].probe,
					    r);
	/* No probe runs on after this: the record is ours. */
	tracepoint_synchronize_unregister();
}
#else
int tt_attach(struct tt_rec *r)
{
	return -EOPNOTSUPP;
}

void tt_detach_all(struct tt_rec *r)
{
}
#endif /* CONFIG_TRACEPOINTS */
