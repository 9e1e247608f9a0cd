/*
 * One-time binding codes (绑定码) and the CQO chat identities they create.
 *
 * Filing (备案) or 绑定码 issues a code for a person; only its SHA-256 (hex)
 * is stored, with an expiry, and issuing a new one makes the person's unused
 * codes expire. The CQO redeems a code once (绑定): their (platform, user)
 * identity becomes role 'cqo' bound to the person. 解绑 removes it.
 *
 * Every function runs inside the caller's transaction and writes its audit
 * row there (entity "bind_code" or "identity", entity_id = the person).
 */
#ifndef CQOD_STORE_BIND_H
#define CQOD_STORE_BIND_H

#include <stdint.h>

struct store;
struct store_actor;

/* Stores `code_hash` (64 lowercase hex) for person_id, valid until
 * expires_at, and expires the person's other unused codes at `now`.
 * appointment_id (0 = none) is the record the code was issued for.
 * -EEXIST if the hash is already stored (draw another code). */
int store_bind_issue(struct store *st, const struct store_actor *who, int64_t person_id,
                     int64_t appointment_id, const char *code_hash, int64_t expires_at,
                     int64_t now);

/* Redeems `code_hash` at `now` for the actor's (platform, user_id): the code
 * must exist, be unused and unexpired; it is marked used and the identity
 * becomes cqo of the code's person (*person_id, whose name goes to
 * name[64]). -ENOENT when the code cannot be used, whatever the reason. The
 * caller refuses staff identities. */
int store_bind_redeem(struct store *st, const struct store_actor *who, const char *display_name,
                      const char *code_hash, int64_t now, int64_t *person_id, char name[64]);

/* Removes the actor's cqo identity; -ENOENT if they have none. */
int store_bind_remove(struct store *st, const struct store_actor *who);

#endif
