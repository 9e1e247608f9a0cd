/* Pushes shown at the console; see outbox_console.h. */
#include "outbox_console.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../lib/strbuf.h"
#include "../handlers/text/outbox.h"

/* Bodies are ours and shallow; this only bounds a malformed row. */
#define MAX_DEPTH 16

static void walk(const cJSON *node, struct strbuf *sb, int depth);

static void add_line(struct strbuf *sb, const char *s)
{
	if (sb->len)
		strbuf_append(sb, "\n", 1);
	strbuf_appends(sb, s);
}

/* A string that holds a JSON object or array is walked; else it is text. */
static void text_or_json(const char *s, struct strbuf *sb, int depth, bool text)
{
	cJSON *inner = (s[0] == '{' || s[0] == '[') ? cJSON_Parse(s) : NULL;

	if (inner && (cJSON_IsObject(inner) || cJSON_IsArray(inner)))
		walk(inner, sb, depth + 1);
	else if (text)
		add_line(sb, s);
	cJSON_Delete(inner);
}

static void walk(const cJSON *node, struct strbuf *sb, int depth)
{
	const cJSON *child;

	if (depth > MAX_DEPTH)
		return;
	/* A post's title is its own field, and so is a WeCom template card's
	 * (main_title); DingTalk's markdown title repeats the first line of its
	 * text and stays out. */
	const cJSON *content = cJSON_GetObjectItemCaseSensitive(node, "content");
	cJSON_ArrayForEach(child, node)
	{
		const char *k = child->string;

		if (cJSON_IsString(child) && k) {
			if (strcmp(k, "content") == 0 || strcmp(k, "text") == 0 ||
			    strcmp(k, "sub_title_text") == 0)
				text_or_json(child->valuestring, sb, depth, true);
			else if (strcmp(k, "msgParam") == 0)
				text_or_json(child->valuestring, sb, depth, false);
			else if (strcmp(k, "title") == 0 && cJSON_IsArray(content))
				add_line(sb, child->valuestring);
		} else if (k && strcmp(k, "main_title") == 0) {
			const cJSON *t = cJSON_GetObjectItemCaseSensitive(child, "title");

			if (cJSON_IsString(t))
				add_line(sb, t->valuestring);
		} else if (cJSON_IsObject(child) || cJSON_IsArray(child)) {
			walk(child, sb, depth + 1);
		}
	}
}

char *outbox_console_text(const char *payload)
{
	cJSON *root = cJSON_Parse(payload);
	struct strbuf sb;

	if (!root)
		return NULL;
	strbuf_init(&sb);
	walk(root, &sb, 0);
	cJSON_Delete(root);
	if (sb.len == 0) {
		strbuf_free(&sb);
		return NULL;
	}
	return strbuf_detach(&sb);
}

void outbox_console_print(FILE *f, const char *destination, const char *payload)
{
	char *text = outbox_console_text(payload);

	fprintf(f, TXT_CONSOLE_PUSH "\n%s\n", destination, text ? text : "");
	fflush(f);
	free(text);
}

void outbox_console_print_file(FILE *f, const char *destination, const char *name,
                               const char *path)
{
	fprintf(f, TXT_CONSOLE_PUSH "\n" TXT_CONSOLE_FILE "\n", destination, name, path);
	fflush(f);
}
