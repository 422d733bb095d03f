// SPDX-License-Identifier: GPL-2.0
/*
 * record.c - recording a heap: snapshots of gmmctl's own heap by ioctl
 * (GMM_IOC_STATS, GMM_IOC_SPANS, GMM_IOC_CYCLES), the recorder thread that
 * takes them while a workload runs, and the writer of the recording file
 * (JSON Lines, read back by recload.c; the line types are listed there).
 *
 * The recorder samples from a thread of its own on a dup() of the heap's
 * file descriptor: the workload stays single-threaded and needs no hooks,
 * and the heap lives until the recorder has taken its last picture even
 * when the workload closes its descriptor first.  The ioctls only read;
 * the kernel takes what locks they need.  GMM_IOC_CYCLES waits for a cycle
 * in progress to end, so the cycle log is fetched only every 16 cycles
 * (the kernel keeps 32) and at the end; a sample may then come late, the
 * workload never waits for the recorder.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "gmmctl.h"
#include "record.h"
#include "viz.h"

/* Cycles fetched at the latest when this many have passed unseen. */
#define REC_CYCLE_BATCH	16

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

/* Writing the recording. */

void rec_write_meta(struct json *j, const struct viz_rec *r)
{
	uint32_t i;

	json_obj_begin(j, NULL);
	json_str(j, "type", "meta");
	json_u64(j, "version", VIZ_RECORD_VERSION);
	json_str(j, "source", r->source);
	json_str(j, "heap", r->heap);
	json_str(j, "what", r->what);
	json_str(j, "time_base", r->time_base);
	json_u64(j, "page_size", r->page_size);
	json_u64(j, "interval_ms", r->interval_ms);
	json_u64(j, "map_every", r->map_every);
	json_u64(j, "unix_time", (uint64_t)time(NULL));
	json_arr_begin(j, "class_sizes");
	for (i = 0; i < r->num_classes; i++)
		json_u64(j, NULL, r->class_size[i]);
	json_arr_end(j);
	json_obj_end(j);
}

static void write_sample_fields(struct json *j, const struct viz_sample *s)
{
	json_u64(j, "t_ns", s->t_ns);
	if (s->have & VIZ_HAVE_ALLOC) {
		json_u64(j, "heap_alloc", s->heap_alloc);
		json_u64(j, "heap_inuse", s->heap_inuse);
		json_u64(j, "heap_sys", s->heap_sys);
		json_u64(j, "heap_idle", s->heap_idle);
		json_u64(j, "heap_objects", s->heap_objects);
		json_u64(j, "total_alloc", s->total_alloc);
	}
	if (s->have & VIZ_HAVE_PACER) {
		json_u64(j, "heap_live", s->heap_live);
		json_u64(j, "next_gc", s->next_gc);
		json_u64(j, "trigger", s->trigger);
	}
	if (s->have & VIZ_HAVE_MARKED)
		json_u64(j, "heap_marked", s->heap_marked);
	if (s->have & VIZ_HAVE_GC) {
		json_u64(j, "num_gc", s->num_gc);
		json_u64(j, "phase", s->phase);
		json_u64(j, "pause_total_ns", s->pause_total_ns);
		json_u64(j, "pause_max_ns", s->pause_max_ns);
		json_u64(j, "last_pause_ns", s->last_pause_ns);
	}
	if (s->have & VIZ_HAVE_GCCPU)
		json_u64(j, "gc_cpu_ns", s->gc_cpu_ns);
	if (s->have & VIZ_HAVE_PERCENT)
		json_i64(j, "gc_percent", s->gc_percent);
}

void rec_write_sample(struct json *j, const struct viz_sample *s)
{
	json_obj_begin(j, NULL);
	json_str(j, "type", "sample");
	write_sample_fields(j, s);
	json_obj_end(j);
}

void rec_write_frame(struct json *j, const struct viz_frame *f)
{
	static const char *const acols[] = { "id", "npages", "free_pages" };
	static const char *const scols[] = {
		"arena", "page", "npages", "spanclass", "elemsize", "nelems",
		"allocated", "marked", "sweepgen", "state", "where", "cpu",
	};
	uint32_t i;
	size_t k, ncols = 8;

	json_obj_begin(j, NULL);
	json_str(j, "type", "frame");
	json_u64(j, "frame", f->index);
	json_str(j, "why", f->why);
	/* The phase and cycle are the sample's: absent when unknown. */
	write_sample_fields(j, &f->st);
	json_u64(j, "sweepgen", f->sweepgen);
	json_arr_begin(j, "arena_columns");
	for (k = 0; k < 3; k++)
		json_str(j, NULL, acols[k]);
	json_arr_end(j);
	json_arr_begin(j, "arenas");
	for (i = 0; i < f->nr_arenas; i++) {
		json_arr_begin(j, NULL);
		json_u64(j, NULL, f->arenas[i].id);
		json_u64(j, NULL, f->arenas[i].npages);
		json_u64(j, NULL, f->arenas[i].free_pages);
		json_arr_end(j);
	}
	json_arr_end(j);
	/* Columns the source did not have are left out. */
	json_arr_begin(j, "span_columns");
	for (k = 0; k < sizeof(scols) / sizeof(scols[0]); k++) {
		if ((k == 7 && !(f->flags & VIZ_FRAME_MARKED)) ||
		    (k == 8 && !(f->flags & VIZ_FRAME_SWEEPGEN)) ||
		    (k >= 10 && !(f->flags & VIZ_FRAME_WHERE)))
			continue;
		json_str(j, NULL, scols[k]);
		ncols = k + 1;
	}
	json_arr_end(j);
	json_arr_begin(j, "spans");
	for (i = 0; i < f->nr_spans; i++) {
		const struct gmm_span_info *s = &f->spans[i];

		json_arr_begin(j, NULL);
		json_u64(j, NULL, s->arena);
		json_u64(j, NULL, s->first_page);
		json_u64(j, NULL, s->npages);
		json_u64(j, NULL, s->spanclass);
		json_u64(j, NULL, s->elemsize);
		json_u64(j, NULL, s->nelems);
		json_u64(j, NULL, s->allocated);
		if (f->flags & VIZ_FRAME_MARKED)
			json_u64(j, NULL, s->marked);
		if (f->flags & VIZ_FRAME_SWEEPGEN)
			json_u64(j, NULL, s->sweepgen);
		json_u64(j, NULL, s->state);
		if (ncols > 10) {
			json_u64(j, NULL, s->where);
			json_u64(j, NULL, s->cpu);
		}
		json_arr_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

void rec_write_cycle(struct json *j, const struct gmm_cycle_info *c)
{
	json_obj_begin(j, NULL);
	json_str(j, "type", "cycle");
	json_u64(j, "num", c->num);
	json_u64(j, "flags", c->flags);
	json_u64(j, "start_ns", c->start_ns);
	json_u64(j, "stw1_ns", c->stw1_ns);
	json_u64(j, "mark_ns", c->mark_ns);
	json_u64(j, "stw2_ns", c->stw2_ns);
	json_u64(j, "heap0", c->heap0);
	json_u64(j, "heap1", c->heap1);
	json_u64(j, "heap2", c->heap2);
	json_u64(j, "goal", c->goal);
	json_u64(j, "assist_bytes", c->assist_bytes);
	json_u64(j, "bg_bytes", c->bg_bytes);
	json_u64(j, "root_ns", c->root_ns);
	json_u64(j, "assist_ns", c->assist_ns);
	json_u64(j, "bg_ns", c->bg_ns);
	json_obj_end(j);
}

void rec_write_end(struct json *j, const struct viz_rec *r, uint64_t t_ns,
		   size_t samples, size_t frames)
{
	json_obj_begin(j, NULL);
	json_str(j, "type", "end");
	json_u64(j, "t_ns", t_ns);
	json_u64(j, "samples", samples);
	json_u64(j, "frames", frames);
	json_u64(j, "cycles", r->nr_cycles);
	json_u64(j, "cycles_lost", r->cycles_lost);
	json_obj_end(j);
}

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
	if (s->phase && s->num_gc + 1 == p->target) {
		p->target += p->every;
		return "mark";
	}
	if (s->num_gc >= p->target) {
		p->target = (s->num_gc / p->every + 1) * p->every;
		return "cycle";
	}
	return NULL;
}

/* The recorder of gmmctl's own heap. */

struct recorder {
	int fd;
	FILE *f;
	struct json j;
	struct rec_opts o;
	struct viz_rec r;	/* cycles seen; meta */
	struct frame_plan plan;
	size_t samples, frames;
	uint64_t cycles_upto;	/* cycles written up to this number */
	uint64_t last_t;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop;
	int err;
};

static int rec_frame(struct recorder *rc, const char *why)
{
	struct viz_frame f;
	int err;

	err = dev_frame(rc->fd, &f);
	if (err)
		return err;
	f.index = (uint32_t)rc->frames++;
	snprintf(f.why, sizeof(f.why), "%s", why);
	rec_write_frame(&rc->j, &f);
	viz_frame_free(&f);
	return 0;
}

/* Cycles completed since the last call, written as they come. */
static int rec_cycles(struct recorder *rc)
{
	size_t i, before = rc->r.nr_cycles;
	int n;

	n = dev_cycles(rc->fd, &rc->r, rc->cycles_upto);
	if (n < 0)
		return n;
	for (i = 0; i < rc->r.nr_cycles; i++) {
		if (rc->r.cycles[i].num <= rc->cycles_upto)
			continue;
		rec_write_cycle(&rc->j, &rc->r.cycles[i]);
	}
	if (rc->r.nr_cycles > before)
		rc->cycles_upto = rc->r.cycles[rc->r.nr_cycles - 1].num;
	return 0;
}

static int rec_tick(struct recorder *rc)
{
	struct viz_sample s;
	const char *why;
	int err;

	err = dev_sample(rc->fd, &s, NULL, 0);
	if (err < 0)
		return err;
	rec_write_sample(&rc->j, &s);
	rc->samples++;
	rc->last_t = s.t_ns;
	why = frame_plan_due(&rc->plan, &s);
	if (why) {
		err = rec_frame(rc, why);
		if (err)
			return err;
	}
	/* Between cycles, to wait for none; at any rate before the ring of
	 * 32 overflows.
	 */
	if ((s.num_gc >= rc->cycles_upto + REC_CYCLE_BATCH && !s.phase) ||
	    s.num_gc >= rc->cycles_upto + REC_CYCLE_BATCH + 12)
		return rec_cycles(rc);
	return 0;
}

static void *rec_thread(void *arg)
{
	struct recorder *rc = arg;
	struct timespec next;
	int err = 0;

	clock_gettime(CLOCK_MONOTONIC, &next);
	pthread_mutex_lock(&rc->lock);
	while (!rc->stop) {
		pthread_mutex_unlock(&rc->lock);
		err = rec_tick(rc);
		pthread_mutex_lock(&rc->lock);
		if (err)
			break;
		next.tv_nsec += (long)rc->o.interval_ms * 1000000L;
		while (next.tv_nsec >= 1000000000L) {
			next.tv_nsec -= 1000000000L;
			next.tv_sec++;
		}
		while (!rc->stop &&
		       pthread_cond_timedwait(&rc->cond, &rc->lock, &next) !=
		       ETIMEDOUT)
			;
		/* Late (a long ioctl): sample now, not in a burst. */
		{
			struct timespec now;

			clock_gettime(CLOCK_MONOTONIC, &now);
			if (now.tv_sec > next.tv_sec ||
			    (now.tv_sec == next.tv_sec &&
			     now.tv_nsec > next.tv_nsec))
				next = now;
		}
	}
	rc->err = err;
	pthread_mutex_unlock(&rc->lock);
	return NULL;
}

int recorder_start(struct recorder **rp, int fd, const struct rec_opts *o)
{
	struct gmm_class_info cl[VIZ_MAX_CLASSES];
	pthread_condattr_t ca;
	struct recorder *rc;
	struct viz_sample s;
	int n, err, i;

	*rp = NULL;
	rc = calloc(1, sizeof(*rc));
	if (!rc)
		return -ENOMEM;
	rc->o = *o;
	if (!rc->o.interval_ms)
		rc->o.interval_ms = 20;
	rc->fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (rc->fd < 0) {
		err = -errno;
		free(rc);
		return err;
	}
	viz_rec_init(&rc->r);
	n = dev_sample(rc->fd, &s, cl, VIZ_MAX_CLASSES);
	if (n < 0) {
		err = n;
		goto fail;
	}
	rc->f = strcmp(o->path, "-") ? fopen(o->path, "w") : stdout;
	if (!rc->f) {
		err = -errno;
		goto fail;
	}
	snprintf(rc->r.source, sizeof(rc->r.source), "dev");
	snprintf(rc->r.heap, sizeof(rc->r.heap), "pid%d", (int)getpid());
	snprintf(rc->r.what, sizeof(rc->r.what), "%s", o->what ? o->what : "");
	rc->r.page_size = VIZ_PAGE_SIZE;
	rc->r.num_classes = (uint32_t)n;
	for (i = 0; i < n; i++)
		rc->r.class_size[i] = cl[i].size;
	rc->r.interval_ms = rc->o.interval_ms;
	rc->r.map_every = rc->o.map_every;
	json_init(&rc->j, rc->f);
	rec_write_meta(&rc->j, &rc->r);
	frame_plan_init(&rc->plan, rc->o.map_every);
	/* Cycles before the recording (none for a new heap) are not its. */
	rc->cycles_upto = s.num_gc;

	pthread_mutex_init(&rc->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&rc->cond, &ca);
	pthread_condattr_destroy(&ca);
	err = -pthread_create(&rc->thread, NULL, rec_thread, rc);
	if (err) {
		pthread_cond_destroy(&rc->cond);
		pthread_mutex_destroy(&rc->lock);
		goto fail;
	}
	*rp = rc;
	return 0;
fail:
	if (rc->f && rc->f != stdout)
		fclose(rc->f);
	close(rc->fd);
	viz_rec_free(&rc->r);
	free(rc);
	return err;
}

int recorder_stop(struct recorder *rc)
{
	struct viz_sample s;
	int err, ret;

	if (!rc)
		return 0;
	pthread_mutex_lock(&rc->lock);
	rc->stop = true;
	pthread_cond_signal(&rc->cond);
	pthread_mutex_unlock(&rc->lock);
	pthread_join(rc->thread, NULL);
	err = rc->err;

	/* The last picture: after the workload, before the heap goes. */
	if (!err) {
		err = dev_sample(rc->fd, &s, NULL, 0);
		if (err >= 0) {
			rec_write_sample(&rc->j, &s);
			rc->samples++;
			rc->last_t = s.t_ns;
			err = rec_frame(rc, "last");
		}
	}
	if (!err)
		err = rec_cycles(rc);
	rec_write_end(&rc->j, &rc->r, rc->last_t, rc->samples, rc->frames);
	if (fflush(rc->f) || ferror(rc->f))
		ret = -EIO;
	else
		ret = 0;
	if (rc->f != stdout && fclose(rc->f) && !ret)
		ret = -EIO;
	if (err < 0 && !ret)
		ret = err;
	close(rc->fd);
	pthread_cond_destroy(&rc->cond);
	pthread_mutex_destroy(&rc->lock);
	viz_rec_free(&rc->r);
	free(rc);
	return ret;
}

/*
 * --record for the commands that build a heap (run, workload, demo, gc,
 * stats): main() takes the options out of the command line before the
 * command sees it, open_heap() hands the first heap opened to
 * record_attach(), and the recording ends at exit (or record_detach()).
 */
static struct {
	struct rec_opts o;
	char what[160];
	struct recorder *rc;
	bool attached, warned, at_exit;
} glue;

void record_configure(const char *path, uint32_t map_every,
		      uint32_t interval_ms, const char *what)
{
	glue.o.path = path;
	glue.o.map_every = map_every;
	glue.o.interval_ms = interval_ms;
	snprintf(glue.what, sizeof(glue.what), "%s", what ? what : "");
	glue.o.what = glue.what;
	glue.attached = false;
	glue.warned = false;
}

static bool opt_is(const char *arg, const char *name, const char **val,
		   char **next, int *used)
{
	size_t n = strlen(name);

	if (strncmp(arg, name, n))
		return false;
	if (arg[n] == '=') {
		*val = arg + n + 1;
		*used = 1;
		return true;
	}
	if (arg[n])
		return false;
	*val = next[0];
	*used = 2;
	return true;
}

int record_take_options(int *argc, char **argv)
{
	static const char *const heap_cmds[] = {
		"run", "workload", "demo", "gc", "stats", NULL,
	};
	const char *path = NULL, *val;
	uint64_t every = 0, interval = 20;
	size_t len = 0;
	int i, j, used, cmd = -1;
	char what[160] = "";

	/* Only for the commands that build a heap: map, record and the
	 * others have options of these names, or none.
	 */
	for (i = 1; i < *argc && argv[i][0] == '-'; i++)
		if (!strcmp(argv[i], "-d") || !strcmp(argv[i], "--device"))
			i++;
	if (i >= *argc)
		return 0;
	for (j = 0; heap_cmds[j]; j++)
		if (!strcmp(argv[i], heap_cmds[j]))
			break;
	if (!heap_cmds[j]) {
		for (i = 1; i < *argc && strcmp(argv[i], "--"); i++) {
			if (strcmp(argv[i], "--record") &&
			    strncmp(argv[i], "--record=", 9))
				continue;
			errmsg("--record goes with the commands that build a heap: "
			       "run, workload, demo, gc, stats ('gmmctl record "
			       "--heap' records any heap through debugfs)");
			return EXIT_USAGE;
		}
		return 0;
	}
	for (i = 1; i < *argc; ) {
		if (!strcmp(argv[i], "--"))
			break;
		used = 0;
		if (opt_is(argv[i], "--record", &val, &argv[i + 1], &used)) {
			if (!val)
				goto missing;
			path = val;
		} else if (opt_is(argv[i], "--map-every", &val, &argv[i + 1], &used)) {
			if (!val || parse_u64_range(val, 0, 1000000, &every)) {
				errmsg("--map-every: a number of GC cycles (0: the "
				       "first and last frames only)");
				return EXIT_USAGE;
			}
		} else if (opt_is(argv[i], "--record-interval", &val, &argv[i + 1],
				  &used)) {
			if (!val || parse_u64_range(val, 1, 60000, &interval)) {
				errmsg("--record-interval: 1..60000 ms");
				return EXIT_USAGE;
			}
		}
		if (!used) {
			if (cmd < 0 && argv[i][0] != '-')
				cmd = i;
			i++;
			continue;
		}
		for (j = i; j + used <= *argc; j++)
			argv[j] = argv[j + used];
		*argc -= used;
	}
	if (!path) {
		if (every != 0 || interval != 20) {
			errmsg("--map-every and --record-interval go with "
			       "--record FILE");
			return EXIT_USAGE;
		}
		return 0;
	}
	for (i = cmd < 0 ? *argc : cmd; i < *argc && len < sizeof(what) - 1; i++) {
		int n = snprintf(what + len, sizeof(what) - len, "%s%s",
				 len ? " " : "", argv[i]);

		if (n < 0)
			break;
		len += (size_t)n;
	}
	record_configure(path, (uint32_t)every, (uint32_t)interval, what);
	return 0;
missing:
	errmsg("--record: which file?");
	return EXIT_USAGE;
}

static void record_at_exit(void)
{
	record_detach();
}

void record_attach(struct gmm *g)
{
	int err;

	if (!glue.o.path)
		return;
	if (glue.attached) {
		if (!glue.warned)
			errmsg("--record: recording the first heap only");
		glue.warned = true;
		return;
	}
	glue.attached = true;
	err = recorder_start(&glue.rc, gmm_fd(g), &glue.o);
	if (err) {
		errmsg_err(err, "--record %s", glue.o.path);
		exit(EXIT_FAIL);
	}
	if (!glue.at_exit) {
		atexit(record_at_exit);
		glue.at_exit = true;
	}
}

int record_detach(void)
{
	int err;

	if (!glue.rc)
		return 0;
	err = recorder_stop(glue.rc);
	glue.rc = NULL;
	if (err)
		errmsg_err(err, "--record %s", glue.o.path);
	return err;
}
