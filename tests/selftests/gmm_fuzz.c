// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_fuzz.c - a randomised, model-checked fuzzer of GMM_IOC_OP and
 * GMM_IOC_BATCH.
 *
 * A user-space model keeps what every handle names: each object's slot
 * size, type, bytes and, per pointer word, which object it points to.
 * Random operations - valid ones (allocations of every kind, releases,
 * dups, stores, loads, reads, writes, infos, collections, GOGC changes)
 * mixed with invalid ones (bad handles, offsets, ranges, op codes, unused
 * fields, buffers) - run against the kernel, one ioctl each or in batches;
 * every result and errno is checked against the model.  Every so often,
 * and at the end, a collection runs and the whole heap is checked: every
 * handle's object (INFO, READ), a sample of pointer words (LOAD), and
 * statistics: after a collection the heap holds exactly the objects the
 * model says are reachable, no more and no fewer.
 *
 *   gmm_fuzz [--seed N] [--ops N]     (or GMM_FUZZ_SEED, GMM_FUZZ_OPS)
 *
 * The seed is printed first ("# gmm_fuzz: seed=... ops=..."); run again
 * with it to reproduce a failure.  --ops is the number of operations of
 * each test; the default keeps the whole run under a minute on the debug
 * kernel under QEMU TCG.
 *
 * Needs gmm.ko loaded; skips when /dev/gmm is missing.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "kselftest_harness.h"
#include "gmm_util.h"
#include "fuzz/fuzz.h"

#define DEFAULT_OPS	5000

static __u64 fuzz_seed;
static unsigned long fuzz_ops = DEFAULT_OPS;

static void report(struct __test_metadata *_metadata, struct fz *z,
		   const char *name, __u64 seed)
{
	ksft_print_msg("%s: seed=%llu ops=%lu invalid=%lu batches=%lu gc=%lu checks=%lu objs=%d\n",
		       name, (unsigned long long)seed, z->n_ops, z->n_invalid, z->n_batches,
		       z->n_gc, z->n_verify, z->nobj);
	if (z->why[0])
		TH_LOG("seed=%llu: %s", (unsigned long long)seed, z->why);
}

FIXTURE(fuzz) {
	int fd;
};

FIXTURE_SETUP(fuzz)
{
	ST_OPEN_OR_SKIP(self->fd);
}

FIXTURE_TEARDOWN(fuzz)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F_TIMEOUT(fuzz, single_ops, 900)
{
	static struct fz z;
	__u64 seed = fuzz_seed;
	int ret;

	ret = setup(&z, self->fd, seed);
	if (!ret)
		ret = fuzz_one(&z, fuzz_ops, false);
	report(_metadata, &z, "single_ops", seed);
	EXPECT_EQ(0, ret);
	teardown(&z);
}

TEST_F_TIMEOUT(fuzz, batches, 900)
{
	static struct fz z;
	__u64 seed = fuzz_seed + 1;
	int ret;

	ret = setup(&z, self->fd, seed);
	if (!ret)
		ret = fuzz_one(&z, fuzz_ops, true);
	report(_metadata, &z, "batches", seed);
	EXPECT_EQ(0, ret);
	teardown(&z);
}

/*
 * Two files fuzzed side by side, and the numbers one holds tried on the
 * other: where the other does not hold that number, -ENOENT.
 */
TEST_F_TIMEOUT(fuzz, two_files, 900)
{
	static struct fz za, zb;
	__u64 seed = fuzz_seed + 2;
	struct fz *z, *other;
	int fd2 = st_open(), ret, i, s;

	ASSERT_LE(0, fd2);
	ret = setup(&za, self->fd, seed);
	if (!ret)
		ret = setup(&zb, fd2, seed ^ 0x5555);
	while (!ret && za.n_ops + zb.n_ops < fuzz_ops) {
		z = chance(&za, 50) ? &za : &zb;
		other = z == &za ? &zb : &za;
		ret = step(z, chance(&za, 30));
		s = pick_slot(other, false);
		if (ret || s < 0 || !chance(&za, 10))
			continue;
		for (i = 0; i < MAXH; i++)
			if (z->hs[i].obj >= 0 && z->hs[i].h == other->hs[s].h)
				break;
		if (i == MAXH &&
		    st_info(z->fd, other->hs[s].h, NULL, NULL) != -ENOENT)
			ret = failf(z, "the other file's handle %u is valid here",
				    other->hs[s].h);
	}
	if (!ret)
		ret = verify(&za);
	if (!ret)
		ret = verify(&zb);
	report(_metadata, &za, "two_files(a)", seed);
	report(_metadata, &zb, "two_files(b)", seed ^ 0x5555);
	EXPECT_EQ(0, ret);
	teardown(&za);
	teardown(&zb);
	close(fd2);
}

/*
 * Garbage for every command: random structs of random sizes, with their
 * pointers aimed at a scratch buffer, nowhere, or the kernel, on a file
 * of their own.  Whatever the kernel makes of them, the errno is one the
 * ABI knows, and a model-checked file next to it is left alone.
 */
TEST_F_TIMEOUT(fuzz, garbage_commands, 900)
{
	static struct fz z;
	struct garbage g;
	struct gmm_params p;
	__u64 seed = fuzz_seed + 3;
	unsigned long i, n = fuzz_ops / 2;
	int ret;

	memset(&g, 0, sizeof(g));
	g.fd = st_open();
	ASSERT_LE(0, g.fd);
	g.scratch = mmap(NULL, SCRATCH, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, g.scratch);
	memset(&p, 0, sizeof(p));
	p.flags = GMM_PARAMS_SET_MEMORY_LIMIT;
	p.memory_limit = GARBAGE_LIMIT;
	ASSERT_EQ(0, st_ioctl(g.fd, GMM_IOC_PARAMS, &p));
	/* The model-checked file: some objects, then garbage next door. */
	ret = setup(&z, self->fd, seed);
	g.z = &z;
	g.unmapped = z.unmapped;
	while (!ret && z.n_ops < 500)
		ret = step(&z, false);
	for (i = 0; !ret && i < n; i++)
		ret = garbage_one(&g);
	if (!ret)
		ret = verify(&z);
	report(_metadata, &z, "garbage_commands", seed);
	ksft_print_msg("garbage: %lu ok, EINVAL %lu, E2BIG %lu, EFAULT %lu, ENOTTY %lu, else %lu\n",
		       g.ok, g.einval, g.e2big, g.efault, g.enotty, g.other);
	EXPECT_EQ(0, ret);
	teardown(&z);
	close(g.fd);
	munmap(g.scratch, SCRATCH);
}

int main(int argc, char **argv)
{
	const char *env;
	int i;

	fuzz_seed = (__u64)time(NULL) ^ ((__u64)getpid() << 20);
	env = getenv("GMM_FUZZ_SEED");
	if (env)
		fuzz_seed = strtoull(env, NULL, 0);
	env = getenv("GMM_FUZZ_OPS");
	if (env)
		fuzz_ops = strtoul(env, NULL, 0);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			fuzz_seed = strtoull(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--ops") && i + 1 < argc) {
			fuzz_ops = strtoul(argv[++i], NULL, 0);
		} else {
			fprintf(stderr, "usage: %s [--seed N] [--ops N]\n",
				argv[0]);
			return 2;
		}
	}
	/* Also here, in case a test never gets to report. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("# gmm_fuzz: seed=%llu ops=%lu (rerun: gmm_fuzz --seed %llu --ops %lu)\n",
	       (unsigned long long)fuzz_seed, fuzz_ops,
	       (unsigned long long)fuzz_seed, fuzz_ops);
	return test_harness_run(argc, argv);
}
