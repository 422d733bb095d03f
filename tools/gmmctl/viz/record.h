/* SPDX-License-Identifier: GPL-2.0 */
/*
 * record.h - the writer of gmmctl's recordings (recwrite.c), the plan of
 * which samples get a whole spans frame (frameplan.c), shared by the
 * recorder of gmmctl's own heap and `gmmctl record --heap` (debugfs), and
 * the --record options of the commands that build a heap (recopt.c).
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
