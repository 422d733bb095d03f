// SPDX-License-Identifier: GPL-2.0
/*
 * util.c - gmmctl's small helpers: messages, opening the device, parsing
 * and formatting numbers, the clock and a reproducible random generator.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gmmctl.h"
#include "viz/record.h"

void errmsg(const char *fmt, ...)
{
	va_list ap;

	fputs("gmmctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void errmsg_err(int err, const char *fmt, ...)
{
	va_list ap;

	fputs("gmmctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(-err));
}

struct gmm *open_heap(bool any_abi)
{
	const char *path = opts.device ? opts.device : GMM_DEVICE_PATH;
	struct gmm *g;

	g = gmm_open(path, any_abi ? GMM_OPEN_ANY_ABI : 0);
	if (g) {
		record_attach(g);	/* --record: see record.h */
		return g;
	}
	switch (errno) {
	case ENOENT:
		errmsg("cannot open %s: %s (is gmm.ko loaded?)", path,
		       strerror(errno));
		break;
	case EACCES:
	case EPERM:
		errmsg("cannot open %s: %s (the module's dev_mode parameter "
		       "sets who may)", path, strerror(errno));
		break;
	case EPROTONOSUPPORT:
		errmsg("%s speaks another major ABI version than gmmctl (%d); "
		       "'gmmctl info' shows it", path, GMM_ABI_MAJOR);
		break;
	case ENOTTY:
		errmsg("%s is not a gmm device", path);
		break;
	default:
		errmsg("cannot open %s: %s", path, strerror(errno));
	}
	return NULL;
}

int parse_u64(const char *s, uint64_t *v)
{
	unsigned long long x;
	char *end;

	if (!s || !*s || *s == '-' || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno || *end)
		return -EINVAL;
	*v = x;
	return 0;
}

int parse_u64_range(const char *s, uint64_t min, uint64_t max, uint64_t *v)
{
	uint64_t x;

	if (parse_u64(s, &x) || x < min || x > max)
		return -EINVAL;
	*v = x;
	return 0;
}

int parse_int(const char *s, long min, long max, long *v)
{
	long x;
	char *end;

	if (!s || !*s || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	x = strtol(s, &end, 0);
	if (errno || *end || x < min || x > max)
		return -EINVAL;
	*v = x;
	return 0;
}

int parse_size(const char *s, uint64_t *v)
{
	static const struct {
		const char *suffix;
		unsigned int shift;
	} units[] = {
		{ "", 0 }, { "B", 0 },
		{ "k", 10 }, { "K", 10 }, { "KiB", 10 }, { "kB", 10 }, { "KB", 10 },
		{ "M", 20 }, { "MiB", 20 }, { "MB", 20 },
		{ "G", 30 }, { "GiB", 30 }, { "GB", 30 },
		{ "T", 40 }, { "TiB", 40 }, { "TB", 40 },
	};
	unsigned long long x;
	char *end;
	size_t i;

	if (!s || !*s || *s == '-' || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || end == s)
		return -EINVAL;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].suffix))
			continue;
		if (units[i].shift && x > (UINT64_MAX >> units[i].shift))
			return -ERANGE;
		*v = (uint64_t)x << units[i].shift;
		return 0;
	}
	return -EINVAL;
}

int parse_seconds(const char *s, double *v)
{
	double x, mul = 1;
	char *end;

	if (!s || !*s || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	x = strtod(s, &end);
	if (errno || end == s || x < 0 || x != x)
		return -EINVAL;
	if (!strcmp(end, "ms"))
		mul = 0.001;
	else if (!strcmp(end, "m") || !strcmp(end, "min"))
		mul = 60;
	else if (*end && strcmp(end, "s"))
		return -EINVAL;
	x *= mul;
	if (x > 86400 * 365)
		return -EINVAL;
	*v = x;
	return 0;
}

const char *fmt_bytes(char *buf, size_t n, uint64_t bytes)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB" };
	double x = (double)bytes;
	int u = -1;

	if (bytes < 1024) {
		snprintf(buf, n, "%llu B", ULL(bytes));
		return buf;
	}
	while (x >= 1024 && u < 3) {
		x /= 1024;
		u++;
	}
	snprintf(buf, n, x < 10 ? "%.2f %s" : x < 100 ? "%.1f %s" : "%.0f %s",
		 x, unit[u]);
	return buf;
}

const char *fmt_ns(char *buf, size_t n, uint64_t ns)
{
	if (ns < 1000)
		snprintf(buf, n, "%llu ns", ULL(ns));
	else if (ns < 1000000)
		snprintf(buf, n, "%.1f us", ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, n, "%.3f ms", ns / 1e6);
	else
		snprintf(buf, n, "%.3f s", ns / 1e9);
	return buf;
}

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* splitmix64 to spread the seed, then xorshift64*. */
void rng_seed(struct rng *r, uint64_t seed)
{
	uint64_t z = seed + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	r->s = z ? z : 1;
}

uint64_t rng_next(struct rng *r)
{
	uint64_t x = r->s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->s = x;
	return x * 0x2545f4914f6cdd1dULL;
}

uint64_t rng_below(struct rng *r, uint64_t n)
{
	return rng_next(r) % n;	/* the bias is irrelevant here */
}

bool common_option(int c, const char *arg)
{
	switch (c) {
	case 'j':
		opts.json = true;
		return true;
	case 'd':
		opts.device = arg;
		return true;
	default:
		return false;
	}
}

int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "gmmctl %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see gmmctl %s --help)\n", cmd);
	return EXIT_USAGE;
}

void subcommand_argv0(char **argv)
{
	static char name[64];

	snprintf(name, sizeof(name), "gmmctl %s", argv[0]);
	argv[0] = name;
}

int bad_option(const char *cmd)
{
	fprintf(stderr, "Try 'gmmctl %s --help'.\n", cmd);
	return EXIT_USAGE;
}
