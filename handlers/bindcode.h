/*
 * Binding codes as people see them: 8 characters from an alphabet without
 * look-alikes (no 0/O, 1/I), easy to read out and type. Only the SHA-256 of
 * the normalized code is stored (daemon/store_bind.h).
 */
#ifndef CQOD_BINDCODE_H
#define CQOD_BINDCODE_H

#include <stddef.h>
#include <stdint.h>

#define BINDCODE_LEN 8
#define BINDCODE_HASH_LEN 64
#define BINDCODE_EXPIRES_LEN 17   /* "YYYY-MM-DD HH:MM" */

struct store;
struct store_actor;

/* Draws a random code into code[9] and its hash into hash[65]. 0 or -EIO. */
int bindcode_new(char code[BINDCODE_LEN + 1], char hash[BINDCODE_HASH_LEN + 1]);

/* Normalizes a typed code (case-insensitive; spaces and hyphens ignored)
 * and hashes it into hash[65]. -EINVAL when it cannot be a code at all,
 * -EIO if hashing fails. */
int bindcode_hash(const char *typed, char hash[BINDCODE_HASH_LEN + 1]);

/* Issues a fresh code for person_id (filed as record appointment_id),
 * valid for `days` days from `now`, inside the caller's transaction; the
 * person's unused codes expire. The code goes to code[9] and its expiry, in
 * China Standard Time, to expires[17] for the reply. 0 or a negative errno. */
int bindcode_issue(struct store *st, const struct store_actor *who, int64_t person_id,
                   int64_t appointment_id, int days, int64_t now,
                   char code[BINDCODE_LEN + 1], char expires[BINDCODE_EXPIRES_LEN]);

/* The same for the contact (企业联系人) of enterprise_id: its unused codes
 * expire. */
int bindcode_issue_enterprise(struct store *st, const struct store_actor *who,
                              int64_t enterprise_id, int days, int64_t now,
                              char code[BINDCODE_LEN + 1], char expires[BINDCODE_EXPIRES_LEN]);

#endif
