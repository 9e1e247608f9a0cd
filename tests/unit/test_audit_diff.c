/* Summaries of audit rows for 审计: what was created, deleted or changed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "../../handlers/audit_diff.h"

static const char *summary(const char *entity, const char *before, const char *after)
{
	static char out[AUDIT_SUMMARY_MAX];

	audit_summary(entity, before, after, out, sizeof out);
	return out;
}

static void test_created_and_deleted(void **state)
{
	(void)state;
	assert_string_equal(summary("training", NULL, "{\"hours\":8}"), "新建培训记录");
	assert_string_equal(summary("training", "", "{\"hours\":8}"), "新建培训记录");
	assert_string_equal(summary("identity", "{\"role\":\"clerk\"}", NULL), "删除身份授权");
	assert_string_equal(summary("identity", "{\"role\":\"clerk\"}", ""), "删除身份授权");
}

static void test_changed_fields_in_chinese(void **state)
{
	(void)state;
	assert_string_equal(summary("appointment",
	                            "{\"status\":\"active\",\"ended_on\":null,\"doc_no\":\"x\","
	                            "\"updated_at\":1}",
	                            "{\"status\":\"ended\",\"ended_on\":\"2026-01-01\","
	                            "\"doc_no\":\"x\",\"updated_at\":2}"),
	                    "修改聘任记录：状态、终止日期");
	/* Keys only on one side count; unknown keys and entities show as stored. */
	assert_string_equal(summary("gadget", "{\"a\":1,\"gone\":true}", "{\"a\":1,\"new\":[1]}"),
	                    "修改gadget：new、gone");
	/* Nested values compare by content. */
	assert_string_equal(summary("sanction", "{\"x\":{\"b\":[1,2]}}", "{\"x\":{\"b\":[1,2]}}"),
	                    "处理记录无变化");
	assert_string_equal(summary("sanction", "{\"hours\":8}", "{\"hours\":8.5}"),
	                    "修改处理记录：学时");
}

static void test_unparsable_snapshots(void **state)
{
	(void)state;
	/* The store cuts long snapshots; a cut one is not JSON any more. */
	assert_string_equal(summary("person", "{\"resume\":\"很长", "{\"resume\":\"x\"}"),
	                    "修改人员信息");
	assert_string_equal(summary("person", "[1]", "[2]"), "修改人员信息");
}

static void test_long_list_ends_at_a_whole_name(void **state)
{
	char before[4096], after[4096];
	size_t b = 0, a = 0;
	(void)state;
	/* 60 changed fields cannot all be listed. */
	for (int i = 0; i < 60; i++) {
		b += (size_t)snprintf(before + b, sizeof before - b, "%c\"phone%d\":%d", i ? ',' : '{',
		                      i, i);
		a += (size_t)snprintf(after + a, sizeof after - a, "%c\"phone%d\":%d", i ? ',' : '{',
		                      i, i + 1);
	}
	snprintf(before + b, sizeof before - b, "}");
	snprintf(after + a, sizeof after - a, "}");
	const char *s = summary("person", before, after);
	size_t n = strlen(s);
	assert_true(n < AUDIT_SUMMARY_MAX);
	assert_true(n > 3 && strcmp(s + n - 3, "…") == 0);
	assert_non_null(strstr(s, "phone0、phone1、"));
	/* A tiny buffer is still terminated. */
	char tiny[4];
	audit_summary("person", before, after, tiny, sizeof tiny);
	assert_true(strlen(tiny) < sizeof tiny);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(audit_entity_name("appointment"), "聘任记录");
	assert_string_equal(audit_entity_name("x"), "x");
	assert_string_equal(audit_field_name("term_end"), "任期届满");
	assert_string_equal(audit_field_name("phone"), "手机");
	assert_string_equal(audit_field_name("zzz"), "zzz");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_created_and_deleted),
		cmocka_unit_test(test_changed_fields_in_chinese),
		cmocka_unit_test(test_unparsable_snapshots),
		cmocka_unit_test(test_long_list_ends_at_a_whole_name),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
