/* The generic adapter: the timestamped HMAC signature, body decoding, reply JSON. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>

#include "../../messages/generic.h"

#define BODY "{\"msg_id\":\"1\",\"chat_id\":\"c\",\"chat_type\":\"group\",\"sender_id\":\"s\",\"text\":\"查询 张三\"}"
#define NOW 1700000000LL
#define TS "1700000000"

/* "sha256=" and the hex HMAC-SHA256 of msg, by the openssl tool. */
static void hex_hmac(const char *key, const char *msg, char *out, size_t len)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "printf '%%s' '%s' | openssl dgst -sha256 -hmac '%s' -r", msg, key);
	FILE *p = popen(cmd, "r");
	char hex[65] = {0};
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%64s", hex), 1);
	pclose(p);
	snprintf(out, len, "sha256=%s", hex);
}

/* The signature of body at ts, computed independently of cqod. */
static void sig_for(const char *key, const char *ts, const char *body, char *out, size_t len)
{
	char msg[512];
	snprintf(msg, sizeof msg, "%s.%s", ts, body);
	hex_hmac(key, msg, out, len);
}

static int verify(const char *key, const char *ts, const char *sig, size_t len, int64_t now)
{
	return generic_verify(key, ts, sig, BODY, len, now);
}

static void test_verify_accepts_independent_hmac(void **state)
{
	char sig[128];
	(void)state;
	sig_for("key", TS, BODY, sig, sizeof sig);
	assert_int_equal(verify("key", TS, sig, strlen(BODY), NOW), 0);
	/* Anywhere within 300 s of our clock, either side. */
	assert_int_equal(verify("key", TS, sig, strlen(BODY), NOW + 300), 0);
	assert_int_equal(verify("key", TS, sig, strlen(BODY), NOW - 300), 0);
}

static void test_verify_rejects(void **state)
{
	char sig[128];
	(void)state;
	sig_for("key", TS, BODY, sig, sizeof sig);
	assert_int_equal(verify("other", TS, sig, strlen(BODY), NOW), -EACCES);
	assert_int_equal(verify("key", TS, sig, strlen(BODY) - 1, NOW), -EACCES);
	assert_int_equal(verify("key", TS, NULL, strlen(BODY), NOW), -EACCES);
	assert_int_equal(verify("key", TS, "", strlen(BODY), NOW), -EACCES);
	assert_int_equal(verify("key", TS, sig + 7, strlen(BODY), NOW), -EACCES);
	sig[strlen(sig) - 1] = sig[strlen(sig) - 1] == '0' ? '1' : '0';
	assert_int_equal(verify("key", TS, sig, strlen(BODY), NOW), -EACCES);
	assert_int_equal(verify("key", TS, "sha256=zz", strlen(BODY), NOW), -EACCES);
	/* Uppercase hex is the same signature. */
	sig_for("key", TS, BODY, sig, sizeof sig);
	for (char *p = sig + 7; *p; p++)
		*p = (char)(*p >= 'a' && *p <= 'f' ? *p - 32 : *p);
	assert_int_equal(verify("key", TS, sig, strlen(BODY), NOW), 0);
}

static void test_verify_binds_the_timestamp(void **state)
{
	char sig[128], old[128];
	(void)state;
	sig_for("key", TS, BODY, sig, sizeof sig);
	/* A captured request is refused once its timestamp is 301 s off. */
	assert_int_equal(verify("key", TS, sig, strlen(BODY), NOW + 301), -ETIME);
	assert_int_equal(verify("key", TS, sig, strlen(BODY), NOW - 301), -ETIME);
	/* Another timestamp with the captured signature is not signed. */
	assert_int_equal(verify("key", "1700000100", sig, strlen(BODY), NOW), -EACCES);
	assert_int_equal(verify("key", "01700000000", sig, strlen(BODY), NOW), -EACCES);
	/* Missing or malformed timestamps. */
	assert_int_equal(verify("key", NULL, sig, strlen(BODY), NOW), -ETIME);
	assert_int_equal(verify("key", "", sig, strlen(BODY), NOW), -ETIME);
	assert_int_equal(verify("key", "1700000000.5", sig, strlen(BODY), NOW), -ETIME);
	assert_int_equal(verify("key", "-1700000000", sig, strlen(BODY), NOW), -ETIME);
	assert_int_equal(verify("key", " 1700000000", sig, strlen(BODY), NOW), -ETIME);
	assert_int_equal(verify("key", "1700000000000", sig, strlen(BODY), NOW), -ETIME);
	/* The old scheme, a signature over the body alone, is not accepted. */
	hex_hmac("key", BODY, old, sizeof old);
	assert_int_equal(verify("key", TS, old, strlen(BODY), NOW), -EACCES);
	/* An empty body is signed as "<timestamp>.". */
	sig_for("key", TS, "", sig, sizeof sig);
	assert_int_equal(generic_verify("key", TS, sig, "", 0, NOW), 0);
}

static void test_decode_ok(void **state)
{
	struct generic_msg m;
	const char *why = NULL;
	(void)state;
	assert_int_equal(generic_decode(BODY, strlen(BODY), "ci", &m, &why), 0);
	assert_string_equal(m.msg.platform, "generic");
	assert_string_equal(m.msg.instance, "ci");
	assert_string_equal(m.msg.msg_id, "1");
	assert_int_equal(m.msg.kind, CHAT_GROUP);
	assert_string_equal(m.msg.text, "查询 张三");
	assert_string_equal(m.msg.sender_name, "");
	generic_msg_free(&m);
}

static void test_decode_errors(void **state)
{
	static const char *bad[] = {
		"", "nope", "[]", "{}", "{\"msg_id\":1}",
		"{\"msg_id\":\"1\",\"chat_id\":\"c\",\"chat_type\":\"x\",\"sender_id\":\"s\",\"text\":\"t\"}",
		"{\"msg_id\":\"1\",\"chat_id\":\"c\",\"chat_type\":\"private\",\"sender_id\":\"s\"}",
		"{\"msg_id\":\"\",\"chat_id\":\"c\",\"chat_type\":\"private\",\"sender_id\":\"s\",\"text\":\"t\"}",
		"{\"msg_id\":\"1\",\"chat_id\":\"c\",\"chat_type\":\"private\",\"sender_id\":\"s\",\"text\":\"t\",\"sender_name\":5}",
		"{\"msg_id\":\"1\",\"chat_id\":\"c\",\"chat_type\":\"private\",\"sender_id\":\"s\",\"text\":\"t\"",
	};
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct generic_msg m;
		const char *why = NULL;
		assert_int_equal(generic_decode(bad[i], strlen(bad[i]), "ci", &m, &why), -EINVAL);
		assert_non_null(why);
	}
}

static void test_render_reply_json(void **state)
{
	struct reply r;
	const char *hdr[] = {"a", "b"}, *row[] = {"1", "2"};
	(void)state;
	reply_init(&r);
	reply_set_title(&r, "标题");
	reply_add_line(&r, "第 %d 行", 1);
	reply_add_field(&r, "键", "%s", "值\"引号\"");
	reply_table_begin(&r, 2, hdr);
	reply_table_add_row(&r, row);
	char *s = generic_render_reply(&r);
	cJSON *j = cJSON_Parse(s);
	assert_non_null(j);
	cJSON *rep = cJSON_GetObjectItem(j, "reply");
	assert_string_equal(cJSON_GetObjectItem(rep, "title")->valuestring, "标题");
	assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(rep, "lines"), 0)->valuestring,
	                    "第 1 行");
	assert_string_equal(cJSON_GetObjectItem(rep, "text")->valuestring,
	                    "标题\n第 1 行\n键：值\"引号\"\na | b\n1 | 2");
	cJSON_Delete(j);
	free(s);
	reply_free(&r);
	s = generic_render_error("bad \"thing\"");
	j = cJSON_Parse(s);
	assert_string_equal(cJSON_GetObjectItem(j, "error")->valuestring, "bad \"thing\"");
	cJSON_Delete(j);
	free(s);
}

/* What the body was when it was built as a cJSON tree: the oracle the
 * direct writer must match byte for byte (stored answers are replayed). */
static char *body_by_cjson(const struct reply *r)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *lines = cJSON_AddArrayToObject(o, "lines");
	cJSON *fields = cJSON_AddArrayToObject(o, "fields");

	if (r->title)
		cJSON_AddStringToObject(o, "title", r->title);
	for (size_t i = 0; i < r->n_items; i++) {
		const struct reply_item *it = &r->items[i];
		if (it->kind == REPLY_LINE) {
			cJSON_AddItemToArray(lines, cJSON_CreateString(it->text));
			continue;
		}
		cJSON *f = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "key", it->key);
		cJSON_AddStringToObject(f, "value", it->text);
		cJSON_AddItemToArray(fields, f);
	}
	if (r->table_cols) {
		cJSON *table = cJSON_AddArrayToObject(o, "table");
		for (size_t row = 0; row < r->table_rows; row++) {
			cJSON *cells = cJSON_CreateArray();
			for (size_t c = 0; c < r->table_cols; c++)
				cJSON_AddItemToArray(cells, cJSON_CreateString(
					r->table_cells[row * r->table_cols + c]));
			cJSON_AddItemToArray(table, cells);
		}
	}
	cJSON_AddBoolToObject(o, "error", r->is_error);
	char *text = reply_render_text(r);
	cJSON_AddStringToObject(o, "text", text);
	free(text);
	char *s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}

static size_t cjson_allocations;

static void *counting_malloc(size_t n)
{
	cjson_allocations++;
	return malloc(n);
}

/* The reply body is written straight into one buffer, no cJSON tree (that
 * was a seventh of the signed 查询 path's CPU), and reads exactly as the
 * tree printed it: every escape, an empty reply, a table with no rows. */
static void test_render_reply_body_as_cjson_printed_it(void **state)
{
	static const char *tricky[] = {
		"", "纯中文", "q\"uote\\back/slash", "\b\f\n\r\t", "\x01\x1f\x7f end",
		"emoji 😀 and 全角：", "</script>",
	};
	const char *hdr[] = {"列\t一", "col \"2\""};
	cJSON_Hooks hooks = {.malloc_fn = counting_malloc, .free_fn = free};
	(void)state;

	for (int variant = 0; variant < 4; variant++) {
		struct reply r;
		reply_init(&r);
		if (variant != 1)
			reply_set_title(&r, "%s", variant ? "标题\n" : "");
		for (size_t i = 0; variant < 3 && i < sizeof tricky / sizeof *tricky; i++) {
			reply_add_line(&r, "%s", tricky[i]);
			reply_add_field(&r, tricky[(i + 1) % 7], "%s", tricky[i]);
		}
		if (variant >= 2) {
			reply_table_begin(&r, 2, hdr);
			for (size_t i = 0; variant == 2 && i + 1 < sizeof tricky / sizeof *tricky; i++) {
				const char *row[] = {tricky[i], tricky[i + 1]};
				reply_table_add_row(&r, row);
			}
		}
		r.is_error = variant == 1;
		char *want = body_by_cjson(&r);

		cjson_allocations = 0;
		cJSON_InitHooks(&hooks);
		char *got = generic_render_reply_body(&r);
		cJSON_InitHooks(NULL);
		assert_non_null(got);
		assert_string_equal(got, want);
		assert_int_equal(cjson_allocations, 0);
		free(got);
		free(want);
		reply_free(&r);
	}
}

/* The kept reply object goes into the answer as it is: byte for byte what
 * the first answer held, marked duplicate or not; a damaged one is refused. */
static void test_render_answer_wraps_the_kept_body(void **state)
{
	(void)state;
	char *s = generic_render_answer("{\"text\":\"好\",\"n\":[1, 2]}", true);
	assert_string_equal(s, "{\"ok\":true,\"duplicate\":true,\"reply\":"
	                       "{\"text\":\"好\",\"n\":[1, 2]}}");
	free(s);
	s = generic_render_answer("{}", false);
	assert_string_equal(s, "{\"ok\":true,\"duplicate\":false,\"reply\":{}}");
	free(s);
	assert_null(generic_render_answer("", false));
	assert_null(generic_render_answer("{\"text\":\"cut", false));
	assert_null(generic_render_answer("[]", false));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verify_accepts_independent_hmac),
		cmocka_unit_test(test_verify_rejects),
		cmocka_unit_test(test_verify_binds_the_timestamp),
		cmocka_unit_test(test_decode_ok),
		cmocka_unit_test(test_decode_errors),
		cmocka_unit_test(test_render_reply_json),
		cmocka_unit_test(test_render_reply_body_as_cjson_printed_it),
		cmocka_unit_test(test_render_answer_wraps_the_kept_body),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
