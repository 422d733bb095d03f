// SPDX-License-Identifier: GPL-2.0
/*
 * feed.c - whole lines of a recording from a byte offset on.
 *
 * The file may be growing while it is read (a recorder writing it): only
 * lines that end in a newline are handed out, so a page never sees half a
 * line, and it asks again from where the last answer ended.  Reads use
 * pread() on one descriptor, so the daemon's threads share it safely.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "serve.h"

int feed_open(struct feed *f, const char *path)
{
	snprintf(f->path, sizeof(f->path), "%s", path);
	f->fd = open(path, O_RDONLY | O_CLOEXEC);
	return f->fd < 0 ? -errno : 0;
}

void feed_close(struct feed *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
}

/* Read @n bytes at @off into @p (short only at the end of the file). */
static ssize_t read_at(int fd, char *p, size_t n, uint64_t off)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = pread(fd, p + got, n - got, (off_t)(off + got));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (!r)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/* Whether @from is 0 or the byte before it is a newline. */
static int at_line_start(int fd, uint64_t from)
{
	char c;
	ssize_t r;

	if (!from)
		return 0;
	r = read_at(fd, &c, 1, from - 1);
	if (r < 0)
		return (int)r;
	return r == 1 && c == '\n' ? 0 : -EINVAL;
}

/* The last newline in @p[0..n), or -1. */
static ssize_t last_newline(const char *p, size_t n)
{
	const char *nl = memrchr(p, '\n', n);

	return nl ? nl - p : -1;
}

int feed_read(struct feed *f, uint64_t from, size_t max, char **buf,
	      size_t *len, uint64_t *size)
{
	struct stat sb;
	size_t want, cap;
	ssize_t got, nl;
	char *p;
	int err;

	*buf = NULL;
	*len = 0;
	if (fstat(f->fd, &sb))
		return -errno;
	*size = (uint64_t)sb.st_size;
	if (from > *size)
		return -ERANGE;
	err = at_line_start(f->fd, from);
	if (err)
		return err;
	want = (size_t)(*size - from < max ? *size - from : max);
	if (!want)
		return 0;
	for (;;) {
		cap = want;
		p = malloc(cap + 1);
		if (!p)
			return -ENOMEM;
		got = read_at(f->fd, p, cap, from);
		if (got < 0) {
			free(p);
			return (int)got;
		}
		nl = last_newline(p, (size_t)got);
		if (nl >= 0 || (size_t)got < cap || cap >= FEED_LINE_MAX)
			break;
		/* The first line is longer than @max: read more of it. */
		free(p);
		want = cap * 2 > FEED_LINE_MAX ? FEED_LINE_MAX : cap * 2;
	}
	if (nl < 0) {
		free(p);
		/* Nothing whole yet, or a line beyond any reason. */
		return cap >= FEED_LINE_MAX && (size_t)got == cap ? -EFBIG : 0;
	}
	p[nl + 1] = 0;
	*buf = p;
	*len = (size_t)nl + 1;
	return 0;
}
