/*
 * HTTP/1.1 intake server: listening socket, connection list, stop and close.
 * Connections are in http_conn.c, request assembly in http_request.c and
 * response formatting in http_response.c.
 *
 * What the server guarantees:
 *  - One request at a time per connection. Reading stops while a request is
 *    with the handler; pipelined bytes already received are parsed after the
 *    response is written, so responses come in request order.
 *  - Keep-alive for HTTP/1.1 unless "Connection: close", and for HTTP/1.0
 *    only with "Connection: keep-alive".
 *  - Limits (struct http_limits, as they were when the connection was
 *    accepted): headers over max_header_bytes get 431, a body over
 *    max_body_bytes 413 (a declared Content-Length is checked before the body
 *    is read; chunked bodies are counted), a request not complete within
 *    request_timeout_ms of its first byte 408, malformed input 400. A
 *    connection with no new request within idle_timeout_ms is closed
 *    silently. A connection accepted beyond max_connections is answered 503
 *    at once; the others are unaffected. Every refusal closes the connection.
 *    A zero timeout or max_connections means no limit; byte limits are
 *    taken literally.
 *  - One client cannot take every place (max_connections_per_address, as
 *    set now): a connection that finds its address with that many open
 *    connections already (served, or being turned away) is answered 503;
 *    past twice that it is closed at once without an answer, so one address
 *    holds at most twice the limit of sockets. Connections from a trusted
 *    proxy are not counted by address: each request from one counts, from
 *    the end of its headers until it is answered, for the client the proxy
 *    names (the rightmost X-Forwarded-For entry that is not itself a trusted
 *    proxy, all X-Forwarded-For headers read as one list; else X-Real-IP;
 *    else the proxy), and a request that finds its client with that many in
 *    flight is answered 503. Such headers from other peers are ignored.
 *  - Request bodies together hold at most max_body_memory bytes (as set
 *    now), counted as allocated from the moment they are known (a declared
 *    Content-Length when the headers end, a chunk when it is announced)
 *    until the request is answered or dropped: a body that would go past it
 *    is answered 503, so partial bodies cannot pile up; bodiless requests
 *    and bodies that still fit are served.
 *  - Every response carries Content-Length (but 204 and 304, which have no
 *    body) and "Connection: close" when the connection ends after it. After
 *    its last response a connection sends FIN and drops input until the
 *    client closes, for at most 2 s, so that the client gets to read it.
 *  - "Expect: 100-continue" is answered with "100 Continue" when the body
 *    is acceptable, and with 413 when it is declared too large.
 *
 * Ownership: the server owns its connections, and each connection its input
 * buffer and the request being parsed. A complete request belongs to the
 * handler until it passes it to http_respond(), which frees it. A connection
 * that closes first only clears the request's pointer back to it, so
 * http_respond() then just frees the request and returns -ECONNRESET. All
 * memory holding a libuv handle is freed in that handle's close callback.
 */
#include "http_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../lib/log.h"

#define HOST_MAX 64

void http_server_link(struct http_server *srv, struct http_conn *c)
{
	c->prev = NULL;
	c->next = srv->conns;
	if (srv->conns)
		srv->conns->prev = c;
	srv->conns = c;
}

void http_server_unlink(struct http_server *srv, struct http_conn *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		srv->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
}

/* Frees the server once closing and nothing it owns has a close pending. */
void http_server_maybe_free(struct http_server *srv)
{
	void (*cb)(void *) = srv->on_closed;
	void *arg = srv->on_closed_arg;

	if (!srv->closing || srv->pending_handles > 0 || srv->conns)
		return;
	http_peers_free(&srv->peers);
	netaddr_nets_free(&srv->proxies);
	free(srv);
	if (cb)
		cb(arg);
}

static void on_server_handle_closed(uv_handle_t *h)
{
	struct http_server *srv = h->data;

	srv->pending_handles--;
	http_server_maybe_free(srv);
}

static void close_listener(struct http_server *srv)
{
	if (!srv->listener_open)
		return;
	srv->listener_open = false;
	srv->pending_handles++;
	uv_close((uv_handle_t *)&srv->listener, on_server_handle_closed);
}

static void on_connection(uv_stream_t *listener, int status)
{
	struct http_server *srv = listener->data;

	if (status < 0) {
		/* Per-connection trouble (EMFILE...): debug, as a flood repeats it. */
		log_debug("http: accept: %s", uv_strerror(status));
		return;
	}
	http_conn_accept(srv);
}

static int parse_port(const char *s, int *port)
{
	long v = 0;

	if (*s == '\0' || strlen(s) > 5)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (*s - '0');
	}
	if (v > 65535)
		return -EINVAL;
	*port = (int)v;
	return 0;
}

/* "a.b.c.d:port" or "[v6]:port" into a socket address. */
static int parse_listen(const char *addr, struct sockaddr_storage *ss)
{
	char host[HOST_MAX];
	const char *host_start = addr, *host_end, *port_s;
	bool v6 = addr[0] == '[';
	size_t host_len;
	int port, err;

	if (v6) {
		host_start = addr + 1;
		host_end = strchr(host_start, ']');
		if (!host_end || host_end[1] != ':')
			return -EINVAL;
		port_s = host_end + 2;
	} else {
		host_end = strrchr(addr, ':');
		if (!host_end)
			return -EINVAL;
		port_s = host_end + 1;
	}
	host_len = (size_t)(host_end - host_start);
	if (host_len == 0 || host_len >= sizeof host)
		return -EINVAL;
	memcpy(host, host_start, host_len);
	host[host_len] = '\0';
	err = parse_port(port_s, &port);
	if (err)
		return err;
	memset(ss, 0, sizeof *ss);
	err = v6 ? uv_ip6_addr(host, port, (struct sockaddr_in6 *)ss)
	         : uv_ip4_addr(host, port, (struct sockaddr_in *)ss);
	return err ? -EINVAL : 0;
}

/* Binds and listens with plain system calls, so that the common failures
 * (address in use, no permission) are reported before any libuv handle
 * exists and nothing needs an asynchronous close. */
static int open_listener(const char *addr, int *out_fd)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int one = 1, fd, err = parse_listen(addr, &ss);

	if (err)
		return err;
	len = ss.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    bind(fd, (struct sockaddr *)&ss, len) != 0 || listen(fd, SOMAXCONN) != 0) {
		err = -errno;
		close(fd);
		return err;
	}
	*out_fd = fd;
	return 0;
}

/* A socket handed over (socket activation) must be a listening TCP socket. */
static int check_inherited(int fd)
{
	int type = 0, accepting = 0;
	socklen_t len = sizeof type;

	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0)
		return -errno;
	len = sizeof accepting;
	if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &len) != 0)
		return -errno;
	return type == SOCK_STREAM && accepting ? 0 : -EINVAL;
}

static int bound_port(struct http_server *srv)
{
	struct sockaddr_storage ss;
	int len = sizeof ss;
	int err = uv_tcp_getsockname(&srv->listener, (struct sockaddr *)&ss, &len);

	if (err)
		return err;
	if (ss.ss_family == AF_INET6)
		srv->port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	else
		srv->port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return 0;
}

/* Wraps the listening fd (owned from here on) in the server's handles. */
static int server_listen(struct http_server *srv, int fd)
{
	int err = uv_tcp_init(srv->loop, &srv->listener);

	if (err) {
		close(fd);
		return err;
	}
	srv->listener_open = true;
	err = uv_tcp_open(&srv->listener, fd);
	if (err) {
		close(fd);
		return err;
	}
	err = uv_listen((uv_stream_t *)&srv->listener, SOMAXCONN, on_connection);
	if (!err)
		err = bound_port(srv);
	return err;
}

/* Builds the server around a listening fd, which it owns in any case. */
static int server_new(uv_loop_t *loop, int fd, const struct http_limits *limits,
                      http_handler_fn handler, void *arg, struct http_server **out)
{
	struct http_server *srv = calloc(1, sizeof *srv);
	int err;

	if (!srv) {
		close(fd);
		return -ENOMEM;
	}
	srv->loop = loop;
	srv->limits = *limits;
	srv->handler = handler;
	srv->handler_arg = arg;
	srv->listener.data = srv;
	srv->gate.data = srv;
	srv->refuse.data = srv;
	err = uv_timer_init(loop, &srv->gate);
	if (err) {
		close(fd);
		free(srv);
		return err;
	}
	err = server_listen(srv, fd);
	if (err) {
		/* Rare: a handle exists, so the memory goes in a close callback. */
		http_server_close(srv, NULL, NULL);
		return err;
	}
	*out = srv;
	return 0;
}

int http_server_start(uv_loop_t *loop, const char *listen_addr, int fd,
                      const struct http_limits *limits, http_handler_fn handler,
                      void *arg, struct http_server **out)
{
	bool inherited = fd >= 0;
	int err;

	if (out)
		*out = NULL;
	if (!loop || !limits || !handler || !out || (!inherited && !listen_addr))
		err = -EINVAL;
	else
		err = inherited ? check_inherited(fd) : open_listener(listen_addr, &fd);
	if (err) {
		/* A socket handed over is ours from the call on, on failure too. */
		if (fd >= 0)
			close(fd);
		return err;
	}
	err = server_new(loop, fd, limits, handler, arg, out);
	if (!err)
		log_info("http: listening on %s, port %d",
		         inherited ? "an inherited socket" : listen_addr, (*out)->port);
	return err;
}

int http_server_port(const struct http_server *srv)
{
	return srv->port;
}

void http_server_set_limits(struct http_server *srv, const struct http_limits *limits)
{
	srv->limits = *limits;
}

int http_server_set_trusted_proxies(struct http_server *srv, const char *list)
{
	struct netaddr_nets nets;
	int rc = netaddr_nets_parse(list, &nets);

	if (rc < 0)
		return rc;
	netaddr_nets_free(&srv->proxies);
	srv->proxies = nets;
	return 0;
}

size_t http_server_connections(const struct http_server *srv)
{
	return srv->n_serving;
}

size_t http_server_body_memory(const struct http_server *srv)
{
	return srv->body_memory;
}

size_t http_server_requests_in_flight(const struct http_server *srv)
{
	return srv->n_in_flight;
}

void http_server_stop_accepting(struct http_server *srv)
{
	if (srv->stopped)
		return;
	srv->stopped = true;
	close_listener(srv);
	/* Closing only starts here; connections leave the list in callbacks. */
	for (struct http_conn *c = srv->conns; c; c = c->next)
		http_conn_stop(c);
}

void http_server_close(struct http_server *srv, void (*on_closed)(void *), void *arg)
{
	if (srv->closing)
		return;
	srv->closing = true;
	srv->stopped = true;
	srv->on_closed = on_closed;
	srv->on_closed_arg = arg;
	close_listener(srv);
	srv->pending_handles++;
	uv_close((uv_handle_t *)&srv->gate, on_server_handle_closed);
	for (struct http_conn *c = srv->conns; c; c = c->next)
		http_conn_close(c);
}
