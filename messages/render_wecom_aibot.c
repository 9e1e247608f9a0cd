/*
 * WeCom intelligent robot bodies (messages/wecom_aibot.h): the body member
 * of the frame that sends them (wecom_aibot_wrap adds cmd and req_id when
 * sending, so a stored body holds no connection state):
 *   DEST_REPLY  aibot_respond_msg on target = the pushed message's req_id:
 *               {"msgtype":"stream","stream":{"id","finish":true,"content"}}
 *   DEST_USER   aibot_send_msg {"chatid":userid,"msgtype":"markdown",...}
 *   DEST_CHAT   aibot_send_msg {"chatid":chatid,"msgtype":"markdown",...}
 * Both carry markdown (the channel has no plain text answer), every markup
 * character of the reply made inert. Limits on the content's UTF-8 bytes:
 * a stream 20480, a markdown message 4096 (the robots' markdown limit).
 */
#include "render_internal.h"

#include <errno.h>
#include <string.h>

#define AIBOT_STREAM_MAX 20480
#define AIBOT_MARKDOWN_MAX 4096

static void aibot_escape(struct strbuf *sb, const char *s, size_t n, enum render_markup markup)
{
	(void)markup;
	render_fullwidth(sb, s, n, RENDER_MARKDOWN_CHARS);
}

/* On the pushed frame while we have its req_id; the chat otherwise. */
int wecom_aibot_reply_dest(const struct chat_msg *msg, struct dest *out)
{
	if (msg->reply_handle && *msg->reply_handle)
		return dest_fill(out, msg, DEST_REPLY, msg->reply_handle);
	if (msg->kind == CHAT_GROUP)
		return dest_fill(out, msg, DEST_CHAT, msg->chat_id);
	return dest_fill(out, msg, DEST_USER, msg->sender_id);
}

int render_wecom_aibot(const struct dest *d, const struct reply *r, const char *idem_key,
                       struct rendered *out)
{
	struct render_limit lim = {.level = 0, .sep = 1};
	struct render_parts parts;
	struct render_doc doc;
	int rc;

	(void)idem_key;   /* a stream is named by its req_id, a message has no key */
	if (d->kind != DEST_USER && d->kind != DEST_CHAT && d->kind != DEST_REPLY)
		return -EINVAL;
	rc = render_doc_build(r, MARKUP_MARKDOWN, true, true, aibot_escape, &doc);
	if (rc < 0) {
		render_doc_free(&doc);
		return rc;
	}
	lim.budget = d->kind == DEST_REPLY ? AIBOT_STREAM_MAX : AIBOT_MARKDOWN_MAX;
	rc = render_split(&doc, &lim, &parts);
	for (size_t i = 0; rc == 0 && i < parts.n_parts; i++) {
		struct strbuf sb;

		strbuf_init(&sb);
		if (d->kind == DEST_REPLY) {
			/* One stream per part, each finished at once. */
			strbuf_appends(&sb, "{\"msgtype\":\"stream\",\"stream\":{\"id\":\"");
			render_json_escape(&sb, d->target, strlen(d->target));
			strbuf_appendf(&sb, "-%zu\",\"finish\":true,\"content\":\"", i + 1);
		} else {
			strbuf_appends(&sb, "{\"chatid\":");
			render_json_str(&sb, d->target);
			strbuf_appends(&sb, ",\"msgtype\":\"markdown\",\"markdown\":{\"content\":\"");
		}
		render_json_part(&sb, &parts, i, "\n");
		strbuf_appends(&sb, "\"}}");
		rc = render_push(out, strbuf_detach(&sb));
	}
	render_parts_free(&parts);
	render_doc_free(&doc);
	return rc;
}
