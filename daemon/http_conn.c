/*
 * One client connection: reading, parsing, deadlines, answering, closing.
 *
 * The state machine (enum http_conn_state) and its single timer:
 *   IDLE      waiting for a request's first byte; idle_timeout_ms, then a
 *             silent close.
 *   READING   a request has begun; it must be complete within
 *             request_timeout_ms of its first byte, else 408. Time is not
 *             extended by progress, so trickling clients are cut off.
 *   HANDLING  the request is with the handler; reading is stopped so requests
 *             are answered one at a time, and bytes already received wait in
 *             c->in to be parsed after the response.
 *   WRITING   the response is being written; request_timeout_ms again, so a
 *             client that never reads cannot hold the connection.
 *   DRAINING  the last response is out and our side shut down; input is read
 *             and dropped until the client closes or the linger time ends, so
 *             unread input does not turn the close into a reset that could
 *             destroy the response before the client reads it.
 *   CLOSED    uv_close was called; the memory goes in the last close callback.
 *
 * Nothing closes the connection from inside a parser callback: callbacks only
 * record a refusal (c->fail_status) or pause the parser at the end of a
 * request, and conn_feed acts once http_parser_execute has returned.
 *
 * Shared limits (see http.c): a connection counts under its peer's address
 * from accept to close; a request counts its body's bytes in the server's
 * body memory, and, from a trusted proxy, itself under the client the proxy
 * names, from the moment they are known until req_release, which every path
 * that frees or orphans a request goes through.
 *
 * Routine events are logged at debug level only: a client can cause any
 * number of them.
 */
#include "http_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../lib/log.h"
#include "../lib/metrics.h"

#define READ_CHUNK 16384
#define LINGER_MS 2000

static void conn_feed(struct http_conn *c);
static void conn_write(struct http_conn *c, struct http_write *w, bool close_after);

static void on_handle_closed(uv_handle_t *h)
{
	struct http_conn *c = h->data;
	struct http_server *srv = c->srv;

	if (--c->open_handles > 0)
		return;
	http_server_unlink(srv, c);
	free(c);
	http_server_maybe_free(srv);
}

/* The connection no longer takes a place under max_connections. */
static void conn_uncount(struct http_conn *c)
{
	if (c->counted) {
		c->srv->n_serving--;
		c->counted = false;
	}
}

static void count_refusal(const char *reason)
{
	char labels[32];

	snprintf(labels, sizeof labels, "reason=\"%s\"", reason);
	metrics_add("cqod_http_refused_total", labels, 1);
}

/* Gives back what a request holds of the shared limits: its body memory and
 * its place among its client's requests in flight. Once per request, before
 * it is freed or orphaned (the fields are cleared). */
static void req_release(struct http_server *srv, struct http_req *r)
{
	if (!r)
		return;
	srv->body_memory -= r->body_charge;
	r->body_charge = 0;
	if (r->client) {
		r->client->requests--;
		http_peers_put(&srv->peers, r->client);
		r->client = NULL;
	}
}

void http_conn_close(struct http_conn *c)
{
	if (c->state == HTTP_CONN_CLOSED)
		return;
	c->state = HTTP_CONN_CLOSED;
	conn_uncount(c);
	if (c->peer) {
		c->peer->conns--;
		http_peers_put(&c->srv->peers, c->peer);
		c->peer = NULL;
	}
	/* The handler still owns an unanswered request; it becomes an orphan. */
	if (c->in_flight) {
		req_release(c->srv, c->in_flight);
		c->in_flight->conn = NULL;
		c->in_flight = NULL;
		c->srv->n_in_flight--;
	}
	req_release(c->srv, c->building);
	http_req_free(c->building);
	c->building = NULL;
	free(c->in);
	c->in = NULL;
	c->in_len = c->in_off = c->in_cap = 0;
	uv_close((uv_handle_t *)&c->tcp, on_handle_closed);
	uv_close((uv_handle_t *)&c->timer, on_handle_closed);
}

static void on_timer(uv_timer_t *t);

/* Sets the connection's deadline; 0 means none. */
static int conn_arm(struct http_conn *c, unsigned ms)
{
	return ms ? uv_timer_start(&c->timer, on_timer, ms, 0) : uv_timer_stop(&c->timer);
}

/* conn_arm outside parser callbacks: on error the connection is closed. */
static bool conn_deadline(struct http_conn *c, unsigned ms)
{
	int err = conn_arm(c, ms);

	if (err) {
		log_debug("http: %s: timer: %s", c->remote, uv_strerror(err));
		http_conn_close(c);
		return false;
	}
	return true;
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct http_conn *c = h->data;
	size_t need = c->in_len + READ_CHUNK;
	char *p;

	(void)suggested;
	*buf = uv_buf_init(NULL, 0);
	if (c->in_cap < need) {
		p = realloc(c->in, need);
		if (!p)
			return;     /* libuv reports UV_ENOBUFS to on_read */
		c->in = p;
		c->in_cap = need;
	}
	*buf = uv_buf_init(c->in + c->in_len, (unsigned)(c->in_cap - c->in_len));
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf);

static void conn_read_start(struct http_conn *c)
{
	int err;

	if (c->reading)
		return;
	err = uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
	if (err) {
		log_debug("http: %s: read: %s", c->remote, uv_strerror(err));
		http_conn_close(c);
		return;
	}
	c->reading = true;
}

static void conn_read_stop(struct http_conn *c)
{
	/* uv_read_stop always succeeds. */
	uv_read_stop((uv_stream_t *)&c->tcp);
	c->reading = false;
}

/* Answers from the server itself (400, 408, 413, 431, 500, 503) and closes. */
static void conn_fail(struct http_conn *c, int status)
{
	struct http_write *w;

	log_debug("http: %s: answering %d and closing", c->remote, status);
	req_release(c->srv, c->building);
	http_req_free(c->building);
	c->building = NULL;
	c->in_off = c->in_len;  /* whatever follows is dropped */
	w = http_response_error(status);
	if (!w) {
		http_conn_close(c);
		return;
	}
	conn_write(c, w, true);
	/* Keep reading, to drop input rather than reset the connection. */
	if (c->state == HTTP_CONN_WRITING)
		conn_read_start(c);
}

static void on_shutdown(uv_shutdown_t *req, int status)
{
	struct http_conn *c = req->data;

	if (c->state == HTTP_CONN_CLOSED)
		return;
	if (status < 0 || c->peer_eof) {
		http_conn_close(c);
		return;
	}
	/* The answer is out: draining is courtesy, not service. */
	c->state = HTTP_CONN_DRAINING;
	conn_uncount(c);
	if (conn_deadline(c, LINGER_MS))
		conn_read_start(c);
}

/* Ends the connection gracefully: after the queued writes, send FIN. */
static void conn_shutdown(struct http_conn *c)
{
	int err;

	c->close_after = true;
	c->shutdown.data = c;
	err = uv_shutdown(&c->shutdown, (uv_stream_t *)&c->tcp, on_shutdown);
	if (err) {
		log_debug("http: %s: shutdown: %s", c->remote, uv_strerror(err));
		http_conn_close(c);
	}
}

/* After a keep-alive response: parse what is buffered, then read on. */
static void conn_next_request(struct http_conn *c)
{
	if (c->srv->stopped) {
		conn_shutdown(c);
		return;
	}
	c->state = HTTP_CONN_IDLE;
	if (!conn_deadline(c, c->limits.idle_timeout_ms))
		return;
	conn_feed(c);
	if (c->state == HTTP_CONN_IDLE || c->state == HTTP_CONN_READING)
		conn_read_start(c);
}

static void on_write(uv_write_t *req, int status)
{
	struct http_write *w = (struct http_write *)req;
	struct http_conn *c = w->conn;
	bool interim = w->interim;

	free(w);
	if (c->state == HTTP_CONN_CLOSED)
		return;
	if (status < 0) {
		log_debug("http: %s: write: %s", c->remote, uv_strerror(status));
		http_conn_close(c);
		return;
	}
	if (!interim && !c->close_after)
		conn_next_request(c);
}

/* Queues a response (owning w from here on); with close_after the
 * connection shuts down once it is written. */
static void conn_write(struct http_conn *c, struct http_write *w, bool close_after)
{
	uv_buf_t buf = uv_buf_init(w->data, (unsigned)w->len);
	int err;

	w->conn = c;
	c->state = HTTP_CONN_WRITING;
	c->close_after = close_after;
	if (!conn_deadline(c, c->limits.request_timeout_ms)) {
		free(w);
		return;
	}
	err = uv_write(&w->req, (uv_stream_t *)&c->tcp, &buf, 1, on_write);
	if (err) {
		free(w);
		log_debug("http: %s: write: %s", c->remote, uv_strerror(err));
		http_conn_close(c);
		return;
	}
	if (close_after)
		conn_shutdown(c);
}

/* "100 Continue" before reading a body the client holds back for it.
 * Called from a parser callback, so it reports errors instead of closing. */
static int conn_continue(struct http_conn *c)
{
	struct http_write *w = http_response_continue();
	uv_buf_t buf;
	int err;

	if (!w)
		return UV_ENOMEM;
	w->conn = c;
	buf = uv_buf_init(w->data, (unsigned)w->len);
	err = uv_write(&w->req, (uv_stream_t *)&c->tcp, &buf, 1, on_write);
	if (err)
		free(w);
	return err;
}

static void on_timer(uv_timer_t *t)
{
	struct http_conn *c = t->data;

	switch (c->state) {
	case HTTP_CONN_READING:
		conn_fail(c, 408);
		break;
	case HTTP_CONN_IDLE:
	case HTTP_CONN_WRITING:
	case HTTP_CONN_DRAINING:
		log_debug("http: %s: timed out", c->remote);
		http_conn_close(c);
		break;
	case HTTP_CONN_HANDLING:
	case HTTP_CONN_CLOSED:
		break;
	}
}

/* Parser callbacks: a nonzero return stops the parser; fail_status says why. */
static int refuse(struct http_conn *c, int status)
{
	if (!status)
		return 0;
	c->fail_status = status;
	return -1;
}

static int on_message_begin(http_parser *p)
{
	struct http_conn *c = p->data;

	c->building = http_req_new();
	if (!c->building)
		return refuse(c, 500);
	c->state = HTTP_CONN_READING;
	return refuse(c, conn_arm(c, c->limits.request_timeout_ms) ? 500 : 0);
}

static int on_url(http_parser *p, const char *at, size_t len)
{
	struct http_conn *c = p->data;

	return refuse(c, http_req_url(c->building, at, len, c->limits.max_header_bytes));
}

static int on_header_field(http_parser *p, const char *at, size_t len)
{
	struct http_conn *c = p->data;

	return refuse(c, http_req_field(c->building, at, len, c->limits.max_header_bytes));
}

static int on_header_value(http_parser *p, const char *at, size_t len)
{
	struct http_conn *c = p->data;

	return refuse(c, http_req_value(c->building, at, len, c->limits.max_header_bytes));
}

/* Raises what r's body is counted for to `total` bytes; false when all
 * bodies together would pass max_body_memory (the request gets 503). */
static bool body_charge(struct http_conn *c, struct http_req *r, size_t total)
{
	struct http_server *srv = c->srv;
	size_t max = srv->limits.max_body_memory, more;

	if (total <= r->body_charge)
		return true;
	more = total - r->body_charge;
	if (max && (srv->body_memory > max || more > max - srv->body_memory)) {
		log_debug("http: %s: request bodies hold %zu bytes; refusing %zu more", c->remote,
		          srv->body_memory, more);
		count_refusal("body_memory");
		return false;
	}
	srv->body_memory += more;
	r->body_charge = total;
	return true;
}

/* Item s[0..n) of an X-Forwarded-For list (blanks and IPv6 brackets allowed
 * around it) into *a. */
static bool forwarded_item(const char *s, size_t n, struct netaddr *a)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		s++;
		n -= 2;
	}
	return netaddr_parse(s, n, a);
}

/* The client a trusted proxy names. X-Forwarded-For is one list over all its
 * headers, each proxy appending the address it got the request from: read
 * from the right, the first entry that is not a trusted proxy is the client
 * (what is left of it, the client wrote itself); if all are trusted, the
 * leftmost. Without X-Forwarded-For, X-Real-IP. False when no header names
 * an address, or the entry that would is not one. */
static bool forwarded_client(const struct http_server *srv, const struct http_request *req,
                             struct netaddr *out)
{
	bool any = false;

	for (size_t i = req->n_headers; i-- > 0;) {
		const char *v = req->headers[i].value;
		size_t end = strlen(v);

		if (strcasecmp(req->headers[i].name, "X-Forwarded-For") != 0)
			continue;
		while (end > 0) {
			size_t start = end;

			while (start > 0 && v[start - 1] != ',')
				start--;
			if (strspn(v + start, " \t") < end - start) {
				if (!forwarded_item(v + start, end - start, out))
					return false;
				any = true;
				if (!netaddr_nets_contain(&srv->proxies, out))
					return true;
			}
			end = start ? start - 1 : 0;
		}
	}
	if (any)
		return true;
	for (size_t i = 0; i < req->n_headers; i++) {
		const char *v = req->headers[i].value;

		if (strcasecmp(req->headers[i].name, "X-Real-IP") == 0)
			return forwarded_item(v, strlen(v), out);
	}
	return false;
}

/* A request from a trusted proxy counts for the client the proxy names (the
 * proxy itself when it names none); 0, or 503 when that client already has
 * max_connections_per_address requests in flight. */
static int conn_admit_client(struct http_conn *c, struct http_req *r)
{
	struct http_server *srv = c->srv;
	unsigned max = srv->limits.max_connections_per_address;
	struct netaddr a;
	struct http_peer *p;

	if (!forwarded_client(srv, &r->pub, &a))
		a = c->addr;
	p = http_peers_get(&srv->peers, &a);
	if (!p)
		return 500;
	if (max && p->requests >= max) {
		char text[INET6_ADDRSTRLEN];

		http_peers_put(&srv->peers, p);
		netaddr_format(&a, text, sizeof text);
		log_debug("http: %s: %s has %u requests in flight; refusing", c->remote, text, max);
		count_refusal("address");
		return 503;
	}
	p->requests++;
	r->client = p;
	return 0;
}

static bool expects_continue(const http_parser *p, const struct http_req *r)
{
	const char *expect = http_request_header(&r->pub, "Expect");
	bool has_body = (p->flags & F_CHUNKED) ||
	                ((p->flags & F_CONTENTLENGTH) && p->content_length > 0);

	return expect && strcasecmp(expect, "100-continue") == 0 && has_body &&
	       p->http_major == 1 && p->http_minor >= 1;
}

static int on_headers_complete(http_parser *p)
{
	struct http_conn *c = p->data;
	struct http_req *r = c->building;
	int st = http_req_headers_done(r);

	if (st)
		return refuse(c, st);
	r->pub.method = http_method_str((enum http_method)p->method);
	r->http10 = p->http_major == 1 && p->http_minor == 0;
	r->keep_alive = http_should_keep_alive(p) && !p->upgrade;
	r->head = p->method == HTTP_HEAD;
	if (c->via_proxy)
		st = conn_admit_client(c, r);
	/* A declared body too large, or too much for the memory left, is
	 * refused before the client sends it. */
	if (!st && (p->flags & F_CONTENTLENGTH)) {
		st = http_req_body_fits(r, p->content_length, c->limits.max_body_bytes);
		if (!st && p->content_length > 0) {
			r->body_expect = (size_t)p->content_length;
			if (!body_charge(c, r, r->body_expect + 1))
				st = 503;
		}
	}
	if (!st && expects_continue(p, r) && conn_continue(c) != 0)
		st = 500;
	return refuse(c, st);
}

static int on_chunk_header(http_parser *p)
{
	struct http_conn *c = p->data;
	struct http_req *r = c->building;
	uint64_t size = p->content_length;  /* the announced chunk size, here */
	int st = http_req_body_fits(r, size, c->limits.max_body_bytes);

	/* The chunk is charged before it arrives; the last one (0) adds nothing. */
	if (!st && size > 0 && !body_charge(c, r, http_req_body_room(r, (size_t)size)))
		st = 503;
	return refuse(c, st);
}

static int on_body(http_parser *p, const char *at, size_t len)
{
	struct http_conn *c = p->data;
	struct http_req *r = c->building;
	int st = http_req_body_fits(r, len, c->limits.max_body_bytes);

	/* Charged already at the headers or the chunk's header: this only
	 * guards against a body longer than announced. */
	if (!st && !body_charge(c, r, http_req_body_room(r, len)))
		st = 503;
	return refuse(c, st ? st : http_req_body(r, at, len, c->limits.max_body_bytes));
}

static int on_message_complete(http_parser *p)
{
	struct http_conn *c = p->data;

	http_req_finish(c->building);
	/* Stop right after this request; conn_feed hands it to the handler. */
	http_parser_pause(p, 1);
	return 0;
}

static const http_parser_settings parser_settings = {
	.on_message_begin = on_message_begin,
	.on_url = on_url,
	.on_header_field = on_header_field,
	.on_header_value = on_header_value,
	.on_headers_complete = on_headers_complete,
	.on_body = on_body,
	.on_message_complete = on_message_complete,
	.on_chunk_header = on_chunk_header,
};

/* Hands the complete request to the handler, which owns it from now on. */
static void conn_dispatch(struct http_conn *c)
{
	struct http_req *r = c->building;
	struct http_server *srv = c->srv;

	c->building = NULL;
	if (!conn_deadline(c, 0)) {
		req_release(srv, r);
		http_req_free(r);
		return;
	}
	conn_read_stop(c);
	memcpy(r->pub.remote, c->remote, sizeof r->pub.remote);
	r->conn = c;
	c->in_flight = r;
	srv->n_in_flight++;
	c->state = HTTP_CONN_HANDLING;
	srv->handler(&r->pub, srv->handler_arg);
}

static int fail_status(const struct http_conn *c, enum http_errno e)
{
	if (c->fail_status)
		return c->fail_status;
	return e == HPE_HEADER_OVERFLOW ? 431 : 400;
}

/* Parses buffered input until it is used up or a request is complete. */
static void conn_feed(struct http_conn *c)
{
	while ((c->state == HTTP_CONN_IDLE || c->state == HTTP_CONN_READING) &&
	       c->in_off < c->in_len) {
		size_t avail = c->in_len - c->in_off;
		size_t n = http_parser_execute(&c->parser, &parser_settings,
		                               c->in + c->in_off, avail);
		enum http_errno e = HTTP_PARSER_ERRNO(&c->parser);

		c->in_off += n;
		if (e == HPE_PAUSED) {
			http_parser_pause(&c->parser, 0);
			conn_dispatch(c);
		} else if (e != HPE_OK || n < avail) {
			log_debug("http: %s: parser: %s", c->remote, http_errno_name(e));
			conn_fail(c, fail_status(c, e));
		}
	}
	/* Idle connections keep no buffer. */
	if (c->in_off == c->in_len) {
		free(c->in);
		c->in = NULL;
		c->in_len = c->in_off = c->in_cap = 0;
	}
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	struct http_conn *c = s->data;

	(void)buf;
	if (nread == UV_EOF && c->state == HTTP_CONN_WRITING) {
		/* The client is done sending: let the response go out first. */
		c->peer_eof = true;
		conn_read_stop(c);
		return;
	}
	if (nread < 0) {
		log_debug("http: %s: closing: %s", c->remote, uv_strerror((int)nread));
		http_conn_close(c);
		return;
	}
	if (c->close_after) {
		c->in_len = c->in_off = 0;
		return;
	}
	c->in_len += (size_t)nread;
	conn_feed(c);
}

int http_respond(struct http_request *req, int status, const char *content_type,
                 const char *body, size_t body_len, const char *extra_headers)
{
	struct http_req *r = (struct http_req *)req;
	struct http_conn *c = r->conn;
	struct http_response resp;
	struct http_write *w;
	int rc = 0;

	if (!c) {
		http_req_free(r);
		return -ECONNRESET;
	}
	c->in_flight = NULL;
	c->srv->n_in_flight--;
	req_release(c->srv, r);
	if (status < 200 || status > 599) {
		log_warn("http: handler answered with status %d; sending 500", status);
		status = 500;
		rc = -EINVAL;
	}
	resp = (struct http_response){
		.status = status,
		.content_type = content_type,
		.body = body,
		.body_len = body_len,
		.extra_headers = extra_headers,
		.head = r->head,
		.close = !r->keep_alive || c->srv->stopped,
	};
	resp.announce_keep_alive = r->http10 && !resp.close;
	w = http_response_build(&resp);
	http_req_free(r);
	if (!w) {
		http_conn_close(c);
		return -ENOMEM;
	}
	conn_write(c, w, resp.close);
	if (c->state == HTTP_CONN_CLOSED && rc == 0)
		rc = -ECONNRESET;
	return rc;
}

void http_abort(struct http_request *req)
{
	struct http_req *r = (struct http_req *)req;
	struct http_conn *c = r->conn;

	if (c) {
		c->in_flight = NULL;
		c->srv->n_in_flight--;
		req_release(c->srv, r);
		http_conn_close(c);
	}
	http_req_free(r);
}

/* "a.b.c.d:port" or "[v6]:port", for logs and http_request.remote. */
static void format_remote(struct http_conn *c)
{
	struct sockaddr_storage ss;
	int len = sizeof ss;
	char ip[INET6_ADDRSTRLEN] = "?";
	unsigned port = 0;

	snprintf(c->remote, sizeof c->remote, "unknown");
	if (uv_tcp_getpeername(&c->tcp, (struct sockaddr *)&ss, &len) != 0)
		return;
	if (netaddr_from_sockaddr((struct sockaddr *)&ss, &c->addr) < 0)
		c->addr.len = 0;
	if (ss.ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)&ss;

		if (uv_ip4_name(sin, ip, sizeof ip) == 0)
			port = ntohs(sin->sin_port);
		snprintf(c->remote, sizeof c->remote, "%s:%u", ip, port);
	} else if (ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)&ss;

		if (uv_ip6_name(sin6, ip, sizeof ip) == 0)
			port = ntohs(sin6->sin6_port);
		snprintf(c->remote, sizeof c->remote, "[%s]:%u", ip, port);
	}
}

/* Counts the connection under its peer's address (a trusted proxy's are
 * counted per request instead); true when the address may have it. Past
 * max_connections_per_address it is answered 503, past twice that closed
 * at once: turned-away connections count too while they are open, so one
 * address holds at most twice the limit of sockets. */
static bool conn_admit_address(struct http_conn *c)
{
	struct http_server *srv = c->srv;
	unsigned max = srv->limits.max_connections_per_address;
	struct http_peer *p;

	if (!c->addr.len)
		return true;
	if (netaddr_nets_contain(&srv->proxies, &c->addr)) {
		c->via_proxy = true;
		return true;
	}
	p = http_peers_get(&srv->peers, &c->addr);
	if (!p) {
		conn_fail(c, 503);
		return false;
	}
	p->conns++;
	c->peer = p;
	if (!max || p->conns <= max)
		return true;
	log_debug("http: %s: %u connections from this address; refusing", c->remote, p->conns - 1);
	count_refusal("address");
	if (p->conns > 2 * (uint64_t)max)
		http_conn_close(c);
	else
		conn_fail(c, 503);
	return false;
}

/* Starts serving an accepted connection, or turns it away with 503. */
static void conn_begin(struct http_conn *c)
{
	struct http_server *srv = c->srv;
	int err;

	format_remote(c);
	err = uv_tcp_nodelay(&c->tcp, 1);
	if (err)
		log_debug("http: %s: nodelay: %s", c->remote, uv_strerror(err));
	if (!conn_admit_address(c))
		return;
	if (srv->limits.max_connections && srv->n_serving >= srv->limits.max_connections) {
		log_debug("http: %s: connection limit reached", c->remote);
		count_refusal("connections");
		conn_fail(c, 503);
		return;
	}
	c->counted = true;
	srv->n_serving++;
	http_parser_init(&c->parser, HTTP_REQUEST);
	c->parser.data = c;
	c->state = HTTP_CONN_IDLE;
	if (conn_deadline(c, c->limits.idle_timeout_ms))
		conn_read_start(c);
}

static void on_refused_closed(uv_handle_t *h)
{
	struct http_server *srv = h->data;

	srv->refusing = false;
	srv->pending_handles--;
	if (srv->refuse_again) {
		srv->refuse_again = false;
		if (srv->listener_open)
			http_conn_accept(srv);
	}
	http_server_maybe_free(srv);
}

/* A connection we cannot serve (no memory for it): libuv stops watching the
 * listener until its pending connection is accepted, so it is accepted into
 * the server's spare handle and closed at once. While the spare is closing,
 * the next such connection waits for its close callback. */
static void conn_refuse(struct http_server *srv)
{
	int err;

	if (srv->refusing) {
		srv->refuse_again = true;
		return;
	}
	err = uv_tcp_init(srv->loop, &srv->refuse);
	if (err) {
		log_error("http: tcp: %s; no longer accepting connections", uv_strerror(err));
		return;
	}
	err = uv_accept((uv_stream_t *)&srv->listener, (uv_stream_t *)&srv->refuse);
	if (err)
		log_debug("http: accept: %s", uv_strerror(err));
	srv->refusing = true;
	srv->pending_handles++;
	uv_close((uv_handle_t *)&srv->refuse, on_refused_closed);
}

void http_conn_accept(struct http_server *srv)
{
	struct http_conn *c = calloc(1, sizeof *c);
	int err;

	if (!c) {
		log_error("http: out of memory accepting a connection; closed it");
		conn_refuse(srv);
		return;
	}
	c->srv = srv;
	c->limits = srv->limits;
	c->tcp.data = c;
	c->timer.data = c;
	snprintf(c->remote, sizeof c->remote, "unknown");
	err = uv_timer_init(srv->loop, &c->timer);
	if (err) {
		free(c);
		log_error("http: timer: %s", uv_strerror(err));
		conn_refuse(srv);
		return;
	}
	http_server_link(srv, c);
	c->open_handles = 1;
	err = uv_tcp_init(srv->loop, &c->tcp);
	if (err) {
		log_error("http: tcp: %s", uv_strerror(err));
		c->state = HTTP_CONN_CLOSED;
		uv_close((uv_handle_t *)&c->timer, on_handle_closed);
		conn_refuse(srv);
		return;
	}
	c->open_handles = 2;
	err = uv_accept((uv_stream_t *)&srv->listener, (uv_stream_t *)&c->tcp);
	if (err) {
		log_debug("http: accept: %s", uv_strerror(err));
		http_conn_close(c);
		return;
	}
	conn_begin(c);
}

/* Server stopping: idle connections go now, busy ones after their answer. */
void http_conn_stop(struct http_conn *c)
{
	if (c->state == HTTP_CONN_IDLE)
		http_conn_close(c);
}
