/*
 * The WeCom self-built app callback, /webhook/wecom/<name> (PROTOCOLS.md
 * §1.3-1.5).
 *
 * GET is the URL check: verify the signature over echostr, decrypt it, answer
 * its plaintext. POST is a message: verify, decrypt, decode, then run it as
 * one unit of the inbox's batch (id, command and answer commit together;
 * the answer as outbox rows for message/send, claimed by this flow). After
 * the COMMIT the answer goes as a passive encrypted reply in the HTTP
 * response — WeCom waits 5 s, and a command takes milliseconds — and its
 * rows are settled as sent; when it would not fit a passive text (2048
 * bytes) or the budget is spent, the response is an empty 200 and the rows
 * go through the sender (message/send) instead. So does an answer with
 * buttons: a passive reply is text, message/send takes the template card.
 * A button press (template_card_event, verified and decrypted like a
 * message) runs its EventKey as a command from the presser, its id the
 * sender, second and card; after the COMMIT the passive reply turns the
 * card's buttons into one reading 已处理 (未办理 when the answer is an
 * error) for the presser (update_button), and the answer goes by
 * message/send. The press's ResponseCode, good once to update the card,
 * goes to its kept card (an event's announcement, store_card.h) before
 * the command runs; with it, in case the passive reply cannot be made
 * (the answer came too late), the same change of the presser's buttons as
 * an update_template_card row, claimed: dropped once the passive reply
 * went, else left to the outbox. Events are recorded and
 * acknowledged, never answered: nobody typed them. WeCom retries when the
 * connection fails or times out: a failure that may pass closes the
 * connection unanswered.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>

#include "../lib/crypto.h"
#include "../lib/urlquery.h"
#include "../messages/wecom.h"
#include "../messages/wecom_crypto.h"
#include "../messages/platforms.h"
#include "../messages/text.h"
#include "app.h"
#include "../lib/clock.h"
#include "../lib/config.h"
#include "http.h"
#include "inbox.h"
#include "../lib/log.h"
#include "webhook.h"
#include "../store/store_card.h"
#include "../store/store_outbox.h"
#include "outbox.h"

#define ROUTE "/webhook/wecom"
#define PLATFORM (platform_wecom.name)
#define TEXT "text/plain; charset=utf-8"
#define XML "application/xml; charset=utf-8"
#define PASSIVE_MAX 2048        /* bytes of Content in a passive text reply */
#define PASSIVE_BUDGET_MS 4000  /* of WeCom's 5 s, leaving room for the network */
#define NONCE_DIGITS 10

/* What one instance needs, copied so a SIGHUP mid-request cannot pull it away. */
struct wecom_conf {
	uint8_t key[WECOM_KEY_LEN];
	char *token;
	char *corp_id;
};

/* One POST waiting for its inbox commit. */
struct wecom_job {
	struct webhook_msg wm;   /* first: the inbox's view of it */
	struct webhook_where where;
	char name[33];
	struct wecom_conf conf;
	struct wecom_msg wecom;
	uint64_t started_ms;
	int64_t press_row;       /* a press's card update, claimed; 0 none */
};

static void conf_free(struct wecom_conf *c)
{
	OPENSSL_cleanse(c->key, sizeof c->key);
	if (c->token) {
		OPENSSL_cleanse(c->token, strlen(c->token));
		free(c->token);
	}
	free(c->corp_id);
	memset(c, 0, sizeof *c);
}

/* 0, -ENOENT (no such instance), -EINVAL (unusable aes_key), -ENOMEM. */
static int conf_load(const struct config *cfg, const char *name, struct wecom_conf *c)
{
	const struct config_instance *inst = config_instance_find(cfg, PLATFORM, name);
	const char *token = inst ? config_instance_get(inst, "token") : NULL;
	const char *aes = inst ? config_instance_get(inst, "aes_key") : NULL;
	const char *corp = inst ? config_instance_get(inst, "corp_id") : NULL;

	memset(c, 0, sizeof *c);
	if (!token || !aes || !corp)
		return -ENOENT;
	if (wecom_crypto_key(aes, c->key) < 0)
		return -EINVAL;
	c->token = strdup(token);
	c->corp_id = strdup(corp);
	if (!c->token || !c->corp_id) {
		conf_free(c);
		return -ENOMEM;
	}
	return 0;
}

static void respond(struct http_request *req, int status, const char *type, const char *body,
                    size_t len)
{
	router_respond(req, ROUTE, status, type, body, len);
}

/* The signed query parameters; a missing one is left NULL. */
struct wecom_query {
	char *signature, *timestamp, *nonce, *echostr;
};

static void query_free(struct wecom_query *q)
{
	free(q->signature);
	free(q->timestamp);
	free(q->nonce);
	free(q->echostr);
}

/* 0, or -EINVAL when a parameter is missing or badly escaped. */
static int query_parse(const char *query, bool with_echostr, struct wecom_query *q)
{
	int rc = urlquery_get(query, "msg_signature", &q->signature);

	if (rc == 0)
		rc = urlquery_get(query, "timestamp", &q->timestamp);
	if (rc == 0)
		rc = urlquery_get(query, "nonce", &q->nonce);
	if (rc == 0 && with_echostr)
		rc = urlquery_get(query, "echostr", &q->echostr);
	return rc == -ENOMEM ? rc : rc < 0 ? -EINVAL : 0;
}

/* Refuses a request whose ciphertext did not decrypt to a message for us. */
static void reject_decrypt(struct http_request *req, const struct webhook_where *w, int rc)
{
	if (rc == -EPERM)
		webhook_reject(req, w, 403, "forbidden", "receiveid is not this corp_id");
	else if (rc == -EBADMSG)
		webhook_reject(req, w, 400, "malformed", "ciphertext, padding or length is bad");
	else
		webhook_reject(req, w, 503, "error", "cannot decrypt now");
}

static void verify_url(struct http_request *req, const struct webhook_where *w,
                       const struct wecom_conf *c, struct wecom_query *q)
{
	char *msg = NULL;
	size_t len = 0;
	int rc;

	if (!webhook_fresh(q->timestamp)) {
		webhook_reject(req, w, 401, "stale", "timestamp is missing or too far from now");
		return;
	}
	if (wecom_crypto_verify(c->token, q->timestamp, q->nonce, q->echostr, q->signature) < 0) {
		webhook_reject(req, w, 401, "bad_signature", "bad msg_signature");
		return;
	}
	rc = wecom_crypto_decrypt(c->key, q->echostr, strlen(q->echostr), c->corp_id, &msg, &len);
	if (rc < 0) {
		reject_decrypt(req, w, rc);
		return;
	}
	log_info("req %llu: wecom:%s: callback URL verified", (unsigned long long)req->id, w->name);
	webhook_count(w->platform, "verified");
	respond(req, 200, TEXT, msg, len);
	free(msg);
}

/* The passive reply envelope for `inner` (taken), or NULL when it cannot be
 * built. */
static char *passive_reply(const struct wecom_job *job, char *inner)
{
	char ts[24], nonce[NONCE_DIGITS + 1], sig[WECOM_SIG_HEX_LEN + 1];
	uint8_t rnd[NONCE_DIGITS];
	char *enc = NULL, *env = NULL;

	if (!inner || crypto_random(rnd, sizeof rnd) < 0) {
		free(inner);
		return NULL;
	}
	for (size_t i = 0; i < NONCE_DIGITS; i++)
		nonce[i] = (char)('0' + rnd[i] % 10);
	nonce[NONCE_DIGITS] = '\0';
	snprintf(ts, sizeof ts, "%lld", (long long)clock_now());
	if (wecom_crypto_encrypt(job->conf.key, inner, strlen(inner), job->conf.corp_id,
	                                  &enc) == 0 &&
	    wecom_crypto_sign(job->conf.token, ts, nonce, enc, sig) == 0)
		env = wecom_render_envelope(enc, sig, ts, nonce);
	free(inner);
	free(enc);
	return env;
}

/* A press's fresh code goes to its card, if kept, before the command
 * runs (dispatch_unit's `before`). */
static int keep_code(void *arg, struct store *st)
{
	struct wecom_job *job = arg;

	return store_card_code(st, PLATFORM, job->name, job->wecom.task_id,
	                       job->wecom.response_code, clock_now());
}

/* A press's card update through the outbox, in case no passive reply can
 * be made: the presser's buttons become one reading 已处理 (未办理 for a
 * refusal or an error), by the press's code (dispatch_answer_fn, after the
 * answer's rows). Written claimed: after the COMMIT it is dropped when the
 * passive reply went, else released to the outbox. */
static int queue_press_update(void *arg, struct store *st, const struct reply *r)
{
	struct wecom_job *job = arg;
	const struct wecom_msg *w = &job->wecom;
	struct wecom_card_update u = {
		.task_id = w->task_id, .response_code = w->response_code, .userid = w->from_user,
		.replace_name = r->is_error ? TXT_CARD_NOT_DONE : TXT_CARD_DONE,
	};
	struct rendered parts;
	struct dest d;
	char key[512];
	int rc;

	/* A card too odd to name (a TaskId no card of ours has) stays as it is. */
	if (dest_fill(&d, &w->msg, DEST_CARD, w->task_id) < 0)
		return 0;
	rc = render_wecom_card_update(r, &u, &parts);
	if (rc < 0)
		return rc == -ENOMEM ? rc : 0;
	snprintf(key, sizeof key, "press:%s:%s", job->name, w->dedupe_id);
	rc = store_outbox_enqueue_claimed(st, &d, &parts, key, w->msg.request_id, &job->press_row);
	rendered_free(&parts);
	return rc == -EEXIST || rc == -EINVAL ? 0 : rc;
}

static void job_free(struct wecom_job *job)
{
	webhook_msg_free(&job->wm);
	wecom_msg_free(&job->wecom);
	conf_free(&job->conf);
	free(job);
}

/* Answers a press: its card's buttons turn into one that says the command
 * ran (passively, for the presser), and the answer goes through the
 * sender. */
static void answer_press(struct wecom_job *job)
{
	struct webhook_msg *wm = &job->wm;
	char *env = NULL;

	if (clock_mono_ms() - job->started_ms < PASSIVE_BUDGET_MS)
		env = passive_reply(job, wecom_render_update_button(
			                         job->wecom.from_user, job->conf.corp_id, clock_now(),
			                         wm->reply.is_error ? TXT_CARD_NOT_DONE : TXT_CARD_DONE));
	if (env)
		router_respond(wm->req, ROUTE, 200, XML, env, strlen(env));
	else
		respond(wm->req, 200, TEXT, "", 0);
	/* Too late for the passive reply: the card shows it by the outbox. */
	if (job->press_row && env)
		outbox_drop_claimed(wm->app->outbox, job->press_row);
	else if (job->press_row)
		outbox_release_claimed(wm->app->outbox, job->press_row);
	webhook_deliver(wm);
	free(env);
}

/* Answers a committed message: passively when possible, else through the
 * sender after an empty 200. */
static void answer(struct wecom_job *job)
{
	struct webhook_msg *wm = &job->wm;
	char *text = NULL, *env = NULL;

	if (job->wecom.kind == WECOM_CARD) {
		answer_press(job);
		return;
	}
	if (wm->parts.n && !wm->reply.n_actions)
		text = render_wecom_text(&wm->reply);
	if (text && strlen(text) <= PASSIVE_MAX &&
	    clock_mono_ms() - job->started_ms < PASSIVE_BUDGET_MS)
		env = passive_reply(job, wecom_render_text(job->wecom.from_user, job->conf.corp_id,
		                                           clock_now(), text));
	if (env) {
		router_respond(wm->req, ROUTE, 200, XML, env, strlen(env));
		webhook_delivered(wm);
	} else {
		respond(wm->req, 200, TEXT, "", 0);
		webhook_deliver(wm);
	}
	free(env);
	free(text);
}

static void finish(struct webhook_msg *wm)
{
	struct wecom_job *job = (struct wecom_job *)wm;

	if (wm->result == INBOX_RETRY)
		router_abort(wm->req, ROUTE);
	else if (wm->result == INBOX_DUPLICATE || !wm->run_command)
		/* A retry already answered, or an event: an empty 200 ends it. */
		respond(wm->req, 200, TEXT, "", 0);
	else
		answer(job);
	job_free(job);
}

static void receive(struct app *app, struct http_request *req, struct wecom_job *job,
                    const struct wecom_query *q)
{
	const struct webhook_where *w = &job->where;
	char *encrypt = NULL, *xml = NULL;
	const char *why = NULL;
	size_t len = 0;
	int rc;

	if (!webhook_fresh(q->timestamp)) {
		webhook_reject(req, w, 401, "stale", "timestamp is missing or too far from now");
		goto fail;
	}
	if (wecom_envelope_parse(req->body, req->body_len, &encrypt) < 0) {
		webhook_reject(req, w, 400, "malformed", "body is not an XML envelope with Encrypt");
		goto fail;
	}
	if (wecom_crypto_verify(job->conf.token, q->timestamp, q->nonce, encrypt, q->signature) <
	    0) {
		webhook_reject(req, w, 401, "bad_signature", "bad msg_signature");
		goto fail;
	}
	rc = wecom_crypto_decrypt(job->conf.key, encrypt, strlen(encrypt), job->conf.corp_id, &xml,
	                          &len);
	if (rc < 0) {
		reject_decrypt(req, w, rc);
		goto fail;
	}
	rc = wecom_decode(xml, len, job->name, &job->wecom, &why);
	if (rc < 0) {
		webhook_reject(req, w, rc == -ENOMEM ? 503 : 400, rc == -ENOMEM ? "error" : "malformed",
		               rc == -ENOMEM ? "out of memory" : why);
		goto fail;
	}
	/* The ciphertext decrypted for this corp_id: the corp vouches for the
	 * sender (chat.h). */
	job->wecom.msg.tenant = job->conf.corp_id;
	job->wecom.msg.received_at = clock_now();
	job->wecom.msg.request_id = req->id;
	webhook_msg_init(&job->wm, app, req, w, &job->wecom.msg, job->wecom.dedupe_id);
	job->wm.reply_key = job->wecom.msg.msg_id;
	job->wm.run_command = job->wecom.kind != WECOM_EVENT;
	job->wm.supported = job->wecom.kind == WECOM_TEXT || job->wecom.kind == WECOM_CARD;
	job->wm.finish = finish;
	if (job->wecom.kind == WECOM_CARD && job->wecom.task_id && *job->wecom.task_id &&
	    job->wecom.response_code) {
		job->wm.before = keep_code;
		job->wm.before_arg = job;
		job->wm.answer_more = queue_press_update;
		job->wm.answer_more_arg = job;
	}
	if (webhook_submit(&job->wm) < 0) {
		webhook_reject(req, w, 503, "error", "inbox unavailable");
		goto fail;
	}
	free(encrypt);
	free(xml);
	return;
fail:
	free(encrypt);
	free(xml);
	job_free(job);
}

void webhook_wecom(struct app *app, struct http_request *req, const char *name)
{
	struct wecom_query q = {0};
	struct wecom_job *job = calloc(1, sizeof *job);
	int rc;

	if (!job) {
		respond(req, 503, TEXT, "temporarily unavailable\n", 24);
		return;
	}
	job->started_ms = clock_mono_ms();
	snprintf(job->name, sizeof job->name, "%s", name);
	job->where = (struct webhook_where){.platform = PLATFORM, .route = ROUTE, .name = job->name};
	rc = conf_load(app->cfg, name, &job->conf);
	if (rc == -ENOENT) {
		respond(req, 404, TEXT, "not found\n", 10);
		goto done;
	}
	if (rc < 0) {
		webhook_reject(req, &job->where, 500, "error",
		               rc == -EINVAL ? "aes_key is not a valid EncodingAESKey" : "out of memory");
		goto done;
	}
	bool get = strcmp(req->method, "GET") == 0;
	rc = query_parse(req->query, get, &q);
	if (rc < 0) {
		webhook_reject(req, &job->where, rc == -ENOMEM ? 503 : 400,
		               rc == -ENOMEM ? "error" : "malformed",
		               "msg_signature, timestamp, nonce (and echostr) are required");
		goto done;
	}
	if (!get) {
		receive(app, req, job, &q);
		query_free(&q);
		return;
	}
	verify_url(req, &job->where, &job->conf, &q);
done:
	query_free(&q);
	job_free(job);
}
