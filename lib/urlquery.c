/* Query-string parameters; see urlquery.h. */
#include "urlquery.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "digits.h"

static int decode(const char *s, size_t len, char **out)
{
	char *d = malloc(len + 1);
	size_t o = 0;

	if (!d)
		return -ENOMEM;
	for (size_t i = 0; i < len; i++) {
		if (s[i] != '%') {
			d[o++] = s[i];
			continue;
		}
		int hi = i + 2 < len ? digits_hex_value(s[i + 1]) : -1;
		int lo = i + 2 < len ? digits_hex_value(s[i + 2]) : -1;

		/* A NUL would cut the C string short of what was signed. */
		if (hi < 0 || lo < 0 || (hi | lo) == 0) {
			free(d);
			return -EINVAL;
		}
		d[o++] = (char)(hi << 4 | lo);
		i += 2;
	}
	d[o] = '\0';
	*out = d;
	return 0;
}

int urlquery_get(const char *query, const char *name, char **out)
{
	size_t nlen = strlen(name);
	const char *p = query;

	*out = NULL;
	while (*p) {
		const char *end = strchr(p, '&');
		size_t plen = end ? (size_t)(end - p) : strlen(p);

		if (plen >= nlen + 1 && memcmp(p, name, nlen) == 0 && p[nlen] == '=')
			return decode(p + nlen + 1, plen - nlen - 1, out);
		if (!end)
			break;
		p = end + 1;
	}
	return -ENOENT;
}
