/*
 * Text encodings of files people bring from spreadsheets: UTF-8 (with or
 * without the byte-order mark Excel writes for "CSV UTF-8") and the Chinese
 * GBK / GB18030, which Excel in China writes for plain "CSV". Conversion
 * uses glibc's iconv(3); no other library.
 *
 * Detection: a file that is valid UTF-8 (or starts with the UTF-8 BOM) is
 * UTF-8; anything else is taken as GB18030, the superset of GBK.
 */
#ifndef CQOD_TEXTENC_H
#define CQOD_TEXTENC_H

#include <stdbool.h>
#include <stddef.h>

enum textenc {
	TEXTENC_AUTO = 0,
	TEXTENC_UTF8,
	TEXTENC_GBK,
	TEXTENC_GB18030,
};

/* "auto", "utf-8"/"utf8", "gbk"/"cp936", "gb18030" (any case); 0 or -EINVAL. */
int textenc_parse(const char *name, enum textenc *out);
/* "UTF-8", "GBK", "GB18030" ("auto" for TEXTENC_AUTO). */
const char *textenc_name(enum textenc e);

/* Strict UTF-8: no overlong forms, surrogates or code points past U+10FFFF.
 * On false, *bad_at (may be NULL) gets the offset of the first bad byte. */
bool textenc_utf8_valid(const char *s, size_t len, size_t *bad_at);

/* The encoding of buf by the rule above (never TEXTENC_AUTO). */
enum textenc textenc_detect(const char *buf, size_t len);

/* true when buf starts with a UTF-16 byte-order mark (Excel's "Unicode
 * text"), which this module does not read. */
bool textenc_is_utf16(const char *buf, size_t len);

/* Converts buf from `enc` (TEXTENC_AUTO: detected) to UTF-8 without a BOM
 * into *out (malloc'd, NUL-terminated, *out_len bytes before the NUL; the
 * caller frees). *used (may be NULL) gets the encoding read. -EILSEQ when
 * the bytes are not valid in that encoding: *bad_at gets the offset of the
 * first bad byte in buf. -ENOMEM. */
int textenc_to_utf8(enum textenc enc, const char *buf, size_t len, char **out, size_t *out_len,
                    enum textenc *used, size_t *bad_at);

#endif
