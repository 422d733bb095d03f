// SPDX-License-Identifier: GPL-2.0
/*
 * recopt.c - --record FILE [--map-every N] [--record-interval MS] for the
 * commands that build a heap (run, workload, demo, gc, stats): main()
 * takes the options out of the command line before the command sees it,
 * open_heap() hands the first heap opened to record_attach(), and the
 * recording ends at exit (or record_detach()).
 */
#include <stdlib.h>
#include <string.h>

#include "record.h"

static struct {
	struct rec_opts o;
	char what[160];
	struct recorder *rc;
	bool attached, warned, at_exit;
} glue;

void record_configure(const char *path, uint32_t map_every,
		      uint32_t interval_ms, const char *what)
{
	glue.o.path = path;
	glue.o.map_every = map_every;
	glue.o.interval_ms = interval_ms;
	snprintf(glue.what, sizeof(glue.what), "%s", what ? what : "");
	glue.o.what = glue.what;
	glue.o.map_interval_ms = 0;
	glue.attached = false;
	glue.warned = false;
}

static bool opt_is(const char *arg, const char *name, const char **val,
		   char **next, int *used)
{
	size_t n = strlen(name);

	if (strncmp(arg, name, n))
		return false;
	if (arg[n] == '=') {
		*val = arg + n + 1;
		*used = 1;
		return true;
	}
	if (arg[n])
		return false;
	*val = next[0];
	*used = 2;
	return true;
}

/* What the recording options said. */
struct rec_args {
	const char *path;
	uint64_t every, interval;
	int cmd;		/* index of the command's name, or -1 */
};

/*
 * --record, --map-every or --record-interval at argv[i]: the words it
 * takes (0: it is none of them), or -1 after a message.
 */
static int rec_option(char **argv, int i, struct rec_args *a)
{
	const char *val;
	int used = 0;

	if (opt_is(argv[i], "--record", &val, &argv[i + 1], &used)) {
		if (!val) {
			errmsg("--record: which file?");
			return -1;
		}
		a->path = val;
	} else if (opt_is(argv[i], "--map-every", &val, &argv[i + 1], &used)) {
		if (!val || parse_u64_range(val, 0, 1000000, &a->every)) {
			errmsg("--map-every: a number of GC cycles (0: the "
			       "first and last frames only)");
			return -1;
		}
	} else if (opt_is(argv[i], "--record-interval", &val, &argv[i + 1],
			  &used)) {
		if (!val || parse_u64_range(val, 1, 60000, &a->interval)) {
			errmsg("--record-interval: 1..60000 ms");
			return -1;
		}
	}
	return used;
}

/* Take the options out of argv (anywhere before "--"); 0 or -1. */
static int take_options(int *argc, char **argv, struct rec_args *a)
{
	int i, j, used;

	for (i = 1; i < *argc; ) {
		if (!strcmp(argv[i], "--"))
			break;
		used = rec_option(argv, i, a);
		if (used < 0)
			return -1;
		if (!used) {
			if (a->cmd < 0 && argv[i][0] != '-')
				a->cmd = i;
			i++;
			continue;
		}
		for (j = i; j + used <= *argc; j++)
			argv[j] = argv[j + used];
		*argc -= used;
	}
	return 0;
}

/*
 * The index of the command's name, after main()'s own options; true when
 * it is one of the commands that build a heap.
 */
static bool builds_heap(int argc, char **argv, int *cmd)
{
	static const char *const heap_cmds[] = {
		"run", "workload", "demo", "gc", "stats", NULL,
	};
	int i, j;

	for (i = 1; i < argc && argv[i][0] == '-'; i++)
		if (!strcmp(argv[i], "-d") || !strcmp(argv[i], "--device"))
			i++;
	*cmd = i;
	if (i >= argc)
		return false;
	for (j = 0; heap_cmds[j]; j++)
		if (!strcmp(argv[i], heap_cmds[j]))
			return true;
	return false;
}

/* Whether command @cmd parses a --record option of its own. */
static bool own_record(const char *cmd)
{
	static const char *const cmds[] = { "serve", NULL };
	int j;

	for (j = 0; cmds[j]; j++)
		if (!strcmp(cmd, cmds[j]))
			return true;
	return false;
}

/* --record with another command is an error; 0 or EXIT_USAGE. */
static int refuse_record(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (strcmp(argv[i], "--record") &&
		    strncmp(argv[i], "--record=", 9))
			continue;
		errmsg("--record goes with the commands that build a heap: "
		       "run, workload, demo, gc, stats ('gmmctl record "
		       "--heap' records any heap through debugfs)");
		return EXIT_USAGE;
	}
	return 0;
}

int record_take_options(int *argc, char **argv)
{
	struct rec_args a = { .interval = 20, .cmd = -1 };
	char what[160] = "";
	size_t len = 0;
	int i;

	/* Only for the commands that build a heap: map, record and the
	 * others have options of these names, or none; serve takes its own
	 * --record.
	 */
	if (!builds_heap(*argc, argv, &i))
		return i >= *argc || own_record(argv[i]) ? 0 :
		       refuse_record(*argc, argv);
	if (take_options(argc, argv, &a))
		return EXIT_USAGE;
	if (!a.path) {
		if (a.every != 0 || a.interval != 20) {
			errmsg("--map-every and --record-interval go with "
			       "--record FILE");
			return EXIT_USAGE;
		}
		return 0;
	}
	for (i = a.cmd < 0 ? *argc : a.cmd; i < *argc && len < sizeof(what) - 1; i++) {
		int n = snprintf(what + len, sizeof(what) - len, "%s%s",
				 len ? " " : "", argv[i]);

		if (n < 0)
			break;
		len += (size_t)n;
	}
	record_configure(a.path, (uint32_t)a.every, (uint32_t)a.interval, what);
	return 0;
}

int record_objects(struct viz_objects *o)
{
	return glue.rc ? recorder_objects(glue.rc, o) : 0;
}

void record_set_map_interval(uint32_t ms)
{
	glue.o.map_interval_ms = ms;
}

static void record_at_exit(void)
{
	record_detach();
}

void record_attach(struct gmm *g)
{
	int err;

	if (!glue.o.path)
		return;
	if (glue.attached) {
		if (!glue.warned)
			errmsg("--record: recording the first heap only");
		glue.warned = true;
		return;
	}
	glue.attached = true;
	err = recorder_start(&glue.rc, gmm_fd(g), &glue.o);
	if (err) {
		errmsg_err(err, "--record %s", glue.o.path);
		exit(EXIT_FAIL);
	}
	if (!glue.at_exit) {
		atexit(record_at_exit);
		glue.at_exit = true;
	}
}

int record_detach(void)
{
	int err;

	if (!glue.rc)
		return 0;
	err = recorder_stop(glue.rc);
	glue.rc = NULL;
	if (err)
		errmsg_err(err, "--record %s", glue.o.path);
	return err;
}
