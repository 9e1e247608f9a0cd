/*
 * The generic webhook flow. A request is taken only with a signature over
 * its timestamp and body and a timestamp within 300 s (messages/generic.h);
 * every refusal gets the same 401. The answer is the HTTP response: it is kept
 * with the message id in the message's transaction (daemon/inbox.h), sent
 * only after the COMMIT, and sent again, marked "duplicate", to a retry of
 * a committed message. A failure that may pass is answered 503 with a JSON
 * error, and nothing of the message remains: the client sends it again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../handlers/dispatch.h"
#include "../messages/generic.h"
#include "../messages/platforms.h"
#include "app.h"
#include "../lib/clock.h"
#include "../lib/config.h"
#include "http.h"
#include "inbox.h"
#include "../lib/log.h"
#include "webhook.h"

#define ROUTE "/webhook/generic"
#define PLATFORM (platform_generic.name)
#define JSON "application/json"

/* One request waiting for its inbox commit. */
struct generic_job {
	struct webhook_msg wm;   /* first: the inbox's view of it */
	struct generic_msg gm;
};

static void respond_json(struct http_request *req, int status, char *body)
{
	if (!body) {
		router_respond(req, ROUTE, 500, JSON, "{\"ok\":false}", 12);
		return;
	}
	router_respond(req, ROUTE, status, JSON, body, strlen(body));
	free(body);
}

static void finish(struct webhook_msg *wm)
{
	struct generic_job *job = (struct generic_job *)wm;

	if (wm->result == INBOX_RETRY)
		respond_json(wm->req, 503, generic_render_error("temporarily unavailable"));
	else if (!wm->answer)
		respond_json(wm->req, 500, generic_render_error("the answer was lost"));
	else
		respond_json(wm->req, 200,
		             generic_render_answer(wm->answer, wm->result == INBOX_DUPLICATE));
	webhook_msg_free(wm);
	generic_msg_free(&job->gm);
	free(job);
}

void webhook_generic(struct app *app, struct http_request *req, const char *name)
{
	const struct config_instance *inst = config_instance_find(app->cfg, PLATFORM, name);
	const char *secret = inst ? config_instance_get(inst, "secret") : NULL;
	const char *why = NULL;
	int rc;

	if (!secret) {
		router_respond(req, ROUTE, 404, "text/plain", "not found\n", 10);
		return;
	}
	rc = generic_verify(secret, http_request_header(req, "X-Cqod-Timestamp"),
	                    http_request_header(req, "X-Cqod-Signature"), req->body, req->body_len,
	                    clock_now());
	if (rc == -ENOMEM) {
		respond_json(req, 503, generic_render_error("temporarily unavailable"));
		return;
	}
	if (rc < 0) {
		/* One answer for every refusal; the log tells them apart. */
		if (rc == -ETIME)
			log_warn("req %llu: generic:%s: stale or missing X-Cqod-Timestamp (more "
			         "than %d s from now) from %s", (unsigned long long)req->id, name,
			         GENERIC_MAX_SKEW_S, req->remote);
		else
			log_warn("req %llu: generic:%s: bad or missing signature from %s",
			         (unsigned long long)req->id, name, req->remote);
		webhook_count(PLATFORM, rc == -ETIME ? "stale" : "bad_signature");
		respond_json(req, 401, generic_render_error("bad signature"));
		return;
	}
	struct generic_job *job = calloc(1, sizeof *job);
	if (!job) {
		respond_json(req, 503, generic_render_error("temporarily unavailable"));
		return;
	}
	if (generic_decode(req->body, req->body_len, name, &job->gm, &why) < 0) {
		log_warn("req %llu: generic:%s: malformed body: %s", (unsigned long long)req->id,
		         name, why);
		webhook_count(PLATFORM, "malformed");
		respond_json(req, 400, generic_render_error(why));
		free(job);
		return;
	}
	job->gm.msg.received_at = clock_now();
	job->gm.msg.request_id = req->id;
	/* Instances may share message ids, so each has its own dedupe space. */
	struct webhook_where w = {.platform = PLATFORM, .route = ROUTE, .name = name};
	webhook_msg_init(&job->wm, app, req, &w, &job->gm.msg, job->gm.msg.msg_id);
	job->wm.keep_answer = true;
	job->wm.render_answer = generic_render_reply_body;
	job->wm.finish = finish;
	if (webhook_submit(&job->wm) < 0) {
		webhook_msg_free(&job->wm);
		respond_json(req, 503, generic_render_error("temporarily unavailable"));
		generic_msg_free(&job->gm);
		free(job);
	}
}
