/*
 * libcurl's multi interface driven by the libuv loop; see httpout.h.
 *
 * How the two meet, and what this file guarantees:
 *
 *  - libcurl owns the sockets and tells us, through CURLMOPT_SOCKETFUNCTION,
 *    what to wait for on each (IN, OUT, INOUT or REMOVE). Each socket gets one
 *    uv_poll_t, remembered with curl_multi_assign() and by descriptor number
 *    (h->socks). libcurl removes a keep-alive connection's socket between
 *    its requests: REMOVE does not close the poll, and the next socket
 *    libcurl reports with that number (the same connection, usually) takes
 *    it again instead of a new one. A poll waiting for input only stays so
 *    over the REMOVE, unreferenced (it keeps no loop running), because
 *    libuv turns every uv_poll_start into one or two epoll_ctl calls, even
 *    for the same events: the connection's next request, which waits for
 *    input again, then costs none (a poll is restarted only when its events
 *    change). Input while libcurl does not watch the socket (the peer
 *    closing the connection) stops that poll at once; libcurl finds out
 *    when it reuses or closes the connection. Any other poll is stopped at
 *    the REMOVE. A poll lives no longer than its descriptor: libcurl closes its
 *    connections' sockets through our CURLOPT_CLOSESOCKETFUNCTION, which
 *    closes the socket's poll first (at once when stopped, at its REMOVE
 *    otherwise), so no poll is ever stopped or closed on a number that
 *    meanwhile belongs to another handle of the loop (libuv drops the
 *    descriptor's epoll registration then). Only those sockets keep their
 *    poll over a REMOVE: CURLOPT_SOCKOPTFUNCTION marks them (h->conn) as
 *    libcurl makes them; any other (the threaded resolver's socketpair,
 *    which libcurl closes itself right after its REMOVE) has its poll
 *    closed at its REMOVE. The memory is freed only in the close callback,
 *    as libuv requires.
 *  - libcurl asks for one timer through CURLMOPT_TIMERFUNCTION: we keep one
 *    uv_timer_t, (re)started one-shot with the delay asked for; -1 stops it.
 *    Neither callback calls back into libcurl: readiness and expiry are
 *    reported from the uv callbacks with curl_multi_socket_action(), with
 *    CURL_CSELECT_ERR when libuv reports an error on the socket.
 *  - After every curl_multi_socket_action() call, whatever it returned,
 *    curl_multi_info_read() is drained, so a finished transfer is completed
 *    in the same loop iteration. If libcurl reports a multi-level error, every
 *    transfer in flight is failed rather than left hanging.
 *  - Each transfer links back to its request with CURLOPT_PRIVATE; its done
 *    callback runs exactly once, after the easy handle left the multi handle.
 *    Callbacks may start requests, cancel, or close; closing from inside a
 *    callback is deferred until the dispatch loop that called it returns
 *    (h->depth), so nothing is freed under our feet.
 *  - Closing: transfers are cancelled, then curl_multi_cleanup() runs while
 *    the loop still exists (it may call the socket callback to remove
 *    sockets), then the timer is closed; h is freed when the last of its
 *    handles has been closed.
 *  - Transfers are reused: a finished one goes back to a pool of at most
 *    POOL_MAX with its easy handle, its buffers and its header list (kept
 *    only while the next request asks for the same headers), so a request
 *    costs no easy handle, buffer or list of its own. The handle keeps its
 *    options too: those every request has (callbacks, limits, TLS checks,
 *    the CA file) are set when it is made, and each request sets all the
 *    others it may use (URL, timeout, headers, method, custom method, body),
 *    so nothing of the last request's carries over; only a multipart body
 *    (its MIME tree is freed with the request) or another CA file resets
 *    the handle (curl_easy_reset) and sets them all again. Live connections
 *    stay in the multi handle's cache either way.
 *  - TLS verification is always on; no transfer uses signals (CURLOPT_NOSIGNAL,
 *    we are one thread on an event loop); responses are capped at
 *    HTTPOUT_MAX_RESPONSE so a misbehaving peer cannot grow our memory.
 */
#include "httpout.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../lib/log.h"

#define USER_AGENT "cqod/1.0"
#define MAX_HEADER_BYTES (64 * 1024)
/* Finished transfers kept for reuse; beyond it they are freed. */
#define POOL_MAX 128
/* A reused transfer keeps response buffers up to this size. */
#define KEEP_BUFFER 16384

struct transfer {
	struct transfer *prev, *next;
	struct httpout *h;
	CURL *easy;
	struct curl_slist *headers;
	curl_mime *mime;          /* a multipart body; owned */
	char *ca;                 /* the handle's CA file; NULL: the system's; owned */
	bool dirty;               /* options to reset before the next request */
	httpout_done_fn done;
	void *arg;
	char *body;               /* response body so far; owned */
	size_t len, cap;
	bool too_large;
	char *hdrs;               /* final response's headers: "name\0value\0"...; owned */
	size_t hlen, hcap;
	char errbuf[CURL_ERROR_SIZE];
};

struct sock {
	uv_poll_t poll;
	struct httpout *h;
	curl_socket_t fd;
	int events;               /* UV_READABLE | UV_WRITABLE it is started for; 0 stopped */
	bool idle;                /* removed by libcurl, its socket still open */
	bool fd_closed;           /* libcurl closed the socket before its REMOVE */
};

struct httpout {
	uv_loop_t *loop;
	CURLM *multi;
	uv_timer_t timer;
	struct transfer *head;    /* transfers in flight */
	size_t n;
	struct transfer *pool;    /* finished transfers to reuse, on ->next */
	size_t n_pool;
	struct sock **socks;      /* the polls by descriptor number; owned */
	bool *conn;               /* by descriptor number: a connection's socket,
	                           * closed through on_curl_close; owned */
	size_t n_socks;           /* entries of socks and of conn */
	unsigned handles_open;    /* the timer and the socket polls not yet closed */
	int depth;                /* > 0 while callbacks are being dispatched */
	bool closing, cleaned;
};

static void handle_closed(struct httpout *h)
{
	if (--h->handles_open == 0 && h->cleaned)
		free(h);
}

static void on_sock_closed(uv_handle_t *hd)
{
	struct sock *s = hd->data;
	struct httpout *h = s->h;

	free(s);
	handle_closed(h);
}

static void on_timer_closed(uv_handle_t *hd)
{
	handle_closed(hd->data);
}

static void link_transfer(struct httpout *h, struct transfer *t)
{
	t->next = h->head;
	if (h->head)
		h->head->prev = t;
	h->head = t;
	h->n++;
}

static void unlink_transfer(struct httpout *h, struct transfer *t)
{
	if (t->prev)
		t->prev->next = t->next;
	else
		h->head = t->next;
	if (t->next)
		t->next->prev = t->prev;
	t->prev = t->next = NULL;
	h->n--;
}

static void transfer_free(struct transfer *t)
{
	if (t->easy)
		curl_easy_cleanup(t->easy);
	curl_slist_free_all(t->headers);
	curl_mime_free(t->mime);
	free(t->ca);
	free(t->body);
	free(t->hdrs);
	free(t);
}

/* A transfer for a new request: from the pool, or new. NULL without
 * memory. */
static struct transfer *transfer_get(struct httpout *h)
{
	struct transfer *t = h->pool;

	if (t) {
		h->pool = t->next;
		h->n_pool--;
		t->next = NULL;
		return t;
	}
	t = calloc(1, sizeof *t);
	if (t && !(t->easy = curl_easy_init())) {
		free(t);
		t = NULL;
	}
	if (t) {
		t->h = h;
		/* Its options are set by the first request. */
		t->dirty = true;
	}
	return t;
}

/* Done with t (not linked, not in the multi handle): back to the pool,
 * emptied, or freed. */
static void transfer_put(struct transfer *t)
{
	struct httpout *h = t->h;

	if (h->closing || h->n_pool >= POOL_MAX) {
		transfer_free(t);
		return;
	}
	curl_mime_free(t->mime);
	t->mime = NULL;
	if (t->cap > KEEP_BUFFER) {
		free(t->body);
		t->body = NULL;
		t->cap = 0;
	}
	if (t->hcap > KEEP_BUFFER) {
		free(t->hdrs);
		t->hdrs = NULL;
		t->hcap = 0;
	}
	if (t->body)
		t->body[0] = '\0';
	t->len = t->hlen = 0;
	t->too_large = false;
	t->done = NULL;
	t->arg = NULL;
	t->errbuf[0] = '\0';
	t->prev = NULL;
	t->next = h->pool;
	h->pool = t;
	h->n_pool++;
}

static void pool_free(struct httpout *h)
{
	while (h->pool) {
		struct transfer *t = h->pool;

		h->pool = t->next;
		transfer_free(t);
	}
	h->n_pool = 0;
}

/* Takes t (already unlinked) out of the multi handle, calls its done
 * callback once and puts it back (transfer_put). `override` replaces
 * curl's outcome. */
static void transfer_finish(struct transfer *t, CURLcode code, const char *override)
{
	struct httpout *h = t->h;
	struct httpout_response res = {.body = t->body ? t->body : "", .len = t->len, .priv = t};
	CURLMcode mc;

	mc = curl_multi_remove_handle(h->multi, t->easy);
	if (mc != CURLM_OK)
		log_warn("curl_multi_remove_handle: %s", curl_multi_strerror(mc));
	if (curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &res.status) != CURLE_OK)
		res.status = 0;
	if (override) {
		res.error = override;
	} else if (code == CURLE_OPERATION_TIMEDOUT) {
		res.error = "timed out";
		res.timed_out = true;
	} else if ((code == CURLE_WRITE_ERROR && t->too_large) || code == CURLE_FILESIZE_EXCEEDED) {
		res.error = "response too large";
	} else if (code != CURLE_OK) {
		res.error = t->errbuf[0] ? t->errbuf : curl_easy_strerror(code);
	}
	t->done(t->arg, &res);
	transfer_put(t);
}

/* Closes s and forgets it. */
static void sock_close(struct sock *s)
{
	struct httpout *h = s->h;

	if ((size_t)s->fd < h->n_socks && h->socks[s->fd] == s)
		h->socks[s->fd] = NULL;
	uv_close((uv_handle_t *)&s->poll, on_sock_closed);
}

/* Closes the polls left (libcurl has closed its sockets by then). */
static void socks_close(struct httpout *h)
{
	for (size_t i = 0; i < h->n_socks; i++)
		if (h->socks[i])
			sock_close(h->socks[i]);
	free(h->socks);
	h->socks = NULL;
	free(h->conn);
	h->conn = NULL;
	h->n_socks = 0;
}

/* Room in h->socks for descriptor fd: 0 or -ENOMEM. */
static int socks_room(struct httpout *h, size_t fd)
{
	size_t n = h->n_socks ? h->n_socks : 64;
	struct sock **v;
	bool *c;

	if (fd < h->n_socks)
		return 0;
	while (n <= fd)
		n *= 2;
	v = realloc(h->socks, n * sizeof *v);
	if (!v)
		return -ENOMEM;
	memset(v + h->n_socks, 0, (n - h->n_socks) * sizeof *v);
	h->socks = v;
	c = realloc(h->conn, n * sizeof *c);
	if (!c)
		return -ENOMEM;
	memset(c + h->n_socks, 0, (n - h->n_socks) * sizeof *c);
	h->conn = c;
	h->n_socks = n;
	return 0;
}

/* CURLOPT_SOCKOPTFUNCTION: a connection's socket, just made; libcurl
 * closes it through on_curl_close, so its poll may be kept between its
 * requests. Without room to mark it, it is not kept. */
static int on_curl_sockopt(void *clientp, curl_socket_t fd, curlsocktype purpose)
{
	struct httpout *h = clientp;

	(void)purpose;
	if (fd >= 0 && socks_room(h, (size_t)fd) == 0)
		h->conn[fd] = true;
	return CURL_SOCKOPT_OK;
}

/* CURLOPT_CLOSESOCKETFUNCTION: the socket's poll goes first (see the top). */
static int on_curl_close(void *clientp, curl_socket_t fd)
{
	struct httpout *h = clientp;
	struct sock *s = fd >= 0 && (size_t)fd < h->n_socks ? h->socks[fd] : NULL;

	if (fd >= 0 && (size_t)fd < h->n_socks)
		h->conn[fd] = false;
	if (s && s->idle)
		sock_close(s);
	else if (s)
		s->fd_closed = true;
	return close(fd);
}

static void finish_close(struct httpout *h)
{
	CURLMcode mc;

	if (!h->closing || h->depth > 0 || h->cleaned)
		return;
	pool_free(h);
	/* May call the socket callback (REMOVE), which closes the polls. */
	mc = curl_multi_cleanup(h->multi);
	if (mc != CURLM_OK)
		log_warn("curl_multi_cleanup: %s", curl_multi_strerror(mc));
	socks_close(h);
	h->multi = NULL;
	h->cleaned = true;
	uv_close((uv_handle_t *)&h->timer, on_timer_closed);
}

/* Fails the transfers in flight now. The list is detached first, so
 * transfers started by the callbacks are left running. */
static void fail_all(struct httpout *h, const char *why)
{
	struct transfer *list = h->head;

	h->head = NULL;
	h->n = 0;
	h->depth++;
	while (list) {
		struct transfer *t = list;

		list = t->next;
		t->prev = t->next = NULL;
		transfer_finish(t, CURLE_OK, why);
	}
	h->depth--;
	finish_close(h);
}

static void drain(struct httpout *h)
{
	CURLMsg *msg;
	int left;

	h->depth++;
	while (h->multi && (msg = curl_multi_info_read(h->multi, &left))) {
		struct transfer *t = NULL;
		CURLcode code = msg->data.result;

		if (msg->msg != CURLMSG_DONE)
			continue;
		if (curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&t) != CURLE_OK ||
		    !t) {
			CURL *e = msg->easy_handle;

			log_error("httpout: finished transfer without its request");
			if (curl_multi_remove_handle(h->multi, e) != CURLM_OK)
				log_error("httpout: cannot remove an orphan transfer");
			continue;
		}
		unlink_transfer(h, t);
		transfer_finish(t, code, NULL);
	}
	h->depth--;
	finish_close(h);
}

static void socket_action(struct httpout *h, curl_socket_t fd, int flags)
{
	int running = 0;
	CURLMcode mc = curl_multi_socket_action(h->multi, fd, flags, &running);

	if (mc != CURLM_OK) {
		log_error("curl_multi_socket_action: %s", curl_multi_strerror(mc));
		drain(h);
		fail_all(h, curl_multi_strerror(mc));
		return;
	}
	drain(h);
}

static void on_poll(uv_poll_t *p, int status, int events)
{
	struct sock *s = p->data;
	int flags = 0;

	if (s->idle) {
		/* Not libcurl's to hear now; stopped, so it does not fire again. */
		uv_poll_stop(p);
		s->events = 0;
		return;
	}

	if (status < 0) {
		flags = CURL_CSELECT_ERR;
	} else {
		if (events & UV_READABLE)
			flags |= CURL_CSELECT_IN;
		if (events & UV_WRITABLE)
			flags |= CURL_CSELECT_OUT;
	}
	socket_action(s->h, s->fd, flags);
}

static void on_timer(uv_timer_t *t)
{
	socket_action(t->data, CURL_SOCKET_TIMEOUT, 0);
}

static int on_curl_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
	struct httpout *h = userp;
	struct sock *s = socketp;
	int events = 0, rc;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (s) {
			/* libcurl forgets the socketp of a removed socket itself. */
			if (h->closing || s->fd_closed || !h->conn[s->fd]) {
				sock_close(s);
			} else {
				if (s->events != UV_READABLE) {
					uv_poll_stop(&s->poll);
					s->events = 0;
				}
				uv_unref((uv_handle_t *)&s->poll);
				s->idle = true;
			}
		}
		return 0;
	}
	if (!s && fd >= 0 && (size_t)fd < h->n_socks && h->socks[fd]) {
		s = h->socks[fd];
		s->idle = s->fd_closed = false;
		uv_ref((uv_handle_t *)&s->poll);
		if (curl_multi_assign(h->multi, fd, s) != CURLM_OK) {
			sock_close(s);
			return -1;
		}
	} else if (!s) {
		if (fd < 0 || socks_room(h, (size_t)fd) < 0)
			return -1;
		s = calloc(1, sizeof *s);
		if (!s)
			return -1;
		rc = uv_poll_init_socket(h->loop, &s->poll, fd);
		if (rc < 0) {
			log_error("httpout: cannot watch socket %d: %s", (int)fd, uv_strerror(rc));
			free(s);
			return -1;
		}
		s->h = h;
		s->fd = fd;
		s->poll.data = s;
		h->handles_open++;
		h->socks[fd] = s;
		if (curl_multi_assign(h->multi, fd, s) != CURLM_OK) {
			sock_close(s);
			return -1;
		}
	}
	if (what & CURL_POLL_IN)
		events |= UV_READABLE;
	if (what & CURL_POLL_OUT)
		events |= UV_WRITABLE;
	if (events == s->events)
		return 0;
	rc = uv_poll_start(&s->poll, events, on_poll);
	if (rc < 0) {
		log_error("httpout: cannot poll socket %d: %s", (int)fd, uv_strerror(rc));
		s->events = 0;
		return -1;
	}
	s->events = events;
	return 0;
}

static int on_curl_timer(CURLM *multi, long timeout_ms, void *userp)
{
	struct httpout *h = userp;

	(void)multi;
	if (timeout_ms < 0)
		return uv_timer_stop(&h->timer) < 0 ? -1 : 0;
	return uv_timer_start(&h->timer, on_timer, (uint64_t)timeout_ms, 0) < 0 ? -1 : 0;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userp)
{
	struct transfer *t = userp;
	size_t n = size * nmemb;

	if (n > HTTPOUT_MAX_RESPONSE - t->len) {
		t->too_large = true;
		return 0;
	}
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 1024;
		char *b;

		while (cap < t->len + n + 1)
			cap *= 2;
		b = realloc(t->body, cap);
		if (!b)
			return 0;
		t->body = b;
		t->cap = cap;
	}
	memcpy(t->body + t->len, data, n);
	t->len += n;
	t->body[t->len] = '\0';
	return n;
}

/* Keeps the headers of the last response only (a 100 Continue or a proxy's
 * answer comes first), as "name\0value\0" pairs. */
static size_t on_header(char *data, size_t size, size_t nitems, void *userp)
{
	struct transfer *t = userp;
	size_t n = size * nitems, nl, vs, ve;
	const char *colon;

	if (n >= 5 && memcmp(data, "HTTP/", 5) == 0) {
		t->hlen = 0;
		return n;
	}
	colon = memchr(data, ':', n);
	if (!colon || colon == data)
		return n;
	nl = (size_t)(colon - data);
	for (vs = nl + 1; vs < n && (data[vs] == ' ' || data[vs] == '\t'); vs++)
		;
	for (ve = n; ve > vs && (data[ve - 1] == '\r' || data[ve - 1] == '\n' ||
	                         data[ve - 1] == ' ' || data[ve - 1] == '\t');
	     ve--)
		;
	if (t->hlen + nl + (ve - vs) + 2 > MAX_HEADER_BYTES)
		return n;
	if (t->hlen + nl + (ve - vs) + 2 > t->hcap) {
		size_t cap = t->hcap ? t->hcap : 512;
		char *b;

		while (cap < t->hlen + nl + (ve - vs) + 2)
			cap *= 2;
		b = realloc(t->hdrs, cap);
		if (!b)
			return 0;
		t->hdrs = b;
		t->hcap = cap;
	}
	memcpy(t->hdrs + t->hlen, data, nl);
	t->hlen += nl;
	t->hdrs[t->hlen++] = '\0';
	memcpy(t->hdrs + t->hlen, data + vs, ve - vs);
	t->hlen += ve - vs;
	t->hdrs[t->hlen++] = '\0';
	return n;
}

const char *httpout_response_header(const struct httpout_response *res, const char *name)
{
	const struct transfer *t = res->priv;
	size_t o = 0;

	while (t && o < t->hlen) {
		const char *k = t->hdrs + o;
		const char *v = k + strlen(k) + 1;

		if (strcasecmp(k, name) == 0)
			return v;
		o = (size_t)(v + strlen(v) + 1 - t->hdrs);
	}
	return NULL;
}

/* The request's parts as t's MIME body; libcurl copies each part's data. */
static CURLcode set_mime(struct transfer *t, const struct httpout_req *req)
{
	CURLcode c = CURLE_OK;

	if (!(t->mime = curl_mime_init(t->easy)))
		return CURLE_OUT_OF_MEMORY;
	for (size_t i = 0; !c && i < req->n_parts; i++) {
		const struct httpout_part *p = &req->parts[i];
		curl_mimepart *part = curl_mime_addpart(t->mime);

		if (!part)
			return CURLE_OUT_OF_MEMORY;
		c = curl_mime_name(part, p->name);
		if (!c)
			c = curl_mime_data(part, p->data ? p->data : "", p->len);
		if (!c && p->filename)
			c = curl_mime_filename(part, p->filename);
		if (!c && p->type)
			c = curl_mime_type(part, p->type);
	}
	if (!c)
		c = curl_easy_setopt(t->easy, CURLOPT_MIMEPOST, t->mime);
	return c;
}

/* No "Expect: 100-continue" round trip before a POST body. */
#define EXPECT_NONE "Expect:"

/* Whether list (a reused transfer's) is headers followed by EXPECT_NONE. */
static bool same_headers(const struct curl_slist *list, const char *const *headers)
{
	for (const char *const *hd = headers; hd && *hd; hd++, list = list->next)
		if (!list || strcmp(list->data, *hd) != 0)
			return false;
	return list && !list->next && strcmp(list->data, EXPECT_NONE) == 0;
}

/* The options every request of the handle has. */
static CURLcode set_fixed(struct transfer *t)
{
	CURL *e = t->easy;
	CURLcode c = curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");

	if (!c)
		c = curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	if (!c)
		c = curl_easy_setopt(e, CURLOPT_PRIVATE, t);
	if (!c)
		c = curl_easy_setopt(e, CURLOPT_CLOSESOCKETFUNCTION, on_curl_close);
	if (!c)
		c = curl_easy_setopt(e, CURLOPT_CLOSESOCKETDATA, t->h);
	if (!c)
		c = curl_easy_setopt(e, CURLOPT_SOCKOPTFUNCTION, on_curl_sockopt);
	if (!c)
		c = curl_easy_setopt(e, CURLOPT_SOCKOPTDATA, t->h);
	if (!c)
		c = curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
	if (!c)
		c = curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	if (!c)
		c = curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
	if (!c)
		c = curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	if (!c)
		c = curl_easy_setopt(e, CURLOPT_HEADERDATA, t);
	if (!c)
		c = curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	if (!c)
		c = curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (!c && t->ca)
		c = curl_easy_setopt(e, CURLOPT_CAINFO, t->ca);
	if (!c)
		c = curl_easy_setopt(e, CURLOPT_USERAGENT, USER_AGENT);
	if (!c)
		c = curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)HTTPOUT_MAX_RESPONSE);
	return c;
}

/* Whether the handle's CA file is the one asked for. */
static bool same_ca(const char *have, const char *want)
{
	return have && want ? strcmp(have, want) == 0 : have == want;
}

static int set_options(struct transfer *t, const struct httpout_req *req)
{
	CURL *e = t->easy;
	long timeout = req->timeout_ms ? (long)req->timeout_ms : HTTPOUT_DEFAULT_TIMEOUT_MS;
	const char *custom = req->method == HTTPOUT_PATCH ? "PATCH"
	                     : req->method == HTTPOUT_PUT ? "PUT" : NULL;
	CURLcode c = CURLE_OK;

	if (t->dirty || !same_ca(t->ca, req->ca_file)) {
		curl_easy_reset(e);
		free(t->ca);
		t->ca = NULL;
		if (req->ca_file && !(t->ca = strdup(req->ca_file)))
			return -ENOMEM;
		c = set_fixed(t);
		if (c)
			return c == CURLE_OUT_OF_MEMORY ? -ENOMEM : -EIO;
	}
	if (!same_headers(t->headers, req->headers)) {
		curl_slist_free_all(t->headers);
		t->headers = NULL;
		for (const char *const *hd = req->headers; hd && *hd; hd++) {
			struct curl_slist *l = curl_slist_append(t->headers, *hd);

			if (!l)
				return -ENOMEM;
			t->headers = l;
		}
		struct curl_slist *l = curl_slist_append(t->headers, EXPECT_NONE);
		if (!l)
			return -ENOMEM;
		t->headers = l;
	}

	/* A request that fails half set up leaves the handle to be reset. */
	t->dirty = true;
	c = curl_easy_setopt(e, CURLOPT_URL, req->url);
	if (!c)
		c = curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout);
	if (!c)
		c = curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
	if (!c)
		c = curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, custom);
	if (!c && req->method == HTTPOUT_GET)
		c = curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
	if (!c && req->method == HTTPOUT_POST && req->n_parts) {
		/* The MIME tree goes with the request: reset before the next. */
		c = set_mime(t, req);
		if (c == CURLE_OK)
			return 0;
	} else if (!c && req->method != HTTPOUT_GET) {
		/* PATCH and PUT: a POST's body under another name. */
		c = curl_easy_setopt(e, CURLOPT_POST, 1L);
		if (!c)
			c = curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
		if (!c)
			c = curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, req->body ? req->body : "");
	}
	if (c == CURLE_OUT_OF_MEMORY)
		return -ENOMEM;
	if (c)
		return -EIO;
	t->dirty = false;
	return 0;
}

int httpout_request(struct httpout *h, const struct httpout_req *req, httpout_done_fn done,
                    void *arg)
{
	struct transfer *t;
	CURLMcode mc;
	int rc;

	if (h->closing)
		return -ESHUTDOWN;
	if (!req->url || (strncmp(req->url, "https://", 8) != 0 &&
	                  strncmp(req->url, "http://", 7) != 0) ||
	    (req->method != HTTPOUT_GET && req->method != HTTPOUT_POST &&
	     req->method != HTTPOUT_PATCH && req->method != HTTPOUT_PUT) ||
	    ((req->method == HTTPOUT_PATCH || req->method == HTTPOUT_PUT) && req->n_parts) ||
	    (req->body_len && !req->body) || (req->n_parts && !req->parts))
		return -EINVAL;
	t = transfer_get(h);
	if (!t)
		return -ENOMEM;
	t->done = done;
	t->arg = arg;
	rc = set_options(t, req);
	if (rc < 0) {
		transfer_free(t);
		return rc;
	}
	/* Adding only arms the timer (CURLMOPT_TIMERFUNCTION); the transfer
	 * starts from the loop, so done never runs inside this call. */
	mc = curl_multi_add_handle(h->multi, t->easy);
	if (mc != CURLM_OK) {
		log_error("curl_multi_add_handle: %s", curl_multi_strerror(mc));
		transfer_put(t);
		return mc == CURLM_OUT_OF_MEMORY ? -ENOMEM : -EIO;
	}
	link_transfer(h, t);
	return 0;
}

size_t httpout_in_flight(const struct httpout *h)
{
	return h->n;
}

size_t httpout_pooled(const struct httpout *h)
{
	return h->n_pool;
}

void httpout_cancel_all(struct httpout *h)
{
	fail_all(h, "cancelled");
}

void httpout_close(struct httpout *h)
{
	if (h->closing)
		return;
	h->closing = true;
	fail_all(h, "cancelled");
}

int httpout_open(uv_loop_t *loop, struct httpout **out)
{
	static bool curl_ready;
	struct httpout *h;
	CURLMcode mc = CURLM_OK;

	*out = NULL;
	/* Once per process, before any transfer; never undone (other threads of
	 * the process, if any, may use libcurl too). */
	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			return -EIO;
		curl_ready = true;
	}
	h = calloc(1, sizeof *h);
	if (!h)
		return -ENOMEM;
	h->loop = loop;
	h->multi = curl_multi_init();
	if (!h->multi) {
		free(h);
		return -ENOMEM;
	}
	mc = curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, on_curl_socket);
	if (mc == CURLM_OK)
		mc = curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
	if (mc == CURLM_OK)
		mc = curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, on_curl_timer);
	if (mc == CURLM_OK)
		mc = curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
	if (mc != CURLM_OK || uv_timer_init(loop, &h->timer) < 0) {
		curl_multi_cleanup(h->multi);
		free(h);
		return -EIO;
	}
	h->timer.data = h;
	h->handles_open = 1;
	*out = h;
	return 0;
}
