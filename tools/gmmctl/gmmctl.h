/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gmmctl.h - what gmmctl's command files share: global options, exit
 * codes, the JSON writer (out.c), number parsing and formatting, the
 * printers of statistics, cycles and spans (report.c) and the entry point
 * of every subcommand.
 */
#ifndef GMMCTL_H
#define GMMCTL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <gmm.h>

#define ULL(x)	((unsigned long long)(x))

/* Exit status. */
#define EXIT_OK		0
#define EXIT_FAIL	1	/* the operation failed */
#define EXIT_USAGE	2	/* bad command line or script syntax */
#define EXIT_NODEV	3	/* the device cannot be opened */

/* Options before the subcommand. */
struct gmmctl_opts {
	const char *device;	/* NULL: GMM_DEVICE_PATH */
	bool json;
};
extern struct gmmctl_opts opts;

/* Messages on stderr, "gmmctl: " first. */
void errmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* errmsg() with ": strerror(-err)" appended; @err is a -errno. */
void errmsg_err(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Open the device (a new heap).  On failure prints why and returns NULL;
 * the caller exits with EXIT_NODEV.  @any_abi: see GMM_OPEN_ANY_ABI.
 */
struct gmm *open_heap(bool any_abi);

/*
 * Subcommand option parsing: getopt_long over argv of the subcommand
 * (argv[0] is its name).  Every subcommand answers -h/--help.
 */
#define HELP_OPTION	{ "help", no_argument, NULL, 'h' }
/*
 * -j/--json and -d/--device are accepted after the subcommand too:
 * COMMON_OPTIONS in its option table, "jd:" in its short options, and
 * common_option(c) in its switch's default case (true when handled).
 */
#define COMMON_OPTIONS	{ "json", no_argument, NULL, 'j' }, \
			{ "device", required_argument, NULL, 'd' }
#define COMMON_SHORT	"jd:"
bool common_option(int c, const char *arg);
/*
 * Call first in a subcommand: makes getopt's own messages read
 * "gmmctl CMD: unrecognized option ..." (argv[0] becomes "gmmctl CMD").
 */
void subcommand_argv0(char **argv);
/* After getopt returned '?': point at --help, return EXIT_USAGE. */
int bad_option(const char *cmd);
/* "gmmctl CMD: " message and EXIT_USAGE, for bad arguments. */
int usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Numbers. */
int parse_u64(const char *s, uint64_t *v);		/* 0 or -EINVAL */
int parse_u64_range(const char *s, uint64_t min, uint64_t max, uint64_t *v);
/* "4096", "64KiB", "16MiB", "1GiB", "2M", "512k" (binary multiples). */
int parse_size(const char *s, uint64_t *v);
int parse_int(const char *s, long min, long max, long *v);
/* "12.5" seconds, or with a unit: "500ms", "2s", "1m". */
int parse_seconds(const char *s, double *v);
/* GOGC: 1..10000 or "off" (-1). */
int parse_gc_percent(const char *s, int *v);

/* "1.5 MiB" style, into @buf of at least 16 bytes; returns @buf. */
const char *fmt_bytes(char *buf, size_t n, uint64_t bytes);
/* "1.234 ms" style for nanoseconds. */
const char *fmt_ns(char *buf, size_t n, uint64_t ns);
/* Monotonic clock in nanoseconds. */
uint64_t now_ns(void);

/* A tiny xorshift generator, seeded explicitly (reproducible runs). */
struct rng {
	uint64_t s;
};
void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
uint64_t rng_below(struct rng *r, uint64_t n);	/* 0 .. n-1, n > 0 */

/*
 * The JSON writer (out.c): one value on one line, in the style of
 * gmmctl info --json: {"key": value, "key": [1, 2]}.  Keys are given for
 * members of objects and NULL for array elements and the top value.
 * Nesting up to 16 levels.
 */
struct json {
	FILE *f;
	int depth;
	bool first[16];
};
void json_init(struct json *j, FILE *f);
void json_obj_begin(struct json *j, const char *key);
void json_obj_end(struct json *j);		/* newline after the top value */
void json_arr_begin(struct json *j, const char *key);
void json_arr_end(struct json *j);
void json_u64(struct json *j, const char *key, uint64_t v);
void json_i64(struct json *j, const char *key, int64_t v);
void json_double(struct json *j, const char *key, double v);
void json_bool(struct json *j, const char *key, bool v);
void json_str(struct json *j, const char *key, const char *s);
/* A string of @len bytes that may hold any byte (escaped as \u00XX). */
void json_strn(struct json *j, const char *key, const char *s, size_t len);
void json_null(struct json *j, const char *key);

/*
 * Progress on stderr, only when it is a terminal and not --quiet: one line
 * rewritten in place at most every 100 ms; progress_end() clears it.
 */
struct progress {
	bool on;
	uint64_t last_ns;
	int width;
};
void progress_init(struct progress *p, bool quiet);
void progress_update(struct progress *p, bool force, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void progress_end(struct progress *p);

/*
 * Printers (report.c), shared by stats, gc, run, workload and demo.
 * Each takes what an ioctl returned; none calls an ioctl itself.
 */
const char *gc_phase_name(uint32_t phase);
void print_memstats(FILE *f, const struct gmm_stats *st);
void print_gcstats(FILE *f, const struct gmm_stats *st);
/* Classes with any allocation (all of them when @all). */
void print_classes(FILE *f, const struct gmm_class_info *cl, uint32_t n,
		   bool all);
/* One gctrace-style line per cycle (Go's GODEBUG=gctrace=1). */
void print_cycle(FILE *f, const struct gmm_cycle_info *c);
void print_cycle_legend(FILE *f);
/* One line per span and a line per arena. */
void print_spans(FILE *f, const struct gmm_spans *sp,
		 const struct gmm_arena_info *arenas,
		 const struct gmm_span_info *spans);
void json_memstats(struct json *j, const char *key, const struct gmm_stats *st);
void json_classes(struct json *j, const char *key,
		  const struct gmm_class_info *cl, uint32_t n, bool all);
void json_cycle(struct json *j, const char *key, const struct gmm_cycle_info *c);
/*
 * A cycle's times, heap sizes and work, the members after its number and
 * flags, into an object already begun (json_cycle and recordings).
 */
void json_cycle_fields(struct json *j, const struct gmm_cycle_info *c);
void json_spans(struct json *j, const char *key, const struct gmm_spans *sp,
		const struct gmm_arena_info *arenas,
		const struct gmm_span_info *spans);

/*
 * Statistics of a heap in use, printed as `gmmctl stats` prints them
 * (text or JSON per opts.json).  @classes: the per-class table too.
 * Returns 0 or a -errno of the ioctl.
 */
int report_stats(struct gmm *g, FILE *f, bool classes, bool all_classes);
/* Cycles completed after @since (at most the last 32): gctrace lines. */
int report_cycles(struct gmm *g, FILE *f, uint64_t since);

/*
 * gmmctl serve --step: each step of `gmmctl run` first calls @gate, which
 * returns 0 to go on (run/stmt_step.c).
 */
void run_set_step_gate(int (*gate)(void *arg), void *arg);

/* Subcommands: argc/argv start at the subcommand's name. */
int cmd_info(int argc, char **argv);
int cmd_params(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_gc(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_workload(int argc, char **argv);
int cmd_demo(int argc, char **argv);

/*
 * Workloads as functions, so the demo can run them on its own heap.
 * @g: the heap; @p: progress line (may be off); @verbose_out: where the
 * workload's own lines go (NULL: none).  Return 0, -errno of an ioctl, or
 * -EBADMSG when a check found wrong data.
 */
struct churn_params {
	uint64_t objects;	/* live set: objects kept */
	uint64_t size_min, size_max;	/* bytes, random in [min, max] */
	double seconds;		/* run time; 0: run @ops operations */
	uint64_t ops;		/* replacements when seconds is 0 */
	uint32_t batch;		/* operations per GMM_IOC_BATCH */
	uint64_t seed;
};
struct churn_result {
	uint64_t replaced;	/* objects allocated and released */
	uint64_t verified;	/* objects whose contents were checked */
	uint64_t bytes;		/* bytes allocated */
	uint64_t ns;		/* run time */
	uint64_t ops, ioctls;	/* operations, in this many ioctls */
	uint64_t peak_sys;	/* HeapSys, highest seen after a batch */
	uint64_t peak_alloc;	/* HeapAlloc, likewise */
};
int churn_run(struct gmm *g, const struct churn_params *cp,
	      struct progress *p, struct churn_result *res);

#endif /* GMMCTL_H */
