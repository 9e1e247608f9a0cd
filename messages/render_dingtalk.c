/*
 * DingTalk bodies (PROTOCOLS.md §2.2-2.3):
 *   DEST_SESSION, DEST_ROBOT  sessionWebhook / custom robot:
 *       {"msgtype":"text","text":{"content":...}} or
 *       {"msgtype":"markdown","markdown":{"title":T,"text":...}}
 *   DEST_USER   robot/oToMessages/batchSend   {"userIds":[U],"msgKey":...,"msgParam":...}
 *   DEST_CHAT   robot/groupMessages/send      {"openConversationId":C,"msgKey":...,"msgParam":...}
 *       msgKey sampleText ({"content"}) or sampleMarkdown ({"title","text"});
 *       msgParam is that object as a JSON string. The sender adds "robotCode"
 *       from the instance, so bodies carry no config.
 * Plain replies go as text, structured ones as markdown (bold title and keys,
 * a blank line between lines since DingTalk's markdown joins single
 * newlines).
 *
 * A reply with actions to one user (OpenAPI) or through a sessionWebhook
 * ends with an actionCard (the markdown text and one button per action):
 * DingTalk's interactive cards need a card template registered in the
 * developer console, the robot messages in use here do not take them. Each
 * button's URL is dtmd://dingtalkclient/sendMessage?content=<the command,
 * percent-encoded>, which makes the client send the command for the user:
 * it comes back as a typed message. OpenAPI: msgKey sampleActionCard
 * (singleTitle, singleURL) for one button, sampleActionCard<n>
 * (actionTitleK, actionURLK) for n = 2..4; session: msgtype actionCard with
 * btns (side by side up to two). A group only hears a message that
 * @-mentions the robot, which a typed-for-you message does not, so outside
 * a one-to-one OpenAPI message the fallback lines stay in the text; group
 * chats (OpenAPI) and robots get no buttons.
 * The title field is what the notification shows: the reply's title, or the
 * bot's name. Content is limited to 20000 bytes.
 *
 * Reply text in markdown is made inert (render_fullwidth). Text has no
 * markup (a mention needs the body's "at" field, which cqod never sends),
 * so it goes as written.
 */
#include "render_internal.h"

#include <errno.h>
#include <stdlib.h>

#include "../lib/clock.h"
#include "sign.h"
#include "text.h"

#define DINGTALK_CONTENT_MAX 20000

/* The content object of a part: {"content":...} or {"title":...,"text":...}. */
static void content_object(struct strbuf *sb, const struct render_parts *parts, size_t i,
                           const char *title, bool md)
{
	if (md) {
		strbuf_appends(sb, "{\"title\":");
		render_json_str(sb, title);
		strbuf_appends(sb, ",\"text\":\"");
		render_json_part(sb, parts, i, "\n\n");
	} else {
		strbuf_appends(sb, "{\"content\":\"");
		render_json_part(sb, parts, i, "\n");
	}
	strbuf_appends(sb, "\"}");
}

/* The button URL that sends `command` for the user. */
static void button_url(struct strbuf *sb, const char *command)
{
	struct strbuf url;
	char *u;

	strbuf_init(&url);
	strbuf_appends(&url, "dtmd://dingtalkclient/sendMessage?content=");
	sign_urlencode(&url, command);
	u = strbuf_detach(&url);
	render_json_str(sb, u ? u : "");
	free(u);
}

/* The actionCard's fields after "text": OpenAPI's template parameters
 * (`openapi`) or the session's btns. */
static void card_buttons(struct strbuf *sb, const struct reply *r, bool openapi)
{
	if (openapi && r->n_actions == 1) {
		strbuf_appends(sb, ",\"singleTitle\":");
		render_json_str(sb, r->actions[0].label);
		strbuf_appends(sb, ",\"singleURL\":");
		button_url(sb, r->actions[0].command);
		return;
	}
	if (!openapi)
		strbuf_appendf(sb, ",\"btnOrientation\":\"%d\",\"btns\":[", r->n_actions <= 2);
	for (size_t i = 0; i < r->n_actions; i++) {
		if (openapi) {
			strbuf_appendf(sb, ",\"actionTitle%zu\":", i + 1);
			render_json_str(sb, r->actions[i].label);
			strbuf_appendf(sb, ",\"actionURL%zu\":", i + 1);
		} else {
			strbuf_appends(sb, i ? ",{\"title\":" : "{\"title\":");
			render_json_str(sb, r->actions[i].label);
			strbuf_appends(sb, ",\"actionURL\":");
		}
		button_url(sb, r->actions[i].command);
		if (!openapi)
			strbuf_append(sb, "}", 1);
	}
	if (!openapi)
		strbuf_append(sb, "]", 1);
}

/* The last part of a reply with buttons: an actionCard. */
static char *card_body(const struct dest *d, const struct render_parts *parts, size_t i,
                       const char *title, const struct reply *r)
{
	struct strbuf sb, param;
	char *p;

	strbuf_init(&param);
	strbuf_appends(&param, "{\"title\":");
	render_json_str(&param, title);
	strbuf_appends(&param, ",\"text\":\"");
	render_json_part(&param, parts, i, "\n\n");
	strbuf_append(&param, "\"", 1);
	card_buttons(&param, r, d->kind == DEST_USER);
	strbuf_append(&param, "}", 1);
	p = strbuf_detach(&param);
	if (!p)
		return NULL;
	strbuf_init(&sb);
	if (d->kind == DEST_SESSION) {
		strbuf_appendf(&sb, "{\"msgtype\":\"actionCard\",\"actionCard\":%s}", p);
	} else {
		strbuf_appends(&sb, "{\"userIds\":[");
		render_json_str(&sb, d->target);
		if (r->n_actions == 1)
			strbuf_appends(&sb, "],\"msgKey\":\"sampleActionCard\",\"msgParam\":");
		else
			strbuf_appendf(&sb, "],\"msgKey\":\"sampleActionCard%zu\",\"msgParam\":",
			               r->n_actions);
		render_json_str(&sb, p);
		strbuf_append(&sb, "}", 1);
	}
	free(p);
	return strbuf_detach(&sb);
}

static char *body(const struct dest *d, const struct render_parts *parts, size_t i,
                  const char *title, bool md)
{
	struct strbuf sb, param;
	char *p;

	strbuf_init(&sb);
	if (d->kind == DEST_SESSION || d->kind == DEST_ROBOT) {
		strbuf_appendf(&sb, "{\"msgtype\":\"%s\",\"%s\":", md ? "markdown" : "text",
		               md ? "markdown" : "text");
		content_object(&sb, parts, i, title, md);
		strbuf_append(&sb, "}", 1);
		return strbuf_detach(&sb);
	}
	strbuf_init(&param);
	content_object(&param, parts, i, title, md);
	p = strbuf_detach(&param);
	if (!p)
		return NULL;
	if (d->kind == DEST_USER) {
		strbuf_appends(&sb, "{\"userIds\":[");
		render_json_str(&sb, d->target);
		strbuf_append(&sb, "]", 1);
	} else {
		strbuf_appends(&sb, "{\"openConversationId\":");
		render_json_str(&sb, d->target);
	}
	strbuf_appendf(&sb, ",\"msgKey\":\"%s\",\"msgParam\":", md ? "sampleMarkdown" : "sampleText");
	render_json_str(&sb, p);
	strbuf_append(&sb, "}", 1);
	free(p);
	return strbuf_detach(&sb);
}

static void dingtalk_escape(struct strbuf *sb, const char *s, size_t n,
                            enum render_markup markup)
{
	render_fullwidth(sb, s, n, markup == MARKUP_MARKDOWN ? RENDER_MARKDOWN_CHARS : "");
}

/* A sessionWebhook this close to its expiry is not used: the send may wait
 * in the outbox a little, and DingTalk's clock is not ours. */
#define SESSION_MARGIN_S 60

/* The sessionWebhook while it lasts, then the OpenAPI: the sender
 * privately, or the group. */
int dingtalk_reply_dest(const struct chat_msg *msg, struct dest *out)
{
	int rc;

	if (msg->reply_handle && *msg->reply_handle &&
	    (msg->reply_handle_expires == 0 ||
	     clock_now() + SESSION_MARGIN_S < msg->reply_handle_expires)) {
		rc = dest_fill(out, msg, DEST_SESSION, msg->reply_handle);
		if (rc == 0)
			out->expires_at = msg->reply_handle_expires;
		return rc;
	}
	return dingtalk_file_dest(msg, out);
}

/* Files go through the OpenAPI: the sender privately, or the group. */
int dingtalk_file_dest(const struct chat_msg *msg, struct dest *out)
{
	if (msg->kind == CHAT_PRIVATE)
		return dest_fill(out, msg, DEST_USER, msg->sender_id);
	return dest_fill(out, msg, DEST_CHAT, msg->chat_id);
}

int render_dingtalk(const struct dest *d, const struct reply *r, const char *idem_key,
                    struct rendered *out)
{
	bool card = r->n_actions && (d->kind == DEST_USER || d->kind == DEST_SESSION);
	bool md = card || render_structured(r);
	struct render_limit lim = {.budget = DINGTALK_CONTENT_MAX, .level = 0, .sep = md ? 2 : 1};
	struct render_parts parts;
	struct render_doc doc;
	int rc;

	(void)idem_key;   /* DingTalk's bodies have no idempotency field */
	if (d->kind != DEST_USER && d->kind != DEST_CHAT && d->kind != DEST_ROBOT &&
	    d->kind != DEST_SESSION)
		return -EINVAL;
	rc = render_doc_build(r, md ? MARKUP_MARKDOWN : MARKUP_PLAIN, true,
	                      !card || d->kind != DEST_USER, dingtalk_escape, &doc);
	if (rc < 0) {
		render_doc_free(&doc);
		return rc;
	}
	rc = render_split(&doc, &lim, &parts);
	for (size_t i = 0; rc == 0 && i < parts.n_parts; i++) {
		const char *title = doc.title ? doc.title : TXT_BOT_NAME;

		rc = render_push(out, card && i + 1 == parts.n_parts
		                              ? card_body(d, &parts, i, title, r)
		                              : body(d, &parts, i, title, md));
	}
	render_parts_free(&parts);
	render_doc_free(&doc);
	return rc;
}
