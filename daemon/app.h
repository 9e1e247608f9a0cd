/*
 * The running daemon: one libuv loop and everything hanging off it. One
 * instance per process, owned by main.c; the router, webhook flows and signal
 * handlers reach the current configuration and store through it.
 */
#ifndef CQOD_APP_H
#define CQOD_APP_H

#include <stdbool.h>
#include <uv.h>

struct config;
struct store;
struct inbox;
struct http_server;
struct sender;
struct outbox;
struct http_request;
struct dingtalk_signs;
struct streams;
struct chat_msg;
struct config_instance;

struct app {
	uv_loop_t *loop;
	struct config *cfg;        /* owned; replaced on a good SIGHUP */
	struct store *store;       /* owned */
	struct inbox *inbox;       /* owned */
	struct http_server *http;  /* owned; NULL in console mode */
	struct sender *sender;     /* owned; outbound platform messages (messages/platform.h) */
	struct outbox *outbox;     /* owned; delivers queued messages (daemon/outbox.h) */
	struct dingtalk_signs *ding_signs;   /* owned; DingTalk signs seen (messages/dingtalk.h) */
	struct streams *streams;   /* owned; the long connections (daemon/streams.h); NULL in
	                            * console mode */
	bool stopping;
};

/* The HTTP request handler: routes /healthz, /metrics, /webhook/<platform>/<name>. */
void router_handle(struct http_request *req, void *arg);

/* Answers req (with an X-Request-Id header: the "req N" of the log lines),
 * counts it under `route` in cqod_http_requests_total and observes its
 * duration in cqod_http_request_duration_seconds. */
void router_respond(struct http_request *req, const char *route, int status,
                    const char *content_type, const char *body, size_t len);

/* Closes req's connection without an answer (http_abort), counted under
 * `route` with code "closed". */
void router_abort(struct http_request *req, const char *route);

/* Registers the HTTP and inbound metrics. */
void router_metrics_init(struct app *app);

/* POST /webhook/generic/<name>: verify, dedupe, run, answer with the reply. */
void webhook_generic(struct app *app, struct http_request *req, const char *name);

/* GET (URL check) and POST /webhook/wecom/<name>: WeCom self-built app
 * callbacks; the reply is a passive encrypted reply, or goes through the
 * sender. See webhook_wecom.c. */
void webhook_wecom(struct app *app, struct http_request *req, const char *name);

/* POST /webhook/dingtalk/<name>: DingTalk app robot (HTTP mode); acknowledged
 * at once, the reply goes to the sessionWebhook. See webhook_dingtalk.c. */
void webhook_dingtalk(struct app *app, struct http_request *req, const char *name);

/* What both DingTalk modes do with a decoded message m of instance inst
 * (`name`) before the inbox: drop a sessionWebhook that is not DingTalk's,
 * put a sender whose corp the body does not name in the instance's corp
 * (written into tenant, len bytes, which m then borrows), stamp it
 * received now. */
void dingtalk_settle(const struct config_instance *inst, const char *name, struct chat_msg *m,
                     char *tenant, size_t len);

/* POST /webhook/feishu/<name>: Feishu event subscription (challenge and
 * im.message.receive_v1); the reply goes through the reply API. See
 * webhook_feishu.c. */
void webhook_feishu(struct app *app, struct http_request *req, const char *name);

#endif
