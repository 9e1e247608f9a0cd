/*
 * Feishu/Lark event subscription, /webhook/feishu/<name> (PROTOCOLS.md
 * §3.1-3.4).
 *
 * With an encrypt_key, the request is authenticated before its ciphertext
 * is looked at (feishu_open): an event must carry a good X-Lark-Signature
 * over the raw body and is decrypted only then; the URL-check challenge,
 * which Feishu does not sign, is the one unsigned body decrypted, and must
 * carry the verification token. Every refusal before authentication gets
 * the same 401 "unauthorized" whatever failed (a padding oracle needs two
 * answers); the log says what. Without an encrypt_key the body is
 * plaintext, authenticated by its verification token only.
 *
 * A challenge is answered at once; a message runs as one unit of the
 * inbox's batch (event_id, command and answer commit together), is
 * acknowledged with 200 "{}" after the COMMIT, and its answer goes out
 * through the reply API; a button press (card.action.trigger, verified
 * like any event) runs its command the same way, from the presser, and is
 * answered after the COMMIT with a toast of the answer's first line (Feishu
 * waits 3 s) and, unless the card is shared (an event's), the card replaced
 * by the answer, the whole answer replying to the card as well; other
 * events, and group messages that do not
 * mention the bot, are acknowledged and dropped. Feishu pushes an event
 * again when it gets no 200: a failure that may pass is answered 503.
 *
 * Which mention is the bot: mentions[] entries carry open_ids, and the bot's
 * own comes from GET bot/v3/info (the sender fetches it once per instance,
 * on the loop); until then the instance's bot_open_id, if set, stands in,
 * and an entry's mentioned_type "bot" when there is no open_id to compare.
 * A group message that only the bot's open_id can place waits for that
 * fetch (the request stays open; the loop does not wait); if it fails, the
 * message is answered 503 and Feishu pushes it again.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>

#include "../messages/feishu.h"
#include "../lib/platform.h"
#include "../messages/platforms.h"
#include "app.h"
#include "../lib/clock.h"
#include "../lib/config.h"
#include "http.h"
#include "inbox.h"
#include "../lib/log.h"
#include "streams.h"
#include "webhook.h"

#define ROUTE "/webhook/feishu"
#define PLATFORM (platform_feishu.name)
#define JSON "application/json"
#define REFUSED "unauthorized\n"

struct feishu_job {
	struct webhook_msg wm;   /* first: the inbox's view of it */
	struct feishu_event ev;
	struct app *app;
	struct http_request *req;
	char name[33];
	char *plain;             /* the decrypted event, owned; NULL: the request body is it */
	size_t plain_len;
};

static void job_free(struct feishu_job *job)
{
	webhook_msg_free(&job->wm);
	feishu_event_free(&job->ev);
	if (job->plain) {
		OPENSSL_cleanse(job->plain, job->plain_len);
		free(job->plain);
	}
	free(job);
}

static struct webhook_where where(const struct feishu_job *job)
{
	return (struct webhook_where){.platform = PLATFORM, .route = ROUTE, .name = job->name};
}

static void finish(struct webhook_msg *wm)
{
	struct feishu_job *job = (struct feishu_job *)wm;

	if (wm->result == INBOX_RETRY) {
		router_respond(wm->req, ROUTE, 503, JSON, "{}", 2);
	} else {
		/* A shared card stays; any other shows the answer. */
		const char *done_by = job->ev.card_shared ? NULL : job->ev.msg.sender_id;
		char *toast = wm->result == INBOX_DONE && job->ev.kind == FEISHU_CARD_ACTION
		                      ? feishu_press_answer(&wm->reply, done_by)
		                      : NULL;

		router_respond(wm->req, ROUTE, 200, JSON, toast ? toast : "{}",
		               toast ? strlen(toast) : 2);
		free(toast);
		if (wm->result == INBOX_DONE)
			webhook_deliver(wm);
	}
	job_free(job);
}

/* A refusal before authentication on an instance with an encrypt_key: one
 * status and body whatever failed; `why` goes to the log only. */
static void refuse(struct http_request *req, const struct webhook_where *w, const char *why)
{
	log_warn("req %llu: feishu:%s: %s (from %s)", (unsigned long long)req->id, w->name, why,
	         req->remote);
	webhook_count(PLATFORM, "unauthorized");
	router_respond(req, ROUTE, 401, "text/plain; charset=utf-8", REFUSED, strlen(REFUSED));
}

static void answer_challenge(struct http_request *req, const struct webhook_where *w,
                             const struct feishu_event *ev)
{
	char *body = feishu_render_challenge(ev);

	log_info("req %llu: feishu:%s: URL verification answered", (unsigned long long)req->id,
	         w->name);
	webhook_count(PLATFORM, "verified");
	router_respond(req, ROUTE, body ? 200 : 503, JSON, body ? body : "{}",
	               body ? strlen(body) : 2);
	free(body);
}

/* Whether a request's stamp may be a retry of an event: Feishu pushes an
 * event again for up to 7.1 hours, so as far back as the dedupe window,
 * where a retry of an event that ran is found a duplicate; older is stale. */
static bool fresh(const struct app *app, const char *stamp)
{
	return webhook_fresh_within(stamp, (int64_t)app->cfg->dedupe_hours * 3600);
}

/* The event's JSON of a request to an instance without an encrypt_key: the
 * body itself. 0, or a negative error after the request was refused. */
static int open_plain(const struct app *app, struct http_request *req,
                      const struct webhook_where *w, const char *stamp)
{
	char *encrypt = NULL;
	int rc;

	/* The header is unsigned here, but checking it costs nothing. */
	if (stamp && !fresh(app, stamp)) {
		webhook_reject(req, w, 401, "stale", "X-Lark-Request-Timestamp too far from now");
		return -EACCES;
	}
	rc = feishu_envelope(req->body, req->body_len, &encrypt);
	free(encrypt);
	if (rc == -ENOENT)
		return 0;
	if (rc == 0)
		webhook_reject(req, w, 400, "malformed", "encrypted body, but no encrypt_key is set");
	else
		webhook_reject(req, w, rc == -ENOMEM ? 503 : 400, rc == -ENOMEM ? "error" : "malformed",
		               rc == -ENOMEM ? "out of memory" : "body is not a JSON object");
	return rc == 0 ? -EINVAL : rc;
}

/* Runs a decoded event: acknowledges what is not a command, submits the
 * rest to the inbox. Takes the job. */
static void run(struct feishu_job *job)
{
	struct webhook_where w = where(job);

	if (job->ev.kind == FEISHU_IGNORED) {
		webhook_count(PLATFORM, "ignored");
		router_respond(job->req, ROUTE, 200, JSON, "{}", 2);
		job_free(job);
		return;
	}
	job->ev.msg.received_at = clock_now();
	job->ev.msg.request_id = job->req->id;
	webhook_msg_init(&job->wm, job->app, job->req, &w, &job->ev.msg, job->ev.event_id);
	job->wm.supported = job->ev.kind == FEISHU_MESSAGE || job->ev.kind == FEISHU_CARD_ACTION;
	job->wm.finish = finish;
	if (webhook_submit(&job->wm) < 0) {
		webhook_reject(job->req, &w, 503, "error", "inbox unavailable");
		job_free(job);
	}
}

/* Refuses an authenticated event feishu_decode returned rc for. */
static void reject_decode(struct feishu_job *job, int rc, const char *why)
{
	struct webhook_where w = where(job);

	webhook_reject(job->req, &w, rc == -ENOMEM ? 503 : 400, rc == -ENOMEM ? "error" : "malformed",
	               rc == -ENOMEM ? "out of memory" : why);
}

static const char *event_json(const struct feishu_job *job, size_t *len)
{
	*len = job->plain ? job->plain_len : job->req->body_len;
	return job->plain ? job->plain : job->req->body;
}

/* The sender has the bot's open_id now (NULL: it could not be had): decodes
 * the waiting group message again and runs it. Takes the job. */
static void on_bot(void *arg, const char *bot_open_id)
{
	struct feishu_job *job = arg;
	struct webhook_where w = where(job);
	const char *json, *why = NULL;
	size_t len;
	int rc;

	if (!bot_open_id) {
		/* Feishu pushes it again in 15 s. */
		webhook_reject(job->req, &w, 503, "error",
		               "cannot tell whether a group message is for the bot: its open_id "
		               "is not known (see bot_open_id)");
		job_free(job);
		return;
	}
	feishu_event_free(&job->ev);
	json = event_json(job, &len);
	rc = feishu_decode(json, len, job->name, bot_open_id, &job->ev, &why);
	if (rc < 0) {
		reject_decode(job, rc, why);
		job_free(job);
		return;
	}
	run(job);
}

/* Decodes the authenticated event with the bot's open_id as far as it is
 * known and runs it, or has it wait for the open_id. Takes the job. */
static void decode(struct feishu_job *job, const struct config_instance *inst,
                   const char *token)
{
	struct app *app = job->app;
	struct webhook_where w = where(job);
	const char *fetched = app->sender ? sender_bot_id(app->sender, PLATFORM, job->name) : NULL;
	const char *bot = fetched ? fetched : config_instance_get(inst, "bot_open_id");
	const char *json, *why = NULL;
	size_t len;
	int rc;

	json = event_json(job, &len);
	rc = feishu_decode(json, len, job->name, bot, &job->ev, &why);
	if (rc < 0 && rc != -EAGAIN) {
		reject_decode(job, rc, why);
		goto done;
	}
	if (feishu_check_token(&job->ev, token) < 0) {
		webhook_reject(job->req, &w, 401, "bad_token", "verification token missing or wrong");
		goto done;
	}
	if (rc == 0 && job->ev.kind == FEISHU_CHALLENGE) {
		answer_challenge(job->req, &w, &job->ev);
		goto done;
	}
	/* A group is where the bot's open_id matters: learn it, in the
	 * background unless this message needs it now. */
	if (rc == 0 && job->ev.msg.kind == CHAT_GROUP && !fetched && app->sender)
		sender_bot_fetch(app->sender, PLATFORM, job->name, NULL, NULL);
	if (rc == 0) {
		run(job);
		return;
	}
	rc = app->sender ? sender_bot_fetch(app->sender, PLATFORM, job->name, on_bot, job) : -ENOTSUP;
	if (rc == 0) {
		log_info("req %llu: feishu:%s: waiting for the bot's open_id",
		         (unsigned long long)job->req->id, job->name);
		return;
	}
	on_bot(job, rc == 1 ? sender_bot_id(app->sender, PLATFORM, job->name) : NULL);
	return;
done:
	job_free(job);
}

/* Authenticates and opens a request to an instance with an encrypt_key
 * (feishu_open): true when it holds an event to decode, in job->plain;
 * otherwise it was answered (refused, or a URL challenge). */
static bool open_encrypted(struct feishu_job *job, const char *encrypt_key, const char *token,
                           const char *stamp)
{
	struct http_request *req = job->req;
	struct webhook_where w = where(job);
	struct feishu_request rq = {
		.timestamp = stamp,
		.nonce = http_request_header(req, "X-Lark-Request-Nonce"),
		.signature = http_request_header(req, "X-Lark-Signature"),
		.body = req->body,
		.len = req->body_len,
	};
	const char *why = "error";
	int rc;

	/* Refused like every other failure before the signature is checked. */
	if (stamp && !fresh(job->app, stamp)) {
		refuse(req, &w, "X-Lark-Request-Timestamp too far from now");
		return false;
	}
	rc = feishu_open(&rq, encrypt_key, token, &job->plain, &job->plain_len, &job->ev, &why);
	if (rc == FEISHU_OPENED_EVENT)
		return true;
	if (rc == FEISHU_OPENED_CHALLENGE)
		answer_challenge(req, &w, &job->ev);
	else if (rc == -EACCES)
		refuse(req, &w, why);
	else if (rc == -EBADMSG)
		webhook_reject(req, &w, 400, "malformed", why);
	else
		webhook_reject(req, &w, 503, "error", why);
	return false;
}

void webhook_feishu(struct app *app, struct http_request *req, const char *name)
{
	const struct config_instance *inst = config_instance_find(app->cfg, PLATFORM, name);
	/* An instance in stream mode takes its events over its own
	 * connection only. */
	const char *token =
		inst && !stream_mode(inst) ? config_instance_get(inst, "verification_token") : NULL;
	const char *encrypt_key = inst ? config_instance_get(inst, "encrypt_key") : NULL;
	const char *stamp = http_request_header(req, "X-Lark-Request-Timestamp");
	struct webhook_where w = {.platform = PLATFORM, .route = ROUTE, .name = name};
	struct feishu_job *job;

	if (!token) {
		router_respond(req, ROUTE, 404, "text/plain", "not found\n", 10);
		return;
	}
	job = calloc(1, sizeof *job);
	if (!job) {
		webhook_reject(req, &w, 503, "error", "out of memory");
		return;
	}
	job->app = app;
	job->req = req;
	snprintf(job->name, sizeof job->name, "%s", name);
	if (encrypt_key ? !open_encrypted(job, encrypt_key, token, stamp)
	                : open_plain(app, req, &w, stamp) < 0) {
		job_free(job);
		return;
	}
	decode(job, inst, token);
}
