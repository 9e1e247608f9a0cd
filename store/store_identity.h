/*
 * Managing chat identities: 授权, 撤销授权 (and cqoctl grant, revoke) and
 * the 角色 list. Keys, reading one identity and the unaudited
 * store_identity_set are declared in store.h.
 *
 * Every change runs atomically (a savepoint of the caller's transaction)
 * together with its "identity" audit row (before/after JSON: platform,
 * tenant, user_id, role, scope_region, alliance_id, person_id,
 * enterprise_id; entity id: the person for a cqo, else 0). A cqo
 * identity's audit row also names the person's newest appointment as its
 * record, so 审计 of that record shows the binding. Contacts (企业联系人)
 * are bound by code only (store_bind.h), never granted.
 */
#ifndef CQOD_STORE_IDENTITY_H
#define CQOD_STORE_IDENTITY_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct store_actor;

/* Makes the identity of key hold `id` (created or replaced; a stored display
 * name is kept). -EPERM when the target is the last admin and `id` is not
 * admin; -EINVAL when the role's scope, alliance or person does not exist. */
int store_identity_grant(struct store *st, const struct store_actor *who,
                         const struct store_identity_key *key, const struct store_identity *id);

/* Deletes the identity of key, making it a guest. -ENOENT if there is
 * none, -EPERM if it is the last admin. */
int store_identity_revoke(struct store *st, const struct store_actor *who,
                          const struct store_identity_key *key);

/* The identity of key as the JSON its audit rows show, in *out (caller
 * frees; NULL when there is none). For store functions that change an
 * identity and audit it themselves (store_bind.c). */
int store_identity_json(struct store *st, const struct store_identity_key *key, char **out);

/* Number of admin identities, on every platform. */
int store_identity_count_admins(struct store *st, int *out);

/* One line of the 角色 list. */
struct store_identity_row {
	char platform[16];
	char user_id[128];
	char display_name[64];
	struct store_identity id;  /* with tenant ("" pending) and instance */
	char scope_name[96];       /* clerk: region name; "" if unknown */
	char alliance_name[128];   /* organizer */
	char person_name[64];      /* cqo */
	int64_t appointment_id;    /* cqo: the person's newest appointment, else 0 */
	char enterprise_name[192]; /* contact */
	char enterprise_credit[19];
};

/* Identities, admins first, then clerks, organizers, cqos and contacts, each by
 * platform and user id. `role` "" lists every role, else only that one;
 * `scope` "" applies no filter, else only identities whose scope lies within
 * it. Up to max rows from `offset` into out; *total counts every match. */
int store_identity_list(struct store *st, const char *role, const char *scope, size_t offset,
                        struct store_identity_row *out, size_t max, size_t *n, size_t *total);

#endif
