/* SPDX-License-Identifier: GPL-2.0 */
/*
 * st_cgroup.h - small file and memory-cgroup helpers the selftests that
 * need root share (gmm_limits_test, gmm_scavenge_test).
 */
#ifndef _ST_CGROUP_H
#define _ST_CGROUP_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define ST_CG_ROOT	"/sys/fs/cgroup"

/* The first @size - 1 bytes of a file, NUL-terminated; 0 or -errno. */
static inline int st_read_text(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -EIO;
	buf[n] = 0;
	return 0;
}

/* Write @text to a file in one write(); 0 or -errno. */
static inline int st_write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -EIO;
}

/* A number read from a file (memory.current and the like); -1 on error. */
static inline long long st_read_number(const char *path)
{
	char buf[64];

	if (st_read_text(path, buf, sizeof(buf)))
		return -1;
	return strtoll(buf, NULL, 10);
}

/*
 * Mount cgroup2 if needed (*@mounted says so), enable the memory
 * controller and make the child group @path.  0 or -errno.
 */
static inline int st_make_cgroup(const char *path, bool *mounted)
{
	if (access(ST_CG_ROOT "/cgroup.controllers", F_OK)) {
		mkdir(ST_CG_ROOT, 0755);
		if (mount("none", ST_CG_ROOT, "cgroup2", 0, NULL))
			return -errno;
		*mounted = true;
	}
	st_write_text(ST_CG_ROOT "/cgroup.subtree_control", "+memory");
	return mkdir(path, 0755) ? -errno : 0;
}

/* Move the calling process into the group at @path (ST_CG_ROOT: back). */
static inline int st_join_cgroup(const char *path)
{
	char file[160], pid[16];

	snprintf(file, sizeof(file), "%s/cgroup.procs", path);
	snprintf(pid, sizeof(pid), "%d", getpid());
	return st_write_text(file, pid);
}

#endif /* _ST_CGROUP_H */
