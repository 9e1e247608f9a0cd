/*
 * Writing an import, once import_prepare has checked every row against the
 * file and the database and every problem is reported: nothing is written
 * unless every row is good or --skip-bad was given, and the reject file is
 * written before the first row, so a reject file that cannot be written
 * leaves the database as it was.
 *
 * The good rows go in in chunks (chunk.h), one short transaction each, so
 * that the daemon's writes get through in between. Every row is an upsert
 * that changes nothing once it is in, so an import cut short (a crash, a
 * kill, a full disk) is finished by running it again.
 *
 * A row the database still refuses is one the checks could not foresee:
 * the database changed since (the daemon filed a CQO meanwhile). Under
 * --skip-bad each row runs in a savepoint, so such a row is undone alone,
 * reported and added to the reject file; otherwise its chunk is rolled
 * back and the import stops there, the chunks before it kept.
 *
 * --dry-run writes into a private copy of the database (in $TMPDIR) in one
 * transaction it rolls back: its counts are exact and the live database is
 * never locked.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/csv.h"
#include "../lib/log.h"
#include "../store/store.h"
#include "../store/store_backup.h"
#include "../store/store_import.h"
#include "../handlers/text/cqoctl.h"
#include "chunk.h"
#include "import.h"
#include "progress.h"

#define CMD "import"
#define COPY_PAGES 1024
/* New CQO rows are written IMPORT_BATCH at a time (store_import_cqos_new),
 * 60 to 90 µs a row here (20,000 to 100,000 rows), against 80 to 115 µs
 * one by one; a row that updates takes about 100 µs. The clock is read
 * after each step, ~10 ms, and chunk_run counts the next one in. The row
 * limit keeps one chunk's WAL bounded, and a 10,000-row file in two
 * chunks at least. */
#define IMPORT_BATCH 128
static const struct chunk_limits import_limits = {.max_rows = 5000, .step = IMPORT_BATCH};
/* Rows between progress updates of a dry run. */
#define DRY_RUN_STEP (4 * IMPORT_BATCH)

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

/* The rows being written and what became of them. */
struct writer {
	struct import_job *job;
	struct store *st;            /* the database, or --dry-run's copy */
	struct store_actor who;
	struct tally t;
	size_t refused;              /* rows the database refused after the checks */
	struct store_import_batch batch;   /* the chunk's deferred triggers */
	size_t *todo;                /* owned: the rows to write, in file order */
	size_t n_todo;
	/* Fresh rows (job->fresh) not written yet, all after the rows written:
	 * their indexes. */
	size_t pending[IMPORT_BATCH];
	size_t n_pending;
};

/* Runs row i; 1 when the database refused it (reported), 0, or a negative
 * errno that ends the import. */
static int apply_row(struct writer *w, size_t i, struct store_import_result *r)
{
	struct import_job *job = w->job;
	struct store *st = w->st;
	const struct import_row *row = &job->rows[i];
	int64_t now = job->ctl->now;
	int rc;

	switch (job->kind) {
	case IMPORT_ENTERPRISES:
		rc = store_import_enterprise(st, &w->who, &row->in.enterprise, now, r);
		break;
	case IMPORT_CQOS:
		rc = store_import_cqo(st, &w->who, &row->in.cqo, now, r);
		if (rc == -EEXIST) {
			import_row_problem(job, i, IC_NAME, TXT_IMP_ACTIVE_EXISTS,
			                   (long long)r->conflict_id, r->conflict_name);
			return 1;
		}
		break;
	case IMPORT_TRAININGS:
		rc = store_import_training(st, &w->who, &row->in.training, now, r);
		break;
	default:
		rc = store_import_sanction(st, &w->who, &row->in.sanction, now, r);
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

/* Lists the good rows to write in w->todo; those the checks found would
 * write nothing are counted as unchanged instead. 0 or -ENOMEM. */
static int plan_rows(struct writer *w)
{
	struct import_job *job = w->job;
	struct store_import_result same = {0};

	if (!(w->todo = malloc((job->n_rows + 1) * sizeof *w->todo)))
		return -ENOMEM;
	for (size_t i = 0; i < job->n_rows; i++) {
		if (job->blank[i] || job->reasons[i])
			continue;
		if (job->same[i])
			count(&w->t, job, &same);
		else
			w->todo[w->n_todo++] = i;
	}
	return 0;
}

/* Writes row i alone; 0 or a negative errno (-ECANCELED: refused, and
 * not --skip-bad). */
static int write_one(struct writer *w, size_t i)
{
	struct import_job *job = w->job;
	struct store_import_result r;
	int rc;

	/* A savepoint per row only when bad rows are left out: otherwise a
	 * refused row ends the chunk anyway. */
	if (job->skip_bad && (rc = store_import_row_begin(w->st)) < 0)
		return rc;
	rc = apply_row(w, i, &r);
	int end = job->skip_bad ? store_import_row_end(w->st, rc == 0) : 0;
	if (rc == 0)
		count(&w->t, job, &r);
	if (rc == 1) {
		w->refused++;
		rc = job->skip_bad ? 0 : -ECANCELED;
	}
	return rc ? rc : end;
}

/* Writes the pending fresh rows together; when the database says one is
 * not new any more, one by one, each meeting what it meets. */
static int write_pending(struct writer *w)
{
	const struct store_import_result created = {
		.enterprise = STORE_IMPORT_CREATED,
		.person = STORE_IMPORT_CREATED,
		.record = STORE_IMPORT_CREATED,
	};
	const struct store_import_cqo *in[IMPORT_BATCH];
	size_t n = w->n_pending;
	int rc;

	if (n == 0)
		return 0;
	w->n_pending = 0;
	for (size_t k = 0; k < n; k++)
		in[k] = &w->job->rows[w->pending[k]].in.cqo;
	rc = store_import_cqos_new(w->st, &w->who, in, n, w->job->ctl->now);
	for (size_t k = 0; rc == 0 && k < n; k++)
		count(&w->t, w->job, &created);
	if (rc != -EAGAIN)
		return rc;
	rc = 0;
	for (size_t k = 0; rc == 0 && k < n; k++)
		rc = write_one(w, w->pending[k]);
	return rc;
}

/* Writes todo[from, to) (chunk_apply_fn) in file order, fresh rows in
 * batches; a refused row ends the chunk with -ECANCELED unless
 * --skip-bad. */
static int write_rows(void *arg, size_t from, size_t to)
{
	struct writer *w = arg;
	struct import_job *job = w->job;
	int rc = 0;

	for (size_t k = from; rc == 0 && k < to; k++) {
		size_t i = w->todo[k];

		if (job->fresh[i]) {
			w->pending[w->n_pending++] = i;
			if (w->n_pending == IMPORT_BATCH)
				rc = write_pending(w);
			continue;
		}
		rc = write_pending(w);
		if (rc == 0)
			rc = write_one(w, i);
	}
	return rc ? rc : write_pending(w);
}

/* A chunk's triggers are deferred to its end (store_import_batch_begin). */
static int chunk_opened(void *arg)
{
	struct writer *w = arg;

	return store_import_batch_begin(w->st, &w->batch);
}

static int chunk_closing(void *arg, int rc)
{
	struct writer *w = arg;

	return store_import_batch_end(w->st, &w->batch, rc);
}

/* The rows of job->confirm, remembered as unchanged where they still are
 * (chunk_apply_fn over w->todo). */
static int confirm_rows(void *arg, size_t from, size_t to)
{
	struct writer *w = arg;
	int rc = 0;

	for (size_t k = from; rc == 0 && k < to; k++)
		rc = store_import_cqo_confirm(w->st, &w->job->rows[w->todo[k]].in.cqo);
	return rc;
}

/* After the writes: the rows the checks had to read in full and found
 * unchanged are remembered, so that the next import of the file knows
 * them from one lookup each (store_import_cqo_known). In chunks of their
 * own, which the summary does not count: no row of the registry changes.
 * A failure only leaves them to be checked in full again: a warning. */
static void confirm_unchanged(struct writer *w)
{
	struct import_job *job = w->job;
	struct chunk_stats done;
	struct progress bar;

	w->n_todo = 0;
	for (size_t i = 0; i < job->n_rows; i++)
		if (job->confirm[i] && !job->reasons[i])
			w->todo[w->n_todo++] = i;
	if (w->n_todo == 0)
		return;
	progress_start(&bar, TXT_CTL_IMP_CONFIRM_STEP, w->n_todo);
	int rc = chunk_run(w->st, w->n_todo, &import_limits,
	                   &(struct chunk_job){confirm_rows, NULL, NULL, w}, &bar, &done);
	progress_end(&bar);
	if (rc < 0)
		log_warn("cqoctl import: unchanged rows not remembered: %s", strerror(-rc));
}

/* The good rows of the file. */
static size_t good_rows(const struct import_job *job)
{
	size_t good = 0;
	for (size_t i = 0; i < job->n_rows; i++)
		good += !job->blank[i] && !job->reasons[i];
	return good;
}

static void remove_copy(const char *path)
{
	static const char *const suffixes[] = {"", "-wal", "-shm", ".part"};
	char p[PATH_MAX + 8];

	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		snprintf(p, sizeof p, "%s%s", path, suffixes[i]);
		unlink(p);
	}
}

/* --dry-run: every good row into a copy of the database, rolled back. */
static int write_to_copy(struct writer *w, struct progress *bar)
{
	const char *dir = getenv("TMPDIR");
	char path[PATH_MAX];
	struct store *copy = NULL;
	size_t n = w->n_todo;

	if (snprintf(path, sizeof path, "%s/cqoctl-dry-run-XXXXXX", dir && *dir ? dir : "/tmp") >=
	    (int)sizeof path)
		return -ENAMETOOLONG;
	int fd = mkstemp(path);
	if (fd < 0)
		return -errno;
	close(fd);
	/* The online backup reads one snapshot and never blocks the daemon. */
	int rc = store_backup(w->job->ctl->st, path, COPY_PAGES, NULL, NULL);
	if (rc == 0)
		rc = store_open(path, &copy);
	if (rc == 0)
		rc = store_import_setup(copy);
	if (rc == 0)
		rc = store_begin(copy);
	w->st = copy;
	for (size_t i = 0; rc == 0 && i < n;) {
		size_t j = n - i > DRY_RUN_STEP ? i + DRY_RUN_STEP : n;
		rc = write_rows(w, i, j);
		progress_update(bar, i = j);
	}
	if (copy) {
		store_rollback(copy);
		store_close(copy);
	}
	remove_copy(path);
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

/* Says how the import failed after the checks; the report is out. */
static int write_failed(struct import_job *job, int rc, const struct chunk_stats *done)
{
	char why[256];
	size_t rows = done->done;

	if (rc == -ECANCELED && done->chunks == 0)
		return ctl_fail(CMD, TXT_CTL_IMP_REJECTED, job->n_bad);
	if (rc == -ECANCELED)
		return ctl_fail(CMD, TXT_CTL_IMP_LATE, done->chunks, rows);
	ctl_store_reason(rc, why, sizeof why);
	if (done->chunks == 0)
		return ctl_fail(CMD, "%s", why);
	return ctl_fail(CMD, TXT_CTL_IMP_PARTIAL, why, done->chunks, rows);
}

int import_apply(struct import_job *job)
{
	struct writer w = {.job = job, .st = job->ctl->st};
	struct chunk_stats done = {0};
	struct progress bar;
	int rc;

	import_report_flush(job);
	if (job->out_of_memory)
		return ctl_store_fail(CMD, -ENOMEM);
	if (job->n_bad && !job->skip_bad)
		return ctl_fail(CMD, TXT_CTL_IMP_REJECTED, job->n_bad);
	if (job->n_bad && write_rejects(job) != CTL_OK)
		return CTL_FAILED;
	ctl_actor(job->ctl, CMD, &w.who);
	if ((rc = plan_rows(&w)) < 0)
		return ctl_store_fail(CMD, rc);
	progress_start(&bar, TXT_CTL_IMP_STEP, w.n_todo);
	if (job->dry_run)
		rc = write_to_copy(&w, &bar);
	else if (w.n_todo && (rc = store_import_setup(w.st)) == 0)
		rc = chunk_run(w.st, w.n_todo, &import_limits,
		               &(struct chunk_job){write_rows, chunk_opened, chunk_closing, &w}, &bar,
		               &done);
	progress_end(&bar);
	if (rc == 0 && !job->dry_run)
		confirm_unchanged(&w);
	free(w.todo);
	import_report_flush(job);
	if (rc == 0 && job->out_of_memory)
		rc = -ENOMEM;
	if (rc < 0)
		return write_failed(job, rc, &done);
	/* Rows refused while writing join the reject file. */
	if (w.refused && write_rejects(job) != CTL_OK)
		return CTL_FAILED;
	summary(job, &w.t);
	if (!job->dry_run)
		printf(TXT_CTL_IMP_CHUNKS, done.chunks, good_rows(job),
		       (unsigned long long)done.max_ms);
	if (job->n_bad)
		printf(TXT_CTL_IMP_SKIPPED, job->n_bad, job->reject_path);
	if (job->dry_run)
		fputs(TXT_CTL_IMP_DRY_RUN, stdout);
	return CTL_OK;
}
