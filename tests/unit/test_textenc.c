/* Encoding detection and conversion (daemon/textenc.c): UTF-8 with and
 * without BOM, GBK and GB18030 through iconv, strict UTF-8 validation, and
 * where a bad byte is reported. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/textenc.h"

/* "张三,男\n" in GBK (and so in GB18030). */
static const char GBK_ZHANGSAN[] = "\xD5\xC5\xC8\xFD,\xC4\xD0\n";
/* U+20BB7 (𠮷, outside GBK) in GB18030's four-byte form. */
static const char GB18030_4BYTE[] = "\x95\x34\xB2\x35";

static void test_parse_names(void **state)
{
	enum textenc e;
	(void)state;

	assert_int_equal(textenc_parse("utf-8", &e), 0);
	assert_int_equal(e, TEXTENC_UTF8);
	assert_int_equal(textenc_parse("UTF8", &e), 0);
	assert_int_equal(e, TEXTENC_UTF8);
	assert_int_equal(textenc_parse("GBK", &e), 0);
	assert_int_equal(e, TEXTENC_GBK);
	assert_int_equal(textenc_parse("gb18030", &e), 0);
	assert_int_equal(e, TEXTENC_GB18030);
	assert_int_equal(textenc_parse("auto", &e), 0);
	assert_int_equal(e, TEXTENC_AUTO);
	assert_int_equal(textenc_parse("latin1", &e), -EINVAL);
	assert_string_equal(textenc_name(TEXTENC_GB18030), "GB18030");
}

static void test_utf8_validation(void **state)
{
	static const struct {
		const char *s;
		size_t bad_at;
	} bad[] = {
		{"ab\x80", 2},              /* lone continuation byte */
		{"\xC0\xAF", 0},            /* overlong '/' */
		{"x\xE0\x80\xAF", 1},       /* overlong three-byte form */
		{"\xED\xA0\x80", 0},        /* surrogate U+D800 */
		{"\xF4\x90\x80\x80", 0},    /* beyond U+10FFFF */
		{"\xE5\xBC", 0},            /* cut short */
		{"ok\xFF", 2},
	};
	size_t at;
	(void)state;

	assert_true(textenc_utf8_valid("", 0, NULL));
	/* A bad byte after, inside and at the end of runs of eight ASCII bytes. */
	assert_false(textenc_utf8_valid("abcdefgh\x80", 9, &at));
	assert_int_equal(at, 8);
	assert_false(textenc_utf8_valid("abcdefghij\xC3xyzuvwabc", 20, &at));
	assert_int_equal(at, 10);
	assert_false(textenc_utf8_valid("abcdefghijklmno\xE5\xBC", 17, &at));
	assert_int_equal(at, 15);
	assert_true(textenc_utf8_valid("abcdefgh张三abcdefgh", 22, NULL));
	assert_true(textenc_utf8_valid("张三 ok \xF0\xA0\xAE\xB7", 14, NULL));
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		at = 99;
		assert_false(textenc_utf8_valid(bad[i].s, strlen(bad[i].s), &at));
		assert_int_equal(at, bad[i].bad_at);
	}
}

static void test_detect(void **state)
{
	(void)state;

	assert_int_equal(textenc_detect("name,phone\n", 11), TEXTENC_UTF8);
	assert_int_equal(textenc_detect("张三\n", strlen("张三\n")), TEXTENC_UTF8);
	assert_int_equal(textenc_detect("\xEF\xBB\xBF张三", 9), TEXTENC_UTF8);
	assert_int_equal(textenc_detect(GBK_ZHANGSAN, strlen(GBK_ZHANGSAN)), TEXTENC_GB18030);
	assert_true(textenc_is_utf16("\xFF\xFEx\0", 4));
	assert_false(textenc_is_utf16("\xEF\xBB\xBF", 3));
}

static void convert_ok(enum textenc enc, const char *in, size_t len, const char *want,
                       enum textenc want_used)
{
	char *out;
	size_t out_len;
	enum textenc used;

	assert_int_equal(textenc_to_utf8(enc, in, len, &out, &out_len, &used, NULL), 0);
	assert_string_equal(out, want);
	assert_int_equal(out_len, strlen(want));
	assert_int_equal(used, want_used);
	free(out);
}

static void test_convert(void **state)
{
	(void)state;

	convert_ok(TEXTENC_AUTO, "\xEF\xBB\xBF" "姓名\r\n", 11, "姓名\r\n", TEXTENC_UTF8);
	convert_ok(TEXTENC_AUTO, "姓名\n", strlen("姓名\n"), "姓名\n", TEXTENC_UTF8);
	convert_ok(TEXTENC_AUTO, GBK_ZHANGSAN, strlen(GBK_ZHANGSAN), "张三,男\n", TEXTENC_GB18030);
	convert_ok(TEXTENC_GBK, GBK_ZHANGSAN, strlen(GBK_ZHANGSAN), "张三,男\n", TEXTENC_GBK);
	convert_ok(TEXTENC_GB18030, GB18030_4BYTE, 4, "\xF0\xA0\xAE\xB7", TEXTENC_GB18030);
	convert_ok(TEXTENC_UTF8, "", 0, "", TEXTENC_UTF8);
}

static void test_convert_large(void **state)
{
	/* Enough text to make the output buffer grow several times. */
	size_t n = 200000, len = n * 2;
	char *in = malloc(len), *out;
	size_t out_len;
	(void)state;

	assert_non_null(in);
	for (size_t i = 0; i < n; i++)
		memcpy(in + 2 * i, "\xD5\xC5", 2);   /* 张 */
	assert_int_equal(textenc_to_utf8(TEXTENC_GBK, in, len, &out, &out_len, NULL, NULL), 0);
	assert_int_equal(out_len, n * 3);
	assert_memory_equal(out + out_len - 3, "张", 3);
	free(out);
	free(in);
}

static void test_convert_errors(void **state)
{
	char *out = (char *)1;
	size_t out_len, bad = 0;
	(void)state;

	/* Declared UTF-8 that is not. */
	assert_int_equal(textenc_to_utf8(TEXTENC_UTF8, GBK_ZHANGSAN, strlen(GBK_ZHANGSAN), &out,
	                                 &out_len, NULL, &bad), -EILSEQ);
	assert_null(out);
	assert_int_equal(bad, 0);
	/* A BOM says UTF-8 even when a later byte is bad; the offset counts it. */
	assert_int_equal(textenc_to_utf8(TEXTENC_AUTO, "\xEF\xBB\xBFok\xFF", 6, &out, &out_len,
	                                 NULL, &bad), -EILSEQ);
	assert_int_equal(bad, 5);
	/* 0xFF is no GBK byte; a lead byte at the end is cut short. */
	assert_int_equal(textenc_to_utf8(TEXTENC_GBK, "ab\xFF\x20", 4, &out, &out_len, NULL, &bad),
	                 -EILSEQ);
	assert_int_equal(bad, 2);
	assert_int_equal(textenc_to_utf8(TEXTENC_GB18030, "abc\xD5", 4, &out, &out_len, NULL, &bad),
	                 -EILSEQ);
	assert_int_equal(bad, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_names),
		cmocka_unit_test(test_utf8_validation),
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_convert),
		cmocka_unit_test(test_convert_large),
		cmocka_unit_test(test_convert_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
