/* messages/render*.c: byte-exact request bodies for every platform and
 * destination kind, in text and rich form, and splitting at the platforms'
 * limits on line boundaries without ever cutting a UTF-8 character. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/platform.h"

static struct dest mkdest(const char *platform, enum dest_kind kind, const char *target)
{
	struct dest d;

	memset(&d, 0, sizeof d);
	snprintf(d.platform, sizeof d.platform, "%s", platform);
	snprintf(d.instance, sizeof d.instance, "x");
	d.kind = kind;
	snprintf(d.target, sizeof d.target, "%s", target);
	return d;
}

/* Lines only: goes as text. */
static void plain_reply(struct reply *r)
{
	reply_init(r);
	assert_int_equal(reply_add_line(r, "第一行"), 0);
	assert_int_equal(reply_add_line(r, "second \"quoted\" line"), 0);
}

/* Title and fields: the rich format. */
static void rich_reply(struct reply *r)
{
	reply_init(r);
	assert_int_equal(reply_set_title(r, "查询结果"), 0);
	assert_int_equal(reply_add_field(r, "姓名", "张三"), 0);
	assert_int_equal(reply_add_field(r, "企业", "示例公司"), 0);
	assert_int_equal(reply_add_line(r, "共 1 条"), 0);
}

static void error_reply(struct reply *r)
{
	reply_init(r);
	assert_int_equal(reply_set_title(r, "出错了"), 0);
	assert_int_equal(reply_add_line(r, "没有权限"), 0);
	r->is_error = true;
}

/* Renders and compares every body; each must also be valid JSON. */
static void expect_bodies(const struct dest *d, const struct reply *r, const char *key,
                          const char *const *want, size_t n)
{
	struct rendered out;

	assert_int_equal(render_message(d, r, key, &out), 0);
	if (out.n != n)
		fprintf(stderr, "got %zu bodies, want %zu\n", out.n, n);
	assert_int_equal(out.n, n);
	for (size_t i = 0; i < n; i++) {
		cJSON *j = cJSON_Parse(out.bodies[i]);

		if (strcmp(out.bodies[i], want[i]) != 0)
			fprintf(stderr, "body %zu:\n got: %s\nwant: %s\n", i, out.bodies[i], want[i]);
		assert_string_equal(out.bodies[i], want[i]);
		assert_non_null(j);
		cJSON_Delete(j);
	}
	rendered_free(&out);
	assert_null(out.bodies);
}

static void expect_one(const struct dest *d, const struct reply *r, const char *key,
                       const char *want)
{
	expect_bodies(d, r, key, &want, 1);
}

static void test_wecom(void **state)
{
	struct reply plain, rich;
	struct dest d;

	(void)state;
	plain_reply(&plain);
	rich_reply(&rich);
	d = mkdest("wecom", DEST_USER, "zhangsan");
	expect_one(&d, &plain, "ignored",
	           "{\"touser\":\"zhangsan\",\"msgtype\":\"text\",\"text\":{\"content\":"
	           "\"第一行\\nsecond \\\"quoted\\\" line\"}}");
	expect_one(&d, &rich, NULL,
	           "{\"touser\":\"zhangsan\",\"msgtype\":\"markdown\",\"markdown\":{\"content\":"
	           "\"**查询结果**\\n**姓名**：张三\\n**企业**：示例公司\\n共 1 条\"}}");
	d = mkdest("wecom", DEST_CHAT, "wrkSFfCgAAxxxx");
	expect_one(&d, &plain, NULL,
	           "{\"chatid\":\"wrkSFfCgAAxxxx\",\"msgtype\":\"text\",\"text\":{\"content\":"
	           "\"第一行\\nsecond \\\"quoted\\\" line\"}}");
	d = mkdest("wecom", DEST_ROBOT, "");
	expect_one(&d, &rich, NULL,
	           "{\"msgtype\":\"markdown\",\"markdown\":{\"content\":"
	           "\"**查询结果**\\n**姓名**：张三\\n**企业**：示例公司\\n共 1 条\"}}");
	expect_one(&d, &plain, NULL,
	           "{\"msgtype\":\"text\",\"text\":{\"content\":"
	           "\"第一行\\nsecond \\\"quoted\\\" line\"}}");
	reply_free(&plain);
	reply_free(&rich);
}

static void test_dingtalk(void **state)
{
	struct reply plain, rich, fields;
	struct dest d;

	(void)state;
	plain_reply(&plain);
	rich_reply(&rich);
	reply_init(&fields);
	assert_int_equal(reply_add_field(&fields, "角色", "办事员"), 0);

	d = mkdest("dingtalk", DEST_SESSION, "https://oapi.dingtalk.com/robot/sendBySession?session=s");
	expect_one(&d, &plain, "m1",
	           "{\"msgtype\":\"text\",\"text\":{\"content\":\"第一行\\nsecond \\\"quoted\\\" line\"}}");
	expect_one(&d, &rich, NULL,
	           "{\"msgtype\":\"markdown\",\"markdown\":{\"title\":\"查询结果\",\"text\":"
	           "\"**查询结果**\\n\\n**姓名**：张三\\n\\n**企业**：示例公司\\n\\n共 1 条\"}}");
	/* No title: the notification shows the bot's name. */
	d = mkdest("dingtalk", DEST_ROBOT, "");
	expect_one(&d, &fields, NULL,
	           "{\"msgtype\":\"markdown\",\"markdown\":{\"title\":\"首席质量官助手\",\"text\":"
	           "\"**角色**：办事员\"}}");
	/* OpenAPI: msgParam is a JSON string. */
	d = mkdest("dingtalk", DEST_USER, "manager4220");
	expect_one(&d, &plain, NULL,
	           "{\"userIds\":[\"manager4220\"],\"msgKey\":\"sampleText\",\"msgParam\":"
	           "\"{\\\"content\\\":\\\"第一行\\\\nsecond \\\\\\\"quoted\\\\\\\" line\\\"}\"}");
	d = mkdest("dingtalk", DEST_CHAT, "cidXXXX==");
	expect_one(&d, &rich, NULL,
	           "{\"openConversationId\":\"cidXXXX==\",\"msgKey\":\"sampleMarkdown\",\"msgParam\":"
	           "\"{\\\"title\\\":\\\"查询结果\\\",\\\"text\\\":\\\"**查询结果**\\\\n\\\\n"
	           "**姓名**：张三\\\\n\\\\n**企业**：示例公司\\\\n\\\\n共 1 条\\\"}\"}");
	reply_free(&plain);
	reply_free(&rich);
	reply_free(&fields);
}

static void test_feishu(void **state)
{
	struct reply plain, rich, err;
	struct dest d;

	(void)state;
	plain_reply(&plain);
	rich_reply(&rich);
	error_reply(&err);
	/* IM API: content is JSON inside a JSON string; uuid per part. */
	d = mkdest("feishu", DEST_USER, "ou_abc");
	expect_one(&d, &plain, "ev1",
	           "{\"receive_id\":\"ou_abc\",\"msg_type\":\"text\",\"content\":"
	           "\"{\\\"text\\\":\\\"第一行\\\\nsecond \\\\\\\"quoted\\\\\\\" line\\\"}\","
	           "\"uuid\":\"ev1-1\"}");
	d = mkdest("feishu", DEST_REPLY, "om_123");
	expect_one(&d, &rich, "ev1",
	           "{\"msg_type\":\"post\",\"content\":\"{\\\"zh_cn\\\":{\\\"title\\\":\\\"查询结果\\\","
	           "\\\"content\\\":[[{\\\"tag\\\":\\\"text\\\",\\\"text\\\":\\\"姓名：张三\\\"}],"
	           "[{\\\"tag\\\":\\\"text\\\",\\\"text\\\":\\\"企业：示例公司\\\"}],"
	           "[{\\\"tag\\\":\\\"text\\\",\\\"text\\\":\\\"共 1 条\\\"}]]}}\",\"uuid\":\"ev1-1\"}");
	d = mkdest("feishu", DEST_CHAT, "oc_1");
	expect_one(&d, &err, NULL,
	           "{\"receive_id\":\"oc_1\",\"msg_type\":\"interactive\",\"content\":"
	           "\"{\\\"config\\\":{\\\"wide_screen_mode\\\":true},\\\"header\\\":{\\\"template\\\":"
	           "\\\"red\\\",\\\"title\\\":{\\\"tag\\\":\\\"plain_text\\\",\\\"content\\\":"
	           "\\\"出错了\\\"}},\\\"elements\\\":[{\\\"tag\\\":\\\"div\\\",\\\"text\\\":{\\\"tag\\\":"
	           "\\\"lark_md\\\",\\\"content\\\":\\\"没有权限\\\"}}]}\"}");
	/* Custom bot: content is an object; no uuid. */
	d = mkdest("feishu", DEST_ROBOT, "");
	expect_one(&d, &plain, "ev1",
	           "{\"msg_type\":\"text\",\"content\":{\"text\":\"第一行\\nsecond \\\"quoted\\\" line\"}}");
	expect_one(&d, &rich, NULL,
	           "{\"msg_type\":\"post\",\"content\":{\"post\":{\"zh_cn\":{\"title\":\"查询结果\","
	           "\"content\":[[{\"tag\":\"text\",\"text\":\"姓名：张三\"}],[{\"tag\":\"text\","
	           "\"text\":\"企业：示例公司\"}],[{\"tag\":\"text\",\"text\":\"共 1 条\"}]]}}}}");
	expect_one(&d, &err, NULL,
	           "{\"msg_type\":\"interactive\",\"card\":{\"config\":{\"wide_screen_mode\":true},"
	           "\"header\":{\"template\":\"red\",\"title\":{\"tag\":\"plain_text\",\"content\":"
	           "\"出错了\"}},\"elements\":[{\"tag\":\"div\",\"text\":{\"tag\":\"lark_md\","
	           "\"content\":\"没有权限\"}}]}}");
	reply_free(&plain);
	reply_free(&rich);
	reply_free(&err);
}

static void test_table_and_escapes(void **state)
{
	static const char *const header[] = {"姓名", "企业"};
	static const char *const row[] = {"张三", "示例\t公司"};
	struct reply r;
	struct dest d = mkdest("wecom", DEST_ROBOT, "");

	(void)state;
	reply_init(&r);
	assert_int_equal(reply_set_title(&r, "列表"), 0);
	assert_int_equal(reply_table_begin(&r, 2, header), 0);
	assert_int_equal(reply_table_add_row(&r, row), 0);
	/* A control byte is escaped as \u00XX; a "\r\n" inside a line splits it. */
	assert_int_equal(reply_add_line(&r, "a\x01" "b\r\nc\\d"), 0);
	expect_one(&d, &r, NULL,
	           "{\"msgtype\":\"markdown\",\"markdown\":{\"content\":\"**列表**\\na\\u0001b\\n"
	           "c\\\\d\\n姓名 | 企业\\n张三 | 示例\\t公司\"}}");
	reply_free(&r);
}

/* A long Feishu key is hashed so uuid stays within 50 characters. */
static void test_idem_key(void **state)
{
	static const char key[] = "0123456789012345678901234567890123456789X";
	struct reply r;
	struct dest d = mkdest("feishu", DEST_CHAT, "oc_1");
	struct rendered out;
	const char *uuid;
	cJSON *j;

	(void)state;
	reply_init(&r);
	assert_int_equal(reply_add_line(&r, "hi"), 0);
	assert_int_equal(render_message(&d, &r, key, &out), 0);
	j = cJSON_Parse(out.bodies[0]);
	uuid = cJSON_GetStringValue(cJSON_GetObjectItem(j, "uuid"));
	assert_non_null(uuid);
	assert_int_equal(strlen(uuid), 42);
	assert_int_equal(strspn(uuid, "0123456789abcdef"), 40);
	assert_string_equal(uuid + 40, "-1");
	cJSON_Delete(j);
	rendered_free(&out);
	/* Exactly 40 bytes is used as is. */
	assert_int_equal(render_message(&d, &r, "0123456789012345678901234567890123456789", &out),
	                 0);
	assert_non_null(strstr(out.bodies[0], "\"uuid\":\"0123456789012345678901234567890123456789-1\""));
	rendered_free(&out);
	reply_free(&r);
}

static void test_bad_input(void **state)
{
	struct reply empty, r;
	struct dest d;
	struct rendered out;

	(void)state;
	reply_init(&empty);
	plain_reply(&r);
	d = mkdest("wecom", DEST_USER, "u");
	assert_int_equal(render_message(&d, &empty, NULL, &out), -EINVAL);
	assert_int_equal(out.n, 0);
	assert_null(out.bodies);
	d = mkdest("wecom", DEST_SESSION, "https://x/");
	assert_int_equal(render_message(&d, &r, NULL, &out), -EINVAL);
	d = mkdest("wecom", DEST_REPLY, "m");
	assert_int_equal(render_message(&d, &r, NULL, &out), -EINVAL);
	d = mkdest("dingtalk", DEST_REPLY, "m");
	assert_int_equal(render_message(&d, &r, NULL, &out), -EINVAL);
	d = mkdest("feishu", DEST_SESSION, "https://x/");
	assert_int_equal(render_message(&d, &r, NULL, &out), -EINVAL);
	d = mkdest("feishu", DEST_USER, "");
	assert_int_equal(render_message(&d, &r, NULL, &out), -EINVAL);
	d = mkdest("generic", DEST_USER, "u");
	assert_int_equal(render_message(&d, &r, NULL, &out), -EINVAL);
	reply_free(&empty);
	reply_free(&r);
}

/* ---- splitting ---- */

static bool utf8_valid(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3
		             : (c & 0xf8) == 0xf0 ? 4 : 0;

		if (!len || i + len > n)
			return false;
		for (size_t k = 1; k < len; k++)
			if (((unsigned char)s[i + k] & 0xc0) != 0x80)
				return false;
		i += len;
	}
	return true;
}

/* The text of a body: WeCom/DingTalk text content, DingTalk markdown text,
 * Feishu text (parsed out of the content string for the IM API). Caller frees. */
static char *content_of(const char *platform, enum dest_kind kind, const char *body)
{
	cJSON *j = cJSON_Parse(body), *inner = NULL;
	const cJSON *c = NULL;
	char *out;

	assert_non_null(j);
	if (strcmp(platform, "feishu") == 0 && kind == DEST_ROBOT) {
		c = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "content"), "text");
	} else if (strcmp(platform, "feishu") == 0) {
		inner = cJSON_Parse(cJSON_GetStringValue(cJSON_GetObjectItem(j, "content")));
		c = cJSON_GetObjectItem(inner, "text");
	} else if (cJSON_GetObjectItem(j, "markdown")) {
		c = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "markdown"), "text");
		if (!c)
			c = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "markdown"), "content");
	} else {
		c = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "text"), "content");
	}
	assert_true(cJSON_IsString(c));
	out = strdup(c->valuestring);
	cJSON_Delete(inner);
	cJSON_Delete(j);
	return out;
}

/* Renders `r`; every body's content must be valid UTF-8 within `content_max`
 * bytes and every body within `body_max`; returns the contents joined with
 * "\n" (so the caller can check nothing was lost or reordered). */
static char *split_check(const struct dest *d, const struct reply *r, size_t content_max,
                         size_t body_max, size_t *n_parts)
{
	struct rendered out;
	size_t total = 0;
	char *all = NULL;

	assert_int_equal(render_message(d, r, "k", &out), 0);
	*n_parts = out.n;
	for (size_t i = 0; i < out.n; i++) {
		char *c = content_of(d->platform, d->kind, out.bodies[i]);
		size_t n = strlen(c);

		assert_true(strlen(out.bodies[i]) <= body_max);
		assert_true(n <= content_max);
		assert_true(utf8_valid(c, n));
		all = realloc(all, total + n + 2);
		assert_non_null(all);
		if (i)
			all[total++] = '\n';
		memcpy(all + total, c, n + 1);
		total += n;
		free(c);
	}
	rendered_free(&out);
	return all;
}

static void test_split_lines(void **state)
{
	struct dest d = mkdest("wecom", DEST_USER, "u");
	struct reply r;
	size_t parts;
	char *all;

	(void)state;
	reply_init(&r);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(reply_add_line(&r, "一二三"), 0);
	all = split_check(&d, &r, 2048, 4096, &parts);
	/* 9 bytes a line, 1 per newline: 204 lines (2039 bytes) fit in 2048. */
	assert_int_equal(parts, 5);
	assert_int_equal(strlen(all), 1000 * 9 + 999);
	for (size_t i = 0; i < 1000; i++) {
		assert_memory_equal(all + i * 10, "一二三", 9);
		assert_true(i == 999 || all[i * 10 + 9] == '\n');
	}
	free(all);
	/* The first body holds whole lines only. */
	{
		struct rendered out;
		char *c;

		assert_int_equal(render_message(&d, &r, NULL, &out), 0);
		c = content_of("wecom", DEST_USER, out.bodies[0]);
		assert_int_equal(strlen(c), 204 * 9 + 203);
		free(c);
		rendered_free(&out);
	}
	reply_free(&r);
}

/* One line longer than the limit is cut at character boundaries, with a
 * 1-byte character first so 3-byte characters straddle every 2048 offset. */
static void test_split_long_line(void **state)
{
	static const char *const platforms[] = {"wecom", "dingtalk", "feishu", "feishu"};
	static const enum dest_kind kinds[] = {DEST_ROBOT, DEST_SESSION, DEST_CHAT, DEST_ROBOT};
	static const size_t content_max[] = {2048, 20000, 150 * 1024, 20 * 1024};
	static const size_t body_max[] = {4096, 20100, 150 * 1024, 20 * 1024};
	enum { N = 60000 };
	char *line = malloc(1 + 3 * N + 4 * 100 + 1), *all;
	size_t o = 0, parts;

	(void)state;
	assert_non_null(line);
	line[o++] = 'x';
	for (int i = 0; i < N; i++) {
		memcpy(line + o, "汉", 3);
		o += 3;
	}
	for (int i = 0; i < 100; i++) {
		memcpy(line + o, "\xF0\x9F\x98\x80", 4); /* U+1F600, 4 bytes */
		o += 4;
	}
	line[o] = '\0';
	for (size_t p = 0; p < 4; p++) {
		struct dest d = mkdest(platforms[p], kinds[p],
		                       kinds[p] == DEST_SESSION ? "https://oapi.dingtalk.com/x" :
		                       kinds[p] == DEST_ROBOT   ? "" : "oc_1");
		struct reply r;
		size_t total = 0;

		reply_init(&r);
		assert_int_equal(reply_add_line(&r, "%s", line), 0);
		all = split_check(&d, &r, content_max[p], body_max[p], &parts);
		assert_true(parts >= 2);
		/* Pieces joined back (without the "\n" split_check put between
		 * them) are the line. */
		for (size_t i = 0; all[i]; i++)
			if (all[i] != '\n')
				all[total++] = all[i];
		all[total] = '\0';
		assert_int_equal(total, o);
		assert_string_equal(all, line);
		free(all);
		reply_free(&r);
	}
	free(line);
}

/* Escaping counts: quotes and newlines cost more inside Feishu's
 * double-escaped content, and the bodies still stay under the limit. */
static void test_split_escaped(void **state)
{
	struct dest im = mkdest("feishu", DEST_USER, "ou_1");
	struct dest bot = mkdest("feishu", DEST_ROBOT, "");
	struct reply r;
	struct rendered out;
	size_t parts;
	char *all;

	(void)state;
	reply_init(&r);
	for (int i = 0; i < 3000; i++)
		assert_int_equal(reply_add_line(&r, "\"引号\" \\ 行 %d", i), 0);
	all = split_check(&bot, &r, 20 * 1024, 20 * 1024, &parts);
	assert_true(parts >= 3);
	free(all);
	all = split_check(&im, &r, 150 * 1024, 150 * 1024, &parts);
	assert_true(parts >= 1);
	free(all);
	/* Parts of the IM API get their own uuid. */
	assert_int_equal(render_message(&bot, &r, NULL, &out), 0);
	assert_true(out.n >= 3);
	rendered_free(&out);
	reply_free(&r);

	/* Post: one paragraph per line, within 30 KB for the IM API. */
	reply_init(&r);
	assert_int_equal(reply_set_title(&r, "标题"), 0);
	for (int i = 0; i < 3000; i++)
		assert_int_equal(reply_add_field(&r, "键", "值 \"%d\"", i), 0);
	assert_int_equal(render_message(&im, &r, "k", &out), 0);
	assert_true(out.n >= 3);
	for (size_t i = 0; i < out.n; i++) {
		char want[32];
		cJSON *j = cJSON_Parse(out.bodies[i]), *inner;

		assert_true(strlen(out.bodies[i]) <= 30 * 1024);
		snprintf(want, sizeof want, "k-%zu", i + 1);
		assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(j, "uuid")), want);
		inner = cJSON_Parse(cJSON_GetStringValue(cJSON_GetObjectItem(j, "content")));
		assert_non_null(inner);
		cJSON_Delete(inner);
		cJSON_Delete(j);
	}
	rendered_free(&out);
	reply_free(&r);
}

/* Same input, same bytes. */
static void test_deterministic(void **state)
{
	struct dest d = mkdest("feishu", DEST_CHAT, "oc_1");
	struct rendered a, b;
	struct reply r;

	(void)state;
	rich_reply(&r);
	assert_int_equal(render_message(&d, &r, "k", &a), 0);
	assert_int_equal(render_message(&d, &r, "k", &b), 0);
	assert_int_equal(a.n, b.n);
	assert_string_equal(a.bodies[0], b.bodies[0]);
	rendered_free(&a);
	rendered_free(&b);
	reply_free(&r);
}

/* ---- user text is shown, never obeyed (issue 13, finding 9) ---- */

/* What a guest typed, echoed back: a Feishu @all, a link, bold, a heading,
 * inline code, an HTML entity. Every platform shows it; none acts on it. */
#define TYPED_AT_ALL "<at user_id=\"all\"></at>"
#define TYPED_MARKDOWN "<@all> **假** [点此](http://evil.example) # 标题 `码` ~~删~~ &#60;"

/* The byte-exact answer to a guest who typed an @all: the tag arrives as
 * text (full-width brackets), so Feishu mentions nobody. */
static void test_feishu_at_all_inert(void **state)
{
	struct reply r;
	struct dest d;

	(void)state;
	reply_init(&r);
	assert_int_equal(reply_add_line(&r, "没有“%s”这个命令", TYPED_AT_ALL), 0);
	d = mkdest("feishu", DEST_REPLY, "om_1");
	expect_one(&d, &r, "ev1",
	           "{\"msg_type\":\"text\",\"content\":\"{\\\"text\\\":\\\"没有“＜at user_id="
	           "\\\\\\\"all\\\\\\\"＞＜/at＞”这个命令\\\"}\",\"uuid\":\"ev1-1\"}");
	d = mkdest("feishu", DEST_ROBOT, "");
	expect_one(&d, &r, NULL,
	           "{\"msg_type\":\"text\",\"content\":{\"text\":\"没有“＜at user_id=\\\"all\\\"＞"
	           "＜/at＞”这个命令\"}}");
	reply_free(&r);
}

/* Post paragraphs and the error card's lark_md get the same treatment; the
 * renderer's own markup (the card's bold keys) still works. */
static void test_feishu_rich_inert(void **state)
{
	struct reply rich, err;
	struct dest d = mkdest("feishu", DEST_ROBOT, "");

	(void)state;
	reply_init(&rich);
	assert_int_equal(reply_set_title(&rich, "查询结果"), 0);
	assert_int_equal(reply_add_field(&rich, "企业", "%s", TYPED_AT_ALL), 0);
	assert_int_equal(reply_add_line(&rich, "%s", TYPED_MARKDOWN), 0);
	expect_one(&d, &rich, NULL,
	           "{\"msg_type\":\"post\",\"content\":{\"post\":{\"zh_cn\":{\"title\":\"查询结果\","
	           "\"content\":[[{\"tag\":\"text\",\"text\":\"企业：＜at user_id=\\\"all\\\"＞"
	           "＜/at＞\"}],[{\"tag\":\"text\",\"text\":\"＜@all＞ ＊＊假＊＊ ［点此］"
	           "(http://evil.example) # 标题 `码` ～～删～～ ＆#60;\"}]]}}}}");
	reply_init(&err);
	assert_int_equal(reply_set_title(&err, "出错了"), 0);
	assert_int_equal(reply_add_field(&err, "原因", "%s", TYPED_MARKDOWN), 0);
	err.is_error = true;
	expect_one(&d, &err, NULL,
	           "{\"msg_type\":\"interactive\",\"card\":{\"config\":{\"wide_screen_mode\":true},"
	           "\"header\":{\"template\":\"red\",\"title\":{\"tag\":\"plain_text\",\"content\":"
	           "\"出错了\"}},\"elements\":[{\"tag\":\"div\",\"text\":{\"tag\":\"lark_md\","
	           "\"content\":\"**原因**：＜@all＞ ＊＊假＊＊ ［点此］(http://evil.example) ＃ 标题 "
	           "｀码｀ ～～删～～ ＆＃60;\"}}]}}");
	reply_free(&rich);
	reply_free(&err);
}

/* WeCom: markdown loses its markup characters (<@userid> mentions, links,
 * bold, headings); text keeps all but the tags (<a href>) and entities. */
static void test_wecom_inert(void **state)
{
	struct reply rich, plain;
	struct dest d = mkdest("wecom", DEST_ROBOT, "");
	char *text;

	(void)state;
	reply_init(&rich);
	assert_int_equal(reply_set_title(&rich, "查询结果"), 0);
	assert_int_equal(reply_add_field(&rich, "姓名", "%s", TYPED_MARKDOWN), 0);
	expect_one(&d, &rich, NULL,
	           "{\"msgtype\":\"markdown\",\"markdown\":{\"content\":\"**查询结果**\\n"
	           "**姓名**：＜@all＞ ＊＊假＊＊ ［点此］(http://evil.example) ＃ 标题 ｀码｀ "
	           "～～删～～ ＆＃60;\"}}");
	reply_init(&plain);
	assert_int_equal(reply_add_line(&plain, "<a href=\"http://evil.example\">点此</a> **"), 0);
	expect_one(&d, &plain, NULL,
	           "{\"msgtype\":\"text\",\"text\":{\"content\":\"＜a href=\\\"http://evil.example\\\""
	           "＞点此＜/a＞ **\"}}");
	/* The passive reply to a callback is WeCom text too. */
	text = render_wecom_text(&rich);
	assert_non_null(text);
	assert_string_equal(text, "查询结果\n姓名：＜@all＞ **假** [点此](http://evil.example) # 标题 "
	                          "`码` ~~删~~ ＆#60;");
	free(text);
	reply_free(&rich);
	reply_free(&plain);
}

/* DingTalk: markdown as WeCom's; text has no markup at all (mentions need
 * the body's "at" field, which cqod never sends), so it is left as typed. */
static void test_dingtalk_inert(void **state)
{
	struct reply rich, plain;
	struct dest d = mkdest("dingtalk", DEST_ROBOT, "");

	(void)state;
	reply_init(&rich);
	assert_int_equal(reply_add_field(&rich, "姓名", "%s", TYPED_MARKDOWN), 0);
	expect_one(&d, &rich, NULL,
	           "{\"msgtype\":\"markdown\",\"markdown\":{\"title\":\"首席质量官助手\",\"text\":"
	           "\"**姓名**：＜@all＞ ＊＊假＊＊ ［点此］(http://evil.example) ＃ 标题 ｀码｀ "
	           "～～删～～ ＆＃60;\"}}");
	reply_init(&plain);
	assert_int_equal(reply_add_line(&plain, "%s", TYPED_MARKDOWN), 0);
	expect_one(&d, &plain, NULL,
	           "{\"msgtype\":\"text\",\"text\":{\"content\":\"<@all> **假** [点此]"
	           "(http://evil.example) # 标题 `码` ~~删~~ &#60;\"}}");
	reply_free(&rich);
	reply_free(&plain);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wecom),
		cmocka_unit_test(test_dingtalk),
		cmocka_unit_test(test_feishu),
		cmocka_unit_test(test_table_and_escapes),
		cmocka_unit_test(test_idem_key),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_split_lines),
		cmocka_unit_test(test_split_long_line),
		cmocka_unit_test(test_split_escaped),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_feishu_at_all_inert),
		cmocka_unit_test(test_feishu_rich_inert),
		cmocka_unit_test(test_wecom_inert),
		cmocka_unit_test(test_dingtalk_inert),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
