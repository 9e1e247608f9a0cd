/*
 * A sanction's notice to its CQO, sent on issuance: enqueued in the
 * transaction that stores the sanction (the on_issued hook of
 * store_sanction_issue), with its ledger row (rule "sanction", the
 * sanction, its issue date), so the notice goes exactly when the sanction
 * exists. Sanctions cannot be muted. A CQO no chat identity reaches gets
 * nothing now; the clerks' digest lists the sanction as unacknowledged
 * from the next working day.
 */
#ifndef CQOD_SANCTION_NOTICE_H
#define CQOD_SANCTION_NOTICE_H

#include <stdint.h>

struct store;

/* cfg: the const struct config * whose instances reach the CQO. Returns 0
 * (also when nobody could be reached) or a negative error, which rolls the
 * sanction back. */
int sanction_notice_sanction(struct store *st, int64_t sanction_id, const void *cfg);

#endif
