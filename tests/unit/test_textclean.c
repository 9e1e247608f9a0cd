/* messages/textclean.c: display names reduced to one safe line. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "../../lib/textclean.h"

static void expect_clean(const char *in, const char *want)
{
	char out[128];

	assert_int_equal(textclean_line(out, sizeof out, in), strlen(want));
	assert_string_equal(out, want);
}

static void test_keeps_names(void **state)
{
	(void)state;
	expect_clean("", "");
	expect_clean("张三", "张三");
	expect_clean("Zhang San · 张三 😀 O'Brien <b>", "Zhang San · 张三 😀 O'Brien <b>");
	/* Joiners make emoji sequences: they stay. */
	expect_clean("\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9",
	             "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9");
}

static void test_drops_line_breakers(void **state)
{
	(void)state;
	/* C0 (newline, tab, escape), DEL and C1 (NEL U+0085, CSI U+009B). */
	expect_clean("王五\n2. 伪造\r\n\t行", "王五2. 伪造行");
	expect_clean("a\x1b[31mb\x7f" "c\xC2\x85" "d\xC2\x9B" "e\x01", "a[31mbcde");
	/* U+2028, U+2029 and the bidi controls. */
	expect_clean("a\xE2\x80\xA8" "b\xE2\x80\xA9" "c", "abc");
	expect_clean("x\xE2\x80\xAE" "cod.exe\xE2\x80\xAC" "y", "xcod.exey");
	expect_clean("\xE2\x80\x8E\xE2\x80\x8F\xE2\x80\xAA\xE2\x80\xAB\xE2\x80\xAD\xD8\x9C"
	             "\xE2\x81\xA6\xE2\x81\xA7\xE2\x81\xA8\xE2\x81\xA9ok", "ok");
}

static void test_drops_bad_utf8(void **state)
{
	(void)state;
	/* A stray continuation byte, an overlong '/', a surrogate, a cut sequence. */
	expect_clean("a\x80" "b\xC0\xAF" "c\xED\xA0\x80" "d\xE5\xBC", "abcd");
}

static void test_cut_at_character(void **state)
{
	char out[8];

	(void)state;
	/* Two 3-byte characters fit in 8 bytes with the NUL, a third does not. */
	assert_int_equal(textclean_line(out, sizeof out, "张三丰"), 6);
	assert_string_equal(out, "张三");
	assert_int_equal(textclean_line(out, 1, "张"), 0);
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keeps_names),
		cmocka_unit_test(test_drops_line_breakers),
		cmocka_unit_test(test_drops_bad_utf8),
		cmocka_unit_test(test_cut_at_character),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
