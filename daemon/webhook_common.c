/* Counting, refusing and running, shared by the webhook flows; see webhook.h. */
#include "webhook.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../handlers/dispatch.h"
#include "../messages/text.h"
#include "app.h"
#include "clock.h"
#include "http.h"
#include "log.h"
#include "metrics.h"

bool webhook_fresh(const char *seconds)
{
	size_t n = seconds ? strlen(seconds) : 0;
	int64_t t = 0, now = clock_now();

	if (n == 0 || n > 12 || strspn(seconds, "0123456789") != n)
		return false;
	for (size_t i = 0; i < n; i++)
		t = t * 10 + (seconds[i] - '0');
	return t >= now - WEBHOOK_MAX_SKEW_S && t <= now + WEBHOOK_MAX_SKEW_S;
}

void webhook_count(const char *platform, const char *outcome)
{
	char labels[96];

	snprintf(labels, sizeof labels, "platform=\"%s\",outcome=\"%s\"", platform, outcome);
	metrics_add("cqod_inbound_messages_total", labels, 1);
}

void webhook_reject(struct http_request *req, const struct webhook_where *w, int status,
                    const char *outcome, const char *why)
{
	char body[160];

	log_warn("req %llu: %s:%s: %s (from %s)", (unsigned long long)req->id, w->platform,
	         w->name, why, req->remote);
	webhook_count(w->platform, outcome);
	snprintf(body, sizeof body, "%s\n", why);
	router_respond(req, w->route, status, "text/plain; charset=utf-8", body, strlen(body));
}

void webhook_source(const struct webhook_where *w, char *buf, size_t len)
{
	snprintf(buf, len, "%s:%s", w->platform, w->name);
}

int webhook_run(struct app *app, const struct chat_msg *msg, bool supported,
                struct reply *out)
{
	struct dispatch_env env = {.store = app->store, .cfg = app->cfg};

	if (!supported)
		return reply_add_line(out, TXT_UNSUPPORTED_MSG);
	return dispatch_message(&env, msg, out);
}
