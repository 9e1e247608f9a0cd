/*
 * Multi-line forms ("键：值" lines after the command line, as the tokenizer
 * leaves them in args.body with full-width colons already normalized).
 *
 * A spec table maps each canonical field to the names users may write
 * (Chinese as on the 信息表, plus English aliases) and says whether it is
 * required. A line without a colon continues the previous field's value
 * (résumés and remarks span lines). Every problem is reported, not just the
 * first: unknown field, repeated field, missing required field.
 */
#ifndef CQOD_FORM_H
#define CQOD_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "../lib/reply.h"

struct form_spec {
	const char *key;     /* canonical key used by the handler, e.g. "name" */
	const char *names;   /* accepted names separated by '|', e.g. "姓名|name" */
	bool required;
};

/* Parsed values, one per spec entry (NULL when absent). Owns the strings. */
struct form {
	const struct form_spec *spec;
	size_t n_spec;
	char **values;
};

/* Parses `body` against spec. Returns 0, or -EINVAL after adding one reply
 * line per problem to `errors`, or -ENOMEM. *out is always safe to
 * form_free. */
int form_parse(const char *body, const struct form_spec *spec, size_t n_spec,
               struct form *out, struct reply *errors);

/* Cuts a trailing note in brackets, such as the 信息表's "首席质量官工作简历
 * (包括……获奖情况等)", and the blanks before it off the name key[0..*kn):
 * true with the shorter *kn, false when there is no such note. */
bool form_cut_note(const char *key, size_t *kn);

/* The value of canonical key `key`, or NULL if absent. Borrowed from f. */
const char *form_get(const struct form *f, const char *key);

/* Lists the spec's fields as "名称（必填）" lines into r (usage help). */
void form_describe(const struct form_spec *spec, size_t n_spec, struct reply *r);

void form_free(struct form *f);

#endif
