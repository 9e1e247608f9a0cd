/*
 * The DingTalk app robot in HTTP mode, /webhook/dingtalk/<name> (PROTOCOLS.md
 * §2.1-2.2). Verify the timestamp signature, decode, refuse a sign that
 * came before with another message (app->ding_signs), and run the message
 * as one unit of the inbox's batch (msgId, command and answer commit
 * together); after the COMMIT answer 200 "{}" and send the answer through
 * the sessionWebhook (DingTalk's documented reply path; a reply in the HTTP
 * response is not supported by app robots). DingTalk documents no retry
 * for HTTP mode: a failure that may pass closes the connection unanswered,
 * the one signal any client treats as "not delivered".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../messages/dingtalk.h"
#include "../messages/platforms.h"
#include "app.h"
#include "../lib/clock.h"
#include "../lib/config.h"
#include "http.h"
#include "inbox.h"
#include "../lib/log.h"
#include "streams.h"
#include "webhook.h"

#define ROUTE "/webhook/dingtalk"
#define PLATFORM (platform_dingtalk.name)
#define JSON "application/json"

struct dingtalk_job {
	struct webhook_msg wm;   /* first: the inbox's view of it */
	struct dingtalk_msg dm;
	char name[33];
	char tenant[257];        /* when the body names no senderCorpId (chat.h) */
};

static void job_free(struct dingtalk_job *job)
{
	webhook_msg_free(&job->wm);
	dingtalk_msg_free(&job->dm);
	free(job);
}

static void finish(struct webhook_msg *wm)
{
	struct dingtalk_job *job = (struct dingtalk_job *)wm;

	if (wm->result == INBOX_RETRY) {
		router_abort(wm->req, ROUTE);
	} else {
		router_respond(wm->req, ROUTE, 200, JSON, "{}", 2);
		if (wm->result == INBOX_DONE)
			webhook_deliver(wm);
	}
	job_free(job);
}

void dingtalk_settle(const struct config_instance *inst, const char *name, struct chat_msg *m,
                     char *tenant, size_t len)
{
	if (m->reply_handle &&
	    !dingtalk_webhook_allowed(m->reply_handle, config_instance_get(inst, "api_base"),
	                              config_instance_get(inst, "oapi_base"))) {
		log_warn("req %llu: dingtalk:%s: sessionWebhook is not a DingTalk URL; not using it",
		         (unsigned long long)m->request_id, name);
		m->reply_handle = NULL;
		m->reply_handle_expires = 0;
	}
	/* A sender whose corp the body does not name belongs to the instance's
	 * configured corp, else to this instance alone ("@<name>"), so it never
	 * shares an identity with a sender of a named corp. */
	if (!m->tenant) {
		const char *corp = config_instance_get(inst, "corp_id");

		snprintf(tenant, len, "%s%s", corp ? "" : "@", corp ? corp : name);
		m->tenant = tenant;
	}
	m->received_at = clock_now();
}

void webhook_dingtalk(struct app *app, struct http_request *req, const char *name)
{
	const struct config_instance *inst = config_instance_find(app->cfg, PLATFORM, name);
	/* An instance in stream mode takes its messages over its own
	 * connection only. */
	const char *secret = inst && !stream_mode(inst) ? config_instance_get(inst, "app_secret")
	                                                : NULL;
	struct webhook_where w = {.platform = PLATFORM, .route = ROUTE, .name = name};
	const char *why = NULL;
	int rc;

	if (!secret) {
		router_respond(req, ROUTE, 404, "text/plain", "not found\n", 10);
		return;
	}
	rc = dingtalk_verify(secret, http_request_header(req, "timestamp"),
	                     http_request_header(req, "sign"), clock_now() * 1000);
	if (rc == -ETIME) {
		webhook_reject(req, &w, 401, "stale", "timestamp is missing or too far from now");
		return;
	}
	if (rc < 0) {
		webhook_reject(req, &w, 401, "bad_signature", "bad or missing sign");
		return;
	}
	struct dingtalk_job *job = calloc(1, sizeof *job);
	if (!job) {
		webhook_reject(req, &w, 503, "error", "out of memory");
		return;
	}
	snprintf(job->name, sizeof job->name, "%s", name);
	rc = dingtalk_decode(req->body, req->body_len, job->name, &job->dm, &why);
	if (rc < 0) {
		webhook_reject(req, &w, rc == -ENOMEM ? 503 : 400, rc == -ENOMEM ? "error" : "malformed",
		               rc == -ENOMEM ? "out of memory" : why);
		job_free(job);
		return;
	}
	struct chat_msg *m = &job->dm.msg;
	char source[64];
	bool dropped = false;
	webhook_source(&w, source, sizeof source);
	rc = dingtalk_signs_claim(app->ding_signs, http_request_header(req, "timestamp"),
	                          http_request_header(req, "sign"), source, m->msg_id,
	                          clock_now() * 1000, &dropped);
	if (dropped)
		log_warn("req %llu: dingtalk:%s: %d fresh signs kept; forgot the one closest to expiry",
		         (unsigned long long)req->id, name, DINGTALK_SIGNS_MAX);
	if (rc < 0) {
		if (rc == -EEXIST)
			webhook_reject(req, &w, 401, "replayed", "sign already used by another message");
		else
			webhook_reject(req, &w, 503, "error", "out of memory");
		job_free(job);
		return;
	}
	m->request_id = req->id;
	dingtalk_settle(inst, job->name, m, job->tenant, sizeof job->tenant);
	w.name = job->name;
	webhook_msg_init(&job->wm, app, req, &w, m, m->msg_id);
	job->wm.supported = job->dm.is_text;
	job->wm.finish = finish;
	if (webhook_submit(&job->wm) < 0) {
		webhook_reject(req, &w, 503, "error", "inbox unavailable");
		job_free(job);
	}
}
