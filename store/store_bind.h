/*
 * One-time binding codes (绑定码) and the chat identities they create.
 *
 * Filing (备案) or 绑定码 issues a code for a person, 绑定码 企业 one for an
 * enterprise; only its SHA-256 (hex) is stored, with an expiry, and issuing
 * a new one makes the person's (the enterprise's) unused codes expire. A
 * code is redeemed once (绑定): the (platform, user) identity becomes role
 * 'cqo' bound to the person, or 'contact' (企业联系人) of the enterprise.
 * 解绑 removes either.
 *
 * Every function runs inside the caller's transaction and writes its audit
 * row there (entity "bind_code" or "identity", entity_id = the person; for
 * an enterprise's code or contact, entity "enterprise_bind_code" or
 * "identity" with entity_id = the enterprise).
 *
 * Refused codes are counted per identity (platform, tenant, user) and in
 * all, for the rate limits the 绑定 handler applies (handlers/bind.c): a
 * lock per identity and a pause for everyone, each until a time.
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

/* Stores `code_hash` for enterprise_id's contact, as store_bind_issue does
 * for a person: the enterprise's other unused codes expire at `now`. */
int store_bind_issue_enterprise(struct store *st, const struct store_actor *who,
                                int64_t enterprise_id, const char *code_hash,
                                int64_t expires_at, int64_t now);

/* An enterprise a contact code is issued for or a contact belongs to. */
struct store_bind_enterprise {
	int64_t id;
	char name[192];
	char credit_code[19];
	char region_code[16];
};

/* The enterprise `id`, or when id is 0 the one registered under
 * `credit_code`, into *out; -ENOENT if there is none. */
int store_bind_enterprise_get(struct store *st, int64_t id, const char *credit_code,
                              struct store_bind_enterprise *out);

/* What a redeemed code bound: a person (cqo) or an enterprise (contact). */
struct store_bind_redeemed {
	int64_t person_id;       /* 0 for an enterprise's code */
	int64_t enterprise_id;   /* 0 for a person's code */
	char name[192];          /* the person's or the enterprise's name */
};

/* Redeems `code_hash` at `now` for the actor's identity (platform, tenant,
 * user_id; its pending row on `instance`, store.h): the code must exist, be
 * unused and unexpired; it is marked used and the identity becomes cqo of
 * the code's person, or contact of the code's enterprise (*out), reached
 * through `instance`. -ENOENT when the code cannot be used, whatever the
 * reason. The caller refuses staff identities. */
int store_bind_redeem(struct store *st, const struct store_actor *who, const char *instance,
                      const char *display_name, const char *code_hash, int64_t now,
                      struct store_bind_redeemed *out);

/* Removes the actor's cqo or contact identity (as store_bind_redeem finds
 * it); -ENOENT if they have none. */
int store_bind_remove(struct store *st, const struct store_actor *who, const char *instance);

/* Until when the actor's identity may not try a code (*locked_until) and
 * nobody may (*paused_until), each 0 when that is not so at `now`. */
int store_bind_gate(struct store *st, const struct store_actor *who, int64_t now,
                    int64_t *locked_until, int64_t *paused_until);

/* Records a refused code of the actor's identity at `now`, forgetting
 * failures older than total_window_s; *recent gets the identity's failures
 * within the last window_s seconds and *total everyone's within the last
 * total_window_s, this one included in both. */
int store_bind_fail(struct store *st, const struct store_actor *who, int64_t now,
                    int64_t window_s, int64_t total_window_s, int *recent, int *total);

/* Locks the actor's identity out of 绑定 until `until`. */
int store_bind_lock(struct store *st, const struct store_actor *who, int64_t until);

/* Pauses 绑定 for everyone from `now` until `until`, after `failures`. */
int store_bind_pause(struct store *st, int64_t now, int64_t until, int failures);

#endif
