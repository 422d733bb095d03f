// SPDX-License-Identifier: GPL-2.0
/*
 * http.c - the daemon of `gmmctl serve` (libmicrohttpd), its routes and
 * its errors.
 *
 *   GET /                  the page (index.html)
 *   GET /NAME              one of the page's files (www.c's table)
 *   GET /api/info          what is shown: source, what ran, live or not,
 *                          whether the page may step, the recording's size
 *   GET /api/lines?from=N[&max=M]
 *                          whole lines of the recording from byte N on
 *                          (N is 0 or the X-Gmm-Next of the last answer);
 *                          headers X-Gmm-Next and X-Gmm-Size
 *   POST /api/step         only with --step: let the stepped cycle of
 *                          gmmctl's own heap scan its next grey objects
 *
 * Nothing here writes to a heap: the routes read the recording, and a step
 * only lets the collector of gmmctl's own heap go on (serve --step).
 * Anything else gets a clear error and the daemon goes on: 404 for other
 * paths, 405 for other methods, 400 for a query that is not exactly the
 * route's parameters as decimal numbers, 414 for a request line over the
 * connection's memory, 413 for a body; a client that does not read its
 * answer only keeps its own connection (the daemon polls non-blocking
 * sockets) until the timeout ends it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <microhttpd.h>

#include "gmmctl.h"
#include "serve.h"

#define HTTP_CONN_LIMIT		64	/* connections at once */
#define HTTP_PER_IP_LIMIT	32
#define HTTP_TIMEOUT_S		30	/* idle connections end */
#define HTTP_CONN_MEMORY	(32U << 10)	/* request line + headers */
#define HTTP_ARG_MAX		20	/* longest parameter value */
#define HTTP_MAX_ARGS		4

struct http_server {
	struct MHD_Daemon *d;
	struct serve_state *st;
};

/* A request's parameters, checked against the route's names. */
struct http_args {
	const char *const *names;
	uint64_t val[HTTP_MAX_ARGS];
	bool seen[HTTP_MAX_ARGS];
	char err[160];
};

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status,
			     const char *mime, void *body, size_t len,
			     bool owned)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, body, owned ?
					    MHD_RESPMEM_MUST_FREE :
					    MHD_RESPMEM_MUST_COPY);
	if (!r) {
		if (owned)
			free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", mime);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Content-Security-Policy",
				"default-src 'self'; style-src 'self' 'unsafe-inline'; "
				"img-src 'self' data:; connect-src 'self'");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, "Allow", "GET, HEAD, POST");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result reply_error(struct MHD_Connection *c,
				   unsigned int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "400 Bad Request: why" as text, one line. */
static enum MHD_Result reply_error(struct MHD_Connection *c,
				   unsigned int status, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int n;

	n = snprintf(msg, sizeof(msg), "%u %s: ", status,
		     MHD_get_reason_phrase_for(status));
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	strcat(msg, "\n");
	return reply(c, status, "text/plain; charset=utf-8", msg, strlen(msg),
		     false);
}

static enum MHD_Result take_arg(void *cls, enum MHD_ValueKind kind,
				const char *key, const char *value)
{
	struct http_args *a = cls;
	uint64_t v;
	int i;

	(void)kind;
	for (i = 0; a->names[i]; i++)
		if (!strcmp(key, a->names[i]))
			break;
	if (!a->names[i]) {
		snprintf(a->err, sizeof(a->err), "unknown parameter '%.40s'", key);
		return MHD_NO;
	}
	if (a->seen[i]) {
		snprintf(a->err, sizeof(a->err), "'%s' given twice", key);
		return MHD_NO;
	}
	if (!value || strlen(value) > HTTP_ARG_MAX || parse_u64(value, &v) ||
	    value[0] < '0' || value[0] > '9' || (value[0] == '0' && value[1])) {
		snprintf(a->err, sizeof(a->err), "'%s' must be a decimal number",
			 key);
		return MHD_NO;
	}
	a->seen[i] = true;
	a->val[i] = v;
	return MHD_YES;
}

/* The query against @names; false with a->err set when it does not fit. */
static bool get_args(struct MHD_Connection *c, struct http_args *a,
		     const char *const *names)
{
	memset(a, 0, sizeof(*a));
	a->names = names;
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, take_arg, a);
	return !a->err[0];
}

static enum MHD_Result route_info(struct http_server *hs,
				  struct MHD_Connection *c)
{
	struct serve_state *st = hs->st;
	uint64_t size = 0;
	struct json j;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	struct stat sb;

	f = open_memstream(&buf, &len);
	if (!f)
		return reply_error(c, 500, "out of memory");
	if (!fstat(st->feed.fd, &sb))
		size = (uint64_t)sb.st_size;
	json_init(&j, f);
	pthread_mutex_lock(&st->lock);
	json_obj_begin(&j, NULL);
	json_str(&j, "source", st->source);
	json_str(&j, "what", st->what);
	json_bool(&j, "live", st->live);
	json_bool(&j, "step", st->step);
	json_bool(&j, "stepping", st->stepping);
	json_u64(&j, "steps_asked", st->steps_asked);
	json_u64(&j, "steps_done", st->steps_done);
	json_u64(&j, "step_objects", st->step_objects);
	json_u64(&j, "size", size);
	json_obj_end(&j);
	pthread_mutex_unlock(&st->lock);
	if (fclose(f) || !buf)
		return reply_error(c, 500, "out of memory");
	return reply(c, MHD_HTTP_OK, "application/json", buf, len, true);
}

static enum MHD_Result route_lines(struct http_server *hs,
				   struct MHD_Connection *c)
{
	static const char *const names[] = { "from", "max", NULL };
	struct MHD_Response *r;
	struct http_args a;
	uint64_t size, next;
	char num[32], *buf;
	size_t len, max;
	enum MHD_Result ret;
	int err;

	if (!get_args(c, &a, names))
		return reply_error(c, MHD_HTTP_BAD_REQUEST, "%s", a.err);
	max = a.seen[1] ? (size_t)a.val[1] : FEED_CHUNK;
	if (a.seen[1] && (a.val[1] < 1 || a.val[1] > 16 * FEED_CHUNK))
		return reply_error(c, MHD_HTTP_BAD_REQUEST,
				   "'max' must be 1..%u bytes", 16 * FEED_CHUNK);
	err = feed_read(&hs->st->feed, a.val[0], max, &buf, &len, &size);
	if (err == -ERANGE)
		return reply_error(c, MHD_HTTP_BAD_REQUEST,
				   "'from' is past the end of the recording "
				   "(%" PRIu64 " bytes)", size);
	if (err == -EINVAL)
		return reply_error(c, MHD_HTTP_BAD_REQUEST,
				   "'from' is not at the start of a line");
	if (err == -EFBIG)
		return reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
				   "a line of the recording is over %u bytes",
				   FEED_LINE_MAX);
	if (err)
		return reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
				   "reading the recording: %s", strerror(-err));
	r = MHD_create_response_from_buffer(len, len ? buf : (void *)"",
					    len ? MHD_RESPMEM_MUST_FREE :
					    MHD_RESPMEM_PERSISTENT);
	if (!r) {
		free(buf);
		return MHD_NO;
	}
	next = a.val[0] + len;
	MHD_add_response_header(r, "Content-Type", "application/x-ndjson");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	snprintf(num, sizeof(num), "%" PRIu64, next);
	MHD_add_response_header(r, "X-Gmm-Next", num);
	snprintf(num, sizeof(num), "%" PRIu64, size);
	MHD_add_response_header(r, "X-Gmm-Size", num);
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result route_step(struct http_server *hs,
				  struct MHD_Connection *c)
{
	struct serve_state *st = hs->st;
	char msg[96];
	uint64_t n;

	pthread_mutex_lock(&st->lock);
	if (!st->step || !st->stepping) {
		bool off = !st->step;

		pthread_mutex_unlock(&st->lock);
		return off ? reply_error(c, MHD_HTTP_FORBIDDEN,
					 "stepping is off (gmmctl serve "
					 "--script FILE --step)") :
			     reply_error(c, MHD_HTTP_CONFLICT,
					 "no stepped GC cycle is waiting");
	}
	n = ++st->steps_asked;
	pthread_cond_broadcast(&st->cond);
	pthread_mutex_unlock(&st->lock);
	snprintf(msg, sizeof(msg), "{\"steps_asked\": %" PRIu64 "}\n", n);
	return reply(c, MHD_HTTP_ACCEPTED, "application/json", msg,
		     strlen(msg), false);
}

static enum MHD_Result route_file(struct http_server *hs,
				  struct MHD_Connection *c, const char *name)
{
	const char *mime;
	char *data;
	size_t len;
	int err;

	err = www_load(hs->st->www, name, &data, &len, &mime);
	if (err == -ENOENT)
		return reply_error(c, MHD_HTTP_NOT_FOUND, "no such page");
	if (err)
		return reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
				   "%s: %s", name, strerror(-err));
	return reply(c, MHD_HTTP_OK, mime, data, len, true);
}

/* Whether the request announces a body (none of the routes takes one). */
static bool has_body(struct MHD_Connection *c)
{
	const char *len = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						      MHD_HTTP_HEADER_CONTENT_LENGTH);

	if (MHD_lookup_connection_value(c, MHD_HEADER_KIND,
					MHD_HTTP_HEADER_TRANSFER_ENCODING))
		return true;
	return len && strcmp(len, "0");
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c,
			      const char *url, const char *method,
			      const char *version, const char *upload,
			      size_t *upload_size, void **req_cls)
{
	static const char *const no_args[] = { NULL };
	struct http_server *hs = cls;
	struct http_args a;
	bool get = !strcmp(method, MHD_HTTP_METHOD_GET) ||
		   !strcmp(method, MHD_HTTP_METHOD_HEAD);
	bool post = !strcmp(method, MHD_HTTP_METHOD_POST);

	(void)version;
	(void)upload;
	(void)req_cls;
	pthread_mutex_lock(&hs->st->lock);
	hs->st->last_request_ns = now_ns();
	pthread_mutex_unlock(&hs->st->lock);
	if (*upload_size || has_body(c))
		return reply_error(c, MHD_HTTP_CONTENT_TOO_LARGE,
				   "requests carry no body");
	if (!strcmp(url, "/api/step") && post && !get_args(c, &a, no_args))
		return reply_error(c, MHD_HTTP_BAD_REQUEST, "%s", a.err);
	if (!strcmp(url, "/api/step"))
		return post ? route_step(hs, c) :
		       reply_error(c, MHD_HTTP_METHOD_NOT_ALLOWED,
				   "/api/step takes POST");
	if (!get)
		return reply_error(c, MHD_HTTP_METHOD_NOT_ALLOWED,
				   "%.16s: only GET and HEAD here", method);
	if (strcmp(url, "/api/lines") && !get_args(c, &a, no_args))
		return reply_error(c, MHD_HTTP_BAD_REQUEST, "%s", a.err);
	if (!strcmp(url, "/api/info"))
		return route_info(hs, c);
	if (!strcmp(url, "/api/lines"))
		return route_lines(hs, c);
	if (!strcmp(url, "/"))
		return route_file(hs, c, "index.html");
	if (url[0] == '/' && !strchr(url + 1, '/'))
		return route_file(hs, c, url + 1);
	return reply_error(c, MHD_HTTP_NOT_FOUND, "no such page");
}

static void http_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	fputs("gmmctl serve: ", stderr);
	vfprintf(stderr, fmt, ap);
}

int http_start(struct http_server **hp, struct serve_state *st,
	       const struct listen_addr *la, uint16_t *port)
{
	const union MHD_DaemonInfo *di;
	struct http_server *hs;
	unsigned int flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG;

	hs = calloc(1, sizeof(*hs));
	if (!hs)
		return -ENOMEM;
	hs->st = st;
	if (la->sa.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	hs->d = MHD_start_daemon(flags, 0, NULL, NULL, handle, hs,
				 MHD_OPTION_EXTERNAL_LOGGER, http_log, NULL,
				 MHD_OPTION_SOCK_ADDR, &la->sa,
				 MHD_OPTION_CONNECTION_LIMIT, HTTP_CONN_LIMIT,
				 MHD_OPTION_PER_IP_CONNECTION_LIMIT,
				 HTTP_PER_IP_LIMIT,
				 MHD_OPTION_CONNECTION_TIMEOUT, HTTP_TIMEOUT_S,
				 MHD_OPTION_CONNECTION_MEMORY_LIMIT,
				 (size_t)HTTP_CONN_MEMORY,
				 MHD_OPTION_END);
	if (!hs->d) {
		free(hs);
		return -EADDRNOTAVAIL;
	}
	di = MHD_get_daemon_info(hs->d, MHD_DAEMON_INFO_BIND_PORT);
	*port = di ? di->port : 0;
	*hp = hs;
	return 0;
}

void http_stop(struct http_server *hs)
{
	if (!hs)
		return;
	MHD_stop_daemon(hs->d);
	free(hs);
}
