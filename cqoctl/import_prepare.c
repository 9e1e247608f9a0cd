/*
 * Checking every row of an import before anything is written: the chat's
 * field rules (handlers/import_check.c), then what only the whole file
 * shows (the same enterprise, CQO, training or sanction twice, or an
 * enterprise described two ways, since the later row would undo the
 * earlier one on every import), then what the database says: regions and
 * the term their policy gives, another CQO in force, a CQO not on record.
 * The database is only read here, in short read transactions. A CQO row
 * that would change nothing is marked so (job->same) and not written; one
 * known so from its digest (store_import_cqo_known) is not checked at all,
 * one the full check had to find so is remembered after the writes
 * (job->confirm).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../store/store.h"
#include "../store/store_import.h"
#include "../store/store_policy.h"
#include "../lib/strbuf.h"
#include "../handlers/text/cqoctl.h"
#include "../handlers/text/registry.h"
#include "../messages/text.h"
#include "import.h"
#include "keyset.h"
#include "progress.h"

#define CMD "import"
#define VALUE_SHOWN 60   /* characters of a value quoted in a report line */
#define REGION_CANDIDATES 5   /* regions a problem lists for an ambiguous name */
#define READ_BATCH 2048       /* rows checked in one read transaction */

/* The value as a report line shows it: one line, cut at VALUE_SHOWN
 * characters. */
static void brief(const char *value, char *buf, size_t len)
{
	size_t chars = 0, n = 0;

	for (const char *p = value; *p && n + 8 < len; p++) {
		if (((unsigned char)*p & 0xC0) != 0x80 && chars++ == VALUE_SHOWN) {
			n += (size_t)snprintf(buf + n, len - n, "%s", TXT_CTL_IMP_MORE);
			break;
		}
		buf[n++] = *p == '\n' || *p == '\r' ? ' ' : *p;
	}
	buf[n] = '\0';
}

/* Keeps `text` (taken over) as a report line of `line`. */
static void report_line(struct import_job *job, unsigned line, char *text)
{
	if (job->n_report == job->cap_report) {
		size_t cap = job->cap_report ? job->cap_report * 2 : 64;
		struct import_report *r = realloc(job->report, cap * sizeof *r);
		if (!r) {
			job->out_of_memory = true;
			free(text);
			return;
		}
		job->report = r;
		job->cap_report = cap;
	}
	job->report[job->n_report] = (struct import_report){line, job->n_report, text};
	job->n_report++;
}

static int by_line(const void *a, const void *b)
{
	const struct import_report *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void import_report_flush(struct import_job *job)
{
	if (job->n_report)
		qsort(job->report, job->n_report, sizeof *job->report, by_line);
	for (size_t i = 0; i < job->n_report; i++) {
		fputs(job->report[i].text, stderr);
		free(job->report[i].text);
	}
	job->n_report = 0;
}

void import_problem(void *arg, const char *column, const char *value, const char *why)
{
	struct import_job *job = arg;
	char shown[VALUE_SHOWN * 4 + 8];
	struct strbuf sb;
	char **r = &job->reasons[job->current];
	unsigned line = job->rows[job->current].line;

	brief(value, shown, sizeof shown);
	strbuf_init(&sb);
	if (*column)
		strbuf_appendf(&sb, TXT_CTL_IMP_PROBLEM, job->path, line, column, shown, why);
	else
		strbuf_appendf(&sb, TXT_CTL_IMP_PROBLEM_ROW, job->path, line, why);
	char *text = strbuf_detach(&sb);
	if (text)
		report_line(job, line, text);
	else
		job->out_of_memory = true;
	if (!*r)
		job->n_bad++;
	strbuf_init(&sb);
	if (*r)
		strbuf_appendf(&sb, "%s" TXT_CTL_IMP_ROW_SEP, *r);
	if (*column)
		strbuf_appendf(&sb, TXT_CTL_IMP_REASON, column, why);
	else
		strbuf_appends(&sb, why);
	char *joined = strbuf_detach(&sb);
	if (joined) {
		free(*r);
		*r = joined;
	} else if (!*r) {
		/* Without memory for its reason the row cannot be set aside
		 * reliably: the whole import fails instead. */
		job->out_of_memory = true;
	}
}

void import_row_problem(struct import_job *job, size_t i, enum import_col col, const char *fmt,
                        ...)
{
	char why[256];
	va_list ap;
	const struct import_header *h = &job->header;
	int at = h->at[col];
	const struct import_record *rec = &job->recs[i + 1];

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	job->current = i;
	import_problem(job, import_header_name(h, col),
	               at >= 0 && (size_t)at < rec->n ? job->fields[rec->first + (size_t)at] : "",
	               why);
}

static bool blank_record(const struct import_job *job, const struct import_record *rec)
{
	for (size_t k = 0; k < rec->n; k++)
		for (const char *p = job->fields[rec->first + k]; *p; p++)
			if (*p != ' ' && *p != '\t')
				return false;
	return true;
}

static bool differs(const char *a, const char *b)
{
	return a && b && strcmp(a, b) != 0;
}

static bool enterprises_differ(const struct store_import_enterprise *a,
                               const struct store_import_enterprise *b)
{
	return differs(a->name, b->name) || differs(a->region_code, b->region_code) ||
	       differs(a->industry_code, b->industry_code) || differs(a->size, b->size) ||
	       differs(a->nature, b->nature) || differs(a->main_products, b->main_products) ||
	       differs(a->contact_name, b->contact_name) ||
	       differs(a->contact_phone, b->contact_phone) ||
	       (a->employees >= 0 && b->employees >= 0 && a->employees != b->employees) ||
	       (a->tags_add & b->tags_remove) || (a->tags_remove & b->tags_add);
}

static bool people_differ(const struct store_appoint_person *a,
                          const struct store_appoint_person *b)
{
	return differs(a->gender, b->gender) || differs(a->birth_date, b->birth_date) ||
	       differs(a->education, b->education) || differs(a->major, b->major) ||
	       differs(a->position, b->position) || differs(a->title, b->title) ||
	       differs(a->email, b->email) || differs(a->resume, b->resume) ||
	       (a->quality_years >= 0 && b->quality_years >= 0 &&
	        a->quality_years != b->quality_years);
}

/* The maps of first occurrences across the file; the enterprises (credit
 * codes) and people (ids) that rows checked so far will write. */
struct seen {
	struct keyset rows, enterprises, people, active;
	struct keyset written_enterprises, written_people;
};

/* Puts row index `i` under `key` in ks unless the key is there already:
 * *is_new says which, *first is the row already there. 0 or -ENOMEM. */
static int first_of(struct keyset *ks, const char *key, size_t i, size_t *first, bool *is_new)
{
	int rc = keyset_add(ks, key, i, first);

	*is_new = rc == 1;
	return rc < 0 ? rc : 0;
}

#define SEP "\x1f"

/* "a" SEP "b" into key[len], cut as snprintf would: the CQO rows' keys,
 * several a row, built without snprintf's cost. */
static void pair_key(char *key, size_t len, const char *a, const char *b)
{
	const char *parts[] = {a, SEP, b};
	size_t n = 0;

	for (size_t i = 0; i < 3; i++) {
		size_t k = strlen(parts[i]);
		if (k > len - 1 - n)
			k = len - 1 - n;
		memcpy(key + n, parts[i], k);
		n += k;
	}
	key[n] = '\0';
}

/* A row id as a key (decimal, as "%lld" writes it); ids are positive. */
static void id_key(char key[24], int64_t id)
{
	char digits[24];
	size_t n = 0;

	do
		digits[n++] = (char)('0' + id % 10);
	while ((id /= 10) > 0);
	for (size_t i = 0; i < n; i++)
		key[i] = digits[n - 1 - i];
	key[n] = '\0';
}

static int cross_cqo(struct import_job *job, struct seen *s, size_t i)
{
	const struct store_import_cqo *q = &job->rows[i].in.cqo;
	char key[256];
	size_t first;
	bool fresh;
	int rc;

	pair_key(key, sizeof key, q->enterprise.credit_code, q->person.name);
	if ((rc = first_of(&s->rows, key, i, &first, &fresh)) < 0)
		return rc;
	if (!fresh) {
		import_row_problem(job, i, IC_NAME, TXT_IMP_DUP_CQO, job->rows[first].line);
		return 0;
	}
	if ((rc = first_of(&s->enterprises, q->enterprise.credit_code, i, &first, &fresh)) < 0)
		return rc;
	if (!fresh && enterprises_differ(&job->rows[first].in.cqo.enterprise, &q->enterprise)) {
		import_row_problem(job, i, IC_CREDIT, TXT_IMP_DIFF_ENTERPRISE, job->rows[first].line);
		return 0;
	}
	/* The first row of its enterprise and of its person: if the database
	 * has neither, no row before it writes what it does (note_same). */
	bool firsts = fresh;
	if (q->person.phone) {
		pair_key(key, sizeof key, q->person.name, q->person.phone);
		if ((rc = first_of(&s->people, key, i, &first, &fresh)) < 0)
			return rc;
		if (!fresh && people_differ(&job->rows[first].in.cqo.person, &q->person)) {
			import_row_problem(job, i, IC_NAME, TXT_IMP_DIFF_PERSON, job->rows[first].line);
			return 0;
		}
		firsts = firsts && fresh;
	}
	if (!q->status || strcmp(q->status, "active") == 0) {
		if ((rc = first_of(&s->active, q->enterprise.credit_code, i, &first, &fresh)) < 0)
			return rc;
		if (!fresh) {
			import_row_problem(job, i, IC_NAME, TXT_IMP_TWO_ACTIVE, job->rows[first].line);
			return 0;
		}
	}
	job->fresh[i] = firsts;
	return 0;
}

/* One key per row: a repeat is a problem of the later row. */
static int cross_key(struct import_job *job, struct seen *s, size_t i)
{
	const struct import_row *row = &job->rows[i];
	char key[256];
	size_t first;
	bool fresh;
	int rc;

	switch (job->kind) {
	case IMPORT_ENTERPRISES:
		snprintf(key, sizeof key, "%s", row->in.enterprise.credit_code);
		break;
	case IMPORT_TRAININGS:
		snprintf(key, sizeof key, "%s" SEP "%s" SEP "%s" SEP "%s",
		         row->in.training.credit_code, row->in.training.person_name,
		         row->in.training.kind, row->in.training.date);
		break;
	case IMPORT_SANCTIONS:
		snprintf(key, sizeof key, "%s" SEP "%s" SEP "%s" SEP "%s",
		         row->in.sanction.credit_code, row->in.sanction.person_name,
		         row->in.sanction.kind, row->in.sanction.issued_on);
		break;
	default:
		return cross_cqo(job, s, i);
	}
	if ((rc = first_of(&s->rows, key, i, &first, &fresh)) < 0)
		return rc;
	if (fresh)
		return 0;
	unsigned line = job->rows[first].line;
	if (job->kind == IMPORT_ENTERPRISES)
		import_row_problem(job, i, IC_CREDIT, TXT_IMP_DUP_ENTERPRISE, line);
	else if (job->kind == IMPORT_TRAININGS)
		import_row_problem(job, i, IC_NAME, TXT_IMP_DUP_TRAINING, line);
	else
		import_row_problem(job, i, IC_NAME, TXT_IMP_DUP_SANCTION, line);
	return 0;
}

/* Region exists? Its term in months (0: unknown region), cached. */
static int region_term(struct import_job *job, struct keyset *cache, const char *region,
                       int *months)
{
	struct store_policy p;
	char name[96];
	size_t v;

	if (keyset_get(cache, region, &v)) {
		*months = (int)v;
		return 0;
	}
	int rc = store_region_name(job->ctl->st, region, name, sizeof name);
	if (rc == -ENOENT)
		*months = 0;
	else if (rc < 0)
		return rc;
	else if ((rc = store_policy_for_region(job->ctl->st, region, &p)) < 0)
		return rc;
	else
		*months = p.term_months;
	return keyset_put(cache, region, (size_t)*months);
}

/* A region given by name (雁塔区, 临沂市兰山区): its county's code, or a
 * problem listing the candidates (*resolved false). 0 or a negative errno. */
static int region_by_name(struct import_job *job, size_t i, struct store_import_enterprise *e,
                          bool *resolved)
{
	struct store_region_match m[REGION_CANDIDATES];
	struct import_row *row = &job->rows[i];
	size_t n;
	struct strbuf list;

	*resolved = false;
	int rc = store_regions_by_name(job->ctl->st, e->region_code, 3, m, REGION_CANDIDATES, &n);
	if (rc < 0)
		return rc;
	if (n == 1) {
		snprintf(row->region, sizeof row->region, "%s", m[0].code);
		e->region_code = row->region;
		*resolved = true;
		return 0;
	}
	if (n == 0) {
		import_row_problem(job, i, IC_REGION, TXT_IMP_REGION_NONE);
		return 0;
	}
	strbuf_init(&list);
	for (size_t k = 0; k < n && k < REGION_CANDIDATES; k++)
		strbuf_appendf(&list, "%s%s %s", k ? TXT_LIST_SEP : "", m[k].code, m[k].full_name);
	char *text = strbuf_detach(&list);
	if (!text)
		return -ENOMEM;
	import_row_problem(job, i, IC_REGION, TXT_IMP_REGION_SEVERAL, n, text,
	                   n > REGION_CANDIDATES ? TXT_CTL_IMP_MORE : "");
	free(text);
	return 0;
}

static int check_region(struct import_job *job, struct keyset *cache, size_t i)
{
	struct store_import_enterprise *e = import_row_enterprise(job->kind, &job->rows[i]);
	bool resolved;
	int months;

	if (!e)
		return 0;
	if (job->rows[i].region_by_name) {
		int rc = region_by_name(job, i, e, &resolved);
		if (rc < 0 || !resolved)
			return rc;
	}
	int rc = region_term(job, cache, e->region_code, &months);
	if (rc < 0)
		return rc;
	if (months == 0)
		import_row_problem(job, i, IC_REGION, TXT_APPT_REGION_UNKNOWN, e->region_code);
	else if (job->kind == IMPORT_CQOS && !job->rows[i].in.cqo.term_given)
		job->rows[i].in.cqo.term_months = months;
	return 0;
}

/* Whether CQO row i, which the database check found would write nothing
 * (r), stays so once the rows before it are written: none of those that
 * write shares its enterprise or its person. A row that writes is noted.
 * A row that creates all it writes, the first under its keys, is marked
 * fresh: no row before it writes what it does. */
static int note_same(struct import_job *job, struct seen *s, size_t i,
                     const struct store_import_result *r, bool known)
{
	const char *code = job->rows[i].in.cqo.enterprise.credit_code;
	char person[24];
	size_t v;

	job->fresh[i] = job->fresh[i] && r->fresh;
	id_key(person, r->person_id);
	bool shared = keyset_get(&s->written_enterprises, code, &v) ||
	              (r->person_id && keyset_get(&s->written_people, person, &v));
	if (r->unchanged && !shared) {
		job->same[i] = true;
		job->confirm[i] = !known;
		return 0;
	}
	int rc = keyset_put(&s->written_enterprises, code, i);
	if (rc == 0 && r->person_id)
		rc = keyset_put(&s->written_people, person, i);
	return rc;
}

/* What the database would refuse when the row is written, in file order
 * as the rows are written: a CQO row whose enterprise has another record in
 * force, a training or sanction for a CQO not on record. `ends` holds the
 * records that earlier good rows take out of force (the writing has done
 * so by the time it reaches this row). */
static int check_database(struct import_job *job, struct seen *s, struct keyset *ends, size_t i)
{
	struct store *st = job->ctl->st;
	const struct import_row *row = &job->rows[i];
	const struct store_import_cqo *q = &row->in.cqo;
	struct store_import_result r;
	const char *name;
	char key[24];
	size_t by;
	bool known;
	int rc;

	switch (job->kind) {
	case IMPORT_CQOS:
		/* A row known unchanged needs no check; any other is checked in
		 * full. */
		rc = store_import_cqo_known(st, q, &r);
		known = rc == 1;
		if (rc == 0)
			rc = store_import_cqo_check(st, q, &r);
		else if (known)
			rc = 0;
		if (rc == -EEXIST) {
			id_key(key, r.conflict_id);
			if (!keyset_get(ends, key, &by)) {
				import_row_problem(job, i, IC_NAME, TXT_IMP_ACTIVE_EXISTS,
				                   (long long)r.conflict_id, r.conflict_name);
				return 0;
			}
			rc = 0;
		}
		/* Ending its record frees the enterprise for the rows after it. */
		if (rc == 0 && r.id && q->status && strcmp(q->status, "active") != 0) {
			id_key(key, r.id);
			rc = keyset_put(ends, key, i);
		}
		return rc == 0 ? note_same(job, s, i, &r, known) : rc;
	case IMPORT_TRAININGS:
		name = row->in.training.person_name;
		rc = store_import_record_check(st, row->in.training.credit_code, name);
		break;
	case IMPORT_SANCTIONS:
		name = row->in.sanction.person_name;
		rc = store_import_record_check(st, row->in.sanction.credit_code, name);
		break;
	default:
		return 0;
	}
	if (rc == -ENOENT) {
		import_row_problem(job, i, IC_NAME, TXT_IMP_NO_CQO, name);
		return 0;
	}
	return rc;
}

/* The field rules, row by row. */
static int check_fields(struct import_job *job)
{
	struct import_sink sink = {import_problem, job};
	struct progress bar;

	progress_start(&bar, TXT_CTL_IMP_CHECK_STEP, job->n_rows);
	for (size_t i = 0; i < job->n_rows; i++) {
		const struct import_record *rec = &job->recs[i + 1];
		progress_update(&bar, i);
		if ((job->blank[i] = blank_record(job, rec)))
			continue;
		job->current = i;
		job->rows[i].line = rec->line;
		if (import_row_read(&job->header, job->fields + rec->first, rec->n,
		                    job->ctl->today, &job->rows[i], &sink) < 0)
			continue;
		struct store_import_enterprise *e = import_row_enterprise(job->kind, &job->rows[i]);
		if (e) {
			e->tags_add |= job->tags;
			e->tags_remove &= ~job->tags;
			e->tags_year = job->tags_year;
		}
	}
	progress_end(&bar);
	return 0;
}

int import_prepare(struct import_job *job)
{
	struct seen s;
	struct keyset regions, ends;
	struct progress bar;
	size_t batch = 0;
	int rc;

	job->n_rows = job->n_recs - 1;
	job->rows = calloc(job->n_rows + 1, sizeof *job->rows);
	job->reasons = calloc(job->n_rows + 1, sizeof *job->reasons);
	job->blank = calloc(job->n_rows + 1, sizeof *job->blank);
	job->same = calloc(job->n_rows + 1, sizeof *job->same);
	job->fresh = calloc(job->n_rows + 1, sizeof *job->fresh);
	job->confirm = calloc(job->n_rows + 1, sizeof *job->confirm);
	if (!job->rows || !job->reasons || !job->blank || !job->same || !job->fresh ||
	    !job->confirm)
		return ctl_store_fail(CMD, -ENOMEM);
	if ((rc = check_fields(job)) != 0)
		return rc;
	keyset_init(&s.rows);
	keyset_init(&s.enterprises);
	keyset_init(&s.people);
	keyset_init(&s.active);
	keyset_init(&s.written_enterprises);
	keyset_init(&s.written_people);
	keyset_init(&regions);
	keyset_init(&ends);
	/* A key per row at most: sized once, never rehashed. Not the keys of
	 * the rows that write, none in a re-import of the same file: a lookup
	 * in an empty set reads no memory, one in a large empty table misses
	 * the cache, and its pages cost faults. */
	struct keyset *per_row[] = {&s.rows, &s.enterprises, &s.people, &s.active};
	rc = 0;
	for (size_t k = 0; rc == 0 && k < sizeof per_row / sizeof per_row[0]; k++)
		rc = keyset_reserve(per_row[k], job->n_rows);
	progress_start(&bar, TXT_CTL_IMP_CHECK_STEP, job->n_rows);
	for (size_t i = 0; rc == 0 && i < job->n_rows; i++) {
		progress_update(&bar, i);
		if (job->blank[i] || job->reasons[i])
			continue;
		/* Reads in one transaction per batch of rows, not one per
		 * statement: each takes and drops SQLite's file locks. Short
		 * batches keep the daemon's checkpoints from waiting on it. */
		if (batch++ % READ_BATCH == 0) {
			if (store_in_txn(job->ctl->st))
				rc = store_read_end(job->ctl->st);
			if (rc == 0)
				rc = store_read_begin(job->ctl->st);
		}
		if (rc == 0)
			rc = cross_key(job, &s, i);
		if (rc == 0 && !job->reasons[i])
			rc = check_region(job, &regions, i);
		if (rc == 0 && !job->reasons[i])
			rc = check_database(job, &s, &ends, i);
	}
	if (store_in_txn(job->ctl->st)) {
		int end = store_read_end(job->ctl->st);
		rc = rc ? rc : end;
	}
	progress_end(&bar);
	keyset_free(&s.rows);
	keyset_free(&s.enterprises);
	keyset_free(&s.people);
	keyset_free(&s.active);
	keyset_free(&s.written_enterprises);
	keyset_free(&s.written_people);
	keyset_free(&regions);
	keyset_free(&ends);
	return rc < 0 ? ctl_store_fail(CMD, rc) : 0;
}
