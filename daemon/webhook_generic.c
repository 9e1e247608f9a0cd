/*
 * The generic webhook flow. A request is answered only after its dedupe
 * record is committed (inbox group commit), so a platform retry after a crash
 * is either recognized or safely runs once; the command then runs on the loop
 * and its reply goes back in the HTTP response.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../handlers/dispatch.h"
#include "../messages/generic.h"
#include "app.h"
#include "clock.h"
#include "config.h"
#include "http.h"
#include "inbox.h"
#include "log.h"
#include "webhook.h"

#define ROUTE "/webhook/generic"
#define JSON "application/json"

/* One request waiting for its inbox commit. */
struct generic_job {
	struct app *app;
	struct http_request *req;
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

static void on_recorded(void *arg, int status)
{
	struct generic_job *job = arg;
	struct app *app = job->app;

	if (status == -EEXIST) {
		webhook_count("generic", "duplicate");
		respond_json(job->req, 200, generic_render_duplicate());
	} else if (status < 0) {
		webhook_count("generic", "error");
		respond_json(job->req, 503, generic_render_error("temporarily unavailable"));
	} else {
		struct dispatch_env env = {.store = app->store, .cfg = app->cfg};
		struct reply r;
		reply_init(&r);
		webhook_count("generic", "accepted");
		if (dispatch_message(&env, &job->gm.msg, &r) < 0)
			respond_json(job->req, 500, generic_render_error("out of memory"));
		else
			respond_json(job->req, 200, generic_render_reply(&r));
		reply_free(&r);
	}
	generic_msg_free(&job->gm);
	free(job);
}

void webhook_generic(struct app *app, struct http_request *req, const char *name)
{
	const struct config_instance *inst = config_instance_find(app->cfg, "generic", name);
	const char *secret = inst ? config_instance_get(inst, "secret") : NULL;
	const char *why = NULL;

	if (!secret) {
		router_respond(req, ROUTE, 404, "text/plain", "not found\n", 10);
		return;
	}
	if (generic_verify(secret, http_request_header(req, "X-Cqod-Signature"), req->body,
	                   req->body_len) < 0) {
		log_warn("req %llu: generic:%s: bad or missing signature from %s",
		         (unsigned long long)req->id, name, req->remote);
		webhook_count("generic", "bad_signature");
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
		webhook_count("generic", "malformed");
		respond_json(req, 400, generic_render_error(why));
		free(job);
		return;
	}
	job->app = app;
	job->req = req;
	job->gm.msg.received_at = clock_now();
	job->gm.msg.request_id = req->id;
	/* Instances may share message ids, so each has its own dedupe space. */
	char source[64];
	snprintf(source, sizeof source, "generic:%s", name);
	if (inbox_submit(app->inbox, source, job->gm.msg.msg_id, on_recorded, job) < 0) {
		respond_json(req, 503, generic_render_error("temporarily unavailable"));
		generic_msg_free(&job->gm);
		free(job);
	}
}
