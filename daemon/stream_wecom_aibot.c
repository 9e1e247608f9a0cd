/*
 * WeCom intelligent robot (智能机器人), a [wecom_aibot:NAME] instance: its
 * only channel is the long connection (messages/wecom_aibot.h has the
 * protocol). Connect to api_base (default wss://openws.work.weixin.qq.com),
 * subscribe with bot_id and secret, ping every ping_interval seconds (30, the
 * SDK's) on a loop timer, and run each pushed text message as one unit of
 * the inbox's batch with the identity (wecom_aibot, corp_id, userid). The
 * answer is an outbox row like any other (DEST_REPLY on the pushed req_id),
 * sent after the COMMIT by the sender through stream_wecom_aibot_send,
 * which writes frames on this connection instead of making HTTP requests;
 * so do the messages the daemon starts (aibot_send_msg).
 *
 * The protocol has no ack and no redelivery: the msgid is the dedupe key,
 * and a message pushed while we are not connected is lost at the platform.
 * One connection per bot: when another takes over, WeCom sends
 * disconnected_event and closes ours; reconnecting at once would only kick
 * the other holder, so we wait KICKED_BACKOFF_MS, and as long after a
 * refused subscription (a wrong secret stays wrong).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/clock.h"
#include "../lib/config.h"
#include "../lib/log.h"
#include "../lib/platform.h"
#include "../messages/platforms.h"
#include "../messages/wecom_aibot.h"
#include "app.h"
#include "inbox.h"
#include "stream_life.h"
#include "streams.h"
#include "webhook.h"
#include "ws_client.h"

#define PLATFORM (platform_wecom_aibot.name)
#define DEFAULT_PING_S (WECOM_AIBOT_PING_MS / 1000)
#define KICKED_BACKOFF_MS (10 * 60 * 1000)
#define ANSWER_TIMEOUT_MS 10000
#define REQ_ID_MAX 96

/* A frame the sender handed us, waiting for the server's answer on its
 * req_id (or failed, waiting for the loop to report it). */
struct pending {
	struct pending *next;
	char req_id[sizeof ((struct dest *)0)->target];   /* a DEST_REPLY's target */
	send_done_fn done;
	void *arg;
	uint64_t deadline;          /* uv_now */
	struct send_result fail;    /* reported at the deadline without an answer */
};

struct stream {
	struct stream_life life;    /* first: its status is what daemon/streams.c reads; its
	                             * timer the next reconnect, or the next ping */
	struct stream *next;        /* the running streams, for the sender */
	char *bot_id, *secret, *corp_id, *url;
	unsigned ping_s;
	char sub_req[REQ_ID_MAX];   /* our subscribe's req_id on this connection */
	uint64_t seq;
	uv_timer_t answers;         /* the earliest pending deadline */
	struct pending *pending;
	bool subscribed, long_wait;
};

struct stream_job {
	struct webhook_msg wm;      /* first: the inbox's view of it */
	struct wecom_aibot_frame f;
	struct chat_msg msg;
	struct stream *s;
};

/* The streams running, so that the sender finds an instance's connection
 * by name (a dest names its instance, not its stream). */
static struct stream *running;

static void connect_later(struct stream *s);
static const struct ws_callbacks ws_cbs;

static void unlink_running(struct stream *s)
{
	for (struct stream **p = &running; *p; p = &(*p)->next)
		if (*p == s) {
			*p = s->next;
			return;
		}
}

static void stream_freed(struct stream_life *l)
{
	struct stream *s = (struct stream *)l;

	free(s->bot_id);
	free(s->secret);
	free(s->corp_id);
	free(s->url);
	free(s);
}

/* Reports every pending send whose deadline passed (all with `now` = ~0). */
static void report_due(struct stream *s, uint64_t now)
{
	struct pending **p = &s->pending, *due = NULL, **tail = &due;

	while (*p) {
		struct pending *e = *p;

		if (e->deadline <= now) {
			*p = e->next;
			e->next = NULL;
			*tail = e;
			tail = &e->next;
		} else {
			p = &e->next;
		}
	}
	while (due) {
		struct pending *e = due;

		due = e->next;
		e->done(e->arg, &e->fail);
		free(e);
	}
}

static void on_answers(uv_timer_t *t);

static void result_set(struct send_result *res, enum send_outcome outcome, long code,
                       const char *detail)
{
	memset(res, 0, sizeof *res);
	res->outcome = outcome;
	res->platform_code = code;
	snprintf(res->detail, sizeof res->detail, "%s", detail);
}

/* Arms the answers timer for the earliest deadline. */
static void answers_arm(struct stream *s)
{
	uint64_t now = uv_now(s->life.env->app->loop), next = UINT64_MAX;

	for (struct pending *e = s->pending; e; e = e->next)
		if (e->deadline < next)
			next = e->deadline;
	if (next == UINT64_MAX)
		uv_timer_stop(&s->answers);
	else
		uv_timer_start(&s->answers, on_answers, next > now ? next - now : 0, 0);
}

static void on_answers(uv_timer_t *t)
{
	struct stream *s = t->data;

	report_due(s, uv_now(s->life.env->app->loop));
	answers_arm(s);
	stream_life_maybe_close(&s->life);
}

/* Every pending send fails now (the connection is gone), as transient:
 * the outbox sends it again on a later connection. */
static void fail_pending(struct stream *s, const char *why)
{
	for (struct pending *e = s->pending; e; e = e->next) {
		e->deadline = 0;
		result_set(&e->fail, SEND_TRANSIENT, 0, why);
	}
	report_due(s, UINT64_MAX);
	answers_arm(s);
}

/* Freeing: what is still pending fails, and the answers timer closes. */
static void release(struct stream_life *l)
{
	struct stream *s = (struct stream *)l;

	fail_pending(s, "long connection closed");
	stream_life_close_handle(l, (uv_handle_t *)&s->answers);
}

/* Stopping closes once the inbox's messages are done and the frames sent
 * for them answered: an answer lost with the connection would be sent
 * again later, on a req_id WeCom no longer takes. */
static bool waiting(const struct stream_life *l)
{
	return ((const struct stream *)l)->pending != NULL;
}

/* A fresh req_id of ours for `cmd` into buf. */
static void next_req_id(struct stream *s, const char *cmd, char *buf, size_t size)
{
	if (wecom_aibot_req_id(cmd, (int64_t)clock_mono_ms(), ++s->seq, buf, size) < 0)
		snprintf(buf, size, "%llu", (unsigned long long)s->seq);
}

static int send_text(struct stream *s, const char *frame)
{
	int rc = s->life.conn ? ws_send(s->life.conn, frame, strlen(frame), false) : -ENOTCONN;

	if (rc < 0)
		log_warn("%s:%s: cannot queue a frame: %s", PLATFORM, s->life.st.instance,
		         strerror(-rc));
	return rc;
}

static void job_done(struct stream_job *job)
{
	struct stream *s = job->s;

	webhook_msg_free(&job->wm);
	wecom_aibot_frame_free(&job->f);
	free(job);
	stream_life_job_done(&s->life);
}

static void finish(struct webhook_msg *wm)
{
	struct stream_job *job = (struct stream_job *)wm;

	if (wm->result == INBOX_RETRY)
		log_warn("%s:%s: a message could not be recorded and is lost (WeCom does not "
		         "push it again)", PLATFORM, job->s->life.st.instance);
	else if (wm->result == INBOX_DONE)
		webhook_deliver(wm);
	job_done(job);
}

static void run_message(struct stream *s, struct wecom_aibot_frame *f)
{
	struct webhook_where w = {.platform = PLATFORM, .route = "stream",
	                          .name = s->life.st.instance};
	struct stream_job *job = calloc(1, sizeof *job);

	if (!job) {
		log_warn("%s:%s: out of memory; a message lost", PLATFORM, s->life.st.instance);
		return;
	}
	job->s = s;
	job->f = *f;                /* takes the frame */
	memset(f, 0, sizeof *f);
	stream_life_job_add(&s->life);
	wecom_aibot_chat_msg(&job->f, s->life.st.instance, s->corp_id, &job->msg);
	job->msg.received_at = clock_now();
	webhook_msg_init(&job->wm, s->life.env->app, NULL, &w, &job->msg, job->f.msgid);
	job->wm.supported = job->f.text != NULL;
	job->wm.finish = finish;
	if (webhook_submit(&job->wm) < 0) {
		log_warn("%s:%s: inbox unavailable; a message lost", PLATFORM, s->life.st.instance);
		job_done(job);
	}
}

/* The server's answer to one of our frames. */
static void on_answer(struct stream *s, const struct wecom_aibot_frame *f)
{
	if (strcmp(f->req_id, s->sub_req) == 0) {
		s->sub_req[0] = '\0';
		if (f->errcode != 0) {
			log_warn("%s:%s: subscription refused (errcode %ld): check bot_id and secret; "
			         "trying again in %d s", PLATFORM, s->life.st.instance, f->errcode,
			         KICKED_BACKOFF_MS / 1000);
			s->long_wait = true;
			stream_status_state(&s->life.st, "refused");
			ws_conn_close(s->life.conn);
			return;
		}
		stream_life_opened(&s->life);
		s->subscribed = true;
		log_info("%s:%s: long connection open", PLATFORM, s->life.st.instance);
		connect_later(s);
		return;
	}
	/* The first pending send on this req_id: a reply split in parts
	 * answers each part in order on the pushed req_id. */
	for (struct pending **p = &s->pending; *p; p = &(*p)->next) {
		struct pending *e = *p;

		if (strcmp(e->req_id, f->req_id) != 0)
			continue;
		*p = e->next;
		/* errmsg is WeCom's text: the code alone goes to the log. */
		if (f->errcode == 0)
			result_set(&e->fail, SEND_OK, 0, "ok");
		else
			result_set(&e->fail, SEND_PERMANENT, f->errcode, "refused by WeCom");
		e->done(e->arg, &e->fail);
		free(e);
		answers_arm(s);
		stream_life_maybe_close(&s->life);
		return;
	}
}

static void on_open(void *arg, struct ws_conn *c)
{
	struct stream *s = arg;
	char *frame = NULL;

	(void)c;
	next_req_id(s, "aibot_subscribe", s->sub_req, sizeof s->sub_req);
	/* The frame holds the secret: never logged. */
	if (wecom_aibot_subscribe(s->sub_req, s->bot_id, s->secret, &frame) < 0 ||
	    send_text(s, frame) < 0)
		ws_conn_close(s->life.conn);
	if (frame) {
		explicit_bzero(frame, strlen(frame));
		free(frame);
	}
}

static void on_message(void *arg, struct ws_conn *c, const char *data, size_t len, bool binary)
{
	struct stream *s = arg;
	struct wecom_aibot_frame f;
	int rc;

	(void)c;
	stream_status_frame(&s->life.st);
	if (binary) {
		log_warn("%s:%s: a binary frame dropped", PLATFORM, s->life.st.instance);
		return;
	}
	rc = wecom_aibot_decode(data, len, &f);
	if (rc < 0) {
		log_warn("%s:%s: a malformed frame dropped (%s)", PLATFORM, s->life.st.instance,
		         rc == -EMSGSIZE ? "too large" : rc == -ENOMEM ? "out of memory" : "malformed");
		webhook_count(PLATFORM, "malformed");
		wecom_aibot_frame_free(&f);
		return;
	}
	/* Stopping: only the answers to what we sent still matter. */
	if (s->life.stopping && f.kind != WECOM_AIBOT_ANSWER) {
		wecom_aibot_frame_free(&f);
		return;
	}
	switch (f.kind) {
	case WECOM_AIBOT_ANSWER:
		on_answer(s, &f);
		break;
	case WECOM_AIBOT_MSG:
		if (s->subscribed)
			run_message(s, &f);
		break;
	case WECOM_AIBOT_KICKED:
		log_warn("%s:%s: another connection took over this bot (disconnected_event); "
		         "not reconnecting for %d s", PLATFORM, s->life.st.instance,
		         KICKED_BACKOFF_MS / 1000);
		s->long_wait = true;
		stream_status_state(&s->life.st, "kicked");
		/* WeCom closes it; should it not, a half-dead subscription
		 * must not look connected. */
		ws_conn_close(s->life.conn);
		break;
	case WECOM_AIBOT_EVENT:
		webhook_count(PLATFORM, "ignored");
		break;
	}
	wecom_aibot_frame_free(&f);
}

static void on_close(void *arg, struct ws_conn *c, bool opened, const char *why)
{
	struct stream *s = arg;

	(void)c;
	s->subscribed = false;
	s->sub_req[0] = '\0';
	fail_pending(s, "long connection lost");
	if (stream_life_closed(&s->life))
		return;
	stream_status_lost(&s->life.st);
	if (!s->long_wait)
		log_warn("%s:%s: long connection %s: %s; reconnecting", PLATFORM,
		         s->life.st.instance, opened ? "lost" : "not opened", why);
	connect_later(s);
}

static const struct ws_callbacks ws_cbs = {on_open, on_message, on_close};

/* Connected: a ping is due. Otherwise: reconnect. */
static void on_timer(struct stream_life *l)
{
	struct stream *s = (struct stream *)l;
	char req[REQ_ID_MAX], *frame = NULL;
	int rc;

	if (s->subscribed) {
		next_req_id(s, "ping", req, sizeof req);
		if (wecom_aibot_ping(req, &frame) == 0)
			send_text(s, frame);
		free(frame);
		connect_later(s);
		return;
	}
	if (l->conn)
		return;   /* opening: its end arms the timer again */
	s->long_wait = false;
	stream_status_state(&l->st, "connecting");
	rc = ws_connect(l->env->ws, s->url, &ws_cbs, s, &l->conn);
	if (rc < 0) {
		log_warn("%s:%s: cannot open the long connection: %s", PLATFORM, l->st.instance,
		         strerror(-rc));
		stream_life_lost(l);
	}
}

/* Arms the timer: the next ping when subscribed, else the next reconnect. */
static void connect_later(struct stream *s)
{
	if (s->subscribed)
		stream_life_arm(&s->life, (uint64_t)s->ping_s * 1000);
	else if (s->long_wait)
		stream_life_arm(&s->life, KICKED_BACKOFF_MS);
	else
		stream_life_retry(&s->life);
}

static const struct stream_life_ops life_ops = {
	.tick = on_timer, .waiting = waiting, .release = release, .free = stream_freed};

int stream_wecom_aibot_start(struct stream_env *env, const struct config_instance *inst,
                             struct stream **out)
{
	const char *url = config_instance_get(inst, "api_base");
	const char *ping = config_instance_get(inst, "ping_interval");
	struct stream *s = calloc(1, sizeof *s);

	if (!s)
		return -ENOMEM;
	stream_life_init(&s->life, env, &life_ops, PLATFORM, inst->name);
	s->ping_s = ping ? (unsigned)atoi(ping) : DEFAULT_PING_S;
	s->bot_id = strdup(config_instance_get(inst, "bot_id"));
	s->secret = strdup(config_instance_get(inst, "secret"));
	s->corp_id = strdup(config_instance_get(inst, "corp_id"));
	s->url = strdup(url ? url : WECOM_AIBOT_URL);
	uv_timer_init(env->app->loop, &s->answers);
	s->answers.data = s;
	if (!s->bot_id || !s->secret || !s->corp_id || !s->url) {
		stream_life_stop(&s->life);
		return -ENOMEM;
	}
	s->next = running;
	running = s;
	stream_life_begin(&s->life);
	*out = s;
	return 0;
}

void stream_wecom_aibot_stop(struct stream *s)
{
	unlink_running(s);
	stream_life_stop(&s->life);
}

int stream_wecom_aibot_send(const struct dest *d, const char *body, send_done_fn done,
                            void *arg)
{
	const char *cmd = d->kind == DEST_REPLY ? "aibot_respond_msg" : "aibot_send_msg";
	struct stream *s = running;
	struct pending *e, **tail;
	char *frame = NULL;
	int rc;

	if (d->kind != DEST_REPLY && d->kind != DEST_USER && d->kind != DEST_CHAT)
		return -EINVAL;
	while (s && strcmp(s->life.st.instance, d->instance) != 0)
		s = s->next;
	if (!s)
		return -ENOENT;
	e = calloc(1, sizeof *e);
	if (!e)
		return -ENOMEM;
	e->done = done;
	e->arg = arg;
	if (d->kind == DEST_REPLY)
		snprintf(e->req_id, sizeof e->req_id, "%s", d->target);
	else
		next_req_id(s, cmd, e->req_id, sizeof e->req_id);
	tail = &s->pending;
	rc = wecom_aibot_wrap(cmd, e->req_id, body, &frame);
	if (rc < 0) {
		free(e);
		return rc;
	}
	e->deadline = uv_now(s->life.env->app->loop) + ANSWER_TIMEOUT_MS;
	result_set(&e->fail, SEND_TRANSIENT, 0, "no answer in time");
	/* Not connected: a retryable failure, reported from the loop (never
	 * from inside this call). */
	if (!s->subscribed || send_text(s, frame) < 0) {
		e->deadline = 0;
		result_set(&e->fail, SEND_TRANSIENT, 0, "long connection not open");
	}
	free(frame);
	/* In order: the parts of a reply are answered in order on one req_id. */
	while (*tail)
		tail = &(*tail)->next;
	*tail = e;
	answers_arm(s);
	return 0;
}
