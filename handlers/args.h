/*
 * The command tokenizer. Chat input is messy: full-width spaces (U+3000),
 * full-width digits, letters and punctuation (U+FF01..U+FF5E), Chinese quotes
 * (“…” ‘…’ 「…」 『…』), a leading @mention of the bot, and multi-line forms.
 *
 * args_tokenize():
 *  - normalizes full-width ASCII to ASCII and U+3000 to a space (inside
 *    quotes too, except that quoted text keeps its spaces);
 *  - skips leading @mention tokens ("@cqod 查询 张三" -> 查询 张三);
 *  - splits the first line on whitespace; "quoted text" (ASCII or Chinese
 *    quotes) is one argument without its quotes;
 *  - keeps every line after the first, normalized, in `body` (for "键：值" forms).
 *
 * Ownership: struct args owns argv, its strings and body; args_free() releases.
 */
#ifndef CQOD_ARGS_H
#define CQOD_ARGS_H

#include <stddef.h>

#define ARGS_MAX_TEXT 65536   /* longer input: -E2BIG */
#define ARGS_MAX_ARGC 64      /* more arguments: -E2BIG */

struct args {
	int argc;
	char **argv;   /* argc entries plus a NULL */
	char *body;    /* lines after the first, normalized; "" if none */
};

/* Returns 0, -E2BIG (too long / too many arguments), -EINVAL (an unclosed
 * quote, or invalid UTF-8) or -ENOMEM. Empty input gives argc == 0. On error
 * *out is left empty (safe to args_free). */
int args_tokenize(const char *text, struct args *out);
/* As args_tokenize, except that when the first line (after the @mentions)
 * starts with `cmd` glued to more text, `cmd` is the first argument on its
 * own and the rest of the line is split as usual: with cmd "查询",
 * "查询张三 1" gives 查询, 张三, 1. A first line that does not start with cmd
 * (or is cmd alone) is split as args_tokenize splits it. */
int args_tokenize_cmd(const char *text, const char *cmd, struct args *out);
void args_free(struct args *a);

/* Normalizes full-width ASCII/space to ASCII in a fresh heap string (caller
 * frees); NULL on ENOMEM. Used for form values too. */
char *args_normalize(const char *text);

#endif
