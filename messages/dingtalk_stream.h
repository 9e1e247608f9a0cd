/*
 * DingTalk Stream mode: the gateway call and the JSON frames of the
 * WebSocket. Pure codecs, no I/O.
 *
 * The exchange, as the official SDKs speak it:
 *  1. POST https://api.dingtalk.com/v1.0/gateway/connections/open with
 *     {"clientId","clientSecret","subscriptions":[{"type","topic"}],"ua"}
 *     (header Accept: application/json, or the answer is XML) answers
 *     {"endpoint":"wss://...","ticket":"..."}; the WebSocket URL is
 *     endpoint?ticket=<ticket>. A ticket is good for one connection.
 *  2. Downstream frames: {"specVersion","type","headers":{"topic",
 *     "messageId","contentType","time",...},"data":"<JSON string>"} with type
 *     SYSTEM (topic ping: echo it; disconnect: the server is about to close,
 *     open a new ticket), EVENT, or CALLBACK (topic
 *     /v1.0/im/bot/messages/get: data is the robot message of HTTP mode).
 *  3. Each EVENT/CALLBACK frame is answered by messageId:
 *     {"code":200,"headers":{"contentType":"application/json","messageId"},
 *      "message":"OK","data":"<JSON string>"}; an unanswered one is pushed
 *     again (the SDK's docs: retried within 60 s).
 */
#ifndef CQOD_DINGTALK_STREAM_H
#define CQOD_DINGTALK_STREAM_H

#include <stdbool.h>
#include <stddef.h>

#include "dingtalk.h"

#define DINGTALK_STREAM_TOPIC_ROBOT "/v1.0/im/bot/messages/get"
/* Card presses: DINGTALK_CARD_TOPIC (dingtalk_card.h). */
/* A frame or gateway answer larger than this is refused. */
#define DINGTALK_STREAM_MAX (1024 * 1024)

/* The gateway request body (subscribes to robot messages only); *out
 * malloc'ed. It holds the secret: never log it. 0, -EINVAL (an argument
 * missing), -ENOMEM. `ua` may be NULL. */
int dingtalk_stream_open_request(const char *client_id, const char *client_secret,
                                 const char *ua, char **out);
/* The same, subscribing to card presses (DINGTALK_CARD_TOPIC) as well
 * when `cards`. */
int dingtalk_stream_open_request_cards(const char *client_id, const char *client_secret,
                                       const char *ua, bool cards, char **out);

/* Parses the gateway answer into the WebSocket URL endpoint?ticket=<ticket>
 * (the ticket percent-encoded); *url malloc'ed. 0; -EINVAL (not JSON, not
 * UTF-8, too large, endpoint not ws(s)://, ticket missing); -EPROTO when
 * DingTalk answered an error object ({"code","message"}); -ENOMEM. */
int dingtalk_stream_open_parse(const char *body, size_t len, char **url);

enum dingtalk_stream_kind {
	DINGTALK_STREAM_PING,        /* SYSTEM ping: answer dingtalk_stream_pong */
	DINGTALK_STREAM_DISCONNECT,  /* SYSTEM disconnect: reconnect with a new ticket */
	DINGTALK_STREAM_SYSTEM,      /* other SYSTEM topics (CONNECTED, REGISTERED,
	                              * KEEPALIVE): nothing to do */
	DINGTALK_STREAM_ROBOT,       /* CALLBACK robot message: decode, then ack */
	DINGTALK_STREAM_EVENT,       /* EVENT: ack, nothing else subscribed to */
	DINGTALK_STREAM_CARD,        /* CALLBACK card press (DINGTALK_CARD_TOPIC):
	                              * dingtalk_press_decode, then ack */
};

/* A decoded frame; owns the JSON tree the strings borrow from. */
struct dingtalk_stream_frame {
	enum dingtalk_stream_kind kind;
	const char *topic;
	const char *message_id;   /* NULL only on SYSTEM frames */
	const char *content_type; /* may be NULL */
	const char *data;         /* the data string; "" when absent */
	void *json;
};

/* Decodes one text message. 0; -EMSGSIZE over DINGTALK_STREAM_MAX; -EINVAL
 * (not UTF-8, not a JSON object, headers or topic missing, a type other
 * than SYSTEM/EVENT/CALLBACK, an EVENT/CALLBACK without messageId, data not
 * a string); -ENOENT for a CALLBACK of a topic other than robot messages
 * and card presses:
 * out is filled then (topic and message_id valid) so the caller can ack and
 * drop it; -ENOMEM. Free with dingtalk_stream_frame_free whatever it
 * returned. */
int dingtalk_stream_decode(const char *buf, size_t len, struct dingtalk_stream_frame *out);
void dingtalk_stream_frame_free(struct dingtalk_stream_frame *f);

/* Decodes the robot message a DINGTALK_STREAM_ROBOT frame carries with
 * dingtalk_decode (same rules, same ownership: free out with
 * dingtalk_msg_free whatever it returns); -EINVAL for another kind. */
int dingtalk_stream_robot(const struct dingtalk_stream_frame *f, const char *instance,
                          struct dingtalk_msg *out, const char **why);

/* The answer to an EVENT or CALLBACK frame, by its messageId; *out
 * malloc'ed. Callback answers carry data {"response":null}, event answers
 * {"status":"SUCCESS"} as the SDKs send. 0, -EINVAL (a SYSTEM frame),
 * -ENOMEM. */
int dingtalk_stream_ack(const struct dingtalk_stream_frame *f, char **out);

/* The answer to a card press carrying `response` (JSON, or NULL for none):
 * data {"response":<response>}, as the SDK's socketCallBackResponse sends.
 * 0, -EINVAL (not a card press, or response not JSON), -ENOMEM. */
int dingtalk_stream_ack_card(const struct dingtalk_stream_frame *f, const char *response,
                             char **out);

/* The echo of a SYSTEM ping: code 200, the ping's own headers and data;
 * *out malloc'ed. 0, -EINVAL (not a ping), -ENOMEM. */
int dingtalk_stream_pong(const struct dingtalk_stream_frame *f, char **out);

#endif
