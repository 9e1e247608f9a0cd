/* Where the files of the outbox's file rows are kept; see store_outbox.h. */
#include "store_outbox.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/path.h"

#define FILES_DIR "cqod-files"

int store_outbox_files_dir(const char *database, char *buf, size_t len)
{
	char *dir = path_dir(database);
	int n;

	if (!dir)
		return -ENOMEM;
	n = snprintf(buf, len, "%s/" FILES_DIR, dir);
	free(dir);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int store_outbox_file_path(const char *database, int64_t id, char *buf, size_t len)
{
	int rc = store_outbox_files_dir(database, buf, len);
	size_t used;
	int n;

	if (rc < 0)
		return rc;
	used = strnlen(buf, len);
	n = snprintf(buf + used, len - used, "/outbox-%" PRId64 ".xlsx", id);
	return n < 0 || (size_t)n >= len - used ? -ENAMETOOLONG : 0;
}
