/* Multi-line "键：值" forms; see form.h. */
#include "form.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/names.h"
#include "text/common.h"

/* Index of the spec entry that accepts `name` (length n), or -1. */
static int spec_find(const struct form_spec *spec, size_t n_spec, const char *name, size_t n)
{
	for (size_t i = 0; i < n_spec; i++)
		if (names_has(spec[i].names, name, n))
			return (int)i;
	return -1;
}

/* First name of a spec entry (the Chinese one) for messages. */
static void spec_name(const struct form_spec *s, char *buf, size_t len)
{
	size_t n = names_first_len(s->names);

	if (n >= len)
		n = len - 1;
	memcpy(buf, s->names, n);
	buf[n] = '\0';
}

static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

bool form_cut_note(const char *key, size_t *kn)
{
	static const char *const opens[] = {"(", "（"}, *const closes[] = {")", "）"};

	for (size_t i = 0; i < 2; i++) {
		size_t cl = strlen(closes[i]);
		if (*kn <= cl || strncmp(key + *kn - cl, closes[i], cl) != 0)
			continue;
		for (size_t at = *kn - cl; at-- > 0;) {
			if (strncmp(key + at, opens[i], strlen(opens[i])) == 0) {
				*kn = at;
				trim(&key, kn);
				return *kn > 0;
			}
		}
	}
	return false;
}

static int append_value(char **slot, const char *v, size_t n, bool newline)
{
	size_t old = *slot ? strlen(*slot) : 0;
	char *p = realloc(*slot, old + newline + n + 1);
	if (!p)
		return -ENOMEM;
	if (newline)
		p[old++] = '\n';
	memcpy(p + old, v, n);
	p[old + n] = '\0';
	*slot = p;
	return 0;
}

int form_parse(const char *body, const struct form_spec *spec, size_t n_spec,
               struct form *out, struct reply *errors)
{
	/* Line numbers count the command line as line 1, as the user sees them. */
	int last = -1, line_no = 1;
	bool bad = false;

	out->spec = spec;
	out->n_spec = n_spec;
	out->values = calloc(n_spec ? n_spec : 1, sizeof *out->values);
	if (!out->values)
		return -ENOMEM;

	for (const char *line = body; line && *line;) {
		const char *eol = strchr(line, '\n');
		size_t n = eol ? (size_t)(eol - line) : strlen(line);
		const char *next = eol ? eol + 1 : NULL;
		line_no++;
		trim(&line, &n);
		const char *colon = memchr(line, ':', n);
		if (n == 0) {
			line = next;
			continue;
		}
		if (!colon) {
			if (last < 0) {
				reply_add_line(errors, TXT_FORM_NO_COLON, line_no);
				bad = true;
			} else if (append_value(&out->values[last], line, n, true) < 0) {
				return -ENOMEM;
			}
			line = next;
			continue;
		}
		const char *key = line, *val = colon + 1;
		size_t kn = (size_t)(colon - line), vn = n - kn - 1;
		trim(&key, &kn);
		trim(&val, &vn);
		int idx = spec_find(spec, n_spec, key, kn);
		size_t cut = kn;
		if (idx < 0 && form_cut_note(key, &cut))
			idx = spec_find(spec, n_spec, key, cut);
		if (idx < 0) {
			reply_add_line(errors, TXT_FORM_UNKNOWN_FIELD, line_no, (int)kn, key);
			bad = true;
			last = -1;
		} else if (out->values[idx]) {
			char name[64];
			spec_name(&spec[idx], name, sizeof name);
			reply_add_line(errors, TXT_FORM_REPEATED_FIELD, line_no, name);
			bad = true;
			last = -1;
		} else {
			if (append_value(&out->values[idx], val, vn, false) < 0)
				return -ENOMEM;
			last = idx;
		}
		line = next;
	}
	for (size_t i = 0; i < n_spec; i++) {
		if (spec[i].required && (!out->values[i] || !out->values[i][0])) {
			char name[64];
			spec_name(&spec[i], name, sizeof name);
			reply_add_line(errors, TXT_FORM_MISSING_FIELD, name);
			bad = true;
		}
	}
	return bad ? -EINVAL : 0;
}

const char *form_get(const struct form *f, const char *key)
{
	for (size_t i = 0; i < f->n_spec; i++)
		if (strcmp(f->spec[i].key, key) == 0)
			return f->values[i] && f->values[i][0] ? f->values[i] : NULL;
	return NULL;
}

void form_describe(const struct form_spec *spec, size_t n_spec, struct reply *r)
{
	for (size_t i = 0; i < n_spec; i++) {
		char name[64];
		spec_name(&spec[i], name, sizeof name);
		reply_add_line(r, spec[i].required ? TXT_FORM_FIELD_REQUIRED : TXT_FORM_FIELD_OPTIONAL,
		               name);
	}
}

void form_free(struct form *f)
{
	if (f->values)
		for (size_t i = 0; i < f->n_spec; i++)
			free(f->values[i]);
	free(f->values);
	f->values = NULL;
}
