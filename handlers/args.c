/*
 * The command tokenizer; see args.h for the rules. Rules chosen here where the
 * header leaves room:
 *  - the whole input is checked as strict UTF-8 (no overlongs, surrogates or
 *    code points past U+10FFFF) before anything else;
 *  - leading blank lines are skipped together with the @mentions, so a mention
 *    sent on its own line ("@cqod\n查询 张三") still finds the command;
 *  - a quote only opens at the start of an argument, so apostrophes inside
 *    words ("McDonald's") stay literal; inside a quote only its own closer
 *    ends it; characters right after the closer continue the same argument;
 *  - line breaks are "\r\n", "\n" or a lone "\r"; the body gets "\n" only;
 *  - besides U+3000, U+2005 (which WeCom and WeChat put after an @mention) and
 *    U+00A0 (pasted from web pages) also normalize to a space.
 */
#include "args.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct quote {
	const char *open;
	const char *close;
};

static const struct quote quotes[] = {
	{ "\"", "\"" },
	{ "'", "'" },
	{ "\u201C", "\u201D" },   /* “ ” */
	{ "\u2018", "\u2019" },   /* ‘ ’ */
	{ "\u300C", "\u300D" },   /* 「 」 */
	{ "\u300E", "\u300F" },   /* 『 』 */
};

/* Decodes one strict UTF-8 sequence at s; returns its length, or 0 when it is
 * invalid. The NUL terminator stops a truncated sequence (it is never a
 * continuation byte). */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
	static const uint32_t min_cp[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t len;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0) {
		len = 2;
		c = s[0] & 0x1F;
	} else if ((s[0] & 0xF0) == 0xE0) {
		len = 3;
		c = s[0] & 0x0F;
	} else if ((s[0] & 0xF8) == 0xF0) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min_cp[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

static bool utf8_valid(const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	uint32_t cp;

	while (*s) {
		size_t n = utf8_decode(s, &cp);

		if (n == 0)
			return false;
		s += n;
	}
	return true;
}

/* Normalizes the `len` bytes at text into a fresh heap string (caller frees).
 * Normalizing only ever shrinks, so len + 1 bytes always suffice. Bytes that
 * are not valid UTF-8 are copied unchanged. */
static char *normalize(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	const unsigned char *end = s + len;
	char *out = malloc(len + 1);
	size_t w = 0;

	if (!out)
		return NULL;
	while (s < end) {
		uint32_t cp;
		size_t n = utf8_decode(s, &cp);

		if (n == 0 || s + n > end) {
			out[w++] = (char)*s++;
			continue;
		}
		if (cp >= 0xFF01 && cp <= 0xFF5E) {
			out[w++] = (char)(cp - 0xFF01 + 0x21);
		} else if (cp == 0x3000 || cp == 0x2005 || cp == 0x00A0) {
			out[w++] = ' ';
		} else {
			memcpy(out + w, s, n);
			w += n;
		}
		s += n;
	}
	out[w] = '\0';
	return out;
}

char *args_normalize(const char *text)
{
	if (!text) {
		errno = EINVAL;
		return NULL;
	}
	return normalize(text, strlen(text));
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_break(char c)
{
	return c == '\n' || c == '\r';
}

/* Skips blank space, blank lines and @mention tokens before the command. */
static const char *skip_mentions(const char *p)
{
	for (;;) {
		while (is_blank(*p) || is_break(*p))
			p++;
		if (*p != '@')
			return p;
		while (*p && !is_blank(*p) && !is_break(*p))
			p++;
	}
}

static const struct quote *quote_at(const char *p, size_t n)
{
	for (size_t i = 0; i < sizeof quotes / sizeof quotes[0]; i++) {
		size_t ol = strlen(quotes[i].open);

		if (ol <= n && memcmp(p, quotes[i].open, ol) == 0)
			return &quotes[i];
	}
	return NULL;
}

/* Splits the `n` bytes of line into out->argv (already sized for
 * ARGS_MAX_ARGC + 1 entries). scratch holds n + 1 bytes. */
static int split_line(const char *line, size_t n, char *scratch, struct args *out)
{
	size_t i = 0;

	for (;;) {
		const struct quote *q;
		size_t w = 0;

		while (i < n && is_blank(line[i]))
			i++;
		if (i == n)
			return 0;
		if (out->argc == ARGS_MAX_ARGC)
			return -E2BIG;
		q = quote_at(line + i, n - i);
		if (q) {
			size_t ol = strlen(q->open), cl = strlen(q->close);
			const char *start = line + i + ol;
			const char *close = memmem(start, n - i - ol, q->close, cl);

			if (!close)
				return -EINVAL;
			w = (size_t)(close - start);
			memcpy(scratch, start, w);
			i = (size_t)(close - line) + cl;
		}
		while (i < n && !is_blank(line[i]))
			scratch[w++] = line[i++];
		scratch[w] = '\0';
		out->argv[out->argc] = strdup(scratch);
		if (!out->argv[out->argc])
			return -ENOMEM;
		out->argc++;
	}
}

/* Copies the lines after the first, turning every line break into "\n", into
 * a fresh heap string (caller frees). */
static char *copy_body(const char *p)
{
	char *body = malloc(strlen(p) + 1);
	size_t w = 0;

	if (!body)
		return NULL;
	while (*p) {
		if (*p == '\r') {
			body[w++] = '\n';
			p += p[1] == '\n' ? 2 : 1;
		} else {
			body[w++] = *p++;
		}
	}
	body[w] = '\0';
	return body;
}

/* args_tokenize and args_tokenize_cmd: `cmd` (may be NULL) is split off the
 * start of the first line when it stands there glued to more text. */
static int tokenize(const char *text, const char *cmd, struct args *out)
{
	const char *line, *eol;
	char *norm, *scratch;
	size_t len, head = cmd ? strlen(cmd) : 0;
	int rc;

	if (!out)
		return -EINVAL;
	*out = (struct args){ 0 };
	if (!text)
		return -EINVAL;
	len = strnlen(text, (size_t)ARGS_MAX_TEXT + 1);
	if (len > ARGS_MAX_TEXT)
		return -E2BIG;
	if (!utf8_valid(text))
		return -EINVAL;

	norm = normalize(text, len);
	if (!norm)
		return -ENOMEM;
	line = skip_mentions(norm);
	eol = line + strcspn(line, "\r\n");
	scratch = malloc((size_t)(eol - line) + 1);
	out->argv = calloc(ARGS_MAX_ARGC + 1, sizeof *out->argv);
	if (!scratch || !out->argv) {
		rc = -ENOMEM;
		goto done;
	}
	if (head && (size_t)(eol - line) > head && memcmp(line, cmd, head) == 0) {
		out->argv[0] = strdup(cmd);
		if (!out->argv[0]) {
			rc = -ENOMEM;
			goto done;
		}
		out->argc = 1;
		line += head;
	}
	rc = split_line(line, (size_t)(eol - line), scratch, out);
	if (rc)
		goto done;
	if (*eol == '\r' && eol[1] == '\n')
		eol += 2;
	else if (*eol)
		eol++;
	out->body = copy_body(eol);
	if (!out->body)
		rc = -ENOMEM;
done:
	free(scratch);
	free(norm);
	if (rc)
		args_free(out);
	return rc;
}

int args_tokenize(const char *text, struct args *out)
{
	return tokenize(text, NULL, out);
}

int args_tokenize_cmd(const char *text, const char *cmd, struct args *out)
{
	return tokenize(text, cmd, out);
}

void args_free(struct args *a)
{
	if (!a)
		return;
	if (a->argv) {
		for (int i = 0; i < a->argc; i++)
			free(a->argv[i]);
		free(a->argv);
	}
	free(a->body);
	*a = (struct args){ 0 };
}
