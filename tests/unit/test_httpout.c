/* daemon/httpout.c against tests/fake/fakeplatform.py: requests and answers,
 * response headers, the size cap, timeouts, failures, cancellation and
 * closing (also from a callback), and a loop left with no handle open. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../daemon/httpout.h"
#include "fake_client.h"

static struct fake g_fake;
static uv_loop_t g_loop;

struct result {
	int calls;
	long status;
	char body[256];
	size_t len;
	char error[256];
	bool timed_out;
	char header[64];
	struct httpout *close_me;
	struct httpout *again;   /* tries another request from the callback */
	int again_rc;
};

static void on_done(void *arg, const struct httpout_response *res)
{
	struct result *r = arg;
	const char *h = httpout_response_header(res, "X-Test");

	r->calls++;
	r->status = res->status;
	/* A callback run from a timer would otherwise leave uv_run blocked in
	 * its poll phase until the next event. */
	uv_stop(&g_loop);
	r->len = res->len;
	snprintf(r->body, sizeof r->body, "%s", res->body);
	snprintf(r->error, sizeof r->error, "%s", res->error ? res->error : "");
	r->timed_out = res->timed_out;
	snprintf(r->header, sizeof r->header, "%s", h ? h : "");
	if (r->again) {
		struct httpout_req req = {.method = HTTPOUT_GET, .url = "http://127.0.0.1:1/"};

		r->again_rc = httpout_request(r->again, &req, on_done, r);
	}
	if (r->close_me)
		httpout_close(r->close_me);
}

static void on_guard(uv_timer_t *t)
{
	*(bool *)t->data = true;
	uv_stop(t->loop);
}

/* Runs the loop until *calls reaches want (at most 10 s). */
static void run_until(const int *calls, int want)
{
	uv_timer_t guard;
	bool expired = false;

	uv_timer_init(&g_loop, &guard);
	guard.data = &expired;
	uv_timer_start(&guard, on_guard, 10000, 0);
	while (*calls < want && !expired)
		uv_run(&g_loop, UV_RUN_ONCE);
	uv_close((uv_handle_t *)&guard, NULL);
	uv_run(&g_loop, UV_RUN_NOWAIT);
	assert_false(expired);
}

/* Closes h and runs the loop until its handles are gone. */
static void close_and_drain(struct httpout *h)
{
	httpout_close(h);
	uv_run(&g_loop, UV_RUN_DEFAULT);
}

static char *url(const char *path)
{
	static char buf[256];

	snprintf(buf, sizeof buf, "%s%s", g_fake.base, path);
	return buf;
}

static void test_get_and_post(void **state)
{
	const char *headers[] = {"X-Custom: one", NULL};
	struct httpout_req get = {.method = HTTPOUT_GET, .headers = headers, .timeout_ms = 5000};
	struct httpout_req post = {.method = HTTPOUT_POST, .body = "{\"a\":\"中\"}",
	                           .body_len = strlen("{\"a\":\"中\"}")};
	struct result r1 = {0}, r2 = {0};
	struct httpout *h;
	cJSON *reqs, *q;

	(void)state;
	assert_int_equal(fake_reset(&g_fake), 0);
	assert_int_equal(fake_script(&g_fake, "/cgi-bin/gettoken",
	                             "[{\"status\":200,\"body\":{\"x\":1},\"headers\":{\"X-Test\":\"v 1\"}}]"),
	                 0);
	assert_int_equal(httpout_open(&g_loop, &h), 0);
	get.url = strdup(url("/cgi-bin/gettoken?corpid=a%20b"));
	assert_int_equal(httpout_request(h, &get, on_done, &r1), 0);
	free((char *)get.url);
	post.url = url("/open-apis/im/v1/messages?receive_id_type=open_id");
	assert_int_equal(httpout_request(h, &post, on_done, &r2), 0);
	/* Never called back from inside httpout_request. */
	assert_int_equal(r1.calls + r2.calls, 0);
	assert_int_equal(httpout_in_flight(h), 2);
	run_until(&r2.calls, 1);
	run_until(&r1.calls, 1);
	assert_int_equal(r1.calls, 1);
	assert_int_equal(r1.status, 200);
	assert_string_equal(r1.body, "{\"x\": 1}");
	assert_string_equal(r1.error, "");
	assert_string_equal(r1.header, "v 1");
	assert_int_equal(r2.status, 200);
	assert_non_null(strstr(r2.body, "\"message_id\""));
	assert_string_equal(r2.header, "");
	assert_int_equal(httpout_in_flight(h), 0);

	reqs = fake_requests(&g_fake);
	assert_int_equal(cJSON_GetArraySize(reqs), 2);
	for (int i = 0; i < 2; i++) {
		q = cJSON_GetArrayItem(reqs, i);
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(q, "method")), "GET") == 0) {
			cJSON *hd = cJSON_GetObjectItem(q, "headers");

			assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(q, "raw_query")),
			                    "corpid=a%20b");
			assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(hd, "x-custom")), "one");
			assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(hd, "user-agent")),
			                    "cqod/1.0");
		} else {
			cJSON *hd = cJSON_GetObjectItem(q, "headers");

			assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(q, "body")),
			                    "{\"a\":\"中\"}");
			assert_null(cJSON_GetObjectItem(hd, "expect"));
		}
	}
	cJSON_Delete(reqs);
	close_and_drain(h);
}

static void count_poll(uv_handle_t *hd, void *arg)
{
	if (hd->type == UV_POLL && !uv_is_closing(hd))
		(*(int *)arg)++;
}

/* Poll handles open on the loop. */
static int polls(void)
{
	int n = 0;

	uv_run(&g_loop, UV_RUN_NOWAIT);
	uv_walk(&g_loop, count_poll, &n);
	return n;
}

/* A finished transfer is reused, and nothing of its request or answer
 * (headers, method, body, response headers) carries over. */
static void test_reuse(void **state)
{
	const char *headers[] = {"X-Custom: one", NULL};
	struct httpout_req get = {.method = HTTPOUT_GET, .headers = headers};
	struct httpout_req post = {.method = HTTPOUT_POST, .body = "{\"b\":2}",
	                           .body_len = strlen("{\"b\":2}")};
	struct result r1 = {0}, r2 = {0}, r3 = {0}, r4 = {0};
	struct httpout *h;
	cJSON *reqs, *q, *hd;

	(void)state;
	assert_int_equal(fake_reset(&g_fake), 0);
	assert_int_equal(fake_script(&g_fake, "/cgi-bin/gettoken",
	                             "[{\"status\":200,\"body\":{\"x\":1},\"headers\":{\"X-Test\":\"v 1\"}},"
	                             " {\"status\":200,\"body\":{\"x\":3}},"
	                             " {\"status\":200,\"body\":{\"x\":4},\"headers\":{\"Connection\":\"close\"}}]"),
	                 0);
	assert_int_equal(httpout_open(&g_loop, &h), 0);
	assert_int_equal(httpout_pooled(h), 0);
	get.url = strdup(url("/cgi-bin/gettoken?n=1"));
	assert_int_equal(httpout_request(h, &get, on_done, &r1), 0);
	run_until(&r1.calls, 1);
	assert_string_equal(r1.header, "v 1");
	assert_int_equal(httpout_pooled(h), 1);
	/* The keep-alive connection's poll is kept, stopped, for its next
	 * request, which takes it rather than another. */
	assert_int_equal(polls(), 1);

	post.url = url("/open-apis/im/v1/messages?receive_id_type=open_id");
	assert_int_equal(httpout_request(h, &post, on_done, &r2), 0);
	assert_int_equal(httpout_pooled(h), 0);
	run_until(&r2.calls, 1);
	assert_int_equal(r2.status, 200);
	assert_non_null(strstr(r2.body, "\"message_id\""));
	assert_string_equal(r2.header, "");
	assert_int_equal(httpout_pooled(h), 1);
	assert_int_equal(polls(), 1);

	assert_int_equal(httpout_request(h, &get, on_done, &r3), 0);
	run_until(&r3.calls, 1);
	assert_string_equal(r3.body, "{\"x\": 3}");
	assert_string_equal(r3.header, "");
	assert_int_equal(polls(), 1);
	/* A connection libcurl closes takes its poll with it. */
	assert_int_equal(httpout_request(h, &get, on_done, &r4), 0);
	free((char *)get.url);
	run_until(&r4.calls, 1);
	assert_string_equal(r4.body, "{\"x\": 4}");
	assert_int_equal(polls(), 0);

	reqs = fake_requests(&g_fake);
	assert_int_equal(cJSON_GetArraySize(reqs), 4);
	for (int i = 0; i < 4; i++) {
		q = cJSON_GetArrayItem(reqs, i);
		hd = cJSON_GetObjectItem(q, "headers");
		assert_null(cJSON_GetObjectItem(hd, "expect"));
		if (i == 1) {
			assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(q, "method")),
			                    "POST");
			assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(q, "body")),
			                    "{\"b\":2}");
			assert_null(cJSON_GetObjectItem(hd, "x-custom"));
		} else {
			assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(q, "method")),
			                    "GET");
			assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(hd, "x-custom")),
			                    "one");
		}
	}
	cJSON_Delete(reqs);
	close_and_drain(h);
}

/* curl_easy_reset, counted: this definition comes before libcurl's for
 * the code linked into this test, and calls it. */
static int g_resets;

void curl_easy_reset(CURL *curl)
{
	void (*real)(CURL *) = (void (*)(CURL *))dlsym(RTLD_NEXT, "curl_easy_reset");

	g_resets++;
	real(curl);
}

/* epoll_ctl, counted likewise (libuv's calls come here first). */
static int g_epoll_ctls;

int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)
{
	int (*real)(int, int, int, struct epoll_event *) =
		(int (*)(int, int, int, struct epoll_event *))dlsym(RTLD_NEXT, "epoll_ctl");

	g_epoll_ctls++;
	return real(epfd, op, fd, event);
}

/* Runs req on h and waits for its answer. */
static void run_one(struct httpout *h, const struct httpout_req *req)
{
	struct result r = {0};

	assert_int_equal(httpout_request(h, req, on_done, &r), 0);
	run_until(&r.calls, 1);
	assert_int_equal(r.status, 200);
}

/* A reused transfer keeps its handle's options: each request sets those
 * it may use, so the handle is reset (all its options set again) only
 * after a multipart body, whose MIME tree is gone with its request. And
 * nothing of a request carries over to the next: method, body, custom
 * method, headers. */
static void test_reuse_keeps_options(void **state)
{
	const char *headers[] = {"X-Custom: one", NULL};
	const char *path = "/open-apis/im/v1/messages/om_1";
	struct httpout_part part = {"media", "a.xlsx", "application/octet-stream", "xlsx", 4};
	struct httpout_req get = {.method = HTTPOUT_GET, .headers = headers};
	struct httpout_req post = {.method = HTTPOUT_POST, .body = "{\"p\":1}", .body_len = 7};
	struct httpout_req patch = {.method = HTTPOUT_PATCH, .body = "{\"q\":2}", .body_len = 7};
	struct httpout_req put = {.method = HTTPOUT_PUT, .body = "{\"r\":3}", .body_len = 7};
	struct httpout_req form = {.method = HTTPOUT_POST, .parts = &part, .n_parts = 1};
	const char *methods[] = {"GET", "POST", "PATCH", "PUT", "GET", "POST", "POST"};
	const char *bodies[] = {"", "{\"p\":1}", "{\"q\":2}", "{\"r\":3}", "", NULL, "{\"p\":1}"};
	struct httpout *h;
	cJSON *reqs;

	(void)state;
	assert_int_equal(fake_reset(&g_fake), 0);
	assert_int_equal(httpout_open(&g_loop, &h), 0);
	get.url = post.url = patch.url = put.url = form.url = strdup(url(path));
	g_resets = 0;
	run_one(h, &get);
	/* A new handle gets its options once. */
	assert_int_equal(g_resets, 1);
	run_one(h, &post);
	run_one(h, &patch);
	run_one(h, &put);
	run_one(h, &get);
	assert_int_equal(g_resets, 1);
	assert_int_equal(httpout_pooled(h), 1);
	run_one(h, &form);
	assert_int_equal(g_resets, 1);
	run_one(h, &post);
	assert_int_equal(g_resets, 2);
	free((char *)get.url);

	reqs = fake_requests(&g_fake);
	assert_int_equal(cJSON_GetArraySize(reqs), 7);
	for (int i = 0; i < 7; i++) {
		cJSON *q = cJSON_GetArrayItem(reqs, i);
		cJSON *hd = cJSON_GetObjectItem(q, "headers");

		assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(q, "method")), methods[i]);
		if (bodies[i])
			assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(q, "body")),
			                    bodies[i]);
		assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(hd, "user-agent")),
		                    "cqod/1.0");
		assert_null(cJSON_GetObjectItem(hd, "expect"));
		if (i == 0 || i == 4)
			assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(hd, "x-custom")),
			                    "one");
		else
			assert_null(cJSON_GetObjectItem(hd, "x-custom"));
		if (i == 5)
			assert_non_null(strstr(cJSON_GetStringValue(cJSON_GetObjectItem(hd,
			                                                                 "content-type")),
			                       "multipart/form-data"));
	}
	cJSON_Delete(reqs);
	close_and_drain(h);
}

static void count_active_poll(uv_handle_t *hd, void *arg)
{
	if (hd->type == UV_POLL && uv_is_active(hd) && !uv_has_ref(hd))
		(*(int *)arg)++;
}

/* Between its requests a keep-alive connection's poll keeps waiting for
 * input, unreferenced: libuv makes every poll start one or two epoll_ctl
 * calls, so its next requests, which wait for input again, cost none. It
 * keeps no loop running meanwhile. */
static void test_kept_connection_costs_no_epoll_ctl(void **state)
{
	struct httpout_req post = {.method = HTTPOUT_POST, .body = "{}", .body_len = 2};
	struct httpout *h;
	int idle = 0;

	(void)state;
	assert_int_equal(fake_reset(&g_fake), 0);
	assert_int_equal(httpout_open(&g_loop, &h), 0);
	post.url = url("/cgi-bin/webhook/send?key=k");
	run_one(h, &post);
	assert_int_equal(polls(), 1);
	uv_walk(&g_loop, count_active_poll, &idle);
	assert_int_equal(idle, 1);
	g_epoll_ctls = 0;
	for (int i = 0; i < 5; i++)
		run_one(h, &post);
	assert_int_equal(g_epoll_ctls, 0);
	assert_int_equal(polls(), 1);
	/* Nothing but the idle connection: the loop has nothing to wait for. */
	assert_int_equal(uv_run(&g_loop, UV_RUN_NOWAIT), 0);
	close_and_drain(h);
	assert_int_equal(polls(), 0);
}

static void on_readable(uv_poll_t *p, int status, int events)
{
	(void)status;
	(void)events;
	(*(int *)p->data)++;
	uv_poll_stop(p);
}

/* libcurl closes some descriptors without CURLOPT_CLOSESOCKETFUNCTION (the
 * threaded resolver's socketpair, after its REMOVE): their polls are not
 * kept, so none is left on a number that another handle of the loop takes
 * next, where closing it (httpout_close) would unwatch that handle. */
static void test_no_poll_kept_for_a_resolver_socket(void **state)
{
	struct httpout_req req = {.method = HTTPOUT_GET, .url = "http://cqod-test.invalid/",
	                          .timeout_ms = 5000};
	struct result r = {0};
	struct httpout *h;
	uv_poll_t other;
	int sv[2], fired = 0;

	(void)state;
	assert_int_equal(httpout_open(&g_loop, &h), 0);
	assert_int_equal(httpout_request(h, &req, on_done, &r), 0);
	run_until(&r.calls, 1);
	assert_true(r.error[0] != '\0');
	assert_int_equal(polls(), 0);

	/* The descriptor numbers the resolver used, now another handle's. */
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(uv_poll_init_socket(&g_loop, &other, sv[0]), 0);
	other.data = &fired;
	assert_int_equal(uv_poll_start(&other, UV_READABLE, on_readable), 0);
	uv_run(&g_loop, UV_RUN_NOWAIT);
	httpout_close(h);
	uv_run(&g_loop, UV_RUN_NOWAIT);
	assert_int_equal(write(sv[1], "x", 1), 1);
	run_until(&fired, 1);
	uv_close((uv_handle_t *)&other, NULL);
	uv_run(&g_loop, UV_RUN_DEFAULT);
	close(sv[0]);
	close(sv[1]);
}

static void test_too_large(void **state)
{
	struct httpout_req req = {.method = HTTPOUT_GET};
	struct result r = {0};
	struct httpout *h;
	size_t n = HTTPOUT_MAX_RESPONSE + 10;
	char *big = malloc(n + 3), *script;

	(void)state;
	assert_non_null(big);
	big[0] = '"';
	memset(big + 1, 'a', n);
	big[n + 1] = '"';
	big[n + 2] = '\0';
	assert_true(asprintf(&script, "[{\"body\":%s}]", big) > 0);
	free(big);
	assert_int_equal(fake_reset(&g_fake), 0);
	assert_int_equal(fake_script(&g_fake, "/big", script), 0);
	free(script);
	assert_int_equal(httpout_open(&g_loop, &h), 0);
	req.url = url("/big");
	assert_int_equal(httpout_request(h, &req, on_done, &r), 0);
	run_until(&r.calls, 1);
	assert_string_equal(r.error, "response too large");
	close_and_drain(h);
}

static void test_timeout_and_refused(void **state)
{
	struct httpout_req slow = {.method = HTTPOUT_GET, .timeout_ms = 200};
	struct httpout_req refused = {.method = HTTPOUT_GET, .url = "http://127.0.0.1:1/x"};
	struct result r1 = {0}, r2 = {0};
	struct httpout *h;

	(void)state;
	assert_int_equal(fake_reset(&g_fake), 0);
	assert_int_equal(fake_script(&g_fake, "/slow", "[{\"delay_ms\":1500}]"), 0);
	assert_int_equal(httpout_open(&g_loop, &h), 0);
	slow.url = url("/slow");
	assert_int_equal(httpout_request(h, &slow, on_done, &r1), 0);
	assert_int_equal(httpout_request(h, &refused, on_done, &r2), 0);
	run_until(&r1.calls, 1);
	run_until(&r2.calls, 1);
	assert_string_equal(r1.error, "timed out");
	assert_true(r1.timed_out);
	assert_int_equal(r1.status, 0);
	assert_true(r2.error[0] != '\0');
	assert_false(r2.timed_out);
	assert_int_equal(r2.status, 0);
	close_and_drain(h);
}

static void test_bad_requests(void **state)
{
	struct httpout_req req = {.method = HTTPOUT_GET, .url = "ftp://127.0.0.1/"};
	struct result r = {0};
	struct httpout *h;

	(void)state;
	assert_int_equal(httpout_open(&g_loop, &h), 0);
	assert_int_equal(httpout_request(h, &req, on_done, &r), -EINVAL);
	req.url = NULL;
	assert_int_equal(httpout_request(h, &req, on_done, &r), -EINVAL);
	req.url = "http://127.0.0.1:1/";
	req.method = (enum httpout_method)7;
	assert_int_equal(httpout_request(h, &req, on_done, &r), -EINVAL);
	req.method = HTTPOUT_POST;
	req.body_len = 3;
	assert_int_equal(httpout_request(h, &req, on_done, &r), -EINVAL);
	/* TLS to a plain HTTP server fails the handshake: an error, no status. */
	req.method = HTTPOUT_GET;
	req.body_len = 0;
	{
		char tls[96];

		snprintf(tls, sizeof tls, "https://127.0.0.1:%d/x", g_fake.port);
		req.url = tls;
		assert_int_equal(httpout_request(h, &req, on_done, &r), 0);
		run_until(&r.calls, 1);
		assert_true(r.error[0] != '\0');
		assert_int_equal(r.status, 0);
	}
	close_and_drain(h);
	assert_int_equal(r.calls, 1);
}

static void test_cancel_and_close(void **state)
{
	struct httpout_req slow = {.method = HTTPOUT_GET};
	struct result r1 = {0}, r2 = {0}, r3 = {0};
	struct httpout *h;

	(void)state;
	assert_int_equal(fake_reset(&g_fake), 0);
	assert_int_equal(fake_script(&g_fake, "/slow", "[{\"delay_ms\":500},{\"delay_ms\":500}]"), 0);
	assert_int_equal(httpout_open(&g_loop, &h), 0);
	slow.url = url("/slow");
	assert_int_equal(httpout_request(h, &slow, on_done, &r1), 0);
	assert_int_equal(httpout_request(h, &slow, on_done, &r2), 0);
	uv_run(&g_loop, UV_RUN_NOWAIT);
	httpout_cancel_all(h);
	assert_int_equal(r1.calls, 1);
	assert_int_equal(r2.calls, 1);
	assert_string_equal(r1.error, "cancelled");
	assert_int_equal(httpout_in_flight(h), 0);

	/* Still usable after a cancel; closing from a done callback is safe
	 * and cancels the rest. */
	assert_int_equal(fake_script(&g_fake, "/slower", "[{\"delay_ms\":1000}]"), 0);
	r1 = (struct result){.close_me = h};
	r3.again = h;
	slow.url = url("/slower");
	assert_int_equal(httpout_request(h, &slow, on_done, &r3), 0);
	slow.url = url("/quick");
	assert_int_equal(httpout_request(h, &slow, on_done, &r1), 0);
	run_until(&r1.calls, 1);
	assert_int_equal(r3.calls, 1);
	assert_string_equal(r3.error, "cancelled");
	/* A callback run by the closing cannot start anything new. */
	assert_int_equal(r3.again_rc, -ESHUTDOWN);
	uv_run(&g_loop, UV_RUN_DEFAULT);
}

static int setup(void **state)
{
	(void)state;
	signal(SIGPIPE, SIG_IGN);
	if (uv_loop_init(&g_loop) < 0)
		return -1;
	return fake_start(&g_fake);
}

static int teardown(void **state)
{
	(void)state;
	fake_stop(&g_fake);
	uv_run(&g_loop, UV_RUN_DEFAULT);
	/* Every handle was closed. */
	return uv_loop_close(&g_loop) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_and_post),
		cmocka_unit_test(test_reuse),
		cmocka_unit_test(test_reuse_keeps_options),
		cmocka_unit_test(test_kept_connection_costs_no_epoll_ctl),
		cmocka_unit_test(test_no_poll_kept_for_a_resolver_socket),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_timeout_and_refused),
		cmocka_unit_test(test_bad_requests),
		cmocka_unit_test(test_cancel_and_close),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
