/* SPDX-License-Identifier: GPL-2.0 */
/*
 * record.h - the writer of gmmctl's recordings (recwrite.c), the plan of
 * which samples get a whole spans frame (frameplan.c), shared by the
 * recorder of gmmctl's own heap and `gmmctl record --heap` (debugfs), the
 * cycles of a debugfs heap (dbgtrack.c), and the --record options of the
 * commands that build a heap (recopt.c).
 */
#ifndef GMMCTL_RECORD_H
#define GMMCTL_RECORD_H

#include "gmmctl.h"
#include "viz.h"

void rec_write_meta(struct json *j, const struct viz_rec *r);
void rec_write_sample(struct json *j, const struct viz_sample *s);
void rec_write_frame(struct json *j, const struct viz_frame *f);
void rec_write_cycle(struct json *j, const struct gmm_cycle_info *c);
void rec_write_objects(struct json *j, const struct viz_objects *o);
void rec_write_end(struct json *j, const struct viz_rec *r, uint64_t t_ns,
		   size_t samples, size_t frames);

/*
 * Which samples get a frame: the first sample of a heap that holds spans,
 * then, with @every > 0, cycle k for every multiple k of @every - while
 * it marks when a sample catches it doing so ("mark"), else right after
 * it ("cycle").  The caller adds the "last" one.
 */
struct frame_plan {
	uint32_t every;
	uint64_t target;	/* next cycle to picture */
	bool first_done;
};
void frame_plan_init(struct frame_plan *p, uint32_t every);
/* The frame's "why" when @s calls for one, else NULL. */
const char *frame_plan_due(struct frame_plan *p, const struct viz_sample *s);

/*
 * The cycles of a debugfs heap's gctrace file, read poll by poll and
 * written to @j once each, as soon as they can be placed (dbgtrack.c):
 * on the heap's clock when @heap_clock (params has uptime_ns), else on
 * the recording's.  r->cycles holds those read; gaps go to
 * r->cycles_lost.
 */
struct dbg_track {
	struct viz_rec *r;
	struct json *j;
	bool heap_clock;
	bool primed;		/* read once */
	uint64_t seen_upto;	/* highest cycle number read */
	size_t next;		/* r->cycles[next..] not written yet */
	size_t written;		/* cycle lines written */
	int64_t lo, hi;		/* heap time - ours is in [lo, hi] ... */
	bool bounded;		/* ... once a cycle was seen to end */
	uint64_t last_end;	/* end of the last cycle written, ours */
};
void dbg_track_init(struct dbg_track *t, struct viz_rec *r, struct json *j,
		    bool heap_clock);
/*
 * Read the gctrace file of heap @dir at @t_now (our clock), the read
 * before at @t_prev; write what is new.  0 or -errno.
 */
int dbg_track_read(struct dbg_track *t, const char *dir, uint64_t t_prev,
		   uint64_t t_now);

/*
 * --record FILE [--map-every N] [--record-interval MS] for the commands
 * that build a heap.  record_take_options() takes them out of main()'s
 * argv (anywhere before "--"); 0 or EXIT_USAGE after a message.
 * record_attach() starts recording the heap open_heap() just opened (the
 * first one only; exits with a message when the file cannot be written);
 * the recording ends at exit, or at record_detach().
 */
int record_take_options(int *argc, char **argv);
void record_configure(const char *path, uint32_t map_every,
		      uint32_t interval_ms, const char *what);
void record_attach(struct gmm *g);
/* After record_configure(): also a frame every @ms, lines flushed at once. */
void record_set_map_interval(uint32_t ms);
/* An object listing into the recording, if one is on; 0 or -errno. */
int record_objects(struct viz_objects *o);
int record_detach(void);

#endif /* GMMCTL_RECORD_H */
