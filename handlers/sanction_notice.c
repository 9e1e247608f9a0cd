/* A sanction's notice on issuance; see sanction_notice.h. */
#include "sanction_notice.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../lib/clock.h"
#include "../lib/log.h"
#include "../lib/remind.h"
#include "remind_dest.h"
#include "remind_text.h"
#include "../store/store_outbox.h"
#include "../store/store_remind.h"

#define MAX_DESTS 8
#define MAX_PENDING 32
#define KEY_MAX 640

/* The kind that reaches the enterprise as well as its CQO. */
static const char ADVISE_KIND[] = "建议解聘";

/* Enqueues r under "remind:<rule>:<sanction>:<dest>" to each reachable
 * identity; *first gets the first outbox row (0: nobody reached). */
static int notify(struct store *st, const struct remind_instances *inst,
                  const struct store_remind_identity *ids, size_t n_ids, const char *rule,
                  int64_t sanction_id, const struct reply *r, int64_t *first)
{
	char key[KEY_MAX];
	int rc = 0;

	*first = 0;
	for (size_t i = 0; rc == 0 && i < n_ids; i++) {
		struct dest d;

		if (remind_dest_for(inst, &ids[i], &d) < 0)
			continue;
		snprintf(key, sizeof key, "remind:%s:%lld:%s:%s:%s", rule, (long long)sanction_id,
		         d.platform, d.instance, d.target);
		int64_t id;
		rc = store_outbox_enqueue_id(st, &d, r, key, &id);
		if (rc == -EEXIST || rc == -EINVAL) {
			rc = 0;
			continue;
		}
		if (rc == 0 && !*first)
			*first = id;
	}
	return rc;
}

/* Whether any of the identities can be reached. */
static bool reachable(const struct remind_instances *inst,
                      const struct store_remind_identity *ids, size_t n_ids)
{
	struct dest d;

	for (size_t i = 0; i < n_ids; i++)
		if (remind_dest_for(inst, &ids[i], &d) == 0)
			return true;
	return false;
}

/* The notice to the CQO of the sanction. */
static int notice_cqo(struct store *st, const struct remind_instances *inst, int64_t sanction_id,
                      const struct store_remind_sanction *s,
                      const struct store_remind_record *rec, int64_t day)
{
	struct store_remind_identity ids[MAX_DESTS];
	struct reply r;
	size_t n_ids = 0;
	int64_t outbox_id = 0;
	bool fresh = false;
	int rc = store_remind_person_identities(st, rec->person_id, ids, MAX_DESTS, &n_ids);

	if (rc < 0 || n_ids == 0)
		return rc;
	struct remind_item it = {.rule = REMIND_SANCTION, .record_id = sanction_id,
	                         .person_id = rec->person_id, .appointment_id = s->appointment_id,
	                         .milestone = day};
	rc = store_remind_ledger_claim(st, &it, clock_now(), &fresh);
	if (rc < 0 || !fresh)
		return rc;
	reply_init(&r);
	rc = remind_text_notice(st, sanction_id, &r);
	if (rc == 0)
		rc = notify(st, inst, ids, n_ids, "sanction", sanction_id, &r, &outbox_id);
	if (rc == 0 && outbox_id)
		rc = store_remind_ledger_link(st, &it, outbox_id);
	if (rc == 0 && !outbox_id)
		log_info("reminders: sanction %lld: no chat identity of its CQO can be reached",
		         (long long)sanction_id);
	reply_free(&r);
	return rc;
}

/* The 建议解聘 to the enterprise's contacts. Claimed in the ledger only
 * when a contact can be reached: until then the clerks' digest lists it
 * as 待送达企业. *sent is set when it went out now. */
static int notice_enterprise(struct store *st, const struct remind_instances *inst,
                             int64_t sanction_id, const struct store_remind_sanction *s,
                             const struct store_remind_record *rec, int64_t day, bool *sent)
{
	struct store_remind_identity ids[MAX_DESTS];
	struct reply r;
	size_t n_ids = 0;
	int64_t outbox_id = 0;
	bool fresh = false;
	int rc = store_remind_contact_identities(st, rec->enterprise_id, ids, MAX_DESTS, &n_ids);

	*sent = false;
	if (rc < 0 || !reachable(inst, ids, n_ids))
		return rc;
	/* No person: the CQO's 收到 does not answer for the enterprise. */
	struct remind_item it = {.rule = REMIND_SANCTION_ENTERPRISE, .record_id = sanction_id,
	                         .appointment_id = s->appointment_id, .milestone = day};
	rc = store_remind_ledger_claim(st, &it, clock_now(), &fresh);
	if (rc < 0 || !fresh)
		return rc;
	reply_init(&r);
	rc = remind_text_notice_enterprise(st, sanction_id, &r);
	if (rc == 0)
		rc = notify(st, inst, ids, n_ids, "sanction_enterprise", sanction_id, &r, &outbox_id);
	if (rc == 0 && outbox_id)
		rc = store_remind_ledger_link(st, &it, outbox_id);
	*sent = rc == 0 && outbox_id;
	reply_free(&r);
	return rc;
}

/* Reads the sanction, its record and its issue day. */
static int load(struct store *st, int64_t sanction_id, struct store_remind_sanction *s,
                struct store_remind_record *rec, int64_t *day)
{
	int rc = store_remind_sanction_get(st, sanction_id, s);

	if (rc == 0)
		rc = store_remind_record_get(st, s->appointment_id, rec);
	if (rc == 0 && clock_parse_date(s->issued_on, day) < 0)
		rc = -EINVAL;
	return rc;
}

int sanction_notice_sanction(struct store *st, int64_t sanction_id, const void *cfg)
{
	struct remind_instances inst = {0};
	struct store_remind_sanction s;
	struct store_remind_record rec;
	int64_t day;
	bool sent;
	int rc = load(st, sanction_id, &s, &rec, &day);

	if (rc == 0)
		rc = remind_instances_from_config(cfg, &inst);
	if (rc == 0)
		rc = notice_cqo(st, &inst, sanction_id, &s, &rec, day);
	if (rc == 0 && strcmp(s.kind, ADVISE_KIND) == 0)
		rc = notice_enterprise(st, &inst, sanction_id, &s, &rec, day, &sent);
	remind_instances_free(&inst);
	return rc;
}

int sanction_notice_enterprise(struct store *st, int64_t enterprise_id, const void *cfg,
                               size_t *sent)
{
	struct remind_instances inst = {0};
	int64_t pending[MAX_PENDING];
	size_t n = 0;
	int rc = store_remind_enterprise_pending(st, enterprise_id, pending, MAX_PENDING, &n);

	*sent = 0;
	if (rc < 0 || n == 0)
		return rc;
	rc = remind_instances_from_config(cfg, &inst);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct store_remind_sanction s;
		struct store_remind_record rec;
		int64_t day;
		bool one = false;

		rc = load(st, pending[i], &s, &rec, &day);
		if (rc == 0)
			rc = notice_enterprise(st, &inst, pending[i], &s, &rec, day, &one);
		*sent += one;
	}
	remind_instances_free(&inst);
	return rc;
}
