/* Decimal numbers and digit codes; see digits.h. */
#include "digits.h"

#include <errno.h>
#include <string.h>

int digits_parse(const char *s, size_t max_digits, int64_t *out)
{
	size_t n = s ? strlen(s) : 0;
	int64_t v = 0;

	if (n == 0 || n > max_digits || max_digits > 18 || strspn(s, "0123456789") != n)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	*out = v;
	return 0;
}

bool digits_only(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

int digits_hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
