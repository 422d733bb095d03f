/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace_probes.h - what the probes of suite "gmm_trace" record of one
 * heap's gmm:* events (trace_probes.c).
 */
#ifndef _GMM_TRACE_PROBES_H
#define _GMM_TRACE_PROBES_H

#include <linux/spinlock.h>
#include <linux/types.h>

#define TT_CYCLES		8	/* cycle events kept */
#define TT_SPANS		1024	/* live spans tracked */

struct tt_span {
	u32 arena;
	u32 page;
	u32 npages;
	u8 spanclass;
};

/* What the probes saw of one heap.  Counts go on past the arrays. */
struct tt_rec {
	spinlock_t lock;		/* everything below */
	u32 heap;
	unsigned int nstart, nend, nphase, nstw;
	struct {
		u64 num, heap_live, goal, trigger;
		bool forced;
	} start[TT_CYCLES];
	struct {
		u64 num, heap0, heap1, heap2, goal, next_goal;
		u64 stw1_ns, stw2_ns, mark_ns;
	} end[TT_CYCLES];
	struct {
		u64 num;
		int old_phase, new_phase;
	} phase[3 * TT_CYCLES];
	struct {
		u64 num;
		int pause;
		u64 duration_ns, latency_ns;
	} stw[2 * TT_CYCLES];
	u64 nassist, assist_owed, assist_scanned, assist_ns;
	unsigned int assist_zero;	/* assists with a zero field */
	u64 nspan_alloc, nspan_free;
	unsigned int span_unmatched;	/* frees not matching a live span */
	unsigned int nlive;
	struct tt_span live[TT_SPANS];
	u64 narena_alloc, narena_free, arena_alloc_pages, arena_free_pages;
	u64 nscavenge, scavenge_pages, nshrink, shrink_pages;
};

/*
 * Attach a probe to every gmm tracepoint, recording into @r the events
 * of heap @r->heap; every probe or none.  Return: 0, or -EOPNOTSUPP on a
 * kernel without CONFIG_TRACEPOINTS.
 */
int tt_attach(struct tt_rec *r);
/* Detach them all; once this returns no probe runs on. */
void tt_detach_all(struct tt_rec *r);

#endif /* _GMM_TRACE_PROBES_H */
