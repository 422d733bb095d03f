// SPDX-License-Identifier: GPL-2.0
/*
 * gctrace.c - what a cycle did, as Go's GODEBUG=gctrace=1 line.
 *
 * Every cycle leaves a record (struct gmm_cycle_trace) in its heap's ring
 * of the last GMM_CYCLE_RING; this file formats a record as a gctrace
 * line (for the gctrace=1 printk, the heap's debugfs file gctrace and
 * gmmctl), copies the ring out consistently, and owns the module
 * parameter gctrace.
 */
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/spinlock.h>

#include "gctrace.h"
#include "heap.h"
#include "internal.h"

static bool gctrace;
module_param(gctrace, bool, 0644);
MODULE_PARM_DESC(gctrace, "print one line per GC cycle, like GODEBUG=gctrace=1");

/**
 * gmm_gctrace_format() - one cycle as a gctrace line
 * @buf: where the line goes, without a newline
 * @size: size of @buf; GMM_GCTRACE_LEN is always enough
 * @t: the cycle's record
 *
 * The format of Go's GODEBUG=gctrace=1, used by the gctrace=1 printk and
 * by the heap's debugfs file gctrace.
 *
 * Return: the length of the line, as snprintf().
 */
int gmm_gctrace_format(char *buf, size_t size, const struct gmm_cycle_trace *t)
{
	/* Go: gc N @Ts P%: a+b+c ms clock, x+ya/yb/yc+z ms cpu,
	 *     h0->h1->h2 MB, G MB goal, N P
	 */
	return snprintf(buf, size,
		"gc %llu @%llu.%03llus %u%%: %llu.%03llu+%llu.%03llu+%llu.%03llu ms clock, %llu.%03llu+%llu.%03llu/%llu.%03llu/%llu.%03llu+%llu.%03llu ms cpu, %llu.%01llu->%llu.%01llu->%llu.%01llu MB, %llu.%01llu MB goal, %u P%s",
		t->num, t->since_start_ns / NSEC_PER_SEC,
		(t->since_start_ns / NSEC_PER_MSEC) % 1000, t->cpu_pct,
		t->stw1_ns / NSEC_PER_MSEC, (t->stw1_ns / NSEC_PER_USEC) % 1000,
		t->mark_ns / NSEC_PER_MSEC, (t->mark_ns / NSEC_PER_USEC) % 1000,
		t->stw2_ns / NSEC_PER_MSEC, (t->stw2_ns / NSEC_PER_USEC) % 1000,
		t->stw1_ns / NSEC_PER_MSEC, (t->stw1_ns / NSEC_PER_USEC) % 1000,
		t->assist_ns / NSEC_PER_MSEC, (t->assist_ns / NSEC_PER_USEC) % 1000,
		t->bg_ns / NSEC_PER_MSEC, (t->bg_ns / NSEC_PER_USEC) % 1000,
		t->idle_ns / NSEC_PER_MSEC, (t->idle_ns / NSEC_PER_USEC) % 1000,
		t->stw2_ns / NSEC_PER_MSEC, (t->stw2_ns / NSEC_PER_USEC) % 1000,
		t->heap0 >> 20, ((t->heap0 >> 10) & 1023) * 10 / 1024,
		t->heap1 >> 20, ((t->heap1 >> 10) & 1023) * 10 / 1024,
		t->heap2 >> 20, ((t->heap2 >> 10) & 1023) * 10 / 1024,
		t->goal >> 20, ((t->goal >> 10) & 1023) * 10 / 1024,
		t->ncpus, t->forced ? " (forced)" : "");
}

GMM_EXPORT_FOR_TESTING(gmm_gctrace_format);

/**
 * gmm_gctrace_print() - the gctrace=1 printk of one cycle
 * @h: the heap
 * @t: the cycle's record
 *
 * Any context that may printk.
 */
void gmm_gctrace_print(struct gmm_heap *h, const struct gmm_cycle_trace *t)
{
	char line[GMM_GCTRACE_LEN];

	gmm_gctrace_format(line, sizeof(line), t);
	pr_info("%s: %s\n", h->name, line);
}

/**
 * gmm_gc_read_cycles() - copy the recent cycle records of a heap
 * @h: the heap
 * @out: room for GMM_CYCLE_RING records
 *
 * Oldest first.  The copy is consistent: records are published under
 * gc.lock.
 *
 * Return: the number of records copied.
 */
unsigned int gmm_gc_read_cycles(struct gmm_heap *h, struct gmm_cycle_trace *out)
{
	unsigned int n, i;
	u64 num;

	spin_lock(&h->gc.lock);
	num = h->gc.num_gc;
	n = min_t(u64, num, GMM_CYCLE_RING);
	for (i = 0; i < n; i++)
		out[i] = h->gc.cycles[(num - n + i) % GMM_CYCLE_RING];
	spin_unlock(&h->gc.lock);
	return n;
}

GMM_EXPORT_FOR_TESTING(gmm_gc_read_cycles);

/**
 * gmm_gctrace_on() - whether the gctrace=1 printk is on
 *
 * Return: the module parameter gctrace.
 */
bool gmm_gctrace_on(void)
{
	return READ_ONCE(gctrace);
}
