/*
 * Small helpers for command arguments beyond the tokenizer: numbers that
 * name a row (记录号, 处理号), free text spread over several arguments (a
 * 事由 with spaces), and lengths counted in characters as users count them.
 */
#ifndef CQOD_ARGTEXT_H
#define CQOD_ARGTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "args.h"

/* A positive whole number of at most 18 digits (a row id) into *out. */
bool argtext_id(const char *s, int64_t *out);

/* argv[from..argc) joined by single spaces, in a fresh heap string the
 * caller frees ("" when from >= argc); NULL on ENOMEM. */
char *argtext_join(const struct args *a, int from);

/* Characters (Unicode code points) in UTF-8 text. */
size_t argtext_chars(const char *s);

/* The placeholder typed for a skipped optional argument: "-", "—" or "无". */
bool argtext_skipped(const char *s);

#endif
