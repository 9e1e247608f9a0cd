/* messages/send*.c end to end against tests/fake/fakeplatform.py: for each
 * platform and destination kind, the exact requests the fake receives
 * (method, path, query, the headers that matter, body bytes, signatures),
 * the token cache (fetched once, single-flight, refreshed before expiry and
 * once more when refused), the classification of the answers, and pacing
 * (every request of a paced send, the retry too, takes a rate token). The test
 * runs a libuv loop; it reads the fake's records with blocking requests of
 * its own (fake_client.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <inttypes.h>
#include <stdbool.h>
#include <uv.h>

#include "../../lib/clock.h"
#include "../../lib/config.h"
#include "../../lib/metrics.h"
#include "../../daemon/outbox_policy.h"
#include "../../lib/platform.h"
#include "../../messages/sign.h"
#include "../../messages/platforms.h"
#include "fake_client.h"

#define AES_KEY "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"

static struct fake g_fake;
static uv_loop_t g_loop;
static struct config *g_cfg;
static struct sender *g_sender;
static char g_dir[64];

struct outcome {
	int calls;
	struct send_result res;
	struct sender *close_me;   /* sender_close from inside the callback */
};

static void on_sent(void *arg, const struct send_result *res)
{
	struct outcome *o = arg;

	o->calls++;
	o->res = *res;
	/* A callback run from a timer would otherwise leave uv_run blocked in
	 * its poll phase until the next event. */
	uv_stop(&g_loop);
	if (o->close_me)
		sender_close(o->close_me);
}

static void on_guard(uv_timer_t *t)
{
	*(bool *)t->data = true;
	uv_stop(t->loop);
}

/* Runs the loop until *calls reaches want, or for ms when want is 0. */
static void run_loop(const int *calls, int want, unsigned ms)
{
	uv_timer_t guard;
	bool expired = false;

	uv_timer_init(&g_loop, &guard);
	guard.data = &expired;
	uv_timer_start(&guard, on_guard, want ? 10000 : ms, 0);
	while ((!calls || *calls < want || !want) && !expired)
		uv_run(&g_loop, UV_RUN_ONCE);
	uv_close((uv_handle_t *)&guard, NULL);
	uv_run(&g_loop, UV_RUN_NOWAIT);
	if (want)
		assert_false(expired);
}

static struct dest mkdest(const char *platform, const char *instance, enum dest_kind kind,
                          const char *target)
{
	struct dest d;

	memset(&d, 0, sizeof d);
	snprintf(d.platform, sizeof d.platform, "%s", platform);
	snprintf(d.instance, sizeof d.instance, "%s", instance);
	d.kind = kind;
	snprintf(d.target, sizeof d.target, "%s", target);
	return d;
}

/* Sends one body and waits for its outcome. */
static struct send_result send_wait(const struct dest *d, const char *body)
{
	struct outcome o = {0};

	assert_int_equal(sender_send(g_sender, d, body, on_sent, &o), 0);
	assert_int_equal(o.calls, 0);
	run_loop(&o.calls, 1, 0);
	assert_int_equal(o.calls, 1);
	return o.res;
}

static const char *str(const cJSON *o, const char *name)
{
	return cJSON_GetStringValue(cJSON_GetObjectItem(o, name));
}

/* The recorded requests, each checked against "METHOD path?query" lines. */
static cJSON *expect_requests(const char *const *want, size_t n)
{
	cJSON *reqs = fake_requests(&g_fake);

	assert_non_null(reqs);
	if ((size_t)cJSON_GetArraySize(reqs) != n) {
		char *dump = cJSON_Print(reqs);
		fprintf(stderr, "want %zu requests, got:\n%s\n", n, dump);
		free(dump);
	}
	assert_int_equal(cJSON_GetArraySize(reqs), n);
	for (size_t i = 0; i < n; i++) {
		const cJSON *q = cJSON_GetArrayItem(reqs, (int)i);
		const char *rq = str(q, "raw_query");
		char got[1024];

		snprintf(got, sizeof got, "%s %s%s%s", str(q, "method"), str(q, "path"),
		         rq && *rq ? "?" : "", rq ? rq : "");
		if (strcmp(got, want[i]) != 0)
			fprintf(stderr, "request %zu:\n got: %s\nwant: %s\n", i, got, want[i]);
		assert_string_equal(got, want[i]);
	}
	return reqs;
}

static const cJSON *nth(const cJSON *reqs, int i)
{
	return cJSON_GetArrayItem(reqs, i);
}

static const char *header(const cJSON *req, const char *name)
{
	return str(cJSON_GetObjectItem(req, "headers"), name);
}

static void script(const char *prefix, const char *responses)
{
	assert_int_equal(fake_script(&g_fake, prefix, responses), 0);
}

/* Uploads a file and waits for its outcome. */
static struct send_result upload_wait(const struct dest *d, const char *name, const char *data,
                                      size_t len)
{
	struct outcome o = {0};

	assert_int_equal(sender_upload(g_sender, d, name, data, len, on_sent, &o), 0);
	assert_int_equal(o.calls, 0);
	run_loop(&o.calls, 1, 0);
	return o.res;
}

/* ---- WeCom ---- */

static void test_wecom_app(void **state)
{
	static const char body[] = "{\"touser\":\"zhangsan\",\"msgtype\":\"text\",\"text\":{\"content\":\"你好\"}}";
	static const char chat[] = "{\"chatid\":\"c1\",\"msgtype\":\"text\",\"text\":{\"content\":\"hi\"}}";
	static const char *const want[] = {
		"GET /cgi-bin/gettoken?corpid=ww-corp&corpsecret=w%2Bsecret%2F1",
		"POST /cgi-bin/message/send?access_token=tok-1",
		"POST /cgi-bin/message/send?access_token=tok-1",
		"POST /cgi-bin/appchat/send?access_token=tok-1",
	};
	struct dest d = mkdest("wecom", "w", DEST_USER, "zhangsan");
	struct dest c = mkdest("wecom", "w", DEST_CHAT, "c1");
	struct send_result r;
	cJSON *reqs;

	(void)state;
	assert_int_equal(fake_reset(&g_fake), 0);
	r = send_wait(&d, body);
	assert_int_equal(r.outcome, SEND_OK);
	assert_int_equal(r.http_status, 200);
	r = send_wait(&d, body);
	assert_int_equal(r.outcome, SEND_OK);
	assert_int_equal(send_wait(&c, chat).outcome, SEND_OK);
	/* One token for all three sends. */
	reqs = expect_requests(want, 4);
	assert_string_equal(str(nth(reqs, 1), "body"),
	                    "{\"agentid\":1000002,\"touser\":\"zhangsan\",\"msgtype\":\"text\","
	                    "\"text\":{\"content\":\"你好\"}}");
	assert_string_equal(header(nth(reqs, 1), "content-type"), "application/json; charset=utf-8");
	assert_string_equal(header(nth(reqs, 1), "user-agent"), "cqod/1.0");
	assert_null(header(nth(reqs, 1), "authorization"));
	assert_string_equal(str(nth(reqs, 3), "body"), chat);
	cJSON_Delete(reqs);
}

/* A template card's send keeps its msgid and response_code; its update
 * goes to update_template_card with agentid, and a refusal of its code
 * drops the row (the detail never quotes the platform's message, which may
 * hold the code). */
static void test_wecom_card_update(void **state)
{
	static const char card[] = "{\"touser\":\"zhangsan\",\"msgtype\":\"template_card\","
	                           "\"template_card\":{\"card_type\":\"button_interaction\"}}";
	static const char text[] = "{\"touser\":\"zhangsan\",\"msgtype\":\"text\",\"text\":"
	                           "{\"content\":\"x\"}}";
	static const char update[] = "{\"atall\":1,\"response_code\":\"rc-2\","
	                             "\"template_card\":{\"card_type\":\"button_interaction\"}}";
	/* The token is test_wecom_app's, cached. */
	static const char *const want[] = {
		"POST /cgi-bin/message/send?access_token=tok-1",
		"POST /cgi-bin/message/send?access_token=tok-1",
		"POST /cgi-bin/message/update_template_card?access_token=tok-1",
		"POST /cgi-bin/message/update_template_card?access_token=tok-1",
		"POST /cgi-bin/message/update_template_card?access_token=tok-1",
	};
	struct dest d = mkdest("wecom", "w", DEST_USER, "zhangsan");
	struct dest c = mkdest("wecom", "w", DEST_CARD, "msg-2");
	struct send_result r;
	cJSON *reqs;

	(void)state;
	assert_int_equal(fake_reset(&g_fake), 0);
	r = send_wait(&d, card);
	assert_int_equal(r.outcome, SEND_OK);
	assert_string_equal(r.message_id, "msg-1");
	assert_string_equal(r.response_code, "rc-1");
	/* No buttons, no code: nothing to keep. */
	r = send_wait(&d, text);
	assert_int_equal(r.outcome, SEND_OK);
	assert_string_equal(r.message_id, "");
	assert_string_equal(r.response_code, "");
	r = send_wait(&c, update);
	assert_int_equal(r.outcome, SEND_OK);
	assert_false(r.drop);
	/* The same code again: refused, dropped. */
	r = send_wait(&c, update);
	assert_int_equal(r.outcome, SEND_PERMANENT);
	assert_true(r.drop);
	assert_int_equal(r.platform_code, 40058);
	assert_null(strstr(r.detail, "rc-2"));
	assert_null(strstr(r.detail, "hint"));
	/* A rate limit is waited out as for any send. */
	script("/cgi-bin/message/update_template_card",
	       "[{\"body\":{\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}}]");
	r = send_wait(&c, update);
	assert_int_equal(r.outcome, SEND_RATE_LIMITED);
	assert_false(r.drop);
	reqs = expect_requests(want, 5);
	assert_string_equal(str(nth(reqs, 2), "body"),
	                    "{\"agentid\":1000002,\"atall\":1,\"response_code\":\"rc-2\","
	                    "\"template_card\":{\"card_type\":\"button_interaction\"}}");
	cJSON_Delete(reqs);
}

static void test_wecom_token_refused(void **state)
{
	static const char body[] = "{\"touser\":\"u\",\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}";
	static const char *const once[] = {
		"GET /cgi-bin/gettoken?corpid=ww-corp&corpsecret=w%2Bsecret%2F1",
		"POST /cgi-bin/message/send?access_token=tok-1",
		"GET /cgi-bin/gettoken?corpid=ww-corp&corpsecret=w%2Bsecret%2F1",
		"POST /cgi-bin/message/send?access_token=tok-2",
	};
	static const char *const twice[] = {
		"POST /cgi-bin/message/send?access_token=tok-2",
		"GET /cgi-bin/gettoken?corpid=ww-corp&corpsecret=w%2Bsecret%2F1",
		"POST /cgi-bin/message/send?access_token=tok-1",
	};
	struct dest d = mkdest("wecom", "w2", DEST_USER, "u");
	struct send_result r;
	cJSON *reqs;

	(void)state;
	/* Expired: one refresh, one retry, success. */
	assert_int_equal(fake_reset(&g_fake), 0);
	script("/cgi-bin/message/send", "[{\"body\":{\"errcode\":42001,\"errmsg\":\"access_token expired\"}}]");
	r = send_wait(&d, body);
	assert_int_equal(r.outcome, SEND_OK);
	cJSON_Delete(expect_requests(once, 4));

	/* Refused again after the refresh: no third attempt. The cached tok-2
	 * goes first; the fake's token counter restarted with the reset. */
	assert_int_equal(fake_reset(&g_fake), 0);
	script("/cgi-bin/message/send", "[{\"body\":{\"errcode\":40014,\"errmsg\":\"invalid\"}},"
	                                "{\"body\":{\"errcode\":40014,\"errmsg\":\"invalid\"}}]");
	r = send_wait(&d, body);
	assert_int_equal(r.outcome, SEND_TRANSIENT);
	assert_int_equal(r.platform_code, 40014);
	assert_string_equal(r.detail, "access token refused after a refresh");
	reqs = expect_requests(twice, 3);
	cJSON_Delete(reqs);
}

static void test_wecom_robot_and_codes(void **state)
{
	static const char md[] = "{\"msgtype\":\"markdown\",\"markdown\":{\"content\":\"**x**\"}}";
	static const char *const want[] = {"POST /cgi-bin/webhook/send?key=robot-key%2B1"};
	struct dest d = mkdest("wecom", "r", DEST_ROBOT, "");
	struct send_result r;
	cJSON *reqs;

	(void)state;
	assert_int_equal(fake_reset(&g_fake), 0);
	assert_int_equal(send_wait(&d, md).outcome, SEND_OK);
	reqs = expect_requests(want, 1);
	assert_string_equal(str(nth(reqs, 0), "body"), md);
	cJSON_Delete(reqs);

	script("/cgi-bin/webhook/send",
	       "[{\"body\":{\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}},"
	       "{\"body\":{\"errcode\":45033,\"errmsg\":\"concurrent\"}},"
	       "{\"body\":{\"errcode\":-1,\"errmsg\":\"system busy\"}},"
	       "{\"body\":{\"errcode\":93000,\"errmsg\":\"invalid webhook url\"}},"
	       "{\"body\":{\"errcode\":42001,\"errmsg\":\"no token here\"}},"
	       "{\"status\":502,\"body\":\"bad gateway\"},"
	       "{\"status\":200,\"body\":\"<html>\"},"
	       "{\"status\":404,\"body\":\"not found\"}]");
	r = send_wait(&d, md);
	assert_int_equal(r.outcome, SEND_RATE_LIMITED);
	assert_int_equal(r.platform_code, 45009);
	assert_true(r.retry_after_s >= 1 && r.retry_after_s <= 60);
	r = send_wait(&d, md);
	assert_int_equal(r.outcome, SEND_RATE_LIMITED);
	assert_int_equal(r.retry_after_s, 2);
	assert_int_equal(send_wait(&d, md).outcome, SEND_TRANSIENT);
	r = send_wait(&d, md);
	assert_int_equal(r.outcome, SEND_PERMANENT);
	assert_int_equal(r.platform_code, 93000);
	assert_string_equal(r.detail, "wecom errcode 93000: invalid webhook url");
	/* A robot has no token to refresh. */
	assert_int_equal(send_wait(&d, md).outcome, SEND_PERMANENT);
	r = send_wait(&d, md);
	assert_int_equal(r.outcome, SEND_TRANSIENT);
	assert_int_equal(r.http_status, 502);
	assert_int_equal(send_wait(&d, md).outcome, SEND_TRANSIENT);
	assert_int_equal(send_wait(&d, md).outcome, SEND_PERMANENT);
	/* Nothing but robot sends, and no token request. */
	reqs = fake_requests(&g_fake);
	assert_int_equal(cJSON_GetArraySize(reqs), 9);
	cJSON_Delete(reqs);
}

static void test_wecom_token_errors(void **state)
{
	static const char body[] = "{\"touser\":\"u\",\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}";
	struct dest d = mkdest("wecom", "w3", DEST_USER, "u");
	struct send_result r;

	(void)state;
	assert_int_equal(fake_reset(&g_fake), 0);
	script("/cgi-bin/gettoken", "[{\"body\":{\"errcode\":40001,\"errmsg\":\"invalid credential\"}},"
	                            "{\"body\":{\"errcode\":-1,\"errmsg\":\"busy\"}}]");
	r = send_wait(&d, body);
	assert_int_equal(r.outcome, SEND_PERMANENT);
	assert_int_equal(r.platform_code, 40001);
	assert_int_equal(send_wait(&d, body).outcome, SEND_TRANSIENT);
	assert_int_equal(send_wait(&d, body).outcome, SEND_OK);
	/* A bad agent_id or a missing instance is refused at once. */
	{
		struct outcome o = {0};
		struct dest bad = mkdest("wecom", "badagent", DEST_USER, "u");
		struct dest none = mkdest("wecom", "nosuch", DEST_USER, "u");
		struct dest robot = mkdest("wecom", "nosuch", DEST_ROBOT, "");
		struct dest kind = mkdest("wecom", "w", DEST_SESSION, "https://x/");
		struct dest plat = mkdest("slack", "w", DEST_USER, "u");

		assert_int_equal(sender_send(g_sender, &bad, body, on_sent, &o), 0);
		run_loop(&o.calls, 1, 0);
		assert_int_equal(o.res.outcome, SEND_PERMANENT);
		assert_string_equal(o.res.detail, "agent_id is not a number");
		assert_int_equal(sender_send(g_sender, &none, body, on_sent, &o), -ENOENT);
		assert_int_equal(sender_send(g_sender, &robot, body, on_sent, &o), -ENOENT);
		assert_int_equal(sender_send(g_sender, &kind, body, on_sent, &o), -EINVAL);
		assert_int_equal(sender_send(g_sender, &plat, body, on_sent, &o), -EINVAL);
		assert_int_equal(o.calls, 1);
	}
}

/* ---- DingTalk ---- */

static void test_dingtalk_session(void **state)
{
	static const char body[] = "{\"msgtype\":\"text\",\"text\":{\"content\":\"好\"}}";
	static const char *const want[] = {"POST /robot/sendBySession?session=abc%3D"};
	struct dest d = mkdest("dingtalk", "d", DEST_SESSION, "");
	struct outcome o = {0};
	cJSON *reqs;

	(void)state;
	assert_int_equal(fake_reset(&g_fake), 0);
	snprintf(d.target, sizeof d.target, "%s/robot/sendBySession?session=abc%%3D", g_fake.base);
	d.expires_at = clock_now() + 3600;
	assert_int_equal(send_wait(&d, body).outcome, SEND_OK);
	reqs = expect_requests(want, 1);
	assert_string_equal(str(nth(reqs, 0), "body"), body);
	assert_null(header(nth(reqs, 0), "x-acs-dingtalk-access-token"));
	cJSON_Delete(reqs);

	/* Only under oapi_base, and only before it expires. */
	snprintf(d.target, sizeof d.target, "http://127.0.0.1:1/robot/sendBySession?session=x");
	assert_int_equal(sender_send(g_sender, &d, body, on_sent, &o), -EINVAL);
	snprintf(d.target, sizeof d.target, "%s.evil.example/robot", g_fake.base);
	assert_int_equal(sender_send(g_sender, &d, body, on_sent, &o), -EINVAL);
	snprintf(d.target, sizeof d.target, "%s/robot/sendBySession?session=x", g_fake.base);
	d.expires_at = clock_now() - 1;
	assert_int_equal(sender_send(g_sender, &d, body, on_sent, &o), -EINVAL);
	assert_int_equal(o.calls, 0);
	reqs = fake_requests(&g_fake);
	assert_int_equal(cJSON_GetArraySize(reqs), 1);
	cJSON_Delete(reqs);
}

static void test_dingtalk_openapi(void **state)
{
	static const char user[] = "{\"userIds\":[\"staff1\"],\"msgKey\":\"sampleText\","
	                           "\"msgParam\":\"{\\\"content\\\":\\\"hi\\\"}\"}";
	static const char group[] = "{\"openConversationId\":\"cid1\",\"msgKey\":\"sampleText\","
	                            "\"msgParam\":\"{\\\"content\\\":\\\"hi\\\"}\"}";
	static const char *const want[] = {
		"POST /v1.0/oauth2/accessToken",
		"POST /v1.0/robot/oToMessages/batchSend",
		"POST /v1.0/robot/groupMessages/send",
		"POST /v1.0/oauth2/accessToken",
		"POST /v1.0/robot/groupMessages/send",
	};
	struct dest u = mkdest("dingtalk", "d", DEST_USER, "staff1");
	struct dest g = mkdest("dingtalk", "d", DEST_CHAT, "cid1");
	cJSON *reqs;

	(void)state;
	assert_int_equal(fake_reset(&g_fake), 0);
	assert_int_equal(send_wait(&u, user).outcome, SEND_OK);
	script("/v1.0/robot/groupMessages/send",
	       "[{\"status\":401,\"body\":{\"code\":\"InvalidAuthentication\",\"message\":\"token invalid\"}}]");
	assert_int_equal(send_wait(&g, group).outcome, SEND_OK);
	reqs = expect_requests(want, 5);
	assert_string_equal(str(nth(reqs, 0), "body"), "{\"appKey\":\"dkey\",\"appSecret\":\"d-secret\"}");
	assert_string_equal(str(nth(reqs, 1), "body"),
	                    "{\"robotCode\":\"robot1\",\"userIds\":[\"staff1\"],\"msgKey\":\"sampleText\","
	                    "\"msgParam\":\"{\\\"content\\\":\\\"hi\\\"}\"}");
	assert_string_equal(header(nth(reqs, 1), "x-acs-dingtalk-access-token"), "tok-1");
	assert_string_equal(header(nth(reqs, 2), "x-acs-dingtalk-access-token"), "tok-1");
	assert_string_equal(header(nth(reqs, 4), "x-acs-dingtalk-access-token"), "tok-2");
	assert_string_equal(str(nth(reqs, 4), "body"),
	                    "{\"robotCode\":\"robot1\",\"openConversationId\":\"cid1\",\"msgKey\":"
	                    "\"sampleText\",\"msgParam\":\"{\\\"content\\\":\\\"hi\\\"}\"}");
	cJSON_Delete(reqs);

	script("/v1.0/robot/",
	       "[{\"status\":429,\"body\":{\"code\":\"Throttling\",\"message\":\"slow down\"}},"
	       "{\"status\":403,\"body\":{\"code\":\"Forbidden.AccessDenied.QpsLimitForApi\"}},"
	       "{\"status\":400,\"body\":{\"code\":\"invalidParameter\",\"message\":\"bad\"}},"
	       "{\"status\":200,\"body\":{\"processQueryKey\":\"k\",\"flowControlledStaffIdList\":[\"staff1\"]}},"
	       "{\"status\":200,\"body\":{\"processQueryKey\":\"k\",\"invalidStaffIdList\":[\"staff1\"]}},"
	       "{\"status\":503,\"body\":{}}]");
	assert_int_equal(send_wait(&u, user).outcome, SEND_RATE_LIMITED);
	assert_int_equal(send_wait(&u, user).outcome, SEND_RATE_LIMITED);
	assert_int_equal(send_wait(&u, user).outcome, SEND_PERMANENT);
	assert_int_equal(send_wait(&u, user).outcome, SEND_RATE_LIMITED);
	assert_int_equal(send_wait(&u, user).outcome, SEND_PERMANENT);
	assert_int_equal(send_wait(&u, user).outcome, SEND_TRANSIENT);

	/* A refused app secret is permanent. */
	{
		struct dest bad = mkdest("dingtalk", "d2", DEST_USER, "staff1");

		script("/v1.0/oauth2/accessToken",
		       "[{\"status\":400,\"body\":{\"code\":\"invalidClientIdOrSecret\",\"message\":\"no\"}}]");
		assert_int_equal(send_wait(&bad, user).outcome, SEND_PERMANENT);
	}
}

/* The query string of a request as a cJSON object. */
static const cJSON *query(const cJSON *req)
{
	return cJSON_GetObjectItem(req, "query");
}

/* ---- files ---- */

/* The upload of each platform (its path, multipart fields, the file's
 * name, type and bytes), the media id read from the answer, and the file
 * message naming it, byte for byte; destinations without files refuse. */
static void test_file_uploads(void **state)
{
	static const char data[] = "PK\003\004xlsx-bytes";
	static const char *const paths[] = {
		"/cgi-bin/media/upload", "/media/upload", "/open-apis/im/v1/files",
	};
	struct dest dests[] = {
		mkdest("wecom", "w", DEST_USER, "zhangsan"),
		mkdest("dingtalk", "d", DEST_CHAT, "cid1"),
		mkdest("feishu", "f", DEST_CHAT, "oc_1"),
	};
	static const char *const ids[] = {"media-1", "@media-2", "file_v2_3"};
	static const char *const bodies[] = {
		"{\"touser\":\"zhangsan\",\"msgtype\":\"file\",\"file\":{\"media_id\":\"media-1\"}}",
		"{\"openConversationId\":\"cid1\",\"msgKey\":\"sampleFile\",\"msgParam\":"
		"\"{\\\"mediaId\\\":\\\"@media-2\\\",\\\"fileName\\\":\\\"统计表.xlsx\\\","
		"\\\"fileType\\\":\\\"xlsx\\\"}\"}",
		"{\"receive_id\":\"oc_1\",\"msg_type\":\"file\",\"content\":"
		"\"{\\\"file_key\\\":\\\"file_v2_3\\\"}\"}",
	};
	struct dest robot = mkdest("wecom", "r", DEST_ROBOT, "");
	struct dest session = mkdest("dingtalk", "d", DEST_SESSION, "http://x/robot/s");
	char *body = NULL;

	(void)state;
	assert_int_equal(fake_reset(&g_fake), 0);
	for (size_t i = 0; i < 3; i++) {
		struct send_result r = upload_wait(&dests[i], "统计表.xlsx", data, sizeof data - 1);

		assert_int_equal(r.outcome, SEND_OK);
		assert_string_equal(r.media_id, ids[i]);
		assert_int_equal(sender_file_body(&dests[i], r.media_id, "统计表.xlsx", &body), 0);
		assert_string_equal(body, bodies[i]);
		free(body);
	}
	cJSON *reqs = fake_requests(&g_fake);
	int n = 0;
	for (int i = 0; i < cJSON_GetArraySize(reqs); i++) {
		const cJSON *q = nth(reqs, i);
		const char *text = str(q, "body");

		if (!strstr(str(q, "path"), "upload") && !strstr(str(q, "path"), "/files"))
			continue;
		assert_string_equal(str(q, "path"), paths[n]);
		assert_string_equal(str(q, "method"), "POST");
		assert_true(strncmp(header(q, "content-type"), "multipart/form-data; boundary=", 30) == 0);
		assert_non_null(text);
		assert_non_null(strstr(text, "filename=\"统计表.xlsx\"\r\nContent-Type: "
		                             "application/vnd.openxmlformats-officedocument."
		                             "spreadsheetml.sheet\r\n\r\nPK\003\004xlsx-bytes\r\n"));
		if (n < 2) {
			assert_string_equal(str(query(q), "type"), "file");
			assert_non_null(str(query(q), "access_token"));
			assert_non_null(strstr(text, "name=\"media\"; filename="));
		} else {
			assert_true(strncmp(header(q, "authorization"), "Bearer tok-", 11) == 0);
			assert_non_null(strstr(text, "name=\"file_type\"\r\n\r\nxls\r\n"));
			assert_non_null(strstr(text, "name=\"file_name\"\r\n\r\n统计表.xlsx\r\n"));
			assert_non_null(strstr(text, "name=\"file\"; filename="));
		}
		n++;
	}
	assert_int_equal(n, 3);
	cJSON_Delete(reqs);

	/* Robots and session webhooks take no files. */
	assert_int_equal(sender_upload(g_sender, &robot, "a.xlsx", data, 4, on_sent, NULL),
	                 -ENOTSUP);
	assert_int_equal(sender_upload(g_sender, &session, "a.xlsx", data, 4, on_sent, NULL),
	                 -ENOTSUP);
	assert_int_equal(sender_file_body(&robot, "m", "a.xlsx", &body), -ENOTSUP);
	assert_null(body);
}

/* An upload whose token is refused is retried once with a new one; an
 * answer without a media id may pass; a file message refused for its
 * media id says so (upload again), other refusals do not. */
static void test_file_answers(void **state)
{
	static const char data[] = "xlsx";
	struct dest w = mkdest("wecom", "w", DEST_USER, "zhangsan");
	struct dest f = mkdest("feishu", "f", DEST_CHAT, "oc_1");
	struct dest dd = mkdest("dingtalk", "d", DEST_USER, "staff1");
	struct send_result r;

	(void)state;
	assert_int_equal(fake_reset(&g_fake), 0);
	script("/cgi-bin/media/upload",
	       "[{\"body\":{\"errcode\":42001,\"errmsg\":\"access_token expired\"}},"
	       "{\"body\":{\"errcode\":0,\"errmsg\":\"ok\"}}]");
	r = upload_wait(&w, "a.xlsx", data, 4);
	assert_int_equal(r.outcome, SEND_TRANSIENT);
	assert_string_equal(r.detail, "upload: no media id");
	script("/cgi-bin/media/upload",
	       "[{\"body\":{\"errcode\":42001,\"errmsg\":\"access_token expired\"}}]");
	r = upload_wait(&w, "a.xlsx", data, 4);
	assert_int_equal(r.outcome, SEND_OK);
	assert_true(strncmp(r.media_id, "media-", 6) == 0);
	script("/media/upload", "[{\"body\":{\"errcode\":40014,\"errmsg\":\"bad token\"}}]");
	r = upload_wait(&dd, "a.xlsx", data, 4);
	assert_int_equal(r.outcome, SEND_OK);
	assert_true(strncmp(r.media_id, "@media-", 7) == 0);
	script("/media/upload", "[{\"body\":{\"errcode\":40004,\"errmsg\":\"bad type\"}}]");
	assert_int_equal(upload_wait(&dd, "a.xlsx", data, 4).outcome, SEND_PERMANENT);

	script("/cgi-bin/message/send",
	       "[{\"body\":{\"errcode\":40007,\"errmsg\":\"invalid media_id\"}},"
	       "{\"body\":{\"errcode\":-1,\"errmsg\":\"busy\"}}]");
	r = send_wait(&w, "{\"touser\":\"zhangsan\",\"msgtype\":\"file\",\"file\":{\"media_id\":\"m\"}}");
	assert_int_equal(r.outcome, SEND_TRANSIENT);
	assert_true(r.media_invalid);
	r = send_wait(&w, "{\"touser\":\"zhangsan\",\"msgtype\":\"file\",\"file\":{\"media_id\":\"m\"}}");
	assert_int_equal(r.outcome, SEND_TRANSIENT);
	assert_false(r.media_invalid);
	script("/open-apis/im/v1/messages",
	       "[{\"status\":400,\"body\":{\"code\":234002,\"msg\":\"invalid file_key\"}},"
	       "{\"status\":400,\"body\":{\"code\":230002,\"msg\":\"bot not in chat\"}}]");
	r = send_wait(&f, "{\"receive_id\":\"oc_1\",\"msg_type\":\"file\",\"content\":\"{}\"}");
	assert_int_equal(r.outcome, SEND_TRANSIENT);
	assert_true(r.media_invalid);
	r = send_wait(&f, "{\"receive_id\":\"oc_1\",\"msg_type\":\"file\",\"content\":\"{}\"}");
	assert_int_equal(r.outcome, SEND_PERMANENT);
	assert_false(r.media_invalid);
}

static void test_dingtalk_robot(void **state)
{
	static const char body[] = "{\"msgtype\":\"markdown\",\"markdown\":{\"title\":\"t\",\"text\":\"x\"}}";
	struct dest signed_d = mkdest("dingtalk", "r", DEST_ROBOT, "");
	struct dest plain_d = mkdest("dingtalk", "nosign", DEST_ROBOT, "");
	const cJSON *q;
	struct send_result r;
	cJSON *reqs;
	int64_t ts, now;
	char *want;

	(void)state;
	assert_int_equal(fake_reset(&g_fake), 0);
	now = clock_now();
	assert_int_equal(send_wait(&signed_d, body).outcome, SEND_OK);
	assert_int_equal(send_wait(&plain_d, body).outcome, SEND_OK);
	reqs = fake_requests(&g_fake);
	assert_int_equal(cJSON_GetArraySize(reqs), 2);
	q = query(nth(reqs, 0));
	assert_string_equal(str(nth(reqs, 0), "path"), "/robot/send");
	assert_string_equal(str(q, "access_token"), "dtok");
	ts = strtoll(str(q, "timestamp"), NULL, 10);
	assert_true(ts >= (now - 5) * 1000 && ts <= (now + 5) * 1000);
	/* sign (percent-decoded by the fake) is the Base64 HMAC checked against
	 * Python in test_send_sign; '+', '/' and '=' arrive intact. */
	assert_int_equal(sign_dingtalk_robot("SECrobot+/=", ts, &want), 0);
	assert_string_equal(str(q, "sign"), want);
	free(want);
	assert_string_equal(str(nth(reqs, 0), "body"), body);
	assert_string_equal(str(nth(reqs, 1), "raw_query"), "access_token=plain-token");
	cJSON_Delete(reqs);

	script("/robot/send",
	       "[{\"body\":{\"errcode\":130101,\"errmsg\":\"send too fast, exceed 20 times per minute\"}},"
	       "{\"body\":{\"errcode\":310000,\"errmsg\":\"sign not match\"}},"
	       "{\"body\":{\"errcode\":300005,\"errmsg\":\"token is not exist\"}},"
	       "{\"body\":{\"errcode\":90030,\"errmsg\":\"over limit\"}}]");
	r = send_wait(&signed_d, body);
	assert_int_equal(r.outcome, SEND_RATE_LIMITED);
	assert_int_equal(r.retry_after_s, 600);
	assert_int_equal(r.platform_code, 130101);
	r = send_wait(&signed_d, body);
	assert_int_equal(r.outcome, SEND_PERMANENT);
	assert_string_equal(r.detail, "dingtalk errcode 310000: sign not match");
	assert_int_equal(send_wait(&signed_d, body).outcome, SEND_PERMANENT);
	assert_int_equal(send_wait(&signed_d, body).outcome, SEND_TRANSIENT);
}

/* ---- Feishu ---- */

static void test_feishu_im(void **state)
{
	static const char text[] = "{\"receive_id\":\"ou_1\",\"msg_type\":\"text\",\"content\":"
	                           "\"{\\\"text\\\":\\\"hi\\\"}\",\"uuid\":\"k-1\"}";
	static const char reply[] = "{\"msg_type\":\"text\",\"content\":\"{\\\"text\\\":\\\"re\\\"}\"}";
	static const char *const want[] = {
		"POST /open-apis/auth/v3/tenant_access_token/internal",
		"POST /open-apis/im/v1/messages?receive_id_type=open_id",
		"POST /open-apis/im/v1/messages?receive_id_type=chat_id",
		"POST /open-apis/im/v1/messages/om_x%2F1/reply",
		"POST /open-apis/im/v1/messages?receive_id_type=user_id",
		"POST /open-apis/auth/v3/tenant_access_token/internal",
		"POST /open-apis/im/v1/messages?receive_id_type=user_id",
	};
	struct dest u = mkdest("feishu", "f", DEST_USER, "ou_1");
	struct dest c = mkdest("feishu", "f", DEST_CHAT, "oc_1");
	struct dest rp = mkdest("feishu", "f", DEST_REPLY, "om_x/1");
	struct dest uid = mkdest("feishu", "f", DEST_USER, "u123");
	cJSON *reqs;

	(void)state;
	assert_int_equal(fake_reset(&g_fake), 0);
	assert_int_equal(send_wait(&u, text).outcome, SEND_OK);
	assert_int_equal(send_wait(&c, text).outcome, SEND_OK);
	assert_int_equal(send_wait(&rp, reply).outcome, SEND_OK);
	script("/open-apis/im/", "[{\"status\":400,\"body\":{\"code\":99991663,\"msg\":\"Invalid access token\"}}]");
	assert_int_equal(send_wait(&uid, text).outcome, SEND_OK);
	reqs = expect_requests(want, 7);
	assert_string_equal(str(nth(reqs, 0), "body"), "{\"app_id\":\"cli_1\",\"app_secret\":\"f-secret\"}");
	assert_string_equal(str(nth(reqs, 1), "body"), text);
	assert_string_equal(header(nth(reqs, 1), "authorization"), "Bearer tok-1");
	assert_string_equal(header(nth(reqs, 3), "authorization"), "Bearer tok-1");
	assert_string_equal(str(nth(reqs, 3), "body"), reply);
	assert_string_equal(header(nth(reqs, 4), "authorization"), "Bearer tok-1");
	assert_string_equal(header(nth(reqs, 6), "authorization"), "Bearer tok-2");
	cJSON_Delete(reqs);
}

static void test_feishu_codes(void **state)
{
	static const char text[] = "{\"receive_id\":\"oc_1\",\"msg_type\":\"text\",\"content\":"
	                           "\"{\\\"text\\\":\\\"hi\\\"}\"}";
	struct dest c = mkdest("feishu", "f", DEST_CHAT, "oc_1");
	struct send_result r;

	(void)state;
	assert_int_equal(fake_reset(&g_fake), 0);
	script("/open-apis/im/v1/messages",
	       "[{\"status\":429,\"body\":{\"code\":99991400,\"msg\":\"too many\"},"
	       "\"headers\":{\"x-ogw-ratelimit-reset\":\"7\"}},"
	       "{\"status\":400,\"body\":{\"code\":99991400,\"msg\":\"request trigger frequency limit\"}},"
	       "{\"body\":{\"code\":230020,\"msg\":\"chat rate\"}},"
	       "{\"body\":{\"code\":11232,\"msg\":\"frequency\"}},"
	       "{\"status\":400,\"body\":{\"code\":230002,\"msg\":\"bot not in chat\"}},"
	       "{\"status\":400,\"body\":\"not json\"},"
	       "{\"status\":500,\"body\":{\"code\":1,\"msg\":\"internal\"}}]");
	r = send_wait(&c, text);
	assert_int_equal(r.outcome, SEND_RATE_LIMITED);
	assert_int_equal(r.retry_after_s, 7);
	assert_int_equal(r.http_status, 429);
	r = send_wait(&c, text);
	assert_int_equal(r.outcome, SEND_RATE_LIMITED);
	assert_int_equal(r.platform_code, 99991400);
	assert_int_equal(send_wait(&c, text).outcome, SEND_RATE_LIMITED);
	assert_int_equal(send_wait(&c, text).outcome, SEND_RATE_LIMITED);
	r = send_wait(&c, text);
	assert_int_equal(r.outcome, SEND_PERMANENT);
	assert_int_equal(r.platform_code, 230002);
	assert_int_equal(send_wait(&c, text).outcome, SEND_PERMANENT);
	assert_int_equal(send_wait(&c, text).outcome, SEND_TRANSIENT);
}

/* 99991677 (the token expired) is refreshed like the other token codes,
 * not a dead letter. The token of "f" is cached by the tests before. */
static void test_feishu_token_expired(void **state)
{
	static const char text[] = "{\"receive_id\":\"oc_1\",\"msg_type\":\"text\",\"content\":"
	                           "\"{\\\"text\\\":\\\"hi\\\"}\"}";
	static const char *const want[] = {
		"POST /open-apis/im/v1/messages?receive_id_type=chat_id",
		"POST /open-apis/auth/v3/tenant_access_token/internal",
		"POST /open-apis/im/v1/messages?receive_id_type=chat_id",
	};
	struct dest c = mkdest("feishu", "f", DEST_CHAT, "oc_1");
	cJSON *reqs;

	(void)state;
	assert_int_equal(fake_reset(&g_fake), 0);
	script("/open-apis/im/",
	       "[{\"status\":400,\"body\":{\"code\":99991677,\"msg\":\"Authentication token expired\"}}]");
	assert_int_equal(send_wait(&c, text).outcome, SEND_OK);
	reqs = expect_requests(want, 3);
	assert_string_equal(header(nth(reqs, 2), "authorization"), "Bearer tok-1");
	cJSON_Delete(reqs);
}

static void test_feishu_bot(void **state)
{
	static const char body[] = "{\"msg_type\":\"text\",\"content\":{\"text\":\"hi\"}}";
	struct dest b = mkdest("feishu", "r", DEST_ROBOT, "");
	struct dest nb = mkdest("feishu", "nosign", DEST_ROBOT, "");
	cJSON *reqs, *sent;
	int64_t ts, now = clock_now();
	char *want, expect[512];

	(void)state;
	assert_int_equal(fake_reset(&g_fake), 0);
	assert_int_equal(send_wait(&b, body).outcome, SEND_OK);
	assert_int_equal(send_wait(&nb, body).outcome, SEND_OK);
	reqs = fake_requests(&g_fake);
	assert_int_equal(cJSON_GetArraySize(reqs), 2);
	assert_string_equal(str(nth(reqs, 0), "path"), "/open-apis/bot/v2/hook/hook-1");
	sent = cJSON_Parse(str(nth(reqs, 0), "body"));
	ts = strtoll(str(sent, "timestamp"), NULL, 10);
	assert_true(ts >= now - 5 && ts <= now + 5);
	assert_int_equal(sign_feishu_bot("fb-secret", ts, &want), 0);
	/* Signature fields first, then the rendered body unchanged. */
	snprintf(expect, sizeof expect,
	         "{\"timestamp\":\"%" PRId64 "\",\"sign\":\"%s\",\"msg_type\":\"text\","
	         "\"content\":{\"text\":\"hi\"}}",
	         ts, want);
	assert_string_equal(str(nth(reqs, 0), "body"), expect);
	free(want);
	cJSON_Delete(sent);
	assert_string_equal(str(nth(reqs, 1), "path"), "/open-apis/bot/v2/hook/hook-plain");
	assert_string_equal(str(nth(reqs, 1), "body"), body);
	cJSON_Delete(reqs);

	script("/open-apis/bot/",
	       "[{\"body\":{\"code\":19021,\"msg\":\"sign match fail or timestamp is not within one hour\"}},"
	       "{\"body\":{\"code\":9499,\"msg\":\"Bad Request\"}},"
	       "{\"body\":{\"code\":11232,\"msg\":\"frequency limited\"}},"
	       "{\"body\":{\"code\":99991663,\"msg\":\"no token here\"}},"
	       "{\"body\":{\"StatusCode\":0,\"StatusMessage\":\"success\"}}]");
	assert_int_equal(send_wait(&b, body).outcome, SEND_PERMANENT);
	assert_int_equal(send_wait(&b, body).outcome, SEND_PERMANENT);
	assert_int_equal(send_wait(&b, body).outcome, SEND_RATE_LIMITED);
	assert_int_equal(send_wait(&b, body).outcome, SEND_PERMANENT);
	assert_int_equal(send_wait(&b, body).outcome, SEND_OK);
}

/* ---- the bot's own id (sender_bot_fetch) ---- */

struct bot_outcome {
	int calls;
	char id[64];   /* "" for NULL */
};

static void on_bot(void *arg, const char *id)
{
	struct bot_outcome *o = arg;

	o->calls++;
	snprintf(o->id, sizeof o->id, "%s", id ? id : "");
	uv_stop(&g_loop);
}

static void test_feishu_bot_id(void **state)
{
	static const char *const want[] = {
		"POST /open-apis/auth/v3/tenant_access_token/internal",
		"GET /open-apis/bot/v3/info",
		"POST /open-apis/auth/v3/tenant_access_token/internal",
		"GET /open-apis/bot/v3/info",
		"POST /open-apis/auth/v3/tenant_access_token/internal",
		"GET /open-apis/bot/v3/info",
	};
	struct bot_outcome a = {0}, b = {0}, c = {0};
	cJSON *reqs;

	(void)state;
	assert_int_equal(fake_reset(&g_fake), 0);
	assert_null(sender_bot_id(g_sender, "feishu", "f4"));
	/* One fetch for every caller while it is under way; a caller without
	 * a callback only starts it. */
	script("/open-apis/bot/v3/info", "[{\"delay_ms\":200}]");
	assert_int_equal(sender_bot_fetch(g_sender, "feishu", "f4", NULL, NULL), 0);
	assert_int_equal(sender_bot_fetch(g_sender, "feishu", "f4", on_bot, &a), 0);
	assert_int_equal(sender_bot_fetch(g_sender, "feishu", "f4", on_bot, &b), 0);
	assert_int_equal(a.calls + b.calls, 0);
	assert_null(sender_bot_id(g_sender, "feishu", "f4"));
	run_loop(&b.calls, 1, 0);
	assert_int_equal(a.calls, 1);
	assert_string_equal(a.id, "ou_bot");
	assert_string_equal(b.id, "ou_bot");
	/* Known from then on: nothing more is asked. */
	assert_int_equal(sender_bot_fetch(g_sender, "feishu", "f4", on_bot, &c), 1);
	assert_string_equal(sender_bot_id(g_sender, "feishu", "f4"), "ou_bot");
	/* A refused token is refreshed and the request sent again, once. */
	script("/open-apis/bot/v3/info",
	       "[{\"status\":400,\"body\":{\"code\":99991663,\"msg\":\"Invalid access token\"}},"
	       "{\"body\":{\"code\":0,\"bot\":{\"open_id\":\"ou_bot5\"}}}]");
	assert_int_equal(sender_bot_fetch(g_sender, "feishu", "f5", on_bot, &c), 0);
	run_loop(&c.calls, 1, 0);
	assert_string_equal(c.id, "ou_bot5");
	run_loop(NULL, 0, 50);
	assert_int_equal(c.calls, 1);
	reqs = expect_requests(want, 6);
	assert_string_equal(str(nth(reqs, 0), "body"), "{\"app_id\":\"cli_4\",\"app_secret\":\"f-secret\"}");
	assert_string_equal(str(nth(reqs, 1), "body"), "");
	assert_string_equal(header(nth(reqs, 1), "authorization"), "Bearer tok-1");
	assert_string_equal(str(nth(reqs, 2), "body"), "{\"app_id\":\"cli_5\",\"app_secret\":\"f-secret\"}");
	assert_string_equal(header(nth(reqs, 3), "authorization"), "Bearer tok-2");
	assert_string_equal(header(nth(reqs, 5), "authorization"), "Bearer tok-3");
	cJSON_Delete(reqs);

	/* A failure answers NULL, and none is started again for a while. */
	memset(&c, 0, sizeof c);
	script("/open-apis/bot/v3/info",
	       "[{\"status\":400,\"body\":{\"code\":10003,\"msg\":\"bot not enabled\"}}]");
	assert_int_equal(sender_bot_fetch(g_sender, "feishu", "f6", on_bot, &c), 0);
	run_loop(&c.calls, 1, 0);
	assert_string_equal(c.id, "");
	assert_int_equal(sender_bot_fetch(g_sender, "feishu", "f6", on_bot, &c), -EAGAIN);
	assert_null(sender_bot_id(g_sender, "feishu", "f6"));
	/* An answer without an id is a failure too. */
	memset(&c, 0, sizeof c);
	script("/open-apis/bot/v3/info", "[{\"body\":{\"code\":0,\"bot\":{}}}]");
	assert_int_equal(sender_bot_fetch(g_sender, "feishu", "f7", on_bot, &c), 0);
	run_loop(&c.calls, 1, 0);
	assert_string_equal(c.id, "");
	assert_int_equal(sender_bot_fetch(g_sender, "feishu", "nope", on_bot, &c), -ENOENT);
	assert_int_equal(sender_bot_fetch(g_sender, "wecom", "w", on_bot, &c), -ENOTSUP);
	assert_int_equal(c.calls, 1);
}

/* A configuration with one Feishu app, as a reload would bring: section
 * `name` with these credentials, on the fake. */
static struct config *feishu_only(const char *file, const char *name, const char *app_id,
                                  const char *secret)
{
	struct config_errors errs = {0};
	struct config *c = NULL;
	char path[160];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", g_dir, file);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "[daemon]\n[feishu:%s]\napp_id = %s\napp_secret = %s\n"
	           "verification_token = v\napi_base = %s\n", name, app_id, secret, g_fake.base);
	fclose(f);
	assert_int_equal(config_load(path, &c, &errs), 0);
	config_errors_free(&errs);
	return c;
}

/* A reload that gives the instance another app forgets the id. */
static void test_feishu_bot_id_reload(void **state)
{
	struct config *other, *old = g_cfg;
	struct bot_outcome o = {0};

	(void)state;
	assert_string_equal(sender_bot_id(g_sender, "feishu", "f4"), "ou_bot");
	other = feishu_only("other.conf", "f4", "cli_other", "f-secret");
	g_cfg = other;
	assert_null(sender_bot_id(g_sender, "feishu", "f4"));
	script("/open-apis/bot/v3/info", "[{\"body\":{\"code\":0,\"bot\":{\"open_id\":\"ou_other\"}}}]");
	assert_int_equal(sender_bot_fetch(g_sender, "feishu", "f4", on_bot, &o), 0);
	run_loop(&o.calls, 1, 0);
	assert_string_equal(o.id, "ou_other");
	g_cfg = old;
	config_free(other);
	assert_null(sender_bot_id(g_sender, "feishu", "f4"));
}

/* ---- the token cache ---- */

static void test_single_flight(void **state)
{
	static const char text[] = "{\"receive_id\":\"oc_1\",\"msg_type\":\"text\",\"content\":"
	                           "\"{\\\"text\\\":\\\"hi\\\"}\"}";
	struct dest c = mkdest("feishu", "f2", DEST_CHAT, "oc_1");
	struct outcome o[3] = {{0}};
	int done = 0;
	cJSON *reqs;

	(void)state;
	assert_int_equal(fake_reset(&g_fake), 0);
	/* A slow token: all three sends wait for the same fetch. */
	script("/open-apis/auth/", "[{\"delay_ms\":300,\"body\":{\"code\":0,\"msg\":\"ok\","
	                           "\"tenant_access_token\":\"slow-1\",\"expire\":7200}}]");
	for (int i = 0; i < 3; i++)
		assert_int_equal(sender_send(g_sender, &c, text, on_sent, &o[i]), 0);
	assert_int_equal(sender_pending(g_sender), 3);
	while (done < 3) {
		run_loop(&o[done].calls, 1, 0);
		done++;
	}
	assert_int_equal(sender_pending(g_sender), 0);
	reqs = fake_requests(&g_fake);
	assert_int_equal(cJSON_GetArraySize(reqs), 4);
	assert_string_equal(str(nth(reqs, 0), "path"), "/open-apis/auth/v3/tenant_access_token/internal");
	for (int i = 1; i < 4; i++) {
		assert_string_equal(header(nth(reqs, i), "authorization"), "Bearer slow-1");
		assert_int_equal(o[i - 1].res.outcome, SEND_OK);
	}
	cJSON_Delete(reqs);
}

static void test_refresh_before_expiry(void **state)
{
	static const char body[] = "{\"userIds\":[\"s\"],\"msgKey\":\"sampleText\",\"msgParam\":\"{}\"}";
	struct dest u = mkdest("dingtalk", "d3", DEST_USER, "s");
	cJSON *reqs;

	(void)state;
	assert_int_equal(fake_reset(&g_fake), 0);
	/* A 2-second token is handed out for half its life. */
	script("/v1.0/oauth2/", "[{\"body\":{\"accessToken\":\"short\",\"expireIn\":2}}]");
	assert_int_equal(send_wait(&u, body).outcome, SEND_OK);
	assert_int_equal(send_wait(&u, body).outcome, SEND_OK);
	run_loop(NULL, 0, 1100);
	assert_int_equal(send_wait(&u, body).outcome, SEND_OK);
	reqs = fake_requests(&g_fake);
	assert_int_equal(cJSON_GetArraySize(reqs), 5);
	assert_string_equal(str(nth(reqs, 0), "path"), "/v1.0/oauth2/accessToken");
	assert_string_equal(header(nth(reqs, 1), "x-acs-dingtalk-access-token"), "short");
	assert_string_equal(header(nth(reqs, 2), "x-acs-dingtalk-access-token"), "short");
	assert_string_equal(str(nth(reqs, 3), "path"), "/v1.0/oauth2/accessToken");
	assert_string_equal(header(nth(reqs, 4), "x-acs-dingtalk-access-token"), "tok-1");
	cJSON_Delete(reqs);
}

/* A reload changes an app's secret while its token is being fetched: the
 * answer to the old credentials is dropped, a fetch with the new ones serves
 * both sends, and the token is kept under the new credentials only. */
static void test_token_fetched_across_reload(void **state)
{
	static const char text[] = "{\"receive_id\":\"oc_1\",\"msg_type\":\"text\",\"content\":"
	                           "\"{\\\"text\\\":\\\"hi\\\"}\"}";
	struct dest c = mkdest("feishu", "f8", DEST_CHAT, "oc_1");
	struct config *renewed, *old = g_cfg;
	struct outcome before = {0}, after = {0};
	cJSON *reqs;
	int n_token = 0, n_sent = 0;
	const cJSON *q;

	(void)state;
	assert_int_equal(fake_reset(&g_fake), 0);
	renewed = feishu_only("renewed.conf", "f8", "cli_8", "f-renewed");
	script("/open-apis/auth/", "[{\"delay_ms\":500,\"body\":{\"code\":0,\"msg\":\"ok\","
	                           "\"tenant_access_token\":\"old-app\",\"expire\":7200}}]");
	assert_int_equal(sender_send(g_sender, &c, text, on_sent, &before), 0);
	run_loop(NULL, 0, 50);
	g_cfg = renewed;
	assert_int_equal(sender_send(g_sender, &c, text, on_sent, &after), 0);
	run_loop(&before.calls, 1, 0);
	run_loop(&after.calls, 1, 0);
	/* The old fetch's answer arrives before the next send. */
	run_loop(NULL, 0, 700);
	assert_int_equal(send_wait(&c, text).outcome, SEND_OK);
	g_cfg = old;
	config_free(renewed);

	assert_int_equal(before.res.outcome, SEND_OK);
	assert_int_equal(after.res.outcome, SEND_OK);
	reqs = fake_requests(&g_fake);
	assert_non_null(reqs);
	cJSON_ArrayForEach(q, reqs) {
		if (strstr(str(q, "path"), "/auth/")) {
			n_token++;
			continue;
		}
		n_sent++;
		assert_string_equal(header(q, "authorization"), "Bearer tok-1");
	}
	assert_int_equal(n_token, 2);
	assert_int_equal(n_sent, 3);
	cJSON_Delete(reqs);
}

/* ---- pacing ---- */

#define PACE_MS 400
/* The fake timestamps a request when its thread reads it: this much between
 * two requests is measurement noise, not the sender's pace. */
#define JITTER_S 0.03

/* A destination's rate token as the outbox keeps it (outbox_policy.h),
 * with the loop time of every take that let a request start. */
struct pace_log {
	struct outbox_pace pace;
	int refused;            /* asked while the token was out */
	int taken;
	uint64_t at[4];
};

static uint64_t pace_take(void *arg, uint64_t now_ms)
{
	struct pace_log *l = arg;
	uint64_t wait = outbox_pace_try(&l->pace, now_ms, PACE_MS);

	if (wait) {
		l->refused++;
	} else {
		if (l->taken < 4)
			l->at[l->taken] = now_ms;
		l->taken++;
	}
	return wait;
}

/* The fake's receive times (wall clock, seconds) of the requests to `path`;
 * returns how many there were. */
static int request_times(const char *path, double *t, int max)
{
	cJSON *reqs = fake_requests(&g_fake);
	const cJSON *q;
	int n = 0;

	assert_non_null(reqs);
	cJSON_ArrayForEach(q, reqs) {
		if (strcmp(str(q, "path"), path) != 0)
			continue;
		if (n < max)
			t[n] = cJSON_GetNumberValue(cJSON_GetObjectItem(q, "time"));
		n++;
	}
	cJSON_Delete(reqs);
	return n;
}

/* Each platform refuses the first request's access token: the retry with a
 * new token takes the destination's rate token like the first request did,
 * so it waits for it (on the loop's timer) and comes a whole interval after
 * the refused one. */
static void test_paced_retry_after_refused_token(void **state)
{
	static const struct {
		const char *platform, *instance;
		enum dest_kind kind;
		const char *target, *path, *refused, *body;
	} cases[] = {
		{"wecom", "w", DEST_USER, "u", "/cgi-bin/message/send",
		 "[{\"body\":{\"errcode\":42001,\"errmsg\":\"access_token expired\"}}]",
		 "{\"touser\":\"u\",\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}"},
		{"dingtalk", "d", DEST_CHAT, "cid1", "/v1.0/robot/groupMessages/send",
		 "[{\"status\":401,\"body\":{\"code\":\"InvalidAuthentication\",\"message\":\"no\"}}]",
		 "{\"openConversationId\":\"cid1\",\"msgKey\":\"sampleText\",\"msgParam\":\"{}\"}"},
		{"feishu", "f", DEST_CHAT, "oc_1", "/open-apis/im/v1/messages",
		 "[{\"status\":400,\"body\":{\"code\":99991663,\"msg\":\"Invalid access token\"}}]",
		 "{\"receive_id\":\"oc_1\",\"msg_type\":\"text\",\"content\":\"{}\"}"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct dest d = mkdest(cases[i].platform, cases[i].instance, cases[i].kind,
		                       cases[i].target);
		struct pace_log log = {0};
		struct send_pace pace = {.take = pace_take, .arg = &log};
		struct outcome o = {0};
		double t[2];

		assert_int_equal(fake_reset(&g_fake), 0);
		script(cases[i].path, cases[i].refused);
		assert_int_equal(sender_send_paced(g_sender, &d, cases[i].body, &pace, on_sent, &o), 0);
		run_loop(&o.calls, 1, 0);
		assert_int_equal(o.res.outcome, SEND_OK);
		/* Two requests to the destination, each with a rate token... */
		assert_int_equal(request_times(cases[i].path, t, 2), 2);
		assert_int_equal(log.taken, 2);
		assert_true(log.at[1] - log.at[0] >= PACE_MS);
		/* ... so the retry had to wait for it, and the fake saw the pace. */
		assert_true(log.refused >= 1);
		if (t[1] - t[0] < PACE_MS / 1000.0 - JITTER_S)
			fprintf(stderr, "%s: retry %.3f s after the refused request\n",
			        cases[i].platform, t[1] - t[0]);
		assert_true(t[1] - t[0] >= PACE_MS / 1000.0 - JITTER_S);
	}
}

/* The first request waits for a token still out (a previous send's), and a
 * send that never starts a request takes none. */
static void test_paced_first_request(void **state)
{
	static const char md[] = "{\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}";
	struct dest d = mkdest("wecom", "r", DEST_ROBOT, "");
	struct dest none = mkdest("wecom", "nosuch", DEST_ROBOT, "");
	struct dest expired = mkdest("dingtalk", "d", DEST_SESSION, "");
	struct pace_log log = {0};
	struct send_pace pace = {.take = pace_take, .arg = &log};
	struct outcome o = {0};
	struct timeval tv;
	double t, sent;

	(void)state;
	assert_int_equal(fake_reset(&g_fake), 0);
	snprintf(expired.target, sizeof expired.target, "%s/robot/sendBySession?session=x",
	         g_fake.base);
	expired.expires_at = clock_now() - 1;
	assert_int_equal(sender_send_paced(g_sender, &none, md, &pace, on_sent, &o), -ENOENT);
	assert_int_equal(sender_send_paced(g_sender, &expired, md, &pace, on_sent, &o), -EINVAL);
	assert_int_equal(log.taken + log.refused, 0);

	uv_update_time(&g_loop);
	outbox_pace_take(&log.pace, uv_now(&g_loop), PACE_MS);
	gettimeofday(&tv, NULL);
	sent = (double)tv.tv_sec + tv.tv_usec / 1e6;
	assert_int_equal(sender_send_paced(g_sender, &d, md, &pace, on_sent, &o), 0);
	assert_int_equal(log.refused, 1);
	assert_int_equal(log.taken, 0);
	run_loop(&o.calls, 1, 0);
	assert_int_equal(o.res.outcome, SEND_OK);
	assert_int_equal(log.taken, 1);
	assert_int_equal(request_times("/cgi-bin/webhook/send", &t, 1), 1);
	assert_true(t - sent >= PACE_MS / 1000.0 - JITTER_S);
}

/* Closing cancels a send waiting for its rate token, at once and without a
 * request. */
static void test_paced_close(void **state)
{
	static const char md[] = "{\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}";
	struct dest d = mkdest("wecom", "r", DEST_ROBOT, "");
	struct pace_log log = {0};
	struct send_pace pace = {.take = pace_take, .arg = &log};
	struct outcome o = {0};
	struct sender *s;
	double t;

	(void)state;
	assert_int_equal(fake_reset(&g_fake), 0);
	assert_int_equal(sender_open(&g_loop, &g_cfg, &s), 0);
	uv_update_time(&g_loop);
	outbox_pace_hold(&log.pace, uv_now(&g_loop), 60000);
	assert_int_equal(sender_send_paced(s, &d, md, &pace, on_sent, &o), 0);
	run_loop(NULL, 0, 50);
	assert_int_equal(sender_pending(s), 1);
	assert_int_equal(o.calls, 0);
	sender_close(s);
	assert_int_equal(o.calls, 1);
	assert_int_equal(o.res.outcome, SEND_TRANSIENT);
	assert_string_equal(o.res.detail, "cancelled");
	uv_run(&g_loop, UV_RUN_DEFAULT);
	assert_int_equal(log.taken, 0);
	assert_int_equal(request_times("/cgi-bin/webhook/send", &t, 1), 0);
}

/* ---- timeouts, reload, failures, closing ---- */

static int write_config(const char *name, const char *extra, struct config **out);


static void test_timeout_and_reload(void **state)
{
	static const char md[] = "{\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}";
	struct dest d = mkdest("wecom", "r", DEST_ROBOT, "");
	struct config *fast, *old = g_cfg;
	struct send_result r;

	(void)state;
	assert_int_equal(fake_reset(&g_fake), 0);
	/* The sender reads the configuration at each send: a reload applies. */
	assert_int_equal(write_config("fast.conf", "[outbound]\ntimeout_ms = 200\n", &fast), 0);
	g_cfg = fast;
	script("/cgi-bin/webhook/send", "[{\"delay_ms\":1500}]");
	r = send_wait(&d, md);
	assert_int_equal(r.outcome, SEND_TRANSIENT);
	assert_string_equal(r.detail, "timed out");
	g_cfg = old;
	config_free(fast);

	/* Nobody listening: transient, the token fetch included. */
	{
		struct dest dead = mkdest("wecom", "dead", DEST_USER, "u");

		r = send_wait(&dead, "{\"touser\":\"u\"}");
		assert_int_equal(r.outcome, SEND_TRANSIENT);
		assert_int_equal(r.http_status, 0);
	}
}

static void test_metrics(void **state)
{
	char *text = metrics_render();

	(void)state;
	assert_non_null(text);
	assert_non_null(strstr(text, "# TYPE cqod_outbound_requests_total counter"));
	assert_non_null(strstr(text, "cqod_outbound_requests_total{platform=\"wecom\",outcome=\"ok\"}"));
	assert_non_null(strstr(text, "cqod_outbound_requests_total{platform=\"feishu\",outcome=\"rate_limited\"}"));
	assert_non_null(strstr(text, "cqod_outbound_requests_total{platform=\"dingtalk\",outcome=\"permanent\"}"));
	/* No secret ever reaches the metrics. */
	assert_null(strstr(text, "secret"));
	free(text);
}

/* Runs last: closing cancels what is in flight, including sends waiting for
 * a token, and may happen inside a done callback. */
static void test_close(void **state)
{
	static const char text[] = "{\"receive_id\":\"oc_1\",\"msg_type\":\"text\",\"content\":\"{}\"}";
	static const char md[] = "{\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}";
	struct dest c = mkdest("feishu", "f3", DEST_CHAT, "oc_1");
	struct dest r = mkdest("wecom", "r", DEST_ROBOT, "");
	struct dest bot = mkdest("feishu", "nosign", DEST_ROBOT, "");
	struct outcome a = {0}, b = {0}, first = {0}, second = {0};
	struct bot_outcome waiting = {0}, for_token = {0};
	struct sender *s;

	(void)state;
	assert_int_equal(fake_reset(&g_fake), 0);
	script("/open-apis/auth/", "[{\"delay_ms\":2000}]");
	script("/cgi-bin/webhook/send", "[{\"delay_ms\":2000}]");
	script("/open-apis/bot/v3/info", "[{\"delay_ms\":2000}]");
	assert_int_equal(sender_send(g_sender, &c, text, on_sent, &a), 0);
	assert_int_equal(sender_send(g_sender, &r, md, on_sent, &b), 0);
	/* Bot id fetches: one waiting for its answer (f has a token), one for
	 * the token it shares with the send above. */
	assert_int_equal(sender_bot_fetch(g_sender, "feishu", "f", on_bot, &waiting), 0);
	assert_int_equal(sender_bot_fetch(g_sender, "feishu", "f3", on_bot, &for_token), 0);
	run_loop(NULL, 0, 50);
	sender_close(g_sender);
	assert_int_equal(a.calls, 1);
	assert_int_equal(b.calls, 1);
	assert_int_equal(waiting.calls, 1);
	assert_string_equal(waiting.id, "");
	assert_int_equal(for_token.calls, 1);
	assert_string_equal(for_token.id, "");
	assert_int_equal(a.res.outcome, SEND_TRANSIENT);
	assert_string_equal(a.res.detail, "cancelled");
	assert_string_equal(b.res.detail, "cancelled");
	g_sender = NULL;
	uv_run(&g_loop, UV_RUN_DEFAULT);

	/* Closing from a done callback cancels the other send. */
	assert_int_equal(sender_open(&g_loop, &g_cfg, &s), 0);
	script("/open-apis/bot/", "[{\"delay_ms\":2000}]");
	assert_int_equal(sender_send(s, &bot, "{\"msg_type\":\"text\"}", on_sent, &second), 0);
	first.close_me = s;
	assert_int_equal(sender_send(s, &r, md, on_sent, &first), 0);
	run_loop(&first.calls, 1, 0);
	assert_int_equal(second.calls, 1);
	assert_int_equal(second.res.outcome, SEND_TRANSIENT);
	assert_int_equal(first.res.outcome, SEND_OK);
	uv_run(&g_loop, UV_RUN_DEFAULT);
}

/* ---- setup ---- */

static int write_config(const char *name, const char *extra, struct config **out)
{
	struct config_errors errs = {0};
	char path[128];
	FILE *f;
	int rc;

	snprintf(path, sizeof path, "%s/%s", g_dir, name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f,
	        "%s\n"
	        "[wecom:w]\ncorp_id = ww-corp\nagent_id = 1000002\nsecret = w+secret/1\ntoken = t\n"
	        "aes_key = " AES_KEY "\napi_base = %s/\n"
	        "[wecom:w2]\ncorp_id = ww-corp\nagent_id = 1000002\nsecret = w+secret/1\ntoken = t\n"
	        "aes_key = " AES_KEY "\napi_base = %s\n"
	        "[wecom:w3]\ncorp_id = ww-corp\nagent_id = 1000002\nsecret = w+secret/1\ntoken = t\n"
	        "aes_key = " AES_KEY "\napi_base = %s\n"
	        "[wecom:badagent]\ncorp_id = c\nagent_id = 10x\nsecret = s\ntoken = t\n"
	        "aes_key = " AES_KEY "\napi_base = %s\n"
	        "[wecom:dead]\ncorp_id = c\nagent_id = 1\nsecret = s\ntoken = t\n"
	        "aes_key = " AES_KEY "\napi_base = http://127.0.0.1:1\n"
	        "[wecom_robot:r]\nkey = robot-key+1\napi_base = %s\n"
	        "[dingtalk:d]\napp_key = dkey\napp_secret = d-secret\nrobot_code = robot1\n"
	        "api_base = %s\noapi_base = %s\n"
	        "[dingtalk:d2]\napp_key = dkey2\napp_secret = wrong\napi_base = %s\n"
	        "[dingtalk:d3]\napp_key = dkey3\napp_secret = s3\napi_base = %s\n"
	        "[dingtalk_robot:r]\naccess_token = dtok\nsecret = SECrobot+/=\napi_base = %s\n"
	        "[dingtalk_robot:nosign]\naccess_token = plain-token\napi_base = %s\n"
	        "[feishu:f]\napp_id = cli_1\napp_secret = f-secret\nverification_token = v\n"
	        "api_base = %s\n"
	        "[feishu:f2]\napp_id = cli_2\napp_secret = f-secret\nverification_token = v\n"
	        "api_base = %s\n"
	        "[feishu:f3]\napp_id = cli_3\napp_secret = f-secret\nverification_token = v\n"
	        "api_base = %s\n"
	        "[feishu:f4]\napp_id = cli_4\napp_secret = f-secret\nverification_token = v\n"
	        "api_base = %s\n"
	        "[feishu:f5]\napp_id = cli_5\napp_secret = f-secret\nverification_token = v\n"
	        "api_base = %s\n"
	        "[feishu:f6]\napp_id = cli_6\napp_secret = f-secret\nverification_token = v\n"
	        "api_base = %s\n"
	        "[feishu:f7]\napp_id = cli_7\napp_secret = f-secret\nverification_token = v\n"
	        "api_base = %s\n"
	        "[feishu:f8]\napp_id = cli_8\napp_secret = f-secret\nverification_token = v\n"
	        "api_base = %s\n"
	        "[feishu_bot:r]\nhook_id = hook-1\nsecret = fb-secret\napi_base = %s\n"
	        "[feishu_bot:nosign]\nhook_id = hook-plain\napi_base = %s\n",
	        extra, g_fake.base, g_fake.base, g_fake.base, g_fake.base, g_fake.base, g_fake.base,
	        g_fake.base, g_fake.base, g_fake.base, g_fake.base, g_fake.base, g_fake.base,
	        g_fake.base, g_fake.base, g_fake.base, g_fake.base, g_fake.base, g_fake.base,
	        g_fake.base, g_fake.base, g_fake.base);
	fclose(f);
	rc = config_load(path, out, &errs);
	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.msgs[i]);
	config_errors_free(&errs);
	return rc;
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static int setup(void **state)
{
	(void)state;
	signal(SIGPIPE, SIG_IGN);
	snprintf(g_dir, sizeof g_dir, "/tmp/test_sender.XXXXXX");
	if (clock_init() < 0 || !mkdtemp(g_dir) || uv_loop_init(&g_loop) < 0 ||
	    fake_start(&g_fake) < 0)
		return -1;
	if (write_config("cqod.conf", "[outbound]\ntimeout_ms = 5000\n", &g_cfg) < 0)
		return -1;
	return sender_open(&g_loop, &g_cfg, &g_sender);
}

static int teardown(void **state)
{
	(void)state;
	if (g_sender)
		sender_close(g_sender);
	uv_run(&g_loop, UV_RUN_DEFAULT);
	fake_stop(&g_fake);
	config_free(g_cfg);
	metrics_reset();
	nftw(g_dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	/* Every handle was closed. */
	return uv_loop_close(&g_loop) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wecom_app),
		cmocka_unit_test(test_wecom_card_update),
		cmocka_unit_test(test_wecom_token_refused),
		cmocka_unit_test(test_wecom_robot_and_codes),
		cmocka_unit_test(test_wecom_token_errors),
		cmocka_unit_test(test_dingtalk_session),
		cmocka_unit_test(test_dingtalk_openapi),
		cmocka_unit_test(test_dingtalk_robot),
		cmocka_unit_test(test_feishu_im),
		cmocka_unit_test(test_feishu_codes),
		cmocka_unit_test(test_feishu_token_expired),
		cmocka_unit_test(test_feishu_bot),
		cmocka_unit_test(test_feishu_bot_id),
		cmocka_unit_test(test_feishu_bot_id_reload),
		cmocka_unit_test(test_file_uploads),
		cmocka_unit_test(test_file_answers),
		cmocka_unit_test(test_single_flight),
		cmocka_unit_test(test_refresh_before_expiry),
		cmocka_unit_test(test_token_fetched_across_reload),
		cmocka_unit_test(test_paced_retry_after_refused_token),
		cmocka_unit_test(test_paced_first_request),
		cmocka_unit_test(test_paced_close),
		cmocka_unit_test(test_timeout_and_reload),
		cmocka_unit_test(test_metrics),
		cmocka_unit_test(test_close),
	};
	/* The loader and the destinations learn the platforms from their rows. */
	if (platforms_register() < 0)
		return 1;
	return cmocka_run_group_tests(tests, setup, teardown);
}
