// SPDX-License-Identifier: GPL-2.0
/*
 * test_dbgcycles.c - unit test of how gmmctl reads a debugfs heap's GC
 * cycles (viz/dbgcycles.c, viz/dbgtrack.c), run by
 * tools/gmmctl/tests/test-pictures.sh:
 *
 *   test_dbgcycles TMPDIR
 *
 * The gctrace parser on lines the kernel printed (gmm_gctrace_format(),
 * copied from a `make demo` log), then the tracker `gmmctl record` uses,
 * on a heap directory made under TMPDIR (GMM_DEBUGFS points there) whose
 * gctrace file is rewritten between reads the way the kernel's ring of 32
 * moves on: every cycle written once, as soon as it can be placed; gaps
 * counted as lost; cycles placed on the heap's clock as they are, on the
 * recording's by the bounds of the reads.  What was written is read back
 * with the recording reader (recload.c).  Prints one "ok"/"not ok" line
 * per check (TAP) and exits 1 when any failed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../viz/record.h"

static int failed, count;

static void ok(int cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	count++;
	printf("%s %d - ", cond ? "ok" : "not ok", count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond)
		failed++;
}

/* As the kernel printed them (make demo, dmesg, Debian 6.1 in QEMU). */
static const char *const kernel_lines[] = {
	"gmm: bintree: gc 1 @0.127s 17%: 1.669+116.133+6.389 ms clock, "
	"1.669+28.952/52.679/60.055+6.389 ms cpu, 3.5->4.0->4.0 MB, "
	"4.0 MB goal, 2 P",
	"gc 91 @10.646s 16%: 0.255+84.846+0.218 ms clock, "
	"0.255+5.154/44.481/66.082+0.218 ms cpu, 7.7->8.6->4.6 MB, "
	"9.1 MB goal, 2 P (forced)",
};

#define MIB(whole, tenths) (((uint64_t)(whole) << 20) + ((uint64_t)(tenths) << 20) / 10)

static void test_parse(void)
{
	static const char *const bad[] = {
		"", "gc x @0.127s", "gc 0 @0.1s 1%: 1+1+1 ms clock, 1+1/1/1+1 ms "
		"cpu, 1->1->1 MB, 1 MB goal, 2 P",
		"gc 1 @0.127s 17%: 1.669+116.133+6.389 ms clock, 1.669+28.952",
		"gc 1 @0.127s 17%: 1.669+116.133+6.389 ms clock, "
		"1.669+28.952/52.679+6.389 ms cpu, 3.5->4.0->4.0 MB, 4.0 MB goal",
	};
	struct gmm_cycle_info c;
	size_t i;

	ok(dbg_parse_gctrace(kernel_lines[0], &c), "a kernel gctrace line parses");
	ok(c.num == 1 && c.start_ns == 127000000ULL, "num 1 at 0.127 s (%llu)",
	   (unsigned long long)c.start_ns);
	ok(c.stw1_ns == 1669000 && c.mark_ns == 116133000 &&
	   c.stw2_ns == 6389000, "clock: 1.669 + 116.133 + 6.389 ms");
	ok(c.assist_ns == 28952000 && c.bg_ns == 52679000,
	   "cpu: assists 28.952 ms, background 52.679 ms");
	ok(c.heap0 == MIB(3, 5) && c.heap1 == MIB(4, 0) && c.heap2 == MIB(4, 0) &&
	   c.goal == MIB(4, 0) && !c.flags, "3.5->4.0->4.0 MB, 4.0 MB goal, not forced");
	ok(dbg_parse_gctrace(kernel_lines[1], &c) && c.num == 91 &&
	   c.start_ns == 10646000000ULL && c.mark_ns == 84846000 &&
	   c.heap1 == MIB(8, 6) && c.goal == MIB(9, 1) &&
	   c.flags == GMM_CYCLE_FORCED, "gc 91 @10.646s ... (forced)");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(!dbg_parse_gctrace(bad[i], &c), "refused: '%.40s'", bad[i]);
}

static char heapdir[4096];

/* The heap's gctrace file holding cycles @first..@last (0 0: none). */
static void ring(uint64_t first, uint64_t last,
		 uint64_t (*start_ms)(uint64_t), uint64_t (*mark_ms)(uint64_t))
{
	char path[4200];
	uint64_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/gctrace", heapdir);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(2);
	}
	for (n = first; first && n <= last; n++) {
		uint64_t s = start_ms(n);

		fprintf(f, "gc %llu @%llu.%03llus 5%%: 0.100+%llu.000+0.100 ms "
			"clock, 0.100+0.000/40.000/0.000+0.100 ms cpu, "
			"4.1->4.3->2.0 MB, 4.2 MB goal, 2 P\n",
			(unsigned long long)n, (unsigned long long)(s / 1000),
			(unsigned long long)(s % 1000),
			(unsigned long long)mark_ms(n));
	}
	fclose(f);
}

static uint64_t every_100ms(uint64_t n) { return n * 100; }
static uint64_t mark_50ms(uint64_t n) { (void)n; return 50; }

/* What @out holds, read back as a recording; the number of cycles. */
static size_t read_back(char *out, size_t len, struct viz_rec *back)
{
	char err[256];
	FILE *f = fmemopen(out, len, "r");
	int ret;

	viz_rec_init(back);
	ret = f ? viz_rec_load_file(f, back, err, sizeof(err)) : -1;
	if (f)
		fclose(f);
	ok(!ret, "what was written reads back as a recording (%s)",
	   ret ? err : "");
	return ret ? 0 : back->nr_cycles;
}

/* A tracker writing to a recording in memory, its meta line first. */
struct run {
	struct viz_rec r;
	struct json j;
	struct dbg_track t;
	char *out;
	size_t len;
	FILE *f;
};

static void run_begin(struct run *x, bool heap_clock)
{
	memset(x, 0, sizeof(*x));
	viz_rec_init(&x->r);
	snprintf(x->r.time_base, sizeof(x->r.time_base), "%s",
		 heap_clock ? "heap" : "recording");
	x->f = open_memstream(&x->out, &x->len);
	if (!x->f)
		exit(2);
	json_init(&x->j, x->f);
	rec_write_meta(&x->j, &x->r);
	dbg_track_init(&x->t, &x->r, &x->j, heap_clock);
}

static void run_end(struct run *x)
{
	fclose(x->f);
	free(x->out);
	viz_rec_free(&x->r);
}

/* Cycles @first..@last in @back, once each, times as in the ring. */
static bool has_cycles(const struct viz_rec *back, size_t from,
		       uint64_t first, uint64_t last)
{
	uint64_t n;

	for (n = first; n <= last; n++, from++)
		if (from >= back->nr_cycles || back->cycles[from].num != n ||
		    back->cycles[from].start_ns != n * 100000000ULL)
			return false;
	return true;
}

static void test_heap_clock(void)
{
	struct viz_rec back;
	struct run x;
	int err;

	run_begin(&x, true);
	ring(3, 5, every_100ms, mark_50ms);
	err = dbg_track_read(&x.t, "heap-1", 0, 0);
	ok(!err && x.t.written == 3 && x.r.cycles_lost == 2,
	   "heap clock, first read: cycles 3-5 written, 1-2 lost (%d, %zu, %llu)",
	   err, x.t.written, (unsigned long long)x.r.cycles_lost);
	ring(3, 6, every_100ms, mark_50ms);
	err = dbg_track_read(&x.t, "heap-1", 0, 0);
	ok(!err && x.t.written == 4 && x.r.cycles_lost == 2,
	   "the next read: only cycle 6 is new");
	ring(40, 71, every_100ms, mark_50ms);
	err = dbg_track_read(&x.t, "heap-1", 0, 0);
	ok(!err && x.t.written == 36 && x.r.cycles_lost == 35,
	   "the ring moved on by 65: 32 new, 7-39 lost (%zu, %llu)",
	   x.t.written, (unsigned long long)x.r.cycles_lost);
	err = dbg_track_read(&x.t, "heap-1", 0, 0);
	ok(!err && x.t.written == 36, "the same ring again: nothing new");
	ring(0, 0, every_100ms, mark_50ms);
	err = dbg_track_read(&x.t, "heap-1", 0, 0);
	ok(!err && x.t.written == 36 && x.r.cycles_lost == 35,
	   "an empty file: nothing new, nothing lost");
	fflush(x.f);
	ok(read_back(x.out, x.len, &back) == 36 && has_cycles(&back, 0, 3, 6) &&
	   has_cycles(&back, 4, 40, 71),
	   "written: cycles 3-6 and 40-71 once each, at the heap's times");
	viz_rec_free(&back);
	run_end(&x);
}

/*
 * Recording clock: cycles 1, 2 at 0.1, 0.2 s of the heap; 3 at 9.000 s;
 * 4 at 9.051 s (200 ms of marking); 10, 11, 12 at 9.26, 9.29, 9.32 s
 * (10 ms).
 */
static uint64_t starts(uint64_t n)
{
	return n == 3 ? 9000 : n == 4 ? 9051 : n >= 10 ? 9260 + (n - 10) * 30 :
	       n * 100;
}

static uint64_t marks(uint64_t n)
{
	return n == 4 ? 200 : n >= 10 ? 10 : 50;
}

static void test_recording_clock(void)
{
	struct viz_rec back;
	struct run x;
	int err;

	run_begin(&x, false);
	ring(1, 2, starts, marks);
	err = dbg_track_read(&x.t, "heap-1", 0, 10000000);
	ok(!err && !x.t.written && !x.r.cycles_lost,
	   "recording clock, first read: nothing placed yet");
	/* Cycle 3 ends at 9.0502 s of the heap, between our 0.1 and 0.2 s:
	 * the offset is in [8.8502, 8.9502] s, 8.9002 placed.
	 */
	ring(1, 3, starts, marks);
	err = dbg_track_read(&x.t, "heap-1", 100000000, 200000000);
	ok(!err && x.t.written == 1, "cycle 3 placed; 1 and 2, which began "
	   "before the recording, left out (%zu)", x.t.written);
	/* Cycle 4 ends at 9.2512 s, between our 0.2 and 0.32 s: the offset
	 * is in [8.9312, 8.9502] s, 8.9407; it would start at 0.1103 s,
	 * before cycle 3 placed ends (0.15 s), so it starts there.
	 */
	ring(2, 4, starts, marks);
	err = dbg_track_read(&x.t, "heap-1", 200000000, 320000000);
	ok(!err && x.t.written == 2 && !x.r.cycles_lost, "cycle 4 placed");
	ring(10, 12, starts, marks);
	err = dbg_track_read(&x.t, "heap-1", 320000000, 420000000);
	ok(!err && x.t.written == 5 && x.r.cycles_lost == 5,
	   "cycles 10-12 placed, 5-9 lost (%llu)",
	   (unsigned long long)x.r.cycles_lost);
	fflush(x.f);
	ok(read_back(x.out, x.len, &back) == 5, "5 cycles written");
	ok(back.nr_cycles == 5 && back.cycles[0].num == 3 &&
	   back.cycles[0].start_ns == 99800000ULL,
	   "cycle 3 at 0.0998 s of the recording (%llu)",
	   back.nr_cycles ? (unsigned long long)back.cycles[0].start_ns : 0ULL);
	ok(back.nr_cycles == 5 && back.cycles[1].num == 4 &&
	   back.cycles[1].start_ns == 150000000ULL,
	   "cycle 4 not before cycle 3's end (%llu)",
	   back.nr_cycles > 1 ? (unsigned long long)back.cycles[1].start_ns : 0ULL);
	viz_rec_free(&back);
	run_end(&x);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_dbgcycles TMPDIR\n");
		return 2;
	}
	test_parse();

	snprintf(heapdir, sizeof(heapdir), "%s/gmm", argv[1]);
	mkdir(argv[1], 0755);
	mkdir(heapdir, 0755);
	setenv("GMM_DEBUGFS", heapdir, 1);
	snprintf(heapdir, sizeof(heapdir), "%s/gmm/heap-1", argv[1]);
	mkdir(heapdir, 0755);
	test_heap_clock();
	test_recording_clock();

	printf("1..%d\n", count);
	if (failed)
		printf("# %d of %d checks failed\n", failed, count);
	return failed ? 1 : 0;
}
