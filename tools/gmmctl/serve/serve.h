/* SPDX-License-Identifier: GPL-2.0 */
/*
 * serve.h - `gmmctl serve`: a small read-only web server (libmicrohttpd)
 * that shows a heap in a browser.
 *
 * Every source becomes a recording (the JSON Lines of record.h): a file
 * given with --input, or one gmmctl writes while it runs a workload or a
 * script on its own heap, or records a debugfs heap.  The page reads the
 * recording's lines as they are written (feed.c), so a live heap and a
 * finished recording are the same to it.  The page's own files come from
 * the www directory installed with gmmctl (www.c).
 *
 *   cmd_serve.c   the command: options, the source, the run, signals
 *   listen.c      which address to listen on; loopback unless told
 *   http.c        the daemon, the routes, errors, the static files
 *   feed.c        whole lines of the recording from an offset
 *   www.c         where the page's files are
 *   www/          the page: index.html, *.js, gmm.css (no CDN, no library)
 */
#ifndef GMMCTL_SERVE_H
#define GMMCTL_SERVE_H

#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* One read of the recording returns at most this much (whole lines)... */
#define FEED_CHUNK		(1U << 20)
/* ...unless its first line is longer: up to this. */
#define FEED_LINE_MAX		(64U << 20)

/* Whole lines of a recording file that may still be growing (feed.c). */
struct feed {
	char path[4096];
	int fd;
};
int feed_open(struct feed *f, const char *path);
void feed_close(struct feed *f);
/*
 * The whole lines from byte @from (0 or just after a newline) on, at most
 * @max bytes unless the first line is longer: malloc()ed into *@buf, *@len
 * bytes (0 when no whole line is there yet); *@size is the file's size.
 * 0, -ERANGE (@from past the end), -EINVAL (@from inside a line), -EFBIG
 * (a line over FEED_LINE_MAX), -ENOMEM or -errno of the read.
 */
int feed_read(struct feed *f, uint64_t from, size_t max, char **buf,
	      size_t *len, uint64_t *size);

/* Where to listen (listen.c). */
struct listen_addr {
	struct sockaddr_storage sa;
	socklen_t len;
	char text[80];		/* "127.0.0.1" or "[::1]" */
};
/*
 * @addr (NULL: 127.0.0.1) and @port into @la.  0, -EINVAL (not an
 * address), -EPERM (not a loopback address and not @allow_remote).
 */
int listen_parse(struct listen_addr *la, const char *addr, uint16_t port,
		 bool allow_remote);
bool listen_is_loopback(const struct sockaddr *sa);

/* The page's files (www.c). */
int www_find(const char *given, char *dir, size_t len);
/* Content of www file @name (a name of the table only); -ENOENT. */
int www_load(const char *dir, const char *name, char **data, size_t *len,
	     const char **mime);

/*
 * What the server shows and the state the pages may ask about: written by
 * the command's thread under @lock, read by the daemon's.
 */
struct serve_state {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct feed feed;
	char www[4096];
	const char *source;	/* "recording", "dev" or "debugfs" */
	char what[320];
	bool live;		/* a producer is writing the recording */
	bool step;		/* --step: the page may ask for steps */
	uint64_t steps_asked;	/* /api/step calls taken */
	uint64_t steps_done;	/* steps the runner made */
	uint32_t step_objects;	/* grey objects per step */
	bool stepping;		/* a stepped cycle waits for the page */
	uint64_t last_request_ns; /* when a request last came (now_ns()) */
};

/* The daemon (http.c). */
struct http_server;
int http_start(struct http_server **hp, struct serve_state *st,
	       const struct listen_addr *la, uint16_t *port);
void http_stop(struct http_server *h);

int cmd_serve(int argc, char **argv);

#endif /* GMMCTL_SERVE_H */
