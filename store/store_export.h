/*
 * Reading the registry out for cqoctl export, a row at a time: each row
 * comes as named text values, named by the keys of handlers/import_row.c
 * (name, credit_code, start_date ...) so that what is exported imports
 * again. NULL values are NULL pointers; numbers come as SQLite prints them.
 * Rows are in a stable order (by record, enterprise, training or sanction
 * number), so the same registry always gives the same file.
 */
#ifndef CQOD_STORE_EXPORT_H
#define CQOD_STORE_EXPORT_H

#include <stddef.h>
#include <stdint.h>

struct store;

enum store_export_what {
	STORE_EXPORT_ENTERPRISES = 0,
	STORE_EXPORT_REGISTRY,      /* one row per appointment, with person and enterprise */
	STORE_EXPORT_TRAININGS,
	STORE_EXPORT_SANCTIONS,
	STORE_EXPORT_SIGNUPS,       /* event sign-ups with person and event */
};

/* Called once per row; keys and values (n of each) are valid for the call
 * only. A non-zero return stops the export and is returned by it. */
typedef int (*store_export_fn)(void *arg, size_t n, const char *const *keys,
                               const char *const *values);

/* Rows of `what` whose enterprise lies within `scope` (a region-code
 * prefix, "" = everywhere; not used for sign-ups), or of event `event_id`
 * for sign-ups (0 = every event). -EINVAL for a bad scope. */
int store_export(struct store *st, enum store_export_what what, const char *scope,
                 int64_t event_id, store_export_fn fn, void *arg);

#endif
