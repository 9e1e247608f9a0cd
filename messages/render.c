/*
 * Rendering a neutral reply into platform request bodies: flattening,
 * splitting at the platforms' size limits, JSON escaping; the platform
 * formats are in render_<platform>.c. See render_internal.h.
 *
 * Output is deterministic (same reply, destination and key: same bytes):
 * bodies are written by hand rather than through cJSON so that field order,
 * escaping and therefore sizes are exactly what the splitter counted.
 */
#include "render_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "platforms.h"

void rendered_free(struct rendered *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->bodies[i]);
	free(r->bodies);
	r->bodies = NULL;
	r->n = 0;
	if (r->track) {
		for (size_t i = 0; i < r->track->n; i++)
			free(r->track->commands[i]);
		free(r->track);
		r->track = NULL;
	}
}

int render_push(struct rendered *out, char *body)
{
	char **b;

	if (!body)
		return -ENOMEM;
	b = realloc(out->bodies, (out->n + 1) * sizeof *b);
	if (!b) {
		free(body);
		return -ENOMEM;
	}
	out->bodies = b;
	out->bodies[out->n++] = body;
	return 0;
}

/* Bytes of one byte once escaped at level 1 and level 2. */
static size_t escaped_byte(unsigned char c, int level)
{
	if (level == 0)
		return 1;
	if (c == '"' || c == '\\')
		return level == 1 ? 2 : 4;
	if (c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t')
		return level == 1 ? 2 : 3;
	if (c < 0x20)
		return level == 1 ? 6 : 7;
	return 1;
}

size_t render_escaped_len(const char *s, size_t n, int level)
{
	size_t len = 0;

	for (size_t i = 0; i < n; i++)
		len += escaped_byte((unsigned char)s[i], level);
	return len;
}

void render_json_escape(struct strbuf *sb, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t run = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[7] = "\\";
		size_t elen = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		strbuf_append(sb, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			elen = 6;
		}
		strbuf_append(sb, esc, elen);
	}
	strbuf_append(sb, s + run, n - run);
}

void render_json_str(struct strbuf *sb, const char *s)
{
	strbuf_append(sb, "\"", 1);
	render_json_escape(sb, s, strlen(s));
	strbuf_append(sb, "\"", 1);
}

void render_json_part(struct strbuf *sb, const struct render_parts *p, size_t i,
                      const char *sep)
{
	for (size_t j = p->starts[i]; j < p->starts[i + 1]; j++) {
		if (j > p->starts[i])
			render_json_escape(sb, sep, strlen(sep));
		render_json_escape(sb, p->slices[j].p, p->slices[j].n);
	}
}

void render_fullwidth(struct strbuf *sb, const char *s, size_t n, const char *chars)
{
	size_t run = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		unsigned cp;
		char wide[3];

		if (c < 0x21 || c > 0x7e || !strchr(chars, c))
			continue;
		strbuf_append(sb, s + run, i - run);
		run = i + 1;
		cp = 0xff01 + (c - 0x21u);
		wide[0] = (char)(0xe0 | (cp >> 12));
		wide[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		wide[2] = (char)(0x80 | (cp & 0x3f));
		strbuf_append(sb, wide, sizeof wide);
	}
	strbuf_append(sb, s + run, n - run);
}

/* Length of the UTF-8 character at s (1 for a stray or invalid byte). */
static size_t char_len(const char *s, size_t avail)
{
	unsigned char c = (unsigned char)s[0];
	size_t n = c < 0x80 ? 1 : c >= 0xf0 && c < 0xf8 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;

	if (n > avail)
		return 1;
	for (size_t i = 1; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			return 1;
	return n;
}

/* Cuts a string at a character boundary to at most max bytes. */
static size_t cut_len(const char *s, size_t n, size_t max)
{
	size_t o = 0;

	while (o < n) {
		size_t c = char_len(s + o, n - o);

		if (o + c > max)
			break;
		o += c;
	}
	return o;
}

static int doc_add(struct render_doc *doc, char *line)
{
	if (!line)
		return -ENOMEM;
	if (doc->n == doc->cap) {
		size_t cap = doc->cap ? doc->cap * 2 : 16;
		char **l = realloc(doc->lines, cap * sizeof *l);

		if (!l) {
			free(line);
			return -ENOMEM;
		}
		doc->lines = l;
		doc->cap = cap;
	}
	doc->lines[doc->n++] = line;
	return 0;
}

/* How reply text becomes document text: the platform's escape function in
 * the document's markup. */
struct doc_esc {
	render_escape_fn fn;
	enum render_markup markup;
};

/* Adds `prefix` + text + `suffix` as lines: text is split at '\n' (a '\r'
 * before it is dropped) and escaped (verbatim when e is NULL); the prefix
 * goes on the first line only, the suffix on the last. */
static int doc_add_text(struct render_doc *doc, const char *prefix, const char *text,
                        const char *suffix, const struct doc_esc *e)
{
	const char *s = text;

	for (;;) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		struct strbuf sb;
		int rc;

		if (n && s[n - 1] == '\r')
			n--;
		strbuf_init(&sb);
		if (s == text)
			strbuf_appends(&sb, prefix);
		if (e)
			e->fn(&sb, s, n, e->markup);
		else
			strbuf_append(&sb, s, n);
		if (!nl)
			strbuf_appends(&sb, suffix);
		rc = doc_add(doc, strbuf_detach(&sb));
		if (rc < 0 || !nl)
			return rc;
		s = nl + 1;
	}
}

/* A string of the reply, escaped whole (newlines included) into a new string. */
static char *escaped(const char *s, const struct doc_esc *e)
{
	struct strbuf sb;

	strbuf_init(&sb);
	e->fn(&sb, s, strlen(s), e->markup);
	return strbuf_detach(&sb);
}

bool render_structured(const struct reply *r)
{
	if (r->title || r->table_cols)
		return true;
	for (size_t i = 0; i < r->n_items; i++)
		if (r->items[i].kind == REPLY_FIELD)
			return true;
	return false;
}

/* Table rows as "cell | cell" lines; the cells are escaped, the separators
 * are the renderer's own. */
static int doc_add_table(struct render_doc *doc, const struct reply *r, const struct doc_esc *e)
{
	for (size_t row = 0; row < r->table_rows; row++) {
		struct strbuf sb;
		char *line;
		int rc;

		strbuf_init(&sb);
		for (size_t c = 0; c < r->table_cols; c++) {
			const char *cell = r->table_cells[row * r->table_cols + c];

			if (c)
				strbuf_appends(&sb, " | ");
			e->fn(&sb, cell, strlen(cell), e->markup);
		}
		line = strbuf_detach(&sb);
		if (!line)
			return -ENOMEM;
		rc = doc_add_text(doc, "", line, "", NULL);
		free(line);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int render_doc_build(const struct reply *r, enum render_markup markup, bool title_line,
                     bool fallback, render_escape_fn esc, struct render_doc *doc)
{
	const struct doc_esc e = {esc, markup}, plain = {esc, MARKUP_PLAIN};
	bool md = markup == MARKUP_MARKDOWN;
	int rc = 0;

	memset(doc, 0, sizeof *doc);
	if (r->title) {
		char *t = escaped(r->title, &plain);
		size_t n;

		if (!t)
			return -ENOMEM;
		n = strcspn(t, "\r\n");
		doc->title = strndup(t, cut_len(t, n, RENDER_TITLE_MAX));
		free(t);
		if (!doc->title)
			return -ENOMEM;
		if (title_line)
			rc = doc_add_text(doc, md ? "**" : "", r->title, md ? "**" : "", &e);
	}
	for (size_t i = 0; rc == 0 && i < r->n_items; i++) {
		const struct reply_item *it = &r->items[i];
		struct strbuf prefix;
		char *pre;

		if (it->kind == REPLY_LINE) {
			rc = doc_add_text(doc, "", it->text, "", &e);
			continue;
		}
		strbuf_init(&prefix);
		strbuf_appends(&prefix, md ? "**" : "");
		esc(&prefix, it->key, strlen(it->key), markup);
		strbuf_appends(&prefix, md ? "**：" : "：");
		pre = strbuf_detach(&prefix);
		if (!pre)
			return -ENOMEM;
		rc = doc_add_text(doc, pre, it->text, "", &e);
		free(pre);
	}
	if (rc == 0)
		rc = doc_add_table(doc, r, &e);
	if (rc == 0 && fallback && r->fallback)
		rc = doc_add_text(doc, "", r->fallback, "", &e);
	if (rc == 0 && doc->n == 0 && !doc->title)
		rc = -EINVAL;
	return rc;
}

void render_doc_free(struct render_doc *doc)
{
	for (size_t i = 0; i < doc->n; i++)
		free(doc->lines[i]);
	free(doc->lines);
	free(doc->title);
	memset(doc, 0, sizeof *doc);
}

static int parts_slice(struct render_parts *p, const char *s, size_t n)
{
	if (p->n_slices == p->cap_slices) {
		size_t cap = p->cap_slices ? p->cap_slices * 2 : 16;
		struct render_slice *v = realloc(p->slices, cap * sizeof *v);

		if (!v)
			return -ENOMEM;
		p->slices = v;
		p->cap_slices = cap;
	}
	p->slices[p->n_slices++] = (struct render_slice){s, n};
	return 0;
}

/* Starts a part at the next slice. */
static int parts_start(struct render_parts *p)
{
	size_t *v = realloc(p->starts, (p->n_parts + 2) * sizeof *v);

	if (!v)
		return -ENOMEM;
	p->starts = v;
	p->starts[p->n_parts++] = p->n_slices;
	p->starts[p->n_parts] = p->n_slices;
	return 0;
}

/* Longest prefix of s, whole characters only, whose escaped size is <= max. */
static size_t fit_prefix(const char *s, size_t n, int level, size_t max)
{
	size_t o = 0, cost = 0;

	while (o < n) {
		size_t c = char_len(s + o, n - o);
		size_t add = render_escaped_len(s + o, c, level);

		if (cost + add > max)
			break;
		cost += add;
		o += c;
	}
	return o;
}

int render_split(const struct render_doc *doc, const struct render_limit *lim,
                 struct render_parts *out)
{
	size_t used = 0, count = 0;
	int rc;

	memset(out, 0, sizeof *out);
	if (lim->budget <= lim->overhead + 8)
		return -EINVAL;
	rc = parts_start(out);
	for (size_t i = 0; rc == 0 && i < doc->n; i++) {
		const char *s = doc->lines[i];
		size_t n = strlen(s);

		for (;;) {
			size_t cost = render_escaped_len(s, n, lim->level) + lim->overhead +
			              (count ? lim->sep : 0);
			size_t take;

			if (used + cost <= lim->budget) {
				rc = parts_slice(out, s, n);
				used += cost;
				count++;
				break;
			}
			if (count) {
				rc = parts_start(out);
				used = count = 0;
				if (rc < 0)
					break;
				continue;
			}
			/* Alone in its part and still too long: cut it. */
			take = fit_prefix(s, n, lim->level, lim->budget - lim->overhead);
			rc = parts_slice(out, s, take);
			if (rc == 0)
				rc = parts_start(out);
			if (rc < 0)
				break;
			s += take;
			n -= take;
		}
		if (rc == 0)
			out->starts[out->n_parts] = out->n_slices;
	}
	if (rc < 0)
		render_parts_free(out);
	return rc;
}

void render_parts_free(struct render_parts *p)
{
	free(p->slices);
	free(p->starts);
	memset(p, 0, sizeof *p);
}

int render_message(const struct dest *d, const struct reply *r, const char *idem_key,
                   struct rendered *out)
{
	const struct platform_codec *p;
	int rc;

	out->bodies = NULL;
	out->n = 0;
	out->track = NULL;
	if (d->kind != DEST_ROBOT && !d->target[0])
		return -EINVAL;
	p = platform_find(d->platform);
	rc = p && p->render ? p->render(d, r, idem_key, out) : -EINVAL;
	if (rc < 0)
		rendered_free(out);
	return rc;
}
