/* RFC 4180 CSV reading in place and writing; see csv.h. */
#include "csv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void csv_reader_init(struct csv_reader *r, char *buf, size_t len)
{
	memset(r, 0, sizeof *r);
	r->p = buf;
	r->end = buf + len;
	r->line = 1;
}

void csv_reader_free(struct csv_reader *r)
{
	free(r->fields);
	r->fields = NULL;
	r->cap = 0;
}

static int push_field(struct csv_reader *r, size_t n, char *field)
{
	if (n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 32;
		char **f = realloc(r->fields, cap * sizeof *f);
		if (!f)
			return -ENOMEM;
		r->fields = f;
		r->cap = cap;
	}
	r->fields[n] = field;
	return 0;
}

/* Unquotes the field whose opening quote is at r->p, in place; on return
 * r->p is just past the closing quote. */
static int read_quoted(struct csv_reader *r, char **field)
{
	char *w = r->p, *p = r->p + 1;

	*field = w;
	for (;;) {
		if (p == r->end)
			return -EINVAL;
		if (*p == '"') {
			if (p + 1 < r->end && p[1] == '"') {
				*w++ = '"';
				p += 2;
				continue;
			}
			p++;
			break;
		}
		if (*p == '\n' || (*p == '\r' && (p + 1 == r->end || p[1] != '\n')))
			r->line++;
		*w++ = *p++;
	}
	*w = '\0';
	r->p = p;
	return 0;
}

/* Consumes the separator at r->p: true when the record goes on (a comma),
 * false at its end (a line break or the end of input). -EINVAL via *bad
 * for anything else (text after a closing quote). */
static bool separator(struct csv_reader *r, bool *bad)
{
	char *p = r->p;

	*bad = false;
	if (p == r->end)
		return false;
	if (*p == ',') {
		*p = '\0';
		r->p = p + 1;
		return true;
	}
	if (*p == '\r' || *p == '\n') {
		bool crlf = *p == '\r' && p + 1 < r->end && p[1] == '\n';
		*p = '\0';
		r->p = p + (crlf ? 2 : 1);
		r->line++;
		return false;
	}
	*bad = true;
	return false;
}

int csv_read(struct csv_reader *r, struct csv_record *rec)
{
	size_t n = 0;
	bool more, bad;

	if (r->p >= r->end)
		return 0;
	rec->line = r->line;
	do {
		char *field;
		if (*r->p == '"') {
			if (read_quoted(r, &field) < 0) {
				r->error_line = rec->line;
				r->p = r->end;
				return -EINVAL;
			}
		} else {
			field = r->p;
			r->p += strcspn(r->p, ",\r\n");
		}
		if (push_field(r, n++, field) < 0)
			return -ENOMEM;
		more = separator(r, &bad);
		if (bad) {
			r->error_line = rec->line;
			r->p = r->end;
			return -EINVAL;
		}
	} while (more);
	rec->fields = r->fields;
	rec->n = n;
	return 1;
}

void csv_writer_init(struct csv_writer *w, FILE *f)
{
	w->f = f;
	w->mid_record = false;
}

static bool formula_start(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@';
}

void csv_write_field(struct csv_writer *w, const char *s)
{
	if (w->mid_record)
		fputc(',', w->f);
	w->mid_record = true;
	if (!s)
		return;
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		fputc('"', w->f);
	if (formula_start(s[0]))
		fputc('\'', w->f);
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			fputc('"', w->f);
		fputc(*p, w->f);
	}
	if (quote)
		fputc('"', w->f);
}

void csv_end_record(struct csv_writer *w)
{
	fputs("\r\n", w->f);
	w->mid_record = false;
}

const char *csv_unguard(const char *field)
{
	return field[0] == '\'' && formula_start(field[1]) ? field + 1 : field;
}
