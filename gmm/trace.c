// SPDX-License-Identifier: GPL-2.0
/*
 * trace.c - defines gmm's tracepoints (gmm/trace.h).
 *
 * The KUnit module attaches probes to them with register_trace_gmm_*(),
 * which needs the tracepoint structures: they are exported to it, and only
 * to it (GMM_KUNIT namespace, kernels with KUnit).  perf, ftrace and BPF
 * find the events through the module's tracepoint section and need no
 * export.
 */
#include "internal.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

#ifdef CONFIG_TRACEPOINTS	/* without, the events compile to nothing */
GMM_EXPORT_FOR_TESTING(__tracepoint_gmm_gc_cycle_start);
GMM_EXPORT_FOR_TESTING(__tracepoint_gmm_gc_cycle_end);
GMM_EXPORT_FOR_TESTING(__tracepoint_gmm_gc_phase);
GMM_EXPORT_FOR_TESTING(__tracepoint_gmm_gc_stw);
GMM_EXPORT_FOR_TESTING(__tracepoint_gmm_gc_assist);
GMM_EXPORT_FOR_TESTING(__tracepoint_gmm_span_alloc);
GMM_EXPORT_FOR_TESTING(__tracepoint_gmm_span_free);
GMM_EXPORT_FOR_TESTING(__tracepoint_gmm_arena_alloc);
GMM_EXPORT_FOR_TESTING(__tracepoint_gmm_arena_free);
GMM_EXPORT_FOR_TESTING(__tracepoint_gmm_scavenge);
GMM_EXPORT_FOR_TESTING(__tracepoint_gmm_shrink);
#endif
