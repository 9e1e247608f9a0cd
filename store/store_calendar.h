/*
 * The holiday calendar table: official holidays and make-up working days
 * in the format of data/cn-workcalendar.csv (date,kind,name).
 */
#ifndef CQOD_STORE_CALENDAR_H
#define CQOD_STORE_CALENDAR_H

#include "store_import.h"

struct store;

/* Creates or updates the entry of `date` (YYYY-MM-DD) with `kind`
 * ("holiday" or "workday") and `name` (NULL or "" for none), inside the
 * caller's transaction; a day that stays the same is not written.
 * *change says what happened. -EINVAL when the schema refuses a value. */
int store_calendar_put(struct store *st, const char *date, const char *kind, const char *name,
                       enum store_import_change *change);

#endif
