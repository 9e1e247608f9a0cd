/* The working-day calendar table; see store_workdays.h. */
#include "store_workdays.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/calendar.h"
#include "../lib/clock.h"
#include "../lib/csv.h"
#include "store_internal.h"

/* The official calendar has a few dozen lines a year; a file far larger is
 * not one. */
#define FILE_MAX (1024 * 1024)

static const char PUT_SQL[] =
	"INSERT INTO calendar (date, kind, name) VALUES (?1, ?2, ?3)"
	" ON CONFLICT (date) DO UPDATE SET kind = excluded.kind, name = excluded.name"
	" WHERE kind IS NOT excluded.kind OR name IS NOT excluded.name";
static const char READ_SQL[] = "SELECT date, kind FROM calendar ORDER BY date";

/* The whole file, NUL-terminated, in *buf (caller frees). */
static int read_file(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	int rc = 0;

	*buf = NULL;
	if (!f)
		return -errno;
	*buf = malloc(FILE_MAX + 1);
	if (!*buf) {
		fclose(f);
		return -ENOMEM;
	}
	*len = fread(*buf, 1, FILE_MAX + 1, f);
	if (ferror(f))
		rc = -EIO;
	else if (*len > FILE_MAX)
		rc = -EFBIG;
	fclose(f);
	if (rc == 0)
		(*buf)[*len] = '\0';
	return rc;
}

/* One entry, pointing into the file's buffer. */
struct entry {
	const char *date, *kind, *name;
};

/* Checks one record; false when it is not date,kind[,name]. */
static bool entry_valid(const struct csv_record *r)
{
	int64_t day;

	if (r->n < 2 || r->n > 3 || clock_parse_date(r->fields[0], &day) < 0)
		return false;
	return strcmp(r->fields[1], "holiday") == 0 || strcmp(r->fields[1], "workday") == 0;
}

/* Parses the text after its header into *entries (owned by the caller);
 * -EINVAL with *bad_line at the first line that is not an entry. */
static int parse(char *text, size_t len, struct entry **entries, size_t *n, unsigned *bad_line)
{
	struct csv_reader rd;
	struct csv_record rec;
	size_t cap = 0;
	int rc;

	*entries = NULL;
	*n = 0;
	csv_reader_init(&rd, text, len);
	rc = csv_read(&rd, &rec);
	if (rc == 1 && strcmp(rec.fields[0], "date") != 0)
		rc = -EINVAL;
	if (rc == 0)
		rc = -EINVAL;
	while (rc == 1 && (rc = csv_read(&rd, &rec)) == 1) {
		if (rec.n == 1 && rec.fields[0][0] == '\0')
			continue;
		if (!entry_valid(&rec)) {
			rc = -EINVAL;
			rd.error_line = rec.line;
			break;
		}
		if (*n == cap) {
			struct entry *e = realloc(*entries, (cap = cap ? cap * 2 : 256) * sizeof *e);
			if (!e) {
				rc = -ENOMEM;
				break;
			}
			*entries = e;
		}
		(*entries)[(*n)++] = (struct entry){rec.fields[0], rec.fields[1],
		                                    rec.n > 2 ? rec.fields[2] : NULL};
	}
	if (rc == -EINVAL)
		*bad_line = rd.error_line ? rd.error_line : 1;
	csv_reader_free(&rd);
	return rc < 0 ? rc : 0;
}

static int put(struct store *st, const struct entry *e, int *changed)
{
	sqlite3_stmt *s = store_prepare(st, PUT_SQL);

	if (!s)
		return -EIO;
	store_bind_text(s, 1, e->date);
	store_bind_text(s, 2, e->kind);
	store_bind_text_or_null(s, 3, e->name);
	int rc = sqlite3_step(s);
	store_stmt_done(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, "calendar put", rc);
	*changed += sqlite3_changes(st->db) > 0;
	return 0;
}

int store_workdays_load_csv(struct store *st, const char *path, struct store_workdays_load *out)
{
	char *text = NULL;             /* owned here */
	struct entry *entries = NULL;  /* owned here; point into text */
	size_t len = 0, n = 0;
	int rc = read_file(path, &text, &len);

	*out = (struct store_workdays_load){0};
	if (rc == 0) {
		/* An editor may have saved it with a byte-order mark. */
		size_t skip = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
		rc = parse(text + skip, len - skip, &entries, &n, &out->bad_line);
	}
	if (rc == 0)
		rc = store_savepoint(st);
	if (rc == 0) {
		for (size_t i = 0; rc == 0 && i < n; i++)
			rc = put(st, &entries[i], &out->changed);
		rc = store_savepoint_end(st, rc);
	}
	if (rc == 0)
		out->rows = (int)n;
	else
		out->changed = 0;
	free(entries);
	free(text);
	return rc;
}

int store_workdays_read(struct store *st, struct calendar *out)
{
	sqlite3_stmt *s = store_prepare(st, READ_SQL);
	char date[11], kind[16];
	int64_t day;
	int rc;

	calendar_free(out);
	if (!s)
		return -EIO;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		store_col_text(s, 0, date, sizeof date);
		store_col_text(s, 1, kind, sizeof kind);
		if (clock_parse_date(date, &day) < 0)
			continue;
		if (calendar_set(out, day, strcmp(kind, "workday") == 0 ? CALENDAR_WORKDAY
		                                                      : CALENDAR_HOLIDAY) < 0) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	store_stmt_done(s);
	if (rc == SQLITE_NOMEM) {
		calendar_free(out);
		return -ENOMEM;
	}
	return rc == SQLITE_DONE ? 0 : store_fail(st, "calendar read", rc);
}
