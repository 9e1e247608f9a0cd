/*
 * File paths as the configuration and the exports name them.
 */
#ifndef CQOD_PATH_H
#define CQOD_PATH_H

/* The directory part of `path` ("." when it has none, "/" for a file in
 * the root), newly allocated (the caller frees it); NULL when out of
 * memory. */
char *path_dir(const char *path);

#endif
