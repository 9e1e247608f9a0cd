/*
 * JSON string literals written straight into a strbuf, for answers that are
 * printed on the hot path without building a cJSON tree first.
 *
 * The escapes are cJSON's (cJSON_Print): '"' and '\\' and the control bytes
 * below 0x20 (\b \f \n \r \t by name, the others as \u00xx in lower-case
 * hex); every other byte, UTF-8 included, is copied as it is. So a body
 * written here is byte for byte what cJSON would print for the same
 * strings, and a stored answer reads the same either way.
 */
#ifndef CQOD_JSONSTR_H
#define CQOD_JSONSTR_H

#include "strbuf.h"

/* Appends s, quoted and escaped. A failed append marks sb as strbuf does. */
void jsonstr_append(struct strbuf *sb, const char *s);

#endif
