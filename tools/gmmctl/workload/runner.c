// SPDX-License-Identifier: GPL-2.0
/*
 * runner.c - what every workload of `gmmctl workload` shares: a batch of
 * operations it fills and runs with GMM_IOC_BATCH, the operations and
 * ioctls it counted, and the peak heap (HeapSys, HeapAlloc, HeapObjects
 * from a GMM_IOC_STATS after every batch).
 */
#include <stdarg.h>
#include <string.h>

#include "workload.h"

int wl_fail(struct wl *w, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w->msg, sizeof(w->msg), fmt, ap);
	va_end(ap);
	return err;
}

static int wl_sample(struct wl *w)
{
	struct gmm_stats st;
	int err;

	err = gmm_stats(w->g, &st, NULL, 0);
	if (err)
		return wl_fail(w, err, "GMM_IOC_STATS: %s", strerror(-err));
	if (st.heap_sys > w->peak_sys)
		w->peak_sys = st.heap_sys;
	if (st.heap_alloc > w->peak_alloc)
		w->peak_alloc = st.heap_alloc;
	if (st.heap_objects > w->peak_objects)
		w->peak_objects = st.heap_objects;
	w->num_gc = st.num_gc;
	return 0;
}

int wl_run(struct wl *w)
{
	uint32_t failed;
	int err;

	if (!w->b.count)
		return 0;
	err = gmm_batch_run(w->g, &w->b, &failed);
	w->ioctls++;
	w->ops += w->b.done;
	if (err) {
		if (failed == GMM_BATCH_NONE)
			return wl_fail(w, err, "GMM_IOC_BATCH of %u operations: %s",
				       w->b.count, strerror(-err));
		return wl_fail(w, err, "GMM_IOC_BATCH: operation %u of %u (%s) "
			       "failed: %s", failed, w->b.count,
			       gmm_op_name(w->b.ops[failed].op), strerror(-err));
	}
	return wl_sample(w);
}

int wl_init(struct wl *w, const char *name, struct gmm *g, uint32_t batch,
	    bool quiet)
{
	int err;

	memset(w, 0, sizeof(*w));
	w->name = name;
	w->g = g;
	progress_init(&w->prog, quiet);
	err = gmm_batch_init(&w->b, batch);
	if (err)
		return wl_fail(w, err, "batch buffer: %s", strerror(-err));
	w->t0 = now_ns();
	return 0;
}

double wl_secs(const struct wl *w)
{
	return (double)(now_ns() - w->t0) / 1e9;
}
