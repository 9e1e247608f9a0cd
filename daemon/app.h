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
struct http_request;

struct app {
	uv_loop_t *loop;
	struct config *cfg;        /* owned; replaced on a good SIGHUP */
	struct store *store;       /* owned */
	struct inbox *inbox;       /* owned */
	struct http_server *http;  /* owned; NULL in console mode */
	bool stopping;
};

/* The HTTP request handler: routes /healthz, /metrics, /webhook/<platform>/<name>. */
void router_handle(struct http_request *req, void *arg);

/* Answers req and counts it under `route` in cqod_http_requests_total. */
void router_respond(struct http_request *req, const char *route, int status,
                    const char *content_type, const char *body, size_t len);

/* Registers the HTTP and inbound metrics. */
void router_metrics_init(struct app *app);

/* POST /webhook/generic/<name>: verify, dedupe, run, answer with the reply. */
void webhook_generic(struct app *app, struct http_request *req, const char *name);

#endif
