/* A sanction's notice on issuance; see sanction_notice.h. */
#include "sanction_notice.h"

#include <errno.h>
#include <stdio.h>

#include "../lib/clock.h"
#include "../lib/log.h"
#include "../lib/remind.h"
#include "remind_dest.h"
#include "remind_text.h"
#include "../store/store_outbox.h"
#include "../store/store_remind.h"

#define MAX_DESTS 8
#define KEY_MAX 640

/* Enqueues the notice to each reachable identity of the CQO; *first gets
 * the first outbox row. */
static int notify(struct store *st, const struct remind_instances *inst,
                  const struct store_remind_identity *ids, size_t n_ids, int64_t sanction_id,
                  const struct reply *r, int64_t *first)
{
	char key[KEY_MAX];
	int rc = 0;

	*first = 0;
	for (size_t i = 0; rc == 0 && i < n_ids; i++) {
		struct dest d;

		if (remind_dest_for(inst, &ids[i], &d) < 0)
			continue;
		snprintf(key, sizeof key, "remind:sanction:%lld:%s:%s:%s", (long long)sanction_id,
		         d.platform, d.instance, d.target);
		rc = store_outbox_enqueue(st, &d, r, key, 0, 0);
		if (rc == -EEXIST || rc == -EINVAL) {
			rc = 0;
			continue;
		}
		if (rc == 0 && !*first)
			rc = store_remind_outbox_id(st, key, first);
	}
	return rc;
}

int sanction_notice_sanction(struct store *st, int64_t sanction_id, const void *cfg)
{
	struct store_remind_identity ids[MAX_DESTS];
	struct remind_instances inst = {0};
	struct store_remind_sanction s;
	struct store_remind_record rec;
	struct reply r;
	size_t n_ids = 0;
	int64_t outbox_id = 0, day;
	bool fresh = false;
	int rc = store_remind_sanction_get(st, sanction_id, &s);

	if (rc == 0)
		rc = store_remind_record_get(st, s.appointment_id, &rec);
	if (rc == 0)
		rc = store_remind_person_identities(st, rec.person_id, ids, MAX_DESTS, &n_ids);
	if (rc < 0 || n_ids == 0)
		return rc;
	if (clock_parse_date(s.issued_on, &day) < 0)
		return -EINVAL;
	struct remind_item it = {.rule = REMIND_SANCTION, .record_id = sanction_id,
	                         .person_id = rec.person_id, .appointment_id = s.appointment_id,
	                         .milestone = day};
	rc = store_remind_ledger_claim(st, &it, clock_now(), &fresh);
	if (rc < 0 || !fresh)
		return rc;
	rc = remind_instances_from_config(cfg, &inst);
	reply_init(&r);
	if (rc == 0)
		rc = remind_text_notice(st, sanction_id, &r);
	if (rc == 0)
		rc = notify(st, &inst, ids, n_ids, sanction_id, &r, &outbox_id);
	if (rc == 0 && outbox_id)
		rc = store_remind_ledger_link(st, &it, outbox_id);
	if (rc == 0 && !outbox_id)
		log_info("reminders: sanction %lld: no chat identity of its CQO can be reached",
		         (long long)sanction_id);
	reply_free(&r);
	remind_instances_free(&inst);
	return rc;
}
