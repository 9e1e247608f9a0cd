/* GB 32100-2015 check character: weights 3^i mod 31 over the first 17. */
#include <errno.h>
#include <string.h>

#include "creditcode.h"

static const char charset[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

/* Index of c in the charset, or -1 (also for '\0', which strchr would find). */
static int char_value(char c)
{
	const char *p = c ? strchr(charset, c) : NULL;
	return p ? (int)(p - charset) : -1;
}

char creditcode_check_char(const char *body)
{
	int sum = 0;
	for (int i = 0; i < 17; i++) {
		int v = char_value(body[i]);
		if (v < 0)
			return '\0';
		sum += v * weights[i];
	}
	return charset[(31 - sum % 31) % 31];
}

int creditcode_validate(const char *code, char *expected)
{
	char want = '\0';
	if (code && strnlen(code, 19) >= 17)
		want = creditcode_check_char(code);
	if (expected)
		*expected = want;
	if (!want || strlen(code) != 18 || code[17] != want)
		return -EINVAL;
	return 0;
}
