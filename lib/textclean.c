/* Display names made safe for one line; see textclean.h. */
#include "textclean.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* Decodes the UTF-8 character at s (strict: no overlong forms, surrogates
 * or code points past U+10FFFF). Returns its length and sets *cp, or 0 for
 * a byte that starts no character. */
static size_t decode(const unsigned char *s, uint32_t *cp)
{
	size_t n;
	uint32_t v;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		v = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		v = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		v = s[0] & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10ffff)) ||
	    (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

static bool breaks_line(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029 ||
	       cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

size_t textclean_line(char *dst, size_t cap, const char *src)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t o = 0;

	while (*s) {
		uint32_t cp;
		size_t n = decode(s, &cp);

		if (n == 0) {
			s++;
			continue;
		}
		if (!breaks_line(cp)) {
			if (o + n >= cap)
				break;
			memcpy(dst + o, s, n);
			o += n;
		}
		s += n;
	}
	dst[o] = '\0';
	return o;
}
