/*
 * WebSocket client connections on the daemon's libuv loop, through
 * libwebsockets (its libuv event library, on our loop as a foreign loop).
 * The platforms' long connections (DingTalk Stream, ...) go through here;
 * nothing else in cqod talks to libwebsockets.
 *
 * Guarantees: nothing blocks the loop; wss:// peers are always verified;
 * a message (all its fragments) larger than WS_MAX_MESSAGE is dropped with
 * one warning line and never delivered; ws_connect() either returns a
 * negative error and never calls back, or returns 0 and then calls on_close
 * exactly once, later, never from inside ws_connect() itself. An opening
 * (connect, TLS, upgrade) not done within 5 s fails, as does a closing
 * handshake not answered within 2 s; TCP keepalive finds a peer that
 * vanished under an open connection. No log line
 * carries a URL's path or query (tickets travel there) or a frame's content.
 */
#ifndef CQOD_WS_CLIENT_H
#define CQOD_WS_CLIENT_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <uv.h>

#define WS_MAX_MESSAGE (1024 * 1024)

/* The default time limit of an opening (ws_set_open_timeout). */
#define WS_OPEN_TIMEOUT_MS 5000

struct ws;        /* the libwebsockets context: one per daemon */
struct ws_conn;   /* one connection */

struct ws_callbacks {
	/* The opening handshake succeeded. */
	void (*on_open)(void *arg, struct ws_conn *c);
	/* One whole message (fragments reassembled); data is borrowed for the
	 * call and NUL-terminated after len bytes. */
	void (*on_message)(void *arg, struct ws_conn *c, const char *data, size_t len,
	                   bool binary);
	/* The connection is gone: refused, failed, closed by either side or
	 * dropped. `opened` says whether on_open ran; `why` is a short English
	 * reason (borrowed for the call). c is freed when this returns. */
	void (*on_close)(void *arg, struct ws_conn *c, bool opened, const char *why);
};

/* *out is freed by ws_free. ca_file: a PEM CA bundle replacing the
 * system's for wss:// (NULL: the system's). Returns 0, -ENOMEM or -EIO
 * (libwebsockets refused, e.g. its libuv event library is missing). */
int ws_open(uv_loop_t *loop, const char *ca_file, struct ws **out);

/* How long a connection may take to open (TCP, TLS, upgrade) before it is
 * given up; WS_OPEN_TIMEOUT_MS by default. For connections started later. */
void ws_set_open_timeout(struct ws *w, uint64_t ms);

/* Starts a connection to url (ws:// or wss://; copied). cb is borrowed
 * for the life of the connection. *out (may be NULL) is the connection
 * until on_close. Returns 0, -EINVAL (bad URL), -ENOMEM, -EIO (refused at
 * once) or -ESHUTDOWN (ws_close was called). */
int ws_connect(struct ws *w, const char *url, const struct ws_callbacks *cb, void *arg,
               struct ws_conn **out);

/* Queues one message (copied); sent in order once the connection is open.
 * Returns 0, -ENOMEM, -EMSGSIZE (larger than WS_MAX_MESSAGE) or -ENOTCONN
 * (closing). */
int ws_send(struct ws_conn *c, const void *data, size_t len, bool binary);

/* Starts a clean close (a close frame with status 1000, after what is
 * queued); on_close follows later. */
void ws_conn_close(struct ws_conn *c);

/* Connections open, connecting or closing. */
size_t ws_conn_count(const struct ws *w);

/* Closes every connection (their on_close run from inside this call) and
 * starts destroying the context: libwebsockets' handles close as the loop
 * runs. Not from a callback. ws_connect refuses from now on. */
void ws_close(struct ws *w);

/* Frees w (closing it first if needed): call it once the loop has run
 * until libwebsockets' handles are closed (uv_run returned). */
void ws_free(struct ws *w);

#endif
