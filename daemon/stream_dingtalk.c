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
#include "stream_life.h"
#include "streams.h"
#include "webhook.h"
#include "ws_client.h"

#define PLATFORM (platform_dingtalk.name)
#define OPEN_PATH "/v1.0/gateway/connections/open"
#define DEFAULT_API_BASE "https://api.dingtalk.com"

struct stream {
	struct stream_life life;    /* first: its status is what daemon/streams.c reads */
	char *client_id, *client_secret, *api_base;
	/* A copy of the instance's keys for dingtalk_settle: the running
	 * configuration may be replaced while the stream lives. */
	struct config_instance inst;
	bool cards;                 /* card_template_id set: card presses subscribed */
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

static const struct ws_callbacks ws_cbs;

static void stream_freed(struct stream_life *l)
{
	struct stream *s = (struct stream *)l;

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
	free(s);
}

static void send_text(struct stream *s, const char *text)
{
	if (s->life.conn && ws_send(s->life.conn, text, strlen(text), false) < 0)
		log_warn("dingtalk:%s: cannot queue an answer frame", s->life.st.instance);
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
		if (job->gen == s->life.gen)
			send_text(s, job->ack);
		if (wm->result == INBOX_DONE)
			webhook_deliver(wm);
	}
	job_free(job);
	stream_life_job_done(&s->life);
}

static void run_robot(struct stream *s, const struct dingtalk_stream_frame *f)
{
	struct webhook_where w = {.platform = PLATFORM, .route = "stream",
	                          .name = s->life.st.instance};
	struct stream_job *job = calloc(1, sizeof *job);
	const char *why = NULL;
	int rc;

	if (!job || dingtalk_stream_ack(f, &job->ack) < 0) {
		log_warn("dingtalk:%s: out of memory; a message left for DingTalk to push again",
		         s->life.st.instance);
		free(job);
		return;
	}
	rc = dingtalk_stream_robot(f, s->life.st.instance, &job->dm, &why);
	if (rc < 0) {
		/* Answered all the same: pushed again it would fail again. */
		log_warn("dingtalk:%s: a robot message dropped: %s", s->life.st.instance,
		         rc == -ENOMEM ? "out of memory" : why ? why : "malformed");
		webhook_count(PLATFORM, "malformed");
		if (rc != -ENOMEM)
			send_text(s, job->ack);
		job_free(job);
		return;
	}
	struct chat_msg *m = &job->dm.msg;

	dingtalk_settle(&s->inst, s->life.st.instance, m, job->tenant, sizeof job->tenant);
	webhook_msg_init(&job->wm, s->life.env->app, NULL, &w, m, m->msg_id);
	job->wm.supported = job->dm.is_text;
	job->wm.finish = finish;
	job->s = s;
	job->gen = s->life.gen;
	if (webhook_submit(&job->wm) < 0) {
		log_warn("dingtalk:%s: inbox unavailable; a message left for DingTalk to push again",
		         s->life.st.instance);
		job_free(job);
		return;
	}
	stream_life_job_add(&s->life);
}

/* Inside the batch: the command of the pressed button, if the card is one
 * cqod sent and shows that button; else the id is only recorded. */
static int press_prepare(struct webhook_msg *wm, struct store *st)
{
	struct stream_job *job = (struct stream_job *)wm;
	int rc = store_card_track_command(st, PLATFORM, job->s->life.st.instance,
	                                  job->press.out_track_id, job->press.slot, job->press.cmd,
	                                  job->cmd, sizeof job->cmd, &job->shared);

	if (rc == -EIO)
		return rc;
	wm->run_command = rc == 0;
	job->pm.text = rc == 0 ? job->cmd : NULL;
	if (rc < 0)
		log_warn("dingtalk:%s: a press of a card or button cqod does not know; nothing done",
		         job->s->life.st.instance);
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
		if (dingtalk_stream_ack_card(&f, face, &ack) == 0 && job->gen == s->life.gen)
			send_text(s, ack);
		if (wm->result == INBOX_DONE)
			webhook_deliver(wm);
	}
	free(face);
	free(ack);
	job_free(job);
	stream_life_job_done(&s->life);
}

static void run_press(struct stream *s, const struct dingtalk_stream_frame *f)
{
	struct webhook_where w = {.platform = PLATFORM, .route = "stream",
	                          .name = s->life.st.instance};
	struct stream_job *job = calloc(1, sizeof *job);
	const char *why = NULL;
	char *ack = NULL;
	int rc;

	if (!job || !(job->message_id = strdup(f->message_id))) {
		log_warn("dingtalk:%s: out of memory; a press left for DingTalk to push again",
		         s->life.st.instance);
		free(job);
		return;
	}
	rc = dingtalk_press_decode(f->data, strlen(f->data), &job->press, &why);
	if (rc < 0) {
		/* Answered all the same: pushed again it would fail again. */
		log_warn("dingtalk:%s: a card press dropped: %s", s->life.st.instance,
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
	m->instance = s->life.st.instance;
	m->chat_id = job->press.space_id ? job->press.space_id : "";
	m->kind = CHAT_GROUP;
	m->tenant = job->press.corp_id;
	m->sender_id = job->press.user_id;
	m->sender_name = "";
	m->msg_id = job->message_id;
	dingtalk_settle(&s->inst, s->life.st.instance, m, job->tenant, sizeof job->tenant);
	webhook_msg_init(&job->wm, s->life.env->app, NULL, &w, m, m->msg_id);
	job->wm.to_sender = true;
	job->wm.prepare = press_prepare;
	job->wm.finish = finish_press;
	job->s = s;
	job->gen = s->life.gen;
	if (webhook_submit(&job->wm) < 0) {
		log_warn("dingtalk:%s: inbox unavailable; a press left for DingTalk to push again",
		         s->life.st.instance);
		job_free(job);
		return;
	}
	stream_life_job_add(&s->life);
}

static void on_open(void *arg, struct ws_conn *c)
{
	struct stream *s = arg;

	(void)c;
	stream_life_opened(&s->life);
	log_info("dingtalk:%s: stream connected", s->life.st.instance);
}

static void on_message(void *arg, struct ws_conn *c, const char *data, size_t len, bool binary)
{
	struct stream *s = arg;
	struct dingtalk_stream_frame f;
	char *answer = NULL;
	int rc;

	(void)c;
	if (s->life.stopping)
		return;
	stream_status_frame(&s->life.st);
	if (binary) {
		log_warn("dingtalk:%s: a binary frame dropped", s->life.st.instance);
		return;
	}
	rc = dingtalk_stream_decode(data, len, &f);
	if (rc == -ENOENT) {
		/* Another topic than robot messages: we did not subscribe to it. */
		log_warn("dingtalk:%s: a frame of an unknown topic answered and dropped",
		         s->life.st.instance);
		if (dingtalk_stream_ack(&f, &answer) == 0)
			send_text(s, answer);
	} else if (rc < 0) {
		log_warn("dingtalk:%s: a malformed frame dropped (%s)", s->life.st.instance,
		         rc == -EMSGSIZE ? "too large" : rc == -ENOMEM ? "out of memory" : "bad JSON");
	} else if (f.kind == DINGTALK_STREAM_PING) {
		if (dingtalk_stream_pong(&f, &answer) == 0)
			send_text(s, answer);
	} else if (f.kind == DINGTALK_STREAM_DISCONNECT) {
		log_info("dingtalk:%s: the server asks to reconnect", s->life.st.instance);
		s->life.attempt = 0;
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
	if (stream_life_closed(&s->life))
		return;
	log_warn("dingtalk:%s: stream %s: %s; reconnecting", s->life.st.instance,
	         opened ? "lost" : "not opened", why);
	stream_life_lost(&s->life);
}

static const struct ws_callbacks ws_cbs = {on_open, on_message, on_close};

static void on_gateway(void *arg, const struct httpout_response *res)
{
	struct stream *s = arg;
	char *url = NULL;
	int rc;

	if (stream_life_answered(&s->life))
		return;
	if (res->error || res->status != 200) {
		log_warn("dingtalk:%s: the stream gateway answered %s%ld; reconnecting",
		         s->life.st.instance, res->error ? res->error : "HTTP ",
		         res->error ? 0L : res->status);
		stream_life_lost(&s->life);
		return;
	}
	rc = dingtalk_stream_open_parse(res->body, res->len, &url);
	if (rc == 0)
		rc = ws_connect(s->life.env->ws, url, &ws_cbs, s, &s->life.conn);
	free(url);
	if (rc < 0) {
		log_warn("dingtalk:%s: cannot connect to the stream endpoint: %s",
		         s->life.st.instance,
		         rc == -EINVAL || rc == -EPROTO ? "bad gateway answer" : strerror(-rc));
		stream_life_lost(&s->life);
	}
}

/* The timer: connect (again), through the gateway for a fresh ticket. */
static void connect_now(struct stream_life *l)
{
	static const char *const headers[] = {"Content-Type: application/json",
	                                      "Accept: application/json", NULL};
	struct stream *s = (struct stream *)l;
	char *body = NULL;
	int rc;

	stream_status_state(&l->st, "connecting");
	rc = dingtalk_stream_open_request_cards(s->client_id, s->client_secret, "cqod", s->cards,
	                                        &body);
	if (rc == 0)
		rc = stream_life_post(l, s->api_base, OPEN_PATH, headers, body, on_gateway, s);
	free(body);
	if (rc < 0) {
		log_warn("dingtalk:%s: cannot call the stream gateway: %s", l->st.instance,
		         strerror(-rc));
		stream_life_retry(l);
	}
}

static const struct stream_life_ops life_ops = {.tick = connect_now, .free = stream_freed};

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
	stream_life_init(&s->life, env, &life_ops, PLATFORM, inst->name);
	s->client_id = strdup(config_instance_get(inst, "app_key"));
	s->client_secret = strdup(config_instance_get(inst, "app_secret"));
	s->api_base = strdup(base ? base : DEFAULT_API_BASE);
	s->cards = config_instance_get(inst, "card_template_id") != NULL;
	if (!s->client_id || !s->client_secret || !s->api_base ||
	    copy_instance(&s->inst, inst) < 0) {
		stream_life_stop(&s->life);
		return -ENOMEM;
	}
	/* On the loop, like every later attempt. */
	stream_life_begin(&s->life);
	*out = s;
	return 0;
}

void stream_dingtalk_stop(struct stream *s)
{
	stream_life_stop(&s->life);
}
