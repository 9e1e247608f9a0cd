/* HTTP routes of the daemon; see app.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "http.h"
#include "inbox.h"
#include "metrics.h"
#include "store.h"

#define JSON "application/json"
#define WEBHOOK_PREFIX "/webhook/"

void router_respond(struct http_request *req, const char *route, int status,
                    const char *content_type, const char *body, size_t len)
{
	char labels[128];

	snprintf(labels, sizeof labels, "route=\"%s\",code=\"%d\"", route, status);
	metrics_add("cqod_http_requests_total", labels, 1);
	http_respond(req, status, content_type, body, len, NULL);
}

static void respond_text(struct http_request *req, const char *route, int status,
                         const char *body)
{
	router_respond(req, route, status, "text/plain; charset=utf-8", body, strlen(body));
}

static void route_healthz(struct app *app, struct http_request *req)
{
	char body[160];
	int ok = store_check_writable(app->store) == 0;

	snprintf(body, sizeof body, "{\"status\":\"%s\",\"store\":\"%s\",\"schema\":%d}",
	         ok ? "ok" : "unavailable", ok ? "writable" : "not writable",
	         store_schema_version(app->store));
	router_respond(req, "/healthz", ok ? 200 : 503, JSON, body, strlen(body));
}

static void route_metrics(struct http_request *req)
{
	/* Count this scrape before rendering so the page includes it. */
	metrics_add("cqod_http_requests_total", "route=\"/metrics\",code=\"200\"", 1);
	char *text = metrics_render();
	if (!text) {
		respond_text(req, "/metrics", 500, "out of memory\n");
		return;
	}
	http_respond(req, 200, "text/plain; version=0.0.4; charset=utf-8", text, strlen(text),
	             NULL);
	free(text);
}

/* /webhook/<platform>/<name>: the adapters, by platform. */
static void route_webhook(struct app *app, struct http_request *req)
{
	const char *rest = req->path + strlen(WEBHOOK_PREFIX);
	const char *slash = strchr(rest, '/');
	char platform[32];

	if (!slash || slash == rest || (size_t)(slash - rest) >= sizeof platform ||
	    !slash[1] || strchr(slash + 1, '/')) {
		respond_text(req, "other", 404, "not found\n");
		return;
	}
	memcpy(platform, rest, (size_t)(slash - rest));
	platform[slash - rest] = '\0';
	if (strcmp(platform, "generic") == 0) {
		if (strcmp(req->method, "POST") != 0) {
			respond_text(req, "/webhook/generic", 405, "method not allowed\n");
			return;
		}
		webhook_generic(app, req, slash + 1);
		return;
	}
	respond_text(req, "other", 404, "not found\n");
}

void router_handle(struct http_request *req, void *arg)
{
	struct app *app = arg;

	if (strncmp(req->path, WEBHOOK_PREFIX, strlen(WEBHOOK_PREFIX)) == 0) {
		route_webhook(app, req);
		return;
	}
	bool health = strcmp(req->path, "/healthz") == 0;
	bool metrics = strcmp(req->path, "/metrics") == 0;
	if (!health && !metrics) {
		respond_text(req, "other", 404, "not found\n");
		return;
	}
	if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) {
		respond_text(req, health ? "/healthz" : "/metrics", 405, "method not allowed\n");
		return;
	}
	if (health)
		route_healthz(app, req);
	else
		route_metrics(req);
}

static double gauge_connections(void *arg)
{
	struct app *app = arg;
	return app->http ? (double)http_server_connections(app->http) : 0;
}

static double gauge_inbox_pending(void *arg)
{
	struct app *app = arg;
	return app->inbox ? (double)inbox_pending(app->inbox) : 0;
}

void router_metrics_init(struct app *app)
{
	metrics_describe("cqod_http_requests_total", "counter",
	                 "HTTP requests answered, by route and status code.");
	metrics_describe("cqod_inbound_messages_total", "counter",
	                 "Inbound chat messages, by platform and outcome.");
	metrics_describe("cqod_inbox_commits_total", "counter",
	                 "Group commits of inbound dedupe records.");
	metrics_describe("cqod_inbox_messages_total", "counter",
	                 "Inbound dedupe records written by group commits.");
	metrics_gauge("cqod_http_connections", "Open HTTP connections.", gauge_connections, app);
	metrics_gauge("cqod_inbox_pending", "Inbound messages waiting for a group commit.",
	              gauge_inbox_pending, app);
}
