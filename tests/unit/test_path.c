#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "../../lib/path.h"

static void check(const char *path, const char *want)
{
	char *got = path_dir(path);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_dir(void **state)
{
	(void)state;
	check("/etc/cqod/cqod.conf", "/etc/cqod");
	check("var/demo.conf", "var");
	check("cqod.conf", ".");
	check("/cqod.conf", "/");
	check("out/统计.xlsx", "out");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
