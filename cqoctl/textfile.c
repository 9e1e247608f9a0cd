/* Reading a user's text file as UTF-8; see textfile.h. */
#include "textfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../handlers/text/cqoctl.h"
#include "ctl.h"

/* The whole file (or stdin for "-") into a heap buffer. */
static int read_all(const char *path, char **out, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	size_t cap = 0, n = 0;
	char *buf = NULL;

	if (!f)
		return -errno;
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 1 << 16;
			char *b = realloc(buf, cap);
			if (!b) {
				free(buf);
				if (f != stdin)
					fclose(f);
				return -ENOMEM;
			}
			buf = b;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	int err = ferror(f) ? -EIO : 0;
	if (f != stdin)
		fclose(f);
	if (err) {
		free(buf);
		return err;
	}
	*out = buf;
	*len = n;
	return 0;
}

static unsigned line_at(const char *buf, size_t off)
{
	unsigned line = 1;
	for (const char *p = buf; (p = memchr(p, '\n', (size_t)(buf + off - p))); p++)
		line++;
	return line;
}

int textfile_read(const char *cmd, const char *path, enum textenc *enc, char **text,
                  size_t *len)
{
	char *raw = NULL;
	size_t raw_len = 0, bad = 0;
	int rc = read_all(path, &raw, &raw_len);

	if (rc < 0)
		return ctl_fail(cmd, TXT_CTL_FILE, path, strerror(-rc));
	if (textenc_is_utf16(raw, raw_len))
		rc = ctl_fail(cmd, TXT_CTL_IMP_UTF16, path);
	else if (memchr(raw, '\0', raw_len))
		rc = ctl_fail(cmd, TXT_CTL_IMP_NUL, path);
	else {
		rc = textenc_to_utf8(*enc, raw, raw_len, text, len, enc, &bad);
		if (rc == -EILSEQ)
			rc = ctl_fail(cmd, TXT_CTL_IMP_BAD_BYTES, path, line_at(raw, bad),
			              textenc_name(*enc));
		else if (rc < 0)
			rc = ctl_store_fail(cmd, rc);
	}
	free(raw);
	return rc;
}
