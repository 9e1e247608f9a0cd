/* daemon/stream_life.c: a stream is freed only after its socket closed, its
 * URL call answered and its jobs were done; its close frame waits for the
 * jobs and what the platform still owes; the reconnect backoff's bounds;
 * no tick once stopping. ws_conn_close and httpout_request are wrapped
 * (Makefile: WRAP_test_stream_life). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../daemon/app.h"
#include "../../daemon/stream_life.h"
#include "../../lib/config.h"
#include "../../lib/metrics.h"

struct ws_conn;
struct httpout;

/* A platform's stream: the life first, as the real ones have it. */
struct fake {
	struct stream_life life;
	uv_timer_t extra;           /* a handle of the platform's own (release closes it) */
	bool with_extra, owed;
	int ticks, releases, freed;
};

static int closes;              /* ws_conn_close calls */
static int post_rc;             /* what httpout_request returns */
static char post_url[128];
static unsigned post_timeout;

void __wrap_ws_conn_close(struct ws_conn *c);
void __wrap_ws_conn_close(struct ws_conn *c)
{
	(void)c;
	closes++;
}

int __wrap_httpout_request(struct httpout *h, const struct httpout_req *req,
                           httpout_done_fn done, void *arg);
int __wrap_httpout_request(struct httpout *h, const struct httpout_req *req,
                           httpout_done_fn done, void *arg)
{
	(void)h;
	(void)done;
	(void)arg;
	snprintf(post_url, sizeof post_url, "%s", req->url);
	post_timeout = req->timeout_ms;
	return post_rc;
}

static void tick(struct stream_life *l)
{
	((struct fake *)l)->ticks++;
}

static bool waiting(const struct stream_life *l)
{
	return ((const struct fake *)l)->owed;
}

static void release(struct stream_life *l)
{
	struct fake *f = (struct fake *)l;

	f->releases++;
	if (f->with_extra)
		stream_life_close_handle(l, (uv_handle_t *)&f->extra);
}

static void freed(struct stream_life *l)
{
	((struct fake *)l)->freed++;
}

static const struct stream_life_ops ops = {tick, waiting, release, freed};

struct world {
	uv_loop_t loop;
	struct config cfg;
	struct app app;
	struct stream_env env;
	struct fake f;
	int conn;                   /* its address stands for a connection */
};

static int setup(void **state)
{
	struct world *w = calloc(1, sizeof *w);

	if (!w || uv_loop_init(&w->loop) != 0)
		return -1;
	w->app.loop = &w->loop;
	w->app.cfg = &w->cfg;
	w->env.app = &w->app;
	stream_life_init(&w->f.life, &w->env, &ops, "dingtalk", "d1");
	closes = 0;
	post_rc = 0;
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	struct world *w = *state;
	int rc;

	uv_run(&w->loop, UV_RUN_DEFAULT);
	rc = uv_loop_close(&w->loop);
	free(w);
	metrics_reset();
	return rc == 0 ? 0 : -1;
}

/* Runs what the loop has ready, without waiting. */
static void spin(struct world *w)
{
	uv_run(&w->loop, UV_RUN_NOWAIT);
}

static void test_start_counts_live(void **state)
{
	struct world *w = *state;

	assert_int_equal(w->env.live, 1);
	assert_string_equal(w->f.life.st.state, "connecting");
	/* A failed start: stopped at once, freed from the loop, not inside. */
	stream_life_stop(&w->f.life);
	assert_int_equal(w->f.freed, 0);
	spin(w);
	assert_int_equal(w->f.freed, 1);
	assert_int_equal(w->f.releases, 1);
	assert_int_equal(w->env.live, 0);
	assert_string_equal(w->f.life.st.state, "closed");
}

static void test_close_waits_for_jobs(void **state)
{
	struct world *w = *state;
	struct stream_life *l = &w->f.life;

	l->conn = (struct ws_conn *)&w->conn;
	stream_life_job_add(l);
	stream_life_job_add(l);
	stream_life_stop(l);
	assert_int_equal(closes, 0);
	stream_life_job_done(l);
	assert_int_equal(closes, 0);
	/* The last acknowledgement is out: now the close frame. */
	stream_life_job_done(l);
	assert_int_equal(closes, 1);
	assert_string_equal(l->st.state, "closing");
	/* Not freed while the socket is open. */
	spin(w);
	assert_int_equal(w->f.freed, 0);
	assert_int_equal(w->f.releases, 0);
	assert_true(stream_life_closed(l));
	assert_int_equal(w->f.freed, 0);
	spin(w);
	assert_int_equal(w->f.freed, 1);
	assert_int_equal(w->env.live, 0);
}

static void test_free_waits_for_jobs_after_close(void **state)
{
	struct world *w = *state;
	struct stream_life *l = &w->f.life;

	/* The connection went away under a stopping stream with a message
	 * still in the inbox: that message's finish still finds the stream. */
	l->conn = (struct ws_conn *)&w->conn;
	stream_life_job_add(l);
	stream_life_stop(l);
	assert_true(stream_life_closed(l));
	spin(w);
	assert_int_equal(w->f.freed, 0);
	stream_life_job_done(l);
	assert_int_equal(closes, 0);
	spin(w);
	assert_int_equal(w->f.freed, 1);
}

static void test_close_waits_for_platform(void **state)
{
	struct world *w = *state;
	struct stream_life *l = &w->f.life;

	l->conn = (struct ws_conn *)&w->conn;
	w->f.owed = true;
	stream_life_stop(l);
	assert_int_equal(closes, 0);
	w->f.owed = false;
	stream_life_maybe_close(l);
	assert_int_equal(closes, 1);
	assert_true(stream_life_closed(l));
	spin(w);
	assert_int_equal(w->f.freed, 1);
}

static void test_free_waits_for_post(void **state)
{
	static const char *const headers[] = {"Content-Type: application/json", NULL};
	struct world *w = *state;
	struct stream_life *l = &w->f.life;

	post_rc = -EIO;
	assert_int_equal(stream_life_post(l, "http://127.0.0.1:1", "/open", headers, "{}", NULL,
	                                  NULL), -EIO);
	assert_false(l->busy);
	post_rc = 0;
	assert_int_equal(stream_life_post(l, "http://127.0.0.1:1", "/open", headers, "{}", NULL,
	                                  NULL), 0);
	assert_string_equal(post_url, "http://127.0.0.1:1/open");
	assert_int_equal(post_timeout, 5000);
	assert_true(l->busy);
	stream_life_stop(l);
	spin(w);
	assert_int_equal(w->f.freed, 0);
	assert_true(stream_life_answered(l));
	spin(w);
	assert_int_equal(w->f.freed, 1);
}

static void test_extra_handle(void **state)
{
	struct world *w = *state;

	uv_timer_init(&w->loop, &w->f.extra);
	w->f.with_extra = true;
	stream_life_stop(&w->f.life);
	assert_int_equal(w->f.releases, 1);
	spin(w);
	/* Freed once, after both handles closed. */
	assert_int_equal(w->f.freed, 1);
	assert_true(uv_is_closing((uv_handle_t *)&w->f.extra));
}

static void test_backoff(void **state)
{
	static const unsigned top[] = {250, 500, 1000, 2000, 4000, 4000};
	struct world *w = *state;
	struct stream_life *l = &w->f.life;

	for (unsigned a = 0; a < sizeof top / sizeof top[0]; a++) {
		uint64_t due;

		stream_life_retry(l);
		due = uv_timer_get_due_in(&l->timer);
		assert_true(due <= top[a] && due >= top[a] / 2);
		assert_string_equal(l->st.state, "waiting");
	}
	for (int i = 0; i < 100; i++)
		stream_life_retry(l);
	assert_int_equal(l->attempt, 16);
	assert_true(uv_timer_get_due_in(&l->timer) <= 4000);
	stream_life_opened(l);
	assert_int_equal(l->attempt, 0);
	assert_string_equal(l->st.state, "connected");
	stream_life_lost(l);
	assert_int_equal(l->st.reconnects, 1);
	assert_int_equal(l->attempt, 1);
	stream_life_stop(l);
}

static void test_ticks(void **state)
{
	struct world *w = *state;
	struct stream_life *l = &w->f.life;
	unsigned gen = l->gen;

	stream_life_begin(l);
	uv_run(&w->loop, UV_RUN_DEFAULT);
	assert_int_equal(w->f.ticks, 1);
	/* A lost connection: the next one is another generation, and the
	 * platform reconnects. */
	l->conn = (struct ws_conn *)&w->conn;
	stream_life_arm(l, 0);
	assert_false(stream_life_closed(l));
	assert_ptr_equal(l->conn, NULL);
	assert_int_equal(l->gen, gen + 1);
	assert_false(uv_is_active((uv_handle_t *)&l->timer));
	/* Stopping: an armed tick never comes. */
	stream_life_arm(l, 0);
	stream_life_stop(l);
	uv_run(&w->loop, UV_RUN_DEFAULT);
	assert_int_equal(w->f.ticks, 1);
	assert_int_equal(w->f.freed, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_start_counts_live, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_waits_for_jobs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_waits_for_jobs_after_close, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_close_waits_for_platform, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_waits_for_post, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extra_handle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backoff, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ticks, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
