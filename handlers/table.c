/* The command table and its lookups; see table.h. */
#include "table.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

const struct handler_entry *const handler_table[] = {
	&handler_help,
	&handler_whoami,
	&handler_query,
	&handler_file,
	&handler_replace,
	&handler_renew,
	&handler_evaluate,
	&handler_dismiss,
	&handler_category,
	&handler_bind,
	&handler_unbind,
	&handler_bindcode,
	&handler_audit,
	&handler_grant,
	&handler_revoke,
	&handler_roles,
	&handler_train,
	&handler_summon,
	&handler_warn,
	&handler_remove,
	&handler_blacklist,
	&handler_advise_dismissal,
	&handler_revoke_sanction,
	&handler_honour,
	&handler_pool,
	&handler_mine,
	&handler_expiring,
	&handler_overdue,
	&handler_untrained,
	&handler_sanction_list,
	&handler_vacant,
	&handler_stats,
	&handler_target,
	&handler_export,
	&handler_queue,
	&handler_ack,
	&handler_unacked,
	&handler_remind,
	&handler_alliance,
	&handler_subscribe,
	&handler_unsubscribe,
	&handler_event,
	&handler_signup,
	&handler_withdraw,
	&handler_roster,
	&handler_notice,
	&handler_next_page,
	&handler_confirm,
	&handler_cancel,
	NULL,
};

#define TABLE_LEN (sizeof handler_table / sizeof handler_table[0] - 1)

/* Longest word, in code points, that suggestions are computed for. Command
 * words are a few code points long and a word more than twice as long as a
 * candidate is always past the threshold, so longer input cannot match. */
#define SUGGEST_MAX_CP 64

static bool is_ascii(const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s >= 0x80)
			return false;
	}
	return true;
}

static bool word_matches(const char *word, const char *candidate)
{
	if (is_ascii(candidate))
		return strcasecmp(word, candidate) == 0;
	return strcmp(word, candidate) == 0;
}

/* Whether word is e's name or one of its aliases. */
static bool names(const struct handler_entry *e, const char *word)
{
	if (strcmp(word, e->name) == 0)
		return true;
	for (const char *const *a = e->aliases; a && *a; a++) {
		if (word_matches(word, *a))
			return true;
	}
	return false;
}

const struct handler_entry *handler_sub_find(const struct handler_entry *e, const char *word)
{
	for (const struct handler_entry *s = e->subs; word && s && s->name; s++) {
		if (names(s, word))
			return s;
	}
	return NULL;
}

bool handler_args_fit(const struct handler_entry *e, int nargs)
{
	return nargs >= e->min_args && nargs <= e->max_args;
}

const struct handler_entry *handler_find(const char *word)
{
	if (!word)
		return NULL;
	for (size_t i = 0; i < TABLE_LEN; i++) {
		if (names(handler_table[i], word))
			return handler_table[i];
	}
	return NULL;
}

/* The longer of `best` and `cand` when cand is a Chinese name that begins
 * word and leaves more after it. */
static const char *longer_prefix(const char *word, const char *cand, const char *best)
{
	size_t n = strlen(cand);

	if (is_ascii(cand) || strncmp(word, cand, n) != 0 || !word[n])
		return best;
	return !best || n > strlen(best) ? cand : best;
}

const struct handler_entry *handler_find_prefix(const char *word, const char **cmd)
{
	const struct handler_entry *found = NULL;
	const char *best = NULL;

	for (size_t i = 0; word && i < TABLE_LEN; i++) {
		const struct handler_entry *e = handler_table[i];
		const char *b = longer_prefix(word, e->name, best);

		for (const char *const *a = e->aliases; a && *a; a++)
			b = longer_prefix(word, *a, b);
		if (b != best) {
			best = b;
			found = e;
		}
	}
	if (cmd)
		*cmd = best;
	return found;
}

/* Decodes s into at most `max` code points, ASCII letters folded to lower
 * case so aliases compare case-insensitively. A byte that does not start a
 * well-formed sequence counts as one code point of its own. Returns the count,
 * or SIZE_MAX when s has more than `max`. */
static size_t decode(const char *s, uint32_t *cps, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	while (*p) {
		size_t len = *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC0 ? 2 : 1;
		uint32_t c = len == 1 ? *p : *p & (0x7Fu >> len);
		size_t i;

		for (i = 1; i < len && (p[i] & 0xC0) == 0x80; i++)
			c = (c << 6) | (p[i] & 0x3F);
		if (i < len || (len == 1 && *p >= 0x80)) {
			len = 1;
			c = 0x110000u + *p;   /* outside Unicode: never equals a real code point */
		}
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (n == max)
			return SIZE_MAX;
		cps[n++] = c;
		p += len;
	}
	return n;
}

/* Levenshtein distance between a[0..na) and b[0..nb), both at most
 * SUGGEST_MAX_CP long. */
static size_t distance(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	size_t row[SUGGEST_MAX_CP + 1];

	for (size_t j = 0; j <= nb; j++)
		row[j] = j;
	for (size_t i = 1; i <= na; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= nb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[nb];
}

/* Distance from the word to one name or alias, or SIZE_MAX when it is too
 * far. A candidate must keep at least one of its code points: otherwise a
 * one-character word would "match" the one-character alias "?". */
static size_t candidate_distance(const uint32_t *w, size_t nw, size_t limit, const char *cand)
{
	uint32_t c[SUGGEST_MAX_CP];
	size_t nc = decode(cand, c, SUGGEST_MAX_CP);
	size_t d;

	if (nc == SIZE_MAX)
		return SIZE_MAX;
	d = distance(w, nw, c, nc);
	return d <= limit && d < nc ? d : SIZE_MAX;
}

size_t handler_suggest(const char *word, unsigned roles,
                       const struct handler_entry **out, size_t max)
{
	uint32_t w[SUGGEST_MAX_CP];
	size_t dist[TABLE_LEN];
	size_t nw, limit, n = 0;

	if (!word || !out)
		return 0;
	nw = decode(word, w, SUGGEST_MAX_CP);
	if (nw == SIZE_MAX)
		return 0;
	limit = nw / 2 > 1 ? nw / 2 : 1;

	for (size_t i = 0; i < TABLE_LEN; i++) {
		const struct handler_entry *e = handler_table[i];

		dist[i] = SIZE_MAX;
		if (!(e->roles & roles))
			continue;
		dist[i] = candidate_distance(w, nw, limit, e->name);
		for (const char *const *a = e->aliases; a && *a; a++) {
			size_t d = candidate_distance(w, nw, limit, *a);

			if (d < dist[i])
				dist[i] = d;
		}
	}
	/* Closest first; equal distances keep table order. */
	for (size_t d = 0; d <= limit; d++) {
		for (size_t i = 0; i < TABLE_LEN && n < max; i++) {
			if (dist[i] == d)
				out[n++] = handler_table[i];
		}
	}
	return n;
}
