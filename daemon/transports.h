/*
 * The platforms' transport rows: what the daemon does with I/O for each
 * platform whose codec row messages/platforms.h describes. The router
 * serves /webhook/<platform>/<instance> from them, the sender finds a
 * platform's send functions and the outbox its pacing here; nothing else
 * in daemon/ compares platform names.
 *
 * The rows and the table are static data; nothing here is freed.
 */
#ifndef CQOD_TRANSPORTS_H
#define CQOD_TRANSPORTS_H

#include <stddef.h>

#include "../lib/platform.h"
#include "../messages/platforms.h"

struct app;
struct config;
struct config_instance;
struct http_request;
struct send_platform;
struct stream;
struct stream_env;

/* The methods a webhook path accepts. */
enum { TRANSPORT_GET = 1, TRANSPORT_POST = 2 };

struct transport {
	const struct platform_codec *codec;
	/* The adapter for /webhook/<codec name>/<instance> (`name`, borrowed
	 * for the call), the methods it accepts and its metrics route label;
	 * webhook is NULL when the platform has no webhook (the console reads
	 * its terminal, daemon/console.c). */
	void (*webhook)(struct app *app, struct http_request *req, const char *name);
	unsigned methods;
	const char *route;
	/* Sending to the platform's destinations (daemon/send.c); NULL when
	 * it can be reached only in the answer to a request (the codec row has
	 * no reply_dest then). */
	const struct send_platform *send;
	/* Milliseconds between two sends to d under cfg's [outbox] rates
	 * (outbox_interval_ms); NULL: the group robots' robot_per_minute. */
	unsigned (*pace_ms)(const struct config *cfg, const struct dest *d);
	/* Milliseconds between two sends through the app (instance) of d, to
	 * any of its destinations (outbox_app_interval_ms); NULL or 0: no
	 * app-wide limit. */
	unsigned (*app_pace_ms)(const struct config *cfg, const struct dest *d);
	/* The long connection of an instance in `mode = stream`
	 * (daemon/streams.h); NULL when the platform has none. stream_start
	 * copies what it needs of inst and connects (later, on the loop); 0
	 * or a negative errno. The stream begins with its struct
	 * stream_status, which daemon/streams.c reads. stream_stop: take no
	 * more frames, close cleanly once what is in the inbox was
	 * acknowledged, and free itself when all is closed (the caller never
	 * touches s again); env->live counts the streams not yet freed. */
	/* Instead of `send`, for a platform whose destinations are reached
	 * over its long connection: writes body to d as a frame; the same
	 * contract as sender_send (lib/platform.h). NULL for HTTP senders. */
	int (*send_frame)(const struct dest *d, const char *body, send_done_fn done, void *arg);
	int (*stream_start)(struct stream_env *env, const struct config_instance *inst,
	                    struct stream **out);
	void (*stream_stop)(struct stream *s);
};

/* Every transport row, one per codec row. */
extern const struct transport *const transports[];
extern const size_t transports_n;

/* The row of platform `name`, or NULL. */
const struct transport *transport_find(const char *name);

#endif
