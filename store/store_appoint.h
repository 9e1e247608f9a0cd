/*
 * Appointments as filed and managed by clerks: 备案 (file), 更换 (file a
 * successor and end the predecessor), 续聘 (renew the term) and 解聘
 * (dismiss). Each change writes its audit rows (store_audit_add, record_id =
 * the appointment) in the caller's transaction: these functions never begin
 * or commit, so a handler can put a filing and its binding code in one
 * transaction and roll both back together.
 *
 * Dates are "YYYY-MM-DD"; term ends are computed by SQLite as start +
 * term_months - 1 day (a 36-month term from 2026-01-01 ends 2028-12-31).
 */
#ifndef CQOD_STORE_APPOINT_H
#define CQOD_STORE_APPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct store_actor;

/* The enterprise registered under `credit_code`: its id and region_code
 * (region[16]); -ENOENT if none. */
int store_appoint_enterprise_find(struct store *st, const char *credit_code, int64_t *id,
                                  char region[16]);

/* Person fields of the 信息表; NULL (or "") means "not given". Borrowed. */
struct store_appoint_person {
	const char *name, *gender, *birth_date, *education, *major, *position, *title;
	const char *phone, *email, *resume;
	long quality_years;        /* -1: not given */
};

/* Enterprise fields; NULL (or "") means "not given" (an existing enterprise
 * keeps its value). credit_code is required; name and region_code are
 * required for an enterprise not yet registered. Borrowed. */
struct store_appoint_enterprise {
	const char *credit_code, *name, *region_code, *industry_code, *size, *nature;
	const char *main_products;
	long employees;            /* -1: not given */
	unsigned tags;             /* categories to add (1u << store_import_tag_index) */
};

/* A filing. Borrowed strings. */
struct store_appoint_filing {
	struct store_appoint_person person;
	struct store_appoint_enterprise enterprise;
	const char *doc_no;        /* appointment document number */
	const char *start_date;
	int term_months;           /* 1..120 */
	const char *warnings;      /* unmet eligibility criteria, or NULL */
	const char *remarks;
	int64_t replaces;          /* 0, or the active appointment this one succeeds */
	int64_t now;
	/* The filer's scope (a region-code prefix; "" or NULL everywhere): an
	 * existing person with the same name and phone is reused only when
	 * every record of theirs lies within it. Otherwise the filing makes a
	 * new person, and nothing tells the filer that the other one exists. */
	const char *scope;
};

/* Adds the categories `add` and drops `drop` (bits as in store_import.h)
 * of enterprise `enterprise_id`, under a savepoint, with one audit row
 * (entity "enterprise_tags", its category list before and after) on record
 * `record_id` (0: none) when anything changed. *after (may be NULL)
 * receives the categories it then has. -ENOENT if there is no such
 * enterprise. */
int store_enterprise_tags_change(struct store *st, const struct store_actor *who,
                                 int64_t enterprise_id, int64_t record_id, unsigned add,
                                 unsigned drop, unsigned *after);

struct store_appoint_filed {
	int64_t id;                /* the new record number */
	int64_t person_id;
	char term_end[11];
	bool person_reused;        /* an existing person with the same name and phone,
	                            * all of whose records lie in the filer's scope */
	int64_t active_id;         /* -EEXIST: the enterprise's active appointment */
	char ended_on[11];         /* replaces != 0: the predecessor's end date */
};

/* Files an appointment, inside the caller's transaction: upserts the
 * enterprise by credit code (given fields replace stored ones), reuses the
 * person with the same name and phone or creates one, and inserts the
 * appointment. With `replaces`, that appointment (which must be active and
 * of the same enterprise) is first ended: status 'ended', end_reason '更换',
 * ended_on the day before the new start (its term end if earlier).
 * Returns 0; -EEXIST when the enterprise already has another active
 * appointment (out->active_id); -ESTALE when `replaces` is not an active
 * appointment of this enterprise; -EINVAL when the schema refuses a value;
 * -EIO. On failure the caller rolls back. */
int store_appoint_file(struct store *st, const struct store_actor *who,
                       const struct store_appoint_filing *in, struct store_appoint_filed *out);

/* What a filing (备案, 更换's successor) is to be confirmed for. A person
 * is matched across regions by name and phone, and birth date when both
 * the filing and the stored person have one. */
struct store_appoint_flags {
	char term_end[11];           /* the term end the filing would get */
	int64_t active_id;           /* their active record at another enterprise, 0: none */
	char active_region[16];      /* its region code and name */
	char active_region_name[96];
	char blacklist_region[96];   /* the region name of an unrevoked 黑名单, "": none */
	char blacklist_on[11];       /* and its date */
};

/* Fills *out for filing `in` (start_date, term_months, person,
 * enterprise.credit_code); reads only. A filing without a phone matches
 * nobody. 0, -EINVAL or -EIO. */
int store_appoint_flags(struct store *st, const struct store_appoint_filing *in,
                        struct store_appoint_flags *out);

/* 续聘: a new term for active appointment `id` from start_date for
 * term_months with its own document number doc_no (NULL: none filed), the
 * record number unchanged. The term is a row of its own (appointment_terms)
 * and the appointment's start_date, term_end and doc_no become the new
 * term's, in the same statements, so everything reading the appointment
 * sees the current term. The new term end goes to term_end[11], its
 * number to *term_no. Inside the caller's transaction. -ENOENT, -ESTALE
 * (not active), -EINVAL, -EIO. */
int store_appoint_renew(struct store *st, const struct store_actor *who, int64_t id,
                        const char *start_date, int term_months, const char *doc_no,
                        int64_t now, char term_end[11], int *term_no);

/* One term of an appointment (历届任期). */
struct store_appoint_term {
	int term_no;
	char start_date[11];
	char term_end[11];
	char doc_no[96];           /* "" when none was filed */
	char evaluation[16];       /* 合格, 基本合格, 不合格; "" when not yet evaluated */
};

#define STORE_APPOINT_TERMS_MAX 12

/* An appointment's terms and how it ended. */
struct store_appoint_history {
	char ended_on[11];         /* "" while in force */
	char end_reason[256];
	size_t n_terms;            /* listed, oldest first: the newest STORE_APPOINT_TERMS_MAX */
	size_t total_terms;
	struct store_appoint_term terms[STORE_APPOINT_TERMS_MAX];
};

/* The history of appointment `id`. -ENOENT, -EIO. Scope is the caller's. */
int store_appoint_history(struct store *st, int64_t id, struct store_appoint_history *out);

/* 考核: the enterprise's evaluation `result` (合格, 基本合格, 不合格) of term
 * *term_no of appointment `id`; *term_no 0 means the newest term begun by
 * `today` and becomes the term evaluated. An earlier result is replaced.
 * Audited (entity "term"); inside the caller's transaction. -ENOENT (no
 * such appointment or term), -EAGAIN (the term has not begun by `today`),
 * -EINVAL, -EIO. */
int store_appoint_evaluate(struct store *st, const struct store_actor *who, int64_t id,
                           int *term_no, const char *result, const char *today,
                           int64_t now);

/* 解聘: active appointment `id` becomes 'dismissed' on ended_on for `reason`.
 * Inside the caller's transaction. -ENOENT, -ESTALE (not active), -EINVAL,
 * -EIO. */
int store_appoint_dismiss(struct store *st, const struct store_actor *who, int64_t id,
                          const char *ended_on, const char *reason, int64_t now);

#endif
