/*
 * Feishu long connection, `mode = stream` of a [feishu:NAME] instance
 * (messages/feishu_frame.h has the protocol): ask the endpoint API for a
 * URL with the app id and secret, connect, ping every PingInterval (a loop
 * timer; each pong may change it), join events split over several data
 * frames, and run each im.message.receive_v1 exactly as the webhook does
 * (webhook_feishu.c): the same decoder and bot-mention rules, one unit of
 * the inbox's batch, the reply through the reply API. The event is
 * acknowledged (the completing frame sent back with {"code":200}) only
 * after its COMMIT, within Feishu's 3 s in the normal case; one not
 * acknowledged is pushed again and its second run finds the event_id
 * committed. A button press comes as a frame of type "card"
 * (card.action.trigger) and runs its command the same way; its
 * acknowledgement carries the callback's answer, a toast of the answer's
 * first line and, unless the card is shared, the card replaced by the answer
 * (feishu_press_answer), as Base64 in "data". The
 * connection needs no verification token: it is authenticated by the
 * endpoint call.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/clock.h"
#include "../lib/config.h"
#include "../lib/log.h"
#include "../lib/platform.h"
#include "../messages/feishu.h"
#include "../messages/feishu_frame.h"
#include "../messages/platforms.h"
#include "app.h"
#include "httpout.h"
#include "inbox.h"
#include "stream_life.h"
#include "streams.h"
#include "webhook.h"
#include "ws_client.h"

#define PLATFORM (platform_feishu.name)
#define ENDPOINT_PATH "/callback/ws/endpoint"
#define DEFAULT_API_BASE "https://open.feishu.cn"
#define DEFAULT_PING_S 120

struct stream {
	struct stream_life life;    /* first: its status is what daemon/streams.c reads; its
	                             * timer the next reconnect, or the next ping; its jobs
	                             * the events in the inbox or waiting for the bot's id */
	char *app_id, *app_secret, *api_base, *bot_open_id;
	int32_t service;            /* the endpoint URL's service_id, for pings */
	unsigned ping_s;
	struct feishu_reasm *reasm; /* events split over frames, per connection */
	bool connected;
};

struct stream_job {
	struct webhook_msg wm;      /* first: the inbox's view of it */
	struct feishu_event ev;
	struct stream *s;
	unsigned gen;
	struct feishu_frame frame;  /* the frame that completed the event: sent back */
	uint64_t started_ms;
	char *json;                 /* the joined event */
	size_t json_len;
};

static void connect_later(struct stream *s);
static const struct ws_callbacks ws_cbs;

static void stream_freed(struct stream_life *l)
{
	struct stream *s = (struct stream *)l;

	feishu_reasm_free(s->reasm);
	free(s->app_id);
	free(s->app_secret);
	free(s->api_base);
	free(s->bot_open_id);
	free(s);
}

static void send_binary(struct stream *s, const uint8_t *buf, size_t len)
{
	if (s->life.conn && ws_send(s->life.conn, buf, len, true) < 0)
		log_warn("feishu:%s: cannot queue a frame", s->life.st.instance);
}

/* Sends frame f back as its acknowledgement (on the connection it came by),
 * with `answer` (may be NULL) for a card callback. */
static void ack(struct stream *s, const struct feishu_frame *f, unsigned gen, uint64_t started,
                const char *answer)
{
	uint8_t *buf = NULL;
	size_t len = 0;

	if (gen != s->life.gen || !s->life.conn)
		return;
	if (feishu_frame_encode_answer(f, 200, (int64_t)(clock_mono_ms() - started), answer, &buf,
	                               &len) < 0) {
		log_warn("feishu:%s: out of memory; an event left for Feishu to push again",
		         s->life.st.instance);
		return;
	}
	send_binary(s, buf, len);
	free(buf);
}

static void job_free(struct stream_job *job)
{
	webhook_msg_free(&job->wm);
	feishu_event_free(&job->ev);
	feishu_frame_free(&job->frame);
	free(job->json);
	free(job);
}

/* Done with a job: frees it and lets a stopping stream go on. */
static void job_done(struct stream_job *job)
{
	struct stream *s = job->s;

	job_free(job);
	stream_life_job_done(&s->life);
}

static void finish(struct webhook_msg *wm)
{
	struct stream_job *job = (struct stream_job *)wm;

	if (wm->result != INBOX_RETRY) {
		/* A shared card stays; any other shows the answer. */
		const char *done_by = job->ev.card_shared ? NULL : job->ev.msg.sender_id;
		char *toast = wm->result == INBOX_DONE && job->ev.kind == FEISHU_CARD_ACTION
		                      ? feishu_press_answer(&wm->reply, done_by)
		                      : NULL;

		ack(job->s, &job->frame, job->gen, job->started_ms, toast);
		free(toast);
		if (wm->result == INBOX_DONE)
			webhook_deliver(wm);
	}
	job_done(job);
}

/* Runs a decoded event: acknowledges what is not a command, submits the
 * rest to the inbox. Takes the job. */
static void run(struct stream_job *job)
{
	struct stream *s = job->s;
	struct webhook_where w = {.platform = PLATFORM, .route = "stream",
	                          .name = s->life.st.instance};

	if (job->ev.kind == FEISHU_IGNORED || job->ev.kind == FEISHU_CHALLENGE) {
		webhook_count(PLATFORM, "ignored");
		ack(s, &job->frame, job->gen, job->started_ms, NULL);
		job_done(job);
		return;
	}
	job->ev.msg.received_at = clock_now();
	webhook_msg_init(&job->wm, s->life.env->app, NULL, &w, &job->ev.msg, job->ev.event_id);
	job->wm.supported = job->ev.kind == FEISHU_MESSAGE || job->ev.kind == FEISHU_CARD_ACTION;
	job->wm.finish = finish;
	if (webhook_submit(&job->wm) < 0) {
		log_warn("feishu:%s: inbox unavailable; an event left for Feishu to push again",
		         s->life.st.instance);
		job_done(job);
	}
}

/* Decodes the joined event with the bot's open_id (NULL: not known);
 * false when it was dropped (and the job freed). */
static bool decode(struct stream_job *job, const char *bot, int *rc_out)
{
	struct stream *s = job->s;
	const char *why = NULL;
	int rc;

	feishu_event_free(&job->ev);
	rc = feishu_decode(job->json, job->json_len, s->life.st.instance, bot, &job->ev, &why);
	*rc_out = rc;
	if (rc < 0 && rc != -EAGAIN) {
		/* Acknowledged all the same: pushed again it would fail again. */
		log_warn("feishu:%s: an event dropped: %s", s->life.st.instance,
		         rc == -ENOMEM ? "out of memory" : why ? why : "malformed");
		webhook_count(PLATFORM, "malformed");
		if (rc != -ENOMEM)
			ack(s, &job->frame, job->gen, job->started_ms, NULL);
		job_done(job);
		return false;
	}
	return true;
}

/* The sender has the bot's open_id now (NULL: it could not be had). */
static void on_bot(void *arg, const char *bot_open_id)
{
	struct stream_job *job = arg;
	int rc;

	if (!bot_open_id) {
		/* Not acknowledged: Feishu pushes it again. */
		log_warn("feishu:%s: cannot tell whether a group message is for the bot: its "
		         "open_id is not known (see bot_open_id)", job->s->life.st.instance);
		job_done(job);
		return;
	}
	if (decode(job, bot_open_id, &rc))
		run(job);
}

static void run_event(struct stream *s, struct feishu_frame *f, char *json, size_t len)
{
	struct sender *sender = s->life.env->app->sender;
	struct stream_job *job = calloc(1, sizeof *job);
	const char *fetched, *bot;
	int rc;

	if (!job) {
		free(json);
		feishu_frame_free(f);
		return;
	}
	job->s = s;
	job->gen = s->life.gen;
	job->frame = *f;            /* takes the frame */
	memset(f, 0, sizeof *f);
	job->json = json;
	job->json_len = len;
	job->started_ms = clock_mono_ms();
	stream_life_job_add(&s->life);
	fetched = sender ? sender_bot_id(sender, PLATFORM, s->life.st.instance) : NULL;
	bot = fetched ? fetched : s->bot_open_id;
	if (!decode(job, bot, &rc))
		return;
	/* A group is where the bot's open_id matters: learn it, in the
	 * background unless this message needs it now. */
	if (rc == 0 && job->ev.msg.kind == CHAT_GROUP && !fetched && sender)
		sender_bot_fetch(sender, PLATFORM, s->life.st.instance, NULL, NULL);
	if (rc == 0) {
		run(job);
		return;
	}
	rc = sender ? sender_bot_fetch(sender, PLATFORM, s->life.st.instance, on_bot, job)
	            : -ENOTSUP;
	if (rc == 0)
		return;
	on_bot(job, rc == 1 ? sender_bot_id(sender, PLATFORM, s->life.st.instance) : NULL);
}

static void on_data(struct stream *s, struct feishu_frame *f)
{
	char *json = NULL;
	size_t len = 0;
	int rc;

	if (f->type != FEISHU_FRAME_EVENT && f->type != FEISHU_FRAME_CARD)
		return;
	rc = feishu_reasm_add(s->reasm, f, (int64_t)clock_mono_ms(), &json, &len);
	if (rc < 0) {
		log_warn("feishu:%s: an event's frames dropped (%s)", s->life.st.instance,
		         rc == -EMSGSIZE ? "too large" : rc == -ENOBUFS ? "too many incomplete"
		                                       : rc == -ENOMEM ? "out of memory" : "malformed");
		return;
	}
	if (json)
		run_event(s, f, json, len);
}

static void on_open(void *arg, struct ws_conn *c)
{
	struct stream *s = arg;

	(void)c;
	stream_life_opened(&s->life);
	s->connected = true;
	log_info("feishu:%s: long connection open", s->life.st.instance);
	connect_later(s);
}

static void on_message(void *arg, struct ws_conn *c, const char *data, size_t len, bool binary)
{
	struct stream *s = arg;
	struct feishu_frame f;
	int rc;

	(void)c;
	if (s->life.stopping)
		return;
	stream_status_frame(&s->life.st);
	if (!binary) {
		log_warn("feishu:%s: a text frame dropped", s->life.st.instance);
		return;
	}
	rc = feishu_frame_decode((const uint8_t *)data, len, &f);
	if (rc < 0) {
		log_warn("feishu:%s: a malformed frame dropped (%s)", s->life.st.instance,
		         rc == -EMSGSIZE ? "too large" : rc == -ENOMEM ? "out of memory" : "bad protobuf");
		return;
	}
	if (f.method == FEISHU_FRAME_CONTROL && f.type == FEISHU_FRAME_PONG) {
		struct feishu_ws_config cfg = {.ping_interval_s = (int)s->ping_s};

		if (feishu_ws_config_parse(f.payload, f.payload_len, &cfg) == 0 &&
		    cfg.ping_interval_s > 0)
			s->ping_s = (unsigned)cfg.ping_interval_s;
	} else if (f.method == FEISHU_FRAME_DATA) {
		on_data(s, &f);
	}
	feishu_frame_free(&f);
}

static void on_close(void *arg, struct ws_conn *c, bool opened, const char *why)
{
	struct stream *s = arg;

	(void)c;
	s->connected = false;
	if (stream_life_closed(&s->life))
		return;
	/* Parts held for an event stay: Feishu pushes the event again, whole,
	 * on the next connection, and what is never completed expires. */
	log_warn("feishu:%s: long connection %s: %s; reconnecting", s->life.st.instance,
	         opened ? "lost" : "not opened", why);
	stream_life_lost(&s->life);
}

static const struct ws_callbacks ws_cbs = {on_open, on_message, on_close};

static void on_endpoint(void *arg, const struct httpout_response *res)
{
	struct stream *s = arg;
	struct feishu_ws_endpoint ep;
	long code = 0;
	int rc;

	if (stream_life_answered(&s->life))
		return;
	if (res->error || res->status != 200) {
		log_warn("feishu:%s: the endpoint API answered %s%ld; reconnecting",
		         s->life.st.instance, res->error ? res->error : "HTTP ",
		         res->error ? 0L : res->status);
		stream_life_lost(&s->life);
		return;
	}
	rc = feishu_ws_endpoint_parse(res->body, res->len, &ep, &code);
	if (rc == 0) {
		s->service = ep.service;
		if (ep.config.ping_interval_s > 0)
			s->ping_s = (unsigned)ep.config.ping_interval_s;
		rc = ws_connect(s->life.env->ws, ep.url, &ws_cbs, s, &s->life.conn);
		feishu_ws_endpoint_free(&ep);
	}
	if (rc < 0) {
		if (rc == -EPROTO)
			log_warn("feishu:%s: the endpoint API refused (code %ld): check app_id and "
			         "app_secret", s->life.st.instance, code);
		else
			log_warn("feishu:%s: cannot open the long connection: %s",
			         s->life.st.instance,
			         rc == -EINVAL ? "bad endpoint answer" : strerror(-rc));
		stream_life_lost(&s->life);
	}
}

static void connect_now(struct stream *s)
{
	static const char *const headers[] = {"Content-Type: application/json", NULL};
	char *body = NULL;
	int rc;

	stream_status_state(&s->life.st, "connecting");
	rc = feishu_ws_endpoint_request(s->app_id, s->app_secret, &body);
	if (rc == 0)
		rc = stream_life_post(&s->life, s->api_base, ENDPOINT_PATH, headers, body,
		                      on_endpoint, s);
	free(body);
	if (rc < 0) {
		log_warn("feishu:%s: cannot call the endpoint API: %s", s->life.st.instance,
		         strerror(-rc));
		connect_later(s);
	}
}

/* Connected: a ping is due (and incomplete events may have expired).
 * Otherwise: reconnect. */
static void on_timer(struct stream_life *l)
{
	struct stream *s = (struct stream *)l;
	uint8_t *buf = NULL;
	size_t len = 0;
	int dropped;

	if (!s->connected) {
		connect_now(s);
		return;
	}
	dropped = feishu_reasm_expire(s->reasm, (int64_t)clock_mono_ms());
	if (dropped)
		log_warn("feishu:%s: %d incomplete event(s) dropped after %d s",
		         s->life.st.instance, dropped, FEISHU_REASM_EXPIRY_MS / 1000);
	if (feishu_frame_encode_ping(s->service, &buf, &len) == 0)
		send_binary(s, buf, len);
	free(buf);
	connect_later(s);
}

/* Arms the timer: the next ping when connected, else the next reconnect. */
static void connect_later(struct stream *s)
{
	if (s->connected)
		stream_life_arm(&s->life, (uint64_t)s->ping_s * 1000);
	else
		stream_life_retry(&s->life);
}

static const struct stream_life_ops life_ops = {.tick = on_timer, .free = stream_freed};

int stream_feishu_start(struct stream_env *env, const struct config_instance *inst,
                        struct stream **out)
{
	const char *base = config_instance_get(inst, "api_base");
	const char *bot = config_instance_get(inst, "bot_open_id");
	struct stream *s = calloc(1, sizeof *s);

	if (!s)
		return -ENOMEM;
	stream_life_init(&s->life, env, &life_ops, PLATFORM, inst->name);
	s->ping_s = DEFAULT_PING_S;
	s->app_id = strdup(config_instance_get(inst, "app_id"));
	s->app_secret = strdup(config_instance_get(inst, "app_secret"));
	s->api_base = strdup(base ? base : DEFAULT_API_BASE);
	s->bot_open_id = bot ? strdup(bot) : NULL;
	s->reasm = feishu_reasm_new();
	if (!s->app_id || !s->app_secret || !s->api_base || (bot && !s->bot_open_id) ||
	    !s->reasm) {
		stream_life_stop(&s->life);
		return -ENOMEM;
	}
	stream_life_begin(&s->life);
	*out = s;
	return 0;
}

void stream_feishu_stop(struct stream *s)
{
	stream_life_stop(&s->life);
}
