/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gmm_util.h - small helpers shared by the /dev/gmm kselftests.
 *
 * Every helper returns 0 or a negative errno (never -1 with errno set), so
 * a test reads EXPECT_EQ(-ENOENT, st_info(fd, h, NULL, NULL)).  Include
 * after kselftest_harness.h.
 *
 * The helpers and macros are named st_* and ST_* so that they cannot be
 * mistaken for libgmm's gmm_* functions (tools/lib/gmm), which take a
 * struct gmm and often other arguments, nor for the ABI's GMM_* names:
 * these work on a file descriptor of /dev/gmm, with the ioctls alone.
 */
#ifndef _GMM_SELFTEST_UTIL_H
#define _GMM_SELFTEST_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/gmm.h>

#define ST_DEV		"/dev/gmm"
#define ST_DEBUGFS_INFO "/sys/kernel/debug/gmm/info"
#define ST_RT_PAGE	8192ULL
#define ST_CLASSES_ROOM 128	/* more than any class table */

/* Open /dev/gmm; the open file owns a fresh heap. */
static inline int st_open(void)
{
	return open(ST_DEV, O_RDWR | O_CLOEXEC);
}

/*
 * Inside a fixture setup: open /dev/gmm into @fd; skip the test (exit
 * code 255 is the harness's skip) when the module is not loaded, fail
 * when the open fails otherwise.
 */
#define ST_OPEN_OR_SKIP(fd) do {					\
	int __fd = st_open();						\
									\
	if (__fd < 0 && errno == ENOENT)				\
		SKIP(_exit(255), ST_DEV " missing: load gmm.ko first"); \
	ASSERT_LE(0, __fd) TH_LOG("open " ST_DEV ": %s",		\
				  strerror(errno));			\
	(fd) = __fd;							\
} while (0)

static inline int st_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

static inline __u64 st_ptr(const void *p)
{
	return (__u64)(uintptr_t)p;
}

static inline int st_op_run(int fd, struct gmm_op *op)
{
	return st_ioctl(fd, GMM_IOC_OP, op);
}

/* One operation; *result (if not NULL) gets op.result on success. */
static inline int st_do(int fd, __u32 code, __u32 handle, __u32 arg,
			__u64 offset, __u64 len, const void *buf,
			__u64 *result)
{
	struct gmm_op op;
	int ret;

	memset(&op, 0, sizeof(op));
	op.op = code;
	op.handle = handle;
	op.arg = arg;
	op.offset = offset;
	op.len = len;
	op.buf = st_ptr(buf);
	ret = st_op_run(fd, &op);
	if (!ret && result)
		*result = op.result;
	return ret;
}

/* @n elements of type @type (1 = one object); type 0: @n noscan bytes. */
static inline int st_alloc(int fd, __u32 type, __u64 n, __u32 *handle)
{
	__u64 r = 0;
	int ret = st_do(fd, GMM_OP_ALLOC, 0, type, 0, n, NULL, &r);

	if (!ret) {
		if (!r || r > 0xffffffffULL)
			return -ERANGE;	/* not a handle: caught by callers */
		*handle = (__u32)r;
	}
	return ret;
}

static inline int st_alloc_bytes(int fd, __u64 bytes, __u32 *handle)
{
	return st_alloc(fd, 0, bytes, handle);
}

static inline int st_release(int fd, __u32 handle)
{
	return st_do(fd, GMM_OP_RELEASE, handle, 0, 0, 0, NULL, NULL);
}

static inline int st_dup(int fd, __u32 handle, __u32 *out)
{
	__u64 r = 0;
	int ret = st_do(fd, GMM_OP_DUP, handle, 0, 0, 0, NULL, &r);

	if (!ret)
		*out = (__u32)r;
	return ret;
}

static inline int st_store(int fd, __u32 handle, __u64 offset, __u32 target)
{
	return st_do(fd, GMM_OP_STORE, handle, target, offset, 0, NULL, NULL);
}

/* *out gets a new handle for the object pointed to, or 0 for NULL. */
static inline int st_load(int fd, __u32 handle, __u64 offset, __u32 *out)
{
	__u64 r = ~0ULL;
	int ret = st_do(fd, GMM_OP_LOAD, handle, 0, offset, 0, NULL, &r);

	if (!ret)
		*out = (__u32)r;
	return ret;
}

static inline int st_read(int fd, __u32 handle, __u64 offset, __u64 len,
			  void *buf)
{
	return st_do(fd, GMM_OP_READ, handle, 0, offset, len, buf, NULL);
}

static inline int st_write(int fd, __u32 handle, __u64 offset, __u64 len,
			   const void *buf)
{
	return st_do(fd, GMM_OP_WRITE, handle, 0, offset, len, buf, NULL);
}

/* Size (slot bytes) and type id of the object @handle names. */
static inline int st_info(int fd, __u32 handle, __u32 *size, __u32 *type)
{
	__u64 r = 0;
	int ret = st_do(fd, GMM_OP_INFO, handle, 0, 0, 0, NULL, &r);

	if (!ret) {
		if (size)
			*size = (__u32)r;
		if (type)
			*type = (__u32)(r >> 32);
	}
	return ret;
}

/* A blocking full cycle; *cycles (if not NULL) gets completed cycles. */
static inline int st_gc(int fd, __u64 *cycles)
{
	return st_do(fd, GMM_OP_GC, 0, 0, 0, 0, NULL, cycles);
}

/* Register a type; @offs has @nr pointer offsets (may be NULL if 0). */
static inline int st_type(int fd, __u32 size, __u32 align,
			  const __u32 *offs, __u32 nr, const char *name,
			  __u32 *id)
{
	struct gmm_type_create t;
	int ret;

	memset(&t, 0, sizeof(t));
	t.size = size;
	t.align = align;
	t.ptr_offsets = st_ptr(offs);
	t.nr_ptrs = nr;
	if (name)
		snprintf(t.name, sizeof(t.name), "%s", name);
	ret = st_ioctl(fd, GMM_IOC_TYPE_CREATE, &t);
	if (!ret && id)
		*id = t.id;
	return ret;
}

/* Statistics without the class table. */
static inline int st_stats(int fd, struct gmm_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->class_size = sizeof(struct gmm_class_info);
	return st_ioctl(fd, GMM_IOC_STATS, st);
}

/* The heap's size-class table (object sizes; 0 for class 0). */
static inline int st_class_sizes(int fd, __u32 sizes[], unsigned int n)
{
	struct gmm_class_info ci[ST_CLASSES_ROOM];
	struct gmm_stats st;
	unsigned int i;
	int ret;

	memset(&st, 0, sizeof(st));
	memset(ci, 0, sizeof(ci));
	st.nr_classes = n < ST_CLASSES_ROOM ? n : ST_CLASSES_ROOM;
	st.classes = st_ptr(ci);
	st.class_size = sizeof(ci[0]);
	ret = st_ioctl(fd, GMM_IOC_STATS, &st);
	if (ret)
		return ret;
	for (i = 0; i < st.nr_classes; i++)
		sizes[i] = ci[i].size;
	return (int)st.nr_classes;
}

/*
 * The slot an object of @bytes gets: the smallest size class that holds
 * it, or whole runtime pages over 32 KiB.
 */
static inline __u64 st_slot_size(const __u32 sizes[], int nclasses,
				 __u64 bytes)
{
	int i;

	for (i = 1; i < nclasses; i++)
		if (sizes[i] >= bytes)
			return sizes[i];
	return (bytes + ST_RT_PAGE - 1) / ST_RT_PAGE * ST_RT_PAGE;
}

/* Read the parameters in force (no change). */
static inline int st_params_get(int fd, struct gmm_params *p)
{
	memset(p, 0, sizeof(*p));
	return st_ioctl(fd, GMM_IOC_PARAMS, p);
}

static inline int st_set_gc_percent(int fd, int pct)
{
	struct gmm_params p;

	memset(&p, 0, sizeof(p));
	p.flags = GMM_PARAMS_SET_GC_PERCENT;
	p.gc_percent = pct;
	return st_ioctl(fd, GMM_IOC_PARAMS, &p);
}

/*
 * Addresses that fault: an address that was mapped and is not any more,
 * and a PROT_NONE page.  Both stay reserved for the process's lifetime
 * (the unmapped one is the hole in the middle of a 3-page mapping, so no
 * later mmap lands there by chance).
 */
static inline void *st_unmapped_addr(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	munmap(p + pg, pg);
	return p + pg;
}

static inline void *st_prot_none_addr(void)
{
	void *p = mmap(NULL, sysconf(_SC_PAGESIZE), PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/*
 * @len bytes of which the last @tail lie in an unmapped page: a buffer
 * that is valid at its start and faults in its end.
 */
static inline void *st_straddle_addr(size_t len, size_t tail)
{
	long pg = sysconf(_SC_PAGESIZE);
	size_t n = (len + pg - 1) / pg + 1;
	char *p = mmap(NULL, (n + 2) * pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	munmap(p + n * pg, pg);	/* the page after it stays mapped */
	return p + n * pg - (len - tail);
}

/*
 * A read-only copy of @len bytes of @src (at most a page), for an ioctl
 * argument the kernel can read but not write back; NULL on failure.
 * Free with st_ro_free().
 */
static inline void *st_ro_copy(const void *src, size_t len)
{
	long pg = sysconf(_SC_PAGESIZE);
	void *p;

	if (len > (size_t)pg)
		return NULL;
	p = mmap(NULL, pg, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	memcpy(p, src, len);
	if (mprotect(p, pg, PROT_READ)) {
		munmap(p, pg);
		return NULL;
	}
	return p;
}

static inline void st_ro_free(void *p)
{
	munmap(p, sysconf(_SC_PAGESIZE));
}

/* Live handles of the file (GMM_IOC_STATS), or ~0 on error. */
static inline __u64 st_handles_of(int fd)
{
	struct gmm_stats st;

	memset(&st, 0, sizeof(st));
	return st_ioctl(fd, GMM_IOC_STATS, &st) ? ~0ULL : st.handles;
}

/*
 * A field of /sys/kernel/debug/gmm/info ("name: value").  Returns 0, or
 * -ENOENT when debugfs or the field is not there.
 */
static inline int st_debugfs_info(const char *name, unsigned long long *val)
{
	char line[128];
	size_t n = strlen(name);
	int ret = -ENOENT;
	FILE *f = fopen(ST_DEBUGFS_INFO, "r");

	if (!f)
		return -ENOENT;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, name, n) && line[n] == ':') {
			*val = strtoull(line + n + 1, NULL, 10);
			ret = 0;
			break;
		}
	}
	fclose(f);
	return ret;
}

/* Deterministic byte patterns: byte i of pattern @seed. */
static inline unsigned char st_pat(unsigned int seed, size_t i)
{
	return (unsigned char)((seed * 131u) ^ (i * 7u) ^ (i >> 8) ^ 0x5a);
}

static inline void st_fill(void *buf, size_t len, unsigned int seed)
{
	unsigned char *b = buf;
	size_t i;

	for (i = 0; i < len; i++)
		b[i] = st_pat(seed, i);
}

/* Index of the first byte that differs from pattern @seed, or -1. */
static inline long st_check(const void *buf, size_t len, unsigned int seed)
{
	const unsigned char *b = buf;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i] != st_pat(seed, i))
			return (long)i;
	return -1;
}

#endif /* _GMM_SELFTEST_UTIL_H */
