/*
 * cqoctl export: the options every export takes (export.c reads them) and
 * the statistics table (export_stats.c). CSV goes out as UTF-8 with a BOM,
 * which Excel needs to show Chinese, and CRLF line ends; xlsx is a workbook
 * (lib/xlsx.h) written only into a file.
 */
#ifndef CQOCTL_EXPORT_H
#define CQOCTL_EXPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../lib/xlsx.h"
#include "ctl.h"

#define EXPORT_BOM "\xEF\xBB\xBF"

struct export_opts {
	const char *what;          /* registry, enterprises, ... */
	const char *output;        /* NULL or "-": stdout */
	bool json;
	bool xlsx;
	struct xlsx *book;         /* with xlsx: the workbook being written (borrowed) */
	const char *region;        /* "" = everywhere */
	int year;
	const char *category;      /* NULL = every category */
	int64_t event_id;          /* signups: 0 = every event */
};

/* Writes the statistics table (into o->book with xlsx; out is then
 * unused); returns the exit status. */
int export_stats(struct ctl *c, const struct export_opts *o, FILE *out);

#endif
