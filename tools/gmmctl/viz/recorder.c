// SPDX-License-Identifier: GPL-2.0
/*
 * recorder.c - recording gmmctl's own heap while a workload runs: a
 * thread that takes snapshots (snapshot.c) and writes them (recwrite.c).
 *
 * The recorder samples from a thread of its own on a dup() of the heap's
 * file descriptor: the workload stays single-threaded and needs no hooks,
 * and the heap lives until the recorder has taken its last picture even
 * when the workload closes its descriptor first.  The ioctls only read;
 * the kernel takes what locks they need.  The cycle log is fetched every
 * 16 cycles (the kernel keeps 32) and at the end; the workload never
 * waits for the recorder.  With a map interval (gmmctl serve), a frame
 * also comes that often ("time"), cycles are fetched as they end and
 * every sample's lines are flushed at once, so that a reader following
 * the file sees the heap as it is now.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "record.h"

/* Cycles fetched at the latest when this many have passed unseen. */
#define REC_CYCLE_BATCH	16

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
	uint64_t last_frame_t;	/* t_ns of the last frame */
	pthread_t thread;
	pthread_mutex_t wlock;	/* the file: the thread, recorder_objects() */
	size_t objects;		/* "objects" lines written */
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
	if (!why && rc->o.map_interval_ms && rc->frames &&
	    s.t_ns - rc->last_frame_t >= rc->o.map_interval_ms * 1000000ULL)
		why = "time";
	if (why) {
		err = rec_frame(rc, why);
		if (err)
			return err;
		rc->last_frame_t = s.t_ns;
	}
	/* Between cycles, to wait for none; at any rate before the ring of
	 * 32 overflows; at once for a reader following the file.
	 */
	if ((s.num_gc >= rc->cycles_upto + REC_CYCLE_BATCH && s.phase == GMM_GC_PHASE_OFF) ||
	    s.num_gc >= rc->cycles_upto + REC_CYCLE_BATCH + 12 ||
	    (rc->o.map_interval_ms && s.num_gc > rc->cycles_upto))
		err = rec_cycles(rc);
	if (!err && rc->o.map_interval_ms && fflush(rc->f))
		err = -errno;
	return err;
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
		pthread_mutex_lock(&rc->wlock);
		err = rec_tick(rc);
		pthread_mutex_unlock(&rc->wlock);
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
	pthread_mutex_init(&rc->wlock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&rc->cond, &ca);
	pthread_condattr_destroy(&ca);
	err = -pthread_create(&rc->thread, NULL, rec_thread, rc);
	if (err) {
		pthread_cond_destroy(&rc->cond);
		pthread_mutex_destroy(&rc->wlock);
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
	pthread_mutex_destroy(&rc->wlock);
	pthread_mutex_destroy(&rc->lock);
	viz_rec_free(&rc->r);
	free(rc);
	return ret;
}

int recorder_objects(struct recorder *rc, struct viz_objects *o)
{
	int err = 0;

	pthread_mutex_lock(&rc->wlock);
	o->step = (uint32_t)rc->objects++;
	rec_write_objects(&rc->j, o);
	if (fflush(rc->f))
		err = -errno;
	pthread_mutex_unlock(&rc->wlock);
	return err;
}
