// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_isolation_test.c - one heap per open file: handles, types and
 * statistics of one file mean nothing in another, closing one leaves the
 * other alone, and the last close gives every page back (debugfs
 * total_pages).  Sharing a file shares its heap: dup(), a forked child,
 * threads - which run allocation, stores, loads, releases and collections
 * at the same time and then check what they built.
 *
 * Needs gmm.ko loaded; skips when /dev/gmm is missing.
 */
#include <pthread.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "gmm_util.h"

#define NODE_SIZE	32	/* next, other, value, tag */

static int node_type(int fd, __u32 *id)
{
	static const __u32 offs[] = { 0, 8 };

	return st_type(fd, NODE_SIZE, 0, offs, 2, "node", id);
}

/* A node holding @value at 16 and its complement at 24. */
static int new_node(int fd, __u32 type, __u64 value, __u32 *h)
{
	__u64 v[2] = { value, ~value };
	int ret = st_alloc(fd, type, 1, h);

	return ret ?: st_write(fd, *h, 16, sizeof(v), v);
}

static int node_value(int fd, __u32 h, __u64 *value)
{
	__u64 v[2];
	int ret = st_read(fd, h, 16, sizeof(v), v);

	if (ret)
		return ret;
	if (v[1] != ~v[0])
		return -EBADMSG;
	*value = v[0];
	return 0;
}

FIXTURE(two) {
	int a, b;
	__u32 ta, tb;
};

FIXTURE_SETUP(two)
{
	ST_OPEN_OR_SKIP(self->a);
	self->b = st_open();
	ASSERT_LE(0, self->b);
	ASSERT_EQ(0, node_type(self->a, &self->ta));
	ASSERT_EQ(0, node_type(self->b, &self->tb));
}

FIXTURE_TEARDOWN(two)
{
	if (self->a >= 0)
		close(self->a);
	if (self->b >= 0)
		close(self->b);
}

/*
 * Both files issue the same numbers; each number names the file's own
 * object, proved by its data.
 */
TEST_F(two, same_numbers_name_different_objects)
{
	__u32 ha[20], hb[20];
	__u64 v;
	unsigned int i;

	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, new_node(self->a, self->ta, 0xa000 + i, &ha[i]));
		ASSERT_EQ(0, new_node(self->b, self->tb, 0xb000 + i, &hb[i]));
	}
	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, node_value(self->a, ha[i], &v));
		EXPECT_EQ(0xa000ULL + i, v);
		ASSERT_EQ(0, node_value(self->b, hb[i], &v));
		EXPECT_EQ(0xb000ULL + i, v);
		/* A's number in B: B's own object or nothing. */
		if (!node_value(self->b, ha[i], &v))
			EXPECT_EQ(0xb000ULL, v & 0xf000);
	}
}

TEST_F(two, handle_of_other_file_is_enoent)
{
	__u32 h = 0, hb;
	unsigned int i;

	ASSERT_EQ(0, new_node(self->b, self->tb, 1, &hb));
	/* A issues numbers B never did. */
	for (i = 0; i < 50; i++)
		ASSERT_EQ(0, new_node(self->a, self->ta, i, &h));
	ASSERT_LT(hb, h);
	EXPECT_EQ(-ENOENT, st_info(self->b, h, NULL, NULL));
	EXPECT_EQ(-ENOENT, st_release(self->b, h));
	EXPECT_EQ(-ENOENT, st_store(self->b, hb, 0, h));
	EXPECT_EQ(0, st_info(self->a, h, NULL, NULL));
}

TEST_F(two, types_are_per_file)
{
	__u32 extra, h, size, type;

	/* A has a second type; B does not. */
	ASSERT_EQ(0, st_type(self->a, 4096, 0, NULL, 0, "page", &extra));
	EXPECT_EQ(-EINVAL, st_alloc(self->b, extra, 1, &h));
	/* B's type with the same number, if any, has B's shape. */
	ASSERT_EQ(0, st_type(self->b, 24, 0, NULL, 0, "small", &type));
	if (type == extra) {
		ASSERT_EQ(0, st_alloc(self->b, type, 1, &h));
		ASSERT_EQ(0, st_info(self->b, h, &size, NULL));
		EXPECT_EQ(24U, size);
	}
}

TEST_F(two, stats_are_per_file)
{
	struct gmm_stats sa, sb;
	__u32 h;
	unsigned int i;

	for (i = 0; i < 100; i++)
		ASSERT_EQ(0, st_alloc_bytes(self->a, 512, &h));
	ASSERT_EQ(0, st_gc(self->a, NULL));
	ASSERT_EQ(0, st_stats(self->a, &sa));
	ASSERT_EQ(0, st_stats(self->b, &sb));
	EXPECT_EQ(100ULL, sa.mallocs);
	EXPECT_EQ(100ULL, sa.handles);
	EXPECT_EQ(1ULL, sa.num_gc);
	EXPECT_EQ(0ULL, sb.mallocs);
	EXPECT_EQ(0ULL, sb.handles);
	EXPECT_EQ(0ULL, sb.num_gc);
	EXPECT_EQ(0ULL, sb.heap_alloc);
}

TEST_F(two, params_are_per_file)
{
	struct gmm_params p;

	ASSERT_EQ(0, st_set_gc_percent(self->a, 33));
	ASSERT_EQ(0, st_params_get(self->b, &p));
	EXPECT_EQ(100, p.gc_percent);
}

/* Build a list of @n nodes valued base.. from its head; keep the head. */
static int build_list(int fd, __u32 type, unsigned int n, __u64 base,
		      __u32 *head)
{
	__u32 prev = 0, h;
	unsigned int i;
	int ret;

	for (i = n; i-- > 0;) {
		ret = new_node(fd, type, base + i, &h);
		if (!ret && prev)
			ret = st_store(fd, h, 0, prev);
		if (!ret && prev)
			ret = st_release(fd, prev);
		if (ret)
			return ret;
		prev = h;
	}
	*head = prev;
	return 0;
}

static int walk_list(int fd, __u32 head, unsigned int n, __u64 base)
{
	__u32 h, next;
	__u64 v;
	unsigned int i;
	int ret = st_dup(fd, head, &h);

	for (i = 0; !ret && i < n; i++) {
		if (!h)
			return -EPIPE;
		ret = node_value(fd, h, &v);
		if (!ret && v != base + i)
			ret = -EBADMSG;
		if (!ret)
			ret = st_load(fd, h, 0, &next);
		if (!ret)
			ret = st_release(fd, h);
		h = next;
	}
	return ret ?: (h ? -EOVERFLOW : 0);
}

TEST_F(two, closing_one_leaves_the_other)
{
	struct gmm_stats before, after;
	__u32 la, lb;

	ASSERT_EQ(0, build_list(self->a, self->ta, 200, 0, &la));
	ASSERT_EQ(0, build_list(self->b, self->tb, 200, 1000, &lb));
	ASSERT_EQ(0, st_stats(self->b, &before));
	ASSERT_EQ(0, close(self->a));
	self->a = -1;
	ASSERT_EQ(0, st_gc(self->b, NULL));
	ASSERT_EQ(0, st_gc(self->b, NULL));
	EXPECT_EQ(0, walk_list(self->b, lb, 200, 1000));
	ASSERT_EQ(0, st_stats(self->b, &after));
	EXPECT_EQ(before.handles, after.handles);
	EXPECT_EQ(before.heap_objects, after.heap_objects);
	/* And B's handle numbers still work after A's are gone. */
	EXPECT_EQ(0, st_info(self->b, lb, NULL, NULL));
}

/* A dup()ed descriptor is the same file: the same heap. */
TEST_F(two, dup_fd_shares_heap)
{
	int d = dup(self->a);
	__u32 h;
	__u64 v;

	ASSERT_LE(0, d);
	ASSERT_EQ(0, new_node(self->a, self->ta, 77, &h));
	ASSERT_EQ(0, node_value(d, h, &v));
	EXPECT_EQ(77ULL, v);
	ASSERT_EQ(0, close(self->a));
	self->a = d;	/* the heap lives on through d */
	ASSERT_EQ(0, st_gc(d, NULL));
	ASSERT_EQ(0, node_value(d, h, &v));
	EXPECT_EQ(77ULL, v);
}

/* A forked child shares the parent's heap through the inherited file. */
TEST_F(two, fork_child_shares_heap)
{
	__u32 h, hc = 0;
	int pfd[2], status;
	pid_t pid;
	__u64 v;

	ASSERT_EQ(0, new_node(self->a, self->ta, 1234, &h));
	ASSERT_EQ(0, pipe(pfd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		__u32 c = 0;
		int rc = 0;

		close(pfd[0]);
		/* The parent's handle works here ... */
		if (node_value(self->a, h, &v) || v != 1234)
			rc = 1;
		/* ... and what the child makes is the parent's too. */
		if (!rc && (new_node(self->a, self->ta, 5678, &c) ||
			    st_store(self->a, h, 8, c)))
			rc = 2;
		if (write(pfd[1], &c, sizeof(c)) != sizeof(c))
			rc = 3;
		_exit(rc);
	}
	close(pfd[1]);
	ASSERT_EQ((ssize_t)sizeof(hc), read(pfd[0], &hc, sizeof(hc)));
	close(pfd[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_NE(0U, hc);
	ASSERT_EQ(0, st_gc(self->a, NULL));
	ASSERT_EQ(0, node_value(self->a, hc, &v));
	EXPECT_EQ(5678ULL, v);
	ASSERT_EQ(0, st_release(self->a, hc));
	ASSERT_EQ(0, st_gc(self->a, NULL));
	ASSERT_EQ(0, st_load(self->a, h, 8, &hc));
	ASSERT_EQ(0, node_value(self->a, hc, &v));
	EXPECT_EQ(5678ULL, v);
}

/* The tests that open their own files: the device must be there. */
FIXTURE(dev) {
	int unused;
};

FIXTURE_SETUP(dev)
{
	if (access(ST_DEV, F_OK))
		SKIP(_exit(255), ST_DEV " missing: load gmm.ko first");
}

FIXTURE_TEARDOWN(dev)
{
}

/* Memory comes back: debugfs total_pages before open and after close. */
TEST_F_TIMEOUT(dev, close_returns_every_page, 120)
{
	unsigned long long pages0, heaps0, pages1, heaps1, pages2, heaps2;
	__u32 t, h, head;
	unsigned int i;
	int fd;

	if (st_debugfs_info("total_pages", &pages0) ||
	    st_debugfs_info("heaps", &heaps0))
		SKIP(return, "no " ST_DEBUGFS_INFO " (debugfs not mounted?)");
	fd = st_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, node_type(fd, &t));
	ASSERT_EQ(0, build_list(fd, t, 500, 0, &head));
	for (i = 0; i < 200; i++)
		ASSERT_EQ(0, st_alloc_bytes(fd, 100 + 97 * i, &h));
	ASSERT_EQ(0, st_alloc_bytes(fd, 3 << 20, &h));
	ASSERT_EQ(0, st_gc(fd, NULL));
	ASSERT_EQ(0, st_debugfs_info("total_pages", &pages1));
	ASSERT_EQ(0, st_debugfs_info("heaps", &heaps1));
	EXPECT_EQ(heaps0 + 1, heaps1);
	EXPECT_LT(pages0 + (3 << 20) / 4096, pages1);
	/* The heap goes at the last close, before close() returns. */
	ASSERT_EQ(0, close(fd));
	ASSERT_EQ(0, st_debugfs_info("total_pages", &pages2));
	ASSERT_EQ(0, st_debugfs_info("heaps", &heaps2));
	EXPECT_EQ(heaps0, heaps2);
	EXPECT_EQ(pages0, pages2);
}

/* A process that exits without closing gives everything back as well. */
TEST_F_TIMEOUT(dev, exit_returns_every_page, 120)
{
	unsigned long long pages0, heaps0, pages1, heaps1;
	int status;
	pid_t pid;

	if (st_debugfs_info("total_pages", &pages0) ||
	    st_debugfs_info("heaps", &heaps0))
		SKIP(return, "no " ST_DEBUGFS_INFO " (debugfs not mounted?)");
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd = st_open();
		__u32 h;
		unsigned int i;

		if (fd < 0)
			_exit(1);
		for (i = 0; i < 300; i++)
			if (st_alloc_bytes(fd, 64 + 300 * i, &h))
				_exit(2);
		_exit(0);	/* no close, no release */
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(0, st_debugfs_info("total_pages", &pages1));
	ASSERT_EQ(0, st_debugfs_info("heaps", &heaps1));
	EXPECT_EQ(heaps0, heaps1);
	EXPECT_EQ(pages0, pages1);
}

/* Threads on one file */

#define NTHREADS	4
#define LIST_LEN	200
#define CHURN		300

struct worker {
	pthread_t tid;
	int fd;
	__u32 type;
	unsigned int id;
	__u32 head;		/* the thread's list, newest value first */
	int err;		/* first error, negative errno */
	const char *what;	/* ... and where */
};

/* Note the first failure of a worker; true while there is none. */
static bool ok(struct worker *w, int ret, const char *what)
{
	if (ret && !w->err) {
		w->err = ret;
		w->what = what;
	}
	return !w->err;
}

/* One step of a worker: prepend node @i to its list, make garbage. */
static bool worker_step(struct worker *w, unsigned int i, __u32 *head)
{
	__u64 base = (__u64)w->id << 32, v = 0;
	__u32 n, l, g, d;

	/* head = new(i) -> old head */
	if (!ok(w, new_node(w->fd, w->type, base + i, &n), "alloc node"))
		return false;
	if (*head && (!ok(w, st_store(w->fd, n, 0, *head), "store next") ||
		      !ok(w, st_release(w->fd, *head), "release old head")))
		return false;
	*head = n;
	/* Load the old head back: it is the node stored just now. */
	if (i && (!ok(w, st_load(w->fd, n, 0, &l), "load next") ||
		  !ok(w, node_value(w->fd, l, &v), "read loaded") ||
		  !ok(w, v == base + i - 1 ? 0 : -EBADMSG, "loaded another node") ||
		  !ok(w, st_release(w->fd, l), "release loaded")))
		return false;
	/* Garbage that lives for a moment, small and large. */
	if (!ok(w, st_alloc_bytes(w->fd, i % 50 ? 200 : 70000, &g),
		"alloc garbage") ||
	    !ok(w, st_dup(w->fd, g, &d), "dup garbage") ||
	    !ok(w, st_release(w->fd, g), "release garbage") ||
	    !ok(w, st_release(w->fd, d), "release dup"))
		return false;
	/* A collection now and then, from every thread. */
	return i % 64 != (w->id * 16) % 64 ||
	       ok(w, st_gc(w->fd, NULL), "gc");
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	__u32 head = 0, g;
	unsigned int i;

	for (i = 0; i < LIST_LEN; i++)
		if (!worker_step(w, i, &head))
			return NULL;
	for (i = 0; i < CHURN; i++)
		if (!ok(w, st_alloc_bytes(w->fd, 16 + i * 8, &g), "churn") ||
		    !ok(w, st_release(w->fd, g), "churn release"))
			return NULL;
	w->head = head;
	return NULL;
}

/* Walk a worker's list: LIST_LEN values, newest first. */
static int check_worker_list(int fd, struct worker *w)
{
	__u64 base = (__u64)w->id << 32, v;
	__u32 h, next;
	unsigned int i;
	int ret = st_dup(fd, w->head, &h);

	for (i = 0; !ret && i < LIST_LEN; i++) {
		if (!h)
			return -EPIPE;
		ret = node_value(fd, h, &v);
		if (!ret && v != base + LIST_LEN - 1 - i)
			ret = -EBADMSG;
		if (!ret)
			ret = st_load(fd, h, 0, &next);
		if (!ret)
			ret = st_release(fd, h);
		h = next;
	}
	return ret ?: (h ? -EOVERFLOW : 0);
}

TEST_F_TIMEOUT(dev, threads_share_one_heap, 300)
{
	struct worker w[NTHREADS];
	struct gmm_stats st;
	unsigned int i;
	__u32 type;
	int fd, ret;

	fd = st_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, node_type(fd, &type));
	/* A small GOGC: the pacer starts cycles while the threads run. */
	ASSERT_EQ(0, st_set_gc_percent(fd, 20));
	memset(w, 0, sizeof(w));
	for (i = 0; i < NTHREADS; i++) {
		w[i].fd = fd;
		w[i].type = type;
		w[i].id = i + 1;
		ASSERT_EQ(0, pthread_create(&w[i].tid, NULL, worker_main,
					    &w[i]));
	}
	for (i = 0; i < NTHREADS; i++)
		ASSERT_EQ(0, pthread_join(w[i].tid, NULL));
	for (i = 0; i < NTHREADS; i++) {
		ret = w[i].err;
		EXPECT_EQ(0, ret) TH_LOG("thread %u: %s: %s", i,
					 w[i].what ?: "", strerror(-ret));
	}
	ASSERT_EQ(0, st_gc(fd, NULL));
	for (i = 0; i < NTHREADS; i++) {
		ret = check_worker_list(fd, &w[i]);
		EXPECT_EQ(0, ret) TH_LOG("thread %u's list: %s", i,
					 strerror(-ret));
	}
	ASSERT_EQ(0, st_stats(fd, &st));
	/* Only the list heads are held; the lists are all that lives. */
	EXPECT_EQ((__u64)NTHREADS, st.handles);
	ASSERT_EQ(0, st_gc(fd, NULL));
	ASSERT_EQ(0, st_stats(fd, &st));
	EXPECT_EQ((__u64)NTHREADS * LIST_LEN, st.heap_objects);
	EXPECT_LE(2ULL, st.num_gc);
	close(fd);
}

/* Threads releasing the same handles: each one is released exactly once. */

#define RACE_HANDLES	512

struct racer {
	pthread_t tid;
	int fd;
	const __u32 *h;
	unsigned int released, enoent, other;
};

static void *racer_main(void *arg)
{
	struct racer *r = arg;
	unsigned int i;
	int ret;

	for (i = 0; i < RACE_HANDLES; i++) {
		ret = st_release(r->fd, r->h[i]);
		if (!ret)
			r->released++;
		else if (ret == -ENOENT)
			r->enoent++;
		else
			r->other++;
	}
	return NULL;
}

TEST_F_TIMEOUT(dev, threads_release_each_handle_once, 120)
{
	static __u32 h[RACE_HANDLES];
	struct racer r[NTHREADS];
	struct gmm_stats st;
	unsigned int i, released = 0;
	int fd;

	fd = st_open();
	ASSERT_LE(0, fd);
	for (i = 0; i < RACE_HANDLES; i++)
		ASSERT_EQ(0, st_alloc_bytes(fd, 32, &h[i]));
	memset(r, 0, sizeof(r));
	for (i = 0; i < NTHREADS; i++) {
		r[i].fd = fd;
		r[i].h = h;
		ASSERT_EQ(0, pthread_create(&r[i].tid, NULL, racer_main, &r[i]));
	}
	for (i = 0; i < NTHREADS; i++) {
		ASSERT_EQ(0, pthread_join(r[i].tid, NULL));
		EXPECT_EQ(0U, r[i].other);
		EXPECT_EQ((unsigned int)RACE_HANDLES,
			  r[i].released + r[i].enoent);
		released += r[i].released;
	}
	EXPECT_EQ((unsigned int)RACE_HANDLES, released);
	ASSERT_EQ(0, st_stats(fd, &st));
	EXPECT_EQ(0ULL, st.handles);
	close(fd);
}

/* Closing the descriptor while another thread is inside ioctls. */

struct closer {
	int fd;
	__u32 h;
	int stop;		/* read and written with __atomic */
	unsigned int ok, ebadf, other;
};

static void *closer_main(void *arg)
{
	struct closer *c = arg;
	__u64 buf[8];
	int ret;

	while (!__atomic_load_n(&c->stop, __ATOMIC_RELAXED)) {
		ret = st_read(c->fd, c->h, 0, sizeof(buf), buf);
		if (!ret)
			ret = st_gc(c->fd, NULL);
		if (!ret)
			__atomic_add_fetch(&c->ok, 1, __ATOMIC_RELAXED);
		else if (ret == -EBADF)
			__atomic_add_fetch(&c->ebadf, 1, __ATOMIC_RELAXED);
		else
			c->other++;
	}
	return NULL;
}

TEST_F_TIMEOUT(dev, close_while_another_thread_works, 120)
{
	struct closer c;
	unsigned int i;
	pthread_t t;
	int fd;

	fd = st_open();
	ASSERT_LE(0, fd);
	memset(&c, 0, sizeof(c));
	c.fd = fd;
	ASSERT_EQ(0, st_alloc_bytes(fd, 64, &c.h));
	ASSERT_EQ(0, pthread_create(&t, NULL, closer_main, &c));
	while (__atomic_load_n(&c.ok, __ATOMIC_RELAXED) < 3)
		usleep(1000);
	ASSERT_EQ(0, close(fd));
	/* The ioctl in flight finishes; the next one finds no file. */
	for (i = 0; i < 20000 && !__atomic_load_n(&c.ebadf, __ATOMIC_RELAXED);
	     i++)
		usleep(1000);
	__atomic_store_n(&c.stop, 1, __ATOMIC_RELAXED);
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_LE(3U, c.ok);
	EXPECT_LE(1U, c.ebadf);
	EXPECT_EQ(0U, c.other);
}

TEST_HARNESS_MAIN
