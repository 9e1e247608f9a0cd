/*
 * Fresh databases for store tests. Running all migrations for every test
 * case was most of the store tests' time (and more under the sanitizers),
 * so a process migrates one empty template once and each test gets a copy.
 * A copy lives for one test only, so it runs without fsync.
 *
 * Ownership: *st is the caller's, closed with store_close(); the file at
 * `path` (and its -wal/-shm) too. The template is removed at exit.
 */
#ifndef CQOD_TEST_STORE_FRESH_H
#define CQOD_TEST_STORE_FRESH_H

struct store;

/* Creates `path` (which must not exist) as a copy of the migrated empty
 * template and opens it. Returns 0 or a negative errno. */
int store_fresh_open(const char *path, struct store **st);

/* Removes the database at `path` with its -wal and -shm files. */
void store_fresh_remove(const char *path);

/* Copies the file `from` to the new file `to` (mode 0600). 0 or -EIO. */
int store_fresh_copy_file(const char *from, const char *to);

#endif
