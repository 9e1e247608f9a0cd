/*
 * Registry reads on the hot path: search (查询) and the record card.
 *
 * Every search mode has a count statement and a page statement. The lookups
 * by id, credit code, person name and exact enterprise name go through
 * indexes (the CROSS JOINs fix the join order so the planner starts from the
 * indexed table). The enterprise-name substring search reads the
 * enterprises whose name holds every two-character piece of the term (the
 * full-text index of migration 22, tokenizer in store_name_index.c) and
 * keeps those whose name is LIKE the term; when it matches many, the page
 * is read by walking appointments newest first instead, which stops after
 * `max` hits rather than sorting them all.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/digits.h"
#include "store_internal.h"
#include "store_training.h"

/* A removed record with a 黑名单 in force (not revoked) is blacklisted, not
 * merely removed by a 除名, whichever came first. */
#define BLACKLISTED \
	"(a.status = 'removed' AND EXISTS (SELECT 1 FROM sanctions k" \
	" WHERE k.appointment_id = a.id AND k.kind = '黑名单' AND k.status <> 'revoked'))"
#define HIT_COLUMNS "SELECT a.id, p.name, e.name, e.region_code, a.status, a.term_end, " BLACKLISTED
#define FROM_PERSON \
	" FROM people p CROSS JOIN appointments a ON a.person_id = p.id" \
	" CROSS JOIN enterprises e ON e.id = a.enterprise_id"
#define FROM_ENTERPRISE \
	" FROM enterprises e CROSS JOIN appointments a ON a.enterprise_id = e.id" \
	" CROSS JOIN people p ON p.id = a.person_id"
#define FROM_APPOINTMENT \
	" FROM appointments a CROSS JOIN enterprises e ON e.id = a.enterprise_id" \
	" CROSS JOIN people p ON p.id = a.person_id"
/* ?2 is the scope, a region-code prefix; "" matches every region. */
#define IN_SCOPE "substr(e.region_code, 1, length(?2)) = ?2"
#define NEWEST_FIRST " ORDER BY a.id DESC LIMIT ?3"
/* The count statement returns matches anywhere and matches in scope (the
 * former decides whether the term was a name of this kind at all); the
 * page statement returns hits in scope. */
#define SEARCH_SQL(where) \
	"SELECT count(*), coalesce(sum(" IN_SCOPE "), 0)" where, \
	HIT_COLUMNS where " AND " IN_SCOPE NEWEST_FIRST

/* Above this many substring matches the page walks appointments instead
 * of sorting the matches. */
#define SORT_MAX 500

enum search_mode { BY_ID, BY_CREDIT_CODE, BY_PERSON, BY_ENTERPRISE, BY_SUBSTRING, N_MODES };

/* ?4 is the full-text query of the term's pieces (name_query). */
#define LIKE_WHERE \
	" WHERE e.id IN (SELECT rowid FROM enterprise_name_index" \
	" WHERE enterprise_name_index MATCH ?4) AND e.name LIKE ?1 ESCAPE '\\'"

static const struct search_sql {
	const char *count_sql, *page_sql;
} search_sql[N_MODES] = {
	[BY_ID] = {SEARCH_SQL(FROM_APPOINTMENT " WHERE a.id = ?1")},
	[BY_CREDIT_CODE] = {SEARCH_SQL(FROM_ENTERPRISE " WHERE e.credit_code = ?1")},
	[BY_PERSON] = {SEARCH_SQL(FROM_PERSON " WHERE p.name = ?1")},
	[BY_ENTERPRISE] = {SEARCH_SQL(FROM_ENTERPRISE " WHERE e.name = ?1")},
	[BY_SUBSTRING] = {SEARCH_SQL(FROM_ENTERPRISE LIKE_WHERE)},
};

/* The page of a substring search with more than SORT_MAX matches. */
static const char like_walk_sql[] =
	HIT_COLUMNS FROM_APPOINTMENT LIKE_WHERE " AND " IN_SCOPE NEWEST_FIRST;

/* What ?1 is bound to: a number (BY_ID) or text; BY_SUBSTRING also binds
 * the full-text query (?4). */
struct search_key {
	int64_t id;
	const char *text;
	const char *match;
};

static int bind_key(sqlite3_stmt *s, enum search_mode mode, const struct search_key *key,
                    const char *scope)
{
	int rc = mode == BY_ID ? sqlite3_bind_int64(s, 1, key->id)
	                       : store_bind_text(s, 1, key->text);
	if (rc == SQLITE_OK)
		rc = store_bind_text(s, 2, scope);
	if (rc == SQLITE_OK && mode == BY_SUBSTRING)
		rc = store_bind_text(s, 4, key->match);
	return rc;
}

/* Reads up to max hits in scope with the page statement sql; *n is how
 * many. */
static int read_page(struct store *st, const char *sql, enum search_mode mode,
                     const struct search_key *key, const char *scope,
                     struct store_cqo_hit *out, size_t max, size_t *n)
{
	sqlite3_stmt *s = store_prepare(st, sql);
	int rc;

	*n = 0;
	if (!s)
		return -EIO;
	rc = bind_key(s, mode, key, scope);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(s, 3, max > INT32_MAX ? INT32_MAX : (int64_t)max);
	while (rc == SQLITE_OK && *n < max) {
		rc = sqlite3_step(s);
		if (rc != SQLITE_ROW)
			break;
		struct store_cqo_hit *h = &out[(*n)++];
		h->appointment_id = sqlite3_column_int64(s, 0);
		store_col_text(s, 1, h->person_name, sizeof h->person_name);
		store_col_text(s, 2, h->enterprise_name, sizeof h->enterprise_name);
		store_col_text(s, 3, h->region_code, sizeof h->region_code);
		store_col_text(s, 4, h->status, sizeof h->status);
		store_col_text(s, 5, h->term_end, sizeof h->term_end);
		h->blacklisted = sqlite3_column_int(s, 6) != 0;
		rc = SQLITE_OK;
	}
	store_stmt_done(s);
	return rc == SQLITE_OK || rc == SQLITE_DONE ? 0 : store_fail(st, "search", rc);
}

/* Runs one mode: *anywhere (whether the key matches any record, in scope
 * or not) and *total (matches in scope), and up to max hits.
 *
 * The exact lookups read the page first: a page with fewer hits than max
 * holds every match in scope, so the count statement runs only when the
 * page is empty (is there a match outside the scope?) or full. That saves
 * a statement on the commonest 查询, a name with one record. The substring
 * search counts first, since the count chooses its page statement. */
static int search_mode(struct store *st, enum search_mode mode, const struct search_key *key,
                       const char *scope, struct store_cqo_hit *out, size_t max,
                       bool *anywhere, size_t *total)
{
	const struct search_sql *q = &search_sql[mode];
	size_t n = 0;
	int rc;

	if (mode != BY_SUBSTRING && max > 0) {
		if ((rc = read_page(st, q->page_sql, mode, key, scope, out, max, &n)) < 0)
			return rc;
		if (n > 0 && n < max) {
			*anywhere = true;
			*total = n;
			return 0;
		}
	}
	sqlite3_stmt *s = store_prepare(st, q->count_sql);
	if (!s)
		return -EIO;
	rc = bind_key(s, mode, key, scope);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	*anywhere = rc == SQLITE_ROW && sqlite3_column_int64(s, 0) > 0;
	*total = rc == SQLITE_ROW ? (size_t)sqlite3_column_int64(s, 1) : 0;
	store_stmt_done(s);
	if (rc != SQLITE_ROW)
		return store_fail(st, "search count", rc);
	if (mode != BY_SUBSTRING || *total == 0 || max == 0)
		return 0;
	return read_page(st, *total > SORT_MAX ? like_walk_sql : q->page_sql, mode, key, scope,
	                 out, max, &n);
}

/* 18 ASCII letters and digits: a credit code, upper-cased into code[19]. */
static bool as_credit_code(const char *term, char code[19])
{
	size_t i;
	for (i = 0; term[i] && i < 18; i++) {
		char c = term[i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')))
			return false;
		code[i] = c;
	}
	code[i] = '\0';
	return i == 18 && term[18] == '\0';
}

/* "%term%" with LIKE's wildcards and the escape character escaped, so the
 * term matches literally. Caller frees. */
static char *like_pattern(const char *term)
{
	size_t len = strlen(term);
	char *p = malloc(2 * len + 3), *w = p;
	if (!p)
		return NULL;
	*w++ = '%';
	for (const char *r = term; *r; r++) {
		if (*r == '%' || *r == '_' || *r == '\\')
			*w++ = '\\';
		*w++ = *r;
	}
	*w++ = '%';
	*w = '\0';
	return p;
}

/* Bytes of the character at t, as the index's tokenizer counts them (the
 * terminating NUL is no continuation byte, so it bounds the count). */
static size_t char_len(const char *t)
{
	return store_char_len(t, SIZE_MAX);
}

/* Appends len bytes of t to w as an FTS5 string ("" for a quote). */
static char *quote_piece(char *w, const char *t, size_t len)
{
	*w++ = '"';
	for (size_t i = 0; i < len; i++) {
		if (t[i] == '"')
			*w++ = '"';
		*w++ = t[i];
	}
	*w++ = '"';
	return w;
}

/* The full-text query of every name that contains term: each of its
 * two-character pieces, ANDed; for one character, the pieces that start
 * with it (a prefix query). Caller frees. */
static char *name_query(const char *term)
{
	size_t len = strlen(term);
	/* Each byte quoted twice at most, in pieces of two characters. */
	char *q = malloc(4 * len + 8 * (len + 1)), *w = q;
	if (!q)
		return NULL;
	size_t first = char_len(term);
	if (!term[first]) {
		w = quote_piece(w, term, first);
		memcpy(w, " *", 2);
		w += 2;
	}
	for (size_t i = 0; term[i] && term[i + char_len(term + i)]; i += char_len(term + i)) {
		size_t a = char_len(term + i);
		if (w != q) {
			memcpy(w, " AND ", 5);
			w += 5;
		}
		w = quote_piece(w, term + i, a + char_len(term + i + a));
	}
	*w = '\0';
	return q;
}

/* By name: a person, else an enterprise, else a part of an enterprise name.
 * A name that exists only outside the scope still decides the kind, so a
 * person's name never falls through to the substring search. */
static int search_names(struct store *st, const char *term, const char *scope,
                        struct store_cqo_hit *out, size_t max, size_t *total)
{
	struct search_key key = {.text = term};
	bool anywhere;
	int rc = search_mode(st, BY_PERSON, &key, scope, out, max, &anywhere, total);
	if (rc == 0 && !anywhere)
		rc = search_mode(st, BY_ENTERPRISE, &key, scope, out, max, &anywhere, total);
	if (rc != 0 || anywhere)
		return rc;
	char *pattern = like_pattern(term);   /* both owned here */
	char *match = name_query(term);
	if (!pattern || !match)
		rc = -ENOMEM;
	if (rc == 0) {
		key.text = pattern;
		key.match = match;
		rc = search_mode(st, BY_SUBSTRING, &key, scope, out, max, &anywhere, total);
	}
	free(pattern);
	free(match);
	return rc;
}

int store_cqo_search(struct store *st, const char *term, const char *scope,
                     struct store_cqo_hit *out, size_t max, size_t *total)
{
	char code[19];
	bool anywhere;

	*total = 0;
	if (!term || !*term || !scope || strlen(scope) > 6 || (*scope && !digits_only(scope)) ||
	    (max > 0 && !out))
		return -EINVAL;
	/* Credit codes first: some are all digits, and no record number is 18
	 * digits long. */
	if (as_credit_code(term, code)) {
		struct search_key key = {.text = code};
		return search_mode(st, BY_CREDIT_CODE, &key, scope, out, max, &anywhere, total);
	}
	if (digits_only(term)) {
		char *end;
		errno = 0;
		struct search_key key = {.id = strtoll(term, &end, 10)};
		if (errno == ERANGE)
			return 0;   /* no record number is that large */
		return search_mode(st, BY_ID, &key, scope, out, max, &anywhere, total);
	}
	return search_names(st, term, scope, out, max, total);
}

/* The open sanctions of the appointment, newest first, at most 8. */
static int open_sanctions(struct store *st, struct store_cqo_record *r)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT id, kind, issued_on, reason FROM sanctions"
		" WHERE appointment_id = ?1 AND status = 'open'"
		" ORDER BY issued_on DESC, id DESC LIMIT ?2");
	const int cap = (int)(sizeof r->sanctions / sizeof r->sanctions[0]);
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, r->appointment_id);
	sqlite3_bind_int(s, 2, cap);
	r->n_sanctions = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && r->n_sanctions < cap) {
		struct store_sanction_brief *b = &r->sanctions[r->n_sanctions++];
		b->id = sqlite3_column_int64(s, 0);
		store_col_text(s, 1, b->kind, sizeof b->kind);
		store_col_text(s, 2, b->issued_on, sizeof b->issued_on);
		store_col_text(s, 3, b->reason, sizeof b->reason);
	}
	store_stmt_done(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : store_fail(st, "card sanctions", rc);
}

int store_cqo_record_get(struct store *st, int64_t id, int year, struct store_cqo_record *out)
{
	sqlite3_stmt *s = store_prepare(st,
		"SELECT a.id, p.id, e.id, p.name, p.gender, p.birth_date, p.education, p.title,"
		"  p.position, p.phone, p.email, e.name, e.credit_code, e.region_code, r.name,"
		"  a.doc_no, a.start_date, a.term_end, a.status, p.major,"
		"  coalesce(p.quality_years, -1), e.industry_code, e.size, e.nature,"
		"  coalesce(e.employees, -1), e.main_products, " BLACKLISTED
		" FROM appointments a JOIN people p ON p.id = a.person_id"
		" JOIN enterprises e ON e.id = a.enterprise_id"
		" LEFT JOIN regions r ON r.code = e.region_code"
		" WHERE a.id = ?1");
	if (!s)
		return -EIO;
	if (year < 1 || year > 9998)
		return -EINVAL;
	memset(out, 0, sizeof *out);
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->appointment_id = sqlite3_column_int64(s, 0);
		out->person_id = sqlite3_column_int64(s, 1);
		out->enterprise_id = sqlite3_column_int64(s, 2);
		store_col_text(s, 3, out->person_name, sizeof out->person_name);
		store_col_text(s, 4, out->gender, sizeof out->gender);
		store_col_text(s, 5, out->birth_date, sizeof out->birth_date);
		store_col_text(s, 6, out->education, sizeof out->education);
		store_col_text(s, 7, out->title, sizeof out->title);
		store_col_text(s, 8, out->position, sizeof out->position);
		store_col_text(s, 9, out->phone, sizeof out->phone);
		store_col_text(s, 10, out->email, sizeof out->email);
		store_col_text(s, 11, out->enterprise_name, sizeof out->enterprise_name);
		store_col_text(s, 12, out->credit_code, sizeof out->credit_code);
		store_col_text(s, 13, out->region_code, sizeof out->region_code);
		store_col_text(s, 14, out->region_name, sizeof out->region_name);
		store_col_text(s, 15, out->doc_no, sizeof out->doc_no);
		store_col_text(s, 16, out->start_date, sizeof out->start_date);
		store_col_text(s, 17, out->term_end, sizeof out->term_end);
		store_col_text(s, 18, out->status, sizeof out->status);
		store_col_text(s, 19, out->major, sizeof out->major);
		out->quality_years = sqlite3_column_int(s, 20);
		store_col_text(s, 21, out->industry_code, sizeof out->industry_code);
		store_col_text(s, 22, out->size, sizeof out->size);
		store_col_text(s, 23, out->nature, sizeof out->nature);
		out->employees = sqlite3_column_int64(s, 24);
		store_col_text(s, 25, out->main_products, sizeof out->main_products);
		out->blacklisted = sqlite3_column_int(s, 26) != 0;
	}
	store_stmt_done(s);
	if (rc == SQLITE_DONE)
		return -ENOENT;
	if (rc != SQLITE_ROW)
		return store_fail(st, "card", rc);
	struct store_hours h;
	rc = store_training_year(st, out->person_id, out->region_code, out->start_date, year, &h);
	out->hours_this_year = h.done;
	out->hours_required = h.required;
	snprintf(out->hours_kinds, sizeof out->hours_kinds, "%s", h.kinds);
	if (rc == 0)
		rc = open_sanctions(st, out);
	return rc;
}

int store_person_resume(struct store *st, int64_t person_id, char **out)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT resume FROM people WHERE id = ?1");

	*out = NULL;
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, person_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
		const char *text = (const char *)sqlite3_column_text(s, 0);
		if (text && !(*out = strdup(text)))
			rc = SQLITE_NOMEM;
	}
	store_stmt_done(s);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return -ENOENT;
	return rc == SQLITE_NOMEM ? -ENOMEM : store_fail(st, "resume", rc);
}

int store_person_brief(struct store *st, int64_t person_id, char *name, size_t len,
                       int64_t *appointment_id)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT p.name,"
		"  (SELECT coalesce(max(a.id), 0) FROM appointments a WHERE a.person_id = p.id)"
		" FROM people p WHERE p.id = ?1");
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, person_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		store_col_text(s, 0, name, len);
		*appointment_id = sqlite3_column_int64(s, 1);
	}
	store_stmt_done(s);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? -ENOENT : store_fail(st, "person brief", rc);
}

bool store_region_in_scope(const char *region, const char *scope)
{
	if (!region || !scope)
		return false;
	return strncmp(region, scope, strlen(scope)) == 0;
}
