/* The workbook writer (lib/xlsx.c): a complete workbook appears 0600 under
 * any umask with nothing else beside it; a failed or discarded one leaves
 * the directory empty; bad names and charts are refused. The cells
 * themselves are read back by tests/integration/test_export_xlsx.py. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../lib/xlsx.h"

static const struct xlsx_column cols[] = {
	{"地区", XLSX_TEXT}, {"企业数", XLSX_INT}, {"聘任率", XLSX_PERCENT}, {"目标", XLSX_PERCENT},
};

struct dir {
	char path[64];
	char file[128];
};

static int setup(void **state)
{
	struct dir *d = calloc(1, sizeof *d);

	assert_non_null(d);
	snprintf(d->path, sizeof d->path, "/tmp/test_xlsx.XXXXXX");
	assert_non_null(mkdtemp(d->path));
	snprintf(d->file, sizeof d->file, "%s/统计表.xlsx", d->path);
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	struct dir *d = *state;

	unlink(d->file);
	assert_int_equal(rmdir(d->path), 0);
	free(d);
	return 0;
}

static int entries(const char *path)
{
	DIR *dir = opendir(path);
	struct dirent *e;
	int n = 0;

	assert_non_null(dir);
	while ((e = readdir(dir)))
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(dir);
	return n;
}

static void write_sheet(struct xlsx *x)
{
	static const size_t bars[] = {2, 3};
	const struct xlsx_cell rows[2][4] = {
		{{.text = "兰山区"}, {.num = 3}, {.num = 2.0 / 3}, {.num = 0.6}},
		{{.text = "罗庄区"}, {.num = 1}, {.num = 1}, {.text = "未设定"}},
	};
	struct xlsx_chart chart = {.title = "聘任率", .label_col = 0, .value_cols = bars,
	                           .n_values = 2, .n_rows = 2};

	assert_int_equal(xlsx_sheet(x, "规上", "统计", cols, 4), 0);
	assert_int_equal(xlsx_row(x, rows[0]), 0);
	assert_int_equal(xlsx_row(x, rows[1]), 0);
	assert_int_equal(xlsx_note(x, "按 2026-06-15 的在任情况统计。"), 0);
	assert_int_equal(xlsx_chart(x, &chart), 0);
}

static void test_private_and_alone(void **state)
{
	struct dir *d = *state;
	struct xlsx *x;
	struct stat st;
	char magic[2];

	mode_t old = umask(022);
	assert_int_equal(xlsx_open(d->file, &x), 0);
	write_sheet(x);
	assert_int_equal(xlsx_close(x, true), 0);
	umask(old);
	assert_int_equal(stat(d->file, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(entries(d->path), 1);
	FILE *f = fopen(d->file, "rb");
	assert_non_null(f);
	assert_int_equal(fread(magic, 1, 2, f), 2);
	fclose(f);
	assert_memory_equal(magic, "PK", 2);
}

static void test_discarded_and_failed_leave_nothing(void **state)
{
	struct dir *d = *state;
	const struct xlsx_chart empty = {.title = "t", .value_cols = (const size_t[]){1},
	                                 .n_values = 1, .n_rows = 0};
	struct xlsx *x;

	assert_int_equal(xlsx_open(d->file, &x), 0);
	write_sheet(x);
	assert_int_equal(xlsx_close(x, false), 0);
	assert_int_equal(entries(d->path), 0);

	assert_int_equal(xlsx_open(d->file, &x), 0);
	assert_int_equal(xlsx_sheet(x, "a/b", "t", cols, 4), -EINVAL);
	assert_int_equal(xlsx_close(x, true), -EINVAL);
	assert_int_equal(entries(d->path), 0);

	assert_int_equal(xlsx_open(d->file, &x), 0);
	write_sheet(x);
	assert_int_equal(xlsx_sheet(x, "规上", "again", cols, 4), -EINVAL);
	assert_int_equal(xlsx_close(x, true), -EINVAL);
	assert_int_equal(entries(d->path), 0);

	assert_int_equal(xlsx_open(d->file, &x), 0);
	assert_int_equal(xlsx_sheet(x, "规上", "t", cols, 4), 0);
	assert_int_equal(xlsx_chart(x, &empty), -EINVAL);
	assert_int_equal(xlsx_close(x, true), -EINVAL);
	assert_int_equal(entries(d->path), 0);
}

static void test_missing_directory(void **state)
{
	struct xlsx *x = NULL;

	(void)state;
	assert_int_equal(xlsx_open("/nonexistent/dir/x.xlsx", &x), -ENOENT);
	assert_null(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_private_and_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_discarded_and_failed_leave_nothing, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_missing_directory, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
