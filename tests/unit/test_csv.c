/* The RFC 4180 reader and writer (daemon/csv.c): quoting, doubled quotes,
 * CRLF and bare line ends, embedded line breaks and their line numbers,
 * malformed input, the formula guard, and writing then reading back. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/csv.h"

/* A mutable copy of a literal, as the reader needs. */
static char *dup_buf(const char *s, size_t *len)
{
	*len = strlen(s);
	char *b = malloc(*len + 1);
	assert_non_null(b);
	memcpy(b, s, *len + 1);
	return b;
}

static void expect_record(struct csv_reader *r, unsigned line, size_t n, ...)
{
	struct csv_record rec;
	va_list ap;

	assert_int_equal(csv_read(r, &rec), 1);
	assert_int_equal(rec.line, line);
	assert_int_equal(rec.n, n);
	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(rec.fields[i], va_arg(ap, const char *));
	va_end(ap);
}

static void test_plain_and_crlf(void **state)
{
	struct csv_reader r;
	struct csv_record rec;
	size_t len;
	char *b = dup_buf("姓名,性别,手机\r\n张三,男,13800001111\r\n李四,,\r\n", &len);
	(void)state;

	csv_reader_init(&r, b, len);
	expect_record(&r, 1, 3, "姓名", "性别", "手机");
	expect_record(&r, 2, 3, "张三", "男", "13800001111");
	expect_record(&r, 3, 3, "李四", "", "");
	assert_int_equal(csv_read(&r, &rec), 0);
	assert_int_equal(csv_read(&r, &rec), 0);
	csv_reader_free(&r);
	free(b);
}

static void test_quotes_and_embedded_newlines(void **state)
{
	struct csv_reader r;
	struct csv_record rec;
	size_t len;
	char *b = dup_buf("a,\"b,c\",\"say \"\"hi\"\"\"\n"
	                  "\"line1\r\nline2\nline3\",x\n"
	                  "\"\",\"\"\"\"\n"
	                  "last,\"no newline at end\"", &len);
	(void)state;

	csv_reader_init(&r, b, len);
	expect_record(&r, 1, 3, "a", "b,c", "say \"hi\"");
	expect_record(&r, 2, 2, "line1\r\nline2\nline3", "x");
	/* The record after a three-line field starts on line 5. */
	expect_record(&r, 5, 2, "", "\"");
	expect_record(&r, 6, 2, "last", "no newline at end");
	assert_int_equal(csv_read(&r, &rec), 0);
	csv_reader_free(&r);
	free(b);
}

static void test_bare_cr_and_empty_lines(void **state)
{
	struct csv_reader r;
	struct csv_record rec;
	size_t len;
	char *b = dup_buf("a,b\r\rc\n\n,\n", &len);
	(void)state;

	csv_reader_init(&r, b, len);
	expect_record(&r, 1, 2, "a", "b");
	expect_record(&r, 2, 1, "");
	expect_record(&r, 3, 1, "c");
	expect_record(&r, 4, 1, "");
	expect_record(&r, 5, 2, "", "");
	assert_int_equal(csv_read(&r, &rec), 0);
	csv_reader_free(&r);
	free(b);
}

static void test_malformed(void **state)
{
	static const struct {
		const char *text;
		unsigned line;
	} bad[] = {
		{"a,b\n\"never closed,x\ny\n", 2},
		{"a\nb\n\"quoted\"junk,c\n", 3},
		{"\"ok\"\n\"x\"\"\n", 2},
	};
	(void)state;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct csv_reader r;
		struct csv_record rec;
		size_t len;
		char *b = dup_buf(bad[i].text, &len);
		int rc;

		csv_reader_init(&r, b, len);
		while ((rc = csv_read(&r, &rec)) == 1)
			;
		assert_int_equal(rc, -EINVAL);
		assert_int_equal(r.error_line, bad[i].line);
		/* The reader stays at the end afterwards. */
		assert_int_equal(csv_read(&r, &rec), 0);
		csv_reader_free(&r);
		free(b);
	}
}

static void test_many_fields(void **state)
{
	struct csv_reader r;
	struct csv_record rec;
	char line[400];
	size_t len = 0;
	(void)state;

	for (int i = 0; i < 100; i++)
		len += (size_t)snprintf(line + len, sizeof line - len, "%s%d", i ? "," : "", i % 10);
	csv_reader_init(&r, line, len);
	assert_int_equal(csv_read(&r, &rec), 1);
	assert_int_equal(rec.n, 100);
	assert_string_equal(rec.fields[99], "9");
	csv_reader_free(&r);
}

static char *write_rows(const char *const *cells, size_t n, size_t per_row, size_t *len)
{
	struct csv_writer w;
	char *out = NULL;
	FILE *f = open_memstream(&out, len);

	assert_non_null(f);
	csv_writer_init(&w, f);
	for (size_t i = 0; i < n; i++) {
		csv_write_field(&w, cells[i]);
		if ((i + 1) % per_row == 0)
			csv_end_record(&w);
	}
	assert_int_equal(fclose(f), 0);
	return out;
}

static void test_writer_quoting(void **state)
{
	static const char *const cells[] = {
		"plain", "a,b", "say \"hi\"", "two\nlines", NULL, "", "=1+1", "-3", "@x", "+86", "'=x",
	};
	size_t len;
	char *out = write_rows(cells, 11, 11, &len);
	(void)state;

	assert_string_equal(out, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,,'=1+1,'-3,'@x,"
	                         "'+86,'=x\r\n");
	free(out);
	assert_string_equal(csv_unguard("'=1+1"), "=1+1");
	assert_string_equal(csv_unguard("'-3"), "-3");
	assert_string_equal(csv_unguard("'abc"), "'abc");
	assert_string_equal(csv_unguard("'"), "'");
	assert_string_equal(csv_unguard(""), "");
}

static void test_round_trip(void **state)
{
	static const char *const cells[] = {
		"张三", "示例,精密", "\"引号\"", "第一行\r\n第二行", "",
		"=SUM(A1)", "-", "末尾 ", " 开头", "\t制表",
	};
	struct csv_reader r;
	struct csv_record rec;
	size_t len;
	char *out = write_rows(cells, 10, 5, &len);
	(void)state;

	csv_reader_init(&r, out, len);
	for (size_t row = 0; row < 2; row++) {
		assert_int_equal(csv_read(&r, &rec), 1);
		assert_int_equal(rec.n, 5);
		for (size_t i = 0; i < 5; i++)
			assert_string_equal(csv_unguard(rec.fields[i]), cells[row * 5 + i]);
	}
	assert_int_equal(csv_read(&r, &rec), 0);
	csv_reader_free(&r);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_crlf),
		cmocka_unit_test(test_quotes_and_embedded_newlines),
		cmocka_unit_test(test_bare_cr_and_empty_lines),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_many_fields),
		cmocka_unit_test(test_writer_quoting),
		cmocka_unit_test(test_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
