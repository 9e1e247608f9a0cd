/* WeCom callback XML (envelope, inner message, passive reply) and the query
 * string parameters of the callback URL. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/urlquery.h"
#include "../../messages/wecom.h"

/* The envelope of Tencent's POST sample, with its CDATA AgentID. */
#define ENVELOPE                                                                                \
	"<xml>\t<ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[RypEvH" \
	"KD8QQ+/==]]></Encrypt>\n\t<AgentID><![CDATA[218]]></AgentID>\n\t</xml>"

#define INNER                                                                                  \
	"<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n"                           \
	"<FromUserName><![CDATA[mycreate]]></FromUserName>\n"                                      \
	"<CreateTime>1409659813</CreateTime>\n"                                                    \
	"<MsgType><![CDATA[text]]></MsgType>\n"                                                    \
	"<Content><![CDATA[hello]]></Content>\n"                                                   \
	"<MsgId>4561255354251345929</MsgId>\n"                                                     \
	"<AgentID>218</AgentID>\n"                                                                 \
	"</xml>"

static void test_envelope(void **state)
{
	char *enc;

	(void)state;
	assert_int_equal(wecom_envelope_parse(ENVELOPE, strlen(ENVELOPE), &enc), 0);
	assert_string_equal(enc, "RypEvHKD8QQ+/==");
	free(enc);
	/* Plain text works as well as CDATA, and a declaration is fine. */
	static const char plain[] = "<?xml version=\"1.0\"?><xml><Encrypt>abc+/=</Encrypt></xml>";
	assert_int_equal(wecom_envelope_parse(plain, strlen(plain), &enc), 0);
	assert_string_equal(enc, "abc+/=");
	free(enc);
	/* Entities and mixed CDATA pieces are joined. */
	static const char mixed[] = "<xml><Encrypt>a&amp;<![CDATA[b]]>c</Encrypt></xml>";
	assert_int_equal(wecom_envelope_parse(mixed, strlen(mixed), &enc), 0);
	assert_string_equal(enc, "a&bc");
	free(enc);
}

static void expect_bad_envelope(const char *xml)
{
	char *enc = (char *)1;

	assert_int_equal(wecom_envelope_parse(xml, strlen(xml), &enc), -EINVAL);
	assert_null(enc);
}

static void test_envelope_rejects(void **state)
{
	(void)state;
	expect_bad_envelope("");
	expect_bad_envelope("not xml");
	expect_bad_envelope("<xml><Encrypt>abc</Encrypt>");              /* truncated */
	expect_bad_envelope("<xml><ToUserName>x</ToUserName></xml>");    /* no Encrypt */
	expect_bad_envelope("<xml><Encrypt></Encrypt></xml>");           /* empty */
	expect_bad_envelope("<xml><Encrypt>a</Encrypt><Encrypt>b</Encrypt></xml>");
	expect_bad_envelope("<root><Encrypt>abc</Encrypt></root>");
	expect_bad_envelope("<xml><Encrypt>abc</Encrypt></xml><xml/>");
	/* Nested deeper than a child of <xml>: not the envelope's Encrypt. */
	expect_bad_envelope("<xml><a><Encrypt>abc</Encrypt></a></xml>");
	/* No DTDs: no entity expansion ("billion laughs"), no external entities. */
	expect_bad_envelope("<!DOCTYPE xml [<!ENTITY a \"aaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>"
	                    "<xml><Encrypt>&b;</Encrypt></xml>");
	expect_bad_envelope("<!DOCTYPE xml SYSTEM \"file:///etc/passwd\"><xml><Encrypt>x</Encrypt>"
	                    "</xml>");
	expect_bad_envelope("<xml><Encrypt>&undefined;</Encrypt></xml>");
}

static void test_decode_text(void **state)
{
	struct wecom_msg m;
	const char *why = NULL;

	(void)state;
	assert_int_equal(wecom_decode(INNER, strlen(INNER), "office", &m, &why), 0);
	assert_int_equal(m.kind, WECOM_TEXT);
	assert_string_equal(m.to_user, "wx5823bf96d3bd56c7");
	assert_string_equal(m.from_user, "mycreate");
	assert_string_equal(m.create_time, "1409659813");
	assert_string_equal(m.msg_id, "4561255354251345929");
	assert_string_equal(m.agent_id, "218");
	assert_string_equal(m.dedupe_id, "4561255354251345929");
	assert_string_equal(m.msg.platform, "wecom");
	assert_string_equal(m.msg.instance, "office");
	assert_string_equal(m.msg.sender_id, "mycreate");
	assert_string_equal(m.msg.chat_id, "mycreate");
	assert_int_equal(m.msg.kind, CHAT_PRIVATE);
	assert_string_equal(m.msg.text, "hello");
	assert_string_equal(m.msg.msg_id, "4561255354251345929");
	assert_null(m.msg.reply_handle);
	wecom_msg_free(&m);

	/* The largest 64-bit id stays exact, as text. */
	static const char big[] =
		"<xml><ToUserName>ww1</ToUserName><FromUserName>zhangsan</FromUserName>"
		"<CreateTime>1700000000</CreateTime><MsgType>text</MsgType>"
		"<Content>查询 张三</Content><MsgId>18446744073709551615</MsgId></xml>";
	assert_int_equal(wecom_decode(big, strlen(big), "o", &m, &why), 0);
	assert_string_equal(m.msg.msg_id, "18446744073709551615");
	assert_string_equal(m.msg.text, "查询 张三");
	assert_null(m.agent_id);
	wecom_msg_free(&m);
}

static void test_decode_event_and_other(void **state)
{
	struct wecom_msg m;
	const char *why = NULL;

	(void)state;
	static const char event[] =
		"<xml><ToUserName><![CDATA[ww1]]></ToUserName><FromUserName><![CDATA[lisi]]>"
		"</FromUserName><CreateTime>1700000001</CreateTime><MsgType><![CDATA[event]]>"
		"</MsgType><Event><![CDATA[enter_agent]]></Event><AgentID>1</AgentID></xml>";
	assert_int_equal(wecom_decode(event, strlen(event), "o", &m, &why), 0);
	assert_int_equal(m.kind, WECOM_EVENT);
	assert_null(m.msg_id);
	assert_string_equal(m.dedupe_id, "lisi|1700000001");
	wecom_msg_free(&m);

	static const char image[] =
		"<xml><ToUserName>ww1</ToUserName><FromUserName>lisi</FromUserName>"
		"<CreateTime>1700000002</CreateTime><MsgType>image</MsgType>"
		"<PicUrl>http://x/y</PicUrl><MediaId>m</MediaId><MsgId>42</MsgId></xml>";
	assert_int_equal(wecom_decode(image, strlen(image), "o", &m, &why), 0);
	assert_int_equal(m.kind, WECOM_OTHER);
	assert_string_equal(m.dedupe_id, "42");
	assert_string_equal(m.msg.text, "");
	wecom_msg_free(&m);

	/* A video's nested <MediaId> is not a field of the message. */
	static const char video[] =
		"<xml><ToUserName>ww1</ToUserName><FromUserName>lisi</FromUserName>"
		"<CreateTime>1700000003</CreateTime><MsgType>video</MsgType>"
		"<Video><Content>not this</Content></Video></xml>";
	assert_int_equal(wecom_decode(video, strlen(video), "o", &m, &why), 0);
	assert_int_equal(m.kind, WECOM_OTHER);
	assert_null(m.content);
	assert_string_equal(m.dedupe_id, "lisi|1700000003");
	wecom_msg_free(&m);
}

/* A press of a template card's button: its key is the presser's command. */
static void test_decode_card_event(void **state)
{
	struct wecom_msg m;
	const char *why = NULL;

	(void)state;
	static const char press[] =
		"<xml><ToUserName><![CDATA[ww1]]></ToUserName><FromUserName><![CDATA[lisi]]>"
		"</FromUserName><CreateTime>1700000005</CreateTime><MsgType><![CDATA[event]]>"
		"</MsgType><Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[确认 "
		"123456]]></EventKey><TaskId><![CDATA[cqod-abc]]></TaskId><CardType><![CDATA["
		"button_interaction]]></CardType><ResponseCode><![CDATA[rc-1]]></ResponseCode>"
		"<AgentID>1</AgentID></xml>";
	assert_int_equal(wecom_decode(press, strlen(press), "o", &m, &why), 0);
	assert_int_equal(m.kind, WECOM_CARD);
	assert_string_equal(m.msg.text, "确认 123456");
	assert_string_equal(m.msg.sender_id, "lisi");
	assert_int_equal(m.msg.kind, CHAT_PRIVATE);
	assert_string_equal(m.dedupe_id, "lisi|1700000005|cqod-abc");
	assert_string_equal(m.msg.msg_id, m.dedupe_id);
	/* The press's fresh code, which updates the card once. */
	assert_string_equal(m.task_id, "cqod-abc");
	assert_string_equal(m.response_code, "rc-1");
	wecom_msg_free(&m);

	/* Without a key (or another card event) it is an event like any other. */
	static const char keyless[] =
		"<xml><ToUserName>ww1</ToUserName><FromUserName>lisi</FromUserName>"
		"<CreateTime>1700000006</CreateTime><MsgType>event</MsgType>"
		"<Event>template_card_event</Event><TaskId>t</TaskId></xml>";
	assert_int_equal(wecom_decode(keyless, strlen(keyless), "o", &m, &why), 0);
	assert_int_equal(m.kind, WECOM_EVENT);
	assert_string_equal(m.msg.text, "");
	assert_null(m.response_code);
	wecom_msg_free(&m);
}

static void expect_bad_inner(const char *xml)
{
	struct wecom_msg m;
	const char *why = NULL;

	assert_int_equal(wecom_decode(xml, strlen(xml), "o", &m, &why), -EINVAL);
	assert_non_null(why);
	wecom_msg_free(&m);
}

static void test_decode_rejects(void **state)
{
	(void)state;
	expect_bad_inner("");
	expect_bad_inner("<xml><FromUserName>a</FromUserName>");
	expect_bad_inner("<xml><ToUserName>w</ToUserName><CreateTime>1</CreateTime>"
	                 "<MsgType>text</MsgType><Content>x</Content><MsgId>1</MsgId></xml>");
	expect_bad_inner("<xml><ToUserName>w</ToUserName><FromUserName>a</FromUserName>"
	                 "<CreateTime>soon</CreateTime><MsgType>text</MsgType><Content>x</Content>"
	                 "<MsgId>1</MsgId></xml>");
	/* Text needs MsgId and Content. */
	expect_bad_inner("<xml><ToUserName>w</ToUserName><FromUserName>a</FromUserName>"
	                 "<CreateTime>1</CreateTime><MsgType>text</MsgType><Content>x</Content>"
	                 "</xml>");
	expect_bad_inner("<xml><ToUserName>w</ToUserName><FromUserName>a</FromUserName>"
	                 "<CreateTime>1</CreateTime><MsgType>text</MsgType><MsgId>1</MsgId></xml>");
	expect_bad_inner("<xml><ToUserName>w</ToUserName><FromUserName>a</FromUserName>"
	                 "<CreateTime>1</CreateTime><MsgType>text</MsgType><Content>x</Content>"
	                 "<MsgId>123456789012345678901</MsgId></xml>");
	expect_bad_inner("<xml><ToUserName>w</ToUserName><FromUserName>a</FromUserName>"
	                 "<CreateTime>1</CreateTime><MsgType>text</MsgType><Content>x</Content>"
	                 "<Content>y</Content><MsgId>1</MsgId></xml>");
	expect_bad_inner("<xml><ToUserName>w</ToUserName><FromUserName></FromUserName>"
	                 "<CreateTime>1</CreateTime><MsgType>event</MsgType></xml>");
}

static void test_render(void **state)
{
	char *s;

	(void)state;
	s = wecom_render_text("zhangsan", "ww1", 1700000000, "第一行\n含 ]]> 与\x01控制字符");
	assert_string_equal(s, "<xml><ToUserName><![CDATA[zhangsan]]></ToUserName>"
	                       "<FromUserName><![CDATA[ww1]]></FromUserName>"
	                       "<CreateTime>1700000000</CreateTime>"
	                       "<MsgType><![CDATA[text]]></MsgType>"
	                       "<Content><![CDATA[第一行\n含 ]]]]><![CDATA[> 与控制字符]]></Content>"
	                       "</xml>");
	free(s);
	/* After a press: the card's buttons become one that says so. */
	s = wecom_render_update_button("lisi", "ww1", 1700000001, "已处理");
	assert_string_equal(s, "<xml><ToUserName><![CDATA[lisi]]></ToUserName>"
	                       "<FromUserName><![CDATA[ww1]]></FromUserName>"
	                       "<CreateTime>1700000001</CreateTime>"
	                       "<MsgType><![CDATA[update_button]]></MsgType>"
	                       "<Button><ReplaceName><![CDATA[已处理]]></ReplaceName></Button></xml>");
	free(s);
	s = wecom_render_envelope("ab+/=", "0123", "1700000000", "42");
	assert_string_equal(s, "<xml><Encrypt><![CDATA[ab+/=]]></Encrypt>"
	                       "<MsgSignature><![CDATA[0123]]></MsgSignature>"
	                       "<TimeStamp><![CDATA[1700000000]]></TimeStamp>"
	                       "<Nonce><![CDATA[42]]></Nonce></xml>");
	/* What we render parses back. */
	char *enc;
	assert_int_equal(wecom_envelope_parse(s, strlen(s), &enc), 0);
	assert_string_equal(enc, "ab+/=");
	free(enc);
	free(s);
}

static void test_urlquery(void **state)
{
	const char *q = "msg_signature=5c45&timestamp=1409659589&nonce=263014780&echostr="
	                "P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4%2B4RPcs8+FZXvnaqQ%3D%3D&empty=";
	char *v;

	(void)state;
	assert_int_equal(urlquery_get(q, "msg_signature", &v), 0);
	assert_string_equal(v, "5c45");
	free(v);
	/* %XX decoded; '+' kept. */
	assert_int_equal(urlquery_get(q, "echostr", &v), 0);
	assert_string_equal(v, "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4+4RPcs8+FZXvnaqQ==");
	free(v);
	assert_int_equal(urlquery_get(q, "empty", &v), 0);
	assert_string_equal(v, "");
	free(v);
	assert_int_equal(urlquery_get(q, "nonc", &v), -ENOENT);
	assert_null(v);
	assert_int_equal(urlquery_get(q, "signature", &v), -ENOENT);
	assert_int_equal(urlquery_get("", "a", &v), -ENOENT);
	assert_int_equal(urlquery_get("a", "a", &v), -ENOENT);
	/* The first of repeated parameters counts. */
	assert_int_equal(urlquery_get("a=1&a=2", "a", &v), 0);
	assert_string_equal(v, "1");
	free(v);
	assert_int_equal(urlquery_get("a=%2", "a", &v), -EINVAL);
	assert_int_equal(urlquery_get("a=%", "a", &v), -EINVAL);
	assert_int_equal(urlquery_get("a=%zz", "a", &v), -EINVAL);
	assert_int_equal(urlquery_get("a=x%00y", "a", &v), -EINVAL);
	assert_null(v);
	assert_int_equal(urlquery_get("a=%e4%B8%ad", "a", &v), 0);
	assert_string_equal(v, "中");
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_envelope),
		cmocka_unit_test(test_envelope_rejects),
		cmocka_unit_test(test_decode_text),
		cmocka_unit_test(test_decode_event_and_other),
		cmocka_unit_test(test_decode_card_event),
		cmocka_unit_test(test_decode_rejects),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_urlquery),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
