// SPDX-License-Identifier: GPL-2.0
/*
 * gmmctl - drive and inspect gmm, the Go-style memory manager module,
 * through /dev/gmm.
 *
 * Exit status: 0 success, 1 the operation failed, 2 usage error,
 * 3 /dev/gmm cannot be opened (module not loaded or no permission).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/gmm.h>

#define EXIT_FAIL	1
#define EXIT_USAGE	2
#define EXIT_NODEV	3

static const char *dev_path = "/dev/gmm";
static int json;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: gmmctl [OPTIONS] COMMAND [ARGS]\n"
		"\n"
		"Drive and inspect gmm, the Go-style garbage-collected memory\n"
		"manager kernel module, through /dev/gmm.\n"
		"\n"
		"Commands:\n"
		"  info            module version, ABI and features\n"
		"\n"
		"Options:\n"
		"  -d, --device PATH   device node (default /dev/gmm)\n"
		"  -j, --json          print results as JSON\n"
		"  -h, --help          show this help\n"
		"\n"
		"Exit status: 0 ok, 1 operation failed, 2 usage error,\n"
		"3 cannot open the device (is gmm.ko loaded? are you root?).\n");
}

static int open_dev(void)
{
	int fd = open(dev_path, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "gmmctl: cannot open %s: %s%s\n", dev_path,
			strerror(errno),
			errno == ENOENT ? " (is gmm.ko loaded?)" : "");
		exit(EXIT_NODEV);
	}
	return fd;
}

static int cmd_info(int argc, char **argv)
{
	struct gmm_version v;
	int fd;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "gmmctl: info takes no arguments\n");
		return EXIT_USAGE;
	}
	fd = open_dev();
	memset(&v, 0, sizeof(v));
	if (ioctl(fd, GMM_IOC_VERSION, &v) < 0) {
		fprintf(stderr, "gmmctl: GMM_IOC_VERSION: %s\n", strerror(errno));
		close(fd);
		return EXIT_FAIL;
	}
	close(fd);
	if (json) {
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
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "+d:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			dev_path = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	argc -= optind;
	argv += optind;
	if (!strcmp(argv[0], "info"))
		return cmd_info(argc, argv);
	fprintf(stderr, "gmmctl: unknown command '%s' (see gmmctl --help)\n",
		argv[0]);
	return EXIT_USAGE;
}
