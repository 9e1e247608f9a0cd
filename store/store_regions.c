/* GB/T 2260 regions: loading data/regions.csv and looking names up. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/digits.h"
#include "../lib/log.h"
#include "store_internal.h"

#define REGION_FIELDS 4

/* Splits one CSV record in place into at most `max` fields (RFC 4180
 * quoting, "" for a quote inside quotes). Returns the number of fields, or
 * -1 when the record is malformed: an unterminated or stray quote, text
 * after a closing quote, or more than `max` fields. */
static int csv_split(char *line, char **fields, int max)
{
	char *r = line, *w = line;   /* read and write heads; w never passes r */
	int n = 0;

	for (;;) {
		if (n == max)
			return -1;
		fields[n++] = w;
		if (*r == '"') {
			for (r++;; r++) {
				if (*r == '\0')
					return -1;
				if (*r == '"' && r[1] != '"')
					break;
				if (*r == '"')
					r++;
				*w++ = *r;
			}
			r++;
			if (*r != ',' && *r != '\0')
				return -1;
		} else {
			for (; *r != ',' && *r != '\0'; r++) {
				if (*r == '"')
					return -1;
				*w++ = *r;
			}
		}
		if (*r == '\0') {
			*w = '\0';
			return n;
		}
		*w++ = '\0';
		r++;
	}
}

/* Upserts one parsed record; returns 0 or a negative errno (logged). */
static int upsert_region(struct store *st, char **f, const char *path, int lineno)
{
	size_t len = strlen(f[0]);
	if (!(len == 2 || len == 4 || len == 6) || !digits_only(f[0]) || !*f[1] ||
	    (*f[2] && !digits_only(f[2])) || strlen(f[3]) != 1 || f[3][0] < '1' ||
	    f[3][0] > '3') {
		log_warn("store: %s:%d: not a region record", path, lineno);
		return -EINVAL;
	}
	sqlite3_stmt *s = store_prepare(st,
		"INSERT INTO regions (code, name, parent_code, level) VALUES (?1, ?2, ?3, ?4)"
		" ON CONFLICT (code) DO UPDATE SET name = excluded.name,"
		"  parent_code = excluded.parent_code, level = excluded.level");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, f[0]);
	store_bind_text(s, 2, f[1]);
	store_bind_text_or_null(s, 3, f[2]);
	sqlite3_bind_int(s, 4, f[3][0] - '0');
	int rc = sqlite3_step(s);
	store_stmt_done(s);
	if (rc == SQLITE_DONE)
		return 0;
	log_warn("store: %s:%d: %s", path, lineno, sqlite3_errmsg(st->db));
	return store_errno(rc) == -EIO ? -EIO : -EINVAL;
}

/* Reads every record after the header; *loaded counts the upserts. */
static int load_lines(struct store *st, FILE *fp, const char *path, int *loaded)
{
	char *line = NULL;   /* owned here; getline grows it */
	size_t cap = 0;
	ssize_t n;
	int lineno = 0, rc = 0;

	while (rc == 0 && (n = getline(&line, &cap, fp)) >= 0) {
		char *f[REGION_FIELDS];
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		char *text = line;
		if (lineno == 1 && strncmp(text, "\xEF\xBB\xBF", 3) == 0)
			text += 3;   /* a UTF-8 byte order mark from spreadsheet exports */
		if (lineno == 1) {
			if (strcmp(text, "code,name,parent_code,level") != 0) {
				log_warn("store: %s:1: header is not code,name,parent_code,level", path);
				rc = -EINVAL;
			}
			continue;
		}
		if (*text == '\0')
			continue;
		if (csv_split(text, f, REGION_FIELDS) != REGION_FIELDS) {
			log_warn("store: %s:%d: expected 4 comma-separated fields", path, lineno);
			rc = -EINVAL;
			continue;
		}
		rc = upsert_region(st, f, path, lineno);
		if (rc == 0)
			(*loaded)++;
	}
	free(line);
	if (rc == 0 && ferror(fp)) {
		log_warn("store: %s: read error", path);
		rc = -EIO;
	}
	if (rc == 0 && lineno == 0) {
		log_warn("store: %s: empty file", path);
		rc = -EINVAL;
	}
	return rc;
}

/* Deferred foreign-key violations not yet resolved on this connection. */
static int deferred_fks(struct store *st)
{
	int cur = 0, high = 0;

	sqlite3_db_status(st->db, SQLITE_DBSTATUS_DEFERRED_FKS, &cur, &high, 0);
	return cur;
}

int store_regions_load_csv(struct store *st, const char *path, int *loaded)
{
	int count = 0, rc;
	FILE *fp = fopen(path, "r");

	if (!fp) {
		rc = -errno;
		log_warn("store: cannot open %s: %s", path, strerror(errno));
		return rc;
	}
	/* Under a savepoint, so a bad line leaves the table as it was. */
	rc = store_savepoint(st);
	if (rc == 0) {
		int fks_before = deferred_fks(st);

		rc = load_lines(st, fp, path, &count);
		/* parent_code is checked only at the outer COMMIT (deferred): a
		 * parent missing from the file must fail the load, not that COMMIT. */
		if (rc == 0 && deferred_fks(st) > fks_before) {
			log_warn("store: %s: a parent_code names no region in the file or the table",
			         path);
			rc = -EINVAL;
		}
		rc = store_savepoint_end(st, rc);
	}
	fclose(fp);
	if (rc == 0 && loaded)
		*loaded = count;
	return rc;
}

int store_region_name(struct store *st, const char *code, char *buf, size_t len)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT name FROM regions WHERE code = ?1");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, code);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		store_col_text(s, 0, buf, len);
	store_stmt_done(s);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? -ENOENT : store_fail(st, "region name", rc);
}

int store_regions_count(struct store *st)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT count(*) FROM regions");
	if (!s)
		return -EIO;
	int rc = sqlite3_step(s);
	int n = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
	store_stmt_done(s);
	return rc == SQLITE_ROW ? n : store_fail(st, "regions count", rc);
}

int store_regions_by_name(struct store *st, const char *name, int level,
                          struct store_region_match *out, size_t max, size_t *n)
{
	sqlite3_stmt *s = store_prepare(st,
		"SELECT r.code, coalesce(g.name, '') || coalesce(p.name, '') || r.name"
		" FROM regions r LEFT JOIN regions p ON p.code = r.parent_code"
		" LEFT JOIN regions g ON g.code = p.parent_code"
		" WHERE (?2 = 0 OR r.level = ?2)"
		"  AND (r.name = ?1 OR p.name || r.name = ?1 OR g.name || r.name = ?1"
		"   OR g.name || p.name || r.name = ?1)"
		" ORDER BY r.code");
	int rc;

	*n = 0;
	if (!s)
		return -EIO;
	store_bind_text(s, 1, name);
	sqlite3_bind_int(s, 2, level);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n < max) {
			store_col_text(s, 0, out[*n].code, sizeof out[*n].code);
			store_col_text(s, 1, out[*n].full_name, sizeof out[*n].full_name);
		}
		(*n)++;
	}
	store_stmt_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "regions by name", rc);
}
