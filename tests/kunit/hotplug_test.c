// SPDX-License-Identifier: GPL-2.0
/*
 * hotplug_test.c - KUnit suite "gmm_hotplug": CPUs going offline and
 * online while heaps are made and destroyed.
 *
 * A heap follows CPU hotplug so that a CPU going offline gives its cached
 * spans back; the callback enters a mutator section of the heap.  It must
 * never see a heap whose collector (the section's semaphore) is not set
 * up yet or already gone: heaps join the hotplug list last when they are
 * made and leave it first when they are destroyed.  The window the order
 * closes is a few instructions wide, so this case cannot prove it by
 * itself; it runs many heap lifetimes against many hotplug transitions
 * and lets the debug kernel (KASAN, lockdep, the hung-task detector)
 * report any callback that meets a half-built heap.  Skipped on a
 * machine with one CPU, or where CPU 1 cannot go offline.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/kthread.h>

#include <linux/gmm.h>
#include "gmm_kunit.h"

#define HP_HEAPS	200

struct hp_cycler {
	struct completion done;
	bool stop;
	unsigned int transitions;
	int error;
};

/* Take CPU 1 offline and online again until told to stop. */
static int hp_cycle_cpu(void *arg)
{
	struct hp_cycler *c = arg;

	while (!READ_ONCE(c->stop) && !c->error) {
		c->error = remove_cpu(1);
		if (!c->error)
			c->error = add_cpu(1);
		if (!c->error)
			c->transitions++;
		cond_resched();
	}
	complete(&c->done);
	return 0;
}

static void hotplug_vs_heap_lifetime(struct kunit *test)
{
	struct gmm_heap_params params = { .name = "kunit_hp", .gc_percent = -1 };
	struct hp_cycler c = { };
	struct task_struct *t;
	unsigned int i, made = 0;
	struct gmm_heap *h;

	if (num_online_cpus() < 2 || !cpu_online(1))
		kunit_skip(test, "needs CPU 1 online");
	init_completion(&c.done);
	t = kthread_run(hp_cycle_cpu, &c, "gmm_hp_test");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	for (i = 0; i < HP_HEAPS; i++) {
		h = gmm_heap_create(&params);
		if (IS_ERR(h))
			continue;
		made++;
		/* Something cached on this CPU for the callback to give back. */
		gmm_mutator_enter(h);
		gmm_alloc_noscan(h, 64);
		gmm_mutator_exit(h);
		gmm_heap_destroy(h);
	}
	WRITE_ONCE(c.stop, true);
	wait_for_completion(&c.done);
	if (!cpu_online(1))
		add_cpu(1);
	if (c.error && !c.transitions)
		kunit_skip(test, "CPU 1 cannot go offline: %d", c.error);
	KUNIT_EXPECT_EQ(test, made, HP_HEAPS);
	KUNIT_EXPECT_GT(test, c.transitions, 0U);
	kunit_info(test, "%u heaps made and destroyed across %u offline/online cycles of CPU 1\n",
		   made, c.transitions);
}

static struct kunit_case gmm_hotplug_cases[] = {
	KUNIT_CASE(hotplug_vs_heap_lifetime),
	{}
};

/* The fixture's exit checks that every heap gave its pages back. */
static int hp_init(struct kunit *test)
{
	return gmm_kunit_init(test, "gmm_hotplug", 0);
}

static struct kunit_suite gmm_hotplug_suite = {
	.name = "gmm_hotplug",
	.init = hp_init,
	.exit = gmm_kunit_exit,
	.test_cases = gmm_hotplug_cases,
};

kunit_test_suite(gmm_hotplug_suite);
