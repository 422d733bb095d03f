// SPDX-License-Identifier: GPL-2.0
/*
 * mksizeclasses - generate gmm/sizeclasses.c, the size-class tables.
 *
 * The classes follow the Go runtime's documented recipe (its
 * mksizeclasses generator), so gmm has Go's 68-entry table:
 *
 *  1. Walk candidate sizes from 8 to 32768.  The step starts at 8 and is
 *     raised whenever the candidate reaches a power of two: 16 from 32 on,
 *     size/8 from 128 on, 256 from 2048 on.
 *  2. Give each candidate the smallest number of 8 KiB pages whose tail
 *     (what is left after cutting the span into objects) is at most 1/8
 *     of the span.
 *  3. A candidate with the same page count and the same number of objects
 *     per span as the previous class widens that class instead of adding
 *     a new one.
 *  4. Raise every class to the largest multiple of 128 that still puts the
 *     same number of objects into the same pages.
 *  5. Require exactly 68 classes (class 0 is "large"), compute the magic
 *     divisor of every class and prove it exact by brute force, build the
 *     two size -> class lookup tables and prove them by brute force too.
 *
 * Then write the tables as kernel C.  Nothing is written unless every check
 * passed.
 *
 * Exit status: 0 success, 1 failure (a check failed or output error),
 * 2 usage error.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_SHIFT		13
#define PAGE_SIZE		8192u	/* 1 << PAGE_SHIFT */
#define MAX_SMALL_SIZE		32768u
#define NUM_SIZE_CLASSES	68
#define SMALL_SIZE_DIV		8u
#define SMALL_SIZE_MAX		1024u
#define LARGE_SIZE_DIV		128u
#define MIN_ALIGN		8u

#define CLASS8_LEN	(SMALL_SIZE_MAX / SMALL_SIZE_DIV + 1)
#define CLASS128_LEN	((MAX_SMALL_SIZE - SMALL_SIZE_MAX) / LARGE_SIZE_DIV + 1)

/* Upper bound on classes before merging: one per candidate size. */
#define MAX_CANDIDATES	(MAX_SMALL_SIZE / MIN_ALIGN)

struct sizeclass {
	unsigned int size;	/* bytes per object */
	unsigned int npages;	/* 8 KiB pages per span */
	unsigned int nelems;	/* objects per span */
	uint32_t divmagic;	/* (off * divmagic) >> 32 == off / size */
};

static struct sizeclass classes[MAX_CANDIDATES + 1];
static unsigned int nclasses;
static uint8_t size_to_class8[CLASS8_LEN];
static uint8_t size_to_class128[CLASS128_LEN];

static const char *progname = "mksizeclasses";

static void fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static bool is_pow2(unsigned int x)
{
	return x && !(x & (x - 1));
}

/* Steps 1-3: candidate sizes, page counts, merging. */
static void choose_classes(void)
{
	unsigned int align = MIN_ALIGN;
	unsigned int size;

	classes[0] = (struct sizeclass){ 0 };	/* class 0: large objects */
	nclasses = 1;

	for (size = align; size <= MAX_SMALL_SIZE; size += align) {
		unsigned int span, npages, nelems;
		struct sizeclass *prev = &classes[nclasses - 1];

		if (is_pow2(size)) {
			if (size >= 2048)
				align = 256;
			else if (size >= 128)
				align = size / 8;
			else if (size >= 32)
				align = 16;	/* 16-byte alignment from 32 B on */
		}
		if (!is_pow2(align))
			fail("alignment step %u is not a power of two", align);

		/* Smallest span whose tail waste is at most 1/8 of it. */
		span = PAGE_SIZE;
		while (span % size > span / 8)
			span += PAGE_SIZE;
		npages = span / PAGE_SIZE;
		nelems = span / size;

		if (nclasses > 1 && npages == prev->npages &&
		    nelems == span / prev->size) {
			prev->size = size;	/* widen the previous class */
			continue;
		}
		if (nclasses > MAX_CANDIDATES)
			fail("too many classes");
		classes[nclasses++] = (struct sizeclass){
			.size = size, .npages = npages,
		};
	}
}

/* Step 4: grow each class to the largest multiple of 128 with the same fit. */
static void widen_classes(void)
{
	unsigned int i;

	for (i = 1; i < nclasses; i++) {
		struct sizeclass *c = &classes[i];
		unsigned int span = c->npages * PAGE_SIZE;
		unsigned int wider = (span / (span / c->size)) & ~(LARGE_SIZE_DIV - 1);

		if (wider > c->size)
			c->size = wider;
		c->nelems = span / c->size;
	}
}

/* Step 5: sanity checks on the classes themselves. */
static void check_classes(void)
{
	unsigned int i;

	if (nclasses != NUM_SIZE_CLASSES)
		fail("got %u size classes, want %u", nclasses, NUM_SIZE_CLASSES);
	if (classes[nclasses - 1].size != MAX_SMALL_SIZE)
		fail("largest class is %u bytes, want %u",
		     classes[nclasses - 1].size, MAX_SMALL_SIZE);

	for (i = 1; i < nclasses; i++) {
		const struct sizeclass *c = &classes[i];
		unsigned int span = c->npages * PAGE_SIZE;

		if (c->size <= classes[i - 1].size)
			fail("class %u: size %u not above class %u's %u",
			     i, c->size, i - 1, classes[i - 1].size);
		if (c->size % MIN_ALIGN)
			fail("class %u: size %u not a multiple of %u",
			     i, c->size, MIN_ALIGN);
		/* The 128-granular table can only land on 128-byte bounds. */
		if (c->size > SMALL_SIZE_MAX && c->size % LARGE_SIZE_DIV)
			fail("class %u: size %u not a multiple of %u",
			     i, c->size, LARGE_SIZE_DIV);
		if (c->nelems != span / c->size || c->nelems == 0)
			fail("class %u: bad object count", i);
		if (span - c->nelems * c->size > span / 8)
			fail("class %u: tail waste above 1/8", i);
		if (c->npages > 255 || c->nelems > 65535)
			fail("class %u: does not fit the table types", i);
	}
}

/*
 * Magic divisor: ceil(2^32 / size), i.e. floor((2^32 - 1) / size) + 1.
 * Exactness for the few offsets a span has is proven by trying them all.
 */
static void compute_divmagic(void)
{
	unsigned int i;

	for (i = 1; i < nclasses; i++) {
		struct sizeclass *c = &classes[i];
		uint64_t span = (uint64_t)c->npages * PAGE_SIZE;
		uint64_t off;

		c->divmagic = UINT32_MAX / c->size + 1;
		for (off = 0; off <= span; off++) {
			if (((off * c->divmagic) >> 32) != off / c->size)
				fail("class %u (%u B): divmagic %u inexact at offset %llu",
				     i, c->size, c->divmagic,
				     (unsigned long long)off);
		}
	}
}

/* The smallest class holding size bytes (class 0 for size 0). */
static unsigned int smallest_class(unsigned int size)
{
	unsigned int i;

	for (i = 0; i < nclasses; i++)
		if (classes[i].size >= size)
			return i;
	fail("no class for %u bytes", size);
	return 0;
}

static unsigned int lookup(unsigned int size)
{
	if (size <= SMALL_SIZE_MAX - SMALL_SIZE_DIV)
		return size_to_class8[(size + SMALL_SIZE_DIV - 1) / SMALL_SIZE_DIV];
	return size_to_class128[(size + LARGE_SIZE_DIV - 1 - SMALL_SIZE_MAX) /
				LARGE_SIZE_DIV];
}

static void build_lookup(void)
{
	unsigned int i, size;

	for (i = 0; i < CLASS8_LEN; i++)
		size_to_class8[i] = smallest_class(i * SMALL_SIZE_DIV);
	for (i = 0; i < CLASS128_LEN; i++)
		size_to_class128[i] = smallest_class(SMALL_SIZE_MAX + i * LARGE_SIZE_DIV);

	for (size = 0; size <= MAX_SMALL_SIZE; size++)
		if (lookup(size) != smallest_class(size))
			fail("lookup(%u) = class %u, want class %u",
			     size, lookup(size), smallest_class(size));
}

/* Lowest set bit of size: the alignment every object in the span gets. */
static unsigned int min_align(unsigned int size)
{
	unsigned int a = size & -size;

	return a > PAGE_SIZE ? PAGE_SIZE : a;
}

/* a / b as a percentage with two decimals, rounded half up, in hundredths. */
static unsigned int pct100(unsigned long long a, unsigned long long b)
{
	return (unsigned int)((a * 20000 + b) / (2 * b));
}

static void emit_comment(FILE *f)
{
	unsigned int i, a, prev_size = 0;

	fprintf(f,
		"/*\n"
		" * sizeclasses.c - the size-class tables.\n"
		" *\n"
		" * Generated by tools/mksizeclasses; DO NOT EDIT.\n"
		" * Regenerate with: make -C tools/mksizeclasses generate\n"
		" *\n"
		" * class  bytes/obj  bytes/span  objects  tail waste  max waste  min align\n");
	for (i = 1; i < nclasses; i++) {
		const struct sizeclass *c = &classes[i];
		unsigned int span = c->npages * PAGE_SIZE;
		unsigned int tail = span - c->nelems * c->size;
		unsigned int worst = pct100((unsigned long long)(c->size - prev_size - 1) *
					    c->nelems + tail, span);

		fprintf(f, " * %5u  %9u  %10u  %7u  %10u  %5u.%02u%%  %9u\n",
			i, c->size, span, c->nelems, tail,
			worst / 100, worst % 100, min_align(c->size));
		prev_size = c->size;
	}
	fprintf(f,
		" *\n"
		" * tail waste: bytes left over at the end of a span.\n"
		" * max waste: worst case share of the span lost when every object is\n"
		" * the smallest request that maps to the class.\n"
		" *\n"
		" * Alignment guaranteed to every object of at least a given size\n"
		" * (spans start on an 8 KiB page):\n"
		" *\n"
		" * alignment  bits  min obj size\n");
	/*
	 * For each alignment, the smallest size from which every class is at
	 * least that aligned; print the strongest alignment per threshold.
	 */
	for (a = MIN_ALIGN; a <= PAGE_SIZE; a <<= 1) {
		unsigned int from[2], k;

		for (k = 0; k < 2; k++) {
			unsigned int want = a << k;

			from[k] = 0;
			for (i = nclasses - 1; i >= 1; i--) {
				if (min_align(classes[i].size) < want)
					break;
				from[k] = classes[i].size;
			}
		}
		if (from[0] && from[0] != from[1]) {
			unsigned int bits = 0;

			while ((1u << bits) < a)
				bits++;
			fprintf(f, " * %9u  %4u  %12u\n", a, bits, from[0]);
		}
	}
	fprintf(f, " */\n");
}

/* One array, n values, per_line values per line, index comment per line. */
static void emit_array(FILE *f, const char *decl, const char *name,
		       const unsigned long *v, unsigned int n,
		       unsigned int per_line, unsigned int width)
{
	unsigned int i;

	fprintf(f, "\n%s = {\n", decl);
	for (i = 0; i < n; i++) {
		if (i % per_line == 0)
			fprintf(f, "\t/* %3u */", i);
		fprintf(f, " %*lu,", (int)width, v[i]);
		if (i % per_line == per_line - 1 || i == n - 1)
			fputc('\n', f);
	}
	fprintf(f, "};\n\nGMM_EXPORT_FOR_TESTING(%s);\n", name);
}

static void emit(FILE *f)
{
	unsigned long v[CLASS128_LEN];
	unsigned int i;

	/* Split so that checkers do not take it for this file's own tag. */
	fprintf(f, "// SPDX-%s: GPL-2.0\n", "License-Identifier");
	emit_comment(f);
	fprintf(f, "#include \"internal.h\"\n#include \"sizeclasses.h\"\n");

	for (i = 0; i < nclasses; i++)
		v[i] = classes[i].size;
	emit_array(f, "const u16 gmm_class_to_size[GMM_NUM_SIZE_CLASSES]",
		   "gmm_class_to_size", v, nclasses, 8, 5);
	for (i = 0; i < nclasses; i++)
		v[i] = classes[i].npages;
	emit_array(f, "const u8 gmm_class_to_npages[GMM_NUM_SIZE_CLASSES]",
		   "gmm_class_to_npages", v, nclasses, 8, 2);
	for (i = 0; i < nclasses; i++)
		v[i] = classes[i].nelems;
	emit_array(f, "const u16 gmm_class_to_nelems[GMM_NUM_SIZE_CLASSES]",
		   "gmm_class_to_nelems", v, nclasses, 8, 4);
	for (i = 0; i < nclasses; i++)
		v[i] = classes[i].divmagic;
	emit_array(f, "const u32 gmm_class_to_divmagic[GMM_NUM_SIZE_CLASSES]",
		   "gmm_class_to_divmagic", v, nclasses, 6, 10);
	for (i = 0; i < CLASS8_LEN; i++)
		v[i] = size_to_class8[i];
	emit_array(f, "const u8 gmm_size_to_class8[GMM_SIZE_TO_CLASS8_LEN]",
		   "gmm_size_to_class8", v, CLASS8_LEN, 16, 2);
	for (i = 0; i < CLASS128_LEN; i++)
		v[i] = size_to_class128[i];
	emit_array(f, "const u8 gmm_size_to_class128[GMM_SIZE_TO_CLASS128_LEN]",
		   "gmm_size_to_class128", v, CLASS128_LEN, 16, 2);
}

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: %s [-o FILE]\n"
		"Compute gmm's size classes, verify them and write the C tables.\n"
		"\n"
		"  -o, --output FILE  write to FILE instead of standard output\n"
		"  -h, --help         show this help\n"
		"\n"
		"Exit status: 0 success, 1 a check or the output failed, 2 usage.\n",
		progname);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL;
	FILE *f = stdout;
	int opt;

	if (argc > 0 && argv[0] && argv[0][0])
		progname = argv[0];

	while ((opt = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			out = optarg;
			break;
		case 'h':
			print_usage(stdout);
			return 0;
		default:
			print_usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", progname, argv[optind]);
		print_usage(stderr);
		return 2;
	}

	choose_classes();
	widen_classes();
	check_classes();
	compute_divmagic();
	build_lookup();

	if (out) {
		f = fopen(out, "w");
		if (!f)
			fail("%s: %s", out, strerror(errno));
	}
	emit(f);
	if (fflush(f) || ferror(f))
		fail("%s: write error: %s", out ? out : "stdout", strerror(errno));
	if (out && fclose(f))
		fail("%s: %s", out, strerror(errno));
	return 0;
}
