/* The files of the outbox's file rows; see outbox_file.h. */
#include "outbox_file.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "../handlers/stats_book.h"
#include "../lib/log.h"
#include "../lib/xlsx.h"
#include "../store/store.h"
#include "../store/store_outbox.h"

/* A workbook of every category of a province is some hundred KiB. */
#define FILE_MAX (32 * 1024 * 1024)

struct build {
	uv_work_t work;
	char *database, *spec;
	int64_t id;
	bool want_bytes;
	char path[PATH_MAX];
	char *data;
	size_t len;
	int rc;
	outbox_file_fn done;
	void *arg;
};

int outbox_file_name(const char *spec, char *name, size_t len)
{
	cJSON *o = cJSON_Parse(spec);
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, "name");
	int rc = -EINVAL;

	if (cJSON_IsString(n) && *n->valuestring && strlen(n->valuestring) < len &&
	    !strchr(n->valuestring, '/')) {
		snprintf(name, len, "%s", n->valuestring);
		rc = 0;
	}
	cJSON_Delete(o);
	return rc;
}

/* What write_book reads the registry for. */
struct book_spec {
	const char *path, *region, *category, *today;
	int year;
};

static int book_read(void *arg, struct store *ro)
{
	const struct book_spec *sp = arg;
	struct xlsx *book = NULL;
	int64_t enterprises;
	int rc = xlsx_open(sp->path, &book);

	if (rc == 0) {
		rc = stats_book_write(ro, sp->region, sp->category, sp->year, sp->today, book,
		                      &enterprises);
		int closed = xlsx_close(book, rc == 0);
		rc = rc ? rc : closed;
	}
	return rc;
}

/* The workbook the spec describes, written to b->path (thread pool). */
static int write_book(struct build *b)
{
	cJSON *o = cJSON_Parse(b->spec);
	const cJSON *what = cJSON_GetObjectItemCaseSensitive(o, "what");
	const cJSON *region = cJSON_GetObjectItemCaseSensitive(o, "region");
	const cJSON *category = cJSON_GetObjectItemCaseSensitive(o, "category");
	const cJSON *year = cJSON_GetObjectItemCaseSensitive(o, "year");
	const cJSON *today = cJSON_GetObjectItemCaseSensitive(o, "today");
	int rc;

	if (!cJSON_IsString(what) || strcmp(what->valuestring, "stats") != 0 ||
	    !cJSON_IsString(region) || !cJSON_IsNumber(year) || !cJSON_IsString(today) ||
	    (category && !cJSON_IsString(category))) {
		cJSON_Delete(o);
		return -EINVAL;
	}
	struct book_spec sp = {.path = b->path, .region = region->valuestring,
	                       .category = category ? category->valuestring : NULL,
	                       .today = today->valuestring, .year = year->valueint};
	rc = store_read_snapshot(b->database, book_read, &sp);
	cJSON_Delete(o);
	return rc;
}

static int read_file(struct build *b)
{
	struct stat sb;
	int fd = open(b->path, O_RDONLY | O_CLOEXEC), rc = 0;
	size_t got = 0;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &sb) < 0)
		rc = -errno;
	else if (sb.st_size <= 0 || sb.st_size > FILE_MAX)
		rc = -EFBIG;
	else if (!(b->data = malloc((size_t)sb.st_size)))
		rc = -ENOMEM;
	while (rc == 0 && got < (size_t)sb.st_size) {
		ssize_t n = read(fd, b->data + got, (size_t)sb.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			rc = n < 0 ? -errno : -EIO;
		else
			got += (size_t)n;
	}
	close(fd);
	b->len = got;
	return rc;
}

static void on_work(uv_work_t *w)
{
	struct build *b = w->data;
	char dir[PATH_MAX];
	int rc = store_outbox_files_dir(b->database, dir, sizeof dir);

	if (rc == 0)
		rc = store_outbox_file_path(b->database, b->id, b->spec, b->path, sizeof b->path);
	/* The directory is the daemon's alone, like the database beside it. */
	if (rc == 0 && mkdir(dir, 0700) < 0 && errno != EEXIST)
		rc = -errno;
	if (rc == 0 && access(b->path, F_OK) < 0)
		rc = errno == ENOENT ? write_book(b) : -errno;
	if (rc == 0 && b->want_bytes)
		rc = read_file(b);
	b->rc = rc;
}

static void on_after(uv_work_t *w, int status)
{
	struct build *b = w->data;
	int rc = status < 0 ? status : b->rc;

	if (rc < 0) {
		log_warn("outbox %" PRId64 ": cannot build its file: %s", b->id, strerror(-rc));
		free(b->data);
		b->data = NULL;
		b->len = 0;
	}
	b->done(b->arg, rc, b->path, b->data, b->len);
	free(b->database);
	free(b->spec);
	free(b);
}

int outbox_file_build(uv_loop_t *loop, const char *database, int64_t id, const char *spec,
                      bool want_bytes, outbox_file_fn done, void *arg)
{
	struct build *b = calloc(1, sizeof *b);
	int rc;

	if (!b || !(b->database = strdup(database)) || !(b->spec = strdup(spec))) {
		if (b)
			free(b->database);
		free(b);
		return -ENOMEM;
	}
	b->id = id;
	b->want_bytes = want_bytes;
	b->done = done;
	b->arg = arg;
	b->work.data = b;
	rc = uv_queue_work(loop, &b->work, on_work, on_after);
	if (rc < 0) {
		free(b->database);
		free(b->spec);
		free(b);
	}
	return rc;
}

static void on_removed(uv_fs_t *req)
{
	if (req->result < 0 && req->result != UV_ENOENT)
		log_warn("outbox: cannot remove %s: %s", req->path, uv_strerror((int)req->result));
	uv_fs_req_cleanup(req);
	free(req);
}

void outbox_file_remove(uv_loop_t *loop, const char *database, int64_t id, const char *spec)
{
	char path[PATH_MAX];
	uv_fs_t *req;

	if (store_outbox_file_path(database, id, spec, path, sizeof path) < 0 ||
	    !(req = malloc(sizeof *req)))
		return;
	if (uv_fs_unlink(loop, req, path, on_removed) < 0)
		free(req);
}
