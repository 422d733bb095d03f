// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_serve.c - `gmmctl serve`: show a heap in a browser.
 *
 * The source becomes a recording the page reads line by line (serve.h):
 *   --input REC      a recording, as it is (or as it grows)
 *   --workload NAME  gmmctl runs it on its own heap, recording as it goes:
 *   --script FILE    a sample every --interval, a heap map every
 *                    --map-interval, cycles as they end
 *   --heap NAME      `gmmctl record` of a debugfs heap (root)
 * The recording of a run goes to --record FILE, or to an unlinked
 * temporary file that vanishes with the server.  The run happens here,
 * after the server is up, so the page watches it from its start; then the
 * server goes on serving what was recorded until Ctrl-C.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gmmctl.h"
#include "serve.h"
#include "viz/record.h"
#include "viz/vizsrc.h"

enum {
	OPT_LISTEN = 0x200, OPT_PORT, OPT_ALLOW_REMOTE, OPT_WWW, OPT_RECORD,
	OPT_SRV_INTERVAL, OPT_MAP_INTERVAL, OPT_STEP, OPT_STEP_OBJECTS,
	OPT_IDLE_EXIT,
};

static volatile sig_atomic_t serve_stop;

static void on_signal(int sig)
{
	(void)sig;
	serve_stop = 1;
}

static void serve_usage(FILE *f)
{
	fprintf(f,
		"Usage: gmmctl serve SOURCE [OPTIONS]\n"
		"\n"
		"Show a heap in a browser: its heap map, its GC timeline, the size\n"
		"classes and gctrace lines, live while it runs, with a scrubber\n"
		"through the recording afterwards; with --step, a GC cycle of a\n"
		"script's heap one batch of grey objects at a time.  The server\n"
		"listens on 127.0.0.1 and prints the address to open.  It only\n"
		"reads: nothing on the page can change a heap.\n"
		"\n"
		"Source (one of):\n"
		"  --input REC           a recording (gmmctl ... --record REC)\n"
		"  --workload NAME       run a workload on gmmctl's own heap\n"
		"    [--depth N]         (binarytrees: --depth)\n"
		"  --script FILE         run a 'gmmctl run' script likewise\n"
		"  --heap NAME           record any heap through debugfs (root)\n"
		"\n"
		"Options:\n"
		"  --port N              port (default: any free one, printed)\n"
		"  --listen ADDR         address (default 127.0.0.1); one that is\n"
		"                        not loopback needs --allow-remote\n"
		"  --allow-remote        serve to other machines: anyone who can\n"
		"                        reach the port sees the heap, no login\n"
		"  --record FILE         keep the run's recording (default: a\n"
		"                        temporary file, gone at exit)\n"
		"  --interval MS         sampling interval of a run (default 50)\n"
		"  --map-interval MS     a heap map this often (default 150)\n"
		"  --step                with --script: each GC cycle of the script\n"
		"                        waits for the page's Step button\n"
		"  --step-objects N      grey objects per step (default 1)\n"
		"  --www DIR             the page's files (default: installed with\n"
		"                        gmmctl)\n"
		"  --idle-exit T         once the run has ended, exit when no request\n"
		"                        came for T seconds (the page asks 5 times a\n"
		"                        second while it is open)\n"
		"  -h, --help            this help\n"
		"\n"
		"Exit status: 0 after Ctrl-C (SIGINT, SIGTERM), 1 when the run\n"
		"failed, 2 usage error.\n");
}

struct serve_args {
	struct vizsrc src;
	const char *listen, *www, *record;
	uint64_t port, interval, map_interval, step_objects, idle_exit;
	bool allow_remote, step;
};

static int serve_option(struct serve_args *a, int c, const char *arg)
{
	switch (c) {
	case OPT_LISTEN:
		a->listen = arg;
		return EXIT_OK;
	case OPT_PORT:
		return parse_u64_range(arg, 1, 65535, &a->port) ?
		       usage_error("serve", "--port: 1..65535") : EXIT_OK;
	case OPT_ALLOW_REMOTE:
		a->allow_remote = true;
		return EXIT_OK;
	case OPT_WWW:
		a->www = arg;
		return EXIT_OK;
	case OPT_RECORD:
		a->record = arg;
		return EXIT_OK;
	case OPT_SRV_INTERVAL:
		return parse_u64_range(arg, 5, 60000, &a->interval) ?
		       usage_error("serve", "--interval: 5..60000 ms") : EXIT_OK;
	case OPT_MAP_INTERVAL:
		return parse_u64_range(arg, 20, 600000, &a->map_interval) ?
		       usage_error("serve", "--map-interval: 20..600000 ms") :
		       EXIT_OK;
	case OPT_STEP:
		a->step = true;
		return EXIT_OK;
	case OPT_IDLE_EXIT:
		return parse_u64_range(arg, 1, 86400, &a->idle_exit) ?
		       usage_error("serve", "--idle-exit: 1..86400 seconds") :
		       EXIT_OK;
	default:	/* OPT_STEP_OBJECTS */
		return parse_u64_range(arg, 1, 4096, &a->step_objects) ?
		       usage_error("serve", "--step-objects: 1..4096") : EXIT_OK;
	}
}

/* The options; EXIT_OK, -1 (help shown) or the exit status. */
static int serve_options(int argc, char **argv, struct serve_args *a)
{
	static const struct option lopts[] = {
		VIZSRC_OPTIONS,
		{ "listen", required_argument, NULL, OPT_LISTEN },
		{ "port", required_argument, NULL, OPT_PORT },
		{ "allow-remote", no_argument, NULL, OPT_ALLOW_REMOTE },
		{ "www", required_argument, NULL, OPT_WWW },
		{ "record", required_argument, NULL, OPT_RECORD },
		{ "interval", required_argument, NULL, OPT_SRV_INTERVAL },
		{ "map-interval", required_argument, NULL, OPT_MAP_INTERVAL },
		{ "step", no_argument, NULL, OPT_STEP },
		{ "step-objects", required_argument, NULL, OPT_STEP_OBJECTS },
		{ "idle-exit", required_argument, NULL, OPT_IDLE_EXIT },
		HELP_OPTION, COMMON_OPTIONS, { NULL, 0, NULL, 0 },
	};
	int c, ret;

	while ((c = getopt_long(argc, argv, "+h" COMMON_SHORT, lopts,
				NULL)) != -1) {
		if (c == 'h') {
			serve_usage(stdout);
			return -1;
		}
		if (vizsrc_option(&a->src, c, optarg))
			continue;
		if (c >= OPT_LISTEN && c <= OPT_IDLE_EXIT) {
			ret = serve_option(a, c, optarg);
			if (ret)
				return ret;
		} else if (!common_option(c, optarg)) {
			return bad_option("serve");
		}
	}
	if (optind != argc)
		return usage_error("serve", "unexpected '%s'", argv[optind]);
	ret = vizsrc_check(&a->src, "serve");
	if (ret)
		return ret;
	if (a->record && a->src.input)
		return usage_error("serve", "--record goes with a run "
				   "(--workload, --script, --heap)");
	if ((a->step || a->step_objects) && !a->src.script)
		return usage_error("serve", "--step goes with --script");
	return EXIT_OK;
}

/*
 * The recording a run writes: --record FILE, or a temporary file that is
 * unlinked at once and written through /proc/self/fd (nothing is left
 * behind however the server ends).  Opens the feed on it.
 */
static int serve_recording(struct serve_state *st, const struct serve_args *a,
			   char *path, size_t len)
{
	const char *tmp = getenv("TMPDIR");
	int fd, err;

	if (a->record) {
		FILE *f = fopen(a->record, "w");

		if (!f) {
			errmsg("--record %s: %s", a->record, strerror(errno));
			return EXIT_FAIL;
		}
		fclose(f);
		snprintf(path, len, "%s", a->record);
		err = feed_open(&st->feed, path);
	} else {
		snprintf(path, len, "%s/gmmctl-serve-XXXXXX.json",
			 tmp && *tmp ? tmp : "/tmp");
		fd = mkostemps(path, 5, O_CLOEXEC);
		if (fd < 0) {
			errmsg("cannot make a temporary recording %s: %s", path,
			       strerror(errno));
			return EXIT_FAIL;
		}
		unlink(path);
		st->feed.fd = fd;
		snprintf(st->feed.path, sizeof(st->feed.path), "(temporary)");
		snprintf(path, len, "/proc/self/fd/%d", fd);
		err = 0;
	}
	if (err) {
		errmsg_err(err, "%s", path);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* The source's recording, checked (--input) or made ready (a run). */
static int serve_source(struct serve_state *st, const struct serve_args *a,
			char *path, size_t len)
{
	struct viz_rec r;
	char err[256];
	int ret;

	if (!a->src.input) {
		st->source = a->src.heap ? "debugfs" : "dev";
		return serve_recording(st, a, path, len);
	}
	st->source = "recording";
	viz_rec_init(&r);
	ret = viz_rec_load(a->src.input, &r, err, sizeof(err));
	viz_rec_free(&r);
	if (ret) {
		errmsg("%s: %s", a->src.input, err);
		return EXIT_FAIL;
	}
	ret = feed_open(&st->feed, a->src.input);
	if (ret) {
		errmsg_err(ret, "%s", a->src.input);
		return EXIT_FAIL;
	}
	snprintf(path, len, "%s", a->src.input);
	return EXIT_OK;
}

/* `gmmctl record --heap` into @path until Ctrl-C; its exit status. */
static int serve_record_heap(const struct serve_args *a, const char *path)
{
	char iv[24], mi[24], *argv[16];
	int argc = 0;

	snprintf(iv, sizeof(iv), "%llu", ULL(a->interval));
	snprintf(mi, sizeof(mi), "%.3f", a->map_interval / 1000.0);
	argv[argc++] = (char *)"record";
	argv[argc++] = (char *)"--heap";
	argv[argc++] = (char *)a->src.heap;
	argv[argc++] = (char *)"-o";
	argv[argc++] = (char *)path;
	argv[argc++] = (char *)"--interval";
	argv[argc++] = iv;
	argv[argc++] = (char *)"--map-interval";
	argv[argc++] = mi;
	argv[argc++] = (char *)"--seconds";	/* a year, its most: */
	argv[argc++] = (char *)"31536000";	/* Ctrl-C ends it */
	argv[argc++] = (char *)"--wait";
	argv[argc] = NULL;
	optind = 0;
	return cmd_record(argc, argv);
}

/*
 * --step: a step of the script waits until the page asks for one
 * (POST /api/step, http.c) or the server is told to stop.
 */
static int serve_step_gate(void *arg)
{
	struct serve_state *st = arg;
	struct timespec ts;
	int ret = 0;

	pthread_mutex_lock(&st->lock);
	st->stepping = true;
	while (st->steps_asked <= st->steps_done && !serve_stop) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 100 * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_nsec -= 1000000000L;
			ts.tv_sec++;
		}
		pthread_cond_timedwait(&st->cond, &st->lock, &ts);
	}
	st->stepping = false;
	if (serve_stop)
		ret = -1;
	else
		st->steps_done++;
	pthread_mutex_unlock(&st->lock);
	return ret;
}

/* The workload or script on gmmctl's own heap, recorded into @path. */
static int serve_run_own(struct serve_state *st, const struct serve_args *a,
			 const char *path)
{
	char so[24], *argv[16];
	int argc = 0, ret;

	if (a->src.workload) {
		argv[argc++] = (char *)"workload";
		argv[argc++] = (char *)a->src.workload;
		if (a->src.depth) {
			argv[argc++] = (char *)"--depth";
			argv[argc++] = (char *)a->src.depth;
		}
		argv[argc++] = (char *)"--quiet";
	} else {
		argv[argc++] = (char *)"run";
		if (a->step) {
			snprintf(so, sizeof(so), "%llu",
				 ULL(a->step_objects ? a->step_objects : 1));
			argv[argc++] = (char *)"--step-objects";
			argv[argc++] = so;
		}
		argv[argc++] = (char *)a->src.script;
	}
	argv[argc] = NULL;
	record_configure(path, 0, (uint32_t)a->interval, st->what);
	record_set_map_interval((uint32_t)a->map_interval);
	if (a->step)
		run_set_step_gate(serve_step_gate, st);
	optind = 0;
	ret = a->src.workload ? cmd_workload(argc, argv) : cmd_run(argc, argv);
	optind = 0;
	run_set_step_gate(NULL, NULL);
	if (record_detach() && ret == EXIT_OK)
		ret = EXIT_FAIL;
	record_configure(NULL, 0, 0, NULL);
	return ret;
}

/* What the run is called on the page. */
static void serve_what(const struct serve_args *a, char *what, size_t len)
{
	if (a->src.input)
		snprintf(what, len, "recording %s", a->src.input);
	else if (a->src.heap)
		snprintf(what, len, "heap %s (debugfs)", a->src.heap);
	else if (a->src.workload)
		snprintf(what, len, "workload %s%s%s", a->src.workload,
			 a->src.depth ? " --depth " : "",
			 a->src.depth ? a->src.depth : "");
	else
		snprintf(what, len, "run %s%s", a->step ? "--step " : "",
			 a->src.script);
}

/* SIGINT and SIGTERM end the serving (and a step's wait). */
static void serve_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* Serve until SIGINT or SIGTERM (or @idle_s seconds without a request). */
static void serve_wait(struct serve_state *st, uint64_t idle_s)
{
	struct timespec ts = { 0, 100 * 1000000L };
	uint64_t last;

	serve_signals();
	pthread_mutex_lock(&st->lock);
	st->last_request_ns = now_ns();	/* the idle time counts from here */
	pthread_mutex_unlock(&st->lock);
	while (!serve_stop) {
		nanosleep(&ts, NULL);
		pthread_mutex_lock(&st->lock);
		last = st->last_request_ns;
		pthread_mutex_unlock(&st->lock);
		if (idle_s && now_ns() - last > idle_s * 1000000000ULL) {
			printf("gmmctl serve: no request for %llu s; done\n",
			       ULL(idle_s));
			break;
		}
	}
}

/* The server is up: run what there is to run, then serve until told. */
static int serve_body(struct serve_state *st, const struct serve_args *a,
		      const char *path)
{
	int ret = EXIT_OK;

	if (a->step)
		serve_signals();	/* a step's wait ends at Ctrl-C */
	if (!a->src.input) {
		pthread_mutex_lock(&st->lock);
		st->live = true;
		pthread_mutex_unlock(&st->lock);
		ret = a->src.heap ? serve_record_heap(a, path) :
		      serve_run_own(st, a, path);
		pthread_mutex_lock(&st->lock);
		st->live = false;
		pthread_mutex_unlock(&st->lock);
		printf("gmmctl serve: the run ended%s; serving its recording "
		       "until Ctrl-C\n", ret ? " with a failure" : "");
		fflush(stdout);
	}
	serve_wait(st, a->idle_exit);
	return ret;
}

int cmd_serve(int argc, char **argv)
{
	struct serve_args a = { .interval = 50, .map_interval = 150 };
	struct serve_state st = { .feed.fd = -1 };
	struct http_server *hs = NULL;
	struct listen_addr la;
	char path[4200];
	uint16_t port;
	int ret;

	subcommand_argv0(argv);
	ret = serve_options(argc, argv, &a);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	if (www_find(a.www, st.www, sizeof(st.www))) {
		errmsg("serve: the page's files are not in %s (--www DIR)",
		       a.www ? a.www : "share/gmmctl/www next to gmmctl");
		return EXIT_FAIL;
	}
	ret = listen_parse(&la, a.listen, (uint16_t)a.port, a.allow_remote);
	if (ret == -EPERM)
		return usage_error("serve", "--listen %s is not a loopback "
				   "address: the page has no login, so whoever "
				   "reaches it sees the heap; add --allow-remote "
				   "if that is meant", a.listen);
	if (ret)
		return usage_error("serve", "--listen: an IPv4 or IPv6 address");
	serve_what(&a, st.what, sizeof(st.what));
	st.step = a.step;
	st.step_objects = (uint32_t)(a.step_objects ? a.step_objects : 1);
	ret = serve_source(&st, &a, path, sizeof(path));
	if (ret)
		return ret;
	pthread_mutex_init(&st.lock, NULL);
	pthread_cond_init(&st.cond, NULL);
	ret = http_start(&hs, &st, &la, &port);
	if (ret) {
		errmsg("serve: cannot listen on %s port %llu: %s", la.text,
		       ULL(a.port), strerror(errno ? errno : -ret));
		ret = EXIT_FAIL;
	} else {
		printf("gmmctl serve: %s on http://%s:%u/ (Ctrl-C ends)\n",
		       st.what, la.text, port);
		fflush(stdout);
		ret = serve_body(&st, &a, path);
		http_stop(hs);
	}
	feed_close(&st.feed);
	pthread_cond_destroy(&st.cond);
	pthread_mutex_destroy(&st.lock);
	return ret;
}
