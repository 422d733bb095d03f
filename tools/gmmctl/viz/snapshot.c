// SPDX-License-Identifier: GPL-2.0
/*
 * snapshot.c - snapshots of gmmctl's own heap by ioctl, for recordings
 * and pictures: a sample (GMM_IOC_STATS), a whole frame of arenas and
 * spans (GMM_IOC_SPANS), and the cycles of the heap's log
 * (GMM_IOC_CYCLES).  They work on the file descriptor alone, so that the
 * recorder can take them from its own thread on a dup() of it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "viz.h"

int dev_sample(int fd, struct viz_sample *s, struct gmm_class_info *cl,
	       uint32_t ncl)
{
	struct gmm_stats st;

	memset(&st, 0, sizeof(st));
	if (cl && ncl) {
		st.nr_classes = ncl;
		st.classes = (uintptr_t)cl;
		st.class_size = sizeof(*cl);
	}
	if (ioctl(fd, GMM_IOC_STATS, &st))
		return -errno;
	memset(s, 0, sizeof(*s));
	s->t_ns = st.uptime_ns;
	s->heap_alloc = st.heap_alloc;
	s->heap_inuse = st.heap_inuse;
	s->heap_sys = st.heap_sys;
	s->heap_idle = st.heap_idle;
	s->heap_objects = st.heap_objects;
	s->total_alloc = st.total_alloc;
	s->heap_live = st.heap_live;
	s->heap_marked = st.heap_marked;
	s->next_gc = st.next_gc;
	s->trigger = st.trigger;
	s->num_gc = st.num_gc;
	s->pause_total_ns = st.pause_total_ns;
	s->pause_max_ns = st.pause_max_ns;
	s->last_pause_ns = st.last_pause_ns;
	s->gc_cpu_ns = st.gc_cpu_ns;
	s->gc_percent = st.gc_percent;
	s->phase = st.phase;
	s->have = VIZ_HAVE_ALLOC | VIZ_HAVE_PACER | VIZ_HAVE_MARKED |
		  VIZ_HAVE_GC | VIZ_HAVE_GCCPU | VIZ_HAVE_PERCENT;
	return (int)st.nr_classes;
}

int dev_frame(int fd, struct viz_frame *f)
{
	uint32_t room_a = 16, room_s = 1024;
	struct gmm_spans sp;
	int tries, err;

	memset(f, 0, sizeof(*f));
	err = dev_sample(fd, &f->st, NULL, 0);
	if (err < 0)
		return err;
	for (tries = 0; tries < 8; tries++) {
		free(f->arenas);
		free(f->spans);
		f->arenas = calloc(room_a, sizeof(*f->arenas));
		f->spans = calloc(room_s, sizeof(*f->spans));
		if (!f->arenas || !f->spans) {
			viz_frame_free(f);
			return -ENOMEM;
		}
		memset(&sp, 0, sizeof(sp));
		sp.nr_arenas = room_a;
		sp.arenas = (uintptr_t)f->arenas;
		sp.arena_size = sizeof(*f->arenas);
		sp.nr_spans = room_s;
		sp.spans = (uintptr_t)f->spans;
		sp.span_size = sizeof(*f->spans);
		if (ioctl(fd, GMM_IOC_SPANS, &sp)) {
			err = -errno;
			viz_frame_free(f);
			return err;
		}
		if (sp.nr_arenas <= room_a && sp.nr_spans <= room_s) {
			f->nr_arenas = sp.nr_arenas;
			f->nr_spans = sp.nr_spans;
			f->phase = sp.phase;
			f->sweepgen = sp.sweepgen;
			f->num_gc = sp.num_gc;
			/* The stats and the spans are a few microseconds
			 * apart; the frame's phase and cycle are the spans'.
			 */
			f->st.phase = sp.phase;
			f->flags = VIZ_FRAME_WHERE | VIZ_FRAME_SWEEPGEN |
				   VIZ_FRAME_MARKED;
			return 0;
		}
		/* The heap grew between the counts and the walk: more room. */
		room_a = sp.nr_arenas + sp.nr_arenas / 2 + 4;
		room_s = sp.nr_spans + sp.nr_spans / 2 + 256;
	}
	viz_frame_free(f);
	return -EAGAIN;
}

int dev_cycles(int fd, struct viz_rec *r, uint64_t after)
{
	struct gmm_cycle_info ci[64];
	struct gmm_cycles cy;
	uint32_t i;
	int n = 0, ret;

	memset(&cy, 0, sizeof(cy));
	cy.count = sizeof(ci) / sizeof(ci[0]);
	cy.cycles = (uintptr_t)ci;
	cy.cycle_size = sizeof(ci[0]);
	if (ioctl(fd, GMM_IOC_CYCLES, &cy))
		return -errno;
	if (cy.count && ci[0].num > after + 1)
		r->cycles_lost += ci[0].num - after - 1;
	for (i = 0; i < cy.count; i++) {
		if (ci[i].num <= after)
			continue;
		ret = viz_add_cycle(r, &ci[i]);
		if (ret < 0)
			return ret;
		n += ret;
	}
	return n;
}
