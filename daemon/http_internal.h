/*
 * Internals of the HTTP intake, shared by its files only:
 *   http.c          the server: listen address, listener, stop and close.
 *   http_conn.c     one connection: reading, parsing, timers, answering.
 *   http_request.c  assembling a struct http_request from parser callbacks.
 *   http_response.c formatting responses into write requests.
 *   http_peer.c     client addresses: trusted proxies, per-address counts.
 */
#ifndef CQOD_HTTP_INTERNAL_H
#define CQOD_HTTP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <http_parser.h>
#include <sys/socket.h>
#include <uv.h>

#include "http.h"
#include "../lib/netaddr.h"

struct http_conn;

/* What one client address holds now. Freed when both counts are zero. */
struct http_peer {
	struct http_peer *next;     /* in its slot of struct http_peers */
	struct netaddr addr;
	unsigned conns;             /* open connections from it (any state) */
	unsigned requests;          /* requests in flight forwarded for it by a
	                               trusted proxy */
};

/* Every address with a connection or a proxied request; owns its entries. */
struct http_peers {
	struct http_peer **slots;   /* n_slots, a power of two, or none yet */
	size_t n_slots, n;
};

struct http_server {
	uv_loop_t *loop;
	uv_tcp_t listener;
	uv_timer_t gate;            /* never started; closed last so that the server
	                               is always freed from a close callback */
	uv_tcp_t refuse;            /* takes a connection there is no memory to
	                               serve, and closes it at once */
	bool refusing;              /* refuse is closing: not free yet */
	bool refuse_again;          /* a connection waits until refuse is closed */
	struct http_limits limits;  /* for connections accepted from now on */
	http_handler_fn handler;
	void *handler_arg;
	struct http_conn *conns;    /* owned: every connection not yet freed */
	size_t n_serving;           /* accepted within max_connections and not
	                               yet finished (draining ones are done) */
	size_t n_in_flight;         /* requests with the handler, not answered */
	size_t body_memory;         /* sum of body_charge over live requests */
	struct http_peers peers;    /* per-address counts */
	struct netaddr_nets proxies;   /* trusted proxies; owned */
	unsigned pending_handles;   /* listener, gate and refuse: not yet closed */
	int port;
	bool listener_open;
	bool stopped;               /* no new connections; close after answering */
	bool closing;               /* http_server_close was called */
	void (*on_closed)(void *);
	void *on_closed_arg;
};

enum http_conn_state {
	HTTP_CONN_IDLE,     /* between requests; the idle timer runs */
	HTTP_CONN_READING,  /* a request has begun; the request timer runs */
	HTTP_CONN_HANDLING, /* the request is with the handler; not reading */
	HTTP_CONN_WRITING,  /* a response is being written; bounded by a timer */
	HTTP_CONN_DRAINING, /* last response sent, our side shut down: input is
	                       discarded until EOF or the linger timer */
	HTTP_CONN_CLOSED,   /* uv_close called; freed in the last close callback */
};

enum http_part { HTTP_PART_NONE, HTTP_PART_URL, HTTP_PART_FIELD, HTTP_PART_VALUE };

/* Offsets into http_req.strings while the buffer may still move. */
struct http_hdr_off {
	size_t name;
	size_t value;
};

/* A request and what it takes to build and answer it. */
struct http_req {
	struct http_request pub;    /* first member: http_respond gets &pub */
	struct http_conn *conn;     /* borrowed; NULL once the connection closed */
	bool keep_alive;            /* the client allows another request */
	bool http10;                /* keep-alive must then be announced */
	bool head;                  /* HEAD: the response carries no body */
	char *strings;              /* owned: "url\0\0name\0value\0..." */
	size_t str_len, str_cap;
	size_t url_len;             /* strings[url_len + 1] is a shared "" */
	bool url_done;
	struct http_hdr_off *offs;  /* owned; freed when the headers complete */
	size_t n_offs, cap_offs;
	char *body_buf;             /* owned; NULL while there is no body */
	size_t body_cap;
	size_t body_expect;         /* declared Content-Length; 0 when none */
	size_t body_charge;         /* bytes counted in srv->body_memory */
	struct http_peer *client;   /* borrowed: the forwarded client whose
	                               requests count this one, or NULL */
	size_t head_bytes;          /* counted against max_header_bytes */
	enum http_part last;        /* which string the parser is delivering */
	bool headers_done;          /* later header callbacks are trailers */
};

/* A response ready for uv_write; owned by the write until its callback. */
struct http_write {
	uv_write_t req;
	struct http_conn *conn;
	bool interim;               /* "100 Continue": not the answer itself */
	size_t len;
	char data[];
};

struct http_conn {
	uv_tcp_t tcp;
	uv_timer_t timer;           /* idle, request, write or linger deadline */
	uv_shutdown_t shutdown;
	struct http_server *srv;
	struct http_conn *prev, *next;
	enum http_conn_state state;
	struct http_limits limits;  /* the server's limits when accepted */
	http_parser parser;
	struct http_req *building;  /* owned: request being parsed, or NULL */
	struct http_req *in_flight; /* owned by the handler; we only orphan it */
	char *in;                   /* owned: received bytes, parsed from in_off */
	size_t in_len, in_off, in_cap;
	char remote[64];
	struct netaddr addr;      /* the peer's; len 0 when unknown */
	struct http_peer *peer;     /* borrowed: counts this connection, or NULL
	                               (a trusted proxy, or an unknown address) */
	bool via_proxy;             /* the peer is a trusted proxy */
	int fail_status;            /* set by a parser callback refusing input */
	unsigned open_handles;
	bool counted;               /* counts in srv->n_serving */
	bool reading;
	bool close_after;           /* the current response ends the connection */
	bool peer_eof;              /* the client will send nothing more */
};

/* http.c: the connection list. */
void http_server_link(struct http_server *srv, struct http_conn *c);
void http_server_unlink(struct http_server *srv, struct http_conn *c);
void http_server_maybe_free(struct http_server *srv);

/* http_conn.c */
void http_conn_accept(struct http_server *srv);
void http_conn_stop(struct http_conn *c);
void http_conn_close(struct http_conn *c);

/* http_peer.c */
/* The entry for a, made with zero counts if new; NULL on ENOMEM. */
struct http_peer *http_peers_get(struct http_peers *t, const struct netaddr *a);
/* Frees p if it counts nothing any more. */
void http_peers_put(struct http_peers *t, struct http_peer *p);
void http_peers_free(struct http_peers *t);

/* http_request.c: each returns 0, or the HTTP status to refuse with. */
struct http_req *http_req_new(void);
void http_req_free(struct http_req *r);
int http_req_url(struct http_req *r, const char *at, size_t len, size_t max);
int http_req_field(struct http_req *r, const char *at, size_t len, size_t max);
int http_req_value(struct http_req *r, const char *at, size_t len, size_t max);
int http_req_headers_done(struct http_req *r);
int http_req_body_fits(const struct http_req *r, uint64_t more, size_t max);
/* The body buffer's capacity once `more` bytes (already checked by
 * http_req_body_fits) are appended: exactly the declared length when there
 * is one, else doubling. What http_req_body will allocate, so that it can be
 * charged first. */
size_t http_req_body_room(const struct http_req *r, size_t more);
int http_req_body(struct http_req *r, const char *at, size_t len, size_t max);
void http_req_finish(struct http_req *r);

/* http_response.c: each returns a write owned by the caller, NULL on ENOMEM. */
struct http_response {
	int status;
	const char *content_type;   /* NULL: no Content-Type */
	const char *body;
	size_t body_len;
	const char *extra_headers;  /* NULL or "Name: value\r\n..." */
	bool head;                  /* announce the length, send no body */
	bool close;                 /* "Connection: close" */
	bool announce_keep_alive;   /* HTTP/1.0 client asked for keep-alive */
};

struct http_write *http_response_build(const struct http_response *resp);
struct http_write *http_response_error(int status);
struct http_write *http_response_continue(void);

#endif
