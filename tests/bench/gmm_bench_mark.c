// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_bench_mark.c - how fast gmm's collector marks a large live heap, next
 * to the memory bandwidth of the same machine (`make bench`; a benchmark,
 * not a test: nothing about time is asserted).
 *
 * The module's init does everything and returns -EAGAIN, so that it never
 * stays loaded (as gmm_bench.ko); any other error means it could not run.
 *
 *  1. Bandwidth: two vmalloc'ed buffers of copy_mb MiB each (more than the
 *     last-level cache), copied copy_reps times with the kernel's memcpy()
 *     and with a loop of 8-byte loads and stores (READ_ONCE/WRITE_ONCE, so
 *     that the compiler neither vectorises it nor makes it a memcpy call);
 *     MB/s = bytes copied / time, median of the repetitions.
 *  2. A live heap of mark_mb MiB: 32-byte objects (one pointer word and 24
 *     bytes of payload) linked into `chains` lists whose heads sit in one
 *     pointer array held by a root slot; consecutive objects go to
 *     different lists, so the marker's path jumps around the heap.  The
 *     heap has collection off (gc_percent -1): nothing is marked while it
 *     is built.
 *  3. `cycles` forced collections (gmm_gc()) of that heap while nothing
 *     else allocates.  From each cycle's record (struct gmm_cycle_trace,
 *     gmm_heap_read_cycles()): bytes marked (heap2) and the marking CPU time
 *     (bg_ns: the mark workers' and mark termination's drain time;
 *     idle_ns: the idle-priority workers'; assist_ns: none with an idle
 *     mutator).  Bytes marked per second of marking CPU time is the
 *     per-worker mark throughput.  The wall-clock figure is marked bytes
 *     over concurrent mark + mark termination, with every worker that got
 *     a CPU (the module's per-CPU workers, shared by all heaps).
 *
 * Output, in the kernel log, "gmm_bench_mark: " and then:
 *   copy,<memcpy|wordcopy>,<bytes>,<ns>          one line per repetition
 *   cycle,<n>,<marked>,<scanned>,<bg_ns>,<assist_ns>,<mark_ns>,<stw1_ns>,
 *         <stw2_ns>,<root_ns>,<idle_ns>
 *   mark: ok|FAILED key=value ...                the summary
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include <linux/gmm.h>

#define GM_MAX_REPS	15
#define GM_MAX_CYCLES	15
#define GM_CHUNK	(4UL << 20)	/* copied per timed call */
#define GM_SECTION	4096		/* objects per mutator section */

static unsigned int mark_mb = 128;
module_param(mark_mb, uint, 0444);
MODULE_PARM_DESC(mark_mb, "live heap to mark, MiB (default 128)");

static unsigned int chains = 65536;
module_param(chains, uint, 0444);
MODULE_PARM_DESC(chains, "linked lists the live heap is made of (default 65536)");

static unsigned int cycles = 3;
module_param(cycles, uint, 0444);
MODULE_PARM_DESC(cycles, "forced collections, 1-15 (default 3)");

static unsigned int copy_mb = 64;
module_param(copy_mb, uint, 0444);
MODULE_PARM_DESC(copy_mb, "size of each copy buffer, MiB (default 64)");

static unsigned int copy_reps = 5;
module_param(copy_reps, uint, 0444);
MODULE_PARM_DESC(copy_reps, "copies of the whole buffer, 1-15 (default 5)");

struct gm_obj {
	struct gm_obj *next;
	u64 payload[3];
};

/* An element of the table of chains (an array of pointers). */
struct gm_slot {
	struct gm_obj *chain;
};

static const struct gmm_type_desc gm_obj_desc = GMM_TYPE(struct gm_obj, next);
static const struct gmm_type_desc gm_slot_desc = GMM_TYPE(struct gm_slot, chain);

static struct gmm_heap *gm_heap;
static struct gm_obj **gm_table;	/* a root slot */

static int gm_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static u64 gm_median(u64 *v, unsigned int n)
{
	sort(v, n, sizeof(*v), gm_cmp_u64, NULL);
	return n & 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* bytes per ns * 1000 = MB/s (10^6 bytes) */
static u64 gm_mbps(u64 bytes, u64 ns)
{
	return div64_u64(bytes * 1000, max_t(u64, ns, 1));
}

static noinline void gm_wordcopy(u64 *d, const u64 *s, size_t words)
{
	size_t i;

	for (i = 0; i < words; i++)
		WRITE_ONCE(d[i], READ_ONCE(s[i]));
}

/* Median MB/s of copy_reps copies of @bytes, by memcpy() or word loop. */
static u64 gm_copy(const char *what, bool words, void *dst, const void *src,
		   size_t bytes)
{
	u64 ns[GM_MAX_REPS];
	unsigned int r;
	size_t off;

	for (r = 0; r < copy_reps; r++) {
		ns[r] = 0;
		for (off = 0; off < bytes; off += GM_CHUNK) {
			size_t n = min(GM_CHUNK, bytes - off);
			u64 t0 = ktime_get_ns();

			if (words)
				gm_wordcopy(dst + off, src + off, n / 8);
			else
				memcpy(dst + off, src + off, n);
			ns[r] += ktime_get_ns() - t0;
			cond_resched();
		}
		pr_info("copy,%s,%zu,%llu\n", what, bytes, ns[r]);
	}
	return gm_mbps(bytes, gm_median(ns, copy_reps));
}

static int gm_bandwidth(u64 *memcpy_mbps, u64 *word_mbps)
{
	size_t bytes = (size_t)copy_mb << 20;
	void *src, *dst;

	src = vmalloc(bytes);
	dst = vmalloc(bytes);
	if (!src || !dst) {
		vfree(src);
		vfree(dst);
		return -ENOMEM;
	}
	memset(src, 0x5a, bytes);	/* fault in and warm up both */
	memset(dst, 0, bytes);
	*memcpy_mbps = gm_copy("memcpy", false, dst, src, bytes);
	*word_mbps = gm_copy("wordcopy", true, dst, src, bytes);
	vfree(src);
	vfree(dst);
	return 0;
}

/* The live heap: @nobj objects in `chains` lists.  Returns build ns. */
static int gm_build(const struct gmm_type *obj_type,
		    const struct gmm_type *slot_type, u64 nobj, u64 *ns)
{
	u64 t0 = ktime_get_ns(), i = 0;
	unsigned int c = 0, k;
	struct gm_obj **t;

	gmm_mutator_enter(gm_heap);
	t = gmm_alloc_array(gm_heap, slot_type, chains);
	if (t)
		gmm_store_ptr(gm_heap, &gm_table, t);
	gmm_mutator_exit(gm_heap);
	if (!t)
		return -ENOMEM;

	while (i < nobj) {
		gmm_mutator_enter(gm_heap);
		for (k = 0; k < GM_SECTION && i < nobj; k++, i++) {
			struct gm_obj *o = gmm_alloc(gm_heap, obj_type);

			if (!o) {
				gmm_mutator_exit(gm_heap);
				return -ENOMEM;
			}
			o->payload[0] = i;
			gmm_store_ptr(gm_heap, &o->next, gm_table[c]);
			gmm_store_ptr(gm_heap, &gm_table[c], o);
			if (++c == chains)
				c = 0;
		}
		gmm_mutator_exit(gm_heap);
		cond_resched();
	}
	*ns = ktime_get_ns() - t0;
	return 0;
}

/* Objects reachable from the table (all of them must be). */
static u64 gm_count(void)
{
	unsigned int c;
	u64 n = 0;

	for (c = 0; c < chains; c++) {
		struct gm_obj *o;

		gmm_mutator_enter(gm_heap);
		for (o = READ_ONCE(gm_table[c]); o; o = READ_ONCE(o->next))
			n++;
		gmm_mutator_exit(gm_heap);
		if (!(c & 1023))
			cond_resched();
	}
	return n;
}

static int gm_mark(u64 memcpy_mbps, u64 word_mbps)
{
	struct gmm_heap_params p = { .name = "gmm_bench_mark", .gc_percent = -1 };
	u64 nobj = div_u64((u64)mark_mb << 20, sizeof(struct gm_obj));
	u64 cpu[GM_MAX_CYCLES], wall[GM_MAX_CYCLES], marked = 0, build_ns = 0;
	const struct gmm_type *obj_type, *slot_type;
	unsigned int i;
	int err;
	u64 n, med, med_wall;

	gm_heap = gmm_heap_create(&p);
	if (IS_ERR(gm_heap))
		return PTR_ERR(gm_heap);
	obj_type = gmm_type_register_desc(gm_heap, &gm_obj_desc);
	slot_type = gmm_type_register_desc(gm_heap, &gm_slot_desc);
	if (IS_ERR(obj_type) || IS_ERR(slot_type)) {
		err = -ENOMEM;
		goto out_heap;
	}
	err = gmm_root_add(gm_heap, (void **)&gm_table);
	if (err)
		goto out_heap;
	err = gm_build(obj_type, slot_type, nobj, &build_ns);
	if (err)
		goto out_root;

	for (i = 0; i < cycles; i++) {
		struct gmm_cycle_trace rec, *t = &rec;

		err = gmm_gc(gm_heap);
		if (err)
			goto out_root;
		if (!gmm_heap_read_cycles(gm_heap, t, 1)) {
			err = -EIO;
			goto out_root;
		}
		pr_info("cycle,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu\n",
			t->num, t->heap2, t->bg_bytes + t->assist_bytes, t->bg_ns,
			t->assist_ns, t->mark_ns, t->stw1_ns, t->stw2_ns,
			t->root_ns, t->idle_ns);
		marked = t->heap2;
		cpu[i] = gm_mbps(t->heap2, t->bg_ns + t->idle_ns + t->assist_ns);
		wall[i] = gm_mbps(t->heap2, t->mark_ns + t->stw2_ns);
	}
	n = gm_count();
	med = gm_median(cpu, cycles);
	med_wall = gm_median(wall, cycles);
	pr_info("mark: %s objects=%llu reachable=%llu live_kb=%llu marked_kb=%llu cycles=%u build_ns_per_obj=%llu mark_mbps=%llu mark_wall_mbps=%llu memcpy_mbps=%llu wordcopy_mbps=%llu mark_vs_memcpy_pct=%llu mark_vs_wordcopy_pct=%llu workers=%u\n",
		n == nobj ? "ok" : "FAILED", nobj, n,
		(nobj * sizeof(struct gm_obj) + chains * sizeof(void *)) >> 10,
		marked >> 10, cycles, div64_u64(build_ns, max_t(u64, nobj, 1)),
		med, med_wall, memcpy_mbps, word_mbps,
		div64_u64(med * 100, max_t(u64, memcpy_mbps, 1)),
		div64_u64(med * 100, max_t(u64, word_mbps, 1)),
		num_online_cpus());
	if (n != nobj)
		err = -EIO;
out_root:
	gmm_root_remove(gm_heap, (void **)&gm_table);
out_heap:
	gmm_heap_destroy(gm_heap);
	gm_heap = NULL;
	return err;
}

static int __init gm_init(void)
{
	u64 memcpy_mbps, word_mbps;
	int err;

	if (!mark_mb || !chains || !cycles || cycles > GM_MAX_CYCLES ||
	    !copy_mb || !copy_reps || copy_reps > GM_MAX_REPS ||
	    (u64)chains * sizeof(void *) > GMM_MAX_ALLOC_SIZE)
		return -EINVAL;
	pr_info("mark_mb=%u chains=%u cycles=%u copy_mb=%u copy_reps=%u\n",
		mark_mb, chains, cycles, copy_mb, copy_reps);
	err = gm_bandwidth(&memcpy_mbps, &word_mbps);
	if (err)
		return err;
	err = gm_mark(memcpy_mbps, word_mbps);
	if (err) {
		pr_err("error %d\n", err);
		return err;
	}
	return -EAGAIN;		/* nothing to keep loaded */
}

static void __exit gm_exit(void)
{
}

module_init(gm_init);
module_exit(gm_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("gmm mark throughput against memcpy bandwidth");
