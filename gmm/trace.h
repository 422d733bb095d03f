/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace.h - gmm's tracepoints, the "gmm" trace system.
 *
 * Events of the collector (cycle start and end, phase changes, the two
 * stop-the-world pauses, mark assists) and of the page heap (spans,
 * arenas, memory given back).  Documentation/tracing.rst describes every
 * field; use them with perf record -e 'gmm:*', trace-cmd or tracefs.
 *
 * Every argument is a number copied into the event: heaps are known by
 * their id, arenas by their number in the heap, spans by their arena and
 * first runtime page.  No kernel address is recorded.  The call sites do
 * not sleep around the events and some hold a spinlock: probes must not
 * sleep either.
 *
 * gmm/trace.c defines the events (CREATE_TRACE_POINTS); every other file
 * includes this header for the trace_gmm_*() calls.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM gmm

#if !defined(_GMM_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _GMM_TRACE_H

#include <linux/tracepoint.h>
#include <linux/types.h>
#include <uapi/linux/gmm.h>

TRACE_DEFINE_ENUM(GMM_GC_PHASE_OFF);
TRACE_DEFINE_ENUM(GMM_GC_PHASE_MARK);
TRACE_DEFINE_ENUM(GMM_GC_PHASE_MARKTERM);

#define gmm_show_phase(p)					\
	__print_symbolic(p,					\
			 { GMM_GC_PHASE_OFF, "off" },		\
			 { GMM_GC_PHASE_MARK, "mark" },		\
			 { GMM_GC_PHASE_MARKTERM, "markterm" })

/*
 * gmm_gc_cycle_start - a collection cycle begins (first pause)
 * @heap: heap id
 * @num: cycle number, from 1
 * @heap_live: heap_live when the world stopped
 * @goal: the heap goal the cycle should finish under
 * @trigger: the pacer's trigger (a forced cycle may start below it)
 * @forced: asked for by gmm_gc() rather than the pacer
 */
TRACE_EVENT(gmm_gc_cycle_start,
	    TP_PROTO(u32 heap, u64 num, u64 heap_live, u64 goal, u64 trigger,
		     bool forced),
	    TP_ARGS(heap, num, heap_live, goal, trigger, forced),
	    TP_STRUCT__entry(__field(u32, heap)
			     __field(bool, forced)
			     __field(u64, num)
			     __field(u64, heap_live)
			     __field(u64, goal)
			     __field(u64, trigger)),
	    TP_fast_assign(__entry->heap = heap;
			   __entry->forced = forced;
			   __entry->num = num;
			   __entry->heap_live = heap_live;
			   __entry->goal = goal;
			   __entry->trigger = trigger;),
	    TP_printk("heap=%u num=%llu heap_live=%llu goal=%llu trigger=%llu forced=%d",
		      __entry->heap, __entry->num, __entry->heap_live,
		      __entry->goal, __entry->trigger, __entry->forced)
);

/*
 * gmm_gc_cycle_end - a cycle is over: marked, swept, recorded
 * @heap: heap id
 * @num: cycle number (the heap's num_gc now)
 * @heap0: heap_live at the start
 * @heap1: heap_live at mark termination
 * @heap2: bytes marked (live)
 * @goal: the goal of this cycle
 * @next_goal: the goal of the next cycle
 * @stw1_ns: first pause (sweep termination), ns
 * @stw2_ns: second pause (mark termination), ns
 * @mark_ns: concurrent mark, wall clock ns
 */
TRACE_EVENT(gmm_gc_cycle_end,
	    TP_PROTO(u32 heap, u64 num, u64 heap0, u64 heap1, u64 heap2,
		     u64 goal, u64 next_goal, u64 stw1_ns, u64 stw2_ns,
		     u64 mark_ns),
	    TP_ARGS(heap, num, heap0, heap1, heap2, goal, next_goal, stw1_ns,
		    stw2_ns, mark_ns),
	    TP_STRUCT__entry(__field(u32, heap)
			     __field(u64, num)
			     __field(u64, heap0)
			     __field(u64, heap1)
			     __field(u64, heap2)
			     __field(u64, goal)
			     __field(u64, next_goal)
			     __field(u64, stw1_ns)
			     __field(u64, stw2_ns)
			     __field(u64, mark_ns)),
	    TP_fast_assign(__entry->heap = heap;
			   __entry->num = num;
			   __entry->heap0 = heap0;
			   __entry->heap1 = heap1;
			   __entry->heap2 = heap2;
			   __entry->goal = goal;
			   __entry->next_goal = next_goal;
			   __entry->stw1_ns = stw1_ns;
			   __entry->stw2_ns = stw2_ns;
			   __entry->mark_ns = mark_ns;),
	    TP_printk("heap=%u num=%llu heap0=%llu heap1=%llu heap2=%llu goal=%llu next_goal=%llu stw1_ns=%llu stw2_ns=%llu mark_ns=%llu",
		      __entry->heap, __entry->num, __entry->heap0,
		      __entry->heap1, __entry->heap2, __entry->goal,
		      __entry->next_goal, __entry->stw1_ns, __entry->stw2_ns,
		      __entry->mark_ns)
);

/*
 * gmm_gc_phase - the collector's phase changed (with the world stopped)
 * @heap: heap id
 * @num: number of the cycle the change belongs to
 * @old_phase: previous phase (enum gmm_gc_phase)
 * @new_phase: new phase
 */
TRACE_EVENT(gmm_gc_phase,
	    TP_PROTO(u32 heap, u64 num, int old_phase, int new_phase),
	    TP_ARGS(heap, num, old_phase, new_phase),
	    TP_STRUCT__entry(__field(u32, heap)
			     __field(int, old_phase)
			     __field(int, new_phase)
			     __field(u64, num)),
	    TP_fast_assign(__entry->heap = heap;
			   __entry->old_phase = old_phase;
			   __entry->new_phase = new_phase;
			   __entry->num = num;),
	    TP_printk("heap=%u num=%llu old=%s new=%s",
		      __entry->heap, __entry->num,
		      gmm_show_phase(__entry->old_phase),
		      gmm_show_phase(__entry->new_phase))
);

/*
 * gmm_gc_stw - a stop-the-world pause ended (the world runs again)
 * @heap: heap id
 * @num: cycle number
 * @pause: 1 = sweep termination, 2 = mark termination
 * @duration_ns: from the stopped world to the restart, ns
 * @latency_ns: waiting for the world to stop (mutators still ran), ns
 */
TRACE_EVENT(gmm_gc_stw,
	    TP_PROTO(u32 heap, u64 num, int pause, u64 duration_ns,
		     u64 latency_ns),
	    TP_ARGS(heap, num, pause, duration_ns, latency_ns),
	    TP_STRUCT__entry(__field(u32, heap)
			     __field(int, pause)
			     __field(u64, num)
			     __field(u64, duration_ns)
			     __field(u64, latency_ns)),
	    TP_fast_assign(__entry->heap = heap;
			   __entry->pause = pause;
			   __entry->num = num;
			   __entry->duration_ns = duration_ns;
			   __entry->latency_ns = latency_ns;),
	    TP_printk("heap=%u num=%llu pause=%d duration_ns=%llu latency_ns=%llu",
		      __entry->heap, __entry->num, __entry->pause,
		      __entry->duration_ns, __entry->latency_ns)
);

/*
 * gmm_gc_assist - an allocating mutator did mark work
 * @heap: heap id
 * @owed: scan bytes the allocation owed (allocated bytes x assist ratio)
 * @scanned: scan bytes done
 * @duration_ns: time the mutator spent on it, ns
 */
TRACE_EVENT(gmm_gc_assist,
	    TP_PROTO(u32 heap, u64 owed, u64 scanned, u64 duration_ns),
	    TP_ARGS(heap, owed, scanned, duration_ns),
	    TP_STRUCT__entry(__field(u32, heap)
			     __field(u64, owed)
			     __field(u64, scanned)
			     __field(u64, duration_ns)),
	    TP_fast_assign(__entry->heap = heap;
			   __entry->owed = owed;
			   __entry->scanned = scanned;
			   __entry->duration_ns = duration_ns;),
	    TP_printk("heap=%u owed=%llu scanned=%llu duration_ns=%llu",
		      __entry->heap, __entry->owed, __entry->scanned,
		      __entry->duration_ns)
);

DECLARE_EVENT_CLASS(gmm_span_class,
		    TP_PROTO(u32 heap, u32 arena, u32 page, u32 npages,
			     u8 spanclass),
		    TP_ARGS(heap, arena, page, npages, spanclass),
		    TP_STRUCT__entry(__field(u32, heap)
				     __field(u32, arena)
				     __field(u32, page)
				     __field(u32, npages)
				     __field(u8, spanclass)),
		    TP_fast_assign(__entry->heap = heap;
				   __entry->arena = arena;
				   __entry->page = page;
				   __entry->npages = npages;
				   __entry->spanclass = spanclass;),
		    TP_printk("heap=%u arena=%u page=%u npages=%u spanclass=%u",
			      __entry->heap, __entry->arena, __entry->page,
			      __entry->npages, __entry->spanclass)
);

/*
 * gmm_span_alloc - a span was made (pages taken from the page heap)
 * @heap: heap id
 * @arena: arena number in the heap
 * @page: first runtime page of the span in the arena
 * @npages: runtime pages (8 KiB)
 * @spanclass: size class << 1 | noscan (0 and 1: a large object)
 */
DEFINE_EVENT(gmm_span_class, gmm_span_alloc,
	     TP_PROTO(u32 heap, u32 arena, u32 page, u32 npages, u8 spanclass),
	     TP_ARGS(heap, arena, page, npages, spanclass));

/*
 * gmm_span_free - a span's pages went back to the page heap
 * @heap: heap id
 * @arena: arena number in the heap
 * @page: first runtime page of the span in the arena
 * @npages: runtime pages (8 KiB)
 * @spanclass: size class << 1 | noscan
 */
DEFINE_EVENT(gmm_span_class, gmm_span_free,
	     TP_PROTO(u32 heap, u32 arena, u32 page, u32 npages, u8 spanclass),
	     TP_ARGS(heap, arena, page, npages, spanclass));

DECLARE_EVENT_CLASS(gmm_arena_class,
		    TP_PROTO(u32 heap, u32 arena, unsigned int order),
		    TP_ARGS(heap, arena, order),
		    TP_STRUCT__entry(__field(u32, heap)
				     __field(u32, arena)
				     __field(unsigned int, order)
				     __field(unsigned long, pages)),
		    TP_fast_assign(__entry->heap = heap;
				   __entry->arena = arena;
				   __entry->order = order;
				   __entry->pages = 1UL << order;),
		    TP_printk("heap=%u arena=%u order=%u pages=%lu",
			      __entry->heap, __entry->arena, __entry->order,
			      __entry->pages)
);

/*
 * gmm_arena_alloc - a page heap took an arena from the buddy allocator
 * @heap: heap id (U32_MAX: a page heap outside any heap, in tests)
 * @arena: arena number in the heap
 * @order: buddy order; the arena has 1 << order system pages (pages)
 */
DEFINE_EVENT(gmm_arena_class, gmm_arena_alloc,
	     TP_PROTO(u32 heap, u32 arena, unsigned int order),
	     TP_ARGS(heap, arena, order));

/*
 * gmm_arena_free - an arena went back to the buddy allocator
 * @heap: heap id
 * @arena: arena number in the heap
 * @order: buddy order
 */
DEFINE_EVENT(gmm_arena_class, gmm_arena_free,
	     TP_PROTO(u32 heap, u32 arena, unsigned int order),
	     TP_ARGS(heap, arena, order));

DECLARE_EVENT_CLASS(gmm_release_class,
		    TP_PROTO(u32 heap, unsigned long pages),
		    TP_ARGS(heap, pages),
		    TP_STRUCT__entry(__field(u32, heap)
				     __field(unsigned long, pages)),
		    TP_fast_assign(__entry->heap = heap;
				   __entry->pages = pages;),
		    TP_printk("heap=%u pages=%lu",
			      __entry->heap, __entry->pages)
);

/*
 * gmm_scavenge - gmm_pageheap_scavenge() returned a heap's free memory
 * @heap: heap id
 * @pages: system pages given back (0 when nothing was free)
 */
DEFINE_EVENT(gmm_release_class, gmm_scavenge,
	     TP_PROTO(u32 heap, unsigned long pages),
	     TP_ARGS(heap, pages));

/*
 * gmm_shrink - the shrinker (or a limit) returned free memory of one heap
 * @heap: heap id
 * @pages: system pages given back (> 0)
 */
DEFINE_EVENT(gmm_release_class, gmm_shrink,
	     TP_PROTO(u32 heap, unsigned long pages),
	     TP_ARGS(heap, pages));

/*
 * gmm_scavenge_run - memory of one arena went back to the buddy allocator
 * @heap: heap id
 * @arena: arena number in the heap
 * @granules: bit g set = 64 KiB granule g of the arena was given back;
 *	all ones when the whole arena went
 * @pages: system pages given back
 * @why: 0 background scavenger (toward the heap goal + 10 %), 1 shrinker
 *	(memory pressure), 2 on request or at a limit
 */
TRACE_EVENT(gmm_scavenge_run,
	    TP_PROTO(u32 heap, u32 arena, u64 granules, unsigned long pages,
		     int why),
	    TP_ARGS(heap, arena, granules, pages, why),
	    TP_STRUCT__entry(__field(u32, heap)
			     __field(u32, arena)
			     __field(u64, granules)
			     __field(unsigned long, pages)
			     __field(int, why)),
	    TP_fast_assign(__entry->heap = heap;
			   __entry->arena = arena;
			   __entry->granules = granules;
			   __entry->pages = pages;
			   __entry->why = why;),
	    TP_printk("heap=%u arena=%u granules=%#llx pages=%lu why=%s",
		      __entry->heap, __entry->arena, __entry->granules,
		      __entry->pages,
		      __print_symbolic(__entry->why, { 0, "background" },
				       { 1, "shrinker" }, { 2, "request" }))
);

#endif /* _GMM_TRACE_H */

/* define_trace.h includes this file again, from gmm/ (see Kbuild). */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
