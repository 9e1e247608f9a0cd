/* daemon/ws_client.c against tests/fake/dingtalk_stream.py (a WebSocket
 * server with control paths): messages both ways, fragments, the 1 MiB
 * bound, server close, abrupt drop, refusal, our own close, and a loop left
 * with no handle open after ws_close. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>

#include "../../daemon/ws_client.h"
#include "../../lib/log.h"
#include "fake_client.h"

static struct fake g_fake;
static uv_loop_t g_loop;
static struct ws *g_ws;

struct seen {
	int opens, messages, closes;
	bool opened;
	char last[512];
	size_t last_len;
	bool binary;
	char why[128];
	struct ws_conn *conn;
	bool close_on_open;
};

static void on_open(void *arg, struct ws_conn *c)
{
	struct seen *s = arg;

	s->opens++;
	s->conn = c;
	if (s->close_on_open)
		ws_conn_close(c);
}

static void on_message(void *arg, struct ws_conn *c, const char *data, size_t len, bool binary)
{
	struct seen *s = arg;

	(void)c;
	s->messages++;
	s->last_len = len;
	s->binary = binary;
	snprintf(s->last, sizeof s->last, "%s", data);
}

static void on_close(void *arg, struct ws_conn *c, bool opened, const char *why)
{
	struct seen *s = arg;

	(void)c;
	s->closes++;
	s->opened = opened;
	s->conn = NULL;
	snprintf(s->why, sizeof s->why, "%s", why);
}

static const struct ws_callbacks cbs = {on_open, on_message, on_close};

static void on_guard(uv_timer_t *t)
{
	*(bool *)t->data = true;
}

/* Runs the loop until *n reaches want (at most 10 s). */
static void run_until(const int *n, int want)
{
	uv_timer_t guard;
	bool expired = false;

	uv_timer_init(&g_loop, &guard);
	guard.data = &expired;
	uv_timer_start(&guard, on_guard, 10000, 0);
	while (*n < want && !expired)
		uv_run(&g_loop, UV_RUN_ONCE);
	uv_close((uv_handle_t *)&guard, NULL);
	uv_run(&g_loop, UV_RUN_NOWAIT);
	assert_false(expired);
}

/* A fresh ticket's URL: ws://127.0.0.1:<port>/connect?ticket=... */
static char *ticket_url(void)
{
	static char url[256];
	char *body;
	cJSON *j;

	assert_int_equal(fake_http(&g_fake, "POST", "/v1.0/gateway/connections/open",
	                           "{\"clientId\":\"dingfakeclientid\","
	                           "\"clientSecret\":\"fake-dingtalk-client-secret\"}",
	                           &body),
	                 200);
	j = cJSON_Parse(body);
	free(body);
	snprintf(url, sizeof url, "%s?ticket=%s",
	         cJSON_GetObjectItem(j, "endpoint")->valuestring,
	         cJSON_GetObjectItem(j, "ticket")->valuestring);
	cJSON_Delete(j);
	return url;
}

static void ctl(const char *name, const char *args)
{
	char path[64];

	snprintf(path, sizeof path, "/_ctl/%s", name);
	assert_int_equal(fake_http(&g_fake, "POST", path, args, NULL), 200);
}

/* How many fake log entries of `kind` there are; *last gets the last one's
 * `field` (a string) when asked. */
static int fake_log(const char *kind, const char *field, char *last, size_t len)
{
	char args[64], *body;
	cJSON *j, *e;
	int n = 0;

	snprintf(args, sizeof args, "{\"kind\":\"%s\"}", kind);
	assert_int_equal(fake_http(&g_fake, "POST", "/_ctl/log", args, &body), 200);
	j = cJSON_Parse(body);
	free(body);
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(j, "result")) {
		cJSON *v = cJSON_GetObjectItem(e, field ? field : "kind");

		n++;
		if (last && cJSON_IsString(v))
			snprintf(last, len, "%s", v->valuestring);
	}
	cJSON_Delete(j);
	return n;
}

/* Polls the fake's log (the loop running meanwhile) until `kind` has want
 * entries; at most 10 s. */
static void wait_log(const char *kind, int want)
{
	for (int i = 0; i < 1000; i++) {
		if (fake_log(kind, NULL, NULL, 0) >= want)
			return;
		uv_run(&g_loop, UV_RUN_NOWAIT);
		usleep(10000);
	}
	fail_msg("fake log never had %d %s", want, kind);
}

static void test_messages_both_ways(void **state)
{
	struct seen s = {0};
	char data[256], *big = malloc(300001), *msg;
	const char *ack = "{\"code\":200,\"headers\":{\"messageId\":\"m-x\"},\"message\":\"OK\","
	                  "\"data\":\"{}\"}";

	(void)state;
	assert_int_equal(ws_connect(g_ws, ticket_url(), &cbs, &s, NULL), 0);
	/* Never called back from inside ws_connect. */
	assert_int_equal(s.opens + s.closes, 0);
	assert_int_equal(ws_conn_count(g_ws), 1);
	run_until(&s.opens, 1);
	assert_non_null(s.conn);
	wait_log("connect", 1);

	/* Server to client: a robot message inside a CALLBACK frame. */
	ctl("push", "{\"msg\":{\"text\":{\"content\":\"查询 1\"}}}");
	run_until(&s.messages, 1);
	assert_false(s.binary);
	assert_int_equal(s.last_len, strlen(s.last));
	assert_non_null(strstr(s.last, "\"type\": \"CALLBACK\""));
	assert_non_null(strstr(s.last, "查询 1"));

	/* Client to server: queued messages go out in order. */
	assert_int_equal(ws_send(s.conn, "not json", 8, false), 0);
	assert_int_equal(ws_send(s.conn, ack, strlen(ack), false), 0);
	wait_log("ack", 1);
	assert_int_equal(fake_log("unknown", "text", data, sizeof data), 1);
	assert_string_equal(data, "not json");
	fake_log("ack", "message_id", data, sizeof data);
	assert_string_equal(data, "m-x");

	/* A message larger than libwebsockets' receive buffer arrives whole. */
	memset(big, 'b', 300000);
	big[300000] = '\0';
	assert_true(asprintf(&msg, "{\"msg\":{\"text\":{\"content\":\"%s\"}}}", big) > 0);
	ctl("push", msg);
	free(msg);
	run_until(&s.messages, 2);
	assert_true(s.last_len > 300000);
	free(big);

	/* Our close: a close frame, then on_close. */
	ws_conn_close(s.conn);
	assert_int_equal(ws_send(s.conn, "x", 1, false), -ENOTCONN);
	run_until(&s.closes, 1);
	assert_true(s.opened);
	assert_string_equal(s.why, "closed");
	assert_int_equal(ws_conn_count(g_ws), 0);
	wait_log("disconnect", 1);
}

static void test_too_large(void **state)
{
	struct seen s = {0};
	char *big = malloc(WS_MAX_MESSAGE + 64), *msg, buf[512] = "";
	size_t n = WS_MAX_MESSAGE + 16;
	int saved, fd;
	FILE *f;

	(void)state;
	assert_non_null(big);
	assert_int_equal(ws_connect(g_ws, ticket_url(), &cbs, &s, NULL), 0);
	run_until(&s.opens, 1);
	assert_int_equal(ws_send(s.conn, big, WS_MAX_MESSAGE + 1, false), -EMSGSIZE);
	wait_log("connect", 1);

	/* A message just over the bound, then a small one on the same
	 * connection: the first is dropped with one warning, the second comes. */
	memset(big, 'a', n);
	big[n] = '\0';
	assert_true(asprintf(&msg, "{\"msg\":{\"text\":{\"content\":\"%s\"}}}", big) > 0);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	f = tmpfile();
	assert_non_null(f);
	dup2(fileno(f), STDERR_FILENO);
	ctl("push", msg);
	ctl("push", "{\"msg\":{\"text\":{\"content\":\"small\"}}}");
	run_until(&s.messages, 1);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	assert_non_null(strstr(s.last, "small"));
	assert_int_equal(s.messages, 1);
	rewind(f);
	fd = 0;
	while (fgets(buf, sizeof buf, f))
		fd += strstr(buf, "larger than 1048576 bytes dropped") != NULL;
	fclose(f);
	assert_int_equal(fd, 1);
	free(msg);
	free(big);
	ws_conn_close(s.conn);
	run_until(&s.closes, 1);
}

static void test_server_ends_it(void **state)
{
	struct seen s = {0};

	(void)state;
	/* The server's closing handshake. */
	assert_int_equal(ws_connect(g_ws, ticket_url(), &cbs, &s, NULL), 0);
	run_until(&s.opens, 1);
	/* The fake lists a connection a moment after its handshake answer. */
	wait_log("connect", 1);
	ctl("disconnect", "{}");
	run_until(&s.closes, 1);
	assert_true(s.opened);
	assert_non_null(strstr(s.last, "disconnect"));
	assert_string_equal(s.why, "closed by the server (status 1000)");

	/* A TCP reset. */
	memset(&s, 0, sizeof s);
	assert_int_equal(ws_connect(g_ws, ticket_url(), &cbs, &s, NULL), 0);
	run_until(&s.opens, 1);
	wait_log("connect", 2);
	ctl("drop", "{}");
	run_until(&s.closes, 1);
	assert_true(s.opened);
	assert_string_equal(s.why, "connection lost");
	assert_int_equal(ws_conn_count(g_ws), 0);
}

static void test_refused_and_bad(void **state)
{
	struct seen s = {0};
	char url[128];

	(void)state;
	/* A used ticket: the upgrade is answered 401. */
	snprintf(url, sizeof url, "ws://127.0.0.1:%d/connect?ticket=nope", g_fake.port);
	assert_int_equal(ws_connect(g_ws, url, &cbs, &s, NULL), 0);
	run_until(&s.closes, 1);
	assert_false(s.opened);
	assert_int_equal(s.opens, 0);
	assert_non_null(strstr(s.why, "connection failed"));
	/* The reason never carries the URL's query. */
	assert_null(strstr(s.why, "nope"));

	/* Nobody listening. */
	memset(&s, 0, sizeof s);
	assert_int_equal(ws_connect(g_ws, "ws://127.0.0.1:1/x", &cbs, &s, NULL), 0);
	run_until(&s.closes, 1);
	assert_false(s.opened);

	/* Closed before it was resolved, and while connecting. */
	memset(&s, 0, sizeof s);
	assert_int_equal(ws_connect(g_ws, ticket_url(), &cbs, &s, &s.conn), 0);
	ws_conn_close(s.conn);
	run_until(&s.closes, 1);
	assert_int_equal(s.opens, 0);
	memset(&s, 0, sizeof s);
	s.close_on_open = true;
	assert_int_equal(ws_connect(g_ws, ticket_url(), &cbs, &s, NULL), 0);
	run_until(&s.closes, 1);
	assert_string_equal(s.why, "closed");

	assert_int_equal(ws_connect(g_ws, "http://127.0.0.1/", &cbs, &s, NULL), -EINVAL);
	assert_int_equal(ws_connect(g_ws, "ws://", &cbs, &s, NULL), -EINVAL);
	assert_int_equal(ws_connect(g_ws, "ws://h:0/", &cbs, &s, NULL), -EINVAL);
	assert_int_equal(ws_connect(g_ws, "ws://h:80x/", &cbs, &s, NULL), -EINVAL);
	assert_int_equal(ws_connect(g_ws, "ws://u@h/", &cbs, &s, NULL), -EINVAL);
	assert_int_equal(ws_conn_count(g_ws), 0);
}

/* A peer that takes the TCP connection and never answers the upgrade: given
 * up after the opening timeout (shortened here from its 5 s), so a
 * reconnect can find it back. */
static void test_silent_peer(void **state)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	socklen_t len = sizeof sa;
	struct seen s = {0};
	char url[64];
	uint64_t t0;
	int fd;

	(void)state;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	snprintf(url, sizeof url, "ws://127.0.0.1:%d/", ntohs(sa.sin_port));
	ws_set_open_timeout(g_ws, 300);
	t0 = uv_hrtime();
	assert_int_equal(ws_connect(g_ws, url, &cbs, &s, NULL), 0);
	run_until(&s.closes, 1);
	assert_false(s.opened);
	assert_true(uv_hrtime() - t0 < 8000000000ull);
	ws_set_open_timeout(g_ws, WS_OPEN_TIMEOUT_MS);
	close(fd);
}

/* ws_close with connections open and resolving: each on_close runs inside
 * it, and the loop ends with nothing left open nor leaked (teardown). */
static void test_close_all(void **state)
{
	struct seen a = {0}, b = {0};

	(void)state;
	assert_int_equal(ws_connect(g_ws, ticket_url(), &cbs, &a, NULL), 0);
	run_until(&a.opens, 1);
	assert_int_equal(ws_connect(g_ws, ticket_url(), &cbs, &b, NULL), 0);
	ws_close(g_ws);
	assert_int_equal(a.closes, 1);
	assert_int_equal(b.closes, 1);
	assert_string_equal(a.why, "closed: shutting down");
	assert_int_equal(ws_connect(g_ws, "ws://127.0.0.1/", &cbs, &a, NULL), -ESHUTDOWN);
}

/* A fresh fake per test: it redelivers what an earlier test left unacked. */
static int fake_up(void **state)
{
	(void)state;
	return fake_start_script(&g_fake, "dingtalk_stream.py");
}

static int fake_down(void **state)
{
	(void)state;
	fake_stop(&g_fake);
	return 0;
}

static int setup(void **state)
{
	(void)state;
	signal(SIGPIPE, SIG_IGN);
	log_init(LOG_LEVEL_INFO);
	if (uv_loop_init(&g_loop) < 0)
		return -1;
	return ws_open(&g_loop, NULL, &g_ws);
}

static int teardown(void **state)
{
	(void)state;
	ws_close(g_ws);
	uv_run(&g_loop, UV_RUN_DEFAULT);
	ws_free(g_ws);
	/* Every handle was closed, libwebsockets' too. */
	return uv_loop_close(&g_loop) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_messages_both_ways, fake_up, fake_down),
		cmocka_unit_test_setup_teardown(test_too_large, fake_up, fake_down),
		cmocka_unit_test_setup_teardown(test_server_ends_it, fake_up, fake_down),
		cmocka_unit_test_setup_teardown(test_refused_and_bad, fake_up, fake_down),
		cmocka_unit_test_setup_teardown(test_silent_peer, fake_up, fake_down),
		cmocka_unit_test_setup_teardown(test_close_all, fake_up, fake_down),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
