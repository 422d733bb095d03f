// SPDX-License-Identifier: GPL-2.0
/*
 * mark.c - tri-colour marking (Go's mgcmark.go and mgcwork.go).
 *
 * Colours: an object is white when its bit in span->mark_bits is clear,
 * grey when the bit is set and its bit in span->grey_bits is set too (its
 * pointers are still to be scanned), black when marked and not grey.
 *
 * The grey set needs no allocation, so shading works anywhere, the write
 * barrier included: gmm_shade() sets the mark bit with test_and_set_bit()
 * (one winner), sets the grey bit, and puts the span on the heap's grey
 * list - a lock-free llist - unless it is there already
 * (GMM_SPAN_GREY_QUEUED).  A drainer (a mark worker, mark termination, or
 * a mutator doing a mark assist) takes one span at a time off the list
 * (llist_del_first() under gc.grey_lock: drainers take turns, shaders
 * never wait), clears the queued flag, then scans every grey object of
 * the span.  Scanning an object reads the
 * words its type's pointer bitmap names and shades what they point to:
 * marking is iterative, never recursive, so a million-long list cannot
 * overflow the stack.  Noscan objects are marked but never grey.
 *
 * Ordering: shade sets the grey bit before test_and_set_bit(QUEUED) (a
 * full barrier); a drainer clears QUEUED and then (smp_mb__after_atomic)
 * looks at the grey bits.  Either the drainer sees the new grey bit, or
 * the shader sees QUEUED clear and queues the span again.
 *
 * The checkmark pass (module parameter checkmark=1, like Go's
 * GODEBUG=gccheckmark=1) runs at mark termination with the world stopped:
 * it marks everything reachable again into span->check_bits and reports
 * every reachable object the concurrent mark left white.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/ktime.h>
#include <linux/llist.h>
#include <linux/sched.h>

#include "heap.h"
#include "internal.h"
#include "mark.h"
#include "mutant.h"
#include "trace.h"

/* Test hook: a KUnit case turns the barrier off to show the test fails. */
bool gmm_barrier_disabled;
GMM_EXPORT_FOR_TESTING(gmm_barrier_disabled);

static inline unsigned int gmm_obj_index(struct gmm_span *s, const void *obj)
{
	if (s->state == GMM_SPAN_LARGE)
		return 0;
	return gmm_div_elemsize((unsigned long)obj - s->base, s->divmagic);
}

/*
 * A drainer's own state (Go's gcWork): the bytes it marked, added to
 * gc.marked_bytes once per drain, and the spans it queued, kept on a
 * private stack and handed to the shared grey list in batches - one
 * shared atomic per batch instead of one per span, and the list's head
 * does not bounce between the CPUs of the drainers.  The private stack
 * is handed over whenever the shared list runs dry, so that idle
 * drainers get work, and always before the drainer leaves.
 */
struct gmm_drain {
	long marked;
	struct llist_node *first, *last;
	unsigned int n;
	bool atomic;		/* preemption is off: no cond_resched() */
	u16 type_id;		/* the last type looked up, and its id */
	const struct gmm_type *type;
};

#define GMM_DRAIN_BATCH		64	/* spans kept privately at most */

/* Hand the private stack to the shared grey list. */
static void gmm_drain_publish(struct gmm_heap *h, struct gmm_drain *d)
{
	if (!d->first)
		return;
	llist_add_batch(d->first, d->last, &h->gc.grey);
	d->first = NULL;
	d->last = NULL;
	d->n = 0;
}

/* Queue @s: on the drainer's stack if there is one, else shared. */
static void gmm_grey_queue(struct gmm_heap *h, struct gmm_span *s,
			   struct gmm_drain *d)
{
	if (!d) {
		llist_add(&s->grey_node, &h->gc.grey);
		return;
	}
	s->grey_node.next = d->first;
	d->first = &s->grey_node;
	if (!d->last)
		d->last = d->first;
	if (++d->n >= GMM_DRAIN_BATCH)
		gmm_drain_publish(h, d);
}

/*
 * Shade @obj.  @d is the drainer's state, or NULL for a shade from
 * outside a drain (the write barrier, root scans): then the bytes go to
 * gc.marked_bytes and the span to the shared list at once.
 */
static void __gmm_shade(struct gmm_heap *h, void *obj, struct gmm_drain *d)
{
	long dummy = 0, *marked = d ? &d->marked : &dummy;
	unsigned long *bits;
	struct gmm_span *s;
	unsigned int idx;

	if (!obj)
		return;
	s = gmm_span_of(obj);
	if (WARN_ON_ONCE(!s))
		return;
	idx = gmm_obj_index(s, obj);
	bits = READ_ONCE(h->gc.checking) ? s->check_bits : s->mark_bits;
	if (test_bit(idx, bits) || test_and_set_bit(idx, bits))
		return;
	if (bits == s->check_bits) {
		if (!test_bit(idx, s->mark_bits)) {
			/* Reachable, but the concurrent mark missed it:
			 * report it and keep it (the sweeper would free it).
			 * Only the GC thread drains during the checkmark
			 * pass, with the world stopped.
			 */
			pr_err_ratelimited("checkmark: heap %s: unmarked reachable object: span class %u, slot %u\n",
					   h->name, s->spanclass, idx);
			h->gc.checkmark_failures++;
			if (!test_and_set_bit(idx, s->mark_bits))
				*marked += s->elemsize;
		}
	} else {
		*marked += s->elemsize;
	}
	if (dummy)
		atomic64_add(dummy, &h->gc.marked_bytes);
	if (gmm_spanclass_noscan(s->spanclass))
		return;
	set_bit(idx, s->grey_bits);
	if (!test_and_set_bit(GMM_SPAN_GREY_QUEUED, &s->gcflags))
		gmm_grey_queue(h, s, d);
}

/**
 * gmm_shade() - turn a white object grey
 * @h: the heap
 * @obj: any pointer into a live object of @h, or NULL
 *
 * Any context; no locks, no allocation.
 */
void gmm_shade(struct gmm_heap *h, void *obj)
{
	__gmm_shade(h, obj, NULL);
}

GMM_EXPORT_FOR_TESTING(gmm_shade);

/**
 * gmm_mark_new_object() - allocate black: mark an object allocated while
 * the collector is marking
 * @h: the heap
 * @s: its span
 * @idx: its slot
 */
void gmm_mark_new_object(struct gmm_heap *h, struct gmm_span *s,
			 unsigned int idx)
{
	if (GMM_MUTANT(GMM_MUT_ALLOC_WHITE))
		return;
	if (!test_and_set_bit(idx, s->mark_bits))
		atomic64_add(s->elemsize, &h->gc.marked_bytes);
}

/* Scan one grey object: shade everything its pointer words point to. */
static long gmm_scan_object(struct gmm_heap *h, struct gmm_span *s,
			    unsigned int idx, struct gmm_drain *d)
{
	const struct gmm_type *t;
	unsigned long base, w;
	unsigned int n, e;

	if (s->state == GMM_SPAN_LARGE) {
		if (GMM_MUTANT(GMM_MUT_LARGE_UNSCANNED))
			return 0;
		t = s->large_type;
		base = s->base;
	} else {
		u16 id = READ_ONCE(s->slot_types[idx]);

		/* Most spans hold one type: look it up once per run of
		 * slots (types live as long as the heap).
		 */
		if (id != d->type_id || !d->type) {
			d->type = gmm_type_by_id(h, id);
			d->type_id = id;
		}
		t = d->type;
		base = s->base + (unsigned long)idx * s->elemsize;
	}
	if (!t || !t->nptrs)
		return 0;
	/* An array fills the slot with elements; the tail beyond the request
	 * is zero, and zero words shade nothing.
	 */
	n = s->elemsize / t->size;
	if (GMM_MUTANT(GMM_MUT_ARRAY_FIRST_ONLY))
		n = 1;
	for (e = 0; e < n; e++) {
		unsigned long elem = base + (unsigned long)e * t->size;

		for_each_set_bit(w, t->ptrmap, t->nwords)
			__gmm_shade(h, READ_ONCE(*(void **)(elem + w * sizeof(void *))),
				    d);
		if (!(e & 63) && !d->atomic)
			cond_resched();
	}
	return (long)n * t->size;
}

/* Scan every grey object of a span the caller took off the grey list. */
static long gmm_scan_span(struct gmm_heap *h, struct gmm_span *s,
			  struct gmm_drain *d)
{
	unsigned int idx = 0;
	long done = 0;

	clear_bit(GMM_SPAN_GREY_QUEUED, &s->gcflags);
	/* Order the flag's clearing before reading the grey bits; pairs with
	 * the fully ordered test_and_set_bit() in gmm_shade().
	 */
	smp_mb__after_atomic();
	/*
	 * The search reads grey_bits with plain loads while shaders set bits
	 * (set_bit) and another drainer that took the span after it was
	 * queued again clears them (test_and_clear_bit): a benign race
	 * (KCSAN reports it).  A stale word costs nothing: every candidate
	 * is claimed with the atomic test_and_clear_bit(), so no object is
	 * scanned twice, and a bit set after the word was read belongs to a
	 * shade that found QUEUED clear (above) and queued the span again.
	 */
	while ((idx = data_race(find_next_bit(s->grey_bits, s->nelems, idx))) <
	       s->nelems) {
		if (test_and_clear_bit(idx, s->grey_bits))
			done += gmm_scan_object(h, s, idx, d);
		idx++;
	}
	return done;
}

/**
 * gmm_mark_scan_one() - scan one grey object outside a drain (step.c)
 * @h: the heap; marking
 * @s: the object's span, taken off the grey list by the caller
 * @idx: the object's slot, whose grey bit the caller cleared
 *
 * What it shades goes to the shared grey list at once.  Process context.
 *
 * Return: bytes scanned.
 */
long gmm_mark_scan_one(struct gmm_heap *h, struct gmm_span *s,
		       unsigned int idx)
{
	struct gmm_drain d = {};
	long done;

	done = gmm_scan_object(h, s, idx, &d);
	gmm_drain_publish(h, &d);
	if (d.marked)
		atomic64_add(d.marked, &h->gc.marked_bytes);
	return done;
}

/* Whether a drainer with @flags should give up its budget now. */
static bool gmm_drain_should_yield(struct gmm_heap *h, unsigned int flags)
{
	return (flags & GMM_DRAIN_YIELD) &&
	       (gmm_stw_pending(&h->gc.stw) || READ_ONCE(h->gc.dying));
}

/*
 * Take one grey span: from the drainer's own stack, else from the shared
 * list, where drainers take turns under grey_lock (shaders never wait).
 */
static struct gmm_span *gmm_grey_pop(struct gmm_heap *h, struct gmm_drain *d)
{
	struct llist_node *n = d->first;

	if (n) {
		d->first = n->next;
		if (!d->first)
			d->last = NULL;
		d->n--;
		return llist_entry(n, struct gmm_span, grey_node);
	}
	if (llist_empty(&h->gc.grey))
		return NULL;
	spin_lock(&h->gc.grey_lock);
	n = llist_del_first(&h->gc.grey);
	spin_unlock(&h->gc.grey_lock);
	return n ? llist_entry(n, struct gmm_span, grey_node) : NULL;
}

/*
 * Scan one span.  An idle-priority drainer does it with preemption off and
 * hands over what it queued before it turns preemption back on, so that it
 * never holds grey spans while it waits for a CPU it may not get for long.
 */
static long gmm_drain_span(struct gmm_heap *h, struct gmm_span *s,
			   unsigned int flags, struct gmm_drain *d)
{
	long done;

	if (!(flags & GMM_DRAIN_IDLE))
		return gmm_scan_span(h, s, d);
	preempt_disable();
	d->atomic = true;
	done = gmm_scan_span(h, s, d);
	d->atomic = false;
	gmm_drain_publish(h, d);	/* keeps nothing once it can be preempted */
	preempt_enable();
	return done;
}

/**
 * gmm_mark_drain() - scan grey objects
 * @h: the heap
 * @budget: stop after about this many bytes scanned; LONG_MAX = until the
 *	grey set is empty
 * @flags: GMM_DRAIN_YIELD: also stop when the world is to be stopped (a
 *	mark worker, an assist); GMM_DRAIN_IDLE: an idle-priority worker,
 *	which scans each span with preemption off and stops as soon as
 *	another task wants its CPU.  Mark termination and the checkmark pass
 *	drain with the world stopped and pass 0
 *
 * Called by the mark workers, by mutators (assists) and by mark
 * termination; several drainers may run at once.  A drainer holds one
 * grey span at a time, taken off the list under gc.grey_lock, so a drainer
 * that loses its CPU keeps no more than one span from the others (and an
 * idle-priority one none: it cannot be preempted while it holds one).
 * Every drainer checks on its way out whether marking is complete
 * (gmm_gc_mark_maybe_done()): the last one out sees it.  Process context.
 *
 * Return: bytes scanned; 0 means there was no grey object.
 */
long gmm_mark_drain(struct gmm_heap *h, long budget, unsigned int flags)
{
	struct gmm_drain d = {};
	long done = 0;

	atomic64_add_return(GMM_DRAIN_ONE + 1, &h->gc.drainers);
	while (done < budget) {
		struct gmm_span *s = gmm_grey_pop(h, &d);

		if (!s)
			break;
		done += gmm_drain_span(h, s, flags, &d) + 1;
		/* Others have nothing: share what this drainer has. */
		if (d.n > 1 && llist_empty(&h->gc.grey))
			gmm_drain_publish(h, &d);
		if ((flags & GMM_DRAIN_IDLE) && need_resched())
			break;	/* its caller reschedules */
		if (d.first && need_resched())
			gmm_drain_publish(h, &d);	/* before it waits */
		cond_resched();
		if (gmm_drain_should_yield(h, flags))
			break;
	}
	gmm_drain_publish(h, &d);
	atomic64_add(done, &h->gc.scanned_bytes);
	if (d.marked)
		atomic64_add(d.marked, &h->gc.marked_bytes);
	/* Fully ordered: the span's shades come before the decrement. */
	atomic64_dec_return(&h->gc.drainers);
	/* Every drainer that leaves checks: the last one out must see it. */
	gmm_gc_mark_maybe_done(h);
	return done;
}

GMM_EXPORT_FOR_TESTING(gmm_mark_drain);

/**
 * gmm_mark_roots() - shade every root
 * @h: the heap; the world is stopped
 */
void gmm_mark_roots(struct gmm_heap *h)
{
	gmm_roots_scan(h, gmm_shade);
}

/**
 * gmm_mark_roots_stw() - shade the roots scanned in the first pause
 * @h: the heap; the world is stopped
 *
 * Root slots and scope locals; handles follow concurrently
 * (gmm_mark_handles()).
 */
void gmm_mark_roots_stw(struct gmm_heap *h)
{
	gmm_roots_scan_stw(h, gmm_shade);
}

/**
 * gmm_mark_handles() - shade what the handles hold, concurrently
 * @h: the heap; marking, the world running
 */
void gmm_mark_handles(struct gmm_heap *h)
{
	gmm_roots_scan_handles(h, gmm_shade);
}

static void gmm_clear_check_bits(struct gmm_arena *a, void *arg)
{
	unsigned int i;

	for (i = 0; i < a->npages; i++) {
		struct gmm_span *s = a->spans[i];

		if (s && s->first_page == i)
			bitmap_zero(s->check_bits, s->nelems);
	}
}

/**
 * gmm_checkmark() - verify the mark: re-mark from the roots into the check
 * bits and report reachable objects left unmarked
 * @h: the heap; the world is stopped and marking is complete
 *
 * Return: how many reachable objects were found unmarked (each is
 * reported and then marked, so the sweeper keeps it).
 */
u64 gmm_checkmark(struct gmm_heap *h)
{
	u64 before = h->gc.checkmark_failures;

	gmm_pageheap_walk_arenas(&h->pages, gmm_clear_check_bits, NULL);
	WRITE_ONCE(h->gc.checking, true);
	gmm_mark_roots(h);
	while (gmm_mark_drain(h, LONG_MAX, 0))
		;
	WRITE_ONCE(h->gc.checking, false);
	return h->gc.checkmark_failures - before;
}

/* Take up to @debt bytes of the mark workers' credit; returns what is left. */
static long gmm_assist_steal(struct gmm_heap *h, long debt)
{
	s64 c = atomic64_read(&h->gc.bg_credit);

	while (c > 0) {
		s64 take = min_t(s64, c, debt);

		if (atomic64_try_cmpxchg(&h->gc.bg_credit, &c, c - take))
			return debt - take;
	}
	return debt;
}

/**
 * gmm_assist() - make an allocating mutator pay for its allocation with
 * mark work (Go's gcAssistAlloc)
 * @h: the heap
 * @alloc_bytes: bytes the mutator just took (a span's free slots, a large
 *	object)
 *
 * The debt comes from the pacer (gmm_pacer_assist_work()); the mark
 * workers' credit pays for it first, and what is left is drained at
 * GMM_OVER_ASSIST bytes or more at a time, to make assists fewer.  Past
 * the hard goal the mutator drains until no grey object is left.  Either
 * way it gives up at a pending stop of the world.  Runs in the mutator's
 * section; only while marking.
 */
void gmm_assist(struct gmm_heap *h, u64 alloc_bytes)
{
	bool strict;
	long debt, done;
	u64 t0, d;

	/* A stepped mark waits for its steps alone (step.c). */
	if (READ_ONCE(h->gc.phase) != GMM_GC_PHASE_MARK ||
	    READ_ONCE(h->gc.step.stepping))
		return;
	debt = gmm_pacer_assist_work(h, alloc_bytes, &strict);
	if (!strict) {
		debt = gmm_assist_steal(h, debt);
		if (debt <= 0)
			return;
		debt = max_t(long, debt, GMM_OVER_ASSIST);
	}
	t0 = ktime_get_ns();
	done = gmm_mark_drain(h, debt, GMM_DRAIN_YIELD);
	if (!done)
		return;
	d = ktime_get_ns() - t0;
	atomic64_add(done, &h->gc.assist_bytes);
	atomic64_inc(&h->gc.assists);
	atomic64_add(d, &h->gc.assist_ns);
	trace_gmm_gc_assist(h->id, debt, done, d);
}
