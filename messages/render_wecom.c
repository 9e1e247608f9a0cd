/*
 * WeCom bodies (PROTOCOLS.md §1.6):
 *   DEST_USER   message/send   {"touser":U,"msgtype":...}; the sender adds
 *               "agentid" from the instance, so bodies carry no config
 *   DEST_CHAT   appchat/send   {"chatid":C,"msgtype":...}
 *   DEST_ROBOT  webhook/send   {"msgtype":...}
 * A reply with only plain lines goes as "text"; one with a title, fields or
 * a table as "markdown" (bold title and keys). Limits are on the content's
 * UTF-8 bytes: text 2048; markdown 2048 for app messages, 4096 for robots.
 *
 * Reply text is made inert (render_fullwidth): in markdown every markup
 * character, <@userid> mentions included; in text the tags (text messages
 * take <a href> links) and entities.
 */
#include "render_internal.h"

#include <errno.h>

#define WECOM_TEXT_MAX 2048
#define WECOM_APP_MARKDOWN_MAX 2048
#define WECOM_ROBOT_MARKDOWN_MAX 4096

static void wecom_escape(struct strbuf *sb, const char *s, size_t n, enum render_markup markup)
{
	render_fullwidth(sb, s, n, markup == MARKUP_MARKDOWN ? RENDER_MARKDOWN_CHARS : "<>&");
}

/* WeCom answers the sender, by the app. */
int wecom_reply_dest(const struct chat_msg *msg, struct dest *out)
{
	return dest_fill(out, msg, DEST_USER, msg->sender_id);
}

int render_wecom(const struct dest *d, const struct reply *r, const char *idem_key,
                 struct rendered *out)
{
	struct render_limit lim = {.level = 0, .sep = 1};
	struct render_parts parts;
	struct render_doc doc;
	bool md = render_structured(r);
	const char *type = md ? "markdown" : "text";
	int rc;

	(void)idem_key;   /* WeCom's bodies have no idempotency field */
	if (d->kind != DEST_USER && d->kind != DEST_CHAT && d->kind != DEST_ROBOT)
		return -EINVAL;
	rc = render_doc_build(r, md ? MARKUP_MARKDOWN : MARKUP_PLAIN, true, wecom_escape, &doc);
	if (rc < 0) {
		render_doc_free(&doc);
		return rc;
	}
	lim.budget = !md                    ? WECOM_TEXT_MAX
	             : d->kind == DEST_ROBOT ? WECOM_ROBOT_MARKDOWN_MAX
	                                     : WECOM_APP_MARKDOWN_MAX;
	rc = render_split(&doc, &lim, &parts);
	for (size_t i = 0; rc == 0 && i < parts.n_parts; i++) {
		struct strbuf sb;

		strbuf_init(&sb);
		strbuf_append(&sb, "{", 1);
		if (d->kind == DEST_USER) {
			strbuf_appends(&sb, "\"touser\":");
			render_json_str(&sb, d->target);
			strbuf_append(&sb, ",", 1);
		} else if (d->kind == DEST_CHAT) {
			strbuf_appends(&sb, "\"chatid\":");
			render_json_str(&sb, d->target);
			strbuf_append(&sb, ",", 1);
		}
		strbuf_appendf(&sb, "\"msgtype\":\"%s\",\"%s\":{\"content\":\"", type, type);
		render_json_part(&sb, &parts, i, "\n");
		strbuf_appends(&sb, "\"}}");
		rc = render_push(out, strbuf_detach(&sb));
	}
	render_parts_free(&parts);
	render_doc_free(&doc);
	return rc;
}

char *render_wecom_text(const struct reply *r)
{
	struct render_doc doc;
	struct strbuf sb;

	if (render_doc_build(r, MARKUP_PLAIN, true, wecom_escape, &doc) < 0) {
		render_doc_free(&doc);
		return NULL;
	}
	strbuf_init(&sb);
	for (size_t i = 0; i < doc.n; i++) {
		if (i)
			strbuf_append(&sb, "\n", 1);
		strbuf_appends(&sb, doc.lines[i]);
	}
	render_doc_free(&doc);
	return strbuf_detach(&sb);
}
