/*
 * CSV as RFC 4180 has it (and Excel writes it): fields separated by commas,
 * records by CRLF (a bare LF or CR is accepted too); a field in double
 * quotes may hold commas, line breaks and doubled quotes ("").
 *
 * The reader works in place on the caller's buffer: quoted fields are
 * unquoted where they stand and every field is NUL-terminated there, so a
 * file of any size costs one pointer per field and no copies. The writer
 * quotes what needs quoting and ends records with CRLF.
 *
 * Spreadsheet programs run a cell that starts with = + - or @ as a formula,
 * so the writer puts an apostrophe in front of such text ("'=1+1");
 * csv_unguard takes it off again when the file comes back.
 */
#ifndef CQOD_CSV_H
#define CQOD_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct csv_reader {
	char *p, *end;       /* the unread rest of the caller's buffer */
	unsigned line;       /* physical line of p, from 1 */
	unsigned error_line; /* after -EINVAL: where the bad record starts */
	char **fields;       /* owned; reused by every csv_read */
	size_t cap;
};

/* One record. fields[i] point into the reader's buffer and stay valid as
 * long as it does; the array itself is reused by the next csv_read. */
struct csv_record {
	char **fields;
	size_t n;            /* at least 1 (an empty line is one empty field) */
	unsigned line;       /* physical line the record starts on */
};

/* buf must hold len bytes followed by a NUL (buf[len] == '\0'); it is
 * modified as records are read. */
void csv_reader_init(struct csv_reader *r, char *buf, size_t len);
/* 1 with the next record in *rec, 0 at the end, -EINVAL for a quoted field
 * that is never closed or is followed by something other than a separator
 * (r->error_line says where), -ENOMEM. */
int csv_read(struct csv_reader *r, struct csv_record *rec);
void csv_reader_free(struct csv_reader *r);

struct csv_writer {
	FILE *f;             /* borrowed */
	bool mid_record;
};

void csv_writer_init(struct csv_writer *w, FILE *f);
/* Appends one field (NULL is written as empty) to the current record. */
void csv_write_field(struct csv_writer *w, const char *s);
/* Ends the record with CRLF. */
void csv_end_record(struct csv_writer *w);

/* The field without the apostrophe csv_write_field put before a leading
 * = + - or @; other fields unchanged. Points into `field`. */
const char *csv_unguard(const char *field);

#endif
