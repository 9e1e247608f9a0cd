/*
 * Writing an import: every good row in one transaction. A row the
 * database refuses (an enterprise with another CQO in force, a training for
 * a CQO not on record) is reported like the others and the rows after it
 * still run, also when earlier checks refused rows, so one pass reports
 * them all. Nothing is kept unless every row went in, or --skip-bad was
 * given: then each row runs in a savepoint
 * so a refused one is undone alone, and the bad rows go to the reject file
 * before the commit, so a reject file that cannot be written keeps the
 * database as it was.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../daemon/csv.h"
#include "../daemon/store.h"
#include "../daemon/store_import.h"
#include "../messages/text.h"
#include "import.h"
#include "progress.h"

#define CMD "import"

struct tally {
	size_t n[3][3];   /* [enterprise, person, record][same, created, updated] */
};

static void count(struct tally *t, const struct import_job *job,
                  const struct store_import_result *r)
{
	if (job->kind == IMPORT_ENTERPRISES || job->kind == IMPORT_CQOS)
		t->n[0][r->enterprise]++;
	if (job->kind == IMPORT_CQOS)
		t->n[1][r->person]++;
	if (job->kind != IMPORT_ENTERPRISES)
		t->n[2][r->record]++;
}

static void print_line(const char *what, const size_t n[3])
{
	printf(TXT_CTL_IMP_SUMMARY, what, n[STORE_IMPORT_CREATED], n[STORE_IMPORT_UPDATED],
	       n[STORE_IMPORT_SAME]);
}

static void summary(const struct import_job *job, const struct tally *t)
{
	if (job->kind == IMPORT_ENTERPRISES || job->kind == IMPORT_CQOS)
		print_line(TXT_CTL_IMP_ENTERPRISES, t->n[0]);
	if (job->kind == IMPORT_CQOS) {
		print_line(TXT_CTL_IMP_PEOPLE, t->n[1]);
		print_line(TXT_CTL_IMP_RECORDS, t->n[2]);
	} else if (job->kind == IMPORT_TRAININGS) {
		print_line(TXT_CTL_IMP_TRAININGS, t->n[2]);
	} else if (job->kind == IMPORT_SANCTIONS) {
		print_line(TXT_CTL_IMP_SANCTIONS, t->n[2]);
	}
}

/* Runs row i; 1 when the database refused it (reported), 0, or a negative
 * errno that ends the import. */
static int apply_row(struct import_job *job, size_t i, const struct store_actor *who,
                     struct store_import_result *r)
{
	struct store *st = job->ctl->st;
	const struct import_row *row = &job->rows[i];
	int64_t now = job->ctl->now;
	int rc;

	switch (job->kind) {
	case IMPORT_ENTERPRISES:
		rc = store_import_enterprise(st, who, &row->in.enterprise, now, r);
		break;
	case IMPORT_CQOS:
		rc = store_import_cqo(st, who, &row->in.cqo, now, r);
		if (rc == -EEXIST) {
			import_row_problem(job, i, IC_NAME, TXT_IMP_ACTIVE_EXISTS,
			                   (long long)r->conflict_id, r->conflict_name);
			return 1;
		}
		break;
	case IMPORT_TRAININGS:
		rc = store_import_training(st, who, &row->in.training, now, r);
		break;
	default:
		rc = store_import_sanction(st, who, &row->in.sanction, now, r);
		break;
	}
	if (rc == -ENOENT && job->kind != IMPORT_ENTERPRISES && job->kind != IMPORT_CQOS) {
		const char *name = job->kind == IMPORT_TRAININGS ? row->in.training.person_name
		                                                 : row->in.sanction.person_name;
		import_row_problem(job, i, IC_NAME, TXT_IMP_NO_CQO, name);
		return 1;
	}
	if (rc == -EINVAL || rc == -EEXIST) {
		job->current = i;
		import_problem(job, "", "", TXT_IMP_REFUSED);
		return 1;
	}
	return rc;
}

static int apply_rows(struct import_job *job, struct tally *t)
{
	struct store_actor who;
	struct progress bar;
	int rc = 0;

	ctl_actor(job->ctl, CMD, &who);
	progress_start(&bar, TXT_CTL_IMP_STEP, job->n_rows);
	for (size_t i = 0; rc == 0 && i < job->n_rows; i++) {
		struct store_import_result r;

		progress_update(&bar, i);
		if (job->blank[i] || job->reasons[i])
			continue;
		/* A savepoint per row only when bad rows are left out: otherwise a
		 * bad row rolls back the whole import anyway. */
		if (job->skip_bad && (rc = store_import_row_begin(job->ctl->st)) < 0)
			break;
		rc = apply_row(job, i, &who, &r);
		int end = job->skip_bad ? store_import_row_end(job->ctl->st, rc == 0) : 0;
		if (rc == 0)
			count(t, job, &r);
		if (rc == 1)
			rc = 0;
		if (rc == 0)
			rc = end;
	}
	progress_end(&bar);
	return rc;
}

/* The bad rows as they were read, with their reasons in a last column. */
static int write_rejects(struct import_job *job)
{
	char errors_header[64];
	struct csv_writer w;
	size_t ncols;
	const struct import_column *cols = import_columns(job->kind, &ncols);
	int skip = job->header.at[IC_ERRORS];
	FILE *f = ctl_open_out(CMD, job->reject_path);

	if (!f)
		return CTL_FAILED;
	for (size_t c = 0; c < ncols; c++)
		if (cols[c].col == IC_ERRORS)
			import_column_header(&cols[c], errors_header, sizeof errors_header);
	fputs("\xEF\xBB\xBF", f);
	csv_writer_init(&w, f);
	for (size_t r = 0; r <= job->n_rows; r++) {
		if (r > 0 && !job->reasons[r - 1])
			continue;
		const struct import_record *rec = &job->recs[r];
		for (size_t k = 0; k < rec->n; k++)
			if ((int)k != skip)
				csv_write_field(&w, job->fields[rec->first + k]);
		csv_write_field(&w, r == 0 ? errors_header : job->reasons[r - 1]);
		csv_end_record(&w);
	}
	return ctl_close_out(CMD, f, job->reject_path);
}

int import_apply(struct import_job *job)
{
	struct store *st = job->ctl->st;
	struct tally t = {0};

	/* Rows already refused are passed over, the others still run, so that
	 * one report also has what only the database can tell. */
	int rc = store_import_begin(st);
	if (rc == 0)
		rc = apply_rows(job, &t);
	if (rc == 0 && job->out_of_memory)
		rc = -ENOMEM;
	if (rc < 0) {
		store_rollback(st);
		import_report_flush(job);
		return ctl_store_fail(CMD, rc);
	}
	if (job->n_bad && !job->skip_bad) {
		store_rollback(st);
		import_report_flush(job);
		return ctl_fail(CMD, TXT_CTL_IMP_REJECTED, job->n_bad);
	}
	import_report_flush(job);
	if (job->n_bad && write_rejects(job) != CTL_OK) {
		store_rollback(st);
		return CTL_FAILED;
	}
	if (job->dry_run)
		store_rollback(st);
	else if ((rc = store_commit(st)) < 0) {
		store_rollback(st);
		return ctl_store_fail(CMD, rc);
	}
	summary(job, &t);
	if (job->n_bad)
		printf(TXT_CTL_IMP_SKIPPED, job->n_bad, job->reject_path);
	if (job->dry_run)
		fputs(TXT_CTL_IMP_DRY_RUN, stdout);
	return CTL_OK;
}
