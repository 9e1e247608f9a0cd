/*
 * Reading a text file a user brings (an import, a calendar) into memory as
 * UTF-8, whatever Excel saved it as: see daemon/textenc.h. Refuses UTF-16
 * and files with NUL bytes, each with a one-line hint.
 */
#ifndef CQOCTL_TEXTFILE_H
#define CQOCTL_TEXTFILE_H

#include <stddef.h>

#include "../lib/textenc.h"

/* Reads `path` ("-" = stdin) in encoding *enc (TEXTENC_AUTO: detected;
 * the one read is written back) into *text (UTF-8, NUL-terminated, *len
 * bytes; the caller frees). 0, or CTL_FAILED after one line on stderr
 * naming `cmd`. */
int textfile_read(const char *cmd, const char *path, enum textenc *enc, char **text,
                  size_t *len);

#endif
