/*
 * The audit trail. Every change to the registry writes one audit_log row in
 * the same transaction as the change: who (platform, tenant, user, chat), which
 * command, which entity, and JSON snapshots before and after. Rows are never
 * updated or deleted (triggers in the schema refuse it).
 *
 * Full (unmasked) displays of a personal record are logged in access_log,
 * in the transaction of the command that showed them: the display and its
 * log row commit together (the batch's one commit pays the disk flush).
 */
#ifndef CQOD_STORE_AUDIT_H
#define CQOD_STORE_AUDIT_H

#include <stddef.h>
#include <stdint.h>

struct store;

/* Borrowed strings, valid for the call. A chat actor is the identity
 * (platform, tenant, user_id) (store.h); tools leave tenant NULL. */
struct store_actor {
	const char *platform;
	const char *user_id;
	const char *chat_id;
	const char *command;
	const char *tenant;
};

/* Appends an audit row about `entity` #entity_id ("appointment", "training",
 * "sanction", "identity", ...), which belongs to registry record (appointment)
 * record_id (0 when none); before/after are JSON texts or NULL (created /
 * deleted). Call inside the transaction that makes the change. */
int store_audit_add(struct store *st, const struct store_actor *who, const char *entity,
                    int64_t entity_id, int64_t record_id, const char *before_json,
                    const char *after_json);

/* Runs `sql` (a static statement taking one integer parameter and returning
 * one text column, typically SELECT json_object(...) FROM t WHERE id = ?)
 * and returns the text in *out (caller frees), or *out = NULL when there is
 * no row. Used to take before/after snapshots for the audit log. */
int store_snapshot_json(struct store *st, const char *sql, int64_t id, char **out);

/* One audit row as listed by 审计. */
struct store_audit_row {
	int64_t id;
	int64_t at;
	char actor_platform[16];
	char actor_tenant[129];
	char actor_user[128];
	char chat_id[128];
	char command[32];
	char entity[24];
	int64_t entity_id;
	char before_json[1024];   /* truncated at a UTF-8 boundary if longer */
	char after_json[1024];
};

/* The history of registry record (appointment) `id`: every audit row whose
 * record_id is id, newest first, from `offset`; up to max rows into out;
 * *total counts them all. */
int store_audit_list(struct store *st, int64_t appointment_id, size_t offset,
                     struct store_audit_row *out, size_t max, size_t *n, size_t *total);

/* Writes one "who viewed whose full record" row. Call inside the
 * transaction of the command that shows the record. */
int store_access_log_add(struct store *st, const struct store_actor *who, int64_t person_id,
                         int64_t appointment_id, int64_t at);

#endif
