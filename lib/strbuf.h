/*
 * A growable NUL-terminated byte buffer. Appends that fail for lack of memory
 * set `failed` and are ignored afterwards, so a sequence of appends needs one
 * check at the end (strbuf_detach returns NULL then).
 *
 * Ownership: the strbuf owns buf until strbuf_detach hands it to the caller;
 * strbuf_free releases it.
 */
#ifndef CQOD_STRBUF_H
#define CQOD_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len, cap;
	bool failed;
};

void strbuf_init(struct strbuf *sb);
void strbuf_free(struct strbuf *sb);
void strbuf_append(struct strbuf *sb, const char *data, size_t len);
void strbuf_appends(struct strbuf *sb, const char *s);
void strbuf_appendf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Returns the string (caller frees) or NULL if any append failed; resets sb. */
char *strbuf_detach(struct strbuf *sb);

#endif
