/* SPDX-License-Identifier: GPL-2.0 */
/*
 * viz.h - what gmmctl's pictures are made of: a heap's statistics over
 * time (samples), whole pictures of its arenas and spans (frames) and its
 * GC cycles, whether they come from a recording (recwrite.c writes it,
 * recload.c reads it), from gmmctl's own heap (GMM_IOC_STATS, _SPANS,
 * _CYCLES) or from any heap's debugfs directory (dbgfs.c).
 *
 * The span and arena descriptions are the ABI's own structs
 * (struct gmm_span_info, struct gmm_arena_info, struct gmm_cycle_info):
 * debugfs rows and recordings are read into them.
 */
#ifndef GMMCTL_VIZ_H
#define GMMCTL_VIZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/gmm.h>

#define VIZ_MAX_CLASSES		128	/* room for size classes (gmm has 68) */
#define VIZ_PAGE_SIZE		8192	/* gmm's runtime page, when not told */
#define VIZ_RECORD_VERSION	1	/* "version" of the meta line */

/* Which fields of a sample are known (debugfs lacks some). */
#define VIZ_HAVE_ALLOC		(1U << 0)	/* heap_alloc, inuse, sys, idle, objects */
#define VIZ_HAVE_PACER		(1U << 1)	/* heap_live, next_gc, trigger */
#define VIZ_HAVE_MARKED		(1U << 2)	/* heap_marked */
#define VIZ_HAVE_GC		(1U << 3)	/* num_gc, phase, pauses */
#define VIZ_HAVE_GCCPU		(1U << 4)	/* gc_cpu_ns */
#define VIZ_HAVE_PERCENT	(1U << 5)	/* gc_percent */
#define VIZ_HAVE_UPTIME		(1U << 6)	/* uptime_ns (debugfs only) */

/* One sample of a heap's statistics. */
struct viz_sample {
	uint64_t t_ns;		/* time on the recording's clock */
	uint64_t heap_alloc;
	uint64_t heap_inuse;
	uint64_t heap_sys;
	uint64_t heap_idle;
	uint64_t heap_objects;
	uint64_t total_alloc;
	uint64_t heap_live;
	uint64_t heap_marked;
	uint64_t next_gc;
	uint64_t trigger;
	uint64_t num_gc;
	uint64_t pause_total_ns;
	uint64_t pause_max_ns;
	uint64_t last_pause_ns;
	uint64_t gc_cpu_ns;
	uint64_t uptime_ns;	/* the heap's age when read (debugfs) */
	int32_t gc_percent;
	uint32_t phase;		/* 0 off, 1 mark, 2 mark termination */
	uint32_t have;		/* VIZ_HAVE_* */
};

/* Frame flags: what the spans' source could tell. */
#define VIZ_FRAME_WHERE		(1U << 0)	/* where/cpu (cached spans) */
#define VIZ_FRAME_SWEEPGEN	(1U << 1)	/* relative sweepgen */
#define VIZ_FRAME_MARKED	(1U << 2)	/* mark counts */

/* The columns of a span, as recordings and debugfs name them (rec.c). */
enum viz_span_col {
	SPAN_ARENA, SPAN_PAGE, SPAN_NPAGES, SPAN_SPANCLASS, SPAN_ELEMSIZE,
	SPAN_NELEMS, SPAN_ALLOCATED, SPAN_MARKED, SPAN_SWEEPGEN, SPAN_STATE,
	SPAN_WHERE, SPAN_CPU, SPAN_NR_COLS
};
extern const char *const viz_span_columns[SPAN_NR_COLS];
/* The columns of an object in a recording's "objects" line. */
#define VIZ_OBJECT_NR_COLS	7
extern const char *const viz_object_columns[VIZ_OBJECT_NR_COLS];
/* The columns of an arena in a recording: id, npages, free_pages. */
extern const char *const viz_arena_columns[3];

/* A whole picture of a heap: arenas and spans, with the stats of then. */
struct viz_frame {
	uint32_t index;		/* frame number in its recording */
	char why[16];		/* "first", "mark", "cycle", "last", "live" */
	struct viz_sample st;
	uint64_t num_gc;	/* completed cycles when taken */
	uint32_t phase;
	uint32_t sweepgen;	/* the heap's (absolute), 0 if unknown */
	uint32_t flags;		/* VIZ_FRAME_* */
	uint32_t nr_arenas;
	uint32_t nr_spans;
	struct gmm_arena_info *arenas;
	struct gmm_span_info *spans;
};

/*
 * An object listing (GMM_IOC_OBJECTS) and where a stepped GC cycle was
 * (GMM_IOC_STEP): a recording's "objects" line (objects.c).  Names are
 * the script's names of objects; types the registered types' names.
 */
struct viz_objects {
	uint32_t step;		/* number in its recording */
	char why[16];		/* "before", "begin", "step", "end" */
	uint64_t t_ns;
	uint64_t cycle;		/* the stepped cycle */
	uint32_t phase, scanned, grey;
	uint32_t nr_objects, nr_edges;
	struct gmm_object_info *objects;
	struct gmm_object_edge *edges;
	uint32_t nr_names, nr_types;
	char **names;		/* names[i] holds object name_index[i] */
	uint32_t *name_index;
	char **type_names;	/* type_names[i] is type type_ids[i] */
	uint32_t *type_ids;
};
void viz_objects_free(struct viz_objects *o);
/*
 * The listing of the heap of @fd now, with the objects of @nh handles
 * (GMM_OBJECT_NONE for none) into @index; names and types left empty.
 * 0 or -errno (-E2BIG: the heap is too big to list).
 */
int dev_objects(int fd, const uint32_t *handles, uint32_t nh,
		uint32_t *index, struct viz_objects *o);
/* Objects of each colour in @o (counts[GMM_COLOUR_*]). */
void viz_objects_count(const struct viz_objects *o, uint32_t counts[4]);
extern const char *const viz_colour_names[4];

/* A recording (or a live look at a heap, as one). */
struct viz_rec {
	char source[16];	/* "dev" (gmmctl's own heap) or "debugfs" */
	char heap[256];		/* heap name (debugfs directory), or "" */
	char what[320];		/* what ran: "workload binarytrees ..." */
	char time_base[16];	/* "heap" (ns since the heap was made) or
				 * "recording" (ns since recording began) */
	uint32_t page_size;
	uint32_t num_classes;
	uint32_t class_size[VIZ_MAX_CLASSES];	/* bytes; 0 unknown/large */
	uint32_t interval_ms;
	uint32_t map_every;
	uint64_t cycles_lost;	/* cycles that left the kernel's ring unseen */
	bool ended;		/* the "end" line was there */
	bool truncated;		/* its last line was cut short */

	struct viz_sample *samples;
	size_t nr_samples, cap_samples;
	struct viz_frame *frames;
	size_t nr_frames, cap_frames;
	struct gmm_cycle_info *cycles;	/* sorted by num, no duplicates */
	size_t nr_cycles, cap_cycles;
	struct viz_objects *objects;	/* object listings (run --step) */
	size_t nr_objects, cap_objects;
};

void viz_rec_init(struct viz_rec *r);
void viz_rec_free(struct viz_rec *r);
void viz_frame_free(struct viz_frame *f);
/* Append copies; 0 or -ENOMEM.  Frames are moved in (@f is emptied). */
int viz_add_sample(struct viz_rec *r, const struct viz_sample *s);
int viz_add_frame(struct viz_rec *r, struct viz_frame *f);
/* Adds unless a cycle of that number is there; 1 added, 0 dup, -ENOMEM. */
int viz_add_cycle(struct viz_rec *r, const struct gmm_cycle_info *c);
/* Moved in (@o is emptied); 0 or -ENOMEM. */
int viz_add_objects(struct viz_rec *r, struct viz_objects *o);
/* An "objects" line (a struct jv, jsonread.h) into @o; 0, -EINVAL with a
 * message in @err, -ENOMEM (recobjects.c).
 */
int viz_objects_from_json(const void *json, struct viz_objects *o, char *err,
			  size_t errlen);
/* Size class bytes of @spanclass, 0 when unknown. */
uint32_t viz_class_size(const struct viz_rec *r, uint32_t spanclass);

/*
 * The recording file (JSON Lines), see recload.c for its lines.
 * viz_rec_load(): 0, or -errno with a message in @err ("line 12: ...").
 */
int viz_rec_load(const char *path, struct viz_rec *r, char *err,
		 size_t errlen);
int viz_rec_load_file(FILE *f, struct viz_rec *r, char *err, size_t errlen);

/*
 * Recorder of gmmctl's own heap (recorder.c): a thread sampling the heap
 * of @fd (dup()ed: the heap stays alive until recorder_stop()) every
 * @interval_ms, a full spans frame every @map_every-th GC cycle (0: only
 * the first and the last), the cycle log, to @path.
 */
struct recorder;
struct rec_opts {
	const char *path;	/* NULL: no recording */
	uint32_t interval_ms;	/* default 20 */
	uint32_t map_every;	/* default 0 */
	const char *what;	/* description of the run */
	uint32_t map_interval_ms; /* also a frame this often, lines
				 * flushed every sample (0: neither) */
};
int recorder_start(struct recorder **rp, int fd, const struct rec_opts *o);
/* Final sample, frame and cycles; joins the thread.  0 or -errno. */
int recorder_stop(struct recorder *r);
/* An "objects" line (its step number set here), written at once. */
int recorder_objects(struct recorder *r, struct viz_objects *o);

/* Snapshots of gmmctl's own heap by ioctl (snapshot.c). */
int dev_sample(int fd, struct viz_sample *s, struct gmm_class_info *cl,
	       uint32_t ncl);
int dev_frame(int fd, struct viz_frame *f);
/* Cycles after @after (up to the kernel's 32); appends; count or -errno. */
int dev_cycles(int fd, struct viz_rec *r, uint64_t after);

/*
 * debugfs (dbgfs.c).  Heaps are directories <name>-<id> under
 * /sys/kernel/debug/gmm (GMM_DEBUGFS overrides the root, for tests).
 */
const char *dbg_root(void);
/* Names of the heaps, malloc()ed, NULL-terminated; NULL on error. */
char **dbg_list_heaps(void);
void dbg_free_list(char **l);
/* The directory of @name: exact, or the one "<name>-<id>"; -ENOENT, -EEXIST (ambiguous). */
int dbg_find_heap(const char *name, char *out, size_t outlen);
/* Whether the heap's directory still exists. */
bool dbg_heap_exists(const char *dir);
/* Size classes into r->class_size (from sizeclasses).  0 or -errno. */
int dbg_classes(const char *dir, struct viz_rec *r);
/* Stats and params into a sample (t_ns left 0).  0 or -errno. */
int dbg_sample(const char *dir, struct viz_sample *s);
/* Spans into a frame (needs r's class sizes for elemsize).  0 or -errno. */
int dbg_frame(const char *dir, const struct viz_rec *r, struct viz_frame *f);
/*
 * Cycles of the gctrace file, oldest first (dbgcycles.c); start_ns in
 * heap time.  count or -errno.
 */
int dbg_cycles(const char *dir, struct gmm_cycle_info **out, size_t *n);
/* One gctrace line (anything before its "gc " skipped); false if none. */
bool dbg_parse_gctrace(const char *line, struct gmm_cycle_info *c);
/* Per class: live objects and bytes (sizeclasses).  classes or -errno. */
struct dbg_class {
	uint32_t cls, size;
	uint64_t mallocs, frees, live, spans, live_bytes;
};
int dbg_sizeclasses(const char *dir, struct dbg_class *out, size_t max);
/* The lines of a "name value" file, for top; 0 or -errno. */
int dbg_read_file(const char *dir, const char *file, char **text);

#endif /* GMMCTL_VIZ_H */
