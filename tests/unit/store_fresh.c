/* Fresh databases for store tests; see store_fresh.h. */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../store/store.h"
#include "../../store/store_internal.h"
#include "store_fresh.h"

static char template_dir[64];
static char template_db[96];

int store_fresh_copy_file(const char *from, const char *to)
{
	char buf[65536];
	ssize_t n = 0;
	int in = open(from, O_RDONLY | O_CLOEXEC);
	int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	int rc = in >= 0 && out >= 0 ? 0 : -EIO;

	while (rc == 0 && (n = read(in, buf, sizeof buf)) > 0) {
		if (write(out, buf, (size_t)n) != n)
			rc = -EIO;
	}
	if (n < 0)
		rc = -EIO;
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) != 0)
		rc = -EIO;
	return rc;
}

void store_fresh_remove(const char *path)
{
	char p[160];

	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

static void remove_template(void)
{
	store_fresh_remove(template_db);
	rmdir(template_dir);
}

static int make_template(void)
{
	struct store *st;
	int rc;

	snprintf(template_dir, sizeof template_dir, "/tmp/cqod-fresh-XXXXXX");
	if (!mkdtemp(template_dir))
		return -errno;
	snprintf(template_db, sizeof template_db, "%s/template.db", template_dir);
	atexit(remove_template);
	rc = store_open(template_db, &st);
	if (rc)
		return rc;
	/* Closing checkpoints the WAL: the file alone is the database. */
	store_close(st);
	return 0;
}

int store_fresh_open(const char *path, struct store **st)
{
	int rc = 0;

	if (!template_db[0])
		rc = make_template();
	if (rc == 0)
		rc = store_fresh_copy_file(template_db, path);
	if (rc == 0)
		rc = store_open(path, st);
	if (rc == 0 && sqlite3_exec((*st)->db, "PRAGMA synchronous = OFF", NULL, NULL, NULL) !=
	                   SQLITE_OK) {
		store_close(*st);
		rc = -EIO;
	}
	return rc;
}
