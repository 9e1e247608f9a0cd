/*
 * A sanction's notice to its CQO, sent on issuance: enqueued in the
 * transaction that stores the sanction (the on_issued hook of
 * store_sanction_issue), with its ledger row (rule "sanction", the
 * sanction, its issue date), so the notice goes exactly when the sanction
 * exists. Sanctions cannot be muted. A CQO no chat identity reaches gets
 * nothing now; the clerks' digest lists the sanction as unacknowledged
 * from the next working day.
 *
 * A 建议解聘 also goes to the enterprise: to its contacts (企业联系人),
 * worded to the enterprise, under the ledger rule "sanction_enterprise".
 * While no contact can be reached it is not claimed, and the clerks'
 * digest lists it as 待送达企业; the first contact to bind is sent it
 * (sanction_notice_enterprise).
 */
#ifndef CQOD_SANCTION_NOTICE_H
#define CQOD_SANCTION_NOTICE_H

#include <stddef.h>
#include <stdint.h>

struct store;

/* cfg: the const struct config * whose instances reach the CQO. Returns 0
 * (also when nobody could be reached) or a negative error, which rolls the
 * sanction back. */
int sanction_notice_sanction(struct store *st, int64_t sanction_id, const void *cfg);

/* Sends enterprise_id's open 建议解聘 that its contacts were not sent yet
 * (after a contact bound); *sent counts those that went out. 0 or a
 * negative error. */
int sanction_notice_enterprise(struct store *st, int64_t enterprise_id, const void *cfg,
                               size_t *sent);

#endif
