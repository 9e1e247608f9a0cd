/*
 * Dynamic management (动态管理): sanctions on a registry record — 约谈,
 * 警示, 除名, 黑名单, 建议解聘 — and their revocation. 除名 and 黑名单 take
 * the CQO out of the talent pool: an active appointment becomes 'removed'
 * in the same transaction. Revoking the last open removal of a record puts
 * it back in force, unless the enterprise has filed a successor since.
 */
#ifndef CQOD_STORE_SANCTION_H
#define CQOD_STORE_SANCTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct store_actor;

/* A sanction to issue; strings borrowed for the call. */
struct store_sanction_new {
	int64_t appointment_id;
	const char *kind;        /* 约谈, 警示, 除名, 黑名单, 建议解聘 */
	const char *ground;      /* 违法违规, 知情不报, ..., 其他 (the schema's list) */
	const char *reason;      /* details after the ground; may be NULL or "" */
	const char *issued_on;   /* YYYY-MM-DD */
	int64_t scheduled_at;    /* 约谈: unix seconds; else 0 */
	const char *place;       /* 约谈: where; else NULL */
	const char *rectify_by;  /* 整改期限 YYYY-MM-DD (reminded the day before); NULL: none */
	int64_t now;             /* unix seconds: created_at */
	/* Runs inside the transaction once the sanction is stored, e.g. to
	 * enqueue its notice (sanction_notice_sanction); an error rolls it all
	 * back. NULL: nothing (imports). */
	int (*on_issued)(struct store *st, int64_t id, const void *arg);
	const void *on_issued_arg;
};

/* Inserts the sanction with its audit rows (entity "sanction", and
 * "appointment" when the status changes; record_id = the appointment) in
 * one transaction. For 除名 and 黑名单 an active appointment becomes
 * 'removed' (ended_on = issued_on); *removed (may be NULL) says whether it
 * did. *id gets the 处理号. -ENOENT: no such appointment; -EINVAL: a value
 * breaks a schema check. */
int store_sanction_issue(struct store *st, const struct store_actor *who,
                         const struct store_sanction_new *s, int64_t *id, bool *removed);

struct store_sanction {
	int64_t id;
	int64_t appointment_id;
	char kind[16];
	char ground[32];
	char reason[324];        /* room for 80 characters of any width */
	char issued_on[11];
	int64_t scheduled_at;    /* 0 when none */
	char place[260];         /* room for 64 characters */
	char status[12];         /* open, closed, revoked */
};

/* One sanction by 处理号; -ENOENT if none. */
int store_sanction_get(struct store *st, int64_t id, struct store_sanction *out);

/* Open sanctions of an appointment, newest first: up to max into out, *n
 * written, *total all of them. */
int store_sanction_list_open(struct store *st, int64_t appointment_id,
                             struct store_sanction *out, size_t max, size_t *n, size_t *total);

/* What revoking did to the record beside the sanction itself. */
enum store_revoke_effect {
	STORE_REVOKE_PLAIN = 0,       /* not a removal, or the record was not 'removed' */
	STORE_REVOKE_RESTORED,        /* the record is active again */
	STORE_REVOKE_OTHER_REMOVAL,   /* another open 除名/黑名单 keeps it removed */
	STORE_REVOKE_SUCCESSOR,       /* the enterprise has another active CQO now */
};

/* Marks sanction `id` revoked (revoked_by = "platform:user", revoked_at =
 * now, the optional note), restoring a removed appointment when this was
 * its last open 除名/黑名单; audit rows in the same transaction. -ENOENT:
 * no such sanction; -EALREADY: already revoked. *out (may be NULL) gets the
 * sanction as it was before. */
int store_sanction_revoke(struct store *st, const struct store_actor *who, int64_t id,
                          const char *note, int64_t now, struct store_sanction *out,
                          enum store_revoke_effect *effect);

#endif
