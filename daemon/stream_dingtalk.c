/*
 * DingTalk Stream mode, `mode = stream` of a [dingtalk:NAME] instance
 * (messages/dingtalk_stream.h has the protocol): ask the gateway for an
 * endpoint and a one-time ticket with the app's client id and secret,
 * connect, echo the SYSTEM pings, and run each robot message exactly as
 * HTTP mode does (webhook_dingtalk.c): one unit of the inbox's batch, the
 * reply through the sessionWebhook. The frame is acknowledged only after
 * its COMMIT: a frame not acknowledged is pushed again by DingTalk (to this
 * or the next connection), and its second run finds the msgId committed.
 * A lost connection, a refused gateway call and the server's `disconnect`
 * all end in a reconnect with a fresh ticket after stream_backoff_ms.
 *
 * With a card template the instance subscribes to card presses as well
 * (messages/dingtalk_card.h): a press runs the command of the button on
 * the card it names, kept with the card (store_card_track.h), as a
 * command of the presser (the frame's messageId its id), with nothing run
 * for a card or button cqod does not know; after the COMMIT the frame's
 * acknowledgement carries the card's new face (the answer and who pressed
 * it; none for a refusal or an everyone's card), and the answer goes to
 * the presser.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/config.h"
#include "../lib/log.h"
#include "../messages/dingtalk_card.h"
#include "../messages/dingtalk_stream.h"
#include "../messages/platforms.h"
#include "../store/store_card_track.h"
#include "app.h"
#include "httpout.h"
#include "inbox.h"
#include "streams.h"
#include "webhook.h"
#include "ws_client.h"

#define PLATFORM (platform_dingtalk.name)
#define OPEN_PATH "/v1.0/gateway/connections/open"
#define DEFAULT_API_BASE "https://api.dingtalk.com"
/* The gateway call: short, as a hung one delays the reconnect. */
#define GATEWAY_TIMEOUT_MS 5000

struct stream {
	struct stream_status st;    /* first: what daemon/streams.c reads */
	struct stream_env *env;
	char *client_id, *client_secret, *api_base;
	/* A copy of the instance's keys for dingtalk_settle: the running
	 * configuration may be replaced while the stream lives. */
	struct config_instance inst;
	struct ws_conn *conn;       /* NULL while not connected */
	unsigned gen;               /* which connection: an ack goes only to its own */
	uv_timer_t timer;           /* the next reconnect */
	unsigned attempt;
	bool gateway_busy;          /* the gateway call is in flight */
	bool cards;                 /* card_template_id set: card presses subscribed */
	bool stopping, freeing;
	unsigned jobs;              /* messages in the inbox */
};

struct stream_job {
	struct webhook_msg wm;      /* first: the inbox's view of it */
	struct dingtalk_msg dm;
	struct stream *s;
	unsigned gen;
	char *ack;                  /* the frame's answer, sent after the COMMIT */
	char tenant[257];
	/* A card press: what it names, its message and the command it runs. */
	struct dingtalk_press press;
	struct chat_msg pm;
	char *message_id;
	char cmd[1024];
	bool shared;
};

static void connect_later(struct stream *s);
static const struct ws_callbacks ws_cbs;

static void stream_freed(uv_handle_t *h)
{
	struct stream *s = h->data;

	for (size_t i = 0; i < s->inst.n_kv; i++) {
		free(s->inst.kv[i].key);
		free(s->inst.kv[i].value);
	}
	free(s->inst.kv);
	free(s->inst.platform);
	free(s->inst.name);
	free(s->client_id);
	free(s->client_secret);
	free(s->api_base);
	s->env->live--;
	free(s);
}

/* Frees s once nothing refers to it any more. */
static void maybe_free(struct stream *s)
{
	if (!s->stopping || s->freeing || s->conn || s->gateway_busy || s->jobs)
		return;
	s->freeing = true;
	stream_status_state(&s->st, "closed");
	uv_close((uv_handle_t *)&s->timer, stream_freed);
}

/* Stopping, and the inbox has acknowledged all it had: close cleanly. */
static void maybe_close(struct stream *s)
{
	if (s->stopping && !s->jobs && s->conn) {
		stream_status_state(&s->st, "closing");
		ws_conn_close(s->conn);
	}
	maybe_free(s);
}

static void send_text(struct stream *s, const char *text)
{
	if (s->conn && ws_send(s->conn, text, strlen(text), false) < 0)
		log_warn("dingtalk:%s: cannot queue an answer frame", s->st.instance);
}

static void job_free(struct stream_job *job)
{
	webhook_msg_free(&job->wm);
	dingtalk_msg_free(&job->dm);
	dingtalk_press_free(&job->press);
	free(job->message_id);
	free(job->ack);
	free(job);
}

/* After the COMMIT: acknowledge the frame on the connection it came by
 * (on another, DingTalk would not know the id: it pushes it again there
 * and that run is a duplicate), then deliver the answer. */
static void finish(struct webhook_msg *wm)
{
	struct stream_job *job = (struct stream_job *)wm;
	struct stream *s = job->s;

	if (wm->result != INBOX_RETRY) {
		if (job->gen == s->gen)
			send_text(s, job->ack);
		if (wm->result == INBOX_DONE)
			webhook_deliver(wm);
	}
	job_free(job);
	s->jobs--;
	maybe_close(s);
}

static void run_robot(struct stream *s, const struct dingtalk_stream_frame *f)
{
	struct webhook_where w = {.platform = PLATFORM, .route = "stream", .name = s->st.instance};
	struct stream_job *job = calloc(1, sizeof *job);
	const char *why = NULL;
	int rc;

	if (!job || dingtalk_stream_ack(f, &job->ack) < 0) {
		log_warn("dingtalk:%s: out of memory; a message left for DingTalk to push again",
		         s->st.instance);
		free(job);
		return;
	}
	rc = dingtalk_stream_robot(f, s->st.instance, &job->dm, &why);
	if (rc < 0) {
		/* Answered all the same: pushed again it would fail again. */
		log_warn("dingtalk:%s: a robot message dropped: %s", s->st.instance,
		         rc == -ENOMEM ? "out of memory" : why ? why : "malformed");
		webhook_count(PLATFORM, "malformed");
		if (rc != -ENOMEM)
			send_text(s, job->ack);
		job_free(job);
		return;
	}
	struct chat_msg *m = &job->dm.msg;

	dingtalk_settle(&s->inst, s->st.instance, m, job->tenant, sizeof job->tenant);
	webhook_msg_init(&job->wm, s->env->app, NULL, &w, m, m->msg_id);
	job->wm.supported = job->dm.is_text;
	job->wm.finish = finish;
	job->s = s;
	job->gen = s->gen;
	if (webhook_submit(&job->wm) < 0) {
		log_warn("dingtalk:%s: inbox unavailable; a message left for DingTalk to push again",
		         s->st.instance);
		job_free(job);
		return;
	}
	s->jobs++;
}

/* Inside the batch: the command of the pressed button, if the card is one
 * cqod sent and shows that button; else the id is only recorded. */
static int press_prepare(struct webhook_msg *wm, struct store *st)
{
	struct stream_job *job = (struct stream_job *)wm;
	int rc = store_card_track_command(st, PLATFORM, job->s->st.instance,
	                                  job->press.out_track_id, job->press.slot, job->press.cmd,
	                                  job->cmd, sizeof job->cmd, &job->shared);

	if (rc == -EIO)
		return rc;
	wm->run_command = rc == 0;
	job->pm.text = rc == 0 ? job->cmd : NULL;
	if (rc < 0)
		log_warn("dingtalk:%s: a press of a card or button cqod does not know; nothing done",
		         job->s->st.instance);
	return 0;
}

/* After the COMMIT: the acknowledgement, with the card's new face unless
 * the card is everyone's or the answer a refusal, then the answer. */
static void finish_press(struct webhook_msg *wm)
{
	struct stream_job *job = (struct stream_job *)wm;
	struct stream *s = job->s;
	struct dingtalk_stream_frame f = {.kind = DINGTALK_STREAM_CARD,
	                                  .message_id = job->message_id};
	char *face = NULL, *ack = NULL;

	if (wm->result != INBOX_RETRY) {
		if (wm->result == INBOX_DONE && wm->run_command && !job->shared)
			face = dingtalk_press_answer(&wm->reply, job->pm.sender_id);
		if (dingtalk_stream_ack_card(&f, face, &ack) == 0 && job->gen == s->gen)
			send_text(s, ack);
		if (wm->result == INBOX_DONE)
			webhook_deliver(wm);
	}
	free(face);
	free(ack);
	job_free(job);
	s->jobs--;
	maybe_close(s);
}

static void run_press(struct stream *s, const struct dingtalk_stream_frame *f)
{
	struct webhook_where w = {.platform = PLATFORM, .route = "stream", .name = s->st.instance};
	struct stream_job *job = calloc(1, sizeof *job);
	const char *why = NULL;
	char *ack = NULL;
	int rc;

	if (!job || !(job->message_id = strdup(f->message_id))) {
		log_warn("dingtalk:%s: out of memory; a press left for DingTalk to push again",
		         s->st.instance);
		free(job);
		return;
	}
	rc = dingtalk_press_decode(f->data, strlen(f->data), &job->press, &why);
	if (rc < 0) {
		/* Answered all the same: pushed again it would fail again. */
		log_warn("dingtalk:%s: a card press dropped: %s", s->st.instance,
		         rc == -ENOMEM ? "out of memory" : why ? why : "malformed");
		webhook_count(PLATFORM, "malformed");
		if (rc != -ENOMEM && dingtalk_stream_ack_card(f, NULL, &ack) == 0)
			send_text(s, ack);
		free(ack);
		job_free(job);
		return;
	}
	struct chat_msg *m = &job->pm;

	/* The callback does not say whether the card is in a group: the
	 * answer is made as for one (personal data masked). */
	m->platform = PLATFORM;
	m->instance = s->st.instance;
	m->chat_id = job->press.space_id ? job->press.space_id : "";
	m->kind = CHAT_GROUP;
	m->tenant = job->press.corp_id;
	m->sender_id = job->press.user_id;
	m->sender_name = "";
	m->msg_id = job->message_id;
	dingtalk_settle(&s->inst, s->st.instance, m, job->tenant, sizeof job->tenant);
	webhook_msg_init(&job->wm, s->env->app, NULL, &w, m, m->msg_id);
	job->wm.to_sender = true;
	job->wm.prepare = press_prepare;
	job->wm.finish = finish_press;
	job->s = s;
	job->gen = s->gen;
	if (webhook_submit(&job->wm) < 0) {
		log_warn("dingtalk:%s: inbox unavailable; a press left for DingTalk to push again",
		         s->st.instance);
		job_free(job);
		return;
	}
	s->jobs++;
}

static void on_open(void *arg, struct ws_conn *c)
{
	struct stream *s = arg;

	(void)c;
	s->attempt = 0;
	stream_status_state(&s->st, "connected");
	log_info("dingtalk:%s: stream connected", s->st.instance);
}

static void on_message(void *arg, struct ws_conn *c, const char *data, size_t len, bool binary)
{
	struct stream *s = arg;
	struct dingtalk_stream_frame f;
	char *answer = NULL;
	int rc;

	(void)c;
	if (s->stopping)
		return;
	stream_status_frame(&s->st);
	if (binary) {
		log_warn("dingtalk:%s: a binary frame dropped", s->st.instance);
		return;
	}
	rc = dingtalk_stream_decode(data, len, &f);
	if (rc == -ENOENT) {
		/* Another topic than robot messages: we did not subscribe to it. */
		log_warn("dingtalk:%s: a frame of an unknown topic answered and dropped",
		         s->st.instance);
		if (dingtalk_stream_ack(&f, &answer) == 0)
			send_text(s, answer);
	} else if (rc < 0) {
		log_warn("dingtalk:%s: a malformed frame dropped (%s)", s->st.instance,
		         rc == -EMSGSIZE ? "too large" : rc == -ENOMEM ? "out of memory" : "bad JSON");
	} else if (f.kind == DINGTALK_STREAM_PING) {
		if (dingtalk_stream_pong(&f, &answer) == 0)
			send_text(s, answer);
	} else if (f.kind == DINGTALK_STREAM_DISCONNECT) {
		log_info("dingtalk:%s: the server asks to reconnect", s->st.instance);
		s->attempt = 0;
	} else if (f.kind == DINGTALK_STREAM_EVENT) {
		if (dingtalk_stream_ack(&f, &answer) == 0)
			send_text(s, answer);
	} else if (f.kind == DINGTALK_STREAM_ROBOT) {
		run_robot(s, &f);
	} else if (f.kind == DINGTALK_STREAM_CARD) {
		run_press(s, &f);
	}
	free(answer);
	dingtalk_stream_frame_free(&f);
}

static void on_close(void *arg, struct ws_conn *c, bool opened, const char *why)
{
	struct stream *s = arg;

	(void)c;
	s->conn = NULL;
	s->gen++;
	if (s->stopping) {
		maybe_free(s);
		return;
	}
	log_warn("dingtalk:%s: stream %s: %s; reconnecting", s->st.instance,
	         opened ? "lost" : "not opened", why);
	stream_status_lost(&s->st);
	connect_later(s);
}

static const struct ws_callbacks ws_cbs = {on_open, on_message, on_close};

static void on_gateway(void *arg, const struct httpout_response *res)
{
	struct stream *s = arg;
	char *url = NULL;
	int rc;

	s->gateway_busy = false;
	if (s->stopping) {
		maybe_free(s);
		return;
	}
	if (res->error || res->status != 200) {
		log_warn("dingtalk:%s: the stream gateway answered %s%ld; reconnecting",
		         s->st.instance, res->error ? res->error : "HTTP ",
		         res->error ? 0L : res->status);
		stream_status_lost(&s->st);
		connect_later(s);
		return;
	}
	rc = dingtalk_stream_open_parse(res->body, res->len, &url);
	if (rc == 0)
		rc = ws_connect(s->env->ws, url, &ws_cbs, s, &s->conn);
	free(url);
	if (rc < 0) {
		log_warn("dingtalk:%s: cannot connect to the stream endpoint: %s", s->st.instance,
		         rc == -EINVAL || rc == -EPROTO ? "bad gateway answer" : strerror(-rc));
		stream_status_lost(&s->st);
		connect_later(s);
	}
}

static void connect_now(struct stream *s)
{
	const char *headers[] = {"Content-Type: application/json", "Accept: application/json",
	                         NULL};
	struct httpout_req req = {.method = HTTPOUT_POST, .headers = headers,
	                          .timeout_ms = GATEWAY_TIMEOUT_MS};
	char *body = NULL, *url = NULL;
	int rc;

	stream_status_state(&s->st, "connecting");
	rc = dingtalk_stream_open_request_cards(s->client_id, s->client_secret, "cqod", s->cards,
	                                        &body);
	if (rc == 0 && asprintf(&url, "%s%s", s->api_base, OPEN_PATH) < 0) {
		url = NULL;
		rc = -ENOMEM;
	}
	if (rc == 0) {
		req.url = url;
		req.ca_file = s->env->app->cfg->ca_file;
		req.body = body;
		req.body_len = strlen(body);
		rc = httpout_request(s->env->http, &req, on_gateway, s);
	}
	free(url);
	free(body);
	if (rc < 0) {
		log_warn("dingtalk:%s: cannot call the stream gateway: %s", s->st.instance,
		         strerror(-rc));
		connect_later(s);
		return;
	}
	s->gateway_busy = true;
}

static void on_timer(uv_timer_t *t)
{
	struct stream *s = t->data;

	if (!s->stopping)
		connect_now(s);
}

static void connect_later(struct stream *s)
{
	unsigned ms = stream_backoff_ms(s->attempt);

	if (s->attempt < 16)
		s->attempt++;
	stream_status_state(&s->st, "waiting");
	uv_timer_start(&s->timer, on_timer, ms, 0);
}

static int copy_instance(struct config_instance *to, const struct config_instance *from)
{
	to->platform = strdup(from->platform);
	to->name = strdup(from->name);
	to->kv = calloc(from->n_kv ? from->n_kv : 1, sizeof *to->kv);
	if (!to->platform || !to->name || !to->kv)
		return -ENOMEM;
	for (size_t i = 0; i < from->n_kv; i++) {
		to->kv[i].key = strdup(from->kv[i].key);
		to->kv[i].value = strdup(from->kv[i].value);
		to->n_kv++;
		if (!to->kv[i].key || !to->kv[i].value)
			return -ENOMEM;
	}
	return 0;
}

int stream_dingtalk_start(struct stream_env *env, const struct config_instance *inst,
                          struct stream **out)
{
	const char *base = config_instance_get(inst, "api_base");
	struct stream *s = calloc(1, sizeof *s);

	if (!s)
		return -ENOMEM;
	stream_status_init(&s->st, PLATFORM, inst->name);
	s->env = env;
	s->client_id = strdup(config_instance_get(inst, "app_key"));
	s->client_secret = strdup(config_instance_get(inst, "app_secret"));
	s->api_base = strdup(base ? base : DEFAULT_API_BASE);
	s->cards = config_instance_get(inst, "card_template_id") != NULL;
	uv_timer_init(env->app->loop, &s->timer);
	s->timer.data = s;
	env->live++;
	if (!s->client_id || !s->client_secret || !s->api_base ||
	    copy_instance(&s->inst, inst) < 0) {
		s->stopping = true;
		maybe_free(s);
		return -ENOMEM;
	}
	/* On the loop, like every later attempt. */
	uv_timer_start(&s->timer, on_timer, 0, 0);
	*out = s;
	return 0;
}

void stream_dingtalk_stop(struct stream *s)
{
	s->stopping = true;
	uv_timer_stop(&s->timer);
	maybe_close(s);
}
