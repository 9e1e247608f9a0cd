/* Encoding detection and conversion to UTF-8; see textenc.h. */
#include "textenc.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char BOM[] = "\xEF\xBB\xBF";

int textenc_parse(const char *name, enum textenc *out)
{
	static const struct {
		const char *name;
		enum textenc e;
	} names[] = {
		{"auto", TEXTENC_AUTO}, {"utf-8", TEXTENC_UTF8},    {"utf8", TEXTENC_UTF8},
		{"gbk", TEXTENC_GBK},   {"cp936", TEXTENC_GBK},     {"gb18030", TEXTENC_GB18030},
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcasecmp(name, names[i].name) == 0) {
			*out = names[i].e;
			return 0;
		}
	}
	return -EINVAL;
}

const char *textenc_name(enum textenc e)
{
	switch (e) {
	case TEXTENC_UTF8: return "UTF-8";
	case TEXTENC_GBK: return "GBK";
	case TEXTENC_GB18030: return "GB18030";
	default: return "auto";
	}
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	unsigned char lo = 0x80, hi = 0xBF;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4;
	else
		return 0;
	/* The second byte's range excludes overlong forms, surrogates and
	 * code points beyond U+10FFFF. */
	if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F;
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return len;
}

bool textenc_utf8_valid(const char *s, size_t len, size_t *bad_at)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		/* ASCII runs are the bulk of a CSV file: eight bytes at a time. */
		uint64_t w;
		if (len - i >= sizeof w) {
			memcpy(&w, u + i, sizeof w);
			if (!(w & 0x8080808080808080ull)) {
				i += sizeof w;
				continue;
			}
		}
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		size_t k = utf8_seq(u + i, len - i);
		if (k == 0) {
			if (bad_at)
				*bad_at = i;
			return false;
		}
		i += k;
	}
	return true;
}

static bool has_bom(const char *buf, size_t len)
{
	return len >= 3 && memcmp(buf, BOM, 3) == 0;
}

/* textenc_detect; *valid: found valid UTF-8 by reading it all (with a BOM
 * nothing is read). */
static enum textenc detect(const char *buf, size_t len, bool *valid)
{
	*valid = false;
	if (has_bom(buf, len))
		return TEXTENC_UTF8;
	*valid = textenc_utf8_valid(buf, len, NULL);
	return *valid ? TEXTENC_UTF8 : TEXTENC_GB18030;
}

enum textenc textenc_detect(const char *buf, size_t len)
{
	bool valid;

	return detect(buf, len, &valid);
}

bool textenc_is_utf16(const char *buf, size_t len)
{
	return len >= 2 && ((buf[0] == '\xFF' && buf[1] == '\xFE') ||
	                    (buf[0] == '\xFE' && buf[1] == '\xFF'));
}

/* `valid`: the caller has found buf valid already. */
static int copy_utf8(const char *buf, size_t len, bool valid, char **out, size_t *out_len,
                     size_t *bad_at)
{
	size_t skip = has_bom(buf, len) ? 3 : 0;

	if (!valid && !textenc_utf8_valid(buf + skip, len - skip, bad_at)) {
		*bad_at += skip;
		return -EILSEQ;
	}
	*out = malloc(len - skip + 1);
	if (!*out)
		return -ENOMEM;
	memcpy(*out, buf + skip, len - skip);
	(*out)[len - skip] = '\0';
	*out_len = len - skip;
	return 0;
}

/* iconv into a buffer that grows as needed. */
static int convert(const char *from, const char *buf, size_t len, char **out, size_t *out_len,
                   size_t *bad_at)
{
	iconv_t cd = iconv_open("UTF-8", from);
	if (cd == (iconv_t)-1)
		return -errno;
	/* Two GB bytes become at most three UTF-8 bytes, four stay four. */
	size_t cap = len + len / 2 + 16, used = 0;
	char *dst = malloc(cap);
	char *in = (char *)buf;   /* iconv's prototype is not const-correct */
	size_t left = len;
	int rc = dst ? 0 : -ENOMEM;

	while (rc == 0 && left > 0) {
		char *o = dst + used;
		size_t room = cap - used - 1, before = room;
		size_t n = iconv(cd, &in, &left, &o, &room);
		int err = errno;

		used += before - room;
		if (n != (size_t)-1)
			continue;
		if (err == E2BIG) {
			char *bigger = realloc(dst, cap * 2);
			if (!bigger)
				rc = -ENOMEM;
			else {
				dst = bigger;
				cap *= 2;
			}
		} else {
			/* EILSEQ, or EINVAL for a sequence cut off at the end. */
			*bad_at = (size_t)(in - buf);
			rc = -EILSEQ;
		}
	}
	iconv_close(cd);
	if (rc < 0) {
		free(dst);
		return rc;
	}
	dst[used] = '\0';
	*out = dst;
	*out_len = used;
	return 0;
}

int textenc_to_utf8(enum textenc enc, const char *buf, size_t len, char **out, size_t *out_len,
                    enum textenc *used, size_t *bad_at)
{
	size_t bad = 0;
	bool valid = false;
	int rc;

	*out = NULL;
	*out_len = 0;
	/* Keeping what detection found: a file read as UTF-8 because it is
	 * valid is not checked twice. */
	if (enc == TEXTENC_AUTO)
		enc = detect(buf, len, &valid);
	if (used)
		*used = enc;
	if (enc == TEXTENC_UTF8)
		rc = copy_utf8(buf, len, valid, out, out_len, &bad);
	else
		rc = convert(enc == TEXTENC_GBK ? "GBK" : "GB18030", buf, len, out, out_len, &bad);
	if (rc == -EILSEQ && bad_at)
		*bad_at = bad;
	return rc;
}
