/* SPDX-License-Identifier: GPL-2.0 */
/*
 * workload.h - `gmmctl workload binarytrees|churn|graph`: user-space
 * workloads on a gmm heap through batched ioctls (GMM_IOC_BATCH), each of
 * which checks what it reads back, so a collector that frees a reachable
 * object, or a batch that loses an operation, makes it fail.
 *
 *   runner.c        the batch every workload fills and runs, the peaks
 *   binarytrees.c   the GCBench / benchmarks-game shape
 *   churn.c         a live set of random sizes, replaced at random
 *   graph.c         a random graph against a shadow model
 *   cmd_workload.c  the table of workloads, the options, the summary
 */
#ifndef GMMCTL_WORKLOAD_H
#define GMMCTL_WORKLOAD_H

#include "gmmctl.h"

/* A workload running: its heap, its batch, what it did and saw. */
struct wl {
	const char *name;
	struct gmm *g;
	struct gmm_batch_buf b;
	struct progress prog;
	uint64_t t0, ops, ioctls;
	uint64_t peak_sys, peak_alloc, peak_objects;
	uint64_t num_gc;		/* from the latest sample */
	char msg[256];			/* why it failed */
};

/* @err, after putting the message in w->msg. */
int wl_fail(struct wl *w, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int wl_init(struct wl *w, const char *name, struct gmm *g, uint32_t batch,
	    bool quiet);
/* Run the batch and sample the heap; on error w->msg says why. */
int wl_run(struct wl *w);
double wl_secs(const struct wl *w);	/* since wl_init() */

/* The options of `gmmctl workload` (cmd_workload.c). */
struct wl_opts {
	uint64_t depth;				/* binarytrees */
	uint64_t objects, smin, smax;		/* churn */
	double seconds;
	uint64_t nodes, edges, rounds;		/* graph */
	uint64_t batch, seed, limit;		/* every workload */
	int gcp;
	bool set_edges, set_limit, set_gc, quiet;
	unsigned int given;			/* 1 << the workloads' index */
};

/*
 * The workloads: run on @w with @o, their lines on stdout or their
 * results into the JSON object @jp (NULL for text).  0 or -errno, or
 * -EBADMSG when a check found wrong data (w->msg says why).
 */
int wl_binarytrees(struct wl *w, const struct wl_opts *o, struct json *jp);
int wl_churn(struct wl *w, const struct wl_opts *o, struct json *jp);
int wl_graph(struct wl *w, const struct wl_opts *o, struct json *jp);

#endif /* GMMCTL_WORKLOAD_H */
