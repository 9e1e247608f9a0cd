/*
 * The files of outbox rows of kind file (store_outbox_enqueue_file): the
 * 统计表 a 导出 统计 asked for, built off the loop on libuv's thread pool
 * with a read-only connection of its own (no query and no file I/O on the
 * loop thread), in the asker's scope as the row's spec says, and kept 0600
 * under the state directory (the database's directory, cqod-files/) until
 * the row is sent or given up. libxlsxwriter's own temporary files go into
 * that directory too (lib/xlsx.h).
 *
 * The spec is the JSON object handlers/stats.c writes:
 *   {"what":"stats","region":"3713","category":"规上" (optional),
 *    "year":2026,"today":"2026-06-15","name":"<file name>.xlsx"}
 * A file already there is used as it is, so every attempt of a row sends
 * the same table.
 */
#ifndef CQOD_OUTBOX_FILE_H
#define CQOD_OUTBOX_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

/* The file's name to show (the spec's "name") into name: 0, or -EINVAL
 * when the spec has none or it does not fit. */
int outbox_file_name(const char *spec, char *name, size_t len);

/* Called on the loop when a build is over: rc 0 or -errno; path is where
 * the file is (borrowed for the call); with want_bytes, data (owned by the
 * callee: free()) holds its len bytes. */
typedef void (*outbox_file_fn)(void *arg, int rc, const char *path, char *data, size_t len);

/* Builds the file of row `id` from spec unless it exists, under the
 * directory of `database`, and with want_bytes reads it back, all on the
 * thread pool; done is called exactly once, later, on the loop. 0, or
 * -ENOMEM / a libuv error (done is never called). The strings are copied. */
int outbox_file_build(uv_loop_t *loop, const char *database, int64_t id, const char *spec,
                      bool want_bytes, outbox_file_fn done, void *arg);

/* Deletes the file of row `id` with that spec, if any, off the loop
 * (nothing to wait for). */
void outbox_file_remove(uv_loop_t *loop, const char *database, int64_t id, const char *spec);

#endif
