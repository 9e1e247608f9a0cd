/* Argument helpers; see argtext.h. */
#include "argtext.h"

#include <stdlib.h>
#include <string.h>

bool argtext_id(const char *s, int64_t *out)
{
	size_t n = strlen(s);
	int64_t v = 0;

	if (n == 0 || n > 18)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return v > 0;
}

char *argtext_join(const struct args *a, int from)
{
	size_t len = 1;
	char *out, *w;

	for (int i = from; i < a->argc; i++)
		len += strlen(a->argv[i]) + 1;
	out = malloc(len);
	if (!out)
		return NULL;
	w = out;
	for (int i = from; i < a->argc; i++) {
		size_t n = strlen(a->argv[i]);

		if (w != out)
			*w++ = ' ';
		memcpy(w, a->argv[i], n);
		w += n;
	}
	*w = '\0';
	return out;
}

size_t argtext_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

bool argtext_skipped(const char *s)
{
	return strcmp(s, "-") == 0 || strcmp(s, "\u2014") == 0 || strcmp(s, "无") == 0;
}
