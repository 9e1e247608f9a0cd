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

/* Test hook: a heavy read holds its read transaction this much longer, so
 * a test can show the loop serving other messages meanwhile. */
#define HEAVY_DELAY_ENV "CQOD_TEST_HEAVY_READ_DELAY_MS"

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
	if (wm->to_sender)
		rc = dest_fill(&wm->dest, m, DEST_USER, m->sender_id);
	else if (r->n_actions)
		rc = dest_for_actions(m, &wm->dest);
	else
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
	if (rc == 0 && wm->answer_more)
		rc = wm->answer_more(wm->answer_more_arg, st, r);
	return rc;
}

static int run(void *arg, struct store *st)
{
	struct webhook_msg *wm = arg;
	struct dispatch_env env = {.store = st, .cfg = wm->app->cfg};

	if (wm->prepare && wm->prepare(wm, st) < 0)
		return INBOX_RETRY;
	struct dispatch_unit u = {
		.source = wm->source,
		.dedupe_id = wm->dedupe_id,
		.run_command = wm->run_command,
		.supported = wm->supported,
		.answer = write_answer,
		.answer_arg = wm,
		.ready = wm->ready ? &wm->tally : NULL,
		.before = wm->before,
		.before_arg = wm->before_arg,
	};
	enum dispatch_outcome out = dispatch_unit(&env, wm->msg, &u, &wm->reply);

	if (out != DISPATCH_DONE && wm->ready) {
		/* The answer computed beforehand is not this run's. */
		reply_free(&wm->reply);
		reply_init(&wm->reply);
	}
	switch (out) {
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

/*
 * Heavy reads off the loop (统计, 未培训: HANDLER_F_HEAVY_READ).
 *
 * A nationwide aggregate takes a few hundred milliseconds; on the loop it
 * would hold every other message (and the group commit) that long. So the
 * answer is computed first, on libuv's thread pool, with a read-only
 * connection of its own in one read transaction (store_read_snapshot, as
 * the file exports and the reminder sweep's collect do); then the message
 * goes into the inbox like any other, and its unit records the id and
 * writes that answer (outbox rows, or the answer kept with the id) in the
 * batch's transaction, without running the command again. So the exactly-once rule holds unchanged:
 *  - the id and the answer commit together or not at all, and the
 *    platform is answered only after that COMMIT: a crash while the query
 *    runs leaves no trace, and the platform's retry runs it again;
 *  - a retry of a committed message is a duplicate at its unit (the
 *    answer computed for it is dropped), so nothing is answered twice.
 * The command writes nothing (no audit, no access log) but a paging cursor,
 * which is memory and locked. The answer reads the registry as of its
 * read transaction, a moment before the COMMIT, as if the message had come
 * a moment earlier. When the worker cannot produce a complete answer (the
 * store failed, the sender's identity needed a write), it is discarded and
 * the message runs on the loop as before.
 */
struct heavy {
	uv_work_t work;
	struct webhook_msg *wm;
	char *database;             /* owned copy: a SIGHUP may replace the config */
	int rc;
};

static int heavy_read(void *arg, struct store *ro)
{
	struct heavy *h = arg;
	struct dispatch_env env = {.store = ro};
	const char *delay = getenv(HEAVY_DELAY_ENV);

	if (delay)
		uv_sleep((unsigned)strtoul(delay, NULL, 10));
	return dispatch_read(&env, h->wm->msg, &h->wm->reply, &h->wm->tally);
}

static void heavy_work(uv_work_t *w)
{
	struct heavy *h = w->data;

	h->rc = store_read_snapshot(h->database, heavy_read, h);
}

static void heavy_done(uv_work_t *w, int status)
{
	struct heavy *h = w->data;
	struct webhook_msg *wm = h->wm;
	struct inbox_job job = {.run = run, .done = done, .arg = wm};
	int rc = status < 0 ? status : h->rc;

	free(h->database);
	free(h);
	wm->ready = rc == 0;
	if (rc < 0) {
		log_warn("req %llu: %s: the read off the loop failed (%s); running it on the loop",
		         (unsigned long long)wm->msg->request_id, wm->source, strerror(-rc));
		reply_free(&wm->reply);
		reply_init(&wm->reply);
	}
	/* Stopping: not recorded, so the platform's retry after the restart
	 * runs it. */
	if (!wm->app->inbox || inbox_submit(wm->app->inbox, &job) < 0)
		done(wm, INBOX_RETRY);
}

/* Starts the heavy read of wm on the thread pool; 0, or a negative error
 * (then nothing was started). */
static int heavy_start(struct webhook_msg *wm)
{
	struct heavy *h = calloc(1, sizeof *h);

	if (!h)
		return -ENOMEM;
	h->wm = wm;
	h->database = strdup(wm->app->cfg->database);
	h->work.data = h;
	int rc = h->database ? uv_queue_work(wm->app->loop, &h->work, heavy_work, heavy_done)
	                     : -ENOMEM;
	if (rc < 0) {
		free(h->database);
		free(h);
	}
	return rc;
}

int webhook_submit(struct webhook_msg *wm)
{
	struct inbox_job job = {.run = run, .done = done, .arg = wm};

	if (wm->run_command && wm->supported && wm->msg->text &&
	    dispatch_heavy_read(wm->msg->text) && heavy_start(wm) == 0)
		return 0;
	return inbox_submit(wm->app->inbox, &job);
}
