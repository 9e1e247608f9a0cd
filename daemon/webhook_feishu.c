/*
 * Feishu/Lark event subscription, /webhook/feishu/<name> (PROTOCOLS.md
 * §3.1-3.4).
 *
 * With an encrypt_key the body must be {"encrypt":...}; events must carry a
 * good X-Lark-Signature over the raw body (the URL-check challenge need not:
 * Feishu does not sign it). Without one the body is plaintext. Either way the
 * verification token inside must match. A challenge is answered at once; a
 * message runs as one unit of the inbox's batch (event_id, command and
 * answer commit together), is acknowledged with 200 "{}" after the COMMIT,
 * and its answer goes out through the reply API; other events are
 * acknowledged and dropped. Feishu pushes an event again when it gets no
 * 200: a failure that may pass is answered 503.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../messages/feishu.h"
#include "app.h"
#include "clock.h"
#include "config.h"
#include "http.h"
#include "inbox.h"
#include "log.h"
#include "webhook.h"

#define ROUTE "/webhook/feishu"
#define JSON "application/json"

struct feishu_job {
	struct webhook_msg wm;   /* first: the inbox's view of it */
	struct feishu_event ev;
	char name[33];
};

static void job_free(struct feishu_job *job)
{
	webhook_msg_free(&job->wm);
	feishu_event_free(&job->ev);
	free(job);
}

static void finish(struct webhook_msg *wm)
{
	struct feishu_job *job = (struct feishu_job *)wm;

	if (wm->result == INBOX_RETRY) {
		router_respond(wm->req, ROUTE, 503, JSON, "{}", 2);
	} else {
		router_respond(wm->req, ROUTE, 200, JSON, "{}", 2);
		if (wm->result == INBOX_DONE)
			webhook_deliver(wm);
	}
	job_free(job);
}

/* The event's JSON: the body itself, or its decrypted "encrypt" member into
 * *plain. 0, or a negative error after the request was refused. */
static int open_body(struct http_request *req, const struct webhook_where *w,
                     const char *encrypt_key, bool *signed_ok, char **plain, size_t *len)
{
	uint8_t key[FEISHU_KEY_LEN];
	char *encrypt = NULL;
	int rc = feishu_envelope(req->body, req->body_len, &encrypt);

	*plain = NULL;
	*signed_ok = false;
	if (rc == -ENOENT && !encrypt_key)
		return 0;
	if (rc == -ENOENT) {
		webhook_reject(req, w, 401, "bad_signature", "plaintext body, but an encrypt_key is set");
		return -EACCES;
	}
	if (rc < 0) {
		webhook_reject(req, w, rc == -ENOMEM ? 503 : 400, rc == -ENOMEM ? "error" : "malformed",
		               rc == -ENOMEM ? "out of memory" : "body is not a JSON object");
		return rc;
	}
	if (!encrypt_key) {
		webhook_reject(req, w, 400, "malformed", "encrypted body, but no encrypt_key is set");
		free(encrypt);
		return -EINVAL;
	}
	const char *sig = http_request_header(req, "X-Lark-Signature");
	if (sig && feishu_verify_signature(http_request_header(req, "X-Lark-Request-Timestamp"),
	                                   http_request_header(req, "X-Lark-Request-Nonce"),
	                                   encrypt_key, req->body, req->body_len, sig) < 0) {
		webhook_reject(req, w, 401, "bad_signature", "bad X-Lark-Signature");
		free(encrypt);
		return -EACCES;
	}
	*signed_ok = sig != NULL;
	rc = feishu_key(encrypt_key, key);
	if (rc == 0)
		rc = feishu_decrypt(key, encrypt, strlen(encrypt), plain, len);
	free(encrypt);
	if (rc < 0)
		webhook_reject(req, w, rc == -EBADMSG ? 400 : 503,
		               rc == -EBADMSG ? "malformed" : "error",
		               rc == -EBADMSG ? "encrypt is not valid ciphertext" : "cannot decrypt now");
	return rc;
}

void webhook_feishu(struct app *app, struct http_request *req, const char *name)
{
	const struct config_instance *inst = config_instance_find(app->cfg, "feishu", name);
	const char *token = inst ? config_instance_get(inst, "verification_token") : NULL;
	const char *encrypt_key = inst ? config_instance_get(inst, "encrypt_key") : NULL;
	struct webhook_where w = {.platform = "feishu", .route = ROUTE, .name = name};
	const char *stamp = http_request_header(req, "X-Lark-Request-Timestamp");
	const char *why = NULL;
	struct feishu_job *job;
	bool signed_ok;
	char *plain;
	size_t len;
	int rc;

	if (!token) {
		router_respond(req, ROUTE, 404, "text/plain", "not found\n", 10);
		return;
	}
	/* Feishu documents no freshness window; the hour is our choice
	 * (WEBHOOK_MAX_SKEW_S). Without an encrypt_key the header is unsigned,
	 * but checking it costs nothing. */
	if (stamp && !webhook_fresh(stamp)) {
		webhook_reject(req, &w, 401, "stale", "X-Lark-Request-Timestamp too far from now");
		return;
	}
	if (open_body(req, &w, encrypt_key, &signed_ok, &plain, &len) < 0)
		return;
	job = calloc(1, sizeof *job);
	if (!job) {
		webhook_reject(req, &w, 503, "error", "out of memory");
		free(plain);
		return;
	}
	snprintf(job->name, sizeof job->name, "%s", name);
	rc = plain ? feishu_decode(plain, len, job->name, &job->ev, &why)
	           : feishu_decode(req->body, req->body_len, job->name, &job->ev, &why);
	free(plain);
	if (rc < 0) {
		webhook_reject(req, &w, rc == -ENOMEM ? 503 : 400, rc == -ENOMEM ? "error" : "malformed",
		               rc == -ENOMEM ? "out of memory" : why);
		goto done;
	}
	if (feishu_check_token(&job->ev, token) < 0) {
		webhook_reject(req, &w, 401, "bad_token", "verification token missing or wrong");
		goto done;
	}
	if (job->ev.kind == FEISHU_CHALLENGE) {
		char *body = feishu_render_challenge(&job->ev);

		log_info("req %llu: feishu:%s: URL verification answered", (unsigned long long)req->id,
		         name);
		webhook_count("feishu", "verified");
		router_respond(req, ROUTE, body ? 200 : 503, JSON, body ? body : "{}",
		               body ? strlen(body) : 2);
		free(body);
		goto done;
	}
	if (encrypt_key && !signed_ok) {
		webhook_reject(req, &w, 401, "bad_signature", "event without X-Lark-Signature");
		goto done;
	}
	if (job->ev.kind == FEISHU_IGNORED) {
		webhook_count("feishu", "ignored");
		router_respond(req, ROUTE, 200, JSON, "{}", 2);
		goto done;
	}
	job->ev.msg.received_at = clock_now();
	job->ev.msg.request_id = req->id;
	w.name = job->name;
	webhook_msg_init(&job->wm, app, req, &w, &job->ev.msg, job->ev.event_id);
	job->wm.supported = job->ev.kind == FEISHU_MESSAGE;
	job->wm.finish = finish;
	if (webhook_submit(&job->wm) < 0) {
		webhook_reject(req, &w, 503, "error", "inbox unavailable");
		goto done;
	}
	return;
done:
	job_free(job);
}
