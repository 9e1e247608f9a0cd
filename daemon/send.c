/*
 * Sending one rendered body: the flow common to all platforms.
 *
 *   sender_send ─> [token: cached, or wait for the one fetch in flight]
 *               ─> build the request (platform)
 *               ─> [paced: take the destination's rate token, or wait for
 *                   it on the timer and build again]
 *               ─> httpout ─> classify the answer (platform)
 *                    token refused, first time: refresh (a token other than
 *                    the refused one) and send again, once, through the
 *                    same steps: the retry takes a rate token too
 *                    otherwise: done(result), counted in
 *                    cqod_outbound_requests_total{platform,outcome}
 *
 * What holds: done runs exactly once per accepted send, never from inside
 * sender_send; every request of a paced send takes its destination's rate
 * token right before it starts (the guarantee is in platform.h, at struct
 * send_pace); the instance's settings are read from the current
 * configuration at every attempt (a SIGHUP applies to the next request);
 * sender_close completes everything in flight right away (SEND_TRANSIENT
 * "cancelled") and frees the sender from a close callback, so it may be
 * called from a done callback. Neither tokens, keys, URLs (they carry keys)
 * nor message text reach the log.
 *
 * The same flow, without a body, learns a bot's own id (sender_bot_fetch:
 * token, the platform's bot_build request, refresh and retry once); it is
 * not a send and is not counted as one.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/clock.h"
#include "../lib/log.h"
#include "../lib/metrics.h"
#include "../lib/strbuf.h"
#include "../messages/sign.h"
#include "../lib/crypto.h"
#include "send_internal.h"
#include "transports.h"

#define METRIC "cqod_outbound_requests_total"
#define BOT_RETRY_MS ((uint64_t)SENDER_BOT_RETRY_S * 1000)

struct bot_entry;

struct sender {
	uv_loop_t *loop;
	struct config *const *cfgp;
	struct httpout *h;          /* NULL once closing */
	struct tokens *tokens;
	/* Wakes the sends waiting for a rate token; closing it defers the free
	 * to its close callback. */
	uv_timer_t timer;
	struct send_op *waiting;    /* sends waiting for a rate token, unordered;
	                             * an op is freed when done, as any */
	size_t pending;             /* accepted sends not yet done */
	struct bot_entry *bots;     /* sender_bot_fetch */
	bool closing;
};

struct send_op {
	struct sender *s;
	const struct send_platform *p;
	struct dest d;
	char *body;         /* an upload: the file's bytes (len of them) */
	size_t len;
	char *file_name;    /* an upload's file name; NULL: a message */
	char *token;        /* token of the current attempt; wiped when freed */
	bool retried;
	struct send_pace pace;      /* take NULL: unpaced */
	uint64_t due_ms;            /* waiting: when the rate token is back (uv_now) */
	struct send_op *next;       /* on s->waiting */
	send_done_fn done;
	void *arg;
};

static const char *const kind_names[] = {"user", "chat", "robot", "session", "reply", "card"};
static const char *const outcome_names[] = {"ok", "rate_limited", "transient", "permanent"};

void send_result_set(struct send_result *res, enum send_outcome outcome, int retry_after_s,
                     long http_status, long code, const char *fmt, ...)
{
	va_list ap;

	res->outcome = outcome;
	res->retry_after_s = retry_after_s;
	res->http_status = (int)http_status;
	res->platform_code = code;
	va_start(ap, fmt);
	vsnprintf(res->detail, sizeof res->detail, fmt, ap);
	va_end(ap);
}

bool send_classify_http(const struct httpout_response *r, struct send_result *res)
{
	if (r->error) {
		send_result_set(res, SEND_TRANSIENT, 0, r->status, 0, "%s", r->error);
		return true;
	}
	if (r->status >= 500) {
		send_result_set(res, SEND_TRANSIENT, 0, r->status, 0, "HTTP %ld", r->status);
		return true;
	}
	return false;
}

const char *send_clean_msg(const char *msg, char *buf, size_t len)
{
	size_t o = 0;

	for (; msg && *msg && o + 1 < len; msg++)
		buf[o++] = *msg >= 0x20 && *msg < 0x7f ? *msg : '?';
	if (len)
		buf[o] = '\0';
	return buf;
}

int send_until_next_minute(void)
{
	int64_t now = clock_now();

	return (int)(60 - (now % 60 + 60) % 60);
}

char *send_base(const struct config_instance *in, const char *key, const char *def)
{
	const char *v = config_instance_get(in, key);
	char *b = strdup(v ? v : def);
	size_t n = b ? strlen(b) : 0;

	while (n > 0 && b[n - 1] == '/')
		b[--n] = '\0';
	return b;
}

int send_media_upload(const struct config_instance *in, const char *base_key,
                      const char *base_def, const char *path, const char *token,
                      const char *name, const char *data, size_t len, struct send_http *out,
                      struct send_form *form)
{
	char *base = send_base(in, base_key, base_def);
	struct strbuf sb;

	if (!base)
		return -ENOMEM;
	strbuf_init(&sb);
	strbuf_appends(&sb, base);
	free(base);
	strbuf_appends(&sb, path);
	sign_urlencode(&sb, token);
	out->method = HTTPOUT_POST;
	out->url = strbuf_detach(&sb);
	form->parts[0] = (struct httpout_part){"media", name, SEND_XLSX_TYPE, data, len};
	form->n = 1;
	return out->url ? 0 : -ENOMEM;
}

char *send_media_id(const struct httpout_response *r)
{
	cJSON *root = send_json_parse(r);
	const char *id = send_json_str(root, "media_id");
	char *out = id ? strdup(id) : NULL;

	cJSON_Delete(root);
	return out;
}

int send_token_post(const struct config_instance *in, const char *base_def, const char *path,
                    const char *id_json, const char *id_key, const char *secret_json,
                    const char *secret_key, struct token_fetch *f, char **url, char **body)
{
	char *base = send_base(in, "api_base", base_def);
	cJSON *o = cJSON_CreateObject();

	*url = NULL;
	*body = NULL;
	if (base && o && cJSON_AddStringToObject(o, id_json, config_instance_get(in, id_key)) &&
	    cJSON_AddStringToObject(o, secret_json, config_instance_get(in, secret_key)))
		*body = cJSON_PrintUnformatted(o);
	if (*body && asprintf(url, "%s%s", base, path) < 0)
		*url = NULL;
	if (o) {
		/* The tree holds the secret too. */
		cJSON *sec = cJSON_GetObjectItemCaseSensitive(o, secret_json);
		if (cJSON_IsString(sec))
			explicit_bzero(sec->valuestring, strlen(sec->valuestring));
	}
	cJSON_Delete(o);
	free(base);
	if (!*url)
		return -ENOMEM;
	f->method = HTTPOUT_POST;
	f->url = *url;
	f->body = *body;
	return 0;
}

char *send_splice(const char *body, const char *fields)
{
	const char *rest;
	char *out;

	if (body[0] != '{')
		return NULL;
	rest = body + 1 + strspn(body + 1, " \t\r\n");
	if (asprintf(&out, "{%s%s%s", fields, *rest == '}' ? "" : ",", body + 1) < 0)
		return NULL;
	return out;
}

char *send_json_quote(const char *s)
{
	cJSON *str = cJSON_CreateString(s);
	char *out = str ? cJSON_PrintUnformatted(str) : NULL;

	cJSON_Delete(str);
	return out;
}

cJSON *send_json_parse(const struct httpout_response *r)
{
	return r->len ? cJSON_ParseWithLength(r->body, r->len) : NULL;
}

bool send_json_long(const cJSON *o, const char *name, long *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	if (!cJSON_IsNumber(v))
		return false;
	*out = (long)v->valuedouble;
	return true;
}

const char *send_json_str(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

void send_http_free(struct send_http *h)
{
	free(h->url);
	free(h->body);
	if (h->auth) {
		explicit_bzero(h->auth, strlen(h->auth));
		free(h->auth);
	}
	memset(h, 0, sizeof *h);
}

/* Frees a string that may hold a secret (a token, credentials). */
static void wipe_free(char *s)
{
	if (s)
		explicit_bzero(s, strlen(s));
	free(s);
}

static void op_free(struct send_op *op)
{
	if (op->token) {
		explicit_bzero(op->token, strlen(op->token));
		free(op->token);
	}
	free(op->body);
	free(op->file_name);
	free(op);
}

static void op_finish(struct send_op *op, const struct send_result *res)
{
	char labels[96];
	send_done_fn done = op->done;
	void *arg = op->arg;

	snprintf(labels, sizeof labels, "platform=\"%s\",outcome=\"%s\"", op->p->codec->name,
	         outcome_names[res->outcome]);
	metrics_add(METRIC, labels, 1);
	if (res->outcome == SEND_OK)
		log_debug("outbound %s/%s %s: sent", op->d.platform, op->d.instance,
		          kind_names[op->d.kind]);
	else if (res->outcome == SEND_PERMANENT)
		log_warn("outbound %s/%s %s: failed for good: %s", op->d.platform, op->d.instance,
		         kind_names[op->d.kind], res->detail);
	else
		log_info("outbound %s/%s %s: %s: %s", op->d.platform, op->d.instance,
		         kind_names[op->d.kind], outcome_names[res->outcome], res->detail);
	op->s->pending--;
	op_free(op);
	done(arg, res);
}

static const struct config_instance *op_instance(const struct send_op *op)
{
	const struct platform_codec *c = op->p->codec;
	const struct config_section_def *sec = op->d.kind == DEST_ROBOT ? c->robot_section
	                                                                : c->section;

	return sec ? config_instance_find(*op->s->cfgp, sec->name, op->d.instance) : NULL;
}

static void on_answer(void *arg, const struct httpout_response *r);
static void on_wait_over(uv_timer_t *t);
static int op_token(struct send_op *op, const char *stale, const char **why);

/* Sets the timer for the first waiting send to be due. */
static void arm(struct sender *s)
{
	uint64_t first = UINT64_MAX, now = uv_now(s->loop);

	if (s->closing)
		return;
	for (const struct send_op *op = s->waiting; op; op = op->next)
		if (op->due_ms < first)
			first = op->due_ms;
	if (first == UINT64_MAX)
		uv_timer_stop(&s->timer);
	else
		uv_timer_start(&s->timer, on_wait_over, first > now ? first - now : 0, 0);
}

/* Takes op's rate token for a request starting now: 0, or the milliseconds
 * until it is back (nothing taken). Unpaced sends always may go. */
static uint64_t op_take(struct send_op *op)
{
	if (!op->pace.take)
		return 0;
	/* The loop's clock dates from before this iteration's callbacks: the
	 * token is taken at the time the request really starts. */
	uv_update_time(op->s->loop);
	return op->pace.take(op->pace.arg, uv_now(op->s->loop));
}

/* Starts an upload with op->token: a multipart POST, unpaced. 0, or a
 * negative errno with *why. */
static int op_upload(struct send_op *op, const struct config_instance *in, const char **why)
{
	const struct config *cfg = *op->s->cfgp;
	struct send_http http = {0};
	struct send_form form = {0};
	const char *headers[2] = {NULL, NULL};
	int rc = op->p->upload_build(in, &op->d, op->token, op->file_name, op->body, op->len,
	                             &http, &form);

	if (rc == 0) {
		struct httpout_req req = {
			.method = HTTPOUT_POST, .url = http.url, .headers = headers,
			.parts = form.parts, .n_parts = form.n, .timeout_ms = cfg->outbound_timeout_ms,
			.ca_file = cfg->ca_file,
		};

		headers[0] = http.auth;
		rc = httpout_request(op->s->h, &req, on_answer, op);
		if (rc < 0)
			*why = rc == -ESHUTDOWN ? "cancelled" : "cannot start the upload";
	} else if (rc == -ENOMEM) {
		*why = "out of memory";
	}
	send_http_free(&http);
	return rc;
}

/* Sends the body once with op->token (NULL: none needed) as soon as the
 * destination's rate token is there: now, or from the timer. 0, or a
 * negative errno with *why when it could not start. */
static int op_attempt(struct send_op *op, const char **why)
{
	const struct config_instance *in = op_instance(op);
	const struct config *cfg = *op->s->cfgp;
	struct send_http http = {0};
	const char *headers[3] = {SEND_CONTENT_TYPE, NULL, NULL};
	uint64_t wait;
	int rc;

	if (!op->s->h) {
		*why = "cancelled";
		return -ESHUTDOWN;
	}
	if (!in) {
		*why = "no such instance in the configuration";
		return -ENOENT;
	}
	if (op->file_name)
		return op_upload(op, in, why);
	/* Built before the token is taken: a send that cannot be built takes
	 * none; built again after a wait, so signatures are fresh. */
	rc = op->p->build(in, &op->d, op->body, op->token, &http, why);
	if (rc == 0 && (wait = op_take(op)) > 0) {
		op->due_ms = uv_now(op->s->loop) + wait;
		op->next = op->s->waiting;
		op->s->waiting = op;
		arm(op->s);
	} else if (rc == 0) {
		struct httpout_req req = {
			.method = http.method, .url = http.url, .headers = headers,
			.body = http.body ? http.body : op->body, .timeout_ms = cfg->outbound_timeout_ms,
			.ca_file = cfg->ca_file,
		};

		req.body_len = strlen(req.body);
		headers[1] = http.auth;
		rc = httpout_request(op->s->h, &req, on_answer, op);
		if (rc < 0)
			*why = rc == -ESHUTDOWN ? "cancelled" : "cannot start the request";
	} else if (rc == -ENOMEM) {
		*why = "out of memory";
	}
	send_http_free(&http);
	return rc;
}

/* Ends an op that failed to start after sender_send returned. */
static void op_fail(struct send_op *op, int rc, const char *why)
{
	struct send_result res = {0};

	send_result_set(&res, rc == -EINVAL || rc == -ENOENT ? SEND_PERMANENT : SEND_TRANSIENT, 0,
	                0, 0, "%s", why);
	op_finish(op, &res);
}

static void on_wait_over(uv_timer_t *t)
{
	struct sender *s = t->data;
	struct send_op *op = s->waiting, *next;
	uint64_t now = uv_now(s->loop);

	/* Detached: a done callback may send (and wait) again, or close the
	 * sender, which cancels what is on the list; once closing, op_attempt
	 * cancels the rest. */
	s->waiting = NULL;
	for (; op; op = next) {
		const char *why = NULL;
		int rc;

		next = op->next;
		if (op->due_ms > now && !s->closing) {
			op->next = s->waiting;
			s->waiting = op;
			continue;
		}
		rc = op_attempt(op, &why);
		if (rc < 0)
			op_fail(op, rc, why ? why : "error");
	}
	arm(s);
}

static void on_token(void *arg, const char *token, const struct send_result *err)
{
	struct send_op *op = arg;
	const char *why = NULL;
	int rc;

	if (err) {
		op_finish(op, err);
		return;
	}
	op->token = strdup(token);
	rc = op->token ? op_attempt(op, &why) : -ENOMEM;
	if (rc < 0)
		op_fail(op, rc, why ? why : "out of memory");
}

/* Asks the cache for the token of instance `in` of p, other than `stale`:
 * tokens_get's answer (1 with *token, 0 when cb will be called), or a
 * negative errno with *why. */
static int get_token(struct sender *s, const struct send_platform *p,
                     const struct config_instance *in, const char *instance, const char *stale,
                     const char **token, tokens_fn cb, void *arg, const char **why)
{
	const struct config *cfg = *s->cfgp;
	struct token_fetch f = {0};
	char key[64], *url = NULL, *body = NULL;
	int rc;

	snprintf(key, sizeof key, "%s/%s", p->codec->name, instance);
	rc = p->token_fetch(in, &f, &url, &body);
	if (rc == 0) {
		f.key = key;
		f.timeout_ms = cfg->outbound_timeout_ms;
		f.ca_file = cfg->ca_file;
		rc = tokens_get(s->tokens, &f, stale, token, cb, arg);
	}
	wipe_free(body);
	wipe_free(url);
	if (rc < 0)
		*why = rc == -ENOMEM ? "out of memory" : "cannot request an access token";
	return rc;
}

/* Gets a token other than `stale` and sends: 0 (now or once the token comes)
 * or a negative errno with *why. */
static int op_token(struct send_op *op, const char *stale, const char **why)
{
	const struct config_instance *in = op_instance(op);
	const char *token;
	int rc;

	if (!op->s->h) {
		*why = "cancelled";
		return -ESHUTDOWN;
	}
	if (!in) {
		*why = "no such instance in the configuration";
		return -ENOENT;
	}
	rc = get_token(op->s, op->p, in, op->d.instance, stale, &token, on_token, op, why);
	if (rc == 1) {
		char *copy = strdup(token);

		if (!copy) {
			*why = "out of memory";
			return -ENOMEM;
		}
		if (op->token) {
			explicit_bzero(op->token, strlen(op->token));
			free(op->token);
		}
		op->token = copy;
		return op_attempt(op, why);
	}
	return rc;
}

/* The media id of an upload's good answer into res; an answer without
 * one is a failure that may pass. */
static void media_of(struct send_op *op, const struct httpout_response *r, struct send_result *res)
{
	char *id = op->p->media_read(r);

	if (id && *id && strlen(id) < sizeof res->media_id)
		snprintf(res->media_id, sizeof res->media_id, "%s", id);
	else
		send_result_set(res, SEND_TRANSIENT, 0, r->status, 0, "upload: no media id");
	free(id);
}

static void on_answer(void *arg, const struct httpout_response *r)
{
	struct send_op *op = arg;
	struct send_result res = {0};
	const char *why = NULL;
	char *stale;
	int rc;

	enum send_verdict v = op->file_name && op->p->upload_classify
	                      ? op->p->upload_classify(&op->d, r, &res)
	                      : op->p->classify(&op->d, r, &res);

	if (v == VERDICT_DONE) {
		if (op->file_name && res.outcome == SEND_OK)
			media_of(op, r, &res);
		op_finish(op, &res);
		return;
	}
	if (op->retried || op->s->closing) {
		/* A token refused right after a refresh: let the caller retry later. */
		send_result_set(&res, SEND_TRANSIENT, 0, res.http_status, res.platform_code,
		                "access token refused after a refresh");
		op_finish(op, &res);
		return;
	}
	op->retried = true;
	stale = op->token;
	op->token = NULL;
	rc = op_token(op, stale, &why);
	if (stale) {
		explicit_bzero(stale, strlen(stale));
		free(stale);
	}
	if (rc < 0)
		op_fail(op, rc, why);
}

/* The sender of platform `name` (its transport row), or NULL. */
static const struct send_platform *send_platform_find(const char *name)
{
	const struct transport *t = transport_find(name);

	return t ? t->send : NULL;
}

int sender_send(struct sender *s, const struct dest *d, const char *body, send_done_fn done,
                void *arg)
{
	return sender_send_paced(s, d, body, NULL, done, arg);
}

int sender_send_paced(struct sender *s, const struct dest *d, const char *body,
                      const struct send_pace *pace, send_done_fn done, void *arg)
{
	const struct transport *t = transport_find(d->platform);
	const struct send_platform *p = send_platform_find(d->platform);
	const char *why = NULL;
	struct send_op *op;
	int rc;

	if (s->closing)
		return -ESHUTDOWN;
	/* A long connection's frames: no token, no request; unpaced, as
	 * WeCom documents no rate for them. */
	if (t && t->send_frame)
		return body && done ? t->send_frame(d, body, done, arg) : -EINVAL;
	if (!p || !p->kind_ok(d->kind) || !body || !done)
		return -EINVAL;
	op = calloc(1, sizeof *op);
	if (!op || !(op->body = strdup(body))) {
		free(op);
		return -ENOMEM;
	}
	op->s = s;
	op->p = p;
	op->d = *d;
	op->done = done;
	op->arg = arg;
	if (pace)
		op->pace = *pace;
	if (p->needs_token(d->kind))
		rc = op_token(op, NULL, &why);
	else
		rc = op_attempt(op, &why);
	if (rc < 0) {
		log_warn("outbound %s/%s %s: not sent: %s", d->platform, d->instance,
		         kind_names[d->kind], why ? why : "error");
		op_free(op);
		return rc;
	}
	s->pending++;
	return 0;
}

int sender_upload(struct sender *s, const struct dest *d, const char *name, const char *data,
                  size_t len, send_done_fn done, void *arg)
{
	const struct send_platform *p = send_platform_find(d->platform);
	const char *why = NULL;
	struct send_op *op;
	int rc;

	if (s->closing)
		return -ESHUTDOWN;
	if (!p || !p->upload_build || !p->kind_ok(d->kind) || !p->needs_token(d->kind))
		return -ENOTSUP;
	if (!name || !*name || !data || !len || !done)
		return -EINVAL;
	op = calloc(1, sizeof *op);
	if (!op || !(op->body = malloc(len)) || !(op->file_name = strdup(name))) {
		if (op)
			free(op->body);
		free(op);
		return -ENOMEM;
	}
	memcpy(op->body, data, len);
	op->len = len;
	op->s = s;
	op->p = p;
	op->d = *d;
	op->done = done;
	op->arg = arg;
	rc = op_token(op, NULL, &why);
	if (rc < 0) {
		log_warn("outbound %s/%s %s: upload not started: %s", d->platform, d->instance,
		         kind_names[d->kind], why ? why : "error");
		op_free(op);
		return rc;
	}
	s->pending++;
	return 0;
}

int sender_file_body(const struct dest *d, const char *media_id, const char *name, char **out)
{
	const struct send_platform *p = send_platform_find(d->platform);

	*out = NULL;
	if (!p || !p->file_body || !p->kind_ok(d->kind) || !p->needs_token(d->kind))
		return -ENOTSUP;
	*out = p->file_body(d, media_id, name);
	return *out ? 0 : -ENOMEM;
}

size_t sender_pending(const struct sender *s)
{
	return s->pending;
}

/*
 * The bots' own ids (sender_bot_fetch). One entry per instance, kept for
 * the sender's life: the id once known, and at most one fetch at a time (a
 * token from the shared cache, then the platform's bot_build request, the
 * token refreshed and the request sent again once when refused), whose
 * waiters are all answered when it ends, with the id or NULL.
 */
struct bot_waiter {
	struct bot_waiter *next;
	sender_bot_fn cb;
	void *arg;
};

struct bot_entry {
	struct bot_entry *next;
	struct sender *s;
	const struct send_platform *p;
	char instance[33];
	uint8_t fp[CRYPTO_SHA256_LEN];        /* of the instance's token request */
	uint8_t fetch_fp[CRYPTO_SHA256_LEN];  /* ... when the fetch under way began */
	char *id;                             /* NULL until known */
	char *token;                          /* of the fetch under way; wiped when dropped */
	bool fetching, retried;
	uint64_t retry_at;                    /* uv_now() before which none is started */
	struct bot_waiter *waiters, **tail;
};

static void bot_drop_token(struct bot_entry *e)
{
	wipe_free(e->token);
	e->token = NULL;
}

/* What the id depends on: the instance's credentials and base URL, as its
 * token request holds them. */
static int bot_fingerprint(const struct send_platform *p, const struct config_instance *in,
                           uint8_t out[CRYPTO_SHA256_LEN])
{
	struct token_fetch f = {0};
	char *url = NULL, *body = NULL, *both = NULL;
	int rc = p->token_fetch(in, &f, &url, &body);

	if (rc == 0 && asprintf(&both, "%s\n%s", url, body ? body : "") < 0) {
		both = NULL;
		rc = -ENOMEM;
	}
	if (rc == 0)
		rc = crypto_sha256(both, strlen(both), out);
	wipe_free(url);
	wipe_free(body);
	wipe_free(both);
	return rc;
}

/* The entry of an instance, created when missing; its id is forgotten when
 * the instance's credentials changed. NULL with *rc on error. */
static struct bot_entry *bot_entry(struct sender *s, const char *platform, const char *instance,
                                   int *rc)
{
	const struct send_platform *p = send_platform_find(platform);
	const struct config_instance *in;
	uint8_t fp[CRYPTO_SHA256_LEN];
	struct bot_entry *e;

	*rc = -ENOTSUP;
	if (!p || !p->bot_build)
		return NULL;
	*rc = -ENOENT;
	in = config_instance_find(*s->cfgp, p->codec->name, instance);
	if (!in || strlen(instance) >= sizeof e->instance)
		return NULL;
	*rc = bot_fingerprint(p, in, fp);
	if (*rc < 0)
		return NULL;
	for (e = s->bots; e; e = e->next)
		if (e->p == p && strcmp(e->instance, instance) == 0)
			break;
	if (!e) {
		*rc = -ENOMEM;
		e = calloc(1, sizeof *e);
		if (!e)
			return NULL;
		e->s = s;
		e->p = p;
		snprintf(e->instance, sizeof e->instance, "%s", instance);
		memcpy(e->fp, fp, sizeof fp);
		e->tail = &e->waiters;
		e->next = s->bots;
		s->bots = e;
	}
	if (memcmp(e->fp, fp, sizeof fp) != 0) {
		free(e->id);
		e->id = NULL;
		e->retry_at = 0;
		memcpy(e->fp, fp, sizeof fp);
	}
	*rc = 0;
	return e;
}

/* Ends the fetch: keeps id (taken) unless the credentials changed meanwhile,
 * and answers every waiter. */
static void bot_done(struct bot_entry *e, char *id, const char *why)
{
	struct bot_waiter *w = e->waiters;

	e->fetching = false;
	e->waiters = NULL;
	e->tail = &e->waiters;
	bot_drop_token(e);
	if (id && memcmp(e->fp, e->fetch_fp, sizeof e->fp) != 0) {
		why = "the instance's credentials changed meanwhile";
		free(id);
		id = NULL;
	}
	if (id) {
		free(e->id);
		e->id = id;
		log_info("outbound %s/%s: the bot's own id is %s", e->p->codec->name, e->instance, id);
	} else {
		e->retry_at = uv_now(e->s->loop) + BOT_RETRY_MS;
		log_warn("outbound %s/%s: cannot learn the bot's own id: %s", e->p->codec->name,
		         e->instance, why);
	}
	/* The list was detached: a callback may start a new fetch. */
	while (w) {
		struct bot_waiter *next = w->next;

		w->cb(w->arg, e->id);
		free(w);
		w = next;
	}
}

static void bot_on_answer(void *arg, const struct httpout_response *r);
static void bot_on_token(void *arg, const char *token, const struct send_result *err);

/* Sends the bot request with `token`. 0 or a negative errno with *why. */
static int bot_request(struct bot_entry *e, const char *token, const char **why)
{
	const struct config_instance *in =
		config_instance_find(*e->s->cfgp, e->p->codec->name, e->instance);
	const struct config *cfg = *e->s->cfgp;
	struct send_http http = {0};
	const char *headers[2] = {NULL, NULL};
	int rc;

	*why = "out of memory";
	bot_drop_token(e);
	if (!e->s->h || !in) {
		*why = !in ? "no such instance in the configuration" : "cancelled";
		return !in ? -ENOENT : -ESHUTDOWN;
	}
	if (!(e->token = strdup(token)))
		return -ENOMEM;
	rc = e->p->bot_build(in, e->token, &http);
	if (rc == 0) {
		struct httpout_req req = {
			.method = http.method, .url = http.url, .headers = headers,
			.timeout_ms = cfg->outbound_timeout_ms, .ca_file = cfg->ca_file,
		};

		headers[0] = http.auth;
		rc = httpout_request(e->s->h, &req, bot_on_answer, e);
		if (rc < 0)
			*why = rc == -ESHUTDOWN ? "cancelled" : "cannot start the request";
	}
	send_http_free(&http);
	return rc;
}

/* Gets a token other than `stale` and sends the bot request: 0 (now or
 * once the token comes) or a negative errno with *why. */
static int bot_start(struct bot_entry *e, const char *stale, const char **why)
{
	const struct config_instance *in =
		config_instance_find(*e->s->cfgp, e->p->codec->name, e->instance);
	const char *token;
	int rc;

	if (!e->s->h || !in) {
		*why = !in ? "no such instance in the configuration" : "cancelled";
		return !in ? -ENOENT : -ESHUTDOWN;
	}
	rc = get_token(e->s, e->p, in, e->instance, stale, &token, bot_on_token, e, why);
	if (rc == 1)
		rc = bot_request(e, token, why);
	return rc < 0 ? rc : 0;
}

static void bot_on_token(void *arg, const char *token, const struct send_result *err)
{
	struct bot_entry *e = arg;
	const char *why = NULL;

	if (err)
		bot_done(e, NULL, err->detail);
	else if (bot_request(e, token, &why) < 0)
		bot_done(e, NULL, why);
}

static void bot_on_answer(void *arg, const struct httpout_response *r)
{
	struct bot_entry *e = arg;
	struct send_result res = {0};
	struct dest d = {.kind = DEST_USER};
	const char *why = NULL;
	char *id = NULL;

	snprintf(d.platform, sizeof d.platform, "%s", e->p->codec->name);
	snprintf(d.instance, sizeof d.instance, "%s", e->instance);
	if (e->p->classify(&d, r, &res) == VERDICT_TOKEN_INVALID && !e->retried &&
	    !e->s->closing) {
		char *stale = e->token;

		e->retried = true;
		e->token = NULL;
		if (bot_start(e, stale, &why) < 0)
			bot_done(e, NULL, why);
		wipe_free(stale);
		return;
	}
	if (res.outcome == SEND_OK && e->p->bot_read(r, &id) < 0)
		snprintf(res.detail, sizeof res.detail, "no id in the answer");
	bot_done(e, id, res.detail);
}

const char *sender_bot_id(struct sender *s, const char *platform, const char *instance)
{
	int rc;
	struct bot_entry *e = s->closing ? NULL : bot_entry(s, platform, instance, &rc);

	return e ? e->id : NULL;
}

int sender_bot_fetch(struct sender *s, const char *platform, const char *instance,
                     sender_bot_fn cb, void *arg)
{
	struct bot_entry *e;
	struct bot_waiter *w;
	const char *why = NULL;
	int rc;

	if (s->closing)
		return -ESHUTDOWN;
	e = bot_entry(s, platform, instance, &rc);
	if (!e)
		return rc;
	if (e->id)
		return 1;
	if (!e->fetching && uv_now(s->loop) < e->retry_at)
		return -EAGAIN;
	w = cb ? calloc(1, sizeof *w) : NULL;
	if (cb && !w)
		return -ENOMEM;
	if (!e->fetching) {
		e->retried = false;
		memcpy(e->fetch_fp, e->fp, sizeof e->fp);
		rc = bot_start(e, NULL, &why);
		if (rc < 0) {
			log_warn("outbound %s/%s: cannot learn the bot's own id: %s", platform, instance,
			         why);
			free(w);
			return rc;
		}
		e->fetching = true;
	}
	if (w) {
		w->cb = cb;
		w->arg = arg;
		*e->tail = w;
		e->tail = &w->next;
	}
	return 0;
}

int sender_open(struct uv_loop_s *loop, struct config *const *cfgp, struct sender **out)
{
	struct sender *s = calloc(1, sizeof *s);
	int rc;

	*out = NULL;
	if (!s)
		return -ENOMEM;
	s->loop = loop;
	s->cfgp = cfgp;
	rc = httpout_open(loop, &s->h);
	if (rc == 0)
		rc = tokens_open(loop, s->h, &s->tokens);
	if (rc == 0)
		rc = uv_timer_init(loop, &s->timer);
	if (rc < 0) {
		if (s->h)
			httpout_close(s->h);
		tokens_free(s->tokens);
		free(s);
		return rc;
	}
	s->timer.data = s;
	/* Worth saying at start: every send would fail on it. */
	if ((*cfgp)->ca_file && access((*cfgp)->ca_file, R_OK) != 0)
		log_warn("[outbound] ca_file %s: %s", (*cfgp)->ca_file, strerror(errno));
	metrics_describe(METRIC, "counter",
	                 "Messages sent to chat platforms, by platform and final outcome "
	                 "(ok, rate_limited, transient, permanent).");
	*out = s;
	return 0;
}

static void on_reaped(uv_handle_t *h)
{
	struct sender *s = h->data;

	while (s->bots) {
		struct bot_entry *e = s->bots;

		s->bots = e->next;
		bot_drop_token(e);
		free(e->id);
		free(e);
	}
	tokens_free(s->tokens);
	free(s);
}

void sender_close(struct sender *s)
{
	struct httpout *h = s->h;
	struct send_op *op, *next;

	if (s->closing)
		return;
	s->closing = true;
	s->h = NULL;
	/* Completes every transfer now: sends in flight and token fetches, whose
	 * waiting sends then end as cancelled. */
	httpout_close(h);
	/* And the sends waiting for a rate token (none joins them now). */
	op = s->waiting;
	s->waiting = NULL;
	for (; op; op = next) {
		next = op->next;
		op_fail(op, -ESHUTDOWN, "cancelled");
	}
	uv_close((uv_handle_t *)&s->timer, on_reaped);
}
