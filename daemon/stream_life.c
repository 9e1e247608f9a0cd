/* A long connection's life; see stream_life.h. */
#include "stream_life.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/config.h"
#include "app.h"
#include "ws_client.h"

/* The call for a connection's URL: short, as a hung one delays the
 * reconnect. */
#define POST_TIMEOUT_MS 5000
/* Far beyond the backoff's cap; only keeps the count from wrapping. */
#define ATTEMPT_MAX 16

static void on_tick(uv_timer_t *t)
{
	struct stream_life *l = t->data;

	if (!l->stopping)
		l->ops->tick(l);
}

void stream_life_init(struct stream_life *l, struct stream_env *env,
                      const struct stream_life_ops *ops, const char *platform,
                      const char *instance)
{
	stream_status_init(&l->st, platform, instance);
	l->env = env;
	l->ops = ops;
	uv_timer_init(env->app->loop, &l->timer);
	l->timer.data = l;
	env->live++;
}

void stream_life_begin(struct stream_life *l)
{
	stream_life_arm(l, 0);
}

static void handle_closed(uv_handle_t *h)
{
	struct stream_life *l = h->data;

	if (--l->handles)
		return;
	l->env->live--;
	l->ops->free(l);
}

void stream_life_close_handle(struct stream_life *l, uv_handle_t *h)
{
	h->data = l;
	l->handles++;
	uv_close(h, handle_closed);
}

/* Frees l once nothing refers to it any more. */
static void maybe_free(struct stream_life *l)
{
	if (!l->stopping || l->freeing || l->conn || l->busy || l->jobs)
		return;
	l->freeing = true;
	stream_status_state(&l->st, "closed");
	if (l->ops->release)
		l->ops->release(l);
	stream_life_close_handle(l, (uv_handle_t *)&l->timer);
}

void stream_life_maybe_close(struct stream_life *l)
{
	if (l->stopping && !l->jobs && l->conn && !(l->ops->waiting && l->ops->waiting(l))) {
		stream_status_state(&l->st, "closing");
		ws_conn_close(l->conn);
	}
	maybe_free(l);
}

void stream_life_stop(struct stream_life *l)
{
	l->stopping = true;
	uv_timer_stop(&l->timer);
	stream_life_maybe_close(l);
}

void stream_life_job_add(struct stream_life *l)
{
	l->jobs++;
}

void stream_life_job_done(struct stream_life *l)
{
	l->jobs--;
	stream_life_maybe_close(l);
}

void stream_life_arm(struct stream_life *l, uint64_t ms)
{
	uv_timer_start(&l->timer, on_tick, ms, 0);
}

void stream_life_retry(struct stream_life *l)
{
	unsigned ms = stream_backoff_ms(l->attempt);

	if (l->attempt < ATTEMPT_MAX)
		l->attempt++;
	stream_status_state(&l->st, "waiting");
	stream_life_arm(l, ms);
}

void stream_life_lost(struct stream_life *l)
{
	stream_status_lost(&l->st);
	stream_life_retry(l);
}

void stream_life_opened(struct stream_life *l)
{
	l->attempt = 0;
	stream_status_state(&l->st, "connected");
}

bool stream_life_closed(struct stream_life *l)
{
	l->conn = NULL;
	l->gen++;
	uv_timer_stop(&l->timer);
	if (!l->stopping)
		return false;
	maybe_free(l);
	return true;
}

int stream_life_post(struct stream_life *l, const char *base, const char *path,
                     const char *const *headers, const char *body, httpout_done_fn done,
                     void *arg)
{
	struct httpout_req req = {.method = HTTPOUT_POST, .headers = headers, .body = body,
	                          .body_len = strlen(body), .timeout_ms = POST_TIMEOUT_MS,
	                          .ca_file = l->env->app->cfg->ca_file};
	char *url = NULL;
	int rc;

	if (asprintf(&url, "%s%s", base, path) < 0)
		return -ENOMEM;
	req.url = url;
	rc = httpout_request(l->env->http, &req, done, arg);
	free(url);
	if (rc == 0)
		l->busy = true;
	return rc;
}

bool stream_life_answered(struct stream_life *l)
{
	l->busy = false;
	if (!l->stopping)
		return false;
	maybe_free(l);
	return true;
}
