/* Counting, refusing and running, shared by the webhook flows; see webhook.h. */
#include "webhook.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../handlers/dispatch.h"
#include "../lib/digits.h"
#include "../messages/platforms.h"
#include "app.h"
#include "../lib/clock.h"
#include "http.h"
#include "inbox.h"
#include "../lib/log.h"
#include "../lib/metrics.h"
#include "../store/store.h"
#include "../store/store_outbox.h"

bool webhook_fresh_within(const char *seconds, int64_t past_s)
{
	int64_t t, now = clock_now();

	if (digits_parse(seconds, 12, &t) < 0)
		return false;
	return t >= now - past_s && t <= now + WEBHOOK_MAX_SKEW_S;
}

bool webhook_fresh(const char *seconds)
{
	return webhook_fresh_within(seconds, WEBHOOK_MAX_SKEW_S);
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

void webhook_msg_init(struct webhook_msg *wm, struct app *app, struct http_request *req,
                      const struct webhook_where *w, const struct chat_msg *msg,
                      const char *dedupe_id)
{
	memset(wm, 0, sizeof *wm);
	wm->app = app;
	wm->req = req;
	wm->msg = msg;
	wm->dedupe_id = dedupe_id;
	wm->reply_key = dedupe_id;
	wm->run_command = true;
	wm->supported = true;
	webhook_source(w, wm->source, sizeof wm->source);
	reply_init(&wm->reply);
}

void webhook_msg_free(struct webhook_msg *wm)
{
	reply_free(&wm->reply);
	free(wm->answer);
	wm->answer = NULL;
	rendered_free(&wm->parts);
	free(wm->row_ids);
	wm->row_ids = NULL;
}

/* Writes the answer inside the message's savepoint (dispatch_answer_fn):
 * kept with the id, or as outbox rows claimed for the fast path. */
static int write_answer(void *arg, struct store *st, const struct reply *r)
{
	struct webhook_msg *wm = arg;
	const struct chat_msg *m = wm->msg;
	char key[512];
	int rc;

	if (wm->keep_answer) {
		free(wm->answer);
		wm->answer = wm->render_answer(r);
		if (!wm->answer)
			return -ENOMEM;
		return store_inbound_set_answer(st, wm->source, wm->dedupe_id, wm->answer);
	}
	rendered_free(&wm->parts);
	rc = dest_for_reply(m, &wm->dest);
	if (rc == 0)
		rc = render_message(&wm->dest, r, wm->reply_key, &wm->parts);
	if (rc == -ENOMEM)
		return rc;
	if (rc < 0 || wm->parts.n == 0) {
		/* Nowhere to answer (an expired session webhook): not a reason to
		 * run the command again. */
		log_warn("req %llu: %s: the answer has no usable destination: %s",
		         (unsigned long long)m->request_id, wm->source, strerror(-rc));
		rendered_free(&wm->parts);
		return 0;
	}
	snprintf(key, sizeof key, "reply:%s:%s:%s", m->platform, m->instance, wm->reply_key);
	free(wm->row_ids);
	wm->row_ids = calloc(wm->parts.n, sizeof *wm->row_ids);
	if (!wm->row_ids)
		return -ENOMEM;
	rc = store_outbox_enqueue_claimed(st, &wm->dest, &wm->parts, key, m->request_id,
	                                  wm->row_ids);
	if (rc == -EEXIST) {
		/* Another message already answered under this key: it owns it. */
		rendered_free(&wm->parts);
		rc = 0;
	}
	return rc;
}

static int run(void *arg, struct store *st)
{
	struct webhook_msg *wm = arg;
	struct dispatch_env env = {.store = st, .cfg = wm->app->cfg};
	struct dispatch_unit u = {
		.source = wm->source,
		.dedupe_id = wm->dedupe_id,
		.run_command = wm->run_command,
		.supported = wm->supported,
		.answer = write_answer,
		.answer_arg = wm,
	};

	switch (dispatch_unit(&env, wm->msg, &u, &wm->reply)) {
	case DISPATCH_DONE:
		return INBOX_DONE;
	case DISPATCH_DUPLICATE:
		/* The first run's answer, for platforms that read it from the
		 * response; a failure to read it only costs that answer. */
		if (wm->keep_answer &&
		    store_inbound_answer(st, wm->source, wm->dedupe_id, &wm->answer) < 0)
			wm->answer = NULL;
		return INBOX_DUPLICATE;
	default:
		return INBOX_RETRY;
	}
}

static void done(void *arg, int result)
{
	struct webhook_msg *wm = arg;
	const char *platform = wm->msg->platform;

	wm->result = result;
	webhook_count(platform, result == INBOX_RETRY       ? "retry" :
	                        result == INBOX_DUPLICATE   ? "duplicate" :
	                        !wm->run_command            ? "ignored" :
	                        wm->supported               ? "accepted" : "unsupported");
	wm->finish(wm);
}

int webhook_submit(struct webhook_msg *wm)
{
	struct inbox_job job = {.run = run, .done = done, .arg = wm};

	return inbox_submit(wm->app->inbox, &job);
}
