/* The long connections as a set; see streams.h. */
#include "streams.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/clock.h"
#include "../lib/config.h"
#include "../lib/crypto.h"
#include "../lib/log.h"
#include "../lib/metrics.h"
#include "app.h"
#include "httpout.h"
#include "transports.h"
#include "ws_client.h"

#define BACKOFF_FIRST_MS 250
#define BACKOFF_MAX_MS 4000

struct running {
	const struct transport *t;
	char *settings;           /* every key=value of the instance: a change restarts it */
	struct stream *s;
};

struct streams {
	struct stream_env env;
	struct running *list;
	size_t n;
	bool closed;
};

static void labels(const struct stream_status *st, char *buf, size_t len)
{
	snprintf(buf, len, "platform=\"%s\",instance=\"%s\"", st->platform, st->instance);
}

void stream_status_init(struct stream_status *st, const char *platform, const char *instance)
{
	char lb[96];

	memset(st, 0, sizeof *st);
	st->platform = platform;
	snprintf(st->instance, sizeof st->instance, "%s", instance);
	st->state = "connecting";
	labels(st, lb, sizeof lb);
	metrics_set("cqod_stream_up", lb, 0);
	metrics_add("cqod_stream_reconnects_total", lb, 0);
}

void stream_status_state(struct stream_status *st, const char *state)
{
	char lb[96];

	st->state = state;
	labels(st, lb, sizeof lb);
	metrics_set("cqod_stream_up", lb, strcmp(state, "connected") == 0);
}

void stream_status_frame(struct stream_status *st)
{
	char lb[96];

	st->last_frame = clock_now();
	labels(st, lb, sizeof lb);
	metrics_set("cqod_stream_last_frame_seconds", lb, (uint64_t)st->last_frame);
}

void stream_status_lost(struct stream_status *st)
{
	char lb[96];

	st->reconnects++;
	labels(st, lb, sizeof lb);
	metrics_add("cqod_stream_reconnects_total", lb, 1);
}

unsigned stream_backoff_ms(unsigned attempt)
{
	unsigned ms = BACKOFF_FIRST_MS, r = 0;

	while (attempt-- && ms < BACKOFF_MAX_MS)
		ms *= 2;
	if (ms > BACKOFF_MAX_MS)
		ms = BACKOFF_MAX_MS;
	if (crypto_random(&r, sizeof r) < 0)
		r = (unsigned)clock_mono_ns();
	return ms - r % (ms / 2 + 1);
}

bool stream_mode(const struct config_instance *inst)
{
	const char *mode = config_instance_get(inst, "mode");

	return mode && strcmp(mode, "stream") == 0;
}

bool stream_wanted(const struct config_instance *inst)
{
	const struct transport *t = transport_find(inst->platform);

	return t && t->stream_start && (!t->webhook || stream_mode(inst));
}

/* "key=value\n" for every key: what decides whether a SIGHUP restarts it. */
static char *settings_of(const struct config_instance *inst)
{
	struct strbuf sb;

	strbuf_init(&sb);
	for (size_t i = 0; i < inst->n_kv; i++)
		strbuf_appendf(&sb, "%s=%s\n", inst->kv[i].key, inst->kv[i].value);
	return strbuf_detach(&sb);
}

static const struct stream_status *status_of(const struct stream *s)
{
	return (const struct stream_status *)s;
}

/* Opens the libraries on first need: a daemon without long connections
 * never loads libwebsockets' event library. */
static int env_open(struct streams *ss)
{
	int rc;

	if (ss->env.ws)
		return 0;
	rc = httpout_open(ss->env.app->loop, &ss->env.http);
	if (rc < 0)
		return rc;
	/* [outbound] ca_file as at this first need: the CA store is loaded
	 * once, with the library. */
	rc = ws_open(ss->env.app->loop, ss->env.app->cfg->ca_file, &ss->env.ws);
	if (rc < 0) {
		log_error("cannot start the WebSocket client (is libwebsockets-evlib-uv "
		          "installed?)");
		httpout_close(ss->env.http);
		ss->env.http = NULL;
	}
	return rc;
}

static int start_one(struct streams *ss, const struct config_instance *inst)
{
	const struct transport *t = transport_find(inst->platform);
	struct running *r, *list;
	int rc;

	if (!stream_wanted(inst))
		return 0;
	rc = env_open(ss);
	if (rc < 0)
		return rc;
	list = realloc(ss->list, (ss->n + 1) * sizeof *list);
	if (!list)
		return -ENOMEM;
	ss->list = list;
	r = &ss->list[ss->n];
	r->t = t;
	r->settings = settings_of(inst);
	if (!r->settings)
		return -ENOMEM;
	rc = t->stream_start(&ss->env, inst, &r->s);
	if (rc < 0) {
		free(r->settings);
		log_error("%s:%s: cannot start the long connection: %s", inst->platform, inst->name,
		          strerror(-rc));
		return rc;
	}
	ss->n++;
	return 0;
}

static void stop_at(struct streams *ss, size_t i)
{
	struct running *r = &ss->list[i];

	r->t->stream_stop(r->s);
	free(r->settings);
	ss->list[i] = ss->list[--ss->n];
}

int streams_start(struct app *app, struct streams **out)
{
	struct streams *ss = calloc(1, sizeof *ss);
	const struct config *cfg = app->cfg;
	int rc = 0;

	if (!ss)
		return -ENOMEM;
	ss->env.app = app;
	metrics_describe("cqod_stream_up", "gauge",
	                 "1 while the long connection of an instance is open.");
	metrics_describe("cqod_stream_reconnects_total", "counter",
	                 "Long connections lost or refused, by instance.");
	metrics_describe("cqod_stream_last_frame_seconds", "gauge",
	                 "Unix time of the last frame received, by instance.");
	for (size_t i = 0; rc == 0 && i < cfg->n_instances; i++)
		rc = start_one(ss, &cfg->instances[i]);
	*out = ss;
	return rc;
}

void streams_reload(struct streams *ss)
{
	const struct config *cfg = ss->env.app->cfg;

	if (ss->closed)
		return;
	/* Stop what is gone or changed... */
	for (size_t i = ss->n; i-- > 0;) {
		const struct stream_status *st = status_of(ss->list[i].s);
		const struct config_instance *inst =
			config_instance_find(cfg, st->platform, st->instance);
		char *now = inst && stream_wanted(inst) ? settings_of(inst) : NULL;
		bool same = now && strcmp(now, ss->list[i].settings) == 0;

		free(now);
		if (!same) {
			log_info("%s:%s: settings changed; closing its long connection",
			         st->platform, st->instance);
			stop_at(ss, i);
		}
	}
	/* ...then start what is not running. */
	for (size_t i = 0; i < cfg->n_instances; i++) {
		const struct config_instance *inst = &cfg->instances[i];
		bool running = false;

		for (size_t j = 0; j < ss->n && !running; j++) {
			const struct stream_status *st = status_of(ss->list[j].s);

			running = strcmp(st->platform, inst->platform) == 0 &&
			          strcmp(st->instance, inst->name) == 0;
		}
		if (!running)
			start_one(ss, inst);
	}
}

void streams_stop(struct streams *ss)
{
	if (!ss)
		return;
	while (ss->n)
		stop_at(ss, ss->n - 1);
}

size_t streams_busy(const struct streams *ss)
{
	return ss ? ss->env.live : 0;
}

void streams_close(struct streams *ss)
{
	if (!ss || ss->closed)
		return;
	streams_stop(ss);
	ss->closed = true;
	if (ss->env.ws)
		ws_close(ss->env.ws);
	if (ss->env.http) {
		httpout_close(ss->env.http);
		ss->env.http = NULL;
	}
}

void streams_free(struct streams *ss)
{
	if (!ss)
		return;
	streams_close(ss);
	ws_free(ss->env.ws);
	free(ss->list);
	free(ss);
}

void streams_health(const struct streams *ss, struct strbuf *sb)
{
	strbuf_appends(sb, "[");
	for (size_t i = 0; ss && i < ss->n; i++) {
		const struct stream_status *st = status_of(ss->list[i].s);

		strbuf_appendf(sb,
		               "%s{\"platform\":\"%s\",\"instance\":\"%s\",\"state\":\"%s\","
		               "\"reconnects\":%u,\"last_frame\":%lld}",
		               i ? "," : "", st->platform, st->instance, st->state,
		               st->reconnects, (long long)st->last_frame);
	}
	strbuf_appends(sb, "]");
}
