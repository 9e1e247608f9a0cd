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
 * An instance with a card template (dingtalk_card.h) sends a reply with
 * actions to one user or a group (OpenAPI) as an interactive card
 * instead, whatever the chat: its last part is
 *   POST v1.0/card/instances/createAndDeliver  {"outTrackId":ID,
 *       "callbackType":"STREAM","cardData":{"cardParamMap":{...}},
 *       "openSpaceId":"dtv1.card//IM_ROBOT.<userId>" with
 *       imRobotOpenSpaceModel and imRobotOpenDeliverModel, or
 *       "dtv1.card//IM_GROUP.<openConversationId>" with imGroupOpenSpaceModel
 *       and imGroupOpenDeliverModel, "userIdType":1}
 * (the sender adds cardTemplateId and the deliver model's robotCode), the
 * parts before it sampleMarkdown; ID is "cqod" and 40 hex digits of the
 * SHA-256 of instance, key and part, so a retry delivers the same card.
 * DEST_CARD shows such a card anew: PUT v1.0/card/instances
 * {"outTrackId":<target>,"cardData":...,"cardUpdateOptions":
 * {"updateCardDataByKey":true},"userIdType":1}, one card or nothing
 * (-EMSGSIZE). Either way out->track says what its buttons stand for.
 *
 * Reply text in markdown is made inert (render_fullwidth). Text has no
 * markup (a mention needs the body's "at" field, which cqod never sends),
 * so it goes as written.
 */
#include "render_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/clock.h"
#include "../lib/crypto.h"
#include "dingtalk_card.h"
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


/* ---- interactive cards (dingtalk_card.h) ---- */

static const char *const card_styles[] = {
	[REPLY_ACTION_DEFAULT] = "default",
	[REPLY_ACTION_PRIMARY] = "primary",
	[REPLY_ACTION_DANGER] = "danger",
};

/* The cardParamMap: title, the text of part i, note and the four button
 * slots (those past the reply's actions, or all with !buttons, hidden and
 * empty, so a new face clears the old buttons). */
static void card_params(struct strbuf *sb, const char *title, const struct render_parts *parts,
                        size_t i, const char *note, const struct reply *r, bool buttons)
{
	strbuf_appends(sb, "{\"title\":");
	render_json_str(sb, title);
	strbuf_appends(sb, ",\"markdown\":\"");
	render_json_part(sb, parts, i, "\n\n");
	strbuf_appends(sb, "\",\"note\":");
	render_json_str(sb, note);
	for (size_t k = 0; k < REPLY_ACTIONS_MAX; k++) {
		const struct reply_action *a = buttons && k < r->n_actions ? &r->actions[k] : NULL;

		strbuf_appendf(sb, ",\"btn%zu_text\":", k + 1);
		render_json_str(sb, a ? a->label : "");
		strbuf_appendf(sb, ",\"btn%zu_show\":\"%s\",\"btn%zu_style\":\"%s\",\"btn%zu_cmd\":",
		               k + 1, a ? "true" : "false", k + 1,
		               card_styles[a ? a->style : REPLY_ACTION_DEFAULT], k + 1);
		render_json_str(sb, a ? a->command : "");
	}
	strbuf_append(sb, "}", 1);
}

/* out->track: card `id` with r's buttons. */
static int card_track(struct rendered *out, const char *id, const struct reply *r)
{
	struct card_track *t = calloc(1, sizeof *t);

	if (!t || strlen(id) >= sizeof t->id) {
		free(t);
		return t ? -EINVAL : -ENOMEM;
	}
	memcpy(t->id, id, strlen(id) + 1);
	t->shared = r->shared;
	out->track = t;
	for (size_t k = 0; k < r->n_actions; k++) {
		t->commands[k] = strdup(r->actions[k].command);
		if (!t->commands[k])
			return -ENOMEM;
		t->n++;
	}
	return 0;
}

/* The card's id for part n of the message `key` to an instance. */
static int track_id(const char *instance, const char *key, size_t n, char id[45])
{
	uint8_t sum[CRYPTO_SHA256_LEN];
	char hex[2 * CRYPTO_SHA256_LEN + 1];
	struct strbuf sb;
	int rc;

	strbuf_init(&sb);
	strbuf_appendf(&sb, "%s|%s#%zu", instance, key, n);
	if (sb.failed || !sb.buf) {
		strbuf_free(&sb);
		return -ENOMEM;
	}
	rc = crypto_sha256(sb.buf, sb.len, sum);
	strbuf_free(&sb);
	if (rc < 0)
		return rc;
	crypto_hex(sum, sizeof sum, hex);
	memcpy(id, "cqod", 4);
	memcpy(id + 4, hex, 40);
	id[44] = '\0';
	return 0;
}

/* The last part of a reply with buttons to an instance with a card
 * template: createAndDeliver. */
static char *deliver_body(const struct dest *d, const struct render_parts *parts, size_t i,
                          const char *title, const struct reply *r, const char *id)
{
	bool user = d->kind == DEST_USER;
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_appends(&sb, "{\"outTrackId\":");
	render_json_str(&sb, id);
	strbuf_appends(&sb, ",\"callbackType\":\"STREAM\",\"cardData\":{\"cardParamMap\":");
	card_params(&sb, title, parts, i, "", r, true);
	strbuf_appendf(&sb, "},\"openSpaceId\":\"dtv1.card//%s.", user ? "IM_ROBOT" : "IM_GROUP");
	render_json_escape(&sb, d->target, strlen(d->target));
	strbuf_appends(&sb, user ? "\",\"imRobotOpenSpaceModel\":{\"supportForward\":false},"
	                           "\"imRobotOpenDeliverModel\":{\"spaceType\":\"IM_ROBOT\"}"
	                         : "\",\"imGroupOpenSpaceModel\":{\"supportForward\":false},"
	                           "\"imGroupOpenDeliverModel\":{}");
	strbuf_appends(&sb, ",\"userIdType\":1}");
	return strbuf_detach(&sb);
}

/* r whole as one card's cardParamMap (note: who pressed, or ""), or NULL
 * when it takes more than one (or on ENOMEM). */
static char *whole_card(const struct reply *r, const char *note, bool buttons);

/* A card shown anew (DEST_CARD): PUT's body, one card or nothing. */
static int card_update(const struct dest *d, const struct reply *r, struct rendered *out)
{
	char *params = whole_card(r, "", true);
	struct strbuf sb;
	int rc;

	if (!params)
		return -EMSGSIZE;
	strbuf_init(&sb);
	strbuf_appends(&sb, "{\"outTrackId\":");
	render_json_str(&sb, d->target);
	strbuf_appendf(&sb, ",\"cardData\":{\"cardParamMap\":%s},\"cardUpdateOptions\":"
	                    "{\"updateCardDataByKey\":true},\"userIdType\":1}", params);
	free(params);
	rc = render_push(out, strbuf_detach(&sb));
	return rc ? rc : card_track(out, d->target, r);
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

/* Replies with actions go as cards where the instance has a template:
 * through the OpenAPI then (the session webhook takes no card), the
 * sender privately or the group. */
int dingtalk_card_dest(const struct chat_msg *msg, struct dest *out)
{
	if (dingtalk_card_template(msg->instance))
		return dingtalk_file_dest(msg, out);
	return dingtalk_reply_dest(msg, out);
}

int render_dingtalk(const struct dest *d, const struct reply *r, const char *idem_key,
                    struct rendered *out)
{
	/* An interactive card: to one user or a group, through an instance
	 * with a template, for a message with a key to name the card by. */
	bool icard = r->n_actions && idem_key && (d->kind == DEST_USER || d->kind == DEST_CHAT) &&
	             dingtalk_card_template(d->instance);
	bool card = icard || (r->n_actions && (d->kind == DEST_USER || d->kind == DEST_SESSION));
	bool md = card || render_structured(r);
	struct render_limit lim = {.budget = DINGTALK_CONTENT_MAX, .level = 0, .sep = md ? 2 : 1};
	struct render_parts parts;
	struct render_doc doc;
	char id[45];
	int rc;

	if (d->kind == DEST_CARD)
		return card_update(d, r, out);
	if (d->kind != DEST_USER && d->kind != DEST_CHAT && d->kind != DEST_ROBOT &&
	    d->kind != DEST_SESSION)
		return -EINVAL;
	rc = render_doc_build(r, md ? MARKUP_MARKDOWN : MARKUP_PLAIN, !icard,
	                      !icard && (!card || d->kind != DEST_USER), dingtalk_escape, &doc);
	if (rc < 0) {
		render_doc_free(&doc);
		return rc;
	}
	rc = render_split(&doc, &lim, &parts);
	if (rc == 0 && icard)
		rc = track_id(d->instance, idem_key, parts.n_parts, id);
	for (size_t i = 0; rc == 0 && i < parts.n_parts; i++) {
		const char *title = doc.title ? doc.title : TXT_BOT_NAME;
		bool last = card && i + 1 == parts.n_parts;

		rc = render_push(out, last && icard ? deliver_body(d, &parts, i, title, r, id)
		                      : last        ? card_body(d, &parts, i, title, r)
		                                    : body(d, &parts, i, title, md));
	}
	if (rc == 0 && icard)
		rc = card_track(out, id, r);
	render_parts_free(&parts);
	render_doc_free(&doc);
	return rc;
}

static char *whole_card(const struct reply *r, const char *note, bool buttons)
{
	struct render_limit lim = {.budget = DINGTALK_CONTENT_MAX, .level = 0, .sep = 2};
	struct render_parts parts = {0};
	struct render_doc doc;
	struct strbuf sb;
	char *params = NULL;
	int rc;

	rc = render_doc_build(r, MARKUP_MARKDOWN, false, false, dingtalk_escape, &doc);
	if (rc == 0)
		rc = render_split(&doc, &lim, &parts);
	if (rc == 0 && parts.n_parts == 1) {
		strbuf_init(&sb);
		card_params(&sb, doc.title ? doc.title : TXT_BOT_NAME, &parts, 0, note, r, buttons);
		params = strbuf_detach(&sb);
	}
	render_parts_free(&parts);
	render_doc_free(&doc);
	return params;
}

char *dingtalk_press_answer(const struct reply *r, const char *done_by)
{
	struct strbuf sb;
	char *note, *params;

	if (!done_by || r->is_error)
		return NULL;
	strbuf_init(&sb);
	strbuf_appends(&sb, TXT_CARD_DONE_BY);
	render_fullwidth(&sb, done_by, strlen(done_by), RENDER_MARKDOWN_CHARS);
	note = strbuf_detach(&sb);
	params = note ? whole_card(r, note, false) : NULL;
	free(note);
	if (!params)
		return NULL;
	strbuf_init(&sb);
	strbuf_appendf(&sb, "{\"cardUpdateOptions\":{\"updateCardDataByKey\":true},"
	                    "\"cardData\":{\"cardParamMap\":%s}}", params);
	free(params);
	return strbuf_detach(&sb);
}
