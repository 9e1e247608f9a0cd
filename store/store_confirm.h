/*
 * Pending confirmations: a command that needs "确认 <码>" is stored with a
 * short code for the identity (platform, tenant, user) that typed it, and
 * taken back (once) when the same identity confirms before it expires: the
 * same user id in another tenant is another person. One pending command per
 * person: a new one replaces the old.
 */
#ifndef CQOD_STORE_CONFIRM_H
#define CQOD_STORE_CONFIRM_H

#include <stddef.h>
#include <stdint.h>

struct store;

/* Stores `command` (the text to re-run) under `code` for (platform, tenant, user)
 * until expires_at, replacing what that person had pending; rows expired at
 * `now` are purged on the way. -EEXIST if the code is taken (pick another). */
int store_confirm_put(struct store *st, const char *platform, const char *tenant,
                      const char *user_id,
                      const char *code, const char *command, int64_t now,
                      int64_t expires_at);

/* Takes (deletes and returns in *command, caller frees) the pending command
 * of (platform, tenant, user) with `code`, if it has not expired at `now`.
 * -ENOENT when there is none (wrong code, another person's, expired or used). */
int store_confirm_take(struct store *st, const char *platform, const char *tenant,
                      const char *user_id,
                       const char *code, int64_t now, char **command);

/* Drops what (platform, tenant, user) has pending and not yet expired at `now`;
 * *dropped tells whether there was something (may be NULL). */
int store_confirm_drop(struct store *st, const char *platform, const char *tenant,
                      const char *user_id,
                       int64_t now, int *dropped);

#endif
