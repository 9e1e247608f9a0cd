/*
 * The tokenizer of the enterprise-name index (migration 22, issue 17):
 * "cqod_bigram" cuts a name into its two-character pieces, the last
 * character alone closing the list, so FTS5 finds every name that contains
 * a term of two or more characters (each of its pieces) or of one (a prefix
 * query). FTS5's own trigram tokenizer needs three characters; Chinese
 * names are often two. Characters are counted as SQLite's length() and
 * substr() count them, and ASCII letters are folded as LIKE folds them: the
 * index finds a superset of what LIKE '%term%' finds, and LIKE decides.
 *
 * Every connection that writes enterprises registers it (store_open): the
 * index's triggers tokenize each name written.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

size_t store_char_len(const char *t, size_t left)
{
	size_t n = 1;
	if ((unsigned char)t[0] >= 0xc0)
		while (n < left && ((unsigned char)t[n] & 0xc0) == 0x80)
			n++;
	return n;
}

/* One tokenizer serves every table: it keeps no state. */
static int bigram_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
	(void)argv;
	*out = (Fts5Tokenizer *)ctx;
	return argc == 0 ? SQLITE_OK : SQLITE_ERROR;
}

static void bigram_delete(Fts5Tokenizer *t)
{
	(void)t;
}

/* A document gives every piece and its last character; a query gives the
 * pieces of its string, or the one character of a one-character string
 * (which the search asks for as a prefix). */
static int bigram_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int len,
                           int (*token)(void *, int, const char *, int, int, int))
{
	bool query = (flags & FTS5_TOKENIZE_QUERY) != 0;
	char *buf;
	int rc = SQLITE_OK;

	(void)t;
	if (len <= 0)
		return SQLITE_OK;
	buf = sqlite3_malloc(len);
	if (!buf)
		return SQLITE_NOMEM;
	for (int i = 0; i < len && rc == SQLITE_OK;) {
		int a = (int)store_char_len(text + i, (size_t)(len - i));
		int b = i + a < len ? (int)store_char_len(text + i + a, (size_t)(len - i - a)) : 0;
		if (b == 0 && query && i > 0)
			break;
		for (int k = 0; k < a + b; k++) {
			char c = text[i + k];
			buf[k] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
		}
		rc = token(ctx, 0, buf, a + b, i, i + a + b);
		i += a;
	}
	sqlite3_free(buf);
	return rc;
}

static fts5_tokenizer bigram_tokenizer = {bigram_create, bigram_delete, bigram_tokenize};

int store_name_index_register(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *s;
	static char ctx;   /* the tokenizer's non-NULL, unused instance */

	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &s, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_pointer(s, 1, &api, "fts5_api_ptr", NULL);
	sqlite3_step(s);
	sqlite3_finalize(s);
	if (!api || api->iVersion < 2)
		return -ENOTSUP;
	return api->xCreateTokenizer(api, "cqod_bigram", &ctx, &bigram_tokenizer, NULL) == SQLITE_OK
	               ? 0 : -EIO;
}
