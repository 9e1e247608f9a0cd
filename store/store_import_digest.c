/*
 * What a re-import found unchanged, remembered (import_digests, migration
 * 30); see store_import.h.
 *
 * Guarantee: a row of import_digests for (credit code, name) with digest D
 * and record A means that store_import_cqo_check, given a row whose values
 * hash to D, would say "unchanged" with record A and its person. It holds
 * because a digest is written only right after the row was written
 * (store_import_cqo, store_import_cqos_new: both leave the row as the
 * check finds it unchanged) or found unchanged by the check in the same
 * transaction (store_import_cqo_confirm); and because every write of what
 * the check reads drops the digests of the enterprise involved: the
 * triggers of migration 30, or, while an import has the triggers off
 * (store_import_batch_begin), the import's own writes through
 * import_digests_forget*. The digest covers every value the row gives,
 * including the term its region's policy lent it, so a changed policy is
 * a changed row.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/crypto.h"
#include "store_import_internal.h"

/* The fields the digest below covers, in the shapes of the structs: a
 * field added to one of them changes its size, and must join the digest
 * (and these mirrors) before this compiles again. */
struct digest_enterprise {
	const char *texts[9];
	long employees;
	unsigned tags_add, tags_remove;
	int tags_year;
};
struct digest_person {
	const char *texts[10];
	long quality_years;
};
struct digest_cqo {
	struct digest_enterprise enterprise;
	struct digest_person person;
	const char *texts[7];
	int term_months;
	bool term_given;
};
_Static_assert(sizeof(struct store_import_enterprise) == sizeof(struct digest_enterprise),
               "a new enterprise field must join the import digest");
_Static_assert(sizeof(struct store_appoint_person) == sizeof(struct digest_person),
               "a new person field must join the import digest");
_Static_assert(sizeof(struct store_import_cqo) == sizeof(struct digest_cqo),
               "a new row field must join the import digest");

/* Changing what a digest covers, or how the check compares, changes this
 * so that digests written before no longer match. */
#define DIGEST_FORMAT "cqod import digest 1"

/* What the digest is taken of: each text as a byte (given or not: NULL
 * and "" are both "not given", as the statements bind them), then, when
 * given, its length and bytes; each number as 8 bytes. A row of usual
 * length fits `stack`, built without an allocation. */
#define N_TEXTS 26
#define N_INTS 7

struct digest_input {
	const char *texts[N_TEXTS];
	long long ints[N_INTS];
};

static size_t input_bytes(const struct digest_input *in, size_t lens[N_TEXTS])
{
	size_t total = sizeof DIGEST_FORMAT - 1 + N_INTS * sizeof(long long);

	for (size_t i = 0; i < N_TEXTS; i++) {
		lens[i] = in->texts[i] ? strlen(in->texts[i]) : 0;
		total += 1 + (lens[i] ? sizeof(uint32_t) + lens[i] : 0);
	}
	return total;
}

static void input_write(const struct digest_input *in, const size_t lens[N_TEXTS], char *p)
{
	memcpy(p, DIGEST_FORMAT, sizeof DIGEST_FORMAT - 1);
	p += sizeof DIGEST_FORMAT - 1;
	for (size_t i = 0; i < N_TEXTS; i++) {
		uint32_t n = (uint32_t)lens[i];
		*p++ = n ? 1 : 0;
		if (n) {
			memcpy(p, &n, sizeof n);
			memcpy(p + sizeof n, in->texts[i], n);
			p += sizeof n + n;
		}
	}
	memcpy(p, in->ints, sizeof in->ints);
}

int import_digest_of(const struct store_import_cqo *in, uint8_t out[IMPORT_DIGEST_LEN])
{
	const struct store_import_enterprise *e = &in->enterprise;
	const struct store_appoint_person *p = &in->person;
	const struct digest_input d = {
		.texts = {
			e->credit_code, e->name, e->region_code, e->industry_code, e->size, e->nature,
			e->main_products, e->contact_name, e->contact_phone,
			p->name, p->gender, p->birth_date, p->education, p->major, p->position, p->title,
			p->phone, p->email, p->resume,
			in->doc_no, in->start_date, in->term_end, in->end_reason, in->remarks, in->status,
			in->ended_on,
		},
		.ints = {
			e->employees, e->tags_add, e->tags_remove, e->tags_year, p->quality_years,
			in->term_months, in->term_given,
		},
	};
	size_t lens[N_TEXTS];
	char stack[2048];
	size_t total = input_bytes(&d, lens);
	char *buf = total <= sizeof stack ? stack : malloc(total);

	if (!buf)
		return -ENOMEM;
	input_write(&d, lens, buf);
	int rc = crypto_sha256(buf, total, out);
	if (buf != stack)
		free(buf);
	return rc;
}

static const char KNOWN_SQL[] =
	"SELECT appointment_id, person_id FROM import_digests"
	" WHERE credit_code = ?1 AND name = ?2 AND digest = ?3";
/* The record's enterprise from the record: one argument fewer to get wrong. */
static const char PUT_SQL[] =
	"INSERT OR REPLACE INTO import_digests (credit_code, name, enterprise_id, person_id,"
	" appointment_id, digest) SELECT ?1, ?2, enterprise_id, ?3, id, ?5 FROM appointments"
	" WHERE id = ?4";
static const char FORGET_SQL[] = "DELETE FROM import_digests WHERE enterprise_id = ?1";
static const char FORGET_PERSON_SQL[] =
	"DELETE FROM import_digests WHERE enterprise_id IN"
	" (SELECT enterprise_id FROM appointments WHERE person_id = ?1)";
static const char FORGET_RECORD_SQL[] =
	"DELETE FROM import_digests WHERE enterprise_id ="
	" (SELECT enterprise_id FROM appointments WHERE id = ?1)";

int store_import_cqo_known(struct store *st, const struct store_import_cqo *in,
                           struct store_import_result *out)
{
	uint8_t digest[IMPORT_DIGEST_LEN];
	sqlite3_stmt *s;

	memset(out, 0, sizeof *out);
	if (!in->enterprise.credit_code || !in->person.name)
		return -EINVAL;
	int rc = import_digest_of(in, digest);
	if (rc < 0)
		return rc;
	if (!(s = store_prepare(st, KNOWN_SQL)))
		return -EIO;
	store_bind_text(s, 1, in->enterprise.credit_code);
	store_bind_text(s, 2, in->person.name);
	sqlite3_bind_blob(s, 3, digest, sizeof digest, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(s, 0);
		out->person_id = sqlite3_column_int64(s, 1);
		out->unchanged = true;
	}
	store_stmt_done(s);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : store_fail(st, "import digest find", rc);
}

int import_digest_put(struct store *st, const struct store_import_cqo *in, int64_t person_id,
                      int64_t appointment_id)
{
	uint8_t digest[IMPORT_DIGEST_LEN];
	sqlite3_stmt *s;
	int rc = import_digest_of(in, digest);

	if (rc < 0)
		return rc;
	if (!(s = store_prepare(st, PUT_SQL)))
		return -EIO;
	store_bind_text(s, 1, in->enterprise.credit_code);
	store_bind_text(s, 2, in->person.name);
	sqlite3_bind_int64(s, 3, person_id);
	sqlite3_bind_int64(s, 4, appointment_id);
	sqlite3_bind_blob(s, 5, digest, sizeof digest, SQLITE_STATIC);
	return store_step_done(st, s, "import digest put", NULL);
}

int store_import_cqo_confirm(struct store *st, const struct store_import_cqo *in)
{
	struct store_import_result r;
	int rc = store_import_cqo_check(st, in, &r);

	/* Anything else is the next import's to see: nothing is recorded. */
	if (rc == -EEXIST || (rc == 0 && !r.unchanged))
		return 0;
	return rc < 0 ? rc : import_digest_put(st, in, r.person_id, r.id);
}

int import_digests_forget(struct store *st, int64_t enterprise_id)
{
	return store_run_int(st, FORGET_SQL, "import digests forget", enterprise_id, NULL);
}

int import_digests_forget_person(struct store *st, int64_t person_id)
{
	return store_run_int(st, FORGET_PERSON_SQL, "import digests forget", person_id, NULL);
}

int import_digests_forget_record(struct store *st, int64_t appointment_id)
{
	return store_run_int(st, FORGET_RECORD_SQL, "import digests forget", appointment_id, NULL);
}
