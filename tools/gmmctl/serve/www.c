// SPDX-License-Identifier: GPL-2.0
/*
 * www.c - the page's files: where they are, and which there are.
 *
 * Only the files of the table below are served, read from one directory:
 * no path from a request ever reaches the file system.  The directory is
 * --www DIR, else $GMMCTL_WWW, else share/gmmctl/www next to the
 * installed binary (PREFIX/sbin/../share/gmmctl/www, where make install
 * puts it), else the directory it was built for (GMMCTL_WWW_DIR), else
 * serve/www next to a gmmctl run from the source tree.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "serve.h"

static const struct {
	const char *name;
	const char *mime;
} www_files[] = {
	{ "index.html", "text/html; charset=utf-8" },
	{ "gmm.css", "text/css; charset=utf-8" },
	{ "data.js", "text/javascript; charset=utf-8" },
	{ "svg.js", "text/javascript; charset=utf-8" },
	{ "heapmap.js", "text/javascript; charset=utf-8" },
	{ "timeline.js", "text/javascript; charset=utf-8" },
	{ "tables.js", "text/javascript; charset=utf-8" },
	{ "objects.js", "text/javascript; charset=utf-8" },
	{ "app.js", "text/javascript; charset=utf-8" },
};

#define NR_WWW	(sizeof(www_files) / sizeof(www_files[0]))

static bool www_complete(const char *dir)
{
	char path[PATH_MAX + 64];
	size_t i;

	for (i = 0; i < NR_WWW; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, www_files[i].name);
		if (access(path, R_OK))
			return false;
	}
	return true;
}

int www_find(const char *given, char *dir, size_t len)
{
	char exe[PATH_MAX], cand[PATH_MAX + 32];
	const char *env = getenv("GMMCTL_WWW");
	ssize_t n;

	if (given || (env && *env)) {
		snprintf(dir, len, "%s", given ? given : env);
		return www_complete(dir) ? 0 : -ENOENT;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return -ENOENT;
	exe[n] = 0;
	dirname(exe);
	snprintf(cand, sizeof(cand), "%s/../share/gmmctl/www", exe);
#ifdef GMMCTL_WWW_DIR
	if (!www_complete(cand))
		snprintf(cand, sizeof(cand), "%s", GMMCTL_WWW_DIR);
#endif
	if (!www_complete(cand))
		snprintf(cand, sizeof(cand), "%s/serve/www", exe);
	if (!www_complete(cand))
		return -ENOENT;
	if (!realpath(cand, exe))
		return -errno;
	snprintf(dir, len, "%s", exe);
	return 0;
}

static int slurp(const char *path, char **data, size_t *len)
{
	struct stat sb;
	ssize_t r;
	size_t got = 0;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &sb) || sb.st_size > (16 << 20)) {
		close(fd);
		return -EFBIG;
	}
	*data = malloc((size_t)sb.st_size + 1);
	if (!*data) {
		close(fd);
		return -ENOMEM;
	}
	while (got < (size_t)sb.st_size) {
		r = read(fd, *data + got, (size_t)sb.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			err = r < 0 ? -errno : -EIO;
			break;
		}
		got += (size_t)r;
	}
	close(fd);
	if (err) {
		free(*data);
		*data = NULL;
		return err;
	}
	*len = got;
	return 0;
}

int www_load(const char *dir, const char *name, char **data, size_t *len,
	     const char **mime)
{
	char path[PATH_MAX + 64];
	size_t i;

	for (i = 0; i < NR_WWW; i++) {
		if (strcmp(name, www_files[i].name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, www_files[i].name);
		*mime = www_files[i].mime;
		return slurp(path, data, len);
	}
	return -ENOENT;
}
