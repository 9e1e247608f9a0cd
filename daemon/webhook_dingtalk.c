/*
 * The DingTalk app robot in HTTP mode, /webhook/dingtalk/<name> (PROTOCOLS.md
 * §2.1-2.2). Verify the timestamp signature, decode, record msgId in the
 * inbox, answer 200 "{}", then run the command and send its reply through
 * the sessionWebhook (DingTalk's documented reply path; a reply in the HTTP
 * response is not supported by app robots).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../messages/dingtalk.h"
#include "app.h"
#include "clock.h"
#include "config.h"
#include "http.h"
#include "inbox.h"
#include "log.h"
#include "webhook.h"

#define ROUTE "/webhook/dingtalk"
#define JSON "application/json"

struct dingtalk_job {
	struct app *app;
	struct http_request *req;
	struct dingtalk_msg dm;
	char name[33];
};

static void job_free(struct dingtalk_job *job)
{
	dingtalk_msg_free(&job->dm);
	free(job);
}

static void on_recorded(void *arg, int status)
{
	struct dingtalk_job *job = arg;
	struct chat_msg *m = &job->dm.msg;

	if (status == -EEXIST) {
		webhook_count("dingtalk", "duplicate");
		router_respond(job->req, ROUTE, 200, JSON, "{}", 2);
	} else if (status < 0) {
		webhook_count("dingtalk", "error");
		router_respond(job->req, ROUTE, 503, JSON, "{}", 2);
	} else {
		struct reply r;

		webhook_count("dingtalk", job->dm.is_text ? "accepted" : "unsupported");
		router_respond(job->req, ROUTE, 200, JSON, "{}", 2);
		reply_init(&r);
		if (webhook_run(job->app, m, job->dm.is_text, &r) == 0)
			webhook_send_reply(job->app, m, &r, m->msg_id);
		reply_free(&r);
	}
	job_free(job);
}

void webhook_dingtalk(struct app *app, struct http_request *req, const char *name)
{
	const struct config_instance *inst = config_instance_find(app->cfg, "dingtalk", name);
	const char *secret = inst ? config_instance_get(inst, "app_secret") : NULL;
	struct webhook_where w = {.platform = "dingtalk", .route = ROUTE, .name = name};
	const char *why = NULL;
	char source[64];
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
	if (m->reply_handle &&
	    !dingtalk_webhook_allowed(m->reply_handle, config_instance_get(inst, "api_base"),
	                              config_instance_get(inst, "oapi_base"))) {
		log_warn("req %llu: dingtalk:%s: sessionWebhook is not a DingTalk URL; not using it",
		         (unsigned long long)req->id, name);
		m->reply_handle = NULL;
		m->reply_handle_expires = 0;
	}
	m->received_at = clock_now();
	m->request_id = req->id;
	job->app = app;
	job->req = req;
	webhook_source(&w, source, sizeof source);
	if (inbox_submit(app->inbox, source, m->msg_id, on_recorded, job) < 0) {
		webhook_reject(req, &w, 503, "error", "inbox unavailable");
		job_free(job);
	}
}
