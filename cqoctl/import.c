/*
 * cqoctl import enterprises|cqos|trainings|sanctions FILE: options, reading
 * the file, its encoding and its CSV records; see import.h for the steps
 * after.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../lib/csv.h"
#include "../lib/strbuf.h"
#include "../store/store_import.h"
#include "../handlers/text/cqoctl.h"
#include "../messages/text.h"
#include "import.h"
#include "textfile.h"

#define CMD "import"

static int push_record(struct import_job *job, const struct csv_record *rec, size_t *cap_recs,
                       size_t *cap_fields)
{
	if (job->n_recs == *cap_recs) {
		size_t cap = *cap_recs ? *cap_recs * 2 : 1024;
		struct import_record *r = realloc(job->recs, cap * sizeof *r);
		if (!r)
			return -ENOMEM;
		job->recs = r;
		*cap_recs = cap;
	}
	while (job->n_fields + rec->n > *cap_fields) {
		size_t cap = *cap_fields ? *cap_fields * 2 : 16384;
		char **f = realloc(job->fields, cap * sizeof *f);
		if (!f)
			return -ENOMEM;
		job->fields = f;
		*cap_fields = cap;
	}
	memcpy(job->fields + job->n_fields, rec->fields, rec->n * sizeof *rec->fields);
	job->recs[job->n_recs++] = (struct import_record){rec->line, job->n_fields, rec->n};
	job->n_fields += rec->n;
	return 0;
}

/* Splits job->text into records (in place). */
static int split_records(struct import_job *job)
{
	struct csv_reader r;
	struct csv_record rec;
	size_t cap_recs = 0, cap_fields = 0;
	int rc;

	csv_reader_init(&r, job->text, job->text_len);
	while ((rc = csv_read(&r, &rec)) == 1) {
		if ((rc = push_record(job, &rec, &cap_recs, &cap_fields)) < 0)
			break;
	}
	csv_reader_free(&r);
	if (rc == -EINVAL)
		return ctl_fail(CMD, TXT_CTL_IMP_QUOTES, job->path, r.error_line);
	if (rc < 0)
		return ctl_store_fail(CMD, rc);
	if (job->n_recs == 0)
		return ctl_fail(CMD, TXT_CTL_IMP_EMPTY, job->path);
	return 0;
}

static bool ignored(const struct import_job *job, const char *cell)
{
	for (size_t i = 0; i < job->n_ignore; i++)
		if (strcmp(job->ignore[i], cell) == 0)
			return true;
	return false;
}

/* A column the import does not know is an error unless --ignore-column
 * names it: a file's data is never dropped unseen. */
static int read_header(struct import_job *job)
{
	char why[256], unknown[512];
	const struct import_record *h = &job->recs[0];
	struct strbuf left;

	if (import_header_read(job->kind, job->fields + h->first, h->n, &job->header, why,
	                       sizeof why, unknown, sizeof unknown) < 0)
		return ctl_fail(CMD, TXT_CTL_FILE, job->path, why);
	strbuf_init(&left);
	for (size_t i = 0; i < h->n; i++) {
		const char *cell = job->fields[h->first + i];
		if (import_header_unknown(&job->header, i) && !ignored(job, cell))
			strbuf_appendf(&left, "%s“%s”", left.len ? TXT_LIST_SEP : "", cell);
	}
	char *list = strbuf_detach(&left);
	if (!list)
		return ctl_store_fail(CMD, -ENOMEM);
	int rc = *list ? ctl_fail(CMD, TXT_CTL_IMP_UNKNOWN_COLS, job->path, list) : 0;
	free(list);
	return rc;
}

/* "x.csv" -> "x.rejects.csv". */
static char *default_reject_path(const char *path)
{
	size_t n = strlen(path);
	if (n > 4 && strcasecmp(path + n - 4, ".csv") == 0)
		n -= 4;
	size_t len = n + sizeof ".rejects.csv";
	char *out = malloc(len);
	if (out)
		snprintf(out, len, "%.*s.rejects.csv", (int)n, path);
	return out;
}

static int parse_options(struct import_job *job, int argc, char **argv)
{
	static const struct option opts[] = {
		{"encoding", required_argument, NULL, 'e'},
		{"tag", required_argument, NULL, 't'},
		{"year", required_argument, NULL, 'y'},
		{"skip-bad", no_argument, NULL, 's'},
		{"reject", required_argument, NULL, 'r'},
		{"dry-run", no_argument, NULL, 'n'},
		{"ignore-column", required_argument, NULL, 'i'},
		{NULL, 0, NULL, 0},
	};
	int opt, tag;
	long year;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'e':
			if (textenc_parse(optarg, &job->encoding) < 0)
				return ctl_usage(CMD, TXT_CTL_IMP_ENCODING);
			break;
		case 't':
			if ((tag = store_import_tag_index(optarg)) < 0)
				return ctl_usage(CMD, TXT_CTL_IMP_TAG, optarg);
			job->tags |= 1u << tag;
			break;
		case 'y':
			if (!ctl_parse_long(optarg, 2000, 2200, &year))
				return ctl_usage(CMD, TXT_CTL_BAD_YEAR);
			job->tags_year = (int)year;
			break;
		case 's': job->skip_bad = true; break;
		case 'r':
			free(job->reject_path);
			if (!(job->reject_path = strdup(optarg)))
				return ctl_store_fail(CMD, -ENOMEM);
			break;
		case 'n': job->dry_run = true; break;
		case 'i':
			if (job->n_ignore == IMPORT_MAX_IGNORE)
				return ctl_usage(CMD, TXT_CTL_IMP_IGNORE_MANY, IMPORT_MAX_IGNORE);
			job->ignore[job->n_ignore++] = import_trim(optarg);
			break;
		default: return ctl_usage(CMD, TXT_CTL_BAD_OPTION);
		}
	}
	if (argc - optind != 2)
		return ctl_usage(CMD, TXT_CTL_ARGS);
	if (import_kind_parse(argv[optind], &job->kind) < 0)
		return ctl_usage(CMD, TXT_CTL_IMP_KIND);
	job->path = argv[optind + 1];
	if ((job->tags || job->tags_year) && job->kind != IMPORT_ENTERPRISES &&
	    job->kind != IMPORT_CQOS)
		return ctl_usage(CMD, TXT_CTL_IMP_TAG_KIND);
	if (!job->reject_path && !(job->reject_path = default_reject_path(job->path)))
		return ctl_store_fail(CMD, -ENOMEM);
	return 0;
}

static void job_free(struct import_job *job)
{
	for (size_t i = 0; i < job->n_report; i++)
		free(job->report[i].text);
	free(job->report);
	for (size_t i = 0; job->reasons && i < job->n_rows; i++)
		free(job->reasons[i]);
	free(job->reasons);
	free(job->rows);
	free(job->blank);
	free(job->same);
	free(job->confirm);
	free(job->fresh);
	free(job->recs);
	free(job->fields);
	free(job->text);
	free(job->reject_path);
}

int ctl_cmd_import(struct ctl *c, int argc, char **argv)
{
	struct import_job job = {.ctl = c};
	int rc = parse_options(&job, argc, argv);

	if (rc == 0)
		rc = textfile_read(CMD, job.path, &job.encoding, &job.text, &job.text_len);
	if (rc == 0)
		rc = split_records(&job);
	if (rc == 0)
		rc = read_header(&job);
	if (rc == 0) {
		printf(TXT_CTL_IMP_READ, job.path, job.n_recs - 1, textenc_name(job.encoding));
		rc = import_prepare(&job);
		if (rc != 0)
			import_report_flush(&job);
	}
	if (rc == 0)
		rc = import_apply(&job);
	job_free(&job);
	return rc;
}
