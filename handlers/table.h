/*
 * The command table: every handler_entry cqod knows, in help order.
 * Lookup is exact on the name or any alias (ASCII aliases case-insensitive).
 */
#ifndef CQOD_TABLE_H
#define CQOD_TABLE_H

#include <stddef.h>

#include "handler.h"

/* The entries, each defined in its family's file (help.c, whoami.c, query.c). */
extern const struct handler_entry handler_help, handler_whoami, handler_query;

/* NULL-terminated. */
extern const struct handler_entry *const handler_table[];

/* The entry whose name or alias is `word`; NULL if none. */
const struct handler_entry *handler_find(const char *word);

/* Up to `max` entries nearest to `word` (edit distance over Unicode code
 * points against names and aliases, closest first), only those `roles`
 * allows; returns how many were written to out. Nothing farther than a
 * sensible threshold is suggested. */
size_t handler_suggest(const char *word, unsigned roles,
                       const struct handler_entry **out, size_t max);

#endif
