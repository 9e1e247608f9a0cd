/* DingTalk Stream mode: the gateway request and answer, frames as the
 * gateway sends them (the shapes the official dingtalk-stream 2.1.5 client
 * reads, tests/fake/dingtalk_stream.py), the robot message decoded as in
 * HTTP mode, and our ack and pong byte for byte as the SDK writes them. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../messages/dingtalk_card.h"
#include "../../messages/dingtalk_stream.h"

#define ROBOT_DATA                                                                          \
	"{\\\"conversationId\\\":\\\"cid1==\\\",\\\"msgId\\\":\\\"msgA1\\\","                    \
	"\\\"senderNick\\\":\\\"张三\\\",\\\"senderStaffId\\\":\\\"staff01\\\","                  \
	"\\\"senderCorpId\\\":\\\"dingcorp\\\",\\\"conversationType\\\":\\\"1\\\","               \
	"\\\"chatbotUserId\\\":\\\"bot01\\\",\\\"msgtype\\\":\\\"text\\\","                       \
	"\\\"text\\\":{\\\"content\\\":\\\" 查询 123\\\"}}"

static const char ROBOT[] =
	"{\"specVersion\":\"1.0\",\"type\":\"CALLBACK\",\"headers\":{\"appId\":\"a1\","
	"\"connectionId\":\"c1\",\"contentType\":\"application/json\",\"messageId\":\"mid-1\","
	"\"time\":\"1700000000000\",\"topic\":\"/v1.0/im/bot/messages/get\"},\"data\":\"" ROBOT_DATA
	"\"}";
static const char PING[] =
	"{\"specVersion\":\"1.0\",\"type\":\"SYSTEM\",\"headers\":{\"contentType\":"
	"\"application/json\",\"messageId\":\"p-1\",\"time\":\"1700000000000\",\"topic\":\"ping\"},"
	"\"data\":\"{\\\"opaque\\\":\\\"xyz\\\"}\"}";

static int decode(const char *s, struct dingtalk_stream_frame *f)
{
	return dingtalk_stream_decode(s, strlen(s), f);
}

static void test_open_request_and_answer(void **state)
{
	char *body, *url;

	(void)state;
	assert_int_equal(dingtalk_stream_open_request("dingid", "secret", NULL, &body), 0);
	assert_string_equal(body, "{\"clientId\":\"dingid\",\"clientSecret\":\"secret\","
	                          "\"ua\":\"\",\"subscriptions\":[{\"type\":\"CALLBACK\","
	                          "\"topic\":\"/v1.0/im/bot/messages/get\"}]}");
	free(body);
	assert_int_equal(dingtalk_stream_open_request("dingid", "", "cqod", &body), -EINVAL);
	assert_null(body);

#define PARSE(s) dingtalk_stream_open_parse(s, strlen(s), &url)
	assert_int_equal(PARSE("{\"endpoint\":\"wss://wss-open-connection.dingtalk.com:443/connect\","
	                       "\"ticket\":\"ab-12_c\"}"), 0);
	assert_string_equal(url, "wss://wss-open-connection.dingtalk.com:443/connect?ticket=ab-12_c");
	free(url);
	/* A ticket is put in the query percent-encoded. */
	assert_int_equal(PARSE("{\"endpoint\":\"ws://127.0.0.1:9/connect\",\"ticket\":\"a b&c=d\"}"),
	                 0);
	assert_string_equal(url, "ws://127.0.0.1:9/connect?ticket=a%20b%26c%3Dd");
	free(url);
	assert_int_equal(PARSE("{\"code\":\"InvalidAuthentication\",\"message\":\"bad\"}"), -EPROTO);
	assert_null(url);
	assert_int_equal(PARSE("{\"endpoint\":\"https://x/connect\",\"ticket\":\"t\"}"), -EINVAL);
	assert_int_equal(PARSE("{\"endpoint\":\"wss://x/c?a=b\",\"ticket\":\"t\"}"), -EINVAL);
	assert_int_equal(PARSE("{\"endpoint\":\"wss://x/c\"}"), -EINVAL);
	assert_int_equal(PARSE("<xml/>"), -EINVAL);
	assert_int_equal(PARSE("{\"endpoint\":\"wss://x/\xc3\",\"ticket\":\"t\"}"), -EINVAL);
#undef PARSE
}

static void test_robot_message_and_ack(void **state)
{
	struct dingtalk_stream_frame f;
	struct dingtalk_msg m;
	const char *why = NULL;
	char *ack;

	(void)state;
	assert_int_equal(decode(ROBOT, &f), 0);
	assert_int_equal(f.kind, DINGTALK_STREAM_ROBOT);
	assert_string_equal(f.message_id, "mid-1");
	assert_string_equal(f.topic, DINGTALK_STREAM_TOPIC_ROBOT);
	assert_string_equal(f.content_type, "application/json");
	/* The same decoder as HTTP mode. */
	assert_int_equal(dingtalk_stream_robot(&f, "d1", &m, &why), 0);
	assert_string_equal(m.msg.platform, "dingtalk");
	assert_string_equal(m.msg.instance, "d1");
	assert_string_equal(m.msg.msg_id, "msgA1");
	assert_string_equal(m.msg.sender_id, "staff01");
	assert_string_equal(m.msg.tenant, "dingcorp");
	assert_string_equal(m.msg.text, "查询 123");
	assert_int_equal(m.msg.kind, CHAT_PRIVATE);
	dingtalk_msg_free(&m);

	/* What the SDK's socketCallBackResponse writes, with data {"response":null}. */
	assert_int_equal(dingtalk_stream_ack(&f, &ack), 0);
	assert_string_equal(ack, "{\"code\":200,\"headers\":{\"contentType\":\"application/json\","
	                         "\"messageId\":\"mid-1\"},\"message\":\"OK\","
	                         "\"data\":\"{\\\"response\\\":null}\"}");
	free(ack);
	assert_int_equal(dingtalk_stream_pong(&f, &ack), -EINVAL);
	assert_null(ack);
	dingtalk_stream_frame_free(&f);
}

static void test_system_frames(void **state)
{
	struct dingtalk_stream_frame f;
	struct dingtalk_msg m;
	const char *why = NULL;
	char *out;

	(void)state;
	assert_int_equal(decode(PING, &f), 0);
	assert_int_equal(f.kind, DINGTALK_STREAM_PING);
	/* The SDK echoes the ping's headers and data with code 200. */
	assert_int_equal(dingtalk_stream_pong(&f, &out), 0);
	assert_string_equal(out, "{\"code\":200,\"headers\":{\"contentType\":\"application/json\","
	                         "\"messageId\":\"p-1\",\"time\":\"1700000000000\","
	                         "\"topic\":\"ping\"},\"message\":\"OK\","
	                         "\"data\":\"{\\\"opaque\\\":\\\"xyz\\\"}\"}");
	free(out);
	assert_int_equal(dingtalk_stream_ack(&f, &out), -EINVAL);
	assert_int_equal(dingtalk_stream_robot(&f, "d1", &m, &why), -EINVAL);
	dingtalk_msg_free(&m);
	dingtalk_stream_frame_free(&f);

	assert_int_equal(decode("{\"type\":\"SYSTEM\",\"headers\":{\"topic\":\"disconnect\"},"
	                        "\"data\":\"{\\\"reason\\\":\\\"rotate\\\"}\"}", &f), 0);
	assert_int_equal(f.kind, DINGTALK_STREAM_DISCONNECT);
	dingtalk_stream_frame_free(&f);
	assert_int_equal(decode("{\"type\":\"SYSTEM\",\"headers\":{\"topic\":\"KEEPALIVE\"}}", &f), 0);
	assert_int_equal(f.kind, DINGTALK_STREAM_SYSTEM);
	assert_string_equal(f.data, "");
	dingtalk_stream_frame_free(&f);

	assert_int_equal(decode("{\"type\":\"EVENT\",\"headers\":{\"topic\":\"chat_update\","
	                        "\"messageId\":\"e-1\"},\"data\":\"{}\"}", &f), 0);
	assert_int_equal(f.kind, DINGTALK_STREAM_EVENT);
	assert_int_equal(dingtalk_stream_ack(&f, &out), 0);
	assert_string_equal(out, "{\"code\":200,\"headers\":{\"contentType\":\"application/json\","
	                         "\"messageId\":\"e-1\"},\"message\":\"OK\","
	                         "\"data\":\"{\\\"status\\\":\\\"SUCCESS\\\"}\"}");
	free(out);
	dingtalk_stream_frame_free(&f);
}

static void test_refused(void **state)
{
	static const char *const bad[] = {
		"",
		"[1]",
		"{\"type\":\"CALLBACK\"",
		"{\"type\":\"PUSH\",\"headers\":{\"topic\":\"t\",\"messageId\":\"m\"}}",
		"{\"type\":\"CALLBACK\",\"headers\":{\"messageId\":\"m\"},\"data\":\"{}\"}",
		"{\"type\":\"CALLBACK\",\"headers\":{\"topic\":\"/v1.0/im/bot/messages/get\"},"
		"\"data\":\"{}\"}",
		"{\"type\":\"CALLBACK\",\"headers\":{\"topic\":\"/v1.0/im/bot/messages/get\","
		"\"messageId\":\"m\"},\"data\":{\"msgId\":1}}",
		"{\"type\":\"CALLBACK\",\"headers\":\"x\"}",
		"{\"type\":\"SYSTEM\",\"headers\":{\"topic\":\"ping\"},\"data\":\"\xff\"}",
	};
	struct dingtalk_stream_frame f;
	struct dingtalk_msg m;
	const char *why = NULL;
	char *big;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(decode(bad[i], &f), -EINVAL);
		dingtalk_stream_frame_free(&f);
	}
	/* Another topic (card presses are one of ours now: test_card_press):
	 * refused, but its messageId is there to ack it. */
	assert_int_equal(decode("{\"type\":\"CALLBACK\",\"headers\":{\"topic\":"
	                        "\"/v1.0/graph/api/invoke\",\"messageId\":\"k-1\"},"
	                        "\"data\":\"{}\"}", &f), -ENOENT);
	assert_string_equal(f.message_id, "k-1");
	assert_int_equal(dingtalk_stream_robot(&f, "d1", &m, &why), -EINVAL);
	dingtalk_msg_free(&m);
	dingtalk_stream_frame_free(&f);
	/* A robot frame whose message is not one. */
	assert_int_equal(decode("{\"type\":\"CALLBACK\",\"headers\":{\"topic\":"
	                        "\"/v1.0/im/bot/messages/get\",\"messageId\":\"k-2\"},"
	                        "\"data\":\"{\\\"msgId\\\":\\\"x\\\"}\"}", &f), 0);
	assert_int_equal(dingtalk_stream_robot(&f, "d1", &m, &why), -EINVAL);
	assert_non_null(why);
	dingtalk_msg_free(&m);
	dingtalk_stream_frame_free(&f);

	big = malloc(DINGTALK_STREAM_MAX + 2);
	assert_non_null(big);
	memset(big, ' ', DINGTALK_STREAM_MAX + 1);
	big[0] = '{';
	big[DINGTALK_STREAM_MAX] = '}';
	big[DINGTALK_STREAM_MAX + 1] = '\0';
	assert_int_equal(decode(big, &f), -EMSGSIZE);
	dingtalk_stream_frame_free(&f);
	free(big);
}

/* A card press as the Stream gateway pushes it (topic
 * /v1.0/card/instances/callback, data as DingTalk's card callback). */
#define PRESS_DATA                                                                          \
	"{\\\"extension\\\":\\\"{}\\\",\\\"corpId\\\":\\\"dingcorp\\\",\\\"spaceType\\\":"         \
	"\\\"IM\\\",\\\"userIdType\\\":1,\\\"type\\\":\\\"actionCallback\\\",\\\"userId\\\":"      \
	"\\\"manager4220\\\",\\\"content\\\":\\\"{\\\\\\\"cardPrivateData\\\\\\\":{\\\\\\\""      \
	"actionIds\\\\\\\":[\\\\\\\"btn2\\\\\\\"],\\\\\\\"params\\\\\\\":{\\\\\\\"cmd\\\\\\\":"    \
	"\\\\\\\"取消\\\\\\\"}}}\\\",\\\"spaceId\\\":\\\"cidG==\\\",\\\"outTrackId\\\":"           \
	"\\\"cqodtrack\\\"}"

static const char PRESS[] =
	"{\"specVersion\":\"1.0\",\"type\":\"CALLBACK\",\"headers\":{\"appId\":\"a1\","
	"\"connectionId\":\"c1\",\"contentType\":\"application/json\",\"messageId\":\"mid-9\","
	"\"time\":\"1700000000000\",\"topic\":\"/v1.0/card/instances/callback\"},\"data\":\""
	PRESS_DATA "\"}";

static void test_card_press(void **state)
{
	struct dingtalk_stream_frame f;
	struct dingtalk_press p;
	const char *why;
	char *body, *ack;

	(void)state;
	/* With a card template the gateway is asked for presses too. */
	assert_int_equal(dingtalk_stream_open_request_cards("dingid", "secret", "cqod", true, &body),
	                 0);
	assert_string_equal(body, "{\"clientId\":\"dingid\",\"clientSecret\":\"secret\","
	                          "\"ua\":\"cqod\",\"subscriptions\":[{\"type\":\"CALLBACK\","
	                          "\"topic\":\"/v1.0/im/bot/messages/get\"},{\"type\":\"CALLBACK\","
	                          "\"topic\":\"/v1.0/card/instances/callback\"}]}");
	free(body);

	assert_int_equal(decode(PRESS, &f), 0);
	assert_int_equal(f.kind, DINGTALK_STREAM_CARD);
	assert_string_equal(f.message_id, "mid-9");
	assert_int_equal(dingtalk_press_decode(f.data, strlen(f.data), &p, &why), 0);
	assert_string_equal(p.out_track_id, "cqodtrack");
	assert_string_equal(p.user_id, "manager4220");
	assert_string_equal(p.corp_id, "dingcorp");
	assert_string_equal(p.space_id, "cidG==");
	assert_int_equal(p.slot, 2);
	assert_string_equal(p.cmd, "取消");
	dingtalk_press_free(&p);

	/* Acknowledged as the SDK's socketCallBackResponse(messageId, result). */
	assert_int_equal(dingtalk_stream_ack_card(&f, "{\"cardData\":{\"cardParamMap\":"
	                                              "{\"note\":\"x\"}}}", &ack), 0);
	assert_string_equal(ack, "{\"code\":200,\"headers\":{\"contentType\":\"application/json\","
	                         "\"messageId\":\"mid-9\"},\"message\":\"OK\",\"data\":"
	                         "\"{\\\"response\\\":{\\\"cardData\\\":{\\\"cardParamMap\\\":"
	                         "{\\\"note\\\":\\\"x\\\"}}}}\"}");
	free(ack);
	assert_int_equal(dingtalk_stream_ack_card(&f, NULL, &ack), 0);
	assert_string_equal(ack, "{\"code\":200,\"headers\":{\"contentType\":\"application/json\","
	                         "\"messageId\":\"mid-9\"},\"message\":\"OK\",\"data\":"
	                         "\"{\\\"response\\\":null}\"}");
	free(ack);
	assert_int_equal(dingtalk_stream_ack_card(&f, "not json", &ack), -EINVAL);
	dingtalk_stream_frame_free(&f);

	/* Not a button of cqod's, or no card named: refused. */
#define PRESS_OF(s) dingtalk_press_decode(s, strlen(s), &p, &why)
	assert_int_equal(PRESS_OF("{\"outTrackId\":\"t\",\"userId\":\"u\",\"content\":"
	                          "\"{\\\"cardPrivateData\\\":{\\\"actionIds\\\":[\\\"btn5\\\"]}}\"}"),
	                 -EINVAL);
	dingtalk_press_free(&p);
	assert_int_equal(PRESS_OF("{\"userId\":\"u\",\"content\":\"{\\\"cardPrivateData\\\":"
	                          "{\\\"actionIds\\\":[\\\"btn1\\\"]}}\"}"), -EINVAL);
	dingtalk_press_free(&p);
	assert_int_equal(PRESS_OF("[1]"), -EINVAL);
	dingtalk_press_free(&p);
	/* Without params the slot alone says which button. */
	assert_int_equal(PRESS_OF("{\"outTrackId\":\"t\",\"userId\":\"u\",\"content\":"
	                          "\"{\\\"cardPrivateData\\\":{\\\"actionIds\\\":[\\\"btn1\\\"]}}\"}"),
	                 0);
	assert_int_equal(p.slot, 1);
	assert_null(p.cmd);
	assert_null(p.corp_id);
	dingtalk_press_free(&p);
#undef PRESS_OF
	/* The robot message's frame is not a press. */
	assert_int_equal(decode(ROBOT, &f), 0);
	assert_int_equal(dingtalk_stream_ack_card(&f, NULL, &ack), -EINVAL);
	dingtalk_stream_frame_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_request_and_answer),
		cmocka_unit_test(test_robot_message_and_ack),
		cmocka_unit_test(test_system_frames),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_card_press),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
