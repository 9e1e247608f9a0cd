/*
 * Commands that act on one registry record (培训, 约谈, 荣誉 ...) name it by
 * its 记录号. Staff may act on a record inside their reach only: an admin on
 * any, a clerk on those whose enterprise lies in their region scope. A record
 * out of reach gets exactly the answer of a missing one, so the reply never
 * tells whether it exists.
 */
#ifndef CQOD_RECORD_REF_H
#define CQOD_RECORD_REF_H

#include <stdbool.h>
#include <stdint.h>

#include "../store/store.h"
#include "handler.h"

/* Reads the 记录号 argument into *id; false after adding the reason line
 * (the handler then returns HANDLER_USAGE). */
bool record_ref_parse(struct cmd_ctx *ctx, const char *arg, int64_t *id);

/* Loads record `id` (typed as `typed`) with this year's hours into *rec.
 * 0 when the asker may act on it; -ENOENT after replying "not found" (also
 * for a record out of the asker's reach); other negatives on store failure. */
int record_ref_load(struct cmd_ctx *ctx, int64_t id, const char *typed,
                    struct store_cqo_record *rec);

/* true when the record is in force; otherwise replies that `command`
 * cannot be done on a record in its status, and returns false. */
bool record_ref_active(struct cmd_ctx *ctx, const struct store_cqo_record *rec,
                       const char *command);

/* Display name of an appointment status (在任, 已除名, ...); a record
 * removed by a 黑名单 (`blacklisted`) reads 已列入黑名单. */
const char *record_ref_status(const char *status, bool blacklisted);

#endif
