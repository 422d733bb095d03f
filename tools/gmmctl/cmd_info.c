// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_info.c - `gmmctl info` (GMM_IOC_VERSION) and `gmmctl params`
 * (GMM_IOC_PARAMS).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <string.h>

#include "gmmctl.h"

static void info_usage(FILE *f)
{
	fprintf(f,
		"Usage: gmmctl [-j] info\n"
		"\n"
		"Print the module's version, its ABI version, the runtime page\n"
		"size, the size classes and the feature bits (GMM_IOC_VERSION).\n"
		"Works with a module of any ABI version.\n"
		"\n"
		"  -j, --json   one JSON object\n"
		"  -h, --help   this help\n");
}

int cmd_info(int argc, char **argv)
{
	static const struct option lopts[] = {
		HELP_OPTION, COMMON_OPTIONS, { NULL, 0, NULL, 0 },
	};
	struct gmm_version v;
	struct gmm *g;
	int c;

	subcommand_argv0(argv);
	while ((c = getopt_long(argc, argv, "+h" COMMON_SHORT, lopts, NULL)) != -1) {
		if (c == 'h') {
			info_usage(stdout);
			return EXIT_OK;
		}
		if (!common_option(c, optarg))
			return bad_option("info");
	}
	if (optind != argc)
		return usage_error("info", "takes no arguments");

	g = open_heap(true);
	if (!g)
		return EXIT_NODEV;
	gmm_version(g, &v);
	gmm_close(g);
	if (opts.json) {
		printf("{\"module_version\": \"%s\", \"abi_major\": %u, "
		       "\"abi_minor\": %u, \"features\": %llu, \"page_size\": %u, "
		       "\"max_small_size\": %u, \"num_size_classes\": %u}\n",
		       v.module_version, v.abi_major, v.abi_minor,
		       (unsigned long long)v.features, v.page_size,
		       v.max_small_size, v.num_size_classes);
	} else {
		printf("gmm %s, ABI %u.%u\n", v.module_version, v.abi_major,
		       v.abi_minor);
		printf("runtime page:     %u bytes\n", v.page_size);
		printf("small objects:    up to %u bytes in %u size classes\n",
		       v.max_small_size, v.num_size_classes - 1);
		printf("features:         %#llx\n", (unsigned long long)v.features);
	}
	return EXIT_OK;
}

static void params_usage(FILE *f)
{
	fprintf(f,
		"Usage: gmmctl [-j] params [--gc-percent N|off] [--memory-limit SIZE]\n"
		"\n"
		"Read, and with options set, the parameters of a heap\n"
		"(GMM_IOC_PARAMS): GOGC, the heap's memory limit and the\n"
		"module-wide limit.\n"
		"\n"
		"The heap is the one this command opens, and it ends when gmmctl\n"
		"exits: on its own this shows the defaults a new heap gets and\n"
		"whether the module accepts a value.  To run something under\n"
		"other parameters use 'params' inside 'gmmctl run' scripts, or\n"
		"the --gc-percent/--memory-limit options of 'gmmctl workload'.\n"
		"\n"
		"  -g, --gc-percent N     GOGC: 1..10000, or 'off' (-1)\n"
		"  -m, --memory-limit SIZE  bytes, or with a unit: 64MiB, 1G, 512k;\n"
		"                         0 = the module's default\n"
		"  -j, --json             one JSON object\n"
		"  -h, --help             this help\n");
}

/* GOGC from the command line: 1..10000 or off. */
int parse_gc_percent(const char *s, int *v)
{
	long x;

	if (!strcmp(s, "off")) {
		*v = -1;
		return 0;
	}
	if (parse_int(s, -1, 10000, &x) || x == 0)
		return -EINVAL;
	*v = (int)x;
	return 0;
}

/* The parameters as text or JSON. */
static void print_params(const struct gmm_params *p)
{
	char b1[32], b2[32];

	if (opts.json) {
		struct json j;

		json_init(&j, stdout);
		json_obj_begin(&j, NULL);
		json_i64(&j, "gc_percent", p->gc_percent);
		json_u64(&j, "memory_limit", p->memory_limit);
		json_u64(&j, "total_limit", p->total_limit);
		json_obj_end(&j);
		return;
	}
	if (p->gc_percent < 0)
		printf("gc_percent:    off (GOGC=off: no automatic collection)\n");
	else
		printf("gc_percent:    %d (GOGC)\n", p->gc_percent);
	if (p->memory_limit)
		printf("memory_limit:  %s (%llu bytes)\n",
		       fmt_bytes(b1, sizeof(b1), p->memory_limit), ULL(p->memory_limit));
	else
		printf("memory_limit:  none but the module-wide limit\n");
	if (p->total_limit)
		printf("total_limit:   %s (%llu bytes, all heaps together)\n",
		       fmt_bytes(b2, sizeof(b2), p->total_limit), ULL(p->total_limit));
	else
		printf("total_limit:   none\n");
}

int cmd_params(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "gc-percent", required_argument, NULL, 'g' },
		{ "memory-limit", required_argument, NULL, 'm' },
		HELP_OPTION, COMMON_OPTIONS, { NULL, 0, NULL, 0 },
	};
	bool set_gc = false, set_limit = false;
	struct gmm_params p;
	uint64_t limit = 0;
	struct gmm *g;
	int c, err, gcp = 0;

	subcommand_argv0(argv);
	while ((c = getopt_long(argc, argv, "+hg:m:" COMMON_SHORT, lopts,
				NULL)) != -1) {
		switch (c) {
		case 'h':
			params_usage(stdout);
			return EXIT_OK;
		case 'g':
			if (parse_gc_percent(optarg, &gcp))
				return usage_error("params", "--gc-percent: '%s' is "
						   "not 1..10000 or off", optarg);
			set_gc = true;
			break;
		case 'm':
			if (parse_size(optarg, &limit))
				return usage_error("params", "--memory-limit: '%s' "
						   "is not a size (e.g. 4096, 64MiB, 1G)",
						   optarg);
			set_limit = true;
			break;
		default:
			if (!common_option(c, optarg))
				return bad_option("params");
		}
	}
	if (optind != argc)
		return usage_error("params", "unexpected argument '%s'",
				   argv[optind]);

	g = open_heap(false);
	if (!g)
		return EXIT_NODEV;
	err = 0;
	if (set_gc)
		err = gmm_set_gc_percent(g, gcp);
	if (!err && set_limit)
		err = gmm_set_memory_limit(g, limit);
	if (!err)
		err = gmm_get_params(g, &p);
	gmm_close(g);
	if (err) {
		errmsg_err(err, "GMM_IOC_PARAMS");
		return EXIT_FAIL;
	}
	print_params(&p);
	return EXIT_OK;
}
