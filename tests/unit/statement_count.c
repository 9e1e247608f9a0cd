/* See statement_count.h. */
#include "statement_count.h"

#include <string.h>

#include "../../store/store_internal.h"

static int on_statement(unsigned type, void *arg, void *stmt, void *sql)
{
	(void)type;
	(void)stmt;
	/* A trigger's statements come as "-- " comments. */
	if (strncmp((const char *)sql, "--", 2) != 0)
		(*(int *)arg)++;
	return 0;
}

void statement_count_start(struct store *st, int *count)
{
	sqlite3_trace_v2(st->db, SQLITE_TRACE_STMT, on_statement, count);
}

void statement_count_stop(struct store *st)
{
	sqlite3_trace_v2(st->db, 0, NULL, NULL);
}
