/*
 * WeCom intelligent robot (智能机器人), long-connection mode: JSON frames
 * over one WebSocket to wss://openws.work.weixin.qq.com. Pure codecs, no
 * I/O.
 *
 * Every frame is {"cmd","headers":{"req_id"},"body"}; the server's answers
 * to our frames carry no cmd, only headers.req_id, errcode and errmsg, and
 * are told apart by the req_id we chose (the SDK's is <cmd>_<ms>_<random>).
 *  - aibot_subscribe {bot_id, secret} authenticates the connection; errcode 0
 *    answers it. One connection per bot: when another subscribes, the old
 *    one gets aibot_event_callback with event.eventtype "disconnected_event"
 *    and is closed — reconnecting would only kick the new one.
 *  - ping (no body), every 30 s; answered like the others.
 *  - aibot_msg_callback pushes a message; its req_id is the handle of the
 *    answer, aibot_respond_msg with the same req_id. The protocol has no ack
 *    and no redelivery: a message pushed while we are away is lost.
 *  - aibot_send_msg {chatid, msgtype markdown} speaks unprompted, with a
 *    req_id of our own.
 */
#ifndef CQOD_WECOM_AIBOT_H
#define CQOD_WECOM_AIBOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/chat.h"

/* chat_msg.platform, dest.platform and the section [wecom_aibot:NAME]. */
extern const char wecom_aibot_platform_name[];

#define WECOM_AIBOT_URL "wss://openws.work.weixin.qq.com"
/* A frame larger than this is refused. */
#define WECOM_AIBOT_MAX (1024 * 1024)
/* The SDK's heartbeat period. */
#define WECOM_AIBOT_PING_MS 30000

/* Writes "<cmd>_<now_ms>_<seq>" into buf: unique per connection and, like
 * the SDK's, prefixed by the command so answers can be told apart. 0, or
 * -ENOSPC when buf is too small. */
int wecom_aibot_req_id(const char *cmd, int64_t now_ms, uint64_t seq, char *buf, size_t size);

/* Frames we send; *out malloc'ed (caller frees). Each returns 0, -EINVAL (a
 * required argument NULL or empty), or -ENOMEM. The subscribe frame holds
 * the secret: never log it. */
int wecom_aibot_subscribe(const char *req_id, const char *bot_id, const char *secret,
                          char **out);
int wecom_aibot_ping(const char *req_id, char **out);
/* The answer to a pushed message: its req_id, msgtype "stream" finished in
 * one frame (a stream is how this channel answers text; content is
 * markdown), stream_id naming it (e.g. the message's msgid). */
int wecom_aibot_respond(const char *req_id, const char *stream_id, const char *markdown,
                        char **out);
/* An unprompted markdown message to `chatid` (a group's chatid, or the
 * user's userid for a single chat). */
int wecom_aibot_send(const char *req_id, const char *chatid, const char *markdown, char **out);

/* A stored body (render_message for a wecom_aibot destination, a JSON
 * object) as the frame that sends it: cmd "aibot_respond_msg" on the pushed
 * message's req_id, or "aibot_send_msg" on one of ours. *out malloc'ed
 * (caller frees); 0, -EINVAL (an argument empty, body not an object) or
 * -ENOMEM. */
int wecom_aibot_wrap(const char *cmd, const char *req_id, const char *body, char **out);

/* Key checks of [wecom_aibot:NAME]: api_base is a ws:// or wss:// URL;
 * ping_interval whole seconds, 1..3600. 0 or -EINVAL. */
int wecom_aibot_url_check(const char *value);
int wecom_aibot_ping_check(const char *value);

enum wecom_aibot_kind {
	WECOM_AIBOT_MSG,      /* aibot_msg_callback */
	WECOM_AIBOT_EVENT,    /* aibot_event_callback other than the one below */
	WECOM_AIBOT_KICKED,   /* disconnected_event: a newer connection took over */
	WECOM_AIBOT_ANSWER,   /* no cmd: the answer to one of our frames */
};

/* A decoded frame; owns the JSON tree (json) the strings borrow from. */
struct wecom_aibot_frame {
	enum wecom_aibot_kind kind;
	const char *req_id;       /* always set */
	/* WECOM_AIBOT_ANSWER */
	long errcode;
	const char *errmsg;       /* may be NULL */
	/* WECOM_AIBOT_MSG (and msgid, aibotid on events) */
	const char *msgid;
	const char *aibotid;
	const char *msgtype;
	enum chat_kind chat_kind;
	const char *chatid;       /* group chats only */
	const char *from_userid;
	const char *text;         /* text.content for msgtype text, else NULL */
	/* events */
	const char *event_type;
	void *json;
};

/* Decodes one text message. 0; -EMSGSIZE over WECOM_AIBOT_MAX; -EINVAL (not
 * UTF-8, not a JSON object, no headers.req_id, an unknown cmd, an answer
 * without a numeric errcode, a message without msgid, aibotid, msgtype,
 * from.userid or a chattype of single/group, a group message without
 * chatid, a text message without text.content, an event without
 * event.eventtype); -ENOMEM. Free with wecom_aibot_frame_free whatever it
 * returned. */
int wecom_aibot_decode(const char *buf, size_t len, struct wecom_aibot_frame *out);
void wecom_aibot_frame_free(struct wecom_aibot_frame *f);

/* The neutral message of a WECOM_AIBOT_MSG frame, borrowing from f:
 * platform "wecom_aibot", `instance`, tenant = `corp_id` (the bot's corp,
 * from the config: frames do not carry it), chat_id = chatid in a group,
 * the sender's userid in a single chat (aibot_send_msg's chatid for either),
 * sender_id = from.userid, text = text.content without leading white space
 * (NULL for other msgtypes), msg_id = msgid (the dedupe key: nothing is
 * redelivered, but a reconnect may repeat), reply_handle = req_id. 0 or
 * -EINVAL (not a message frame). */
int wecom_aibot_chat_msg(const struct wecom_aibot_frame *f, const char *instance,
                         const char *corp_id, struct chat_msg *out);

#endif
