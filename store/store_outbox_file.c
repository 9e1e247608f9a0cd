/* Where the files of the outbox's file rows are kept; see store_outbox.h. */
#include "store_outbox.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/crypto.h"
#include "../lib/path.h"

#define FILES_DIR "cqod-files"
#define FILE_PREFIX "outbox-"
#define FILE_SUFFIX ".xlsx"

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

int store_outbox_file_path(const char *database, int64_t id, const char *spec, char *buf,
                           size_t len)
{
	uint8_t digest[CRYPTO_SHA256_LEN];
	char hex[2 * CRYPTO_SHA256_LEN + 1];
	int rc = store_outbox_files_dir(database, buf, len);
	size_t used;
	int n;

	if (rc < 0)
		return rc;
	if (!spec || crypto_sha256(spec, strlen(spec), digest) < 0)
		return -EINVAL;
	crypto_hex(digest, sizeof digest, hex);
	used = strnlen(buf, len);
	n = snprintf(buf + used, len - used, "/" FILE_PREFIX "%" PRId64 "-%.16s" FILE_SUFFIX,
	             id, hex);
	return n < 0 || (size_t)n >= len - used ? -ENAMETOOLONG : 0;
}

bool store_outbox_file_of(const char *name, int64_t id)
{
	char prefix[48];
	size_t n = strlen(name), p, s = strlen(FILE_SUFFIX);

	snprintf(prefix, sizeof prefix, FILE_PREFIX "%" PRId64 "-", id);
	p = strlen(prefix);
	return n > p + s && strncmp(name, prefix, p) == 0 && strcmp(name + n - s, FILE_SUFFIX) == 0;
}
