// SPDX-License-Identifier: GPL-2.0
/*
 * vizsrc.c - where `gmmctl map` and `gmmctl trace` get a heap from:
 *
 *   --input REC        a recording (recwrite.c wrote it; recload.c reads it)
 *   --heap NAME        any heap, now, through debugfs (root): one frame
 *   --workload NAME    gmmctl runs the workload on its own heap while
 *   --script FILE      recording it into a temporary file, then reads that
 *
 * The last two run `gmmctl workload` / `gmmctl run` in this process with
 * --record, exactly as a user would, so a picture drawn at once and one
 * drawn later from a recording are the same picture.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gmmctl.h"
#include "record.h"
#include "vizsrc.h"

bool vizsrc_option(struct vizsrc *v, int c, const char *arg)
{
	switch (c) {
	case OPT_INPUT:
		v->input = arg;
		return true;
	case OPT_HEAP:
		v->heap = arg;
		return true;
	case OPT_WORKLOAD:
		v->workload = arg;
		return true;
	case OPT_SCRIPT:
		v->script = arg;
		return true;
	case OPT_DEPTH:
		v->depth = arg;
		return true;
	default:
		return false;
	}
}

int vizsrc_check(const struct vizsrc *v, const char *cmd)
{
	int n = !!v->input + !!v->heap + !!v->workload + !!v->script;

	if (!n)
		return usage_error(cmd, "where from? --input REC, --heap NAME, "
				   "--workload NAME or --script FILE");
	if (n > 1)
		return usage_error(cmd, "one of --input, --heap, --workload and "
				   "--script, not %d", n);
	if (v->depth && !v->workload)
		return usage_error(cmd, "--depth goes with --workload");
	return 0;
}

/* One frame of a debugfs heap, now. */
static int from_debugfs(const char *name, struct viz_rec *r)
{
	struct viz_frame f;
	char dir[256];
	int err;

	err = dbg_find_heap(name, dir, sizeof(dir));
	if (err == -ENOENT) {
		char **l = dbg_list_heaps();
		size_t i;

		if (!l) {
			errmsg("cannot read %s: %s (debugfs needs root, and "
			       "gmm.ko loaded)", dbg_root(), strerror(errno));
			return -ENOENT;
		}
		errmsg("no heap '%s' in %s; heaps: ", name, dbg_root());
		for (i = 0; l[i]; i++)
			fprintf(stderr, "  %s\n", l[i]);
		if (!l[0])
			fprintf(stderr, "  (none)\n");
		dbg_free_list(l);
		return err;
	}
	if (err == -EEXIST) {
		errmsg("'%s' names more than one heap: give the whole name "
		       "(gmmctl top lists them)", name);
		return err;
	}
	if (err) {
		errmsg_err(err, "heap '%s'", name);
		return err;
	}
	snprintf(r->source, sizeof(r->source), "debugfs");
	snprintf(r->heap, sizeof(r->heap), "%s", dir);
	snprintf(r->time_base, sizeof(r->time_base), "recording");
	err = dbg_classes(dir, r);
	if (!err)
		err = dbg_frame(dir, r, &f);
	if (err) {
		errmsg_err(err, "reading %s/%s", dbg_root(), dir);
		return err;
	}
	snprintf(f.why, sizeof(f.why), "live");
	return viz_add_frame(r, &f);
}

/* Run gmmctl workload/run here, recording into @path. */
static int run_recorded(const struct vizsrc *v, const char *path,
			uint32_t map_every)
{
	char what[160], *argv[8];
	int argc = 0, ret;

	if (v->workload) {
		argv[argc++] = (char *)"workload";
		argv[argc++] = (char *)v->workload;
		if (v->depth) {
			argv[argc++] = (char *)"--depth";
			argv[argc++] = (char *)v->depth;
		}
		argv[argc++] = (char *)"--quiet";	/* no progress line */
		snprintf(what, sizeof(what), "workload %s%s%s", v->workload,
			 v->depth ? " --depth " : "", v->depth ? v->depth : "");
	} else {
		argv[argc++] = (char *)"run";
		argv[argc++] = (char *)v->script;
		snprintf(what, sizeof(what), "run %s", v->script);
	}
	argv[argc] = NULL;
	record_configure(path, map_every, 20, what);
	optind = 0;	/* glibc: a fresh getopt for the subcommand */
	ret = v->workload ? cmd_workload(argc, argv) : cmd_run(argc, argv);
	optind = 0;
	if (record_detach() && ret == EXIT_OK)
		ret = EXIT_FAIL;
	record_configure(NULL, 0, 0, NULL);
	return ret;
}

int vizsrc_load(const struct vizsrc *v, struct viz_rec *r, uint32_t map_every)
{
	char path[256], err[256];
	const char *tmp;
	int fd, ret;

	viz_rec_init(r);
	if (v->heap)
		return from_debugfs(v->heap, r) ? EXIT_FAIL : EXIT_OK;
	if (v->input) {
		ret = viz_rec_load(v->input, r, err, sizeof(err));
		if (ret) {
			errmsg("%s: %s", v->input, err);
			return EXIT_FAIL;
		}
		return EXIT_OK;
	}
	tmp = getenv("TMPDIR");
	snprintf(path, sizeof(path), "%s/gmmctl-rec-XXXXXX.json",
		 tmp && *tmp ? tmp : "/tmp");
	fd = mkstemps(path, 5);
	if (fd < 0) {
		errmsg("cannot make a temporary recording %s: %s", path,
		       strerror(errno));
		return EXIT_FAIL;
	}
	close(fd);
	ret = run_recorded(v, path, map_every);
	if (ret == EXIT_OK && viz_rec_load(path, r, err, sizeof(err))) {
		errmsg("reading back the recording %s: %s", path, err);
		ret = EXIT_FAIL;
	}
	unlink(path);
	return ret;
}
