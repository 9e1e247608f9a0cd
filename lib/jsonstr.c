/* JSON string literals; see jsonstr.h. */
#include "jsonstr.h"

#include <stdio.h>

void jsonstr_append(struct strbuf *sb, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;

	strbuf_append(sb, "\"", 1);
	for (; *p; p++) {
		const char *named = NULL;
		char hex[7];

		if (*p >= 0x20 && *p != '"' && *p != '\\')
			continue;
		/* Bytes that need no escape go out as one run. */
		strbuf_append(sb, (const char *)run, (size_t)(p - run));
		switch (*p) {
		case '"': named = "\\\""; break;
		case '\\': named = "\\\\"; break;
		case '\b': named = "\\b"; break;
		case '\f': named = "\\f"; break;
		case '\n': named = "\\n"; break;
		case '\r': named = "\\r"; break;
		case '\t': named = "\\t"; break;
		default:
			snprintf(hex, sizeof hex, "\\u%04x", *p);
			named = hex;
		}
		strbuf_appends(sb, named);
		run = p + 1;
	}
	strbuf_append(sb, (const char *)run, (size_t)(p - run));
	strbuf_append(sb, "\"", 1);
}
