/* Import rows: savepoints, shared helpers, enterprises and their tags; see
 * store_import.h. CQO rows are in store_import_cqo.c, trainings and
 * sanctions in store_import_records.c. */
#include "store_import.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_audit.h"
#include "store_import_internal.h"

#define TAG_NAME(i, name) [i] = name,
static const char *const tags[STORE_IMPORT_TAGS] = {IMPORT_TAG_LIST(TAG_NAME)};

const char *store_import_tag_name(int i)
{
	return i >= 0 && i < STORE_IMPORT_TAGS ? tags[i] : NULL;
}

int store_import_tag_index(const char *tag)
{
	for (int i = 0; i < STORE_IMPORT_TAGS; i++)
		if (strcmp(tag, tags[i]) == 0)
			return i;
	return -1;
}

int store_import_process_init(void)
{
	/* Without the mutexes and memory statistics of a serialized build,
	 * a bulk import spends far less time in malloc bookkeeping. */
	if (sqlite3_config(SQLITE_CONFIG_SINGLETHREAD) != SQLITE_OK ||
	    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
		return -EINVAL;
	return 0;
}

int store_import_setup(struct store *st)
{
	/* Each row's savepoint keeps the pages it changes in a sub-journal;
	 * in memory that costs a copy, on disk a write per page. A chunk
	 * touches more pages than the daemon's 1 MiB cache holds: spilled,
	 * they are written to the WAL twice and read back from it. */
	int rc = store_exec(st, "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536",
	                    "import pragmas");
	return rc ? rc : import_new_setup(st);
}

/* Every trigger of the schema whose work the import replays, by name:
 * the index of names (insert and rename; an import deletes no
 * enterprise), the terms of records (the first, the current one), the
 * import digests' (import_digests_forget*: an import deletes no
 * enterprise, tag row of another list, person or record, and inserts
 * tags only for an enterprise it writes), and the audit log's two, which
 * only refuse changes an import never makes (nor does cqoctl seed, which
 * writes only new enterprises, people and records). A
 * migration that adds or redefines a trigger updates this list and the
 * replay (test_store_import compares the two ways). */
static const char UNKNOWN_TRIGGERS_SQL[] =
	"SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name NOT IN"
	" ('enterprise_name_index_insert', 'enterprise_name_index_rename',"
	" 'enterprise_name_index_delete', 'appointment_terms_first', 'appointment_terms_current',"
	" 'audit_log_no_update', 'audit_log_no_delete', 'import_digests_enterprise_update',"
	" 'import_digests_enterprise_delete', 'import_digests_tag_insert',"
	" 'import_digests_tag_update', 'import_digests_tag_delete', 'import_digests_person_update',"
	" 'import_digests_person_delete', 'import_digests_record_insert',"
	" 'import_digests_record_update', 'import_digests_record_delete')";
static const char HIGHEST_IDS_SQL[] =
	"SELECT (SELECT coalesce(max(id), 0) FROM enterprises),"
	" (SELECT coalesce(max(id), 0) FROM people), (SELECT coalesce(max(id), 0) FROM appointments)";
/* What enterprise_name_index_insert and appointment_terms_first do, for
 * every row inserted since the batch began (rowids only grow while the
 * batch holds the write lock). */
static const char NAME_INDEX_NEW_SQL[] =
	"INSERT INTO enterprise_name_index (rowid, name)"
	" SELECT id, name FROM enterprises WHERE id > ?1 ORDER BY id";
static const char TERMS_NEW_SQL[] =
	"INSERT INTO appointment_terms (appointment_id, term_no, start_date, term_end, doc_no,"
	" created_at) SELECT id, 1, start_date, term_end, doc_no, filed_at FROM appointments"
	" WHERE id > ?1 ORDER BY id";

static int triggers_on(struct store *st, int on)
{
	if (sqlite3_db_config(st->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, on, (int *)NULL) != SQLITE_OK)
		return store_fail(st, "import triggers", SQLITE_ERROR);
	return 0;
}

bool import_triggers_deferred(struct store *st)
{
	int on = 1;

	sqlite3_db_config(st->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, -1, &on);
	return !on;
}

int import_highest_ids(struct store *st, int64_t id[3])
{
	sqlite3_stmt *s = store_prepare(st, HIGHEST_IDS_SQL);

	if (!s)
		return -EIO;
	int rc = sqlite3_step(s);
	for (int i = 0; i < 3 && rc == SQLITE_ROW; i++)
		id[i] = sqlite3_column_int64(s, i);
	store_stmt_done(s);
	return rc == SQLITE_ROW ? 0 : store_fail(st, "import highest ids", rc);
}

int store_import_batch_begin(struct store *st, struct store_import_batch *b)
{
	sqlite3_stmt *s = store_prepare(st, UNKNOWN_TRIGGERS_SQL);
	int64_t unknown, highest[3];
	int rc;

	memset(b, 0, sizeof *b);
	if (!s)
		return -EIO;
	if ((rc = store_step_count(st, s, "import triggers", &unknown)) < 0 || unknown > 0)
		return rc;
	if ((rc = import_highest_ids(st, highest)) < 0)
		return rc;
	b->enterprises_after = highest[0];
	b->appointments_after = highest[2];
	/* Statements prepared before are recompiled without their triggers. */
	if ((rc = triggers_on(st, 0)) == 0)
		b->deferred = true;
	return rc;
}

int store_import_batch_end(struct store *st, const struct store_import_batch *b, int rc)
{
	if (!b->deferred)
		return rc;
	if (rc == 0)
		rc = store_run_int(st, NAME_INDEX_NEW_SQL, "import name index", b->enterprises_after,
		                   NULL);
	if (rc == 0)
		rc = store_run_int(st, TERMS_NEW_SQL, "import first terms", b->appointments_after,
		                   NULL);
	int on = triggers_on(st, 1);
	return rc ? rc : on;
}

static const char SAVEPOINT_SQL[] = "SAVEPOINT import_row";
static const char RELEASE_SQL[] = "RELEASE import_row";
static const char UNDO_SQL[] = "ROLLBACK TO import_row";

int store_import_row_begin(struct store *st)
{
	return store_run(st, SAVEPOINT_SQL, "import savepoint");
}

int store_import_row_end(struct store *st, bool keep)
{
	int rc = keep ? 0 : store_run(st, UNDO_SQL, "import row undo");
	int rel = store_run(st, RELEASE_SQL, "import release");
	return rc < 0 ? rc : rel;
}

enum store_import_change import_change_of(const char *before, const char *after)
{
	if (!after)
		return STORE_IMPORT_SAME;
	return before ? STORE_IMPORT_UPDATED : STORE_IMPORT_CREATED;
}

int import_update(struct store *st, const char *before_sql, const char *update_sql,
                  const char *snapshot_sql, int64_t id, store_bind_fn bind, const void *arg,
                  const char *what, char **before, char **after)
{
	sqlite3_stmt *s = store_prepare(st, before_sql);
	int rc;

	*before = *after = NULL;
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	bind(s, arg);
	rc = store_step_row(st, s, what, -1, NULL, 0, before);
	if (rc <= 0)
		return rc;
	if (!(s = store_prepare(st, update_sql)))
		rc = -EIO;
	else {
		sqlite3_bind_int64(s, 1, id);
		bind(s, arg);
		rc = store_step_write(st, s, what, false, &id, snapshot_sql, after);
	}
	if (rc < 0) {
		free(*before);
		*before = NULL;
	}
	return rc;
}

int import_would_change(struct store *st, const char *before_sql, int64_t id, store_bind_fn bind,
                        const void *arg, const char *what)
{
	sqlite3_stmt *s = store_prepare(st, before_sql);

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	bind(s, arg);
	return store_step_row(st, s, what, -1, NULL, -1, NULL);
}

static const char ENTERPRISE_FIND_SQL[] = "SELECT id FROM enterprises WHERE credit_code = ?1";
static const char ENTERPRISE_INSERT_SQL[] =
	"INSERT INTO enterprises (credit_code, name, region_code, industry_code, size, nature,"
	" employees, main_products, contact_name, contact_phone, created_at, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)";
/* ?1 is the id here; NULL keeps a value. */
#define ENTERPRISE_CHANGES \
	" WHERE id = ?1 AND (name IS NOT coalesce(?2, name)" \
	" OR region_code IS NOT coalesce(?3, region_code)" \
	" OR industry_code IS NOT coalesce(?4, industry_code) OR size IS NOT coalesce(?5, size)" \
	" OR nature IS NOT coalesce(?6, nature) OR employees IS NOT coalesce(?7, employees)" \
	" OR main_products IS NOT coalesce(?8, main_products)" \
	" OR contact_name IS NOT coalesce(?9, contact_name)" \
	" OR contact_phone IS NOT coalesce(?10, contact_phone))"
static const char ENTERPRISE_BEFORE_SQL[] =
	"SELECT " ENTERPRISE_JSON("") " FROM enterprises" ENTERPRISE_CHANGES;
static const char ENTERPRISE_UPDATE_SQL[] =
	"UPDATE enterprises SET name = coalesce(?2, name), region_code = coalesce(?3, region_code),"
	" industry_code = coalesce(?4, industry_code), size = coalesce(?5, size),"
	" nature = coalesce(?6, nature), employees = coalesce(?7, employees),"
	" main_products = coalesce(?8, main_products), contact_name = coalesce(?9, contact_name),"
	" contact_phone = coalesce(?10, contact_phone), updated_at = ?11" ENTERPRISE_CHANGES;
static const char ENTERPRISE_SNAPSHOT_SQL[] =
	"SELECT " ENTERPRISE_JSON("") " FROM enterprises WHERE id = ?1";
/* ?3 the year of the list (0: undated). */
static const char TAGS_GET_SQL[] =
	"SELECT tag FROM enterprise_tags WHERE enterprise_id = ?1 AND year = ?2";
static const char TAG_ADD_SQL[] =
	"INSERT OR IGNORE INTO enterprise_tags (enterprise_id, tag, year) VALUES (?1, ?2, ?3)";
static const char TAG_DROP_SQL[] =
	"DELETE FROM enterprise_tags WHERE enterprise_id = ?1 AND tag = ?2 AND year = ?3";

struct enterprise_values {
	const struct store_import_enterprise *in;
	int64_t now;
};

static void bind_enterprise(sqlite3_stmt *s, const void *arg)
{
	const struct enterprise_values *v = arg;
	const struct store_import_enterprise *in = v->in;

	store_bind_text_or_null(s, 2, in->name);
	store_bind_text_or_null(s, 3, in->region_code);
	store_bind_text_or_null(s, 4, in->industry_code);
	store_bind_text_or_null(s, 5, in->size);
	store_bind_text_or_null(s, 6, in->nature);
	store_bind_long_or_null(s, 7, in->employees);
	store_bind_text_or_null(s, 8, in->main_products);
	store_bind_text_or_null(s, 9, in->contact_name);
	store_bind_text_or_null(s, 10, in->contact_phone);
	sqlite3_bind_int64(s, 11, v->now);
}

static int tags_get(struct store *st, int64_t id, int year, unsigned *out)
{
	sqlite3_stmt *s = store_prepare(st, TAGS_GET_SQL);
	int rc;

	*out = 0;
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, year);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int i = store_import_tag_index((const char *)sqlite3_column_text(s, 0));
		if (i >= 0)
			*out |= 1u << i;
	}
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "import tags", rc);
}

/* Adds or drops one tag row of the list of `year`. */
static int tag_change(struct store *st, int64_t id, int i, int year, bool add)
{
	sqlite3_stmt *s = store_prepare(st, add ? TAG_ADD_SQL : TAG_DROP_SQL);
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, tags[i]);
	sqlite3_bind_int(s, 3, year);
	return store_step_write(st, s, "import tag", false, NULL, NULL, NULL);
}

static int tags_put(struct store *st, const struct store_import_enterprise *in,
                    struct import_enterprise_done *d)
{
	int rc = d->created ? 0 : tags_get(st, d->id, in->tags_year, &d->tags_before);

	d->tags_year = in->tags_year;

	d->tags_after = (d->tags_before | in->tags_add) & ~in->tags_remove;
	for (int i = 0; rc == 0 && i < STORE_IMPORT_TAGS; i++) {
		unsigned bit = 1u << i;
		if ((d->tags_before ^ d->tags_after) & bit)
			rc = tag_change(st, d->id, i, in->tags_year, (d->tags_after & bit) != 0);
	}
	return rc;
}

/* enterprise_name_index_rename, for an enterprise whose snapshot before
 * the update was `before`: ?2's name is the old one. */
#define OLD_NAME "json_extract(?2, '$.name')"
static const char NAME_INDEX_DROP_SQL[] =
	"INSERT INTO enterprise_name_index (enterprise_name_index, rowid, name)"
	" SELECT 'delete', id, " OLD_NAME " FROM enterprises WHERE id = ?1 AND name IS NOT " OLD_NAME;
static const char NAME_INDEX_ADD_SQL[] =
	"INSERT INTO enterprise_name_index (rowid, name)"
	" SELECT id, name FROM enterprises WHERE id = ?1 AND name IS NOT " OLD_NAME;

static int name_index_rename(struct store *st, int64_t id, const char *before)
{
	static const char *const sql[] = {NAME_INDEX_DROP_SQL, NAME_INDEX_ADD_SQL};
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < sizeof sql / sizeof sql[0]; i++) {
		sqlite3_stmt *s = store_prepare(st, sql[i]);
		if (!s)
			return -EIO;
		sqlite3_bind_int64(s, 1, id);
		store_bind_text(s, 2, before);
		rc = store_step_done(st, s, "import name index rename", NULL);
	}
	return rc;
}

int import_enterprise_would_change(struct store *st, const struct store_import_enterprise *in,
                                   int64_t id)
{
	struct enterprise_values v = {in, 0};
	unsigned stored;
	int rc = import_would_change(st, ENTERPRISE_BEFORE_SQL, id, bind_enterprise, &v,
	                             "import enterprise check");

	if (rc == 0 && (rc = tags_get(st, id, in->tags_year, &stored)) == 0)
		rc = ((stored | in->tags_add) & ~in->tags_remove) != stored;
	return rc;
}

int import_enterprise_find(struct store *st, const char *credit_code, int64_t *id)
{
	sqlite3_stmt *s = store_prepare(st, ENTERPRISE_FIND_SQL);
	if (!s)
		return -EIO;
	store_bind_text(s, 1, credit_code);
	return store_step_row(st, s, "import enterprise find", 0, id, -1, NULL);
}

int import_enterprise_put(struct store *st, const struct store_import_enterprise *in, int64_t now,
                          struct import_enterprise_done *out)
{
	struct enterprise_values v = {in, now};
	sqlite3_stmt *s;

	memset(out, 0, sizeof *out);
	int rc = import_enterprise_find(st, in->credit_code, &out->id);
	if (rc < 0)
		return rc;
	out->created = rc == 0;
	if (!out->created) {
		rc = import_update(st, ENTERPRISE_BEFORE_SQL, ENTERPRISE_UPDATE_SQL,
		                   ENTERPRISE_SNAPSHOT_SQL, out->id, bind_enterprise, &v,
		                   "import enterprise update", &out->before, &out->after);
		if (rc >= 0 && out->before && import_triggers_deferred(st))
			rc = name_index_rename(st, out->id, out->before);
	} else if (!(s = store_prepare(st, ENTERPRISE_INSERT_SQL))) {
		rc = -EIO;
	} else {
		store_bind_text(s, 1, in->credit_code);
		bind_enterprise(s, &v);
		rc = store_step_write(st, s, "import enterprise insert", true, &out->id,
		                      ENTERPRISE_SNAPSHOT_SQL, &out->after);
	}
	if (rc >= 0)
		rc = tags_put(st, in, out);
	/* import_digests_enterprise_update and _tag_*, replayed. */
	if (rc >= 0 && !out->created && (out->before || out->tags_before != out->tags_after) &&
	    import_triggers_deferred(st))
		rc = import_digests_forget(st, out->id);
	if (rc < 0)
		import_enterprise_done_free(out);
	return rc < 0 ? rc : 0;
}

void import_enterprise_done_free(struct import_enterprise_done *d)
{
	free(d->before);
	free(d->after);
	d->before = d->after = NULL;
}

size_t import_tags_suffix(char *buf, size_t len, unsigned bits, int year)
{
	size_t n = (size_t)snprintf(buf, len, ",\"tags\":[");

	for (int i = 0, k = 0; i < STORE_IMPORT_TAGS && n < len; i++)
		if (bits & (1u << i))
			n += (size_t)snprintf(buf + n, len - n, "%s\"%s\"", k++ ? "," : "", tags[i]);
	if (n < len)
		n += (size_t)snprintf(buf + n, len - n, "]");
	if (year && n < len)
		n += (size_t)snprintf(buf + n, len - n, ",\"tags_year\":%d", year);
	if (n < len)
		n += (size_t)snprintf(buf + n, len - n, "}");
	return n;
}

/* The snapshot `json` ("{...}") with the enterprise's tags added
 * (import_tags_suffix); NULL on ENOMEM. Caller frees. */
static char *with_tags(const char *json, unsigned bits, int year)
{
	char suffix[IMPORT_TAGS_SUFFIX_MAX];
	size_t len = strlen(json), n = import_tags_suffix(suffix, sizeof suffix, bits, year);
	char *out = malloc(len + n);

	if (out)
		snprintf(out, len + n, "%.*s%s", (int)(len - 1), json, suffix);
	return out;
}

int import_enterprise_audit(struct store *st, const struct store_actor *who,
                            struct import_enterprise_done *d, int64_t record_id,
                            enum store_import_change *change)
{
	bool tags_changed = d->tags_before != d->tags_after;
	char *before = NULL, *after = NULL;   /* owned here */
	int rc = 0;

	*change = d->created ? STORE_IMPORT_CREATED : STORE_IMPORT_SAME;
	/* Categories alone changed: the fields as they are stand for both. */
	if (!d->created && !d->after && tags_changed) {
		rc = store_snapshot_json(st, ENTERPRISE_SNAPSHOT_SQL, d->id, &d->after);
		if (rc == 0 && !(d->before = d->after ? strdup(d->after) : NULL))
			rc = -ENOMEM;
	}
	if (rc == 0 && d->after) {
		/* Tags are part of the enterprise's snapshot here. */
		before = d->created ? NULL : with_tags(d->before, d->tags_before, d->tags_year);
		after = with_tags(d->after, d->tags_after, d->tags_year);
		if ((!d->created && !before) || !after)
			rc = -ENOMEM;
		else
			rc = store_audit_add(st, who, "enterprise", d->id, record_id, before, after);
		if (!d->created)
			*change = STORE_IMPORT_UPDATED;
	}
	free(before);
	free(after);
	import_enterprise_done_free(d);
	return rc;
}

int store_import_enterprise(struct store *st, const struct store_actor *who,
                            const struct store_import_enterprise *in, int64_t now,
                            struct store_import_result *out)
{
	struct import_enterprise_done d;

	memset(out, 0, sizeof *out);
	if (!in->credit_code)
		return -EINVAL;
	int rc = import_enterprise_put(st, in, now, &d);
	if (rc < 0)
		return rc;
	out->id = d.id;
	return import_enterprise_audit(st, who, &d, 0, &out->enterprise);
}

static const char CQO_FIND_SQL[] =
	"SELECT a.id, a.person_id FROM enterprises e"
	" JOIN appointments a ON a.enterprise_id = e.id"
	" JOIN people p ON p.id = a.person_id"
	" WHERE e.credit_code = ?1 AND p.name = ?2 ORDER BY a.id DESC LIMIT 1";

int import_find_cqo(struct store *st, const char *credit_code, const char *name,
                    int64_t *appointment_id, int64_t *person_id)
{
	sqlite3_stmt *s = store_prepare(st, CQO_FIND_SQL);

	*appointment_id = *person_id = 0;
	if (!s)
		return -EIO;
	store_bind_text(s, 1, credit_code);
	store_bind_text(s, 2, name);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*appointment_id = sqlite3_column_int64(s, 0);
		*person_id = sqlite3_column_int64(s, 1);
	}
	store_stmt_done(s);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? -ENOENT : store_fail(st, "import cqo find", rc);
}

int store_import_record_check(struct store *st, const char *credit_code, const char *person_name)
{
	int64_t appointment_id, person_id;
	return import_find_cqo(st, credit_code, person_name, &appointment_id, &person_id);
}
