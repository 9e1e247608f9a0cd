/*
 * cqoctl calendar load FILE: the official holidays and make-up working
 * days in the format of data/cn-workcalendar.csv (date,kind,name), checked
 * line by line and loaded in one transaction only when every line is good;
 * a day already loaded takes the file's kind and name.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../lib/csv.h"
#include "../store/store.h"
#include "../store/store_calendar.h"
#include "../handlers/argtext.h"
#include "../handlers/import_row.h"
#include "../handlers/validate.h"
#include "../handlers/text/cqoctl.h"
#include "ctl.h"
#include "textfile.h"

#define CMD "calendar"
#define NAME_MAX_CHARS 30

struct day {
	unsigned line;
	char date[11];
	const char *kind;   /* holiday, workday */
	const char *name;   /* NULL when empty */
};

struct cal {
	const char *path;
	struct day *days;   /* owned */
	size_t n, cap, bad, holidays, workdays;
	int col[3];         /* date, kind, name */
};

static const char *kind_of(const char *word)
{
	static const char *const words[][2] = {
		{"holiday", "holiday"}, {"休", "holiday"}, {"节假日", "holiday"}, {"放假", "holiday"},
		{"workday", "workday"}, {"班", "workday"}, {"上班", "workday"}, {"调休上班", "workday"},
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcasecmp(word, words[i][0]) == 0)
			return words[i][1];
	return NULL;
}

static bool header_matches(const char *names, const char *cell)
{
	for (const char *p = names; *p;) {
		size_t n = strcspn(p, "|");
		if (n == strlen(cell) && strncasecmp(p, cell, n) == 0)
			return true;
		p += n + (p[n] == '|');
	}
	return false;
}

static int read_header(struct cal *cal, const struct csv_record *rec)
{
	static const char *const names[3] = {TXT_CTL_CAL_DATE, TXT_CTL_CAL_KIND, TXT_CTL_CAL_NAME};

	for (int k = 0; k < 3; k++) {
		cal->col[k] = -1;
		for (size_t i = 0; i < rec->n; i++)
			if (header_matches(names[k], import_trim(rec->fields[i])))
				cal->col[k] = (int)i;
	}
	if (cal->col[0] < 0 || cal->col[1] < 0)
		return ctl_fail(CMD, TXT_CTL_CAL_HEADER, cal->path);
	return 0;
}

static const char *field(const struct cal *cal, const struct csv_record *rec, int k)
{
	int at = cal->col[k];
	return at >= 0 && (size_t)at < rec->n ? import_trim(rec->fields[at]) : "";
}

__attribute__((format(printf, 3, 4)))
static void bad_line(struct cal *cal, unsigned line, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	fprintf(stderr, TXT_CTL_IMP_PROBLEM_ROW, cal->path, line, why);
	cal->bad++;
}

/* Checks one line into cal->days. */
static int read_day(struct cal *cal, const struct csv_record *rec)
{
	char why[VALIDATE_WHY_MAX];
	struct day d = {.line = rec->line};
	const char *date = field(cal, rec, 0), *kind = field(cal, rec, 1);
	const char *name = field(cal, rec, 2);

	if (!*date && !*kind && !*name)
		return 0;
	if (validate_date(date, d.date, why, sizeof why) < 0)
		bad_line(cal, rec->line, TXT_CTL_CAL_BAD_DATE, date, why);
	else if (!(d.kind = kind_of(kind)))
		bad_line(cal, rec->line, TXT_CTL_CAL_BAD_KIND, kind);
	else if (argtext_chars(name) > NAME_MAX_CHARS)
		bad_line(cal, rec->line, TXT_CTL_CAL_BAD_NAME, NAME_MAX_CHARS);
	else {
		d.name = *name ? name : NULL;
		if (cal->n == cal->cap) {
			size_t cap = cal->cap ? cal->cap * 2 : 512;
			struct day *days = realloc(cal->days, cap * sizeof *days);
			if (!days)
				return -ENOMEM;
			cal->days = days;
			cal->cap = cap;
		}
		cal->days[cal->n++] = d;
	}
	return 0;
}

static int read_days(struct cal *cal, char *text, size_t len)
{
	struct csv_reader r;
	struct csv_record rec;
	int rc;
	bool header = true;

	csv_reader_init(&r, text, len);
	while ((rc = csv_read(&r, &rec)) == 1) {
		if (header) {
			header = false;
			if ((rc = read_header(cal, &rec)) != 0)
				break;
		} else if ((rc = read_day(cal, &rec)) < 0) {
			break;
		}
	}
	csv_reader_free(&r);
	if (rc == -EINVAL)
		return ctl_fail(CMD, TXT_CTL_IMP_QUOTES, cal->path, r.error_line);
	if (rc < 0)
		return ctl_store_fail(CMD, rc);
	if (header)
		return ctl_fail(CMD, TXT_CTL_IMP_EMPTY, cal->path);
	return rc;
}

static int load_days(struct ctl *c, struct cal *cal, size_t counts[3])
{
	int rc = store_begin(c->st);

	for (size_t i = 0; rc == 0 && i < cal->n; i++) {
		enum store_import_change ch;
		const struct day *d = &cal->days[i];
		rc = store_calendar_put(c->st, d->date, d->kind, d->name, &ch);
		if (rc == 0) {
			counts[ch]++;
			if (strcmp(d->kind, "holiday") == 0)
				cal->holidays++;
			else
				cal->workdays++;
		}
	}
	rc = store_end(c->st, rc);
	return rc;
}

int ctl_cmd_calendar(struct ctl *c, int argc, char **argv)
{
	struct cal cal = {0};
	enum textenc enc = TEXTENC_AUTO;
	size_t counts[3] = {0}, len;
	char *text = NULL;

	if (argc != 3 || strcmp(argv[1], "load") != 0)
		return ctl_usage(CMD, TXT_CTL_ARGS);
	cal.path = argv[2];
	int rc = textfile_read(CMD, cal.path, &enc, &text, &len);
	if (rc == 0)
		rc = read_days(&cal, text, len);
	if (rc == 0 && cal.bad)
		rc = ctl_fail(CMD, TXT_CTL_IMP_REJECTED, cal.bad);
	if (rc == 0 && (rc = load_days(c, &cal, counts)) < 0)
		rc = ctl_store_fail(CMD, rc);
	if (rc == 0)
		printf(TXT_CTL_CAL_DONE, counts[STORE_IMPORT_CREATED], counts[STORE_IMPORT_UPDATED],
		       counts[STORE_IMPORT_SAME], cal.holidays, cal.workdays);
	free(cal.days);
	free(text);
	return rc;
}
