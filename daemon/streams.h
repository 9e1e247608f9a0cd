/*
 * The platforms' long connections: every instance with `mode = stream`
 * whose transport row has a stream_start (daemon/transports.h) keeps one
 * outbound WebSocket open on the daemon's loop (daemon/ws_client.h), so no
 * public callback URL is needed. This file runs them as a set: starts them,
 * reconnects on SIGHUP only the instances whose settings changed, shows
 * their state in /healthz and /metrics, and closes them cleanly at
 * shutdown. The protocols live in their transport files
 * (stream_dingtalk.c, stream_feishu.c, stream_wecom_aibot.c), what they
 * share of a connection's life in stream_life.c.
 *
 * Never in console mode: a second connection would kick the daemon's.
 */
#ifndef CQOD_STREAMS_H
#define CQOD_STREAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/platform.h"
#include "../lib/strbuf.h"

struct app;
struct ws;
struct httpout;
struct config_instance;
struct stream;

/* What a connection shows (/healthz, /metrics); the platform's stream
 * updates it through stream_status_*. */
struct stream_status {
	const char *platform;     /* borrowed from the codec row */
	char instance[33];
	const char *state;        /* "connecting", "connected", "waiting" (to
	                           * reconnect), "kicked" (another connection
	                           * took the bot: waiting long), "refused"
	                           * (credentials: waiting long), "closing",
	                           * "closed" */
	unsigned reconnects;      /* connections lost or refused since start */
	int64_t last_frame;       /* unix seconds of the last frame in; 0: none */
};

/* What a platform's stream gets to work with; borrowed for its life. */
struct stream_env {
	struct app *app;
	struct ws *ws;            /* WebSocket connections */
	struct httpout *http;     /* the gateway calls before connecting */
	size_t live;              /* streams started and not yet freed */
};

/* Fills the status a stream begins with (state "connecting"). */
void stream_status_init(struct stream_status *st, const char *platform, const char *instance);

void stream_status_state(struct stream_status *st, const char *state);
void stream_status_frame(struct stream_status *st);
void stream_status_lost(struct stream_status *st);

/* Milliseconds before reconnect attempt `attempt` (0 = the first after a
 * loss): doubling from 250 ms, capped at 4 s, each jittered down by up to
 * half, so that every client does not come back at once and a server back
 * up is reached within 5 s. */
unsigned stream_backoff_ms(unsigned attempt);

/* The value of `mode` of an instance: true for "stream". */
bool stream_mode(const struct config_instance *inst);

/* Whether inst keeps a long connection: its transport has one, and either
 * no webhook (the long connection is its only channel) or `mode = stream`. */
bool stream_wanted(const struct config_instance *inst);

struct streams;

/* Starts the long connections of app->cfg (none: nothing is opened, not
 * even libwebsockets). *out is freed by streams_free. 0, -ENOMEM or -EIO
 * (libwebsockets or libcurl could not start). */
int streams_start(struct app *app, struct streams **out);

/* app->cfg was replaced (SIGHUP): stops the connections of instances gone
 * or changed (any key), starts the new and changed ones. */
void streams_reload(struct streams *s);

/* Shutdown, first step: each connection stops taking frames, lets the
 * messages in the inbox commit and be acknowledged, then closes cleanly. */
void streams_stop(struct streams *s);

/* Connections not yet closed (the shutdown drain waits for them). */
size_t streams_busy(const struct streams *s);

/* Shutdown, last step before the loop's end: closes whatever is left at
 * once and the libraries' handles. */
void streams_close(struct streams *s);

/* After uv_run returned: frees everything. */
void streams_free(struct streams *s);

/* The platforms' streams (their transport rows' stream_start and
 * stream_stop). */
int stream_dingtalk_start(struct stream_env *env, const struct config_instance *inst,
                          struct stream **out);
void stream_dingtalk_stop(struct stream *s);
int stream_feishu_start(struct stream_env *env, const struct config_instance *inst,
                        struct stream **out);
void stream_feishu_stop(struct stream *s);

int stream_wecom_aibot_start(struct stream_env *env, const struct config_instance *inst,
                             struct stream **out);
void stream_wecom_aibot_stop(struct stream *s);
/* The WeCom intelligent robot's sender (its transport row's send_frame):
 * writes body (a stored render, messages/render_wecom_aibot.c) to d as a
 * frame on the instance's connection; done follows once WeCom answered,
 * never from inside this call: SEND_OK, SEND_PERMANENT (a non-zero
 * errcode), or SEND_TRANSIENT (not connected, connection lost, no answer
 * within 10 s). 0, or -EINVAL (kind or body unusable), -ENOENT (no such
 * running instance), -ENOMEM; done is then never called. */
int stream_wecom_aibot_send(const struct dest *d, const char *body, send_done_fn done,
                            void *arg);

/* "[{"platform":…,"instance":…,"state":…,"reconnects":N,"last_frame":T},…]"
 * appended to sb. */
void streams_health(const struct streams *s, struct strbuf *sb);

#endif
