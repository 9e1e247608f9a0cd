/*
 * Names taken from messages (a sender's display name) are shown inside one
 * line of a reply (我是谁, 角色) and of cqoctl's output. Characters that
 * break or rearrange a line must not survive the trip: a newline in a
 * display name would forge a row of 角色, a right-to-left override would
 * turn one, an escape sequence would drive the administrator's terminal.
 */
#ifndef CQOD_TEXTCLEAN_H
#define CQOD_TEXTCLEAN_H

#include <stddef.h>

/* Copies src into dst (cap bytes, NUL included; cap >= 1) leaving out every
 * C0 control (tab and newline included), DEL, every C1 control, the line
 * and paragraph separators U+2028 and U+2029, the bidirectional marks,
 * embeddings, overrides and isolates (U+061C, U+200E, U+200F, U+202A to
 * U+202E, U+2066 to U+2069), and bytes that are not UTF-8. What does not fit
 * is cut at a character boundary. Returns the length written. */
size_t textclean_line(char *dst, size_t cap, const char *src);

#endif
