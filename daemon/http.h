/*
 * HTTP/1.1 intake on libuv + http-parser.
 *
 * One request at a time per connection: reading pauses while a request is
 * being answered, so pipelined requests are answered in order. Keep-alive is
 * honoured. Limits (header and body size, idle and whole-request timeouts,
 * connection count, connections per client address, memory held by request
 * bodies) come from struct http_limits; breaches are answered by the server
 * itself (400, 408, 413, 431, 503) and the connection is closed. Behind a
 * reverse proxy, the client address is read from X-Forwarded-For or
 * X-Real-IP of trusted proxies only (http_server_set_trusted_proxies).
 *
 * The handler is called once per complete request and must eventually call
 * http_respond() exactly once for it, now or later (async). If the client went
 * away meanwhile, http_respond() just releases the request.
 */
#ifndef CQOD_HTTP_H
#define CQOD_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

struct http_limits {
	size_t max_header_bytes;
	size_t max_body_bytes;
	unsigned idle_timeout_ms;
	unsigned request_timeout_ms;
	unsigned max_connections;
	/* Per client address: open connections, or, from a trusted proxy,
	 * requests in flight for the address it forwards. 0 = no limit. */
	unsigned max_connections_per_address;
	/* Bytes all request bodies may hold at once; a body that would go past
	 * it is answered 503. 0 = no limit. */
	size_t max_body_memory;
};

struct http_header {
	char *name;   /* as received */
	char *value;
};

/* Owned by the server; valid until http_respond() is called for it. */
struct http_request {
	const char *method;        /* "GET", "POST", ... */
	char *path;                /* URL path, not decoded */
	char *query;               /* raw query string without '?', "" if none */
	struct http_header *headers;
	size_t n_headers;
	char *body;                /* NUL-terminated for convenience; body_len excludes it */
	size_t body_len;
	char remote[64];           /* "127.0.0.1:54321" */
	uint64_t id;               /* request id, unique per process */
	uint64_t started_ns;       /* clock_mono_ns() when its first byte was parsed */
};

struct http_server;

typedef void (*http_handler_fn)(struct http_request *req, void *arg);

/* Case-insensitive header lookup; NULL if absent. Borrowed from req. */
const char *http_request_header(const struct http_request *req, const char *name);

/* Answers req (copies body) and releases it. Extra headers may be NULL or a
 * "Name: value\r\n..." block. Returns 0, or a negative error if the
 * connection is gone (the request is released all the same). */
int http_respond(struct http_request *req, int status, const char *content_type,
                 const char *body, size_t body_len, const char *extra_headers);

/* Releases req without answering it and closes its connection: for
 * platforms that retry only when a request fails at the connection level.
 * Requests pipelined behind it on that connection are lost with it (their
 * clients retry them the same way). */
void http_abort(struct http_request *req);

/* Starts listening on `listen` ("127.0.0.1:8080", "[::1]:0", "0.0.0.0:80").
 * With fd >= 0, adopts that already-listening socket instead (socket
 * activation). On success *out is the server (freed by http_server_close). */
int http_server_start(uv_loop_t *loop, const char *listen, int fd,
                      const struct http_limits *limits, http_handler_fn handler,
                      void *arg, struct http_server **out);

/* The bound port (useful with port 0). */
int http_server_port(const struct http_server *srv);

/* Applies new limits to future connections (SIGHUP); the per-address and
 * body-memory limits, which are about what all connections share, apply at
 * once. */
void http_server_set_limits(struct http_server *srv, const struct http_limits *limits);

/* The peers whose X-Forwarded-For / X-Real-IP headers name the client
 * (list as above; NULL or "" for none, the default: every peer is its own
 * client). Replaces the previous list for requests from now on. 0, -EINVAL
 * (the old list stays) or -ENOMEM. */
int http_server_set_trusted_proxies(struct http_server *srv, const char *list);

size_t http_server_connections(const struct http_server *srv);
size_t http_server_requests_in_flight(const struct http_server *srv);
/* Bytes held by request bodies now, as counted against max_body_memory. */
size_t http_server_body_memory(const struct http_server *srv);

/* Stops accepting; idle keep-alive connections are closed; connections with a
 * request in flight close after their response is written. */
void http_server_stop_accepting(struct http_server *srv);

/* Closes everything now and frees the server once all handles are closed;
 * then calls on_closed(arg) if given. Requests still in flight become
 * orphans: http_respond() on them releases them without writing. */
void http_server_close(struct http_server *srv, void (*on_closed)(void *), void *arg);

/* Reason phrase for a status code ("OK", "Not Found", ...). */
const char *http_status_reason(int status);

#endif
