/* WebSocket client connections through libwebsockets; see ws_client.h. */
#include "ws_client.h"

#include <errno.h>
#include <libwebsockets.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/log.h"

/*
 * libwebsockets 4.1's own timeouts do not fire on a foreign libuv loop
 * while no socket is active (its timer is re-armed only after I/O), so
 * each connection keeps its own guard timer: for the whole opening (TCP
 * connect, TLS, the upgrade), and for the closing handshake; a peer gone
 * silent is given up so that a reconnect finds it once it is back. A dead
 * peer of an open connection is found by TCP keepalive.
 */
#define WS_CLOSE_TIMEOUT_MS 2000
#define WS_KEEPALIVE_IDLE_S 30
#define WS_KEEPALIVE_PROBES 3
#define WS_KEEPALIVE_INTERVAL_S 10

struct ws_msg {
	struct ws_msg *next;
	size_t len;
	bool binary;
	unsigned char buf[];   /* LWS_PRE bytes of headroom, then len bytes */
};

struct ws_conn {
	struct ws *w;                 /* NULL once ws_close has let go of it */
	struct ws_conn *prev, *next;  /* w's list */
	const struct ws_callbacks *cb;
	void *arg;
	char *host;                   /* also the Host header and TLS name */
	char *path;                   /* path and query: never logged */
	int port;
	bool tls;
	uv_getaddrinfo_t gai;
	bool resolving;               /* gai is in flight: c lives until its callback */
	bool in_connect;              /* inside lws_client_connect_via_info: c lives on */
	uv_timer_t guard;             /* the opening's or the closing's deadline */
	bool timed_out;
	struct lws *wsi;              /* NULL before the connect and after the close */
	bool opened, closing, done;
	int peer_code;                /* the server's close status, 0: none */
	struct ws_msg *out_head, *out_tail;
	char *rx;                     /* the message being reassembled */
	size_t rx_len, rx_cap;
	bool rx_binary, rx_dropping;
};

struct ws {
	uv_loop_t *loop;
	struct lws_context *ctx;      /* NULL once libwebsockets freed it */
	bool closed;
	struct ws_conn *conns;
	size_t n;
	uint64_t open_timeout_ms;
};

static void conn_unlink(struct ws_conn *c)
{
	struct ws *w = c->w;

	if (!w)
		return;
	if (c->prev)
		c->prev->next = c->next;
	else
		w->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	c->prev = c->next = NULL;
	w->n--;
	c->w = NULL;
}

static void conn_freed(uv_handle_t *h)
{
	free(h->data);
}

/* The guard's handle is closed first: c goes when its callback runs. */
static void conn_free(struct ws_conn *c)
{
	while (c->out_head) {
		struct ws_msg *m = c->out_head;

		c->out_head = m->next;
		free(m);
	}
	free(c->rx);
	free(c->host);
	free(c->path);
	uv_close((uv_handle_t *)&c->guard, conn_freed);
}

/* The connection is over for its owner: on_close once; the memory goes
 * when neither libwebsockets nor the resolver refers to it any more. */
static void conn_finish(struct ws_conn *c, const char *why)
{
	if (!c->done) {
		c->done = true;
		conn_unlink(c);
		c->cb->on_close(c->arg, c, c->opened, why);
	}
	if (c->wsi) {
		lws_set_wsi_user(c->wsi, NULL);
		c->wsi = NULL;
	}
	if (!c->resolving && !c->in_connect)
		conn_free(c);
}

static void on_receive(struct ws_conn *c, const char *in, size_t len)
{
	if (lws_is_first_fragment(c->wsi)) {
		c->rx_len = 0;
		c->rx_dropping = false;
		c->rx_binary = lws_frame_is_binary(c->wsi);
	}
	if (!c->rx_dropping && c->rx_len + len > WS_MAX_MESSAGE) {
		c->rx_dropping = true;
		free(c->rx);
		c->rx = NULL;
		c->rx_len = c->rx_cap = 0;
		log_warn("ws %s: a message larger than %d bytes dropped", c->host, WS_MAX_MESSAGE);
	}
	if (!c->rx_dropping && len) {
		if (c->rx_len + len + 1 > c->rx_cap) {
			size_t cap = c->rx_cap ? c->rx_cap : 4096;
			char *p;

			while (cap < c->rx_len + len + 1)
				cap *= 2;
			p = realloc(c->rx, cap);
			if (!p) {
				c->rx_dropping = true;
				log_warn("ws %s: out of memory, a message dropped", c->host);
				return;
			}
			c->rx = p;
			c->rx_cap = cap;
		}
		memcpy(c->rx + c->rx_len, in, len);
		c->rx_len += len;
	}
	if (!lws_is_final_fragment(c->wsi))
		return;
	if (!c->rx_dropping) {
		static char empty[1];
		char *data = c->rx ? c->rx : empty;

		data[c->rx_len] = '\0';
		c->cb->on_message(c->arg, c, data, c->rx_len, c->rx_binary);
	}
	c->rx_len = 0;
	c->rx_dropping = false;
}

/* Writes the oldest queued message, or the close frame once the queue is
 * empty and a close was asked for. -1 tells libwebsockets to close. */
static int on_writable(struct ws_conn *c)
{
	struct ws_msg *m = c->out_head;

	if (!m) {
		if (!c->closing)
			return 0;
		lws_close_reason(c->wsi, LWS_CLOSE_STATUS_NORMAL, (unsigned char *)"bye", 3);
		return -1;
	}
	c->out_head = m->next;
	if (!c->out_head)
		c->out_tail = NULL;
	if (lws_write(c->wsi, m->buf + LWS_PRE, m->len,
	              m->binary ? LWS_WRITE_BINARY : LWS_WRITE_TEXT) < (int)m->len) {
		free(m);
		return -1;
	}
	free(m);
	if (c->out_head || c->closing)
		lws_callback_on_writable(c->wsi);
	return 0;
}

static int ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                       size_t len)
{
	struct ws_conn *c = user;
	char why[96];

	if (!c)
		return 0;
	/* The first callback may come before lws_client_connect_via_info
	 * returns the wsi. */
	c->wsi = wsi;
	switch (reason) {
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
	/* Killed before the upgrade (our guard) ends this way. */
	case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
		if (c->closing)
			snprintf(why, sizeof why, "closed");
		else if (c->timed_out)
			snprintf(why, sizeof why, "connection failed: timed out");
		else
			snprintf(why, sizeof why, "connection failed: %.60s",
			         reason == LWS_CALLBACK_CLIENT_CONNECTION_ERROR && in
			                 ? (const char *)in
			                 : "closed before the upgrade");
		conn_finish(c, why);
		return 0;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		c->opened = true;
		uv_timer_stop(&c->guard);
		c->cb->on_open(c->arg, c);
		if (c->wsi && (c->out_head || c->closing))
			lws_callback_on_writable(c->wsi);
		return 0;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		if (!c->closing)
			on_receive(c, in, len);
		return 0;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		return on_writable(c);
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		if (in && len >= 2)
			c->peer_code = ((const unsigned char *)in)[0] << 8 |
			               ((const unsigned char *)in)[1];
		else
			c->peer_code = LWS_CLOSE_STATUS_NO_STATUS;
		return 0;
	case LWS_CALLBACK_CLIENT_CLOSED:
		if (c->closing || c->timed_out)
			snprintf(why, sizeof why, "closed");
		else if (c->peer_code)
			snprintf(why, sizeof why, "closed by the server (status %d)", c->peer_code);
		else
			snprintf(why, sizeof why, "connection lost");
		conn_finish(c, why);
		return 0;
	case LWS_CALLBACK_WSI_DESTROY:
		/* Whatever way it went, the owner hears of it once. */
		conn_finish(c, c->closing ? "closed" : "connection lost");
		return 0;
	default:
		return 0;
	}
}

static const struct lws_protocols protocols[] = {
	{.name = "cqod-ws", .callback = ws_callback},
	{0},
};

int ws_open(uv_loop_t *loop, const char *ca_file, struct ws **out)
{
	struct lws_context_creation_info info;
	void *foreign_loops[1] = {loop};
	struct ws *w = calloc(1, sizeof *w);

	if (!w)
		return -ENOMEM;
	/* Its own log lines would carry URLs (tickets) and peer text: we say
	 * what happened ourselves. */
	lws_set_log_level(0, NULL);
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.options = LWS_SERVER_OPTION_LIBUV | LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.foreign_loops = foreign_loops;
	info.client_ssl_ca_filepath = ca_file;
	info.ka_time = WS_KEEPALIVE_IDLE_S;
	info.ka_probes = WS_KEEPALIVE_PROBES;
	info.ka_interval = WS_KEEPALIVE_INTERVAL_S;
	info.user = w;
	info.pcontext = &w->ctx;
	w->loop = loop;
	w->open_timeout_ms = WS_OPEN_TIMEOUT_MS;
	w->ctx = lws_create_context(&info);
	if (!w->ctx) {
		free(w);
		return -EIO;
	}
	*out = w;
	return 0;
}

/* Splits ws[s]://host[:port][/path] into c's fields. 0 or -EINVAL. */
static int parse_url(struct ws_conn *c, const char *url)
{
	const char *p, *host, *host_end, *rest;
	size_t hlen;
	long port;

	if (strncmp(url, "ws://", 5) == 0) {
		p = url + 5;
		c->port = 80;
	} else if (strncmp(url, "wss://", 6) == 0) {
		p = url + 6;
		c->port = 443;
		c->tls = true;
	} else {
		return -EINVAL;
	}
	rest = p + strcspn(p, "/?");
	if (*p == '[') {
		host = p + 1;
		host_end = memchr(host, ']', (size_t)(rest - host));
		if (!host_end)
			return -EINVAL;
		p = host_end + 1;
	} else {
		host = p;
		host_end = memchr(p, ':', (size_t)(rest - p));
		if (!host_end)
			host_end = rest;
		p = host_end;
	}
	if (p < rest) {
		char *end;

		if (*p != ':')
			return -EINVAL;
		port = strtol(p + 1, &end, 10);
		if (end != rest || port < 1 || port > 65535)
			return -EINVAL;
		c->port = (int)port;
	}
	hlen = (size_t)(host_end - host);
	if (!hlen || hlen > 253 || memchr(host, '@', hlen))
		return -EINVAL;
	c->host = strndup(host, hlen);
	/* "host?q" asks for "/?q". */
	if (asprintf(&c->path, "%s%s", *rest == '/' ? "" : "/", rest) < 0)
		c->path = NULL;
	return c->host && c->path ? 0 : -ENOMEM;
}

/* The opening or the closing took too long, or a close of a connection not
 * yet open was asked for: end it now (its callbacks run from here). */
static void on_guard(uv_timer_t *t)
{
	struct ws_conn *c = t->data;

	if (!c->wsi || c->done)
		return;
	if (!c->closing)
		c->timed_out = true;
	lws_set_timeout(c->wsi, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_SYNC);
}

static void on_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
	struct ws_conn *c = req->data;
	struct lws_client_connect_info i;
	struct lws *wsi;
	char addr[64] = "";

	c->resolving = false;
	if (status == 0 && res) {
		if (res->ai_family == AF_INET6)
			uv_ip6_name((struct sockaddr_in6 *)res->ai_addr, addr, sizeof addr);
		else
			uv_ip4_name((struct sockaddr_in *)res->ai_addr, addr, sizeof addr);
	}
	uv_freeaddrinfo(res);
	if (c->done) {   /* closed meanwhile */
		conn_free(c);
		return;
	}
	if (c->closing) {
		conn_finish(c, "closed");
		return;
	}
	if (status < 0 || !*addr) {
		char why[96];

		snprintf(why, sizeof why, "cannot resolve the host: %s",
		         status < 0 ? uv_strerror(status) : "no address");
		conn_finish(c, why);
		return;
	}
	memset(&i, 0, sizeof i);
	i.context = c->w->ctx;
	i.address = addr;
	i.port = c->port;
	i.path = c->path;
	i.host = c->host;
	i.origin = c->host;
	i.ssl_connection = c->tls ? LCCSCF_USE_SSL : 0;
	i.local_protocol_name = protocols[0].name;
	i.userdata = c;
	/* A failure inside this call comes through the callback (c->done), or
	 * only as the NULL answer. */
	c->in_connect = true;
	wsi = lws_client_connect_via_info(&i);
	c->in_connect = false;
	if (c->done)
		conn_free(c);
	else if (!wsi)
		conn_finish(c, "connection failed: refused by libwebsockets");
	else {
		c->wsi = wsi;
		uv_timer_start(&c->guard, on_guard, c->w->open_timeout_ms, 0);
	}
}

void ws_set_open_timeout(struct ws *w, uint64_t ms)
{
	w->open_timeout_ms = ms;
}

int ws_connect(struct ws *w, const char *url, const struct ws_callbacks *cb, void *arg,
               struct ws_conn **out)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM};
	struct ws_conn *c;
	int rc;

	if (!w || w->closed)
		return -ESHUTDOWN;
	c = calloc(1, sizeof *c);
	if (!c)
		return -ENOMEM;
	uv_timer_init(w->loop, &c->guard);
	c->guard.data = c;
	rc = parse_url(c, url);
	if (rc < 0) {
		conn_free(c);
		return rc;
	}
	c->cb = cb;
	c->arg = arg;
	c->gai.data = c;
	rc = uv_getaddrinfo(w->loop, &c->gai, on_resolved, c->host, NULL, &hints);
	if (rc < 0) {
		conn_free(c);
		return -EIO;
	}
	c->resolving = true;
	c->w = w;
	c->next = w->conns;
	if (w->conns)
		w->conns->prev = c;
	w->conns = c;
	w->n++;
	if (out)
		*out = c;
	return 0;
}

int ws_send(struct ws_conn *c, const void *data, size_t len, bool binary)
{
	struct ws_msg *m;

	if (len > WS_MAX_MESSAGE)
		return -EMSGSIZE;
	if (c->closing || c->done)
		return -ENOTCONN;
	m = malloc(sizeof *m + LWS_PRE + len);
	if (!m)
		return -ENOMEM;
	m->next = NULL;
	m->len = len;
	m->binary = binary;
	memcpy(m->buf + LWS_PRE, data, len);
	if (c->out_tail)
		c->out_tail->next = m;
	else
		c->out_head = m;
	c->out_tail = m;
	if (c->opened && c->wsi)
		lws_callback_on_writable(c->wsi);
	return 0;
}

void ws_conn_close(struct ws_conn *c)
{
	if (c->closing || c->done)
		return;
	c->closing = true;
	if (c->resolving) {
		uv_cancel((uv_req_t *)&c->gai);
	} else if (c->opened) {
		lws_callback_on_writable(c->wsi);
		uv_timer_start(&c->guard, on_guard, WS_CLOSE_TIMEOUT_MS, 0);
	} else if (c->wsi) {
		uv_timer_start(&c->guard, on_guard, 0, 0);
	}
}

size_t ws_conn_count(const struct ws *w)
{
	return w ? w->n : 0;
}

void ws_close(struct ws *w)
{
	if (!w || w->closed)
		return;
	w->closed = true;
	while (w->conns) {
		struct ws_conn *c = w->conns;

		if (c->resolving)
			uv_cancel((uv_req_t *)&c->gai);
		conn_finish(c, "closed: shutting down");
	}
	lws_context_destroy(w->ctx);
}

void ws_free(struct ws *w)
{
	if (!w)
		return;
	ws_close(w);
	/* On a foreign loop libwebsockets 4.1 frees the context only when
	 * asked again once its handles have closed. */
	if (w->ctx)
		lws_context_destroy(w->ctx);
	free(w);
}
