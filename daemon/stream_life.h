/*
 * One long connection's life, the part the platforms' streams share
 * (stream_dingtalk.c, stream_feishu.c, stream_wecom_aibot.c): the timer
 * that connects again after a loss, the call made for a connection's URL,
 * the count of messages still in the inbox, and the stop that closes
 * cleanly and then frees. The protocols stay in their files; each embeds a
 * struct stream_life first in its struct stream and gives its hooks.
 *
 * Guarantee: nothing is freed before stream_life_stop. After it, a stream
 * takes no timer tick, and
 *  - its close frame is sent only once no message of it waits in the inbox
 *    for its COMMIT and acknowledgement (jobs 0) and ops->waiting owes
 *    nothing more on the connection, so each acknowledgement is written
 *    before the close;
 *  - its memory is freed (ops->free, from the loop, after its handles'
 *    close callbacks; env->live then no longer counts it) only once its
 *    socket is closed (ws_client's on_close came), no call for a URL is
 *    in flight and jobs is 0 — never while a message or callback of it may
 *    still run.
 * Reconnects: attempt n (from 0 after each open) waits stream_backoff_ms(n),
 * 250 ms doubling to at most 4 s and each cut by up to half; a platform may
 * instead arm the timer itself (a ping, a long wait after being kicked).
 */
#ifndef CQOD_STREAM_LIFE_H
#define CQOD_STREAM_LIFE_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "httpout.h"
#include "streams.h"

struct ws_conn;
struct stream_life;

/* The platform's hooks; static data, borrowed for the stream's life. */
struct stream_life_ops {
	/* The timer fired and the stream is not stopping: connect, or do what
	 * the platform armed it for (a ping). */
	void (*tick)(struct stream_life *l);
	/* Whether a stopping stream still owes something on its connection
	 * besides its jobs, so it must not close yet (NULL: never). */
	bool (*waiting)(const struct stream_life *l);
	/* Freeing begins (NULL: nothing to do): settle what is outstanding and
	 * close the platform's own handles with stream_life_close_handle. */
	void (*release)(struct stream_life *l);
	/* Every handle closed: free the platform's stream (which holds l). */
	void (*free)(struct stream_life *l);
};

struct stream_life {
	struct stream_status st;    /* first: what daemon/streams.c reads */
	struct stream_env *env;     /* borrowed */
	const struct stream_life_ops *ops;
	struct ws_conn *conn;       /* NULL while not connected; the platform's
	                             * ws_connect fills it */
	uv_timer_t timer;           /* the next reconnect, or the platform's ping */
	unsigned gen;               /* which connection: an ack goes only to its own */
	unsigned attempt;           /* reconnects since the last open; the platform
	                             * may reset it (a server's asked reconnect) */
	unsigned jobs;              /* messages in the inbox, not yet acknowledged */
	unsigned handles;           /* handles still closing */
	bool busy;                  /* a call for the connection's URL in flight */
	bool stopping, freeing;
};

/* Begins l (state "connecting", counted in env->live); the first tick
 * follows from the loop after stream_life_begin. On a failed start the
 * caller calls stream_life_stop, which frees the stream through ops->free. */
void stream_life_init(struct stream_life *l, struct stream_env *env,
                      const struct stream_life_ops *ops, const char *platform,
                      const char *instance);

/* The first tick at once, from the loop. */
void stream_life_begin(struct stream_life *l);

/* The platform's stream_stop: takes no more ticks, closes once nothing
 * waits, then frees (see the guarantee). The caller never touches l again. */
void stream_life_stop(struct stream_life *l);

/* Something a stopping stream waited for has ended (ops->waiting): close
 * or free now if nothing else waits. */
void stream_life_maybe_close(struct stream_life *l);

/* A message of l went to the inbox / came back from it (acknowledged or
 * dropped): the count that keeps a stopping stream open. */
void stream_life_job_add(struct stream_life *l);
void stream_life_job_done(struct stream_life *l);

/* The next tick after ms (a ping). */
void stream_life_arm(struct stream_life *l, uint64_t ms);

/* The next connection attempt after the backoff (state "waiting"). */
void stream_life_retry(struct stream_life *l);

/* A connection lost or refused: counted (stream_status_lost), then
 * stream_life_retry. */
void stream_life_lost(struct stream_life *l);

/* The connection is open (state "connected"): the backoff starts over. */
void stream_life_opened(struct stream_life *l);

/* From the platform's ws on_close: the connection is gone (gen moves on,
 * the timer stops). true when l is stopping: nothing more to do (l may be
 * freed from the loop now); false: the platform reconnects. */
bool stream_life_closed(struct stream_life *l);

/* POSTs body (JSON, borrowed for the call) to base followed by path with
 * headers (NULL-terminated), the call for a connection's URL: given up
 * after 5 s, as a hung one delays the reconnect. done(arg, …) follows once,
 * later, and must begin with stream_life_answered; until then l is never
 * freed. 0, -ENOMEM or httpout_request's error (done never follows). */
int stream_life_post(struct stream_life *l, const char *base, const char *path,
                     const char *const *headers, const char *body, httpout_done_fn done,
                     void *arg);

/* The call of stream_life_post answered. true when l is stopping: the
 * answer is dropped (l may be freed from the loop now). */
bool stream_life_answered(struct stream_life *l);

/* From ops->release: closes h (a handle of the platform's, its data set to
 * l here) along with l's timer; ops->free waits for both. */
void stream_life_close_handle(struct stream_life *l, uv_handle_t *h);

#endif
