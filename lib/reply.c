/* The neutral reply; see reply.h. */
#include "reply.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

void reply_init(struct reply *r)
{
	memset(r, 0, sizeof *r);
}

void reply_free(struct reply *r)
{
	free(r->title);
	for (size_t i = 0; i < r->n_items; i++) {
		free(r->items[i].key);
		free(r->items[i].text);
	}
	free(r->items);
	for (size_t i = 0; i < r->table_rows * r->table_cols; i++)
		free(r->table_cells[i]);
	free(r->table_cells);
	for (size_t i = 0; i < r->n_actions; i++) {
		free(r->actions[i].label);
		free(r->actions[i].command);
	}
	free(r->fallback);
	reply_init(r);
}

void reply_fail(struct reply *r, enum reply_failure f)
{
	if (f > r->failure)
		r->failure = f;
}

/* Marks the reply on ENOMEM; returns rc. */
static int sticky(struct reply *r, int rc)
{
	if (rc == -ENOMEM)
		reply_fail(r, REPLY_FAIL_TRANSIENT);
	return rc;
}

int reply_set_title(struct reply *r, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return sticky(r, -ENOMEM);
	free(r->title);
	r->title = s;
	return 0;
}

static int reply_push(struct reply *r, enum reply_item_kind kind, const char *key, char *text)
{
	char *k = NULL;

	if (key && !(k = strdup(key))) {
		free(text);
		return -ENOMEM;
	}
	if (r->n_items == r->cap_items) {
		size_t cap = r->cap_items ? r->cap_items * 2 : 8;
		struct reply_item *items = realloc(r->items, cap * sizeof *items);
		if (!items) {
			free(k);
			free(text);
			return -ENOMEM;
		}
		r->items = items;
		r->cap_items = cap;
	}
	r->items[r->n_items++] = (struct reply_item){.kind = kind, .key = k, .text = text};
	return 0;
}

int reply_add_line(struct reply *r, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return sticky(r, -ENOMEM);
	return sticky(r, reply_push(r, REPLY_LINE, NULL, s));
}

int reply_add_field(struct reply *r, const char *key, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return sticky(r, -ENOMEM);
	return sticky(r, reply_push(r, REPLY_FIELD, key, s));
}

static int table_append(struct reply *r, const char *const *cells)
{
	size_t need = (r->table_rows + 1) * r->table_cols;

	if (need > r->cap_cells) {
		size_t cap = r->cap_cells ? r->cap_cells * 2 : r->table_cols * 8;
		while (cap < need)
			cap *= 2;
		char **c = realloc(r->table_cells, cap * sizeof *c);
		if (!c)
			return -ENOMEM;
		r->table_cells = c;
		r->cap_cells = cap;
	}
	char **row = r->table_cells + r->table_rows * r->table_cols;
	for (size_t i = 0; i < r->table_cols; i++) {
		row[i] = strdup(cells[i] ? cells[i] : "");
		if (!row[i]) {
			while (i--)
				free(row[i]);
			return -ENOMEM;
		}
	}
	r->table_rows++;
	return 0;
}

int reply_table_begin(struct reply *r, size_t cols, const char *const *header)
{
	if (cols == 0 || r->table_cols != 0)
		return -EINVAL;
	r->table_cols = cols;
	int rc = table_append(r, header);
	if (rc < 0)
		r->table_cols = 0;
	return sticky(r, rc);
}

int reply_table_add_row(struct reply *r, const char *const *cells)
{
	if (r->table_cols == 0)
		return -EINVAL;
	return sticky(r, table_append(r, cells));
}

int reply_add_action(struct reply *r, const char *label, const char *command,
                     enum reply_action_style style)
{
	struct reply_action *a = &r->actions[r->n_actions];

	if (!label || !*label || !command || !*command || r->n_actions == REPLY_ACTIONS_MAX)
		return -EINVAL;
	a->label = strdup(label);
	a->command = strdup(command);
	if (!a->label || !a->command) {
		free(a->label);
		free(a->command);
		*a = (struct reply_action){0};
		return sticky(r, -ENOMEM);
	}
	a->style = style;
	r->n_actions++;
	return 0;
}

int reply_add_fallback(struct reply *r, const char *fmt, ...)
{
	va_list ap;
	char *s, *joined;

	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return sticky(r, -ENOMEM);
	if (!r->fallback) {
		r->fallback = s;
		return 0;
	}
	n = asprintf(&joined, "%s\n%s", r->fallback, s);
	free(s);
	if (n < 0)
		return sticky(r, -ENOMEM);
	free(r->fallback);
	r->fallback = joined;
	return 0;
}

void reply_render_text_to(const struct reply *r, struct strbuf *sb)
{
	size_t start = sb->len;

	if (r->title) {
		strbuf_appends(sb, r->title);
		strbuf_append(sb, "\n", 1);
	}
	for (size_t i = 0; i < r->n_items; i++) {
		const struct reply_item *it = &r->items[i];
		if (it->kind == REPLY_FIELD) {
			strbuf_appends(sb, it->key);
			strbuf_appends(sb, "：");
		}
		strbuf_appends(sb, it->text);
		strbuf_append(sb, "\n", 1);
	}
	for (size_t row = 0; row < r->table_rows; row++) {
		for (size_t c = 0; c < r->table_cols; c++) {
			if (c)
				strbuf_append(sb, " | ", 3);
			strbuf_appends(sb, r->table_cells[row * r->table_cols + c]);
		}
		strbuf_append(sb, "\n", 1);
	}
	if (r->fallback) {
		strbuf_appends(sb, r->fallback);
		strbuf_append(sb, "\n", 1);
	}
	/* No trailing newline: adapters add their own framing. */
	if (!sb->failed && sb->len > start && sb->buf[sb->len - 1] == '\n')
		sb->buf[--sb->len] = '\0';
}

char *reply_render_text(const struct reply *r)
{
	struct strbuf sb;

	strbuf_init(&sb);
	reply_render_text_to(r, &sb);
	return strbuf_detach(&sb);
}
