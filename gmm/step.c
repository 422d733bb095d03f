// SPDX-License-Identifier: GPL-2.0
/*
 * step.c - a heap's collector one batch of grey objects at a time
 * (GMM_IOC_STEP; see step.h).
 *
 * gmm_step_begin() asks for a cycle with gmm_gc_request(h, true): the
 * cycle work item sees at its start that the cycle is the one to step
 * (gmm_step_cycle_begins()), does not hand the heap to the mark workers,
 * scans the roots as always and wakes the stepper (gmm_step_mark_ready()).
 * While step.stepping is set, assists leave the heap alone (mark.c) and
 * gmm_gc_mark_maybe_done() claims nothing: the mark waits for steps.
 *
 * A step is a drainer like the others: counted in gc.drainers while it
 * holds grey spans, it takes a span off the grey list, scans grey objects
 * of it until it has scanned its count, and queues the span again when
 * grey objects are left in it (the same flag protocol as gmm_shade():
 * whoever sets GMM_SPAN_GREY_QUEUED queues).  Steps are serialised by
 * step.lock, so with stepping on a step is the only drainer of the heap.
 *
 * The step that finds no grey object ends the stepping: stepping off,
 * the heap published to the mark workers, then the usual check of
 * gmm_gc_mark_maybe_done(): the cycle ends as any cycle does, mark
 * termination draining with the world stopped what a write barrier shaded
 * after the check.  gmm_step_end() does the same at any point.  The
 * caller waits (killable) for the cycle to end.
 *
 * Locking: step.lock (a mutex) is taken by callers of gmm_step_*() only,
 * outside mutator sections; its place in the lock order is in heap.h.
 */
#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/llist.h>
#include <linux/sched.h>

#include <linux/gmm.h>
#include "dev.h"
#include "heap.h"
#include "internal.h"
#include "mark.h"
#include "markworker.h"

/**
 * gmm_step_init() - no stepping yet
 * @h: a heap being created
 */
void gmm_step_init(struct gmm_heap *h)
{
	mutex_init(&h->gc.step.lock);
	init_waitqueue_head(&h->gc.step.wait);
	h->gc.step.cycle = 0;
	h->gc.step.stepping = false;
}

/**
 * gmm_step_cycle_begins() - the cycle work item begins cycle @num's mark
 * @h: the heap
 * @num: the cycle's number
 *
 * Called after the first pause, before the heap would be handed to the
 * mark workers.  Process context (the cycle work item).
 *
 * Return: whether the cycle is stepped (then no worker may mark it).
 */
bool gmm_step_cycle_begins(struct gmm_heap *h, u64 num)
{
	bool on;

	spin_lock(&h->gc.lock);
	on = h->gc.step.cycle == num;
	spin_unlock(&h->gc.lock);
	WRITE_ONCE(h->gc.step.stepping, on);
	return on;
}

/**
 * gmm_step_mark_ready() - a stepped cycle's roots are grey: wake the stepper
 * @h: the heap
 */
void gmm_step_mark_ready(struct gmm_heap *h)
{
	wake_up_all(&h->gc.step.wait);
}

/**
 * gmm_step_active() - whether a stepped cycle marks (or is asked for)
 * @h: the heap
 *
 * Callers that would wait for a cycle (GMM_OP_GC, an allocation's
 * collection) refuse instead: the stepped cycle ends only when stepped.
 *
 * Return: true while a stepped cycle is asked for and has not ended.
 */
bool gmm_step_active(struct gmm_heap *h)
{
	u64 cycle = READ_ONCE(h->gc.step.cycle);

	return cycle && READ_ONCE(h->gc.completed) < cycle;
}

GMM_EXPORT_FOR_TESTING(gmm_step_active);

/* Whether the stepped cycle's mark has begun with its roots grey. */
static bool gmm_step_ready(struct gmm_heap *h, u64 cycle)
{
	return (READ_ONCE(h->gc.step.stepping) &&
		READ_ONCE(h->gc.roots_done) &&
		READ_ONCE(h->gc.cstate) == GMM_CYCLE_MARKING) ||
	       READ_ONCE(h->gc.completed) >= cycle;
}

static void gmm_step_fill(struct gmm_heap *h, struct gmm_step_state *st,
			  u32 scanned)
{
	st->scanned = scanned;
	st->marking = READ_ONCE(h->gc.step.stepping);
	st->cycle = h->gc.step.cycle;
	st->grey = st->marking ? gmm_step_grey_count(h) : 0;
}

/**
 * gmm_step_begin() - start a stepped cycle and wait until its roots are grey
 * @h: the heap
 * @st: out: where the cycle is
 *
 * The cycle asked for is the next one to start; one in progress ends
 * first.  Process context, outside mutator sections; sleeps.
 *
 * Return: 0, -EBUSY when a stepped cycle is under way already, -EINTR
 * when a fatal signal ended the wait (the cycle goes on and waits for
 * steps).
 */
int gmm_step_begin(struct gmm_heap *h, struct gmm_step_state *st)
{
	u64 cycle;
	int ret;

	mutex_lock(&h->gc.step.lock);
	if (gmm_step_active(h)) {
		ret = -EBUSY;
		goto out;
	}
	cycle = gmm_gc_request(h, true);
	ret = wait_event_killable(h->gc.step.wait, gmm_step_ready(h, cycle));
	if (!ret)
		gmm_step_fill(h, st, 0);
out:
	mutex_unlock(&h->gc.step.lock);
	return ret;
}

GMM_EXPORT_FOR_TESTING(gmm_step_begin);

/* Take one grey span off the shared list, as drainers do. */
static struct gmm_span *gmm_step_pop(struct gmm_heap *h)
{
	struct llist_node *n;

	if (llist_empty(&h->gc.grey))
		return NULL;
	spin_lock(&h->gc.grey_lock);
	n = llist_del_first(&h->gc.grey);
	spin_unlock(&h->gc.grey_lock);
	return n ? llist_entry(n, struct gmm_span, grey_node) : NULL;
}

/* Scan up to @want grey objects of @s; queue it again if some are left. */
static u32 gmm_step_span(struct gmm_heap *h, struct gmm_span *s, u32 want,
			 long *bytes)
{
	unsigned int idx = 0;
	u32 done = 0;

	clear_bit(GMM_SPAN_GREY_QUEUED, &s->gcflags);
	/* Pairs with the fully ordered test_and_set_bit() of gmm_shade(). */
	smp_mb__after_atomic();
	while (done < want &&
	       (idx = find_next_bit(s->grey_bits, s->nelems, idx)) < s->nelems) {
		if (test_and_clear_bit(idx, s->grey_bits)) {
			*bytes += gmm_mark_scan_one(h, s, idx);
			done++;
		}
		idx++;
	}
	if (find_next_bit(s->grey_bits, s->nelems, 0) < s->nelems &&
	    !test_and_set_bit(GMM_SPAN_GREY_QUEUED, &s->gcflags))
		llist_add(&s->grey_node, &h->gc.grey);
	return done;
}

/* Scan up to @want grey objects, as a drainer; returns how many. */
static u32 gmm_step_drain(struct gmm_heap *h, u32 want)
{
	struct gmm_span *s;
	long bytes = 0;
	u32 done = 0;

	atomic64_add_return(GMM_DRAIN_ONE + 1, &h->gc.drainers);
	while (done < want && (s = gmm_step_pop(h))) {
		done += gmm_step_span(h, s, want - done, &bytes);
		cond_resched();
	}
	atomic64_add(bytes, &h->gc.scanned_bytes);
	/* Fully ordered: the shades come before the decrement. */
	atomic64_dec_return(&h->gc.drainers);
	return done;
}

/* Stepping off: the cycle ends as any other; wait for it. */
static int gmm_step_finish(struct gmm_heap *h)
{
	u64 cycle = h->gc.step.cycle;

	WRITE_ONCE(h->gc.step.stepping, false);
	smp_mb();	/* stepping off before the workers and the check look */
	gmm_mark_publish(h);
	gmm_gc_mark_maybe_done(h);
	return wait_event_killable(h->gc.done,
				   READ_ONCE(h->gc.completed) >= cycle);
}

/**
 * gmm_step_scan() - scan up to @count grey objects of the stepped cycle
 * @h: the heap
 * @count: grey objects to scan, 1..GMM_STEP_MAX
 * @st: out: what the step did and where the cycle is
 *
 * When no grey object is left the call ends the mark instead (mark
 * termination, sweeping) and waits for the cycle to end.  Process
 * context, outside mutator sections; sleeps.
 *
 * Return: 0, -ENOENT when no stepped cycle marks, -EINTR (a fatal
 * signal; the cycle goes on).
 */
int gmm_step_scan(struct gmm_heap *h, u32 count, struct gmm_step_state *st)
{
	u32 done = 0;
	int ret = 0;

	mutex_lock(&h->gc.step.lock);
	if (!READ_ONCE(h->gc.step.stepping)) {
		ret = -ENOENT;
		goto out;
	}
	done = gmm_step_drain(h, count);
	if (!done)
		ret = gmm_step_finish(h);
	if (!ret)
		gmm_step_fill(h, st, done);
out:
	mutex_unlock(&h->gc.step.lock);
	return ret;
}

GMM_EXPORT_FOR_TESTING(gmm_step_scan);

/**
 * gmm_step_end() - let the stepped cycle finish by itself and wait for it
 * @h: the heap
 * @st: out: where the cycle is
 *
 * Process context, outside mutator sections; sleeps.
 *
 * Return: 0, -ENOENT when no stepped cycle marks, -EINTR.
 */
int gmm_step_end(struct gmm_heap *h, struct gmm_step_state *st)
{
	int ret;

	mutex_lock(&h->gc.step.lock);
	ret = READ_ONCE(h->gc.step.stepping) ? gmm_step_finish(h) : -ENOENT;
	if (!ret)
		gmm_step_fill(h, st, 0);
	mutex_unlock(&h->gc.step.lock);
	return ret;
}

GMM_EXPORT_FOR_TESTING(gmm_step_end);

static void gmm_step_count_arena(struct gmm_arena *a, void *arg)
{
	u32 *grey = arg;
	unsigned int i;

	for (i = 0; i < a->npages; i++) {
		struct gmm_span *s = READ_ONCE(a->spans[i]);

		if (s && s->first_page == i)
			*grey += bitmap_weight(s->grey_bits, s->nelems);
	}
}

/**
 * gmm_step_grey_count() - grey objects of a heap now
 * @h: the heap
 *
 * Racy against drainers and shaders, exact when nothing else marks (a
 * stepped cycle).  Process context.
 *
 * Return: the number of grey bits set.
 */
u32 gmm_step_grey_count(struct gmm_heap *h)
{
	u32 grey = 0;

	gmm_pageheap_walk_arenas(&h->pages, gmm_step_count_arena, &grey);
	return grey;
}

static long gmm_step_check(const struct gmm_step *a)
{
	if (a->reserved || a->flags & ~(GMM_STEP_BEGIN | GMM_STEP_END) ||
	    a->flags == (GMM_STEP_BEGIN | GMM_STEP_END))
		return -EINVAL;
	if (a->flags ? a->count != 0 : !a->count || a->count > GMM_STEP_MAX)
		return -EINVAL;
	return 0;
}

/**
 * gmm_ioctl_step() - GMM_IOC_STEP: begin a stepped cycle, step it, end it
 * @f: the file
 * @cmd: the command
 * @arg: user pointer to struct gmm_step
 *
 * Process context; sleeps (see gmm_step_begin(), gmm_step_scan()).
 *
 * Return: 0, -EINVAL, -E2BIG, -EBUSY, -ENOENT, -EINTR or -EFAULT.
 */
long gmm_ioctl_step(struct gmm_file *f, unsigned int cmd, unsigned long arg)
{
	struct gmm_step_state st = {};
	struct gmm_heap *h = f->heap;
	struct gmm_step a;
	long ret;

	ret = gmm_copy_arg_in(&a, sizeof(a), sizeof(a), cmd, arg);
	if (ret)
		return ret;
	ret = gmm_step_check(&a);
	if (ret)
		return ret;
	/* The answer must get out before the collector moves. */
	ret = gmm_copy_arg_out(arg, cmd, &a, sizeof(a));
	if (ret)
		return ret;
	if (a.flags & GMM_STEP_BEGIN)
		ret = gmm_step_begin(h, &st);
	else if (a.flags & GMM_STEP_END)
		ret = gmm_step_end(h, &st);
	else
		ret = gmm_step_scan(h, a.count, &st);
	if (ret)
		return ret;
	a.scanned = st.scanned;
	a.grey = st.grey;
	a.state = st.marking ? GMM_STEP_MARKING : GMM_STEP_IDLE;
	a.cycle = st.cycle;
	a.num_gc = READ_ONCE(h->gc.num_gc);
	return gmm_copy_arg_out(arg, cmd, &a, sizeof(a));
}
