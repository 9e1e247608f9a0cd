/* Masking personal data; see mask.h. */
#include "mask.h"

#include <stdio.h>
#include <string.h>

#include "text/common.h"

void mask_phone(const char *in, char *out, size_t len)
{
	size_t n = strlen(in);

	if (n < 8) {
		snprintf(out, len, "****");
		return;
	}
	snprintf(out, len, "%.3s****%s", in, in + n - 4);
}

void mask_email(const char *in, char *out, size_t len)
{
	const char *at = strchr(in, '@');

	if (!at || at == in) {
		snprintf(out, len, "***");
		return;
	}
	/* A multibyte first character would be cut in half: mask it too. */
	snprintf(out, len, "%c***%s", (unsigned char)in[0] < 0x80 ? in[0] : '*', at);
}

void mask_birth_date(const char *in, char *out, size_t len)
{
	if (strlen(in) < 4) {
		snprintf(out, len, "****");
		return;
	}
	snprintf(out, len, TXT_MASK_YEAR, in);
}
