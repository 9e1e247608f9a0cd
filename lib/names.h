/*
 * The words a user may type for one thing, written as one string
 * "中文名|别名|english": the first is the name shown to users, any of them
 * is accepted (ASCII letters in any case). Command aliases, form labels,
 * import headers and categories are written this way.
 */
#ifndef CQOD_NAMES_H
#define CQOD_NAMES_H

#include <stdbool.h>
#include <stddef.h>

/* Whether the `len` bytes at `word` are one of `names`. */
bool names_has(const char *names, const char *word, size_t len);

/* The length of the first name (the one shown). */
size_t names_first_len(const char *names);

#endif
