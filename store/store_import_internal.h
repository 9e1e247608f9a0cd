/*
 * Shared by store/store_import*.c only: updating a row only when it
 * changes, the enterprise upsert that CQO rows reuse, and finding a CQO by
 * enterprise and name.
 */
#ifndef CQOD_STORE_IMPORT_INTERNAL_H
#define CQOD_STORE_IMPORT_INTERNAL_H

#include "../lib/crypto.h"
#include "store_import.h"
#include "store_internal.h"

/* Snapshots keyed as in store_appoint.c, so 审计 compares like with like;
 * P is "" or a table alias with its dot. */
#define ENTERPRISE_JSON(P) \
	"json_object('id', " P "id, 'credit_code', " P "credit_code, 'name', " P "name," \
	" 'region_code', " P "region_code, 'industry_code', " P "industry_code, 'size', " P "size," \
	" 'nature', " P "nature, 'employees', " P "employees, 'main_products', " P "main_products," \
	" 'contact_name', " P "contact_name, 'contact_phone', " P "contact_phone)"
#define PERSON_JSON(P) \
	"json_object('id', " P "id, 'name', " P "name, 'gender', " P "gender," \
	" 'birth_date', " P "birth_date, 'education', " P "education, 'major', " P "major," \
	" 'quality_years', " P "quality_years, 'position', " P "position, 'title', " P "title," \
	" 'phone', " P "phone, 'email', " P "email, 'resume', " P "resume)"
#define APPOINT_JSON(P) \
	"json_object('id', " P "id, 'enterprise_id', " P "enterprise_id," \
	" 'person_id', " P "person_id, 'doc_no', " P "doc_no, 'start_date', " P "start_date," \
	" 'term_end', " P "term_end, 'status', " P "status, 'ended_on', " P "ended_on," \
	" 'end_reason', " P "end_reason, 'predecessor_id', " P "predecessor_id," \
	" 'eligibility_warnings', " P "eligibility_warnings, 'remarks', " P "remarks)"

/* A new record's values from the row's (SQL expressions given as strings:
 * parameters or columns): its term end is the one given or the term from
 * its start; it is active unless a status is given; a record not in force
 * ends on the date given, else on its term end, and keeps its reason. */
#define IMPORT_TERM_NEW(start, end, term) "coalesce(" end ", date(" start ", " term ", '-1 day'))"
#define IMPORT_STATUS_NEW(status) "coalesce(" status ", 'active')"
#define IMPORT_ENDED_NEW(start, end, term, status, ended) \
	"CASE WHEN " IMPORT_STATUS_NEW(status) " = 'active' THEN NULL" \
	" ELSE coalesce(" ended ", " IMPORT_TERM_NEW(start, end, term) ") END"
#define IMPORT_REASON_NEW(status, reason) \
	"CASE WHEN " IMPORT_STATUS_NEW(status) " = 'active' THEN NULL ELSE " reason " END"

/* An enterprise's snapshot in its audit rows lists its categories: the
 * object's closing "}" gives way to ,"tags":["规上","链主"] and, for an
 * annual list, ,"tags_year":2025, then "}". Writes that text into buf
 * (IMPORT_TAGS_SUFFIX_MAX holds any) and returns its length. */
#define IMPORT_TAGS_SUFFIX_MAX 192
size_t import_tags_suffix(char *buf, size_t len, unsigned bits, int year);

/* Creates the temporary table store_import_cqos_new stages its rows in
 * (store_import_setup). */
int import_new_setup(struct store *st);

/* What an upsert did, from its snapshots (NULL before: none; NULL after:
 * nothing written). */
enum store_import_change import_change_of(const char *before, const char *after);

/* Updates row `id` only when a value would change. before_sql selects the
 * row's snapshot under the update's own condition, so an unchanged row
 * costs one lookup and builds no snapshot; update_sql writes it and
 * snapshot_sql reads it back. bind() binds the same values to both.
 * *before and *after (caller frees) are the snapshots, both NULL when
 * nothing changed. 0 or a negative errno. */
int import_update(struct store *st, const char *before_sql, const char *update_sql,
                  const char *snapshot_sql, int64_t id, store_bind_fn bind, const void *arg,
                  const char *what, char **before, char **after);

/* Whether import_update would write row `id`: 1, 0 when it would not, or
 * a negative errno. */
int import_would_change(struct store *st, const char *before_sql, int64_t id, store_bind_fn bind,
                        const void *arg, const char *what);

/* The same for the enterprise `id` with its categories. */
int import_enterprise_would_change(struct store *st, const struct store_import_enterprise *in,
                                   int64_t id);

/* An enterprise upserted by store_import_*: whether it is new, its
 * snapshots before and after when its fields changed (else NULL), and its
 * tags before and after. Strings owned; released by
 * import_enterprise_audit. */
struct import_enterprise_done {
	int64_t id;
	bool created;
	char *before, *after;
	unsigned tags_before, tags_after;
	int tags_year;                 /* the list they are of; 0: undated */
};

/* The id of the enterprise with this credit code: 1, or 0 when there is
 * none. */
int import_enterprise_find(struct store *st, const char *credit_code, int64_t *id);

/* Upserts the enterprise and its tags without audit rows. */
int import_enterprise_put(struct store *st, const struct store_import_enterprise *in, int64_t now,
                          struct import_enterprise_done *out);
/* Writes the audit rows of what import_enterprise_put changed (record_id:
 * the registry record they belong to, or 0), frees its strings and says
 * what happened in *change. */
int import_enterprise_audit(struct store *st, const struct store_actor *who,
                            struct import_enterprise_done *d, int64_t record_id,
                            enum store_import_change *change);
void import_enterprise_done_free(struct import_enterprise_done *d);

/* Whether store_import_batch_begin turned the triggers off: then the
 * upserts replay the per-row ones. */
bool import_triggers_deferred(struct store *st);

/* The newest appointment at the enterprise with this credit code whose
 * person has this name: its id and person id. -ENOENT if none. */
int import_find_cqo(struct store *st, const char *credit_code, const char *name,
                    int64_t *appointment_id, int64_t *person_id);

/* The digest of a row's values (store_import_digest.c): SHA-256 over each
 * value given, "" as not given. 0, -ENOMEM or -EIO. */
/* A term of `months` (1 to 120) as a date() modifier, "+36 months", into
 * term; -EINVAL out of that range. */
/* The highest enterprise, person and record ids now (0 for an empty
 * table): new rows take the next ones. */
int import_highest_ids(struct store *st, int64_t id[3]);

#define IMPORT_TERM_LEN 24
int import_term_modifier(int months, char term[IMPORT_TERM_LEN]);

#define IMPORT_DIGEST_LEN CRYPTO_SHA256_LEN
int import_digest_of(const struct store_import_cqo *in, uint8_t out[IMPORT_DIGEST_LEN]);

/* Remembers that row `in`, as written or as checked, names record
 * appointment_id of person_id and would change nothing. */
int import_digest_put(struct store *st, const struct store_import_cqo *in, int64_t person_id,
                      int64_t appointment_id);

/* What migration 30's triggers do, for the writes of an import that has
 * them off (import_triggers_deferred): drop the digests of an enterprise,
 * of the enterprises of a person's records, of a record's enterprise. */
int import_digests_forget(struct store *st, int64_t enterprise_id);
int import_digests_forget_person(struct store *st, int64_t person_id);
int import_digests_forget_record(struct store *st, int64_t appointment_id);

/* The tags in bit order (the schema's CHECK list of enterprise_tags.tag):
 * TAG(index, name). store_import.c's names and the set-based writer's
 * VALUES list both come from it, so they cannot disagree. */
#define IMPORT_TAG_LIST(TAG) \
	TAG(0, "规上") TAG(1, "链主") TAG(2, "好品") TAG(3, "质量奖") TAG(4, "专精特新") \
	TAG(5, "标杆") TAG(6, "食品") TAG(7, "药品") TAG(8, "特种设备")

#endif
