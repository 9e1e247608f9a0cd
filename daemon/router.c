/* HTTP routes of the daemon; see app.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "../lib/clock.h"
#include "http.h"
#include "inbox.h"
#include "../lib/metrics.h"
#include "../lib/strbuf.h"
#include "../store/store.h"
#include "streams.h"
#include "transports.h"

#define JSON "application/json"
#define WEBHOOK_PREFIX "/webhook/"

/* The time from the request's first byte to its answer, by route. */
static void observe_duration(const struct http_request *req, const char *route)
{
	char labels[96];

	snprintf(labels, sizeof labels, "route=\"%s\"", route);
	metrics_observe("cqod_http_request_duration_seconds", labels,
	                metrics_since(req->started_ns));
}

/* X-Request-Id carries the "req N" of cqod's log lines, so a proxy's access
 * log entry leads to them. */
static void respond(struct http_request *req, int status, const char *content_type,
                    const char *body, size_t len)
{
	char extra[48];

	snprintf(extra, sizeof extra, "X-Request-Id: %llu\r\n", (unsigned long long)req->id);
	http_respond(req, status, content_type, body, len, extra);
}

void router_respond(struct http_request *req, const char *route, int status,
                    const char *content_type, const char *body, size_t len)
{
	char labels[128];

	snprintf(labels, sizeof labels, "route=\"%s\",code=\"%d\"", route, status);
	metrics_add("cqod_http_requests_total", labels, 1);
	observe_duration(req, route);
	respond(req, status, content_type, body, len);
}

void router_abort(struct http_request *req, const char *route)
{
	char labels[128];

	snprintf(labels, sizeof labels, "route=\"%s\",code=\"closed\"", route);
	metrics_add("cqod_http_requests_total", labels, 1);
	observe_duration(req, route);
	http_abort(req);
}

static void respond_text(struct http_request *req, const char *route, int status,
                         const char *body)
{
	router_respond(req, route, status, "text/plain; charset=utf-8", body, strlen(body));
}

/* Liveness: the loop turns and answers; nothing else is looked at, so a
 * supervisor restarts the process only when it is truly stuck. */
static void route_live(struct http_request *req, const char *route)
{
	static const char body[] = "{\"status\":\"ok\",\"live\":true}";

	router_respond(req, route, 200, JSON, body, sizeof body - 1);
}

/* What the store's writes say, for readiness: "not writable" while the
 * write lock cannot be had (another process holds it, or the file is
 * write-protected: a lock probe, nothing written); "full" from a write that
 * failed for lack of space or an I/O error until one succeeds; when the
 * daemon has been idle for PROBE_EVERY_S, one small durable write finds
 * out, so a disk that filled up meanwhile is seen without an fsync per
 * poll. */
#define PROBE_EVERY_S 5

static const char *store_state(struct app *app)
{
	static int64_t probed_at;
	int64_t last_commit = 0, now = clock_now();
	bool ok = store_write_ok(app->store, &last_commit);

	if (store_check_writable(app->store) < 0)
		return "not writable";
	if (now - probed_at >= PROBE_EVERY_S && now - last_commit >= PROBE_EVERY_S) {
		int rc = store_probe_write(app->store);

		probed_at = now;
		if (rc == -EBUSY)
			return "not writable";
		ok = store_write_ok(app->store, NULL);
		if (ok && rc < 0)
			return "not writable";
	}
	return ok ? "writable" : "full";
}

/* Readiness: the store takes writes and the listener accepts (not
 * draining for a shutdown). A proxy or balancer sends traffic only then. */
static void route_ready(struct app *app, struct http_request *req)
{
	const char *store = store_state(app);
	bool writable = strcmp(store, "writable") == 0;
	bool listening = app->http && !app->stopping;
	bool ready = writable && listening;
	struct strbuf sb;
	char *body;

	/* The long connections are shown, not counted: one platform's outage
	 * must not take the others' webhooks out of a balancer. */
	strbuf_init(&sb);
	strbuf_appendf(&sb,
	               "{\"status\":\"%s\",\"ready\":%s,\"live\":true,\"store\":\"%s\","
	               "\"listener\":\"%s\",\"schema\":%d,\"streams\":",
	               ready ? "ok" : "unavailable", ready ? "true" : "false", store,
	               listening ? "up" : "stopping", store_schema_version(app->store));
	streams_health(app->streams, &sb);
	strbuf_appends(&sb, "}");
	body = strbuf_detach(&sb);
	if (!body) {
		respond_text(req, "/healthz", 503, "out of memory\n");
		return;
	}
	router_respond(req, "/healthz", ready ? 200 : 503, JSON, body, strlen(body));
	free(body);
}

/* Whether the query string has a parameter named `name` ("live", "live=1"). */
static bool query_has(const char *query, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = query; *p;) {
		size_t len = strcspn(p, "&");
		if (len >= n && strncmp(p, name, n) == 0 && (len == n || p[n] == '='))
			return true;
		p += len;
		if (*p == '&')
			p++;
	}
	return false;
}

static void route_metrics(struct http_request *req)
{
	/* Count this scrape before rendering so the page includes it. */
	metrics_add("cqod_http_requests_total", "route=\"/metrics\",code=\"200\"", 1);
	observe_duration(req, "/metrics");
	char *text = metrics_render();
	if (!text) {
		respond_text(req, "/metrics", 500, "out of memory\n");
		return;
	}
	respond(req, 200, "text/plain; version=0.0.4; charset=utf-8", text, strlen(text));
	free(text);
}

/* /webhook/<platform>/<name>: the adapters, by platform (the transport
 * rows, each flow in daemon/webhook_<platform>.c). */
static void route_webhook(struct app *app, struct http_request *req)
{
	const char *rest = req->path + strlen(WEBHOOK_PREFIX);
	const char *slash = strchr(rest, '/');
	size_t plen = slash ? (size_t)(slash - rest) : 0;

	if (!slash || plen == 0 || !slash[1] || strchr(slash + 1, '/')) {
		respond_text(req, "other", 404, "not found\n");
		return;
	}
	for (size_t i = 0; i < transports_n; i++) {
		const struct transport *t = transports[i];
		const char *platform = t->codec->name;
		unsigned m = strcmp(req->method, "GET") == 0    ? TRANSPORT_GET
		             : strcmp(req->method, "POST") == 0 ? TRANSPORT_POST
		                                                : 0;

		if (!t->webhook || strlen(platform) != plen || strncmp(rest, platform, plen) != 0)
			continue;
		if (!(t->methods & m)) {
			respond_text(req, t->route, 405, "method not allowed\n");
			return;
		}
		t->webhook(app, req, slash + 1);
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
	const char *route = strcmp(req->path, "/healthz") == 0   ? "/healthz"
	                    : strcmp(req->path, "/livez") == 0   ? "/livez"
	                    : strcmp(req->path, "/metrics") == 0 ? "/metrics"
	                                                         : NULL;
	if (!route) {
		respond_text(req, "other", 404, "not found\n");
		return;
	}
	if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) {
		respond_text(req, route, 405, "method not allowed\n");
		return;
	}
	if (strcmp(route, "/metrics") == 0)
		route_metrics(req);
	else if (strcmp(route, "/livez") == 0 || query_has(req->query, "live"))
		route_live(req, route);
	else
		route_ready(app, req);
}

static double gauge_connections(void *arg)
{
	struct app *app = arg;
	return app->http ? (double)http_server_connections(app->http) : 0;
}

static double gauge_body_bytes(void *arg)
{
	struct app *app = arg;
	return app->http ? (double)http_server_body_memory(app->http) : 0;
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
	metrics_histogram("cqod_http_request_duration_seconds",
	                  "Time from a request's first byte to its answer, by route.");
	metrics_describe("cqod_inbound_messages_total", "counter",
	                 "Inbound chat messages, by platform and outcome.");
	metrics_describe("cqod_inbox_commits_total", "counter",
	                 "Group commits of inbound dedupe records.");
	metrics_describe("cqod_inbox_messages_total", "counter",
	                 "Inbound dedupe records written by group commits.");
	metrics_histogram("cqod_inbox_commit_seconds",
	                  "Group commits of inbound dedupe records, BEGIN to COMMIT.");
	metrics_gauge("cqod_http_connections", "Open HTTP connections.", gauge_connections, app);
	metrics_gauge("cqod_http_body_bytes",
	              "Bytes held by request bodies, as counted against max_body_memory.",
	              gauge_body_bytes, app);
	metrics_describe("cqod_http_refused_total", "counter",
	                 "Connections and requests turned away with 503 (or closed) by a limit: "
	                 "connections (max_connections), address (max_connections_per_address), "
	                 "body_memory (max_body_memory).");
	metrics_gauge("cqod_inbox_pending", "Inbound messages waiting for a group commit.",
	              gauge_inbox_pending, app);
}
