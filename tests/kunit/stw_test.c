// SPDX-License-Identifier: GPL-2.0
/*
 * stw_test.c - KUnit suite "gmm_stw": mutator sections and stopping the
 * world (gmm/stw.c) on a heap of their own.
 *
 * Every case orders its steps with completions and with the collector's
 * own state (gmm_stw_pending(), the arming state), never with timing: a
 * case that waits a moment before it looks only ever checks that
 * something did NOT happen, so a slow machine cannot fail it, while a
 * broken stop (one that does not wait, or lets a section in) shows at once.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/sched.h>

#include <linux/gmm.h>
#include "gmm_kunit.h"

#define ST_TIMEOUT		(30 * HZ)
#define ST_LOOK_MS		50	/* how long "did not happen" is watched */

struct st_stopper {
	struct gmm_stw *s;
	struct task_struct *task;
	struct completion stopped;
	struct completion restart;
	struct completion done;		/* restarted; the task only waits */
};

struct st_fixture {
	struct gmm_heap *h;
	struct task_struct *task;
	struct completion entered;	/* the mutator is inside its section */
	struct completion release;	/* the mutator may leave */
	struct completion left;		/* the mutator has left */
	bool yield;			/* the mutator yields in a loop */
	bool stop;			/* ... until this is set */
	int move_to;			/* CPU to leave on, or -1 */
	unsigned long loops;		/* its yields */
	struct st_stopper w;		/* a stop in another thread */
};

static int st_stopper_fn(void *arg)
{
	struct st_stopper *w = arg;

	gmm_stw_stop(w->s);
	complete(&w->stopped);
	wait_for_completion(&w->restart);
	gmm_stw_start(w->s);
	complete(&w->done);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ / 10);
	return 0;
}

/* A stop in another thread; returns once the stop is pending. */
static void st_stop_async(struct kunit *test, struct st_stopper *w,
			  struct gmm_stw *s)
{
	unsigned long end = jiffies + ST_TIMEOUT;
	struct task_struct *t;

	w->s = s;
	init_completion(&w->stopped);
	init_completion(&w->restart);
	init_completion(&w->done);
	t = kthread_run(st_stopper_fn, w, "kunit_stw_stop");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	get_task_struct(t);
	w->task = t;
	while (!gmm_stw_pending(s) && time_before(jiffies, end))
		usleep_range(500, 1000);
	KUNIT_ASSERT_TRUE(test, gmm_stw_pending(s));
}

/* Let the stopper restart the world, wait for it, and reap it. */
static void st_stop_end(struct st_stopper *w)
{
	if (!w->task)
		return;
	complete(&w->restart);
	wait_for_completion(&w->done);
	kthread_stop(w->task);
	put_task_struct(w->task);
	w->task = NULL;
}

static int st_init(struct kunit *test)
{
	struct st_fixture *f;
	int ret = gmm_kunit_init(test, "gmm_stw", sizeof(*f));

	if (ret)
		return ret;
	f = gmm_kunit_priv(test);
	init_completion(&f->entered);
	init_completion(&f->release);
	init_completion(&f->left);
	f->move_to = -1;
	/* GOGC off: no cycle of its own gets in the way. */
	f->h = gmm_kunit_heap(test, "kunit_stw", -1, 0);
	return 0;
}

static void st_exit(struct kunit *test)
{
	struct st_fixture *f = gmm_kunit_priv(test);

	/* Threads only ever run once the heap is made. */
	if (f && f->h) {
		WRITE_ONCE(f->stop, true);
		complete_all(&f->release);	/* a held mutator lets the stop in */
		st_stop_end(&f->w);
		if (f->task) {
			complete_all(&f->release);
			kthread_stop(f->task);
			put_task_struct(f->task);
		}
	}
	gmm_kunit_exit(test);
}

/* The mutator: one section, held until released (or yielding in a loop). */
static int st_mutator(void *arg)
{
	struct st_fixture *f = arg;

	gmm_mutator_enter(f->h);
	complete(&f->entered);
	if (f->yield) {
		while (!READ_ONCE(f->stop)) {
			gmm_mutator_yield(f->h);
			WRITE_ONCE(f->loops, f->loops + 1);
			usleep_range(100, 200);
		}
	} else {
		wait_for_completion(&f->release);
	}
	if (f->move_to >= 0)
		set_cpus_allowed_ptr(current, cpumask_of(f->move_to));
	gmm_mutator_exit(f->h);
	complete(&f->left);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ / 10);
	return 0;
}

static void st_start_mutator(struct kunit *test, struct st_fixture *f, int cpu)
{
	f->task = kthread_create(st_mutator, f, "kunit_stw_mut");
	KUNIT_ASSERT_FALSE(test, IS_ERR(f->task));
	get_task_struct(f->task);
	if (cpu >= 0)
		kthread_bind(f->task, cpu);
	wake_up_process(f->task);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&f->entered,
							  ST_TIMEOUT), 0UL);
}

/*
 * A mutator holds a section (begun on @cpu, or anywhere for -1): a stop
 * must wait for it, and only for it - once it ends, the world stops.
 */
static void st_stop_waits(struct kunit *test, int cpu)
{
	struct st_fixture *f = gmm_kunit_priv(test);
	struct st_stopper *w = &f->w;

	st_start_mutator(test, f, cpu);
	st_stop_async(test, w, &f->h->gc.stw);
	msleep(ST_LOOK_MS);
	KUNIT_EXPECT_FALSE_MSG(test, completion_done(&w->stopped),
			       "the world stopped with a section open");
	complete(&f->release);
	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&w->stopped,
							  ST_TIMEOUT), 0UL);
	st_stop_end(w);
	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&f->left,
							  ST_TIMEOUT), 0UL);
}

/* A stop waits for a section in flight, and only for it. */
static void stw_stop_waits_for_section(struct kunit *test)
{
	st_stop_waits(test, -1);
}

/* While the world is stopped, a new section waits for the restart. */
static void stw_section_waits_for_restart(struct kunit *test)
{
	struct st_fixture *f = gmm_kunit_priv(test);
	struct gmm_stw *s = &f->h->gc.stw;

	gmm_stw_stop(s);
	f->task = kthread_run(st_mutator, f, "kunit_stw_mut");
	if (IS_ERR(f->task)) {
		gmm_stw_start(s);
		f->task = NULL;
		KUNIT_FAIL(test, "no thread");
		return;
	}
	get_task_struct(f->task);
	msleep(ST_LOOK_MS);
	KUNIT_EXPECT_FALSE_MSG(test, completion_done(&f->entered),
			       "a section began in a stopped world");
	gmm_stw_start(s);
	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&f->entered,
							  ST_TIMEOUT), 0UL);
	complete(&f->release);
}

/*
 * A mutator that never leaves its section but passes safepoints lets the
 * stop in; while the world is stopped it makes no progress.
 */
static void stw_yield_lets_stop_in(struct kunit *test)
{
	struct st_fixture *f = gmm_kunit_priv(test);
	struct st_stopper *w = &f->w;
	unsigned long loops;

	f->yield = true;
	st_start_mutator(test, f, -1);
	st_stop_async(test, w, &f->h->gc.stw);
	KUNIT_ASSERT_GT_MSG(test, wait_for_completion_timeout(&w->stopped,
							      ST_TIMEOUT), 0UL,
			    "a yielding mutator kept the world from stopping");
	loops = READ_ONCE(f->loops);
	msleep(ST_LOOK_MS);
	KUNIT_EXPECT_EQ_MSG(test, READ_ONCE(f->loops), loops,
			    "the mutator ran in a stopped world");
	st_stop_end(w);
	WRITE_ONCE(f->stop, true);
	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&f->left,
							  ST_TIMEOUT), 0UL);
	KUNIT_EXPECT_GT(test, READ_ONCE(f->loops), loops);
}

/*
 * A section that ends on another CPU than it began on: the per-CPU counts
 * only add up over all CPUs, and a stop must still see it end (and must
 * not see it end before it does).
 */
static void stw_section_moves_cpu(struct kunit *test)
{
	struct st_fixture *f = gmm_kunit_priv(test);
	int c0 = cpumask_first(cpu_online_mask);
	int c1 = cpumask_next(c0, cpu_online_mask);

	if (c1 >= nr_cpu_ids)
		kunit_skip(test, "needs two online CPUs");
	f->move_to = c1;
	st_stop_waits(test, c0);
}

/*
 * Arming: a stop of an unarmed heap waits for the grace period itself; an
 * armed heap stops without it; disarming turns the fast path back on.
 */
static void stw_arming(struct kunit *test)
{
	struct st_fixture *f = gmm_kunit_priv(test);
	struct gmm_stw *s = &f->h->gc.stw;

	KUNIT_ASSERT_EQ(test, READ_ONCE(s->armed), (int)GMM_STW_FAST);
	KUNIT_EXPECT_GT(test, gmm_stw_stop(s), 0ULL);
	gmm_stw_start(s);
	KUNIT_EXPECT_EQ(test, READ_ONCE(s->armed), (int)GMM_STW_ARMED);
	KUNIT_EXPECT_EQ(test, gmm_stw_stop(s), 0ULL);
	gmm_stw_start(s);
	gmm_stw_disarm(s);
	KUNIT_EXPECT_EQ(test, READ_ONCE(s->armed), (int)GMM_STW_FAST);
	gmm_stw_arm(s);
	KUNIT_EXPECT_NE(test, READ_ONCE(s->armed), (int)GMM_STW_FAST);
	KUNIT_EXPECT_GT(test,
			wait_event_timeout(s->writer,
					   READ_ONCE(s->armed) == GMM_STW_ARMED,
					   ST_TIMEOUT), 0L);
	gmm_mutator_enter(f->h);	/* the slow path, no stop pending */
	KUNIT_EXPECT_FALSE(test, gmm_stw_pending(s));
	gmm_mutator_exit(f->h);
	KUNIT_EXPECT_EQ(test, gmm_stw_stop(s), 0ULL);
	gmm_stw_start(s);
	gmm_stw_disarm(s);
}

static struct kunit_case gmm_stw_cases[] = {
	KUNIT_CASE(stw_stop_waits_for_section),
	KUNIT_CASE(stw_section_waits_for_restart),
	KUNIT_CASE(stw_yield_lets_stop_in),
	KUNIT_CASE(stw_section_moves_cpu),
	KUNIT_CASE(stw_arming),
	{}
};

static struct kunit_suite gmm_stw_suite = {
	.name = "gmm_stw",
	.init = st_init,
	.exit = st_exit,
	.test_cases = gmm_stw_cases,
};

kunit_test_suite(gmm_stw_suite);
